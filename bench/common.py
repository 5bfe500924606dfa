"""Shared helpers for the benchmark scripts in bench/ (not tests, not part of the package).

Environment header, a generator of letters jobs with N recipients, whole-process
timing, peak RSS of a child process, python-docx text extraction and a small
table printer.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from importlib import metadata
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
SAMPLES = REPO / "speechgen" / "samples"
SPEECH_SAMPLE = SAMPLES / "01-县-季度-讲话稿.yaml"

# ------------------------------------------------------------------ environment


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def add_common_args(ap: argparse.ArgumentParser) -> None:
    """--tmpdir, --keep and --no-bytecode-cache, shared by every script."""
    ap.add_argument(
        "--tmpdir",
        default=None,
        help="where the temporary folder goes (default: the system's, e.g. /tmp; "
        "/dev/shm takes the disk's file-creation cost out)",
    )
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    ap.add_argument(
        "--no-bytecode-cache",
        dest="bytecode_cache",
        action="store_false",
        help="run the child processes with the environment as inherited (by default they get "
        "a bytecode cache in the temporary folder, as an installed package has)",
    )


def reproduce_command() -> str:
    """The command line that reproduces this run (from the repository root)."""
    script = Path(sys.argv[0]).resolve()
    try:
        shown = str(script.relative_to(REPO))
    except ValueError:
        shown = str(script)
    return " ".join(shlex.quote(a) for a in ["python", shown, *sys.argv[1:]])


def print_header(title: str, tmp_root: str | None = None) -> None:
    """Title, reproduce command and the environment the figures were taken in."""
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    rows = [
        ("command", reproduce_command()),
        ("cwd", str(REPO)),
        ("CPU", f"{cpu_model()}; os.cpu_count()={os.cpu_count()}, usable={usable_cpus()}"),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("platform", platform.platform()),
        (
            "versions",
            ", ".join(
                f"{d} {_version(d)}"
                for d in (
                    "speechgen",
                    "python-docx",
                    "jinja2",
                    "docxtpl",
                    "docx-mailmerge",
                    "lxml",
                    "PyYAML",
                )
            ),
        ),
        ("load avg", f"{load} (1/5/15 min, at start; other work on the machine skews figures)"),
        (
            "bytecode",
            f"PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')} "
            f"PYTHONPYCACHEPREFIX={os.environ.get('PYTHONPYCACHEPREFIX', '')} (this process)",
        ),
    ]
    if tmp_root is not None:
        root = tmp_root or tempfile.gettempdir()
        rows.append(
            (
                "temp dir",
                f"{root} ({fs_type(root)}); {create_cost_ms(root):.2f} ms to create a file",
            )
        )
    print(f"== {title} ==")
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"{k:<{width}} : {v}")
    print()


def fs_type(path: str) -> str:
    """File system type of ``path`` (from /proc/mounts; the longest matching mount point)."""
    best, kind = "", "unknown"
    target = os.path.realpath(path)
    try:
        with open("/proc/mounts", encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                mount = parts[1]
                inside = target == mount or target.startswith(mount.rstrip("/") + "/")
                if len(parts) > 2 and inside and len(mount) >= len(best):
                    best, kind = mount, parts[2]
    except OSError:
        pass
    return kind


def create_cost_ms(root: str, files: int = 200, size: int = 9000) -> float:
    """Milliseconds to create and write one small file under ``root`` (both sides pay it)."""
    folder = Path(tempfile.mkdtemp(prefix="fsprobe-", dir=root))
    data = os.urandom(size)
    try:
        t0 = time.perf_counter()
        for i in range(files):
            with open(folder / f"probe-{i}.docx", "wb") as fh:
                fh.write(data)
        return (time.perf_counter() - t0) * 1000 / files
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class CpuWatch:
    """How much CPU other processes used while the benchmark ran (from /proc/stat).

    All CPU time the machine spent busy, minus this process and its children's, is work
    done by someone else on the same cores: a sign the figures were taken on a busy machine.
    """

    def __init__(self) -> None:
        self.t0 = time.perf_counter()
        self.busy0, self.steal0 = self._machine()
        self.own0 = self._own()

    @staticmethod
    def _machine() -> tuple[float, float]:
        try:
            with open("/proc/stat", encoding="ascii") as fh:
                f = [int(x) for x in fh.readline().split()[1:]]
        except (OSError, ValueError):
            return 0.0, 0.0
        tick = os.sysconf("SC_CLK_TCK")
        user, nice, system, _idle, _iowait, irq, softirq = f[:7]
        steal = f[7] if len(f) > 7 else 0
        return (user + nice + system + irq + softirq) / tick, steal / tick

    @staticmethod
    def _own() -> float:
        import resource

        me = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime

    def report(self) -> str:
        wall = time.perf_counter() - self.t0
        busy, steal = self._machine()
        if not busy:
            return "other load : unknown (no /proc/stat)"
        other = max(0.0, (busy - self.busy0) - (self._own() - self.own0))
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        return (
            f"other load : {other:.1f} CPU-s used by other processes during the {wall:.0f} s run "
            f"({other / wall:.0%} of one core; hypervisor steal {steal - self.steal0:.1f} s); "
            f"load avg now {load}"
        )


# ------------------------------------------------------------------ letters job

_TOWNSHIPS = (
    "城关镇 青石镇 白沙镇 桃源镇 河口镇 龙泉镇 石门乡 柳林乡 高坪乡 杨家乡 马坡乡 花园乡".split()
)
_DEPARTMENTS = [
    ("县应急管理局", "局长"),
    ("县住建局", "局长"),
    ("县交通运输局", "局长"),
    ("县公安局", "局长"),
    ("县市场监管局", "局长"),
    ("县消防救援大队", "大队长"),
    ("县教育局", "局长"),
    ("县水利局", "局长"),
    ("县自然资源局", "局长"),
    ("县林业局", "局长"),
]
_ENTERPRISES = (
    "青山化工 青山水泥 江北燃气青山分 青山公共交通 青山建工集团 青山石料 青山食品 青山物流".split()
)
_SECTORS = [
    "危险化学品",
    "工贸",
    "非煤矿山",
    "建筑施工",
    "燃气",
    "道路交通",
    "水上交通",
    "烟花爆竹",
    "特种设备",
    "消防",
    "学校",
    "防汛抗旱",
    "地质灾害",
    "森林防火",
    "旅游",
    "职业卫生",
    "有限空间",
    "供水供电供气",
]

JOB_HEAD = """\
# Generated by bench/common.py: a letters job with {n} recipients ({how}).
type: letter
org: {{level: 县, name: 青山县, parent: 江北市}}
party_a: {{name: 青山县人民政府, signer_title: 县长}}
term: {{start: 2024-01-01, end: 2024-12-31}}
sign_date: 2024-02-20
targets:
  - 不发生较大及以上生产安全事故
  - 生产安全事故死亡人数控制在{{limits.deaths_max}}人以内
  - 重大事故隐患整改率达到100%
