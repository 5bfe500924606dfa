"""The page-level rules of spec/FORMAT.md v2, judged on the pages LibreOffice lays out.

Every bundled sample (``speechgen demo``: the speeches, the task notice, the four
quarterly notices of sample 09 and the 36 letters) and a set of notices built to
hit the edge cases are converted to PDF in ONE soffice run, then read back with
``pdftotext -bbox`` (words and their boxes) and ``pdftoppm`` (the rules of the
版记, which are drawn, not text):

- the 署名 never stands on a page without body text (a letter's signing table
  likewise);
- the 版记 is on the last page, that page is even, its last rule on the bottom
  edge of the 版心, and neither it nor a blank page before it carries a number;
- no phone number, 发文字号, date or number with its unit breaks across lines;
- text pages keep the 22-line grid.

The edge cases: notices whose last body paragraph grows a line at a time, so
that across the set the body ends on every line of its page (among them the
ones where the 署名 would otherwise fall alone on the next page, and both
parities of the last body page), sealed and unsealed.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from pdftools import pages, require_tools

from speechgen.model import (
    Document,
    Heading,
    Imprint,
    Paragraph,
    RedHeader,
    number_headings,
)
from speechgen.writers.docx import NOBREAK, WORD_JOINER, render_docx
from speechgen.writers.pdf import convert_to_pdf

TOP = 2098 / 20  # 版心 top and bottom, pt from the page top (spec/FORMAT.md margins)
BOTTOM = (16838 - 1984) / 20
PITCH = 28.95
MIDDLE = 595.3 / 2
RIGHT = 595.3 - 1474 / 20
LEFT = 1587 / 20
FILLER = "安全生产责任重于泰山"  # no punctuation: every full line holds exactly 28
ISSUER = "青山县安全生产委员会办公室"
PHONE = "0571-12345678"
EDGE_CASES = 22  # one per line of a page: the body ends on each of them once


def speechgen(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "speechgen", *args], capture_output=True, text=True, timeout=600
    )


def edge_notice(extra_lines: int, sealed: bool) -> Document:
    """A notice whose body grows by ``extra_lines`` lines before its short last paragraph."""
    d = Document(kind="notice", name=f"edge-{extra_lines:02d}-{'sealed' if sealed else 'plain'}")
    d.sealed = sealed
    d.add(RedHeader(f"{ISSUER}文件", "青安办〔2024〕12号"))
    d.add(Paragraph("关于做好2024年第二季度安全生产工作的通知", "title"))
    d.add(Paragraph("各乡镇人民政府，县安委会各成员单位：", "addressee"))
    d.add(
        Paragraph("按照青安办〔2024〕3号文件要求，截至2024年3月31日，全县投入资金120.5万元。" * 2)
    )
    d.add(Heading("压实责任", 1))
    d.add(Paragraph(FILLER * (8 + 28 * extra_lines // 10)))
    d.add(Paragraph(f"值班电话：{PHONE}，" + "请各单位于2024年6月25日前报送情况，" * 3 + "。"))
    d.add(Paragraph(FILLER * 5 + "。"))
    d.add(Paragraph(ISSUER, "signature"))
    d.add(Paragraph("2024年3月28日", "date"))
    cc = "县委办公室，县人大常委会办公室，县政协办公室"
    if extra_lines % 3 == 0:  # a 抄送 of two lines
        cc += "，县纪委监委，县法院，县检察院，县人武部，各乡镇人民政府"
    d.add(Imprint(ISSUER, "2024年3月28日", cc=cc))
    number_headings(d.blocks)
    return d


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    require_tools()
    out = tmp_path_factory.mktemp("demo")
    p = speechgen("demo", "-o", str(out))
    assert p.returncode == 0, p.stderr[-2000:]
    docs = sorted(out.glob("*.docx"))
    assert len(docs) == 51  # every sample: 10 speeches and outlines, 1 + 4 notices, 36 letters
    for n in range(EDGE_CASES):
        d = edge_notice(n, sealed=bool(n % 2))
        path = out / f"{d.name}.docx"
        path.write_bytes(render_docx(d))
        docs.append(path)
    target = tmp_path_factory.mktemp("pdf")
    got = convert_to_pdf(docs, target, fonts=True)  # one soffice process for all
    return {p.stem: p for p in got}


# ---------------------------------------------------------------- reading the pages


def lines_of(words) -> list[tuple[float, float, str, float]]:
    """Text lines as (baseline, left x, text, right x), top to bottom (words within
    6 pt are one line)."""
    rows: list[list] = []
    for w in sorted(words, key=lambda w: (w[3], w[0])):
        if rows and abs(w[3] - rows[-1][0][3]) < 6:
            rows[-1].append(w)
        else:
            rows.append([w])
    out = []
    for row in rows:
        row.sort(key=lambda w: w[0])
        text = "".join(w[4] for w in row).replace(WORD_JOINER, "")
        out.append((max(w[3] for w in row), min(w[0] for w in row), text, max(w[2] for w in row)))
    return out


def body_lines(words) -> list[tuple[float, float, str, float]]:
    return [ln for ln in lines_of(words) if TOP - 10 <= ln[0] <= BOTTOM + 2]


def footer_words(words) -> list:
    return [w for w in words if w[1] > BOTTOM + 2]


def rules_on(pdf: Path, page: int, dpi: int = 72) -> list[tuple[float, float, float]]:
    """(y, x0, x1) in pt of the horizontal rules drawn across a page, top to bottom."""
    raw = subprocess.run(
        ["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), str(pdf)],
        capture_output=True,
        check=True,
    ).stdout
    m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", raw)
    assert m, raw[:20]
    width, height = int(m.group(1)), int(m.group(2))
    pixels = raw[m.end() :]
    found: list[tuple[float, float, float]] = []
    for y in range(height):
        row = pixels[y * width : (y + 1) * width]
        dark = [x for x, v in enumerate(row) if v < 140]
        if len(dark) > 0.6 * 442 * dpi / 72:
            pt = y * 72 / dpi
            if not found or pt - found[-1][0] > 2:
                found.append((pt, dark[0] * 72 / dpi, (dark[-1] + 1) * 72 / dpi))
    return found


NOTICES = ("通知", "edge-")


def notices(pdfs: dict[str, Path]) -> dict[str, Path]:
    got = {k: v for k, v in pdfs.items() if any(n in k for n in NOTICES)}
    assert len(got) == 5 + EDGE_CASES
    return got


def signature_page(all_pages) -> tuple[int, float]:
    """(page index, baseline) of the 署名: the last line that is the issuer, right of the middle."""
    found = None
    for i, (_, _, words) in enumerate(all_pages):
        for y, x, text, _ in body_lines(words):
            if text == ISSUER and x > MIDDLE - 60:
                found = (i, y)
    assert found, "no 署名 found"
    return found


# ---------------------------------------------------------------- the rules


def test_the_signature_shares_its_page_with_body_text(pdfs: dict[str, Path]) -> None:
    pushed = 0
    for name, path in notices(pdfs).items():
        all_pages = pages(path)
        i, y = signature_page(all_pages)
        above = [
            t
            for b, _, t, _ in body_lines(all_pages[i][2])
            if b < y - 1 and not t.startswith("附件")
        ]
        assert above, (name, i + 1)  # body text above the 署名 on its page
        if i and len(body_lines(all_pages[i - 1][2])) < 22 and name.startswith("edge-"):
            pushed += 1  # the page before ends short: lines went along with the 署名
    assert pushed >= 1  # the edge cases did make the keep move body lines


def test_a_letters_signing_table_shares_its_page_with_body_text(pdfs: dict[str, Path]) -> None:
    letters = {k: v for k, v in pdfs.items() if "目标责任书" in k}
    assert len(letters) == 36
    for name, path in letters.items():
        all_pages = pages(path)
        hits = [
            (i, y)
            for i, (_, _, words) in enumerate(all_pages)
            for y, _, t, _ in body_lines(words)
            if t.startswith("甲方") and "乙方" in t  # the signing table's first line
        ]
        assert hits, name
        i, y = hits[-1]
        assert any("（签字）" in t for _, _, t, _ in body_lines(all_pages[i][2])), name
        assert [t for b, _, t, _ in body_lines(all_pages[i][2]) if b < y - 1], (name, i + 1)


def test_a_letters_signing_lines_stand_level_when_one_side_wraps(pdfs: dict[str, Path]) -> None:
    """甲方：青山县人民政府（盖章） does not fit its half of the table and its （盖章）
    goes on a line of its own: the 签字 and date lines of both sides still stand on
    one line each, to the point."""
    letters = {k: v for k, v in pdfs.items() if "目标责任书" in k}
    wrapped = 0
    for name, path in letters.items():
        width, _, words = pages(path)[-1]
        mid = width / 2
        signs = [(x, y) for x, y, _, _, t in words if t.endswith("（签字）")]
        dates = [(x, y) for x, y, _, _, t in words if t == str(2024)]
        for found in (signs, dates[-2:]):
            left = [y for x, y in found if x < mid]
            right = [y for x, y in found if x >= mid]
            assert left and right, (name, found)
            assert abs(left[-1] - right[-1]) < 0.5, (name, found)
        wrapped += any(t == "（盖章）" for *_, t in words)
    assert wrapped >= 30  # the sample's 甲方 wraps in its letters: the case is tried


def test_the_imprint_is_at_the_foot_of_an_even_last_page_without_a_number(
    pdfs: dict[str, Path],
) -> None:
    blanks = 0
    for name, path in notices(pdfs).items():
        all_pages = pages(path)
        assert len(all_pages) % 2 == 0, (name, len(all_pages))
        last = all_pages[-1][2]
        texts = [t for _, _, t, _ in body_lines(last)]
        assert texts[0].startswith("抄送：") and texts[-1].endswith("印发"), (name, texts)
        assert not footer_words(last), name  # no page number on the 版记 page
        rules = rules_on(path, len(all_pages))
        cc = any(t.startswith("抄送") for t in texts)
        assert len(rules) == (3 if cc else 2), (name, rules)  # 版记 rules: top, (between,) bottom
        for _, x0, x1 in rules:  # each spans the 版心
            assert abs(x0 - LEFT) < 2 and abs(x1 - RIGHT) < 2, (name, x0, x1)
        assert BOTTOM - 3 <= rules[-1][0] <= BOTTOM + 1, (name, rules[-1], BOTTOM)
        before = all_pages[-2][2]
        if not before:  # a blank page keeps the 版记 even: no number on it either
            blanks += 1
            assert len(all_pages) >= 4
            _, _, earlier = all_pages[-3]
            assert footer_words(earlier), name  # the body's last page is numbered
        else:
            assert footer_words(before), name
    assert 0 < blanks < len(notices(pdfs))  # both parities of the body's last page occurred


def test_body_pages_are_numbered_in_order(pdfs: dict[str, Path]) -> None:
    for name, path in notices(pdfs).items():
        numbered = [
            "".join(w[4] for w in sorted(footer_words(words)))
            for _, _, words in pages(path)
            if footer_words(words)
        ]
        assert numbered == [f"—{n}—" for n in range(1, len(numbered) + 1)], (name, numbered)


def test_no_protected_span_breaks_across_lines(pdfs: dict[str, Path]) -> None:
    """Phone numbers, 发文字号, dates and numbers with units stay on one line.

    Each page's running text (attachment tables excepted: their narrow cells
    must wrap) is joined line to line; no span the writer protects may
    straddle a line end.
    """
    checked = 0
    for name, path in pdfs.items():
        for number, (_, _, words) in enumerate(pages(path), start=1):
            lines = body_lines(words)
            if any(t.startswith("序号") for _, _, t, _ in lines):
                break  # the 附件 table and everything after it
            joined = ""
            ends: list[int] = []  # ends of wrapped lines: full, and the next starts flush left
            for k, (_, _, t, x1) in enumerate(lines):
                joined += t
                if x1 > RIGHT - 20 and k + 1 < len(lines) and lines[k + 1][1] < LEFT + 5:
                    ends.append(len(joined))
            for m in NOBREAK.finditer(joined):
                checked += 1
                split = [e for e in ends if m.start() < e < m.end()]
                assert not split, (name, number, m.group(0))
    assert checked > 500


def test_the_phone_number_is_whole_in_every_edge_case(pdfs: dict[str, Path]) -> None:
    for n in range(EDGE_CASES):
        path = next(v for k, v in pdfs.items() if k.startswith(f"edge-{n:02d}-"))
        texts = [t for _, _, words in pages(path) for _, _, t, _ in body_lines(words)]
        assert any(PHONE in t for t in texts), n


def test_text_pages_keep_the_22_line_grid(pdfs: dict[str, Path]) -> None:
    for name, path in pdfs.items():
        all_pages = pages(path)
        for number, (_, _, words) in enumerate(all_pages[1:], start=2):
            lines = body_lines(words)
            if not lines or any(t.startswith(("序号", "附件", "抄送")) for _, _, t, _ in lines):
                continue
            assert len(lines) <= 22, (name, number, len(lines))
            base = [b for b, _, t, _ in lines if not ("甲方" in t or "乙方" in t)]
            for a, b in zip(base, base[1:], strict=False):
                steps = (b - a) / PITCH
                assert abs(steps - round(steps)) < 0.05 and round(steps) >= 1, (
                    name,
                    number,
                    a,
                    b,
                )


def test_unsealed_and_sealed_signatures(pdfs: dict[str, Path]) -> None:
    """Unsealed: 署名 two characters from the right, the date starting two characters
    right of the 署名's first character; sealed: the date four characters from the
    right and the 署名 centred over it."""
    right = RIGHT
    char = 15.75
    for n in (0, 1):
        path = next(v for k, v in pdfs.items() if k.startswith(f"edge-{n:02d}-"))
        all_pages = pages(path)
        i, y = signature_page(all_pages)
        words = all_pages[i][2]
        sig = [w for w in words if abs(w[3] - y) < 3]
        date = [w for w in words if PITCH - 3 < w[3] - y < PITCH + 3]
        sx0, sx1 = min(w[0] for w in sig), max(w[2] for w in sig)
        dx0, dx1 = min(w[0] for w in date), max(w[2] for w in date)
        if n == 0:  # unsealed
            assert abs((right - sx1) - 2 * char) < 4, (sx1, right)
            assert abs((dx0 - sx0) - 2 * char) < 4, (dx0, sx0)
        else:
            assert abs((right - dx1) - 4 * char) < 6, (dx1, right)
            assert abs((sx0 + sx1) / 2 - (dx0 + dx1) / 2) < 6, (sx0, sx1, dx0, dx1)
