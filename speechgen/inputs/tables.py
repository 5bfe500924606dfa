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
import codecs
import csv
import dataclasses
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ..errors import ERROR, WARNING, Finding, NeedsFirstLook, SpeechgenError
from ..memo import Memo
from .limits import ENV, Limits
from .names import INVISIBLE
from .xlsx import (
    ERROR_VALUES,
    Implicit,
    SheetRow,
    SheetRows,
    Unordered,
    XlsxError,
    column_letter,
    open_active_sheet,
    read_active_sheet,
)
from .yamlread import BAD_CHARS, decode, open_limited, read_limited

_SPACES = re.compile(r"^[\s\u3000\u00a0\ufeff\u200b]+|[\s\u3000\u00a0\ufeff\u200b]+$")

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


CLEANED_MAX = 1024
_CLEANED: Memo[str, str | None] = Memo(CLEANED_MAX)  # a sheet repeats most of its cells
CLEANED_CHARS = 64  # longer cells are cleaned each time (never kept)


def clean(value: Any) -> Any:
    """Strip stray spaces and invisible characters; empty text is None."""
    if isinstance(value, str):
        got = _CLEANED.get(value, False)
        if got is False and (got := _CLEANED.recall(value, False)) is False:
            got = _SPACES.sub("", INVISIBLE.sub("", value)) or None
            if len(value) <= CLEANED_CHARS:
                _CLEANED.keep(value, got)
        return got
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
    import zipfile  # only for an .xlsx (a cold start reads YAML)

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


def _read_header(
    table: Table,
    header_number: int,
    header: list[Any],
    merged: list[tuple[int, int, int, int]],
    limits: Limits,
) -> tuple[list[tuple[int, list[str]]], dict[int, str]] | None:
    """The header row's columns (index, key parts) and the columns under a merged header
    cell (index → its range); None, told in ``table``, when the header is not usable."""
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
        return None
    return columns, covered


def _unnamed_message(
    index: int, value: Any, header: list[Any], covered: dict[int, str], sheet: str
) -> str:
    """``E113``'s message for data in a column without a name."""
    if index in covered:
        why = f"这一列的列名与左边合并在了一起（合并单元格 {covered[index]}），不知道属于哪一项"
        fix = "请取消合并，给每一列写上自己的列名"
    elif index >= len(header) and not sheet:
        why = f"这一行的字段比列名行多（列名只有 {len(header)} 列）"
        fix = "单位名称中有逗号时，请给整个名称加英文双引号，或改用顿号“、”"
    else:
        why = "这一列没有列名"
        fix = "请在第一行写上列名（如“备注”），或删除这一列的内容"
    shown = cell_text(value)
    shown = shown if len(shown) <= 20 else shown[:20] + "…"
    return f"有数据“{shown}”，但{why}；{fix}"


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
    read = _read_header(table, header_number, header, merged, limits)
    if read is None:
        return
    columns, covered = read
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
            message = _unnamed_message(index, value, header, covered, table.sheet)
            table.cell_error(number, index + 1, "E113", message)
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


# ------------------------------------------------------------------ streaming


def _name_column(header: list[Any]) -> int | None:
    """The index of the ``name`` column in a header row as the grid gives it, or None."""
    keys = [header_key(c) if c is not None else None for c in header]
    return keys.index("name") if "name" in keys else None


def _grid_value(cell: str) -> Any:
    """A CSV cell as the grid gives it: cleaned, an error value (#N/A) left out."""
    v = clean(cell)
    return None if isinstance(v, str) and v in ERROR_VALUES else v


class _Passing(list):
    """The problems of a row passed by (:meth:`TableStream.rows`): never looked for."""


PASSING: list[Finding] = _Passing()


@dataclass
class BodyRow:
    """One row of a table as streamed: its recipient's fields (``data``, empty when the
    row holds nothing under a named column) and the problems of its cells, in the
    order :func:`read_table` reports them (cell values, hidden, unnamed columns, E109)."""

    number: int
    data: dict[str, Any]
    raw: dict[str, str]
    problems: list[Finding]
    bad: bool  # a cell of the row is E113: a missing value is not also 缺少


