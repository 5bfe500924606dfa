"""speechgen.inputs.xlsx: the streaming reader agrees with openpyxl, at every chunk edge."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Border, Side

from speechgen.inputs import xlsx


def _sheet(path: Path, seed: int, hidden: set[int] | None = None) -> dict[int, dict[int, object]]:
    """A sheet of values, blanks, formatted empty cells; ``hidden`` collects hidden rows."""
    rng = random.Random(seed)
    book = openpyxl.Workbook()
    sheet = book.active
    border = Border(left=Side(style="thin"))
    expected: dict[int, dict[int, object]] = {}
    for row in range(1, 400):
        if hidden is not None and rng.random() < 0.05:
            sheet.row_dimensions[row].hidden = True
            hidden.add(row)
        for col in range(1, 6):
            roll = rng.random()
            cell = sheet.cell(row, col)
            if roll < 0.3:
                value: object = rng.choice(["城关镇", "县住建局 ", "ＡＢＣ", "a&b<c>", "x" * 40])
                value = f"{value}{row}"
            elif roll < 0.45:
                value = rng.randint(0, 10**12)
            elif roll < 0.5:
                value = round(rng.random() * 100, 3)  # Excel keeps 15 digits
            else:
                cell.border = border  # formatted, no value
                continue
            cell.value = value
            expected.setdefault(row, {})[col] = value
    book.save(path)
    return expected


@pytest.mark.parametrize("chunk", [7, 64, 333, 1 << 20])
def test_streaming_reader_matches_the_values_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    path = tmp_path / "a.xlsx"
    hidden: set[int] = set()
    expected = _sheet(path, chunk, hidden)
    monkeypatch.setattr(xlsx, "CHUNK", chunk)
    with zipfile.ZipFile(path) as archive:
        sheet = xlsx.read_active_sheet(archive, max_rows=10_000, max_columns=256, max_part=10**8)
    assert sheet.issues == []
    assert sheet.rows == expected
    assert sheet.hidden_rows == hidden and hidden


def test_formula_with_a_saved_result_is_read(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["name", "=1+1"])
    book.save(tmp_path / "a.xlsx")
    with (
        zipfile.ZipFile(tmp_path / "a.xlsx") as src,
        zipfile.ZipFile(tmp_path / "b.xlsx", "w") as dst,
    ):
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(b"<f>1+1</f><v></v>", b"<f>1+1</f><v>2</v>")
            dst.writestr(info, data)
    with zipfile.ZipFile(tmp_path / "b.xlsx") as archive:
        sheet = xlsx.read_active_sheet(archive, max_rows=10, max_columns=10, max_part=10**8)
    assert sheet.rows == {1: {1: "name", 2: 2}} and sheet.issues == []


def test_dates_are_dates(tmp_path: Path) -> None:
    import datetime as dt

    book = openpyxl.Workbook()
    book.active.append(["签订日期", dt.date(2024, 2, 20)])
    book.save(tmp_path / "a.xlsx")
    with zipfile.ZipFile(tmp_path / "a.xlsx") as archive:
        sheet = xlsx.read_active_sheet(archive, max_rows=10, max_columns=10, max_part=10**8)
    assert sheet.rows[1][2] == dt.datetime(2024, 2, 20)


def test_a_doctype_is_refused(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["name"])
    book.save(tmp_path / "a.xlsx")
    lol = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
    with (
        zipfile.ZipFile(tmp_path / "a.xlsx") as src,
        zipfile.ZipFile(tmp_path / "b.xlsx", "w") as dst,
    ):
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = lol + data
            dst.writestr(info, data)
    with (
        zipfile.ZipFile(tmp_path / "b.xlsx") as archive,
        pytest.raises(xlsx.XlsxError, match="DTD"),
    ):
        xlsx.read_active_sheet(archive, max_rows=10, max_columns=10, max_part=10**8)


def _patched(tmp_path: Path, rows: list[list[object]], extra: bytes) -> Path:
    """A workbook whose sheet XML gets ``extra`` before its closing tag (merges and such)."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(tmp_path / "a.xlsx")
    target = tmp_path / "b.xlsx"
    with zipfile.ZipFile(tmp_path / "a.xlsx") as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(b"</worksheet>", extra + b"</worksheet>")
            dst.writestr(info, data)
    return target


def test_too_many_merged_ranges_are_refused(tmp_path: Path) -> None:
    merges = b"".join(b'<mergeCell ref="C%d:D%d"/>' % (r, r) for r in range(1, 10_002))
    path = _patched(tmp_path, [["name"], ["x"]], b"<mergeCells>" + merges + b"</mergeCells>")
    with zipfile.ZipFile(path) as archive, pytest.raises(xlsx.XlsxError, match="合并单元格超过"):
        xlsx.read_active_sheet(archive, max_rows=10, max_columns=10, max_part=10**8)


def test_a_column_merged_to_the_last_row_fills_only_rows_with_data(tmp_path: Path) -> None:
    from speechgen.inputs import Limits
    from speechgen.inputs.tables import read_table

    rows = [["name", "type"], ["城关镇人民政府", "乡镇"], ["河西镇人民政府", None]]
    merge = b'<mergeCells><mergeCell ref="B2:B1048576"/></mergeCells>'
    table = read_table(_patched(tmp_path, rows, merge), Limits())
    assert not table.errors and not table.problems
    assert [r.data for r in table.rows] == [
        {"name": "城关镇人民政府", "type": "乡镇"},
        {"name": "河西镇人民政府", "type": "乡镇"},
    ]


def test_rows_and_cells_without_positions(tmp_path: Path) -> None:
    """``r`` is optional in the format: positions then follow from the order (read again)."""
    book = openpyxl.Workbook()
    book.active.append(["x"])
    book.save(tmp_path / "a.xlsx")
    body = (
        "<sheetData><row><c t='inlineStr'><is><t>name</t></is></c><c t='inlineStr'>"
        "<is><t>type</t></is></c></row><row/><row><c t='inlineStr'><is><t>城关镇</t></is>"
        "</c><c t='inlineStr'><is><t>乡镇</t></is></c></row></sheetData>"
    ).encode()
    with (
        zipfile.ZipFile(tmp_path / "a.xlsx") as src,
        zipfile.ZipFile(tmp_path / "b.xlsx", "w") as dst,
    ):
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                head, rest = data.split(b"<sheetData>", 1)
                data = head + body + rest.split(b"</sheetData>", 1)[1]
            dst.writestr(info, data)
    with zipfile.ZipFile(tmp_path / "b.xlsx") as archive:
        sheet = xlsx.read_active_sheet(archive, max_rows=10, max_columns=10, max_part=10**8)
    assert sheet.rows == {1: {1: "name", 2: "type"}, 3: {1: "城关镇", 2: "乡镇"}}
