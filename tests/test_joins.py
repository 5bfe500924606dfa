"""Table tests for speechgen.compose.joins (INPUT.md "Conventions", domain.md §3.0)."""

import pytest

from speechgen.compose.joins import join, join_and, join_deng, split_names


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("县住建局、县交通运输局", ["县住建局", "县交通运输局"]),
        ("A，B,C；D;E", ["A", "B", "C", "D", "E"]),
        (" A 、 B 、", ["A", "B"]),
        ("A、、B", ["A", "B"]),
        ("\u3000A\u3000、B", ["A", "B"]),
        ("A", ["A"]),
        ("", []),
        ("、，", []),
        (None, []),
        (["A ", " B", ""], ["A", "B"]),
        (("A", "B"), ["A", "B"]),
        (["A、B"], ["A、B"]),  # list items are not split again
        ([215, "B", None], ["215", "B"]),
        ([], []),
    ],
)
def test_split_names(value, expected):
    assert split_names(value) == expected


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (["A", "B", "C"], "A、B、C"),
        (["A", "B"], "A、B"),
        (["A"], "A"),
        ([], ""),
        ("A，B", "A、B"),
    ],
)
def test_join(items, expected):
    assert join(items) == expected


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([], ""),
        (["A"], "A"),
        (["A", "B"], "A和B"),
        (["A", "B", "C"], "A、B和C"),
        (["A", "B", "C", "D"], "A、B、C和D"),
        (["县住建局", "县交通运输局"], "县住建局和县交通运输局"),
        ("县住建局、县公安局、县消防救援大队", "县住建局、县公安局和县消防救援大队"),
    ],
)
def test_join_and(items, expected):
    assert join_and(items) == expected


@pytest.mark.parametrize(
    ("items", "noun", "expected"),
    [
        (["危化", "燃气"], "重点行业领域", "危化、燃气等重点行业领域"),
        (["A"], "领域", "A等领域"),
        (["A", "B"], "", "A、B等"),
        (["A"], "", "A等"),
        ([], "领域", ""),
        ("小化工、不明物料堆放", "问题", "小化工、不明物料堆放等问题"),
    ],
)
def test_join_deng(items, noun, expected):
    assert join_deng(items, noun) == expected


def test_join_deng_default_noun():
    assert join_deng(["A", "B"]) == "A、B等"
