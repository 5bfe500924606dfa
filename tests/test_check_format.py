"""speechgen.check format rules (E3xx, W3xx) on .docx files built by hand with
python-docx: a compliant one, broken variants, hand-written quirks (auto
numbering, grids, WPS-style indents) and files that are not .docx at all."""

from __future__ import annotations

import copy
import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, Twips

from speechgen.check import check_docx, check_paths
from speechgen.errors import ERROR, WARNING

THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")

BODY = "仿宋_GB2312"
TITLE = "方正小标宋简体"
HEI = "黑体"
KAI = "楷体_GB2312"


def set_fonts(rpr_parent, font: str, size_pt: float | None = None) -> None:
    """Explicit rFonts with all four slots (and the size) on a run, style or rPrDefault."""
    rpr = rpr_parent.get_or_add_rPr() if hasattr(rpr_parent, "get_or_add_rPr") else rpr_parent
    rf = rpr.find(qn("w:rFonts"))
    if rf is None:
        rf = OxmlElement("w:rFonts")
        rpr.insert(0, rf)
    for a in THEME_ATTRS:
        rf.attrib.pop(qn(a), None)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rf.set(qn(slot), font)
    if size_pt is not None:
        for tag in ("w:sz", "w:szCs"):
            el = rpr.find(qn(tag))
            if el is None:
                el = OxmlElement(tag)
                rpr.append(el)
            el.set(qn("w:val"), str(int(size_pt * 2)))


def strip_theme_fonts(d) -> None:
    roots = [d.styles.element]
    try:
        roots.append(d.part.numbering_part.element)
    except Exception:  # noqa: BLE001 - no numbering part
        pass
    for root in roots:
        for rf in root.iter(qn("w:rFonts")):
            for a in THEME_ATTRS:
                rf.attrib.pop(qn(a), None)


def first_line_two_chars(p) -> None:
    ppr = p._p.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    ind.set(qn("w:firstLineChars"), "200")
    ind.set(qn("w:firstLine"), "640")


def add_page_field(p, dash: str = "—") -> None:
    def run(text: str | None = None, fld: str | None = None, instr: str | None = None):
        r = p.add_run(text or "")
        set_fonts(r._r, "宋体", 14)
        if fld:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), fld)
            r._r.append(el)
        if instr:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = instr
            r._r.append(el)

    run(f"{dash} ")
    run(fld="begin")
    run(instr=" PAGE ")
    run(fld="separate")
    run("1")
    run(fld="end")
    run(f" {dash}")


EXACT_LINE = Pt(28.95)  # w:line=579 exact

SPEECH = [
    ("title", "在全县2024年第二季度安全生产工作会议上的讲话"),
    ("subtitle", "（2024年4月10日）"),
    ("salutation", "同志们："),
    ("body", "刚才，县应急管理局通报了一季度全县安全生产工作情况。下面，我讲两点意见。"),
    ("h1", "一、深刻汲取事故教训，认清严峻形势"),
    ("body", "今年1月15日，辽宁盘锦化工企业发生爆炸事故，造成13人死亡、35人受伤。"),
    ("h2", "（一）全国形势依然严峻"),
    ("body", "今年以来，全国安全生产形势依然严峻：一是重特大事故时有发生，二是风险隐患交织叠加。"),
    ("h1", "二、压实安全责任"),
    ("body", "各乡镇、各部门要严格落实属地管理责任和部门监管责任。"),
    ("body", "谢谢大家！"),
]