duties: auto
sanctions: auto
copies: 2
"""


def recipient(i: int) -> dict:
    """Recipient ``i``: the three types in turn, varying deaths_max and sectors, unique names."""
    kind = ("township", "department", "enterprise")[i % 3]
    k = i // 3

    def series(m: int) -> str:  # unique names once a base list is used up: 城关镇人民政府（2）
        return f"（{k // m + 1}）" if k >= m else ""

    if kind == "township":
        base = _TOWNSHIPS[k % len(_TOWNSHIPS)]
        r = {
            "name": f"{base}人民政府{series(len(_TOWNSHIPS))}",
            "type": kind,
            "signer_title": "乡长" if base.endswith("乡") else "镇长",
            "limits": {"deaths_max": k % 3},
        }
        if k % 4 == 0:  # some townships name sectors of their own
            r["sectors"] = [_SECTORS[k % len(_SECTORS)]]
        return r
    if kind == "department":
        base, title = _DEPARTMENTS[k % len(_DEPARTMENTS)]
        count = 1 + k % 3
        return {
            "name": f"{base}{series(len(_DEPARTMENTS))}",
            "type": kind,
            "signer_title": title,
            "limits": {"deaths_max": 0},
            "sectors": [_SECTORS[(k * 5 + j * 7) % len(_SECTORS)] for j in range(count)],
        }
    base = _ENTERPRISES[k % len(_ENTERPRISES)]
    return {
        "name": f"{base}{'公司' if base.endswith('分') else '有限公司'}{series(len(_ENTERPRISES))}",
        "type": kind,
        "signer_title": "法定代表人",
        "limits": {"deaths_max": k % 2},
        "sectors": [_SECTORS[(k * 3 + j * 11) % len(_SECTORS)] for j in range(1 + k % 2)],
    }


def write_letters_job(folder: Path, n: int, recipients: str = "inline", start: int = 0) -> Path:
    """Write a letters job with ``n`` recipients into ``folder``; return the YAML path.

    ``recipients``: ``inline`` (a ``recipients:`` list in the YAML), ``csv`` or ``xlsx``
    (a ``recipients_file`` next to it, like the sample's 责任单位.xlsx). ``start``: the
    job holds recipients ``start`` to ``start + n - 1`` (a part of a larger batch).
    """
    folder.mkdir(parents=True, exist_ok=True)
    rows = [recipient(i) for i in range(start, start + n)]
    path = folder / f"letters-{n}-{recipients}.yaml"
    head = JOB_HEAD.format(n=n, how=recipients)
    if recipients == "inline":
        lines = [head, "recipients:\n"]
        # JSON is YAML: one flow mapping per recipient, every string quoted.
        lines += [f"  - {json.dumps(r, ensure_ascii=False)}\n" for r in rows]
        path.write_text("".join(lines), encoding="utf-8")
        return path
    header = ["name", "type", "signer_title", "limits.deaths_max", "sectors"]
    table = [
        [
            r["name"],
            r["type"],
            r["signer_title"],
            r["limits"]["deaths_max"],
            "、".join(r.get("sectors", [])),
        ]
        for r in rows
    ]
    if recipients == "csv":
        table_path = folder / f"letters-{n}-csv.csv"
        with open(table_path, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            w.writerows(table)
    elif recipients == "xlsx":
        import openpyxl

        table_path = folder / f"letters-{n}-xlsx.xlsx"
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(header)
        for row in table:
            ws.append(row)
        wb.save(table_path)
    else:
        raise ValueError(recipients)
    path.write_text(head + f"recipients_file: {table_path.name}\n", encoding="utf-8")
    return path


def child_env(n: int, tmp: Path, bytecode_cache: bool = True) -> dict[str, str]:
    """Environment of the measured processes: input limits for ``n`` letters and, unless
    ``bytecode_cache`` is false, a bytecode cache under ``tmp``.

    An editable install has no ``__pycache__`` of its own, and with PYTHONDONTWRITEBYTECODE
    set (as in some sandboxes) every speechgen process would recompile the package while the
    pip-installed docxtpl/python-docx load their .pyc files. PYTHONPYCACHEPREFIX puts the cache
    in the temporary folder, so nothing is written into the repository; :func:`warm_up`
    fills it before anything is timed.
    """
    env = speechgen_env(n)
    if bytecode_cache:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    return env


def bytecode_note(env: dict[str, str]) -> str:
    if env.get("PYTHONPYCACHEPREFIX") and not env.get("PYTHONDONTWRITEBYTECODE"):
        return f"children: PYTHONPYCACHEPREFIX={env['PYTHONPYCACHEPREFIX']} (filled by an untimed warm-up)"
    return (
        f"children: as inherited (PYTHONDONTWRITEBYTECODE={env.get('PYTHONDONTWRITEBYTECODE', '')}, "
        f"PYTHONPYCACHEPREFIX={env.get('PYTHONPYCACHEPREFIX', '')})"
    )


def warm_up(env: dict[str, str], tmp: Path) -> None:
    """One untimed run of everything the benchmarks start (fills the bytecode cache)."""
    folder = tmp / "warm-up"
    job = write_letters_job(folder, 3)
    time_process(speechgen_cmd("render", job, "-o", folder / "out", "--jobs", "2"), env)
    time_process(speechgen_cmd("render", SPEECH_SAMPLE, "-o", folder / "out"), env)
    time_process([sys.executable, "-c", "import docxtpl, docx, jinja2, lxml.etree"], env)
    shutil.rmtree(folder, ignore_errors=True)


def job_bytes(job: Path) -> int:
    """Size of a job written by :func:`write_letters_job`: the YAML and its recipients table."""
    return sum(p.stat().st_size for p in job.parent.glob(f"{job.stem}.*"))


def speechgen_env(n: int) -> dict[str, str]:
    """Environment for ``speechgen`` on an ``n``-recipient job (input limits raised as needed).

    The defaults allow 5,000 recipients and 100,000 YAML nodes; bigger benchmark jobs raise
    them through the documented SPEECHGEN_MAX_* variables (printed by :func:`env_note`).
    """
    env = dict(os.environ)
    env.update(limit_overrides(n))
    return env


def limit_overrides(n: int) -> dict[str, str]:
    out: dict[str, str] = {}
    if n > 5000:
        out["SPEECHGEN_MAX_RECIPIENTS"] = str(n)
    if n * 20 > 100_000:
        out["SPEECHGEN_MAX_NODES"] = str(n * 20)
    if n * 200 > 2 * 1024 * 1024:
        out["SPEECHGEN_MAX_INPUT_BYTES"] = str(n * 200)
    return out


def env_note(n: int) -> str:
    o = limit_overrides(n)
    return " ".join(f"{k}={v}" for k, v in o.items()) if o else "(none needed)"


# ------------------------------------------------------------------ processes


def speechgen_cmd(*args: str | Path) -> list[str]:
    """``speechgen ARGS`` as run by a user (the console script next to this Python)."""
    exe = Path(sys.executable).with_name("speechgen")
    head = [str(exe)] if exe.exists() else [sys.executable, "-m", "speechgen"]
    return head + [str(a) for a in args]


def time_process(cmd: Sequence[str | Path], env: dict[str, str] | None = None) -> float:
    """Wall seconds of a whole process (perf_counter around subprocess.run, stdout discarded)."""
    argv = [str(a) for a in cmd]
    t0 = time.perf_counter()
    proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    dt = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr.decode("utf-8", "replace")[-4000:])
        raise SystemExit(f"failed (exit {proc.returncode}): {shlex.join(argv)}")
    return dt


RSS_METHOD_WAIT4 = (
    "os.wait4() rusage of the child (ru_maxrss, KiB; max of the child and its reaped children)"
)
RSS_METHOD_TIME = "/usr/bin/time -f %M (max resident set size, KiB)"


def peak_rss(cmd: Sequence[str | Path], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Run ``cmd``; return (wall seconds, peak RSS in KiB of exactly this child, from wait4).

    ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` is a high-water mark over every child
    ever waited for, so a delta is meaningless once an earlier child was bigger; ``os.wait4``
    gives the rusage of exactly this child. :func:`peak_rss_time` is the /usr/bin/time cross-check.
    """
    argv = [str(a) for a in cmd]
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    # read stderr before waiting so a chatty child cannot block on a full pipe
    err = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    dt = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.stderr.write(err.decode("utf-8", "replace")[-4000:])
        raise SystemExit(f"failed (exit {proc.returncode}): {shlex.join(argv)}")
    return dt, int(usage.ru_maxrss)


def run_together(
    cmds: Sequence[Sequence[str | Path]], env: dict[str, str] | None = None
) -> tuple[float, list[int]]:
    """Start every command at once; return (wall seconds until the last one ends, the peak
    RSS in KiB of each, from wait4)."""
    t0 = time.perf_counter()
    procs = [
        subprocess.Popen([str(a) for a in cmd], stdout=subprocess.DEVNULL, env=env) for cmd in cmds
    ]
    peaks = []
    for proc, cmd in zip(procs, cmds, strict=True):
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise SystemExit(f"failed (exit {proc.returncode}): {shlex.join(map(str, cmd))}")
        peaks.append(int(usage.ru_maxrss))
    return time.perf_counter() - t0, peaks


def peak_rss_time(cmd: Sequence[str | Path], env: dict[str, str] | None = None) -> int | None:
    """Peak RSS (KiB) as reported by ``/usr/bin/time -f %M``; None when it is not installed."""
    if not os.path.exists("/usr/bin/time"):
        return None
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as fh:
        argv = ["/usr/bin/time", "-f", "%M", "-o", fh.name, *[str(a) for a in cmd]]
        proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr.decode("utf-8", "replace")[-4000:])
            raise SystemExit(f"failed (exit {proc.returncode}): {shlex.join(argv)}")
        text = Path(fh.name).read_text().strip().splitlines()
    return int(text[-1]) if text else None


