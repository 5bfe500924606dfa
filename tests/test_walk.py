"""The tree walker (speechgen/compose/walk.py) renders a template exactly as Jinja's
sandbox does, or declines (None) and leaves it to Jinja; a cold render of a bundled
template never imports Jinja."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from speechgen.compose import forms, plan_job, walk
from speechgen.compose.library import load_library
from speechgen.compose.templates import _compiled, _source
from speechgen.compose.templating import render_string, template_env
from speechgen.errors import TemplateProblem
from speechgen.inputs import load_job

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "speechgen" / "samples").glob("*.yaml"))


def _jinja(source: str, context: dict[str, Any]) -> str | None:
    try:
        return render_string(template_env(), source, context, "测试模板")
    except TemplateProblem:
        return None


def _tree(source: str) -> tuple | None:
    return walk.tree_of(template_env().parse(source))


@pytest.mark.parametrize("kind", ["speech", "notice", "letter"])
def test_every_bundled_template_is_walked(kind: str) -> None:
    source, _ = _source(kind, None)
    assert _tree(source) is not None


def test_the_samples_render_the_same_walked_as_with_jinja(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every context the samples give a template: the walker's text is Jinja's."""
    seen: list[tuple[tuple, dict[str, Any]]] = []
    real = walk.render

    def spy(tree: tuple, context: dict[str, Any]) -> str | None:
        seen.append((tree, context))
        return real(tree, context)

    monkeypatch.setattr(walk, "render", spy)
    monkeypatch.setattr(
        forms, "_FORMS", forms.Memo(forms.FORMS_MAX)
    )  # letters' forms made afresh: walked once a shape
    library = load_library()
    for sample in SAMPLES:
        docs = plan_job(load_job(sample), library, 0)
        for i in range(min(len(docs), 3)):
            docs.compose(i)
    kinds = ("speech", "notice", "letter")
    sources = {_compiled(_source(k, None)[0])[0]: _source(k, None)[0] for k in kinds}
    assert {tree for tree, _ in seen} == set(sources)  # each template, no other tree
    for tree, context in seen:
        text = real(tree, context)
        assert text is not None
        assert text == _jinja(sources[tree], context)
    assert len(seen) >= len(SAMPLES)


# --- any template of the subset, any values ---

NAMES = ["a", "b", "c"]


@dataclasses.dataclass
class Item:
    lead: str
    text: str


def _exprs(loop_vars: list[str], in_loop: bool) -> st.SearchStrategy[str]:
    names = NAMES + loop_vars + ["missing"]
    base = st.one_of(
        st.sampled_from(names),
        st.sampled_from(['"文字"', "3", "0", "none", "true", "false", "-1"]),
        st.sampled_from(names).map(lambda n: f"{n}.lead"),
        st.sampled_from(names).map(lambda n: f"{n}.text"),
        st.sampled_from(names).map(lambda n: f"{n}.items"),  # a dict's method
        st.sampled_from(names).map(lambda n: f"{n}._x"),
        st.tuples(st.sampled_from(names), st.sampled_from(["0", "1", "-1", "5", '"lead"'])).map(
            lambda t: f"{t[0]}[{t[1]}]"
        ),
        st.sampled_from(names).map(lambda n: f"{n} | length"),
    )
    if in_loop:
        base = st.one_of(
            base,
            st.sampled_from(sorted(walk.LOOP_ATTRS)).map(lambda a: f"loop.{a}"),
            st.just("loop.index | cn"),
        )
    return st.recursive(
        base,
        lambda inner: st.one_of(
            inner.map(lambda e: f"not {e}"),
            st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"
            ),
        ),
        max_leaves=3,
    )


@st.composite
def templates(draw: Any, depth: int = 0, loop_vars: tuple[str, ...] = ()) -> str:
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 3))):
        choice = draw(st.integers(0, 4 if depth < 2 else 1))
        if choice == 0:
            parts.append(draw(st.sampled_from(["甲", "\n", " ", "# ", "{.title}\n", "|"])))
        elif choice == 1:
            parts.append("{{ " + draw(_exprs(list(loop_vars), bool(loop_vars))) + " }}")
        elif choice == 2:
            var = f"x{depth}"
            seq = draw(
                st.one_of(
                    st.sampled_from(NAMES + list(loop_vars)),
                    st.sampled_from(NAMES).map(lambda n: f"range({n} | length)"),
                    st.sampled_from(NAMES).map(lambda n: f"{n}.items"),
                    st.just("range(3)"),
                )
            )
            test = draw(st.one_of(st.just(""), _exprs([var], False).map(lambda e: f" if {e}")))
            body = draw(templates(depth + 1, (*loop_vars, var)))
            parts.append(f"{{% for {var} in {seq}{test} %}}\n{body}{{% endfor %}}\n")
        else:
            test = draw(_exprs(list(loop_vars), bool(loop_vars)))
            body = draw(templates(depth + 1, loop_vars))
            other = draw(templates(depth + 1, loop_vars))
            elif_ = draw(st.sampled_from(["", "{% elif " + NAMES[0] + " %}x"]))
            parts.append(f"{{% if {test} %}}{body}{elif_}{{% else %}}{other}{{% endif %}}\n")
    return "".join(parts)


