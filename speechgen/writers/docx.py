"""The .docx writer: a :class:`~speechgen.model.Document` as a GB/T 9704 公文.

Every number of spec/FORMAT.md lives here. The OOXML is written as strings,
not through python-docx objects: the static parts of the package (styles,
settings, fonts, footers, relationships) depend only on :class:`FontSettings`
and are built and deflated once per process; each document costs only its own
``word/document.xml`` and ``docProps/core.xml``. The ZIP is written by hand
with fixed timestamps and a fixed entry order, so the same document always
gives the same bytes.

The static parts are deflated once with zlib at its best level; a document's own
parts, every time, with ISA-L (the ``isal`` package) at its level 1: about five
times faster than zlib's fastest level on a letter's 27 KB of XML (35 µs against
190 µs) and a little smaller. ISA-L gives the same bytes on every x86-64 with
SSE4.2 (its AVX2 and AVX-512 kernels agree); the same input gives the same file.

Units: twips (1/20 pt) for lengths, half-points for font sizes, eighths of a
point for border widths.
"""

from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass
from functools import lru_cache
from itertools import zip_longest

from isal import isal_zlib as _isal

from ..memo import Memo
from ..model import (
    Document,
    Heading,
    Image,
    Imprint,
    PageBreak,
    Paragraph,
    RedHeader,
    SignatureTable,
    Table,
)

# ---------------------------------------------------------------- settings


@dataclass(frozen=True)
class FontSettings:
    """Font family names written into the document: one font profile of
    spec/FORMAT.md v2 (``gb2312``, ``gbk``, ``windows``).

    Level 3 and 4 headings, tables, 版记 and inline item titles use ``body``;
    the speaker line and run-in level-2 headings use ``heading2`` (楷体); the
    table header and the 附件 label use ``heading1`` (黑体); the red header
    mark uses ``title``. ``fallbacks`` pairs a font name with the one the
    fontTable names in ``w:altName`` for a machine that lacks it.
    """

    title: str = "方正小标宋简体"
    body: str = "仿宋_GB2312"
    heading1: str = "黑体"
    heading2: str = "楷体_GB2312"
    page_number: str = "宋体"
    profile: str = "gb2312"
    fallbacks: tuple[tuple[str, str], ...] = (
        ("仿宋_GB2312", "仿宋"),
        ("楷体_GB2312", "楷体"),
        ("方正小标宋简体", "方正小标宋_GBK"),
        ("黑体", "SimHei"),
        ("宋体", "SimSun"),
    )

    def names(self) -> tuple[str, ...]:
        """The distinct font names of the profile, title first."""
        out: list[str] = []
        for name in (self.title, self.body, self.heading1, self.heading2, self.page_number):
            if name not in out:
                out.append(name)
        return tuple(out)


#: The font profiles of spec/FORMAT.md v2, by the name ``--fonts`` and ``fonts:`` take.
FONT_PROFILES: dict[str, FontSettings] = {
    "gb2312": FontSettings(),
    "gbk": FontSettings(
        title="方正小标宋_GBK",
        body="方正仿宋_GBK",
        heading1="方正黑体_GBK",
        heading2="方正楷体_GBK",
        profile="gbk",
        fallbacks=(
            ("方正仿宋_GBK", "仿宋"),
            ("方正楷体_GBK", "楷体"),
            ("方正小标宋_GBK", "方正小标宋简体"),
            ("方正黑体_GBK", "黑体"),
            ("宋体", "SimSun"),
        ),
    ),
    "windows": FontSettings(
        title="方正小标宋简体",
        body="仿宋",
        heading1="黑体",
        heading2="楷体",
        profile="windows",
        fallbacks=(
            ("仿宋", "FangSong"),
            ("楷体", "KaiTi"),
            ("方正小标宋简体", "宋体"),
            ("黑体", "SimHei"),
            ("宋体", "SimSun"),
        ),
    ),
}
DEFAULT_PROFILE = "gb2312"

#: Font class of each name for the fontTable's ``w:family`` (roman: 宋/仿宋/小标宋,
#: swiss: 黑, script: 楷) and the PANOSE numbers of the two Windows system fonts
#: whose values are known here; other fonts carry no ``w:panose1``.
_FAMILY_OF = (("黑", "swiss"), ("楷", "script"))
_PANOSE = {"宋体": "02010600030101010101", "黑体": "02010609060101010101"}


def font_settings(profile: str | None) -> FontSettings:
    """The :class:`FontSettings` of a profile name (None or "" → the default)."""
    return FONT_PROFILES[profile or DEFAULT_PROFILE]


DEFAULT_FONTS = FONT_PROFILES[DEFAULT_PROFILE]

# ---------------------------------------------------------------- geometry

PAGE_W, PAGE_H = 11906, 16838  # A4
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 2098, 1984, 1587, 1474
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # 8845 twips = 156 mm 版心
HEADER_DISTANCE = 851  # 15 mm; no header is written
FOOTER_DISTANCE = 1424  # 25.1 mm: the dashes sit 7 mm below the 版心 (measured)

LINE = 579  # 28.95 pt exact: 22 lines a page
TITLE_LINE = 700  # 35 pt exact for 二号 titles
BLANK = LINE  # one blank line, written as spacing before/after
CHAR = 320  # one 三号 character
CHAR4 = 280  # one 四号 character
BODY_RUN_SPACING = -5  # −0.25 pt: 28 characters a line
SZ_TITLE = 44  # 二号
SZ_BODY = 32  # 三号
SZ_SMALL = 28  # 四号 (版记, tables, page number)
SZ_TABLE = 28
CELL_MARGIN = 85  # 1.5 mm left and right in table cells
RED = "FF0000"
MARK_TOP = 1896  # glyph top of the 发文机关标志 35 mm below the 版心 top (measured)
MARK_MAX_PT = 44.0  # mark size for short names; shrinks to keep one line
MARK_MIN_PT = 36.0  # below this the glyphs are narrowed instead
MARK_WIDTH_PT = 430.0  # of the 442 pt 版心, leaving a little air
RULE_GAP = 110  # height of the red-rule paragraph: rule 4 mm under the 发文字号 glyphs
SIGNATURE_GAP = 2 * BLANK  # room for the seal above 署名
TEXT_HEIGHT = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM  # 12756 twips: the 版心's 225 mm

# Characters whose glyph class Word guesses wrong without w:hint="eastAsia".
_HINT_CHARS = frozenset("“”‘’—…·")
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# ---------------------------------------------------------------- xml bits

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _esc(text: str) -> str:
    """Escape text for element content and attribute values."""
    if _BAD_XML.search(text):
        text = _BAD_XML.sub("", text)
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&apos;")
    )


def _rpr(
    font: str,
    sz: int,
    *,
    spacing: int = 0,
    color: str = "",
    scale: int = 100,
    hint: bool = False,
) -> str:
    h = ' w:hint="eastAsia"' if hint else ""
    f = _esc(font)
    parts = [f'<w:rPr><w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:eastAsia="{f}" w:cs="{f}"{h}/>']
    if color:
        parts.append(f'<w:color w:val="{color}"/>')
    if spacing:
        parts.append(f'<w:spacing w:val="{spacing}"/>')
    if scale != 100:
        parts.append(f'<w:w w:val="{scale}"/>')
    parts.append(f'<w:sz w:val="{sz}"/><w:szCs w:val="{sz}"/>')
    parts.append('<w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr>')
    return "".join(parts)


def _spacing(before: int, after: int, line: int, exact: bool = True) -> str:
    rule = "exact" if exact else "auto"
    return f'<w:spacing w:before="{before}" w:after="{after}" w:line="{line}" w:lineRule="{rule}"/>'


