"""The trace: which snippets and which input values each paragraph is made of.

A composer records, for each paragraph it plans, the snippet ids it used and
the key paths whose values it states (``doc.meta["trace"]``). :func:`enrich`
adds what a reader needs (the seed each snippet was mined from, the value as
typed, and where it was typed); :func:`trace_text` lays it out as the
readable list that ``speechgen render --trace`` writes beside a document.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from ..model import Document, Heading

_PART = re.compile(r"([^.\[\]]+)(?:\[(\d+)\])?")


def resolve(data: Any, key: str) -> Any:
    """The value at ``key`` (``accidents[2].deaths``; lists count from 1), or None."""
    value = data
    for name, index in _PART.findall(key):
        if not isinstance(value, Mapping) or name not in value:
            return None
        value = value[name]
        if index:
            if not isinstance(value, list) or not 1 <= int(index) <= len(value):
                return None
            value = value[int(index) - 1]
    return value


def shown(value: Any) -> str:
    """A value as a secretary typed it: dates ISO, lists with 、, mappings key by key."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(shown(v) for v in value)
    if isinstance(value, Mapping):
        return "，".join(f"{k}: {shown(v)}" for k, v in value.items() if not str(k).startswith("_"))
    return str(value)


def enrich(trace: list[dict[str, Any]], job: Any, library: Any) -> list[dict[str, Any]]:
    """Add seed sources, typed values and their positions to a composer's trace."""
    out = []
    for entry in trace:
        sources = []
        for sid in entry.get("snippets", []):
            s = library.get(sid)
            sources.append(s.source if s is not None else "")
        values = []
        for key in entry.get("keys", []):
            value = resolve(job.data, key)
            if value is None:
                continue
            values.append({"key": key, "value": shown(value), "at": job.position(key)})
        out.append({**entry, "sources": sources, "values": values})
    return out


def _start(text: str, n: int = 24) -> str:
    return text if len(text) <= n else text[:n] + "……"


def trace_text(doc: Document, source: str = "") -> str:
    """The readable trace of ``doc``: every heading and paragraph, with what it states."""
    by_block = {e["block"]: e for e in doc.meta.get("trace", [])}
    lines = [f"《{doc.name}》溯源清单"]
    if source:
        lines.append(f"输入文件：{source}")
    lines.append(
        "每段列出：所用短语（括号内为其摘自的范文编号）和所述数据（键路径 = 输入值，行:列）。"
    )
    lines.append("未列短语和数据的段落是程序按会议类型写出的固定文字。")
    lines.append("")
    n = 0
    for index, block in enumerate(doc.blocks):
        text = getattr(block, "full_text", "")
        if not text:
            continue
        if isinstance(block, Heading):
            lines.append(f"【标题】{text}")
            continue
        if getattr(block, "role", "body") not in ("body", "closing"):
            continue
        n += 1
        lines.append(f"第{n}段　{_start(text)}")
        entry = by_block.get(index)
        if not entry:
            continue
        for sid, src in zip(entry.get("snippets", []), entry.get("sources", []), strict=False):
            lines.append(f"　　短语：{sid}" + (f"（{src}）" if src else ""))
        for v in entry.get("values", []):
            at = f"（{v['at']}）" if v.get("at") else ""
            lines.append(f"　　数据：{v['key']} = {v['value']}{at}")
    return "\n".join(lines) + "\n"
