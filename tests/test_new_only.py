"""`import --new-only`: a grown file imported again adds only what is new."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from fundtrack.io.config import Config
from fundtrack.io.problems import InputError
from fundtrack.ledger.money import Amount
from fundtrack.service.importing import import_files
from fundtrack.service.records import undo_last, void_record
from fundtrack.storage import models as m
from fundtrack.storage import queries, writes
from tests.conftest import load_doc, write_doc
from tests.hostile.harness import run

BASE = """
[[settlements]]
name = "新云"

[[funders]]
name = "上级拨款"
kind = "upper_grant"

[[enterprises]]
name = "新河煤矿"
kind = "private_mine"

[[projects]]
code = "housing-1"
name = "危房改造"
category = "housing"
status = "building"

[[receipts]]
project = "housing-1"
funder = "上级拨款"
amount = "1000"
date = 2025-01-05

[[hires]]
enterprise = "新河煤矿"
person = "王五"
role = "worker"
start = 2025-01-01
id_number = "110101199003071234"
"""

RECEIPT = """
[[receipts]]
project = "housing-1"
funder = "上级拨款"
amount = "{amount}"
date = 2025-02-0{day}
"""


def new_only(config: Config) -> object:
    return replace(config.import_options, new_only=True)


def receipts() -> list[dict]:
    return list(queries.records(writes.village_row("测试村").id)["receipts"])


def received() -> int:
    return sum(r["amount"].fen for r in receipts())


def test_an_exported_workbook_grown_by_three_rows_adds_exactly_those(backend: str, tmp_path: Path) -> None:
    assert run("--db", backend, "import", write_doc(tmp_path, BASE)).code == 0
    book = tmp_path / "台账.xlsx"
    assert run("--db", backend, "export", "--format", "xlsx", "-o", str(book), lang="zh").code == 0
    refused = run("--db", backend, "import", str(book))
    assert refused.code == 2 and "add --new-only" in refused.err.splitlines()[-1]
    wb = openpyxl.load_workbook(book)
    ws = wb["到位"]
    last = [c.value for c in ws[ws.max_row]]
    header = [c.value for c in ws[1]]
    col = next(i for i, h in enumerate(header) if str(h).startswith("金额"))
    for n, amount in enumerate((100, 20, 3)):
        row = list(last)
        row[col] = amount
        row[next(i for i, h in enumerate(header) if str(h).startswith("日期"))] = f"2025-03-0{n + 1}"
        ws.append(row)
    wb.save(book)
    shown = run("--db", backend, "import", "--new-only", "--preview", str(book))
    assert shown.code == 0 and "1 of them stored already, skipped; 3 to import" in shown.out
    receipts_part = shown.out.split('sheet "到位"')[1]
    listed = [ln for ln in receipts_part.splitlines() if ln.startswith("      row ")]
    assert "(stored already" not in listed[0] and "stored already" in listed[-1]  # the new rows first
    before = received()
    done = run("--db", backend, "import", "--new-only", str(book))
    assert done.code == 0, done.err
    assert "imported 3 new records, skipped" in done.err
    assert received() - before == 12_300  # fen: 123 元


def test_a_toml_export_imported_again_adds_nothing(backend: str, tmp_path: Path) -> None:
    assert run("--db", backend, "import", write_doc(tmp_path, BASE)).code == 0
    for personal in ((), ("--with-personal-data",)):
        out = run("--db", backend, "export", "--format", "toml", *personal)
        assert out.code == 0, out.err
        again = tmp_path / "again.toml"
        again.write_text(out.out, encoding="utf-8")
        done = run("--db", backend, "import", "--new-only", str(again))
        assert done.code == 0, done.err
        assert "imported 0 new records, skipped 6 stored ones" in done.err


def test_a_stored_name_with_another_value_is_one_located_error(backend: str, tmp_path: Path, config: Config) -> None:
    load_doc(tmp_path, config, BASE)
    changed = write_doc(tmp_path, BASE.replace('status = "building"', 'status = "completed"'), "changed.toml")
    with pytest.raises(InputError) as exc:
        import_files([changed], new_only(config))
    (problem,) = exc.value.problems
    assert problem.where == "projects[0].status" and problem.line > 0
    assert "项目“housing-1”已有, 状态不同 (已有: 在建, 文件: 已完工); 请在软件里修改" in problem.text("zh")
    assert len(receipts()) == 1


def test_equal_records_are_counted_as_a_multiset(backend: str, tmp_path: Path, config: Config) -> None:
    load_doc(tmp_path, config, BASE)
    twice = BASE + RECEIPT.format(amount=5, day=1) * 2
    load_doc(tmp_path, config, RECEIPT.format(amount=5, day=1))
    result = import_files([write_doc(tmp_path, twice, "twice.toml")], new_only(config))
    assert (result.records, result.skipped) == (1, 7)
    assert sorted(r["amount"].fen for r in receipts()) == [500, 500, 100_000]


def test_a_voided_record_does_not_count(backend: str, tmp_path: Path, config: Config) -> None:
    load_doc(tmp_path, config, BASE)
    (receipt,) = m.Receipt.select()
    assert void_record("receipts", receipt.id, "王") == []
    result = import_files([write_doc(tmp_path, BASE, "again.toml")], new_only(config))
    assert (result.records, result.skipped) == (1, 5)
    assert received() == 100_000


def test_undo_removes_only_what_was_added(backend: str, tmp_path: Path, config: Config) -> None:
    load_doc(tmp_path, config, BASE)
    grown = BASE + RECEIPT.format(amount=7, day=2)
    result = import_files([write_doc(tmp_path, grown, "grown.toml")], new_only(config))
    assert (result.records, result.skipped) == (1, 6)
    assert received() == 100_700
    undo_last(config.import_options)
    assert received() == 100_000 and writes.village_row("测试村") is not None
    assert [r["code"] for r in queries.records(writes.village_row("测试村").id)["projects"]] == ["housing-1"]


def test_without_new_only_the_import_is_refused_as_before(backend: str, tmp_path: Path, config: Config) -> None:
    load_doc(tmp_path, config, BASE)
    with pytest.raises(InputError) as exc:
        import_files([write_doc(tmp_path, BASE, "again.toml")], config.import_options)
    codes = [p.code for p in exc.value.problems]
    assert codes.count("already_defined") == 4 and codes[-1] == "all_stored"
    grown = BASE + RECEIPT.format(amount=7, day=2)
    with pytest.raises(InputError) as exc:
        import_files([write_doc(tmp_path, grown, "grown.toml")], config.import_options)
    assert "all_stored" not in [p.code for p in exc.value.problems]


def test_amounts_stay_exact(backend: str, tmp_path: Path, config: Config) -> None:
    load_doc(tmp_path, config, BASE)
    grown = BASE + RECEIPT.format(amount="0.01", day=3)
    import_files([write_doc(tmp_path, grown, "grown.toml")], new_only(config))
    assert Amount(received()) == Amount(100_001)


def test_a_workbook_of_stored_receipts_only_is_warned_as_imported_twice(
    backend: str, tmp_path: Path, config: Config
) -> None:
    from fundtrack.io import sheets

    load_doc(tmp_path, config, BASE)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "到位"
    ws.append(["项目", "出资方", "金额", "日期"])
    ws.append(["housing-1", "上级拨款", 1000, "2025-01-05"])
    wb.save(tmp_path / "到位.xlsx")
    settings = sheets.Settings(village="测试村")
    result = import_files([str(tmp_path / "到位.xlsx")], config.import_options, dry_run=True, settings=settings)
    assert [w.code for w in result.warnings] == ["receipt_duplicate", "twice_stored"]  # a file adds to its village
    result = import_files([str(tmp_path / "到位.xlsx")], new_only(config), settings=sheets.Settings(village="测试村"))
    assert (result.records, result.skipped, result.warnings) == (0, 1, ())


def test_a_file_of_receipts_partly_stored_is_imported_with_a_warning(
    backend: str, tmp_path: Path, config: Config
) -> None:
    load_doc(tmp_path, config, BASE)
    grown = RECEIPT.format(amount=1000, day=1).replace("2025-02-01", "2025-01-05") + RECEIPT.format(amount=7, day=2)
    result = import_files([write_doc(tmp_path, grown, "grown.toml")], config.import_options)
    assert result.records == 2 and [w.code for w in result.warnings] == ["some_stored"]
    assert received() == 200_700


def test_a_grown_file_refused_for_stored_names_says_new_only(backend: str, tmp_path: Path, config: Config) -> None:
    load_doc(tmp_path, config, BASE)
    grown = BASE + RECEIPT.format(amount=7, day=2)
    with pytest.raises(InputError) as exc:
        import_files([write_doc(tmp_path, grown, "grown.toml")], config.import_options)
    assert exc.value.problems[-1].code == "names_stored"
    assert "--new-only" in exc.value.problems[-1].text("zh")


def test_an_id_number_given_later_is_not_a_second_hire(backend: str, tmp_path: Path, config: Config) -> None:
    without = BASE.replace('id_number = "110101199003071234"\n', "")
    load_doc(tmp_path, config, without)
    with pytest.raises(InputError) as exc:
        import_files([write_doc(tmp_path, BASE, "with-id.toml")], new_only(config))
    (problem,) = exc.value.problems
    assert problem.where == "hires[0].id_number" and problem.line > 0
    text = problem.text("zh")
    assert text.startswith("用工“王五”已有, 身份证号不同 (已有: 空, 文件: ") and "199003071234" not in text
    assert m.Hire.select().count() == 1


def test_a_repeated_row_is_warned_at_its_own_cell(backend: str, tmp_path: Path, config: Config) -> None:
    from fundtrack.io import sheets

    load_doc(tmp_path, config, BASE)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "到位"
    ws.append(["项目", "出资方", "金额", "日期"])
    ws.append(["housing-1", "上级拨款", 1000, "2025-01-05"])  # stored: left out
    ws.append(["housing-1", "上级拨款", 7, "2025-02-02"])
    ws.append(["housing-1", "上级拨款", 1000, "2025-01-05"])  # the same again: imported, and said so here
    wb.save(tmp_path / "到位.xlsx")
    result = import_files([str(tmp_path / "到位.xlsx")], new_only(config), settings=sheets.Settings(village="测试村"))
    assert (result.records, result.skipped) == (2, 1)
    (warning,) = result.warnings
    assert warning.code == "receipt_duplicate" and warning.where == "receipts[2]" and warning.at.endswith("到位!A4")


def test_receipts_dated_after_today_are_imported_with_a_warning(backend: str, tmp_path: Path, config: Config) -> None:
    load_doc(tmp_path, config, BASE)
    later = RECEIPT.format(amount=5, day=1).replace("2025-02-01", "2999-01-01")
    result = import_files([write_doc(tmp_path, later, "later.toml")], config.import_options)
    assert result.records == 1 and [w.code for w in result.warnings] == ["dated_later"]
    assert "今天" in result.warnings[0].text("zh")