#: Spans that never break across lines (spec/FORMAT.md v2): a phone number, a
#: 发文字号 (with up to four characters of its issuer's short name), a date and a
#: number with its unit. Tested with LibreOffice 7.4: it breaks after the hyphen
#: of ``0571-12345678`` even with ``w:noBreakHyphen``, but not when U+2060 WORD
#: JOINER follows the hyphen; it breaks between any two Chinese characters (and
#: between a digit and one) even with U+2060 or custom kinsoku lists between
#: them, but never inside a ruby base, and Word keeps a ruby whole too. So an
#: all-ASCII span gets a word joiner after each hyphen, and a span with Chinese
#: characters is written as a ruby with an empty annotation.
_DIGIT = r"\d"  # every span of NOBREAK holds one: a text without any has none
_A_DIGIT = re.compile(_DIGIT)
_UNITS = (
    "个百分点|万元|亿元|万人|人次|公里|千米|小时|万|亿|元|%|‰|人|起|家|处|个|项|次|条|台|辆|名"
    "|座|所|户|吨|米|天|倍|份|号|批|场|期|块|辆次|架次"
)
_NOBREAK_DIGITS = (  # the spans that start with a digit (all but a 发文字号)
    r"(?:0\d{2,3}-)?\d{7,8}(?:-\d{1,4})?(?!\d)"  # 0571-12345678, 12345678
    r"|1[3-9]\d{9}(?!\d)"  # a mobile number
    r"|\d{3,4}-\d{3,4}-\d{4}(?!\d)"  # 400-123-4567
    r"|\d{4}年\d{1,2}月\d{1,2}日|\d{4}年\d{1,2}月|\d{1,2}月\d{1,2}日|\d{4}年"
    rf"|\d+(?:\.\d+)?(?:{_UNITS})"
)
NOBREAK = re.compile(
    rf"(?<![\d.])(?:(?={_DIGIT})(?:{_NOBREAK_DIGITS})"
    r"|[\u4e00-\u9fff]{0,4}〔\d{4}〕第?\d+号)"  # 青安办〔2024〕12号
)
#: :data:`NOBREAK` for a text without 〔 (no 发文字号 can match): the same spans, each
#: starting at a digit, so looked for from the text's first digit on
_NOBREAK_PLAIN = re.compile(rf"(?<![\d.])(?={_DIGIT})(?:{_NOBREAK_DIGITS})")


def nobreak_spans(text: str) -> list[re.Match[str]]:
    """The :data:`NOBREAK` spans of ``text``, in order (a text without a digit has none:
    the usual paragraph is passed by one scan, not the pattern at every character)."""
    first = _A_DIGIT.search(text)
    if first is None:
        return []
    if "〔" in text:  # a 发文字号 starts up to four characters before its digits
        return list(NOBREAK.finditer(text))
    return list(_NOBREAK_PLAIN.finditer(text, first.start()))


def _ruby(rpr: str, sz: int, text: str) -> str:
    """One unbreakable span: the text as a ruby base under an empty annotation."""
    return (
        f'<w:r>{rpr}<w:ruby><w:rubyPr><w:rubyAlign w:val="left"/><w:hps w:val="2"/>'
        f'<w:hpsRaise w:val="{sz}"/><w:hpsBaseText w:val="{sz}"/><w:lid w:val="zh-CN"/>'
        f"</w:rubyPr><w:rt><w:r>{rpr}<w:t></w:t></w:r></w:rt><w:rubyBase>"
        f'<w:r>{rpr}<w:t xml:space="preserve">{_esc(text)}</w:t></w:r></w:rubyBase></w:ruby></w:r>'
    )


WORD_JOINER = "\u2060"
RUN_MEMO = 1024  # texts whose run XML one style keeps (memory stays bounded)
PARA_MEMO = 1024  # paragraphs whose XML the writer keeps


class _Run:
    """The two run-property strings of one text style (with and without hint).

    ``keep`` runs (running body text) write the :data:`NOBREAK` spans of their
    text unbreakable; short lines that never wrap (署名, 成文日期, 版记) need not."""

    __slots__ = ("plain", "hinted", "sz", "keep", "_memo")

    def __init__(self, font: str, sz: int, *, keep: bool = False, **kw: object) -> None:
        self.plain = _rpr(font, sz, **kw)  # type: ignore[arg-type]
        self.hinted = _rpr(font, sz, hint=True, **kw)  # type: ignore[arg-type]
        self.sz = sz
        self.keep = keep
        self._memo: Memo[str, str] = Memo(RUN_MEMO)

    def run(self, text: str) -> str:
        """The ``w:r`` elements holding ``text`` (tabs and line breaks become elements).

        The XML is a function of the text and this style alone, so it is kept
        (a :class:`~speechgen.memo.Memo` of :data:`RUN_MEMO` texts a style): the
        letters of a batch repeat most of their paragraphs."""
        got = self._memo.get(text)
        if got is None and (got := self._memo.recall(text)) is None:
            got = self._memo.keep(text, self._build(text))
        return got

    def _build(self, text: str) -> str:
        spans = nobreak_spans(text) if self.keep and "\n" not in text else None
        if not spans:
            return self._plain_run(text)
        out: list[str] = []
        pending = ""
        pos = 0
        for m in spans:
            span = m.group(0)
            pending += text[pos : m.start()]
            pos = m.end()
            if span.isascii():
                pending += span.replace("-", "-" + WORD_JOINER)
                continue
            if pending:
                out.append(self._plain_run(pending))
                pending = ""
            rpr = self.plain if _HINT_CHARS.isdisjoint(span) else self.hinted
            out.append(_ruby(rpr, self.sz, span))
        pending += text[pos:]
        if pending:
            out.append(self._plain_run(pending))
        return "".join(out)

    def _plain_run(self, text: str) -> str:
        rpr = self.plain if _HINT_CHARS.isdisjoint(text) else self.hinted
        if "\n" in text or "\t" in text:
            inner = []
            for i, line in enumerate(text.split("\n")):
                if i:
                    inner.append("<w:br/>")
                for j, piece in enumerate(line.split("\t")):
                    if j:
                        inner.append("<w:tab/>")
                    if piece:
                        inner.append(f'<w:t xml:space="preserve">{_esc(piece)}</w:t>')
            return f"<w:r>{rpr}{''.join(inner)}</w:r>"
        return f'<w:r>{rpr}<w:t xml:space="preserve">{_esc(text)}</w:t></w:r>'


class _Para:
    """Paragraph properties of one role; spacing before/after vary per use."""

    __slots__ = ("style", "keep", "line", "exact", "ind", "jc", "run", "_cache")

    def __init__(
        self,
        style: str,
        run: _Run,
        *,
        ind: str = "",
        jc: str = "both",
        line: int = LINE,
        exact: bool = True,
        keep_next: bool = False,
    ) -> None:
        self.style = f'<w:pStyle w:val="{style}"/>' if style else ""
        self.keep = "<w:keepNext/><w:keepLines/>" if keep_next else ""
        self.line = line
        self.exact = exact
        self.ind = ind
        self.jc = f'<w:jc w:val="{jc}"/>'
        self.run = run
        self._cache: dict[tuple[int, int, bool], str] = {}

    def ppr(self, before: int = 0, after: int = 0, page_break: bool = False) -> str:
        key = (before, after, page_break)
        got = self._cache.get(key)
        if got is None:
            pb = "<w:pageBreakBefore/>" if page_break else ""
            got = (
                f"<w:pPr>{self.style}{self.keep}{pb}"
                f"{_spacing(before, after, self.line, self.exact)}{self.ind}{self.jc}</w:pPr>"
            )
            self._cache[key] = got
        return got


_IND_FIRST2 = '<w:ind w:firstLineChars="200" w:firstLine="640"/>'
_IND_NONE = '<w:ind w:left="0" w:right="0" w:firstLine="0"/>'
_IND_RIGHT4 = '<w:ind w:rightChars="400" w:right="1280"/>'
# 附件说明 continuation lines align with the name after 「附件：」: the usual
# two-character first-line indent plus 「附件：」 (a body character advances
# 15.75 pt because of the −0.25 pt run spacing).
NOTE_CONT_LEFT = 3 * 315  # twips; shared with the html preview
_IND_NOTE_CONT = f'<w:ind w:left="{NOTE_CONT_LEFT}" w:firstLineChars="200" w:firstLine="640"/>'


