"""Reference data shipped in ``speechgen/data/``: sectors and heading families."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .. import usercache
from ..inputs.yamlread import FAST_SAFE_LOADER
from ..kinds import TOWNSHIP
from .vocabulary import has_bureaus

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class Sector:
    """One sector of the dictionary (``data/sectors.yaml``)."""

    name: str
    label: str
    aliases: tuple[str, ...] = ()
    lead: str = ""
    support: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()
    quarters: tuple[int, ...] = ()
    township_checks: tuple[str, ...] = ()  # a township's own items, where they differ

    def checks_for(self, level: str) -> tuple[str, ...]:
        """The check items for an org of ``level``: a township's own where the dictionary
        has them (农村面包车超员, not 危险品运输车辆: the county's bureaus check those)."""
        if level == TOWNSHIP and self.township_checks:
            return self.township_checks
        return self.checks

    def departments(self, level: str) -> tuple[str, tuple[str, ...]]:
        """The lead and the partners the dictionary names, for an org of ``level``: they
        are a county's or a city's bureaus, so none where the level has no such bureaus
        (a township, a company: :func:`.vocabulary.has_bureaus`)."""
        return (self.lead, self.support) if has_bureaus(level) else ("", ())


@dataclass(frozen=True)
class Renamed:
    old: str
    new: str
    since: int


@dataclass
class SectorBook:
    sectors: dict[str, Sector]
    by_alias: dict[str, str]
    renamed: list[Renamed] = field(default_factory=list)

    def find(self, name: str) -> Sector | None:
        """The sector a secretary means by ``name`` (canonical name or alias)."""
        key = name.strip()
        canonical = self.by_alias.get(key)
        if canonical is None:
            for suffix in ("安全", "领域", "行业", "方面"):
                if key.endswith(suffix) and key[: -len(suffix)] in self.by_alias:
                    canonical = self.by_alias[key[: -len(suffix)]]
                    break
        return self.sectors.get(canonical) if canonical else None

    def of_window(self, window: str) -> Sector | None:
        """The sector a season window is about: the one whose name or an alias the
        window's name holds (汛期 → 防汛抗旱, 秋冬森林防火 → 森林防火, 冬季取暖); None
        for a window of no one sector (岁末年初, 春运, 高温)."""
        for sector in self.sectors.values():
            if any(word in window for word in (sector.name, *sector.aliases) if len(word) >= 2):
                return sector
        return None


def _data(name: str) -> Any:
    """The parsed YAML of ``data/NAME``, from the user cache when the file is unchanged."""
    text = (DATA_DIR / name).read_bytes()
    parts = ["yaml-data", yaml.__version__, FAST_SAFE_LOADER.__name__, name, text]
    return usercache.cached(
        f"data-{name}.marshal",
        parts,
        lambda: yaml.load(text.decode("utf-8"), Loader=FAST_SAFE_LOADER),
    )


def _tuple(value: Any) -> tuple:
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(value)
    return (value,)


@lru_cache(maxsize=1)
def sector_book() -> SectorBook:
    """The sector dictionary, loaded once per process."""
    raw = _data("sectors.yaml")
    sectors: dict[str, Sector] = {}
    by_alias: dict[str, str] = {}
    for item in raw.get("sectors", []):
        s = Sector(
            name=item["name"],
            label=item.get("label") or item["name"],
            aliases=tuple(str(a) for a in _tuple(item.get("aliases"))),
            lead=item.get("lead", "") or "",
            support=tuple(str(a) for a in _tuple(item.get("support"))),
            checks=tuple(str(a) for a in _tuple(item.get("checks"))),
            quarters=tuple(int(q) for q in _tuple(item.get("quarters"))),
            township_checks=tuple(str(a) for a in _tuple(item.get("township_checks"))),
        )
        sectors[s.name] = s
        for alias in (s.name, s.label, *s.aliases):
            by_alias.setdefault(alias, s.name)
    renamed = [
        Renamed(str(r["old"]), str(r["new"]), int(r["since"]))
        for r in raw.get("renamed_departments", [])
    ]
    return SectorBook(sectors, by_alias, renamed)


@dataclass(frozen=True)
class HeadingFamily:
    id: str
    headings: dict[str, str]
    level: str = "any"
    kinds: tuple[str, ...] = ()
    trend: tuple[str, ...] = ()  # overall trends it may head (praise needs better/flat)
    needs: tuple[str, ...] = ()  # input facts its headings claim (accidents for 汲取事故教训)
    levels: tuple[str, ...] = ()  # org levels it may head (行业监管 is not a township's)


@lru_cache(maxsize=1)
def heading_sets() -> dict[str, list[HeadingFamily]]:
    """Parallel heading families by group (``l1``, ``l2_tasks``, ``l2_duty``)."""
    raw = _data("heading_sets.yaml")
    out: dict[str, list[HeadingFamily]] = {}
    for group, families in raw.items():
        items = []
        for fam in families or []:
            meta = {"id", "level", "kinds", "trend", "needs", "levels"}
            items.append(
                HeadingFamily(
                    id=str(fam["id"]),
                    headings={k: str(v) for k, v in fam.items() if k not in meta},
                    level=str(fam.get("level", "any")),
                    kinds=tuple(_tuple(fam.get("kinds"))),
                    trend=tuple(_tuple(fam.get("trend"))),
                    needs=tuple(_tuple(fam.get("needs"))),
                    levels=tuple(str(v) for v in _tuple(fam.get("levels"))),
                )
            )
        out[group] = items
    return out


def families(
    group: str,
    rng: random.Random,
    *,
    level: str,
    kind: str,
    needs: tuple[str, ...] = (),
    trend: str | None = None,
    has: Any = None,
    org_level: str | None = None,
) -> list[HeadingFamily]:
    """The families of ``group`` that fit, in a seeded order: those made for the
    meeting kind first, then the general ones. ``trend`` and ``has`` (a predicate
    on fact names) rule out families whose headings claim what is not true, and
    ``org_level`` (乡镇, 县, …) those whose ``levels`` do not include it."""
    pool = [
        f
        for f in heading_sets()[group]
        if f.level in ("any", level)
        and all(k in f.headings for k in needs)
        and (not f.kinds or kind in f.kinds)
        and (trend is None or not f.trend or trend in f.trend)
        and (has is None or all(has(n) for n in f.needs))
        and (org_level is None or not f.levels or org_level in f.levels)
    ]
    specific = [f for f in pool if f.kinds]
    general = [f for f in pool if not f.kinds]
    rng.shuffle(specific)
    rng.shuffle(general)
    return specific + general


def pick_family(
    group: str, rng: random.Random, *, level: str, kind: str, needs: tuple[str, ...] = ()
) -> HeadingFamily:
    """One family of ``group`` fitting the level and meeting kind, chosen by ``rng``.

    Families made for this meeting kind are preferred over general ones.
    """
    families = [
        f
        for f in heading_sets()[group]
        if f.level in ("any", level) and all(k in f.headings for k in needs)
    ]
    specific = [f for f in families if kind in f.kinds]
    general = [f for f in families if not f.kinds]
    pool = specific or general or families
    if not pool:
        raise LookupError(f"no heading family for {group} ({level}, {kind})")
    return pool[rng.randrange(len(pool))]
