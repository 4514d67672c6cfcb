"""The export workbook and the import preview in each language: Chinese sheets, headers and values that
import back to the same records, `--codes` for scripts, choices named in Chinese."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import openpyxl

from fundtrack.io.config import Config
from tests.conftest import load_doc
from tests.hostile.harness import run

# Every table, and every kind of value a sheet holds: choices, categories, flags, lists, dates,
# counts, amounts that are lower bounds (余), personal data left out.
EVERY = """
format = "fundtrack/1"

[village]
name = "测试村"
township = "某乡"
county = "某县"
ethnic_groups = ["彝族", "汉族"]
households = 120
people = 480

[[settlements]]
name = "新云"
households = 30

[[settlements]]
name = "老寨"

[[households]]
code = "新云-001"
head = "王文才"
settlement = "新云"
people = 3

[[households]]
code = "新云-002"
head = "安玉兰"
settlement = "新云"
exempt = true
exempt_reason = "低保户"

[[funders]]
name = "上级拨款"
kind = "upper_grant"

[[funders]]
name = "群众"
kind = "villagers"

[[funders]]
name = "爱心人士"
kind = "social_donation"

[[funders]]
name = "某某基金会"
kind = "social_donation"

[[enterprises]]
name = "打厂沟煤矿"
kind = "private_mine"
hiring_quota = 50
management_quota = 2

[[projects]]
code = "road-1"
name = "通组公路"
category = "road"
status = "building"
budget = "60余万"
settlements = ["新云", "老寨"]
beneficiary_households = 40
start = 2025-01-01
expected_end = 2025-12-31
note = "第一期"

[[projects]]
code = "road-1a"
name = "通组公路支线"
category = "water"
status = "planned"
parent = "road-1"

[[milestones]]
project = "road-1"
name = "路基"
status = "doing"
due = 2025-06-30

[[pledges]]
project = "road-1"
funder = "上级拨款"
amount = "40万"
date = 2025-01-05
ref = "某财[2025]1号"

[[pledges]]
project = "road-1"
funders = ["爱心人士", "某某基金会"]
amount = "5余万"
form = "materials"
quantity = "水泥 20 吨"

[[levies]]
project = "road-1"
funder = "群众"
per_household = "200"
households = 30

[[receipts]]
project = "road-1"
funder = "上级拨款"
amount = "20万"
date = 2025-03-01
voucher = "记-001"

[[receipts]]
project = "road-1"
funder = "群众"
amount = "200"
date = 2025-03-02
household = "新云-001"

[[expenses]]
project = "road-1"
amount = "12000.5"
date = 2025-04-01
item = "水泥"
voucher = "001"

[[hires]]
enterprise = "打厂沟煤矿"
person = "张三"
role = "management"
start = 2025-02-01
end = 2025-05-01
settlement = "老寨"
id_number = "520000199001011234"

