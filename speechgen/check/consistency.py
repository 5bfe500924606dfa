"""W201–W206: things that contradict the document's own date, quarter, year
or level, and figures that do not add up (warnings: a person must look).

The context (year, quarter, level, meeting date) comes from
:func:`.context.infer_context`; a rule that needs a value the document does
not reveal says nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from .context import Context
from .records import Record
from .registry import para_rule
from .textutil import snippet

_SENTENCE = re.compile(r"[^。；;！!？?\n]+")
_ACCIDENT_WORDS = re.compile(
    r"发生|事故|爆炸|火灾|坍塌|垮塌|中毒|窒息|泄漏|透水|滑坡|燃爆|爆燃|着火|起火|死亡|遇难|受伤|失联"
)
# Starts at a year, a year word or the month's digits (never at a space: a run
# of spaces would then be rescanned from each of its positions).
_DAY = re.compile(
    r"(?:(?:((?:19|20)\d{2})\s*年|(今年|去年|前年|当年))\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日"
)
_NOT_EVENT_AFTER = re.compile(
    r"\s*(?:前|以前|之前|起|开始|至|到|—|-|～|~|召开|举行|印发|出台|施行|实施)"
)


@para_rule(
    "W201",
    "事故日期晚于会议",
    "讲话中引用的事故日期不能晚于会议日期（常见于套用旧稿或年份写错）。",
    skip_kinds={"header", "footer", "subtitle", "date", "title", "imprint", "signature"},
    needs="日",
)
def accident_after_meeting(rec: Record, ctx: Context) -> Iterator[str]:
    limit = ctx.latest_meeting_date
    if limit is None:
        return
    year0 = ctx.year or limit.year
    text = rec.text
    for s in _SENTENCE.finditer(text):
        sent = s.group(0)
        if not _ACCIDENT_WORDS.search(sent):
            continue
        for m in _DAY.finditer(sent):
            if _NOT_EVENT_AFTER.match(sent, m.end()):
                continue
            if not _ACCIDENT_WORDS.search(sent, m.end(), m.end() + 60):
                continue
            if m.group(1):
                y = int(m.group(1))
            elif m.group(2) == "去年":
                y = year0 - 1
            elif m.group(2) == "前年":
                y = year0 - 2
            else:
                y = year0
            try:
                when = dt.date(y, int(m.group(3)), int(m.group(4)))
            except ValueError:
                continue
            if when > limit:
                what = "会议日期" if ctx.date else f"会议所在的第{ctx.quarter}季度末"
                yield (
                    f"引用的事故日期{when.year}年{when.month}月{when.day}日晚于{what}"
                    f"（{limit.year}年{limit.month}月{limit.day}日）："
                    + snippet(text, s.start() + m.start(), s.start() + m.end())
                )


#: words that cannot belong to a speech of the given quarter
SEASON_CLASH: dict[int, tuple[str, ...]] = {
    1: ("中秋", "国庆", "暑期", "暑假", "高温", "秋季开学", "下半年入学", "秋收", "三伏"),
    2: ("中秋", "国庆", "元旦", "岁末年初", "年末岁尾", "入冬", "冬季", "秋冬季", "春运"),
    3: ("春节", "元旦", "岁末年初", "年末岁尾", "春运", "冬季", "春季", "冬春季", "两会"),
    4: ("五一", "端午", "清明", "春季", "暑期", "暑假", "夏季", "三伏"),
}

#: any season word of any quarter (W202's necessary condition)
_ANY_SEASON = re.compile("|".join(sorted({w for ws in SEASON_CLASH.values() for w in ws})))


@para_rule(
    "W202",
    "季节与季度不符",
    "季节、节日用语与会议所在季度矛盾（第一季度讲话中出现“中秋、国庆”），多是套用旧稿。",
    skip_kinds={"header", "footer"},
    needs=_ANY_SEASON,
)
def season_clash(rec: Record, ctx: Context) -> Iterator[str]:
    if not ctx.quarter:
        return
    text = rec.text
    for word in SEASON_CLASH.get(ctx.quarter, ()):
        i = text.find(word)
        if i >= 0:
            yield f"第{ctx.quarter}季度的文稿中出现“{word}”：" + snippet(text, i, i + len(word))


#: (pattern, first year, last year, what)
EVENTS: tuple[tuple[str, int, int, str], ...] = (
    (
        r"建党\s*(?:100|一百)\s*周年|建党百年|中国共产党成立\s*(?:100|一百)\s*周年",
        2021,
        2021,
        "建党100周年",
    ),
    (r"建党\s*(?:95|九十五)\s*周年", 2016, 2016, "建党95周年"),
    (r"建党\s*(?:90|九十)\s*周年", 2011, 2011, "建党90周年"),
    (r"(?:新中国成立|建国)\s*(?:70|七十)\s*周年", 2019, 2019, "新中国成立70周年"),
    (r"(?:新中国成立|建国)\s*(?:75|七十五)\s*周年", 2024, 2024, "新中国成立75周年"),
    (
        r"迎接党的二十大|喜迎二十大|即将召开的党的二十大|党的二十大(?:即将)?召开前|将召开党的二十大",
        2021,
        2022,
        "迎接党的二十大",
    ),
    (r"党的二十大", 2021, 9999, "党的二十大"),
    (r"迎接党的十九大|喜迎十九大|即将召开的党的十九大", 2016, 2017, "迎接党的十九大"),
    (r"党的十九大", 2016, 9999, "党的十九大"),
    (r"二十届三中全会", 2024, 9999, "党的二十届三中全会"),
    (r"十三五\s*(?:规划)?\s*开局", 2016, 2016, "“十三五”开局之年"),
    (r"十四五\s*(?:规划)?\s*开局", 2021, 2021, "“十四五”开局之年"),
    (r"十五五\s*(?:规划)?\s*开局", 2026, 2026, "“十五五”开局之年"),
    (r"十四五", 2019, 2026, "“十四五”"),
    (r"十五五", 2024, 9999, "“十五五”"),
    (r"疫情防控|新冠肺炎|新冠疫情|常态化防控", 2020, 2023, "新冠疫情防控"),
    (r"机构改革过渡期|机改过渡期", 2018, 2019, "机构改革过渡期"),
    (r"治本攻坚三年行动", 2024, 2026, "安全生产治本攻坚三年行动"),
)


_EVENT_RES = tuple((re.compile(p), a, b) for p, a, b, _w in EVENTS)
# any of them anywhere: most paragraphs name no event, and one scan tells (an exact filter)
_ANY_EVENT = re.compile("|".join(f"(?:{p})" for p, _a, _b, _w in EVENTS))


def _years(a: int, b: int) -> str:
    if a == b:
        return f"{a}年"
    if b >= 9999:
        return f"{a}年以后"
    return f"{a}—{b}年"


@para_rule(
    "W203",
    "事件与年份不符",
    "文中提到的纪念日、会议、规划期与文档年份矛盾（2024年的讲话里写“建党100周年”）。",
    skip_kinds={"header", "footer"},
    needs=_ANY_EVENT,
)
def event_clash(rec: Record, ctx: Context) -> Iterator[str]:
    if not ctx.year:
        return
    text = rec.text
    if _ANY_EVENT.search(text) is None:
        return
    covered: list[tuple[int, int]] = []
    for rx, first, last in _EVENT_RES:
        for m in rx.finditer(text):
            if any(a <= m.start() and m.end() <= b for a, b in covered):
                continue
            covered.append((m.start(), m.end()))
            if not first <= ctx.year <= last:
                yield (
                    f"“{m.group(0)}”对应{_years(first, last)}，与文档年份{ctx.year}年不符："
                    + snippet(text, m.start(), m.end())
                )
            break


#: (pattern, last year the name was right, current name); see research/domain.md §3.4
DEFUNCT: tuple[tuple[str, int, str], ...] = (
    (
        r"安全生产监督管理局|安监局|安监部门|安监站|安监所|安监大队",
        2018,
        "应急管理局（2018年机构改革）",
    ),
    (r"质量技术监督局|质监局|质监部门|质监(?!站)", 2018, "市场监督管理局（2018年机构改革）"),
    (r"工商行政管理局|工商局|工商部门", 2018, "市场监督管理局（2018年机构改革）"),
    (r"食品药品监督管理局|食药监局|食药监", 2018, "市场监督管理局（2018年机构改革）"),
    (r"公安消防", 2018, "消防救援机构（2018—2019年消防体制改革）"),
    (r"国土资源局|国土局|国土部门|国土所", 2018, "自然资源局（2018年机构改革）"),
    (r"卫生和计划生育委员会|卫计委|卫计局|卫生计生委", 2018, "卫生健康委员会（2018年机构改革）"),
    (r"环境保护局|环保局", 2018, "生态环境局（2018年机构改革）"),
)
#: (pattern, first year the name existed, what it replaced)
NOT_YET: tuple[tuple[str, int, str], ...] = (
    (r"应急管理局|应急管理部|应急局", 2018, "安全生产监督管理局"),
    (r"消防救援", 2018, "公安消防"),
    (r"自然资源局|自然资源部", 2018, "国土资源局"),
    (r"卫生健康委|卫健委|卫健局", 2018, "卫生计生委"),
    (r"生态环境局", 2018, "环境保护局"),
)


_DEFUNCT_RES = tuple((re.compile(p), y, now) for p, y, now in DEFUNCT)
_NOT_YET_RES = tuple((re.compile(p), y, before) for p, y, before in NOT_YET)
_ANY_DEPARTMENT = re.compile("|".join(f"(?:{p})" for p, _y, _x in DEFUNCT + NOT_YET))


@para_rule(
    "W204",
    "部门名称与年份不符",
    "2018年机构改革后不再存在的部门（安监局、质监局、公安消防、国土局……），或改革前还没有的部门（应急管理局），与文档年份不符。",
    skip_kinds={"header", "footer"},
    needs=_ANY_DEPARTMENT,
)
def department_clash(rec: Record, ctx: Context) -> Iterator[str]:
    if not ctx.year:
        return
    text = rec.text
    if _ANY_DEPARTMENT.search(text) is None:
        return
    for rx, last, now in _DEFUNCT_RES:
        if ctx.year > last:
            m = rx.search(text)
            if m:
                yield (
                    f"“{m.group(0)}”在{ctx.year}年已不存在，现为{now}："
                    + snippet(text, m.start(), m.end())
                )
    for rx, first, before in _NOT_YET_RES:
        if ctx.year < first:
            m = rx.search(text)
            if m:
                yield (
                    f"“{m.group(0)}”{first}年才设立（此前为{before}），与文档年份{ctx.year}年不符："
                    + snippet(text, m.start(), m.end())
                )


#: self-reference words that contradict a level (a 县 document may say 我市 of its city)
LEVEL_CLASH: dict[str, tuple[str, ...]] = {
    "县": ("我区", "本区", "我镇", "本镇", "我乡", "我司", "我公司"),
    "区": ("我县", "本县", "我镇", "本镇", "我乡", "我司", "我公司"),
    "市": ("我县", "本县", "我区", "本区", "我镇", "我乡", "我司", "我公司"),
    "镇": ("我区", "本区", "我司", "我公司"),
    "司": (),
}
LEVEL_NAMES = {"县": "县", "区": "区", "市": "市", "镇": "乡镇", "司": "公司"}
#: characters after a self-word that make it another word (本区域, 本市场, 我市场)
_NOT_SELF_AFTER = "域块段间场民容政"


def find_self_word(text: str, word: str) -> int:
    """The offset of the self-word ``word`` (我县, 本区) in ``text``, -1 when absent
    (本区域 and 本市场 are not self-words)."""
    i = text.find(word)
    while i >= 0:
        after = text[i + len(word) : i + len(word) + 1]
        if not after or after not in _NOT_SELF_AFTER:
            return i
        i = text.find(word, i + 1)
    return -1


@para_rule(
    "W205",
    "层级用语不符",
    "自称与文档的层级矛盾（市里的讲话写“我县”），多是套用其他单位的稿子。",
    skip_kinds={"header", "footer"},
    needs="我本",
)
def level_clash(rec: Record, ctx: Context) -> Iterator[str]:
    if not ctx.level or ctx.level_clear:
        return  # a level beyond doubt: E242 (situation_rules.py) reports it as an error
    text = rec.text
    for word in LEVEL_CLASH.get(ctx.level, ()):
        i = find_self_word(text, word)
        if i >= 0:
            yield (
                f"{LEVEL_NAMES.get(ctx.level, ctx.level)}级文稿中出现“{word}”："
                + snippet(text, i, i + len(word))
            )


_NUM = r"(\d+)"
_TOTAL = re.compile(
    r"(?:共|累计|合计|总共|全年)?发生[^。；;，,]{0,24}?事故\s*" + _NUM + r"\s*起"
    r"(?:[^。；;]{0,30}?(?:死亡\s*" + _NUM + r"\s*人|" + _NUM + r"\s*人死亡))?"
)
_TREND = re.compile(
    r"同比(?:增加|减少|下降|上升|持平)\s*\d*(?:\.\d+)?\s*(?:起|人|%|％|个百分点)?|比同期[^，。；]*"
)
_DEATHS = re.compile(r"死亡\s*(\d+)\s*人|(?<!\d)(\d+)\s*人死亡|起\s*(\d+)\s*人")
_COUNTS = re.compile(r"(?<!\d)(\d+)\s*起")
#: how far after "其中" the breakdown of a total is read (keeps the rule linear)
_BREAKDOWN_CHARS = 400
#: more digits than any count of accidents or deaths (and than int() accepts by default)
_MAX_DIGITS = 9


@para_rule(
    "W206",
    "分项之和与总数不符",
    "“共发生事故3起，死亡5人。其中……”后面分项列出的起数或死亡人数相加应等于总数。",
    skip_kinds={"header", "footer"},
    needs="其",
)
def sums(rec: Record, ctx: Context) -> Iterator[str]:
    text = rec.text
    for m in _TOTAL.finditer(text):
        deaths = m.group(2) or m.group(3)
        if len(m.group(1)) > _MAX_DIGITS or len(deaths or "") > _MAX_DIGITS:
            continue
        total_n = int(m.group(1))
        total_d = int(deaths) if deaths else None
        k = text.find("其中", m.end(), m.end() + 40)
        if k < 0:
            continue
        end = text.find("。", k, k + _BREAKDOWN_CHARS)
        part = text[k : end if end >= 0 else k + _BREAKDOWN_CHARS]
        part = _TREND.sub("", part)
        ds = [next(g for g in x.groups() if g) for x in _DEATHS.finditer(part)]
        cs = [x.group(1) for x in _COUNTS.finditer(part)]
        if any(len(d) > _MAX_DIGITS for d in (*ds, *cs)):
            continue
        ds = [int(d) for d in ds]
        cs = [int(c) for c in cs]
        if total_d is not None and len(ds) >= 2 and sum(ds) != total_d:
            yield (
                f"死亡人数分项之和{'+'.join(map(str, ds))}={sum(ds)}，与总数{total_d}人不符："
                + snippet(text, m.start(), min(len(text), k + len(part)), 0)[:60]
            )
        if len(cs) >= 2 and sum(cs) != total_n:
            yield (
                f"事故起数分项之和{'+'.join(map(str, cs))}={sum(cs)}，与总数{total_n}起不符："
                + snippet(text, m.start(), min(len(text), k + len(part)), 0)[:60]
            )
