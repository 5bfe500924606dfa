"""The file system: safe names, no overwriting, atomic writes, a killed batch resumes.

Output names come from titles and recipient names typed by people; whatever
they hold, every file stays inside the output folder, two documents never
share a file, and a batch killed at any moment leaves only complete documents
that a re-run keeps while it writes the rest.
"""

from __future__ import annotations

import csv
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from hypothesis import given, settings
from hypothesis import strategies as st

import speechgen.output as output
from speechgen.output import (
    MAX_NAME_BYTES,
    TEMP_MARK,
    NameAllocator,
    OutputExists,
    safe_name,
    write_atomic,
)

SPEECH = """\
type: speech
org: {level: 县, name: 青山县}
speaker: {role: 县长, name: 张三}
meeting: {name: 2024年第二季度全县安全生产工作会议, kind: quarterly, date: 2024-04-10}
"""
LETTER = """\
type: letter
title: 2024年度安全生产目标责任书
org: {level: 县, name: 青山县}
party_a: {name: 青山县人民政府, signer_title: 县长}
term: {start: 2024-01-01, end: 2024-12-31}
sign_date: 2024-02-20
"""
RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {
    f"{p}{d}" for p in ("COM", "LPT") for d in "0123456789¹²³"
}


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "speechgen", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def opens(path: Path) -> bool:
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
    DocxDocument(str(path))
    return True


# ---------------------------------------------------------------- safe names


def _assert_safe(name: str, folder: Path) -> None:
    assert name and name == name.strip(" .") and not name.startswith(".")
    assert not set(name) & set('\\/:*?"<>|') and all(ord(c) >= 0x20 for c in name)
    assert name.split(".")[0].strip().upper() not in RESERVED
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES
    target = (folder / f"{name}.docx").resolve()
    assert target.parent == folder.resolve()
    temp = f".{name}.docx.4194304{TEMP_MARK}"
    assert len(temp.encode("utf-8")) <= 255


NAMES = [
    "../../etc/passwd",
    "..\\..\\Windows\\win.ini",
    "/etc/shadow",
    "C:\\Users\\a",
    "..",
    ".",
    "...",
    ".bashrc",
    " . hidden . ",
    "CON",
    "con",
    "NUL.txt",
    "NUL .txt",
    "COM1",
    "com¹",
    "LPT9.docx",
    "CONIN$",
    "AUX\u3000",
    "a\x00b\x1fc",
    '名称：*?"<>|',
    "\u3000\u3000",
    "",
    "长" * 200,
    "é" * 300,
    "x" * 1000,
    "a\nb\tc\r",
]


@pytest.mark.parametrize("raw", NAMES)
def test_safe_name_stays_in_its_folder(tmp_path: Path, raw: str) -> None:
    _assert_safe(safe_name(raw), tmp_path)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300))
def test_safe_name_property(raw: str) -> None:
    folder = Path("/tmp/speechgen-out")
    _assert_safe(safe_name(raw), folder)
    assert safe_name(safe_name(raw)) == safe_name(raw)


def test_allocator_never_hands_out_one_name_twice() -> None:
    names = NameAllocator()
    got = [names.allocate(n) for n in ("A/B", "A\\B", "A:B", "a_b", "A_B", "A*B", "A_B（2）")]
    assert len({g.casefold() for g in got}) == len(got)
    assert got[:3] == ["A_B", "A_B（2）", "A_B（3）"]
    long = NameAllocator()
    a, b = long.allocate("长" * 100 + "甲"), long.allocate("长" * 100 + "乙")
    assert a != b and len(b.encode()) <= MAX_NAME_BYTES + 9


