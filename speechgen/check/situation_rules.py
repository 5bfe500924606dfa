"""E240–E245, W240: a speech or outline that contradicts its own situation.

The same facts the composer decides by (research/situation.md), read back from
any text, generated or hand-written:

- E240: praise or 平稳/向好 in a document whose own figures rose (事故起数 or
  死亡人数 同比上升/增加, 不降反升);
- E241: a seasonal or holiday word whose window lies wholly behind the
  document's date, or far beyond the horizon it speaks for (the calendar is
  :mod:`speechgen.calendar`: :data:`~speechgen.calendar.WORDS`,
  :func:`~speechgen.calendar.horizon`, :func:`~speechgen.calendar.windows`);
  retrospective sentences (去年, 以来, 期间……发生了) are not forward claims;
- E242: a level's self-word or sub-units in another level's document (我县 in
  a 全市 document, 各村（社区） as the addressees of a county meeting, 各乡镇 in
  a prefecture-level city's);
- E243: a county's words in a company document (经济社会发展大局, 属地管理);
- E244: 执法 or 新闻发布 assigned by a township (it has neither);
- E245: a level prefix glued onto a collective noun (区各镇街, 镇各村);
- W240: a level-1 or level-2 heading none of whose key words appears in the
  part under it (a heuristic: a person must look).

Only speeches and outlines are read (a title with 讲话/提纲/发言, or no title
and a 同志们); a rule that needs a value the document does not reveal (its
date, its level, its figures) says nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from .. import calendar
from .consistency import LEVEL_CLASH, SEASON_CLASH, find_self_word
from .context import TOWNSHIP_WORDS, Context, quarter_of
from .numbering import FORMAL_DEPTH, initial_marker, is_standalone
from .records import FLOW_KINDS, Record
from .registry import doc_rule, para_rule
from .textutil import snippet

#: record kinds whose text is the running speech
TEXT_KINDS = FLOW_KINDS | {"title"}
_SENTENCE = re.compile(r"[^。！？；!?;]+[。！？；!?;]*")
_SPEECH_TITLE = re.compile(r"讲话|提纲|发言|致辞")


def _is_speech(records: list[Record], ctx: Context) -> bool:
    if ctx.title:
        return bool(_SPEECH_TITLE.search(ctx.title))
    return any(
        r.kind == "salutation" or (r.kind in FLOW_KINDS and "同志们" in r.text) for r in records
    )


def _flow(records: list[Record]) -> list[Record]:
    return [r for r in records if r.kind in FLOW_KINDS]


def sentences(text: str) -> Iterator[tuple[int, str]]:
    """(offset, sentence) of each sentence of ``text`` (split at 。！？；)."""
    for m in _SENTENCE.finditer(text):
        yield m.start(), m.group(0)


# --------------------------------------------------------------------------- E240

#: the document's own scope (its figures), and another's (全国 figures are not its own)
_OWN = re.compile(r"[全我本][县区市镇乡旗]|全公司|我司|我公司|本公司|全司|全厂|我厂")
_OTHER = re.compile(r"全国|全省|国内|省内|周边|各地|兄弟|外地|全世界|全球")
_INDICATOR = re.compile(r"(事故起数|起数|事故|亡人|死亡人数|死亡|伤亡|受伤|经济损失|损失|隐患)")
_COMPARE = r"(?:同比|比去年同期|较去年同期|比上年同期|较上年同期|与去年同期相比|比去年|较去年|比上年|较上年)"
_UP = re.compile(
    _COMPARE + r"[^，,。；;]{0,6}?(上升|增加|增长|攀升|增多)|不降反升|双上升|“双升”|全面上升"
)
_NOT_UP = re.compile(
    r"(遏制|扭转|防止|杜绝|避免|控制)[^，。；]{0,8}(上升|增加|增长)|(未|没有|不)(上升|增加|增长)"
)
_SUBJECTS = {"accidents": "事故起数", "deaths": "死亡人数"}


@dataclass(frozen=True)
class Rise:
    record: Record
    what: str  # 事故起数 / 死亡人数 / 事故起数、死亡人数
    phrase: str


def _kind(word: str) -> str:
    if word in ("事故起数", "起数", "事故"):
        return "accidents"
    if word in ("死亡人数", "死亡", "亡人", "伤亡"):
        return "deaths"
    return "other"


def _subjects(clause: str) -> list[str]:
    """The indicators a clause's verb speaks of: the last one named before it and those
    enumerated with it (事故起数、死亡人数和经济损失不降反升); injuries, loss and hazards
    are ``other``."""
    found = list(_INDICATOR.finditer(clause))
    if not found:
        return []
    out = [_kind(found[-1].group(1))]
    for prev, cur in zip(reversed(found[:-1]), reversed(found[1:]), strict=True):
        if not re.fullmatch(r"[、和及与,，\s]{1,2}|以及", clause[prev.end() : cur.start()]):
            break
        out.insert(0, _kind(prev.group(1)))
    return out


def rises(records: list[Record]) -> list[Rise]:
    """The statements that the document's own 事故起数 or 死亡人数 rose."""
    out: list[Rise] = []
    for rec in _flow(records):
        scope_own = True  # a paragraph without a scope word speaks of the document's own area
        for _, sent in sentences(rec.text):
            if _OWN.search(sent):
                scope_own = True
            elif _OTHER.search(sent):
                scope_own = False
            if not scope_own:
                continue
            prev_clause = ""
            for clause in re.split(r"[，,：:]", sent):
                m = _UP.search(clause)
                if not m or _NOT_UP.search(clause):
                    prev_clause = clause
                    continue
                head = clause[: m.start()]
                subj = _subjects(head)
                if not subj and m.group(0) not in ("不降反升", "双上升", "“双升”"):
                    # 发生事故15起、死亡8人，同比分别上升25%和33%
                    subj = _subjects(prev_clause)
                    if "分别" in clause:
                        subj = [_kind(x.group(1)) for x in _INDICATOR.finditer(prev_clause)]
                elif m.group(0) in ("不降反升", "双上升", "“双升”", "全面上升") and not subj:
                    subj = ["accidents", "deaths"]
                hit = [s for s in dict.fromkeys(subj) if s in _SUBJECTS]
                if hit:
                    out.append(Rise(rec, "、".join(_SUBJECTS[s] for s in hit), clause.strip()))
                prev_clause = clause
    return out


