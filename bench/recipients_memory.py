"""Peak RSS and speed of reading a letters job's recipients as a stream.

For each format (inline YAML list, CSV, XLSX) and size (1,000, 10,000, 100,000 by
default) a child process runs ``load_job(path, stream=True)`` and iterates the
source twice (the batch's validation and render passes), and reports its peak RSS
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``) and CPU time per row. The source's
memory must be flat: every size within 20% of the smallest, and under 120 MB.
``--list`` measures ``load_job(path)`` (the whole list, as before streaming) instead.

    python bench/recipients_memory.py [--sizes 1000 10000 100000] [--list]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    CpuWatch,
    add_common_args,
    print_header,
    print_table,
    verdict,
    work_folder,
)

FORMATS = ("inline", "csv", "xlsx")
LIMIT_MB = 120
SPREAD = 0.20

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
path, mode = Path(sys.argv[1]), sys.argv[2]
import speechgen.inputs.jobs  # imports first: their memory is the floor, not the source's
from speechgen.inputs import load_job
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.process_time()
if mode == "list":
    job = load_job(path)
    rows, created = len(job.data["recipients"]), time.process_time() - t0
    passes = []
else:
    job = load_job(path, stream=True)
    created = time.process_time() - t0
    passes = []
    for _ in range(2):
        t = time.process_time()
        rows = sum(1 for row in job.recipients if row.data is not None)
        passes.append(time.process_time() - t)
hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(json.dumps({"rows": rows, "created": created, "passes": passes, "base_kib": base,
                  "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "hwm_kib": hwm}))
"""

WRITE = r"""
import sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from common import write_letters_job
print(write_letters_job(Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4]))
"""


def child_env(n: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "SPEECHGEN_MAX_RECIPIENTS": str(max(n, 5000)),
            "SPEECHGEN_MAX_NODES": str(max(n * 20, 2_000_000)),
            "SPEECHGEN_MAX_INPUT_BYTES": str(max(n * 200, 8 * 1024 * 1024)),
            "SPEECHGEN_MAX_TABLE_BYTES": str(max(n * 200, 20 * 1024 * 1024)),
        }
    )
    return env


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    ap.add_argument("--formats", nargs="+", default=list(FORMATS), choices=FORMATS)
    ap.add_argument(
        "--list", action="store_true", help="load_job(path): the whole list, not a stream"
    )
    add_common_args(ap)
    args = ap.parse_args()
    print_header(
        "recipients: peak RSS and CPU per row, " + ("list" if args.list else "stream"), args.tmpdir
    )
    watch = CpuWatch()
    mode = "list" if args.list else "stream"
    table = []
    ok = True
    with work_folder(args.keep, args.tmpdir, prefix="speechgen-recipients-") as tmp:
        for kind in args.formats:
            peaks = []
            for n in args.sizes:
                # written by another process: ru_maxrss of a child counts the parent's
                # size at fork, and openpyxl would make this one big
                job = Path(
                    subprocess.run(
                        [
                            sys.executable,
                            "-c",
                            WRITE,
                            str(Path(__file__).resolve().parent),
                            str(tmp / f"{kind}-{n}"),
                            str(n),
                            kind,
                        ],
                        capture_output=True,
                        text=True,
                        check=True,
                    ).stdout.strip()
                )
                proc = subprocess.run(
                    [sys.executable, "-c", CHILD, str(job), mode],
                    capture_output=True,
                    text=True,
                    env=child_env(n),
                )
                if proc.returncode != 0:
                    sys.stderr.write(proc.stderr[-3000:])
                    raise SystemExit(f"child failed on {kind} {n}")
                r = json.loads(proc.stdout)
                assert r["rows"] == n, r
                peak = r["peak_kib"] / 1024
                peaks.append(peak)
                per_pass = min(r["passes"]) / n * 1e6 if r["passes"] else 0.0
                table.append(
                    [
                        kind,
                        f"{n:,}",
                        f"{r['base_kib'] / 1024:.1f}",
                        f"{peak:.1f}",
                        f"{r['hwm_kib'] / 1024:.1f}",
                        f"{r['created'] / n * 1e6:.1f}",
                        f"{per_pass:.1f}" if r["passes"] else "-",
                    ]
                )
            flat = max(peaks) <= min(peaks) * (1 + SPREAD) and max(peaks) < LIMIT_MB
            ok = ok and flat
            table.append(
                [
                    f"{kind}: within {SPREAD:.0%} and < {LIMIT_MB} MB",
                    "",
                    "",
                    verdict(flat),
                    "",
                    "",
                    "",
                ]
            )
    print_table(
        [
            "format",
            "rows",
            "after imports MB",
            "peak RSS MB",
            "VmHWM MB",
            "create µs/row",
            "one pass µs/row",
        ],
        table,
    )
    print()
    print("peak RSS: ru_maxrss of the child; VmHWM: its /proc high-water mark since exec.")
    print("create: load_job (head, first pass over the recipients); one pass: iterating the source")
    print("(reading and checking each row; the faster of two passes). CPU time (process_time).")
    print(watch.report())
    if not args.list and not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
