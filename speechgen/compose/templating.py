"""The one Jinja2 environment: sandboxed, strict, with data escaped as data.

Templates and snippets are template source; values from YAML, CSV or XLSX are
only ever passed in as variables, never compiled. ``finalize`` escapes every
``{{ value }}`` so that a value cannot start a heading, a table row or an
attribute list in the block markup that templates emit (see
:mod:`speechgen.markup`).

Templates and snippets may come from another office (``--templates``,
``--snippets``), so whatever they do ends in a :class:`TemplateProblem`, never
a traceback: sandbox escapes, ``{% include %}``, division by zero, and the
cheap ways to exhaust memory (``'x' * 10**10``, ``9 ** 10**9``, ``'%999999999d'``,
output beyond :data:`MAX_OUTPUT`). Snippets see only their slots: no Jinja
globals (``{{ lipsum }}`` would print a function and its memory address).

Every render also has a time limit (:func:`.template_limits.set_time_limit`,
``render --template-timeout``, default ``DEFAULT_TIME_LIMIT`` seconds): nested
loops that print nothing (``range(99999)`` inside ``range(99999)``) never
reach the output limit, so a timer interrupts them (``SIGALRM`` where the
platform has it, and a deadline checked by the sandbox's ``range`` as well).
"""

from __future__ import annotations

import re
import signal
import string
import threading
import time
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from ..errors import TemplateProblem, TemplateTimeout
from ..model import cn_ordinal
from .template_limits import MAX_OUTPUT, MAX_RANGE, time_limit
from .walk import escape_value

MAX_SIZE = 1_000_000  # items of a sequence made with *, digits of a power, a format width
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_WIDTHS = re.compile(r"\d+")


_deadline: list[float] = []  # the deadline of the render in progress (outermost only)


class _Timeout(BaseException):
    """A render ran past its time limit."""


def _check_deadline() -> None:
    if _deadline and time.monotonic() > _deadline[0]:
        raise _Timeout()


def _on_alarm(signum: int, frame: Any) -> None:
    raise _Timeout()


class _Timer:
    """The time limit around one render: a real-time timer signal plus a deadline.

    Nested renders (a template that fills a snippet) share the outermost
    deadline. The signal is only used in the main thread (where Python
    delivers signals) and restored afterwards.
    """

    def __init__(self) -> None:
        self.outer = False
        self.old_handler: Any = None

    def __enter__(self) -> _Timer:
        seconds = time_limit()
        if _deadline or seconds <= 0:
            return self
        self.outer = True
        _deadline.append(time.monotonic() + seconds)
        if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
            self.old_handler = signal.signal(signal.SIGALRM, _on_alarm)
            signal.setitimer(signal.ITIMER_REAL, seconds)
        return self

    def __exit__(self, *exc: Any) -> None:
        if not self.outer:
            return
        if self.old_handler is not None:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.old_handler)
        _deadline.clear()


class _TimedRange(Sequence):
    """``range`` for templates: a range that checks the render's deadline as it is iterated."""

    def __init__(self, rng: range):
        self._rng = rng

    def __len__(self) -> int:
        return len(self._rng)

    def __getitem__(self, index: Any) -> Any:
        got = self._rng[index]
        return _TimedRange(got) if isinstance(got, range) else got

    def __iter__(self) -> Iterator[int]:
        for k, value in enumerate(self._rng):
            if k % 1024 == 0:
                _check_deadline()
            yield value

    def __repr__(self) -> str:
        return repr(self._rng)


def _timed_range(*args: int) -> _TimedRange:
    rng = range(*args)
    if len(rng) > MAX_RANGE:
        # the same refusal as Jinja's sandboxed range
        raise OverflowError(
            f"Range too big. The sandbox blocks ranges larger than MAX_RANGE ({MAX_RANGE})."
        )
    return _TimedRange(rng)


class _TooBig(SecurityError):
    """A result that would exhaust memory (a sandbox refusal of its own kind)."""


def _too_big(what: str) -> SecurityError:
    return _TooBig(f"{what} is too large for a template (limit {MAX_SIZE})")


def _check_percent_format(fmt: str) -> None:
    for m in _PERCENT_SPEC.finditer(fmt):
        for width in m.groups():
            if width == "*" or (width and int(width) > MAX_SIZE):
                raise _too_big("a %-format width")


def _check_format_spec(fmt: str) -> None:
    try:
        fields = list(string.Formatter().parse(fmt))
    except ValueError:
        return  # str.format reports it
    for _, _, spec, _ in fields:
        if spec and ("{" in spec or any(int(w) > MAX_SIZE for w in _WIDTHS.findall(spec))):
            raise _too_big("a format width")


