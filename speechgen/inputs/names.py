"""How recipients' names are compared, and how a read of the rows finds duplicates."""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections.abc import Callable
from itertools import repeat
from typing import Any

#: Characters that show nothing (Unicode format characters): never part of a name.
INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"
)

_BITS = 1 << 23  # Duplicates' bit set: 1 MiB


_SPACES = re.compile(r"\s+")


def name_key(name: str) -> str:
    """How names are compared: NFKC (full-width = half-width), no invisible characters or spaces."""
    text = INVISIBLE.sub("", name)
    if not unicodedata.is_normalized("NFKC", text):  # a quick check (0.2 us); most names are
        text = unicodedata.normalize("NFKC", text)
    return _SPACES.sub("", text).casefold()


class Duplicates:
    """The duplicate check (E110) over one read of a list of recipients, in order.

    No first look at the names: :meth:`see` marks every row's name in a 1 MiB bit
    set and keeps its key's hash (8 bytes a row); a row this read reports (``where``
    given) whose bit was already set is a suspect: a duplicate, or one of the about
    n²/2²⁴ chance collisions of the bits (some 6 at 10,000 rows). :meth:`late`, once
    the rows are read, finds each suspect's first row with the same hash in one loop
    over the hashes; only when one has such a row, which makes the job fail, are
    those first rows read again (``names_of``) for their labels and names as typed,
    and their keys compared.
    """

    def __init__(self) -> None:
        self._bits = bytearray(_BITS // 8)
        self._hashes = array("q")  # by row number - 1; _NO_NAME for a row without one
        self._suspects: list[
            tuple[int, int, str, str, Any]
        ] = []  # number, hash, name, label, where

    def see(self, number: int, name: str, label: str = "", where: Any = None) -> None:
        """Row ``number`` (1-based, increasing) is called ``name``. With ``where`` the
        row is this read's to report: :meth:`late` gives ``where`` back with a message
        naming the row ``label``."""
        h = _hash(name_key(name))
        hashes = self._hashes
        gap = number - 1 - len(hashes)
        if gap > 0:
            hashes.extend(repeat(_NO_NAME, gap))
        hashes.append(h)
        byte, bit = (h % _BITS) >> 3, 1 << (h & 7)
        bits = self._bits
        if bits[byte] & bit:
            if where is not None:
                self._suspects.append((number, h, name, label, where))
        else:
            bits[byte] |= bit

    def late(
        self, names_of: Callable[[set[int]], dict[int, tuple[str, str]]]
    ) -> list[tuple[Any, str]]:
        """``(where, message)`` for each reported row whose name an earlier row has;
        ``names_of(numbers)``: (label, name as typed) of those earlier rows, read again."""
        suspects, self._suspects = self._suspects, []
        if not suspects:
            return []
        hashes = self._hashes
        wanted = {s[1] for s in suspects}
        first: dict[int, int] = {}
        last = max(s[0] for s in suspects)
        for number, h in enumerate(hashes[:last], 1):
            if h in wanted and h not in first:
                first[h] = number
        found = [(first[s[1]], s) for s in suspects if first[s[1]] < s[0]]
        if not found:
            return []  # chance collisions of the bits only
        earlier = names_of({f for f, _s in found})
        out = []
        for f, (_number, _h, name, label, where) in found:
            if f not in earlier:
                continue
            first_label, first_name = earlier[f]
            if name_key(first_name) != name_key(name):
                continue  # the same hash, another name
            message = f"单位名称 “{name}” 重复：{first_label} 与 {label}"
            if first_name != name:
                message += (
                    f"（{first_label} 写作 “{first_name}”，"
                    "两者只差空格、不可见字符或全角/半角，按同一单位处理）"
                )
            out.append((where, message))
        return out


_NO_NAME = -1  # in Duplicates' hashes: a row without a name (a name hashing to it is only
# compared again, by key)


def _hash(key: str) -> int:
    """The key's hash for :class:`Duplicates`' bit set and row hashes.

    Python's own string hash: made and used within one read of the rows, in one
    process. Nothing keyed by it is ever written or sent (the output names' hashes,
    which are, use :func:`speechgen.output.name_hash`)."""
    return hash(key)
