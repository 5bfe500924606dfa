"""Preview: the latency of render_html on a full speech (what the browser editor calls on every keystroke).

The document is composed once; then render_html(doc) is timed two ways:

- cold: the line-break cache cleared before each call (every paragraph is cut again,
  as for the first render of a document);
- keystroke: one character appended to one body paragraph before each call (the
  other paragraphs come from the cache, as while typing).

    python bench/preview.py
    python bench/preview.py --speech speechgen/samples/02-市-年度-讲话稿.yaml
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

TARGET_MS = 10.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="render_html latency on a full speech.")
    ap.add_argument("--speech", type=Path, default=common.SPEECH_SAMPLE)
    ap.add_argument("--reps", type=int, default=100, help="timed calls of each kind (default 100)")
    a = ap.parse_args(argv)

    from speechgen.compose import plan_job
    from speechgen.compose.library import load_library
    from speechgen.inputs import load_job
    from speechgen.model import Paragraph
    from speechgen.writers import linebreak
    from speechgen.writers.html import render_html

    common.print_header("preview: render_html of one full speech")
    doc = plan_job(load_job(a.speech.resolve()), load_library(), 0).compose(0)
    chars = len(doc.plain_text())
    page = render_html(doc)
    print(f"document   : {a.speech.name}, {len(doc.blocks)} blocks, {chars} characters")
    print(f"html       : {len(page)} characters, {page.count('<section')} pages")
    print()

    cold: list[float] = []
    for _ in range(a.reps):
        linebreak.break_lines.cache_clear()
        t0 = time.perf_counter()
        render_html(doc)
        cold.append((time.perf_counter() - t0) * 1000)

    body = [b for b in doc.blocks if isinstance(b, Paragraph) and b.role == "body"]
    typed: list[float] = []
    for k in range(a.reps):
        target = body[k % len(body)]
        target.text += "安"
        t0 = time.perf_counter()
        render_html(doc)
        typed.append((time.perf_counter() - t0) * 1000)

    rows = [
        [name, f"{min(v):.2f}", f"{common.median(v):.2f}", f"{common.p95(v):.2f}", TARGET_MS]
        for name, v in (("cold (no cached lines)", cold), ("keystroke", typed))
    ]
    common.print_table(["render_html, ms", "min", "median", "p95", "target"], rows)
    ok = common.p95(cold) < TARGET_MS and common.p95(typed) < TARGET_MS
    print(f"\np95 < {TARGET_MS:g} ms: {common.verdict(ok)}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
