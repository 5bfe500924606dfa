"""The ``speechgen`` command: options in, messages and exit codes out (spec/CLI.md)."""

from __future__ import annotations

import atexit
import gc
import sys
from pathlib import Path

from . import recache

recache.install()  # compiled regular expressions from the last run (speechgen/recache.py)

import click  # noqa: E402

from . import __version__  # noqa: E402
from .cli_chinese import FOLDER, INT, ChineseGroup, Choice, IntRange, usage_message  # noqa: E402
from .doctypes import DOCTYPES  # noqa: E402
from .errors import SpeechgenError, UsageProblem  # noqa: E402
from .writers.docx import FONT_PROFILES  # noqa: E402

PACKAGE_DIR = Path(__file__).resolve().parent
SAMPLES_DIR = PACKAGE_DIR / "samples"
NEW_TYPES = tuple(DOCTYPES)  # the job types of the registry (speechgen/doctypes)

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _echo_out(line: str) -> None:
    # One path a line, written at once: a reader that stops (``| head``) is noticed
    # at the next line, not when a buffer happens to fill. click.echo uses the
    # console's own encoding (GBK stays GBK) and UTF-8 where it claims ASCII. No colour
    # (a path has none): click then does not ask for each line whether this is a terminal.
    try:
        click.echo(line, color=False)
    except BrokenPipeError:
        from .faults import StdoutClosed

        raise StdoutClosed() from None


def _echo_err(line: str) -> None:
    click.echo(line, err=True)


def _existing(paths: tuple[str, ...]) -> list[Path]:
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise UsageProblem("找不到文件：" + "、".join(missing))
    return [Path(p) for p in paths]


snippets_option = click.option(
    "--snippets",
    "snippets",
    multiple=True,
    type=FOLDER,
    help="自己的短语库文件夹（可多次指定），与内置短语库合并，同 id 以自己的为准。",
)
templates_option = click.option(
    "--templates",
    "templates",
    type=FOLDER,
    help="自己的模板文件夹，其中的 speech.md.j2 等同名模板优先于内置模板。",
)


@click.group(cls=ChineseGroup, context_settings=CONTEXT)
@click.version_option(
    __version__, "--version", "-V", message="speechgen %(version)s", help="显示版本号。"
)
def cli() -> None:
    """speechgen：安全生产会议公文生成工具。

    用 YAML（或 Excel 名单）写明会议和数据，一条命令生成符合 GB/T 9704 版式的
    讲话稿、讲话提纲、通知和安全生产目标责任书（Word .docx）。

    \b
    常用命令：
      speechgen new speech -o 会议.yaml     生成一份可直接修改的讲话稿输入文件
      speechgen render 会议.yaml            生成 out/ 下的 Word 文件
      speechgen check out/*.docx            检查文件中的占位符、序号、标点和版式
      speechgen format 草稿.docx            把手写的 Word 文档一键排成公文格式
      speechgen demo                        生成全部示例
    """


