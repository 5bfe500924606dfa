"""The situation model: what is true of a meeting, computed from the input alone.

Built before any snippet is chosen, it decides what the document may say:

- the trend of the figures, per indicator and overall (:func:`trend_of`);
- the severity (a local accident of 较大 or above, an emergency meeting);
- the calendar outlook of the date (:mod:`speechgen.calendar`): the windows under
  way or ahead up to the document's horizon, never those behind it;
- the level and its voice (government or company), and its sub-units;
- each accident's scope, grade and time word (:func:`scope_of`, :func:`grade_of`,
  :func:`time_word`);
- the facts the input carries (``facts``): names such as ``targets``,
  ``sector:尾矿库``, ``topic:防汛``, that snippets' conditions require.

Tone rules (research/situation.md): ``worse`` when accidents or deaths rose;
``mixed`` when some indicators rose and others fell but neither accidents nor
deaths rose; ``better`` when none rose and at least one fell; ``flat`` when all
are level; ``none`` without a comparison. Praise (成绩, 平稳, 向好) needs
``better`` or ``flat``; thanks and 慰问 need ``better``; neither is ever said in a
serious situation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .. import calendar
from .accidents import GRADES, grade
from .dates import parse_date
from .reference import sector_book
from .stats import direction

TRENDS = ("better", "flat", "mixed", "worse", "none")
INDICATORS = ("accidents", "deaths", "injured", "loss_wan")
HEADLINE = ("accidents", "deaths")  # the two whose rise decides the tone


@dataclass(frozen=True)
class Trend:
    """Directions per indicator (1 up, −1 down, 0 level) and the overall word."""

    per: tuple[tuple[str, int], ...]
    overall: str

    def of(self, indicator: str) -> int | None:
        return dict(self.per).get(indicator)

    @property
    def rises(self) -> tuple[str, ...]:
        return tuple(k for k, d in self.per if d > 0)

    @property
    def falls(self) -> tuple[str, ...]:
        return tuple(k for k, d in self.per if d < 0)

    @property
    def praise_allowed(self) -> bool:
        return self.overall in ("better", "flat")


def trend_of(current: Mapping[str, Any] | None, previous: Mapping[str, Any] | None) -> Trend:
    """The trend of ``current`` against ``previous`` (same period last year)."""
    cur, prev = current or {}, previous or {}
    per = tuple(
        (k, direction(cur[k], prev[k]))
        for k in INDICATORS
        if cur.get(k) is not None and prev.get(k) is not None
    )
    if not per:
        return Trend((), "none")
    dirs = dict(per)
    if any(dirs.get(k, 0) > 0 for k in HEADLINE):
        overall = "worse"
    elif any(d > 0 for d in dirs.values()):
        overall = "mixed"
    elif any(d < 0 for d in dirs.values()):
        overall = "better"
    else:
        overall = "flat"
    return Trend(per, overall)


def scope_of(acc: Mapping[str, Any]) -> str:
    """national (default) | province | nearby | local."""
    return str(acc.get("scope") or "national")


def grade_of(acc: Mapping[str, Any]) -> str:
    """The grade of 《生产安全事故报告和调查处理条例》: deaths, serious injuries, loss.

    Serious injuries are ``serious_injured``; ``injured`` counts only when
    ``serious_injured`` is absent (spec/INPUT.md v2).
    """
    serious = acc.get("serious_injured")
    injured = serious if serious is not None else acc.get("injured")
    return grade(acc.get("deaths"), injured, acc.get("loss_wan"))


def grade_rank(name: str) -> int:
    return GRADES.index(name)


def time_word(day: dt.date | None, year: int) -> str:
    """今年 for the meeting's year, 去年 for the year before, else ``2021年``; '' undated."""
    if day is None:
        return ""
    if day.year == year:
        return "今年"
    if day.year == year - 1:
        return "去年"
    return f"{day.year}年"


@dataclass(frozen=True)
class Situation:
    """Everything a snippet's conditions may ask about (docs/snippets.md, "Conditions")."""

    level: str
    voice: str  # "gov" | "company"
    kind: str  # meeting.kind; "notice" / "letter" for those documents
    date: dt.date
    quarter: int | None
    trend: Trend
    serious: bool
    local_grade: str  # highest grade of local accidents ('' without any)
    outlook: calendar.Outlook
    holidays: tuple[str, ...]  # the holidays the document speaks of, in calendar order
    topics: tuple[str, ...]
    facts: frozenset[str]

    @property
    def company(self) -> bool:
        return self.voice == "company"

    def ahead(self, window: str) -> bool:
        return self.outlook.has(window)

    def now(self, window: str) -> bool:
        """Whether ``window`` is under way on the date (当前正值)."""
        return calendar.under_way(self.date, window)

    def soon(self, window: str) -> bool:
        """Whether ``window`` is under way or begins within a month (临近, 即将来临);
        a holiday meeting's own holidays always are (the meeting is held for them)."""
        if self.kind == "holiday" and window in self.holidays:
            return True
        return calendar.begins_soon(self.date, window)

    def in_season(self, text: str) -> bool:
        """Whether every seasonal window ``text`` names (“复工复产验收”: 复工复产) is under
        way or ahead."""
        return all(self.outlook.has(w) for w in calendar.windows_named(text))

    def has(self, fact: str) -> bool:
        """Whether the input carries ``fact`` (``targets``, ``sector:尾矿库``, ``context:旅游``)."""
        if fact in self.facts:
            return True
        if fact.startswith("context:"):
            word = fact.split(":", 1)[1]
            return any(f.startswith("context=") and word in f for f in self.facts)
        return False


