"""Speeches and speech outlines: plan the points, phrase the facts, fill the template.

``points: auto`` builds the usual three-part speech (形势 → 重点工作 → 责任)
from whatever data the input has; an explicit ``points`` list is honoured item
by item. The plan is handed to ``templates/speech.md.j2`` (or a user's
template of that name), whose block markup becomes the document model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import ERROR, Finding, UserError
from ..model import Document, cn_ordinal
from .accidents import accident_clause, accident_list, accident_name
from .context import base_context
from .dates import full_date, quarter_short
from .joins import join
from .library import Library, Picker
from .numbers import cn_count
from .reference import pick_family, sector_book
from .sector_lines import duty_clause, sector_title, sector_topic
from .situation import situation_of
from .stats import direction, hazards_sentence, situation_sentence
from .templates import render_template
from .text import derive_seed, sentence, shorten, strip_number
from .vocabulary import prefix_department

SPEECH_MIN_CHARS = 2600


@dataclass
class Item:
    """A paragraph of the plan; ``lead`` is its inline title (一是……。).

    ``keep`` marks paragraphs that carry the input's facts (figures, cited
    accidents): an outline keeps them whole.
    """

    text: str
    lead: str = ""
    keep: bool = False


@dataclass
class SubPoint:
    heading: str
    items: list[Item] = field(default_factory=list)


@dataclass
class Point:
    heading: str
    items: list[Item] = field(default_factory=list)
    subs: list[SubPoint] = field(default_factory=list)

    def chars(self) -> int:
        n = len(self.heading) + sum(len(i.lead) + len(i.text) for i in self.items)
        for s in self.subs:
            n += len(s.heading) + sum(len(i.lead) + len(i.text) for i in s.items)
        return n


def _lead(n: int, title: str) -> str:
    return f"{cn_ordinal(n)}是{title.rstrip('。')}。"


class SpeechComposer:
    """Builds one speech or outline document from a validated job."""

    def __init__(self, job: Any, library: Library, seed: int = 0):
        self.job = job
        self.data: dict[str, Any] = job.data
        self.outline = job.type == "outline"
        d = self.data
        self.level: str = d["org"]["level"]
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

    # ------------------------------------------------------------------ helpers
    def snip(self, role: str, **cond: Any) -> str:
        return self.picker.text(role, **cond)

    def snips(self, roles: list[str], **cond: Any) -> str:
        return "".join(sentence(t) for t in (self.snip(r, **cond) for r in roles) if t)

    def error(self, key: str, message: str, code: str = "E120") -> None:
        self.findings.append(
            Finding(str(self.job.path), self.job.position(key), ERROR, code, message, key)
        )

    # ------------------------------------------------------------------ facts
    def stats_text(self) -> str:
        stats = self.data.get("stats")
        if not stats or not stats.get("current"):
            return ""
        period = stats.get("period") or (
            f"今年{quarter_short(self.quarter)}" if self.quarter else "今年以来"
        )
        text = situation_sentence(period, self.ctx["all"], stats["current"], stats.get("previous"))
        hz = stats.get("hazards")
        if hz:
            text += sentence(hazards_sentence(hz["found"], hz["fixed"], hz.get("major")))
        return text

    def accidents_text(self) -> list[str]:
        accs = list(self.data.get("accidents") or [])
        cause = self.meeting.get("cause") if self.kind == "emergency" else None
        if cause and cause.get("date"):
            # the accident that prompted the meeting is told once, at the head of point 1
            accs = [
                a
                for a in accs
                if not (a.get("date") == cause.get("date") and a.get("place") == cause.get("place"))
            ]
        if not accs:
            return []
        outside = [a for a in accs if a.get("scope", "national") != "local"]
        local = [a for a in accs if a.get("scope") == "local"]
        paras: list[str] = []
        if outside:
            intro = self.snip("accident.intro") or "从近期发生的事故看，"
            if intro.endswith("。"):
                intro = intro[:-1] + "："
            elif not intro.endswith(("，", "：")):
                intro += "，"
            body = accident_list(outside, self.year)
            outro = self.snip("accident.outro", without_tags=self.no_claims)
            paras.append(f"{intro}{body}。{sentence(outro) if outro else ''}")
        if local:
            body = accident_list(local, self.year)
            tail = "这些事故暴露出一些单位安全责任不落实、隐患排查不彻底等问题，教训十分深刻。"
            paras.append(f"从{self.ctx['self']}情况看，{body}。{tail}")
        return paras

    def sector_items(self, numbered: bool = True) -> list[Item]:
        """One paragraph per sector: ``一是道路交通安全。由……牵头……``.

        Unnumbered (inside an item that is itself ``一是……``) the sector
        leads its paragraph as ``道路交通方面，……``.
        """
        sectors = list(self.data.get("sectors") or [])
        book = sector_book()
        if not sectors:
            sectors = [{"name": n} for n in self.default_sectors()]
        items: list[Item] = []
        for i, sec in enumerate(sectors, start=1):
            typed = sec["name"].strip()
            known = book.find(typed)
            lead_dept = sec.get("lead")
            support = list(sec.get("support") or [])
            checks = list(sec.get("checks") or [])
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
                )
                parts.append(sentence(clause))
            if not sec.get("text"):
                values: dict[str, str] = {"sector": typed}
                if not given and known is not None:
                    if known.lead:
                        values["lead"] = prefix_department(known.lead, self.level)
                    if known.checks:
                        values["checks"] = join(list(known.checks))
                    if known.support:
                        values["support"] = join(
                            [prefix_department(s, self.level) for s in known.support]
                        )
                canonical = known.name if known else None
                body = ""
                if canonical:
                    body = self.picker.text(
                        "sector",
                        sector=canonical,
                        register="speech",
                        values=values,
                        without_tags=("fangmian", "lingyu"),
                    )
                if not body and not given:
                    body = f"要全面排查{typed}领域风险隐患，坚决防范遏制各类事故发生。"
                if body:
                    parts.append(sentence(body))
            text = "".join(parts)
            if self.outline:
                text = shorten(text, 1 if given else 2)
            if numbered:
                items.append(Item(text=text, lead=_lead(i, sector_title(typed))))
            else:
                items.append(Item(text=f"{sector_topic(typed)}方面，{text}"))
        return items

    def default_sectors(self) -> list[str]:
        if self.company:
            return ["消防", "特种设备", "有限空间"]
        names = ["道路交通", "消防", "危险化学品", "建筑施工"]
        seasonal = {1: "烟花爆竹", 2: "防汛抗旱", 3: "防汛抗旱", 4: "冬季取暖"}
        if (
            self.quarter
            and seasonal.get(self.quarter)
            and sector_book().find(seasonal[self.quarter])
        ):
            names.append(seasonal[self.quarter])
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

    # ------------------------------------------------------------------ plan
    def opening(self, n_points: int) -> list[str]:
        speaker = self.data.get("speaker") or {}
        days = self.meeting.get("days_since_last")
        if days:  # 时隔十天，我们再次召开…
            frame = f"时隔{cn_count(days)}天，我们再次召开{self.meeting['name']}。"
        elif speaker.get("on_behalf_of"):  # 受县委、县政府主要领导委托，今天召开…
            frame = f"受{speaker['on_behalf_of']}委托，今天召开{self.meeting['name']}。"
        else:
            frame = self.snip("open.frame")
        recap = self.recap()
        endorse = self.snip("open.endorse") if recap else ""
        count = cn_ordinal(n_points) if n_points != 2 else "两"
        transition = f"下面，我讲{count}点意见。"
        if self.kind == "emergency":
            transition = f"下面，就做好当前安全生产工作，我再强调{count}点意见。"
        text = "".join(sentence(t) for t in (frame, recap, endorse) if t) + transition
        return [text]

    def point_situation(self, heading: str) -> Point:
        p = Point(heading=heading)
        stats = self.stats_text()
        d = self.data
        sit = d.get("situation") or {}
        if self.kind == "emergency" and self.meeting.get("cause"):
            cause = self.meeting["cause"]
            if cause.get("date"):
                p.items.append(
                    Item(
                        sentence(accident_clause(cause, self.year))
                        + "这起事故教训极其深刻，再次给我们敲响了警钟。",
                        keep=True,
                    )
                )
            else:
                p.items.append(Item(f"{accident_name(cause)}教训极其深刻，再次给我们敲响了警钟。"))
        emergency = self.kind == "emergency"
        improving = self.trend() <= 0 and not emergency
        if stats:
            good = self.snip("situation.thanks") if improving else ""
            if not improving:
                good = "这些数字表明，当前安全生产形势依然严峻复杂，稳中向好的基础还不牢固，必须引起我们的高度警觉。"
            if good and not self.outline:
                p.items.append(Item(stats + sentence(good), keep=True))
            else:
                p.items.append(Item(stats, keep=True))
                if good:
                    p.items.append(Item(sentence(good)))
        elif not emergency:
            p.items.append(Item(self.snips(["situation.good", "situation.thanks"])))
        achievements = sit.get("achievements") or []
        if achievements:
            p.items.append(Item(self._enumerate(achievements, "一年来，我们")))
        turn = self.snip("situation.turn", without_tags=self.no_claims) if improving else ""
        problems = sit.get("problems") or []
        if problems:
            p.items.append(Item(sentence(turn) + self._enumerate(problems, "主要表现在：")))
        elif emergency:
            lead = "这起事故暴露出的问题，在我们身边同样不同程度地存在。"
            p.items.append(Item(lead + self.snips(["situation.problems"])))
        else:
            p.items.append(Item(sentence(turn) + self.snips(["situation.problems"])))
        for para in self.accidents_text():
            p.items.append(Item(para, keep=True))
        season = self.snips(["situation.season", "situation.pressure"])
        if season:
            p.items.append(Item(season))
        p.items.append(Item(self.snips(["attitude", "situation.conclusion"])))
        p.items = [i for i in p.items if i.text]
        return p

    @property
    def no_claims(self) -> tuple[str, ...]:
        """Tags of snippets that claim no serious local accident: left out when there was one."""
        local = any(a.get("scope") == "local" for a in self.data.get("accidents") or [])
        if local or self.kind == "emergency":
            return ("无本地重大事故",)
        return ()

    def trend(self) -> int:
        """Sum of the indicator directions (negative: the numbers went down)."""
        stats = self.data.get("stats") or {}
        cur, prev = stats.get("current") or {}, stats.get("previous") or {}
        return sum(
            direction(cur[k], prev[k])
            for k in ("accidents", "deaths", "injured", "loss_wan")
            if k in cur and k in prev
        )

    @staticmethod
    def _enumerate(items: list[str], head: str) -> str:
        parts = [
            f"{cn_ordinal(i)}是{str(t).strip().rstrip('。；;')}" for i, t in enumerate(items, 1)
        ]
        return head + "；".join(parts) + "。"

    def point_tasks(self, heading: str) -> Point:
        p = Point(heading=heading)
        fam = pick_family(
            "l2_tasks",
            self.rng,
            level="company" if self.company else "gov",
            kind=self.kind,
            needs=("hazards", "sectors", "enforcement", "emergency"),
        )
        h = fam.headings
        hazards = [self.snip("work.hazards"), self.snip("work.season")]
        if self.kind == "safety_month":
            hazards.append(self.snip("work.safety_month"))
        p.subs.append(SubPoint(h["hazards"], [Item(self.snips(["work.hazards"]))]))
        extra = "".join(sentence(t) for t in hazards[1:] if t)
        if extra:
            p.subs[-1].items.append(Item(extra))
        intro = self.snip("work.sectors")
        sector_items = self.sector_items()
        sub = SubPoint(h["sectors"], ([Item(sentence(intro))] if intro else []) + sector_items)
        p.subs.append(sub)
        if not self.company:
            p.subs.append(
                SubPoint(
                    h["enforcement"], [Item(self.snips(["work.enforcement", "work.enforcement"]))]
                )
            )
        emergency = ["work.emergency"]
        if self.kind == "holiday":
            emergency.insert(0, "work.holiday")
        p.subs.append(SubPoint(h["emergency"], [Item(self.snips(emergency))]))
        if "foundation" in h:
            found = self.snips(["work.training", "work.investment"])
            if found:
                p.subs.append(SubPoint(h["foundation"], [Item(found)]))
        for s in p.subs:
            s.items = [i for i in s.items if i.text]
        p.subs = [s for s in p.subs if s.items]
        return p

    def point_duty(self, heading: str) -> Point:
        p = Point(heading=heading)
        lead = self.snip("duty.lead")
        if lead:
            p.items.append(Item(sentence(lead)))
        if self.company:
            roles = ["duty.department", "duty.enterprise", "duty.accountability"]
            titles = ["压实部门管理责任", "落实岗位安全责任", "严格考核奖惩"]
            n = 0
            for role, title in zip(roles, titles, strict=True):
                t = self.snip(role)
                if t:
                    n += 1
                    p.items.append(Item(sentence(t), lead=_lead(n, title)))
            return p
        fam = pick_family(
            "l2_duty",
            self.rng,
            level="gov",
            kind=self.kind,
            needs=("territorial", "department", "enterprise", "accountability"),
        )
        h = fam.headings
        plan = [
            ("territorial", ["duty.territorial"]),
            ("department", ["duty.department", "duty.coordination"]),
            ("enterprise", ["duty.enterprise"]),
            ("accountability", ["duty.assessment", "duty.accountability"]),
        ]
        for key, roles in plan:
            text = self.snips(roles)
            if text:
                p.subs.append(SubPoint(h[key], [Item(text)]))
        return p

    def closing(self) -> list[str]:
        prefer: list[str] = []
        if self.ctx.get("event"):
            prefer.append("event")
        if self.ctx.get("vision"):
            prefer.append("vision")
        text = ""
        for slot in prefer:
            s = self.picker.pick("closing", requires=slot)
            if s is not None:
                text = self.picker.fill(s, s.texts[self.rng.randrange(len(s.texts))])
                break
        if not text:
            text = self.snip("closing")
        closing = self.data.get("closing") or {}
        for key in ("event", "vision"):
            if closing.get(key) and closing[key] not in text:
                text = sentence(text) + sentence(
                    f"让我们以更加坚定的决心、更加有力的举措，{closing[key]}"
                    if key == "vision"
                    else f"以良好的安全生产环境迎接{closing[key]}胜利召开"
                )
        out = [sentence(text)] if text else []
        if self.company:
            out.append("谢谢大家！")
        return out

    def auto_points(self) -> list[Point]:
        fam = pick_family(
            "l1",
            self.rng,
            level="company" if self.company else "gov",
            kind=self.kind,
            needs=("situation", "tasks", "duty"),
        )
        h = fam.headings
        points = [
            self.point_situation(h["situation"]),
            self.point_tasks(h["tasks"]),
            self.point_duty(h["duty"]),
        ]
        self._fit_length(points)
        return points

    def _fit_length(self, points: list[Point]) -> None:
        """Add stock paragraphs until the speech reaches the usual length of a speech."""
        if self.outline:
            return
        total = sum(p.chars() for p in points)
        extra_roles = [
            (1, "work.investment"),
            (1, "work.training"),
            (2, "duty.coordination"),
            (0, "situation.pressure"),
            (1, "work.hazards"),
            (1, "work.enforcement"),
            (2, "duty.accountability"),
            (1, "work.emergency"),
            (2, "duty.enterprise"),
            (0, "attitude"),
            (2, "duty.assessment"),
            (1, "work.training"),
            (1, "work.investment"),
        ]
        for idx, role in extra_roles:
            if total >= SPEECH_MIN_CHARS:
                break
            t = self.snip(role)
            if not t:
                continue
            target = points[idx]
            if target.subs:
                target.subs[-1].items.append(Item(sentence(t)))
            elif idx == 0 and target.items:
                target.items.insert(len(target.items) - 1, Item(sentence(t)))
            else:
                target.items.append(Item(sentence(t)))
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
                texts: list[str] = []
                if "text" in item:
                    texts.extend(t.strip() for t in re.split(r"\n\s*\n", item["text"]) if t.strip())
                if "use" in item:
                    try:
                        texts.append(sentence(self.picker.use(item["use"])))
                    except KeyError:
                        self.error(
                            f"{key}.use",
                            f"短语库中没有 “{item['use']}”，可用 speechgen snippets search 查找",
                        )
                if "from" in item:
                    texts.extend(self._from(item["from"], f"{key}.from", titled_point))
                if not texts:
                    continue
                lead = ""
                if item.get("title"):
                    n_titled += 1
                    lead = _lead(n_titled, item["title"])
                if self.outline:
                    texts = [shorten(t) for t in texts]
                p.items.append(Item(texts[0], lead=lead))
                p.items.extend(Item(t) for t in texts[1:])
            points.append(p)
        return points

    def _from(self, source: str, key: str, titled: bool = False) -> list[str]:
        if source == "accidents":
            out = self.accidents_text()
            if not out:
                self.error(key, "没有可引用的事故：请在 accidents 中填写事故", "E121")
            return out
        if source == "stats":
            text = self.stats_text()
            if not text:
                self.error(key, "没有可用的统计数据：请填写 stats.current", "E121")
            return [text] if text else []
        if source == "sectors":
            return [i.lead + i.text for i in self.sector_items(numbered=not titled)]
        if source == "responsibilities":
            return [
                t
                for t in (
                    self.snips(["duty.territorial"]) if not self.company else "",
                    self.snips(["duty.department"]),
                    self.snips(["duty.enterprise"]),
                    self.snips(["duty.accountability"]),
                )
                if t
            ]
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
                p.items = [i if i.keep else Item(shorten(i.text), i.lead) for i in p.items]
                for s in p.subs:
                    s.items = [i if i.keep else Item(shorten(i.text), i.lead) for i in s.items]
        speaker = self.data.get("speaker") or {}
        who = "　".join(x for x in (speaker.get("role", ""), speaker.get("name", "")) if x)
        salutation = self.data.get("salutation")
        if salutation is None:
            salutation = "" if self.outline else ("各位同事：" if self.company else "同志们：")
        return {
            "title": self.title(),
            "subtitle": [x for x in (who, f"（{full_date(self.date)}）") if x],
            "salutation": salutation,
            "opening": self.opening(len(points)),
            "points": points,
            "closing": self.closing(),
            "outline": self.outline,
        }


def compose_speech(job: Any, library: Library, seed: int = 0, templates: Any = None) -> Document:
    """The speech or outline document of a validated ``speech``/``outline`` job."""
    composer = SpeechComposer(job, library, seed)
    plan = composer.plan()
    doc = render_template("speech", plan, templates, kind=job.type, name_stem=plan["title"])
    speaker = job.data.get("speaker") or {}
    doc.meta.update(
        {
            "title": plan["title"],
            "author": job.data["org"].get("name") or speaker.get("role", ""),
            "subject": job.data["meeting"]["name"],
            "date": composer.date.isoformat(),
            "keywords": "安全生产;讲话" + ("提纲" if composer.outline else "稿"),
        }
    )
    return doc


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
