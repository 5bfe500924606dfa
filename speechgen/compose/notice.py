"""Notices (通知): quarterly notices, task-assignment notices and yearly batches.

The body is written in notice register (现将有关事项通知如下、一、……), from
the data: the situation with its 同比 wording, the quarter's seasonal
priorities, the sector lines with 由……牵头, and the requirements (duty,
supervision, reporting with the contact). A ``tasks`` list becomes the
attached 任务分工表.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import Finding
from ..model import Document, cn_ordinal
from .context import base_context
from .dates import full_date, month_day, quarter_cn
from .joins import join
from .library import Library, Picker
from .reference import pick_family, sector_book
from .sector_lines import duty_clause, sector_title
from .stats import hazards_sentence, situation_sentence
from .templates import render_template
from .text import derive_seed, sentence, strip_number

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


def default_title(year: int, quarter: int | None) -> str:
    if quarter:
        return f"关于做好{year}年{quarter_cn(quarter)}安全生产工作的通知"
    return f"关于做好{year}年安全生产工作的通知"


def due_text(value: Any, year: int) -> str:
    """完成时限: ``7月31日前`` in the notice's year, ``2025年3月31日前`` otherwise; text as typed."""
    if hasattr(value, "year") and hasattr(value, "month"):
        return month_day(value, year) + "前"
    return str(value or "")


class NoticeComposer:
    """Builds one notice from one (merged) notice mapping."""

    def __init__(self, job: Any, data: dict[str, Any], library: Library, seed: int):
        self.job = job
        self.data = data
        self.date = data["date"]
        self.year = self.date.year
        self.quarter: int | None = quarter_in_title(data.get("title")) or data.get("quarter")
        self.level = data["org"]["level"]
        self.company = self.level == "公司"
        self.ctx = base_context(data, year=self.year, quarter=self.quarter)
        contact = data.get("contact") or {}
        if contact.get("name"):
            self.ctx["contact_name"] = contact["name"]
        if contact.get("phone"):
            self.ctx["contact_phone"] = str(contact["phone"])
        self.title = notice_title(data)
        self.picker = Picker(
            library,
            derive_seed(seed, "notice", self.title),
            self.ctx,
            level="company" if self.company else "gov",
            quarter=self.quarter,
            register="notice",
        )

    def snip(self, role: str, **cond: Any) -> str:
        return (
            sentence(self.picker.text(role, **cond)) if self.picker.candidates(role, **cond) else ""
        )

    def snips(self, *roles: str) -> str:
        return "".join(self.snip(r) for r in roles)

    def intro(self) -> str:
        parts: list[str] = []
        stats = self.data.get("stats")
        if stats and stats.get("current"):
            period = stats.get("period") or "今年以来"
            parts.append(
                situation_sentence(period, self.ctx["all"], stats["current"], stats.get("previous"))
            )
            hz = stats.get("hazards")
            if hz:
                parts.append(sentence(hazards_sentence(hz["found"], hz["fixed"], hz.get("major"))))
        basis = self.data.get("basis")
        intro = self.picker.text("notice.intro")
        if basis:
            basis = str(basis).strip().rstrip("。，,；;")
            if not basis.startswith(("为", "根据", "按照")):
                basis = "为" + basis
            if "现将" in basis or "现就" in basis:
                parts.append(f"{basis}。现就有关要求通知如下：")
            else:
                parts.append(f"{basis}，现将有关事项通知如下：")
        elif intro:
            parts.append(intro if intro.endswith("：") else sentence(intro))
        else:
            parts.append("为切实做好安全生产工作，现将有关事项通知如下：")
        return "".join(parts)

    def sector_paragraphs(self) -> list[tuple[str, str]]:
        sectors = list(self.data.get("sectors") or [])
        book = sector_book()
        if not sectors:
            seasonal = [
                s.name for s in book.sectors.values() if self.quarter and self.quarter in s.quarters
            ]
            base = ["道路交通", "消防", "危险化学品", "建筑施工"]
            sectors = [{"name": n} for n in dict.fromkeys(seasonal[:2] + base)]
        out: list[tuple[str, str]] = []
        for i, sec in enumerate(sectors, start=1):
            typed = sec["name"].strip()
            known = book.find(typed)
            lead = sec.get("lead") or (known.lead if known else "")
            support = sec.get("support") or []
            if not sec.get("lead") and not support and known:
                support = list(known.support)
            checks = sec.get("checks") or (list(known.checks) if known else [])
            parts: list[str] = []
            if sec.get("text"):
                parts.append(sentence(sec["text"]))
            clause = duty_clause(
                self.level,
                lead,
                support if lead else [],
                checks,
                fallback=f"全面排查{typed}领域风险隐患",
            )
            parts.append(sentence(clause))
            if not sec.get("text") and known is not None:
                body = self.picker.text(
                    "sector",
                    sector=known.name,
                    values={"sector": typed},
                    without_tags=("fangmian", "lingyu"),
                )
                if body:
                    parts.append(sentence(body))
            out.append((f"（{cn_ordinal(i)}）{sector_title(typed)}。", "".join(parts)))
        return out

    def report_text(self) -> str:
        text = self.snip("notice.report")
        contact = self.data.get("contact") or {}
        name, phone = contact.get("name"), contact.get("phone")
        if name and name not in text:
            bits = f"联系人：{name}"
            if phone:
                bits += f"，联系电话：{phone}"
            text += sentence(bits)
        elif phone and str(phone) not in text:
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
        fam = pick_family(
            "notice",
            self.picker.rng,
            level="company" if self.company else "gov",
            kind="",
            needs=("duty", "hazards", "emergency", "supervision", "report"),
        )
        h = fam.headings
        pts: list[dict[str, Any]] = []
        pts.append(
            {
                "heading": h["duty"],
                "paras": [
                    {"lead": "", "text": self.snips("notice.season", "notice.season")},
                    {"lead": "", "text": self.snip("notice.duty")},
                ],
            }
        )
        paras = [{"lead": "", "text": self.snip("notice.hazards")}]
        paras += [{"lead": lead, "text": text} for lead, text in self.sector_paragraphs()]
        pts.append({"heading": h["hazards"], "paras": paras})
        pts.append(
            {
                "heading": h["emergency"],
                "paras": [{"lead": "", "text": self.snip("notice.emergency")}],
            }
        )
        sup = self.snip("notice.supervision")
        if self.data.get("tasks"):
            sup = (
                "各牵头单位要按照附件分工，会同配合单位细化工作措施，明确责任人和完成时限，"
                "确保各项任务按时完成。" + sup
            )
        paras = [{"lead": "", "text": sup}]
        paras += [{"lead": "", "text": t} for t in self.requirements()]
        pts.append({"heading": h["supervision"], "paras": paras})
        pts.append({"heading": h["report"], "paras": [{"lead": "", "text": self.report_text()}]})
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
        entry.get("title") or default_title(entry["date"].year, entry.get("quarter"))
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
        composer = NoticeComposer(self.job, self.entries[i], self.library, self.seed)
        plan = composer.plan()
        doc = render_template("notice", plan, self.templates, kind="notice", name_stem=self.stem(i))
        doc.sealed = bool(self.entries[i].get("sealed"))
        doc.meta.update(
            {
                "title": plan["title"],
                "author": plan["issuer"],
                "subject": plan["title"],
                "date": composer.date.isoformat(),
                "keywords": "安全生产;通知",
            }
        )
        return doc
