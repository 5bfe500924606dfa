"""click's scaffolding in Chinese: help pages, parameter types and usage errors.

click writes its own words (Usage, Options, Commands, metavars such as TEXT and
INTEGER RANGE, ``[default: …]``, "Show this message and exit.", and the error
messages) through gettext calls inside its modules. Rather than patching those,
speechgen's commands are built from the classes here, which write every word
themselves:

* :class:`ChineseGroup` / :class:`ChineseCommand` format the usage line, the
  option list (metavar, default, range) and the command list, and name the help
  option in Chinese; the group resolves commands with a Chinese "no such command".
* :data:`CHOICE`-style types (:class:`Choice`, :class:`IntRange`, :data:`INT`,
  :data:`FOLDER`) convert values and fail with Chinese messages.
* :func:`usage_message` turns any :class:`click.UsageError` into one Chinese line,
  from the exception's fields (option name, parameter, possibilities), never from
  its English text; what it cannot name gets a general Chinese line.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from pathlib import Path
from typing import Any

import click

HELP_TEXT = "显示此帮助并退出。"


#: Punctuation that may not begin a line (it stays at the end of the line before).
NO_LINE_START = set("，。、；：？！）》」』”’…")


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, columns: int) -> list[str]:
    """Lines of at most ``columns`` display columns (Chinese text breaks anywhere)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for token in re.findall(r"[A-Za-z0-9_./:%+*#@=<>|\[\]-]+\s*|.", paragraph):
            if line and width(line + token.rstrip()) > columns and token not in NO_LINE_START:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line += token
        lines.append(line.rstrip())
    return lines


