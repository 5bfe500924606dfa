"""Resource limits for reading inputs: sizes, node counts, list lengths.

Every limit has a sane default and can be changed through :class:`Limits` or
an environment variable (see :data:`ENV`). A limit that is exceeded is an
``E108`` error that names the limit and the variable that raises it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

from ..errors import UsageProblem

#: Limits field → environment variable that overrides it.
ENV = {
    "max_input_bytes": "SPEECHGEN_MAX_INPUT_BYTES",
    "max_table_bytes": "SPEECHGEN_MAX_TABLE_BYTES",
    "max_nodes": "SPEECHGEN_MAX_NODES",
    "max_alias_nodes": "SPEECHGEN_MAX_ALIAS_NODES",
    "max_items": "SPEECHGEN_MAX_ITEMS",
    "max_recipients": "SPEECHGEN_MAX_RECIPIENTS",
}


@dataclass(frozen=True)
class Limits:
    """How much input is read before giving up with ``E108``."""

    # Sized for real batches: a job listing 10,000 recipients inline is about
    # 1.5 MB and 160,000 nodes; alias bombs are still stopped by max_nodes,
    # which counts nodes after expansion without expanding anything.
    max_input_bytes: int = 8 * 1024 * 1024  # a YAML job file
    max_table_bytes: int = 20 * 1024 * 1024  # a recipients CSV/XLSX file
    max_unzipped_bytes: int = 200 * 1024 * 1024  # an XLSX file, unpacked
    max_nodes: int = 2_000_000  # YAML nodes after alias expansion
    # nodes that aliases add beyond those written out (or as many as are written,
    # when that is more): a 600-byte file must not expand to max_nodes (10 s, 500 MB)
    max_alias_nodes: int = 100_000
    max_depth: int = 64  # YAML nesting
    max_items: int = 500  # any list but the recipients
    max_recipients: int = 100_000  # recipients, inline or from a table
    max_columns: int = 256  # columns read from a table

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """The defaults, overridden by the ``SPEECHGEN_MAX_*`` variables that are set."""
        env = os.environ if environ is None else environ
        changes: dict[str, int] = {}
        names = {f.name for f in fields(cls)}
        for name, var in ENV.items():
            text = env.get(var, "").strip()
            if not text or name not in names:
                continue
            try:
                value = int(text.replace("_", ""))
            except ValueError:
                value = 0
            if value <= 0:
                raise UsageProblem(f"环境变量 {var} 的值 “{text}” 无效：应为正整数")
            changes[name] = value
        return replace(cls(), **changes)
