"""Which table a sheet holds and which key each column is: sheet names and headers, in Chinese or English."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from fundtrack.ledger import tables as decl

# A sheet's table by its name. The names are matched whole first, then as a part of the sheet's
# name ("资金到位表" is a receipts sheet); `项目` last, as it is part of many names.
TABLE_NAMES: dict[str, tuple[str, ...]] = {
    "village": ("村", "村情", "基本情况", "村基本情况"),
    "settlements": ("自然村", "村民小组"),
    "funders": ("出资方", "出资单位", "资金来源"),
    "enterprises": ("企业", "煤矿企业"),
    "households": ("农户", "花名册", "户籍花名册"),
    "pledges": ("承诺", "资金承诺", "承诺资金"),
    "levies": ("自筹", "群众自筹", "集资"),
    "receipts": ("到位", "收款", "资金到位", "到位资金"),
    "expenses": ("支出", "资金支出", "开支"),
    "hires": ("用工", "本地用工", "用工名单"),
    "headcounts": ("申报", "用工申报"),
    "milestones": ("节点", "进度节点", "里程碑"),
    "projects": ("项目", "项目清单", "项目库"),
}

# Header names of a key, in any table that has the key.
KEY_NAMES: dict[str, tuple[str, ...]] = {
    "name": ("名称", "名字"),
    "code": ("编号", "代码"),
    "project": ("项目", "项目编号", "项目名称", "项目代码"),
    "funder": ("出资方", "出资单位", "资金来源", "来源", "拨款单位", "出资人"),
    "funders": ("共同出资方", "联合出资方"),
    "amount": ("金额", "到位金额", "支出金额", "承诺金额", "数额", "资金"),
    "date": ("日期", "到位日期", "支出日期", "承诺日期", "时间"),
    "voucher": ("凭证号", "票据号", "凭证", "票据", "凭证编号"),
    "item": ("用途", "摘要", "支出事项", "事项"),
    "note": ("备注", "说明"),
    "household": ("户号", "农户", "户主", "缴款户"),
    "households": ("户数",),
    "people": ("人口", "人数"),
    "kind": ("类型", "性质"),
    "category": ("类别", "项目类别"),
    "status": ("状态", "进度"),
    "budget": ("总投资", "预算", "概算", "计划投资"),
    "parent": ("上级项目", "所属项目"),
    "settlements": ("自然村", "涉及自然村", "受益自然村"),
    "beneficiary_households": ("受益户数",),
    "beneficiary_people": ("受益人口", "受益人数"),
    "start": ("开始日期", "开工日期", "开始"),
    "expected_end": ("预计完工日期", "预计完工", "完工日期"),
    "due": ("截止日期", "计划完成日期", "期限"),
    "form": ("形式", "出资形式"),
    "quantity": ("数量",),
    "ref": ("文号", "文件号"),
    "per_household": ("每户", "每户金额", "户均"),
    "hiring_quota": ("用工承诺", "承诺用工", "用工指标"),
    "management_quota": ("管理岗承诺", "管理岗指标"),
    "person": ("姓名", "人员"),
    "role": ("岗位", "角色"),
    "end": ("结束日期", "离职日期"),
    "settlement": ("自然村", "所属自然村"),
    "id_number": ("身份证号", "身份证号码"),
    "enterprise": ("企业", "企业名称", "用工企业"),
    "local_workers": ("本地用工", "本地职工", "本地用工人数"),
    "management": ("管理岗", "管理人员"),
    "head": ("户主",),
    "exempt": ("免缴", "是否免缴"),
    "exempt_reason": ("免缴原因",),
    "township": ("乡镇", "乡"),
    "county": ("县", "县市区"),
    "ethnic_groups": ("民族",),
}

# Names that mean another key in one table (they come first there).
TABLE_KEY_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "village": {"name": ("村名", "村", "村名称"), "households": ("总户数",), "people": ("总人口",)},
    "settlements": {"name": ("自然村", "自然村名称", "村民小组")},
    "funders": {"name": ("出资方", "出资单位", "资金来源"), "kind": ("资金渠道", "出资类型")},
    "enterprises": {"name": ("企业", "企业名称"), "kind": ("企业类型",)},
    "projects": {"code": ("项目编号", "项目代码"), "name": ("项目名称", "项目")},
    "milestones": {"name": ("节点", "节点名称")},
    "hires": {"start": ("入职日期", "上岗日期")},
    "headcounts": {"date": ("申报日期",)},
    "households": {"code": ("户号", "农户编号"), "settlement": ("组",), "people": ("家庭人口",)},
}

UNITS = {"万元": "万元", "万": "万元", "元": "元"}
_UNIT_IN_HEADER = re.compile(r"[(（]\s*(万元|万|元)\s*[)）]\s*$|[:：]\s*(万元|万|元)\s*$")
_UNIT_LINE = re.compile(r"单位\s*[:：]\s*(万元|万|元)")
BOUND_SUFFIX = "余"
TOTAL_WORDS = ("合计", "小计", "总计", "共计", "total")
IGNORED = ("序号", "编号序", "no", "no.", "#")


def normal(text: str) -> str:
    """A header or sheet name as compared: NFKC, no spaces, no `*` marks, lower case."""
    text = unicodedata.normalize("NFKC", str(text))
    return re.sub(r"[\s*＊]", "", text).lower()


def tables() -> dict[str, decl.Table]:
    """The tables a sheet may hold: the village's own figures and every declared table."""
    return {"village": decl.VILLAGE, **decl.TABLES}


