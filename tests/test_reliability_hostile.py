"""The hostile corpus (tests/data/hostile/) through the real command line.

Every member is rendered by ``python -m speechgen render FILE -o TMP/out`` in
its own process, from an empty working folder. Invalid inputs must exit 1 with
a located Chinese message and write nothing; valid ones exit 0 and write only
complete documents inside the output folder. Nothing may print a traceback or
create a file anywhere else.
"""

from __future__ import annotations

import hashlib
import re
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from docx import Document as DocxDocument

from speechgen.inputs import Limits

HOSTILE = Path(__file__).resolve().parent / "data" / "hostile"
MEMORY_CAP = 768 * 1024 * 1024  # address space for the resource-limit cases


@dataclass(frozen=True)
class Case:
    file: str
    code: int
    located: tuple[str, ...] = ()  # regexes, each must match a line of stderr
    docs: int = 0  # .docx files expected for a valid input
    text: tuple[str, ...] = ()  # must appear in the documents' text
    capped: bool = False  # run under MEMORY_CAP and a time limit


LOC = r":\d+:\d+: 错误 "  # file:line:col
CASES = [
    # --------------------------------------------------------------- refused
    Case(
        "alias_bomb.yaml", 1, (rf"alias_bomb\.yaml{LOC}E108 \w+ 展开别名.*别名炸弹",), capped=True
    ),
    # 3 MB of one title: read (under the limit), refused for what is missing, fast
    Case("big_3mb.yaml", 1, (rf"big_3mb\.yaml{LOC}E102 meeting 缺少必填项",), capped=True),
    Case("over_limit.yaml", 1, (r"over_limit\.yaml: 错误 E108 文件过大：超过上限",), capped=True),
    Case(
        "list_too_long.yaml",
        1,
        (rf"{LOC}E108 accidents 列表共 601 项，超过上限 500 项",),
        capped=True,
    ),
    Case(
        "alias_bomb_under_node_limit.yaml",
        1,
        (rf"{LOC}E108 f 展开别名.*其中别名展开出 \d+ 个，超过上限",),
        capped=True,
    ),
    Case(
        "python_tags.yaml",
        1,
        (
            r"python_tags\.yaml:3:\d+: 错误 E106 speaker 不支持的 YAML 标签",
            r"python_tags\.yaml:4:\d+: 错误 E106 meeting 不支持的 YAML 标签",
            r"python_tags\.yaml:5:\d+: 错误 E106 title 不支持的 YAML 标签",
        ),
    ),
    Case("binary_garbage.yaml", 1, (r"binary_garbage\.yaml: 错误 E100 这不是文本文件",)),
    Case("binary_xlsx_renamed.yaml", 1, (r"binary_xlsx_renamed\.yaml: 错误 E100 .*ZIP",)),
    Case("enc_utf16_nobom.yaml", 1, (r"enc_utf16_nobom\.yaml: 错误 E100 .*UTF-16.*UTF-8",)),
    Case("enc_broken_gbk.yaml", 1, (r"enc_broken_gbk\.yaml: 错误 E100 .*UTF-8.*GBK/GB18030",)),
    Case("empty.yaml", 1, (r"empty\.yaml: 错误 E107 文件是空的",)),
    Case("only_comments.yaml", 1, (r"only_comments\.yaml: 错误 E107 文件是空的",)),
    Case("not_a_mapping.yaml", 1, (r"not_a_mapping\.yaml:1:1: 错误 E107 .*实际为列表",)),
    Case("yaml_syntax.yaml", 1, (r"yaml_syntax\.yaml:3:8: 错误 E106 YAML 语法错误：花括号",)),
    Case("tabs.yaml", 1, (r"tabs\.yaml:3:1: 错误 E106 .*Tab",)),
    Case("fullwidth_colon.yaml", 1, (r"fullwidth_colon\.yaml:2:\d+: 错误 E106 .*中文冒号",)),
    Case("duplicate_keys.yaml", 1, (r"duplicate_keys\.yaml:8:3: 错误 E106 meeting\.date .*重复",)),
    Case(
        "control_chars.yaml",
        1,
        (
            r"control_chars\.yaml:3:\d+: 错误 E109 speaker\.name .*U\+0007",
            r"control_chars\.yaml:9:\d+: 错误 E109 accidents\[1\]\.site .*U\+000B、U\+001F",
        ),
    ),
    Case("shisan_number.yaml", 1, (rf"{LOC}E101 accidents\[1\]\.deaths 应为整数，实际为 “十三”",)),
    Case("impossible_date.yaml", 1, (r":7:3: 错误 E104 meeting\.date .*“2024-13-45”.*月份",)),
    Case("negative_deaths.yaml", 1, (r":10:27: 错误 E105 stats\.current\.deaths 不能为负数",)),
    Case(
        "wrong_types.yaml",
        1,
        (
            r":2:\d+: 错误 E101 org\.name 应为文字，实际为列表",
            r":3:1: 错误 E101 issuer 应为文字，实际为键值映射",
            r":6:1: 错误 E101 tasks 应为列表",
            r":7:1: 错误 E101 quarter 应为整数，实际为 “二”",
        ),
    ),
    Case(
        "many_errors.yaml",
        1,
        (
            r":2:7: 错误 E103 org\.level “省” 不是可用的取值",
            r":3:1: 错误 E101 speaker ",
            r":5:3: 错误 E101 meeting\.name ",
            r":6:3: 错误 E103 meeting\.kind “weekly”",
            r":7:3: 错误 E104 meeting\.date .*2月没有 30 日",
            r":8:3: 错误 E105 meeting\.quarter ",
            r":10:\d+: 错误 E101 stats\.current\.accidents .*“三”",
            r":10:\d+: 错误 E105 stats\.current\.deaths ",
            r":10:\d+: 错误 E101 stats\.current\.loss_wan .*“很多”",
            r":11:\d+: 错误 E105 stats\.hazards\.fixed ",
            r":13:\d+: 错误 E102 accidents\[1\]\.place 缺少必填项",
            r":13:\d+: 错误 E101 accidents\[1\]\.deaths .*“1\.5”",
        ),
    ),
    Case(
        "letter_duplicate_names.yaml",
        1,
        (r"recipients_traversal\.csv:第9行A列: 错误 E110 name .*重复：.*第8行 与 .*第9行",),
    ),
    Case(
        "letter_control_chars.yaml",
        1,
        (
            r"recipients_control\.csv:第2行A列: 错误 E109 name .*U\+0007",
            r"recipients_control\.csv:第3行\w列: 错误 E109 signer_title .*U\+001B",
        ),
    ),
    Case(
        "letter_title_row.yaml",
        1,
        (r"recipients_title_row\.xlsx:工作表“[^”]+”第1行: 错误 E111 缺少单位名称列",),
    ),
    Case("letter_outside_table.yaml", 1, (r"etc/passwd: 错误 E111 不支持的名单文件类型",)),
    # --------------------------------------------------------------- rendered
    Case("enc_gbk.yaml", 0, (r"enc_gbk\.yaml: 警告 W100 .*GBK/GB18030",), 1, ("江西新余", "张三")),
    Case("enc_gb18030.yaml", 0, (r"警告 W100 .*GBK/GB18030",), 1, ("张𠀀",)),
    Case("enc_utf8_bom.yaml", 0, (), 1, ("江西新余",)),
    Case("enc_utf16_bom.yaml", 0, (), 1, ("江西新余",)),
    Case(
        "unknown_keys.yaml",
        0,
        (
            r"unknown_keys\.yaml:8:3: 警告 W101 meeting\.qaurter .*是否应为 “quarter”",
            r"unknown_keys\.yaml:9:1: 警告 W101 acidents .*是否应为 “accidents”",
        ),
        1,
    ),
    Case(
        "letter_merged_cells.yaml",
        0,
        (),
        9,
        ("乙方：东湖镇人民政府", "乙方：../../etc/passwd", "乙方：县住建局\\县城管局", "为零"),
    ),
    Case(
        "letter_traversal.yaml", 0, (), 8, ("乙方：/etc/shadow", "乙方：..\\..\\Windows\\win.ini")
    ),
    Case(
        "notice_script.yaml",
        0,
        (),
        1,
        (
            '各乡镇人民政府 & <script>alert("x")</script>，县安委会各成员单位：',
            '燃气 <b>安全</b> & "LPG" 专项整治',
            "R&D <![CDATA[ ]]> 'quoted' -->",
            "<县应急管理局>",
        ),
    ),
]


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the corpus plus two big files; the committed files must not change."""
    before = _digest(HOSTILE)
    folder = tmp_path_factory.mktemp("hostile")
    for p in HOSTILE.iterdir():
        if p.suffix in (".yaml", ".csv", ".xlsx"):
            shutil.copy2(p, folder / p.name)
    big = "type: speech\ntitle: " + "讲" * (1024 * 1024) + "\n"  # 3 MB of UTF-8
    (folder / "big_3mb.yaml").write_text(big, encoding="utf-8")
    over = Limits().max_input_bytes + 1024 * 1024  # one MB over the limit
    (folder / "over_limit.yaml").write_text(
        "type: speech\ntitle: " + "讲" * (over // 3) + "\n", encoding="utf-8"
    )
    yield folder
    assert _digest(HOSTILE) == before, "the committed corpus was modified"


def test_every_corpus_file_has_a_case() -> None:
    named = {c.file for c in CASES}
    tables = {"recipients_merged.xlsx", "recipients_title_row.xlsx"}
    tables |= {"recipients_traversal.csv", "recipients_traversal_ok.csv", "recipients_control.csv"}
    on_disk = {p.name for p in HOSTILE.iterdir() if p.suffix in (".yaml", ".csv", ".xlsx")}
    assert on_disk - tables == named - {"big_3mb.yaml", "over_limit.yaml"}


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_hostile_input(corpus: Path, tmp_path: Path, case: Case) -> None:
    inputs = tmp_path / "in"
    shutil.copytree(corpus, inputs)
    before = _digest(inputs)
    work = tmp_path / "work"
    work.mkdir()
    out = tmp_path / "out"
    started = time.monotonic()
    p = subprocess.run(
        [sys.executable, "-m", "speechgen", "render", str(inputs / case.file), "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=work,
        timeout=120,
        preexec_fn=_cap_memory if case.capped else None,
    )
    elapsed = time.monotonic() - started
    report = f"exit {p.returncode}\nstdout:\n{p.stdout}\nstderr:\n{p.stderr[-3000:]}"
    assert "Traceback" not in p.stderr + p.stdout, report
    assert p.returncode == case.code, report
    if case.capped:
        assert elapsed < 15, f"took {elapsed:.1f} s: not failing fast"
    lines = p.stderr.splitlines()
    for pattern in case.located:
        assert any(re.search(pattern, line) for line in lines), f"{pattern!r} not in\n{report}"
    # nothing written anywhere but the output folder, the inputs untouched
    assert _digest(inputs) == before
    assert not any(work.iterdir()), list(work.iterdir())  # e.g. no PWNED from python_tags
    assert {p.name for p in tmp_path.iterdir()} <= {"in", "work", "out"}
    if case.code != 0:
        assert re.search(r"错误 E\d{3} .*[\u4e00-\u9fff]", p.stderr), report
        assert not out.exists() or not any(out.iterdir()), list(out.iterdir())
        assert not p.stdout.strip()
        return
    assert "错误" not in p.stderr, report
    written = [Path(line) for line in p.stdout.splitlines()]
    docs = sorted(out.glob("*.docx"))
    assert len(docs) == case.docs and sorted(written) == docs
    for path in out.rglob("*"):
        assert path.resolve().parent == out.resolve(), path
        assert not path.name.startswith("."), path
    text = "\n".join(_text(d) for d in docs)
    for fragment in case.text:
        assert fragment in text, fragment


def _text(path: Path) -> str:
    doc = DocxDocument(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)
