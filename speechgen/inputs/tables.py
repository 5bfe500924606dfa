"""CSV and XLSX tables → rows of nested mappings.

The first non-blank row holds the keys; a dotted key (``limits.deaths_max``)
nests. Blank rows and stray spaces (also full-width ones) are ignored; a cell
covered by a merged range takes the range's value; numbers typed as text stay
text here and are converted by the schema where it wants numbers.

Problems with the file as a whole are ``E111`` (``E108`` for limits); rows are
checked by the schema afterwards, located as ``第5行``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from ..errors import ERROR, Finding, SpeechgenError
from .limits import ENV, Limits
from .yamlread import BAD_CHARS, decode, read_limited

_SPACES = re.compile(r"^[\s\u3000\u00a0\ufeff\u200b]+|[\s\u3000\u00a0\ufeff\u200b]+$")
CSV_SUFFIXES = {".csv", ".tsv", ".txt"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}


@dataclass
class Row:
    """One data row: ``number`` is the row (XLSX) or line (CSV) number, 1-based."""

    number: int
    data: dict[str, Any]
    raw: dict[str, str]  # dotted key → the cell's text


@dataclass
class Table:
    path: Path
    shown: str  # the path as shown in messages
    rows: list[Row] = field(default_factory=list)
    errors: list[Finding] = field(default_factory=list)  # the file cannot be used
    warnings: list[Finding] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)  # errors of single cells

    def label(self, row: Row) -> str:
        return f"{self.path.name} 第{row.number}行"


class _Stop(Exception):
    pass


def clean(value: Any) -> Any:
    """Strip stray spaces; empty text is None."""
    if isinstance(value, str):
        value = _SPACES.sub("", value)
        return value or None
    return value


def cell_text(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    return str(value)


def read_table(path: Path, limits: Limits, shown: str | None = None) -> Table:
    """Read a CSV or XLSX file; problems are in ``table.errors``, never raised."""
    table = Table(path, shown if shown is not None else str(path))
    suffix = path.suffix.lower()
    try:
        merged: list[tuple[int, int, int, int]] = []
        if suffix in CSV_SUFFIXES:
            grid = _csv_rows(table, limits)
        elif suffix in XLSX_SUFFIXES:
            grid, merged = _xlsx_rows(table, limits)
        elif suffix == ".xls":
            _fail(
                table, "不支持旧版 Excel（.xls）文件；请在 Excel 中“另存为” .xlsx 或 CSV（UTF-8）"
            )
            return table
        else:
            _fail(table, f"不支持的名单文件类型 “{path.suffix or path.name}”：应为 .xlsx 或 .csv")
            return table
        _build_rows(table, grid, merged, limits)
    except _Stop:
        pass
    return table


def _fail(table: Table, message: str, code: str = "E111", location: str = "") -> None:
    table.errors.append(Finding(table.shown, location, ERROR, code, message))


def _read_bytes(table: Table, limits: Limits) -> bytes:
    try:
        return read_limited(
            table.path, limits.max_table_bytes, env_var=ENV["max_table_bytes"], shown=table.shown
        )
    except SpeechgenError as exc:
        for finding in exc.findings:
            code = "E108" if finding.code == "E108" else "E111"
            _fail(table, finding.message, code)
        raise _Stop from None


# ------------------------------------------------------------------ CSV


def _csv_rows(table: Table, limits: Limits) -> list[tuple[int, list[Any]]]:
    data = _read_bytes(table, limits)
    if data.startswith(b"PK\x03\x04"):
        _fail(table, "文件扩展名是 CSV，内容却是 Excel/ZIP 文件；请改用 .xlsx 扩展名")
        raise _Stop
    try:
        text, found = decode(data, table.shown)
    except SpeechgenError as exc:
        for finding in exc.findings:
            _fail(table, finding.message)
        raise _Stop from None
    table.warnings.extend(found)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max([",", "\t", ";", "，"], key=first.count) if first else ","
    if first.count(delimiter) == 0:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    grid = []
    line = 1
    try:
        for record in reader:
            row = [clean(cell) for cell in record[: limits.max_columns]]
            if any(v is not None for v in row):
                grid.append((line, row))
                if len(grid) > limits.max_recipients + 1:
                    _too_many(table, limits)
            line = reader.line_num + 1
    except csv.Error as exc:
        _fail(table, f"CSV 格式错误：{_csv_problem(exc)}", location=f"第{line}行")
        raise _Stop from None
    return grid


def _csv_problem(exc: csv.Error) -> str:
    """The csv module's English problem, told in Chinese."""
    text = str(exc)
    if "field larger than field limit" in text:
        return "有一个单元格过长"
    if "NUL" in text:
        return "含有 NUL 字符，可能不是文本文件"
    if "new-line character" in text or "unexpected end of data" in text or "EOF" in text:
        return "引号没有成对，或单元格里的换行没有放在引号内"
    return "无法按 CSV 读取：请在 Excel 中“另存为” CSV UTF-8 或 .xlsx"


