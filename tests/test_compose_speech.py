"""Speech and outline composition: content read from the document model."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from speechgen.compose import compose_job
from speechgen.compose.library import load_library
from speechgen.errors import UserError
from speechgen.inputs import load_job
from speechgen.model import Heading, Paragraph

SAMPLES = Path(__file__).resolve().parent.parent / "speechgen" / "samples"
PLACEHOLDER = re.compile(r"XX|××|×|\*\*|20xx|某某|〇〇|□|\{\{|\}\}|None|nan|（值班电话：）")
CN = "一二三四五六七八九十"


def compose(path: Path, seed: int = 0):
    job = load_job(path)
    return [r.document for r in compose_job(job, load_library(), seed)]


def write(tmp_path: Path, text: str, name: str = "job.yaml") -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def speech_job(tmp_path: Path, org: str, meeting: str, extra: str = "") -> Path:
    """A speech job of ``org`` at ``meeting`` (flow mappings), its 主要负责同志 speaking."""
    head = f"type: speech\norg: {org}\nspeaker: {{role: 主要负责同志}}\nmeeting: {meeting}\n"
    return write(tmp_path, head + extra)


def body_text(doc) -> str:
    return doc.plain_text()


def announced(doc) -> int | None:
    m = re.search(r"我(?:再)?(?:讲|强调)([一二两三四五六七八九十]+)点意见", doc.plain_text())
    if not m:
        return None
    word = m.group(1)
    return {"两": 2}.get(word) or CN.index(word) + 1


SPEECH_SAMPLES = sorted(SAMPLES.glob("0[1-7]-*.yaml"))


@pytest.mark.parametrize("path", SPEECH_SAMPLES, ids=lambda p: p.stem)
def test_sample_speech_is_complete(path: Path) -> None:
    (doc,) = compose(path)
    text = body_text(doc)
    assert not PLACEHOLDER.search(text), PLACEHOLDER.search(text)
    level1 = [b for b in doc.blocks if isinstance(b, Heading) and b.level == 1]
    assert [h.number for h in level1] == [f"{CN[i]}、" for i in range(len(level1))]
    assert announced(doc) == len(level1)
    paras = [b.full_text for b in doc.blocks if isinstance(b, Paragraph) and b.role == "body"]
    assert len(paras) == len(set(paras)), "a paragraph appears twice"
    assert all(p.strip() for p in paras)
    if doc.kind == "speech":
        assert 2500 <= len(text) <= 6500, len(text)
    else:
        assert len(text) < 2600


@pytest.mark.parametrize("path", SPEECH_SAMPLES, ids=lambda p: p.stem)
def test_every_input_fact_is_in_the_speech(path: Path) -> None:
    job = load_job(path)
    (doc,) = compose(path)
    text = body_text(doc)
    d = job.data
    year = d["meeting"]["date"].year
    for acc in d.get("accidents") or []:
        date = acc["date"]
        md = (
            f"{date.month}月{date.day}日"
            if date.year == year
            else f"{date.year}年{date.month}月{date.day}日"
        )
        assert md in text
        assert acc["place"] in text
        if acc.get("deaths"):
            assert f"{acc['deaths']}人死亡" in text
    for sec in d.get("sectors") or []:
        for dept in [sec.get("lead"), *(sec.get("support") or [])]:
            if dept:
                assert dept in text, dept
        for check in sec.get("checks") or []:
            if doc.kind == "speech":
                assert check in text, check
    stats = d.get("stats") or {}
    for key, unit in (("accidents", "起"), ("deaths", "人"), ("injured", "人")):
        value = (stats.get("current") or {}).get(key)
        if value:
            assert f"{value}{unit}" in text
    for p in d.get("preceding") or []:
        who = p["who"] if isinstance(p["who"], list) else [p["who"]]
        for w in who:
            assert w in text
    speaker = d["speaker"]
    assert speaker["role"] in text
    date = d["meeting"]["date"]
    assert f"（{date.year}年{date.month}月{date.day}日）" in text


def test_company_speech_speaks_as_a_company() -> None:
    (doc,) = compose(SAMPLES / "04-公司-安全生产月-讲话稿.yaml")
    text = body_text(doc)
    assert "我司" in text or "全公司" in text
    assert "员工" in text
    for word in ("我县", "全县", "我区", "全区", "我市", "全市", "乡镇", "县委", "镇街"):
        assert word not in text, word
    assert text.rstrip().endswith("谢谢大家！")


LEVEL_WORDS = {
    "县": ("全县", "我市", "全市", "我区"),
    "区": ("全区", "我县", "全县", "我市"),
    "市": ("全市", "我县", "全县", "我区"),
}


@pytest.mark.parametrize("level", ["县", "区", "市"])
@pytest.mark.parametrize(
    "kind", ["quarterly", "annual", "emergency", "special", "safety_month", "holiday"]
)
@pytest.mark.parametrize("month", [2, 5, 8, 11])
def test_level_kind_and_season_matrix(tmp_path: Path, level: str, kind: str, month: int) -> None:
    name = {"县": "青山县", "区": "临江区", "市": "江北市"}[level]
    cause = (
        '  cause: {place: 江北市城东工业园, kind: 爆炸, code: "6·18"}\n'
        if kind == "emergency"
        else ""
    )
    path = write(
        tmp_path,
        f"""\
        type: speech
        org: {{level: {level}, name: {name}}}
        speaker: {{role: 副{level}长}}
        meeting:
          name: 全{level}安全生产工作会议
          kind: {kind}
          date: 2024-{month:02d}-15
        """
        + cause,
    )
    (doc,) = compose(path, seed=month)
    text = body_text(doc)
    own, *others = LEVEL_WORDS[level]
    assert own in text
    for w in others:
        assert w not in text, w
    quarter = (month - 1) // 3 + 1
    wrong = {
        1: ("中秋", "高温", "暑期"),
        2: ("春节", "中秋", "岁末年初"),
        3: ("春节", "元旦", "冬季"),
        4: ("五一", "高温", "暑期", "安全生产月"),
    }[quarter]
    for w in wrong:
        if kind == "safety_month" and w == "安全生产月":
            continue
        if w == "冬季" and _ahead(path, kind, quarter, "秋冬森林防火"):
            # a meeting that speaks beyond 9月30日 (60 days, or to the end of 国庆:
            # calendar.horizon) has the autumn–winter fire season (from 10月1日) ahead
            assert "冬季" not in text.replace("秋冬季节", ""), (w, quarter)
            continue
        assert w not in text, (w, quarter)
    assert not PLACEHOLDER.search(text)
    assert announced(doc) == len([b for b in doc.blocks if isinstance(b, Heading) and b.level == 1])


def _ahead(path: Path, kind: str, quarter: int, window: str) -> bool:
    """Whether the meeting of the job at ``path`` (a quarterly one for ``quarter``) has
    ``window`` under way or ahead."""
    from speechgen.compose.situation import situation_of

    data = load_job(path).data
    meeting = data["meeting"]
    sit = situation_of(
        data,
        kind=kind,
        date=meeting["date"],
        quarter=quarter if kind == "quarterly" else None,
        meeting=meeting,
    )
    return sit.ahead(window)


def test_seed_changes_wording_and_is_reproducible() -> None:
    path = SAMPLES / "01-县-季度-讲话稿.yaml"
    a1 = body_text(compose(path, seed=1)[0])
    a2 = body_text(compose(path, seed=1)[0])
    b = body_text(compose(path, seed=2)[0])
    assert a1 == a2
    assert a1 != b


def test_explicit_points_are_honoured(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        type: speech
        org: {level: 县, name: 青山县}
        speaker: {role: 县长}
        meeting: {name: 全县安全生产工作会议, kind: special, date: 2024-08-15}
        sectors:
          - {name: 燃气, lead: 县住建局, checks: [餐饮场所]}
        points:
          - heading: 一、提高站位，认清形势。
            items:
              - text: 第一段自己写的话。
          - heading: 突出重点，抓好整治
            items:
              - title: 燃气整治要彻底
                from: sectors
              - title: 执法检查要从严
                text: 第二段自己写的话。
              - use: zhifa.kuansongruan
        """,
    )
    (doc,) = compose(path)
    heads = [b.full_text for b in doc.blocks if isinstance(b, Heading)]
    assert heads == ["一、提高站位，认清形势", "二、突出重点，抓好整治"]
    text = body_text(doc)
    assert "下面，我讲两点意见。" in text
    assert "第一段自己写的话。" in text
    assert "一是燃气整治要彻底。" in text and "县住建局" in text
    assert "二是执法检查要从严。第二段自己写的话。" in text
    assert "宽松软" in text