# ------------------------------------------------------------------ folders and outputs


@contextlib.contextmanager
def work_folder(
    keep: bool = False, root: str | None = None, prefix: str = "speechgen-bench-"
) -> Iterator[Path]:
    """A temporary folder (under ``root``, default the system's), removed afterwards unless ``keep``."""
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=root or None))
    try:
        yield path
    finally:
        if keep:
            print(f"(kept {path})")
        else:
            shutil.rmtree(path, ignore_errors=True)


def fresh(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def count_files(folder: Path, suffix: str = ".docx") -> int:
    return sum(1 for p in folder.iterdir() if p.name.endswith(suffix))


def docx_texts(path: Path) -> list[str]:
    """Body paragraph texts, then each table cell's paragraph texts, read with python-docx
    (through the checker's paragraph_text, which also reads ruby bases: speechgen keeps
    dates and numbers with units on one line as rubies)."""
    import docx

    from speechgen.check.docx_reader import paragraph_text

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    d = docx.Document(str(path))
    out = [paragraph_text(p._p, w)[0] for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            for cell in row.cells:
                out.extend(paragraph_text(p._p, w)[0] for p in cell.paragraphs)
    return out


def text_chars(path: Path) -> int:
    """Characters of text in the body and tables (whitespace and line breaks not counted)."""
    return sum(len("".join(s.split())) for s in docx_texts(path))


# ------------------------------------------------------------------ figures


def median(xs: Sequence[float]) -> float:
    return statistics.median(xs)


def p95(xs: Sequence[float]) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, round(0.95 * len(s)) - 1))]


def print_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A small Markdown table (left column left-aligned, the others right-aligned)."""
    cells = [[str(c) for c in header]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]

    def line(r: Sequence[str]) -> str:
        parts = [r[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True)
        ]
        return "| " + " | ".join(parts) + " |"

    print(line(cells[0]))
    print("|" + "|".join(["-" * (widths[0] + 2)] + ["-" * (w + 1) + ":" for w in widths[1:]]) + "|")
    for r in cells[1:]:
        print(line(r))


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"
