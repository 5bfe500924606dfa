"""Table tests for speechgen.compose.stats (INPUT.md ``stats``, domain.md §3.0 and §3.2)."""

import itertools

import pytest

from speechgen.compose.stats import (
    INDICATORS,
    direction,
    hazards_sentence,
    situation_sentence,
    summary,
    yoy,
)

# INPUT.md's example: 上半年 12/3/5/120.5 against 15/3/9/200.
CUR = {"accidents": 12, "deaths": 3, "injured": 5, "loss_wan": 120.5}
PREV = {"accidents": 15, "deaths": 3, "injured": 9, "loss_wan": 200}


def test_indicators():
    assert INDICATORS == (
        ("accidents", "事故起数", "起"),
        ("deaths", "死亡人数", "人"),
        ("injured", "受伤人数", "人"),
        ("loss_wan", "直接经济损失", "万元"),
    )


@pytest.mark.parametrize(
    ("cur", "prev", "expected"),
    [
        (12, 15, -1),
        (3, 3, 0),
        (29, 25, 1),
        (0, 0, 0),
        (120.5, 200, -1),
        (200, 200.0, 0),
        (0.1, 0, 1),
    ],
)
def test_direction(cur, prev, expected):
    assert direction(cur, prev) == expected


@pytest.mark.parametrize(
    ("cur", "prev", "unit", "with_delta", "expected"),
    [
        # INPUT.md / domain.md examples
        (12, 15, "起", False, "同比下降20%"),  # 事故起数同比下降20%
        (3, 3, "人", False, "同比持平"),  # 死亡人数同比持平
        (29, 25, "起", True, "同比增加4起，上升16%"),  # 29/25 → 16%
        (810, 318, "万元", True, "同比增加492万元，上升1.5倍"),  # 492/318 = 1.547
        # the same figures the other way
        (12, 15, "起", True, "同比减少3起，下降20%"),
        (12, 15, "", True, "同比下降20%"),  # no unit, no difference
        (29, 25, "起", False, "同比上升16%"),
        (810, 318, "万元", False, "同比上升1.5倍"),
        (3, 3, "人", True, "同比持平"),
        (0, 0, "起", True, "同比持平"),
        (15, 11, "人", True, "同比增加4人，上升36.4%"),  # 4/11 = 36.36
        (5, 9, "人", False, "同比下降44.4%"),  # 4/9 = 44.44
        (120.5, 200, "万元", False, "同比下降39.8%"),  # 79.5/200 = 39.75 exactly, half up
        (120.5, 200, "万元", True, "同比减少79.5万元，下降39.8%"),
        (100, 300, "", True, "同比下降66.7%"),  # 200/300 = 66.67
        (101, 100, "起", True, "同比增加1起，上升1%"),
        (3.0, 2, "人", True, "同比增加1人，上升50%"),
        (0, 15, "起", True, "同比减少15起，下降100%"),
        # prev 0: no rate, the difference is always stated
        (3, 0, "起", True, "同比增加3起"),
        (3, 0, "起", False, "同比增加3起"),
        (0.5, 0, "万元", True, "同比增加0.5万元"),
        # 100% and more: 倍 = (cur-prev)/prev
        (20, 10, "起", True, "同比增加10起，上升1倍"),
        (45, 15, "起", True, "同比增加30起，上升2倍"),
        (199.95, 100, "万元", False, "同比上升100%"),  # 99.95% < 100%: still a percent
        # a change that rounds to 0%
        (2000.5, 2000, "万元", True, "同比基本持平"),
        (1999.5, 2000, "万元", False, "同比基本持平"),
    ],
)
def test_yoy(cur, prev, unit, with_delta, expected):
    assert yoy(cur, prev, unit, with_delta=with_delta) == expected


def test_yoy_default_states_the_difference():
    assert yoy(29, 25, "起") == "同比增加4起，上升16%"


@pytest.mark.parametrize(("cur", "prev"), [(-1, 3), (3, -1)])
def test_yoy_rejects_negative(cur, prev):
    with pytest.raises(ValueError):
        yoy(cur, prev, "起")


