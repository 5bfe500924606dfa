"""``speechgen edit``: a local web server with the form, the YAML text and the preview.

One job file at a time, inside one folder (the folder it was started for).
Every request carries the per-start token (header ``X-Token`` or ``?token=``);
with ``--host`` it also needs the password (HTTP Basic). The job is loaded,
composed and checked by the same functions as ``speechgen render``:
:func:`speechgen.inputs.load_job_text`, :func:`speechgen.compose.plan_job`,
:func:`speechgen.check.check_document`, :func:`speechgen.render.encode`.

Typed text is never lost: every change is written to a draft beside the file
(``.会议.yaml.draft``) until it is saved, and offered again on reopening.
"""

from __future__ import annotations

import base64
import hmac
import io
import re
import secrets
import tempfile
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, Response, jsonify, request, send_from_directory
from werkzeug.exceptions import HTTPException

from ..errors import ERROR, Finding, SpeechgenError
from ..inputs import Limits, load_job_text
from ..inputs.tables import CSV_SUFFIXES, XLSX_SUFFIXES
from ..output import OutputExists, safe_name, write_atomic
from . import forms
from .yamledit import EditFailed, RoundTrip, parse, patch_from_json, plain

STATIC = Path(__file__).resolve().parent / "static"
YAML_SUFFIXES = (".yaml", ".yml")
TABLE_SUFFIXES = CSV_SUFFIXES | XLSX_SUFFIXES


