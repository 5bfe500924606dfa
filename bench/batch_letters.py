"""Batch letters: `speechgen render` vs docxtpl on the same N responsibility letters.

Both sides run as whole processes (interpreter start, imports, input, every file written
to disk), alternating in each round (the order flips every round). Prints seconds and
ms per document per round, the medians, the ratio docxtpl ms / speechgen ms, and the
characters of text per letter of both, to show the work is the same.

    python bench/batch_letters.py            # N=1000, 3 rounds
    python bench/batch_letters.py -n 200 --rounds 5
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
from compare import TARGET_DOCXTPL  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="N responsibility letters: `speechgen render` vs docxtpl, whole processes, "
        "alternating rounds; ms per document and the ratio."
    )
    ap.add_argument("-n", type=int, default=1000, help="letters per batch (default 1000)")
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds (default 3)")
    ap.add_argument(
        "--recipients",
        choices=("inline", "csv", "xlsx"),
        default="inline",
        help="where the job lists its recipients (default: inline in the YAML)",
    )
    ap.add_argument("--jobs", type=int, default=1, help="speechgen --jobs (default 1)")
    common.add_common_args(ap)
    a = ap.parse_args(argv)
    watch = common.CpuWatch()

    common.print_header(
        f"batch letters: speechgen vs docxtpl, N={a.n}, {a.rounds} rounds", a.tmpdir or ""
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
        dt_script = common.BENCH_DIR / "docxtpl_letters.py"
        dt_base = [sys.executable, dt_script, "--job", job, "--work", tmp / "docxtpl"]

        def sg_cmd(out: Path) -> list:
            return common.speechgen_cmd("render", job, "-o", out, "--jobs", str(a.jobs))

        def dt_cmd(out: Path) -> list:
            return [*dt_base, "--out", out, "-n", str(a.n)]

        print("speechgen  : speechgen render JOB -o OUT --jobs", a.jobs)
        print(
            "docxtpl    : python bench/docxtpl_letters.py --job JOB --work CACHE --out OUT -n", a.n
        )
        t0 = time.perf_counter()
        common.time_process([*dt_base, "--prepare-only"], env)
        print(
            f"prepare    : docxtpl template + {a.n} contexts from speechgen's letters, "
            f"text checked identical ({time.perf_counter() - t0:.1f} s, not timed)"
        )
        print()

        rows, sg_ms, dt_ms = [], [], []
        chars: dict[str, int] = {}
        for r in range(1, a.rounds + 1):
            order = ("speechgen", "docxtpl") if r % 2 else ("docxtpl", "speechgen")
            secs: dict[str, float] = {}
            for side in order:
                out = common.fresh(tmp / f"out-{side}")
                cmd = sg_cmd(out) if side == "speechgen" else dt_cmd(out)
                secs[side] = common.time_process(cmd, env)
                written = common.count_files(out)
                if written != a.n:
                    raise SystemExit(f"{side} wrote {written} .docx files, expected {a.n}")
                if not chars.get(side):
                    # the same recipient on both sides: the job's first, 城关镇人民政府
                    ref = next(out.glob(f"*-{common.recipient(0)['name']}.docx"))
                    chars[side] = common.text_chars(ref)
                    chars[side + "-file"] = ref.name  # type: ignore[assignment]
            s_ms, d_ms = secs["speechgen"] * 1000 / a.n, secs["docxtpl"] * 1000 / a.n
            sg_ms.append(s_ms)
            dt_ms.append(d_ms)
            rows.append(
                [
                    f"round {r} ({order[0]} first)",
                    f"{secs['speechgen']:.2f}",
                    f"{s_ms:.2f}",
                    f"{secs['docxtpl']:.2f}",
                    f"{d_ms:.2f}",
                    f"{d_ms / s_ms:.1f}×",
                ]
            )
        ms, md = common.median(sg_ms), common.median(dt_ms)
        rows.append(["median", "", f"{ms:.2f}", "", f"{md:.2f}", f"{md / ms:.1f}×"])
        common.print_table(
            ["N=" + str(a.n), "speechgen s", "ms/doc", "docxtpl s", "ms/doc", "ratio"], rows
        )
        print()
        common.print_table(
            ["side", "docs/s", "chars/letter", "file"],
            [
                ["speechgen", f"{1000 / ms:.0f}", chars["speechgen"], chars["speechgen-file"]],
                ["docxtpl", f"{1000 / md:.0f}", chars["docxtpl"], chars["docxtpl-file"]],
            ],
        )
        print()
        ratio = md / ms
        print(
            f"target: speechgen >= {TARGET_DOCXTPL:.0f}× docxtpl throughput: "
            f"{ratio:.1f}×, {ms:.2f} ms/letter -> {common.verdict(ratio >= TARGET_DOCXTPL)}"
        )
        if chars["speechgen"] != chars["docxtpl"]:
            print("WARNING: the letters differ in length; the comparison is not like for like")
    print(watch.report())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
