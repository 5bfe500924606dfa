"""Compiled regular expressions kept between commands (speechgen/recache.py).

Each case runs in a child process (install() changes ``re`` for the process it runs in):
a pattern served from the cache must be the pattern ``re`` builds, and a damaged or
unwritable cache must change nothing but speed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CHILD = r"""
import json, re, sys
from speechgen import recache
installed = recache.install()
patterns = [
    (r"[㐀-䶿一-鿿豈-\ufaff]{1,12}?(?P<num>\d+)起", 0),
    (r"(?:讲|谈|强调)了?(?:以下|如下)?([一二三四五六七八九十两]{1,3})", 0),
    (r"^\s*(?P<a>[a-z]+)\s+(?P=a)$", re.MULTILINE | re.IGNORECASE),
    (r"\bword\b", re.ASCII),
]
texts = ["今年以来共发生事故12起，强调了三点", "abc abc\nXY xy", "a word here"]
out = []
for p, f in patterns:
    pat = re.compile(p, f)
    out.append([pat.pattern, pat.flags, pat.groups, dict(pat.groupindex),
                [[m.span(), m.groups()] for t in texts for m in pat.finditer(t)]])
b = re.compile(rb"[\x00-\x1f]+(?P<tail>x)")
out.append([b.pattern.decode(), b.flags, b.groups, dict(b.groupindex),
            [list(m.span()) for m in b.finditer(b"ab\x01\x02x")]])
print(json.dumps({"installed": installed, "new": recache._state["new"],
                  "hits": len(recache._used) - recache._state["new"], "out": out}))
"""


def _run(cache: Path, extra: dict[str, str] | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "SPEECHGEN_NO_CACHE"}
    env["XDG_CACHE_HOME"] = str(cache)
    env.update(extra or {})
    done = subprocess.run(
        [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def _reference() -> list:
    done = subprocess.run(
        [sys.executable, "-c", CHILD.replace("recache.install()", "False")],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)["out"]


pytestmark = pytest.mark.skipif(
    sys.implementation.name != "cpython" or sys.version_info[:2] not in ((3, 11), (3, 12), (3, 13)),
    reason="the cache is only installed on CPython 3.11-3.13 (elsewhere re is left alone)",
)


def test_patterns_from_the_cache_are_the_patterns_re_builds(tmp_path: Path) -> None:
    reference = _reference()
    first = _run(tmp_path)
    assert first["installed"] and first["new"] >= 5
    assert (tmp_path / "speechgen" / "regex.marshal").is_file()
    second = _run(tmp_path)
    assert second["new"] == 0 and second["hits"] >= 5  # every one served from the cache
    assert first["out"] == second["out"] == reference


def test_corrupt_cache_file_is_ignored_and_rewritten(tmp_path: Path) -> None:
    _run(tmp_path)
    target = tmp_path / "speechgen" / "regex.marshal"
    target.write_bytes(b"\x00garbage")
    again = _run(tmp_path)
    assert again["new"] >= 5 and again["out"] == _reference()
    assert target.read_bytes() != b"\x00garbage"
    assert _run(tmp_path)["new"] == 0


def test_unwritable_cache_folder_changes_nothing(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    first = _run(blocker)
    second = _run(blocker)
    assert first["installed"] and first["new"] >= 5 and second["new"] >= 5
    assert first["out"] == second["out"] == _reference()


def test_turned_off_cache_leaves_re_alone(tmp_path: Path) -> None:
    got = _run(tmp_path, {"SPEECHGEN_NO_CACHE": "1"})
    assert got["out"] == _reference()
    assert not (tmp_path / "speechgen").exists()


DATACLASS_CHILD = r"""
import dataclasses, json
from speechgen import recache
recache.install()

@dataclasses.dataclass(frozen=True, order=True)
class P:
    a: int
    b: str = "x"
    c: tuple = dataclasses.field(default_factory=tuple)

@dataclasses.dataclass
class Q:
    items: list = dataclasses.field(default_factory=list)
    n: int = 0

p, q = P(2, "y"), Q()
q.items.append(1)
try:
    p.a = 3
    frozen = False
except dataclasses.FrozenInstanceError:
    frozen = True
print(json.dumps({
    "new": recache._code_state["new"],
    "out": [repr(p), repr(q), p == P(2, "y"), P(1) < p, hash(p) == hash(P(2, "y")), frozen,
            Q().items, P.__init__.__code__.co_filename, P.__doc__],
}))
"""


def _run_dataclasses(cache: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "SPEECHGEN_NO_CACHE"}
    env["XDG_CACHE_HOME"] = str(cache)
    done = subprocess.run(
        [sys.executable, "-c", DATACLASS_CHILD], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def test_dataclass_methods_from_the_cache_behave_as_compiled_ones(tmp_path: Path) -> None:
    plain = subprocess.run(
        [sys.executable, "-c", DATACLASS_CHILD.replace("recache.install()", "")],
        capture_output=True,
        text=True,
        check=True,
    )
    reference = json.loads(plain.stdout)["out"]
    first = _run_dataclasses(tmp_path)
    second = _run_dataclasses(tmp_path)
    assert first["new"] > 0 and second["new"] == 0  # the second made every method from the cache
    assert first["out"] == second["out"] == reference
    (tmp_path / "speechgen" / "dataclass-code.marshal").write_bytes(b"junk")
    assert _run_dataclasses(tmp_path)["out"] == reference
