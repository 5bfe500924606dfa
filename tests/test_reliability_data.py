"""Hostile data through the real command line: numbers, spreadsheets, snippet files.

Each case runs ``python -m speechgen render …`` (or ``snippets list``) in its own
process and asserts the exit code, the located Chinese message, no traceback and
no output file — or, for what is read correctly, the value typed in the document.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
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


def run(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    p = subprocess.run(
        [sys.executable, "-m", "speechgen", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        env={**os.environ, **(env or {})},
    )
    assert "Traceback" not in p.stdout + p.stderr, p.stderr[-3000:]
    return p


def render(
    tmp_path: Path, job: Path, *extra: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    out = str(tmp_path / "out")
    return run(tmp_path, "render", str(job), "-o", out, "-f", "md", *extra, env=env)


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


@pytest.mark.parametrize(
    ("typed", "read"), [("010", "10"), ("007", "7"), ("+5", "5"), ("08", "8"), ("1.0e+3", "1000")]
)
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


# ------------------------------------------------------------------ recipient sheets


def letter_job(tmp_path: Path, table: str) -> Path:
    job = tmp_path / "letter.yaml"
    job.write_text(LETTER.replace("TABLE", table), encoding="utf-8")
    return job


def save_xlsx(path: Path, rows: list[list[object]], **setup) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = setup.get("title", "名单")
    for row in rows:
        sheet.append(row)
    for cells in setup.get("merges", ()):
        sheet.merge_cells(cells)
    if "edit" in setup:
        setup["edit"](book, sheet)
    book.save(path)
    return book


def test_xlsx_formula_without_cached_value(tmp_path: Path) -> None:
    # openpyxl writes formulas without a computed result, as other programs do
    rows = [["name", "limits.deaths_max"], ["城关镇人民政府", "=1+1"], ["河西镇人民政府", 0]]
    save_xlsx(tmp_path / "名单.xlsx", rows)
    p = render(tmp_path, letter_job(tmp_path, "名单.xlsx"))
    refused(tmp_path, p, r"名单\.xlsx:工作表“名单”第2行B列: 错误 E113 是公式“=1\+1”.*没有保存")


@pytest.mark.parametrize(
    "code", ["#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!"]
)
def test_xlsx_error_cells(tmp_path: Path, code: str) -> None:
    def edit(book, sheet) -> None:
        sheet["A3"] = code
        sheet["A3"].data_type = "e"

    rows = [["单位名称", "死亡人数控制指标"], ["城关镇人民政府", 1], [None, 0]]
    save_xlsx(tmp_path / "名单.xlsx", rows, edit=edit)
    p = render(tmp_path, letter_job(tmp_path, "名单.xlsx"))
    refused(tmp_path, p, rf"名单\.xlsx:工作表“名单”第3行A列: 错误 E113 是错误值 {re.escape(code)}")
    assert "E102" not in p.stderr  # the error value is the report, not a missing name


def test_csv_error_values_are_not_names(tmp_path: Path) -> None:
    (tmp_path / "名单.csv").write_text(
        "name,limits.deaths_max\n城关镇,1\n#N/A,0\n", encoding="utf-8"
    )
    p = render(tmp_path, letter_job(tmp_path, "名单.csv"))
    refused(tmp_path, p, r"名单\.csv:第3行A列: 错误 E113 是错误值 #N/A")


def test_xlsx_hidden_sheet_is_never_read(tmp_path: Path) -> None:
    def edit(book, sheet) -> None:
        old = book.create_sheet("2023年", 0)
        for row in [["name", "limits.deaths_max"], ["撤并的老镇人民政府", 5]]:
            old.append(row)
        old.sheet_state = "hidden"
        book.active = 1

    rows = [["name", "limits.deaths_max"], ["城关镇人民政府", 1]]
    save_xlsx(tmp_path / "名单.xlsx", rows, edit=edit, title="2024年")
    p = render(tmp_path, letter_job(tmp_path, "名单.xlsx"))
    text = written_text(tmp_path, p)
    assert "乙方：城关镇人民政府" in text and "撤并的老镇" not in text
    assert re.search(r"警告 W102 .*隐藏的工作表 “2023年”，没有读取", p.stderr), p.stderr


def test_xlsx_active_sheet_is_read_and_the_others_named(tmp_path: Path) -> None:
    def edit(book, sheet) -> None:
        new = book.create_sheet("2024年")
        for row in [["name", "limits.deaths_max"], ["城关镇人民政府", 2]]:
            new.append(row)
        book.active = 1

    rows = [["name", "limits.deaths_max"], ["去年的镇人民政府", 9]]
    save_xlsx(tmp_path / "名单.xlsx", rows, edit=edit, title="2023年")
    p = render(tmp_path, letter_job(tmp_path, "名单.xlsx"))
    text = written_text(tmp_path, p)
    assert "乙方：城关镇人民政府" in text and "死亡人数控制在2人以内" in text
    assert "去年的镇" not in text
    assert re.search(r"警告 W102 .*只读取了当前工作表“2024年”.*没有读取 “2023年”", p.stderr)


def test_xlsx_hidden_active_sheet_is_refused(tmp_path: Path) -> None:
    import zipfile

    save_xlsx(tmp_path / "a.xlsx", [["name"], ["城关镇人民政府"]], title="旧名单")
    with (
        zipfile.ZipFile(tmp_path / "a.xlsx") as src,
        zipfile.ZipFile(tmp_path / "名单.xlsx", "w") as dst,
    ):
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/workbook.xml":
                data = data.replace(b'state="visible"', b'state="hidden"')
            dst.writestr(info, data)
    p = render(tmp_path, letter_job(tmp_path, "名单.xlsx"))
    refused(tmp_path, p, r"名单\.xlsx: 错误 E111 当前工作表“旧名单”是隐藏的")


def test_xlsx_hidden_row_with_data(tmp_path: Path) -> None:
    def edit(book, sheet) -> None:
        sheet.row_dimensions[3].hidden = True

    rows = [["name"], ["城关镇人民政府"], ["已撤并的镇人民政府"], ["河西镇人民政府"]]
    save_xlsx(tmp_path / "名单.xlsx", rows, edit=edit)
    p = render(tmp_path, letter_job(tmp_path, "名单.xlsx"))
    refused(tmp_path, p, r"名单\.xlsx:工作表“名单”第3行: 错误 E113 是隐藏的行")


def test_csv_row_with_more_fields_than_the_header(tmp_path: Path) -> None:
    # an unquoted comma in a name splits it: 县住建局 and 县城管局 would be read apart
    text = "name,type,limits.deaths_max\n城关镇人民政府,乡镇,1\n县住建局,县城管局,department,0\n"
    (tmp_path / "名单.csv").write_text(text, encoding="utf-8")
    p = render(tmp_path, letter_job(tmp_path, "名单.csv"))
    refused(tmp_path, p, r"名单\.csv:第3行D列: 错误 E113 有数据“0”，但这一行的字段比列名行多")


def test_xlsx_data_under_a_merged_header(tmp_path: Path) -> None:
    rows = [["单位名称", None, "死亡人数控制指标"], ["城关镇人民政府", "城关镇", 1]]
    save_xlsx(tmp_path / "名单.xlsx", rows, merges=("A1:B1",))
    p = render(tmp_path, letter_job(tmp_path, "名单.xlsx"))
    refused(tmp_path, p, r"名单\.xlsx:工作表“名单”第2行B列: 错误 E113 .*合并单元格 A1:B1")


def test_xlsx_merged_header_over_merged_data_is_read(tmp_path: Path) -> None:
    # the name written across A:B in the header and in every row: one column, read as such
    rows = [["单位名称", None, "死亡人数控制指标"], ["城关镇人民政府", None, 1]]
    save_xlsx(tmp_path / "名单.xlsx", rows, merges=("A1:B1", "A2:B2"))
    text = written_text(tmp_path, render(tmp_path, letter_job(tmp_path, "名单.xlsx")))
    assert "乙方：城关镇人民政府\n" in text and "死亡人数控制在1人以内" in text


def test_xlsx_header_merged_into_the_data(tmp_path: Path) -> None:
    # a two-row header: 单位名称 merged down over row 2 would become a recipient
    rows = [["单位名称", "控制指标"], [None, "死亡人数控制指标"], ["城关镇人民政府", 1]]
    save_xlsx(tmp_path / "名单.xlsx", rows, merges=("A1:A2",))
    p = render(tmp_path, letter_job(tmp_path, "名单.xlsx"))
    refused(tmp_path, p, r"名单\.xlsx:工作表“名单”第1行: 错误 E111 列名所在的合并单元格 A1:A2")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("城关镇人民政府", "城关镇\u200b人民政府"),  # zero-width space
        ("城关镇人民政府", "\ufeff城关镇人民政府"),  # BOM
        ("县 住建局", "县\u00a0住建局"),  # no-break space
        ("青山化工(集团)有限公司", "青山化工（集团）有限公司"),  # full-width brackets
        ("ABC物流有限公司", "ＡＢＣ物流有限公司"),  # full-width letters
    ],
)
def test_look_alike_names_are_duplicates(tmp_path: Path, first: str, second: str) -> None:
    rows = [["name", "limits.deaths_max"], [first, 1], ["河西镇人民政府", 0], [second, 2]]
    save_xlsx(tmp_path / "名单.xlsx", rows)
    p = render(tmp_path, letter_job(tmp_path, "名单.xlsx"))
    refused(
        tmp_path,
        p,
        r"名单\.xlsx:工作表“名单”第4行A列: 错误 E110 name .*重复：名单\.xlsx 第2行 与 名单\.xlsx 第4行",
    )
    csv_text = "name,limits.deaths_max\n" + f"{first},1\n河西镇人民政府,0\n{second},2\n"
    (tmp_path / "名单.csv").write_text(csv_text, encoding="utf-8")
    p = render(tmp_path, letter_job(tmp_path, "名单.csv"))
    refused(tmp_path, p, r"名单\.csv:第4行A列: 错误 E110 name .*第2行 与 .*第4行")


def test_look_alike_inline_names_are_duplicates(tmp_path: Path) -> None:
    job = tmp_path / "letter.yaml"
    recipients = (
        "recipients:\n  - {name: 城关镇人民政府, limits: {deaths_max: 1}}\n"
        '  - {name: "城关镇\\u200b人民政府", limits: {deaths_max: 2}}\n'
    )
    job.write_text(LETTER.replace("recipients_file: TABLE\n", recipients), encoding="utf-8")
    p = render(tmp_path, job)
    refused(tmp_path, p, r"letter\.yaml:10:\d+: 错误 E110 recipients\[2\]\.name .*重复")


def test_invisible_characters_are_not_written(tmp_path: Path) -> None:
    rows = [["name", "limits.deaths_max"], ["城关镇\u200b人民\u2060政府\ufeff", 1]]
    save_xlsx(tmp_path / "名单.xlsx", rows)
    text = written_text(tmp_path, render(tmp_path, letter_job(tmp_path, "名单.xlsx")))
    assert "乙方：城关镇人民政府\n" in text


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_table_thousands_of_digits(tmp_path: Path, suffix: str) -> None:
    digits = "9" * 5000
    if suffix == ".csv":
        (tmp_path / "名单.csv").write_text(f"name,limits.deaths_max\n城关镇,{digits}\n", "utf-8")
        where = r"名单\.csv:第2行B列"
    else:
        # a number cell of 5000 digits (openpyxl cannot write one: patch the XML)
        save_xlsx(tmp_path / "a.xlsx", [["name", "limits.deaths_max"], ["城关镇", 7]])
        import zipfile

        with (
            zipfile.ZipFile(tmp_path / "a.xlsx") as src,
            zipfile.ZipFile(tmp_path / "名单.xlsx", "w") as dst,
        ):
            for info in src.infolist():
                data = src.read(info)
                if info.filename.startswith("xl/worksheets/"):
                    data = data.replace(b"<v>7</v>", f"<v>{digits}</v>".encode())
                dst.writestr(info, data)
        where = r"名单\.xlsx:工作表“名单”第2行B列"
    p = render(tmp_path, letter_job(tmp_path, "名单" + suffix))
    refused(tmp_path, p, rf"{where}: 错误 E105 limits\.deaths_max 数字过大.*5000 位")


def test_xlsx_formatted_to_the_last_row(tmp_path: Path) -> None:
    """A sheet whose cells are formatted down to row 1,048,576 reads its two rows of data."""
    import zipfile

    save_xlsx(tmp_path / "a.xlsx", [["name", "limits.deaths_max"], ["城关镇人民政府", 1]])
    empty = "".join(
        f'<row r="{r}"><c r="A{r}" s="0"/><c r="B{r}" s="0"/></row>' for r in range(3, 1048577)
    ).encode()
    with (
        zipfile.ZipFile(tmp_path / "a.xlsx") as src,
        zipfile.ZipFile(tmp_path / "名单.xlsx", "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(b"</sheetData>", empty + b"</sheetData>")
                data = data.replace(b'<dimension ref="A1:B2"/>', b'<dimension ref="A1:B1048576"/>')
            dst.writestr(info.filename, data)
    assert (tmp_path / "名单.xlsx").stat().st_size < 20_000_000
    text = written_text(tmp_path, render(tmp_path, letter_job(tmp_path, "名单.xlsx")))
    assert text.count("乙方：城关镇人民政府\n") == 1


def test_chinese_headers_read_like_english_ones(tmp_path: Path) -> None:
    rows = [
        ["单位名称", "类型", "签字人职务", "死亡人数控制指标", "行业领域"],
        ["城关镇人民政府", "乡镇", "镇长", 1, None],
        ["县住建局", "部门", "局长", 0, "建筑施工、燃气"],
        ["青山化工有限公司", "企业", "法定代表人", 0, "危险化学品"],
    ]
    save_xlsx(tmp_path / "责任单位.xlsx", rows)
    chinese = written_text(tmp_path, render(tmp_path, letter_job(tmp_path, "责任单位.xlsx")))
    english = [["Name", "TYPE", "signer_title", "Limits.deaths_max", "sectors"], *rows[1:]]
    (tmp_path / "out").rename(tmp_path / "out_chinese")
    save_xlsx(tmp_path / "english.xlsx", english)
    assert chinese == written_text(tmp_path, render(tmp_path, letter_job(tmp_path, "english.xlsx")))
    assert "乙方：县住建局" in chinese and "死亡人数控制在1人以内" in chinese


# ------------------------------------------------------------------ snippet and template folders

BAD_SNIPPETS = """category: 自己的
snippets:
  - id: mine.quarter
    role: closing
    quarters: [二季度]
    text: 同志们，安全生产责任重于泰山。
  - id: mine.tags
    role: closing
    tags: {重点: 是}
    kinds: 3
    text: 同志们，让我们共同努力。
  - id: mine.level
    role: closing
    level: province
    text: [不是, 文字]
  - id: mine.number
    role: closing
    text: 123
