"""A sector line names the dictionary's lead and partner departments (data/sectors.yaml:
a county's or a city's bureaus) only at a level that has them. A township has no
应急管理局 or 交警大队 of its own and a company leads through its own departments, so
their speeches, notices and letters name a lead only as the input types it."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from speechgen.compose import compose_job
from speechgen.compose.library import load_library
from speechgen.compose.vocabulary import has_bureaus
from speechgen.inputs import load_job

# the dictionary's departments for the two sectors below
BUREAUS = ("应急管理局", "自然资源局", "公安局", "交警大队", "交通运输局")
ORGS = {
    "县": ("青山县", "县长"),
    "市": ("江北市", "市长"),
    "乡镇": ("白沙镇", "镇长"),
    "公司": ("青山化工有限公司", "总经理"),
}


def _text(tmp_path: Path, level: str, rest: str) -> str:
    """The one document of a job for an org of ``level`` (``rest``: the other keys)."""
    org = f"org: {{level: {level}, name: {ORGS[level][0]}}}\n"
    path = tmp_path / "job.yaml"
    path.write_text(org + textwrap.dedent(rest), encoding="utf-8")
    (rendered,) = compose_job(load_job(path), load_library(), 0)
    return rendered.document.plain_text()


def _speech(tmp_path: Path, level: str, sectors: str) -> str:
    return _text(
        tmp_path,
        level,
        f"""\
        type: speech
        speaker: {{role: {ORGS[level][1]}}}
        meeting: {{name: 2025年第三季度安全生产工作会议, kind: quarterly, date: 2025-07-08, quarter: 3}}
        stats:
          period: 2025年上半年
          current: {{accidents: 6, deaths: 3}}
          previous: {{accidents: 4, deaths: 1}}
        sectors: {sectors}
        """,
    )


def _notice(tmp_path: Path, level: str) -> str:
    return _text(
        tmp_path,
        level,
        f"""\
        type: notice
        issuer: {ORGS[level][0]}安全生产委员会办公室
        to: 各有关单位
        date: 2025-07-01
        quarter: 3
        points: auto
        sectors: [{{name: 非煤矿山}}, {{name: 道路交通}}]
        """,
    )


@pytest.mark.parametrize("level", ["乡镇", "公司"])
def test_a_township_or_company_speech_names_no_bureau_it_does_not_have(
    tmp_path: Path, level: str
) -> None:
    text = _speech(tmp_path, level, "[{name: 非煤矿山}, {name: 道路交通}]")
    assert not [b for b in BUREAUS if b in text], text
    # no sector line names a lead it was not given (由……牵头); 该牵头的要牵好头, said to
    # every member of the safety committee, names none
    assert not re.search(r"由[^，。；]{1,20}牵头", text), text
    # the sector's own hazards are still there
    assert "尾矿库" in text and "非煤矿山" in text


@pytest.mark.parametrize("level", ["乡镇", "公司"])
def test_a_township_or_company_notice_names_no_bureau_it_does_not_have(
    tmp_path: Path, level: str
) -> None:
    text = _notice(tmp_path, level)
    assert not [b for b in BUREAUS if b in text], text
    assert "尾矿库" in text


@pytest.mark.parametrize("level", ["县", "市"])
def test_a_county_or_city_keeps_the_dictionary_leads(tmp_path: Path, level: str) -> None:
    prefix = {"县": "县", "市": "市"}[level]
    speech = _speech(tmp_path, level, "[{name: 非煤矿山}, {name: 道路交通}]")
    assert f"由{prefix}应急管理局牵头" in speech
    assert f"{prefix}公安局交警大队" in speech
    assert f"{prefix}应急管理局" in _notice(tmp_path, level)


def test_a_lead_the_township_types_is_used(tmp_path: Path) -> None:
    text = _speech(
        tmp_path,
        "乡镇",
        "[{name: 道路交通, lead: 镇交管站, support: [白沙派出所], checks: [农村面包车]}]",
    )
    assert "由镇交管站牵头，白沙派出所配合，重点检查农村面包车" in text


def test_the_levels_with_bureaus() -> None:
    assert [
        lv for lv in ("县", "区", "市", "县级市", "新区", "乡镇", "公司") if has_bureaus(lv)
    ] == [
        "县",
        "区",
        "市",
        "县级市",
        "新区",
    ]
    with pytest.raises(ValueError):
        has_bureaus("省")


def test_a_typed_department_holding_the_org_name_is_not_prefixed_again(tmp_path: Path) -> None:
    text = _speech(
        tmp_path, "县", "[{name: 道路交通, lead: 青山县公安局交警大队, checks: [农村面包车]}]"
    )
    assert "由青山县公安局交警大队牵头" in text
    assert "县青山县" not in text
