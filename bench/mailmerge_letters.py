"""The docx-mailmerge side of the letters benchmark: N responsibility letters, one process.

Run by bench/compare.py as its own process (and runnable by hand). It renders the same
letters speechgen renders, the way docx-mailmerge is used: a Word template with
MERGEFIELDs, and per document one ``MailMerge(template)`` load + ``merge(**fields)`` +
``write``.

Mail merge has no loops, and the letters' lists differ in length (a department has two
duty lines per sector). Each list item is its own merge field in its own paragraph
(``duties_1``, ``duties_2``, …), and there is one template per list shape (the number of
targets, duties, sanctions and signature lines), built once: a letter with seven duties
is merged into the seven-duty template. So every letter has exactly speechgen's
paragraphs, formatted like them, and each document costs what mail merge costs: one
template load, one field per string, one write. (Joining a list into one field instead
would put the items into one paragraph with line breaks: a different document.)

Preparation (once, cached in ``--work``, never timed): the contexts of bench/letter_layout.py
from speechgen's letters, one template per shape with python-docx/lxml (complex fields whose
runs carry the text's fonts, so the merged text keeps them), and one letter of each recipient
type merged and its text compared with speechgen's letter: the preparation fails unless they
are identical.

    python bench/mailmerge_letters.py --job JOB.yaml --work DIR --reference REF --prepare-only
    python bench/mailmerge_letters.py --job JOB.yaml --work DIR --out OUTDIR -n 1000
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import letter_layout as layout  # noqa: E402

SCALARS = ("title", "party_a", "party_b", "preamble", "term", "other")
SHAPES = "mailmerge-shapes.json"


def shape(ctx: dict) -> str:
    """The list shape of a letter: how many items each list and signature cell has."""
    return "-".join(str(len(ctx[k])) for k in (*layout.LISTS, *layout.SIGN_CELLS))


def fields(ctx: dict) -> dict[str, str]:
    """The merge values of a letter: one per scalar, one per list item and signature line."""
    out = {k: ctx[k] for k in SCALARS}
    for key in layout.LISTS:
        for i, item in enumerate(ctx[key], 1):
            out[f"{key}_{i}"] = item["text"]
    for key in layout.SIGN_CELLS:
        for i, line in enumerate(ctx[key], 1):
            out[f"{key}_{i}"] = line
    return out


def template_spec(ctx: dict) -> dict:
    """The template of ``ctx``'s shape: a MergeField for every string; item numbers as text."""
    field = layout.MergeField
    spec: dict = {k: field(k) for k in SCALARS}
    for key in layout.LISTS:
        spec[key] = [
            {"n": item["n"], "text": field(f"{key}_{i}")} for i, item in enumerate(ctx[key], 1)
        ]
    for key in layout.SIGN_CELLS:
        spec[key] = [field(f"{key}_{i}") for i in range(1, len(ctx[key]) + 1)]
    return spec


def template_path(work: Path, ctx: dict) -> Path:
    return work / f"mailmerge-{shape(ctx)}.docx"


def render_one(template: Path, ctx: dict, target: Path) -> None:
    from mailmerge import MailMerge

    with MailMerge(str(template)) as doc:
        doc.merge(**fields(ctx))
        doc.write(str(target))


def prepare(job: Path, work: Path, reference: Path | None = None) -> list[dict]:
    """Contexts and one template per shape for ``job`` (built once; reused while cached)."""
    import common

    t0 = time.perf_counter()
    if reference is None:
        reference = work / "reference"
        if not reference.is_dir():
            layout.render_reference(job, reference)
    letters = layout.reference_files(reference)
    contexts = layout.load_contexts(work, letters, str(job.resolve()))
    if not (work / SHAPES).exists():
        built = {}
        for ctx in contexts:
            if shape(ctx) not in built:
                built[shape(ctx)] = template_path(work, ctx).name
                layout.build_letter(template_spec(ctx)).save(str(template_path(work, ctx)))
        names = [common.recipient(i)["name"] for i in range(min(3, len(letters)))]
        for k, ref in enumerate(layout.probe_letters(letters, names)):
            probe = work / f"mailmerge-probe-{k}.docx"
            ctx = layout.letter_context(ref)
            render_one(template_path(work, ctx), ctx, probe)
            layout.check_same_text("docx-mailmerge", ref, probe)
        (work / SHAPES).write_text(json.dumps(built, ensure_ascii=False), encoding="utf-8")
        print(
            f"docx-mailmerge: {len(built)} templates (one per list shape) in "
            f"{time.perf_counter() - t0:.1f} s; letters of {len(names)} recipient types "
            "merged: text identical to speechgen's",
            file=sys.stderr,
        )
    return contexts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Render N responsibility letters with docx-mailmerge (one MailMerge load + "
        "merge + write per document), the same text as speechgen's letters for JOB."
    )
    ap.add_argument("--job", type=Path, required=True, help="letters job YAML (speechgen input)")
    ap.add_argument("--work", type=Path, required=True, help="cache folder (templates, contexts)")
    ap.add_argument(
        "--reference", type=Path, help="folder of a speechgen run of JOB (default: render one)"
    )
    ap.add_argument("--out", type=Path, help="output folder for the .docx files")
    ap.add_argument(
        "-n", type=int, default=0, help="documents to render (default: one per recipient)"
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
        render_one(template_path(a.work, ctx), ctx, a.out / f"{ctx['stem']}{suffix}.docx")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
