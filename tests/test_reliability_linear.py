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
    from speechgen.check import RULES  # every rule registered (speechgen/check/__init__.py)
    from speechgen.check.context import Context
    from speechgen.check.numbering import analyse
    from speechgen.check.records import Record

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


# ---------------------------------------------------------------- hostile .docx files

MEMORY_CAP = 768 * 1024 * 1024


def _capped() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def check_capped(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "speechgen", "check", str(path)],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        preexec_fn=_capped,
    )


def _minimal_parts() -> dict[str, bytes]:
    """The parts of a small valid .docx written by python-docx."""
    import io
    import zipfile

    import docx

    d = docx.Document()
    d.add_paragraph("各乡镇要加强安全生产工作。")
    buf = io.BytesIO()
    d.save(buf)
    with zipfile.ZipFile(buf) as z:
        return {n: z.read(n) for n in z.namelist()}


def _write_zip(path: Path, parts: dict[str, bytes], extra: int = 0) -> Path:
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
        for k in range(extra):
            z.writestr(f"word/media/x{k}.bin", b"")
    return path


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _document(body: bytes) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?><w:document '
        + W.encode()
        + b"><w:body>"
        + body
        + b"</w:body></w:document>"
    )


def _bomb(tmp_path: Path, kind: str) -> Path:
    parts = _minimal_parts()
    path = tmp_path / f"{kind}.docx"
    if kind == "zip_bomb":
        # 1 GiB of one character in a paragraph: a few MB compressed
        import zipfile
        import zlib

        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in parts.items():
                if name != "word/document.xml":
                    z.writestr(name, data)
            with z.open("word/document.xml", "w", force_zip64=True) as fh:
                fh.write(_document(b"<w:p><w:r><w:t>")[: -len("</w:body></w:document>")])
                block = b"a" * (1 << 20)
                for _ in range(1024):
                    fh.write(block)
                fh.write(b"</w:t></w:r></w:p></w:body></w:document>")
        del zlib
        return path
    if kind == "entity_bomb":
        lol = (
            b'<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">'
            + b"".join(
                b'<!ENTITY %s "%s">' % (bytes([98 + k]), (b"&%s;" % bytes([97 + k])) * 10)
                for k in range(9)
            )
            + b"]>"
        )
        doc = (
            b'<?xml version="1.0"?>' + lol + _document(b"<w:p><w:r><w:t>&j;</w:t></w:r></w:p>")[21:]
        )
        parts["word/document.xml"] = doc
    elif kind == "external_entity":
        parts["word/document.xml"] = (
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            + _document(b"<w:p><w:r><w:t>&x;</w:t></w:r></w:p>")[38:]
        )
    elif kind == "deep":
        parts["word/document.xml"] = _document(
            b"<w:p>" + b"<w:r>" * 5000 + b"</w:r>" * 5000 + b"</w:p>"
        )
    elif kind == "members":
        return _write_zip(path, parts, extra=20_000)
    elif kind == "relationships":
        rels = b"".join(
            b'<Relationship Id="r%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>'
            % k
            for k in range(50_000)
        )
        parts["word/_rels/document.xml.rels"] = (
            b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + rels
            + b"</Relationships>"
        )
        parts["word/footer1.xml"] = (
            b'<?xml version="1.0"?><w:ftr '
            + W.encode()
            + b"><w:p><w:r><w:t>"
            + b"x" * 200_000
            + b"</w:t></w:r></w:p></w:ftr>"
        )
    return _write_zip(path, parts)


@pytest.mark.parametrize(
    "kind, message",
    [
        ("zip_bomb", "压缩炸弹"),
        ("entity_bomb", "DTD"),
        ("external_entity", "DTD"),
        ("deep", "嵌套层级过深"),
        ("members", "文件过多"),
        ("relationships", "关系超过"),
    ],
)
def test_hostile_docx_is_refused_in_bounded_memory(tmp_path: Path, kind: str, message: str) -> None:
    path = _bomb(tmp_path, kind)
    proc = check_capped(path)
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr[-2000:]
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert message in proc.stdout, proc.stdout
    assert "E201" in proc.stdout
    assert "root:" not in proc.stdout  # the external entity was not read


# ---------------------------------------------------------------- template time limit

SAMPLES = Path(__file__).resolve().parents[1] / "speechgen" / "samples"
RUNAWAY = (
    "# 标题\n\n"
    "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}\n\n"
    "正文。\n"
)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_runaway_template_stops_at_the_default_time_limit(tmp_path: Path, jobs: str) -> None:
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "speech.md.j2").write_text(RUNAWAY, encoding="utf-8")
    proc = run(
        "render",
        str(SAMPLES / "01-县-季度-讲话稿.yaml"),
        "-o",
        "out",
        "--templates",
        "tpl",
        "--jobs",
        jobs,
        cwd=tmp_path,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "tpl/speech.md.j2" in proc.stderr  # names the template
    assert "运行超过 10 秒" in proc.stderr and "--template-timeout" in proc.stderr
    assert proc.stdout == ""
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_runaway_template_in_a_batch_times_out_once(tmp_path: Path, jobs: str) -> None:
    """A batch of 36 letters stops after the first time-out: every letter is named as not written."""
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "letter.md.j2").write_text(RUNAWAY, encoding="utf-8")
    import shutil

    for name in ("10-县-目标责任书-批量.yaml", "责任单位.xlsx"):
        shutil.copy(SAMPLES / name, tmp_path / name)
    proc = run(
        "render",
        "10-县-目标责任书-批量.yaml",
        "-o",
        "out",
        "--templates",
        "tpl",
        "--template-timeout",
        "1",
        "--jobs",
        jobs,
        cwd=tmp_path,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.count("运行超过 1 秒") == 1
    assert proc.stderr.count("未生成：模板运行超时") == 35
    assert not list((tmp_path / "out").glob("*.docx"))


def test_template_timeout_option_is_documented_with_its_default() -> None:
    from speechgen.cli import render
    from speechgen.compose.template_limits import DEFAULT_TIME_LIMIT

    opt = next(p for p in render.params if p.name == "template_timeout")
    assert opt.default == DEFAULT_TIME_LIMIT


def test_a_slow_but_finite_template_is_not_stopped(tmp_path: Path) -> None:
    """The limit stops runaway loops, not real templates: a loop of 100,000 empty steps renders."""
    (tmp_path / "tpl").mkdir()
    bundled = (SAMPLES.parent / "doctypes" / "speech" / "template.md.j2").read_text(
        encoding="utf-8"
    )
    (tmp_path / "tpl" / "speech.md.j2").write_text(
        "{% for i in range(99999) %}{% endfor %}" + bundled, encoding="utf-8"
    )
    proc = run(
        "render",
        str(SAMPLES / "01-县-季度-讲话稿.yaml"),
        "-o",
        "out",
        "--templates",
        "tpl",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 1
