"""The snippet library loader: roles, slots, {{ self }}, user folders."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from speechgen.compose.library import ROLES, SLOTS, Library, Picker, load_dirs
from speechgen.compose.vocabulary import vocabulary

DOCS = Path(__file__).resolve().parent.parent / "docs" / "snippets.md"


def write(folder: Path, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    p = folder / "mine.yaml"
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def test_documented_roles_are_the_loaders_roles() -> None:
    doc = DOCS.read_text(encoding="utf-8")
    section = doc.split("## Roles", 1)[1].split("## Heading sets", 1)[0]
    documented = set(
        re.findall(
            r"`((?:open|situation|accident|work|duty|notice|letter)\.[a-z_.]+|attitude|closing|formula|sector)`",
            section,
        )
    )
    assert documented == set(ROLES)


def test_unknown_role_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "lib",
        """\
        category: 结尾号召
        snippets:
          - id: my.closing
            role: closeing
            slots: []
            text: 同志们，让我们齐心协力，确保安全生产形势持续稳定！
        """,
    )
    snippets, findings = load_dirs([folder])
    assert not snippets
    (f,) = findings
    assert f.code == "E505" and "closing" in f.message


def test_self_slot_renders_the_level_word(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "lib",
        """\
        category: 形势判断
        snippets:
          - id: my.turn
            role: situation.turn
            slots: [self, all]
            text: 今年以来，{{ self }}安全生产形势总体平稳，{{all}}上下要保持清醒。
        """,
    )
    snippets, findings = load_dirs([folder])
    assert not findings
    (s,) = snippets
    assert s.slots == {"self", "all"}
    picker = Picker(Library(snippets), 0, dict(vocabulary("区", "临江区")))
    assert (
        picker.text("situation.turn") == "今年以来，我区安全生产形势总体平稳，全区上下要保持清醒。"
    )


def test_filters_and_statements_are_refused_in_snippets(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "lib",
        """\
        category: 形势判断
        snippets:
          - id: my.bad
            role: situation.turn
            slots: [all]
            text: "{{ all | upper }}{% if all %}要{% endif %}"
        """,
    )
    snippets, findings = load_dirs([folder])
    assert not snippets and findings[0].code == "E502"


def test_declared_slots_must_match(tmp_path: Path) -> None:
    folder = write(
        tmp_path / "lib",
        """\
        category: 形势判断
        snippets:
          - id: my.turn
            role: situation.turn
            slots: []
            text: "{{ all }}上下要保持清醒。"
        """,
    )
    _, findings = load_dirs([folder])
    assert findings[0].code == "E503"


def test_documented_slots_are_the_loaders_slots() -> None:
    doc = DOCS.read_text(encoding="utf-8")
    section = doc.split("## Slots", 1)[1].split("## Roles", 1)[0]
    documented = set(re.findall(r"`([a-z_]+)`", section))
    assert documented == set(SLOTS)
