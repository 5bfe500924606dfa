"""Write the messy .docx corpus of ``speechgen format`` into tests/data/format/.

The files are made the way offices make them: python-docx on its default
template (theme fonts in the styles), Word auto-numbering in numbering.xml for
headings that carry no literal marker, mixed fonts and sizes, tab and space
indents, manual line breaks inside paragraphs, ``[2024]`` document numbers,
a table pasted from Excel, a signature table, a picture. Then each is saved
again by LibreOffice (``soffice --headless --convert-to docx``) into
tests/data/format/lo/, so LibreOffice-written packages are covered too.

Run from the repository root::

    python scripts/make_format_corpus.py          # needs python-docx and soffice
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt, RGBColor

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "format"

# --------------------------------------------------------------------- helpers


def run(p, text: str, font: str = "", size: float = 0, bold: bool = False, color: str = ""):
    r = p.add_run(text)
    if font:
        r.font.name = font
        rpr = r._element.get_or_add_rPr()
        rfonts = rpr.find(qn("w:rFonts"))
        if rfonts is None:
            rfonts = parse_xml(f"<w:rFonts {nsdecls('w')}/>")
            rpr.insert(0, rfonts)
        rfonts.set(qn("w:eastAsia"), font)
    if size:
        r.font.size = Pt(size)
    if bold:
        r.bold = True
    if color:
        r.font.color.rgb = RGBColor.from_string(color)
    return r


def para(d, text: str = "", *, align=None, font: str = "", size: float = 0, bold=False, color=""):
    p = d.add_paragraph()
    if text:
        run(p, text, font, size, bold, color)
    if align is not None:
        p.alignment = align
    return p


def with_breaks(d, lines: list[str], font: str = "宋体", size: float = 12):
    """One paragraph whose lines are separated by manual line breaks (Shift+Enter)."""
    p = d.add_paragraph()
    for i, line in enumerate(lines):
        r = run(p, line, font, size)
        if i < len(lines) - 1:
            r.add_break(WD_BREAK.LINE)
    return p


def add_numbering(d) -> tuple[int, int]:
    """Two Word lists: 一、/（一） (chineseCounting) and 1./（1） (decimal).
    Returns their numIds."""
    part = d.part.numbering_part
    root = part.element
    abstract = f"""
    <w:abstractNum {nsdecls("w")} w:abstractNumId="90">
      <w:multiLevelType w:val="multilevel"/>
      <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
        <w:lvlText w:val="%1、"/><w:lvlJc w:val="left"/>
        <w:pPr><w:ind w:left="420" w:hanging="420"/></w:pPr></w:lvl>
      <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
        <w:lvlText w:val="（%2）"/><w:lvlJc w:val="left"/>
        <w:pPr><w:ind w:left="840" w:hanging="420"/></w:pPr></w:lvl>
    </w:abstractNum>"""
    abstract2 = f"""
    <w:abstractNum {nsdecls("w")} w:abstractNumId="91">
      <w:multiLevelType w:val="hybridMultilevel"/>
      <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
        <w:lvlText w:val="%1、"/><w:lvlJc w:val="left"/></w:lvl>
      <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
        <w:lvlText w:val="(%2)"/><w:lvlJc w:val="left"/></w:lvl>
    </w:abstractNum>"""
    first_num = root.find(qn("w:num"))
    for xml in (abstract, abstract2):
        el = parse_xml(xml)
        if first_num is not None:
            first_num.addprevious(el)
        else:
            root.append(el)
    root.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    )
    root.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="91"><w:abstractNumId w:val="91"/></w:num>')
    )
    return 90, 91


def numbered(d, text: str, num_id: int, ilvl: int, font: str = "黑体", size: float = 16):
    p = para(d, text, font=font, size=size)
    ppr = p._element.get_or_add_pPr()
    ppr.append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
        )
    )
    return p


def table(d, rows: list[list[str]], font: str = "Calibri", size: float = 11, borders=True):
    t = d.add_table(rows=len(rows), cols=len(rows[0]))
    if borders:
        t.style = "Table Grid"
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            c = t.cell(i, j)
            c.text = ""
            run(c.paragraphs[0], cell, font, size)
    return t


def png(width: int, height: int) -> bytes:
    """A small red-and-white striped PNG, written without an image library."""
    raw = b"".join(
        b"\x00"
        + b"".join(b"\xff\x00\x00" if (x // 8) % 2 else b"\xff\xff\xff" for x in range(width))
        for _ in range(height)
    )

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


C = WD_ALIGN_PARAGRAPH.CENTER
R = WD_ALIGN_PARAGRAPH.RIGHT

# --------------------------------------------------------------------- documents


def notice() -> docx.Document:
    d = docx.Document()
    n1, n2 = add_numbering(d)
    para(
        d,
        "青山县安全生产委员会办公室文件",
        align=C,
        font="宋体",
        size=36,
        bold=True,
        color="FF0000",
    )
    para(d)
    para(d, "青安办[2024]12号", align=C, font="仿宋", size=16)
    para(d)
    para(d, "关于开展2024年第二季度安全生产", align=C, font="宋体", size=22, bold=True)
    para(d, "大检查的通知", align=C, font="宋体", size=22, bold=True)
    para(d)
    para(d, "各乡镇人民政府，县直有关部门：", font="仿宋_GB2312", size=16)
    para(
        d,
        "\t为深入贯彻落实上级安全生产工作部署,切实防范遏制各类生产安全事故,经县政府同意,"
        "决定于2024年04月15日至2024年05月31日在全县开展安全生产大检查。现将有关事项通知如下:",
        font="宋体",
        size=12,
    )
    numbered(d, "检查范围", n1, 0)
    para(
        d,
        "    全县各行业领域生产经营单位，重点是矿山、危险化学品、燃气、建筑施工、交通运输等行业。",
        font="微软雅黑",
        size=14,
    )
    numbered(d, "检查内容", n1, 0)
    numbered(d, "安全生产责任落实情况", n1, 1, font="楷体", size=16)
    para(d, "　　主要检查企业主要负责人是否履行安全生产第一责任人职责。", font="仿宋", size=16)
    numbered(d, "重大事故隐患排查整治情况", n1, 1, font="楷体", size=16)
    para(d, "1、对照判定标准，逐条排查。", font="仿宋", size=16)
    para(d, "2、建立隐患台账，实行闭环管理。", font="仿宋", size=16)
    numbered(d, "工作要求", n1, 0)
    with_breaks(
        d,
        [
            "各单位要高度重视，明确专人负责。",
            "检查情况于2024年6月5日前报县安委办（联系电话：0123-4567890）。",
        ],
        font="仿宋",
        size=16,
    )
    para(d, "各单位检查发现的问题汇总如下 (截至5月10日)：", font="宋体", size=12)
    table(
        d,
        [
            ["单位", "检查企业数", "发现隐患", "已整改", "整改率"],
            ["城关镇", "56", "120", "118", "98.3%"],
            ["河西乡", "23", "45", "45", "100%"],
            ["县住建局", "40", "88", "80", "90.9%"],
        ],
    )
    para(d)
    para(d, "附件：1.任务分工表", font="仿宋", size=16)
    para(d, "2.检查情况汇总表", font="仿宋", size=16)
    para(d)
    para(d, "                        青山县安全生产委员会办公室", font="仿宋", size=16)
    para(d, "                          2024年04月10日", font="仿宋", size=16)
    d.add_page_break()
    para(d, "附件1", font="黑体", size=16)
    para(d, "任务分工表", align=C, font="宋体", size=18, bold=True)
    table(
        d,
        [
            ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"],
            ["1", "制定检查方案", "县应急管理局", "县直有关部门", "4月15日前"],
            ["2", "开展企业自查", "各乡镇", "各企业", "4月30日前"],
            ["3", "组织督导检查", "县安委办", "县住建局、县市场监管局", "5月31日前"],
        ],
        font="宋体",
        size=10.5,
    )
    para(d)
    para(d, "抄送：县委办公室，县人大常委会办公室，县政协办公室", font="仿宋", size=14)
    para(d, "青山县安全生产委员会办公室\t\t2024年4月10日印发", font="仿宋", size=14)
    return d


def speech() -> docx.Document:
    d = docx.Document()
    para(d, "在全县第二季度安全生产工作会议上的讲话", align=C, font="宋体", size=18, bold=True)
    para(d, "县长  张三", align=C, font="楷体", size=16)
    para(d, "(2024年4月10日)", align=C, font="楷体", size=16)
    para(d)
    para(d, "同志们:", font="宋体", size=16)
    para(
        d,
        "  今天召开全县第二季度安全生产工作会议,主要任务是分析当前形势,部署下一阶段工作。下面,我讲三点意见。",
        font="宋体",
        size=16,
    )
    para(d)
    para(d, "一、清醒认识当前安全生产形势。", font="黑体", size=16)
    para(
        d,
        "    今年以来，全县安全生产形势总体平稳，但事故隐患依然不少。",
        font="Times New Roman",
        size=16,
    )
    para(d, "（一）、成绩来之不易", font="楷体", size=16)
    para(
        d, "    一季度全县未发生较大以上生产安全事故，事故起数同比下降12.5%。", font="仿宋", size=16
    )
    para(d, "（二）、问题不容忽视", font="楷体", size=16)
    para(
        d,
        "    一是排查整治不能停。部分企业隐患排查流于形式。二是责任落实不能松。有的单位“一岗双责”落实不到位。",
        font="仿宋",
        size=16,
    )
    para(d, "二、 扎实做好重点工作", font="黑体", size=16)
    para(d, "（一）抓好隐患排查和专项整治", font="楷体", size=16)
    para(d, "1、抓好隐患排查", font="仿宋", size=16)
    para(d, "    要对照重大事故隐患判定标准，逐条逐项排查。", font="仿宋", size=16)
    para(d, "2、抓好专项整治", font="仿宋", size=16)
    para(d, "    (1)燃气安全。要全面排查餐饮场所燃气使用情况。", font="仿宋", size=16)
    para(d, "    (2)消防安全。要加强人员密集场所检查。", font="仿宋", size=16)
    para(d, "三、压紧压实安全责任", font="黑体", size=16)
    para(d, "\t各级各部门要坚持“三管三必须”，层层压实责任。。", font="仿宋", size=16)
    para(d)
    para(d, "谢谢大家！", font="仿宋", size=16)
    return d


def letter() -> docx.Document:
    d = docx.Document()
    para(d, "2024年度安全生产目标责任书", align=C, font="黑体", size=22)
    para(
        d,
        "为认真落实安全生产责任制，确保全年安全生产目标实现，特签订本责任书。",
        font="宋体",
        size=14,
    )
    for h, body in (
        ("一、控制指标", "全年不发生较大以上生产安全事故，事故起数和死亡人数同比下降。"),
        ("二、工作职责", "落实属地管理责任，组织开展隐患排查治理。"),
        ("三、考核与奖惩", "年终按考核细则进行考核，结果纳入年度综合考评。"),
        ("四、责任期限", "2024年1月1日至2024年12月31日。"),
        ("五、其他", "本责任书一式两份，甲乙双方各执一份。"),
    ):
        para(d, h, font="黑体", size=16)
        para(d, "  " + body, font="仿宋", size=16)
    para(d)
    t = d.add_table(rows=2, cols=2)
    cells = [
        ["甲方：青山县人民政府（盖章）", "乙方：城关镇人民政府（盖章）"],
        ["县长（签字）：", "镇长（签字）："],
    ]
    for i, row in enumerate(cells):
        for j, text in enumerate(row):
            t.cell(i, j).text = ""
            run(t.cell(i, j).paragraphs[0], text, "仿宋", 16)
    para(d)
    para(d, "2024年1月5日", align=R, font="仿宋", size=16)
    return d


def speech_box() -> docx.Document:
    """A speech with a dash speaker line, a bare date line, a table whose title
    row is merged across the columns and a merged cell, and a text box."""
    d = docx.Document()
    para(d, "在全县安全生产工作会议上的讲话", align=C, font="宋体", size=18)
    para(d, "——县应急管理局局长 李四", align=C)
    para(d, "2024年4月10日")
    para(d, "各位领导，同志们：")
    para(d, "今天的会议很重要。我讲两点意见。")
    para(d, "一、提高认识")
    para(d, "要充分认识安全生产的重要性。")
    para(d, "二、狠抓落实")
    para(d, "要把各项措施落到实处。")
    t = table(
        d,
        [
            ["2024年事故统计表", "", ""],
            ["类别", "起数", "死亡"],
            ["道路交通", "3", "2"],
            ["工矿商贸", "1", ""],
        ],
    )
    t.cell(0, 0).merge(t.cell(0, 2))
    t.cell(2, 2).merge(t.cell(3, 2))
    p = d.add_paragraph()
    box = parse_xml(
        f'<w:pict {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml">'
        '<v:shape style="width:200pt;height:50pt"><v:textbox><w:txbxContent>'
        "<w:p><w:r><w:t>文本框里的提示文字。</w:t></w:r></w:p>"
        "</w:txbxContent></v:textbox></v:shape></w:pict>"
    )
    p.add_run()._element.append(box)
    para(d, "谢谢大家！")
    return d


def notice_long() -> docx.Document:
    """A long 主送 line, an attachment label 「附件1：」 after a page break, and the
    版记 typed in a bordered table."""
    d = docx.Document()
    para(d, "关于开展安全生产大检查的通知", align=C, size=22)
    para(
        d,
        "各乡镇人民政府，各街道办事处，县直各部门，县属各国有企业，驻县各单位，各有关企业，各行业协会和商会组织：",
    )
    para(d, "现将有关事项通知如下。")
    para(d, "一、检查时间")
    para(d, "2024年5月。")
    para(d, "二、检查对象")
    para(d, "见附件。")
    para(d, "青山县安全生产委员会办公室", align=R)
    para(d, "2024年4月10日", align=R)
    d.add_page_break()
    para(d, "附件1：")
    para(d, "检查对象名单")
    table(d, [["序号", "单位"], ["1", "城关镇"], ["2", "河西乡"]])
    para(d)
    table(
        d,
        [["抄送：县委办公室，县政府办公室。"], ["青山县安全生产委员会办公室   2024年4月10日印发"]],
    )
    return d


def letter_tabs() -> docx.Document:
    """A letter from WPS habits: 甲方 and 乙方 side by side with tabs, the date in
    Chinese numerals, a running header."""
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "青山县安全生产委员会"
    para(d, "2024年度安全生产目标责任书", align=C, font="宋体", size=18, bold=True)
    para(d, "为落实安全生产责任，特签订本责任书。", font="宋体", size=14)
    for h, body in (
        ("一、控制指标", "全年不发生较大以上生产安全事故。"),
        ("二、工作职责", "落实属地管理责任。"),
        ("三、考核与奖惩", "年终进行考核。"),
        ("四、责任期限", "2024年1月1日至2024年12月31日。"),
        ("五、其他", "本责任书一式两份，甲乙双方各执一份。"),
    ):
        para(d, h, font="黑体", size=16)
        para(d, body, font="仿宋", size=16)
    para(d)
    para(d, "甲方：青山县人民政府（盖章）\t\t乙方：县应急管理局（盖章）", font="仿宋", size=16)
    para(d, "县长（签字）：\t\t\t局长（签字）：", font="仿宋", size=16)
    para(d, "二〇二四年一月五日", align=R, font="仿宋", size=16)
    return d


def pasted() -> docx.Document:
    """A notice pasted from a chat window: one paragraph of lines, no styles."""
    d = docx.Document()
    with_breaks(
        d,
        [
            "关于做好汛期安全防范工作的通知",
            "各镇（街道），县直各单位：",
            "当前已进入主汛期，为切实做好汛期安全防范工作，现就有关事项通知如下。",
            "一、加强监测预警。各单位要密切关注雨情、水情变化，及时发布预警信息。",
            "二、强化隐患排查。要对山洪、地质灾害易发区域开展拉网式排查。",
            "三、严格值班值守。汛期实行24小时值班和领导带班制度 , 确保信息畅通。",
        ],
        font="等线",
        size=10.5,
    )
    para(d, "县防汛抗旱指挥部办公室", align=R)
    para(d, "2024年6月3日", align=R)
    return d


def picture() -> docx.Document:
    d = docx.Document()
    para(d, "关于全县安全生产检查情况的通报", align=C, font="宋体", size=22, bold=True)
    para(d, "各乡镇人民政府：", font="宋体", size=16)
    para(d, "现将检查现场照片通报如下，请各单位对照整改。", font="宋体", size=16)
    path = Path(tempfile.mkdtemp()) / "photo.png"
    path.write_bytes(png(64, 32))
    d.add_picture(str(path), width=Pt(200))
    para(d, "图为某企业消防通道堵塞情况。", align=C, font="宋体", size=12)
    para(d, "青山县应急管理局", align=R, font="宋体", size=16)
    para(d, "2024年5月20日", align=R, font="宋体", size=16)
    return d


def outline() -> docx.Document:
    d = docx.Document()
    _, n2 = add_numbering(d)
    para(d, "县长在全县安全生产工作会议上的讲话提纲", align=C, font="宋体", size=18)
    para(d, "一、深刻汲取事故教训", font="黑体", size=16)
    numbered(d, "认清严峻形势", n2, 0, font="仿宋", size=16)
    numbered(d, "找准薄弱环节", n2, 0, font="仿宋", size=16)
    para(d, "二、全力抓好重点工作", font="黑体", size=16)
    numbered(d, "排查整治不能停", n2, 1, font="仿宋", size=16)
    numbered(d, "责任落实不能松", n2, 1, font="仿宋", size=16)
    return d


def styled() -> docx.Document:
    """Word's own styles: Title, Heading 1/2 with the numbering linked in the style
    (the paragraphs carry no numPr of their own), body text in Normal."""
    d = docx.Document()
    n1, _ = add_numbering(d)
    for style_name, ilvl in (("Heading 1", 0), ("Heading 2", 1)):
        st = d.styles[style_name]
        ppr = st.element.get_or_add_pPr()
        ppr.append(
            parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{n1}"/></w:numPr>'
            )
        )
    d.add_paragraph("青山县2024年安全生产专项整治工作方案", style="Title")
    d.add_paragraph("为扎实推进安全生产专项整治，制定本方案。")
    d.add_heading("总体要求", level=1)
    d.add_paragraph("坚持人民至上、生命至上，统筹发展和安全。")
    d.add_heading("主要任务", level=1)
    d.add_heading("深化重点行业领域整治", level=2)
    d.add_paragraph("聚焦燃气、消防、交通运输等重点行业领域。")
    d.add_heading("强化基层基础建设", level=2)
    d.add_paragraph("推进安全生产标准化建设。")
    d.add_heading("保障措施", level=1)
    d.add_paragraph("各乡镇、各部门要加强组织领导，确保方案落实。")
    return d


DOCUMENTS = {
    "方案-标题样式编号": styled,
    "通知-自动编号-版记": notice,
    "讲话-混乱格式": speech,
    "责任书-签名表": letter,
    "责任书-制表符签名": letter_tabs,
    "通知-微信粘贴": pasted,
    "讲话-文本框-合并单元格": speech_box,
    "通知-长主送-表格版记": notice_long,
    "通报-图片": picture,
    "提纲-自动编号": outline,
}


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    lo = OUT / "lo"
    if lo.exists():
        shutil.rmtree(lo)
    written = []
    for name, make in DOCUMENTS.items():
        path = OUT / f"{name}.docx"
        make().save(str(path))
        written.append(path)
        print(path.relative_to(ROOT))
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("soffice 未安装：未生成 LibreOffice 另存的副本", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={Path(profile).as_uri()}",
                "--headless",
                "--convert-to",
                "docx:MS Word 2007 XML",
                "--outdir",
                str(lo),
                *map(str, written),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    for p in sorted(lo.glob("*.docx")):
        print(p.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
