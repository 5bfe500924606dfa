"""A township's speech says only what a township is and does: no county bureau leads its
sector lines, no 行政许可 (a power it lacks), no 安委会 of its villages, no 各级政府 below
it, no department heads dismissed (就地免职: it appoints none); and a worse half-year is called 不容乐观 once, not twice in a row."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from speechgen.compose import compose_job
from speechgen.compose.library import load_library
from speechgen.compose.reference import sector_book
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


# What a township neither has nor does: a county's bureaus' powers (源头管理, 取缔, 查处转包,
# 复产验收, 报批), a city's buildings (高层建筑, 玻璃幕墙, 老旧小区) and a county's
# systems (行业监管, 权力清单, 科技兴安, 视频监控 of every enterprise, 重大危险源 graded).
COUNTY_ONLY = (
    "源头管理",
    "危险品运输车辆",  # the dictionary's county check items (a township has its own)
    "城镇燃气管网",
    "深基坑",
    "动态监控",
    "城市建设",
    "强化对高层建筑",
    "深化人员密集场所、高层建筑",
    "玻璃幕墙",
    "老旧小区",
    "取缔",
    "查处违法转包",
    "三同时",
    "行业监管",
    "行业领域主管部门",
    "各领域牵头部门",
    "权力清单",
    "行业指导职责",
    "强制手段",
    "执行复产验收制度",
    "复工复产验收工作",
    "报批程序",
    "分行业建立应急救援队伍",
    "科技兴安",
    "纳入视频监控",
    "逐步建立监控系统",
    "多元化投入体系",
    "安全生产责任保险",
    "行业禁入",
    "各部门务必按照“三个必须”",
    "各级各部门",  # a township speaks to 各村（社区）、镇直各单位 (the units slot)
    "明确各部门职能职责",
    "挂牌督办",  # major hazards are put under supervision by the county, accidents
    "认真调查处理",  # investigated by it (生产安全事故报告和调查处理条例)
)
EVERY_SECTOR = list(sector_book().sectors)  # the dictionary's, in its order


def _township_job(tmp_path: Path, kind: str, date: str, sectors: list[str]) -> Path:
    body = {
        "speech": (
            "type: speech\n"
            "org: {level: 乡镇, name: 白沙镇, parent: 青山县}\n"
            "speaker: {role: 镇长}\n"
            f"meeting: {{name: 全镇安全生产工作会议, kind: quarterly, date: {date}}}\n"
            "stats:\n  period: 今年以来\n"
            "  current: {accidents: 3, deaths: 1}\n  previous: {accidents: 2, deaths: 1}\n"
        ),
        "notice": (
            "type: notice\n"
            "org: {level: 乡镇, name: 白沙镇, parent: 青山县}\n"
            "issuer: 白沙镇安全生产委员会办公室\n"
            "to: 各村（社区），镇直各单位\n"
            f"date: {date}\n"
            "points: auto\n"
        ),
    }[kind]
    path = tmp_path / f"{kind}-{date}.yaml"
    listed = ", ".join(f"{{name: {s}}}" for s in sectors)
    path.write_text(body + f"sectors: [{listed}]\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", ["speech", "notice"])
@pytest.mark.parametrize("date", ["2025-01-10", "2025-04-10", "2025-07-10", "2025-10-10"])
def test_a_township_asks_only_what_a_township_does(tmp_path: Path, kind: str, date: str) -> None:
    """Every sector of the dictionary, four seasons, six seeds: no line of a township's
    speech or notice speaks of a county's powers, buildings or systems (each word of
    COUNTY_ONLY came out of the library for 白沙镇 before its lines were kept to 县 and up),
    and the township's own lines for 道路交通, 建筑施工, 消防 and 燃气 are said (by some seed)."""
    library = load_library()
    path = _township_job(tmp_path, kind, date, EVERY_SECTOR)
    for seed in range(6):
        (rendered,) = compose_job(load_job(path), library, seed)
        text = rendered.document.plain_text()
        found = [w for w in COUNTY_ONLY if w in text]
        assert found == [], (kind, date, seed, found)
    # the sectors where every county line is now held back still say something of their own
    path = _township_job(tmp_path, kind, date, ["道路交通", "建筑施工", "消防", "燃气"])
    said = ""
    for seed in range(6):
        (rendered,) = compose_job(load_job(path), library, seed)
        said += rendered.document.plain_text()
    for own in ("劝导", "农村自建房", "集镇沿街门店", "农村瓶装液化气用户"):
        assert own in said, (kind, date, own)


def test_a_county_still_speaks_as_a_county(tmp_path: Path) -> None:
    """The same job at 县 level keeps the county's lines (源头管理, 高层建筑) and none of
    the township's (劝导站, 农村自建房 as a line of its own)."""
    library = load_library()
    path = _township_job(tmp_path, "speech", "2025-07-10", ["道路交通", "建筑施工", "消防"])
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "{level: 乡镇, name: 白沙镇, parent: 青山县}",
            "{level: 县, name: 青山县, parent: 江北市}",
        )
        .replace("镇长", "县长")
        .replace("全镇", "全县"),
        encoding="utf-8",
    )
    said = ""
    for seed in range(6):
        (rendered,) = compose_job(load_job(path), library, seed)
        said += rendered.document.plain_text()
    assert "交通安全劝导站" not in said and "集镇沿街门店" not in said
    assert any(w in said for w in ("源头管理", "动态监控", "高层建筑", "城市建设"))
