"""Responsibility letters (安全生产目标责任书): one per recipient, in batch.

The shared parts (targets, duties by recipient type, sanctions) are planned
once per job; each recipient only fills its own ``{placeholders}``, name,
signer and sectors. Placeholders a recipient cannot fill are errors of that
recipient's row, all found before anything is written.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import ERROR, Finding
from ..model import Document
from .context import base_context
from .dates import full_date
from .joins import join
from .library import Library, Picker
from .numbers import cn_count
from .reference import sector_book
from .templates import render_template
from .text import derive_seed, sentence

PLACEHOLDER = re.compile(r"\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\s*\}")

_ZERO_QUOTA = re.compile(r"控制在0(?:人|起)以内")

TYPE_NAMES = {"township": "乡镇", "department": "部门", "enterprise": "企业"}
DUTY_COUNT = 6
DEFAULT_TARGETS = (
    "不发生较大及以上生产安全事故",
    "生产安全事故起数和死亡人数实现“双下降”",
    "重大事故隐患整改率达到100%",
)


def _lookup(recipient: dict[str, Any], path: str) -> Any:
    cur: Any = recipient
    for part in path.split("."):
        if not isinstance(cur, dict) or part not in cur or cur[part] in (None, ""):
            return None
        cur = cur[part]
    return cur


def _fmt(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def fill_placeholders(text: str, recipient: dict[str, Any]) -> tuple[str, list[str]]:
    """Replace ``{limits.deaths_max}`` with the recipient's value; return text and missing keys."""
    missing: list[str] = []

    def repl(m: re.Match[str]) -> str:
        value = _lookup(recipient, m.group(1))
        if value is None or isinstance(value, (dict, list)):
            missing.append(m.group(1))
            return m.group(0)
        return _fmt(value)

    text = PLACEHOLDER.sub(repl, text)
    # "控制在0人以内" is what the template says for a zero quota; say it as a leader would.
    text = _ZERO_QUOTA.sub("为零", text)
    return text, missing


