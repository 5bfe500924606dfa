"""The one-right-answer rules of ``speechgen format``, table by table, and Word's
number formats. Each row is (kind, input, expected); a rule must leave the words
alone and must not touch what is content (a placeholder, a time, a URL)."""

from __future__ import annotations

import pytest

from speechgen.check.docx_reader import DocxPackage
from speechgen.reformat.autonumber import Level, Numbering, format_number
from speechgen.reformat.fixes import RULE_NAMES, Change, apply_text_rules

ROWS = [
    # 文号
    ("doc-number", "青安办[2024]12号", "青安办〔2024〕12号"),
    ("doc-number", "青安办【2024】第012号", "青安办〔2024〕12号"),
    ("body", "根据《通知》（吉政发(2023)5号）要求", "根据《通知》（吉政发〔2023〕5号）要求"),
    ("body", "依据吉政发[20xx]12号文件", "依据吉政发〔20xx〕12号文件"),  # masked year kept
    # markers
    ("heading", "1、抓好隐患排查", "1.抓好隐患排查"),
    ("heading", "（一）、成绩来之不易", "（一）成绩来之不易"),
    ("heading", "(二)问题不容忽视", "（二）问题不容忽视"),
    ("heading", "一.提高认识", "一、提高认识"),
    ("heading", "二、 扎实做好重点工作", "二、扎实做好重点工作"),
    ("body", "(1)燃气安全。要全面排查。", "（1）燃气安全。要全面排查。"),
    ("attachment_note", "附件：1、任务分工表", "附件：1.任务分工表"),
    # heading full stop: level 1 and 2 only
    ("heading", "一、清醒认识形势。", "一、清醒认识形势"),
    ("heading", "1.抓好排查。", "1.抓好排查。"),
    # punctuation
    (
        "body",
        "今天开会,主要任务是:部署工作;大家要重视!",
        "今天开会，主要任务是：部署工作；大家要重视！",
    ),
    ("body", '坚持"三管三必须"原则', "坚持“三管三必须”原则"),
    ("body", "会议(扩大)召开", "会议（扩大）召开"),
    ("body", "值班制度 , 确保畅通", "值班制度，确保畅通"),
    ("body", "上午9:30在www.example.com报名", "上午9:30在www.example.com报名"),
    ("body", "下降12.5%。", "下降12.5%。"),
    ("body", "完成了任务.", "完成了任务。"),
    ("body", "责任。。", "责任。"),
    ("body", "好，。", "好，。"),  # a mixed pair is not one right answer: reported
    # dates
    ("body", "2024年01月05日召开", "2024年1月5日召开"),
    ("body", "于2024 年 4 月 10 日", "于2024年4月10日"),
    ("date", "二〇二四年一月五日", "2024年1月5日"),
    ("body", "截至2024-03-31", "截至2024年3月31日"),
    ("body", "农历正月十五", "农历正月十五"),
    # spaces
    ("body", "  今天召开会议。", "今天召开会议。"),
    ("body", "安全 生产", "安全生产"),
    ("body", "联系人：张三    电话：0123-4567890", "联系人：张三\u3000电话：0123-4567890"),
    ("body", "使用 Word 软件", "使用 Word 软件"),
    ("body", "时间：\t2024年5月", "时间：2024年5月"),
    ("body", "（ 一岗双责 ）", "（一岗双责）"),
    ("title", "关于  做好汛期工作的通知", "关于做好汛期工作的通知"),
    ("table-cell", "张  三", "张  三"),  # a name padded in a cell
    # placeholders are content
    ("body", "XX局长通报，××同志", "XX局长通报，××同志"),
]


@pytest.mark.parametrize(("kind", "text", "want"), ROWS)
def test_rule(kind: str, text: str, want: str) -> None:
    kind = "heading" if kind == "doc-number" else kind
    changes: list[Change] = []
    assert apply_text_rules(text, kind, "段1", changes) == want
    assert bool(changes) == (text != want)
    for c in changes:
        assert c.paragraph == "段1" and c.rule in RULE_NAMES.values()
    if changes:  # the chain of changes goes from the input to the result
        assert changes[0].before == text and changes[-1].after == want
        assert all(a.after == b.before for a, b in zip(changes, changes[1:], strict=False))


@pytest.mark.parametrize(
    ("n", "fmt", "want"),
    [
        (1, "chineseCounting", "一"),
        (12, "chineseCountingThousand", "十二"),
        (3, "decimal", "3"),
        (2, "decimalFullWidth", "２"),
        (4, "decimalEnclosedCircle", "④"),
        (3, "lowerLetter", "c"),
        (4, "upperRoman", "IV"),
        (7, "decimalZero", "07"),
    ],
)
def test_word_number_formats(n: int, fmt: str, want: str) -> None:
    assert format_number(n, fmt) == want


def test_counters_restart_under_a_new_parent() -> None:
    nb = Numbering()
    nb.abstract["1"] = {
        0: Level(1, "chineseCounting", "%1、"),
        1: Level(1, "chineseCounting", "（%2）"),
    }
    nb.nums["5"] = "1"
    got = [nb.next_marker("5", lvl) for lvl in (0, 1, 1, 0, 1)]
    assert got == ["一、", "（一）", "（二）", "二、", "（一）"]
    assert nb.next_marker("0", 0) is None  # numId 0 switches numbering off


def test_start_override_restarts_a_list() -> None:
    nb = Numbering()
    nb.abstract["1"] = {0: Level(1, "decimal", "%1.")}
    nb.nums.update({"5": "1", "6": "1"})
    nb.overrides["6"] = {0: 1}
    assert [nb.next_marker("5", 0), nb.next_marker("5", 0)] == ["1.", "2."]
    assert nb.next_marker("6", 0) == "1."


def test_corpus_file_is_read_with_its_numbering() -> None:
    from pathlib import Path

    from speechgen.reformat.autonumber import read_numbering

    path = Path(__file__).parent / "data" / "format" / "通知-自动编号-版记.docx"
    nb = read_numbering(DocxPackage(path))
    assert nb.abstract["90"][1] == Level(1, "chineseCounting", "（%2）", "")
