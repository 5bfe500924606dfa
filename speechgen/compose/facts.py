"""The input's facts in sentences, each with the key paths whose values it states.

Every function here returns a :class:`Fact`: the text (complete sentences, or
'' when the input does not carry the fact) and the key paths it read, for the
trace. Nothing here picks a snippet: these are the engine's own sentences,
made only of typed values and the phrasing functions (stats, accidents, dates).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .accidents import accident_clause, accident_name, casualties, kind_phrase
from .dates import month_day
from .joins import join, join_and
from .numbers import cn_count, decimal, percent
from .situation import Situation, accident_date, grade_of, grade_rank, scope_of
from .stats import direction, hazards_sentence, situation_sentence
from .text import sentence

LABELS = {
    "accidents": "事故起数",
    "deaths": "死亡人数",
    "injured": "受伤人数",
    "loss_wan": "直接经济损失",
}


@dataclass
class Fact:
    text: str = ""
    keys: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.text)

    def __add__(self, other: Fact) -> Fact:
        return Fact(self.text + other.text, self.keys + other.keys)


def _present(block: Mapping[str, Any] | None, prefix: str) -> list[str]:
    return [f"{prefix}.{k}" for k, v in (block or {}).items() if v is not None]


def stats_fact(stats: Mapping[str, Any] | None, all_word: str, period: str) -> Fact:
    """Figures (current, the comparison, hazards) in any shape the input gives."""
    stats = stats or {}
    cur, prev, hz = stats.get("current"), stats.get("previous"), stats.get("hazards")
    keys: list[str] = ["stats.period"] if stats.get("period") else []
    text = ""
    if cur:
        text = situation_sentence(period, all_word, cur, prev)
        keys += _present(cur, "stats.current") + _present(prev, "stats.previous")
    if hz:
        lead = "" if cur else (f"{period}，{all_word}" if period else all_word)
        text += sentence(lead + hazards_sentence(hz["found"], hz["fixed"], hz.get("major")))
        keys += _present(hz, "stats.hazards")
    return Fact(text, keys)


#: what :func:`rises_fact` may say beyond 不降反升, which a verdict after it must not repeat
VERDICT_WORDS = ("不容乐观", "稳中向好的基础还不牢固")


def rises_fact(sit: Situation, figures: str = "") -> Fact:
    """What rose, said plainly (不降反升), when the figures got worse or were mixed.

    ``figures``: the sentence just said (:func:`stats_fact`); when it ended on
    ``全面上升`` the verdict alone follows (``，形势不容乐观。``, see :func:`with_tone`).
    """
    rises = [LABELS[k] for k in sit.trend.rises]
    if not rises:
        return Fact()
    keys = [f"stats.current.{k}" for k in sit.trend.rises]
    keys += [f"stats.previous.{k}" for k in sit.trend.rises]
    named = join_and(rises)
    if sit.trend.overall == "worse":
        if len(rises) < len(sit.trend.per):  # 特别是 singles out some of the figures
            text = f"特别是{named}不降反升，形势不容乐观。"
        elif len(rises) == 1:
            text = f"{named}不降反升，形势不容乐观。"
        elif figures.endswith(ALL_ROSE):  # said just now: not again in other words
            text = "，形势不容乐观。"
        else:  # every figure rose, as the sentence before just said: not named again
            text = "各项事故指标不降反升，形势不容乐观。"
    else:  # the figures' sentence gave each rise with its rate: named, not measured again
        text = f"但{named}有所上升，稳中向好的基础还不牢固。"
    return Fact(text, keys)


#: how :func:`stats_fact` ends when all four indicators rose
ALL_ROSE = "全面上升。"


def with_tone(figures: Fact, sit: Situation) -> tuple[Fact, Fact]:
    """The figures' sentence followed by what rose (:func:`rises_fact`): the whole, and
    the tone alone (for the verdict after it, which must not say it again)."""
    tone = rises_fact(sit, figures.text)
    if tone.text.startswith("，"):  # 四项指标全面上升，形势不容乐观。
        return Fact(figures.text[: -len("。")] + tone.text, figures.keys + tone.keys), tone
    return figures + tone, tone


# What rising figures mean, when the library has no verdict for the situation.
WORSE_VERDICT = "事故指标的上升给我们敲响了警钟，必须引起我们的高度警觉。"


def history_fact(history: Sequence[Mapping[str, Any]], stats: Mapping[str, Any] | None) -> Fact:
    """The period against earlier years: 较2019年下降20%, 连续三年下降."""
    rows = sorted(history or [], key=lambda r: r["year"])
    if not rows:
        return Fact()
    cur = (stats or {}).get("current") or {}
    keys = [f"history[{i}]" for i in range(1, len(rows) + 1)]
    parts: list[str] = []
    for key in ("accidents", "deaths"):
        series = [(r["year"], r[key]) for r in rows if r.get(key) is not None]
        if not series:
            continue
        first_year, first = series[0]
        said: list[str] = []
        if cur.get(key) is not None:
            now = cur[key]
            keys.append(f"stats.current.{key}")
            if first:
                change = direction(now, first)
                word = {1: "上升", -1: "下降", 0: "持平"}[change]
                rate = "" if change == 0 else percent(abs(now - first) / first * 100)
                said.append(f"较{first_year}年{word}{rate}")
            values = [v for _, v in series] + [now]
        else:
            values = [v for _, v in series]
        run = _falling_run(values)
        if run >= 2:
            said.append(f"连续{cn_count(run)}年下降")
        if said:
            parts.append(LABELS[key] + "、".join(said))
    listed = "；".join(
        f"{r['year']}年" + "、".join(_row_figures(r)) for r in rows if _row_figures(r)
    )
    text = ""
    if listed:
        text = f"从近年情况看，{listed}。"
    if parts:
        text += "；".join(parts) + "。"
    return Fact(text, keys)


def _row_figures(row: Mapping[str, Any]) -> list[str]:
    out = []
    if row.get("accidents") is not None:
        out.append(f"发生事故{decimal(row['accidents'])}起")
    if row.get("deaths") is not None:
        out.append(f"死亡{decimal(row['deaths'])}人")
    return out


def _falling_run(values: Sequence[Any]) -> int:
    """How many consecutive year-on-year falls end the series."""
    run = 0
    for a, b in zip(values[-2::-1], values[::-1], strict=False):
        if b < a:
            run += 1
        else:
            break
    return run


def targets_fact(targets: Sequence[str]) -> Fact:
    """This year's control targets, as typed."""
    items = [str(t).strip().rstrip("。；;") for t in targets or [] if str(t).strip()]
    if not items:
        return Fact()
    keys = [f"meeting.targets[{i}]" for i in range(1, len(items) + 1)]
    if len(items) == 1:
        return Fact(f"今年的安全生产控制目标是：{items[0]}。", keys)
    return Fact("今年的安全生产控制目标是：" + "；".join(items) + "。", keys)


