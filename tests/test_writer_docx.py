"""The .docx writer against spec/FORMAT.md: read back with python-docx and lxml."""

from __future__ import annotations

import io
import re
import timeit
import zipfile

import docx
import pytest
from lxml import etree

from speechgen.model import (
    Document,
    Heading,
    Imprint,
    PageBreak,
    Paragraph,
    RedHeader,
    SignatureTable,
    Table,
    number_headings,
)
from speechgen.writers.docx import (
    DEFAULT_FONTS,
    TEXT_W,
    FontSettings,
    imprint_lines,
    mark_size,
    render_docx,
    text_width,
    title_lines,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
Q = f"{{{W}}}"

BODY = (
    "今年以来，全县各级各部门认真贯彻落实党中央、国务院和省委、省政府关于安全生产工作的决策部署，"
    "坚持人民至上、生命至上，统筹发展和安全，全县安全生产形势总体平稳。"
)
NASTY = "市住建局 & 交通局 <联合>"
QUOTES = "他说\"要落实\"，又说'要到位'，还有“三管三必须”……"


def speech_doc() -> Document:
    d = Document(
        kind="speech",
        name="讲话稿",
        meta={
            "title": "在全县安全生产工作会议上的讲话",
            "author": "青山县人民政府",
            "date": "2024-04-10",
        },
    )
    d.add(Paragraph("在全县安全生产工作会议上的讲话", "title"))
    d.add(Paragraph("县长　王明", "subtitle"))
    d.add(Paragraph("（2024年4月10日）", "subtitle"))
    d.add(Paragraph("同志们：", "salutation"))
    d.add(Paragraph(BODY))
    d.add(Heading("充分肯定成绩", 1))
    d.add(Paragraph(BODY))
    d.add(Heading("道路交通安全", 2))
    d.add(Paragraph(QUOTES))
    d.add(Heading("排查整治要全覆盖", 3))
    d.add(Paragraph("各乡镇要逐项建立台账。", lead="一是排查整治不能停。"))
    d.add(Heading("建立台账", 4))
    d.add(Paragraph(BODY))
    d.add(Paragraph("谢谢大家！", "closing"))
    number_headings(d.blocks)
    return d


def notice_doc(doc_number: str = "青安办〔2024〕1号", rows: int = 20) -> Document:
    d = Document(
        kind="notice",
        name="通知",
        meta={"title": "关于做好2024年第一季度安全生产工作的通知", "date": "2024-01-05"},
    )
    d.add(RedHeader("青山县安全生产委员会办公室文件", doc_number))
    d.add(Paragraph("关于做好2024年第一季度安全生产工作的通知", "title"))
    d.add(Paragraph("各乡镇人民政府，县安委会各成员单位：", "addressee"))
    d.add(Paragraph(BODY))
    d.add(Heading("压实责任", 1))
    d.add(Paragraph(BODY))
    d.add(Paragraph("附件：1.2024年第一季度重点工作任务分工表", "attachment_note"))
    d.add(Paragraph("2.联系人名单", "attachment_note"))
    d.add(Paragraph("青山县安全生产委员会办公室", "signature"))
    d.add(Paragraph("2024年1月5日", "date"))
    d.add(PageBreak())
    d.add(Paragraph("附件1", "attachment_label"))
    d.add(Paragraph("2024年第一季度重点工作任务分工表", "attachment_title"))
    d.add(
        Table(
            ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"],
            [
                [str(i + 1), f"第{i + 1}项隐患排查整治", "县应急管理局", NASTY, "2024年3月31日"]
                for i in range(rows)
            ],
            widths=[1, 6, 3, 3, 2],
        )
    )
    d.add(Imprint("青山县安全生产委员会办公室", "2024年1月5日", cc="县委办公室，县政府办公室"))
    number_headings(d.blocks)
    return d


def letter_doc() -> Document:
    d = Document(kind="letter", name="责任书", meta={"title": "2024年度安全生产目标责任书"})
    d.add(Paragraph("2024年度安全生产目标责任书", "title"))
    d.add(Paragraph(BODY))
    for t in ("控制指标", "工作职责", "考核与奖惩", "责任期限", "其他"):
        d.add(Heading(t, 1))
        d.add(Paragraph(BODY))
        d.add(Paragraph(BODY))
    d.add(
        SignatureTable(
            ["甲方：青山县人民政府（盖章）", "县长（签字）："],
            ["乙方：东山镇人民政府（盖章）", "镇长（签字）："],
        )
    )
    d.add(Paragraph("2024年1月5日", "date"))
    number_headings(d.blocks)
    return d


# ------------------------------------------------------------------ helpers


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def xml(data: bytes, name: str = "word/document.xml") -> etree._Element:
    return etree.fromstring(parts(data)[name])


def text_of(p: etree._Element) -> str:
    out = []
    for r in p.iter(f"{Q}r"):
        for el in r:
            if el.tag == f"{Q}t":
                out.append(el.text or "")
            elif el.tag == f"{Q}tab":
                out.append("\t")
            elif el.tag == f"{Q}br" and el.get(f"{Q}type") is None:
                out.append("\n")
    return "".join(out)


def body_paragraphs(root: etree._Element) -> list[etree._Element]:
    return root.findall("w:body/w:p", NS)


def para(root: etree._Element, starts: str) -> etree._Element:
    """The paragraph whose text is ``starts``, else the first that starts with it."""
    paras = list(root.iter(f"{Q}p"))
    for p in paras:
        if text_of(p) == starts:
            return p
    for p in paras:
        if text_of(p).startswith(starts):
            return p
    raise AssertionError(f"no paragraph starting {starts!r}")


def run_fonts(p: etree._Element) -> set[str]:
    return {rf.get(f"{Q}eastAsia") for rf in p.findall("w:r/w:rPr/w:rFonts", NS)}


def run_sizes(p: etree._Element) -> set[int]:
    return {int(sz.get(f"{Q}val")) for sz in p.findall("w:r/w:rPr/w:sz", NS)}


def ppr_attr(p: etree._Element, path: str, attr: str) -> str | None:
    el = p.find(f"w:pPr/{path}", NS)
    return None if el is None else el.get(f"{Q}{attr}")


@pytest.fixture(scope="module")
def speech() -> bytes:
    return render_docx(speech_doc())


@pytest.fixture(scope="module")
def notice() -> bytes:
    return render_docx(notice_doc())


@pytest.fixture(scope="module")
def letter() -> bytes:
    return render_docx(letter_doc())


ALL = ("speech", "notice", "letter")

# ------------------------------------------------------------------ package


@pytest.mark.parametrize("kind", ALL)
def test_python_docx_opens_the_bytes(kind, request):
    data = request.getfixturevalue(kind)
    d = docx.Document(io.BytesIO(data))
    sec = d.sections[0]
    assert (sec.page_width.twips, sec.page_height.twips) == (11906, 16838)
    assert sec.top_margin.twips == 2098
    assert sec.bottom_margin.twips == 1984
    assert sec.left_margin.twips == 1587
    assert sec.right_margin.twips == 1474
    assert d.settings.odd_and_even_pages_header_footer is True
    assert any(p.text for p in d.paragraphs)


def test_zip_is_deterministic_and_valid(notice):
    again = render_docx(notice_doc())
    assert again == notice
    with zipfile.ZipFile(io.BytesIO(notice)) as z:
        assert z.testzip() is None
        infos = z.infolist()
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in infos)
        names = [i.filename for i in infos]
    assert names[0] == "[Content_Types].xml"
    assert "word/document.xml" in names and "docProps/core.xml" in names
    assert not any("theme" in n for n in names)
    # the same document object renders the same bytes every time
    d = speech_doc()
    assert render_docx(d) == render_docx(d)