def test_unknown_snippet_id_is_a_located_error(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        type: speech
        org: {level: 县, name: 青山县}
        speaker: {role: 县长}
        meeting: {name: 全县安全生产工作会议, kind: special, date: 2024-08-15}
        points:
          - heading: 认清形势
            items:
              - use: no.such_snippet
        """,
    )
    with pytest.raises(UserError) as info:
        compose(path)
    (finding,) = info.value.findings
    assert finding.key == "points[1].items[1].use"  # key paths count from 1, as people do
    assert finding.location.startswith("8:")
    assert "no.such_snippet" in finding.message


def test_outline_keeps_headings_and_shortens(tmp_path: Path) -> None:
    src = (SAMPLES / "01-县-季度-讲话稿.yaml").read_text(encoding="utf-8")
    speech = write(tmp_path, src, "speech.yaml")
    outline = write(tmp_path, src.replace("type: speech", "type: outline"), "outline.yaml")
    (s,) = compose(speech)
    (o,) = compose(outline)
    sh = [b.full_text for b in s.blocks if isinstance(b, Heading)]
    oh = [b.full_text for b in o.blocks if isinstance(b, Heading)]
    assert sh == oh
    assert len(body_text(o)) < 0.8 * len(body_text(s))
    assert o.name.endswith("讲话提纲")
    assert not any(isinstance(b, Paragraph) and b.role == "salutation" for b in o.blocks)


def test_worsening_figures_get_no_thanks(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        type: speech
        org: {level: 县, name: 青山县}
        speaker: {role: 县长}
        meeting: {name: 全县安全生产工作会议, kind: quarterly, date: 2024-07-10}
        stats:
          period: 上半年
          current: {accidents: 9, deaths: 4, injured: 6, loss_wan: 90}
          previous: {accidents: 6, deaths: 2, injured: 6, loss_wan: 70}
        """,
    )
    (doc,) = compose(path)
    text = body_text(doc)
    assert "三升一平" in text
    assert "感谢" not in text and "成绩" not in text.split("三升一平")[1].split("。")[1]
    # no 通报 was given (preceding), and the input does not praise its own work
    said = "".join(body_text(compose(path, seed)[0]) for seed in range(12))
    assert "从通报的情况看" not in said and "力度不小" not in said and "高强度" not in said


