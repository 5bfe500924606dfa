"""Shared by the PDF tests: require LibreOffice and poppler, read words with their boxes."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from speechgen.writers.pdf import find_soffice

INSTALL = (
    "apt-get install libreoffice-writer poppler-utils fonts-noto-cjk fonts-arphic-ukai "
    "(安装 LibreOffice 与 poppler-utils)"
)

Word = tuple[float, float, float, float, str]


def require_tools() -> None:
    """Fail (with the install command) when LibreOffice or poppler is missing.

    CI installs them; SPEECHGEN_ALLOW_NO_LIBREOFFICE=1 turns the failure into a skip.
    """
    missing = [t for t in ("pdfinfo", "pdftotext") if shutil.which(t) is None]
    if find_soffice() is None:
        missing.insert(0, "LibreOffice (soffice)")
    if not missing:
        return
    message = f"{'、'.join(missing)} 未安装，无法检查 PDF 版式。请安装：{INSTALL}"
    if os.environ.get("SPEECHGEN_ALLOW_NO_LIBREOFFICE") == "1":
        pytest.skip(message)
    pytest.fail(message + "；或设置 SPEECHGEN_ALLOW_NO_LIBREOFFICE=1 跳过这些测试。", pytrace=False)


def pages(path: Path) -> list[tuple[float, float, list[Word]]]:
    """Every page as (width, height, words); a word is (xMin, yMin, xMax, yMax, text)."""
    xml = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    out = []
    for m in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', xml, re.S):
        words = [
            (float(a), float(b), float(c), float(d), html.unescape(t))
            for a, b, c, d, t in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
                m.group(3),
            )
        ]
        out.append((float(m.group(1)), float(m.group(2)), words))
    return out
