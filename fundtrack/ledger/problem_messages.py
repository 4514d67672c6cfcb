"""The problem catalog: what is wrong with an input (a file, a form, the settings), as a code worded in zh and en."""

from __future__ import annotations

import re
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
        "not_one_of_named": "“{value}”不是可选值, 可选: {names} (或其代码 {choices}){hint}",
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
        "store_io": "读写数据库文件时出错 (磁盘或存储卡可能坏了); 请运行 fundtrack check 查看, 必要时从备份恢复",
        "store_cannot_open": "打不开数据库文件 (没有权限, 或它所在的文件夹不能读写); 什么也没改",
        "store_unopenable": "打不开数据库 ({detail}); 什么也没改",
        "store_wal_unreadable": "数据库是只读的, 最近的修改还在 {wal} 里, 只读时读不到; "
        "请让数据库所在的文件夹可写后再试 (否则看到的是旧数字); 什么也没改",
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
        # spreadsheets in (io/sheets)
        "sheet_old_format": "是 {suffix} 格式, 请在 Excel 或 WPS 中另存为 .xlsx 再导入",
        "not_a_workbook": "不是 Excel 工作簿 (.xlsx), 读不出来; 文件可能已损坏或只是改了扩展名",
        "workbook_bomb": "解压后大得异常 ({part}), 不像正常的表格, 拒绝读取",
        "sheet_too_large": "行数超过 {limit}, 表格过大; 请分成几个文件",
        "not_csv_text": "不是 UTF-8 或 GB18030 编码的 CSV 文本",
        "sheet_nothing": "没有认出任何表: 工作表名或表头应写明是项目、出资方、到位等; 或用 --mapping 指定",
        "sheet_no_village": "不知道是哪个村: 请用 --village 指定, 或加一张“村”工作表",
        "sheet_no_header": "工作表“{sheet}”中找不到表头行 (至少两列是已知的列名); 请用 --mapping 指定 header_row",
        "header_unknown": "表头“{header}”不是已知的列名{hint}",
        "header_twice": "表头“{header}”与前面一列是同一项",
        "header_merged": "这一列有数据却没有表头 (表头单元格合并了?); 请每列写一个表头",
        "formula_cell": "是公式; 请填数值 (可复制后“选择性粘贴 - 数值”)",
        # a county's database: users and rights (storage/security.py)
        "store_denied": "没有这个权限, 什么也没写: 村委会用户只能改自己村的记录, 审计用户什么也不能改",
        "undo_not_yours": "最近一次修改是 {operator} 做的; 只能撤销自己的修改 (管理员可以撤销任何人的), 什么也没撤销",
        "admin_sqlite": "用户和权限只在 PostgreSQL 数据库里才有; SQLite 文件谁能打开谁就能读写",
        "admin_no_village": "数据库里没有叫“{village}”的村",
        "admin_bad_name": "“{name}”不能用作用户名",
        "admin_committee_villages": "村委会用户要用 --village 指明它的村",
        "admin_no_villages_for_admin": "管理员能管所有村, 不用 --village",
        "admin_no_user": "“{name}”不是 fundtrack 的用户",
        "admin_no_password": "密码文件 {file} 是空的",
        "admin_only": "只有管理员能管理用户; 什么也没改",
        # forms: warnings a second ctrl+s saves anyway (io/records.warnings_of)
        "form_future_date": "{date} 在今天 ({today}) 之后: 到那天之前不计入任何合计; 是不是年份写错了?",
        "form_levy_without_household": "群众集资款: 请写明是哪一户交的, 集资名单才算得上",
        "form_household_not_levy": "“{funder}”这笔不是群众集资款, 不用写户",
        # the household register and levy roll (households)
        "noun.household": "农户",
        "noun.hire": "用工",
        "exempt_reason_not_exempt": "写了免缴原因, 但 exempt 不是 true",
        "household_not_in_register": "该村有户籍花名册, 其中没有户号“{name}”{hint}",
        "household_exempt_paid": "户号“{name}”是免缴户, 不应有缴款",
        "household_too_many_people": "一户 {got} 人不可能, 最多 {limit} 人",
        "register_misses_household": "已有收款记录写的农户“{household}”不在这份户籍花名册里, 请补上这一户",
        # a county's database: users and their passwords
        "store_read_denied": "这个用户没有读这些记录的权限 (请管理员用 fundtrack admin add-user 给它角色和村); 什么也没改",
        "admin_new_user_no_password": "{name} 是新用户, 要给它密码 (在终端上运行, 或用 --password-file); 什么也没改",
        # spreadsheet fixes (io/sheets): error values, text in another encoding
        "error_cell": "是错误值 {value}; 请改成数值或文字 (或清空) 再导入",
        "csv_big5": "看起来是 Big5 编码，请另存为 UTF-8 再导入",
        "mapping_header_row": "应为表头所在的行号 (正整数), 实为 {got}",
        "mapping_header_past": "第 {row} 行超出了这张工作表 (它只到第 {rows} 行)",
        "mapping_no_sheet": "文件中没有这张工作表 (有: {names})",
        "receipt_duplicate": "第 {row} 行与已有记录相同 (项目、出资方、金额、日期、凭证号都一样); 是不是导入过了?",
        "stored_differs": "{label}“{name}”已有, {differs}; 请在软件里修改",
        "all_stored": "这个文件的记录该村都已有 (或名称已有); 只导入新增的记录请加 --new-only",
        "dated_later": "其中 {n} 笔到位或支出的日期在今天 ({today}) 之后: 已导入, 但到那天之前不计入任何合计",
        "twice_stored": "这个文件的 {n} 条记录该村都已有, 又导入了一遍 (每笔都算了两次); 若是重复导入, 请用 fundtrack undo 撤销, 再加 --new-only 导入",
        "some_stored": "其中 {n} 条与该村已有的记录完全相同, 也导入了; 若是重复导入, 请用 fundtrack undo 撤销, 再加 --new-only 导入",
        "names_stored": "文件中有该村已有的名称; 若是在上次导入的文件上增补, 请加 --new-only (完全相同的记录跳过, 只导入新增的)",
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
        "not_one_of_named": "{value!r} is not one of {choices} (or in Chinese: {names}){hint}",
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
        "store_io": "the database file could not be read or written (the disk or memory card may be failing); "
        "run `fundtrack check` and restore a backup if need be",
        "store_cannot_open": "cannot open the database file (no permission, or its folder cannot be read or "
        "written); nothing was changed",
        "store_unopenable": "cannot open the database ({detail}); nothing was changed",
        "store_wal_unreadable": "the database is read-only and its latest changes are still in {wal}, which "
        "cannot be read so; make the database's folder writable and try again (else the figures would be old "
        "ones); nothing was changed",
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
        # spreadsheets in (io/sheets)
        "sheet_old_format": "is a {suffix} file; save it as .xlsx in Excel or WPS and import that",
        "not_a_workbook": "is not an Excel workbook (.xlsx) that can be read; it may be damaged or only renamed",
        "workbook_bomb": "unpacks to an abnormal size ({part}); not read",
        "sheet_too_large": "has more than {limit} rows; split it into several files",
        "not_csv_text": "is not CSV text in UTF-8 or GB18030",
        "sheet_nothing": "no table recognised: sheet names or headers should say projects, funders, receipts...; or use --mapping",
        "sheet_no_village": "which village? give --village, or add a village sheet",
        "sheet_no_header": 'no header row found in sheet "{sheet}" (a row naming at least two keys); give header_row in --mapping',
        "header_unknown": 'the header "{header}" names no key{hint}',
        "header_twice": 'the header "{header}" names the same key as a column before it',
        "header_merged": "this column holds data but has no header (merged header cells?); give each column a header",
        "formula_cell": "is a formula; type the value instead (copy, then paste values)",
        # a county's database: users and rights (storage/security.py)
        "store_denied": "not allowed, nothing was written: a committee user changes only its own villages' "
        "records, an auditor nothing",
        "undo_not_yours": "the newest change was made by {operator}; you can undo only your own changes "
        "(an admin can undo anyone's), nothing was undone",
        "admin_sqlite": "users and rights exist only in a PostgreSQL database; whoever can open a SQLite file "
        "can read and write it",
        "admin_no_village": 'no village named "{village}" in the database',
        "admin_bad_name": '"{name}" cannot be a user name',
        "admin_committee_villages": "a committee user needs its villages: give --village",
        "admin_no_villages_for_admin": "an admin has every village; --village is not for admins",
        "admin_no_user": '"{name}" is not a fundtrack user',
        "admin_no_password": "the password file {file} is empty",
        "admin_only": "only an admin manages users; nothing was changed",
        # forms: warnings a second ctrl+s saves anyway (io/records.warnings_of)
        "form_future_date": "{date} is after today ({today}): no total counts it until then; is the year right?",
        "form_levy_without_household": "this is a levy payment: say which household paid (else the levy roll cannot count it)",
        "form_household_not_levy": "this receipt from {funder} is not a levy payment: it needs no household",
        # the household register and levy roll (households)
        "noun.household": "household",
        "noun.hire": "hire",
        "exempt_reason_not_exempt": "an exemption reason is given but exempt is not true",
        "household_not_in_register": 'the village has a household register with no household "{name}"{hint}',
        "household_exempt_paid": 'household "{name}" is exempt and owes no levy payment',
        "household_too_many_people": "{got} people cannot be one household (at most {limit})",
        "register_misses_household": 'receipts already stored name household "{household}", which this register lacks; add it',
        # a county's database: users and their passwords
        "store_read_denied": "this user may not read these records (an admin gives it a role and villages "
        "with fundtrack admin add-user); nothing was changed",
        "admin_new_user_no_password": "{name} is a new user and needs a password (run on a terminal, or give "
        "--password-file); nothing was changed",
        # spreadsheet fixes (io/sheets): error values, text in another encoding
        "error_cell": "is an error value {value}; type a value or text (or clear it) and import again",
        "csv_big5": "looks like Big5 text; save it as UTF-8 and import again",
        "mapping_header_row": "expected the header's row number (a positive integer), got {got}",
        "mapping_header_past": "row {row} is past the end of this sheet (its last row is {rows})",
        "mapping_no_sheet": "the file has no such sheet (it has: {names})",
        "receipt_duplicate": "row {row} is the same as a stored receipt (project, funder, amount, date, voucher); imported before?",
        "stored_differs": '{label} "{name}" is stored already, {differs}; correct it in the app',
        "all_stored": "the village has every record of this file already (or its name); add --new-only to import only new records",
        "dated_later": "{n} receipts or expenses are dated after today ({today}): imported, but in no total before that day",
        "twice_stored": "the village had all {n} records of this file already, and they were imported again (every sum "
        "counts twice); if this was a second import, run fundtrack undo and import again with --new-only",
        "some_stored": "{n} of them equal records the village already has, and were imported too; if this was a second "
        "import, run fundtrack undo and import again with --new-only",
        "names_stored": "the file holds names the village already has; if it is the last imported file grown, add --new-only "
        "(equal records are skipped, only new ones imported)",
    },
}