def test_colliding_recipient_names_get_distinct_files(tmp_path: Path) -> None:
    """Different names that sanitise alike: one file each, each with its own recipient."""
    names = ["县住建局/县城管局", "县住建局\\县城管局", "县住建局:县城管局", "县住建局|县城管局"]
    rows = "".join(f"  - {{name: '{n}', type: department}}\n" for n in names)
    job = tmp_path / "letter.yaml"
    job.write_text(LETTER + "recipients:\n" + rows, encoding="utf-8")
    first = run("render", str(job), "-o", "out", "--no-check", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    written = [Path(tmp_path / line) for line in first.stdout.split()]
    stem = "2024年度安全生产目标责任书-县住建局_县城管局"
    assert [p.name for p in written] == [
        f"{stem}.docx",
        f"{stem}（2）.docx",
        f"{stem}（3）.docx",
        f"{stem}（4）.docx",
    ]
    for path, name in zip(written, names, strict=True):
        assert f"乙方：{name}" in [p.text for p in DocxDocument(str(path)).paragraphs]
    again = run("render", str(job), "-o", "out", "--no-check", cwd=tmp_path)
    assert again.returncode == 0 and not again.stdout.strip()
    assert again.stderr.count("内容未变化") == 1  # one line for the run, not one per file
    assert "4 个文件内容未变化" in again.stderr


def test_duplicate_recipient_names_are_refused_naming_both(tmp_path: Path) -> None:
    """The loader's E110 (spaces do not make a name different); nothing is written."""
    job = tmp_path / "letter.yaml"
    job.write_text(
        LETTER
        + "recipients:\n  - {name: 城关镇人民政府}\n  - {name: 东湖镇}\n  - {name: ' 城关镇 人民政府'}\n",
        encoding="utf-8",
    )
    p = run("render", str(job), "-o", "out", cwd=tmp_path)
    assert p.returncode == 1 and "Traceback" not in p.stderr
    assert "letter.yaml:10:" in p.stderr and "E110 recipients[3].name" in p.stderr
    assert "recipients[1] 与 recipients[3]" in p.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("../../../tmp/x", "_.._.._tmp_x"),
        (".bashrc", "bashrc"),
    ],
)
def test_hostile_titles_stay_inside(tmp_path: Path, title: str, expected: str) -> None:
    job = tmp_path / "job.yaml"
    job.write_text(SPEECH + f"title: '{title}'\n", encoding="utf-8")
    p = run("render", str(job), "-o", "out", "--no-check", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert p.stdout.split() == [str(Path("out") / f"{expected}.docx")]
    assert sorted(x.name for x in tmp_path.iterdir()) == ["job.yaml", "out"]


def test_long_names_are_cut_and_stay_distinct(tmp_path: Path) -> None:
    base = "青山县" * 80
    job = tmp_path / "letter.yaml"
    job.write_text(
        LETTER + f"recipients:\n  - {{name: {base}甲}}\n  - {{name: {base}乙}}\n",
        encoding="utf-8",
    )
    p = run("render", str(job), "-o", "out", "--no-check", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    files = sorted((tmp_path / "out").glob("*.docx"))
    assert len(files) == 2
    assert all(len(f.name.encode()) <= 255 for f in files)
    texts = ["\n".join(p.text for p in DocxDocument(str(f)).paragraphs) for f in files]
    assert sorted(t.count(f"{base}甲") for t in texts) == [0, 1]


# ---------------------------------------------------------------- atomic writes


def test_write_atomic_uses_a_temporary_name_in_the_same_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(output, "_O_TMPFILE", 0)  # as where O_TMPFILE does not exist
    target = tmp_path / "文件.docx"
    seen = []
    real = os.replace

    def spy(src, dst):
        seen.append((Path(src), Path(dst)))
        assert Path(src).is_file() and not Path(dst).exists()
        real(src, dst)

    monkeypatch.setattr(output.os, "replace", spy)
    assert write_atomic(target, b"data", force=False) == "written"
    ((src, dst),) = seen
    assert src.parent == dst.parent == tmp_path and src.name.startswith(".")
    assert src.name.endswith(TEMP_MARK) and dst == target
    assert write_atomic(target, b"data", force=False) == "unchanged"
    with pytest.raises(OutputExists):
        write_atomic(target, b"other", force=False)
    assert target.read_bytes() == b"data"

    def fail(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "replace", fail)
    with pytest.raises(OSError):
        write_atomic(target, b"new", force=True)
    assert target.read_bytes() == b"data"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["文件.docx"]


@pytest.mark.skipif(not output._O_TMPFILE, reason="O_TMPFILE is Linux's")
def test_write_atomic_links_in_an_unnamed_file_only_when_it_is_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The new file has no name at all until its bytes are written: nothing in the folder
    before the link, nothing left behind when the disk fills up."""
    target = tmp_path / "文件.docx"
    seen = []
    real = os.link

    def spy(src, dst, **kw):
        seen.append((src, Path(dst)))
        assert os.listdir(tmp_path) == []  # the written bytes have no name yet
        fd = int(src)  # linked from /proc/self/fd: the unnamed file's own descriptor
        assert os.readlink(f"/proc/self/fd/{fd}").endswith("(deleted)")
        assert os.stat(fd).st_size == 4 and os.stat(fd).st_nlink == 0
        real(src, dst, **kw)

    monkeypatch.setattr(output.os, "link", spy)
    assert write_atomic(target, b"data", force=False) == "written"
    ((src, dst),) = seen
    assert dst == target and str(tmp_path) not in output._NO_TMPFILE
    assert target.read_bytes() == b"data" and target.stat().st_nlink == 1

    def full(src, dst, **kw):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "link", full)
    with pytest.raises(OSError) as err:
        write_atomic(tmp_path / "另一个.docx", b"new", force=False)
    assert err.value.filename == str(tmp_path / "另一个.docx")
    assert sorted(os.listdir(tmp_path)) == ["文件.docx"]

    def raced(src, dst, **kw):  # someone created the name after the lstat: it is theirs
        Path(dst).write_bytes(b"theirs")
        raise FileExistsError(17, "File exists")

    monkeypatch.setattr(output.os, "link", raced)
    with pytest.raises(OutputExists):
        write_atomic(tmp_path / "抢先.docx", b"mine", force=False)
    assert (tmp_path / "抢先.docx").read_bytes() == b"theirs"


@pytest.mark.skipif(not output._O_TMPFILE, reason="O_TMPFILE is Linux's")
def test_a_forked_writer_links_its_own_unnamed_files(tmp_path: Path) -> None:
    """/proc/self/fd opened by the parent shows the parent's descriptors: a forked worker
    (--jobs) opens its own, or it would link in whatever file the parent has open."""
    assert write_atomic(tmp_path / "父.docx", b"parent", force=False) == "written"
    pid = os.fork()
    if pid == 0:  # the child: write two files, exit 0 only if both hold their bytes
        try:
            ok = all(
                write_atomic(tmp_path / f"子{i}.docx", f"child {i}".encode(), force=False)
                == "written"
                and (tmp_path / f"子{i}.docx").read_bytes() == f"child {i}".encode()
                for i in range(2)
            )
            os._exit(0 if ok and str(tmp_path) not in output._NO_TMPFILE else 3)
        except BaseException:
            os._exit(4)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert (tmp_path / "父.docx").read_bytes() == b"parent"
    assert sorted(os.listdir(tmp_path)) == ["子0.docx", "子1.docx", "父.docx"]


def test_write_atomic_falls_back_to_a_rename_where_unnamed_files_are_unsupported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unsupported(src, dst, **kw):  # no /proc, as in some containers
        raise FileNotFoundError(2, "No such file or directory")

    monkeypatch.setattr(output.os, "link", unsupported)
    monkeypatch.setattr(output, "_NO_TMPFILE", set())
    assert write_atomic(tmp_path / "a.docx", b"one", force=False) == "written"
    assert write_atomic(tmp_path / "b.docx", b"two", force=False) == "written"
    assert (tmp_path / "a.docx").read_bytes() == b"one"
    assert (tmp_path / "b.docx").read_bytes() == b"two"
    assert sorted(os.listdir(tmp_path)) == ["a.docx", "b.docx"]
    if output._O_TMPFILE:
        assert str(tmp_path) in output._NO_TMPFILE  # told once: the folder renames from now on


def test_cleaning_a_folder_of_many_documents_does_not_list_it_in_memory(tmp_path: Path) -> None:
    """The end of a 100,000-letter batch looks for temporary files among 100,000 documents:
    Path.glob held every entry at once (34 MB, the batch's peak memory)."""
    import tracemalloc

    for i in range(20_000):
        (tmp_path / f"2024年度安全生产目标责任书-单位{i:05d}.docx").touch()
    stale = tmp_path / f".a.docx.{os.getpid()}{TEMP_MARK}"
    stale.write_bytes(b"partial")
    tracemalloc.start()
    try:
        output.clean_stale_temps(tmp_path, mine=True)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert not stale.exists()
    assert peak < 1_000_000, peak  # Path.glob: 9.3 MB for these 20,000 names


def test_stale_temporaries_of_dead_processes_are_cleaned(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    stale = tmp_path / f".a.docx.{int(dead.stdout)}{TEMP_MARK}"
    mine = tmp_path / f".b.docx.{os.getpid()}{TEMP_MARK}"
    keep = tmp_path / ".hidden-by-user"
    for p in (stale, mine, keep):
        p.write_bytes(b"partial")
    output.clean_stale_temps(tmp_path)
    assert not stale.exists() and mine.exists() and keep.exists()


# ---------------------------------------------------------------- batches


def _letters(folder: Path, n: int) -> Path:
    with open(folder / "名单.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "type", "signer_title", "limits.deaths_max"])
        for i in range(1, n + 1):
            w.writerow(
                [
                    f"第{i}责任单位",
                    ("township", "department", "enterprise")[i % 3],
                    "主要负责人",
                    i % 3,
                ]
            )
    job = folder / "letters.yaml"
    job.write_text(
        LETTER
        + "targets:\n  - 生产安全事故死亡人数控制在{limits.deaths_max}人以内\n"
        + "recipients_file: 名单.csv\n",
        encoding="utf-8",
    )
    return job


def _start_and_kill(job: Path, out: Path, at: int, jobs: int) -> int:
    """Start a render, SIGKILL it once ``at`` documents exist; return how many existed."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "speechgen",
            "render",
            str(job),
            "-o",
            str(out),
            "--jobs",
            str(jobs),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    count = 0
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                count = sum(1 for e in os.scandir(out) if e.name.endswith(".docx"))
            except FileNotFoundError:
                count = 0
            if count >= at:
                break
            time.sleep(0.002)
        proc.send_signal(signal.SIGKILL)  # the parent only, as the OOM killer would
        proc.wait()
        assert proc.returncode == -signal.SIGKILL, "the batch ended before it was killed"
        # workers of --jobs may finish the chunk in hand; they must then go away
        gone = time.monotonic() + 30
        while time.monotonic() < gone:
            try:
                os.killpg(proc.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            pytest.fail("worker processes outlived the killed batch")
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return count


@pytest.mark.parametrize("jobs", [1, 2])
def test_killed_batch_leaves_complete_documents_and_rerun_completes(
    tmp_path: Path, jobs: int
) -> None:
    n = 1500  # at about a millisecond a letter, 400 could all be written between two looks
    job = _letters(tmp_path, n)
    out = tmp_path / "out"
    seen = _start_and_kill(job, out, 40, jobs)
    present = sorted(out.glob("*.docx"))
    assert seen <= len(present) < n, "killed mid-batch"
    for path in present:
        assert opens(path), path
    before = {p.name: p.read_bytes() for p in present}
    # killed again, later, while it resumes
    _start_and_kill(job, out, min(len(present) + 100, n - 50), jobs)
    for path in sorted(out.glob("*.docx")):
        assert opens(path), path
    final = run("render", str(job), "-o", str(out), "--jobs", str(jobs))
    assert final.returncode == 0, final.stderr[-2000:]
    assert "Traceback" not in final.stderr
    docs = sorted(out.glob("*.docx"))
    assert len(docs) == n
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [*(d.name for d in docs), "manifest.csv"]
    )
    assert not [p for p in out.iterdir() if p.name.startswith(".") or TEMP_MARK in p.name]
    for name, data in before.items():
        assert (out / name).read_bytes() == data, "a complete document was rewritten"
    # the re-run wrote exactly the documents that were missing
    written = {Path(x).name for x in final.stdout.split()}
    assert written.isdisjoint(before) and len(written) + _unchanged(final.stderr) == n
    for path in docs[::20]:
        assert opens(path)
    with open(out / "manifest.csv", encoding="utf-8-sig") as fh:
        assert len(list(csv.reader(fh))) == n + 1


def _unchanged(stderr: str) -> int:
    """The number in the run's one line "N 个文件内容未变化" (0 without it)."""
    found = re.findall(r"(\d+) 个文件内容未变化", stderr)
    assert len(found) <= 1
    return int(found[0]) if found else 0


def test_batch_rerun_keeps_files_and_refuses_an_edited_one(tmp_path: Path) -> None:
    """test_cli covers one speech; here a batch and a hand-edited member of it."""
    job = _letters(tmp_path, 30)
    out = tmp_path / "out"
    first = run("render", str(job), "-o", str(out))
    assert first.returncode == 0, first.stderr
    docs = sorted(out.glob("*.docx"))
    assert len(docs) == 30
    original = {p: p.read_bytes() for p in docs}
    again = run("render", str(job), "-o", str(out), "--jobs", "2")
    assert again.returncode == 0 and not again.stdout.strip()
    assert {p: p.read_bytes() for p in docs} == original
    edited = docs[7]
    edited.write_bytes(b"edited by hand")
    refused = run("render", str(job), "-o", str(out))
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert f"{edited}: 错误 E401" in refused.stderr and "--force" in refused.stderr
    assert edited.read_bytes() == b"edited by hand"
    assert all(p.read_bytes() == original[p] for p in docs if p != edited)
    with open(out / "manifest.csv", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["状态"] for r in rows].count("错误") == 1
    forced = run("render", str(job), "-o", str(out), "--force")
    assert forced.returncode == 0 and edited.read_bytes() == original[edited]


def test_output_folder_that_is_a_file(tmp_path: Path) -> None:
    job = tmp_path / "job.yaml"
    job.write_text(SPEECH, encoding="utf-8")
    (tmp_path / "out").write_text("not a folder", encoding="utf-8")
    p = run("render", str(job), "-o", "out", cwd=tmp_path)
    assert "Traceback" not in p.stderr, p.stderr
    assert p.returncode in (1, 2) and "out" in p.stderr
    assert (tmp_path / "out").read_text(encoding="utf-8") == "not a folder"


def test_rendered_names_from_many_inputs_never_collide(tmp_path: Path) -> None:
    """Two jobs with one title in one run: both written, the second with （2）."""
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(SPEECH + "title: 讲话\n", encoding="utf-8")
    b.write_text(SPEECH.replace("张三", "李四") + "title: 讲话\n", encoding="utf-8")
    p = run("render", str(a), str(b), "-o", "out", "--no-check", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert p.stdout.split() == [str(Path("out") / "讲话.docx"), str(Path("out") / "讲话（2）.docx")]
    c = run("render", str(b), "-o", "out", "--no-check", cwd=tmp_path)
    assert c.returncode == 1 and "E401" in c.stderr, "b alone would overwrite a's file"
    assert "张三" in "\n".join(
        p.text for p in DocxDocument(str(tmp_path / "out" / "讲话.docx")).paragraphs
    )
