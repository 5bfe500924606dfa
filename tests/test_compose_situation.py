"""Speeches read the situation (issue #9): each input of a kind the samples do not
hold is composed and its text checked against its data, date, level and meeting."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from speechgen import calendar
from speechgen.compose import compose_job
from speechgen.compose.headings import missing_terms
from speechgen.compose.library import load_library
from speechgen.inputs import load_job
from speechgen.model import Heading, Paragraph

TOWNSHIP_WORSE = """\
type: speech
org: {level: 乡镇, name: 白沙镇, parent: 青山县}
speaker: {role: 副镇长, name: 王强, on_behalf_of: 镇党委、镇政府主要领导}
meeting: {name: 2025年第三季度全镇安全生产工作会议, kind: quarterly, date: 2025-07-08}
stats:
  period: 上半年
  current: {accidents: 5, deaths: 2, injured: 3, loss_wan: 40}
  previous: {accidents: 3, deaths: 1, injured: 4, loss_wan: 20}
accidents:
  - {date: 2025-06-02, place: 邻县石门镇, site: 一砖厂, kind: 坍塌, deaths: 2, scope: nearby}
sectors:
  - {name: 道路交通, checks: [农村面包车, 摩托车]}
"""

CITY_ANNUAL = """\
type: speech
org: {level: 市, name: 江北市, parent: 东江省}
speaker: {role: 市长, name: 陈光}
meeting:
  name: 2025年全市安全生产工作会议
  kind: annual
  date: 2025-02-25
  targets: [生产安全事故起数和死亡人数同比下降10%以上, 坚决遏制较大及以上生产安全事故]
  letters_signed: true
stats:
  period: 2024年
  current: {accidents: 88, deaths: 30, injured: 41}
  previous: {accidents: 95, deaths: 34, injured: 50}
history:
  - {year: 2021, accidents: 120, deaths: 45}
  - {year: 2022, accidents: 110, deaths: 40}
  - {year: 2023, accidents: 95, deaths: 34}
"""

HOLIDAY_DUTY = """\
type: speech
org: {level: 县, name: 青山县}
speaker: {role: 副县长, name: 刘洋}
meeting:
  name: 全县春节及全国两会期间安全生产工作会议
  kind: holiday
  date: 2025-01-20
  holiday: [春节, 全国两会]
duty: {from: 2025-01-28, to: 2025-02-04, phone: 0571-88886666, report_by: 2025-01-25, report_to: 县安委办}
stats:
  period: 2024年
  current: {accidents: 20, deaths: 6}
  previous: {accidents: 20, deaths: 5}
"""

COMBINED = """\
type: speech
org: {level: 区, name: 南山区}
speaker: {role: 区长}
meeting:
  name: 全区安全生产暨防汛和地质灾害防治工作会议
  kind: special
  date: 2024-05-08
  topics: [防汛, 地质灾害]
stats:
  hazards: {found: 1200, fixed: 1100}
inspection: {by: 省安委会, what: 安全生产综合督查, from: 2024-06-10, to: 2024-06-20}
"""

EMERGENCY_LOCAL = """\
type: speech
org: {level: 县级市, name: 临河市}
speaker: {role: 市长}
meeting:
  name: 全市安全生产紧急会议
  kind: emergency
  date: 2024-11-12
  cause: {date: 2024-11-09, place: 临河市城关街道, site: 一化工企业, kind: 爆炸, deaths: 3, injured: 6, scope: local}
"""

COMPANY = """\
type: speech
org: {level: 公司, name: 青山化工有限公司}
speaker: {role: 总经理}
meeting: {name: 公司2024年第四季度安全生产工作会议, kind: quarterly, date: 2024-10-09}
stats:
  current: {accidents: 1, deaths: 0, injured: 2}
  previous: {accidents: 0, deaths: 0, injured: 0}
