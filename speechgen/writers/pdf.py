"""PDF through LibreOffice: every .docx of a run converted by one soffice process."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import UserError

FONTS_CONF = Path(__file__).with_name("fonts.conf")

INSTALL_HINT = (
    "未找到 LibreOffice（soffice），无法生成 PDF。请先安装 LibreOffice："
    "Debian/Ubuntu 执行 sudo apt-get install libreoffice-writer"
    "（中文字体另装 fonts-noto-cjk fonts-arphic-ukai），"
    "Windows/macOS 请从 https://zh-cn.libreoffice.org 下载安装 LibreOffice，"
    "安装后确认 soffice 在 PATH 中。"
)

# Keep the blank pages LibreOffice inserts for a section that starts on an even
# page (the blank page before a notice's 版记); by default it leaves them out
# of the PDF, and the 版记 would land on an odd page.
PDF_FILTER = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'

_CANDIDATES = (
    "/usr/bin/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)


def find_soffice() -> str | None:
    """Path of the LibreOffice executable, or None when it is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for path in _CANDIDATES:
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


def convert_to_pdf(
    docx_paths: list[Path],
    outdir: Path,
    *,
    fonts: bool = False,
    timeout: float | None = None,
) -> list[Path]:
    """Convert every file to ``outdir/<stem>.pdf`` in one LibreOffice run.

    ``fonts=True`` points fontconfig at the bundled fonts.conf, which maps
    仿宋_GB2312, 楷体_GB2312, 黑体 and 方正小标宋简体 to free fonts of the same
    class. Raises :class:`UserError` when LibreOffice is missing or a file
    was not converted. Returns the PDF paths in the order given.
    """
    paths = [Path(p) for p in docx_paths]
    if not paths:
        return []
    soffice = find_soffice()
    if soffice is None:
        raise UserError(INSTALL_HINT)
    stems: dict[str, Path] = {}
    for p in paths:
        if not p.is_file():
            raise UserError(f"{p}: 文件不存在，无法转换为 PDF。")
        other = stems.setdefault(p.stem, p)
        if other != p:
            raise UserError(f"{other} 与 {p} 同名，转换后的 PDF 会互相覆盖，请分两次转换。")
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    targets = [outdir / f"{p.stem}.pdf" for p in paths]
    if timeout is None:
        timeout = 120 + 30 * len(paths)

    env = dict(os.environ)
    if fonts:
        env["FONTCONFIG_FILE"] = str(FONTS_CONF)
    with tempfile.TemporaryDirectory(prefix="speechgen-lo-") as profile:
        cmd = [
            soffice,
            f"-env:UserInstallation={Path(profile).resolve().as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            "--convert-to",
            PDF_FILTER,
            "--outdir",
            str(outdir),
            *[str(p) for p in paths],
        ]
        for t in targets:
            if t.exists():
                t.unlink()
        try:
            proc = subprocess.run(
                cmd,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                env=env,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired as exc:
            raise UserError(
                f"LibreOffice 转换 PDF 超时（{int(timeout)} 秒），请重试或减少文件数量。"
            ) from exc
        except OSError as exc:
            raise UserError(f"无法启动 LibreOffice（{soffice}）：{exc}。{INSTALL_HINT}") from exc
    missing = [str(p) for p, t in zip(paths, targets, strict=True) if not t.is_file()]
    if missing:
        detail = (proc.stderr or proc.stdout or "").strip().splitlines()[-3:]
        raise UserError(
            "LibreOffice 未能生成以下文件的 PDF："
            + "、".join(missing)
            + (f"（{' '.join(detail)}）" if detail else "")
        )
    return targets
