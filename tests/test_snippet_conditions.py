"""Snippets say when they may be used (issue 9, item 2; docs/snippets.md, "Conditions").

1. A claim-word guard over the bundled library: a snippet whose text claims
   something about the situation (a trend, a season, a local circumstance, a
   fact of the input, a level) declares the condition that makes it true. It
   fails as soon as anyone adds an unconditioned claim.
2. The calendar guard: wherever a snippet's season and holiday conditions
   hold, every window its text names lies ahead of (or around) the date.
3. For each condition kind, a situation where a named snippet is chosen and
   one where it is not.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from speechgen import calendar
from speechgen.compose.library import BUNDLED_DIR, Snippet, load_dirs, load_library
from speechgen.compose.situation import situation_of

# Rewritten on another branch (notices and letters); guarded once they are merged.
# A letter covers a whole term: its lines are chosen by recipient type, never by a
# situation (no date, no figures), so zerenshu.yaml is not held to these conditions.
PENDING = {"zerenshu.yaml"}

LIBRARY = load_library()
SNIPPETS = [s for s in LIBRARY if Path(s.origin).name not in PENDING]

NOT_TOWNSHIP = {"县", "区", "市", "县级市", "新区"}
# "确保……平稳向好" is a goal, not a claim
GOAL = re.compile(r"(确保|促进|推动|力争|努力)[^。，；]*$")


def _trend_within(*allowed: str) -> Callable[[Snippet], bool]:
    return lambda s: bool(s.when.trend) and set(s.when.trend) <= set(allowed)


def _needs(fact: str) -> Callable[[Snippet], bool]:
    return lambda s: fact in s.when.needs


def _not_serious_and(check: Callable[[Snippet], bool]) -> Callable[[Snippet], bool]:
    return lambda s: check(s) and s.when.serious is False


def _levels_within(allowed: set[str]) -> Callable[[Snippet], bool]:
    return lambda s: s.level == "company" or (bool(s.when.levels) and set(s.when.levels) <= allowed)


# claim (regex over the text) -> what the snippet must declare, and how that reads
CLAIMS: list[tuple[str, Callable[[Snippet], bool], str]] = [
    (
        r"感谢|慰问|来之不易",
        _not_serious_and(_trend_within("better")),
        "trend ⊆ [better], serious: false",
    ),
    (
        r"成绩",
        _not_serious_and(_trend_within("better", "flat")),
        "trend ⊆ [better, flat], serious: false",
    ),
    (
        r"总体平稳|持续向好|平稳向好|总体稳定|保持稳定|进一步好转|取得新进展|控制在目标",
        _not_serious_and(_trend_within("better", "flat")),
        "trend ⊆ [better, flat], serious: false",
    ),
    (r"稳中向好", _trend_within("better", "flat", "mixed"), "trend ⊆ [better, flat, mixed]"),
    (r"不降反升|有升有降", _trend_within("worse", "mixed"), "trend ⊆ [worse, mixed]"),
    (r"(没有|未)发生(重特大|较大|重大)", lambda s: s.when.serious is False, "serious: false"),
    (
        r"(没有|未)发生重特大",  # no accident typed is not none happened: the totals must say so
        lambda s: "stats.below_major" in s.when.needs,
        "needs stats.below_major",
    ),
    (
        r"旅游旺季|游客",
        lambda s: s.sector == "旅游" or "context:旅游" in s.when.needs,
        "context:旅游",
    ),
    (r"重大(工程)?项目", _needs("context:项目"), "needs context:项目"),
    (r"节会", _needs("context:活动"), "needs context:活动"),
    (r"台风", _needs("context:台风"), "needs context:台风"),
    (
        r"尾矿库",
        lambda s: "sector:尾矿库" in s.when.needs,
        "needs sector:尾矿库 (typed as a sector or a check item: 非煤矿山 alone is not enough)",
    ),
    (r"一票否决|目标考核|控制指标", _needs("targets"), "needs targets"),
    (r"经.{1,3}政府同意", _needs("approved_by"), "needs approved_by"),
    (r"值班电话", _needs("duty"), "needs duty"),
    (r"迎检|迎接检查|巡查组", _needs("inspection"), "needs inspection"),
    (
        r"(?<!没有)(?<!配合)(监管执法|执法监管|执法力量|执法监察|专项执法|执法机构|行政执法|新闻发布|双随机)",
        _levels_within(NOT_TOWNSHIP),
        "levels without 乡镇 (a township has no 执法 and no 新闻发布)",
    ),
    (
        r"挂牌督办|认真调查处理",
        lambda s: s.level == "company" or (bool(s.when.levels) and "乡镇" not in s.when.levels),
        "levels without 乡镇 (the county puts major hazards under supervision and investigates)",
    ),
    (
        r"行政许可|各级政府|安委会主任",
        _levels_within(NOT_TOWNSHIP),
        "levels without 乡镇 (no 行政许可 power, no government below it, no 安委会 in its villages)",
    ),
    (
        r"将派出|将组织|将适时|将成立",  # the org's own decision announced
        lambda s: set(s.registers) <= {"notice"} or "tasks" in s.when.needs,
        "notice register only (the issuer's own arrangement) or needs tasks",
    ),
    (r"各县（市、区）", _levels_within({"市"}), "levels: [市] (or the sub_units slot)"),
    (r"各乡镇", _levels_within({"县"}), "levels: [县] (or the sub_units slot)"),
    (
        r"各镇（街道）|各镇街",
        _levels_within({"区", "县级市"}),
        "levels: [区, 县级市] (or the slot)",
    ),
    (r"各村（社区）", _levels_within({"乡镇"}), "levels: [乡镇] (or the sub_units slot)"),
    (
        r"经济社会发展(和稳定)?大局|属地管理|防汛和地质灾害防治任务艰巨|党委政府|党委、政府",
        lambda s: s.level == "gov",
        "level: gov (county words)",
    ),
]

# words naming a calendar window -> the window (calendar.SEASONS / HOLIDAYS)
WINDOW_WORDS: list[tuple[str, str]] = [
    (r"主汛期|七下八上", "主汛期"),
    (r"汛前", "汛前"),  # 汛前检查, 入汛前: the month before 汛期 (calendar)
    (r"汛期|度汛", "汛期"),
    (r"高温", "高温"),
    (r"暑期|暑假|学生放假", "暑期"),
    (r"森林防火期", "森林防火期"),
    (r"春季防火|春季风干物燥", "春季森林防火"),
    (r"秋冬季节|秋冬森林防火", "秋冬森林防火"),
    (r"春运|返城返岗", "春运"),
    (r"复工复产|复产复工|节后复工|节后复产", "复工复产"),
    (r"岁末年初|年末岁尾", "岁末年初"),
    (r"年底", "年底"),  # December: 年底翘尾 is not said after New Year
    (r"烟花爆竹[^。]{0,10}集中", "烟花爆竹"),
    (r"(?<!秋)冬季|入冬|冬防|取暖", "冬季取暖"),
    (r"雨雪冰冻|低温雨雪|暴雪|强降温", "低温雨雪冰冻"),
    (r"安全生产月|安全月", "安全生产月"),
    (r"秋季开学", "秋季开学"),
    (r"元旦", "元旦"),
    (r"春节(?!过后)|新春", "春节"),  # 春节过后 looks back, not ahead
    (r"两会", "全国两会"),
    (r"清明", "清明"),
    (r"五一|劳动节", "五一"),
    (r"端午", "端午"),
    (r"中秋", "中秋"),
    (r"国庆|双节", "国庆"),
]
assert {w for _, w in WINDOW_WORDS} <= set(calendar.SEASONS) | set(calendar.HOLIDAYS)


def _near(s: Snippet) -> bool:
    # a holiday typed for the meeting ({{ holiday }}) is the one it is held for
    return (
        bool(s.when.soon or s.when.now)
        or "holiday" in s.slots
        or any(n.startswith("context:") for n in s.when.needs)
    )


# time words: how near the window must be (calendar.SOON; under way for 当前正值)
TIME_CLAIMS: list[tuple[str, Callable[[Snippet], bool], str]] = [
    (r"临近|即将来临|即将到来|将至|到来", _near, "soon: [...] (or now)"),
    (r"当前正值|正值|当前[^。，]{0,20}天气", lambda s: bool(s.when.now), "now: [...]"),
]


def _claims(text: str, pattern: str) -> bool:
    return any(not GOAL.search(text[: m.start()][-20:]) for m in re.finditer(pattern, text))


def _windows_named(s: Snippet) -> set[str]:
    return {w for pat, w in WINDOW_WORDS for t in (*s.texts, s.title) if re.search(pat, t)}


# ------------------------------------------------------------------ 1. the library loads


def test_every_when_in_the_library_parses() -> None:
    snippets, findings = load_dirs([BUNDLED_DIR])
    assert findings == []
    assert any(s.when for s in snippets)
    assert len(load_library()) == len({s.id for s in snippets})


# ------------------------------------------------------------------ 2. the claim-word guard


@pytest.mark.parametrize(
    ("pattern", "check", "wanted"), CLAIMS + TIME_CLAIMS, ids=[c[0] for c in CLAIMS + TIME_CLAIMS]
)
def test_claim_words_declare_their_condition(pattern: str, check, wanted: str) -> None:
    offenders = [
        s.id for s in SNIPPETS if any(_claims(t, pattern) for t in s.texts) and not check(s)
    ]
    assert offenders == [], f"{pattern} → {wanted}: {offenders}"


def test_window_words_declare_a_season_or_holiday() -> None:
    offenders = [
        (s.id, sorted(_windows_named(s)))
        for s in SNIPPETS
        if _windows_named(s) and not (s.when.season or s.when.holidays)
    ]
    assert offenders == []


def test_quarters_are_not_a_stand_in_for_a_season() -> None:
    # A quarter may stay only where the text says the quarter (一季度, 二季度以来).
    offenders = [
        s.id
        for s in SNIPPETS
        if s.quarters
        and _windows_named(s)
        and not any(re.search(r"[一二三四]季度|第[一二三四]季度|今年第一次", t) for t in s.texts)
    ]
    assert offenders == []


def _dates(first: dt.date, last: dt.date):
    d = first
    while d <= last:
        yield d
        d += calendar.DAY


def test_named_windows_lie_ahead_wherever_the_snippet_may_be_chosen() -> None:
    seasonal = [s for s in SNIPPETS if s.when.season or s.when.holidays]
    calendar_only = {
        s.id: dataclasses.replace(s.when, trend=(), serious=None, levels=(), needs=())
        for s in seasonal
    }
    named = {s.id: _windows_named(s) for s in seasonal}
    wrong: dict[str, str] = {}
    for day in _dates(dt.date(2023, 10, 1), dt.date(2026, 9, 30)):
        quarter = (day.month - 1) // 3 + 1
        for kind, q in (("quarterly", quarter), ("special", None), ("emergency", None)):
            sit = situation_of({"org": {"level": "县"}}, kind=kind, date=day, quarter=q)
            for s in seasonal:
                if s.id in wrong or (q and s.quarters and q not in s.quarters):
                    continue
                if not calendar_only[s.id].allows(sit):
                    continue
                behind = [w for w in named[s.id] if not sit.ahead(w)]
                if behind:
                    wrong[s.id] = f"{day} {kind}: {behind} not ahead"
    assert wrong == {}


# ------------------------------------------------------------------ 3. chosen and not chosen


def _sit(
    date: str = "2024-04-10",
    *,
    level: str = "县",
    kind: str = "quarterly",
    current: dict | None = None,
    previous: dict | None = None,
    **extra,
):
    day = dt.date.fromisoformat(date)
    data: dict = {"org": {"level": level}, **extra}
    if current is not None:
        data["stats"] = {"current": current, **({"previous": previous} if previous else {})}
    meeting = data.pop("meeting", {})
    quarter = (day.month - 1) // 3 + 1 if kind == "quarterly" else None
    return situation_of(data, kind=kind, date=day, quarter=quarter, meeting=meeting)


FALLING = {"current": {"accidents": 3, "deaths": 1}, "previous": {"accidents": 5, "deaths": 2}}
RISING = {"current": {"accidents": 6, "deaths": 2}, "previous": {"accidents": 4, "deaths": 2}}
MIXED = {
    "current": {"accidents": 3, "deaths": 1, "injured": 6},
    "previous": {"accidents": 4, "deaths": 1, "injured": 2},
}
FLAT = {"current": {"accidents": 3, "deaths": 1}, "previous": {"accidents": 3, "deaths": 1}}
WHOLE = {  # every figure typed, all below the 重大 line
    "current": {"accidents": 3, "deaths": 1, "injured": 2, "loss_wan": 40},
    "previous": {"accidents": 5, "deaths": 2, "injured": 3, "loss_wan": 60},
}
WHOLE_MAJOR = {
    "current": {"accidents": 30, "deaths": 12, "injured": 2, "loss_wan": 40},
    "previous": {"accidents": 35, "deaths": 15, "injured": 3, "loss_wan": 60},
}
LOCAL_LARGER = {
    "accidents": [
        {"date": "2024-03-02", "place": "本县", "kind": "火灾", "deaths": 3, "scope": "local"}
    ]
}


def _chosen(sid: str, sit, **conditions) -> bool:
    s = LIBRARY.get(sid)
    assert s is not None, sid
    voice = "company" if sit.level == "公司" else "gov"
    return s in LIBRARY.select(s.role, situation=sit, level=voice, **conditions)


CASES = [
    # (condition, snippet, situation where it is chosen, situation where it is not)
    ("trend: thanks", "xingshi.ganxie_xinxue", _sit(**FALLING), _sit(**RISING)),
    ("trend: thanks, flat", "xingshi.deyi_weiwen", _sit(**FALLING), _sit(**FLAT)),
    ("trend: praise", "xingshi.zongti_pingwen", _sit(**FLAT), _sit(**MIXED)),
    ("trend: 成绩 turn", "xingshi.qingxing_yishi", _sit(**FALLING), _sit()),
    ("trend: worse", "xingshi.buxiang_fansheng", _sit(**RISING), _sit(**FALLING)),
    ("trend: mixed", "xingshi.jichu_buwen", _sit(**MIXED), _sit(**RISING)),
    ("trend: no figures", "xingshi.yongyuan_zailushang", _sit(), _sit(**FALLING)),
    ("serious", "xingshi.wu_zhongteda", _sit(**WHOLE), _sit(**WHOLE, **LOCAL_LARGER)),
    # 没有发生重特大 needs totals that rule one out: not from deaths alone, not over the line
    ("below major: a figure missing", "xingshi.wu_zhongteda", _sit(**WHOLE), _sit(**FALLING)),
    ("below major: 12 deaths", "xingshi.wu_zhongteda", _sit(**WHOLE), _sit(**WHOLE_MAJOR)),
    ("serious: emergency", "xingshi.zongti_pingwen", _sit(**FALLING), _sit(kind="emergency")),
    ("holiday 春节", "yinhuan.jieqian_jiancha", _sit("2024-01-20"), _sit("2024-03-18")),
    ("season 汛期", "xingshi.jijie_rutun", _sit("2024-04-10"), _sit("2024-11-10")),
    ("season 主汛期", "yinhuan.jiduan_tianqi", _sit("2024-07-05"), _sit("2024-09-05")),
    ("season 复工复产", "yinhuan.fuchan_fugong", _sit("2024-03-18"), _sit("2024-05-10")),
    ("season 春运", "hangye.jiaotong.chunyun", _sit("2024-01-10"), _sit("2024-03-18")),
    ("season 烟花爆竹", "xingshi.jijie_dongji", _sit("2024-12-10"), _sit("2024-03-18")),
    (
        "season 安全生产月",
        "xuanpei.anquanyue_huodong",
        _sit("2024-05-28", kind="safety_month"),
        _sit("2024-07-10", kind="safety_month"),
    ),
    ("holiday 五一", "xingshi.jijie_wuyi", _sit("2024-04-10"), _sit("2024-07-10")),
    # 临近: a July meeting for the third quarter has 中秋 and 国庆 ahead, not near
    ("soon 双节", "xingshi.jijie_shuangjie", _sit("2024-09-05"), _sit("2024-07-15")),
    ("soon 五一", "xingshi.jijie_wuyi", _sit("2024-04-10"), _sit("2024-03-20", kind="special")),
    # 汛期即将到来: said in April, not on 3 May (the 汛期 has begun, 五一 is under way)
    ("season 汛前", "yinhuan.fangxun_guabao", _sit("2024-04-20"), _sit("2024-05-03")),
    (
        "soon 节日前",
        "yinhuan.qiye_jieqian",
        _sit("2024-09-20", level="公司"),
        _sit("2024-07-15", level="公司"),
    ),
    # 当前正值高温: under way, not only ahead within the quarter
    ("now 高温", "yinhuan.youxian_kongjian", _sit("2024-07-15"), _sit("2024-06-05")),
    # 年底翘尾: ahead in a fourth-quarter meeting, behind after New Year (岁末年初 is not)
    (
        "season 年底",
        "yinhuan.huichao_qiaowei",
        _sit("2024-10-10"),
        _sit("2026-02-26", kind="special"),
    ),
    (
        "holidays typed",
        "xingshi.jijie_shuangjie",
        _sit("2024-09-05", kind="holiday", meeting={"holiday": ["中秋", "国庆"]}),
        _sit("2024-09-05", kind="holiday", meeting={"holiday": ["国庆"]}),
    ),
    (
        "needs context:旅游",
        "xingshi.jijie_lvyou",
        _sit(context=["即将进入旅游旺季，游客明显增多"]),
        _sit(context=["一批重大工程项目集中开工"]),
    ),
    (
        "needs context:项目",
        "xingshi.jijie_xiangmu",
        _sit(context=["一批重大工程项目集中开工"]),
        _sit(),
    ),
    (
        "needs all three",
        "xingshi.jijie_wangji",
        _sit(context=["即将进入旅游旺季", "一批重大工程项目集中开工", "各类节会活动相继举办"]),
        _sit(context=["即将进入旅游旺季", "一批重大工程项目集中开工"]),
    ),
    (
        "needs sector 尾矿库",
        "yinhuan.weikuangku_duxun",
        _sit(sectors=[{"name": "非煤矿山", "checks": ["尾矿库"]}]),
        _sit(sectors=[{"name": "非煤矿山"}]),
    ),
    (
        "needs targets",
        "wenze.yipiao_foujue",
        _sit(kind="annual", meeting={"targets": ["死亡人数同比下降10%"]}),
        _sit(kind="annual"),
    ),
    (
        "needs duty",
        "yingji.zhiban_dianhua",
        _sit("2024-01-20", kind="holiday", duty={"phone": "0571-12345678"}),
        _sit("2024-01-20", kind="holiday"),
    ),
    (
        "needs inspection",
        "zhuanxiang.yingjian_zicha",
        _sit(inspection={"by": "国务院安委会", "what": "安全生产巡查"}),
        _sit(),
    ),
    (
        "needs topic",
        "zhuanxiang.dizai_bixian",
        _sit(meeting={"topics": ["防汛", "地质灾害"]}),
        _sit(meeting={"topics": ["防汛"]}),
    ),
    (
        "topic and season",
        "zhuanxiang.fangxun_zhiban",
        _sit("2024-04-10", meeting={"topics": ["防汛"]}),
        _sit("2024-10-10", meeting={"topics": ["防汛"]}),
    ),
    ("levels: 执法", "zhifa.sige_yilv", _sit(level="县"), _sit(level="乡镇")),
    ("levels: 新闻发布", "xuanpei.yulun_fenwei", _sit(level="市"), _sit(level="乡镇")),
    ("levels: township", "zhifa.xiangzhen_peihe", _sit(level="乡镇"), _sit(level="县")),
    ("levels: 执法权", "zeren.shudi_shangbao", _sit(level="县级市"), _sit(level="市")),
    (
        "voice",
        "jiewei.qiye_jinji",
        _sit(level="公司", kind="emergency"),
        _sit(level="县", kind="emergency"),
    ),
]


@pytest.mark.parametrize(("name", "sid", "yes", "no"), CASES, ids=[c[0] for c in CASES])
def test_condition_chooses_and_refuses(name: str, sid: str, yes, no) -> None:
    assert _chosen(sid, yes), f"{sid} should be chosen ({name})"
    assert not _chosen(sid, no), f"{sid} must not be chosen ({name})"


# ------------------------------------------------------------------ 4. no role runs dry


def _dated(year: int):
    return [dt.date(year, m, d) for m in range(1, 13) for d in (1, 10, 16, 20, 28)]


@pytest.mark.parametrize("role", ["situation.season", "work.season"])
@pytest.mark.parametrize("level", ["县", "公司"])
def test_every_date_has_a_seasonal_snippet(role: str, level: str) -> None:
    voice = "company" if level == "公司" else "gov"
    dry = []
    for day in _dated(2024) + _dated(2025):
        sit = _sit(day.isoformat(), level=level)
        if not LIBRARY.select(role, level=voice, quarter=sit.quarter, situation=sit):
            dry.append(str(day))
    assert dry == []


@pytest.mark.parametrize(
    ("trend", "role"),
    [
        (FALLING, "situation.good"),
        (FALLING, "situation.thanks"),
        (FLAT, "situation.good"),
        ({}, "situation.good"),
        (RISING, "situation.worse"),
        (MIXED, "situation.worse"),
    ],
)
@pytest.mark.parametrize("level", ["县", "乡镇", "市", "公司"])
def test_each_trend_has_its_verdict(trend: dict, role: str, level: str) -> None:
    voice = "company" if level == "公司" else "gov"
    assert LIBRARY.select(role, level=voice, situation=_sit(level=level, **trend))


@pytest.mark.parametrize("level", ["县", "乡镇", "市", "区", "县级市", "新区"])
def test_every_government_level_has_enforcement_words(level: str) -> None:
    assert len(LIBRARY.select("work.enforcement", level="gov", situation=_sit(level=level))) >= 2


def test_government_enforcement_snippets_say_which_levels_enforce() -> None:
    # 执法 is a county-level power; a township's own snippets discover, report and assist.
    undeclared = [
        s.id
        for s in SNIPPETS
        if s.role == "work.enforcement" and s.level == "gov" and not s.when.levels
    ]
    assert undeclared == []
    township = [s for s in SNIPPETS if s.role == "work.enforcement" and "乡镇" in s.when.levels]
    assert township and all(not re.search(r"查封|扣押|处罚", t) for s in township for t in s.texts)
