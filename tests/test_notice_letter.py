"""Notices and letters end to end: composed from samples, written, read back from the .docx."""

from __future__ import annotations

import io
import re
import textwrap
import zipfile
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from lxml import etree

from speechgen.compose import compose_job
from speechgen.compose.library import load_library
from speechgen.doctypes.notice.composer import normalize_doc_number
from speechgen.errors import UserError
from speechgen.inputs import load_job
from speechgen.model import Heading, Paragraph, RedHeader, SignatureTable, Table
from speechgen.writers.docx import render_docx

SAMPLES = Path(__file__).resolve().parent.parent / "speechgen" / "samples"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PLACEHOLDER = re.compile(r"XX|××|×|\*\*|20xx|某某|〇〇|□|\{\{|\}\}|\{[a-z_.]+\}|None|nan")


def docs_of(path: Path, **kw):
    return [r.document for r in compose_job(load_job(path), load_library(), **kw)]


def xml_of(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("word/document.xml"))


@pytest.mark.parametrize(
    "number, expected",
    [
        ("青安办[2024]12号", "青安办〔2024〕12号"),
        ("青安办【2024】12号", "青安办〔2024〕12号"),
        ("青安办〔2024〕12号", "青安办〔2024〕12号"),
        ("青安办 (2024) 3号", "青安办〔2024〕3号"),
        ("", ""),
    ],
)
def test_document_number_brackets(number: str, expected: str) -> None:
    assert normalize_doc_number(number) == expected


def test_task_notice_layout_read_back() -> None:
    (doc,) = docs_of(SAMPLES / "08-县-任务分工-通知.yaml")
    data = render_docx(doc)
    root = xml_of(data)
    paras = root.iter(W + "p")
    texts = ["".join(t.text or "" for t in p.iter(W + "t")) for p in root.iter(W + "p")]
    joined = "\n".join(texts)
    # red header: the mark is red, followed by the corrected document number and a red rule
    mark_runs = [
        r
        for r in root.iter(W + "r")
        if "".join(t.text or "" for t in r.iter(W + "t")) == "青山县安全生产委员会办公室文件"
    ]
    assert mark_runs and mark_runs[0].find(f"{W}rPr/{W}color").get(W + "val").upper() == "FF0000"
    assert "青安办〔2024〕8号" in texts
    borders = [b for b in root.iter(W + "bottom") if b.get(W + "color", "").upper() == "FF0000"]
    assert borders, "red rule under the document number"
    assert "各乡镇人民政府，县安委会各成员单位：" in texts
    assert "附件：任务分工表" in texts
    # the attachment starts on a new page, with its table whose header repeats
    label = next(
        p for p in root.iter(W + "p") if "".join(t.text or "" for t in p.iter(W + "t")) == "附件"
    )
    assert label.find(f"{W}pPr/{W}pageBreakBefore") is not None or any(
        br.get(W + "type") == "page" for br in label.getprevious().iter(W + "br")
    )
    table = root.find(f".//{W}tbl")
    first_row = table.find(f"{W}tr")
    assert first_row.find(f"{W}trPr/{W}tblHeader") is not None
    header = ["".join(t.text or "" for t in c.iter(W + "t")) for c in first_row.iter(W + "tc")]
    assert header == ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"]
    rows = table.findall(f"{W}tr")
    assert len(rows) == 1 + 18
    assert "3月31日前" in texts and "县住建局" in joined
    # 版记 at the end: 抄送 and 印发 lines
    assert texts[-1].startswith("青山县安全生产委员会办公室") or any(
        "印发" in t for t in texts[-3:]
    )
    assert any(t.startswith("抄送：县委办公室") and t.endswith("。") for t in texts)
    assert not PLACEHOLDER.search(joined)
    assert paras is not None
    DocxDocument(io.BytesIO(data))  # opens with python-docx


