"""Render jobs into files: load, plan names, then compose, check and write each document.

This is the work behind ``speechgen render`` and ``speechgen demo``; the CLI
only parses options and prints what this module reports.

A job's output names are allocated in the parent before anything is composed
(so they do not depend on timing), bad rows are reported up front, and each
document is then composed, checked, encoded and written by :func:`_work` —
in this process, or in ``--jobs`` worker processes that each write their own
files. Nothing is held for the whole batch: the parent keeps one small result
record at a time.
"""

from __future__ import annotations

import gc
import multiprocessing
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .compose import BAD_ROWS_MESSAGE, JobDocuments, plan_job, row_problems
from .compose.library import load_library
from .compose.templating import DEFAULT_TIME_LIMIT, set_time_limit
from .errors import ERROR, SpeechgenError, TemplateTimeout, UserError
from .output import Manifest, NameAllocator, OutputExists, clean_stale_temps, write_atomic

PROGRESS_THRESHOLD = 20
CHUNK = 25  # documents per task handed to a worker process


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
    template_timeout: float = DEFAULT_TIME_LIMIT  # seconds per template render (0: none)


@dataclass
class Report:
    """What a render did: the files written and whether anything failed."""

    written: list[Path] = field(default_factory=list)
    failed: bool = False

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


@dataclass
class Outcome:
    """What became of one document (sent back from a worker)."""

    index: int
    label: str
    files: list[tuple[str, str]] = field(default_factory=list)  # (path, written|unchanged)
    errors: list[str] = field(default_factory=list)
    pdf_source: str = ""


Echo = Callable[[str], None]


def encode(doc: Any, fmt: str) -> bytes:
    """The bytes of ``doc`` in ``fmt`` (docx, html or md)."""
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


# ---------------------------------------------------------------- the work on one chunk

_STATE: dict[str, Any] = {}


def _work(task: tuple[list[tuple[int, str]], str | None]) -> list[Outcome]:
    """Compose, check, encode and write the documents ``(index, stem)`` of a task."""
    items, pdf_tmp = task
    docs: JobDocuments = _STATE["docs"]
    o: RenderOptions = _STATE["options"]
    out: list[Outcome] = []
    for i, stem in items:
        res = Outcome(i, docs.label(i))
        out.append(res)
        if _STATE.get("timed_out"):
            # the template ran out of time once: it would for every document
            res.errors.append(f"《{res.label or stem}》未生成：模板运行超时（见上）")
            continue
        try:
            doc = docs.compose(i)
        except TemplateTimeout as exc:
            _STATE["timed_out"] = True
            res.errors.extend(exc.lines())
            continue
        except SpeechgenError as exc:
            res.errors.extend(exc.lines())
            continue
        if o.check:
            from .check import check_document

            found = [f for f in check_document(doc) if f.severity == ERROR]
            if found:
                res.errors.extend(str(f) for f in found)
                res.errors.append(f"《{doc.name}》未通过检查，未写出（可用 --no-check 跳过检查）")
                continue
        statuses: dict[str, str] = {}
        for fmt in o.formats:
            if fmt == "pdf":
                continue
            target = o.outdir / f"{stem}.{fmt}"
            try:
                status = statuses[fmt] = write_atomic(target, encode(doc, fmt), force=o.force)
            except OutputExists:
                res.errors.append(
                    f"{target}: 错误 E401 文件已存在且内容不同，未覆盖（需要覆盖请加 --force）"
                )
                continue
            except OSError as exc:
                res.errors.append(f"{target}: 错误 E402 无法写入：{exc.strerror or exc}")
                continue
            res.files.append((str(target), status))
        if "pdf" in o.formats:
            pdf = o.outdir / f"{stem}.pdf"
            # LibreOffice stamps every PDF anew, so an existing PDF cannot be compared
            # byte for byte: it stands when its .docx is unchanged (which lets a
            # -f docx -f pdf batch be resumed); with -f pdf alone nothing shows
            # whether it is current, so it is refused without --force.
            if not o.force and pdf.exists():
                if statuses.get("docx") == "unchanged":
                    res.files.append((str(pdf), "unchanged"))
                else:
                    res.errors.append(
                        f"{pdf}: 错误 E401 文件已存在，未覆盖（需要覆盖请加 --force）"
                    )
            elif "docx" in o.formats:
                if "docx" in statuses:
                    res.pdf_source = str(o.outdir / f"{stem}.docx")
            elif pdf_tmp:
                src = Path(pdf_tmp) / f"{stem}.docx"
                src.write_bytes(encode(doc, "docx"))
                res.pdf_source = str(src)
    return out


def _init_worker(state: dict[str, Any]) -> None:
    """Worker set-up under the spawn start method (fork inherits ``_STATE``)."""
    from .inputs import load_job

    o: RenderOptions = state["options"]
    set_time_limit(o.template_timeout)
    job = load_job(state["path"])
    library = load_library(o.snippets)
    _STATE.update(options=o, docs=plan_job(job, library, o.seed, o.templates))


def _chunks(items: list[tuple[int, str]], size: int) -> Iterator[list[tuple[int, str]]]:
    for k in range(0, len(items), size):
        yield items[k : k + size]


# ---------------------------------------------------------------- the parent


