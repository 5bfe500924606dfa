"""Write speechgen/samples/责任单位.xlsx, the recipients sheet of the letters sample.

Run from the repository root: ``python scripts/make_sample_recipients.py``.
The sheet is what an office keeps: a header row of keys, one unit a row.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

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


def main() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "责任单位"
    ws.append(["name", "type", "signer_title", "limits.deaths_max", "sectors"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i, name in enumerate(TOWNSHIPS):
        title = "镇长" if name.endswith("镇") else "乡长"
        ws.append([f"{name}人民政府", "township", title, 1 if i < 4 else 0, ""])
    for name, sectors in DEPARTMENTS:
        title = "大队长" if name.endswith("大队") else "局长"
        ws.append([name, "department", title, "0", sectors])  # typed as text, as offices do
    for name, sectors in ENTERPRISES:
        ws.append([name, "enterprise", "法定代表人", 0, sectors])
    widths = {"A": 26, "B": 14, "C": 14, "D": 18, "E": 28}
    for col, width in widths.items():
        ws.column_dimensions[col].width = width
    target = Path(__file__).resolve().parent.parent / "speechgen" / "samples" / "责任单位.xlsx"
    wb.save(target)
    print(target)


if __name__ == "__main__":
    main()
