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

from ..errors import ERROR, WARNING, Finding, UserError
from .limits import Limits
from .schema import (
    INVALID,
    NOTICE,
    SCHEMAS,
    SCOPES,
    TYPE,
    Ctx,
)
from .yamlread import Tree, fmt_position, parent_path, read_yaml, read_yaml_text
from .yamlstream import StreamedList, read_head

if TYPE_CHECKING:  # the recipients' readers are imported by letter jobs only
    from .recipients import RecipientSource


@dataclass
class Job:
    """A checked job: ``data`` mirrors spec/INPUT.md, normalised (docs/ARCHITECTURE.md)."""

    type: str
    data: dict[str, Any]
    path: Path
    warnings: list[Finding] = field(default_factory=list)
    positions: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False)
    rows: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False)
    #: ``load_job(..., stream=True)`` of a letter job: its recipients, read as iterated
    recipients: RecipientSource | None = field(default=None, repr=False)

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


def load_job(
    path: str | Path, *, limits: Limits | None = None, stream: bool = False, quick: bool = False
) -> Job:
    """Load and check one job file; raise :class:`UserError` with every error found.

    With ``stream`` a letter job's ``data`` has no ``recipients``: they are
    ``job.recipients``, a :class:`~.recipients.RecipientSource` whose rows are read
    and checked as it is iterated (row errors are the rows' findings, not raised).
    An inline ``recipients:`` list is then read one item at a time when the file
    allows it (:mod:`.yamlstream` says when it does not). With ``quick`` too, a list
    that nothing follows, and a table past its header, are not read here at all: their
    reads check them, and raise :class:`~speechgen.errors.NeedsFirstLook` when the job
    must be loaded again without ``quick``.
    """
    limits = limits if limits is not None else Limits.from_env()
    path = Path(path)
    if stream:
        head = read_head(path, limits, str(path), quick=quick)
        if head is not None:
            tree, streamed = head
            return _check_tree(tree, limits, stream=True, streamed=streamed, quick=quick)
    return _check_tree(read_yaml(path, limits, str(path)), limits, stream=stream, quick=quick)


def load_job_text(
    text: str, path: str | Path, *, limits: Limits | None = None, stream: bool = False
) -> Job:
    """Like :func:`load_job` for text not (yet) on disk, as if it were the file ``path``.

    Messages name ``path``; a relative ``recipients_file`` is read from its folder.
    With ``stream`` an inline list is held in memory (the text is) but still handed
    out as a source.
    """
    limits = limits if limits is not None else Limits.from_env()
    path = Path(path)
    return _check_tree(read_yaml_text(text, path, limits, str(path)), limits, stream=stream)


def _check_tree(
    tree: Tree,
    limits: Limits,
    *,
    stream: bool = False,
    streamed: StreamedList | None = None,
    quick: bool = False,
) -> Job:
    path = tree.path
    shown = str(path)
    ctx = Ctx(limits, _yaml_locator(tree), lambda p: tree.raw.get(p))
    ctx.findings.extend(tree.warnings)
    data = tree.data
    rows: dict[str, tuple[str, str]] = {}
    inline_tree = (
        streamed is None
        and isinstance(data, dict)
        and isinstance(data.get("recipients"), list)
        and data.get("type") is not None
    )
    # errors of the list's items are reported with their rows (RecipientRow.findings)
    owned: list[Finding] = []
    if inline_tree:
        from .recipients import _item_number

        owned = [f for f in tree.errors if _item_number(f.key) is not None]
        ctx.findings.extend(f for f in tree.errors if _item_number(f.key) is None)
    else:
        ctx.findings.extend(tree.errors)

    job_type = None
    if data.get("type") is None:
        ctx.add("E102", "type", f"缺少必填项（{TYPE.hint()}）")
    else:
        checked = TYPE.check(data["type"], "type", ctx)
        job_type = None if checked is INVALID else checked

    result: dict[str, Any] = {}
    source: RecipientSource | None = None
    if job_type == "notice" and data.get("batch") is not None:
        result = _load_batch(tree, ctx)
    elif job_type is not None:
        checked_data = data
        if job_type == "letter" and isinstance(data.get("recipients"), list):
            checked_data = dict(data)
            checked_data["recipients"] = []  # the items are the source's; the key keeps its place
        result = SCHEMAS[job_type].check(checked_data, "", ctx)
        if isinstance(result, dict):
            _own_accidents(result, ctx)
        if job_type == "letter" and isinstance(result, dict):
            source = _recipients(tree, result, ctx, streamed, keep=not stream, quick=quick)
    if owned and source is None:
        ctx.findings.extend(owned)  # not a letter: no rows will report them
    # (a letter whose list is refused as a whole — E108, E111 — reports no item's problems,
    # as a streamed list, whose items are never read, cannot)

    if source is not None and not stream:
        from .recipients import TableSource

        recipients = []
        for row in source:
            ctx.findings.extend(row.findings)
            if row.number:
                if isinstance(source, TableSource):
                    rows[f"recipients[{row.number}]"] = row.location
                if row.data is not None:
                    recipients.append(row.data)
        if "recipients" in result or isinstance(source, TableSource):
            if source.ok:
                result["recipients"] = recipients
    findings = _ordered(ctx.findings, shown)
    if any(f.is_error for f in findings) or job_type is None:
        raise UserError(findings=findings)
    job = Job(
        job_type,
        result,
        path,
        [f for f in findings if not f.is_error],
        dict(tree.positions),
        rows,
    )
    if stream:
        result.pop("recipients", None)
        job.recipients = source
    return job


