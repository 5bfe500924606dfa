"""One worksheet of an .xlsx file → cell values, read in bounded time and memory.

The workbook's parts are streamed with expat (a DOCTYPE or entity declaration
is refused: an .xlsx never has one), so that:

* the sheet read is the **active** sheet (the tab shown when the file was
  saved); a hidden active sheet is an error, other visible sheets are named in
  a warning, hidden sheets are never read;
* rows are read up to the last row holding a value, however far the sheet is
  formatted: chunks of the sheet XML with no value, formula or merge in them
  are parsed by expat without Python callbacks (a sheet formatted to row
  1,048,576 takes about two seconds of CPU; bench/xlsx_formatted.py);
* what a cell holds is known exactly: a formula without a saved result, an
  error value (``#N/A``, ``#REF!`` …), a hidden row or column with data, and a
  number of thousands of digits are reported by cell (:class:`CellIssue`),
  never read as blank, as the error's text or crash ``int()``.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import xml.parsers.expat
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:  # an .xlsx is opened by tables.py: no zipfile at start-up
    import zipfile

#: Excel's error values; a cell holding one (typed or computed) is never a name or a number.
ERROR_VALUES = frozenset(
    {"#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}
    | {"#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"}
)
CHUNK = 1 << 20  # bytes of sheet XML looked at per step
MAX_PARTS = 10_000  # sheets of a workbook, relationships of a part
MAX_SMALL_PART = 16 * 1024 * 1024  # workbook.xml, relationships, styles: bytes
MAX_MERGES = 10_000  # merged ranges of a sheet
_MARKER = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?(?:v|is|f|mergeCell|col)[\s>/]|hidden\s*=\s*[\"'](?:1|true)"
)
_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")
_INT = re.compile(r"^[+-]?\d+$")
_MAX_INT_DIGITS = 15  # beyond this a number stays the digits typed, for the schema to judge


class XlsxError(Exception):
    """The workbook cannot be used; the message is for the user (Chinese)."""


@dataclass(frozen=True)
class CellIssue:
    row: int
    column: int  # 1-based
    code: str
    message: str


@dataclass
class SheetData:
    name: str
    rows: dict[int, dict[int, Any]] = field(default_factory=dict)  # row → column → value
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # min_col, min_row, …
    issues: list[CellIssue] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)
    too_many_rows: bool = False
    too_many_columns: bool = False


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: str) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


_LOCALS: dict[str, str] = {}


def _local(name: str) -> str:
    """``ns local`` → ``local`` (memoised: a sheet has few element names; at most 1,000 kept)."""
    local = _LOCALS.get(name)
    if local is None:
        local = name.rsplit(" ", 1)[-1]
        if len(_LOCALS) < 1000:
            _LOCALS[name] = local
    return local


def _refuse_dtd(*_: Any) -> None:
    raise XlsxError("文件中含有 DTD 声明（.xlsx 文件不会有），已拒绝读取")


def _parser() -> Any:
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.buffer_text = True
    return parser


def _visit(data: bytes, visit: Callable[[tuple[str, ...], dict[str, str]], None]) -> None:
    """Call ``visit(path of local names, attributes)`` for every element of a small part.

    Nothing is kept but what ``visit`` keeps, so a part of a million elements
    costs no more memory than its own bytes.
    """
    stack: list[str] = []
    parser = _parser()

    def start(name: str, attrs: dict[str, str]) -> None:
        stack.append(_local(name))
        visit(tuple(stack), {_local(k): v for k, v in attrs.items()})

    def end(name: str) -> None:
        stack.pop()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.Parse(data, True)


class _Book:
    def __init__(self, archive: zipfile.ZipFile, max_part: int):
        self.archive = archive
        self.max_part = max_part
        self.names = set(archive.namelist())

    def read(self, name: str) -> bytes:
        info = self.archive.getinfo(name)
        if info.file_size > min(self.max_part, MAX_SMALL_PART):
            raise XlsxError(f"工作簿部件 {name} 过大（{info.file_size} 字节），已拒绝读取")
        return self.archive.read(name)

    def rels(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id → (type's last word, target part) for ``part``."""
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        if rels_name not in self.names:
            return {}
        out: dict[str, tuple[str, str]] = {}

        def visit(path: tuple[str, ...], attrs: dict[str, str]) -> None:
            if path[-1] != "Relationship" or attrs.get("TargetMode") == "External":
                return
            if len(out) >= MAX_PARTS:
                raise XlsxError(f"工作簿的关系（{rels_name}）超过 {MAX_PARTS} 条，已拒绝读取")
            target = attrs.get("Target", "")
            if target.startswith("/"):
                target = target[1:]
            else:
                target = posixpath.normpath(posixpath.join(folder, target))
            out[attrs.get("Id", "")] = (attrs.get("Type", "").rsplit("/", 1)[-1], target)

        _visit(self.read(rels_name), visit)
        return out


