"""A standalone HTML preview: render_markdown's output through Python-Markdown,
in a page styled like a printed 公文 (A4 width, 仿宋 16 pt, 28.95 pt lines)."""

from __future__ import annotations

import html

import markdown as md

from ..model import Document, Paragraph
from .markdown import render_markdown

_SERIF = '"Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", serif'
_FANGSONG = f'"仿宋_GB2312", "仿宋", "FangSong", "STFangsong", {_SERIF}'
_TITLE = f'"方正小标宋简体", "方正小标宋_GBK", "华文中宋", "STZhongsong", {_SERIF}'
_HEI = '"黑体", "SimHei", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", sans-serif'
_KAI = f'"楷体_GB2312", "楷体", "KaiTi", "STKaiti", "AR PL UKai CN", {_SERIF}'

CSS = f"""
html {{ background: #e8e8e8; }}
body {{ margin: 0; padding: 24px 0; }}
.page {{
  box-sizing: border-box; width: 210mm; min-height: 297mm; margin: 0 auto;
  padding: 37mm 26mm 35mm 28mm; background: #fff; box-shadow: 0 1px 6px rgba(0,0,0,.25);
  font-family: {_FANGSONG}; font-size: 16pt; line-height: 28.95pt; color: #000;
}}
.page p {{ margin: 0; text-indent: 2em; text-align: justify; letter-spacing: -0.25pt; }}
.page h1, .page h2 {{
  font-family: {_TITLE}; font-size: 22pt; font-weight: normal; line-height: 35pt;
  text-align: center; margin: 0 0 28.95pt;
}}
.page h1 + .subtitle {{ margin-top: -28.95pt; }}
.page .subtitle {{ font-family: {_KAI}; text-align: center; text-indent: 0; }}
.page .subtitle + p:not(.subtitle) {{ margin-top: 28.95pt; }}
.page .salutation, .page .addressee, .page .attachment-label {{ text-indent: 0; }}
.page .attachment-label {{ font-family: {_HEI}; margin-bottom: 28.95pt; }}
.page .attachment-note {{ margin-top: 28.95pt; }}
.page .attachment-note + .attachment-note {{ margin-top: 0; text-indent: 5em; }}
.page .signature, .page .date {{ text-align: right; padding-right: 4em; text-indent: 0; }}
.page .signature {{ margin-top: 57.9pt; }}
.page .signature + .date {{ margin-top: 0; }}
.page strong {{ font-weight: normal; }}
.page .heading-1 {{ font-family: {_HEI}; }}
.page .heading-2 {{ font-family: {_KAI}; }}
.red-header {{ text-align: center; margin-top: 99pt; }}
.red-header p {{ text-indent: 0; text-align: center; }}
.red-header .mark {{
  font-family: {_TITLE}; color: #f00; font-size: 40pt; line-height: 55pt; letter-spacing: 0;
  white-space: nowrap;
}}
.red-header .doc-number {{ margin-top: 57.9pt; }}
.red-header .red-rule {{ border: 0; border-top: 1.5pt solid #f00; margin: 4mm 0 57.9pt; }}
.page table {{
  width: 100%; border-collapse: collapse; font-size: 14pt; line-height: 1.3;
  margin: 0 0 14pt;
}}
.page th, .page td {{ border: 0.5pt solid #000; padding: 2pt 4pt; vertical-align: middle; }}
.page th {{ font-family: {_HEI}; font-weight: normal; text-align: center; }}
.page table.signature {{ margin-top: 57.9pt; font-size: 16pt; line-height: 28.95pt; }}
.page table.signature td {{ border: 0; padding: 0; vertical-align: top; width: 50%; }}
.page table.signature p {{ text-indent: 0; margin-bottom: 28.95pt; }}
.imprint {{ margin-top: 28.95pt; border-top: 1pt solid #000; border-bottom: 1pt solid #000;
  font-size: 14pt; }}
.imprint p {{ text-indent: 0; padding: 0 1em; }}
.imprint .cc {{ border-bottom: 0.75pt solid #000; }}
.imprint .printed {{ display: flex; justify-content: space-between; }}
hr.page-break {{ border: 0; border-top: 1px dashed #999; margin: 28.95pt -26mm 28.95pt -28mm; }}
@media print {{
  html {{ background: none; }} body {{ padding: 0; }}
  .page {{ box-shadow: none; margin: 0; }}
  hr.page-break {{ border: 0; margin: 0; break-after: page; }}
}}
"""


def render_html(doc: Document) -> str:
    """A standalone UTF-8 HTML page previewing ``doc``."""
    body = md.markdown(render_markdown(doc), extensions=["attr_list", "tables"])
    title = doc.meta.get("title") or next(
        (b.full_text for b in doc.blocks if isinstance(b, Paragraph) and b.role == "title"),
        doc.name,
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN">\n<head>\n<meta charset="utf-8" />\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1" />\n'
        f"<title>{html.escape(title)}</title>\n"
        f"<style>{CSS}</style>\n</head>\n<body>\n"
        f'<main class="page">\n{body}\n</main>\n</body>\n</html>\n'
    )
