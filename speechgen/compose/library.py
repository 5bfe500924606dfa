"""The phrase library: loading, validating, selecting and filling snippets.

Snippets live in YAML files, one file a category (``speechgen/snippets/``),
described in docs/snippets.md. A user's ``--snippets DIR`` is loaded on top;
a user's snippet with the same id replaces the bundled one.
"""

from __future__ import annotations

import difflib
import random
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import calendar, kinds, usercache
from ..errors import ERROR, Finding, TemplateProblem
from ..inputs.limits import Limits
from ..inputs.snippet_schema import read_snippet_file
from ..links import inside_folder
from .situation import TRENDS, Situation
from .template_limits import MAX_OUTPUT

BUNDLED_DIR = Path(__file__).resolve().parent.parent / "snippets"

LEVELS = ("gov", "company", "any")
KINDS = tuple(kinds.MEETING_KINDS)
REGISTERS = ("speech", "outline", "notice", "letter")

# The names a snippet may use (docs/snippets.md, "Slots"): always present (from
# org.level and the year), present when the input gives them, in sector lines,
# in notices' reporting lines.
ALWAYS_SLOTS = frozenset(
    {"self", "all", "party_gov", "gov", "sub_units", "depts", "units"}
    | {"committee", "office", "people", "year"}
)
OPTIONAL_SLOTS = frozenset(
    {"place", "upper", "meeting_name", "quarter_cn", "period", "event", "vision"}
    | {"holiday", "cause"}
)
SECTOR_SLOTS = frozenset({"sector", "lead", "support", "checks"})
NOTICE_SLOTS = frozenset({"contact_name", "contact_phone"})
SLOTS = ALWAYS_SLOTS | OPTIONAL_SLOTS | SECTOR_SLOTS | NOTICE_SLOTS

# Where the planners may use a snippet (docs/snippets.md, "Roles").
ROLES = frozenset(
    {
        *("open.frame", "open.endorse"),
        *("situation.good", "situation.thanks", "situation.turn", "situation.problems"),
        *("situation.pressure", "situation.season", "situation.conclusion", "situation.worse"),
        *("accident.intro", "accident.outro", "attitude", "formula", "sector", "closing"),
        *("work.hazards", "work.sectors", "work.enforcement", "work.emergency"),
        *("work.training", "work.investment", "work.season", "work.safety_month"),
        *("work.holiday", "work.topic", "work.inspection"),
        *("duty.lead", "duty.territorial", "duty.department", "duty.enterprise"),
        *("duty.coordination", "duty.assessment", "duty.accountability"),
        *("notice.intro", "notice.duty", "notice.hazards", "notice.season"),
        *("notice.emergency", "notice.report", "notice.supervision"),
        *("letter.preamble", "letter.duty.township", "letter.duty.department"),
        *("letter.duty.enterprise", "letter.assessment", "letter.reward", "letter.sanction"),
    }
)


@dataclass(frozen=True)
class When:
    """A snippet's conditions on the situation (docs/snippets.md, "Conditions").

    Every condition given must hold: ``trend`` lists the overall trends it may
    be said in; ``serious`` true/false asks for (or rules out) a serious
    situation; ``season`` needs one of its windows under way or ahead;
    ``holidays`` one of its holidays spoken of; ``levels`` one of the org levels;
    ``needs`` every fact named (``targets``, ``sector:尾矿库``, ``context:旅游``);
    ``now`` one of its windows under way on the date (当前正值), ``soon`` under way
    or beginning within a month (临近, 即将来临).
    """

    trend: tuple[str, ...] = ()
    serious: bool | None = None
    season: tuple[str, ...] = ()
    holidays: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    now: tuple[str, ...] = ()
    soon: tuple[str, ...] = ()

    def allows(self, sit: Situation) -> bool:
        if self.trend and sit.trend.overall not in self.trend:
            return False
        if self.serious is not None and sit.serious != self.serious:
            return False
        if self.season and not any(sit.ahead(w) for w in self.season):
            return False
        if self.holidays and not set(self.holidays) & set(sit.holidays):
            return False
        if self.levels and sit.level not in self.levels:
            return False
        if self.now and not any(sit.now(w) for w in self.now):
            return False
        if self.soon and not any(sit.soon(w) for w in self.soon):
            return False
        return all(sit.has(f) for f in self.needs)

    def __bool__(self) -> bool:
        return bool(self.trend or self.serious is not None or self.season or self.holidays) or bool(
            self.levels or self.needs or self.now or self.soon
        )

    def describe(self) -> list[str]:
        """The conditions in Chinese, one line each (``snippets show``)."""
        out = []
        if self.trend:
            out.append("指标走势：" + "、".join(TREND_NAMES[t] for t in self.trend))
        if self.serious is not None:
            out.append(
                "形势："
                + ("有较大及以上本地事故或紧急会议" if self.serious else "无较大及以上本地事故")
            )
        if self.season:
            out.append("时段（其一在会期之后或正当其时）：" + "、".join(self.season))
        if self.holidays:
            out.append("节日（其一）：" + "、".join(self.holidays))
        if self.now:
            out.append("时段（其一在会议当天正当其时）：" + "、".join(self.now))
        if self.soon:
            days = calendar.SOON.days
            out.append(f"时段（其一正当其时或在{days}天内开始）：" + "、".join(self.soon))
        if self.levels:
            out.append("层级：" + "、".join(self.levels))
        if self.needs:
            out.append("输入须有：" + "、".join(self.needs))
        return out


