"""Bytes → text → YAML nodes → plain values, remembering where each came from.

* :func:`read_limited` reads at most the allowed number of bytes (``E108``).
* :func:`decode` finds the encoding: UTF-8 (with or without BOM), UTF-16/32
  with BOM, else GB18030/GBK with a ``W100`` warning; anything else is ``E100``.
* :func:`read_yaml` composes the text with :class:`yaml.SafeLoader` (nodes
  only, never ``yaml.load``) and converts the nodes itself, counting every
  node it visits, so that alias bombs stop at ``Limits.max_nodes`` (``E108``)
  before they cost memory. Custom tags are ``E106``; characters that XML
  cannot hold are ``E109`` with their key path.

Key paths are ``a.b``, with 1-based list indexes: ``accidents[2].deaths``.
Positions are 1-based ``(line, column)``.
"""

from __future__ import annotations

import binascii
import codecs
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import ERROR, WARNING, Finding, UsageProblem, UserError
from ..faults import NOT_A_FILE, read_error_message
from .limits import ENV, Limits

# libyaml's loader when PyYAML was built with it: the same nodes and marks, ten
# times faster. Syntax errors are re-read with the pure-Python loader, whose
# positions and messages the error reports are written for.
FAST_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

CORE = "tag:yaml.org,2002:"
MERGE_TAG = CORE + "merge"
SCALAR_TAGS = {
    CORE + name for name in ("str", "int", "float", "bool", "null", "timestamp", "binary")
}
VALUE_TAG = CORE + "value"

#: Characters that YAML or XML cannot hold (tab, newline and CR are fine).
BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

_MAGIC = [
    (b"PK\x03\x04", "ZIP 压缩包（.docx、.xlsx 等 Office 文件也是这种格式）"),
    (b"%PDF", "PDF 文件"),
    (b"\xd0\xcf\x11\xe0", "旧版 Office 文件（.doc、.xls）"),
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
    (b"{\\rtf", "RTF 文档"),
]

SAVE_AS_UTF8 = "请在编辑器中“另存为”，编码选择 UTF-8"


def fmt_position(pos: tuple[int, int] | None) -> str:
    return f"{pos[0]}:{pos[1]}" if pos else ""


def join_path(parent: str, key: str) -> str:
    return f"{parent}.{key}" if parent else key


def parent_path(path: str) -> str:
    """``a.b[2].c`` → ``a.b[2]`` → ``a.b`` → ``a`` → ``""``."""
    if path.endswith("]"):
        return path[: path.rindex("[")]
    cut = path.rfind(".")
    return path[:cut] if cut > 0 else ""


@dataclass
class Tree:
    """A YAML file as plain values plus where each key path was written."""

    path: Path
    data: Any
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)

    def locate(self, key_path: str) -> str:
        """``line:col`` of the key path or of its nearest written ancestor."""
        path = key_path
        while True:
            if path in self.positions:
                return fmt_position(self.positions[path])
            if not path:
                return ""
            path = parent_path(path)


class _Fatal(Exception):
    def __init__(self, finding: Finding):
        super().__init__(finding.message)
        self.finding = finding


# ---------------------------------------------------------------- bytes, text


def read_limited(path: Path, max_bytes: int, *, env_var: str, shown: str | None = None) -> bytes:
    """The file's bytes; ``E100`` when unreadable, ``E108`` when over ``max_bytes``."""
    with open_limited(path, max_bytes, env_var=env_var, shown=shown) as handle:
        try:
            data = handle.read(max_bytes + 1)
        except OSError as exc:
            raise _read_failed(shown if shown is not None else str(path), exc) from None
    if len(data) > max_bytes:
        raise _too_big(shown if shown is not None else str(path), max_bytes, env_var)
    return data


