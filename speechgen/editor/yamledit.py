"""Form edits applied to the YAML text, keeping the secretary's comments and key order.

The text is parsed with ruamel.yaml's round-trip loader, each edit (a
:class:`Patch`) sets or deletes one value at a key path, and the tree is
dumped again. Text that is not edited is never re-dumped: the YAML tab's
text goes to the loader exactly as typed.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NESTED_ITEM = re.compile(r"^\S[^\n]*:\s*\n( +)- ", re.M)

PathPart = str | int


@dataclass(frozen=True)
class Patch:
    """Set ``value`` at ``path`` (keys and 0-based indexes); ``delete`` removes it.

    ``kind`` is the form field's type: ``date`` turns ``2024-04-10`` into a date
    (written unquoted), every other text stays text (``13`` typed in a text
    field is written ``'13'``), numbers come as JSON numbers.
    """

    path: tuple[PathPart, ...]
    value: Any = None
    delete: bool = False
    kind: str = ""


class EditFailed(Exception):
    """The text does not parse, so form edits cannot be applied to it."""


def _yaml(text: str) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long Chinese line
    match = _NESTED_ITEM.search(text)
    if match is None or len(match.group(1)) >= 2:
        yaml.indent(mapping=2, sequence=4, offset=2)  # "key:\n  - item" (the samples' style)
    else:
        yaml.indent(mapping=2, sequence=2, offset=0)
    return yaml


def parse(text: str) -> Any:
    """The values of ``text`` (for the form); :class:`EditFailed` when it does not parse.

    PyYAML's safe loader (its C version when built): the form needs values, not
    comments, and this runs on every keystroke.
    """
    import yaml as pyyaml

    try:
        return pyyaml.load(text, Loader=getattr(pyyaml, "CSafeLoader", pyyaml.SafeLoader))
    except (pyyaml.YAMLError, RecursionError, ValueError, TypeError) as exc:
        raise EditFailed(str(exc)) from None


def plain(node: Any) -> Any:
    """A round-trip tree as JSON-ready values: dates as ``2024-04-10`` text."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, dt.datetime):
        return node.date().isoformat() if node.time() == dt.time() else node.isoformat()
    if isinstance(node, dt.date):
        return node.isoformat()
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return str(node)


def _coerce(value: Any, kind: str) -> Any:
    if isinstance(value, dict):
        out = CommentedMap()
        for k, v in value.items():
            out[k] = _coerce(v, "")
        return out
    if isinstance(value, list):
        return CommentedSeq([_coerce(v, "") for v in value])
    if kind == "date" and isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return value
    if isinstance(value, float) and value.is_integer() and kind == "int":
        return int(value)
    return value


def _container_for(next_part: PathPart) -> Any:
    return CommentedSeq() if isinstance(next_part, int) else CommentedMap()


def _apply(root: Any, patch: Patch) -> None:
    node = root
    parents: list[tuple[Any, PathPart]] = []
    for part, next_part in zip(patch.path, patch.path[1:], strict=False):
        if isinstance(node, dict):
            if not isinstance(node.get(part), dict | list):
                if patch.delete:
                    return
                node[part] = _container_for(next_part)
            parents.append((node, part))
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int):
            while len(node) <= part:
                if patch.delete:
                    return
                node.append(_container_for(next_part))
            if not isinstance(node[part], dict | list):
                node[part] = _container_for(next_part)
            parents.append((node, part))
            node = node[part]
        else:
            return
    last = patch.path[-1]
    if patch.delete:
        if isinstance(node, dict) and last in node:
            del node[last]
        elif isinstance(node, list) and isinstance(last, int) and last < len(node):
            del node[last]
        # an emptied mapping is removed with it (``stats: {}`` says nothing)
        while parents and isinstance(node, dict) and not node:
            parent, key = parents.pop()
            if isinstance(parent, dict):
                del parent[key]
            node = parent
        return
    value = _coerce(patch.value, patch.kind)
    if isinstance(node, dict):
        if node.get(last) != value or type(node.get(last)) is not type(value):
            node[last] = value
    elif isinstance(node, list) and isinstance(last, int):
        while len(node) < last:
            node.append(None)
        if last == len(node):
            node.append(value)
        else:
            node[last] = value


class RoundTrip:
    """Applies patches to YAML text, keeping the parsed tree of the last text it wrote.

    Parsing with ruamel.yaml costs tens of milliseconds; a form edit usually follows
    another, so the tree of the text this object produced last is reused as long as
    the text it is given is that text (a YAML-tab edit makes it parse again).
    """

    def __init__(self) -> None:
        self.text: str | None = None
        self.tree: Any = None
        self.yaml: YAML | None = None

    def apply(self, text: str, patches: list[Patch]) -> str:
        """``text`` with the patches applied; comments, key order and styles kept."""
        if not patches:
            return text
        if text != self.text or self.tree is None or self.yaml is None:
            self.yaml = _yaml(text)
            try:
                self.tree = self.yaml.load(text)
            except YAMLError as exc:
                self.text = self.tree = None
                raise EditFailed(str(exc)) from None
            if self.tree is None:
                self.tree = CommentedMap()
        if not isinstance(self.tree, dict):
            self.text = self.tree = None
            raise EditFailed("not a mapping")
        for patch in patches:
            if patch.path:
                _apply(self.tree, patch)
        out = io.StringIO()
        self.yaml.dump(self.tree, out)
        self.text = out.getvalue()
        return self.text


def apply_patches(text: str, patches: list[Patch]) -> str:
    """``text`` with the patches applied; comments, key order and styles kept."""
    return RoundTrip().apply(text, patches)


def patch_from_json(item: dict[str, Any]) -> Patch:
    """A :class:`Patch` from the page's ``{"path": [...], "value": …, "delete": bool}``."""
    path = item.get("path")
    if not isinstance(path, list) or not all(isinstance(p, str | int) for p in path):
        raise ValueError("bad path")
    return Patch(
        tuple(path),
        item.get("value"),
        bool(item.get("delete")),
        str(item.get("kind") or ""),
    )