class Refused(Exception):
    """A request the editor will not serve (outside the folder, bad upload …)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def inside(root: Path, name: str) -> Path:
    """``root/name`` when it stays inside ``root`` with no symlink on the way; else :class:`Refused`."""
    if not name or "\x00" in name:
        raise Refused("文件名不能为空")
    candidate = Path(name)
    if not candidate.is_absolute():
        candidate = root / candidate
    try:
        candidate.resolve().relative_to(root.resolve())
        candidate.absolute().relative_to(root.absolute())
    except ValueError:
        raise Refused(f"“{name}” 不在编辑器的文件夹 {root} 内，编辑器不读写它", 403) from None
    probe = candidate.absolute()
    top = root.absolute()
    while probe != top and probe.parent != probe:
        if probe.is_symlink():
            raise Refused(f"“{name}” 是符号链接，编辑器不读写链接", 403)
        probe = probe.parent
    return candidate


def draft_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.draft")


@dataclass
class Editor:
    """What the server holds: the folder, the open file and its current text."""

    root: Path
    path: Path | None = None
    text: str = ""
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    password: str | None = None
    allowed_hosts: tuple[str, ...] = ()
    lock: threading.Lock = field(default_factory=threading.Lock)
    roundtrip: RoundTrip = field(default_factory=RoundTrip)
    read_warnings: list[Finding] = field(default_factory=list)  # W100 until saved as UTF-8
    limits: Limits = field(default_factory=Limits.from_env)
    _library: Any = None

    # ---------------------------------------------------------------- files

    def open(self, path: Path) -> None:
        path = inside(self.root, str(path))
        if path.suffix.lower() not in YAML_SUFFIXES:
            raise Refused("只能打开 .yaml 文件")
        data = path.read_bytes() if path.is_file() else b""
        if len(data) > self.limits.max_input_bytes:
            raise Refused(f"文件过大：超过上限 {self.limits.max_input_bytes} 字节")
        warnings: list[Finding] = []
        self.text = self._decode(data, path, warnings)
        self.path = path
        self.read_warnings = warnings

    @staticmethod
    def _decode(data: bytes, path: Path, warnings: list[Finding] | None = None) -> str:
        """The loader's decoding (UTF-8/16/32 with BOM, else GBK); saved back as UTF-8."""
        from ..errors import UserError
        from ..inputs.yamlread import decode

        try:
            text, found = decode(data, str(path))
        except UserError as exc:
            raise Refused("；".join(f.message for f in exc.findings) or "无法读取文件") from None
        if warnings is not None:
            warnings.extend(found)
        return text.replace("\r\n", "\n")

    def saved_text(self) -> str:
        if self.path is None or not self.path.is_file():
            return ""
        try:
            return self._decode(self.path.read_bytes(), self.path)
        except Refused:
            return ""

    def draft(self) -> str | None:
        """The draft's text when it differs from the file (typed but not saved)."""
        if self.path is None:
            return None
        draft = draft_path(self.path)
        if not draft.is_file() or draft.is_symlink():
            return None
        text = draft.read_bytes().decode("utf-8", "replace")
        return None if text == self.saved_text() else text

    def keep_draft(self) -> None:
        if self.path is None:
            return
        draft = draft_path(self.path)
        if self.text == self.saved_text():
            if draft.is_file() and not draft.is_symlink():
                draft.unlink()
            return
        write_atomic(draft, self.text.encode("utf-8"), force=True)

    def save(self) -> None:
        if self.path is None:
            raise Refused("还没有打开文件")
        write_atomic(self.path, self.text.encode("utf-8"), force=True)
        self.read_warnings = []
        self.keep_draft()

    # ---------------------------------------------------------------- the pipeline

    def library(self) -> Any:
        if self._library is None:
            from ..compose.library import load_library

            self._library = load_library([])
        return self._library

    def job(self, data: Any = None) -> Any:
        """The loaded job (UserError with findings when it does not load)."""
        assert self.path is not None
        if data is None:
            try:
                data = parse(self.text)
            except EditFailed:
                data = None
        self._check_table_path(data)
        return load_job_text(self.text, self.path, limits=self.limits)

    def _check_table_path(self, data: Any) -> None:
        """A recipients sheet outside the folder is not read (the loader would read any path)."""
        name = data.get("recipients_file") if isinstance(data, dict) else None
        if not isinstance(name, str) or not name.strip():
            return
        try:
            inside(self.root, str(self.path.parent / name.strip()))
        except Refused as exc:
            from ..errors import UserError

            match = re.search(r"^recipients_file\s*:", self.text, re.M)
            position = f"{self.text.count(chr(10), 0, match.start()) + 1}:1" if match else ""
            raise UserError(
                findings=[
                    Finding(str(self.path), position, ERROR, "E111", exc.message, "recipients_file")
                ]
            ) from None

    def analyse(self, index: int = 0) -> dict[str, Any]:
        """Everything the page shows for the current text: form data, findings, preview."""
        from ..check import check_document
        from ..check.origins import typed_origins
        from ..compose import plan_job
        from ..writers.html import render_html

        out: dict[str, Any] = {
            "text": self.text,
            "file": self.name(),
            "findings": [],
            "dirty": self.text != self.saved_text(),
        }
        try:
            tree = parse(self.text)
        except EditFailed:
            tree = None
        out["data"] = plain(tree) if isinstance(tree, dict) else None
        job_type = out["data"].get("type") if isinstance(out.get("data"), dict) else None
        kind = forms.kind_of(job_type)
        out["type"] = kind
        findings: list[Finding] = list(self.read_warnings)
        try:
            job = self.job(tree if tree is not None else {})
        except SpeechgenError as exc:
            out["findings"] = [finding_json(f, self.root) for f in findings + exc.findings]
            if exc.message:
                out["findings"].append(message_json(exc.message))
            out["docs"] = []
            return out
        findings.extend(job.warnings)
        docs = plan_job(job, self.library(), 0, None)
        n = len(docs)
        out["docs"] = [docs.label(i) or docs.stem(i) for i in range(n)]
        out["type"] = job.type
        if n == 0:
            out["findings"] = [finding_json(f, self.root) for f in findings]
            return out
        index = max(0, min(index, n - 1))
        out["index"] = index
        findings.extend(docs.problems(index))
        try:
            document = docs.compose(index)
        except SpeechgenError as exc:
            findings.extend(exc.findings)
            out["findings"] = [finding_json(f, self.root) for f in findings]
            if exc.message:
                out["findings"].append(message_json(exc.message))
            return out
        checked = check_document(document)
        findings.extend(checked)
        # the gate's faults in typed text, located at the field too (it is marked)
        findings.extend(typed_origins([f for f in checked if f.is_error], document, job))
        out["findings"] = [finding_json(f, self.root) for f in findings]
        out["html"] = render_html(document)
        out["trace"] = trace_json(document)
        return out

    def name(self) -> str:
        return self.path.name if self.path is not None else ""

    # ---------------------------------------------------------------- downloads

    def document_bytes(self, index: int, fmt: str) -> tuple[str, bytes]:
        """(file name, bytes) of document ``index`` as .docx or .pdf, checked like render."""
        from ..check import check_document
        from ..compose import plan_job
        from ..errors import UserError
        from ..render import encode

        job = self.job()
        docs = plan_job(job, self.library(), 0, None)
        if not 0 <= index < len(docs):
            raise Refused("没有这份文档")
        problems = docs.problems(index)
        if problems:
            raise UserError(findings=problems)
        document = docs.compose(index)
        errors = [f for f in check_document(document) if f.severity == ERROR]
        if errors:
            from ..check.origins import typed_origins

            errors += typed_origins(errors, document, job)
            raise UserError(f"《{document.name}》未通过检查，未生成", errors)
        stem = safe_name(docs.stem(index))
        data = encode(document, "docx")
        if fmt == "docx":
            return f"{stem}.docx", data
        from ..writers.pdf import convert_to_pdf

        with tempfile.TemporaryDirectory(prefix="speechgen-edit-") as tmp:
            source = Path(tmp) / f"{stem}.docx"
            source.write_bytes(data)
            (pdf,) = convert_to_pdf([source], Path(tmp) / "pdf", fonts=True)
            return f"{stem}.pdf", pdf.read_bytes()

    def zip_bytes(self, fmt: str) -> tuple[str, bytes]:
        """Every document of the job and the manifest, rendered by ``render`` itself."""
        from ..errors import UserError
        from ..render import RenderOptions, render_paths

        job = self.job()  # the job's own errors, located in the file being edited
        source = self.path if self.text == self.saved_text() else draft_path(self.path)
        if source != self.path:
            write_atomic(source, self.text.encode("utf-8"), force=True)
        with tempfile.TemporaryDirectory(prefix="speechgen-edit-") as tmp:
            outdir = Path(tmp) / "out"
            errors: list[str] = []
            options = RenderOptions(outdir=outdir, formats=(fmt,))
            report = render_paths([source], options, lambda _line: None, errors.append)
            if report.failed:
                raise UserError("\n".join(errors))
            if not (outdir / "manifest.csv").exists():
                # render writes a manifest for batches; a job of one document gets one too
                from ..compose import plan_job
                from ..output import Manifest

                docs = plan_job(job, self.library(), 0, None)
                manifest = Manifest(outdir)
                for written in report.written:
                    manifest.row(written.name, docs.label(0) if len(docs) else "", "成功")
                manifest.close()
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for file in sorted(outdir.iterdir()):
                    if file.is_file() and not file.name.startswith("."):
                        archive.write(file, file.name)
        title = job.data.get("title") or (self.path.stem if self.path else "文档")
        return f"{safe_name(str(title))}.zip", buffer.getvalue()

    # ---------------------------------------------------------------- uploads

    def upload_table(self, filename: str, data: bytes) -> str:
        """Save an uploaded recipients sheet in the folder; return its name."""
        name = Path(filename.replace("\\", "/")).name
        suffix = Path(name).suffix.lower()
        if suffix not in TABLE_SUFFIXES:
            raise Refused(f"不支持的名单文件类型 “{suffix or name}”：应为 .xlsx 或 .csv")
        if len(data) > self.limits.max_table_bytes:
            raise Refused(f"名单文件过大：超过上限 {self.limits.max_table_bytes} 字节", 413)
        stem = safe_name(Path(name).stem)
        folder = self.path.parent if self.path is not None else self.root
        target = inside(self.root, str(folder / f"{stem}{suffix}"))
        n = 2
        while True:
            try:
                write_atomic(target, data, force=False)
                break
            except OutputExists:
                target = inside(self.root, str(folder / f"{stem}（{n}）{suffix}"))
                n += 1
        return target.name


