"""The command line in the user's language, at 80 columns, without surprises: help and argparse's own
mistakes in Chinese (one line, exit 2), every message worded, --project by code or name, binary files
kept off a terminal, report CSV in words unless --codes."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from fundtrack.cli.main import _parser
from fundtrack.cli.words import ZH, argparse_in, wrap_cells
from tests.conftest import ROOT, write_doc
from tests.hostile.harness import SAMPLE, assert_refused, fingerprint, run

AS_OF = "2025-06-30"

# What may stay Latin in Chinese help: the program, flag and metavar names, choices, formats, examples.
ALLOWED = re.compile(
    r"SQLite|PostgreSQL|PDF|committee|auditor|admin|URL|FUNDTRACK_DB|CSV|XLSX|JSON|DOCX|Markdown|hledger|beancount|toml|docx|md|zh|en|receipts:12|USB"
    r"|YYYY-MM-DD|fundtrack(/1| report)?|--?[a-z][a-z-]*|\{[^}]*\}|[A-Z][A-Z:_]*"
)


def _commands() -> list[list[str]]:
    """Every command and report, as the words that reach its help."""
    found = [[]]
    with argparse_in("zh"):
        parser = _parser("zh")
    for action in parser._subparsers._group_actions:  # type: ignore[union-attr]
        for name, sub in action.choices.items():
            found.append([name])
            if sub._subparsers is not None:
                for inner in sub._subparsers._group_actions:
                    found.extend([name, report] for report in inner.choices)
    return found


def _help(argv: list[str], lang: str, width: int = 80) -> tuple[int, str]:
    env = {**os.environ, "COLUMNS": str(width)}
    proc = subprocess.run(
        [sys.executable, "-m", "fundtrack.cli.main", "--lang", lang, *argv, "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    return proc.returncode, proc.stdout + proc.stderr


@pytest.mark.parametrize("argv", _commands(), ids=lambda a: " ".join(a) or "fundtrack")
def test_every_help_is_chinese_and_fits_80_columns(argv: list[str]) -> None:
    code, text = _help(argv, "zh")
    assert code == 0, text
    assert text.startswith("用法: fundtrack"), text
    assert "usage:" not in text and "options:" not in text and "show this help" not in text
    usage, rest = text.split("\n\n", 1)
    for line in text.splitlines():
        assert cell_len(line) <= 80, line
    for line in rest.splitlines():
        assert not line.lstrip().startswith(("，", "。", "）", "、")), line
        words = re.split(r"\s{2,}", line.strip())[-1] if line.startswith(" ") else line  # the help, not the name
        assert not re.search(r"[A-Za-z]{3,}", ALLOWED.sub("", words)), line


@pytest.mark.parametrize("argv", [[], ["report", "breakdown"], ["export"]], ids=["fundtrack", "breakdown", "export"])
def test_help_in_english_speaks_english(argv: list[str]) -> None:
    code, text = _help(argv, "en")
    assert code == 0 and text.startswith("usage: fundtrack") and "options:" in text
    assert not re.search(r"[\u4e00-\u9fff]{2,}", text.replace("元,万元", ""))


def test_every_help_text_has_its_chinese() -> None:
    """A help text added in English only would show in English to a Chinese reader."""
    source = (ROOT / "fundtrack" / "cli" / "main.py").read_text(encoding="utf-8")
    texts = re.findall(r'_\(\s*((?:"[^"]*"\s*)+)\)', source)
    assert texts
    for pieces in texts:
        text = "".join(re.findall(r'"([^"]*)"', pieces))
        assert text in ZH, text


def test_the_language_config_decides_the_help(tmp_path: Path) -> None:
    settings = tmp_path / "s.toml"
    settings.write_text('language = "en"\n', encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "fundtrack.cli.main", "--config", str(settings), "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert proc.returncode == 0 and proc.stdout.startswith("usage: fundtrack")


ARGPARSE_MISTAKES = {
    "invalid_choice": (["report", "breakdown", "--format", "exe"], "无效的选择 'exe'"),
    "unknown_command": (["bogus"], "无效的选择 'bogus'"),
    "required": (["import"], "缺少必需的参数: FILE"),
    "unrecognized": (["undo", "--zz"], "无法识别的参数: --zz"),
    "no_value": (["report", "breakdown", "--as-of"], "需要一个值"),
    "not_a_number": (["history", "--limit", "many"], "无效的值 'many'"),
    "no_report": (["report"], "缺少必需的参数: REPORT"),
}


@pytest.mark.parametrize("case", sorted(ARGPARSE_MISTAKES))
def test_argparse_mistakes_are_one_chinese_line(sqlite_db: str, case: str) -> None:
    argv, words = ARGPARSE_MISTAKES[case]
    result = run("--db", sqlite_db, *argv, lang="zh")
    assert_refused(result)
    assert len(result.err.strip().splitlines()) == 1
    assert words in result.err and "usage" not in result.err and "error:" not in result.err
    assert result.err.startswith("fundtrack")


def test_argparse_mistakes_in_english_are_one_english_line(sqlite_db: str) -> None:
    result = run("--db", sqlite_db, "report", "breakdown", "--format", "exe", lang="en")
    assert_refused(result)
    assert result.err.startswith("fundtrack report breakdown: argument --format: invalid choice: 'exe'")
    assert len(result.err.strip().splitlines()) == 1


def test_a_hostile_choice_forges_no_second_line(sqlite_db: str) -> None:
    result = run("--db", sqlite_db, "report", "breakdown", "--format", "x\nfundtrack: 成功", lang="zh")
    assert_refused(result)
    assert len(result.err.strip().splitlines()) == 1


@pytest.fixture
def sample(sqlite_db: str) -> str:
    assert run("--db", sqlite_db, "import", *map(str, SAMPLE)).code == 0
    return sqlite_db


def test_messages_speak_chinese(sqlite_db: str, tmp_path: Path) -> None:
    ready = run("--db", sqlite_db, "init", lang="zh")
    assert ready.code == 0 and ready.err.startswith("fundtrack: 数据库已就绪: ")
    dry = run("--db", sqlite_db, "import", "--dry-run", str(SAMPLE[0]), lang="zh")
    assert dry.code == 0 and "已检查" in dry.err and "未写入" in dry.err
    done = run("--db", sqlite_db, "import", *map(str, SAMPLE), lang="zh")
    assert done.code == 0 and re.match(r"fundtrack: 已导入 \d+ 条记录（2 个文件），村: xx彝族村", done.err)
    undo = run("--db", sqlite_db, "undo", lang="zh")
    assert undo.code == 0 and undo.err.startswith("fundtrack: 已撤销第 ") and "导入" in undo.err
    checked = run("--db", sqlite_db, "check", "--format", "table", lang="zh")
    assert checked.code == 0 and "完好性问题" in checked.err
    for words in (ready.err, dry.err, done.err, undo.err, checked.err):
        assert not re.search(r"\b(imported|records|database|undid|problem)\b", words), words


USAGE_MISTAKES = {
    "bad_date": (["report", "breakdown", "--as-of", "2024-13-01"], "日期应写成 2024-08-31 这样"),
    "no_project": (["report", "breakdown", "--project", "无此项目"], "没有编号或名称为“无此项目”的项目"),
    "no_village": (["export", "--village", "无此村"], "数据库里没有名为“无此村”的村"),
    "bad_record": (["history", "--record", "receipts"], "应写成 表名:编号"),
    "document_suffix": (["report", "document", "-o", "x.pdf"], "委员会报告只能写成 .docx 或 .md"),
}


@pytest.mark.parametrize("case", sorted(USAGE_MISTAKES))
def test_usage_mistakes_are_one_chinese_line_and_change_nothing(sample: str, case: str) -> None:
    argv, words = USAGE_MISTAKES[case]
    before = fingerprint()
    result = run("--db", sample, *argv, lang="zh")
    assert_refused(result)
    assert words in result.err
    assert fingerprint() == before


def test_a_global_option_after_the_command_is_taken(sample: str, tmp_path: Path) -> None:
    result = run("export", "--village", "xx彝族村", "--db", sample, "-o", str(tmp_path / "x.toml"), lang="zh")
    assert result.code == 0, result.err
    assert (tmp_path / "x.toml").read_text(encoding="utf-8").startswith("format")


def _two_schools(sqlite_db: str, tmp_path: Path) -> None:
    doc = write_doc(
        tmp_path,
        """
        [[projects]]
        code = "school-a"
        name = "民族小学"
        category = "school"
        status = "building"
        budget = "100万"
        [[projects]]
        code = "school-b"
        name = "民族小学"
        category = "school"
        status = "building"
        budget = "50万"
        [[projects]]
        code = "road"
        name = "ＡＢ进村公路"
        category = "road"
        status = "building"
        budget = "30万"
        """,
    )
    assert run("--db", sqlite_db, "import", doc).code == 0


def test_project_by_name_nfkc_equal(sqlite_db: str, tmp_path: Path) -> None:
    _two_schools(sqlite_db, tmp_path)
    by_name = run("--db", sqlite_db, "report", "breakdown", "--project", "AB进村公路", "--format", "json")
    by_code = run("--db", sqlite_db, "report", "breakdown", "--project", "road", "--format", "json")
    assert by_name.code == 0, by_name.err
    assert by_name.out == by_code.out and '"road"' in by_name.out and "school-a" not in by_name.out


def test_an_ambiguous_project_name_lists_the_codes(sqlite_db: str, tmp_path: Path) -> None:
    _two_schools(sqlite_db, tmp_path)
    result = run("--db", sqlite_db, "report", "breakdown", "--project", "民族小学", lang="zh")
    assert_refused(result)
    assert "school-a (测试村)" in result.err and "school-b (测试村)" in result.err
    assert len(result.err.strip().splitlines()) == 1


def _in_a_terminal(*args: str) -> tuple[int, bytes]:
    """`fundtrack ARGS` with a terminal as its standard output and error (as a person runs it)."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "fundtrack.cli.main", *args],
        stdout=follower,
        stderr=follower,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "80"},
    )
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.close(leader)
    return proc.wait(timeout=60), out


