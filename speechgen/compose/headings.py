"""Headings that say what stands under them.

A heading names concepts (隐患, 执法, 值守 …). :func:`heading_terms` finds them;
:func:`heading_fits` says whether a part's text carries each one (by any of its
variant words). The composer chooses a heading family only when every heading
of it fits the content planned under it.
"""

from __future__ import annotations

# concept → the words by which a text carries it (the first is the concept's own word)
CONCEPTS: dict[str, tuple[str, ...]] = {
    "隐患": ("隐患",),
    "风险": ("风险", "隐患"),
    "排查": ("排查", "检查"),
    "整治": ("整治", "治理", "整改"),
    "行业": ("行业", "领域"),
    "监管": ("监管", "监督", "检查", "执法", "整治"),
    "执法": ("执法",),
    "打非治违": ("打非治违", "非法违法", "违法违规"),
    "违章": ("违章",),
    "应急": ("应急",),
    "值守": ("值守", "值班"),
    "预案": ("预案",),
    "救援": ("救援",),
    "处置": ("处置",),
    "基础": ("基础", "培训", "投入", "教育", "文化"),
    "培训": ("培训",),
    "教育": ("教育", "培训"),
    "源头": ("源头",),
    "属地": ("属地",),
    "部门": ("部门",),
    "企业": ("企业", "生产经营单位"),
    "主体": ("主体",),
    "岗位": ("岗位",),
    "车间": ("车间",),
    "问责": ("问责", "追责", "责任追究"),
    "追究": ("追究", "追责", "问责"),
    "考核": ("考核",),
    "奖惩": ("奖惩", "奖励", "惩"),
    "事故": ("事故",),
    "教训": ("教训",),
    "成绩": ("成绩",),
    "节日": ("节日", "节假日", "节前", "节后", "假期"),
    "汛": ("汛",),
    "防火": ("防火", "火灾"),
    "迎检": ("迎检", "巡查", "检查", "督查"),
    "值班": ("值班", "值守"),
    "投入": ("投入", "费用", "资金"),
}


def heading_terms(heading: str) -> list[str]:
    """The concepts a heading names, longest first where two overlap (打非治违 before 违)."""
    found: list[str] = []
    for concept in sorted(CONCEPTS, key=len, reverse=True):
        if concept in heading and not any(concept in f for f in found):
            found.append(concept)
    return found


def missing_terms(heading: str, text: str) -> list[str]:
    """The concepts of ``heading`` that ``text`` does not carry."""
    return [c for c in heading_terms(heading) if not any(w in text for w in CONCEPTS[c])]


def heading_fits(heading: str, text: str) -> bool:
    return not missing_terms(heading, text)
