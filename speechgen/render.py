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
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .compose import BAD_ROWS_MESSAGE, JobDocuments, plan_job, row_problems
from .compose.library import load_library
from .compose.templating import DEFAULT_TIME_LIMIT, set_time_limit
from .errors import ERROR, SpeechgenError, TemplateTimeout, UserError
from .faults import is_fatal, os_error_message, sigterm_raises, worker_signals
from .output import (
    FolderBusy,
    FolderLock,
    Manifest,
    NameAllocator,
    OutputExists,
    OutputIsLink,
    clean_stale_temps,
    temp_folder,
    write_atomic,
)

if TYPE_CHECKING:  # imported where used: a single document needs no process pool
    import tempfile
    from concurrent.futures import Future, ProcessPoolExecutor

PROGRESS_THRESHOLD = 20
CHUNK = 25  # documents per task handed to a worker process
LINK_MESSAGE = (
    "这里已有一个符号链接，为安全起见不写入链接指向的文件，也不替换它"
    "（确认要用新文件替换这个链接请加 --force）"
)
BUSY_MESSAGE = (
    "另一个 speechgen 正在写入该文件夹，本次未写出任何文件：请等它完成后再运行，"
    "或用 -o 换一个输出文件夹"
)


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
    fonts: str | None = None  # --fonts: wins over a job's ``fonts:``


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
    fatal: str = ""  # a fault of the machine that every further file would meet too


Echo = Callable[[str], None]


def encode(doc: Any, fmt: str, fonts: str | None = None) -> bytes:
    """The bytes of ``doc`` in ``fmt`` (docx, html, md or trace); ``fonts`` is the font
    profile of a .docx (spec/FORMAT.md v2; None: the default)."""
    if fmt == "docx":
        from .writers.docx import render_docx

        return render_docx(doc, fonts)
    if fmt == "html":
        from .writers.html import render_html

        return render_html(doc).encode("utf-8")
    if fmt == "md":
        from .writers.markdown import render_markdown

        return render_markdown(doc).encode("utf-8")
    if fmt == "trace":
        from .compose.trace import trace_text

        return trace_text(doc, doc.meta.get("input", "")).encode("utf-8")
    raise ValueError(fmt)


# file name endings of the formats whose ending is not the format's name
SUFFIXES = {"trace": "trace.txt"}


def _fonts(o: RenderOptions, docs: Any) -> str | None:
    """The font profile: --fonts, else the job's ``fonts:``, else the default."""
    job = getattr(docs, "job", None)
    return o.fonts or (job.data.get("fonts") if job is not None else None)


# ---------------------------------------------------------------- the work on one chunk

_STATE: dict[str, Any] = {}


def _work(task: tuple[list[tuple[int, str]], str | None]) -> list[Outcome]:
    """Compose, check, encode and write the documents ``(index, stem)`` of a task."""
    return list(_iter_work(task))


def _iter_work(task: tuple[list[tuple[int, str]], str | None]) -> Iterator[Outcome]:
    """:func:`_work` one document at a time (in-process, each is reported as soon as written)."""
    items, pdf_tmp = task
    for i, stem in items:
        if _STATE.get("fatal"):
            return  # not attempted: the parent names them among the documents not written
        yield _one(i, stem, pdf_tmp)


def _one(i: int, stem: str, pdf_tmp: str | None) -> Outcome:
    """Compose, check, encode and write document ``i`` under the name ``stem``."""
    docs: JobDocuments = _STATE["docs"]
    o: RenderOptions = _STATE["options"]
    res = Outcome(i, docs.label(i))
    if _STATE.get("timed_out"):
        # the template ran out of time once: it would for every document
        res.errors.append(f"《{res.label or stem}》未生成：模板运行超时（见上）")
        return res
    try:
        doc = docs.compose(i)
    except TemplateTimeout as exc:
        _STATE["timed_out"] = True
        res.errors.extend(exc.lines())
        return res
    except SpeechgenError as exc:
        res.errors.extend(exc.lines())
        return res
    if o.check:
        from .check import check_document

        found = [f for f in check_document(doc) if f.severity == ERROR]
        if found:
            res.errors.extend(str(f) for f in found)
            res.errors.append(f"《{doc.name}》未通过检查，未写出（可用 --no-check 跳过检查）")
            return res
    with _WRITING:
        _write(res, doc, stem, o, pdf_tmp)
    return res


