"""Textual's own words (widget keys, the help panel, the command palette) in the app's language."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual.binding import ActiveBinding

from fundtrack.tui.strings import t

if TYPE_CHECKING:
    from textual.screen import Screen

# The descriptions Textual 8 gives the keys of its widgets, screens and app, and the titles of their
# groups in the help panel. English stays as Textual wrote it.
ZH: dict[str, str] = {
    # DataTable, ListView, OptionList, Tree
    "Cursor up": "上移",
    "Cursor down": "下移",
    "Cursor left": "左移",
    "Cursor right": "右移",
    "Cursor Up": "上移",
    "Cursor Down": "下移",
    "Up": "上移",
    "Down": "下移",
    "Home": "行首",
    "End": "行尾",
    "Top": "到顶",
    "Bottom": "到底",
    "First": "第一项",
    "Last": "最后一项",
    "Page up": "上翻一屏",
    "Page down": "下翻一屏",
    "Page Up": "上翻一屏",
    "Page Down": "下翻一屏",
    "Page Left": "左翻一屏",
    "Page Right": "右翻一屏",
    "Select": "选中",
    "Toggle": "切换",
    "Toggle option": "选中/取消",
    "Next option": "下一项",
    "Previous option": "上一项",
    "Show menu": "展开选项",
    "Press button": "按下按钮",
    "Next tab": "下一页签",
    "Previous tab": "上一页签",
    # scrolling containers
    "Scroll Up": "向上滚动",
    "Scroll Down": "向下滚动",
    "Scroll Left": "向左滚动",
    "Scroll Right": "向右滚动",
    "Scroll Home": "滚到顶",
    "Scroll End": "滚到底",
    # screens and the app
    "Focus Next": "下一个输入项",
    "Focus Previous": "上一个输入项",
    "Copy selected text": "复制选中的文字",
    "Quit": "退出",
    "Quit the app and return to the command prompt.": "退出程序, 回到命令行",
    "palette": "命令",
    "Open the command palette": "打开命令面板",
    # Input
    "Input": "输入框",
    "Move cursor left": "光标左移",
    "Move cursor right": "光标右移",
    "Move cursor left and select": "向左选择",
    "Move cursor right and select": "向右选择",
    "Move cursor left a word": "光标左移一个词",
    "Move cursor right a word": "光标右移一个词",
    "Move cursor left a word and select": "向左选择一个词",
    "Move cursor right a word and select": "向右选择一个词",
    "Move cursor right or accept the completion suggestion": "光标右移或接受提示",
    "Go to start": "到开头",
    "Go to end": "到末尾",
    "Select line start": "选择到开头",
    "Select line end": "选择到末尾",
    "Select all": "全选",
    "Delete character left": "删除左边一个字",
    "Delete character right": "删除右边一个字",
    "Delete left to start of word": "删除左边一个词",
    "Delete right to start of word": "删除右边一个词",
    "Delete all to the left": "删除左边全部",
    "Delete all to the right": "删除右边全部",
    "Cut selected text": "剪切选中的文字",
    "Paste text from the clipboard": "粘贴",
    "Submit": "确定",
    # TextArea
    "Copy": "复制",
    "Cut": "剪切",
    "Paste": "粘贴",
    "Undo": "撤销",
    "Redo": "重做",
    "Delete line": "删除整行",
    "Delete to line start": "删除到行首",
    "Delete to line end": "删除到行尾",
    "Select line": "选择整行",
    "Cursor line start": "到行首",
    "Cursor line end": "到行尾",
    "Cursor page up": "上翻一屏",
    "Cursor page down": "下翻一屏",
    "Cursor word left": "左移一个词",
    "Cursor word right": "右移一个词",
    "Cursor up select": "向上选择",
    "Cursor down select": "向下选择",
    "Cursor left select": "向左选择",
    "Cursor right select": "向右选择",
    "Cursor left word select": "向左选择一个词",
    "Cursor right word select": "向右选择一个词",
    "Collapsible": "折叠区",
    "Toggle collapsible": "展开/收起",
    "Open link": "打开链接",
    # the command palette
    "Exit the command palette": "关闭命令面板",
    "Next command": "下一条命令",
    "Previous command": "上一条命令",
    "Next page": "下一页",
    "Previous page": "上一页",
    "Go to top": "到顶",
    "Go to bottom": "到底",
}


def word(language: str, text: str) -> str:
    """A key description in `language`: our catalog keys ("key.…"), then Textual's own words."""
    if text.startswith("key."):
        return t(language, text)
    if language == "zh":
        return ZH.get(text, text)
    return text


class LocalizedBindings:
    """For a screen: every key it offers (its own, its widgets', Textual's) is described in the app's
    language, in the footer and in the help panel alike (both read `active_bindings`)."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        screen: Screen = self  # type: ignore[assignment]
        language = getattr(screen.app, "language", "en")
        bindings = super().active_bindings  # type: ignore[misc]
        out = {}
        for key, (node, binding, enabled, tooltip) in bindings.items():
            group = type(node).BINDING_GROUP_TITLE
            if group:  # the help panel heads a widget's keys with it
                node.BINDING_GROUP_TITLE = word(language, group)
            described = replace(
                binding,
                description=word(language, binding.description),
                tooltip=word(language, binding.tooltip) if binding.tooltip else binding.tooltip,
            )
            out[key] = ActiveBinding(node, described, enabled, word(language, tooltip) if tooltip else tooltip)
        return out