def letters_fact(units: str, gov: str, year: int) -> Fact:
    return Fact(
        f"会上，{gov}与{units}签订了{year}年度安全生产目标责任书，"
        "责任书不是一纸空文，各单位要对照目标任务，逐项分解落实。",
        ["meeting.letters_signed"],
    )


def _span(start: dt.date | None, end: dt.date | None, year: int) -> str:
    if start and end:
        return f"{month_day(start, year)}至{month_day(end, year)}"
    if start:
        return f"{month_day(start, year)}起"
    if end:
        return f"{month_day(end, year)}前"
    return ""


#: what :func:`duty_fact` states (the rota and where it is reported), in the words a
#: line saying it again would use: such a line is not chosen beside it
DUTY_WORDS = ("值班制度", "值班安排", "值班值宿", "带班")


def duty_fact(duty: Mapping[str, Any] | None, units: str, year: int, prefix: str = "duty") -> Fact:
    """The holiday duty arrangements: dates, phone, report deadline."""
    duty = duty or {}
    if not duty:
        return Fact()
    keys = [
        f"{prefix}.{k}" for k in ("from", "to", "phone", "report_by", "report_to") if duty.get(k)
    ]
    span = _span(duty.get("from"), duty.get("to"), year)
    lead = f"{span}期间，" if span else "节日期间，"
    text = f"{lead}{units}要严格落实领导带班和24小时值班制度"
    if duty.get("phone"):
        text += f"，值班电话{duty['phone']}"
    text += "，确保信息畅通、遇事能及时处置。"
    if duty.get("report_by") or duty.get("report_to"):
        when = f"于{month_day(duty['report_by'], year)}前" if duty.get("report_by") else ""
        to = f"报送{duty['report_to']}" if duty.get("report_to") else "报送"
        text += f"各单位要{when}将值班表{to}。"
    return Fact(text, keys)


