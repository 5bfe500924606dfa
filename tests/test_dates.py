"""Table tests for speechgen.compose.dates (INPUT.md "Conventions", domain.md §3.0)."""

from datetime import date, datetime

import pytest

from speechgen.compose.dates import (
    code_from_date,
    full_date,
    month_day,
    parse_date,
    quarter_cn,
    quarter_of,
    quarter_short,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2024, 4, 10), date(2024, 4, 10)),
        (datetime(2024, 4, 10, 9, 30), date(2024, 4, 10)),
        ("2024-04-10", date(2024, 4, 10)),
        ("2024-4-1", date(2024, 4, 1)),
        ("2024/4/10", date(2024, 4, 10)),
        ("2024.4.10", date(2024, 4, 10)),
        ("2024年4月10日", date(2024, 4, 10)),
        ("2024年4月10号", date(2024, 4, 10)),
        ("2024 年 4 月 10 日", date(2024, 4, 10)),
        ("  2024-04-10 ", date(2024, 4, 10)),
        ("２０２４年４月１０日", date(2024, 4, 10)),  # full-width digits
        ("2024－04－10", date(2024, 4, 10)),  # full-width hyphen
        ("2024-02-29", date(2024, 2, 29)),  # leap year
        ("2023-12-31", date(2023, 12, 31)),
    ],
)
def test_parse_date(value, expected):
    result = parse_date(value)
    assert result == expected
    assert type(result) is date


@pytest.mark.parametrize("value", ["2024-13-45", "2023-02-29", "2024-04-31", "2024年0月1日"])
def test_parse_date_impossible(value):
    with pytest.raises(ValueError, match="日期不存在"):
        parse_date(value)


@pytest.mark.parametrize(
    "value",
    ["明天", "", "2024-04", "2024年4月", "24-4-10", "2024-4/10", "2024-04-10abc", 20240410, None],
)
def test_parse_date_unreadable(value):
    with pytest.raises(ValueError, match="日期格式不正确"):
        parse_date(value)


@pytest.mark.parametrize(
    ("d", "ref_year", "expected"),
    [
        (date(2024, 4, 10), None, "4月10日"),
        (date(2024, 4, 10), 2024, "4月10日"),
        (date(2023, 4, 10), 2024, "2023年4月10日"),
        (date(2024, 1, 5), 2024, "1月5日"),
        (date(2024, 12, 31), 2025, "2024年12月31日"),
        (date(2023, 1, 15), None, "1月15日"),
    ],
)
def test_month_day(d, ref_year, expected):
    assert month_day(d, ref_year) == expected


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2024, 4, 10), "2024年4月10日"),
        (date(2024, 1, 1), "2024年1月1日"),
        (date(2024, 12, 31), "2024年12月31日"),
    ],
)
def test_full_date(d, expected):
    assert full_date(d) == expected


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2024, 1, 1), 1),
        (date(2024, 3, 31), 1),
        (date(2024, 4, 1), 2),
        (date(2024, 6, 30), 2),
        (date(2024, 7, 1), 3),
        (date(2024, 9, 30), 3),
        (date(2024, 10, 1), 4),
        (date(2024, 12, 31), 4),
    ],
)
def test_quarter_of(d, expected):
    assert quarter_of(d) == expected


@pytest.mark.parametrize(
    ("q", "long", "short"),
    [
        (1, "第一季度", "一季度"),
        (2, "第二季度", "二季度"),
        (3, "第三季度", "三季度"),
        (4, "第四季度", "四季度"),
    ],
)
def test_quarter_words(q, long, short):
    assert quarter_cn(q) == long
    assert quarter_short(q) == short


@pytest.mark.parametrize("q", [0, 5, -1, "1", True, None])
def test_quarter_words_reject(q):
    with pytest.raises(ValueError):
        quarter_cn(q)
    with pytest.raises(ValueError):
        quarter_short(q)


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2024, 6, 18), "6\u00b718"),
        (date(2023, 1, 5), "1\u00b75"),
        (date(2023, 12, 12), "12\u00b712"),
    ],
)
def test_code_from_date(d, expected):
    assert code_from_date(d) == expected
    assert "." not in code_from_date(d)
