"""``speechgen edit`` over HTTP: the token, the folder, uploads, saving and downloads."""

from __future__ import annotations

import base64
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from editor_support import copy_sample, start_editor

from speechgen.editor import forms
from speechgen.editor.yamledit import Patch, apply_patches
from speechgen.inputs import known_keys, load_job


@pytest.fixture()
def speech(tmp_path: Path):
    copy_sample(tmp_path, "01-县-季度-讲话稿.yaml", "会议.yaml")
    running = start_editor(tmp_path, "会议.yaml")
    yield running
    running.stop()


# ------------------------------------------------------------------ the token and the password


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/", None),
        ("GET", "/static/editor.js", None),
        ("GET", "/api/state", None),
        ("POST", "/api/update", {"patches": [{"path": ["title"], "value": "x"}]}),
        ("POST", "/api/save", {}),
        ("GET", "/api/download/docx", None),
    ],
)
def test_requests_without_the_token_are_refused(speech, method, path, body):
    for token in ("", "wrong-token"):
        status, data = speech.call(method, path, body, token=token)
        assert status == 403
        assert "令牌" in data.decode("utf-8")
    # nothing was changed by the refused post
    assert "title:" not in (speech.folder / "会议.yaml").read_text(encoding="utf-8")
    assert not (speech.folder / ".会议.yaml.draft").exists()


def test_the_token_in_the_query_opens_the_page(speech):
    status, data = speech.call("GET", f"/?token={speech.token}", token="")
    assert status == 200 and "speechgen 编辑器" in data.decode("utf-8")


def test_another_host_name_is_refused_on_loopback(speech):
    status, _ = speech.call("GET", "/api/state", headers={"Host": "evil.example:80"})
    assert status == 403


