"""Formatting files: read each input, write its GB/T 9704 copy atomically, check it.

The input is never written to: an output that would be the input itself is
refused, an existing output with other bytes is kept unless ``force``, and
the same input always gives the same bytes (so a rerun reports "unchanged").
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..check import check_docx
from ..check.docx_reader import ReadProblem
from ..errors import UsageProblem
from ..output import NameAllocator, OutputExists, write_atomic
from ..writers import docx as docx_writer
from .recover import recover
from .report import FileReport

FONT_PROFILES = ("gb2312", "gbk", "windows")


def font_settings(profile: str) -> docx_writer.FontSettings:
    """The writer's font settings of a ``--fonts`` profile.

    The profiles are the writer's (``FONT_PROFILES`` in writers/docx.py, added
    on the page-layout branch); until that is merged only the default
    ``gb2312`` exists and the others are refused with a message.
    """
    profiles = getattr(docx_writer, "FONT_PROFILES", None)
    if isinstance(profiles, dict) and profile in profiles:
        got = profiles[profile]
        return got if isinstance(got, docx_writer.FontSettings) else docx_writer.FontSettings()
    if profile == "gb2312":
        return docx_writer.DEFAULT_FONTS
    raise UsageProblem(f"字体方案 {profile} 在此版本中尚不可用（目前只有 gb2312）")


@dataclass
class FormatOptions:
    outdir: Path = Path("out")
    as_kind: str = "auto"
    fonts: str = "gb2312"
    force: bool = False


def format_paths(paths: list[Path], options: FormatOptions) -> list[FileReport]:
    """Format every input; a file that cannot be read is reported and skipped."""
    fonts = font_settings(options.fonts)
    names = NameAllocator()
    reports: list[FileReport] = []
    outdir = options.outdir
    for path in paths:
        rep = FileReport(str(path))
        reports.append(rep)
        if path.suffix.lower() != ".docx":
            rep.status, rep.error = "failed", "只能排版 .docx 文件（.doc、.wps 请先另存为 .docx）"
            continue
        try:
            rec = recover(path, options.as_kind, fonts)
        except ReadProblem as e:
            rep.status, rep.error = "failed", str(e)
            continue
        except Exception as e:  # noqa: BLE001 - a damaged file must not end the batch
            rep.status, rep.error = "failed", f"无法读取该 .docx 文件（{e.__class__.__name__}）"
            continue
        rep.kind, rep.kind_reason = rec.kind, rec.kind_reason
        rep.changes, rep.problems, rep.images = rec.changes, rec.problems, rec.images
        data = docx_writer.render_docx(rec.document, fonts)
        target = outdir / f"{names.allocate(path.stem)}.docx"
        rep.output = str(target)
        try:
            if target.resolve() == path.resolve():
                rep.status = "failed"
                rep.error = f"输出文件就是输入文件 {path}，不会改动输入：请用 -o 指定另一个文件夹"
                continue
        except OSError:
            pass
        try:
            outdir.mkdir(parents=True, exist_ok=True)
            rep.status = write_atomic(target, data, force=options.force)
        except OutputExists:
            rep.status = "failed"
            rep.error = f"{target} 已存在且内容不同，未覆盖（需要覆盖请加 --force）"
            continue
        except OSError as e:
            rep.status = "failed"
            rep.error = f"无法写出 {target}（{e.strerror or e}）"
            continue
        with tempfile.TemporaryDirectory(prefix="speechgen-format-") as tmp:
            probe = Path(tmp) / target.name
            probe.write_bytes(data)
            rep.findings = check_docx(probe, shown=str(target))
    return reports
