"""Lists at and beyond the limits: the schema's limits hold all the way through the composers.

The loader accepts up to ``Limits.max_items`` (500) entries in a list; a job
inside the limits must render, and anything the composers cannot number must
be refused up front with a located message, never a traceback.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from docx import Document as DocxDocument

from speechgen.check import check_document
from speechgen.check.docx_reader import DocxPackage
from speechgen.compose import compose_job
from speechgen.compose.library import load_library
from speechgen.errors import UserError
from speechgen.inputs import load_job
from speechgen.writers.docx import render_docx

SPEECH = {
    "type": "speech",
    "org": {"level": "县", "name": "青山县"},
    "speaker": {"role": "县长"},
    "meeting": {"name": "全县安全生产工作会议", "kind": "special", "date": "2024-04-10"},
}
NOTICE = {
    "type": "notice",
    "org": {"level": "县", "name": "青山县"},
    "issuer": "青山县安全生产委员会办公室",
    "to": "各乡镇人民政府",
    "date": "2024-03-28",
    "quarter": 2,
}
LETTER = {
    "type": "letter",
    "org": {"level": "县", "name": "青山县"},
    "party_a": {"name": "青山县人民政府"},
    "term": {"start": "2024-01-01", "end": "2024-12-31"},
    "sign_date": "2024-02-20",
    "recipients": [{"name": "城关镇人民政府", "type": "township"}],
}


def _job(tmp_path: Path, doc: dict) -> Path:
    path = tmp_path / "job.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


AT_THE_LIMIT = {
    "accidents": {
        **SPEECH,
        "accidents": [
            {"date": "2024-01-02", "place": f"某地{i}", "kind": "火灾", "deaths": i % 40}
            for i in range(500)
        ],
    },
    "preceding": {
        **SPEECH,
        "preceding": [{"who": f"单位{i}", "did": "作了发言"} for i in range(500)],
    },
    "checks": {
        **SPEECH,
        "sectors": [{"name": "燃气", "checks": [f"检查{i}" for i in range(500)]}],
    },
    "sectors": {**SPEECH, "sectors": [{"name": f"行业{i}"} for i in range(99)]},
    "points": {
        **SPEECH,
        "points": [{"heading": f"要点{i}", "items": [{"text": "抓好落实。"}]} for i in range(99)],
    },
    "tasks": {
        **NOTICE,
        "tasks": [{"task": f"任务{i}", "lead": "县应急管理局"} for i in range(500)],
    },
    "requirements": {**NOTICE, "requirements": [f"要求{i}。" for i in range(500)]},
    "attachments": {**NOTICE, "attachments": [f"附件{i}" for i in range(500)]},
    "targets": {**LETTER, "targets": [f"目标{i}" for i in range(99)]},
}


@pytest.mark.parametrize("name", list(AT_THE_LIMIT))
def test_long_lists_inside_the_limits_render(tmp_path: Path, name: str) -> None:
    (result,) = compose_job(load_job(_job(tmp_path, AT_THE_LIMIT[name])), load_library())
    assert not [f for f in check_document(result.document) if f.is_error]
    assert DocxDocument(io.BytesIO(render_docx(result.document))).paragraphs


HUNDRED = {
    "speech sectors": (
        {**SPEECH, "sectors": [{"name": f"行业{i}"} for i in range(100)]},
        "sectors",
    ),
    "outline sectors": (
        {**SPEECH, "type": "outline", "sectors": [{"name": f"行业{i}"} for i in range(100)]},
        "sectors",
    ),
    "points": (
        {
            **SPEECH,
            "points": [{"heading": f"要点{i}", "items": ["抓好落实。"]} for i in range(100)],
        },
        "points",
    ),
    "point items": (
        {
            **SPEECH,
            "points": [
                {
                    "heading": "要点",
                    "items": [{"title": f"第{i}项", "text": "抓好落实。"} for i in range(100)],
                }
            ],
        },
        r"points\[1\]\.items",
    ),
    "achievements": (
        {**SPEECH, "situation": {"achievements": [f"成绩{i}。" for i in range(100)]}},
        r"situation\.achievements",
    ),
    "notice sectors": (
        {**NOTICE, "sectors": [{"name": f"行业{i}"} for i in range(100)]},
        "sectors",
    ),
    "letter targets": ({**LETTER, "targets": [f"目标{i}" for i in range(100)]}, "targets"),
    "letter duties": ({**LETTER, "duties": [f"职责{i}" for i in range(100)]}, "duties"),
}


@pytest.mark.parametrize("name", list(HUNDRED))
def test_a_hundred_numbered_entries_render_or_are_refused_at_the_key(
    tmp_path: Path, name: str
) -> None:
    doc, key = HUNDRED[name]
    path = _job(tmp_path, doc)
    p = subprocess.run(
        [sys.executable, "-m", "speechgen", "render", str(path), "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in p.stderr, p.stderr[-1500:]
    if p.returncode != 0:
        assert p.returncode == 1
        assert re.search(rf"job\.yaml:\d+:\d+: 错误 E\d+ {key} ", p.stderr), p.stderr


# ---------------------------------------------------------------- values the composers cannot say


def test_absurd_numbers_are_refused_at_the_key(tmp_path: Path) -> None:
    """10**30 deaths was a ValueError (数字过大) from compose/numbers.py; now E105 at the key."""
    doc = {
        **SPEECH,
        "stats": {
            "current": {"accidents": 10**12, "deaths": 10**30, "injured": 0, "loss_wan": 1e20},
            "previous": {"accidents": 1, "deaths": 1, "injured": 1, "loss_wan": 10**12},
        },
    }
    with pytest.raises(UserError) as info:
        load_job(_job(tmp_path, doc))
    found = {f.key: f for f in info.value.findings if f.is_error}
    assert set(found) == {"stats.current.deaths", "stats.current.loss_wan"}
    assert all(f.code == "E105" and "不能大于 1000000000000" in f.message for f in found.values())
    assert all(re.fullmatch(r"\d+:\d+", f.location) for f in found.values())
    # 10**12 itself is said in full
    doc["stats"]["current"].update(deaths=10**12, loss_wan=10**12)
    (result,) = compose_job(load_job(_job(tmp_path, doc)), load_library())
    # read back with the checker's reader: the writer keeps 「1000000000000人」 on one
    # line as a ruby, whose base python-docx's Paragraph.text does not read
    path = tmp_path / "big.docx"
    path.write_bytes(render_docx(result.document))
    assert "死亡1000000000000人" in "".join(r.text for r in DocxPackage(path).records)


@pytest.mark.parametrize("doc", [SPEECH, NOTICE], ids=["speech", "notice"])
def test_an_empty_points_list_is_refused_at_the_key(tmp_path: Path, doc: dict) -> None:
    """``points: []`` was ValueError: ordinal out of range: 0 (我讲〇点意见) in compose/speech.py."""
    with pytest.raises(UserError) as info:
        load_job(_job(tmp_path, {**doc, "points": []}))
    (finding,) = [f for f in info.value.findings if f.is_error]
    assert (finding.code, finding.key) == ("E102", "points") and "auto" in finding.message
    assert re.fullmatch(r"\d+:1", finding.location)


def test_shared_blocks_through_aliases_stay_within_the_alias_budget(tmp_path: Path) -> None:
    """10,000 recipients each merging one shared block (``<<: *d``) still load; a bomb does not."""
    lines = [
        "type: letter",
        "org: {level: 县, name: 青山县}",
        "party_a: {name: 青山县人民政府}",
        "term: {start: 2024-01-01, end: 2024-12-31}",
        "sign_date: 2024-02-20",
        "defaults: &d {type: township, signer_title: 镇长, limits: {deaths_max: 1}}",
        "recipients:",
        *(f"  - {{<<: *d, name: 第{i}镇}}" for i in range(10_000)),
    ]
    path = tmp_path / "job.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    job = load_job(path)
    assert len(job.data["recipients"]) == 10_000
    assert job.data["recipients"][-1]["limits"] == {"deaths_max": 1}
    bomb = (
        "\n".join(lines[:6])
        + "\n"
        + "".join(
            f"{b}: &{b} [{', '.join([f'*{a}'] * 12)}]\n"
            for a, b in zip("defg", "efgh", strict=True)
        )
    )
    path.write_text(bomb, encoding="utf-8")
    with pytest.raises(UserError) as info:
        load_job(path)
    (finding,) = info.value.findings
    assert finding.code == "E108" and "SPEECHGEN_MAX_ALIAS_NODES" in finding.message
