"""Compiled regular expressions and dataclass methods kept from one command to the next.

Compiling a regular expression is done in Python by the ``re`` module (parse, then
translate to the ``_sre`` engine's code, a list of integers) and is slow for character
classes over CJK ranges: the check rules' patterns alone take tens of milliseconds at
every start. The result of the translation depends only on the pattern, the flags and
the interpreter, so the command keeps it in the user's cache (speechgen/usercache.py)
and the next start hands the stored code to ``_sre.compile`` — the call ``re`` itself
ends with — instead of translating again. The pattern object is the one ``re`` would
build; a pattern not in the cache is compiled by ``re`` as usual and stored at exit.

``dataclasses`` writes each class's ``__init__``, ``__repr__``, ``__eq__``… as Python
source and compiles it with ``exec`` (about a millisecond a class, some forty classes on
the way to a render). The module's ``exec`` is given the compiled code of the same source
from the cache (compiled as ``exec`` compiles it: ``<string>``, no inherited flags); the
functions are then made from it exactly as before.

Only the command line turns this on (:func:`install`, from ``cli.py``), only on the
CPython versions whose ``re._compiler.compile`` reads as below (3.11–3.13), and the key
holds the exact interpreter build and the engine's MAGIC: any other interpreter, an
unreadable or stale cache, or a failure while installing leaves ``re`` untouched.
"""

from __future__ import annotations

import atexit
import os
import sys
from typing import Any

from . import usercache

_NAME = "regex.marshal"
_CODE_NAME = "dataclass-code.marshal"
_MAX_ENTRIES = 2000  # patterns, and dataclass methods, kept (this run's first)
_MAX_PATTERN = 20_000  # characters: longer patterns are compiled, not kept

_table: dict[tuple[type, str | bytes, int], tuple] = {}
_used: dict[tuple[type, str | bytes, int], tuple] = {}
_state: dict[str, Any] = {"key": None, "new": 0, "pid": None, "folder": None}
_code: dict[str, Any] = {}  # dataclass method source -> its compiled code
_code_state: dict[str, Any] = {"new": 0, "used": set()}


def _key() -> str:
    import _sre

    return usercache.key_of(
        ["regex", sys.version, sys.implementation.cache_tag or "", str(_sre.MAGIC)]
    )


def install() -> bool:
    """Serve ``re`` compilations from the cache from now on; False when not possible."""
    if _state["key"] is not None:
        return True
    if sys.implementation.name != "cpython" or sys.version_info[:2] not in (
        (3, 11),
        (3, 12),
        (3, 13),
    ):
        return False
    where = usercache.folder()
    if where is None:  # the cache is turned off: re as it is
        return False
    try:
        import _sre
        import re._compiler as compiler
        import re._parser as parser

        key = _key()
        stored = usercache.read(_NAME, key)
        if isinstance(stored, (list, tuple)):
            for entry in stored:
                kind, pattern, flags, *rest = entry
                _table[(str if kind == "s" else bytes, pattern, flags)] = tuple(rest)
        original = compiler.compile
    except Exception:  # noqa: BLE001 - a cache is never a reason to fail
        _table.clear()
        return False

    def compile(p: Any, flags: int = 0) -> Any:  # noqa: A001 - re._compiler's own name
        if not isinstance(p, (str, bytes)) or flags & compiler.SRE_FLAG_DEBUG:
            return original(p, flags)
        k = (type(p), p, flags)
        got = _table.get(k)
        if got is not None:
            try:
                pat = _sre.compile(p, *got)
            except Exception:  # noqa: BLE001 - a damaged entry: compile it afresh
                _table.pop(k, None)
            else:
                _used[k] = got
                return pat
        # what re._compiler.compile does (3.11-3.13), keeping the engine's code
        parsed = parser.parse(p, flags)
        code = [int(op) for op in compiler._code(parsed, flags)]  # named opcodes: ints
        groupindex = parsed.state.groupdict
        indexgroup = [None] * parsed.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
        args = (
            flags | parsed.state.flags,
            code,
            parsed.state.groups - 1,
            groupindex,
            tuple(indexgroup),
        )
        pat = _sre.compile(p, *args)
        if len(p) <= _MAX_PATTERN:
            _used[k] = _table[k] = args
            _state["new"] += 1
        return pat

    compiler.compile = compile
    _state.update(key=key, pid=os.getpid(), folder=where)  # saved at exit where it was read
    _install_dataclass_code(key)
    atexit.register(_save)
    return True


def _install_dataclass_code(key: str) -> None:
    import builtins
    import dataclasses
    import types

    stored = usercache.read(_CODE_NAME, key)
    if isinstance(stored, dict):
        _code.update((k, v) for k, v in stored.items() if isinstance(v, types.CodeType))

    def exec(source: Any, globals: Any = None, locals: Any = None) -> None:  # noqa: A001
        if not isinstance(source, str):
            return builtins.exec(source, globals, locals)
        code = _code.get(source)
        if code is None:
            code = builtins.compile(source, "<string>", "exec", dont_inherit=True)
            _code[source] = code
            _code_state["new"] += 1
        _code_state["used"].add(source)
        return builtins.exec(code, globals, locals)

    dataclasses.exec = exec  # type: ignore[attr-defined]  # the module's name, not builtins'


def _save() -> None:
    """Write the caches when this run compiled something new (this run's entries first)."""
    if _state["pid"] != os.getpid():  # a forked worker: the parent writes
        return
    if _code_state["new"]:
        used = _code_state["used"]
        kept = {k: v for k, v in _code.items() if k in used}
        kept.update((k, v) for k, v in _code.items() if k not in used and len(kept) < _MAX_ENTRIES)
        usercache.write(_CODE_NAME, _state["key"], kept, _state["folder"])
        _code_state["new"] = 0
    if not _state["new"]:
        return
    entries = []
    for k, args in [*_used.items(), *((k, a) for k, a in _table.items() if k not in _used)]:
        if len(entries) >= _MAX_ENTRIES:
            break
        kind, pattern, flags = k
        entries.append(("s" if kind is str else "b", pattern, flags, *args))
    usercache.write(_NAME, _state["key"], tuple(entries), _state["folder"])
    _state["new"] = 0
