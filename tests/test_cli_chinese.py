"""Every word the command line prints is Chinese: click's help scaffolding and its errors."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest

from speechgen.cli import cli

SAMPLES = Path(__file__).resolve().parent.parent / "speechgen" / "samples"

#: Words that may stay in Latin letters: command and option names, values the user
#: types, formats and product names.
ALLOWED = {
    "speechgen", "render", "check", "new", "snippets", "list", "show", "search", "demo",
    "edit", "speech", "outline", "notice", "letter", "text", "json", "docx", "pdf", "html",
    "md", "yaml", "YAML", "Excel", "Word", "GB", "LibreOffice", "id", "ID", "gov", "company",
    "quarterly", "closing", "work", "hazards", "auto", "password", "host", "port", "browser",
    "help", "version", "output", "format", "force", "jobs", "keep", "going", "seed",
    "templates", "category", "tag", "role", "out", "Q3", "T",
    # product names, the font profiles' values as typed (--fonts gbk, fonts: gbk), a code
    "WPS", "Windows", "GB2312", "GBK", "gb2312", "gbk", "windows", "fonts", "I300",
}  # fmt: skip


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "speechgen", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def english_words(text: str, typed: tuple[str, ...] = ()) -> list[str]:
    text = re.sub(r"(?<![\w-])--?[A-Za-z][\w-]*", " ", text)  # option names
    text = re.sub(r"\[[^\]\s]*\|[^\]\s]*\]", " ", text)  # choices typed as given: [a|b]
    text = re.sub(r"\S+\.(yaml|docx|xlsx|j2|csv|txt)\b", " ", text)  # file names
    words = re.findall(r"[A-Za-z][A-Za-z0-9]*", text)
    echoed = set(re.findall(r"[A-Za-z][A-Za-z0-9]*", " ".join(typed)))  # what the user typed
    return [w for w in words if w not in ALLOWED and w not in echoed]


def commands(group=cli, path=()):
    for name, command in group.commands.items():
        yield (*path, name)
        if hasattr(command, "commands"):
            yield from commands(command, (*path, name))


@pytest.mark.parametrize("path", [(), *commands()], ids=lambda p: " ".join(p) or "speechgen")
def test_every_help_page_is_chinese(path):
    result = run(*path, "--help")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("用法：speechgen")
    for english in ("Usage", "Options", "Commands", "Show this message", "default:", "[OPTIONS]"):
        assert english not in out
    assert "选项：" in out and "显示此帮助并退出。" in out
    assert english_words(out) == [], out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("render",), "用法错误：缺少参数 输入文件..."),
        (("rendr",), "用法错误：没有这个命令：rendr；是否应为 render？"),
        (("render", "-j", "99", "x"), "用法错误：--jobs / -j 的值无效：99 不在允许的范围 1–64 内"),
        (("render", "-j", "x", "y"), "用法错误：--jobs / -j 的值无效：“x” 不是整数"),
        (("render", "--format=zz", "x"), "用法错误：-f / --format 的值无效：“zz” 不是可选的值"),
        (("new", "bogus"), "用法错误：类型 的值无效：“bogus” 不是可选的值，可选：speech、outline"),
        (("check", "--nope", "x"), "用法错误：没有这个选项：--nope"),
        (("render", "-o"), "用法错误：选项 -o 需要一个值"),
        (("new", "speech", "extra"), "用法错误：多余的参数：extra"),
        (("render", "--seed", "1.5", "x"), "用法错误：--seed 的值无效：“1.5” 不是整数"),
        (("render", "--forc", "x"), "用法错误：没有这个选项：--forc；是否应为 --force"),
        (("render", "--force=1", "x"), "用法错误：选项 --force 不带值"),
        (("snippets", "show"), "用法错误：缺少参数 ID"),
        (("edit", "--port", "70000"), "用法错误：--port 的值无效：70000 不在允许的范围 0–65535 内"),
        (("edit", "--host", "0.0.0.0", "--no-browser"), "指定 --host 时必须同时用 --password"),
        (("render", "不存在.yaml"), "找不到文件：不存在.yaml"),
    ],
)
def test_usage_errors_are_chinese(args, expected, tmp_path: Path):
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Error" not in result.stderr and "Traceback" not in result.stderr
    assert english_words(result.stderr, args) == [], result.stderr


def test_a_folder_option_given_a_file(tmp_path: Path):
    (tmp_path / "f").write_text("x", encoding="utf-8")
    result = run("render", "--snippets", "f", "x.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert "用法错误：--snippets 的值无效：“f” 是文件，不是文件夹" in result.stderr


def test_no_command_shows_the_chinese_help(tmp_path: Path):
    result = run(cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("用法：speechgen [选项] 命令 [参数]...")
    assert "用法错误" not in result.stderr


def test_help_lines_up_chinese_text_in_columns():
    out = run("render", "--help").stdout
    lines = [line for line in out.splitlines() if line.startswith("  -") or line.startswith("  --")]
    # every help text starts in one column (measured in display width)
    columns = set()
    for line in lines:
        match = re.match(r"(  \S.*?\S)( {2,})(\S)", line)
        if match:
            columns.add(
                sum(2 if ord(c) > 0x2E80 else 1 for c in match.group(1)) + len(match.group(2))
            )
    assert len(columns) == 1, out


def test_a_clean_check_says_it_found_nothing(tmp_path: Path):
    out = tmp_path / "out"
    rendered = run("render", str(SAMPLES / "01-县-季度-讲话稿.yaml"), "-o", str(out))
    assert rendered.returncode == 0, rendered.stderr
    (docx,) = out.glob("*.docx")
    result = run("check", str(docx), str(SAMPLES / "01-县-季度-讲话稿.yaml"))
    assert result.returncode == 0
    lines = result.stdout.strip().splitlines()
    # the .docx's font profile is told (信息 I300), then that nothing was found
    assert lines[-1] == "未发现问题：已检查 2 个文件。"
    assert [x for x in lines[:-1] if "信息 I300 字体方案：gb2312" not in x] == []
    as_json = run("check", "--format", "json", str(docx))
    assert "未发现问题" not in as_json.stdout


def test_a_rerun_tells_the_unchanged_files_in_one_line_and_the_manifest_is_chinese(
    tmp_path: Path,
):
    job = SAMPLES / "09-县-季度通知-全年批量.yaml"
    first = run("render", str(job), "-o", "out", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    n = len(first.stdout.split())
    again = run("render", str(job), "-o", "out", cwd=tmp_path)
    assert again.returncode == 0 and not again.stdout.strip()
    assert again.stderr.strip().splitlines() == [f"{n} 个文件内容未变化，保留原文件（未重写）。"]
    with open(tmp_path / "out" / "manifest.csv", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["文件", "单位或批次", "状态", "说明"]
    assert {row[2] for row in rows[1:]} == {"未变化"}