class TableStream:
    """A CSV or XLSX table read one row at a time, in memory that does not grow with the rows.

    Creating it reads the file once (:meth:`_scan`): encoding, header, row count,
    merged ranges, and the problems of the file as a whole (``errors``, ``warnings``,
    as :class:`Table` has them). Every iteration reads the file afresh and yields :class:`BodyRow`:
    first the header row when its cells have problems (with empty ``data``), then
    every body row. A sheet whose rows are out of order in the XML is read whole
    instead (``whole``), as :func:`read_table` does.
    """

    def __init__(
        self,
        path: Path,
        limits: Limits,
        shown: str | None = None,
        keep: bool = False,
        quick: bool = False,
    ):
        self.path = path
        # keep: the first pass keeps its rows for the first iteration (one read, memory
        # as read_table's: for load_job's list, not for a stream)
        self._keep = keep
        self._kept: list[tuple[int, list[Any], list[Finding], bool]] | None = None
        self.shown = shown if shown is not None else str(path)
        self.limits = limits
        self.errors: list[Finding] = []
        self.warnings: list[Finding] = []
        self.sheet = ""
        self.columns: dict[str, int] = {}
        self.whole = False
        self._kind = ""
        self._codec = "utf-8"
        self._delimiter = ","
        self._active: Any = None
        self._strict = False
        self._merged: list[tuple[int, int, int, int]] = []
        self._hidden_columns: set[int] = set()
        self._header_number = 0
        self._header: list[Any] = []
        self._named: list[tuple[int, list[str]]] = []
        self._covered: dict[int, str] = {}
        self._wide = False
        self._line = 1
        self._rows: Any = None
        self._scanned = False
        #: the first look read the header only (``quick``): each read of the rows checks
        #: the rest, and raises NeedsFirstLook where the whole first look was needed
        self.deferred = False
        self._last: Any = None  # the SheetRows of the latest read (deferred XLSX)
        suffix = path.suffix.lower()
        table = Table(path, self.shown)  # collects the file's problems as read_table does
        try:
            if suffix in CSV_SUFFIXES:
                self._kind = "csv"
                if not (quick and not keep and self._quick_scan(table)):
                    self._scan(table)
            elif suffix in XLSX_SUFFIXES:
                self._kind = "xlsx"
                if not (quick and not keep and self._quick_scan(table)):
                    self._scan(table)
            elif suffix == ".xls":
                _fail(
                    table,
                    "不支持旧版 Excel（.xls）文件；请在 Excel 中“另存为” .xlsx 或 CSV（UTF-8）",
                )
            else:
                _fail(
                    table, f"不支持的名单文件类型 “{path.suffix or path.name}”：应为 .xlsx 或 .csv"
                )
        except _Stop:
            pass
        self.errors = table.errors
        self.warnings = table.warnings
        self.sheet = table.sheet

    # -------------------------------------------------------------- where

    def label(self, number: int) -> str:
        return f"{self.path.name} 第{number}行"

    def where(self, row: int, column: int | None = None) -> str:
        sheet = f"工作表“{self.sheet}”" if self.sheet else ""
        col = f"{column_letter(column)}列" if column else ""
        return f"{sheet}第{row}行{col}"

    def _problem(self, row: int, column: int | None, code: str, message: str, key: str = ""):
        return Finding(self.shown, self.where(row, column), ERROR, code, message, key)

    # -------------------------------------------------------------- the first pass

    def _quick_scan(self, table: Table) -> bool:
        """The first look of a stream whose rows are first read by a batch's workers: the
        header only. True: done, ``deferred`` set; the rest (row count, width, a CSV's
        format, an XLSX's row order and merged ranges, which follow the rows in its
        XML) is checked by each read of the rows (:meth:`_deferred_end`). False (the
        table said nothing yet): the whole first look is needed, or tells a problem
        this one would not tell exactly (the header's, or the file's)."""
        scratch = Table(self.path, self.shown)
        grid = self._csv_scan(scratch) if self._kind == "csv" else self._grid(scratch, scan=True)
        try:
            header = next(grid, None)
        except (Implicit, Unordered, _Stop, csv.Error):
            header = None
        finally:
            grid.close()
        if header is None or scratch.errors or self._wide:
            return self._unscanned()
        if self._kind == "xlsx":
            rows = self._rows
            if rows.too_many_columns or rows.merged:
                return self._unscanned()
            self._hidden_columns = set(rows.hidden_columns)
            self._rows = None
            self._active = dataclasses.replace(self._active, archive=None)
        self._header_number, self._header = header[0], header[1]
        if not self._check_header(scratch) or scratch.errors:
            return self._unscanned()
        table.warnings.extend(scratch.warnings)
        table.sheet = scratch.sheet
        self._scanned = self.deferred = True
        return True

    def _unscanned(self) -> bool:
        """Undo a quick scan's partial state before the whole first look."""
        self._rows = self._active = None
        self._strict = self.whole = self._wide = False
        self._named, self._covered, self.columns = [], {}, {}
        self._header_number, self._header, self._hidden_columns = 0, [], set()
        return False

    def _deferred_end(self, count: int) -> None:
        """After a whole read of a deferred table's rows (``count``: rows with data, the
        header's included): what the whole first look would have refused."""
        rows = self._last
        if (
            count < 2
            or count - 1 > self.limits.max_recipients
            or self._wide
            or (rows is not None and (rows.too_many_rows or rows.too_many_columns or rows.merged))
        ):
            raise NeedsFirstLook

    def _scan(self, table: Table) -> None:
        while True:
            try:
                count = self._scan_rows(table)
                break
            except Implicit:
                self._strict = True  # rows or cells without r: read exactly, from the start
            except Unordered:
                self.whole = True  # rows out of order: read whole, as read_table does
        if self._kind == "csv" and self._wide:
            _too_wide(table, self.limits)
        if self._kind == "xlsx":
            rows = self._rows
            if rows.too_many_rows:
                _too_many(table, self.limits)
            if rows.too_many_columns:
                _too_wide(table, self.limits)
            self._merged = list(rows.merged)
            self._hidden_columns = set(rows.hidden_columns)
            self._rows = None  # what later passes need is kept above (and the source pickles)
            self._active = dataclasses.replace(self._active, archive=None)
        self._scanned = True
        if count == 0:
            _fail(
                table,
                "名单文件是空的：第一行应为列名（单位名称、类型、签字人职务……），其下每行一个单位",
            )
            return
        if not self._check_header(table):
            return
        if count == 1:
            _fail(table, "名单文件只有列名，没有任何单位")
            return
        if count - 1 > self.limits.max_recipients:
            _too_many(table, self.limits)

    def _scan_rows(self, table: Table) -> int:
        count = 0
        kept = self._kept = [] if self._keep else None
        # nothing of a row is kept but its name: a CSV's rows are then only looked at
        grid = (
            self._csv_scan(table)
            if self._kind == "csv" and kept is None
            else self._grid(table, scan=True)
        )
        try:
            for item in grid:
                number, row = item[0], item[1]
                if kept is not None:
                    kept.append(item)
                count += 1
                if count == 1:
                    self._header_number, self._header = number, row
                    continue
                if self._kind == "csv" and count > self.limits.max_recipients + 1:
                    _too_many(table, self.limits)
        except csv.Error as exc:
            _fail(table, f"CSV 格式错误：{_csv_problem(exc)}", location=f"第{self._line}行")
            raise _Stop from None
        return count

    def _check_header(self, table: Table) -> bool:
        """The header row's checks, those of :func:`_build_rows` (:func:`_read_header`)."""
        read = _read_header(table, self._header_number, self._header, self._merged, self.limits)
        if read is None:
            return False
        self._named, self._covered = read
        self.columns = {".".join(parts): index + 1 for index, parts in self._named}
        return True

    # -------------------------------------------------------------- the grid

    def _grid(
        self, table: Table, *, scan: bool = False, passing: Callable[[int], bool] | None = None
    ) -> Iterator[tuple[int, list[Any], list[Finding], bool]]:
        """(row number, cells with bad ones None, problems of its cells, bad) per row with data.

        ``passing(k)`` true: the k-th recipient row (0-based, the header not counted) is
        passed by, and comes as ``(number, PASSING, [name], False)`` — only where that is
        exact (a CSV file: no merged cells can fill its name)."""
        if self._kept is not None and not scan:
            kept, self._kept = self._kept, None
            yield from kept
        elif self._kind == "csv":
            yield from self._csv_grid(table, scan, passing)
        else:
            yield from self._xlsx_grid(table, scan)

    def _passing(self, record: list[str], named: list[int], at: int) -> tuple[bool, Any]:
        """Whether ``record`` holds a recipient (a value under a named column, as
        :meth:`_body_row` finds it), and its name cell as the grid would give it."""

        n = len(record)
        if not any(_grid_value(record[i]) is not None for i in named if i < n):
            return False, None
        return True, _grid_value(record[at]) if 0 <= at < n else None

    def _csv_grid(
        self, table: Table, scan: bool, passing: Callable[[int], bool] | None = None
    ) -> Iterator[tuple[int, list[Any], list[Finding], bool]]:
        limits = self.limits
        if scan:
            self._start_csv_scan(table)
        named = sorted(index for index, _ in self._named) if passing is not None else []
        at = self.columns.get("name", 0) - 1
        seen = 0  # rows yielded (the header is the first)
        recipients = 0  # rows yielded with a value under a named column
        with self._open_text() as text:
            reader = csv.reader(text, delimiter=self._delimiter)
            line = 1
            for record in reader:
                if passing is not None and seen and passing(recipients):
                    holds, name = self._passing(record, named, at)
                    if holds:
                        seen += 1
                        recipients += 1
                        yield line, [name], PASSING, False
                        line = reader.line_num + 1
                        self._line = line
                        continue
                row = [clean(cell) for cell in record]
                if len(row) > limits.max_columns:
                    if any(v is not None for v in row[limits.max_columns :]):
                        self._wide = True
                    row = row[: limits.max_columns]
                if any(v is not None for v in row):
                    problems: list[Finding] = []
                    bad = False
                    for index, value in enumerate(row):
                        if isinstance(value, str) and value in ERROR_VALUES:
                            problems.append(
                                self._problem(line, index + 1, "E113", _error_value(value))
                            )
                            bad = True
                            row[index] = None
                    if seen and any(row[i] is not None for i in named if i < len(row)):
                        recipients += 1
                    seen += 1
                    yield line, row, problems, bad
                line = reader.line_num + 1
                self._line = line

    def _csv_scan(self, table: Table) -> Iterator[tuple[int, list[Any]]]:
        """The first pass over a CSV whose rows are not kept: ``(line, row)`` for every row
        with data, as :meth:`_csv_grid` gives them to :meth:`_scan_rows`, which reads the
        header and the name cell of the others. So only the name cell of a body row is
        cleaned (the others only when it is empty, to tell whether the row has data);
        the cells of a body row are not checked (E113 and the rest come with its read)."""
        limits = self.limits
        self._start_csv_scan(table)
        at: int | None = None  # the name column, once the header is read
        most = limits.max_columns  # cells beyond are not read (E108 when they hold data)
        with self._open_text() as text:
            reader = csv.reader(text, delimiter=self._delimiter)
            line = 1
            for record in reader:
                if len(record) > most and not self._wide:
                    self._wide = any(clean(c) is not None for c in record[most:])
                if at is None:  # the header: the first row with data, whole
                    if any(clean(cell) is not None for cell in record[:most]):
                        row = [_grid_value(cell) for cell in record[:most]]
                        found = _name_column(row)
                        at = -1 if found is None else found
                        yield line, row
                else:
                    name = clean(record[at]) if 0 <= at < len(record) else None
                    if name is not None or any(clean(c) is not None for c in record[:most]):
                        row: list[Any] = [None] * (at + 1)
                        if name is not None and name not in ERROR_VALUES:
                            row[at] = name
                        yield line, row
                line = reader.line_num + 1
                self._line = line

    def _start_csv_scan(self, table: Table) -> None:
        """A first pass begins: the file's encoding and delimiter, nothing read yet."""
        self._wide = False
        self._line = 1
        self._csv_codec(table)
        with self._open_text() as text:
            self._delimiter = _sniff_delimiter(text)

    def _open_text(self) -> IO[str]:
        return open(self.path, encoding=self._codec, newline="")

    def _csv_codec(self, table: Table) -> None:
        """The encoding, decided as :func:`decode` decides it; the text is not kept."""
        limits = self.limits
        try:
            handle = open_limited(
                self.path, limits.max_table_bytes, env_var=ENV["max_table_bytes"], shown=self.shown
            )
        except SpeechgenError as exc:
            for finding in exc.findings:
                code = "E108" if finding.code == "E108" else "E111"
                _fail(table, finding.message, code)
            raise _Stop from None
        with handle:
            head = handle.read(4)
            if head.startswith(b"PK\x03\x04"):
                _fail(table, "文件扩展名是 CSV，内容却是 Excel/ZIP 文件；请改用 .xlsx 扩展名")
                raise _Stop
            plain = not head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff"))
            handle.seek(0)
            decoder = codecs.getincrementaldecoder("utf-8")()
            try:
                while plain:
                    block = handle.read(1 << 16)  # small blocks: a flat peak
                    if b"\x00" in block:
                        plain = False
                        break
                    decoder.decode(block, final=not block)
                    if not block:
                        break
            except UnicodeDecodeError:
                plain = False
            if plain:
                self._codec = "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"
                return
            handle.seek(0)
            data = handle.read(limits.max_table_bytes + 1)
        # not plain UTF-8: decode() decides on the whole bytes (once), as read_table does
        try:
            _text, found = decode(data, self.shown)
        except SpeechgenError as exc:
            for finding in exc.findings:
                _fail(table, finding.message)
            raise _Stop from None
        del _text
        table.warnings.extend(found)
        if found:
            self._codec = "gb18030"
        elif data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
            self._codec = "utf-32"
        elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            self._codec = "utf-16"
        else:
            self._codec = "utf-8-sig"

    def _xlsx_grid(
        self, table: Table, scan: bool
    ) -> Iterator[tuple[int, list[Any], list[Finding], bool]]:
        limits = self.limits
        if scan:
            size = self.path.stat().st_size if self.path.exists() else 0
            if size > limits.max_table_bytes:
                _fail(
                    table,
                    f"文件过大：超过上限 {limits.max_table_bytes} 字节"
                    f"（可用环境变量 {ENV['max_table_bytes']} 调整）",
                    "E108",
                )
                raise _Stop
        import zipfile  # only for an .xlsx

        try:
            with zipfile.ZipFile(self.path) as archive:
                if scan and self._active is None:  # once, also when the scan restarts
                    unpacked = sum(info.file_size for info in archive.infolist())
                    if unpacked > limits.max_unzipped_bytes:
                        _fail(
                            table,
                            f"XLSX 解压后超过 {limits.max_unzipped_bytes} 字节，已拒绝读取",
                            "E108",
                        )
                        raise _Stop
                    self._active = open_active_sheet(archive, max_part=limits.max_unzipped_bytes)
                    table.sheet = self._active.name
                    for message in self._active.warnings:
                        table.warnings.append(Finding(table.shown, "", WARNING, "W102", message))
                    self.sheet = table.sheet
                active = dataclasses.replace(self._active, archive=archive)
                if scan:
                    rows = self._scan_sheet(active)
                else:
                    rows = self._sheet_rows(active)
                for srow in rows:
                    yield self._xlsx_row(srow)
        except (_Stop, Implicit, Unordered):
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

    def _scan_sheet(self, active: Any) -> Iterator[SheetRow]:
        limits = self.limits
        rows = SheetRows(active, max_rows=limits.max_recipients + 1, max_columns=limits.max_columns)
        rows.strict = self._strict
        self._rows = rows
        if self.whole:
            yield from self._whole_rows(active)
        else:
            yield from rows.rows()

    def _sheet_rows(self, active: Any) -> Iterator[SheetRow]:
        if self.whole:
            yield from self._whole_rows(active)
            return
        limits = self.limits
        rows = SheetRows(active, max_rows=limits.max_recipients + 1, max_columns=limits.max_columns)
        rows.strict = self._strict
        self._last = rows
        yield from rows.rows()

    def _whole_rows(self, active: Any) -> Iterator[SheetRow]:
        limits = self.limits
        sheet = read_active_sheet(
            active.archive,
            max_rows=limits.max_recipients + 1,
            max_columns=limits.max_columns,
            max_part=limits.max_unzipped_bytes,
        )

        class _Whole:  # what SheetRows tells after a pass
            too_many_rows = sheet.too_many_rows
            too_many_columns = sheet.too_many_columns
            merged = sheet.merged
            hidden_columns = sheet.hidden_columns

        self._rows = _Whole
        issues: dict[int, list[Any]] = {}
        for issue in sheet.issues:
            issues.setdefault(issue.row, []).append(issue)
        for number in sorted(set(sheet.rows) | set(issues)):
            yield SheetRow(
                number,
                sheet.rows.get(number, {}),
                issues.get(number, []),
                number in sheet.hidden_rows,
            )

    def _xlsx_row(self, srow: SheetRow) -> tuple[int, list[Any], list[Finding], bool]:
        number, cells = srow.number, srow.cells
        problems = [
            self._problem(number, issue.column, issue.code, issue.message) for issue in srow.issues
        ]
        bad_columns = {issue.column for issue in srow.issues}
        row: list[Any] = [None] * max(cells) if cells else []
        for column, value in cells.items():
            row[column - 1] = None if column in bad_columns else clean(value)
        hidden_columns = self._hidden_columns if self._scanned else self._rows.hidden_columns
        hidden = [c for c, v in cells.items() if v is not None and c in hidden_columns]
        if srow.hidden:
            problems.append(
                self._problem(
                    number,
                    None,
                    "E113",
                    "是隐藏的行，其中有数据；请在 Excel 中取消隐藏，或删除这一行",
                )
            )
        elif hidden:
            problems.append(
                self._problem(
                    number,
                    hidden[0],
                    "E113",
                    f"{column_letter(hidden[0])}列是隐藏的列，其中有数据；请在 Excel 中取消隐藏，或删除这一列",
                )
            )
        bad = srow.hidden or bool(hidden) or any(c in bad_columns for c in cells)
        return number, row, problems, bad

    # -------------------------------------------------------------- iteration

    def __iter__(self) -> Iterator[BodyRow]:
        return self.rows()

    def rows(self, passing: Callable[[int], bool] | None = None) -> Iterator[BodyRow]:
        """The rows; ``passing(k)`` true: the k-th recipient row (0-based) is only passed
        by (a worker naming a row another one writes), and may come with its ``name``
        alone, unchecked, and no ``raw`` or problems (see :meth:`_grid`)."""
        if self.errors:
            return
        table = Table(self.path, self.shown, sheet=self.sheet)
        merges = _MergeFill(self._merged, self._header_number, len(self._header))
        named = {index for index, _ in self._named}
        first = True
        count = 0  # rows with data, the header's included
        deferred = self.deferred
        most = self.limits.max_recipients + 1
        try:
            for number, row, problems, bad in self._grid(table, passing=passing):
                count += 1
                if first:
                    first = False
                    if problems:
                        yield BodyRow(number, {}, {}, problems, bad)
                    continue
                if deferred and count > most:
                    raise NeedsFirstLook  # E108, told by the whole first look
                if problems is PASSING:
                    yield BodyRow(number, {"name": row[0]}, {}, [], False)
                    continue
                yield self._body_row(number, row, problems, bad, named, merges)
            if deferred:
                self._deferred_end(count)
        except csv.Error as exc:
            if deferred:
                raise NeedsFirstLook from None
            # the file changed since it was first read
            yield BodyRow(
                self._line,
                {},
                {},
                [self._problem(self._line, None, "E111", f"CSV 格式错误：{_csv_problem(exc)}")],
                True,
            )
        except _Stop:
            if deferred:
                raise NeedsFirstLook from None
            for finding in table.errors:
                yield BodyRow(0, {}, {}, [finding], True)
        except (Implicit, Unordered):
            if deferred:  # (the whole first look finds them, and reads the sheet as they ask)
                raise NeedsFirstLook from None
            raise

    def _body_row(
        self,
        number: int,
        row: list[Any],
        problems: list[Finding],
        bad: bool,
        named: set[int],
        merges: _MergeFill,
    ) -> BodyRow:
        header = self._header
        for index, value in enumerate(row):  # data in a column without a name
            if value is None or index in named:
                continue
            message = _unnamed_message(index, value, header, self._covered, self.sheet)
            problems.append(self._problem(number, index + 1, "E113", message))
            bad = True
        merges.fill(number, row)
        data: dict[str, Any] = {}
        raw: dict[str, str] = {}
        for index, parts in self._named:
            value = row[index] if index < len(row) else None
            if value is None:
                continue
            if isinstance(value, str) and BAD_CHARS.search(value):
                key = ".".join(parts)
                found = sorted({f"U+{ord(ch):04X}" for ch in BAD_CHARS.findall(value)})
                problems.append(
                    self._problem(
                        number,
                        self.columns.get(key),
                        "E109",
                        f"含有不可见的控制字符 {'、'.join(found)}，Word 文档无法容纳；"
                        "请删除（常见于从微信或旧 Word 文件粘贴的文字）",
                        key,
                    )
                )
            target = data
            for part in parts[:-1]:
                target = target.setdefault(part, {})
            target[parts[-1]] = value
            raw[".".join(parts)] = cell_text(value)
        return BodyRow(number, data, raw, problems, bad)


