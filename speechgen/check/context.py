"""What the consistency rules need to know about a document: its year, its
quarter, its level (县/区/市/镇/司) and the meeting date.

Everything is inferred from the text unless given (model ``meta``, YAML data):

- date: the speaker/date line under the title ``（2024年4月10日）``, else a
  standalone 成文日期 line (the last one), else ``meta["date"]``;
- year: the date's year, else a year in the title, else the meeting named in
  the opening (``今天召开2022年第一季度……会议``);
- quarter: ``第二季度``/``一季度`` in the title or the opening, else the date's month;
- level: given, else the majority of 全县/我县/县委 … words (the title counts triple).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from .. import kinds
from ..compose.vocabulary import vocabulary
from .records import Record
from .textutil import cn_digits_to_int, cn_to_int

#: org.level (speechgen/kinds.py) → the one-character level the rules use: the
#: character of the level's self-word in the vocabulary (我县 → 县, 我市 → 市,
#: 我镇 → 镇, 我司 → 司; 县级市 and 新区 fold into 市 and 区)
LEVEL_OF: dict[str, str] = {lv: vocabulary(lv)["self"][-1] for lv in kinds.LEVELS}
LEVELS = tuple(dict.fromkeys(LEVEL_OF.values()))
#: spellings of a level → the one-character level: the org.level values, the
#: one-character levels themselves, and what a hand-written meta may say
LEVEL_ALIASES = {
    **LEVEL_OF,
    **{c: c for c in LEVELS},
    "旗": "县",
    "县级": "县",
    "乡": "镇",
    "街道": "镇",
    "企业": "司",
}
#: the org.level whose 市 is prefecture-level (kinds.LEVELS glosses it 地级市)
PREFECTURE_LEVELS = frozenset(lv for lv, gloss in kinds.LEVELS.items() if gloss == "地级市")


@dataclass
class Context:
    source: str = "docx"  # "docx" | "model" | "yaml"
    year: int | None = None
    date: dt.date | None = None
    quarter: int | None = None
    level: str | None = None
    #: the level is beyond doubt: given, named in the title (全县, 全公司), or the
    #: words of one level outnumber every other's at least three to one
    level_clear: bool = False
    #: a 市 document shows it is prefecture-level (各县（市、区）, or given as 市)
    prefecture: bool = False
    #: a 镇-level document's word for itself, 乡 or 镇, when its words say so
    #: (:func:`township_of`): a 乡 must not call itself 全镇, nor a 镇 全乡
    township: str | None = None
    title: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def latest_meeting_date(self) -> dt.date | None:
        """The meeting date, or the end of the quarter when only the quarter is known."""
        if self.date:
            return self.date
        if self.year and self.quarter:
            month = self.quarter * 3
            day = 31 if month in (3, 12) else 30
            return dt.date(self.year, month, day)
        return None


_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_CN_DATE = re.compile(
    r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日"
)
_QUARTER = re.compile(r"(?<![前后])第?([一二三四1-4])季度")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_MEETING_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年[^。！？]{0,24}?会议")


def parse_date(text: str) -> dt.date | None:
    """The first date written out in ``text`` (Arabic or Chinese numerals)."""
    m = _DATE.search(text)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    m = _CN_DATE.search(text)
    if m:
        y, mo, d = cn_digits_to_int(m.group(1)), cn_to_int(m.group(2)), cn_to_int(m.group(3))
        if y and mo and d:
            try:
                return dt.date(y, mo, d)
            except ValueError:
                return None
    return None


def _iso(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return parse_date(value)
    return None


def normalise_level(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    v = value.strip()
    return LEVEL_ALIASES.get(v) or (v[-1] if v and v[-1] in LEVELS else None)


def quarter_of(text: str) -> int | None:
    m = _QUARTER.search(text)
    return cn_to_int(m.group(1)) if m else None


def _is_date_line(text: str) -> bool:
    t = re.sub(r"\s+", "", text)
    return bool(
        re.fullmatch(
            r"[（(]?[^（）()]{0,12}?(?:\d{4}年\d{1,2}月\d{1,2}日|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)[)）]?",
            t,
        )
    )


#: (count key, pattern) in the order the counts are kept: 乡 counts as 镇
_LEVEL_PATTERNS = tuple(
    ("镇" if lv == "乡" else lv, re.compile(pattern))
    for lv in ("县", "区", "市", "镇", "乡")
    for pattern in (f"[全我本]{lv}", f"{lv}委、{lv}政府|{lv}委{lv}政府|{lv}政府")
) + (("司", re.compile(r"我司|我公司|全司|全公司|本公司")),)
_ANY_LEVEL_CHAR = re.compile("[县区市镇乡司]")


@lru_cache(maxsize=1024)
def _level_counts(text: str) -> Counter:
    """How often each level's words occur in ``text`` (cached: read it, do not change it)."""
    c: Counter = Counter()
    if _ANY_LEVEL_CHAR.search(text) is None:  # every pattern needs one: all counts zero
        for key, _rx in _LEVEL_PATTERNS:
            c[key] += 0
        return c
    for key, rx in _LEVEL_PATTERNS:
        c[key] += len(rx.findall(text))
    return c