# Every possible (升, 降, 平) count of four indicators: 15 combinations.
SUMMARIES = [
    ([1, 1, 1, 1], "全面上升"),
    ([-1, -1, -1, -1], "全面下降"),
    ([0, 0, 0, 0], "全面持平"),
    ([1, 1, 1, -1], "三升一降"),
    ([1, 1, 1, 0], "三升一平"),
    ([-1, -1, -1, 1], "三降一升"),
    ([-1, -1, -1, 0], "三降一平"),
    ([0, 0, 0, 1], "三平一升"),
    ([0, 0, 0, -1], "三平一降"),
    ([1, 1, -1, -1], "两升两降"),
    ([1, 1, 0, 0], "两升两平"),
    ([-1, -1, 0, 0], "两降两平"),
    ([1, 1, -1, 0], "两升一降一平"),
    ([-1, -1, 1, 0], "两降一升一平"),
    ([0, 0, 1, -1], "两平一升一降"),
]


def test_summary_table_is_complete():
    seen = {(d.count(1), d.count(-1), d.count(0)) for d, _ in SUMMARIES}
    every = {(u, n, f) for u in range(5) for n in range(5) for f in range(5) if u + n + f == 4}
    assert seen == every and len(SUMMARIES) == 15


@pytest.mark.parametrize(("directions", "expected"), SUMMARIES)
def test_summary(directions, expected):
    for order in set(itertools.permutations(directions)):
        assert summary(list(order)) == expected


def test_summary_of_input_example():
    # 事故起数 down, 死亡人数 flat, 受伤人数 down, 直接经济损失 down
    assert summary([-1, 0, -1, -1]) == "三降一平"


@pytest.mark.parametrize("directions", [[], [2, 0, 0, 0], [1, None]])
def test_summary_rejects(directions):
    with pytest.raises(ValueError):
        summary(directions)


@pytest.mark.parametrize(
    ("period", "all_word", "cur", "prev", "expected"),
    [
        (
            "上半年",
            "全县",
            CUR,
            PREV,
            "上半年，全县共发生各类生产安全事故12起，死亡3人，受伤5人，直接经济损失120.5万元。"
            "事故起数同比下降20%，死亡人数同比持平，受伤人数同比下降44.4%，"
            "直接经济损失同比下降39.8%，四项指标呈现“三降一平”态势。",
        ),
        (
            "上半年",
            "全县",
            {"accidents": 10, "deaths": 2, "injured": 3, "loss_wan": 100},
            PREV,
            "上半年，全县共发生各类生产安全事故10起，死亡2人，受伤3人，直接经济损失100万元。"
            "事故起数同比下降33.3%，死亡人数同比下降33.3%，受伤人数同比下降66.7%，"
            "直接经济损失同比下降50%，四项指标全面下降。",
        ),
        (
            "一季度",
            "全区",
            {"accidents": 16, "deaths": 4, "injured": 5, "loss_wan": 100},
            PREV,
            "一季度，全区共发生各类生产安全事故16起，死亡4人，受伤5人，直接经济损失100万元。"
            "事故起数同比上升6.7%，死亡人数同比上升33.3%，受伤人数同比下降44.4%，"
            "直接经济损失同比下降50%，四项指标呈现“两升两降”态势。",
        ),
        (
            "2023年",
            "全县",
            {"accidents": 3, "deaths": 1, "injured": 0, "loss_wan": 10},
            {"accidents": 0, "deaths": 0, "injured": 0, "loss_wan": 0},
            "2023年，全县共发生各类生产安全事故3起，死亡1人，未造成人员受伤，直接经济损失10万元。"
            "事故起数同比增加3起，死亡人数同比增加1人，受伤人数同比持平，"
            "直接经济损失同比增加10万元，四项指标呈现“三升一平”态势。",
        ),
        # no previous period: no 同比 part
        (
            "上半年",
            "全县",
            CUR,
            None,
            "上半年，全县共发生各类生产安全事故12起，死亡3人，受伤5人，直接经济损失120.5万元。",
        ),
        # only the indicators given; no summary unless all four are in both
        (
            "上半年",
            "全县",
            {"accidents": 12, "deaths": 3},
            {"accidents": 15, "deaths": 3},
            "上半年，全县共发生各类生产安全事故12起，死亡3人。事故起数同比下降20%，死亡人数同比持平。",
        ),
        (
            "上半年",
            "全县",
            CUR,
            {"accidents": 15},
            "上半年，全县共发生各类生产安全事故12起，死亡3人，受伤5人，直接经济损失120.5万元。"
            "事故起数同比下降20%。",
        ),
        (
            "上半年",
            "全县",
            {"accidents": 12},
            {"deaths": 3},
            "上半年，全县共发生各类生产安全事故12起。",
        ),
        # zero accidents
        (
            "上半年",
            "全县",
            {"accidents": 0, "deaths": 0, "injured": 0, "loss_wan": 0},
            PREV,
            "上半年，全县未发生生产安全事故，同比减少15起。",
        ),
        ("前三季度", "全市", {"accidents": 0}, None, "前三季度，全市未发生生产安全事故。"),
        ("上半年", "全县", {"accidents": 0}, {"accidents": 0}, "上半年，全县未发生生产安全事故。"),
        # zero figures
        (
            "上半年",
            "全县",
            {"accidents": 5, "deaths": 0, "injured": 0, "loss_wan": 30},
            None,
            "上半年，全县共发生各类生产安全事故5起，未造成人员伤亡，直接经济损失30万元。",
        ),
        (
            "上半年",
            "全县",
            {"accidents": 5, "deaths": 0, "injured": 2},
            None,
            "上半年，全县共发生各类生产安全事故5起，未造成人员死亡，受伤2人。",
        ),
        (
            "上半年",
            "全县",
            {"accidents": 2, "deaths": 1, "loss_wan": 0},
            None,
            "上半年，全县共发生各类生产安全事故2起，死亡1人。",
        ),
        # no accident count
        (
            "上半年",
            "全县",
            {"deaths": 3, "injured": 5},
            None,
            "上半年，全县生产安全事故死亡3人，受伤5人。",
        ),
        ("上半年", "全县", {"loss_wan": 0}, None, "上半年，全县生产安全事故直接经济损失0万元。"),
        # no period
        ("", "全县", {"accidents": 1}, None, "全县共发生各类生产安全事故1起。"),
    ],
)
def test_situation_sentence(period, all_word, cur, prev, expected):
    assert situation_sentence(period, all_word, cur, prev) == expected