def open_limited(path: Path, max_bytes: int, *, env_var: str, shown: str | None = None) -> BinaryIO:
    """The file opened for reading, as :func:`read_limited` checks it, without reading it:
    ``E100`` when unreadable or not a regular file, ``E108`` when its size is over ``max_bytes``."""
    shown = shown if shown is not None else str(path)
    try:
        # O_NONBLOCK: a named pipe (or a device) given as input must not hang the run
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        handle = open(fd, "rb")
        try:
            mode = os.fstat(handle.fileno()).st_mode
            if stat.S_ISDIR(mode):
                raise IsADirectoryError(path)
            if not stat.S_ISREG(mode):
                raise UserError(findings=[Finding(shown, "", ERROR, "E100", NOT_A_FILE)])
            if os.fstat(handle.fileno()).st_size > max_bytes:
                raise _too_big(shown, max_bytes, env_var)
        except BaseException:
            handle.close()
            raise
    except FileNotFoundError:
        raise UsageProblem(findings=[Finding(shown, "", ERROR, "E100", "文件不存在")]) from None
    except IsADirectoryError:
        raise UsageProblem(
            findings=[Finding(shown, "", ERROR, "E100", "这是一个文件夹，不是文件")]
        ) from None
    except OSError as exc:
        raise _read_failed(shown, exc) from None
    return handle


def _read_failed(shown: str, exc: OSError) -> UserError:
    return UserError(
        findings=[Finding(shown, "", ERROR, "E100", f"无法读取文件：{read_error_message(exc)}")]
    )


def _too_big(shown: str, max_bytes: int, env_var: str) -> UserError:
    return UserError(
        findings=[
            Finding(
                shown,
                "",
                ERROR,
                "E108",
                f"文件过大：超过上限 {max_bytes} 字节（可用环境变量 {env_var} 调整）",
            )
        ]
    )


def _odd_char(ch: str) -> bool:
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch) in ("Cc", "Co", "Cn", "Cs")


def _plausible_gb_text(text: str) -> bool:
    """Whether a GB18030 decoding looks like text rather than random bytes."""
    wide = [ch for ch in text if ord(ch) > 0x7F]
    if not wide:
        return True
    odd = 0
    for ch in wide:
        try:
            ch.encode("gbk")
        except UnicodeEncodeError:
            odd += 1  # only reachable through GB18030's four-byte codes
            continue
        if _odd_char(ch):
            odd += 1
    controls = sum(1 for ch in text if ord(ch) < 0x20 and ch not in "\t\n\r")
    return odd * 10 <= len(wide) and controls * 20 <= len(text)


