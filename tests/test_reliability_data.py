"""Hostile data through the real command line: numbers, spreadsheets, snippet files.

Each case runs ``python -m speechgen render …`` (or ``snippets list``) in its own
process and asserts the exit code, the located Chinese message, no traceback and
no output file — or, for what is read correctly, the value typed in the document.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

SPEECH = """type: speech
org: {level: 县, name: 青山县}
speaker: {role: 县长}
meeting: {name: 全县安全生产工作会议, kind: quarterly, date: 2024-04-10}
stats:
  current: {accidents: 3, deaths: DEATHS}
"""

LETTER = """type: letter
org: {level: 县, name: 青山县}
party_a: {name: 青山县人民政府, signer_title: 县长}
term: {start: 2024-01-01, end: 2024-12-31}
sign_date: 2024-02-20
targets:
  - 生产安全事故死亡人数控制在{limits.deaths_max}人以内
recipients_file: TABLE
"""


def run(tmp_path: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    p = subprocess.run(
        [sys.executable, "-m", "speechgen", *args],
        capture_output=True,
        text=True,
        cwd=cwd or tmp_path,
        timeout=120,
    )
    assert "Traceback" not in p.stdout + p.stderr, p.stderr[-3000:]
    return p


def render(tmp_path: Path, job: Path, *extra: str) -> subprocess.CompletedProcess:
    return run(tmp_path, "render", str(job), "-o", str(tmp_path / "out"), "-f", "md", *extra)


def refused(tmp_path: Path, p: subprocess.CompletedProcess, *patterns: str) -> None:
    """Exit 1, every pattern on a line of stderr, nothing written."""
    report = f"exit {p.returncode}\nstdout:\n{p.stdout}\nstderr:\n{p.stderr[-3000:]}"
    assert p.returncode == 1, report
    lines = p.stderr.splitlines()
    for pattern in patterns:
        assert any(re.search(pattern, line) for line in lines), f"{pattern!r} not in\n{report}"
    assert re.search(r"错误 E\d{3} .*[\u4e00-\u9fff]", p.stderr), report
    out = tmp_path / "out"
    assert not out.exists() or not any(out.iterdir()), list(out.iterdir())
    assert not p.stdout.strip(), report


def written_text(tmp_path: Path, p: subprocess.CompletedProcess) -> str:
    assert p.returncode == 0, p.stderr[-3000:]
    files = sorted((tmp_path / "out").glob("*.md"))
    assert files, p.stderr
    return "\n".join(f.read_text(encoding="utf-8") for f in files)


# ------------------------------------------------------------------ YAML 1.1 numbers


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("0x1A", "十六进制"),
        ("0o17", ""),  # not a YAML 1.1 int: text, refused as 应为整数
        ("0b101", "二进制"),
        ("1:30", "六十进制"),
        ("1_000", "下划线"),
        ("1.0e+3", "科学计数法"),
        (".inf", "无穷大"),
        (".5", ""),
    ],
)
def test_yaml_number_forms_are_refused(tmp_path: Path, typed: str, why: str) -> None:
    job = tmp_path / "job.yaml"
    job.write_text(SPEECH.replace("DEATHS", typed), encoding="utf-8")
    p = render(tmp_path, job)
    shown = re.escape(typed)
    refused(
        tmp_path,
        p,
        rf"job\.yaml:6:\d+: 错误 E101 stats\.current\.deaths .*“{shown}”.*{why}",
    )


@pytest.mark.parametrize(("typed", "read"), [("010", "10"), ("007", "7"), ("+5", "5"), ("08", "8")])
def test_yaml_leading_zeros_are_the_digits_typed(tmp_path: Path, typed: str, read: str) -> None:
    job = tmp_path / "job.yaml"
    job.write_text(SPEECH.replace("DEATHS", typed), encoding="utf-8")
    text = written_text(tmp_path, render(tmp_path, job))
    assert f"死亡{read}人" in text  # 010 is ten (YAML 1.1 alone would read octal 8)


def test_yaml_thousands_of_digits_are_refused(tmp_path: Path) -> None:
    job = tmp_path / "job.yaml"
    job.write_text(SPEECH.replace("DEATHS", "9" * 5000), encoding="utf-8")
    p = render(tmp_path, job)
    refused(tmp_path, p, r"job\.yaml:6:\d+: 错误 E105 stats\.current\.deaths 数字过大.*5000 位")
