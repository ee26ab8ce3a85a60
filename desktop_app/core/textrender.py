"""The one jinja2 environment for the book's fixed text.

Sandboxed, because program folders are data a user may receive from elsewhere;
StrictUndefined, because a missing value must stop the export with a message
rather than print the word "None" into a sealed book.
"""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any
from collections.abc import Mapping

if TYPE_CHECKING:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

# jinja2 is imported on first render, not with this module: the wizard's first page
# renders nothing, and the import is about 20 ms of every start.


class TemplateTextError(ValueError):
    """A program's fixed text could not be rendered; the message is for the user."""


#: The longest text or list a template may build with "*", and the largest power it may
#: raise to with "**": a book's fixed text is a few hundred characters, while
#: "{{ 'a' * 10**9 }}" in a program.yaml received from elsewhere would hang the program.
MAX_REPEAT = 100_000
MAX_EXPONENT = 64


@lru_cache(maxsize=1)
def environment() -> ImmutableSandboxedEnvironment:
    """The shared sandboxed environment (no autoescape: output is plain text)."""
    from jinja2 import StrictUndefined
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class BoundedSandboxedEnvironment(ImmutableSandboxedEnvironment):
        # Intercepted operators are also kept out of compile-time constant folding.
        intercepted_binops = frozenset(["*", "**"])

        def call_binop(self, context, operator, left, right):
            if operator == "**" and isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
                raise SecurityError(f"指数 {right} 过大（上限 {MAX_EXPONENT}）")
            if operator == "*":
                for seq, n in ((left, right), (right, left)):
                    if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_REPEAT:
                        raise SecurityError(f"重复生成的内容过长（上限 {MAX_REPEAT}）")
            return super().call_binop(context, operator, left, right)

    return BoundedSandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


@lru_cache(maxsize=512)
def _compile(source: str):
    return environment().from_string(source)


def render(source: str, context: Mapping[str, Any], where: str = "") -> str:
    """Render one template string; raise TemplateTextError naming `where`."""
    from jinja2 import TemplateError, UndefinedError
    from jinja2.exceptions import SecurityError

    try:
        return _compile(source).render(**context)
    except SecurityError as exc:
        # A program folder is data from elsewhere: reaching into Python's insides
        # (__class__, __globals__…) is refused by the sandbox and reported, never run.
        raise TemplateTextError(
            f"模板“{where}”试图访问程序内部的属性或生成过大的内容，已被拦截（{exc}）。这段文字来自申报计划文件"
            "（program.yaml），请删除其中以“_”开头的名称和过大的重复、乘方，或向提供者索取正确的文件。"
        ) from exc
    except UndefinedError as exc:
        raise TemplateTextError(f"模板“{where}”引用了不存在的字段：{exc.message}") from exc
    except TemplateError as exc:
        raise TemplateTextError(f"模板“{where}”有误：{exc}") from exc


def undeclared_fields(source: str) -> set[str]:
    """Names a template reads from its context (for checking program data)."""
    from jinja2 import meta

    return meta.find_undeclared_variables(environment().parse(source))
