"""``speechgen edit`` driven in Debian's headless Chromium (selenium + chromium-driver).

CI installs chromium and chromium-driver (.ci/run); on a machine without them
these tests fail with the command to install them, unless
SPEECHGEN_ALLOW_NO_CHROMIUM=1 (then they skip).
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest
from editor_support import chromium_driver, copy_sample, start_editor

if not (shutil.which("chromium") or shutil.which("chromium-browser")) or not shutil.which(
    "chromedriver"
):
    if os.environ.get("SPEECHGEN_ALLOW_NO_CHROMIUM") == "1":
        pytest.skip("Chromium is not installed", allow_module_level=True)
    raise RuntimeError("浏览器测试需要 Chromium：apt-get install chromium chromium-driver")

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture()
def speech(tmp_path: Path):
    copy_sample(tmp_path, "01-县-季度-讲话稿.yaml", "会议.yaml")
    running = start_editor(tmp_path, "会议.yaml")
    yield running
    running.stop()


@pytest.fixture()
def browser(tmp_path: Path):
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    driver = chromium_driver(downloads)
    driver.downloads = downloads
    yield driver
    driver.quit()


def preview_text(driver) -> str:
    """The preview's text without white space (a page may break a paragraph into lines)."""
    return driver.execute_script(
        "const d = document.getElementById('preview').contentDocument;"
        "return d && d.body ? d.body.textContent.replace(/\\s+/g, '') : '';"
    )


def wait_for(driver, predicate, timeout: float = 15):
    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(lambda d: predicate(d))


def field(driver, key: str):
    return driver.find_element(By.CSS_SELECTOR, f'#form [data-key="{key}"]')


def open_page(driver, running) -> None:
    driver.get(running.url)
    wait_for(driver, lambda d: "死亡3人" in preview_text(d))


def test_typing_a_number_in_the_form_changes_the_figure_in_the_preview(speech, browser):
    open_page(browser, speech)
    box = field(browser, "stats.current.deaths").find_element(By.TAG_NAME, "input")
    assert box.get_attribute("value") == "3"
    box.clear()
    box.send_keys("7")
    wait_for(browser, lambda d: "死亡7人" in preview_text(d))
    assert "死亡3人" not in preview_text(browser)
    # and the YAML text follows, comments kept
    browser.find_element(By.ID, "tab-yaml").click()
    text = browser.find_element(By.ID, "yaml").get_attribute("value")
    assert "deaths: 7" in text and text.startswith("# 青山县2024年第二季度")


def test_a_broken_value_in_the_yaml_shows_its_error_at_the_form_field(speech, browser):
    open_page(browser, speech)
    browser.find_element(By.ID, "tab-yaml").click()
    area = browser.find_element(By.ID, "yaml")
    text = area.get_attribute("value").replace(
        "current:  {accidents: 12, deaths: 3", "current:  {accidents: 12, deaths: 十三", 1
    )
    browser.execute_script(
        "const a = arguments[0]; a.value = arguments[1]; a.dispatchEvent(new Event('input'));",
        area,
        text,
    )
    wait_for(
        browser, lambda d: d.find_element(By.ID, "summary").get_attribute("data-errors") == "1"
    )
    summary = browser.find_element(By.ID, "summary").text
    assert "会议.yaml:17:29: 错误 E101 stats.current.deaths 应为整数，实际为 “十三”" in summary
    browser.find_element(By.ID, "tab-form").click()
    note = field(browser, "stats.current.deaths").find_element(By.CSS_SELECTOR, ".finding")
    assert note.text == "错误 E101 应为整数，实际为 “十三”"
    assert browser.find_element(By.ID, "stale").is_displayed()  # the last good page stays


def test_a_yaml_syntax_error_is_told_in_chinese_with_line_and_column(speech, browser):
    open_page(browser, speech)
    browser.find_element(By.ID, "tab-yaml").click()
    area = browser.find_element(By.ID, "yaml")
    text = area.get_attribute("value").replace("kind: quarterly", "kind: [quarterly", 1)
    browser.execute_script(
        "const a = arguments[0]; a.value = arguments[1]; a.dispatchEvent(new Event('input'));",
        area,
        text,
    )
    wait_for(browser, lambda d: "E106" in d.find_element(By.ID, "summary").text)
    summary = browser.find_element(By.ID, "summary").text
    assert "YAML 语法错误：" in summary and "行第" in summary
    assert "expected" not in summary and "while" not in summary
    line = re.search(r"会议\.yaml:(\d+):\d+: 错误 E106", summary).group(1)
    marked = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#yaml-gutter .bad")]
    assert marked == [line]


