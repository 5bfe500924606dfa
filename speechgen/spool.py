"""The units of a batch's first pass, kept on disk for its second, a chunk at a time.

A letter batch reads its recipients twice: the first pass checks every row (all
errors are told before anything is written), the second composes them. Reading a
row again meant parsing and checking it again (about 0.07 ms a row); the first
pass already has each unit as the second needs it. :class:`ChunkSpool` writes
them to an unnamed temporary file and gives them back in order: the second pass
composes exactly the rows the first one checked, and memory stays flat (the
file, not the process, holds the batch).

A worker's spool holds, for every chunk of the batch in order, a *names record*
(:class:`SpooledChunk`: each row's index, stem and the hash the names' survey
gave it, all a worker needs to name the rows it does not write), and after the
names record of each chunk of its own (those it checked in the first pass), that
chunk's units in one pickle.
:attr:`ChunkSpool.ranges` tells where each such pickle lies, so that in the
second pass any worker can read any chunk (:func:`read_units`, with ``pread``
on the file the parent opened before the fork): chunks go to whichever worker
is free, while every worker still names every row from its own spool.

Any fault of the file (no temporary folder, a full disk) only ends the spool:
:meth:`ChunkSpool.finish` then returns False, and the second pass reads the rows
again. A fault while reading one back (a disk error) raises :class:`SpoolLost`
before the chunk is given: the second pass reads the rest of the rows again
(:func:`speechgen.render._chunks_of`).
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator
from typing import IO, NamedTuple

from .compose import Unit

#: one row as the names need it: (index, stem, the survey's hash or None)
NameRow = tuple[int, str, "int | None"]


class SpoolLost(Exception):
    """The spool could not be read back further (the chunks given so far were whole)."""


class SpooledChunk(NamedTuple):
    """A chunk's names record: its number, its rows' names and the size of its units'
    pickle that follows in this file (0: another worker's chunk)."""

    number: int
    names: list[NameRow]
    size: int


def _temporary() -> IO[bytes] | None:
    try:
        import tempfile  # a batch's only: a single render never imports it

        return tempfile.TemporaryFile()
    except OSError:
        return None


def shared_files(n: int) -> list[IO[bytes]] | None:
    """``n`` unnamed temporary files, made before the workers are forked (each writes
    its own, any reads the others'), or None when they cannot all be made."""
    files = []
    for _ in range(n):
        file = _temporary()
        if file is None:
            for f in files:
                f.close()
            return None
        files.append(file)
    return files


class ChunkSpool:
    """A worker's first pass written chunk by chunk (:meth:`add`, :meth:`finish`),
    read back once in order (:meth:`chunks`, :meth:`take`)."""

    def __init__(self, file: IO[bytes] | None = None) -> None:
        self._file = file if file is not None else _temporary()
        self._shared = file is not None
        self._number = -1  # the chunk being gathered
        self._names: list[NameRow] = []
        self._units: list[tuple[int, str, str, object]] | None = None  # own chunk: its units
        self._pending = 0  # bytes of units after the chunk last given, not taken
        #: (chunk, offset, size) of the units of each chunk of this worker's own
        self.ranges: list[tuple[int, int, int]] = []
        if self._file is not None and self._shared:
            try:
                self._file.seek(0)
                self._file.truncate()
            except OSError:
                self.close()

    @property
    def ok(self) -> bool:
        return self._file is not None

    def add(self, unit: Unit, chunk: int, own: bool, survey: int | None = None) -> None:
        """Keep ``unit`` of chunk ``chunk``: its name (with ``survey``, the hash the
        names' survey gave it) always, the unit itself when ``own`` (this worker
        checked its chunk in the first pass). Its problems and warnings are not kept:
        the second pass does not read them; nor a unit with input errors (the job is
        then not written)."""
        if self._file is None or unit.errors:
            return
        if chunk != self._number:
            if self._names:
                self._flush()
            self._number = chunk
            self._units = [] if own else None
        self._names.append((unit.index, unit.stem, survey))
        if self._units is not None:
            self._units.append((unit.index, unit.stem, unit.label, unit.payload))

    def _flush(self) -> None:
        file = self._file
        if file is None:
            return
        names, self._names = self._names, []
        kept, self._units = self._units, None
        try:
            # a pickle of its own for each chunk: nothing is remembered from one to the
            # next (a Pickler kept for the batch would hold every object it wrote)
            blob = pickle.dumps(kept, pickle.HIGHEST_PROTOCOL) if kept is not None else b""
            pickle.dump(SpooledChunk(self._number, names, len(blob)), file, pickle.HIGHEST_PROTOCOL)
            if blob:
                self.ranges.append((self._number, file.tell(), len(blob)))
                file.write(blob)
        except (OSError, pickle.PicklingError):
            self.close()

    def finish(self) -> bool:
        """Write the last chunk and flush: True when the spool holds every chunk (the
        others may now read its ranges)."""
        if self._file is not None and self._names:
            self._flush()
        self._number = -1
        if self._file is None:
            return False
        try:
            self._file.flush()
        except OSError:
            self.close()
            return False
        return True

    def chunks(self) -> Iterator[SpooledChunk]:
        """Every chunk's names record in order, from the start. After each, the units of
        an own chunk (``size`` > 0) may be :meth:`take`-n; they are skipped otherwise.
        Raises :class:`SpoolLost` when the file cannot be read."""
        file = self._file
        if file is None:
            raise SpoolLost("no spool")
        try:
            file.seek(0)
            while True:
                if self._pending:
                    file.seek(self._pending, os.SEEK_CUR)
                    self._pending = 0
                if not file.peek(1):  # type: ignore[attr-defined]
                    return
                record = pickle.load(file)
                if type(record) is not SpooledChunk:
                    raise SpoolLost("not a chunk record")
                self._pending = record.size
                yield record
        except (OSError, EOFError, pickle.UnpicklingError, ValueError) as exc:
            raise SpoolLost(str(exc)) from None

    def take(self) -> list[Unit]:
        """The units of the own chunk just given by :meth:`chunks`."""
        file = self._file
        size, self._pending = self._pending, 0
        if file is None or not size:
            raise SpoolLost("no units here")
        try:
            data = file.read(size)
        except OSError as exc:
            raise SpoolLost(str(exc)) from None
        return _units(data, size)

    def close(self) -> None:
        file, self._file = self._file, None
        self._names, self._units = [], None
        if file is not None and not self._shared:
            try:
                file.close()
            except OSError:
                pass


def read_units(file: IO[bytes], offset: int, size: int) -> list[Unit]:
    """The units of a chunk another worker spooled at ``offset`` (``size`` bytes) of
    ``file``, read without moving that worker's position in it."""
    try:
        data = os.pread(file.fileno(), size, offset)
    except OSError as exc:
        raise SpoolLost(str(exc)) from None
    return _units(data, size)


def _units(data: bytes, size: int) -> list[Unit]:
    if len(data) != size:
        raise SpoolLost("short read")
    try:
        kept = pickle.loads(data)
    except (EOFError, pickle.UnpicklingError, ValueError) as exc:
        raise SpoolLost(str(exc)) from None
    return [Unit(index, stem, label, payload) for index, stem, label, payload in kept]
