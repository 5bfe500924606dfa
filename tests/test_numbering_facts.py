"""The numbering analysis's per-text facts: the shortcuts for texts without a numeral,
without 是/要/第 and without an announcement's word.

``_facts`` skips the marker and announcement patterns when a text holds none of the
characters every one of them needs (a Chinese numeral, a digit, ①–⑳, 两, 几): a
recipient's name, a date in words. The inline markers are not scanned for in a text
without 是, 要 or 第, nor announcements in one without 点, 条, 项, 个 or 方面. These tests hold it to the full computation on
every line of the seed speeches, on the demo's documents and on texts made to sit
at the edges (a fullwidth digit, a circled number, 几点, 两个方面).
"""

from __future__ import annotations

from corpus import SAMPLES, SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st

from speechgen.check import numbering as N
from speechgen.compose import plan_job
from speechgen.compose.library import load_library
from speechgen.inputs import load_job


def _full(text: str) -> tuple:
    """The facts as computed without the shortcuts (every pattern scanned)."""
    m = N.initial_marker(text)
    after = N._inline_scan(text, m.end if m else 0)
    spoken = ((m,) if m is not None and m.family in N.SPOKEN else ()) + tuple(
        k for k in after if k.family in N.SPOKEN
    )
    announced, pending = N._announcements_scan(text)
    standalone = m is not None and N.is_standalone(text, m)
    return (m, standalone, after, spoken, announced, pending)


def _got(text: str) -> tuple:
    f = N._facts(text)
    return (f.marker, f.standalone, f.after, f.spoken, f.announced, f.pending)


EDGES = [
    "乙方：青石镇人民政府",
    "乙方：三河镇人民政府（盖章）",
    "１、抓好隐患排查",
    "① 严格落实责任",
    "下面，我讲几点意见。",
    "从两个方面讲：",
    "落实“三个责任”，",
    "第一，压实责任；第二，排查隐患。",
    "一是压实责任。二是排查隐患。",
    "（1）加强领导",
    "2024年12月1日",
    "二〇二四年十二月一日",
    "县长（签字）：",
    "",
    "附件",
    "乙方：青山水泥有限公司（417）",
    "讲三条意见",
    "抓好以下三项工作",
    "做好两方面工作：",
    "三个责任要落实",
]


def _texts() -> list[str]:
    out = list(EDGES)
    if SEEDS is not None:
        for path in sorted(SEEDS.glob("*.txt")):
            out += [line for line in path.read_text(encoding="utf-8").splitlines() if line]
    library = load_library(())
    for sample in sorted(SAMPLES.glob("*.yaml")):
        docs = plan_job(load_job(sample), library, 0, None)
        for i in range(min(len(docs), 3)):
            doc = docs.compose(i)
            out += [getattr(b, "full_text", "") for b in doc.blocks]
    return out


def test_the_shortcut_gives_the_full_facts_on_real_texts() -> None:
    texts = _texts()
    assert len(texts) > 500
    skipped = 0
    for text in texts:
        assert _got(text) == _full(text), text
        skipped += N._NUMBERISH.search(text) is None
    assert skipped >= 20  # the shortcut is taken, not only the full path
    quiet = sum(N._ANNOUNCE_NEEDS.search(t) is None for t in texts)
    plain = sum(not any(c in t for c in "是要第") for t in texts)
    assert quiet >= 100 and plain >= 100  # and so are the other two
    assert sum(bool(N._announcements_scan(t)[0] or N._announcements_scan(t)[1]) for t in texts)


@settings(max_examples=400, deadline=None)
@given(
    st.text(
        alphabet="一二三四五六七八九十两几0１②是要点个方面条项以下从讲谈第乙（）(),，、。：:“”责任 \u3000",
        max_size=24,
    )
)
def test_the_shortcut_gives_the_full_facts_on_made_up_texts(text: str) -> None:
    assert _got(text) == _full(text)