_PRAISE = re.compile(
    r"成绩来之不易|来之不易|成绩的取得|这些成绩|取得了?[^，。；]{0,6}(?:成绩|成效)|肯定成绩"
    r"|感谢|谢意|慰问|问候"
    r"|总体平稳|平稳向好|持续向好|稳中向好|总体向好|向好|明显好转|持续好转|稳定好转|进一步好转|好转"
    r"|总体稳定|基本稳定|平稳"
)
#: a goal (保持……向好) or a hedge (稳中向好的基础还不牢固) is not a claim
_GOAL = re.compile(
    r"(促进|确保|保持|推动|推进|实现|力争|努力|争取|促使|维护|巩固|全力|为|以|保障|迎接|营造|即使|如果|才能|要)[^，。；]{0,14}$"
)
_HEDGE = re.compile(
    r"^[^。；]{0,12}(基础还不牢固|基础不牢|基础还不稳固|还不牢固|仍需巩固|不稳固|是暂时的)"
)
_CONDOLE = re.compile(r"善后|安抚|伤员|伤者|遇难|死者|伤亡人员|受伤人员")


def _praise_claims(text: str) -> Iterator[re.Match]:
    for m in _PRAISE.finditer(text):
        start = max(text.rfind(c, 0, m.start()) for c in "。；！？") + 1
        before = text[start : m.start()]
        if _GOAL.search(before) or _HEDGE.match(text[m.end() :]):
            continue
        word = m.group(0)
        if word in ("慰问", "问候", "感谢") and _CONDOLE.search(
            text[start : text.find("。", m.end()) if "。" in text[m.end() :] else len(text)]
        ):
            continue
        yield m


@doc_rule(
    "E240",
    "数字上升仍讲成绩",
    "本文自己的事故起数或死亡人数同比上升（不降反升），就不能再讲成绩、平稳、向好、感谢、慰问。",
)
def praise_after_rise(records: list[Record], ctx: Context) -> Iterator[tuple[Record, str]]:
    if not _is_speech(records, ctx):
        return
    up = rises(records)
    if not up:
        return
    first = up[0]
    where = f"段{first.record.index}"
    what = "、".join(
        dict.fromkeys(w for r in up if r.record is first.record for w in r.what.split("、"))
    )
    for rec in _flow(records):
        for m in _praise_claims(rec.text):
            yield (
                rec,
                f"{where}写明{what}上升（“{first.phrase[:24]}”），这里却说“{m.group(0)}”："
                + snippet(rec.text, m.start(), m.end()),
            )