def _block(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """A mapping block, or {} (a block of another job type may be anything: the loader warns)."""
    value = data.get(key)
    return value if isinstance(value, Mapping) else {}


def below_major(current: Mapping[str, Any] | None) -> bool:
    """Whether the period's totals rule out a 重大 or 特别重大 accident in it: deaths,
    injuries (serious ones when given) and loss all typed, and all below the 重大 line
    (no single accident can exceed the totals). A figure not typed rules out nothing."""
    cur = current or {}
    hurt = cur.get("serious_injured", cur.get("injured"))
    if cur.get("deaths") is None or hurt is None or cur.get("loss_wan") is None:
        return False
    return grade_rank(grade(cur["deaths"], hurt, cur["loss_wan"])) < grade_rank("重大")


def _facts(data: Mapping[str, Any], meeting: Mapping[str, Any]) -> set[str]:
    facts: set[str] = set()
    stats = _block(data, "stats")
    for key in ("current", "previous", "hazards"):
        if stats.get(key):
            facts.add(f"stats.{key}")
    if stats:
        facts.add("stats")
    current = stats.get("current")
    if isinstance(current, Mapping) and below_major(current):
        facts.add("stats.below_major")
    for key in ("history", "preceding", "inspection", "duty", "approved_by", "report", "tasks"):
        if data.get(key):
            facts.add(key)
    for key in ("targets", "letters_signed", "cause", "topics", "holiday", "days_since_last"):
        if meeting.get(key):
            facts.add(key)
    if _block(data, "speaker").get("on_behalf_of"):
        facts.add("on_behalf_of")
    if _block(data, "closing").get("event"):
        facts.add("event")
    accidents = data.get("accidents") or []
    if accidents:
        facts.add("accidents")
    for acc in accidents:
        facts.add(f"accidents.{scope_of(acc)}")
    for line in data.get("context") or []:
        facts.add(f"context={line}")
    if data.get("context"):
        facts.add("context")
    book = sector_book()
    for sec in data.get("sectors") or []:
        name = str(sec.get("name", "")).strip()
        known = book.find(name) if name else None
        # the canonical sector and the name as typed (尾矿库 is an alias of 非煤矿山, yet a
        # snippet on 尾矿库 needs 尾矿库 itself); a check item names a sector part too
        facts.add(f"sector:{name}")
        if known:
            facts.add(f"sector:{known.name}")
        for check in sec.get("checks") or []:
            facts.add(f"check:{check}")
            facts.add(f"sector:{check}")
    for topic in meeting.get("topics") or []:
        facts.add(f"topic:{topic}")
    return facts


def situation_of(
    data: Mapping[str, Any],
    *,
    kind: str,
    date: dt.date,
    quarter: int | None = None,
    meeting: Mapping[str, Any] | None = None,
) -> Situation:
    """The situation of a validated job's data (speech, outline or notice)."""
    meeting = meeting or {}
    level = data["org"]["level"]
    stats = _block(data, "stats")
    trend = trend_of(stats.get("current"), stats.get("previous"))
    local = [a for a in data.get("accidents") or [] if scope_of(a) == "local"]
    cause = meeting.get("cause")
    if isinstance(cause, Mapping) and scope_of(cause) == "local":
        local.append(cause)
    local_grade = ""
    if local:
        local_grade = max((grade_of(a) for a in local), key=grade_rank)
    serious = kind == "emergency" or (bool(local_grade) and grade_rank(local_grade) >= 1)
    until = calendar.horizon(date, kind, quarter)
    typed = [str(h) for h in meeting.get("holiday") or []]
    if typed:
        last = _last_day(typed, date)
        if kind == "holiday":
            # a holiday meeting speaks for its holidays and the week after them (节后复工),
            # not for a season that begins later (冬季取暖 in a 中秋国庆 meeting)
            until = min(until, last + calendar.HOLIDAY_GRACE)
        until = max(until, last)
    grace = calendar.HOLIDAY_GRACE if kind == "quarterly" and quarter else calendar.DAY * 0
    outlook = calendar.outlook(date, until, grace)
    if typed:
        holidays = tuple(typed)
    else:
        holidays = outlook.holidays()
    return Situation(
        level=level,
        voice="company" if level == "公司" else "gov",
        kind=kind,
        date=date,
        quarter=quarter,
        trend=trend,
        serious=serious,
        local_grade=local_grade,
        outlook=outlook,
        holidays=holidays,
        topics=tuple(str(t) for t in meeting.get("topics") or []),
        facts=frozenset(_facts(data, meeting)),
    )


def _last_day(holidays: list[str], date: dt.date) -> dt.date:
    """The end of the last named holiday on or after ``date`` (for the horizon)."""
    last = date
    for year in (date.year, date.year + 1):
        for w in calendar.windows(year):
            if w.name in holidays and w.end >= date and w.start <= date + 120 * calendar.DAY:
                last = max(last, w.end)
    return last


def accident_date(acc: Mapping[str, Any]) -> dt.date | None:
    return parse_date(acc["date"]) if acc.get("date") is not None else None
