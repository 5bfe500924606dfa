"""Memory: peak RSS of `speechgen render` on a big letters batch (default 10,000 letters).

Peak RSS comes from os.wait4() on the speechgen process (its own rusage, not a
RUSAGE_CHILDREN high-water mark shared with earlier children); when /usr/bin/time is
installed, a second run under `/usr/bin/time -f %M` cross-checks it. A 100-letter batch
is measured the same way as a baseline, so the growth per letter is visible.

    python bench/memory.py                   # N=10000
    python bench/memory.py -n 20000 --jobs 2
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
from compare import TARGET_RSS_MB as TARGET_MB  # noqa: E402

BASELINE_N = 100


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Peak RSS of `speechgen render` on an N-letter job (and a 100-letter baseline)."
    )
    ap.add_argument("-n", type=int, default=10_000, help="letters (default 10000)")
    ap.add_argument("--jobs", type=int, default=1, help="speechgen --jobs (default 1)")
    ap.add_argument(
        "--recipients",
        choices=("inline", "csv", "xlsx"),
        default="inline",
        help="where the job lists its recipients (default: inline in the YAML)",
    )
    ap.add_argument("--no-time", action="store_true", help="skip the /usr/bin/time cross-check")
    common.add_common_args(ap)
    a = ap.parse_args(argv)
    watch = common.CpuWatch()

    common.print_header(
        f"memory: peak RSS of speechgen render, N={a.n}, --jobs {a.jobs}", a.tmpdir or ""
    )
    use_time = not a.no_time and Path("/usr/bin/time").exists()
    print(f"method     : {common.RSS_METHOD_WAIT4}")
    if use_time:
        print(f"cross-check: {common.RSS_METHOD_TIME}, a second run of the same command")
    if a.jobs > 1:
        print(
            "note       : with --jobs > 1 both figures are the largest single process, not the sum"
        )
    print(f"limits env : {common.env_note(a.n)}")
    print(f"command    : speechgen render JOB -o OUT --jobs {a.jobs}")
    rows = []
    with common.work_folder(a.keep, a.tmpdir) as tmp:
        print(f"bytecode   : {common.bytecode_note(common.child_env(0, tmp, a.bytecode_cache))}")
        common.warm_up(common.child_env(0, tmp, a.bytecode_cache), tmp)
        print()
        results = {}
        for n in sorted({BASELINE_N, a.n}):
            job = common.write_letters_job(tmp / "job", n, a.recipients)
            env = common.child_env(n, tmp, a.bytecode_cache)
            out = common.fresh(tmp / f"out-{n}")
            cmd = common.speechgen_cmd("render", job, "-o", out, "--jobs", str(a.jobs))
            secs, kib = common.peak_rss(cmd, env)
            docs = common.count_files(out)
            files = sum(1 for _ in out.iterdir())
            if docs != n:
                raise SystemExit(f"wrote {docs} .docx files, expected {n}")
            by_time = None
            if use_time:
                by_time = common.peak_rss_time(
                    common.speechgen_cmd(
                        "render", job, "-o", common.fresh(out), "--jobs", str(a.jobs)
                    ),
                    env,
                )
            results[n] = kib
            rows.append(
                [
                    f"{n} letters",
                    f"{files} ({docs} .docx)",
                    f"{common.job_bytes(job) / 1024:.0f}",
                    f"{secs:.1f}",
                    f"{kib / 1024:.1f}",
                    "-" if by_time is None else f"{by_time / 1024:.1f}",
                ]
            )
            common.fresh(out)  # free the disk before the next run
        common.print_table(
            [
                "batch",
                "files written",
                "job KiB",
                "wall s",
                "peak RSS MiB (wait4)",
                "(/usr/bin/time)",
            ],
            rows,
        )
        print()
        if a.n > BASELINE_N:
            per = (results[a.n] - results[BASELINE_N]) / (a.n - BASELINE_N)
            print(f"growth     : {per:.2f} KiB per letter above the {BASELINE_N}-letter baseline")
        mib = results[a.n] / 1024
        print(
            f"target: {a.n} letters under {TARGET_MB:.0f} MB peak RSS: {mib:.1f} MiB "
            f"-> {common.verdict(results[a.n] * 1024 < TARGET_MB * 1_000_000)}"
        )
    print(watch.report())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