@pytest.mark.parametrize(
    ("current", "previous", "expected"),
    [
        # every figure rose: the sentence said 全面上升, and the verdict joins it (no
        # 各项事故指标不降反升 after it, no 特别是 over all four)
        (
            "{accidents: 88, deaths: 41, injured: 60, loss_wan: 3200}",
            "{accidents: 70, deaths: 30, injured: 52, loss_wan: 2100}",
            "四项指标全面上升，形势不容乐观。",
        ),
        # three figures, all rose: no 全面上升 to join, so it is said once in other words
        (
            "{accidents: 9, deaths: 4, injured: 7}",
            "{accidents: 6, deaths: 2, injured: 6}",
            "各项事故指标不降反升，形势不容乐观。",
        ),
        # some rose: those are singled out
        (
            "{accidents: 9, deaths: 4, injured: 5, loss_wan: 90}",
            "{accidents: 6, deaths: 2, injured: 6, loss_wan: 90}",
            "特别是事故起数和死亡人数不降反升，形势不容乐观。",
        ),
        # one figure compared, and it rose
        ("{accidents: 9, deaths: 4}", "{deaths: 2}", "死亡人数同比上升1倍。死亡人数不降反升"),
    ],
)
def test_what_rose_is_said_once(tmp_path: Path, current: str, previous: str, expected: str) -> None:
    extra = f"stats: {{period: 上半年, current: {current}, previous: {previous}}}\n"
    path = speech_job(
        tmp_path,
        "{level: 县, name: 青山县}",
        "{name: 全县安全生产工作会议, kind: quarterly, date: 2024-07-10}",
        extra,
    )
    for seed in range(4):
        text = body_text(compose(path, seed)[0])
        assert expected in text
        assert text.count("不降反升") == (0 if "全面上升" in text else 1)
        assert text.count("不容乐观") == 1
        if "全面上升" in text:
            assert "特别是" not in text.split("全面上升")[1].split("。")[1]