@cli.command(context_settings=CONTEXT)
@click.argument("inputs", nargs=-1, required=True, metavar="输入文件...")
@click.option("-o", "--output", "outdir", default="out", show_default=True, help="输出文件夹。")
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    type=Choice(["docx", "pdf", "html", "md"]),
    help="输出格式，可多次指定：docx（默认）、pdf（需安装 LibreOffice）、html（预览）、md。",
)
@click.option("--force", is_flag=True, help="覆盖已存在且内容不同的输出文件。")
@click.option(
    "--jobs",
    "-j",
    default=1,
    show_default=True,
    type=IntRange(1, 64),
    help="并行生成的进程数：批量时每个进程负责一部分单位，最多设为本机的处理器核数"
    "（超过核数不会更快）。",
)
@click.option("--keep-going", is_flag=True, help="批量生成时跳过有错误的行，其余照常生成。")
@click.option(
    "--seed",
    default=0,
    show_default=True,
    type=INT,
    help="措辞选择的随机种子：同一输入、同一种子，结果完全相同。",
)
@click.option("--no-check", "no_check", is_flag=True, help="写出前不做检查（不建议）。")
@click.option(
    "--trace",
    is_flag=True,
    help="在每份讲话稿旁另写一份“溯源清单”（文件名.trace.txt）：每段用了哪些短语、引用了哪些输入数据。",
)
@click.option(
    "--fonts",
    "fonts",
    default=None,
    type=click.Choice(list(FONT_PROFILES)),
    help="字体方案：gb2312（默认，仿宋_GB2312 等）、gbk（方正仿宋_GBK 等）、"
    "windows（仿宋、楷体等 Windows 自带字体）。指定后优先于输入文件中的 fonts:。",
)
@snippets_option
@templates_option
@click.option(
    "--template-timeout",
    "template_timeout",
    default=10.0,
    show_default=True,
    type=click.FloatRange(min=0),
    help="每个模板（或短语）生成一次最多运行的秒数，超过即停止并报错；0 表示不限。",
)
def render(
    inputs,
    outdir,
    formats,
    force,
    jobs,
    keep_going,
    seed,
    no_check,
    trace,
    fonts,
    snippets,
    templates,
    template_timeout,
) -> None:
    """把 YAML 输入文件生成为 Word 文档（每行输出一个已写出的文件路径）。"""
    from .render import RenderOptions, render_paths

    paths = _existing(inputs)
    options = RenderOptions(
        outdir=Path(outdir),
        formats=(tuple(dict.fromkeys(formats)) or ("docx",)) + (("trace",) if trace else ()),
        force=force,
        jobs=jobs,
        keep_going=keep_going,
        seed=seed,
        check=not no_check,
        snippets=tuple(Path(s) for s in snippets),
        templates=Path(templates) if templates else None,
        fonts=fonts,
        template_timeout=template_timeout,
    )
    report = render_paths(paths, options, _echo_out, _echo_err, progress=sys.stderr.isatty())
    sys.exit(report.exit_code)


@cli.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, metavar="文件...")
@click.option(
    "--format",
    "fmt",
    type=Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="输出格式：text 每条一行；json 供其他工具读取。",
)
def check(paths, fmt) -> None:
    """检查 YAML 输入文件和 Word 文档（含手写的）：占位符、序号、标点、一致性和版式。

    每条结果一行：路径:位置: 错误|警告 代码 说明。有“错误”时退出码为 1。
    每个 Word 文档另有一行“信息 I300 字体方案：…”，说明它用的是哪种字体方案
    （gb2312、gbk 或 windows）。
    """
    from .check import check_paths, format_findings
    from .check.api import font_profile_notes

    files = _existing(paths)
    findings = check_paths(files)
    text = format_findings(findings + font_profile_notes(files), fmt)
    if text:
        click.echo(text)
    if fmt == "text" and not findings:  # the I300 notes are information, not problems
        click.echo(f"未发现问题：已检查 {len(files)} 个文件。")
    sys.exit(1 if any(f.is_error for f in findings) else 0)


@cli.command(context_settings=CONTEXT, short_help="生成一份带注释、可直接生成的输入文件。")
@click.argument("doc_type", type=Choice(NEW_TYPES), metavar="类型")
@click.option("-o", "--output", "target", default=None, help="写到哪个文件（默认：类型.yaml）。")
@click.option("--force", is_flag=True, help="覆盖已存在的文件。")
def new(doc_type, target, force) -> None:
    """生成一份带注释、可直接生成的输入文件。类型：speech（讲话稿）、outline（讲话提纲）、notice（通知）、letter（责任书）。"""
    from .output import OutputExists, write_atomic

    source = DOCTYPES[doc_type].starter_path  # in the kind's folder (speechgen/doctypes)
    path = Path(target or f"{doc_type}.yaml")
    try:
        write_atomic(path, source.read_bytes(), force=force)
    except OutputExists:
        raise UsageProblem(f"{path} 已存在，未覆盖（需要覆盖请加 --force）") from None
    extra = source.with_suffix(".xlsx")  # a letter's recipients sheet
    if extra.exists():
        side = path.parent / "责任单位.xlsx"
        if not side.exists():
            write_atomic(side, extra.read_bytes(), force=False)
            click.echo(str(side))
    click.echo(str(path))


