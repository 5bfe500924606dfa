"""``speechgen format``: re-lay any .docx to GB/T 9704 through the model and the docx writer.

API::

    recover(path, as_kind="auto", fonts=None) -> Recovered   # .docx -> Document + changes
    format_paths(paths, options) -> list[FileReport]          # read, write, check, report
"""

from __future__ import annotations

from .fixes import RULE_NAMES, Change
from .recover import KINDS, Recovered, recover
from .report import FileReport, format_json, format_text
from .run import FormatOptions, font_settings, format_paths

__all__ = [
    "KINDS",
    "RULE_NAMES",
    "Change",
    "FileReport",
    "FormatOptions",
    "Recovered",
    "font_settings",
    "format_json",
    "format_paths",
    "format_text",
    "recover",
]
