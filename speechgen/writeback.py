"""A batch's files written by a helper process, so the disk's time overlaps composing.

Creating a file and writing 9 KB into it is mostly the file system's time: 0.07–0.7 ms
a letter on this machine's disk, depending on how much writeback the kernel has
queued, and only a few hundredths of a millisecond of it CPU. A composing process
that wrote its own files would wait that long for every document. Instead it hands
the finished bytes to a writer process through a pipe and goes on with the next
document; the writer writes them with :func:`speechgen.output.write_atomic` and
answers, in order, what happened to each file.

A thread cannot do this in CPython: each of the write's system calls gives up the
GIL, and getting it back from a busy composing thread waits up to the switch
interval (measured: no gain over writing in line). The writer is a forked child,
so where ``os.fork`` does not exist the composing process writes itself.

Requests and answers are length-prefixed pickles between the two processes of one
run (never read from anywhere else). A request carries up to :data:`BATCH`
documents, each ``(files, force)`` with ``files`` a list of ``(path, bytes)``: one
write to the pipe and one wake-up of the writer for all of them. Its answer is a
list with, for each document, a list of one :func:`speechgen.output.store` result
per file. After a fault that every further file would meet too (a full disk, a
read-only folder: :func:`speechgen.faults.is_fatal`) the writer tries nothing more
and answers ``("skipped",)``: those documents are reported as not written.
"""

from __future__ import annotations

import gc
import os
import pickle
import select
import struct
import warnings
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .faults import worker_signals
from .output import Result, store

WINDOW = 64  # documents handed over and not yet answered, at most
BATCH = 16  # documents a request carries at most (fewer when they hold BATCH_BYTES)
BATCH_BYTES = 1 << 18
_PIPE_BYTES = 1 << 20  # asked of the kernel for the request pipe (F_SETPIPE_SZ)
_LEN = struct.Struct("<I")


class WriterDied(Exception):
    """The writer process ended before it answered (killed, out of memory)."""


def available() -> bool:
    """Whether a writer process can be started here (it is forked)."""
    return hasattr(os, "fork")


def _send(fd: int, payload: bytes) -> None:
    view = memoryview(_LEN.pack(len(payload)) + payload)
    while view:
        view = view[os.write(fd, view) :]


def _serve(requests: int, answers: int) -> None:
    """The writer process: write what comes in, answer in order, end at end of input."""
    worker_signals()  # Ctrl-C is the composing process's to handle
    gc.disable()  # nothing here makes cycles
    stopped = False
    with os.fdopen(requests, "rb", buffering=1 << 16) as rf:
        while True:
            head = rf.read(4)
            if len(head) < 4:
                return  # the composer has finished (or is gone)
            answer: list[list[Result]] = []
            for files, force in pickle.loads(rf.read(_LEN.unpack(head)[0])):
                results: list[Result] = []
                for path, data in files:
                    if stopped:
                        results.append(("skipped",))
                        continue
                    r = store(Path(path), data, force)
                    stopped = r[0] == "os" and r[4]
                    results.append(r)
                answer.append(results)
            _send(answers, pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))


class Writer:
    """A writer process and the documents handed to it, answered in the order given.

    ``submit(token, files, force)`` hands over a document's files (it waits for an
    answer only when :data:`WINDOW` documents are outstanding); ``on_answer(token,
    results)`` is called in this process, in order, as answers come in — from
    :meth:`submit`, :meth:`poll` or :meth:`finish`. Documents are sent a request of
    :data:`BATCH` at a time, the last ones by :meth:`finish`.
    """

    def __init__(self, on_answer: Callable[[Any, list[Result]], None]):
        self.on_answer = on_answer
        self.tokens: deque[Any] = deque()
        req_r, req_w = os.pipe()
        ans_r, ans_w = os.pipe()
        try:
            import fcntl

            fcntl.fcntl(req_w, getattr(fcntl, "F_SETPIPE_SZ", 1031), _PIPE_BYTES)
        except (ImportError, OSError):
            pass  # the default pipe (64 KiB): the composer waits a little more often
        with warnings.catch_warnings():
            # Python 3.12+ warns about forking a process with threads; a worker has
            # one (it watches its parent), and the child only reads, writes and exits
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:  # the writer
            code = 0
            try:
                os.close(req_w)
                os.close(ans_r)
                _serve(req_r, ans_w)
            except BaseException:  # noqa: BLE001 - the composer sees the pipe end
                code = 1
            finally:
                os._exit(code)
        os.close(req_r)
        os.close(ans_w)
        os.set_blocking(ans_r, False)  # poll() reads what is there, without a select()
        self.pid = pid
        self._req = req_w
        self._ans = ans_r
        self._buf = bytearray()
        self._batch: list[tuple[list[tuple[str, bytes]], bool]] = []  # not sent yet
        self._batch_bytes = 0
        self._sent = 0  # requests sent and not answered yet
        self.closed = False

    def submit(self, token: Any, files: list[tuple[str, bytes]], force: bool) -> None:
        while len(self.tokens) >= WINDOW:
            self._send_batch()
            self._answer(block=True)
        self.tokens.append(token)
        self._batch.append((files, force))
        self._batch_bytes += sum(len(data) for _path, data in files)
        if len(self._batch) >= BATCH or self._batch_bytes >= BATCH_BYTES:
            self._send_batch()

    def _send_batch(self) -> None:
        if not self._batch:
            return
        batch, self._batch, self._batch_bytes = self._batch, [], 0
        try:
            _send(self._req, pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL))
        except BrokenPipeError:
            raise WriterDied() from None
        self._sent += 1

    def poll(self) -> None:
        """Take the answers that have come in, without waiting."""
        while self._sent and self._answer(block=False):
            pass

    def _answer(self, block: bool) -> bool:
        """Read one answer (waiting for it with ``block``); False when none is there yet."""
        while True:
            if len(self._buf) >= 4:
                n = _LEN.unpack_from(self._buf)[0]
                if len(self._buf) >= 4 + n:
                    answer = pickle.loads(bytes(self._buf[4 : 4 + n]))
                    del self._buf[: 4 + n]
                    self._sent -= 1
                    for results in answer:
                        self.on_answer(self.tokens.popleft(), results)
                    return True
            try:
                chunk = os.read(self._ans, 1 << 16)
            except BlockingIOError:
                if not block:
                    return False
                select.select([self._ans], [], [])
                continue
            if not chunk:
                raise WriterDied()
            self._buf += chunk

    def finish(self) -> None:
        """No more documents: take every answer, then let the writer end."""
        if self.closed:
            return
        self.closed = True
        try:
            try:
                self._send_batch()
            finally:
                os.close(self._req)  # the writer ends after the last request
            while self.tokens:
                self._answer(block=True)
        finally:
            os.close(self._ans)
            self._reap()

    def abandon(self) -> None:
        """Stop without waiting for answers (the writer ends after the file in progress)."""
        if self.closed:
            return
        self.closed = True
        os.close(self._req)
        os.close(self._ans)
        self._reap()

    def _reap(self) -> None:
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
