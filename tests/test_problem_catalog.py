"""The problem and finding catalogs: every code worded in zh and en, and problems shown in both."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from fundtrack.io import records
from fundtrack.io.fundfile import Known, Options, check_document
from fundtrack.io.problems import Problem, error_text, show
from fundtrack.ledger.messages import FINDINGS
from fundtrack.ledger.money import AmountError, parse_amount
from fundtrack.ledger.problem_messages import PROBLEMS
from tests.conftest import ROOT


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


@pytest.mark.parametrize("catalog", [PROBLEMS, FINDINGS], ids=["problems", "findings"])
def test_every_catalog_code_has_zh_and_en_wording_with_the_same_parameters(catalog: dict[str, dict[str, str]]) -> None:
    assert set(catalog) == {"zh", "en"}
    assert set(catalog["zh"]) == set(catalog["en"])
    for code, en in catalog["en"].items():
        zh = catalog["zh"][code]
        assert en and zh, code
        assert _fields(zh) == _fields(en), code


def _codes_written_in(path: Path) -> list[tuple[str, int]]:
    """(code, line) of every literal code passed to a problem or a coded error in one module."""
    position = {"Bad": 0, "AmountError": 0, "CodedError": 0, "bad": 1, "problem": 3, "Problem": 3}
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        at = position.get(name)
        if at is not None and len(node.args) > at:
            arg = node.args[at]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                out.append((arg.value, node.lineno))
            elif isinstance(arg, ast.IfExp):
                out.extend((a.value, node.lineno) for a in (arg.body, arg.orelse) if isinstance(a, ast.Constant))
    return out


def test_every_code_a_check_writes_is_in_the_catalog() -> None:
    written = [
        (path.name, line, code)
        for path in sorted((ROOT / "fundtrack").rglob("*.py"))
        if path.name != "records.py"  # still writes its few problems in words (worded through the catalog)
        for code, line in _codes_written_in(path)
    ]
    assert len(written) > 50
    assert [w for w in written if w[2] not in PROBLEMS["en"]] == []


KNOWN = Known(funders={"老村": "villagers"}, projects={"old-road"}, voided={"funder": {"作废方"}})
DOC = """format = "fundtrack/1"
[village]
name = "甲村"
nam = "x"

[[pledges]]
project = "oldroad"
funder = "老"
amount = "1.001"
form = "cashh"

[[pledges]]
project = "old-road"
funder = "作废方"
date = "2024-01-01"
"""


def test_a_files_problems_read_the_same_in_both_languages() -> None:
    checked = check_document("v.toml", DOC, lambda _: KNOWN, Options())
    assert [show(p, "en") for p in checked.problems] == [str(p) for p in checked.problems]
    assert [show(p, "zh") for p in checked.problems] == [
        "v.toml:2: village.nam: 未知的键(是不是“name”?)",
        "v.toml:6: pledges[0].amount: “1.001”精确到了分以下",
        "v.toml:6: pledges[0].form: “cashh”不是可选值 (cash, land, labour, machinery, materials, other)(是不是“cash”?)",
        "v.toml:6: pledges[0].project: 没有名为“oldroad”的项目(是不是“old-road”?)",
        "v.toml:6: pledges[0].funder: 没有名为“老”的出资方(是不是“老村”?)",
        'v.toml:12: pledges[1].date: 应为日期, 如 2024-08-31, 实为 "2024-01-01"(日期不加引号)',
        "v.toml:12: pledges[1].funder: 出资方“作废方”已作废, 不能再引用",
    ]
    assert [p.what for p in checked.problems][1:4] == [
        "'1.001' is more precise than a fen (0.01元)",
        "'cashh' is not one of cash, land, labour, machinery, materials, other (did you mean \"cash\"?)",
        'no project named "oldroad" (did you mean "old-road"?)',
    ]


def test_a_choice_written_with_a_quote_is_worded_in_chinese() -> None:
    # The Chinese used to be found by matching the English message, which quotes such a
    # value with double quotes ("it's"): it matched no pattern and stayed English.
    doc = 'format = "fundtrack/1"\n[village]\nname = "甲村"\n[[funders]]\nname = "乙"\nkind = "it\'s"\n'
    (problem,) = check_document("v.toml", doc, lambda _: Known(), Options()).problems
    assert problem.what.startswith('"it\'s" is not one of ')
    assert problem.text("zh").startswith("“it's”不是可选值 (")


def test_an_amount_error_is_a_code_worded_in_both_languages() -> None:
    with pytest.raises(AmountError) as caught:
        parse_amount("-3万")
    assert caught.value.code == "amount_like" and caught.value.params == {"value": "-3万"}
    assert str(caught.value) == "'-3万' is not an amount like 2914.25万, 400余万 or 600,000元"
    assert error_text(caught.value, "zh") == "'-3万' 不是金额, 应写成 2914.25万、400余万 或 600,000元"


def test_form_errors_are_codes_worded_in_both_languages() -> None:
    changed = Problem("form", 0, "record", "changed_meanwhile")
    assert show(changed, "zh") == "form: record: 打开之后别人修改了这条记录; 请重新打开再改"
    with pytest.raises(records.FieldError) as caught:
        records.coerce("receipts", "date", "2024-02-30")
    assert error_text(caught.value, "zh") == "没有这一天: 2024-02-30"  # was Python's "day is out of range for month"
    with pytest.raises(records.FieldError) as caught:
        records.coerce("receipts", "date", "上周")
    assert error_text(caught.value, "zh") == "应为日期, 如 2024-08-31"
    with pytest.raises(records.FieldError) as caught:
        records.coerce("levies", "households", "三")
    assert error_text(caught.value, "en") == "expected a whole number"
    assert Problem("a.toml", 3, "file", "os_error", {"message": "Permission denied"}).text("zh") == "Permission denied"


@pytest.mark.parametrize("text", ["١٢", "9" * 5000, "1000000001"])
def test_a_form_count_in_other_digits_or_past_the_bound_is_refused(text: str) -> None:
    # Was int(text): Arabic-Indic digits read as 12, 5,000 digits a ValueError in the app's worker.
    if text == "1000000001":  # within what a form reads; the record's check refuses it
        assert records.coerce("levies", "households", text) == 1_000_000_001
        return
    with pytest.raises(records.FieldError) as caught:
        records.coerce("levies", "households", text)
    assert caught.value.code in ("form_count", "count_too_large")
    assert len(error_text(caught.value, "zh")) < 80