@pytest.mark.parametrize(
    "argv",
    [
        ["export", "--format", "xlsx"],
        ["report", "breakdown", "--format", "xlsx"],
        ["report", "quotas", "--format", "xlsx", "--codes"],
        ["report", "document"],
    ],
    ids=["export", "breakdown", "quotas", "document"],
)
def test_a_binary_file_is_refused_on_a_terminal_in_one_line(sample: str, argv: list[str]) -> None:
    code, out = _in_a_terminal("--db", sample, "--lang", "zh", *argv)
    assert code == 2
    assert b"PK\x03\x04" not in out
    text = out.decode("utf-8")
    assert len(text.strip().splitlines()) == 1 and "请用 -o 文件名 写入文件" in text


def test_a_binary_file_goes_into_a_pipe(sample: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "fundtrack.cli.main", "--db", sample, "export", "--format", "xlsx"],
        capture_output=True,
        cwd=ROOT,
        timeout=60,
    )
    assert proc.returncode == 0 and proc.stdout.startswith(b"PK\x03\x04")


@pytest.mark.parametrize("command", [["check"], ["history", "--limit", "3"]])
def test_check_and_history_on_a_terminal_in_chinese(sample: str, command: list[str]) -> None:
    code, out = _in_a_terminal("--db", sample, "--lang", "zh", *command)
    text = out.decode("utf-8")
    assert code == 0, text
    assert "Namespace" not in text and "内部错误" not in text and "internal error" not in text


