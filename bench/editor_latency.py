"""Editor latency: from the last keystroke in the form to the new page in the preview.

Starts the real `speechgen edit` (subprocess, --no-browser) on a full speech and
measures two things:

* **Browser** (the figure that counts): headless Chromium types one digit into the
  form field `stats.current.deaths`; the page's own clock (`performance.now()`) marks
  the keystroke's input event and the moment the new preview document is in place
  (`window.speechgenPreviewAt`, set by editor.js). The time includes the page's
  debounce (40 ms), the request, the server's load_job + plan_job().compose +
  check_document + render_html, and the preview swap. Each repetition types a new
  value, and the new figure is checked on the page.
* **Server**: the same edit posted to /api/update directly (urllib), the round trip.

    python bench/editor_latency.py                 # 30 keystrokes, 30 posts
    python bench/editor_latency.py --speech speechgen/samples/02-市-年度-讲话稿.yaml -n 50
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import common  # noqa: E402
from editor_support import chromium_driver, start_editor  # noqa: E402

TARGET_MS = 300.0


def browser_latency(running, n: int) -> list[float]:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    with tempfile.TemporaryDirectory() as downloads:
        driver = chromium_driver(Path(downloads))
        try:
            driver.get(running.url)
            WebDriverWait(driver, 30).until(
                lambda d: d.execute_script(
                    "const f = document.getElementById('preview');"
                    "return f.dataset.rev && f.contentDocument.body.innerText.length > 100;"
                )
            )
            box = driver.find_element(
                By.CSS_SELECTOR, '#form [data-key="stats.current.deaths"] input'
            )
            driver.execute_script(
                "window.benchKey = 0;"
                "document.addEventListener('input', () => { window.benchKey = performance.now(); }, true);"
            )
            out = []
            for k in range(n + 3):
                value = str(10 + k)
                box.clear()  # fires no input event; the digits below do
                rev = driver.execute_script(
                    "return document.getElementById('preview').dataset.rev;"
                )
                box.send_keys(value)
                WebDriverWait(driver, 10, poll_frequency=0.01).until(
                    lambda d, rev=rev, value=value: (
                        d.execute_script("return document.getElementById('preview').dataset.rev;")
                        != rev
                        and f"死亡{value}人"
                        in d.execute_script(
                            "return document.getElementById('preview').contentDocument.body.textContent"
                            ".replace(/\\s+/g, '');"
                        )
                    )
                )
                ms = driver.execute_script("return window.speechgenPreviewAt - window.benchKey;")
                if k >= 3:  # warm-up: first compositions fill the caches
                    out.append(float(ms))
            return out
        finally:
            driver.quit()


def server_latency(running, n: int) -> list[float]:
    out = []
    for k in range(n + 3):
        t0 = time.perf_counter()
        result = running.json(
            "POST",
            "/api/update",
            {
                "patches": [
                    {"path": ["stats", "current", "deaths"], "value": 100 + k, "kind": "int"}
                ]
            },
        )
        elapsed = (time.perf_counter() - t0) * 1000
        assert f"死亡{100 + k}人" in result["html"]
        if k >= 3:
            out.append(elapsed)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--speech", type=Path, default=common.SPEECH_SAMPLE)
    ap.add_argument("-n", type=int, default=30, help="timed keystrokes and posts")
    args = ap.parse_args()
    common.print_header("editor latency: keystroke → new preview page")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shutil.copy(args.speech, folder / "会议.yaml")
        running = start_editor(folder, "会议.yaml")
        try:
            chars = len(running.json("POST", "/api/update", {})["html"])
            browser = browser_latency(running, args.n)
            server = server_latency(running, args.n)
        finally:
            running.stop()
    print(f"speech: {args.speech.name} (preview page {chars} characters of HTML)")
    rows = []
    for name, xs in (("browser: keystroke → page", browser), ("server: POST /api/update", server)):
        rows.append(
            [
                name,
                len(xs),
                f"{common.median(xs):.0f}",
                f"{common.p95(xs):.0f}",
                f"{max(xs):.0f}",
                f"< {TARGET_MS:.0f}",
                common.verdict(max(xs) < TARGET_MS),
            ]
        )
    common.print_table(["measure", "n", "median ms", "p95 ms", "max ms", "target", ""], rows)


if __name__ == "__main__":
    main()
