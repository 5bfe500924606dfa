"""The user cache of the bundled phrase library (speechgen/usercache.py, compose/library.py).

A cached library is used only when it was made from the same files by the same code; a
stale, corrupt or unwritable cache is a miss, and output never depends on the cache.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from speechgen import usercache
from speechgen.compose import library as lib
from speechgen.compose.library import load_bundled, load_dirs

SPEECH = Path(lib.__file__).resolve().parent.parent / "samples" / "01-县-季度-讲话稿.yaml"


@pytest.fixture()
def bundled_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled snippet folder standing in for it, and an empty cache folder."""
    folder = tmp_path / "snippets"
    shutil.copytree(lib.BUNDLED_DIR, folder)
    monkeypatch.setattr(lib, "BUNDLED_DIR", folder)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("SPEECHGEN_NO_CACHE", raising=False)
    return folder


def cache_file(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "speechgen" / "library.marshal"


def test_cached_library_equals_the_parsed_one(bundled_copy: Path, tmp_path: Path) -> None:
    parsed, findings = load_dirs([bundled_copy])
    assert not findings and len(parsed) > 100
    first, _ = load_bundled()  # parses and writes the cache
    assert cache_file(tmp_path).is_file()
    stamp = cache_file(tmp_path).stat().st_mtime_ns
    second, found = load_bundled()  # read back
    assert first == parsed and second == parsed and found == []
    assert [s.when for s in second] == [s.when for s in parsed]
    assert cache_file(tmp_path).stat().st_mtime_ns == stamp  # a hit writes nothing


def test_changed_snippet_file_makes_the_cache_stale(bundled_copy: Path, tmp_path: Path) -> None:
    load_bundled()
    path = bundled_copy / "kaichang.yaml"
    text = path.read_text(encoding="utf-8")
    old = next(s for s in load_dirs([bundled_copy])[0] if s.origin == str(path) and s.text in text)
    new_text = old.text + "（改过）"
    path.write_text(text.replace(old.text, new_text, 1), encoding="utf-8")
    snippets, findings = load_bundled()
    assert not findings
    assert next(s for s in snippets if s.id == old.id).text == new_text


def test_broken_bundled_file_is_reported_not_served_from_cache(
    bundled_copy: Path, tmp_path: Path
) -> None:
    load_bundled()
    (bundled_copy / "kaichang.yaml").write_text("snippets: [1, 2\n", encoding="utf-8")
    snippets, findings = load_bundled()
    assert findings and findings == load_dirs([bundled_copy])[1]
    assert not any(s.category == "kaichang" for s in snippets)


@pytest.mark.parametrize(
    "garbage", [b"", b"\x00\x01 not marshal", None], ids=["empty", "bytes", "wrong-shape"]
)
def test_corrupt_cache_file_is_ignored_and_rebuilt(
    bundled_copy: Path, tmp_path: Path, garbage: bytes | None
) -> None:
    parsed, _ = load_dirs([bundled_copy])
    load_bundled()
    target = cache_file(tmp_path)
    if garbage is None:  # valid marshal, valid key, rows of the wrong shape
        import marshal

        fmt, key, rows = marshal.loads(target.read_bytes())
        garbage = marshal.dumps((fmt, key, tuple(row[:3] for row in rows)))
    target.write_bytes(garbage)
    snippets, findings = load_bundled()
    assert snippets == parsed and not findings
    assert load_bundled()[0] == parsed  # and the file was written again, whole
    assert target.read_bytes() != garbage


def test_unwritable_cache_folder_still_loads(
    bundled_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a file where the cache folder would be: no folder can be made there, even as root
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    parsed, _ = load_dirs([bundled_copy])
    assert load_bundled() == (parsed, [])
    assert usercache.write("probe", "k", 1) is False
    assert usercache.read("probe", "k") is None


def test_cache_can_be_turned_off(bundled_copy: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SPEECHGEN_NO_CACHE", "1")
    parsed, _ = load_dirs([bundled_copy])
    assert load_bundled() == (parsed, [])
    assert not (tmp_path / "cache").exists()


def test_relative_xdg_cache_home_falls_back_to_home(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("SPEECHGEN_NO_CACHE", raising=False)
    assert usercache.folder() == tmp_path / "home" / ".cache" / "speechgen"


def _render(tmp_path: Path, name: str, env: dict[str, str]) -> bytes:
    out = tmp_path / name
    cmd = [sys.executable, "-m", "speechgen", "render", str(SPEECH), "-o", str(out), "--seed", "3"]
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    (docx,) = out.glob("*.docx")
    return docx.read_bytes()


def test_output_is_the_same_with_cold_warm_and_unwritable_cache(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SPEECHGEN_NO_CACHE"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    cold = _render(tmp_path, "cold", env)
    assert (tmp_path / "cache" / "speechgen" / "library.marshal").is_file()
    warm = _render(tmp_path, "warm", env)
    blocker = tmp_path / "blocker"
    blocker.write_text("x", encoding="utf-8")
    env["XDG_CACHE_HOME"] = str(blocker)
    unwritable = _render(tmp_path, "unwritable", env)
    assert cold == warm == unwritable


def test_template_code_is_cached_and_a_changed_template_is_compiled_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from speechgen.compose import templating
    from speechgen.compose.templating import render_string, template_env

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("SPEECHGEN_NO_CACHE", raising=False)
    monkeypatch.setattr(templating, "_compiled", {})
    source = "{% for x in items %}{{ x }}、{% endfor %}{{ name }}"
    ctx = {"items": ["甲", "乙"], "name": "丙"}
    assert render_string(template_env(), source, ctx, "t") == "甲、乙、丙"
    folder = tmp_path / "cache" / "speechgen"
    (cached,) = folder.glob("template-*.marshal")
    templating._compiled.clear()  # a new process: read back from the cache
    assert render_string(template_env(), source, ctx, "t") == "甲、乙、丙"
    cached.write_bytes(b"corrupt")  # a damaged file: compiled again, and rewritten
    templating._compiled.clear()
    assert render_string(template_env(), source, ctx, "t") == "甲、乙、丙"
    assert cached.read_bytes() != b"corrupt"
    changed = source.replace("、", "；")
    templating._compiled.clear()
    assert render_string(template_env(), changed, ctx, "t") == "甲；乙；丙"
    assert len(list(folder.glob("template-*.marshal"))) == 2


def test_template_syntax_error_is_reported_and_not_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from speechgen.compose import templating
    from speechgen.compose.templating import render_string, template_env
    from speechgen.errors import TemplateProblem

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(templating, "_compiled", {})
    for _ in range(2):
        with pytest.raises(TemplateProblem, match="语法有误"):
            render_string(template_env(), "{% for %}", {}, "t")
    assert not list((tmp_path / "cache").rglob("template-*"))


def test_bundled_data_files_read_back_equal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import yaml

    from speechgen.compose import reference

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("SPEECHGEN_NO_CACHE", raising=False)
    for name in ("sectors.yaml", "heading_sets.yaml"):
        text = (reference.DATA_DIR / name).read_text(encoding="utf-8")
        parsed = yaml.load(text, Loader=reference.FAST_SAFE_LOADER)
        assert reference._data(name) == parsed  # parsed and written
        target = tmp_path / "cache" / "speechgen" / f"data-{name}.marshal"
        assert target.is_file()
        assert reference._data(name) == parsed  # read back
        target.write_bytes(b"\xff")
        assert reference._data(name) == parsed  # corrupt: parsed again
