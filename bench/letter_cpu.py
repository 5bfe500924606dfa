"""In-process CPU cost of one letter, stage by stage: compose, check, render_docx.

Loads a letters job once (load_job, load_library, plan_job), composes the first
letter as a warm-up, then times each further letter's ``docs.compose(i)``,
``check_document(doc)`` and ``render_docx(doc, fonts)`` separately with
``time.process_time`` (CPU) and ``time.perf_counter`` (wall), and prints the
median and mean per stage in milliseconds. Process start-up, input reading,
writing files and the manifest are not in these figures (see batch_letters.py).

    python bench/letter_cpu.py                      # 2,000 letters from CSV in a temp folder
    python bench/letter_cpu.py --job path/to/job.yaml
    python bench/letter_cpu.py --profile /tmp/x.prof  # cProfile of the timed loop
    python bench/letter_cpu.py --texts /tmp/texts.txt # every letter's text, for a diff

``process_time`` has a resolution of about a microsecond on Linux, so the
per-letter medians are meaningful; the means include the occasional garbage
collection.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402


def _job(args: argparse.Namespace, tmp: Path) -> Path:
    if args.job:
        return Path(args.job)
    return common.write_letters_job(tmp / "job", args.n, args.recipients)


def _docx_text(data: bytes) -> str:
    """The paragraphs of a .docx's word/document.xml, one a line (tags stripped)."""
    import io
    import re
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    paras = re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S)
    return "\n".join(re.sub(r"<[^>]+>", "", p) for p in paras)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--job", help="a letters job YAML (default: generate one)")
    ap.add_argument("-n", type=int, default=2000, help="letters in the generated job")
    ap.add_argument("--recipients", default="csv", choices=["csv", "inline", "xlsx"])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--profile", help="write a cProfile of the timed loop to this file")
    ap.add_argument("--texts", help="write every letter's text (from the .docx) to this file")
    ap.add_argument("--digest", action="store_true", help="print a SHA-256 over all .docx bytes")
    args = ap.parse_args()

    os.environ.setdefault("SPEECHGEN_MAX_RECIPIENTS", "1000000")
    os.environ.setdefault("SPEECHGEN_MAX_NODES", "20000000")

    from speechgen.check import check_document
    from speechgen.compose import plan_job
    from speechgen.compose.library import load_library
    from speechgen.errors import ERROR
    from speechgen.inputs import load_job
    from speechgen.writers.docx import render_docx

    with tempfile.TemporaryDirectory(prefix="speechgen-letter-cpu-") as tmp:
        path = _job(args, Path(tmp))
        t0 = time.perf_counter()
        job = load_job(path)
        library = load_library(())
        docs = plan_job(job, library, args.seed, None)
        fonts = job.data.get("fonts")
        setup = time.perf_counter() - t0
        n = len(docs)

        times: dict[str, list[float]] = {"compose": [], "check": [], "render_docx": []}
        walls: dict[str, list[float]] = {k: [] for k in times}
        texts: list[str] = []
        import hashlib

        digest = hashlib.sha256()
        errors = 0

        def one(i: int, record: bool) -> None:
            nonlocal errors
            pt, pc = time.process_time, time.perf_counter
            c0, w0 = pt(), pc()
            doc = docs.compose(i)
            c1, w1 = pt(), pc()
            found = [f for f in check_document(doc) if f.severity == ERROR]
            c2, w2 = pt(), pc()
            data = render_docx(doc, fonts)
            c3, w3 = pt(), pc()
            errors += len(found)
            if record:
                for k, a, b, x, y in (
                    ("compose", c0, c1, w0, w1),
                    ("check", c1, c2, w1, w2),
                    ("render_docx", c2, c3, w2, w3),
                ):
                    times[k].append(b - a)
                    walls[k].append(y - x)
            if args.digest:
                digest.update(data)
            if args.texts:
                texts.append(_docx_text(data))

        one(0, record=False)  # warm-up: imports, compiled templates, caches
        prof = None
        if args.profile:
            import cProfile

            prof = cProfile.Profile()
            prof.enable()
        loop0 = time.process_time()
        for i in range(1, n):
            one(i, record=True)
        loop = time.process_time() - loop0
        if prof is not None:
            prof.disable()
            prof.dump_stats(args.profile)

    m = n - 1
    print(f"letters: {n} ({path.name}), setup {setup * 1000:.0f} ms, ERROR findings: {errors}")
    print(f"load avg: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'stage':<12} {'CPU median':>11} {'CPU mean':>9} {'wall median':>12}  (ms a letter)")
    total_med = 0.0
    for k in times:
        med = statistics.median(times[k]) * 1000
        total_med += med
        mean = sum(times[k]) / m * 1000
        wmed = statistics.median(walls[k]) * 1000
        print(f"{k:<12} {med:>11.3f} {mean:>9.3f} {wmed:>12.3f}")
    print(
        f"{'sum':<12} {total_med:>11.3f} {loop / m * 1000:>9.3f}  (mean: whole loop CPU / letters)"
    )
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {rss:.0f} MiB (job loading included)")
    if args.digest:
        print(f"sha256 of all .docx: {digest.hexdigest()}")
    if args.texts:
        Path(args.texts).write_text("\n\f\n".join(texts), encoding="utf-8")
        print(f"texts: {args.texts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