TREND_NAMES = {
    "better": "下降（好转）",
    "flat": "持平",
    "mixed": "有升有降",
    "worse": "事故起数或死亡人数上升",
    "none": "无同比数据",
}
WHEN_KEYS = ("trend", "serious", "season", "holidays", "levels", "needs", "now", "soon")

# Conditions every snippet of a role carries, whatever its own ``when`` says: praise
# needs figures that did not rise, thanks figures that fell, and neither is said in a
# serious situation (research/situation.md, "Tone follows the figures").
ROLE_WHEN: dict[str, When] = {
    # (situation.good also holds the no-figures duty lines, 安全生产永远在路上: trend none)
    "situation.good": When(trend=("better", "flat", "none"), serious=False),
    "situation.thanks": When(trend=("better",), serious=False),
}


@dataclass(frozen=True)
class Snippet:
    """One entry of the library; ``texts`` holds the text and its variants."""

    id: str
    category: str
    role: str
    texts: tuple[str, ...]
    title: str = ""
    level: str = "any"
    kinds: tuple[str, ...] = ()
    quarters: tuple[int, ...] = ()
    registers: tuple[str, ...] = ("speech", "outline")
    sector: str = ""
    tags: tuple[str, ...] = ()
    source: str = ""
    slots: frozenset[str] = field(default_factory=frozenset)
    origin: str = ""
    when: When = field(default_factory=When)

    @property
    def text(self) -> str:
        return self.texts[0]

    @property
    def variants(self) -> tuple[str, ...]:
        return self.texts[1:]

    def fits(
        self,
        *,
        level: str | None = None,
        kind: str | None = None,
        quarter: int | None = None,
        register: str | None = None,
        sector: str | None = None,
        slots: Iterable[str] | None = None,
        situation: Situation | None = None,
    ) -> bool:
        """Whether the snippet may be chosen in this situation."""
        if situation is not None and not self.when.allows(situation):
            return False
        role_when = ROLE_WHEN.get(self.role)
        if situation is not None and role_when is not None and not role_when.allows(situation):
            return False
        if level and self.level not in ("any", level):
            return False
        if kind and self.kinds and kind not in self.kinds:
            return False
        if quarter and self.quarters and quarter not in self.quarters:
            return False
        if register and register not in self.registers:
            return False
        if sector is not None and self.sector != sector:
            return False
        if slots is not None:
            if not isinstance(slots, (set, frozenset)):
                slots = set(slots)
            if not self.slots <= slots:
                return False
        return True


# Jinja2 reserves ``self`` (the template reference), yet ``{{ self }}`` (我县, 我司)
# is the most natural slot name for snippet authors. Texts are stored with it
# renamed to SELF_SLOT; the context carries both names.
SELF_SLOT = "self_word"
_SELF_RE = re.compile(r"\{\{\s*self\s*\}\}")


def internal_text(text: str) -> str:
    """Snippet text as compiled: ``{{ self }}`` becomes ``{{ self_word }}``."""
    return _SELF_RE.sub("{{ " + SELF_SLOT + " }}", text)


