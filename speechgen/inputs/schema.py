"""The schema of spec/INPUT.md as small declarative field specs.

A spec's ``check(value, path, ctx)`` returns the normalised value (or
:data:`INVALID` after reporting through ``ctx``). ``ctx`` knows where a key
path was written (YAML line:column or a table row) and its raw text, so a
number typed as ``十三`` is reported as typed. Specs never raise.

The four job schemas are :data:`SCHEMAS`; the recipient of a letter is
:data:`RECIPIENT` (also used for CSV/XLSX rows); :func:`known_keys` lists the
key paths a job type understands, lists written as ``accidents[].deaths``.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import math
import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

from .. import kinds
from ..errors import ERROR, WARNING, Finding
from ..memo import Memo
from ..writers.docx import FONT_PROFILES
from .limits import ENV, Limits
from .yamlread import join_path

MISSING: Any = object()
INVALID: Any = object()
ABSENT: Any = object()  # an empty optional value: drop the key

Locator = Callable[[str], tuple[str, str, str]]  # key path → (file, location, shown key)
RawText = Callable[[str], "str | None"]


class Ctx:
    """Where findings go and how key paths are located."""

    def __init__(
        self,
        limits: Limits,
        locate: Locator,
        raw: RawText,
        findings: list[Finding] | None = None,
    ):
        self.limits = limits
        self.locate = locate
        self.raw = raw
        self.findings: list[Finding] = findings if findings is not None else []
        self.skip_required: set[str] = set()

    def sub(self, locate: Locator, raw: RawText) -> Ctx:
        """A context with another source that reports into the same list."""
        return Ctx(self.limits, locate, raw, self.findings)

    def add(self, code: str, path: str, message: str, severity: str = ERROR) -> None:
        file, location, key = self.locate(path)
        self.findings.append(Finding(file, location, severity, code, message, key))

    def error_count(self) -> int:
        return sum(1 for f in self.findings if f.is_error)


# ------------------------------------------------------------------ helpers


def shown(value: Any, raw: str | None) -> str:
    """``列表`` or `` “十三”``: how a wrong value is named after ``实际为``."""
    if isinstance(value, dict):
        return "键值映射"
    if isinstance(value, list):
        return "列表"
    if value is None:
        return "空值"
    if isinstance(value, bytes):
        return "二进制数据"
    text = raw if raw is not None else str(value)
    text = " ".join(text.split())
    if len(text) > 40:
        text = text[:39] + "…"
    return f" “{text}”"


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def scalar_text(value: Any, raw: str | None) -> str | None:
    """The text of a scalar as it was typed, or None for lists, mappings, bytes."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict | list | bytes) or value is None:
        return None
    if raw is not None:
        return raw
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    return str(value)


def suggest(word: str, choices: list[str] | set[str], cutoff: float = 0.6) -> str | None:
    found = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=cutoff)
    if not found and word.lower() != word:
        found = difflib.get_close_matches(word.lower(), sorted(choices), n=1, cutoff=cutoff)
    return found[0] if found else None


class Spec:
    """Base of field specs."""

    required = False
    default: Any = MISSING

    def __init__(self, *, required: bool = False, default: Any = MISSING):
        self.required = required
        self.default = default

    def check(self, value: Any, path: str, ctx: Ctx) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def hint(self) -> str:
        """Told after 缺少必填项: the expected form."""
        return ""

    def keys(self, prefix: str) -> Iterator[str]:
        return iter(())


# ------------------------------------------------------------------ scalars


class Text(Spec):
    """A piece of text; numbers and dates are kept as typed."""

    def check(self, value: Any, path: str, ctx: Ctx) -> Any:
        text = scalar_text(value, ctx.raw(path))
        if text is None:
            ctx.add("E101", path, f"应为文字，实际为{shown(value, None)}")
            return INVALID
        text = text.strip()
        return text if text else ABSENT