# -------------------------------------------------------------------- JSON of findings


def finding_json(f: Finding, root: Path | None = None) -> dict[str, Any]:
    text = str(f)
    if root is not None and f.path.startswith(str(root) + "/"):
        text = text[len(str(root)) + 1 :]  # the CLI's line as if run in the folder
    return {
        "key": f.key,
        "path": Path(f.path).name if f.path else "",
        "location": f.location,
        "severity": f.severity,
        "code": f.code,
        "message": f.message,
        "text": text,
    }


def message_json(message: str) -> dict[str, Any]:
    return {"key": "", "location": "", "severity": ERROR, "code": "", "message": message}


def trace_json(document: Any) -> list[dict[str, Any]]:
    """``document.meta["trace"]`` with each block's text, for matching paragraphs in the page."""
    trace = document.meta.get("trace") if isinstance(document.meta, dict) else None
    if not isinstance(trace, list):
        return []
    out = []
    for entry in trace:
        if not isinstance(entry, dict):
            continue
        block = entry.get("block")
        text = ""
        if isinstance(block, int) and 0 <= block < len(document.blocks):
            b = document.blocks[block]
            text = getattr(b, "full_text", "") or getattr(b, "text", "")
        out.append(
            {
                "block": block,
                "text": text if isinstance(text, str) else "",
                "snippets": [str(x) for x in entry.get("snippets") or []],
                "sources": [str(x) for x in entry.get("sources") or []],
                "keys": [str(x) for x in entry.get("keys") or []],
                "values": [
                    {
                        "key": str(v.get("key", "")),
                        "value": str(v.get("value", "")),
                        "at": str(v.get("at", "")),
                    }
                    for v in entry.get("values") or []
                    if isinstance(v, dict)
                ],
            }
        )
    return out


