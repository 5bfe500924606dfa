"""Running the rules: on a model document, a .docx, a YAML input, or a list of paths."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import ERROR, WARNING, Finding
from ..memo import Memo
from ..model import Document

# the rules over a model's text register on import; the .docx format rules and the
# .docx reader (lxml) are imported by check_docx only: render's gate never needs them
from . import consistency, numbering, placeholders, punctuation, situation_rules  # noqa: F401
from .context import Context, infer_context
from .records import Record, records_from_document
from .registry import RULES, rules_for_text, rules_of

DOCX_SUFFIXES = (".docx",)
YAML_SUFFIXES = (".yaml", ".yml")


def _internal(path: str, location: str, code: str, exc: BaseException) -> Finding:
    return Finding(
        path,
        location,
        WARNING,
        "W299",
        f"检查规则 {code} 出错（{exc.__class__.__name__}：{str(exc)[:80]}），该项未检查；请报告此问题",
    )


# Paragraph rules read only the text, its kind and the document's context, so
# their results are memoised: a batch of letters repeats most paragraphs, and
# only the recipient's own lines are checked afresh. The memo is one table per
# context (a batch has one), keyed on the text and the kind.
_PARA_CACHE: dict[tuple, Memo[tuple[str, str], tuple[tuple[str, str, str], ...]]] = {}
_PARA_CACHE_MAX = 1024  # a batch shares a few dozen; small, so peak memory is reached early
_PARA_CONTEXTS_MAX = 64  # contexts whose tables are kept (a batch has one)


def _ctx_key(ctx: Context, yaml: bool) -> tuple:
    """What the paragraph rules read of the context (the part of the memo's key
    that is the same for every paragraph of a document)."""
    return (yaml, ctx.source, ctx.year, ctx.date, ctx.quarter, ctx.level, ctx.level_clear)


def _para_table(ctx_key: tuple) -> Memo[tuple[str, str], tuple[tuple[str, str, str], ...]]:
    table = _PARA_CACHE.get(ctx_key)
    if table is None:
        if len(_PARA_CACHE) >= _PARA_CONTEXTS_MAX:
            _PARA_CACHE.clear()
        table = _PARA_CACHE[ctx_key] = Memo(_PARA_CACHE_MAX)
    return table


def _para_results(
    rec: Record, ctx: Context, yaml: bool, table: Memo | None = None
) -> tuple[tuple[str, str, str], ...]:
    if table is None:
        table = _para_table(_ctx_key(ctx, yaml))
    text = rec.text
    key = (text, rec.kind)
    hit = table.get(key)
    if hit is None:
        hit = table.recall(key)
    if hit is not None:
        return hit
    out: list[tuple[str, str, str]] = []
    for rule in rules_for_text(rec.kind, yaml, text):  # those whose needs the text meets
        try:
            for msg in rule.func(rec, ctx):  # type: ignore[misc]
                out.append((rule.severity, rule.code, msg))
        except Exception as e:  # noqa: BLE001 - a rule bug becomes a finding, not a traceback
            f = _internal("", "", rule.code, e)
            out.append((f.severity, f.code, f.message))
    return table.keep(key, tuple(out))


def run_para_rules(rec: Record, ctx: Context, path: str, yaml: bool = False) -> list[Finding]:
    """The paragraph rules' findings on one record, located at it."""
    return [
        Finding(path, rec.location, sev, code, msg, rec.key)
        for sev, code, msg in _para_results(rec, ctx, yaml)
    ]


