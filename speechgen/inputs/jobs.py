"""``load_job``: one YAML job file (and its recipients table) → a checked :class:`Job`.

Every error of the file is collected and raised together as one
:class:`UserError`; its findings are sorted by position and also carry the
warnings. A job that loads has only warnings (``job.warnings``).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ERROR, Finding, UserError
from .limits import Limits
from .schema import (
    INVALID,
    NOTICE,
    RECIPIENT,
    SCHEMAS,
    TYPE,
    Ctx,
)
from .yamlread import Tree, fmt_position, parent_path, read_yaml, read_yaml_text

if TYPE_CHECKING:  # .tables and .xlsx are imported where a job has recipients
    from .tables import Table


@dataclass
class Job:
    """A checked job: ``data`` mirrors spec/INPUT.md, normalised (docs/ARCHITECTURE.md)."""

    type: str
    data: dict[str, Any]
    path: Path
    warnings: list[Finding] = field(default_factory=list)
    positions: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False)
    rows: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False)

    def position(self, key_path: str) -> str:
        """``line:col`` (1-based) where ``key_path`` was written, e.g. ``accidents[2].deaths``.

        List indexes are 1-based. A key that was not written (a default, an
        inherited batch value) gives its nearest written parent's position;
        rows read from a table, and unknown paths, give ``""``.
        """
        _, location = self.locate(key_path)
        return location if ":" in location else ""

    def locate(self, key_path: str) -> tuple[str, str]:
        """(file, location) for a finding: YAML ``line:col`` or a table's ``第5行``."""
        path = key_path
        while path:
            if path in self.rows:
                return self.rows[path]
            if path in self.positions:
                return str(self.path), fmt_position(self.positions[path])
            path = parent_path(path)
        return str(self.path), ""

    def finding(self, key_path: str, code: str, message: str, severity: str = ERROR) -> Finding:
        """A located finding about ``key_path`` (composers use it for per-row errors)."""
        file, location = self.locate(key_path)
        key = key_path
        prefix = next((p for p in self.rows if key_path == p or key_path.startswith(p + ".")), "")
        if prefix:
            key = key_path[len(prefix) + 1 :]
        return Finding(file, location, severity, code, message, key)


def load_job(path: str | Path, *, limits: Limits | None = None) -> Job:
    """Load and check one job file; raise :class:`UserError` with every error found."""
    limits = limits if limits is not None else Limits.from_env()
    path = Path(path)
    return _check_tree(read_yaml(path, limits, str(path)), limits)


def load_job_text(text: str, path: str | Path, *, limits: Limits | None = None) -> Job:
    """Like :func:`load_job` for text not (yet) on disk, as if it were the file ``path``.

    Messages name ``path``; a relative ``recipients_file`` is read from its folder.
    """
    limits = limits if limits is not None else Limits.from_env()
    path = Path(path)
    return _check_tree(read_yaml_text(text, path, limits, str(path)), limits)


def _check_tree(tree: Tree, limits: Limits) -> Job:
    path = tree.path
    shown = str(path)
    ctx = Ctx(limits, _yaml_locator(tree), lambda p: tree.raw.get(p))
    ctx.findings.extend(tree.warnings)
    ctx.findings.extend(tree.errors)
    data = tree.data
    rows: dict[str, tuple[str, str]] = {}

    job_type = None
    if data.get("type") is None:
        ctx.add("E102", "type", f"缺少必填项（{TYPE.hint()}）")
    else:
        checked = TYPE.check(data["type"], "type", ctx)
        job_type = None if checked is INVALID else checked

    result: dict[str, Any] = {}
    if job_type == "notice" and data.get("batch") is not None:
        result = _load_batch(tree, ctx)
    elif job_type is not None:
        result = SCHEMAS[job_type].check(data, "", ctx)
        if job_type == "letter" and isinstance(result, dict):
            _load_recipients(tree, result, ctx, rows)

    findings = _ordered(ctx.findings, shown)
    if any(f.is_error for f in findings) or job_type is None:
        raise UserError(findings=findings)
    return Job(
        job_type,
        result,
        path,
        [f for f in findings if not f.is_error],
        dict(tree.positions),
        rows,
    )


