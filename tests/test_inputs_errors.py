"""speechgen.inputs: every error kind, located (file:line:col) with its key path."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from speechgen.errors import ERROR, WARNING, Finding, UsageProblem, UserError
from speechgen.inputs import Limits, load_job

DATA = Path(__file__).parent / "data" / "inputs"
SPEECH = (DATA / "speech.yaml").read_text(encoding="utf-8")
NOTICE = (DATA / "notice.yaml").read_text(encoding="utf-8")
LETTER = (DATA / "letter.yaml").read_text(encoding="utf-8")

MINIMAL = """\
type: speech
org: {level: 县}
speaker: {role: 县长}
meeting:
  name: 会议
  kind: quarterly
  date: 2024-04-10
"""


def findings(tmp_path: Path, text: str | bytes, limits: Limits | None = None) -> list[Finding]:
    path = tmp_path / "job.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    with pytest.raises(UserError) as info:
        load_job(path, limits=limits)
    for finding in info.value.findings:
        assert finding.path == str(path)
    return info.value.findings


def only(tmp_path: Path, text: str | bytes, limits: Limits | None = None) -> Finding:
    errors = [f for f in findings(tmp_path, text, limits) if f.severity == ERROR]
    assert len(errors) == 1, [str(f) for f in errors]
    return errors[0]


def summary(found: list[Finding]) -> list[tuple[str, str, str]]:
    return [(f.location, f.code, f.key) for f in found]


# ------------------------------------------------------------------ E101–E105


def test_chinese_number_in_int_field_message(tmp_path: Path) -> None:
    text = SPEECH.replace("deaths: 13", "deaths: 十三")
    error = only(tmp_path, text)
    assert (error.location, error.code, error.key) == ("23:5", "E101", "accidents[1].deaths")
    assert error.message == "应为整数，实际为 “十三”"
    assert (
        str(error)
        == f"{tmp_path / 'job.yaml'}:23:5: 错误 E101 accidents[1].deaths 应为整数，实际为 “十三”"
    )


@pytest.mark.parametrize(
    ("old", "new", "expected", "fragment"),
    [
        ("injured: 35", "injured: true", ("24:5", "E101", "accidents[1].injured"), "“true”"),
        ("injured: 35", "injured: 3.5", ("24:5", "E101", "accidents[1].injured"), "“3.5”"),
        (
            "loss_wan: 120.5",
            "loss_wan: 很多",
            ("15:52", "E101", "stats.current.loss_wan"),
            "应为数字",
        ),
        (
            "  period: 上半年",
            "  period: [1, 2]",
            ("14:3", "E101", "stats.period"),
            "应为文字，实际为列表",
        ),
        ("speaker: {role: 县长, name: 张三}", "speaker: 县长", ("7:1", "E101", "speaker"), "映射"),
        (
            "checks: [小化工, 不明物料堆放]",
            "checks: {a: 1}",
            ("31:5", "E101", "sectors[1].checks"),
            "名称",
        ),
        (
            "kind: quarterly",
            "kind: weekly",
            ("10:3", "E103", "meeting.kind"),
            "quarterly（季度例会）",
        ),
        (
            "scope: national",
            "scope: nation",
            ("26:5", "E103", "accidents[1].scope"),
            "是否应为 “national”？",
        ),
        (
            "  level: 县",
            "  level: 州",
            ("4:3", "E103", "org.level"),
            "县、区、市（地级市）、县级市、新区、乡镇、公司",
        ),
        ("points: auto", "points: manual", ("37:1", "E103", "points"), "auto"),
        ("date: 2024-04-10", "date: 2024-13-45", ("11:3", "E104", "meeting.date"), "“2024-13-45”"),
        ("date: 2024-04-10", "date: 2024年2月30日", ("11:3", "E104", "meeting.date"), "没有 30 日"),
        ("date: 2024-04-10", "date: 四月十日", ("11:3", "E104", "meeting.date"), "2024-04-10"),
        ("date: 2023-01-15", "date: [2023]", ("19:5", "E101", "accidents[1].date"), "应为日期"),
        ("deaths: 13", "deaths: -1", ("23:5", "E105", "accidents[1].deaths"), "不能为负数"),
        ("fixed: 6200", "fixed: 7000", ("17:27", "E105", "stats.hazards.fixed"), "不能大于"),
        (
            "  date: 2024-04-10",
            "  date: 2024-04-10\n  quarter: 5",
            ("12:3", "E105", "meeting.quarter"),
            "1–4",
        ),
        ("  kind: quarterly\n", "", ("8:1", "E102", "meeting.kind"), "缺少必填项"),
        ("    place: 辽宁盘锦\n", "", ("19:5", "E102", "accidents[1].place"), "缺少必填项"),
        (
            "speaker: {role: 县长, name: 张三}",
            "speaker: {name: 张三}",
            ("7:1", "E102", "speaker.role"),
            "缺少",
        ),
        ("  level: 县\n", "", ("3:1", "E102", "org.level"), "可选：县"),
    ],
)
def test_value_errors_located(
    tmp_path: Path, old: str, new: str, expected: tuple[str, str, str], fragment: str
) -> None:
    assert old in SPEECH
    error = only(tmp_path, SPEECH.replace(old, new, 1))
    assert (error.location, error.code, error.key) == expected
    assert fragment in error.message


def test_missing_top_level_keys(tmp_path: Path) -> None:
    found = findings(tmp_path, "type: speech\norg: {level: 县}\n")
    assert summary(found) == [("1:1", "E102", "speaker"), ("1:1", "E102", "meeting")]


def test_missing_type_and_unknown_type(tmp_path: Path) -> None:
    error = only(tmp_path, "org: {level: 县}\n")
    assert (error.location, error.code, error.key) == ("1:1", "E102", "type")
    assert "speech" in error.message
    error = only(tmp_path, "type: speach\n")
    assert (error.location, error.code, error.key) == ("1:1", "E103", "type")
    assert "是否应为 “speech”？" in error.message


def test_notice_and_letter_errors(tmp_path: Path) -> None:
    text = NOTICE.replace("due: 2024-07-31", "due: 2024-02-30").replace(
        "to: 各乡镇人民政府，县安委会各成员单位\n", ""
    )
    found = findings(tmp_path, text)
    assert summary(found) == [("1:1", "E102", "to"), ("10:53", "E104", "tasks[1].due")]
    text = LETTER.replace("end: 2024-12-31", "end: 2023-12-31").replace("copies: 2", "copies: 0")
    text = text.replace("{limits.deaths_max}", "{limits.死亡}")
    found = findings(tmp_path, text)
    assert summary(found) == [
        ("5:27", "E105", "term.end"),
        ("9:5", "E112", "targets[2]"),
        ("12:1", "E105", "copies"),
    ]


def test_letter_needs_recipients(tmp_path: Path) -> None:
    text = LETTER.split("recipients:")[0]
    error = only(tmp_path, text)
    assert (error.location, error.code, error.key) == ("1:1", "E102", "recipients")
    text = LETTER.split("recipients:")[0] + "recipients: []\n"
    error = only(tmp_path, text)
    assert (error.location, error.code, error.key) == ("13:1", "E102", "recipients")


def test_many_errors_reported_together_in_order(tmp_path: Path) -> None:
    found = findings(tmp_path, (DATA / "errors_many.yaml").read_text(encoding="utf-8"))
    assert summary(found) == [
        ("3:3", "E103", "org.level"),
        ("4:1", "E102", "speaker.role"),
        ("5:1", "W101", "meeting_typo"),
        ("8:3", "E103", "meeting.kind"),
        ("9:3", "E104", "meeting.date"),
        ("10:3", "E105", "meeting.quarter"),
        ("12:24", "E105", "stats.hazards.fixed"),
        ("18:5", "E101", "accidents[2].deaths"),
        ("19:5", "E105", "accidents[2].injured"),
        ("21:5", "E102", "preceding[1].did"),
    ]


# ------------------------------------------------------------------ W101


def test_unknown_key_warning_with_suggestion(tmp_path: Path) -> None:
    path = tmp_path / "job.yaml"
    path.write_text(MINIMAL + "meeting_typo: 1\nfoo_bar_baz: 2\n", encoding="utf-8")
    job = load_job(path)
    first, second = job.warnings
    assert (first.location, first.severity, first.code, first.key) == (
        "8:1",
        WARNING,
        "W101",
        "meeting_typo",
    )
    assert first.message.endswith("是否应为 “meeting”？")
    assert second.key == "foo_bar_baz" and "是否应为" not in second.message
    assert job.data["meeting_typo"] == 1  # kept for user templates


def test_misspelt_required_key_hints(tmp_path: Path) -> None:
    found = findings(tmp_path, MINIMAL.replace("speaker:", "spaeker:"))
    error = next(f for f in found if f.code == "E102")
    assert error.key == "speaker" and "“spaeker”" in error.message
    warning = next(f for f in found if f.code == "W101")
    assert (warning.location, warning.key) == ("3:1", "spaeker")
    assert "是否应为 “speaker”？" in warning.message


# ------------------------------------------------------------------ E106, E107


@pytest.mark.parametrize(
    ("text", "location", "fragment"),
    [
        ("type: speech\norg:\n  level: 县\n name: x\n", "4:2", "缩进"),
        ("type: speech\norg:\n\tlevel: 县\n", "3:1", "Tab"),
        ("type: speech\norg：\n  level: 县\n", "3:8", "中文冒号"),
        ('type: speech\ntitle: "未闭合\n', "3:1", "引号"),
        ("type: speech\ntitle: [a, b\n", "3:1", "方括号"),
        ("type: speech\n---\ntype: notice\n", "2:1", "---"),
    ],
)
def test_yaml_syntax_errors(tmp_path: Path, text: str, location: str, fragment: str) -> None:
    error = only(tmp_path, text)
    assert (error.location, error.code) == (location, "E106")
    assert error.message.startswith("YAML 语法错误：")
    assert fragment in error.message


def test_duplicate_key_and_custom_tags(tmp_path: Path) -> None:
    found = findings(tmp_path, MINIMAL + "title: a\ntitle: b\nsalutation: !python/object x\n")
    assert summary(found) == [("9:1", "E106", "title"), ("10:13", "E106", "salutation")]
    assert "第 8 行" in found[0].message
    found = findings(tmp_path, "type: !!python/object/apply:os.system [ls]\n")
    assert ("1:7", "E106", "type") in summary(found)
    assert "python/object/apply" in found[-1].message


@pytest.mark.parametrize(
    ("text", "location", "fragment"),
    [
        ("", "", "空"),
        ("# 只有注释\n\n", "", "空"),
        ("~\n", "", "空"),
        ("- a\n- b\n", "1:1", "列表"),
        ("just text\n", "1:1", "一段文字"),
        ("type：speech\n", "1:1", "中文冒号"),
    ],
)
def test_empty_or_not_a_mapping(tmp_path: Path, text: str, location: str, fragment: str) -> None:
    error = only(tmp_path, text)
    assert (error.location, error.code) == (location, "E107")
    assert fragment in error.message


# ------------------------------------------------------------------ E100, encodings


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (bytes(range(256)) * 4, "二进制"),
        (b"PK\x03\x04\x14\x00\x00\x00", "ZIP"),
        (b"%PDF-1.4\n", "PDF"),
        (bytes([0xFF, 0x81, 0x20, 0x80]) * 40, "UTF-8"),
        ("type: speech\n".encode("utf-16-le"), "UTF-16"),
    ],
)
def test_binary_or_undecodable_refused(tmp_path: Path, data: bytes, fragment: str) -> None:
    error = only(tmp_path, data)
    assert (error.location, error.code) == ("", "E100")
    assert fragment in error.message


def test_bad_gbk_message_names_encodings(tmp_path: Path) -> None:
    error = only(tmp_path, "type: speech\ntitle: 讲话".encode("gbk") + b"\xff\xfe\xfd")
    assert error.code == "E100"
    assert "UTF-8" in error.message and "GBK/GB18030" in error.message
    assert "另存为" in error.message


def test_missing_file_is_usage_problem(tmp_path: Path) -> None:
    with pytest.raises(UsageProblem) as info:
        load_job(tmp_path / "nope.yaml")
    assert info.value.findings[0].code == "E100"


# ------------------------------------------------------------------ E108


BILLION_LAUGHS = """\
type: speech
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_alias_bomb_fails_fast(tmp_path: Path) -> None:
    tracemalloc.start()
    start = time.perf_counter()
    try:
        error = only(tmp_path, BILLION_LAUGHS)
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (error.location, error.code, error.key) == ("10:1", "E108", "i")
    assert "别名" in error.message and "SPEECHGEN_MAX_NODES" in error.message
    assert elapsed < 1.0
    assert peak < 20 * 1024 * 1024