def _csv(db: str, argv: list[str], lang: str, tmp_path: Path) -> list[list[str]]:
    out = tmp_path / "r.csv"
    with contextlib.suppress(FileNotFoundError):
        out.unlink()
    assert run("--db", db, *argv, "--as-of", AS_OF, "--format", "csv", "-o", str(out), lang=lang).code in (0, 1)
    return list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))


@pytest.mark.parametrize(
    ("argv", "codes"),
    [
        (["report", "breakdown"], {"project", "funder", "levy", "upper_grant", "cash", "TOTAL", "totals", "yes"}),
        (["report", "quotas"], {"private_mine", "short", "met", "no_data"}),
        (["reconcile"], {"warning", "error", "info", "over_pledged", "budget_gap"}),
    ],
    ids=["breakdown", "quotas", "reconcile"],
)
def test_report_csv_in_words_and_with_codes(sample: str, tmp_path: Path, argv: list[str], codes: set[str]) -> None:
    worded = _csv(sample, argv, "zh", tmp_path)
    coded = _csv(sample, [*argv, "--codes"], "zh", tmp_path)
    assert not codes & {cell for row in worded for cell in row}
    assert codes <= {cell for row in coded for cell in row}
    assert all(re.search(r"[\u4e00-\u9fff]", cell) for cell in worded[0])  # every header in Chinese
    assert len(worded) == len(coded)  # the same rows, worded