class _Env(SandboxedEnvironment):
    """Sandbox that refuses underscored attributes and oversized results."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if attr.startswith("_"):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if hasattr(seq, "__len__") and isinstance(n, int) and len(seq) * n > MAX_SIZE:
                    raise _too_big("a repeated sequence")
        elif operator == "**":
            if isinstance(left, int) and isinstance(right, int) and abs(left) > 1:
                if right * max(abs(left).bit_length(), 1) > MAX_SIZE * 4:
                    raise _too_big("a power")
        elif operator == "%" and isinstance(left, str):
            _check_percent_format(left)
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Any:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            _check_format_spec(value.__self__)
        return wrapped


def _bounded_filter(func: Any, name: str) -> Any:
    """``format``, ``center``, ``indent`` with their widths bounded."""

    def bounded(value: Any, *args: Any, **kwargs: Any) -> Any:
        if name == "format" and isinstance(value, str):
            _check_percent_format(value)
        for arg in (*args, *kwargs.values()):
            if isinstance(arg, int) and arg > MAX_SIZE:
                raise _too_big(f"a width given to the {name} filter")
        return func(value, *args, **kwargs)

    return bounded


def make_env(escape: bool, *, jinja_globals: bool = True) -> SandboxedEnvironment:
    """A strict sandboxed environment; ``escape`` turns on markup escaping.

    ``jinja_globals=False`` leaves only the variables passed in (snippets);
    templates keep ``range``, ``cycler``, ``joiner``, ``namespace`` and
    ``dict``, but never ``lipsum``, which is random.
    """
    env = _Env(
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=escape_value if escape else None,
    )
    env.filters["cn"] = cn_ordinal
    for name in ("format", "center", "indent"):
        env.filters[name] = _bounded_filter(env.filters[name], name)
    env.globals.pop("lipsum", None)
    env.globals["range"] = _timed_range
    if not jinja_globals:
        env.globals.clear()
    return env


@lru_cache(maxsize=2)
def snippet_env() -> SandboxedEnvironment:
    """Environment for snippet texts: plain strings in, plain strings out."""
    return make_env(escape=False, jinja_globals=False)


@lru_cache(maxsize=2)
def template_env() -> SandboxedEnvironment:
    """Environment for document templates that emit block markup."""
    env = make_env(escape=True)
    env.speechgen_kind = "template"  # type: ignore[attr-defined]  # its code is cached
    return env


def render_string(
    env: SandboxedEnvironment, source: str, context: dict[str, Any], where: str
) -> str:
    """Compile (cached by the environment) and render ``source`` with ``context``."""
    try:
        tmpl = _compile(env, source)
        parts: list[str] = []
        size = 0
        with _Timer():
            for chunk in tmpl.generate(context):
                size += len(chunk)
                if size > MAX_OUTPUT:
                    raise TemplateProblem(
                        f"{where}: 模板生成的文字超过 {MAX_OUTPUT} 个字符，已停止（模板中可能有失控的循环）"
                    )
                parts.append(chunk)
                if not len(parts) & 31:  # every 32 pieces: a cheap check, still prompt
                    _check_deadline()
        return "".join(parts)
    except TemplateProblem:
        raise
    except _Timeout:
        seconds = f"{time_limit():g}"
        raise TemplateTimeout(
            f"{where}: 运行超过 {seconds} 秒仍未完成，已停止（模板中可能有失控的循环；"
            "确需更长时间请用 --template-timeout 调整秒数）"
        ) from None
    except _TooBig as exc:
        raise TemplateProblem(f"{where}: 模板要生成的内容过大，已被拦截（{exc}）") from None
    except SecurityError as exc:
        raise TemplateProblem(f"{where}: 模板试图访问不允许的对象，已被沙箱拦截（{exc}）") from None
    except UndefinedError as exc:
        raise TemplateProblem(f"{where}: 模板使用了未提供的变量或属性（{exc}）") from None
    except TemplateSyntaxError as exc:
        line = f"第 {exc.lineno} 行" if exc.lineno else ""
        raise TemplateProblem(f"{where}: 模板{line}语法有误（{exc.message}）") from None
    except TemplateError as exc:
        raise TemplateProblem(f"{where}: 模板有误（{exc}）") from None
    except MemoryError:
        raise TemplateProblem(f"{where}: 模板占用内存过多，已停止") from None
    except RecursionError:
        raise TemplateProblem(f"{where}: 模板递归过深（宏或循环调用自身），已停止") from None
    except Exception as exc:  # noqa: BLE001 - whatever a user's template does is a template problem
        if isinstance(exc, TypeError) and "no loader" in str(exc):
            reason = "模板不能引用其他文件（{% include %}、{% import %}、{% extends %}）"
        else:
            reason = f"模板运行出错：{type(exc).__name__}：{exc}"
        raise TemplateProblem(f"{where}: {reason}") from None


_compiled: dict[tuple[int, str], Any] = {}

# A document template's compiled Python code is kept in the user cache
# (speechgen/usercache.py) under a key of the source, the environment's settings, this
# module's code and Jinja's version: the next start loads the code instead of lexing,
# parsing and generating it again (what Jinja's own bytecode cache does for loaders).
# Snippets are filled without Jinja (compose/library.py), so only templates are kept.
_CACHED_KINDS = ("template",)


@lru_cache(maxsize=1)
def _code_key() -> str:
    import jinja2

    from .. import usercache

    with open(__file__, "rb") as f:
        return usercache.key_of(["jinja", jinja2.__version__, f.read()])


def _from_source(env: SandboxedEnvironment, source: str) -> Any:
    """``env.from_string(source)``, the code read from / written to the user cache."""
    kind = getattr(env, "speechgen_kind", "")
    if kind not in _CACHED_KINDS:
        return env.from_string(source)
    import types

    from .. import usercache

    key = usercache.key_of([_code_key(), kind, source])
    name = f"template-{key[:32]}.marshal"
    code = usercache.read(name, key)
    if not isinstance(code, types.CodeType):
        code = env.compile(source)  # raises TemplateSyntaxError as from_string does
        usercache.write(name, key, code)
    return env.template_class.from_code(env, code, env.make_globals(None), None)


def _compile(env: SandboxedEnvironment, source: str) -> Any:
    key = (id(env), source)
    tmpl = _compiled.get(key)
    if tmpl is None:
        tmpl = _from_source(env, source)
        _compiled[key] = tmpl
    return tmpl
