"""speechgen.inputs: the valid forms of spec/INPUT.md load and normalise."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from speechgen.errors import WARNING
from speechgen.inputs import Job, Limits, deep_merge, known_keys, load_job

DATA = Path(__file__).parent / "data" / "inputs"


def load(name: str) -> Job:
    return load_job(DATA / name)


@pytest.mark.parametrize(
    ("name", "job_type"),
    [
        ("speech.yaml", "speech"),
        ("outline.yaml", "outline"),
        ("notice.yaml", "notice"),
        ("notice_batch.yaml", "notice"),
        ("letter.yaml", "letter"),
        ("letter_csv.yaml", "letter"),
        ("extensions_speech.yaml", "speech"),
        ("extensions_notice.yaml", "notice"),
        ("extensions_letter.yaml", "letter"),
    ],
)
def test_samples_load_without_warnings(name: str, job_type: str) -> None:
    job = load(name)
    assert job.type == job_type
    assert job.data["type"] == job_type
    assert job.path == DATA / name
    assert job.warnings == []


def test_speech_normalised() -> None:
    data = load("speech.yaml").data
    assert data["meeting"]["date"] == dt.date(2024, 4, 10)
    assert data["meeting"]["quarter"] == 2  # derived from the date
    assert data["meeting"]["kind"] == "quarterly"
    assert data["speaker"] == {"role": "县长", "name": "张三"}
    assert data["points"] == "auto"
    assert data["stats"]["current"] == {
        "accidents": 12,
        "deaths": 3,
        "injured": 5,
        "loss_wan": 120.5,
    }
    assert data["stats"]["hazards"] == {"found": 6368, "fixed": 6200}
    accident = data["accidents"][0]
    assert accident["date"] == dt.date(2023, 1, 15)
    assert accident["deaths"] == 13 and accident["code"] == "6·18"
    assert data["sectors"][0]["support"] == ["县公安局"]
    assert data["sectors"][0]["checks"] == ["小化工", "不明物料堆放"]
    assert data["sectors"][1]["support"] == ["县住建局", "县市场监管局"]  # 、-joined string
    assert data["sectors"][1]["checks"] == []  # default
    assert data["preceding"][0]["who"] == ["县应急管理局"]
    assert data["preceding"][1]["who"] == ["县住建局", "县交通运输局"]
    assert data["meeting"]["cause"] == {"place": "江北市", "code": "6·18", "kind": "爆炸"}
    assert "situation" not in data  # absent stays absent


def test_outline_defaults_and_points() -> None:
    data = load("outline.yaml").data
    assert data["meeting"]["date"] == dt.date(2024, 6, 3)  # 2024年6月3日
    assert data["meeting"]["quarter"] == 2
    assert data["accidents"] == [] and data["sectors"] == [] and data["preceding"] == []
    first, second = data["points"]
    assert first["heading"] == "深刻汲取事故教训，认清严峻形势"
    assert first["items"] == [
        {"from": "accidents"},
        {"use": "jiewei.zhongyu_taishan"},
        {"text": "自由输入的一段话。"},
    ]
    assert second["items"] == [{"title": "排查整治不能停", "from": "sectors"}]


def test_notice_normalised() -> None:
    data = load("notice.yaml").data
    assert data["doc_number"] == "青安办[2024]12号"  # kept as typed
    assert data["date"] == dt.date(2024, 3, 28)
    assert data["quarter"] == 1  # derived from date when absent
    assert data["tasks"][0]["due"] == dt.date(2024, 7, 31)
    assert data["tasks"][0]["support"] == ["县市场监管局"]
    assert data["tasks"][1]["due"] == "长期坚持"  # date or text
    assert data["tasks"][1]["support"] == []
    assert data["contact"] == {"name": "王芳", "phone": "0571-12345678"}
    assert data["cc"] == "县委办公室，县人大常委会办公室"
    assert data["points"] == "auto"


def test_notice_batch_deep_merge() -> None:
    job = load("notice_batch.yaml")
    first, second, third = job.data["batch"]
    assert [entry["_row"] for entry in job.data["batch"]] == ["batch[1]", "batch[2]", "batch[3]"]
    assert first["quarter"] == 1 and first["date"] == dt.date(2024, 1, 2)
    assert first["doc_number"] == "青安办〔2024〕1号"
    assert first["issuer"] == "青山县安全生产委员会办公室"  # from the job
    # mappings merge key by key, the entry wins
    assert second["contact"] == {"name": "王芳", "phone": "13800000000"}
    assert first["contact"] == {"name": "王芳", "phone": "0571-12345678"}
    assert third["quarter"] == 2  # derived from the merged date
    assert "doc_number" not in third
    assert "batch" not in first
    assert job.data["issuer"] == "青山县安全生产委员会办公室"
    assert job.position("batch[2].doc_number") == "8:36"
    assert job.position("batch[3].issuer") == "9:5"  # not written: the entry's position


def test_deep_merge() -> None:
    base = {"a": {"x": 1, "y": {"p": 1}}, "l": [1, 2], "k": 1}
    entry = {"a": {"y": {"q": 2}}, "l": [3]}
    merged = deep_merge(base, entry)
    assert merged == {"a": {"x": 1, "y": {"p": 1, "q": 2}}, "l": [3], "k": 1}
    assert base == {"a": {"x": 1, "y": {"p": 1}}, "l": [1, 2], "k": 1}


def test_letter_normalised() -> None:
    data = load("letter.yaml").data
    first, second = data["recipients"]
    assert first == {
        "name": "城关镇人民政府",
        "type": "township",
        "signer_title": "镇长",
        "limits": {"deaths_max": 1},
        "_row": "recipients[1]",
    }
    assert second["type"] == "department"  # Chinese 部门 accepted
    assert second["sectors"] == ["建筑施工", "燃气"]
    assert data["term"] == {"start": dt.date(2024, 1, 1), "end": dt.date(2024, 12, 31)}
    assert data["sign_date"] == dt.date(2024, 2, 20)
    assert data["targets"][1] == "生产安全事故死亡人数控制在{limits.deaths_max}人以内"
    assert data["duties"] == "auto" and data["sanctions"] == "auto"
    assert data["copies"] == 2


def test_letter_recipients_from_csv() -> None:
    job = load("letter_csv.yaml")
    recipients = job.data["recipients"]
    assert [r["name"] for r in recipients] == ["城关镇人民政府", "县住建局"]
    assert recipients[0]["limits"] == {"deaths_max": 1}
    assert recipients[1]["sectors"] == ["建筑施工", "燃气"]
    assert recipients[0]["_row"] == "责任单位.csv 第2行"
    assert recipients[1]["_row"] == "责任单位.csv 第4行"
    assert job.position("recipients[1].name") == ""
    assert job.locate("recipients[2].limits.deaths_max") == (str(DATA / "责任单位.csv"), "第4行")
    finding = job.finding("recipients[2].limits.deaths_max", "E199", "说明")
    assert finding.path == str(DATA / "责任单位.csv")
    assert finding.location == "第4行" and finding.key == "limits.deaths_max"


def test_extension_keys() -> None:
    speech = load("extensions_speech.yaml").data
    assert speech["salutation"] == "同志们"
    assert speech["meeting"]["holiday"] == ["国庆"]  # v2: a list of holidays
    assert speech["meeting"]["days_since_last"] == 30
    assert speech["speaker"]["on_behalf_of"] == "县委、县政府"
    assert speech["org"]["short"] == "青山"
    assert speech["situation"]["achievements"] == ["事故总量下降"]
    assert speech["situation"]["problems"] == ["安全意识淡薄", "隐患整改不彻底"]
    assert speech["stats"]["hazards"]["major"] == 3
    notice = load("extensions_notice.yaml").data
    assert notice["requirements"] == ["加强领导"]
    assert notice["contact"]["email"] == "aqb@example.cn"
    assert notice["attachments"] == [{"title": "任务分工表"}, {"title": "检查表", "text": "附表"}]
    assert notice["basis"].startswith("根据")
    letter = load("extensions_letter.yaml").data
    assert letter["preamble"] == "为落实安全生产责任"
    assert letter["party_a"]["signer"] == "李四"
    assert letter["recipients"][0]["targets_extra"] == ["辖区内{limits.fires_max}起火灾以内"]
    assert letter["recipients"][0]["contact"] == "王五"  # extra keys are kept


def test_positions_are_one_based_key_positions() -> None:
    job = load("speech.yaml")
    assert job.position("type") == "1:1"
    assert job.position("meeting.date") == "11:3"
    assert job.position("accidents[1]") == "19:5"
    assert job.position("accidents[1].deaths") == "23:5"
    assert job.position("sectors[2].support[1]") == "33:5"  # a string: its key's position
    assert job.position("meeting.quarter") == "8:1"  # derived: the parent's position
    assert job.position("nothing.here") == ""


def test_utf8_bom_and_utf16(tmp_path: Path) -> None:
    text = (DATA / "speech.yaml").read_text(encoding="utf-8")
    bom = tmp_path / "bom.yaml"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    job = load_job(bom)
    assert job.warnings == []
    assert job.position("type") == "1:1"
    utf16 = tmp_path / "u16.yaml"
    utf16.write_bytes(text.encode("utf-16"))  # Notepad's "Unicode"
    assert load_job(utf16).data == load("speech.yaml").data


def test_gbk_read_with_warning(tmp_path: Path) -> None:
    text = (DATA / "speech.yaml").read_text(encoding="utf-8")
    path = tmp_path / "gbk.yaml"
    path.write_bytes(text.encode("gbk"))
    job = load_job(path)
    assert job.data == load("speech.yaml").data
    (warning,) = job.warnings
    assert warning.code == "W100" and warning.severity == WARNING
    assert "GBK" in warning.message and "UTF-8" in warning.message


def test_crlf_and_quoted_numbers(tmp_path: Path) -> None:
    text = (DATA / "speech.yaml").read_text(encoding="utf-8")
    text = text.replace("deaths: 13", 'deaths: "13"').replace("\n", "\r\n")
    path = tmp_path / "crlf.yaml"
    path.write_bytes(text.encode("utf-8"))
    job = load_job(path)
    assert job.data["accidents"][0]["deaths"] == 13
    assert job.position("accidents[1].deaths") == "23:5"


def test_known_keys() -> None:
    speech = known_keys("speech")
    assert {"meeting.date", "accidents[].deaths", "points[].items[].title"} <= speech
    assert {"stats.hazards.major", "closing.vision", "salutation"} <= speech
    assert known_keys("outline") == speech
    notice = known_keys("notice")
    assert {"tasks[].due", "contact.email", "batch", "batch[].doc_number"} <= notice
    letter = known_keys("letter")
    assert {"recipients[].limits", "recipients[].targets_extra", "party_a.signer"} <= letter
    assert known_keys("unknown") == set()


def test_limits_from_env() -> None:
    limits = Limits.from_env({"SPEECHGEN_MAX_INPUT_BYTES": "1000", "SPEECHGEN_MAX_ITEMS": "7"})
    assert limits.max_input_bytes == 1000 and limits.max_items == 7
    assert limits.max_recipients == 100_000
    assert Limits.from_env({}) == Limits()
