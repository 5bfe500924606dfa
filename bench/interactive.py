"""Interactive: the latency of one full speech, warm (live preview) and cold (one command).

Warm: inside this process, with the phrase library loaded once, each repetition does what
a live preview does after an edit: load_job (read and check the YAML) + plan_job(...)
.compose(0) + render_docx (the .docx bytes, not written). A few warm-up repetitions, then
timed ones; median and p95. The document checker (check_document, which `speechgen render`
runs before writing) is timed on its own as an extra line.

Cold: `speechgen render SPEECH -o OUT` as a whole process, each run into a fresh folder.

    python bench/interactive.py              # 50 warm repetitions, 5 cold runs
    python bench/interactive.py --speech speechgen/samples/02-市-年度-讲话稿.yaml
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

WARM_TARGET_MS, COLD_TARGET_MS = 30.0, 1000.0


def warm(speech: Path, reps: int, warmup: int) -> tuple[dict[str, list[float]], int, int]:
    """Per-phase milliseconds of ``reps`` warm re-renders (after ``warmup`` untimed ones)."""
    from speechgen.compose import plan_job
    from speechgen.compose.library import load_library
    from speechgen.inputs import load_job
    from speechgen.writers.docx import render_docx

    library = load_library()
    phases: dict[str, list[float]] = {"load_job": [], "compose": [], "render_docx": [], "total": []}
    size = blocks = 0
    for k in range(warmup + reps):
        t0 = time.perf_counter()
        job = load_job(speech)
        t1 = time.perf_counter()
        doc = plan_job(job, library, 0).compose(0)
        t2 = time.perf_counter()
        data = render_docx(doc)
        t3 = time.perf_counter()
        if k >= warmup:
            phases["load_job"].append((t1 - t0) * 1000)
            phases["compose"].append((t2 - t1) * 1000)
            phases["render_docx"].append((t3 - t2) * 1000)
            phases["total"].append((t3 - t0) * 1000)
        size, blocks = len(data), len(doc.blocks)
    try:  # the checker is being reworked; time it when it imports
        from speechgen.check import check_document

        check_document(doc)
        check_ms = []
        for _ in range(reps):
            t0 = time.perf_counter()
            check_document(doc)
            check_ms.append((time.perf_counter() - t0) * 1000)
        phases["(check_document)"] = check_ms
    except Exception as exc:  # noqa: BLE001 - report and go on
        print(f"(check_document not timed: {type(exc).__name__}: {exc})")
    return phases, size, blocks


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Warm re-render of a full speech in one process, and a cold `speechgen render`."
    )
    ap.add_argument(
        "--speech",
        type=Path,
        default=common.SPEECH_SAMPLE,
        help="speech job (default: speechgen/samples/01-县-季度-讲话稿.yaml)",
    )
    ap.add_argument("--reps", type=int, default=50, help="warm repetitions (default 50)")
    ap.add_argument("--warmup", type=int, default=3, help="untimed warm-up repetitions (default 3)")
    ap.add_argument("--cold", type=int, default=5, help="cold whole-process runs (default 5)")
    common.add_common_args(ap)
    a = ap.parse_args(argv)
    watch = common.CpuWatch()

    common.print_header("interactive: warm re-render and cold render of one speech", a.tmpdir or "")
    speech = a.speech.resolve()
    print(
        f"speech     : {speech.relative_to(common.REPO) if speech.is_relative_to(common.REPO) else speech}"
    )
    print(
        f"warm       : load_library() once; then load_job + plan_job(job, library, 0).compose(0)"
        f" + render_docx, {a.warmup} warm-up + {a.reps} timed"
    )
    print(f"cold       : speechgen render SPEECH -o OUT, {a.cold} runs, fresh OUT each")
    print()

    phases, size, blocks = warm(speech, a.reps, a.warmup)
    rows = [
        [name, f"{common.median(v):.2f}", f"{common.p95(v):.2f}", f"{min(v):.2f}", f"{max(v):.2f}"]
        for name, v in phases.items()
    ]
    print(f"warm re-render ({blocks} blocks, {size} bytes of .docx), ms:")
    common.print_table(["phase", "median", "p95", "min", "max"], rows)
    print()

    cold: list[float] = []
    with common.work_folder(a.keep, a.tmpdir) as tmp:
        env = common.child_env(1, tmp, a.bytecode_cache)
        print(f"bytecode   : {common.bytecode_note(env)}")
        common.warm_up(env, tmp)
        for k in range(a.cold):
            out = common.fresh(tmp / f"out-{k}")
            cold.append(
                common.time_process(common.speechgen_cmd("render", speech, "-o", out), env) * 1000
            )
            if common.count_files(out) != 1:
                raise SystemExit(f"cold run {k + 1} wrote {common.count_files(out)} .docx files")
        startup = [
            common.time_process(common.speechgen_cmd("--version"), env) * 1000
            for _ in range(a.cold)
        ]
    print("cold whole process, ms:")
    common.print_table(
        ["command", "median", "min", "max", "runs"],
        [
            [
                "speechgen render SPEECH",
                f"{common.median(cold):.0f}",
                f"{min(cold):.0f}",
                f"{max(cold):.0f}",
                " / ".join(f"{x:.0f}" for x in cold),
            ],
            [
                "speechgen --version (start-up only)",
                f"{common.median(startup):.0f}",
                f"{min(startup):.0f}",
                f"{max(startup):.0f}",
                " / ".join(f"{x:.0f}" for x in startup),
            ],
        ],
    )
    print()
    w, c = common.median(phases["total"]), common.median(cold)
    print(
        f"target: warm re-render under {WARM_TARGET_MS:.0f} ms: median {w:.1f} ms, "
        f"p95 {common.p95(phases['total']):.1f} ms -> {common.verdict(w < WARM_TARGET_MS)}"
    )
    print(
        f"target: cold single render under {COLD_TARGET_MS / 1000:.0f} s: median {c:.0f} ms "
        f"-> {common.verdict(c < COLD_TARGET_MS)}"
    )
    print(watch.report())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
