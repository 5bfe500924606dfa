"""E240–E245, W240: a speech or outline that contradicts its own situation.

The same facts the composer decides by (research/situation.md), read back from
any text, generated or hand-written:

- E240: praise or 平稳/向好 in a document whose own figures rose (事故起数 or
  死亡人数 同比上升/增加, 不降反升);
- E241: a seasonal or holiday word whose window lies wholly behind the
  document's date, or far beyond the horizon it speaks for (the calendar is
  :mod:`speechgen.calendar`: :data:`~speechgen.calendar.WORDS`,
  :func:`~speechgen.calendar.horizon`, :func:`~speechgen.calendar.windows`);
  retrospective sentences (去年, 以来, 期间……发生了) are not forward claims;
- E242: a level's self-word or sub-units in another level's document (我县 in
  a 全市 document, 各村（社区） as the addressees of a county meeting, 各乡镇 in
  a prefecture-level city's);
- E243: a county's words in a company document (经济社会发展大局, 属地管理);
- E244: 执法 or 新闻发布 assigned by a township (it has neither);
- E245: a level prefix glued onto a collective noun (区各镇街, 镇各村);
- W240: a level-1 or level-2 heading none of whose key words appears in the
  part under it (a heuristic: a person must look).

Only speeches and outlines are read (a title with 讲话/提纲/发言, or no title
and a 同志们); a rule that needs a value the document does not reveal (its
date, its level, its figures) says nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .context import Context
from .records import FLOW_KINDS, Record
from .registry import doc_rule
from .textutil import snippet

#: record kinds whose text is the running speech
TEXT_KINDS = FLOW_KINDS | {"title"}
_SENTENCE = re.compile(r"[^。！？；!?;]+[。！？；!?;]*")
_SPEECH_TITLE = re.compile(r"讲话|提纲|发言|致辞")


def _is_speech(records: list[Record], ctx: Context) -> bool:
    if ctx.title:
        return bool(_SPEECH_TITLE.search(ctx.title))
    return any(
        r.kind == "salutation" or (r.kind in FLOW_KINDS and "同志们" in r.text) for r in records
    )


def _flow(records: list[Record]) -> list[Record]:
    return [r for r in records if r.kind in FLOW_KINDS]


def sentences(text: str) -> Iterator[tuple[int, str]]:
    """(offset, sentence) of each sentence of ``text`` (split at 。！？；)."""
    for m in _SENTENCE.finditer(text):
        yield m.start(), m.group(0)


# --------------------------------------------------------------------------- E240

#: the document's own scope (its figures), and another's (全国 figures are not its own)
_OWN = re.compile(r"[全我本][县区市镇乡旗]|全公司|我司|我公司|本公司|全司|全厂|我厂")
_OTHER = re.compile(r"全国|全省|国内|省内|周边|各地|兄弟|外地|全世界|全球")
_INDICATOR = re.compile(r"(事故起数|起数|事故|亡人|死亡人数|死亡|伤亡|受伤|经济损失|损失|隐患)")
_COMPARE = r"(?:同比|比去年同期|较去年同期|比上年同期|较上年同期|与去年同期相比|比去年|较去年|比上年|较上年)"
_UP = re.compile(
    _COMPARE + r"[^，,。；;]{0,6}?(上升|增加|增长|攀升|增多)|不降反升|双上升|“双升”|全面上升"
)
_NOT_UP = re.compile(
    r"(遏制|扭转|防止|杜绝|避免|控制)[^，。；]{0,8}(上升|增加|增长)|(未|没有|不)(上升|增加|增长)"
)
_SUBJECTS = {"accidents": "事故起数", "deaths": "死亡人数"}


@dataclass(frozen=True)
class Rise:
    record: Record
    what: str  # 事故起数 / 死亡人数 / 事故起数、死亡人数
    phrase: str


def _kind(word: str) -> str:
    if word in ("事故起数", "起数", "事故"):
        return "accidents"
    if word in ("死亡人数", "死亡", "亡人", "伤亡"):
        return "deaths"
    return "other"


def _subjects(clause: str) -> list[str]:
    """The indicators a clause's verb speaks of: the last one named before it and those
    enumerated with it (事故起数、死亡人数和经济损失不降反升); injuries, loss and hazards
    are ``other``."""
    found = list(_INDICATOR.finditer(clause))
    if not found:
        return []
    out = [_kind(found[-1].group(1))]
    for prev, cur in zip(reversed(found[:-1]), reversed(found[1:]), strict=True):
        if not re.fullmatch(r"[、和及与,，\s]{1,2}|以及", clause[prev.end() : cur.start()]):
            break
        out.insert(0, _kind(prev.group(1)))
    return out


def rises(records: list[Record]) -> list[Rise]:
    """The statements that the document's own 事故起数 or 死亡人数 rose."""
    out: list[Rise] = []
    for rec in _flow(records):
        scope_own = True  # a paragraph without a scope word speaks of the document's own area
        for _, sent in sentences(rec.text):
            if _OWN.search(sent):
                scope_own = True
            elif _OTHER.search(sent):
                scope_own = False
            if not scope_own:
                continue
            prev_clause = ""
            for clause in re.split(r"[，,：:]", sent):
                m = _UP.search(clause)
                if not m or _NOT_UP.search(clause):
                    prev_clause = clause
                    continue
                head = clause[: m.start()]
                subj = _subjects(head)
                if not subj and m.group(0) not in ("不降反升", "双上升", "“双升”"):
                    # 发生事故15起、死亡8人，同比分别上升25%和33%
                    subj = _subjects(prev_clause)
                    if "分别" in clause:
                        subj = [_kind(x.group(1)) for x in _INDICATOR.finditer(prev_clause)]
                elif m.group(0) in ("不降反升", "双上升", "“双升”", "全面上升") and not subj:
                    subj = ["accidents", "deaths"]
                hit = [s for s in dict.fromkeys(subj) if s in _SUBJECTS]
                if hit:
                    out.append(Rise(rec, "、".join(_SUBJECTS[s] for s in hit), clause.strip()))
                prev_clause = clause
    return out


