"""Filling a snippet without Jinja (compose/library.py ``_fill_slots``) gives Jinja's output."""

from __future__ import annotations

import pytest

from speechgen.compose.library import SELF_SLOT, SLOTS, _fill_slots, load_library
from speechgen.compose.templating import render_string, snippet_env
from speechgen.errors import TemplateProblem

VALUES = ["县应急管理局", 3, 2.5, None, True, ["甲", "乙"], "", "{{ x }}", "a\r\nb"]


def _jinja(source: str, ctx: dict) -> str:
    return render_string(snippet_env(), source, ctx, "短语 t")


def test_every_bundled_text_fills_as_jinja_fills_it() -> None:
    names = sorted((SLOTS - {"self"}) | {SELF_SLOT})
    checked = 0
    for s in load_library():
        for text in s.texts:
            for k, value in enumerate(VALUES):
                ctx = {n: value if i % 2 else f"{n}{k}" for i, n in enumerate(names)}
                fast = _fill_slots(text, ctx)
                assert fast is not None, (s.id, text)
                assert fast == _jinja(text, ctx), (s.id, text, value)
                checked += 1
    assert checked > 1000


@pytest.mark.parametrize(
    "source",
    [
        "{{ true }}条",  # a Jinja constant, not a slot
        "{{ self }}",  # Jinja's template reference
        "{ {{ upper }} }",  # braces around a slot
        "第一行\r\n{{ upper }}",  # Jinja normalises the line ending
        "{{ upper|upper }}",  # a filter: not a plain slot
        "{{- upper }}",
        "{% if upper %}有{% endif %}",
        "{{ nosuchslot }}",
    ],
)
def test_texts_that_are_not_plain_slots_go_to_jinja(source: str) -> None:
    assert _fill_slots(source, {"upper": "市", "true": "x", "nosuchslot": "y"}) is None


def test_missing_value_is_jinjas_error() -> None:
    assert _fill_slots("{{ upper }}要求", {}) is None
    with pytest.raises(TemplateProblem, match="未提供的变量"):
        _jinja("{{ upper }}要求", {})


def test_plain_text_and_slots() -> None:
    assert (
        _fill_slots("按照{{ upper }}部署，{{upper}}再", {"upper": "市委"}) == "按照市委部署，市委再"
    )
    assert _fill_slots("没有占位", {}) == "没有占位"
