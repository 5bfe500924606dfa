"""Font profiles (spec/FORMAT.md v2): ``--fonts gb2312|gbk|windows`` and ``fonts:`` in a job.

Every profile renders; styles.xml, the runs and fontTable.xml name exactly the
profile's fonts (with each fallback in ``w:altName``); ``speechgen check``
passes each document and names its profile; a document mixing two profiles is
flagged (W304).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from speechgen.check import check_docx
from speechgen.writers.docx import FONT_PROFILES

ROOT = Path(__file__).resolve().parents[1]
NOTICE = ROOT / "speechgen" / "samples" / "08-县-任务分工-通知.yaml"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
Q = f"{{{W}}}"

EXPECTED = {
    "gb2312": {"方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"},
    "gbk": {"方正小标宋_GBK", "方正仿宋_GBK", "方正黑体_GBK", "方正楷体_GBK"},
    "windows": {"方正小标宋简体", "仿宋", "黑体", "楷体"},
}
FALLBACK = {
    "gb2312": {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体"},
    "gbk": {"方正仿宋_GBK": "仿宋", "方正楷体_GBK": "楷体", "方正黑体_GBK": "黑体"},
    "windows": {"方正小标宋简体": "宋体", "仿宋": "FangSong", "楷体": "KaiTi"},
}


def speechgen(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "speechgen", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def east_asian_fonts(data: bytes, part: str) -> set[str]:
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(part))
    return {rf.get(f"{Q}eastAsia") for rf in root.iter(f"{Q}rFonts")}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out: dict[str, Path] = {}
    for profile in FONT_PROFILES:
        d = tmp_path_factory.mktemp(profile)
        p = speechgen("render", str(NOTICE), "-o", "out", "--fonts", profile, cwd=d)
        assert p.returncode == 0, p.stderr
        (out[profile],) = (d / "out").glob("*.docx")
    return out


def test_the_profiles_are_those_of_format_md() -> None:
    assert {p: set(fs.names()) - {"宋体"} for p, fs in FONT_PROFILES.items()} == EXPECTED


@pytest.mark.parametrize("profile", sorted(EXPECTED))
def test_styles_runs_and_font_table_name_the_profiles_fonts(rendered, profile: str) -> None:
    data = rendered[profile].read_bytes()
    styles = east_asian_fonts(data, "word/styles.xml")
    runs = east_asian_fonts(data, "word/document.xml")
    assert styles == EXPECTED[profile] | {"宋体"}  # 宋体: the page number's style
    assert runs == EXPECTED[profile]
    table = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/fontTable.xml"))
    fonts = {f.get(f"{Q}name"): f for f in table.iter(f"{Q}font")}
    assert set(fonts) == EXPECTED[profile] | {"宋体"}
    for name, alt in FALLBACK[profile].items():
        assert fonts[name].find(f"{Q}altName").get(f"{Q}val") == alt
    for f in fonts.values():
        assert f.find(f"{Q}charset").get(f"{Q}val") == "86"  # GB2312
    hei = next(n for n in fonts if "黑" in n)
    assert fonts[hei].find(f"{Q}family").get(f"{Q}val") == "swiss"
    kai = next(n for n in fonts if "楷" in n)
    assert fonts[kai].find(f"{Q}family").get(f"{Q}val") == "script"


@pytest.mark.parametrize("profile", sorted(EXPECTED))
def test_check_passes_each_profile_and_names_it(rendered, profile: str) -> None:
    path = rendered[profile]
    assert [str(f) for f in check_docx(path) if f.severity == "错误"] == []
    p = speechgen("check", str(path), cwd=path.parent)
    assert p.returncode == 0, p.stdout + p.stderr
    assert f"信息 I300 字体方案：{profile}（" in p.stdout
    assert "W304" not in p.stdout
    j = speechgen("check", "--format", "json", str(path), cwd=path.parent)
    notes = [x for x in json.loads(j.stdout) if x["code"] == "I300"]
    assert len(notes) == 1 and notes[0]["message"].startswith(f"字体方案：{profile}")


def test_a_document_mixing_profiles_is_flagged(rendered, tmp_path: Path) -> None:
    src = rendered["gb2312"].read_bytes()
    zin = zipfile.ZipFile(io.BytesIO(src))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "word/document.xml":  # level-1 headings in the gbk 黑体
                data = data.replace("黑体".encode(), "方正黑体_GBK".encode())
            zout.writestr(item, data)
    mixed = tmp_path / "mixed.docx"
    mixed.write_bytes(buf.getvalue())
    found = [f for f in check_docx(mixed) if f.code == "W304"]
    assert len(found) == 1, [str(f) for f in check_docx(mixed)]
    assert "gb2312（" in found[0].message and "gbk（方正黑体_GBK）" in found[0].message
    p = speechgen("check", str(mixed), cwd=tmp_path)
    assert "W304" in p.stdout and "字体方案：无法确定" in p.stdout


def test_fonts_in_the_job_and_the_option_that_wins(tmp_path: Path) -> None:
    job = tmp_path / "job.yaml"
    job.write_text(NOTICE.read_text(encoding="utf-8") + "fonts: gbk\n", encoding="utf-8")
    p = speechgen("render", str(job), "-o", "a", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    (a,) = (tmp_path / "a").glob("*.docx")
    assert east_asian_fonts(a.read_bytes(), "word/document.xml") == EXPECTED["gbk"]
    p = speechgen("render", str(job), "-o", "b", "--fonts", "windows", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    (b,) = (tmp_path / "b").glob("*.docx")
    assert east_asian_fonts(b.read_bytes(), "word/document.xml") == EXPECTED["windows"]
    help_text = "".join(speechgen("render", "--help", cwd=tmp_path).stdout.split())
    assert "优先于输入文件中的fonts" in help_text  # the help column wraps where it must


def test_an_unknown_profile_is_a_located_error(tmp_path: Path) -> None:
    job = tmp_path / "job.yaml"
    job.write_text(NOTICE.read_text(encoding="utf-8") + "fonts: GBK2\n", encoding="utf-8")
    p = speechgen("render", str(job), "-o", "out", cwd=tmp_path)
    assert p.returncode == 1 and "Traceback" not in p.stderr
    assert "fonts" in p.stderr and "gb2312" in p.stderr and "job.yaml:" in p.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.docx"))
