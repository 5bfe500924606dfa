"""The python-docx side of the letters benchmark: N responsibility letters from scratch, one process.

Run by bench/compare.py as its own process (and runnable by hand). Per document: a new
``docx.Document()``, the letter built paragraph by paragraph in the layout of
bench/letter_layout.py (the same fonts, spacing, signature table and footer as the
docxtpl and docx-mailmerge templates) with the strings of speechgen's letter, and ``save``.

Preparation (once, cached in ``--work``, never timed): the contexts of bench/letter_layout.py
from speechgen's letters, and one letter of each recipient type built and its text compared
with speechgen's letter: the preparation fails unless they are identical.

    python bench/pydocx_letters.py --job JOB.yaml --work DIR --reference REF --prepare-only
    python bench/pydocx_letters.py --job JOB.yaml --work DIR --out OUTDIR -n 1000
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import letter_layout as layout  # noqa: E402

CHECKED = "pydocx-checked"


def render_one(ctx: dict, target: Path) -> None:
    layout.build_letter(ctx).save(str(target))


def prepare(job: Path, work: Path, reference: Path | None = None) -> list[dict]:
    """Contexts for ``job`` and the text check (done once; reused while cached)."""
    import common

    t0 = time.perf_counter()
    if reference is None:
        reference = work / "reference"
        if not reference.is_dir():
            layout.render_reference(job, reference)
    letters = layout.reference_files(reference)
    contexts = layout.load_contexts(work, letters, str(job.resolve()))
    if not (work / CHECKED).exists():
        names = [common.recipient(i)["name"] for i in range(min(3, len(letters)))]
        for k, ref in enumerate(layout.probe_letters(letters, names)):
            probe = work / f"pydocx-probe-{k}.docx"
            render_one(layout.letter_context(ref), probe)
            layout.check_same_text("python-docx", ref, probe)
        (work / CHECKED).write_text("text identical\n", encoding="utf-8")
        print(
            f"python-docx: {len(contexts)} contexts in {time.perf_counter() - t0:.1f} s; "
            f"letters of {len(names)} recipient types built: text identical to speechgen's",
            file=sys.stderr,
        )
    return contexts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Build N responsibility letters with python-docx from scratch (one "
        "Document + paragraphs + save per document), the same text as speechgen's letters."
    )
    ap.add_argument("--job", type=Path, required=True, help="letters job YAML (speechgen input)")
    ap.add_argument("--work", type=Path, required=True, help="cache folder (contexts)")
    ap.add_argument(
        "--reference", type=Path, help="folder of a speechgen run of JOB (default: render one)"
    )
    ap.add_argument("--out", type=Path, help="output folder for the .docx files")
    ap.add_argument(
        "-n", type=int, default=0, help="documents to build (default: one per recipient)"
    )
    ap.add_argument("--prepare-only", action="store_true", help="build the cache and stop")
    a = ap.parse_args(argv)

    contexts = prepare(a.job, a.work, a.reference)
    if a.prepare_only:
        return 0
    if a.out is None:
        ap.error("--out is required unless --prepare-only")
    a.out.mkdir(parents=True, exist_ok=True)
    n = a.n or len(contexts)
    for i in range(n):
        ctx = contexts[i % len(contexts)]
        suffix = "" if i < len(contexts) else f"-{i // len(contexts)}"
        render_one(ctx, a.out / f"{ctx['stem']}{suffix}.docx")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