def inspection_fact(insp: Mapping[str, Any] | None, self_word: str, year: int) -> Fact:
    """Who inspects, what, when: the 迎检 item's facts."""
    if not insp:
        return Fact()
    keys = [f"inspection.{k}" for k in ("by", "what", "from", "to") if insp.get(k)]
    span = _span(insp.get("from"), insp.get("to"), year)
    when = f"将于{span}" if span else "近期将"
    text = f"{insp['by']}{when}对{self_word}开展{insp['what']}。"
    return Fact(text, keys)


def cause_fact(cause: Mapping[str, Any], year: int) -> Fact:
    keys = [f"meeting.cause.{k}" for k, v in cause.items() if v is not None]
    if cause.get("date"):
        text = sentence(graded_clause(cause, year, local=scope_of(cause) == "local"))
    else:
        text = sentence(f"{accident_name(cause)}{_harm(cause)}")
    return Fact(text, keys)


def graded_clause(acc: Mapping[str, Any], year: int, *, local: bool) -> str:
    """The accident clause; a local one of 较大 or above is named with its grade:
    ``3月5日，城关镇化工厂发生一起较大生产安全事故（爆炸事故），造成3人死亡``."""
    clause = accident_clause(acc, year)
    g = grade_of(acc)
    if local and grade_rank(g) >= 1:
        kind = kind_phrase(str(acc["kind"]))
        clause = clause.replace(f"发生{kind}", f"发生一起{g}生产安全事故（{kind}）", 1)
    return clause


def _harm(acc: Mapping[str, Any]) -> str:
    h = casualties(acc.get("deaths"), acc.get("injured"), acc.get("missing"))
    return f"，{h}" if h else ""


SCOPE_INTRO = {
    "national": "从全国看，",
    "province": "从全省看，",
    "nearby": "身边的事故更值得警醒，",
}


def accidents_facts(
    accidents: Sequence[tuple[int, Mapping[str, Any]]], sit: Situation, self_word: str
) -> list[tuple[str, Fact]]:
    """One paragraph per scope (national, province, nearby, local), in that order.

    ``accidents`` are (1-based index in the input, accident). The lead names the
    scope; a local accident of 较大 or above is named with its grade.
    """
    year = sit.date.year
    out: list[tuple[str, Fact]] = []
    for scope in ("national", "province", "nearby", "local"):
        group = [(i, a) for i, a in accidents if scope_of(a) == scope]
        if not group:
            continue
        group.sort(key=lambda p: (p[1].get("date") is None, accident_date(p[1]) or dt.date.min))
        keys = [f"accidents[{i}]" for i, _ in group]
        clauses = [graded_clause(a, year, local=scope == "local") for _, a in group]
        many = len(clauses) > 1
        when = _time_lead([a for _, a in group], year) if many else ""
        body = "；".join(clauses)
        if many and scope != "local":
            body = f"先后发生{cn_count(len(clauses))}起事故：{body}"
            when = when.rstrip("，")
        if scope == "local":
            text = f"从{self_word}情况看，{when}{body}。"
        elif scope == "nearby":
            these = "这些事故" if many else "这起事故"
            text = f"{SCOPE_INTRO[scope]}{when}{body}，{these}就发生在我们身边。"
        else:
            text = f"{SCOPE_INTRO[scope]}{when}{body}。"
        out.append((scope, Fact(text, keys)))
    return out


def _time_lead(group: Sequence[Mapping[str, Any]], year: int) -> str:
    """今年以来 when every accident is of the meeting's year; 去年 for last year's; else ''."""
    years = {d.year for d in (accident_date(a) for a in group) if d is not None}
    if years == {year}:
        return "今年以来，"
    if years == {year - 1}:
        return "去年，"
    return ""


def topics_phrase(topics: Sequence[str]) -> str:
    """安全生产和防汛、地质灾害防治 — the combined meeting's business."""
    named = [
        t if t.endswith(("工作", "防治")) or t != "地质灾害" else "地质灾害防治" for t in topics
    ]
    return join(named)
