"""A hostile machine: where render writes, and how it ends when the machine fails it.

Everything runs through the real CLI (``python -m speechgen``). The output
folder is the only place written: temporary files are created exclusively and
never through a link, links at output names and links among templates are
not followed, two runs cannot write one folder at once, and ``manifest.csv``
is an output like any other. A full disk, a read-only folder, a missing
permission, a vanished folder, a name too long, a closed stdout, a console
that cannot show a character, Ctrl-C, SIGTERM and a worker killed by the
system each end with a Chinese message, the documented exit code, no
traceback, no temporary file, and every file reported as written complete.

The disk-full and read-only cases mount a small tmpfs (the tests run as root
in CI); they are skipped, with the reason, where mounting is not permitted.
Subprocess timeouts are hang guards only.
"""

from __future__ import annotations

import csv
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
import zipfile
from pathlib import Path

import pytest

import speechgen.output as output
from speechgen.output import TEMP_MARK, neutralise_cell, write_atomic

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "speechgen" / "samples"
SPEECH = SAMPLES / "01-县-季度-讲话稿.yaml"
BATCH = "10-县-目标责任书-批量.yaml"
GUARD = 180  # seconds: a hang guard, never a timing assertion

LETTER = """\
type: letter
title: 2024年度安全生产目标责任书
org: {level: 县, name: 青山县}
party_a: {name: 青山县人民政府, signer_title: 县长}
term: {start: 2024-01-01, end: 2024-12-31}
sign_date: 2024-02-20
"""


def run(
    *args: str,
    cwd: Path,
    env: dict | None = None,
    user: str | None = None,
    encoding: str = "utf-8",
):
    cmd = [sys.executable, "-m", "speechgen", *args]
    env = {**os.environ, **(env or {})}
    if user:
        python, path = _python_for(user)
        cmd = ["runuser", "-u", user, "--", python, "-m", "speechgen", *args]
        env["PYTHONPATH"] = path
    return subprocess.run(
        cmd, capture_output=True, encoding=encoding, cwd=cwd, timeout=GUARD, env=env
    )


def _python_for(user: str) -> tuple[str, str]:
    """An interpreter ``user`` may execute that imports this speechgen (this one may sit
    under /root), and the PYTHONPATH that makes it do so; skips when there is none."""
    path = os.pathsep.join([str(ROOT), sysconfig.get_paths()["purelib"]])
    for python in dict.fromkeys([sys.executable, "/usr/bin/python3", shutil.which("python3")]):
        if not python:
            continue
        probe = subprocess.run(
            ["runuser", "-u", user, "--", python, "-c", "import speechgen.cli, lxml, jinja2"],
            capture_output=True,
            env={**os.environ, "PYTHONPATH": path},
            cwd="/",
        )
        if probe.returncode == 0:
            return python, path
    pytest.skip(f"no Python interpreter that user {user} can run imports speechgen")


def no_traceback(proc) -> None:
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, proc.stderr[-3000:]


def temps(folder: Path) -> list[Path]:
    if not folder.exists():
        return []
    return [p for p in folder.rglob("*") if TEMP_MARK in p.name]


def complete(path: Path) -> bool:
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        assert b"<w:body>" in z.read("word/document.xml")
    return True


def reported(proc, cwd: Path) -> list[Path]:
    return [cwd / line for line in proc.stdout.splitlines() if line.strip()]


def batch_folder(tmp_path: Path) -> Path:
    for name in (BATCH, "责任单位.xlsx"):
        shutil.copy(SAMPLES / name, tmp_path / name)
    return tmp_path


BIG = 1500  # letters: at about a millisecond each, the batch is still running well after
# its first file appears (a second run, a signal, a removed folder arrive mid-batch)


