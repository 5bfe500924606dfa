"""The sector dictionary's check items bound to a season (非煤矿山: 复工复产验收) are spoken
only while that season is under way or ahead: a speech of 1 April does not send the
inspectors to 复工复产验收, which ended on 31 March (found by the property test of
valid jobs: its own check gate refused the speech with E241)."""

from __future__ import annotations

from pathlib import Path

import pytest

from speechgen.check import check_document
from speechgen.compose import plan_job
from speechgen.compose.library import load_library
from speechgen.compose.reference import sector_book
from speechgen.errors import ERROR
from speechgen.inputs import load_job

SPEECH = """\
type: speech
org: {{level: 县, name: 青山县}}
speaker: {{role: 县长}}
meeting: {{name: 安全生产工作会议, kind: emergency, date: {date}}}
sectors: [{{name: 非煤矿山}}]
"""

NOTICE = """\
type: notice
org: {{level: 县, name: 青山县, parent: 江北市}}
issuer: 青山县安全生产委员会办公室
doc_number: 青安办〔2016〕8号
title: 关于做好近期安全生产工作的通知
to: 各乡镇人民政府，县安委会各成员单位
date: {date}
sectors: [{{name: 非煤矿山}}]
"""


def _text(tmp_path: Path, source: str) -> tuple[str, list]:
    path = tmp_path / "job.yaml"
    path.write_text(source, encoding="utf-8")
    docs = plan_job(load_job(path), load_library(()), 0, None)
    doc = docs.compose(0)
    text = "\n".join(b.full_text for b in doc.blocks if hasattr(b, "full_text"))
    return text, [f for f in check_document(doc) if f.severity == ERROR]


def test_the_dictionary_names_a_seasonal_check_item() -> None:
    known = sector_book().find("非煤矿山")
    assert known is not None and "复工复产验收" in known.checks


@pytest.mark.parametrize("source", [SPEECH, NOTICE], ids=["speech", "notice"])
def test_after_its_window_the_seasonal_item_is_left_out(tmp_path: Path, source: str) -> None:
    text, errors = _text(tmp_path, source.format(date="2016-04-01"))
    assert errors == []
    assert "复工复产" not in text
    assert "尾矿库" in text  # the other items of the sector stay


@pytest.mark.parametrize("source", [SPEECH, NOTICE], ids=["speech", "notice"])
def test_within_its_window_the_seasonal_item_is_spoken(tmp_path: Path, source: str) -> None:
    text, errors = _text(tmp_path, source.format(date="2016-02-22"))
    assert errors == []
    assert "复工复产验收" in text
