"""The committee's report, in the words of a village work report: blocks that render to DOCX and Markdown."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from fundtrack.ledger.breakdown import Breakdown, FunderLine, ProjectBreakdown
from fundtrack.ledger.messages import label
from fundtrack.ledger.money import Amount, format_document, format_percent, format_yuan
from fundtrack.ledger.quotas import QuotaReport, worst_first
from fundtrack.ledger.reconcile import Reconciliation
from fundtrack.storage import queries


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class TableBlock:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    right: tuple[int, ...] = ()


@dataclass(frozen=True)
class Chart:
    """A picture of a project's money: bars of amounts by name, or a line of money received month by month
    (`names` the months, `fen` the totals to each month's end) against a level (`level_fen`, pledged)."""

    title: str
    kind: str  # "bar" or "line"
    names: tuple[str, ...]
    fen: tuple[int, ...]
    level_fen: int | None = None


Block = Heading | Paragraph | TableBlock | Chart


@dataclass
class Document:
    title: str
    subtitle: str
    blocks: list[Block] = field(default_factory=list)


def daxie(amount: Amount) -> str:
    """The amount in capital numerals (大写), for totals: 贰仟玖佰壹拾肆万贰仟伍佰元整; 余 becomes 不少于."""
    import cn2an  # only the report needs it, and it is slow to import

    text = cn2an.an2cn(format_yuan(amount.fen), "rmb")
    return ("不少于" if amount.at_least else "") + text


def _funder_part(ln: FunderLine, kind_name: Any) -> str:
    """What one funder line gives, in the sentence of its project: who, how much, and its share."""
    who = "、".join(ln.funders)
    if ln.levy is not None:
        what = f"{who}每户{format_document(ln.levy.per_household)}共{ln.levy.households}户{format_document(ln.pledged)}"
    else:
        what = (
            f"{kind_name(ln.kind)}{'' if who == kind_name(ln.kind) else '(' + who + ')'}{format_document(ln.pledged)}"
        )
        if ln.form != "cash":
            what += f"({label('zh', 'form.' + ln.form)}折价)"
    share = f",占{format_percent(ln.share)}" if ln.share is not None else ""
    return what + share


def _funding_sentence(b: ProjectBreakdown, kind_name: Any) -> str:
    """A project's money in one sentence: the budget, who gives what, what is missing or too much, what arrived."""
    parts = [_funder_part(ln, kind_name) for ln in b.by_funder if ln.pledged_any and not ln.only_unvalued]
    head = f"总投资{format_document(b.budget)}" if b.budget is not None else "总投资未定"
    sentence = head + ("。其中," + ";".join(parts) + "。" if parts else "。")
    if b.gap is not None and b.gap.fen > 0:
        sentence += f"尚有{format_document(b.gap)}资金未落实。"
    elif b.gap is not None and b.gap.fen < 0:
        sentence += f"各方承诺合计{format_document(b.pledged)},超出总投资{format_document(Amount(-b.gap.fen, b.gap.at_least))},需核实。"
    return sentence + f"已到位{format_document(b.received)},已支出{format_document(b.spent)}。"


def _in_kind_text(b: ProjectBreakdown) -> list[Block]:
    """The goods and labour a project was given, with those that carry no value marked (none: no paragraph)."""
    in_kind = [
        f"{'、'.join(k.funders)}投入{label('zh', 'form.' + k.form)}"
        + (f"({k.quantity})" if k.quantity else "")
        + ("" if k.amount is not None else "(未折价)")
        for k in b.in_kind
    ]
    return [Paragraph("实物及投工投劳:" + ";".join(in_kind) + "。")] if in_kind else []


def _levy_text(b: ProjectBreakdown) -> list[Block]:
    """A paragraph per levy of a project: what the villagers owe, paid and still owe."""
    blocks: list[Block] = []
    for ln in b.by_funder:
        if ln.levy is not None:
            paid = "" if ln.households_paid is None else f",已交清{ln.households_paid}户"
            blocks.append(
                Paragraph(
                    f"群众自筹:应交{format_document(ln.pledged)}({ln.levy.households}户),已收{format_document(ln.received)}{paid},"
                    f"尚欠{format_document(ln.outstanding)}。"
                )
            )
    return blocks


def _project_text(b: ProjectBreakdown, kind_name: Any) -> list[Block]:
    """What the report says of one project's money: funding, the budget in capitals, goods and labour, levies."""
    blocks: list[Block] = [Paragraph(_funding_sentence(b, kind_name))]
    if b.budget is not None:
        blocks.append(Paragraph(f"总投资大写:{daxie(b.budget)}。"))
    return blocks + _in_kind_text(b) + _levy_text(b)


def _village_sentence(village: dict[str, Any], settlements: list[dict[str, Any]]) -> str:
    """Where the village is, who lives there and its settlements."""
    where = "".join(village.get(k, "") for k in ("county", "township"))
    basics = f"{where}{village['name']}"
    if village.get("ethnic_groups"):
        basics += f",{'、'.join(village['ethnic_groups'])}聚居"
    figures = []
    if village.get("households"):
        figures.append(f"{village['households']}户")
    if village.get("people"):
        figures.append(f"{village['people']}人")
    if figures:
        basics += "," + "、".join(figures)
    if settlements:
        names = "、".join(s["name"] + (f"({s['households']}户)" if s.get("households") else "") for s in settlements)
        basics += f",辖{len(settlements)}个自然村:{names}"
    return basics + "。"


def _top_level(breakdown: Breakdown) -> tuple[list[ProjectBreakdown], dict[str, list[ProjectBreakdown]]]:
    """The projects numbered in 二、项目资金, and the child projects told under each of them (by its code).

    A child whose parent is not in the report (voided, or another scope's) is numbered itself, so that
    every project is told once and the count in 一、基本情况 is the count of numbered sections."""
    codes = {b.project.code for b in breakdown.projects}
    children: dict[str, list[ProjectBreakdown]] = {}
    top = []
    for b in breakdown.projects:
        if b.project.parent and b.project.parent in codes:
            children.setdefault(b.project.parent, []).append(b)
        else:
            top.append(b)
    return top, children


def _basics_section(village: dict[str, Any], settlements: list[dict[str, Any]], breakdown: Breakdown) -> list[Block]:
    """一、基本情况: the village, then the money of all its projects together."""
    t = breakdown.totals
    top, children = _top_level(breakdown)
    count = f"全村{len(top)}个项目"
    if children:
        # Child projects are told under their project (其中…), not numbered: said here, or 11 would
        # be counted over 9 sections.
        count += f"(另有{sum(map(len, children.values()))}个子项目,列在所属项目之下)"
    return [
        Heading("一、基本情况"),
        Paragraph(_village_sentence(village, settlements)),
        Paragraph(
            f"{count},总投资{format_document(t.budget)},各方承诺{format_document(t.pledged)},"
            f"已到位{format_document(t.received)},已支出{format_document(t.spent)}。"
        ),
        Paragraph(f"总投资大写:{daxie(t.budget)};已到位大写:{daxie(t.received)}。"),
    ]


def _charts(b: ProjectBreakdown, as_of: dt.date, kind_name: Any) -> list[Block]:
    """A project's funding by channel (bars) and what arrived month by month against what was pledged (line)."""
    from fundtrack.storage.paper import received_by_day

    blocks: list[Block] = []
    kinds = [k for k in b.by_kind if k.pledged.fen > 0]
    if len(kinds) > 1 or (kinds and b.received.fen):
        blocks.append(
            Chart(
                f"{b.project.name}资金来源（万元）",
                "bar",
                tuple(kind_name(k.kind) for k in kinds),
                tuple(k.pledged.fen for k in kinds),
            )
        )
    months: dict[str, int] = {}
    running = 0
    for day, fen in received_by_day(b.project.id, as_of):
        running += fen
        months[f"{day.year}-{day.month:02d}"] = running
    if len(months) > 1:
        level = b.pledged.fen or None
        blocks.append(
            Chart(f"{b.project.name}资金到位情况（万元）", "line", tuple(months), tuple(months.values()), level)
        )
    return blocks


def _projects_section(
    breakdown: Breakdown, rec: Reconciliation, kind_name: Any, category_name: Any, as_of: dt.date | None = None
) -> list[Block]:
    """二、项目资金: each top-level project numbered, with its child projects and overdue milestones."""
    blocks: list[Block] = [Heading("二、项目资金")]
    top, children = _top_level(breakdown)
    for number, b in enumerate(top, start=1):
        p = b.project
        blocks.append(
            Heading(f"{number}. {p.name}({category_name(p.category)},{label('zh', 'status.' + p.status)})", 2)
        )
        blocks.extend(_project_text(b, kind_name))
        if as_of is not None:
            blocks.extend(_charts(b, as_of, kind_name))
        for child in children.get(p.code, []):
            blocks.append(Paragraph(f"其中{child.project.name}:{label('zh', 'status.' + child.project.status)}。"))
        for f in rec.findings:
            if f.code == "milestone_overdue" and f.subject == p.code:
                blocks.append(Paragraph(f.message))
    return blocks


def _hiring_section(as_of: dt.date, quotas: QuotaReport) -> list[Block]:
    """三、企业吸纳本地劳动力: the enterprises' hiring quotas, summed, then one row each, the worst first."""
    q = quotas.totals
    return [
        Heading("三、企业吸纳本地劳动力"),
        Paragraph(
            f"{len(quotas.lines)}家企业承诺吸纳本村劳动力{q.quota}人,截至{as_of.isoformat()}登记在岗{q.registered}人;"
            f"达标{q.met}家,未达标{q.short}家,无数据{q.no_data}家,合计差{q.shortfall}人。"
        ),
        TableBlock(
            ("企业", "类型", "应吸纳", "登记在岗", "申报", "差额", "状态"),
            tuple(
                (
                    ln.fact.name,
                    label("zh", "enterprise." + ln.fact.kind),
                    str(ln.fact.quota),
                    str(ln.fact.registered),
                    "—" if ln.fact.declared is None else str(ln.fact.declared),
                    str(ln.shortfall),
                    label("zh", "quota." + ln.status),
                )
                for ln in worst_first(quotas)
            ),
            right=(2, 3, 4, 5),
        ),
    ]


def _findings_section(rec: Reconciliation) -> list[Block]:
    """四、需要关注的问题: the errors and warnings, numbered (or a line saying there are none)."""
    open_findings = [f for f in rec.findings if f.severity in ("error", "warning")]
    blocks: list[Block] = [Heading("四、需要关注的问题")]
    if not open_findings:
        blocks.append(Paragraph("未发现需要关注的问题。"))
    for n, f in enumerate(open_findings, start=1):
        blocks.append(Paragraph(f"{n}. [{label('zh', 'severity.' + f.severity)}] {f.message}"))
    return blocks


def build_document(
    as_of: dt.date,
    village_id: int,
    breakdown: Breakdown,
    quotas: QuotaReport,
    rec: Reconciliation,
    kind_name: Any,
    category_name: Any,
) -> Document:
    """The report for one village as of a date, from its ledger: basic figures, each project, hiring, open findings."""
    village = queries.village_values(queries.villages_by_id(village_id))
    settlements = list(queries.records(village_id)["settlements"])
    blocks = [
        *_basics_section(village, settlements, breakdown),
        *_projects_section(breakdown, rec, kind_name, category_name, as_of),
        *_hiring_section(as_of, quotas),
        *_findings_section(rec),
    ]
    title = f"{village['name']}项目资金情况汇报"
    return polished(Document(title, f"截至{as_of.year}年{as_of.month}月{as_of.day}日", blocks))


_FULL_WIDTH = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）"})


def zh_punctuation(text: str) -> str:
    """Chinese prose takes full-width punctuation (the report's own style)."""
    return text.replace(", ", ",").replace("; ", ";").replace(": ", ":").translate(_FULL_WIDTH)


def polished(doc: Document) -> Document:
    blocks: list[Block] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            blocks.append(Paragraph(zh_punctuation(block.text)))
        elif isinstance(block, Heading):
            blocks.append(Heading(zh_punctuation(block.text), block.level))
        else:
            blocks.append(block)
    return Document(doc.title, doc.subtitle, blocks)


def to_markdown(doc: Document) -> str:
    out = [f"# {doc.title}\n\n{doc.subtitle}\n"]
    for block in doc.blocks:
        if isinstance(block, Heading):
            out.append(f"\n{'#' * (block.level + 1)} {block.text}\n")
        elif isinstance(block, Paragraph):
            out.append(f"\n{block.text}\n")
        elif isinstance(block, Chart):
            continue  # pictures are for the DOCX; Markdown keeps the words and tables
        else:
            out.append("\n| " + " | ".join(block.header) + " |\n")
            out.append("|" + "|".join("---:" if i in block.right else "---" for i in range(len(block.header))) + "|\n")
            for row in block.rows:
                out.append("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |\n")
    return "".join(out)
