"""The first pass's units kept on disk for the second (speechgen/spool.py).

The second pass of a letter batch composes the units the first pass read and
checked, read back from an unnamed temporary file instead of the recipients file:
they must be the very units a second read would give (payloads equal in type and
value, for CSV, XLSX and inline lists), every letter must still name its own
recipient, and a spool that cannot be written leaves the second pass reading the
rows again.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from recipients_cases import HEAD, streamed, write_cases

from speechgen import render, spool
from speechgen.compose import PassedBy, plan_job, units
from speechgen.compose.library import load_library


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_cases(tmp_path_factory.mktemp("spool"))


def _typed(value: object) -> object:
    """A value with the type of every part, so 1 and 1.0 and True differ."""
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return (type(value).__name__, value)


def test_spooled_units_are_the_units_read_again(cases: list[Path]) -> None:
    library = load_library(())
    seen = 0
    for path, job in streamed(cases):
        docs = plan_job(job, library, 0, None)
        for want in (None, lambda i: i % 2 == 0):

            def own(index: int, want=want) -> bool:
                return want is None or want(index)

            def shown(u, want=want) -> tuple:
                # a row another worker writes is kept for its name alone (and its survey)
                if not own(u.index):
                    return (u.index, u.stem, u.index * 7 + 1)
                return (u.index, u.stem, u.label, _typed(u.payload), u.errors)

            kept = spool.open_spool()
            assert kept is not None
            for unit in units(docs, want):
                kept.add(unit, own(unit.index), unit.index * 7 + 1)
            again = [shown(u) for u in units(docs, want, findings=False)]
            back = kept.units()
            assert back is not None
            given = []
            for item in back:
                if isinstance(item, PassedBy):
                    assert item.rows and all(not own(i) for i, _s, _h in item.rows)
                    given += item.rows
                else:
                    given.append(shown(item))
            assert given == again, path.name
        seen += 1
    assert seen >= 10


LETTER = HEAD + "recipients_file: 名单.csv\n"


def _job(folder: Path, n: int) -> Path:
    rows = ["name,type,signer_title"] + [f"单位{i:03d}镇,township,镇长" for i in range(n)]
    (folder / "名单.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "job.yaml").write_text(LETTER, encoding="utf-8")
    return folder / "job.yaml"


def _party_b(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    start = xml.index("乙方：")
    return xml[start + 3 : xml.index("<", start)]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_every_letter_of_a_batch_names_its_own_recipient(tmp_path: Path, jobs: str) -> None:
    job = _job(tmp_path, 150)
    out = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, "-m", "speechgen", "render", str(job), "-o", str(out), "--jobs", jobs],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    letters = sorted(out.glob("*.docx"))
    assert len(letters) == 150
    for path in letters:
        assert path.stem.endswith("-" + _party_b(path)), path.name


def test_a_spool_that_cannot_be_made_leaves_the_rows_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = _job(tmp_path, 5)

    def no_file(*_a: object, **_k: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("tempfile.TemporaryFile", no_file)
    assert spool.UnitSpool().ok is False
    out = tmp_path / "out"
    report = render.render_paths(
        [job], render.RenderOptions(outdir=out), lambda _line: None, lambda _line: None
    )
    assert report.exit_code == 0
    assert sorted(_party_b(p) for p in out.glob("*.docx")) == [f"单位{i:03d}镇" for i in range(5)]


def test_a_spool_that_fails_while_read_back_leaves_the_rest_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk error reading the spool in pass 2: the letters already composed from it
    stay, the rest come from the recipients read again; every letter once, each its own."""
    job = _job(tmp_path, 90)
    real = spool.pickle.load
    calls = {"n": 0}

    def load(file):  # the 31st unit cannot be read
        calls["n"] += 1
        if calls["n"] == 31:
            raise OSError(5, "Input/output error")
        return real(file)

    monkeypatch.setattr(spool.pickle, "load", load)
    out = tmp_path / "out"
    lines: list[str] = []
    report = render.render_paths(
        [job], render.RenderOptions(outdir=out), lines.append, lambda _line: None
    )
    assert report.exit_code == 0 and calls["n"] >= 31
    names = sorted(_party_b(p) for p in out.glob("*.docx"))
    assert names == [f"单位{i:03d}镇" for i in range(90)]
    assert len(lines) == 90 and len(set(lines)) == 90
    for path in out.glob("*.docx"):
        assert path.stem.endswith("-" + _party_b(path)), path.name