# What SQLite (and fundtrack's look at a file) say of a damaged store, in English: in Chinese, by the
# whole text or by a pattern; a text not known here is shown as it is.
DETAILS_ZH: dict[str, str] = {
    "database disk image is malformed": "文件内容已损坏",
    "file is not a database": "不是数据库文件",
    "not a SQLite file": "不是 SQLite 文件",
    "it does not start as a SQLite file does": "文件开头不是 SQLite 文件的样子",
    "an empty file": "空文件",
    "the database cannot be opened": "数据库打不开",
    "disk I/O error": "磁盘读写出错",
    "unable to open database file": "打不开数据库文件",
    "attempt to write a readonly database": "不能写入只读的数据库",
    "database is locked": "数据库被锁住",
}
DETAIL_PATTERNS_ZH: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"the file is cut short: (\d+) bytes of (\d+)"), r"文件被截短了: 只有 \1 字节, 应有 \2 字节"),
    (re.compile(r"row (\d+) missing from index (\S+)"), r"索引 \2 缺少第 \1 行"),
    (re.compile(r"\*\*\* in database main \*\*\*"), "主数据库中"),
)


def detail_words(language: str, detail: str) -> str:
    """A detail SQLite gave in English, in `language` where it is known."""
    if language != "zh":
        return detail
    if detail in DETAILS_ZH:
        return DETAILS_ZH[detail]
    for pattern, words in DETAIL_PATTERNS_ZH:
        if pattern.fullmatch(detail):
            return pattern.sub(words, detail)
    return detail


def problem_text(language: str, code: str, params: Mapping[str, object]) -> str:
    """The words of problem `code` with `params` in `language` (en when the language has no catalog)."""
    entries = PROBLEMS.get(language, PROBLEMS["en"])
    words = dict(params)
    for key, value in params.items():  # a parameter worded per language (io/newonly.py: the keys that differ)
        if isinstance(value, Mapping):
            words[key] = value.get(language, value.get("en"))
    if isinstance(words.get("detail"), str):
        words["detail"] = detail_words(language, str(words["detail"]))
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
