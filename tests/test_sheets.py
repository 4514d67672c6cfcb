"""Spreadsheets in: recognised sheets and headers, every amount and date form, located errors, CSV, round trip."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from fundtrack.io import sheets
from fundtrack.io.config import Config
from fundtrack.io.problems import InputError, show
from fundtrack.ledger import tables as decl
from fundtrack.ledger.money import Amount
from fundtrack.service.importing import check_sheet, import_files
from fundtrack.storage import queries
from tests.conftest import load_doc
from tests.hostile.harness import fingerprint, run

BASE = """
[[settlements]]
name = "新云"

[[funders]]
name = "上级拨款"
kind = "upper_grant"

[[funders]]
name = "群众"
kind = "villagers"

[[enterprises]]
name = "打厂沟煤矿"
kind = "private_mine"

[[projects]]
code = "road-1"
name = "通组公路"
category = "road"
status = "building"
"""


def workbook(path: Path, sheets_rows: dict[str, list[list[Any]]], merged: dict[str, str] | None = None) -> str:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets_rows.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        if merged and title in merged:
            ws.merge_cells(merged[title])
    wb.save(path)
    return str(path)


def stored(table: str) -> list[dict[str, Any]]:
    row = queries.villages()[0]
    return list(queries.records(row.id)[table])


def receipts_sheet(amount_header: str, values: list[Any], date_values: list[Any] | None = None) -> list[list[Any]]:
    dates = date_values or [dt.date(2025, 6, 30)] * len(values)
    return [["项目", "资金来源", amount_header, "日期"]] + [
        ["road-1", "上级拨款", v, d] for v, d in zip(values, dates, strict=True)
    ]


def test_a_committee_workbook_imports_without_a_mapping_with_exact_figures(
    backend: str, tmp_path: Path, config: Config
) -> None:
    load_doc(tmp_path, config, BASE)
    path = workbook(
        tmp_path / "台账.xlsx",
        {
            "资金到位表": [
                ["测试村项目资金到位台账"],
                ["单位：万元"],
                ["序号", "项目名称", "资金来源", "到位金额", "到位日期", "备注"],
                [1, "通组公路", "上级拨款", 100, dt.datetime(2025, 6, 30), "第一批"],
                [2, "road-1", "上级拨款", 12.3, dt.datetime(2025, 7, 1), None],
                [3, "road-1", "上级拨款", "60余万", "2025年7月2日", None],
                ["合计", None, None, 172.3, None, None],
            ]
        },
        merged={"资金到位表": "A1:F1"},
    )
    result = import_files([path], config.import_options, settings=sheets.Settings())
    assert result.records == 3
    got = [(r["project"], r["funder"], r["amount"], r["date"], r.get("note")) for r in stored("receipts")]
    assert got == [
        ("road-1", "上级拨款", Amount(100_000_000), dt.date(2025, 6, 30), "第一批"),
        ("road-1", "上级拨款", Amount(12_300_000), dt.date(2025, 7, 1), None),
        ("road-1", "上级拨款", Amount(60_000_000, True), dt.date(2025, 7, 2), None),
    ]


AMOUNTS = [
    ("金额（万元）", 12.3, Amount(12_300_000)),
    ("金额(万元)", 20, Amount(20_000_000)),
    ("金额（元）", 12.3, Amount(1230)),
    ("金额", 12.3, Amount(1230)),
    ("金额", "60余万", Amount(60_000_000, True)),
    ("金额", "20万", Amount(20_000_000)),
    ("金额", "1,000元", Amount(100_000)),
    ("金额（万元）", "1,000元", Amount(100_000)),
    ("金额（万元）", "0.35", Amount(350_000)),
    ("金额", 12.345, None),  # finer than fen: an error
]


@pytest.mark.parametrize(("header", "value", "expected"), AMOUNTS)
def test_every_amount_form(sqlite_db: str, tmp_path: Path, config: Config, header: str, value: Any, expected) -> None:
    load_doc(tmp_path, config, BASE)
    path = workbook(tmp_path / "a.xlsx", {"到位": receipts_sheet(header, [value])})
    reading, checked = check_sheet(path, config.import_options)
    assert checked is not None
    if expected is None:
        assert [p.code for p in checked.problems] == ["finer_than_fen"]
        assert checked.problems[0].at == "到位!C2"
    else:
        assert checked.problems == []
        assert checked.tables["receipts"][0]["amount"] == expected


DATES = [
    dt.datetime(2025, 6, 30),
    45838,  # Excel's serial number of 2025-06-30
    "2025-06-30",
    "2025/6/30",
    "2025.6.30",
    "2025年6月30日",
    "2025 年 6 月 30 日",
]


@pytest.mark.parametrize("value", DATES, ids=str)
def test_every_date_form(sqlite_db: str, tmp_path: Path, config: Config, value: Any) -> None:
    load_doc(tmp_path, config, BASE)
    path = workbook(tmp_path / "d.xlsx", {"到位": receipts_sheet("金额", [1], [value])})
    _, checked = check_sheet(path, config.import_options)
    assert checked is not None and checked.problems == []
    assert checked.tables["receipts"][0]["date"] == dt.date(2025, 6, 30)


def test_a_date_that_is_no_date_is_located(sqlite_db: str, tmp_path: Path, config: Config) -> None:
    load_doc(tmp_path, config, BASE)
    path = workbook(tmp_path / "d.xlsx", {"到位": receipts_sheet("金额", [1], ["2025年2月30日"])})
    _, checked = check_sheet(path, config.import_options)
    assert checked is not None
    assert [(p.at, p.where) for p in checked.problems] == [("到位!D2", "receipts[0].date")]


EVERY_SHEET: dict[str, list[list[Any]]] = {
    "村": [["村名", "测试村"], ["乡镇", "某乡"], ["总户数", 300]],
    "自然村": [["自然村", "户数", "人口", "备注"], ["新云", None, None, None], ["老寨", 40, 160, None]],
    "出资方": [["出资方", "类型"], ["县财政局", "财政"], ["爱心人士", "社会捐赠"], ["群众", "群众自筹"]],
    "企业": [["企业名称", "企业类型", "用工承诺", "管理岗承诺"], ["新河煤矿", "私营煤矿", 100, 2]],
    "项目": [
        ["项目编号", "项目名称", "类别", "状态", "总投资（万元）", "涉及自然村", "开工日期"],
        ["school-1", "村小学", "学校", "在建", 300, "新云、老寨", "2024-03-01"],
    ],
    "节点": [["项目", "节点", "状态", "截止日期"], ["村小学", "主体完工", "进行中", "2025/9/1"]],
    "承诺": [
        ["项目", "出资方", "金额（万元）", "形式", "日期", "文号"],
        ["school-1", "县财政局", 100, "现金", "2024.3.1", "财字〔2024〕1号"],
        ["school-1", "爱心人士", 5, "材料", None, None],
    ],
    "自筹": [["项目", "出资方", "每户", "户数"], ["school-1", "群众", 500, 40]],
    "到位": [["项目", "资金来源", "金额（万元）", "日期", "凭证号"], ["school-1", "县财政局", 50, "2024-04-01", 17]],
    "支出": [["项目", "金额", "日期", "用途"], ["school-1", "12,000元", "2024-05-01", "水泥"]],
    "用工": [["企业", "姓名", "岗位", "入职日期", "自然村"], ["新河煤矿", "张三", "工人", "2024-01-01", "老寨"]],
    "申报": [["企业", "申报日期", "本地用工", "管理岗"], ["新河煤矿", "2024-06-30", 80, 2]],
}


def test_a_workbook_with_every_recognised_sheet(backend: str, tmp_path: Path, config: Config) -> None:
    path = workbook(tmp_path / "全部.xlsx", EVERY_SHEET)
    result = import_files([path], config.import_options, settings=sheets.Settings())
    assert result.villages == ("测试村",)
    counts = {t: len(stored(t)) for t in decl.NAMES}
    assert queries.village_values(queries.villages()[0])["township"] == "某乡"
    assert counts["settlements"] == 2 and counts["funders"] == 3 and counts["enterprises"] == 1
    assert counts["projects"] == 1 and counts["milestones"] == 1 and counts["pledges"] == 2
    assert counts["levies"] == 1 and counts["receipts"] == 1 and counts["expenses"] == 1
    assert counts["hires"] == 1 and counts["headcounts"] == 1
    school = next(p for p in stored("projects") if p["code"] == "school-1")
    assert school["category"] == "school" and school["status"] == "building"
    assert school["budget"] == Amount(300_000_000) and school["settlements"] == ["新云", "老寨"]
    assert next(p for p in stored("pledges") if p["funder"] == "爱心人士")["form"] == "materials"
    assert stored("receipts")[0]["voucher"] == "17"
    assert stored("expenses")[0]["amount"] == Amount(1_200_000)
    assert stored("milestones")[0]["project"] == "school-1"


@pytest.mark.skipif("households" not in decl.TABLES, reason="the household register is not declared")
def test_a_household_register_sheet_is_recognised(sqlite_db: str, tmp_path: Path, config: Config) -> None:
    load_doc(tmp_path, config, BASE)
    rows = [
        ["户号", "户主", "自然村", "家庭人口", "是否免缴", "免缴原因", "备注"],
        ["新云-001", "李四", "新云", 4, "是", "五保户", None],
    ]
    path = workbook(tmp_path / "花名册.xlsx", {"花名册": rows})
    _, checked = check_sheet(path, config.import_options)
    assert checked is not None and checked.problems == []
    rec = checked.tables["households"][0]
    assert rec["code"] == "新云-001" and rec["head"] == "李四" and rec["people"] == 4 and rec["exempt"] is True


def test_errors_are_located_by_cell_all_listed_nothing_written(backend: str, tmp_path: Path, config: Config) -> None:
    load_doc(tmp_path, config, BASE)
    rows = [["测试村资金台账"], ["项目", "出资方", "金额", "日期"]]
    rows += [["road-1", "上级拨款", 1000 + i, "2025-01-01"] for i in range(11)]
    rows += [["road-1", "上级拨款", "二十万", "2025-01-01"], ["road-1", "上级拨", 5, "2025-01-01"]]
    path = workbook(tmp_path / "台账.xlsx", {"到位": rows})
    before = fingerprint()
    with pytest.raises(InputError) as exc:
        import_files([path], config.import_options, settings=sheets.Settings())
    lines = [show(p, "zh") for p in exc.value.problems]
    assert lines[0].startswith(f"{path}:到位!C14: receipts[11].amount: '二十万' 不是金额")
    assert lines[1].startswith(f"{path}:到位!B15: receipts[12].funder: ")
    assert "上级拨款" in lines[1]
    assert len(lines) == 2
    assert fingerprint() == before


def test_a_header_close_to_a_key_is_an_error_with_did_you_mean(sqlite_db: str, tmp_path: Path, config: Config) -> None:
    load_doc(tmp_path, config, BASE)
    rows = [["项目", "出资方", "到位金頟", "日期", "序号"], ["road-1", "上级拨款", 1, "2025-01-01", 1]]
    path = workbook(tmp_path / "t.xlsx", {"到位": rows})
    reading, _ = check_sheet(path, config.import_options)
    assert [(p.at, p.code) for p in reading.problems] == [("到位!C1", "header_unknown")]
    assert "到位金额" in show(reading.problems[0], "zh")
    assert reading.sheets[0].left_out == ["序号"]


def test_a_workbook_that_names_no_village_is_refused(sqlite_db: str, tmp_path: Path, config: Config) -> None:
    path = workbook(tmp_path / "t.xlsx", {"出资方": [["出资方", "类型"], ["甲", "财政"]]})
    with pytest.raises(InputError) as exc:
        import_files([path], config.import_options, settings=sheets.Settings())
    assert [p.code for p in exc.value.problems] == ["sheet_no_village"]
    result = import_files([path], config.import_options, settings=sheets.Settings(village="甲村"))
    assert result.villages == ("甲村",)


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_csv_in_the_encodings_excel_and_wps_save(sqlite_db: str, tmp_path: Path, config: Config, encoding: str) -> None:
    load_doc(tmp_path, config, BASE)
    path = tmp_path / "到位.csv"
    path.write_bytes("项目,资金来源,金额（万元）,日期\r\n通组公路,上级拨款,1.5,2025/6/30\r\n".encode(encoding))
    import_files([str(path)], config.import_options, settings=sheets.Settings())
    assert [(r["project"], r["amount"], r["date"]) for r in stored("receipts")] == [
        ("road-1", Amount(1_500_000), dt.date(2025, 6, 30))
    ]


def test_a_csv_cell_is_row_and_column_and_table_may_be_given(sqlite_db: str, tmp_path: Path, config: Config) -> None:
    load_doc(tmp_path, config, BASE)
    path = tmp_path / "2025.csv"
    path.write_text("项目,金额,日期,用途\nroad-1,5,2025-01-01,水泥\nroad-1,1.234,2025-01-02,沙\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        import_files([str(path)], config.import_options, settings=sheets.Settings(table="expenses"))
    assert [(p.at, p.where, p.code) for p in exc.value.problems] == [("3:2", "expenses[1].amount", "finer_than_fen")]
    assert str(exc.value.problems[0]).startswith(f"{path}:3:2: expenses[1].amount: ")


def test_a_mapping_reads_what_recognition_cannot_guess(sqlite_db: str, tmp_path: Path, config: Config) -> None:
    load_doc(tmp_path, config, BASE)
    rows = [["第一季度"], ["说明"], ["工程", "拨款单位", "数", "哪天"], ["road-1", "上级拨款", 2, "2025-03-01"]]
    path = workbook(tmp_path / "m.xlsx", {"资金表": rows})
    mapping = tmp_path / "map.toml"
    mapping.write_text(
        '[sheets."资金表"]\ntable = "receipts"\nheader_row = 3\n'
        '[sheets."资金表".columns]\n"工程" = "project"\n"拨款单位" = "funder"\n'
        '"数" = {key = "amount", unit = "万元"}\n"哪天" = "date"\n',
        encoding="utf-8",
    )
    parsed, problems = sheets.load_mapping(str(mapping))
    assert problems == []
    import_files([path], config.import_options, settings=sheets.Settings(mapping=parsed))
    assert [(r["amount"], r["date"]) for r in stored("receipts")] == [(Amount(2_000_000), dt.date(2025, 3, 1))]


def test_the_preview_writes_nothing_and_prints_a_mapping_that_imports(
    sqlite_db: str, tmp_path: Path, config: Config
) -> None:
    load_doc(tmp_path, config, BASE)
    rows = [
        ["资金台账"],
        ["单位:万元"],
        ["序号", "项目", "出资方", "金额", "日期"],
        [1, "road-1", "上级拨款", 3, 45838],
    ]
    rows.append(["合计", None, None, 3, None])
    path = workbook(tmp_path / "p.xlsx", {"到位": rows})
    before = fingerprint()
    result = run("--db", sqlite_db, "import", path, "--preview", lang="zh")
    assert result.code == 0, result.err
    assert fingerprint() == before
    assert "表头在第 3 行" in result.out and "未用的列: 序号" in result.out
    assert "1 (标题), 2 (单位行), 5 (合计行)" in result.out
    assert "金额=30,000.00元  日期=2025-06-30" in result.out
    mapping = result.out.split("\n\n", 1)[1]
    (tmp_path / "map.toml").write_text(mapping, encoding="utf-8")
    parsed, problems = sheets.load_mapping(str(tmp_path / "map.toml"))
    assert problems == [] and parsed is not None
    assert parsed["sheets"]["到位"]["unit"] == "万元" and parsed["sheets"]["到位"]["columns"]["序号"] == ""
    assert run("--db", sqlite_db, "import", path, "--mapping", str(tmp_path / "map.toml")).code == 0
    assert [r["amount"] for r in stored("receipts")] == [Amount(3_000_000)]


def test_a_toml_file_and_a_workbook_are_one_import(backend: str, tmp_path: Path, config: Config) -> None:
    toml = tmp_path / "base.toml"
    toml.write_text('format = "fundtrack/1"\n[village]\nname = "测试村"\n' + BASE, encoding="utf-8")
    good = workbook(tmp_path / "good.xlsx", {"到位": receipts_sheet("金额", [1])})
    bad = workbook(tmp_path / "bad.xlsx", {"到位": receipts_sheet("金额", ["很多"])})
    before = fingerprint()
    with pytest.raises(InputError):
        import_files([str(toml), good, bad], config.import_options, settings=sheets.Settings(village="测试村"))
    assert fingerprint() == before
    result = import_files([str(toml), good], config.import_options, settings=sheets.Settings(village="测试村"))
    assert result.records == 6 and len(stored("receipts")) == 1


def test_the_export_workbook_reads_back_to_the_same_records(backend: str, tmp_path: Path) -> None:
    from tests.conftest import SAMPLE

    assert run("--db", backend, "import", *map(str, SAMPLE)).code == 0
    first = run("--db", backend, "export", "--format", "toml")
    assert run("--db", backend, "export", "--format", "xlsx", "-o", str(tmp_path / "x.xlsx")).code == 0
    other = str(tmp_path / "other.db")
    assert run("--db", other, "import", str(tmp_path / "x.xlsx")).code == 0
    again = run("--db", other, "export", "--format", "toml")
    assert again.code == 0 and again.out == first.out
    assert run("--db", other, "export", "--format", "xlsx", "-o", str(tmp_path / "y.xlsx")).code == 0
    a, b = (openpyxl.load_workbook(tmp_path / n) for n in ("x.xlsx", "y.xlsx"))
    for ws in a.worksheets:
        assert [[c.value for c in r] for r in ws.iter_rows()] == [[c.value for c in r] for r in b[ws.title].iter_rows()]


def test_the_template_filled_in_with_openpyxl_imports(backend: str, tmp_path: Path) -> None:
    from tests.conftest import SAMPLE

    assert run("--db", backend, "import", *map(str, SAMPLE)).code == 0
    out = tmp_path / "模板.xlsx"
    result = run("--db", backend, "--village", "xx彝族村", "template", "-o", str(out))
    assert result.code == 0, result.err
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "说明" and wb["名单"].sheet_state == "hidden"
    assert wb["村"]["B1"].value == "xx彝族村"
    projects = wb["项目"]
    assert [c.value for c in projects[1]][:4] == ["项目编号*", "项目名称*", "类别*", "状态*"]
    lists = {str(dv.sqref): dv.formula1 for dv in projects.data_validations.dataValidation}
    assert '"安居房,学校,道路,桥梁,饮水,水库,其他"' in lists.values()
    assert any("在建" in f for f in lists.values())
    receipts = wb["到位"]
    assert any(
        f.startswith("'名单'!$A$2") or f.startswith("名单!$A$2")
        for f in (dv.formula1 for dv in receipts.data_validations.dataValidation)
    )
    projects.append(["new-road", "新修道路", "道路", "在建", 500000, None, None, None, None, dt.date(2025, 1, 1)])
    receipts.append(["新修道路", "上级拨款", 120000, dt.date(2025, 3, 1), "记-1"])
    wb["支出"].append(["new-road", 3000.5, "2025年3月2日", "水泥"])
    wb.save(out)
    result = run("--db", backend, "import", str(out))
    assert result.code == 0, result.err
    assert "imported 3 records" in result.err
    rows = {r["code"]: r for r in stored("projects")}
    assert rows["new-road"]["category"] == "road" and rows["new-road"]["budget"] == Amount(50_000_000)
    assert [r["amount"] for r in stored("receipts") if r["project"] == "new-road"] == [Amount(12_000_000)]
    assert [r["amount"] for r in stored("expenses") if r["project"] == "new-road"] == [Amount(300_050)]


def test_the_template_without_a_village_needs_no_database(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    result = run("--db", str(tmp_path / "none.db"), "template", "-o", str(out))
    assert result.code == 0, result.err
    assert not (tmp_path / "none.db").exists()
    assert "名单" not in openpyxl.load_workbook(out).sheetnames


def test_a_project_named_by_code_and_by_name_side_by_side(sqlite_db: str, tmp_path: Path, config: Config) -> None:
    load_doc(tmp_path, config, BASE)
    rows = [["项目编号", "项目名称", "出资方", "金额", "日期"], ["road-1", "通组公路", "上级拨款", 5, "2025-01-01"]]
    path = workbook(tmp_path / "t.xlsx", {"到位": rows})
    reading, checked = check_sheet(path, config.import_options)
    assert reading.problems == [] and checked is not None and checked.problems == []
    assert reading.sheets[0].left_out == ["项目名称"]
    assert checked.tables["receipts"][0]["project"] == "road-1"


def test_two_amount_columns_are_an_error_at_the_second(sqlite_db: str, tmp_path: Path, config: Config) -> None:
    load_doc(tmp_path, config, BASE)
    rows = [["项目", "出资方", "金额（万元）", "金额（元）", "日期"], ["road-1", "上级拨款", 5, 50000, "2025-01-01"]]
    path = workbook(tmp_path / "t.xlsx", {"到位": rows})
    reading, _ = check_sheet(path, config.import_options)
    assert [(p.at, p.code) for p in reading.problems] == [("到位!D1", "header_twice")]


def test_a_workbook_with_no_table_it_knows_says_so(sqlite_db: str, tmp_path: Path, config: Config) -> None:
    load_doc(tmp_path, config, BASE)
    path = workbook(tmp_path / "t.xlsx", {"Sheet1": [["姓名", "电话"], ["张三", "123"]]})
    reading, _ = check_sheet(path, config.import_options)
    assert [(p.where, p.code) for p in reading.problems] == [("file", "sheet_nothing")]
    assert reading.sheets[0].table is None


def test_a_csv_whose_table_has_no_header_row_says_so(sqlite_db: str, tmp_path: Path, config: Config) -> None:
    load_doc(tmp_path, config, BASE)
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    reading, _ = check_sheet(str(path), config.import_options, sheets.Settings(table="receipts"))
    assert [p.code for p in reading.problems] == ["sheet_no_header", "sheet_nothing"]
    assert "--mapping" in show(reading.problems[0], "zh")


def test_mapping_file_validation_locates_each_mistake_in_the_map_file(
    sqlite_db: str, tmp_path: Path, config: Config
) -> None:
    load_doc(tmp_path, config, BASE)
    path = workbook(tmp_path / "a.xlsx", {"到位": receipts_sheet("金额", [100])})
    bad = tmp_path / "MAP.toml"
    bad.write_text(
        '[sheets."到位"]\ntable = "receipts"\nheader_row = 0\ncolums = 1\nunit = "块"\n'
        '[sheets."到位".columns]\n"金额" = "amout"\n',
        encoding="utf-8",
    )
    result = run("--db", sqlite_db, "import", "--mapping", str(bad), path)
    assert result.code == 2
    assert result.err.strip().splitlines() == [
        f'{bad}: sheets."到位".colums: unknown key (did you mean "columns"?)',
        f'{bad}: sheets."到位".header_row: expected the header\'s row number (a positive integer), got 0',
        f'{bad}: sheets."到位".unit: "块" is not 元 or 万元',
        f'{bad}: sheets."到位".columns."金额": \'amout\' is not one of project, funder, amount, date, voucher, '
        'household, note (did you mean "amount"?)',
    ], result.err
    past = tmp_path / "PAST.toml"
    past.write_text('[sheets."到位"]\ntable = "receipts"\nheader_row = 9\n[sheets."不存在"]\n', encoding="utf-8")
    result = run("--db", sqlite_db, "import", "--mapping", str(past), path)
    assert result.code == 2
    assert result.err.strip().splitlines() == [
        f'{past}: sheets."到位".header_row: row 9 is past the end of this sheet (its last row is 2)',
        f'{past}: sheets."不存在": the file has no such sheet (it has: 到位)',
    ], result.err
    assert stored("receipts") == []


@pytest.mark.parametrize(
    ("typo", "meant", "column"), [("金頟", "金额", "C"), ("备住", "备注", "E"), ("凭证好", "凭证号", "E")]
)
def test_a_chinese_header_typo_is_an_error_with_did_you_mean(
    sqlite_db: str, tmp_path: Path, config: Config, typo: str, meant: str, column: str
) -> None:
    load_doc(tmp_path, config, BASE)
    header = ["项目", "资金来源", "金额", "日期", "备注"]
    header[ord(column) - ord("A")] = typo
    path = workbook(tmp_path / "a.xlsx", {"到位": [header, ["road-1", "上级拨款", 100, dt.date(2025, 6, 30), "x"]]})
    result = run("--db", sqlite_db, "import", path, lang="zh")
    assert result.code == 2
    assert f":到位!{column}1: receipts: 表头“{typo}”不是已知的列名(是不是“{meant}”?)" in result.err, result.err
    assert stored("receipts") == []


def test_the_sheet_name_does_not_beat_headers_that_are_clearly_receipts(
    sqlite_db: str, tmp_path: Path, config: Config
) -> None:
    load_doc(tmp_path, config, BASE)
    rows = [["项目", "资金来源", "金额", "日期", "凭证号"], ["road-1", "上级拨款", 100, dt.date(2025, 6, 30), "A-1"]]
    path = workbook(tmp_path / "a.xlsx", {"自筹收款": rows})
    result = import_files([path], config.import_options, settings=sheets.Settings())
    assert result.records == 1
    assert [(r["funder"], r["amount"], r.get("voucher")) for r in stored("receipts")] == [
        ("上级拨款", Amount(10_000), "A-1")
    ]


def test_duplicate_receipts_on_re_import_are_a_warning_in_preview_and_import(
    sqlite_db: str, tmp_path: Path, config: Config
) -> None:
    load_doc(tmp_path, config, BASE)
    rows = [["项目", "资金来源", "金额", "日期", "凭证号"], ["road-1", "上级拨款", 100, dt.date(2025, 6, 30), "A-1"]]
    first = workbook(tmp_path / "a.xlsx", {"到位": rows})
    assert run("--db", sqlite_db, "import", first, lang="zh").code == 0
    again = workbook(tmp_path / "b.xlsx", {"到位": [*rows, ["road-1", "上级拨款", 200, dt.date(2025, 7, 1), "A-2"]]})
    line = f"{again}:到位!A2: receipts[0]: 第 2 行与已有记录相同"
    preview = run("--db", sqlite_db, "import", "--preview", again, lang="zh")
    assert preview.code == 0 and line in preview.out and "到位!A3" not in preview.out, preview.out
    result = run("--db", sqlite_db, "import", again, lang="zh")
    assert result.code == 0
    assert line in result.err and "到位!A3" not in result.err, result.err
    assert len(stored("receipts")) == 3


def test_the_same_mistake_on_many_rows_is_grouped_after_20_lines(
    sqlite_db: str, tmp_path: Path, config: Config
) -> None:
    load_doc(tmp_path, config, BASE)
    rows = [["项目", "资金来源", "金额", "日期"]] + [["road-1", "无此出资方", 100, dt.date(2025, 6, 30)]] * 30
    rows.append(["road-1", "上级拨款", 100, "2025-13-30"])
    path = workbook(tmp_path / "a.xlsx", {"到位": rows})
    result = run("--db", sqlite_db, "import", path, lang="zh")
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 22, lines
    assert lines[19].startswith(f"{path}:到位!B21: receipts[19].funder: ")
    assert lines[20].startswith(f"{path}:到位!D32: receipts[30].date: ")
    assert lines[21] == "… 另有 10 处同样的问题 (receipts[].funder)"
    preview = run("--db", sqlite_db, "import", "--preview", path, lang="zh")
    assert "  … 另有 10 处同样的问题 (receipts[].funder)" in preview.out.splitlines()


def test_the_preview_shows_amounts_in_yuan_even_for_rows_with_problems_and_booleans_in_chinese(
    sqlite_db: str, tmp_path: Path, config: Config
) -> None:
    from fundtrack.io.sheets.values import shown as _shown

    load_doc(tmp_path, config, BASE)
    rows = [["项目", "资金来源", "金额（万元）", "日期"], ["road-1", "无此出资方", 12.3, dt.date(2025, 6, 30)]]
    path = workbook(tmp_path / "a.xlsx", {"到位": rows})
    preview = run("--db", sqlite_db, "import", "--preview", path, lang="zh")
    assert preview.code == 1
    assert "金额=123,000.00元" in preview.out and "12.3万" not in preview.out, preview.out
    assert (_shown(True, "zh"), _shown(False, "zh"), _shown(True, "en")) == ("是", "否", "true")
