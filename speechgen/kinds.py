"""The registry of kinds: every enumeration of the input contract, defined once.

spec/INPUT.md names these values; the schema (inputs), the vocabulary and the
snippet library (compose) and the linter (check) all import them from here.
Adding a meeting kind, a level or a topic starts in this file.
"""

from __future__ import annotations

# org.level → gloss (shown in messages)
LEVELS: dict[str, str] = {
    "县": "",
    "区": "",
    "市": "地级市",
    "县级市": "",
    "新区": "",
    "乡镇": "",
    "公司": "",
}

TOWNSHIP = "乡镇"  # the level with no bureaus of its own: it checks, persuades and reports

# meeting.kind → gloss
MEETING_KINDS: dict[str, str] = {
    "quarterly": "季度例会",
    "annual": "年度会议",
    "emergency": "紧急会议",
    "special": "专题会议",
    "safety_month": "安全生产月",
    "holiday": "节假日",
}

# accidents[].scope → gloss
SCOPES: dict[str, str] = {"national": "全国", "province": "全省", "nearby": "周边", "local": "本地"}

# meeting.topics of a combined meeting that have their own wording (any other text is
# accepted and gets a general part): topic → the sector of data/sectors.yaml it takes
# over (that sector's line moves into the topic's part, so nothing is said twice).
TOPIC_SECTORS: dict[str, str] = {
    "防汛": "防汛抗旱",
    "防汛抗旱": "防汛抗旱",
    "地质灾害": "地质灾害",
    "森林防火": "森林防火",
    "消防": "消防",
    "燃气": "燃气",
}

# The words a topic's part must carry (issue #9: 防汛 with 值班 and 雨情研判, 地质灾害 with
# 隐患点 and 避险转移, 森林防火 with 野外用火).
TOPIC_WORDS: dict[str, tuple[str, ...]] = {
    "防汛": ("值班", "雨情"),
    "防汛抗旱": ("值班", "雨情"),
    "地质灾害": ("隐患点", "避险转移"),
    "森林防火": ("野外用火",),
}
