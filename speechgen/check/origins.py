"""Where a finding of the render gate was typed: the input values behind it.

The gate reads the composed document, so its findings name a paragraph
(``段8「当前安全生产工作中还」``). When the fault is in text the secretary typed
(a half-width quote in ``situation.problems``), the paragraph is not where it
must be corrected: :func:`typed_origins` finds the string values of the job
that appear in the flagged paragraph and that the same rule flags on their
own, and returns those findings located in the input (``file:line:col`` and
the key path), as ``speechgen check`` on the YAML would give them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..errors import Finding
from .api import run_para_rules
from .records import Record, records_from_document
from .registry import RULES
from .yaml_check import walk_strings, yaml_context

_PARAGRAPH = re.compile(r"^段(\d+)")
_ENDS = "。；;，,！!？? \u3000"


def typed_origins(findings: Iterable[Finding], doc: Any, job: Any) -> list[Finding]:
    """Findings on the typed values of ``job`` behind ``findings`` (the gate's, on
    ``doc``): for each finding of a rule that also reads input values, every string
    value that appears in its paragraph and that the rule flags on its own. Empty
    when the fault is in the engine's own words (or the job has no typed values)."""
    wanted: dict[int, set[str]] = {}
    for f in findings:
        m = _PARAGRAPH.match(f.location)
        rule = RULES.get(f.code)
        if m is not None and rule is not None and rule.yaml:
            wanted.setdefault(int(m.group(1)), set()).add(f.code)
    data = getattr(job, "data", None)
    if not wanted or not isinstance(data, dict):
        return []
    texts = {r.index: r.text for r in records_from_document(doc) if r.index in wanted}
    values = []
    for key, value in walk_strings(data):
        if isinstance(value, str):
            probe = value.strip().rstrip(_ENDS)  # a final 。 may be the engine's to place
            if len(probe) >= 2:
                values.append((key, value, probe))
    ctx = yaml_context(data)
    shown = str(job.path)
    out: list[Finding] = []
    told: dict[str, set[str]] = {}  # key → codes already reported on its value
    for index in sorted(wanted):
        text = texts.get(index, "")
        for key, value, probe in values:
            codes = wanted[index] - told.get(key, set())
            if not codes or probe not in text:
                continue
            rec = Record(0, value, "yaml", location=job.position(key), key=key)
            for found in run_para_rules(rec, ctx, shown, yaml=True):
                if found.code in codes:
                    out.append(found)
                    told.setdefault(key, set()).add(found.code)
    return out
