"""Read any .docx (speechgen's, Word's, WPS's) into paragraph records, with
the style resolution the format rules need.

The package is read with :mod:`zipfile` and :mod:`lxml` directly, which is
more forgiving than python-docx with files from other programs: paragraphs
are taken in document order from the body, tables (any depth), content
controls and text boxes (``mc:Fallback`` copies are skipped); deleted text,
field instructions and hidden runs are not text. Anything that cannot be read
raises :class:`ReadProblem` with a Chinese message, never another exception.
"""

from __future__ import annotations

import posixpath
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from ..faults import NOT_A_FILE, read_error_message
from .numbering import FORMAL_DEPTH, initial_marker, is_standalone
from .records import Record, para_location
from .textutil import head

W_MAIN = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
R_STRICT = "http://purl.oclc.org/ooxml/officeDocument/relationships"
MC_FALLBACK = f"{{{MC_NS}}}Fallback"

# Bounds on what one .docx may make the reader do. A real document's XML parts
# are a few MB even for hundreds of pages; images and fonts are never read.
MAX_PART_BYTES = 24 * 1024 * 1024  # one XML part, uncompressed
MAX_TOTAL_BYTES = 48 * 1024 * 1024  # all parts read from one file, uncompressed
MAX_MEMBERS = 5000  # entries in the zip
MAX_DIRECTORY_BYTES = 4 * 1024 * 1024  # the zip's central directory
MAX_RELATIONSHIPS = 2000  # relationships read from one .rels part
MAX_PARTS = 200  # XML parts parsed (document, styles, settings, headers, footers)
MAX_DEPTH = 200  # XML nesting (libxml2 refuses more than 256 without huge_tree)
_CHUNK = 64 * 1024

_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    huge_tree=False,
    remove_comments=True,
    load_dtd=False,
    dtd_validation=False,
)
_DTD_MARKS = (
    b"<!DOCTYPE",
    b"<!ENTITY",
    "<!DOCTYPE".encode("utf-16-le"),
    "<!ENTITY".encode("utf-16-le"),
)
_DTD_MARKS += ("<!DOCTYPE".encode("utf-16-be"), "<!ENTITY".encode("utf-16-be"))


class ReadProblem(Exception):
    """The file cannot be read as a .docx; the message says why, in Chinese."""


def _parse(data: bytes, name: str) -> etree._Element:
    # Word never writes a DTD; one in a .docx is how entity bombs and external
    # entities come in, so it is refused before libxml2 sees it.
    if any(mark in data for mark in _DTD_MARKS):
        raise ReadProblem(
            f"{name} 含有 DTD 或实体声明（Word 文档中不会有），可能是恶意构造的文件，不读取"
        )
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as e:
        if "depth" in str(e.msg).lower():
            raise ReadProblem(
                f"{name} 的 XML 嵌套层级过深（超过 {MAX_DEPTH} 层），不像是 Word 文档，不读取"
            ) from None
        raise ReadProblem(f"{name} 不是有效的 XML（{e.msg}）") from None
    if root is None:
        raise ReadProblem(f"{name} 是空的")
    if root.getroottree().docinfo.internalDTD is not None:
        raise ReadProblem(f"{name} 含有 DTD 或实体声明（Word 文档中不会有），不读取")
    return root


def _directory_size(path: Path) -> tuple[int, int] | None:
    """(entries, central directory bytes) from the zip's end record, before zipfile reads it.

    ``zipfile`` builds an object per entry of the central directory; a file
    claiming millions of entries is refused before that. ``None`` when there
    is no plain end record (zipfile then reports the damage, or zip64 is used
    and checked by the caller from the ZipInfo list).
    """
    try:
        with open(path, "rb") as fh:
            fh.seek(0, 2)
            size = fh.tell()
            fh.seek(max(0, size - (65536 + 22)))
            tail = fh.read()
    except OSError:
        return None
    k = tail.rfind(b"PK\x05\x06")
    if k < 0 or len(tail) < k + 22:
        return None
    entries = int.from_bytes(tail[k + 10 : k + 12], "little")
    cd_size = int.from_bytes(tail[k + 12 : k + 16], "little")
    return entries, cd_size


@dataclass
class Section:
    index: int
    el: Any  # w:sectPr


