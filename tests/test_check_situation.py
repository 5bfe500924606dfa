"""speechgen.check.situation_rules (E240–E245, W240) and the numbering rules that
read announced lists (E225, E228): each rule with a document that triggers it and
one that does not, built here from speechgen.model blocks or as a small .docx, and
tables for the parsers the rules stand on."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from speechgen.check import RULES, check_document, check_docx
from speechgen.check import situation_rules as S
from speechgen.errors import ERROR, WARNING, Finding
from speechgen.model import Document, Heading, Paragraph

SITUATION_CODES = ("E240", "E241", "E242", "E243", "E244", "E245", "W240")


def speech(
    *blocks: str | tuple[int, str],
    title: str = "在2024年第一季度全县安全生产工作会议上的讲话",
    date: str = "（2024年3月18日）",
    salutation: str = "同志们：",
    **meta: str,
) -> Document:
    """A speech: a ``(level, text)`` tuple is a heading, a string a body paragraph."""
    d = Document("speech", "测试", meta=dict(meta))
    d.add(Paragraph(title, "title"))
    if date:
        d.add(Paragraph(date, "subtitle"))
    if salutation:
        d.add(Paragraph(salutation, "salutation"))
    for b in blocks:
        if isinstance(b, tuple):
            d.add(Heading(b[1], b[0]))
        else:
            d.add(Paragraph(b))
    return d


def found(d: Document, code: str) -> list[Finding]:
    return [f for f in check_document(d) if f.code == code]


def write_docx(path: Path, lines: list[str]) -> Path:
    import docx

    d = docx.Document()
    for line in lines:
        d.add_paragraph(line)
    d.save(str(path))
    return path


def test_codes_registered_with_severity() -> None:
    for code in SITUATION_CODES:
        rule = RULES[code]
        assert rule.title and rule.explain
        assert rule.severity == (WARNING if code.startswith("W") else ERROR)


# --------------------------------------------------------------------------- E240

RISE = (
    "一季度，全县共发生各类生产安全事故14起，死亡4人，受伤6人，直接经济损失150万元。"
    "事故起数同比上升16.7%，死亡人数同比增加1人，上升33.3%，受伤人数同比下降14.3%，"
    "直接经济损失同比上升7.1%，四项指标呈现“三升一降”态势。"
)
FALL = (
    "一季度，全县共发生各类生产安全事故12起，死亡3人，受伤5人，直接经济损失120.5万元。"
    "事故起数同比下降20%，死亡人数同比持平，受伤人数同比下降44.4%，直接经济损失同比下降39.8%，"
    "四项指标呈现“三降一平”态势。"
)
PRAISE = "成绩来之不易，凝聚着在座每一位同志的心血和汗水。在此，我谨代表县委、县政府向大家表示衷心的感谢！"


def test_e240_praise_after_the_generators_rise_sentence() -> None:
    got = found(speech((1, "认清形势"), RISE, PRAISE), "E240")
    words = [f.message for f in got]
    assert len(got) == 2 and all(f.severity == ERROR for f in got)
    assert "“成绩来之不易”" in words[0]
    assert "段5写明事故起数、死亡人数上升" in words[0]  # names the paragraph with the figures
    assert "“感谢”" in words[1]
    assert all(f.location.startswith("段6") for f in got)


def test_e240_clean_when_figures_fell() -> None:
    assert not found(speech((1, "认清形势"), FALL, PRAISE), "E240")


@pytest.mark.parametrize(
    "text",
    [
        # goals and hedges are not claims
        "各级各部门必须认真履行职责，促进安全生产形势持续稳定好转。",
        "这些数字表明，当前安全生产形势依然严峻复杂，稳中向好的基础还不牢固。",
        "要保持安全生产形势持续向好，以良好的安全生产环境迎接全国“两会”！",
        # condolence after an accident is not praise
        "要全力做好伤亡人员家属的慰问安抚和善后处置工作。",
    ],
)
def test_e240_goals_hedges_condolences_after_a_rise_are_clean(text: str) -> None:
    assert not found(speech(RISE, text), "E240")


def test_e240_other_areas_rise_is_not_the_documents_own() -> None:
    nation = "今年以来，全国安全生产形势严峻，事故起数同比上升10%，死亡人数同比增加。"
    assert not found(speech(nation, FALL, PRAISE), "E240")


def test_e240_hand_written_forms() -> None:
    hand = "今年我县安全生产事故起数、死亡人数和经济损失不降反升，形势不容乐观。"
    got = found(speech(hand, "全县安全生产形势总体平稳。"), "E240")
    assert len(got) == 1 and "“总体平稳”" in got[0].message


RISES = [
    # text, what rose ("" for nothing)
    ("事故起数同比上升16.7%，死亡人数同比下降33.3%。", "事故起数"),
    ("事故起数同比下降20%，死亡人数同比增加1人，上升33.3%。", "死亡人数"),
    ("受伤人数同比上升50%，直接经济损失同比持平。", ""),
    ("全县共发生各类生产安全事故15起、死亡8人，同比分别上升25%和33%。", "事故起数、死亡人数"),
    ("全年共发生安全生产事故29起，同比增加4起，上升16%。", "事故起数"),
    ("全年死亡15人，同比增加4人，上升36%。", "死亡人数"),
    ("共造成直接经济损失810万元，比同期增加492万元，上升1.5倍。", ""),
    ("今年我县事故起数、死亡人数和经济损失不降反升。", "事故起数、死亡人数"),
    ("共排查各类安全隐患6368处，同比增加12%。", ""),
    ("较大事故上升势头得到有效遏制，事故起数没有上升。", ""),
    ("全国事故起数同比上升10%。", ""),
]


@pytest.mark.parametrize("text,what", RISES)
def test_rises_table(text: str, what: str) -> None:
    d = speech(text)
    from speechgen.check.records import records_from_document

    got = S.rises(records_from_document(d))
    assert (got[0].what if got else "") == what


# --------------------------------------------------------------------------- E241


def test_e241_spring_festival_behind_a_march_date() -> None:
    text = "春节将至，要做好春运安全工作，确保人民群众平安出行。"
    got = found(speech(text), "E241")
    assert [("“春节”" in f.message, "“春运”" in f.message) for f in got] == [
        (True, False),
        (False, True),
    ]
    assert "2024年3月18日的文稿" in got[0].message and "已经过去" in got[0].message
    assert "2024年2月9日—2月16日" in got[0].message
    assert all(f.severity == ERROR and f.location.startswith("段4") for f in got)


def test_e241_main_flood_season_far_beyond_a_january_speech() -> None:
    d = speech(
        "即将进入主汛期，要做好防汛准备。",
        title="在全县春节前安全生产工作会议上的讲话",
        date="（2024年1月16日）",
    )
    got = found(d, "E241")
    assert len(got) == 1 and "“主汛期”" in got[0].message and "还远" in got[0].message


@pytest.mark.parametrize(
    "text",
    [
        "今年以来，特别是春节、全国“两会”期间，全县未发生较大以上生产安全事故。",
        "去年春运期间，我县道路交通事故多发。",
        "春节后各类企业陆续复工复产，要抓好节后复工安全。",
        "清明、五一即将到来，祭祀用火和出行人员增多。",
        "2月10日春节当天，某地发生一起火灾事故。",
        "冶金企业要严防高温熔融金属泄漏，加强高温高压设备检查。",
    ],
)
def test_e241_retrospective_and_ahead_are_clean(text: str) -> None:
    assert not found(speech(text), "E241")


def test_e241_quarter_only_uses_the_titles_quarter_and_leaves_w202_its_words() -> None:
    d = speech("又即将进入主汛期，要早做准备。三是中秋节前要完成整改。", date="")
    got = found(d, "E241")
    assert len(got) == 1 and "第1季度的文稿" in got[0].message and "“主汛期”" in got[0].message
    assert any(f.code == "W202" and "中秋" in f.message for f in check_document(d))


def test_e241_not_in_a_notice() -> None:
    d = speech("春节将至，要做好春运安全工作。", title="关于做好安全生产工作的通知")
    assert not found(d, "E241")


WINDOWS = [
    # window, date, horizon, status
    ("春节", "2024-03-18", "2024-05-17", "behind"),
    ("春运", "2024-03-18", "2024-05-17", "behind"),
    ("春运", "2024-03-05", "2024-05-04", "ok"),  # still under way (ends 3月6日)
    ("清明", "2024-03-18", "2024-05-17", "ok"),
    ("主汛期", "2024-01-16", "2024-03-16", "beyond"),
    ("主汛期", "2024-04-10", "2024-06-30", "ok"),  # within the 30-day slack
    ("春节", "2024-12-20", "2025-02-18", "ok"),  # next year's
    ("国庆", "2024-06-03", "2024-08-02", "beyond"),
    ("国庆", "2024-10-09", "2024-12-08", "behind"),
    ("安全生产月", "2024-07-10", "2024-09-30", "behind"),
]


@pytest.mark.parametrize("name,date,until,status", WINDOWS)
def test_window_status_table(name: str, date: str, until: str, status: str) -> None:
    got, _ = S.window_status(name, dt.date.fromisoformat(date), dt.date.fromisoformat(until))
    assert got == status


def test_e241_in_a_hand_written_docx(tmp_path: Path) -> None:
    path = write_docx(
        tmp_path / "稿.docx",
        [
            "在全县安全生产工作会议上的讲话",
            "（2024年3月18日）",
            "同志们：",
            "当前正值春运高峰，要加强道路交通安全管理。",
            "清明将至，要抓好森林防火。",
        ],
    )
    got = [f for f in check_docx(path, formats=False) if f.code == "E241"]
    assert len(got) == 1 and "“春运”" in got[0].message and got[0].location.startswith("段4")


def test_e241_an_annual_meeting_may_plan_for_the_flood_season() -> None:
    title = "在2024年全县安全生产工作会议上的讲话"
    plan = speech("要抓紧治理尾矿库，确保安全度过汛期。", title=title, date="（2024年1月16日）")
    assert not found(plan, "E241")
    near = speech("即将进入主汛期，要做好防汛准备。", title=title, date="（2024年1月16日）")
    assert len(found(near, "E241")) == 1


def test_e241_year_end_words_behind_a_late_february_date() -> None:
    d = speech(
        "岁末年初特别是春节及全国“两会”期间，人员流动大。",
        title="在2024年全市安全生产工作会议上的讲话",
        date="（2024年2月26日）",
    )
    got = [f.message.split("“")[1].split("”")[0] for f in found(d, "E241")]
    assert got == ["岁末年初", "春节"]  # 全国“两会” (3月3日起) lies ahead


# --------------------------------------------------------------------------- E242–E245

CITY = "在2024年全市安全生产工作会议上的讲话"


def test_e242_county_self_word_in_a_city_document() -> None:
    d = speech("我市安全生产形势平稳。", "我县要抓好隐患排查。", title=CITY)
    got = found(d, "E242")
    assert len(got) == 1 and "“我县”" in got[0].message and got[0].severity == ERROR
    assert not [f for f in check_document(d) if f.code == "W205"]  # not said twice


@pytest.mark.parametrize(
    "ctx",
    [dict(level="市"), dict(title="在全市安全生产工作会议上的讲话")],
)
def test_e242_self_word_in_any_document_of_a_clear_level(ctx: dict) -> None:
    """Given (meta) or named in the title: an error, and W205 (the inferred level's warning) is silent."""
    d = Document("notice", "测试", meta={k: v for k, v in ctx.items() if k == "level"})
    if "title" in ctx:
        d.add(Paragraph(ctx["title"], "title"))
    d.add(Paragraph("全市各级要高度重视，我县要率先落实。"))
    got = [f for f in check_document(d) if f.code in ("E242", "W205")]
    assert [(f.code, f.severity) for f in got] == [("E242", ERROR)]
    d.blocks[-1] = Paragraph("全市各级要高度重视，我市要率先落实。")
    assert not [f for f in check_document(d) if f.code in ("E242", "W205")]


def test_e242_a_township_calls_itself_by_the_other_word() -> None:
    """A 乡 is not a 镇: its document saying 全镇 (or a 镇's saying 全乡) is E242, once the
    document's own word is clear; 乡镇 and 乡村 are not self-words."""
    d = speech(
        "我乡安全生产形势平稳。",
        "全镇各村要抓好隐患排查。",
        title="在2025年全乡安全生产工作会议上的讲话",
    )
    got = found(d, "E242")
    assert [g.severity for g in got] == [ERROR] and "乡级文稿中出现“全镇”" in got[0].message
    d = speech(
        "我镇形势平稳，全乡各村要抓好隐患排查。", title="在2025年全镇安全生产工作会议上的讲话"
    )
    assert ["镇级文稿中出现“全乡”" in g.message for g in found(d, "E242")] == [True]
    fine = speech(
        "我镇形势平稳，本乡镇范围内要推进全乡村振兴，镇党委、镇政府高度重视。",
        "各乡镇党委书记要带头。",
        title="在2025年全镇安全生产工作会议上的讲话",
    )
    assert not found(fine, "E242")
    mixed = speech(
        *["全乡要抓好落实。", "全镇要抓好落实。"] * 3,
        "我司要抓好落实。",
        title="在2025年安全生产工作会议上的讲话",
    )
    # the level is clear (镇: E242 tells 我司), its own word is not: neither is told
    assert ["“我司”" in g.message for g in found(mixed, "E242")] == [True]


def test_e242_townships_in_a_prefecture_document() -> None:
    d = speech("请各县（市、区）、市直各部门抓好落实。", "各镇（街道）要开展隐患排查。", title=CITY)
    got = found(d, "E242")
    assert len(got) == 1 and "“各镇（街道）”" in got[0].message


def test_e242_county_level_city_may_address_its_towns() -> None:
    d = speech("各镇（街道）要开展隐患排查。", "全市上下要绷紧安全这根弦。", title=CITY)
    assert not found(d, "E242")


def test_e242_villages_in_a_county_wide_meeting() -> None:
    d = speech("请各村（社区）、县直各部门抓好落实。", title="在全县安全生产工作会议上的讲话")
    assert len(found(d, "E242")) == 1
    chain = speech("各乡镇要督促各村（社区）开展自查。", title="在全县安全生产工作会议上的讲话")
    assert not found(chain, "E242")


def test_e242_unclear_level_says_nothing() -> None:
    d = speech("我县要抓好排查。我市要抓好排查。", title="在安全生产工作会议上的讲话")
    assert not found(d, "E242")


def test_e242_not_a_self_word() -> None:
    d = speech("各区域责任人要对本区域定期检查。", title="在全公司安全生产月动员会上的讲话")
    assert not found(d, "E242")


COMPANY = "在2024年全公司“安全生产月”活动动员会上的讲话"


def test_e243_county_words_in_a_company_speech() -> None:
    d = speech(
        "安全生产事关广大员工生命财产安全，事关经济社会发展和稳定大局。",
        "要压实属地管理责任。",
        title=COMPANY,
        salutation="各位同事：",
    )
    got = found(d, "E243")
    assert [m.message.split("“")[1].split("”")[0] for m in got] == [
        "经济社会发展和稳定大局",
        "属地管理",
    ]


def test_e243_closing_salutation_matches_the_opening() -> None:
    bad = speech(
        "各车间要抓好落实。",
        "同志们，安全生产只有起点，没有终点。",
        title=COMPANY,
        salutation="各位同事：",
    )
    got = found(bad, "E243")
    assert len(got) == 1 and "“各位同事”" in got[0].message and got[0].location.startswith("段5")
    good = speech(
        "各车间要抓好落实。", "同事们，安全生产只有起点。", title=COMPANY, salutation="各位同事："
    )
    assert not found(good, "E243")


def test_e243_company_words_are_clean() -> None:
    d = speech(
        "各车间、各班组要把安全责任落实到每一个岗位、每一名员工，落实企业主体责任。",
        title=COMPANY,
        salutation="各位同事：",
    )
    assert not found(d, "E243")
    county = speech("要压实属地管理责任，事关经济社会发展大局。")
    assert not found(county, "E243")


TOWN = "在全镇安全生产工作会议上的讲话"


def test_e244_township_enforcement_and_press() -> None:
    d = speech("要加大监管执法力度，依法查处违法行为。", "要及时发布权威信息。", title=TOWN)
    got = found(d, "E244")
    assert len(got) == 2 and "“执法”" in got[0].message and "“发布权威信息”" in got[1].message
    licence = speech("要综合运用行政许可、分类监管等措施，督促企业履行法定义务。", title=TOWN)
    assert ["“行政许可”" in f.message for f in found(licence, "E244")] == [True]
    assert not found(speech("要综合运用行政许可、分类监管等措施。"), "E244")  # a county's


def test_e244_township_reports_and_assists_clean() -> None:
    d = speech(
        "我镇虽然没有执法权，但发现隐患要及时上报。",
        "要配合县应急管理局开展联合执法。",
        title=TOWN,
    )
    assert not found(d, "E244")
    county = speech("要加大监管执法力度。")
    assert not found(county, "E244")


@pytest.mark.parametrize(
    "text,word",
    [
        ("由区水利局牵头，区各镇街配合。", "区各镇街"),
        ("镇各村（社区）要开展自查。", "镇各村（社区）"),
        ("县各乡镇要落实属地责任。", "县各乡镇"),
        ("由区新区建设局牵头。", "区新区"),
    ],
)
def test_e245_glued_prefix(text: str, word: str) -> None:
    got = found(speech(text), "E245")
    assert len(got) == 1 and f"“{word}”" in got[0].message


@pytest.mark.parametrize(
    "text",
    [
        "全县各乡镇要落实属地责任。",
        "青山县各乡镇要开展自查。",
        "县各有关部门要加强配合。",
        "由区住建局牵头。",
    ],
)
def test_e245_clean(text: str) -> None:
    assert not found(speech(text), "E245")


# --------------------------------------------------------------------------- W240


def test_w240_heading_over_a_part_about_something_else() -> None:
    d = speech(
        (1, "强化措施"),
        (2, "应急值守不放松"),
        "要加紧完善应急预案、响应机制，坚决不能将预案“束之高阁”。",
        (2, "隐患排查要彻底"),
        "要对重点部位开展一次全面排查，建立隐患台账。",
    )
    got = found(d, "W240")
    assert len(got) == 1 and got[0].severity == WARNING
    assert "“（一）应急值守不放松”" in got[0].message  # as numbered on the page
    assert "应急值守" in got[0].message and got[0].location.startswith("段5")


def test_w240_close_variants_count() -> None:
    d = speech(
        (1, "应急值守不放松"),
        "要严格实行24小时领导干部带班、专人值班制度。",
        (1, "加大问责力度"),
        "对失职失责的，一律严肃追责。",
        (1, "抓森林防火"),
        "清明期间要严管野外用火。",
    )
    assert not found(d, "W240")


HEADING_KEYS = [
    ("（四）应急值守不放松", ["应急值守"]),
    ("（一）进一步强化隐患排查治理", ["隐患排查", "治理"]),
    ("二、强化措施，进一步提升安全生产监管效能", ["监管效能"]),
    ("（五）要狠抓源头管控", ["源头管控"]),
    ("（四）加大问责力度", ["问责"]),
    ("（一）抓隐患排查，消除身边风险", ["隐患排查", "身边风险"]),
    ("一、居安思危，始终保持警钟长鸣", []),
    ("（二）紧盯源头，坚决把隐患风险查得更细", ["源头", "隐患风险"]),
]


@pytest.mark.parametrize("heading,keys", HEADING_KEYS)
def test_heading_keys_table(heading: str, keys: list[str]) -> None:
    assert [k for k, _ in S.heading_keys(heading)] == keys


def test_w240_in_a_hand_written_docx(tmp_path: Path) -> None:
    path = write_docx(
        tmp_path / "稿.docx",
        [
            "在全县安全生产工作会议上的讲话",
            "同志们：",
            "一、抓好森林防火",
            "要严格落实值班制度，确保信息畅通。",
            "二、加强应急值守",
            "要严格落实值班制度，确保信息畅通。",
        ],
    )
    got = [f for f in check_docx(path, formats=False) if f.code == "W240"]
    assert len(got) == 1 and "森林防火" in got[0].message


# --------------------------------------------------------------------------- E225, E228


def test_e225_counted_set_with_a_different_number_of_parts() -> None:
    d = speech(
        (1, "压实责任"),
        "关键要严格落实“三个责任”。",
        (2, "压实属地管理责任"),
        "属地。",
        (2, "压实部门监管责任"),
        "部门。",
        (2, "压实企业主体责任"),
        "企业。",
        (2, "加大失职问责力度"),
        "问责。",
    )
    got = found(d, "E225")
    assert len(got) == 1 and "“三个责任”" in got[0].message and "4点" in got[0].message


def test_e225_counted_set_complete_and_a_figure_of_speech_are_clean() -> None:
    d = speech(
        (1, "压实责任"),
        "关键要严格落实“三个责任”。",
        (2, "压实属地管理责任"),
        "要坚决落实“四个一律”，切实提高违法成本。各部门要落实“三个必须”。",
        (2, "压实部门监管责任"),
        "部门。",
        (2, "压实企业主体责任"),
        "企业。",
    )
    assert not found(d, "E225")


def test_e225_a_set_cited_in_a_clause_announces_nothing() -> None:
    # found by the property test: an outline's department-duty line, then five sector lines
    five = [
        f"{n}是{s}安全。"
        for n, s in zip("一二三四五", ("道路交通", "消防", "危化品", "建筑", "烟花"), strict=True)
    ]
    cited = speech(
        "各部门务必按照“三个必须”的要求，切实履行好安全生产的监管职责。", "企业。", *five
    )
    assert not found(cited, "E225")
    # the set as the last words of its paragraph still announces its parts
    bare = speech("各部门要落实“三个必须”。", *five)
    got = found(bare, "E225")
    assert len(got) == 1 and "5点" in got[0].message
    tail = speech("各部门要落实“三个必须”要求。", *five)
    assert len(found(tail, "E225")) == 1


def test_e225_a_few_points_need_at_least_two() -> None:
    bad = speech("我强调以下几点：", (1, "抓排查"), "要排查。")
    assert len(found(bad, "E225")) == 1
    good = speech("我强调以下几点：", (1, "抓排查"), "要排查。", (1, "抓整改"), "要整改。")
    assert not found(good, "E225")


def test_e228_first_without_second() -> None:
    d = speech((1, "抓排查"), "一是要全面排查。要建立台账。", (1, "抓整改"), "二是要整改到位。")
    got = found(d, "E228")
    assert len(got) == 1 and "“一是”" in got[0].message and got[0].location.startswith("段5")


@pytest.mark.parametrize(
    "paragraphs",
    [
        ["一是要全面排查，二是要整改到位。"],
        ["一是要全面排查。", "建立台账。", "二是要整改到位。"],
        ["第一，要排查。第二，要整改。"],
        ["一要排查；二要整改。"],
    ],
)
def test_e228_clean(paragraphs: list[str]) -> None:
    assert not found(speech((1, "抓排查"), *paragraphs), "E228")


def test_e228_in_a_hand_written_docx(tmp_path: Path) -> None:
    path = write_docx(
        tmp_path / "稿.docx",
        [
            "在全县安全生产工作会议上的讲话",
            "同志们：",
            "一要提高认识。安全生产是头等大事。",
            "谢谢大家！",
        ],
    )
    got = [f for f in check_docx(path, formats=False) if f.code == "E228"]
    assert len(got) == 1 and "“一要”" in got[0].message


# --------------------------------------------------------------------------- context


def test_context_levels_come_from_kinds_and_vocabulary() -> None:
    from speechgen import kinds
    from speechgen.check.context import LEVELS, normalise_level
    from speechgen.compose.vocabulary import vocabulary

    for lv in kinds.LEVELS:
        code = normalise_level(lv)
        assert code in LEVELS and vocabulary(lv)["self"] == "我" + code


@pytest.mark.parametrize("level,flagged", [("市", True), ("县级市", False)])
def test_e242_given_prefecture_or_county_level_city(level: str, flagged: bool) -> None:
    d = speech("各镇（街道）要开展隐患排查。", title=CITY, level=level)
    assert bool(found(d, "E242")) is flagged


def test_e228_a_paragraphs_own_list_does_not_end_the_outer_run() -> None:
    d = speech(
        (1, "认清形势"),
        "一是分析形势，查找原因",
        "我们存在几种“病”。一是红线意识不强。二是思想认识不到位。",
        "二是深化整治，把安全之要抓得更实",
    )
    assert not found(d, "E228")


# --------------------------------------------------------------------------- hand-written .docx


def test_rules_on_a_hand_written_company_speech(tmp_path: Path) -> None:
    """A company speech typed in Word: figures up, praise, a county's words, a wrong self-word."""
    path = write_docx(
        tmp_path / "公司.docx",
        [
            "在全公司安全生产工作会议上的讲话",
            "（2024年7月10日）",
            "各位同事：",
            "上半年，全公司共发生各类生产安全事故3起，同比增加1起，受伤2人。",
            "成绩来之不易，我代表公司向大家表示感谢。",
            "安全生产事关经济社会发展大局，我县各车间要严格落实。",
            "各车间、各班组要把责任落实到每一个岗位。",
        ],
    )
    got = [(f.code, f.location.split("「")[0]) for f in check_docx(path, formats=False)]
    assert ("E240", "段5") in got
    assert ("E243", "段6") in got and ("E242", "段6") in got
    assert not [c for c, where in got if where == "段7"]


def test_rules_on_a_clean_hand_written_speech(tmp_path: Path) -> None:
    path = write_docx(
        tmp_path / "县.docx",
        [
            "在全县第二季度安全生产工作会议上的讲话",
            "（2024年4月10日）",
            "同志们：",
            "一季度，全县共发生生产安全事故12起，同比下降20%，死亡3人，同比持平。成绩来之不易。",
            "一、抓好汛期准备",
            "五一、端午将至，汛期即将来临，要落实防汛值班，加强雨情研判。",
            "二、压实属地责任",
            "各乡镇要落实属地责任，督促各村（社区）开展自查。",
        ],
    )
    codes = {f.code for f in check_docx(path, formats=False)}
    assert not codes & set(SITUATION_CODES + ("E228",)), codes