def _too_many(table: Table, limits: Limits) -> None:
    _fail(
        table,
        f"名单超过 {limits.max_recipients} 行（可用环境变量 {ENV['max_recipients']} 调整）",
        "E108",
    )
    raise _Stop


# ------------------------------------------------------------------ XLSX


def _xlsx_rows(
    table: Table, limits: Limits
) -> tuple[list[tuple[int, list[Any]]], list[tuple[int, int, int, int]]]:
    size = table.path.stat().st_size if table.path.exists() else 0
    if size > limits.max_table_bytes:
        _fail(
            table,
            f"文件过大：超过上限 {limits.max_table_bytes} 字节"
            f"（可用环境变量 {ENV['max_table_bytes']} 调整）",
            "E108",
        )
        raise _Stop
    try:
        with zipfile.ZipFile(table.path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        _fail(
            table,
            "不是有效的 .xlsx 文件（可能已损坏，或其实是其他格式）；请用 Excel 重新“另存为” .xlsx",
        )
        raise _Stop from None
    if unpacked > limits.max_unzipped_bytes:
        _fail(table, f"XLSX 解压后超过 {limits.max_unzipped_bytes} 字节，已拒绝读取", "E108")
        raise _Stop

    import openpyxl  # imported here: only letters with a table need it

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(table.path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        _fail(table, f"无法读取 .xlsx 文件（{type(exc).__name__}）；请用 Excel 打开后重新保存")
        raise _Stop from None
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            _fail(table, "工作簿中没有工作表")
            raise _Stop
        merged = _merged_ranges(sheet)
        grid = []
        width = limits.max_columns
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                if hasattr(sheet, "reset_dimensions"):
                    sheet.reset_dimensions()
                for number, values in enumerate(
                    sheet.iter_rows(min_row=1, min_col=1, max_col=width, values_only=True), 1
                ):
                    row = [clean(v) for v in values]
                    if any(v is not None for v in row):
                        grid.append((number, row))
                        if len(grid) > limits.max_recipients + 1:
                            _too_many(table, limits)
        except _Stop:
            raise
        except Exception as exc:  # damaged sheet XML
            _fail(table, f"无法读取工作表（{type(exc).__name__}）；请用 Excel 打开后重新保存")
            raise _Stop from None
        return grid, merged
    finally:
        book.close()


def _merged_ranges(sheet: Any) -> list[tuple[int, int, int, int]]:
    """The merged ranges (min_col, min_row, max_col, max_row) of a sheet, read from its XML."""
    from openpyxl.utils.cell import range_boundaries

    ranges: list[tuple[int, int, int, int]] = []
    get_source = getattr(sheet, "_get_source", None)
    if get_source is None:  # a normal worksheet knows its merged cells
        for merged in getattr(sheet, "merged_cells", None) or []:
            ranges.append(merged.bounds)
        return ranges
    try:
        with get_source() as source:
            for _, element in ElementTree.iterparse(source, events=("end",)):
                tag = element.tag.rsplit("}", 1)[-1]
                if tag == "mergeCell":
                    try:
                        bounds = range_boundaries(element.get("ref", ""))
                    except (ValueError, TypeError):
                        continue
                    if None not in bounds:
                        ranges.append(bounds)  # type: ignore[arg-type]
                elif tag in ("row", "c"):
                    element.clear()
    except Exception:  # unreadable merges only lose the filling, not the data
        return ranges
    return ranges


def _fill_merged(
    grid: list[tuple[int, list[Any]]], merged: list[tuple[int, int, int, int]], first: int
) -> None:
    """Give every cell of a merged range (below the header row) the range's value."""
    by_number = {number: row for number, row in grid if number > first}
    for min_col, min_row, max_col, max_row in merged:
        top = by_number.get(min_row)
        if top is None or min_col - 1 >= len(top):
            continue
        value = top[min_col - 1]
        for number in range(min_row, max_row + 1):
            row = by_number.get(number)
            if row is None:
                continue
            for col in range(min_col, min(max_col, len(row)) + 1):
                if row[col - 1] is None:
                    row[col - 1] = value


# ------------------------------------------------------------------ rows


def _build_rows(
    table: Table,
    grid: list[tuple[int, list[Any]]],
    merged: list[tuple[int, int, int, int]],
    limits: Limits,
) -> None:
    if not grid:
        _fail(
            table, "名单文件是空的：第一行应为列名（name、type、signer_title……），其下每行一个单位"
        )
        return
    header_number, header = grid[0]
    columns: list[tuple[int, list[str]]] = []
    seen: dict[str, int] = {}
    ok = True
    for index, cell in enumerate(header):
        if cell is None:
            continue
        key = cell_text(cell).strip()
        parts = [part.strip() for part in key.split(".")]
        if not all(parts):
            _fail(table, f"列名 “{key}” 有误：点号两边都应有键名", location=f"第{header_number}行")
            ok = False
            continue
        dotted = ".".join(parts)
        if dotted in seen:
            _fail(table, f"列名 “{dotted}” 重复出现", location=f"第{header_number}行")
            ok = False
            continue
        seen[dotted] = index
        columns.append((index, parts))
    for dotted in seen:
        for other in seen:
            if other.startswith(dotted + "."):
                _fail(
                    table,
                    f"列名 “{dotted}” 与 “{other}” 冲突：一个是值，一个是其下的键",
                    location=f"第{header_number}行",
                )
                ok = False
    if "name" not in seen:
        found = "、".join(seen) or "无"
        _fail(
            table,
            f"缺少 name 列（第一行应为列名，如 name、type、signer_title、limits.deaths_max；现有：{found}）",
            location=f"第{header_number}行",
        )
        ok = False
    if not ok:
        return
    _fill_merged(grid, merged, header_number)
    body = grid[1:]
    if not body:
        _fail(table, "名单文件只有列名，没有任何单位")
        return
    if len(body) > limits.max_recipients:
        _too_many(table, limits)
    for number, cells in body:
        data: dict[str, Any] = {}
        raw: dict[str, str] = {}
        for index, parts in columns:
            value = cells[index] if index < len(cells) else None
            if value is None:
                continue
            if isinstance(value, str) and BAD_CHARS.search(value):
                _control_chars(table, number, ".".join(parts), value)
            target = data
            for part in parts[:-1]:
                target = target.setdefault(part, {})
            target[parts[-1]] = value
            raw[".".join(parts)] = cell_text(value)
        if data:
            table.rows.append(Row(number, data, raw))


def _control_chars(table: Table, number: int, key: str, value: str) -> None:
    """``E109`` for a cell holding characters a Word document cannot hold (as in YAML)."""
    found = sorted({f"U+{ord(ch):04X}" for ch in BAD_CHARS.findall(value)})
    table.problems.append(
        Finding(
            table.shown,
            f"第{number}行",
            ERROR,
            "E109",
            f"含有不可见的控制字符 {'、'.join(found)}，Word 文档无法容纳；"
            "请删除（常见于从微信或旧 Word 文件粘贴的文字）",
            key,
        )
    )
