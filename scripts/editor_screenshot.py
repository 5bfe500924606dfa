"""Take docs/images/editor.png: `speechgen edit` on sample 01 in headless Chromium.

Types 死亡人数 2 (the preview follows) and 已整改 7000 (more than found: the error
shows at its field, the last good page stays), then photographs the window.

    python scripts/editor_screenshot.py [docs/images/editor.png]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from editor_support import chromium_driver, start_editor  # noqa: E402


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs" / "images" / "editor.png"
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shutil.copy(REPO / "speechgen" / "samples" / "01-县-季度-讲话稿.yaml", folder / "会议.yaml")
        running = start_editor(folder, "会议.yaml")
        driver = chromium_driver(folder)
        try:
            driver.set_window_size(1600, 1000)
            driver.get(running.url)
            WebDriverWait(driver, 30).until(
                lambda d: d.find_elements(
                    By.CSS_SELECTOR, '[data-key="stats.current.deaths"] input'
                )
            )
            deaths = driver.find_element(
                By.CSS_SELECTOR, '#form [data-key="stats.current.deaths"] input'
            )
            deaths.clear()
            deaths.send_keys("2")
            fixed = driver.find_element(
                By.CSS_SELECTOR, '#form [data-key="stats.hazards.fixed"] input'
            )
            fixed.clear()
            fixed.send_keys("7000")
            time.sleep(1.5)
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", fixed)
            driver.execute_script(
                "document.getElementById('preview').contentDocument.scrollingElement.scrollTop = 520;"
            )
            time.sleep(0.5)
            driver.save_screenshot(str(target))
        finally:
            driver.quit()
            running.stop()
    print(target)


if __name__ == "__main__":
    main()