class _Kit:
    """Everything built once per :class:`FontSettings`: run and paragraph
    properties of every role and the deflated static package parts."""

    def __init__(self, fonts: FontSettings) -> None:
        self.fonts = fonts
        body = _Run(fonts.body, SZ_BODY, spacing=BODY_RUN_SPACING, keep=True)
        line = _Run(fonts.body, SZ_BODY, spacing=BODY_RUN_SPACING)  # lines that never wrap
        title = _Run(fonts.title, SZ_TITLE)
        kai = _Run(fonts.heading2, SZ_BODY, spacing=BODY_RUN_SPACING, keep=True)
        kai_line = _Run(fonts.heading2, SZ_BODY, spacing=BODY_RUN_SPACING)
        hei = _Run(fonts.heading1, SZ_BODY, spacing=BODY_RUN_SPACING, keep=True)
        hei_line = _Run(fonts.heading1, SZ_BODY, spacing=BODY_RUN_SPACING)
        self.kai = kai

        self.roles: dict[str, _Para] = {
            "body": _Para("", body, ind=_IND_FIRST2),
            "closing": _Para("", body, ind=_IND_FIRST2),
            "title": _Para(
                "Title", title, ind=_IND_NONE, jc="center", line=TITLE_LINE, keep_next=True
            ),
            "subtitle": _Para("Subtitle", kai_line, ind=_IND_NONE, jc="center", keep_next=True),
            "salutation": _Para("", body, ind=_IND_NONE),
            "addressee": _Para("", body, ind=_IND_NONE),
            "attachment_note": _Para("", body, ind=_IND_FIRST2),
            "signature": _Para("", line, ind=_IND_RIGHT4, jc="right", keep_next=True),
            "date": _Para("", line, ind=_IND_RIGHT4, jc="right"),
            "attachment_label": _Para("", hei_line, ind=_IND_NONE, jc="left", keep_next=True),
            "attachment_title": _Para(
                "Title", title, ind=_IND_NONE, jc="center", line=TITLE_LINE, keep_next=True
            ),
        }
        self.note_cont = _Para("", body, ind=_IND_NOTE_CONT, jc="left")
        self.headings = {
            1: _Para("Heading1", hei, ind=_IND_FIRST2, keep_next=True),
            2: _Para("Heading2", kai, ind=_IND_FIRST2, keep_next=True),
            3: _Para("Heading3", body, ind=_IND_FIRST2, keep_next=True),
            4: _Para("Heading4", body, ind=_IND_FIRST2, keep_next=True),
        }
        # red header
        self.doc_number = _Para("", _Run(fonts.body, SZ_BODY), ind=_IND_NONE, jc="center")
        self._marks: dict[str, tuple[str, str]] = {}
        # tables
        self.cell_run = _Run(fonts.body, SZ_TABLE)
        self.head_run = _Run(fonts.heading1, SZ_TABLE)
        self.cell_ppr = {
            jc: f"<w:pPr>{_spacing(0, 0, 240, exact=False)}{_IND_NONE}<w:jc w:val='{jc}'/></w:pPr>"
            for jc in ("left", "center", "both")
        }
        self.sign_para = _Para("", line, ind=_IND_NONE, jc="left")
        # 版记
        self.imprint_run = _Run(fonts.body, SZ_SMALL)
        self.entries = _static_entries(fonts)
        #: the XML of the paragraphs written so far, by everything it depends on
        #: (:func:`_document_xml`; bounded by PARA_MEMO)
        self.paragraphs: Memo[tuple, bytes] = Memo(PARA_MEMO)

    def mark(self, text: str) -> tuple[str, str]:
        """(pPr, rPr) of the red 发文机关标志, fitted to one line."""
        got = self._marks.get(text)
        if got is None:
            size, scale = mark_size(text)
            sz = round(size * 2)
            line = round(size * 20 * 1.25)
            ppr = (
                f"<w:pPr><w:keepNext/>{_spacing(MARK_TOP, 0, line)}{_IND_NONE}"
                f'<w:jc w:val="center"/></w:pPr>'
            )
            rpr = _rpr(
                self.fonts.title,
                sz,
                color=RED,
                scale=scale,
                hint=not _HINT_CHARS.isdisjoint(text),
            )
            got = (ppr, rpr)
            if len(self._marks) < 256:
                self._marks[text] = got
        return got


def mark_size(text: str) -> tuple[float, int]:
    """Font size (pt) and glyph width scale (%) that keep the mark on one line."""
    width = sum(0.5 if ord(c) < 0x2E80 else 1.0 for c in text) or 1.0
    size = min(MARK_MAX_PT, MARK_WIDTH_PT / width)
    size = max(MARK_MIN_PT, int(size * 2) / 2)
    scale = min(100, int(MARK_WIDTH_PT / (width * size) * 100))
    return size, max(scale, 50)


# ---------------------------------------------------------------- titles

TITLE_EMS = TEXT_W / 20 / (SZ_TITLE / 2)  # 20.1 二号 characters a line
_OPENING = frozenset("（《〈「『“‘〔【")
_CLOSING = frozenset("，。、；：！？）》〉」』”’〕】…—%％")
_BREAK_AFTER = ("关于", "季度", "年度", "会议上", "大会上", "》", "〉", "印发", "转发", "人民政府", "办公室", "委员会")  # fmt: skip
_BREAK_BEFORE = (
    "安全生产", "重点", "专项", "目标责任书", "实施方案", "工作方案", "工作会议", "暨",
    "的通知", "的讲话", "的意见", "的报告", "的决定", "的批复", "的通报", "的函", "《", "〈",
)  # fmt: skip


_NARROW = re.compile("[\x00-\u2e7f]")  # what _ems counts as ASCII-like
_EMS: Memo[str, float] = Memo(PARA_MEMO)  # widths of the texts seen


def _ems(text: str) -> float:
    """Rendered width in ems: ASCII is about half a character, and Word and
    LibreOffice add a fifth of an em between Chinese and Western characters."""
    got = _EMS.get(text)
    if got is None and (got := _EMS.recall(text)) is None:
        got = _EMS.keep(text, float(len(text)) if _NARROW.search(text) is None else _measure(text))
    return got


def _measure(text: str) -> float:
    # the leading run of wide characters adds 1.0 a character to 0.0: exactly its length
    # (a name is mostly that run); from the first narrow character on, character by character
    first = _NARROW.search(text)
    k = first.start() if first is not None else len(text)
    width = float(k)
    prev_ascii: bool | None = False if k else None
    for c in text[k:]:
        is_ascii = ord(c) < 0x2E80
        width += 0.55 if is_ascii else 1.0
        if prev_ascii is not None and is_ascii != prev_ascii:
            width += 0.2
        prev_ascii = is_ascii
    return width


_SOFT_AFTER = frozenset("的和与及暨、")


def _break_tier(text: str, i: int) -> int:
    """0: a known word boundary; 1: the same inside a quoted name, or after
    的/和/与/及; 2: any other place between two characters."""
    head, tail = text[:i], text[i:]
    known = (
        any(head.endswith(t) for t in _BREAK_AFTER)
        or any(tail.startswith(t) for t in _BREAK_BEFORE)
        # 「2024年」 then a new word (not 年度)
        or (head.endswith("年") and len(head) > 1 and head[-2].isdigit() and tail[0] != "度")
    )
    quoted = head.count("《") > head.count("》") or head.count("“") > head.count("”")
    if known:
        return 1 if quoted else 0
    return 1 if head[-1] in _SOFT_AFTER else 2


@lru_cache(maxsize=1024)
def title_lines(text: str) -> tuple[str, ...]:
    """A title too long for one 二号 line, broken in two at a word boundary.

    GB/T 9704 wants multi-line titles broken between words and shaped as a
    trapezoid; the writer picks the most even break among the word boundaries
    it knows (``关于…|…的通知``), the upper line the longer. Explicit line
    breaks in the text are kept; a title too long for two lines is left to
    the renderer.
    """
    if "\n" in text or _ems(text) <= TITLE_EMS:
        return (text,)
    best: tuple[int, float, int] | None = None
    for i in range(1, len(text)):
        a, b = text[i - 1], text[i]
        if (
            b in _CLOSING
            or a in _OPENING
            or (a.isascii() and a.isalnum() and b.isascii() and b.isalnum())
        ):
            continue
        wa, wb = _ems(text[:i]), _ems(text[i:])
        if wa > TITLE_EMS or wb > TITLE_EMS:
            continue
        score = (_break_tier(text, i), abs(wa - wb) + (0.5 if wa < wb else 0.0), i)
        if best is None or score < best:
            best = score
    if best is None:
        return (text,)
    i = best[2]
    return (text[:i], text[i:])


@lru_cache(maxsize=8)
def _kit(fonts: FontSettings) -> _Kit:
    return _Kit(fonts)