def test_host_without_password_is_a_usage_error(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, "-m", "speechgen", "edit", "--host", "0.0.0.0", "--no-browser"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "--password" in result.stderr and "Traceback" not in result.stderr


def test_host_with_password_needs_it_on_every_request(tmp_path: Path):
    copy_sample(tmp_path, "01-县-季度-讲话稿.yaml", "会议.yaml")
    running = start_editor(tmp_path, "会议.yaml", "--host", "127.0.0.1", "--password", "秘密123")
    try:
        status, _ = running.call("GET", "/api/state")
        assert status == 401
        wrong = base64.b64encode(b"u:nope").decode()
        status, _ = running.call("GET", "/api/state", headers={"Authorization": f"Basic {wrong}"})
        assert status == 401
        right = base64.b64encode("u:秘密123".encode()).decode()
        status, data = running.call(
            "GET", "/api/state", headers={"Authorization": f"Basic {right}"}
        )
        assert status == 200 and json.loads(data)["file"] == "会议.yaml"
        status, _ = running.call(
            "GET", "/api/state", token="", headers={"Authorization": f"Basic {right}"}
        )
        assert status == 403  # the password does not replace the token
    finally:
        running.stop()


# ------------------------------------------------------------------ the folder


def test_files_outside_the_folder_are_refused(speech, tmp_path: Path):
    outside = tmp_path.parent / f"{tmp_path.name}-outside.yaml"
    outside.write_text("type: speech\n", encoding="utf-8")
    (speech.folder / "link.yaml").symlink_to(outside)
    for name in ("../" + outside.name, str(outside), "link.yaml"):
        status, data = speech.call("POST", "/api/open", {"name": name})
        assert status == 403, name
        assert "编辑器不读写" in json.loads(data)["error"]
    status, _ = speech.call("POST", "/api/new", {"kind": "speech", "name": "../escape.yaml"})
    assert status == 403
    assert not (tmp_path.parent / "escape.yaml").exists()


def test_a_recipients_file_outside_the_folder_is_not_read(tmp_path: Path):
    copy_sample(tmp_path, "10-县-目标责任书-批量.yaml", "责任书.yaml")
    running = start_editor(tmp_path, "责任书.yaml")
    try:
        result = running.json(
            "POST",
            "/api/update",
            {"patches": [{"path": ["recipients_file"], "value": "/etc/passwd"}]},
        )
        finding = next(f for f in result["findings"] if f["key"] == "recipients_file")
        assert finding["code"] == "E111" and "不在编辑器的文件夹" in finding["message"]
        assert "html" not in result
    finally:
        running.stop()


# ------------------------------------------------------------------ uploads


def _upload(running, name: str, data: bytes) -> tuple[int, dict]:
    import urllib.error
    import urllib.request

    boundary = "----speechgen"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(running.base + "/api/upload", data=body, method="POST")
    request.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
    request.add_header("X-Token", running.token)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_uploads_have_the_clis_format_and_size_limits(tmp_path: Path):
    copy_sample(tmp_path, "10-县-目标责任书-批量.yaml", "责任书.yaml")
    running = start_editor(tmp_path, "责任书.yaml", env={"SPEECHGEN_MAX_TABLE_BYTES": "2000"})
    try:
        status, answer = _upload(running, "名单.exe", b"MZ")
        assert status == 400 and "不支持的名单文件类型" in answer["error"]
        status, answer = _upload(running, "名单.csv", b"name,type\n" + b"x" * 5000)
        assert status == 413
        status, answer = _upload(running, "../../名单.csv", "name,type\n城关镇,乡镇\n".encode())
        assert status == 200 and answer["name"] == "名单.csv"
        assert (tmp_path / "名单.csv").is_file()
        status, answer = _upload(running, "名单.csv", "name,type\n东湖镇,乡镇\n".encode())
        assert answer["name"] == "名单（2）.csv"  # an existing sheet is never overwritten
        result = running.json(
            "POST",
            "/api/update",
            {
                "patches": [
                    {"path": ["recipients"], "delete": True},
                    {"path": ["recipients_file"], "value": "名单（2）.csv"},
                ]
            },
        )
        assert any("东湖镇" in label for label in result["docs"]), result["findings"]
    finally:
        running.stop()


# ------------------------------------------------------------------ editing, saving, downloads


def test_form_edits_keep_comments_and_render_like_the_cli(speech):
    path = speech.folder / "会议.yaml"
    result = speech.json(
        "POST",
        "/api/update",
        {"patches": [{"path": ["stats", "current", "deaths"], "value": 5, "kind": "int"}]},
    )
    assert "死亡5人" in result["html"]
    speech.json("POST", "/api/save", {})
    saved = path.read_text(encoding="utf-8")
    assert saved.splitlines()[0] == "# 青山县2024年第二季度安全生产工作会议 县长讲话（讲话稿示例）"
    assert "deaths: 5" in saved
    job = load_job(path)
    assert job.data["stats"]["current"]["deaths"] == 5


def test_user_text_is_escaped_in_the_preview(speech):
    result = speech.json(
        "POST",
        "/api/update",
        {"patches": [{"path": ["title"], "value": "<script>alert(1)</script>的讲话"}]},
    )
    assert "<script>alert(1)" not in result["html"]
    assert "&lt;script&gt;" in result["html"]


def test_findings_carry_the_clis_words_and_key_paths(speech):
    result = speech.json(
        "POST",
        "/api/update",
        {"patches": [{"path": ["accidents", 1, "deaths"], "value": "十三", "kind": "int"}]},
    )
    (finding,) = [f for f in result["findings"] if f["severity"] == "错误"]
    assert finding["key"] == "accidents[2].deaths"
    assert finding["text"].startswith("会议.yaml:")
    assert finding["text"].endswith("错误 E101 accidents[2].deaths 应为整数，实际为 “十三”")


def test_letters_download_as_one_zip_with_the_manifest(tmp_path: Path):
    copy_sample(tmp_path, "10-县-目标责任书-批量.yaml", "责任书.yaml")
    shutil_copy = __import__("shutil").copy
    shutil_copy(
        Path(__file__).resolve().parent.parent / "speechgen" / "samples" / "责任单位.xlsx",
        tmp_path / "责任单位.xlsx",
    )
    running = start_editor(tmp_path, "责任书.yaml")
    try:
        state = running.json("POST", "/api/open", {"name": "责任书.yaml"})
        status, data = running.call("GET", "/api/download/zip")
        assert status == 200, data[:300]
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        docx = [n for n in names if n.endswith(".docx")]
        assert len(docx) == len(state["docs"]) > 1
        assert "manifest.csv" in names
    finally:
        running.stop()


# ------------------------------------------------------------------ the form and the YAML edits


def _form_keys(field: dict, path: str, out: set[str]) -> None:
    if path:
        out.add(path)
    if field["type"] == "map":
        for sub in field["fields"]:
            _form_keys(sub, f"{path}.{sub['key']}" if path else sub["key"], out)
    elif field["type"] == "list":
        _form_keys(field["item"], path + "[]", out)
    elif field["type"] == "auto":
        _form_keys(field["inner"], path, out)


@pytest.mark.parametrize("kind", forms.KINDS)
def test_the_form_has_every_key_of_the_schema_with_a_chinese_label(kind):
    keys: set[str] = set()
    _form_keys(forms.form_for(kind), "", keys)
    expected = {k for k in known_keys(kind) if k != "type" and not k.startswith("batch[].")}
    expected = {k for k in expected if not k.startswith("batch[]")}
    assert expected <= keys
    for key in expected:
        label, _ = forms.label_of(key)
        assert label and not label.isascii(), key


def test_enum_fields_offer_the_schema_choices():
    form = forms.form_for("speech")
    meeting = next(f for f in form["fields"] if f["key"] == "meeting")
    kind = next(f for f in meeting["fields"] if f["key"] == "kind")
    assert kind["type"] == "enum" and ["quarterly", "季度例会"] in kind["choices"]
    date = next(f for f in meeting["fields"] if f["key"] == "date")
    assert date["type"] == "date" and date["required"]


def test_yaml_edits_keep_comments_quote_text_and_drop_emptied_blocks():
    text = "# 注释\ntype: speech  # 文种\nclosing:\n  vision: 愿景\nmeeting:\n  date: 2024-04-10\n"
    out = apply_patches(
        text,
        [
            Patch(("title",), "13"),
            Patch(("meeting", "date"), "2024-05-01", kind="date"),
            Patch(("closing", "vision"), delete=True),
        ],
    )
    assert out.startswith("# 注释\ntype: speech  # 文种\n")
    assert "date: 2024-05-01\n" in out  # a date, unquoted
    assert "title: '13'" in out  # text typed in a text field stays text
    assert "closing" not in out


def test_pdf_download_through_libreoffice(speech):
    from pdftools import require_tools

    require_tools()
    status, data = speech.call("GET", "/api/download/pdf")
    assert status == 200, data[:300]
    assert data.startswith(b"%PDF")


def test_a_new_file_named_on_the_command_line_is_made_from_the_starter(tmp_path: Path):
    running = start_editor(tmp_path, "新会议.yaml")
    try:
        state = running.json("GET", "/api/state")
        assert state["file"] == "新会议.yaml" and not state["exists"]
        result = running.json("POST", "/api/new", {"kind": "notice", "name": "新会议.yaml"})
        assert result["type"] == "notice" and "html" in result
        assert (tmp_path / "新会议.yaml").read_bytes() == (
            Path(__file__).resolve().parent.parent
            / "speechgen"
            / "doctypes"
            / "notice"
            / "starter.yaml"
        ).read_bytes()
        status, _ = running.call("POST", "/api/new", {"kind": "notice", "name": "新会议.yaml"})
        assert status == 409  # never over an existing file
    finally:
        running.stop()


def test_a_gbk_file_is_read_like_the_cli_reads_it_and_saved_as_utf8(tmp_path: Path):
    sample = Path(__file__).resolve().parent.parent / "speechgen" / "samples"
    text = (sample / "01-县-季度-讲话稿.yaml").read_text(encoding="utf-8")
    (tmp_path / "会议.yaml").write_bytes(text.encode("gbk"))
    running = start_editor(tmp_path, "会议.yaml")
    try:
        result = running.json("POST", "/api/open", {"name": "会议.yaml"})
        assert result["data"]["speaker"]["name"] == "李明"
        assert any(f["code"] == "W100" for f in result["findings"])
        running.json("POST", "/api/save", {})
        assert (tmp_path / "会议.yaml").read_text(encoding="utf-8") == text
    finally:
        running.stop()


def test_a_port_in_use_is_told_in_chinese(speech, tmp_path: Path):
    port = speech.base.rsplit(":", 1)[1]
    result = subprocess.run(
        [sys.executable, "-m", "speechgen", "edit", "--port", port, "--no-browser"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "端口已被占用" in result.stderr and "Traceback" not in result.stderr


def test_a_letters_job_of_one_recipient_still_zips_with_a_manifest(tmp_path: Path):
    starter = (
        Path(__file__).resolve().parent.parent
        / "speechgen"
        / "doctypes"
        / "letter"
        / "starter.yaml"
    )
    text = starter.read_text(encoding="utf-8")
    lines = [
        line
        for line in text.splitlines()
        if "name: 县住建局" not in line and "name: 青山化工" not in line
    ]
    (tmp_path / "责任书.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    running = start_editor(tmp_path, "责任书.yaml")
    try:
        state = running.json("POST", "/api/open", {"name": "责任书.yaml"})
        assert len(state["docs"]) == 1, state["findings"]
        status, data = running.call("GET", "/api/download/zip")
        assert status == 200, data[:300]
        archive = zipfile.ZipFile(io.BytesIO(data))
        docx = [n for n in archive.namelist() if n.endswith(".docx")]
        assert len(docx) == 1
        rows = archive.read("manifest.csv").decode("utf-8-sig").splitlines()
        assert rows[0] == "文件,单位或批次,状态,说明"
        assert rows[1].startswith(docx[0] + ",城关镇人民政府,成功")
    finally:
        running.stop()
