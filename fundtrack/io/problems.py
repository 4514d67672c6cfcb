"""One-line problems with bad input, `FILE:LINE: where: what`, and the "did you mean" hint."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """Something wrong in an input file, located for the person who has to fix it."""

    file: str
    """The file as the user named it."""
    line: int
    """1-based line where the offending table (or key) starts; 0 when unknown."""
    where: str
    """The table, its index and the key, e.g. `pledges[3].funder`."""
    what: str
    """What is wrong, in words."""

    def __str__(self) -> str:
        line = f"{self.line}:" if self.line else ""
        return f"{self.file}:{line} {self.where}: {self.what}"


class InputError(Exception):
    """Raised by whole-input operations (import) with every problem found."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """` (did you mean "X"?)` for the closest candidate, or an empty string."""
    pool = list(candidates)
    close = difflib.get_close_matches(name, pool, n=1, cutoff=0.5)
    if not close:
        # Short names typed as a prefix of a longer one ("打厂沟" for "打厂沟煤矿").
        close = [c for c in pool if name and (c.startswith(name) or name.startswith(c))][:1]
    return f' (did you mean "{close[0]}"?)' if close else ""


# The Chinese wording of every problem message, matched on the English one that the checks
# write (one table, next to the messages' shapes, so a new message is one more line here).
_NAMES_ZH = {"settlement": "自然村", "funder": "出资方", "enterprise": "企业", "project": "项目"}


def _hint(m: re.Match[str], group: int) -> str:
    return f"(是不是“{m[group]}”?)" if m[group] else ""


_ZH: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(p), f)
    for p, f in [
        (r"^expected text, got (.+)$", lambda m: f"应为文字, 实为 {m[1]}"),
        (r"^must not be empty$", lambda m: "不能为空"),
        (r"^expected a whole number(?:, got (.+))?$", lambda m: "应为整数" + (f", 实为 {m[1]}" if m[1] else "")),
        (r"^must not be negative, got (.+)$", lambda m: f"不能为负数, 实为 {m[1]}"),
        (r"^must be at least 1$", lambda m: "至少为 1"),
        (
            r"^expected a date like 2024-08-31(?:, got (.+?))?( \(write it without quotes\))?$",
            lambda m: (
                "应为日期, 如 2024-08-31" + (f", 实为 {m[1]}" if m[1] else "") + ("(日期不加引号)" if m[2] else "")
            ),
        ),
        (r"^expected a list of names, got (.+)$", lambda m: f"应为名称列表, 实为 {m[1]}"),
        (r"^lists a name twice$", lambda m: "同一名称列了两次"),
        (
            r"^'(.+)' is not one of (.+?)(?: \(did you mean \"(.+)\"\?\))?$",
            lambda m: f"“{m[1]}”不是可选值 ({m[2]})" + _hint(m, 3),
        ),
        (r"^expected a table, got (.+)$", lambda m: f"应为表, 实为 {m[1]}"),
        (r"^unknown key(?: \(did you mean \"(.+)\"\?\))?$", lambda m: "未知的键" + _hint(m, 1)),
        (r"^unknown top-level key(?: \(did you mean \"(.+)\"\?\))?$", lambda m: "未知的顶层键" + _hint(m, 1)),
        (r"^is required \(\[village\] with a name\)$", lambda m: "必填 (写 [village] 并给出 name)"),
        (r"^is required$", lambda m: "必填"),
        (r'^is "(.+)"; this fundtrack reads (.+)$', lambda m: f"是“{m[1]}”, 本程序读取 {m[2]}"),
        (r"^must be an array of tables \(\[\[(.+)\]\]\)$", lambda m: f"应写成表数组 ([[{m[1]}]])"),
        (
            r'^(settlement|funder|enterprise|project) "(.+)" is defined twice in this file$',
            lambda m: f"此文件中{_NAMES_ZH[m[1]]}“{m[2]}”定义了两次",
        ),
        (
            r'^the village already has a (settlement|funder|enterprise|project) "(.+)"$',
            lambda m: f"该村已有{_NAMES_ZH[m[1]]}“{m[2]}”",
        ),
        (r'^"(.+)" may hold only a-z, 0-9 and -$', lambda m: f"“{m[1]}”只能包含小写字母、数字和 -"),
        (r"^a project cannot be its own parent$", lambda m: "项目不能是自己的上级项目"),
        (r"^(\S+) is before start (\S+)$", lambda m: f"{m[1]} 早于开始日期 {m[2]}"),
        (r'^"(.+)" is its own ancestor$', lambda m: f"“{m[1]}”的上级项目绕回到了自己"),
        (
            r'^no (settlement|funder|enterprise|project) named "(.+?)"(?: \(did you mean "(.+)"\?\))?$',
            lambda m: f"没有名为“{m[2]}”的{_NAMES_ZH[m[1]]}" + _hint(m, 3),
        ),
        (
            r'^(settlement|funder|enterprise|project) "(.+)" has been voided$',
            lambda m: f"{_NAMES_ZH[m[1]]}“{m[2]}”已作废, 不能再引用",
        ),
        (r"^give exactly one of funder or funders$", lambda m: "funder 和 funders 只能写一个"),
        (
            r"^a joint pledge names at least two funders; use funder for one$",
            lambda m: "共同承诺至少要有两个出资方; 只有一个时用 funder",
        ),
        (r"^joint funders must be of one kind, not (.+)$", lambda m: f"共同出资方必须是同一类型, 现为 {m[1]}"),
        (r"^a cash pledge needs an amount$", lambda m: "现金承诺必须写金额"),
        (
            r'^"(.+)" is of kind (\w+); a levy is paid by a villagers funder$',
            lambda m: f"“{m[1]}”的类型是 {m[2]}; 群众自筹只能由群众 (villagers) 出资方缴纳",
        ),
        (
            r'^"(.+)" is also a funder of kind (\w+); an enterprise is a funder of kind enterprise$',
            lambda m: f"“{m[1]}”已是类型为 {m[2]} 的出资方; 企业只能是 enterprise 类出资方",
        ),
        (r"^(\S+) is not after start (\S+)$", lambda m: f"{m[1]} 不晚于开始日期 {m[2]}"),
        (
            r"^(\d+) managers is more than local_workers (\d+) \(which includes them\)$",
            lambda m: f"管理岗 {m[1]} 人多于本地职工 {m[2]} 人 (后者已含管理岗)",
        ),
        (r"^(.+) is not 元 or 万元$", lambda m: f"{m[1]} 不是 元 或 万元"),
        (r"^'(.+)' is more precise than a fen \(0\.01元\)$", lambda m: f"“{m[1]}”精确到了分以下"),
        (
            r"^'(.+)' is negative; correct a wrong entry by voiding it$",
            lambda m: f"“{m[1]}”是负数; 录错的记录请作废后重录",
        ),
        (r"^'(.+)' is not a number$", lambda m: f"“{m[1]}”不是数字"),
        (
            r"^(.+) is not an amount like 2914\.25万, 400余万 or 600,000元$",
            lambda m: f"{m[1]} 不是金额, 应写成 2914.25万、400余万 或 600,000元",
        ),
        (r"^(.+) is not an amount$", lambda m: f"{m[1]} 不是金额"),
        (r"^(.+) is a binary float; write the amount as a string$", lambda m: f"{m[1]} 是浮点数, 请把金额写成字符串"),
        (
            r"^someone else changed this record since you opened it; open it again$",
            lambda m: "打开之后别人修改了这条记录; 请重新打开再改",
        ),
        (
            r"^the database has (.+) for this village, the file (.+)$",
            lambda m: f"数据库中该村为 {m[1]}, 文件中为 {m[2]}",
        ),
        (r"^is not UTF-8 text$", lambda m: "不是 UTF-8 文本"),
    ]
]


def localize(what: str, language: str, where: str = "") -> str:
    """A problem's message in `language` (the checks write English; Chinese comes from the table above)."""
    if language != "zh":
        return what
    if where == "toml":
        return f"TOML 语法错误: {what}"
    for pattern, render in _ZH:
        m = pattern.match(what)
        if m:
            return render(m)
    return what


def show(problem: Problem, language: str) -> str:
    """`FILE:LINE: where: what` with the message in `language`."""
    line = f"{problem.line}:" if problem.line else ""
    return f"{problem.file}:{line} {problem.where}: {localize(problem.what, language, problem.where)}"