class Int(Spec):
    def __init__(
        self,
        *,
        min: int | None = None,
        max: int | None = None,
        what: str = "",
        required: bool = False,
        default: Any = MISSING,
    ):
        super().__init__(required=required, default=default)
        self.min = min
        self.max = max
        self.what = what

    def check(self, value: Any, path: str, ctx: Ctx) -> Any:
        raw = ctx.raw(path)
        problem = number_form_problem(value, raw)
        if problem:
            ctx.add(problem[0], path, problem[1])
            return INVALID
        number = to_int(typed_number(value, raw))
        if number is None:
            ctx.add("E101", path, f"应为整数，实际为{shown(value, raw)}")
            return INVALID
        if (self.min is not None and number < self.min) or (
            self.max is not None and number > self.max
        ):
            ctx.add("E105", path, range_message(number, self.min, self.max, self.what))
            return INVALID
        if abs(number) > MAX_NUMBER:
            ctx.add("E105", path, range_message(number, None, MAX_NUMBER, self.what))
            return INVALID
        return number

    def hint(self) -> str:
        return "应为整数"


#: a number's check without findings, by (type, value, text typed, minimum): a batch's
#: rows repeat their limits
NUMBERS_MAX = 1024
_NUMBERS: Memo[tuple, Any] = Memo(NUMBERS_MAX)
_SCALARS = (int, float, str)


class Number(Spec):
    def __init__(self, *, min: float | None = None, required: bool = False):
        super().__init__(required=required)
        self.min = min

    def check(self, value: Any, path: str, ctx: Ctx) -> Any:
        raw = ctx.raw(path)
        key = (type(value), value, raw, self.min) if type(value) in _SCALARS else None
        if key is not None:
            got = _NUMBERS.get(key)
            if got is None:
                got = _NUMBERS.recall(key)
            if got is not None:  # the same value typed the same way (a sheet's limits)
                return got
        got = self._check(value, raw, path, ctx)
        if key is not None and got is not INVALID:
            _NUMBERS.keep(key, got)
        return got

    def _check(self, value: Any, raw: str | None, path: str, ctx: Ctx) -> Any:
        problem = number_form_problem(value, raw)
        if problem:
            ctx.add(problem[0], path, problem[1])
            return INVALID
        number = to_number(typed_number(value, raw))
        if number is None:
            ctx.add("E101", path, f"应为数字，实际为{shown(value, raw)}")
            return INVALID
        if self.min is not None and number < self.min:
            ctx.add("E105", path, range_message(number, self.min, None, ""))
            return INVALID
        if abs(number) > MAX_NUMBER:
            ctx.add("E105", path, range_message(number, None, MAX_NUMBER, ""))
            return INVALID
        return number

    def hint(self) -> str:
        return "应为数字"


#: Above this a count or an amount is a typing slip (and more digits than the
#: composers' exact arithmetic holds): refused with E105 like a negative count.
MAX_NUMBER = 10**12

_INT_TEXT = re.compile(r"^[+-]?\d+$")
_NUMBER_TEXT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")

#: More significant digits than this is refused on the text, before any int()
#: (Python refuses int-str conversions of more than 4,300 digits with ValueError);
#: fewer digits above MAX_NUMBER get the range message (不能大于 …).
MAX_DIGITS = 100

# YAML 1.1 reads these forms as numbers although they are not decimal numbers as a
# secretary types them: 0x1A is 26, 0b101 is 5, 1:30 is 90, 1_000 is 1000, .inf is
# infinity. Each is refused (E101) saying what YAML would read; a count with leading
# zeros (010, which YAML 1.1 reads as octal 8) is read as the decimal digits typed
# (10); 1.0e+3 is a decimal number (1000). spec-facing: README 可靠性与安全 › 输入数据.
_EXPONENT_TEXT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)[eE][+-]?\d{1,3}$")
_NUMBER_FORMS = [
    (re.compile(r"^[+-]?0[xX]"), "以 0x 开头，YAML 会把它当作十六进制数"),
    (re.compile(r"^[+-]?0[oO]"), "以 0o 开头，YAML 会把它当作八进制数"),
    (re.compile(r"^[+-]?0[bB]"), "以 0b 开头，YAML 会把它当作二进制数"),
    (re.compile(r"^[^:]*\d:[0-5]?\d"), "含有冒号，YAML 会把它当作六十进制数（如 1:30 读作 90）"),
    (re.compile(r"_"), "含有下划线“_”，YAML 会删去下划线后当作数字"),
    (re.compile(r"^[+-]?\.(inf|nan)$", re.I), "是无穷大或非数"),
]


def _significant_digits(text: str) -> int:
    digits = re.sub(r"\D", "", text.split(".")[0]).lstrip("0")
    return len(digits)