def decode(data: bytes, shown: str) -> tuple[str, list[Finding]]:
    """Text and warnings (``W100`` when read as GB18030); ``E100`` when not text."""

    def refuse(message: str) -> UserError:
        return UserError(findings=[Finding(shown, "", ERROR, "E100", message)])

    for bom, codec, name in (
        (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
        (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
        (codecs.BOM_UTF8, "utf-8", "UTF-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
    ):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), []
            except UnicodeDecodeError as exc:
                raise refuse(
                    f"文件开头标明是 {name} 编码，但第 {exc.start + len(bom) + 1} 字节起无法按 "
                    f"{name} 解码；{SAVE_AS_UTF8}"
                ) from None
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise refuse(f"这不是文本文件，而是{what}；请提供 YAML 文本文件（.yaml）")
    if b"\x00" in data:
        if len(data) >= 4 and data.count(b"\x00") * 3 >= len(data):
            raise refuse(f"文件看起来是不带 BOM 的 UTF-16 编码；{SAVE_AS_UTF8}")
        raise refuse("这不是文本文件（含有二进制数据，例如 NUL 字节）；请提供 YAML 文本文件")
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise refuse(
            f"无法识别文件编码：不是 UTF-8（第 {utf8_error.start + 1} 字节无效），也不是 "
            f"GBK/GB18030（第 {exc.start + 1} 字节无效），可能是二进制文件；{SAVE_AS_UTF8}"
        ) from None
    if not _plausible_gb_text(text):
        raise refuse(
            "无法识别文件编码：不是 UTF-8，按 GBK/GB18030 解码得到的是乱码，可能是二进制文件；"
            f"{SAVE_AS_UTF8}"
        )
    warning = Finding(
        shown,
        "",
        WARNING,
        "W100",
        f"文件不是 UTF-8 编码，已按 GBK/GB18030 编码读取；建议{SAVE_AS_UTF8[1:]}",
    )
    return text, [warning]


# ---------------------------------------------------------------- YAML syntax

_SYNTAX_HINTS = [
    ("found character '\\t'", "不能用 Tab 键缩进或分隔，请改用空格"),
    (
        "mapping values are not allowed here",
        "此处不能出现“: ”：检查缩进，值中含有冒号时请给整个值加引号",
    ),
    ("could not find expected ':'", "缺少英文冒号“:”，或缩进不对"),
    ("did not find expected key", "缩进不一致，或列表项（“- ”）与键混在了同一层"),
    ("did not find expected '-' indicator", "列表项（“- ”）的缩进不一致"),
    ("expected <block end>", "缩进不一致"),
    ("found undefined alias", "引用了未定义的锚点（*名称）；以 * 开头的文字请加引号"),
    ("found duplicate anchor", "锚点（&名称）重复定义"),
    ("found unknown escape character", "双引号内的反斜杠“\\”转义无效；请改用单引号"),
    ("while scanning a quoted scalar", "引号没有闭合"),
    ("while scanning an alias", "以 * 开头的值会被当作 YAML 引用；请给整个值加引号"),
    ("while scanning an anchor", "以 & 开头的值会被当作 YAML 锚点；请给整个值加引号"),
    ("while scanning a block scalar", "“|” 或 “>” 之后的多行文字格式不对"),
    ("while scanning a directive", "以 % 开头的行会被当作 YAML 指令；请给值加引号"),
    ("while scanning a tag", "以 ! 开头的值会被当作 YAML 标签；请给值加引号"),
    ("expected ',' or ']'", "方括号 [ ] 没有正确闭合"),
    ("expected ',' or '}'", "花括号 { } 没有正确闭合"),
    ("found unexpected end of stream", "文件意外结束：引号或括号没有闭合"),
    ("expected a single document", "文件中只能有一个文档（不能有第二个 “---”）"),
    ("cannot start any token", "此处的字符（如 @、` 或 %）不能作为值的开头；请给整个值加引号"),
    ("found unexpected ':'", "此处不能出现英文冒号“:”；值中含有冒号时请给整个值加引号"),
    ("while parsing a block mapping", "缩进不一致，或同一行写了两个值"),
    ("while parsing a block collection", "列表项（“- ”）与键的缩进不一致"),
    ("while parsing a flow", "方括号或花括号没有正确闭合"),
    ("while scanning a simple key", "缺少英文冒号“:”，或一个键跨了多行"),
    ("while scanning", "有无法识别的字符"),
    ("while parsing", "结构不完整：检查缩进和括号"),
]

# What the reader is told when the parser's problem matches none of the hints:
# the parser's own English is never shown (it means nothing to a secretary).
_GENERIC_HINT = "无法解析此处的内容：请检查缩进、冒号（英文“:”后加空格）、引号和括号是否成对"

_FULLWIDTH_KEY = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][\w.]*\s*：")
_NO_SPACE_KEY = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][\w]*:[^\s/:]")


def _line_hints(text: str, lines: list[int]) -> str:
    """Hints for the common typing slips on these 1-based lines."""
    all_lines = text.splitlines()
    for number in lines:
        if not 1 <= number <= len(all_lines):
            continue
        line = all_lines[number - 1]
        if _FULLWIDTH_KEY.match(line):
            return f"；第 {number} 行的键后面用了中文冒号“：”，应为英文冒号“:”加一个空格"
        if _NO_SPACE_KEY.match(line):
            return f"；第 {number} 行的英文冒号“:”后面应有一个空格"
    return ""


