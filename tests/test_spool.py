"""The first pass's units kept on disk for the second (speechgen/spool.py).

The second pass of a letter batch composes the units the first pass read and
checked, read back from an unnamed temporary file instead of the recipients file:
they must be the very units a second read would give (payloads equal in type and
value, for CSV, XLSX and inline lists), whichever worker's spool they are read
from; every letter must still name its own recipient; a spool that cannot be
written or read back leaves the second pass reading the rows again; and with
``--jobs 2`` a worker the machine slows down is helped by the other (chunks are
claimed, not dealt out in stripes).
"""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from recipients_cases import HEAD, streamed, swap_rows, write_cases

from speechgen import render, spool
from speechgen.compose import plan_job, units
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


def _shown(u) -> tuple:
    return (u.index, u.stem, u.label, _typed(u.payload))


def test_spooled_units_are_the_units_read_again(cases: list[Path]) -> None:
    """Chunks of two rows; every row's name (but those with input errors: the job is not
    written then) in its chunk's record, an own chunk's units
    equal to the units read again, from this spool (take) and by range (read_units)."""
    library = load_library(())
    seen = 0
    for path, job in streamed(cases):
        docs = plan_job(job, library, 0, None)
        for want in (None, lambda i: i // 2 % 2 == 0):

            def own(index: int, want=want) -> bool:
                return want is None or want(index)

            kept = spool.ChunkSpool()
            assert kept.ok
            for unit in units(docs, want):
                kept.add(unit, unit.index // 2, own(unit.index), unit.index * 7 + 1)
            assert kept.finish()
            again = [u for u in units(docs, want, findings=False) if not u.errors]
            names = [(u.index, u.stem, u.index * 7 + 1) for u in again]
            mine = [_shown(u) for u in again if own(u.index)]
            ranges = {c: (offset, size) for c, offset, size in kept.ranges}
            given_names: list[tuple] = []
            given: list[tuple] = []
            by_range: list[tuple] = []
            for record in kept.chunks():
                assert all(i // 2 == record.number for i, _s, _h in record.names)
                given_names += record.names
                if own(record.names[0][0]):
                    assert record.size == ranges[record.number][1] > 0
                    by_range += map(_shown, spool.read_units(kept._file, *ranges[record.number]))
                    given += map(_shown, kept.take())
                else:
                    assert record.size == 0 and record.number not in ranges
            assert given_names == names, path.name
            assert given == mine == by_range, path.name
            kept.close()
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


def _letters(out: Path) -> list[str]:
    for path in out.glob("*.docx"):
        assert path.stem.endswith("-" + _party_b(path)), path.name
    return sorted(_party_b(p) for p in out.glob("*.docx"))


def _in_process(job: Path, out: Path, jobs: int) -> list[str]:
    lines: list[str] = []
    report = render.render_paths(
        [job], render.RenderOptions(outdir=out, jobs=jobs), lines.append, lambda _line: None
    )
    assert report.exit_code == 0
    return lines


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_spool_that_cannot_be_made_leaves_the_rows_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    job = _job(tmp_path, 90)

    def no_file(*_a: object, **_k: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("tempfile.TemporaryFile", no_file)
    assert spool.ChunkSpool().ok is False and spool.shared_files(2) is None
    lines = _in_process(job, tmp_path / "out", jobs)
    assert _letters(tmp_path / "out") == [f"单位{i:03d}镇" for i in range(90)]
    assert len(lines) == 90 == len(set(lines))


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_spool_that_fails_while_read_back_leaves_the_rest_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """A disk error reading a chunk record in pass 2: the letters already composed from
    the spool stay, the rest come from the recipients read again; every letter once,
    each its own."""
    job = _job(tmp_path, 90)  # four chunks of 25 rows
    real = spool.pickle.load
    calls = {"n": 0}

    def load(file):  # the third chunk record cannot be read
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(5, "Input/output error")
        return real(file)

    monkeypatch.setattr(spool.pickle, "load", load)
    lines = _in_process(job, tmp_path / "out", jobs)
    assert jobs == 2 or calls["n"] >= 3  # (the workers count in their own copies)
    assert _letters(tmp_path / "out") == [f"单位{i:03d}镇" for i in range(90)]
    assert len(lines) == 90 == len(set(lines))


def test_another_workers_chunk_that_cannot_be_read_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--jobs 2``: reading a chunk from the other worker's spool fails (a disk error):
    the worker reads the rows again from there on; every letter once, each its own.
    The first worker is slowed down, so the other must claim chunks of its stripe."""
    job = _job(tmp_path, 240)
    failed = multiprocessing.get_context("fork").Value("i", 0)
    real = render._one

    def one(unit, stem, pdf_tmp):
        if multiprocessing.current_process().name == "speechgen-0":
            time.sleep(0.02)
        return real(unit, stem, pdf_tmp)

    monkeypatch.setattr(render, "_one", one)

    def pread(*_a: object) -> bytes:
        with failed.get_lock():
            failed.value += 1
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(spool.os, "pread", pread)
    lines = _in_process(job, tmp_path / "out", 2)
    assert failed.value >= 1  # some chunk was claimed by the worker whose spool lacks it
    assert _letters(tmp_path / "out") == [f"单位{i:03d}镇" for i in range(240)]
    assert len(lines) == 240 == len(set(lines))


def test_a_slow_worker_is_helped_by_the_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--jobs 2`` with the first worker slowed down tenfold: the other claims most
    chunks (stripes would give each half), and the batch is still the batch of one
    process, file for file, byte for byte."""
    job = _job(tmp_path, 300)  # twelve chunks
    log = tmp_path / "who"
    real = render._one

    def one(unit, stem, pdf_tmp):
        name = multiprocessing.current_process().name
        if name == "speechgen-0":
            time.sleep(0.05)
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"{name} {unit.index}\n")
        return real(unit, stem, pdf_tmp)

    monkeypatch.setattr(render, "_one", one)
    lines = _in_process(job, tmp_path / "out2", 2)
    writers = [line.split() for line in log.read_text(encoding="utf-8").splitlines()]
    slow = sum(1 for name, _i in writers if name == "speechgen-0")
    assert sorted(int(i) for _n, i in writers) == list(range(300))
    assert slow <= 100, slow  # a third at most, against 150 in stripes
    log.unlink()
    monkeypatch.setattr(render, "_one", real)
    assert len(lines) == 300 == len(set(lines))
    assert [Path(p).name for p in lines] == [
        Path(p).name for p in _in_process(job, tmp_path / "out1", 1)
    ]
    for path in (tmp_path / "out1").glob("*.docx"):
        assert (tmp_path / "out2" / path.name).read_bytes() == path.read_bytes()


AGAIN_CASES = {
    # not what the head promised: loaded again, read as before
    "no_mapping": "recipients:\n  - 甲镇\n  - 乙镇\n",
    "too_deep": "recipients:\n  - {name: 甲镇, type: township}\n"
    + "  - {name: 乙镇, type: township, x: "
    + "[" * 63
    + "a"
    + "]" * 63
    + "}\n",
    "syntax": "recipients:\n  - {name: 甲镇, type: township}\n  - {name: 乙镇, type: township\n",
    "too_many": "recipients:\n"
    + "".join(f"  - {{name: 单位{i}镇, type: township}}\n" for i in range(6)),
    "alias": "recipients:\n  - &a {name: 甲镇, type: township}\n  - {name: 乙镇, type: township}\n",
    # read as the head promised
    "plain": "recipients:\n"
    + "".join(f"  - {{name: 单位{i}镇, type: township}}\n" for i in range(5))
    + "# 以上五个单位\n",
}


@pytest.mark.parametrize("case", sorted(AGAIN_CASES))
def test_a_deferred_list_renders_as_a_list_read_first(
    tmp_path: Path, case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A render does not read an inline list that nothing follows before its first pass
    (read_head(quick=True)); when that pass finds the list is not what its head
    promised (no mapping, too deep, a syntax error, more items than allowed, an alias)
    the job is loaded again and read as before. Either way the messages, the exit
    code and the files are those of a render that read the list first, with one
    process or two: the head's warning (W101) told once, or not at all for a file
    refused whole (a syntax error, too deep)."""
    from speechgen.inputs import yamlstream

    monkeypatch.setenv("SPEECHGEN_MAX_RECIPIENTS", "5")
    job = tmp_path / "job.yaml"
    job.write_text(HEAD + "unknown_key: 1\n" + AGAIN_CASES[case], encoding="utf-8")
    deferred: list[bool] = []
    real = yamlstream._rest_is_list

    def spy(path: Path, mark: object) -> bool:
        deferred.append(real(path, mark))
        return deferred[-1]

    def run(jobs: int, out: Path) -> tuple[int, list[str], list[tuple[str, bytes]]]:
        lines: list[str] = []
        report = render.render_paths(
            [job], render.RenderOptions(outdir=out, jobs=jobs), lambda _l: None, lines.append
        )
        files = sorted((p.name, p.read_bytes()) for p in out.glob("*")) if out.exists() else []
        return report.exit_code, lines, files

    monkeypatch.setattr(yamlstream, "_rest_is_list", lambda path, mark: False)
    first = run(1, tmp_path / "read-first")
    monkeypatch.setattr(yamlstream, "_rest_is_list", spy)
    for jobs in (1, 2):
        got = run(jobs, tmp_path / f"deferred{jobs}")
        assert got == first, (case, jobs)
    assert deferred and all(deferred), case  # the list was deferred every time
    told = sum("W101" in line for line in first[1])
    assert told == (0 if case in ("syntax", "too_deep") else 1), first[1]  # (not read: none)
    assert (first[0] == 0) == (case in ("plain", "alias")), first[1]


def test_every_case_renders_alike_with_and_without_a_first_look(
    cases: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A render reads a table past its header, and an inline list that nothing follows,
    only in its first pass (``load_job(quick=True)``); a job the first look would have
    told something more (a table's format error, too many rows or columns, only a
    header, rows out of order, merged cells…) is loaded again with it. Every case of
    recipients_cases, at a limit of 30 rows: the messages, the exit code and the
    files of one process and of two equal those of a render with the first look."""
    from speechgen.inputs import tables, yamlstream

    monkeypatch.setenv("SPEECHGEN_MAX_RECIPIENTS", "30")
    quick_scan, rest_is_list = tables.TableStream._quick_scan, yamlstream._rest_is_list
    deferred: list[str] = []

    def run(job: Path, jobs: int, out: Path) -> tuple[int, list[str], list[tuple[str, bytes]]]:
        lines: list[str] = []
        options = render.RenderOptions(outdir=out, jobs=jobs, keep_going=True)
        report = render.render_paths([job], options, lines.append, lines.append)
        files = sorted((p.name, p.read_bytes()) for p in out.glob("*")) if out.exists() else []
        return report.exit_code, [line.replace(str(out), "OUT") for line in lines], files

    def spied(self: object, table: object) -> bool:
        done = quick_scan(self, table)  # type: ignore[arg-type]
        if done:
            deferred.append(str(self.path))  # type: ignore[attr-defined]
        return done

    extra = [_merged_sheet(tmp_path), _swapped_sheet(tmp_path)]
    for k, job in enumerate([*cases, *extra]):
        monkeypatch.setattr(tables.TableStream, "_quick_scan", lambda self, table: False)
        monkeypatch.setattr(yamlstream, "_rest_is_list", lambda path, mark: False)
        first = run(job, 1, tmp_path / f"{k}-first")
        monkeypatch.setattr(tables.TableStream, "_quick_scan", spied)
        monkeypatch.setattr(yamlstream, "_rest_is_list", rest_is_list)
        for jobs in (1, 2):
            assert run(job, jobs, tmp_path / f"{k}-{jobs}") == first, (job.name, jobs)
    kinds = {Path(p).suffix for p in deferred}
    assert kinds == {".csv", ".xlsx"} and len(set(deferred)) >= 8, sorted(set(deferred))


def _swapped_sheet(folder: Path) -> Path:
    """A good sheet whose rows 3 and 4 come in the other order in its XML."""
    import openpyxl

    wb = openpyxl.Workbook()
    for row in (["name", "type"], ["甲镇", "township"], ["乙镇", "township"], ["丙镇", "township"]):
        wb.active.append(row)
    wb.save(folder / "in-order.xlsx")
    swap_rows(folder / "in-order.xlsx", folder / "顺序.xlsx", 2)
    job = folder / "swapped.yaml"
    job.write_text(HEAD + "recipients_file: 顺序.xlsx\n", encoding="utf-8")
    return job


def _merged_sheet(folder: Path) -> Path:
    """A good sheet whose ``sectors`` cell is merged over three rows (each row gets it)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["name", "type", "signer_title", "sectors"])
    for name in ("甲镇", "乙镇", "丙镇"):
        ws.append([name, "township", "镇长", "燃气" if name == "甲镇" else None])
    ws.merge_cells("D2:D4")
    wb.save(folder / "合并.xlsx")
    job = folder / "merged.yaml"
    job.write_text(HEAD + "recipients_file: 合并.xlsx\n", encoding="utf-8")
    return job
