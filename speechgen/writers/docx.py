"""The .docx writer: a :class:`~speechgen.model.Document` as a GB/T 9704 公文.

Every number of spec/FORMAT.md lives here. The OOXML is written as strings,
not through python-docx objects: the static parts of the package (styles,
settings, fonts, footers, relationships) depend only on :class:`FontSettings`
and are built and deflated once per process; each document costs only its own
``word/document.xml`` and ``docProps/core.xml``. The ZIP is written by hand
with fixed timestamps and a fixed entry order, so the same document always
gives the same bytes.

Units: twips (1/20 pt) for lengths, half-points for font sizes, eighths of a
point for border widths.
"""

from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass
from functools import lru_cache

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
    """Font family names written into the document (some provinces use 方正*_GBK).

    Level 3 and 4 headings, tables, 版记 and inline item titles use ``body``;
    the speaker line uses ``heading2`` (楷体); the table header and the 附件
    label use ``heading1`` (黑体); the red header mark uses ``title``.
    """

    title: str = "方正小标宋简体"
    body: str = "仿宋_GB2312"
    heading1: str = "黑体"
    heading2: str = "楷体_GB2312"
    page_number: str = "宋体"


DEFAULT_FONTS = FontSettings()

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


class _Run:
    """The two run-property strings of one text style (with and without hint)."""

    __slots__ = ("plain", "hinted")

    def __init__(self, font: str, sz: int, **kw: object) -> None:
        self.plain = _rpr(font, sz, **kw)  # type: ignore[arg-type]
        self.hinted = _rpr(font, sz, hint=True, **kw)  # type: ignore[arg-type]

    def run(self, text: str) -> str:
        """One ``w:r`` holding ``text`` (tabs and line breaks become elements)."""
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
        body = _Run(fonts.body, SZ_BODY, spacing=BODY_RUN_SPACING)
        title = _Run(fonts.title, SZ_TITLE)
        kai = _Run(fonts.heading2, SZ_BODY, spacing=BODY_RUN_SPACING)
        hei = _Run(fonts.heading1, SZ_BODY, spacing=BODY_RUN_SPACING)

        self.roles: dict[str, _Para] = {
            "body": _Para("", body, ind=_IND_FIRST2),
            "closing": _Para("", body, ind=_IND_FIRST2),
            "title": _Para(
                "Title", title, ind=_IND_NONE, jc="center", line=TITLE_LINE, keep_next=True
            ),
            "subtitle": _Para("Subtitle", kai, ind=_IND_NONE, jc="center", keep_next=True),
            "salutation": _Para("", body, ind=_IND_NONE),
            "addressee": _Para("", body, ind=_IND_NONE),
            "attachment_note": _Para("", body, ind=_IND_FIRST2),
            "signature": _Para("", body, ind=_IND_RIGHT4, jc="right", keep_next=True),
            "date": _Para("", body, ind=_IND_RIGHT4, jc="right"),
            "attachment_label": _Para("", hei, ind=_IND_NONE, jc="left", keep_next=True),
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
        self.sign_para = _Para("", body, ind=_IND_NONE, jc="left")
        # 版记
        self.imprint_run = _Run(fonts.body, SZ_SMALL)
        self.entries = _static_entries(fonts)

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


def _ems(text: str) -> float:
    """Rendered width in ems: ASCII is about half a character, and Word and
    LibreOffice add a fifth of an em between Chinese and Western characters."""
    width = 0.0
    prev_ascii: bool | None = None
    for c in text:
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
    alt = {
        "仿宋_GB2312": "仿宋",
        "楷体_GB2312": "楷体",
        "方正小标宋简体": "方正小标宋_GBK",
        "黑体": "SimHei",
        "宋体": "SimSun",
    }
    names: list[str] = []
    for name in (fonts.body, fonts.title, fonts.heading1, fonts.heading2, fonts.page_number):
        if name not in names:
            names.append(name)
    out = [XML_DECL, f'<w:fonts xmlns:w="{W_NS}">']
    for name in names:
        a = f'<w:altName w:val="{_esc(alt[name])}"/>' if name in alt else ""
        out.append(
            f'<w:font w:name="{_esc(name)}">{a}<w:charset w:val="86"/>'
            '<w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
        )
    out.append("</w:fonts>")
    return "".join(out)


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
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")


class _Entry:
    __slots__ = ("name", "crc", "data", "size")

    def __init__(self, name: str, raw: bytes, level: int = 9) -> None:
        self.name = name.encode("ascii")
        self.crc = zlib.crc32(raw)
        co = zlib.compressobj(level, zlib.DEFLATED, -15)
        self.data = co.compress(raw) + co.flush()
        self.size = len(raw)


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
)


