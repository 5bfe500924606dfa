"""A paragraph rule's ``needs``: the rule is not called on a text the pattern does
not find, so the pattern must be a necessary condition of every finding.

Each rule is run on its own (without the shortcut) over the seed speeches' lines,
the samples' documents, every string written in the tests (they hold each rule's
cases) and the rules' own explanations (their examples), in several contexts
(each quarter, each level, with and without a date): wherever it reports, its
``needs`` finds the text. Each rule reports somewhere in that corpus, so no rule
passes for want of a case.
"""

from __future__ import annotations

import ast
import datetime as dt

import pytest
from corpus import ROOT, SAMPLES, SEEDS

from speechgen.check import RULES
from speechgen.check.context import Context
from speechgen.check.records import Record
from speechgen.check.registry import needed, para_rules_for, rules_for_text
from speechgen.compose import plan_job
from speechgen.compose.library import load_library
from speechgen.inputs import load_job

KINDS = ("body", "signature")  # the rules read the kind only through the registry


def _test_strings() -> list[str]:
    out: list[str] = []
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        out += [
            n.value
            for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value.strip()
        ]
    return out


def _corpus() -> list[str]:
    texts = _test_strings()
    texts += [r.explain for r in RULES.values()]
    if SEEDS is not None:
        for path in sorted(SEEDS.glob("*.txt")):
            texts += path.read_text(encoding="utf-8").splitlines()
    library = load_library(())
    for sample in sorted(SAMPLES.glob("*.yaml")):
        docs = plan_job(load_job(sample), library, 0, None)
        for i in range(min(len(docs), 2)):
            texts += [getattr(b, "full_text", "") for b in docs.compose(i).blocks]
    # a text also as its sentences: a rule may report on a short one only
    texts += [s for t in texts for s in t.split("。") if s]
    return sorted({t for t in texts if t.strip()})


def _contexts() -> list[Context]:
    out = []
    for quarter, level, clear, date in (
        (1, "县", True, dt.date(2024, 2, 20)),
        (2, "市", False, dt.date(2024, 5, 8)),
        (3, "镇", False, None),
        (4, "区", False, dt.date(2016, 11, 3)),
        (1, "司", False, dt.date(2017, 1, 5)),
        (None, None, False, None),
    ):
        ctx = Context(source="model")
        ctx.quarter, ctx.level, ctx.level_clear, ctx.date = quarter, level, clear, date
        ctx.year = date.year if date else (2024 if quarter else None)
        out.append(ctx)
    yaml = Context(source="yaml")
    yaml.year, yaml.quarter, yaml.level = 2024, 1, "县"
    return [*out, yaml]


CORPUS = _corpus()
CONTEXTS = _contexts()
NEEDY = sorted(
    (r for r in RULES.values() if r.scope == "para" and r.needs is not None), key=lambda r: r.code
)


def test_most_paragraph_rules_declare_what_they_need() -> None:
    para = [r for r in RULES.values() if r.scope == "para"]
    assert len(CORPUS) > 2000
    assert len(NEEDY) >= len(para) - 2, sorted(r.code for r in para if r.needs is None)


@pytest.mark.parametrize("rule", NEEDY, ids=lambda r: r.code)
def test_a_rule_reports_only_on_texts_its_needs_finds(rule) -> None:
    fired = 0
    for text in CORPUS:
        found = needed(rule, text)
        for ctx in CONTEXTS:
            for kind in KINDS:
                messages = list(rule.func(Record(1, text, kind), ctx))
                if messages:
                    fired += 1
                    assert found, (rule.code, text, messages)
    assert fired, f"{rule.code} reports nowhere in the corpus: the test would prove nothing"


@pytest.mark.parametrize("kind", ["body", "signature", "title", "table-cell"])
@pytest.mark.parametrize("yaml", [False, True])
def test_the_rules_picked_for_a_text_are_those_whose_needs_it_meets(kind: str, yaml: bool) -> None:
    rules = para_rules_for(kind, yaml)
    picked = 0
    for text in CORPUS:
        want = [r for r in rules if needed(r, text)]
        assert rules_for_text(kind, yaml, text) == want, text
        picked += len(want) != len(rules)
    assert picked, "no text in the corpus leaves a rule out: the test would prove nothing"
