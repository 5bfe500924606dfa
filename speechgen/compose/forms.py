"""Forms: a template's blocks for one shape of context, rendered once and filled in.

A batch renders one template thousands of times with contexts that differ only in
their strings (a letter's recipient, signer, sector lines). When a template only
*prints* its string values and iterates its lists — never tests, compares, slices
or measures a string — its output for a context is the output for the same
*shape* of context (the same keys, list lengths and other values) with every
string replaced by a token, each token then replaced by its string. The blocks
parsed from that output are the same too, as long as each string is inert in the
markup (nothing :func:`~speechgen.markup.escape_inline` would change, no
whitespace at either end that a line or cell would lose, not empty).

:func:`fill` gives such a document without running Jinja or the markup parser:
it renders and parses once per shape (bounded: :data:`FORMS_MAX`), then copies
the blocks with the strings put in. Whether a template qualifies is read off its
syntax tree (:func:`usage`), once per source: only ``{{ name }}``, ``{{ list[i] }}``
with ``i`` from ``range(list | length)``, ``{% for x in list %}`` (no ``else``, no
filter) and ``loop.index | cn`` and the like. Anything else — ``{% if %}``, a
filter on a value, an attribute, a nested mapping — keeps the template on the
ordinary path, and so does any context or string that does not fit; the result
is then simply rendered. ``tests/test_forms.py`` checks both paths give equal
documents.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import fields, is_dataclass
from typing import Any

from ..memo import Memo
from .walk import escape_value, range_argument  # escape_value: escape_inline, memoised

FORMS_MAX = 256  # shapes kept per process (a letter batch has a few dozen)
_TOKEN = re.compile("\ue000([0-9]+)\ue001")
_LOOP_ATTRS = frozenset({"index", "index0", "revindex", "revindex0", "first", "last", "length"})
_LOOP_FILTERS = frozenset({"cn"})

# source -> usage (or None: not a form); bounded by the templates of a run
_USAGE: dict[str, tuple[frozenset[str], frozenset[str]] | None] = {}
# (source, shape) -> blocks with tokens
_FORMS: Memo[tuple[str, tuple], list[Any]] = Memo(FORMS_MAX)  # of makers (_maker)


class _NotAForm(Exception):
    pass


def usage(source: str, env: Any) -> tuple[frozenset[str], frozenset[str]] | None:
    """``(printed, listed)``: the context names the template prints as strings and the
    ones it uses as lists of strings; None when it does anything else with a value."""
    if source in _USAGE:
        return _USAGE[source]
    try:
        from jinja2 import nodes

        tree = env.parse(source)
        printed: set[str] = set()
        listed: set[str] = set()

        def loop_expr(e: Any) -> bool:  # loop.index, loop.index | cn
            if isinstance(e, nodes.Filter):
                if e.name not in _LOOP_FILTERS or e.args or e.kwargs or e.dyn_args or e.dyn_kwargs:
                    return False
                return loop_expr(e.node)
            return (
                isinstance(e, nodes.Getattr)
                and isinstance(e.node, nodes.Name)
                and e.node.name == "loop"
                and e.attr in _LOOP_ATTRS
            )

        def output(e: Any, items: set[str], indexes: dict[str, str]) -> None:
            if isinstance(e, nodes.TemplateData) or loop_expr(e):
                return
            if isinstance(e, nodes.Name) and e.ctx == "load" and e.name not in ("loop", "range"):
                if e.name in indexes:
                    raise _NotAForm  # a range number printed: fine, but keep it simple
                if e.name not in items:
                    printed.add(e.name)
                return
            if (
                isinstance(e, nodes.Getitem)
                and isinstance(e.node, nodes.Name)
                and isinstance(e.arg, nodes.Name)
                and e.arg.name in indexes
                and e.node.name not in items
            ):
                listed.add(e.node.name)
                return
            raise _NotAForm

        def body(stmts: list[Any], items: set[str], indexes: dict[str, str]) -> None:
            for s in stmts:
                if isinstance(s, nodes.Output):
                    for e in s.nodes:
                        output(e, items, indexes)
                elif isinstance(s, nodes.For):
                    if s.else_ or s.test is not None or s.recursive:
                        raise _NotAForm
                    if not isinstance(s.target, nodes.Name):
                        raise _NotAForm
                    it = s.iter
                    name = s.target.name
                    n = range_argument(it)  # range(list | length)
                    if isinstance(it, nodes.Name) and it.name not in items | set(indexes):
                        listed.add(it.name)
                        body(
                            s.body, items | {name}, {k: v for k, v in indexes.items() if k != name}
                        )
                    elif (
                        isinstance(n, nodes.Filter)
                        and n.name == "length"
                        and not n.args
                        and isinstance(n.node, nodes.Name)
                        and n.node.name not in items
                    ):
                        listed.add(n.node.name)
                        body(s.body, items - {name}, {**indexes, name: n.node.name})
                    else:
                        raise _NotAForm
                else:
                    raise _NotAForm

        body(tree.body, set(), {})
        if printed & listed:
            raise _NotAForm
        got: tuple[frozenset[str], frozenset[str]] | None = (frozenset(printed), frozenset(listed))
    except _NotAForm:
        got = None
    except Exception:  # noqa: BLE001 - a syntax error: the ordinary path reports it
        got = None
    _USAGE[source] = got
    return got


INERT_MAX = 1024
_INERT: Memo[str, bool] = Memo(INERT_MAX)


def _inert(value: Any) -> bool:
    """A string the markup keeps exactly as it is, wherever a template prints it."""
    if type(value) is not str:
        return False
    got = _INERT.get(value)
    if got is None and (got := _INERT.recall(value)) is None:
        got = (
            value != ""
            and value.strip() == value
            and escape_value(value) == value
            and "\ue000" not in value
            and "\ue001" not in value
        )
        _INERT.keep(value, got)
    return got


#: a template's printed and listed names, sorted (the token order)
_ORDER: dict[tuple[frozenset[str], frozenset[str]], tuple[tuple, tuple]] = {}


def _sorted_usage(usage: tuple[frozenset[str], frozenset[str]]) -> tuple[tuple, tuple]:
    got = _ORDER.get(usage)
    if got is None:
        got = _ORDER[usage] = (tuple(sorted(usage[0])), tuple(sorted(usage[1])))
    return got


def _tokens(
    context: dict[str, Any], usage: tuple[frozenset[str], frozenset[str]]
) -> tuple[tuple, list[str]] | None:
    """The shape of ``context`` and its strings in token order; None when a value
    does not fit a form."""
    printed, listed = _sorted_usage(usage)
    values: list[str] = []
    shape: list[Any] = list(printed)
    known = _INERT.get  # the memo of _inert, looked at first (a batch repeats its strings)
    get = context.get
    for name in printed:
        v = get(name)
        ok = known(v) if type(v) is str else False
        if not (ok or (ok is None and _inert(v))):
            return None
        values.append(v)
    for name in listed:
        v = get(name)
        if type(v) not in (list, tuple):
            return None
        for x in v:
            ok = known(x) if type(x) is str else False
            if not (ok or (ok is None and _inert(x))):
                return None
        values.extend(v)
        shape.append((name, len(v)))
    return tuple(shape), values


def _tokened(shape: tuple) -> dict[str, Any]:
    """The context of a shape with a token for every string, in :func:`_tokens`'s order."""
    out: dict[str, Any] = {}
    n = 0
    for item in shape:
        if isinstance(item, tuple):
            name, count = item
            out[name] = [f"\ue000{n + k}\ue001" for k in range(count)]
            n += count
        else:
            out[item] = f"\ue000{n}\ue001"
            n += 1
    return out