# --------------------------------------------------------------------------- E241

#: the days a forward word may lie beyond the horizon (“far beyond” starts after this)
FORWARD_SLACK = dt.timedelta(days=30)
_KIND_OF_TITLE = (("紧急", "emergency"), ("季度", "quarterly"))
#: a sentence that looks back: its seasonal words are not forward claims
_RETRO = re.compile(
    r"去年|前年|上年|以来|刚刚|刚过|已过|过去|回顾|前期|此前|前段|前一阶段|度过了|平安度过|顺利度过|圆满"
    r"|期间[^。；]{0,30}(?:未发生|没有发生|发生了|发生|开展了|取得|实现了|确保了|检查了|排查了)"
    r"|(?:19|20)\d{2}\s*年|\d{1,2}\s*月\s*\d{1,2}\s*日|通报了|召开了"
)
_AFTER_WORD = re.compile(r"[”\"]?(?:后|过后|以后|之后|结束|收假|假期结束)")
#: a word that names a process, not a season: 高温熔融金属, 高温高压设备
_NOT_SEASON_AFTER: dict[str, re.Pattern] = {
    "高温": re.compile(r"熔融|高压|液|炉|介质|管道|设备|部件|物料|蒸汽|烟气"),
}
#: 五一节前、国庆前: a deadline, not a claim that the window is near
_BEFORE_WORD = re.compile(r"[”\"]?(?:节前|前|之前|以前)")


#: a sentence that says a window is near or under way (an annual meeting's plan for
#: the year may name 汛期 months ahead; it may not say 即将进入主汛期 in January)
_NEAR = re.compile(r"即将|将至|临近|来临|到来|当前|正值|目前|眼下|马上|近期|就要|进入")
_ANNUAL_TITLE = re.compile(r"年度|全年|(?:19|20)\d{2}年(?:度)?全?[县区市镇乡]?安全生产工作会议")


@dataclass(frozen=True)
class Period:
    """The days a document speaks for: from its date to its horizon."""

    date: dt.date
    until: dt.date
    how: str  # what the date was read from, for messages
    annual: bool = False  # a meeting for the year: only near claims beyond the horizon count


def period_of(ctx: Context) -> Period | None:
    """The document's date (or its title's quarter) and the horizon it speaks for."""
    kind = next((k for w, k in _KIND_OF_TITLE if w in ctx.title), "other")
    title_q = quarter_of(ctx.title) if ctx.title else None
    if ctx.date:
        until = calendar.horizon(ctx.date, kind, title_q if kind == "quarterly" else None)
        d = ctx.date
        annual = kind == "other" and bool(_ANNUAL_TITLE.search(ctx.title))
        return Period(d, until, f"{d.year}年{d.month}月{d.day}日的文稿", annual)
    # no date: the quarter of the title or of the opening (召开……第一季度……会议)
    title_q = title_q or ctx.quarter
    if title_q and ctx.year:
        # the day is unknown: from the quarter's first day to the horizon of its last
        start = dt.date(ctx.year, 3 * title_q - 2, 1)
        until = calendar.horizon(calendar.quarter_end(ctx.year, title_q), "other")
        return Period(start, until, f"第{title_q}季度的文稿")
    return None


def _span(w: calendar.Window) -> str:
    if w.start == w.end:
        return f"{w.start.year}年{w.start.month}月{w.start.day}日"
    end = f"{w.end.month}月{w.end.day}日"
    if w.end.year != w.start.year:
        end = f"{w.end.year}年" + end
    return f"{w.start.year}年{w.start.month}月{w.start.day}日—{end}"


