"""The recipients of a letter job as a stream: one checked row at a time.

:class:`RecipientSource` is made by :func:`~.jobs.load_job` for a letter job. It
knows, cheaply, the problems of the recipients as a whole (``findings``); each
iteration reads the list afresh — from the job's YAML (:mod:`.yamlstream`) or its
CSV/XLSX table (:class:`~.tables.TableStream`) — and yields :class:`RecipientRow`
objects, checked with :data:`~.schema.RECIPIENT` as ``load_job`` always did.

Memory per iteration does not grow with the rows but for the duplicate check
(``E110``, :class:`~.names.Duplicates`: 8 bytes a row). Nothing looks at the
names before the rows are read (a batch's workers start at once): a duplicate is
told once the last row is read, as a row of its own (:attr:`RecipientRow.late`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from yaml.nodes import Node

from ..errors import ERROR, Finding
from .limits import ENV, Limits
from .names import Duplicates
from .schema import RECIPIENT, Ctx
from .tables import TableStream
from .xlsx import column_letter
from .yamlread import Tree, _Converter, fmt_position, parent_path
from .yamlstream import StreamedList, iter_items


@dataclass
class RecipientRow:
    """One recipient as read and checked.

    ``number`` is 1-based (``recipients[number]``); 0 for a table row that holds no
    recipient but has problems of its own (data only in an unnamed column, a header
    cell that cannot be read): ``data`` is then None and ``findings`` has errors.
    ``data`` is the checked mapping with ``_row`` set, None when ``findings`` has an
    error. ``location`` is (file shown, where) of the row: ``line:col`` of the item
    in the YAML, ``工作表“名单”第5行`` in a table. ``late``: the duplicate check's
    error (E110) of row ``number``, told after the last row (``data`` is None).
    """

    number: int
    data: dict[str, Any] | None
    findings: list[Finding]
    location: tuple[str, str]
    late: bool = False


class RecipientSource:
    """The recipients of one letter job; every iteration reads the file afresh, in memory
    that does not grow with the number of rows."""

    #: not None when the list was not read before its rows (``load_job(quick=True)``):
    #: each read then checks it (:class:`~speechgen.errors.NeedsFirstLook`)
    deferred: Any = None

    def __init__(self, limits: Limits, findings: list[Finding] | None = None):
        self.limits = limits
        self.findings: list[Finding] = findings if findings is not None else []

    @property
    def ok(self) -> bool:
        return not any(f.is_error for f in self.findings)

    def __iter__(self) -> Iterator[RecipientRow]:
        return self.rows()

    def rows(self, want: Callable[[int], bool] | None = None) -> Iterator[RecipientRow]:
        """The rows; ``want(number - 1)`` false: only the row's ``name`` is checked (its
        ``data`` holds just ``name`` and ``_row``, its findings are not looked for) —
        for a worker passing by rows another one writes. Every row's name counts for
        the duplicate check (E110); a wanted row whose name an earlier one has comes
        again after the last row, ``late``, with the error."""
        if self.ok:
            dups = Duplicates()
            yield from self._rows(want, dups)
            # where: (number, the row's location, locate, the argument that locates its name)
            for (number, location, locate, at), message in dups.late(self._names_of):
                file, where, key = locate(at)
                finding = Finding(file, where, ERROR, "E110", message, key)
                yield RecipientRow(number, None, [finding], location, late=True)

    def _rows(
        self, want: Callable[[int], bool] | None = None, dups: Duplicates | None = None
    ) -> Iterator[RecipientRow]:
        return iter(())

    def _names_of(self, numbers: set[int]) -> dict[int, tuple[str, str]]:
        """(label, name as typed) of rows ``numbers``, read again (names only)."""
        found: dict[int, tuple[str, str]] = {}
        last = max(numbers)
        for row in self._rows(_nothing):
            if row.number in numbers and row.data is not None:
                found[row.number] = (row.data["_row"], row.data["name"])
            if row.number >= last:
                break
        return found


def _nothing(_index: int) -> bool:
    return False


_NAME = RECIPIENT.fields["name"]


def _name_only(value: Any, prefix: str, ctx: Ctx) -> dict[str, Any] | None:
    """A row passed by: its checked name alone (as the full check gives it), or None."""
    if not isinstance(value, dict):
        return None
    name = _NAME.check(value.get("name"), f"{prefix}.name", ctx)
    return {"name": name} if isinstance(name, str) else None


def _finish(row_findings: list[Finding], checked: Any) -> dict[str, Any] | None:
    if not isinstance(checked, dict) or any(f.is_error for f in row_findings):
        return None
    return checked


# ------------------------------------------------------------------ inline YAML


class _Inline(RecipientSource):
    """Items of the job's ``recipients:`` list: ``items()`` gives (number, value,
    locate, raw, converter errors) per item."""

    def __init__(self, limits: Limits, shown: str, count: int, mappings: int):
        super().__init__(limits)
        self.shown = shown
        self.count = count
        self.mappings = mappings

    def items(
        self, want: Callable[[int], bool] | None = None
    ) -> Iterator[tuple[int, Any, Any, Any, list[Finding]]]:
        return iter(())

    def _rows(
        self, want: Callable[[int], bool] | None = None, dups: Duplicates | None = None
    ) -> Iterator[RecipientRow]:
        for number, value, locate, raw, errors in self.items(want):
            prefix = f"recipients[{number}]"
            findings = list(errors)
            ctx = Ctx(self.limits, locate, raw, findings)
            checked: Any = None
            if want is not None and not want(number - 1):
                checked = _name_only(value, prefix, ctx)
                if checked is not None:
                    checked["_row"] = prefix
                    if dups is not None:
                        dups.see(number, checked["name"])
                yield RecipientRow(number, checked, [], ("", ""))
                continue
            if value is None:
                ctx.add("E101", prefix, "列表项是空的")
            else:
                checked = RECIPIENT.check(value, prefix, ctx)
            if number == self.count and not self.mappings:
                ctx.add("E102", "recipients", "recipients 是空列表：至少要有一个乙方单位")
            shown, where, _ = locate(prefix)
            if isinstance(checked, dict):
                checked["_row"] = prefix
                name = checked.get("name")
                if isinstance(name, str) and dups is not None:
                    dups.see(
                        number, name, prefix, (number, (shown, where), locate, f"{prefix}.name")
                    )
            yield RecipientRow(number, _finish(findings, checked), findings, (shown, where))


def inline_checks(source: _Inline, locate: Any) -> None:
    """The list's own problems: empty, or longer than ``max_recipients``."""
    limits = source.limits
    ctx = Ctx(limits, locate, lambda p: None, source.findings)
    if source.count == 0:
        ctx.add("E102", "recipients", "recipients 是空列表：至少要有一个乙方单位")
    elif source.count > limits.max_recipients:
        ctx.add(
            "E108",
            "recipients",
            f"列表共 {source.count} 项，超过上限 {limits.max_recipients} 项"
            f"（可用环境变量 {ENV['max_recipients']} 调整）",
        )