def display_text(text: str) -> str:
    """Snippet text as its author wrote it."""
    return text.replace("{{ " + SELF_SLOT + " }}", "{{ self }}")


class _SlotSyntax(Exception):
    """A snippet text that uses more than ``{{ name }}`` slots."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


_SLOT_RE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


def _slots_of(text: str) -> set[str]:
    """The ``{{ name }}`` slots of a snippet text; anything else Jinja would read is refused.

    Snippets may only name slots (docs/snippets.md), so a regular expression
    reads them exactly, and much faster than compiling every text at start-up.
    """
    rest = _SLOT_RE.sub("", text)
    if "{{" in rest or "}}" in rest or "{%" in rest or "{#" in rest:
        raise _SlotSyntax("只能使用 {{ 名称 }} 形式的数据项，不能使用过滤器或 {% %}")
    return {"self" if v == SELF_SLOT else v for v in _SLOT_RE.findall(text)}


def _as_tuple(value: Any) -> tuple:
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(value)
    return (value,)


def _parse_file(path: Path, findings: list[Finding]) -> list[Snippet]:
    label = str(path)
    # limits, positions and the type of every key: speechgen/inputs/snippet_schema.py
    # (the bundled files are ours: the defaults, whatever SPEECHGEN_MAX_* says)
    limits = Limits() if path.parent == BUNDLED_DIR else None
    checked = read_snippet_file(
        path, findings, levels=LEVELS, kinds=KINDS, registers=REGISTERS, limits=limits
    )
    if checked is None:
        return []
    category = checked.category
    out: list[Snippet] = []
    for key, raw, where in checked.entries:
        sid = raw.get("id")
        text = raw.get("text")
        role = raw.get("role")
        if not sid or not isinstance(text, str) or not text.strip() or not role:
            findings.append(Finding(label, where, ERROR, "E501", "短语缺少 id、role 或 text", key))
            continue
        variants = [v for v in _as_tuple(raw.get("variants")) if isinstance(v, str) and v.strip()]
        texts = tuple(internal_text(t.strip()) for t in [text, *variants])
        try:
            slots: set[str] = set()
            for t in texts:
                slots |= _slots_of(t)
            if raw.get("title"):
                slots |= _slots_of(internal_text(str(raw["title"])))
        except _SlotSyntax as exc:
            findings.append(
                Finding(
                    label, where, ERROR, "E502", f"短语 {sid} 的占位写法有误：{exc.message}", key
                )
            )
            continue
        declared = set(_as_tuple(raw.get("slots")))
        if declared != slots:
            findings.append(
                Finding(
                    label,
                    where,
                    ERROR,
                    "E503",
                    f"短语 {sid} 声明的 slots {sorted(declared)} 与正文用到的 {sorted(slots)} 不一致",
                    key,
                )
            )
            continue
        if str(role) not in ROLES:
            near = difflib.get_close_matches(str(role), sorted(ROLES), n=1)
            hint = f"，是否应为 “{near[0]}”" if near else ""
            findings.append(
                Finding(label, where, ERROR, "E505", f"短语 {sid} 的 role 无效：{role}{hint}", key)
            )
            continue
        when, problem = _when(raw.get("when"))
        if problem:
            findings.append(
                Finding(label, "", ERROR, "E506", f"短语 {sid} 的 when 条件有误：{problem}", key)
            )
            continue
        level = str(raw.get("level", "any"))
        if level not in LEVELS:
            findings.append(
                Finding(label, where, ERROR, "E501", f"短语 {sid} 的 level 无效：{level}", key)
            )
            continue
        out.append(
            Snippet(
                id=str(sid),
                category=category,
                role=str(role),
                texts=texts,
                title=internal_text(str(raw.get("title", "") or "")),
                level=level,
                kinds=tuple(str(k) for k in _as_tuple(raw.get("kinds"))),
                quarters=tuple(int(q) for q in _as_tuple(raw.get("quarters"))),
                registers=tuple(str(r) for r in _as_tuple(raw.get("registers")))
                or ("speech", "outline"),
                sector=str(raw.get("sector", "") or ""),
                tags=tuple(str(t) for t in _as_tuple(raw.get("tags"))),
                source=str(raw.get("source", "") or ""),
                slots=frozenset(slots),
                origin=label,
                when=when,
            )
        )
    return out


_WINDOW_NAMES = frozenset(calendar.SEASONS) | frozenset(calendar.HOLIDAYS)


def _when(raw: Any) -> tuple[When, str]:
    """A snippet's ``when`` mapping as :class:`When`, or the reason it is wrong."""
    if raw is None:
        return When(), ""
    if not isinstance(raw, dict):
        return When(), f"应为映射（{'、'.join(WHEN_KEYS)}）"
    unknown = [k for k in raw if k not in WHEN_KEYS]
    if unknown:
        return When(), f"未知的条件 {'、'.join(map(str, unknown))}（可用：{'、'.join(WHEN_KEYS)}）"
    lists: dict[str, tuple[str, ...]] = {}
    for key in (k for k in WHEN_KEYS if k != "serious"):  # the lists
        value = raw.get(key)
        if value is None:
            lists[key] = ()
            continue
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str) and v for v in items):
            return When(), f"{key} 应为文字列表"
        lists[key] = tuple(items)
    allowed = {
        "trend": set(TRENDS),
        "season": _WINDOW_NAMES,
        "now": _WINDOW_NAMES,
        "soon": _WINDOW_NAMES,
        "holidays": set(calendar.HOLIDAYS),
        "levels": set(kinds.LEVELS),
    }
    for key, values in allowed.items():
        bad = [v for v in lists[key] if v not in values]
        if bad:
            return (
                When(),
                f"{key} 的取值 {'、'.join(bad)} 无效（可选：{'、'.join(sorted(values))}）",
            )
    serious = raw.get("serious")
    if serious is not None and not isinstance(serious, bool):
        return When(), "serious 应为 true 或 false"
    return When(serious=serious, **lists), ""