def test_alias_within_budget_is_expanded(tmp_path: Path) -> None:
    text = MINIMAL + "sectors:\n  - &s {name: 燃气, checks: [管道]}\n  - *s\n"
    path = tmp_path / "job.yaml"
    path.write_text(text, encoding="utf-8")
    job = load_job(path)
    assert job.data["sectors"][0] == job.data["sectors"][1]
    assert job.data["sectors"][0] is not job.data["sectors"][1]


def test_recursive_alias(tmp_path: Path) -> None:
    error = only(tmp_path, "type: speech\na: &a [1, *a]\n")
    assert (error.location, error.code) == ("2:4", "E108")


def test_deep_nesting(tmp_path: Path) -> None:
    error = only(tmp_path, "type: speech\nx: " + "[" * 100 + "]" * 100 + "\n")
    assert error.code == "E108" and "嵌套" in error.message
    error = only(tmp_path, "type: speech\nx: " + "[" * 3000 + "]" * 3000 + "\n")
    assert error.code == "E108"


def test_size_limit(tmp_path: Path) -> None:
    error = only(tmp_path, MINIMAL + "#" * 200 + "\n", Limits(max_input_bytes=100))
    assert (error.location, error.code) == ("", "E108")
    assert "SPEECHGEN_MAX_INPUT_BYTES" in error.message