def check_records(records: list[Record], ctx: Context, path: str) -> list[Finding]:
    """Paragraph rules and sequence rules, in reading order."""
    keyed: list[tuple[int, int, Finding]] = []
    seq = 0
    table = _para_table(_ctx_key(ctx, False))
    for i, rec in enumerate(records):
        kind = rec.kind
        if kind == "empty":
            continue
        held = rec.para_found
        if held is not None and held[0] is table:  # a shared record, read in this context
            found = held[1]
        else:
            found = _para_results(rec, ctx, False, table)
            # the table itself marks the context: the record holds it, so it is never
            # another table at the same address
            rec.para_found = (table, found)
        for sev, code, msg in found:
            keyed.append((i, seq, Finding(path, rec.location, sev, code, msg, rec.key)))
            seq += 1
    order: dict[int, int] | None = None  # a record's place, for the sequence rules' findings
    for rule in rules_of("doc"):
        try:
            for rec, msg in rule.func(records, ctx):  # type: ignore[misc]
                if order is None:
                    order = {id(r): i for i, r in enumerate(records)}
                keyed.append(
                    (
                        order.get(id(rec), len(records)),
                        seq,
                        Finding(path, rec.location, rule.severity, rule.code, msg, rec.key),
                    )
                )
                seq += 1
        except Exception as e:  # noqa: BLE001
            keyed.append((len(records), seq, _internal(path, "", rule.code, e)))
            seq += 1
    if not keyed:
        return []
    keyed.sort(key=lambda t: (t[0], t[1]))
    return _dedupe(f for _i, _s, f in keyed)


def _dedupe(findings: Iterable[Finding]) -> list[Finding]:
    seen: set[Finding] = set()
    out: list[Finding] = []
    for f in findings:
        if f not in seen:
            seen.add(f)
            out.append(f)
    return out


def _given(doc: Document) -> dict:
    meta = doc.meta if isinstance(doc.meta, dict) else {}
    given: dict = {}
    for k in ("date", "level", "quarter", "year"):
        if k in meta:
            given[k] = meta[k]
    if "level" not in given:
        for k in ("org_level", "org.level"):
            if k in meta:
                given["level"] = meta[k]
    for k in ("quarter", "year"):
        v = given.get(k)
        if isinstance(v, str) and v.strip().isdigit():
            given[k] = int(v)
    return given


def check_document(doc: Document) -> list[Finding]:
    """Text, numbering and consistency rules over a model document (before writing)."""
    path = f"{getattr(doc, 'name', '') or '文档'}.docx"
    try:
        records = records_from_document(doc)
        ctx = infer_context(records, _given(doc), source="model")
    except Exception as e:  # noqa: BLE001
        return [_internal(path, "", "读取模型", e)]
    if not any(r.index for r in records):
        return [Finding(path, "", ERROR, "E202", "文档中没有文字")]
    return check_records(records, ctx, path)


def check_docx(path: str | Path, shown: str | None = None, formats: bool = True) -> list[Finding]:
    """All rules on one .docx, written by speechgen or by hand (never raises for a bad file)."""
    from . import format_rules  # noqa: F401, PLC0415 - registers the format rules
    from .docx_reader import DocxPackage, ReadProblem  # noqa: PLC0415

    shown = shown if shown is not None else str(path)
    try:
        pkg = DocxPackage(path)
    except ReadProblem as e:
        return [Finding(shown, "", ERROR, "E201", str(e))]
    except Exception as e:  # noqa: BLE001 - whatever a damaged file does to zipfile/lxml
        return [
            Finding(shown, "", ERROR, "E201", f"无法读取该 .docx 文件（{e.__class__.__name__}）")
        ]
    out: list[Finding] = [
        Finding(shown, "", ERROR, "E201", f"部分内容无法读取：{n}") for n in pkg.notes
    ]
    records = pkg.records
    if not any(r.index for r in records):
        out.append(Finding(shown, "", ERROR, "E202", "文档中没有文字"))
    else:
        try:
            ctx = infer_context(records, source="docx")
        except Exception as e:  # noqa: BLE001
            ctx = Context()
            out.append(_internal(shown, "", "上下文", e))
        out.extend(check_records(records, ctx, shown))
    if formats:
        for rule in sorted(rules_of("format"), key=lambda r: r.code):
            try:
                for location, msg in rule.func(pkg):  # type: ignore[misc]
                    out.append(Finding(shown, location, rule.severity, rule.code, msg))
            except Exception as e:  # noqa: BLE001
                out.append(_internal(shown, "", rule.code, e))
    try:
        pkg.zip.close()
    except Exception:  # noqa: BLE001
        pass
    return _dedupe(out)


