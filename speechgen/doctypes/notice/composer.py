"""Notices (通知): quarterly notices, task-assignment notices and yearly batches.

The body is written in notice register (现将有关事项通知如下、一、……), from
the data: the situation with its 同比 wording, the quarter's seasonal
priorities, the sector lines with 由……牵头, and the requirements (duty,
supervision, reporting with the contact). A ``tasks`` list becomes the
attached 任务分工表.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ...compose import facts
from ...compose.context import base_context
from ...compose.dates import full_date, month_day, quarter_cn, quarter_of
from ...compose.joins import join, join_and
from ...compose.library import Library, Picker
from ...compose.reference import sector_book
from ...compose.repeats import shares_run
from ...compose.sector_lines import duty_clause, sector_title
from ...compose.situation import situation_of
from ...compose.templates import render_template
from ...compose.text import derive_seed, sentence, strip_number
from ...errors import Finding
from ...model import Document, cn_ordinal

_YEAR_BRACKETS = re.compile(r"[\[【［(（〔]\s*(\d{4})\s*[\]】］)）〕]")

TASK_HEADER = ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"]
TASK_WIDTHS = [0.7, 3.9, 2.0, 2.2, 2.4]


def normalize_doc_number(number: str) -> str:
    """``青安办[2024]12号`` / ``【2024】`` → ``青安办〔2024〕12号`` (GB/T 9704 brackets)."""
    number = re.sub(r"\s+", "", number)
    return _YEAR_BRACKETS.sub(lambda m: f"〔{m.group(1)}〕", number)


_TITLE_QUARTER = re.compile(r"第([一二三四])季度")


def quarter_in_title(title: Any) -> int | None:
    """The quarter a given title names (第二季度 → 2): it wins over the date's quarter."""
    m = _TITLE_QUARTER.search(str(title or ""))
    return "一二三四".index(m.group(1)) + 1 if m else None


def quarter_year(date: Any, quarter: int | None) -> int:
    """The year of the quarter a notice dated ``date`` is for (a December notice for Q1: next year)."""
    if quarter and quarter < (date.month - 1) // 3 + 1:
        return date.year + 1
    return date.year


def default_title(year: int, quarter: int | None) -> str:
    if quarter:
        return f"关于做好{year}年{quarter_cn(quarter)}安全生产工作的通知"
    return f"关于做好{year}年安全生产工作的通知"


def due_text(value: Any, year: int) -> str:
    """完成时限: ``7月31日前`` in the notice's year, ``2025年3月31日前`` otherwise; text as typed."""
    if hasattr(value, "year") and hasattr(value, "month"):
        return month_day(value, year) + "前"
    return str(value or "")


@dataclass(frozen=True)
class SeasonTopic:
    """A risk season a quarterly notice gives its own item, when one of its windows is ahead."""

    key: str
    quarter: int  # the quarter whose season it is (spec/INPUT.md)
    windows: tuple[str, ...]  # calendar windows (any ahead brings the item)
    title: str  # the item's run-in title; {names} = the named windows ahead
    named: tuple[str, ...] = ()  # windows named in the title


