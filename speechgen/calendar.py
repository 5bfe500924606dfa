"""The calendar of a work-safety year: holidays, events and risk seasons by date.

One definition for the composers (what a speech may look ahead to) and the
linter (which seasonal words a dated document may carry). Facts from
research/situation.md; the lunar holidays come from the table below, which
covers every supported year (2015–2030) and is tested against the dates that
research/situation.md lists.

A :class:`Window` is a named span of days. :func:`outlook` answers, for a
meeting date and the horizon it speaks for, which windows lie ahead or are
under way (never those wholly behind the date) and which holidays come.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

D = dt.date
DAY = dt.timedelta(days=1)

# 春节, 端午, 中秋 (Gregorian dates of lunar 1/1, 5/5, 8/15) and 清明.
LUNAR: dict[int, tuple[str, str, str, str]] = {
    2015: ("2015-02-19", "2015-06-20", "2015-09-27", "2015-04-05"),
    2016: ("2016-02-08", "2016-06-09", "2016-09-15", "2016-04-04"),
    2017: ("2017-01-28", "2017-05-30", "2017-10-04", "2017-04-04"),
    2018: ("2018-02-16", "2018-06-18", "2018-09-24", "2018-04-05"),
    2019: ("2019-02-05", "2019-06-07", "2019-09-13", "2019-04-05"),
    2020: ("2020-01-25", "2020-06-25", "2020-10-01", "2020-04-04"),
    2021: ("2021-02-12", "2021-06-14", "2021-09-21", "2021-04-04"),
    2022: ("2022-02-01", "2022-06-03", "2022-09-10", "2022-04-05"),
    2023: ("2023-01-22", "2023-06-22", "2023-09-29", "2023-04-05"),
    2024: ("2024-02-10", "2024-06-10", "2024-09-17", "2024-04-04"),
    2025: ("2025-01-29", "2025-05-31", "2025-10-06", "2025-04-04"),
    2026: ("2026-02-17", "2026-06-19", "2026-09-25", "2026-04-05"),
    2027: ("2027-02-06", "2027-06-09", "2027-09-15", "2027-04-05"),
    2028: ("2028-01-26", "2028-05-28", "2028-10-03", "2028-04-04"),
    2029: ("2029-02-13", "2029-06-16", "2029-09-22", "2029-04-04"),
    2030: ("2030-02-03", "2030-06-05", "2030-09-12", "2030-04-05"),
}
FIRST_YEAR, LAST_YEAR = min(LUNAR), max(LUNAR)

# The holidays and events a meeting may name (meeting.holiday), in calendar order.
HOLIDAYS = ("元旦", "春节", "元宵", "全国两会", "清明", "五一", "端午", "中秋", "国庆")

# The risk seasons and periods (not holidays), research/situation.md's calendar.
SEASONS = (
    "岁末年初",
    "春运",
    "烟花爆竹",
    "冬季取暖",
    "低温雨雪冰冻",
    "复工复产",
    "春季森林防火",
    "森林防火期",
    "汛前",
    "汛期",
    "主汛期",
    "安全生产月",
    "高考",
    "高温",
    "暑期",
    "秋季开学",
    "秋冬森林防火",
    "年底",
)

# Words that name a window in a text, for the linter (window → words).
WORDS: dict[str, tuple[str, ...]] = {
    "元旦": ("元旦",),
    "春节": ("春节",),
    "元宵": ("元宵",),
    "全国两会": ("全国两会", "全国“两会”", "两会"),
    "清明": ("清明",),
    "五一": ("五一", "劳动节"),
    "端午": ("端午",),
    "中秋": ("中秋",),
    "国庆": ("国庆",),
    "春运": ("春运",),
    "岁末年初": ("岁末年初", "年末岁尾"),
    "复工复产": ("节后复工", "复工复产"),
    "汛前": ("汛前",),
    "汛期": ("汛期",),
    "主汛期": ("主汛期", "七下八上"),
    "安全生产月": ("安全生产月",),
    "高温": ("高温",),
    "暑期": ("暑期", "暑假"),
}


def windows_named(text: str) -> tuple[str, ...]:
    """The windows whose words occur in ``text`` (“复工复产验收” names 复工复产)."""
    return tuple(name for name, words in WORDS.items() if any(w in text for w in words))


@dataclass(frozen=True)
class Window:
    name: str
    start: dt.date
    end: dt.date  # inclusive

    def overlaps(self, start: dt.date, end: dt.date) -> bool:
        return self.start <= end and self.end >= start


def lunar(year: int) -> tuple[dt.date, dt.date, dt.date, dt.date] | None:
    """(春节, 端午, 中秋, 清明) of ``year``, or None outside the table."""
    row = LUNAR.get(year)
    if row is None:
        return None
    return tuple(D.fromisoformat(x) for x in row)  # type: ignore[return-value]


@lru_cache(maxsize=64)
def windows(year: int) -> tuple[Window, ...]:
    """Every window that touches ``year`` (some start in the year before or end in the next)."""
    out: list[Window] = []

    def add(name: str, start: dt.date, end: dt.date) -> None:
        out.append(Window(name, start, end))

    for y in (year - 1, year, year + 1):
        add("元旦", D(y, 1, 1), D(y, 1, 1))
        add("全国两会", D(y, 3, 3), D(y, 3, 15))
        add("五一", D(y, 5, 1), D(y, 5, 5))
        add("国庆", D(y, 10, 1), D(y, 10, 7))
        add("汛前", D(y, 4, 1), D(y, 4, 30))  # the month before 汛期: 汛前检查, 入汛前
        add("汛期", D(y, 5, 1), D(y, 9, 30))
        add("主汛期", D(y, 7, 1), D(y, 8, 31))
        add("安全生产月", D(y, 6, 1), D(y, 6, 30))
        add("高考", D(y, 6, 7), D(y, 6, 10))
        add("高温", D(y, 6, 20), D(y, 9, 10))
        add("暑期", D(y, 7, 1), D(y, 8, 31))
        add("秋季开学", D(y, 8, 25), D(y, 9, 10))
        add("冬季取暖", D(y, 11, 1), D(y + 1, 3, 15))
        add("低温雨雪冰冻", D(y, 12, 1), D(y + 1, 2, 28))
        add("秋冬森林防火", D(y, 10, 1), D(y, 12, 31))
        add("森林防火期", D(y, 10, 1), D(y + 1, 4, 30))
        add("年底", D(y, 12, 1), D(y, 12, 31))  # 年底翘尾, 临近年底: the year's last month
        add("春季森林防火", D(y, 2, 1), D(y, 4, 30))
        days = lunar(y)
        if days is None:
            continue
        spring, dragon, moon, qingming = days
        add("春节", spring - DAY, spring + 6 * DAY)
        add("元宵", spring + 14 * DAY, spring + 14 * DAY)
        add("春运", spring - 15 * DAY, spring + 25 * DAY)
        add("岁末年初", D(y - 1, 12, 1), spring + 14 * DAY)
        add("烟花爆竹", D(y - 1, 12, 15), spring + 14 * DAY)
        add("复工复产", spring + 7 * DAY, max(spring + 45 * DAY, D(y, 3, 31)))
        add("清明", qingming - DAY, qingming + 2 * DAY)
        add("端午", dragon - DAY, dragon + DAY)
        add("中秋", moon - DAY, moon + DAY)
    return tuple(out)


#: how near a window must begin for a text to call it 临近 or 即将来临
SOON = 30 * DAY


def under_way(date: dt.date, name: str) -> bool:
    """Whether a window called ``name`` contains ``date`` (当前正值…)."""
    return any(w.name == name and w.start <= date <= w.end for w in windows(date.year))


def begins_soon(date: dt.date, name: str) -> bool:
    """Whether a window called ``name`` is under way on ``date`` or begins within
    :data:`SOON` after it (…临近, …即将来临)."""
    return any(
        w.name == name and w.start <= date + SOON and w.end >= date for w in windows(date.year)
    )


def quarter_end(year: int, quarter: int) -> dt.date:
    month = quarter * 3
    return (D(year, 12, 31)) if month == 12 else D(year, month + 1, 1) - DAY


def horizon(date: dt.date, kind: str, quarter: int | None = None) -> dt.date:
    """The last day a document dated ``date`` speaks for.

    Quarterly meetings and notices speak for their quarter (the next one when the
    date lies before it: a notice of 3月28日 for the second quarter), at least 45
    days; an emergency meeting for 30 days; any other meeting for 60 days.
    """
    if kind == "emergency":
        return date + 30 * DAY
    if kind == "quarterly" and quarter:
        year = date.year
        if quarter < (date.month - 1) // 3 + 1:
            year += 1  # a December meeting for the first quarter
        return max(date + 45 * DAY, quarter_end(year, quarter))
    return date + 60 * DAY


@dataclass(frozen=True)
class Outlook:
    """What lies ahead of a date up to its horizon (what is behind is never here)."""

    date: dt.date
    until: dt.date
    ahead: frozenset[str]  # names of windows under way or to come
    known_year: bool  # False when the lunar holidays of the year are unknown

    def has(self, name: str) -> bool:
        return name in self.ahead

    def holidays(self) -> tuple[str, ...]:
        """The holidays ahead, in calendar order."""
        return tuple(h for h in HOLIDAYS if h in self.ahead)


# For a quarter's documents, a holiday that begins within this many days after the
# quarter's end still counts as ahead (a third-quarter notice speaks of 国庆, a
# fourth-quarter one of 元旦).
HOLIDAY_GRACE = 7 * DAY


def outlook(date: dt.date, until: dt.date, grace: dt.timedelta = dt.timedelta(0)) -> Outlook:
    """The windows that overlap ``[date, until]``; holidays also up to ``until + grace``."""
    names = {
        w.name
        for year in range(date.year, until.year + 2)
        for w in windows(year)
        if w.overlaps(date, until) or (w.name in HOLIDAYS and w.overlaps(date, until + grace))
    }
    known = all(y in LUNAR for y in range(date.year, until.year + 1))
    return Outlook(date, until, frozenset(names), known)
