"""Interactive: the latency of one full speech, warm (live preview) and cold (one command).

Warm: inside this process, with the phrase library loaded once, each repetition does what
a live preview does after an edit: load_job (read and check the YAML) + plan_job(...)
.compose(0) + render_docx (the .docx bytes, not written). A few warm-up repetitions, then
timed ones; median and p95. The document checker (check_document, which `speechgen render`
runs before writing) is timed on its own as an extra line.

Cold: `speechgen render SPEECH -o OUT` as a whole process, each run into a fresh folder,
interleaved with the floors it stands on (`python -c pass`, the imports of click, Jinja2 and
PyYAML, `speechgen --version`) and with a first run on an empty user cache (speechgen keeps
the checked phrase library, compiled regular expressions and template code in
$XDG_CACHE_HOME/speechgen; here a folder of the run, filled by the untimed warm-up). Where
the cold milliseconds go: the same steps timed inside a fresh process, phase by phase.

    python bench/interactive.py              # 50 warm repetitions, 5 cold rounds
    python bench/interactive.py --speech speechgen/samples/02-市-年度-讲话稿.yaml
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

WARM_TARGET_MS, COLD_TARGET_MS = 10.0, 200.0  # issue 14, item 4


def warm(speech: Path, reps: int, warmup: int) -> tuple[dict[str, list[float]], int, int]:
    """Per-phase milliseconds of ``reps`` warm re-renders (after ``warmup`` untimed ones)."""
    from speechgen.compose import plan_job
    from speechgen.compose.library import load_library
    from speechgen.inputs import load_job
    from speechgen.writers.docx import render_docx

    library = load_library()
    from speechgen.check import check_document

    phases: dict[str, list[float]] = {
        "load_job": [],
        "compose": [],
        "render_docx": [],
        "total": [],
        "(check_document)": [],
        "(total with check_document)": [],
    }
    size = blocks = 0
    for k in range(warmup + reps):
        t0 = time.perf_counter()
        job = load_job(speech)
        t1 = time.perf_counter()
        doc = plan_job(job, library, 0).compose(0)
        t2 = time.perf_counter()
        data = render_docx(doc)
        t3 = time.perf_counter()
        check_document(doc)  # the render gate and the editor's findings
        t4 = time.perf_counter()
        if k >= warmup:
            phases["load_job"].append((t1 - t0) * 1000)
            phases["compose"].append((t2 - t1) * 1000)
            phases["render_docx"].append((t3 - t2) * 1000)
            phases["total"].append((t3 - t0) * 1000)
            phases["(check_document)"].append((t4 - t3) * 1000)
            phases["(total with check_document)"].append((t4 - t0) * 1000)
        size, blocks = len(data), len(doc.blocks)
    return phases, size, blocks


RENDER = "speechgen render SPEECH (user cache filled)"

# Run in a fresh process by cold_phases: the steps of `speechgen render SPEECH -o OUT`
# (cli.py, render.py) one after another, each timed; prints one JSON object.
PHASES_CHILD = r"""
import atexit, gc, json, sys, time
atexit.register(gc.freeze)  # as cli.main does
t = [time.perf_counter()]
out = {}
def mark(name):
    t.append(time.perf_counter()); out[name] = (t[-1] - t[-2]) * 1000
speech, folder = sys.argv[1], sys.argv[2]
from speechgen import recache; recache.install(); mark("regex cache (recache.install)")
import click; mark("import click")
import speechgen.cli; mark("import speechgen.cli (rest)")
from speechgen import render; mark("import speechgen.render (jinja2, yaml, compose, inputs)")
from speechgen.inputs import load_job
job = load_job(speech); mark("load_job (read and check the YAML)")
from speechgen.compose.library import load_library
library = load_library(); mark("load_library (bundled phrase library)")
from speechgen.compose import plan_job
doc = plan_job(job, library, 0).compose(0); mark("plan_job + compose")
from speechgen.check import check_document; mark("import the check rules")
check_document(doc); mark("check_document (the render gate)")
data = render.encode(doc, "docx"); mark("render_docx (incl. import)")
from pathlib import Path
from speechgen.output import write_atomic
Path(folder).mkdir(parents=True, exist_ok=True)
write_atomic(Path(folder) / "x.docx", data, force=True); mark("write the file")
print(json.dumps(out))
"""


def cold_phases(speech: Path, folder: Path, env: dict[str, str]) -> dict[str, float]:
    """Milliseconds of each step of a cold render inside one fresh process, and first the
    rest of that process's wall time (interpreter start-up, site, exit)."""
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PHASES_CHILD, str(speech), str(folder)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    whole = (time.perf_counter() - t0) * 1000
    steps = json.loads(done.stdout)
    return {"interpreter start-up, site and exit": whole - sum(steps.values()), **steps}


