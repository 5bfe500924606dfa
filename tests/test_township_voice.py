"""A township's speech says only what a township is and does: no county bureau leads its
sector lines, no 行政许可 (a power it lacks), no 安委会 of its villages, no 各级政府 below
it, no department heads dismissed (就地免职: it appoints none); and a worse half-year is called 不容乐观 once, not twice in a row."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from speechgen.compose import compose_job
from speechgen.compose.library import load_library
from speechgen.inputs import load_job

JOB = """\
type: speech
org: {level: 乡镇, name: 白沙镇, parent: 青山县}
speaker: {role: 镇长}
meeting: {name: 2025年第三季度安全生产工作会议, kind: quarterly, date: 2025-07-08, quarter: 3}
stats:
  period: 2025年上半年
  current:  {accidents: 6, deaths: 3}
  previous: {accidents: 4, deaths: 1}
sectors: [{name: 非煤矿山}, {name: 道路交通}, {name: 消防}, {name: 危险化学品}]
"""

# what only a county (or a city) has or does
NOT_A_TOWNSHIPS = (
    "应急管理局",
    "交警大队",
    "自然资源局",
    "行政许可",
    "安委会主任",
    "各级政府要",
    "就地免职",  # it appoints no department's leaders
)


@pytest.mark.parametrize("seed", range(6))
def test_a_township_speech_in_its_own_voice(tmp_path: Path, seed: int) -> None:
    path = tmp_path / "job.yaml"
    path.write_text(textwrap.dedent(JOB), encoding="utf-8")
    (rendered,) = compose_job(load_job(path), load_library(), seed)
    text = rendered.document.plain_text()
    assert [w for w in NOT_A_TOWNSHIPS if w in text] == []
    assert text.count("不容乐观") <= 1
    assert "全镇共发生各类生产安全事故6起，死亡3人" in text


def test_a_xiang_is_never_called_a_zhen(tmp_path: Path) -> None:
    # 柳林乡: every word the engine chooses for itself says 乡 (全乡, 乡党委、乡政府, 乡直各单位)
    job = JOB.replace("白沙镇", "柳林乡").replace("镇长", "乡长")
    path = tmp_path / "job.yaml"
    path.write_text(job, encoding="utf-8")
    for seed in range(4):
        (rendered,) = compose_job(load_job(path), load_library(), seed)
        text = rendered.document.plain_text()
        assert "全乡共发生各类生产安全事故6起，死亡3人" in text
        assert [w for w in ("我镇", "全镇", "镇党委", "镇政府", "镇直", "镇安") if w in text] == []


@pytest.mark.parametrize("seed", range(6))
def test_a_township_notice_grants_no_licence(tmp_path: Path, seed: int) -> None:
    """A township's fourth-quarter notice (烟花爆竹 and 燃气 in season) asks for checks,
    not for the 经营许可 and 依法查处 of a county's bureaus."""
    path = tmp_path / "notice.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            type: notice
            org: {level: 乡镇, name: 石门乡, parent: 青山县}
            issuer: 石门乡安全生产委员会办公室
            to: 各村（社区），乡直各单位
            date: 2025-09-26
            quarter: 4
            points: auto
            sectors: [{name: 燃气, checks: [液化气钢瓶]}, {name: 烟花爆竹}]
            """
        ),
        encoding="utf-8",
    )
    (rendered,) = compose_job(load_job(path), load_library(), seed)
    text = rendered.document.plain_text()
    assert "经营许可" not in text and "依法查处" not in text, text
    assert "燃气" in text and "烟花爆竹" in text
