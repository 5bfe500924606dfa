"""speechgen.inputs: letter recipients from CSV and XLSX files."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from speechgen.errors import Finding, UserError
from speechgen.inputs import Job, Limits, load_job

DATA = Path(__file__).parent / "data" / "inputs"
HEAD = (DATA / "letter.yaml").read_text(encoding="utf-8").split("recipients:")[0]


def job_with_file(tmp_path: Path, name: str, limits: Limits | None = None) -> Job:
    path = tmp_path / "letter.yaml"
    path.write_text(HEAD + f"recipients_file: {name}\n", encoding="utf-8")
    return load_job(path, limits=limits)


def errors_with_file(tmp_path: Path, name: str, limits: Limits | None = None) -> list[Finding]:
    with pytest.raises(UserError) as info:
        job_with_file(tmp_path, name, limits)
    return info.value.findings


def summary(found: list[Finding]) -> list[tuple[str, str, str, str]]:
    return [(Path(f.path).name, f.location, f.code, f.key) for f in found]


def write_xlsx(path: Path, rows: list[list[object]], merges: tuple[str, ...] = ()) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    book.save(path)


HEADER = [
    "name ",
    " type",
    "signer_title",
    "limits.deaths_max",
    "limits.fires_max",
    "sectors",
    "备注",
]


def test_xlsx_recipients(tmp_path: Path) -> None:
    write_xlsx(
        tmp_path / "责任单位.xlsx",
        [
            HEADER,
            ["  城关镇人民政府 ", "乡镇", " 镇长", "1", 2, None, None],
            [None] * 7,
            ["河西镇人民政府", None, "镇长", "０", "3", None, "新设"],
            ["", "  ", None, None, None, None, None],
            ["县住建局", "department", "局长", 0, 1.0, "建筑施工、燃气", None],
            [101, "enterprise", "经理", "2", None, "危险化学品", None],
        ],
        merges=("B2:B4",),  # 乡镇 covers rows 2–4 (row 3 is blank and stays skipped)
    )
    job = job_with_file(tmp_path, "责任单位.xlsx")
    first, second, third, fourth = job.data["recipients"]
    assert first == {
        "name": "城关镇人民政府",
        "type": "township",
        "signer_title": "镇长",
        "limits": {"deaths_max": 1, "fires_max": 2},
        "_row": "责任单位.xlsx 第2行",
    }
    assert second["type"] == "township"  # from the merged cell
    assert second["limits"] == {"deaths_max": 0, "fires_max": 3}  # text numbers, full-width too
    assert second["备注"] == "新设"  # extra columns kept
    assert second["_row"] == "责任单位.xlsx 第4行"
    assert third["sectors"] == ["建筑施工", "燃气"]
    assert third["limits"] == {"deaths_max": 0, "fires_max": 1}
    assert third["_row"] == "责任单位.xlsx 第6行"
    assert fourth["name"] == "101"
    assert job.warnings == []


def test_xlsx_row_errors(tmp_path: Path) -> None:
    write_xlsx(
        tmp_path / "list.xlsx",
        [
            ["name", "type", "limits.deaths_max", "signer_titel"],
            ["城关镇", "village", "一", "镇长"],
            [None, "township", 1, None],
            ["河西镇", "township", "-1", None],
        ],
    )
    found = errors_with_file(tmp_path, "list.xlsx")
    assert summary(found) == [
        ("list.xlsx", "工作表“Sheet”第2行B列", "E103", "type"),
        ("list.xlsx", "工作表“Sheet”第2行C列", "E101", "limits.deaths_max"),
        ("list.xlsx", "工作表“Sheet”第2行D列", "W101", "signer_titel"),
        ("list.xlsx", "工作表“Sheet”第3行A列", "E102", "name"),
        ("list.xlsx", "工作表“Sheet”第4行C列", "E105", "limits.deaths_max"),
    ]
    assert found[1].message == "应为数字，实际为 “一”"
    assert "是否应为 “signer_title”？" in found[2].message


def test_xlsx_duplicate_recipients(tmp_path: Path) -> None:
    write_xlsx(
        tmp_path / "list.xlsx",
        [["name"], ["城关镇人民政府"], ["河西镇"], ["城关镇人民政府 "]],
    )
    (error,) = errors_with_file(tmp_path, "list.xlsx")
    assert (Path(error.path).name, error.location, error.code, error.key) == (
        "list.xlsx",
        "工作表“Sheet”第4行A列",
        "E110",
        "name",
    )
    assert "list.xlsx 第2行" in error.message and "list.xlsx 第4行" in error.message


def test_inline_duplicate_recipients(tmp_path: Path) -> None:
    path = tmp_path / "letter.yaml"
    recipients = "recipients:\n  - name: 城关镇\n  - name: 河西镇\n  - {name: 城关镇, type: 乡镇}\n"
    path.write_text(HEAD + recipients, encoding="utf-8")
    with pytest.raises(UserError) as info:
        load_job(path)
    (error,) = info.value.findings
    assert (error.location, error.code, error.key) == ("16:6", "E110", "recipients[3].name")
    assert "recipients[1]" in error.message and "recipients[3]" in error.message


def test_csv_recipients_gbk_with_warning(tmp_path: Path) -> None:
    text = "name,type,limits.deaths_max\n 城关镇 ,township, 1 \n\n,,\n河西镇,乡镇,0\n"
    (tmp_path / "名单.csv").write_bytes(text.encode("gb18030"))
    job = job_with_file(tmp_path, "名单.csv")
    assert [(r["name"], r["limits"], r["_row"]) for r in job.data["recipients"]] == [
        ("城关镇", {"deaths_max": 1}, "名单.csv 第2行"),
        ("河西镇", {"deaths_max": 0}, "名单.csv 第5行"),
    ]
    (warning,) = job.warnings
    assert warning.code == "W100" and Path(warning.path).name == "名单.csv"


def test_csv_bom_and_errors(tmp_path: Path) -> None:
    text = "\ufeffname,limits.deaths_max\n城关镇,x\n河西镇,1\n城关镇,2\n"
    (tmp_path / "名单.csv").write_text(text, encoding="utf-8")
    found = errors_with_file(tmp_path, "名单.csv")
    assert summary(found) == [
        ("名单.csv", "第2行B列", "E101", "limits.deaths_max"),
        ("名单.csv", "第4行A列", "E110", "name"),
    ]


@pytest.mark.parametrize(
    ("name", "content", "location", "fragment"),
    [
        ("a.csv", "type,signer_title\ntownship,镇长\n", "第1行", "缺少单位名称列"),
        ("a.csv", "", "", "空"),
        ("a.csv", "name,type\n", "", "没有任何单位"),
        ("a.csv", "name,name\nx,y\n", "第1行B列", "重复"),
        ("a.csv", "name,limits,limits.deaths_max\nx,1,2\n", "第1行", "冲突"),
        ("a.xls", "whatever", "", ".xls"),
        ("a.json", "{}", "", "不支持"),
        ("a.xlsx", "not a zip", "", ".xlsx"),
    ],
)
def test_table_file_problems(
    tmp_path: Path, name: str, content: str, location: str, fragment: str
) -> None:
    (tmp_path / name).write_text(content, encoding="utf-8")
    (error,) = errors_with_file(tmp_path, name)
    assert (Path(error.path).name, error.location, error.code) == (name, location, "E111")
    assert fragment in error.message


def test_missing_table_file_located_at_key(tmp_path: Path) -> None:
    (error,) = errors_with_file(tmp_path, "nope.xlsx")
    assert (Path(error.path).name, error.location, error.code, error.key) == (
        "letter.yaml",
        "13:1",
        "E111",
        "recipients_file",
    )
    assert "nope.xlsx" in error.message


def test_recipients_and_file_together(tmp_path: Path) -> None:
    path = tmp_path / "letter.yaml"
    path.write_text(HEAD + "recipients_file: a.csv\nrecipients:\n  - name: x\n", encoding="utf-8")
    with pytest.raises(UserError) as info:
        load_job(path)
    assert [(f.location, f.code, f.key) for f in info.value.findings] == [
        ("13:1", "E111", "recipients_file")
    ]


def test_table_row_limit(tmp_path: Path) -> None:
    rows = "".join(f"单位{i},1\n" for i in range(5))
    (tmp_path / "a.csv").write_text("name,limits.deaths_max\n" + rows, encoding="utf-8")
    (error,) = errors_with_file(tmp_path, "a.csv", Limits(max_recipients=3))
    assert error.code == "E108" and "SPEECHGEN_MAX_RECIPIENTS" in error.message
    write_xlsx(tmp_path / "a.xlsx", [["name"]] + [[f"单位{i}"] for i in range(5)])
    (error,) = errors_with_file(tmp_path, "a.xlsx", Limits(max_recipients=3))
    assert error.code == "E108"


def test_table_size_limit(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("name\n" + "单位\n" * 100, encoding="utf-8")
    (error,) = errors_with_file(tmp_path, "a.csv", Limits(max_table_bytes=50))
    assert error.code == "E108"


def test_absolute_table_path(tmp_path: Path) -> None:
    table = tmp_path / "sub" / "a.csv"
    table.parent.mkdir()
    table.write_text("name\n城关镇\n", encoding="utf-8")
    other = tmp_path / "elsewhere"
    other.mkdir()
    path = other / "letter.yaml"
    path.write_text(HEAD + f"recipients_file: {table}\n", encoding="utf-8")
    assert load_job(path).data["recipients"][0]["name"] == "城关镇"