def number_form_problem(value: Any, raw: str | None) -> tuple[str, str] | None:
    """(code, message) when a number was typed in a form that must not be read silently.

    ``raw`` is the text as typed (YAML scalar, table cell). Too many digits is
    ``E105``; a YAML 1.1 form that is not a plain decimal number is ``E101``.
    """
    if isinstance(value, bool) or raw is None:
        text = value if isinstance(value, str) else None
    else:
        text = raw
    if text is None:
        return None
    text = nfkc(text)
    if _significant_digits(text) > MAX_DIGITS and re.fullmatch(r"[+-]?[\d.,_]+", text):
        head = text if len(text) <= 20 else text[:20] + "…"
        return (
            "E105",
            f"数字过大：“{head}”共 {_significant_digits(text)} 位，不是合理的数量（最多 {MAX_DIGITS} 位）；"
            "请检查是否输入有误",
        )
    if not isinstance(value, int | float) or isinstance(value, bool) or raw is None:
        return None  # text: to_int/to_number read decimal digits only
    if _NUMBER_TEXT.match(text) or _EXPONENT_TEXT.match(text):
        return None  # 1.0e+3 is the decimal number 1000, written another way
    for pattern, why in _NUMBER_FORMS:
        if pattern.search(text):
            return (
                "E101",
                f"“{text[:40]}” 不是普通的十进制数字：{why}；请只用数字 0–9 写（如 1000、2.5），"
                "或给值加引号当作文字",
            )
    return ("E101", f"“{text[:40]}” 不是普通的十进制数字；请只用数字 0–9 写（如 1000、2.5）")


def typed_number(value: Any, raw: str | None) -> Any:
    """The number as typed: YAML's 010 (octal 8) is the decimal digits 010 → 10."""
    if isinstance(value, int | float) and not isinstance(value, bool) and raw is not None:
        text = nfkc(raw)
        if _NUMBER_TEXT.match(text):
            return text
    return value


def to_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) and value.is_integer() else None
    if isinstance(value, str):
        text = nfkc(value)
        if _significant_digits(text) > MAX_DIGITS:
            return None  # never int() thousands of digits (ValueError past 4,300)
        if _INT_TEXT.match(text):
            return int(text)
        if _NUMBER_TEXT.match(text):
            number = float(text)
            return int(number) if number.is_integer() else None
    return None


def to_number(value: Any) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        text = nfkc(value)
        if _significant_digits(text) > MAX_DIGITS:
            return None
        if _INT_TEXT.match(text):
            return int(text)
        if _NUMBER_TEXT.match(text):
            return float(text)
    return None


def range_message(number: float, low: float | None, high: float | None, what: str) -> str:
    if low is not None and high is not None:
        return f"{what or '取值'}应在 {low}–{high} 之间，实际为 {number}"
    if low == 0:
        return f"不能为负数，实际为 {number}"
    if low is not None:
        return f"{what or '取值'}不能小于 {low}，实际为 {number}"
    return f"{what or '取值'}不能大于 {high}，实际为 {number}"


class Enum(Spec):
    """One of a few values; ``choices`` maps value → gloss, ``aliases`` other spellings."""

    def __init__(
        self,
        choices: dict[str, str],
        *,
        aliases: dict[str, str] | None = None,
        required: bool = False,
        default: Any = MISSING,
    ):
        super().__init__(required=required, default=default)
        self.choices = choices
        self.aliases = aliases or {}

    def allowed(self) -> str:
        return "、".join(f"{v}（{g}）" if g else v for v, g in self.choices.items())

    def check(self, value: Any, path: str, ctx: Ctx) -> Any:
        text = scalar_text(value, ctx.raw(path))
        if text is not None:
            key = nfkc(text)
            for candidate in (key, key.lower()):
                if candidate in self.choices:
                    return candidate
                if candidate in self.aliases:
                    return self.aliases[candidate]
            message = f"“{' '.join(text.split())[:40]}” 不是可用的取值，可选：{self.allowed()}"
            near = suggest(key, list(self.choices) + list(self.aliases))
            if near:
                message += f"；是否应为 “{self.aliases.get(near, near)}”？"
        else:
            message = f"应为以下取值之一：{self.allowed()}，实际为{shown(value, None)}"
        ctx.add("E103", path, message)
        return INVALID

    def hint(self) -> str:
        return f"可选：{self.allowed()}"


