"""Speeches and speech outlines: plan the points, phrase the facts, fill the template.

``points: auto`` builds the usual three-part speech (形势 → 重点工作 → 责任)
from whatever data the input has; an explicit ``points`` list is honoured item
by item. The plan is handed to ``template.md.j2`` beside this file (or a user's
template of that name), whose block markup becomes the document model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ... import kinds
from ...compose import facts
from ...compose.accidents import accident_name
from ...compose.context import base_context
from ...compose.dates import full_date, quarter_cn, quarter_short
from ...compose.facts import Fact
from ...compose.headings import CONCEPTS, heading_fits, missing_terms
from ...compose.joins import join
from ...compose.library import Library, Picker
from ...compose.numbers import cn_count
from ...compose.reference import families, sector_book
from ...compose.sector_lines import duty_clause, sector_title, sector_topic
from ...compose.situation import scope_of, situation_of
from ...compose.templates import render_template
from ...compose.text import derive_seed, sentence, shorten, strip_number
from ...compose.trace import enrich
from ...compose.vocabulary import prefix_department
from ...errors import ERROR, Finding, UserError
from ...model import Document, cn_ordinal

SPEECH_MIN_CHARS = 2600


#: what a preceding item did that arranged or proposed something (安排、部署、发言…)
_ARRANGED = re.compile(r"安排|部署|意见|要求|讲话|发言|方案|提出")


def _these(text: str, count: int) -> str:
    """An accident outro for ``count`` accidents: 这起事故 for one (the library's lines
    speak of 这些事故, as the seeds cited several)."""
    if count != 1:
        return text
    return text.replace("这些事故", "这起事故").replace("这些都是", "这是")


#: words a sentence may open with that the next one should not open with again
TIME_OPENINGS = ("当前", "目前", "眼下", "近期")


@dataclass
class Item:
    """A paragraph of the plan; ``lead`` is its inline title (一是……。).

    ``keep`` marks paragraphs that carry the input's facts (figures, cited
    accidents): an outline keeps them whole. ``snippets`` and ``keys`` are the
    paragraph's trace: the library ids it was made from and the input key paths
    whose values it states.
    """

    text: str
    lead: str = ""
    keep: bool = False
    snippets: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    brief: int = 2  # sentences an outline keeps
    sector: str = ""  # the canonical sector of a sector's paragraph

    @property
    def full_text(self) -> str:
        return self.lead + self.text


@dataclass
class SubPoint:
    heading: str
    items: list[Item] = field(default_factory=list)
    key: str = ""

    def text(self) -> str:
        return "".join(i.full_text for i in self.items)


@dataclass
class Point:
    heading: str
    items: list[Item] = field(default_factory=list)
    subs: list[SubPoint] = field(default_factory=list)
    key: str = ""

    def chars(self) -> int:
        n = len(self.heading) + sum(len(i.full_text) for i in self.items)
        for s in self.subs:
            n += len(s.heading) + sum(len(i.full_text) for i in s.items)
        return n

    def text(self) -> str:
        return "".join(i.full_text for i in self.items) + "".join(s.text() for s in self.subs)


def _lead(n: int, title: str) -> str:
    return f"{cn_ordinal(n)}是{title.rstrip('。')}。"


# The sub-points of the work point: key → the roles its paragraphs come from.
TASK_ROLES: dict[str, tuple[str, ...]] = {
    "hazards": ("work.hazards",),
    "sectors": ("work.sectors",),
    "enforcement": ("work.enforcement", "work.enforcement"),
    "emergency": ("work.emergency",),
    "foundation": ("work.training", "work.investment"),
}
DUTY_ROLES: dict[str, tuple[str, ...]] = {
    "territorial": ("duty.territorial",),
    "department": ("duty.department", "duty.coordination"),
    "enterprise": ("duty.enterprise",),
    "accountability": ("duty.assessment", "duty.accountability"),
}
# Where a stock paragraph goes when a speech is short: role → (point, sub key).
FILL_TARGETS: tuple[tuple[str, str, str], ...] = (
    ("work.investment", "tasks", "foundation"),
    ("work.training", "tasks", "foundation"),
    ("duty.coordination", "duty", "department"),
    ("situation.pressure", "situation", ""),
    ("work.hazards", "tasks", "hazards"),
    ("work.enforcement", "tasks", "enforcement"),
    ("duty.accountability", "duty", "accountability"),
    ("work.emergency", "tasks", "emergency"),
    ("duty.enterprise", "duty", "enterprise"),
    ("attitude", "situation", ""),
    ("duty.assessment", "duty", "accountability"),
)
# A company's duty point: 一是部门管理、二是岗位安全、三是考核奖惩 (as DUTY_ROLES keys).
COMPANY_DUTY_KEYS = ("department", "enterprise", "accountability")
# Headings of the parts that have no parallel family (topics, holiday, inspection).
HOLIDAY_HEADING = "从严从细抓好节日期间安全防范"
TOPIC_FALLBACK = "统筹抓好{topic}工作"
TOPIC_TITLES = {
    "防汛": "扎实做好防汛工作",
    "防汛抗旱": "扎实做好防汛抗旱工作",
    "地质灾害": "全力做好地质灾害防治",
    "森林防火": "严防森林火灾发生",
    "消防": "全面加强消防安全",
    "燃气": "深入开展燃气安全整治",
}
# Words a company speech never uses (spec/INPUT.md: no government wording).
GOV_WORDS = ("经济社会发展大局", "属地管理", "防汛和地质灾害防治任务艰巨", "党委政府", "各乡镇")


class SpeechComposer:
    """Builds one speech or outline document from a validated job."""

    def __init__(self, job: Any, library: Library, seed: int = 0):
        self.job = job
        self.data: dict[str, Any] = job.data
        self.outline = job.type == "outline"
        d = self.data
        self.level: str = d["org"]["level"]
        self.org_name: str | None = d["org"].get("name")
        self.company = self.level == "公司"
        self.meeting: dict[str, Any] = d["meeting"]
        self.kind: str = self.meeting["kind"]
        self.date = self.meeting["date"]
        self.year: int = self.date.year
        self.quarter: int | None = self.meeting.get("quarter")
        self.ctx = base_context(d, year=self.year, quarter=self.quarter)
        self.sit = situation_of(
            d, kind=self.kind, date=self.date, quarter=self.quarter, meeting=self.meeting
        )
        self.picker = Picker(
            library,
            derive_seed(seed, "speech", self.meeting.get("name", "")),
            self.ctx,
            level="company" if self.company else "gov",
            kind=self.kind,
            quarter=self.quarter,
            register="speech",
            situation=self.sit,
        )
        self.rng = self.picker.rng
        self.findings: list[Finding] = []
        # words ruled out of every snippet by the situation
        self.no_words: tuple[str, ...] = GOV_WORDS if self.company else ()
        self.company_duty: dict[str, Item] = {}  # a company's duty items (一是…) by part

    # ------------------------------------------------------------------ helpers
    def snip(self, role: str, **cond: Any) -> str:
        if self.no_words:
            cond["without_words"] = tuple(cond.get("without_words", ())) + self.no_words
        return self.picker.text(role, **cond)

    def snips(self, roles: tuple[str, ...] | list[str], **cond: Any) -> str:
        return "".join(sentence(t) for t in (self.snip(r, **cond) for r in roles) if t)

    def item(self, text: str, lead: str = "", *, keep: bool = False, keys: Any = ()) -> Item:
        """An item with the snippets used since the last item (its trace)."""
        return Item(text, lead, keep, self.picker.take(), list(keys))

    def error(self, key: str, message: str, code: str = "E120") -> None:
        self.findings.append(
            Finding(str(self.job.path), self.job.position(key), ERROR, code, message, key)
        )

    @property
    def period(self) -> str:
        stats = self.data.get("stats") or {}
        if stats.get("period"):
            return str(stats["period"])
        return f"今年{quarter_short(self.quarter)}" if self.quarter else "今年以来"

    # ------------------------------------------------------------------ facts
    def stats_fact(self) -> Fact:
        fact = facts.stats_fact(self.data.get("stats"), self.ctx["all"], self.period)
        if self.data.get("history"):
            fact = fact + facts.history_fact(self.data["history"], self.data.get("stats"))
        return fact

    def _accidents(self) -> list[tuple[int, dict[str, Any]]]:
        accs = list(enumerate(self.data.get("accidents") or [], start=1))
        cause = self.meeting.get("cause") if self.kind == "emergency" else None
        if cause and cause.get("date"):
            # the accident that prompted the meeting is told once, at the head of point 1
            accs = [
                (i, a)
                for i, a in accs
                if not (a.get("date") == cause.get("date") and a.get("place") == cause.get("place"))
            ]
        return accs

    def accident_items(self) -> list[Item]:
        items: list[Item] = []
        self.picker.take()
        accidents = self._accidents()
        for scope, fact in facts.accidents_facts(accidents, self.sit, self.ctx["self"]):
            text = fact.text
            cited = [a for _, a in accidents if scope_of(a) == scope]
            if scope in ("national", "province"):
                old = any(
                    (a.get("date") is None or (self.date - a["date"]).days > 200) for a in cited
                )
                outro = self.snip(
                    "accident.outro",
                    without_tags=self.no_claims,
                    without_words=("近期", "接连") if old else (),
                )
                text += sentence(_these(outro, len(cited))) if outro else ""
            elif scope == "local":
                # the input carries no cause: the lesson is drawn, not an analysis claimed
                text += _these(
                    "这些事故教训十分深刻，有关单位要认真查找安全责任落实和隐患排查治理中的漏洞，"
                    "举一反三、引以为戒。",
                    len(cited),
                )
            items.append(self.item(text, keep=True, keys=fact.keys))
        return items

    def topic_sectors(self) -> dict[str, str]:
        """Canonical sector → the meeting topic whose part takes it over."""
        return {kinds.TOPIC_SECTORS[t]: t for t in self.sit.topics if t in kinds.TOPIC_SECTORS}

    def sector_items(self, numbered: bool = True, only: str | None = None) -> list[Item]:
        """One paragraph per sector: ``一是道路交通安全。由……牵头……``.

        Unnumbered (inside an item that is itself ``一是……``) the sector
        leads its paragraph as ``道路交通方面，……``. A sector that a topic of a
        combined meeting takes over is left to that topic's part (``only``).
        """
        sectors = list(enumerate(self.data.get("sectors") or [], start=1))
        book = sector_book()
        typed_sectors = bool(sectors)
        if not sectors:
            sectors = [(0, {"name": n}) for n in self.default_sectors()]
        taken = self.topic_sectors()

        def canonical(sec: dict[str, Any]) -> str:
            known = book.find(sec["name"].strip())
            return known.name if known else sec["name"].strip()

        if only is not None:
            sectors = [(i, s) for i, s in sectors if canonical(s) == only]
        else:
            sectors = [(i, s) for i, s in sectors if canonical(s) not in taken]
        items: list[Item] = []
        numbered = numbered and len(sectors) > 1  # one item is not numbered (no lone 一是)
        for n, (i, sec) in enumerate(sectors, start=1):
            self.picker.take()
            typed = sec["name"].strip()
            known = book.find(typed)
            lead_dept = sec.get("lead")
            support = list(sec.get("support") or [])
            checks = list(sec.get("checks") or [])
            keys = [f"sectors[{i}].{k}" for k in ("name", "lead", "support", "checks", "text")]
            keys = [k for k in keys if typed_sectors and sec.get(k.rsplit(".", 1)[1])]
            parts: list[str] = []
            if sec.get("text"):
                parts.append(sentence(sec["text"]))
            given = bool(lead_dept or support or checks)
            if given:
                clause = duty_clause(
                    self.level,
                    lead_dept or "",
                    support,
                    checks,
                    fallback="全面排查整治各类风险隐患",
                    name=self.org_name,
                )
                parts.append(sentence(clause))
            if not sec.get("text"):
                values: dict[str, str] = {"sector": typed}
                if not given and known is not None:
                    lead, partners = known.departments(self.level)
                    if lead:
                        values["lead"] = prefix_department(lead, self.level)
                    # the dictionary's items bound to a season (复工复产验收) only in it
                    in_season = [c for c in known.checks_for(self.level) if self.sit.in_season(c)]
                    if in_season:
                        values["checks"] = join(in_season)
                    if partners:
                        values["support"] = join(
                            [prefix_department(s, self.level) for s in partners]
                        )
                canonical = known.name if known else None
                body = ""
                if canonical:
                    body = self.snip(
                        "sector",
                        sector=canonical,
                        register="speech",
                        values=values,
                        without_tags=("fangmian", "lingyu"),
                        # the typed items were just listed (重点检查客运车辆、…): not again
                        without_words=tuple(c for c in checks if len(c) >= 4),
                    )
                if not body and not given:
                    checks_said = values.get("checks")
                    where = (
                        f"重点检查{checks_said}" if checks_said else f"全面排查{typed}领域风险隐患"
                    )
                    body = f"要{where}，坚决防范遏制各类事故发生。"
                if body:
                    parts.append(sentence(body))
            text = "".join(parts)
            if numbered:
                item = self.item(text, lead=_lead(n, sector_title(typed)), keys=keys)
            else:
                item = self.item(f"{sector_topic(typed)}方面，{text}", keys=keys)
            item.sector = known.name if known else typed
            item.brief = 1 if given else 2
            items.append(item)
        return items

    def default_sectors(self) -> list[str]:
        """Sectors named when the input gives none: the usual ones and the season's."""
        if self.company:
            return ["消防", "特种设备", "有限空间"]
        names = ["道路交通", "消防", "危险化学品", "建筑施工"]
        seasonal = (
            ("汛期", "防汛抗旱"),
            ("烟花爆竹", "烟花爆竹"),
            ("冬季取暖", "冬季取暖"),
        )
        for window, sector in seasonal:
            if self.sit.ahead(window) and sector_book().find(sector):
                names.append(sector)
                break
        return names

    def recap(self) -> str:
        pre = self.data.get("preceding") or []
        if not pre:
            return ""
        acts = []
        for p in pre:
            who = p["who"] if isinstance(p["who"], list) else [p["who"]]
            did = str(p["did"]).strip().rstrip("。；;")
            acts.append(f"{join(who)}{did}")
        return "刚才，" + "；".join(acts) + "。"

    # ------------------------------------------------------------------ opening
    def purpose(self) -> str:
        """What the meeting is for, from its kind, date and topics (no claim beyond them)."""
        m = self.meeting
        topics = self.sit.topics
        if topics:
            return f"统筹部署安全生产和{facts.topics_phrase(topics)}工作"
        if self.kind == "emergency":
            cause = m.get("cause")
            name = accident_name(cause) if cause else "近期事故"
            return f"深刻汲取{name}教训，对当前安全生产工作再安排、再部署"
        if self.kind == "holiday":
            return f"安排部署{self.ctx.get('holiday') or '节日'}期间安全生产工作"
        if self.kind == "annual":
            return f"总结去年安全生产工作，分析当前形势，部署{self.year}年安全生产工作"
        if self.kind == "safety_month":
            return f"动员部署{self.year}年“安全生产月”活动"
        if self.kind == "quarterly" and self.quarter:
            return f"分析当前安全生产形势，安排部署{quarter_cn(self.quarter)}安全生产工作"
        return "分析当前安全生产形势，安排部署下一阶段重点工作"

    def opening(self, n_points: int) -> list[str]:
        speaker = self.data.get("speaker") or {}
        days = self.meeting.get("days_since_last")
        name = self.meeting["name"]
        if days:  # 时隔十天，我们再次召开…
            frame = f"时隔{cn_count(days)}天，我们再次召开{name}"
        elif speaker.get("on_behalf_of"):  # 受县委、县政府主要领导委托，今天召开…
            frame = f"受{speaker['on_behalf_of']}委托，今天召开{name}"
        else:
            frame = f"今天，我们召开{name}"
        frame += f"，主要任务是{self.purpose()}。"
        recap = self.recap()
        self.picker.take()
        endorse = ""
        if recap:
            # “这些安排和意见” is said only of what arranged or proposed something: a
            # report alone (通报了…情况) arranges nothing
            pre = self.data.get("preceding") or []
            arranged = any(_ARRANGED.search(str(p.get("did", ""))) for p in pre)
            avoid = {} if arranged else {"without_words": ("安排和意见",)}
            endorse = self.snip("open.endorse", **avoid)
        count = cn_count(n_points)
        transition = f"下面，我讲{count}点意见。"
        if self.kind == "emergency":
            transition = f"下面，就做好当前安全生产工作，我再强调{count}点意见。"
        text = "".join(sentence(t) for t in (frame, recap, endorse) if t) + transition
        keys = ["meeting.name"]
        if days:
            keys.append("meeting.days_since_last")
        if speaker.get("on_behalf_of"):
            keys.append("speaker.on_behalf_of")
        keys += [f"preceding[{i}]" for i in range(1, len(self.data.get("preceding") or []) + 1)]
        keys += ["meeting.topics"] if self.sit.topics else []
        self.opening_trace = Item(text, snippets=self.picker.take(), keys=keys)
        return [text]

    # ------------------------------------------------------------------ point 1
    def point_situation(self, heading: str) -> Point:
        p = Point(heading=heading, key="situation")
        sit = self.sit
        trend = sit.trend.overall
        emergency = self.kind == "emergency"
        cause = self.meeting.get("cause")
        self.picker.take()
        if emergency and cause:
            fact = facts.cause_fact(cause, self.year)
            p.items.append(
                self.item(
                    fact.text + "这起事故教训极其深刻，再次给我们敲响了警钟。",
                    keep=True,
                    keys=fact.keys,
                )
            )
        stats = self.stats_fact()
        if stats:
            told, tone = facts.with_tone(stats, sit)
            text, keys = told.text, told.keys
            if tone:  # the library's verdict on rising or mixed figures follows the facts
                # nothing the facts just said (不降反升, and 不容乐观 or 稳中向好的基础还不牢固
                # when they said it)
                said = ("不降反升",) + tuple(w for w in facts.VERDICT_WORDS if w in tone.text)
                verdict = self.snip("situation.worse", without_words=said)
                text += sentence(verdict) or facts.WORSE_VERDICT
            thanks = ""
            if trend == "better" and not sit.serious:
                thanks = self.snip("situation.thanks")
            if thanks and not self.outline:
                text += sentence(thanks)
            p.items.append(self.item(text, keep=True, keys=keys))
            if thanks and self.outline:
                p.items.append(self.item(sentence(thanks)))
        elif not emergency:
            good = self.snips(["situation.good"])
            if good:
                p.items.append(self.item(good))
        achievements = (self.data.get("situation") or {}).get("achievements") or []
        if achievements:
            # the time they cover: a year's meeting looks back on its year, any other on
            # the figures' period (一季度，我们…) or the year so far
            since = "一年来" if self.kind == "annual" else self.period
            p.items.append(
                self.item(
                    self._enumerate(achievements, f"{since}，我们"),
                    keys=["situation.achievements"],
                )
            )
        # 在看到成绩的同时…: a turn only after praise was actually said (never in an outline,
        # where the problems themselves are what is kept)
        praised = any(
            self.picker.library.get(sid).role in ("situation.good", "situation.thanks")
            for i in p.items
            for sid in i.snippets
            if self.picker.library.get(sid) is not None
        )
        # The problems are the input's (situation.problems): the engine names none of its
        # own, and without them no turn announces any (还存在一些不容忽视的问题).
        problems = (self.data.get("situation") or {}).get("problems") or []
        cond: dict[str, Any] = {"without_tags": self.no_claims}
        if not problems:
            cond["without_words"] = ("问题",)
        turn = self.snip("situation.turn", **cond) if praised else ""
        if self.outline:
            turn = ""  # picked all the same, so an outline's headings are its speech's
        if problems:
            if "问题" in turn:  # 还存在一些不容忽视的问题，主要表现在：
                lead = turn.rstrip("。；，") + "，主要表现在："
            elif emergency:
                lead = "这起事故暴露出的问题，在我们身边同样不同程度地存在，主要表现在："
            else:
                lead = sentence(turn) + "当前安全生产工作中还存在一些不容忽视的问题，主要表现在："
            p.items.append(self.item(self._enumerate(problems, lead), keys=["situation.problems"]))
        elif turn:
            p.items.append(self.item(sentence(turn)))
        p.items.extend(self.accident_items())
        self.picker.take()
        if self.kind == "holiday" and self.ctx.get("holiday"):
            ahead = f"{self.ctx['holiday']}即将到来，节日期间各类生产经营活动和人员流动相对集中，安全风险交织叠加。"
            p.items.append(self.item(ahead, keys=["meeting.holiday"]))
        season = sentence(self.snip("situation.season"))
        # two sentences in a row do not open alike (当前……。当前，上级……)
        opening = next((w for w in TIME_OPENINGS if season.startswith(w)), "")
        season += sentence(
            self.snip("situation.pressure", without_openings=(opening,) if opening else ())
        )
        if season:
            p.items.append(self.item(season))
        p.items.append(self.item(self.snips(["attitude", "situation.conclusion"])))
        p.items = [i for i in p.items if i.text]
        return p

    @property
    def no_claims(self) -> tuple[str, ...]:
        """Tags of snippets that claim no serious local accident: left out when there was one."""
        local = any(a.get("scope") == "local" for a in self.data.get("accidents") or [])
        if local or self.kind == "emergency":
            return ("无本地重大事故",)
        return ()

    @staticmethod
    def _enumerate(items: list[str], head: str) -> str:
        """``head`` and the items as 一是…；二是….; one item is not numbered."""
        texts = [str(t).strip().rstrip("。；;") for t in items]
        if len(texts) == 1:
            return head + texts[0] + "。"
        return head + "；".join(f"{cn_ordinal(i)}是{t}" for i, t in enumerate(texts, 1)) + "。"

    # ------------------------------------------------------------------ point 2
    def _family(self, group: str, keys: tuple[str, ...], content: dict[str, str]):
        """The first family of ``group`` whose heading for every key fits its content."""
        fams = families(
            group,
            self.rng,
            level="company" if self.company else "gov",
            kind=self.kind,
            needs=keys,
            org_level=self.level,
        )
        return self._family_of(fams, keys, content)

    @staticmethod
    def _family_of(fams: list[Any], keys: tuple[str, ...], content: dict[str, str]) -> Any:
        """The first family that fits every key, else the one that misses the fewest."""
        best, best_misses = None, None
        for fam in fams:
            misses = sum(1 for k in keys if not heading_fits(fam.headings[k], content.get(k, "")))
            if misses == 0:
                return fam
            if best_misses is None or misses < best_misses:
                best, best_misses = fam, misses
        if best is None:
            raise LookupError(f"no heading family for {keys}")
        return best

    def _mend(self, heading: str, items: list[Item], roles: tuple[str, ...]) -> None:
        """Add a paragraph on each concept the heading names that the part does not carry yet."""
        for concept in missing_terms(heading, "".join(i.full_text for i in items)):
            if concept not in missing_terms(heading, "".join(i.full_text for i in items)):
                continue  # a paragraph added for another concept carries this one too
            for word in CONCEPTS[concept]:
                self.picker.take()
                text = next((t for t in (self.snip(r, with_words=(word,)) for r in roles) if t), "")
                if text:
                    items.append(self.item(sentence(text)))
                    break

    def _content(self, roles: tuple[str, ...]) -> list[Item]:
        self.picker.take()
        text = self.snips(roles)
        return [self.item(text)] if text else []

    def _place_season(self, hazards: list[Item], sectors: list[Item]) -> list[Item]:
        """The season's work line goes with what it is about: a window of one sector
        (汛期 → 防汛抗旱) whose paragraph the speech has is said there (not under the
        隐患排查 heading), one a topic's part takes over is left to that part; others
        stay with the hazards."""
        book = sector_book()
        topics = set(self.topic_sectors())
        kept: list[Item] = []
        for it in hazards:
            about = {
                sector.name
                for sid in it.snippets
                if (s := self.picker.library.get(sid)) is not None and s.role == "work.season"
                for window in s.when.season
                if (sector := book.of_window(window)) is not None
            }
            home = next((x for x in sectors if x.sector and x.sector in about), None)
            if home is not None:
                home.text += it.text
                home.snippets += it.snippets
            elif not about & topics:
                kept.append(it)
        return kept

    def point_tasks(self, heading: str) -> Point:
        p = Point(heading=heading, key="tasks")
        keys: list[str] = ["hazards", "sectors"]
        if not self.company and self.level != "乡镇":
            keys.append("enforcement")  # a township has no 执法权 of its own
        keys += ["emergency", "foundation"]
        content: dict[str, list[Item]] = {}
        content["hazards"] = self._content(("work.hazards",))
        season = self._content(("work.season",))
        if self.kind == "safety_month":
            season += self._content(("work.safety_month",))
        content["hazards"] += season
        self.picker.take()
        intro = self.snip("work.sectors")
        if not any(w in intro for w in CONCEPTS["行业"]):
            lead = (
                "要紧盯重点领域、重点部位和关键环节，逐项抓好安全管理。"
                if self.company
                else "要突出重点行业领域，逐一抓好安全监管。"
            )
            intro = sentence(intro) + lead if intro else lead
        content["sectors"] = [self.item(sentence(intro))] + self.sector_items()
        content["hazards"] = self._place_season(content["hazards"], content["sectors"])
        if "enforcement" in keys:
            content["enforcement"] = self._content(TASK_ROLES["enforcement"])
        # a holiday meeting without a rota: its emergency part may take a holiday line
        holiday_lines = self.kind == "holiday" and not self.data.get("duty")
        emergency_roles = (
            ("work.holiday", "work.emergency") if holiday_lines else ("work.emergency",)
        )
        if self.data.get("duty"):
            # the duty arrangements are stated in the holiday part: not said twice
            self.picker.take()
            text = self.snips(emergency_roles, without_words=("值班", "值守", "带班"))
            content["emergency"] = [self.item(text)] if text else []
        elif holiday_lines:
            # a holiday meeting's emergency part: its emergency line first, then a holiday
            # line of the same matter (节日期间值班, 应急联动); the holiday's general lines
            # (以确保春节期间的安全生产为重点) are the holiday part's, not under 应急救援
            self.picker.take()
            first = self.snip("work.emergency")
            holiday = self.snip("work.holiday", any_words=("值班", "值守", "应急"))
            text = "".join(sentence(t) for t in (first, holiday) if t)
            content["emergency"] = [self.item(text)] if text else []
        else:
            content["emergency"] = self._content(emergency_roles)
        content["foundation"] = self._content(TASK_ROLES["foundation"])
        texts = {k: "".join(i.full_text for i in v) for k, v in content.items()}
        fam = self._family("l2_tasks", tuple(keys), texts)
        for key in keys:
            if content[key]:
                roles = emergency_roles if key == "emergency" else TASK_ROLES[key]
                self._mend(fam.headings[key], content[key], roles)
                p.subs.append(SubPoint(fam.headings[key], content[key], key))
        # parts of their own: the holiday, each topic of a combined meeting, the inspection
        extra: list[SubPoint] = []
        if self.kind == "holiday" or self.data.get("duty"):
            extra.append(self.holiday_sub())
        for topic in self.sit.topics:
            extra.append(self.topic_sub(topic))
        if self.data.get("inspection"):
            extra.append(self.inspection_sub())
        extra = [s for s in extra if s.items]
        # the season's and the meeting's own parts come right after the hazards
        p.subs[1:1] = extra
        return p

    def holiday_sub(self) -> SubPoint:
        self.picker.take()
        items: list[Item] = []
        duty = facts.duty_fact(self.data.get("duty"), self.ctx["units"], self.year)
        # the duty paragraph states the rota (领导带班, 24小时值班, the report): a line
        # of the library does not say it again
        holiday = self.snip("work.holiday", without_words=facts.DUTY_WORDS if duty else ())
        if holiday:
            items.append(self.item(sentence(holiday)))
        if duty:
            items.append(self.item(duty.text, keep=True, keys=duty.keys))
        return SubPoint(HOLIDAY_HEADING, items, "holiday")

    def topic_sub(self, topic: str) -> SubPoint:
        """A combined meeting's topic gets its own part, from the snippets made for it."""
        self.picker.take()
        options = [
            s for s in self.picker.candidates("work.topic") if f"topic:{topic}" in s.when.needs
        ]
        self.rng.shuffle(options)
        # first the snippets that carry the words the topic's part must hold, then others
        chosen: list[Any] = []
        for word in kinds.TOPIC_WORDS.get(topic, ()):
            if not any(word in t for c in chosen for t in c.texts[:1]):
                hit = next((o for o in options if word in o.text and o not in chosen), None)
                if hit is not None:
                    chosen.append(hit)
        chosen += [o for o in options if o not in chosen][: max(0, 2 - len(chosen))]
        chosen.sort(key=lambda s: s.id)
        texts = []
        for s in chosen:
            self.picker.used.add(s.id)
            self.picker.log.append(s.id)
            texts.append(sentence(self.picker.fill(s)))  # its main text: the words are in it
        if not texts:
            texts = [f"要统筹抓好{topic}工作，压实各方责任，全面排查整治{topic}领域风险隐患。"]
        title = TOPIC_TITLES.get(topic, TOPIC_FALLBACK.format(topic=topic))
        items = [self.item("".join(texts), keys=["meeting.topics"])]
        sector = kinds.TOPIC_SECTORS.get(topic)
        if sector:  # the typed sector line (牵头、配合、检查重点) belongs to this part
            items += self.sector_items(numbered=False, only=sector)
        return SubPoint(title, items, f"topic:{topic}")

    def inspection_sub(self) -> SubPoint:
        self.picker.take()
        fact = facts.inspection_fact(self.data.get("inspection"), self.ctx["self"], self.year)
        body = self.snips(["work.inspection", "work.inspection"])
        return SubPoint(
            "全力做好迎检准备",
            [self.item(fact.text + sentence(body), keep=True, keys=fact.keys)],
            "inspection",
        )

    # ------------------------------------------------------------------ point 3
    def point_duty(self, heading: str) -> Point:
        p = Point(heading=heading, key="duty")
        self.picker.take()
        m = self.meeting
        if m.get("targets") or m.get("letters_signed"):
            fact = facts.targets_fact(m.get("targets") or [])
            if m.get("letters_signed"):
                fact = fact + facts.letters_fact(self.ctx["units"], self.ctx["gov"], self.year)
            p.items.append(self.item(fact.text, keep=True, keys=fact.keys))
        # the point has four parts (三个责任 and 问责): no lead that announces three
        lead = self.snip("duty.lead", without_words=("三个责任", "“三个", "三项"))
        if lead:
            p.items.append(self.item(sentence(lead)))
        if self.company:
            roles = ["duty.department", "duty.enterprise", "duty.accountability"]
            titles = ["压实部门管理责任", "落实岗位安全责任", "严格考核奖惩"]
            n = 0
            for role, title, key in zip(roles, titles, COMPANY_DUTY_KEYS, strict=True):
                t = self.snip(role)
                if t:
                    n += 1
                    p.items.append(self.item(sentence(t), lead=_lead(n, title)))
                    self.company_duty[key] = p.items[-1]
            return p
        content = {k: self._content(roles) for k, roles in DUTY_ROLES.items()}
        texts = {k: "".join(i.full_text for i in v) for k, v in content.items()}
        fam = self._family("l2_duty", tuple(DUTY_ROLES), texts)
        for key in DUTY_ROLES:
            if content[key]:
                self._mend(fam.headings[key], content[key], DUTY_ROLES[key])
                p.subs.append(SubPoint(fam.headings[key], content[key], key))
        return p

    # ------------------------------------------------------------------ closing
    def closing(self) -> list[str]:
        prefer: list[str] = []
        if self.ctx.get("event"):
            prefer.append("event")
        if self.ctx.get("vision"):
            prefer.append("vision")
        self.picker.take()
        text = ""
        no = {"without_words": self.no_words} if self.no_words else {}
        for slot in prefer:
            s = self.picker.pick("closing", requires=slot, **no)
            if s is not None:
                text = self.picker.fill(s, s.texts[self.rng.randrange(len(s.texts))])
                break
        if not text:
            text = self.snip("closing")
        closing = self.data.get("closing") or {}
        keys = []
        for key in ("event", "vision"):
            if closing.get(key):
                keys.append(f"closing.{key}")
            if closing.get(key) and closing[key] not in text:
                text = sentence(text) + sentence(
                    f"让我们以更加坚定的决心、更加有力的举措，{closing[key]}"
                    if key == "vision"
                    else f"以良好的安全生产环境迎接{closing[key]}胜利召开"
                )
        if self.company:
            # the closing salutation matches the opening one (各位同事 … never 同志们)
            text = text.replace("同志们", self.salutation().rstrip("：:"))
        out = [sentence(text)] if text else []
        if self.company:
            out.append("谢谢大家！")
        self.closing_trace = Item(" ".join(out), snippets=self.picker.take(), keys=keys)
        return out

    def salutation(self) -> str:
        salutation = self.data.get("salutation")
        if salutation is None:
            return "" if self.outline else ("各位同事：" if self.company else "同志们：")
        return str(salutation)

    # ------------------------------------------------------------------ plan
    def auto_points(self) -> list[Point]:
        points = [self.point_situation(""), self.point_tasks(""), self.point_duty("")]
        self._fit_length(points)
        # the level-1 headings are chosen last, from what each point came to hold
        fams = families(
            "l1",
            self.rng,
            level="company" if self.company else "gov",
            kind=self.kind,
            needs=("situation", "tasks", "duty"),
            trend=self.sit.trend.overall if not self.sit.serious else "worse",
            has=self.sit.has,
            org_level=self.level,
        )
        texts = {p.key: p.text() for p in points}
        fam = self._family_of(fams, ("situation", "tasks", "duty"), texts)
        for p in points:
            p.heading = fam.headings[p.key]
        return points

    def _fit_length(self, points: list[Point]) -> None:
        """Add stock paragraphs, each to the part it belongs to, up to a speech's usual length."""
        if self.outline:
            return
        total = sum(p.chars() for p in points)
        by_key = {p.key: p for p in points}
        for role, point_key, sub_key in FILL_TARGETS * 2:  # twice: a role may have more to give
            if total >= SPEECH_MIN_CHARS:
                break
            point = by_key.get(point_key)
            if point is None:
                continue
            target = next((s for s in point.subs if s.key == sub_key), None) if sub_key else None
            led = self.company_duty.get(sub_key) if point_key == "duty" else None
            if sub_key and target is None and led is None:
                continue  # that part is not in this speech (a company has no 属地 part)
            self.picker.take()
            words = missing_terms(target.heading, target.text()) if target else []
            t = self.snip(role, with_words=tuple(words[:1])) if words else self.snip(role)
            if not t:
                continue
            item = self.item(sentence(t))
            if led is not None:  # a company's 一是… item grows by a paragraph on its own part
                led.text += item.text
                led.snippets += item.snippets
            elif target is not None:
                target.items.append(item)
            elif point.items:
                point.items.insert(len(point.items) - 1, item)
            else:
                point.items.append(item)
            total += len(t)

    def explicit_points(self) -> list[Point]:
        points: list[Point] = []
        for i, raw in enumerate(self.data["points"], start=1):  # key paths count from 1
            p = Point(heading=strip_number(raw["heading"]))
            n_titled = 0
            # Items titled 一是…二是… number this level; sectors inside then go unnumbered.
            titled_point = any(it.get("title") for it in raw.get("items") or [])
            for j, item in enumerate(raw.get("items") or [], start=1):
                key = f"points[{i}].items[{j}]"
                self.picker.take()
                made: list[Item] = []
                if "text" in item:
                    made.extend(
                        Item(t.strip(), keys=[f"{key}.text"])
                        for t in re.split(r"\n\s*\n", item["text"])
                        if t.strip()
                    )
                if "use" in item:
                    try:
                        text = sentence(self.picker.use(item["use"]))
                        made.append(self.item(text, keys=[f"{key}.use"]))
                    except KeyError:
                        self.error(
                            f"{key}.use",
                            f"短语库中没有 “{item['use']}”，可用 speechgen snippets search 查找",
                        )
                if "from" in item:
                    made.extend(self._from(item["from"], f"{key}.from", titled_point))
                if not made:
                    continue
                if item.get("title"):
                    n_titled += 1
                    titles = sum(1 for it in raw.get("items") or [] if it.get("title"))
                    # a lone titled item is not numbered: 一是 needs its 二是
                    made[0].lead = (
                        _lead(n_titled, item["title"])
                        if titles > 1
                        else sentence(str(item["title"]).rstrip("。"))
                    )
                    made[0].keys.append(f"{key}.title")
                p.items.extend(made)
            points.append(p)
        return points

    def _from(self, source: str, key: str, titled: bool = False) -> list[Item]:
        if source == "accidents":
            out = self.accident_items()
            if not out:
                self.error(key, "没有可引用的事故：请在 accidents 中填写事故", "E121")
            return out
        if source == "stats":
            self.picker.take()
            fact = self.stats_fact()
            if not fact:
                self.error(
                    key, "没有可用的统计数据：请填写 stats 的 current、hazards 或 history", "E121"
                )
                return []
            told, _ = facts.with_tone(fact, self.sit)
            return [self.item(told.text, keep=True, keys=told.keys)]
        if source == "sectors":
            items = self.sector_items(numbered=not titled)
            for it in items:
                it.text, it.lead = it.lead + it.text, ""
            return items
        if source == "responsibilities":
            out = []
            for roles in (
                () if self.company else ("duty.territorial",),
                ("duty.department",),
                ("duty.enterprise",),
                ("duty.accountability",),
            ):
                self.picker.take()
                t = self.snips(roles) if roles else ""
                if t:
                    out.append(self.item(t))
            return out
        self.error(key, f"无法识别的 from：{source}", "E103")
        return []

    # ------------------------------------------------------------------ output
    def title(self) -> str:
        return SpeechJob(self.job, self.picker.library).stem(0)

    def plan(self) -> dict[str, Any]:
        points = (
            self.explicit_points() if isinstance(self.data["points"], list) else self.auto_points()
        )
        if self.findings:
            raise UserError("", self.findings)
        if self.outline:
            for p in points:
                for i in p.items + [i for s in p.subs for i in s.items]:
                    if not i.keep:
                        i.text = shorten(i.text, i.brief)
        speaker = self.data.get("speaker") or {}
        who = "　".join(x for x in (speaker.get("role", ""), speaker.get("name", "")) if x)
        opening = self.opening(len(points))
        closing = self.closing()
        return {
            "title": self.title(),
            "subtitle": [x for x in (who, f"（{full_date(self.date)}）") if x],
            "salutation": self.salutation(),
            "opening": opening,
            "points": points,
            "closing": closing,
            "outline": self.outline,
        }

    def trace_items(self, plan: dict[str, Any]) -> list[Item]:
        """Every planned paragraph with its trace, in document order."""
        items = [self.opening_trace]
        for p in plan["points"]:
            items.extend(p.items)
            for s in p.subs:
                items.extend(s.items)
        items.append(self.closing_trace)
        return items