def _expand(paths: Iterable[str | Path]) -> list[tuple[Path, str]]:
    out: list[tuple[Path, str]] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = sorted(
                f
                for f in path.rglob("*")
                if f.is_file()
                and f.suffix.lower() in DOCX_SUFFIXES + YAML_SUFFIXES
                and not f.name.startswith(("~$", "."))
            )
            out.extend((f, str(f)) for f in found)
        else:
            out.append((path, str(p)))
    return out


def check_paths(paths: Iterable[str | Path]) -> list[Finding]:
    """Dispatch by suffix: .docx, .yaml/.yml; anything else is E200. Never raises for a bad file."""
    findings: list[Finding] = []
    for path, shown in _expand(paths):
        suffix = path.suffix.lower()
        if not path.exists():
            findings.append(Finding(shown, "", ERROR, "E201", "文件不存在"))
        elif suffix in DOCX_SUFFIXES:
            findings.extend(check_docx(path, shown))
        elif suffix in YAML_SUFFIXES:
            from .yaml_check import check_yaml  # noqa: PLC0415

            findings.extend(check_yaml(path, shown))
        else:
            hint = (
                "（请在 Word/WPS 中另存为 .docx）"
                if suffix in (".doc", ".wps", ".rtf", ".odt")
                else ""
            )
            findings.append(
                Finding(
                    shown,
                    "",
                    ERROR,
                    "E200",
                    f"不支持的文件类型“{suffix or '无扩展名'}”：只检查 .docx 和 .yaml/.yml{hint}",
                )
            )
    return findings


INFO = "信息"


def font_profile_notes(paths: Iterable[str | Path]) -> list[Finding]:
    """One ``信息 I300`` line per readable .docx: the font profile it is written to
    (gb2312, gbk, windows; spec/FORMAT.md v2) and the fonts found."""
    from .docx_reader import DocxPackage  # noqa: PLC0415
    from .format_rules import font_profile  # noqa: PLC0415

    out: list[Finding] = []
    for path, shown in _expand(paths):
        if path.suffix.lower() not in DOCX_SUFFIXES or not path.is_file():
            continue
        try:
            pkg = DocxPackage(path)
            profile, names = font_profile(pkg)
        except Exception:  # noqa: BLE001 - an unreadable file is E201 elsewhere
            continue
        fonts = "、".join(names) or "无"
        if profile:
            msg = f"字体方案：{profile}（{fonts}）"
        else:
            msg = f"字体方案：无法确定为 gb2312、gbk 或 windows 中的一种（{fonts}）"
        out.append(Finding(shown, "", INFO, "I300", msg))
    return out


def format_findings(findings: Iterable[Finding], fmt: str = "text") -> str:
    """``text``: one line per finding, ``PATH:LOCATION: 错误|警告 CODE 说明``; ``json``: a list of objects."""
    items = list(findings)
    if fmt == "json":
        import json  # --format json only

        return json.dumps([f.as_dict() for f in items], ensure_ascii=False, indent=2)
    if fmt != "text":
        raise ValueError(f"unknown format: {fmt}")
    return "\n".join(str(f) for f in items)


def summarize(findings: Iterable[Finding]) -> str:
    """``共检查出 3 个错误、2 个警告`` (for the command line)."""
    items = list(findings)
    errors = sum(1 for f in items if f.severity == ERROR)
    warnings = len(items) - errors
    if not items:
        return "未发现问题"
    return f"共 {errors} 个错误、{warnings} 个警告"


__all__ = [
    "RULES",
    "check_document",
    "check_docx",
    "check_paths",
    "font_profile_notes",
    "format_findings",
    "summarize",
]
