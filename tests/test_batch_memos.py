"""The memos that make a batch of letters cheap cannot give a stale answer.

Each memo is keyed on everything its function reads; these tests put documents
that share most of their text through one process, in both orders, and check that
each gets its own findings and bytes, and that every memo stays within its bound.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile

from speechgen.check import check_document, numbering
from speechgen.check.records import records_from_document
from speechgen.compose import walk
from speechgen.errors import Finding
from speechgen.markup import _PARAS, PARAS_MAX, parse
from speechgen.memo import Memo
from speechgen.model import Document, Paragraph
from speechgen.writers import docx


def doc(*lines: str, name: str = "测试") -> Document:
    d = Document("speech", name)
    d.add(Paragraph("关于加强安全生产工作的意见", "title"))
    for line in lines:
        d.add(Paragraph(line))
    return d


def found(d: Document) -> list[tuple[str, str, str]]:
    return [(f.code, f.location, f.message) for f in check_document(d)]


def numbering_codes(fs: list[Finding] | list[tuple[str, str, str]]) -> list[str]:
    return [f[0] for f in fs if f[0].startswith("E22")]


# Two documents whose records have the same kinds and whose texts differ only in
# words the numbering does not read, and a third whose numbering differs.
GOOD = ("一、加强领导。落实“党政同责”。", "二、落实责任，抓好排查整治。", "三、强化保障。")
SAME_SHAPE = ("一、压实责任。落实“一岗双责”。", "二、加强督查，抓好隐患整改。", "三、强化考核。")
GAP = ("一、加强领导。落实“党政同责”。", "二、落实责任，抓好排查整治。", "四、强化保障。")


def test_numbering_memo_gives_each_document_its_own_findings() -> None:
    numbering._SEQ_MEMO.clear()
    a, b, c = found(doc(*GOOD)), found(doc(*SAME_SHAPE)), found(doc(*GAP))
    assert numbering_codes(a) == [] and numbering_codes(b) == []
    assert numbering_codes(c) == ["E220"]
    # the gap is reported at the gap of this document, with its own words
    (gap,) = [f for f in c if f[0] == "E220"]
    assert "四、" in gap[2] and "强化保障" in gap[1]
    # and again, the other way round, with the memo warm
    assert numbering_codes(found(doc(*GAP))) == ["E220"]
    assert numbering_codes(found(doc(*GOOD))) == []


def test_numbering_memo_hit_locates_issues_at_the_documents_own_records() -> None:
    numbering._SEQ_MEMO.clear()
    first = found(doc("一、加强领导", "三、落实责任", name="甲"))
    second = found(doc("一、压实责任", "三、强化考核", name="乙"))  # the same facts
    assert len(numbering._SEQ_MEMO) == 1  # the second was answered from the memo
    assert [f for f in first if f[0] == "E220"][0][1].endswith("「三、落实责任」")
    assert [f for f in second if f[0] == "E220"][0][1].endswith("「三、强化考核」")


def test_numbering_memo_agrees_with_a_cold_analysis() -> None:
    """What the memo returns for a document equals the walk on it with every memo empty."""
    texts = [
        ("下面，我讲三点意见。", "一是排查整治不能停。", "二是责任落实要到位。"),
        (
            "下面，我讲三点意见。",
            "一是排查整治不能停。",
            "二是责任落实要到位。",
            "三是保障要有力。",
        ),
        ("（一）组织领导。", "（二）责任落实。", "（二）考核奖惩。"),
    ]
    warm = [found(doc(*t)) for t in texts for _ in range(2)]
    cold = []
    for t in texts:
        numbering._SEQ_MEMO.clear()
        numbering._facts.cache_clear()
        cold.append(found(doc(*t)))
        cold.append(found(doc(*t)))
    assert warm == cold
    assert numbering_codes(warm[0]) == ["E225"]  # announced three, two follow
    assert numbering_codes(warm[2]) == []


def test_numbering_memos_stay_bounded(monkeypatch) -> None:
    monkeypatch.setattr(numbering, "_SEQ_MEMO", Memo(8))
    for k in range(1, 30):
        # k numbered paragraphs: a different sequence each time
        numbering.analyse(records_from_document(doc(*[f"（{n}）项目" for n in range(1, k + 1)])))
        memo = numbering._SEQ_MEMO
        assert 0 < len(memo) and len(memo) + len(memo.older) <= 8
    assert len(numbering._FACT_IDS) <= numbering.FACTS_MAX


def test_fact_uids_are_equal_only_for_equal_facts() -> None:
    a = numbering._facts("一、加强领导")
    b = numbering._facts("一、压实责任")  # same marker, standalone, no full stop
    c = numbering._facts("一、压实责任。")  # ends with a full stop
    assert a.uid == b.uid and a == b
    assert c.uid != a.uid and c != a


def _document_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("word/document.xml").decode("utf-8")


def test_run_memo_keeps_each_text_its_own_xml_and_stays_bounded() -> None:
    kit = docx._kit(docx.font_settings(None))
    run = kit.roles["body"].run
    one = run.run("电话0571-12345678。")
    two = run.run("电话0571-87654321。")
    assert "12345678" in one and "87654321" in two and one != two
    run._memo.forget()
    assert run.run("电话0571-12345678。") == one  # the same XML afresh
    for k in range(3 * docx.RUN_MEMO):
        run.run(f"第{k}段")
        assert len(run._memo) + len(run._memo.older) <= docx.RUN_MEMO
    assert run.run("电话0571-87654321。") == two


def test_docx_bytes_do_not_depend_on_what_was_rendered_before() -> None:
    a, b = doc(*GOOD, name="甲"), doc(*GAP, name="乙")
    first_a = docx.render_docx(a)
    docx.render_docx(b)
    for r in docx._kit(docx.font_settings(None)).roles.values():
        r.run._memo.forget()
    assert docx.render_docx(a) == first_a
    assert "四、强化保障" in _document_xml(docx.render_docx(b))
    assert "四、强化保障" not in _document_xml(first_a)


def test_escape_memo_escapes_each_value_and_stays_bounded() -> None:
    walk._ESCAPED.forget()
    assert walk.escape_value("甲方") == "甲方"
    assert walk.escape_value("# 甲方") == "\\# 甲方"
    assert walk.escape_value("甲方") == "甲方"
    assert walk.escape_value(3) == 3
    for k in range(walk.ESCAPED_MAX + 10):
        walk.escape_value(f"值{k}")
        assert len(walk._ESCAPED) + len(walk._ESCAPED.older) <= walk.ESCAPED_MAX


def test_parse_memo_returns_fresh_paragraphs_and_stays_bounded() -> None:
    first = parse("*（一）*甲方 {.salutation}\n\n正文\n")
    first[0].text = "改过"
    again = parse("*（一）*甲方 {.salutation}\n\n正文\n")
    assert (again[0].lead, again[0].text, again[0].role) == ("（一）", "甲方", "salutation")
    assert again[0] is not first[0]
    for k in range(PARAS_MAX + 10):
        parse(f"第{k}段\n")
        assert len(_PARAS) + len(_PARAS.older) <= PARAS_MAX


def test_records_are_shared_only_where_everything_they_hold_agrees(monkeypatch) -> None:
    from speechgen.check import records as R

    a = doc("第一段。", "乙方：城关镇人民政府", "第三段。")
    b = doc("第一段。", "乙方：县应急管理局", "第三段。")
    c = doc("乙方：城关镇人民政府", "第一段。", "第三段。")  # the same texts, other places
    ra, rb, rc = (records_from_document(x) for x in (a, b, c))
    assert ra[1] is rb[1] and ra[3] is rb[3]  # same text at the same place: one record
    assert ra[2] is not rb[2] and ra[2].text != rb[2].text
    assert ra[1] is not rc[2] and ra[2] is not rc[1] and ra[3] is rc[3]
    assert [(r.index, r.location) for r in rc] == [
        (i, R.para_location(i, r.text)) for i, r in enumerate(rc, start=1)
    ]
    # the same records as made with nothing kept
    monkeypatch.setattr(R, "_RECORDS", Memo(R.RECORDS_MAX))
    fresh = records_from_document(b)
    # (what a record holds; numbering_key is a memo worked out when first asked)
    held = [f.name for f in dataclasses.fields(R.Record) if f.compare]
    assert "numbering_key" not in held and "text" in held

    def values(rs):
        return [tuple(getattr(r, n) for n in held) for r in rs]

    assert values(fresh) == values(rb)
    monkeypatch.setattr(R, "_RECORDS", Memo(2))
    for i in range(10):
        records_from_document(doc(f"第{i}段。"))
        assert len(R._RECORDS) + len(R._RECORDS.older) <= 2


def test_memo_keeps_two_generations_and_what_is_used_survives_each_turn() -> None:
    memo: Memo[str, object] = Memo(8)  # 4 entries a generation
    computed: list[str] = []

    def get(key: str) -> object:
        got = memo.get(key)
        if got is None and (got := memo.recall(key)) is None:
            computed.append(key)
            got = memo.keep(key, f"值{key}")
        return got

    for k in range(40):
        assert get("共用") == "值共用"  # what every document uses
        assert get(f"独有{k}") == f"值独有{k}"  # what one document uses
        assert len(memo) + len(memo.older) <= 8
    assert computed.count("共用") == 1  # moved back at each turn, never computed again
    assert "独有0" not in memo and "独有0" not in memo.older  # gone after two turns
    # a falsy value is a value: recall tells it from an absent key by the default
    memo.forget()
    memo.keep("空", None)
    for k in range(4):  # the fourth turns a generation
        memo.keep(f"填{k}", k)
    assert "空" in memo.older and memo.recall("空", False) is None
    assert memo.recall("从未有过", False) is False
    memo.forget()
    assert len(memo) == 0 and memo.older == {}


def test_a_shared_record_gets_the_findings_of_each_documents_context() -> None:
    """A record is shared by documents with the same paragraph at the same place, and it
    keeps the paragraph rules' results it was given: never those of another context."""
    line = "今年是建党100周年，我们要以优异成绩迎接。"

    def dated(year: int) -> Document:
        d = doc("第一段。", line, name=f"甲{year}")
        d.meta["date"] = f"{year}-03-01"
        return d

    def w203(d: Document) -> list[str]:
        return [f[2] for f in found(d) if f[0] == "W203"]

    a, b = dated(2021), dated(2024)
    assert records_from_document(a)[2] is records_from_document(b)[2]  # one record
    for _ in range(2):  # and in either order, with the results held by the record
        assert w203(a) == []
        assert len(w203(b)) == 1 and "建党100周年" in w203(b)[0]