def test_download_docx_opens_with_python_docx(speech, browser):
    import docx

    open_page(browser, speech)
    browser.find_element(By.ID, "btn-docx").click()
    deadline = time.monotonic() + 20
    files: list[Path] = []
    while time.monotonic() < deadline:
        files = [p for p in browser.downloads.iterdir() if p.suffix == ".docx"]
        if files:
            break
        time.sleep(0.1)
    assert files, "no .docx downloaded"
    document = docx.Document(str(files[0]))
    assert len(document.paragraphs) > 20
    # numbers with their units are written unbreakable (a ruby without annotation,
    # FORMAT.md v2), which python-docx's Paragraph.text does not read: read the XML's text
    text = "\n".join("".join(p._p.itertext()) for p in document.paragraphs)
    assert "在2024年第二季度全县安全生产工作会议上的讲话" in text.replace("\n", "")
    assert "死亡3人" in text


def test_save_writes_the_yaml_with_comments_and_the_draft_survives_a_restart(
    tmp_path: Path, browser
):
    path = copy_sample(tmp_path, "01-县-季度-讲话稿.yaml", "会议.yaml")
    running = start_editor(tmp_path, "会议.yaml")
    try:
        open_page(browser, running)
        box = field(browser, "speaker.name").find_element(By.TAG_NAME, "input")
        box.clear()
        box.send_keys("王五")
        wait_for(browser, lambda d: "王五" in preview_text(d))
    finally:
        running.stop()
    draft = tmp_path / ".会议.yaml.draft"
    assert draft.is_file() and "王五" in draft.read_text(encoding="utf-8")
    assert "王五" not in path.read_text(encoding="utf-8")

    running = start_editor(tmp_path, "会议.yaml")
    try:
        browser.get(running.url)
        wait_for(browser, lambda d: d.find_element(By.ID, "draft-banner").is_displayed())
        browser.find_element(By.ID, "btn-restore").click()
        wait_for(browser, lambda d: "王五" in preview_text(d))
        browser.find_element(By.ID, "btn-save").click()
        wait_for(browser, lambda d: d.find_element(By.ID, "status").text == "已保存")
    finally:
        running.stop()
    saved = path.read_text(encoding="utf-8")
    assert "speaker: {role: 县长, name: 王五}" in saved
    assert saved.startswith("# 青山县2024年第二季度安全生产工作会议 县长讲话（讲话稿示例）\n")
    assert not draft.exists()


def test_a_new_letter_job_from_the_start_page_lists_and_previews_each_recipient(
    tmp_path: Path, browser
):
    running = start_editor(tmp_path)
    try:
        browser.get(running.url)
        wait_for(browser, lambda d: d.find_element(By.ID, "start").is_displayed())
        browser.find_element(By.CSS_SELECTOR, '#new-kind option[value="letter"]').click()
        name = browser.find_element(By.ID, "new-name")
        name.clear()
        name.send_keys("责任书.yaml")
        browser.find_element(By.ID, "btn-new").click()
        wait_for(
            browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#doc-select option")) >= 2
        )
        options = browser.find_elements(By.CSS_SELECTOR, "#doc-select option")
        labels = [o.text for o in options]
        assert any("城关镇人民政府" in label for label in labels)
        second = next(o for o in options if "县住建局" in o.text)
        second.click()
        wait_for(browser, lambda d: "县住建局" in preview_text(d))
        assert (tmp_path / "责任书.yaml").is_file()
    finally:
        running.stop()


def _hover(driver, text: str) -> str:
    """Hover the preview paragraph that starts with ``text``; the tooltip's text ("" if none)."""
    from selenium.webdriver.common.action_chains import ActionChains

    driver.switch_to.frame(driver.find_element(By.ID, "preview"))
    target = next(p for p in driver.find_elements(By.TAG_NAME, "p") if p.text.startswith(text))
    ActionChains(driver).move_to_element(target).perform()
    driver.switch_to.default_content()
    time.sleep(0.2)
    tip = driver.find_element(By.ID, "trace-tip")
    return tip.text if tip.is_displayed() else ""


