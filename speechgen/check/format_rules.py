"""E300–E307 and W301–W303: the format contract of spec/FORMAT.md on a .docx.

Binding where FORMAT.md is binding (A4, margins ±1 mm, exact line spacing
for 22 lines a page, fonts and sizes per role, no theme fonts, odd/even page
numbers ``— 1 —`` from a PAGE field), lenient where a hand-written document
legitimately differs: any exact spacing that gives 22 lines (28–28.95 pt) and
single spacing on a 22-line document grid pass; 仿宋/仿宋_GB2312/方正仿宋_GBK
are all 仿宋; an indent made of two full-width spaces counts as an indent;
headings may be indented or not; Word auto-numbering is a warning.

Findings about many paragraphs are reported once, at the first paragraph,
with the count.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..writers.docx import FONT_PROFILES
from .docx_reader import DocxPackage, ParaInfo, paragraph_text
from .numbering import initial_marker
from .records import Record
from .registry import format_rule
from .textutil import HAN

_HAN_RE = re.compile(f"[{HAN}]")
TWIPS_PER_MM = 1440 / 25.4
TOL = 57  # ±1 mm

A4 = (11906, 16838)
MARGINS = {"top": 2098, "bottom": 1984, "left": 1587, "right": 1474}
MARGIN_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
SIDE_CN = {"top": "上", "bottom": "下", "left": "左", "right": "右"}

#: exact line heights (twips) that give 22 lines in the 225 mm 版心 (12756 twips)
TEXT_HEIGHT = 12756
LINE_MIN, LINE_MAX = TEXT_HEIGHT // 23 + 1, TEXT_HEIGHT // 22  # 555 … 579

SPACED_KINDS = frozenset(
    {"body", "heading", "closing", "salutation", "addressee", "attachment_note"}
)

ROLE_CN = {
    "title": "标题",
    "subtitle": "讲话人和日期行",
    "body": "正文",
    "closing": "正文",
    "salutation": "称呼",
    "addressee": "主送机关",
    "signature": "署名",
    "date": "成文日期",
    "attachment_label": "附件标识",
    "attachment_title": "附件标题",
    "attachment_note": "附件说明",
    "imprint": "版记",
    "doc-number": "发文字号",
    "table-cell": "表格",
    "mark": "发文机关标志",
}
FAMILY_CN = {
    "xbs": "方正小标宋简体",
    "hei": "黑体",
    "kai": "楷体_GB2312",
    "fs": "仿宋_GB2312",
    "song": "宋体",
}
_FAMILY_KEYS = (
    ("xbs", ("小标宋", "标宋", "xiaobiaosong", "fzxbs", "中宋", "zhongsong")),
    ("fs", ("仿宋", "fangsong", "fang song")),
    ("kai", ("楷", "kaiti", "kai ti")),
    ("hei", ("黑体", "simhei", "heiti", "黑")),
    ("song", ("宋体", "simsun", "nsimsun", "songti")),
)


def family_of(name: str) -> str | None:
    low = name.lower()
    for fam, keys in _FAMILY_KEYS:
        if any(k in low for k in keys):
            return fam
    return None


def role_of(rec: Record) -> str:
    if rec.kind == "heading":
        return f"heading{min(max(rec.level, 1), 4)}"
    return rec.kind


def role_cn(role: str) -> str:
    if role.startswith("heading"):
        return {"1": "一级标题", "2": "二级标题", "3": "三级标题", "4": "四级标题"}[role[-1]]
    return ROLE_CN.get(role, role)


ROLE_FONTS: dict[str, frozenset[str]] = {
    "title": frozenset({"xbs"}),
    "attachment_title": frozenset({"xbs"}),
    "mark": frozenset({"xbs"}),
    "subtitle": frozenset({"kai"}),
    "heading1": frozenset({"hei"}),
    "heading2": frozenset({"kai"}),
    "heading3": frozenset({"fs"}),
    "heading4": frozenset({"fs"}),
    "attachment_label": frozenset({"hei"}),
    "table-cell": frozenset({"fs", "hei"}),
}
_BODY_FONT = frozenset({"fs"})

ROLE_SIZES: dict[str, frozenset[int] | None] = {
    "title": frozenset({44}),
    "attachment_title": frozenset({32, 36, 44}),
    "mark": None,
    "imprint": frozenset({28}),
    "table-cell": frozenset({24, 28, 32}),
}
_BODY_SIZE = frozenset({32})
SIZE_CN = {
    44: "二号",
    36: "小二",
    32: "三号",
    30: "小三",
    28: "四号",
    24: "小四",
    21: "五号",
    18: "小五",
}


def _size_cn(sz: int) -> str:
    pt = sz / 2
    pts = f"{pt:g}磅"
    return f"{SIZE_CN[sz]}（{pts}）" if sz in SIZE_CN else pts


class _Agg:
    """One finding for many paragraphs: the first location and the count."""

    def __init__(self) -> None:
        self.items: dict[str, list[Any]] = {}

    def add(self, key: str, location: str, message: str) -> None:
        got = self.items.get(key)
        if got is None:
            self.items[key] = [location, 1, message]
        else:
            got[1] += 1

    def out(self) -> Iterator[tuple[str, str]]:
        for location, count, message in self.items.values():
            yield location, message + (f"（共{count}段，此处为第一段）" if count > 1 else "")


def _paras(pkg: DocxPackage, kinds=None) -> Iterator[tuple[Record, ParaInfo]]:
    for rec in pkg.records:
        if not rec.index or "para" not in rec.info:
            continue
        if kinds is not None and rec.kind not in kinds:
            continue
        yield rec, rec.info["para"]


def _pp(pkg: DocxPackage, info: ParaInfo) -> dict[str, Any]:
    if "pp" not in info.cache:
        info.cache["pp"] = pkg.styles.para_props(info.el)
    return info.cache["pp"]


def _attr(el, pkg: DocxPackage, name: str) -> int | None:
    if el is None:
        return None
    v = el.get(pkg.q(name))
    try:
        return int(float(v)) if v is not None else None
    except ValueError:
        return None


def _mm(tw: int) -> str:
    return f"{abs(tw) / TWIPS_PER_MM:.1f}".rstrip("0").rstrip(".") + "mm"


def _sect_label(pkg: DocxPackage, idx: int) -> str:
    return "页面设置" if len(pkg.sections) <= 1 else f"第{idx + 1}节页面设置"


# ------------------------------------------------------------------ page


@format_rule("E300", "纸张", "纸张为 A4（210×297 mm）纵向；附件表格可用 A4 横向。")
def page_size(pkg: DocxPackage) -> Iterator[tuple[str, str]]:
    if not pkg.sections:
        yield (
            "页面设置",
            "没有页面设置（w:sectPr），Word 会按默认纸张（可能是 Letter）排版，应为 A4",
        )
        return
    for s in pkg.sections:
        sz = s.el.find(pkg.q("pgSz"))
        w, h = _attr(sz, pkg, "w"), _attr(sz, pkg, "h")
        if w is None or h is None:
            yield _sect_label(pkg, s.index), "未设置纸张大小，应为 A4（210×297 mm）"
            continue
        portrait = abs(w - A4[0]) <= TOL and abs(h - A4[1]) <= TOL
        landscape = abs(w - A4[1]) <= TOL and abs(h - A4[0]) <= TOL
        if not (portrait or landscape):
            name = "Letter（216×279 mm）" if abs(w - 12240) <= TOL and abs(h - 15840) <= TOL else ""
            yield (
                _sect_label(pkg, s.index),
                f"纸张为{name or _mm(w) + '×' + _mm(h)}，应为 A4（210×297 mm）",
            )


@format_rule(
    "E301",
    "页边距",
    "页边距：上 37 mm、下 35 mm、左 28 mm、右 26 mm（版心 156×225 mm），误差 ±1 mm。",
)
def margins(pkg: DocxPackage) -> Iterator[tuple[str, str]]:
    for s in pkg.sections:
        sz = s.el.find(pkg.q("pgSz"))
        w, h = _attr(sz, pkg, "w"), _attr(sz, pkg, "h")
        if w is not None and h is not None and w > h:
            continue  # a landscape attachment page
        mar = s.el.find(pkg.q("pgMar"))
        if mar is None:
            yield _sect_label(pkg, s.index), "未设置页边距，应为上37mm 下35mm 左28mm 右26mm"
            continue
        bad = []
        for side, want in MARGINS.items():
            got = _attr(mar, pkg, side)
            if got is None or abs(abs(got) - want) > TOL:
                bad.append(
                    f"{SIDE_CN[side]}{_mm(got) if got is not None else '未设置'}（应为{MARGIN_MM[side]}mm）"
                )
        if bad:
            yield _sect_label(pkg, s.index), "页边距不符：" + "，".join(bad)


@format_rule(
    "W303",
    "字符网格",
    "不要用 docGrid charSpace 字符网格控制每行字数：LibreOffice 中每行只排约 14 字。",
)
def char_grid(pkg: DocxPackage) -> Iterator[tuple[str, str]]:
    for s in pkg.sections:
        g = s.el.find(pkg.q("docGrid"))
        if g is None:
            continue
        typ = g.get(pkg.q("type"))
        cs = _attr(g, pkg, "charSpace")
        if typ in ("linesAndChars", "snapToChars") and cs:
            yield (
                _sect_label(pkg, s.index),
                f"使用了字符网格（docGrid type={typ} charSpace={cs}），在 LibreOffice 中每行只排约14字",
            )


# ------------------------------------------------------------------ paragraphs


def _grid_lines(pkg: DocxPackage, info: ParaInfo) -> bool:
    """Single spacing snapped to a 22-line document grid also gives 22 lines."""
    if not pkg.sections:
        return False
    s = pkg.sections[min(info.section, len(pkg.sections) - 1)]
    g = s.el.find(pkg.q("docGrid"))
    if g is None or g.get(pkg.q("type")) not in ("lines", "linesAndChars", "snapToChars"):
        return False
    pitch = _attr(g, pkg, "linePitch")
    return pitch is not None and LINE_MIN <= pitch <= LINE_MAX


@format_rule(
    "E302",
    "行距",
    "正文和各级标题用固定行距 28.95 磅（w:line=579 exact），每页 22 行；能排出 22 行的固定值（28–28.95 磅）也可。",
)
def line_spacing(pkg: DocxPackage) -> Iterator[tuple[str, str]]:
    agg = _Agg()
    for rec, info in _paras(pkg, SPACED_KINDS):
        pp = _pp(pkg, info)
        line, rule = pp["line"], pp["lineRule"]
        if rule == "exact" and line is not None and LINE_MIN <= line <= LINE_MAX:
            continue
        if (
            rule in (None, "auto")
            and (line in (None, 240))
            and pp["snap"]
            and _grid_lines(pkg, info)
        ):
            continue
        if line is None:
            got = "单倍行距（未设置）"
        elif rule in (None, "auto"):
            got = "单倍行距（自动）" if line == 240 else f"{line / 240:g}倍行距（自动）"
        elif rule == "atLeast":
            got = f"最小值{line / 20:g}磅"
        else:
            lines = TEXT_HEIGHT // line if line > 0 else 0
            got = f"固定值{line / 20:g}磅（每页{lines}行）"
        agg.add(got, rec.location, f"行距为{got}，应为固定值28.95磅（每页22行）")
    yield from agg.out()


def _first_line(pp: dict[str, Any]) -> tuple[str, int]:
    """('chars', hundredths of a character) or ('twips', n); negative for hanging."""
    if pp["hangingChars"]:
        return "chars", -pp["hangingChars"]
    if pp["hanging"]:
        return "twips", -pp["hanging"]
    if pp["firstLineChars"] is not None:
        return "chars", pp["firstLineChars"]
    return "twips", pp["firstLine"] or 0


@format_rule(
    "E306",
    "缩进与对齐",
    "正文首行缩进两字（w:firstLineChars=200）；标题、讲话人和日期行居中；称呼、主送机关顶格。",
)
def indents(pkg: DocxPackage) -> Iterator[tuple[str, str]]:
    agg = _Agg()
    for rec, info in _paras(pkg):
        kind = rec.kind
        pp = _pp(pkg, info)
        unit, val = _first_line(pp)
        two = (unit == "chars" and 180 <= val <= 220) or (unit == "twips" and 560 <= val <= 700)
        if kind in ("body", "closing", "attachment_note"):
            if two or rec.text.startswith(("\u3000\u3000", "    ")):
                continue
            if unit == "chars" and val:
                got = f"首行缩进{val / 100:g}字"
            elif val < 0:
                got = "悬挂缩进"
            elif val:
                got = f"首行缩进{val / 20:g}磅"
            else:
                got = "首行未缩进"
            agg.add(f"indent:{got}", rec.location, f"正文{got}，应首行缩进两字")
        elif kind in ("title", "subtitle", "attachment_title"):
            if pp["jc"] not in ("center", "distribute"):
                agg.add(f"center:{kind}", rec.location, f"{ROLE_CN[kind]}应居中")
        elif kind in ("salutation", "addressee"):
            if (
                val > 0
                and not (unit == "chars" and val < 50)
                and not (unit == "twips" and val < 100)
            ):
                agg.add("flush", rec.location, f"{ROLE_CN[kind]}应顶格，不缩进")
    yield from agg.out()


@format_rule(
    "W302",
    "自动编号",
    "段落用了 Word 自动编号（w:numPr）：编号不在文字中，序号无法核对；公文的层次序号应直接写在文字里。",
)
def auto_numbering(pkg: DocxPackage) -> Iterator[tuple[str, str]]:
    agg = _Agg()
    for rec, info in _paras(pkg):
        if info.in_table:
            continue
        if _pp(pkg, info)["numbered"]:
            agg.add(
                "numPr",
                rec.location,
                "使用了 Word 自动编号（w:numPr），编号不在文字中，无法核对序号",
            )
    yield from agg.out()


# ------------------------------------------------------------------ runs


def _run_items(pkg: DocxPackage, info: ParaInfo) -> Iterator[tuple[int, str, dict[str, Any]]]:
    """(offset in the paragraph, text, resolved run properties) of each run."""
    if "runs" not in info.cache:
        items = []
        offset = 0
        for r, t in info.runs:
            items.append((offset, t, pkg.styles.run_props(r, info.el)))
            offset += len(t)
        info.cache["runs"] = items
    yield from info.cache["runs"]


def _lead_end(text: str) -> int:
    """End of an inline item title (一是排查整治不能停。) that may use a heading font."""
    m = initial_marker(text)
    if m is None:
        return 0
    k = text.find("。", m.end)
    return k + 1 if k >= 0 else 0


@format_rule(
    "E303",
    "字体",
    "标题方正小标宋简体，正文仿宋_GB2312，一级标题黑体，二级标题楷体_GB2312，三、四级标题仿宋，讲话人和日期行楷体（按字体类别判断，仿宋/方正仿宋_GBK 都算仿宋）。",
)
def fonts(pkg: DocxPackage) -> Iterator[tuple[str, str]]:
    agg = _Agg()
    for rec, info in _paras(pkg):
        role = role_of(rec)
        if role in ("textbox",):
            continue
        want = ROLE_FONTS.get(role, _BODY_FONT)
        if info.header_row:
            want = frozenset({"hei", "fs"})
        lead = _lead_end(rec.text) if role in ("body", "closing") else 0
        for offset, text, rp in _run_items(pkg, info):
            if not _HAN_RE.search(text):
                continue
            ea = rp["fonts"]["eastAsia"]
            if ea is None or ea[0] == "theme":
                continue  # W301 / E304
            fam = family_of(ea[1])
            ok = want | ({"hei", "kai"} if offset < lead else frozenset())
            if fam in ok:
                continue
            need = "或".join(FAMILY_CN[f] for f in sorted(want))
            agg.add(
                f"{role}:{ea[1]}",
                rec.location,
                f"{role_cn(role)}字体应为{need}，实际为“{ea[1]}”",
            )
            break
    yield from agg.out()


@format_rule(
    "W301",
    "字体槽不全",
    "每个文字块都应设置 w:ascii、w:hAnsi、w:eastAsia、w:cs 四种字体（含样式继承）；缺少的由主题或程序默认字体替代。",
)
def font_slots(pkg: DocxPackage) -> Iterator[tuple[str, str]]:
    agg = _Agg()
    for rec, info in _paras(pkg):
        missing: set[str] = set()
        for _o, text, rp in _run_items(pkg, info):
            if not text.strip():
                continue
            missing |= {k for k, v in rp["fonts"].items() if v is None}
        if missing:
            slots = "、".join(s for s in ("ascii", "hAnsi", "eastAsia", "cs") if s in missing)
            agg.add(slots, rec.location, f"文字未设置 {slots} 字体（样式中也没有）")
    yield from agg.out()


_THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")


@format_rule(
    "E304",
    "主题字体",
    "样式、docDefaults 和正文中不能有主题字体属性（asciiTheme、eastAsiaTheme 等）：主题字体优先于指定字体，中文电脑上会显示为等线。",
)
def theme_fonts(pkg: DocxPackage) -> Iterator[tuple[str, str]]:
    parts: list[tuple[str, Any]] = [(pkg.main, pkg.document)]
    if pkg.styles_root is not None:
        parts.append(("word/styles.xml", pkg.styles_root))
    numbering = pkg._rel_target("numbering")
    if numbering:
        root = pkg._xml(numbering)
        if root is not None:
            parts.append((numbering, root))
    for _typ, name, root in pkg.header_footer_parts():
        parts.append((name, root))
    for name, root in parts:
        count = 0
        example = ""
        for rf in root.iter(pkg.q("rFonts")):
            attrs = [(a, rf.get(pkg.q(a))) for a in _THEME_ATTRS if rf.get(pkg.q(a))]
            if not attrs:
                continue
            count += 1
            if not example:
                where = _where(pkg, rf)
                example = f"{where}：" + "，".join(f"{a}={v}" for a, v in attrs)
        if count:
            yield name, f"有{count}处主题字体（如{example}），应删除 *Theme 属性，写明字体名"


def _where(pkg: DocxPackage, el) -> str:
    for anc in el.iterancestors():
        local = anc.tag.split("}")[-1] if isinstance(anc.tag, str) else ""
        if local == "docDefaults":
            return "docDefaults"
        if local == "style":
            return f"样式 {anc.get(pkg.q('styleId'))}"
        if local == "p":
            text, _ = paragraph_text(anc, pkg.w)
            return f"段落「{text[:10]}」" if text else "段落"
    return "文档"


@format_rule(
    "E305",
    "字号",
    "标题二号（22 磅），正文、各级标题、讲话人和日期行三号（16 磅），版记四号（14 磅），表格四号或小四。",
)
def sizes(pkg: DocxPackage) -> Iterator[tuple[str, str]]:
    agg = _Agg()
    for rec, info in _paras(pkg):
        role = role_of(rec)
        if role == "textbox":
            continue
        want = ROLE_SIZES.get(role, _BODY_SIZE)
        if want is None:
            continue
        for _o, text, rp in _run_items(pkg, info):
            if not text.strip():
                continue
            sz = rp["sz"]
            if sz in want:
                continue
            need = "或".join(_size_cn(s) for s in sorted(want, reverse=True))
            agg.add(
                f"{role}:{sz}", rec.location, f"{role_cn(role)}字号应为{need}，实际为{_size_cn(sz)}"
            )
            break
    yield from agg.out()


# ------------------------------------------------------------------ page numbers

_DASHES_BAD = re.compile(r"[-－–‐‑―]")


@format_rule(
    "E307",
    "页码",
    "页码为“— 1 —”（一字线 U+2014，PAGE 域，四号宋体），奇偶页不同：奇数页居右、偶数页居左。",
)
def page_numbers(pkg: DocxPackage) -> Iterator[tuple[str, str]]:
    refs: dict[str, str] = {}
    for s in pkg.sections:
        for fr in s.el.findall(pkg.q("footerReference")):
            typ = fr.get(pkg.q("type")) or "default"
            rid = fr.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
            if rid is None:
                rid = next((v for k, v in fr.attrib.items() if k.endswith("}id")), None)
            refs.setdefault(typ, rid or "")
    if "default" not in refs and "even" not in refs:
        yield "页码", "没有页码（没有页脚），应在页脚用 PAGE 域排“— 1 —”"
        return
    even_odd = False
    if pkg.settings is not None:
        e = pkg.settings.find(pkg.q("evenAndOddHeaders"))
        even_odd = e is not None and e.get(pkg.q("val")) not in ("0", "false", "off")
    if not even_odd:
        yield "页码", "未设置奇偶页不同（w:evenAndOddHeaders），偶数页页码无法居左"
    if "even" not in refs:
        yield "页码", "没有偶数页页脚，偶数页页码应居左"
    for typ in ("default", "even"):
        if typ not in refs:
            continue
        name, root = pkg.part_for(refs[typ])
        label = "奇数页页脚" if typ == "default" else "偶数页页脚"
        if root is None:
            yield "页码", f"{label}的部件缺失或无法读取"
            continue
        yield from _check_footer(pkg, root, label, "right" if typ == "default" else "left")


def _check_footer(pkg: DocxPackage, root, label: str, jc_want: str) -> Iterator[tuple[str, str]]:
    q = pkg.q
    field_p = None
    for p in root.iter(q("p")):
        instr = "".join(x.text or "" for x in p.iter(q("instrText")))
        instr += " ".join(x.get(q("instr")) or "" for x in p.iter(q("fldSimple")))
        if re.search(r"\bPAGE\b", instr):
            field_p = p
            break
    if field_p is None:
        texts = "".join(paragraph_text(p, pkg.w)[0] for p in root.iter(q("p")))
        if texts.strip():
            yield (
                label,
                f"页码不是 PAGE 域（页脚文字为“{texts.strip()[:12]}”），每页会显示同一个数字",
            )
        else:
            yield label, "页脚中没有页码（PAGE 域）"
        return
    text, runs = paragraph_text(field_p, pkg.w)
    t = text.strip()
    if _DASHES_BAD.search(t) and "—" not in t:
        yield label, f"页码“{t}”两侧应为一字线“—”（U+2014），不是连字符"
    elif not re.search(r"—\s*\S*\s*—", t):
        yield label, f"页码“{t}”应为“— 1 —”的形式（一字线、空格、页码、空格、一字线）"
    in_box = (
        any(
            isinstance(a.tag, str) and a.tag.split("}")[-1] in ("txbxContent", "framePr")
            for a in field_p.iterancestors()
        )
        or field_p.find(f"{q('pPr')}/{q('framePr')}") is not None
    )
    if not in_box:
        jc = pkg.styles.para_props(field_p)["jc"] or "left"
        jc = {"end": "right", "start": "left", "both": "left"}.get(jc, jc)
        if jc != jc_want:
            want = "居右" if jc_want == "right" else "居左"
            got = {"center": "居中", "right": "居右", "left": "居左"}.get(jc, jc)
            yield label, f"页码{got}，应{want}（奇数页居右、偶数页居左，各空一字）"
    for r, rt in runs:
        if not rt.strip():
            continue
        sz = pkg.styles.run_props(r, field_p)["sz"]
        if sz != 28:
            yield label, f"页码字号应为四号（14磅），实际为{_size_cn(sz)}"
            break


# ------------------------------------------------------------------ font profiles


def used_fonts(pkg: DocxPackage) -> list[str]:
    """The East Asian font names of the document's Chinese text, in order of first use."""
    seen: dict[str, None] = {}
    for _rec, info in _paras(pkg):
        for _o, text, rp in _run_items(pkg, info):
            ea = rp["fonts"]["eastAsia"]
            if ea is None or ea[0] == "theme" or not _HAN_RE.search(text):
                continue
            seen.setdefault(ea[1], None)
    return list(seen)


