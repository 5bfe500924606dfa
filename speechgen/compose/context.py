"""The slot values every snippet and template may use (docs/snippets.md)."""

from __future__ import annotations

from typing import Any

from .accidents import accident_name
from .dates import quarter_cn
from .joins import join_and
from .vocabulary import vocabulary


def base_context(data: dict[str, Any], *, year: int, quarter: int | None) -> dict[str, Any]:
    """Slots from ``org`` (level vocabulary), the year, quarter and optional facts.

    Optional slots are present only when the input gives them, so a snippet
    that needs one is chosen only then.
    """

    def block(key: str) -> dict[str, Any]:
        # A block of another job type may be anything (the loader warns about it).
        value = data.get(key)
        return value if isinstance(value, dict) else {}

    org = block("org")
    ctx: dict[str, Any] = dict(
        vocabulary(
            org["level"],
            org.get("name") or None,
            org.get("parent") or None,
            org.get("units") or None,
            org.get("office") or None,
        )
    )
    if org.get("short"):
        ctx["place"] = org["short"]
    ctx["year"] = str(year)
    if quarter:
        ctx["quarter_cn"] = quarter_cn(quarter)
    meeting = block("meeting")
    if meeting.get("name"):
        ctx["meeting_name"] = meeting["name"]
    if meeting.get("holiday"):
        holidays = meeting["holiday"]
        ctx["holiday"] = join_and(holidays) if isinstance(holidays, list) else str(holidays)
    cause = meeting.get("cause")
    if isinstance(cause, dict) and cause.get("place") and cause.get("kind"):
        ctx["cause"] = accident_name(cause)
    stats = block("stats")
    if stats.get("period"):
        ctx["period"] = stats["period"]
    closing = block("closing")
    for key in ("event", "vision"):
        if closing.get(key):
            ctx[key] = str(closing[key]).strip().rstrip("。！")
    return {k: v for k, v in ctx.items() if v not in (None, "")}
