"""Render jobs into files: load, compose, check, write, in that order, per document.

This is the work behind ``speechgen render`` and ``speechgen demo``; the CLI
only parses options and prints what this module reports.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .compose import Rendered, RowFailure, compose_job
from .compose.library import load_library
from .errors import ERROR, SpeechgenError
from .output import Manifest, NameAllocator, OutputExists, clean_stale_temps, write_atomic

FORMATS = ("docx", "pdf", "html", "md")
PROGRESS_THRESHOLD = 20


@dataclass
class RenderOptions:
    outdir: Path = Path("out")
    formats: tuple[str, ...] = ("docx",)
    force: bool = False
    jobs: int = 1
    keep_going: bool = False
    seed: int = 0
    check: bool = True
    snippets: tuple[Path, ...] = ()
    templates: Path | None = None


@dataclass
class Report:
    """What a render did: paths written, messages, and the exit code."""

    written: list[Path] = field(default_factory=list)
    failed: bool = False

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


Echo = Callable[[str], None]


def _encode(doc, fmt: str) -> bytes:
    if fmt == "docx":
        from .writers.docx import render_docx

        return render_docx(doc)
    if fmt == "html":
        from .writers.html import render_html

        return render_html(doc).encode("utf-8")
    if fmt == "md":
        from .writers.markdown import render_markdown

        return render_markdown(doc).encode("utf-8")
    raise ValueError(fmt)


class Renderer:
    """Renders a list of input files with one set of options."""

    def __init__(self, options: RenderOptions, out: Echo, err: Echo, progress: bool = False):
        self.o = options
        self.out = out
        self.err = err
        self.progress = progress
        self.report = Report()
        self.names = NameAllocator()
        self.pdf_sources: list[tuple[Path, Path]] = []  # (docx path, final pdf folder)
        self.manifest: Manifest | None = None
        self._tmpdir: tempfile.TemporaryDirectory | None = None

    # ----------------------------------------------------------------- public
    def run(self, inputs: Iterable[Path]) -> Report:
        self.o.outdir.mkdir(parents=True, exist_ok=True)
        clean_stale_temps(self.o.outdir)
        try:
            for path in inputs:
                self.render_file(Path(path))
            self._finish_pdf()
        finally:
            if self.manifest is not None:
                self.manifest.close()
            if self._tmpdir is not None:
                self._tmpdir.cleanup()
        return self.report

    def render_file(self, path: Path) -> None:
        from .inputs import load_job

        try:
            job = load_job(path)
        except SpeechgenError as exc:
            self._fail(exc.lines())
            return
        for w in job.warnings:
            self.err(str(w))
        try:
            library = load_library(self.o.snippets)
            docs = list(self._compose(job, library))
        except SpeechgenError as exc:
            self._fail(exc.lines())
            return
        batch = len(docs) > 1
        if batch and self.manifest is None:
            self.manifest = Manifest(self.o.outdir)
        items: Iterable = docs
        if self.progress and len(docs) > PROGRESS_THRESHOLD:
            import click

            items = click.progressbar(docs, label="正在生成", file=click.get_text_stream("stderr"))
            with items as bar:
                for item in bar:
                    self._emit(item)
        else:
            for item in items:
                self._emit(item)

    # ----------------------------------------------------------------- steps
    def _compose(self, job, library):
        return compose_job(
            job, library, self.o.seed, self.o.templates, keep_going=self.o.keep_going
        )

    def _emit(self, item: Rendered | RowFailure) -> None:
        if isinstance(item, RowFailure):
            self._fail([str(f) for f in item.findings])
            if self.manifest:
                self.manifest.row(
                    "", item.label, "错误", "；".join(f.message for f in item.findings)
                )
            return
        doc = item.document
        if self.o.check:
            from .check import check_document

            findings = [f for f in check_document(doc) if f.severity == ERROR]
            if findings:
                self._fail(
                    [
                        *map(str, findings),
                        f"《{doc.name}》未通过检查，未写出（可用 --no-check 跳过检查）",
                    ]
                )
                if self.manifest:
                    self.manifest.row("", item.label, "错误", findings[0].message)
                return
        stem = self.names.allocate(doc.name)
        for fmt in self.o.formats:
            if fmt != "pdf":
                self._write(self.o.outdir / f"{stem}.{fmt}", _encode(doc, fmt), item.label)
        if "pdf" in self.o.formats:
            if "docx" in self.o.formats:
                src = self.o.outdir / f"{stem}.docx"
            else:
                if self._tmpdir is None:
                    self._tmpdir = tempfile.TemporaryDirectory(prefix="speechgen-")
                src = Path(self._tmpdir.name) / f"{stem}.docx"
                src.write_bytes(_encode(doc, "docx"))
            self.pdf_sources.append((src, self.o.outdir))

    def _write(self, target: Path, data: bytes, label: str) -> bool:
        try:
            status = write_atomic(target, data, force=self.o.force)
        except OutputExists:
            self._fail(
                [f"{target}: 错误 E401 文件已存在且内容不同，未覆盖（需要覆盖请加 --force）"]
            )
            if self.manifest:
                self.manifest.row(target.name, label, "错误", "文件已存在")
            return False
        except OSError as exc:
            self._fail([f"{target}: 错误 E402 无法写入：{exc.strerror or exc}"])
            return False
        if status == "written":
            self.out(str(target))
        else:
            self.err(f"{target}: 内容未变化，保留原文件")
        self.report.written.append(target)
        if self.manifest:
            self.manifest.row(target.name, label, "成功" if status == "written" else "未变化", "")
        return True

    def _finish_pdf(self) -> None:
        if not self.pdf_sources:
            return
        from .writers.pdf import convert_to_pdf

        with tempfile.TemporaryDirectory(prefix="speechgen-pdf-") as tmp:
            try:
                pdfs = convert_to_pdf([s for s, _ in self.pdf_sources], Path(tmp), fonts=True)
            except SpeechgenError as exc:
                self._fail(exc.lines())
                return
            for pdf, (_, folder) in zip(pdfs, self.pdf_sources, strict=True):
                self._write(folder / pdf.name, pdf.read_bytes(), "")

    def _fail(self, lines: list[str]) -> None:
        self.report.failed = True
        for line in lines:
            self.err(line)


def render_paths(
    inputs: Iterable[Path], options: RenderOptions, out: Echo, err: Echo, progress: bool = False
) -> Report:
    """Render every input file; messages go to ``out``/``err``."""
    return Renderer(options, out, err, progress).run(inputs)
