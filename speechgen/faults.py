"""Faults of the machine, told in Chinese: what happened and what to do.

A full disk, a read-only or vanished folder, a missing permission, a name the
file system cannot hold: the operating system reports them as ``OSError``
with an English ``strerror``. :func:`os_error_message` turns one into a
sentence a secretary can act on; :func:`is_fatal` says whether the next
file would fail the same way (then the batch stops instead of failing every
remaining document one by one). :class:`Terminated` carries SIGTERM to the
command line the way ``KeyboardInterrupt`` carries Ctrl-C.
"""

from __future__ import annotations

import errno
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: exit codes of the signals that end a run (spec/CLI.md: 128 + the signal number)
EXIT_INTERRUPTED = 130  # SIGINT, Ctrl-C
EXIT_TERMINATED = 143  # SIGTERM

_MESSAGES = {
    errno.ENOSPC: "磁盘已满，文件未写出：请清理磁盘空间（或换一个输出文件夹 -o）后重新运行，已写出的文件会保留并跳过",
    errno.EDQUOT: "磁盘配额已用完，文件未写出：请清理空间或请管理员增加配额后重新运行",
    errno.EROFS: "输出文件夹所在的磁盘是只读的，无法写入：请换一个可以写入的输出文件夹（-o）",
    errno.EACCES: "没有写入权限：请换一个有写入权限的输出文件夹（-o），或请管理员授予权限",
    errno.EPERM: "没有写入权限（操作不被允许）：请换一个输出文件夹（-o），或请管理员授予权限",
    errno.ENOENT: "输出文件夹不存在或已被删除：请确认文件夹还在，再重新运行",
    errno.ENOTDIR: "输出路径中有一段不是文件夹：请检查 -o 指定的路径",
    errno.ENAMETOOLONG: "文件名或路径过长，超过了文件系统允许的长度：请缩短标题、单位名称，或换一个路径更短的输出文件夹（-o）",
    errno.EIO: "读写磁盘出错（I/O 错误）：请检查磁盘或 U 盘是否还连接着，或换一个输出文件夹",
    errno.EMFILE: "同时打开的文件过多：请减少 --jobs 后重新运行",
    errno.ENFILE: "系统打开的文件过多：请稍后重新运行",
    errno.ELOOP: "路径中的符号链接过多或形成了循环：请检查输出文件夹",
    errno.EISDIR: "同名的文件夹已存在，无法写出该文件：请删除或改名这个文件夹",
    errno.EFBIG: "文件超过了系统允许的大小（ulimit -f）：请管理员放宽限制",
    errno.EBUSY: "文件正被其他程序使用：请关闭打开它的程序（如 Word、WPS）后重新运行",
    errno.ETXTBSY: "文件正被其他程序使用：请关闭打开它的程序后重新运行",
}
_FATAL = {
    errno.ENOSPC,
    errno.EDQUOT,
    errno.EROFS,
    errno.EACCES,
    errno.EPERM,
    errno.ENOENT,
    errno.ENOTDIR,
    errno.EIO,
    errno.EFBIG,
}


def os_error_message(exc: OSError) -> str:
    """A Chinese sentence for an operating-system error: what happened, what to do."""
    known = _MESSAGES.get(exc.errno or 0)
    if known:
        return known
    return f"无法写入（系统错误 {exc.errno}：{exc.strerror or exc}）：请检查输出文件夹和磁盘"


_READ_MESSAGES = {
    errno.EACCES: "没有读取权限：请检查文件的权限，或把文件复制到自己的文件夹再用",
    errno.EPERM: "没有读取权限（操作不被允许）：请检查文件的权限",
    errno.EIO: "读取磁盘出错（I/O 错误）：请检查磁盘或 U 盘是否还连接着",
    errno.ENAMETOOLONG: "文件名或路径过长，超过了文件系统允许的长度",
    errno.ELOOP: "路径中的符号链接过多或形成了循环",
    errno.ENOTDIR: "路径中有一段不是文件夹",
}
#: an input that is a named pipe, a device or a socket (reading it could wait forever)
NOT_A_FILE = "不是普通文件（可能是管道、设备或套接字），不读取：请给出一个保存在磁盘上的文件"


def read_error_message(exc: OSError) -> str:
    """A Chinese sentence for an error reading an input file."""
    known = _READ_MESSAGES.get(exc.errno or 0)
    if known:
        return known
    return f"系统错误 {exc.errno}（{exc.strerror or exc}）"


def is_fatal(exc: OSError) -> bool:
    """Would every further file in the same folder fail the same way?"""
    return exc.errno in _FATAL


class StdoutClosed(Exception):
    """Standard output was closed by its reader (``| head``); not an ``OSError``, so that
    nothing on the way (click included) mistakes it for a fault of the output folder."""


class Terminated(BaseException):
    """The process received SIGTERM (raised by the handler of :func:`sigterm_raises`)."""


def _raise_terminated(signum: int, frame: Any) -> None:
    raise Terminated()


@contextmanager
def sigterm_raises() -> Iterator[None]:
    """Within the block, SIGTERM raises :class:`Terminated` (so cleanup runs) instead of killing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def worker_signals() -> None:
    """In a worker process: Ctrl-C is the parent's to handle, SIGTERM ends the worker at once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