class Library:
    """All snippets by id, in load order (bundled first, then the user's)."""

    def __init__(self, snippets: Iterable[Snippet]):
        self.by_id: dict[str, Snippet] = {}
        for s in snippets:
            self.by_id[s.id] = s
        # the snippets of each role, in library order (select reads only its role's)
        self.by_role: dict[str, list[Snippet]] = {}
        for s in self.by_id.values():
            self.by_role.setdefault(s.role, []).append(s)

    def __len__(self) -> int:
        return len(self.by_id)

    def __iter__(self):
        return iter(self.by_id.values())

    def get(self, sid: str) -> Snippet | None:
        return self.by_id.get(sid)

    def select(self, role: str, **conditions: Any) -> list[Snippet]:
        """Snippets of ``role`` that fit the conditions, in library order."""
        return [s for s in self.by_role.get(role, ()) if s.fits(**conditions)]

    def categories(self) -> list[str]:
        return sorted({s.category for s in self.by_id.values()})

    def search(self, text: str) -> list[Snippet]:
        return [
            s
            for s in self.by_id.values()
            if text in s.id or text in s.title or any(text in t for t in s.texts) or text in s.tags
        ]


def load_dirs(dirs: Iterable[Path]) -> tuple[list[Snippet], list[Finding]]:
    """Read every ``*.yaml`` of each folder in order; return snippets and problems."""
    findings: list[Finding] = []
    snippets: list[Snippet] = []
    for d in dirs:
        for path in sorted(Path(d).glob("*.yaml")):
            if not inside_folder(path, Path(d)):  # a link leading out of the folder
                findings.append(
                    Finding(
                        str(path),
                        "",
                        ERROR,
                        "E507",
                        "短语库文件是指向文件夹以外的链接，不读取；请把文件本身复制到短语库文件夹中",
                    )
                )
                continue
            snippets.extend(_parse_file(path, findings))
    ids: dict[tuple[str, str], str] = {}
    for s in snippets:
        key = (s.origin, s.id)
        if key in ids:
            findings.append(Finding(s.origin, "", ERROR, "E504", f"短语 id 重复：{s.id}"))
        ids[key] = s.id
    return snippets, findings


# The bundled library as last validated, in the user's cache folder (speechgen/usercache.py):
# read back when the snippet files and the code that reads them are byte for byte the same.
_CACHE_NAME = "library.marshal"
_WHEN_FIELDS = tuple(f.name for f in fields(When))
_SNIPPET_FIELDS = tuple(f.name for f in fields(Snippet))


