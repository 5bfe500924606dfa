"""The one eviction rule of the process's memos: a memo that is full is emptied.

A batch repeats a few hundred paragraphs, strings and blocks; a memo bounded this way
refills with what the batch repeats right after it is emptied, and its memory never
grows with the batch. Each memo reads its own dict inline (the look-up is the hot
path); only storing goes through :func:`keep`.
"""

from __future__ import annotations

from typing import Any, TypeVar

V = TypeVar("V")


def keep(memo: dict[Any, V], key: Any, value: V, limit: int) -> V:
    """Store ``value`` under ``key`` in ``memo`` of at most ``limit`` entries; ``value``."""
    if len(memo) >= limit:
        memo.clear()
    memo[key] = value
    return value
