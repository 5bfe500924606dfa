"""The situation model, pinned by tables: trend, calendar windows, sub-units, scopes,
grades and time words (issue #9, research/situation.md)."""

from __future__ import annotations

import datetime as dt

import pytest

from speechgen import calendar
from speechgen.compose.situation import (
    below_major,
    grade_of,
    situation_of,
    time_word,
    trend_of,
)
from speechgen.compose.vocabulary import vocabulary

D = dt.date.fromisoformat

# ------------------------------------------------------------------ trend

TRENDS = [
    # current, previous, overall, rises
    ({"accidents": 12, "deaths": 3}, {"accidents": 15, "deaths": 4}, "better", ()),
    ({"accidents": 12, "deaths": 3}, {"accidents": 12, "deaths": 3}, "flat", ()),
    ({"accidents": 12, "deaths": 3}, {"accidents": 15, "deaths": 3}, "better", ()),
    ({"accidents": 16, "deaths": 3}, {"accidents": 15, "deaths": 4}, "worse", ("accidents",)),
    ({"accidents": 10, "deaths": 5}, {"accidents": 15, "deaths": 4}, "worse", ("deaths",)),
    (
        {"accidents": 10, "deaths": 3, "injured": 9},
        {"accidents": 15, "deaths": 4, "injured": 5},
        "mixed",
        ("injured",),
    ),
    (
        {"accidents": 10, "loss_wan": 30.5},
        {"accidents": 12, "loss_wan": 30},
        "mixed",
        ("loss_wan",),
    ),
    ({"accidents": 10}, None, "none", ()),
    ({"accidents": 10}, {"deaths": 3}, "none", ()),  # nothing comparable
]


@pytest.mark.parametrize(("cur", "prev", "overall", "rises"), TRENDS)
def test_trend(cur, prev, overall, rises) -> None:
    t = trend_of(cur, prev)
    assert t.overall == overall
    assert t.rises == rises
    assert t.praise_allowed == (overall in ("better", "flat"))


# ------------------------------------------------------------------ the lunar table

LUNAR = [  # research/situation.md lists these
    ("春节", "2022-02-01"),
    ("春节", "2023-01-22"),
    ("春节", "2024-02-10"),
    ("春节", "2025-01-29"),
    ("春节", "2026-02-17"),
    ("春节", "2027-02-06"),
    ("端午", "2022-06-03"),
    ("端午", "2023-06-22"),
    ("端午", "2024-06-10"),
    ("端午", "2025-05-31"),
    ("端午", "2026-06-19"),
    ("中秋", "2022-09-10"),
    ("中秋", "2023-09-29"),
    ("中秋", "2024-09-17"),
    ("中秋", "2025-10-06"),
    ("中秋", "2026-09-25"),
]


@pytest.mark.parametrize(("name", "day"), LUNAR)
def test_lunar_holidays(name: str, day: str) -> None:
    d = D(day)
    spring, dragon, moon, _ = calendar.lunar(d.year)
    assert {"春节": spring, "端午": dragon, "中秋": moon}[name] == d


def test_every_supported_year_has_its_holidays_in_order() -> None:
    for year in range(calendar.FIRST_YEAR, calendar.LAST_YEAR + 1):
        spring, dragon, moon, qingming = calendar.lunar(year)
        assert dt.date(year, 1, 20) <= spring <= dt.date(year, 2, 20)
        assert qingming in (dt.date(year, 4, 4), dt.date(year, 4, 5))
        assert spring < qingming < dragon < moon
        assert dt.date(year, 5, 28) <= dragon <= dt.date(year, 6, 25)
        assert dt.date(year, 9, 7) <= moon <= dt.date(year, 10, 8)


# ------------------------------------------------------------------ windows ahead of a date