def _code_files() -> list[Path]:
    """The modules whose code decides what the bundled files are read as."""
    from .. import errors, links
    from ..inputs import limits, schema, snippet_schema, yamlread
    from . import situation

    mods = (sys.modules[__name__], snippet_schema, schema, yamlread, limits, situation)
    return [Path(m.__file__ or "") for m in (*mods, calendar, kinds, errors, links)]


def _bundled_key(files: list[Path]) -> str | None:
    try:
        parts: list[bytes | str] = []
        for path in [*files, *_code_files()]:
            parts += [path.name, path.read_bytes()]
    except OSError:
        return None
    return usercache.key_of(parts)


def _as_row(s: Snippet) -> tuple:
    return tuple(
        tuple(getattr(s.when, n) for n in _WHEN_FIELDS) if n == "when" else getattr(s, n)
        for n in _SNIPPET_FIELDS
    )


def _from_rows(rows: Any) -> list[Snippet] | None:
    n = len(_SNIPPET_FIELDS)
    try:
        if not all(len(row) == n and len(row[-1]) == len(_WHEN_FIELDS) for row in rows):
            return None
        whens: dict[tuple, When] = {}  # equal conditions: one (immutable) object
        out = []
        for row in rows:
            when = whens.get(row[-1])
            if when is None:
                when = whens[row[-1]] = When(*row[-1])
            # the fields as __init__ would set them (it only assigns them), ~4x faster
            s = object.__new__(Snippet)
            s.__dict__.update(zip(_SNIPPET_FIELDS, (*row[:-1], when), strict=True))
            out.append(s)
        return out
    except TypeError:  # not rows of tuples
        return None


def load_bundled() -> tuple[list[Snippet], list[Finding]]:
    """:func:`load_dirs` of the bundled folder, from the user's cache when it is current."""
    files = sorted(BUNDLED_DIR.glob("*.yaml"))
    key = _bundled_key(files)
    if key is not None:
        cached = _from_rows(usercache.read(_CACHE_NAME, key) or ())
        if cached:
            return cached, []
    snippets, findings = load_dirs([BUNDLED_DIR])
    if key is not None and not findings:  # only a library that passed is kept
        usercache.write(_CACHE_NAME, key, tuple(_as_row(s) for s in snippets))
    return snippets, findings


@lru_cache(maxsize=8)
def _load_cached(extra: tuple[str, ...]) -> Library:
    snippets, findings = load_bundled()
    if extra:  # the user's folders: read and checked every time
        more, found = load_dirs(map(Path, extra))
        snippets, findings = snippets + more, findings + found
    if findings:
        raise TemplateProblem("短语库有误，请修改后重试", findings)
    return Library(snippets)


def load_library(extra_dirs: Iterable[str | Path] = ()) -> Library:
    """The bundled library plus the user's folders (cached per process)."""
    return _load_cached(tuple(str(Path(d).resolve()) for d in extra_dirs))


# Filling a snippet: the loader admits only ``{{ name }}`` slots (_slots_of), and for
# those Jinja's output is the text with str(value) in each slot. A text made only of
# documented slot names present in the context is filled so, without compiling it;
# any other text (a missing value, a name Jinja reads as a constant or keyword, a
# brace or a carriage return in the text) goes to Jinja, with its errors.
_PLAIN_NAMES = (SLOTS - {"self"}) | {SELF_SLOT}
_PIECES: dict[str, tuple[tuple[str, ...], tuple[str, ...]] | None] = {}


