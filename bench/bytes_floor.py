"""The bytes floor of the letters benchmark: write speechgen's finished files again, one process.

Run by bench/compare.py as its own process (and runnable by hand). It writes the finished
bytes of a speechgen run (every .docx and the manifest.csv in ``--reference``) to fresh
files of the same names in ``--out``, with speechgen's own write
(``speechgen.output.write_atomic``: lstat, an unnamed ``O_TMPFILE`` file in the target
folder, write, link, close; or a temporary file renamed where that is unsupported). What it
measures is the cost of the files themselves on this disk: the least any generator of these
letters could spend.

The bytes are read in chunks of ``--chunk`` files, and only the writes are timed
(``time.perf_counter`` around each chunk's writes; reading the reference, interpreter
start and imports are not), so memory stays bounded at 100,000 letters and the floor is
as low as it can honestly be. The result is JSON in ``--result`` (or on stdout):
``{"files", "bytes", "write_s", "read_s"}``.

    python bench/bytes_floor.py --reference REF --out OUTDIR [--result FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path


def finished_files(reference: Path) -> list[str]:
    """Names of the finished files of a speechgen run: its .docx files and manifest.csv."""
    return sorted(
        e.name
        for e in os.scandir(reference)
        if e.is_file() and not e.name.startswith(".") and e.name.endswith((".docx", ".csv"))
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Write the finished files of a speechgen run again with speechgen's atomic "
        "write (an unnamed file linked in, or a temporary file renamed); time the writes only."
    )
    ap.add_argument("--reference", type=Path, required=True, help="folder of a speechgen run")
    ap.add_argument("--out", type=Path, required=True, help="fresh output folder")
    ap.add_argument("--chunk", type=int, default=1000, help="files read per chunk (default 1000)")
    ap.add_argument("--result", type=Path, help="write the JSON result here (default: stdout)")
    a = ap.parse_args(argv)

    from speechgen.output import write_atomic

    a.out.mkdir(parents=True, exist_ok=True)
    names = finished_files(a.reference)
    write_s = read_s = 0.0
    total = 0
    for start in range(0, len(names), a.chunk):
        t0 = time.perf_counter()
        chunk = [(n, (a.reference / n).read_bytes()) for n in names[start : start + a.chunk]]
        t1 = time.perf_counter()
        for name, data in chunk:
            write_atomic(a.out / name, data, force=False)
            total += len(data)
        t2 = time.perf_counter()
        read_s += t1 - t0
        write_s += t2 - t1
    result = {"files": len(names), "bytes": total, "write_s": write_s, "read_s": read_s}
    text = json.dumps(result)
    if a.result:
        a.result.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
