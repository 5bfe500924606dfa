"""Lint rules over the model, YAML inputs and any .docx (``speechgen check``).

API::

    check_document(doc) -> list[Finding]      # model, before writing (render's gate)
    check_docx(path) -> list[Finding]         # any .docx, generated or hand-written
    check_yaml(path) -> list[Finding]         # a YAML input: loader findings + text rules
    check_paths([paths]) -> list[Finding]     # dispatch by suffix; folders are searched
    format_findings(findings, "text"|"json") -> str
    RULES                                     # code -> Rule(code, severity, title, explain, …)

Each finding is ``PATH:LOCATION: 错误|警告 CODE 说明``; LOCATION is
``段12「下面，我讲三点意见」`` for a paragraph (numbered as a person counts
them: non-empty paragraphs, table cells included, in reading order),
``页脚「…」``, a part or ``页面设置`` for format findings, ``line:col`` for YAML.
No input makes these functions raise: unreadable files are ``E201`` findings,
and a rule that fails is reported as ``W299``.
"""

from __future__ import annotations

from typing import Any

from ..errors import ERROR, WARNING
from .registry import Rule, declare

declare(
    "E200",
    ERROR,
    "不支持的文件类型",
    "只检查 .docx 和 .yaml/.yml 文件；.doc、.wps 请先另存为 .docx。",
)
declare(
    "E201",
    ERROR,
    "无法读取文件",
    "文件不存在、为空、已损坏、不是 .docx（如旧版 .doc），或 YAML 无法读取。",
)
declare("E202", ERROR, "文档没有文字", "文档中没有任何文字。")
declare("W299", WARNING, "检查规则出错", "某条检查规则自身出错，该项未检查（请报告）。")

# The names below are imported when first asked for (PEP 562): ``speechgen render``'s
# gate needs only check_document and the rules over a model's text (check/api.py);
# the .docx reader, lxml and the format rules are loaded for a .docx or for RULES.
_FROM_API = ("check_document", "check_docx", "check_paths", "format_findings", "summarize")


def __getattr__(name: str) -> Any:
    if name in _FROM_API:
        from . import api

        value = getattr(api, name)
    elif name == "check_yaml":
        from .yaml_check import check_yaml as value
    elif name == "RULES":
        from . import api, format_rules  # noqa: F401 - every rule registered
        from .registry import RULES as value
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


__all__ = [
    "RULES",
    "Rule",
    "check_document",
    "check_docx",
    "check_paths",
    "check_yaml",
    "format_findings",
    "summarize",
]
