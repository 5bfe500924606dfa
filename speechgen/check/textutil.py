"""Character classes, Chinese numerals and small text helpers shared by the rules."""

from __future__ import annotations

import re
from functools import lru_cache

from ..model import CN_DIGITS, cn_ordinal

#: CJK ideographs (basic block and extension A, compatibility ideographs).
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: CJK symbols and punctuation, full-width forms, and the quotes/dashes used in Chinese text.
CJK_PUNCT = "\u3000-\u303f\uff00-\uffef\u2018\u2019\u201c\u201d\u2014\u2026\u00b7"
#: Anything that counts as "Chinese text" next to a half-width mark.
CJK = HAN + CJK_PUNCT

HAN_RE = re.compile(f"[{HAN}]")

CN_NUMERALS = "一二三四五六七八九十"
_CN_DIGIT = {c: i for i, c in enumerate(CN_DIGITS)}
_CN_DIGIT.update({"〇": 0, "○": 0, "两": 2})


def cn_to_int(s: str) -> int | None:
    """一 → 1, 十 → 10, 十二 → 12, 二十 → 20, 二十三 → 23, 两 → 2; also Arabic digits.

    Returns None for anything else (or a value outside 1–99).
    """
    s = s.strip()
    if not s:
        return None
    if s.isdigit():
        try:
            return int(s)
        except ValueError:  # non-ASCII digits such as '²'
            return None
    if "十" in s:
        head, _, tail = s.partition("十")
        if "十" in tail:
            return None
        tens = 1 if head == "" else _CN_DIGIT.get(head) if len(head) == 1 else None
        ones = 0 if tail == "" else _CN_DIGIT.get(tail) if len(tail) == 1 else None
        if tens is None or ones is None or tens == 0:
            return None
        return tens * 10 + ones
    if len(s) == 1 and s in _CN_DIGIT and _CN_DIGIT[s] > 0:
        return _CN_DIGIT[s]
    return None


def cn_digits_to_int(s: str) -> int | None:
    """Digit-by-digit Chinese numerals, as in years: 二〇二四 → 2024."""
    out = 0
    for c in s:
        if c not in _CN_DIGIT or c in "两":
            return None
        out = out * 10 + _CN_DIGIT[c]
    return out if s else None


def cn_numeral(n: int) -> str:
    """1 → 一, 12 → 十二, 23 → 二十三 (1–99); other values as Arabic digits."""
    return cn_ordinal(n) if 1 <= n <= 99 else str(n)  # the one numeral table: model.py


def snippet(text: str, start: int, end: int, width: int = 8) -> str:
    """The matched text with a little context, for messages: ``…前文匹配后文…``."""
    a = max(0, start - width)
    b = min(len(text), end + width)
    out = text[a:b].replace("\n", " ").replace("\t", " ")
    return ("…" if a > 0 else "") + out + ("…" if b < len(text) else "")


_WS = re.compile(r"\s+")


@lru_cache(maxsize=1024)
def head(text: str, n: int = 10) -> str:
    """The first ``n`` characters of a paragraph, whitespace folded (for locations)."""
    t = _WS.sub(" ", text).strip()
    return t[:n]


def quote(s: str) -> str:
    return f"“{s}”"
