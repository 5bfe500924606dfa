"""Quarterly notices as a county office sends them (issue #10, item 1): full length, the
whole season of the quarter and no other's, no paragraph shared across a batch, and
nothing claimed that the input does not carry."""

from __future__ import annotations

import collections
import itertools
import re
import textwrap
from pathlib import Path

import pytest

from speechgen.compose import compose_job
from speechgen.compose.headings import missing_terms
from speechgen.compose.library import load_library
from speechgen.compose.repeats import shares_run
from speechgen.inputs import load_job
from speechgen.model import Heading, Paragraph

SAMPLES = Path(__file__).resolve().parent.parent / "speechgen" / "samples"

# spec/INPUT.md: the whole season of each quarter
SEASON = {
    1: ("春节", "两会", "低温雨雪冰冻", "复工复产"),
    2: ("五一", "安全生产月", "汛期"),
    3: ("高温", "主汛期", "暑期", "中秋", "国庆"),
    4: ("冬季取暖", "森林防火", "岁末年初", "烟花爆竹"),
}
# words that belong to one quarter only (汛期 is inside 主汛期, so it is not listed)
OWN = {
    1: ("春节", "两会", "低温雨雪冰冻", "复工复产", "春运"),
    2: ("五一", "安全生产月", "端午"),
    3: ("高温", "主汛期", "暑期", "中秋", "国庆"),
    4: ("冬季取暖", "森林防火", "岁末年初", "烟花爆竹"),
}

MINIMAL_BATCH = """\
type: notice
org: {level: 区, name: 东湖区}
issuer: 东湖区安全生产委员会办公室
to: 各街道办事处，区安委会各成员单位
report: {day: 25, to: 区安委办}
batch:
  - {quarter: 1, date: 2025-12-26}
  - {quarter: 2, date: 2025-03-27}
  - {quarter: 3, date: 2025-06-26}
  - {quarter: 4, date: 2025-09-26}
"""


def compose_file(path: Path) -> list:
    return [r.document for r in compose_job(load_job(path), load_library(), 0)]


def compose_text(tmp_path: Path, text: str) -> list:
    path = tmp_path / "notice.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return compose_file(path)


def body_paragraphs(doc) -> list[str]:
    """The notice's body: from the title to the signature (attachments and 版记 left out)."""
    out = []
    for b in doc.blocks:
        if isinstance(b, Paragraph) and b.role == "signature":
            break
        if isinstance(b, Paragraph) and b.role == "body" or isinstance(b, Heading):
            out.append(b.full_text)
    return out


def quarter_of(doc) -> int:
    return "一二三四".index(doc.name.split("第")[1][0]) + 1


@pytest.fixture(scope="module")
def batches(tmp_path_factory) -> dict[str, list]:
    tmp = tmp_path_factory.mktemp("notices")
    minimal = tmp / "minimal.yaml"
    minimal.write_text(MINIMAL_BATCH, encoding="utf-8")
    return {
        "sample": compose_file(SAMPLES / "09-县-季度通知-全年批量.yaml"),
        "minimal": compose_file(minimal),
    }


@pytest.mark.parametrize("which", ["sample", "minimal"])
def test_each_notice_runs_to_a_real_length(batches, which: str) -> None:
    for doc in batches[which]:
        n = len("".join(body_paragraphs(doc)))
        assert 2000 <= n <= 4000, (doc.name, n)


@pytest.mark.parametrize("which", ["sample", "minimal"])
def test_each_quarter_has_its_whole_season(batches, which: str) -> None:
    for doc in batches[which]:
        text = "".join(body_paragraphs(doc))
        for word in SEASON[quarter_of(doc)]:
            assert word in text, (doc.name, word)


def test_no_other_quarters_season_words(batches) -> None:
    # the minimal batch has no typed sectors: every seasonal word is the engine's
    for doc in batches["minimal"]:
        q = quarter_of(doc)
        text = "".join(body_paragraphs(doc))
        for other, words in OWN.items():
            if other == q:
                continue
            for word in words:
                assert word not in text, (doc.name, word)


@pytest.mark.parametrize("which", ["sample", "minimal"])
def test_no_paragraph_is_shared_across_the_batch(batches, which: str) -> None:
    seen: collections.Counter[str] = collections.Counter()
    for doc in batches[which]:
        for para in set(body_paragraphs(doc)):
            if len(para) > 40 and not para.startswith(("（四）及时报送信息", "（三）及时报送信息")):
                seen[para] += 1
    shared = [p[:40] for p, n in seen.items() if n > 1]
    assert not shared, shared