AHEAD = [
    # date, kind, quarter, must be ahead, must NOT be ahead
    ("2024-03-18", "quarterly", 1, {"清明", "五一", "汛期", "复工复产"}, {"春节", "春运", "元旦"}),
    ("2024-01-20", "holiday", None, {"春节", "春运", "烟花爆竹", "全国两会"}, {"汛期", "国庆"}),
    ("2024-04-10", "quarterly", 2, {"五一", "端午", "安全生产月", "汛期"}, {"主汛期", "春节"}),
    ("2024-07-05", "quarterly", 3, {"主汛期", "高温", "暑期", "中秋", "汛期"}, {"五一", "春节"}),
    # 中秋 2025 is on 6 October and 国庆 begins on the 1st: a third-quarter meeting speaks of both
    ("2025-07-08", "quarterly", 3, {"中秋", "国庆", "主汛期"}, {"五一", "端午", "春节"}),
    ("2024-10-08", "quarterly", 4, {"元旦", "冬季取暖", "岁末年初"}, {"国庆", "中秋", "春节"}),
    ("2024-10-10", "quarterly", 4, {"森林防火期", "冬季取暖", "岁末年初"}, {"国庆", "汛期"}),
    ("2024-11-20", "emergency", None, {"冬季取暖", "森林防火期"}, {"汛期", "春节"}),
    ("2024-03-28", "quarterly", 2, {"五一", "汛期", "安全生产月"}, {"春节", "主汛期"}),
    ("2024-06-03", "safety_month", None, {"安全生产月", "端午", "主汛期"}, {"五一", "春节"}),
]


@pytest.mark.parametrize(("day", "kind", "quarter", "yes", "no"), AHEAD)
def test_outlook(day: str, kind: str, quarter, yes: set[str], no: set[str]) -> None:
    d = D(day)
    grace = calendar.HOLIDAY_GRACE if kind == "quarterly" else dt.timedelta(0)
    o = calendar.outlook(d, calendar.horizon(d, kind, quarter), grace)
    assert yes <= o.ahead, yes - o.ahead
    assert not (no & o.ahead), no & o.ahead


def test_a_december_meeting_for_the_first_quarter_speaks_for_that_quarter() -> None:
    d = D("2024-12-28")
    until = calendar.horizon(d, "quarterly", 1)
    assert until == D("2025-03-31")
    assert {"元旦", "春节", "全国两会"} <= calendar.outlook(d, until, calendar.HOLIDAY_GRACE).ahead


# ------------------------------------------------------------------ levels and their units

UNITS = [
    ("市", "各县（市、区）", "市直各部门", "我市"),
    ("县级市", "各镇（街道）", "市直各部门", "我市"),
    ("县", "各乡镇", "县直各部门", "我县"),
    ("区", "各镇街", "区直各部门", "我区"),
    ("乡镇", "各村（社区）", "镇直各单位", "我镇"),
    ("公司", "各车间", "各职能部门", "我司"),
]


@pytest.mark.parametrize(("level", "sub", "depts", "self_word"), UNITS)
def test_units_per_level(level: str, sub: str, depts: str, self_word: str) -> None:
    v = vocabulary(level)
    assert (v["sub_units"], v["depts"], v["self"]) == (sub, depts, self_word)


def test_org_units_override_the_level() -> None:
    v = vocabulary("县", units="各乡镇（街道）")
    assert v["sub_units"] == "各乡镇（街道）"
    assert v["units"] == "各乡镇（街道）、县直各部门"


# ------------------------------------------------------------------ accidents

GRADES = [
    ({"deaths": 2}, "一般"),
    ({"deaths": 3}, "较大"),
    ({"deaths": 10}, "重大"),
    ({"deaths": 30}, "特别重大"),
    ({"deaths": 0, "injured": 12}, "较大"),  # injured counts without serious_injured
    ({"deaths": 0, "injured": 12, "serious_injured": 4}, "一般"),  # serious injuries decide
    ({"deaths": 1, "serious_injured": 50}, "重大"),
    ({"deaths": 0, "loss_wan": 1000}, "较大"),
    ({"deaths": 0, "loss_wan": 10000}, "特别重大"),
]


@pytest.mark.parametrize(("acc", "expected"), GRADES)
def test_grade(acc: dict, expected: str) -> None:
    assert grade_of(acc) == expected


@pytest.mark.parametrize(
    ("day", "year", "word"),
    [("2024-01-15", 2024, "今年"), ("2023-06-18", 2024, "去年"), ("2021-06-13", 2024, "2021年")],
)
def test_time_word(day: str, year: int, word: str) -> None:
    assert time_word(D(day), year) == word


