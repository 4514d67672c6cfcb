"""The problem catalog: what is wrong with an input (a file, a form, the settings), as a code worded in zh and en."""

from __future__ import annotations

from collections.abc import Mapping

# Each problem is a code with parameters; its words are here, once per language, as
# str.format templates. Two parameters are worded themselves: `label` names a kind of
# record (the entry "noun.<label>"), and `hint` is the closest known name, or "" for none
# (worded by the entry "did_you_mean").
PROBLEMS: dict[str, dict[str, str]] = {
    "zh": {
        "did_you_mean": "(是不是“{name}”?)",
        "noun.settlement": "自然村",
        "noun.funder": "出资方",
        "noun.enterprise": "企业",
        "noun.project": "项目",
        # values of one key
        "expected_text": "应为文字, 实为 {got}",
        "empty": "不能为空",
        "expected_count": "应为整数, 实为 {got}",
        "expected_flag": "应为 true 或 false, 实为 {got}",
        "negative_count": "不能为负数, 实为 {got}",
        "below_one": "至少为 1",
        "expected_date": "应为日期, 如 2024-08-31, 实为 {got}",
        "expected_date_quoted": "应为日期, 如 2024-08-31, 实为 {got}(日期不加引号)",
        "expected_names": "应为名称列表, 实为 {got}",
        "name_twice": "同一名称列了两次",
        "not_one_of": "“{value}”不是可选值 ({choices}){hint}",
        "bad_unit": "{got} 不是 元 或 万元",
        # amounts
        "not_a_number": "“{value}”不是数字",
        "negative_amount": "“{value}”是负数; 录错的记录请作废后重录",
        "finer_than_fen": "“{value}”精确到了分以下",
        "unknown_unit": "unknown unit {unit!r}; use 元 or 万元",
        "not_an_amount": "{got} 不是金额",
        "float_amount": "{value!r} 是浮点数, 请把金额写成字符串",
        "amount_like": "{value!r} 不是金额, 应写成 2914.25万、400余万 或 600,000元",
        # the shape of a file
        "expected_table": "应为表, 实为 {got}",
        "unknown_key": "未知的键{hint}",
        "unknown_top_key": "未知的顶层键{hint}",
        "required": "必填",
        "village_required": "必填 (写 [village] 并给出 name)",
        "format_named": "是“{value}”, 本程序读取 {expected!r}",
        "format_other": "是 {got}, 本程序读取 {expected!r}",
        "not_array": "应写成表数组 ([[{table}]])",
        "toml_syntax": "TOML 语法错误: {message}",
        "not_utf8": "不是 UTF-8 文本",
        "os_error": "{message}",
        # private data and files
        "not_regular_file": "不是普通文件 (管道、设备或文件夹不能导入)",
        # names and links
        "defined_twice": "此文件中{label}“{name}”定义了两次",
        "already_defined": "该村已有{label}“{name}”",
        "bad_code": "“{code}”只能包含小写字母、数字和 -",
        "own_parent": "项目不能是自己的上级项目",
        "end_before_start": "{end} 早于开始日期 {start}",
        "own_ancestor": "“{code}”的上级项目绕回到了自己",
        "unknown_name": "没有名为“{name}”的{label}{hint}",
        "voided": "{label}“{name}”已作废, 不能再引用",
        "one_funder": "funder 和 funders 只能写一个",
        "joint_too_few": "共同承诺至少要有两个出资方; 只有一个时用 funder",
        "joint_kinds": "共同出资方必须是同一类型, 现为 {kinds}",
        "cash_needs_amount": "现金承诺必须写金额",
        "levy_funder_kind": "“{name}”的类型是 {kind}; 群众自筹只能由群众 (villagers) 出资方缴纳",
        "enterprise_funder_kind": "“{name}”已是类型为 {kind} 的出资方; 企业只能是 enterprise 类出资方",
        "end_not_after_start": "{end} 不晚于开始日期 {start}",
        "managers_over_workers": "管理岗 {management} 人多于本地职工 {workers} 人 (后者已含管理岗)",
        "village_conflict": "数据库中该村为 {stored!r}, 文件中为 {given!r}",
        # numbers that do not fit (the limits of data-format.md, Amounts)
        "noun.budgets": "预算",
        "noun.pledged": "承诺金额 (含群众自筹)",
        "noun.received": "到位资金",
        "noun.spent": "支出",
        "amount_too_large": "“{value}”超过单笔金额上限 10万亿元 (10^13 元)",
        "count_too_large": "{got} 超过上限 {limit}",
        "number_too_long": "数字位数太多, 任何金额或数量都不会这么长",
        "levy_too_large": "每户 {per_household} × {households} 户超过单笔金额上限 10万亿元",
        "village_total_too_large": "该村{label}合计将达 {total}, 超过上限 100万亿元 (10^14 元)",
        # forms
        "changed_meanwhile": "打开之后别人修改了这条记录; 请重新打开再改",
        # races, the write lock, undo and corrections
        "import_raced": "导入时数据库被同时修改, 什么也没写入; 请重新导入",
        "json_syntax": "JSON 格式错误: {message}",
        "form_date": "应为日期, 如 2024-08-31",
        "form_count": "应为整数",
        "form_no_such_date": "没有这一天: {date}",
        "record_voided": "这条记录已经作废, 不能再改或再作废; 请刷新列表",
        "form_partly_masked": "隐去的部分(*)看不到原数字: 请不改动, 或把整个号码重新输入",
        "toml_too_deep": "方括号或花括号套得太深 (fundtrack/1 文件最多套几层)",
        # settings
        "unknown_setting": "未知的设置项",
        "not_whole_number": "{value!r} 不是整数",
        "setting_text": "应为文字",
        "setting_names": "应为名称表 {{zh = ..., en = ...}}",
        "fixed_funder_kinds": "出资方类型由数据格式规定, 只能改它们的名称",
        "fixed_category": "数据格式规定的类别不能删除",
        # the store: absent, damaged, newer, read-only, locked, full, unreachable; and what `check` finds
        "store_missing": "没有这个数据库; 新建请用 fundtrack init (检查 --db 路径是否写错)",
        "store_not_file": "是文件夹或特殊文件, 不是数据库文件",
        "store_empty": "是空文件, 不是 fundtrack 数据库; 要把它建成数据库请用 fundtrack init",
        "store_uninitialised": "不是 fundtrack 数据库 (没有它的表); 新建请用 fundtrack init",
        "store_damaged": "数据库已损坏 ({detail}); 请运行 fundtrack check 查看, 并从备份恢复",
        "store_newer": "数据库结构版本 {have} 比本程序 (版本 {know}) 新; 请升级 fundtrack 后再写入",
        "store_read_only": "数据库是只读的 ({detail}); 可以查看, 不能写入",
        "store_locked": "数据库被另一个程序锁住 (已等 {seconds} 秒); 请稍后再试, 什么也没写",
        "disk_full": "磁盘已满; 什么也没写",
        "store_refused": "数据库服务器拒绝连接: {detail}",
        "store_gone": "与数据库服务器的连接断了: {detail}; 未完成的一步什么也没写",
        "check_not_database": "不是 SQLite 数据库 ({detail})",
        "check_integrity": "SQLite 完整性检查: {detail}",
        "check_failed": "无法检查: {detail}",
        "check_missing_table": "缺少表 {table}",
        "check_missing_column": "缺少列 {column}",
        "check_column_type": "列 {column} 的类型是 {got}, 与本程序不符",
        "check_not_integer": "{column} 应为整数, 实为 {value}",
        "check_not_date": "{column} 应为日期, 实为 {value}",
        "check_not_flag": "{column} 应为 0 或 1, 实为 {value}",
        "check_link_missing": "{column} 指向 {target}:{id}, 该记录不存在",
        "check_link_voided": "有效记录的 {column} 指向已作废的 {target}:{id}",
        "check_cycle": "上级项目绕成了圈: {path}",
        "check_newer": "数据库结构版本 {have} 比本程序 (版本 {know}) 新",
        "check_joint_no_members": "共同承诺没有出资方",
        "check_no_funder": "承诺没有出资方",
        "check_negative": "金额为负数",
        "check_enterprise_kind": "企业对应的出资方类型不是 enterprise",
        # backup and restore
        "backup_no_folder": "文件夹 {folder} 不存在",
        "backup_is_folder": "这是文件夹; 请给出文件名, 如 fundtrack-备份.db",
        "backup_no_database": "这里没有数据库, 没有可备份的内容",
        "backup_not_a_file": "不是文件",
        "backup_not_sqlite": "不是 SQLite 数据库文件",
        "backup_not_pg_dump": "不是 pg_dump 备份文件(自定义格式)",
        "backup_unreadable": "无法读取: {message}",
        "backup_damaged": "已损坏: {message}",
        "backup_not_fundtrack": "不是 fundtrack 的数据库",
        "backup_newer_schema": "由更新版本的 fundtrack 生成(结构版本 {version}, 本程序最高认识 {newest})",
        "backup_no_pg_dump": "PostgreSQL 的备份需要 pg_dump 和 pg_restore; 请安装 postgresql-client",
        "backup_tool_failed": "{tool} 失败: {message}",
        "restore_in_use": "数据库正被其他程序使用; 请先关闭它再恢复, 什么都没有替换",
        # names and text (ledger/names.py)
        "forbidden_char": "第 {position} 个字符 {char} 是控制字符、双向控制符或零宽字符, 不能出现在这里",
        "name_spaces": "名称的开头或结尾不能有空格",
        # the household register and levy roll (households)
        "noun.household": "农户",
        "exempt_reason_not_exempt": "写了免缴原因, 但 exempt 不是 true",
        "household_not_in_register": "该村有户籍花名册, 其中没有户号“{name}”{hint}",
        "household_exempt_paid": "户号“{name}”是免缴户, 不应有缴款",
        "household_too_many_people": "一户 {got} 人不可能, 最多 {limit} 人",
    },
    "en": {
        "did_you_mean": ' (did you mean "{name}"?)',
        "noun.settlement": "settlement",
        "noun.funder": "funder",
        "noun.enterprise": "enterprise",
        "noun.project": "project",
        "expected_text": "expected text, got {got}",
        "empty": "must not be empty",
        "expected_count": "expected a whole number, got {got}",
        "expected_flag": "expected true or false, got {got}",
        "negative_count": "must not be negative, got {got}",
        "below_one": "must be at least 1",
        "expected_date": "expected a date like 2024-08-31, got {got}",
        "expected_date_quoted": "expected a date like 2024-08-31, got {got} (write it without quotes)",
        "expected_names": "expected a list of names, got {got}",
        "name_twice": "lists a name twice",
        "not_one_of": "{value!r} is not one of {choices}{hint}",
        "bad_unit": "{got} is not 元 or 万元",
        "not_a_number": "{value!r} is not a number",
        "negative_amount": "{value!r} is negative; correct a wrong entry by voiding it",
        "finer_than_fen": "{value!r} is more precise than a fen (0.01元)",
        "unknown_unit": "unknown unit {unit!r}; use 元 or 万元",
        "not_an_amount": "{got} is not an amount",
        "float_amount": "{value!r} is a binary float; write the amount as a string",
        "amount_like": "{value!r} is not an amount like 2914.25万, 400余万 or 600,000元",
        "expected_table": "expected a table, got {got}",
        "unknown_key": "unknown key{hint}",
        "unknown_top_key": "unknown top-level key{hint}",
        "required": "is required",
        "village_required": "is required ([village] with a name)",
        "format_named": 'is "{value}"; this fundtrack reads {expected!r}',
        "format_other": "is {got}; this fundtrack reads {expected!r}",
        "not_array": "must be an array of tables ([[{table}]])",
        "toml_syntax": "{message}",
        "not_utf8": "is not UTF-8 text",
        "os_error": "{message}",
        # private data and files
        "not_regular_file": "not a regular file (a pipe, a device or a folder cannot be imported)",
        "defined_twice": '{label} "{name}" is defined twice in this file',
        "already_defined": 'the village already has a {label} "{name}"',
        "bad_code": '"{code}" may hold only a-z, 0-9 and -',
        "own_parent": "a project cannot be its own parent",
        "end_before_start": "{end} is before start {start}",
        "own_ancestor": '"{code}" is its own ancestor',
        "unknown_name": 'no {label} named "{name}"{hint}',
        "voided": '{label} "{name}" has been voided',
        "one_funder": "give exactly one of funder or funders",
        "joint_too_few": "a joint pledge names at least two funders; use funder for one",
        "joint_kinds": "joint funders must be of one kind, not {kinds}",
        "cash_needs_amount": "a cash pledge needs an amount",
        "levy_funder_kind": '"{name}" is of kind {kind}; a levy is paid by a villagers funder',
        "enterprise_funder_kind": '"{name}" is also a funder of kind {kind}; an enterprise is a funder of kind enterprise',
        "end_not_after_start": "{end} is not after start {start}",
        "managers_over_workers": "{management} managers is more than local_workers {workers} (which includes them)",
        "village_conflict": "the database has {stored!r} for this village, the file {given!r}",
        # numbers that do not fit (the limits of data-format.md, Amounts)
        "noun.budgets": "budgets",
        "noun.pledged": "pledged (levies included)",
        "noun.received": "received",
        "noun.spent": "spent",
        "amount_too_large": "{value!r} is more than one amount may be (10^13 yuan, 10万亿元)",
        "count_too_large": "{got} is more than the limit of {limit}",
        "number_too_long": "a number with more digits than any amount or count may have",
        "levy_too_large": (
            "{per_household} per household × {households} households is more than one amount may be (10^13 yuan)"
        ),
        "village_total_too_large": "the village's {label} would come to {total}, over the limit of 10^14 yuan (100万亿元)",
        "changed_meanwhile": "someone else changed this record since you opened it; open it again",
        # races, the write lock, undo and corrections
        "import_raced": "the database changed while this file was imported; nothing was written: import it again",
        "json_syntax": "not valid JSON: {message}",
        "form_date": "expected a date like 2024-08-31",
        "form_count": "expected a whole number",
        "form_no_such_date": "there is no such day: {date}",
        "record_voided": "this record is voided already: it can be neither corrected nor voided again; refresh the list",
        "form_partly_masked": "the hidden part (*) cannot be kept piecemeal: leave the value as it is or type all of it",
        "toml_too_deep": "brackets or braces nested too deep (a fundtrack/1 file nests a few levels at most)",
        "unknown_setting": "unknown setting",
        "not_whole_number": "{value!r} is not a whole number",
        "setting_text": "expected text",
        "setting_names": "expected a table of {{zh = ..., en = ...}} names",
        "fixed_funder_kinds": "funder kinds are fixed by the data format; only their names can change",
        "fixed_category": "a category of the data format cannot be removed",
        # the store: absent, damaged, newer, read-only, locked, full, unreachable; and what `check` finds
        "store_missing": "no database here; `fundtrack init` creates one (is the --db path mistyped?)",
        "store_not_file": "is a folder or a special file, not a database file",
        "store_empty": "is an empty file, not a fundtrack database; `fundtrack init` makes it one",
        "store_uninitialised": "is not a fundtrack database (none of its tables); `fundtrack init` makes one",
        "store_damaged": "the database is damaged ({detail}); run `fundtrack check` and restore a backup",
        "store_newer": "the database has schema {have}, newer than this fundtrack's ({know}); "
        "upgrade fundtrack to write to it",
        "store_read_only": "the database is read-only ({detail}); reading works, writing does not",
        "store_locked": "the database is locked by another program (waited {seconds} s); "
        "try again later, nothing was written",
        "disk_full": "disk full; nothing was written",
        "store_refused": "the database server refused the connection: {detail}",
        "store_gone": "the database server went away: {detail}; nothing of the unfinished step was written",
        "check_not_database": "not a SQLite database ({detail})",
        "check_integrity": "SQLite integrity check: {detail}",
        "check_failed": "could not be checked: {detail}",
        "check_missing_table": "table {table} is missing",
        "check_missing_column": "column {column} is missing",
        "check_column_type": "column {column} is of type {got}, not what this fundtrack keeps there",
        "check_not_integer": "{column} holds {value}, not a whole number",
        "check_not_date": "{column} holds {value}, not a date",
        "check_not_flag": "{column} holds {value}, not 0 or 1",
        "check_link_missing": "{column} links to {target}:{id}, which does not exist",
        "check_link_voided": "an active record whose {column} links to the voided {target}:{id}",
        "check_cycle": "project parents form a cycle: {path}",
        "check_newer": "schema {have} is newer than this fundtrack's ({know})",
        "check_joint_no_members": "a joint pledge without members",
        "check_no_funder": "a pledge without a funder",
        "check_negative": "a negative amount",
        "check_enterprise_kind": "its funder is not of kind enterprise",
        # backup and restore
        "backup_no_folder": "folder {folder} does not exist",
        "backup_is_folder": "is a folder; name a file, e.g. fundtrack-backup.db",
        "backup_no_database": "no database here, nothing to back up",
        "backup_not_a_file": "not a file",
        "backup_not_sqlite": "not a SQLite database file",
        "backup_not_pg_dump": "not a pg_dump backup file (custom format)",
        "backup_unreadable": "cannot be read: {message}",
        "backup_damaged": "damaged: {message}",
        "backup_not_fundtrack": "not a fundtrack database",
        "backup_newer_schema": "made by a newer fundtrack (schema {version}; this program knows up to {newest})",
        "backup_no_pg_dump": "a PostgreSQL backup needs pg_dump and pg_restore: install postgresql-client",
        "backup_tool_failed": "{tool} failed: {message}",
        "restore_in_use": "the database is open in another program; close it and try again (nothing replaced)",
        # names and text (ledger/names.py)
        "forbidden_char": "character {position} is {char}, a control, bidirectional or zero-width character, not allowed here",
        "name_spaces": "a name must not start or end with a space",
        # the household register and levy roll (households)
        "noun.household": "household",
        "exempt_reason_not_exempt": "an exemption reason is given but exempt is not true",
        "household_not_in_register": 'the village has a household register with no household "{name}"{hint}',
        "household_exempt_paid": 'household "{name}" is exempt and owes no levy payment',
        "household_too_many_people": "{got} people cannot be one household (at most {limit})",
    },
}


def problem_text(language: str, code: str, params: Mapping[str, object]) -> str:
    """The words of problem `code` with `params` in `language` (en when the language has no catalog)."""
    entries = PROBLEMS.get(language, PROBLEMS["en"])
    words = dict(params)
    if "label" in words:
        words["label"] = entries[f"noun.{words['label']}"]
    if "hint" in words:
        words["hint"] = entries["did_you_mean"].format(name=words["hint"]) if words["hint"] else ""
    return entries[code].format(**words)


class CodedError(ValueError):
    """A value that does not fit, as a problem code with parameters; `str()` is its English words."""

    def __init__(self, code: str, **params: object):
        super().__init__(problem_text("en", code, params))
        self.code = code
        self.params = params

    def text(self, language: str) -> str:
        """The message in `language`."""
        return problem_text(language, self.code, self.params)