def _yaml_locator(tree: Tree):
    shown = str(tree.path)

    def locate(key_path: str) -> tuple[str, str, str]:
        return shown, tree.locate(key_path), key_path

    return locate


def _ordered(findings: list[Finding], main: str) -> list[Finding]:
    """Unique findings, the YAML file's by position first, then tables' by row."""
    unique = list(dict.fromkeys(findings))

    def key(item: tuple[int, Finding]) -> tuple[Any, ...]:
        index, finding = item
        numbers = [int(n) for n in re.findall(r"\d+", finding.location)] or [0]
        return (finding.path != main, finding.path, numbers, index)

    return [f for _, f in sorted(enumerate(unique), key=key)]


# ------------------------------------------------------------------ notice batch


def deep_merge(base: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``entry`` on top: mappings merge recursively, the entry wins."""
    out = copy.deepcopy(base)
    for key, value in entry.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _load_batch(tree: Tree, ctx: Ctx) -> dict[str, Any]:
    data = tree.data
    shown = str(tree.path)
    base = {key: value for key, value in data.items() if key != "batch"}
    entries = NOTICE.fields["batch"].check(data["batch"], "batch", ctx)
    if entries is INVALID or not isinstance(entries, list):
        return {}
    numbered = [(n, e) for n, e in enumerate(data["batch"], 1) if isinstance(e, dict)]
    entries = [e for _, e in numbered]
    if not entries:
        ctx.add("E102", "batch", "batch 是空列表：至少要有一个条目，或删除 batch")

    required = [key for key, spec in NOTICE.fields.items() if spec.required]
    missing_everywhere = {
        key
        for key in required
        if base.get(key) is None and all(entry.get(key) is None for entry in entries)
    }
    for key in sorted(missing_everywhere):
        ctx.add(
            "E102",
            key,
            f"缺少必填项（{NOTICE.fields[key].hint() or '文件或每个 batch 条目中都要有'}）",
        )

    # the shared part: types and values, but not required keys (entries may supply them)
    base_ctx = ctx.sub(ctx.locate, ctx.raw)
    base_ctx.skip_required = set(required)
    result = NOTICE.check(base, "", base_ctx)
    result.pop("batch", None)

    merged_list = []
    for number, entry in numbered:
        prefix = f"batch[{number}]"
        for key in ("type", "batch"):
            if key in entry:
                ctx.add("E101", f"{prefix}.{key}", f"batch 的条目中不能有 “{key}”")
        entry = {k: v for k, v in entry.items() if k not in ("type", "batch")}
        entry_ctx = ctx.sub(_batch_locator(tree, shown, prefix), _batch_raw(tree, prefix))
        entry_ctx.skip_required = set(missing_everywhere)
        merged = NOTICE.check(deep_merge(base, entry), "", entry_ctx)
        if isinstance(merged, dict):
            merged.pop("batch", None)
            merged["_row"] = prefix
            merged_list.append(merged)
    result["batch"] = merged_list
    return result


def _batch_locator(tree: Tree, shown: str, prefix: str):
    def locate(key_path: str) -> tuple[str, str, str]:
        path = key_path
        while True:
            entry_path = f"{prefix}.{path}" if path else prefix
            if entry_path in tree.positions:
                return shown, tree.locate(entry_path), f"{prefix}.{key_path}"
            if path and path in tree.positions:
                return shown, tree.locate(path), key_path
            if not path:
                return shown, tree.locate(prefix), f"{prefix}.{key_path}"
            path = parent_path(path)

    return locate


def _batch_raw(tree: Tree, prefix: str):
    def raw(key_path: str) -> str | None:
        own = tree.raw.get(f"{prefix}.{key_path}")
        return own if own is not None else tree.raw.get(key_path)

    return raw


# ------------------------------------------------------------------ letter recipients


def _load_recipients(
    tree: Tree, result: dict[str, Any], ctx: Ctx, rows: dict[str, tuple[str, str]]
) -> None:
    inline = result.get("recipients")
    file_value = result.get("recipients_file")
    if inline is None and file_value is None:
        ctx.add(
            "E102",
            "recipients",
            "缺少必填项：乙方单位写在 recipients 列表中，或用 recipients_file 指定名单文件",
        )
        return
    if inline is not None and file_value is not None:
        ctx.add("E111", "recipients_file", "recipients 与 recipients_file 只能二选一")
        return
    labels: list[str] = []
    if inline is not None:
        if not isinstance(inline, list):
            return
        recipients = [r for r in inline if isinstance(r, dict)]
        for number, recipient in enumerate(recipients, 1):
            recipient["_row"] = f"recipients[{number}]"
            labels.append(f"recipients[{number}]")
        if not recipients and isinstance(tree.data.get("recipients"), list):
            ctx.add("E102", "recipients", "recipients 是空列表：至少要有一个乙方单位")
        _check_duplicates(recipients, ctx, lambda i: f"recipients[{i + 1}].name")
        return
    if not isinstance(file_value, str):
        return
    table_path = Path(file_value)
    if not table_path.is_absolute():
        table_path = tree.path.parent / table_path
    if not table_path.is_file():
        where = "不是文件" if table_path.exists() else "不存在"
        ctx.add(
            "E111",
            "recipients_file",
            f"名单文件 “{file_value}” {where}（相对路径以 YAML 文件所在文件夹为准：{table_path}）",
        )
        return
    from .tables import read_table

    table = read_table(table_path, ctx.limits, str(table_path))
    ctx.findings.extend(table.warnings)
    for finding in table.errors:
        ctx.findings.append(finding)
    if table.errors:
        return
    ctx.findings.extend(table.problems)
    recipients = []
    for number, row in enumerate(table.rows, 1):
        prefix = f"recipients[{number}]"
        rows[prefix] = (table.shown, table.where(row.number))
        row_ctx = ctx.sub(_row_locator(table, row, prefix), _row_raw(row, prefix))
        before = len(ctx.findings)
        checked = RECIPIENT.check(row.data, prefix, row_ctx)
        if row.number in table.bad_rows:  # a value left out as E113 is not also 缺少
            ctx.findings[before:] = [f for f in ctx.findings[before:] if f.code != "E102"]
        if isinstance(checked, dict):
            checked["_row"] = table.label(row)
            recipients.append(checked)
    result["recipients"] = recipients
    _check_duplicates(recipients, ctx, lambda i: f"recipients[{i + 1}].name", rows, table.columns)


def _row_locator(table: Table, row: Any, prefix: str):
    def locate(key_path: str) -> tuple[str, str, str]:
        key = key_path[len(prefix) + 1 :] if key_path.startswith(prefix + ".") else ""
        column = None
        path = key
        while path and column is None:  # limits.deaths_max, or sectors[2] → sectors
            column = table.columns.get(path)
            path = parent_path(path)
        return table.shown, table.where(row.number, column), key

    return locate


def _row_raw(row: Any, prefix: str):
    def raw(key_path: str) -> str | None:
        if key_path.startswith(prefix + "."):
            return row.raw.get(key_path[len(prefix) + 1 :])
        return None

    return raw


def _check_duplicates(
    recipients: list[dict[str, Any]],
    ctx: Ctx,
    name_path,
    rows: dict[str, tuple[str, str]] | None = None,
    table_columns: dict[str, int] | None = None,
) -> None:
    """Two recipients with one name would write one file twice: ``E110`` naming both."""
    from .tables import name_key
    from .xlsx import column_letter

    first: dict[str, int] = {}
    for index, recipient in enumerate(recipients):
        name = recipient.get("name")
        if not isinstance(name, str):
            continue
        key = name_key(name)
        if key not in first:
            first[key] = index
            continue
        earlier = recipients[first[key]]
        message = f"单位名称 “{name}” 重复：{earlier['_row']} 与 {recipient['_row']}"
        if earlier["name"] != name:
            message += (
                f"（{earlier['_row']} 写作 “{earlier['name']}”，"
                "两者只差空格、不可见字符或全角/半角，按同一单位处理）"
            )
        if rows is not None:
            file, location = rows[f"recipients[{index + 1}]"]
            if table_columns and "name" in table_columns:
                location += f"{column_letter(table_columns['name'])}列"
            ctx.findings.append(Finding(file, location, ERROR, "E110", message, "name"))
        else:
            ctx.add("E110", name_path(index), message)
