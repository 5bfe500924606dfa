"""E220–E228: heading and item numbering, and the announced number of points.

Markers are detected at the start of a paragraph, by family:

========== ============ =====================================================
family     marker       notes
========== ============ =====================================================
cn_dun     ``一、``     level 1 (GB/T 9704); ``一.`` ``一，`` are wrong forms
cn_paren   ``（一）``   level 2; ``(一)`` ``（一）、`` ``( 一 )`` are wrong forms
num_dot    ``1.``       level 3 (``1．`` accepted); ``1、`` is a wrong form
num_paren  ``（1）``    level 4; ``(1)`` ``1）`` are wrong forms
shi        ``一是``     spoken item families, also found inside a paragraph
yao        ``一要``
di         ``第一，``
circle     ``①``
========== ============ =====================================================

The analysis keeps a stack of open levels: a marker of a family already on
the stack closes the deeper levels and continues that level; a new family
opens a level below. On that walk it finds gaps (一、二、四、), repeats,
numbers that do not restart under a new parent, a skipped level (一、 then
1.), the same family at adjacent levels, siblings of mixed families (一是、
二是、三、) and, for each ``下面，我讲三点意见`` (also ``以下几点``: two or more,
and a counted set announced before its parts, ``落实“三个责任”``), the number
of points that follow at the level opened right after it. A ``一是`` (一要,
第一，) without its ``二是`` in the paragraph or the run that follows it, up to
the next heading, is E228. Numbering restarts after an attachment
label (``附件1``).
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from ..memo import Memo
from .context import Context
from .records import FLOW_KINDS, Record
from .registry import doc_rule
from .textutil import cn_numeral, cn_to_int

CN = "[一二三四五六七八九十]{1,3}"
_SP = "[ \u3000\xa0\t]"

FORMAL_DEPTH = {"cn_dun": 1, "cn_paren": 2, "num_dot": 3, "num_paren": 4}
SPOKEN = frozenset({"shi", "yao", "di", "circle"})


@dataclass(frozen=True)
class Marker:
    family: str
    n: int
    start: int
    end: int
    literal: str
    wrong: str = ""  # why this form is wrong, "" when it is fine


@lru_cache(maxsize=1024)
def marker_text(family: str, n: int) -> str:
    """The canonical marker of the n-th item of a family."""
    c = cn_numeral(n)
    return {
        "cn_dun": f"{c}、",
        "cn_paren": f"（{c}）",
        "num_dot": f"{n}.",
        "num_paren": f"（{n}）",
        "shi": f"{c}是",
        "yao": f"{c}要",
        "di": f"第{c}，",
        "circle": chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
    }.get(family, str(n))


_P_PAREN_CN = re.compile(rf"([（(])({_SP}*)({CN})({_SP}*)([）)])({_SP}*[、.．,，:：])?")
_P_PAREN_NUM = re.compile(rf"([（(])({_SP}*)(\d{{1,2}})({_SP}*)([）)])({_SP}*[、.．,，])?")
_P_CN = re.compile(rf"({CN})({_SP}*)([、.．,，）)])")
_P_NUM = re.compile(rf"(\d{{1,2}})({_SP}*)([.．](?!\d)|、|[）)](?!\d))")
_P_DI = re.compile(rf"第({CN}){_SP}*(?=[，,、：:])")
_P_SPOKEN = re.compile(rf"({CN}){_SP}?(是|要)(?!素|求|点|件|害|闻)")
_P_CIRCLE = re.compile("[\u2460-\u2473]")

_INLINE_SPOKEN = re.compile(
    rf"(?:(?<=[。；;！!？?：:，,\s\u3000])|^)({CN}){_SP}?(是|要)(?!素|求|点|件|害|闻)"
)
_INLINE_DI = re.compile(rf"(?<=[。；;！!？?：:])\s*第({CN})(?=[，,、])")


@lru_cache(maxsize=1024)
def initial_marker(text: str) -> Marker | None:
    """The numbering marker at the start of a paragraph, if any."""
    lead = len(text) - len(text.lstrip(" \u3000\xa0\t"))
    s = text[lead:]
    if not s:
        return None

    m = _P_PAREN_CN.match(s) or _P_PAREN_NUM.match(s)
    if m:
        fam = "cn_paren" if m.re is _P_PAREN_CN else "num_paren"
        n = cn_to_int(m.group(3))
        if n is None:
            return None
        right = marker_text(fam, n)
        wrong = ""
        if m.group(1) == "(" or m.group(5) == ")":
            wrong = f"应使用全角括号“{right}”"
        elif m.group(2) or m.group(4):
            wrong = f"括号内不应有空格，应为“{right}”"
        elif m.group(6):
            wrong = f"“{right}”后不应再加“{m.group(6).strip()}”"
        return Marker(fam, n, lead, lead + m.end(), m.group(0), wrong)

    m = _P_CN.match(s)
    if m:
        n = cn_to_int(m.group(1))
        if n is None:
            return None
        if m.group(3) in "）)":
            right = marker_text("cn_paren", n)
            return Marker("cn_paren", n, lead, lead + m.end(), m.group(0), f"应为“{right}”")
        wrong = ""
        if m.group(3) != "、" or m.group(2):
            wrong = f"应为“{marker_text('cn_dun', n)}”"
        return Marker("cn_dun", n, lead, lead + m.end(), m.group(0), wrong)

    m = _P_NUM.match(s)
    if m:
        n = int(m.group(1))
        sep = m.group(3)
        if sep in ".．":
            return Marker("num_dot", n, lead, lead + m.end(), m.group(0))
        if sep == "、":
            return Marker(
                "num_dot",
                n,
                lead,
                lead + m.end(),
                m.group(0),
                f"“{n}、”应为“{n}.”（或按层级用“{cn_numeral(n)}、”）",
            )
        return Marker("num_paren", n, lead, lead + m.end(), m.group(0), f"应为“（{n}）”")

    m = _P_DI.match(s)
    if m:
        n = cn_to_int(m.group(1))
        if n is not None:
            return Marker("di", n, lead, lead + m.end(), m.group(0))
        return None

    m = _P_SPOKEN.match(s)
    if m:
        n = cn_to_int(m.group(1))
        if n is not None:
            fam = "shi" if m.group(2) == "是" else "yao"
            return Marker(fam, n, lead, lead + m.end(), m.group(0))
        return None

    m = _P_CIRCLE.match(s)
    if m:
        return Marker("circle", ord(m.group(0)) - 0x2460 + 1, lead, lead + 1, m.group(0))
    return None


def inline_markers(text: str, start: int = 0) -> list[Marker]:
    """Spoken item markers inside a paragraph (after ``start``): ``。二是`` ``；三要``."""
    return list(_inline_markers(text, start))


@lru_cache(maxsize=1024)
def _inline_markers(text: str, start: int) -> tuple[Marker, ...]:
    if "是" not in text and "要" not in text and "第" not in text:
        return ()  # each pattern needs one of them (most lines of a letter have none)
    return _inline_scan(text, start)


def _inline_scan(text: str, start: int) -> tuple[Marker, ...]:
    out: list[Marker] = []
    for m in _INLINE_SPOKEN.finditer(text, start):
        n = cn_to_int(m.group(1))
        if n is not None:
            fam = "shi" if m.group(2) == "是" else "yao"
            out.append(Marker(fam, n, m.start(), m.end(), m.group(0)))
    for m in _INLINE_DI.finditer(text, start):
        n = cn_to_int(m.group(1))
        if n is not None:
            out.append(Marker("di", n, m.start(1) - 1, m.end(), m.group(0).strip()))
    out.sort(key=lambda k: k.start)
    return tuple(out)


def is_standalone(text: str, m: Marker) -> bool:
    """A heading on its own line: one short sentence after the marker."""
    body = text[m.end :].strip()
    if not body or len(body) > 60:
        return False
    return not re.search(r"[。！？；;!?]", body[:-1])


_ANNOUNCE = re.compile(
    r"(?:(?:讲|谈|强调|提出|提|说|做好|抓好)了?(?:以下|如下)?"
    r"([一二三四五六七八九十两]{1,3}|\d{1,2}|几)(?:点|个方面|方面|个问题|条)"
    r"|从([一二三四五六七八九十两]{1,3}|\d{1,2}|几)个?方面(?:讲|谈|强调|说)"
    r"|以下([几一二三四五六七八九十两]{1,3})(?:点|个方面|方面|项)"
    # a counted set announced before its parts: 落实“三个责任”, “三个必须”
    r"|[“\"]([二三四五六七八九十两])个([^”\"\s，。；]{1,6})[”\"]|([二三四五六七八九十两])个责任)"
)

#: a further clause after a counted set: 按照“三个必须”的要求，切实履行好监管职责
_CLAUSE_AFTER = re.compile(r"[^。！？；;!?，,]*[，,][^。！？；;!?，,\s]")

#: what every alternative of _ANNOUNCE needs (点, 方面, 条, 项 or 个)
_ANNOUNCE_NEEDS = re.compile("[点条项个]|方面")

#: ``n`` of ``以下几点``: any number of parts but one
FEW = 0


def _count_fits(n: int, count: int) -> bool:
    return count >= 2 if n == FEW else count == n


# --------------------------------------------------------------------------- analysis


@dataclass
class Issue:
    record: Record
    code: str
    message: str


@dataclass
class _Level:
    family: str
    last: int
    record: Record
    standalone: bool
    children: set[str] = field(default_factory=set)


@dataclass
class _Announcement:
    record: Record
    n: int
    phrase: str
    depth: int
    count: int = 0
    started: bool = False
    closed: bool = False
    items: list[str] = field(default_factory=list)


class _Walk:
    def __init__(self) -> None:
        self.issues: list[Issue] = []
        self.reset()

    def reset(self) -> None:
        self.stack: list[_Level] = []
        self.anns: list[_Announcement] = []
        self.prev: _Level | None = None  # the level of the last paragraph-initial marker
        self.prev_inline: dict[str, int] = {}
        self.full_stop: tuple[Record, int, Marker] | None = None

    def settle_full_stop(self, next_level: int | None) -> None:
        """A standalone ``（一）……。`` is a heading (E226) when body text or a deeper level follows it."""
        if self.full_stop is None:
            return
        rec, level, m = self.full_stop
        self.full_stop = None
        if next_level is None or next_level > level:
            self.issue(rec, "E226", f"单独成行的标题“{m.literal.strip()}…”末尾不加句号")

    def issue(self, rec: Record, code: str, msg: str) -> None:
        self.issues.append(Issue(rec, code, msg))

    # ------------------------------------------------------------ announcements
    def event(self, index: int, k: int, literals: list[str]) -> None:
        for a in self.anns:
            if a.closed:
                continue
            if index < a.depth:
                self.close(a)
            elif index == a.depth:
                a.started = True
                a.count += k
                a.items.extend(literals[: max(0, 9 - len(a.items))])  # only the first 8 are shown
        if len(self.anns) > 8 and any(a.closed for a in self.anns):
            self.anns = [a for a in self.anns if not a.closed]

    def close(self, a: _Announcement) -> None:
        if a.closed:
            return
        a.closed = True
        if a.started and not _count_fits(a.n, a.count):
            shown = "".join(a.items[:8]) + ("…" if len(a.items) > 8 else "")
            self.issue(
                a.record,
                "E225",
                f"前面说“{a.phrase}”，后面实际是{a.count}点（{shown}）",
            )

    def finish(self) -> None:
        self.full_stop = None
        for a in self.anns:
            self.close(a)
        self.reset()

    # ------------------------------------------------------------ levels
    def pop_to(self, i: int) -> None:
        del self.stack[i + 1 :]

    def push(self, m: Marker, rec: Record, standalone: bool) -> int:
        if self.stack:
            self.stack[-1].children.add(m.family)
        self.stack.append(_Level(m.family, m.n, rec, standalone))
        return len(self.stack) - 1

    def formal_parent_depth(self) -> int:
        for lv in reversed(self.stack):
            if lv.family in FORMAL_DEPTH:
                return FORMAL_DEPTH[lv.family]
        return 0

    def place(self, m: Marker, rec: Record, standalone: bool) -> int:
        """Put a paragraph-initial marker on the stack; report what is wrong; return its level."""
        fam, n = m.family, m.n
        lit = marker_text(fam, n)
        st = self.stack

        # the same family right under a heading of that family (一、总体要求 → 一、指导思想)
        if (
            n == 1
            and st
            and st[-1].family == fam
            and st[-1] is self.prev
            and self.prev.standalone
            and st[-1].last >= 1
        ):
            self.issue(
                rec,
                "E224",
                f"“{marker_text(fam, self.prev.last)}”标题下一级又用了“{lit}”，相邻两级不能用同一种编号",
            )
            return self.push(m, rec, standalone)

        same = [i for i, lv in enumerate(st) if lv.family == fam]
        if same:
            fit = [i for i in same if st[i].last == n - 1]
            i = fit[-1] if fit else same[-1]
            lv = st[i]
            self.pop_to(i)
            if not fit:
                prev_lit = marker_text(fam, lv.last)
                if n == lv.last:
                    self.issue(rec, "E221", f"编号“{lit}”重复（前面已有“{prev_lit}”）")
                elif n > lv.last + 1:
                    missing = "、".join(
                        f"“{marker_text(fam, k)}”" for k in range(lv.last + 1, min(n, lv.last + 4))
                    )
                    self.issue(rec, "E220", f"“{prev_lit}”之后是“{lit}”，缺少{missing}")
                elif n == 1 and fam in SPOKEN:
                    pass  # a new list of 一是/二是 in the same section
                elif n == 1:
                    self.issue(
                        rec, "E221", f"编号重新从“{lit}”开始（同一上级下前面已到“{prev_lit}”）"
                    )
                else:
                    self.issue(rec, "E221", f"编号倒退：“{prev_lit}”之后是“{lit}”")
            lv.last = n
            lv.record = rec
            lv.standalone = standalone
            return i

        # a new family
        if n > 1 and self.prev_inline.get(fam) == n - 1:
            # continues the items written inside the previous paragraph (……。一要……  二要……)
            level = self.push(m, rec, standalone)
            return level
        if n > 1 and st and fam in st[-1].children:
            parent = st[-1]
            self.issue(
                rec,
                "E220",
                f"在新的上级“{marker_text(parent.family, parent.last)}”下，编号应从“{marker_text(fam, 1)}”重新开始，而不是“{lit}”",
            )
            return self._push_checked(m, rec, standalone)
        if n > 1:
            fit = [i for i, lv in enumerate(st) if lv.last == n - 1]
            if fit:
                i = fit[-1]
                lv = st[i]
                self.pop_to(i)
                self.issue(
                    rec,
                    "E227",
                    f"同一级编号形式不一致：前面是“{marker_text(lv.family, lv.last)}”，这里是“{m.literal.strip()}”",
                )
                lv.family, lv.last, lv.record, lv.standalone = fam, n, rec, standalone
                return i
            self.issue(rec, "E220", f"编号从“{lit}”开始，缺少“{marker_text(fam, 1)}”")
        return self._push_checked(m, rec, standalone)

    def _push_checked(self, m: Marker, rec: Record, standalone: bool) -> int:
        d = FORMAL_DEPTH.get(m.family)
        if d:
            dp = self.formal_parent_depth()
            if dp and d > dp + 1:
                parent = next(lv for lv in reversed(self.stack) if lv.family in FORMAL_DEPTH)
                skipped = "、".join(
                    f"“{marker_text(f, 1)}”" for f, dd in FORMAL_DEPTH.items() if dp < dd < d
                )
                self.issue(
                    rec,
                    "E223",
                    f"跳级：“{marker_text(parent.family, parent.last)}”下面直接用了“{marker_text(m.family, m.n)}”，缺少{skipped}一级",
                )
            elif dp and d < dp:
                parent = next(lv for lv in reversed(self.stack) if lv.family in FORMAL_DEPTH)
                self.issue(
                    rec,
                    "E223",
                    f"层级颠倒：“{marker_text(parent.family, parent.last)}”下面用了上一级的“{marker_text(m.family, m.n)}”",
                )
        return self.push(m, rec, standalone)

    # ------------------------------------------------------------ sequences inside a paragraph
    def check_run(self, rec: Record, fam: str, ns: list[int]) -> None:
        for a, b in zip(ns, ns[1:], strict=False):
            if b == a + 1 or b == 1:
                continue
            la, lb = marker_text(fam, a), marker_text(fam, b)
            if b == a:
                self.issue(rec, "E221", f"段内编号“{lb}”重复")
            elif b > a + 1:
                self.issue(rec, "E220", f"段内“{la}”之后是“{lb}”，缺少“{marker_text(fam, a + 1)}”")
            else:
                self.issue(rec, "E221", f"段内编号倒退：“{la}”之后是“{lb}”")

    def inline(
        self, rec: Record, m: Marker | None, level: int | None, marks: tuple[Marker, ...]
    ) -> dict[str, int]:
        """The markers ``marks`` inside the paragraph, after its initial marker ``m``."""
        groups: dict[str, list[int]] = {}
        for k in marks:
            groups.setdefault(k.family, []).append(k.n)
        last_seen: dict[str, int] = {}
        for fam, ns in groups.items():
            last_seen[fam] = ns[-1]
            if m is not None and m.family == fam and level is not None:
                if ns[0] == m.n + 1:
                    self.check_run(rec, fam, [m.n, *ns])
                    run = [m.n, *ns]
                    # items of the same level written in one paragraph
                    j = 1
                    while j < len(run) and run[j] == run[j - 1] + 1:
                        j += 1
                    self.stack[level].last = run[j - 1]
                    self.event(level, j - 1, [marker_text(fam, x) for x in run[1:j]])
                elif ns[0] == 1:
                    self.issue(
                        rec,
                        "E224",
                        f"“{m.literal.strip()}”这一项里又用“{marker_text(fam, 1)}”分项，相邻两级不能用同一种编号",
                    )
                    self.check_run(rec, fam, ns)
                else:
                    self.check_run(rec, fam, [m.n, *ns])
                continue
            fit = [
                i for i, lv in enumerate(self.stack) if lv.family == fam and lv.last == ns[0] - 1
            ]
            if fit:
                i = fit[-1]
                self.check_run(rec, fam, ns)
                j = 1
                while j < len(ns) and ns[j] == ns[j - 1] + 1:
                    j += 1
                self.stack[i].last = ns[j - 1]
                self.event(i, j, [marker_text(fam, x) for x in ns[:j]])
            elif ns[0] == 1 or self.prev_inline.get(fam) == ns[0] - 1:
                self.check_run(rec, fam, ns)
            elif len(ns) >= 2:
                self.issue(
                    rec,
                    "E220",
                    f"段内编号从“{marker_text(fam, ns[0])}”开始，缺少“{marker_text(fam, 1)}”",
                )
                self.check_run(rec, fam, ns)
        return last_seen

    # ------------------------------------------------------------ one paragraph
    def record(self, rec: Record, facts: _Facts) -> None:
        """Walk one paragraph; ``facts`` are those of its text (:func:`_facts`)."""
        m = facts.marker
        level = None
        if m is not None:
            if m.wrong:
                self.issue(rec, "E222", f"编号“{m.literal.strip()}”不规范：{m.wrong}")
            standalone = facts.standalone
            level = self.place(m, rec, standalone)
            self.settle_full_stop(level)
            if m.family in ("cn_dun", "cn_paren") and standalone and facts.full_stop:
                if rec.info.get("block") == "Heading":
                    self.issue(rec, "E226", f"标题“{m.literal.strip()}…”末尾不加句号")
                else:
                    # a heading only if text follows under it; a list of sentences is not headings
                    self.full_stop = (rec, level, m)
            self.event(level, 1, [marker_text(m.family, m.n)])
            self.prev = self.stack[level]
        else:
            self.settle_full_stop(None)
        seen = self.inline(rec, m, level, facts.after)
        self.prev_inline = seen
        for msg in facts.announced:
            self.issue(rec, "E225", msg)
        if facts.pending is not None:
            n, phrase = facts.pending
            self.anns.append(_Announcement(rec, n, phrase, len(self.stack)))


def _announcements(text: str) -> tuple[tuple[str, ...], tuple[int, str] | None]:
    """What the announcements of a paragraph say on their own: the E225 messages of
    those counted within it, and the (number, phrase) of the one that announces
    the paragraphs after it, if any."""
    if _ANNOUNCE_NEEDS.search(text) is None:
        return (), None  # no announcement: the common case, told without the scan
    return _announcements_scan(text)


def _announcements_scan(text: str) -> tuple[tuple[str, ...], tuple[int, str] | None]:
    # Every announcement is read against the markers after it and the rest
    # of the paragraph; both are computed once for the paragraph, so that a
    # paragraph of many announcements stays linear.
    markers = inline_markers(text)
    starts = [k.start for k in markers]
    body = text.rstrip(" \u3000。：:！!")
    last_stop = max(body.rfind(c) for c in "。！？；!?;")
    found: list[str] = []
    pending: tuple[int, str] | None = None
    for a in _ANNOUNCE.finditer(text):
        word = a.group(1) or a.group(2) or a.group(3) or a.group(4) or a.group(6)
        n = FEW if word == "几" else cn_to_int(word)
        if n is None:
            continue
        phrase = a.group(0)
        phrase = phrase[phrase.index(word) :].rstrip('”"')
        after = markers[bisect_left(starts, a.end()) :]
        if after:
            fam = after[0].family
            ns = [k.n for k in after if k.family == fam]
            count = 1
            while count < len(ns) and ns[count] == ns[count - 1] + 1:
                count += 1
            if ns[0] == 1 and not _count_fits(n, count):
                shown = "".join(marker_text(fam, x) for x in ns[:count])
                found.append(f"前面说“{phrase}”，后面实际是{count}点（{shown}）")
            continue
        if last_stop >= a.end():
            continue  # a figure of speech inside a paragraph, not a transition
        if (a.group(4) or a.group(6)) and _CLAUSE_AFTER.match(text, a.end()):
            continue  # 按照“三个必须”的要求，切实履行……: a set cited, not the parts announced
        # several in one paragraph ("讲三点……讲两点"): the last one announces what follows
        pending = (n, phrase)
    return tuple(found), pending


_ATTACHMENT = re.compile(r"^\s*附\s*件\s*\d*\s*[:：]?\s*$")


@dataclass(frozen=True)
class _Facts:
    """What the numbering analysis reads in the text of one paragraph, computed once a
    text. Texts with equal facts are walked alike, so :func:`analyse` keys its memo on
    ``uid``, which is the same for equal facts and never reused for different ones."""

    marker: Marker | None  # the paragraph-initial marker
    standalone: bool  # a heading on its own line (with a marker)
    full_stop: bool  # ends with 。
    after: tuple[Marker, ...]  # spoken markers inside, after the initial marker
    spoken: tuple[Marker, ...]  # the spoken markers, the initial one included
    announced: tuple[str, ...]  # E225 messages of announcements counted within it
    pending: tuple[int, str] | None  # the announcement of the paragraphs that follow
    attachment: bool  # an attachment label (附件1)
    uid: int = field(default=0, compare=False)


_FACT_IDS: dict[_Facts, int] = {}
_FACT_UIDS = itertools.count(1)
FACTS_MAX = 1024  # texts whose facts are kept (and distinct facts numbered)


#: a character every marker and announcement pattern needs (a numeral, a digit, ①, 两, 几)
_NUMBERISH = re.compile("[一二三四五六七八九十两几\\d\u2460-\u2473]")


@lru_cache(maxsize=FACTS_MAX)
def _facts(text: str) -> _Facts:
    if _NUMBERISH.search(text) is None:  # a name, a date in words: no marker can match
        m, after, spoken, announced, pending = None, (), (), (), None
    else:
        m = initial_marker(text)
        after = _inline_markers(text, m.end if m else 0)
        spoken = ((m,) if m is not None and m.family in SPOKEN else ()) + tuple(
            k for k in after if k.family in SPOKEN
        )
        announced, pending = _announcements(text)
    facts = _Facts(
        m,
        m is not None and is_standalone(text, m),
        text.rstrip().endswith("。"),
        after,
        spoken,
        announced,
        pending,
        bool(_ATTACHMENT.match(text)),
    )
    if len(_FACT_IDS) >= FACTS_MAX:
        _FACT_IDS.clear()  # uids are never reused: a memo keyed on a dropped one only misses
    uid = _FACT_IDS.get(facts)
    if uid is None:
        uid = _FACT_IDS[facts] = next(_FACT_UIDS)
    # set on the new object before anyone else sees it (uid is neither compared nor
    # hashed); a replace() would cost as much as the facts themselves
    object.__setattr__(facts, "uid", uid)
    return facts


def _ends_run(rec: Record, facts: _Facts) -> bool:
    """A heading closes every run of 一是/二是 above it."""
    if rec.kind == "heading" or rec.kind == "attachment_label":
        return True
    m = facts.marker
    return m is not None and m.family in FORMAL_DEPTH and facts.standalone


def lone_firsts(records: list[Record]) -> list[Issue]:
    """E228: a ``一是`` (一要, 第一，) with no ``二是`` after it in its paragraph or the
    paragraphs that continue its run (up to the next heading or the next ``一是``)."""
    out: list[Issue] = []
    marks = [(rec, _facts(rec.text)) for rec in records]

    def next_of(i: int, j: int, family: str) -> Marker | None:
        """The marker that continues marker ``j`` of paragraph ``i``: the next of ``family``
        in its paragraph, else in the paragraphs of its run. A later paragraph's own
        list (一是……二是 inside it) is passed over; a paragraph that opens with 一是
        starts a new run."""
        rest = [k for k in marks[i][1].spoken[j + 1 :] if k.family == family]
        if rest:
            return rest[0]
        for nxt, facts in marks[i + 1 :]:
            if _ends_run(nxt, facts):
                return None
            same = [k for k in facts.spoken if k.family == family]
            if not same:
                continue
            opens = facts.marker is not None and same[0].start == facts.marker.start
            if opens or same[0].n != 1:
                return same[0]
        return None

    for i, (rec, facts) in enumerate(marks):
        for j, m in enumerate(facts.spoken):
            if m.n != 1:
                continue
            following = next_of(i, j, m.family)
            if following is not None and following.n != 1:
                continue  # 二是 follows (a gap to 三是 is E220's)
            two = marker_text(m.family, 2)
            out.append(
                Issue(rec, "E228", f"有“{m.literal.strip()}”而没有“{two}”：只有一项就不必编号")
            )
    return out


#: what the walk reads when no record is of the flow: a document laid out in a table
_CELL_KINDS = frozenset({"table-cell", "textbox"})


def _analyse(records: list[Record]) -> list[Issue]:
    w = _Walk()
    kinds = FLOW_KINDS
    if not any(r.kind in FLOW_KINDS for r in records):
        kinds = _CELL_KINDS
    flow: list[Record] = []
    for rec in records:
        if rec.kind == "attachment_label" or (rec.kind in kinds and _facts(rec.text).attachment):
            w.finish()
            flow.append(Record(0, "", "attachment_label"))
            continue
        if rec.kind not in kinds:
            continue
        w.record(rec, _facts(rec.text))
        flow.append(rec)
    w.finish()
    return w.issues + lone_firsts(flow)


#: (kind, block, facts uid) of each record → (position, code, message) of each issue
SEQ_MEMO_MAX = 1024
_SEQ_MEMO: Memo[tuple, tuple[tuple[int, str, str], ...]] = Memo(SEQ_MEMO_MAX)


#: the kinds whose text the walk reads (the flow, or the cells of a document laid out
#: in a table): a record of another kind is walked by its kind alone
_TEXT_KINDS = FLOW_KINDS | _CELL_KINDS


def _numbering_key(rec: Record) -> tuple:
    uid = _facts(rec.text).uid if rec.kind in _TEXT_KINDS else 0
    got = rec.numbering_key = (rec.kind, rec.info.get("block"), uid)
    return got


def analyse(records: list[Record]) -> list[Issue]:
    """All numbering issues of a document, in reading order.

    The analysis reads a record's kind, its ``block`` note and the facts of its text
    (:class:`_Facts`) and nothing else, so documents whose records agree in these
    (the letters of a batch, whose recipients' own lines carry no numbering of
    their own) have the same issues at the same places: the walk is memoised on
    that sequence, and each document still has it computed and compared."""
    key = tuple([r.numbering_key or _numbering_key(r) for r in records])
    got = _SEQ_MEMO.get(key)
    if got is None:
        got = _SEQ_MEMO.recall(key)
    if got is not None:
        return [Issue(records[pos], code, msg) for pos, code, msg in got]
    issues = _analyse(records)
    where = {id(r): k for k, r in enumerate(records)}
    if all(id(i.record) in where for i in issues):
        _SEQ_MEMO.keep(key, tuple((where[id(i.record)], i.code, i.message) for i in issues))
    return issues


_CACHE: dict[int, tuple[list[Record], list[Issue]]] = {}


def _issues(records: list[Record]) -> list[Issue]:
    key = id(records)
    got = _CACHE.get(key)
    if got is None or got[0] is not records:
        _CACHE.clear()
        got = (records, analyse(records))
        _CACHE[key] = got
    return got[1]


def _of(code: str, records: list[Record]) -> Iterator[tuple[Record, str]]:
    for i in _issues(records):
        if i.code == code:
            yield i.record, i.message


@doc_rule(
    "E220",
    "编号跳号",
    "同一级编号不连续（一、二、四、），或没有从“一”开始，或换了上级后没有重新编号。",
)
def numbering_gap(records: list[Record], ctx: Context):
    return _of("E220", records)


@doc_rule("E221", "编号重复", "同一级编号重复（二、二、）或倒退。")
def numbering_repeat(records: list[Record], ctx: Context):
    return _of("E221", records)


@doc_rule(
    "E222",
    "编号形式错误",
    "GB/T 9704 的层次序号是“一、”“（一）”“1.”“（1）”；“1、”“（一）、”半角“(1)”“一.”都不规范。",
)
def numbering_form(records: list[Record], ctx: Context):
    return _of("E222", records)


@doc_rule(
    "E223", "编号跳级", "层次不能跳级（“一、”下面直接用“1.”）或颠倒（“（一）”下面用“一、”）。"
)
def numbering_skip(records: list[Record], ctx: Context):
    return _of("E223", records)


@doc_rule(
    "E224", "相邻层级同一编号", "上下相邻的两级不能用同一种编号（“一要”下面又分“一要、二要”）。"
)
def numbering_adjacent(records: list[Record], ctx: Context):
    return _of("E224", records)


@doc_rule(
    "E225",
    "宣布的点数不符",
    "“下面，我讲三点意见”之后的要点数必须与宣布的数目一致（“几点”不限）。",
)
def numbering_announced(records: list[Record], ctx: Context):
    return _of("E225", records)


@doc_rule(
    "E228",
    "有“一是”没有“二是”",
    "“一是”“一要”“第一，”之后，同一段或接着的几段（到下一个标题为止）里必须有“二是”“二要”“第二，”。",
)
def numbering_lone_first(records: list[Record], ctx: Context):
    return _of("E228", records)


@doc_rule("E226", "标题末尾加了句号", "单独成行的一级、二级标题（“一、”“（一）”）末尾不加句号。")
def heading_full_stop(records: list[Record], ctx: Context):
    return _of("E226", records)


@doc_rule("E227", "同级编号形式混用", "同一级的几项要用同一种编号（不能“一是、二是、三、”）。")
def numbering_mixed(records: list[Record], ctx: Context):
    return _of("E227", records)


__all__ = ["Marker", "initial_marker", "inline_markers", "is_standalone", "analyse"]