@lru_cache(maxsize=1024)
def _level_items(text: str) -> tuple[tuple[str, int], ...]:
    """The levels whose words occur in ``text``, with their counts (none: empty)."""
    return tuple((k, v) for k, v in _level_counts(text).items() if v)


#: the keys of :func:`_level_counts`, in its order
_LEVEL_KEYS = tuple(_level_counts.__wrapped__(""))


def _counts(records: list[Record]) -> Counter:
    """The level words of the records (the title's count triple); every level is a key
    once any record counts, even at zero."""
    totals: dict[str, int] | None = None
    for r in records:
        if r.kind in ("header", "footer"):
            continue
        if totals is None:
            totals = dict.fromkeys(_LEVEL_KEYS, 0)
        items = _level_items(r.text)
        if items:
            weight = 3 if r.kind == "title" else 1
            for k, v in items:
                totals[k] += v * weight
    return Counter(totals or {})


def infer_level(records: list[Record], counts: Counter | None = None) -> str | None:
    """The level whose words are the most frequent (at least two); ``counts``: those
    of :func:`_counts`, when already known."""
    counts = _counts(records) if counts is None else counts
    if not counts:
        return None
    best, n = counts.most_common(1)[0]
    return best if n >= 2 else None


_TITLE_LEVEL = re.compile(r"全(县|区|市|镇|乡)|(公司|集团)")


def level_is_clear(records: list[Record], level: str | None, counts: Counter | None = None) -> bool:
    """The title names ``level`` (全县, 全市, 公司), or its words outnumber any other's 3:1 (at least 3)."""
    if level is None:
        return False
    title = "".join(r.text for r in records if r.kind == "title")
    m = _TITLE_LEVEL.search(title)
    if m:
        named = "司" if m.group(2) else ("镇" if m.group(1) == "乡" else m.group(1))
        return named == level
    counts = _counts(records) if counts is None else counts
    n = counts.get(level, 0)
    rest = max((v for k, v in counts.items() if k != level), default=0)
    return n >= 3 and n >= 3 * rest


#: a township's words for itself: 全乡/我乡/本乡 (not 乡镇, 乡村…), 乡党委, 乡政府; the same
#: for 镇 (not 镇域, nor the 镇 of 乡镇党委/乡镇政府)
TOWNSHIP_WORDS = {
    "乡": re.compile(r"[全我本]乡(?![镇村亲土情])|乡党委|乡政府"),
    "镇": re.compile(r"[全我本]镇(?!域)|(?<!乡)镇党委|(?<!乡)镇政府"),
}