@lru_cache(maxsize=4096)
def window_status(name: str, date: dt.date, until: dt.date) -> tuple[str, calendar.Window | None]:
    """``ok``, ``behind`` (wholly before ``date``) or ``beyond`` (after ``until`` + slack)."""
    if not calendar.FIRST_YEAR <= date.year <= calendar.LAST_YEAR:
        return "ok", None
    found = [
        w
        for y in range(date.year - 1, until.year + 2)
        for w in calendar.windows(y)
        if w.name == name
    ]
    found = list({(w.start, w.end): w for w in found}.values())
    if not found or any(w.overlaps(date, until + FORWARD_SLACK) for w in found):
        return "ok", None
    past = max((w for w in found if w.end < date), key=lambda w: w.end, default=None)
    future = min((w for w in found if w.start > until), key=lambda w: w.start, default=None)
    if past and (future is None or (date - past.end) <= (future.start - until)):
        return "behind", past
    if future:
        return "beyond", future
    return "ok", None


@lru_cache(maxsize=1)
def _word_pattern() -> tuple[re.Pattern, dict[str, str]]:
    owner = {w: name for name, words in calendar.WORDS.items() for w in words}
    words = sorted(owner, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words)), owner


def season_findings(text: str, period: Period, skip: tuple[str, ...] = ()) -> Iterator[str]:
    """E241 messages for one paragraph; words in ``skip`` are left to another rule."""
    pattern, owner = _word_pattern()
    for off, sent in sentences(text):
        if _RETRO.search(sent):
            continue
        for m in pattern.finditer(sent):
            if m.group(0) in skip:
                continue
            not_season = _NOT_SEASON_AFTER.get(m.group(0))
            if not_season is not None and not_season.match(sent, m.end()):
                continue
            if _AFTER_WORD.match(sent, m.end()):
                continue  # 春节后、节后: the days after the holiday, not the holiday
            status, w = window_status(owner[m.group(0)], period.date, period.until)
            if w is None:
                continue
            if status == "beyond" and (
                _BEFORE_WORD.match(sent, m.end()) or (period.annual and not _NEAR.search(sent))
            ):
                continue
            at = snippet(text, off + m.start(), off + m.end())
            if status == "behind":
                yield f"{period.how}中出现“{m.group(0)}”，而{w.name}（{_span(w)}）已经过去：{at}"
            else:
                u = period.until
                yield (
                    f"{period.how}（所讲时段至{u.year}年{u.month}月{u.day}日）中出现“{m.group(0)}”，"
                    f"而{w.name}（{_span(w)}）还远：{at}"
                )


@doc_rule(
    "E241",
    "时令节日与日期不符",
    "按文稿日期（标题下的日期、成文日期或标题中的季度），已经过去的节日时段（3月18日的讲话写“春节、春运”）"
    "或远在所讲时段之后的时段（1月的讲话写“主汛期”）不能作为当前或即将到来的工作来讲；"
    "回顾性的句子（去年、以来、期间……发生了）不算。",
)
def season_outside_window(records: list[Record], ctx: Context) -> Iterator[tuple[Record, str]]:
    if not _is_speech(records, ctx):
        return
    period = period_of(ctx)
    if period is None:
        return
    # without a date the quarter's clashes are W202's (consistency.py): not said twice
    skip = () if ctx.date else SEASON_CLASH.get(ctx.quarter or 0, ())
    for rec in records:
        if rec.kind not in TEXT_KINDS:
            continue
        for msg in season_findings(rec.text, period, skip):
            yield rec, msg


# --------------------------------------------------------------------------- E242–E245

LEVEL_NAMES = {"县": "县", "区": "区", "市": "市", "镇": "乡镇", "司": "公司"}
#: a company's self-words are not in LEVEL_CLASH (a county may cite 我司 … never); here they are
_COMPANY_CLASH = ("我县", "本县", "我区", "本区", "我市", "本市", "我镇", "本镇", "我乡")
#: the sub-units a level's document cannot address, with the words that make it a chain
#: (各乡镇、各村（社区）: a county speaking down two levels)
_SUB_CLASH: dict[str, tuple[re.Pattern, re.Pattern]] = {
    "市": (
        re.compile(r"各乡镇（街道）|各乡镇|各镇（街道）|各镇街|各街镇|各村（社区）"),
        re.compile(r"县（市、区）|县\(市、区\)|县市区|各县区|全市各"),
    ),
    "县": (re.compile(r"各村（社区）|各村、"), re.compile(r"乡镇|镇街|街道|村（社区）干部|村级")),
    "区": (re.compile(r"各村（社区）|各村、"), re.compile(r"镇街|街镇|乡镇|街道|村级")),
}
_SUB_LEVEL_NAME = {"市": "地级市", "县": "全县", "区": "全区"}


