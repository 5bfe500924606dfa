"""Write the binary and encoded members of the hostile corpus (run once; the files are committed).

    python tests/data/hostile/regenerate.py

Text members are plain files in this folder; see tests/test_reliability_hostile.py
for what each one must do. The 3 MB file is made by the test itself.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent

SPEECH = """\
type: speech
org: {level: 县, name: 青山县}
speaker: {role: 县长, name: 张三}
meeting:
  name: 2024年第二季度全县安全生产工作会议
  kind: quarterly
  date: 2024-04-10
accidents:
  - {date: 2024-01-20, place: 江西新余, kind: 火灾, site: 临街店铺, deaths: 39, injured: 9}
"""


def main() -> None:
    (HERE / "enc_gbk.yaml").write_bytes(("# 用 Windows 记事本以 GBK 保存\n" + SPEECH).encode("gbk"))
    # a character outside GBK (𠀀, four bytes in GB18030) in a value
    (HERE / "enc_gb18030.yaml").write_bytes((SPEECH.replace("张三", "张𠀀")).encode("gb18030"))
    (HERE / "enc_utf8_bom.yaml").write_bytes(b"\xef\xbb\xbf" + SPEECH.encode("utf-8"))
    (HERE / "enc_utf16_bom.yaml").write_bytes(SPEECH.encode("utf-16"))
    (HERE / "enc_utf16_nobom.yaml").write_bytes(SPEECH.encode("utf-16-le"))
    (HERE / "binary_garbage.yaml").write_bytes(bytes((i * 37 + 11) % 256 for i in range(4096)))
    (HERE / "binary_xlsx_renamed.yaml").write_bytes(
        (HERE.parent.parent.parent / "speechgen" / "samples" / "责任单位.xlsx").read_bytes()
    )
    (HERE / "control_chars.yaml").write_bytes(
        SPEECH.replace("name: 张三", 'name: "张\x07三"')
        .replace("site: 临街店铺", "site: 临街\x0b店铺\x1f")
        .encode("utf-8")
    )
    # GBK text cut off in the middle of a character, then bytes no encoding accepts
    (HERE / "enc_broken_gbk.yaml").write_bytes(
        SPEECH.encode("gbk") + "讲话".encode("gbk")[:1] + b"\xff\xff"
    )
    (HERE / "recipients_control.csv").write_bytes(
        "name,type,signer_title,limits.deaths_max\n城关镇\x07人民政府,township,镇长,1\n"
        "东湖镇人民政府,township,镇\x1b长,1\n".encode()
    )
    accidents = "".join(
        f"  - {{date: 2024-01-02, place: 某地{i}, kind: 火灾, deaths: 1}}\n" for i in range(600)
    )
    (HERE / "list_too_long.yaml").write_text(SPEECH + accidents, "utf-8")  # 601 accidents
    _merged_xlsx()
    _title_row_xlsx()


def _merged_xlsx() -> None:
    """An office's own sheet: a blank first row, merged type cells, stray spaces, numbers as text."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "名单"
    ws.append([])  # blank first row
    ws.append(["name", " type ", "signer_title", "limits.deaths_max", "sectors"])
    rows = [
        ["  城关镇人民政府\u3000", "township", "镇长", "1", None],
        ["东湖镇人民政府", None, "镇长", "２", None],  # type from the merged range; full-width 2
        ["西山乡人民政府 ", None, " 乡长", 0, None],
        [None, None, None, None, None],  # blank row
        ["../../etc/passwd", "department", "局长", "0", "建筑施工、燃气"],
        ["县住建局/县城管局", "department", "局长", 0, "燃气"],
        ["县住建局\\县城管局", "department", "局长", 0, "燃气"],
        ["CON", "enterprise", "总经理", "1", None],
        [".hidden", "enterprise", "总经理", "1", None],
        [None, None, None, None, None],
        ["青山化工有限公司", "enterprise", "总经理", "1", "危险化学品"],
    ]
    for row in rows:
        ws.append(row)
    ws.merge_cells("B3:B5")  # township for the three towns
    wb.save(HERE / "recipients_merged.xlsx")


def _title_row_xlsx() -> None:
    """A sheet with a merged title row above the keys: refused, located at 第1行."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["2024年度责任单位名单"])
    ws.merge_cells("A1:D1")
    ws.append(["name", "type", "signer_title", "limits.deaths_max"])
    ws.append(["城关镇人民政府", "township", "镇长", 1])
    wb.save(HERE / "recipients_title_row.xlsx")


if __name__ == "__main__":
    main()