def _pieces(source: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The text between the slots and the slot names, or None when Jinja must read it."""
    if source in _PIECES:
        return _PIECES[source]
    parts = _SLOT_RE.split(source)
    texts, names = tuple(parts[0::2]), tuple(parts[1::2])
    plain = "\r" not in source and not any("{" in t or "}" in t for t in texts)
    got = (texts, names) if plain and all(n in _PLAIN_NAMES for n in names) else None
    if len(_PIECES) < 20_000:
        _PIECES[source] = got
    return got


def _fill_slots(source: str, ctx: dict[str, Any]) -> str | None:
    """``source`` filled as Jinja fills it, or None when it must go to Jinja."""
    pieces = _pieces(source)
    if pieces is None:
        return None
    texts, names = pieces
    if not names:
        return source
    out = [texts[0]]
    for name, after in zip(names, texts[1:], strict=True):
        if name not in ctx:
            return None  # Jinja's own "is undefined" error
        out.append(str(ctx[name]))
        out.append(after)
    filled = "".join(out)
    return filled if len(filled) <= MAX_OUTPUT else None


class Picker:
    """Chooses snippets for one document: seeded, never the same snippet twice."""

    def __init__(self, library: Library, seed: int, context: dict[str, Any], **conditions: Any):
        self.library = library
        self.rng = random.Random(seed)
        self.context = context
        self.conditions = conditions
        self.used: set[str] = set()
        self.log: list[str] = []  # ids in the order they were used, for the trace

    def take(self) -> list[str]:
        """The ids used since the last call (the trace of one paragraph)."""
        ids, self.log = self.log, []
        return ids

    def available_slots(self) -> set[str]:
        return {k for k, v in self.context.items() if v not in (None, "", [], ())}

    def fill(self, snippet: Snippet, text: str | None = None, **extra: Any) -> str:
        ctx = {**self.context, **extra} if extra else self.context
        if "self" in ctx and SELF_SLOT not in ctx:
            ctx = {**ctx, SELF_SLOT: ctx["self"]}
        source = snippet.text if text is None else text
        filled = _fill_slots(source, ctx)
        if filled is not None:
            return filled
        from .templating import render_string, snippet_env  # Jinja only for what it must do

        return render_string(snippet_env(), source, ctx, f"短语 {snippet.id}")

    def candidates(self, role: str, **conditions: Any) -> list[Snippet]:
        cond = {**self.conditions, **conditions}
        extra_slots = cond.pop("extra_slots", ())
        requires = cond.pop("requires", None)
        without = set(cond.pop("without_tags", ()))
        no_words = tuple(cond.pop("without_words", ()))
        with_words = tuple(cond.pop("with_words", ()))
        any_words = tuple(cond.pop("any_words", ()))
        openings = tuple(cond.pop("without_openings", ()))
        season_of = set(cond.pop("season_of", ()))
        include_used = cond.pop("include_used", False)
        cond.setdefault("slots", self.available_slots() | set(extra_slots))
        return [
            s
            for s in self.library.select(role, **cond)
            if (include_used or s.id not in self.used)
            and (requires is None or requires in s.slots)
            and not without.intersection(s.tags)
            and not any(w in t for t in s.texts for w in no_words)
            and all(any(w in t for t in s.texts) for w in with_words)
            and (not any_words or any(w in s.text for w in any_words))
            and not any(t.startswith(openings) for t in s.texts if openings)
            and (not season_of or season_of & set(s.when.season + s.when.holidays))
        ]

    def pick(self, role: str, **conditions: Any) -> Snippet | None:
        """Choose one unused snippet of ``role`` (or None when none fits)."""
        options = self.candidates(role, **conditions)
        if not options:
            return None
        s = options[self.rng.randrange(len(options))]
        self.used.add(s.id)
        self.log.append(s.id)
        return s

    def pick_many(self, role: str, n: int, **conditions: Any) -> list[Snippet]:
        options = self.candidates(role, **conditions)
        order = {s.id: i for i, s in enumerate(options)}
        self.rng.shuffle(options)
        chosen = sorted(options[:n], key=lambda s: order[s.id])
        self.used.update(s.id for s in chosen)
        self.log.extend(s.id for s in chosen)
        return chosen

    def text(self, role: str, **conditions: Any) -> str:
        """Pick a snippet and fill one of its wordings; '' when none fits."""
        extra = conditions.pop("values", {})
        words = tuple(conditions.get("with_words", ()))
        s = self.pick(role, extra_slots=tuple(extra), **conditions)
        if s is None:
            return ""
        texts = [t for t in s.texts if all(w in t for w in words)] or list(s.texts)
        variant = texts[self.rng.randrange(len(texts))]
        return self.fill(s, variant, **extra)

    def use(self, sid: str, **extra: Any) -> str:
        """Fill the snippet ``sid`` (explicit ``use:``); raises KeyError when unknown."""
        s = self.library.get(sid)
        if s is None:
            raise KeyError(sid)
        self.used.add(s.id)
        self.log.append(s.id)
        variant = s.texts[self.rng.randrange(len(s.texts))]
        return self.fill(s, variant, **extra)