def test_headings_say_what_their_parts_hold(batches) -> None:
    for doc in batches["sample"] + batches["minimal"]:
        blocks = doc.blocks
        for i, b in enumerate(blocks):
            if not isinstance(b, Heading):
                continue
            under = []
            for nxt in blocks[i + 1 :]:
                if isinstance(nxt, Heading) or getattr(nxt, "role", "") == "signature":
                    break
                under.append(getattr(nxt, "full_text", ""))
            assert not missing_terms(b.text, "".join(under)), (doc.name, b.text)
        for para in body_paragraphs(doc):
            lead = para.split("。", 1)[0]
            if lead.startswith("（") and "值班值守" in lead:
                assert "值班" in para[len(lead) :], (doc.name, para[:60])


def test_report_and_quarter_year(batches) -> None:
    names = sorted(d.name for d in batches["minimal"])
    assert "关于做好2026年第一季度安全生产工作的通知" in names  # a December notice for Q1
    for doc in batches["minimal"]:
        assert "每季度最后一个月25日前" in "".join(body_paragraphs(doc))


def test_approval_is_claimed_only_when_typed(tmp_path: Path) -> None:
    base = """\
        type: notice
        org: {level: 县, name: 青山县}
        issuer: 青山县安全生产委员会办公室
        to: 各乡镇人民政府
        date: 2024-03-28
        quarter: 2
        """
    (doc,) = compose_text(tmp_path, base)
    assert "同意" not in "".join(body_paragraphs(doc))
    (doc,) = compose_text(tmp_path, base + "approved_by: 县政府\n")
    assert "经县政府同意" in "".join(body_paragraphs(doc))


def test_duty_arrangements_in_the_duty_item(tmp_path: Path) -> None:
    (doc,) = compose_text(
        tmp_path,
        """\
        type: notice
        org: {level: 县, name: 青山县}
        issuer: 青山县安全生产委员会办公室
        to: 各乡镇人民政府
        date: 2024-09-20
        quarter: 4
        duty: {from: 2024-10-01, to: 2024-10-07, phone: 0571-88886666, report_by: 2024-09-27, report_to: 县安委办}
        """,
    )
    duty = [p for p in body_paragraphs(doc) if "严格值班值守" in p[:12]]
    assert duty and "10月1日至10月7日" in duty[0] and "0571-88886666" in duty[0]
    assert "9月27日前" in duty[0] and "县安委办" in duty[0]


def test_task_notice_introduces_its_table(tmp_path: Path) -> None:
    (doc,) = compose_file(SAMPLES / "08-县-任务分工-通知.yaml")
    job = load_job(SAMPLES / "08-县-任务分工-通知.yaml")
    n = len(job.data["tasks"])
    text = "".join(body_paragraphs(doc))
    assert "附件" in text and f"{n}项" in text
    rows = [b for b in doc.blocks if type(b).__name__ == "Table"]
    assert rows and len(rows[0].rows) == n


LETTERS = """\
type: letter
org: {level: 县, name: 青山县}
party_a: {name: 青山县人民政府, signer_title: 县长}
term: {start: 2024-01-01, end: 2024-12-31}
sign_date: 2024-02-20
recipients:
  - {name: 青山化工有限公司, type: enterprise, sectors: [危险化学品], signer_title: 总经理}
  - {name: 县住建局, type: department, sectors: [燃气], signer_title: 局长}
  - {name: 县数据局, type: department, sectors: [数据中心机房], signer_title: 局长}
"""


def test_letters_speak_in_the_voice_of_their_recipient(tmp_path: Path) -> None:
    path = tmp_path / "letters.yaml"
    path.write_text(LETTERS, encoding="utf-8")
    job = load_job(path)
    docs = [r.document for r in compose_job(job, load_library(), 0)]
    text = {d.name.split("-")[-1]: "".join(body_paragraphs(d)) for d in docs}
    firm = text["青山化工有限公司"]
    assert "主体责任" in firm and "全员安全生产责任制" in firm and "自查自改" in firm
    assert "监管职责" not in firm and "重点抓好" not in firm  # never a regulator's voice
    dept = [p for p in body_paragraphs(docs[1]) if "燃气" in p]
    assert len(dept) >= 2 and any("监管职责" in p for p in dept)