def test_page_setup(speech):
    root = xml(speech)
    sect = root.find("w:body/w:sectPr", NS)
    pg = sect.find("w:pgSz", NS)
    assert (pg.get(f"{Q}w"), pg.get(f"{Q}h")) == ("11906", "16838")
    assert pg.get(f"{Q}orient") in (None, "portrait")
    mar = sect.find("w:pgMar", NS)
    assert {k: mar.get(f"{Q}{k}") for k in ("top", "bottom", "left", "right")} == {
        "top": "2098",
        "bottom": "1984",
        "left": "1587",
        "right": "1474",
    }
    assert 1300 <= int(mar.get(f"{Q}footer")) <= 1500  # about 25 mm: dashes 7 mm below
    grid = sect.find("w:docGrid", NS)
    assert grid is None or grid.get(f"{Q}charSpace") is None
    refs = {r.get(f"{Q}type") for r in sect.findall("w:footerReference", NS)}
    assert refs == {"default", "even"}


def test_settings_and_no_theme_fonts(speech):
    p = parts(speech)
    settings = etree.fromstring(p["word/settings.xml"])
    assert settings.find("w:evenAndOddHeaders", NS) is not None
    tfl = settings.find("w:themeFontLang", NS)
    assert tfl.get(f"{Q}eastAsia") == "zh-CN"
    for name, data in p.items():
        if name.endswith(".xml"):
            assert b"Theme=" not in data, name  # asciiTheme, eastAsiaTheme, …
            assert b"minorEastAsia" not in data and b"majorHAnsi" not in data
    assert b"theme" not in p["word/_rels/document.xml.rels"]
    styles = etree.fromstring(p["word/styles.xml"])
    rf = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    assert {rf.get(f"{Q}{k}") for k in ("ascii", "hAnsi", "eastAsia", "cs")} == {"仿宋_GB2312"}
    lang = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang.get(f"{Q}eastAsia") == "zh-CN"


