"""Composition: from a validated job to document models."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Finding
from ..model import Document


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
    if job.type in ("speech", "outline"):
        from .speech import compose_speech

        yield Rendered(compose_speech(job, library, seed, templates))
    elif job.type == "notice":
        from .notice import compose_notices

        yield from compose_notices(job, library, seed, templates, keep_going=keep_going)
    elif job.type == "letter":
        from .letter import compose_letters

        yield from compose_letters(job, library, seed, templates, keep_going=keep_going)
    else:  # the loader rejects other types; keep the message for safety
        raise ValueError(f"unknown job type {job.type}")
