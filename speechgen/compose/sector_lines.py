"""The fixed parts of a sector line, shared by speeches and notices.

``道路交通安全。由县公安局交警大队牵头，县交通运输局配合，重点检查客运车辆。``
"""

from __future__ import annotations

from .joins import join
from .vocabulary import prefix_department

_TOPIC_ENDINGS = ("安全", "领域", "工作")


def sector_title(typed: str) -> str:
    """The item title of a sector: 道路交通 → 道路交通安全; 消防安全, 森林防火工作 stay."""
    return typed if typed.endswith(_TOPIC_ENDINGS) else f"{typed}安全"


def sector_topic(typed: str) -> str:
    """The sector as a topic word: 道路交通安全 → 道路交通 (for ``…方面，``)."""
    title = sector_title(typed)
    return title[:-2] if title.endswith(_TOPIC_ENDINGS) else title


def duty_clause(
    level: str,
    lead: str = "",
    support: list[str] | None = None,
    checks: list[str] | None = None,
    *,
    fallback: str,
    name: str | None = None,
) -> str:
    """``由A牵头，B配合，重点检查C`` with level-prefixed departments (not one that holds the
    org's ``name`` or short name: 青山县公安局, 白沙派出所); ``fallback`` without checks."""
    support = [prefix_department(s, level, name) for s in support or []]
    clause = ""
    if lead:
        clause = f"由{prefix_department(lead, level, name)}牵头"
        if support:
            clause += f"，{join(support)}配合"
        clause += "，"
    elif support:
        clause = f"{join(support)}要密切配合，"
    return clause + (f"重点检查{join(checks)}" if checks else fallback)
