"""``speechgen format`` on real mess: the corpus of tests/data/format/ (made by
scripts/make_format_corpus.py with python-docx, and the same files saved again
by LibreOffice under lo/) and the 13 seed speeches put into .docx one line a
paragraph (tests/test_check_seeds.py).

For every document: the result passes ``check`` except for errors that are
really in the input and are not the formatter's to fix (placeholders,
numbering gaps, announced counts); every character and table cell of the
input is in the output; every change the report lists replays exactly from
the input paragraph to the output text; LibreOffice lays the result out on
the 22-line grid.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import test_check_seeds
from pdftools import pages, require_tools
from test_check_seeds import seed_speeches, write_docx
from test_roundtrip_libreoffice import LINE_PITCH, body_lines

from speechgen.check import check_docx
from speechgen.check.docx_reader import DocxPackage
from speechgen.model import Heading, Image, Imprint, Paragraph, SignatureTable, Table
from speechgen.reformat import FormatOptions, format_paths, recover
from speechgen.reformat.fixes import RULE_NAMES, fix_date, fix_doc_number

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "format"

#: error codes that describe the form of the text: format must leave none of them
FIXED = {"E222", "E226", "E230", "E232", "E233", "E234", "E235", "E236"}
#: numbering structure (gaps, skipped levels, counts): reported, never renumbered
NUMBERING = {"E220", "E221", "E223", "E224", "E225", "E227"}
TEXT_RULES = {
    RULE_NAMES[k]
    for k in ("doc-number", "marker", "heading-stop", "punctuation", "repeated", "date", "spaces")
}
_LETTERS = re.compile(r"[\u3400-\u9fff\uf900-\ufaffA-Za-z0-9\uff10-\uff19]")


def seeds_available() -> bool:
    """The seeds are beside the clone (../shared/seeds, as in CI); SPEECHGEN_SEEDS
    names another folder for a local checkout."""
    other = os.environ.get("SPEECHGEN_SEEDS")
    if other and not test_check_seeds.SEEDS.is_dir():
        test_check_seeds.SEEDS = Path(other)
    return test_check_seeds.SEEDS.is_dir()


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.docx")) + sorted((CORPUS / "lo").glob("*.docx"))


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[Path]:
    files = corpus_files()
    assert len(files) >= 12, "run scripts/make_format_corpus.py"
    if seeds_available():
        seeds = tmp_path_factory.mktemp("seeds")
        for name, lines in seed_speeches().items():
            files.append(write_docx(lines, seeds / f"{name}.docx"))
    return files


@pytest.fixture(scope="module")
def formatted(inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("formatted")
    reports = format_paths(inputs, FormatOptions(outdir=out))
    assert [r.error for r in reports] == [""] * len(inputs)
    return list(zip(inputs, reports, strict=True))


def test_the_seeds_are_in_the_corpus(inputs) -> None:
    if not seeds_available():
        pytest.skip("seed speeches not available (../shared/seeds)")
    assert len(inputs) == len(corpus_files()) + 13


# ------------------------------------------------------------------ check


def test_the_result_passes_check_but_for_what_the_input_really_holds(formatted) -> None:
    for src, rep in formatted:
        before = {f.code for f in check_docx(src, formats=False) if f.is_error}
        if any(c.rule == RULE_NAMES["auto-number"] for c in rep.changes):
            # check cannot see Word numbering in the input: its structure shows only now
            before |= NUMBERING
        for f in rep.findings:
            if not f.is_error:
                continue
            assert f.code not in FIXED and not f.code.startswith("E3"), (src.name, str(f))
            assert f.code in before, (src.name, str(f))


def test_a_skipped_level_made_by_word_numbering_is_reported(formatted) -> None:
    (rep,) = [r for s, r in formatted if s.parent == CORPUS and s.stem == "提纲-自动编号"]
    assert [f.code for f in rep.findings if f.is_error] == ["E223", "E223"]


def test_placeholders_are_reported_not_fixed(formatted) -> None:
    seen = 0
    for src, rep in formatted:
        for f in rep.findings:
            if f.code in ("E210", "E211", "E212"):
                seen += 1
                token = re.search(r"占位符“([^”]+)”", f.message)
                assert token, str(f)
                assert token.group(1) in _all_text(src), str(f)
                assert token.group(1) in _all_text(Path(rep.output)), str(f)
    if seeds_available():
        assert seen >= 30  # the seeds hold XX, ×× and ** placeholders


# ------------------------------------------------------------------ nothing lost


def _paras(path: Path) -> list[tuple[int, str, str]]:
    pkg = DocxPackage(path)
    out = [(r.index, r.text, r.kind) for r in pkg.records if r.index]
    pkg.zip.close()
    return out


def _all_text(path: Path) -> str:
    return "".join(t for _i, t, _k in _paras(path))


def _letters(text: str) -> Counter:
    return Counter(_LETTERS.findall(text))


def test_every_character_and_cell_is_kept(formatted) -> None:
    """Letters, digits and Chinese characters of the input, counted: the same in
    the output, once the reported digit fixes (dates, 文号) are applied to the
    input and the markers made from Word numbering are taken from the output."""
    for src, rep in formatted:
        src_text = "".join(fix_doc_number(fix_date(t, k), k) for _i, t, k in _paras(src))
        out_text = _all_text(Path(rep.output))
        added = Counter()
        for c in rep.changes:
            if c.rule == RULE_NAMES["auto-number"]:
                added += _letters(c.after[: len(c.after) - len(c.before.lstrip(" \u3000\t"))])
        assert _letters(out_text) == _letters(src_text) + added, src.name


def test_every_change_replays_paragraph_by_paragraph(formatted) -> None:
    """Each input paragraph, run through the changes the report lists for it, is
    found in the output, in order (the 版记, which moves to the end, apart)."""
    for src, rep in formatted:
        stream = re.sub(r"\s+", "", _all_text(Path(rep.output)))
        by_para: dict[str, list] = {}
        for c in rep.changes:
            by_para.setdefault(c.paragraph, []).append(c)
        sides = {
            line.strip()
            for c in rep.changes
            if c.rule == RULE_NAMES["signature-table"]
            for line in c.before.split("¶")
        }
        pos = 0
        for index, text, kind in _paras(src):
            if kind == "table-cell":
                continue  # a cell's paragraphs are one cell: checked by letters above
            current = [text]
            for c in by_para.get(f"段{index}", []):
                if c.rule == RULE_NAMES["line-break"]:
                    flat = c.before.replace("\n", "")
                    assert flat in current, (src.name, index, c)
                    k = current.index(flat)
                    current[k : k + 1] = c.after.split("¶")
                elif c.rule in TEXT_RULES or c.rule in (
                    RULE_NAMES["auto-number"],
                    RULE_NAMES["attachment-label"],
                ):
                    if c.rule == RULE_NAMES["spaces"] and c.before not in current:
                        continue
                    assert c.before in current, (src.name, index, c.rule, c.before, current)
                    current[current.index(c.before)] = c.after
            for t in current:
                if t.strip() in sides:  # one line of both sides: now two cells
                    for part in t.split():
                        assert part in stream, (src.name, index, part)
                    continue
                t = re.sub(r"\s+", "", t)
                if kind == "imprint":
                    t = t.removesuffix("印发").removesuffix("。")
                    assert t in stream, (src.name, index, t)
                    continue
                found = stream.find(t, pos)
                assert found >= 0, (src.name, index, t)
                pos = found + len(t)


def test_tables_keep_every_cell_and_repeat_their_header(formatted) -> None:
    for src, rep in formatted:
        src_cells = [
            t
            for _i, t, k in _paras(src)
            if k == "table-cell" and not (t.startswith("抄送") or t.endswith("印发"))
        ]  # a 版记 typed in a table becomes the 版记
        if not src_cells:
            continue
        data = Path(rep.output)
        out_cells = [t for _i, t, k in _paras(data) if k == "table-cell"]
        assert _letters("".join(out_cells)) == _letters("".join(src_cells)), src.name
        rec = recover(src)
        tables = [b for b in rec.document.blocks if isinstance(b, Table)]
        if tables:
            import zipfile

            xml = zipfile.ZipFile(data).read("word/document.xml").decode()
            assert xml.count("<w:tblHeader/>") == len(tables), src.name


# ------------------------------------------------------------------ structure


def _blocks(name: str):
    return recover(CORPUS / f"{name}.docx").document.blocks


@pytest.mark.parametrize("saved_by", ["", "lo/"])
def test_auto_numbered_headings_get_their_markers_and_levels(saved_by: str) -> None:
    """Also after LibreOffice has written the file (its own numbering.xml)."""
    blocks = _blocks(saved_by + "通知-自动编号-版记")
    heads = [(b.level, b.full_text) for b in blocks if isinstance(b, Heading)]
    assert heads == [
        (1, "一、检查范围"),
        (1, "二、检查内容"),
        (2, "（一）安全生产责任落实情况"),
        (2, "（二）重大事故隐患排查整治情况"),
        (1, "三、工作要求"),
    ]


@pytest.mark.parametrize("saved_by", ["", "lo/"])
def test_numbering_linked_in_heading_styles_gives_markers(saved_by: str) -> None:
    blocks = _blocks(saved_by + "方案-标题样式编号")
    heads = [(b.level, b.full_text) for b in blocks if isinstance(b, Heading)]
    assert heads == [
        (1, "一、总体要求"),
        (1, "二、主要任务"),
        (2, "（一）深化重点行业领域整治"),
        (2, "（二）强化基层基础建设"),
        (1, "三、保障措施"),
    ]


@pytest.mark.parametrize("saved_by", ["", "lo/"])
def test_notice_parts_are_recovered(saved_by: str) -> None:
    blocks = _blocks(saved_by + "通知-自动编号-版记")
    roles = [(b.role, b.full_text) for b in blocks if isinstance(b, Paragraph)]
    assert roles[0] == ("title", "关于开展2024年第二季度安全生产大检查的通知")
    assert ("addressee", "各乡镇人民政府，县直有关部门：") in roles
    assert ("attachment_note", "附件：1.任务分工表") in roles
    assert ("signature", "青山县安全生产委员会办公室") in roles
    assert ("date", "2024年4月10日") in roles
    assert ("attachment_label", "附件1") in roles
    assert ("attachment_title", "任务分工表") in roles
    red = blocks[0]
    assert (red.mark, red.doc_number) == ("青山县安全生产委员会办公室文件", "青安办〔2024〕12号")
    imprint = blocks[-1]
    assert isinstance(imprint, Imprint)
    assert imprint.cc == "抄送：县委办公室，县人大常委会办公室，县政协办公室。"
    assert (imprint.printed_by, imprint.printed_date) == (
        "青山县安全生产委员会办公室",
        "2024年4月10日",
    )
    tables = [b for b in blocks if isinstance(b, Table)]
    assert [t.header[0] for t in tables] == ["单位", "序号"]
    assert tables[0].rows[0] == ["城关镇", "56", "120", "118", "98.3%"]


@pytest.mark.parametrize("saved_by", ["", "lo/"])
def test_speech_parts_and_fixed_markers(saved_by: str) -> None:
    blocks = _blocks(saved_by + "讲话-混乱格式")
    paras = [(b.role, b.full_text) for b in blocks if isinstance(b, Paragraph)]
    assert paras[:4] == [
        ("title", "在全县第二季度安全生产工作会议上的讲话"),
        ("subtitle", "县长  张三"),
        ("subtitle", "（2024年4月10日）"),
        ("salutation", "同志们："),
    ]
    assert ("closing", "谢谢大家！") in paras
    lead = next(b for b in blocks if isinstance(b, Paragraph) and b.lead)
    assert lead.lead == "一是排查整治不能停。"
    heads = [(b.level, b.full_text) for b in blocks if isinstance(b, Heading)]
    assert (1, "一、清醒认识当前安全生产形势") in heads  # final 。 removed
    assert (2, "（一）成绩来之不易") in heads  # （一）、 → （一）
    assert (3, "1.抓好隐患排查") in heads  # 1、 → 1.
    assert (1, "二、扎实做好重点工作") in heads  # space after the marker
    body = [t for r, t in paras if r == "body"]
    assert "（1）燃气安全。要全面排查餐饮场所燃气使用情况。" in body
    assert "各级各部门要坚持“三管三必须”，层层压实责任。" in body


def test_letter_signature_table_and_kind() -> None:
    rec = recover(CORPUS / "责任书-签名表.docx")
    assert rec.kind == "letter"
    sig = next(b for b in rec.document.blocks if isinstance(b, SignatureTable))
    assert sig.left == ["甲方：青山县人民政府（盖章）", "县长（签字）："]
    assert sig.right == ["乙方：城关镇人民政府（盖章）", "镇长（签字）："]


def test_tabbed_signature_lines_become_the_table_and_the_header_is_reported() -> None:
    rec = recover(CORPUS / "责任书-制表符签名.docx")
    blocks = rec.document.blocks
    sig = next(b for b in blocks if isinstance(b, SignatureTable))
    assert sig.left == ["甲方：青山县人民政府（盖章）", "县长（签字）："]
    assert sig.right == ["乙方：县应急管理局（盖章）", "局长（签字）："]
    date = blocks[-1]
    assert (date.role, date.text) == ("date", "2024年1月5日")  # 二〇二四年一月五日
    assert any(c.rule == RULE_NAMES["signature-table"] for c in rec.changes)
    assert rec.problems == [
        "页眉中的文字「青山县安全生产委员会」未放入（公文版式不用页眉，页码由排版生成）"
    ]


def test_long_addressee_label_with_colon_and_imprint_table() -> None:
    blocks = _blocks("通知-长主送-表格版记")
    paras = [(b.role, b.full_text) for b in blocks if isinstance(b, Paragraph)]
    assert paras[1][0] == "addressee" and paras[1][1].endswith("各行业协会和商会组织：")
    assert ("attachment_label", "附件1") in paras  # 附件1： → 附件1
    assert ("attachment_title", "检查对象名单") in paras
    imprint = blocks[-1]
    assert isinstance(imprint, Imprint)
    assert imprint.cc == "抄送：县委办公室，县政府办公室。"
    assert imprint.printed_date == "2024年4月10日"
    assert [b.header for b in blocks if isinstance(b, Table)] == [["序号", "单位"]]


def test_text_box_and_merged_cells_are_kept() -> None:
    blocks = _blocks("讲话-文本框-合并单元格")
    paras = [(b.role, b.full_text) for b in blocks if isinstance(b, Paragraph)]
    assert paras[:4] == [
        ("title", "在全县安全生产工作会议上的讲话"),
        ("subtitle", "——县应急管理局局长 李四"),
        ("subtitle", "2024年4月10日"),
        ("salutation", "各位领导，同志们："),
    ]
    assert ("body", "文本框里的提示文字。") in paras
    (t,) = [b for b in blocks if isinstance(b, Table)]
    assert t.header == ["2024年事故统计表"]
    assert t.rows == [["类别", "起数", "死亡"], ["道路交通", "3", "2"], ["工矿商贸", "1", ""]]


def test_pasted_lines_become_paragraphs_and_kind_is_guessed() -> None:
    rec = recover(CORPUS / "通知-微信粘贴.docx")
    assert rec.kind == "notice" and "文种" in rec.kind_reason
    paras = [(b.role, b.full_text) for b in rec.document.blocks if isinstance(b, Paragraph)]
    assert paras[0] == ("title", "关于做好汛期安全防范工作的通知")
    assert paras[1] == ("addressee", "各镇（街道），县直各单位：")
    assert "三、严格值班值守。汛期实行24小时值班和领导带班制度，确保信息畅通。" in [
        t for _r, t in paras
    ]
    assert paras[-2:] == [("signature", "县防汛抗旱指挥部办公室"), ("date", "2024年6月3日")]


def test_kinds_guessed(formatted) -> None:
    kinds = {src.stem: rep.kind for src, rep in formatted if src.parent == CORPUS}
    assert kinds == {
        "通知-自动编号-版记": "notice",
        "讲话-混乱格式": "speech",
        "责任书-签名表": "letter",
        "责任书-制表符签名": "letter",
        "通知-微信粘贴": "notice",
        "讲话-文本框-合并单元格": "speech",
        "通知-长主送-表格版记": "notice",
        "通报-图片": "notice",
        "提纲-自动编号": "outline",
        "方案-标题样式编号": "notice",
    }


def test_images_are_carried_into_the_output(formatted) -> None:
    import zipfile

    rec = recover(CORPUS / "通报-图片.docx")
    (img,) = [b for b in rec.document.blocks if isinstance(b, Image)]
    assert img.data.startswith(b"\x89PNG")
    for src, rep in formatted:
        if src.stem != "通报-图片":
            continue
        z = zipfile.ZipFile(rep.output)
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert [z.read(n) for n in media] == [img.data], src
        assert rep.images == 1
        assert 'r:embed="rIdImg1"' in z.read("word/document.xml").decode()


def test_every_change_has_paragraph_before_after_rule(formatted) -> None:
    names = set(RULE_NAMES.values())
    for _src, rep in formatted:
        for c in rep.changes:
            assert c.paragraph and c.rule in names and c.before != c.after, c


# ------------------------------------------------------------------ the command


def speechgen(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "speechgen", *args], capture_output=True, text=True, cwd=cwd
    )


def test_cli_json_report_no_overwrite_identical_rerun(tmp_path: Path) -> None:
    src = tmp_path / "草稿.docx"
    src.write_bytes((CORPUS / "通知-自动编号-版记.docx").read_bytes())
    original = src.read_bytes()
    p = speechgen("format", str(src), "-o", "out", "--report", "json", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    (rep,) = json.loads(p.stdout)
    assert rep["kind"] == "notice" and rep["status"] == "written"
    assert {"paragraph", "before", "after", "rule"} == set(rep["changes"][0])
    assert any(c["after"] == "青安办〔2024〕12号" for c in rep["changes"])
    out = tmp_path / "out" / "草稿.docx"
    first = out.read_bytes()
    assert src.read_bytes() == original
    again = speechgen("format", str(src), "-o", "out", cwd=tmp_path)
    assert again.returncode == 0 and "内容未变" in again.stdout
    assert out.read_bytes() == first
    out.write_bytes(b"edited")
    refused = speechgen("format", str(src), "-o", "out", cwd=tmp_path)
    assert refused.returncode == 1 and "--force" in refused.stdout
    assert out.read_bytes() == b"edited"
    forced = speechgen("format", str(src), "-o", "out", "--force", cwd=tmp_path)
    assert forced.returncode == 0 and out.read_bytes() == first
    same_dir = speechgen("format", str(src), "-o", ".", cwd=tmp_path)
    assert same_dir.returncode == 1 and "不会改动输入" in same_dir.stdout
    assert src.read_bytes() == original
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]


def test_cli_text_report_and_bad_input(tmp_path: Path) -> None:
    bad = tmp_path / "坏.docx"
    bad.write_bytes(b"not a zip")
    src = CORPUS / "讲话-混乱格式.docx"
    p = speechgen("format", str(src), str(bad), "--as", "speech", "-o", "out", cwd=tmp_path)
    assert p.returncode == 1 and "Traceback" not in p.stderr
    assert "按讲话稿排版：按 --as 指定" in p.stdout
    assert "编号形式：「1、抓好隐患排查」→「1.抓好隐患排查」" in p.stdout
    assert "坏.docx：未排版：不是有效的 .docx 文件" in p.stdout
    assert (tmp_path / "out" / "讲话-混乱格式.docx").is_file()


def test_formatting_a_formatted_file_changes_nothing(formatted, tmp_path: Path) -> None:
    firsts = [Path(rep.output) for src, rep in formatted if src.parent == CORPUS]
    again = format_paths(firsts, FormatOptions(outdir=tmp_path))
    for first, rep in zip(firsts, again, strict=True):
        assert Path(rep.output).read_bytes() == first.read_bytes(), first.name
        assert rep.changes == [], (first.name, rep.changes)


def test_speechgens_own_documents_come_back_with_the_same_paragraphs(tmp_path: Path) -> None:
    samples = ROOT / "speechgen" / "samples"
    names = ["01-县-季度-讲话稿.yaml", "05-县-节日-讲话提纲.yaml", "08-县-任务分工-通知.yaml"]
    p = speechgen("render", *[str(samples / n) for n in names], "-o", "gen", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    made = sorted((tmp_path / "gen").glob("*.docx"))
    assert len(made) == 3
    reports = format_paths(made, FormatOptions(outdir=tmp_path / "again"))
    kinds = sorted(r.kind for r in reports)
    assert kinds == ["notice", "outline", "speech"]
    for src, rep in zip(made, reports, strict=True):
        before = [(k, t) for _i, t, k in _paras(src)]
        assert [(k, t) for _i, t, k in _paras(Path(rep.output))] == before, src.name
        assert not [f for f in rep.findings if f.is_error], rep.findings


# ------------------------------------------------------------------ on the page


def test_libreoffice_keeps_the_22_line_grid(formatted, tmp_path_factory) -> None:
    require_tools()
    from speechgen.writers.pdf import convert_to_pdf

    outs = [Path(rep.output) for _src, rep in formatted]
    target = tmp_path_factory.mktemp("pdf")
    pdfs = convert_to_pdf(outs, target, fonts=True)  # one soffice run for all
    full_pages = 0
    for (src, _rep), pdf in zip(formatted, pdfs, strict=True):
        has_table = any(isinstance(b, Table) for b in recover(src).document.blocks)
        for _w, _h, words in pages(pdf):
            lines = body_lines(words)
            if not has_table:
                assert len(lines) <= 22, (src.name, len(lines))
            if len(lines) == 22:
                steps = [b - a for a, b in zip(lines, lines[1:], strict=False)]
                assert all(abs(s - LINE_PITCH) < 0.3 for s in steps), (src.name, steps)
                full_pages += 1
    assert full_pages >= 10  # the long seed speeches fill pages
