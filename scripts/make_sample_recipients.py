"""Write the recipients sheets: the letters sample's and the ``speechgen new letter`` starter's.

Run from the repository root: ``python scripts/make_sample_recipients.py``.
It writes speechgen/samples/责任单位.xlsx (the 36 units of sample 10) and
speechgen/doctypes/letter/starter.xlsx (one example row of each type, copied as
责任单位.xlsx by ``speechgen new letter``). Both are sheets as an office keeps
them: the Chinese headers of spec/INPUT.md v2 in a frozen, bold first row, a
drop-down of the three types in 类型, a whole-number check in 死亡人数控制指标,
a hint on each header cell, and column widths that fit the longest entry.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

TOWNSHIPS = [
    "城关镇",
    "青石镇",
    "白沙镇",
    "桃源镇",
    "河口镇",
    "龙泉镇",
    "石门乡",
    "柳林乡",
    "高坪乡",
    "杨家乡",
    "马坡乡",
    "花园乡",
]
DEPARTMENTS = [
    ("县应急管理局", "危险化学品、工贸、非煤矿山"),
    ("县住建局", "建筑施工、燃气"),
    ("县交通运输局", "道路交通、水上交通"),
    ("县公安局", "道路交通、烟花爆竹"),
    ("县市场监管局", "特种设备"),
    ("县消防救援大队", "消防"),
    ("县教育局", "学校"),
    ("县水利局", "防汛抗旱"),
    ("县自然资源局", "地质灾害"),
    ("县林业局", "森林防火"),
    ("县文旅局", "旅游"),
    ("县卫健局", "职业卫生"),
    ("县商务局", "消防"),
    ("县工信局", "工贸"),
]
ENTERPRISES = [
    ("青山化工有限公司", "危险化学品"),
    ("青山水泥有限公司", "工贸、有限空间"),
    ("江北燃气青山分公司", "燃气"),
    ("青山公共交通有限公司", "道路交通"),
    ("青山建工集团有限公司", "建筑施工"),
    ("青山石料有限公司", "非煤矿山"),
    ("青山食品有限公司", "有限空间、消防"),
    ("青山物流有限公司", "道路交通"),
    ("青山纺织有限公司", "消防"),
    ("青山热电有限公司", "特种设备、供水供电供气"),
]


# The columns (spec/INPUT.md v2 names) and the hint shown on each header cell.
COLUMNS = [
    ("单位名称", "责任书乙方的全称，如 城关镇人民政府。每个单位生成一份责任书，名称不能重复。"),
    ("类型", "从下拉列表中选：乡镇、部门或企业。决定责任书中写哪一类工作职责。"),
    ("签字人职务", "乙方签字人的职务，如 镇长、局长、法定代表人。"),
    ("死亡人数控制指标", "生产安全事故死亡人数控制在几人以内，填整数（0 表示“零死亡”）。"),
    ("行业领域", "部门、企业负责的行业领域，用顿号分隔，如 建筑施工、燃气。乡镇可不填。"),
]
TYPES = ("乡镇", "部门", "企业")
ROOT = Path(__file__).resolve().parent.parent


def sample_rows() -> list[list[object]]:
    rows: list[list[object]] = []
    for i, name in enumerate(TOWNSHIPS):
        title = "镇长" if name.endswith("镇") else "乡长"
        rows.append([f"{name}人民政府", "乡镇", title, 1 if i < 4 else 0, None])
    for name, sectors in DEPARTMENTS:
        title = "大队长" if name.endswith("大队") else "局长"
        rows.append([name, "部门", title, "0", sectors])  # typed as text, as offices do
    for name, sectors in ENTERPRISES:
        rows.append([name, "企业", "法定代表人", 0, sectors])
    return rows


def starter_rows() -> list[list[object]]:
    return [
        ["城关镇人民政府", "乡镇", "镇长", 1, None],
        ["县住建局", "部门", "局长", 0, "建筑施工、燃气"],
        ["青山化工有限公司", "企业", "法定代表人", 0, "危险化学品"],
    ]


def _display_width(value: object) -> int:
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def write_sheet(rows: list[list[object]], target: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "责任单位"
    ws.append([name for name, _ in COLUMNS])
    for cell, (_, hint) in zip(ws[1], COLUMNS, strict=True):
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.comment = Comment(hint, "speechgen", width=260, height=90)
    for row in rows:
        ws.append(row)
    ws.freeze_panes = "A2"  # the header stays in view while scrolling
    last = 1000  # rows the checks cover: far more than an office's list
    types = DataValidation(
        type="list",
        formula1='"' + ",".join(TYPES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="类型",
        error="请从下拉列表中选择：乡镇、部门或企业。",
        showInputMessage=True,
        promptTitle="类型",
        prompt="乡镇、部门或企业",
    )
    types.add(f"B2:B{last}")
    deaths = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="死亡人数控制指标",
        error="请填写 0 或正整数。",
    )
    deaths.add(f"D2:D{last}")
    ws.add_data_validation(types)
    ws.add_data_validation(deaths)
    for index, (name, _) in enumerate(COLUMNS, 1):
        values = [name, *(row[index - 1] for row in rows)]
        width = max(_display_width(v) for v in values)
        ws.column_dimensions[get_column_letter(index)].width = width + 4
    stamp = dt.datetime(2024, 1, 1)  # fixed: regenerating gives the same file
    wb.properties.creator = "speechgen"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.save(target)
    _fix_times(target)
    print(target)


def _fix_times(target: Path) -> None:
    """openpyxl stamps the save time into docProps/core.xml and the ZIP: fix both."""
    with zipfile.ZipFile(target) as src:
        parts = [(info.filename, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts:
            if name == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-01-01T00:00:00Z", data
                )
            dst.writestr(
                zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED
            )


def main() -> None:
    write_sheet(sample_rows(), ROOT / "speechgen" / "samples" / "责任单位.xlsx")
    write_sheet(starter_rows(), ROOT / "speechgen" / "doctypes" / "letter" / "starter.xlsx")


if __name__ == "__main__":
    main()