# -------------------------------------------------------------------- the web app


def create_app(editor: Editor) -> Flask:
    """The Flask app serving ``editor`` (token and password checked on every request)."""
    app = Flask(__name__, static_folder=None)
    app.config["MAX_CONTENT_LENGTH"] = (
        max(editor.limits.max_table_bytes, editor.limits.max_input_bytes) + 64 * 1024
    )

    def refuse(message: str, status: int) -> Response:
        return Response(message + "\n", status, mimetype="text/plain; charset=utf-8")

    @app.before_request
    def guard() -> Response | None:
        if editor.allowed_hosts and request.host not in editor.allowed_hosts:
            return refuse("拒绝访问：地址不对（只接受本机地址）", 403)
        if editor.password is not None:
            auth = request.headers.get("Authorization", "")
            given = ""
            if auth.startswith("Basic "):
                try:
                    given = base64.b64decode(auth[6:]).decode("utf-8").partition(":")[2]
                except ValueError:
                    given = ""
            if not hmac.compare_digest(given.encode(), editor.password.encode()):
                response = refuse("需要密码（启动编辑器时 --password 设定的密码）", 401)
                response.headers["WWW-Authenticate"] = 'Basic realm="speechgen", charset="UTF-8"'
                return response
        token = request.headers.get("X-Token") or request.args.get("token") or ""
        if not hmac.compare_digest(token.encode(), editor.token.encode()):
            return refuse("拒绝访问：缺少或错误的令牌（请使用编辑器启动时显示的地址）", 403)
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        if response.mimetype == "text/html":
            response.headers["Content-Security-Policy"] = (
                "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                "frame-src 'self' about: data:; frame-ancestors 'none'"
            )
        return response

    @app.errorhandler(Refused)
    def refused(exc: Refused) -> Response:
        return jsonify({"error": exc.message}), exc.status

    @app.errorhandler(413)
    def too_large(_exc: Any) -> Response:
        return jsonify({"error": "上传的文件过大"}), 413

    @app.errorhandler(404)
    def not_found(_exc: Any) -> Response:
        return jsonify({"error": "没有这个页面"}), 404

    @app.errorhandler(405)
    def wrong_method(_exc: Any) -> Response:
        return jsonify({"error": "不支持这种请求"}), 405

    @app.errorhandler(OSError)
    def machine_fault(exc: OSError) -> Response:
        # a full disk, a folder without write permission: say so, keep the typed text
        return jsonify(
            {"error": f"无法读写文件：{exc.strerror or exc}（输入的内容仍在页面上）"}
        ), 500

    @app.errorhandler(Exception)
    def internal(exc: Exception) -> Response:
        if isinstance(exc, HTTPException):
            return jsonify({"error": f"请求无效（{exc.code}）"}), exc.code or 400
        app.logger.exception("editor error")
        return jsonify({"error": f"编辑器内部出错（{type(exc).__name__}），请报告此问题"}), 500

    page = (STATIC / "editor.html").read_text(encoding="utf-8").replace("__TOKEN__", editor.token)

    @app.get("/")
    def index() -> Response:
        return Response(page, mimetype="text/html")

    @app.get("/static/<path:name>")
    def static_file(name: str) -> Response:
        return send_from_directory(STATIC, name)

    @app.get("/api/state")
    def state() -> Response:
        with editor.lock:
            files = sorted(
                p.name
                for p in editor.root.iterdir()
                if p.suffix.lower() in YAML_SUFFIXES and p.is_file() and not p.is_symlink()
            )
            return jsonify(
                {
                    "file": editor.name(),
                    "exists": editor.path is not None and editor.path.is_file(),
                    "folder": str(editor.root),
                    "files": files,
                    "kinds": forms.job_types(),
                    "draft": editor.draft(),
                }
            )

    @app.get("/api/form/<kind>")
    def form(kind: str) -> Response:
        if kind not in forms.KINDS:
            raise Refused("没有这个文种")
        return jsonify(forms.form_for(kind))

    @app.post("/api/update")
    def update() -> Response:
        body = request.get_json(silent=True) or {}
        with editor.lock:
            if editor.path is None:
                raise Refused("还没有打开文件")
            text = body.get("text")
            if isinstance(text, str):
                editor.text = text.replace("\r\n", "\n")
            patches = body.get("patches") or []
            if patches:
                try:
                    editor.text = editor.roundtrip.apply(
                        editor.text, [patch_from_json(p) for p in patches if isinstance(p, dict)]
                    )
                except (EditFailed, ValueError):
                    raise Refused(
                        "YAML 文本有语法错误，表单的修改无法写入：请先在 YAML 页改正"
                    ) from None
            editor.keep_draft()
            index = body.get("index")
            return jsonify(editor.analyse(index if isinstance(index, int) else 0))

    @app.post("/api/save")
    def save() -> Response:
        with editor.lock:
            editor.save()
            return jsonify({"saved": editor.name()})

    @app.post("/api/open")
    def open_file() -> Response:
        body = request.get_json(silent=True) or {}
        with editor.lock:
            editor.open(inside(editor.root, str(body.get("name") or "")))
            draft = editor.draft()
            if body.get("restore") and draft is not None:
                editor.text = draft
            elif body.get("discard") and draft is not None:
                draft_path(editor.path).unlink()
            return jsonify(editor.analyse(0) | {"draft": editor.draft()})

    @app.post("/api/new")
    def new_file() -> Response:
        body = request.get_json(silent=True) or {}
        kind = body.get("kind")
        if kind not in forms.KINDS:
            raise Refused("没有这个文种")
        name = str(body.get("name") or f"{kind}.yaml").strip()
        if not name.lower().endswith(YAML_SUFFIXES):
            name += ".yaml"
        with editor.lock:
            target = inside(editor.root, name)
            if target.exists():
                raise Refused(f"{target.name} 已存在：请换一个文件名，或直接打开它", 409)
            from ..cli import new as new_command

            # the same starter files as `speechgen new` (the command itself, not a copy)
            new_command.main(args=[kind, "-o", str(target)], standalone_mode=False)
            editor.open(target)
            return jsonify(editor.analyse(0))

    @app.get("/api/download/<fmt>")
    def download(fmt: str) -> Response:
        index = request.args.get("index", "0")
        with editor.lock:
            if editor.path is None:
                raise Refused("还没有打开文件")
            try:
                if fmt in ("docx", "pdf"):
                    name, data = editor.document_bytes(int(index) if index.isdigit() else 0, fmt)
                elif fmt in ("zip", "zip-pdf"):
                    name, data = editor.zip_bytes("pdf" if fmt == "zip-pdf" else "docx")
                else:
                    raise Refused("没有这种格式")
            except SpeechgenError as exc:
                return jsonify({"error": "\n".join(exc.lines())}), 400
        mimetypes = {
            ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ".pdf": "application/pdf",
            ".zip": "application/zip",
        }
        response = Response(data, mimetype=mimetypes[Path(name).suffix])
        response.headers["Content-Disposition"] = content_disposition(name)
        return response

    @app.post("/api/upload")
    def upload() -> Response:
        file = request.files.get("file")
        if file is None or not file.filename:
            raise Refused("没有收到文件")
        data = file.stream.read(editor.limits.max_table_bytes + 1)
        with editor.lock:
            return jsonify({"name": editor.upload_table(file.filename, data)})

    return app