def test_size_limit_from_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPEECHGEN_MAX_INPUT_BYTES", "50")
    error = only(tmp_path, MINIMAL)
    assert error.code == "E108"
    monkeypatch.setenv("SPEECHGEN_MAX_INPUT_BYTES", "lots")
    path = tmp_path / "job.yaml"
    with pytest.raises(UsageProblem):
        load_job(path)


def test_list_limit(tmp_path: Path) -> None:
    text = (
        MINIMAL + "accidents:\n" + "".join(f"  - {{place: 地{i}, kind: 火灾}}\n" for i in range(6))
    )
    error = only(tmp_path, text, Limits(max_items=5))
    assert (error.location, error.code, error.key) == ("8:1", "E108", "accidents")
    assert "6 项" in error.message and "5 项" in error.message


def test_list_limit_from_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPEECHGEN_MAX_ITEMS", "2")
    text = MINIMAL + "sectors: [{name: a}, {name: b}, {name: c}]\n"
    error = only(tmp_path, text)
    assert (error.code, error.key) == ("E108", "sectors")


def test_recipient_limit(tmp_path: Path) -> None:
    recipients = "".join(f"  - name: 单位{i}\n" for i in range(4))
    text = LETTER.split("recipients:")[0] + "recipients:\n" + recipients
    error = only(tmp_path, text, Limits(max_recipients=3))
    assert (error.code, error.key) == ("E108", "recipients")
    assert "SPEECHGEN_MAX_RECIPIENTS" in error.message


