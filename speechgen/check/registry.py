"""The rule registry: every check is a small function with a code, a severity,
a Chinese title and a Chinese explanation.

Codes: ``E2xx`` text rules (placeholders, numbering, punctuation; ``E24x`` a
speech against its own situation, situation_rules.py), ``E3xx``
format rules of spec/FORMAT.md, ``W2xx`` consistency warnings (``W240`` a heading
and its part), ``W3xx`` format
warnings. ``E200``–``E202`` are file-level findings (unsupported, unreadable
or empty files) emitted by the dispatcher.

Three kinds of rule functions:

``para``    ``fn(record, ctx) -> Iterable[str]``: one message per defect in one
            paragraph (or one YAML string value);
``doc``     ``fn(records, ctx) -> Iterable[(record, message)]``: analyses over the
            sequence (numbering, announced counts, empty paragraphs);
``format``  ``fn(package) -> Iterable[(location, message)]``: the .docx format
            contract, reading the package's XML.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..errors import ERROR, WARNING
from ..memo import Memo


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    title: str
    explain: str
    scope: str  # "file" | "para" | "doc" | "format"
    func: Callable | None = None
    #: record kinds the rule reads (``None``: all kinds)
    kinds: frozenset[str] | None = None
    #: record kinds the rule skips
    skip_kinds: frozenset[str] = field(default_factory=frozenset)
    #: also run on YAML string values
    yaml: bool = True
    #: a paragraph rule's necessary condition: characters one of which, or a pattern
    #: that, every text it can report on contains (the rule is not called on a text
    #: without it: a batch's own lines are mostly names, and most rules look for
    #: something a name never has); declared as a str of characters or a pattern
    needs: frozenset[str] | re.Pattern | None = None


RULES: dict[str, Rule] = {}
_REGISTERED = [0]  # rules registered so far (the lists of rules_of are kept until it changes)


def _register(rule: Rule) -> Rule:
    if rule.code in RULES:
        raise ValueError(f"duplicate rule code {rule.code}")
    RULES[rule.code] = rule
    _REGISTERED[0] += 1
    return rule


def declare(code: str, severity: str, title: str, explain: str, scope: str = "file") -> Rule:
    """A rule without a function (file-level findings emitted by the dispatcher)."""
    return _register(Rule(code, severity, title, explain, scope))


def _decorator(scope: str, code: str, title: str, explain: str, **kw):
    severity = WARNING if code.startswith("W") else ERROR

    def wrap(fn: Callable) -> Callable:
        kinds = kw.get("kinds")
        skip = kw.get("skip_kinds") or ()
        _register(
            Rule(
                code,
                severity,
                title,
                explain,
                scope,
                fn,
                frozenset(kinds) if kinds is not None else None,
                frozenset(skip),
                kw.get("yaml", True),
                frozenset(needs) if isinstance(needs := kw.get("needs"), str) else needs,
            )
        )
        fn.code = code  # type: ignore[attr-defined]
        return fn

    return wrap


def para_rule(code: str, title: str, explain: str, **kw):
    return _decorator("para", code, title, explain, **kw)


def doc_rule(code: str, title: str, explain: str, **kw):
    return _decorator("doc", code, title, explain, **kw)


def format_rule(code: str, title: str, explain: str, **kw):
    return _decorator("format", code, title, explain, **kw)


_BY_SCOPE: dict[str, tuple[int, list[Rule]]] = {}


def rules_of(scope: str) -> list[Rule]:
    """The rules of ``scope`` in registration order (kept until a rule is registered or
    replaced: the render gate asks for them for every paragraph of a batch)."""
    key = _REGISTERED[0]
    got = _BY_SCOPE.get(scope)
    if got is None or got[0] != key:
        got = _BY_SCOPE[scope] = (
            key,
            [r for r in RULES.values() if r.scope == scope and r.func is not None],
        )
    return got[1]


_FOR_KIND: dict[tuple[str, bool], tuple[int, list[Rule]]] = {}


def para_rules_for(kind: str, yaml: bool = False) -> list[Rule]:
    """The paragraph rules that read a record of ``kind`` (of a YAML input's strings
    when ``yaml``), in registration order; kept as :func:`rules_of` keeps its lists."""
    key = _REGISTERED[0]
    got = _FOR_KIND.get((kind, yaml))
    if got is None or got[0] != key:
        rules = [r for r in rules_of("para") if (r.yaml if yaml else applies(r, kind))]
        got = _FOR_KIND[(kind, yaml)] = (key, rules)
    return got[1]


def needed(rule: Rule, text: str, chars: set[str] | None = None) -> bool:
    """Whether ``text`` has what ``rule`` needs (``chars``: the text's characters, when
    the caller has them)."""
    needs = rule.needs
    if needs is None:
        return True
    if type(needs) is frozenset:
        return not needs.isdisjoint(set(text) if chars is None else chars)
    return needs.search(text) is not None  # type: ignore[union-attr]


SELECTED_MAX = 256  # rule lists a selector keeps, by mask


class _Selector:
    """:func:`needed` for a whole rule list at once: a bit for each rule, the bits of the
    rules that need each character, the rules that need a pattern, those that need
    nothing. A batch's own lines (a recipient's name) ask it for every letter."""

    __slots__ = ("rules", "chars", "by_char", "patterns", "always", "all", "lists")

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules
        self.by_char: dict[str, int] = {}
        self.patterns: list[tuple[int, Any]] = []
        self.always = 0
        for k, r in enumerate(rules):
            bit = 1 << k
            if r.needs is None:
                self.always |= bit
            elif type(r.needs) is frozenset:
                for c in r.needs:
                    self.by_char[c] = self.by_char.get(c, 0) | bit
            else:
                self.patterns.append((bit, r.needs))
        self.chars = frozenset(self.by_char)
        self.all = (1 << len(rules)) - 1
        #: the rule list of each mask met so far (a batch meets a handful)
        self.lists: Memo[int, list[Rule]] = Memo(SELECTED_MAX)

    def select(self, text: str) -> list[Rule]:
        mask = self.always
        by_char = self.by_char
        for c in self.chars.intersection(text):
            mask |= by_char[c]
        for bit, pattern in self.patterns:
            if pattern.search(text) is not None:
                mask |= bit
        if mask == self.all:
            return self.rules
        got = self.lists.get(mask)
        if got is None and (got := self.lists.recall(mask)) is None:
            got = self.lists.keep(mask, [r for k, r in enumerate(self.rules) if mask >> k & 1])
        return got


_SELECTORS: dict[tuple[str, bool], tuple[int, _Selector]] = {}


def rules_for_text(kind: str, yaml: bool, text: str) -> list[Rule]:
    """The paragraph rules of :func:`para_rules_for` whose needs ``text`` meets (in their
    order; what :func:`needed` says of each). The list is shared: read it, never change it."""
    key = _REGISTERED[0]
    got = _SELECTORS.get((kind, yaml))
    if got is None or got[0] != key:
        got = _SELECTORS[(kind, yaml)] = (key, _Selector(para_rules_for(kind, yaml)))
    return got[1].select(text)


def applies(rule: Rule, kind: str) -> bool:
    if rule.kinds is not None and kind not in rule.kinds:
        return False
    return kind not in rule.skip_kinds


def table(rules: Iterable[Rule] | None = None) -> str:
    """The rule table as Markdown (for docs)."""
    rows = ["| 代码 | 级别 | 规则 | 说明 |", "|---|---|---|---|"]
    for r in sorted(rules or RULES.values(), key=lambda r: r.code):
        rows.append(f"| {r.code} | {r.severity} | {r.title} | {r.explain} |")
    return "\n".join(rows)