def big_batch(tmp_path: Path, n: int = BIG) -> Path:
    """A letter batch of ``n`` recipients (a few seconds of work)."""
    rows = ["name,type,principal_title"] + [f"单位{i:04d},township,主要负责人" for i in range(n)]
    (tmp_path / "名单.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    job = tmp_path / "big.yaml"
    job.write_text(LETTER + "recipients_file: 名单.csv\n", encoding="utf-8")
    return job


@pytest.fixture
def mount_point(tmp_path: Path):
    """A fresh 200 KB tmpfs; unmounted afterwards."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    got = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=200k,mode=0777", "tmpfs", str(mnt)],
        capture_output=True,
        text=True,
    )
    if got.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not permitted here: {got.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


# ================================================================ the output folder only


def test_temporary_files_are_created_exclusively_and_never_through_a_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A link planted at the temporary name is neither followed nor reused."""
    monkeypatch.setattr(output, "_O_TMPFILE", 0)  # the temporary name is the rename path's
    victim = tmp_path / "victim.txt"
    victim.write_text("原有内容", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    tokens = iter(["deadbeef", "cafebabe"])
    monkeypatch.setattr(output, "_token", lambda: next(tokens))
    planted = out / f".a.docx.{os.getpid()}.deadbeef{TEMP_MARK}"
    planted.symlink_to(victim)
    assert write_atomic(out / "a.docx", b"new", force=False) == "written"
    assert victim.read_text(encoding="utf-8") == "原有内容"
    assert planted.is_symlink()  # not ours: left alone
    assert (out / "a.docx").read_bytes() == b"new" and not (out / "a.docx").is_symlink()


def test_an_output_name_that_is_a_link_is_never_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.docx"
    victim.write_bytes(b"not yours")
    first = run("render", str(SPEECH), "-o", "out", cwd=tmp_path)
    assert first.returncode == 0
    target = reported(first, tmp_path)[0]
    target.unlink()
    target.symlink_to(victim)

    refused = run("render", str(SPEECH), "-o", "out", cwd=tmp_path)
    no_traceback(refused)
    assert refused.returncode == 1
    assert "符号链接" in refused.stderr and "--force" in refused.stderr
    assert target.is_symlink() and victim.read_bytes() == b"not yours"

    forced = run("render", str(SPEECH), "-o", "out", "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert not target.is_symlink() and complete(target)  # the link itself was replaced
    assert victim.read_bytes() == b"not yours"
    assert temps(tmp_path) == []


def test_a_template_that_links_out_of_its_folder_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("# 机密\n\n不应出现在任何文件里。\n", encoding="utf-8")
    tpl = tmp_path / "tpl"
    tpl.mkdir()
    (tpl / "speech.md.j2").symlink_to(secret)
    proc = run("render", str(SPEECH), "-o", "out", "--templates", "tpl", cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 1
    assert "speech.md.j2" in proc.stderr and "文件夹以外的链接" in proc.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_template_linked_within_its_folder_is_read(tmp_path: Path) -> None:
    tpl = tmp_path / "tpl"
    tpl.mkdir()
    shutil.copy(ROOT / "speechgen" / "doctypes" / "speech" / "template.md.j2", tpl / "real.md.j2")
    (tpl / "speech.md.j2").symlink_to("real.md.j2")
    proc = run("render", str(SPEECH), "-o", "out", "--templates", "tpl", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr


def test_a_second_run_on_a_locked_folder_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    fd = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running speechgen holds it
        proc = run("render", str(SPEECH), "-o", "out", cwd=tmp_path)
    finally:
        os.close(fd)
    no_traceback(proc)
    assert proc.returncode == 1
    assert "另一个 speechgen 正在写入该文件夹" in proc.stderr
    assert proc.stdout == "" and list(out.iterdir()) == []
    again = run("render", str(SPEECH), "-o", "out", cwd=tmp_path)
    assert again.returncode == 0  # the lock went with its holder; no lock file stays behind
    assert [p.suffix for p in out.iterdir()] == [".docx"]


def test_two_concurrent_runs_never_both_write_one_folder(tmp_path: Path) -> None:
    job = big_batch(tmp_path)
    first = subprocess.Popen(
        [sys.executable, "-m", "speechgen", "render", str(job), "-o", "out"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + GUARD
        while time.monotonic() < deadline and first.poll() is None:
            if (tmp_path / "out").is_dir() and any((tmp_path / "out").glob("*.docx")):
                break
            time.sleep(0.01)
        assert first.poll() is None, "the first run ended before the second could start"
        second = run("render", str(job), "-o", "out", "--force", cwd=tmp_path)
        out1, err1 = first.communicate(timeout=GUARD)
    finally:
        if first.poll() is None:
            first.kill()
    no_traceback(second)
    assert second.returncode == 1 and "另一个 speechgen 正在写入该文件夹" in second.stderr
    assert second.stdout == ""
    assert first.returncode == 0, err1
    assert len(out1.splitlines()) == BIG


def _manifest_rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_manifest_is_not_overwritten_unless_speechgen_wrote_it(tmp_path: Path) -> None:
    batch_folder(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.csv").write_text("我自己的表格\n", encoding="utf-8")
    refused = run("render", BATCH, "-o", "out", cwd=tmp_path)
    no_traceback(refused)
    assert refused.returncode == 1
    assert "manifest.csv" in refused.stderr and "--force" in refused.stderr
    assert (out / "manifest.csv").read_text(encoding="utf-8") == "我自己的表格\n"
    assert refused.stdout == "" and sorted(p.name for p in out.iterdir()) == ["manifest.csv"]

    forced = run("render", BATCH, "-o", "out", "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    rows = _manifest_rows(out / "manifest.csv")
    assert rows[0] == ["文件", "单位或批次", "状态", "说明"] and len(rows) == 37
    rerun = run("render", BATCH, "-o", "out", cwd=tmp_path)  # its own manifest is replaced
    assert rerun.returncode == 0, rerun.stderr
    assert {r[2] for r in _manifest_rows(out / "manifest.csv")[1:]} == {"未变化"}
    assert temps(tmp_path) == []


def test_manifest_that_is_a_link_is_not_followed(tmp_path: Path) -> None:
    batch_folder(tmp_path)
    victim = tmp_path / "victim.csv"
    victim.write_bytes("file,recipient,status,message\r\n".encode("utf-8-sig"))
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.csv").symlink_to(victim)
    proc = run("render", BATCH, "-o", "out", cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 1 and "符号链接" in proc.stderr
    assert victim.read_bytes() == "file,recipient,status,message\r\n".encode("utf-8-sig")


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_a_cell_a_spreadsheet_would_execute_is_neutralised(value: str) -> None:
    assert neutralise_cell(value) == "'" + value
    assert neutralise_cell("青山镇") == "青山镇"


def test_manifest_cells_are_neutralised_through_the_cli(tmp_path: Path) -> None:
    names = ['=HYPERLINK("http://x.cn","点击")', "+青山镇", "-青山乡", "@青山街道"]
    rows = ["name,type,principal_title"] + [
        f'"{n.replace(chr(34), chr(34) * 2)}",township,主要负责人' for n in names
    ]
    (tmp_path / "名单.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "job.yaml").write_text(LETTER + "recipients_file: 名单.csv\n", encoding="utf-8")
    proc = run("render", "job.yaml", "-o", "out", cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    cells = [c for row in _manifest_rows(tmp_path / "out" / "manifest.csv")[1:] for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert sum(1 for c in cells if c.startswith("'")) >= len(names)


# ================================================================ faults of the machine


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_disk_full_ends_cleanly(tmp_path: Path, mount_point: Path, jobs: str) -> None:
    batch_folder(tmp_path)
    out = mount_point / "out"
    proc = run("render", BATCH, "-o", str(out), "--jobs", jobs, cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 1
    assert "磁盘已满" in proc.stderr and "清理磁盘空间" in proc.stderr
    assert "份文件未写出" in proc.stderr  # names the documents not written
    written = reported(proc, tmp_path)
    assert 0 < len(written) < 36
    assert all(complete(p) for p in written)
    assert temps(mount_point) == []


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_read_only_folder_ends_cleanly(tmp_path: Path, mount_point: Path, jobs: str) -> None:
    batch_folder(tmp_path)
    (mount_point / "out").mkdir()
    got = subprocess.run(["mount", "-o", "remount,ro", str(mount_point)], capture_output=True)
    if got.returncode != 0:
        pytest.skip(f"remounting read-only is not permitted here: {got.stderr!r}")
    proc = run("render", BATCH, "-o", str(mount_point / "out"), "--jobs", jobs, cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 1
    assert "只读" in proc.stderr and "-o" in proc.stderr
    assert proc.stdout == ""


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run as another user")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_no_write_permission_ends_cleanly(tmp_path: Path, jobs: str) -> None:
    work = tmp_path / "work"
    work.mkdir()
    batch_folder(work)
    (work / "out").mkdir()
    os.chmod(tmp_path, 0o755)
    os.chmod(work, 0o755)  # readable by nobody, writable by root only
    proc = run("render", BATCH, "-o", "out", "--jobs", jobs, cwd=work, user="nobody")
    no_traceback(proc)
    assert proc.returncode == 1
    assert "没有写入权限" in proc.stderr
    assert proc.stdout == "" and list((work / "out").iterdir()) == []


def test_a_folder_that_vanishes_during_the_batch_ends_cleanly(tmp_path: Path) -> None:
    # enough letters that the folder is gone while most are still to be written (400
    # could all be written, at about a millisecond each, before the folder went: then
    # only the manifest is told as not written)
    job = big_batch(tmp_path, 3000)
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "speechgen", "render", str(job), "-o", str(out)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + GUARD
        while time.monotonic() < deadline and proc.poll() is None:
            if out.is_dir() and any(out.glob("*.docx")):
                break
            time.sleep(0.005)
        # gone from its path at once, then removed: rmtree alone unlinks file by file and
        # can chase the batch's new files to its last one (seen: only the manifest failed)
        if out.is_dir():
            os.rename(out, tmp_path / "gone")
            shutil.rmtree(tmp_path / "gone", ignore_errors=True)
        stdout, stderr = proc.communicate(timeout=GUARD)
    finally:
        if proc.poll() is None:
            proc.kill()
    if proc.returncode == 0:
        pytest.skip("the batch finished before its folder could be removed")
    assert "Traceback" not in stderr
    assert proc.returncode == 1
    assert "输出文件夹不存在或已被删除" in stderr
    assert "份文件未写出" in stderr


def test_a_name_longer_than_the_file_system_allows(tmp_path: Path) -> None:
    proc = run("render", str(SPEECH), "-o", "长" * 120, cwd=tmp_path)  # 360 bytes > NAME_MAX
    no_traceback(proc)
    assert proc.returncode == 1
    assert "文件名或路径过长" in proc.stderr
    assert proc.stdout == ""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_closed_stdout_ends_cleanly(tmp_path: Path, jobs: str) -> None:
    job = big_batch(tmp_path, 120)
    cmd = (
        f"{sys.executable} -m speechgen render {job} -o out --jobs {jobs} | head -1; "
        'echo "rc=${PIPESTATUS[0]}" >&2'
    )
    proc = subprocess.run(
        ["bash", "-c", cmd], capture_output=True, text=True, cwd=tmp_path, timeout=GUARD
    )
    no_traceback(proc)
    assert "rc=1" in proc.stderr
    assert "输出已关闭" in proc.stderr and "已写出的文件都是完整的" in proc.stderr
    assert "Exception ignored" not in proc.stderr
    assert complete(tmp_path / proc.stdout.strip())
    assert all(complete(p) for p in (tmp_path / "out").glob("*.docx"))
    assert temps(tmp_path) == []


@pytest.mark.parametrize("encoding", ["gbk", "ascii"])
def test_a_console_that_cannot_encode_a_character(tmp_path: Path, encoding: str) -> None:
    (tmp_path / "job.yaml").write_text(
        SPEECH.read_text(encoding="utf-8").replace(
            "2024年第二季度全县安全生产工作会议", "2024年第二季度全县安全生产工作会议😀"
        ),
        encoding="utf-8",
    )
    env = {"PYTHONIOENCODING": encoding}
    # click writes UTF-8 to a console that claims ASCII; GBK is used as it is
    shown = "gbk" if encoding == "gbk" else "utf-8"
    proc = run("render", "job.yaml", "-o", "out", cwd=tmp_path, env=env, encoding=shown)
    no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    (name,) = [p.name for p in (tmp_path / "out").iterdir()]
    assert name.endswith("😀上的讲话.docx")
    if encoding == "gbk":  # the character GBK lacks is shown as an escape, the rest as it is
        assert proc.stdout.strip() == f"out/{name}".replace("😀", "\\U0001f600")
    bad = run("render", "missing.yaml", cwd=tmp_path, env=env, encoding=shown)
    no_traceback(bad)
    assert bad.returncode == 2 and "找不到文件" in bad.stderr


def _start(job: Path, cwd: Path, jobs: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "speechgen", "render", str(job), "-o", "out", "--jobs", jobs],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _wait_for_files(out: Path, proc: subprocess.Popen, n: int = 5) -> None:
    deadline = time.monotonic() + GUARD
    while time.monotonic() < deadline and proc.poll() is None:
        if out.is_dir() and sum(1 for _ in out.glob("*.docx")) >= n:
            return
        time.sleep(0.005)


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize(
    "sig, code, words",
    [(signal.SIGINT, 130, "已中断"), (signal.SIGTERM, 143, "已被终止")],
)
def test_interrupted_batch_ends_cleanly(
    tmp_path: Path, jobs: str, sig: signal.Signals, code: int, words: str
) -> None:
    job = big_batch(tmp_path)
    proc = _start(job, tmp_path, jobs)
    try:
        _wait_for_files(tmp_path / "out", proc)
        assert proc.poll() is None, "the batch ended before it could be interrupted"
        if sig == signal.SIGINT:
            os.killpg(proc.pid, sig)  # Ctrl-C reaches the whole foreground group
        else:
            proc.send_signal(sig)  # SIGTERM to the parent only, as `kill PID`
        stdout, stderr = proc.communicate(timeout=GUARD)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert "Traceback" not in stderr, stderr[-3000:]
    assert proc.returncode == code, stderr
    assert words in stderr and "已写出的文件都是完整的" in stderr
    written = [tmp_path / line for line in stdout.splitlines()]
    assert written and all(complete(p) for p in written)
    assert temps(tmp_path) == []
    assert not (tmp_path / "out" / "manifest.csv").exists()  # never a partial manifest
    _no_workers_left(proc.pid)


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]


def _no_workers_left(pgid: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    pytest.fail("worker processes outlived the batch")


def test_a_killed_worker_ends_the_batch_with_the_documents_not_written(tmp_path: Path) -> None:
    job = big_batch(tmp_path, 600)
    proc = _start(job, tmp_path, "2")
    try:
        deadline = time.monotonic() + GUARD
        workers: list[int] = []
        while time.monotonic() < deadline and proc.poll() is None and len(workers) < 2:
            workers = [c for c in _children(proc.pid) if Path(f"/proc/{c}/cmdline").exists()]
            workers = [
                c
                for c in workers
                if b"speechgen" in Path(f"/proc/{c}/cmdline").read_bytes()
                or b"python" in Path(f"/proc/{c}/cmdline").read_bytes()
            ]
            time.sleep(0.01)
        assert proc.poll() is None and workers, "no worker process to kill"
        _wait_for_files(tmp_path / "out", proc, 30)
        os.kill(workers[0], signal.SIGKILL)  # as the OOM killer would
        stdout, stderr = proc.communicate(timeout=GUARD)  # a hang would trip the guard
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert "Traceback" not in stderr, stderr[-3000:]
    if proc.returncode == 0:
        pytest.skip("the batch finished before a worker could be killed")
    assert proc.returncode == 1
    assert "子进程意外退出" in stderr and "份文件未写出" in stderr
    assert "单位0599" in stderr or "单位05" in stderr  # the last documents are named
    written = [tmp_path / line for line in stdout.splitlines()]
    assert all(complete(p) for p in written)
    _no_workers_left(proc.pid)
    assert temps(tmp_path) == []


def test_closed_stdout_of_any_command_ends_cleanly(tmp_path: Path) -> None:
    """Not only render: a listing cut by ``| head`` says so, instead of click's silent exit."""
    cmd = f'{sys.executable} -m speechgen snippets list | head -1; echo "rc=${{PIPESTATUS[0]}}" >&2'
    proc = subprocess.run(
        ["bash", "-c", cmd], capture_output=True, text=True, cwd=tmp_path, timeout=GUARD
    )
    no_traceback(proc)
    assert "rc=1" in proc.stderr and "输出已关闭" in proc.stderr
    assert "Exception ignored" not in proc.stderr
    assert len(proc.stdout.splitlines()) == 1


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run as another user")
def test_new_without_write_permission_names_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    os.chmod(tmp_path, 0o755)
    os.chmod(folder, 0o555)
    proc = run("new", "speech", "-o", "ro/会议.yaml", cwd=tmp_path, user="nobody")
    no_traceback(proc)
    assert proc.returncode == 1
    assert proc.stderr.startswith("ro/会议.yaml: ") and "没有写入权限" in proc.stderr
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize(
    "command, suffix", [("render", ".yaml"), ("check", ".yaml"), ("check", ".docx")]
)
def test_a_named_pipe_as_input_is_refused_not_waited_for(
    tmp_path: Path, command: str, suffix: str
) -> None:
    fifo = tmp_path / f"job{suffix}"
    os.mkfifo(fifo)  # nobody ever writes to it: reading would wait forever
    proc = run(command, fifo.name, cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 1
    assert "不是普通文件" in proc.stderr + proc.stdout


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run as another user")
def test_an_input_without_read_permission(tmp_path: Path) -> None:
    job = tmp_path / "job.yaml"
    shutil.copy(SPEECH, job)
    os.chmod(job, 0o600)
    os.chmod(tmp_path, 0o777)
    proc = run("render", "job.yaml", "-o", "out", cwd=tmp_path, user="nobody")
    no_traceback(proc)
    assert proc.returncode == 1
    assert "job.yaml: 错误 E100 无法读取文件：没有读取权限" in proc.stderr
    assert "Permission denied" not in proc.stderr


def test_a_folder_at_an_output_name_with_force(tmp_path: Path) -> None:
    first = run("render", str(SPEECH), "-o", "out", cwd=tmp_path)
    target = reported(first, tmp_path)[0]
    target.unlink()
    target.mkdir()
    proc = run("render", str(SPEECH), "-o", "out", "--force", cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 1
    assert "同名的文件夹已存在" in proc.stderr
    assert target.is_dir() and temps(tmp_path) == []


def test_sigterm_ends_any_command_cleanly(tmp_path: Path) -> None:
    """Not only render: ``check`` on a long document ends with 143 and a message too."""
    import docx

    d = docx.Document()
    for i in range(20_000):
        d.add_paragraph(f"一是加强第{i}项工作，二是落实责任。")
    d.save(str(tmp_path / "long.docx"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "speechgen", "check", "long.docx"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.0)
    if proc.poll() is not None:
        pytest.skip("check ended before it could be terminated")
    proc.terminate()
    _, stderr = proc.communicate(timeout=GUARD)
    assert "Traceback" not in stderr
    assert proc.returncode == 143 and "已被终止" in stderr


def test_a_snippet_file_linking_out_of_its_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("category: 外部\nsnippets: []\n", encoding="utf-8")
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "mine.yaml").symlink_to(outside)
    job = tmp_path / "job.yaml"
    job.write_text(
        (SAMPLES / "01-县-季度-讲话稿.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    out = tmp_path / "out"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "speechgen",
            "render",
            str(job),
            "-o",
            str(out),
            "--snippets",
            str(lib),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1, run.stderr
    assert "E507" in run.stderr and "链接" in run.stderr and "Traceback" not in run.stderr
    assert not out.exists() or not list(out.iterdir())