@cli.command("format", context_settings=CONTEXT)
@click.argument("inputs", nargs=-1, required=True, metavar="输入.docx...")
@click.option("-o", "--output", "outdir", default="out", show_default=True, help="输出文件夹。")
@click.option(
    "--as",
    "as_kind",
    type=click.Choice(["speech", "outline", "notice", "letter", "auto"]),
    default="auto",
    show_default=True,
    help="按哪种公文排版：speech 讲话稿、outline 讲话提纲、notice 通知、letter 责任书；auto 按内容判断。",
)
@click.option(
    "--fonts",
    type=click.Choice(["gb2312", "gbk", "windows"]),
    default="gb2312",
    show_default=True,
    help="字体方案：gb2312（仿宋_GB2312 等）、gbk（方正*_GBK）、windows（仿宋、楷体等）。",
)
@click.option(
    "--report",
    "report_fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="改动清单的格式：text 供阅读；json 供其他工具读取。",
)
@click.option("--force", is_flag=True, help="覆盖已存在且内容不同的输出文件。")
def format_cmd(inputs, outdir, as_kind, fonts, report_fmt, force) -> None:
    """一键排版：把手写的 Word/WPS 文档重新排成 GB/T 9704 公文格式。

    逐个读取输入文件，识别标题、主送、各级标题、正文、表格、附件、署名、成文日期和版记，
    按公文格式重新写出到输出文件夹（输入文件不会被改动），并列出每一处改动：段落、原文、
    改后、规则。占位符、序号跳号、宣布的点数不符等需要人来定的问题只报告、不修改。
    有文件未能排版时退出码为 1。
    """
    from .reformat import FormatOptions, format_json, format_paths, format_text

    paths = _existing(inputs)
    options = FormatOptions(Path(outdir), as_kind, fonts, force)
    reports = format_paths(paths, options)
    text = format_json(reports) if report_fmt == "json" else format_text(reports)
    _echo_out(text)
    sys.exit(1 if any(r.error for r in reports) else 0)


@cli.group(context_settings=CONTEXT)
def snippets() -> None:
    """浏览短语库（讲话、通知、责任书中使用的规范表述）。"""


def _library(user_dirs):
    from .compose.library import load_library

    return load_library([Path(d) for d in user_dirs])


def _summary(s) -> str:
    from .compose.library import display_text

    full = display_text(s.text)
    text = full if len(full) <= 40 else full[:40] + "……"
    return f"{s.id}\t{s.category}\t{s.role}\t{text}"


@snippets.command("list", context_settings=CONTEXT)
@click.option(
    "--category", "category", default=None, help="只列出该类别（如 开场、形势判断、行业领域）。"
)
@click.option(
    "--tag", "tag", default=None, help="只列出带该标签的（如 gov、company、Q3、燃气、quarterly）。"
)
@click.option("--role", "role", default=None, help="只列出该用途的（如 closing、work.hazards）。")
@snippets_option
def snippets_list(category, tag, role, snippets) -> None:
    """列出短语：id、类别、用途和开头几个字。"""
    lib = _library(snippets)
    n = 0
    for s in sorted(lib, key=lambda s: s.id):
        if category and s.category != category:
            continue
        if role and s.role != role:
            continue
        if tag and tag not in _tags(s):
            continue
        click.echo(_summary(s))
        n += 1
    click.echo(f"共 {n} 条", err=True)


def _tags(s) -> set[str]:
    tags = set(s.tags) | {s.level, s.role, s.category} | set(s.kinds) | set(s.registers)
    tags |= {f"Q{q}" for q in s.quarters}
    if s.sector:
        tags.add(s.sector)
    return tags