def _workbook_part(book: _Book) -> str:
    for kind, target in book.rels("").values():
        if kind == "officeDocument" and target in book.names:
            return target
    if "xl/workbook.xml" in book.names:
        return "xl/workbook.xml"
    raise XlsxError("找不到工作簿内容（xl/workbook.xml），文件可能已损坏")


@dataclass
class ActiveSheet:
    """What a workbook says about its active sheet before the sheet is read."""

    archive: zipfile.ZipFile
    name: str
    target: str  # the worksheet part
    warnings: list[str]
    strings: Strings
    dates: set[int]
    date1904: bool


def open_active_sheet(archive: zipfile.ZipFile, *, max_part: int) -> ActiveSheet:
    """Choose the active worksheet and read the workbook's small parts (shared strings,
    date styles); :class:`XlsxError` when the workbook cannot be used."""
    book = _Book(archive, max_part)
    workbook = _workbook_part(book)
    rels = book.rels(workbook)
    sheets: list[dict[str, str]] = []
    view: dict[str, Any] = {"active": 0, "date1904": False}

    def visit(path: tuple[str, ...], attrs: dict[str, str]) -> None:
        if path[-1] == "sheet" and "sheets" in path:
            if len(sheets) >= MAX_PARTS:
                raise XlsxError(f"工作簿中的工作表超过 {MAX_PARTS} 张，已拒绝读取")
            sheets.append(attrs)
        elif path == (path[0], "bookViews", "workbookView") and "activeTab" in attrs:
            if view.get("seen"):
                return  # the first window is the one the file opens in
            view["seen"] = True
            try:
                view["active"] = int(attrs["activeTab"])
            except ValueError:
                view["active"] = 0
        elif path[-1] == "workbookPr":
            view["date1904"] = attrs.get("date1904", "").lower() in ("1", "true")

    _visit(book.read(workbook), visit)
    active, date1904 = view["active"], view["date1904"]
    if not sheets:
        raise XlsxError("工作簿中没有工作表")
    if not 0 <= active < len(sheets):
        active = 0
    chosen = sheets[active]
    name = chosen.get("name", f"第{active + 1}张")
    if chosen.get("state", "visible") in ("hidden", "veryHidden"):
        raise XlsxError(
            f"当前工作表“{name}”是隐藏的，不会读取隐藏的工作表；"
            "请在 Excel 中取消隐藏，把名单放在打开文件时显示的工作表上再保存"
        )
    kind, target = rels.get(chosen.get("id", ""), ("", ""))
    if kind != "worksheet" or target not in book.names:
        raise XlsxError(f"当前工作表“{name}”不是普通的表格（可能是图表），请把名单放在表格中")
    others = [
        s.get("name", "")
        for i, s in enumerate(sheets)
        if i != active and s.get("state", "visible") not in ("hidden", "veryHidden")
    ]
    hidden = [
        s.get("name", "") for s in sheets if s.get("state", "visible") in ("hidden", "veryHidden")
    ]
    warnings = []
    if hidden:
        listed = "、".join(f"“{h}”" for h in hidden)
        warnings.append(f"工作簿中有隐藏的工作表 {listed}，没有读取；只读取了工作表“{name}”")
    if others:
        listed = "、".join(f"“{o}”" for o in others)
        warnings.append(
            f"工作簿中有多张工作表，只读取了当前工作表“{name}”（打开文件时显示的那一张），"
            f"没有读取 {listed}；如果名单不在“{name}”上，请切换到名单所在的工作表后保存"
        )
    strings = _shared_strings(book, rels)
    dates = _date_styles(book, rels)
    return ActiveSheet(archive, name, target, warnings, strings, dates, date1904)


