"""Markdown and HTML previews."""

from __future__ import annotations

from html.parser import HTMLParser

import markdown

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
