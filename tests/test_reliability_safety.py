"""Data is never code, templates stay in the sandbox, XML comes out as typed.

Text from YAML, CSV or XLSX is only ever a value: ``{{ 7*7 }}`` is printed,
never evaluated; markup characters cannot open a heading or a table cell.
Templates and snippets from ``--templates``/``--snippets`` run in a strict
sandbox: an escape attempt, a missing variable or a runaway expression is a
Chinese message and exit 1, never a traceback or a written file.
"""

from __future__ import annotations

import io
import re
import resource
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from lxml import etree

from speechgen.check import check_docx
from speechgen.check.docx_reader import paragraph_text
from speechgen.compose import compose_job
from speechgen.compose.library import load_library
from speechgen.errors import TemplateProblem, UserError
from speechgen.inputs import load_job
from speechgen.writers.docx import render_docx

SPEECH = """\
type: speech
org: {level: 县, name: 青山县}
speaker: {role: 县长, name: 张三}
meeting: {name: 2024年第二季度全县安全生产工作会议, kind: quarterly, date: 2024-04-10}
"""
LETTER = """\
type: letter
org: {level: 县, name: 青山县}
party_a: {name: 青山县人民政府, signer_title: 县长}
term: {start: 2024-01-01, end: 2024-12-31}
sign_date: 2024-02-20
"""