def read_active_sheet(
    archive: zipfile.ZipFile,
    *,
    max_rows: int,
    max_columns: int,
    max_part: int,
) -> SheetData:
    """The active worksheet's values; :class:`XlsxError` when the workbook cannot be used."""
    active = open_active_sheet(archive, max_part=max_part)
    sheet = SheetData(active.name, warnings=list(active.warnings))
    _SheetReader(sheet, active.strings, active.dates, active.date1904, max_rows, max_columns).read(
        lambda: archive.open(active.target)
    )
    return sheet


class Strings:
    """The shared strings of a workbook, kept compactly: UTF-8 bytes and their offsets.

    A list of ``str`` costs about 50 bytes of object header per string; a sheet of
    100,000 distinct names keeps 3 MB here instead of 8 MB. Indexed like a list.
    """

    def __init__(self) -> None:
        self._blob = bytearray()
        self._ends = array("Q")

    def append(self, text: str) -> None:
        self._blob += text.encode("utf-8", "surrogatepass")
        self._ends.append(len(self._blob))

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, index: int) -> str:
        ends = self._ends
        if index < 0:
            index += len(ends)
        if not 0 <= index < len(ends):
            raise IndexError(index)
        start = ends[index - 1] if index else 0
        return self._blob[start : ends[index]].decode("utf-8", "surrogatepass")


