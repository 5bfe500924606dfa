"""E230–E236 and W230: punctuation, spaces, document numbers and dates.

Half-width marks are reported once per paragraph (with the count), other
defects once per occurrence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .context import Context
from .numbering import initial_marker
from .records import Record
from .registry import doc_rule, para_rule
from .textutil import CJK, HAN, cn_digits_to_int, cn_to_int, snippet

_CJK_RE = re.compile(f"[{CJK}]")
_HAN_RE = re.compile(f"[{HAN}]")
_SP = "[ \u3000\xa0]"

_DOC_NO = re.compile(
    rf"([{HAN}]{{1,12}}?){_SP}*([\[【［(（〔〈<{{])({_SP}*)((?:19|20)(?:\d{{2}}|[xX×]{{2}}))({_SP}*)"
    rf"([\]】］)）〕〉>}}]){_SP}*(第)?{_SP}*(\d+){_SP}*号"
)
# Each pattern may only start where its leading character class starts a run
# (the lookbehinds): otherwise a long run of letters, digits or Han characters
# without the "://" or "@" it needs is rescanned from every position (quadratic).
_URL = re.compile(
    r"(?<![A-Za-z0-9+.-])[0-9+.-]*"
    r"((?:[A-Za-z][A-Za-z0-9+.-]*://|www\.)[^\s\u3000-\u303f\uff00-\uffef]*)"
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")


def _protected(rec: Record) -> list[tuple[int, int]]:
    """Spans other rules own: the numbering marker, document numbers, URLs, times."""
    spans: list[tuple[int, int]] = []
    m = initial_marker(rec.text)
    if m is not None and m.wrong:
        spans.append((m.start, m.end))
    for rx in (_DOC_NO, _EMAIL, _TIME):
        spans.extend((x.start(), x.end()) for x in rx.finditer(rec.text))
    spans.extend((x.start(1), x.end(1)) for x in _URL.finditer(rec.text))
    return spans


class _Spans:
    """Membership in a set of spans in O(1) per position.

    The spans come from ``finditer`` of a few patterns, each yielding
    non-overlapping matches, so marking them costs at most a few times the
    text's length.
    """

    def __init__(self, length: int, spans: list[tuple[int, int]]):
        mask = bytearray(length)
        for a, b in spans:
            if a < b:
                mask[a:b] = b"\x01" * (b - a)
        self.mask = mask

    def __contains__(self, i: int) -> bool:
        return 0 <= i < len(self.mask) and bool(self.mask[i])


_HALF = set(',;:!?()"')
_ANY_HALF = re.compile("[" + re.escape("".join(sorted(_HALF)) + ".") + "]")
_FULL = {
    ",": "，",
    ";": "；",
    ":": "：",
    "!": "！",
    "?": "？",
    "(": "（",
    ")": "）",
    '"': "“”",
    ".": "。",
}
#: kinds where spaces are layout (signature blocks, 版记, a padded name under the title)
_SKIP_SPACES = frozenset({"signature", "date", "imprint", "header", "footer", "subtitle", "mark"})


@para_rule(
    "E230",
    "半角标点",
    '中文里的标点用全角：，；：！？（）“”。；半角 , ; : ! ? ( ) " 紧挨汉字时是错误。',
    skip_kinds={"header", "footer"},
    needs="".join(_HALF) + ".",
)
def half_width(rec: Record, ctx: Context) -> Iterator[str]:
    text = rec.text
    if _ANY_HALF.search(text) is None:  # no candidate at all: nothing to protect or judge
        return
    spans = _Spans(len(text), _protected(rec))
    found: list[int] = []
    for i, c in enumerate(text):
        if c not in _HALF and c != ".":
            continue
        if i in spans:
            continue
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if c == ".":
            if not (_HAN_RE.match(before) and (after == "" or not after.isascii() or after == " ")):
                continue
            if after and after.isdigit():
                continue
        elif not (_CJK_RE.match(before) or _CJK_RE.match(after)):
            continue
        found.append(i)
    if found:
        chars = []
        for i in found:
            if text[i] not in chars:
                chars.append(text[i])
        shown = "".join(f"“{c}”" for c in chars)
        fixes = "、".join(f"{c}→{_FULL[c]}" for c in chars)
        first = found[0]
        yield (
            f"半角标点{shown}紧挨汉字（{len(found)}处，应为全角：{fixes}）："
            + snippet(text, first, first + 1)
        )


_DOUBLE = re.compile(r"([，。；：、！？,;:!?])\1+|[，。；：、][，。；：、]")


@para_rule(
    "E231",
    "标点重复",
    "同一处连用两个标点（“，，”“。。”“，。”）；省略号“……”和破折号“——”不算。",
    needs=re.compile("[，。；：、！？,;:!?]{2}"),
)
def doubled(rec: Record, ctx: Context) -> Iterator[str]:
    text = rec.text
    for m in _DOUBLE.finditer(text):
        yield f"标点重复“{m.group(0)}”：" + snippet(text, m.start(), m.end())


_SPACES = re.compile(r"(?<=\S)[ \u3000\xa0]{2,}(?=\S)")


@para_rule(
    "E232",
    "连续空格",
    "中文正文中不应出现两个以上连续空格（常是删去文字留下的空位或用空格排版）。",
    skip_kinds=_SKIP_SPACES,
    needs=" \u3000\xa0",
)
def double_space(rec: Record, ctx: Context) -> Iterator[str]:
    text = rec.text
    for m in _SPACES.finditer(text):
        before, after = text[m.start() - 1], text[m.end()]
        if _CJK_RE.match(before) or _CJK_RE.match(after):
            yield f"连续{len(m.group(0))}个空格：" + snippet(text, m.start(), m.end())


_SINGLE_SPACE = re.compile(f"(?<=[{CJK}])[ \xa0](?=[{CJK}])")


@para_rule(
    "W230",
    "汉字间夹空格",
    "两个汉字（或中文标点）之间夹一个空格，常是删掉了词语或引号（“和 规划”“ 三化 建设”）。",
    skip_kinds=_SKIP_SPACES | {"table-cell", "title"},
    needs=" \xa0",
)
def single_space(rec: Record, ctx: Context) -> Iterator[str]:
    text = rec.text
    hits = [m.start() for m in _SINGLE_SPACE.finditer(text)]
    if hits:
        yield f"汉字之间夹空格（{len(hits)}处），可能删掉了词语或引号：" + snippet(
            text, hits[0], hits[0] + 1
        )


def _serial(digits: str) -> str:
    """A serial number without padding zeros (as text: it may have any number of digits)."""
    return digits.lstrip("0") or "0"


@para_rule(
    "E233",
    "文号括号错误",
    "发文字号中的年份用六角括号〔〕：青安办〔2024〕12号；[ ]、【】、（）都不对。",
    skip_kinds={"header", "footer"},
    needs="号",
)
def doc_number_brackets(rec: Record, ctx: Context) -> Iterator[str]:
    for m in _DOC_NO.finditer(rec.text):
        if m.group(2) == "〔" and m.group(6) == "〕" and not m.group(3) and not m.group(5):
            continue
        prefix = m.group(1)[-6:]
        right = f"{prefix}〔{m.group(4)}〕{_serial(m.group(8))}号"
        yield f"文号“{m.group(0).strip()}”的年份应使用六角括号〔〕，写作“{right}”"


@para_rule(
    "E234",
    "文号序号格式",
    "发文字号的序号不加“第”、不编虚位：青安办〔2024〕1号，不写“第1号”“01号”。",
    skip_kinds={"header", "footer"},
    needs="号",
)
def doc_number_serial(rec: Record, ctx: Context) -> Iterator[str]:
    for m in _DOC_NO.finditer(rec.text):
        serial = m.group(8)
        if m.group(7) or (len(serial) > 1 and serial.startswith("0")):
            prefix = m.group(1)[-6:]
            right = f"{prefix}〔{m.group(4)}〕{_serial(serial)}号"
            yield f"文号“{m.group(0).strip()}”的序号不加“第”、不编虚位，写作“{right}”"


_DATE_NUM = re.compile(
    rf"(?<![\d.])(?:((?:19|20)\d{{2}})({_SP}*)年({_SP}*))?(\d{{1,2}})({_SP}*)月"
    rf"(?:({_SP}*)(\d{{1,2}})({_SP}*)日)?"
)
_DATE_CN = re.compile(
    r"(?<![农历正腊初])([〇○零一二三四五六七八九]{4}年)?([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})[日号]"
)
_YEAR_CN = re.compile(r"([〇○零一二三四五六七八九]{4})年")
_DATE_ISO = re.compile(r"(?<![\d.\-/])((?:19|20)\d{2})([-/.])(\d{1,2})\2(\d{1,2})(?![\d.\-/])")


def _ymd(y: int | None, m: int | None, d: int | None) -> str:
    return (f"{y}年" if y else "") + (f"{m}月" if m else "") + (f"{d}日" if d else "")


@para_rule(
    "E235",
    "日期写法",
    "日期用阿拉伯数字、不编虚位、中间不加空格：2024年1月5日；不写 2024年01月05日、二〇二四年一月五日、2024-01-05。",
    skip_kinds={"header", "footer"},
    needs="年月-/.",
)
def date_format(rec: Record, ctx: Context) -> Iterator[str]:
    text = rec.text
    if "月" not in text and "年" not in text and _DATE_ISO.search(text) is None:
        return  # every pattern below needs one of them
    spans = _Spans(len(text), [(x.start(), x.end()) for x in _DOC_NO.finditer(text)])
    for m in _DATE_NUM.finditer(text):
        if m.start() in spans:
            continue
        year, month, day = m.group(1), m.group(4), m.group(7)
        if m.group(1) is None and m.group(7) is None:
            continue  # "3月" alone: nothing to say
        padded = month.startswith("0") or (day or "").startswith("0")
        spaced = any(m.group(k) for k in (2, 3, 5, 6, 8))
        if not (padded or spaced):
            continue
        right = _ymd(int(year) if year else None, int(month), int(day) if day else None)
        why = "不编虚位" if padded else "中间不加空格"
        yield f"日期“{m.group(0).strip()}”{why}，写作“{right}”"
    for m in _DATE_CN.finditer(text):
        y = cn_digits_to_int(m.group(1)[:-1]) if m.group(1) else None
        right = _ymd(y, cn_to_int(m.group(2)), cn_to_int(m.group(3)))
        yield f"日期“{m.group(0)}”应使用阿拉伯数字，写作“{right}”"
    for m in _YEAR_CN.finditer(text):
        rest = text[m.end() : m.end() + 6]
        if re.match(r"[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}[日号]", rest):
            continue  # reported as a whole date above
        yield f"年份“{m.group(0)}”应使用阿拉伯数字，写作“{cn_digits_to_int(m.group(1))}年”"
    for m in _DATE_ISO.finditer(text):
        right = _ymd(int(m.group(1)), int(m.group(3)), int(m.group(4)))
        yield f"日期“{m.group(0)}”在中文里写作“{right}”"


@doc_rule("E236", "正文中的空段落", "正文中间不应有空段落（段落间距由格式控制）。", yaml=False)
def empty_paragraph(records: list[Record], ctx: Context):
    for rec in records:
        if rec.kind == "empty":
            yield rec, "正文中有空段落"
