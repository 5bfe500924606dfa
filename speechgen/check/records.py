"""Paragraph records: the one shape every text rule reads.

A record is one paragraph as a person counts them: ``index`` is its number
among the non-empty paragraphs of the document in reading order (body
paragraphs and table cells alike), ``text`` its text, ``kind`` what it is
(``title``, ``subtitle``, ``salutation``, ``body``, ``heading``, ``closing``,
``table-cell``, ``mark``, ``doc-number``, ``signature``, ``date``,
``imprint``, ``attachment_label``, ``attachment_title``, ``attachment_note``,
``addressee``, ``textbox``, ``header``, ``footer``, ``yaml``; ``empty`` marks
an empty paragraph inside the model's body). Records come from a model
:class:`~speechgen.model.Document` (here), from a .docx read back
(:mod:`.docx_reader`) or from the string values of a YAML input.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from ..memo import Memo
from ..model import (
    Block,
    Document,
    Heading,
    Imprint,
    PageBreak,
    Paragraph,
    RedHeader,
    SignatureTable,
    Table,
    number_headings,
)
from .textutil import head

#: Kinds that belong to the running text (numbering and announcements are analysed over these).
FLOW_KINDS = frozenset({"body", "heading", "closing", "salutation", "addressee"})


@dataclass
class Record:
    index: int
    text: str
    kind: str = "body"
    level: int = 0
    location: str = ""
    key: str = ""
    el: Any = None  # the w:p element of a .docx paragraph
    info: dict[str, Any] = field(default_factory=dict)  # reader notes (alignment, style id …)
    #: what the numbering analysis reads of it, worked out when first asked
    #: (numbering.analyse; a record is not changed once a rule has read it)
    numbering_key: tuple | None = field(default=None, compare=False, repr=False)
    #: the paragraph rules' results on it and the memo table they were read from
    #: (api.check_records; a record shared by the letters of a batch looks them up once)
    para_found: tuple | None = field(default=None, compare=False, repr=False)
    #: E242's messages on it and the (level, sub-units) they were read for (level_words)
    level_found: tuple | None = field(default=None, compare=False, repr=False)


LOCATIONS_MAX = 1024
#: the render gate's locations: a batch repeats them
_LOCATIONS: Memo[tuple[int, str], str] = Memo(LOCATIONS_MAX)


def para_location(index: int, text: str) -> str:
    """``段12「下面，我讲三点意见」``: paragraph number and the first words."""
    key = (index, text)
    got = _LOCATIONS.get(key)
    if got is None and (got := _LOCATIONS.recall(key)) is None:
        got = _LOCATIONS.keep(key, f"段{index}「{head(text)}」")
    return got


def _numbered_blocks(blocks: list[Block]) -> list[Block]:
    """Blocks with heading numbers filled in, without touching the caller's objects."""
    if all(not isinstance(b, Heading) or b.number for b in blocks):
        return blocks
    copied: list[Block] = [dataclasses.replace(b) if isinstance(b, Heading) else b for b in blocks]
    try:
        number_headings(copied)
    except ValueError:
        pass
    return copied


#: (number, text, kind, level, block note) -> the record: a batch repeats them
RECORDS_MAX = 1024
_RECORDS: Memo[tuple[int, str, str, int, str], Record] = Memo(RECORDS_MAX)


def records_from_document(doc: Document) -> list[Record]:
    """The records of a model document, in reading order.

    A record is made once for a paragraph at its place (its number, text, kind,
    level): documents that share it (the letters of a batch) share the object, so
    records are read, never changed."""
    out: list[Record] = []
    counter = 0
    made = _RECORDS

    def add(text: str, kind: str, level: int = 0, block: str = "") -> None:
        nonlocal counter
        text = text if isinstance(text, str) else str(text)
        if not text.strip():
            if kind in FLOW_KINDS:
                where = f"段{counter}之后" if counter else "开头"
                out.append(Record(0, "", "empty", location=f"{where}（空段落）"))
            return
        counter += 1
        key = (counter, text, kind, level, block)
        rec = made.get(key)
        if rec is None and (rec := made.recall(key)) is None:
            rec = Record(counter, text, kind, level, para_location(counter, text))
            if block:
                rec.info["block"] = block
            made.keep(key, rec)
        out.append(rec)

    for b in _numbered_blocks(list(doc.blocks)):
        if type(b) is Paragraph:  # most blocks: the record looked up here
            text = b.lead + b.text
            rec = made.get((counter + 1, text, b.role or "body", 0, ""))
            if rec is not None:
                counter += 1
                out.append(rec)
            else:
                add(text, b.role or "body")
        elif isinstance(b, Paragraph):
            add(b.full_text, b.role or "body")
        elif isinstance(b, Heading):
            add(b.full_text, "heading", b.level, "Heading")
        elif isinstance(b, Table):
            for cell in b.header:
                add(cell, "table-cell")
            for row in b.rows:
                for cell in row:
                    add(cell, "table-cell")
        elif isinstance(b, RedHeader):
            add(b.mark, "mark")
            add(b.doc_number, "doc-number")
        elif isinstance(b, SignatureTable):
            for line in [*b.left, *b.right]:
                add(line, "signature")
        elif isinstance(b, Imprint):
            if b.cc:
                add(b.cc, "imprint")
            add(f"{b.printed_by}\t{b.printed_date}印发", "imprint")
        elif isinstance(b, PageBreak):
            continue
    return out
