"""The committee's DOCX as official documents are laid out (GB/T 9704), read back with python-docx."""

from __future__ import annotations

import pytest
from docx import Document
from docx.oxml.ns import qn

from fundtrack.cli.main import main
from fundtrack.io import charts
from fundtrack.io.committee import TableBlock
from fundtrack.io.official import column_widths_mm, text_width
from tests.conftest import SAMPLE

AS_OF = "2025-06-30"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Document:
    from fundtrack.storage.db import database, open_database
    from fundtrack.storage.migrations import migrate

    tmp = tmp_path_factory.mktemp("docx")
    db = str(tmp / "t.db")
    open_database(db)
    migrate()
    assert main(["--db", db, "import", *map(str, SAMPLE)]) == 0
    out = tmp / "report.docx"
    assert main(["--db", db, "report", "document", "--as-of", AS_OF, "-o", str(out)]) == 0
    database.close()
    return Document(str(out))


def east_asia(element) -> str | None:  # noqa: ANN001 -- a run's or a style's element
    rpr = element.rPr
    return None if rpr is None or rpr.rFonts is None else rpr.rFonts.get(qn("w:eastAsia"))


def test_page_is_a4_with_the_official_margins(report: Document) -> None:
    s = report.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    margins = [round(m.mm) for m in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)]
    assert margins == [37, 35, 28, 26]


def test_title_is_heavy_song_22pt_black_centred_not_the_title_style(report: Document) -> None:
    title = report.paragraphs[0]
    assert title.text == "xx彝族村项目资金情况汇报"
    assert title.style.name == "Normal" and title.alignment == 1  # centred
    run = title.runs[0]
    assert run.bold and run.font.size.pt == 22
    assert east_asia(run._r) == "方正小标宋简体"
    assert run.font.color.rgb is None  # black: no colour of a style of its own


def test_headings_in_heiti_body_in_fangsong_16pt(report: Document) -> None:
    normal, h1 = report.styles["Normal"], report.styles["Heading 1"]
    assert east_asia(normal.element) == "仿宋" and normal.font.size.pt == 16
    assert east_asia(h1.element) == "黑体" and h1.font.size.pt == 16
    assert str(h1.font.color.rgb) == "000000"
    assert any(p.style.name == "Heading 1" and p.text == "一、基本情况" for p in report.paragraphs)
    table = next(r.target_part for r in report.part.rels.values() if r.reltype.endswith("/fontTable"))
    xml = table.blob.decode("utf-8")
    assert 'w:name="仿宋"' in xml and 'w:val="仿宋_GB2312"' in xml and 'w:val="宋体"' in xml


def test_page_numbers_in_the_footer(report: Document) -> None:
    footer = report.sections[0].footer.paragraphs[0]
    assert "PAGE" in footer._p.xml and footer.text.startswith("—")


def test_enterprise_table_fits_and_numbers_never_wrap(report: Document) -> None:
    table = report.tables[0]
    assert len(table.rows) == 20
    widths = [c.width.mm for c in table.rows[0].cells]
    assert sum(widths) == pytest.approx(156, abs=0.5)
    assert widths[0] == max(widths)  # the names take what the figures leave
    for i in (2, 3, 4, 5):
        assert table.rows[1].cells[i]._tc.tcPr.find(qn("w:noWrap")) is not None
    assert table.rows[1].cells[0]._tc.tcPr.find(qn("w:noWrap")) is None
    assert east_asia(table.rows[1].cells[0].paragraphs[0].runs[0]._r) == "仿宋"


def test_charts_are_pictures(report: Document) -> None:
    assert len(report.inline_shapes) >= 2
    blob = report.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    assert report.part.related_parts[blob].blob.startswith(b"\x89PNG")


def test_column_widths_leave_numbers_whole() -> None:
    block = TableBlock(("名称", "金额"), (("一个很长很长很长很长很长很长的企业名称", "12345678.90"),), right=(1,))
    name, amount = column_widths_mm(block, 100)
    assert name + amount == pytest.approx(100)
    assert amount >= text_width("12345678.90") * 12 * 25.4 / 72


def test_a_chart_without_a_chinese_font_numbers_its_labels(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(charts, "cjk_font", lambda: None)
    assert charts.labels_for(["上级拨款", "企业"]) == ["1", "2"]
    assert charts.bar_chart("资金来源", ["上级拨款", "企业"], [1090.0, 1600.0]).startswith(b"\x89PNG")


def test_table_header_row_repeats_on_each_page(report: Document) -> None:
    for table in report.tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(row._tr.trPr is None or row._tr.trPr.find(qn("w:tblHeader")) is None for row in table.rows[1:])