@pytest.mark.parametrize(
    "org",
    [
        "{level: 县, name: 青山县}",
        "{level: 乡镇, name: 石门镇}",
        "{level: 公司, name: 青山水泥有限公司}",
    ],
)
def test_mixed_figures_get_a_mixed_verdict(tmp_path: Path, org: str) -> None:
    # deaths down to none, accidents level, injuries up: not 十分严峻, and no claim of
    # hazards 大量存在 that the input never made
    extra = (
        "stats: {period: 1至10月, current: {accidents: 3, deaths: 0, injured: 2},"
        " previous: {accidents: 3, deaths: 1, injured: 1}}\n"
    )
    path = speech_job(
        tmp_path, org, "{name: 安全生产工作会议, kind: quarterly, date: 2025-11-12}", extra
    )
    for seed in range(8):
        text = body_text(compose(path, seed)[0])
        assert "稳中向好的基础还不牢固" in text
        # the rise was measured in the sentence before: named again, not measured again
        assert "但受伤人数有所上升，稳中向好的基础还不牢固" in text
        assert "十分严峻" not in text and "大量存在" not in text and "不降反升" not in text
        assert "稍一放松，就有可能出现反弹" in text


def test_delegated_and_repeated_meeting_openings(tmp_path: Path) -> None:
    delegated = write(
        tmp_path,
        """\
        type: speech
        org: {level: 县, name: 青山县}
        speaker: {role: 副县长, on_behalf_of: 县委、县政府主要领导}
        meeting: {name: 2024年第一季度全县安全生产工作会议, kind: quarterly, date: 2024-02-20}
        """,
        "a.yaml",
    )
    again = write(
        tmp_path,
        """\
        type: speech
        org: {level: 市, name: 江北市}
        speaker: {role: 市长}
        meeting: {name: 全市安全生产紧急会议, kind: emergency, date: 2024-06-28, days_since_last: 10}
        """,
        "b.yaml",
    )
    (a,) = compose(delegated)
    (b,) = compose(again)
    assert (
        "受县委、县政府主要领导委托，今天召开2024年第一季度全县安全生产工作会议，主要任务是"
        in a.plain_text()
    )
    assert "时隔十天，我们再次召开全市安全生产紧急会议，主要任务是" in b.plain_text()


def test_a_report_alone_is_not_endorsed_as_arrangements(tmp_path: Path) -> None:
    """After 刚才，X通报了…情况 the speech does not call it “这些安排和意见” (a report
    arranges nothing); after someone's arrangements it may."""
    base = (SAMPLES / "11-乡镇-季度-讲话稿.yaml").read_text(encoding="utf-8")
    assert "did: 通报了上半年全镇安全生产工作情况" in base
    arranged = base.replace(
        "did: 通报了上半年全镇安全生产工作情况", "did: 对第三季度工作作了具体安排部署"
    )
    said = {"report": 0, "arranged": 0}
    for name, text in (("report", base), ("arranged", arranged)):
        path = write(tmp_path, text, f"{name}.yaml")
        for seed in range(12):
            (doc,) = compose(path, seed)
            if "安排和意见" in doc.plain_text():
                said[name] += 1
    assert said["report"] == 0 and said["arranged"] > 0, said