class InlineTree(_Inline):
    """The list of a YAML file read whole (``stream=False``, or the fallback)."""

    def __init__(self, tree: Tree, limits: Limits):
        items = tree.data.get("recipients")
        super().__init__(
            limits,
            str(tree.path),
            len(items),
            sum(isinstance(i, dict) for i in items),
        )
        self.tree = tree
        self.errors: dict[int, list[Finding]] = {}
        for finding in tree.errors:
            number = _item_number(finding.key)
            if number is not None:
                self.errors.setdefault(number, []).append(finding)
        inline_checks(self, self.locate)

    def owned(self, finding: Finding) -> bool:
        """Whether a finding of the tree belongs to an item (reported with its row)."""
        return _item_number(finding.key) is not None

    def locate(self, key_path: str) -> tuple[str, str, str]:
        return self.shown, self.tree.locate(key_path), key_path

    def items(
        self, want: Callable[[int], bool] | None = None
    ) -> Iterator[tuple[int, Any, Any, Any, list[Finding]]]:
        raw = self.tree.raw.get
        for number, value in enumerate(self.tree.data["recipients"], 1):
            yield number, value, self.locate, raw, self.errors.get(number, [])


def _item_number(key: str) -> int | None:
    if not key.startswith("recipients["):
        return None
    end = key.find("]")
    text = key[len("recipients[") : end]
    return int(text) if text.isdigit() else None