def _write(res: Outcome, doc: Any, stem: str, o: RenderOptions, pdf_tmp: str | None) -> None:
    """Write one composed document in every format; what happened goes into ``res``."""
    statuses: dict[str, str] = {}
    fonts = _fonts(o, _STATE["docs"])
    for fmt in o.formats:
        if fmt == "pdf" or (fmt == "trace" and "trace" not in doc.meta):
            continue  # only composed speeches carry a trace
        target = o.outdir / f"{stem}.{SUFFIXES.get(fmt, fmt)}"
        try:
            status = statuses[fmt] = write_atomic(target, encode(doc, fmt, fonts), force=o.force)
        except OutputIsLink:
            res.errors.append(f"{target}: 错误 E401 {LINK_MESSAGE}")
            continue
        except OutputExists:
            res.errors.append(
                f"{target}: 错误 E401 文件已存在且内容不同，未覆盖（需要覆盖请加 --force）"
            )
            continue
        except OSError as exc:
            res.errors.append(f"{target}: 错误 E402 {os_error_message(exc)}")
            if is_fatal(exc):
                res.fatal = _STATE["fatal"] = os_error_message(exc)
                break
            continue
        res.files.append((str(target), status))
    if res.fatal:
        return
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
                res.errors.append(f"{pdf}: 错误 E401 文件已存在，未覆盖（需要覆盖请加 --force）")
        elif "docx" in o.formats:
            if "docx" in statuses:
                res.pdf_source = str(o.outdir / f"{stem}.docx")
        elif pdf_tmp:
            src = Path(pdf_tmp) / f"{stem}.docx"
            try:
                src.write_bytes(encode(doc, "docx", fonts))
            except OSError as exc:
                res.errors.append(f"{src}: 错误 E402 {os_error_message(exc)}")
                res.fatal = _STATE["fatal"] = os_error_message(exc)
                return
            res.pdf_source = str(src)


#: held while a document's files are written; a worker whose parent is gone waits for it
_WRITING = threading.Lock()


