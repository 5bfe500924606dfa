"""Local statistics: year-on-year (同比) phrases, the four-indicator summary,
the situation sentence and the hazard sentence.

The four indicators, in this order (:data:`INDICATORS`):

=============  ==============  ======
key            label           unit
=============  ==============  ======
``accidents``  事故起数        起
``deaths``     死亡人数        人
``injured``    受伤人数        人
``loss_wan``   直接经济损失    万元
=============  ==============  ======

Rules (spec/INPUT.md ``stats``, domain.md §3.0 and §3.2):

- :func:`yoy` compares ``cur`` with ``prev`` (same period last year).
  Equal → ``同比持平``. Otherwise the rate is ``|cur−prev|/prev×100`` with one
  decimal at most, rounded half up, ASCII ``%``: ``同比下降20%``,
  ``同比上升16%``. An increase of 100% or more is said in 倍, ``(cur−prev)/prev``
  with one decimal: ``同比上升1.5倍``. With ``with_delta`` (the default) and a
  unit the difference comes first: ``同比增加4起，上升16%``,
  ``同比减少3起，下降20%``, ``同比增加492万元，上升1.5倍``. When ``prev`` is 0
  there is no rate and the difference is always stated: ``同比增加3起``. When a
  non-zero change rounds to ``0%`` the phrase is ``同比基本持平``. Amounts are
  printed with :func:`~speechgen.compose.numbers.decimal`. Negative values
  raise :class:`ValueError`. Arithmetic is exact (:class:`~decimal.Decimal`),
  so 79.5/200 is 39.75% and rounds to 39.8%.
- :func:`summary` of the directions: ``全面下降`` / ``全面上升`` / ``全面持平``
  when all agree; otherwise the counts in descending order, ties ordered
  升 before 降 before 平, counts in Chinese with 两 for 2: ``三降一平``,
  ``两升两降``, ``两平一升一降``.
- :func:`situation_sentence` gives the figures and, with ``prev``, the
  comparisons without differences (``事故起数同比下降20%``) and, when all four
  indicators are in both, the summary (``四项指标呈现“三降一平”态势`` or
  ``四项指标全面下降``).
- :func:`hazards_sentence`: ``共排查各类安全隐患6368处，已整改6200处，整改率97.4%``;
  the rate is shown as 100% only when every hazard is fixed (otherwise at most
  99.9%).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from .numbers import Number, cn_count, decimal, percent, to_decimal

INDICATORS: tuple[tuple[str, str, str], ...] = (
    ("accidents", "事故起数", "起"),
    ("deaths", "死亡人数", "人"),
    ("injured", "受伤人数", "人"),
    ("loss_wan", "直接经济损失", "万元"),
)

_WORDS = {1: "升", -1: "降", 0: "平"}
_ALL_WORDS = {1: "全面上升", -1: "全面下降", 0: "全面持平"}
_TIE_ORDER = (1, -1, 0)  # 升 before 降 before 平


def _value(x: Number) -> Decimal:
    d = to_decimal(x)
    if d < 0:
        raise ValueError(f"统计数不能为负数：{x!r}")
    return d


def direction(cur: Number, prev: Number) -> int:
    """1 when ``cur`` is above ``prev``, −1 below, 0 equal."""
    a, b = _value(cur), _value(prev)
    return (a > b) - (a < b)


def yoy(cur: Number, prev: Number, unit: str = "", *, with_delta: bool = True) -> str:
    """The 同比 phrase: ``同比增加4起，上升16%``; ``with_delta=False``: ``同比上升16%``.

    The difference is stated only when ``unit`` is given (and always when
    ``prev`` is 0, where no rate exists).
    """
    a, b = _value(cur), _value(prev)
    if a == b:
        return "同比持平"
    up = a > b
    delta = abs(a - b)
    delta_text = ("增加" if up else "减少") + decimal(delta) + unit
    if b == 0:
        return "同比" + delta_text
    ratio = delta / b
    if up and ratio >= 1:
        rate_text = "上升" + decimal(ratio) + "倍"
    else:
        shown = percent(ratio * 100)
        if shown == "0%":
            return "同比基本持平"
        rate_text = ("上升" if up else "下降") + shown
    if with_delta and unit:
        return f"同比{delta_text}，{rate_text}"
    return "同比" + rate_text


def summary(directions: Sequence[int]) -> str:
    """``三降一平``, ``两升两降``, ``全面下降`` … from the indicators' directions."""
    if not directions:
        raise ValueError("没有可汇总的指标")
    counts = {1: 0, -1: 0, 0: 0}
    for d in directions:
        if d not in counts:
            raise ValueError(f"方向应为 -1、0 或 1：{d!r}")
        counts[d] += 1
    present = [d for d in _TIE_ORDER if counts[d]]
    if len(present) == 1:
        return _ALL_WORDS[present[0]]
    present.sort(key=lambda d: -counts[d])  # stable: ties keep 升, 降, 平
    return "".join(cn_count(counts[d]) + _WORDS[d] for d in present)


