"""The one Jinja2 environment: sandboxed, strict, with data escaped as data.

Templates and snippets are template source; values from YAML, CSV or XLSX are
only ever passed in as variables, never compiled. ``finalize`` escapes every
``{{ value }}`` so that a value cannot start a heading, a table row or an
attribute list in the block markup that templates emit (see
:mod:`speechgen.markup`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from ..errors import TemplateProblem
from ..model import cn_ordinal


def _markup_escape(value: Any) -> Any:
    # Imported lazily: markup imports nothing from here, but keep the layers clear.
    from ..markup import escape_inline

    if isinstance(value, str):
        return escape_inline(value)
    return value


class _Env(SandboxedEnvironment):
    """Sandbox that refuses attribute access to anything underscored."""

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if attr.startswith("_"):
            return False
        return super().is_safe_attribute(obj, attr, value)


def make_env(escape: bool) -> SandboxedEnvironment:
    """A strict sandboxed environment; ``escape`` turns on markup escaping."""
    env = _Env(
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_markup_escape if escape else None,
    )
    env.filters["cn"] = cn_ordinal
    return env


@lru_cache(maxsize=2)
def snippet_env() -> SandboxedEnvironment:
    """Environment for snippet texts: plain strings in, plain strings out."""
    return make_env(escape=False)


@lru_cache(maxsize=2)
def template_env() -> SandboxedEnvironment:
    """Environment for document templates that emit block markup."""
    return make_env(escape=True)


def render_string(
    env: SandboxedEnvironment, source: str, context: dict[str, Any], where: str
) -> str:
    """Compile (cached by the environment) and render ``source`` with ``context``."""
    try:
        tmpl = _compile(env, source)
        return tmpl.render(context)
    except SecurityError as exc:
        raise TemplateProblem(f"{where}: 模板试图访问不允许的对象，已被沙箱拦截（{exc}）") from None
    except UndefinedError as exc:
        raise TemplateProblem(f"{where}: 模板使用了未提供的变量（{exc}）") from None
    except TemplateError as exc:
        raise TemplateProblem(f"{where}: 模板有误（{exc}）") from None


_compiled: dict[tuple[int, str], Any] = {}


def _compile(env: SandboxedEnvironment, source: str) -> Any:
    key = (id(env), source)
    tmpl = _compiled.get(key)
    if tmpl is None:
        tmpl = env.from_string(source)
        _compiled[key] = tmpl
    return tmpl
