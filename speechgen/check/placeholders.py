"""E210–E216: placeholders and empty slots left in the text (spec/FORMAT.md
"What is never in an output", research/domain.md §5).

One finding per occurrence, quoting a little context, so that a secretary can
find each one with Ctrl+F.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .context import Context
from .records import Record
from .registry import para_rule
from .textutil import CJK, snippet

_ASCII_ALNUM = "A-Za-z0-9_"

_X = re.compile(rf"(?<![{_ASCII_ALNUM}])([XＸ]{{1,4}}|[xｘ]{{1,4}})(?![{_ASCII_ALNUM}])")
_X_WORDS = re.compile(r"光|射线|线|型|轴")
_CJK_RE = re.compile(f"[{CJK}]")


def _hits(rx: re.Pattern, text: str, label=None) -> Iterator[str]:
    for m in rx.finditer(text):
        yield (
            (label or "占位符“{}”未替换").format(m.group(0))
            + "："
            + snippet(text, m.start(), m.end())
        )


@para_rule(
    "E210",
    "占位符 X/XX",
    "单独出现在中文里的 X、XX（如“XX县”“X月份”“刚才，X通报了”）是未替换的占位符。",
    needs="XＸxｘ",
)
def placeholder_x(rec: Record, ctx: Context) -> Iterator[str]:
    text = rec.text
    for m in _X.finditer(text):
        token = m.group(1)
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        near_cjk = bool(_CJK_RE.match(before) or _CJK_RE.match(after))
        if not near_cjk and not (before == "" and after == ""):
            continue
        if (
            len(token) == 1
            and token in "xｘ"
            and not (_CJK_RE.match(before) and _CJK_RE.match(after))
        ):
            continue
        if token[0] in "XＸ" and _X_WORDS.match(text, m.end()):
            continue  # X光, X射线
        yield f"占位符“{token}”未替换：" + snippet(text, m.start(), m.end())


_TIMES = re.compile(r"×+")


@para_rule(
    "E211",
    "占位符 ×/××",
    "“×起×事故致×人死亡”这类用作空白的 ×、××；数字之间的乘号（210×297）不算。",
    needs="×",
)
def placeholder_times(rec: Record, ctx: Context) -> Iterator[str]:
    text = rec.text
    for m in _TIMES.finditer(text):
        token = m.group(0)
        # Look at the neighbours only (never copy the text before or after a
        # match: a paragraph of many × would make that quadratic).
        i = m.start() - 1
        while i >= 0 and text[i].isspace():
            i -= 1
        j = m.end()
        while j < len(text) and text[j].isspace():
            j += 1
        left = text[i] if i >= 0 else ""
        right = text[j] if j < len(text) else ""
        if len(token) == 1 and left.isdigit() and right.isdigit():
            continue  # multiplication / dimensions
        if text[max(0, m.start() - 2) : m.start()] in ("19", "20"):
            continue  # 20×× is a masked year (E213)
        yield f"占位符“{token}”未替换：" + snippet(text, m.start(), m.end())


_STARS = re.compile(r"[*＊]{2,}")


@para_rule(
    "E212", "占位符 **", "“**市长”“**安全生产工作会议”中的 ** 是隐去的名称，须填写。", needs="*＊"
)
def placeholder_stars(rec: Record, ctx: Context) -> Iterator[str]:
    yield from _hits(_STARS, rec.text)


_MASKED_YEAR = re.compile(
    r"(?<![0-9A-Za-z])(?:"
    r"(?:19|20)\s?[xX×＊*ｘＸ]{2}"  # 20xx, 20XX, 20××
    r"|(?:19|20)\d[xX×ｘＸ]"  # 200x
    r"|[xXｘＸ]\d"  # x7 (decade masked)
    r")(?![0-9A-Za-z])"
)


@para_rule(
    "E213",
    "年份被遮盖",
    "20xx、200x、x7 这类被遮盖的年份，须写出实际年份（如 2024年）。",
    needs="xX×＊*ｘＸ",
)
def masked_year(rec: Record, ctx: Context) -> Iterator[str]:
    yield from _hits(_MASKED_YEAR, rec.text, "年份被遮盖“{}”")


_SOMEONE = re.compile(r"某{2,}|[〇○]{2,}|□+")
_CN_NUM_NEAR = set("零〇○一二三四五六七八九十年")


@para_rule(
    "E214",
    "占位符 某某/〇〇/□",
    "某某、〇〇（○○）、□ 是待填写的名称或数字；二〇〇八年这类年份中的〇〇不算。",
    needs="某〇○□",
)
def placeholder_someone(rec: Record, ctx: Context) -> Iterator[str]:
    text = rec.text
    for m in _SOMEONE.finditer(text):
        token = m.group(0)
        if token[0] in "〇○":
            before = text[m.start() - 1] if m.start() else ""
            after = text[m.end()] if m.end() < len(text) else ""
            if before in _CN_NUM_NEAR or after in _CN_NUM_NEAR:
                continue  # 二〇〇八年
        yield f"占位符“{token}”未替换：" + snippet(text, m.start(), m.end())


_TEMPLATE = re.compile(r"\{\{|\}\}|\{%|%\}|\$\{[^}]{0,40}\}")
_SINGLE_BRACE = re.compile(r"\{[A-Za-z_][\w.\[\]]{0,40}\}")
_NULLS = re.compile(r"(?<![A-Za-z])(None|nan|NaN|NAN|null|NULL|undefined)(?![A-Za-z])")


@para_rule(
    "E215",
    "模板残留",
    "{{ }}、{% %}、{变量}、None、nan、null 是模板或数据缺失留下的文字。",
    needs="{}Nnu",
)
def template_residue(rec: Record, ctx: Context) -> Iterator[str]:
    text = rec.text
    yield from _hits(_TEMPLATE, text, "模板残留“{}”")
    if ctx.source != "yaml":  # letter targets in YAML legitimately hold {limits.deaths_max}
        yield from _hits(_SINGLE_BRACE, text, "模板变量“{}”未替换")
    for m in _NULLS.finditer(text):
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if text.strip() == m.group(0) or _CJK_RE.match(before) or _CJK_RE.match(after):
            yield f"数据缺失留下的“{m.group(0)}”：" + snippet(text, m.start(), m.end())


_EMPTY_SLOT = re.compile(
    r"[（(][^（）()\n]{1,15}?[：:][ \u3000\xa0]*[）)]"  # （值班电话：）
    r"|《[ \u3000\xa0]*》|〈[ \u3000\xa0]*〉|“[ \u3000\xa0]*”|【[ \u3000\xa0]*】"
    r"|（[ \u3000\xa0]*）|\([ \u3000\xa0]*\)"
    r"|_{3,}|＿{2,}"
    r"|年[ \u3000\xa0]+月|月[ \u3000\xa0]+日"
    r"|(?<!\d)(?:19|20)[ \u3000\xa0]+年"
)


@para_rule(
    "E216",
    "空白待填",
    "“（值班电话：）”“《》”“（）”“____”“  年  月  日”这类空着的填写位置。",
    needs="（(《〈“【_＿年月",
)
def empty_slot(rec: Record, ctx: Context) -> Iterator[str]:
    text = rec.text
    for m in _EMPTY_SLOT.finditer(text):
        token = m.group(0).strip(" \u3000\xa0")
        yield f"空白待填“{token}”：" + snippet(text, m.start(), m.end())