# ------------------------------------------------------------------ E109


def test_control_characters_located_with_key_path(tmp_path: Path) -> None:
    text = SPEECH.replace("site: 化工企业", "site: 化工\x01企业")
    text = text.replace("name: 张三", 'name: "张\\x0b三"')
    text = text.replace("vision: 为全县", "vision: 为\x0c全县")
    text = text.replace("# comment", "")
    text += "# 注释里的 \x07 不进文档\n"
    found = findings(tmp_path, text)
    assert summary(found) == [
        ("7:27", "E109", "speaker.name"),
        ("22:13", "E109", "accidents[1].site"),
        ("38:34", "E109", "closing.vision"),
    ]
    assert "U+0001" in found[1].message
    assert "U+000B" in found[0].message


def test_trailing_control_character(tmp_path: Path) -> None:
    error = only(tmp_path, MINIMAL.replace("name: 会议", "name: 会议\x08"))
    assert (error.location, error.code, error.key) == ("5:11", "E109", "meeting.name")


# ------------------------------------------------------------------ batch


def test_batch_errors_keyed_by_entry(tmp_path: Path) -> None:
    text = (DATA / "notice_batch.yaml").read_text(encoding="utf-8")
    text = text.replace("date: 2024-01-02", "date: 2024-01-32")
    text = text.replace("  - {date: 2024-06-28}", "  - {quarter: 7, type: letter}")
    found = findings(tmp_path, text)
    assert summary(found) == [
        ("7:18", "E104", "batch[1].date"),
        ("9:5", "E102", "batch[3].date"),
        ("9:6", "E105", "batch[3].quarter"),
        ("9:18", "E101", "batch[3].type"),
    ]