def _self_clashes(level: str) -> tuple[str, ...]:
    return _COMPANY_CLASH if level == "司" else LEVEL_CLASH.get(level, ())


@doc_rule(
    "E242",
    "层级用语错位",
    "文稿的层级清楚（标题写“全市”“全县”，或通篇是“我县”）时，出现另一级的自称（全市会议上讲“我县”），"
    "或讲话布置另一级的下属单位（地级市的讲话布置“各乡镇”，全县会议布置“各村（社区）”）；"
    "乡的文稿自称“全镇”（镇的文稿自称“全乡”）也算。",
)
def level_words(records: list[Record], ctx: Context) -> Iterator[tuple[Record, str]]:
    if not ctx.level or not ctx.level_clear:
        return
    level = ctx.level
    subs = level in _SUB_CLASH and _is_speech(records, ctx)
    if level == "市" and not ctx.prefecture:
        subs = False  # 市 may be a county-level city, whose 各镇（街道） are right
    township = ctx.township  # set for a 镇-level document only
    asked = (level, subs, township)
    for rec in records:
        if rec.kind in TEXT_KINDS:
            held = rec.level_found
            if held is not None and held[0] == asked:  # a record the batch shares
                msgs = held[1]
            else:
                msgs = _level_word_messages(rec.text, level, subs, township)
                rec.level_found = (asked, msgs)
            for msg in msgs:
                yield rec, msg


@lru_cache(maxsize=1024)
def _level_word_messages(
    text: str, level: str, subs: bool, township: str | None = None
) -> tuple[str, ...]:
    """E242's messages on one paragraph of a ``level`` document (``subs``: look for
    another level's sub-units too; ``township``: a township's word for itself, whose
    other word is then out of place); a batch repeats its paragraphs, so kept."""
    out: list[str] = []
    name = LEVEL_NAMES.get(level, level)
    for word in _self_clashes(level):
        i = find_self_word(text, word)
        if i >= 0:
            out.append(f"{name}级文稿中出现“{word}”：" + snippet(text, i, i + len(word)))
    if township is not None:
        other = "镇" if township == "乡" else "乡"
        m = TOWNSHIP_WORDS[other].search(text)
        if m:
            out.append(
                f"{township}级文稿中出现“{m.group(0)}”（本级自称“{township}”）："
                + snippet(text, m.start(), m.end())
            )
    if subs:
        bad, chain = _SUB_CLASH[level]
        for off, sent in sentences(text):
            if chain.search(sent):
                continue
            m = bad.search(sent)
            if m:
                out.append(
                    f"{_SUB_LEVEL_NAME[level]}的文稿直接布置“{m.group(0).rstrip('、')}”（不是本级的下属单位）："
                    + snippet(text, off + m.start(), off + m.end())
                )
    return tuple(out)


#: a county's words: a company speaks of 员工, 车间, 班组, 岗位 and its 主体责任
COUNTY_WORDS = re.compile(
    r"经济社会发展和稳定大局|经济社会发展大局|属地管理|属地责任|防汛和地质灾害防治任务艰巨"
    r"|党政同责|各乡镇|各镇街|各县（市、区）|县直各部门|区直各部门|市直各部门|行业监管部门要"
)


@doc_rule(
    "E243",
    "企业讲话用了政府的话",
    "公司的讲话（“我司”“全公司”）讲员工、车间、班组、岗位，不用县里的话（经济社会发展大局、属地管理、各乡镇、防汛和地质灾害防治任务艰巨）；"
    "开头称“各位同事”，结尾不称“同志们”。",
)
def company_voice(records: list[Record], ctx: Context) -> Iterator[tuple[Record, str]]:
    if not _is_speech(records, ctx) or ctx.level != "司" or not ctx.level_clear:
        return
    opening = next((r.text.strip() for r in records if r.kind == "salutation"), "")
    for rec in records:
        if rec.kind not in TEXT_KINDS:
            continue
        for m in COUNTY_WORDS.finditer(rec.text):
            yield (
                rec,
                f"公司的讲话中出现政府用语“{m.group(0)}”：" + snippet(rec.text, m.start(), m.end()),
            )
        if (
            "同事" in opening
            and rec.kind != "salutation"
            and rec.text.lstrip().startswith("同志们")
        ):
            yield (
                rec,
                f"开头称“{opening.rstrip('：:')}”，这里却称“同志们”：" + snippet(rec.text, 0, 3),
            )