def _sit(**data):
    base = {"org": {"level": "县"}, **data}
    meeting = base.pop("meeting", {})
    return situation_of(
        base,
        kind=meeting.get("kind", "quarterly"),
        date=D("2024-04-10"),
        quarter=2,
        meeting=meeting,
    )


def test_severity_from_a_local_accident_of_grade_jiaoda() -> None:
    assert not _sit(
        accidents=[{"place": "A", "kind": "火灾", "deaths": 2, "scope": "local"}]
    ).serious
    s = _sit(accidents=[{"place": "A", "kind": "火灾", "deaths": 3, "scope": "local"}])
    assert s.serious and s.local_grade == "较大"
    # an outside accident of any grade does not make the local situation serious
    assert not _sit(accidents=[{"place": "A", "kind": "火灾", "deaths": 30}]).serious
    assert _sit(meeting={"kind": "emergency"}).serious


def test_facts_the_input_carries() -> None:
    s = _sit(
        context=["即将进入旅游旺季，游客明显增多"],
        sectors=[{"name": "尾矿库"}],
        meeting={"topics": ["防汛"], "targets": ["零死亡"]},
        accidents=[{"place": "邻县", "kind": "坍塌", "scope": "nearby"}],
    )
    for fact in ("context:旅游", "topic:防汛", "targets", "accidents.nearby", "context"):
        assert s.has(fact), fact
    assert s.has("sector:尾矿库") and s.has("sector:非煤矿山")  # as typed and canonical
    bare = _sit()
    for fact in ("context:旅游", "topic:防汛", "targets", "accidents", "approved_by", "inspection"):
        assert not bare.has(fact), fact


def test_typed_holidays_are_the_ones_spoken_of() -> None:
    s = situation_of(
        {"org": {"level": "县"}},
        kind="holiday",
        date=D("2025-01-20"),
        meeting={"holiday": ["春节", "全国两会"]},
    )
    assert s.holidays == ("春节", "全国两会")
    assert s.ahead("全国两会")  # the horizon reaches the last holiday named


def test_a_holiday_meeting_speaks_for_its_holidays_not_the_season_after() -> None:
    """A 中秋国庆 meeting of 9月24日 speaks for the holidays and the week after them
    (国庆 ends 10月7日): the heating season of 11月1日 is not ahead (its 冬防保温 line
    had been said); a quarterly meeting of the same day still reaches it."""
    s = situation_of(
        {"org": {"level": "市"}},
        kind="holiday",
        date=D("2025-09-24"),
        meeting={"holiday": ["中秋", "国庆"]},
    )
    assert s.ahead("国庆") and s.ahead("中秋")
    assert not s.ahead("冬季取暖") and not s.ahead("低温雨雪冰冻")
    assert s.outlook.until == D("2025-10-14")
    q4 = situation_of({"org": {"level": "市"}}, kind="quarterly", date=D("2025-09-24"), quarter=4)
    assert q4.ahead("冬季取暖")
    # a holiday far off still reaches its last day (春节 named in a December meeting)
    far = situation_of(
        {"org": {"level": "县"}},
        kind="holiday",
        date=D("2024-12-20"),
        meeting={"holiday": ["春节", "全国两会"]},
    )
    assert far.ahead("全国两会") and far.outlook.until == D("2025-03-15")


@pytest.mark.parametrize(
    ("current", "below"),
    [
        ({"deaths": 8, "injured": 20, "loss_wan": 410}, True),
        ({"deaths": 9, "serious_injured": 49, "injured": 80, "loss_wan": 4999}, True),
        ({"deaths": 10, "injured": 20, "loss_wan": 410}, False),  # one accident may hold all ten
        ({"deaths": 2, "injured": 60, "loss_wan": 100}, False),  # 50 injured is 重大
        ({"deaths": 2, "injured": 5, "loss_wan": 5000}, False),
        ({"deaths": 2, "injured": 5}, False),  # the loss not typed: rules nothing out
        ({"deaths": 2, "loss_wan": 10}, False),
        ({}, False),
    ],
)
def test_totals_rule_out_a_major_accident_only_when_all_typed(current: dict, below: bool) -> None:
    assert below_major(current) is below