def content_disposition(name: str) -> str:
    from urllib.parse import quote

    ascii_name = name.encode("ascii", "ignore").decode() or "document"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


# -------------------------------------------------------------------- starting


def serve(
    file: Path | None,
    *,
    port: int = 0,
    host: str | None = None,
    password: str | None = None,
    browser: bool = True,
    echo: Any = print,
) -> None:
    """Serve the editor until Ctrl-C: on ``file`` (its folder), or on the current folder."""
    import logging
    import webbrowser

    from waitress import create_server

    # waitress's own notes ("Task queue depth is 2") are English and not for the secretary
    logging.getLogger("waitress").setLevel(logging.ERROR)

    from ..errors import UsageProblem

    if file is not None:
        file = Path(file).absolute()
        if file.is_symlink():
            raise UsageProblem(f"{file} 是符号链接：请直接打开它指向的文件")
        if file.suffix.lower() not in YAML_SUFFIXES:
            raise UsageProblem(f"{file.name} 不是 .yaml 文件")
        if file.is_dir():
            raise UsageProblem(f"{file} 是文件夹，不是文件")
        root = file.parent
    else:
        root = Path.cwd().absolute()
    if not root.is_dir():
        raise UsageProblem(f"文件夹 {root} 不存在")
    listen = host or "127.0.0.1"
    if host is not None and not password:
        raise UsageProblem("指定 --host 时必须同时用 --password 设定密码")
    editor = Editor(root.resolve() if not root.is_symlink() else root, password=password)
    if file is not None and file.exists():
        editor.open(file)
    elif file is not None:
        editor.path = inside(editor.root, file.name)  # a new file: created on 新建 or save
    try:
        server = create_server(
            create_app(editor), host=listen, port=port, threads=4, ident="speechgen"
        )
    except OSError as exc:
        import errno

        why = "端口已被占用，请换一个 --port" if exc.errno == errno.EADDRINUSE else "地址不可用"
        raise UsageProblem(f"无法在 {listen}:{port} 上启动编辑器：{why}") from None
    actual = server.effective_port
    if host is None:
        editor.allowed_hosts = (f"127.0.0.1:{actual}", f"localhost:{actual}")
    shown_host = "127.0.0.1" if host is None else host
    url = f"http://{shown_host}:{actual}/?token={editor.token}"
    echo(f"编辑器已启动：{url}")
    echo(f"文件夹：{editor.root}")
    echo("按 Ctrl+C 停止。")
    if browser:
        threading.Timer(0.3, lambda: webbrowser.open(url)).start()
    try:
        server.run()
    except KeyboardInterrupt:
        echo("编辑器已停止。未保存的修改留在草稿中，下次打开时可以恢复。")
    finally:
        server.close()
