"""BLAKE2b digests without ``hashlib``.

``import hashlib`` loads OpenSSL's libcrypto (about 10 ms of a cold start) although
the built-in ``_blake2`` module computes the same digests; speechgen uses only
BLAKE2b, so it takes it from there and falls back to ``hashlib`` where an
interpreter lacks the module.
"""

from __future__ import annotations

from typing import Any

try:
    from _blake2 import blake2b as _blake2b
except ImportError:  # pragma: no cover - every CPython build we support has it
    from hashlib import blake2b as _blake2b


def blake2b(data: bytes = b"", digest_size: int = 64) -> Any:
    """A ``hashlib.blake2b`` object (same digests) fed ``data``."""
    return _blake2b(data, digest_size=digest_size)
