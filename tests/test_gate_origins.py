"""The render gate names the input value behind a fault in typed text.

The gate reads the composed document, so a half-width quote the secretary
typed into ``situation.problems`` is first found in 段N of the speech; the
input's line, column and key path must be told as well (speechgen/check/origins.py),
by ``render`` and in the editor, and only for values the flagged paragraph holds.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from speechgen.check import check_document
from speechgen.check.origins import typed_origins
from speechgen.compose import plan_job
from speechgen.compose.library import load_library
from speechgen.editor.server import Editor
from speechgen.errors import ERROR
from speechgen.inputs import load_job

JOB = """\
type: speech
org: {level: 市, name: 东江市, parent: 南岭省}
speaker: {role: 市长, name: 王刚}
meeting: {name: 2025年全市安全生产工作会议, kind: annual, date: 2025-02-20}
stats:
  period: 2024年
  current:  {accidents: 88, deaths: 41, injured: 60, loss_wan: 3200}
  previous: {accidents: 70, deaths: 30, injured: 52, loss_wan: 2100}
situation:
  problems:
    - 部分县区安全监管责任悬空
    - '重大事故未能遏制，"11·3"仓库火灾教训深刻'
context:
  - 'see "A" below'
points: auto
"""


def _job(tmp_path: Path) -> Path:
    path = tmp_path / "会议.yaml"
    path.write_text(JOB, encoding="utf-8")
    return path


def test_render_tells_the_line_column_and_key_of_the_typed_fault(tmp_path: Path) -> None:
    path = _job(tmp_path)
    p = subprocess.run(
        [sys.executable, "-m", "speechgen", "render", str(path), "-o", "out"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert p.returncode == 1 and "Traceback" not in p.stderr
    lines = p.stderr.splitlines()
    # the paragraph's finding, then the value's, at line 12 column 7 of the file
    gate = [x for x in lines if ".docx:段" in x and "E230" in x]
    typed = [x for x in lines if x.startswith(f"{path}:")]
    assert len(gate) == 1 and "11·3" in gate[0]
    assert typed == [
        f'{path}:12:7: 错误 E230 situation.problems[2] 半角标点“"”紧挨汉字'
        '（2处，应为全角："→“”）：…大事故未能遏制，"11·3"仓库火…'
    ]
    assert "请在输入文件上面标出的位置改正" in lines[-1]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_only_values_in_the_flagged_paragraph_are_named(tmp_path: Path) -> None:
    job = load_job(_job(tmp_path))
    doc = plan_job(job, load_library(()), 0, None).compose(0)
    errors = [f for f in check_document(doc) if f.severity == ERROR]
    assert [f.code for f in errors] == ["E230"]
    got = typed_origins(errors, doc, job)
    # context[1] has half-width quotes too, but not next to Chinese, and is not in 段N
    assert [(f.key, f.location) for f in got] == [("situation.problems[2]", "12:7")]
    # a finding of the engine's own words (a paragraph no value is in) names nothing
    moved = [type(f)(f.path, "段1「x」", f.severity, f.code, f.message) for f in errors]
    assert typed_origins(moved, doc, job) == []


def test_the_editor_marks_the_field_of_the_typed_fault(tmp_path: Path) -> None:
    path = _job(tmp_path)
    editor = Editor(tmp_path.resolve())
    editor.open(path)
    state = editor.analyse()
    keys = [f["key"] for f in state["findings"] if f["code"] == "E230"]
    assert "situation.problems[2]" in keys
