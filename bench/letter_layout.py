"""The responsibility letter as the baselines of bench/compare.py build it, and its text.

One layout, three uses (so the three baselines produce the same document):

- ``docxtpl_letters.py``: a Word template whose strings are Jinja tags and whose lists are
  ``{%p for %}`` loops (``build_letter(spec, loops=True)``);
- ``mailmerge_letters.py``: a template per list shape whose strings are MERGEFIELDs
  (:class:`MergeField` values);
- ``pydocx_letters.py``: the letter itself, built from scratch with its real strings.

The layout: A4 公文 margins, fonts set on runs including ``w:eastAsia`` (仿宋_GB2312 body,
方正小标宋简体 title, 黑体 headings), exact 28.95 pt line spacing, a 2-character first-line
indent, a borderless two-column signature table and a “— PAGE —” footer.

The strings come from speechgen's own letters: :func:`letter_context` reads one back with
python-docx and splits it by part (title, parties, preamble, the numbered items of 一 to 三,
四, 五, the signature lines). :func:`text_mismatch` compares two documents' texts.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

HEADINGS = ["一、控制指标", "二、工作职责", "三、考核与奖惩", "四、责任期限", "五、其他"]
LISTS = ["targets", "duties", "sanctions"]  # the numbered items under 一、二、三
SIGN_CELLS = ["sign_left", "sign_right"]
ITEM = re.compile(r"^（([一二三四五六七八九十]+)）(.*)$", re.S)
CONTEXTS = "contexts.json"

BODY_FONT, TITLE_FONT, HEADING_FONT = "仿宋_GB2312", "方正小标宋简体", "黑体"
LINE_PT = 28.95
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@dataclass(frozen=True)
class MergeField:
    """A MERGEFIELD in a docx-mailmerge template (a complex field, formatted like its text)."""

    name: str


# ------------------------------------------------------------------ contexts from speechgen


def letter_context(path: Path) -> dict:
    """The JSON context of one speechgen letter (its paragraph texts, split by part).

    Texts are read through the checker's paragraph_text, which also reads ruby bases:
    speechgen keeps dates and numbers with units on one line as rubies, which python-docx's
    ``Paragraph.text`` leaves out.
    """
    import docx

    from speechgen.check.docx_reader import paragraph_text

    def read(p) -> str:
        return paragraph_text(p._p, W)[0]

    d = docx.Document(str(path))
    paras = [(p.style.name if p.style is not None else "", read(p)) for p in d.paragraphs]
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
    ctx["sign_left"] = [read(p) for p in left.paragraphs]
    ctx["sign_right"] = [read(p) for p in right.paragraphs]
    return ctx


def render_reference(job: Path, folder: Path) -> list[Path]:
    """Render ``job`` with speechgen once into ``folder``; the letters it wrote, in its order."""
    from common import fresh, speechgen_cmd

    fresh(folder)
    # the caller's environment carries any SPEECHGEN_MAX_* a big job needs
    proc = subprocess.run(
        speechgen_cmd("render", job, "-o", folder), capture_output=True, text=True
    )
    if proc.returncode != 0:
        raise SystemExit(f"speechgen render failed:\n{proc.stderr[-4000:]}")
    return [Path(line) for line in proc.stdout.splitlines() if line.endswith(".docx")]


def reference_files(folder: Path) -> list[Path]:
    """The letters of a speechgen run in ``folder``, sorted by name."""
    return sorted(p for p in folder.iterdir() if p.suffix == ".docx" and not p.name.startswith("."))


def probe_letters(letters: Sequence[Path], names: Sequence[str]) -> list[Path]:
    """The letter of each recipient in ``names`` (file stems end with ``-NAME``)."""
    by_name = {}
    for p in letters:
        for name in names:
            if p.stem.endswith(f"-{name}"):
                by_name.setdefault(name, p)
    missing = [n for n in names if n not in by_name]
    if missing:
        raise SystemExit(f"no speechgen letter for {missing}")
    return [by_name[n] for n in names]


def load_contexts(work: Path, letters: Sequence[Path], key: str) -> list[dict]:
    """The contexts of ``letters``, cached in ``work/contexts.json`` under ``key``."""
    path = work / CONTEXTS
    if path.exists():
        cached = json.loads(path.read_text(encoding="utf-8"))
        if cached.get("key") == key and len(cached["contexts"]) == len(letters):
            return cached["contexts"]
    work.mkdir(parents=True, exist_ok=True)
    contexts = [letter_context(p) for p in letters]
    path.write_text(
        json.dumps({"key": key, "contexts": contexts}, ensure_ascii=False), encoding="utf-8"
    )
    return contexts


def read_contexts(work: Path) -> list[dict]:
    return json.loads((work / CONTEXTS).read_text(encoding="utf-8"))["contexts"]


# ------------------------------------------------------------------ comparing texts


def text_mismatch(ours: Sequence[str], theirs: Sequence[str]) -> str | None:
    """None when both paragraph lists are equal, else a description of the first difference."""
    if list(ours) == list(theirs):
        return None
    for i, (a, b) in enumerate(zip(ours, theirs, strict=False)):
        if a != b:
            return f"paragraph {i + 1}: speechgen {a!r} != baseline {b!r}"
    return f"speechgen has {len(ours)} paragraphs, the baseline {len(theirs)}"


def check_same_text(label: str, reference: Path, produced: Path) -> None:
    """Stop unless ``produced`` has exactly the text of speechgen's ``reference`` letter."""
    from common import docx_texts

    diff = text_mismatch(docx_texts(reference), docx_texts(produced))
    if diff is not None:
        raise SystemExit(f"{reference.name}: {label} text differs from speechgen's: {diff}")


