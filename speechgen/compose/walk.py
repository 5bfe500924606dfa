"""Document templates rendered by walking their syntax tree, without importing Jinja.

Importing Jinja2 and its sandbox costs a cold ``speechgen render`` more than half
of its 200 ms budget, yet the bundled templates use only a few constructs: text,
``{{ value }}``, ``{% for x in list %}`` (with an ``if`` filter), ``{% if %}`` /
``elif`` / ``else``, ``not``/``and``/``or``, ``a.b``, ``a[i]``, ``range(n)``,
``loop.index`` and the like, and the filters ``cn`` and ``length``.

:func:`compiled` turns a template's Jinja syntax tree into nested tuples of those
constructs once (Jinja parses it, so whitespace control and comments are Jinja's
own) and keeps them in the user cache (speechgen/usercache.py), so a later start
reads the tuples instead of importing Jinja. :func:`render` walks them with a
context and gives exactly the text Jinja's sandbox would (see
``tests/test_walk.py``, which renders the same contexts both ways), or None
whenever the template or the values do anything it does not mirror exactly: an
unknown node, a missing name, a method, a value of another type, an index out of
range, a loop too long, an output too large. The caller then renders with Jinja,
which gives the same text or reports the problem in its own words.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from .. import usercache
from ..markup import escape_inline
from ..memo import Memo
from ..model import cn_ordinal
from .template_limits import MAX_OUTPUT, MAX_RANGE

MAX_STEPS = 1_000_000  # loop turns walked before leaving a template to Jinja (and its timer)

ESCAPED_MAX = 1024
_ESCAPED: Memo[str, str] = Memo(ESCAPED_MAX)  # escape_inline of the values seen

LOOP_ATTRS = frozenset({"index", "index0", "revindex", "revindex0", "first", "last", "length"})
_FILTERS = ("cn", "length")
_PLAIN = (str, int, float, bool, type(None), list, tuple, dict)


def escape_value(value: Any) -> Any:
    """What a template prints for ``value``: strings escaped for the block markup
    (:func:`speechgen.markup.escape_inline`), anything else as it is."""
    if isinstance(value, str):
        got = _ESCAPED.get(value)
        if got is None and (got := _ESCAPED.recall(value)) is None:
            got = _ESCAPED.keep(value, escape_inline(value))
        return got
    return value


class _Unsupported(Exception):
    """A construct or a value this walker does not mirror: Jinja renders it."""


# --- from Jinja's tree to tuples (only when the template is not in the cache) ---


def tree_of(jinja_tree: Any) -> tuple | None:
    """The tuples of a parsed template (``env.parse(source)``), or None when it uses
    anything else."""
    try:
        return _stmts(jinja_tree.body, loop=False)
    except _Unsupported:
        return None


def _stmts(body: list[Any], loop: bool) -> tuple:
    from jinja2 import nodes

    out: list[tuple] = []
    for s in body:
        if isinstance(s, nodes.Output):
            for e in s.nodes:
                if isinstance(e, nodes.TemplateData):
                    out.append(("data", e.data))
                else:
                    out.append(("out", _expr(e, loop)))
        elif isinstance(s, nodes.For):
            if s.else_ or s.recursive or not isinstance(s.target, nodes.Name):
                raise _Unsupported
            if s.target.name in ("loop", "range"):
                raise _Unsupported
            test = None if s.test is None else _expr(s.test, loop=False)
            out.append(("for", s.target.name, _expr(s.iter, loop), test, _stmts(s.body, True)))
        elif isinstance(s, nodes.If):
            rest = _stmts(s.else_, loop)
            for branch in reversed(s.elif_):
                rest = (("if", _expr(branch.test, loop), _stmts(branch.body, loop), rest),)
            out.append(("if", _expr(s.test, loop), _stmts(s.body, loop), rest))
        else:
            raise _Unsupported
    return tuple(out)


def _expr(e: Any, loop: bool) -> tuple:
    from jinja2 import nodes

    if isinstance(e, nodes.Name) and e.ctx == "load" and e.name not in ("loop", "range"):
        return ("name", e.name)
    if isinstance(e, nodes.Const) and type(e.value) in (str, int, float, bool, type(None)):
        return ("const", e.value)
    if isinstance(e, nodes.Getattr) and isinstance(e.node, nodes.Name) and e.node.name == "loop":
        if not loop or e.attr not in LOOP_ATTRS:
            raise _Unsupported
        return ("loop", e.attr)
    if isinstance(e, nodes.Getattr):
        return ("attr", _expr(e.node, loop), e.attr)
    if isinstance(e, nodes.Getitem) and not isinstance(e.arg, nodes.Slice):
        return ("item", _expr(e.node, loop), _expr(e.arg, loop))
    if isinstance(e, nodes.Not):
        return ("not", _expr(e.node, loop))
    if isinstance(e, (nodes.And, nodes.Or)):
        op = "and" if isinstance(e, nodes.And) else "or"
        return (op, _expr(e.left, loop), _expr(e.right, loop))
    if isinstance(e, nodes.Filter) and e.node is not None and e.name in _FILTERS:
        if e.args or e.kwargs or e.dyn_args or e.dyn_kwargs:
            raise _Unsupported
        return ("filter", e.name, _expr(e.node, loop))
    n = range_argument(e)
    if n is not None:
        return ("range", _expr(n, loop))
    raise _Unsupported


def range_argument(e: Any) -> Any | None:
    """The argument of a Jinja node ``range(n)`` (one positional argument, nothing
    else), or None for any other node."""
    from jinja2 import nodes

    if (
        isinstance(e, nodes.Call)
        and isinstance(e.node, nodes.Name)
        and e.node.name == "range"
        and len(e.args) == 1
        and not (e.kwargs or e.dyn_args or e.dyn_kwargs)
    ):
        return e.args[0]
    return None


# --- the cache ---

_MEMO: dict[str, tuple] = {}


def _code_parts() -> list[bytes | str]:
    """What the tuples of a source depend on besides the source: the code that makes
    them (this module, the environment's settings, the forms reading) and Jinja's
    installed version, found without importing it."""
    import importlib.util

    here = os.path.dirname(os.path.abspath(__file__))
    parts: list[bytes | str] = ["walk"]
    for name in ("walk.py", "template_limits.py", "templating.py", "forms.py"):
        with open(os.path.join(here, name), "rb") as f:
            parts.append(f.read())
    spec = importlib.util.find_spec("jinja2")
    origin = getattr(spec, "origin", None) or ""
    try:
        st = os.stat(origin)
        parts.append(f"{origin}:{st.st_size}:{st.st_mtime_ns}")
    except OSError:
        parts.append(origin)
    return parts


def compiled(source: str, make: Callable[[], tuple[Any, Any]]) -> tuple[Any, Any]:
    """``make()`` for ``source`` — its tuples (or None) and its forms usage (or None),
    plain data — from this process's memo, the user cache, or ``make`` (with Jinja)."""
    got = _MEMO.get(source)
    if got is None:
        parts = [*_code_parts(), source]
        data = usercache.cached("template-tree.marshal", parts, lambda: tuple(make()))
        got = data if isinstance(data, tuple) and len(data) == 2 else tuple(make())
        if len(_MEMO) >= 32:
            _MEMO.clear()
        _MEMO[source] = got
    return got


# --- walking ---


def render(tree: tuple, context: dict[str, Any]) -> str | None:
    """The text of the template ``tree`` with ``context``, as Jinja's sandbox renders it
    with ``finalize=escape_value``; None when Jinja must render it."""
    out: list[str] = []
    state = [0, 0]  # characters out, loop turns
    try:
        _run(tree, context, (), None, out, state)
    except (_Unsupported, RecursionError, MemoryError):
        return None
    except Exception:  # noqa: BLE001 - Jinja meets it again and reports it
        return None
    return "".join(out)


def _run(
    stmts: tuple,
    ctx: dict[str, Any],
    bound: tuple,
    loop: tuple[int, int] | None,
    out: list[str],
    state: list[int],
) -> None:
    for s in stmts:
        op = s[0]
        if op == "data":
            out.append(s[1])
            state[0] += len(s[1])
        elif op == "out":
            value = _eval(s[1], ctx, bound, loop)
            if type(value) not in (str, int, float, bool, type(None)):
                raise _Unsupported
            text = str(escape_value(value))
            out.append(text)
            state[0] += len(text)
        elif op == "for":
            _, target, it, test, body = s
            seq = _eval(it, ctx, bound, loop)
            if type(seq) not in (list, tuple, range):
                raise _Unsupported
            if test is not None:
                seq = [x for x in seq if _eval(test, ctx, ((target, x), *bound), None)]
            n = len(seq)
            state[1] += n
            if state[1] > MAX_STEPS:
                raise _Unsupported
            for k, item in enumerate(seq):
                _run(body, ctx, ((target, item), *bound), (k, n), out, state)
        elif op == "if":
            branch = s[2] if _truth(_eval(s[1], ctx, bound, loop)) else s[3]
            _run(branch, ctx, bound, loop, out, state)
        if state[0] > MAX_OUTPUT:
            raise _Unsupported


def _truth(value: Any) -> bool:
    if type(value) not in _PLAIN and not _is_data(value):
        raise _Unsupported
    return bool(value)


def _is_data(value: Any) -> bool:
    return hasattr(type(value), "__dataclass_fields__")


def _eval(e: tuple, ctx: dict[str, Any], bound: tuple, loop: tuple[int, int] | None) -> Any:
    op = e[0]
    if op == "name":
        name = e[1]
        for bound_name, value in bound:
            if bound_name == name:
                return value
        if name not in ctx:
            raise _Unsupported  # undefined: Jinja's StrictUndefined says so
        return ctx[name]
    if op == "const":
        return e[1]
    if op == "attr":
        return _attr(_eval(e[1], ctx, bound, loop), e[2])
    if op == "item":
        return _item(_eval(e[1], ctx, bound, loop), _eval(e[2], ctx, bound, loop))
    if op == "loop":
        if loop is None:
            raise _Unsupported
        k, n = loop
        return {
            "index": k + 1,
            "index0": k,
            "revindex": n - k,
            "revindex0": n - k - 1,
            "first": k == 0,
            "last": k == n - 1,
            "length": n,
        }[e[1]]
    if op == "not":
        return not _truth(_eval(e[1], ctx, bound, loop))
    if op == "and":
        left = _eval(e[1], ctx, bound, loop)
        return _eval(e[2], ctx, bound, loop) if _truth(left) else left
    if op == "or":
        left = _eval(e[1], ctx, bound, loop)
        return left if _truth(left) else _eval(e[2], ctx, bound, loop)
    if op == "filter":
        value = _eval(e[2], ctx, bound, loop)
        if e[1] == "length":
            if type(value) not in (str, list, tuple, dict):
                raise _Unsupported
            return len(value)
        if type(value) is not int:
            raise _Unsupported
        return cn_ordinal(value)
    if op == "range":
        if "range" in ctx:
            raise _Unsupported  # a value named range hides Jinja's
        n = _eval(e[1], ctx, bound, loop)
        if type(n) is not int or n > MAX_RANGE:
            raise _Unsupported
        return range(n)
    raise _Unsupported


def _attr(obj: Any, name: str) -> Any:
    """``obj.name`` as the sandbox reads it: the attribute first, then the item."""
    if name.startswith("_") or not (type(obj) in _PLAIN or _is_data(obj)):
        raise _Unsupported
    try:
        value = getattr(obj, name)
    except AttributeError:
        if type(obj) is dict and name in obj:
            return obj[name]
        raise _Unsupported from None
    if type(value) not in _PLAIN and not _is_data(value):
        raise _Unsupported  # a method, say
    return value


def _item(obj: Any, key: Any) -> Any:
    """``obj[key]`` for a list and a whole number, or a dict and a key it has."""
    if type(obj) in (list, tuple) and type(key) is int:
        try:
            return obj[key]
        except IndexError:
            raise _Unsupported from None
    if type(obj) is dict and type(key) in (str, int) and key in obj:
        return obj[key]
    raise _Unsupported
