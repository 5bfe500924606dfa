"""A snippet file (docs/snippets.md) read like a job file: limits, positions, typed keys.

```python
found: list[Finding] = []
file = read_snippet_file(path, found, levels=LEVELS, kinds=KINDS, registers=REGISTERS)
file.category, file.entries   # [(key path "snippets[3]", checked mapping, location)]
```

The file goes through :func:`~speechgen.inputs.yamlread.read_yaml` (the size,
node and alias limits of job files, encodings, ``E106`` syntax errors) and each
entry through the field specs of :mod:`.schema`: a quarter written ``二季度``,
``tags`` that are a mapping, ``kinds`` that are a number, an unknown ``level``,
a ``text`` that is not text (a list, a number, ``true``) are ``E101``/``E103`` at ``line:col`` with the key
path (``snippets[3].quarters[1]``), every one of them at once. An entry with an
error is left out (the caller reports and refuses the library); the checked
mapping of a good entry carries the normalised known keys (lists for ``kinds``,
``quarters``, ``tags``, ``registers``, ``slots``, ``variants``) and every other
key as written, for the loader to read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ERROR, Finding, SpeechgenError
from .limits import Limits
from .schema import ABSENT, INVALID, Ctx, Enum, Int, ListOf, Map, Spec, Text
from .yamlread import read_yaml

E_FILE = "E501"  # the library's code for a snippet file that cannot be used


class _OneOrMany(Spec):
    """A list of ``item``, or one such value for a list of one (``kinds: annual``)."""

    def __init__(self, item: Spec, what: str):
        super().__init__()
        self.item = item
        self.what = what

    def check(self, value: Any, path: str, ctx: Ctx) -> Any:
        if isinstance(value, dict):
            ctx.add("E101", path, f"应为{self.what}列表（如 [a, b]），实际为键值映射")
            return INVALID
        if not isinstance(value, list):
            result = self.item.check(value, path, ctx)
            return INVALID if result is INVALID else ([] if result is ABSENT else [result])
        out = ListOf(self.item).check(value, path, ctx)
        return out


class _Word(Text):
    """Text that must not be a number or a mapping (``kinds: 3`` is not a kind)."""

    def __init__(self, what: str, *, required: bool = False):
        super().__init__(required=required)
        self.what = what

    def check(self, value: Any, path: str, ctx: Ctx) -> Any:
        if isinstance(value, bool | int | float | dt.date) or value is None:
            raw = ctx.raw(path)
            ctx.add("E101", path, f"应为{self.what}（文字），实际为 “{raw if raw else value}”")
            return INVALID
        return super().check(value, path, ctx)


class _Quarter(Int):
    def check(self, value: Any, path: str, ctx: Ctx) -> Any:
        if isinstance(value, str) and not value.strip().lstrip("+").isdigit():
            ctx.add(
                "E101",
                path,
                f"季度应为数字 1–4（二季度写 2），实际为 “{value.strip()[:20]}”",
            )
            return INVALID
        return super().check(value, path, ctx)


def entry_schema(levels: Iterable[str], kinds: Iterable[str], registers: Iterable[str]) -> Map:
    """The checked keys of one snippet; other keys are kept as written."""
    return Map(
        {
            "id": _Word("短语 id", required=True),
            "role": _Word("用途（role）", required=True),
            "text": _Word("短语正文", required=True),
            "variants": _OneOrMany(_Word("另一种说法"), "说法"),
            "title": Text(),
            "level": Enum({v: "" for v in levels}),
            "kinds": _OneOrMany(Enum({v: "" for v in kinds}), "会议类型"),
            "quarters": _OneOrMany(_Quarter(min=1, max=4, what="季度"), "季度"),
            "registers": _OneOrMany(Enum({v: "" for v in registers}), "文种"),
            "sector": Text(),
            "tags": _OneOrMany(_Word("标签"), "标签"),
            "slots": _OneOrMany(_Word("数据项名称"), "数据项"),
            "source": Text(),
        },
        extra="keep",
    )


@dataclass
class SnippetFile:
    path: Path
    category: str
    entries: list[tuple[str, dict[str, Any], str]] = field(default_factory=list)


def read_snippet_file(
    path: Path,
    findings: list[Finding],
    *,
    levels: Iterable[str],
    kinds: Iterable[str],
    registers: Iterable[str],
    limits: Limits | None = None,
) -> SnippetFile | None:
    """The file's good entries; every problem is appended to ``findings``.

    None when the file as a whole cannot be used (unreadable, over a limit,
    a YAML syntax error, no ``snippets`` list).
    """
    limits = limits if limits is not None else Limits.from_env()
    label = str(path)
    try:
        tree = read_yaml(path, limits, label)
    except SpeechgenError as exc:
        findings.extend(f for f in exc.findings if f.is_error)
        if not exc.findings:
            findings.append(Finding(label, "", ERROR, E_FILE, f"短语库文件无法读取：{exc.message}"))
        return None
    findings.extend(tree.errors)
    # warnings (W101 near-miss keys) are not kept: the library refuses on any finding
    found: list[Finding] = []
    ctx = Ctx(limits, lambda p: (label, tree.locate(p), p), lambda p: tree.raw.get(p), found)
    data = tree.data
    items = data.get("snippets")
    if not isinstance(items, list):
        what = "缺少 snippets 列表" if items is None else "snippets 应为列表（每项以 “- ” 开头）"
        findings.append(
            Finding(label, tree.locate("snippets"), ERROR, E_FILE, f"短语库文件{what}", "snippets")
        )
        return None
    category = data.get("category", path.stem)
    if isinstance(category, dict | list) or category is None:
        findings.append(
            Finding(label, tree.locate("category"), ERROR, "E101", "类别应为文字", "category")
        )
        category = path.stem
    schema = entry_schema(levels, kinds, registers)
    out = SnippetFile(path, str(category))
    for number, item in enumerate(items, 1):
        key = f"snippets[{number}]"
        if not isinstance(item, dict):
            ctx.add("E101", key, "每条短语应为 “键: 值” 形式的映射")
            continue
        before = ctx.error_count()
        checked = schema.check(item, key, ctx)
        if ctx.error_count() == before and isinstance(checked, dict):
            out.entries.append((key, checked, tree.locate(key)))
    findings.extend(sorted((f for f in found if f.is_error), key=_position))
    return out


def _position(finding: Finding) -> tuple[int, int]:
    line, _, col = finding.location.partition(":")
    return (int(line), int(col)) if line.isdigit() and col.isdigit() else (0, 0)
