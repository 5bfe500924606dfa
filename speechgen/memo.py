"""The one eviction rule of the process's memos: two generations of bounded size.

A batch repeats a few hundred paragraphs, strings and blocks, and adds a few of its own
with every document (a recipient's name, its signing lines). A memo is a :class:`Memo`
of ``limit`` entries: a dict (its look-up, ``memo.get``, is the hot path and stays
dict's own) of at most half of them, and the generation before it. When the dict is
full its entries become the older generation and the dict starts empty; a miss asks
the older generation (:meth:`Memo.recall`), which hands back what the batch still
repeats. So what every document uses survives each turn at the cost of one move,
instead of being computed again, and what only one document used is gone after two
turns: the memory never grows with the batch (at most ``limit`` entries in all, as a
memo emptied when full held).
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


_ABSENT = object()


class Memo(dict, Generic[K, V]):
    """A bounded memo: look up with ``get`` (or ``in``/``[]``), then :meth:`recall` on a
    miss, and store with :meth:`keep`."""

    __slots__ = ("limit", "older")

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = max(1, limit // 2)  # entries a generation holds
        self.older: dict[Any, Any] = {}

    def recall(self, key: K, default: Any = None) -> Any:
        """The value of ``key`` from the older generation, kept again; ``default`` if absent."""
        if not self.older:
            return default
        value = self.older.pop(key, _ABSENT)
        if value is _ABSENT:
            return default
        return self.keep(key, value)

    def keep(self, key: K, value: V) -> V:
        """Store ``value`` under ``key``; ``value``. A full memo turns a generation first."""
        if len(self) >= self.limit:
            self.older = dict(self)
            self.clear()
        self[key] = value
        return value

    def forget(self) -> None:
        """Drop both generations."""
        self.clear()
        self.older = {}
