"""bench/compare.py's figures and the baselines' text check (nothing here is timed).

The baselines of the letters benchmark are only a fair comparison if they write the same
letters: these tests render three letters (one of each recipient type) with speechgen and
check that docxtpl, docx-mailmerge and python-docx reproduce their text, that a changed
string is caught, and that the bytes floor writes speechgen's bytes unchanged.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import bytes_floor  # noqa: E402
import common  # noqa: E402
import compare  # noqa: E402
import docxtpl_letters  # noqa: E402
import letter_layout as layout  # noqa: E402
import mailmerge_letters  # noqa: E402
import pydocx_letters  # noqa: E402


def test_spread_median_range_and_quartiles():
    s = compare.spread([5.0, 1.0, 4.0, 2.0, 3.0])
    assert s == {"median": 3.0, "min": 1.0, "max": 5.0, "q1": 2.0, "q3": 4.0}
    assert compare.spread([7.0]) == {"median": 7.0, "min": 7.0, "max": 7.0, "q1": 7.0, "q3": 7.0}
    assert compare.spread([1.0, 3.0])["median"] == 2.0


def test_rotation_puts_every_side_in_every_position():
    sides = ["jobs1", "jobs2", "docxtpl", "floor"]
    orders = [compare.rotated(sides, r) for r in range(len(sides))]
    assert orders[0] == sides and orders[1] == ["jobs2", "docxtpl", "floor", "jobs1"]
    for pos in range(len(sides)):
        assert sorted(o[pos] for o in orders) == sorted(sides)
    assert compare.rotated(sides, len(sides)) == sides


def test_targets_by_size():
    assert compare.scaling_target(500) is None
    assert compare.scaling_target(2000) == 1.6
    assert compare.scaling_target(9999) == 1.6
    assert compare.scaling_target(10_000) == 1.85
    assert compare.scaling_target(100_000) == 1.85
    assert compare.size_spread([100.0, 110.0, 120.0]) == pytest.approx(0.2)
    assert compare.under_mb(117_000, 120) and not compare.under_mb(118_000, 120)


def test_text_mismatch_names_the_first_difference():
    assert layout.text_mismatch(["a", "b"], ["a", "b"]) is None
    assert "paragraph 2" in layout.text_mismatch(["a", "b"], ["a", "c"])
    assert "2 paragraphs, the baseline 3" in layout.text_mismatch(["a", "b"], ["a", "b", ""])


@pytest.fixture(scope="module")
def letters(tmp_path_factory) -> tuple[Path, list[Path]]:
    """Three speechgen letters (township, department, enterprise) and the job."""
    tmp = tmp_path_factory.mktemp("bench-letters")
    job = common.write_letters_job(tmp / "job", 3)
    out = tmp / "reference"
    proc = subprocess.run(
        common.speechgen_cmd("render", job, "-o", out), capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    files = layout.reference_files(out)
    names = [common.recipient(i)["name"] for i in range(3)]
    return job, layout.probe_letters(files, names)


def test_contexts_keep_the_ruby_text(letters):
    # speechgen keeps dates on one line as rubies; python-docx's Paragraph.text drops them
    ctx = layout.letter_context(letters[1][0])
    assert "2024年1月1日" in ctx["term"] and "2024年12月31日" in ctx["term"]
    assert [len(ctx[k]) > 0 for k in layout.LISTS] == [True, True, True]


def test_every_baseline_writes_speechgens_text(letters, tmp_path):
    job, refs = letters
    template = tmp_path / "docxtpl.docx"
    docxtpl_letters.build_template(template)
    shapes = set()
    for k, ref in enumerate(refs):
        ctx = layout.letter_context(ref)
        docxtpl_letters.render_one(template, ctx, tmp_path / f"t{k}.docx")
        layout.check_same_text("docxtpl", ref, tmp_path / f"t{k}.docx")

        mm = mailmerge_letters.template_path(tmp_path, ctx)
        layout.build_letter(mailmerge_letters.template_spec(ctx)).save(str(mm))
        mailmerge_letters.render_one(mm, ctx, tmp_path / f"m{k}.docx")
        layout.check_same_text("docx-mailmerge", ref, tmp_path / f"m{k}.docx")
        shapes.add(mailmerge_letters.shape(ctx))

        pydocx_letters.render_one(ctx, tmp_path / f"p{k}.docx")
        layout.check_same_text("python-docx", ref, tmp_path / f"p{k}.docx")
    # a department has two duty lines per sector: the shapes differ
    assert len(shapes) >= 2


def test_a_changed_string_is_caught(letters, tmp_path):
    _job, refs = letters
    ctx = layout.letter_context(refs[0])
    ctx["duties"][-1]["text"] += "。"
    pydocx_letters.render_one(ctx, tmp_path / "changed.docx")
    with pytest.raises(SystemExit, match="python-docx text differs"):
        layout.check_same_text("python-docx", refs[0], tmp_path / "changed.docx")


def test_mailmerge_fields_are_one_per_string(letters):
    ctx = layout.letter_context(letters[1][1])
    fields = mailmerge_letters.fields(ctx)
    assert fields["duties_1"] == ctx["duties"][0]["text"]
    assert f"duties_{len(ctx['duties'])}" in fields
    assert f"duties_{len(ctx['duties']) + 1}" not in fields
    assert fields["sign_right_1"] == ctx["sign_right"][0]


def test_bytes_floor_writes_the_same_bytes(letters, tmp_path):
    ref = letters[1][0].parent
    out = tmp_path / "floor"
    assert bytes_floor.main(["--reference", str(ref), "--out", str(out), "--chunk", "2"]) == 0
    names = bytes_floor.finished_files(ref)
    assert "manifest.csv" in names and len(names) == 4
    for name in names:
        assert (out / name).read_bytes() == (ref / name).read_bytes()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary left


def _listed(job: Path, recipients: str) -> list[str]:
    """The recipients of a generated job as lines: its CSV's rows, or its YAML items."""
    if recipients == "csv":
        return (job.parent / f"{job.stem}.csv").read_text("utf-8").splitlines()[1:]
    return [x for x in job.read_text("utf-8").splitlines() if x.startswith("  - {")]


@pytest.mark.parametrize("recipients", ["csv", "inline"])
def test_two_halves_are_the_same_letters_as_the_whole(tmp_path: Path, recipients: str) -> None:
    """The ceiling side must render exactly the batch's letters: the two halves' jobs list
    recipients 0…n/2-1 and n/2…n-1 of the whole, in order."""
    whole = common.write_letters_job(tmp_path / "w", 7, recipients)
    a = common.write_letters_job(tmp_path / "a", 3, recipients)
    b = common.write_letters_job(tmp_path / "b", 4, recipients, start=3)
    assert len(_listed(whole, recipients)) == 7
    assert _listed(a, recipients) + _listed(b, recipients) == _listed(whole, recipients)


def test_run_together_starts_both_and_waits_for_the_later(tmp_path: Path) -> None:
    """Both commands run at once: two 0.3 s sleeps take well under 0.6 s together."""
    sleep = [sys.executable, "-c", "import time; time.sleep(0.3)"]
    wall, peaks = common.run_together([sleep, sleep])
    assert 0.3 <= wall < 0.55 and len(peaks) == 2 and all(k > 0 for k in peaks)
    with pytest.raises(SystemExit):
        common.run_together([[sys.executable, "-c", "raise SystemExit(3)"]])
