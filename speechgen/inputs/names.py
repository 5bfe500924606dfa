"""How recipients' names are compared, and the first pass's count of them.

Kept apart from the readers (:mod:`.recipients`, :mod:`.tables`) so that reading a
job's head, which counts the names of an inline list as it goes, imports neither.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

#: Characters that show nothing (Unicode format characters): never part of a name.
INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"
)

_BITS = 1 << 23  # the first pass's bit set: 1 MiB


_SPACES = re.compile(r"\s+")


def name_key(name: str) -> str:
    """How names are compared: NFKC (full-width = half-width), no invisible characters or spaces."""
    text = INVISIBLE.sub("", name)
    if not unicodedata.is_normalized("NFKC", text):  # a quick check (0.2 us); most names are
        text = unicodedata.normalize("NFKC", text)
    return _SPACES.sub("", text).casefold()


class _Names:
    """The first pass's record of names: which may occur twice (see :mod:`.recipients`)."""

    def __init__(self) -> None:
        self.bits = bytearray(_BITS // 8)
        self.twice: set[int] = set()

    def add(self, text: Any) -> None:
        if not isinstance(text, str):
            return
        h = _hash(name_key(text))
        byte, bit = (h % _BITS) >> 3, 1 << (h & 7)
        if self.bits[byte] & bit:
            self.twice.add(h)
        else:
            self.bits[byte] |= bit

    def clear(self) -> None:
        self.bits = bytearray(_BITS // 8)
        self.twice.clear()

    def done(self) -> set[int]:
        self.bits = bytearray()
        return self.twice


def _hash(key: str) -> int:
    """The key's hash for the first pass's bit set and its candidates (:class:`_Names`).

    Python's own string hash: the candidates are made and used in one process, or in
    workers forked from it (which share its hash seed); a spawned worker reads the job
    itself and makes its own. Nothing keyed by it is ever written or sent (the output
    names' hashes, which are, use :func:`speechgen.output.name_hash`)."""
    return hash(key)
