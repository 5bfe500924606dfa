"""Lists of names: splitting what a secretary typed, joining for the text.

Rules (spec/INPUT.md "Conventions", domain.md §3.0):

- A list of short names may be typed as a YAML list or as one string joined by
  ``、`` ``，`` ``,`` ``；`` ``;``: :func:`split_names` accepts both, trims every
  item (including full-width spaces) and drops empty ones. ``None`` is ``[]``;
  a non-string list item is converted with ``str``.
- :func:`join`: ``A、B、C``.
- :func:`join_and`: ``A``, ``A和B``, ``A、B和C``.
- :func:`join_deng`: ``A、B等{noun}`` (``A等{noun}`` for one item), or
  ``A、B等`` without a noun.
- Every join accepts what :func:`split_names` accepts and returns ``""`` when
  there is nothing to join.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_SEPARATORS = re.compile(r"[、，,；;]")

Names = str | Iterable[object] | None


def split_names(value: Names) -> list[str]:
    """``"县住建局、 县公安局，"`` → ``["县住建局", "县公安局"]``; a list is trimmed item by item."""
    if value is None:
        return []
    if isinstance(value, str):
        parts: Iterable[object] = _SEPARATORS.split(value)
    else:
        parts = value
    names = []
    for part in parts:
        if part is None:
            continue
        name = str(part).strip()
        if name:
            names.append(name)
    return names


def join(items: Names) -> str:
    """``A、B、C``."""
    return "、".join(split_names(items))


def join_and(items: Names) -> str:
    """``A`` / ``A和B`` / ``A、B和C``."""
    names = split_names(items)
    if len(names) <= 1:
        return "".join(names)
    return "、".join(names[:-1]) + "和" + names[-1]


def join_deng(items: Names, noun: str = "") -> str:
    """``A、B等{noun}`` (one item: ``A等{noun}``); ``A、B等`` when no noun is given."""
    names = split_names(items)
    if not names:
        return ""
    return "、".join(names) + "等" + noun
