"""Running time linear in the input: ``check`` and ``render`` on pathological paragraphs.

A paragraph of 100,000 characters of one shape (Han characters without any
punctuation, one repeated character, 、, digits, （, 一是, letters, × …) is
checked through the real CLI. Every rule is linear in the paragraph's length,
so each file takes seconds; a rule that rescans the text from every position
(a regex that can start anywhere and fails late, a slice of the rest of the
text per match) takes many minutes at this size. The subprocess ``timeout``
is only a hang guard, far above the linear time: no timing is asserted.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

N = 100_000
HANG_GUARD = 240  # seconds; linear takes a few seconds per file, quadratic hours

#: one unit per shape, repeated to N characters (each made a rule quadratic before)
SHAPES = {
    "han": "安全生产工作",
    "one": "安",
    "dun": "、",
    "digits": "1",
    "paren": "（",
    "close_paren": "）",
    "yishi": "一是",
    "letters": "a",
    "letters_digits": "ab1",
    "cn_numerals": "一二三",
    "numbered": "一、",
    "paren_numbered": "（一）",
    "spaces": "安 ",
    "ideographic_spaces": "\u3000",
    "times": "×安",
    "times_spaced": "× ",
    "stars": "*安",
    "dots": ".",
    "colon_times": "1:00,",
    "email_like": "a@b.c,安",
    "doc_numbers": "青〔2024〕1号2024年01月",
    "announcements": "讲三点",
    "totals": "发生事故1起其中",
    "dates": "5月1日发生事故",
    "someone": "某某安",
    "quotes": "“",
    "braces": "{",
    "url_like": "www.",
}


def fill(unit: str, n: int = N) -> str:
    return (unit * (n // len(unit) + 1))[:n]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "speechgen", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=HANG_GUARD,
    )


def speech(preceding: list[str]) -> dict:
    return {
        "type": "speech",
        "org": {"level": "县", "name": "青山县"},
        "speaker": {"role": "县长", "name": "张三"},
        "meeting": {
            "name": "2024年第二季度全县安全生产工作会议",
            "kind": "quarterly",
            "date": "2024-04-10",
        },
        "preceding": [{"who": "县应急管理局", "did": text} for text in preceding],
    }


def _assert_clean(proc: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "W299" not in proc.stdout, proc.stdout[-2000:]  # no rule crashed


GROUPS = {
    "a": list(SHAPES)[: len(SHAPES) // 2],
    "b": list(SHAPES)[len(SHAPES) // 2 :],
}


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_check_yaml_with_huge_values_is_linear(tmp_path: Path, group: str) -> None:
    job = tmp_path / "long.yaml"
    values = [fill(SHAPES[s]) for s in GROUPS[group]]
    job.write_text(yaml.safe_dump(speech(values), allow_unicode=True), encoding="utf-8")
    proc = run("check", str(job), cwd=tmp_path)
    _assert_clean(proc)
    assert proc.returncode in (0, 1)


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_check_handwritten_docx_with_huge_paragraphs_is_linear(tmp_path: Path, group: str) -> None:
    """A hand-written .docx: each shape as a body paragraph, a centred one and a right-aligned one."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    d = docx.Document()
    d.add_paragraph("关于做好安全生产工作的通知").alignment = WD_ALIGN_PARAGRAPH.CENTER
    for k, name in enumerate(GROUPS[group]):
        p = d.add_paragraph(fill(SHAPES[name], N // 2))
        if k % 3 == 1:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif k % 3 == 2:
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    path = tmp_path / "long.docx"
    d.save(str(path))
    proc = run("check", str(path), cwd=tmp_path)
    _assert_clean(proc)
    assert proc.returncode in (0, 1)
    assert "E201" not in proc.stdout  # read, not refused as too large


@pytest.mark.parametrize("name", ["han", "digits", "email_like", "times", "announcements"])
def test_render_and_check_a_huge_value(tmp_path: Path, name: str) -> None:
    """Through the whole pipeline: compose, the pre-write check, the writer, then ``check`` on the file."""
    job = tmp_path / "long.yaml"
    job.write_text(
        yaml.safe_dump(speech([fill(SHAPES[name])]), allow_unicode=True), encoding="utf-8"
    )
    proc = run("render", str(job), "-o", "out", "--no-check", cwd=tmp_path)
    _assert_clean(proc)
    assert proc.returncode == 0, proc.stderr
    written = [Path(line) for line in proc.stdout.splitlines()]
    assert len(written) == 1
    proc = run("check", str(tmp_path / written[0]), cwd=tmp_path)
    _assert_clean(proc)
    proc = run("render", str(job), "-o", "checked", cwd=tmp_path)
    _assert_clean(proc)
    assert proc.returncode in (0, 1)


def test_rules_keep_their_findings_on_short_text() -> None:
    """The linear rewrites still find what they found: URLs and e-mails protect their marks,
    × between digits is a multiplication, the last of several announcements counts."""
    from speechgen.check.context import Context
    from speechgen.check.numbering import analyse
    from speechgen.check.records import Record
    from speechgen.check.registry import RULES

    def para(code: str, text: str) -> list[str]:
        return list(RULES[code].func(Record(1, text), Context()))

    assert para("E230", "请登录http://example.cn/a,b查询") == []
    assert para("E230", "请发邮件到 ab.c@x.cn 联系") == []
    assert para("E230", "各单位,要加强") != []
    assert para("E211", "纸张 210×297 毫米") == []
    assert para("E211", "全县发生×起事故") != []
    assert para("E211", "20××年") == []
    assert para("E211", "共 3 × 起") != []
    recs = [
        Record(1, "下面，我讲两点，再讲三点", "body"),
        Record(2, "一、加强领导", "heading", 1),
        Record(3, "二、落实责任", "heading", 1),
        Record(4, "三、强化督查", "heading", 1),
    ]
    assert [i.code for i in analyse(recs)] == []
    recs[0] = Record(1, "下面，我讲三点，再讲两点", "body")
    assert [i.code for i in analyse(recs)] == ["E225"]
