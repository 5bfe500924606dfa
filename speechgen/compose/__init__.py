"""Composition: from a validated job to document models.

:func:`plan_job` returns a :class:`JobDocuments`: how many documents the job
yields, each one's file stem, label and row problems, known before anything
is composed, so names can be allocated and bad rows reported up front, and
:meth:`JobDocuments.compose` builds document ``i`` on demand (in any process).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ..errors import Finding, UserError
from ..model import Document


class JobDocuments(Protocol):
    """The documents of one job, composed one at a time."""

    def __len__(self) -> int: ...
    def stem(self, i: int) -> str: ...
    def label(self, i: int) -> str: ...
    def problems(self, i: int) -> list[Finding]: ...
    def compose(self, i: int) -> Document: ...


@dataclass
class Rendered:
    """One composed document and what it is for (recipient, quarter …)."""

    document: Document
    label: str = ""


@dataclass
class RowFailure:
    """A batch row that could not be composed (reported with its row)."""

    label: str
    findings: list[Finding] = field(default_factory=list)


def plan_job(
    job: Any, library: Any, seed: int = 0, templates: str | Path | None = None
) -> JobDocuments:
    """The documents ``job`` will yield (nothing composed yet): its kind's composer
    (speechgen/doctypes)."""
    from ..doctypes import DOCTYPES

    doctype = DOCTYPES.get(job.type)
    if doctype is None:
        raise ValueError(f"unknown job type {job.type}")  # the loader rejects other types
    return doctype.plan(job, library, seed, templates)


@dataclass
class Unit:
    """One document of a job as a batch sees it before composing: streamed, never all held.

    ``errors`` are input errors of its row (the job cannot be rendered, as when
    the loader finds them); ``problems`` make only this row fail (``--keep-going``
    renders the others); ``payload`` is what :func:`compose_unit` needs.
    """

    index: int
    stem: str
    label: str
    payload: Any
    problems: list[Finding] = field(default_factory=list)
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)


def units(
    docs: JobDocuments, want: Callable[[int], bool] | None = None, findings: bool = True
) -> Iterator[Unit]:
    """The documents of ``docs`` one at a time, in order, read afresh on each call.

    ``want(index)`` false: the unit is only passed by (a worker names it but
    another writes it), so its problems and warnings are not looked for (its
    ``errors``, input errors of its row, still are). ``findings`` false: nor
    for the wanted ones (the second pass of a batch, after the first found
    them). A batch whose rows are streamed (letters) gives its own
    :meth:`units`; other jobs are short lists, read through their index API.
    """
    own = getattr(docs, "units", None)
    if own is not None:
        yield from own(want, findings)
        return
    for i in range(len(docs)):
        wanted = findings and (want is None or want(i))
        yield Unit(i, docs.stem(i), docs.label(i), i, docs.problems(i) if wanted else [])


def compose_unit(docs: JobDocuments, unit: Unit) -> Document:
    """The document of ``unit`` (from :func:`units`)."""
    own = getattr(docs, "compose_unit", None)
    return own(unit) if own is not None else docs.compose(unit.payload)


def row_problems(docs: JobDocuments) -> dict[int, list[Finding]]:
    """Problems of each bad row, by index (e.g. placeholders a recipient cannot fill)."""
    out: dict[int, list[Finding]] = {}
    for i in range(len(docs)):
        found = docs.problems(i)
        if found:
            out[i] = found
    return out


def compose_job(
    job: Any,
    library: Any,
    seed: int = 0,
    templates: str | Path | None = None,
    *,
    keep_going: bool = False,
) -> Iterator[Rendered | RowFailure]:
    """Every document of ``job`` in order (one for a speech, many for a batch).

    Without ``keep_going`` a batch with an invalid row raises
    :class:`~speechgen.errors.UserError` before the first document is yielded.
    """
    docs = plan_job(job, library, seed, templates)
    bad = row_problems(docs)
    if bad and not keep_going:
        raise UserError(BAD_ROWS_MESSAGE, [f for fs in bad.values() for f in fs])
    for i in range(len(docs)):
        if i in bad:
            yield RowFailure(docs.label(i), bad[i])
        else:
            yield Rendered(docs.compose(i), docs.label(i))


BAD_ROWS_MESSAGE = "有数据不全的行，未生成任何文件（可加 --keep-going 先生成其余各行）"