def test_situation_sentence_with_delta():
    assert situation_sentence("上半年", "全县", CUR, PREV, with_delta=True) == (
        "上半年，全县共发生各类生产安全事故12起，死亡3人，受伤5人，直接经济损失120.5万元。"
        "事故起数同比减少3起，下降20%，死亡人数同比持平，受伤人数同比减少4人，下降44.4%，"
        "直接经济损失同比减少79.5万元，下降39.8%，四项指标呈现“三降一平”态势。"
    )


@pytest.mark.parametrize("cur", [{}, {"other": 1}, {"accidents": None}])
def test_situation_sentence_needs_an_indicator(cur):
    with pytest.raises(ValueError):
        situation_sentence("上半年", "全县", cur, None)


def test_situation_sentence_rejects_negative():
    with pytest.raises(ValueError):
        situation_sentence("上半年", "全县", {"accidents": -1}, None)


@pytest.mark.parametrize(
    ("found", "fixed", "major", "expected"),
    [
        (6368, 6200, None, "共排查各类安全隐患6368处，已整改6200处，整改率97.4%"),  # 97.36
        (
            6368,
            6200,
            12,
            "共排查各类安全隐患6368处，其中重大事故隐患12处，已整改6200处，整改率97.4%",
        ),
        (100, 100, None, "共排查各类安全隐患100处，已整改100处，整改率100%"),
        (2000, 1999, None, "共排查各类安全隐患2000处，已整改1999处，整改率99.9%"),  # 99.95 capped
        (3, 1, None, "共排查各类安全隐患3处，已整改1处，整改率33.3%"),
        (8, 1, None, "共排查各类安全隐患8处，已整改1处，整改率12.5%"),
        (10, 0, None, "共排查各类安全隐患10处，已整改0处，整改率0%"),
        (10, 5, 0, "共排查各类安全隐患10处，已整改5处，整改率50%"),
        (0, 0, None, "未排查出安全隐患"),
    ],
)
def test_hazards_sentence(found, fixed, major, expected):
    assert hazards_sentence(found, fixed, major) == expected


@pytest.mark.parametrize(("found", "fixed"), [(5, 6), (-1, 0), (5, -1)])
def test_hazards_sentence_rejects(found, fixed):
    with pytest.raises(ValueError):
        hazards_sentence(found, fixed)
