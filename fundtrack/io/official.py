"""The committee's report as DOCX in the habits of Chinese official documents (GB/T 9704): page, fonts, tables."""

from __future__ import annotations

import io
import unicodedata
from typing import Any

from fundtrack.io.committee import Chart, Document, Heading, Paragraph, TableBlock
from fundtrack.ledger.text import for_xml

# Fonts as Chinese office machines name them, and the name Word/WPS use where the first is missing.
TITLE_FONT = ("方正小标宋简体", "宋体")
HEADING_FONT = ("黑体", "SimHei")
SUBHEADING_FONT = ("楷体", "楷体_GB2312")
BODY_FONT = ("仿宋", "仿宋_GB2312")
LATIN_FONT = "Times New Roman"
PAGE_NUMBER_FONT = "宋体"

TITLE_PT = 22  # 二号
BODY_PT = 16  # 三号
TABLE_PT = 12  # 小四
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
PAGE_MM = (210, 297)


def _fonts(element: Any, east_asia: str) -> None:
    """Set a run's or a style's fonts, Latin and East Asian (w:eastAsia, which python-docx has no property for)."""
    from docx.oxml.ns import qn

    rpr = element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asia)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def _style(d: Any, name: str, east_asia: str, size_pt: float, bold: bool) -> None:
    from docx.shared import Pt, RGBColor

    st = d.styles[name]
    st.font.name = LATIN_FONT
    st.font.size = Pt(size_pt)
    st.font.bold = bold
    st.font.italic = False
    st.font.color.rgb = RGBColor(0, 0, 0)
    _fonts(st.element, east_asia)
    fmt = st.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(28)  # 固定值28磅: 22 lines a page, as the standard's type area has


def _alt_names(d: Any) -> None:
    """Tell Word and WPS which font stands in for each Chinese font that may be missing (fontTable altName)."""
    from lxml import etree

    part = next(r.target_part for r in d.part.rels.values() if r.reltype.endswith("/fontTable"))
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    root = etree.fromstring(part.blob)
    for name, alt in (TITLE_FONT, HEADING_FONT, SUBHEADING_FONT, BODY_FONT):
        font = etree.SubElement(root, f"{{{ns}}}font", {f"{{{ns}}}name": name})
        etree.SubElement(font, f"{{{ns}}}altName", {f"{{{ns}}}val": alt})
        etree.SubElement(font, f"{{{ns}}}charset", {f"{{{ns}}}val": "86"})  # GB2312
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_numbers(section: Any) -> None:
    """— 1 — centred at the foot of every page (a PAGE field), in 宋体 四号."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def run(text: str | None = None, field: str | None = None) -> None:
        r = p.add_run(text or "")
        r.font.size = Pt(14)
        _fonts(r._r, PAGE_NUMBER_FONT)
        if field:
            begin, instr, end = OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar")
            begin.set(qn("w:fldCharType"), "begin")
            instr.set(qn("xml:space"), "preserve")
            instr.text = field
            end.set(qn("w:fldCharType"), "end")
            r._r.append(begin)
            r._r.append(instr)
            r._r.append(end)

    run("— ")
    run(field="PAGE")
    run(" —")


def text_width(text: str) -> float:
    """How many 1-em cells a text takes: a Chinese character one, a Latin letter or digit half."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


def column_widths_mm(block: TableBlock, total_mm: float, size_pt: float = TABLE_PT) -> list[float]:
    """Widths that fit the page: number columns as wide as their widest figure (they never wrap), the
    text columns sharing the rest by how much they hold (a long name wraps at its word boundaries)."""
    em_mm = size_pt * 25.4 / 72
    padding = 4.2  # Word's cell margins (1.9 mm a side) and a little air, mm
    widest = [
        max([text_width(block.header[i]), *(text_width(r[i]) for r in block.rows)]) for i in range(len(block.header))
    ]
    widths = [w * em_mm + padding if i in block.right else 0.0 for i, w in enumerate(widest)]
    free = max(total_mm - sum(widths), 0.0)
    text_cols = [i for i in range(len(widest)) if i not in block.right]
    need = {i: widest[i] * em_mm + padding for i in text_cols}
    if sum(need.values()) <= free:
        extra = (free - sum(need.values())) / max(len(text_cols), 1)
        for i in text_cols:
            widths[i] = need[i] + extra
    else:
        # Short columns (a kind, a status) keep their width; the longest share what is left.
        floor = free / max(len(text_cols), 1)
        small = {i: need[i] for i in text_cols if need[i] <= floor}
        rest = free - sum(small.values())
        big = [i for i in text_cols if i not in small]
        for i in text_cols:
            widths[i] = small[i] if i in small else rest * need[i] / sum(need[j] for j in big)
    return widths


