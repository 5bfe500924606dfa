"""The command line as a secretary uses it: real processes, exit codes, messages, files."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from speechgen import __version__

SAMPLES = Path(__file__).resolve().parent.parent / "speechgen" / "samples"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "speechgen", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def no_traceback(p: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in p.stderr and "Traceback" not in p.stdout


def test_version_and_chinese_help() -> None:
    p = run("--version")
    assert p.returncode == 0 and __version__ in p.stdout
    h = run("--help")
    assert h.returncode == 0
    assert "讲话稿" in h.stdout and "render" in h.stdout
    r = run("render", "--help")
    assert "输出文件夹" in r.stdout and "--keep-going" in r.stdout


def test_usage_errors_exit_2_in_chinese(tmp_path: Path) -> None:
    p = run("render", str(tmp_path / "没有这个文件.yaml"))
    assert p.returncode == 2 and "找不到文件" in p.stderr
    no_traceback(p)
    q = run("render", "--no-such-option", "x.yaml")
    assert q.returncode == 2 and "没有这个选项" in q.stderr
    no_traceback(q)
    r = run("new", "memo")
    assert r.returncode == 2
    no_traceback(r)


def test_invalid_input_reports_every_error_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "会议.yaml"
    bad.write_text(
        textwrap.dedent(
            """\
            type: speech
            org: {level: 县, name: 青山县}
            speaker: {role: 县长}
            meeting:
              name: 全县安全生产工作会议
              kind: weekly
              date: 2024-13-45
            accidents:
              - {date: 2024-01-02, place: 某地, kind: 火灾, deaths: 十三}
            """
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    p = run("render", str(bad), "-o", str(out))
    assert p.returncode == 1
    no_traceback(p)
    lines = [x for x in p.stderr.splitlines() if "错误" in x]
    assert any("meeting.kind" in x and "会议.yaml:6:" in x for x in lines)
    assert any("meeting.date" in x and "会议.yaml:7:" in x for x in lines)
    assert any("deaths" in x and "“十三”" in x for x in lines)
    assert not out.exists() or not any(out.iterdir())


def test_render_twice_keeps_files_and_force_overwrites(tmp_path: Path) -> None:
    src = SAMPLES / "01-县-季度-讲话稿.yaml"
    out = tmp_path / "out"
    first = run("render", str(src), "-o", str(out))
    assert first.returncode == 0, first.stderr
    (written,) = first.stdout.split()
    path = Path(written)
    assert path.suffix == ".docx" and path.parent == out
    original = path.read_bytes()
    again = run("render", str(src), "-o", str(out))
    assert again.returncode == 0 and "未变化" in again.stderr
    path.write_bytes(b"edited by hand")
    refused = run("render", str(src), "-o", str(out))
    assert refused.returncode == 1 and "--force" in refused.stderr
    assert path.read_bytes() == b"edited by hand"
    forced = run("render", str(src), "-o", str(out), "--force")
    assert forced.returncode == 0
    assert path.read_bytes() == original
    assert not [p for p in out.iterdir() if p.name.startswith(".")], "no temporary files left"


def test_same_input_and_seed_give_identical_bytes(tmp_path: Path) -> None:
    src = SAMPLES / "09-县-季度通知-全年批量.yaml"
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    assert run("render", str(src), "-o", str(a), "--seed", "7").returncode == 0
    assert run("render", str(src), "-o", str(b), "--seed", "7").returncode == 0
    assert run("render", str(src), "-o", str(c), "--seed", "8").returncode == 0
    names = sorted(p.name for p in a.glob("*.docx"))
    assert len(names) == 4
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes()
    assert any((a / n).read_bytes() != (c / n).read_bytes() for n in names)


@pytest.mark.parametrize("kind", ["speech", "outline", "notice", "letter"])
def test_new_writes_a_starter_that_renders(tmp_path: Path, kind: str) -> None:
    p = run("new", kind, "-o", "输入.yaml", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    starter = tmp_path / "输入.yaml"
    text = starter.read_text(encoding="utf-8")
    assert text.startswith("#")
    starter.write_text(text + "# 已修改\n", encoding="utf-8")
    again = run("new", kind, "-o", "输入.yaml", cwd=tmp_path)
    assert again.returncode == 2 and "已存在" in again.stderr
    assert starter.read_text(encoding="utf-8").endswith("# 已修改\n")
    r = run("render", "输入.yaml", "-o", "out", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert list((tmp_path / "out").glob("*.docx"))


def test_preview_formats(tmp_path: Path) -> None:
    src = SAMPLES / "05-县-节日-讲话提纲.yaml"
    p = run("render", str(src), "-o", str(tmp_path), "-f", "html", "-f", "md")
    assert p.returncode == 0, p.stderr
    html = next(tmp_path.glob("*.html")).read_text(encoding="utf-8")
    md = next(tmp_path.glob("*.md")).read_text(encoding="utf-8")
    assert "<html" in html and "讲话提纲" in html
    assert "一、" in md
    assert not list(tmp_path.glob("*.docx"))


def test_snippets_commands() -> None:
    listed = run("snippets", "list", "--category", "结尾号召")
    assert listed.returncode == 0 and listed.stdout.count("jiewei.") >= 5
    company = run("snippets", "list", "--tag", "company")
    assert company.returncode == 0 and company.stdout.strip()
    shown = run("snippets", "show", "zhifa.kuansongruan")
    assert shown.returncode == 0 and "宽松软" in shown.stdout and "类别：监管执法" in shown.stdout
    when = run("snippets", "show", "xingshi.jijie_chunjie_lianghui").stdout
    assert "使用条件" in when and "全国两会" in when and "节日（其一）：春节" in when
    assert "使用条件" not in run("snippets", "show", "sixiang.fangzhen").stdout
    found = run("snippets", "search", "重于泰山")
    assert found.returncode == 0 and "jiewei." in found.stdout
    missing = run("snippets", "show", "no.such")
    assert missing.returncode == 2
    no_traceback(missing)


def test_user_snippets_replace_bundled_ones(tmp_path: Path) -> None:
    lib = tmp_path / "我的短语"
    lib.mkdir()
    (lib / "mine.yaml").write_text(
        textwrap.dedent(
            """\
            category: 结尾号召
            snippets:
              - id: my.closing
                role: closing
                level: gov
                slots: [all]
                text: 同志们，让我们齐心协力，确保{{ all }}安全生产形势持续稳定！
            """
        ),
        encoding="utf-8",
    )
    p = run("snippets", "show", "my.closing", "--snippets", str(lib))
    assert p.returncode == 0 and "{{ all }}" in p.stdout


def test_demo_renders_every_sample(tmp_path: Path) -> None:
    p = run("demo", "-o", str(tmp_path))
    assert p.returncode == 0, p.stderr[-2000:]
    docs = list(tmp_path.glob("*.docx"))
    assert len(docs) == 10 + 1 + 4 + 36  # speeches and outlines, notice, batch, letters
    assert (tmp_path / "manifest.csv").exists()
