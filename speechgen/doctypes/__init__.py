"""The document kinds: one folder each, holding everything that kind is.

``speechgen/doctypes/<folder>/`` holds a kind's schema part (``schema.py``, built
from the shared specs of :mod:`speechgen.inputs.schema`), its composer
(``composer.py``), its template (``template.md.j2``) and its starter
(``starter.yaml``, and ``starter.xlsx`` for letters). :data:`DOCTYPES` is the
registry: a job type names its folder, the class that plans its documents and
its starter. Adding a document kind is a new folder and one entry here.

Nothing is imported from the folders when this module loads (the schema parts
are read by the loader, the composers only when a job is planned), so the
registry costs nothing at start-up.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FOLDER = Path(__file__).resolve().parent


@dataclass(frozen=True)
class DocType:
    """One job type of spec/INPUT.md."""

    name: str  # the job's ``type``
    gloss: str  # 讲话稿, 讲话提纲, 通知, 目标责任书
    folder: str  # its folder under speechgen/doctypes
    documents: str  # the class of composer.py that plans its documents
    starter: str = "starter.yaml"  # its starter, in its folder

    @property
    def path(self) -> Path:
        return FOLDER / self.folder

    @property
    def starter_path(self) -> Path:
        return self.path / self.starter

    @property
    def template(self) -> Path:
        """The bundled template (a user's ``--templates`` folder names it ``<folder>.md.j2``)."""
        return self.path / "template.md.j2"

    def plan(self, job: Any, library: Any, seed: int, templates: Any) -> Any:
        """The documents of ``job`` (nothing composed yet)."""
        module = importlib.import_module(f"{__name__}.{self.folder}.composer")
        return getattr(module, self.documents)(job, library, seed, templates)


DOCTYPES: dict[str, DocType] = {
    d.name: d
    for d in (
        DocType("speech", "讲话稿", "speech", "SpeechJob"),
        DocType("outline", "讲话提纲", "speech", "SpeechJob", "starter-outline.yaml"),
        DocType("notice", "通知", "notice", "NoticeJob"),
        DocType("letter", "目标责任书", "letter", "LetterJob"),
    )
}


def template_path(name: str) -> Path:
    """The bundled template called ``name`` (``speech``, ``notice``, ``letter``)."""
    return FOLDER / name / "template.md.j2"
