"""A recipients sheet formatted down to Excel's last row (1,048,576): how long it takes to read.

The workbook holds a header and N rows of data (default 36) and then formatted, valueless
cells in two columns down to row 1,048,576, as a sheet looks after "format whole column"
in some programs (about 88 MB of sheet XML, 7 MB zipped). Measured: reading it with
speechgen's reader in this process (CPU and wall time, median of the rounds), and a whole
`speechgen render` of a letters job that names it. With --openpyxl, also the time of
openpyxl's read-only reader over the same sheet (what speechgen used before; ~80 s).

    python bench/xlsx_formatted.py               # 3 rounds
    python bench/xlsx_formatted.py --openpyxl    # plus the openpyxl baseline (slow)
"""

from __future__ import annotations

import argparse
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

TARGET_S = 10.0  # CPU seconds for the read, on the 2-core development machine
LAST_ROW = 1_048_576

JOB = """type: letter
org: {level: 县, name: 青山县}
party_a: {name: 青山县人民政府, signer_title: 县长}
term: {start: 2024-01-01, end: 2024-12-31}
sign_date: 2024-02-20
targets:
  - 生产安全事故死亡人数控制在{limits.deaths_max}人以内
recipients_file: 名单.xlsx
"""


def build(folder: Path, rows: int) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["单位名称", "死亡人数控制指标"])
    for i in range(rows):
        sheet.append([f"第{i + 1}单位", i % 3])
    seed = folder / "seed.xlsx"
    book.save(seed)
    first = rows + 2
    empty = "".join(
        f'<row r="{r}"><c r="A{r}" s="0"/><c r="B{r}" s="0"/></row>'
        for r in range(first, LAST_ROW + 1)
    ).encode()
    target = folder / "名单.xlsx"
    with zipfile.ZipFile(seed) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(b"</sheetData>", empty + b"</sheetData>")
            dst.writestr(info.filename, data)
    return target


def read_speechgen(path: Path) -> tuple[float, float, int]:
    from speechgen.inputs import Limits
    from speechgen.inputs.tables import read_table

    wall, cpu = time.perf_counter(), time.process_time()
    table = read_table(path, Limits())
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if table.errors or table.problems:
        raise SystemExit(f"unexpected problems: {table.errors + table.problems}")
    return wall, cpu, len(table.rows)


def read_openpyxl(path: Path) -> tuple[float, float, int]:
    import openpyxl

    wall, cpu = time.perf_counter(), time.process_time()
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    sheet = book.worksheets[0]
    sheet.reset_dimensions()
    rows = sum(1 for r in sheet.iter_rows(values_only=True) if any(v is not None for v in r))
    book.close()
    return time.perf_counter() - wall, time.process_time() - cpu, rows - 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    common.add_common_args(ap)
    ap.add_argument("--rows", type=int, default=36, help="rows of data above the formatted cells")
    ap.add_argument("--rounds", type=int, default=3, help="reads timed (median reported)")
    ap.add_argument("--openpyxl", action="store_true", help="also time openpyxl's reader")
    a = ap.parse_args()
    common.print_header("recipients sheet formatted to row 1,048,576", a.tmpdir)
    watch = common.CpuWatch()
    with common.work_folder(a.keep, a.tmpdir) as tmp:
        path = build(tmp, a.rows)
        size = path.stat().st_size
        with zipfile.ZipFile(path) as archive:
            xml = max(i.file_size for i in archive.infolist())
        print(f"workbook   : {size / 1e6:.1f} MB zipped, sheet XML {xml / 1e6:.1f} MB")
        runs = [read_speechgen(path) for _ in range(a.rounds)]
        rows = [
            [
                "speechgen read_table",
                f"{common.median([r[1] for r in runs]):.2f}",
                f"{common.median([r[0] for r in runs]):.2f}",
                runs[0][2],
            ]
        ]
        if a.openpyxl:
            base = read_openpyxl(path)
            rows.append(["openpyxl read-only", f"{base[1]:.2f}", f"{base[0]:.2f}", base[2]])
        (tmp / "job.yaml").write_text(JOB, encoding="utf-8")
        env = common.child_env(1, tmp, a.bytecode_cache)
        out = common.fresh(tmp / "out")
        whole = common.time_process(
            common.speechgen_cmd("render", tmp / "job.yaml", "-o", out, "-f", "md"), env
        )
        rows.append(["speechgen render (whole process)", "", f"{whole:.2f}", a.rows])
    common.print_table(["reader", "CPU s (median)", "wall s (median)", "data rows"], rows)
    cpu = common.median([r[1] for r in runs])
    print(
        f"\ntarget: read in under {TARGET_S:.0f} s of CPU: {cpu:.2f} s "
        f"-> {common.verdict(cpu < TARGET_S)}"
    )
    print(watch.report())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
