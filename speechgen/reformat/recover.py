"""Any .docx → the document model: what each paragraph *is*, recovered from its
text, alignment, style and Word numbering, so the docx writer can lay it out anew.

The package is opened with the checker's reader (:class:`DocxPackage`) and
its paragraph roles (:func:`classify`) are the starting point. On top of that:
Word auto-numbering becomes literal markers (:mod:`.autonumber`), manual line
breaks split a paragraph, tables keep every cell, pictures are carried over,
the 署名/成文日期 block at the end is found even when it was pushed right with
spaces, and 版记 lines become an :class:`Imprint`. Every text change is a
:class:`~.fixes.Change`; a picture that cannot be placed where it was is
reported, never dropped.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from ..check.docx_reader import MC_FALLBACK, R_NS, DocxPackage, ParaInfo, classify, paragraph_text
from ..check.format_rules import _size_cn
from ..check.numbering import FORMAL_DEPTH, initial_marker
from ..model import (
    Block,
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
from ..writers.docx import SZ_BODY, SZ_SMALL, SZ_TITLE, FontSettings, title_lines
from .autonumber import num_pr, read_numbering
from .fixes import RULE_NAMES, Change, apply_text_rules

KINDS = ("speech", "outline", "notice", "letter")
KIND_CN = {"speech": "讲话稿", "outline": "讲话提纲", "notice": "通知", "letter": "目标责任书"}

A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
V_NS = "urn:schemas-microsoft-com:vml"
EMU_PER_PT = 12700
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)

_DATE_ONLY = re.compile(
    r"^[（(]?\s*(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)\s*[)）]?$"
)
_PRINTED = re.compile(r"^(.*?)[\s\u3000]*((?:19|20)\d{2}年\d{1,2}月\d{1,2}日)\s*印发$")
_LEAD = re.compile(r"^([一二三四五六七八九十]{1,3}[是要])")
_CLOSING = re.compile(r"^(?:谢谢(?:大家|各位)?|讲话完毕|我就讲这些)[！!。]?$")
_SPOKEN_SALUTATION = re.compile(r"^(?:同志们|同事们|朋友们|各位[^，,。]{0,12})[：:！!]?$")
_END_MARKS = tuple("。！？；，!?;,")  # a 签字： line may end the text
_SIDE_GAP = re.compile(r"[ \u3000\xa0]{2,}|\t+")


@dataclass
class Piece:
    """One paragraph of the output as it came from the input."""

    where: str  # 段N of the input (as check counts), for the report
    text: str
    info: ParaInfo
    images: list[Image] = field(default_factory=list)
    role: str = ""  # set by recovery


@dataclass
class TableItem:
    rows: list[list[str]]
    widths: list[float]
    where: str
    borderless: bool
    images: list[Image] = field(default_factory=list)
    wheres: list[list[str]] = field(default_factory=list)  # 段N of each cell


@dataclass
class Recovered:
    """The model of one input document and everything done to get it."""

    document: Document
    kind: str
    kind_reason: str
    changes: list[Change] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what could not be carried over
    images: int = 0


# ------------------------------------------------------------------ text with breaks


def _pieces_text(p, w: str) -> str:
    """The paragraph's visible text with manual line breaks as ``\\n`` (the reader's rules)."""
    return paragraph_text(p, w, breaks=True)[0]


# ------------------------------------------------------------------ images


def _images(pkg: DocxPackage, el, problems: list[str], where: str) -> list[Image]:
    """Pictures inside an element (DrawingML blips and VML image data), in order."""
    out: list[Image] = []
    embed = f"{{{R_NS}}}embed"
    rid_attr = f"{{{R_NS}}}id"

    def walk(node, depth: int) -> None:
        if depth > 60:
            return
        for child in node:
            tag = child.tag
            if not isinstance(tag, str) or tag == MC_FALLBACK:
                continue
            if tag == f"{{{A_NS}}}blip" and child.get(embed):
                out.append(_image(pkg, child.get(embed), _drawing_size(child), problems, where))
            elif tag == f"{{{V_NS}}}imagedata" and child.get(rid_attr):
                out.append(_image(pkg, child.get(rid_attr), _vml_size(child), problems, where))
            else:
                walk(child, depth + 1)

    walk(el, 0)
    return [i for i in out if i is not None]


def _drawing_size(blip) -> tuple[int, int]:
    for anc in blip.iterancestors():
        if anc.tag in (f"{{{WP_NS}}}inline", f"{{{WP_NS}}}anchor"):
            ext = anc.find(f"{{{WP_NS}}}extent")
            if ext is not None:
                try:
                    return int(ext.get("cx", "0")), int(ext.get("cy", "0"))
                except ValueError:
                    break
    return 0, 0


def _vml_size(imagedata) -> tuple[int, int]:
    shape = imagedata.getparent()
    style = shape.get("style", "") if shape is not None else ""
    size = {}
    for key in ("width", "height"):
        m = re.search(rf"{key}:\s*([\d.]+)(pt|in|cm|mm|px)?", style)
        if m:
            v = float(m.group(1))
            unit = {"pt": 1, "in": 72, "cm": 72 / 2.54, "mm": 72 / 25.4, "px": 0.75}
            size[key] = int(v * unit.get(m.group(2) or "px", 0.75) * EMU_PER_PT)
    return size.get("width", 0), size.get("height", 0)


def _image(pkg: DocxPackage, rid: str, size: tuple[int, int], problems: list[str], where: str):
    rel = pkg.rels.get(rid)
    if rel is None:
        problems.append(f"{where}：图片（{rid}）在文件中找不到，未能放入")
        return None
    path = rel[1]
    try:
        data = pkg.read(path)
    except Exception as e:  # noqa: BLE001 - a damaged member is reported, not fatal
        problems.append(f"{where}：图片 {path} 无法读取（{e}），未能放入")
        return None
    if not data:
        problems.append(f"{where}：图片 {path} 在文件中不存在，未能放入")
        return None
    ext = posixpath.splitext(path)[1].lstrip(".").lower() or "png"
    w, h = size
    if w <= 0 or h <= 0:
        w, h = 150 * EMU_PER_PT, 100 * EMU_PER_PT
    return Image(data, ext, w, h, posixpath.basename(path))


# ------------------------------------------------------------------ reading


_EMPHASIS = (("b", "加粗"), ("i", "倾斜"), ("u", "下划线"), ("highlight", "突出显示"))


def _emphasis(pkg: DocxPackage, info: ParaInfo) -> list[str]:
    """Direct bold, italic, underline, highlight and colour on the paragraph's runs
    (the writer sets each role's own look; these do not survive)."""
    q = pkg.q
    found: list[str] = []
    for r, t in info.runs:
        rpr = r.find(q("rPr"))
        if rpr is None or not t.strip():
            continue
        for tag, name in _EMPHASIS:
            e = rpr.find(q(tag))
            if e is not None and (e.get(q("val")) or "on") not in ("0", "false", "off", "none"):
                if name not in found:
                    found.append(name)
        c = rpr.find(q("color"))
        if c is not None and (c.get(q("val")) or "auto").lower() not in ("auto", "000000"):
            if "颜色" not in found:
                found.append("颜色")
    return found


def _run_format(pkg: DocxPackage, info: ParaInfo) -> tuple[str, int, str] | None:
    """(east-Asian font name, size, theme font or "") of the first text run."""
    for r, t in info.runs:
        if not t.strip():
            continue
        props = pkg.styles.run_props(r, info.el)
        font = props["fonts"].get("eastAsia") or props["fonts"].get("ascii")
        theme = ""
        for slot in ("eastAsia", "ascii", "hAnsi"):
            f = props["fonts"].get(slot)
            if f and f[0] == "theme":
                theme = f[1]
                break
        name = font[1] if font and font[0] == "name" else ""
        return name, int(props["sz"] or 20), theme
    return None


class _Reader:
    def __init__(self, pkg: DocxPackage) -> None:
        self.pkg = pkg
        self.q = pkg.q
        self.numbering = read_numbering(pkg)
        self.infos = {id(i.el): i for i in pkg.paras}
        self.index: dict[int, int] = {}
        n = 0
        for info in pkg.paras:
            if info.text.strip():
                n += 1
                self.index[id(info.el)] = n
        self.last_index = 0
        self.items: list[Any] = []  # Piece | TableItem | ("empty", where)
        self.changes: list[Change] = []
        self.problems: list[str] = []

    def where(self, el) -> str:
        n = self.index.get(id(el))
        if n:
            self.last_index = n
            return f"段{n}"
        return f"段{self.last_index}之后" if self.last_index else "开头"

    def read(self) -> None:
        self._walk(self.pkg.body, 0)

    def _walk(self, el, depth: int) -> None:
        q = self.q
        if depth > 40:
            return
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag == MC_FALLBACK:
                continue
            if tag == q("p"):
                self._paragraph(child)
            elif tag == q("tbl"):
                self._table(child)
            elif tag in (q("sectPr"), q("del"), q("moveFrom")):
                continue
            else:  # sdt, sdtContent, customXml, ins, moveTo …
                self._walk(child, depth + 1)

    def _paragraph(self, p) -> None:
        info = self.infos.get(id(p))
        if info is None:
            return
        where = self.where(p)
        text = _pieces_text(p, self.pkg.w)
        if text.replace("\n", "") != info.text:
            text = info.text  # never lose what the reader sees
        images = _images(self.pkg, p, self.problems, where)
        np_ = num_pr(self.pkg, p, self.numbering)
        if np_ is not None and text.strip():
            lvl = self.numbering.level(*np_)
            marker = self.numbering.next_marker(*np_)
            own = initial_marker(text)
            auto = initial_marker(marker) if marker else None
            if marker and own is not None and auto is not None and own.family == auto.family:
                # 「一、」 typed and also made by Word: the page showed it twice
                self.changes.append(
                    Change(where, marker + text, text, RULE_NAMES["auto-number-twice"])
                )
            elif marker:
                new = marker + text.lstrip(" \u3000\t")
                self.changes.append(Change(where, text, new, RULE_NAMES["auto-number"]))
                text = new
            elif lvl is not None and lvl.fmt == "bullet":
                self.changes.append(
                    Change(where, f"{lvl.text or '•'} {text}", text, RULE_NAMES["bullet"])
                )
        if not text.strip():
            if images:
                self.items.append(Piece(where, "", info, images))
            else:
                layout = _layout_only(p, self.q)
                self.items.append(("empty", where, not layout))
        else:
            lines = [x for x in text.split("\n") if x.strip()]
            if len(lines) > 1 and info.kind in ("title", "attachment_title", "mark"):
                # a break inside a title is layout: the writer breaks titles itself
                joined = "".join(lines)
                if title_lines(joined) != tuple(lines):  # not where the writer breaks it
                    self.changes.append(Change(where, text, joined, RULE_NAMES["title-merge"]))
                lines = [joined]
            if len(lines) > 1:
                self.changes.append(Change(where, text, "¶".join(lines), RULE_NAMES["line-break"]))
            if images:
                self.changes.append(
                    Change(
                        where,
                        f"段中{len(images)}张图片",
                        "图片放在该段之后，居中单独成行",
                        RULE_NAMES["image"],
                    )
                )
            for k, line in enumerate(lines):
                piece = ParaInfo(
                    info.el, line, info.runs, False, False, info.section, False, "body", 0
                )
                piece.cache = info.cache
                self.items.append(Piece(where, line, piece, images if k == len(lines) - 1 else []))
        # text boxes anchored in this paragraph: their paragraphs follow it
        for box in _boxes(p, self.q("txbxContent")):
            for bp in box.iter(self.q("p")):
                binfo = self.infos.get(id(bp))
                if binfo is not None and binfo.text.strip():
                    bwhere = self.where(bp)
                    piece = ParaInfo(bp, binfo.text, binfo.runs, False, False, binfo.section)
                    self.items.append(Piece(bwhere, binfo.text, piece))

    def _table(self, tbl) -> None:
        q = self.q
        rows: list[list[str]] = []
        wheres: list[list[str]] = []
        where = ""
        images: list[Image] = []
        for tr in tbl.iter(q("tr")):
            if next(tr.iterancestors(q("tbl"))) is not tbl:
                continue  # a nested table's rows are read as the text of its cell
            row: list[str] = []
            row_where: list[str] = []
            for tc in tr.findall(q("tc")) + [
                t for s in tr.findall(q("sdt")) for t in s.iter(q("tc"))
            ]:
                lines = []
                cell_where = ""
                for p in tc.iter(q("p")):
                    info = self.infos.get(id(p))
                    w = self.where(p)
                    where = where or w
                    if info is not None and info.text.strip():
                        lines.append(info.text)
                        cell_where = cell_where or w
                    images += _images(self.pkg, p, self.problems, w)
                row.append("\n".join(lines))
                row_where.append(cell_where or where)
            if row:
                rows.append(row)
                wheres.append(row_where)
        if not rows:
            return
        grid = [
            float(g.get(q("w")) or 0)
            for g in tbl.findall(f"{q('tblGrid')}/{q('gridCol')}")
            if (g.get(q("w")) or "").replace(".", "").isdigit()
        ]
        borders = tbl.find(f"{q('tblPr')}/{q('tblBorders')}")
        borderless = borders is not None and all(
            (b.get(q("val")) or "") in ("none", "nil") for b in borders
        )
        if images:
            self.problems.append(
                f"{where or '表格'}：表格中的{len(images)}张图片无法放在单元格内，已放在该表格之后"
            )
        self.items.append(TableItem(rows, grid, where or "表格", borderless, images, wheres))


def _layout_only(p, q) -> bool:
    """An empty paragraph that is page layout, made anew by the writer: a rule
    (border), a page or section break, or a spacer in a hairline font."""
    ppr = p.find(q("pPr"))
    if ppr is not None:
        if ppr.find(q("pBdr")) is not None or ppr.find(q("sectPr")) is not None:
            return True
        sz = ppr.find(f"{q('rPr')}/{q('sz')}")
        if sz is not None and (sz.get(q("val")) or "").isdigit() and int(sz.get(q("val"))) <= 4:
            return True
    return any(br.get(q("type")) == "page" for br in p.iter(q("br")))


def _boxes(p, txbx_tag: str):
    def walk(el):
        for child in el:
            if not isinstance(child.tag, str) or child.tag == MC_FALLBACK:
                continue
            if child.tag == txbx_tag:
                yield child
            else:
                yield from walk(child)

    yield from walk(p)


_PAGE_NUMBER_ONLY = re.compile(r"^[\s\d—–\-－第页共/／·.]*$")


def _outside_body(pkg: DocxPackage) -> list[str]:
    """Text and pictures in headers, footers, footnotes and endnotes: a 公文 has
    no running header and gets its page numbers from the writer, so these are
    not carried over; each one is named in the report."""
    out: list[str] = []
    seen: set[str] = set()
    for typ, name, root in pkg.header_footer_parts():
        label = "页眉" if typ == "header" else "页脚"
        for p in root.iter(pkg.q("p")):
            text = _pieces_text(p, pkg.w).strip()
            if text and not _PAGE_NUMBER_ONLY.match(text) and (label, text) not in seen:
                seen.add((label, text))  # type: ignore[arg-type]
                out.append(f"{label}中的文字「{text}」未放入（公文版式不用页眉，页码由排版生成）")
        if any(True for _ in root.iter(f"{{{A_NS}}}blip", f"{{{V_NS}}}imagedata")):
            out.append(f"{label}中的图片（{name}）未放入（公文版式不用页眉页脚图片）")
    q = pkg.q
    if next(pkg.body.iter(q("ins"), q("del"), q("moveFrom"), q("moveTo")), None) is not None:
        out.append("文档带有修订痕迹：按接受全部修订后的文字排版（删除的文字不放入）")
    if any(t == "comments" for t, _path in pkg.rels.values()):
        out.append("文档中的批注未放入")
    for typ, tag in (("footnotes", "footnote"), ("endnotes", "endnote")):
        part = next((path for t, path in pkg.rels.values() if t == typ), None)
        if not part:
            continue
        try:
            data = pkg.read(part)
        except Exception:  # noqa: BLE001
            continue
        if not data:
            continue
        try:
            root = etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError:
            continue
        label = "脚注" if typ == "footnotes" else "尾注"
        for note in root.iter(pkg.q(tag)):
            if (note.get(pkg.q("type")) or "normal") != "normal":
                continue
            text = "".join(_pieces_text(p, pkg.w) for p in note.iter(pkg.q("p"))).strip()
            if text:
                out.append(f"{label}「{text}」未放入（请改写进正文）")
    return out


# ------------------------------------------------------------------ kind


def guess_kind(pieces: list[Piece], tables: list[TableItem]) -> tuple[str, str]:
    """The document kind from its content, and the reason in words."""
    kinds = [p.info.kind for p in pieces]
    titles = "".join(p.text for p in pieces if p.info.kind == "title")
    text = "".join(p.text for p in pieces)
    cells = "".join(c for t in tables for r in t.rows for c in r)
    if "责任书" in titles or ("甲方" in text + cells and "乙方" in text + cells):
        return "letter", "标题有“责任书”或正文有甲方、乙方"
    if "提纲" in titles:
        return "outline", "标题有“提纲”"
    if "讲话" in titles or any(_SPOKEN_SALUTATION.match(p.text.strip()) for p in pieces[:4]):
        return "speech", "标题有“讲话”或有称谓（同志们：、各位……：）"
    if "mark" in kinds or "doc-number" in kinds or "imprint" in kinds:
        return "notice", "有发文机关标志、发文字号或版记"
    if re.search(r"通知|通报|意见|方案|函|决定|报告|请示|批复|办法", titles):
        return "notice", "标题是公文文种（通知、意见、方案等）"
    if "salutation" in kinds:
        return "notice", "标题下有主送机关"
    return "speech", "未见公文标志，按讲话稿排版"


# ------------------------------------------------------------------ roles


def _refine(pieces: list[Piece], kind: str, styles: Any) -> None:
    """Roles beyond the reader's: the 署名/成文日期 block, the speaker line,
    closings and 主送."""
    # 「附件1：」 alone on a line after the 署名 or the 成文日期 opens an attachment
    for k in range(1, len(pieces)):
        p = pieces[k]
        if p.info.kind in ("attachment_note", "body") and _LABEL.fullmatch(p.text.strip()):
            prev = pieces[k - 1]
            if prev.info.kind in ("signature", "date") or _DATE_ONLY.match(prev.text.strip()):
                p.info.kind = "attachment_label"
                if k + 1 < len(pieces) and pieces[k + 1].info.kind in ("attachment_note", "body"):
                    nxt = pieces[k + 1].text.strip()
                    if "。" not in nxt and len(nxt) <= 40 and initial_marker(nxt) is None:
                        pieces[k + 1].info.kind = "attachment_title"
    # an issuer's name in black over a 发文字号 was taken for the title: it is the mark
    for k, p in enumerate(pieces[:4]):
        if p.info.kind == "doc-number" and k > 0:
            if all(x.info.kind == "title" for x in pieces[:k]):
                for x in pieces[:k]:
                    x.info.kind = "mark"
            break
    # the tail of the main text (before an attachment or the 版记)
    end = len(pieces)
    for k, p in enumerate(pieces):
        if p.info.kind in ("attachment_label", "imprint"):
            end = k
            break
    k = end - 1
    tail: list[Piece] = []
    while k >= 0:
        p = pieces[k]
        t = p.text.strip()
        if p.info.kind in ("signature", "date") or (
            p.info.kind in ("body", "addressee", "salutation")
            and len(t) <= 40
            and not t.endswith(_END_MARKS)
            and initial_marker(t) is None
        ):
            tail.insert(0, p)
            k -= 1
        else:
            break
    if tail and any(
        p.info.kind in ("signature", "date") or _DATE_ONLY.match(p.text.strip()) for p in tail
    ):
        for p in tail:
            p.info.kind = "date" if _DATE_ONLY.match(p.text.strip()) else "signature"
    # a title typed over two paragraphs: the second in the title's size, or ending in a 文种
    for k in range(1, len(pieces)):
        p, prev = pieces[k], pieces[k - 1]
        if p.info.kind != "subtitle" or prev.info.kind != "title":
            continue
        size, first = _size(p, styles), _size(prev, styles)
        if (size and size == first and size >= 36) or _GENRE_END.search(p.text.strip()):
            p.info.kind = "title"
    seen_title = False
    for p in pieces:
        t = p.text.strip()
        if p.info.kind == "title":
            seen_title = True
        elif p.info.kind == "addressee" and kind in ("speech", "outline") and seen_title:
            p.info.kind = "subtitle"  # 县长 张三: the speaker line under the title
        elif p.info.kind == "body" and _CLOSING.match(t):
            p.info.kind = "closing"
        if p.info.kind == "heading" and p.info.level > 4:
            p.info.level = 4
    # a long 主送 line (the reader takes only short ones) right under the title block
    for k, p in enumerate(pieces):
        if p.info.kind in ("mark", "doc-number", "title", "subtitle"):
            continue
        t = p.text.strip()
        if (
            kind in ("notice", "letter")
            and p.info.kind == "body"
            and t.endswith(("：", ":"))
            and "。" not in t
            and initial_marker(t) is None
            and k > 0
            and pieces[k - 1].info.kind in ("title", "subtitle")
        ):
            p.info.kind = "salutation"
        break


_LABEL = re.compile(r"附\s*件\s*\d*\s*[：:]?")
_GENRE_END = re.compile(r"(?:通知|讲话|意见|方案|报告|通报|决定|责任书|提纲|纪要|请示|批复|函)$")


def _size(p: Piece, styles: Any) -> int:
    for r, t in p.info.runs:
        if t.strip():
            return int(styles.run_props(r, p.info.el)["sz"] or 0)
    return 0


_ROLE_OF_KIND = {
    "title": "title",
    "subtitle": "subtitle",
    "addressee": "addressee",
    "attachment_note": "attachment_note",
    "attachment_label": "attachment_label",
    "attachment_title": "attachment_title",
    "signature": "signature",
    "date": "date",
    "closing": "closing",
}


def _target(role: str, level: int, fonts: FontSettings) -> tuple[str, int]:
    if role in ("title", "attachment_title", "mark"):
        return fonts.title, SZ_TITLE
    if role == "subtitle" or (role == "heading" and level == 2):
        return fonts.heading2, SZ_BODY
    if role == "attachment_label" or (role == "heading" and level == 1):
        return fonts.heading1, SZ_BODY
    if role == "imprint":
        return fonts.body, SZ_SMALL
    return fonts.body, SZ_BODY


def recover(path, as_kind: str = "auto", fonts: FontSettings | None = None) -> Recovered:
    """Read ``path`` (any .docx) into a :class:`Document` of the given or guessed kind."""
    fonts = fonts or FontSettings()
    pkg = DocxPackage(path)
    try:
        r = _Reader(pkg)
        r.read()
        changes, problems = r.changes, r.problems
        problems[:0] = [f"部分内容无法读取：{n}" for n in pkg.notes]
        if r.numbering.problem:
            problems.insert(0, f"{r.numbering.problem}：Word 自动编号未能转为文字")
        pieces = [x for x in r.items if isinstance(x, Piece) and x.text]
        tables = [x for x in r.items if isinstance(x, TableItem)]
        classify([p.info for p in pieces], pkg.styles)
        if as_kind == "auto":
            kind, reason = guess_kind(pieces, tables)
        else:
            kind, reason = as_kind, "按 --as 指定"
        _refine(pieces, kind, pkg.styles)
        blocks = _assemble(r.items, kind, pkg, fonts, changes, problems)
        problems.extend(_outside_body(pkg))
    finally:
        try:
            pkg.zip.close()
        except Exception:  # noqa: BLE001
            pass
    title = next(
        (b.full_text for b in blocks if isinstance(b, Paragraph) and b.role == "title"), ""
    )
    meta = {"title": title}
    for b in blocks:
        if isinstance(b, Paragraph) and b.role in ("date", "subtitle"):
            m = re.search(r"((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日", b.text)
            if m:
                meta["date"] = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
                break
    changes.sort(key=_reading_order)  # stable: a paragraph's changes keep their order
    doc = Document(kind, str(getattr(path, "stem", "")) or "文档", blocks, meta)
    n_images = sum(isinstance(b, Image) for b in blocks)
    return Recovered(doc, kind, reason, changes, problems, n_images)


def _assemble(
    items: list[Any],
    kind: str,
    pkg: DocxPackage,
    fonts: FontSettings,
    changes: list[Change],
    problems: list[str],
) -> list[Block]:
    blocks: list[Block] = []
    tail: list[Block] = []  # the 版记 goes last
    red: RedHeader | None = None
    imprint: Imprint | None = None
    empties: list[str] = []
    in_attachment = False
    prev_role = ""
    imprint_at = -1  # blocks written before the 版记 lines

    def flush_empties() -> None:
        if empties:
            n = len(empties)
            before = "（空段落）" if n == 1 else f"（{n}个空段落）"
            changes.append(Change(empties[0], before, "", RULE_NAMES["empty"]))
            empties.clear()

    def fmt_change(p: Piece, role: str, level: int) -> None:
        got = _run_format(pkg, p.info)
        if got is None:
            return
        name, sz, theme = got
        want_font, want_sz = _target(role, level, fonts)
        if theme:
            changes.append(
                Change(p.where, f"主题字体（{theme}）", want_font, RULE_NAMES["theme-font"])
            )
        extra = _emphasis(pkg, p.info) if role not in ("mark", "title", "attachment_title") else []
        if role != "mark" and (name and name != want_font or sz != want_sz or extra):
            changes.append(
                Change(
                    p.where,
                    f"{name or '默认字体'} {_size_cn(sz)}"
                    + (f"，{'、'.join(extra)}" if extra else ""),
                    f"{want_font} {_size_cn(want_sz)}",
                    RULE_NAMES["formatting"],
                )
            )

    for item in items:
        if isinstance(item, tuple):
            if item[2]:
                empties.append(item[1])
            continue
        flush_empties()
        if isinstance(item, TableItem):
            rows = []
            for row, row_where in zip(item.rows, item.wheres, strict=True):
                out_row = []
                for cell, where in zip(row, row_where, strict=True):
                    out_row.append(
                        apply_text_rules(cell, "table-cell", where, changes) if cell else ""
                    )
                rows.append(out_row)
            ncols = max(len(r) for r in rows)
            two_sides = "".join(c for r in rows for c in r)
            filled = [c for r in rows for c in r if c.strip()]
            if filled and all(
                c.startswith("抄送") or _PRINTED.match(re.sub(r"\s+", " ", c)) for c in filled
            ):  # the 版记 typed in a bordered table
                if imprint is None:
                    imprint = Imprint("", "")
                    tail.append(imprint)
                imprint_at = len(blocks)
                for c in filled:
                    c = re.sub(r"\s+", " ", c)
                    if c.startswith("抄送"):
                        imprint.cc = c if c.endswith("。") else c + "。"
                        if imprint.cc != c:
                            changes.append(Change(item.where, c, imprint.cc, RULE_NAMES["imprint"]))
                    else:
                        m = _PRINTED.match(c)
                        imprint.printed_by, imprint.printed_date = m.group(1).strip(), m.group(2)
                continue
            if ncols == 2 and (
                ("甲方" in two_sides and "乙方" in two_sides)
                or (item.borderless and re.search("盖章|签字|签章", two_sides))
            ):
                left = [x for r in rows for x in r[0].split("\n") if x] if rows else []
                right = [x for r in rows if len(r) > 1 for x in r[1].split("\n") if x]
                blocks.append(SignatureTable(left, right))
            else:
                blocks.append(Table(rows[0], rows[1:], _widths(item.widths, rows), role="data"))
            blocks.extend(item.images)
            prev_role = "table"
            continue
        p: Piece = item
        if not p.text:
            blocks.extend(p.images)
            continue
        k = p.info.kind
        level = p.info.level
        if k == "heading":
            role = "heading"
        elif k == "salutation":
            spoken = kind in ("speech", "outline") or _SPOKEN_SALUTATION.match(p.text.strip())
            role = "salutation" if spoken else "addressee"
        elif k in ("mark", "doc-number", "imprint"):
            role = k
        elif k == "textbox":
            role = "body"
        else:
            role = _ROLE_OF_KIND.get(k, "body")
        if in_attachment and role == "title":
            role = "attachment_title"
        text = apply_text_rules(p.text, "heading" if role == "heading" else role, p.where, changes)
        fmt_change(p, role, level)
        if role == "mark":
            if red is None:
                red = RedHeader(text)
                blocks.append(red)
            else:
                red.mark += text
        elif role == "doc-number":
            if red is not None and not red.doc_number:
                red.doc_number = text
            else:
                blocks.append(Paragraph(text, "subtitle"))
        elif role == "imprint":
            if imprint is None:
                imprint = Imprint("", "")
                tail.append(imprint)
            imprint_at = len(blocks)
            if text.startswith("抄送"):
                cc = text if text.endswith("。") else text + "。"
                if cc != text:
                    changes.append(Change(p.where, text, cc, RULE_NAMES["imprint"]))
                imprint.cc = (imprint.cc + cc) if imprint.cc else cc
            else:
                m = _PRINTED.match(text)
                if m and m.group(1):
                    imprint.printed_by, imprint.printed_date = m.group(1).strip(), m.group(2)
                else:
                    problems.append(f"{p.where}：版记“{text}”未能分出印发机关和日期，按原文保留")
                    blocks.append(Paragraph(text, "body"))
        elif role == "heading":
            m = initial_marker(text)
            if m is not None and m.family in FORMAL_DEPTH:
                blocks.append(Heading(text[m.end :], FORMAL_DEPTH[m.family], text[m.start : m.end]))
            else:
                blocks.append(Heading(text, max(1, min(level or 1, 4)), ""))
        elif role == "attachment_label":
            label = re.sub(r"[\s：:]+", "", text)  # 「附件 1：」 → 「附件1」
            if label != text:
                changes.append(Change(p.where, text, label, RULE_NAMES["attachment-label"]))
                text = label
            blocks.append(PageBreak())
            blocks.append(Paragraph(text, "attachment_label"))
            in_attachment = True
        elif role == "title" and prev_role == "title" and isinstance(blocks[-1], Paragraph):
            before = blocks[-1].text
            blocks[-1].text = before + text
            changes.append(
                Change(p.where, f"{before}¶{text}", before + text, RULE_NAMES["title-merge"])
            )
        elif role == "body":
            m = _LEAD.match(text)
            if m is None:  # a run-in heading: （二）燃气安全。后面是正文……
                mk = initial_marker(text)
                m = mk if mk is not None and mk.family in ("cn_dun", "cn_paren") else None
            stop = text.find("。")
            if m and 0 < stop <= 40 and stop + 1 < len(text):
                blocks.append(Paragraph(text[stop + 1 :], "body", lead=text[: stop + 1]))
            else:
                blocks.append(Paragraph(text, "body"))
        else:
            blocks.append(Paragraph(text, role))
        blocks.extend(p.images)
        prev_role = role
    empties.clear()  # trailing empty paragraphs (Word keeps one after a final table): no text, no change
    if imprint is not None:
        if not imprint.printed_by:
            # a 抄送 line without the 印发 line: keep it as text rather than invent one
            blocks.append(Paragraph(imprint.cc, "body"))
            tail.remove(imprint)
        elif any(not isinstance(b, PageBreak) for b in blocks[imprint_at:]):
            changes.append(Change("版记", "版记不在文末", "版记在文末", RULE_NAMES["order"]))
    while blocks and isinstance(blocks[-1], PageBreak):
        blocks.pop()
    if kind == "letter":
        blocks = _signature_sides(blocks, changes)
    return blocks + tail


def _widths(grid: list[float], rows: list[list[str]]) -> list[float]:
    """Relative column widths: the input's own when it set them, else (a grid of
    equal columns, Word's default) from the longest line of text in each column."""
    ncols = max(len(r) for r in rows)
    if len(grid) == ncols and ncols and max(grid) > 1.05 * min(grid) > 0:
        return grid
    out = []
    for j in range(ncols):
        longest = max(
            (len(line) for r in rows if j < len(r) for line in r[j].split("\n")), default=2
        )
        out.append(float(min(max(longest, 2), 14)))
    return out


def _reading_order(c: Change) -> tuple[int, int]:
    m = re.match(r"段(\d+)(之后)?", c.paragraph)
    if m:
        return int(m.group(1)), 1 if m.group(2) else 0
    return (0, 0) if c.paragraph == "开头" else (1 << 30, 0)


def _signature_sides(blocks: list[Block], changes: list[Change]) -> list[Block]:
    """A letter's 甲方/乙方 signature lines typed as paragraphs (side by side with
    tabs or spaces, or one side after the other) become the two-column table."""
    out: list[Block] = []
    k = 0
    while k < len(blocks):
        b = blocks[k]
        if not (isinstance(b, Paragraph) and b.role == "signature"):
            out.append(b)
            k += 1
            continue
        run: list[Paragraph] = []
        while k < len(blocks) and isinstance(blocks[k], Paragraph):
            p = blocks[k]
            if p.role != "signature":  # type: ignore[union-attr]
                break
            run.append(p)  # type: ignore[arg-type]
            k += 1
        texts = [p.text for p in run]
        if not any("甲方" in t for t in texts) or not any("乙方" in t for t in texts):
            out.extend(run)
            continue
        left: list[str] = []
        right: list[str] = []
        side = left
        for t in texts:
            parts = [x for x in _SIDE_GAP.split(t) if x.strip()]
            if len(parts) == 2:
                left.append(parts[0].strip())
                right.append(parts[1].strip())
                continue
            if t.lstrip().startswith("乙方"):
                side = right
            side.append(t.strip())
        out.append(SignatureTable(left, right))
        changes.append(
            Change(
                "署名",
                "¶".join(texts),
                "｜".join(("¶".join(left), "¶".join(right))),
                RULE_NAMES["signature-table"],
            )
        )
    return out
