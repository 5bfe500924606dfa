"""Letter jobs with recipients in every shape the loader knows (tests/test_recipients_stream.py).

Each case is a job YAML (and its table) written into a folder: inline lists with
errors, duplicates, control characters, anchors and tags, CRLF, BOM, GBK; CSV and
XLSX tables with error values, unnamed columns, hidden rows and columns, merged
cells, formulas without results, dates, several sheets, bad headers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HEAD = """\
type: letter
org: {level: 县, name: 青山县}
party_a: {name: 青山县人民政府, signer_title: 县长}
term: {start: 2024-01-01, end: 2024-12-31}
sign_date: 2024-02-20
"""

GOOD = [
    ("城关镇人民政府", "township", "镇长", 1, "危险化学品、燃气"),
    ("县应急管理局", "department", "局长", 0, "工贸"),
    ("青山化工有限公司", "enterprise", "法定代表人", 0, ""),
]


def _inline(rows: list[str]) -> str:
    return HEAD + "recipients:\n" + "".join(rows)


def inline_cases() -> dict[str, bytes]:
    item = '  - {{name: "{0}", type: {1}, signer_title: {2}, limits: {{deaths_max: {3}}}}}\n'
    good = [item.format(*r[:4]) for r in GOOD]
    block = (
        "  - name: 城关镇人民政府\n    type: township\n    signer_title: 镇长\n"
        "    sectors: [危险化学品, 燃气]\n    limits:\n      deaths_max: 1\n"
        "  - name: 县住建局\n    type: 部门\n    sectors:\n      - 建筑施工\n"
    )
    cases = {
        "inline_good": _inline(good),
        "inline_block": _inline([block]),
        "inline_flow_list": HEAD + 'recipients: [{name: 甲镇}, {name: "乙镇", type: township}]\n',
        "inline_errors": _inline(
            [
                "  - \n",
                "  - 只是文字\n",
                "  - {name: [列表]}\n",
                "  - {type: township}\n",
                "  - {name: 丙镇, type: 村, limits: {deaths_max: -1}, signer_titel: 镇长}\n",
                "  - {name: 丁镇, sectors: 5}\n",
                "  - {name: 戊镇, name: 己镇}\n",
            ]
        ),
        "inline_duplicates": _inline(
            [item.format(*r[:4]) for r in GOOD]
            + ['  - {name: "城关镇人民政府 "}\n', '  - {name: "县应急管理局"}\n']
            + [f"  - {{name: 第{i}单位}}\n" for i in range(40)]
            + ['  - {name: "城关镇\u3000人民政府"}\n']
        ),
        "inline_numbers_as_names": _inline(
            ["  - {name: 010}\n", "  - {name: 10}\n", "  - {name: 2024-01-01}\n"]
        ),
        "inline_empty": HEAD + "recipients: []\n",
        "inline_only_nulls": HEAD + "recipients:\n  -\n  - ~\n",
        "inline_not_a_list": HEAD + "recipients: 城关镇\n",
        "inline_null": HEAD + "recipients:\n",
        "inline_and_file": _inline(good[:1]) + "recipients_file: 名单.csv\n",
        "neither": HEAD,
        "inline_head_errors": _inline(good).replace(
            "sign_date: 2024-02-20", "sign_date: 2024-13-45"
        )
        + "copies: 20\nunknwn: 1\n",
        "inline_keys_after": _inline(good) + "copies: 3\ntargets: [不发生较大事故]\n",
        "inline_control": _inline(['  - {name: "甲\x07镇"}\n', '  - {name: "乙镇"}\n']),
        "inline_anchor": _inline(
            ["  - &a {name: 甲镇, type: township}\n", "  - {<<: *a, name: 乙镇}\n"]
        ),
        "inline_alias_dup": _inline(["  - &a {name: 甲镇}\n", "  - *a\n"]),
        "inline_tag": _inline(["  - {name: !!str 123}\n", "  - {name: !custom 乙}\n"]),
        "inline_syntax": _inline(["  - {name: 甲镇\n", "  - {name: 乙镇}\n"]),
        "inline_dup_top_key": _inline(good) + "recipients:\n  - {name: 又一个}\n",
        "inline_comments": _inline(["  # a comment\n", good[0], "\n  # another\n", good[1]]),
        "inline_multiline": _inline(
            [
                "  - name: >-\n      城关镇\n      人民政府\n    type: township\n",
                "  - name: |\n      乙镇\n",
            ]
        ),
        "inline_targets_extra": _inline(
            ["  - {name: 甲镇, targets_extra: [不发生{limits.deaths_max}起事故, 第二条]}\n"]
        ),
    }
    out = {name: text.encode("utf-8") for name, text in cases.items()}
    out["inline_crlf"] = _inline(good).replace("\n", "\r\n").encode("utf-8")
    out["inline_bom"] = b"\xef\xbb\xbf" + _inline(good).encode("utf-8")
    out["inline_gbk"] = _inline(good).encode("gbk")
    out["inline_lone_cr"] = _inline(good).replace("\n", "\r").encode("utf-8")
    return out


def _csv(rows: list[list[str]]) -> str:
    return "".join(",".join(r) + "\n" for r in rows)


def table_cases() -> dict[str, tuple[str, object]]:
    header = ["name", "type", "signer_title", "limits.deaths_max", "sectors"]
    zh = ["单位名称", "类型", "签字人职务", "死亡人数控制指标", "行业领域"]
    good = [[str(c) for c in r] for r in GOOD]
    return {
        "csv_good": ("csv", _csv([header, *good])),
        "csv_chinese": ("csv", _csv([zh, *good])),
        "csv_bom": ("csv", "\ufeff" + _csv([zh, *good])),
        "csv_gbk": ("csv-gbk", _csv([zh, *good])),
        "csv_tabs_blank_lines": (
            "csv",
            "\n\n"
            + "\t".join(zh)
            + "\n\n"
            + "\t".join(good[0])
            + "\n  \n"
            + "\t".join(good[1])
            + "\n",
        ),
        "csv_crlf": ("csv", _csv([header, *good]).replace("\n", "\r\n")),
        "csv_errors": (
            "csv",
            _csv(
                [
                    header,
                    ["#N/A", "township", "镇长", "1", ""],
                    ["甲镇", "村", "", "-2", ""],
                    ["乙镇", "township", "", "1", "", "多余"],
                    [" ", "", "", "", "", "只有多余"],
                    ["丙\x07镇", "", "", "", ""],
                    ["丁镇", "#REF!", "", "x", ""],
                ]
            ),
        ),
        "csv_duplicates": (
            "csv",
            _csv(
                [header, *good]
                + [[f"第{i}单位"] for i in range(50)]
                + [["城关镇　人民政府"], ["县应急管理局"]]
            ),
        ),
        "csv_quoted_newline": ("csv", 'name,type\n"甲\n镇",township\n乙镇,township\n'),
        "csv_bad_quote": ("csv", 'name,type\n"甲镇,township\n乙镇,township\n'),
        "csv_empty": ("csv", "\n \n"),
        "csv_header_only": ("csv", _csv([header])),
        "csv_no_name": ("csv", _csv([["type", "signer"], ["township", "张三"]])),
        "csv_bad_header": ("csv", _csv([["name", "name", "limits", "limits.x", "a."], ["甲镇"]])),
        "csv_pk": ("bytes", b"PK\x03\x04not really"),
        "csv_nul": ("bytes", b"name\n\x00\x00\n"),
        "csv_utf16": ("bytes", ("name\n甲镇\n").encode("utf-16")),
        "xls_old": ("xls", ""),
        "xlsx_good": ("xlsx", [header, *[list(r) for r in GOOD]]),
        "xlsx_chinese": ("xlsx", [zh, *[list(r) for r in GOOD]]),
        "xlsx_features": ("xlsx-features", None),
        "xlsx_duplicates": (
            "xlsx",
            [header, *[list(r) for r in GOOD]]
            + [[f"第{i}单位"] for i in range(30)]
            + [["县应急管理局 "]],
        ),
        "xlsx_dates_numbers": (
            "xlsx",
            [
                ["name", "signer", "limits.deaths_max"],
                [123, dt.date(2024, 1, 2), 1.0],
                [12.5, True, 2],
            ],
        ),
        "xlsx_header_only": ("xlsx", [header]),
        "missing_file": ("missing", None),
    }


def _features(path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名单"
    ws.append(["name", "type", "signer_title", "limits.deaths_max", "sectors", None])
    ws.append(["甲镇", "township", "镇长", 1, "燃气"])
    ws.append(["乙镇", "township", None, 0, "燃气"])  # sectors merged below
    ws.append(["丙镇", "township", "镇长", 2, None])
    ws.append(["丁镇", "township", "=A2", 1, None])  # formula without a saved result
    ws.append(["戊镇", "#DIV/0!", "镇长", 1, None])
    ws.append(["己镇", "township", "镇长", 0, None, "备注"])
    ws.append(["隐藏镇", "township", "镇长", 0, None])
    ws.append([None, None, None, None, None, "只有备注"])
    ws.append(["庚镇", "township", "镇长", 0, None])
    ws.merge_cells("E3:E5")
    ws.row_dimensions[8].hidden = True
    ws.column_dimensions["F"].hidden = False
    other = wb.create_sheet("其他")
    other.append(["x"])
    hidden = wb.create_sheet("藏")
    hidden.sheet_state = "hidden"
    wb.active = 0
    wb.save(path)


def write_cases(folder: Path) -> list[Path]:
    """Write every case into ``folder``; return the job paths (sorted by name)."""
    folder.mkdir(parents=True, exist_ok=True)
    jobs = []
    for name, data in inline_cases().items():
        path = folder / f"{name}.yaml"
        path.write_bytes(data)
        jobs.append(path)
    for name, (kind, content) in table_cases().items():
        if kind in ("csv", "csv-gbk", "bytes"):
            table = folder / f"{name}.csv"
            if kind == "bytes":
                table.write_bytes(content)  # type: ignore[arg-type]
            else:
                table.write_bytes(str(content).encode("gbk" if kind == "csv-gbk" else "utf-8"))
        elif kind == "xls":
            table = folder / f"{name}.xls"
            table.write_bytes(b"\xd0\xcf\x11\xe0")
        elif kind == "missing":
            table = folder / f"{name}.csv"
        elif kind == "xlsx-features":
            table = folder / f"{name}.xlsx"
            _features(table)
        else:
            import openpyxl

            table = folder / f"{name}.xlsx"
            wb = openpyxl.Workbook()
            for row in content:  # type: ignore[union-attr]
                wb.active.append(row)
            wb.save(table)
        path = folder / f"{name}.yaml"
        path.write_text(HEAD + f"recipients_file: {table.name}\n", encoding="utf-8")
        jobs.append(path)
    return sorted(jobs)


def streamed(cases: list[Path]) -> Iterator[tuple[Path, Any]]:
    """Each case that loads, with its job streamed (``load_job(path, stream=True)``)."""
    from speechgen.errors import UserError
    from speechgen.inputs import load_job

    for path in cases:
        try:
            yield path, load_job(path, stream=True)
        except UserError:
            continue


def swap_rows(book: Path, out: Path, first: int) -> None:
    """``out``: the .xlsx ``book`` with the ``first``-th and next ``<row>`` (0-based, in the
    sheet's XML) in the other order."""
    import re
    import zipfile

    with zipfile.ZipFile(book) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                rows = re.findall(rb"<row .*?</row>", data)
                data = data.replace(rows[first] + rows[first + 1], rows[first + 1] + rows[first])
            dst.writestr(info, data)
