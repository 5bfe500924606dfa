"""The report of ``speechgen format``: per file, what was recovered, every change
(paragraph, before, after, rule), what could not be carried over, and what
``check`` still finds in the result."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..errors import ERROR, Finding
from .fixes import Change
from .recover import KIND_CN

_SHOW = 60


@dataclass
class FileReport:
    input: str
    output: str = ""
    status: str = ""  # written | unchanged | failed
    kind: str = ""
    kind_reason: str = ""
    changes: list[Change] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    error: str = ""
    images: int = 0

    def as_dict(self) -> dict:
        return {
            "input": self.input,
            "output": self.output,
            "status": self.status,
            "kind": self.kind,
            "kind_reason": self.kind_reason,
            "images": self.images,
            "changes": [c.as_dict() for c in self.changes],
            "problems": list(self.problems),
            "findings": [f.as_dict() for f in self.findings],
            "error": self.error,
        }


def _short(text: str) -> str:
    text = text.replace("\n", "↵").replace("\t", "→")
    return text if len(text) <= _SHOW else text[: _SHOW - 1] + "…"


def format_text(reports: list[FileReport]) -> str:
    """The report a person reads: one block a file."""
    out: list[str] = []
    for r in reports:
        if r.error:
            out.append(f"{r.input}：未排版：{r.error}")
            continue
        state = "内容未变，未重写" if r.status == "unchanged" else "已写出"
        out.append(
            f"{r.input} → {r.output}（{state}；按{KIND_CN.get(r.kind, r.kind)}排版："
            f"{r.kind_reason}）"
        )
        if r.images:
            out.append(f"  图片：{r.images}张已放入")
        out.append(f"  改动 {len(r.changes)} 处：")
        for c in r.changes:
            out.append(f"  {c.paragraph}：{c.rule}：「{_short(c.before)}」→「{_short(c.after)}」")
        for p in r.problems:
            out.append(f"  未能保留原样：{p}")
        errors = sum(1 for f in r.findings if f.severity == ERROR)
        if r.findings:
            out.append(
                f"  排版后检查：{errors} 个错误、{len(r.findings) - errors} 个警告（需人工处理）："
            )
            out.extend(f"  {f}" for f in r.findings)
        else:
            out.append("  排版后检查：未发现问题")
    return "\n".join(out)


def format_json(reports: list[FileReport]) -> str:
    return json.dumps([r.as_dict() for r in reports], ensure_ascii=False, indent=2)