@snippets.command("show", context_settings=CONTEXT)
@click.argument("snippet_id", metavar="ID")
@snippets_option
def snippets_show(snippet_id, snippets) -> None:
    """显示一条短语的全部信息和各种说法。"""
    lib = _library(snippets)
    s = lib.get(snippet_id)
    if s is None:
        near = [x.id for x in lib if snippet_id.split(".")[-1] in x.id][:5]
        hint = f"；相近的有：{'、'.join(near)}" if near else ""
        raise UsageProblem(f"短语库中没有 “{snippet_id}”{hint}")
    level = {"gov": "党政机关", "company": "企业", "any": "通用"}[s.level]
    click.echo(f"id：{s.id}")
    click.echo(f"类别：{s.category}    用途：{s.role}    适用：{level}")
    if s.kinds:
        click.echo(f"会议类型：{'、'.join(s.kinds)}")
    if s.quarters:
        click.echo(f"季度：{'、'.join(str(q) for q in s.quarters)}")
    if s.sector:
        click.echo(f"行业领域：{s.sector}")
    click.echo(f"文种：{'、'.join(s.registers)}")
    from .compose.library import ROLE_WHEN

    lines = s.when.describe() + (ROLE_WHEN[s.role].describe() if s.role in ROLE_WHEN else [])
    if lines:
        click.echo("使用条件（全部满足才会选用）：")
        for line in lines:
            click.echo(f"　　{line}")
    if s.tags:
        click.echo(f"标签：{'、'.join(s.tags)}")
    click.echo(f"数据项：{'、'.join(sorted(s.slots)) or '无'}")
    if s.source:
        click.echo(f"出处：{s.source}")
    click.echo(f"来自：{s.origin}")
    from .compose.library import display_text

    click.echo("")
    click.echo(display_text(s.text))
    for i, v in enumerate(s.variants, start=2):
        click.echo(f"\n说法{i}：{display_text(v)}")


@snippets.command("search", context_settings=CONTEXT)
@click.argument("text", metavar="文字")
@snippets_option
def snippets_search(text, snippets) -> None:
    """按文字查找短语（在 id、正文、各种说法和标签中查找）。"""
    lib = _library(snippets)
    hits = sorted(lib.search(text), key=lambda s: s.id)
    for s in hits:
        click.echo(_summary(s))
    click.echo(f"共 {len(hits)} 条", err=True)


@cli.command(context_settings=CONTEXT)
@click.option("-o", "--output", "outdir", default="out", show_default=True, help="输出文件夹。")
@click.option("--force", is_flag=True, help="覆盖已存在且内容不同的输出文件。")
def demo(outdir, force) -> None:
    """生成全部内置示例（讲话稿、提纲、通知、季度通知、责任书），并列出文件路径。"""
    from .render import RenderOptions, render_paths

    samples = sorted(SAMPLES_DIR.glob("*.yaml"))
    options = RenderOptions(outdir=Path(outdir), force=force)
    report = render_paths(samples, options, _echo_out, _echo_err, progress=sys.stderr.isatty())
    sys.exit(report.exit_code)


@cli.command(context_settings=CONTEXT)
@click.argument("file", required=False, metavar="[文件.yaml]")
@click.option(
    "--port", default=0, type=IntRange(0, 65535), help="端口（默认：自动选一个空闲端口）。"
)
@click.option(
    "--host",
    default=None,
    help="在这个地址上提供服务（默认只在本机 127.0.0.1），须同时设 --password。",
)
@click.option("--password", default=None, help="密码：指定 --host 时必须设定。")
@click.option("--no-browser", "no_browser", is_flag=True, help="不自动打开浏览器。")
def edit(file, port, host, password, no_browser) -> None:
    """在浏览器中编辑：左边是表单或 YAML 文本，右边是随输入更新的文档预览；保存回 YAML 文件。

    不指定文件时，可在页面上按文种新建，或打开当前文件夹中的文件。
    """
    from .editor.server import serve

    def echo(line: str) -> None:
        click.echo(line)
        sys.stdout.flush()

    serve(
        Path(file) if file else None,
        port=port,
        host=host,
        password=password,
        browser=not no_browser,
        echo=echo,
    )


