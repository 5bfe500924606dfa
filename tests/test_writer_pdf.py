"""PDF through LibreOffice, measured with poppler (pdfinfo, pdftotext -bbox).

CI installs LibreOffice; on a machine without it these tests fail with the
command to install it, unless SPEECHGEN_ALLOW_NO_LIBREOFFICE=1 (then they skip).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from lxml import etree
from pdftools import pages, require_tools

import speechgen.writers.pdf as pdf_mod
from speechgen.errors import UserError
from speechgen.model import (
    Document,
    Heading,
    Imprint,
    PageBreak,
    Paragraph,
    RedHeader,
    Table,
    number_headings,
)
from speechgen.writers.docx import render_docx
from speechgen.writers.pdf import FONTS_CONF, convert_to_pdf

PT_PER_TWIP = 1 / 20
TOP = 2098 * PT_PER_TWIP  # 版心 top, pt from the page top
BOTTOM = (16838 - 1984) * PT_PER_TWIP
LEFT = 1587 * PT_PER_TWIP
RIGHT = (11906 - 1474) * PT_PER_TWIP
MARK = "青山县安全生产委员会办公室文件"
FILLER = "安全生产责任重于泰山"  # no punctuation: every full line holds exactly 28


def notice_doc() -> Document:
    d = Document(kind="notice", name="notice", meta={"title": "通知", "date": "2024-01-05"})
    d.add(RedHeader(MARK, "青安办〔2024〕1号"))
    d.add(Paragraph("关于做好2024年第一季度安全生产工作的通知", "title"))
    d.add(Paragraph("各乡镇人民政府，县安委会各成员单位：", "addressee"))
    d.add(Paragraph(FILLER * 6))
    d.add(Heading("压实责任", 1))
    d.add(Paragraph(FILLER * 6))
    d.add(Paragraph("附件：任务分工表", "attachment_note"))
    d.add(Paragraph("青山县安全生产委员会办公室", "signature"))
    d.add(Paragraph("2024年1月5日", "date"))
    d.add(PageBreak())
    d.add(Paragraph("附件", "attachment_label"))
    d.add(Paragraph("任务分工表", "attachment_title"))
    rows = [
        [
            str(i + 1),
            f"开展第{i + 1}项重点行业领域安全隐患排查整治",
            "县应急管理局",
            "县公安局、县交通运输局",
            "3月底",
        ]
        for i in range(20)
    ]
    d.add(
        Table(
            ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"], rows, widths=[1, 6, 3, 3, 2]
        )
    )
    d.add(Imprint("青山县安全生产委员会办公室", "2024年1月5日", cc="县委办公室"))
    number_headings(d.blocks)
    return d


def body_doc() -> Document:
    d = Document(kind="speech", name="body")
    d.add(Paragraph("安全生产工作会议", "title"))
    for _ in range(14):
        d.add(Paragraph(FILLER * 12))
    return d


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    require_tools()
    src = tmp_path_factory.mktemp("docx")
    out = tmp_path_factory.mktemp("pdf")
    paths = []
    for d in (notice_doc(), body_doc()):
        p = src / f"{d.name}.docx"
        p.write_bytes(render_docx(d))
        paths.append(p)
    got = convert_to_pdf(paths, out, fonts=True)
    assert got == [out / "notice.pdf", out / "body.pdf"]
    return {p.stem: p for p in got}


def lines_in_text_block(words) -> list[str]:
    rows: dict[int, list] = {}
    for x0, y0, _x1, y1, t in words:
        if y0 >= TOP - 10 and y1 <= BOTTOM + 2:
            rows.setdefault(round(y0), []).append((x0, t))
    return ["".join(t for _, t in sorted(ws)) for _, ws in sorted(rows.items())]


def test_pages_are_a4(pdfs):
    for path in pdfs.values():
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
        w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
        assert (round(w), round(h)) == (595, 842)
        for pw, ph, _ in pages(path):
            assert (round(pw), round(ph)) == (595, 842)


def test_a_full_body_page_holds_22_lines_of_28_characters(pdfs):
    _, _, words = pages(pdfs["body"])[1]
    lines = lines_in_text_block(words)
    assert len(lines) == 22, lines
    full = [ln for ln in lines if len(ln) > 20]
    assert full and all(len(ln) in (26, 28) for ln in full), [len(ln) for ln in full]
    assert 28 in {len(ln) for ln in full}
    ys = sorted({round(w[1], 1) for w in words if TOP - 10 <= w[1] < BOTTOM})
    steps = {round(b - a, 1) for a, b in zip(ys, ys[1:], strict=False)}
    assert steps <= {28.9, 29.0, 28.95}, steps  # 28.95 pt exact line spacing


def test_page_numbers_odd_right_even_left(pdfs):
    for number, (_, _, words) in enumerate(pages(pdfs["body"]), start=1):
        dashes = [w for w in words if w[4] == "—" and w[1] > BOTTOM]
        assert len(dashes) == 2, number
        digits = [w for w in words if w[4] == str(number) and w[1] > BOTTOM]
        assert digits
        below = min(w[1] for w in dashes) - BOTTOM
        assert 5 < below < 20  # the dashes sit about 7 mm (20 pt) under the 版心
        if number % 2:
            assert abs(max(w[2] for w in dashes) - (RIGHT - 14)) < 3  # one 四号 character in
        else:
            assert abs(min(w[0] for w in dashes) - (LEFT + 14)) < 3


def test_notice_layout(pdfs):
    all_pages = pages(pdfs["notice"])
    _, _, first = all_pages[0]
    marks = [w for w in first if w[4] == MARK]
    assert len(marks) == 1  # the mark stays on one line
    x0, y0, x1, _, _ = marks[0]
    assert abs((x0 + x1) / 2 - (LEFT + RIGHT) / 2) < 3  # centred
    assert 85 < y0 - TOP < 110  # top edge about 35 mm (99 pt) under the 版心 top
    (y,) = {w[1] for w in first if w[4].startswith("关于")}
    line = [w for w in first if w[1] == y]  # 「关于做好」「2024」「年第一季度」
    assert abs((min(w[0] for w in line) + max(w[2] for w in line)) / 2 - (LEFT + RIGHT) / 2) < 3
    assert "".join(w[4] for w in line) == "关于做好2024年第一季度"  # broken between words
    table_pages = [
        i for i, (_, _, ws) in enumerate(all_pages) if any(w[4] == "工作任务" for w in ws)
    ]
    assert len(table_pages) >= 2  # the header row repeats on every page of the table
    assert table_pages == list(range(table_pages[0], table_pages[-1] + 1))
    # the 版记 follows on a page of its own, even (a blank page before it when needed)
    assert len(all_pages) % 2 == 0
    assert all(not ws for _, _, ws in all_pages[table_pages[-1] + 1 : -1])
    _, _, last = all_pages[-1]
    assert any(w[4].startswith("抄送") for w in last)
    assert any(w[4].endswith("印发") for w in last)


# ------------------------------------------------------------------ without LibreOffice


def test_missing_libreoffice_is_a_user_error(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf_mod, "find_soffice", lambda: None)
    f = tmp_path / "a.docx"
    f.write_bytes(b"x")
    with pytest.raises(UserError) as err:
        convert_to_pdf([f], tmp_path)
    assert "LibreOffice" in err.value.message
    assert "apt-get install libreoffice-writer" in err.value.message
    assert convert_to_pdf([], tmp_path) == []


def test_one_process_for_all_files(monkeypatch, tmp_path):
    calls = []

    def fake_run(cmd, **kw):
        calls.append((cmd, kw))
        outdir = Path(cmd[cmd.index("--outdir") + 1])
        for arg in cmd:
            if arg.endswith(".docx"):
                (outdir / (Path(arg).stem + ".pdf")).write_bytes(b"%PDF")
        return subprocess.CompletedProcess(cmd, 0, "", "")

    monkeypatch.setattr(pdf_mod, "find_soffice", lambda: "/opt/lo/soffice")
    monkeypatch.setattr(pdf_mod.subprocess, "run", fake_run)
    files = []
    for name in ("甲", "乙", "丙"):
        f = tmp_path / f"{name}.docx"
        f.write_bytes(b"x")
        files.append(f)
    out = convert_to_pdf(files, tmp_path / "out", fonts=True)
    assert out == [tmp_path / "out" / f"{n}.pdf" for n in ("甲", "乙", "丙")]
    assert len(calls) == 1
    cmd, kw = calls[0]
    assert cmd[0] == "/opt/lo/soffice" and "--headless" in cmd
    assert any(a.startswith("-env:UserInstallation=file://") for a in cmd)
    assert cmd[cmd.index("--convert-to") + 1].startswith("pdf")
    assert [a for a in cmd if a.endswith(".docx")] == [str(f) for f in files]
    assert kw["env"]["FONTCONFIG_FILE"] == str(FONTS_CONF)
    convert_to_pdf(files[:1], tmp_path / "out")
    assert "FONTCONFIG_FILE" not in calls[-1][1]["env"] or os.environ.get("FONTCONFIG_FILE")


def test_unconverted_and_clashing_files_are_user_errors(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf_mod, "find_soffice", lambda: "/opt/lo/soffice")
    monkeypatch.setattr(
        pdf_mod.subprocess,
        "run",
        lambda cmd, **kw: subprocess.CompletedProcess(
            cmd, 1, "", "Error: source file could not be loaded"
        ),
    )
    f = tmp_path / "a.docx"
    f.write_bytes(b"x")
    with pytest.raises(UserError, match="could not be loaded"):
        convert_to_pdf([f], tmp_path / "out")
    with pytest.raises(UserError, match="不存在"):
        convert_to_pdf([tmp_path / "none.docx"], tmp_path / "out")
    (tmp_path / "d").mkdir()
    g = tmp_path / "d" / "a.docx"
    g.write_bytes(b"x")
    with pytest.raises(UserError, match="同名"):
        convert_to_pdf([f, g], tmp_path / "out")


def test_bundled_fonts_conf():
    tests_copy = Path(__file__).parent / "fonts" / "fonts.conf"
    assert FONTS_CONF.read_bytes() == tests_copy.read_bytes()
    root = etree.parse(str(FONTS_CONF)).getroot()
    prefer = {
        a.findtext("family"): a.find("prefer").findtext("family") for a in root.findall("alias")
    }
    assert prefer["仿宋_GB2312"] == prefer["仿宋"] == prefer["宋体"] == "Noto Serif CJK SC"
    assert prefer["方正小标宋简体"] == "Noto Serif CJK SC"
    assert prefer["楷体_GB2312"] == prefer["楷体"] == "AR PL UKai CN"
    assert prefer["黑体"] == "Noto Sans CJK SC"
    assert root.find("include").text == "/etc/fonts/fonts.conf"
