"""The opening, situation, accident, attitude and closing snippets and the heading sets.

Covers speechgen/snippets/{kaichang,xingshi,shigu,sixiang,jiewei}.yaml and
speechgen/data/heading_sets.yaml against docs/snippets.md.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from speechgen.compose import library as lib
from speechgen.compose.reference import DATA_DIR, heading_sets, pick_family
from speechgen.compose.situation import situation_of
from speechgen.compose.vocabulary import vocabulary
from speechgen.kinds import LEVELS as LEVEL_NAMES

ROOT = Path(__file__).resolve().parent.parent
SNIPPET_DIR = ROOT / "speechgen" / "snippets"
DOCS = ROOT / "docs" / "snippets.md"

# file stem -> id prefix and Chinese category name
FILES = {
    "kaichang": "开场",
    "xingshi": "形势判断",
    "shigu": "事故警示",
    "sixiang": "思想认识",
    "jiewei": "结尾号召",
}

DOCUMENTED_ROLES = lib.ROLES

# The slot names of docs/snippets.md ("Slots"); sector-only slots are not ours.
DOCUMENTED_SLOTS = lib.ALWAYS_SLOTS | lib.OPTIONAL_SLOTS

PLACEHOLDER = re.compile(r"XX|××|×|\*\*|20xx|某某|〇〇|我县|全县")
ASCII_PUNCT = re.compile(r"[,;:!?()\"']")
SLOT = re.compile(r"\{\{ ([a-z_]+) \}\}")

HEADING_KEYS = {
    "l1": {"situation", "tasks", "duty"},
    "l2_tasks": {"hazards", "sectors", "enforcement", "emergency", "foundation"},
    "l2_duty": {"territorial", "department", "enterprise", "accountability"},
    "notice": {"duty", "hazards", "emergency", "supervision", "report"},
}
OPTIONAL_HEADING_KEYS = {
    "l1": {"holiday", "season"},
    "l2_tasks": set(),
    "l2_duty": set(),
    "notice": set(),
}
FAMILY_META = {"id", "level", "kinds", "trend", "needs", "levels"}


def _raw(stem: str) -> dict:
    return yaml.safe_load((SNIPPET_DIR / f"{stem}.yaml").read_text(encoding="utf-8"))


def _mine() -> list[lib.Snippet]:
    findings: list = []
    out: list[lib.Snippet] = []
    for stem in FILES:
        out.extend(lib._parse_file(SNIPPET_DIR / f"{stem}.yaml", findings))
    assert not findings, [str(f) for f in findings]
    return out


def _texts(raw: dict) -> list[str]:
    return [raw["text"], *(raw.get("variants") or [])]


# ---------------------------------------------------------------- loading


@pytest.mark.parametrize("stem", list(FILES))
def test_file_loads_without_findings(stem: str) -> None:
    findings: list = []
    snippets = lib._parse_file(SNIPPET_DIR / f"{stem}.yaml", findings)
    assert not findings, [str(f) for f in findings]
    assert len(snippets) == len(_raw(stem)["snippets"])


def test_self_slot_renders_its_value() -> None:
    """`{{ self }}` must render 我县 / 我司, not Jinja's template reference."""
    library = lib.Library(lib.load_dirs([SNIPPET_DIR])[0])
    snippet = library.get("xingshi.wu_zhongteda")
    assert snippet is not None and "self" in snippet.slots
    picker = lib.Picker(library, 1, vocabulary("县"))
    text = picker.fill(snippet)
    assert "我县" in text and "TemplateReference" not in text


def test_categories_ids_and_uniqueness() -> None:
    seen: set[str] = set()
    for stem, category in FILES.items():
        raw = _raw(stem)
        assert raw["category"] == category
        for item in raw["snippets"]:
            sid = item["id"]
            assert re.fullmatch(rf"{stem}\.[a-z][a-z0-9_]*", sid), sid
            assert sid not in seen, sid
            seen.add(sid)


def test_fields_are_valid() -> None:
    for stem in FILES:
        for item in _raw(stem)["snippets"]:
            sid = item["id"]
            assert item["role"] in DOCUMENTED_ROLES, sid
            assert item.get("level", "any") in lib.LEVELS, sid
            assert set(item.get("kinds") or []) <= set(lib.KINDS), sid
            assert set(item.get("registers") or []) <= set(lib.REGISTERS), sid
            assert set(item.get("quarters") or []) <= {1, 2, 3, 4}, sid
            assert item.get("source"), sid
            assert re.fullmatch(r"S\d{3}[a-h]?( S\d{3}[a-h]?)*", item["source"]), sid
            used = {m for t in _texts(item) for m in SLOT.findall(t)}
            assert set(item.get("slots") or []) == used, sid
            assert used <= DOCUMENTED_SLOTS, sid


def test_documented_roles_match_the_docs() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    for role in DOCUMENTED_ROLES:
        assert f"`{role}`" in docs, role


# ---------------------------------------------------------------- text hygiene


def test_texts_are_clean() -> None:
    for stem in FILES:
        for item in _raw(stem)["snippets"]:
            for text in _texts(item):
                sid = item["id"]
                bare = SLOT.sub("", text)
                assert "{" not in bare and "}" not in bare, sid
                assert not PLACEHOLDER.search(bare), (sid, text)
                assert not ASCII_PUNCT.search(bare), (sid, text)
                assert not re.search(r"\s|[A-Za-z]|\d{4}", bare), (sid, text)
                assert text.count("“") == text.count("”"), sid
                if item["role"] == "formula":
                    assert not text.endswith(("。", "！", "，", "；")), sid
                else:
                    assert text.endswith(("。", "！")), sid