# ------------------------------------------------------------------ the python-docx layout


def _fonts(run, name: str, size_pt: float) -> None:
    """Font of a run, East Asian slot included (python-docx's font.name leaves it out)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name
    run.font.size = Pt(size_pt)
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _field_runs(p, field: MergeField, font: str, size: float) -> None:
    """A complex MERGEFIELD: begin, instruction, separate, «name», end (formatted runs)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str):
        run = p.add_run()
        _fonts(run, font, size)
        fc = OxmlElement("w:fldChar")
        fc.set(qn("w:fldCharType"), kind)
        run._r.append(fc)

    char("begin")
    run = p.add_run()
    _fonts(run, font, size)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" MERGEFIELD {field.name} "
    run._r.append(instr)
    char("separate")
    _fonts(p.add_run(f"«{field.name}»"), font, size)
    char("end")


def _add_pieces(p, pieces: Sequence[str | MergeField], font: str, size: float) -> None:
    """Runs of a paragraph: consecutive strings make one run, a MergeField its field runs."""
    text = ""
    for piece in pieces:
        if isinstance(piece, MergeField):
            if text:
                _fonts(p.add_run(text), font, size)
                text = ""
            _field_runs(p, piece, font, size)
        else:
            text += piece
    if text:
        _fonts(p.add_run(text), font, size)


def new_document():
    """An empty A4 公文 document: margins, the Normal style's font and exact line spacing."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
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
    pf.line_spacing = Pt(LINE_PT)
    pf.space_before = pf.space_after = Pt(0)
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    return doc


def build_letter(spec: dict, loops: bool = False):
    """The letter as a python-docx Document.

    ``spec`` has the keys of :func:`letter_context`; each string may be a :class:`MergeField`.
    ``loops``: docxtpl's template, where each list holds one item of Jinja tags wrapped in
    ``{%p for %}`` / ``{%p endfor %}`` paragraphs (docxtpl removes those paragraphs).
    """
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = new_document()

    def para(pieces, font: str = BODY_FONT, size: float = 16, indent: bool = True, **kw):
        p = doc.add_paragraph()
        if indent:
            p.paragraph_format.first_line_indent = Pt(32)
        for key, value in kw.items():
            setattr(p.paragraph_format, key, value)
        _add_pieces(p, pieces, font, size)
        return p

    para(
        [spec["title"]],
        TITLE_FONT,
        22,
        indent=False,
        alignment=WD_ALIGN_PARAGRAPH.CENTER,
        line_spacing=Pt(35),
        space_after=Pt(LINE_PT),
    )
    para(["甲方：", spec["party_a"]], indent=False)
    para(["乙方：", spec["party_b"]], indent=False)
    para([spec["preamble"]])
    for key, heading in zip(LISTS, HEADINGS, strict=False):
        para([heading], HEADING_FONT, keep_with_next=True)
        if loops:
            doc.add_paragraph(f"{{%p for t in {key} %}}")
        for item in spec[key]:
            para(["（", item["n"], "）", item["text"]])
        if loops:
            doc.add_paragraph("{%p endfor %}")
    para([HEADINGS[3]], HEADING_FONT, keep_with_next=True)
    para([spec["term"]])
    para([HEADINGS[4]], HEADING_FONT, keep_with_next=True)
    para([spec["other"]])

    table = doc.add_table(rows=1, cols=2)  # python-docx's default table style: no borders
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, key in zip(table.rows[0].cells, SIGN_CELLS, strict=True):
        cell.width = Mm(78)
        first = cell.paragraphs[0]
        if loops:
            first.add_run(f"{{%p for line in {key} %}}")
        for i, line in enumerate(spec[key]):
            p = first if i == 0 and not loops else cell.add_paragraph()
            p.paragraph_format.space_before = Pt(LINE_PT)
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT
            _add_pieces(p, [line], BODY_FONT, 16)
        if loops:
            cell.add_paragraph("{%p endfor %}")
    doc.add_paragraph()

    # footer: “— PAGE —”, centred, 宋体 14 pt (a PAGE field has no python-docx API)
    fp = doc.sections[0].footer.paragraphs[0]
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(fp.add_run("— "), "宋体", 14)
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    run = fp.add_run("1")
    _fonts(run, "宋体", 14)
    fld.append(run._element)
    fp._p.append(fld)
    _fonts(fp.add_run(" —"), "宋体", 14)

    if isinstance(spec["title"], str) and isinstance(spec["party_b"], str):
        # a mail-merge template has no fields in its properties; the others fill them
        doc.core_properties.title = f"{spec['title']}（{spec['party_b']}）"
        doc.core_properties.author = spec["party_a"]
    return doc