# click >= 8.2 raises this for a group called without a command (8.1 prints the help itself)
_NO_ARGS_IS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())


def _tolerant_streams() -> None:
    """A console that cannot show a character (GBK, ASCII) gets ``\\uXXXX``, not a traceback."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", "strict") == "strict":
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # a detached or closed stream
                pass


def _stdout_closed() -> None:
    """Standard output went away (``speechgen demo | head -1``): say so on stderr, exit 1."""
    import os

    try:  # further writes (and the interpreter's final flush) go nowhere
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    try:
        click.echo(
            "输出已关闭（例如接在 “| head” 后面），已停止：已写出的文件都是完整的，"
            "重新运行会接着生成其余文件；需要完整的输出请不要截断",
            err=True,
        )
    except OSError:
        pass
    sys.exit(1)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turn our errors into messages and exit codes."""
    from .faults import (
        EXIT_INTERRUPTED,
        EXIT_TERMINATED,
        StdoutClosed,
        Terminated,
        sigterm_raises,
    )

    # At exit, skip the interpreter's last garbage collection over every object the
    # command built (~40 ms after a render): the command has closed its files by then.
    atexit.register(gc.freeze)
    _tolerant_streams()
    try:
        try:
            with sigterm_raises():  # SIGTERM ends any command through the handlers below
                rv = cli.main(args=argv, prog_name="speechgen", standalone_mode=False)
        finally:
            sys.stdout.flush()  # a closed pipe shows here at the latest, not at exit
    except (BrokenPipeError, StdoutClosed):
        _stdout_closed()
    except Terminated:
        click.echo(
            "已被终止（SIGTERM）：已写出的文件都是完整的，重新运行会从中断处继续。", err=True
        )
        sys.exit(EXIT_TERMINATED)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort as exc:
        if isinstance(exc.__context__, KeyboardInterrupt):  # click turns Ctrl-C into Abort
            click.echo("已中断：已写出的文件都是完整的，重新运行会从中断处继续。", err=True)
            sys.exit(EXIT_INTERRUPTED)
        click.echo("已中止。", err=True)
        sys.exit(1)
    except _NO_ARGS_IS_HELP as exc:
        click.echo(exc.ctx.get_help() if exc.ctx is not None else "", err=True)
        sys.exit(2)
    except click.UsageError as exc:
        hint = ""
        if exc.ctx is not None:
            hint = f"\n运行 “{exc.ctx.command_path} --help” 查看用法。"
        click.echo(f"用法错误：{usage_message(exc)}{hint}", err=True)
        sys.exit(2)
    except click.ClickException as exc:  # click's own non-usage errors (none expected)
        click.echo(f"错误：{usage_message(click.UsageError(exc.message))}", err=True)
        sys.exit(exc.exit_code)
    except SpeechgenError as exc:
        for line in exc.lines():
            click.echo(line, err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("已中断：已写出的文件都是完整的，重新运行会从中断处继续。", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except SystemExit:
        # click ends any command whose output pipe closed (EPIPE) with a silent exit 1
        if type(sys.stdout).__name__.endswith("PacifyFlushWrapper"):
            _stdout_closed()
        raise
    except MemoryError:
        click.echo("错误：内存不足，已停止：请关闭其他程序、减少 --jobs，或分批生成。", err=True)
        sys.exit(1)
    except OSError as exc:  # a fault of the machine outside render's own handling
        from .faults import os_error_message

        where = f"{exc.filename}: " if exc.filename else ""
        click.echo(f"{where}错误 E402 {os_error_message(exc)}", err=True)
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - the last resort: a message, never a traceback
        import os

        if os.environ.get("SPEECHGEN_DEBUG"):
            raise
        click.echo(
            f"内部错误（{type(exc).__name__}：{str(exc)[:200]}），已停止：这是程序的问题，"
            "请把命令和输入文件报告给维护者（设置环境变量 SPEECHGEN_DEBUG=1 可看到详细信息）",
            err=True,
        )
        sys.exit(1)
    sys.exit(rv if isinstance(rv, int) else 0)