[[headcounts]]
enterprise = "打厂沟煤矿"
date = 2025-06-30
local_workers = 40
management = 1
"""

LAYOUTS = {"zh": ["--lang", "zh"], "en": ["--lang", "en"], "codes": ["--lang", "zh", "--codes"]}


def _export(db: str, layout: str, out: Path) -> None:
    lang, *codes = LAYOUTS[layout][1:]
    result = run("--db", db, "export", "--format", "xlsx", *codes, "-o", str(out), lang=lang)
    assert result.code == 0, result.err


def _cells(path: Path) -> dict[str, list[list[object]]]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}


def test_the_export_workbook_round_trips_in_every_layout(backend: str, tmp_path: Path, config: Config) -> None:
    load_doc(tmp_path, config, EVERY, header=False)
    first = run("--db", backend, "export", "--format", "toml")
    for layout in LAYOUTS:  # one store per backend for the three layouts: a PostgreSQL database costs ~1 s
        _export(backend, layout, tmp_path / f"{layout}.xlsx")
        other = str(tmp_path / f"{layout}.db")
        result = run("--db", other, "import", str(tmp_path / f"{layout}.xlsx"), lang=LAYOUTS[layout][1])
        assert result.code == 0, (layout, result.err)
        again = run("--db", other, "export", "--format", "toml")
        assert again.code == 0 and again.out == first.out, layout
        _export(other, layout, tmp_path / f"{layout}-again.xlsx")
        assert _cells(tmp_path / f"{layout}.xlsx") == _cells(tmp_path / f"{layout}-again.xlsx"), layout


def test_the_zh_workbook_is_in_chinese_and_codes_keep_the_machine_layout(
    sqlite_db: str, tmp_path: Path, config: Config
) -> None:
    load_doc(tmp_path, config, EVERY, header=False)
    _export(sqlite_db, "zh", tmp_path / "zh.xlsx")
    _export(sqlite_db, "codes", tmp_path / "codes.xlsx")
    zh, codes = _cells(tmp_path / "zh.xlsx"), _cells(tmp_path / "codes.xlsx")
    assert zh["村"] == [
        ["村名", "乡镇", "县", "民族", "总户数", "总人口"],
        ["测试村", "某乡", "某县", "彝族、汉族", 120, 480],
    ]
    projects = zh["项目"]
    assert projects[0][:6] == ["项目编号", "项目名称", "类别", "状态", "总投资（元）", "总投资余"]
    assert projects[1][:6] == ["road-1", "通组公路", "道路", "在建", 600000, "余"]
    assert zh["农户"][2][4] == "是" and zh["用工"][1][2] == "管理岗" and zh["企业"][1][1] == "私营煤矿"
    assert zh["到位"][1][3] == dt.datetime(2025, 3, 1)  # a real date cell
    assert "身份证号" not in zh["用工"][0]  # personal data stays out unless asked for
    assert list(codes) == ["village", "settlements", "households", "funders", "enterprises", "projects",
                           "milestones", "pledges", "levies", "receipts", "expenses", "hires", "headcounts"]  # fmt: skip
    assert codes["projects"][0][-1] == "budget余" and codes["projects"][1][2:4] == ["road", "building"]
    assert codes["households"][2][4] is True and codes["enterprises"][1][1] == "private_mine"
    wb = openpyxl.load_workbook(tmp_path / "zh.xlsx")
    assert all(ws.freeze_panes == "A2" for ws in wb.worksheets)
    assert wb["项目"].column_dimensions["B"].width >= 14  # 通组公路支线 fits


def test_a_wrong_choice_in_a_sheet_lists_the_chinese_names(sqlite_db: str, tmp_path: Path, config: Config) -> None:
    path = tmp_path / "t.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目"
    ws.append(["项目编号", "项目名称", "类别", "状态"])
    ws.append(["road-1", "通组公路", "道路", "建设中"])
    ws.append(["road-2", "通组公路二期", "道理", "在建"])
    ws.append(["road-3", "通组公路三期", "road", "building"])  # codes are still accepted
    wb.save(path)
    result = run("--db", sqlite_db, "--village", "测试村", "import", str(path), lang="zh")
    assert result.code == 2
    assert result.err.splitlines() == [
        f"{path}:项目!D2: projects[0].status: “建设中”不是可选值, 可选: 规划中、前期准备、审批中、在建、已完工、暂停"
        " (或其代码 planned, preparing, approving, building, completed, suspended)",
        f"{path}:项目!C3: projects[1].category: “道理”不是可选值, 可选: 安居房、学校、道路、桥梁、饮水、水库、其他"
        " (或其代码 housing, school, road, bridge, water, reservoir, other)(是不是“道路”?)",
    ]
    en = run("--db", sqlite_db, "--village", "测试村", "import", str(path), lang="en")
    assert (
        "'道理' is not one of housing, school, road, bridge, water, reservoir, other (or in Chinese: 安居房、" in en.err
    )


def test_the_preview_gives_the_village_its_row(sqlite_db: str, tmp_path: Path, config: Config) -> None:
    load_doc(tmp_path, config, EVERY, header=False)
    _export(sqlite_db, "zh", tmp_path / "zh.xlsx")
    result = run("--db", str(tmp_path / "other.db"), "import", str(tmp_path / "zh.xlsx"), "--preview", lang="zh")
    assert "      第 2 行: 村名=测试村  乡镇=某乡" in result.out, result.out


def test_the_preview_of_a_missing_file_says_so_in_chinese(tmp_path: Path) -> None:
    result = run("--db", str(tmp_path / "s.db"), "import", str(tmp_path / "无此文件.xlsx"), "--preview", lang="zh")
    assert result.code == 1 and "无此文件.xlsx: file: 没有这个文件或文件夹" in result.out, result.out
    assert "No such file" not in result.out + result.err


FORMULA_LIKE = """
format = "fundtrack/1"

