"""Links that lead out of their folder: a file given inside a folder must stay inside it.

Templates and snippets are copied between offices; a folder handed over may
hold a symbolic link named ``speech.md.j2`` that points at ``/etc/passwd`` or
another user's files. Such a file is refused, not followed.
"""

from __future__ import annotations

import os
from pathlib import Path


def inside_folder(path: Path, folder: Path) -> bool:
    """Whether ``path`` (which may be a link, or a chain of links) resolves inside ``folder``.

    A path that does not exist counts as inside (there is nothing to follow);
    a link that cannot be resolved (a loop) counts as outside.
    """
    if not os.path.lexists(path):
        return True
    try:
        real = path.resolve(strict=True)
        base = folder.resolve(strict=True)
    except (OSError, RuntimeError):
        return not path.is_symlink()
    return real == base or base in real.parents
