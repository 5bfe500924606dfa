"""The fixes that have one right answer, each a named rule over one paragraph's text.

A rule changes punctuation, spaces, markers and date digits, never a word.
Every rule that changes a text yields a :class:`Change` (paragraph, before,
after, rule); the patterns are the checker's own (``speechgen.check``), so
what ``check`` reports as a form error is what ``format`` repairs, and what
it reports as content (a placeholder, a numbering gap, an announced count
that does not match) is left for the person to decide.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass

from ..check.numbering import initial_marker, is_standalone, marker_text
from ..check.punctuation import _DATE_CN, _DATE_ISO, _DATE_NUM, _DOC_NO, _TIME, _URL, _YEAR_CN
from ..check.textutil import CJK, HAN, cn_digits_to_int, cn_to_int


@dataclass(frozen=True)
class Change:
    """One change: ``paragraph`` is where it is (``段12`` as ``check`` counts the
    input's paragraphs), ``before``/``after`` the text around it, ``rule`` its name."""

    paragraph: str
    before: str
    after: str
    rule: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


#: rule id -> the name a secretary reads in the report
RULE_NAMES = {
    "doc-number": "文号括号与序号",
    "marker": "编号形式",
    "heading-stop": "标题末尾句号",
    "punctuation": "全角标点",
    "repeated": "重复标点",
    "date": "日期写法",
    "spaces": "多余空格",
    "empty": "删除空段落",
    "auto-number": "自动编号转为文字",
    "auto-number-twice": "自动编号与文字编号重复",
    "bullet": "去除项目符号",
    "line-break": "手动换行拆为段落",
    "title-merge": "标题合为一段",
    "imprint": "版记写法",
    "formatting": "格式按角色统一",
    "theme-font": "主题字体",
    "image": "图片",
    "order": "版记移至文末",
    "attachment-label": "附件标识写法",
    "signature-table": "甲乙双方署名排成两栏",
}

_CJK_RE = re.compile(f"[{CJK}]")
_HAN_RE = re.compile(f"[{HAN}]")
_WS = " \u3000\xa0\t"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _spans(text: str, *patterns: re.Pattern[str]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for rx in patterns:
        out.extend((m.start(), m.end()) for m in rx.finditer(text))
    return out


def _inside(i: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= i < b for a, b in spans)


# ------------------------------------------------------------------ rules


def fix_doc_number(text: str, kind: str) -> str:
    """``青安办[2024]第012号`` → ``青安办〔2024〕12号`` (year in 〔〕, no 第, no padding)."""

    def repl(m: re.Match[str]) -> str:
        # a masked year (20XX) stays as typed: check reports it as a placeholder
        return f"{m.group(1)}〔{m.group(4)}〕{int(m.group(8))}号"

    return _DOC_NO.sub(repl, text)


_NOTE_MARKER = re.compile(rf"^((?:附件[:：])?[{_WS}]*)(\d{{1,2}})[{_WS}]*[、.．][{_WS}]*")


def fix_marker(text: str, kind: str) -> str:
    """``1、`` → ``1.``, ``（一）、`` → ``（一）``, ``(1)`` → ``（1）``, ``一.`` → ``一、``;
    no space after a marker."""
    if kind == "attachment_note":  # 附件：1、任务分工表 → 附件：1.任务分工表
        return _NOTE_MARKER.sub(lambda m: f"{m.group(1)}{m.group(2)}.", text, count=1)
    if kind not in ("heading", "body"):
        return text
    m = initial_marker(text)
    if m is None or m.family not in ("cn_dun", "cn_paren", "num_dot", "num_paren"):
        return text
    right = marker_text(m.family, m.n)
    rest = text[m.end :]
    if m.wrong or rest[:1] in tuple(_WS):
        return text[: m.start] + right + rest.lstrip(_WS)
    return text


def fix_heading_stop(text: str, kind: str) -> str:
    """A level 1 or 2 heading on its own line carries no final ``。``."""
    if kind != "heading" or not text.endswith("。"):
        return text
    m = initial_marker(text)
    if m is None or m.family not in ("cn_dun", "cn_paren") or not is_standalone(text, m):
        return text
    return text[:-1]


_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}


def fix_punctuation(text: str, kind: str) -> str:
    """Half-width ``, ; : ! ? ( ) " .`` next to Chinese → full-width (the checker's E230)."""
    if not text or kind in ("header", "footer"):
        return text
    spans = _spans(text, _DOC_NO, _URL, _EMAIL, _TIME)
    chars = list(text)
    n = len(text)

    def cjk_near(i: int) -> bool:
        """A Chinese character next to position ``i``, across spaces."""
        a = i - 1
        while a >= 0 and text[a] in _WS:
            a -= 1
        b = i + 1
        while b < n and text[b] in _WS:
            b += 1
        return bool((a >= 0 and _CJK_RE.match(text[a])) or (b < n and _CJK_RE.match(text[b])))

    convert: set[int] = set()
    for i, c in enumerate(text):
        if _inside(i, spans):
            continue
        if c in ",;:!?" and cjk_near(i):
            convert.add(i)
        elif c == "." and i > 0 and _HAN_RE.match(text[i - 1]):
            after = text[i + 1] if i + 1 < n else ""
            if (after == "" or not after.isascii() or after == " ") and not after.isdigit():
                chars[i] = "。"
    # parentheses as pairs: a pair is converted when either side touches Chinese
    stack: list[int] = []
    for i, c in enumerate(text):
        if c == "(":
            stack.append(i)
        elif c == ")" and stack:
            j = stack.pop()
            if _inside(i, spans) or _inside(j, spans):
                continue
            inner = text[j + 1 : i]
            if cjk_near(j) or cjk_near(i) or _CJK_RE.search(inner):
                convert.update((i, j))
    for i in stack:
        if not _inside(i, spans) and cjk_near(i):
            convert.add(i)
    for i, c in enumerate(text):
        if c == ")" and i not in convert and not _inside(i, spans) and cjk_near(i):
            if "(" not in text[:i]:
                convert.add(i)
    for i in convert:
        chars[i] = _HALF_TO_FULL[text[i]]
    out = "".join(chars)
    # straight double quotes in Chinese text, as open/close pairs
    idx = [i for i, c in enumerate(out) if c == '"' and not _inside(i, spans)]
    if idx and any(cjk_near(i) for i in idx):
        chars = list(out)
        for k, i in enumerate(idx):  # open, close, open …: an odd last one opens
            chars[i] = "“" if k % 2 == 0 else "”"
        out = "".join(chars)
    return out


_REPEATED = re.compile(r"([，。；：、！？])\1+")


def fix_repeated(text: str, kind: str) -> str:
    """``。。`` → ``。``, ``，，`` → ``，`` (a mark typed twice; mixed pairs are left)."""
    return _REPEATED.sub(r"\1", text)


def _ymd(y: int | None, m: int | None, d: int | None) -> str:
    return (f"{y}年" if y else "") + (f"{m}月" if m else "") + (f"{d}日" if d else "")


def fix_date(text: str, kind: str) -> str:
    """``2024年01月05日`` ``2024 年 1 月`` ``2024-01-05`` ``二〇二四年一月五日`` → ``2024年1月5日``."""
    protected = _spans(text, _DOC_NO)

    def num(m: re.Match[str]) -> str:
        if _inside(m.start(), protected):
            return m.group(0)
        year, month, day = m.group(1), m.group(4), m.group(7)
        if year is None and day is None:
            return m.group(0)
        lead = m.group(0)[: len(m.group(0)) - len(m.group(0).lstrip(_WS))]
        return lead + _ymd(int(year) if year else None, int(month), int(day) if day else None)

    text = _DATE_NUM.sub(num, text)

    def cn(m: re.Match[str]) -> str:
        y = cn_digits_to_int(m.group(1)[:-1]) if m.group(1) else None
        mo, d = cn_to_int(m.group(2)), cn_to_int(m.group(3))
        if mo is None or d is None or not 1 <= mo <= 12 or not 1 <= d <= 31:
            return m.group(0)
        return _ymd(y, mo, d)

    text = _DATE_CN.sub(cn, text)

    def year_cn(m: re.Match[str]) -> str:
        y = cn_digits_to_int(m.group(1))
        return f"{y}年" if y else m.group(0)

    text = _YEAR_CN.sub(year_cn, text)

    def iso(m: re.Match[str]) -> str:
        mo, d = int(m.group(3)), int(m.group(4))
        if not (1 <= mo <= 12 and 1 <= d <= 31):
            return m.group(0)
        return _ymd(int(m.group(1)), mo, d)

    return _DATE_ISO.sub(iso, text)


_SPACE_RUN = re.compile(f"[{_WS}]+")
_LAYOUT_KINDS = frozenset({"table-cell", "subtitle", "signature", "date", "imprint"})


_CJK_PUNCT_RE = re.compile("[\u3000-\u303f\uff00-\uffef\u2018\u2019\u201c\u201d\u2014\u2026]")


def fix_spaces(text: str, kind: str) -> str:
    """Spaces a layout made: at the ends, between two Chinese characters, a run
    of several next to Chinese. A gap of several spaces between two words of a
    body line (``联系人：张三    电话：…``) separates two items: it becomes one
    full-width space, so the words do not run together. Inside table cells and
    under the title, spaces between the characters of a name (``张  三``) are kept."""
    out = text.strip(_WS)
    if kind in _LAYOUT_KINDS:
        return out
    keep_gaps = kind not in ("title", "heading", "attachment_title", "mark", "doc-number")

    def repl(m: re.Match[str]) -> str:
        a = out[m.start() - 1] if m.start() else ""
        b = out[m.end()] if m.end() < len(out) else ""
        ca, cb = bool(_CJK_RE.match(a)), bool(_CJK_RE.match(b))
        if ca and cb:
            gap = len(m.group(0)) > 1 or m.group(0) in ("\t", "\u3000")
            if keep_gaps and gap and not _CJK_PUNCT_RE.match(a) and not _CJK_PUNCT_RE.match(b):
                return "\u3000"
            return ""
        if ca or cb:
            s = m.group(0)
            if _CJK_PUNCT_RE.match(a) or _CJK_PUNCT_RE.match(b):
                return ""  # 「时间：\t2024年」: no space beside full-width punctuation
            if len(s) > 1 or s in ("\t", "\u3000"):
                return "" if (ca and not b.isalnum()) or (cb and not a.isalnum()) else " "
        return m.group(0)

    return _SPACE_RUN.sub(repl, out)


#: the text rules in the order they run
TEXT_RULES: tuple[tuple[str, Callable[[str, str], str]], ...] = (
    ("doc-number", fix_doc_number),
    ("marker", fix_marker),
    ("punctuation", fix_punctuation),
    ("repeated", fix_repeated),
    ("date", fix_date),
    ("spaces", fix_spaces),
    ("heading-stop", fix_heading_stop),
)


def apply_text_rules(text: str, kind: str, where: str, changes: list[Change]) -> str:
    """Run every text rule on ``text``; each one that changes it is recorded."""
    for rule, func in TEXT_RULES:
        new = func(text, kind)
        if new != text:
            changes.append(Change(where, text, new, RULE_NAMES[rule]))
            text = new
    return text
