"""Markdown and HTML previews."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st

from speechgen import model
from speechgen.compose import plan_job
from speechgen.compose.library import load_library
from speechgen.inputs import load_job
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
from speechgen.writers.docx import mark_size, title_lines
from speechgen.writers.html import render_html
from speechgen.writers.markdown import escape_md, render_markdown

NASTY = "市住建局 & 交通局 <联合>"
TRICKY = [
    NASTY,
    "他说\"要落实\"，又说'要到位'",
    "*星号* _下划线_ `反引号` [链接](http://x) {: .evil } \\反斜杠",
    "&amp; 已是实体 &#169; <b>粗</b> <!-- 注释 -->",
    "# 不是标题",
    "1. 不是列表",
    "> 不是引用",
    "- 不是列表",
    "| 不是表格 |",
]
CELL_TRICKY = [*TRICKY, "甲|乙", "| 竖线 |"]
SAMPLES = Path(__file__).resolve().parent.parent / "speechgen" / "samples"


def speech() -> Document:
    d = Document(kind="speech", name="讲话", meta={"title": "在全县安全生产工作会议上的讲话"})
    d.add(Paragraph("在全县安全生产工作会议上的讲话", "title"))
    d.add(Paragraph("（2024年4月10日）", "subtitle"))
    d.add(Paragraph("同志们：", "salutation"))
    d.add(Heading("充分肯定成绩", 1))
    d.add(Paragraph("各乡镇要逐项建立台账。", lead="一是排查整治不能停。"))
    d.add(Heading("道路交通安全", 2))
    d.add(Heading("排查整治要全覆盖", 3))
    d.add(Heading("建立台账", 4))
    d.add(Paragraph("谢谢大家！", "closing"))
    number_headings(d.blocks)
    return d


def notice() -> Document:
    d = Document(kind="notice", name="通知")
    d.add(RedHeader("青山县人民政府办公室文件", "青政办发〔2024〕3号"))
    d.add(Paragraph("关于做好安全生产工作的通知", "title"))
    d.add(Paragraph("各乡镇人民政府：", "addressee"))
    d.add(Paragraph("正文。"))
    d.add(Paragraph("附件：任务分工表", "attachment_note"))
    d.add(Paragraph("青山县人民政府办公室", "signature"))
    d.add(Paragraph("2024年1月5日", "date"))
    d.add(PageBreak())
    d.add(Paragraph("附件", "attachment_label"))
    d.add(Paragraph("任务分工表", "attachment_title"))
    d.add(Table(["序号", "工作任务"], [["1", NASTY], ["2", "甲|乙"]]))
    d.add(SignatureTable(["甲方：" + NASTY], ["乙方：县应急局"]))
    d.add(Imprint(NASTY, "2024年1月5日", cc="县委办公室"))
    return d


class _Text(HTMLParser):
    """Text of every element (its own and its descendants'), with its tag and class."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, int]] = []
        self.items: list[list[str]] = []

    def handle_starttag(self, tag, attrs):
        self.items.append([tag, dict(attrs).get("class") or "", ""])
        if tag not in ("hr", "br", "meta", "img"):
            self.stack.append((tag, len(self.items) - 1))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        for _, k in self.stack:
            self.items[k][2] += data


def _parse(page: str) -> list[list[str]]:
    p = _Text()
    p.feed(page)
    return p.items


def texts(page: str) -> list[str]:
    return [t.strip() for _, _, t in _parse(page)]


def by_class(page: str, cls: str) -> list[str]:
    return [t.strip() for _, c, t in _parse(page) if cls in c.split()]


def test_markdown_shape():
    text = render_markdown(speech())
    lines = text.splitlines()
    assert lines[0].startswith("# 在全县安全生产工作会议上的讲话")
    assert "**一、充分肯定成绩**" in lines
    assert "**（一）道路交通安全**" in lines
    assert "**1\\.排查整治要全覆盖**" in lines
    assert "**（1）建立台账**" in lines
    assert "{: .subtitle }" in lines
    assert "一是排查整治不能停。各乡镇要逐项建立台账。" in lines
    assert text.endswith("\n")


def test_markdown_of_a_notice():
    text = render_markdown(notice())
    assert "| 序号 | 工作任务 |" in text
    assert "| :---: | --- |" in text
    assert "| 2 | 甲\\|乙 |" in text
    assert "{: .signature }" in text and "{: .date }" in text
    assert "{: .attachment-label }" in text
    assert '<hr class="page-break" />' in text


def test_html_is_a_standalone_page():
    page = render_html(speech())
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8" />' in page
    assert "<style>" in page and "28.95pt" in page and "16pt" in page and "210mm" in page
    assert "<title>在全县安全生产工作会议上的讲话</title>" in page
    assert by_class(page, "title") == ["在全县安全生产工作会议上的讲话"]
    assert by_class(page, "subtitle") == ["（2024年4月10日）"]
    assert "一、充分肯定成绩" in texts(page)
    assert by_class(page, "heading-2") == ["（一）道路交通安全"]
    assert by_class(page, "heading-1") == ["一、充分肯定成绩"]
    assert "（一）道路交通安全" in texts(page)
    assert "1.排查整治要全覆盖" in texts(page)


def test_html_notice_parts():
    page = render_html(notice())
    assert by_class(page, "mark") == ["青山县人民政府办公室文件"]
    assert by_class(page, "doc-number") == ["青政办发〔2024〕3号"]
    assert 'class="red-rule"' in page
    assert "color: #f00" in page
    assert by_class(page, "signature") == [
        "青山县人民政府办公室",
        "甲方：" + NASTY + "乙方：县应急局",
    ]
    assert by_class(page, "date") == ["2024年1月5日"]
    assert by_class(page, "cc") == ["抄送：县委办公室。"]
    assert "<th" in page and "甲|乙" in texts(page)
    assert NASTY in texts(page)
    assert "甲方：" + NASTY in texts(page)


def test_html_special_characters_come_out_as_text():
    d = Document(kind="speech", name="x", meta={"title": NASTY})
    d.add(Paragraph(NASTY, "title"))
    for t in TRICKY:
        d.add(Paragraph(t))
    d.add(Heading(NASTY, 1, number="一、"))
    d.add(Table([NASTY], [[t] for t in CELL_TRICKY]))
    page = render_html(d)
    found = texts(page)
    for t in CELL_TRICKY:
        assert t in found, t
    assert "一、" + NASTY in found
    assert (
        f"<title>{NASTY.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')}</title>"
        in page
    )
    assert "<b>" not in page and "<!-- 注释" not in page and 'href="http://x"' not in page
    assert "<h1 class" in page and page.count("<h1") == 1


def test_escape_md_is_inert_in_markdown():
    for t in TRICKY:
        out = markdown.markdown(escape_md(t))
        assert texts(out) == [t], (t, out)


# ---------------------------------------------------------------- the laid-out pages

SECTION = re.compile(r'<section class="page [a-z]+" data-page="(\d+)">(.*?)</section>', re.S)


def sections(page: str) -> list[str]:
    found = SECTION.findall(page)
    assert [int(n) for n, _ in found] == list(range(1, len(found) + 1))
    return [body for _, body in found]


def batch(sample: str) -> list[Document]:
    job = load_job(SAMPLES / f"{sample}.yaml")
    jd = plan_job(job, load_library(), 0)
    return [jd.compose(i) for i in range(len(jd))]


def long_notice(rows: int, body_paragraphs: int) -> Document:
    d = notice()
    text = "各乡镇、各部门要认真落实安全生产责任制，切实加强隐患排查治理，确保安全。" * 3
    at = d.blocks.index(next(b for b in d.blocks if isinstance(b, Paragraph) and b.role == "body"))
    d.blocks[at : at + 1] = [Paragraph(text) for _ in range(body_paragraphs)]
    table = next(b for b in d.blocks if isinstance(b, Table))
    table.rows = [[str(i), f"第{i}项工作任务"] for i in range(1, rows + 1)]
    d.blocks = [b for b in d.blocks if not isinstance(b, SignatureTable)]
    return d


def test_pages_are_explicit_boxes_with_numbers():
    page = render_html(long_notice(rows=3, body_paragraphs=12))
    boxes = sections(page)
    assert len(boxes) >= 3
    for n, box in enumerate(boxes, 1):
        if "imprint" in box or 'class="l' not in box:
            assert "folio" not in box, n  # no number on the 版记 page or a blank page
            continue
        side = "odd" if n % 2 else "even"
        assert f'<div class="folio {side}">— {n} —</div>' in box, n
    assert "@page { size: A4; margin: 0; }" in page
    assert "210mm" in page and "297mm" in page and "156mm" in page and "225mm" in page


def test_imprint_on_an_even_last_page():
    for paragraphs in range(4, 30, 3):  # body lengths that end on odd and on even pages
        boxes = sections(render_html(long_notice(rows=3, body_paragraphs=paragraphs)))
        assert len(boxes) % 2 == 0, paragraphs
        assert 'class="imprint"' in boxes[-1] and "folio" not in boxes[-1], paragraphs
        assert all('class="imprint"' not in b for b in boxes[:-1])


def test_attachment_starts_a_page_and_a_long_table_repeats_its_header():
    boxes = sections(render_html(long_notice(rows=60, body_paragraphs=3)))
    label = [n for n, b in enumerate(boxes) if 'class="attachment-label"' in b]
    assert len(label) == 1
    first = boxes[label[0]]
    assert first.index('class="attachment-label"') < first.index('class="l') + 40
    with_rows = [b for b in boxes if "<td" in b]
    assert len(with_rows) >= 2
    for b in with_rows:
        assert b.count("<th") == 2  # 序号, 工作任务 on every page of the table
    cells = [c for b in with_rows for c in re.findall(r'<td class="c"><span class="cl">(\d+)<', b)]
    assert cells == [str(i) for i in range(1, 61)]  # every row once, in order


def test_signature_never_alone_on_its_page():
    docs = batch("09-县-季度通知-全年批量") + batch("08-县-任务分工-通知")
    assert len(docs) == 5
    for d in docs:
        for box in sections(render_html(d)):
            if 'class="signature"' in box:
                head = box[: box.index('class="signature"')]
                assert re.search(r'<p( style="[^"]*")?><span class="l', head), d.name


def test_mark_and_title_come_from_the_docx_definitions():
    d = notice()
    d.blocks[0] = RedHeader("青山县安全生产委员会办公室暨应急管理局文件", "青政办发〔2024〕3号")
    long_title = "关于印发青山县2024年安全生产重点工作任务分工方案的通知"
    d.blocks[1] = Paragraph(long_title, "title")
    page = render_html(d)
    size, scale = mark_size(d.blocks[0].mark)
    assert f'class="mark" style="font-size:{size:g}pt;' in page
    assert scale < 100 and f"scaleX({scale / 100:g})" in page
    h1 = re.search(r'<h1 class="title"[^>]*>(.*?)</h1>', page).group(1)
    got = re.findall(r'<span class="l c[^"]*">(.*?)</span>', h1)
    assert got == list(title_lines(long_title)) and len(got) == 2


def test_lines_are_cut_like_the_printed_page():
    d = Document(kind="speech", name="x")
    text = "按照县委、县政府的安排，今天我们召开这次安全生产工作会议。近期，上级相继召开了安全生产等一系列会议，对相关工作进行了系统安排部署，需要我们层层学习传达、抓好贯彻落实，进一步把责任压实。"
    d.add(Paragraph(text))
    page = render_html(d)
    got = [html.unescape(x) for x in re.findall(r'<span class="l[^"]*">(.*?)</span>', page)]
    # read off the LibreOffice PDF of the same paragraph: 26 characters after the
    # indent, then 28; 「落实，」 hangs its comma past the edge
    assert got == [
        "按照县委、县政府的安排，今天我们召开这次安全生产工作",
        "会议。近期，上级相继召开了安全生产等一系列会议，对相关工",
        "作进行了系统安排部署，需要我们层层学习传达、抓好贯彻落实，",
        "进一步把责任压实。",
    ]
    assert "".join(got) == text


TEXT = st.text(
    alphabet=st.sampled_from(
        list("安全生产检查，。、；：（）《》“”—… 0123456789.%-/abcXYZ&<>\u3000")
    ),
    max_size=200,
)
BLOCKS = st.lists(
    st.one_of(
        st.builds(Paragraph, TEXT, st.sampled_from(model.PARAGRAPH_ROLES)),
        st.builds(Heading, TEXT, st.integers(1, 4), st.just("一、")),
        st.builds(PageBreak),
        st.builds(RedHeader, TEXT, TEXT),
        st.builds(
            Table, st.lists(TEXT, max_size=4), st.lists(st.lists(TEXT, max_size=4), max_size=30)
        ),
        st.builds(SignatureTable, st.lists(TEXT, max_size=3), st.lists(TEXT, max_size=3)),
        st.builds(Imprint, TEXT, TEXT, TEXT),
    ),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(BLOCKS)
def test_any_document_lays_out_with_all_its_text(blocks):
    d = Document(kind="notice", name="x", blocks=blocks)
    page = render_html(d)
    boxes = sections(page)
    assert boxes
    flat = html.unescape(re.sub(r"<[^>]+>", "", page))
    for b in blocks:
        if isinstance(b, (Paragraph, Heading)):
            assert b.full_text.replace("\n", "") in flat
