"""The user's cache folder: files that only make a later start faster, never change a result.

A cached entry is a ``marshal`` dump of plain data (no code is run to read it) with the
key it was made for. :func:`read` returns the data only when the file is readable, whole
and made for the same key; anything else (missing, stale, corrupt, unreadable) is a miss,
and the caller rebuilds. :func:`write` writes atomically (a temporary file in the folder,
then a rename) and gives up silently when the folder cannot be written (a read-only home,
a full disk): a cache is never a reason for a command to fail.

The folder is ``$XDG_CACHE_HOME/speechgen`` (an absolute ``XDG_CACHE_HOME``), else
``~/.cache/speechgen``; ``SPEECHGEN_NO_CACHE=1`` turns the cache off (every start builds
what it needs, as a first start does).
"""

from __future__ import annotations

import marshal
import os
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from . import __version__
from .digest import blake2b

_FORMAT = 1  # bump when the layout of a cached file changes


def folder() -> Path | None:
    """Where cached files go, or None when the cache is turned off or has no home."""
    if os.environ.get("SPEECHGEN_NO_CACHE", "").strip() not in ("", "0"):
        return None
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "speechgen"


def key_of(parts: Iterable[bytes | str]) -> str:
    """A key for data made from ``parts`` by this speechgen on this Python."""
    h = blake2b(digest_size=32)
    for part in (__version__, sys.version, str(marshal.version), *parts):
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def read(name: str, key: str) -> Any | None:
    """The data cached under ``name`` for ``key``; None on any miss."""
    where = folder()
    if where is None:
        return None
    try:
        with open(where / name, "rb") as f:
            fmt, stored_key, data = marshal.loads(f.read())
    except Exception:  # noqa: BLE001 - missing, unreadable or corrupt: a miss
        return None
    if fmt != _FORMAT or stored_key != key:
        return None
    return data


def write(name: str, key: str, data: Any, where: Path | None = None) -> bool:
    """Cache ``data`` under ``name`` for ``key`` (in ``where``, default :func:`folder`);
    False (and nothing left behind) when it cannot."""
    where = where or folder()
    if where is None:
        return False
    tmp = None
    try:
        blob = marshal.dumps((_FORMAT, key, data))
        where.mkdir(parents=True, exist_ok=True)
        path = where / f".{name}.{os.getpid()}.{threading.get_ident()}.tmp"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags, 0o600)
        tmp = path  # ours from here on: removed if anything below fails
        with os.fdopen(fd, "wb") as f:
            f.write(blob)
        os.replace(tmp, where / name)
        tmp = None
        return True
    except (OSError, ValueError):
        return False
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def cached(name: str, parts: Iterable[bytes | str], build: Callable[[], Any]) -> Any:
    """``build()``, or what it returned for the same ``parts`` last time.

    ``build`` must return plain data (dicts, lists, text, numbers) that depends on
    nothing but ``parts``; what marshal cannot hold is simply not cached.
    """
    key = key_of(parts)
    data = read(name, key)
    if data is None:
        data = build()
        write(name, key, data)
    return data