def test_quarterly_batch_follows_the_seasons() -> None:
    docs = docs_of(SAMPLES / "09-县-季度通知-全年批量.yaml")
    assert [d.name for d in docs] == [
        f"关于做好2024年第{q}季度安全生产工作的通知" for q in "一二三四"
    ]
    texts = [d.plain_text() for d in docs]
    assert len(set(texts)) == 4
    season = {
        0: ("春节", "元旦"),
        1: ("汛", "安全生产月"),
        2: ("高温", "汛"),
        3: ("冬", "森林防火"),
    }
    wrong = {0: ("高温", "中秋"), 1: ("春节", "中秋"), 2: ("春节", "元旦"), 3: ("高温", "五一")}
    for i, text in enumerate(texts):
        assert any(w in text for w in season[i]), (i, season[i])
        for w in wrong[i]:
            assert w not in text, (i, w)
        assert not PLACEHOLDER.search(text)
    numbers = [next(b for b in d.blocks if isinstance(b, RedHeader)).doc_number for d in docs]
    assert numbers == [
        "青安办〔2024〕1号",
        "青安办〔2024〕12号",
        "青安办〔2024〕25号",
        "青安办〔2024〕36号",
    ]
    # each notice carries its own quarter's figures
    assert "2023年第四季度，全县共发生各类生产安全事故9起" in texts[0]
    assert "前三季度，全县共发生各类生产安全事故26起" in texts[3]


def test_letters_from_xlsx_carry_their_own_data() -> None:
    docs = docs_of(SAMPLES / "10-县-目标责任书-批量.yaml")
    assert len(docs) == 36
    names = [d.name for d in docs]
    assert len(set(names)) == 36
    by_name = {d.name.split("-", 1)[1]: d for d in docs}
    town = by_name["城关镇人民政府"].plain_text()
    dept = by_name["县住建局"].plain_text()
    firm = by_name["青山化工有限公司"].plain_text()
    assert "死亡人数控制在1人以内" in town
    assert "死亡人数为零" in dept and "控制在0人" not in dept
    # each sector of a department gets its own regulator's lines; a firm speaks as itself
    assert "建筑施工领域安全监管职责" in dept and "燃气领域安全监管职责" in dept
    assert "本单位危险化学品安全生产主体责任" in firm
    assert "属地" in town
    assert "管行业必须管安全" in dept
    for d in docs:
        heads = [b.full_text for b in d.blocks if isinstance(b, Heading)]
        assert heads == [
            "一、控制指标",
            "二、工作职责",
            "三、考核与奖惩",
            "四、责任期限",
            "五、其他",
        ]
        sig = next(b for b in d.blocks if isinstance(b, SignatureTable))
        assert sig.left[0] == "甲方：青山县人民政府（盖章）"
        assert sig.right[0].startswith("乙方：") and sig.right[0].endswith("（盖章）")
        assert sig.left[-1] == sig.right[-1] == "2024年2月20日"
        text = d.plain_text()
        assert "自2024年1月1日起至2024年12月31日止" in text
        assert "一式两份" in text
        assert not PLACEHOLDER.search(text), d.name
    # sanctions fit the recipient type
    assert "企业安全生产诚信" not in dept


def test_letter_signature_table_is_borderless() -> None:
    doc = docs_of(SAMPLES / "10-县-目标责任书-批量.yaml")[0]
    root = xml_of(render_docx(doc))
    tbl = root.find(f".//{W}tbl")
    borders = tbl.find(f"{W}tblPr/{W}tblBorders")
    assert borders is not None
    assert all(b.get(W + "val") in ("nil", "none") for b in borders)


def write(tmp_path: Path, text: str, name: str = "job.yaml") -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


LETTER = """\
type: letter
org: {level: 县, name: 青山县}
party_a: {name: 青山县人民政府, signer_title: 县长}
term: {start: 2024-01-01, end: 2024-12-31}
sign_date: 2024-02-20
targets:
  - 生产安全事故死亡人数控制在{limits.deaths_max}人以内
recipients:
  - {name: 城关镇人民政府, type: township, limits: {deaths_max: 1}}
  - {name: 县住建局, type: department}
  - {name: 县交通运输局, type: department, limits: {deaths_max: 0}}
"""


def test_missing_placeholder_value_names_the_row(tmp_path: Path) -> None:
    path = write(tmp_path, LETTER)
    with pytest.raises(UserError) as info:
        docs_of(path)
    (finding,) = info.value.findings
    assert finding.location == "recipients[2]"
    assert "县住建局" in finding.message and "limits.deaths_max" in finding.message


def test_keep_going_skips_only_the_bad_row(tmp_path: Path) -> None:
    path = write(tmp_path, LETTER)
    items = list(compose_job(load_job(path), load_library(), keep_going=True))
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["Rendered", "RowFailure", "Rendered"]


