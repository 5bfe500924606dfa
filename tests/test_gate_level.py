"""The render gate checks a document against the level its input declares.

Every composer puts the org's level into ``doc.meta`` (``level``); ``check_document``
takes it as given instead of guessing the level from the words of the text. A text
that drifted into another level's voice throughout is then caught, where a guess
would have taken the wrong level for the right one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from speechgen.check import check_document
from speechgen.compose import plan_job
from speechgen.compose.library import load_library
from speechgen.inputs import load_job
from speechgen.model import Paragraph

SAMPLES = Path(__file__).resolve().parent.parent / "speechgen" / "samples"


@pytest.mark.parametrize(
    ("sample", "level"),
    [
        ("01-县-季度-讲话稿.yaml", "县"),
        ("08-县-任务分工-通知.yaml", "县"),
        ("10-县-目标责任书-批量.yaml", "县"),
        ("11-乡镇-季度-讲话稿.yaml", "乡镇"),
        ("04-公司-安全生产月-讲话稿.yaml", "公司"),
    ],
)
def test_every_composer_hands_the_gate_its_inputs_level(sample: str, level: str) -> None:
    job = load_job(SAMPLES / sample)
    doc = plan_job(job, load_library(()), 0, None).compose(0)
    assert doc.meta["level"] == level == job.data["org"]["level"]


def test_a_county_speech_in_a_districts_voice_is_caught() -> None:
    job = load_job(SAMPLES / "01-县-季度-讲话稿.yaml")
    doc = plan_job(job, load_library(()), 0, None).compose(0)
    assert not [f for f in check_document(doc) if f.code == "E242"]
    # every paragraph now speaks as a district (a template copied from one): the words
    # alone would make it a district's speech
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            b.text = b.text.replace("我县", "我区").replace("全县", "全区")
    district_words = sum(
        b.text.count("我区") + b.text.count("全区") for b in doc.blocks if isinstance(b, Paragraph)
    )
    assert district_words >= 5
    found = [f for f in check_document(doc) if f.code == "E242"]
    assert found and all("县级文稿" in f.message for f in found)
    del doc.meta["level"]  # guessed from the words: the district's voice looks right
    assert not [f for f in check_document(doc) if f.code == "E242"]