def _problem_fragments() -> list[str]:
    """A stretch of every library text of the role the engine once filled the problems
    with (a generic list the input did not carry): none may reach a speech."""
    library = load_library()
    texts = [t for s in library if s.role == "situation.problems" for t in s.texts]
    assert len(texts) >= 6
    return [re.sub(r"\{\{[^}]*\}\}", "", t)[4:20] for t in texts]


@pytest.mark.parametrize(
    ("level", "name"),
    [("县", "青山县"), ("市", "江北市"), ("乡镇", "白沙镇"), ("公司", "青山化工")],
)
@pytest.mark.parametrize("kind", ["quarterly", "annual", "emergency"])
@pytest.mark.parametrize("trend", ["down", "up"])
def test_the_problems_are_the_inputs_own(
    tmp_path: Path, level: str, name: str, kind: str, trend: str
) -> None:
    """Without ``situation.problems`` a speech names no problems of its own making (no
    library list, no 还存在一些不容忽视的问题 announcing one); with them it enumerates
    exactly those, led in by the figures, the praise or the accident; one is not
    numbered. Achievements are dated by the meeting (一年来 only for a year's meeting)."""
    cause = '  cause: {place: 江北市城东工业园, kind: 爆炸, code: "6·18"}\n'
    previous = "{accidents: 5, deaths: 2}" if trend == "down" else "{accidents: 2, deaths: 1}"
    head = (
        "type: speech\n"
        f"org: {{level: {level}, name: {name}}}\n"
        "speaker: {role: 负责人}\n"
        "meeting:\n"
        "  name: 安全生产工作会议\n"
        f"  kind: {kind}\n"
        "  date: 2024-04-10\n"
        + (cause if kind == "emergency" else "")
        + f"stats:\n  period: 一季度\n  current: {{accidents: 3, deaths: 1}}\n  previous: {previous}\n"
    )
    fragments = _problem_fragments()
    for k, situation in enumerate(
        [
            "",
            "situation:\n  problems: [部分企业主体责任落实不到位, 基层监管力量薄弱]\n"
            "  achievements: [开展了隐患排查整治]\n",
            "situation:\n  problems: [部分企业主体责任落实不到位]\n",
        ]
    ):
        path = tmp_path / f"{k}.yaml"
        path.write_text(head + situation, encoding="utf-8")
        for seed in range(3 if situation else 10):
            (doc,) = compose(path, seed=seed)
            text = body_text(doc)
            found = [f for f in fragments if f in text]
            assert not found, (situation, seed, found)
            if not situation:
                assert "不容忽视的问题" not in text and "主要表现在" not in text, seed
            elif "基层" in situation:
                assert "主要表现在：一是部分企业主体责任落实不到位；二是基层监管力量薄弱。" in text
                if kind == "emergency":
                    assert "这起事故暴露出的问题，在我们身边同样不同程度地存在，主要表现在" in text
                since = "一年来" if kind == "annual" else "一季度"
                assert f"{since}，我们开展了隐患排查整治。" in text, since
                if kind != "annual":
                    assert "一年来" not in text
            else:
                assert "主要表现在：部分企业主体责任落实不到位。" in text


# what the library's accident lines used to claim with no input behind it: a count
# (几乎每月都有) and causes (几乎每一起事故的背后……责任不落实, 暴露出……问题, 说明一些地方)
ACCIDENT_CLAIMS = ("几乎每月", "几乎每一起", "每起事故都", "暴露出一些单位", "说明一些地方")


