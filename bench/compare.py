"""Compare: speechgen against every baseline on the same letters, interleaved, in one run.

For each size N (``-n 500 2000 10000 100000``; default 2000) a letters job is written
(bench/common.py's write_letters_job, about 1,000 characters a letter) and rendered once by
speechgen, untimed: the reference. The baselines are prepared from it, untimed, and each
checks that its output has exactly the text of speechgen's letter for one letter of each
recipient type. Then, in ``--rounds`` rounds (default 5) whose order is rotated by one
side every round, each side runs as a whole process into a fresh folder of the same kind
(``--cleanup each``, the default: the previous run's folder is removed just before;
``--cleanup end``: a folder of its own for every run, all removed at the end):

- ``speechgen --jobs 1``, ``--jobs 2`` (and ``--jobs N`` with ``--jobs N``): ``speechgen
  render JOB -o OUT --jobs J``;
- ``docxtpl``: bench/docxtpl_letters.py (template load + render + save per letter);
- ``docx-mailmerge``: bench/mailmerge_letters.py (template load + merge + write per letter);
- ``python-docx``: bench/pydocx_letters.py (the letter built from scratch and saved);
- ``bytes floor``: bench/bytes_floor.py (speechgen's finished bytes written again with
  speechgen's atomic write; only the writes are timed);
- ``two halves at once``: two independent ``speechgen render --jobs 1`` processes started
  together, each on half of the letters (jobs of the first and the second half), into two
  folders, timed until the later one ends: what this machine gives two processes that share
  nothing, the ceiling of any ``--jobs 2``.

Per size it prints the median and spread (min–max and IQR) of ms per letter of every side,
the ratios issue 14 asks for with PASS/FAIL, the peak RSS of every speechgen run (os.wait4),
and at the end whether speechgen's peak RSS stays within 20% across the sizes and under
120 MB, the load at start and end, and the CPU other processes used. Above
``--baselines-up-to`` (default 10,000) only speechgen and the bytes floor run. ``--json FILE``
writes every raw timing.

    python bench/compare.py                              # N=2000, 5 rounds
    python bench/compare.py -n 500 2000 10000 100000 --json /tmp/compare.json
    python bench/compare.py -n 50 200 --rounds 2         # a quick look
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

# ------------------------------------------------------------------ targets (issue 14)

TARGET_DOCXTPL = 20.0  # speechgen --jobs 1 at least 20× docxtpl's throughput
TARGET_MAILMERGE = 4.0  # ... and 4× docx-mailmerge's
TARGET_FLOOR = 8.0  # ... and within 8× of writing the same finished bytes
TARGET_MS = 1.0  # ms a letter with --jobs 1, from TARGET_MS_FROM letters
TARGET_MS_FROM = 10_000
SCALING_TARGETS = ((10_000, 1.85), (2_000, 1.6))  # --jobs 2 / --jobs 1, from N letters
TARGET_RSS_MB = 120.0  # peak RSS of every speechgen run, MB (10^6 bytes)
RSS_SPREAD = 0.20  # peak RSS independent of the batch size within 20%
TARGET_BIG_S, TARGET_BIG_FROM = 120.0, 100_000  # 100,000 letters under 2 minutes, --jobs 2

BASELINES = ("docxtpl", "mailmerge", "python-docx")
LABELS = {
    "docxtpl": "docxtpl",
    "mailmerge": "docx-mailmerge",
    "python-docx": "python-docx",
    "floor": "bytes floor",
    "halves": "two halves at once",
}
SCRIPTS = {
    "docxtpl": "docxtpl_letters.py",
    "mailmerge": "mailmerge_letters.py",
    "python-docx": "pydocx_letters.py",
}


def label(side: str) -> str:
    return LABELS.get(side) or f"speechgen --jobs {side.removeprefix('jobs')}"


# ------------------------------------------------------------------ figures (unit-tested)


def spread(xs: Sequence[float]) -> dict[str, float]:
    """Median, min, max and the quartiles (inclusive method) of ``xs``."""
    s = sorted(xs)
    if len(s) == 1:
        q1 = q3 = s[0]
    else:
        q1, _, q3 = statistics.quantiles(s, n=4, method="inclusive")
    return {"median": statistics.median(s), "min": s[0], "max": s[-1], "q1": q1, "q3": q3}


def rotated(sides: Sequence[str], r: int) -> list[str]:
    """The order of round ``r`` (0-based): the sides rotated left by ``r``."""
    k = r % len(sides)
    return [*sides[k:], *sides[:k]]


def scaling_target(n: int) -> float | None:
    """The --jobs 2 speed-up asked for at ``n`` letters (None below the smallest size)."""
    for size, target in SCALING_TARGETS:
        if n >= size:
            return target
    return None


def size_spread(peaks: Sequence[float]) -> float:
    """How far the largest peak is above the smallest, as a fraction (0.1 = 10%)."""
    return max(peaks) / min(peaks) - 1.0


def mib(kib: float) -> float:
    return kib / 1024


def under_mb(kib: float, mb: float) -> bool:
    return kib * 1024 < mb * 1_000_000


# ------------------------------------------------------------------ one size


def side_cmd(side: str, job: Path, work: Path, ref: Path, out: Path, n: int) -> list:
    if side.startswith("jobs"):
        return common.speechgen_cmd("render", job, "-o", out, "--jobs", side[4:])
    if side == "floor":
        result = work / "floor-result.json"
        script = common.BENCH_DIR / "bytes_floor.py"
        return [sys.executable, script, "--reference", ref, "--out", out, "--result", result]
    script = common.BENCH_DIR / SCRIPTS[side]
    return [sys.executable, script, "--job", job, "--work", work, "--out", out, "-n", str(n)]


def prepare_baselines(
    job: Path, work: Path, ref: Path, sides: Sequence[str], env: dict[str, str]
) -> None:
    """Contexts, templates and the text check of every baseline (untimed).

    Each in its own process (``--prepare-only``): this process must stay small, because a
    child's ru_maxrss starts from the parent's peak RSS (the memory of the forked parent
    counts until exec), and python-docx on thousands of letters would raise that floor.
    """
    for side in sides:
        if side in SCRIPTS:
            script = common.BENCH_DIR / SCRIPTS[side]
            cmd = [sys.executable, script, "--job", job, "--work", work, "--reference", ref]
            proc = subprocess.run(
                [*map(str, cmd), "--prepare-only"], env=env, text=True, capture_output=True
            )
            sys.stdout.write("".join(f"prepare    : {line}\n" for line in proc.stderr.splitlines()))
            if proc.returncode != 0:
                raise SystemExit(f"preparing {label(side)} failed (exit {proc.returncode})")


def same_bytes(ref: Path, out: Path, names: Sequence[str]) -> bool:
    return all((ref / n).read_bytes() == (out / n).read_bytes() for n in names)


def measure_size(a: argparse.Namespace, n: int, tmp: Path, speechgen_sides: list[str]) -> dict:
    folder = tmp / f"n{n}"
    env = common.child_env(n, tmp, a.bytecode_cache)
    job = common.write_letters_job(folder / "job", n, a.recipients)
    with_baselines = n <= a.baselines_up_to
    sides = [*speechgen_sides]
    sides += [s for s in BASELINES if s in a.sides and with_baselines]
    sides += ["floor"] if "floor" in a.sides else []
    halves = []
    if "halves" in a.sides:
        sides.append("halves")
        half = n // 2
        halves = [
            common.write_letters_job(folder / "job-a", half, a.recipients),
            common.write_letters_job(folder / "job-b", n - half, a.recipients, start=half),
        ]
    print(f"== N={n}: {n} recipients ({a.recipients}), {common.job_bytes(job)} bytes of input ==")
    print(f"limits env : {common.env_note(n)}")
    if not with_baselines:
        print(
            f"baselines  : not run above --baselines-up-to {a.baselines_up_to} "
            "(only speechgen and the bytes floor)"
        )

    # the reference: speechgen's letters, rendered once, untimed
    ref = folder / "reference"
    ref_jobs = max(int(s[4:]) for s in speechgen_sides) if speechgen_sides else 1
    ref_cmd = common.speechgen_cmd("render", job, "-o", ref, "--jobs", str(ref_jobs))
    ref_s, ref_kib = common.peak_rss(ref_cmd, env)
    letters = sorted(p.name for p in ref.iterdir() if p.suffix == ".docx")
    if len(letters) != n:
        raise SystemExit(f"the reference run wrote {len(letters)} .docx files, expected {n}")
    probes = [
        next(x for x in letters if x.endswith(f"-{common.recipient(i)['name']}.docx"))
        for i in range(min(3, n))
    ]
    print(
        f"reference  : speechgen render --jobs {ref_jobs} ({ref_s:.1f} s, peak RSS "
        f"{mib(ref_kib):.1f} MiB; untimed: the bytes floor's files and the baselines' text)"
    )
    t0 = time.perf_counter()
    prepare_baselines(job, folder / "work", ref, sides, env)
    if any(s in BASELINES for s in sides):
        print(f"prepare    : baselines prepared in {time.perf_counter() - t0:.1f} s (untimed)")
    (folder / "work").mkdir(parents=True, exist_ok=True)
    print(f"order      : {' → '.join(label(s) for s in sides)}, rotated by one each round")
    print()

    runs: list[dict] = []
    nondeterministic: list[str] = []
    for r in range(a.rounds):
        for pos, side in enumerate(rotated(sides, r)):
            if a.cleanup == "end":  # a folder of its own, removed after the last size
                out = common.fresh(folder / f"out-{r + 1}-{side}")
            else:
                out = common.fresh(folder / "out")
            if side == "halves":
                parts = [out / "a", out / "b"]
                cmds = [
                    common.speechgen_cmd("render", j, "-o", o)
                    for j, o in zip(halves, parts, strict=True)
                ]
                wall, peaks = common.run_together(cmds, env)
                kib = max(peaks)
                written = sum(common.count_files(o) for o in parts)
            else:
                cmd = side_cmd(side, job, folder / "work", ref, out, n)
                wall, kib = common.peak_rss(cmd, env)
                written = common.count_files(out)
            if written != n:
                raise SystemExit(f"{label(side)} wrote {written} .docx files, expected {n}")
            run = {"round": r + 1, "position": pos + 1, "side": side, "wall_s": wall}
            run["maxrss_kib"] = kib
            seconds = wall
            if side == "floor":
                result = json.loads((folder / "work" / "floor-result.json").read_text())
                run.update(floor_write_s=result["write_s"], floor_read_s=result["read_s"])
                run.update(floor_files=result["files"], floor_bytes=result["bytes"])
                seconds = result["write_s"]
            elif side.startswith("jobs") and not same_bytes(ref, out, probes):
                nondeterministic.append(f"round {r + 1} {label(side)}")
            run["ms_per_letter"] = seconds * 1000 / n
            runs.append(run)
            print(
                f"  round {r + 1}.{pos + 1} {label(side):<20} {wall:8.2f} s  "
                f"{run['ms_per_letter']:7.3f} ms/letter  {mib(kib):6.1f} MiB",
                flush=True,
            )
    if a.cleanup == "each":
        shutil.rmtree(folder / "out", ignore_errors=True)
    print()

    ms = {s: [x["ms_per_letter"] for x in runs if x["side"] == s] for s in sides}
    stats = {s: spread(v) for s, v in ms.items()}
    rss = {s: [x["maxrss_kib"] for x in runs if x["side"] == s] for s in sides}
    rows = []
    for s in sides:
        st = stats[s]
        rows.append(
            [
                label(s),
                f"{st['median']:.3f}",
                f"{st['min']:.3f}–{st['max']:.3f}",
                f"{st['q1']:.3f}–{st['q3']:.3f}",
                f"{1000 / st['median']:.0f}",
                f"{mib(max(rss[s])):.1f}",
            ]
        )
    print(f"N={n}, {a.rounds} rounds; ms per letter (bytes floor: its writes only)")
    common.print_table(
        ["side", "median ms", "min–max", "IQR", "letters/s", "peak RSS MiB (max)"], rows
    )
    print()

    def per_round(num: str, den: str) -> list[float]:
        by = {(x["round"], x["side"]): x["ms_per_letter"] for x in runs}
        return [by[(r, num)] / by[(r, den)] for r in range(1, a.rounds + 1)]

    checks: list[dict] = []

    def check(name: str, num: str, den: str, target: float | None, at_least: bool) -> None:
        if num not in stats or den not in stats:
            return
        ratio = stats[num]["median"] / stats[den]["median"]
        rounds = per_round(num, den)
        ok = None if target is None else (ratio >= target if at_least else ratio <= target)
        checks.append(
            {
                "check": name,
                "target": None if target is None else ("≥ " if at_least else "≤ ") + f"{target}×",
                "ratio_of_medians": ratio,
                "per_round": rounds,
                "pass": ok,
            }
        )

    base = "jobs1"
    check("docxtpl ms / speechgen --jobs 1 ms", "docxtpl", base, TARGET_DOCXTPL, True)
    check("docx-mailmerge ms / speechgen --jobs 1 ms", "mailmerge", base, TARGET_MAILMERGE, True)
    check("python-docx ms / speechgen --jobs 1 ms", "python-docx", base, None, True)
    check("speechgen --jobs 1 ms / bytes floor ms", base, "floor", TARGET_FLOOR, False)
    for s in speechgen_sides:
        if s != base:
            target = scaling_target(n) if s == "jobs2" else None
            check(f"--jobs 1 ms / --jobs {s[4:]} ms (speed-up)", base, s, target, True)
    check("--jobs 1 ms / two halves at once ms (the machine's ceiling)", base, "halves", None, True)
    check(
        "two halves at once ms / --jobs 2 ms (share of the ceiling)", "halves", "jobs2", None, True
    )
    rows = [
        [
            c["check"],
            c["target"] or "—",
            f"{min(c['per_round']):.2f}–{max(c['per_round']):.2f}",
            f"{c['ratio_of_medians']:.2f}×",
            "—" if c["pass"] is None else common.verdict(c["pass"]),
        ]
        for c in checks
    ]
    if base in stats and n >= TARGET_MS_FROM:
        m = stats[base]["median"]
        ok = m <= TARGET_MS
        checks.append({"check": "speechgen --jobs 1 ms/letter", "value": m, "pass": ok})
        rows.append(["speechgen --jobs 1 ms/letter", f"≤ {TARGET_MS}", "", f"{m:.3f}"])
        rows[-1].append(common.verdict(ok))
    if "jobs2" in stats and n >= TARGET_BIG_FROM:
        wall = statistics.median(x["wall_s"] for x in runs if x["side"] == "jobs2")
        ok = wall < TARGET_BIG_S
        checks.append({"check": "speechgen --jobs 2 s for the batch", "value": wall, "pass": ok})
        rows.append(
            ["speechgen --jobs 2 s for the batch", f"< {TARGET_BIG_S:.0f}", "", f"{wall:.1f}"]
        )
        rows[-1].append(common.verdict(ok))
    print(f"N={n}: ratios (verdict on the ratio of the medians; per-round ratios paired)")
    common.print_table(["comparison", "target", "per round", "median", "verdict"], rows)
    if nondeterministic:
        print(f"WARNING: speechgen's bytes differ from the reference run: {nondeterministic}")
    print()
    if not a.keep and a.cleanup == "each":
        shutil.rmtree(folder, ignore_errors=True)
    return {
        "n": n,
        "sides": sides,
        "job_bytes": common.job_bytes(job) if job.exists() else None,
        "reference": {"jobs": ref_jobs, "wall_s": ref_s, "maxrss_kib": ref_kib},
        "runs": runs,
        "summary": stats,
        "checks": checks,
        "nondeterministic": nondeterministic,
    }


# ------------------------------------------------------------------ main


def memory_summary(results: list[dict], speechgen_sides: list[str]) -> list[dict]:
    """Peak RSS of every speechgen side per size; under the target, within 20% across sizes."""
    out = []
    rows = []
    for s in speechgen_sides:
        peaks = {r["n"]: max(x["maxrss_kib"] for x in r["runs"] if x["side"] == s) for r in results}
        under = all(under_mb(k, TARGET_RSS_MB) for k in peaks.values())
        growth = size_spread(list(peaks.values())) if len(peaks) > 1 else None
        flat = None if growth is None else growth <= RSS_SPREAD
        out.append({"side": s, "peak_kib": peaks, "under": under, "spread": growth, "flat": flat})
        rows.append(
            [
                label(s),
                ", ".join(f"{n}: {mib(k):.1f}" for n, k in peaks.items()),
                common.verdict(under),
                "one size only" if growth is None else f"{growth:.0%} {common.verdict(flat)}",
            ]
        )
    print(
        f"memory: peak RSS (MiB, largest over the rounds; {common.RSS_METHOD_WAIT4}; with --jobs > 1"
        " the largest single process)"
    )
    common.print_table(
        ["side", "peak RSS by N", f"< {TARGET_RSS_MB:.0f} MB", f"spread ≤ {RSS_SPREAD:.0%}"], rows
    )
    print()
    return out


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        description="speechgen --jobs 1/2 vs docxtpl, docx-mailmerge, python-docx and the bytes "
        "floor on the same letters: whole processes, interleaved rounds, medians and spreads, "
        "the ratios of issue 14, peak RSS."
    )
    ap.add_argument(
        "-n", type=int, nargs="+", default=[2000], help="letters per batch (default 2000)"
    )
    ap.add_argument("--rounds", type=int, default=5, help="interleaved rounds (default 5)")
    ap.add_argument(
        "--recipients",
        choices=("inline", "csv", "xlsx"),
        default="inline",
        help="where the job lists its recipients (default: inline in the YAML)",
    )
    ap.add_argument(
        "--jobs",
        type=int,
        nargs="+",
        default=[],
        metavar="N",
        help="more speechgen --jobs values to run besides 1 and 2",
    )
    ap.add_argument(
        "--baselines-up-to",
        type=int,
        default=10_000,
        metavar="N",
        help="run docxtpl, docx-mailmerge and python-docx only up to N letters (default 10000)",
    )
    ap.add_argument(
        "--sides",
        nargs="+",
        choices=("jobs1", "jobs2", "jobsN", *BASELINES, "floor", "halves"),
        default=["jobs1", "jobs2", "jobsN", *BASELINES, "floor", "halves"],
        help="which sides run (default: all; jobsN stands for the --jobs values)",
    )
    ap.add_argument(
        "--cleanup",
        choices=("each", "end"),
        default="each",
        help="each (default): every run's output folder replaces the one before, so every run "
        "starts just after thousands of files were deleted; end: every run writes into a "
        "folder of its own, all removed at the end (needs the disk space of every run). On an "
        "ext4 without a journal (this VM) creating a file right after mass deletes is slow for "
        "every side alike: see bench/README.md",
    )
    ap.add_argument("--json", type=Path, help="write every raw timing to this file")
    common.add_common_args(ap)
    a = ap.parse_args(argv)
    if a.rounds < 1 or min(a.n) < 3:
        ap.error("--rounds must be at least 1 and -n at least 3 (one letter of each type)")
    return a


def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    watch = common.CpuWatch()
    load_start = os.getloadavg()
    sizes = sorted(set(a.n))
    speechgen_sides = [s for s in ("jobs1", "jobs2") if s in a.sides]
    if "jobsN" in a.sides:
        speechgen_sides += [f"jobs{j}" for j in sorted(set(a.jobs)) if j not in (1, 2)]
    common.print_header(
        f"compare: speechgen vs baselines on letters, N={' '.join(map(str, sizes))}, "
        f"{a.rounds} rounds, recipients {a.recipients}",
        a.tmpdir or "",
    )
    results = []
    with common.work_folder(a.keep, a.tmpdir) as tmp:
        env = common.child_env(max(sizes), tmp, a.bytecode_cache)
        print(f"bytecode   : {common.bytecode_note(env)}")
        common.warm_up(env, tmp)
        common.time_process([sys.executable, "-c", "import mailmerge, docx, speechgen.output"], env)
        print(
            "timing     : time.perf_counter() around each whole process; peak RSS from os.wait4;"
            " the bytes floor times its writes only"
        )
        print()
        for n in sizes:
            results.append(measure_size(a, n, tmp, speechgen_sides))
    memory = memory_summary(results, speechgen_sides) if speechgen_sides else []
    own_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"RSS floor  : this script's own peak RSS is {mib(own_kib):.1f} MiB; no child's figure "
        "can be below it (a forked child's ru_maxrss counts the parent's memory until exec)"
    )
    load_end = os.getloadavg()
    print("load avg   : start " + ", ".join(f"{x:.2f}" for x in load_start), end="; ")
    print("end " + ", ".join(f"{x:.2f}" for x in load_end) + " (1/5/15 min)")
    other = watch.report()
    print(other)
    if a.json:
        data = {
            "command": common.reproduce_command(),
            "cpu": common.cpu_model(),
            "cpus": common.usable_cpus(),
            "python": sys.version,
            "load_start": load_start,
            "load_end": load_end,
            "other_load": other,
            "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(a).items()},
            "sizes": results,
            "memory": memory,
            "parent_maxrss_kib": own_kib,
        }
        a.json.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"json       : {a.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