def profiles_of(names: list[str]) -> dict[str, list[str]]:
    """Profile → the names of ``names`` that only that profile uses (仿宋_GB2312 is
    gb2312's, 方正仿宋_GBK gbk's, 仿宋 windows'; 黑体 or 宋体 tell nothing)."""
    out: dict[str, list[str]] = {}
    for name in names:
        owners = [p for p, fs in FONT_PROFILES.items() if name in fs.names()]
        if len(owners) == 1:
            out.setdefault(owners[0], []).append(name)
    return out


def font_profile(pkg: DocxPackage) -> tuple[str | None, list[str]]:
    """The font profile (spec/FORMAT.md v2) the document is written to, or None when
    its fonts fit none or several, and the font names found."""
    names = used_fonts(pkg)
    found = profiles_of(names)
    return (next(iter(found)) if len(found) == 1 else None), names


@format_rule(
    "W304",
    "混用字体方案",
    "全文应使用同一种字体方案（gb2312：仿宋_GB2312 等；gbk：方正仿宋_GBK 等；windows：仿宋、楷体等），不要混用。",
)
def mixed_profiles(pkg: DocxPackage) -> Iterator[tuple[str, str]]:
    found = profiles_of(used_fonts(pkg))
    if len(found) > 1:
        parts = "；".join(f"{p}（{'、'.join(names)}）" for p, names in found.items())
        yield "", f"混用了多种字体方案：{parts}"