def test_xlsx_with_codes_keeps_machine_headers(sample: str, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    worded, coded = tmp_path / "w.xlsx", tmp_path / "c.xlsx"
    base = ["--db", sample, "report", "quotas", "--as-of", AS_OF, "-o"]
    assert run(*base, str(worded), lang="zh").code == 0
    assert run(*base, str(coded), "--codes", lang="zh").code == 0
    w, c = load_workbook(worded).active, load_workbook(coded).active
    assert [x.value for x in c[1]][:3] == ["village", "name", "kind"] and c.title == "quotas"
    assert [x.value for x in w[1]][:3] == ["村", "企业", "类型"]
    assert {r[-1] for r in c.iter_rows(min_row=2, values_only=True)} <= {"met", "short", "no_data"}


def test_wrapping_by_cells_never_starts_a_line_with_a_closing_mark() -> None:
    lines = wrap_cells("SQLite 文件路径或数据库地址（默认：环境变量 FUNDTRACK_DB，其次是设置文件）", 40)
    assert all(cell_len(line) <= 40 for line in lines)
    assert not any(line.startswith(("，", "）")) for line in lines)
    assert "".join(lines).replace(" ", "") == "SQLite文件路径或数据库地址（默认：环境变量FUNDTRACK_DB，其次是设置文件）"


def test_what_the_system_says_is_said_in_chinese(sample: str, tmp_path: Path) -> None:
    missing = run("--db", sample, "import", str(tmp_path / "无.toml"), lang="zh")
    assert_refused(missing)
    assert "没有这个文件或文件夹" in missing.err and "No such file" not in missing.err
    folder = run("--db", sample, "report", "quotas", "--format", "csv", "-o", str(tmp_path), lang="zh")
    assert_refused(folder)
    assert folder.err.startswith(f"{tmp_path}: output: 这是一个文件夹") and "folder" not in folder.err
    english = run("--db", sample, "report", "quotas", "--format", "csv", "-o", str(tmp_path), lang="en")
    assert "is a folder; give a file name" in english.err


def test_an_unreadable_config_is_reported_in_chinese(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "fundtrack.cli.main", "--config", str(tmp_path / "无.toml"), "report", "quotas"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert proc.returncode == 2 and proc.stderr.strip().endswith("config: 没有这个文件或文件夹")


def test_levies_xlsx_honours_codes_as_the_csv_does(sample: str, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from fundtrack.io.levies import CODES

    worded, coded = tmp_path / "w.xlsx", tmp_path / "c.xlsx"
    base = ["--db", sample, "report", "levies", "--as-of", AS_OF, "-o"]
    assert run(*base, str(worded), lang="zh").code == 0
    assert run(*base, str(coded), "--codes", lang="zh").code == 0
    w, c = load_workbook(worded).active, load_workbook(coded).active
    assert [x.value for x in c[1]] == list(CODES) and c.title == "levies"
    assert re.search(r"[\u4e00-\u9fff]", str(w[1][0].value))
    statuses = {r[-1] for r in c.iter_rows(min_row=2, values_only=True)}
    assert statuses and not any(re.search(r"[\u4e00-\u9fff]", str(s)) for s in statuses), statuses
    assert c.max_row == w.max_row  # the same rows


def test_report_levies_at_80_columns_does_not_wrap_household_codes(sample: str) -> None:
    code, out = _in_a_terminal("--db", sample, "report", "levies", "--as-of", AS_OF)
    text = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", out.decode("utf-8", "replace"))
    assert code == 0 and "新云-001" in text
    rows = [line for line in text.splitlines() if line.startswith("│")]
    cells = [line.split("│")[1].strip() for line in rows]
    codes = [c for c in cells if c and not c.startswith("合计")]
    assert codes and all(re.fullmatch(r"\S+-\d{3}", c) for c in codes), codes[:10]
