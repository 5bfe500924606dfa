"""The work and responsibility snippet files (docs/snippets.md).

Covers zeren, yinhuan, zhifa, yingji, xuanpei, touru and wenze only: other
snippet files are checked by their own tests.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest

from speechgen.compose.library import KINDS, REGISTERS, ROLES, Library, load_dirs
from speechgen.compose.situation import situation_of
from speechgen.compose.templating import render_string, snippet_env
from speechgen.compose.vocabulary import vocabulary

ROOT = Path(__file__).resolve().parent.parent
SNIPPET_DIR = ROOT / "speechgen" / "snippets"
DOCS = ROOT / "docs" / "snippets.md"

# file stem -> the roles that file owns (the brief of this library part)
OWN_ROLES = {
    "zeren": {
        "duty.lead",
        "duty.territorial",
        "duty.department",
        "duty.enterprise",
        "duty.coordination",
        "formula",
    },
    "yinhuan": {"work.hazards", "work.season"},
    "zhifa": {"work.enforcement"},
    "yingji": {"work.emergency", "work.holiday"},
    "xuanpei": {"work.training", "work.safety_month"},
    "touru": {"work.investment"},
    "wenze": {"duty.assessment", "duty.accountability"},
}
FILES = tuple(SNIPPET_DIR / f"{stem}.yaml" for stem in OWN_ROLES)

DOCUMENTED_ROLES = ROLES

# always-present slots, county and company columns (the code behind docs/snippets.md's table)
CONTEXTS = {level: vocabulary(level) for level in ("县", "公司")}
OPTIONAL_SLOTS = {"holiday": "春节", "quarter_cn": "第二季度", "period": "上半年"}

SOURCE_ID = re.compile(r"S00[014]|S002[a-h]|S003[ab]")
LEFTOVER = re.compile(r"XX|××|×|\*\*|20xx|某某|〇〇|我县|全县|县直|[,;:!?()]")
GOV_ONLY_WORDS = ("县", "乡镇", "党委", "执法", "政府")
SLOT = re.compile(r"\{\{ (\w+) \}\}")


def _load():
    snippets, findings = load_dirs([SNIPPET_DIR])
    files = {str(p) for p in FILES}
    mine = [s for s in snippets if s.origin in files]
    return mine, [f for f in findings if f.path in files]


@pytest.fixture(scope="module")
def mine():
    snippets, findings = _load()
    assert not findings, [str(f) for f in findings]
    return snippets


def test_files_exist():
    for path in FILES:
        assert path.is_file(), path


def test_load_without_findings():
    snippets, findings = _load()
    assert not findings, [str(f) for f in findings]
    assert len(snippets) >= 65


def test_documented_roles_match_the_document():
    text = DOCS.read_text(encoding="utf-8")
    for role in DOCUMENTED_ROLES:
        assert f"`{role}`" in text, role


def test_roles_documented_and_owned(mine):
    for s in mine:
        assert s.role in DOCUMENTED_ROLES, (s.id, s.role)
        stem = Path(s.origin).stem
        assert s.role in OWN_ROLES[stem], (s.id, s.role)
        assert s.id.startswith(f"{stem}."), s.id
        assert re.fullmatch(r"[a-z]+\.[a-z0-9_]+", s.id), s.id


def test_ids_unique(mine):
    counts = Counter(s.id for s in mine)
    assert [i for i, n in counts.items() if n > 1] == []


def test_at_least_four_per_role(mine):
    counts = Counter(s.role for s in mine)
    for roles in OWN_ROLES.values():
        for role in roles:
            assert counts[role] >= 4, (role, counts[role])


def test_each_quarter_has_two_season_snippets(mine):
    """Seasonal work follows the date (when: season / holidays), not the quarter alone."""
    season = Library(s for s in mine if s.role == "work.season")
    assert all(s.when.season or s.when.holidays for s in season)
    for q, date in ((1, "2024-01-10"), (2, "2024-04-10"), (3, "2024-07-10"), (4, "2024-10-10")):
        day = dt.date.fromisoformat(date)
        sit = situation_of({"org": {"level": "县"}}, kind="quarterly", date=day, quarter=q)
        assert len(season.select("work.season", level="gov", quarter=q, situation=sit)) >= 2, q


def test_kinds_and_registers(mine):
    for s in mine:
        assert set(s.kinds) <= set(KINDS), s.id
        assert set(s.registers) <= set(REGISTERS), s.id
        assert {"speech", "outline"} <= set(s.registers), s.id
        if s.role == "work.holiday":
            assert s.kinds == ("holiday",), s.id
        if s.role == "work.safety_month":
            assert s.kinds == ("safety_month",), s.id
        assert all(1 <= q <= 4 for q in s.quarters), s.id


def test_sources_name_seed_speeches(mine):
    for s in mine:
        parts = [p.strip() for p in s.source.split(",")]
        assert parts and all(SOURCE_ID.fullmatch(p) for p in parts), (s.id, s.source)


@pytest.mark.parametrize("role", ["work.hazards", "work.training", "duty.enterprise"])
def test_company_snippets_exist(mine, role):
    assert any(s.role == role and s.level == "company" for s in mine), role


def test_enough_company_snippets(mine):
    company = [s for s in mine if s.level == "company"]
    assert len(company) >= 8
    assert all(s.role.startswith(("work.", "duty.")) for s in company)


def test_company_text_has_no_government_words(mine):
    for s in mine:
        if s.level != "company":
            continue
        for text in s.texts:
            for word in GOV_ONLY_WORDS:
                assert word not in text, (s.id, word)


def test_text_form(mine):
    for s in mine:
        for text in s.texts:
            plain = SLOT.sub("", text)
            assert not LEFTOVER.search(plain), (s.id, LEFTOVER.search(plain).group())
            assert not re.search(r"\s|[A-Za-z]|\d{4}年", plain), s.id
            assert text.count("“") == text.count("”"), s.id
            assert text.count("《") == text.count("》"), s.id
            assert text.count("（") == text.count("）"), s.id
            assert "{%" not in text and "|" not in text, s.id
            if s.role == "formula":
                assert text[-1] not in "。！；，：", s.id
            else:
                assert text[-1] in "。！", s.id
                assert 40 <= len(text) <= 200, (s.id, len(text))


def test_no_self_slot(mine):
    # Jinja2 reserves ``self`` (the template reference): {{ self }} would print
    # "<TemplateReference None>" instead of 我县, so these files avoid it.
    for s in mine:
        for text in s.texts:
            assert "{{ self }}" not in text, s.id


@pytest.mark.parametrize("level", ["县", "公司"])
def test_render_for_each_level(mine, level):
    ctx = {**CONTEXTS[level], **OPTIONAL_SLOTS}
    env = snippet_env()
    for s in mine:
        if level == "公司" and s.level == "gov" or level == "县" and s.level == "company":
            continue
        for text in s.texts:
            out = render_string(env, text, ctx, s.id)
            assert "{" not in out and "<" not in out, (s.id, out)
            if level == "公司":
                assert not any(w in out for w in ("县", "乡镇")), (s.id, out)
