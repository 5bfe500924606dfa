"""Batches in stripes: each --jobs worker reads every row, checks and writes only its own.

What must hold whatever the number of workers: the same files with the same bytes
and names (names that sanitise alike in rows handled by different workers get
their （2） in row order), the same manifest, every input error reported before
anything is written, and --keep-going rows reported in their place.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import speechgen.output as output
from speechgen.output import HashSet64, NameAllocator

LETTER = """\
type: letter
title: 2024年度安全生产目标责任书
org: {level: 县, name: 青山县}
party_a: {name: 青山县人民政府, signer_title: 县长}
term: {start: 2024-01-01, end: 2024-12-31}
sign_date: 2024-02-20
targets:
  - 生产安全事故死亡人数控制在{limits.deaths_max}人以内
recipients_file: 名单.csv
"""

N = 130  # rows: chunks 0..5 of 25, so stripes 0 and 1 of two workers both hold several


def _rows(n: int = N) -> list[list[str]]:
    rows = [[f"单位{i:03d}", "township", "镇长", str(i % 3)] for i in range(n)]
    # two names that sanitise to one file name, in chunk 0 (worker 0) and chunk 3
    # (worker 1): the later one must get （2） whichever worker writes it
    rows[3][0] = "甲/乙镇"
    rows[80][0] = "甲*乙镇"
    return rows


def _job(folder: Path, rows: list[list[str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "名单.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "type", "signer_title", "limits.deaths_max"])
        w.writerows(rows)
    job = folder / "job.yaml"
    job.write_text(LETTER, encoding="utf-8")
    return job


def _render(job: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "speechgen", "render", str(job), "-o", str(out), *extra],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "COLUMNS": "200"},
    )


def _files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if not p.name.startswith(".")}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    tmp = tmp_path_factory.mktemp("stripes")
    job = _job(tmp / "job", _rows())
    out = {}
    for jobs in ("1", "2", "3"):
        proc = _render(job, tmp / f"out{jobs}", "--jobs", jobs)
        assert proc.returncode == 0, proc.stderr
        out[jobs] = (proc, _files(tmp / f"out{jobs}"))
    return out


def test_every_worker_count_writes_the_same_bytes(rendered: dict[str, tuple]) -> None:
    one = rendered["1"][1]
    assert len([n for n in one if n.endswith(".docx")]) == N
    for jobs in ("2", "3"):
        assert rendered[jobs][1] == one, f"--jobs {jobs} differs from --jobs 1"


def test_names_that_sanitise_alike_are_told_apart_in_row_order(rendered: dict) -> None:
    names = rendered["2"][1]
    assert "2024年度安全生产目标责任书-甲_乙镇.docx" in names
    assert "2024年度安全生产目标责任书-甲_乙镇（2）.docx" in names
    rows = list(csv.reader(names["manifest.csv"].decode("utf-8-sig").splitlines()))
    by_label = {r[1]: r[0] for r in rows[1:]}
    assert by_label["甲/乙镇"].endswith("甲_乙镇.docx")  # row 4, written by worker 0
    assert by_label["甲*乙镇"].endswith("甲_乙镇（2）.docx")  # row 81, by worker 1


def test_files_are_listed_in_row_order(rendered: dict) -> None:
    proc, files = rendered["2"]
    printed = [Path(line).name for line in proc.stdout.splitlines()]
    rows = list(csv.reader(files["manifest.csv"].decode("utf-8-sig").splitlines()))[1:]
    assert printed == [r[0] for r in rows]
    assert [r[1] for r in rows][:3] == ["单位000", "单位001", "单位002"]
    assert [r[1] for r in rows][-1] == f"单位{N - 1:03d}"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_input_error_in_any_stripe_stops_the_batch_before_a_file(
    tmp_path: Path, jobs: str
) -> None:
    rows = _rows()
    rows[60][3] = "三人"  # chunk 2: worker 0 of two
    rows[110][1] = "村委会"  # chunk 4: worker 0 too; and one for worker 1:
    rows[30][3] = "-1"  # chunk 1
    proc = _render(_job(tmp_path / "job", rows), tmp_path / "out", "--jobs", jobs)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if "错误" in line]
    assert [e.split("第")[1].split("行")[0] for e in errors] == ["32", "62", "112"], errors
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_keep_going_writes_the_rest_and_reports_the_row_in_its_place(
    tmp_path: Path, jobs: str
) -> None:
    rows = [r[:3] + [r[3] if i != 57 else ""] for i, r in enumerate(_rows())]
    job = _job(tmp_path / "job", rows)
    refused = _render(job, tmp_path / "refused", "--jobs", jobs)
    assert refused.returncode == 1 and "E130" in refused.stderr and "--keep-going" in refused.stderr
    assert not (tmp_path / "refused").exists()
    proc = _render(job, tmp_path / "out", "--jobs", jobs, "--keep-going")
    assert proc.returncode == 1 and "单位057" in proc.stderr
    files = _files(tmp_path / "out")
    assert len([n for n in files if n.endswith(".docx")]) == N - 1
    rows_out = list(csv.reader(files["manifest.csv"].decode("utf-8-sig").splitlines()))[1:]
    assert [r[2] for r in rows_out].count("错误") == 1
    assert ("", "单位057", "错误") in {tuple(r[:3]) for r in rows_out}


def test_the_allocator_keeps_one_name_once() -> None:
    names = NameAllocator()
    got = [names.allocate(s) for s in ["A/B", "a:b", "A_B（2）", "A*B"]]
    assert got == ["A_B", "a_b（2）", "A_B（2）（2）", "A_B（3）"]


# names that collide once sanitised or case-folded, and names of the made-up form
_NAME_POOL = [
    "A/B",
    "a:b",
    "A_B",
    "A_B（2）",
    "a_b（3）",
    "C（２）",
    "C",
    "ß",
    "SS",
    "ss",
    "D.",
    "D",
    " E",
]
_STEM = st.one_of(st.sampled_from(_NAME_POOL), st.text(alphabet="xy（）2", max_size=4))


def _handed_out(inputs: list[list[str]], survey: bool) -> list[str]:
    names, got = NameAllocator(), []
    for k, stems in enumerate(inputs):
        names.forget_survey()
        if survey and k == len(inputs) - 1:  # as a run does: its last input is surveyed
            for stem in stems:
                names.survey(stem)
            names.end_survey()
        got += [names.allocate(stem) for stem in stems]
    return got


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_STEM, max_size=30), min_size=1, max_size=3), st.sampled_from([64, 2**21]))
def test_a_surveyed_batch_gets_the_names_of_keeping_every_name(
    inputs: list[list[str]], bits: int
) -> None:
    # a 64-bit survey table makes chance repeats common: they must change nothing either
    real = output.SURVEY_BITS
    output.SURVEY_BITS = bits
    try:
        assert _handed_out(inputs, survey=True) == _handed_out(inputs, survey=False)
    finally:
        output.SURVEY_BITS = real


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_STEM, max_size=40),
    st.lists(st.booleans(), min_size=40, max_size=40),
    st.sampled_from([64, 2**21]),
)
def test_a_worker_passing_rows_by_names_its_own_as_one_process_does(
    stems: list[str], own: list[bool], bits: int
) -> None:
    # a worker allocates its own rows and only passes the others by (pass_by, with what
    # the survey returned): its rows get the names one process keeping every name gives
    real = output.SURVEY_BITS
    output.SURVEY_BITS = bits
    try:
        kept_all, worker = NameAllocator(), NameAllocator()
        surveyed = [worker.survey(stem) for stem in stems]
        worker.end_survey()
        for k, stem in enumerate(stems):
            whole = kept_all.allocate(stem)
            if own[k]:
                assert worker.allocate(stem) == whole
            else:
                worker.pass_by(stem, surveyed[k])
    finally:
        output.SURVEY_BITS = real


def test_a_surveyed_batch_keeps_only_the_names_that_may_repeat() -> None:
    # names of the made-up form (as the bench's 龙泉镇人民政府（97）) whose P is once only
    stems = [f"单位（{i}）" for i in range(30000)] + ["单位（7）", "单位（7）（2）"]
    kept_all, surveyed = NameAllocator(), NameAllocator()
    for stem in stems:
        surveyed.survey(stem)
    surveyed.end_survey()
    got = [surveyed.allocate(stem) for stem in stems]
    assert got == [kept_all.allocate(stem) for stem in stems]
    assert got[-2:] == ["单位（7）（2）", "单位（7）（2）（2）"]
    # the repeat, its made-up name, the name of that form and the chance repeats of the
    # survey's table (about n²/2²² = 215 of 30,002 names): not every name
    assert 3 <= surveyed.taken.used < 3 + 2 * len(stems) ** 2 // 2**22
    assert kept_all.taken.used == 30002
    assert len(surveyed.taken.slots) == 1024  # 8 KB, as for a handful of names


def test_the_hash_set_grows_and_forgets_nothing() -> None:
    s = HashSet64()
    values = [(i * 0x9E3779B97F4A7C15) % 2**64 for i in range(20000)]
    assert all(s.add(v) for v in values)
    assert not any(s.add(v) for v in values)
    assert all(v in s for v in values)
    assert 2**64 - 1 not in s and 12345 not in s
    assert len(s.slots) >= 2 * s.used


def test_a_batch_pauses_the_collector_and_collects_every_so_many_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In one process the collector's automatic runs are off for the batch, a collection
    runs every COLLECT_EVERY documents, and the collector is on again afterwards."""
    import gc

    from click.testing import CliRunner

    import speechgen.render as render
    from speechgen.cli import cli

    job = _job(tmp_path / "job", _rows(100))
    monkeypatch.setattr(render, "COLLECT_EVERY", 10)
    seen: list[bool] = []
    real = gc.collect

    def collect(*args: int) -> int:
        seen.append(gc.isenabled())
        return real(*args)

    monkeypatch.setattr(gc, "collect", collect)
    assert gc.isenabled()
    result = CliRunner().invoke(cli, ["render", str(job), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert len([p for p in (tmp_path / "out").iterdir() if p.suffix == ".docx"]) == 100
    # the batch's own: 100 documents, one every 10, with the automatic runs off
    assert seen.count(False) == 10
    assert gc.isenabled()


class _Shared:
    """A stand-in for multiprocessing.Value("q") in one process: value and get_lock."""

    def __init__(self) -> None:
        import threading

        self.value = 0
        self._lock = threading.Lock()

    def get_lock(self) -> object:  # the lock, a context manager
        return self._lock


@given(st.lists(st.integers(min_value=0, max_value=2), min_size=1, max_size=120))
@settings(max_examples=200, deadline=None)
def test_pass_one_chunks_go_to_whoever_reaches_them_first(turns: list[int]) -> None:
    """Three workers read the same 10 chunks in order, each at its own pace (``turns``
    says who reads its next row; the rest read theirs after): every chunk is checked by
    exactly one of them, the first to reach it, and a row's answer never changes (a
    finding of the file, index -1, goes with chunk 0)."""
    from speechgen.render import CHUNK, _first_come

    counter = _Shared()
    workers = [_first_come(counter) for _ in range(3)]
    rows = 10 * CHUNK
    at = [0, 0, 0]
    owners: dict[int, set[int]] = {}
    first: dict[int, int] = {}
    order = turns + [k for k in range(3) for _ in range(rows)]
    for k in order:
        if at[k] == rows:
            continue
        row = at[k]
        at[k] += 1
        chunk = row // CHUNK
        first.setdefault(chunk, k)
        if workers[k](row):
            owners.setdefault(chunk, set()).add(k)
    assert sorted(owners) == list(range(10))
    assert all(owners[c] == {first[c]} for c in owners), (owners, first)
    for k, mine in enumerate(workers):  # asked again (a duplicate told after the rows)
        assert [mine(c * CHUNK + 3) for c in range(10)] == [k in owners[c] for c in range(10)]
        assert mine(-1) == (k in owners[0])