TEXTS = st.text(alphabet=list("甲乙 #*|{}\\\n"), max_size=4)
LEAVES = st.one_of(
    TEXTS,
    st.integers(-2, 5),
    st.none(),
    st.booleans(),
    st.builds(Item, TEXTS, TEXTS),
)
VALUES = st.recursive(
    LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["lead", "text", "items", "x"]), inner, max_size=3),
    ),
    max_leaves=8,
)
CONTEXTS = st.dictionaries(st.sampled_from(NAMES + ["range"]), VALUES, max_size=4)


@settings(max_examples=400, deadline=None)
@given(templates(), CONTEXTS)
def test_any_subset_template_renders_as_jinja_or_is_declined(source: str, context: dict) -> None:
    tree = _tree(source)
    expected = _jinja(source, context)
    got = walk.render(tree, context) if tree is not None else None
    if got is not None:
        assert got == expected
    # what Jinja refuses, the walker never renders
    if expected is None:
        assert got is None


@pytest.mark.parametrize(
    ("source", "context"),
    [
        ("{{ a.items }}", {"a": {"items": "x"}}),  # the sandbox gives the dict's method
        ("{{ a }}", {}),  # undefined
        ("{{ a[3] }}", {"a": [1]}),  # out of range
        ("{% for i in range(n) %}{% endfor %}", {"n": 200_000}),  # over the sandbox's range
        ("{% for i in range(2) %}{% endfor %}", {"range": "mine"}),  # a value named range
        ("{{ a._secret }}", {"a": {"_secret": 1}}),
        ("{{ a }}", {"a": object()}),
    ],
)
def test_declines_what_it_does_not_mirror(source: str, context: dict) -> None:
    tree = _tree(source)
    assert tree is not None
    assert walk.render(tree, context) is None


@pytest.mark.parametrize(
    "source",
    [
        "{% set a = 1 %}{{ a }}",
        "{{ a | upper }}",
        "{{ a ~ b }}",
        "{{ a[1:] }}",
        "{% for x in a %}{% else %}x{% endfor %}",
        "{% macro m() %}{% endmacro %}",
        "{{ loop.index }}",
        "{{ a() }}",
        "{{ a == b }}",
    ],
)
def test_other_constructs_are_left_to_jinja(source: str) -> None:
    assert _tree(source) is None


def test_a_long_loop_is_left_to_jinja_and_its_timer() -> None:
    tree = _tree(
        "{% for i in a %}{% for j in a %}{% for k in a %}{% endfor %}{% endfor %}{% endfor %}"
    )
    assert tree is not None
    assert walk.render(tree, {"a": list(range(120))}) is None  # 120³ turns > MAX_STEPS
    assert walk.render(tree, {"a": list(range(9))}) == ""


def test_a_cold_speech_render_does_not_import_jinja(tmp_path: Path) -> None:
    """The second start reads the template's tree from the user cache: no Jinja."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("SPEECHGEN_NO_CACHE", None)
    code = (
        "import sys\n"
        "from speechgen.cli import main\n"
        "try:\n"
        f"    main(['render', {str(SAMPLES[0])!r}, '-o', sys.argv[1]])\n"
        "except SystemExit as e:\n"
        "    assert not e.code, e.code\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('jinja2', 'markupsafe')))\n"
    )
    runs = []
    for k in range(2):
        done = subprocess.run(
            [sys.executable, "-c", code, str(tmp_path / f"out{k}")],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(done.stdout.strip().splitlines()[-1])
    assert runs[0] != "[]"  # the first start parses the template with Jinja
    assert runs[1] == "[]"
    first = next((tmp_path / "out0").glob("*.docx")).read_bytes()
    assert next((tmp_path / "out1").glob("*.docx")).read_bytes() == first