def _shared_strings(book: _Book, rels: dict[str, tuple[str, str]]) -> Strings:
    strings = Strings()
    target = next((t for k, t in rels.values() if k == "sharedStrings"), None)
    if target is None or target not in book.names:
        return strings
    parts: list[str] = []
    state = {"t": 0, "rph": 0}
    parser = _parser()

    def start(name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "si":
            parts.clear()
        elif local == "t":
            state["t"] += 1
        elif local == "rPh":
            state["rph"] += 1

    def end(name: str) -> None:
        local = _local(name)
        if local == "si":
            strings.append("".join(parts))
        elif local == "t":
            state["t"] -= 1
        elif local == "rPh":
            state["rph"] -= 1

    def chars(text: str) -> None:
        if state["t"] and not state["rph"]:
            parts.append(text)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    with book.archive.open(target) as stream:
        _feed(parser, stream)
    return strings


def _feed(parser: Any, stream: IO[bytes]) -> None:
    while True:
        block = stream.read(CHUNK)
        if not block:
            break
        parser.Parse(block, False)
    parser.Parse(b"", True)


def _date_styles(book: _Book, rels: dict[str, tuple[str, str]]) -> set[int]:
    """Indexes of the cell formats (``s``) that show a date."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

    target = next((t for k, t in rels.values() if k == "styles"), None)
    if target is None or target not in book.names:
        return set()
    custom: dict[int, str] = {}
    xfs: list[int] = []

    def visit(path: tuple[str, ...], attrs: dict[str, str]) -> None:
        try:
            if path[-1] == "numFmt":
                custom[int(attrs.get("numFmtId", "-1"))] = attrs.get("formatCode", "")[:200]
            elif path[-1] == "xf" and len(path) >= 2 and path[-2] == "cellXfs":
                xfs.append(int(attrs.get("numFmtId", "0")))
        except ValueError:
            xfs.append(0)

    _visit(book.read(target), visit)
    out = set()
    known: dict[int, bool] = {}
    for index, fmt_id in enumerate(xfs):
        code = custom.get(fmt_id, BUILTIN_FORMATS.get(fmt_id, "General"))
        if fmt_id not in known:
            known[fmt_id] = is_date_format(code)
        if known[fmt_id]:
            out.add(index)
    return out


class _Stop(Exception):
    pass


class Unordered(Exception):
    """The sheet's rows are not in increasing order: it cannot be streamed row by row."""


@dataclass
class SheetRow:
    """One row holding a value, as streamed: column → value, its cells' issues, hidden."""

    number: int
    cells: dict[int, Any]
    issues: list[CellIssue]
    hidden: bool


class SheetRows:
    """The active sheet read row by row, in memory that does not grow with the rows.

    ``rows()`` may be called again for another pass. After a whole pass,
    ``merged``, ``hidden_columns``, ``too_many_rows`` and ``too_many_columns``
    hold what the sheet says (merged ranges follow the rows in the XML).
    A row or cell without its ``r`` position raises :data:`Implicit` unless
    ``strict`` is set (the exact, slower reading).
    """

    def __init__(self, active: ActiveSheet, *, max_rows: int, max_columns: int):
        self.active = active
        self.max_rows = max_rows
        self.max_columns = max_columns
        self.strict = False
        self.sheet = SheetData(active.name)

    def rows(self) -> Iterator[SheetRow]:
        """One pass; :class:`Implicit` when a row or cell has no ``r`` and ``strict`` is off
        (set ``strict`` and read again from the start)."""
        self.sheet = SheetData(self.active.name)
        reader = _SheetReader(
            self.sheet,
            self.active.strings,
            self.active.dates,
            self.active.date1904,
            self.max_rows,
            self.max_columns,
        )
        reader.chunk = 64 * 1024  # rows are handed out per block: keep blocks small
        yield from reader.stream(
            lambda: self.active.archive.open(self.active.target), strict=self.strict
        )

    @property
    def merged(self) -> list[tuple[int, int, int, int]]:
        return self.sheet.merged

    @property
    def hidden_columns(self) -> set[int]:
        return self.sheet.hidden_columns

    @property
    def too_many_rows(self) -> bool:
        return self.sheet.too_many_rows

    @property
    def too_many_columns(self) -> bool:
        return self.sheet.too_many_columns


class _Implicit(Exception):
    """A row or cell without its ``r`` position: read again, every element seen."""


Implicit = _Implicit


class _SheetReader:
    def __init__(
        self,
        sheet: SheetData,
        strings: Strings,
        dates: set[int],
        date1904: bool,
        max_rows: int,
        max_columns: int,
    ):
        self.sheet = sheet
        self.strings = strings
        self.dates = dates
        self.date1904 = date1904
        self.max_rows = max_rows
        self.max_columns = max_columns
        self.ordered = False  # raise Unordered on a row out of order (streaming)
        self.chunk = CHUNK

    def read(self, open_stream: Callable[[], IO[bytes]]) -> None:
        try:
            self._read(open_stream, skip=True)
        except _Implicit:
            self.sheet.rows.clear()
            self.sheet.issues.clear()
            self.sheet.merged.clear()
            self.sheet.hidden_rows.clear()
            self.sheet.hidden_columns.clear()
            self._read(open_stream, skip=False)

    def stream(
        self, open_stream: Callable[[], IO[bytes]], *, strict: bool = False
    ) -> Iterator[SheetRow]:
        """The rows holding a value, one at a time, as they are read (see :class:`SheetRows`).

        Raises :class:`Unordered` when the rows are not in increasing order and
        ``_Implicit`` (without ``strict``) when a row or cell has no ``r``.
        """
        self.ordered = True
        for _ in self._blocks(open_stream, skip=not strict):
            yield from self._flush(final=False)
        yield from self._flush(final=True)

    def _flush(self, *, final: bool) -> Iterator[SheetRow]:
        rows = self.sheet.rows
        if not rows and not self.sheet.issues:
            return
        done = [n for n in rows if final or n < self.row]
        issues = self.sheet.issues
        kept: list[CellIssue] = []
        by_row: dict[int, list[CellIssue]] = {}
        for issue in issues:
            if final or issue.row < self.row:
                by_row.setdefault(issue.row, []).append(issue)
            else:
                kept.append(issue)
        self.sheet.issues = kept
        hidden = self.sheet.hidden_rows
        for number in sorted(set(done) | set(by_row)):
            yield SheetRow(number, rows.pop(number, {}), by_row.get(number, []), number in hidden)
        if hidden:
            self.sheet.hidden_rows = {r for r in hidden if not final and r >= self.row}

    def _reset(self) -> None:
        self.row = 0
        self.col = 0
        self.cell: dict[str, Any] | None = None
        self.text: list[str] | None = None
        self.in_is = 0
        self.in_rph = 0
        self.strict = False
        self.count = 0  # rows holding a value
        self.last = 0  # the highest such row

    def _read(self, open_stream: Callable[[], IO[bytes]], *, skip: bool) -> None:
        self.ordered = False
        for _ in self._blocks(open_stream, skip=skip):
            pass

    def _blocks(self, open_stream: Callable[[], IO[bytes]], *, skip: bool) -> Iterator[None]:
        """Feed the sheet XML to expat; blocks without a value are parsed without callbacks.

        A block is parsed with the handlers on when it holds a value, formula,
        inline text, column, merge or hidden-row marker, or when a cell is still
        open. Otherwise it holds only valueless cells and rows, and expat reads
        it in C; the block is cut before its last ``<`` and the tail carried into
        the next one, so that a cell whose start tag ends this block and whose
        value starts the next is seen whole. Yields after each block.
        """
        self._reset()
        self.strict = not skip
        parser = _parser()

        def switch(on: bool) -> None:
            parser.StartElementHandler = self.start if on else None
            parser.EndElementHandler = self.end if on else None
            parser.CharacterDataHandler = self.chars if on else None

        carry = b""
        live = True
        switch(True)
        with open_stream() as stream:
            try:
                while True:
                    block = stream.read(self.chunk)
                    data = carry + block
                    carry = b""
                    if not block:
                        switch(True)
                        parser.Parse(data, True)
                        return
                    on = (
                        not skip
                        or self.cell is not None
                        or self.in_is > 0
                        or bool(_MARKER.search(data))
                    )
                    cut = _cut(data, on)
                    if cut >= 0 and len(data) - cut > 4 * CHUNK:
                        skip = False  # a tag longer than four blocks: the rest the slow way
                        on = True
                    elif cut >= 0:
                        data, carry = data[:cut], data[cut:]
                    if on != live:
                        switch(on)
                        live = on
                    parser.Parse(data, False)
                    yield
            except _Stop:
                return

    # ---------------------------------------------------------------- handlers

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = _local(name)
        if local == "c":
            ref = attrs.get("r")
            if ref:
                match = _CELL_REF.match(ref)
                if match is None:
                    raise XlsxError(f"工作表中的单元格位置 “{ref[:20]}” 无效，文件可能已损坏")
                self.col = _column_index(match.group(1))
                self.row = int(match.group(2))
            elif not self.strict:
                raise _Implicit
            else:
                self.col += 1
            self.cell = {"t": attrs.get("t", "n"), "s": attrs.get("s", "0"), "v": None, "f": None}
        elif self.cell is not None and local in ("v", "f", "t"):
            if local == "t" and (not self.in_is or self.in_rph):
                return
            self.text = []
        elif local == "is":
            self.in_is += 1
        elif local == "rPh":
            self.in_rph += 1
        elif local == "row":
            ref = attrs.get("r")
            if ref and ref.isdigit():
                self.row = int(ref)
            elif not self.strict:
                raise _Implicit
            else:
                self.row += 1
            self.col = 0
            if attrs.get("hidden", "").lower() in ("1", "true"):
                self.sheet.hidden_rows.add(self.row)
        elif local == "col":
            if attrs.get("hidden", "").lower() in ("1", "true"):
                try:
                    low, high = int(attrs.get("min", "0")), int(attrs.get("max", "0"))
                except ValueError:
                    return
                high = min(high, self.max_columns + 1)
                self.sheet.hidden_columns.update(range(max(low, 1), high + 1))
        elif local == "mergeCell":
            bounds = _range(attrs.get("ref", ""))
            if bounds is not None:
                if len(self.sheet.merged) >= MAX_MERGES:
                    raise XlsxError(
                        f"工作表中的合并单元格超过 {MAX_MERGES} 处，已拒绝读取；请取消不必要的合并"
                    )
                self.sheet.merged.append(bounds)

    def chars(self, text: str) -> None:
        if self.text is not None:
            self.text.append(text)

    def end(self, name: str) -> None:
        local = _local(name)
        cell = self.cell
        if local in ("v", "f", "t") and cell is not None and self.text is not None:
            joined = "".join(self.text)
            if local == "t":
                cell["v"] = (cell["v"] or "") + joined
            else:
                cell[local] = joined
            self.text = None
        elif local == "is":
            self.in_is = max(self.in_is - 1, 0)
        elif local == "rPh":
            self.in_rph = max(self.in_rph - 1, 0)
        elif local == "c" and cell is not None:
            self.cell = None
            self.store(cell)

    # ---------------------------------------------------------------- values

    def issue(self, code: str, message: str) -> None:
        self.sheet.issues.append(CellIssue(self.row, self.col, code, message))

    def store(self, cell: dict[str, Any]) -> None:
        value = self.value(cell)
        if value is None or (isinstance(value, str) and not value.strip()):
            return
        if self.col > self.max_columns:
            self.sheet.too_many_columns = True
            return
        row = self.sheet.rows.get(self.row)
        if row is None:
            if self.count > self.max_rows:
                self.sheet.too_many_rows = True
                raise _Stop
            if self.ordered and self.row <= self.last:
                raise Unordered
            self.count += 1
            self.last = max(self.last, self.row)
            row = self.sheet.rows[self.row] = {}
        row[self.col] = value

    def value(self, cell: dict[str, Any]) -> Any:
        kind, text, formula = cell["t"], cell["v"], cell["f"]
        if formula is not None and not text and not (kind == "str" and text == ""):
            shown = formula if len(formula) <= 30 else formula[:30] + "…"
            self.issue(
                "E113",
                f"是公式“={shown}”，但文件中没有保存它的计算结果（文件可能由其他程序生成，"
                "未经 Excel 计算）；请用 Excel 打开后保存，或把公式改为数值",
            )
            return "#公式"
        if text is None:
            return None
        if kind == "e" or text.strip() in ERROR_VALUES:
            self.issue(
                "E113",
                f"是错误值 {text.strip()[:20]}（公式出错或引用失效）；请在 Excel 中改正后保存",
            )
            return text
        if kind == "s":
            try:
                return self.strings[int(text)]
            except (ValueError, IndexError):
                self.issue("E113", "引用了不存在的共享文字，文件可能已损坏")
                return "#共享文字"
        if kind in ("str", "inlineStr"):
            return text
        if kind == "b":
            return text.strip() in ("1", "true")
        if kind == "d":
            return text
        return self.number(text.strip(), cell["s"])

    def number(self, text: str, style: str) -> Any:
        if not text:
            return None
        if _INT.match(text):
            if len(text.lstrip("+-").lstrip("0")) > _MAX_INT_DIGITS:
                return text  # the digits typed; the schema refuses them where a number is due
            number: Any = int(text)
        else:
            try:
                number = float(text)
            except ValueError:
                self.issue("E113", f"数值 “{text[:20]}” 无效，文件可能已损坏")
                return text
            if number.is_integer() and abs(number) < 1e15:
                number = int(number)
        try:
            is_date = int(style) in self.dates
        except ValueError:
            is_date = False
        if is_date:
            from openpyxl.utils.datetime import from_excel

            try:
                epoch = dt.datetime(1904, 1, 1) if self.date1904 else None
                return from_excel(number, epoch) if epoch else from_excel(number)
            except (OverflowError, ValueError, TypeError):
                return number
        return number


_CELL_OPEN = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s>]")


def _cut(data: bytes, live: bool) -> int:
    """Where a block is cut (-1: nowhere); what follows goes to the next block.

    Every block is cut before a tag it leaves unfinished, so that expat never
    holds half a tag when the handlers are switched. A block without values is
    also cut before a cell start tag that ends it (``<c r="A6">`` whose value is
    in the next block), so that such a cell is parsed with the handlers on.
    """
    cut = data.rfind(b"<")
    if cut < 0 or data.find(b">", cut) >= 0:
        cut = len(data)  # no unfinished tag
    before = data[:cut].rstrip()
    if not live and before.endswith(b">") and not before.endswith(b"/>"):
        start = before.rfind(b"<")
        if start >= 0 and _CELL_OPEN.match(before, start):
            cut = start
    return -1 if cut == len(data) else cut


def _range(ref: str) -> tuple[int, int, int, int] | None:
    parts = ref.split(":")
    if len(parts) == 1:
        parts = parts * 2
    if len(parts) != 2:
        return None
    found = [_CELL_REF.match(p) for p in parts]
    if None in found:
        return None
    (a, b) = found  # type: ignore[misc]
    return (
        _column_index(a.group(1)),
        int(a.group(2)),
        _column_index(b.group(1)),
        int(b.group(2)),
    )