@dataclass
class Column:
    """One column of a sheet that holds a key."""

    index: int
    header: str
    key: str
    unit: str | None = None
    bound: bool = False
    """The `KEY余` column of an export: "余" marks the key's figure as a lower bound."""


def header_names(table: str) -> dict[str, str]:
    """Normalised header name -> key, for one table."""
    declared = tables().get(table)
    if declared is None:
        return {}
    keys = [k.name for k in declared.keys]
    out: dict[str, str] = {}
    for key, names in TABLE_KEY_NAMES.get(table, {}).items():
        if key in keys:
            for n in names:
                out.setdefault(normal(n), key)
    for key in keys:
        out.setdefault(normal(key), key)
        out.setdefault(normal(key.replace("_", " ")), key)
        for n in KEY_NAMES.get(key, ()):
            out.setdefault(normal(n), key)
    return out


def split_unit(header: str) -> tuple[str, str | None]:
    """`金额（万元）` -> (`金额`, `万元`)."""
    text = re.sub(r"[*＊]", "", unicodedata.normalize("NFKC", header)).strip()
    m = _UNIT_IN_HEADER.search(text)
    if m is None:
        return text, None
    return text[: m.start()], UNITS[m[1] or m[2]]


def unit_line(row: tuple[Any, ...]) -> str | None:
    """The unit a line above the header states (`单位：万元`), if any."""
    for value in row:
        if isinstance(value, str) and (m := _UNIT_LINE.search(unicodedata.normalize("NFKC", value))):
            return UNITS[m[1]]
    return None


def column_of(table: str, header: Any, names: dict[str, str] | None = None) -> Column | None:
    """The key a header names in `table` (with the unit it states), or None."""
    if header is None or not isinstance(header, str | int | float):
        return None
    names = names if names is not None else header_names(table)
    text, unit = split_unit(str(header))
    key = names.get(normal(text))
    if key is not None:
        return Column(-1, str(header), key, unit)
    if text.endswith(BOUND_SUFFIX) and (key := names.get(normal(text[: -len(BOUND_SUFFIX)]))):
        return Column(-1, str(header), key, bound=True)
    return None


