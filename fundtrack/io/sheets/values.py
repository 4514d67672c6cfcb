"""A spreadsheet cell as the value a fundtrack/1 file would hold for its key (amounts, dates, counts, choices)."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from fundtrack.ledger.messages import LABELS

# The Chinese (and English) names of coded values that a committee writes instead of the code.
CHOICE_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "kind": {
        "upper_grant": ("上级拨款", "上级补助", "上级补"),
        "local_finance": ("财政", "地方财政", "财政资金"),
        "project_matching": ("项目配套", "配套"),
        "agency_support": ("站所帮扶", "帮扶"),
        "social_donation": ("社会捐赠", "捐赠"),
        "enterprise": ("企业", "企业出资"),
        "villagers": ("群众自筹", "自筹"),
        "other": ("其他",),
    },
    "category": {
        "housing": ("住房", "安置房", "易地搬迁"),
        "school": ("学校", "教育"),
        "road": ("道路", "公路"),
        "bridge": ("桥梁", "桥"),
        "water": ("饮水", "人饮", "供水"),
        "reservoir": ("水库",),
        "other": ("其他",),
    },
}
_PREFIXES = {
    "form": "form.",
    "role": "role.",
    "status": "status.",
    "milestone": "milestone.",
    "enterprise": "enterprise.",
}


def choice_names(key: str, table: str, choices: tuple[str, ...]) -> dict[str, str]:
    """Every name of a coded value (its code, its Chinese and English labels) -> the code."""
    out: dict[str, str] = {}
    if key == "kind" and table == "enterprises":
        prefix = "enterprise."
    elif key == "status" and table == "milestones":
        prefix = "milestone."
    else:
        prefix = _PREFIXES.get(key, "")
    for code in choices:
        out[_n(code)] = code
        for language in ("zh", "en"):
            label = LABELS[language].get(prefix + code) if prefix else None
            if label:
                out.setdefault(_n(label), code)
        for name in CHOICE_NAMES.get(key if table != "enterprises" else "", {}).get(code, ()):
            out.setdefault(_n(name), code)
    return out


def zh_name(key: str, table: str, code: str) -> str:
    """The Chinese name a template's drop-down offers for a code."""
    if key in CHOICE_NAMES and table != "enterprises" and code in CHOICE_NAMES[key]:
        return CHOICE_NAMES[key][code][0]
    for name in choice_names(key, table, (code,)):
        if any("\u4e00" <= ch <= "\u9fff" for ch in name):
            return name
    return code


def _n(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


normal_name = _n


def category_names(categories: tuple[str, ...]) -> dict[str, str]:
    return choice_names("category", "projects", categories)


def category_reading(codes: tuple[str, ...], configured: Iterable[tuple[str, str]]) -> dict[str, str]:
    """How a category cell is read: every name of the codes, then each configured (name, code) over a
    built-in word, never over a code. The import reads so, and the export writes only what reads back."""
    out = category_names(codes)
    taken = {_n(c) for c in codes}
    for name, code in configured:
        if name and _n(name) not in taken:
            out[_n(name)] = code
    return out


_DATE_TEXT = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_NUMBER_TEXT = re.compile(r"^[0-9,.]+余?$")
_WITH_UNIT = re.compile(r"^([0-9,.]+)(万元|万|元)$")
_FLAGS = {
    "是": True, "否": False, "true": True, "false": False, "yes": True, "no": False,
    "√": True, "✓": True, "1": True, "0": False, "有": True, "无": False, "y": True, "n": False,
}  # fmt: skip
_SPLIT = re.compile(r"[、,，;；/]")
MAX_SERIAL = 2958465  # 9999-12-31


def number(value: float) -> Decimal:
    """A binary float as its shortest decimal: the cell 12.3 is 12.3, not 12.300000000000000710."""
    return Decimal(repr(value))


def amount(value: Any, unit: str, bound: bool = False) -> Any:
    """An amount cell as the amount text of the data format, in the unit its column or sheet names."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        value = number(value)
    unit_text = "万" if unit == "万元" else "元"
    if isinstance(value, int | Decimal):
        if value < 0:
            return Decimal(value)  # the check says "negative", in its words
        return format(Decimal(value), "f") + ("余" if bound else "") + unit_text
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        if _NUMBER_TEXT.match(text):
            return text + ("余" if bound and not text.endswith("余") else "") + unit_text
        if bound and (m := _WITH_UNIT.match(text)):
            return f"{m[1]}余{m[2]}"
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class NotADate:
    """A date cell's text that is no date. The check says "expected a date, got …" of it, without the
    TOML file's hint to leave out the quotes (a spreadsheet has none)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return f'"{self.text}"'

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NotADate) and other.text == self.text

    __hash__ = None  # type: ignore[assignment]


def date(value: Any) -> Any:
    """A date cell, an Excel serial number, or text 2025-06-30, 2025/6/30, 2025.6.30, 2025年6月30日."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and 1 <= value <= MAX_SERIAL and float(value).is_integer():
        from openpyxl.utils.datetime import from_excel

        return from_excel(value).date()
    if isinstance(value, str):
        m = _DATE_TEXT.match(unicodedata.normalize("NFKC", value))
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                pass
        return NotADate(value)
    return value


def count(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        if text.isascii() and text.isdigit():
            return int(text)
    return value


def flag(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        return _FLAGS.get(_n(value), value)
    return value


def text(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(number(value), "f")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def names(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in _SPLIT.split(value) if part.strip()]
    return value


def choice(value: Any, known: dict[str, str]) -> Any:
    if isinstance(value, str):
        return known.get(_n(value), value)
    return value


def of_kind(kind: str, value: Any, unit: str, bound: bool, choices: dict[str, str]) -> Any:
    """`value` read as a key of `kind` (ledger/tables.py KINDS)."""
    if kind == "amount":
        return amount(value, unit, bound)
    if kind == "date":
        return date(value)
    if kind in ("count", "positive"):
        return count(value)
    if kind == "flag":
        return flag(value)
    if kind == "names":
        return names(text(value))
    if kind in ("choice", "category"):
        return choice(text(value), choices)
    return text(value)


def shown(value: Any, language: str = "en") -> str:
    """A value of a record as a preview shows it: amounts in yuan, dates ISO, lists joined, yes/no in words."""
    from fundtrack.ledger.money import Amount, format_amount

    if isinstance(value, bool):
        return ("是" if value else "否") if language == "zh" else str(value).lower()
    if isinstance(value, Amount):
        return format_amount(value, "元")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)
