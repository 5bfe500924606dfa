"""A real client: every sample's output opened by LibreOffice and measured with poppler.

``speechgen demo`` renders every sample; all speeches, outlines and notices and
a handful of the 36 letters are converted to PDF in ONE soffice run
(``convert_to_pdf(paths, outdir, fonts=True)``). ``pdfinfo`` must report A4 on
every page, and ``pdftotext -bbox`` must find 22 text lines on a full body
page (GB/T 9704: 22 lines of 28 characters), never more.

Same convention as tests/test_writer_pdf.py: without LibreOffice or poppler the
tests fail with an install hint, unless SPEECHGEN_ALLOW_NO_LIBREOFFICE=1 (then
they skip).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from pdftools import pages, require_tools

from speechgen.writers.pdf import convert_to_pdf

TOP = 2098 / 20  # 版心 top and bottom, pt from the page top (spec/FORMAT.md margins)
BOTTOM = (16838 - 1984) / 20
LINE_PITCH = 28.95  # exact line spacing: 22 lines in the 225 mm 版心
LETTERS_CONVERTED = 4


def speechgen(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "speechgen", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=600,
    )


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    require_tools()
    out = tmp_path_factory.mktemp("demo")
    p = speechgen("demo", "-o", str(out))
    assert p.returncode == 0, p.stderr[-2000:]
    docs = sorted(out.glob("*.docx"))
    letters = [d for d in docs if "目标责任书" in d.name]
    assert len(docs) == 51 and len(letters) == 36
    chosen = [d for d in docs if d not in letters] + letters[:: len(letters) // LETTERS_CONVERTED]
    target = tmp_path_factory.mktemp("pdf")
    got = convert_to_pdf(chosen, target, fonts=True)  # one soffice process for all
    assert got == [target / f"{d.stem}.pdf" for d in chosen]
    return {p.stem: p for p in got}


def body_lines(words) -> list[float]:
    """The text lines inside the 版心, as baselines (words within 6 pt are one line)."""
    bottoms = sorted(w[3] for w in words if w[1] >= TOP - 10 and w[3] <= BOTTOM + 2)
    lines: list[float] = []
    for y in bottoms:
        if not lines or y - lines[-1] >= 6:
            lines.append(y)
    return lines


def test_every_page_is_a4(pdfs: dict[str, Path]) -> None:
    assert len(pdfs) == 10 + 1 + 4 + LETTERS_CONVERTED
    for path in pdfs.values():
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
        assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info), (path.name, info)
        for width, height, _ in pages(path):
            assert (round(width), round(height)) == (595, 842), path.name


def test_a_full_body_page_holds_22_lines(pdfs: dict[str, Path]) -> None:
    """Some middle page of each speech is full (22 lines) and every page keeps the pitch.

    A single page may hold 21 lines where a heading was kept with its paragraph
    (keep-with-next moves it to the next page rather than leave it at the foot).
    """
    speeches = {k: v for k, v in pdfs.items() if k.endswith("讲话")}
    assert len(speeches) == 8
    for name, path in speeches.items():
        all_pages = pages(path)
        assert len(all_pages) >= 3, name
        middle = [body_lines(words) for _, _, words in all_pages[1:-1]]
        assert max(len(lines) for lines in middle) == 22, (name, [len(x) for x in middle])
        for lines in middle:
            steps = [b - a for a, b in zip(lines, lines[1:], strict=False)]
            # the pitch is the grid's, or a whole number of grid lines (a skipped line)
            assert all(abs(s / LINE_PITCH - round(s / LINE_PITCH)) < 0.02 for s in steps), (
                name,
                steps,
            )


def test_no_text_page_holds_more_than_22_lines(pdfs: dict[str, Path]) -> None:
    """Speeches, outlines and letters keep the grid on every page (tables excepted)."""
    for name, path in pdfs.items():
        if "通知" in name:
            continue
        counts = [len(body_lines(words)) for _, _, words in pages(path)]
        assert max(counts) <= 22, (name, counts)
        assert min(counts[:-1], default=22) >= 18, (name, counts)  # no half-empty pages


def test_notices_and_letters_open_with_their_text(pdfs: dict[str, Path]) -> None:
    for name, path in pdfs.items():
        text = "".join(w[4] for _, _, words in pages(path) for w in words)
        if "通知" in name:
            assert name in text and "2024年" in text, name
        if "目标责任书" in name:
            assert "甲方" in text and "乙方" in text and "（盖章）" in text, name


# ---------------------------------------------------------------- -f pdf and existing files

SPEECH = """\
type: speech
org: {level: 县, name: 青山县}
speaker: {role: 县长, name: 张三}
meeting: {name: 2024年第二季度全县安全生产工作会议, kind: quarterly, date: 2024-04-10}
"""


def test_an_edited_pdf_survives_a_second_render(tmp_path: Path) -> None:
    """The gap in test_cli's --force test: -f pdf never overwrites without --force."""
    require_tools()
    job = tmp_path / "job.yaml"
    job.write_text(SPEECH, encoding="utf-8")
    first = speechgen("render", str(job), "-o", "out", "-f", "pdf", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    (pdf,) = (tmp_path / "out").glob("*.pdf")
    assert [p.suffix for p in (tmp_path / "out").iterdir()] == [".pdf"]
    pdf.write_bytes(b"%PDF-1.4 edited by hand")
    again = speechgen("render", str(job), "-o", "out", "-f", "pdf", cwd=tmp_path)
    assert again.returncode == 1 and "Traceback" not in again.stderr
    assert "E401" in again.stderr and "--force" in again.stderr
    assert pdf.read_bytes() == b"%PDF-1.4 edited by hand"
    forced = speechgen("render", str(job), "-o", "out", "-f", "pdf", "--force", cwd=tmp_path)
    assert forced.returncode == 0 and pdf.read_bytes().startswith(b"%PDF")
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]


def test_rerendering_unchanged_input_with_pdf_succeeds(tmp_path: Path) -> None:
    require_tools()
    job = tmp_path / "job.yaml"
    job.write_text(SPEECH, encoding="utf-8")
    first = speechgen("render", str(job), "-o", "out", "-f", "docx", "-f", "pdf", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    again = speechgen("render", str(job), "-o", "out", "-f", "docx", "-f", "pdf", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