def _own_accidents(data: dict[str, Any], ctx: Ctx) -> None:
    """W103: a cited accident whose place lies in the job's own area (its place names
    ``org.name``) but whose ``scope`` is not ``local``. The value stands as typed (the
    speech cites it under 从全国看 or 从全省看, as its scope says); the warning says so."""
    org = data.get("org")
    name = org.get("name") if isinstance(org, dict) else None
    accidents = data.get("accidents")
    if not isinstance(name, str) or not name or not isinstance(accidents, list):
        return
    for i, acc in enumerate(accidents, 1):
        if not isinstance(acc, dict):
            continue
        place, scope = acc.get("place"), acc.get("scope") or "national"
        if not isinstance(place, str) or name not in place or scope in ("local", "nearby"):
            continue
        where = "从全国看" if scope == "national" else "从全省看"
        typed = "scope" in acc
        ctx.add(
            "W103",
            f"accidents[{i}].scope" if typed else f"accidents[{i}].place",
            f"事故地点“{place}”在{name}，但事故范围"
            + (f"写的是“{SCOPES.get(scope, scope)}”" if typed else "没有写（没写时为全国）")
            + f"：讲话会把它写在“{where}”之下。本地发生的事故请写 scope: local"
            "（讲话按本地情况叙述，较大及以上写明等级）",
            WARNING,
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


def _recipients(
    tree: Tree,
    result: dict[str, Any],
    ctx: Ctx,
    streamed: StreamedList | None,
    *,
    keep: bool = False,
    quick: bool = False,
) -> RecipientSource:
    """The recipients of a letter job: inline, or from its ``recipients_file``.

    The problems of the list as a whole go into ``ctx`` (and the source's findings);
    the rows' own are found when the source is iterated.
    """
    from .recipients import InlineStream, InlineTree, RecipientSource, TableSource

    limits = ctx.limits
    inline = result.get("recipients")
    file_value = result.get("recipients_file")
    empty = RecipientSource(limits)
    if inline is None and file_value is None:
        ctx.add(
            "E102",
            "recipients",
            "缺少必填项：乙方单位写在 recipients 列表中，或用 recipients_file 指定名单文件",
        )
        return empty
    if inline is not None and file_value is not None:
        ctx.add("E111", "recipients_file", "recipients 与 recipients_file 只能二选一")
        return empty
    if inline is not None:
        if not isinstance(inline, list):
            return empty  # E101, reported by the schema
        if streamed is not None:
            source: RecipientSource = InlineStream(tree.path, tree, streamed, limits)
        else:
            source = InlineTree(tree, limits)
        ctx.findings.extend(source.findings)
        return source
    if not isinstance(file_value, str):
        return empty
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
        return empty
    # keep: read once for the list; quick: only the header before the first pass
    source = TableSource(table_path, limits, keep=keep, quick=quick)
    ctx.findings.extend(source.findings)
    return source
