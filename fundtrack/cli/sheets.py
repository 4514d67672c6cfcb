"""`fundtrack import --preview`: what a spreadsheet would import, sheet by sheet, and the mapping used."""

from __future__ import annotations

import sys
from typing import Any

import tomli_w

from fundtrack.cli.grouped import grouped
from fundtrack.cli.words import os_worded
from fundtrack.io import sheets
from fundtrack.io.config import Config
from fundtrack.io.fundfile import Options
from fundtrack.io.problems import InputError, Problem, show
from fundtrack.io.sheets import named
from fundtrack.ledger.text import one_line, toml_visible
from fundtrack.service.importing import check_sheet, duplicate_receipts, import_files

FIRST_ROWS = 5

WORDS = {
    "zh": {
        "sheet": "工作表“{sheet}”",
        "not_recognised": "未认出是哪个表, 跳过",
        "table": "→ {table}: 表头在第 {row} 行, 无单位的数按{unit}",
        "columns": "用到的列",
        "left_out": "未用的列",
        "skipped": "跳过的行",
        "title": "标题",
        "unit": "单位行",
        "blank": "空行",
        "total": "合计行",
        "row": "第 {row} 行",
        "records": "共 {n} 条记录, 前 {k} 条:",
        "problems": "问题 ({n} 个), 什么都没有写入:",
        "no_problems": "没有问题; 去掉 --preview 即可导入",
        "mapping": "# 所用的对照表: 存为 MAP.toml, 以后用 --mapping MAP.toml 导入同样格式的表",
        "not_sheet": "不是表格文件, 只检查有无错误",
        "stored": "该村已有, 跳过",
        "stored_count": "其中 {n} 条该村已有, 跳过; 将导入 {k} 条",
    },
    "en": {
        "sheet": 'sheet "{sheet}"',
        "not_recognised": "not recognised, left out",
        "table": "-> {table}: header in row {row}, bare numbers in {unit}",
        "columns": "columns used",
        "left_out": "columns left out",
        "skipped": "rows skipped",
        "title": "title",
        "unit": "unit line",
        "blank": "blank",
        "total": "total",
        "row": "row {row}",
        "records": "{n} records, the first {k}:",
        "problems": "{n} problems; nothing written:",
        "no_problems": "no problems; run again without --preview to import",
        "mapping": "# the mapping used: save as MAP.toml and import files laid out alike with --mapping MAP.toml",
        "not_sheet": "not a spreadsheet: checked for problems only",
        "stored": "stored already, skipped",
        "stored_count": "{n} of them stored already, skipped; {k} to import",
    },
}


def toml_text(data: dict[str, Any]) -> str:
    """TOML for a terminal: what tomli-w leaves as itself but would act there (C1 controls, bidi and
    zero-width characters in a sheet's name) written as TOML's \\uXXXX escapes, read back the same."""
    return toml_visible(tomli_w.dumps(data))


def mapping_of(reading: sheets.Reading) -> dict[str, Any]:
    """The mapping the recognition used, as a mapping file holds it."""
    out: dict[str, Any] = {}
    for report in reading.sheets:
        if not report.table or not report.header_row:
            continue
        columns: dict[str, Any] = {}
        for c in report.columns:
            if c.bound:
                columns[c.header] = {"key": c.key, "bound": True}
            elif c.unit:
                columns[c.header] = {"key": c.key, "unit": c.unit}
            else:
                columns[c.header] = c.key
        for header in report.left_out:
            columns[header] = ""
        spec: dict[str, Any] = {"table": report.table, "header_row": report.header_row}
        if report.unit != "元":
            spec["unit"] = report.unit
        out[report.sheet] = {**spec, "columns": columns}
    return {"sheets": out}


def preview_lines(
    path: str, config: Config, settings: sheets.Settings, options: Options | None = None
) -> tuple[list[str], list[Problem], sheets.Reading]:
    """The preview of one file, and its problems; with `--new-only`, the records the village has marked."""
    lang = config.language
    w = WORDS.get(lang, WORDS["en"])
    options = options or config.import_options
    reading, checked = check_sheet(path, options, settings)
    stored = checked.stored if checked else set()
    lines = [path]
    for report in reading.sheets:
        head = w["sheet"].format(sheet=report.sheet)
        if not report.table or not report.header_row:
            lines.append(f"  {head}: {w['not_recognised']}")
            continue
        table = named.table_word(report.table, lang)
        lines.append(f"  {head} " + w["table"].format(table=table, row=report.header_row, unit=report.unit))
        lines.append(
            f"    {w['columns']}: " + ", ".join(named.column_text(report.table, c, lang) for c in report.columns)
        )
        if report.left_out:
            lines.append(f"    {w['left_out']}: " + ", ".join(report.left_out))
        if report.skipped:
            skipped = ", ".join(f"{row} ({w[why]})" for row, why in report.skipped)
            lines.append(f"    {w['skipped']}: {skipped}")
        # with --new-only, the records to be imported come first: those are what the preview is for
        ordered = (
            sorted(report.records, key=lambda i: (report.table, i) in stored) if options.new_only else report.records
        )
        shown = ordered[:FIRST_ROWS]
        lines.append("    " + w["records"].format(n=len(report.records), k=len(shown)))
        if options.new_only and report.table != "village":  # the village: compared, not skipped
            n = sum((report.table, i) in stored for i in report.records)
            lines.append("    " + w["stored_count"].format(n=n, k=len(report.records) - n))
        for i in shown:
            rec = named.preview_record(reading, checked, report.table, i)
            row = reading.index.records.get((report.table, i))
            # the village is one record, not a table's: its row is the one under the header
            where = w["row"].format(row=row[1] if row else report.header_row + 1)
            said = f"  ({w['stored']})" if (report.table, i) in stored else ""
            lines.append(f"      {where}: " + named.record_text(report.table, rec, lang, config.categories) + said)
    problems = reading.problems + (checked.problems if checked else [])
    if checked is not None and not problems and not options.new_only:
        lines.extend("  " + show(p, config.language) for p in duplicate_receipts(path, checked, reading.index))
    return [one_line(line) for line in lines], problems, reading


def preview(paths: list[str], config: Config, settings: sheets.Settings, options: Options | None = None) -> int:
    """Print the preview of every file; exit 1 when any has problems (nothing is written either way)."""
    w = WORDS.get(config.language, WORDS["en"])
    problems: list[Problem] = []
    mappings: dict[str, Any] = {"sheets": {}}
    for path in paths:
        if not sheets.is_sheet(path):
            print(f"{path}: {w['not_sheet']}")
            try:
                import_files([path], options or config.import_options, dry_run=True)
            except InputError as exc:
                problems.extend(exc.problems)
            continue
        lines, found, reading = preview_lines(path, config, settings, options)
        print("\n".join(lines))
        problems.extend(found)
        mappings["sheets"].update(mapping_of(reading)["sheets"])
    if problems:
        print(w["problems"].format(n=len(problems)))
        for line in grouped([os_worded(p, config.language) for p in problems], config.language):
            print("  " + line)
    else:
        print(w["no_problems"])
    if mappings["sheets"]:
        print()
        print(w["mapping"])
        print(toml_text(mappings), end="")
    sys.stdout.flush()
    return 1 if problems else 0
