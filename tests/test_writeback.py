"""The writer process of a batch (speechgen/writeback.py): documents handed over in
requests of several, answered in the order given, each file complete; after a fault
every further file is skipped, and nothing is lost at the end of a partial request."""

from __future__ import annotations

from pathlib import Path

import pytest

from speechgen import writeback


@pytest.mark.skipif(not writeback.available(), reason="the writer is forked (no os.fork here)")
@pytest.mark.parametrize("count", [1, writeback.BATCH, 37, writeback.WINDOW + 5])
def test_every_document_is_written_and_answered_in_order(tmp_path: Path, count: int) -> None:
    answered: list[tuple[int, list]] = []
    writer = writeback.Writer(lambda token, results: answered.append((token, results)))
    for i in range(count):
        data = f"文档{i}".encode() * (i + 1)
        writer.submit(i, [(str(tmp_path / f"{i}.docx"), data)], False)
        writer.poll()
    writer.finish()
    assert [t for t, _r in answered] == list(range(count))
    assert all(r == [("written",)] for _t, r in answered)
    for i in range(count):
        assert (tmp_path / f"{i}.docx").read_bytes() == f"文档{i}".encode() * (i + 1)


@pytest.mark.skipif(not writeback.available(), reason="the writer is forked (no os.fork here)")
def test_after_a_fatal_fault_the_rest_is_skipped(tmp_path: Path, monkeypatch) -> None:
    real = writeback.store
    calls = []

    def store(path: Path, data: bytes, force: bool):
        calls.append(path)
        if path.name == "5.docx":  # the disk is full from here on
            return ("os", 28, "No space left on device", str(path), True)
        return real(path, data, force)

    monkeypatch.setattr(writeback, "store", store)  # the forked writer has it too
    answered: list[tuple[int, list]] = []
    writer = writeback.Writer(lambda token, results: answered.append((token, results)))
    for i in range(23):
        writer.submit(i, [(str(tmp_path / f"{i}.docx"), b"x" * 100)], False)
    writer.finish()
    statuses = [r[0][0] for _t, r in answered]
    assert [t for t, _r in answered] == list(range(23))
    assert statuses == ["written"] * 5 + ["os"] + ["skipped"] * 17
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{i}.docx" for i in range(5))
