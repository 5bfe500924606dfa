"""Dates and quarters as official Chinese writing renders them.

Rules (spec/INPUT.md "Conventions", domain.md §3.0):

- Input: a :class:`~datetime.date`, a :class:`~datetime.datetime` (its date is
  taken), or text ``2024-04-10``, ``2024-4-1``, ``2024/4/10``, ``2024.4.10``,
  ``2024年4月10日`` (also ``2024年4月10号``). Full-width digits and separators
  are accepted (the text is NFKC-normalised) and so are spaces around the
  parts (``2024年 4 月 10 日``).
  One separator throughout: ``2024-4/10`` is refused. Anything else, and dates
  that do not exist (2024-13-45, 2023-02-29), raise :class:`ValueError` with a
  Chinese message.
- Output: Arabic numerals, never a leading zero. Inside a speech ``4月10日``,
  with the year (``2023年4月10日``) only when it differs from the reference
  year (the meeting's); 成文日期 always ``2024年4月10日``.
- Accident codes derived from a date use the middle dot U+00B7: ``6·18``.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from ..model import cn_ordinal

_DASHED = re.compile(r"([0-9]{4})\s*([-/.])\s*([0-9]{1,2})\s*\2\s*([0-9]{1,2})")
_CHINESE = re.compile(r"([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*[日号]")

MIDDLE_DOT = "\u00b7"


def parse_date(value: date | datetime | str) -> date:
    """A date from a date, a datetime or text such as ``2024-04-10`` / ``2024年4月10日``."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"日期格式不正确：{value!r}（应写作 2024-04-10 或 2024年4月10日）")
    text = unicodedata.normalize("NFKC", value).strip()
    m = _DASHED.fullmatch(text)
    if m:
        year, month, day = m.group(1), m.group(3), m.group(4)
    else:
        m = _CHINESE.fullmatch(text)
        if not m:
            raise ValueError(f"日期格式不正确：“{value}”（应写作 2024-04-10 或 2024年4月10日）")
        year, month, day = m.group(1), m.group(2), m.group(3)
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(f"日期不存在：“{value}”") from None


def month_day(d: date, ref_year: int | None = None) -> str:
    """``4月10日``; ``2023年4月10日`` when ``ref_year`` is given and differs from ``d.year``."""
    text = f"{d.month}月{d.day}日"
    if ref_year is not None and d.year != ref_year:
        return f"{d.year}年{text}"
    return text


def full_date(d: date) -> str:
    """``2024年4月10日`` (成文日期: Arabic numerals, no leading zeros)."""
    return f"{d.year}年{d.month}月{d.day}日"


def quarter_of(d: date) -> int:
    """The quarter (1–4) that ``d`` falls in."""
    return (d.month - 1) // 3 + 1


def _check_quarter(q: int) -> None:
    if isinstance(q, bool) or not isinstance(q, int) or not 1 <= q <= 4:
        raise ValueError(f"季度应为 1–4：{q!r}")


def quarter_cn(q: int) -> str:
    """1 → ``第一季度`` … 4 → ``第四季度``."""
    _check_quarter(q)
    return f"第{cn_ordinal(q)}季度"


def quarter_short(q: int) -> str:
    """1 → ``一季度`` … 4 → ``四季度``."""
    _check_quarter(q)
    return f"{cn_ordinal(q)}季度"


def code_from_date(d: date) -> str:
    """The accident code for a date: 2024-06-18 → ``6·18`` (U+00B7, no quotes)."""
    return f"{d.month}{MIDDLE_DOT}{d.day}"