def test_batch_shared_errors_reported_once(tmp_path: Path) -> None:
    text = (DATA / "notice_batch.yaml").read_text(encoding="utf-8")
    text = text.replace("issuer: 青山县安全生产委员会办公室\n", "")
    text = text.replace("{name: 王芳,", "{name: [王芳],")
    found = findings(tmp_path, text)
    assert summary(found) == [("1:1", "E102", "issuer"), ("4:11", "E101", "contact.name")]


def test_sealed_and_fonts_are_checked(tmp_path: Path) -> None:
    """v2 keys: ``sealed`` takes true or false only; ``fonts`` one of the profiles."""
    lines = NOTICE.count("\n")
    text = NOTICE + "sealed: 是\nfonts: 宋体\n"
    found = findings(tmp_path, text)
    assert summary(found) == [
        (f"{lines + 1}:1", "E101", "sealed"),
        (f"{lines + 2}:1", "E103", "fonts"),
    ]
    assert "true 或 false" in found[0].message and "gb2312" in found[1].message
    path = tmp_path / "ok.yaml"
    path.write_text(NOTICE + "sealed: true\nfonts: windows\n", encoding="utf-8")
    job = load_job(path)
    assert job.data["sealed"] is True and job.data["fonts"] == "windows"


# ------------------------------------------------------------------ W103


def test_an_accident_in_our_own_area_not_marked_local_is_told(tmp_path: Path) -> None:
    """An accident whose place lies in org.name's area, cited without scope (read as
    national) or as province, is cited as it was typed and warned of: the speech would
    put 临江市江口区 under 从全国看. Marked local or nearby, or elsewhere: no warning."""
    head = MINIMAL.replace("org: {level: 县}", "org: {level: 市, name: 临江市}")
    text = head + (
        "accidents:\n"
        "  - {date: 2024-03-12, place: 临江市江口区, kind: 爆炸, deaths: 3}\n"
        "  - {date: 2024-03-02, place: 湖南长沙, kind: 坍塌}\n"
        "  - {date: 2024-02-12, place: 西岭省临江市, kind: 火灾, scope: province}\n"
        "  - {date: 2024-02-10, place: 临江市北区, kind: 火灾, scope: local}\n"
        "  - {date: 2024-02-09, place: 临江市南区, kind: 火灾, scope: 周边}\n"
    )
    path = tmp_path / "job.yaml"
    path.write_text(text, encoding="utf-8")
    job = load_job(path)
    assert [(w.location, w.code, w.key) for w in job.warnings] == [
        ("9:24", "W103", "accidents[1].place"),
        ("11:49", "W103", "accidents[3].scope"),
    ]
    first, third = job.warnings
    assert first.severity == WARNING
    assert "“临江市江口区”在临江市" in first.message and "没有写" in first.message
    assert "从全国看" in first.message and "scope: local" in first.message
    assert "写的是“全省”" in third.message and "从全省看" in third.message
    assert [a.get("scope") for a in job.data["accidents"]] == [
        None,
        None,
        "province",
        "local",
        "nearby",
    ]  # as typed: nothing is read as local that was not written so
    # a job without org.name has nothing to compare
    path.write_text(MINIMAL + text[len(head) :], encoding="utf-8")
    assert [w.code for w in load_job(path).warnings] == []
