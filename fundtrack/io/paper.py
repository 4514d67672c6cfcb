"""Paper for the village: 收据 sheets and the 公示 as PDF (reportlab, CID fonts: real Chinese text on any machine)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from fundtrack.ledger.money import Amount, format_percent, format_yuan, read_as_written
from fundtrack.ledger.paper import LevyTally, figures, with_zheng

# Adobe's CID fonts every PDF reader has for Simplified Chinese: nothing is embedded, so the file is
# small and its text is real (searchable, copyable). STSong-Light is the only Simplified Chinese one;
# headings are the same face drawn heavier (fill and stroke) for want of a CID 黑体.
SONG = "STSong-Light"
PARTS = ("第一联 存根", "第二联 收据（交付款人）", "第三联 记账")
REPRINT = "补打"
VOID = "作废"
SEAL = "村民委员会（盖章）"


def rmb_daxie(fen: int) -> str:
    """An amount in capitals as a 收据 writes it: 人民币（大写）伍仟元整, 伍仟元伍角整, 伍仟元零伍分."""
    import cn2an  # slow to import: only paper and the report need it

    return "人民币（大写）" + with_zheng(cn2an.an2cn(format_yuan(fen), "rmb"))


def _fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if SONG not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(SONG))


@dataclass(frozen=True)
class ReceiptSheet:
    """One 收据 as printed: who paid what, to which project, for what, and its serial."""

    village: str
    serial: int
    date: dt.date
    payer: str
    project: str
    purpose: str
    amount: Amount
    voucher: str | None
    operator: str
    reprint: bool = False
    voided: bool = False

    @property
    def committee(self) -> str:
        return f"{self.village}村民委员会"

    @property
    def number(self) -> str:
        return f"{self.serial:06d}"

    @property
    def marks(self) -> list[str]:
        return [m for m, on in ((VOID, self.voided), (REPRINT, self.reprint)) if on]


def _heavy(c: Any, x: float, y: float, text: str, size: float, centred: bool = False) -> None:
    """Text drawn heavier (filled and stroked) for titles: no CID 黑体 is at hand."""
    t = c.beginText()
    t.setTextRenderMode(2)
    t.setFont(SONG, size)
    width = c.stringWidth(text, SONG, size)
    t.setTextOrigin(x - width / 2 if centred else x, y)
    t.textOut(text)
    c.setLineWidth(size / 40)
    c.drawText(t)
    c.setLineWidth(1)


def _receipt_part(c: Any, sheet: ReceiptSheet, part: str, top: float, width: float, height: float) -> None:
    """One of the three parts of a sheet, in the band below `top`."""
    from reportlab.lib.units import mm

    left, right = 18 * mm, width - 18 * mm
    y = top - 16 * mm
    _heavy(c, width / 2, y, "收　　据", 20, centred=True)
    c.setFont(SONG, 10)
    c.drawRightString(right, y + 2, part)
    y -= 9 * mm
    c.setFont(SONG, 11)
    c.drawString(left, y, f"{sheet.committee}")
    c.drawRightString(right, y, f"收据编号：No.{sheet.number}")
    y -= 7 * mm
    c.drawString(left, y, f"日期：{sheet.date.year}年{sheet.date.month}月{sheet.date.day}日")
    if sheet.voucher:
        c.drawRightString(right, y, f"凭证号：{sheet.voucher}")
    y -= 3 * mm
    rows = [
        ("交款人", sheet.payer),
        ("项目", sheet.project),
        ("事由", sheet.purpose),
        ("金额（小写）", figures(sheet.amount.fen) + ("（不少于此数）" if sheet.amount.at_least else "")),
        ("金额（大写）", rmb_daxie(sheet.amount.fen)),
    ]
    row_h, label_w = 7.5 * mm, 30 * mm
    c.setLineWidth(0.6)
    c.rect(left, y - row_h * len(rows), right - left, row_h * len(rows))
    for i, (label, value) in enumerate(rows):
        base = y - row_h * (i + 1)
        if i:
            c.line(left, base + row_h, right, base + row_h)
        c.line(left + label_w, base, left + label_w, base + row_h)
        c.setFont(SONG, 11)
        c.drawString(left + 2 * mm, base + 2.3 * mm, label)
        c.setFont(SONG, 12)
        c.drawString(left + label_w + 3 * mm, base + 2.3 * mm, _fitted(value, right - left - label_w - 5 * mm, 12))
    y -= row_h * len(rows) + 7 * mm
    c.setFont(SONG, 11)
    c.drawString(left, y, f"收款单位（盖章）：{sheet.committee}")
    c.drawRightString(right, y, f"经办人：{sheet.operator or '　　　　'}")
    if sheet.marks:
        c.saveState()
        c.setFillColorRGB(0.75, 0, 0)
        # Left of the title, on its line: never over the serial or the committee's name.
        _heavy(c, left + 22 * mm, top - 16 * mm, "　".join(sheet.marks), 18, centred=True)
        c.restoreState()


def _fitted(text: str, room: float, size: float) -> str:
    """`text` cut (with …) to what `room` points hold in the CID font at `size`: a long name stays in its cell."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, SONG, size) <= room:
        return text
    while text and stringWidth(text + "…", SONG, size) > room:
        text = text[: max(len(text) * 9 // 10, len(text) - 1) if len(text) > 40 else len(text) - 1]
    return text + "…"


def receipts_pdf(sheets: Sequence[ReceiptSheet]) -> bytes:
    """Each receipt on one A4 page in three parts (存根 · 收据 · 记账), with dashed lines to cut along."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    _fonts()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=True)
    c.setTitle("收据")
    c.setAuthor("fundtrack")
    width, height = A4
    band = height / 3
    for sheet in sheets:
        for k, part in enumerate(PARTS):
            _receipt_part(c, sheet, part, height - k * band, width, band)
        c.saveState()
        c.setDash(4, 3)
        c.setLineWidth(0.5)
        c.setFont(SONG, 8)
        for k in (1, 2):
            y = height - k * band
            c.line(8 * mm, y, width - 8 * mm, y)
            c.drawCentredString(width / 2, y + 1.5 * mm, "沿此线剪开")
        c.restoreState()
        c.showPage()
    if not sheets:
        c.showPage()
    c.save()
    return buf.getvalue()


@dataclass(frozen=True)
class Source:
    """One source of a project's money on the notice: who, how much, and its share of the investment."""

    label: str
    amount: Amount
    share: Any  # Decimal | None


@dataclass(frozen=True)
class NoticeLevy:
    funder: str
    per_household: Amount
    tally: LevyTally


@dataclass(frozen=True)
class NoticeProject:
    name: str
    code: str
    budget: Amount | None
    sources: list[Source]
    received: Amount
    spent: Amount
    levies: list[NoticeLevy] = field(default_factory=list)
    received_by_month: list[tuple[str, int]] = field(default_factory=list)
    """(YYYY-MM, fen received to the end of that month, summed), for the chart over time."""
    pledged: Amount | None = None
    channels: list[Source] = field(default_factory=list)
    """The money by channel (上级拨款, 企业, 群众自筹…), for the bar chart: short names that fit."""


@dataclass(frozen=True)
class Notice:
    village: str
    as_of: dt.date
    projects: list[NoticeProject]
    with_unpaid: bool = False
    heads: dict[str, str] = field(default_factory=dict)
    """户主 by household code, where a register gives them."""


def yuan(amount: Amount | None) -> str:
    """An amount on the notice, in yuan with separators: 6,000,000.00元; a lower bound as read: 400余万元."""
    if amount is None:
        return "未定"
    return read_as_written(amount, figures(amount.fen).lstrip("￥") + "元")  # 400余万元, 至少1,234.50元


def _charts(project: NoticeProject, width: float, scale: float = 1.0) -> list[Any]:
    """The project's money by source (bars) and received over time against pledged (line), drawn as vectors."""
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.charts.lineplots import LinePlot
    from reportlab.graphics.shapes import Drawing, Line, String
    from reportlab.lib import colors

    out: list[Any] = []
    sources = [s for s in (project.channels or project.sources) if s.amount.fen > 0]
    if sources:
        h = (30 + 22 * len(sources)) * scale
        d = Drawing(width, h)
        chart = HorizontalBarChart()
        chart.x, chart.y, chart.width, chart.height = 150 * scale, 10, width - 230 * scale, h - 30 * scale
        chart.data = [[s.amount.fen / 1_000_000 for s in reversed(sources)]]
        chart.categoryAxis.categoryNames = [_short(s.label) for s in reversed(sources)]
        chart.categoryAxis.labels.fontName = SONG
        chart.categoryAxis.labels.fontSize = 11 * scale
        chart.valueAxis.labels.fontName = SONG
        chart.valueAxis.labels.fontSize = 9 * scale
        chart.valueAxis.valueMin = 0
        chart.bars[0].fillColor = colors.HexColor("#4a6fa5")
        chart.barLabelFormat = "values"  # each bar's own words: 余 kept (60余万元)
        chart.barLabelArray = [[_bar_label(s.amount) for s in reversed(sources)]]
        chart.barLabels.fontName = SONG
        chart.barLabels.fontSize = 10 * scale
        chart.barLabels.boxAnchor = "w"
        chart.barLabels.dx = 3
        d.add(chart)
        d.add(String(0, h - 12 * scale, "资金来源（万元）", fontName=SONG, fontSize=12 * scale))
        out.append(d)
    months = project.received_by_month
    if len(months) >= 2:
        h = 170 * scale
        d = Drawing(width, h)
        plot = LinePlot()
        plot.x, plot.y, plot.width, plot.height = 60 * scale, 30 * scale, width - 90 * scale, h - 60 * scale
        points = [(i, fen / 1_000_000) for i, (_, fen) in enumerate(months)]
        plot.data = [points]
        plot.lines[0].strokeColor = colors.HexColor("#2e7d32")
        plot.lines[0].strokeWidth = 2
        plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = 0, len(months) - 1
        plot.xValueAxis.valueSteps = list(range(len(months)))
        plot.xValueAxis.labelTextFormat = lambda i: months[int(i)][0]
        plot.xValueAxis.labels.fontName = SONG
        plot.xValueAxis.labels.fontSize = 8 * scale
        plot.yValueAxis.labels.fontName = SONG
        plot.yValueAxis.labels.fontSize = 9 * scale
        plot.yValueAxis.valueMin = 0
        top = max(p for _, p in points)
        if project.pledged is not None and project.pledged.fen > 0:
            top = max(top, project.pledged.fen / 1_000_000)
        plot.yValueAxis.valueMax = top * 1.1
        d.add(plot)
        if project.pledged is not None and project.pledged.fen > 0:
            y = plot.y + plot.height * (project.pledged.fen / 1_000_000) / (top * 1.1)
            d.add(Line(plot.x, y, plot.x + plot.width, y, strokeColor=colors.red, strokeDashArray=[4, 3]))
            d.add(
                String(
                    plot.x + plot.width - 120 * scale,
                    y + 3,
                    "承诺合计",
                    fontName=SONG,
                    fontSize=10 * scale,
                    fillColor=colors.red,
                )
            )
        d.add(String(0, h - 12 * scale, "累计到位资金（万元）", fontName=SONG, fontSize=12 * scale))
        out.append(d)
    return out


def _bar_label(amount: Amount) -> str:
    """A bar's figure in 万元, 余 kept where the amount is a lower bound."""
    wan = f"{amount.fen / 1_000_000:.2f}万元"
    return read_as_written(amount, wan)


def _data(text: object, room: int = 120) -> str:
    """A name from the data as a Paragraph's text: markup characters escaped (a funder named `<b>` or
    `A&B` is text, not markup) and cut to what a cell can hold (a long name would not fit a page)."""
    from xml.sax.saxutils import escape

    value = str(text)
    return escape(value if len(value) <= room else value[: room - 1] + "…")


def _short(label: str, room: int = 9) -> str:
    """A bar's name cut to what fits left of the chart."""
    return label if len(label) <= room else label[: room - 1] + "…"


def notice_pdf(notice: Notice, a3: bool = False) -> bytes:
    """The 公示 for the notice board: large type, per project its money by source, received, spent, the levy."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A3, A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    _fonts()
    page = A3 if a3 else A4
    scale = 1.4 if a3 else 1.0
    body = ParagraphStyle("body", fontName=SONG, fontSize=14 * scale, leading=22 * scale, wordWrap="CJK")
    title = ParagraphStyle(
        "title", parent=body, fontSize=26 * scale, leading=36 * scale, alignment=TA_CENTER, spaceAfter=6 * mm
    )
    head = ParagraphStyle("head", parent=body, fontSize=18 * scale, leading=28 * scale, spaceBefore=4 * mm)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=page,
        leftMargin=28 * mm,
        rightMargin=26 * mm,
        topMargin=37 * mm,
        bottomMargin=35 * mm,
        title=f"{notice.village}项目资金公示",
        author="fundtrack",
        invariant=True,
    )
    width = page[0] - 54 * mm
    story: list[Any] = [Paragraph(f"<b>{_data(notice.village)}项目资金公示</b>", title)]
    story.append(
        Paragraph(
            f"为接受群众监督，现将本村项目资金情况公示如下（截至{notice.as_of.year}年{notice.as_of.month}月{notice.as_of.day}日）。",
            body,
        )
    )
    style = TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), SONG, 13 * scale),
            ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
            ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
    )
    for n, p in enumerate(notice.projects, start=1):
        # The heading stays on the page of its table: never a heading alone at the foot of a page.
        kept: list[Any] = [
            Paragraph(f"<b>{_chinese_number(n)}、{_data(p.name)}</b>", head),
            Paragraph(f"总投资：{yuan(p.budget)}", body),
        ]
        if p.sources:
            rows: list[list[Any]] = [["资金来源", "金额", "占比"]]
            rows += [[Paragraph(_data(s.label), body), yuan(s.amount), format_percent(s.share)] for s in p.sources]
            shares = [s.share for s in p.sources if s.share is not None]
            if shares and sum(shares) > 1:  # the sources promise more than the investment: the reader sees the sum
                total = Amount(sum(s.amount.fen for s in p.sources), any(s.amount.at_least for s in p.sources))
                rows.append(["合计", yuan(total), format_percent(sum(shares))])
            kept.append(Table(rows, colWidths=[width * 0.46, width * 0.34, width * 0.2], style=style, hAlign="LEFT"))
        else:
            kept.append(Paragraph("资金来源：暂无。", body))
        story.append(KeepTogether(kept))
        over = _over_budget(p)
        if over is not None:
            story.append(Paragraph(f"各方承诺合计超过总投资{over}。", body))
        story.append(Paragraph(f"已到位：{yuan(p.received)}；已支出：{yuan(p.spent)}。", body))
        for levy in p.levies:
            t = levy.tally
            story.append(
                Paragraph(
                    f"{_data(levy.funder)}（每户{yuan(levy.per_household)}）：应交{t.expected}户，已交清{t.paid}户，"
                    f"部分交纳{len(t.partial)}户，未交{t.unpaid}户" + (f"，免缴{t.exempt}户。" if t.exempt else "。"),
                    body,
                )
            )
            owing = [*t.unpaid_named, *t.partial] if notice.with_unpaid else []
            if owing:
                rows = [["户号", "户主", "尚欠"]] + [
                    [
                        _data(o.household, 40),
                        _data(o.head or notice.heads.get(o.household, ""), 40),
                        yuan(Amount(o.outstanding_fen)),
                    ]
                    for o in owing
                ]
                story.append(Table(rows, colWidths=[width * 0.3, width * 0.35, width * 0.35], style=style))
            if notice.with_unpaid and t.unpaid and not t.unpaid_named:
                story.append(Paragraph(f"另有{t.unpaid}户尚未交纳。", body))
        story += [Spacer(1, 3 * mm), *_charts(p, width, scale)]
    if not notice.projects:
        story.append(Paragraph("暂无项目。", body))
    story += [
        Spacer(1, 14 * mm),
        Paragraph(f"{_data(notice.village)}{SEAL}", ParagraphStyle("seal", parent=body, alignment=2)),
        Paragraph(
            f"{notice.as_of.year}年{notice.as_of.month}月{notice.as_of.day}日",
            ParagraphStyle("date", parent=body, alignment=2),
        ),
    ]
    doc.build(story, canvasmaker=_numbered_canvas(scale))
    return buf.getvalue()


def _over_budget(project: NoticeProject) -> str | None:
    """By how much the pledges exceed the investment (`1,000.00元`), when they do; else None."""
    if project.pledged is None or project.budget is None or project.pledged.fen <= project.budget.fen:
        return None
    return yuan(Amount(project.pledged.fen - project.budget.fen))


def _numbered_canvas(scale: float) -> Any:
    """A canvas that writes `第 N 页 共 M 页` at the foot of each page (M known once all are laid out)."""
    from reportlab.pdfgen.canvas import Canvas

    class Numbered(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 -- reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self.setFont(SONG, 11 * scale)
                self.drawCentredString(self._pagesize[0] / 2, 18 * scale * 2.835, f"第 {number} 页 共 {total} 页")
                super().showPage()
            super().save()

    return Numbered


_DIGITS = "零一二三四五六七八九"


def _chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 25 → 二十五 (headings 一、二、 of official documents)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    if n < 100:
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    return str(n)