@dataclass
class Styles:
    """Style lookup and property resolution (direct → styles → docDefaults)."""

    w: str
    by_id: dict[str, Any] = field(default_factory=dict)
    default_para: str | None = None
    default_table: str | None = None
    default_char: str | None = None
    doc_rpr: Any = None
    doc_ppr: Any = None

    def q(self, tag: str) -> str:
        return f"{{{self.w}}}{tag}"

    @classmethod
    def from_root(cls, root, w: str) -> Styles:
        s = cls(w)
        if root is None:
            return s
        q = s.q
        for st in root.iter(q("style")):
            sid = st.get(q("styleId"))
            if not sid:
                continue
            s.by_id.setdefault(sid, st)
            if st.get(q("default")) in ("1", "true", "on"):
                typ = st.get(q("type"))
                if typ == "paragraph" and s.default_para is None:
                    s.default_para = sid
                elif typ == "table" and s.default_table is None:
                    s.default_table = sid
                elif typ == "character" and s.default_char is None:
                    s.default_char = sid
        dd = root.find(q("docDefaults"))
        if dd is not None:
            s.doc_rpr = dd.find(f"{q('rPrDefault')}/{q('rPr')}")
            s.doc_ppr = dd.find(f"{q('pPrDefault')}/{q('pPr')}")
        return s

    def chain(self, sid: str | None) -> list[Any]:
        out: list[Any] = []
        seen: set[str] = set()
        while sid and sid not in seen and len(out) < 30:
            seen.add(sid)
            st = self.by_id.get(sid)
            if st is None:
                break
            out.append(st)
            based = st.find(self.q("basedOn"))
            sid = based.get(self.q("val")) if based is not None else None
        return out

    def name(self, sid: str | None) -> str:
        st = self.by_id.get(sid or "")
        if st is None:
            return ""
        n = st.find(self.q("name"))
        return (n.get(self.q("val")) or "") if n is not None else ""

    # -------------------------------------------------------------- paragraphs
    def para_style_id(self, p) -> str | None:
        ps = p.find(f"{self.q('pPr')}/{self.q('pStyle')}")
        if ps is not None and ps.get(self.q("val")):
            return ps.get(self.q("val"))
        return self.default_para

    def _table_style(self, p) -> str | None:
        tbl = None
        for anc in p.iterancestors(self.q("tbl")):
            tbl = anc
            break
        if tbl is None:
            return None
        ts = tbl.find(f"{self.q('tblPr')}/{self.q('tblStyle')}")
        if ts is not None and ts.get(self.q("val")):
            return ts.get(self.q("val"))
        return self.default_table

    def para_levels(self, p) -> list[Any]:
        q = self.q
        levels = [p.find(q("pPr"))]
        levels += [st.find(q("pPr")) for st in self.chain(self.para_style_id(p))]
        levels += [st.find(q("pPr")) for st in self.chain(self._table_style(p))]
        levels.append(self.doc_ppr)
        return [x for x in levels if x is not None]

    def para_props(self, p) -> dict[str, Any]:
        q = self.q
        levels = self.para_levels(p)
        out: dict[str, Any] = {
            "line": None,
            "lineRule": None,
            "jc": None,
            "firstLine": None,
            "firstLineChars": None,
            "hanging": None,
            "hangingChars": None,
            "numbered": False,
            "snap": True,
        }
        for lv in levels:
            sp = lv.find(q("spacing"))
            if sp is not None and sp.get(q("line")) is not None:
                out["line"] = _int(sp.get(q("line")))
                out["lineRule"] = sp.get(q("lineRule")) or "auto"
                break
        for lv in levels:
            ind = lv.find(q("ind"))
            if ind is None:
                continue
            keys = ("firstLine", "firstLineChars", "hanging", "hangingChars")
            if any(ind.get(q(k)) is not None for k in keys):
                for k in keys:
                    out[k] = _int(ind.get(q(k)))
                break
        for lv in levels:
            jc = lv.find(q("jc"))
            if jc is not None and jc.get(q("val")):
                out["jc"] = jc.get(q("val"))
                break
        for lv in levels:
            num = lv.find(q("numPr"))
            if num is not None:
                nid = num.find(q("numId"))
                val = nid.get(q("val")) if nid is not None else None
                out["numbered"] = val not in (None, "0")
                break
        for lv in levels:
            sg = lv.find(q("snapToGrid"))
            if sg is not None:
                out["snap"] = sg.get(q("val")) not in ("0", "false", "off")
                break
        return out

    # -------------------------------------------------------------- runs
    def run_levels(self, r, p) -> list[Any]:
        q = self.q
        rpr = r.find(q("rPr"))
        levels = [rpr]
        rs = rpr.find(q("rStyle")) if rpr is not None else None
        if rs is not None:
            levels += [st.find(q("rPr")) for st in self.chain(rs.get(q("val")))]
        levels += [st.find(q("rPr")) for st in self.chain(self.para_style_id(p))]
        levels += [st.find(q("rPr")) for st in self.chain(self._table_style(p))]
        levels.append(self.doc_rpr)
        return [x for x in levels if x is not None]

    def run_props(self, r, p) -> dict[str, Any]:
        q = self.q
        levels = self.run_levels(r, p)
        fonts: dict[str, tuple[str, str] | None] = {}
        for slot, theme in (
            ("ascii", "asciiTheme"),
            ("hAnsi", "hAnsiTheme"),
            ("eastAsia", "eastAsiaTheme"),
            ("cs", "cstheme"),
        ):
            fonts[slot] = None
            for lv in levels:
                rf = lv.find(q("rFonts"))
                if rf is None:
                    continue
                t, v = rf.get(q(theme)), rf.get(q(slot))
                if t:
                    fonts[slot] = ("theme", t)
                    break
                if v:
                    fonts[slot] = ("name", v)
                    break
        sz = None
        color = None
        for lv in levels:
            e = lv.find(q("sz"))
            if e is not None and e.get(q("val")) is not None:
                sz = _int(e.get(q("val")))
                break
        for lv in levels:
            e = lv.find(q("color"))
            if e is not None and e.get(q("val")):
                color = e.get(q("val"))
                break
        return {"fonts": fonts, "sz": sz if sz is not None else 20, "color": color}


