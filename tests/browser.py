"""Shared by the preview tests: headless Chromium as the html preview's real client.

``measure(page_html)`` opens the page in Debian's ``chromium --headless
--dump-dom`` with a measuring script appended (the writer's output carries no
script) and returns what the browser laid out: every page box and its 版心 in
mm, the red mark's box, the page numbers, and every character's box (from
``Range.getBoundingClientRect``). ``screenshot`` writes a PNG of the pages.

Without chromium the tests fail with the install command, unless
SPEECHGEN_ALLOW_NO_CHROMIUM=1 (then they skip).
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

INSTALL = "apt-get install chromium fonts-noto-cjk fonts-arphic-ukai（安装 Chromium 与中文字体）"
PX_PER_MM = 96 / 25.4


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def require_chromium() -> str:
    found = find_chromium()
    if found:
        return found
    message = f"chromium 未安装，无法在浏览器中检查 html 预览。请安装：{INSTALL}"
    if os.environ.get("SPEECHGEN_ALLOW_NO_CHROMIUM") == "1":
        pytest.skip(message)
    pytest.fail(message + "；或设置 SPEECHGEN_ALLOW_NO_CHROMIUM=1 跳过这些测试。", pytrace=False)


def _run(args: list[str], page: Path) -> str:
    exe = require_chromium()
    with tempfile.TemporaryDirectory(prefix="speechgen-chromium-") as profile:
        proc = subprocess.run(
            [
                exe,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--force-device-scale-factor=1",
                f"--user-data-dir={profile}",
                *args,
                page.resolve().as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


# Runs in the page: one JSON object in <pre id="measured">. Lengths in mm,
# relative to the page box (pages) or to the 版心 (marks, characters).
_MEASURE = r"""
<script>
(function () {
  const MM = 25.4 / 96;
  const pages = [];
  const range = document.createRange();
  for (const page of document.querySelectorAll("section.page")) {
    const pr = page.getBoundingClientRect();
    const text = page.querySelector(".text");
    const tr = text.getBoundingClientRect();
    const P = {
      w: pr.width * MM, h: pr.height * MM,
      text: [(tr.left - pr.left) * MM, (tr.top - pr.top) * MM, tr.width * MM, tr.height * MM],
      marks: [], folio: null, imprint: null, chars: [], headers: 0, bottom: 0,
    };
    for (const m of page.querySelectorAll(".mark span")) {
      const r = m.getBoundingClientRect();
      P.marks.push([(r.left - tr.left) * MM, (r.right - tr.left) * MM, r.height * MM]);
    }
    const f = page.querySelector(".folio");
    if (f) {
      const r = f.getBoundingClientRect();
      P.folio = {text: f.textContent, left: (r.left - pr.left) * MM,
                 right: (pr.right - r.right) * MM, top: (r.top - tr.bottom) * MM};
    }
    const imp = page.querySelector(".imprint");
    if (imp) {
      const r = imp.getBoundingClientRect();
      P.imprint = [(r.top - tr.top) * MM, (r.bottom - tr.top) * MM];
    }
    P.headers = page.querySelectorAll("table.tasks th").length;
    P.bottom = 0;  // lowest edge of the boxes in the 版心 (paragraphs, tables, rules)
    for (const el of text.querySelectorAll("*")) {
      if (el.closest(".l")) continue;  // a line's text is set lower in its box, as printed
      const r = el.getBoundingClientRect();
      if (r.height) P.bottom = Math.max(P.bottom, (r.bottom - tr.top) * MM);
    }
    const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const el = node.parentElement;
      const kind = el.closest("table.tasks") ? "t" : el.closest(".imprint") ? "i" : "b";
      const s = node.data;
      for (let i = 0; i < s.length; i++) {
        if (/\s/.test(s[i]) && s[i] !== "\u3000") continue;
        range.setStart(node, i); range.setEnd(node, i + 1);
        const r = range.getBoundingClientRect();
        if (!r.width) continue;
        P.chars.push([s[i], kind, (r.left - tr.left) * MM, (r.right - tr.left) * MM,
                      (r.top - tr.top) * MM, (r.bottom - tr.top) * MM]);
      }
    }
    pages.push(P);
  }
  const out = document.createElement("pre");
  out.id = "measured";
  out.textContent = JSON.stringify(pages);
  document.body.appendChild(out);
})();
</script>
"""


def measure(page_html: str) -> list[dict]:
    """What Chromium laid out for ``page_html``: one dict per page box."""
    assert "</body>" in page_html
    with tempfile.TemporaryDirectory(prefix="speechgen-preview-") as tmp:
        path = Path(tmp) / "preview.html"
        path.write_text(page_html.replace("</body>", _MEASURE + "</body>", 1), encoding="utf-8")
        dom = _run(["--dump-dom", "--virtual-time-budget=5000"], path)
    m = re.search(r'<pre id="measured">(.*?)</pre>', dom, re.S)
    assert m, dom[-2000:]
    return json.loads(html.unescape(m.group(1)))


def screenshot(page_html: str, png: Path, pages: int) -> Path:
    """A PNG of the first ``pages`` pages of ``page_html`` at 96 dpi (1 mm ≈ 3.8 px)."""
    html_path = png.with_suffix(".html")
    html_path.write_text(page_html, encoding="utf-8")
    height = round(pages * (297 + 6) * PX_PER_MM + 6 * PX_PER_MM)
    _run([f"--screenshot={png.resolve()}", f"--window-size=840,{height}"], html_path)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return png


def png_size(png: Path) -> tuple[int, int]:
    data = png.read_bytes()
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def lines(chars: list[list], kind: str = "b") -> list[list[list]]:
    """Characters of one kind grouped into visual lines (by vertical centre), top to bottom."""
    got = sorted((c for c in chars if c[1] == kind), key=lambda c: ((c[4] + c[5]) / 2, c[2]))
    out: list[list[list]] = []
    for c in got:
        mid = (c[4] + c[5]) / 2
        if out and abs(mid - out[-1][0][6]) < 3.0:  # mm; lines are 10.2 mm apart
            out[-1].append(c + [mid])
        else:
            out.append([c + [mid]])
    return [sorted(line, key=lambda c: c[2]) for line in out]


def print_pdf(page_html: str, pdf: Path) -> Path:
    """The page printed by Chromium (``--print-to-pdf``, its print CSS, no header or footer)."""
    html_path = pdf.with_suffix(".html")
    html_path.write_text(page_html, encoding="utf-8")
    _run([f"--print-to-pdf={pdf.resolve()}", "--no-pdf-header-footer"], html_path)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    return pdf
