"""Parallel: the same letters batch with `speechgen render --jobs 1` and `--jobs 2`.

Whole processes, alternating (the order flips every round); prints seconds and ms per
document per round, the medians and the speed-up (jobs 1 time / jobs 2 time).

    python bench/parallel.py                 # N=2000, 3 rounds
    python bench/parallel.py -n 500 --rounds 5 --jobs 1 4
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
from compare import scaling_target  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="`speechgen render --jobs 1` vs `--jobs 2` on one letters batch; the speed-up."
    )
    ap.add_argument("-n", type=int, default=2000, help="letters per batch (default 2000)")
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds (default 3)")
    ap.add_argument(
        "--jobs",
        type=int,
        nargs=2,
        default=(1, 2),
        metavar=("A", "B"),
        help="the two --jobs values compared (default: 1 2)",
    )
    ap.add_argument(
        "--recipients",
        choices=("inline", "csv", "xlsx"),
        default="inline",
        help="where the job lists its recipients (default: inline in the YAML)",
    )
    common.add_common_args(ap)
    a = ap.parse_args(argv)
    watch = common.CpuWatch()
    ja, jb = a.jobs

    common.print_header(
        f"parallel: speechgen --jobs {ja} vs --jobs {jb}, N={a.n}, {a.rounds} rounds",
        a.tmpdir or "",
    )
    with common.work_folder(a.keep, a.tmpdir) as tmp:
        env = common.child_env(a.n, tmp, a.bytecode_cache)
        print(f"bytecode   : {common.bytecode_note(env)}")
        common.warm_up(env, tmp)
        job = common.write_letters_job(tmp / "job", a.n, a.recipients)
        print(
            f"job        : {a.n} recipients ({a.recipients}), {common.job_bytes(job)} bytes of input"
        )
        print(f"limits env : {common.env_note(a.n)}")
        print(f"command    : speechgen render JOB -o OUT --jobs {ja} | {jb}")
        print()
        secs: dict[int, list[float]] = {ja: [], jb: []}
        rows = []
        for r in range(1, a.rounds + 1):
            order = (ja, jb) if r % 2 else (jb, ja)
            got = {}
            for j in order:
                out = common.fresh(tmp / f"out-{j}")
                got[j] = common.time_process(
                    common.speechgen_cmd("render", job, "-o", out, "--jobs", str(j)), env
                )
                written = common.count_files(out)
                if written != a.n:
                    raise SystemExit(f"--jobs {j} wrote {written} .docx files, expected {a.n}")
                secs[j].append(got[j])
            rows.append(
                [
                    f"round {r} (--jobs {order[0]} first)",
                    f"{got[ja]:.2f}",
                    f"{got[ja] * 1000 / a.n:.2f}",
                    f"{got[jb]:.2f}",
                    f"{got[jb] * 1000 / a.n:.2f}",
                    f"{got[ja] / got[jb]:.2f}×",
                ]
            )
        ma, mb = common.median(secs[ja]), common.median(secs[jb])
        rows.append(
            [
                "median",
                f"{ma:.2f}",
                f"{ma * 1000 / a.n:.2f}",
                f"{mb:.2f}",
                f"{mb * 1000 / a.n:.2f}",
                f"{ma / mb:.2f}×",
            ]
        )
        common.print_table(
            [f"N={a.n}", f"--jobs {ja} s", "ms/doc", f"--jobs {jb} s", "ms/doc", "speed-up"], rows
        )
        print()
        target = scaling_target(a.n)
        if (ja, jb) == (1, 2) and target is not None:
            print(
                f"target at N={a.n}: --jobs 2 >= {target}× --jobs 1: {ma / mb:.2f}× "
                f"-> {common.verdict(ma / mb >= target)}"
            )
    print(watch.report())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