@pytest.mark.parametrize("level", ["县", "市", "公司"])
@pytest.mark.parametrize("count", [1, 3])
def test_cited_accidents_are_told_not_analysed(tmp_path: Path, level: str, count: int) -> None:
    """Cited accidents carry a date, a place, a kind and casualties, never a cause: what
    follows them draws the lesson and claims no count or cause; one accident is 这起事故."""
    cited = [
        "  - {date: 2024-01-24, place: 江西新余, site: 临街店铺, kind: 火灾, deaths: 39}",
        "  - {date: 2023-06-21, place: 宁夏银川, site: 一烧烤店, kind: 燃气爆炸, deaths: 31}",
        "  - {date: 2023-04-18, place: 北京丰台, site: 长峰医院, kind: 火灾, deaths: 29}",
    ][:count]
    local = (
        "  - {date: 2024-01-10, place: 城关镇, site: 一仓库, kind: 火灾, deaths: 1, scope: local}"
    )
    org = {"县": "{level: 县, name: 青山县}", "市": "{level: 市, name: 江北市}"}.get(
        level, "{level: 公司, name: 青山化工有限公司}"
    )
    said = ""
    for seed in range(8):
        meeting = "{name: 安全生产工作会议, kind: quarterly, date: 2024-02-26}"
        path = speech_job(
            tmp_path, org, meeting, "accidents:\n" + "\n".join([*cited, local]) + "\n"
        )
        text = body_text(compose(path, seed)[0])
        assert [w for w in ACCIDENT_CLAIMS if w in text] == [], (level, count, seed)
        said += text
    if count == 1:
        assert "这些事故" not in said and "这些都是" not in said
    assert "这起事故教训十分深刻" in said  # the one local accident


def _shared(a: str, b: str) -> str:
    from difflib import SequenceMatcher

    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return a[m.a : m.a + m.size]


@pytest.mark.parametrize(
    "path", sorted(p for p in SAMPLES.glob("*.yaml") if "批量" not in p.name), ids=lambda p: p.stem
)
def test_no_clause_is_said_twice(path: Path) -> None:
    """No two paragraphs of a sample's document share a clause of 18 characters or more,
    nor two sentences of one paragraph a clause of 11
    (a 防汛 sector line repeated the work point's 雨前排查……建立专项隐患台账，做到整改
    一处、销号一处; two hazard lines ended alike). Table rows are left out: a 任务分工表
    names the same departments on every row."""
    for seed in range(4):
        for doc in compose(path, seed):
            paras = [p for p in doc.plain_text().split("\n") if len(p) > 30 and "\t" not in p]
            for i, a in enumerate(paras):
                for b in paras[i + 1 :]:
                    shared = _shared(a, b)
                    assert len(shared) < 18, (path.name, seed, shared)
            # nor two sentences of one paragraph a clause of 11 (the figures' 稳中向好的基础
            # 还不牢固 and the verdict's; 重点检查客运车辆、危险品运输车辆 and a sector line
            # on 客运车辆、危险品运输车辆和校车)
            for para in paras:
                sentences = [x for x in re.split(r"[。；！]", para) if len(x) >= 11]
                for i, a in enumerate(sentences):
                    for b in sentences[i + 1 :]:
                        shared = _shared(a, b)
                        assert len(shared) < 11, (path.name, seed, shared)


def test_an_inspection_is_announced_not_described() -> None:
    """inspection gives who, what and when: the speech says so (省安委会将于6月10日至6月20日
    …) and does not describe the inspection (the seed's 此次检查要求高、延伸广、检查细)."""
    said = "".join(
        body_text(compose(SAMPLES / "13-区-合并会议-讲话稿.yaml", seed)[0]) for seed in range(6)
    )
    assert "省安委会将于6月10日至6月20日对我区开展安全生产综合督查" in said
    assert "要求高" not in said and "延伸广" not in said


def test_a_company_speech_tells_of_no_accident_or_plan_it_was_not_given(tmp_path: Path) -> None:
    """A company's 安全生产月 speech with no accidents cited and no plan named: no line
    says 各地接连发生多起生产安全事故 or that some department 制定了安全月活动计划 (sample 04
    said 公司安全管理部制定了…, where its own 安全环保部 had read out the plan)."""
    path = speech_job(
        tmp_path,
        "{level: 公司, name: 华兴化工有限公司}",
        "{name: 2024年“安全生产月”活动动员会, kind: safety_month, date: 2024-06-03}",
        "stats:\n  current: {accidents: 1, deaths: 0}\n  previous: {accidents: 3, deaths: 0}\n",
    )
    for seed in range(10):
        text = body_text(compose(path, seed)[0])
        assert "接连发生" not in text and "制定了安全月活动计划" not in text, seed


