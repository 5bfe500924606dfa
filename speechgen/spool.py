"""The units of a batch's first pass, kept on disk for its second.

A letter batch reads its recipients twice: the first pass checks every row (all
errors are told before anything is written), the second composes them. Reading a
row again meant parsing and checking it again (about 0.07 ms a row); the first
pass already has each unit as the second needs it. :class:`UnitSpool` writes them,
one pickle each, to an unnamed temporary file, and gives them back in order: the
second pass composes exactly the rows the first one checked, and memory stays
flat (the file, not the process, holds the batch).

The rows another worker writes are kept as runs (:class:`PassedBy`): one pickle for
each run of consecutive such rows, holding only what naming them needs (their index,
stem and the hash the survey gave), so passing them by costs the second pass next to
nothing.

Any fault of the file (no temporary folder, a full disk) only ends the spool:
:meth:`UnitSpool.units` then returns None, and the second pass reads the rows
again as before. A fault while reading it back (a disk error) raises
:class:`SpoolLost` after the last unit read whole: the second pass reads the
rest of the rows again (:func:`speechgen.render._second_pass`).
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from typing import IO

from .compose import PassedBy, Unit


class SpoolLost(Exception):
    """The spool could not be read back further (the units given so far were whole)."""


#: the most rows passed by that one run holds (a worker with no rows of its own nearby)
RUN_ROWS = 1000


class UnitSpool:
    """Units written in order (:meth:`add`), read back once (:meth:`units`)."""

    def __init__(self) -> None:
        self._file: IO[bytes] | None = None
        self._run: list[tuple[int, str, int | None]] = []  # rows passed by, not yet written
        try:
            import tempfile  # a batch's only: a single render never imports it

            self._file = tempfile.TemporaryFile()
        except OSError:
            self._file = None

    @property
    def ok(self) -> bool:
        return self._file is not None

    def add(self, unit: Unit, own: bool, survey: int | None = None) -> None:
        """Keep ``unit``; only its index, stem and ``survey`` (the hash the names' survey
        gave it) when not ``own`` (a row another worker writes).

        Its problems and warnings are not kept: the second pass does not read them."""
        if self._file is None:
            return
        try:
            if not own:
                self._run.append((unit.index, unit.stem, survey))
                if len(self._run) >= RUN_ROWS:
                    self._flush_run()
                return
            if self._run:
                self._flush_run()
            # a pickle of its own for each unit: nothing is remembered from one to the next
            # (a Pickler kept for the batch would hold every object it wrote)
            pickle.dump(
                (unit.index, unit.stem, unit.label, unit.payload, unit.errors),
                self._file,
                pickle.HIGHEST_PROTOCOL,
            )
        except (OSError, pickle.PicklingError):
            self.close()

    def _flush_run(self) -> None:
        run, self._run = self._run, []
        assert self._file is not None
        pickle.dump(PassedBy(run), self._file, pickle.HIGHEST_PROTOCOL)

    def units(self) -> Iterator[Unit | PassedBy] | None:
        """The units in the order they were added (the rows passed by in runs), or None
        when the spool failed."""
        if self._file is None:
            return None
        try:
            if self._run:
                self._flush_run()
            self._file.flush()
            self._file.seek(0)
        except OSError:
            self.close()
            return None
        return self._read(self._file)

    def _read(self, file: IO[bytes]) -> Iterator[Unit | PassedBy]:
        try:
            while True:
                at_end = not file.peek(1)  # type: ignore[attr-defined]
                if at_end:
                    return
                try:
                    item = pickle.load(file)
                except (OSError, EOFError, pickle.UnpicklingError, ValueError) as exc:
                    raise SpoolLost(str(exc)) from None
                if type(item) is PassedBy:
                    yield item
                    continue
                index, stem, label, payload, errors = item
                yield Unit(index, stem, label, payload, [], errors)
        except OSError as exc:  # the peek
            raise SpoolLost(str(exc)) from None
        finally:
            self.close()

    def close(self) -> None:
        file, self._file = self._file, None
        self._run = []
        if file is not None:
            try:
                file.close()
            except OSError:
                pass


def open_spool() -> UnitSpool | None:
    """A new spool, or None when no temporary file can be made."""
    spool = UnitSpool()
    return spool if spool.ok else None