def _zip(entries: list[_Entry]) -> bytes:
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for e in entries:
        header = _LOCAL.pack(
            0x04034B50, 20, 0, 8, _DOS_TIME, _DOS_DATE, e.crc, len(e.data), e.size, len(e.name), 0
        )
        out.append(header)
        out.append(e.name)
        out.append(e.data)
        central.append(
            _CENTRAL.pack(
                0x02014B50,
                20,
                20,
                0,
                8,
                _DOS_TIME,
                _DOS_DATE,
                e.crc,
                len(e.data),
                e.size,
                len(e.name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + e.name
        )
        offset += len(header) + len(e.name) + len(e.data)
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
        out[name] = _Entry(name, b.data, level=1)
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


_SECT_PR = (
    '<w:sectPr><w:footerReference w:type="default" r:id="rId5"/>'
    '<w:footerReference w:type="even" r:id="rId6"/>'
    f'<w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}"/>'
    f'<w:pgMar w:top="{MARGIN_TOP}" w:right="{MARGIN_RIGHT}" w:bottom="{MARGIN_BOTTOM}" '
    f'w:left="{MARGIN_LEFT}" w:header="{HEADER_DISTANCE}" w:footer="{FOOTER_DISTANCE}" w:gutter="0"/>'
    '<w:cols w:space="425"/></w:sectPr>'
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


def render_docx(doc: Document, fonts: FontSettings | None = None) -> bytes:
    """The .docx bytes of ``doc``; the same document always gives the same bytes."""
    kit = _kit(fonts or DEFAULT_FONTS)
    xml = _document_xml(doc, kit)
    doc_entry = _Entry("word/document.xml", xml.encode("utf-8"), level=1)
    core_entry = _Entry("docProps/core.xml", _core(doc).encode("utf-8"), level=1)
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


def _document_xml(doc: Document, kit: _Kit) -> str:
    out: list[str] = [_DOC_OPEN]
    add = out.append
    roles = kit.roles
    blocks = doc.blocks
    n = len(blocks)
    page_break = False
    prev: object = None
    started = False  # something has been written (a leading page break is dropped)

    for i, b in enumerate(blocks):
        nxt = blocks[i + 1] if i + 1 < n else None
        if isinstance(b, PageBreak):
            if started:
                page_break = True
            continue
        if isinstance(b, Image):  # a picture carried over by ``speechgen format``
            _image(b, sum(isinstance(x, Image) for x in blocks[: i + 1]), add, page_break)
            page_break, started, prev = False, True, b
            continue
        if isinstance(b, Paragraph):
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
                    before = SIGNATURE_GAP
            elif role == "date":
                if isinstance(prev, SignatureTable):
                    before = BLANK
                elif not (isinstance(prev, Paragraph) and prev.role in _SIGN_ROLES):
                    before = SIGNATURE_GAP
            add("<w:p>")
            add(para.ppr(before, after, page_break))
            if b.lead:  # the inline item title: its own run, in the paragraph's font
                add(para.run.run(b.lead))
            if b.text:
                text = "\n".join(title_lines(b.text)) if role in _TITLE_ROLES else b.text
                add(para.run.run(text))
            add("</w:p>")
        elif isinstance(b, Heading):
            para = kit.headings.get(b.level) or kit.headings[4]
            add("<w:p>")
            add(para.ppr(0, 0, page_break))
            add(para.run.run(b.number + b.text))
            add("</w:p>")
        elif isinstance(b, RedHeader):
            _red_header(b, kit, add, page_break)
        elif isinstance(b, Table):
            if page_break:
                add(_BREAK_P)
            elif isinstance(prev, (Table, SignatureTable)):
                add(_TABLE_GAP_P)
            _table(b, kit, add)
        elif isinstance(b, SignatureTable):
            if page_break:
                add(_BREAK_P)
            elif isinstance(prev, (Table, SignatureTable)):
                add(_TABLE_GAP_P)
            _signature_table(b, kit, add)
        elif isinstance(b, Imprint):
            _imprint(b, kit, add, page_break, 0 if page_break or not started else BLANK)
        else:  # pragma: no cover - the model has no other block
            continue
        page_break = False
        started = True
        prev = b

    if isinstance(prev, (Table, SignatureTable)):
        add(_END_P)  # a body may not end with a table
    add(_DOC_CLOSE)
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


def signature_cell_line(line: str, width: int) -> str:
    """A line of the signing block as written in a cell ``width`` twips wide:
    「（盖章）」 goes on a line of its own when the line does not fit (shared
    with the html preview)."""
    fit = (width - CHAR) // 315  # body characters a line (−0.25 pt run spacing)
    k = line.rfind("（")
    if _ems(line) > fit and k > 0:
        return line[:k] + "\n" + line[k:]
    return line


def _signature_table(s: SignatureTable, kit: _Kit, add) -> None:
    half = TEXT_W // 2
    widths = [half, TEXT_W - half]
    add(_tbl_open(widths, _NO_BORDERS, 0, right=CHAR))
    add("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
    para = kit.sign_para
    for w, lines in zip(widths, (s.left, s.right), strict=True):
        add(f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>')
        if not lines:
            add(f"<w:p>{para.ppr(SIGNATURE_GAP, 0)}</w:p>")
        for j, line in enumerate(lines):
            line = signature_cell_line(line, w)
            add(f"<w:p>{para.ppr(SIGNATURE_GAP if j == 0 else BLANK, 0)}{para.run.run(line)}</w:p>")
        add("</w:tc>")
    add("</w:tr></w:tbl>")


_IMPRINT_TOP = '<w:top w:val="single" w:sz="8" w:space="1" w:color="000000"/>'
_IMPRINT_MID = '<w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/>'
_IMPRINT_END = '<w:bottom w:val="single" w:sz="8" w:space="1" w:color="000000"/>'


def _imprint(b: Imprint, kit: _Kit, add, page_break: bool, before: int) -> None:
    """版记: rules span the 版心 because the paragraphs keep zero side indents;
    the text is moved in one 四号 character by a first-line indent and a tab."""
    run = kit.imprint_run.run
    pb = "<w:pageBreakBefore/>" if page_break else ""
    ind = f'<w:ind w:left="0" w:right="0" w:firstLine="{CHAR4}"/>'
    if b.cc:
        cc = b.cc if b.cc.startswith("抄送") else f"抄送：{b.cc}"
        if not cc.endswith("。"):
            cc += "。"
        add(
            f"<w:p><w:pPr><w:keepNext/><w:keepLines/>{pb}"
            f"<w:pBdr>{_IMPRINT_TOP}{_IMPRINT_MID}</w:pBdr>"
            f"{_spacing(before, 0, LINE)}{ind}<w:jc w:val='both'/></w:pPr>{run(cc)}</w:p>"
        )
        pb = ""
        before = 0
        borders = _IMPRINT_END
    else:
        borders = _IMPRINT_TOP + _IMPRINT_END
    tab = f'<w:tabs><w:tab w:val="right" w:pos="{TEXT_W - CHAR4}"/></w:tabs>'
    add(
        f"<w:p><w:pPr><w:keepLines/>{pb}<w:pBdr>{borders}</w:pBdr>{tab}"
        f"{_spacing(before, 0, LINE)}{ind}<w:jc w:val='left'/></w:pPr>"
        f"{run(b.printed_by)}{run(chr(9) + b.printed_date + '印发')}</w:p>"
    )