def test_hovering_a_paragraph_shows_its_trace(tmp_path: Path, browser, monkeypatch):
    from editor_support import serve_in_thread

    import speechgen.compose as compose
    from speechgen.model import Paragraph

    real = compose.plan_job

    def plan_with_trace(*args, **kwargs):
        docs = real(*args, **kwargs)
        compose_one = docs.compose

        def traced(i):
            document = compose_one(i)
            index = next(
                n
                for n, b in enumerate(document.blocks)
                if isinstance(b, Paragraph) and b.text.startswith("一季度，全县")
            )
            document.meta["trace"] = [
                {
                    "block": index,
                    "snippets": ["xingshi.tongbi"],
                    "sources": ["seed-03"],
                    "keys": ["stats.current.deaths", "stats.period"],
                    "values": [
                        {"key": "stats.current.deaths", "value": "3", "at": "17:28"},
                        {"key": "stats.period", "value": "一季度", "at": "16:11"},
                    ],
                }
            ]
            return document

        docs.compose = traced
        return docs

    monkeypatch.setattr(compose, "plan_job", plan_with_trace)
    copy_sample(tmp_path, "01-县-季度-讲话稿.yaml", "会议.yaml")
    running = serve_in_thread(tmp_path, "会议.yaml")
    try:
        open_page(browser, running)
        tip = _hover(browser, "一季度，全县")
        assert "输入：stats.current.deaths = 3（17:28）" in tip
        assert "输入：stats.period = 一季度（16:11）" in tip
        assert "短语：xingshi.tongbi" in tip and "出处：seed-03" in tip
        assert "traced" in field(browser, "stats.current.deaths").get_attribute("class")
        assert _hover(browser, "同志们") == ""  # a paragraph without a trace entry
    finally:
        running.stop()


