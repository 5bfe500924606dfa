"""A phrase said twice: whether a text repeats a run of another one.

Two snippets chosen for one paragraph may each be fine and still share a clause
(严防年底隐患“回潮”和事故“翘尾” … 严防隐患“回潮”和事故“翘尾”): a reader sees the
paragraph say it twice. :func:`shares_run` finds such a run so that the composer
can choose another snippet instead.
"""

from __future__ import annotations

import re

#: the shortest run that reads as a repeated phrase: 落实扑火队伍和物资 (9); shorter runs
#: are the field's common terms (安全生产主体责任, 生产经营单位), which may come twice
RUN = 9

#: runs are read within a clause: one across a comma is a connective (安全管理，严格落实)
_CLAUSE_END = re.compile(r"[，。；：！？,;:!?]")


def _runs(text: str, run: int) -> set[str]:
    return {
        clause[i : i + run]
        for clause in _CLAUSE_END.split(text)
        for i in range(len(clause) - run + 1)
    }


def shares_run(text: str, other: str, run: int = RUN) -> bool:
    """Whether ``text`` and ``other`` have ``run`` characters in a row in common, within
    a clause of each."""
    if len(text) < run or len(other) < run:
        return False
    return not _runs(text, run).isdisjoint(_runs(other, run))