#: ``fonts:``: a font profile of spec/FORMAT.md v2, glossed with its body font.
FONTS = Enum({name: f"正文{fs.body}" for name, fs in FONT_PROFILES.items()})


_DATE_FORMS = [
    re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
DATE_FORM = "应写成 2024-04-10 或 2024年4月10日"


def parse_date(value: Any, raw: str | None) -> tuple[dt.date | None, str]:
    """(date, "") or (None, reason); reason "" with None means not date-shaped."""
    if isinstance(value, dt.datetime):
        return value.date(), ""
    if isinstance(value, dt.date):
        return value, ""
    text = scalar_text(value, raw)
    if text is None or isinstance(value, bool):
        return None, ""
    text = nfkc(text)
    for form in _DATE_FORMS:
        match = form.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            if not 1 <= month <= 12:
                return None, f"（月份应为 1–12，实际为 {month}）"
            try:
                return dt.date(year, month, day), ""
            except ValueError:
                return None, f"（{year}年{month}月没有 {day} 日）"
    return None, ""


class Date(Spec):
    def check(self, value: Any, path: str, ctx: Ctx) -> Any:
        raw = ctx.raw(path)
        date, reason = parse_date(value, raw)
        if date is not None:
            return date
        if isinstance(value, dict | list):
            ctx.add("E101", path, f"应为日期，实际为{shown(value, None)}")
            return INVALID
        ctx.add("E104", path, f"不是有效的日期{shown(value, raw)}{reason}，{DATE_FORM}")
        return INVALID

    def hint(self) -> str:
        return f"日期{DATE_FORM}"


class DateOrText(Spec):
    """A date when it looks like one (``2024-07-31``), else text (``6月底前``)."""

    def check(self, value: Any, path: str, ctx: Ctx) -> Any:
        raw = ctx.raw(path)
        date, reason = parse_date(value, raw)
        if date is not None:
            return date
        if reason:
            ctx.add("E104", path, f"不是有效的日期{shown(value, raw)}{reason}，{DATE_FORM}")
            return INVALID
        text = scalar_text(value, raw)
        if text is None:
            ctx.add("E101", path, f"应为日期或文字，实际为{shown(value, None)}")
            return INVALID
        text = text.strip()
        return text if text else ABSENT


# ------------------------------------------------------------------ lists of text

_NAME_SPLIT = re.compile(r"[、，,；;\n]+")


class Names(Spec):
    """Short names: a YAML list or one string joined by 、 or ，."""

    def check(self, value: Any, path: str, ctx: Ctx) -> Any:
        if isinstance(value, list):
            out = []
            for number, item in enumerate(value, 1):
                item_path = f"{path}[{number}]"
                text = scalar_text(item, ctx.raw(item_path))
                if text is None:
                    if item is not None:
                        ctx.add("E101", item_path, f"应为名称（文字），实际为{shown(item, None)}")
                    continue
                out.extend(part.strip() for part in _NAME_SPLIT.split(text) if part.strip())
        else:
            text = scalar_text(value, ctx.raw(path))
            if text is None:
                ctx.add("E101", path, f"应为名称列表或用“、”分隔的文字，实际为{shown(value, None)}")
                return INVALID
            out = [part.strip() for part in _NAME_SPLIT.split(text) if part.strip()]
        return ABSENT if self.required and not out else out


class TextList(Spec):
    """Sentences: a YAML list of text, or one text for a list of one."""

    def __init__(
        self,
        *,
        placeholders: bool = False,
        required: bool = False,
        default=MISSING,
        numbered: bool = True,
    ):
        super().__init__(required=required, default=default)
        self.placeholders = placeholders
        self.numbered = numbered

    def check(self, value: Any, path: str, ctx: Ctx) -> Any:
        items = value if isinstance(value, list) else [value]
        if isinstance(value, list) and self.numbered and len(value) > MAX_NUMBERED:
            return too_many_numbered(value, path, ctx)
        if isinstance(value, list) and len(value) > ctx.limits.max_items:
            return too_long(value, path, ctx, ctx.limits.max_items, ENV["max_items"])
        out = []
        for number, item in enumerate(items, 1):
            item_path = f"{path}[{number}]" if isinstance(value, list) else path
            text = scalar_text(item, ctx.raw(item_path))
            if text is None:
                if item is not None:
                    what = "文字列表" if item_path == path else "文字"
                    ctx.add("E101", item_path, f"应为{what}，实际为{shown(item, None)}")
                continue
            text = text.strip()
            if not text:
                continue
            if self.placeholders:
                check_placeholders(text, item_path, ctx)
            out.append(text)
        return out


class Bool(Spec):
    """``true`` or ``false`` as YAML writes them; anything else is a typing slip, never a guess."""

    def check(self, value: Any, path: str, ctx: Ctx) -> Any:
        if isinstance(value, bool):
            return value
        ctx.add("E101", path, f"应为 true 或 false，实际为{shown(value, ctx.raw(path))}")
        return INVALID

    def hint(self) -> str:
        return "应为 true 或 false"


class Joined(Spec):
    """Text; a list of names is joined with ，."""

    def check(self, value: Any, path: str, ctx: Ctx) -> Any:
        if isinstance(value, list):
            names = Names().check(value, path, ctx)
            return "，".join(names) if names else ABSENT
        return Text().check(value, path, ctx)


_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_PLACEHOLDER_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


def check_placeholders(text: str, path: str, ctx: Ctx) -> None:
    """``{limits.deaths_max}`` is fine; ``{}``, ``{限额}``, unmatched braces are ``E112``."""
    problems = []
    for match in _PLACEHOLDER.finditer(text):
        name = match.group(1).strip()
        if not _PLACEHOLDER_NAME.match(name):
            problems.append(
                f"占位符 “{match.group(0)}” 写法有误，应为 {{limits.deaths_max}} 这样的英文键名"
            )
    rest = _PLACEHOLDER.sub("", text)
    if "{" in rest or "}" in rest:
        problems.append("大括号 { } 没有成对出现")
    if "｛" in text or "｝" in text:
        problems.append("占位符用了全角大括号 ｛ ｝，应为半角 { }")
    for problem in problems:
        ctx.add("E112", path, problem)


# ------------------------------------------------------------------ structure


# Items numbered in Chinese (一是……九十九是, （一）……（九十九）) stop at 99.
MAX_NUMBERED = 99


def too_many_numbered(value: list[Any], path: str, ctx: Ctx) -> Any:
    ctx.add(
        "E108",
        path,
        f"列表共 {len(value)} 项；这些项要用“一是”“（一）”等编号，最多 {MAX_NUMBERED} 项，请合并或删减",
    )
    return INVALID


def too_long(value: list[Any], path: str, ctx: Ctx, limit: int, env_var: str) -> Any:
    ctx.add(
        "E108",
        path,
        f"列表共 {len(value)} 项，超过上限 {limit} 项（可用环境变量 {env_var} 调整）",
    )
    return INVALID


class Map(Spec):
    """A mapping of known keys.

    ``extra``: ``"warn"`` (W101 for unknown keys, with the closest known key),
    ``"keep"`` (kept quietly unless very close to a known key). Unknown keys
    are kept in the output either way. ``post(out, path, ctx)`` runs after the
    fields: cross-field checks and derived values.
    """

    def __init__(
        self,
        fields: dict[str, Spec],
        *,
        extra: str = "warn",
        post: Callable[[dict[str, Any], str, Ctx], None] | None = None,
        required: bool = False,
        default: Any = MISSING,
    ):
        super().__init__(required=required, default=default)
        self.fields = fields
        self.extra = extra
        self.post = post

    def check(self, value: Any, path: str, ctx: Ctx) -> Any:
        if not isinstance(value, dict):
            ctx.add("E101", path, f"应为 “键: 值” 形式的映射，实际为{shown(value, ctx.raw(path))}")
            return INVALID
        unknown = [key for key in value if key not in self.fields]
        out: dict[str, Any] = {}
        for key, spec in self.fields.items():
            key_path = join_path(path, key)
            item = value.get(key)
            result = ABSENT if item is None else spec.check(item, key_path, ctx)
            if result is ABSENT:
                if spec.required and key_path not in ctx.skip_required:
                    ctx.add("E102", key_path, self.missing_message(key, spec, unknown))
                elif spec.default is not MISSING:
                    out[key] = copy.deepcopy(spec.default)
                continue
            out[key] = item if result is INVALID else result
        for key in unknown:
            self.unknown_key(key, path, ctx)
            out[key] = value[key]
        if self.post is not None:
            self.post(out, path, ctx)
        return out

    def missing_message(self, key: str, spec: Spec, unknown: list[str]) -> str:
        message = "缺少必填项"
        hint = spec.hint()
        if hint:
            message += f"（{hint}）"
        near = suggest(key, unknown, 0.6) if unknown else None
        if near:
            message += f"；文件中有 “{near}”，是否拼写有误？"
        return message

    def unknown_key(self, key: str, path: str, ctx: Ctx) -> None:
        if key.startswith("_"):
            return
        cutoff = 0.6 if self.extra == "warn" else 0.8
        near = suggest(key, list(self.fields), cutoff)
        if self.extra != "warn" and not near:
            return
        message = f"未知的键 “{key}”，不会被使用"
        if near:
            message += f"；是否应为 “{near}”？"
        ctx.add("W101", join_path(path, key), message, WARNING)

    def hint(self) -> str:
        needed = [key for key, spec in self.fields.items() if spec.required]
        return f"其中必须有 {'、'.join(needed)}" if needed else ""

    def keys(self, prefix: str) -> Iterator[str]:
        for key, spec in self.fields.items():
            key_path = join_path(prefix, key)
            yield key_path
            yield from spec.keys(key_path)


class NumberMap(Spec):
    """A mapping whose keys are free and whose values are numbers (``limits``)."""

    def check(self, value: Any, path: str, ctx: Ctx) -> Any:
        if not isinstance(value, dict):
            ctx.add(
                "E101", path, f"应为 “键: 数字” 形式的映射，实际为{shown(value, ctx.raw(path))}"
            )
            return INVALID
        out = {}
        for key, item in value.items():
            if item is None:
                continue
            result = Number(min=0).check(item, join_path(path, key), ctx)
            out[key] = item if result is INVALID else result
        return out


class ListOf(Spec):
    """A YAML list; ``limit`` is ``"items"`` or ``"recipients"``."""

    def __init__(
        self,
        item: Spec,
        *,
        limit: str = "items",
        required: bool = False,
        default: Any = MISSING,
        numbered: bool = False,
    ):
        super().__init__(required=required, default=default)
        self.item = item
        self.limit = limit
        self.numbered = numbered

    def check(self, value: Any, path: str, ctx: Ctx) -> Any:
        if not isinstance(value, list):
            ctx.add(
                "E101", path, f"应为列表（每项以 “- ” 开头），实际为{shown(value, ctx.raw(path))}"
            )
            return INVALID
        if self.limit == "recipients":
            limit, env_var = ctx.limits.max_recipients, ENV["max_recipients"]
        else:
            limit, env_var = ctx.limits.max_items, ENV["max_items"]
        if self.numbered and len(value) > MAX_NUMBERED:
            return too_many_numbered(value, path, ctx)
        if len(value) > limit:
            return too_long(value, path, ctx, limit, env_var)
        out = []
        for number, item in enumerate(value, 1):
            item_path = f"{path}[{number}]"
            if item is None:
                ctx.add("E101", item_path, "列表项是空的")
                continue
            result = self.item.check(item, item_path, ctx)
            if result is not ABSENT:
                out.append(item if result is INVALID else result)
        return out

    def keys(self, prefix: str) -> Iterator[str]:
        yield from self.item.keys(prefix + "[]")


class AutoOr(Spec):
    """``auto`` or the inner spec (a list); ``empty``: the message for an empty list."""

    def __init__(self, inner: Spec, *, default: Any = "auto", empty: str = ""):
        super().__init__(default=default)
        self.inner = inner
        self.empty = empty

    def check(self, value: Any, path: str, ctx: Ctx) -> Any:
        if isinstance(value, str):
            if nfkc(value).lower() == "auto":
                return "auto"
            if isinstance(self.inner, ListOf):
                ctx.add("E103", path, f"应为 auto 或列表，实际为{shown(value, ctx.raw(path))}")
                return INVALID
        if self.empty and isinstance(value, list) and not value:
            ctx.add("E102", path, self.empty)
            return INVALID
        return self.inner.check(value, path, ctx)

    def keys(self, prefix: str) -> Iterator[str]:
        return self.inner.keys(prefix)


class TextOrMap(Spec):
    """Text, or a mapping (``attachments`` entries, point items)."""

    def __init__(self, mapping: Map, text_key: str):
        super().__init__()
        self.mapping = mapping
        self.text_key = text_key

    def check(self, value: Any, path: str, ctx: Ctx) -> Any:
        if isinstance(value, dict):
            return self.mapping.check(value, path, ctx)
        if isinstance(value, list):
            ctx.add("E101", path, "应为文字或 “键: 值” 形式的映射，实际为列表")
            return INVALID
        text = Text().check(value, path, ctx)
        if text is INVALID or text is ABSENT:
            return text
        return {self.text_key: text}

    def keys(self, prefix: str) -> Iterator[str]:
        return self.mapping.keys(prefix)


# ------------------------------------------------------------------ the contract

LEVELS = kinds.LEVELS
KINDS = kinds.MEETING_KINDS
SCOPES = kinds.SCOPES
FROMS = {"accidents": "事故", "stats": "统计", "sectors": "行业领域", "responsibilities": "责任"}
RECIPIENT_TYPES = {"township": "乡镇", "department": "部门", "enterprise": "企业"}
RECIPIENT_ALIASES = {"乡镇": "township", "部门": "department", "企业": "enterprise"}
JOB_TYPES = {"speech": "讲话稿", "outline": "讲话提纲", "notice": "通知", "letter": "目标责任书"}
JOB_TYPE_ALIASES = {gloss: value for value, gloss in JOB_TYPES.items()}
KIND_ALIASES = {gloss: value for value, gloss in KINDS.items()}
SCOPE_ALIASES = {gloss: value for value, gloss in SCOPES.items()}


def quarter_of(date: dt.date) -> int:
    return (date.month - 1) // 3 + 1


def derive_quarter(date_key: str) -> Callable[[dict[str, Any], str, Ctx], None]:
    def post(out: dict[str, Any], path: str, ctx: Ctx) -> None:
        if "quarter" not in out and isinstance(out.get(date_key), dt.date):
            out["quarter"] = quarter_of(out[date_key])

    return post


def _check_hazards(out: dict[str, Any], path: str, ctx: Ctx) -> None:
    found, fixed = out.get("found"), out.get("fixed")
    if isinstance(found, int) and isinstance(fixed, int) and fixed > found:
        ctx.add(
            "E105",
            join_path(path, "fixed"),
            f"已整改隐患数（{fixed}）不能大于排查发现数（{found}）",
        )


def check_term(out: dict[str, Any], path: str, ctx: Ctx) -> None:
    start, end = out.get("start"), out.get("end")
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
        ctx.add("E105", join_path(path, "end"), f"结束日期 {end} 早于开始日期 {start}")


def _check_range(start_key: str, end_key: str) -> Callable[[dict[str, Any], str, Ctx], None]:
    def post(out: dict[str, Any], path: str, ctx: Ctx) -> None:
        start, end = out.get(start_key), out.get(end_key)
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            ctx.add("E105", join_path(path, end_key), f"结束日期 {end} 早于开始日期 {start}")

    return post


def _check_item(out: dict[str, Any], path: str, ctx: Ctx) -> None:
    if not any(key in out for key in ("from", "use", "text")):
        ctx.add("E102", path, "缺少内容：每项应有 from、use 或 text 之一")


INDICATORS = ("accidents", "deaths", "injured", "loss_wan")


def _check_indicators(out: dict[str, Any], path: str, ctx: Ctx) -> None:
    """The situation sentence needs one of the four indicators (``missing`` alone says nothing)."""
    if out and not any(out.get(key) is not None for key in INDICATORS):
        ctx.add("E102", path, f"缺少统计指标：至少填写 {'、'.join(INDICATORS)} 之一")


def _counts(post: Callable[[dict[str, Any], str, Ctx], None] | None = None) -> Map:
    return Map(
        {
            "accidents": Int(min=0),
            "deaths": Int(min=0),
            "injured": Int(min=0),
            "serious_injured": Int(min=0),
            "missing": Int(min=0),
            "loss_wan": Number(min=0),
        },
        post=post,
    )


def org_block(name_required: bool) -> Map:
    return Map(
        {
            "level": Enum(LEVELS, required=True),
            "name": Text(required=name_required),
            "parent": Text(),
            "short": Text(),
            "units": Text(),
            "office": Text(),
        },
        required=True,
    )


def accident_fields(required: bool) -> dict[str, Spec]:
    return {
        "date": Date(),
        "place": Text(required=required),
        "kind": Text(required=required),
        "site": Text(),
        "deaths": Int(min=0),
        "injured": Int(min=0),
        "serious_injured": Int(min=0),
        "missing": Int(min=0),
        "loss_wan": Number(min=0),
        "code": Text(),
        "scope": Enum(SCOPES, aliases=SCOPE_ALIASES),
    }


STATS = Map(
    {
        "period": Text(),
        "current": _counts(_check_indicators),
        "previous": _counts(),
        "hazards": Map(
            # the text states found, fixed and the rate: both are needed
            {
                "found": Int(min=0, required=True),
                "fixed": Int(min=0, required=True),
                "major": Int(min=0),
            },
            post=_check_hazards,
        ),
    }
)
ACCIDENTS = ListOf(Map(accident_fields(True)), default=[])
SECTORS = ListOf(
    Map(
        {
            "name": Text(required=True),
            "lead": Text(),
            "support": Names(default=[]),
            "checks": Names(default=[]),
            "text": Text(),
        }
    ),
    default=[],
    numbered=True,
)
POINT_ITEM = TextOrMap(
    Map(
        {"from": Enum(FROMS), "use": Text(), "text": Text(), "title": Text()},
        post=_check_item,
    ),
    "text",
)
POINTS = AutoOr(
    ListOf(
        Map(
            {
                "heading": Text(required=True),
                "items": ListOf(POINT_ITEM, numbered=True),
                "text": Text(),
            }
        ),
        numbered=True,
    ),
    empty="是空列表：写 auto 由程序安排要点，或至少写一个要点（heading）",
)


HISTORY = ListOf(
    Map(
        {
            "year": Int(min=1949, max=2100, what="年份", required=True),
            "accidents": Int(min=0),
            "deaths": Int(min=0),
            "injured": Int(min=0),
            "loss_wan": Number(min=0),
        },
        post=_check_indicators,
    ),
    default=[],
)
DUTY = Map(
    {
        "from": Date(),
        "to": Date(),
        "phone": Text(),
        "report_by": Date(),
        "report_to": Text(),
    },
    post=_check_range("from", "to"),
)
INSPECTION = Map(
    {"by": Text(required=True), "what": Text(required=True), "from": Date(), "to": Date()},
    post=_check_range("from", "to"),
)


def shared_blocks() -> dict[str, Spec]:
    return {
        "stats": STATS,
        "history": HISTORY,
        "accidents": ACCIDENTS,
        "sectors": SECTORS,
        "context": TextList(),
        "duty": DUTY,
        "fonts": FONTS,
    }


TYPE = Enum(JOB_TYPES, aliases=JOB_TYPE_ALIASES, required=True)

# The schema part of each document kind lives in its folder (speechgen/doctypes/<kind>/
# schema.py) and is built from the specs above; the four job schemas are gathered here,
# where the loader and the editor's form read them.
from ..doctypes.letter.schema import LETTER  # noqa: E402
from ..doctypes.letter.schema import RECIPIENT as RECIPIENT  # noqa: E402  (rows of CSV/XLSX)
from ..doctypes.notice.schema import NOTICE  # noqa: E402
from ..doctypes.speech.schema import SPEECH  # noqa: E402

SCHEMAS: dict[str, Map] = {"speech": SPEECH, "outline": SPEECH, "notice": NOTICE, "letter": LETTER}


def known_keys(job_type: str) -> set[str]:
    """Every key path a job type understands: ``meeting.date``, ``accidents[].deaths``.

    A notice's ``batch[]`` entries take the notice's own keys
    (``batch[].doc_number``). Unknown job types give an empty set.
    """
    schema = SCHEMAS.get(job_type)
    if schema is None:
        return set()
    keys = set(schema.keys(""))
    if job_type == "notice":
        keys |= {f"batch[].{key}" for key in keys if key not in ("type", "batch")}
    return keys