SEASON_TOPICS: tuple[SeasonTopic, ...] = (
    # the seasons of each quarter (spec/INPUT.md, notice), in the order they come
    SeasonTopic(
        "元旦春节", 1, ("元旦", "春节", "春运"), "抓好{names}期间安全防范", ("元旦", "春节")
    ),
    SeasonTopic("全国两会", 1, ("全国两会",), "做好全国“两会”期间安全保障"),
    SeasonTopic("低温雨雪冰冻", 1, ("低温雨雪冰冻",), "防范低温雨雪冰冻天气影响"),
    SeasonTopic("复工复产", 1, ("复工复产",), "抓好节后复工复产安全"),
    SeasonTopic("五一", 2, ("五一", "端午"), "抓好{names}假期安全防范", ("五一", "端午")),
    SeasonTopic("安全生产月", 2, ("安全生产月",), "扎实开展“安全生产月”活动"),
    # 汛前 only while it is not behind: a notice of late April speaks of the 汛期 alone
    SeasonTopic("汛期", 2, ("汛前", "汛期"), "全力做好{names}安全防范", ("汛前", "汛期")),
    SeasonTopic("高温", 3, ("高温",), "加强高温时段安全防范"),
    SeasonTopic("主汛期", 3, ("主汛期",), "全力做好主汛期安全防范"),
    SeasonTopic("暑期", 3, ("暑期",), "抓好暑期安全防范"),
    SeasonTopic("中秋国庆", 3, ("中秋", "国庆"), "做好{names}期间安全防范", ("中秋", "国庆")),
    SeasonTopic("冬季取暖", 4, ("冬季取暖",), "加强冬季取暖和燃气安全"),
    SeasonTopic("森林防火", 4, ("秋冬森林防火",), "严防秋冬季森林火灾"),
    SeasonTopic("岁末年初", 4, ("岁末年初", "年底"), "严防岁末年初事故反弹"),
    SeasonTopic("烟花爆竹", 4, ("烟花爆竹",), "加强烟花爆竹安全监管"),
)
# Sectors a notice names when the input gives none: by quarter, each quarter's own risks,
# and few shared between quarters, so a year's batch does not repeat itself.
DEFAULT_SECTORS: dict[int, tuple[str, ...]] = {
    0: ("道路交通", "消防", "危险化学品", "建筑施工"),
    1: ("道路交通", "消防", "危险化学品"),
    2: ("建筑施工", "防汛抗旱", "特种设备"),
    3: ("有限空间", "防汛抗旱", "建筑施工"),
    4: ("燃气", "消防", "森林防火"),
}
# How a window is named in running text.
SEASON_NAMES = {
    "元旦春节": "元旦春节",
    "全国两会": "全国“两会”",
    "五一": "“五一”",
    "端午": "端午",
    "安全生产月": "“安全生产月”",
    "汛前": "汛前",
    "汛期": "汛期",
    "主汛期": "主汛期",
    "烟花爆竹": "烟花爆竹燃放旺季",
    "中秋国庆": "中秋国庆",
    "冬季取暖": "冬季取暖期",
    "森林防火": "秋冬森林防火期",
    "清明": "清明",
    "复工复产": "节后复工复产",
    "低温雨雪冰冻": "低温雨雪冰冻天气",
    "高温": "高温季节",
    "暑期": "暑期",
    "岁末年初": "岁末年初",
}


# Places a notice takes in each role's list (a role is used at most this often in one notice).
TURNS = 3