[village]
name = "=1+1村"
township = "+乡"

[[settlements]]
name = "-2+3"

[[funders]]
name = "=1+1"
kind = "social_donation"

[[funders]]
name = "'=1+1"
kind = "social_donation"

[[funders]]
name = "@x"
kind = "social_donation"

[[projects]]
code = "p-1"
name = "=SUM(A1)工程"
category = "road"
status = "building"

[[pledges]]
project = "p-1"
funders = ["=1+1", "@x"]
amount = "2万"

[[receipts]]
project = "p-1"
funder = "'=1+1"
amount = 100
date = 2025-01-02
voucher = "=HYPERLINK(1)"

[[receipts]]
project = "p-1"
funder = "@x"
amount = 1
date = 0001-01-01

[[receipts]]
project = "p-1"
funder = "@x"
amount = 2
date = 1899-12-31
"""


def test_text_that_looks_like_a_formula_and_dates_before_1900_round_trip(
    sqlite_db: str, tmp_path: Path, config: Config
) -> None:
    """Such text is a string cell with the quote prefix: never a formula, never a changed name; a date
    before a spreadsheet's first is ISO text, read back as that date."""
    load_doc(tmp_path, config, FORMULA_LIKE, header=False)
    first = run("--db", sqlite_db, "export", "--format", "toml")
    for layout in LAYOUTS:
        out = tmp_path / f"{layout}.xlsx"
        _export(sqlite_db, layout, out)
        wb = openpyxl.load_workbook(out)
        funders = wb.worksheets[3]
        assert [c.value for c in funders["A"][1:]] == ["=1+1", "'=1+1", "@x"], layout
        assert all(c.data_type == "s" for c in funders["A"][1:]), layout
        other = str(tmp_path / f"{layout}.db")
        result = run("--db", other, "import", str(out), lang=LAYOUTS[layout][1])
        assert result.code == 0, (layout, result.err)
        assert run("--db", other, "export", "--format", "toml").out == first.out, layout


CULTURE = """
format = "fundtrack/1"

[village]
name = "文化村"

[[projects]]
code = "c-1"
name = "文化广场"
category = "culture"
status = "building"

[[projects]]
code = "c-2"
name = "教学楼"
category = "learning"
status = "building"

[[projects]]
code = "r-1"
name = "通组公路"
category = "road"
status = "building"
"""


def test_a_configured_category_named_like_a_built_in_word_round_trips(sqlite_db: str, tmp_path: Path) -> None:
    """`culture` named 道路 (the built-in road's word) and `learning` named 教育 (a synonym of school): the
    workbook never turns one category into another."""
    cfg = tmp_path / "cfg.toml"
    cfg.write_text(
        '[categories]\nculture = { zh = "道路", en = "Road" }\nlearning = { zh = "教育", en = "Learning" }\n',
        encoding="utf-8",
    )
    source = tmp_path / "c.toml"
    source.write_text(CULTURE, encoding="utf-8")
    assert run("--config", str(cfg), "--db", sqlite_db, "import", str(source)).code == 0
    first = run("--config", str(cfg), "--db", sqlite_db, "export", "--format", "toml")
    for layout, (_, lang, *codes) in LAYOUTS.items():
        out = tmp_path / f"{layout}.xlsx"
        made = run(
            "--config", str(cfg), "--db", sqlite_db, "export", "--format", "xlsx", *codes, "-o", str(out), lang=lang
        )
        assert made.code == 0, made.err
        other = str(tmp_path / f"{layout}.db")
        result = run("--config", str(cfg), "--db", other, "import", str(out), lang=lang)
        assert result.code == 0, (layout, result.err)
        again = run("--config", str(cfg), "--db", other, "export", "--format", "toml")
        assert again.out == first.out, layout


def test_the_printed_mapping_escapes_what_would_act_on_a_terminal() -> None:
    from fundtrack.cli.sheets import toml_text

    mapping = {"sheets": {"\u202e到位": {"table": "receipts"}, "到\x9b31m位": {"columns": {"金额\u200b": "amount"}}}}
    text = toml_text(mapping)
    assert not any(ch in text for ch in "\u202e\x9b\u200b")
    assert tomllib.loads(text) == mapping  # --mapping reads it back to the same sheet names