def test_without_a_trace_hovering_shows_nothing(tmp_path: Path, browser, monkeypatch):
    from editor_support import serve_in_thread

    import speechgen.compose as compose

    real = compose.plan_job

    def plan_without_trace(*args, **kwargs):
        docs = real(*args, **kwargs)
        compose_one = docs.compose

        def untraced(i):
            document = compose_one(i)
            document.meta.pop("trace", None)
            return document

        docs.compose = untraced
        return docs

    monkeypatch.setattr(compose, "plan_job", plan_without_trace)
    copy_sample(tmp_path, "01-县-季度-讲话稿.yaml", "会议.yaml")
    running = serve_in_thread(tmp_path, "会议.yaml")
    try:
        open_page(browser, running)
        assert _hover(browser, "一季度，全县") == ""
        assert not [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    finally:
        running.stop()


def test_a_notice_made_in_the_browser_gets_a_new_task_row(tmp_path: Path, browser):
    running = start_editor(tmp_path)
    try:
        browser.get(running.url)
        wait_for(browser, lambda d: d.find_element(By.ID, "start").is_displayed())
        browser.find_element(By.CSS_SELECTOR, '#new-kind option[value="notice"]').click()
        name = browser.find_element(By.ID, "new-name")
        name.clear()
        name.send_keys("通知.yaml")
        browser.find_element(By.ID, "btn-new").click()
        wait_for(browser, lambda d: "燃气安全专项整治" in preview_text(d))
        browser.find_element(By.CSS_SELECTOR, '#form [data-key="tasks"] > button.add').click()
        row = wait_for(
            browser, lambda d: d.find_elements(By.CSS_SELECTOR, '[data-key="tasks[3].task"]')
        )
        # a new row without its required task is an error at that field
        wait_for(
            browser,
            lambda d: d.find_elements(By.CSS_SELECTOR, '[data-key="tasks[3].task"] .finding'),
        )
        row = browser.find_element(
            By.CSS_SELECTOR, '[data-key="tasks[3].task"] textarea, [data-key="tasks[3].task"] input'
        )
        row.send_keys("冬季取暖燃气安全检查")
        wait_for(browser, lambda d: "冬季取暖燃气安全检查" in preview_text(d))
        browser.find_element(By.ID, "btn-save").click()
        wait_for(browser, lambda d: d.find_element(By.ID, "status").text == "已保存")
        saved = (tmp_path / "通知.yaml").read_text(encoding="utf-8")
        assert "冬季取暖燃气安全检查" in saved
        assert saved.startswith("# 通知输入文件（speechgen new notice 生成）")
        from speechgen.inputs import load_job

        assert load_job(tmp_path / "通知.yaml").data["tasks"][2]["task"] == "冬季取暖燃气安全检查"
    finally:
        running.stop()


def test_a_check_finding_is_listed_and_marked_on_its_paragraph(speech, browser):
    open_page(browser, speech)
    box = field(browser, "closing.vision").find_element(By.CSS_SELECTOR, "input, textarea")
    box.clear()
    box.send_keys("为XX发展提供坚强安全保障")
    wait_for(browser, lambda d: "E210" in d.find_element(By.ID, "summary").text)
    summary = browser.find_element(By.ID, "summary").text
    assert "错误 E210 占位符“XX”未替换" in summary
    outlined = browser.execute_script(
        "const d = document.getElementById('preview').contentDocument;"
        "return [...d.querySelectorAll('p')].filter(p => p.style.outline)"
        "  .map(p => p.textContent.replace(/\\s+/g, ''));"
    )
    assert len(outlined) == 1 and "为XX发展" in outlined[0]


def test_an_item_typed_as_one_text_keeps_it_when_another_field_is_filled(tmp_path: Path, browser):
    path = copy_sample(tmp_path, "06-新区-专题会议-讲话提纲.yaml", "提纲.yaml")
    text = path.read_text(encoding="utf-8")
    short = "      - 今年以来，新区重大事故隐患专项排查整治工作取得阶段性成效"
    text = re.sub(
        r"      - text: 今年以来，新区重大事故隐患专项排查整治工作取得阶段性成效[^\n]*", short, text
    )
    assert short + "\n" in text
    path.write_text(text, encoding="utf-8")
    running = start_editor(tmp_path, "提纲.yaml")
    try:
        browser.get(running.url)
        wait_for(browser, lambda d: "取得阶段性成效" in preview_text(d))
        shown = field(browser, "points[1].items[2].text").find_element(
            By.CSS_SELECTOR, "input, textarea"
        )
        assert shown.get_attribute("value").startswith("今年以来，新区")
        title = field(browser, "points[1].items[2].title").find_element(
            By.CSS_SELECTOR, "input, textarea"
        )
        title.send_keys("成效初显")
        wait_for(browser, lambda d: "成效初显" in preview_text(d))
        browser.find_element(By.ID, "btn-save").click()
        wait_for(browser, lambda d: d.find_element(By.ID, "status").text == "已保存")
    finally:
        running.stop()
    from speechgen.inputs import load_job

    item = load_job(path).data["points"][0]["items"][1]
    assert item["title"] == "成效初显"
    assert item["text"].startswith("今年以来，新区重大事故隐患专项排查整治工作取得阶段性成效")


def test_text_typed_just_before_a_refresh_is_offered_again(speech, browser):
    open_page(browser, speech)
    box = field(browser, "speaker.name").find_element(By.TAG_NAME, "input")
    box.clear()
    box.send_keys("赵六")
    browser.refresh()  # at once: the edit may still be waiting for its debounce
    wait_for(browser, lambda d: d.find_element(By.ID, "draft-banner").is_displayed())
    browser.find_element(By.ID, "btn-restore").click()
    wait_for(browser, lambda d: "赵六" in preview_text(d))


def test_a_post_from_the_browser_without_the_token_is_refused(speech, browser):
    open_page(browser, speech)
    status = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch('api/update', {method: 'POST', headers: {'Content-Type': 'application/json'},"
        " body: JSON.stringify({patches: [{path: ['title'], value: '篡改'}]})})"
        ".then(r => done(r.status));"
    )
    assert status == 403
    assert "篡改" not in (speech.folder / "会议.yaml").read_text(encoding="utf-8")
    assert not (speech.folder / ".会议.yaml.draft").exists()