def cold_rounds(
    speech: Path, tmp: Path, env: dict[str, str], rounds: int
) -> dict[str, list[float]]:
    """Whole-process milliseconds of the render and its floors, interleaved round by round."""
    py = sys.executable
    runs: dict[str, list[float]] = {
        "python -c pass (interpreter floor)": [],
        "python -c 'import click, jinja2, yaml' (library floor)": [],
        "speechgen --version (start-up only)": [],
        RENDER: [],
        "speechgen render SPEECH (empty user cache: first run)": [],
    }
    for k in range(rounds):
        out = common.fresh(tmp / f"out-{k}")
        empty = dict(env, XDG_CACHE_HOME=str(common.fresh(tmp / f"empty-cache-{k}")))
        cmds = [
            ([py, "-c", "pass"], env),
            ([py, "-c", "import click, jinja2, yaml"], env),
            (common.speechgen_cmd("--version"), env),
            (common.speechgen_cmd("render", speech, "-o", out), env),
            (common.speechgen_cmd("render", speech, "-o", common.fresh(tmp / f"e-{k}")), empty),
        ]
        for (cmd, e), name in zip(cmds, runs, strict=True):
            runs[name].append(common.time_process(cmd, e) * 1000)
        if common.count_files(out) != 1:
            raise SystemExit(f"cold run {k + 1} wrote {common.count_files(out)} .docx files")
    return runs


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
    ap.add_argument("--cold", type=int, default=5, help="cold whole-process rounds (default 5)")
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
    print(f"cold       : speechgen render SPEECH -o OUT, {a.cold} rounds, fresh OUT each")
    print()

    with common.work_folder(a.keep, a.tmpdir) as tmp:
        # speechgen's user cache (library, regular expressions, template code): this run's own
        os.environ["XDG_CACHE_HOME"] = str(tmp / "cache")
        phases, size, blocks = warm(speech, a.reps, a.warmup)
        rows = [
            [
                name,
                f"{common.median(v):.2f}",
                f"{common.p95(v):.2f}",
                f"{min(v):.2f}",
                f"{max(v):.2f}",
            ]
            for name, v in phases.items()
        ]
        print(f"warm re-render ({blocks} blocks, {size} bytes of .docx), ms:")
        common.print_table(["phase", "median", "p95", "min", "max"], rows)
        print()
        env = common.child_env(1, tmp, a.bytecode_cache)
        print(f"bytecode   : {common.bytecode_note(env)}")
        print(f"user cache : XDG_CACHE_HOME={env['XDG_CACHE_HOME']} (filled by the warm-up)")
        common.warm_up(env, tmp)
        runs = cold_rounds(speech, tmp, env, a.cold)
        phases_ms = [cold_phases(speech, tmp / f"ph-{k}", env) for k in range(a.cold)]
    print(f"cold whole process, ms ({a.cold} interleaved rounds):")
    common.print_table(
        ["command", "median", "min", "max", "runs"],
        [
            [
                name,
                f"{common.median(v):.0f}",
                f"{min(v):.0f}",
                f"{max(v):.0f}",
                " / ".join(f"{x:.0f}" for x in v),
            ]
            for name, v in runs.items()
        ],
    )
    print()
    print("where a cold render's time goes (the steps of a render timed in fresh processes, wall):")
    names = list(phases_ms[0])
    med = {n: common.median([ph[n] for ph in phases_ms]) for n in names}
    rows = [[n, f"{med[n]:.1f}", f"{min(ph[n] for ph in phases_ms):.1f}"] for n in names]
    whole = [sum(ph.values()) for ph in phases_ms]
    rows.append(["whole process", f"{common.median(whole):.1f}", f"{min(whole):.1f}"])
    common.print_table(["phase", "median ms", "min ms"], rows)
    cold = runs[RENDER]
    print()
    w, c = common.median(phases["total"]), common.median(cold)
    print(
        f"target: warm re-render under {WARM_TARGET_MS:.0f} ms: median {w:.1f} ms, "
        f"p95 {common.p95(phases['total']):.1f} ms -> {common.verdict(w < WARM_TARGET_MS)}"
    )
    print(
        f"target: cold single render under {COLD_TARGET_MS:.0f} ms: median {c:.0f} ms "
        f"-> {common.verdict(c < COLD_TARGET_MS)}"
    )
    print(watch.report())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
