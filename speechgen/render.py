"""Render jobs into files: load, check every row, then compose, check and write each document.

This is the work behind ``speechgen render`` and ``speechgen demo``; the CLI
only parses options and prints what this module reports.

A batch runs in two passes over its rows, streamed from the input: the first
(:func:`_validate`) finds every input error and bad row before anything is
written, the second (:func:`_render`) names, composes, checks, encodes and
writes each document. With ``--jobs N`` each of N worker processes checks the
chunks of rows it reaches first in pass 1 (:func:`_first_come`), and in pass 2
claims chunks while any are left (:class:`Plan`), so a worker the machine slows
down checks and writes fewer; every
worker names every row, so names do not depend on which process writes a file,
and each writes its own files: ``--jobs N`` keeps N cores busy, never more.
Nothing is held for the whole batch: the parent keeps the results of a few
chunks at a time and puts them in row order.
See docs/ARCHITECTURE.md ("compose: composers").
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

from .compose import (
    BAD_ROWS_MESSAGE,
    JobDocuments,
    Unit,
    compose_unit,
    plan_job,
    units,
)
from .compose.library import load_library
from .compose.template_limits import DEFAULT_TIME_LIMIT, set_time_limit
from .errors import (
    ERROR,
    Finding,
    NeedsFirstLook,
    SpeechgenError,
    TemplateTimeout,
    UserError,
)
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

if TYPE_CHECKING:  # imported where used: a single document needs no worker processes
    import tempfile

PROGRESS_THRESHOLD = 20
WRITTEN_KEPT = 1000  # paths a Report keeps (it counts every file)
CHUNK = 25  # rows in a chunk: pass 1 of worker k of N checks chunks k, k+N, k+2N…
FREEZE_FROM = 64  # documents from which a batch in one process freezes what it built (gc)
COLLECT_EVERY = 1000  # documents between two collections while a batch pauses the collector
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
    """What a render did: the files written and whether anything failed.

    ``written`` lists the first :data:`WRITTEN_KEPT` files (the editor's jobs are
    that small); ``count`` counts them all — a batch's memory must not grow with it.
    """

    written: list[Path] = field(default_factory=list)
    failed: bool = False
    count: int = 0

    def add(self, path: str | Path) -> None:
        self.count += 1
        if len(self.written) < WRITTEN_KEPT:
            self.written.append(Path(path))

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


# ---------------------------------------------------------------- the two passes

_STATE: dict[str, Any] = {}


def _never(_index: int) -> bool:
    return False


def _chunk_count(total: int) -> int:
    """The chunks of :data:`CHUNK` rows that ``total`` rows make."""
    return (total + CHUNK - 1) // CHUNK


def _stripe(stripe: int, width: int) -> Callable[[int], bool]:
    """Whether row ``index`` is in stripe ``stripe`` of ``width`` (its chunk's turn)."""
    return lambda index: index // CHUNK % width == stripe


def _first_come(counter: Any) -> Callable[[int], bool]:
    """Whether row ``index`` is this worker's in pass 1: its chunk goes to the first
    worker that reaches it. Every worker reads the rows in order, so when the first
    one reaches chunk ``c`` no chunk after ``c`` has been taken: ``counter`` (shared,
    the next chunk no one has taken) is at most ``c``. A worker the machine slows
    down takes fewer chunks, and the workers end the pass together. Decided once a
    chunk, in increasing order (a row told again after the last, a duplicate, keeps
    its chunk's answer; a finding of the file, index -1, chunk 0's)."""
    decided: dict[int, bool] = {}

    def mine(index: int) -> bool:
        chunk = max(index, 0) // CHUNK  # a finding of no row (index -1) goes with chunk 0
        own = decided.get(chunk)
        if own is None:
            with counter.get_lock():
                own = counter.value <= chunk
                if own:
                    counter.value = chunk + 1
            decided[chunk] = own
        return own

    return mine


@dataclass
class Validation:
    """What the first pass found in one worker's rows of a batch (sent back from it)."""

    count: int = 0  # units in the whole job (every stripe sees every row)
    errors: list[tuple[int, list[Finding]]] = field(default_factory=list)
    problems: list[tuple[int, str, list[Finding]]] = field(default_factory=list)
    warnings: list[tuple[int, list[Finding]]] = field(default_factory=list)
    #: where the worker's chunks lie in its spool, (chunk, offset, size) each; None
    #: when it has none (a spool that failed, a job whose rows are not streamed)
    ranges: list[tuple[int, int, int]] | None = None
    #: the job's list was deferred (``load_job(quick=True)``) and is not what its head
    #: promised: the job is loaded again and read as before (NeedsFirstLook)
    again: bool = False


def _validate(stripe: int, width: int) -> Validation:
    """Pass 1 over this worker's rows: input errors, row problems and warnings.

    Its rows are the chunks of :data:`CHUNK` rows it reaches first
    (:func:`_first_come`) where the workers share their spools (a fork's), else
    its stripe, every ``width``-th chunk from chunk ``stripe``. Every worker reads
    the whole stream (so each knows the count and every row's name), but only
    checks its own rows.
    """
    docs: JobDocuments = _STATE["docs"]
    v = Validation()
    files = _STATE.get("spool_files")
    # with spools every worker can read (a fork's), pass 1's chunks go to whoever comes
    # first; pass 2 finds each chunk's units wherever they were kept (_table)
    counter = _STATE.get("claims") if files else None
    mine = _first_come(counter) if counter is not None else _stripe(stripe, width)
    _close_spool()
    # the last input of a run surveys its names: those it has once are then not kept
    names: NameAllocator | None = _STATE["names"] if _STATE.get("survey") else None
    spool = None
    if getattr(docs, "units", None) is not None:  # rows streamed (letters): keep the units
        from .spool import ChunkSpool  # for pass 2, on disk (a speech never imports pickle)

        spool = ChunkSpool(files[stripe] if files else None)
        if spool.ok:
            _STATE["spool"] = spool
        else:
            spool = None
    try:
        for unit in units(docs, mine):
            # (a row's duplicate check comes after the last row, as a unit of its own)
            v.count = max(v.count, unit.index + 1)
            surveyed = names.survey(unit.stem) if names is not None and not unit.errors else None
            own = mine(unit.index)
            if spool is not None:
                spool.add(unit, unit.index // CHUNK, own, surveyed)
            if not own:
                continue
            if unit.errors:
                v.errors.append((unit.index, unit.errors))
            if unit.problems:
                v.problems.append((unit.index, unit.label, unit.problems))
            if unit.warnings:
                v.warnings.append((unit.index, unit.warnings))
    except NeedsFirstLook:
        _close_spool()
        if names is not None:
            names.end_survey()
        return Validation(again=True)
    if names is not None:
        names.end_survey()
    if spool is not None and spool.finish():
        v.ranges = spool.ranges
    else:
        _close_spool()
    return v


def _close_spool() -> None:
    spool = _STATE.pop("spool", None)
    if spool is not None:
        spool.close()


@dataclass
class Plan:
    """How pass 2 shares the chunks of a batch among its workers.

    ``table`` (when every worker's spool holds its chunks): where each chunk's units
    lie, ``(worker, offset, size)`` at ``3 * chunk`` (:func:`_table`: the worker that
    took the chunk in pass 1 kept its units); a free worker then claims the next
    chunk from ``counter``, shared by all, and reads its units wherever they lie.
    Without it each worker writes its own stripe.
    ``delivered`` is the next chunk the parent waits for: no chunk is claimed
    :data:`AHEAD` chunks beyond it, so the parent never holds more than that.
    """

    table: Any = None  # array('q') or None
    counter: Any = None  # multiprocessing Value: the next chunk to claim
    delivered: Any = None  # multiprocessing RawValue: the next chunk the parent takes


#: chunks a worker may run ahead of the one the parent waits for
AHEAD = 16


def _claims(stripe: int, width: int, total: int, plan: Plan) -> Callable[[], int]:
    """The chunks this worker writes, one per call, in increasing order; the count of
    chunks (``total`` rows) once there are no more."""
    last = _chunk_count(total)
    if plan.table is None or plan.counter is None:
        own = iter(range(stripe, last, width))
        return lambda: next(own, last)
    counter, delivered = plan.counter, plan.delivered
    stop = _STATE.get("stop")

    def claim() -> int:
        while True:
            with counter.get_lock():
                c = counter.value
                if c >= last:
                    return last
                if c < delivered.value + AHEAD:
                    counter.value = c + 1
                    return c
            if stop is not None and stop.is_set():
                return last
            time.sleep(0.001)  # the parent is behind: let it catch up

    return claim


def _render(
    stripe: int,
    width: int,
    total: int,
    skip: frozenset[int],
    pdf_tmp: str | None,
    plan: Plan | None = None,
    each: bool = False,
) -> Iterator[tuple[int, list[Outcome]]]:
    """Pass 2: compose, check, encode and write the chunks this worker claims.

    Yields ``(chunk number, outcomes)`` for every chunk it writes, in increasing
    order (empty when all its rows are skipped): its own stripe, or with a shared
    ``plan`` whichever chunks it claims first. Every worker names every row (rows in
    ``skip`` are left out), so names are the same whichever process writes them.
    With ``each`` (in-process) every document is yielded as soon as it is
    written, and chunks are not told.
    """
    docs: JobDocuments = _STATE["docs"]
    stop = _STATE.get("stop")  # set by the parent when it is interrupted
    names: NameAllocator = _STATE["names"]  # the run's: names of earlier inputs stay taken
    plan = plan or Plan()
    claim = _claims(stripe, width, total, plan)
    last = _chunk_count(total)
    target = claim()
    # A batch makes no cyclic garbage to speak of, but the collector's automatic runs
    # walked every young object every few hundred letters (about 7% of a letter's time):
    # paused for the batch, with a collection every COLLECT_EVERY documents instead.
    paused = total >= FREEZE_FROM and gc.isenabled()
    if paused:
        gc.disable()
    done = 0
    try:
        # the first pass found every row's problems and told its warnings: not again; it
        # kept the rows it read (their names, and its own chunks' units), else they are
        # read again
        chunks = _chunks_of(docs, stripe, width, plan, lambda c: c == target)
        for number, rows, kept in chunks if target < last else ():
            if kept is None:  # a chunk another worker writes (or none yet): only named
                for index, stem, surveyed in rows:
                    if index not in skip:
                        names.pass_by(stem, surveyed)
                continue
            current: list[Outcome] = []
            for unit in kept:
                if unit.index in skip:
                    continue
                stem = names.allocate(unit.stem)
                if _STATE.get("fatal") or (stop is not None and stop.is_set()):
                    # not attempted: the parent names them among the documents not written
                    if not each:
                        yield number, current  # what was written so far
                    return
                res = _one(unit, stem, pdf_tmp)
                done += 1
                if paused and done % COLLECT_EVERY == 0:
                    gc.collect()
                if each:
                    yield number, [res]
                else:
                    current.append(res)
            if not each:
                yield number, current
            target = claim()
            if target >= last:
                break
        while target < last:  # the stream ended early: nothing more to write
            if not each:
                yield target, []
            target = claim()
    finally:
        if paused:
            gc.enable()


def _chunks_of(
    docs: JobDocuments, stripe: int, width: int, plan: Plan, wanted: Callable[[int], bool]
) -> Iterator[tuple[int, list[Any], list[Unit] | None]]:
    """The chunks of pass 2 in order: ``(number, rows, None)`` for one only named (its
    rows' ``(index, stem, survey)``), ``(number, [], units)`` for one ``wanted``.

    From the worker's spool (another worker's chunk read from that worker's spool),
    else, and after a fault reading a spool from that chunk on, from the rows read
    again (without their findings)."""
    spool = _STATE.pop("spool", None)
    start = 0  # the first chunk not yet given
    if spool is not None:
        from .spool import SpoolLost, read_units  # noqa: PLC0415 - only where a spool was made

        files = _STATE.get("spool_files")
        table = plan.table
        try:
            for record in spool.chunks():
                number = record.number
                if not wanted(number):
                    yield number, record.names, None
                elif record.size:
                    yield number, [], spool.take()
                elif table is not None and files:
                    at = TABLE_WIDTH * number
                    yield number, [], read_units(files[table[at]], table[at + 1], table[at + 2])
                else:
                    raise SpoolLost(f"chunk {number} is not in this spool")
                start = number + 1
            return
        except SpoolLost:
            pass
        finally:
            spool.close()
    first = start * CHUNK
    mine = _stripe(stripe, width)
    # read again: every row from the first not given (another's rows in full when chunks
    # are shared, since this worker may claim any of them)
    if plan.table is not None:
        want: Callable[[int], bool] = lambda i: i >= first  # noqa: E731
    else:
        want = lambda i: i >= first and mine(i)  # noqa: E731
    number, group = -1, []
    for unit in units(docs, want, findings=False):
        if unit.index < first:
            continue
        c = unit.index // CHUNK
        if c != number:
            if group:
                yield _group(number, group, wanted(number))
            number, group = c, []
        group.append(unit)
    if group:
        yield _group(number, group, wanted(number))


def _group(
    number: int, group: list[Unit], wanted: bool
) -> tuple[int, list[Any], list[Unit] | None]:
    if wanted:
        return number, [], group
    return number, [(u.index, u.stem, None) for u in group], None


#: entries of :func:`_table` a chunk: the worker whose spool holds it, offset, size
TABLE_WIDTH = 3


def _table(results: list[Validation], total: int) -> Any:
    """Where each chunk's units lie (:class:`Plan`): ``(worker, offset, size)`` at
    ``3 * chunk``, the spool of the worker that took the chunk in pass 1; or None when
    a spool failed (each worker then writes its own stripe)."""
    from array import array

    table = array("q", bytes(8 * TABLE_WIDTH * _chunk_count(total)))
    for k, v in enumerate(results):
        if v.ranges is None:
            return None
        for chunk, offset, size in v.ranges:
            at = TABLE_WIDTH * chunk
            table[at : at + TABLE_WIDTH] = array("q", (k, offset, size))
    return table


def _one(unit: Unit, stem: str, pdf_tmp: str | None) -> Outcome:
    """Compose, check, encode and write ``unit`` under the name ``stem``."""
    docs: JobDocuments = _STATE["docs"]
    o: RenderOptions = _STATE["options"]
    res = Outcome(unit.index, unit.label)
    if _STATE.get("timed_out"):
        # the template ran out of time once: it would for every document
        lines = _STATE.pop("timeout_lines", None)  # the warm-up's: the first tells it
        res.errors.extend(lines or [f"《{res.label or stem}》未生成：模板运行超时（见上）"])
        return res
    try:
        doc = compose_unit(docs, unit)
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
            from .check.origins import typed_origins

            res.errors.extend(str(f) for f in found)
            typed = typed_origins(found, doc, _STATE.get("job"))
            res.errors.extend(str(f) for f in typed)
            res.errors.append(
                f"《{doc.name}》未通过检查，未写出"
                + ("：请在输入文件上面标出的位置改正" if typed else "")
                + "（可用 --no-check 跳过检查）"
            )
            return res
    with _WRITING:
        _write(res, doc, stem, o, pdf_tmp)
    return res


def _warm_up() -> None:
    """Compose, check and encode the first good document, writing nothing.

    Done before the workers are forked: imports, compiled templates and
    snippets, the writer's static parts and the linter's caches are then
    inherited by every worker instead of being built by each. A template that
    runs out of time here is remembered (nothing is forked then).
    """
    docs: JobDocuments = _STATE["docs"]
    o: RenderOptions = _STATE["options"]
    try:
        first = next((u for u in units(docs) if not (u.errors or u.problems)), None)
    except NeedsFirstLook:
        return  # no good row before the end of a deferred list: the first pass tells the rest
    if first is None:
        return
    try:
        doc = compose_unit(docs, first)
        if o.check:
            from .check import check_document

            check_document(doc)
        encode(doc, "docx", _fonts(o, docs))
    except TemplateTimeout as exc:
        _STATE["timed_out"] = True
        _STATE["timeout_lines"] = exc.lines()  # told with the first document
    except SpeechgenError:
        pass


def _write(
    res: Outcome,
    doc: Any,
    stem: str,
    o: RenderOptions,
    pdf_tmp: str | None,
) -> None:
    """Write one composed document in every format; what happened goes into ``res``."""
    statuses: dict[str, str] = {}
    fonts = _fonts(o, _STATE["docs"])
    files: list[tuple[str, str, bytes]] = []
    for fmt in o.formats:
        if fmt == "pdf" or (fmt == "trace" and "trace" not in doc.meta):
            continue  # only composed speeches carry a trace
        target = _in_outdir(o, f"{stem}.{SUFFIXES.get(fmt, fmt)}")
        files.append((fmt, target, encode(doc, fmt, fonts)))
    for fmt, target, data in files:
        status = _store(res, target, data, o.force)
        if res.fatal:
            break
        if status is not None:
            statuses[fmt] = status
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


def _in_outdir(o: RenderOptions, name: str) -> str:
    """``str(o.outdir / name)``, without building a Path for every file of a batch (a
    Path keeps its string once made)."""
    folder = str(o.outdir)
    return name if folder == "." else os.path.join(folder, name)


def _store(res: Outcome, target: str, data: bytes, force: bool) -> str | None:
    """Write one file (:func:`.output.write_atomic`); what happened goes into ``res``.
    Its status when it was written or left unchanged."""
    try:
        status = write_atomic(target, data, force=force)
    except OutputIsLink:
        res.errors.append(f"{target}: 错误 E401 {LINK_MESSAGE}")
        return None
    except OutputExists:
        res.errors.append(
            f"{target}: 错误 E401 文件已存在且内容不同，未覆盖（需要覆盖请加 --force）"
        )
        return None
    except OSError as exc:
        why = os_error_message(exc)
        res.errors.append(f"{target}: 错误 E402 {why}")
        if is_fatal(exc):
            res.fatal = _STATE["fatal"] = why
        return None
    res.files.append((target, status))
    return status


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


def _worker_main(
    conn: Any,
    stripe: int,
    width: int,
    shared: tuple[Any, Any, Any, Any],
    spawn: dict[str, Any] | None,
) -> None:
    """A worker process: runs the passes the parent asks for on its stripe.

    ``shared``: the stop event, the spool files (one a worker, made before the
    fork; None with spawn), the chunk counter and the chunk the parent waits for.
    Messages in: ``("validate",)``, ``("render", total, skip, pdf_tmp, table)``;
    out: ``("validated", Validation)``, ``("chunk", n, outcomes)`` for each
    chunk it writes, ``("rendered",)``; ``("crashed", why)`` when something
    unexpected (a bug, MemoryError) ends it.
    """
    stop, files, counter, delivered = shared
    worker_signals()
    _watch_parent(spawn["parent"] if spawn else os.getppid())
    _STATE["stop"] = stop
    _STATE["spool_files"] = files
    _STATE["claims"] = counter  # pass 1's chunks (reset by the parent), then pass 2's
    try:
        if spawn is not None:  # Windows and macOS: rebuild the job (fork inherits _STATE)
            from .inputs import load_job

            o: RenderOptions = spawn["options"]
            set_time_limit(o.template_timeout)
            job = load_job(Path(spawn["path"]), stream=True, quick=spawn["quick"])
            library = load_library(o.snippets)
            _STATE.update(
                options=o,
                docs=plan_job(job, library, o.seed, o.templates),
                job=job,
                names=spawn["names"],
                timed_out=False,
                survey=spawn["survey"],
            )
        while True:
            try:
                msg = conn.recv()
            except EOFError:
                return
            if msg[0] == "validate":
                conn.send(("validated", _validate(stripe, width)))
            elif msg[0] == "render":
                _, total, skip, pdf_tmp, table = msg
                plan = Plan(table, counter, delivered)
                for chunk in _render(stripe, width, total, skip, pdf_tmp, plan):
                    conn.send(("chunk", *chunk))
                conn.send(("rendered",))  # also when stopped early: the parent drains till here
            else:
                return
    except (BrokenPipeError, EOFError, KeyboardInterrupt):
        return  # the parent is gone or stopping
    except BaseException as exc:  # noqa: BLE001 - MemoryError or a bug: tell the parent
        why = "内存不足" if isinstance(exc, MemoryError) else type(exc).__name__
        try:
            conn.send(("crashed", why))
        except Exception:  # noqa: BLE001 - the parent will see the process end
            pass


class WorkerDied(Exception):
    """A worker process ended before its work was done (killed, out of memory, a bug)."""

    def __init__(self, why: str = ""):
        super().__init__(why)
        self.why = why


class Workers:
    """``n`` worker processes, each with its own pipe, working on stripe ``k`` of ``n``.

    Each worker reads the job's rows itself, so the parent never plans, names or
    holds the batch. In pass 1 each checks its stripe and spools the rows; in pass 2
    the workers claim chunks from a shared counter (:class:`Plan`) when every spool
    holds its chunks, so a worker the machine slows down does less; else each
    writes its stripe. A worker that dies is noticed (its pipe ends) and raises
    :class:`WorkerDied`.
    """

    def __init__(self, n: int, spawn: dict[str, Any] | None):
        import multiprocessing

        if spawn is None:
            ctx = multiprocessing.get_context("fork")
        else:
            ctx = multiprocessing.get_context("spawn")
        self.procs: list[Any] = []
        self.conns: list[Any] = []
        self.busy: set[int] = set()  # workers in pass 2 that have not said they are done
        self._waiting: dict[int, list[Outcome]] = {}  # chunks come early, not yet taken
        self.stop_event = ctx.Event()  # asks busy workers to report what they wrote and end
        self.counter = ctx.Value("q", 0)  # the next chunk to claim
        self.delivered = ctx.RawValue("q", 0)  # the next chunk the parent takes
        self.files = None
        if spawn is None:
            from .spool import shared_files

            self.files = shared_files(n)  # inherited by the fork: each reads the others'
        shared = (self.stop_event, self.files, self.counter, self.delivered)
        # Move everything built so far out of the collector's sight, so the
        # workers' garbage collections do not touch (and copy) inherited pages.
        gc.freeze()
        try:
            for k in range(n):
                mine, theirs = ctx.Pipe()
                proc = ctx.Process(
                    target=_worker_main,
                    args=(theirs, k, n, shared, spawn),
                    daemon=True,
                    name=f"speechgen-{k}",
                )
                proc.start()
                theirs.close()
                self.procs.append(proc)
                self.conns.append(mine)
        finally:
            gc.unfreeze()

    def validate(self) -> None:
        """Start pass 1 (its chunks go to whichever worker reaches them first)."""
        with self.counter.get_lock():
            self.counter.value = 0
        self.send_all("validate")

    def send_all(self, *msg: Any) -> None:
        for conn in self.conns:
            try:
                conn.send(msg)
            except OSError:
                raise WorkerDied() from None

    def recv(self, k: int) -> tuple[Any, ...]:
        try:
            msg = self.conns[k].recv()
        except (EOFError, OSError):
            raise WorkerDied() from None
        if msg[0] == "crashed":
            raise WorkerDied(msg[1])
        return msg

    def render(self, total: int, skip: frozenset[int], pdf_tmp: str | None, table: Any) -> None:
        """Start pass 2 (``table``: the chunks are claimed, see :class:`Plan`)."""
        with self.counter.get_lock():
            self.counter.value = 0
        self.delivered.value = 0
        self._waiting = {}
        self.busy = set(range(len(self.conns)))
        self.send_all("render", total, skip, pdf_tmp, table)

    def chunks(self, total: int, claimed: bool) -> Iterator[tuple[int, list[Outcome]]]:
        """The chunks of pass 2 in order. ``claimed``: any worker may send any chunk;
        else chunk ``c`` comes from worker ``c % n``. Ends early when the workers
        stopped (a fault of the machine one reported): :meth:`drain` then collects
        what came after the gap."""
        width = len(self.conns)
        last = _chunk_count(total)
        waiting = self._waiting
        for c in range(last):
            if claimed:
                while c not in waiting:
                    if not self.busy:
                        return
                    self._receive()
                outcomes = waiting.pop(c)
            else:
                k = c % width
                msg = self.recv(k)
                if msg[0] != "chunk":
                    self.busy.discard(k)
                    return  # the worker stopped early (a fault of the machine it reported)
                outcomes = msg[2]
            self.delivered.value = c + 1
            yield c, outcomes

    def _receive(self) -> None:
        from multiprocessing.connection import wait

        ready = wait([self.conns[k] for k in sorted(self.busy)])
        for k in sorted(self.busy):
            if self.conns[k] in ready:
                msg = self.recv(k)
                if msg[0] == "chunk":
                    self._waiting[msg[1]] = msg[2]
                else:
                    self.busy.discard(k)

    def drain(self, collect: Callable[[Outcome], None], timeout: float = 5.0) -> None:
        """Ask busy workers to stop after their current document and collect what they
        wrote (also the chunks that came early), so every file on disk is reported (a
        run that stopped or was interrupted)."""
        self.stop_event.set()
        waiting, self._waiting = self._waiting, {}
        for c in sorted(waiting):
            for res in waiting[c]:
                collect(res)
        deadline = time.monotonic() + timeout
        for k in sorted(self.busy):
            conn = self.conns[k]
            try:
                while conn.poll(max(0.0, deadline - time.monotonic())):
                    msg = conn.recv()
                    if msg[0] == "chunk":
                        for res in msg[2]:
                            collect(res)
                    elif msg[0] != "validated":
                        break
            except Exception:  # noqa: BLE001 - a message cut short by the interrupt
                continue
        self.busy = set()

    def stop(self, finished: bool) -> None:
        """Let idle workers end (``finished``), else terminate them; wait for all."""
        for conn in self.conns:
            try:
                if finished:
                    conn.send(("stop",))
                conn.close()
            except OSError:
                pass
        for proc in self.procs:
            proc.join(timeout=10 if finished else 0.1)
            if proc.is_alive():
                proc.terminate()
                proc.join(timeout=30)
        for file in self.files or ():
            file.close()


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
        self._done: bytearray | None = None  # which documents of the current job were written
        self._skip: frozenset[int] = frozenset()
        self._workers: Workers | None = None
        self._tmpdir: tempfile.TemporaryDirectory | None = None
        self.unchanged = 0  # files left as they were: told in one line at the end
        self._held: list[Finding] = []  # warnings of a job that may be loaded again

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
                    self.render_file(path, more=k + 1 < len(paths))
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

    def render_file(self, path: Path, more: bool = False, quick: bool = True) -> None:
        """Render one input; ``more``: other inputs follow in this run (their names
        must not take this one's). ``quick``: an inline list that nothing follows is
        not read before the first pass (``load_job(quick=True)``); when that pass
        finds it is not what its head promised, the input is rendered again without."""
        from .inputs import load_job

        try:
            job = load_job(path, stream=True, quick=quick)
            # a deferred list's job may be loaded again: its warnings wait for the first pass
            self._held = list(job.warnings)
            if job.recipients is None or job.recipients.deferred is None:
                self._tell_held()
            library = load_library(self.o.snippets)
            docs = plan_job(job, library, self.o.seed, self.o.templates)
        except SpeechgenError as exc:
            self._tell_held()
            self._fail(exc.lines())
            return
        self.names.forget_survey()  # every input's names are surveyed afresh, or kept
        _STATE.update(
            options=self.o,
            docs=docs,
            job=job,
            names=self.names,
            timed_out=False,
            fatal="",
            survey=not more,
        )
        _STATE.pop("timeout_lines", None)
        streamed = getattr(docs, "source", None) is not None
        width = self.o.jobs if streamed else min(self.o.jobs, max(1, -(-len(docs) // CHUNK)))
        workers = None
        try:
            if width > 1:
                _warm_up()
                if _STATE.get("timed_out"):
                    width = 1  # every document would time out: report each, fork nothing
                else:
                    spawn = None
                    import multiprocessing

                    if "fork" not in multiprocessing.get_all_start_methods():
                        spawn = {
                            "options": self.o,
                            "path": str(path),
                            "quick": quick,
                            "parent": os.getpid(),
                            "names": self.names,
                            "survey": not more,
                        }
                    workers = self._workers = Workers(width, spawn)
            again = self._batch(docs, width, workers)
            if again:
                self._shutdown_pool(finished=True)
                self.render_file(path, more, quick=False)
                return
            if workers is not None and more:
                # the workers named this job's documents in their copies of the
                # allocator: name them here too, for the inputs that follow
                for u in units(docs, _never):
                    if not (u.errors or u.index in self._skip):
                        self.names.allocate(u.stem)
            if workers is not None:
                self._shutdown_pool(finished=True)  # the next input forks its own
        except WorkerDied as exc:
            self._tell_held()
            self.stopped = "生成进程出错" if exc.why else "生成进程意外退出"
            if exc.why:
                self._fail(
                    [
                        f"错误 E404 生成文件的子进程出错（{exc.why}），批量生成已停止："
                        "已写出的文件都是完整的，重新运行会接着生成其余文件"
                    ]
                )
            else:
                self._fail(
                    [
                        "错误 E404 生成文件的子进程意外退出（可能是内存不足被系统终止，或被强行结束），"
                        "批量生成已停止：已写出的文件都是完整的，重新运行会接着生成其余文件"
                        "（内存不足时请减少 --jobs）"
                    ]
                )
            self._report_missing(docs)

    def _batch(self, docs: JobDocuments, width: int, workers: Workers | None) -> bool:
        """Pass 1 (check every row), then pass 2 (write every good one), in stripes.
        True: nothing was done, the job must be loaded again (Validation.again)."""
        if workers is None:
            results = [_validate(0, 1)]
        else:
            workers.validate()
            results = [workers.recv(k)[1] for k in range(width)]
        if any(v.again for v in results):
            self._held = []  # told when it is loaded again
            return True
        self._tell_held()
        n = results[0].count
        errors = sorted((e for v in results for e in v.errors), key=lambda e: e[0])
        problems = sorted((p for v in results for p in v.problems), key=lambda p: p[0])
        for _i, found in sorted((w for v in results for w in v.warnings), key=lambda w: w[0]):
            for w in found:
                self.err(str(w))
        if errors:
            self._fail(UserError(findings=[f for _i, fs in errors for f in fs]).lines())
            return False
        if problems and not self.o.keep_going:
            findings = [f for _i, _l, fs in problems for f in fs]
            self._fail(UserError(BAD_ROWS_MESSAGE, findings).lines())
            return False
        if not self._prepare_folder(n):
            return False
        for _i, label, found in problems:
            self._fail([str(f) for f in found])
            self._row("", label, "错误", found[0].message)
        skip = frozenset(i for i, _l, _f in problems)
        pdf_tmp = None
        if "pdf" in self.o.formats and "docx" not in self.o.formats:
            if self._tmpdir is None:
                self._tmpdir = temp_folder(self.o.outdir)
            pdf_tmp = self._tmpdir.name
        self._done = bytearray(n)
        self._skip = skip
        todo = n - len(skip)
        if workers is None:
            chunks: Iterator[tuple[int, list[Outcome]]] = _render(0, 1, n, skip, pdf_tmp, each=True)
        else:
            table = _table(results, n) if workers.files is not None else None
            workers.render(n, skip, pdf_tmp, table)
            chunks = workers.chunks(n, claimed=table is not None)
        bar = None
        if self.progress and todo > PROGRESS_THRESHOLD:
            import click

            bar = click.progressbar(
                length=todo, label="正在生成", file=click.get_text_stream("stderr")
            )
            bar.__enter__()
        # What this process built so far (library, templates, memos) lives as long as
        # the batch: out of the collector's sight, its full collections stop walking it
        # for every few hundred letters (the workers inherit theirs frozen: Workers).
        frozen = workers is None and todo >= FREEZE_FROM
        if frozen:
            gc.collect()
            gc.freeze()
        try:
            for _c, outcomes in chunks:
                for res in outcomes:
                    self._collect(res)
                    if bar is not None:
                        bar.update(1)
                if self.stopped:
                    break
        finally:
            if frozen:
                gc.unfreeze()
            if bar is not None:
                bar.__exit__(None, None, None)
        if self.stopped:
            if workers is not None:
                workers.drain(self._collect)  # what the others wrote meanwhile is reported
            self._report_missing(docs)
        return False

    def _tell_held(self) -> None:
        held, self._held = self._held, []
        for w in held:
            self.err(str(w))

    def _report_missing(self, docs: JobDocuments) -> None:
        """Name the documents a stopped run did not write (read again from the stream)."""
        done, self._done = self._done, None
        if done is None:
            return
        missing = [
            u.label or u.stem
            for u in units(docs, _never)
            if u.index < len(done) and not done[u.index] and u.index not in self._skip
        ]
        if missing:
            self._fail([f"以下 {len(missing)} 份文件未写出：{'、'.join(missing)}"])
            for label in missing:
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

    def _shutdown_pool(self, finished: bool) -> None:
        """Stop the worker processes: let idle ones end, terminate busy ones."""
        workers, self._workers = self._workers, None
        if workers is None:
            return
        if not finished and self._done is not None:

            def collect(res: Outcome) -> None:
                try:
                    self._collect(res)
                except Exception:  # noqa: BLE001 - stdout closed: the files are still complete
                    pass

            workers.drain(collect)
        workers.stop(finished and not self.stopped)

    def _collect(self, res: Outcome) -> None:
        if res.index >= 0 and self._done is not None:
            self._done[res.index] = 1
        for path, status in res.files:
            if status == "written":
                self.out(path)
            else:
                self.unchanged += 1
            self.report.add(path)  # a Path only for the few it keeps: a batch has thousands
            self._row(
                os.path.basename(path), res.label, "成功" if status == "written" else "未变化", ""
            )
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