# ---------------------------------------------------------------- static parts

_CONTENT_TYPES = (
    XML_DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/webSettings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.webSettings+xml"/>'
    '<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>'
    '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    '<Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    '<Override PartName="/word/footer3.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)

_PKG_RELS = (
    XML_DECL
    + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)

_DOC_RELS = (
    XML_DECL
    + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/webSettings" Target="webSettings.xml"/>'
    '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>'
    '<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>'
    '<Relationship Id="rId6" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/>'
    '<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer3.xml"/>'
    "</Relationships>"
)

_APP = (
    XML_DECL
    + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>speechgen</Application><DocSecurity>0</DocSecurity></Properties>"
)

_SETTINGS = (
    XML_DECL + f'<w:settings xmlns:w="{W_NS}">'
    '<w:zoom w:percent="100"/>'
    '<w:defaultTabStop w:val="420"/>'
    "<w:evenAndOddHeaders/>"
    '<w:characterSpacingControl w:val="doNotCompress"/>'
    "<w:compat>"
    '<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>'
    "</w:compat>"
    '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>'
    '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/>'
    "</w:settings>"
)

_WEB_SETTINGS = (
    XML_DECL
    + f'<w:webSettings xmlns:w="{W_NS}"><w:optimizeForBrowser/><w:allowPNG/></w:webSettings>'
)


def _styles(fonts: FontSettings) -> str:
    def rfonts(f: str) -> str:
        f = _esc(f)
        return f'<w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:eastAsia="{f}" w:cs="{f}"/>'

    def pstyle(
        sid: str,
        name: str,
        font: str,
        sz: int,
        *,
        jc: str = "both",
        line: int = LINE,
        ind: str = _IND_FIRST2,
        outline: int = -1,
        keep: bool = False,
        spacing: int = BODY_RUN_SPACING,
    ) -> str:
        k = "<w:keepNext/><w:keepLines/>" if keep else ""
        ol = f'<w:outlineLvl w:val="{outline}"/>' if outline >= 0 else ""
        sp = f'<w:spacing w:val="{spacing}"/>' if spacing else ""
        return (
            f'<w:style w:type="paragraph" w:styleId="{sid}"><w:name w:val="{name}"/>'
            '<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>'
            f"<w:pPr>{k}{_spacing(0, 0, line)}{ind}<w:jc w:val='{jc}'/>{ol}</w:pPr>"
            f'<w:rPr>{rfonts(font)}{sp}<w:sz w:val="{sz}"/><w:szCs w:val="{sz}"/></w:rPr>'
            "</w:style>"
        )

    lang = '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
    return (
        XML_DECL + f'<w:styles xmlns:w="{W_NS}">'
        "<w:docDefaults>"
        f'<w:rPrDefault><w:rPr>{rfonts(fonts.body)}<w:kern w:val="2"/>'
        f'<w:sz w:val="{SZ_BODY}"/><w:szCs w:val="{SZ_BODY}"/>{lang}</w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:widowControl w:val="0"/>'
        f"{_spacing(0, 0, LINE)}<w:jc w:val='both'/></w:pPr></w:pPrDefault>"
        "</w:docDefaults>"
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        '<w:qFormat/><w:pPr><w:widowControl w:val="0"/>'
        f"{_spacing(0, 0, LINE)}<w:jc w:val='both'/></w:pPr>"
        f'<w:rPr>{rfonts(fonts.body)}<w:sz w:val="{SZ_BODY}"/><w:szCs w:val="{SZ_BODY}"/></w:rPr>'
        "</w:style>"
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>'
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
        '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr></w:style>"
        + pstyle(
            "Title",
            "Title",
            fonts.title,
            SZ_TITLE,
            jc="center",
            line=TITLE_LINE,
            ind=_IND_NONE,
            keep=True,
            spacing=0,
        )
        + pstyle("Subtitle", "Subtitle", fonts.heading2, SZ_BODY, jc="center", ind=_IND_NONE)
        + pstyle("Heading1", "heading 1", fonts.heading1, SZ_BODY, outline=0, keep=True)
        + pstyle("Heading2", "heading 2", fonts.heading2, SZ_BODY, outline=1, keep=True)
        + pstyle("Heading3", "heading 3", fonts.body, SZ_BODY, outline=2, keep=True)
        + pstyle("Heading4", "heading 4", fonts.body, SZ_BODY, outline=3, keep=True)
        + pstyle(
            "Footer",
            "footer",
            fonts.page_number,
            SZ_SMALL,
            jc="right",
            line=240,
            ind=_IND_NONE,
            spacing=0,
        ).replace('w:lineRule="exact"', 'w:lineRule="auto"')
        + "</w:styles>"
    )


def _font_table(fonts: FontSettings) -> str:
    """Every font of the profile with its fallback (``w:altName``), GB2312 charset,
    font class and, where known, PANOSE numbers."""
    alt = dict(fonts.fallbacks)
    out = [XML_DECL, f'<w:fonts xmlns:w="{W_NS}">']
    for name in fonts.names():
        a = f'<w:altName w:val="{_esc(alt[name])}"/>' if name in alt else ""
        pan = f'<w:panose1 w:val="{_PANOSE[name]}"/>' if name in _PANOSE else ""
        family = next((f for key, f in _FAMILY_OF if key in name), "roman")
        out.append(
            f'<w:font w:name="{_esc(name)}">{a}{pan}<w:charset w:val="86"/>'
            f'<w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>'
        )
    out.append("</w:fonts>")
    return "".join(out)


#: The footer of the 版记 section: the 版记 page and a blank page before it carry no number.
_EMPTY_FOOTER = (
    XML_DECL + f'<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:p><w:pPr><w:pStyle w:val="Footer"/>'
    f"{_spacing(0, 0, 240, exact=False)}</w:pPr></w:p></w:ftr>"
)


def _footer(fonts: FontSettings, odd: bool) -> str:
    """Page number ``— N —``: odd pages right, even pages left, one 四号 character in."""
    plain = _rpr(fonts.page_number, SZ_SMALL)
    hinted = _rpr(fonts.page_number, SZ_SMALL, hint=True)
    ind = f'<w:ind w:right="{CHAR4}"/>' if odd else f'<w:ind w:left="{CHAR4}"/>'
    jc = "right" if odd else "left"
    return (
        XML_DECL + f'<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:p><w:pPr>'
        f'<w:pStyle w:val="Footer"/>{_spacing(0, 0, 240, exact=False)}{ind}<w:jc w:val="{jc}"/>'
        "</w:pPr>"
        f'<w:r>{hinted}<w:t xml:space="preserve">— </w:t></w:r>'
        f'<w:r>{plain}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{plain}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        f'<w:r>{plain}<w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r>{plain}<w:t>1</w:t></w:r>"
        f'<w:r>{plain}<w:fldChar w:fldCharType="end"/></w:r>'
        f'<w:r>{hinted}<w:t xml:space="preserve"> —</w:t></w:r>'
        "</w:p></w:ftr>"
    )


# ---------------------------------------------------------------- zip

_DOS_TIME = 0
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL_HEAD = struct.Struct("<IHHHHHHIIIHHHHHI")  # a central record up to its offset
_OFFSET = struct.Struct("<I")
_END = struct.Struct("<IHHHHIIH")


class _Entry:
    """A deflated part with its zip records: ``local`` (header, name, data) as it is
    written, ``central`` its central directory record up to the offset (which
    depends on the parts before it: :func:`_zip` adds it and the name)."""

    __slots__ = ("name", "crc", "data", "size", "local", "central")

    def __init__(self, name: str, raw: bytes, fast: bool = False) -> None:
        self.name = name.encode("ascii")
        if fast:  # a document's own part: every document pays it
            self.crc = _isal.crc32(raw)
            # ISA-L's level 0: a letter's document.xml (27 KB) in 20 us against 38 at
            # level 1, which builds its Huffman tables for every part (4.0 KB against
            # 3.3 KB deflated; the .docx 9.9 KB against 9.2)
            self.data = _isal.compress(raw, 0, -15)
        else:  # a static part: once a process
            self.crc = zlib.crc32(raw)
            co = zlib.compressobj(9, zlib.DEFLATED, -15)
            self.data = co.compress(raw) + co.flush()
        self.size = len(raw)
        n, packed = len(self.name), len(self.data)
        self.local = (
            _LOCAL.pack(
                0x04034B50, 20, 0, 8, _DOS_TIME, _DOS_DATE, self.crc, packed, self.size, n, 0
            )
            + self.name
            + self.data
        )
        self.central = _CENTRAL_HEAD.pack(
            0x02014B50,
            20,
            20,
            0,
            8,
            _DOS_TIME,
            _DOS_DATE,
            self.crc,
            packed,
            self.size,
            n,
            0,
            0,
            0,
            0,
            0,
        )


def _static_entries(fonts: FontSettings) -> dict[str, _Entry]:
    parts = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": _PKG_RELS,
        "docProps/app.xml": _APP,
        "word/_rels/document.xml.rels": _DOC_RELS,
        "word/styles.xml": _styles(fonts),
        "word/settings.xml": _SETTINGS,
        "word/webSettings.xml": _WEB_SETTINGS,
        "word/fontTable.xml": _font_table(fonts),
        "word/footer1.xml": _footer(fonts, odd=True),
        "word/footer2.xml": _footer(fonts, odd=False),
        "word/footer3.xml": _EMPTY_FOOTER,
    }
    return {name: _Entry(name, text.encode("utf-8")) for name, text in parts.items()}