def test_a_winter_speech_recalls_no_disaster_it_was_not_given(tmp_path: Path) -> None:
    """December: the 雨雪冰冻 line asks to prepare for 强冷空气 and 暴雪, and no longer asks
    to 深刻吸取雨雪冰冻灾害的经验教训 (a past disaster no input names)."""
    path = speech_job(
        tmp_path,
        "{level: 县, name: 青山县}",
        "{name: 全县安全生产工作会议, kind: special, date: 2024-12-10}",
    )
    said = "".join(body_text(compose(path, seed)[0]) for seed in range(12))
    assert "强冷空气" in said  # the line is still said
    assert "灾害的经验教训" not in said


@pytest.mark.parametrize("level", ["县", "市", "乡镇", "公司"])
def test_a_holiday_speech_states_its_duty_rota_once(tmp_path: Path, level: str) -> None:
    """With ``duty`` given, the holiday part's paragraph from the input states the rota
    (领导带班, 24小时值班, the report): the library's holiday line beside it says
    something else (a 临江市 speech had told 要严格执行节假日值班制度，实行24小时值班……
    值班安排情况要及时报市安委办 and then the same from the input). Every seed of ten."""
    org = (
        "{level: 公司, name: 华兴化工有限公司}"
        if level == "公司"
        else f"{{level: {level}, name: 临江{level[-1]}}}"
    )
    path = speech_job(
        tmp_path,
        org,
        "{name: 中秋国庆期间安全生产工作会议, kind: holiday, holiday: [中秋, 国庆], date: 2025-09-24}",
        "duty: {from: 2025-10-01, to: 2025-10-08, phone: 0833-5550110, report_to: 安委办}\n",
    )
    for seed in range(10):
        (doc,) = compose(path, seed=seed)
        part: list[str] = []  # the paragraphs under the holiday part's heading
        inside = False
        for block in doc.blocks:
            if isinstance(block, Heading):
                inside = "节日期间安全防范" in block.full_text
            elif isinstance(block, Paragraph) and inside:
                part.append(block.full_text)
        text = "".join(part)
        assert text.count("值班电话0833-5550110") == 1, seed
        for word in ("值班制度", "值班安排", "值班值宿", "带班"):
            assert text.count(word) <= 1, (seed, word)


def _season_openings(*windows: str) -> list[str]:
    """The first words of every work.season line of ``windows`` (before any slot)."""
    lines = load_library().by_role["work.season"]
    return [
        t.split("{")[0][:12]
        for s in lines
        if set(s.when.season) & set(windows)
        for t in s.texts
        if len(t.split("{")[0]) >= 8
    ]


def _sections(text: str) -> dict[str, str]:
    """The second point's sub-points by heading (（一）…), from the plain text."""
    part = text.split("\n二、", 1)[1].split("\n三、", 1)[0]
    out: dict[str, str] = {}
    for block in re.split(r"\n(?=（[一二三四五六七八九十]+）)", part)[1:]:
        head, _, body = block.partition("\n")
        out[head] = body
    return out


def test_a_season_line_goes_with_its_sector_or_topic(tmp_path: Path) -> None:
    # 汛期 ahead in April, 防汛抗旱 a sector of the speech: its 汛期 line is said in the
    # sector's paragraph, not under the hazards heading
    flood = _season_openings("汛期", "主汛期")
    moved = 0
    for seed in range(12):
        (doc,) = compose(SAMPLES / "01-县-季度-讲话稿.yaml", seed)
        first, *rest = _sections(doc.plain_text()).values()
        assert not [o for o in flood if o in first], seed
        home = [p for b in rest for p in b.split("\n") if "是防汛抗旱安全" in p]
        moved += any(o in home[0] for o in flood)
    assert moved  # said, in its sector's paragraph
    # a combined meeting's topic part takes the window over: not under the hazards
    path = speech_job(
        tmp_path,
        "{level: 乡镇, name: 石门镇, parent: 青山县}",
        "{name: 全镇安全生产暨森林防火工作会议, kind: special, date: 2025-11-12, topics: [森林防火]}",
        "sectors: [{name: 森林防火, lead: 镇林业站}, {name: 道路交通}]\n",
    )
    fire = _season_openings("秋冬森林防火")
    for seed in range(12):
        (doc,) = compose(path, seed)
        first = next(iter(_sections(doc.plain_text()).values()))
        assert not [o for o in fire if o in first], seed