def township_of(records: list[Record]) -> str | None:
    """乡 or 镇: the word a township's document uses for itself, when one outnumbers the
    other at least three to one (at least twice; the title counts three times)."""
    counts = dict.fromkeys(TOWNSHIP_WORDS, 0)
    for r in records:
        if r.kind in ("header", "footer"):
            continue
        weight = 3 if r.kind == "title" else 1
        for word, rx in TOWNSHIP_WORDS.items():
            counts[word] += weight * len(rx.findall(r.text))
    for word, n in counts.items():
        rest = max(v for k, v in counts.items() if k != word)
        if n >= 2 and n >= 3 * rest:
            return word
    return None


_PREFECTURE = re.compile(r"县（市、区）|县\(市、区\)|县市区|各县区")
_MEETING_QUARTER = re.compile(r"召开[^。！？]{0,12}?第?([一二三四1-4])季度[^。！？]{0,16}?会议")
_OPENING_KINDS = frozenset({"body", "salutation", "title", "subtitle"})


def _opening(flow: list[Record]) -> list[Record]:
    """The first six records of the opening kinds (where a meeting's year and quarter are said)."""
    out: list[Record] = []
    for r in flow:
        if r.kind in _OPENING_KINDS:
            out.append(r)
            if len(out) == 6:
                break
    return out


def infer_context(
    records: list[Record], given: dict | None = None, source: str = "docx"
) -> Context:
    """Year, quarter, level and meeting date of a document (``given`` wins)."""
    given = given or {}
    ctx = Context(source=source)
    titles = [r for r in records if r.kind == "title"]
    ctx.title = "".join(r.text for r in titles)
    flow = [r for r in records if r.kind not in ("header", "footer", "empty")]

    # date: speaker/date line near the top, then a standalone 成文日期, then meta
    date = _iso(given.get("date")) if given.get("date") else None
    if date:
        ctx.notes.append("日期：已给定")
    if date is None:
        for r in flow[:8]:
            if r.kind in ("subtitle", "date") or (
                r.kind not in ("body", "heading") and _is_date_line(r.text)
            ):
                date = parse_date(r.text)
                if date:
                    ctx.notes.append(f"日期：{r.location}")
                    break
    if date is None:
        for r in reversed(flow):
            if r.kind in ("date", "signature", "body", "closing") and _is_date_line(r.text):
                date = parse_date(r.text)
                if date:
                    ctx.notes.append(f"日期：{r.location}")
                    break
    ctx.date = date

    # year
    year = given.get("year") if isinstance(given.get("year"), int) else None
    if year is None and date:
        year = date.year
    if year is None and ctx.title:
        m = _YEAR.search(ctx.title)
        if m:
            year = int(m.group(1))
            ctx.notes.append("年份：标题")
    opening = _opening(flow)
    if year is None:
        for r in opening:
            m = _MEETING_YEAR.search(r.text)
            if m:
                year = int(m.group(1))
                ctx.notes.append(f"年份：{r.location}")
                break
    ctx.year = year

    # quarter
    q = given.get("quarter")
    quarter = q if isinstance(q, int) and 1 <= q <= 4 else None
    if quarter is None and ctx.title:
        quarter = quarter_of(ctx.title)
    if quarter is None:
        for r in opening:
            m = _MEETING_QUARTER.search(r.text)
            if m:
                quarter = cn_to_int(m.group(1))
                break
    if quarter is None and date:
        quarter = (date.month - 1) // 3 + 1
    ctx.quarter = quarter

    # level
    level = normalise_level(given.get("level"))
    if level is not None:
        ctx.level_clear = True
        ctx.prefecture = str(given.get("level")).strip() in PREFECTURE_LEVELS
    else:
        counts = _counts(records)
        level = infer_level(records, counts)
        ctx.level_clear = level_is_clear(records, level, counts)
    if level == "市" and not ctx.prefecture:
        ctx.prefecture = any(
            _PREFECTURE.search(r.text) for r in records if r.kind not in ("header", "footer")
        )
    ctx.level = level
    if level == "镇":
        ctx.township = township_of(records)
    return ctx
