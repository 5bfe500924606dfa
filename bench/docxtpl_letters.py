"""The docxtpl side of the letters benchmark: N responsibility letters, one process.

Run by bench/batch_letters.py as its own process (and runnable by hand). It renders the
same letters speechgen renders, the way docxtpl is used: a Word template with Jinja tags,
and per document one ``DocxTemplate`` load + ``render(context, autoescape=True)`` + ``save``.

Preparation (once, cached in ``--work``, never timed):

1. ``speechgen render JOB`` into ``WORK/reference``; every letter is read back with
   python-docx and split into a JSON context per recipient (title, parties, preamble,
   numbered items of 一 to 三, 四, 五, the signature lines), so docxtpl renders exactly the
   same strings;
2. ``WORK/letter-template.docx`` is built with python-docx: A4 公文 margins, fonts set on
   runs including ``w:eastAsia`` (仿宋_GB2312 body, 方正小标宋简体 title, 黑体 headings),
   exact 28.95 pt line spacing, 2-character first-line indent, ``{%p for %}`` loops for the
   numbered items, a borderless two-column signature table and a “— PAGE —” footer;
3. the first context is rendered and its text compared with speechgen's letter: the
   preparation fails unless they are identical.

    python bench/docxtpl_letters.py --job JOB.yaml --work DIR --prepare-only
    python bench/docxtpl_letters.py --job JOB.yaml --work DIR --out OUTDIR -n 1000
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

HEADINGS = ["一、控制指标", "二、工作职责", "三、考核与奖惩", "四、责任期限", "五、其他"]
LISTS = ["targets", "duties", "sanctions"]  # the numbered items under 一、二、三
ITEM = re.compile(r"^（([一二三四五六七八九十]+)）(.*)$", re.S)
TEMPLATE = "letter-template.docx"
CONTEXTS = "contexts.json"

BODY_FONT, TITLE_FONT, HEADING_FONT = "仿宋_GB2312", "方正小标宋简体", "黑体"


# ------------------------------------------------------------------ contexts from speechgen


def letter_context(path: Path) -> dict:
    """The JSON context of one speechgen letter (its paragraph texts, split by part)."""
    import docx

    d = docx.Document(str(path))
    paras = [(p.style.name if p.style is not None else "", p.text) for p in d.paragraphs]
    texts = [t for _, t in paras]
    if not (texts[1].startswith("甲方：") and texts[2].startswith("乙方：")):
        raise SystemExit(f"{path}: unexpected letter layout (甲方/乙方): {texts[:4]}")
    ctx: dict = {
        "stem": path.stem,
        "title": texts[0],
        "party_a": texts[1][len("甲方：") :],
        "party_b": texts[2][len("乙方：") :],
        "preamble": texts[3],
    }
    sections: dict[str, list[str]] = {}
    current = None
    for style, text in paras[4:]:
        if text in HEADINGS:
            current = text
            sections[current] = []
        elif current is not None and text:
            sections[current].append(text)
        elif text:
            raise SystemExit(f"{path}: text outside a section: {text!r} ({style})")
    if list(sections) != HEADINGS:
        raise SystemExit(f"{path}: sections {list(sections)} differ from {HEADINGS}")
    for key, heading in zip(LISTS, HEADINGS, strict=False):
        items = []
        for text in sections[heading]:
            m = ITEM.match(text)
            if not m:
                raise SystemExit(f"{path}: unnumbered item under {heading}: {text!r}")
            items.append({"n": m.group(1), "text": m.group(2)})
        ctx[key] = items
    for key, heading in (("term", HEADINGS[3]), ("other", HEADINGS[4])):
        if len(sections[heading]) != 1:
            raise SystemExit(f"{path}: {heading} has {len(sections[heading])} paragraphs")
        ctx[key] = sections[heading][0]
    if len(d.tables) != 1 or len(d.tables[0].rows) != 1 or len(d.tables[0].columns) != 2:
        raise SystemExit(f"{path}: expected one 1x2 signature table")
    left, right = d.tables[0].rows[0].cells
    ctx["sign_left"] = [p.text for p in left.paragraphs]
    ctx["sign_right"] = [p.text for p in right.paragraphs]
    return ctx


def reference_letters(job: Path, folder: Path) -> list[Path]:
    """Render the job with speechgen once; the letters in the order speechgen printed them."""
    from common import fresh, speechgen_cmd

    fresh(folder)
    # the caller's environment carries any SPEECHGEN_MAX_* a big job needs
    proc = subprocess.run(
        speechgen_cmd("render", job, "-o", folder), capture_output=True, text=True
    )
    if proc.returncode != 0:
        raise SystemExit(f"speechgen render failed:\n{proc.stderr[-4000:]}")
    return [Path(line) for line in proc.stdout.splitlines() if line.endswith(".docx")]


# ------------------------------------------------------------------ the docxtpl template


def _fonts(run, name: str, size_pt: float) -> None:
    """Font of a run, East Asian slot included (python-docx's font.name leaves it out)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.font.size = Pt(size_pt)
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def build_template(path: Path) -> None:
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = docx.Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)

    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(28.95)
    pf.space_before = pf.space_after = Pt(0)
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    def para(text: str, font: str = BODY_FONT, size: float = 16, indent: bool = True, **kw):
        p = doc.add_paragraph()
        if indent:
            p.paragraph_format.first_line_indent = Pt(32)
        for key, value in kw.items():
            setattr(p.paragraph_format, key, value)
        _fonts(p.add_run(text), font, size)
        return p

    def tag(text: str) -> None:  # a {%p %} paragraph: removed by docxtpl
        doc.add_paragraph(text)

    para(
        "{{ title }}",
        TITLE_FONT,
        22,
        indent=False,
        alignment=WD_ALIGN_PARAGRAPH.CENTER,
        line_spacing=Pt(35),
        space_after=Pt(28.95),
    )
    para("甲方：{{ party_a }}", indent=False)
    para("乙方：{{ party_b }}", indent=False)
    para("{{ preamble }}")
    for key, heading in zip(LISTS, HEADINGS, strict=False):
        para(heading, HEADING_FONT, keep_with_next=True)
        tag(f"{{%p for t in {key} %}}")
        para("（{{ t.n }}）{{ t.text }}")
        tag("{%p endfor %}")
    para(HEADINGS[3], HEADING_FONT, keep_with_next=True)
    para("{{ term }}")
    para(HEADINGS[4], HEADING_FONT, keep_with_next=True)
    para("{{ other }}")

    table = doc.add_table(rows=1, cols=2)  # python-docx's default table style: no borders
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, key in zip(table.rows[0].cells, ("sign_left", "sign_right"), strict=True):
        cell.width = Mm(78)
        first = cell.paragraphs[0]
        first.add_run(f"{{%p for line in {key} %}}")
        p = cell.add_paragraph()
        p.paragraph_format.space_before = Pt(28.95)
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT
        _fonts(p.add_run("{{ line }}"), BODY_FONT, 16)
        cell.add_paragraph("{%p endfor %}")
    doc.add_paragraph()

    # footer: “— PAGE —”, centred, 宋体 14 pt (a PAGE field has no python-docx API)
    fp = sec.footer.paragraphs[0]
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(fp.add_run("— "), "宋体", 14)
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    run = fp.add_run("1")
    _fonts(run, "宋体", 14)
    fld.append(run._element)
    fp._p.append(fld)
    _fonts(fp.add_run(" —"), "宋体", 14)

    doc.core_properties.title = "{{ title }}（{{ party_b }}）"
    doc.core_properties.author = "{{ party_a }}"
    doc.save(str(path))