_ORDER = (
    "[Content_Types].xml",
    "_rels/.rels",
    "docProps/core.xml",
    "docProps/app.xml",
    "word/document.xml",
    "word/_rels/document.xml.rels",
    "word/styles.xml",
    "word/settings.xml",
    "word/webSettings.xml",
    "word/fontTable.xml",
    "word/footer1.xml",
    "word/footer2.xml",
    "word/footer3.xml",
)


def _zip(entries: list[_Entry]) -> bytes:
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for e in entries:
        out.append(e.local)
        central.append(e.central + _OFFSET.pack(offset) + e.name)
        offset += len(e.local)
    cd = b"".join(central)
    out.append(cd)
    out.append(_END.pack(0x06054B50, 0, 0, len(entries), len(entries), len(cd), offset, 0))
    return b"".join(out)


# ---------------------------------------------------------------- images

_IMAGE_TYPES = {
    "png": "image/png",
    "jpeg": "image/jpeg",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "bmp": "image/bmp",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "emf": "image/x-emf",
    "wmf": "image/x-wmf",
    "svg": "image/svg+xml",
}
EMU_PER_TWIP = 635


def _image_ext(b: Image) -> str:
    ext = re.sub(r"[^a-z0-9]", "", b.ext.lower())[:8]
    return ext or "bin"


def _media_name(i: int, b: Image) -> str:
    return f"word/media/image{i}.{_image_ext(b)}"


def _image_parts(images: list[Image]) -> dict[str, _Entry]:
    """Media files, and the relationships and content types that name them."""
    exts = sorted({_image_ext(b) for b in images})
    defaults = "".join(
        f'<Default Extension="{e}" ContentType="{_IMAGE_TYPES.get(e, "application/octet-stream")}"/>'
        for e in exts
    )
    types = _CONTENT_TYPES.replace("<Override ", defaults + "<Override ", 1)
    rels = _DOC_RELS.replace(
        "</Relationships>",
        "".join(
            f'<Relationship Id="rIdImg{i}" Type="http://schemas.openxmlformats.org/'
            f'officeDocument/2006/relationships/image" Target="media/image{i}.{_image_ext(b)}"/>'
            for i, b in enumerate(images, start=1)
        )
        + "</Relationships>",
    )
    out = {
        "[Content_Types].xml": _Entry("[Content_Types].xml", types.encode("utf-8")),
        "word/_rels/document.xml.rels": _Entry(
            "word/_rels/document.xml.rels", rels.encode("utf-8")
        ),
    }
    for i, b in enumerate(images, start=1):
        name = _media_name(i, b)
        out[name] = _Entry(name, b.data, fast=True)
    return out


