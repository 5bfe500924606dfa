"""``check`` on a YAML input: the loader's findings, then the placeholder,
punctuation and consistency rules over every string value, located by line
and column of the YAML file.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..errors import ERROR, Finding, SpeechgenError
from .context import Context, normalise_level
from .records import Record
from .registry import RULES

#: rules whose subject the engine rewrites itself for these keys
_ENGINE_FIXES = {"E233": ("doc_number",), "E234": ("doc_number",)}


def walk_strings(data: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """(key path, value) of every scalar; list indexes are 1-based (``accidents[2].deaths``)."""
    if isinstance(data, dict):
        for k, v in data.items():
            key = str(k)
            if key.startswith("_"):
                continue  # loader annotations such as _row
            yield from walk_strings(v, f"{path}.{key}" if path else key)
    elif isinstance(data, (list, tuple)):
        for i, v in enumerate(data, 1):
            yield from walk_strings(v, f"{path}[{i}]")
    else:
        yield path, data


def _get(data: Any, *keys: str) -> Any:
    for k in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(k)
    return data


def _date(v: Any) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str):
        try:
            return dt.date.fromisoformat(v[:10])
        except ValueError:
            return None
    return None


def yaml_context(data: Any) -> Context:
    ctx = Context(source="yaml")
    ctx.date = _date(_get(data, "meeting", "date")) or _date(_get(data, "date"))
    other = _date(_get(data, "sign_date")) or _date(_get(data, "term", "start"))
    ctx.year = ctx.date.year if ctx.date else other.year if other else None
    q = _get(data, "meeting", "quarter") or _get(data, "quarter")
    if isinstance(q, int) and 1 <= q <= 4:
        ctx.quarter = q
    elif ctx.date:
        ctx.quarter = (ctx.date.month - 1) // 3 + 1
    ctx.level = normalise_level(_get(data, "org", "level"))
    return ctx


def _loader() -> Callable[[Path], Any] | None:
    try:
        from ..inputs import load_job  # noqa: PLC0415 - written by a colleague; imported lazily
    except ImportError:
        return None
    return load_job


def check_yaml(path: str | Path, shown: str | None = None) -> list[Finding]:
    """Findings for one YAML input (never raises for a bad file)."""
    p = Path(path)
    shown = shown if shown is not None else str(path)
    load_job = _loader()
    if load_job is None:
        return [
            Finding(
                shown,
                "",
                ERROR,
                "E201",
                "无法检查 YAML：输入读取模块（speechgen.inputs.load_job）不可用",
            )
        ]
    try:
        job = load_job(p)
    except SpeechgenError as e:
        out = list(e.findings)
        if not out:
            out.append(Finding(shown, "", ERROR, "E201", e.message or "无法读取该 YAML 文件"))
        return out
    except Exception as e:  # noqa: BLE001 - a loader bug must not print a traceback
        return [
            Finding(
                shown, "", ERROR, "E201", f"无法读取该 YAML 文件（{e.__class__.__name__}：{e}）"
            )
        ]

    findings: list[Finding] = []
    data = getattr(job, "data", None)
    ctx = yaml_context(data)

    def position(key: str) -> str:
        try:
            return job.position(key) or ""
        except Exception:  # noqa: BLE001
            return ""

    from .api import run_para_rules  # noqa: PLC0415 - avoid an import cycle

    for key, value in walk_strings(data):
        if isinstance(value, float) and math.isnan(value):
            findings.append(
                Finding(
                    shown,
                    position(key),
                    RULES["E215"].severity,
                    "E215",
                    "数值为 nan（数据缺失）",
                    key,
                )
            )
            continue
        if not isinstance(value, str) or not value.strip():
            continue
        rec = Record(0, value, "yaml", location=position(key), key=key)
        for f in run_para_rules(rec, ctx, shown, yaml=True):
            if any(key.endswith(k) for k in _ENGINE_FIXES.get(f.code, ())):
                continue
            findings.append(f)

    # cited accidents after the meeting (straight from the data)
    meeting = _date(_get(data, "meeting", "date"))
    accidents = _get(data, "accidents")
    if meeting and isinstance(accidents, list):
        for i, acc in enumerate(accidents, 1):
            when = _date(acc.get("date")) if isinstance(acc, dict) else None
            if when and when > meeting:
                key = f"accidents[{i}].date"
                findings.append(
                    Finding(
                        shown,
                        position(key),
                        RULES["W201"].severity,
                        "W201",
                        f"引用的事故日期{when.year}年{when.month}月{when.day}日晚于会议日期"
                        f"（{meeting.year}年{meeting.month}月{meeting.day}日）",
                        key,
                    )
                )
    findings.sort(key=lambda f: _line_col(f.location))
    return list(getattr(job, "warnings", []) or []) + findings


def _line_col(location: str) -> tuple[int, int]:
    a, _, b = location.partition(":")
    try:
        return int(a), int(b or 0)
    except ValueError:
        return 10**9, 0