_ENFORCE = re.compile(r"执法|行政处罚|行政许可|新闻发布|发布权威信息|发布信息")
#: the township reports, helps or names another's power: not its own
_NOT_OWN_POWER = re.compile(
    r"配合|协助|提请|报请|上报|移交|移送|抄告|没有[^，。；]{0,4}执法权|无执法权|执法权|执法部门|执法机关"
    r"|县[^，。；]{0,8}(?:部门|局|大队|中队)|区[^，。；]{0,8}(?:部门|局)|上级"
)


@doc_rule(
    "E244",
    "乡镇布置执法或新闻发布",
    "乡镇没有行政执法权和行政许可权，也不组织新闻发布：乡镇的讲话只能讲巡查、劝阻、上报、配合执法。",
)
def township_powers(records: list[Record], ctx: Context) -> Iterator[tuple[Record, str]]:
    if not _is_speech(records, ctx) or ctx.level != "镇" or not ctx.level_clear:
        return
    for rec in records:
        if rec.kind not in FLOW_KINDS:
            continue
        for off, sent in sentences(rec.text):
            if _NOT_OWN_POWER.search(sent):
                continue
            m = _ENFORCE.search(sent)
            if m:
                yield (
                    rec,
                    f"乡镇的讲话布置“{m.group(0)}”（乡镇没有执法权，也不组织新闻发布）："
                    + snippet(rec.text, off + m.start(), off + m.end()),
                )


#: a level prefix glued onto the collective noun of the units below (区各镇街, 镇各村)
GLUED = re.compile(
    r"(?:^|(?<=[，、。；：（“由和及与请对向将把在])|(?<=\s))"
    r"([县区市镇乡]各(?:乡镇|镇街|街镇|镇（街道）|镇|街道|村（社区）|村|社区|功能区|县（市、区）|县|车间))"
    r"|(区新区|县新区|市新区)"
)


@para_rule(
    "E245",
    "级别前缀粘在集合名词上",
    "“区各镇街”“镇各村”“县各乡镇”“区新区建设局”：级别前缀不加在“各……”前面，也不重复加在已带级别的名称前。",
    skip_kinds={"header", "footer"},
    needs="各新",
)
def glued_prefix(rec: Record, ctx: Context) -> Iterator[str]:
    for m in GLUED.finditer(rec.text):
        word = m.group(1) or m.group(2)
        right = word[1:]
        yield f"“{word}”多了级别前缀，应为“{right}”：" + snippet(rec.text, m.start(), m.end())


# --------------------------------------------------------------------------- W240

#: words of a heading that say how, not what (stripped before its key words are taken)
HEADING_STOP = tuple(
    sorted(
        """切实 全面 进一步 加强 抓好 扎实 强化 压实 压紧 深化 提升 狠抓 加大 力度 坚决 确保 着力 持续
        深入 严格 落实 推进 做好 突出 聚焦 筑牢 夯实 守住 认清 增强 健全 完善 开展 提高 推动 始终
        保持 全力 紧盯 坚持 改变 清醒 认识 消除 措施 不放松 不能停 要到位 要压实 再夯实 得更细 得更实 得更严 得更足 得更牢
        抓 盯 练 强 查 管 备 筑 要 把 将 以 为 的 和 与 及 之 更 再 各 安全生产 安全 生产 工作 进一步""".split(),
        key=len,
        reverse=True,
    )
)
#: a heading's term → the words that show the part speaks of it (应急值守 ↔ 值班值守)
TERM_VARIANTS: dict[str, tuple[str, ...]] = {
    "应急值守": ("值守", "值班", "带班"),
    "值班值守": ("值守", "值班", "带班"),
    "隐患排查": ("隐患", "排查"),
    "排查整治": ("隐患", "排查", "整治"),
    "隐患整治": ("隐患", "整治", "整改"),
    "森林防火": ("森林", "防火", "林区", "野外用火", "火源"),
    "主汛期": ("汛", "雨情", "强降雨", "暴雨"),
    "汛期": ("汛", "雨情", "强降雨", "暴雨"),
    "防汛": ("汛", "雨情", "强降雨", "暴雨"),
    "监管执法": ("执法", "监管"),
    "打非治违": ("非法", "违法", "违规", "打非"),
    "应急处置": ("应急", "处置", "救援", "预案", "演练"),
    "应急救援": ("应急", "救援", "处置", "预案", "演练"),
    "教育培训": ("培训", "教育", "宣传"),
    "宣传教育": ("培训", "教育", "宣传"),
    "属地管理": ("属地", "辖区", "主要负责", "各乡镇", "各镇街", "各县（市、区）", "各村"),
    "部门监管": ("监管", "部门"),
    "行业监管": ("行业", "监管", "领域", "牵头", "重点检查"),
    "重点行业": ("行业", "领域", "牵头", "重点检查"),
    "行业整治": ("行业", "领域", "牵头", "重点检查", "整治"),
    # as the composer counts it (compose/headings.CONCEPTS): training is foundation work
    "基础": ("基础", "投入", "标准化", "培训"),
    "企业主体": ("企业", "主体责任", "生产经营单位"),
    "失职问责": ("问责", "追责", "追究", "考核"),
    "责任追究": ("问责", "追责", "追究", "考核"),
    "问责": ("追责", "追究", "考核"),
    "源头管控": ("源头", "准入"),
    "事故教训": ("事故", "教训"),
}
#: figures of speech a heading may carry without the part repeating them
RHETORIC = (
    "居安思危",
    "警钟长鸣",
    "标本兼治",
    "未雨绸缪",
    "绷紧",
    "安全之弦",
    "被动局面",
    "担当尽责",
    "知责明责",
    "履职守责",
    "落地见效",
    "确保实效",
)
_MORE = re.compile(r".得更.")  # 查得更细, 筑得更牢
_HEADING_SPLIT = re.compile(r"[，,、；;：:\s。！!“”‘’（）()]+")