def _image(b: Image, n: int, add, page_break: bool) -> None:
    """An inline picture centred on a line of its own, at most the 版心 wide."""
    max_w = TEXT_W * EMU_PER_TWIP
    w, h = max(b.width, 1), max(b.height, 1)
    if w > max_w:
        w, h = max_w, max(1, h * max_w // w)
    pb = "<w:pageBreakBefore/>" if page_break else ""
    name = _esc(b.name or f"图片{n}")
    add(
        f"<w:p><w:pPr><w:keepNext/>{pb}{_spacing(0, 0, 240, exact=False)}{_IND_NONE}"
        '<w:jc w:val="center"/></w:pPr><w:r><w:drawing>'
        '<wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{w}" cy="{h}"/><wp:docPr id="{n}" name="{name}"/>'
        '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:nvPicPr><pic:cNvPr id="{n}" name="{name}"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="rIdImg{n}"/><a:stretch><a:fillRect/></a:stretch>'
        "</pic:blipFill><pic:spPr>"
        f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{w}" cy="{h}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
        "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )


# ---------------------------------------------------------------- per document

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DEFAULT_DATE = "2024-01-01"


def _meta(doc: Document, key: str) -> str:
    value = doc.meta.get(key)
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return str(value)


def _core(doc: Document) -> str:
    """Document properties from ``doc.meta`` (title, author or creator, subject,
    keywords, date); the timestamps are the document's date, never the clock."""
    title = _meta(doc, "title") or next(
        (b.full_text for b in doc.blocks if isinstance(b, Paragraph) and b.role == "title"), ""
    )
    creator = _meta(doc, "creator") or _meta(doc, "author")
    date = _meta(doc, "date")[:10]
    if not _DATE_RE.match(date):
        date = DEFAULT_DATE
    stamp = f"{date}T00:00:00Z"
    return (
        XML_DECL
        + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_esc(title)}</dc:title>"
        f"<dc:subject>{_esc(_meta(doc, 'subject'))}</dc:subject>"
        f"<dc:creator>{_esc(creator)}</dc:creator>"
        f"<cp:keywords>{_esc(_meta(doc, 'keywords'))}</cp:keywords>"
        "<dc:language>zh-CN</dc:language>"
        f"<cp:lastModifiedBy>{_esc(creator)}</cp:lastModifiedBy>"
        "<cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )


_PG = (
    f'<w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}"/>'
    f'<w:pgMar w:top="{MARGIN_TOP}" w:right="{MARGIN_RIGHT}" w:bottom="{MARGIN_BOTTOM}" '
    f'w:left="{MARGIN_LEFT}" w:header="{HEADER_DISTANCE}" w:footer="{FOOTER_DISTANCE}" w:gutter="0"/>'
    '<w:cols w:space="425"/>'
)
_SECT_PR = (
    '<w:sectPr><w:footerReference w:type="default" r:id="rId5"/>'
    f'<w:footerReference w:type="even" r:id="rId6"/>{_PG}</w:sectPr>'
)
# The 版记 section: it starts on an even page (Word and LibreOffice insert a blank
# page when the body ends on an even one) and its footer is empty, so neither
# that blank page nor the 版记 page carries a number.
_IMPRINT_SECT_PR = (
    '<w:sectPr><w:footerReference w:type="default" r:id="rId7"/>'
    '<w:footerReference w:type="even" r:id="rId7"/>'
    f'<w:type w:val="evenPage"/>{_PG}</w:sectPr>'
)
_DOC_OPEN = XML_DECL + f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>'
_DOC_CLOSE = _SECT_PR + "</w:body></w:document>"

_TINY = '<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr>'
_RULE_P = (
    '<w:p><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="12" w:space="0" w:color="FF0000"/></w:pBdr>'
    f"{_spacing(0, 0, RULE_GAP)}{_IND_NONE}{_TINY}</w:pPr></w:p>"
)
_TABLE_GAP_P = f"<w:p><w:pPr>{_spacing(0, 0, LINE)}{_IND_NONE}</w:pPr></w:p>"
_BREAK_P = f'<w:p><w:pPr>{_spacing(0, 0, 20)}{_TINY}</w:pPr><w:r><w:br w:type="page"/></w:r></w:p>'
_END_P = f"<w:p><w:pPr>{_spacing(0, 0, 20)}{_TINY}</w:pPr></w:p>"

_TITLE_ROLES = ("title", "attachment_title")
_SIGN_ROLES = ("signature", "date")
_KEEP = "<w:keepNext/><w:keepLines/>"
# The last body paragraph before the 署名 goes to the 署名's page whole when it is
# short (LibreOffice never splits a paragraph to honour keep-with-next, so only a
# whole paragraph can travel); a longer one asks for its last two lines (Word
# moves them; LibreOffice 7.4 does not).
_KEEP_TAIL = '<w:keepNext/><w:widowControl w:val="1"/>'
KEEP_WHOLE_LINES = 8
# a run-in level-2 heading: 「（二）燃气安全。」 then body text in the same paragraph
_RUN_IN_2 = re.compile(r"^（[一二三四五六七八九十]+）[^。！？；]{1,40}[。！？]")

BODY_ADVANCE = 315  # twips a body character advances (16 pt − 0.25 pt run spacing)


def text_width(text: str) -> int:
    """Estimated width of a line of body text in twips (ASCII about half a character)."""
    return round(_ems(text) * BODY_ADVANCE)


def signature_indents(issuer: str, date: str, sealed: bool) -> tuple[str, str]:
    """The ``w:ind``/``w:jc`` of the 署名 and the 成文日期 (GB/T 9704 7.3.5).

    Unsealed: 署名 right-indented two characters, the date on the next line
    starting two characters right of the 署名's first character (when the date
    is the longer, it is right-indented two characters and the 署名 moves left).
    Sealed: the date right-indented four characters, the 署名 centred over it.
    """
    two = 2 * CHAR
    ws, wd = text_width(issuer), text_width(date)
    if sealed:
        sig_r = max(0, 2 * two + (wd - ws) // 2)
        return (
            f'<w:ind w:left="0" w:right="{sig_r}" w:firstLine="0"/><w:jc w:val="right"/>',
            f'<w:ind w:left="0" w:right="{2 * two}" w:firstLine="0"/><w:jc w:val="right"/>',
        )
    if ws - wd >= two:
        return (
            f'<w:ind w:left="0" w:right="{two}" w:firstLine="0"/><w:jc w:val="right"/>',
            f'<w:ind w:left="{TEXT_W - ws}" w:right="0" w:firstLine="0"/><w:jc w:val="left"/>',
        )
    return (
        f'<w:ind w:left="0" w:right="{2 * two + wd - ws}" w:firstLine="0"/><w:jc w:val="right"/>',
        f'<w:ind w:left="0" w:right="{two}" w:firstLine="0"/><w:jc w:val="right"/>',
    )


def render_docx(doc: Document, fonts: FontSettings | str | None = None) -> bytes:
    """The .docx bytes of ``doc``; the same document always gives the same bytes.

    ``fonts`` is a :class:`FontSettings` or a profile name of :data:`FONT_PROFILES`.
    """
    settings = font_settings(fonts) if fonts is None or isinstance(fonts, str) else fonts
    kit = _kit(settings)
    xml = _document_xml(doc, kit)
    doc_entry = _Entry("word/document.xml", xml, fast=True)
    core_entry = _Entry("docProps/core.xml", _core(doc).encode("utf-8"), fast=True)
    st = kit.entries
    images = [b for b in doc.blocks if isinstance(b, Image)]
    if images:
        st = {**st, **_image_parts(images)}
    entries = [
        doc_entry
        if name == "word/document.xml"
        else core_entry
        if name == "docProps/core.xml"
        else st[name]
        for name in _ORDER
    ]
    entries += [st[_media_name(i, b)] for i, b in enumerate(images, start=1)]
    return _zip(entries)


def _keep_chain(blocks: list) -> dict[int, str]:
    """Indexes of the blocks that keep with the 署名 (or a letter's signing table),
    with the keep properties each gets: the last body paragraph, any 附件说明
    and every 署名 line before the 成文日期."""
    out: dict[int, str] = {}
    for i, b in enumerate(blocks):
        kind = type(b)
        if not (kind is SignatureTable or (kind is Paragraph and b.role == "signature")):
            continue
        j = i - 1
        while j >= 0:
            p = blocks[j]
            if isinstance(p, Paragraph) and p.role in ("signature", "attachment_note"):
                out[j] = _KEEP
            elif isinstance(p, (Paragraph, Heading)):
                short = _ems(p.full_text) + 2 <= KEEP_WHOLE_LINES * 28
                out[j] = _KEEP if short else _KEEP_TAIL
                break
            else:
                break
            j -= 1
        if isinstance(b, Paragraph):
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            if isinstance(nxt, Paragraph) and nxt.role in _SIGN_ROLES:
                out[i] = _KEEP
    return out


def _signature_layout(blocks: list, sealed: bool) -> dict[int, str]:
    """Indent and alignment of each 署名 and 成文日期 paragraph, by index."""
    out: dict[int, str] = {}
    for i, b in enumerate(blocks):
        if not (type(b) is Paragraph and b.role == "date"):
            continue
        sigs: list[int] = []
        j = i - 1
        while j >= 0 and isinstance(blocks[j], Paragraph) and blocks[j].role == "signature":
            sigs.append(j)
            j -= 1
        if not sigs:
            continue
        widest = max((blocks[k].full_text for k in sigs), key=text_width)
        sig_ind, date_ind = signature_indents(widest, b.full_text, sealed)
        for k in sigs:
            out[k] = sig_ind
        out[i] = date_ind
    return out


def _with_sect_pr(xml: bytes) -> bytes:
    """A paragraph's XML (memoised, encoded) with the section properties closing its pPr."""
    return xml.replace(b"</w:pPr>", _SECT_PR.encode("utf-8") + b"</w:pPr>", 1)


def _document_xml(doc: Document, kit: _Kit) -> bytes:
    out: list[str] = [_DOC_OPEN]
    add = out.append
    roles = kit.roles
    body = roles["body"]
    blocks = doc.blocks
    n = len(blocks)
    page_break = False
    prev: object = None
    started = False  # something has been written (a leading page break is dropped)
    keep = _keep_chain(blocks)
    sign_ind = _signature_layout(blocks, bool(getattr(doc, "sealed", False)))
    special = keep.keys() | sign_ind.keys()  # blocks with keep or signing properties
    last_ppr = -1  # index in ``out`` of the last body paragraph (its pPr comes first)
    close = _DOC_CLOSE
    memo = kit.paragraphs

    for i, b in enumerate(blocks):
        kind = type(b)
        if kind is Paragraph and b.role == "body" and not page_break and i not in special:
            # the usual paragraph: looked up in the memo at once
            key = (body, 0, 0, False, None, None, "body", b.lead, b.text)
            xml = memo.get(key)
            if xml is not None:
                last_ppr = len(out)
                add(xml)
                started = True
                prev = b
                continue
        nxt = blocks[i + 1] if i + 1 < n else None
        if kind is PageBreak:
            if started:
                page_break = True
            continue
        if kind is Image:  # a picture carried over by ``speechgen format``
            _image(b, sum(isinstance(x, Image) for x in blocks[: i + 1]), add, page_break)
            page_break, started, prev = False, True, b
            continue
        if kind is Paragraph:
            role = b.role
            para = roles.get(role) or roles["body"]
            before = after = 0
            if role in _TITLE_ROLES:
                if isinstance(prev, RedHeader):
                    before = 2 * BLANK
                if not (isinstance(nxt, Paragraph) and nxt.role == "subtitle"):
                    after = BLANK
            elif role == "subtitle":
                if not (isinstance(nxt, Paragraph) and nxt.role == "subtitle"):
                    after = BLANK
            elif role == "attachment_label":
                after = BLANK
            elif role == "attachment_note":
                if isinstance(prev, Paragraph) and prev.role == "attachment_note":
                    if not b.full_text.startswith("附件"):
                        para = kit.note_cont
                else:
                    before = BLANK
            elif role == "signature":
                if not (isinstance(prev, Paragraph) and prev.role in _SIGN_ROLES):
                    # unsealed: one blank line under the body; sealed: room for the seal
                    before = SIGNATURE_GAP if doc.sealed else BLANK
            elif role == "date":
                if isinstance(prev, SignatureTable):
                    before = BLANK
                elif not (isinstance(prev, Paragraph) and prev.role in _SIGN_ROLES):
                    before = SIGNATURE_GAP
            key = (
                para,
                before,
                after,
                page_break,
                keep.get(i),
                sign_ind.get(i),
                role,
                b.lead,
                b.text,
            )
            xml = memo.get(key)
            if xml is None and (xml := memo.recall(key)) is None:
                xml = _paragraph_xml(kit, para, b, before, after, page_break, key[4], key[5])
                xml = memo.keep(key, xml.encode("utf-8"))  # kept encoded
            last_ppr = len(out)  # the paragraph's first </w:pPr> ends its pPr
            add(xml)
        elif kind is Heading:
            key = ("heading", b.level, page_break, keep.get(i), b.number, b.text)
            xml = memo.get(key)
            if xml is None and (xml := memo.recall(key)) is None:
                para = kit.headings.get(b.level) or kit.headings[4]
                ppr = para.ppr(0, 0, page_break)
                if i in keep:
                    ppr = ppr.replace("<w:keepNext/><w:keepLines/>", keep[i], 1)
                xml = memo.keep(key, f"<w:p>{ppr}{para.run.run(b.number + b.text)}</w:p>".encode())
            last_ppr = len(out)
            add(xml)
        elif isinstance(b, RedHeader):
            _red_header(b, kit, add, page_break)
            last_ppr = -1
        elif isinstance(b, Table):
            if page_break:
                add(_BREAK_P)
            elif isinstance(prev, (Table, SignatureTable)):
                add(_TABLE_GAP_P)
            _table(b, kit, add)
            last_ppr = -1
        elif isinstance(b, SignatureTable):
            if page_break:
                add(_BREAK_P)
            elif isinstance(prev, (Table, SignatureTable)):
                add(_TABLE_GAP_P)
            _signature_table(b, kit, add)
            last_ppr = -1
        elif isinstance(b, Imprint):
            # the body's section ends in its last paragraph (an extra paragraph
            # could spill onto a numbered page of its own); the 版记 section follows
            if last_ppr < 0 or not started:
                add(f"<w:p><w:pPr>{_spacing(0, 0, 20)}{_TINY}{_SECT_PR}</w:pPr></w:p>")
            else:
                out[last_ppr] = _with_sect_pr(out[last_ppr])
            _imprint(b, kit, add)
            close = _IMPRINT_SECT_PR + "</w:body></w:document>"
            last_ppr = -1
        else:  # pragma: no cover - the model has no other block
            continue
        page_break = False
        started = True
        prev = b

    if isinstance(prev, (Table, SignatureTable)):
        add(_END_P)  # a body may not end with a table
    add(close)
    # the memoised paragraphs are bytes already, the rest is encoded here
    return b"".join([x if type(x) is bytes else x.encode("utf-8") for x in out])


def _paragraph_xml(
    kit: _Kit,
    para: _Para,
    b: Paragraph,
    before: int,
    after: int,
    page_break: bool,
    keep: str | None,
    sign_ind: str | None,
) -> str:
    """The ``w:p`` of one model paragraph, from its properties and text alone."""
    role = b.role
    ppr = para.ppr(before, after, page_break)
    if keep is not None:
        ppr = ppr.replace("<w:pPr>", "<w:pPr>" + keep, 1).replace(
            "<w:keepNext/><w:keepLines/>" + keep, keep, 1
        )
    if sign_ind is not None:
        ppr = re.sub(r"<w:ind [^>]*/><w:jc [^>]*/>", sign_ind, ppr, count=1)
    out = ["<w:p>", ppr]
    lead, text = b.lead, b.text
    if not lead and role in ("body", "closing"):
        m = _RUN_IN_2.match(text)
        if m:
            lead, text = text[: m.end()], text[m.end() :]
    if lead:  # the inline item title: its own run; a level-2 one in 楷体
        run = kit.kai if _RUN_IN_2.match(lead) else para.run
        out.append(run.run(lead))
    if text:
        text = "\n".join(title_lines(text)) if role in _TITLE_ROLES else text
        out.append(para.run.run(text))
    out.append("</w:p>")
    return "".join(out)


def _red_header(b: RedHeader, kit: _Kit, add, page_break: bool) -> None:
    ppr, rpr = kit.mark(b.mark)
    if page_break:
        ppr = ppr.replace("<w:keepNext/>", "<w:keepNext/><w:pageBreakBefore/>", 1)
    add(f'<w:p>{ppr}<w:r>{rpr}<w:t xml:space="preserve">{_esc(b.mark)}</w:t></w:r></w:p>')
    if b.doc_number:
        p = kit.doc_number
        add(f"<w:p>{p.ppr(2 * BLANK, 0)}{p.run.run(b.doc_number)}</w:p>")
        add(_RULE_P)
    else:
        add(_RULE_P.replace(_spacing(0, 0, RULE_GAP), _spacing(2 * BLANK, 0, RULE_GAP), 1))


def _widths(t: Table, ncols: int) -> list[int]:
    """Column widths in twips filling the 版心, from the relative ``Table.widths``
    (equal when absent); a column is never narrower than two characters, so
    ``序号`` stays on one line."""
    rel = [float(w) for w in t.widths] if len(t.widths) == ncols else []
    if not rel or any(w <= 0 for w in rel):
        rel = [1.0] * ncols
    floor = 2 * SZ_TABLE * 10 + 2 * CELL_MARGIN + 20
    total = sum(rel)
    out = [TEXT_W * w / total for w in rel]
    narrow = [w < floor for w in out]
    if any(narrow) and floor * ncols < TEXT_W:
        rest = TEXT_W - floor * sum(narrow)
        wide = sum(w for w, n in zip(out, narrow, strict=True) if not n)
        out = [floor if n else w * rest / wide for w, n in zip(out, narrow, strict=True)]
    ints = [int(w) for w in out]
    ints[-1] += TEXT_W - sum(ints)
    return ints


_TBL_BORDERS = (
    "<w:tblBorders>"
    + "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    + "</w:tblBorders>"
)
_NO_BORDERS = (
    "<w:tblBorders>"
    + "".join(
        f'<w:{side} w:val="none" w:sz="0" w:space="0" w:color="auto"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    + "</w:tblBorders>"
)


def _tbl_open(widths: list[int], borders: str, cell_margin: int, right: int = -1) -> str:
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (
        f'<w:tbl><w:tblPr><w:tblW w:w="{TEXT_W}" w:type="dxa"/><w:jc w:val="center"/>'
        f"{borders}<w:tblLayout w:type='fixed'/>"
        f'<w:tblCellMar><w:left w:w="{cell_margin}" w:type="dxa"/>'
        f'<w:right w:w="{cell_margin if right < 0 else right}" w:type="dxa"/></w:tblCellMar>'
        f'<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" '
        f'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>"
    )


_CENTRED_HEADS = frozenset({"序号", "编号"})


def _table(t: Table, kit: _Kit, add) -> None:
    ncols = max([len(t.header)] + [len(r) for r in t.rows]) or 1
    widths = _widths(t, ncols)
    centred = [i < len(t.header) and t.header[i].strip() in _CENTRED_HEADS for i in range(ncols)]
    tc_open = [
        f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
        for w in widths
    ]
    ppr_c, ppr_l = kit.cell_ppr["center"], kit.cell_ppr["left"]
    add(_tbl_open(widths, _TBL_BORDERS, CELL_MARGIN))
    if t.header:
        add("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>")
        for i in range(ncols):
            text = t.header[i] if i < len(t.header) else ""
            run = kit.head_run.run(text) if text else ""
            add(f"{tc_open[i]}<w:p>{ppr_c}{run}</w:p></w:tc>")
        add("</w:tr>")
    cell = kit.cell_run.run
    for row in t.rows:
        add("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        for i in range(ncols):
            text = row[i] if i < len(row) else ""
            run = cell(text) if text else ""
            add(f"{tc_open[i]}<w:p>{ppr_c if centred[i] else ppr_l}{run}</w:p></w:tc>")
        add("</w:tr>")
    add("</w:tbl>")


def signature_rows(lines_left: list[str], lines_right: list[str]) -> list[int]:
    """How many printed lines each line of the signing table takes: the larger of its
    two sides (a side whose line takes fewer is given the rest as space, so 甲方's 签字
    line stays level with 乙方's when one name wraps). Shared with the html preview."""
    return _sign_counts(lines_left, lines_right)[0]


def _sign_counts(left: list[str], right: list[str]) -> tuple[list[int], list[int], list[int]]:
    """:func:`signature_rows`, and the printed lines of each side's lines."""
    wl, wr = _SIGN_WIDTHS
    a = list(_side_counts(tuple(left), wl))
    b = list(_side_counts(tuple(right), wr))
    return [max(x, y) for x, y in zip_longest(a, b, fillvalue=1)], a, b


@lru_cache(maxsize=1024)
def _side_counts(lines: tuple[str, ...], width: int) -> tuple[int, ...]:
    """:func:`signature_line_count` of each line of one side (甲方's repeats in a batch)."""
    return tuple(signature_line_count(x, width) for x in lines)


def _sign_fit(width: int) -> int:
    """Body characters a line of a signing cell ``width`` twips wide (−0.25 pt run spacing)."""
    return (width - CHAR) // 315


@lru_cache(maxsize=1024)
def signature_line_count(line: str, width: int) -> int:
    """The printed lines of a line of the signing block in a cell ``width`` twips wide,
    counted as :func:`signature_cell_line` measures a line (body characters a line)."""
    fit = max(1, _sign_fit(width))
    return sum(
        max(1, -(-int(_ems(part) * 100) // (fit * 100)))
        for part in signature_cell_line(line, width).split("\n")
    )


@lru_cache(maxsize=1024)
def signature_cell_line(line: str, width: int) -> str:
    """A line of the signing block as written in a cell ``width`` twips wide:
    「（盖章）」 goes on a line of its own when the line does not fit (shared
    with the html preview)."""
    fit = _sign_fit(width)
    k = line.rfind("（")
    if _ems(line) > fit and k > 0:
        return line[:k] + "\n" + line[k:]
    return line


_SIGN_WIDTHS = (TEXT_W // 2, TEXT_W - TEXT_W // 2)  # the two halves of the signing table
_SIGN_OPEN = (
    _tbl_open(list(_SIGN_WIDTHS), _NO_BORDERS, 0, right=CHAR)
    + "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
).encode("utf-8")
_SIGN_CELLS = tuple(
    f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>'.encode() for w in _SIGN_WIDTHS
)


def _signature_table(s: SignatureTable, kit: _Kit, add) -> None:
    add(_SIGN_OPEN)
    para = kit.sign_para
    memo = kit.paragraphs  # a line of the table is kept like a paragraph (甲方's repeat)
    rows, *counts = _sign_counts(s.left, s.right)
    for w, cell, lines, owns in zip(
        _SIGN_WIDTHS, _SIGN_CELLS, (s.left, s.right), counts, strict=True
    ):
        # a side's XML follows from its lines and the rows of the table (甲方's side is
        # the same in every letter of a batch): kept like a paragraph
        side_key = ("signature-side", w, tuple(lines), tuple(rows))
        side = memo.get(side_key)
        if side is None and (side := memo.recall(side_key)) is None:
            side = memo.keep(side_key, _signature_side(w, cell, lines, owns, rows, para, memo))
        add(side)
    add(b"</w:tr></w:tbl>")


def _signature_side(
    w: int,
    cell: bytes,
    lines: list[str],
    owns: list[int],
    rows: list[int],
    para: _Para,
    memo: Memo,
) -> bytes:
    """One side (cell) of the signing table: its lines, each kept like a paragraph."""
    out: list[bytes] = [cell]
    add = out.append
    if not lines:
        add(f"<w:p>{para.ppr(SIGNATURE_GAP, 0)}</w:p>".encode())
    short = 0  # lines the line above took fewer than the other side's
    for j, line in enumerate(lines):
        last = j == len(lines) - 1
        own = owns[j]
        key = ("signature-line", w, j == 0, last, short, rows[j] - own, line)
        xml = memo.get(key)
        if xml is None and (xml := memo.recall(key)) is None:
            # the space a shorter line leaves goes before the next line (Word and
            # LibreOffice take the larger of an after and the next before, not both)
            gap = (SIGNATURE_GAP if j == 0 else BLANK) + short * LINE
            after = (rows[j] - own) * LINE if last else 0
            text = signature_cell_line(line, w)
            xml = memo.keep(key, f"<w:p>{para.ppr(gap, after)}{para.run.run(text)}</w:p>".encode())
        add(xml)
        short = rows[j] - own
    add(b"</w:tc>")
    return b"".join(out)


_IMPRINT_TOP = '<w:top w:val="single" w:sz="8" w:space="1" w:color="000000"/>'
_IMPRINT_MID_TOP = '<w:top w:val="single" w:sz="6" w:space="1" w:color="000000"/>'
IMPRINT_RULE_LINE = 20  # height of the paragraph that carries the first rule
_IMPRINT_END = '<w:bottom w:val="single" w:sz="8" w:space="1" w:color="000000"/>'
CC_INDENT = 4 * CHAR4  # wrapped 抄送 lines align after 「抄送：」, one character in
CC_CHARS = (TEXT_W - CC_INDENT - CHAR4) // CHAR4  # 四号 characters a wrapped line holds
# What the rules, their gaps and the first rule's own paragraph add to the 版记's
# lines (measured in LibreOffice 7.4 at 288 dpi), and a margin of about 1 pt that
# keeps the 版记 from spilling onto a page of its own: the last rule sits 1–1.5 pt
# above the bottom edge of the 版心.
IMPRINT_RULES = 110  # three rules (with 抄送)
IMPRINT_RULES_NO_CC = 55  # two rules
IMPRINT_SLACK = 30


def imprint_lines(cc: str) -> int:
    """Lines of the 抄送 paragraph: the names after 「抄送：」 wrap at :data:`CC_CHARS`."""
    if not cc:
        return 0
    names = cc[3:] if cc.startswith("抄送") else cc
    return max(1, -(-int(_ems(names) * 100) // (CC_CHARS * 100)))


def _imprint(b: Imprint, kit: _Kit, add) -> None:
    """版记 at the foot of its own page: a spacer of exact height fills the 版心
    above it, so its last rule sits on the bottom edge of the 版心. Rules span
    the 版心 because the paragraphs keep zero side indents; the text is moved
    in one 四号 character by indents and a tab."""
    run = kit.imprint_run.run
    cc = ""
    if b.cc:
        cc = b.cc if b.cc.startswith("抄送") else f"抄送：{b.cc}"
        if not cc.endswith("。"):
            cc += "。"
    lines = imprint_lines(cc) + 1
    rules = IMPRINT_RULES if cc else IMPRINT_RULES_NO_CC
    spacer = TEXT_HEIGHT - lines * LINE - rules - IMPRINT_SLACK
    add(f"<w:p><w:pPr>{_spacing(0, 0, spacer)}{_IND_NONE}{_TINY}</w:pPr></w:p>")
    ind = f'<w:ind w:left="0" w:right="0" w:firstLine="{CHAR4}"/>'
    tab = f'<w:tabs><w:tab w:val="right" w:pos="{TEXT_W - CHAR4}"/></w:tabs>'
    if cc:
        # the first rule is a paragraph of its own: the 抄送 paragraph's hanging
        # indent would shorten a border of its own
        add(
            f"<w:p><w:pPr>{_KEEP}<w:pBdr>{_IMPRINT_END}</w:pBdr>"
            f"{_spacing(0, 0, IMPRINT_RULE_LINE)}{_IND_NONE}{_TINY}</w:pPr></w:p>"
        )
        hang = f'<w:ind w:left="{CC_INDENT}" w:right="{CHAR4}" w:hanging="{CC_INDENT - CHAR4}"/>'
        add(
            f"<w:p><w:pPr>{_KEEP}{_spacing(0, 0, LINE)}{hang}<w:jc w:val='both'/></w:pPr>"
            f"{run(cc)}</w:p>"
        )
        borders = _IMPRINT_MID_TOP + _IMPRINT_END
    else:
        borders = _IMPRINT_TOP + _IMPRINT_END
    add(
        f"<w:p><w:pPr><w:keepLines/><w:pBdr>{borders}</w:pBdr>{tab}"
        f"{_spacing(0, 0, LINE)}{ind}<w:jc w:val='left'/></w:pPr>"
        f"{run(b.printed_by)}{run(chr(9) + b.printed_date + '印发')}</w:p>"
    )
