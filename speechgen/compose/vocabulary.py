"""The words an ``org.level`` implies: the snippet slots and a few helpers.

:func:`vocabulary` returns the always-present slots of docs/snippets.md
(``self``, ``all``, ``party_gov``, ``gov``, ``sub_units``, ``depts``, ``units``,
``committee``, ``office``, ``people``) for the level, plus:

- ``level_prefix``: the one-word prefix of department names (县, 区, 市; 区 for
  新区, 镇 for 乡镇, 公司 for 公司), used by :func:`prefix_department`;
- ``unit_noun``: the noun of the units below (乡镇, 镇街, 镇（街道）, 功能区,
  村（社区）, 车间);
- ``staff``: 干部职工, or 员工 for a company;
- ``org_name`` and ``place`` when a name is given: ``place`` is the short name,
  the name without its administrative or company suffix (青山县 → 青山,
  江北市 → 江北, 滨海新区 → 滨海, 城关镇 → 城关, 青山化工有限公司 → 青山化工;
  a leading-part of one character keeps the full name: 沛县 → 沛县);
- ``upper`` when a parent is given: 江北市 → 江北市委、市政府, 某某县 →
  某某县委、县政府, 某某区 → 某某区委、区政府, 某某镇 → 某某镇党委、镇政府,
  某某省 → 某某省委、省政府, 某某自治区 → 某某自治区党委、自治区政府;
  a company (or anything else) is used as typed, and a parent already written
  as 党委、政府 (containing ``委``) is kept.

Levels 县, 区 and 公司 follow the docs/snippets.md table word for word; 市 is a
prefecture-level city (各县（市、区）, 市直各部门) and 县级市 a county-level one
(各镇（街道）), as spec/INPUT.md v2 has them.
新区 is 区 except ``sub_units`` 各功能区、各街镇 (domain.md §3.5). 乡镇: 我镇,
全镇, 镇党委、镇政府, 镇政府, 各村（社区）, 镇直各单位, 各村（社区）、镇直各单位,
镇安委会, 镇安办, 人民群众; a 乡 (a name ending in 乡, 柳林乡, 某某民族乡) speaks
of itself as 乡 in every one of them (我乡, 全乡, 乡党委、乡政府, 乡直各单位 …).
An unknown level raises :class:`ValueError`.
"""

from __future__ import annotations

from .. import kinds
from ..kinds import TOWNSHIP

LEVELS = tuple(kinds.LEVELS)

_SLOTS: dict[str, dict[str, str]] = {
    "县": {
        "self": "我县",
        "all": "全县",
        "party_gov": "县委、县政府",
        "gov": "县政府",
        "sub_units": "各乡镇",
        "depts": "县直各部门",
        "units": "各乡镇、各部门",
        "committee": "县安委会",
        "office": "县安委办",
        "people": "人民群众",
        "level_prefix": "县",
        "unit_noun": "乡镇",
        "staff": "干部职工",
    },
    "区": {
        "self": "我区",
        "all": "全区",
        "party_gov": "区委、区政府",
        "gov": "区政府",
        "sub_units": "各镇街",
        "depts": "区直各部门",
        "units": "各镇街、各部门",
        "committee": "区安委会",
        "office": "区安委办",
        "people": "人民群众",
        "level_prefix": "区",
        "unit_noun": "镇街",
        "staff": "干部职工",
    },
    "市": {
        "self": "我市",
        "all": "全市",
        "party_gov": "市委、市政府",
        "gov": "市政府",
        "sub_units": "各县（市、区）",
        "depts": "市直各部门",
        "units": "各县（市、区）、市直各部门",
        "committee": "市安委会",
        "office": "市安委办",
        "people": "人民群众",
        "level_prefix": "市",
        "unit_noun": "县（市、区）",
        "staff": "干部职工",
    },
    "县级市": {
        "self": "我市",
        "all": "全市",
        "party_gov": "市委、市政府",
        "gov": "市政府",
        "sub_units": "各镇（街道）",
        "depts": "市直各部门",
        "units": "各镇（街道）、各部门",
        "committee": "市安委会",
        "office": "市安委办",
        "people": "人民群众",
        "level_prefix": "市",
        "unit_noun": "镇（街道）",
        "staff": "干部职工",
    },
    "新区": {
        "self": "我区",
        "all": "全区",
        "party_gov": "区委、区政府",
        "gov": "区政府",
        "sub_units": "各功能区、各街镇",
        "depts": "区直各部门",
        "units": "各功能区、各街镇、各部门",
        "committee": "区安委会",
        "office": "区安委办",
        "people": "人民群众",
        "level_prefix": "区",
        "unit_noun": "功能区",
        "staff": "干部职工",
    },
    "乡镇": {
        "self": "我镇",
        "all": "全镇",
        "party_gov": "镇党委、镇政府",
        "gov": "镇政府",
        "sub_units": "各村（社区）",
        "depts": "镇直各单位",
        "units": "各村（社区）、镇直各单位",
        "committee": "镇安委会",
        "office": "镇安办",
        "people": "人民群众",
        "level_prefix": "镇",
        "unit_noun": "村（社区）",
        "staff": "干部职工",
    },
    "公司": {
        "self": "我司",
        "all": "全公司",
        "party_gov": "公司党委和公司",
        "gov": "公司",
        "sub_units": "各车间",
        "depts": "各职能部门",
        "units": "各车间、各部门",
        "committee": "公司安全生产委员会",
        # a company names its safety department as it likes (安全环保部, 安监部): without
        # org.office the generic noun, not a department the input never named
        "office": "公司安全管理部门",
        "people": "广大员工",
        "level_prefix": "公司",
        "unit_noun": "车间",
        "staff": "员工",
    },
}

