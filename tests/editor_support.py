"""Start ``speechgen edit`` as a subprocess and talk to it (shared by the editor tests)."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "speechgen" / "samples"
URL_LINE = re.compile(r"编辑器已启动：(http://\S+/\?token=(\S+))")


@dataclass
class Running:
    process: subprocess.Popen
    url: str
    token: str
    folder: Path

    @property
    def base(self) -> str:
        return self.url.split("/?", 1)[0]

    def call(
        self,
        method: str,
        path: str,
        body: dict | None = None,
        token: str | None = None,
        headers: dict | None = None,
    ) -> tuple[int, bytes]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        if body is not None:
            request.add_header("Content-Type", "application/json")
        if token is None:
            token = self.token
        if token:
            request.add_header("X-Token", token)
        for k, v in (headers or {}).items():
            request.add_header(k, v)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def json(self, method: str, path: str, body: dict | None = None) -> dict:
        status, data = self.call(method, path, body)
        assert status == 200, (status, data.decode("utf-8", "replace"))
        return json.loads(data)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_editor(folder: Path, *args: str, env: dict | None = None) -> Running:
    """``speechgen edit ARGS --no-browser`` in ``folder``; waits for its address line."""
    process = subprocess.Popen(
        [sys.executable, "-m", "speechgen", "edit", *args, "--no-browser"],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {})},
    )
    deadline = time.monotonic() + 30
    seen = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        seen.append(line)
        match = URL_LINE.search(line)
        if match:
            return Running(process, match.group(1), match.group(2), folder)
    process.kill()
    raise AssertionError("editor did not start:\n" + "".join(seen))


def copy_sample(folder: Path, sample: str, name: str) -> Path:
    target = folder / name
    shutil.copy(SAMPLES / sample, target)
    return target


def chromium_driver(download_dir: Path):
    """Headless Debian Chromium through chromedriver, downloads into ``download_dir``."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary:
        options.binary_location = binary
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1500,950",
        "--lang=zh-CN",
    ):
        options.add_argument(arg)
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(download_dir),
            "download.prompt_for_download": False,
        },
    )
    driver_path = shutil.which("chromedriver")
    service = Service(driver_path) if driver_path else Service()
    return webdriver.Chrome(service=service, options=options)


@dataclass
class InProcess(Running):
    """An editor served from a thread of the test process (so tests can patch the pipeline)."""

    server: object = None

    def stop(self) -> None:
        self.server.close()


def serve_in_thread(folder: Path, name: str) -> InProcess:
    import threading

    from waitress import create_server

    from speechgen.editor.server import Editor, create_app

    editor = Editor(folder.resolve())
    editor.open(folder.resolve() / name)
    server = create_server(create_app(editor), host="127.0.0.1", port=0, threads=2)
    port = server.effective_port
    editor.allowed_hosts = (f"127.0.0.1:{port}",)
    threading.Thread(target=server.run, daemon=True).start()
    url = f"http://127.0.0.1:{port}/?token={editor.token}"
    return InProcess(None, url, editor.token, folder, server)