_PRAISE = re.compile(
    r"成绩来之不易|来之不易|成绩的取得|这些成绩|取得了?[^，。；]{0,6}(?:成绩|成效)|肯定成绩"
    r"|感谢|谢意|慰问|问候"
    r"|总体平稳|平稳向好|持续向好|稳中向好|总体向好|向好|明显好转|持续好转|稳定好转|进一步好转|好转"
    r"|总体稳定|基本稳定|平稳"
)
#: a goal (保持……向好) or a hedge (稳中向好的基础还不牢固) is not a claim
_GOAL = re.compile(
    r"(促进|确保|保持|推动|推进|实现|力争|努力|争取|促使|维护|巩固|全力|为|以|保障|迎接|营造|即使|如果|才能|要)[^，。；]{0,14}$"
)
_HEDGE = re.compile(
    r"^[^。；]{0,12}(基础还不牢固|基础不牢|基础还不稳固|还不牢固|仍需巩固|不稳固|是暂时的)"
)
_CONDOLE = re.compile(r"善后|安抚|伤员|伤者|遇难|死者|伤亡人员|受伤人员")


def _praise_claims(text: str) -> Iterator[re.Match]:
    for m in _PRAISE.finditer(text):
        start = max(text.rfind(c, 0, m.start()) for c in "。；！？") + 1
        before = text[start : m.start()]
        if _GOAL.search(before) or _HEDGE.match(text[m.end() :]):
            continue
        word = m.group(0)
        if word in ("慰问", "问候", "感谢") and _CONDOLE.search(
            text[start : text.find("。", m.end()) if "。" in text[m.end() :] else len(text)]
        ):
            continue
        yield m


@doc_rule(
    "E240",
    "数字上升仍讲成绩",
    "本文自己的事故起数或死亡人数同比上升（不降反升），就不能再讲成绩、平稳、向好、感谢、慰问。",
)
def praise_after_rise(records: list[Record], ctx: Context) -> Iterator[tuple[Record, str]]:
    if not _is_speech(records, ctx):
        return
    up = rises(records)
    if not up:
        return
    first = up[0]
    where = f"段{first.record.index}"
    for rec in _flow(records):
        for m in _praise_claims(rec.text):
            yield (
                rec,
                f"{where}写明{first.what}上升（“{first.phrase[:24]}”），这里却说“{m.group(0)}”："
                + snippet(rec.text, m.start(), m.end()),
            )
