"""Table tests for speechgen.compose.numbers (domain.md §3.0: numerals, decimals, percent)."""

from decimal import Decimal

import pytest

from speechgen.compose.numbers import cn_count, cn_number, decimal, percent


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "零"),
        (1, "一"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (13, "十三"),
        (19, "十九"),
        (20, "二十"),
        (22, "二十二"),
        (99, "九十九"),
        (100, "一百"),
        (101, "一百零一"),
        (105, "一百零五"),
        (110, "一百一十"),
        (111, "一百一十一"),
        (120, "一百二十"),
        (999, "九百九十九"),
        (1000, "一千"),
        (1005, "一千零五"),
        (1010, "一千零一十"),
        (1050, "一千零五十"),
        (1100, "一千一百"),
        (1234, "一千二百三十四"),
        (2000, "二千"),
        (10000, "一万"),
        (10001, "一万零一"),
        (10010, "一万零一十"),
        (10100, "一万零一百"),
        (10500, "一万零五百"),
        (11000, "一万一千"),
        (12345, "一万二千三百四十五"),
        (20304, "二万零三百零四"),
        (60368, "六万零三百六十八"),
        (99999, "九万九千九百九十九"),
    ],
)
def test_cn_number(n, expected):
    assert cn_number(n) == expected


@pytest.mark.parametrize("n", [-1, 100000, 1000000])
def test_cn_number_out_of_range(n):
    with pytest.raises(ValueError):
        cn_number(n)


@pytest.mark.parametrize("n", [1.5, 3.0, "3", None, True])
def test_cn_number_needs_int(n):
    with pytest.raises(TypeError):
        cn_number(n)


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "零"),
        (1, "一"),
        (2, "两"),  # 两点意见, 两个方面
        (3, "三"),
        (10, "十"),
        (12, "十二"),
        (20, "二十"),
        (22, "二十二"),
        (200, "二百"),
        (2000, "二千"),
        (20000, "二万"),
    ],
)
def test_cn_count(n, expected):
    assert cn_count(n) == expected


@pytest.mark.parametrize(
    ("x", "places", "expected"),
    [
        (12.0, 1, "12"),
        (56.50, 1, "56.5"),
        (97.44, 1, "97.4"),
        (97.45, 1, "97.5"),
        (97.36, 1, "97.4"),
        (0.05, 1, "0.1"),  # half up, not banker's
        (0.25, 1, "0.3"),  # banker's would give 0.2
        (0.15, 1, "0.2"),  # the float is 0.1499…; read as typed
        (0.04, 1, "0"),
        (2.5, 0, "3"),  # banker's would give 2
        (97.36, 0, "97"),
        (2.675, 2, "2.68"),  # the float is 2.67499…; read as typed
        (1.005, 2, "1.01"),
        (97.4, 2, "97.4"),
        (3, 1, "3"),
        (0, 1, "0"),
        (10.0, 1, "10"),
        (100, 1, "100"),
        (120.5, 1, "120.5"),
        (1234567.0, 1, "1234567"),
        (-0.04, 1, "0"),
        (-1.25, 1, "-1.3"),
        (Decimal("39.75"), 1, "39.8"),
        (Decimal("16.00"), 1, "16"),
    ],
)
def test_decimal(x, places, expected):
    assert decimal(x, places) == expected


def test_decimal_default_places_is_one():
    assert decimal(44.444) == "44.4"


@pytest.mark.parametrize("x", [float("nan"), float("inf"), float("-inf")])
def test_decimal_rejects_non_finite(x):
    with pytest.raises(ValueError):
        decimal(x)


@pytest.mark.parametrize("x", ["12", None, True])
def test_decimal_rejects_non_numbers(x):
    with pytest.raises(TypeError):
        decimal(x)


def test_decimal_rejects_negative_places():
    with pytest.raises(ValueError):
        decimal(1.5, -1)


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        (20, "20%"),
        (16.0, "16%"),
        (44.444, "44.4%"),
        (97.36, "97.4%"),  # 6200/6368 → 97.36 → 97.4 (INPUT.md)
        (0.05, "0.1%"),
        (100, "100%"),
        (0, "0%"),
    ],
)
def test_percent(x, expected):
    assert percent(x) == expected


def test_percent_is_ascii():
    assert percent(70).endswith("%") and "％" not in percent(70)