def run(*args: str, cwd: Path | None = None, cap: bool = False) -> subprocess.CompletedProcess:
    def limit() -> None:  # a runaway template must fail, not eat the machine
        resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20))

    return subprocess.run(
        [sys.executable, "-m", "speechgen", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        preexec_fn=limit if cap else None,
    )


def docx_text(path: Path | bytes) -> str:
    """The visible text, ruby bases included (the writer keeps dates and numbers
    with units on one line as rubies, which python-docx's ``.text`` skips)."""
    doc = DocxDocument(io.BytesIO(path) if isinstance(path, bytes) else str(path))
    parts = [paragraph_text(p._p, W_NS)[0] for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(
                "\n".join(paragraph_text(p._p, W_NS)[0] for p in c.paragraphs) for c in row.cells
            )
    return "\n".join(parts)


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# ---------------------------------------------------------------- data is never code

CODE = "{{ 7*7 }}"
LOOP = "{% for i in range(3) %}环{% endfor %}"
ESCAPE = "{{ cycler.__init__.__globals__.os.system('touch PWNED') }}"


def _code_job(folder: Path) -> Path:
    (folder / "名单.csv").write_text(
        f"name,type,signer_title,limits.deaths_max\n城关镇{CODE},township,镇长{LOOP},1\n",
        encoding="utf-8",
    )
    path = folder / "code.yaml"
    path.write_text(
        textwrap.dedent(
            f"""\
            type: speech
            org: {{level: 县, name: 青山县}}
            speaker: {{role: "县长{CODE}", name: "{LOOP}"}}
            meeting: {{name: "2024年{CODE}会议", kind: quarterly, date: 2024-04-10}}
            preceding:
              - {{who: "县应急管理局{CODE}", did: "通报了{LOOP}情况"}}
            sectors:
              - name: 危险化学品
                lead: "县应急管理局{CODE}"
                text: "要高度关注{ESCAPE}。"
            """
        ),
        encoding="utf-8",
    )
    letter = folder / "letter.yaml"
    letter.write_text(LETTER + "recipients_file: 名单.csv\n", encoding="utf-8")
    return path


def test_input_text_is_printed_never_evaluated(tmp_path: Path) -> None:
    job = _code_job(tmp_path)
    letter = tmp_path / "letter.yaml"
    # with the check gate: refused, located at the paragraph, nothing written
    gated = run("render", str(job), str(letter), "-o", "gated", cwd=tmp_path)
    assert gated.returncode == 1 and "Traceback" not in gated.stderr
    assert re.search(r"\.docx:段\d+「[^」]*」: 错误 E215 模板残留“\{\{”", gated.stderr)
    assert "未通过检查" in gated.stderr
    assert not (tmp_path / "gated").exists() or not any((tmp_path / "gated").iterdir())
    # without it: the documents hold exactly what was typed
    p = run("render", str(job), str(letter), "-o", "out", "--no-check", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    docs = sorted((tmp_path / "out").glob("*.docx"))
    assert len(docs) == 2
    text = "\n".join(docx_text(d) for d in docs)
    assert text.count(CODE) >= 6 and LOOP in text and ESCAPE in text
    assert "城关镇" + CODE in text and "镇长" + LOOP in text
    assert "49" not in text and "环环环" not in text
    assert not list(tmp_path.rglob("PWNED"))


MARKUP = [
    "# 假标题",
    "::: table 1,2",
    "+++",
    "*一是*加粗",
    "结尾{.title}",
    "甲 | 乙 | 丙",
    "反斜杠\\n\\\\",
    ":::",
]


def test_markup_characters_in_values_stay_text(tmp_path: Path) -> None:
    """A value cannot open a heading, a directive, a page break or a table cell."""
    lines = "\n".join(f"  - {{task: '{m}', lead: '县{m}局', due: 长期坚持}}" for m in MARKUP)
    path = tmp_path / "notice.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            type: notice
            org: {level: 县, name: 青山县}
            issuer: 青山县安全生产委员会办公室
            title: 关于做好2024年第二季度安全生产工作的通知
            to: "# 各乡镇 ::: table | +++"
            date: 2024-03-28
            quarter: 2
            cc: "*县委办公室* {.title}"
            tasks:
            """
        )
        + lines
        + "\n",
        encoding="utf-8",
    )
    (result,) = compose_job(load_job(path), load_library())
    data = render_docx(result.document)
    doc = DocxDocument(io.BytesIO(data))
    texts = [p.text for p in doc.paragraphs]
    assert "# 各乡镇 ::: table | +++：" in texts
    assert any("*县委办公室* {.title}" in t for t in texts)
    (table,) = doc.tables
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert len(rows) == len(MARKUP) + 1 and all(len(r) == 5 for r in rows)
    assert [r[1] for r in rows[1:]] == MARKUP
    assert [r[2] for r in rows[1:]] == [f"县{m}局" for m in MARKUP]


# ---------------------------------------------------------------- the sandbox

ESCAPES = [
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "沙箱"),
    ("{{ cycler.__init__.__globals__.os.popen('id').read() }}", "沙箱"),
    ("{{ joiner.__init__.__globals__ }}", "沙箱"),
    ("{{ namespace.__init__.__globals__ }}", "沙箱"),
    ("{{ self.__init__.__globals__ }}", "沙箱"),
    ("{{ title.__class__ }}", "沙箱"),
    ("{{ title|attr('__class__') }}", "沙箱"),
    ("{{ '{0.__class__}'.format(title) }}", "沙箱"),
    ("{{ [].append.__self__ }}", "沙箱"),
    ("{{ range.__self__ }}", "未提供的变量"),
    ("{{ config.items() }}", "未提供的变量"),
    ("{{ lipsum() }}", "未提供的变量"),
    ("{{ no_such_variable }}", "未提供的变量"),
    ("{% include '/etc/passwd' %}", "不能引用其他文件"),
    ("{% import 'os' as os %}", "不能引用其他文件"),
    ("{% extends '../../../etc/passwd' %}", "不能引用其他文件"),
    ("{{ 1/0 }}", "ZeroDivisionError"),
    ("{% for x in range(10**9) %}{% endfor %}", "OverflowError"),
    ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "递归"),
    ("{{ 'a' * 10**10 }}", "过大"),
    ("{{ [0] * 10**9 }}", "过大"),
    ("{{ 10**(10**9) }}", "过大"),
    ("{{ '%999999999d' % 1 }}", "过大"),
    ("{{ '%999999999d'|format(1) }}", "过大"),
    ("{{ '{:>999999999}'.format(1) }}", "过大"),
    ("{{ 'x'|center(10**9) }}", "过大"),
    ("{% for i in range(99999) %}{{ 'x' * 999 }}{% endfor %}", "超过"),
    ("正文\n\n{{ title }\n", "第 3 行语法有误"),
]


@pytest.fixture(scope="module")
def speech_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("speech") / "会议.yaml"
    path.write_text(SPEECH, encoding="utf-8")
    return path


@pytest.mark.parametrize(("source", "message"), ESCAPES, ids=[e[0][:40] for e in ESCAPES])
def test_user_template_cannot_escape(
    speech_file: Path, tmp_path: Path, source: str, message: str
) -> None:
    templates = tmp_path / "模板"
    templates.mkdir()
    (templates / "speech.md.j2").write_text(source, encoding="utf-8")
    out = tmp_path / "out"
    p = run("render", str(speech_file), "--templates", str(templates), "-o", str(out), cap=True)
    assert p.returncode == 1, p.stderr
    assert "Traceback" not in p.stderr + p.stdout, p.stderr
    line = p.stderr.strip().splitlines()[-1]
    assert line.startswith(f"模板 {templates / 'speech.md.j2'}"), line
    assert message in line and re.search(r"[\u4e00-\u9fff]{4}", line), line
    assert not out.exists() or not any(out.iterdir())
    assert not list(tmp_path.rglob("PWNED"))


def test_user_template_gets_data_as_values(speech_file: Path, tmp_path: Path) -> None:
    """The sandbox still lets an honest template use its variables, filters and loops."""
    templates = tmp_path / "模板"
    templates.mkdir()
    (templates / "speech.md.j2").write_text(
        "{{ title }} {.title}\n\n"
        "{% for i in range(2) %}第{{ (i + 1) | cn }}段：{{ '%s' % title }}。{{ '{:>2}'.format(i) }}\n\n"
        "{% endfor %}",
        encoding="utf-8",
    )
    p = run("render", str(speech_file), "--templates", str(templates), "-o", str(tmp_path / "o"))
    assert p.returncode == 0, p.stderr
    text = docx_text(Path(p.stdout.strip()))
    assert "第一段：在2024年第二季度全县安全生产工作会议上的讲话。" in text
    assert "第二段：" in text


SNIPPET_FILE = """\
category: 结尾号召
snippets:
  - id: my.snippet
    role: closing
    slots: {slots}
    text: "{text}"
"""
SNIPPET_ESCAPES = [
    ("[]", "{{ ''.__class__ }}", "E502"),
    ("[]", "{% for x in range(3) %}环{% endfor %}", "E502"),
    ("[]", "{{ self.__init__ }}", "E502"),
    ("[]", "{{ title|upper }}", "E502"),
    ("[lipsum]", "泄露{{ lipsum }}。", "未提供的变量"),
    ("[cycler]", "泄露{{ cycler }}。", "未提供的变量"),
    ("[range]", "泄露{{ range }}。", "未提供的变量"),
    ("[__class__]", "泄露{{ __class__ }}。", "未提供的变量"),
]


@pytest.mark.parametrize(("slots", "text", "message"), SNIPPET_ESCAPES)
def test_user_snippet_cannot_escape(tmp_path: Path, slots: str, text: str, message: str) -> None:
    lib = tmp_path / "短语"
    lib.mkdir()
    (lib / "mine.yaml").write_text(SNIPPET_FILE.format(slots=slots, text=text), encoding="utf-8")
    job = tmp_path / "job.yaml"
    job.write_text(
        SPEECH + "points:\n  - heading: 压实责任\n    items:\n      - use: my.snippet\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    p = run("render", str(job), "--snippets", str(lib), "-o", str(out), "--no-check")
    assert p.returncode == 1, (p.stdout, p.stderr)
    assert "Traceback" not in p.stderr and message in p.stderr, p.stderr
    assert not out.exists() or not any(out.iterdir())


def test_snippet_environment_has_no_jinja_globals() -> None:
    """Snippets see their slots only: no Jinja global can leak a repr into a document."""
    from speechgen.compose.templating import render_string, snippet_env, template_env

    for name in ("lipsum", "cycler", "range", "joiner", "namespace", "dict"):
        with pytest.raises(TemplateProblem, match="未提供的变量"):
            render_string(snippet_env(), "{{ " + name + " }}", {}, "短语 x")
    assert "lipsum" not in template_env().globals  # random: documents must be reproducible
    assert render_string(
        snippet_env(), "{{ a }}{{ self_word }}", {"a": 1, "self_word": "我县"}, "x"
    ) == ("1我县")


# ---------------------------------------------------------------- XML safety

NASTY = [
    "A&B",
    "<script>alert(1)</script>",
    "x > y && y < z",
    '"双引号"',
    "'单引号'",
    "&amp; &lt; &#x41; ]]> <!-- -->",
    "<?xml version='1.0'?>",
    "<w:p><w:r><w:t>注入</w:t></w:r></w:p>",
]


def _xml_parts(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                etree.fromstring(z.read(name))  # well-formed, or this raises


@pytest.mark.parametrize("value", NASTY)
def test_xml_specials_come_out_as_typed(tmp_path: Path, value: str) -> None:
    quoted = "'" + value.replace("'", "''") + "'"
    (tmp_path / "名单.csv").write_text(
        'name,type,signer_title,signer\n"城关镇' + value.replace('"', '""') + '",township,镇长,'
        '"' + value.replace('"', '""') + '"\n',
        encoding="utf-8",
    )
    jobs = {
        "speech.yaml": SPEECH.replace("name: 张三", f"name: {quoted}")
        + f"sectors:\n  - {{name: 危险化学品, lead: {quoted}, text: {quoted}}}\n"
        + f"preceding:\n  - {{who: {quoted}, did: {quoted}}}\n",
        "notice.yaml": textwrap.dedent(
            f"""\
            type: notice
            org: {{level: 县, name: 青山县}}
            issuer: 青山县安全生产委员会办公室
            title: 关于做好2024年第二季度安全生产工作的通知
            to: {quoted}
            date: 2024-03-28
            quarter: 2
            cc: {quoted}
            tasks:
              - {{task: {quoted}, lead: {quoted}, support: [{quoted}], due: {quoted}}}
            contact: {{name: {quoted}, phone: {quoted}}}
            """
        ),
        "letter.yaml": LETTER + "recipients_file: 名单.csv\n",
    }
    for name, text in jobs.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        for result in compose_job(load_job(path), load_library()):
            data = render_docx(result.document)
            _xml_parts(data)
            text_out = docx_text(data)
            assert value in text_out, (name, value)
            target = tmp_path / f"{name}.docx"
            target.write_bytes(data)
            assert not [f for f in check_docx(target) if f.code == "E201"]


CONTROL = [
    ("\x07", "U+0007"),
    ("\x1b", "U+001B"),
    ("\x0c", "U+000C"),
    ("\x85", "U+0085"),
    ("\x9f", "U+009F"),
    ("\ufffe", "U+FFFE"),
    ("\x7f", "U+007F"),
]


@pytest.mark.parametrize(("char", "shown"), CONTROL)
def test_control_characters_reported_with_key_path(tmp_path: Path, char: str, shown: str) -> None:
    path = tmp_path / "job.yaml"
    path.write_text(
        SPEECH + f'sectors:\n  - name: 燃气\n    checks: [瓶装液化气, "餐饮{char}场所"]\n',
        encoding="utf-8",
    )
    with pytest.raises(UserError) as info:
        load_job(path)
    (finding,) = [f for f in info.value.findings if f.code == "E109"]
    assert finding.key == "sectors[1].checks[2]" and finding.location.startswith("7:")
    assert shown in finding.message
    # the same character in a CSV cell is located by row and column
    (tmp_path / "名单.csv").write_text(
        f"name,type,signer_title\n城关镇人民政府,township,镇长\n东湖镇{char}人民政府,township,镇长\n",
        encoding="utf-8",
    )
    letter = tmp_path / "letter.yaml"
    letter.write_text(LETTER + "recipients_file: 名单.csv\n", encoding="utf-8")
    with pytest.raises(UserError) as info:
        load_job(letter)
    (finding,) = [f for f in info.value.findings if f.code == "E109"]
    assert (finding.location, finding.key) == ("第3行A列", "name") and shown in finding.message


def test_control_characters_in_a_table_reported_with_other_errors(tmp_path: Path) -> None:
    """A control character does not hide the other errors of the file (all together)."""
    (tmp_path / "名单.csv").write_text(
        "name,type,signer_title,limits.deaths_max\n"
        "城关镇\x07人民政府,township,镇长,1\n"
        "东湖镇人民政府,village,镇长,十三\n",
        encoding="utf-8",
    )
    letter = tmp_path / "letter.yaml"
    letter.write_text(LETTER + "recipients_file: 名单.csv\n", encoding="utf-8")
    p = run("render", str(letter), "-o", str(tmp_path / "out"))
    assert p.returncode == 1 and "Traceback" not in p.stderr
    assert re.search(r"名单\.csv:第2行A列: 错误 E109 name ", p.stderr)
    assert re.search(r"名单\.csv:第3行B列: 错误 E103 type “village”", p.stderr)
    assert re.search(r"名单\.csv:第3行D列: 错误 E101 limits\.deaths_max .*“十三”", p.stderr)
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------- hostile .docx for check

_BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(
        f'<!ENTITY {n} "{("&" + p + ";") * 10}">'.encode()
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + b"]>"
)
_XXE = b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'


def _variant(source: bytes, target: Path, prolog: bytes, entity: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(source)) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/document.xml":
                data = prolog + data.split(b"?>", 1)[1].replace(b"<w:t>", b"<w:t>" + entity, 1)
            zout.writestr(info.filename, data)


def test_check_reads_hostile_docx_safely(tmp_path: Path) -> None:
    """A .docx passed between offices: entity bombs and external entities are not expanded."""
    job = tmp_path / "job.yaml"
    job.write_text(SPEECH, encoding="utf-8")
    (result,) = compose_job(load_job(job), load_library())
    source = render_docx(result.document)
    _variant(source, tmp_path / "bomb.docx", _BOMB, b"&i;")
    _variant(source, tmp_path / "xxe.docx", _XXE, b"&x;")
    (tmp_path / "garbage.docx").write_bytes(bytes(range(256)) * 8)
    p = run("check", "bomb.docx", "xxe.docx", "garbage.docx", cwd=tmp_path, cap=True)
    assert "Traceback" not in p.stderr + p.stdout, p.stderr
    assert p.returncode == 1 and "garbage.docx: 错误 E201" in p.stdout
    assert "root:" not in p.stdout + p.stderr and "aaaaaaaaaa" not in p.stdout
