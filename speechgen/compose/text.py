"""Small text helpers shared by the composers: sentences, headings, seeds."""

from __future__ import annotations

import re
import zlib

_SENTENCE_END = re.compile(r"(?<=[。！？])")
_LEADING_NUMBER = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|（[一二三四五六七八九十]+）|\d+[、.．]|（\d+）|\(\d+\))\s*"
)


_ITEM = re.compile(r"(?:^|[：:，,；;])\s*[一二三四五六七八九十]+是")


def derive_seed(seed: int, *parts: str) -> int:
    """A stable per-document seed: the user's ``--seed`` mixed with the document's identity."""
    return zlib.crc32("\x1f".join([str(seed), *parts]).encode("utf-8"))


def strip_number(heading: str) -> str:
    """Drop a number a secretary typed in front of a heading (``一、``, ``（二）``) and a final 。."""
    return _LEADING_NUMBER.sub("", heading).strip().rstrip("。")


def sentences(text: str) -> list[str]:
    """Split after 。！？ keeping the punctuation."""
    return [s for s in _SENTENCE_END.split(text) if s.strip()]


def shorten(text: str, max_sentences: int = 2, max_chars: int = 90) -> str:
    """The first one or two sentences of ``text`` (for outlines).

    An enumeration (``一是……二是……``) is kept whole: its lead and the first
    sentence of each item.
    """
    parts = sentences(text)
    if not parts:
        return text
    if "一是" in text and "二是" in text:
        # an enumeration is kept whole, each item by its first sentence (一是…。二是…。)
        return "".join(p for i, p in enumerate(parts) if i == 0 or _ITEM.search(p))
    kept = [parts[0]]
    for s in parts[1:max_sentences]:
        if len("".join(kept)) + len(s) > max_chars:
            break
        kept.append(s)
    rest = "".join(parts[len(kept) :])
    while len(kept) > 1 and "一是" in kept[-1] and "二是" in rest:
        rest = kept.pop() + rest
    return "".join(kept)


def sentence(text: str) -> str:
    """``text`` stripped and ended with 。 unless it already ends a sentence."""
    text = text.strip().rstrip("，,、")
    if text and text[-1] not in "。！？；：":
        text += "。"
    return text