def test_an_unknown_sector_is_named_in_a_warning(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "letters.yaml"
    path.write_text(LETTERS, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "speechgen", "render", str(path), "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert "警告 W131" in run.stderr and "数据中心机房" in run.stderr


def _sentences_after_lead(paragraph: str) -> list[str]:
    parts = [s for s in re.split(r"(?<=。)", paragraph) if s]
    return parts[1:] if paragraph.startswith("（") else parts  # （二）扎实开展…活动。 is a title


@pytest.mark.parametrize("seed", range(4))
def test_no_item_says_a_phrase_twice(seed: int) -> None:
    # two snippets of one item may not share a clause (严防年底隐患“回潮”和事故“翘尾” … 严防隐患
    # “回潮”和事故“翘尾”): the composer takes another one, or ends the item
    docs = [
        r.document
        for f in ("09-县-季度通知-全年批量.yaml", "08-县-任务分工-通知.yaml")
        for r in compose_job(load_job(SAMPLES / f), load_library(), seed)
    ]
    said = []
    for doc in docs:
        for p in body_paragraphs(doc):
            for a, b in itertools.combinations(_sentences_after_lead(p), 2):
                if shares_run(a, b):
                    said.append((doc.name, a, b))
    assert said == []


def test_shares_run_reads_within_clauses() -> None:
    assert shares_run(
        "要严防年底隐患“回潮”和事故“翘尾”。", "严防隐患“回潮”和事故“翘尾”，确保收官。"
    )
    assert not shares_run(
        "加强景区的安全管理，严格落实景区限流。", "加强车辆的安全管理，严格落实大型活动许可。"
    )
    assert not shares_run("强化安全生产主体责任。", "督促企业落实安全生产主体责任。")  # a term of 8


@pytest.mark.parametrize(
    ("date", "quarter", "before"),
    [("2024-03-28", 2, True), ("2024-05-20", 2, False), ("2024-06-28", 3, False)],
)
def test_the_checks_before_the_flood_season_are_not_asked_once_it_began(
    tmp_path: Path, date: str, quarter: int, before: bool
) -> None:
    """汛前检查 and 入汛前 belong to the month before 汛期 (calendar: 汛前, 4月): a notice
    of late March asks for them; one of late May or of the third quarter (the 汛期 under
    way since 5月1日) does not, nor heads its item 汛前和汛期."""
    path = tmp_path / "notice.yaml"
    path.write_text(
        "type: notice\norg: {level: 县, name: 青山县}\nissuer: 青山县安全生产委员会办公室\n"
        f"to: 各乡镇人民政府，县直各部门\ndate: {date}\nquarter: {quarter}\npoints: auto\n"
        "sectors: [{name: 防汛抗旱}, {name: 地质灾害}]\n",
        encoding="utf-8",
    )
    said = ""
    for seed in range(6):
        (rendered,) = compose_job(load_job(path), load_library(), seed)
        said += rendered.document.plain_text()
    assert ("汛前" in said) is before, (date, said.count("汛前"))
    assert ("汛期" in said) is True


def test_a_notice_names_only_the_holidays_still_ahead_and_tasks_by_their_dates(
    tmp_path: Path,
) -> None:
    """Dated 2027-02-20 (春节 fell on 2-6): the first quarter's overview and its first
    item speak of 春运 (to 3-3), not of 元旦春节 behind it; a task table due over the
    year is 全年's, not 第一季度's (sample 08 said 第一季度18项 of tasks due in
    December), and the introduction hands the table out."""
    base = """\
        type: notice
        org: {level: 市, name: 临江市}
        issuer: 临江市安全生产委员会办公室
        title: 关于印发临江市2027年安全生产重点工作任务分工的通知
        to: 各县（市、区）安委会，市安委会各成员单位
        date: 2027-02-20
        tasks:
          - {task: 危险化学品安全专项整治, lead: 市应急管理局, due: 2027-10-31}
          - {task: 城镇燃气安全排查, lead: 市住建局, due: DUE}
        """
    (doc,) = compose_text(tmp_path, base.replace("DUE", "2027-06-30"))
    text = "".join(body_paragraphs(doc))
    assert "元旦" not in text and "春节期间" not in text and "抓好春运期间安全防范" in text
    assert "全年2项重点工作任务" in text and "第一季度2项" not in text
    assert "任务分工（共2项，见附件）印发给你们" in text
    (doc,) = compose_text(tmp_path, base.replace("DUE", "2028-03-31"))
    assert "本通知所列2项重点工作任务" in "".join(body_paragraphs(doc))
    # every task due within the quarter: the quarter's
    # the sample's fourth-quarter overview keeps each topic's own name (no 岁末年初和年底)
    docs = compose_file(SAMPLES / "09-县-季度通知-全年批量.yaml")
    overview = [p for d in docs for p in body_paragraphs(d) if "相继到来" in p]
    assert len(overview) == 4 and not any("和年底" in p or "中秋和国庆" in p for p in overview)
    quarter = base.replace("2027-10-31", "2027-03-20").replace("DUE", "2027-03-31")
    (doc,) = compose_text(tmp_path, quarter)
    assert "第一季度2项重点工作任务" in "".join(body_paragraphs(doc))
