"""Find a document template (the user's first, then the bundled one) and render it."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import TemplateProblem
from ..inputs.limits import ENV, Limits
from ..inputs.yamlread import read_limited
from ..links import inside_folder
from ..markup import MarkupError, parse
from ..model import Document, number_headings
from . import forms, walk

LIMIT_VAR = ENV["max_input_bytes"]


@lru_cache(maxsize=32)
def _source(name: str, user_dir: str | None) -> tuple[str, str]:
    from ..doctypes import template_path

    candidates = [Path(user_dir) / f"{name}.md.j2"] if user_dir else []
    bundled = template_path(name)  # in its kind's folder (speechgen/doctypes)
    candidates.append(bundled)
    for path in candidates:
        if user_dir and path.parent == Path(user_dir) and not inside_folder(path, Path(user_dir)):
            raise TemplateProblem(
                f"模板 {path} 是指向文件夹以外的链接，为安全起见不读取：请把模板文件本身放进该文件夹"
            )
        if path.is_file():
            try:  # the size limit of job files (SPEECHGEN_MAX_INPUT_BYTES)
                limits = Limits() if path == bundled else Limits.from_env()
                data = read_limited(path, limits.max_input_bytes, env_var=LIMIT_VAR)
                return data.decode("utf-8-sig"), str(path)
            except UnicodeDecodeError as exc:
                raise TemplateProblem(f"模板 {path} 无法读取：{exc}") from None
    raise TemplateProblem(f"找不到模板 {name}.md.j2")


def _compiled(source: str) -> tuple[Any, Any]:
    """The walker's tuples and the forms usage of a template source (or None each),
    from the user cache; Jinja parses the source only when they are not there."""

    def make() -> tuple[Any, Any]:
        from .templating import template_env  # noqa: PLC0415 - Jinja only on a miss

        env = template_env()
        try:
            tree = walk.tree_of(env.parse(source))
        except Exception:  # noqa: BLE001 - a syntax error: Jinja's render reports it
            tree = None
        return tree, forms.usage(source, env)

    return walk.compiled(source, make)


def _markup(source: str, tree: Any, context: dict[str, Any], where: str) -> str:
    """The template's markup for ``context``: walked when it can be, else by Jinja."""
    if tree is not None:
        text = walk.render(tree, context)
        if text is not None:
            return text
    from .templating import render_string, template_env  # noqa: PLC0415

    return render_string(template_env(), source, context, f"模板 {where}")


def render_markup(name: str, context: dict[str, Any], user_dir: str | Path | None = None) -> str:
    """The block markup of template ``name`` rendered in the sandbox."""
    source, where = _source(name, str(user_dir) if user_dir else None)
    return _markup(source, _compiled(source)[0], context, where)


def render_template(
    name: str,
    context: dict[str, Any],
    user_dir: str | Path | None = None,
    *,
    kind: str,
    name_stem: str | None = None,
) -> Document:
    """Render template ``name`` and parse its markup into a numbered :class:`Document`
    (from its form when the template and the context allow: :mod:`.forms`)."""
    source, where = _source(name, str(user_dir) if user_dir else None)
    tree, usage = _compiled(source)

    def build(ctx: dict[str, Any]) -> list:
        markup = _markup(source, tree, ctx, where)
        try:
            blocks = parse(markup)
        except MarkupError as exc:
            raise TemplateProblem(f"模板 {name}.md.j2 生成的内容无法解析：{exc}") from None
        number_headings(blocks)
        return blocks

    blocks = forms.fill(source, usage, context, build) if usage is not None else None
    if blocks is None:
        blocks = build(context)
    return Document(kind=kind, name=name_stem or context.get("title", name), blocks=blocks)
