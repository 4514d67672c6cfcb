"""The audit trail in words: each entry worded without the app, in zh and en."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fundtrack.storage.audit import Entry
from fundtrack.tui.history_words import Names, change_words, entry_detail, entry_words, record_words, value_words

AT = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC)
NAMES = Names({"housing-1": "安置房"}, kind=lambda k: {"enterprise": "企业"}.get(k, k), category=lambda c: "安居房")
RECEIPT = {"project": "housing-1", "funder": "打厂沟煤矿", "amount": "0.5万", "date": "2025-01-02", "voided": False}


def entry(action: str, table: str | None, before: dict | None, after: dict | None, **more: object) -> Entry:
    return Entry(7, 8, AT, "李", action, table, 197 if table else None, before, after, bool(more.get("undone")))


def test_an_added_receipt_is_worded_by_date_amount_funder_and_project() -> None:
    words = entry_words("zh", entry("add", "receipts", None, RECEIPT), NAMES)
    assert words == "新增收款 2025-01-02 ¥5,000.00（打厂沟煤矿 → housing-1 安置房）"
    assert "receipts" not in words and ":197" not in words
    en = entry_words("en", entry("add", "receipts", None, RECEIPT), NAMES)
    assert en == "add receipt 2025-01-02 ¥5,000.00（打厂沟煤矿 → housing-1 安置房）"


def test_a_void_names_the_record_as_it_was_and_no_flag() -> None:
    e = entry("void", "receipts", RECEIPT, {**RECEIPT, "voided": True})
    assert entry_words("zh", e, NAMES).startswith("作废收款 2025-01-02 ¥5,000.00")
    assert change_words("zh", e, NAMES) == ""
    detail = dict(entry_detail("zh", e, NAMES))
    assert detail["已作废"] == "否 → 是" and detail["金额"] == "¥5,000.00" and detail["操作人"] == "李"
    assert not any("True" in w or "False" in w for _, w in entry_detail("zh", e, NAMES))


def test_a_voids_reason_is_shown_when_the_trail_has_one() -> None:
    @dataclass(frozen=True)
    class WithReason(Entry):
        reason: str = ""

    e = WithReason(7, 8, AT, "李", "void", "receipts", 197, RECEIPT, {**RECEIPT, "voided": True}, False, "重复录入")
    assert change_words("zh", e, NAMES) == "原因: 重复录入"
    assert ("作废原因", "重复录入") in entry_detail("zh", e, NAMES)
    blank = WithReason(7, 8, AT, "李", "void", "receipts", 197, RECEIPT, {**RECEIPT, "voided": True}, False, "")
    assert change_words("zh", blank, NAMES) == ""
    assert all(label != "作废原因" for label, _ in entry_detail("zh", blank, NAMES))


def test_a_correction_lists_the_fields_by_their_form_labels_and_values_in_words() -> None:
    before = {"code": "housing-1", "name": "安置房", "category": "housing", "status": "building", "budget": "2914.25万"}
    after = {**before, "status": "completed", "budget": None, "settlements": ["中寨", "下寨"]}
    words = change_words("zh", entry("edit", "projects", before, after), NAMES)
    assert words == "状态: 在建 → 已完工；总投资: ¥29,142,500.00 → —；自然村: — → 中寨、下寨"
    assert entry_words("zh", entry("edit", "projects", before, after), NAMES) == "修改项目 安置房（housing-1）"
    en = change_words("en", entry("edit", "projects", before, after), NAMES)
    assert en.startswith("Status: building → completed; Budget: ¥29,142,500.00 → —")


def test_choices_flags_and_money_in_words() -> None:
    assert value_words("zh", "funders", "kind", "enterprise", NAMES) == "企业"
    assert value_words("zh", "hires", "role", "management") == "管理岗"
    assert value_words("zh", "pledges", "form", "land") != "land"
    assert value_words("zh", "receipts", "voided", True) == "是"
    assert value_words("zh", "receipts", "voided", False) == "否"
    assert value_words("zh", "projects", "budget", "60余万") == "≥¥600,000.00"
    assert value_words("zh", "receipts", "note", "") == "—"
    assert value_words("zh", "projects", "category", "housing", NAMES) == "安居房"


def test_a_hire_is_named_by_person_masked_id_and_enterprise() -> None:
    hire = {"enterprise": "打厂沟煤矿", "person": "张三", "role": "worker", "id_number": "532128199001011234"}
    words = record_words("zh", "hires", hire, NAMES)
    assert words == "吸纳就业 张三（5321************34） · 打厂沟煤矿"
    detail = dict(entry_detail("zh", entry("add", "hires", None, hire), NAMES))
    assert detail["身份证号"] == "5321************34" and detail["岗位"] == "工人"
    assert "532128199001011234" not in str(entry_detail("zh", entry("add", "hires", None, hire), NAMES))


def test_every_table_is_named_in_chinese() -> None:
    records = {
        "pledges": {"project": "housing-1", "funders": ["甲", "乙"], "amount": "100万"},
        "levies": {"project": "housing-1", "funder": "群众", "per_household": "2万", "households": 313},
        "expenses": {"project": "housing-1", "item": "水泥", "amount": "1万", "date": "2025-01-02"},
        "milestones": {"project": "housing-1", "name": "主体完工", "status": "done"},
        "headcounts": {"enterprise": "打厂沟煤矿", "date": "2025-01-02", "local_workers": 40},
        "funders": {"name": "打厂沟煤矿", "kind": "enterprise"},
        "enterprises": {"name": "打厂沟煤矿", "kind": "private_mine"},
        "settlements": {"name": "中寨"},
    }
    for table, values in records.items():
        words = record_words("zh", table, values, NAMES)
        assert (
            words and table not in words and not any(c.isascii() and c.isalpha() for c in words.replace("housing", ""))
        ), words
    assert (
        record_words("zh", "levies", records["levies"], NAMES)
        == "群众自筹 群众 每户 ¥20,000.00 × 313 户（housing-1 安置房）"
    )
    assert record_words("zh", "pledges", records["pledges"], NAMES) == "承诺 ¥1,000,000.00（甲、乙 → housing-1 安置房）"


def test_an_import_and_an_undo() -> None:
    imp = entry(
        "import",
        None,
        None,
        {"file": "sample_data/01-xx-village.toml", "records": 67, "village": "xx彝族村", "created": True},
    )
    assert change_words("zh", imp, NAMES) == "导入文件 01-xx-village.toml, 共 67 条记录"
    assert ("新建村", "是") in entry_detail("zh", imp, NAMES)
    assert entry_words("zh", imp, NAMES) == "导入文件 01-xx-village.toml, 共 67 条记录（xx彝族村）"
    undo = entry("undo", None, None, {"batch": 5})
    assert entry_words("zh", undo, NAMES, "作废收款 2025-01-02 ¥5,000.00") == "撤销作废收款 2025-01-02 ¥5,000.00"
    assert entry_words("zh", undo, NAMES) == "撤销第 5 批修改"


def test_adding_a_household_shows_no_missing_what_households() -> None:
    household = {"code": "新云-001", "head": "王", "settlement": "新云", "people": 4}
    assert record_words("zh", "households", household, NAMES) == "农户 新云-001 王"
    assert record_words("en", "households", household, NAMES) == "household 新云-001 王"
    detail = dict(entry_detail("zh", entry("add", "households", None, household), NAMES))
    assert detail["人口"] == "4" and "人数" not in detail  # the register's word, not the headcount's


def test_every_table_has_its_what_words_in_zh_and_en() -> None:
    from fundtrack.ledger.tables import TABLES
    from fundtrack.tui.strings import TEXT

    for language in ("zh", "en"):
        missing = [name for name in TABLES if f"history.what.{name}" not in TEXT[language]]
        assert not missing, (language, missing)
