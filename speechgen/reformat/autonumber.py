"""Word auto-numbering (``numbering.xml``) turned into the literal markers a
reader sees: ``一、`` ``（一）`` ``1.`` …

A paragraph is numbered by ``w:numPr`` in its own properties or in its style
chain. Counters are kept per list (``w:num``); a level restarts when a
shallower level of the same list advances. ``w:lvlText`` such as ``（%1）`` is
filled with each level's counter in that level's ``w:numFmt``. Bullets give
no marker (a bullet is not text).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from ..check.docx_reader import DocxPackage, ReadProblem
from ..model import cn_ordinal

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)

_CN_FORMATS = frozenset(
    {
        "chineseCounting",
        "chineseCountingThousand",
        "chineseLegalSimplified",
        "ideographTraditional",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
        "japaneseCounting",
    }
)


@dataclass
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    style: str = ""


@dataclass
class Numbering:
    """The lists of one document and the running counters while reading it."""

    abstract: dict[str, dict[int, Level]] = field(default_factory=dict)
    nums: dict[str, str] = field(default_factory=dict)  # numId -> abstractNumId
    overrides: dict[str, dict[int, Level | int]] = field(default_factory=dict)
    counters: dict[str, list[int]] = field(default_factory=dict)
    problem: str = ""  # why the numbering part could not be read, "" when it could

    def level(self, num_id: str, ilvl: int) -> Level | None:
        over = self.overrides.get(num_id, {}).get(ilvl)
        if isinstance(over, Level):
            return over
        base = self.abstract.get(self.nums.get(num_id, ""), {}).get(ilvl)
        if base is None:
            return None
        if isinstance(over, int):
            return Level(over, base.fmt, base.text, base.style)
        return base

    def next_marker(self, num_id: str, ilvl: int) -> str | None:
        """Advance the list's counter at ``ilvl`` and return the marker text
        (``None`` when the paragraph is not really numbered or is a bullet)."""
        if num_id in ("", "0") or num_id not in self.nums:
            return None
        lvl = self.level(num_id, ilvl)
        if lvl is None:
            return None
        key = num_id if num_id in self.overrides else self.nums[num_id]
        counts = self.counters.setdefault(key, [0] * 9)
        ilvl = max(0, min(ilvl, 8))
        if counts[ilvl] == 0:
            counts[ilvl] = lvl.start
        else:
            counts[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = 0
        if lvl.fmt in ("bullet", "none"):
            return None
        out = lvl.text
        for k in range(ilvl, -1, -1):
            token = f"%{k + 1}"
            if token not in out:
                continue
            other = self.level(num_id, k) or lvl
            n = counts[k] if counts[k] else other.start
            out = out.replace(token, format_number(n, other.fmt))
        return out


def format_number(n: int, fmt: str) -> str:
    """A counter in a Word number format (the common ones; others as digits)."""
    if fmt in _CN_FORMATS and 1 <= n <= 999:
        return cn_ordinal(n)
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("lowerLetter", "upperLetter") and n >= 1:
        c = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return c.upper() if fmt == "upperLetter" else c
    if fmt in ("lowerRoman", "upperRoman") and 1 <= n < 4000:
        r = _roman(n)
        return r if fmt == "upperRoman" else r.lower()
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for v, s in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while n >= v:
            out += s
            n -= v
    return out


def _level(el, q) -> Level:
    def val(tag: str) -> str | None:
        e = el.find(q(tag))
        return e.get(q("val")) if e is not None else None

    start = val("start")
    return Level(
        start=int(start) if start and start.lstrip("-").isdigit() else 1,
        fmt=val("numFmt") or "decimal",
        text=val("lvlText") if val("lvlText") is not None else "",
        style=val("pStyle") or "",
    )


def read_numbering(pkg: DocxPackage) -> Numbering:
    """The document's lists (empty when it has no numbering part)."""
    out = Numbering()
    name = next((path for typ, path in pkg.rels.values() if typ == "numbering"), None)
    part = name or "word/numbering.xml"
    try:
        data = pkg.read(part)
    except ReadProblem as e:
        out.problem = str(e)
        return out
    if not data:
        return out
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        out.problem = f"{part} 不是有效的 XML"
        return out
    if root is None:
        return out
    w = pkg.w

    def q(tag: str) -> str:
        return f"{{{w}}}{tag}"

    for an in root.iter(q("abstractNum")):
        aid = an.get(q("abstractNumId"))
        if aid is None:
            continue
        levels: dict[int, Level] = {}
        for lvl in an.findall(q("lvl")):
            il = lvl.get(q("ilvl"))
            if il is not None and il.isdigit():
                levels[int(il)] = _level(lvl, q)
        out.abstract[aid] = levels
    for num in root.iter(q("num")):
        nid = num.get(q("numId"))
        ref = num.find(q("abstractNumId"))
        if nid is None or ref is None:
            continue
        out.nums[nid] = ref.get(q("val")) or ""
        over: dict[int, Level | int] = {}
        for lo in num.findall(q("lvlOverride")):
            il = lo.get(q("ilvl"))
            if il is None or not il.isdigit():
                continue
            lvl = lo.find(q("lvl"))
            so = lo.find(q("startOverride"))
            if lvl is not None:
                over[int(il)] = _level(lvl, q)
            elif so is not None and (so.get(q("val")) or "").isdigit():
                over[int(il)] = int(so.get(q("val")))
        if over:
            out.overrides[nid] = over
    return out


def num_pr(pkg: DocxPackage, p: Any, numbering: Numbering) -> tuple[str, int] | None:
    """(numId, ilvl) of a paragraph, from its own properties or its style chain."""
    q = pkg.q
    num_id: str | None = None
    ilvl: int | None = None
    for lv in pkg.styles.para_levels(p):
        np_ = lv.find(q("numPr"))
        if np_ is None:
            continue
        nid = np_.find(q("numId"))
        il = np_.find(q("ilvl"))
        if num_id is None and nid is not None:
            num_id = nid.get(q("val"))
        if ilvl is None and il is not None and (il.get(q("val")) or "").isdigit():
            ilvl = int(il.get(q("val")))
        if num_id is not None and ilvl is not None:
            break
    if not num_id or num_id == "0":
        return None
    if ilvl is None:
        sid = pkg.styles.para_style_id(p) or ""
        levels = out_levels(numbering, num_id)
        ilvl = next((k for k, lv in levels.items() if lv.style and lv.style == sid), 0)
    return num_id, ilvl


def out_levels(numbering: Numbering, num_id: str) -> dict[int, Level]:
    return numbering.abstract.get(numbering.nums.get(num_id, ""), {})
