"""Table tests for speechgen.compose.accidents (INPUT.md ``accidents``, domain.md §3.0–§3.1)."""

from datetime import date

import pytest

from speechgen.compose.accidents import (
    accident_clause,
    accident_code,
    accident_list,
    accident_name,
    casualties,
    grade,
    kind_phrase,
    total_deaths,
)

PANJIN = {
    "date": date(2023, 1, 15),
    "place": "辽宁盘锦",
    "kind": "爆炸",
    "site": "化工企业",
    "deaths": 13,
    "injured": 35,
}
ALASHAN = {"date": date(2023, 2, 22), "place": "内蒙古阿拉善盟", "kind": "坍塌", "deaths": 53}
YINCHUAN = {"date": date(2023, 6, 21), "place": "宁夏银川", "kind": "燃气爆炸", "deaths": 31}


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, "一般"),
        ({"deaths": None, "injured": None, "loss_wan": None}, "一般"),
        # deaths: <3, 3–9, 10–29, ≥30
        ({"deaths": 0}, "一般"),
        ({"deaths": 2}, "一般"),
        ({"deaths": 3}, "较大"),
        ({"deaths": 9}, "较大"),
        ({"deaths": 10}, "重大"),
        ({"deaths": 29}, "重大"),
        ({"deaths": 30}, "特别重大"),
        ({"deaths": 53}, "特别重大"),
        # injured: <10, 10–49, 50–99, ≥100
        ({"injured": 9}, "一般"),
        ({"injured": 10}, "较大"),
        ({"injured": 49}, "较大"),
        ({"injured": 50}, "重大"),
        ({"injured": 99}, "重大"),
        ({"injured": 100}, "特别重大"),
        # loss_wan: <1000, 1000–4999, 5000–9999, ≥10000
        ({"loss_wan": 999.9}, "一般"),
        ({"loss_wan": 1000}, "较大"),
        ({"loss_wan": 4999.99}, "较大"),
        ({"loss_wan": 5000}, "重大"),
        ({"loss_wan": 9999}, "重大"),
        ({"loss_wan": 10000}, "特别重大"),
        # the highest of the three
        ({"deaths": 13, "injured": 35}, "重大"),
        ({"deaths": 1, "injured": 60}, "重大"),
        ({"deaths": 2, "injured": 5, "loss_wan": 12000}, "特别重大"),
        ({"deaths": 3, "injured": 0, "loss_wan": 0}, "较大"),
        ({"deaths": 0, "injured": 9, "loss_wan": 1000}, "较大"),
    ],
)
def test_grade(kwargs, expected):
    assert grade(**kwargs) == expected


@pytest.mark.parametrize(
    ("deaths", "injured", "missing", "expected"),
    [
        (13, 35, 0, "造成13人死亡、35人受伤"),
        (1, 0, 7, "造成1人死亡、7人失联"),
        (11, 0, 0, "造成11人死亡"),
        (0, 5, 0, "造成5人受伤"),
        (0, 0, 9, "造成9人失联"),
        (1, 2, 7, "造成1人死亡、7人失联、2人受伤"),
        (0, 0, 0, ""),
        (None, None, None, ""),
        (2, None, 2, "造成2人死亡、2人失联"),
    ],
)
def test_casualties(deaths, injured, missing, expected):
    assert casualties(deaths, injured, missing) == expected


def test_casualties_defaults():
    assert casualties() == ""
    assert casualties(deaths=3) == "造成3人死亡"


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("爆炸", "爆炸事故"),
        ("火灾", "火灾事故"),
        ("坍塌", "坍塌事故"),
        ("燃气爆炸", "燃气爆炸事故"),
        ("中毒窒息", "中毒窒息事故"),
        ("道路交通", "道路交通事故"),
        ("道路交通事故", "道路交通事故"),
        (" 坍塌 ", "坍塌事故"),
    ],
)
def test_kind_phrase(kind, expected):
    assert kind_phrase(kind) == expected


@pytest.mark.parametrize("kind", ["", "  ", None])
def test_kind_phrase_required(kind):
    with pytest.raises(ValueError):
        kind_phrase(kind)


