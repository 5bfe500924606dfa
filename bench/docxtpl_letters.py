"""The docxtpl side of the letters benchmark: N responsibility letters, one process.

Run by bench/compare.py and bench/batch_letters.py as its own process (and runnable by
hand). It renders the same letters speechgen renders, the way docxtpl is used: a Word
template with Jinja tags, and per document one ``DocxTemplate`` load +
``render(context, autoescape=True)`` + ``save``.

Preparation (once, cached in ``--work``, never timed):

1. speechgen's letters for JOB (``--reference DIR``: an existing run's folder; otherwise
   ``speechgen render JOB`` into ``WORK/reference``) are read back with python-docx and split
   into a JSON context per recipient (bench/letter_layout.py), so docxtpl renders exactly
   the same strings;
2. ``WORK/letter-template.docx`` is built with python-docx in the layout of
   bench/letter_layout.py, with ``{%p for %}`` loops for the numbered items and the
   signature lines;
3. one letter of each recipient type is rendered and its text compared with speechgen's
   letter: the preparation fails unless they are identical.

    python bench/docxtpl_letters.py --job JOB.yaml --work DIR --prepare-only
    python bench/docxtpl_letters.py --job JOB.yaml --work DIR --out OUTDIR -n 1000
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import letter_layout as layout  # noqa: E402

TEMPLATE = "letter-template.docx"

# the template's strings: Jinja tags; one item per list, repeated by {%p for %}
TEMPLATE_SPEC = {
    **{k: f"{{{{ {k} }}}}" for k in ("title", "party_a", "party_b", "preamble", "term", "other")},
    **{k: [{"n": "{{ t.n }}", "text": "{{ t.text }}"}] for k in layout.LISTS},
    **{k: ["{{ line }}"] for k in layout.SIGN_CELLS},
}


def build_template(path: Path) -> None:
    layout.build_letter(TEMPLATE_SPEC, loops=True).save(str(path))


def render_one(template: Path, context: dict, target: Path) -> None:
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(str(template))
    tpl.render(context, autoescape=True)
    tpl.save(str(target))


def prepare(job: Path, work: Path, reference: Path | None = None) -> tuple[Path, list[dict]]:
    """Template and contexts for ``job`` (built once; reused while the cache is there)."""
    import common

    t0 = time.perf_counter()
    if reference is None:
        reference = work / "reference"
        if not reference.is_dir():
            layout.render_reference(job, reference)
    letters = layout.reference_files(reference)
    contexts = layout.load_contexts(work, letters, str(job.resolve()))
    template = work / TEMPLATE
    if not template.exists():
        build_template(template)
        # the same text, or the comparison means nothing: one letter of each recipient type
        names = [common.recipient(i)["name"] for i in range(min(3, len(letters)))]
        for k, ref in enumerate(layout.probe_letters(letters, names)):
            probe = work / f"probe-{k}.docx"
            render_one(template, layout.letter_context(ref), probe)
            layout.check_same_text("docxtpl", ref, probe)
        print(
            f"docxtpl: {len(contexts)} contexts and {template.name} in "
            f"{time.perf_counter() - t0:.1f} s; letters of {len(names)} recipient types "
            "rendered: text identical to speechgen's",
            file=sys.stderr,
        )
    return template, contexts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Render N responsibility letters with docxtpl (one DocxTemplate load + "
        "render + save per document), the same text as speechgen's letters for JOB."
    )
    ap.add_argument("--job", type=Path, required=True, help="letters job YAML (speechgen input)")
    ap.add_argument("--work", type=Path, required=True, help="cache folder (template, contexts)")
    ap.add_argument(
        "--reference", type=Path, help="folder of a speechgen run of JOB (default: render one)"
    )
    ap.add_argument("--out", type=Path, help="output folder for the .docx files")
    ap.add_argument(
        "-n", type=int, default=0, help="documents to render (default: one per recipient)"
    )
    ap.add_argument("--prepare-only", action="store_true", help="build the cache and stop")
    a = ap.parse_args(argv)

    template, contexts = prepare(a.job, a.work, a.reference)
    if a.prepare_only:
        return 0
    if a.out is None:
        ap.error("--out is required unless --prepare-only")
    a.out.mkdir(parents=True, exist_ok=True)
    n = a.n or len(contexts)
    for i in range(n):
        ctx = contexts[i % len(contexts)]
        suffix = "" if i < len(contexts) else f"-{i // len(contexts)}"
        render_one(template, ctx, a.out / f"{ctx['stem']}{suffix}.docx")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