def _int(v: str | None) -> int | None:
    if v is None:
        return None
    try:
        return int(float(v))
    except ValueError:
        return None


@dataclass
class ParaInfo:
    el: Any
    text: str
    runs: list[tuple[Any, str]]
    in_table: bool
    in_box: bool
    section: int
    header_row: bool = False
    kind: str = "body"
    level: int = 0
    cache: dict[str, Any] = field(default_factory=dict)


class DocxPackage:
    """An opened .docx: parts as lxml trees, styles, sections, paragraphs, records."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.notes: list[str] = []
        try:
            st = self.path.stat()
        except OSError as e:
            raise ReadProblem(f"无法读取文件（{read_error_message(e)}）") from None
        size = st.st_size
        if not stat.S_ISREG(st.st_mode):
            raise ReadProblem(NOT_A_FILE)
        if size == 0:
            raise ReadProblem("文件是空的（0 字节）")
        try:
            with open(self.path, "rb") as fh:
                magic = fh.read(8)
        except OSError as e:
            raise ReadProblem(f"无法读取文件（{read_error_message(e)}）") from None
        if magic.startswith(b"\xd0\xcf\x11\xe0"):
            raise ReadProblem(
                "这是旧版 Word（.doc）或加密的文件，不是 .docx：请在 Word/WPS 中“另存为 .docx”后再检查"
            )
        directory = _directory_size(self.path)
        if directory is not None and (
            directory[0] > MAX_MEMBERS or directory[1] > MAX_DIRECTORY_BYTES
        ):
            raise ReadProblem(
                f"压缩包内文件过多（{directory[0]} 个，上限 {MAX_MEMBERS}），不像是 .docx 文件，不读取"
            )
        self.read_bytes = 0
        self.parts_parsed = 0
        try:
            self.zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
            raise ReadProblem(
                "不是有效的 .docx 文件（无法作为 ZIP 压缩包打开，文件可能已损坏）"
            ) from None
        try:
            infos = self.zip.infolist()
        except Exception:  # noqa: BLE001 - a broken central directory
            raise ReadProblem("不是有效的 .docx 文件（压缩包目录损坏）") from None
        if len(infos) > MAX_MEMBERS:
            raise ReadProblem(
                f"压缩包内文件过多（{len(infos)} 个，上限 {MAX_MEMBERS}），不像是 .docx 文件，不读取"
            )
        self.infos = {i.filename: i for i in infos}
        self.sizes = {i.filename: i.file_size for i in infos}
        main = self._main_part_name()
        if main is None:
            raise ReadProblem("压缩包里没有 word/document.xml，不是 Word 文档")
        self.main = main
        self.document = self._xml(main, required=True)
        tag = self.document.tag
        self.w = tag[1:].split("}")[0] if tag.startswith("{") else W_MAIN
        if etree.QName(self.document).localname != "document":
            raise ReadProblem(f"{main} 不是 Word 正文部件")
        self.body = self.document.find(self.q("body"))
        if self.body is None:
            raise ReadProblem(f"{main} 中没有正文（w:body）")
        self.rels = self._rels(main)
        self.styles_root = self._xml(self._rel_target("styles") or "word/styles.xml")
        self.settings = self._xml(self._rel_target("settings") or "word/settings.xml")
        self.styles = Styles.from_root(self.styles_root, self.w)
        self.sections: list[Section] = []
        self.paras: list[ParaInfo] = []
        self._read_body()
        classify(self.paras, self.styles)
        self.records = self._records()

    # -------------------------------------------------------------- parts
    def q(self, tag: str) -> str:
        return f"{{{self.w}}}{tag}"

    def read(self, name: str, limit: int = MAX_PART_BYTES) -> bytes | None:
        """A member's bytes, decompressed in chunks and stopped at ``limit``.

        The sizes a zip declares are not trusted: a zip bomb is refused as soon
        as what it actually unpacks passes the limit, so memory stays bounded.
        """
        info = self.infos.get(name)
        if info is None:
            return None
        big = (
            f"{name} 解压后超过 {limit // 1024 // 1024} MB（可能是“压缩炸弹”），"
            "不像是正常的 Word 文档，不读取"
        )
        if info.file_size > limit:
            raise ReadProblem(big)
        budget = MAX_TOTAL_BYTES - self.read_bytes
        out = bytearray()
        try:
            with self.zip.open(info) as fh:
                while True:
                    chunk = fh.read(_CHUNK)
                    if not chunk:
                        break
                    out += chunk
                    if len(out) > limit:
                        raise ReadProblem(big)
                    if len(out) > budget:
                        raise ReadProblem(
                            f"文件中各部分解压后合计超过 {MAX_TOTAL_BYTES // 1024 // 1024} MB"
                            "（可能是“压缩炸弹”），不读取"
                        )
        except ReadProblem:
            raise
        except Exception as e:  # noqa: BLE001 - zlib/CRC errors of a damaged file
            raise ReadProblem(
                f"{name} 无法解压（文件可能已损坏：{e.__class__.__name__}）"
            ) from None
        self.read_bytes += len(out)
        return bytes(out)

    def _xml(self, name: str | None, required: bool = False):
        if not name:
            return None
        try:
            if self.parts_parsed >= MAX_PARTS:
                raise ReadProblem(f"引用的部件超过 {MAX_PARTS} 个，其余（{name} 等）未读取")
            data = self.read(name)
            if data is None:
                if required:
                    raise ReadProblem(f"压缩包里没有 {name}")
                return None
            self.parts_parsed += 1
            return _parse(data, name)
        except ReadProblem as e:
            if required:
                raise
            self.notes.append(str(e))
            return None

    def _main_part_name(self) -> str | None:
        data = None
        if "_rels/.rels" in self.sizes and self.sizes["_rels/.rels"] < 1_000_000:
            try:
                data = self.read("_rels/.rels", limit=1_000_000)
                root = _parse(data or b"", "_rels/.rels")
                for rel in root[:MAX_RELATIONSHIPS]:
                    if str(rel.get("Type", "")).endswith("/officeDocument"):
                        target = rel.get("Target", "").lstrip("/")
                        if target in self.sizes:
                            return target
            except Exception:  # noqa: BLE001 - fall back to the usual name
                pass
        return "word/document.xml" if "word/document.xml" in self.sizes else None

    def _rels(self, part: str) -> dict[str, tuple[str, str]]:
        folder, name = posixpath.split(part)
        rel_name = posixpath.join(folder, "_rels", name + ".rels")
        root = self._xml(rel_name)
        out: dict[str, tuple[str, str]] = {}
        if root is None:
            return out
        if len(root) > MAX_RELATIONSHIPS:
            self.notes.append(
                f"{rel_name} 中的关系超过 {MAX_RELATIONSHIPS} 条，只读取前 {MAX_RELATIONSHIPS} 条"
            )
        for rel in root[:MAX_RELATIONSHIPS]:
            rid, typ, target = rel.get("Id"), rel.get("Type", ""), rel.get("Target", "")
            if not rid or rel.get("TargetMode") == "External":
                continue
            if target.startswith("/"):
                path = target.lstrip("/")
            else:
                path = posixpath.normpath(posixpath.join(folder, target))
            out[rid] = (typ.rsplit("/", 1)[-1], path)
        return out

    def _rel_target(self, kind: str) -> str | None:
        for typ, path in self.rels.values():
            if typ == kind:
                return path
        return None

    def part_for(self, rid: str | None):
        if not rid or rid not in self.rels:
            return None, None
        name = self.rels[rid][1]
        return name, self._xml(name)

    def header_footer_parts(self) -> list[tuple[str, str, Any]]:
        """(kind, part name, root) of every header and footer the document references."""
        out = []
        for _rid, (typ, path) in self.rels.items():
            if typ in ("header", "footer"):
                root = self._xml(path)
                if root is not None:
                    out.append((typ, path, root))
        return out

    # -------------------------------------------------------------- body
    def _read_body(self) -> None:
        q = self.q
        P, TBL, SECT, TXBX = q("p"), q("tbl"), q("sectPr"), q("txbxContent")
        pending: list[ParaInfo] = []

        def close_section(el) -> None:
            idx = len(self.sections)
            self.sections.append(Section(idx, el))
            for info in pending:
                info.section = idx
            pending.clear()

        def boxes(el):
            for child in el:
                if not isinstance(child.tag, str) or child.tag == MC_FALLBACK:
                    continue
                if child.tag == TXBX:
                    yield child
                else:
                    yield from boxes(child)

        def walk(el, in_table: bool, in_box: bool, header_row: bool, depth: int) -> None:
            if depth > 60:
                return
            for child in el:
                tag = child.tag
                if not isinstance(tag, str) or tag == MC_FALLBACK:
                    continue
                if tag == P:
                    text, runs = paragraph_text(child, self.w)
                    info = ParaInfo(child, text, runs, in_table, in_box, 0, header_row)
                    self.paras.append(info)
                    pending.append(info)
                    for box in boxes(child):
                        walk(box, in_table, True, False, depth + 1)
                    sp = child.find(f"{q('pPr')}/{SECT}")
                    if sp is not None and not in_table and not in_box:
                        close_section(sp)
                elif tag == TBL:
                    walk(child, True, in_box, False, depth + 1)
                elif tag == q("tr"):
                    trpr = child.find(q("trPr"))
                    hdr = trpr is not None and trpr.find(q("tblHeader")) is not None
                    walk(child, in_table, in_box, hdr, depth + 1)
                elif tag == SECT:
                    if el is self.body:
                        close_section(child)
                elif tag in (q("del"), q("moveFrom")):
                    continue
                else:
                    walk(child, in_table, in_box, header_row, depth + 1)

        walk(self.body, False, False, False, 0)
        if pending:
            last = self.sections[-1].index if self.sections else 0
            for info in pending:
                info.section = last

    def _records(self) -> list[Record]:
        out: list[Record] = []
        n = 0
        for info in self.paras:
            if not info.text.strip():
                continue
            n += 1
            rec = Record(
                n, info.text, info.kind, info.level, para_location(n, info.text), el=info.el
            )
            rec.info = {"para": info}
            out.append(rec)
        for typ, _name, root in self.header_footer_parts():
            label = "页眉" if typ == "header" else "页脚"
            for p in root.iter(self.q("p")):
                text, _runs = paragraph_text(p, self.w)
                if text.strip():
                    out.append(Record(0, text, typ, location=f"{label}「{head(text)}」", el=p))
        return out


# ------------------------------------------------------------------ text


def paragraph_text(p, w: str, breaks: bool = False) -> tuple[str, list[tuple[Any, str]]]:
    """The visible text of a paragraph and its runs with their text.

    Nested paragraphs (text boxes) are not part of it; deleted text, field
    instructions and hidden runs are skipped; tabs become ``\\t``; with
    ``breaks`` manual line breaks become ``\\n`` (speechgen format keeps them).
    """
    T, TAB, R = f"{{{w}}}t", f"{{{w}}}tab", f"{{{w}}}r"
    skip = {
        f"{{{w}}}{t}"
        for t in (
            "pPr",
            "rPr",
            "del",
            "moveFrom",
            "instrText",
            "delInstrText",
            "delText",
            "p",
            "tbl",
            "txbxContent",
            "footnoteReference",
            "endnoteReference",
            "commentReference",
            "rt",  # a ruby's annotation (the writer keeps spans whole in an empty one)
        )
    }
    NBH, SYM = f"{{{w}}}noBreakHyphen", f"{{{w}}}sym"
    LINE_BREAKS = (f"{{{w}}}br", f"{{{w}}}cr") if breaks else ()
    RUBY = f"{{{w}}}ruby"
    VANISH = f"{{{w}}}vanish"
    RPR = f"{{{w}}}rPr"
    VAL = f"{{{w}}}val"
    parts: list[str] = []
    runs: list[tuple[Any, str]] = []

    def walk(el, run, depth: int) -> None:
        if depth > 40:
            return
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in skip or tag == MC_FALLBACK:
                continue
            if tag == R and child.find(RUBY) is not None:
                walk(child, run, depth + 1)  # the ruby base's own runs are the runs
            elif tag == R:
                rpr = child.find(RPR)
                if rpr is not None:
                    v = rpr.find(VANISH)
                    if v is not None and v.get(VAL) not in ("0", "false", "off"):
                        continue
                before = len(parts)
                walk(child, child, depth + 1)
                t = "".join(parts[before:])
                if t:
                    runs.append((child, t))
            elif tag == T:
                text = child.text or ""
                parts.append(text.replace("\u2060", "") if "\u2060" in text else text)
            elif tag == TAB:
                parts.append("\t")
            elif tag in LINE_BREAKS:
                parts.append("\n")
            elif tag == NBH:
                parts.append("-")
            elif tag == SYM:
                continue
            else:
                walk(child, run, depth + 1)

    walk(p, None, 0)
    return "".join(parts), runs


# ------------------------------------------------------------------ roles

_DOCNO_LINE = re.compile(
    r"^\S{1,20}[〔\[【［(（]\s*(?:19|20)\d{2}\s*[〕\]】］)）]\s*第?\s*\d+\s*号$"
)
_DATE_LINE = re.compile(
    r"^[（(]?\s*(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)\s*[)）]?$"
)
_TITLE_WORDS = re.compile(
    r"讲话|通知|会议|责任书|提纲|方案|意见|决定|报告|通报|纪要|函|请示|批复|规定|办法|细则"
)
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.I)
# the sentence that leads into a notice's body ends with ：, yet is no salutation
_LEADS_IN = re.compile(r"如下[：:]$|现将|现就")


def _is_red(color: str | None) -> bool:
    if not color or len(color) != 6:
        return False
    try:
        r, g, b = int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)
    except ValueError:
        return False
    return r >= 0xC0 and g <= 0x60 and b <= 0x60


def classify(paras: list[ParaInfo], styles: Styles) -> None:
    """Give each paragraph a kind (and a heading level) from its text, alignment and style."""
    flow: list[ParaInfo] = []
    for info in paras:
        if not info.text.strip():
            continue
        if info.in_box:
            info.kind = "textbox"
        elif info.in_table:
            info.kind = "table-cell"
        else:
            flow.append(info)
    if not flow:
        return

    def props(info: ParaInfo) -> dict[str, Any]:
        if "pp" not in info.cache:
            info.cache["pp"] = styles.para_props(info.el)
        return info.cache["pp"]

    def centered(info: ParaInfo) -> bool:
        return props(info)["jc"] in ("center", "distribute")

    def right(info: ParaInfo) -> bool:
        return props(info)["jc"] in ("right", "end")

    def style_name(info: ParaInfo) -> str:
        sid = styles.para_style_id(info.el) or ""
        return (styles.name(sid) or sid).strip()

    def red(info: ParaInfo) -> bool:
        for r, t in info.runs:
            if t.strip() and _is_red(styles.run_props(r, info.el)["color"]):
                return True
        return False

    def big(info: ParaInfo) -> bool:
        for r, t in info.runs:
            if t.strip():
                return (styles.run_props(r, info.el)["sz"] or 0) >= 36
        return False

    i, n = 0, len(flow)
    # 版头: red mark and document number
    while i < n and i < 4:
        t = flow[i].text.strip()
        if _DOCNO_LINE.match(t):
            flow[i].kind = "doc-number"
        elif (red(flow[i]) or (centered(flow[i]) and t.endswith("文件") and i == 0)) and (
            initial_marker(t) is None and "。" not in t
        ):
            flow[i].kind = "mark"
        else:
            break
        i += 1
    # title block
    if i < n:
        t = flow[i].text.strip()
        sname = style_name(flow[i]).lower()
        looks = (
            sname in ("title", "标题")
            or (centered(flow[i]) and "。" not in t and len(t) <= 80)
            or (
                "。" not in t
                and len(t) <= 50
                and not t.endswith(("：", ":"))
                and initial_marker(t) is None
                and _TITLE_WORDS.search(t) is not None
                and i <= 2
            )
        )
        if looks:
            flow[i].kind = "title"
            i += 1
            while i < n and i < 8:
                t = flow[i].text.strip()
                sname = style_name(flow[i]).lower()
                if initial_marker(t) is not None or "。" in t:
                    break
                if _DOCNO_LINE.match(t):
                    flow[i].kind = "doc-number"
                elif sname == "subtitle" or (
                    centered(flow[i]) and (t[:1] in "（(" or _DATE_LINE.match(t) or len(t) <= 12)
                ):
                    flow[i].kind = "subtitle"
                elif (
                    (sname == "title" or centered(flow[i]))
                    and big(flow[i])
                    and all(
                        f.kind == "title" for f in flow[:i] if f.kind not in ("mark", "doc-number")
                    )
                ):
                    flow[i].kind = "title"
                elif centered(flow[i]):
                    flow[i].kind = "subtitle"
                else:
                    break
                i += 1
    seen_body = False
    prev_kind = ""
    for info in flow[i:]:
        t = info.text.strip()
        sname = style_name(info)
        m = initial_marker(t)
        hs = _HEADING_STYLE.match(sname)
        if re.fullmatch(r"附\s*件\s*\d*", t):
            info.kind = "attachment_label"
        elif prev_kind == "attachment_label" and (centered(info) or sname.lower() == "title"):
            info.kind = "attachment_title"
        elif t.startswith(("附件：", "附件:")) or (
            prev_kind == "attachment_note" and re.match(r"\d+[.．、]", t) and "。" not in t
        ):
            info.kind = "attachment_note"
        elif t.startswith(("抄送：", "抄送:")) or (t.endswith("日印发") and t[-4:-3].isdigit()):
            info.kind = "imprint"
        elif re.fullmatch(r"同志们[：:!！]?", t) or (
            not seen_body
            and t.endswith(("：", ":"))
            and len(t) <= 60
            and "。" not in t
            and m is None
            and not _LEADS_IN.search(t)  # 现将有关事项通知如下： opens the body
        ):
            info.kind = "salutation"
        elif (
            not seen_body
            and m is None
            and "。" not in t
            and len(t) <= 40
            and not (props(info)["firstLineChars"] or props(info)["firstLine"])
            and not centered(info)
            and not right(info)
        ):
            info.kind = "addressee"  # 甲方：…／乙方：… flush left under the title
        elif right(info):
            info.kind = "date" if _DATE_LINE.match(t) else "signature"
        elif _DATE_LINE.match(t) and not seen_body:
            info.kind = "subtitle"
        elif _DATE_LINE.match(t):
            info.kind = "date"
        elif hs:
            info.kind = "heading"
            info.level = int(hs.group(1))
        elif m is not None and m.family in FORMAL_DEPTH and is_standalone(t, m):
            info.kind = "heading"
            info.level = FORMAL_DEPTH[m.family]
        else:
            info.kind = "body"
            seen_body = True
        if info.kind == "heading":
            seen_body = True
        prev_kind = info.kind
    _numbered_sentences(flow[i:])


def _numbered_sentences(flow: list[ParaInfo]) -> None:
    """``（一）不发生较大事故。`` followed by ``（二）…`` is a list item in body style, not a heading:
    a heading that ends with ``。`` must have text under it."""
    for k, info in enumerate(flow):
        if info.kind != "heading" or not info.text.rstrip().endswith("。"):
            continue
        m = initial_marker(info.text)
        if m is None or m.family not in FORMAL_DEPTH:
            continue
        nxt = flow[k + 1] if k + 1 < len(flow) else None
        nm = initial_marker(nxt.text) if nxt is not None else None
        if nxt is None or (
            nm is not None
            and nm.family in FORMAL_DEPTH
            and FORMAL_DEPTH[nm.family] <= FORMAL_DEPTH[m.family]
        ):
            info.kind = "body"
            info.level = 0
