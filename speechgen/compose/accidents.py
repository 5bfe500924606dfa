"""Cited accidents: grade, casualties, clauses, codes and names.

An accident is a mapping with ``place`` and ``kind`` (required) and optional
``date`` (:class:`~datetime.date`; text is parsed), ``site``, ``deaths``,
``injured``, ``missing``, ``loss_wan`` and ``code``. ``None`` counts as absent.

Rules (spec/INPUT.md ``accidents``, domain.md §3.0–§3.1):

- :func:`grade` per 《生产安全事故报告和调查处理条例》 第三条: the highest of
  deaths (<3 一般, 3–9 较大, 10–29 重大, ≥30 特别重大), injured (<10, 10–49,
  50–99, ≥100) and ``loss_wan`` (<1000, 1000–4999, 5000–9999, ≥10000; the
  条例's “以上” includes the boundary, so 1000万元 is 较大).
- :func:`casualties`: ``造成13人死亡、35人受伤``; the order is deaths, missing,
  injured (by severity): ``造成1人死亡、7人失联、2人受伤``; zeros are left out;
  nothing at all gives ``""``.
- :func:`kind_phrase`: the kind plus ``事故`` unless it already ends in 事故
  (爆炸 → 爆炸事故, 道路交通事故 stays).
- :func:`accident_clause`: ``{date}，{place}{site}发生{kind}事故，{casualties}``,
  the date as :func:`~speechgen.compose.dates.month_day` against the
  reference year; no date → the clause starts with the place; no casualties →
  it stops after 事故. No final punctuation.
- :func:`accident_list`: clauses in date order (undated ones last, in input
  order) joined by ``；``, no final punctuation.
- :func:`accident_code`: ``“6·18”`` (full-width quotes, U+00B7); a code given
  in the input is kept as typed (``6.18``), only surrounding quotes and spaces
  are removed; otherwise it is derived from the date.
- :func:`accident_name`: ``{place}{site}“{code}”{kind}事故`` (江北市“6·18”爆炸事故);
  without code or date the code is left out (深圳滑坡事故).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .dates import code_from_date, month_day, parse_date
from .numbers import Number, decimal, to_decimal

GRADES = ("一般", "较大", "重大", "特别重大")

# Lower bounds of 较大, 重大, 特别重大.
_DEATHS = (3, 10, 30)
_INJURED = (10, 50, 100)
_LOSS_WAN = (1000, 5000, 10000)

_QUOTES = "“”\"'‘’「」『』"

Accident = Mapping[str, Any]


def _level(value: Number | None, bounds: tuple[int, int, int]) -> int:
    if value is None:
        return 0
    v = to_decimal(value)
    return sum(1 for bound in bounds if v >= bound)


def grade(
    deaths: Number | None = 0, injured: Number | None = 0, loss_wan: Number | None = 0
) -> str:
    """一般 / 较大 / 重大 / 特别重大: the highest grade any of the three figures reaches."""
    level = max(
        _level(deaths, _DEATHS),
        _level(injured, _INJURED),
        _level(loss_wan, _LOSS_WAN),
    )
    return GRADES[level]


def _count(value: Number | None) -> str:
    if value is None or to_decimal(value) == 0:
        return ""
    return decimal(value)


def casualties(
    deaths: Number | None = 0, injured: Number | None = 0, missing: Number | None = 0
) -> str:
    """``造成13人死亡、35人受伤`` / ``造成1人死亡、7人失联`` / ``""`` when there are none."""
    parts = []
    for value, word in ((deaths, "死亡"), (missing, "失联"), (injured, "受伤")):
        n = _count(value)
        if n:
            parts.append(f"{n}人{word}")
    if not parts:
        return ""
    return "造成" + "、".join(parts)


def kind_phrase(kind: str) -> str:
    """爆炸 → ``爆炸事故``; 道路交通事故 stays as it is."""
    kind = (kind or "").strip()
    if not kind:
        raise ValueError("事故缺少类型（kind）")
    return kind if kind.endswith("事故") else kind + "事故"


def _text(acc: Accident, key: str) -> str:
    value = acc.get(key)
    return "" if value is None else str(value).strip()


def _place(acc: Accident) -> str:
    place = _text(acc, "place")
    if not place:
        raise ValueError("事故缺少地点（place）")
    return place


def accident_clause(acc: Accident, ref_year: int | None = None) -> str:
    """``1月15日，辽宁盘锦化工企业发生爆炸事故，造成13人死亡、35人受伤``."""
    text = f"{_place(acc)}{_text(acc, 'site')}发生{kind_phrase(_text(acc, 'kind'))}"
    if acc.get("date") is not None:
        text = f"{month_day(parse_date(acc['date']), ref_year)}，{text}"
    harm = casualties(acc.get("deaths"), acc.get("injured"), acc.get("missing"))
    if harm:
        text += "，" + harm
    return text


def accident_list(accs: Iterable[Accident], ref_year: int | None = None) -> str:
    """The clauses of :func:`accident_clause` in date order, joined by ``；``."""
    items = list(accs)
    dated = [a for a in items if a.get("date") is not None]
    undated = [a for a in items if a.get("date") is None]
    dated.sort(key=lambda a: parse_date(a["date"]))
    return "；".join(accident_clause(a, ref_year) for a in dated + undated)


def _code(acc: Accident) -> str:
    code = _text(acc, "code").strip(_QUOTES + " \u3000")
    if code:
        return code
    if acc.get("date") is not None:
        return code_from_date(parse_date(acc["date"]))
    return ""


def accident_code(acc: Accident) -> str:
    """``“6·18”`` from ``code`` (kept as typed) or else from ``date``."""
    code = _code(acc)
    if not code:
        raise ValueError("事故既没有编号（code）也没有日期（date），无法写出事故代称")
    return f"“{code}”"


def accident_name(acc: Accident) -> str:
    """``江北市“6·18”爆炸事故``; ``深圳滑坡事故`` when there is neither code nor date."""
    code = _code(acc)
    quoted = f"“{code}”" if code else ""
    return f"{_place(acc)}{_text(acc, 'site')}{quoted}{kind_phrase(_text(acc, 'kind'))}"


def total_deaths(accs: Iterable[Accident]) -> int:
    """The sum of ``deaths`` over the accidents (absent counts as 0)."""
    return sum(int(a.get("deaths") or 0) for a in accs)
