"""The limits every template and snippet render keeps, whichever renders it.

Jinja's sandbox (:mod:`.templating`) and the tree walker (:mod:`.walk`) both read
them; this module imports neither, so setting the time limit costs no import.
"""

from __future__ import annotations

MAX_OUTPUT = 20_000_000  # characters one template or snippet may produce
MAX_RANGE = 100_000  # the longest range() a template may make (as Jinja's own sandbox)

DEFAULT_TIME_LIMIT = 10.0  # seconds one template or snippet may run
_limit = {"seconds": DEFAULT_TIME_LIMIT}


def set_time_limit(seconds: float | None) -> None:
    """Seconds any one template or snippet render may take (``None`` or 0: no limit)."""
    _limit["seconds"] = float(seconds) if seconds else 0.0


def time_limit() -> float:
    return _limit["seconds"]