#: a form's string split at its tokens
_PIECES: Memo[str, tuple[str | int, ...]] = Memo(8 * FORMS_MAX)


def _pieces(text: str) -> tuple[str | int, ...]:
    """``text`` as literal strings and token numbers, in order (split once per string)."""
    got = _PIECES.get(text)
    if got is None and (got := _PIECES.recall(text)) is None:
        parts = _TOKEN.split(text)  # literal, number, literal, number, …, literal
        got = tuple(int(x) if k % 2 else x for k, x in enumerate(parts) if k % 2 or x)
        _PIECES.keep(text, got)
    return got


def _filled(value: Any, values: list[str]) -> Any:
    if isinstance(value, str):
        if "\ue000" not in value:
            return value
        return "".join([values[x] if type(x) is int else x for x in _pieces(value)])
    if isinstance(value, list):
        return [_filled(x, values) for x in value]
    return value


def _has_token(value: Any) -> bool:
    if isinstance(value, str):
        return "\ue000" in value
    return isinstance(value, list) and any(_has_token(x) for x in value)


def _token_numbers(value: Any) -> list[int]:
    if isinstance(value, str):
        return [int(x) for x in _TOKEN.findall(value)]
    if isinstance(value, list):
        return [n for x in value for n in _token_numbers(x)]
    return []


_SERIAL = itertools.count(1)  # a recipe's number: never reused, unlike an id()

#: a recipe's number and the strings its tokens stand for -> its filled-in fields
FILLED_MAX = 1024  # a letter batch has a few hundred distinct blocks
_FILLED: Memo[tuple, tuple[Any, ...]] = Memo(FILLED_MAX)


Recipe = tuple[
    Any, tuple[tuple[str, int], ...], tuple[str, ...], tuple[str, ...], tuple[int, ...], int
]


