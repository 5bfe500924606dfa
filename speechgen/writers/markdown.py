"""A readable Markdown preview of a :class:`~speechgen.model.Document`.

Python-Markdown with the ``attr_list`` and ``tables`` extensions turns it into
the HTML preview (:mod:`speechgen.writers.html`): roles that change the look
carry an attribute list (``{: .signature }``), the red header, the signature
block and the 版记 are small raw HTML blocks.
"""

from __future__ import annotations

import html
import re

from ..model import (
    Document,
    Heading,
    Imprint,
    PageBreak,
    Paragraph,
    RedHeader,
    SignatureTable,
    Table,
)

# Roles written as a plain paragraph (body look) without a class.
_PLAIN_ROLES = frozenset({"body", "closing"})

_INLINE_SPECIAL = re.compile(r"([\\`*_{}\[\]<])")
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")
_ENTITY = re.compile(r"&(?=#?\w+;)")


def escape_md(text: str, *, cell: bool = False) -> str:
    """Make ``text`` literal in Markdown: no emphasis, link, HTML or entity."""
    text = text.replace("\r", "").replace("\n", " ")
    text = _ENTITY.sub("&amp;", text)
    text = _INLINE_SPECIAL.sub(lambda m: "&lt;" if m.group(1) == "<" else "\\" + m.group(1), text)
    if cell:
        text = text.replace("|", "\\|")
    else:
        text = _LINE_START.sub(lambda m: m.group(1) + _escape_marker(m.group(2)), text)
    return text


def _escape_marker(marker: str) -> str:
    if marker[-1] in ".)":
        return marker[:-1] + "\\" + marker[-1]
    return "\\" + marker


def _attr(role: str) -> str:
    return "{: ." + role.replace("_", "-") + " }"


def _text(b: Paragraph | Heading) -> str:
    return escape_md(b.full_text)


def render_markdown(doc: Document) -> str:
    """The document as Markdown: title ``# ``, headings as bold lines with their
    numbers, tables as pipe tables, roles as ``{: .role }`` attribute lists."""
    out: list[str] = []
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            role = b.role
            if role == "title":
                out.append(f"# {_text(b)} {_attr('title')}")
            elif role == "attachment_title":
                out.append(f"## {_text(b)} {_attr('attachment_title')}")
            elif role in _PLAIN_ROLES:
                out.append(_text(b))
            else:
                out.append(f"{_text(b)}\n{_attr(role)}")
        elif isinstance(b, Heading):
            out.append(f"**{_text(b)}**\n{{: .heading-{b.level} }}")
        elif isinstance(b, Table):
            out.append(_pipe_table(b))
        elif isinstance(b, RedHeader):
            number = html.escape(b.doc_number)
            out.append(
                '<div class="red-header">\n'
                f'<p class="mark">{html.escape(b.mark)}</p>\n'
                f'<p class="doc-number">{number}</p>\n'
                '<hr class="red-rule" />\n'
                "</div>"
            )
        elif isinstance(b, SignatureTable):
            out.append(_signature(b))
        elif isinstance(b, Imprint):
            out.append(_imprint(b))
        elif isinstance(b, PageBreak):
            out.append('<hr class="page-break" />')
    return "\n\n".join(out) + "\n"


def _pipe_table(t: Table) -> str:
    ncols = max([len(t.header)] + [len(r) for r in t.rows]) or 1

    def row(cells: list[str]) -> str:
        cells = list(cells) + [""] * (ncols - len(cells))
        return "| " + " | ".join(escape_md(c, cell=True) for c in cells) + " |"

    centred = [i < len(t.header) and t.header[i].strip() in ("序号", "编号") for i in range(ncols)]
    rule = "| " + " | ".join(":---:" if c else "---" for c in centred) + " |"
    return "\n".join([row(t.header), rule] + [row(r) for r in t.rows])


def _signature(s: SignatureTable) -> str:
    def cell(lines: list[str]) -> str:
        return "".join(f"<p>{html.escape(x)}</p>" for x in lines)

    return (
        '<table class="signature">\n'
        f"<tr><td>{cell(s.left)}</td><td>{cell(s.right)}</td></tr>\n"
        "</table>"
    )


def _imprint(b: Imprint) -> str:
    lines = ['<div class="imprint">']
    if b.cc:
        cc = b.cc if b.cc.startswith("抄送") else f"抄送：{b.cc}"
        if not cc.endswith("。"):
            cc += "。"
        lines.append(f'<p class="cc">{html.escape(cc)}</p>')
    lines.append(
        f'<p class="printed"><span>{html.escape(b.printed_by)}</span>'
        f"<span>{html.escape(b.printed_date)}印发</span></p>"
    )
    lines.append("</div>")
    return "\n".join(lines)