"""
SNIPPET_ERRORS = (
    r"mine\.yaml:5:16: 错误 E101 snippets\[1\]\.quarters\[1\] 季度应为数字 1–4.*“二季度”",
    r"mine\.yaml:9:5: 错误 E101 snippets\[2\]\.tags 应为标签列表.*键值映射",
    r"mine\.yaml:10:5: 错误 E103 snippets\[2\]\.kinds “3” 不是可用的取值",
    r"mine\.yaml:14:5: 错误 E103 snippets\[3\]\.level “province” 不是可用的取值",
    r"mine\.yaml:15:5: 错误 E101 snippets\[3\]\.text 应为文字，实际为列表",
    r"mine\.yaml:18:5: 错误 E101 snippets\[4\]\.text 应为短语正文（文字），实际为 “123”",
)
SAMPLE = Path(__file__).resolve().parent.parent / "speechgen" / "samples" / "01-县-季度-讲话稿.yaml"


@pytest.mark.parametrize("command", ["render", "snippets list"])
def test_snippet_file_value_types(tmp_path: Path, command: str) -> None:
    folder = tmp_path / "短语"
    folder.mkdir()
    (folder / "mine.yaml").write_text(BAD_SNIPPETS, encoding="utf-8")
    if command == "render":
        p = render(tmp_path, SAMPLE, "--snippets", str(folder))
    else:
        p = run(tmp_path, "snippets", "list", "--snippets", str(folder))
    refused(tmp_path, p, *SNIPPET_ERRORS)  # all at once


def test_snippet_folder_alias_bomb(tmp_path: Path) -> None:
    folder = tmp_path / "短语"
    folder.mkdir()
    bomb = ["category: 炸弹", "a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 8):
        bomb.append(
            f"{'abcdefgh'[n]}: &{'abcdefgh'[n]} [{', '.join(['*' + 'abcdefgh'[n - 1]] * 10)}]"
        )
    bomb.append("snippets: []")
    (folder / "bomb.yaml").write_text("\n".join(bomb) + "\n", encoding="utf-8")
    p = run(tmp_path, "snippets", "list", "--snippets", str(folder))
    refused(tmp_path, p, r"bomb\.yaml:\d+:\d+: 错误 E108 \w+ 展开别名.*别名炸弹")


def test_snippet_file_size_limit(tmp_path: Path) -> None:
    folder = tmp_path / "短语"
    folder.mkdir()
    (folder / "big.yaml").write_text("category: 大\nsnippets: []\n# " + "长" * 2000, "utf-8")
    env = {"SPEECHGEN_MAX_INPUT_BYTES": "4000"}
    p = render(tmp_path, SAMPLE, "--snippets", str(folder), env=env)
    refused(
        tmp_path, p, r"big\.yaml: 错误 E108 文件过大：超过上限 4000 字节.*SPEECHGEN_MAX_INPUT_BYTES"
    )


def test_template_size_limit(tmp_path: Path) -> None:
    folder = tmp_path / "模板"
    folder.mkdir()
    (folder / "speech.md.j2").write_text("{{ title }}\n" + "讲" * 2000, encoding="utf-8")
    env = {"SPEECHGEN_MAX_INPUT_BYTES": "4000"}
    p = render(tmp_path, SAMPLE, "--templates", str(folder), env=env)
    refused(tmp_path, p, r"speech\.md\.j2: 错误 E108 文件过大：超过上限 4000 字节")


# ------------------------------------------------------------------ the starter sheet


def test_new_letter_writes_a_chinese_recipients_sheet(tmp_path: Path) -> None:
    p = run(tmp_path, "new", "letter", "-o", "责任书.yaml")
    assert p.returncode == 0, p.stderr
    book = openpyxl.load_workbook(tmp_path / "责任单位.xlsx")
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("单位名称", "类型", "签字人职务", "死亡人数控制指标", "行业领域")
    assert sorted(r[1] for r in rows[1:]) == ["乡镇", "企业", "部门"]  # one example of each
    assert sheet.freeze_panes == "A2"
    (types,) = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert types.formula1 == '"乡镇,部门,企业"' and "B2" in types.sqref
    for column, values in zip("ABCDE", zip(*rows, strict=True), strict=True):
        longest = max(sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(v or "")) for v in values)
        assert sheet.column_dimensions[column].width >= longest, column
    # the job made from the starter renders one letter a row of the sheet
    job = (tmp_path / "责任书.yaml").read_text(encoding="utf-8")
    job = job.split("recipients:")[0] + "recipients_file: 责任单位.xlsx\n"
    (tmp_path / "责任书.yaml").write_text(job, encoding="utf-8")
    text = written_text(tmp_path, render(tmp_path, tmp_path / "责任书.yaml"))
    for name in ("城关镇人民政府", "县住建局", "青山化工有限公司"):
        assert f"乙方：{name}\n" in text
