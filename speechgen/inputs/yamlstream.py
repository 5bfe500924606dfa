"""A YAML job whose top-level ``recipients`` list is read one item at a time.

:func:`read_head` reads the file once with libyaml's event parser and builds the
nodes of every top-level key *except* the items of the list, which it only
counts. :func:`iter_items`
reads the file afresh and composes one item's nodes at a time, so the list
never lives in memory. Marks are the parser's own, so ``line:col`` are those
of :func:`~.yamlread.read_yaml`.

The stream covers ordinary files only. :func:`read_head` returns ``None`` — the
caller then reads the whole tree with :func:`~.yamlread.read_yaml`, exactly as
before — when the file:

* cannot be opened, or is over ``max_input_bytes`` (read_yaml reports it);
* is not UTF-8 (with or without BOM), starts like a binary file, holds a NUL or a
  character of ``BAD_CHARS`` (read_yaml replaces and reports those, E109), or
  a lone CR line break;
* has a YAML syntax error, more than one document, or a top level that is not a
  mapping (read_yaml reports them);
* uses an anchor, an alias, an explicit tag or a merge key ``<<`` anywhere, a
  key that is not a scalar, or ``recipients`` twice at the top level;
* nests deeper than ``max_depth`` or has more than ``max_nodes`` nodes.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import NeedsFirstLook, SpeechgenError
from .limits import ENV, Limits
from .yamlread import _MAGIC, BAD_CHARS, CORE, Tree, _Converter, open_limited

LOADER = getattr(yaml, "CSafeLoader", None)
_LONE_CR = re.compile("\r(?!\n)")


class _NotPlain(Exception):
    """The file needs the whole-tree reader."""


@dataclass
class StreamedList:
    """What the first pass learnt about the top-level list ``key``.

    ``deferred``: the list was not read (``read_head(..., quick=True)``): ``count``
    and ``mappings`` are unknown (-1), ``nodes`` are the head's, and each read of
    the items checks what the skim would have (:class:`NeedsFirstLook`)."""

    key: str
    count: int  # items
    mappings: int  # items that are mappings
    deferred: bool = False
    nodes: int = 0  # deferred: the nodes before the list's items (the list's own included)


def read_head(
    path: Path,
    limits: Limits,
    shown: str,
    key: str = "recipients",
    quick: bool = False,
) -> tuple[Tree, StreamedList | None] | None:
    """The file's head as a :class:`Tree` (``key``'s list an empty list there, at its
    place) and the list's counts; ``None`` when the file needs the whole-tree reader.

    ``quick``: when the list is a block list and the text after its first item shows
    that nothing but the list follows (:func:`_rest_is_list`), its items are not read
    at all: the list comes back ``deferred`` and every read of its items checks it
    (:func:`iter_items`). A batch's workers then start without a serial read of the
    whole list."""
    if LOADER is None or not _plain_text(path, limits, shown):
        return None
    try:
        with open(path, "rb") as handle:
            return _HeadReader(handle, limits, shown, key, quick).read(path)
    except (_NotPlain, yaml.YAMLError, RecursionError, OSError, UnicodeDecodeError):
        return None


def _plain_text(path: Path, limits: Limits, shown: str) -> bool:
    try:
        handle = open_limited(
            path, limits.max_input_bytes, env_var=ENV["max_input_bytes"], shown=shown
        )
    except SpeechgenError:
        return False
    decoder = codecs.getincrementaldecoder("utf-8")()
    with handle:
        first = True
        previous_cr = False
        while True:
            block = handle.read(1 << 16)  # small blocks: the peak must not grow with the file
            if first:
                first = False
                if block.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
                    return False
                if any(block.startswith(magic) for magic, _ in _MAGIC):
                    return False
            if b"\x00" in block:
                return False
            try:
                text = decoder.decode(block, final=not block)
            except UnicodeDecodeError:
                return False
            if BAD_CHARS.search(text):
                return False
            if previous_cr and not text.startswith("\n") and (text or not block):
                return False  # a lone CR line break: read_yaml turns it into LF
            body = text[:-1] if text.endswith("\r") else text
            if _LONE_CR.search(body):
                return False
            previous_cr = text.endswith("\r") or (previous_cr and not text)
            if not block:
                return True


#: a line that does not belong to a top-level block list: one starting with anything
#: but a space, a comment, a line break or an item's ``-`` (a ``-`` followed by a
#: blank); a top-level key, ``---``, ``...``, a directive, a tab
_OUTSIDE_LIST = re.compile(rb"\n(?:[^ #\r\n-]|-[^ \t\r\n])")


def _rest_is_list(path: Path, mark: Any) -> bool:
    """Whether the file from line ``mark.line`` (0-based: a block list's first item,
    under a key of a block mapping at column 0, the document's) on holds that list and
    nothing else, as far as its text tells: each line blank, a comment, indented, or an
    item of a list at column 0.
    A top-level key can only start at column 0 with none of these, so no key can
    follow the list; whatever else the skim would refuse (an anchor, an alias, a tag,
    too deep, a syntax error…) the reads of the items find (:func:`iter_items`)."""
    if mark.line == 0:
        return False  # a top-level key's list starts on a line of its own
    try:
        with open(path, "rb") as handle:
            line = 0
            block = b""
            while line < mark.line:  # find where the list's first line starts
                block = handle.read(1 << 16)
                if not block:
                    return False
                lines = block.count(b"\n")
                if line + lines < mark.line:
                    line += lines
                    continue
                at = -1
                for _ in range(mark.line - line):
                    at = block.index(b"\n", at + 1)
                block = block[at:]  # from the line break before the list's first line
                line = mark.line
            tail = b""
            while True:
                data = tail + block
                if _OUTSIDE_LIST.search(data):
                    return False
                block = handle.read(1 << 16)
                if not block:
                    return True
                tail = data[-2:]
    except OSError:
        return False


def _merge_key(scalar: Any) -> bool:
    """Whether a key (a scalar event or node) is a merge key: a plain ``<<`` (libyaml
    gives a plain scalar the style ``''``, PyYAML's own parser None)."""
    return scalar.value == "<<" and not scalar.style


class _Reader:
    def __init__(self, handle: Any, limits: Limits):
        self.parser = LOADER(handle)
        self.limits = limits
        self.nodes = 0

    @classmethod
    def into_document(cls, handle: Any, limits: Limits) -> _Reader:
        """A reader past the start of the stream, the document and its top mapping."""
        reader = cls(handle, limits)
        reader.next(StreamStartEvent)
        reader.next(DocumentStartEvent)
        reader.next(MappingStartEvent)
        return reader

    def next(self, kind: type) -> Any:
        event = self.parser.get_event()
        if not isinstance(event, kind):
            raise _NotPlain
        return event

    def compose(self, depth: int) -> Node:
        """One node and its children from the events (no anchors, aliases or tags).

        A loop over ``get_event`` with a stack of open collections: libyaml's
        events cost more than anything else here, so each is fetched once.
        """
        get = self.parser.get_event
        resolve = self.parser.resolve
        room = self.limits.max_depth - depth
        stack: list[list[Any]] = []  # [collection node, key waiting for its value]
        nodes = 0
        while True:
            event = get()
            kind = type(event)
            nodes += 1
            if kind is ScalarEvent:
                if event.anchor is not None or event.tag is not None:
                    raise _NotPlain
                node: Node = ScalarNode(
                    resolve(ScalarNode, event.value, event.implicit),
                    event.value,
                    event.start_mark,
                    event.end_mark,
                    event.style,
                )
                opened = False
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                nodes -= 1
                node = stack.pop()[0]
                node.end_mark = event.end_mark
                if not stack:
                    self.nodes += nodes
                    return node
                continue
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                if event.anchor is not None or event.tag is not None:
                    raise _NotPlain
                if len(stack) >= room:
                    raise _NotPlain
                if kind is MappingStartEvent:
                    tag = resolve(MappingNode, None, event.implicit)
                    node = MappingNode(tag, [], event.start_mark, None, event.flow_style)
                else:
                    tag = resolve(SequenceNode, None, event.implicit)
                    node = SequenceNode(tag, [], event.start_mark, None, event.flow_style)
                opened = True
            else:
                raise _NotPlain  # an alias, or the stream's structure
            if stack:
                top = stack[-1]
                parent = top[0]
                if type(parent) is SequenceNode:
                    parent.value.append(node)
                elif top[1] is None:
                    if opened or _merge_key(node):
                        raise _NotPlain  # a key that is not a scalar, or a merge key
                    top[1] = node
                else:
                    parent.value.append((top[1], node))
                    top[1] = None
            elif not opened:
                self.nodes += nodes
                return node
            if opened:
                stack.append([node, None])

    def name_checked(self, streamed: StreamedList) -> Node:
        """An item passed by (another worker writes it): a mapping holding only its
        scalar ``name`` keys, read by :meth:`skim_item` (with its checks, counting the
        item and its nodes into ``streamed`` and the reader) without building the rest;
        an item that is not a mapping is composed whole."""
        parser = self.parser
        if not parser.check_event(MappingStartEvent):
            streamed.count += 1
            return self.compose(2)
        start = parser.peek_event()
        names: list[tuple[Any, Any]] = []
        self.skim_item(streamed, names)
        resolve = parser.resolve
        node = MappingNode(resolve(MappingNode, None, start.implicit), [], start.start_mark, None)
        for key, value in names:
            node.value.append(
                (
                    ScalarNode(CORE + "str", key.value, key.start_mark, key.end_mark),
                    ScalarNode(
                        resolve(ScalarNode, value.value, value.implicit),
                        value.value,
                        value.start_mark,
                        value.end_mark,
                        value.style,
                    ),
                )
            )
        return node

    def skim_item(self, streamed: StreamedList, names: list[tuple[Any, Any]] | None = None) -> None:
        """Count one item's nodes without keeping them; with ``names``, gather the
        (key, value) events of a mapping item's scalar ``name`` keys.

        Event by event, with no node built: every item of a batch is read so (by the
        head reader, or by a worker passing items by), so this loop is kept flat."""
        get = self.parser.get_event
        streamed.count += 1
        event = get()
        kind = type(event)
        if kind is AliasEvent or event.anchor is not None or event.tag is not None:
            raise _NotPlain
        if kind is ScalarEvent:
            self.nodes += 1
            return
        if kind is SequenceStartEvent:
            self.nodes += 1 + self._skip_open(kind, 3)
            return
        streamed.mappings += 1
        nodes = 1
        while True:
            key = get()
            kind = type(key)
            if kind is MappingEndEvent:
                break
            if kind is not ScalarEvent or key.anchor is not None or key.tag is not None:
                raise _NotPlain  # a key that is not a scalar (or an alias)
            if _merge_key(key):
                raise _NotPlain
            value = get()
            nodes += 2
            kind = type(value)
            if kind is AliasEvent or value.anchor is not None or value.tag is not None:
                raise _NotPlain
            if kind is ScalarEvent:
                if names is not None and key.value == "name":
                    names.append((key, value))
                continue
            nodes += self._skip_open(kind, 4)
        self.nodes += nodes

    def _skip_open(self, kind: type, depth: int) -> int:
        """Skip the rest of a collection whose start (of type ``kind``) was just read, at
        ``depth``; the nodes in it. Anchors, tags, aliases, keys that are not scalars,
        merge keys and collections deeper than ``max_depth`` are not plain."""
        most = self.limits.max_depth
        if depth > most:
            raise _NotPlain
        get = self.parser.get_event
        mapping = [kind is MappingStartEvent]  # per open collection: is it a mapping
        key_next = [True]  # per open mapping: the next event is a key
        nodes = 0
        while mapping:
            event = get()
            kind = type(event)
            if kind is MappingEndEvent or kind is SequenceEndEvent:
                mapping.pop()
                key_next.pop()
                continue
            nodes += 1
            if kind is AliasEvent or event.anchor is not None or event.tag is not None:
                raise _NotPlain
            if mapping[-1]:
                if key_next[-1]:
                    if kind is not ScalarEvent or _merge_key(event):
                        raise _NotPlain
                    key_next[-1] = False
                    continue
                key_next[-1] = True
            if kind is MappingStartEvent or kind is SequenceStartEvent:
                if depth + len(mapping) > most:
                    raise _NotPlain
                mapping.append(kind is MappingStartEvent)
                key_next.append(True)
        return nodes


class _HeadReader(_Reader):
    def __init__(
        self,
        handle: Any,
        limits: Limits,
        shown: str,
        key: str,
        quick: bool = False,
    ):
        super().__init__(handle, limits)
        self.shown = shown
        self.key = key
        self.quick = quick

    def read(self, path: Path) -> tuple[Tree, StreamedList | None]:
        parser = self.parser
        self.next(StreamStartEvent)
        self.next(DocumentStartEvent)
        if not parser.check_event(MappingStartEvent):
            raise _NotPlain
        start = parser.peek_event()
        if start.anchor is not None or start.tag is not None:
            raise _NotPlain
        parser.get_event()
        self.nodes += 1
        tag = parser.resolve(MappingNode, None, start.implicit)
        pairs: list[tuple[Node, Node]] = []
        root = MappingNode(tag, pairs, start.start_mark, None, start.flow_style)
        streamed: StreamedList | None = None
        while not parser.check_event(MappingEndEvent):
            key = self.compose(1)
            if not isinstance(key, ScalarNode) or _merge_key(key):
                raise _NotPlain
            if key.value == self.key and streamed is not None:
                raise _NotPlain
            if key.value == self.key and parser.check_event(SequenceStartEvent):
                event = parser.peek_event()
                if event.anchor is not None or event.tag is not None:
                    raise _NotPlain
                parser.get_event()
                self.nodes += 1
                if (
                    self.quick
                    and not root.flow_style
                    and root.start_mark.column == 0  # its keys at column 0, as the text test needs
                    and not event.flow_style
                    and _rest_is_list(path, event.start_mark)
                ):
                    streamed = StreamedList(self.key, -1, -1, True, self.nodes)
                    mark = event.start_mark
                    pairs.append((key, SequenceNode(CORE + "seq", [], mark, mark, False)))
                    root.end_mark = mark
                    return self.tree(path, root), streamed
                streamed = StreamedList(self.key, 0, 0)
                while not parser.check_event(SequenceEndEvent):
                    self.skim_item(streamed)
                end = parser.get_event()
                placeholder = SequenceNode(
                    CORE + "seq", [], event.start_mark, end.end_mark, event.flow_style
                )
                pairs.append((key, placeholder))
                continue
            pairs.append((key, self.compose(1)))
        root.end_mark = parser.get_event().end_mark
        self.next(DocumentEndEvent)
        self.next(StreamEndEvent)
        if self.nodes > self.limits.max_nodes:
            raise _NotPlain
        return self.tree(path, root), streamed

    def tree(self, path: Path, root: MappingNode) -> Tree:
        converter = _Converter(self.limits, self.shown)
        value = converter.convert(root, "", 0, root.start_mark)
        return Tree(path, value, converter.positions, converter.raw, converter.errors, [])


def iter_items(
    path: Path,
    limits: Limits,
    key: str = "recipients",
    want: Callable[[int], bool] | None = None,
    deferred: StreamedList | None = None,
) -> Iterator[Node]:
    """The items of the top-level list ``key``, composed one at a time (the file is
    one :func:`read_head` accepted); ``want(number - 1)`` false: only the item's
    name (:meth:`_Reader.name_checked`).

    A ``deferred`` list (its items never read by the head reader) is checked as the
    head reader's skim would have checked it, read to the end of the file; where the
    skim would have refused the file or the list (anchors, tags, aliases, merge keys,
    keys that are not scalars, depth, a syntax error, a key after the list, more
    nodes than ``max_nodes``, more items than ``max_recipients``, no mapping item),
    :class:`NeedsFirstLook` is raised instead (after the items read so far)."""
    if deferred is None:
        yield from _items(path, limits, key, want, None)
        return
    try:
        yield from _items(path, limits, key, want, deferred)
    except (_NotPlain, yaml.YAMLError, RecursionError, UnicodeDecodeError):
        raise NeedsFirstLook from None


def _items(
    path: Path,
    limits: Limits,
    key: str,
    want: Callable[[int], bool] | None,
    deferred: StreamedList | None,
) -> Iterator[Node]:
    seen = StreamedList(key, 0, 0)
    with open(path, "rb") as handle:
        reader = _Reader.into_document(handle, limits)
        parser = reader.parser
        while reader.next(ScalarEvent).value != key:
            _skip_value(parser)
        reader.next(SequenceStartEvent)
        most = limits.max_recipients
        while not parser.check_event(SequenceEndEvent):
            if want is None or want(seen.count):
                node = reader.compose(2)
                seen.count += 1
                seen.mappings += type(node) is MappingNode
            else:
                node = reader.name_checked(seen)
            if deferred is not None and seen.count > most:
                raise NeedsFirstLook  # E108, told by the head reader's count
            yield node
        if deferred is None:
            return  # the head reader read the rest
        parser.get_event()
        reader.next(MappingEndEvent)  # nothing after the list, as its head promised
        reader.next(DocumentEndEvent)
        reader.next(StreamEndEvent)
        if not seen.mappings or deferred.nodes + reader.nodes > limits.max_nodes:
            raise NeedsFirstLook  # E102, or the whole-tree reader's E108


def _skip_value(parser: Any) -> None:
    depth = 0
    while True:
        event = parser.get_event()
        if isinstance(event, SequenceStartEvent | MappingStartEvent):
            depth += 1
        elif isinstance(event, SequenceEndEvent | MappingEndEvent):
            depth -= 1
        if depth == 0:
            return