def _figures(cur: Mapping[str, Number]) -> list[str]:
    """``死亡3人``, ``受伤5人``, ``直接经济损失120.5万元`` for the non-accident indicators."""
    parts: list[str] = []
    deaths = cur.get("deaths")
    injured = cur.get("injured")
    no_deaths = deaths is not None and _value(deaths) == 0
    no_injured = injured is not None and _value(injured) == 0
    if no_deaths and no_injured:
        parts.append("未造成人员伤亡")
    else:
        if deaths is not None:
            parts.append("未造成人员死亡" if no_deaths else f"死亡{decimal(deaths)}人")
        if injured is not None:
            parts.append("未造成人员受伤" if no_injured else f"受伤{decimal(injured)}人")
    loss = cur.get("loss_wan")
    if loss is not None and _value(loss) != 0:
        parts.append(f"直接经济损失{decimal(loss)}万元")
    return parts


def situation_sentence(
    period: str,
    all_word: str,
    cur: Mapping[str, Number],
    prev: Mapping[str, Number] | None = None,
    *,
    with_delta: bool = False,
) -> str:
    """The local situation in one or two sentences, ending with ``。``.

    ``上半年，全县共发生各类生产安全事故12起，死亡3人，受伤5人，直接经济损失120.5万元。
    事故起数同比下降20%，死亡人数同比持平，受伤人数同比下降44.4%，直接经济损失同比下降39.8%，
    四项指标呈现“三降一平”态势。``

    Only the indicators present in ``cur`` appear; a comparison needs the
    indicator in ``prev`` too; the summary needs all four in both. Zero deaths
    or injuries read ``未造成人员死亡`` / ``未造成人员受伤`` / ``未造成人员伤亡``;
    a zero loss is left out of the figures unless it is the only one. Zero
    accidents give ``上半年，全县未发生生产安全事故。`` (with ``，同比减少15起``
    before the ``。`` when ``prev`` had some) and nothing else. ``with_delta``
    is passed on to :func:`yoy`. An empty ``period`` starts with ``all_word``.
    """
    present = [key for key, _, _ in INDICATORS if cur.get(key) is not None]
    if not present:
        raise ValueError("统计数据中没有任何指标（accidents、deaths、injured、loss_wan）")
    lead = f"{period}，{all_word}" if period else all_word
    accidents = cur.get("accidents")
    if accidents is not None and _value(accidents) == 0:
        text = f"{lead}未发生生产安全事故"
        before = prev.get("accidents") if prev else None
        if before is not None and _value(before) > 0:
            text += f"，同比减少{decimal(before)}起"
        return text + "。"

    figures = _figures(cur)
    if accidents is None and not figures:  # only a zero loss was given
        figures = ["直接经济损失0万元"]
    if accidents is not None:
        text = f"{lead}共发生各类生产安全事故{decimal(accidents)}起"
        if figures:
            text += "，" + "，".join(figures)
    else:
        text = f"{lead}生产安全事故" + "，".join(figures)
    text += "。"
    if not prev:
        return text

    compared = []
    directions = []
    for key, label, unit in INDICATORS:
        if cur.get(key) is None or prev.get(key) is None:
            continue
        compared.append(label + yoy(cur[key], prev[key], unit, with_delta=with_delta))
        directions.append(direction(cur[key], prev[key]))
    if not compared:
        return text
    text += "，".join(compared)
    if len(directions) == len(INDICATORS):
        word = summary(directions)
        if word.startswith("全面"):
            text += f"，四项指标{word}"
        else:
            text += f"，四项指标呈现“{word}”态势"
    return text + "。"


def hazards_sentence(found: int, fixed: int, major: int | None = None) -> str:
    """``共排查各类安全隐患6368处，已整改6200处，整改率97.4%`` (no final punctuation).

    ``major`` adds ``其中重大事故隐患12处`` after the number found. ``found`` 0
    gives ``未排查出安全隐患`` (no rate). ``fixed`` above ``found`` is an error.
    """
    f, x = _value(found), _value(fixed)
    if x > f:
        raise ValueError(f"已整改隐患数（{fixed}）不能大于排查隐患数（{found}）")
    if f == 0:
        return "未排查出安全隐患"
    parts = [f"共排查各类安全隐患{decimal(found)}处"]
    if major is not None and _value(major) > 0:
        parts.append(f"其中重大事故隐患{decimal(major)}处")
    rate = percent(x / f * 100)
    if rate == "100%" and x < f:
        rate = "99.9%"
    parts.append(f"已整改{decimal(fixed)}处，整改率{rate}")
    return "，".join(parts)