def heading_keys(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """The key words of a heading, each with the words that count as it (itself included)."""
    m = initial_marker(text)
    body = text[m.end :] if m else text
    keys: list[tuple[str, tuple[str, ...]]] = []
    for phrase in _HEADING_SPLIT.split(_MORE.sub("|", body)):
        for word in RHETORIC:
            phrase = phrase.replace(word, "|")
        for term, variants in TERM_VARIANTS.items():
            if term in phrase:
                keys.append((term, (term, *variants)))
                phrase = phrase.replace(term, "|")
        stripped = True
        while stripped:  # a one-character verb only leads a phrase: 抓隐患排查, 要狠抓
            stripped = False
            for stop in HEADING_STOP:
                if phrase.startswith(stop):
                    phrase, stripped = phrase[len(stop) :], True
                    break
        for stop in HEADING_STOP:
            if len(stop) > 1:
                phrase = phrase.replace(stop, "|")
        for frag in phrase.split("|"):
            if len(frag) >= 2:
                grams = tuple(dict.fromkeys(frag[i : i + 2] for i in range(len(frag) - 1)))
                keys.append((frag, grams))
    return keys


def _heading_level(rec: Record) -> int:
    if rec.kind != "heading":
        return 0
    if rec.level:
        return rec.level
    m = initial_marker(rec.text)
    return FORMAL_DEPTH.get(m.family, 0) if m else 0


@doc_rule(
    "W240",
    "标题与内容不符",
    "一级、二级标题的关键词（去掉“切实、全面、进一步、加强、抓好”等）及其近义说法（应急值守—值班），"
    "在标题下面的段落里一个也没有出现：标题可能没有概括这一部分的内容。",
)
def heading_content(records: list[Record], ctx: Context) -> Iterator[tuple[Record, str]]:
    if not _is_speech(records, ctx):
        return
    flow = _flow(records)
    for i, rec in enumerate(flow):
        level = _heading_level(rec)
        if level not in (1, 2):
            continue
        m = initial_marker(rec.text)
        if m is not None and not is_standalone(rec.text, m) and rec.kind != "heading":
            continue
        part: list[str] = []
        for nxt in flow[i + 1 :]:
            nl = _heading_level(nxt)
            if nl and nl <= level:
                break
            part.append(nxt.text)
        text = "".join(part)
        keys = heading_keys(rec.text)
        if not text or not keys:
            continue
        if any(v in text for _, variants in keys for v in variants):
            continue
        shown = "、".join(k for k, _ in keys[:4])
        yield (
            rec,
            f"标题“{rec.text[:24]}”的关键词（{shown}）在这一部分的{len(part)}段中都没有出现",
        )