class ChineseFormatter(click.HelpFormatter):
    """Headings end with a full-width colon; the usage line starts with 用法：;
    columns are measured in display width, so Chinese text lines up."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_text(self, text: str) -> None:
        """Paragraphs rewrapped by display width; a paragraph after ``\\b`` kept as written."""
        indent = " " * self.current_indent
        for number, paragraph in enumerate(re.split(r"\n\s*\n", text.strip("\n"))):
            if number:
                self.write("\n")
            lines = paragraph.splitlines()
            if lines and lines[0].strip() == "\b":
                for line in lines[1:]:
                    self.write(f"{indent}{line.rstrip()}\n")
                continue
            joined = ""
            for line in (line.strip() for line in lines):
                if joined and (joined[-1].isascii() and line[:1].isascii()):
                    joined += " "
                joined += line
            for line in wrap(joined, max(self.width - self.current_indent, 20)):
                self.write(f"{indent}{line}\n")

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        if not rows:
            return
        first = min(max(width(name) for name, _ in rows), col_max)
        indent = self.current_indent
        text_width = max(self.width - first - col_spacing - indent, 20)
        for name, text in rows:
            self.write(f"{'':>{indent}}{name}")
            lines = wrap(text or "", text_width) if text else []
            if not lines:
                self.write("\n")
                continue
            if width(name) <= first:
                self.write(" " * (first - width(name) + col_spacing))
            else:
                self.write("\n" + " " * (first + col_spacing + indent))
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(f"{'':>{first + col_spacing + indent}}{line}\n")

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix="用法：")


class ChineseContext(click.Context):
    formatter_class = ChineseFormatter


# ------------------------------------------------------------------ parameter types


class Choice(click.Choice):
    """One of a few words; a wrong one is told in Chinese with the nearest choice."""

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "[" + "|".join(str(c) for c in self.choices) + "]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if value in self.choices:
            return value
        text = str(value)
        near = difflib.get_close_matches(text, [str(c) for c in self.choices], n=1)
        hint = f"；是否应为 {near[0]}？" if near else ""
        self.fail(
            f"“{text}” 不是可选的值，可选：{'、'.join(str(c) for c in self.choices)}{hint}",
            param,
            ctx,
        )


class Int(click.ParamType):
    """A whole number (``整数``)."""

    name = "整数"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "整数"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = str(value).strip()
        if re.fullmatch(r"[+-]?\d+", text):
            return int(text)
        self.fail(f"“{value}” 不是整数", param, ctx)


class IntRange(Int):
    """A whole number from ``low`` to ``high``."""

    def __init__(self, low: int, high: int):
        self.low = low
        self.high = high

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not self.low <= number <= self.high:
            self.fail(f"{number} 不在允许的范围 {self.low}–{self.high} 内", param, ctx)
        return number

    def describe(self) -> str:
        return f"{self.low}–{self.high}"


class Folder(click.ParamType):
    """A folder path (it need not exist yet; a file there is refused)."""

    name = "文件夹"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "文件夹"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if Path(value).exists() and not Path(value).is_dir():
            self.fail(f"“{value}” 是文件，不是文件夹", param, ctx)
        return value


INT = Int()
FOLDER = Folder()


def metavar(param: click.Parameter, ctx: click.Context) -> str:
    """The word shown after an option that takes a value."""
    if param.metavar:
        return param.metavar
    kind = param.type
    if isinstance(kind, Choice | Int | Folder):
        return kind.get_metavar(param, ctx)
    if isinstance(kind, click.Choice):
        return "[" + "|".join(str(c) for c in kind.choices) + "]"
    if isinstance(kind, click.types.IntParamType):
        return "整数"
    if isinstance(kind, click.types.FloatParamType):
        return "数字"
    if isinstance(kind, click.Path):
        return "路径"
    return "文字"


def option_record(param: click.Option, ctx: click.Context) -> tuple[str, str]:
    """(``-o, --output 文字``, ``输出文件夹。（默认：out）``) for the help page."""
    names = ", ".join(sorted(param.opts, key=lambda o: (o.startswith("--"), o)))
    if param.secondary_opts:
        names += " / " + ", ".join(param.secondary_opts)
    if not param.is_flag and not param.count:
        names += " " + metavar(param, ctx)
    extras = []
    default = param.default
    if param.show_default and default is not None and not param.is_flag and default != ():
        extras.append(f"默认：{default}")
    if isinstance(param.type, IntRange):
        extras.append(f"范围：{param.type.describe()}")
    if param.required:
        extras.append("必填")
    text = param.help or ""
    if extras:
        text += f"（{'；'.join(extras)}）"
    return names, text


# ------------------------------------------------------------------ commands


class ChineseCommand(click.Command):
    """A command whose help page and messages are Chinese."""

    context_class = ChineseContext

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        records = [
            option_record(p, ctx)
            for p in self.get_params(ctx)
            if isinstance(p, click.Option) and not p.hidden
        ]
        if records:
            with formatter.section("选项"):
                formatter.write_dl(records)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            if type(exc) is not click.UsageError:
                raise
            # the one plain UsageError of parse_args: arguments left over
            extra = re.search(r"\((.*)\)", exc.message)
            shown = f"：{extra.group(1)}" if extra else ""
            raise click.UsageError(f"多余的参数{shown}", ctx) from None


class ChineseGroup(click.Group, ChineseCommand):
    """A group of commands (its subcommands and subgroups are Chinese too)."""

    command_class = ChineseCommand
    group_class = type  # subgroups are made with this class itself

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", "命令 [参数]...")
        super().__init__(*args, **kwargs)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is None or command.hidden:
                continue
            rows.append((name, command))
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _ in rows)
            with formatter.section("命令"):
                formatter.write_dl(
                    [(name, command.get_short_help_str(limit)) for name, command in rows]
                )

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            near = difflib.get_close_matches(name, self.list_commands(ctx), n=1)
            hint = f"；是否应为 {near[0]}？" if near else ""
            raise click.UsageError(f"没有这个命令：{name}{hint}", ctx)
        return super().resolve_command(ctx, args)


# ------------------------------------------------------------------ errors


def _hint(param: click.Parameter | None, ctx: click.Context | None) -> str:
    if param is None:
        return "参数"
    if isinstance(param, click.Argument):
        return param.human_readable_name
    return " / ".join(param.opts)


def usage_message(exc: click.UsageError) -> str:
    """One Chinese line for a usage error, built from the exception's fields."""
    if isinstance(exc, click.NoSuchOption):
        message = f"没有这个选项：{exc.option_name}"
        if exc.possibilities:
            message += f"；是否应为 {'、'.join(sorted(exc.possibilities))}？"
        return message
    if isinstance(exc, click.MissingParameter):
        param = exc.param
        what = "参数" if isinstance(param, click.Argument) else "选项"
        return f"缺少{what} {_hint(param, exc.ctx)}"
    if isinstance(exc, click.BadParameter):
        return f"{_hint(exc.param, exc.ctx)} 的值无效：{_chinese_or(exc.message, '值不对')}"
    if isinstance(exc, click.BadOptionUsage):
        name = exc.option_name
        if "requires" in exc.message and "argument" in exc.message:
            return f"选项 {name} 需要一个值"
        if "does not take a value" in exc.message:
            return f"选项 {name} 不带值"
        return f"选项 {name} 的用法不对"
    if isinstance(exc, click.BadArgumentUsage):
        return _chinese_or(exc.message, "参数的个数或写法不对")
    return _chinese_or(exc.message, "命令的写法不对")


_ENGLISH = re.compile(r"[A-Za-z]{3,}(?:\s+[A-Za-z]{2,})+")


def _chinese_or(message: str, fallback: str) -> str:
    """``message`` when it is ours (Chinese); else the Chinese fallback, never click's English."""
    return fallback if _ENGLISH.search(message) else message
