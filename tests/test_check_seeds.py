"""speechgen.check on the real seed speeches (../shared/seeds), put into .docx
by python-docx one paragraph per line: each speech's actual leftovers are found.

File 002 holds 8 speeches and 003 holds 2; they are split by the line ranges
of research/domain.md §1 (003: the title line 2 without its scrape bookmark
plus lines 6–25, then lines 26–57; the site boilerplate of lines 1, 3–5 is
dropped).

Run as a script to write the human-readable report::

    python tests/test_check_seeds.py docs/seed_check_report.txt
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

from speechgen.check import check_docx
from speechgen.errors import ERROR, Finding

ROOT = Path(__file__).resolve().parents[1]
SEEDS = next(
    (
        p
        for p in (ROOT.parent / "shared" / "seeds", ROOT / "tests" / "data" / "check" / "seeds")
        if p.is_dir()
    ),
    ROOT.parent / "shared" / "seeds",
)

#: research/domain.md §1: the 8 speeches of file 002 by line range (1-based, inclusive)
RANGES_002 = {
    "a": (1, 11),
    "b": (12, 26),
    "c": (27, 46),
    "d": (47, 63),
    "e": (64, 84),
    "f": (85, 98),
    "g": (99, 106),
    "h": (107, 116),
}


def _lines(prefix: str) -> list[str]:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return path.read_text(encoding="utf-8").splitlines()


def seed_speeches() -> dict[str, list[str]]:
    """The 13 seed speeches as lists of lines."""
    out = {"S000": _lines("000"), "S001": _lines("001")}
    l2 = _lines("002")
    for k, (a, b) in RANGES_002.items():
        out[f"S002{k}"] = l2[a - 1 : b]
    l3 = _lines("003")
    out["S003a"] = [l3[1].replace("[bookmark: _Toc1]", "")] + l3[5:25]
    out["S003b"] = l3[25:57]
    out["S004"] = _lines("004")
    return out


def write_docx(lines: list[str], path: Path) -> Path:
    import docx

    d = docx.Document()
    for line in lines:
        d.add_paragraph(line)
    d.save(str(path))
    return path


pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="seed speeches not available")


@pytest.fixture(scope="module")
def seed_findings(tmp_path_factory) -> dict[str, list[Finding]]:
    folder = tmp_path_factory.mktemp("seeds")
    out = {}
    for sid, lines in seed_speeches().items():
        path = write_docx(lines, folder / f"{sid}.docx")
        out[sid] = check_docx(path, shown=f"{sid}.docx", formats=False)
    return out


def _hits(found: list[Finding], code: str, token: str) -> list[Finding]:
    return [f for f in found if f.code == code and f"“{token}”" in f.message]


def test_thirteen_speeches(seed_findings) -> None:
    assert len(seed_findings) == 13


@pytest.mark.parametrize(
    "sid,code,token,at_least",
    [
        ("S000", "E210", "XX", 4),
        ("S001", "E210", "X", 6),
        ("S003a", "E211", "×", 12),
        ("S003b", "E210", "X", 15),
        ("S004", "E212", "**", 9),
        ("S002c", "E213", "20xx", 13),
        ("S002c", "E210", "XX", 2),
        ("S002e", "E213", "20xx", 8),
        ("S002f", "E213", "20xx", 2),
        ("S002g", "E213", "20xx", 2),
        ("S002h", "E213", "20xx", 3),
        ("S002b", "E213", "x7", 1),
        ("S002b", "E213", "x8", 1),
        ("S002b", "E213", "x3", 1),
        ("S002b", "E213", "x4", 1),
        ("S002f", "E216", "(值班电话：)", 2),
    ],
)
def test_leftovers_found_at_error_level(seed_findings, sid, code, token, at_least) -> None:
    hits = _hits(seed_findings[sid], code, token)
    assert len(hits) >= at_least, [str(f) for f in seed_findings[sid]]
    assert all(f.severity == ERROR for f in hits)
    assert all(f.location.startswith("段") for f in hits)


def test_s000_xx_four_places(seed_findings) -> None:
    hits = _hits(seed_findings["S000"], "E210", "XX")
    assert len(hits) == 4
    assert [h.location.split("「")[0] for h in hits] == ["段2", "段7", "段8", "段11"]


def test_s002h_announces_five_but_has_three(seed_findings) -> None:
    hits = [f for f in seed_findings["S002h"] if f.code == "E225"]
    assert len(hits) == 1 and hits[0].severity == ERROR
    assert "五个方面" in hits[0].message and "3点" in hits[0].message


def test_other_seed_defects(seed_findings) -> None:
    got = {sid: Counter(f.code for f in found) for sid, found in seed_findings.items()}
    assert got["S002a"]["E222"] == 6  # 1、…6、
    assert got["S003a"]["E227"] == 1  # 一是、二是、三、
    assert got["S003a"]["W202"] >= 2  # 中秋、国庆 in a first-quarter speech
    assert got["S003b"]["W203"] >= 2  # 疫情防控, 建党100周年 in 2024
    assert got["S002c"]["E233"] >= 3  # 吉政发[20xx]12号
    assert got["S002e"]["E235"] >= 2  # 1 月 6 日


def test_clean_announcements_not_flagged(seed_findings) -> None:
    for sid in (
        "S000",
        "S002b",
        "S002c",
        "S002e",
        "S002f",
        "S003a",
        "S003b",
        "S004",
        "S001",
        "S002g",
    ):
        assert not [f for f in seed_findings[sid] if f.code == "E225"], sid


def test_situation_rules_find_only_the_true_contradictions(seed_findings) -> None:
    """E240–E245, E228, W240 on the seeds: S003b (2024年第一季度) says 又即将进入主汛期;
    nothing else (the seeds carry no dates, and their headings head their parts)."""
    new = {"E240", "E241", "E242", "E243", "E244", "E245", "E228", "W240"}
    got = {sid: [f for f in fs if f.code in new] for sid, fs in seed_findings.items()}
    got = {sid: fs for sid, fs in got.items() if fs}
    assert list(got) == ["S003b"], {k: [str(f) for f in v] for k, v in got.items()}
    (hit,) = got["S003b"]
    assert hit.code == "E241" and "“主汛期”" in hit.message and hit.location.startswith("段11")


def test_no_internal_errors(seed_findings) -> None:
    for sid, found in seed_findings.items():
        assert not [f for f in found if f.code in ("W299", "E201", "E202")], sid


# --------------------------------------------------------------------------- report

_OPENING = {
    "S000": "县长讲话提纲（县，约2023年）",
    "S001": "2022年第一季度全县会议（内蒙古旗县）",
    "S002a": "公司安全月讲话",
    "S002b": "年初全县会议（澄城，约2015年）",
    "S002c": "全县会议暨春节“两会”（吉林，约2005年）",
    "S002d": "年终全区会议（薛城，约2015年）",
    "S002e": "春季全县会议（郧西，约2016年）",
    "S002f": "春节及“两会”期间全区会议",
    "S002g": "年度全县会议",
    "S002h": "年度新区会议（滨海，截断）",
    "S003a": "2024年第一季度全县会议（旧稿改日期）",
    "S003b": "2024年第一季度全区会议（约2021年旧稿）",
    "S004": "全市紧急会议（约2022年）",
}


def report(findings: dict[str, list[Finding]]) -> str:
    lines = [
        "speechgen check：13篇种子讲话稿的检查结果",
        "=" * 40,
        "",
        "来源：../shared/seeds 中的5个文件（002 拆为8篇、003 拆为2篇，见 research/domain.md §1），",
        "由测试夹具 tests/test_check_seeds.py 逐行写成 .docx 后运行 check_docx(formats=False)。",
        "版式规则（E3xx）未列出：这些 .docx 由夹具用 python-docx 默认模板生成，版式问题不属于讲话稿本身。",
        "重新生成：python tests/test_check_seeds.py docs/seed_check_report.txt",
        "",
        "汇总",
        "----",
        "",
        "讲话    错误  警告  按代码",
    ]
    total = Counter()
    for sid, found in findings.items():
        c = Counter(f.code for f in found)
        total.update(c)
        e = sum(1 for f in found if f.severity == ERROR)
        w = len(found) - e
        by = " ".join(f"{k}×{v}" for k, v in sorted(c.items()))
        lines.append(f"{sid:<7}{e:>5}{w:>6}  {by}")
    all_found = [f for fs in findings.values() for f in fs]
    e = sum(1 for f in all_found if f.severity == ERROR)
    by = " ".join(f"{k}×{v}" for k, v in sorted(total.items()))
    lines.append(f"合计   {e:>5}{len(all_found) - e:>6}  {by}")
    lines.append("")
    from speechgen.check import RULES

    lines.append("代码说明：" + "；".join(f"{k} {RULES[k].title}" for k in sorted(total)))
    lines.append("")
    for sid, found in findings.items():
        lines.append("")
        title = f"{sid}  {_OPENING.get(sid, '')}"
        lines.append(title)
        lines.append("-" * 40)
        lines.extend(str(f) for f in found)
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    import tempfile

    target = Path(argv[1]) if len(argv) > 1 else ROOT / "docs" / "seed_check_report.txt"
    with tempfile.TemporaryDirectory() as tmp:
        findings = {}
        for sid, lines in seed_speeches().items():
            path = write_docx(lines, Path(tmp) / f"{sid}.docx")
            findings[sid] = check_docx(path, shown=f"{sid}.docx", formats=False)
    target.write_text(report(findings), encoding="utf-8")
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