@pytest.mark.parametrize(
    ("acc", "ref_year", "expected"),
    [
        (PANJIN, 2023, "1月15日，辽宁盘锦化工企业发生爆炸事故，造成13人死亡、35人受伤"),  # INPUT.md
        (PANJIN, None, "1月15日，辽宁盘锦化工企业发生爆炸事故，造成13人死亡、35人受伤"),
        (PANJIN, 2024, "2023年1月15日，辽宁盘锦化工企业发生爆炸事故，造成13人死亡、35人受伤"),
        (
            {**PANJIN, "date": "2023-01-15"},
            2023,
            "1月15日，辽宁盘锦化工企业发生爆炸事故，造成13人死亡、35人受伤",
        ),
        (ALASHAN, 2023, "2月22日，内蒙古阿拉善盟发生坍塌事故，造成53人死亡"),
        (
            {"date": date(2024, 3, 27), "place": "沧州", "site": "废弃冷库", "kind": "火灾"},
            2024,
            "3月27日，沧州废弃冷库发生火灾事故",
        ),
        (
            {"place": "江北市", "kind": "燃气爆炸", "deaths": 2},
            2024,
            "江北市发生燃气爆炸事故，造成2人死亡",
        ),
        (
            {
                "date": date(2023, 10, 22),
                "place": "烟台莱州",
                "site": "一家矿业公司",
                "kind": "井下泥沙透出",
                "deaths": 1,
                "missing": 7,
            },
            2023,
            "10月22日，烟台莱州一家矿业公司发生井下泥沙透出事故，造成1人死亡、7人失联",
        ),
        (
            {"date": date(2024, 5, 11), "place": "青山县", "kind": "道路交通事故", "deaths": 9},
            2024,
            "5月11日，青山县发生道路交通事故，造成9人死亡",
        ),
    ],
)
def test_accident_clause(acc, ref_year, expected):
    assert accident_clause(acc, ref_year) == expected


@pytest.mark.parametrize(
    "acc",
    [
        {"date": date(2024, 1, 1), "kind": "爆炸"},
        {"date": date(2024, 1, 1), "place": " ", "kind": "爆炸"},
        {"date": date(2024, 1, 1), "place": "沧州"},
    ],
)
def test_accident_clause_required_keys(acc):
    with pytest.raises(ValueError):
        accident_clause(acc, 2024)


def test_accident_list_in_date_order():
    assert accident_list([ALASHAN, YINCHUAN, PANJIN], 2023) == (
        "1月15日，辽宁盘锦化工企业发生爆炸事故，造成13人死亡、35人受伤；"
        "2月22日，内蒙古阿拉善盟发生坍塌事故，造成53人死亡；"
        "6月21日，宁夏银川发生燃气爆炸事故，造成31人死亡"
    )


def test_accident_list_across_years_and_undated_last():
    accs = [
        {"place": "深圳", "kind": "滑坡"},
        {"date": date(2024, 1, 4), "place": "山东潍坊", "kind": "爆炸", "deaths": 13},
        {"date": date(2023, 12, 12), "place": "青山县", "kind": "煤矿瓦斯", "deaths": 2},
    ]
    assert accident_list(accs, 2024) == (
        "2023年12月12日，青山县发生煤矿瓦斯事故，造成2人死亡；"
        "1月4日，山东潍坊发生爆炸事故，造成13人死亡；"
        "深圳发生滑坡事故"
    )


def test_accident_list_empty():
    assert accident_list([], 2024) == ""


@pytest.mark.parametrize(
    ("acc", "expected"),
    [
        ({"code": "6·18"}, "“6·18”"),
        ({"code": "6.18"}, "“6.18”"),  # kept as typed
        ({"code": 6.18}, "“6.18”"),
        ({"code": "“6·18”"}, "“6·18”"),  # quotes typed by the user are not doubled
        ({"code": ' "6·18" '}, "“6·18”"),
        ({"date": date(2024, 6, 18)}, "“6·18”"),
        ({"date": "2023-12-12"}, "“12·12”"),
        ({"code": "2·15", "date": date(2023, 1, 1)}, "“2·15”"),  # the typed code wins
        ({"code": "", "date": date(2023, 3, 24)}, "“3·24”"),
    ],
)
def test_accident_code(acc, expected):
    assert accident_code(acc) == expected


def test_accident_code_uses_middle_dot():
    assert accident_code({"date": date(2024, 6, 18)}) == "\u201c6\u00b718\u201d"


def test_accident_code_needs_code_or_date():
    with pytest.raises(ValueError):
        accident_code({"place": "江北市", "kind": "爆炸"})


@pytest.mark.parametrize(
    ("acc", "expected"),
    [
        ({"place": "江北市", "code": "6·18", "kind": "爆炸"}, "江北市“6·18”爆炸事故"),
        ({"place": "江北市", "date": date(2024, 6, 18), "kind": "爆炸"}, "江北市“6·18”爆炸事故"),
        ({"place": "江北市", "code": "6.18", "kind": "爆炸事故"}, "江北市“6.18”爆炸事故"),
        (
            {"place": "吉林市", "site": "中百商厦", "code": "2·15", "kind": "火灾"},
            "吉林市中百商厦“2·15”火灾事故",
        ),
        ({"place": "深圳", "kind": "滑坡"}, "深圳滑坡事故"),
    ],
)
def test_accident_name(acc, expected):
    assert accident_name(acc) == expected


@pytest.mark.parametrize(
    ("accs", "expected"),
    [
        ([], 0),
        ([PANJIN, ALASHAN, YINCHUAN], 97),  # 13 + 53 + 31
        ([PANJIN, {"place": "深圳", "kind": "滑坡"}, {"deaths": None}], 13),
    ],
)
def test_total_deaths(accs, expected):
    assert total_deaths(accs) == expected