@pytest.mark.parametrize("kind", ALL)
def test_every_run_sets_four_font_slots_and_chinese(kind, request):
    p = parts(request.getfixturevalue(kind))
    for name in ("word/document.xml", "word/footer1.xml", "word/footer2.xml"):
        root = etree.fromstring(p[name])
        runs = list(root.iter(f"{Q}r"))
        assert runs
        for r in runs:
            rf = r.find("w:rPr/w:rFonts", NS)
            assert rf is not None, etree.tostring(r, encoding="unicode")
            fonts = [rf.get(f"{Q}{k}") for k in ("ascii", "hAnsi", "eastAsia", "cs")]
            assert all(fonts) and len(set(fonts)) == 1, fonts
            assert r.find("w:rPr/w:lang", NS).get(f"{Q}eastAsia") == "zh-CN"
            assert r.find("w:rPr/w:sz", NS) is not None


def test_hint_on_runs_with_quotes_and_dashes(speech):
    root = xml(speech)
    quoted = para(root, "他说")
    assert quoted.find("w:r/w:rPr/w:rFonts", NS).get(f"{Q}hint") == "eastAsia"
    plain = para(root, "同志们")
    assert plain.find("w:r/w:rPr/w:rFonts", NS).get(f"{Q}hint") is None


# ------------------------------------------------------------------ text


def test_body_paragraph_format(speech):
    root = xml(speech)
    p = para(root, "今年以来")
    sp = p.find("w:pPr/w:spacing", NS)
    assert (sp.get(f"{Q}line"), sp.get(f"{Q}lineRule")) == ("579", "exact")
    assert (sp.get(f"{Q}before"), sp.get(f"{Q}after")) == ("0", "0")
    assert ppr_attr(p, "w:ind", "firstLineChars") == "200"
    assert ppr_attr(p, "w:ind", "firstLine") == "640"
    assert ppr_attr(p, "w:jc", "val") == "both"
    assert run_fonts(p) == {"仿宋_GB2312"}
    assert run_sizes(p) == {32}
    assert {s.get(f"{Q}val") for s in p.findall("w:r/w:rPr/w:spacing", NS)} == {"-5"}
    assert len(p.findall("w:r", NS)) == len(p.findall("w:r/w:rPr/w:spacing", NS))


def test_title_and_speaker_line(speech):
    root = xml(speech)
    title = para(root, "在全县安全生产工作会议上的讲话")
    assert run_fonts(title) == {"方正小标宋简体"}
    assert run_sizes(title) == {44}
    assert ppr_attr(title, "w:jc", "val") == "center"
    assert ppr_attr(title, "w:spacing", "lineRule") == "exact"
    assert 600 <= int(ppr_attr(title, "w:spacing", "line")) <= 800
    assert ppr_attr(title, "w:spacing", "after") == "0"  # the speaker line follows directly
    speaker = para(root, "县长")
    date = para(root, "（2024年4月10日）")
    for p in (speaker, date):
        assert run_fonts(p) == {"楷体_GB2312"}
        assert run_sizes(p) == {32}
        assert ppr_attr(p, "w:jc", "val") == "center"
    assert ppr_attr(speaker, "w:spacing", "after") == "0"
    assert ppr_attr(date, "w:spacing", "after") == "579"  # one blank line under the title block
    salutation = para(root, "同志们：")
    assert ppr_attr(salutation, "w:ind", "firstLine") == "0"
    assert ppr_attr(salutation, "w:ind", "firstLineChars") is None


def test_title_followed_by_one_blank_line(notice, letter):
    title = para(xml(letter), "2024年度安全生产目标责任书")
    assert ppr_attr(title, "w:spacing", "after") == "579"
    title = para(xml(notice), "关于做好")
    assert ppr_attr(title, "w:spacing", "after") == "579"
    assert ppr_attr(title, "w:spacing", "before") == "1158"  # two lines below the red rule


@pytest.mark.parametrize(
    "starts, font",
    [("一、", "黑体"), ("（一）", "楷体_GB2312"), ("1.", "仿宋_GB2312"), ("（1）", "仿宋_GB2312")],
)
def test_headings(speech, starts, font):
    root = xml(speech)
    p = para(root, starts)
    assert run_fonts(p) == {font}
    assert run_sizes(p) == {32}
    assert ppr_attr(p, "w:ind", "firstLineChars") == "200"
    assert ppr_attr(p, "w:spacing", "line") == "579"
    assert p.find("w:pPr/w:numPr", NS) is None
    assert not text_of(p).endswith("。")
    assert {s.get(f"{Q}val") for s in p.findall("w:r/w:rPr/w:spacing", NS)} == {"-5"}