def build(
    path: Path,
    *,
    page=(11906, 16838),
    margins=(2098, 1984, 1587, 1474),
    body_font=BODY,
    body_size=16,
    line=EXACT_LINE,
    page_numbers=True,
    even_odd=True,
    dash="—",
    odd_align=WD_ALIGN_PARAGRAPH.RIGHT,
    theme_run=False,
    strip_theme=True,
    indent=True,
    auto_numbering=False,
    grid=None,
    paragraphs=SPEECH,
) -> Path:
    d = docx.Document()
    if strip_theme:
        strip_theme_fonts(d)
    styles = d.styles.element
    rpr_default = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    set_fonts(rpr_default, BODY, 16)
    normal = d.styles["Normal"]
    set_fonts(normal.element.get_or_add_rPr(), BODY, 16)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    if line is not None:
        normal.paragraph_format.line_spacing = line

    s = d.sections[0]
    s.page_width, s.page_height = Twips(page[0]), Twips(page[1])
    s.top_margin, s.bottom_margin, s.left_margin, s.right_margin = (Twips(m) for m in margins)
    if grid is not None:
        g = s._sectPr.find(qn("w:docGrid"))
        if g is None:
            g = OxmlElement("w:docGrid")
            s._sectPr.append(g)
        for k, v in grid.items():
            g.set(qn(f"w:{k}"), str(v))

    if page_numbers:
        d.settings.odd_and_even_pages_header_footer = even_odd
        p = s.footer.paragraphs[0]
        p.alignment = odd_align
        add_page_field(p, dash)
        if even_odd:
            pe = s.even_page_footer.paragraphs[0]
            pe.alignment = WD_ALIGN_PARAGRAPH.LEFT
            add_page_field(pe, dash)

    for role, text in paragraphs:
        p = d.add_paragraph()
        font, size = body_font, body_size
        if role == "title":
            font, size = TITLE, 22
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.line_spacing = Pt(35)
        elif role == "subtitle":
            font = KAI
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif role == "h1":
            font = HEI
        elif role == "h2":
            font = KAI
        if role in ("body", "h1", "h2") and indent:
            first_line_two_chars(p)
        r = p.add_run(text)
        set_fonts(r._r, font, size)
        if theme_run and role == "body":
            r._r.rPr.find(qn("w:rFonts")).set(qn("w:eastAsiaTheme"), "minorEastAsia")
        if auto_numbering and role == "h1":
            p.style = d.styles["List Number"]
    d.save(str(path))
    return path


def codes(found) -> list[str]:
    return [f.code for f in found]


def fmt(found) -> list:
    return [f for f in found if f.code[1] == "3"]


def test_compliant_docx_has_no_findings(tmp_path: Path) -> None:
    found = check_docx(build(tmp_path / "ok.docx"))
    assert found == [], [str(f) for f in found]


