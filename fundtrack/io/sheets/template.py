"""An empty workbook to fill in: a sheet per table with Chinese headers, drop-down lists, formats, an explanation."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from fundtrack.io.office import NUMBER_FORMATS, display_width
from fundtrack.io.sheets import recognise, values
from fundtrack.ledger import tables as decl

ROWS = 1000
"""Rows of each sheet that the drop-downs and formats cover."""
LISTS = "名单"
"""The hidden sheet that holds the village's names for the drop-downs of links."""

SHEET_NOTES = {
    "settlements": "本村的自然村(村民小组)",
    "funders": "出资方: 上级、财政、帮扶单位、捐赠人、群众等",
    "enterprises": "企业(煤矿、加工厂), 及其本地用工承诺",
    "households": "户籍花名册",
    "projects": "项目: 编号只用小写英文字母、数字和连字符, 如 road-1",
    "milestones": "项目的进度节点",
    "pledges": "承诺出资: 现金或土地、投工投劳、机械、材料",
    "levies": "群众自筹: 每户金额 × 户数",
    "receipts": "到位资金: 每笔到账一行",
    "expenses": "支出: 每笔支出一行",
    "hires": "企业招用的本村人员",
    "headcounts": "企业申报的本地用工人数",
}
LINK_LABELS = {"projects": "项目", "funders": "出资方", "enterprises": "企业", "settlements": "自然村"}


def header(table: str, key: decl.Key) -> str:
    """The Chinese header of a key: the first Chinese name that the import reads back as that key."""
    names = recognise.header_names(table)
    candidates = [*recognise.TABLE_KEY_NAMES.get(table, {}).get(key.name, ()), *recognise.KEY_NAMES.get(key.name, ())]
    text = next((n for n in candidates if names.get(recognise.normal(n)) == key.name), key.name)
    if key.kind == "amount":
        text += "（元）"
    return text + ("*" if key.required else "")


def sheet_name(table: str) -> str:
    return recognise.TABLE_NAMES[table][0]


def _choices(table: str, key: decl.Key, categories: Mapping[str, str]) -> list[str]:
    if key.kind == "flag":
        return ["是", "否"]
    if key.kind == "category":
        return list(categories.values())
    if key.kind == "choice":
        return [values.zh_name(key.name, table, c) for c in key.choices]
    return []


def template(
    village: Mapping[str, Any] | None = None,
    names: Mapping[str, Sequence[str]] | None = None,
    categories: Mapping[str, str] | None = None,
) -> bytes:
    """The workbook. `village`: the village's figures (its name fills the village sheet); `names`: per
    linked table (projects, funders, enterprises, settlements), the names its drop-downs offer;
    `categories`: code -> the name its drop-down offers (the configured ones)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    if not categories:
        from fundtrack.ledger import vocab

        categories = {c: values.zh_name("category", "projects", c) for c in vocab.CATEGORIES}
    names = {t: list(v) for t, v in (names or {}).items() if v}
    wb = Workbook()
    guide = wb.active
    guide.title = "说明"
    bold = Font(bold=True)

    lists = None
    list_ranges: dict[str, str] = {}
    if names:
        lists = wb.create_sheet(LISTS)
        for column, (table, listed) in enumerate(names.items(), start=1):
            letter = get_column_letter(column)
            lists.cell(1, column, LINK_LABELS.get(table, table))
            for row, name in enumerate(listed, start=2):
                lists.cell(row, column, name)
            list_ranges[table] = f"{quote_sheetname(LISTS)}!${letter}$2:${letter}${len(listed) + 1}"
        lists.sheet_state = "hidden"

    village_sheet = wb.create_sheet(recognise.TABLE_NAMES["village"][0])
    for key in decl.VILLAGE.keys:
        value = (village or {}).get(key.name)
        if isinstance(value, list):
            value = "、".join(value)
        village_sheet.append([header("village", key).rstrip("*"), value])
    village_sheet.column_dimensions["A"].width = 12
    village_sheet.column_dimensions["B"].width = 30

    for table, declared in decl.TABLES.items():
        ws = wb.create_sheet(sheet_name(table))
        keys = list(declared.keys)
        ws.append([header(table, k) for k in keys])
        for cell in ws[1]:
            cell.font = bold
        ws.freeze_panes = "A2"
        for i, key in enumerate(keys, start=1):
            letter = get_column_letter(i)
            cells = f"{letter}2:{letter}{ROWS + 1}"
            ws.column_dimensions[letter].width = max(display_width(header(table, key)) + 4, 12)
            if key.kind == "amount":
                ws.column_dimensions[letter].number_format = NUMBER_FORMATS["元"]
            elif key.kind == "date":
                ws.column_dimensions[letter].number_format = "yyyy-mm-dd"
            elif key.kind in ("name", "text", "names"):
                ws.column_dimensions[letter].number_format = "@"  # text: codes and vouchers stay as typed
            choices = _choices(table, key, categories)
            if choices:
                dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
                dv.error, dv.errorTitle = "请从下拉列表中选择", "不是可选值"
                ws.add_data_validation(dv)
                dv.add(cells)
            elif key.link and key.link in list_ranges:
                dv = DataValidation(type="list", formula1=list_ranges[key.link], allow_blank=True)
                dv.showErrorMessage = False  # a name this workbook defines may be typed too
                ws.add_data_validation(dv)
                dv.add(cells)

    lines = [
        ("资金台账填报模板", True),
        ("", False),
        ("填好后导入: fundtrack import 本文件.xlsx (先用 --preview 看看会导入什么, 什么都不写入)", False),
        ("每张工作表是一类记录, 每行一条; 不用的表留空即可。表头带 * 的列必须填。", False),
        ("金额: 填数字, 单位为元; 也可把表头改成“金额（万元）”按万元填, 或写“20万”“60余万”。", False),
        ("日期: 填日期, 或写 2025-06-30、2025/6/30、2025年6月30日。", False),
        ("类型、类别、状态、形式、岗位等列: 从下拉列表中选择。", False),
        ("项目: 写项目编号或项目名称均可; 出资方、企业、自然村: 写它们在本表或数据库中的名称。", False),
        ("有错时整个文件都不导入, 并逐条指出在哪个单元格、错在哪里。", False),
        ("", False),
        ("各工作表", True),
        (f"{recognise.TABLE_NAMES['village'][0]}: 村名及基本情况 (左列是项目, 右列填写)", False),
    ]
    lines += [(f"{sheet_name(t)}: {SHEET_NOTES.get(t, t)}", False) for t in decl.TABLES]
    for text, is_title in lines:
        guide.append([text])
        if is_title:
            guide.cell(guide.max_row, 1).font = Font(bold=True, size=14 if text == lines[0][0] else 12)
    guide.column_dimensions["A"].width = 100
    for row in guide.iter_rows():
        row[0].alignment = Alignment(wrap_text=True)
    if lists is not None:
        wb.move_sheet(lists, offset=len(wb.sheetnames))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