def test_heading_numbers_are_literal_text(speech):
    texts = [text_of(p) for p in body_paragraphs(xml(speech))]
    assert "一、充分肯定成绩" in texts
    assert "（一）道路交通安全" in texts
    assert "1.排查整治要全覆盖" in texts
    assert "（1）建立台账" in texts
    assert b"numbering" not in parts(speech)["[Content_Types].xml"]


def test_lead_in_the_same_paragraph(speech):
    p = para(xml(speech), "一是排查整治不能停。")
    runs = p.findall("w:r", NS)
    assert len(runs) == 2
    assert text_of(p) == "一是排查整治不能停。各乡镇要逐项建立台账。"
    assert run_fonts(p) == {"仿宋_GB2312"}
    assert ppr_attr(p, "w:ind", "firstLineChars") == "200"


def test_no_empty_paragraphs_in_a_speech(speech):
    assert all(text_of(p) for p in body_paragraphs(xml(speech)))


def test_empty_paragraphs_are_exact_spacers(notice, letter):
    for data in (notice, letter):
        for p in xml(data).iter(f"{Q}p"):
            if text_of(p) or p.getparent().tag == f"{Q}tc":
                continue
            assert ppr_attr(p, "w:spacing", "lineRule") == "exact"
            line = int(ppr_attr(p, "w:spacing", "line"))
            # the one taller spacer puts the 版记 at the foot of its page
            after = p.getnext()
            after = after.getnext() if after is not None and not text_of(after) else after
            spacer = after is not None and text_of(after).startswith("抄送")
            assert line <= 579 or p.find("w:pPr/w:pBdr", NS) is not None or spacer


def test_xml_special_characters_round_trip():
    d = Document(kind="notice", name="x", meta={"title": NASTY, "author": "A&B <c>"})
    d.add(RedHeader(NASTY, "X〔2024〕1号"))
    d.add(Paragraph(NASTY, "title"))
    d.add(Paragraph(QUOTES))
    d.add(Paragraph(NASTY, lead="一是“<a>”&。"))
    d.add(Heading(NASTY, 2, number="（一）"))
    d.add(Table(["序号", NASTY], [["1", QUOTES]]))
    d.add(SignatureTable([NASTY], [QUOTES]))
    d.add(Imprint(NASTY, "2024年1月5日", cc=NASTY))
    data = render_docx(d)
    texts = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert NASTY in texts
    assert QUOTES in texts
    assert "一是“<a>”&。" + NASTY in texts
    assert "（一）" + NASTY in texts
    assert "抄送：" + NASTY + "。" in texts
    assert NASTY + "\t2024年1月5日印发" in texts
    cells = [c.text for t in docx.Document(io.BytesIO(data)).tables for c in t._cells]
    assert NASTY in cells and QUOTES in cells
    core = docx.Document(io.BytesIO(data)).core_properties
    assert core.title == NASTY
    assert core.author == "A&B <c>"


def test_invalid_xml_characters_are_dropped():
    d = Document(kind="speech", name="x", blocks=[Paragraph("甲\x0b乙\x00丙")])
    assert [p.text for p in docx.Document(io.BytesIO(render_docx(d))).paragraphs] == ["甲乙丙"]


def test_core_properties_come_from_meta_not_the_clock(speech, letter):
    core = docx.Document(io.BytesIO(speech)).core_properties
    assert core.title == "在全县安全生产工作会议上的讲话"
    assert core.author == "青山县人民政府"
    assert core.created.isoformat().startswith("2024-04-10T00:00:00")
    assert core.modified == core.created
    core = docx.Document(io.BytesIO(letter)).core_properties
    assert core.created.year == 2024 and (core.created.month, core.created.day) == (1, 1)


# ------------------------------------------------------------------ notice


def test_red_header(notice):
    root = xml(notice)
    mark = para(root, "青山县安全生产委员会办公室文件")
    colors = {c.get(f"{Q}val") for c in mark.findall("w:r/w:rPr/w:color", NS)}
    assert colors == {"FF0000"}
    assert run_fonts(mark) == {"方正小标宋简体"}
    assert ppr_attr(mark, "w:jc", "val") == "center"
    (sz,) = run_sizes(mark)
    assert 72 <= sz <= 88
    number = para(root, "青安办〔2024〕1号")
    assert ppr_attr(number, "w:jc", "val") == "center"
    assert run_fonts(number) == {"仿宋_GB2312"} and run_sizes(number) == {32}
    assert ppr_attr(number, "w:spacing", "before") == "1158"  # two blank lines under the mark
    rule = number.getnext()
    bottom = rule.find("w:pPr/w:pBdr/w:bottom", NS)
    assert bottom.get(f"{Q}val") == "single"
    assert bottom.get(f"{Q}sz") == "12"
    assert bottom.get(f"{Q}color") == "FF0000"
    assert ppr_attr(rule, "w:ind", "left") in (None, "0")
    assert ppr_attr(rule, "w:ind", "right") in (None, "0")