# ---------------------------------------------------------------- coverage


def test_every_quarter_has_two_season_snippets() -> None:
    """Seasons follow the date (when: season / holidays), not the quarter alone."""
    season = lib.Library(s for s in _mine() if s.role == "situation.season")
    assert all(s.when.season or s.when.holidays or s.when.needs for s in season)
    for q, date in ((1, "2024-01-10"), (2, "2024-04-10"), (3, "2024-07-10"), (4, "2024-10-10")):
        day = dt.date.fromisoformat(date)
        sit = situation_of({"org": {"level": "县"}}, kind="quarterly", date=day, quarter=q)
        fitting = season.select("situation.season", level="gov", quarter=q, situation=sit)
        assert len(fitting) >= 2, q


def test_every_kind_has_an_opening_for_gov_and_company() -> None:
    library = lib.Library(_mine())
    for kind in lib.KINDS:
        for level in ("gov", "company"):
            quarter = 2 if kind == "safety_month" else None
            frames = library.select("open.frame", kind=kind, level=level, quarter=quarter)
            assert frames, (kind, level)


def test_closings() -> None:
    closings = [s for s in _mine() if s.role == "closing"]
    company = [s for s in closings if s.level == "company"]
    assert len(company) >= 2
    for s in company:
        for text in s.texts:
            assert not re.search(r"县|乡镇|镇街|政府", text), s.id
    gov_general = [s for s in closings if s.level in ("gov", "any") and not s.kinds]
    assert len(gov_general) >= 3
    assert any("event" in s.slots for s in closings)
    assert any("vision" in s.slots for s in closings)
    assert any(s.kinds == ("holiday",) for s in closings)
    assert any(s.kinds == ("emergency",) for s in closings)


def test_company_snippets_say_company_words() -> None:
    for s in _mine():
        if s.level == "company":
            for text in s.texts:
                assert not re.search(r"县|乡镇|政府|执法", text), s.id


def test_roles_have_variety() -> None:
    mine = _mine()
    for role in (
        "open.frame",
        "open.endorse",
        "situation.good",
        "situation.thanks",
        "situation.turn",
        "situation.problems",
        "situation.pressure",
        "situation.conclusion",
        "accident.intro",
        "accident.outro",
        "attitude",
        "formula",
    ):
        assert len([s for s in mine if s.role == role]) >= 3, role


# ---------------------------------------------------------------- heading sets


def _heading_raw() -> dict:
    return yaml.safe_load((DATA_DIR / "heading_sets.yaml").read_text(encoding="utf-8"))


def test_heading_families_have_required_keys() -> None:
    raw = _heading_raw()
    assert set(raw) == set(HEADING_KEYS)
    seen: set[str] = set()
    prefix = {"l1": "l1.", "l2_tasks": "l2t.", "l2_duty": "l2d.", "notice": "ntc."}
    for group, families in raw.items():
        for fam in families:
            assert fam["id"].startswith(prefix[group]) and fam["id"] not in seen, fam["id"]
            seen.add(fam["id"])
            keys = set(fam) - FAMILY_META
            assert HEADING_KEYS[group] <= keys, fam["id"]
            assert keys <= HEADING_KEYS[group] | OPTIONAL_HEADING_KEYS[group], fam["id"]
            assert fam.get("level", "any") in lib.LEVELS, fam["id"]
            assert set(fam.get("kinds") or []) <= set(lib.KINDS), fam["id"]
            assert set(fam.get("levels") or []) <= set(LEVEL_NAMES), fam["id"]


def test_headings_are_clean_and_parallel() -> None:
    for families in _heading_raw().values():
        for fam in families:
            heads = [str(v) for k, v in fam.items() if k not in FAMILY_META]
            for h in heads:
                assert not h.endswith(("。", "；", "，")), (fam["id"], h)
                assert "{{" not in h and not ASCII_PUNCT.search(h), (fam["id"], h)
                assert not re.match(r"[一二三四五六七八九十]+[、是要]|（|\(|第[一二三四五]", h), h
                assert not re.search(r"\s|\d", h), h
            # strictly parallel: same length and same number of clauses
            assert len({len(h) for h in heads}) == 1, fam["id"]
            assert len({h.count("，") for h in heads}) == 1, fam["id"]


def test_heading_family_counts() -> None:
    sets = heading_sets()
    assert len(sets["l1"]) >= 6
    assert len(sets["l2_tasks"]) >= 5
    assert len(sets["l2_duty"]) >= 4
    l1 = sets["l1"]
    assert any("emergency" in f.kinds for f in l1)
    assert any("holiday" in f.kinds for f in l1)
    assert any(f.level == "company" for f in l1)


@pytest.mark.parametrize("kind", lib.KINDS)
@pytest.mark.parametrize("level", ["gov", "company"])
def test_a_family_fits_every_kind_and_level(kind: str, level: str) -> None:
    import random

    rng = random.Random(0)
    fam = pick_family("l1", rng, level=level, kind=kind, needs=("situation", "tasks", "duty"))
    assert fam.level in ("any", level)
    fam = pick_family(
        "l2_tasks",
        rng,
        level=level,
        kind=kind,
        needs=("hazards", "sectors", "enforcement", "emergency", "foundation"),
    )
    assert fam.level in ("any", level)
    if level == "gov":
        fam = pick_family(
            "l2_duty",
            rng,
            level=level,
            kind=kind,
            needs=("territorial", "department", "enterprise", "accountability"),
        )
        assert fam.level in ("any", "gov")