def _watch_parent(parent: int) -> None:
    """End this worker soon after its parent is gone (killed by SIGKILL or the OOM killer).

    The parent's death does not end a worker waiting for its next task; this
    thread notices, lets a write in progress finish, and exits.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        _WRITING.acquire(timeout=10)
        os._exit(1)

    threading.Thread(target=watch, name="speechgen-parent-watch", daemon=True).start()


def _init_forked_worker(parent: int) -> None:
    worker_signals()
    _watch_parent(parent)


def _init_worker(state: dict[str, Any]) -> None:
    """Worker set-up under the spawn start method (fork inherits ``_STATE``)."""
    from .inputs import load_job

    worker_signals()
    _watch_parent(state["parent"])
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
    """Renders a list of input files with one set of options.

    Whatever ends a run early — a full disk or another fault of the machine
    (:mod:`.faults`), a worker process that died, Ctrl-C, SIGTERM, a closed
    standard output — the cleanup in :meth:`run` stops the workers, removes
    every temporary file, never renames a half-written manifest into place and
    releases the folder lock; every file reported as written is complete.
    """

    def __init__(self, options: RenderOptions, out: Echo, err: Echo, progress: bool = False):
        self.o = options
        self.out = out
        self.err = err
        self.progress = progress
        self.report = Report()
        self.names = NameAllocator()
        self.pdf_sources: list[Path] = []
        self.manifest: Manifest | None = None
        self.lock: FolderLock | None = None
        self.stopped = ""  # why the run stopped early (a fault of the machine, a dead worker)
        self._done: set[int] = set()
        self._executor: ProcessPoolExecutor | None = None
        self._tmpdir: tempfile.TemporaryDirectory | None = None
        self.unchanged = 0  # files left as they were: told in one line at the end

    def run(self, inputs: Iterable[Path]) -> Report:
        set_time_limit(self.o.template_timeout)
        complete = False
        try:
            with sigterm_raises():
                paths = [Path(p) for p in inputs]
                for k, path in enumerate(paths):
                    if self.stopped:
                        rest = "、".join(str(p) for p in paths[k:])
                        self._fail([f"以下输入文件未处理：{rest}"])
                        break
                    self.render_file(path)
                if not self.stopped:
                    self._finish_pdf()
                if self.unchanged:
                    self.err(f"{self.unchanged} 个文件内容未变化，保留原文件（未重写）。")
                complete = True
        finally:
            self._shutdown_pool(finished=complete)
            self._close_manifest(complete)
            if self._tmpdir is not None:
                self._tmpdir.cleanup()
            if self.lock is not None:
                # a terminated worker's, and an interrupted write's of this process
                clean_stale_temps(self.o.outdir, mine=True)
                self.lock.release()
        return self.report

    def render_file(self, path: Path) -> None:
        from .inputs import load_job

        try:
            job = load_job(path)
            for w in job.warnings:
                self.err(str(w))
            library = load_library(self.o.snippets)
            docs = plan_job(job, library, self.o.seed, self.o.templates)
            for w in getattr(docs, "warnings", []):
                self.err(str(w))
            bad = row_problems(docs)
            if bad and not self.o.keep_going:
                raise UserError(BAD_ROWS_MESSAGE, [f for fs in bad.values() for f in fs])
        except SpeechgenError as exc:
            self._fail(exc.lines())
            return
        n = len(docs)
        if not self._prepare_folder(n):
            return
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
                self._tmpdir = temp_folder(self.o.outdir)
            pdf_tmp = self._tmpdir.name
        _STATE.update(options=self.o, docs=docs, timed_out=False, fatal="")
        self._done = set()
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
        if self.stopped:
            missing = [(i, docs.label(i) or stem) for i, stem in todo if i not in self._done]
            if missing:
                names = "、".join(label for _i, label in missing)
                self._fail([f"以下 {len(missing)} 份文件未写出：{names}"])
                for _i, label in missing:
                    self._row("", label, "未写出", self.stopped)

    def _prepare_folder(self, n: int) -> bool:
        """Create and lock the output folder, open the manifest; False (reported) when it cannot."""
        folder = self.o.outdir
        try:
            folder.mkdir(parents=True, exist_ok=True)  # only once the job is known good
        except OSError as exc:
            exists = os.path.lexists(folder) and not os.path.isdir(folder)
            why = "已有同名文件（不是文件夹）" if exists else os_error_message(exc)
            self._fail([f"{folder}: 错误 E402 无法创建输出文件夹：{why}"])
            if not exists and is_fatal(exc):
                self.stopped = why
            return False
        if self.lock is None:
            lock = FolderLock(folder)
            try:
                lock.acquire()
            except FolderBusy:
                self._fail([f"{folder}: 错误 E403 {BUSY_MESSAGE}"])
                self.stopped = BUSY_MESSAGE
                return False
            except OSError as exc:
                self._fail([f"{folder}: 错误 E402 {os_error_message(exc)}"])
                self.stopped = os_error_message(exc)
                return False
            self.lock = lock
            clean_stale_temps(folder)
        if n > 1 and self.manifest is None:
            try:
                self.manifest = Manifest(folder, force=self.o.force)
            except OutputIsLink:
                self._fail([f"{folder / 'manifest.csv'}: 错误 E401 {LINK_MESSAGE}"])
                return False
            except OutputExists:
                self._fail(
                    [
                        f"{folder / 'manifest.csv'}: 错误 E401 文件已存在且不是 speechgen 生成的清单，"
                        "未覆盖，本批文件未生成（需要覆盖请加 --force，或换一个输出文件夹）"
                    ]
                )
                return False
            except OSError as exc:
                self._fail([f"{folder / 'manifest.csv'}: 错误 E402 {os_error_message(exc)}"])
                if is_fatal(exc):
                    self.stopped = os_error_message(exc)
                return False
        return True

    def _results(
        self, todo: list[tuple[int, str]], pdf_tmp: str | None, path: Path
    ) -> Iterator[Outcome]:
        jobs = min(self.o.jobs, max(1, (len(todo) + CHUNK - 1) // CHUNK))
        if jobs <= 1:
            for chunk in _chunks(todo, CHUNK):
                for res in _iter_work((chunk, pdf_tmp)):
                    yield res
                    if self.stopped:
                        return
                if _STATE.get("fatal"):
                    return
            return
        # The first document is rendered here, before forking: imports, compiled
        # templates and snippets, the docx writer's static parts and the
        # linter's caches are then inherited by every worker, not rebuilt by each.
        yield from _iter_work((todo[:1], pdf_tmp))
        todo = todo[1:]
        if self.stopped or _STATE.get("fatal"):
            return
        if _STATE.get("timed_out"):
            yield from _iter_work((todo, pdf_tmp))  # each reported as not written, nothing forked
            return
        # concurrent.futures, not multiprocessing.Pool: a worker killed by the
        # OOM killer or SIGKILL breaks the pool (BrokenProcessPool) instead of
        # leaving the parent waiting forever for its results.
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        if "fork" in multiprocessing.get_all_start_methods():
            ctx = multiprocessing.get_context("fork")
            init: Callable[..., None] = _init_forked_worker
            args: tuple = (os.getpid(),)
        else:  # Windows and macOS defaults: rebuild the job in each worker
            ctx = multiprocessing.get_context("spawn")
            init = _init_worker
            args = ({"options": self.o, "path": str(path), "parent": os.getpid()},)
        executor = self._executor = ProcessPoolExecutor(
            jobs, mp_context=ctx, initializer=init, initargs=args
        )
        chunks = list(_chunks(todo, CHUNK))
        futures: list[Future] = []
        # Move everything built so far out of the collector's sight, so the
        # workers' garbage collections do not touch (and copy) inherited pages.
        # (With fork, the first submit starts every worker.)
        gc.freeze()
        try:
            futures.append(executor.submit(_work, (chunks[0], pdf_tmp)))
        finally:
            gc.unfreeze()
        futures += [executor.submit(_work, (c, pdf_tmp)) for c in chunks[1:]]
        for fut in futures:
            try:
                outcomes = fut.result()
            except BrokenProcessPool:
                self.stopped = "生成进程意外退出"
                self._fail(
                    [
                        "错误 E404 生成文件的子进程意外退出（可能是内存不足被系统终止，或被强行结束），"
                        "批量生成已停止：已写出的文件都是完整的，重新运行会接着生成其余文件"
                        "（内存不足时请减少 --jobs）"
                    ]
                )
                return
            except Exception as exc:  # noqa: BLE001 - MemoryError or a bug, in a worker
                self.stopped = "生成进程出错"
                why = "内存不足" if isinstance(exc, MemoryError) else type(exc).__name__
                self._fail(
                    [
                        f"错误 E404 生成文件的子进程出错（{why}），批量生成已停止："
                        "已写出的文件都是完整的，重新运行会接着生成其余文件"
                    ]
                )
                return
            yield from outcomes
            if self.stopped:
                return

    def _shutdown_pool(self, finished: bool) -> None:
        """Stop the worker processes: wait for idle ones, terminate busy ones."""
        executor, self._executor = self._executor, None
        if executor is None:
            return
        if finished and not self.stopped:
            executor.shutdown(wait=True)
            return
        # There is no public way to stop a running worker: terminate the processes
        # (their temporary files are removed by clean_stale_temps once they are gone).
        procs = list(getattr(executor, "_processes", {}).values())
        executor.shutdown(wait=False, cancel_futures=True)
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
        for proc in procs:
            proc.join(timeout=30)

    def _collect(self, res: Outcome) -> None:
        self._done.add(res.index)
        for path, status in res.files:
            if status == "written":
                self.out(path)
            else:
                self.unchanged += 1
            self.report.written.append(Path(path))
            self._row(Path(path).name, res.label, "成功" if status == "written" else "未变化", "")
        if res.errors:
            self._fail(res.errors)
            self._row("", res.label, "错误", res.errors[0])
        if res.fatal:
            self.stopped = res.fatal
        if res.pdf_source:
            self.pdf_sources.append(Path(res.pdf_source))

    def _row(self, file: str, label: str, status: str, message: str) -> None:
        if self.manifest is None:
            return
        try:
            self.manifest.row(file, label, status, message)
        except OSError as exc:
            self._manifest_failed(exc)

    def _manifest_failed(self, exc: OSError) -> None:
        if self.manifest is not None:
            self.manifest.abort()
            self._fail([f"{self.manifest.path}: 错误 E402 清单未写出：{os_error_message(exc)}"])
            self.manifest = None
        if is_fatal(exc):
            self.stopped = os_error_message(exc)

    def _close_manifest(self, complete: bool) -> None:
        """Rename the manifest into place when the run ended by itself; else remove it."""
        if self.manifest is None:
            return
        if not complete:
            self.manifest.abort()
            self.manifest = None
            return
        try:
            self.manifest.close()
        except OSError as exc:
            self._manifest_failed(exc)
        self.manifest = None

    def _finish_pdf(self) -> None:
        if not self.pdf_sources:
            return
        from .writers.pdf import convert_to_pdf

        with temp_folder(self.o.outdir) as tmp:
            try:
                pdfs = convert_to_pdf(self.pdf_sources, Path(tmp), fonts=True)
            except SpeechgenError as exc:
                self._fail(exc.lines())
                return
            for pdf in pdfs:
                target = self.o.outdir / pdf.name
                try:
                    status = write_atomic(target, pdf.read_bytes(), force=self.o.force)
                except OutputIsLink:
                    self._fail([f"{target}: 错误 E401 {LINK_MESSAGE}"])
                    continue
                except OutputExists:
                    self._fail(
                        [
                            f"{target}: 错误 E401 文件已存在且内容不同，未覆盖（需要覆盖请加 --force）"
                        ]
                    )
                    continue
                except OSError as exc:
                    self._fail([f"{target}: 错误 E402 {os_error_message(exc)}"])
                    if is_fatal(exc):
                        self.stopped = os_error_message(exc)
                        return
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