@pytest.mark.parametrize("office", ["安全环保部", None])
def test_a_company_office_is_the_one_typed_or_a_generic_noun(
    tmp_path: Path, office: str | None
) -> None:
    """A company names its work-safety department as it likes: ``org.office`` as typed;
    without it the generic 公司安全管理部门, never a department the input did not name
    (公司安全管理部 was said where the company's own was 安全环保部). Ten seeds."""
    org = "{level: 公司, name: 华兴化工有限公司" + (f", office: {office}" if office else "") + "}"
    path = speech_job(
        tmp_path,
        org,
        "{name: 公司第三季度安全生产工作会议, kind: quarterly, date: 2024-07-03}",
        "stats:\n  current: {accidents: 1, deaths: 0}\n  previous: {accidents: 3, deaths: 0}\n",
    )
    said = "".join(body_text(compose(path, seed)[0]) for seed in range(10))
    assert re.search(r"公司安全管理部(?!门)", said) is None
    if office:
        assert office in said and "安全管理部门" not in said
    else:
        assert "公司安全管理部门" in said


@pytest.mark.parametrize("kind", ["speech", "outline"])
def test_a_holiday_meetings_emergency_part_speaks_of_emergencies(tmp_path: Path, kind: str) -> None:
    """A holiday meeting with no duty rota: the part under the 应急 heading opens with an
    emergency line and holds no general holiday line (以确保春节期间的安全生产为重点,
    which had stood first under 进一步提升应急救援能力 and alone there in the outline).
    Eight seeds."""
    path = write(
        tmp_path,
        f"""\
        type: {kind}
        org: {{level: 乡镇, name: 柳林乡}}
        speaker: {{role: 乡长}}
        meeting: {{name: 全乡春节前安全生产工作会议, kind: holiday, date: 2027-01-25, holiday: [春节]}}
        """,
    )
    for seed in range(8):
        (doc,) = compose(path, seed)
        blocks = list(doc.blocks)
        at = next(
            i
            for i, b in enumerate(blocks)
            if isinstance(b, Heading)
            and b.level == 2
            and any(w in b.full_text for w in ("应急", "处置"))
        )
        under = []
        for b in blocks[at + 1 :]:
            if isinstance(b, Heading):
                break
            if isinstance(b, Paragraph):
                under.append(b.full_text)
        assert under, seed
        assert "安全生产为重点" not in "".join(under), (seed, under)
        assert any(w in under[0][:60] for w in ("应急", "值班", "处置", "预案", "救援")), (
            seed,
            under,
        )


def test_no_two_sentences_in_a_row_open_with_the_same_time_word(tmp_path: Path) -> None:
    """当前各类经济活动持续活跃……。当前，上级对企业……: the season's line and the pressure
    after it in one paragraph each opened with 当前 (a company's July meeting). Every
    speech sample and that meeting, six seeds: no paragraph opens two sentences in a row
    with the same 当前, 目前, 眼下 or 近期."""
    company = speech_job(
        tmp_path,
        "{level: 公司, name: 华源化工有限公司}",
        "{name: 公司第三季度安全生产工作会议, kind: quarterly, date: 2026-07-15}",
        "stats: {period: 上半年, current: {accidents: 1, deaths: 1}, previous: {accidents: 1, deaths: 0}}\n",
    )
    for path in [*SPEECH_SAMPLES, company]:
        for seed in range(6):
            (doc,) = compose(path, seed)
            for b in doc.blocks:
                if not isinstance(b, Paragraph):
                    continue
                said = [s for s in re.split(r"(?<=[。！？])", b.full_text) if s]
                for a, c in zip(said, said[1:], strict=False):
                    for w in ("当前", "目前", "眼下", "近期"):
                        assert not (a.startswith(w) and c.startswith(w)), (path.name, seed, a, c)