# ------------------------------------------------------------------ prepare and render


def render_one(template: Path, context: dict, target: Path) -> None:
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(str(template))
    tpl.render(context, autoescape=True)
    tpl.save(str(target))


def prepare(job: Path, work: Path) -> tuple[Path, list[dict]]:
    """Template and contexts for ``job`` (built once; reused while the cache is there)."""
    from common import docx_texts

    template, contexts_path = work / TEMPLATE, work / CONTEXTS
    if template.exists() and contexts_path.exists():
        cached = json.loads(contexts_path.read_text(encoding="utf-8"))
        if cached.get("job") == str(job.resolve()):
            return template, cached["contexts"]
    work.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    letters = reference_letters(job, work / "reference")
    contexts = [letter_context(p) for p in letters]
    build_template(template)
    # the same text, or the comparison means nothing: one letter of each recipient type
    for k in range(min(3, len(letters))):
        probe = work / f"probe-{k}.docx"
        render_one(template, contexts[k], probe)
        ours, theirs = docx_texts(letters[k]), docx_texts(probe)
        if ours != theirs:
            for a, b in zip(ours, theirs, strict=False):
                if a != b:
                    print(f"speechgen: {a!r}\ndocxtpl:   {b!r}", file=sys.stderr)
            raise SystemExit(f"{letters[k].name}: docxtpl text differs from speechgen's")
    contexts_path.write_text(
        json.dumps({"job": str(job.resolve()), "contexts": contexts}, ensure_ascii=False),
        encoding="utf-8",
    )
    print(
        f"prepared {len(contexts)} contexts and {template} in {time.perf_counter() - t0:.1f} s;"
        f" letters 1-{min(3, len(letters))} rendered by docxtpl: text identical to speechgen's",
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
    ap.add_argument("--out", type=Path, help="output folder for the .docx files")
    ap.add_argument(
        "-n", type=int, default=0, help="documents to render (default: one per recipient)"
    )
    ap.add_argument("--prepare-only", action="store_true", help="build the cache and stop")
    a = ap.parse_args(argv)

    template, contexts = prepare(a.job, a.work)
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