class LetterPlanner:
    """The parts of a letter that are the same for every recipient of one type."""

    def __init__(self, job: Any, library: Library, seed: int):
        self.job = job
        d = job.data
        self.data = d
        self.sign_date = d["sign_date"]
        self.term = d["term"]
        self.year = self.term["start"].year
        org = dict(d.get("org") or {})
        org.setdefault("level", "县")
        self.level = org["level"]
        self.ctx = base_context({**d, "org": org}, year=self.year, quarter=None)
        self.library = library
        self.seed = seed
        self.title = str(d.get("title") or f"{self.year}年度安全生产目标责任书").strip()
        self._duties: dict[str, list[str]] = {}
        self.preamble = self._preamble()
        self._sanctions: dict[str, list[str]] = {}

    def picker(self, salt: str) -> Picker:
        return Picker(
            self.library,
            derive_seed(self.seed, "letter", self.title, salt),
            self.ctx,
            level="company" if self.level == "公司" else "gov",
            register="letter",
        )

    def duties(self, rtype: str) -> list[str]:
        """Duty lines for a recipient type (chosen once per job and type)."""
        if rtype not in self._duties:
            given = self.data.get("duties")
            if isinstance(given, list):
                lines = [sentence(str(x)) for x in given]
            else:
                p = self.picker(f"duties-{rtype}")
                lines = [
                    sentence(p.fill(s)) for s in p.pick_many(f"letter.duty.{rtype}", DUTY_COUNT)
                ]
            self._duties[rtype] = lines
        return self._duties[rtype]

    def sanctions(self, rtype: str) -> list[str]:
        """考核与奖惩 lines for a recipient type (lines tagged for another type are left out)."""
        if rtype not in self._sanctions:
            given = self.data.get("sanctions")
            if isinstance(given, list):
                lines = [sentence(str(x)) for x in given]
            else:
                p = self.picker(f"sanctions-{rtype}")
                others = tuple(v for k, v in TYPE_NAMES.items() if k != rtype)
                lines = []
                for role in (
                    "letter.assessment",
                    "letter.reward",
                    "letter.sanction",
                    "letter.sanction",
                ):
                    s = p.pick(role, without_tags=others)
                    if s is not None:
                        lines.append(sentence(p.fill(s)))
            self._sanctions[rtype] = lines
        return self._sanctions[rtype]

    def _preamble(self) -> str:
        if self.data.get("preamble"):
            return sentence(str(self.data["preamble"]))
        p = self.picker("preamble")
        s = p.pick("letter.preamble")
        if s is None:
            return (
                "为认真贯彻落实《中华人民共和国安全生产法》，进一步压实安全生产责任，"
                "有效防范和遏制生产安全事故，经双方协商，签订本责任书。"
            )
        return sentence(p.fill(s))

    def sector_duty(self, recipient: dict[str, Any]) -> list[str]:
        names = recipient.get("sectors") or []
        if not names:
            return []
        book = sector_book()
        checks: list[str] = []
        for n in names:
            known = book.find(n)
            if known:
                checks.extend(known.checks[:3])
        verb = "监管" if recipient.get("type") == "department" else "管理"
        line = f"依法履行{join(names)}领域安全{verb}职责"
        if checks:
            line += f"，重点抓好{join(list(dict.fromkeys(checks)))}等方面的隐患排查整治"
        return [sentence(line)]

    def targets(self, recipient: dict[str, Any]) -> tuple[list[str], list[str]]:
        out: list[str] = []
        missing: list[str] = []
        shared = self.data.get("targets") or DEFAULT_TARGETS
        for t in list(shared) + list(recipient.get("targets_extra") or []):
            text, miss = fill_placeholders(str(t), recipient)
            out.append(sentence(text))
            missing.extend(miss)
        return out, missing

    def problems(self, recipient: dict[str, Any]) -> list[str]:
        _, missing = self.targets(recipient)
        return missing

    def plan(self, recipient: dict[str, Any]) -> dict[str, Any]:
        rtype = recipient.get("type") or "department"
        targets, _ = self.targets(recipient)
        duties = self.duties(rtype) + self.sector_duty(recipient)
        party_a = self.data["party_a"]
        copies = int(self.data.get("copies") or 2)
        start, end = self.term["start"], self.term["end"]
        name = str(recipient["name"]).strip()
        a_title = str(party_a.get("signer_title") or "主要负责人")
        b_title = str(recipient.get("signer_title") or "主要负责人")
        sign = full_date(self.sign_date)
        return {
            "title": self.title,
            "party_a": str(party_a["name"]).strip(),
            "party_b": name,
            "preamble": self.preamble,
            "targets": targets,
            "duties": duties,
            "sanctions": self.sanctions(rtype),
            "term": f"本责任书责任期限自{full_date(start)}起至{full_date(end)}止。",
            "other": (
                f"本责任书一式{cn_count(copies)}份，甲乙双方各执一份"
                + ("" if copies <= 2 else f"，{self.ctx['office']}存档{cn_count(copies - 2)}份")
                + "，自双方签字盖章之日起生效。"
            ),
            "sign_left": [
                f"甲方：{party_a['name']}（盖章）",
                f"{a_title}（签字）：{party_a.get('signer') or ''}".rstrip("："),
                sign,
            ],
            "sign_right": [
                f"乙方：{name}（盖章）",
                f"{b_title}（签字）：{recipient.get('signer') or ''}".rstrip("："),
                sign,
            ],
        }


class LetterJob:
    """The documents of a ``letter`` job: one per recipient, names known up front."""

    def __init__(self, job: Any, library: Library, seed: int = 0, templates: Any = None):
        self.job = job
        self.templates = templates
        self.planner = LetterPlanner(job, library, seed)
        self.recipients: list[dict[str, Any]] = list(job.data.get("recipients") or [])

    def __len__(self) -> int:
        return len(self.recipients)

    def stem(self, i: int) -> str:
        return f"{self.planner.title}-{str(self.recipients[i]['name']).strip()}"

    def label(self, i: int) -> str:
        return str(self.recipients[i].get("name", ""))

    def problems(self, i: int) -> list[Finding]:
        r = self.recipients[i]
        missing = self.planner.problems(r)
        if not missing:
            return []
        return [
            Finding(
                str(self.job.path),
                r.get("_row") or f"recipients[{i + 1}]",
                ERROR,
                "E130",
                f"责任单位 “{r.get('name', '')}” 缺少控制指标所需的数据：{'、'.join(dict.fromkeys(missing))}",
                "targets",
            )
        ]

    def compose(self, i: int) -> Document:
        plan = self.planner.plan(self.recipients[i])
        doc = render_template("letter", plan, self.templates, kind="letter", name_stem=self.stem(i))
        doc.meta.update(
            {
                "title": f"{plan['title']}（{plan['party_b']}）",
                "author": plan["party_a"],
                "subject": plan["title"],
                "date": self.planner.sign_date.isoformat(),
                "keywords": f"安全生产;目标责任书;{TYPE_NAMES.get(self.recipients[i].get('type', ''), '')}",
            }
        )
        return doc
