"""Table tests for speechgen.compose.vocabulary (docs/snippets.md slot table, domain.md §3.5)."""

import pytest

from speechgen.compose.vocabulary import (
    LEVELS,
    is_company,
    prefix_department,
    vocabulary,
)

SNIPPET_SLOTS = (
    "self",
    "all",
    "party_gov",
    "gov",
    "sub_units",
    "depts",
    "units",
    "committee",
    "office",
    "people",
)

# Written out from docs/snippets.md ("Slots"), the brief for 新区 and 乡镇, and
# spec/INPUT.md v2 for 市 (prefecture-level) and 县级市 (county-level city).
EXPECTED = {
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
        "office": "公司安全管理部门",
        "people": "广大员工",
        "level_prefix": "公司",
        "unit_noun": "车间",
        "staff": "员工",
    },
}


def test_levels():
    assert LEVELS == ("县", "区", "市", "县级市", "新区", "乡镇", "公司")
    assert set(EXPECTED) == set(LEVELS)


@pytest.mark.parametrize("level", LEVELS)
def test_vocabulary_without_name_or_parent(level):
    assert vocabulary(level) == EXPECTED[level]


@pytest.mark.parametrize("level", LEVELS)
def test_every_snippet_slot_is_present(level):
    words = vocabulary(level)
    for slot in SNIPPET_SLOTS:
        assert words[slot], slot


@pytest.mark.parametrize("level", LEVELS)
def test_optional_slots_absent_without_input(level):
    words = vocabulary(level, None, None)
    assert "place" not in words and "org_name" not in words and "upper" not in words
    words = vocabulary(level, "  ", " ")
    assert "place" not in words and "org_name" not in words and "upper" not in words


@pytest.mark.parametrize(
    ("level", "name", "place"),
    [
        ("县", "青山县", "青山"),
        ("县", " 青山县 ", "青山"),
        ("县", "青山县人民政府", "青山"),
        ("县", "沛县", "沛县"),  # one character left: keep the full name
        ("区", "江北区", "江北"),
        ("市", "江北市", "江北"),
        ("新区", "滨海新区", "滨海"),
        ("乡镇", "城关镇", "城关"),
        ("乡镇", "城关镇人民政府", "城关"),
        ("乡镇", "王庄乡", "王庄"),
        ("公司", "青山化工有限公司", "青山化工"),
        ("公司", "青山化工股份有限公司", "青山化工"),
        ("公司", "青山化工有限责任公司", "青山化工"),
        ("公司", "青山能源集团", "青山能源集团"),
    ],
)
def test_place_and_org_name(level, name, place):
    words = vocabulary(level, name)
    assert words["place"] == place
    assert words["org_name"] == name.strip()


@pytest.mark.parametrize(
    ("parent", "upper"),
    [
        ("江北市", "江北市委、市政府"),
        ("江北市人民政府", "江北市委、市政府"),
        ("青山县", "青山县委、县政府"),
        ("江北区", "江北区委、区政府"),
        ("滨海新区", "滨海新区委、区政府"),
        ("城关镇", "城关镇党委、镇政府"),
        ("山东省", "山东省委、省政府"),
        ("内蒙古自治区", "内蒙古自治区党委、自治区政府"),
        ("江北市委、市政府", "江北市委、市政府"),  # already in 党委、政府 form
        ("青山能源集团有限公司", "青山能源集团有限公司"),  # a company: the name
    ],
)
def test_upper(parent, upper):
    assert vocabulary("县", "青山县", parent)["upper"] == upper


@pytest.mark.parametrize(
    ("level", "expected"),
    [("县", False), ("区", False), ("市", False), ("新区", False), ("乡镇", False), ("公司", True)],
)
def test_is_company(level, expected):
    assert is_company(level) is expected


@pytest.mark.parametrize("level", ["省", "", "村", "county", None])
def test_unknown_level(level):
    with pytest.raises(ValueError, match="未知的机构层级"):
        vocabulary(level)
    with pytest.raises(ValueError, match="未知的机构层级"):
        is_company(level)
    with pytest.raises(ValueError, match="未知的机构层级"):
        prefix_department("应急管理局", level)


@pytest.mark.parametrize(
    ("dept", "level", "name", "expected"),
    [
        ("应急管理局", "县", None, "县应急管理局"),
        ("应急管理局", "区", None, "区应急管理局"),
        ("应急管理局", "市", None, "市应急管理局"),
        ("应急管理局", "新区", None, "区应急管理局"),
        ("安监站", "乡镇", None, "镇安监站"),
        (" 公安局 ", "县", None, "县公安局"),
        # a company's departments are never prefixed
        ("安全环保部", "公司", None, "安全环保部"),
        ("安全环保部", "公司", "青山化工有限公司", "安全环保部"),
        # already prefixed
        ("县应急管理局", "县", None, "县应急管理局"),
        ("县委宣传部", "县", None, "县委宣传部"),
        ("市应急管理局", "县", None, "市应急管理局"),
        ("省应急管理厅", "县", None, "省应急管理厅"),
        ("镇安办", "乡镇", None, "镇安办"),
        ("市政府办公室", "县", None, "市政府办公室"),
        # words that merely begin with 市 / 乡
        ("市场监督管理局", "县", None, "县市场监督管理局"),
        ("市场监督管理局", "市", None, "市市场监督管理局"),
        ("市政工程管理处", "县", None, "县市政工程管理处"),
        ("乡村振兴局", "县", None, "县乡村振兴局"),
        # containing the org's name or short name
        ("消防救援大队", "县", "青山县", "县消防救援大队"),
        ("青山县消防救援大队", "县", "青山县", "青山县消防救援大队"),
        ("青山消防救援大队", "县", "青山县", "青山消防救援大队"),
        ("国家税务总局青山县税务局", "县", "青山县", "国家税务总局青山县税务局"),
        ("", "县", None, ""),
    ],
)
def test_prefix_department(dept, level, name, expected):
    assert prefix_department(dept, level, name) == expected


@pytest.mark.parametrize("name", ["柳林乡", "柳林乡人民政府", "红旗民族乡"])
def test_a_xiang_speaks_of_itself_as_xiang(name):
    # a 乡 is a 乡镇 that is not a 镇: 我乡、全乡、乡党委、乡政府 (never 全镇 in 全乡's meeting)
    words = vocabulary("乡镇", name)
    assert {k: words[k] for k in ("self", "all", "party_gov", "gov", "depts", "units")} == {
        "self": "我乡",
        "all": "全乡",
        "party_gov": "乡党委、乡政府",
        "gov": "乡政府",
        "depts": "乡直各单位",
        "units": "各村（社区）、乡直各单位",
    }
    assert (words["committee"], words["office"], words["level_prefix"]) == (
        "乡安委会",
        "乡安办",
        "乡",
    )
    assert words["sub_units"] == "各村（社区）"
    assert prefix_department("派出所", "乡镇", name) == "乡派出所"


@pytest.mark.parametrize("name", [None, "城关镇", "乡村振兴镇", "城关镇人民政府"])
def test_a_zhen_or_an_unnamed_township_stays_zhen(name):
    words = vocabulary("乡镇", name)
    assert (words["self"], words["all"], words["level_prefix"]) == ("我镇", "全镇", "镇")
