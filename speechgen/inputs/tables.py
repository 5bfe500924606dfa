"""CSV and XLSX tables → rows of nested mappings.

The first non-blank row holds the keys; a dotted key (``limits.deaths_max``)
nests, and the Chinese headers of spec/INPUT.md v2 (单位名称, 类型, 签字人职务,
死亡人数控制指标, 行业领域) stand for their keys (:data:`CHINESE_HEADERS`).
Blank rows and stray spaces (also full-width ones) are ignored, invisible
characters (zero-width spaces, BOM, direction marks) are removed; a cell
covered by a merged range takes the range's value; numbers typed as text stay
text here and are converted by the schema where it wants numbers.

Of an XLSX the active sheet is read (:mod:`.xlsx`). A cell that cannot be read
as typed is ``E113`` at its row and column: a formula without a saved result,
an error value (``#N/A`` …), data in a hidden row or column, data in a column
without a name (more fields than the header, or under a merged header cell).
Problems with the file as a whole are ``E111`` (``E108`` for limits); rows are
checked by the schema afterwards, located as ``工作表“名单”第5行C列`` (XLSX) or
``第5行C列`` (CSV).
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ERROR, WARNING, Finding, SpeechgenError
from .limits import ENV, Limits
from .xlsx import ERROR_VALUES, XlsxError, column_letter, read_active_sheet
from .yamlread import BAD_CHARS, decode, read_limited

_SPACES = re.compile(r"^[\s\u3000\u00a0\ufeff\u200b]+|[\s\u3000\u00a0\ufeff\u200b]+$")
#: Characters that show nothing (Unicode format characters): never part of a name.
INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"
)

#: spec/INPUT.md v2: the Chinese column names of a recipients sheet → their keys.
CHINESE_HEADERS = {
    "单位名称": "name",
    "类型": "type",
    "签字人职务": "signer_title",
    "签字人": "signer",
    "死亡人数控制指标": "limits.deaths_max",
    "行业领域": "sectors",
}
ENGLISH_HEADERS = {"name", "type", "signer_title", "signer", "sectors", "limits", "targets_extra"}
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
    sheet: str = ""  # the worksheet read (XLSX)
    bad_rows: set[int] = field(default_factory=set)  # rows with a cell that is E113
    columns: dict[str, int] = field(default_factory=dict)  # dotted key → 1-based column

    def label(self, row: Row) -> str:
        return f"{self.path.name} 第{row.number}行"

    def where(self, row: int, column: int | None = None) -> str:
        """``工作表“名单”第5行C列`` (XLSX) or ``第5行C列`` (CSV); without column ``…第5行``."""
        sheet = f"工作表“{self.sheet}”" if self.sheet else ""
        col = f"{column_letter(column)}列" if column else ""
        return f"{sheet}第{row}行{col}"

    def cell_error(
        self, row: int, column: int | None, code: str, message: str, key: str = ""
    ) -> None:
        self.problems.append(
            Finding(self.shown, self.where(row, column), ERROR, code, message, key)
        )


class _Stop(Exception):
    pass


def clean(value: Any) -> Any:
    """Strip stray spaces and invisible characters; empty text is None."""
    if isinstance(value, str):
        value = _SPACES.sub("", INVISIBLE.sub("", value))
        return value or None
    return value


def name_key(name: str) -> str:
    """How names are compared: NFKC (full-width = half-width), no invisible characters or spaces."""
    text = unicodedata.normalize("NFKC", INVISIBLE.sub("", name))
    return re.sub(r"\s+", "", text).casefold()


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
    wide = False
    try:
        for record in reader:
            row = [clean(cell) for cell in record]
            if any(v is not None for v in row[limits.max_columns :]):
                wide = True
            row = row[: limits.max_columns]
            if any(v is not None for v in row):
                grid.append((line, row))
                if len(grid) > limits.max_recipients + 1:
                    _too_many(table, limits)
            line = reader.line_num + 1
    except csv.Error as exc:
        _fail(table, f"CSV 格式错误：{_csv_problem(exc)}", location=f"第{line}行")
        raise _Stop from None
    if wide:
        _too_wide(table, limits)
    # Excel writes its error values into a CSV as text: never a name or a number
    for number, row in grid:
        for index, value in enumerate(row):
            if isinstance(value, str) and value in ERROR_VALUES:
                table.cell_error(number, index + 1, "E113", _error_value(value))
                table.bad_rows.add(number)
                row[index] = None
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


def _error_value(text: str) -> str:
    return f"是错误值 {text}（公式出错或引用失效）；请在 Excel 中改正后重新导出"


def _too_many(table: Table, limits: Limits) -> None:
    _fail(
        table,
        f"名单超过 {limits.max_recipients} 行（可用环境变量 {ENV['max_recipients']} 调整）",
        "E108",
    )
    raise _Stop


def _too_wide(table: Table, limits: Limits) -> None:
    _fail(table, f"名单超过 {limits.max_columns} 列，已拒绝读取；请删去多余的列", "E108")
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
            if unpacked > limits.max_unzipped_bytes:
                _fail(
                    table, f"XLSX 解压后超过 {limits.max_unzipped_bytes} 字节，已拒绝读取", "E108"
                )
                raise _Stop
            sheet = read_active_sheet(
                archive,
                max_rows=limits.max_recipients + 1,
                max_columns=limits.max_columns,
                max_part=limits.max_unzipped_bytes,
            )
    except _Stop:
        raise
    except XlsxError as exc:
        _fail(table, str(exc))
        raise _Stop from None
    except zipfile.BadZipFile:
        _fail(
            table,
            "不是有效的 .xlsx 文件（可能已损坏，或其实是其他格式）；请用 Excel 重新“另存为” .xlsx",
        )
        raise _Stop from None
    except Exception as exc:  # noqa: BLE001 - a damaged archive or XML raises many kinds
        _fail(table, f"无法读取 .xlsx 文件（{type(exc).__name__}）；请用 Excel 打开后重新保存")
        raise _Stop from None
    table.sheet = sheet.name
    for message in sheet.warnings:
        table.warnings.append(Finding(table.shown, "", WARNING, "W102", message))
    if sheet.too_many_rows:
        _too_many(table, limits)
    if sheet.too_many_columns:
        _too_wide(table, limits)
    for issue in sheet.issues:
        table.cell_error(issue.row, issue.column, issue.code, issue.message)
    bad = {(i.row, i.column) for i in sheet.issues}
    grid = []
    for number in sorted(sheet.rows):
        cells = sheet.rows[number]
        row = [None] * max(cells)
        for column, value in cells.items():
            row[column - 1] = None if (number, column) in bad else clean(value)
        hidden = [c for c, v in cells.items() if v is not None and c in sheet.hidden_columns]
        if number in sheet.hidden_rows:
            table.cell_error(
                number, None, "E113", "是隐藏的行，其中有数据；请在 Excel 中取消隐藏，或删除这一行"
            )
        elif hidden:
            table.cell_error(
                number,
                hidden[0],
                "E113",
                f"{column_letter(hidden[0])}列是隐藏的列，其中有数据；请在 Excel 中取消隐藏，或删除这一列",
            )
        if number in sheet.hidden_rows or hidden or any((number, c) in bad for c in cells):
            table.bad_rows.add(number)
        grid.append((number, row))
    return grid, sheet.merged


def _fill_merged(
    grid: list[tuple[int, list[Any]]],
    merged: list[tuple[int, int, int, int]],
    first: int,
    width: int,
) -> None:
    """Give every cell of a merged range (below the header row) the range's value.

    Only rows that hold data are visited (bisect), so a range merged down to
    row 1,048,576 costs what the rows of data cost.
    """
    by_number = {number: row for number, row in grid if number > first}
    numbers = sorted(by_number)
    for min_col, min_row, max_col, max_row in merged:
        top = by_number.get(min_row)
        if top is None or min_col - 1 >= len(top):
            continue
        value = top[min_col - 1]
        for number in numbers[
            bisect.bisect_left(numbers, min_row) : bisect.bisect_right(numbers, max_row)
        ]:
            row = by_number[number]
            last = min(max_col, width)
            if len(row) < last:
                row.extend([None] * (last - len(row)))
            for col in range(min_col, last + 1):
                if row[col - 1] is None:
                    row[col - 1] = value


# ------------------------------------------------------------------ rows


def header_key(cell: Any) -> str:
    """A column name as a key: NFKC, no invisible characters; Chinese names mapped."""
    text = unicodedata.normalize("NFKC", INVISIBLE.sub("", cell_text(cell))).strip()
    text = re.sub(r"\s*\.\s*", ".", text)
    if text.lower().split(".")[0] in ENGLISH_HEADERS:  # Name, TYPE, Limits.deaths_max
        head, dot, rest = text.partition(".")
        text = head.lower() + dot + rest
    return CHINESE_HEADERS.get(re.sub(r"\s+", "", text), text)


def _build_rows(
    table: Table,
    grid: list[tuple[int, list[Any]]],
    merged: list[tuple[int, int, int, int]],
    limits: Limits,
) -> None:
    if not grid:
        _fail(
            table,
            "名单文件是空的：第一行应为列名（单位名称、类型、签字人职务……），其下每行一个单位",
        )
        return
    header_number, header = grid[0]
    here = table.where(header_number)
    columns: list[tuple[int, list[str]]] = []
    seen: dict[str, int] = {}
    ok = True
    for index, cell in enumerate(header):
        if cell is None:
            continue
        key = header_key(cell)
        parts = [part.strip() for part in key.split(".")]
        if not all(parts):
            _fail(table, f"列名 “{key}” 有误：点号两边都应有键名", location=here)
            ok = False
            continue
        dotted = ".".join(parts)
        if dotted in seen:
            _fail(
                table,
                f"列名 “{cell_text(cell)}” 与{column_letter(seen[dotted] + 1)}列重复（都是 {dotted}）",
                location=table.where(header_number, index + 1),
            )
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
                    location=here,
                )
                ok = False
    if "name" not in seen:
        found = "、".join(seen) or "无"
        _fail(
            table,
            "缺少单位名称列（第一行应为列名，如 单位名称、类型、签字人职务、死亡人数控制指标、行业领域，"
            f"或 name、type、signer_title、limits.deaths_max、sectors；现有：{found}）",
            location=here,
        )
        ok = False
    covered: dict[int, str] = {}  # column (0-based) under a merged header cell → the range
    for min_col, min_row, max_col, max_row in merged:
        if min_row <= header_number <= max_row:
            ref = f"{column_letter(min_col)}{min_row}:{column_letter(max_col)}{max_row}"
            if max_row > header_number:
                _fail(
                    table,
                    f"列名所在的合并单元格 {ref} 延伸到了第{max_row}行，列名下面的数据无法分辨；"
                    "请取消合并，列名只占一行",
                    location=here,
                )
                ok = False
            for col in range(min_col + 1, min(max_col, limits.max_columns) + 1):
                covered[col - 1] = ref
    if not ok:
        return
    table.columns = {".".join(parts): index + 1 for index, parts in columns}
    body = grid[1:]
    if not body:
        _fail(table, "名单文件只有列名，没有任何单位")
        return
    if len(body) > limits.max_recipients:
        _too_many(table, limits)
    _unnamed_columns(table, header, body, {index for index, _ in columns}, covered)
    _fill_merged(
        grid, merged, header_number, len(header)
    )  # after: a merged data cell fills its own range
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


def _unnamed_columns(
    table: Table,
    header: list[Any],
    body: list[tuple[int, list[Any]]],
    named: set[int],
    covered: dict[int, str],
) -> None:
    """``E113`` for data in a column without a name: it would be dropped unseen."""
    for number, cells in body:
        for index, value in enumerate(cells):
            if value is None or index in named:
                continue
            if index in covered:
                why = f"这一列的列名与左边合并在了一起（合并单元格 {covered[index]}），不知道属于哪一项"
                fix = "请取消合并，给每一列写上自己的列名"
            elif index >= len(header) and not table.sheet:
                why = f"这一行的字段比列名行多（列名只有 {len(header)} 列）"
                fix = "单位名称中有逗号时，请给整个名称加英文双引号，或改用顿号“、”"
            else:
                why = "这一列没有列名"
                fix = "请在第一行写上列名（如“备注”），或删除这一列的内容"
            shown = cell_text(value)
            shown = shown if len(shown) <= 20 else shown[:20] + "…"
            table.cell_error(number, index + 1, "E113", f"有数据“{shown}”，但{why}；{fix}")
            table.bad_rows.add(number)


def _control_chars(table: Table, number: int, key: str, value: str) -> None:
    """``E109`` for a cell holding characters a Word document cannot hold (as in YAML)."""
    found = sorted({f"U+{ord(ch):04X}" for ch in BAD_CHARS.findall(value)})
    table.cell_error(
        number,
        table.columns.get(key),
        "E109",
        f"含有不可见的控制字符 {'、'.join(found)}，Word 文档无法容纳；"
        "请删除（常见于从微信或旧 Word 文件粘贴的文字）",
        key,
    )