def _table(d: Any, block: TableBlock, total_mm: float) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.shared import Mm, Pt

    widths = column_widths_mm(block, total_mm)
    table = d.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for col, width in zip(table.columns, widths, strict=True):
        col.width = Mm(width)

    def fill(cells: Any, texts: tuple[str, ...], bold: bool) -> None:
        for i, (cell, text) in enumerate(zip(cells, texts, strict=True)):
            cell.width = Mm(widths[i])
            para = cell.paragraphs[0]
            para.paragraph_format.line_spacing = 1.0
            r = para.add_run(for_xml(text))
            r.font.size = Pt(TABLE_PT)
            r.bold = bold
            _fonts(r._r, HEADING_FONT[0] if bold else BODY_FONT[0])
            if i in block.right:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                cell._tc.get_or_add_tcPr().append(OxmlElement("w:noWrap"))

    fill(table.rows[0].cells, block.header, True)
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeated atop each page
    for row in block.rows:
        fill(table.add_row().cells, row, False)


def _chart(d: Any, block: Chart, width_mm: float) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    from fundtrack.io import charts

    wan = [fen / 1_000_000 for fen in block.fen]  # for drawing only: the figures in the text stay exact
    if block.kind == "bar":
        png = charts.bar_chart(block.title, block.names, wan)
    else:
        level = block.level_fen / 1_000_000 if block.level_fen else None
        png = charts.line_chart(block.title, block.names, wan, level)
    d.add_picture(io.BytesIO(png), width=Mm(min(width_mm, 140)))
    picture = d.paragraphs[-1]
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.paragraph_format.line_spacing = 1.0  # the body's fixed 28 pt would cut the picture off
    shown = charts.labels_for([block.title, *block.names]) if block.kind == "bar" else []
    if shown and shown[0] != block.title:  # no Chinese font drew the labels: say what the numbers are
        key = "；".join(f"{n}.{name}" for n, name in zip(shown[1:], block.names, strict=True))
        d.add_paragraph(for_xml(f"图：{block.title}（{key}）")).alignment = WD_ALIGN_PARAGRAPH.CENTER


def official_docx(doc: Document) -> bytes:
    """A4, margins 37/35/28/26 mm, a 小标宋 title (二号, bold, centred), headings 一、 in 黑体 and 1. in 楷体,
    body in 仿宋 三号, all black, East Asian fonts set, page numbers at the foot, tables and charts fitting the page."""
    from docx import Document as Docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    d = Docx()
    section = d.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    text_mm = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]
    _style(d, "Normal", BODY_FONT[0], BODY_PT, False)
    _style(d, "Heading 1", HEADING_FONT[0], BODY_PT, False)
    _style(d, "Heading 2", SUBHEADING_FONT[0], BODY_PT, False)
    _alt_names(d)
    _page_numbers(section)

    title = d.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(36)
    run = title.add_run(for_xml(doc.title))
    run.bold = True
    run.font.size = Pt(TITLE_PT)
    _fonts(run._r, TITLE_FONT[0])
    sub = d.add_paragraph(for_xml(doc.subtitle))
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for block in doc.blocks:
        if isinstance(block, Heading):
            h = d.add_heading(for_xml(block.text), level=block.level)
            h.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
        elif isinstance(block, Paragraph):
            p = d.add_paragraph(for_xml(block.text))
            p.paragraph_format.first_line_indent = Pt(BODY_PT * 2)  # 首行缩进两字
        elif isinstance(block, TableBlock):
            _table(d, block, text_mm)
        elif isinstance(block, Chart):
            _chart(d, block, text_mm)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()
