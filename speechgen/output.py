"""Writing files safely: safe names, no overwrite without ``--force``, atomic renames.

Every file is written to a hidden temporary name in the target folder and
renamed when complete, so a killed run leaves only complete documents. An
existing file with exactly the bytes we would write counts as done, which is
what lets an interrupted batch be re-run: it continues where it stopped.
"""

from __future__ import annotations

import csv
import os
import re
import stat
import unicodedata
from pathlib import Path

_BAD_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
# Windows device names, also with an extension (NUL.txt) or trailing spaces (NUL .txt);
# COM0/LPT0 and the superscript digits are reserved too (Microsoft, "Naming Files").
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    "CONIN$",
    "CONOUT$",
    *(f"{port}{i}" for port in ("COM", "LPT") for i in "0123456789¹²³"),
}
MAX_NAME_BYTES = 180  # leaves room for a suffix, an extension and the temp prefix
TEMP_MARK = ".speechgen-tmp"


def safe_name(stem: str) -> str:
    """A file stem that stays inside its folder on Linux, macOS and Windows."""
    name = unicodedata.normalize("NFC", str(stem))
    name = _BAD_CHARS.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    while name.startswith("."):
        name = name[1:]
    if not name:
        name = "未命名"
    if name.split(".")[0].rstrip(" ").upper() in _RESERVED:
        name = "_" + name
    encoded = name.encode("utf-8")
    if len(encoded) > MAX_NAME_BYTES:
        name = encoded[:MAX_NAME_BYTES].decode("utf-8", "ignore").rstrip(" .")
    return name


class NameAllocator:
    """Hands out distinct safe stems within one run (``名称（2）`` on a collision)."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def allocate(self, stem: str) -> str:
        base = safe_name(stem)
        name = base
        n = 2
        while name.casefold() in self.taken:
            name = f"{base}（{n}）"
            n += 1
        self.taken.add(name.casefold())
        return name


class OutputExists(Exception):
    """The target exists with other content and ``--force`` was not given."""


def write_atomic(path: Path, data: bytes, *, force: bool) -> str:
    """Write ``data`` to ``path`` through a temporary file; return what happened.

    Returns ``"written"`` or ``"unchanged"`` (the file already holds exactly
    these bytes); raises :class:`OutputExists` when it holds something else
    and ``force`` is false. Uses as few system calls as it can (stat, open,
    write, close, rename): a batch writes thousands of files.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    if st is not None and not force:
        if stat.S_ISREG(st.st_mode) and st.st_size == len(data):
            try:
                if path.read_bytes() == data:
                    return "unchanged"
            except OSError:
                pass
        raise OutputExists(str(path))
    tmp = path.with_name(f".{path.name}.{os.getpid()}{TEMP_MARK}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return "written"


def clean_stale_temps(folder: Path) -> None:
    """Remove temporary files left by a killed run (their process is gone)."""
    if not folder.is_dir():
        return
    for p in folder.glob(f".*{TEMP_MARK}"):
        m = re.search(r"\.(\d+)" + re.escape(TEMP_MARK) + "$", p.name)
        if m and _alive(int(m.group(1))):
            continue
        try:
            p.unlink()
        except OSError:
            pass


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Manifest:
    """``manifest.csv`` of a batch, streamed row by row and renamed when complete."""

    HEADER = ("文件", "单位或批次", "状态", "说明")

    def __init__(self, folder: Path, name: str = "manifest.csv"):
        self.path = folder / name
        self.tmp = folder / f".{name}.{os.getpid()}{TEMP_MARK}"
        self.fh = open(self.tmp, "w", encoding="utf-8-sig", newline="")
        self.writer = csv.writer(self.fh)
        self.writer.writerow(self.HEADER)

    def row(self, file: str, recipient: str, status: str, message: str = "") -> None:
        self.writer.writerow((file, recipient, status, message))

    def close(self) -> None:
        self.fh.close()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        self.fh.close()
        if self.tmp.exists():
            self.tmp.unlink()
