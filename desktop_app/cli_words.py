"""The command line's own words in Chinese: argparse's usage, help and error lines.

argparse looks its messages up through the module-level names `_` and `ngettext`
(gettext) each time it prints one, so giving those names a Chinese table is enough;
no argparse class is copied or subclassed. Messages for a programmer's mistakes in
building the parser stay English: a user never sees them.
"""
from __future__ import annotations

import argparse

# argparse's message → what a bureau's support staff reads
WORDS = {
    "usage: ": "用法：",
    "positional arguments": "子命令与参数",
    "options": "选项",
    "show this help message and exit": "显示本说明后退出",
    "show program's version number and exit": "显示程序版本后退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：%(message)s\n（加 -h 可查看用法）\n",
    "the following arguments are required: %s": "缺少必填的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "没有“%(value)s”这一项，可选：%(choices)s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid %(type)s value: %(value)r": "“%(value)s”不是有效的值",
    "expected one argument": "后面需要跟一个值",
    "expected at most one argument": "后面最多跟一个值",
    "expected at least one argument": "后面至少需要跟一个值",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "参数 %s 中必须给出一个",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "ignored explicit argument %r": "参数 %r 不需要值",
}
PLURALS = {
    "expected %s argument": "后面需要跟 %s 个值",
}


def _translate(message: str) -> str:
    return WORDS.get(message, message)


def _translate_plural(singular: str, plural: str, n: int) -> str:
    if singular in PLURALS:
        return PLURALS[singular]
    return singular if n == 1 else plural


def install() -> None:
    """Make argparse speak Chinese in this process (idempotent)."""
    argparse._ = _translate  # type: ignore[attr-defined]
    argparse.ngettext = _translate_plural  # type: ignore[attr-defined]
