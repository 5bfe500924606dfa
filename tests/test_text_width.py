"""The writer's text widths (``_ems``) are the character-by-character sum, to the bit.

Layout decisions compare these floats (a signing line that wraps, a title's break, the
keep chain), so a quicker way of adding them up must give the same float, not one
close to it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from speechgen.writers import docx


def reference(text: str) -> float:
    width = 0.0
    prev_ascii: bool | None = None
    for c in text:
        is_ascii = ord(c) < 0x2E80
        width += 0.55 if is_ascii else 1.0
        if prev_ascii is not None and is_ascii != prev_ascii:
            width += 0.2
        prev_ascii = is_ascii
    return width


@settings(max_examples=3000, deadline=None)
@given(
    st.lists(
        st.sampled_from(["乙", "方", "（", "）", "：", "9", "7", "a", " ", "-", "⺀", "⹿"])
    ).map("".join)
)
def test_measure_is_the_character_by_character_sum(text: str) -> None:
    assert docx._measure(text) == reference(text)
    assert docx._ems(text) == reference(text)


def test_measure_on_names_and_long_lines() -> None:
    for text in ["乙方：龙泉镇人民政府（97）（盖章）", "龙" * 300 + "1", "2024年3月", "", "abc"]:
        assert docx._measure(text) == reference(text)
