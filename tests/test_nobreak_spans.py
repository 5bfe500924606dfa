"""The writer's unbreakable spans are found by a quicker path with the same result.

``nobreak_spans`` skips a text without a digit and, without 〔, starts at the first
digit with a pattern that has no 发文字号 alternative. Held here to one pattern
with every alternative tried at every character (the definition in spec/FORMAT.md
v2: a phone number, a 发文字号, a date, a number with its unit).
"""

from __future__ import annotations

import re

from corpus import SAMPLES, SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st

from speechgen.writers.docx import _UNITS, nobreak_spans

REFERENCE = re.compile(
    r"(?<![\d.])(?:"
    r"(?:0\d{2,3}-)?\d{7,8}(?:-\d{1,4})?(?!\d)"
    r"|1[3-9]\d{9}(?!\d)"
    r"|\d{3,4}-\d{3,4}-\d{4}(?!\d)"
    r"|[\u4e00-\u9fff]{0,4}〔\d{4}〕第?\d+号"
    r"|\d{4}年\d{1,2}月\d{1,2}日|\d{4}年\d{1,2}月|\d{1,2}月\d{1,2}日|\d{4}年"
    rf"|\d+(?:\.\d+)?(?:{_UNITS})"
    r")"
)


def spans(found) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in found]


CASES = [
    "乙方：龙泉镇人民政府（97）",
    "乙方：龙泉镇人民政府",
    "联系电话：0571-12345678，手机13912345678，热线400-123-4567。",
    "根据青安办〔2024〕12号文件，县安委办〔2023〕第3号",
    "2024年3月18日召开会议，3月20日前报送，2024年度目标，2024年",
    "死亡人数下降12.5%，减少3起、2人，增加1.5个百分点，投入300万元",
    "12345678901234 与 v1.5 与 3.14159 与 ２０２４年",
    "",
    "〔",
    "办〔2024〕号与〔20〕12号",
]


def test_nobreak_spans_agree_with_the_reference_on_known_texts() -> None:
    for text in CASES:
        assert spans(nobreak_spans(text)) == spans(REFERENCE.finditer(text)), text


def test_nobreak_spans_agree_with_the_reference_on_every_seed_and_sample_line() -> None:
    files = sorted(SAMPLES.glob("*.yaml")) + (sorted(SEEDS.glob("*.txt")) if SEEDS else [])
    lines = [x for f in files for x in f.read_text(encoding="utf-8").splitlines()]
    assert len(lines) > 500
    with_spans = 0
    for text in lines:
        got = spans(nobreak_spans(text))
        assert got == spans(REFERENCE.finditer(text)), text
        with_spans += bool(got)
    assert with_spans > 50  # the corpus has dates, numbers with units, 发文字号


_PIECES = st.sampled_from(
    ["青", "安", "办", "〔", "〕", "第", "号", "年", "月", "日", "-", ".", "%", "个百分点", "万元",
     "起", "人", "0", "1", "3", "9", "2024", "0571", "12345678", "139", "，", "。", " ", "（", "）"]
)  # fmt: skip


@settings(max_examples=3000, deadline=None)
@given(st.lists(_PIECES, max_size=24).map("".join))
def test_nobreak_spans_agree_with_the_reference_on_any_text(text: str) -> None:
    assert spans(nobreak_spans(text)) == spans(REFERENCE.finditer(text))
