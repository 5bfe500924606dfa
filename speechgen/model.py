"""The document tree: what each block *is*, never how it looks.

Composers build a :class:`Document`; writers (docx, html, md) and the linter
read it. Nothing here knows a font name or a twip; the docx writer owns those.

Roles of a :class:`Paragraph`:

``title``            document title (方正小标宋 二号, centred)
``subtitle``         speaker and date line under a speech title (楷体, centred)
``salutation``       ``同志们：`` flush left
``body``             ordinary body paragraph, first line indented two characters
``addressee``        主送机关, flush left, ends with ``：``
``attachment_note``  ``附件：1.任务分工表`` under a notice body
``signature``        署名 (issuer) at the right
``date``             成文日期 at the right (right-indented four characters)
``attachment_label`` ``附件`` / ``附件1`` on the first line of an attachment page (黑体)
``attachment_title`` title of an attachment, centred (小标宋, smaller than the main title)
``closing``          closing words such as ``谢谢大家！`` (body style)

Headings are :class:`Heading` blocks with a level (1–4) and a literal number
(``一、`` ``（一）`` ``1.`` ``（1）``) filled in by :func:`number_headings`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

PARAGRAPH_ROLES = (
    "title",
    "subtitle",
    "salutation",
    "body",
    "addressee",
    "attachment_note",
    "signature",
    "date",
    "attachment_label",
    "attachment_title",
    "closing",
)

DocKind = Literal["speech", "outline", "notice", "letter"]


@dataclass
class Paragraph:
    """A paragraph of text with a role.

    ``lead`` is an inline item title that starts the paragraph
    (``一是排查整治不能停。``); ``text`` follows it in the same paragraph.
    """

    text: str
    role: str = "body"
    lead: str = ""

    @property
    def full_text(self) -> str:
        return self.lead + self.text


@dataclass
class Heading:
    """A numbered heading: level 1 ``一、``, 2 ``（一）``, 3 ``1.``, 4 ``（1）``."""

    text: str
    level: int = 1
    number: str = ""

    @property
    def full_text(self) -> str:
        return self.number + self.text


@dataclass
class Table:
    """A data table (the 任务分工表). ``header`` repeats on every page."""

    header: list[str]
    rows: list[list[str]]
    widths: list[float] = field(default_factory=list)  # relative column widths
    role: str = "tasks"


@dataclass
class RedHeader:
    """版头 of a notice: the red 发文机关标志, the 发文字号 and the red rule."""

    mark: str
    doc_number: str = ""


@dataclass
class SignatureTable:
    """Borderless two-column signing block of a responsibility letter.

    Each side is a list of lines, e.g. ``["甲方：青山县人民政府（盖章）",
    "县长（签字）："]``.
    """

    left: list[str]
    right: list[str]


@dataclass
class Imprint:
    """版记: 抄送 line and 印发机关/印发日期 between full-width rules."""

    printed_by: str
    printed_date: str
    cc: str = ""


@dataclass
class Image:
    """A picture carried over from an input document (``speechgen format``).

    ``data`` is the image file as it was stored, ``ext`` its extension
    (``png``, ``jpeg`` …); ``width``/``height`` the displayed size in EMU.
    """

    data: bytes
    ext: str
    width: int
    height: int
    name: str = ""


@dataclass
class PageBreak:
    """Start a new page (before an attachment)."""


Block = Paragraph | Heading | Table | RedHeader | SignatureTable | Imprint | Image | PageBreak


@dataclass
class Document:
    """One output document.

    ``name`` is the file stem (without extension); ``meta`` holds document
    properties taken from the input (title, author, date as ``2024-04-10``,
    keywords), never from the clock. ``sealed`` lays the 署名 and 成文日期 out
    for a seal (spec/FORMAT.md v2; the notice input's ``sealed: true``).
    """

    kind: str
    name: str
    blocks: list[Block] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    sealed: bool = False

    def add(self, block: Block) -> Block:
        self.blocks.append(block)
        return block

    def plain_text(self) -> str:
        """All text of the document, one block a line (for lint and length)."""
        lines: list[str] = []
        for b in self.blocks:
            if isinstance(b, (Paragraph, Heading)):
                lines.append(b.full_text)
            elif isinstance(b, Table):
                lines.append("\t".join(b.header))
                lines.extend("\t".join(r) for r in b.rows)
            elif isinstance(b, RedHeader):
                lines.extend(x for x in (b.mark, b.doc_number) if x)
            elif isinstance(b, SignatureTable):
                lines.extend(b.left + b.right)
            elif isinstance(b, Imprint):
                if b.cc:
                    lines.append(b.cc)
                lines.append(f"{b.printed_by} {b.printed_date}")
        return "\n".join(lines)


CN_DIGITS = "零一二三四五六七八九"


def cn_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五, 110 → 一百一十 (1–999)."""
    if n < 1 or n > 999:
        raise ValueError(f"ordinal out of range: {n}")
    if n < 10:
        return CN_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        head = "" if tens == 1 else CN_DIGITS[tens]
        return head + "十" + (CN_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    out = CN_DIGITS[hundreds] + "百"
    if rest == 0:
        return out
    if rest < 10:
        return out + "零" + CN_DIGITS[rest]
    tens, ones = divmod(rest, 10)
    return out + CN_DIGITS[tens] + "十" + (CN_DIGITS[ones] if ones else "")


def heading_number(level: int, n: int) -> str:
    """The literal GB/T 9704 marker for the n-th heading at ``level``."""
    if level == 1:
        return f"{cn_ordinal(n)}、"
    if level == 2:
        return f"（{cn_ordinal(n)}）"
    if level == 3:
        return f"{n}."
    if level == 4:
        return f"（{n}）"
    raise ValueError(f"heading level out of range: {level}")


def number_headings(blocks: list[Block]) -> None:
    """Fill in ``Heading.number`` in order: restart deeper levels under each parent.

    A :class:`PageBreak` restarts numbering (an attachment is numbered apart).
    """
    counters = [0, 0, 0, 0, 0]
    for b in blocks:
        if isinstance(b, PageBreak):
            counters = [0, 0, 0, 0, 0]
        elif isinstance(b, Heading):
            lvl = b.level
            if not 1 <= lvl <= 4:
                raise ValueError(f"heading level out of range: {lvl}")
            counters[lvl] += 1
            for deeper in range(lvl + 1, 5):
                counters[deeper] = 0
            b.number = heading_number(lvl, counters[lvl])
