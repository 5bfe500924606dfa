"""Responsibility letters (安全生产目标责任书): one per recipient, in batch.

The shared parts (targets, duties by recipient type, sanctions) are planned
once per job; each recipient only fills its own ``{placeholders}``, name,
signer and sectors. Placeholders a recipient cannot fill are errors of that
recipient's row, all found before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from ...compose import Unit
from ...compose.context import base_context
from ...compose.dates import full_date
from ...compose.joins import join
from ...compose.library import Library, Picker
from ...compose.numbers import cn_count
from ...compose.reference import sector_book
from ...compose.sector_lines import sector_topic
from ...compose.templates import render_template
from ...compose.text import derive_seed, sentence
from ...compose.vocabulary import prefix_department
from ...errors import ERROR, WARNING, Finding
from ...kinds import TOWNSHIP
from ...memo import Memo
from ...model import Document

PLACEHOLDER = re.compile(r"\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\s*\}")

_ZERO_QUOTA = re.compile(r"控制在0(?:人|起)以内")

TYPE_NAMES = {"township": "乡镇", "department": "部门", "enterprise": "企业"}
DUTY_COUNT = 6
MEMO_MAX = 1024  # a recipient's lines kept per planner (by type, sectors, values)
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
        self._sector_duties: Memo[tuple, list[str]] = Memo(MEMO_MAX)
        self._placeholders: Memo[str, tuple[str, ...]] = Memo(MEMO_MAX)
        self._targets: Memo[tuple, tuple[str, tuple[str, ...]]] = Memo(MEMO_MAX)
        self._fixed: dict[str, Any] = {}

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
        """Duty lines for the recipient's sectors, in the voice of its type (worked out
        once for each type, sectors and, for a department, its name; never changed)."""
        rtype = recipient.get("type") or "department"
        sectors = tuple(str(n) for n in recipient.get("sectors") or [])
        own = "" if rtype in ("enterprise", "township") else str(recipient.get("name") or "")
        key = (rtype, sectors, own)
        got = self._sector_duties.get(key)
        if got is None and (got := self._sector_duties.recall(key)) is None:
            got = self._sector_duties.keep(key, self._sector_duty(recipient))
        return got

    def _sector_duty(self, recipient: dict[str, Any]) -> list[str]:
        """Duty lines for the recipient's sectors, in the voice of its type.

        An enterprise speaks as a 生产经营单位 (主体责任, 全员安全生产责任制, 自查自改);
        a township as the 属地; a department as the regulator, with two lines a sector
        from the sector dictionary (its check items, its partner departments).
        """
        book = sector_book()
        rtype = recipient.get("type") or "department"
        lines: list[str] = []
        for name in recipient.get("sectors") or []:
            known = book.find(name)
            # a township's own items for a township (the county's bureaus check the rest)
            items = (
                known.checks_for(TOWNSHIP if rtype == "township" else self.level) if known else ()
            )
            checks = join(list(items[:4]))
            if rtype == "enterprise":
                # the dictionary's check items are a regulator's list: an enterprise
                # looks at its own work
                lines.append(
                    f"严格落实本单位{sector_topic(name)}安全生产主体责任，健全全员安全生产责任制，"
                    f"对本单位{sector_topic(name)}相关的生产经营各环节、各岗位开展经常性隐患自查自改，"
                    "发现隐患立即整改，不能立即整改的落实管控措施"
                )
            elif rtype == "township":
                lines.append(
                    f"履行辖区内{sector_topic(name)}安全属地管理责任，组织开展"
                    f"{checks or sector_topic(name)}隐患排查，发现问题及时报告有关部门并督促整改"
                )
            else:
                first = f"依法履行{sector_topic(name)}领域安全监管职责"
                if checks:
                    first += f"，重点抓好{checks}等方面的监督检查"
                lines.append(first)
                if known is not None:
                    own = str(recipient.get("name") or "").strip()
                    partners = known.departments(self.level)[1][:3]
                    support = [prefix_department(x, self.level) for x in partners]
                    support = [x for x in support if x != own]  # never "会同" itself
                    partner = f"会同{join(support)}" if support else ""
                    lines.append(
                        f"督促{sector_topic(name)}领域生产经营单位落实安全生产主体责任，"
                        f"{partner}开展专项整治和联合检查，对发现的问题隐患建立台账、限期整改、跟踪销号"
                    )
        return [sentence(x) for x in lines]

    def unknown_sectors(self, recipient: dict[str, Any]) -> list[str]:
        """Sectors the dictionary does not know: their lines stay general (told as a 警告)."""
        book = sector_book()
        return [n for n in recipient.get("sectors") or [] if book.find(n) is None]

    def targets(self, recipient: dict[str, Any]) -> tuple[list[str], list[str]]:
        out: list[str] = []
        missing: list[str] = []
        shared = self.data.get("targets") or DEFAULT_TARGETS
        for t in list(shared) + list(recipient.get("targets_extra") or []):
            text, miss = self._target(str(t), recipient)
            out.append(text)
            missing.extend(miss)
        return out, missing

    def _target(self, t: str, recipient: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
        """One target as a sentence with the recipient's values, and the placeholders it
        could not fill: worked out once for each text and the values it reads."""
        keys = self._placeholders.get(t)
        if keys is None and (keys := self._placeholders.recall(t)) is None:
            keys = self._placeholders.keep(t, tuple(m.group(1) for m in PLACEHOLDER.finditer(t)))
        values = []
        for k in keys:
            v = _lookup(recipient, k)
            values.append(None if v is None or isinstance(v, (dict, list)) else _fmt(v))
        key = (t, *values)
        got = self._targets.get(key)
        if got is None and (got := self._targets.recall(key)) is None:
            text, miss = fill_placeholders(t, recipient)
            got = self._targets.keep(key, (sentence(text), tuple(miss)))
        return got

    def problems(self, recipient: dict[str, Any]) -> list[str]:
        _, missing = self.targets(recipient)
        return missing

    def plan(self, recipient: dict[str, Any]) -> dict[str, Any]:
        rtype = recipient.get("type") or "department"
        targets, _ = self.targets(recipient)
        duties = self.duties(rtype) + self.sector_duty(recipient)
        name = str(recipient["name"]).strip()
        b_title = str(recipient.get("signer_title") or "主要负责人")
        fixed = self._fixed or self._fixed_parts()
        return {
            **fixed,
            "party_b": name,
            "targets": targets,
            "duties": duties,
            "sanctions": self.sanctions(rtype),
            "sign_left": list(fixed["sign_left"]),
            "sign_right": [
                f"乙方：{name}（盖章）",
                f"{b_title}（签字）：{recipient.get('signer') or ''}".rstrip("："),
                fixed["sign_left"][-1],  # the signing date
            ],
        }

    def _fixed_parts(self) -> dict[str, Any]:
        """What :meth:`plan` says alike for every recipient (worked out once)."""
        party_a = self.data["party_a"]
        copies = int(self.data.get("copies") or 2)
        start, end = self.term["start"], self.term["end"]
        a_title = str(party_a.get("signer_title") or "主要负责人")
        sign = full_date(self.sign_date)
        self._fixed = {
            "title": self.title,
            "party_a": str(party_a["name"]).strip(),
            "preamble": self.preamble,
            "term": f"自{full_date(start)}起至{full_date(end)}止。",  # research/gbt9704.md
            "other": (
                f"本责任书一式{cn_count(copies)}份，甲乙双方各执一份"
                + ("" if copies <= 2 else f"，{self.ctx['office']}存档{cn_count(copies - 2)}份")
                + "，自双方签字盖章之日起生效。"
            ),
            "sign_left": (
                f"甲方：{party_a['name']}（盖章）",
                f"{a_title}（签字）：{party_a.get('signer') or ''}".rstrip("："),
                sign,
            ),
        }
        return self._fixed


class LetterJob:
    """The documents of a ``letter`` job: one per recipient.

    The recipients are a list (``job.data["recipients"]``, as the editor and
    ``speechgen check`` load them) or a stream (``job.recipients``, a
    :class:`~speechgen.inputs.recipients.RecipientSource` from
    ``load_job(path, stream=True)``): a batch reads the stream row by row in
    :meth:`units`, so no process ever holds the whole list.
    """

    def __init__(self, job: Any, library: Library, seed: int = 0, templates: Any = None):
        self.job = job
        self.templates = templates
        self.planner = LetterPlanner(job, library, seed)
        self.source = getattr(job, "recipients", None)
        self.recipients: list[dict[str, Any]] = (
            list(job.data.get("recipients") or []) if self.source is None else []
        )

    def __len__(self) -> int:
        return len(self.recipients)

    def _stem(self, recipient: dict[str, Any]) -> str:
        return f"{self.planner.title}-{str(recipient['name']).strip()}"

    def stem(self, i: int) -> str:
        return self._stem(self.recipients[i])

    def label(self, i: int) -> str:
        return str(self.recipients[i].get("name", ""))

    def _warnings(self, i: int, r: dict[str, Any]) -> list[Finding]:
        """A 警告 for each of the recipient's sectors without dictionary text, naming it."""
        return [
            Finding(
                str(self.job.path),
                r.get("_row") or f"recipients[{i + 1}]",
                WARNING,
                "W131",
                f"责任单位 “{r.get('name', '')}” 的行业领域 “{name}” 不在行业词典中，"
                "责任书只写出一般监管职责；可在短语库中为该行业添加职责表述",
                "sectors",
            )
            for name in self.planner.unknown_sectors(r)
        ]

    @property
    def warnings(self) -> list[Finding]:
        """The W131 warnings of every listed recipient (a streamed batch tells them per unit)."""
        return [w for i, r in enumerate(self.recipients) for w in self._warnings(i, r)]

    def _problems(self, i: int, r: dict[str, Any]) -> list[Finding]:
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

    def problems(self, i: int) -> list[Finding]:
        return self._problems(i, self.recipients[i])

    def units(
        self, want: Callable[[int], bool] | None = None, findings: bool = True
    ) -> Iterator[Unit]:
        """Every recipient as a :class:`~speechgen.compose.Unit`, streamed when the job is
        (``want``, ``findings``: see :func:`speechgen.compose.units`)."""
        if self.source is None:
            for i, r in enumerate(self.recipients):
                if findings and (want is None or want(i)):
                    yield Unit(
                        i,
                        self._stem(r),
                        self.label(i),
                        r,
                        self._problems(i, r),
                        [],
                        self._warnings(i, r),
                    )
                else:
                    yield Unit(i, self._stem(r), self.label(i), r)
            return
        for row in self.source.rows(want):
            i = row.number - 1
            if row.late and not findings:
                continue  # a duplicate told after the rows (the first pass told it)
            errors = [f for f in row.findings if f.is_error]
            r = row.data
            if r is None or errors:
                notes = [f for f in row.findings if not f.is_error]
                yield Unit(i, "", "", None, [], errors, notes)
            elif not findings or (want is not None and not want(i)):
                yield Unit(i, self._stem(r), str(r.get("name", "")), r)
            else:
                notes = [f for f in row.findings if not f.is_error]
                yield Unit(
                    i,
                    self._stem(r),
                    str(r.get("name", "")),
                    r,
                    self._problems(i, r),
                    [],
                    notes + self._warnings(i, r),
                )

    def compose_unit(self, unit: Unit) -> Document:
        return self._compose(unit.payload, unit.stem)

    def compose(self, i: int) -> Document:
        return self._compose(self.recipients[i], self.stem(i))

    def _compose(self, recipient: dict[str, Any], stem: str) -> Document:
        plan = self.planner.plan(recipient)
        doc = render_template("letter", plan, self.templates, kind="letter", name_stem=stem)
        doc.meta.update(
            {
                "title": f"{plan['title']}（{plan['party_b']}）",
                "author": plan["party_a"],
                "subject": plan["title"],
                "date": self.planner.sign_date.isoformat(),
                "level": self.planner.level,  # the render gate checks the input's level
                "keywords": f"安全生产;目标责任书;{TYPE_NAMES.get(recipient.get('type', ''), '')}",
            }
        )
        return doc
