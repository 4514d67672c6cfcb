"""The command line's words in zh and en: argparse's own, the help texts, and every message a command prints."""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace

from rich.cells import cell_len

from fundtrack.io.problems import Problem

LANGUAGES = ("zh", "en")

# The help texts and argparse's own words, by their English text (as gettext keys them). In en they show as
# written; a text missing here shows in English in zh too (tests/hostile/test_cli_words.py finds any).
ZH: dict[str, str] = {
    # argparse
    "usage: ": "用法: ",
    "positional arguments": "位置参数",
    "options": "选项",
    "subcommands": "子命令",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s: %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择 %(value)r（可选: %(choices)s）",
    "the following arguments are required: %s": "缺少必需的参数: %s",
    "unrecognized arguments: %s": "无法识别的参数: %s",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
    "invalid %(type)s value: %(value)r": "无效的值 %(value)r（应为 %(type)s）",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是: %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "需要以下参数之一: %s",
    "ignored explicit argument %r": "多余的值 %r",
    "unexpected option string: %s": "意外的选项: %s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: %(message)s\n",
    # fundtrack's help
    "Village project funding: where money comes from, where it went, hiring commitments. "
    "Without a command, opens the terminal app.": "村级项目资金：钱从哪里来、用到哪里去、企业用工承诺。"
    "不带命令时打开终端界面。",
    "SQLite path or database URL (default: FUNDTRACK_DB, then the config)": "SQLite 文件路径或数据库地址"
    "（默认：环境变量 FUNDTRACK_DB，其次是设置文件）",
    "a settings file that overrides the shipped and user settings": "一个设置文件，覆盖自带的和用户的设置",
    "narrow to one village (needed for export when there are several)": "只看一个村（有多个村时导出必须指定）",
    "language of messages and reports": "提示和报表的语言（zh 中文，en 英文）",
    "create an empty database (idempotent)": "新建一个空数据库（已有则不变）",
    "import the sample data unless its village exists, then open the app": "导入示例数据（该村已有则跳过），然后打开界面",
    "a folder of sample files": "示例文件所在的文件夹",
    "import fundtrack/1 files, all or nothing": "导入 fundtrack/1 文件：要么全部导入，要么一条不写",
    "files to import": "要导入的文件",
    "check only; write nothing": "只检查，不写入",
    "write every record of one village, re-importable": "导出一个村的全部记录（可再导入）",
    "default: by -o's name, else toml": "默认：按 -o 文件的扩展名，否则为 toml",
    "write to FILE instead of standard output": "写入文件 FILE，而不是输出到屏幕",
    "include hires' id_number": "包含雇员的身份证号",
    "reports: breakdown, quotas, findings, document": "报表：资金构成、用工配额、核对结果、委员会报告",
    "funding breakdown per project": "各项目的资金构成",
    "hiring commitments per enterprise": "各企业的用工承诺",
    "the reconcile findings as a report (exit 0)": "核对结果报表（退出码总是 0）",
    "the committee's report (DOCX, or Markdown with --format md)": "委员会报告（DOCX；--format md 时为 Markdown）",
    "one project: its code or its name": "只看一个项目：项目编号或项目名称",
    "the day the report is as of (YYYY-MM-DD, default: today)": "报表截至哪一天（YYYY-MM-DD，默认今天）",
    "output format (default: by -o's name, else a table on a terminal, JSON elsewhere)": "输出格式"
    "（默认：按 -o 文件的扩展名；在终端显示表格，否则为 JSON）",
    "unit of amounts (default: the config's)": "金额单位（默认按设置文件）",
    "CSV and XLSX keep machine headers and codes (as scripts read them)": "CSV 和 XLSX 使用英文表头和代码"
    "（供程序读取）",
    "XLSX keeps machine sheet names, headers and codes (as scripts read them)": "XLSX 使用英文表名、表头和代码"
    "（供程序读取）",
    "ledger checks": "核对账目",
    "warnings fail too": "有警告也算不通过（退出码 1）",
    "the audit trail: who changed what, when, before and after": "修改记录：谁在什么时候改了什么，改前和改后",
    "only this record, e.g. receipts:12": "只看这一条记录，例如 receipts:12",
    "show at most N changes (default: 50)": "最多显示 N 条修改（默认 50）",
    "output format (default: a table on a terminal, JSON elsewhere)": "输出格式（默认：在终端显示表格，否则为 JSON）",
    "undo the last change not yet undone (recorded in the audit trail too)": "撤销最近一次尚未撤销的修改"
    "（也记入修改记录）",
    "report integrity problems (changes nothing)": "检查数据库是否完好（不做任何修改）",
    "the ledger as an hledger or beancount journal": "把账目导出为 hledger 或 beancount 日记账",
    "default: by -o's name, else hledger": "默认：按 -o 文件的扩展名，否则为 hledger",
    "default: by -o's name, else docx": "默认：按 -o 文件的扩展名，否则为 docx",
    "leave out records dated after DATE": "不含 DATE 之后的记录",
    # spreadsheets and paper
    "import fundtrack/1 files and spreadsheets (xlsx, xls, csv), all or nothing": "导入 fundtrack/1 文件和电子表格（XLSX、XLS、CSV），要么全部导入，要么都不导入",
    "spreadsheets: which sheet is which table, which column which key": "电子表格: 哪张工作表是哪种记录，哪一列是哪一项",
    "spreadsheets: unit of bare numbers (default: yuan)": "电子表格: 不带单位的数字的单位（默认 元）",
    "CSV: the table the file holds (default: by its name or headers)": "CSV: 文件里是哪种记录（默认按文件名或表头判断）",
    "spreadsheets: print what would be imported; write nothing": "电子表格: 只显示将导入的内容，不写入",
    "import only new records: those the village has already, the same in every value, are skipped": "只导入新的记录: 与该村已有记录完全相同的跳过",
    "an empty workbook to fill in and import (XLSX)": "生成一个空白工作簿，填好后可导入（XLSX）",
    "the workbook to write": "要写入的 XLSX 工作簿文件",
    "paper as PDF: receipts and the public notice": "打印成 PDF: 收据和公示",
    "what to print": "要打印的内容",
    "a receipt slip per receipt chosen (serials are given at the first print)": "每笔选中的收款打一张收据（首次打印时编号）",
    "one funder's receipts": "只打这个出资方的收款",
    "one household's receipts": "只打这一户的收款",
    "receipts dated on or after DATE": "DATE 当天及以后的收款",
    "receipts dated on or before DATE": "DATE 当天及以前的收款",
    "the PDF file to write": "要写入的 PDF 文件",
    "the public notice for the notice board": "张贴用的公示",
    "list each levy's households that still owe": "列出每项自筹仍欠交的农户",
    "A3 paper instead of A4": "用 A3 纸，不用 A4",
    "default: the sample village shipped with fundtrack": "默认: fundtrack 自带的示例村",
    "set up only; the app is not opened (nor without a terminal)": "只准备数据，不打开界面（没有终端时也不打开）",
    # a county's users
    "users of a county's PostgreSQL database and their villages": "县、乡 PostgreSQL 数据库的用户和他们能用的村",
    "what to do": "要做的事",
    "create a login role (or take one) with a role": "新建（或沿用）一个登录角色，并给它一个身份",
    "the login role": "登录角色名",
    "what the user may do": "用户的身份: committee 村委会，auditor 审计，admin 管理员",
    "a village it may use (committee: needed; auditor: none means all)": "它能用的村（村委会必须写；审计不写即全部）",
    "read the password from F (else it is asked for)": "从文件 F 读密码（不写则询问）",
    "change a user's villages": "改变一个用户能用的村",
    "its villages from now on": "从现在起它能用的村",
    "take every fundtrack right away from a login role": "收回一个登录角色在 fundtrack 里的全部权限",
    "who has which role over which villages": "谁对哪些村有什么身份",
    "a checked copy of the database (default: the backups folder)": "备份数据库并检查副本（默认存入备份文件夹）",
    "write the copy to FILE, e.g. on a USB stick": "把副本写入文件 FILE，例如 U 盘上",
    "replace the database with a backup (the replaced one is kept)": "用备份替换数据库（被替换的会保留）",
    "the backup file": "备份文件",
    "the command; fundtrack COMMAND -h tells more": "命令；fundtrack 命令 -h 查看详细说明",
    "the report; fundtrack report REPORT -h tells more": "报表；fundtrack report 报表 -h 查看详细说明",
    "reports: breakdown, quotas, findings, levies, document": "报表：资金构成、用工配额、核对结果、收缴名册、委员会报告",
    "the levy roll: every household, expected, paid, outstanding": "收缴名册：每户应缴、已缴、未缴",
    "list only the households not paid in full": "只列出未缴清的户",
}


