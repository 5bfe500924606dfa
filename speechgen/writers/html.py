"""The html preview: the document's printed pages, drawn from the document model.

Every geometric fact comes from the docx writer (:mod:`speechgen.writers.docx`:
page and margins, line pitch, spacing before and after each role, the red
mark's size, where a title breaks), so the preview holds what the printed
page holds: A4 sheets with the 156×225 mm 版心, 22 lines of 28 characters.

The writer lays the document out itself instead of leaving it to the browser:

- each paragraph is cut into the lines LibreOffice makes of it
  (:func:`speechgen.writers.linebreak.break_lines`), and each line is one
  ``<span class="l">`` that the browser justifies but never wraps;
- the lines are then paginated like LibreOffice does a speechgen .docx (exact
  line pitch, no widow control, keep-with-next on headings, titles and the
  署名, table rows that never split, the header row repeated), and every page
  is an explicit ``<section class="page">`` with its page number;
- the 版记 sits at the foot of the last page, and that page is even (a blank
  page goes before it when needed) and carries no number, as FORMAT.md v2 says.

The page is self-contained (inline CSS, no script, no web font: font-family
names with CJK fallbacks) and prints as the same A4 pages (``@page``).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from ..model import (
    Block,
    Document,
    Heading,
    Imprint,
    PageBreak,
    Paragraph,
    RedHeader,
    SignatureTable,
    Table,
)
from .docx import (
    _CENTRED_HEADS,
    _RULE_P,
    BLANK,
    BODY_RUN_SPACING,
    CELL_MARGIN,
    CHAR,
    CHAR4,
    DEFAULT_FONTS,
    LINE,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    MARK_TOP,
    NOTE_CONT_LEFT,
    PAGE_H,
    PAGE_W,
    RULE_GAP,
    SIGNATURE_GAP,
    SZ_BODY,
    SZ_SMALL,
    SZ_TABLE,
    SZ_TITLE,
    TEXT_W,
    TITLE_LINE,
    _widths,
    mark_size,
    signature_cell_line,
    signature_rows,
    title_lines,
)
from .linebreak import break_lines

# ---------------------------------------------------------------- geometry (pt)

PT = 1 / 20  # a twip in pt
LINE_PT = LINE * PT  # 28.95
TITLE_PT = TITLE_LINE * PT
BLANK_PT = BLANK * PT
TEXT_W_PT = TEXT_W * PT  # 442.25, the 版心 width
TEXT_H_PT = (PAGE_H - MARGIN_TOP - MARGIN_BOTTOM) * PT  # 637.7, the 版心 height
BODY_PT = SZ_BODY / 2
SMALL_PT = SZ_SMALL / 2
TABLE_PT = SZ_TABLE / 2
TITLE_SIZE_PT = SZ_TITLE / 2
SPACING_PT = BODY_RUN_SPACING * PT  # −0.25
INDENT_PT = 2 * CHAR * PT  # first-line indent, two 三号 characters
TABLE_LINE_PT = 20.1  # LibreOffice's single line of 四号 Noto Serif CJK (measured in its PDFs)
TABLE_ROW_EXTRA_PT = 0.5  # the row border
FIT_PT = 0.6  # a page may be this much fuller than the 版心 (LibreOffice rounding)
RULE_PT = int(re.search(r'w:sz="(\d+)"', _RULE_P).group(1)) / 8  # the red rule, 1.5 pt
# LibreOffice sets the glyphs of an exact-height line lower than the browser's
# centring: measured drop of the text in its line box (PDF against Chromium).
DROP_BODY_PT = 4.5
DROP_TITLE_PT = 4.2
DROP_MARK_PT = 3.1

_SERIF = '"Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", "SimSun", serif'
_KAI_FALLBACK = '"AR PL UKai CN", "STKaiti", "KaiTi"'
_HEI_FALLBACK = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "SimHei", sans-serif'


def _family(name: str, *fallbacks: str) -> str:
    return ", ".join([f'"{name}"', *fallbacks])


_F = DEFAULT_FONTS
FONT_BODY = _family(_F.body, '"仿宋"', '"FangSong"', '"STFangsong"', _SERIF)
FONT_TITLE = _family(_F.title, '"方正小标宋_GBK"', '"华文中宋"', '"STZhongsong"', _SERIF)
FONT_HEI = _family(_F.heading1, _HEI_FALLBACK)
FONT_KAI = _family(_F.heading2, '"楷体"', _KAI_FALLBACK, _SERIF)
FONT_FOLIO = _family(_F.page_number, '"SimSun"', _SERIF)

_MM = 25.4 / 72  # mm per pt


def _mm(twips: int) -> str:
    """A length in mm to 0.1 mm (A4 is 11906 twips = 210.0 mm)."""
    return f"{round(twips * PT * _MM, 1):g}mm"


CSS = f"""
html {{ background: #e8e8e8; }}
body {{ margin: 0; padding: 6mm 0; }}
.page {{
  position: relative; box-sizing: border-box; width: {_mm(PAGE_W)}; height: {_mm(PAGE_H)};
  margin: 0 auto 6mm; background: #fff; box-shadow: 0 1px 6px rgba(0,0,0,.25);
  overflow: hidden; color: #000; font-family: {FONT_BODY}; font-size: {BODY_PT:g}pt;
  line-height: {LINE_PT:g}pt;
}}
.text {{
  position: absolute; top: {_mm(MARGIN_TOP)}; left: {_mm(MARGIN_LEFT)};
  width: {_mm(TEXT_W)}; height: {_mm(PAGE_H - MARGIN_TOP - MARGIN_BOTTOM)};
}}
.text p {{ margin: 0; letter-spacing: {SPACING_PT:g}pt; }}
.text {{ text-autospace: normal; text-spacing-trim: space-all; }}
.l {{ display: block; height: {LINE_PT:g}pt; white-space: nowrap; text-align: justify;
  text-align-last: justify; position: relative; top: {DROP_BODY_PT:g}pt; }}
.l.end {{ text-align-last: auto; }}
.l.i2 {{ padding-left: {INDENT_PT:g}pt; }}
.heading-1 {{ font-family: {FONT_HEI}; }}
.heading-2, .subtitle, .lead.kai {{ font-family: {FONT_KAI}; }}
.text h1, .text h2 {{ margin: 0; font-weight: normal; }}
.title, .attachment-title {{ font-family: {FONT_TITLE}; font-size: {TITLE_SIZE_PT:g}pt; }}
.title .l, .attachment-title .l {{ height: {TITLE_PT:g}pt; line-height: {TITLE_PT:g}pt;
  top: {DROP_TITLE_PT:g}pt; }}
.l.c, .l.c.end {{ text-align: center; text-align-last: center; }}
.l.r, .l.r.end {{ text-align: right; text-align-last: right; }}
.l.lf, .l.lf.end {{ text-align: left; text-align-last: left; }}
.signature, .date {{ padding-right: {4 * CHAR * PT:g}pt; }}
.attachment-label {{ font-family: {FONT_HEI}; }}
.mark {{ font-family: {FONT_TITLE}; color: #f00; display: flex; justify-content: center;
  white-space: nowrap;
  letter-spacing: 0 !important; }}
.mark span {{ display: inline-block; transform-origin: center; position: relative;
  top: {DROP_MARK_PT:g}pt; }}
.doc-number {{ text-align: center; letter-spacing: 0 !important; position: relative;
  top: {DROP_BODY_PT:g}pt; }}
.red-rule {{ border-bottom: {RULE_PT:g}pt solid #f00; }}
table {{ border-collapse: collapse; table-layout: fixed; width: {TEXT_W_PT:g}pt;
  font-size: {TABLE_PT:g}pt; line-height: {TABLE_LINE_PT:g}pt; }}
th, td {{ border: 0.5pt solid #000; padding: 0 {CELL_MARGIN * PT:g}pt; vertical-align: middle;
  text-align: left; font-weight: normal; }}
th {{ font-family: {FONT_HEI}; text-align: center; }}
.cl {{ display: block; white-space: nowrap; height: {TABLE_LINE_PT:g}pt; }}
td.c {{ text-align: center; }}
table.signature td {{ border: 0; padding: 0 {CHAR * PT:g}pt 0 0; vertical-align: top;
  font-size: {BODY_PT:g}pt; line-height: {LINE_PT:g}pt; }}
.imprint {{ position: absolute; left: 0; right: 0; bottom: 0; font-size: {SMALL_PT:g}pt;
  border-top: 1pt solid #000; border-bottom: 1pt solid #000; }}
.imprint p {{ letter-spacing: 0; height: {LINE_PT:g}pt; padding: 0 {CHAR4 * PT:g}pt; }}
.imprint .cc {{ border-bottom: 0.75pt solid #000; }}
.imprint .printed {{ display: flex; justify-content: space-between; }}
.folio {{ position: absolute; top: {_mm(PAGE_H - MARGIN_BOTTOM)}; margin-top: 3.7mm;
  font-family: {FONT_FOLIO}; font-size: {SMALL_PT:g}pt; line-height: {SMALL_PT * 1.3:g}pt;
  white-space: pre; }}
.folio.odd {{ right: {_mm(MARGIN_RIGHT + CHAR4)}; }}
.folio.even {{ left: {_mm(MARGIN_LEFT + CHAR4)}; }}
@page {{ size: A4; margin: 0; }}
@media print {{
  html {{ background: none; }} body {{ padding: 0; }}
  .page {{ margin: 0; box-shadow: none; break-after: page; }}
  .page:last-child {{ break-after: auto; }}
}}
"""

# ---------------------------------------------------------------- pieces


@dataclass
class _Piece:
    """One block of the flow: ``rows`` are its unbreakable parts (a line of a
    paragraph, a table row), each ``(height_pt, html)``; ``head`` is html put
    before the rows on every page the piece is on (the table header)."""

    rows: list[tuple[float, str]]
    open: str = ""
    close: str = ""
    before: float = 0.0
    after: float = 0.0
    keep_next: bool = False
    keep_lines: bool = False
    page_break: bool = False
    head: tuple[float, str] | None = None
    role: str = ""


@dataclass
class _Page:
    parts: list[str] = field(default_factory=list)
    used: float = 0.0
    imprint: str = ""
    number: bool = True


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


_RUN_IN_2 = re.compile("^（[一二三四五六七八九十]+）[^\\s]")  # a number alone is no heading
_TITLE_ROLES = ("title", "attachment_title")
_SIGN_ROLES = ("signature", "date")
_FLUSH_ROLES = ("salutation", "addressee", "attachment_label")


def _lines_html(
    lines: tuple[str, ...], height: float, align: str = "", indent: bool = False
) -> list[tuple[float, str]]:
    """One row per line; the last line of the paragraph is not justified."""
    rows = []
    last = len(lines) - 1
    for k, text in enumerate(lines):
        cls = "l"
        if align:
            cls += " " + align
        if k == 0 and indent:
            cls += " i2"
        if k == last:
            cls += " end"
        rows.append((height, f'<span class="{cls}">{_esc(text)}</span>'))
    return rows


def _paragraph(b: Paragraph, prev: Block | None, nxt: Block | None) -> _Piece:
    """A paragraph with the spacing the docx writer gives its role."""
    role = b.role
    text = b.full_text
    before = after = 0.0
    width = TEXT_W_PT
    keep_next = False
    if role in _TITLE_ROLES:
        if isinstance(prev, RedHeader):
            before = 2 * BLANK_PT
        if not (isinstance(nxt, Paragraph) and nxt.role == "subtitle"):
            after = BLANK_PT
        lines: tuple[str, ...] = ()
        for part in title_lines(text):
            lines += break_lines(part, width, width, TITLE_SIZE_PT, 0.0)
        rows = _lines_html(lines, TITLE_PT, "c")
        tag = "h1" if role == "title" else "h2"
        cls = role.replace("_", "-")
        # keepNext and keepLines, as the .docx gives every paragraph it keeps with the next
        return _Piece(rows, f'<{tag} class="{cls}">', f"</{tag}>", before, after, True, True)
    if role == "subtitle":
        if not (isinstance(nxt, Paragraph) and nxt.role == "subtitle"):
            after = BLANK_PT
        rows = _lines_html(break_lines(text, width, width), LINE_PT, "c")
        return _Piece(rows, '<p class="subtitle">', "</p>", before, after, True, True)
    cls = role.replace("_", "-")
    if role in _FLUSH_ROLES:
        if role == "attachment_label":
            after = BLANK_PT
            keep_next = True
        rows = _lines_html(break_lines(text, width, width), LINE_PT)
        return _Piece(rows, f'<p class="{cls}">', "</p>", before, after, keep_next, keep_next)
    if role in _SIGN_ROLES:
        if role == "signature":
            keep_next = True
            if not (isinstance(prev, Paragraph) and prev.role in _SIGN_ROLES):
                before = SIGNATURE_GAP * PT
        elif isinstance(prev, SignatureTable):
            before = BLANK_PT
        elif not (isinstance(prev, Paragraph) and prev.role in _SIGN_ROLES):
            before = SIGNATURE_GAP * PT
        w = width - 4 * CHAR * PT
        rows = _lines_html(break_lines(text, w, w), LINE_PT, "r")
        return _Piece(rows, f'<p class="{cls}">', "</p>", before, 0.0, keep_next, keep_next)
    if role == "attachment_note":
        if isinstance(prev, Paragraph) and prev.role == "attachment_note":
            if not text.startswith("附件"):  # a continuation aligned after 「附件：」
                left = NOTE_CONT_LEFT * PT
                lines = break_lines(text, width - left - INDENT_PT, width - left)
                rows = _lines_html(lines, LINE_PT, "lf", indent=True)
                style = f' style="padding-left:{left:g}pt"'
                return _Piece(rows, f'<p class="{cls}"{style}>', "</p>")
        else:
            before = BLANK_PT
    lines = break_lines(text, width - INDENT_PT, width)
    rows = _lines_html(lines, LINE_PT, indent=True)
    if b.lead and rows:  # the inline item title, marked for the editor
        h, first = rows[0]
        if lines[0].startswith(b.lead):
            lead = _esc(b.lead)
            kai = " kai" if _RUN_IN_2.match(b.lead) else ""  # FORMAT.md v2: run-in （一） in 楷体
            first = first.replace(">" + lead, f'><span class="lead{kai}">{lead}</span>', 1)
            rows[0] = (h, first)
    cls_attr = f' class="{cls}"' if role not in ("body",) else ""
    return _Piece(rows, f"<p{cls_attr}>", "</p>", before, after)


def _heading(b: Heading) -> _Piece:
    lines = break_lines(b.full_text, TEXT_W_PT - INDENT_PT, TEXT_W_PT)
    rows = _lines_html(lines, LINE_PT, indent=True)
    level = b.level if 1 <= b.level <= 4 else 4
    return _Piece(
        rows, f'<p class="heading heading-{level}">', "</p>", keep_next=True, keep_lines=True
    )


def _red_header(b: RedHeader) -> _Piece:
    size, scale = mark_size(b.mark)
    line = round(size * 20 * 1.25) * PT
    style = f"font-size:{size:g}pt;line-height:{line:g}pt;height:{line:g}pt"
    inner = _esc(b.mark)
    if scale != 100:
        inner = f'<span style="transform:scaleX({scale / 100:g})">{inner}</span>'
    else:
        inner = f"<span>{inner}</span>"
    rows = [(MARK_TOP * PT, f'<div style="height:{MARK_TOP * PT:g}pt"></div>')]
    rows.append((line, f'<p class="mark" style="{style}">{inner}</p>'))
    gap = 2 * BLANK_PT
    if b.doc_number:
        rows.append((gap, f'<div style="height:{gap:g}pt"></div>'))
        rows.append((LINE_PT, f'<p class="doc-number">{_esc(b.doc_number)}</p>'))
        rule = RULE_GAP * PT
    else:
        rule = gap + RULE_GAP * PT
    # LibreOffice adds the border's width to the paragraph's height
    rows.append((rule + RULE_PT, f'<div class="red-rule" style="height:{rule:g}pt"></div>'))
    return _Piece(rows, '<div class="red-header">', "</div>", keep_next=True, keep_lines=True)


def _cell_lines(text: str, width_twips: int) -> tuple[str, ...]:
    w = (width_twips - 2 * CELL_MARGIN) * PT
    return break_lines(text, w, w, TABLE_PT, 0.0) if text else ("",)


def _table(t: Table, gap: float, page_break: bool) -> _Piece:
    ncols = max([len(t.header)] + [len(r) for r in t.rows]) or 1
    widths = _widths(t, ncols)
    centred = [i < len(t.header) and t.header[i].strip() in _CENTRED_HEADS for i in range(ncols)]
    cols = "".join(f'<col style="width:{w * PT:g}pt">' for w in widths)

    def row(cells: list[str], tag: str) -> tuple[float, str]:
        cells = list(cells) + [""] * (ncols - len(cells))
        n = 1
        out = []
        for i, (text, w) in enumerate(zip(cells, widths, strict=True)):
            lines = _cell_lines(text, w)
            n = max(n, len(lines))
            c = ' class="c"' if centred[i] and tag == "td" else ""
            cell = "".join(f'<span class="cl">{_esc(x)}</span>' for x in lines)
            out.append(f"<{tag}{c}>{cell}</{tag}>")
        h = n * TABLE_LINE_PT + TABLE_ROW_EXTRA_PT
        return h, f'<tr style="height:{h:g}pt">{"".join(out)}</tr>'

    head = row(t.header, "th") if t.header else None
    rows = [row(r, "td") for r in t.rows]
    return _Piece(
        rows,
        f'<table class="tasks"><colgroup>{cols}</colgroup>',
        "</table>",
        before=gap,
        page_break=page_break,
        head=head,
    )


def _signature_table(s: SignatureTable, gap: float, page_break: bool) -> _Piece:
    half = TEXT_W // 2
    widths = [half, TEXT_W - half]
    heights = []
    cells = []
    rows = signature_rows(s.left, s.right)
    for w, lines in zip(widths, (s.left, s.right), strict=True):
        fit = (w - CHAR) * PT
        h = 0.0
        parts = []
        for j, line in enumerate(lines or [""]):
            pad = SIGNATURE_GAP * PT if j == 0 else BLANK_PT
            got = break_lines(signature_cell_line(line, w), fit, fit)
            after = LINE_PT * max(0, (rows[j] if j < len(rows) else 1) - len(got))
            h += pad + LINE_PT * len(got) + after
            body = "".join(f'<span class="l end">{_esc(x)}</span>' for x in got)
            space = f";padding-bottom:{after:g}pt" if after else ""
            parts.append(f'<p style="padding-top:{pad:g}pt{space}">{body}</p>')
        heights.append(h)
        cells.append(f'<td style="width:{w * PT:g}pt">{"".join(parts)}</td>')
    h = max(heights)
    return _Piece(
        [(h, f"<tr>{''.join(cells)}</tr>")],
        '<table class="signature">',
        "</table>",
        before=gap,
        page_break=page_break,
    )


def _imprint(b: Imprint) -> tuple[float, str]:
    parts = []
    rows = 1
    if b.cc:
        cc = b.cc if b.cc.startswith("抄送") else f"抄送：{b.cc}"
        if not cc.endswith("。"):
            cc += "。"
        parts.append(f'<p class="cc">{_esc(cc)}</p>')
        rows += 1
    parts.append(
        f'<p class="printed"><span>{_esc(b.printed_by)}</span>'
        f"<span>{_esc(b.printed_date)}印发</span></p>"
    )
    return rows * LINE_PT, f'<div class="imprint">{"".join(parts)}</div>'


# ---------------------------------------------------------------- flow


def _pieces(doc: Document) -> tuple[list[_Piece], list[tuple[float, str]]]:
    """The document as flow pieces, and its 版记 (drawn at the foot of the last page)."""
    out: list[_Piece] = []
    imprints: list[tuple[float, str]] = []
    blocks = doc.blocks
    n = len(blocks)
    prev: Block | None = None
    page_break = False
    for i, b in enumerate(blocks):
        nxt = blocks[i + 1] if i + 1 < n else None
        if isinstance(b, PageBreak):
            page_break = bool(out)
            continue
        if isinstance(b, Imprint):
            imprints.append(_imprint(b))
            continue
        gap = BLANK_PT if isinstance(prev, (Table, SignatureTable)) and not page_break else 0.0
        if isinstance(b, Paragraph):
            piece = _paragraph(b, prev, nxt)
        elif isinstance(b, Heading):
            piece = _heading(b)
        elif isinstance(b, RedHeader):
            piece = _red_header(b)
        elif isinstance(b, Table):
            piece = _table(b, gap, page_break)
        elif isinstance(b, SignatureTable):
            piece = _signature_table(b, gap, page_break)
        else:  # pragma: no cover - the model has no other block
            continue
        piece.page_break = page_break
        piece.role = b.role if isinstance(b, Paragraph) else ""
        out.append(piece)
        page_break = False
        prev = b
    _signature_keeps(out)
    return out, imprints


def _signature_keeps(pieces: list[_Piece]) -> None:
    """FORMAT.md v2: the 署名 never stands on a page without body text. The
    附件说明 and the last lines of the body paragraph before it travel with it."""
    for k, p in enumerate(pieces):
        if p.role != "signature" or (k and pieces[k - 1].role in _SIGN_ROLES):
            continue
        j = k - 1
        while j >= 0 and pieces[j].role == "attachment_note":
            pieces[j].keep_next = True
            j -= 1
        if j >= 0 and pieces[j].role in ("body", "closing") and not pieces[j].page_break:
            pieces[j].keep_next = True


def _paginate(pieces: list[_Piece], imprints: list[tuple[float, str]]) -> list[_Page]:
    pages = [_Page()]
    cap = TEXT_H_PT + FIT_PT

    def new_page() -> _Page:
        pages.append(_Page())
        return pages[-1]

    def first_row(p: _Piece) -> float:
        return p.before + (p.head[0] if p.head else 0.0) + (p.rows[0][0] if p.rows else 0.0)

    def whole(p: _Piece) -> float:
        return p.before + (p.head[0] if p.head else 0.0) + sum(h for h, _ in p.rows) + p.after

    for k, piece in enumerate(pieces):
        page = pages[-1]
        if piece.page_break and (page.parts or page.used):
            page = new_page()
        # keep-with-next: this piece (and the chain of such pieces after it)
        # goes down with the first line of what follows; a piece that may
        # split sends only its last line down with them
        tail = 0.0
        splits = piece.keep_next and not piece.keep_lines and len(piece.rows) > 1
        if piece.keep_next:
            for q in pieces[k + 1 :]:
                if q.page_break:
                    break
                if q.keep_next and (q.keep_lines or len(q.rows) <= 1):
                    tail += whole(q)  # goes down whole, and so does what it keeps with
                    continue
                tail += first_row(q)  # the first line of a piece that may split
                break
            need = whole(piece) + tail
            if not splits and page.used and page.used + need > cap and need <= TEXT_H_PT:
                page = new_page()
        if piece.keep_lines and page.used and page.used + whole(piece) > cap:
            page = new_page()
        rows = piece.rows or [(0.0, "")]  # a table without rows still shows its header
        start = 0
        before = piece.before
        while True:
            room = cap - page.used - before - (piece.head[0] if piece.head else 0.0)
            end = start
            used = 0.0
            while end < len(rows) and used + rows[end][0] <= room:
                used += rows[end][0]
                end += 1
            if end == start and page.used:  # not even one row: next page
                page = new_page()
                continue
            if end == start:  # a row taller than a page: place it anyway
                used = rows[end][0]
                end += 1
            elif (
                splits
                and end == len(rows)
                and end - start > 1
                and page.used + before + used + piece.after + tail > cap
                and rows[-1][0] + piece.after + tail <= TEXT_H_PT
            ):
                end -= 1  # the last line goes down with what it keeps with
                used -= rows[end][0]
            style = f' style="margin-top:{before:g}pt"' if before else ""
            tag = piece.open
            if style:
                tag = tag.replace(">", style + ">", 1) if tag else f"<div{style}>"
            head = piece.head[1] if piece.head else ""
            page.parts.append(tag + head + "".join(r for _, r in rows[start:end]) + piece.close)
            if not piece.open and style:
                page.parts.append("</div>")
            page.used += before + (piece.head[0] if piece.head else 0.0) + used
            start = end
            if start >= len(rows):
                break
            page = new_page()
            before = 0.0
        if piece.after:
            page.used = min(page.used + piece.after, cap)
            page.parts.append(f'<div style="height:{piece.after:g}pt"></div>')

    for height, block in imprints:
        page = pages[-1]
        if page.used + height > cap:
            page = new_page()
        if len(pages) % 2:  # the 版记 page is even: the 版记 goes on the next page
            page = new_page()
        page.imprint += block
        page.used = cap
    for page in pages:  # no number on a blank page nor on the 版记 page
        if page.imprint or not page.parts:
            page.number = False
    return pages


def _folio(n: int) -> str:
    side = "odd" if n % 2 else "even"
    return f'<div class="folio {side}">— {n} —</div>'


def render_html(doc: Document) -> str:
    """A standalone UTF-8 HTML page: the printed pages of ``doc``."""
    pieces, imprints = _pieces(doc)
    pages = _paginate(pieces, imprints)
    title = doc.meta.get("title") or next(
        (b.full_text for b in doc.blocks if isinstance(b, Paragraph) and b.role == "title"),
        doc.name,
    )
    out = [
        "<!DOCTYPE html>\n",
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8" />\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1" />\n',
        f"<title>{html.escape(str(title))}</title>\n",
        f"<style>{CSS}</style>\n</head>\n<body>\n",
    ]
    for n, page in enumerate(pages, 1):
        out.append(f'<section class="page {doc.kind}" data-page="{n}">\n<div class="text">\n')
        out.append("\n".join(page.parts))
        out.append(page.imprint)
        out.append("\n</div>\n")
        if page.number:
            out.append(_folio(n))
        out.append("</section>\n")
    out.append("</body>\n</html>\n")
    return "".join(out)
