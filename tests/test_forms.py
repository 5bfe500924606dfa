"""Forms (speechgen/compose/forms.py): a template that only prints its strings and
iterates its lists is rendered once per shape of context and filled in; the documents
must equal the ordinary path's (Jinja, then the markup parser) for any strings."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from speechgen.compose import forms
from speechgen.compose.templates import _source, render_template
from speechgen.compose.templating import template_env
from speechgen.errors import TemplateProblem

# ordinary text (inner spaces too), and the strings a form must not take or must take
# right: the characters that matter to the markup, whitespace of every kind at either
# end, empty strings, the tokens' own characters, line breaks
PLAIN = st.text(
    alphabet=list("甲乙方（）“”，。责任书县局abc0123.-_ \u3000"), min_size=1, max_size=10
)
INERT = PLAIN.map(str.strip).filter(bool)
ODD = st.sampled_from(
    ["", " ", "\u3000", "\t", "\xa0", "\\", "|", "{", "}", "*", "#", ":", "+", "\n", "\r\n"]
    + ["\ue000", "\ue001", "\ue0000\ue001", "+++", ":::", "# ", "{.title}"]
)
EDGY = st.tuples(ODD, PLAIN, ODD, PLAIN, ODD).map("".join)
TEXT = st.one_of(INERT, INERT, INERT, INERT, EDGY, st.just(""))
LINES = st.lists(TEXT, max_size=4)


def _ordinary(monkeypatch: pytest.MonkeyPatch, *args, **kw):
    with monkeypatch.context() as m:
        m.setattr(forms, "fill", lambda *a, **k: None)
        return render_template(*args, **kw)


def test_the_letter_template_is_a_form() -> None:
    source, _ = _source("letter", None)
    assert forms.usage(source, template_env()) == (
        frozenset({"title", "party_a", "party_b", "preamble", "term", "other"}),
        frozenset({"targets", "duties", "sanctions", "sign_left", "sign_right"}),
    )


@pytest.mark.parametrize("kind", ["notice", "speech"])
def test_templates_that_look_at_their_values_are_not(kind: str) -> None:
    source, _ = _source(kind, None)
    assert forms.usage(source, template_env()) is None


@pytest.mark.parametrize(
    "source",
    [
        "{% if a %}{{ a }}{% endif %}",
        "{{ a | upper }}",
        "{{ a ~ b }}",
        "{{ a.b }}",
        "{{ a[0] }}",
        "{% for x in xs %}{{ x }}{% else %}无{% endfor %}",
        "{% for x in xs if x %}{{ x }}{% endfor %}",
        "{% for i in range(xs | length) %}{{ i }}{% endfor %}",
        "{% for x in xs %}{{ x | length }}{% endfor %}",
        "{% set y = a %}{{ y }}",
        "{{ xs }}{% for x in xs %}{{ x }}{% endfor %}",
        "{% for x in xs %}{% for y in x %}{{ y }}{% endfor %}{% endfor %}",
        "{{ a ",
    ],
)
def test_any_other_use_of_a_value_keeps_the_ordinary_path(source: str) -> None:
    assert forms.usage(source, template_env()) is None


def _letter_context(strings: list[str], lists: list[list[str]]) -> dict:
    names = ["title", "party_a", "party_b", "preamble", "term", "other"]
    ctx = dict(zip(names, strings, strict=True))
    ctx.update(zip(["targets", "duties", "sanctions"], lists[:3], strict=True))
    left = lists[3]
    ctx["sign_left"] = left
    ctx["sign_right"] = (lists[4] + ["乙方"] * len(left))[: len(left)]
    return ctx


@settings(max_examples=600, deadline=None)
@given(
    strings=st.lists(TEXT, min_size=6, max_size=6), lists=st.lists(LINES, min_size=5, max_size=5)
)
def test_a_letter_from_its_form_equals_the_ordinary_render(
    strings: list[str], lists: list[list[str]]
) -> None:
    ctx = _letter_context(strings, lists)
    try:
        with pytest.MonkeyPatch.context() as m:
            m.setattr(forms, "fill", lambda *a, **k: None)
            expected = render_template("letter", ctx, kind="letter", name_stem="x")
    except TemplateProblem:
        with pytest.raises(TemplateProblem):
            render_template("letter", ctx, kind="letter", name_stem="x")
        return
    got = render_template("letter", ctx, kind="letter", name_stem="x")
    assert got == expected


def test_the_form_is_used_and_each_document_gets_its_own_blocks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    forms._FORMS.forget()
    base = _letter_context(
        ["责任书", "甲方县政府", "乙方一", "序言。", "期限。", "其他。"],
        [["目标一。"], ["职责一。", "职责二。"], ["奖惩。"], ["甲方：县政府"], ["乙方：乙方一"]],
    )
    first = render_template("letter", base, kind="letter", name_stem="a")
    second = render_template(
        "letter", {**base, "party_b": "乙方二", "sign_right": ["乙方：乙方二"]}, kind="letter"
    )
    assert len(forms._FORMS) == 1  # one shape, rendered once
    assert "乙方：乙方一" in [b.full_text for b in first.blocks if hasattr(b, "full_text")]
    assert "乙方：乙方二" in [b.full_text for b in second.blocks if hasattr(b, "full_text")]
    assert not {id(b) for b in first.blocks} & {id(b) for b in second.blocks}
    assert second == _ordinary(
        monkeypatch,
        "letter",
        {**base, "party_b": "乙方二", "sign_right": ["乙方：乙方二"]},
        kind="letter",
    )
    # a string the markup would change takes the ordinary path, and is right
    odd = {**base, "party_b": "乙方 *三* | {.title}"}
    assert render_template("letter", odd, kind="letter") == _ordinary(
        monkeypatch, "letter", odd, kind="letter"
    )
    assert len(forms._FORMS) == 1


def test_a_users_template_that_is_a_form_is_filled_too(tmp_path: Path) -> None:
    (tmp_path / "letter.md.j2").write_text(
        "{{ title }} {.title}\n\n{% for t in duties %}*{{ loop.index | cn }}.*{{ t }}\n\n"
        "{% endfor %}",
        encoding="utf-8",
    )
    source, _ = _source("letter", str(tmp_path))
    assert forms.usage(source, template_env()) is not None
    doc = render_template(
        "letter", {"title": "标题", "duties": ["甲。", "乙。"]}, tmp_path, kind="letter"
    )
    assert [(b.role, b.lead, b.text) for b in doc.blocks] == [
        ("title", "", "标题"),
        ("body", "一.", "甲。"),
        ("body", "二.", "乙。"),
    ]