def translator(language: str) -> Callable[[str], str]:
    """gettext for the command line: the text in `language` (English as written)."""
    if language != "zh":
        return lambda text: text
    return lambda text: text if text is None else ZH.get(text, text)


def ntranslator(language: str) -> Callable[[str, str, int], str]:
    gettext = translator(language)
    return lambda singular, plural, n: gettext(singular if n == 1 else plural)


@contextlib.contextmanager
def argparse_in(language: str) -> Iterator[None]:
    """argparse speaks `language` while parsers are built and used (its words go through its module's `_`)."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = translator(language), ntranslator(language)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def language_in(argv: Sequence[str]) -> str | None:
    """The `--lang` given anywhere on the command line (before or after the command), when valid."""
    found = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            found = argv[i + 1]
        elif arg.startswith("--lang="):
            found = arg.partition("=")[2]
    return found if found in LANGUAGES else None


def config_in(argv: Sequence[str]) -> str | None:
    """The `--config FILE` given anywhere on the command line."""
    found = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--config" and i + 1 < len(argv):
            found = argv[i + 1]
        elif arg.startswith("--config="):
            found = arg.partition("=")[2]
    return found


_PIECES = re.compile(r"\s+|[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+")


_NO_LINE_START = set("，。、；：！？）」』》”’,.;:!?)")


def wrap_cells(text: str, width: int) -> list[str]:
    """`text` in lines at most `width` terminal cells wide: Chinese breaks between any two characters
    (never before a closing mark like ，or ）), other words at spaces (a longer word stays whole)."""
    lines: list[list[str]] = []
    line: list[str] = []
    for piece in _PIECES.findall(" ".join(text.split())):
        if piece.isspace():
            if line:
                line.append(" ")
            continue
        if line and cell_len("".join(line).rstrip() + piece) > width:
            carried = [line.pop()] if piece in _NO_LINE_START and len(line) > 1 and not line[-1].isspace() else []
            lines.append(line)
            line = carried
        line.append(piece)
    lines.append(line)
    return [text for text in ("".join(pieces).strip() for pieces in lines) if text]


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help, wrapped by terminal cells (a Chinese character takes two) at the terminal's width."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None):
        if width is None:
            with contextlib.suppress(ValueError):
                width = int(os.environ.get("COLUMNS", "")) - 2
        super().__init__(prog, indent_increment, max_help_position, width)

    def _format_action(self, action: argparse.Action) -> str:
        # argparse pads an option's name by its characters (`--unit {元,万元}`): pad it by its cells.
        text = super()._format_action(action)
        invocation = self._format_action_invocation(action)
        extra = cell_len(invocation) - len(invocation)
        head, sep, rest = text.partition(invocation)
        if extra and sep and rest.startswith(" " * (extra + 2)):
            rest = rest[extra:]
        return head + sep + rest

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap_cells(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in wrap_cells(text, width - len(indent)))


# --- what a command prints -------------------------------------------------------------------

MESSAGES: dict[str, dict[str, str]] = {
    "zh": {
        "database_itself": "-o {output}: 这是数据库文件本身，请换一个文件",
        "binary_to_terminal": "{kind} 是二进制文件，不能显示在屏幕上，请用 -o 文件名 写入文件",
        "database_ready": "数据库已就绪: {target}",
        "imported": "已导入 {records} 条记录（{files} 个文件），村: {villages}",
        "dry_run": "已检查 {records} 条记录（{files} 个文件），村: {villages}；试运行，未写入",
        "imported_new": "已导入 {records} 条新记录, 跳过 {skipped} 条已有记录（{files} 个文件）",
        "dry_run_new": "试运行: 将导入 {records} 条新记录, 跳过 {skipped} 条已有记录（{files} 个文件）；未写入",
        "no_village_named": "数据库里没有名为“{name}”的村",
        "no_village_yet": "数据库里还没有村，请先导入文件",
        "several_villages": "数据库里有 {n} 个村，请用 --village 村名 选一个",
        "bad_date": "--as-of {value}: 日期应写成 2024-08-31 这样",
        "no_project": "没有编号或名称为“{project}”的项目",
        "several_projects": "有多个项目编号或名称为“{project}”: {codes}（请写项目编号，或加 --village）",
        "document_suffix": "{output}: 委员会报告只能写成 .docx 或 .md（或用 --format 指定）",
        "no_samples": "{dir}: 这里没有 .toml 文件（请在 fundtrack 文件夹里运行，或写出文件夹）",
        "samples_imported": "已把 {n} 个示例文件导入 {target}",
        "bad_record": "--record {value}: 应写成 表名:编号，例如 receipts:12",
        "nothing_to_undo": "没有可以撤销的修改",
        "undid": "已撤销第 {batch} 次修改（{what}）",
        "integrity_problems": "发现 {n} 个数据库完好性问题",
        "backup_written": "{target} 的备份已写入 {dest}",
        "restored": "已从 {file} 恢复 {target}",
        "restored_kept": "已从 {file} 恢复 {target}；被替换的数据库保存在 {kept}",
        "reading_only": "（只读）",
        "upgraded": "数据库已升级到第 {schema} 版；升级前的副本保存在 {backup}",
        "interrupted": "已中断；未完成的一步没有写入任何内容",
        "internal_error": "内部错误（{kind}，在 {where}）: {message}",
        "see_help": "（用法见 {prog} -h）",
        "undone": "（已撤销）",
        "importing": "导入中",
        # paper
        "bad_date_option": "{flag} {value}: 日期应写成 2024-08-31 这样",
        "pdf_output": "-o {output}: 请写一个要写入的 .pdf 文件",
        "notice_written": "公示已写入 {output}",
        "receipts_written": "已把 {n} 张收据写入 {output}",
        "no_receipt_chosen": "没有符合条件的收款记录，未打印",
        "samples_ready": "示例村 {village} 已在 {target} 准备好；在终端里运行 fundtrack 即可打开",
        # spreadsheet problems grouped (cli/grouped.py)
        "same_again": "… 另有 {n} 处同样的问题 ({what})",
    },
    "en": {
        "database_itself": "-o {output}: that is the database itself; give another file",
        "binary_to_terminal": "{kind} is a binary file: give -o FILE",
        "database_ready": "database ready at {target}",
        "imported": "imported {records} records from {files} file(s) into {villages}",
        "dry_run": "checked (dry run, nothing written) {records} records from {files} file(s) into {villages}",
        "imported_new": "imported {records} new records, skipped {skipped} stored ones ({files} file(s))",
        "dry_run_new": "dry run: {records} new records would be imported, {skipped} stored ones skipped ({files} file(s)); nothing written",
        "no_village_named": 'no village named "{name}" in the database',
        "no_village_yet": "the database holds no village yet; import a file first",
        "several_villages": "the database holds {n} villages; choose one with --village NAME",
        "bad_date": "--as-of {value}: expected a date like 2024-08-31",
        "no_project": 'no project with code or name "{project}"',
        "several_projects": 'several projects with code or name "{project}": {codes} (give the code, or add --village)',
        "document_suffix": "{output}: the committee's report is written as .docx or .md (or say --format)",
        "no_samples": "{dir}: no .toml files here (run from the fundtrack folder, or name the folder)",
        "samples_imported": "imported {n} sample file(s) into {target}",
        "bad_record": "--record {value}: expected TABLE:ID, e.g. receipts:12",
        "nothing_to_undo": "nothing to undo",
        "undid": "undid change {batch} ({what})",
        "integrity_problems": "{n} integrity problem(s)",
        "backup_written": "backup of {target} written to {dest}",
        "restored": "{target} restored from {file}",
        "restored_kept": "{target} restored from {file}; the replaced database is kept at {kept}",
        "reading_only": "(reading only)",
        "upgraded": "database upgraded to schema {schema}; the previous one is saved at {backup}",
        "interrupted": "interrupted; nothing was written by the unfinished step",
        "internal_error": "internal error ({kind} in {where}): {message}",
        "see_help": " (see {prog} -h)",
        "undone": " (undone)",
        "importing": "import",
        # paper
        "bad_date_option": "{flag} {value}: expected a date like 2024-08-31",
        "pdf_output": "-o {output}: give a .pdf file to write",
        "notice_written": "notice written to {output}",
        "receipts_written": "{n} receipt(s) written to {output}",
        "no_receipt_chosen": "no receipt matches what was asked; nothing printed",
        "samples_ready": "the sample village {village} is ready in {target}; run `fundtrack` in a terminal to open it",
        # spreadsheet problems grouped (cli/grouped.py)
        "same_again": "… {n} more of the same ({what})",
    },
}


# What the operating system says (in English), in Chinese: by its error number.
OS_ZH: dict[int, str] = {
    errno.ENOENT: "没有这个文件或文件夹",
    errno.EACCES: "没有权限",
    errno.EPERM: "不允许这样操作",
    errno.EISDIR: "这是一个文件夹，请写文件名",
    errno.ENOTDIR: "路径中有一部分不是文件夹",
    errno.ENOSPC: "磁盘已满",
    errno.EROFS: "只读的存储设备，不能写入",
    errno.EEXIST: "已经存在",
    errno.EIO: "读写出错（存储设备可能坏了）",
    errno.ENAMETOOLONG: "文件名太长",
    errno.ELOOP: "符号链接层数太多",
    errno.EMFILE: "打开的文件太多",
    errno.EDQUOT: "超出磁盘配额",
}
_BY_TEXT = {os.strerror(number): number for number in OS_ZH}


def os_words(message: str, language: str, number: int | None = None) -> str:
    """An operating system's message (`No such file or directory`, or fundtrack's `output: is a folder...`)
    in `language`; one it does not know stays as it is."""
    if language != "zh":
        return message
    prefix, _, rest = message.rpartition(": ") if message.startswith("output: ") else ("", "", message)
    found = number if number in OS_ZH else _BY_TEXT.get(rest)
    if found is None and rest.startswith("is a folder"):
        found = errno.EISDIR
    if found is None:
        return message
    return f"{prefix}: {OS_ZH[found]}" if prefix else OS_ZH[found]


def say(language: str, key: str, **params: object) -> str:
    """A command's message `key` in `language` (English for any other)."""
    return MESSAGES.get(language, MESSAGES["en"])[key].format(**params)


def os_worded(problem: Problem, language: str) -> Problem:
    """A problem that carries the operating system's English message, with that message in `language`."""
    if problem.code != "os_error" and not problem.code.endswith("_unreadable"):
        return problem
    message = problem.params.get("message")
    if not isinstance(message, str):
        return problem
    return replace(problem, params={**problem.params, "message": os_words(message, language)})