def _sniff_delimiter(text: IO[str]) -> str:
    """The delimiter of :func:`_csv_rows`: the most frequent of , TAB ; ， on the first non-blank line."""
    buffer = ""
    first = ""
    while True:
        block = text.read(1 << 16)
        buffer += block
        lines = buffer.splitlines()
        done = not block
        complete = lines if done else lines[:-1]
        found = next((line for line in complete if line.strip()), None)
        if found is not None:
            first = found
            break
        if done:
            break
        if len(lines) > 1:
            buffer = lines[-1]  # every complete line was blank
    delimiter = max([",", "\t", ";", "，"], key=first.count) if first else ","
    if first.count(delimiter) == 0:
        delimiter = ","
    return delimiter


class _MergeFill:
    """:func:`_fill_merged` one row at a time: rows come in increasing order."""

    def __init__(self, merged: list[tuple[int, int, int, int]], first: int, width: int):
        # ranges whose top row is below the header, in order of top row; the index keeps
        # the file's order, in which overlapping ranges are applied
        self.pending = sorted((r[1], index, r) for index, r in enumerate(merged) if r[1] > first)
        self.width = width
        self.active: list[tuple[int, tuple[int, int, int, int]]] = []
        self.tops: dict[int, Any] = {}
        self.next = 0

    def fill(self, number: int, row: list[Any]) -> None:
        if not self.pending:
            return
        while self.next < len(self.pending) and self.pending[self.next][0] <= number:
            _, index, bounds = self.pending[self.next]
            self.active.append((index, bounds))
            self.next += 1
        if not self.active:
            return
        self.active = [(i, b) for i, b in self.active if b[3] >= number]
        self.active.sort()
        for index, (min_col, min_row, max_col, _max_row) in self.active:
            if number == min_row:
                if min_col - 1 >= len(row):
                    continue  # skipped, as a top row too short is
                self.tops[index] = row[min_col - 1]
            if index not in self.tops:
                continue  # the top row holds no data: nothing to fill
            value = self.tops[index]
            last = min(max_col, self.width)
            if len(row) < last:
                row.extend([None] * (last - len(row)))
            for col in range(min_col, last + 1):
                if row[col - 1] is None:
                    row[col - 1] = value