class NoticeComposer:
    """Builds one notice from one (merged) notice mapping."""

    def __init__(self, job: Any, data: dict[str, Any], library: Library, seed: int, index: int = 0):
        self.job = job
        self.data = data
        # the notices of one batch take turns through each role's snippets, so no two
        # notices of a batch share a paragraph (beyond the fixed closing parts)
        self.index = index
        self.turn_seed = derive_seed(seed, "notice-batch")
        self.date = data["date"]
        self.year = self.date.year
        self.quarter: int | None = quarter_in_title(data.get("title")) or data.get("quarter")
        self.qyear = quarter_year(self.date, self.quarter)  # the year the notice speaks for
        self.level = data["org"]["level"]
        self.company = self.level == "公司"
        self.ctx = base_context(data, year=self.year, quarter=self.quarter)
        contact = data.get("contact") or {}
        if contact.get("name"):
            self.ctx["contact_name"] = contact["name"]
        if contact.get("phone"):
            self.ctx["contact_phone"] = str(contact["phone"])
        self.title = notice_title(data)
        self.sit = situation_of(data, kind="quarterly", date=self.date, quarter=self.quarter)
        self.picker = Picker(
            library,
            derive_seed(seed, "notice", self.title),
            self.ctx,
            level="company" if self.company else "gov",
            quarter=self.quarter,
            register="notice",
            situation=self.sit,
        )

    def snip(self, role: str, turn: int = 0, width: int = 0, avoid: str = "", **cond: Any) -> str:
        """The ``turn``-th snippet of ``role`` for this notice, filled; '' if none fits.

        The notices of a batch take turns through the same list (notice ``index``
        takes places ``index * width + turn``, ``width`` the most it takes of the
        role), so as long as a role has ``batch size × width`` snippets no two
        notices of a batch share one. A snippet that would repeat a phrase of
        ``avoid`` (the paragraph so far) gives way to the next one that does not.
        """
        values = cond.pop("values", {})
        options = self.picker.candidates(role, extra_slots=tuple(values), include_used=True, **cond)
        if not options:
            return ""
        place = self.turn_seed + self.index * (width or TURNS) + turn
        s = options[place % len(options)]
        if s.id in self.picker.used:  # fewer snippets than places: never one twice in a notice
            rest = [o for o in options if o.id not in self.picker.used]
            if not rest:
                return ""
            s = rest[place % len(rest)]
        variant = (place // len(options)) % len(s.texts)
        filled = sentence(self.picker.fill(s, s.texts[variant], **values))
        if avoid and shares_run(filled, avoid):
            start = options.index(s)
            for k in range(1, len(options)):
                o = options[(start + k) % len(options)]
                if o.id in self.picker.used:
                    continue
                text = sentence(self.picker.fill(o, o.texts[variant % len(o.texts)], **values))
                if not shares_run(text, avoid):
                    s, filled = o, text
                    break
            else:
                return ""  # every one left would say something twice: the paragraph is done
        self.picker.used.add(s.id)
        self.picker.log.append(s.id)
        return filled

    def snips(self, *roles: str, **cond: Any) -> str:
        return "".join(self.snip(r, turn, **cond) for turn, r in enumerate(roles))

    # ------------------------------------------------------------------ the opening
    def figures(self) -> str:
        """The figures and, when they rose, what that means (the tone of the notice)."""
        fact = facts.stats_fact(
            self.data.get("stats"),
            self.ctx["all"],
            str((self.data.get("stats") or {}).get("period") or "今年以来"),
        )
        if not fact:
            return ""
        rises = [facts.LABELS[k] for k in self.sit.trend.rises]
        text = fact.text
        if rises and self.sit.trend.overall == "worse":
            text += f"特别是{join_and(rises)}同比上升，安全生产形势依然严峻复杂。"
        elif rises:
            text += f"但{join_and(rises)}同比上升，安全生产形势稳中有忧。"
        return text

    def topic_name(self, topic: SeasonTopic, title: bool = False) -> str:
        """What a season topic is called in this notice: its own name (中秋国庆, 岁末年初);
        where some of the holidays it names are behind, those still ahead (春节 after
        New Year), and where all are, the windows still ahead (春运 after 春节). An
        item's ``title`` names each holiday ahead (做好中秋和国庆期间安全防范)."""
        ahead = [w for w in topic.windows if self.sit.ahead(w)]
        named = [w for w in ahead if w in topic.named]
        if topic.named and not named:
            return join_and([SEASON_NAMES.get(w, w) for w in ahead])
        if named and (title or len(named) < len(topic.named)):
            return join_and([SEASON_NAMES.get(w, w) for w in named])
        return SEASON_NAMES.get(topic.key, topic.key)

    def season_overview(self) -> str:
        """第二季度，“五一”假期、“安全生产月”和汛期相继到来…: the quarter's windows ahead."""
        names = [self.topic_name(t) for t in self.season_topics()]
        if not names:
            return ""
        when = quarter_cn(self.quarter) if self.quarter else "近期"
        return (
            f"{when}，{join_and(names)}相继到来，各类安全风险交织叠加，安全生产工作任务艰巨繁重。"
        )

    def tasks_span(self) -> str:
        """第一季度 when every task is due within the notice's quarter, 全年 when every
        one is due within its year, else 本通知所列 (the dates say nothing more)."""
        dues = [t.get("due") for t in self.data.get("tasks") or []]
        if not dues or not all(hasattr(d, "year") for d in dues):
            return "本通知所列"
        if self.quarter and all(
            d.year == self.qyear and quarter_of(d) == self.quarter for d in dues
        ):
            return quarter_cn(self.quarter)
        if all(d.year == self.qyear for d in dues):
            return "全年"
        return "本通知所列"

    def intro(self) -> str:
        basis = self.data.get("basis")
        approved = self.data.get("approved_by")
        agreed = f"经{str(approved).strip()}同意，" if approved else ""
        if basis:
            basis = str(basis).strip().rstrip("。，,；;")
            if not basis.startswith(("为", "根据", "按照")):
                basis = "为" + basis
            if "现将" in basis or "现就" in basis:
                return f"{basis}。{agreed}现就有关要求通知如下："
            return f"{basis}，{agreed}现将有关事项通知如下："
        # a notice that hands out a task table (关于印发…任务分工的通知) says so, whatever the
        # quarter its date falls in
        if self.data.get("tasks") and (not self.quarter or "任务分工" in self.title):
            n = len(self.data["tasks"])
            return (
                f"为切实抓好{self.year}年安全生产重点工作，{agreed}现将{self.year}年安全生产重点工作"
                f"任务分工（共{n}项，见附件）印发给你们，并就有关事项通知如下："
            )
        when = f"{self.qyear}年{quarter_cn(self.quarter)}" if self.quarter else "当前"
        return (
            f"为切实做好{when}安全生产工作，有效防范遏制各类生产安全事故，{agreed}"
            "现将有关事项通知如下："
        )

    # ------------------------------------------------------------------ the body
    def season_topics(self) -> list[SeasonTopic]:
        """The quarter's seasons that are not behind the date (without a quarter: all ahead)."""
        return [
            t
            for t in SEASON_TOPICS
            if (self.quarter is None or t.quarter == self.quarter)
            and any(self.sit.ahead(w) for w in t.windows)
        ]

    def season_items(self) -> list[dict[str, str]]:
        """One item per risk season of the quarter, in the order they come."""
        items = []
        for topic in self.season_topics():
            ahead = [w for w in topic.windows if self.sit.ahead(w)]
            # a season's snippets belong to its quarter alone: up to three, in turn
            text = ""
            for turn in range(3):
                text += self.snip("notice.season", turn, season_of=tuple(ahead), avoid=text)
            if not text:
                continue
            title = topic.title.format(names=self.topic_name(topic, title=True))
            items.append({"lead": title, "text": text})
        return items

    def sector_paragraphs(self) -> list[tuple[str, str]]:
        sectors = list(self.data.get("sectors") or [])
        book = sector_book()
        if not sectors:
            # the quarter's usual sectors (a batch's quarters name different ones)
            names = DEFAULT_SECTORS.get(self.quarter or 0, DEFAULT_SECTORS[0])
            sectors = [{"name": n} for n in names]
        out: list[tuple[str, str]] = []
        for sec in sectors:
            typed = sec["name"].strip()
            known = book.find(typed)
            named_lead, named_support = known.departments(self.level) if known else ("", ())
            lead = sec.get("lead") or named_lead
            support = sec.get("support") or []
            if not sec.get("lead") and not support:
                support = list(named_support)
            # typed items are the office's; the dictionary's bound to a season only in it
            checks = sec.get("checks") or [
                c for c in (known.checks_for(self.level) if known else ()) if self.sit.in_season(c)
            ]
            parts: list[str] = []
            if sec.get("text"):
                parts.append(sentence(sec["text"]))
            clause = duty_clause(
                self.level,
                lead,
                support if lead else [],
                checks,
                fallback=f"全面排查{typed}领域风险隐患",
                name=self.data["org"].get("name"),
            )
            parts.append(sentence(clause))
            if not sec.get("text") and known is not None:
                for turn in range(2):
                    parts.append(
                        self.snip(
                            "sector",
                            turn,
                            2,
                            avoid="".join(parts),
                            sector=known.name,
                            values={"sector": typed},
                            without_tags=("fangmian", "lingyu"),
                        )
                    )
            out.append((f"{sector_title(typed)}。", "".join(parts)))
        return out

    def duty_text(self) -> str:
        """值班值守: the typed duty arrangements, else the standing rule."""
        fact = facts.duty_fact(self.data.get("duty"), self.ctx["units"], self.year)
        if fact:
            return fact.text + self.snip("notice.emergency", 0, 1, without_words=("值班", "带班"))
        return self.snip("notice.emergency", 0, 1, with_words=("值班",)) + self.snip(
            "notice.emergency", 0, 1, without_words=("值班",)
        )

    def report_text(self) -> str:
        """信息报送: ``report`` (each quarter's last month, by the day), events, contact."""
        report = self.data.get("report") or {}
        text = ""
        if report:
            to = report.get("to") or self.ctx["office"]
            day = f"{report['day']}日前" if report.get("day") else "按时"
            text = (
                f"请{self.ctx['units']}于每季度最后一个月{day}将本季度安全生产工作开展情况"
                f"报送{to}。"
            )
            text += self.snip("notice.report", without_words=("季度", "联系人"))
        else:
            text = self.snip("notice.report", without_words=("联系人", "事故"))
        text += self.snip("notice.report", 1, with_words=("迟报",))
        contact = self.data.get("contact") or {}
        name, phone = contact.get("name"), contact.get("phone")
        if name:
            bits = f"联系人：{name}"
            if phone:
                bits += f"，联系电话：{phone}"
            text += sentence(bits)
        elif phone:
            text += sentence(f"联系电话：{phone}")
        if contact.get("email"):
            text += sentence(f"电子邮箱：{contact['email']}")
        return text

    def points(self) -> list[dict[str, Any]]:
        if isinstance(self.data.get("points"), list):
            return [
                {
                    "heading": strip_number(p["heading"]),
                    "paras": [
                        {"lead": "", "text": sentence(it["text"])}
                        for it in p.get("items") or []
                        if it.get("text")
                    ]
                    + [
                        {"lead": "", "text": sentence(self.picker.use(it["use"]))}
                        for it in p.get("items") or []
                        if it.get("use") and self.picker.library.get(it["use"])
                    ],
                }
                for p in self.data["points"]
            ]
        gov = not self.company
        pts: list[dict[str, Any]] = []
        # 一、形势和总体要求
        first = [self.figures(), self.season_overview(), self.snip("notice.duty", 0, 2)]
        pts.append(
            {
                "heading": "认清形势，切实增强做好安全生产工作的责任感紧迫感",
                "paras": [{"lead": "", "text": t} for t in first if t],
            }
        )
        # 二、重点工作: the season's risks, then the sectors, then the hazards
        items = self.season_items()
        items += [{"lead": lead, "text": text} for lead, text in self.sector_paragraphs()]
        items.append(
            {
                "lead": "深入开展隐患排查整治。",
                "text": self.snips("notice.hazards", "notice.hazards"),
            }
        )
        for n, it in enumerate(items, start=1):
            it["lead"] = f"（{cn_ordinal(n)}）{it['lead'].rstrip('。')}。"
        pts.append({"heading": "突出重点，全力防范化解季节性安全风险", "paras": items})
        # 三、工作要求
        req: list[dict[str, str]] = []
        duty = self.snip("notice.duty", 1, 2)
        req.append({"lead": "加强组织领导。", "text": duty})
        req.append({"lead": "严格值班值守。", "text": self.duty_text()})
        sup = self.snip("notice.supervision", 0, 2) + self.snip("notice.supervision", 1, 2)
        tasks = self.data.get("tasks") or []
        if tasks:
            sup = (
                f"{self.tasks_span()}{len(tasks)}项重点工作任务的分工见附件，"
                "各牵头单位要会同配合单位细化工作措施，"
                "明确责任人和完成时限，确保各项任务按时完成。" + sup
            )
        sup += "".join(self.requirements())
        req.append({"lead": "强化督导检查。" if gov else "加强检查考核。", "text": sup})
        req.append({"lead": "及时报送信息。", "text": self.report_text()})
        req = [r for r in req if r["text"]]
        for n, it in enumerate(req, start=1):
            it["lead"] = f"（{cn_ordinal(n)}）{it['lead']}"
        pts.append({"heading": "加强领导，确保各项工作要求落到实处", "paras": req})
        for p in pts:
            p["paras"] = [x for x in p["paras"] if x["text"]]
        return [p for p in pts if p["paras"]]

    def requirements(self) -> list[str]:
        """``requirements``: each a snippet id from the library or a sentence as typed."""
        out = []
        for item in self.data.get("requirements") or []:
            item = str(item).strip()
            snippet = self.picker.library.get(item)
            out.append(sentence(self.picker.use(item) if snippet else item))
        return out

    def attachments(self, rows: list[list[str]]) -> list[dict[str, Any]]:
        """The attachments: the 任务分工表 when there are tasks, then those listed in ``attachments``."""
        out: list[dict[str, Any]] = []
        if rows:
            out.append({"title": "任务分工表", "rows": rows, "paras": []})
        for item in self.data.get("attachments") or []:
            text = str(item.get("text") or "")
            paras = [sentence(t) for t in re.split(r"\n\s*\n|\n", text) if t.strip()]
            out.append({"title": str(item["title"]).strip(), "rows": [], "paras": paras})
        for n, a in enumerate(out, start=1):
            a["label"] = "附件" if len(out) == 1 else f"附件{n}"
            a["note"] = a["title"] if len(out) == 1 else f"{n}.{a['title']}"
        return out

    def plan(self) -> dict[str, Any]:
        d = self.data
        issuer = str(d["issuer"]).strip()
        tasks = d.get("tasks") or []
        rows = [
            [
                str(i),
                str(t["task"]),
                join(t["lead"]) if isinstance(t.get("lead"), list) else str(t.get("lead", "")),
                join(t.get("support") or [])
                if isinstance(t.get("support"), list)
                else str(t.get("support") or ""),
                due_text(t.get("due"), self.year),
            ]
            for i, t in enumerate(tasks, start=1)
        ]
        to = str(d["to"]).strip().rstrip("：:")
        cc = str(d.get("cc") or "").strip().rstrip("。")
        return {
            "mark": str(d.get("mark") or f"{issuer}文件"),
            "doc_number": normalize_doc_number(str(d.get("doc_number") or "")),
            "title": self.title,
            "to": f"{to}：",
            "intro": self.intro(),
            "points": self.points(),
            "attachments": self.attachments(rows),
            "issuer": issuer,
            "date": full_date(self.date),
            "task_header": TASK_HEADER,
            "task_widths": ",".join(str(w) for w in TASK_WIDTHS),
            "cc": f"抄送：{cc}。" if cc else "",
            "printed_by": str(d.get("printed_by") or issuer),
            "printed_date": full_date(self.date),
        }


def notice_title(entry: dict[str, Any]) -> str:
    """The title of one notice: as given, or 关于做好…季度安全生产工作的通知."""
    return str(
        entry.get("title")
        or default_title(quarter_year(entry["date"], entry.get("quarter")), entry.get("quarter"))
    ).strip()


class NoticeJob:
    """The documents of a ``notice`` job: one, or one per ``batch`` entry."""

    def __init__(self, job: Any, library: Library, seed: int = 0, templates: Any = None):
        self.job = job
        self.library = library
        self.seed = seed
        self.templates = templates
        self.entries: list[dict[str, Any]] = list(job.data.get("batch") or [job.data])

    def __len__(self) -> int:
        return len(self.entries)

    def stem(self, i: int) -> str:
        return notice_title(self.entries[i])

    def label(self, i: int) -> str:
        q = self.entries[i].get("quarter")
        return quarter_cn(q) if q else str(self.entries[i].get("_row", ""))

    def problems(self, i: int) -> list[Finding]:
        return []

    def compose(self, i: int) -> Document:
        composer = NoticeComposer(self.job, self.entries[i], self.library, self.seed, index=i)
        plan = composer.plan()
        doc = render_template("notice", plan, self.templates, kind="notice", name_stem=self.stem(i))
        doc.sealed = bool(self.entries[i].get("sealed"))
        doc.meta.update(
            {
                "title": plan["title"],
                "author": plan["issuer"],
                "subject": plan["title"],
                "date": composer.date.isoformat(),
                "level": composer.level,  # the render gate checks the input's level
                "keywords": "安全生产;通知",
            }
        )
        return doc
