"""Test-wide set-up: the user cache goes to a folder of this test run, never the real home."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True, scope="session")
def _user_cache_of_this_run(tmp_path_factory: pytest.TempPathFactory):
    # speechgen/usercache.py: the commands the tests run (in-process and as child
    # processes, which inherit the environment) cache into this run's folder
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old