def near_key(table: str, header: str, names: dict[str, str]) -> str:
    """A header that is probably a typo of a key's name: that name, else ""."""
    text = normal(split_unit(header)[0])
    if len(text) < 2 or text in IGNORED or any(w in text for w in TOTAL_WORDS):
        return ""
    if any(_is_cjk(ch) for ch in text):
        # `金頟`, `备住`, `凭证好`: one character wrong in a Chinese name of 2 or more, whose ratio
        # (0.5 for 2 characters) is below any cutoff that would not also match unrelated words
        for name in names:
            if len(name) == len(text) and sum(a != b for a, b in zip(name, text, strict=True)) == 1:
                return name
    close = difflib.get_close_matches(text, list(names), n=1, cutoff=0.75)
    return close[0] if close else ""


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def table_of_name(sheet: str) -> str | None:
    """The table a sheet's name says, or None."""
    name = normal(sheet)
    for table in tables():
        if name == table or name in (normal(n) for n in TABLE_NAMES.get(table, ())):
            return table
    declared = tables()
    for table, names in TABLE_NAMES.items():
        if table in ("projects", "village") or table not in declared:
            continue
        if any(normal(n) in name for n in names):
            return table
    if any(normal(n) in name for n in TABLE_NAMES["projects"]):
        return "projects"
    return None


@dataclass
class Header:
    """A sheet's header row as recognised."""

    table: str
    row: int
    """1-based row number."""
    position: int
    """Index of the header row in the sheet's rows."""
    columns: list[Column] = field(default_factory=list)
    left_out: list[tuple[int, str]] = field(default_factory=list)
    """Columns whose header names no key: (index, header)."""
    typos: list[tuple[int, str, str]] = field(default_factory=list)
    """Headers close to a key's name: (index, header, the name)."""


HEADER_SEARCH = 30
"""Rows searched for the header (titles and unit lines come above it)."""


def score(table: str, row: tuple[Any, ...], names: dict[str, str]) -> int:
    return len({c.key for v in row if (c := column_of(table, v, names)) is not None})


def best_score(table: str, rows: list[tuple[int, tuple[Any, ...]]]) -> int:
    """How many keys of `table` the best of a sheet's first rows names."""
    names = header_names(table)
    return max((score(table, row, names) for _, row in rows[:HEADER_SEARCH]), default=0)


def find_header(
    table: str, rows: list[tuple[int, tuple[Any, ...]]], mapped: dict[str, Any] | None = None, at: int | None = None
) -> Header | None:
    """The first row naming at least two keys of `table` (or the row `at`); `mapped` maps headers
    to keys (a mapping file's columns) before the names fundtrack knows."""
    names = header_names(table)
    for position, (number, row) in enumerate(rows[:HEADER_SEARCH] if at is None else rows):
        if at is not None and number != at:
            continue
        columns, left_out, typos = [], [], []
        for index, value in enumerate(row):
            text = "" if value is None else str(value).strip()
            column = _mapped(table, text, mapped) if mapped and text in mapped else column_of(table, value, names)
            if column is not None:
                column.index = index
                columns.append(column)
            elif text:
                hint = near_key(table, text, names) if not (mapped and text in mapped) else ""
                if hint:
                    typos.append((index, text, hint))
                else:
                    left_out.append((index, text))
        if at is not None or len({c.key for c in columns}) >= 2:
            return Header(table, number, position, columns, left_out, typos)
    return None


def _mapped(table: str, header: str, mapped: dict[str, Any]) -> Column | None:
    value = mapped[header]
    if isinstance(value, str):
        return Column(-1, header, value) if value else None
    key = value.get("key", "")
    unit = value.get("unit")
    return Column(-1, header, key, UNITS.get(unit, unit) if unit else None, bool(value.get("bound")))


def guess_table(rows: list[tuple[int, tuple[Any, ...]]]) -> str | None:
    """The table whose keys a sheet's header names most (for a sheet whose name says none)."""
    best, best_score = None, 1
    for table in tables():
        if table == "village":
            continue
        names = header_names(table)
        for _, row in rows[:HEADER_SEARCH]:
            s = score(table, row, names)
            if s > best_score:
                best, best_score = table, s
    return best
