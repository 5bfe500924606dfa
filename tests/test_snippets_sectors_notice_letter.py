"""The sector dictionary and the sector, notice and letter phrase files.

Covers speechgen/data/sectors.yaml and snippets/hangye.yaml, tongzhi.yaml and
zerenshu.yaml: they load without findings, sector snippets name known sectors,
every sector has enough wordings, each quarter has seasonal notice lines,
every letter duty role has enough lines, and names are unambiguous.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from speechgen.compose import library as lib
from speechgen.compose.library import load_dirs

ROOT = Path(__file__).resolve().parent.parent / "speechgen"
SNIPPETS = ROOT / "snippets"
SECTORS_FILE = ROOT / "data" / "sectors.yaml"
MINE = ("hangye.yaml", "tongzhi.yaml", "zerenshu.yaml")

GENERAL_SLOTS = lib.ALWAYS_SLOTS
SECTOR_SLOTS = lib.SECTOR_SLOTS
NOTICE_SLOTS = lib.NOTICE_SLOTS | {"quarter_cn"}

NOTICE_ROLES = {
    "notice.intro",
    "notice.duty",
    "notice.hazards",
    "notice.season",
    "notice.emergency",
    "notice.report",
    "notice.supervision",
}
LETTER_ROLES = {
    "letter.preamble",
    "letter.duty.township",
    "letter.duty.department",
    "letter.duty.enterprise",
    "letter.assessment",
    "letter.reward",
    "letter.sanction",
}
THREE_WORDINGS = ("道路交通", "危险化学品", "建筑施工", "消防", "燃气")

# Placeholders, seed-local words, pre-2018 department names, ASCII punctuation,
# year literals and stray Latin letters or spaces, checked outside {{ slots }}.
FORBIDDEN = re.compile(
    r"XX|××|×|\*\*|20xx|某某|〇〇|我县|全县|安监|质监|[,;:!?()\"']|\d{4}|\s|[A-Za-z{}]"
)
SLOT = re.compile(r"\{\{ \w+ \}\}")


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """Load only these three files (colleagues' files may be half-written)."""
    d = tmp_path_factory.mktemp("snippets")
    for name in MINE:
        shutil.copy(SNIPPETS / name, d / name)
    snippets, findings = load_dirs([d])
    by_file = {name: [s for s in snippets if Path(s.origin).name == name] for name in MINE}
    return by_file, findings


@pytest.fixture(scope="module")
def book():
    return yaml.safe_load(SECTORS_FILE.read_text(encoding="utf-8"))


def test_files_load_without_findings(loaded):
    by_file, findings = loaded
    assert [str(f) for f in findings] == []
    assert all(by_file[name] for name in MINE)


def test_ids_unique_and_prefixed(loaded):
    by_file, _ = loaded
    prefix = {"hangye.yaml": "hangye.", "tongzhi.yaml": "tongzhi.", "zerenshu.yaml": "zerenshu."}
    ids = [s.id for name in MINE for s in by_file[name]]
    assert len(ids) == len(set(ids))
    for name in MINE:
        for s in by_file[name]:
            assert s.id.startswith(prefix[name]), s.id


def test_texts_are_clean(loaded):
    by_file, _ = loaded
    for name in MINE:
        for s in by_file[name]:
            for text in s.texts:
                bare = SLOT.sub("", text)
                assert not FORBIDDEN.search(bare), (s.id, text)
                assert text.endswith(("。", "！", "：")), (s.id, text)
                assert text.count("“") == text.count("”"), (s.id, text)


def test_sector_snippets(loaded, book):
    by_file, _ = loaded
    names = {item["name"] for item in book["sectors"]}
    count: Counter[str] = Counter()
    for s in by_file["hangye.yaml"]:
        assert s.role == "sector", s.id
        assert s.sector in names, (s.id, s.sector)
        assert s.slots <= GENERAL_SLOTS | SECTOR_SLOTS, (s.id, s.slots)
        assert "speech" in s.registers, s.id
        count[s.sector] += 1
    for name in names:
        need = 3 if name in THREE_WORDINGS else 2
        assert count[name] >= need, (name, count[name])


def test_notice_snippets(loaded):
    from speechgen.doctypes.notice.composer import SEASON_TOPICS

    by_file, _ = loaded
    per_quarter: Counter[int] = Counter()
    roles = set()
    for s in by_file["tongzhi.yaml"]:
        assert s.role in NOTICE_ROLES, s.id
        assert s.registers == ("notice",), s.id
        assert s.slots <= GENERAL_SLOTS | NOTICE_SLOTS, (s.id, s.slots)
        assert "同志们" not in s.text and "我讲" not in s.text, s.id
        roles.add(s.role)
        if s.role == "notice.season":
            # a season's words are said by date (calendar windows), never by quarter alone
            assert s.when.season, s.id
            per_quarter.update(s.quarters)
    assert roles == NOTICE_ROLES
    season = [s for s in by_file["tongzhi.yaml"] if s.role == "notice.season"]
    for topic in SEASON_TOPICS:  # every season of every quarter has a paragraph's worth
        n = sum(1 for s in season if set(s.when.season) & set(topic.windows))
        assert n >= 2, (topic.key, n)


def test_letter_snippets(loaded):
    by_file, _ = loaded
    count: Counter[str] = Counter()
    for s in by_file["zerenshu.yaml"]:
        assert s.role in LETTER_ROLES, s.id
        assert s.registers == ("letter",), s.id
        assert s.slots <= GENERAL_SLOTS, (s.id, s.slots)
        count[s.role] += 1
    assert set(count) == LETTER_ROLES
    for role in ("letter.duty.township", "letter.duty.department", "letter.duty.enterprise"):
        assert count[role] >= 6, (role, count[role])
    assert count["letter.sanction"] >= 3


def test_sector_names_unambiguous(book):
    owner: dict[str, str] = {}
    for item in book["sectors"]:
        words = {item["name"], item.get("label") or item["name"], *item.get("aliases", [])}
        for word in words:
            assert word not in owner, (word, owner.get(word), item["name"])
            owner[word] = item["name"]


def test_sector_entries_complete(book):
    old = {r["old"] for r in book["renamed_departments"]}
    for r in book["renamed_departments"]:
        assert r["new"] and r["since"] in (2018, 2019), r
    for item in book["sectors"]:
        name = item["name"]
        assert item["lead"] and item["support"], name
        assert 3 <= len(item["checks"]) <= 6, name
        for q in item.get("quarters", []):
            assert q in (1, 2, 3, 4), name
        for dept in [item["lead"], *item["support"]]:
            assert dept not in old, (name, dept)
            assert not dept.startswith(("县", "区", "市")) or dept.startswith("市场"), (name, dept)
        assert set(item.get("old_names", [])) <= old, name
    names = {item["name"] for item in book["sectors"]}
    assert {"有限空间", "森林防火", "冬季取暖", "供水供电供气"} <= names
    assert len(names) == 21