def test_red_rule_without_document_number():
    root = xml(render_docx(notice_doc(doc_number="")))
    mark = para(root, "青山县安全生产委员会办公室文件")
    rule = mark.getnext()
    assert rule.find("w:pPr/w:pBdr/w:bottom", NS).get(f"{Q}color") == "FF0000"
    assert text_of(rule) == ""


@pytest.mark.parametrize("n", [4, 10, 14, 18, 22])
def test_mark_stays_on_one_line(n):
    size, scale = mark_size("县" * n)
    assert size <= 44  # 44 pt ≈ 15.5 mm: under the 22 mm limit
    assert n * size * scale / 100 <= TEXT_W / 20
    if n < 10:
        assert (size, scale) == (44, 100)


def test_addressee_note_signature_and_date(notice):
    root = xml(notice)
    addressee = para(root, "各乡镇人民政府")
    assert ppr_attr(addressee, "w:ind", "firstLine") == "0"
    note = para(root, "附件：1.")
    assert ppr_attr(note, "w:ind", "firstLineChars") == "200"
    assert ppr_attr(note, "w:spacing", "before") == "579"  # one blank line under the body
    second = para(root, "2.联系人名单")
    assert ppr_attr(second, "w:spacing", "before") == "0"
    assert ppr_attr(second, "w:ind", "firstLineChars") == "200"
    assert ppr_attr(second, "w:ind", "left") == "945"  # aligned after 「附件：」
    sig = para(root, "青山县安全生产委员会办公室")
    date = para(root, "2024年1月5日")
    # unsealed (GB/T 9704 7.3.5.2): 署名 two characters from the right, one blank
    # line under the 附件说明; the date starts two characters right of the 署名
    assert ppr_attr(sig, "w:jc", "val") == "right"
    assert ppr_attr(sig, "w:ind", "right") == "640"
    assert ppr_attr(sig, "w:spacing", "before") == "579"
    assert ppr_attr(date, "w:jc", "val") == "left"
    assert int(ppr_attr(date, "w:ind", "left")) == TEXT_W - 13 * 315  # 13 characters of 署名
    for p in (sig, date):
        assert run_fonts(p) == {"仿宋_GB2312"}
    assert ppr_attr(date, "w:spacing", "before") == "0"
    # the 附件说明 and the 署名 travel with the last body lines
    assert note.find("w:pPr/w:keepNext", NS) is not None
    assert sig.find("w:pPr/w:keepNext", NS) is not None