"""

CASES = {
    "township": TOWNSHIP_WORSE,
    "city": CITY_ANNUAL,
    "holiday": HOLIDAY_DUTY,
    "combined": COMBINED,
    "emergency": EMERGENCY_LOCAL,
    "company": COMPANY,
}


def compose(tmp_path: Path, name: str):
    path = tmp_path / f"{name}.yaml"
    path.write_text(CASES[name], encoding="utf-8")
    job = load_job(path)
    (res,) = list(compose_job(job, load_library(), 0))
    return job, res.document


def body(doc) -> str:
    return "\n".join(b.full_text for b in doc.blocks if isinstance(b, (Paragraph, Heading)))


def parts(doc) -> list[tuple[str, str]]:
    """(heading, the text under it up to the next heading of the same or a higher level)."""
    out = []
    blocks = doc.blocks
    for i, b in enumerate(blocks):
        if not isinstance(b, Heading):
            continue
        text = []
        for nxt in blocks[i + 1 :]:
            if isinstance(nxt, Heading) and nxt.level <= b.level:
                break
            if isinstance(nxt, (Paragraph, Heading)):
                text.append(nxt.full_text)
        out.append((b.text, "".join(text)))
    return out


@pytest.mark.parametrize("name", list(CASES))
def test_every_heading_heads_what_stands_under_it(tmp_path: Path, name: str) -> None:
    _, doc = compose(tmp_path, name)
    for heading, text in parts(doc):
        assert not missing_terms(heading, text), (heading, missing_terms(heading, text))


@pytest.mark.parametrize("name", list(CASES))
def test_no_season_behind_the_date_is_announced(tmp_path: Path, name: str) -> None:
    job, doc = compose(tmp_path, name)
    m = job.data["meeting"]
    until = calendar.horizon(m["date"], m["kind"], m.get("quarter"))
    grace = calendar.HOLIDAY_GRACE if m["kind"] == "quarterly" else dt.timedelta(0)
    ahead = calendar.outlook(m["date"], until, grace).ahead | set(m.get("holiday") or [])
    text = body(doc).replace(m["name"], "")
    for window, words in calendar.WORDS.items():
        if window in ahead:
            continue
        for w in words:
            assert w not in text, (window, w)


def test_township_with_worse_figures(tmp_path: Path) -> None:
    _, doc = compose(tmp_path, "township")
    text = body(doc)
    assert "受镇党委、镇政府主要领导委托" in text
    assert "不降反升" in text
    for word in ("感谢", "慰问", "成绩来之不易", "平稳向好", "持续向好"):
        assert word not in text, word
    assert "各乡镇" not in text and "镇各村" not in text and "镇镇" not in text
    headings = [b.text for b in doc.blocks if isinstance(b, Heading)]
    assert not any("执法" in h for h in headings)  # a township has no 执法权 of its own
    # a neighbouring town's accident is 身边的事故, never our own
    assert "就发生在我们身边" in text and "从我镇情况看" not in text


def test_prefecture_city_annual_meeting(tmp_path: Path) -> None:
    _, doc = compose(tmp_path, "city")
    text = body(doc)
    assert "各县（市、区）" in text and "各镇（街道）" not in text
    assert "生产安全事故起数和死亡人数同比下降10%以上" in text
    assert "坚决遏制较大及以上生产安全事故" in text
    assert "签订了2025年度安全生产目标责任书" in text
    assert "事故起数较2021年下降26.7%、连续三年下降" in text
    assert "死亡人数较2021年下降33.3%、连续三年下降" in text


def test_holiday_meeting_carries_the_duty_arrangements(tmp_path: Path) -> None:
    _, doc = compose(tmp_path, "holiday")
    text = body(doc)
    assert "春节和全国两会期间" in text
    for fact in ("1月28日至2月4日", "0571-88886666", "1月25日前", "县安委办"):
        assert fact in text, fact
    assert "死亡人数不降反升" in text
    assert "感谢" not in text


def test_combined_meeting_gives_each_topic_its_part(tmp_path: Path) -> None:
    _, doc = compose(tmp_path, "combined")
    text = body(doc)
    assert "统筹部署安全生产和防汛、地质灾害防治工作" in text
    by_heading = dict(parts(doc))
    flood = [t for h, t in by_heading.items() if "防汛" in h]
    geo = [t for h, t in by_heading.items() if "地质灾害" in h]
    assert flood and "值班" in flood[0] and "雨情" in flood[0]
    assert geo and "隐患点" in geo[0] and "避险转移" in geo[0]
    assert "省安委会将于6月10日至6月20日对我区开展安全生产综合督查" in text
    assert "整改率91.7%" in text  # hazards alone are stated, with the rate


def test_emergency_on_a_local_accident_names_its_grade_once(tmp_path: Path) -> None:
    _, doc = compose(tmp_path, "emergency")
    text = body(doc)
    assert "发生一起较大生产安全事故" in text
    assert text.count("11月9日") == 1
    for word in ("平稳", "感谢", "慰问"):
        assert word not in text, word
    assert "各县（市、区）" not in text  # a county-level city has 各镇（街道）


def test_company_voice(tmp_path: Path) -> None:
    _, doc = compose(tmp_path, "company")
    text = body(doc)
    for word in ("经济社会发展大局", "属地管理", "防汛和地质灾害防治任务艰巨", "同志们"):
        assert word not in text, word
    assert "各位同事：" in text and "谢谢大家！" in text


def test_render_trace_lists_every_value_stated(tmp_path: Path) -> None:
    src = tmp_path / "speech.yaml"
    src.write_text(textwrap.dedent(TOWNSHIP_WORSE), encoding="utf-8")
    out = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, "-m", "speechgen", "render", str(src), "-o", str(out), "--trace"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    (trace,) = out.glob("*.trace.txt")
    text = trace.read_text(encoding="utf-8")
    assert "stats.current.accidents = 5（7:" in text  # the value and where it was typed
    assert "accidents[1] = date: 2025-06-02" in text
    assert "speaker.on_behalf_of = 镇党委、镇政府主要领导" in text
    assert "短语：" in text and "【标题】一、" in text


@pytest.mark.parametrize(
    ("stats", "expected"),
    [
        ("stats: {hazards: {found: 200, fixed: 150}}", "整改率75%"),
        ("stats: {current: {accidents: 4, deaths: 1}}", "共发生各类生产安全事故4起，死亡1人"),
        (
            "history: [{year: 2022, accidents: 9}, {year: 2023, accidents: 7}]",
            "2022年发生事故9起；2023年发生事故7起",
        ),
    ],
)
def test_from_stats_takes_any_shape_of_figures(tmp_path: Path, stats: str, expected: str) -> None:
    path = tmp_path / "outline.yaml"
    path.write_text(
        textwrap.dedent(
            f"""\
            type: outline
            org: {{level: 县, name: 青山县}}
            speaker: {{role: 县长}}
            meeting: {{name: 全县安全生产专题会议, kind: special, date: 2024-08-20}}
            {stats}
            points:
              - heading: 认清形势
                items: [{{from: stats}}]
            """
        ),
        encoding="utf-8",
    )
    (res,) = list(compose_job(load_job(path), load_library(), 0))
    assert expected in body(res.document)
