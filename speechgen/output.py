"""Writing files safely: safe names, no overwrite without ``--force``, atomic renames.

Every file appears under its name only when it is complete, so a killed run
leaves only complete documents. On Linux a new file is written unnamed
(``O_TMPFILE``) and linked in when complete: one change to the folder instead
of two, and a killed writer leaves nothing at all. Elsewhere, and to replace
a file (``--force``), it is written to a hidden temporary name in the target
folder and renamed. An
existing file with exactly the bytes we would write counts as done, which is
what lets an interrupted batch be re-run: it continues where it stopped.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import unicodedata
from array import array
from pathlib import Path
from typing import TYPE_CHECKING

from .digest import blake2b

if TYPE_CHECKING:
    import tempfile

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


# a stem that safe_name leaves as it is, when it is also NFC, short enough and not reserved
_PLAIN = re.compile(r'[^\\/:*?"<>|\x00-\x1f\x7f\s.][^\\/:*?"<>|\x00-\x1f\x7f\s]*')
_WHITE = re.compile(r"\s+")


def safe_name(stem: str) -> str:
    """A file stem that stays inside its folder on Linux, macOS and Windows."""
    name = str(stem)
    if (
        _PLAIN.fullmatch(name)
        and name[-1] != "."
        and len(name) <= MAX_NAME_BYTES // 4  # 4 bytes a character at most in UTF-8
        and unicodedata.is_normalized("NFC", name)
        and name.split(".")[0].upper() not in _RESERVED
    ):
        return name  # what a batch's names are: the steps below would change nothing
    name = unicodedata.normalize("NFC", name)
    name = _BAD_CHARS.sub("_", name)
    name = _WHITE.sub(" ", name).strip(" .")
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


class HashSet64:
    """A set of 64-bit hashes in one flat array: 16 bytes an entry, not ~100 for a str set.

    Open addressing with linear probing; the table doubles at half full. Zero
    marks an empty slot, so a zero hash is stored as 1.
    """

    __slots__ = ("slots", "mask", "used")

    def __init__(self) -> None:
        self.slots = array("Q", bytes(8 * 1024))
        self.mask = 1023
        self.used = 0

    def add(self, h: int) -> bool:
        """Add ``h``; False when it was there already."""
        h = h or 1
        slots, mask = self.slots, self.mask
        i = h & mask
        while True:
            v = slots[i]
            if v == 0:
                slots[i] = h
                self.used += 1
                if self.used * 2 > mask:
                    self._grow()
                return True
            if v == h:
                return False
            i = (i + 1) & mask

    def __contains__(self, h: int) -> bool:
        h = h or 1
        slots, mask = self.slots, self.mask
        i = h & mask
        while True:
            v = slots[i]
            if v == 0:
                return False
            if v == h:
                return True
            i = (i + 1) & mask

    def _grow(self) -> None:
        old = self.slots
        self.slots = array("Q", bytes(16 * len(old)))
        self.mask = len(self.slots) - 1
        self.used = 0
        for v in old:
            if v:
                self.add(v)


def name_hash(name: str) -> int:
    """A 64-bit hash of a file name as the file system compares it (case-folded)."""
    return int.from_bytes(
        blake2b(name.casefold().encode("utf-8", "surrogatepass"), digest_size=8).digest(),
        "little",
    )


SURVEY_BITS = 1 << 21  # bits of a batch's survey of its names (256 KB, whatever its size)


def _quick(name: str) -> int:
    """A name's hash for a batch's survey: as :func:`name_hash` compares names (case-folded),
    but Python's own (one process's: never kept beyond it)."""
    return hash(name.casefold())


_NUMBERED = re.compile(r"（\d+）$")  # the form of a name made up on a collision


class NameAllocator:
    """Hands out distinct safe stems within one run (``名称（2）`` on a collision).

    Names taken are kept as 64-bit hashes (:class:`HashSet64`). Two different
    names with one hash (odds 2⁻⁶⁴ a pair) would only give the second a ``（2）``
    it did not need: never one file twice.

    A batch first *surveys* the names it will ask for (:meth:`survey`, in its
    first pass, every row in order; :meth:`end_survey`). A name that occurs once
    in it and is not taken by an earlier input can collide with another only if
    it could be made up on a collision (``P（n）`` where P may repeat): any other
    is handed out without being kept. What is kept is then only the names that
    may repeat (a bit of the survey's fixed table seen twice: the real repeats
    and about n²/2²² chance ones), the names made up for them and the names of
    their form: memory stays flat in the batch size (100,000 letters kept 2 MB
    of hashes before). The names handed out are exactly those of keeping every
    name (tests/test_batch_stripes.py); the last input of a run is surveyed,
    earlier ones keep every name (the inputs after them are not surveyed).

    The survey and its result use :func:`_quick`, Python's own string hash: they
    live in one process (each worker surveys for itself), and the hash only
    decides which names are kept, never which name is handed out.
    """

    def __init__(self) -> None:
        self.taken = HashSet64()
        self._bits: bytearray | None = None  # the survey in progress: hashes seen once
        self._seen: set[int] | None = None  # … and more than once (or taken)
        self._repeats: set[int] | None = None  # the survey's result: names that may repeat

    def survey(self, stem: str) -> int | None:
        """Note a name the batch will ask for (every one, in the first pass).

        Returns the name's hash for :meth:`pass_by`, None when the name has the form of
        one made up on a collision (``P（n）``: it is always allocated in full)."""
        bits, seen = self._bits, self._seen
        if bits is None or seen is None:
            bits, seen = self._bits, self._seen = bytearray(SURVEY_BITS // 8), set()
            self._repeats = None
        base = safe_name(stem)
        h = _quick(base)
        byte, bit = (h % SURVEY_BITS) >> 3, 1 << (h & 7)
        if bits[byte] & bit or (self.taken.used and name_hash(base) in self.taken):
            seen.add(h)
        else:
            bits[byte] |= bit
        return None if _NUMBERED.search(base) else h

    def end_survey(self) -> None:
        """The survey is complete: from now on a name it saw once is not kept."""
        if self._bits is not None:
            self._repeats, self._bits, self._seen = self._seen, None, None

    def forget_survey(self) -> None:
        """Keep every name again (the survey was for a batch that is done or not begun)."""
        self._bits = self._seen = self._repeats = None

    @staticmethod
    def _may_be_made_up(name: str, repeats: set[int]) -> bool:
        """Whether ``name`` could be made up on a collision: it is ``P（n）`` where P (or
        the P of P, …) may repeat. Only a name that may repeat is ever given a （n）
        (or a name made up so, which is of this form itself)."""
        m = _NUMBERED.search(name)
        while m is not None:
            name = name[: m.start()]
            if _quick(name) in repeats:
                return True
            m = _NUMBERED.search(name)
        return False

    def pass_by(self, stem: str, surveyed: int | None) -> None:
        """Allocate ``stem`` for a row another process writes, whose name is not wanted.

        ``surveyed`` is what :meth:`survey` returned for it: a name the survey saw once,
        not of the made-up form, is handed out without being kept (:meth:`allocate`), so
        nothing needs doing for it: only the others are allocated."""
        repeats = self._repeats
        if surveyed is None or repeats is None or surveyed in repeats:
            self.allocate(stem)

    def allocate(self, stem: str) -> str:
        base = safe_name(stem)
        repeats = self._repeats
        if (
            repeats is not None
            and _quick(base) not in repeats
            and not self._may_be_made_up(base, repeats)
        ):
            return base  # once in the batch, taken by no earlier input, never made up
        h = name_hash(base)
        name = base
        n = 2
        while not self.taken.add(h):
            name = f"{base}（{n}）"
            h = name_hash(name)
            n += 1
        return name


class OutputExists(Exception):
    """The target exists with other content and ``--force`` was not given."""


class OutputIsLink(OutputExists):
    """The target is a symbolic link and ``--force`` was not given (links are never followed)."""


_OPEN_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


def create_temp(folder: Path, name: str) -> tuple[int, Path]:
    """A new, empty temporary file for ``name`` in ``folder``: (descriptor, path).

    Created exclusively (``O_CREAT|O_EXCL``) and never through a link
    (``O_NOFOLLOW``): whatever another process or a planted link put at that
    name, this opens nothing but a file it created itself. The name carries
    the pid (so :func:`clean_stale_temps` knows when its writer is gone) and
    a random part (so two writers never collide).
    """
    for _ in range(100):
        tmp = folder / f".{name}.{os.getpid()}.{_token()}{TEMP_MARK}"
        try:
            return os.open(tmp, _OPEN_FLAGS, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"{folder}: cannot create a temporary file")


_O_TMPFILE = getattr(os, "O_TMPFILE", 0)
# folders whose file system cannot write an unnamed file (or link it in): the rename is used
_NO_TMPFILE: set[str] = set()
_UNSUPPORTED = frozenset(
    {errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT, errno.EPERM, errno.EXDEV}
)


_PROC_FDS: list[int] = []  # [pid, descriptor of /proc/self/fd] of the process that opened it


def _proc_fds() -> int:
    """A descriptor of this process's ``/proc/self/fd`` (opened again in a forked child,
    whose inherited one would show its parent's descriptors)."""
    pid = os.getpid()
    if not _PROC_FDS or _PROC_FDS[0] != pid:
        if _PROC_FDS:  # a forked child: the parent's, inherited
            os.close(_PROC_FDS[1])
        flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
        _PROC_FDS[:] = [pid, os.open("/proc/self/fd", flags)]
    return _PROC_FDS[1]


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _write_unnamed(path: str | Path, data: bytes) -> bool:
    """Write ``data`` as a new file ``path`` that appears only when complete: an unnamed
    file (``O_TMPFILE``) in its folder, linked in under its name once written.

    False when this folder's file system cannot (the caller renames a temporary
    file instead); raises :class:`FileExistsError` when ``path`` appeared meanwhile,
    and ``OSError`` (naming ``path``) for a fault such as a full disk.
    """
    folder = os.path.dirname(path) or "."
    if not _O_TMPFILE or folder in _NO_TMPFILE:
        return False
    try:
        fd = os.open(folder, _O_TMPFILE | os.O_WRONLY | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError as exc:
        if exc.errno in _UNSUPPORTED:
            _NO_TMPFILE.add(folder)
            return False
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    try:
        _write_all(fd, data)
        try:
            # linkat(/proc/self/fd, "N", path, AT_SYMLINK_FOLLOW); os.link calls plain
            # link() without a directory descriptor, which would link the magic link itself
            os.link(str(fd), path, src_dir_fd=_proc_fds(), follow_symlinks=True)
        except FileExistsError:
            raise
        except OSError as exc:
            if exc.errno not in _UNSUPPORTED:
                raise
            _NO_TMPFILE.add(folder)  # no /proc, or a file system that cannot link it
            return False
    except FileExistsError:
        raise
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    finally:
        os.close(fd)
    return True


def _unlink_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def write_atomic(path: str | Path, data: bytes, *, force: bool) -> str:
    """Write ``data`` to ``path`` through a temporary file; return what happened.

    Returns ``"written"`` or ``"unchanged"`` (the file already holds exactly
    these bytes); raises :class:`OutputExists` when it holds something else
    and ``force`` is false. A symbolic link at ``path`` is never followed: it
    is refused without ``force`` (:class:`OutputIsLink`) and replaced by the
    new file (not written through) with it. Uses as few system calls as it
    can (lstat, open, write, link, close; or lstat, open, write, close,
    rename): a batch writes thousands of files.
    """
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    if st is not None and not force:
        if stat.S_ISLNK(st.st_mode):
            raise OutputIsLink(str(path))
        if stat.S_ISREG(st.st_mode) and st.st_size == len(data):
            try:
                with open(path, "rb", opener=_nofollow_reader) as fh:
                    if fh.read(len(data) + 1) == data:
                        return "unchanged"
            except OSError:
                pass
        raise OutputExists(str(path))
    if st is None:
        try:
            if _write_unnamed(path, data):
                return "written"
        except FileExistsError:
            if not force:  # created by someone else since the lstat: theirs
                raise OutputExists(str(path)) from None
    path = Path(path)
    try:
        fd, tmp = create_temp(path.parent, path.name)
    except OSError as exc:  # name the file being written, not its temporary name
        raise OSError(exc.errno, exc.strerror, str(path)) from None
    try:
        try:
            _write_all(fd, data)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        _unlink_quietly(tmp)
        raise
    return "written"


def _nofollow_reader(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NOFOLLOW", 0))


_TEMP_NAME = re.compile(r"\.(\d+)(?:\.[0-9a-z_]{8})?" + re.escape(TEMP_MARK) + "$")


def _token() -> str:
    """Eight random hex digits for a temporary name (``secrets`` would import hashlib)."""
    return os.urandom(4).hex()


def temp_folder(folder: Path) -> tempfile.TemporaryDirectory:
    """A hidden working folder inside the output folder (removed when done, or by the next run).

    Intermediate files (the .docx behind a PDF) stay inside the output folder
    like everything else a run writes; ``mkdtemp`` creates it exclusively.
    """
    import tempfile  # only for PDFs: it costs a cold start OpenSSL (secrets, hmac)

    return tempfile.TemporaryDirectory(prefix=f".work.{os.getpid()}.", suffix=TEMP_MARK, dir=folder)


def clean_stale_temps(folder: Path, *, mine: bool = False) -> None:
    """Remove temporary files left by a killed run (their process is gone).

    ``mine``: also this process's own, when it has stopped writing (an
    interrupt can land between creating a temporary file and handing its
    name to the code that would remove it).
    """
    if not os.path.isdir(folder):
        return
    stale: list[Path] = []
    # scandir, not Path.glob: glob lists the whole folder first, and a batch's folder
    # holds 100,000 documents (34 MB of directory entries at the end of such a run)
    with os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            if not (name.startswith(".") and name.endswith(TEMP_MARK)):
                continue
            m = _TEMP_NAME.search(name)
            if m:
                pid = int(m.group(1))
                if (pid != os.getpid() or not mine) and _alive(pid):
                    continue
            stale.append(Path(folder) / name)
    for p in stale:
        if p.is_dir() and not p.is_symlink():
            import shutil  # rarely: a killed run left a folder

            shutil.rmtree(p, ignore_errors=True)
        else:
            _unlink_quietly(p)


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


# ---------------------------------------------------------------- one writer per folder


class FolderBusy(Exception):
    """Another speechgen holds the output folder's lock."""


class FolderLock:
    """An exclusive lock on an output folder for the length of a run.

    Two runs writing one folder could both report a file as written while one
    replaced the other's; the second run is refused instead. The lock is
    ``flock`` on the folder itself (no lock file is left behind); it is held
    by the open descriptor, so it is released when the process ends however
    it ends, and forked workers share it. Where ``fcntl`` does not exist
    (Windows) there is no lock.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self.fd: int | None = None

    def acquire(self) -> None:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            return
        fd = os.open(self.folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | os.O_CLOEXEC)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise FolderBusy(str(self.folder)) from None
        except OSError:
            os.close(fd)  # a file system without flock: carry on unlocked
            return
        self.fd = fd

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


# ---------------------------------------------------------------- manifest.csv

#: what a spreadsheet would run as a formula (OWASP "CSV injection")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: str) -> str:
    """A cell a spreadsheet shows as text: a leading ``'`` before a formula character."""
    return "'" + value if value.startswith(_FORMULA_START) else value


class Manifest:
    """``manifest.csv`` of a batch, streamed row by row and renamed when complete.

    Written like every other output: to an exclusively created temporary file,
    renamed into place when the run ends. An existing ``manifest.csv`` is
    replaced only when it is one speechgen wrote (it begins with this header)
    or with ``--force``; otherwise :class:`OutputExists` is raised before
    anything of the batch is written. Every cell is neutralised.
    """

    HEADER = ("文件", "单位或批次", "状态", "说明")
    ENCODING = "utf-8-sig"

    def __init__(self, folder: Path, name: str = "manifest.csv", *, force: bool = False):
        self.path = folder / name
        if not force:
            self._may_replace()
        fd, self.tmp = create_temp(folder, name)
        try:
            self.fh = open(fd, "w", encoding=self.ENCODING, newline="")
        except BaseException:
            os.close(fd)
            _unlink_quietly(self.tmp)
            raise
        import csv  # a manifest is written for batches only

        self.writer = csv.writer(self.fh)
        self.writer.writerow(self.HEADER)

    def _may_replace(self) -> None:
        try:
            st = os.lstat(self.path)
        except FileNotFoundError:
            return
        if stat.S_ISLNK(st.st_mode):
            raise OutputIsLink(str(self.path))
        head = ",".join(self.HEADER).encode(self.ENCODING)
        try:
            with open(self.path, "rb", opener=_nofollow_reader) as fh:
                ours = stat.S_ISREG(st.st_mode) and fh.read(len(head) + 2) in (
                    head + b"\r\n",
                    head + b"\n",
                )
        except OSError:
            ours = False
        if not ours:
            raise OutputExists(str(self.path))

    def row(self, file: str, recipient: str, status: str, message: str = "") -> None:
        self.writer.writerow(
            tuple(neutralise_cell(str(c)) for c in (file, recipient, status, message))
        )

    def close(self) -> None:
        """Complete the file and rename it into place (removes the temporary file on failure)."""
        try:
            self.fh.close()
            os.replace(self.tmp, self.path)
        except BaseException:
            _unlink_quietly(self.tmp)
            raise

    def abort(self) -> None:
        try:
            self.fh.close()
        except OSError:
            pass
        _unlink_quietly(self.tmp)