def syntax_finding(exc: yaml.YAMLError, text: str, shown: str) -> Finding:
    """``E106`` in Chinese, with line and column, for a YAML parser error."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None) or ""
    full = f"{context} {problem}".strip()
    hint = next((h for needle, h in _SYNTAX_HINTS if needle in full), _GENERIC_HINT)
    location = ""
    lines: list[int] = []
    if mark is not None:
        location = f"{mark.line + 1}:{mark.column + 1}"
        lines = [mark.line + 1, mark.line]
    hint += _line_hints(text, lines)
    if mark is not None:
        hint += f"（第 {mark.line + 1} 行第 {mark.column + 1} 列）"
    return Finding(shown, location, ERROR, "E106", f"YAML 语法错误：{hint}")


# ---------------------------------------------------------------- conversion


class _Converter:
    """Node tree → plain values, with a budget of visited nodes."""

    def __init__(self, limits: Limits, shown: str):
        self.limits = limits
        self.shown = shown
        self.count = 0
        self.active: set[int] = set()
        self.positions: dict[str, tuple[int, int]] = {}
        self.raw: dict[str, str] = {}
        self.errors: list[Finding] = []
        self.scalars: list[tuple[int, int, str]] = []  # (start index, end index, path)
        self.seen_scalars: set[int] = set()
        self.constructor = SafeConstructor()

    def error(self, code: str, mark: Any, key: str, message: str) -> None:
        location = f"{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
        self.errors.append(Finding(self.shown, location, ERROR, code, message, key))

    def fatal(self, mark: Any, key: str, message: str) -> _Fatal:
        location = f"{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
        return _Fatal(Finding(self.shown, location, ERROR, "E108", message, key))

    def convert(self, node: Node, path: str, depth: int, mark: Any) -> Any:
        self.count += 1
        if self.count > self.limits.max_nodes:
            raise self.fatal(
                node.start_mark,
                path,
                f"展开别名（*引用）后节点超过 {self.limits.max_nodes} 个，疑为“别名炸弹”，已停止读取"
                f"（可用环境变量 {ENV['max_nodes']} 调整）",
            )
        if depth > self.limits.max_depth:
            raise self.fatal(
                node.start_mark, path, f"嵌套层数超过 {self.limits.max_depth} 层，已停止读取"
            )
        if path not in self.positions:
            self.positions[path] = (mark.line + 1, mark.column + 1)
        if isinstance(node, ScalarNode):
            return self.scalar(node, path)
        if id(node) in self.active:
            raise self.fatal(node.start_mark, path, "别名（*引用）引用了自身，形成循环，无法展开")
        self.active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                return self.sequence(node, path, depth)
            return self.mapping(node, path, depth)
        finally:
            self.active.discard(id(node))

    def check_tag(self, node: Node, path: str, allowed: set[str]) -> None:
        if node.tag not in allowed:
            self.error(
                "E106",
                node.start_mark,
                path,
                f"不支持的 YAML 标签 “{node.tag}”；请删除以 ! 开头的标签，或给值加引号",
            )

    def scalar(self, node: ScalarNode, path: str) -> Any:
        self.raw.setdefault(path, node.value)
        if id(node) not in self.seen_scalars:
            self.seen_scalars.add(id(node))
            self.scalars.append((node.start_mark.index, node.end_mark.index, path))
        tag = node.tag
        if tag == VALUE_TAG:
            tag = CORE + "str"
        self.check_tag(node, path, SCALAR_TAGS | {VALUE_TAG})
        value: Any = node.value
        if tag in SCALAR_TAGS:
            try:
                value = SafeConstructor.yaml_constructors[tag](self.constructor, node)
            except (ValueError, OverflowError, TypeError, binascii.Error, yaml.YAMLError):
                value = node.value  # e.g. 2024-13-45: the schema reports it
        if isinstance(value, str) and BAD_CHARS.search(value):
            self.report_controls(node.start_mark, path, value)
        return value

    def report_controls(self, mark: Any, path: str, text: str) -> None:
        found = sorted({f"U+{ord(ch):04X}" for ch in BAD_CHARS.findall(text)})
        self.error(
            "E109",
            mark,
            path,
            f"含有不可见的控制字符 {'、'.join(found)}，Word 文档无法容纳；"
            "请删除（常见于从微信或旧 Word 文件粘贴的文字）",
        )

    def sequence(self, node: SequenceNode, path: str, depth: int) -> list[Any]:
        self.check_tag(node, path, {CORE + "seq", CORE + "omap", CORE + "pairs"})
        out = []
        for number, item in enumerate(node.value, 1):
            out.append(self.convert(item, f"{path}[{number}]", depth + 1, item.start_mark))
        return out

    def mapping(self, node: MappingNode, path: str, depth: int) -> dict[str, Any]:
        self.check_tag(node, path, {CORE + "map", CORE + "set"})
        out: dict[str, Any] = {}
        first: dict[str, Any] = {}
        merges: list[Node] = []
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.tag == MERGE_TAG:
                merges.append(value_node)
                continue
            if not isinstance(key_node, ScalarNode):
                self.count += 1
                self.error(
                    "E101", key_node.start_mark, path, "键应为一段文字，不能是列表或键值映射"
                )
                continue
            key = key_node.value
            child = join_path(path, key)
            if key in first:
                mark = first[key]
                self.error(
                    "E106",
                    key_node.start_mark,
                    child,
                    f"键 “{key}” 重复（第 {mark.line + 1} 行已经写过），只能出现一次",
                )
                continue
            first[key] = key_node.start_mark
            self.scalars.append((key_node.start_mark.index, key_node.end_mark.index, child))
            out[key] = self.convert(value_node, child, depth + 1, key_node.start_mark)
        for source in merges:
            sources = source.value if isinstance(source, SequenceNode) else [source]
            for item in sources:
                merged = self.convert(item, path, depth + 1, item.start_mark)
                if not isinstance(merged, dict):
                    self.error("E101", item.start_mark, path, "“<<” 合并的对象应为键值映射")
                    continue
                for key, value in merged.items():
                    out.setdefault(key, value)
        return out


def _expanded_size(
    node: Node, sizes: dict[int, int], active: set[int], written: list[int] | None = None
) -> int:
    """How many nodes the tree has once every alias is expanded (memoised: fast on bombs).

    ``written[0]`` counts the nodes written out (each collection once, its
    scalars with it), so that what aliases add is the difference.
    """
    known = sizes.get(id(node))
    if known is not None:
        return known
    if isinstance(node, ScalarNode):
        return 1
    if written is not None:
        written[0] += 1 + sum(
            isinstance(item, ScalarNode) for pair in node.value for item in _items(pair)
        )
    if id(node) in active:
        raise _Fatal(
            Finding(
                "",
                f"{node.start_mark.line + 1}:{node.start_mark.column + 1}",
                ERROR,
                "E108",
                "别名（*引用）引用了自身，形成循环，无法展开",
            )
        )
    active.add(id(node))
    total = 1
    for pair in node.value:
        for item in _items(pair):
            total += _expanded_size(item, sizes, active, written)
    active.discard(id(node))
    sizes[id(node)] = total
    return total


def _items(pair: Any) -> tuple[Node, ...]:
    return pair if isinstance(pair, tuple) else (pair,)


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    start = text.rfind("\n", 0, index) + 1
    return line, index - start + 1


def read_yaml(path: Path, limits: Limits, shown: str | None = None) -> Tree:
    """The file as a :class:`Tree`; fatal problems raise :class:`UserError`."""
    shown = shown if shown is not None else str(path)
    data = read_limited(path, limits.max_input_bytes, env_var=ENV["max_input_bytes"], shown=shown)
    text, warnings = decode(data, shown)
    return read_yaml_text(text, path, limits, shown, warnings)


def read_yaml_text(
    text: str,
    path: Path,
    limits: Limits,
    shown: str | None = None,
    warnings: list[Finding] | None = None,
) -> Tree:
    """Text already read (e.g. typed in the editor) as a :class:`Tree` for ``path``."""
    shown = shown if shown is not None else str(path)
    warnings = list(warnings or [])
    if len(text.encode("utf-8", "surrogatepass")) > limits.max_input_bytes:
        raise UserError(
            findings=[
                Finding(
                    shown,
                    "",
                    ERROR,
                    "E108",
                    f"文件过大：超过上限 {limits.max_input_bytes} 字节"
                    f"（可用环境变量 {ENV['max_input_bytes']} 调整）",
                )
            ]
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")

    def fail(finding: Finding) -> UserError:
        return UserError(findings=[*warnings, finding])

    bad_chars = [(m.start(), m.group()) for m in BAD_CHARS.finditer(text)]
    if bad_chars:
        text = BAD_CHARS.sub(" ", text)
    try:
        try:
            node = yaml.compose(text, Loader=FAST_SAFE_LOADER)
        except yaml.YAMLError:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise fail(syntax_finding(exc, text, shown)) from None
    except RecursionError:
        raise fail(
            Finding(shown, "", ERROR, "E108", f"嵌套层数过深（超过 {limits.max_depth} 层）")
        ) from None
    if node is None or (isinstance(node, ScalarNode) and node.tag == CORE + "null"):
        raise fail(Finding(shown, "", ERROR, "E107", "文件是空的：没有任何 “键: 值”"))
    if not isinstance(node, MappingNode):
        what = "列表" if isinstance(node, SequenceNode) else "一段文字"
        hint = _line_hints(text, [node.start_mark.line + 1])
        raise fail(
            Finding(
                shown,
                f"{node.start_mark.line + 1}:{node.start_mark.column + 1}",
                ERROR,
                "E107",
                f"文件顶层应为 “键: 值” 形式的映射，实际为{what}{hint}",
            )
        )
    converter = _Converter(limits, shown)
    try:
        sizes: dict[int, int] = {}
        written = [0]
        size = _expanded_size(node, sizes, set(), written)
        added = size - written[0]
        budget = max(limits.max_alias_nodes, written[0])  # aliases may double a big file
        if size > limits.max_nodes or added > budget:
            key_node, value_node = max(node.value, key=lambda kv: sizes.get(id(kv[1]), 1))
            if size > limits.max_nodes:
                limit = f"超过上限 {limits.max_nodes} 个"
                var = ENV["max_nodes"]
            else:
                limit = f"其中别名展开出 {added} 个，超过上限 {budget} 个"
                var = ENV["max_alias_nodes"]
            raise converter.fatal(
                key_node.start_mark,
                key_node.value if isinstance(key_node, ScalarNode) else "",
                f"展开别名（*引用）后共有 {size} 个节点，{limit}，"
                f"疑为“别名炸弹”，已拒绝读取（可用环境变量 {var} 调整）",
            )
        value = converter.convert(node, "", 0, node.start_mark)
    except _Fatal as exc:
        finding = exc.finding
        if not finding.path:
            finding = Finding(shown, finding.location, ERROR, finding.code, finding.message)
        raise fail(finding) from None
    except RecursionError:
        raise fail(Finding(shown, "", ERROR, "E108", "嵌套层数过深")) from None
    errors = converter.errors
    if bad_chars:
        errors.extend(_bad_char_findings(converter, text, bad_chars, shown))
    return Tree(path, value, converter.positions, converter.raw, errors, warnings)


def _bad_char_findings(
    converter: _Converter, text: str, bad_chars: list[tuple[int, str]], shown: str
) -> list[Finding]:
    scalars = sorted(converter.scalars)
    by_path: dict[str, list[tuple[int, str]]] = {}
    for index, ch in bad_chars:
        path = None
        for start, end, scalar_path in scalars:
            if start <= index < end:
                path = scalar_path
                break
        if path is None:
            line = text.count("\n", 0, index)
            same_line = [s for s in scalars if s[0] <= index and text.count("\n", 0, s[0]) == line]
            if not same_line:
                continue  # in a comment or between tokens: never reaches the document
            path = same_line[-1][2]
        by_path.setdefault(path, []).append((index, ch))
    out = []
    for path, items in by_path.items():
        line, col = _line_col(text, items[0][0])
        found = sorted({f"U+{ord(ch):04X}" for _, ch in items})
        out.append(
            Finding(
                shown,
                f"{line}:{col}",
                ERROR,
                "E109",
                f"含有不可见的控制字符 {'、'.join(found)}，Word 文档无法容纳；"
                "请删除（常见于从微信或旧 Word 文件粘贴的文字）",
                path,
            )
        )
    return out