def test_default_python_docx_is_broken(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("在全县安全生产工作会议上的讲话")
    d.add_paragraph("同志们：")
    d.add_paragraph("今天召开全县安全生产工作会议，主要任务是部署工作。")
    path = tmp_path / "default.docx"
    d.save(str(path))
    found = check_docx(path)
    got = set(codes(found))
    assert {"E300", "E301", "E302", "E304", "E305", "E306", "E307"} <= got, [str(f) for f in found]
    assert all(f.severity == ERROR for f in found if f.code.startswith("E3"))
    page = next(f for f in found if f.code == "E300")
    assert "Letter" in page.message and page.location == "页面设置"
    theme = next(f for f in found if f.code == "E304")
    assert theme.location == "word/styles.xml" and "docDefaults" in theme.message
    spacing = next(f for f in found if f.code == "E302")
    assert "自动" in spacing.message


@pytest.mark.parametrize(
    "kw,code,words",
    [
        (dict(page=(12240, 15840)), "E300", "Letter"),
        (dict(margins=(1440, 1440, 1800, 1800)), "E301", "上25.4mm"),
        (dict(margins=(2098, 1984, 1587 + 120, 1474)), "E301", "左"),
        (dict(line=None), "E302", "1.15倍行距"),
        (dict(line=1.0), "E302", "单倍行距"),
        (dict(line=Pt(30)), "E302", "固定值30磅"),
        (dict(line=Pt(1.5 * 12)), "E302", "固定值18磅"),
        (dict(body_font="宋体"), "E303", "宋体"),
        (dict(theme_run=True), "E304", "word/document.xml"),
        (dict(strip_theme=False), "E304", "word/styles.xml"),
        (dict(body_size=12), "E305", "小四"),
        (dict(indent=False), "E306", "首行未缩进"),
        (dict(page_numbers=False), "E307", "没有页码"),
        (dict(dash="-"), "E307", "一字线"),
        (dict(even_odd=False), "E307", "奇偶页"),
        (dict(odd_align=WD_ALIGN_PARAGRAPH.CENTER), "E307", "居中"),
        (dict(auto_numbering=True), "W302", "自动编号"),
        (
            dict(grid={"type": "linesAndChars", "linePitch": 579, "charSpace": -841}),
            "W303",
            "charSpace",
        ),
    ],
)
def test_each_format_rule(tmp_path: Path, kw, code, words) -> None:
    found = check_docx(build(tmp_path / "x.docx", **kw))
    hits = [f for f in found if f.code == code]
    assert hits, [str(f) for f in found]
    assert any(words in (f.location + f.message) for f in hits), [str(f) for f in hits]
    assert all(f.severity == (WARNING if code.startswith("W") else ERROR) for f in hits)


@pytest.mark.parametrize(
    "kw",
    [
        dict(margins=(2098 + 40, 1984 - 40, 1587 + 30, 1474)),  # within ±1 mm
        dict(line=Pt(28)),  # 28 pt exact also gives 22 lines
        dict(
            line=1.0, grid={"type": "lines", "linePitch": 579}
        ),  # single spacing on a 22-line grid
        dict(page=(16838, 11906)),  # landscape A4
    ],
)
def test_lenient_where_hand_written_documents_differ(tmp_path: Path, kw) -> None:
    found = fmt(check_docx(build(tmp_path / "x.docx", **kw)))
    assert found == [], [str(f) for f in found]


def test_indent_with_full_width_spaces_is_accepted(tmp_path: Path) -> None:
    paras = [("title", SPEECH[0][1]), ("body", "\u3000\u3000今天召开会议，部署工作。")]
    found = [
        f
        for f in check_docx(build(tmp_path / "x.docx", indent=False, paragraphs=paras))
        if f.code == "E306"
    ]
    assert found == []


def test_many_paragraphs_reported_once_with_count(tmp_path: Path) -> None:
    found = [f for f in check_docx(build(tmp_path / "x.docx", body_size=15)) if f.code == "E305"]
    body = [f for f in found if "正文" in f.message]
    assert len(body) == 1 and "共5段" in body[0].message


def test_missing_font_slots_warn(tmp_path: Path) -> None:
    path = build(tmp_path / "x.docx")
    d = docx.Document(str(path))
    for p in d.paragraphs:
        for r in p.runs:
            rf = r._r.rPr.find(qn("w:rFonts"))
            del rf.attrib[qn("w:cs")]
    rpr_default = d.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    del rpr_default.find(qn("w:rFonts")).attrib[qn("w:cs")]
    del d.styles["Normal"].element.rPr.find(qn("w:rFonts")).attrib[qn("w:cs")]
    d.save(str(path))
    found = check_docx(path)
    assert [f.code for f in found] == ["W301"], [str(f) for f in found]
    assert "cs" in found[0].message


def test_style_inheritance_is_resolved(tmp_path: Path) -> None:
    """Fonts set only in a paragraph style (basedOn Normal) count."""
    path = build(tmp_path / "x.docx")
    d = docx.Document(str(path))
    style = d.styles.add_style("正文样式", 1)
    style.base_style = d.styles["Normal"]
    set_fonts(style.element.get_or_add_rPr(), BODY, 16)
    p = d.add_paragraph("补充一段正文，字体只写在样式里。", style=style)
    first_line_two_chars(p)
    d.save(str(path))
    assert check_docx(path) == []


def test_tables_only_docx(tmp_path: Path) -> None:
    d = docx.Document()
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text = "序号"
    t.cell(0, 1).text = "工作任务"
    t.cell(1, 0).text = "1"
    t.cell(1, 1).text = "XX专项整治"
    path = tmp_path / "table.docx"
    d.save(str(path))
    found = check_docx(path)
    hit = next(f for f in found if f.code == "E210")
    assert hit.location == "段4「XX专项整治」"


def test_numbering_in_a_layout_table(tmp_path: Path) -> None:
    d = docx.Document()
    t = d.add_table(rows=5, cols=1)
    for row, text in zip(
        t.rows,
        ["下面，我讲三点意见。", "一、加强领导", "二、落实责任", "四、强化保障", "五、严格考核"],
        strict=True,
    ):
        row.cells[0].text = text
    path = tmp_path / "layout.docx"
    d.save(str(path))
    got = codes(check_docx(path))
    assert "E220" in got and "E225" in got


def test_hand_written_red_header(tmp_path: Path) -> None:
    paras = [
        ("title", "青山县安全生产委员会办公室文件"),
        ("subtitle", "青安办[2024]12号"),
        ("title", "关于做好2024年第二季度安全生产工作的通知"),
        ("body", "现就有关事项通知如下。"),
    ]
    found = check_docx(build(tmp_path / "x.docx", paragraphs=paras))
    assert "E233" in codes(found)
    assert not [f for f in found if f.code == "E303" and "发文字号" not in f.message], [
        str(f) for f in found
    ]


def test_header_footer_placeholders(tmp_path: Path) -> None:
    path = build(tmp_path / "x.docx")
    d = docx.Document(str(path))
    d.sections[0].header.paragraphs[0].text = "XX县人民政府"
    d.save(str(path))
    hit = [f for f in check_docx(path) if f.code == "E210"]
    assert hit and hit[0].location == "页眉「XX县人民政府」"


def test_generated_docx_passes(tmp_path: Path) -> None:
    """The real writer's output passes every rule (skipped while the writer is missing)."""
    writer = pytest.importorskip("speechgen.writers.docx")
    from speechgen.model import (
        Document,
        Heading,
        Imprint,
        Paragraph,
        RedHeader,
        Table,
        number_headings,
    )

    d = Document("notice", "通知", meta={"date": "2024-03-28"})
    d.add(RedHeader("青山县安全生产委员会办公室文件", "青安办〔2024〕12号"))
    d.add(Paragraph("关于做好2024年第二季度安全生产工作的通知", "title"))
    d.add(Paragraph("各乡镇人民政府，县安委会各成员单位：", "addressee"))
    d.add(Paragraph("为做好第二季度安全生产工作，现就有关事项通知如下。"))
    d.add(Heading("压实责任", 1))
    d.add(Heading("强化属地责任", 2))
    d.add(Paragraph("各乡镇要落实属地责任。", lead="一是明确分工。"))
    d.add(Paragraph("各乡镇要定期检查。", lead="二是加强督查。"))
    d.add(Heading("隐患排查", 1))
    d.add(Paragraph("附件：1.任务分工表", "attachment_note"))
    d.add(Paragraph("青山县安全生产委员会办公室", "signature"))
    d.add(Paragraph("2024年3月28日", "date"))
    d.add(Paragraph("附件1", "attachment_label"))
    d.add(Table(["序号", "工作任务"], [["1", "燃气安全专项整治"]]))
    d.add(Imprint("青山县安全生产委员会办公室", "2024年3月28日", cc="县委办公室"))
    number_headings(d.blocks)
    path = tmp_path / "通知.docx"
    path.write_bytes(writer.render_docx(d))
    found = check_docx(path)
    assert found == [], [str(f) for f in found]


# --------------------------------------------------------------------------- not a docx


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def _ok_bytes(tmp_path: Path) -> bytes:
    return build(tmp_path / "base.docx").read_bytes()


def _replace(data: bytes, name: str, new: bytes | None) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members = {n: z.read(n) for n in z.namelist()}
    if new is None:
        members.pop(name)
    else:
        members[name] = new
    return members


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


BAD_FILES = {
    "empty": lambda tmp: _write(tmp / "empty.docx", b""),
    "text": lambda tmp: _write(tmp / "text.docx", "只是文字".encode()),
    "ole": lambda tmp: _write(tmp / "old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
    "zip-not-docx": lambda tmp: _zip(tmp / "z.docx", {"hello.txt": b"hi"}),
    "truncated": lambda tmp: _write(tmp / "t.docx", _ok_bytes(tmp)[:700]),
    "bad-xml": lambda tmp: _zip(
        tmp / "x.docx", _replace(_ok_bytes(tmp), "word/document.xml", b"<w:document")
    ),
    "no-body": lambda tmp: _zip(
        tmp / "nb.docx",
        _replace(
            _ok_bytes(tmp),
            "word/document.xml",
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>',
        ),
    ),
    "empty-body": lambda tmp: _zip(
        tmp / "eb.docx",
        _replace(
            _ok_bytes(tmp),
            "word/document.xml",
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>',
        ),
    ),
    "entity": lambda tmp: _zip(
        tmp / "e.docx",
        _replace(
            _ok_bytes(tmp),
            "word/document.xml",
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            b"<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>",
        ),
    ),
    "bad-styles": lambda tmp: _zip(
        tmp / "s.docx", _replace(_ok_bytes(tmp), "word/styles.xml", b"garbage")
    ),
    "no-styles": lambda tmp: _zip(
        tmp / "ns.docx", _replace(_ok_bytes(tmp), "word/styles.xml", None)
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_unreadable_files_give_findings_not_tracebacks(tmp_path: Path, name: str) -> None:
    path = BAD_FILES[name](tmp_path)
    found = check_paths([path])
    assert found, name
    assert all(f.code != "W299" for f in found), [str(f) for f in found]
    if name in ("empty", "text", "ole", "zip-not-docx", "truncated", "bad-xml", "no-body"):
        assert [f.code for f in found] == ["E201"], [str(f) for f in found]
    if name == "ole":
        assert "另存为" in found[0].message
    if name == "empty-body":
        assert "E202" in codes(found)


def test_docx_folder_is_searched(tmp_path: Path) -> None:
    build(tmp_path / "a.docx")
    (tmp_path / "~$a.docx").write_bytes(b"lock")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    d = docx.Document()
    d.add_paragraph("刚才，XX局长通报了情况。")
    d.save(str(sub / "b.docx"))
    found = check_paths([tmp_path])
    assert {Path(f.path).name for f in found} == {"b.docx"}


def test_word_quirks_do_not_crash(tmp_path: Path) -> None:
    """Text boxes with mc:AlternateContent, deleted text, fields and hidden runs."""
    path = build(tmp_path / "x.docx")
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    extra = (
        '<w:p xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<w:pPr><w:ind w:firstLineChars="200" w:firstLine="640"/></w:pPr>'
        '<w:r><w:rPr><w:rFonts w:ascii="仿宋_GB2312" w:hAnsi="仿宋_GB2312" w:eastAsia="仿宋_GB2312" w:cs="仿宋_GB2312"/>'
        '<w:sz w:val="32"/></w:rPr><w:t>正文一段。</w:t></w:r>'
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>'
        "<w:p><w:r><w:t>框内XX文字</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing></mc:Choice>"
        "<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>框内XX文字</w:t></w:r></w:p></w:txbxContent></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r>"
        '<w:del w:id="1" w:author="a"><w:r><w:delText>删掉的XX</w:delText></w:r></w:del>'
        "<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏的XX</w:t></w:r>"
        "</w:p>"
    )
    xml = xml.replace("<w:sectPr", extra + "<w:sectPr", 1)
    members = _replace(path.read_bytes(), "word/document.xml", xml.encode("utf-8"))
    _zip(path, members)
    found = check_docx(path)
    hits = [f for f in found if f.code == "E210"]
    assert len(hits) == 1 and "框内" in hits[0].message, [str(f) for f in found]
    assert "W299" not in codes(found)


def test_copy_of_build_options_is_isolated() -> None:
    # the default paragraph list is shared between tests; make sure nobody mutated it
    assert copy.deepcopy(SPEECH) == SPEECH and len(SPEECH) == 11