class InlineStream(_Inline):
    """The list of a YAML file read one item at a time (:mod:`.yamlstream`)."""

    def __init__(self, path: Path, head: Tree, streamed: StreamedList, limits: Limits):
        super().__init__(limits, str(head.path), streamed.count, streamed.mappings)
        self.path = path
        self.head = head
        # a list its head did not read: each read checks it (the counts are then -1)
        self.deferred = streamed if streamed.deferred else None
        inline_checks(self, self.locate_head)

    def locate_head(self, key_path: str) -> tuple[str, str, str]:
        return self.shown, self.head.locate(key_path), key_path

    def items(
        self, want: Callable[[int], bool] | None = None
    ) -> Iterator[tuple[int, Any, Any, Any, list[Finding]]]:
        converter = _Converter(self.limits, self.shown)
        head = self.head
        node: Node
        for number, node in enumerate(
            iter_items(self.path, self.limits, want=want, deferred=self.deferred), 1
        ):
            converter.positions = positions = {}
            converter.raw = {}
            converter.errors = []
            converter.scalars = []
            converter.seen_scalars = set()
            converter.count = 0
            prefix = f"recipients[{number}]"
            value = converter.convert(node, prefix, 2, node.start_mark)

            def locate(key_path: str, positions: dict = positions) -> tuple[str, str, str]:
                path = key_path
                while path:
                    if path in positions:
                        return self.shown, fmt_position(positions[path]), key_path
                    path = parent_path(path)
                return self.shown, head.locate(key_path), key_path

            yield number, value, locate, converter.raw.get, converter.errors


# ------------------------------------------------------------------ CSV / XLSX


class TableSource(RecipientSource):
    """The rows of a ``recipients_file``."""

    def __init__(
        self, table_path: Path, limits: Limits, *, keep: bool = False, quick: bool = False
    ):
        super().__init__(limits)
        self.table = TableStream(table_path, limits, str(table_path), keep=keep, quick=quick)
        # the table's first look read its header only: each read checks the rest
        self.deferred = self.table if self.table.deferred else None
        self.findings.extend(self.table.warnings)
        self.findings.extend(self.table.errors)

    def _rows(
        self, want: Callable[[int], bool] | None = None, dups: Duplicates | None = None
    ) -> Iterator[RecipientRow]:
        table = self.table
        name_column = table.columns.get("name")
        column = f"{column_letter(name_column)}列" if name_column is not None else ""

        def name_at(where: str) -> tuple[str, str, str]:
            return table.shown, where + column, "name"

        count = 0
        passing = None if want is None else (lambda k: not want(k))
        # a row passed by: its name is all that is read, and its findings are dropped
        passed = Ctx(self.limits, _nowhere(table.shown), _no_raw, [])
        for row in table.rows(passing):
            if not row.data:
                where = table.where(row.number) if row.number else ""
                yield RecipientRow(0, None, row.problems, (table.shown, where))
                continue
            count += 1
            if want is not None and not want(count - 1):
                passed.findings.clear()
                checked = _name_only(row.data, "recipients[]", passed)
                if checked is not None:
                    checked["_row"] = table.label(row.number)
                    if dups is not None:
                        dups.see(count, checked["name"])
                yield RecipientRow(count, checked, [], (table.shown, ""))
                continue
            where = table.where(row.number) if row.number else ""
            prefix = f"recipients[{count}]"
            findings = row.problems
            ctx = Ctx(
                self.limits,
                _row_locator(table, row.number, prefix),
                _row_raw(row.raw, prefix),
                findings,
            )
            before = len(findings)
            checked = RECIPIENT.check(row.data, prefix, ctx)
            if row.bad:  # a value left out as E113 is not also 缺少
                findings[before:] = [f for f in findings[before:] if f.code != "E102"]
            if isinstance(checked, dict):
                checked["_row"] = table.label(row.number)
                name = checked.get("name")
                if isinstance(name, str) and dups is not None:
                    location = (table.shown, where)
                    dups.see(count, name, checked["_row"], (count, location, name_at, where))
            yield RecipientRow(count, _finish(findings, checked), findings, (table.shown, where))


def _nowhere(shown: str) -> Callable[[str], tuple[str, str, str]]:
    return lambda key_path: (shown, "", "")


def _no_raw(key_path: str) -> str | None:
    return None


def _row_locator(
    table: TableStream, number: int, prefix: str
) -> Callable[[str], tuple[str, str, str]]:
    def locate(key_path: str) -> tuple[str, str, str]:
        key = key_path[len(prefix) + 1 :] if key_path.startswith(prefix + ".") else ""
        column = None
        path = key
        while path and column is None:  # limits.deaths_max, or sectors[2] → sectors
            column = table.columns.get(path)
            path = parent_path(path)
        return table.shown, table.where(number, column), key

    return locate


def _row_raw(raw: dict[str, str], prefix: str) -> Callable[[str], str | None]:
    def get(key_path: str) -> str | None:
        if key_path.startswith(prefix + "."):
            return raw.get(key_path[len(prefix) + 1 :])
        return None

    return get