def _recipe(block: Any) -> Recipe:
    """How to copy a block of a form: its class, the fields that are one token and
    nothing else (given the token's string as it is), the other fields with tokens
    (filled in), the other list fields (copied, so no two documents share a list),
    the tokens those fields hold and the recipe's number."""
    names = [f.name for f in fields(block)] if is_dataclass(block) else []
    tokened = [n for n in names if _has_token(getattr(block, n))]
    direct: list[tuple[str, int]] = []
    for name in tokened:
        value = getattr(block, name)
        m = _TOKEN.fullmatch(value) if isinstance(value, str) else None
        if m is not None:
            direct.append((name, int(m.group(1))))
    whole = {name for name, _n in direct}
    rest = tuple(n for n in tokened if n not in whole)
    lists = tuple(n for n in names if n not in tokened and isinstance(getattr(block, n), list))
    uses = tuple(dict.fromkeys(n for name in rest for n in _token_numbers(getattr(block, name))))
    return block, tuple(direct), rest, lists, uses, next(_SERIAL)


def _fresh(value: Any) -> Any:
    """``value`` with its lists copied (its strings are shared: they never change)."""
    if isinstance(value, list):
        return [_fresh(x) for x in value]
    return value


def _copy(recipe: Recipe, values: list[str]) -> Any:
    """A new block like the recipe's with the strings put in for its tokens.

    A field that is one token gets the token's string itself. A block whose other
    token fields stand for the same strings as in an earlier document (a letter's
    signing lines, shared by every recipient of its type) gets the very strings of
    that document: filled in once, and every later look-up keyed on them (the
    check's memo, the writer's) finds their hash already computed."""
    block, direct, tokened, lists, uses, serial = recipe
    new = object.__new__(type(block))
    held = new.__dict__
    held.update(block.__dict__)
    for name, n in direct:
        held[name] = values[n]
    if tokened:
        key = (serial, *[values[n] for n in uses])
        got = _FILLED.get(key)
        if got is None and (got := _FILLED.recall(key)) is None:
            got = tuple(_filled(block.__dict__[name], values) for name in tokened)
            _FILLED.keep(key, got)
        for name, value in zip(tokened, got, strict=True):
            held[name] = value if type(value) is str else _fresh(value)
    for name in lists:
        held[name] = [list(x) if isinstance(x, list) else x for x in block.__dict__[name]]
    return new


def _maker(recipe: Recipe) -> Any:
    """``make(values)``: :func:`_copy` of ``recipe`` as a function made for it once: a
    field that is one token takes its string, a string field with tokens is joined
    from its pieces, a list of such strings likewise, other lists are copied. Any
    other block (a list of lists: a table's rows) is copied by :func:`_copy`."""
    block, direct, tokened, lists, _uses, _serial = recipe
    plans: list[tuple[str, bool, Any]] = []  # (field, a list?, its pieces)
    for name in tokened:
        value = block.__dict__[name]
        if isinstance(value, str):
            plans.append((name, False, _pieces(value)))
        elif isinstance(value, list) and all(isinstance(x, str) for x in value):
            plans.append((name, True, [_pieces(x) for x in value]))
        else:
            return lambda values: _copy(recipe, values)
    if any(any(isinstance(x, list) for x in block.__dict__[name]) for name in lists):
        return lambda values: _copy(recipe, values)
    cls, base, new = type(block), block.__dict__, object.__new__

    def make(values: list[str]) -> Any:
        held = base.copy()
        for name, n in direct:
            held[name] = values[n]
        for name, listed, pieces in plans:
            if listed:
                held[name] = [
                    "".join([values[x] if type(x) is int else x for x in p]) for p in pieces
                ]
            else:
                held[name] = "".join([values[x] if type(x) is int else x for x in pieces])
        for name in lists:
            held[name] = list(base[name])
        made = new(cls)
        made.__dict__ = held
        return made

    return make


def fill(
    source: str, usage: tuple[frozenset[str], frozenset[str]], context: dict[str, Any], build: Any
) -> list[Any] | None:
    """The blocks of ``source`` rendered with ``context``, from its form; None when the
    context is not one for forms (the caller renders it). ``usage`` is the
    template's :func:`usage` (not None: the template is a form).

    ``build(context)`` renders and parses a context into numbered blocks (the
    ordinary path); it is called once per shape, with the tokens.
    """
    got = _tokens(context, usage)
    if got is None:
        return None
    shape, values = got
    key = (source, shape)
    form = _FORMS.get(key)
    if form is None and (form := _FORMS.recall(key)) is None:
        try:
            form = [_maker(_recipe(b)) for b in build(_tokened(shape))]
        except Exception:  # noqa: BLE001 - the ordinary path meets it again and reports it
            return None
        _FORMS.keep(key, form)
    return [make(values) for make in form]