# Longest first, so that 有限公司 wins over 公司 and 新区 over 区.
_NAME_SUFFIXES = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "自治县",
    "公司",
    "新区",
    "街道",
    "县",
    "区",
    "市",
    "镇",
    "乡",
)

# Parent suffix → the form of its 党委、政府.
_UPPER_FORMS = (
    ("自治区", "党委、自治区政府"),
    ("新区", "委、区政府"),
    ("省", "委、省政府"),
    ("市", "委、市政府"),
    ("州", "委、州政府"),
    ("县", "委、县政府"),
    ("区", "委、区政府"),
    ("镇", "党委、镇政府"),
    ("乡", "党委、乡政府"),
)

# Department names that begin with a level word without being prefixed by it.
_NOT_A_PREFIX = ("市场", "市容", "市政", "市民", "乡村")
_PREFIXED = ("市政府", "市政协")


def township_word(name: str | None) -> str:
    """乡 for a township whose name ends in 乡 (柳林乡, 柳林乡人民政府), else 镇."""
    return "乡" if name and _strip_gov(name.strip()).endswith("乡") else "镇"


def _level_slots(level: str, name: str | None) -> dict[str, str]:
    words = _SLOTS[level]
    if level == TOWNSHIP and township_word(name) == "乡":
        # only its own words hold 镇 (the units below are 村（社区）)
        return {key: value.replace("镇", "乡") for key, value in words.items()}
    return dict(words)


def _check_level(level: str) -> None:
    if level not in _SLOTS:
        raise ValueError(f"未知的机构层级：“{level}”（应为 {'、'.join(LEVELS)} 之一）")


def is_company(level: str) -> bool:
    """True for 公司 (company register), False for every government level."""
    _check_level(level)
    return level == "公司"


def _strip_gov(name: str) -> str:
    for tail in ("人民政府", "政府"):
        if name.endswith(tail) and len(name) > len(tail):
            return name[: -len(tail)]
    return name


def short_name(name: str) -> str:
    """青山县 → 青山, 滨海新区 → 滨海, 青山化工有限公司 → 青山化工 (沛县 stays 沛县)."""
    name = _strip_gov(name.strip())
    for suffix in _NAME_SUFFIXES:
        if name.endswith(suffix):
            rest = name[: -len(suffix)]
            return rest if len(rest) >= 2 else name
    return name


def upper_of(parent: str) -> str:
    """江北市 → 江北市委、市政府; a company or an unknown form is returned as typed."""
    parent = parent.strip()
    if "委" in parent or "公司" in parent or "集团" in parent:
        return parent
    name = _strip_gov(parent)
    for suffix, form in _UPPER_FORMS:
        if name.endswith(suffix):
            return name + form
    return parent


def vocabulary(
    level: str,
    name: str | None = None,
    parent: str | None = None,
    units: str | None = None,
    office: str | None = None,
) -> dict[str, str]:
    """The slots for ``level`` (see the module docstring), with ``place``,
    ``org_name`` and ``upper`` when ``name`` / ``parent`` are given; ``units``
    (``org.units``) replaces the level's sub-unit phrase, ``office``
    (``org.office``, as typed) the name of its work-safety office."""
    _check_level(level)
    words = _level_slots(level, name)
    if units and units.strip():
        sub = units.strip()
        words["sub_units"] = sub
        words["units"] = f"{sub}、{words['depts']}" if not is_company(level) else f"{sub}、各部门"
        words["unit_noun"] = sub[1:] if sub.startswith("各") else sub
    if office and office.strip():
        words["office"] = office.strip()
    if name and name.strip():
        words["org_name"] = name.strip()
        words["place"] = short_name(name)
    if parent and parent.strip():
        words["upper"] = upper_of(parent)
    return words


def _has_prefix(dept: str) -> bool:
    if dept.startswith(_PREFIXED) or dept.startswith("新区"):
        return True
    if dept.startswith(_NOT_A_PREFIX):
        return False
    return dept[0] in "省市县区镇乡"


# The levels whose government has the bureaus that data/sectors.yaml names for each sector
# (应急管理局, 公安局交警大队, 住建局 …). A township has offices and 站所 (and the county's
# 派出所 on its ground), a company its own departments: neither leads through those bureaus.
_BUREAU_LEVELS = frozenset({"县", "区", "市", "县级市", "新区"})
assert _BUREAU_LEVELS <= set(LEVELS)


def has_bureaus(level: str) -> bool:
    """Whether the sector dictionary's departments are this level's own; when not, a
    sector's lead and partners are named only as the input gives them."""
    _check_level(level)
    return level in _BUREAU_LEVELS


def prefix_department(dept: str, level: str, name: str | None = None) -> str:
    """应急管理局 → 县应急管理局 for 县.

    Unchanged: any department of a company; a name that already starts with a
    level word (县公安局, 市应急管理局, but 市场监管局 is not prefixed: it
    becomes 县市场监管局); a name containing ``name`` or its short name
    (青山县消防救援大队).
    """
    _check_level(level)
    dept = dept.strip()
    # a collective noun (各镇街, 各村（社区）) is never prefixed: no 区各镇街
    if not dept or level == "公司" or dept.startswith("各") or _has_prefix(dept):
        return dept
    if name and name.strip():
        if name.strip() in dept or short_name(name) in dept:
            return dept
    return _level_slots(level, name)["level_prefix"] + dept
