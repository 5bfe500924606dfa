"""Test-wide set-up: the user cache goes to a folder of this test run, never the real home."""

from __future__ import annotations

import os
import tempfile

import pytest


def pytest_configure(config: pytest.Config) -> None:
    # speechgen/usercache.py: set before collection (test modules load the library at
    # import) and left set to the end (the CLI's regex cache is written at exit). Child
    # processes the tests start inherit it; tests that need another folder set their own.
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="speechgen-test-cache-")