def test_notice_register_is_not_speech_register() -> None:
    (doc,) = docs_of(SAMPLES / "08-县-任务分工-通知.yaml")
    text = doc.plain_text()
    assert "同志们" not in text and "我讲" not in text
    assert "通知如下" in text
    body = [b for b in doc.blocks if isinstance(b, Paragraph) and b.role == "body"]
    assert body and all(p.full_text.endswith(("。", "：", "！")) for p in body)
    assert any(isinstance(b, Table) for b in doc.blocks)


def test_requirements_and_extra_attachments(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        type: notice
        org: {level: 县, name: 青山县}
        issuer: 青山县安全生产委员会办公室
        to: 各乡镇人民政府，县安委会各成员单位
        date: 2024-03-28
        tasks:
          - {task: 燃气安全专项整治, lead: 县住建局, due: 2024-07-31}
        requirements:
          - zhifa.kuansongruan
          - 各单位要于6月25日前报送上半年工作总结
        attachments:
          - title: 安全隐患排查整治台账
            text: 各单位按照隐患名称、整改措施、整改时限逐项填写。
          - 安全生产月活动总结表
        """,
    )
    (doc,) = docs_of(path)
    text = doc.plain_text()
    assert "宽松软" in text  # a snippet id is replaced by its text
    assert "各单位要于6月25日前报送上半年工作总结。" in text
    notes = [
        b.full_text for b in doc.blocks if isinstance(b, Paragraph) and b.role == "attachment_note"
    ]
    assert notes == ["附件：1.任务分工表", "2.安全隐患排查整治台账", "3.安全生产月活动总结表"]
    labels = [
        b.full_text for b in doc.blocks if isinstance(b, Paragraph) and b.role == "attachment_label"
    ]
    assert labels == ["附件1", "附件2"]  # the third has no text: listed, not printed
    assert "各单位按照隐患名称、整改措施、整改时限逐项填写。" in text
    # the quarter named in a title wins over the date's quarter
    assert "第二季度" not in text or "关于做好" in text


def _county_letters(tmp_path: Path, *recipients: str) -> list[str]:
    """The Markdown of each letter of a 青山县 job to ``recipients`` (flow mappings)."""
    from speechgen.compose import plan_job
    from speechgen.writers.markdown import render_markdown

    job = tmp_path / "letters.yaml"
    job.write_text(
        "type: letter\norg: {level: 县, name: 青山县}\n"
        "party_a: {name: 青山县人民政府, signer_title: 县长}\n"
        "term: {start: 2024-01-01, end: 2024-12-31}\nsign_date: 2024-02-20\nrecipients:\n"
        + "".join(f"  - {r}\n" for r in recipients),
        encoding="utf-8",
    )
    docs = plan_job(load_job(job), load_library(), 0)
    return [render_markdown(docs.compose(i)) for i in range(len(recipients))]


def test_a_department_is_never_told_to_work_together_with_itself(tmp_path: Path) -> None:
    """地质灾害's partners include 住建局: the letter to 县住建局 names only the others."""
    letters = _county_letters(
        tmp_path,
        "{name: 县住建局, type: department, signer_title: 局长, sectors: [地质灾害]}",
        "{name: 县水利局, type: department, signer_title: 局长, sectors: [地质灾害]}",
    )
    for own, letter in zip(("县住建局", "县水利局"), letters, strict=True):
        lines = [x for x in letter.splitlines() if "会同" in x]
        assert lines, "the sector line with its partners is written"
        assert all(f"会同{own}" not in x and f"、{own}" not in x for x in lines), lines
        assert all("县应急管理局" in x for x in lines)


def test_a_township_is_asked_to_check_a_townships_items(tmp_path: Path) -> None:
    """A county's letter to a township lists the dictionary's township items for its
    sectors (农村面包车超员, 集镇沿街门店); to a department, the county's (客运车辆,
    高层建筑): the township checks neither 危险品运输车辆 nor 高层建筑 itself."""
    township, department = _county_letters(
        tmp_path,
        "{name: 城关镇人民政府, type: township, signer_title: 镇长, sectors: [道路交通, 消防]}",
        "{name: 县交通运输局, type: department, signer_title: 局长, sectors: [道路交通, 消防]}",
    )
    assert "组织开展农村面包车超员、农用车和三轮车违法载人" in township
    assert "组织开展集镇沿街门店、小作坊和出租房屋" in township
    assert "危险品运输车辆" not in township and "高层建筑" not in township
    assert "重点抓好客运车辆、危险品运输车辆" in department
    assert "高层建筑" in department and "农村面包车" not in department
