"""Block markup: what document templates emit and how it becomes the model.

A small Markdown-like format, parsed here without the ``markdown`` package
(a letter batch parses thousands of these, and the format is line-based):

- ``# 标题`` … ``#### 标题``: a heading of level 1–4 (numbers are added later);
- a paragraph is one or more lines up to a blank line, joined without spaces;
  ``{.role}`` at its end sets the role (``body`` by default); ``*一是……。*``
  at its start is the inline item title (``Paragraph.lead``);
- ``+++`` on its own line: a page break;
- directive blocks, each closed by a line ``:::``::

      ::: redheader          (line 1 mark, line 2 document number)
      ::: table 1,6,3,3,2    (cells split on |; first row is the header)
      ::: signature          (two cells a line: left | right)
      ::: imprint            (key: value lines; keys cc, by, date)

Every ``{{ value }}`` a template prints passes through :func:`escape_inline`,
so text from an input can never open a heading, a directive or a table cell.
"""

from __future__ import annotations

import re

from .memo import Memo
from .model import (
    PARAGRAPH_ROLES,
    Block,
    Heading,
    Imprint,
    PageBreak,
    Paragraph,
    RedHeader,
    SignatureTable,
    Table,
)

_SPECIAL = set("\\|{}*#:+")
_SPECIAL_RE = re.compile(r"[\\|{}*#:+]")
_NEEDS_WORK = re.compile(r"[\\|{}*#:+\r\n]")
_ROLE_RE = re.compile(r"(?<!\\)\{\.([a-z_]+)\}\s*$")
_HEADING_RE = re.compile(r"^(#{1,4}) +(.*)$")
_WS_NL = re.compile(r"\s*[\r\n]+\s*")


class MarkupError(ValueError):
    """The template produced markup that does not parse (a template bug)."""


def escape_inline(text: str) -> str:
    """Make ``text`` inert inside markup: escape specials, fold line breaks."""
    if not text or not _NEEDS_WORK.search(text):
        return text
    text = _WS_NL.sub("", text)
    return _SPECIAL_RE.sub(lambda m: "\\" + m.group(0), text)


def unescape(text: str) -> str:
    """Undo :func:`escape_inline`."""
    if "\\" not in text:
        return text
    out: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n:
            out.append(text[i + 1])
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def split_cells(line: str) -> list[str]:
    """Split a table line on unescaped ``|`` and unescape each cell."""
    cells: list[str] = []
    cur: list[str] = []
    i = 0
    n = len(line)
    while i < n:
        c = line[i]
        if c == "\\" and i + 1 < n:
            cur.append(line[i : i + 2])
            i += 2
            continue
        if c == "|":
            cells.append(unescape("".join(cur).strip()))
            cur = []
        else:
            cur.append(c)
        i += 1
    cells.append(unescape("".join(cur).strip()))
    return cells


def _find_unescaped(text: str, ch: str, start: int) -> int:
    i = start
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == ch:
            return i
        i += 1
    return -1


PARAS_MAX = 2048
_PARAS: Memo[str, tuple[str, str, str]] = Memo(PARAS_MAX)  # raw markup -> (text, role, lead)


def _paragraph(raw: str) -> Paragraph:
    """A paragraph of markup as a new :class:`Paragraph` (its reading is memoised by the
    raw text: the documents of a batch repeat most paragraphs)."""
    got = _PARAS.get(raw)
    if got is None and (got := _PARAS.recall(raw)) is None:
        got = _PARAS.keep(raw, _read_paragraph(raw))
    text, role, lead = got
    return Paragraph(text=text, role=role, lead=lead)


def _read_paragraph(raw: str) -> tuple[str, str, str]:
    role = "body"
    m = _ROLE_RE.search(raw)
    if m:
        role = m.group(1)
        if role not in PARAGRAPH_ROLES:
            raise MarkupError(f"unknown paragraph role: {role}")
        raw = raw[: m.start()].rstrip()
    lead = ""
    if raw.startswith("*"):
        end = _find_unescaped(raw, "*", 1)
        if end > 0:
            lead = unescape(raw[1:end])
            raw = raw[end + 1 :]
    return unescape(raw), role, lead


def _directive(name: str, arg: str, lines: list[str]) -> Block:
    if name == "redheader":
        mark = unescape(lines[0]) if lines else ""
        number = unescape(lines[1]) if len(lines) > 1 else ""
        return RedHeader(mark=mark, doc_number=number)
    if name == "table":
        rows = [split_cells(x) for x in lines]
        if not rows:
            raise MarkupError("empty table")
        widths = [float(w) for w in arg.split(",")] if arg else []
        return Table(header=rows[0], rows=rows[1:], widths=widths)
    if name == "signature":
        left: list[str] = []
        right: list[str] = []
        for x in lines:
            cells = split_cells(x) + [""]
            left.append(cells[0])
            right.append(cells[1])
        return SignatureTable(left=left, right=right)
    if name == "imprint":
        values: dict[str, str] = {}
        for x in lines:
            sep = _find_unescaped(x, ":", 0)
            if sep < 0:
                raise MarkupError(f"imprint line without key: {x!r}")
            values[x[:sep].strip()] = unescape(x[sep + 1 :].strip())
        return Imprint(
            printed_by=values.get("by", ""),
            printed_date=values.get("date", ""),
            cc=values.get("cc", ""),
        )
    raise MarkupError(f"unknown directive: {name}")


def parse(source: str) -> list[Block]:
    """Parse block markup into model blocks (headings not yet numbered)."""
    blocks: list[Block] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            text = "".join(para)
            para.clear()
            if text.strip():
                blocks.append(_paragraph(text))

    lines = source.split("\n")
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i].strip()
        i += 1
        if not line:
            flush()
            continue
        if line.startswith(":::"):
            flush()
            head = line[3:].strip().split(None, 1)
            if not head:
                raise MarkupError("directive closed without being opened")
            name = head[0]
            arg = head[1] if len(head) > 1 else ""
            body: list[str] = []
            while i < n and lines[i].strip() != ":::":
                if lines[i].strip():
                    body.append(lines[i].strip())
                i += 1
            if i >= n:
                raise MarkupError(f"directive {name} is not closed")
            i += 1
            blocks.append(_directive(name, arg, body))
            continue
        if line == "+++":
            flush()
            blocks.append(PageBreak())
            continue
        m = _HEADING_RE.match(line)
        if m:
            flush()
            blocks.append(Heading(text=unescape(m.group(2).strip()), level=len(m.group(1))))
            continue
        para.append(line)
    flush()
    return blocks