def compose_speech(job: Any, library: Library, seed: int = 0, templates: Any = None) -> Document:
    """The speech or outline document of a validated ``speech``/``outline`` job."""
    composer = SpeechComposer(job, library, seed)
    plan = composer.plan()
    doc = render_template("speech", plan, templates, kind=job.type, name_stem=plan["title"])
    doc.meta["trace"] = enrich(trace_of(doc, composer.trace_items(plan)), job, library)
    doc.meta["input"] = Path(str(job.path)).name
    speaker = job.data.get("speaker") or {}
    doc.meta.update(
        {
            "title": plan["title"],
            "author": job.data["org"].get("name") or speaker.get("role", ""),
            "subject": job.data["meeting"]["name"],
            "date": composer.date.isoformat(),
            "level": composer.level,  # the render gate checks the input's level
            "keywords": "安全生产;讲话" + ("提纲" if composer.outline else "稿"),
        }
    )
    return doc


def trace_of(doc: Document, items: list[Item]) -> list[dict[str, Any]]:
    """For each document paragraph that a planned item became: its snippets and key paths.

    Paragraphs are matched by their text, in order, so a user's template that
    reorders or drops parts still gets a right trace for what it kept.
    """
    pending: dict[str, list[Item]] = {}
    for it in items:
        pending.setdefault(it.full_text, []).append(it)
        if it.full_text != it.text:
            pending.setdefault(it.text, []).append(it)
    out: list[dict[str, Any]] = []
    for index, block in enumerate(doc.blocks):
        text = getattr(block, "full_text", None)
        if not text or text not in pending or not pending[text]:
            continue
        it = pending[text].pop(0)
        if not (it.snippets or it.keys):
            continue
        out.append({"block": index, "snippets": list(it.snippets), "keys": list(it.keys)})
    return out


class SpeechJob:
    """The one document of a ``speech`` or ``outline`` job."""

    def __init__(self, job: Any, library: Library, seed: int = 0, templates: Any = None):
        self.job = job
        self.library = library
        self.seed = seed
        self.templates = templates

    def __len__(self) -> int:
        return 1

    def stem(self, i: int) -> str:
        d = self.job.data
        if d.get("title"):
            return str(d["title"]).strip()
        return f"在{d['meeting']['name']}上的讲话" + ("提纲" if self.job.type == "outline" else "")

    def label(self, i: int) -> str:
        return ""

    def problems(self, i: int) -> list[Finding]:
        return []

    def compose(self, i: int) -> Document:
        return compose_speech(self.job, self.library, self.seed, self.templates)