class Renderer:
    """Renders a list of input files with one set of options."""

    def __init__(self, options: RenderOptions, out: Echo, err: Echo, progress: bool = False):
        self.o = options
        self.out = out
        self.err = err
        self.progress = progress
        self.report = Report()
        self.names = NameAllocator()
        self.pdf_sources: list[Path] = []
        self.manifest: Manifest | None = None
        self._tmpdir: tempfile.TemporaryDirectory | None = None

    def run(self, inputs: Iterable[Path]) -> Report:
        set_time_limit(self.o.template_timeout)
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
            for w in job.warnings:
                self.err(str(w))
            library = load_library(self.o.snippets)
            docs = plan_job(job, library, self.o.seed, self.o.templates)
            bad = row_problems(docs)
            if bad and not self.o.keep_going:
                raise UserError(BAD_ROWS_MESSAGE, [f for fs in bad.values() for f in fs])
        except SpeechgenError as exc:
            self._fail(exc.lines())
            return
        n = len(docs)
        try:
            self.o.outdir.mkdir(parents=True, exist_ok=True)  # only once the job is known good
        except OSError as exc:
            why = "已有同名文件" if self.o.outdir.exists() else (exc.strerror or str(exc))
            self._fail([f"{self.o.outdir}: 错误 E402 无法创建输出文件夹：{why}"])
            return
        if n > 1 and self.manifest is None:
            self.manifest = Manifest(self.o.outdir)
        todo: list[tuple[int, str]] = []
        for i in range(n):
            if i in bad:
                self._fail([str(f) for f in bad[i]])
                self._row("", docs.label(i), "错误", bad[i][0].message)
            else:
                todo.append((i, self.names.allocate(docs.stem(i))))
        pdf_tmp = None
        if "pdf" in self.o.formats and "docx" not in self.o.formats:
            if self._tmpdir is None:
                self._tmpdir = tempfile.TemporaryDirectory(prefix="speechgen-")
            pdf_tmp = self._tmpdir.name
        _STATE.update(options=self.o, docs=docs, timed_out=False)
        results = self._results(todo, pdf_tmp, path)
        if self.progress and n > PROGRESS_THRESHOLD:
            import click

            with click.progressbar(
                length=len(todo), label="正在生成", file=click.get_text_stream("stderr")
            ) as bar:
                for res in results:
                    self._collect(res)
                    bar.update(1)
        else:
            for res in results:
                self._collect(res)

    def _results(
        self, todo: list[tuple[int, str]], pdf_tmp: str | None, path: Path
    ) -> Iterator[Outcome]:
        jobs = min(self.o.jobs, max(1, (len(todo) + CHUNK - 1) // CHUNK))
        if jobs <= 1:
            for chunk in _chunks(todo, CHUNK):
                yield from _work((chunk, pdf_tmp))
            return
        # The first document is rendered here, before forking: imports, compiled
        # templates and snippets, the docx writer's static parts and the
        # linter's caches are then inherited by every worker, not rebuilt by each.
        yield from _work((todo[:1], pdf_tmp))
        todo = todo[1:]
        if _STATE.get("timed_out"):
            yield from _work((todo, pdf_tmp))  # each reported as not written, nothing forked
            return
        methods = multiprocessing.get_all_start_methods()
        if "fork" in methods:
            ctx = multiprocessing.get_context("fork")
            # Move everything built so far out of the collector's sight, so the
            # workers' garbage collections do not touch (and copy) inherited pages.
            gc.freeze()
            pool = ctx.Pool(jobs)
            gc.unfreeze()
        else:  # Windows and macOS defaults: rebuild the job in each worker
            ctx = multiprocessing.get_context("spawn")
            pool = ctx.Pool(jobs, _init_worker, ({"options": self.o, "path": str(path)},))
        with pool:
            for outcomes in pool.imap(_work, ((c, pdf_tmp) for c in _chunks(todo, CHUNK))):
                yield from outcomes

    def _collect(self, res: Outcome) -> None:
        for path, status in res.files:
            if status == "written":
                self.out(path)
            else:
                self.err(f"{path}: 内容未变化，保留原文件")
            self.report.written.append(Path(path))
            self._row(Path(path).name, res.label, "成功" if status == "written" else "未变化", "")
        if res.errors:
            self._fail(res.errors)
            self._row("", res.label, "错误", res.errors[0])
        if res.pdf_source:
            self.pdf_sources.append(Path(res.pdf_source))

    def _row(self, file: str, label: str, status: str, message: str) -> None:
        if self.manifest is not None:
            self.manifest.row(file, label, status, message)

    def _finish_pdf(self) -> None:
        if not self.pdf_sources:
            return
        from .writers.pdf import convert_to_pdf

        with tempfile.TemporaryDirectory(prefix="speechgen-pdf-") as tmp:
            try:
                pdfs = convert_to_pdf(self.pdf_sources, Path(tmp), fonts=True)
            except SpeechgenError as exc:
                self._fail(exc.lines())
                return
            for pdf in pdfs:
                target = self.o.outdir / pdf.name
                try:
                    status = write_atomic(target, pdf.read_bytes(), force=self.o.force)
                except OutputExists:
                    self._fail(
                        [
                            f"{target}: 错误 E401 文件已存在且内容不同，未覆盖（需要覆盖请加 --force）"
                        ]
                    )
                    continue
                self._collect(Outcome(-1, "", files=[(str(target), status)]))

    def _fail(self, lines: list[str]) -> None:
        self.report.failed = True
        for line in lines:
            self.err(line)


def render_paths(
    inputs: Iterable[Path], options: RenderOptions, out: Echo, err: Echo, progress: bool = False
) -> Report:
    """Render every input file; messages go to ``out``/``err``."""
    return Renderer(options, out, err, progress).run(inputs)