def test_sealed_signature():
    d = notice_doc()
    d.sealed = True
    root = xml(render_docx(d))
    sig = para(root, "青山县安全生产委员会办公室")
    date = para(root, "2024年1月5日")
    assert ppr_attr(date, "w:jc", "val") == ppr_attr(sig, "w:jc", "val") == "right"
    assert ppr_attr(date, "w:ind", "right") == "1280"  # four characters from the right
    # 署名 centred over the date: its right indent is the date's plus half the difference
    sig_right = int(ppr_attr(sig, "w:ind", "right"))
    assert sig_right == max(0, 1280 + (text_width("2024年1月5日") - 13 * 315) // 2)
    assert ppr_attr(sig, "w:spacing", "before") == str(2 * 579)  # room for the seal


def test_attachment_starts_a_new_page(notice):
    root = xml(notice)
    label = para(root, "附件1")
    assert label.find("w:pPr/w:pageBreakBefore", NS) is not None
    assert run_fonts(label) == {"黑体"} and run_sizes(label) == {32}
    assert ppr_attr(label, "w:jc", "val") == "left"
    assert ppr_attr(label, "w:ind", "firstLine") == "0"
    title = para(root, "2024年第一季度重点工作任务分工表")
    assert run_fonts(title) == {"方正小标宋简体"} and run_sizes(title) == {44}
    assert ppr_attr(title, "w:jc", "val") == "center"
    assert len(root.findall(".//w:pageBreakBefore", NS)) == 1
    assert not root.findall(".//w:br[@w:type='page']", NS)


def test_page_break_before_a_table_uses_a_break_paragraph():
    d = Document(
        kind="notice", name="x", blocks=[Paragraph(BODY), PageBreak(), Table(["a"], [["b"]])]
    )
    root = xml(render_docx(d))
    brs = root.findall(".//w:br[@w:type='page']", NS)
    assert len(brs) == 1
    assert body_paragraphs(root)[-1].find("w:pPr/w:spacing", NS).get(f"{Q}line") == "20"


def test_task_table(notice):
    root = xml(notice)
    (tbl,) = root.findall("w:body/w:tbl", NS)
    assert tbl.find("w:tblPr/w:tblW", NS).get(f"{Q}w") == str(TEXT_W)
    cols = [int(g.get(f"{Q}w")) for g in tbl.findall("w:tblGrid/w:gridCol", NS)]
    assert sum(cols) == TEXT_W
    assert cols[1] > cols[2] > cols[4]  # relative widths 1:6:3:3:2 (序号 kept two characters wide)
    assert cols[0] >= 2 * 280
    borders = tbl.find("w:tblPr/w:tblBorders", NS)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        assert borders.find(f"w:{side}", NS).get(f"{Q}val") == "single"
    rows = tbl.findall("w:tr", NS)
    assert len(rows) == 21
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
    assert all(r.find("w:trPr/w:tblHeader", NS) is None for r in rows[1:])
    assert all(r.find("w:trPr/w:cantSplit", NS) is not None for r in rows)
    for cell in rows[0].findall("w:tc", NS):
        p = cell.find("w:p", NS)
        assert run_fonts(p) == {"黑体"}
        assert ppr_attr(p, "w:jc", "val") == "center"
    first = [c.find("w:p", NS) for c in rows[1].findall("w:tc", NS)]
    assert ppr_attr(first[0], "w:jc", "val") == "center"  # 序号
    assert ppr_attr(first[1], "w:jc", "val") == "left"
    for p in first:
        assert run_fonts(p) == {"仿宋_GB2312"}
        assert run_sizes(p) <= {28, 24}
        sp = p.find("w:pPr/w:spacing", NS)
        assert (sp.get(f"{Q}line"), sp.get(f"{Q}lineRule")) == ("240", "auto")
        assert p.find("w:r/w:rPr/w:spacing", NS) is None
    assert text_of(first[3]) == NASTY


def test_table_widths_default_equal():
    root = xml(render_docx(Document(kind="x", name="x", blocks=[Table(["甲", "乙", "丙"], [])])))
    cols = [int(g.get(f"{Q}w")) for g in root.findall(".//w:gridCol", NS)]
    assert sum(cols) == TEXT_W and max(cols) - min(cols) <= 2
    # a body never ends with a table
    assert root.find("w:body", NS)[-2].tag == f"{Q}p"


def test_imprint(notice):
    root = xml(notice)
    cc = para(root, "抄送：")
    assert text_of(cc) == "抄送：县委办公室，县政府办公室。"
    # the first rule has a paragraph of its own with zero indents (a border follows
    # its paragraph's indents, and the 抄送's hanging indent would shorten it)
    rule = cc.getprevious()
    top = rule.find("w:pPr/w:pBdr/w:bottom", NS)
    assert (top.get(f"{Q}val"), top.get(f"{Q}sz")) == ("single", "8")
    assert ppr_attr(rule, "w:ind", "left") == ppr_attr(rule, "w:ind", "right") == "0"
    assert cc.find("w:pPr/w:pBdr", NS) is None
    printed = cc.getnext()
    assert text_of(printed) == "青山县安全生产委员会办公室\t2024年1月5日印发"
    mid = printed.find("w:pPr/w:pBdr/w:top", NS)
    assert (mid.get(f"{Q}val"), mid.get(f"{Q}sz")) == ("single", "6")
    last = printed.find("w:pPr/w:pBdr/w:bottom", NS)
    assert (last.get(f"{Q}val"), last.get(f"{Q}sz")) == ("single", "8")
    tab = printed.find("w:pPr/w:tabs/w:tab", NS)
    assert tab.get(f"{Q}val") == "right"
    assert int(tab.get(f"{Q}pos")) == TEXT_W - 280  # 印发日期 one character in from the right
    for p in (cc, printed):
        assert run_fonts(p) == {"仿宋_GB2312"} and run_sizes(p) == {28}
    # 抄送 one character in from each side, wrapped lines aligned after 「抄送：」
    assert ppr_attr(cc, "w:ind", "left") == "1120" and ppr_attr(cc, "w:ind", "hanging") == "840"
    assert ppr_attr(cc, "w:ind", "right") == "280"
    assert ppr_attr(printed, "w:ind", "firstLine") == "280"  # one character in from the left
    assert ppr_attr(printed, "w:ind", "left") == "0"  # so the rules span the 版心
    assert ppr_attr(printed, "w:ind", "right") == "0"
    assert body_paragraphs(root)[-1] is printed


def test_imprint_has_a_section_of_its_own_on_an_even_page(notice):
    """The body's section ends in its last paragraph; the 版记 section starts on an
    even page, its footers (odd and even) are the empty footer3, and a spacer of
    exact height fills the 版心 above the 版记's lines."""
    root = xml(notice)
    cc = para(root, "抄送：")
    spacer = cc.getprevious().getprevious()  # before the first rule's paragraph
    assert text_of(spacer) == ""
    assert ppr_attr(spacer, "w:spacing", "lineRule") == "exact"
    assert int(ppr_attr(spacer, "w:spacing", "line")) == 12756 - 2 * 579 - 110 - 30
    body_end = spacer.getprevious()
    assert body_end.find("w:pPr/w:sectPr", NS) is not None  # no extra paragraph for the break
    refs = {
        r.get(f"{Q}type"): r.get(
            "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
        )
        for r in body_end.findall("w:pPr/w:sectPr/w:footerReference", NS)
    }
    assert refs == {"default": "rId5", "even": "rId6"}
    final = root.find("w:body/w:sectPr", NS)
    assert final.find("w:type", NS).get(f"{Q}val") == "evenPage"
    refs = {
        r.get(f"{Q}type"): r.get(
            "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
        )
        for r in final.findall("w:footerReference", NS)
    }
    assert refs == {"default": "rId7", "even": "rId7"}
    empty = etree.fromstring(parts(notice)["word/footer3.xml"])
    assert not "".join(empty.itertext()).strip()
    rels = parts(notice)["word/_rels/document.xml.rels"].decode()
    assert 'Id="rId7"' in rels and 'Target="footer3.xml"' in rels


def test_a_long_cc_makes_the_spacer_shorter():
    names = "，".join(f"县第{i}局" for i in range(1, 13))  # 4 characters + comma each
    d = Document(
        kind="notice",
        name="x",
        blocks=[Paragraph(BODY), Imprint("县政府办", "2024年1月5日", cc=names)],
    )
    root = xml(render_docx(d))
    spacer = para(root, "抄送：").getprevious().getprevious()
    assert imprint_lines("抄送：" + names) == 3  # 71 characters at 26 a line
    assert int(ppr_attr(spacer, "w:spacing", "line")) == 12756 - 4 * 579 - 110 - 30


def test_imprint_without_cc():
    d = Document(
        kind="notice", name="x", blocks=[Paragraph(BODY), Imprint("县政府办", "2024年1月5日")]
    )
    printed = para(xml(render_docx(d)), "县政府办")
    borders = printed.find("w:pPr/w:pBdr", NS)
    assert borders.find("w:top", NS).get(f"{Q}sz") == "8"
    assert borders.find("w:bottom", NS).get(f"{Q}sz") == "8"


# ------------------------------------------------------------------ letter


def test_signature_table_is_borderless(letter):
    root = xml(letter)
    (tbl,) = root.findall("w:body/w:tbl", NS)
    borders = tbl.find("w:tblPr/w:tblBorders", NS)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        assert borders.find(f"w:{side}", NS).get(f"{Q}val") in ("none", "nil")
    assert len(tbl.findall("w:tblGrid/w:gridCol", NS)) == 2
    cells = tbl.findall("w:tr/w:tc", NS)
    assert len(cells) == 2
    left = [text_of(p) for p in cells[0].findall("w:p", NS)]
    assert left == ["甲方：青山县人民政府\n（盖章）", "县长（签字）："]
    for p in cells[1].findall("w:p", NS):
        assert run_fonts(p) == {"仿宋_GB2312"} and run_sizes(p) == {32}
    date = para(root, "2024年1月5日")
    assert ppr_attr(date, "w:jc", "val") == "right"


# ------------------------------------------------------------------ footers


def test_page_number_footers(speech):
    p = parts(speech)
    rels = p["word/_rels/document.xml.rels"].decode()
    sect = xml(speech).find("w:body/w:sectPr", NS)
    rid = {
        r.get(f"{Q}type"): r.get(
            "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
        )
        for r in sect.findall("w:footerReference", NS)
    }
    target = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', rels))
    odd = etree.fromstring(p["word/" + target[rid["default"]]])
    even = etree.fromstring(p["word/" + target[rid["even"]]])
    for footer, jc, side in ((odd, "right", "right"), (even, "left", "left")):
        (fp,) = footer.findall("w:p", NS)
        assert ppr_attr(fp, "w:jc", "val") == jc
        assert ppr_attr(fp, "w:ind", side) == "280"
        assert "".join(fp.itertext()).replace(" PAGE ", "#") == "— #1 —"
        assert fp.find("w:r/w:instrText", NS).text.strip() == "PAGE"
        kinds = [f.get(f"{Q}fldCharType") for f in fp.iter(f"{Q}fldChar")]
        assert kinds == ["begin", "separate", "end"]
        assert run_fonts(fp) == {"宋体"} and run_sizes(fp) == {28}
        assert "\u2014" in text_of(fp)


# ------------------------------------------------------------------ settings


def test_font_settings_swap():
    fonts = FontSettings(body="方正仿宋_GBK", heading2="方正楷体_GBK")
    data = render_docx(speech_doc(), fonts)
    root = xml(data)
    assert run_fonts(para(root, "今年以来")) == {"方正仿宋_GBK"}
    assert run_fonts(para(root, "（一）")) == {"方正楷体_GBK"}
    assert (
        b"\xe6\x96\xb9\xe6\xad\xa3\xe4\xbb\xbf\xe5\xae\x8b_GBK" in parts(data)["word/fontTable.xml"]
    )
    # the default kit is untouched
    assert run_fonts(para(xml(render_docx(speech_doc())), "今年以来")) == {DEFAULT_FONTS.body}


def test_long_titles_break_at_a_word_boundary():
    assert title_lines("2024年度安全生产目标责任书") == ("2024年度安全生产目标责任书",)
    assert title_lines("关于做好2024年第一季度安全生产工作的通知") == (
        "关于做好2024年第一季度",
        "安全生产工作的通知",
    )
    assert title_lines("青山县人民政府办公室关于印发《2024年重点工作任务分工方案》的通知") == (
        "青山县人民政府办公室关于印发",
        "《2024年重点工作任务分工方案》的通知",
    )
    d = notice_doc()
    title = para(xml(render_docx(d)), "关于做好")
    assert text_of(title) == "关于做好2024年第一季度\n安全生产工作的通知"


def test_render_is_fast():
    d = letter_doc()
    render_docx(d)
    per_doc = min(timeit.repeat(lambda: render_docx(d), number=50, repeat=3)) / 50
    assert per_doc < 0.005  # measured about 0.3 ms; generous for slow CI machines


def test_meta_values_of_other_types():
    import datetime

    d = Document(
        kind="speech",
        name="x",
        blocks=[Paragraph("标题", "title")],
        meta={"date": datetime.date(2024, 3, 9), "keywords": ["安全生产", "会议"]},  # type: ignore[dict-item]
    )
    core = docx.Document(io.BytesIO(render_docx(d))).core_properties
    assert core.title == "标题"
    assert core.keywords == "安全生产、会议"
    assert (core.created.year, core.created.month, core.created.day) == (2024, 3, 9)


def test_static_parts_are_built_once_per_font_settings():
    from speechgen.writers.docx import _kit

    assert _kit(DEFAULT_FONTS) is _kit(FontSettings())
    assert _kit(FontSettings(body="方正仿宋_GBK")) is not _kit(DEFAULT_FONTS)
    a, b = parts(render_docx(speech_doc())), parts(render_docx(letter_doc()))
    for name in ("word/styles.xml", "word/settings.xml", "word/footer1.xml", "word/fontTable.xml"):
        assert a[name] == b[name]


def test_a_run_in_level_2_heading_is_in_kai():
    d = Document(kind="notice", name="x")
    d.add(Paragraph("（二）燃气安全。由县住建局牵头，重点检查瓶装液化气。"))
    d.add(Paragraph("一是排查整治不能停。要持续开展排查。"))
    root = xml(render_docx(d))
    runs = para(root, "（二）").findall("w:r", NS)
    assert "".join(runs[0].itertext()) == "（二）燃气安全。"
    assert runs[0].find("w:rPr/w:rFonts", NS).get(f"{Q}eastAsia") == "楷体_GB2312"
    assert {r.find("w:rPr/w:rFonts", NS).get(f"{Q}eastAsia") for r in runs[1:]} == {"仿宋_GB2312"}
    assert run_fonts(para(root, "一是")) == {"仿宋_GB2312"}  # an 一是 item title stays 仿宋


def test_spans_that_must_not_break():
    """Spans with Chinese characters become a ruby (LibreOffice keeps a ruby base on
    one line); an all-ASCII phone number gets U+2060 after its hyphen."""
    d = Document(kind="notice", name="x")
    d.add(
        Paragraph("按照青安办〔2024〕12号要求，于2024年3月25日前投入120.5万元，电话0571-12345678。")
    )
    d.add(Paragraph("青山县安全生产委员会办公室", "signature"))
    d.add(Paragraph("2024年3月28日", "date"))
    root = xml(render_docx(d))
    bases = ["".join(b.itertext()) for b in root.iter(f"{Q}rubyBase")]
    # a 发文字号 takes up to four characters before 〔 with it (the issuer's short name)
    assert bases == ["照青安办〔2024〕12号", "2024年3月25日", "120.5万元"]
    for rt in root.iter(f"{Q}rt"):
        assert "".join(rt.itertext()) == ""
    body = para(root, "按照")
    assert "0571-\u206012345678" in "".join(body.itertext())
    assert para(root, "2024年3月28日").find(".//w:ruby", NS) is None  # a line that never wraps
