"""Numbers in Chinese official writing.

Rules (domain.md §3.0):

- Counts in set phrases are Chinese numerals (三点意见, 时隔十天): :func:`cn_number`,
  :func:`cn_count`. Statistics stay in Arabic numerals (6368处).
- :func:`cn_number` covers 0–99999: ``10`` → 十 and 10–19 drop the leading 一
  (十三), but inside a larger number the 一 is kept (一百一十); a run of
  zeros between non-zero digits is read as one 零 (一百零五, 一千零五, 一万零一十);
  trailing zeros are silent (一千, 一万).
- :func:`cn_count` is the form before a measure word: only the whole number 2
  becomes 两 (两点意见, 两个方面); every other number is :func:`cn_number`
  (十二, 二十二, 二百, 二千).
- :func:`decimal` prints at most ``places`` decimals, rounded half up (not
  banker's rounding: 0.05 → 0.1), without trailing zeros (12.0 → 12,
  56.50 → 56.5). Floats are read through ``str`` so that 2.675 rounds as typed.
- :func:`percent` is :func:`decimal` followed by an ASCII ``%``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ..model import CN_DIGITS, cn_ordinal

Number = int | float | Decimal

_UNITS = ("", "十", "百", "千", "万")


def cn_number(n: int) -> str:
    """0–99999 in Chinese numerals: 0 零, 13 十三, 105 一百零五, 110 一百一十, 10000 一万."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"cn_number 需要整数，收到 {n!r}")
    if n < 0 or n > 99999:
        raise ValueError(f"数字超出范围（0–99999）：{n}")
    if n == 0:
        return "零"
    if n < 100:
        return cn_ordinal(n)
    digits = [int(c) for c in str(n)]
    out: list[str] = []
    zero_pending = False
    for i, digit in enumerate(digits):
        position = len(digits) - 1 - i
        if digit == 0:
            zero_pending = True
            continue
        if zero_pending:
            out.append("零")
            zero_pending = False
        out.append(CN_DIGITS[digit] + _UNITS[position])
    return "".join(out)


def cn_count(n: int) -> str:
    """A count before a measure word: 2 → 两 (两点意见); otherwise :func:`cn_number`."""
    if n == 2 and not isinstance(n, bool):
        return "两"
    return cn_number(n)


def to_decimal(x: Number) -> Decimal:
    """``x`` as an exact :class:`~decimal.Decimal` (floats read through ``str``)."""
    if isinstance(x, bool) or not isinstance(x, (int, float, Decimal)):
        raise TypeError(f"需要数字，收到 {x!r}")
    d = Decimal(str(x)) if isinstance(x, float) else Decimal(x)
    if not d.is_finite():
        raise ValueError(f"数字无效：{x!r}")
    return d


def decimal(x: Number, places: int = 1) -> str:
    """At most ``places`` decimals, half up, no trailing zeros: 56.50 → 56.5, 0.05 → 0.1."""
    if places < 0:
        raise ValueError(f"小数位数不能为负：{places}")
    d = to_decimal(x)
    try:
        q = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:  # more digits than the context holds
        raise ValueError(f"数字过大：{x!r}") from exc
    s = format(q, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    if s == "-0":
        s = "0"
    return s


def percent(x: Number, places: int = 1) -> str:
    """:func:`decimal` plus an ASCII percent sign: 97.36 → ``97.4%``."""
    return decimal(x, places) + "%"
