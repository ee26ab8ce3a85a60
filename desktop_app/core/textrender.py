"""The one jinja2 environment for the book's fixed text.

Sandboxed, because program folders are data a user may receive from elsewhere;
StrictUndefined, because a missing value must stop the export with a message
rather than print the word "None" into a sealed book.
"""
from __future__ import annotations

import re
import threading
import time
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
#: The longest text one render may produce, or build on its way (concatenation, join,
#: replace, padding): a program folder is data, and a bomb must stop, not fill memory.
MAX_OUTPUT = 200_000
#: The widest padding, indent or field width (center, ljust, zfill, indent, "%9s", "{:>9}").
MAX_WIDTH = 1_000
#: Loop iterations and calls one render may make, and the time it may take.
MAX_STEPS = 200_000
MAX_SECONDS = 2.0

_budget = threading.local()


def _tick(n: int = 1) -> None:
    """Count work done by the render in progress; stop it when over MAX_STEPS or MAX_SECONDS."""
    from jinja2.exceptions import SecurityError

    steps = getattr(_budget, "steps", None)
    if steps is None:
        return  # outside render() (undeclared_fields and the like)
    _budget.steps = steps + n
    if _budget.steps > MAX_STEPS:
        raise SecurityError(f"循环或调用次数过多（上限 {MAX_STEPS}）")
    if _budget.steps % 256 < n and time.monotonic() > _budget.deadline:
        raise SecurityError(f"计算时间过长（上限 {MAX_SECONDS:g} 秒）")


def _too_long(n: int, what: str = "生成的内容") -> None:
    from jinja2.exceptions import SecurityError

    if n > MAX_OUTPUT:
        raise SecurityError(f"{what}过长（上限 {MAX_OUTPUT} 字）")


def _check_width(value: Any, what: str) -> None:
    from jinja2.exceptions import SecurityError

    if isinstance(value, bool):
        return
    if isinstance(value, int) and abs(value) > MAX_WIDTH:
        raise SecurityError(f"{what} 的宽度 {value} 过大（上限 {MAX_WIDTH}）")
    if isinstance(value, str) and len(value) > MAX_WIDTH:
        raise SecurityError(f"{what} 的内容过长（上限 {MAX_WIDTH}）")


_PRINTF = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def _check_printf(fmt: str) -> None:
    """Widths in a "%" format (the operator and the format filter) within MAX_WIDTH."""
    for width, precision in _PRINTF.findall(fmt):
        for number in (width, precision):
            if number == "*":
                from jinja2.exceptions import SecurityError

                raise SecurityError("格式中不允许用 * 指定宽度")
            if number:
                _check_width(int(number), "格式")


def _check_format(fmt: str) -> None:
    """Widths in a str.format string within MAX_WIDTH; no nested (computed) widths."""
    import string

    from jinja2.exceptions import SecurityError

    try:
        fields = list(string.Formatter().parse(fmt))
    except ValueError:
        return  # str.format itself reports it
    for _literal, _name, spec, _conversion in fields:
        if spec and "{" in spec:
            raise SecurityError("格式中不允许用 {} 指定宽度")
        for number in re.findall(r"\d+", spec or ""):
            _check_width(int(number), "格式")


#: str methods whose first argument is a width (the result is at least that long).
_WIDTH_METHODS = {"center", "ljust", "rjust", "zfill", "expandtabs"}


def _bounded_filters(filters: dict) -> dict:
    """The built-in filters that can build large text, each checked before it runs."""
    center, indent, fmt, replace, join, wordwrap, slice_ = (
        filters["center"], filters["indent"], filters["format"], filters["replace"], filters["join"],
        filters["wordwrap"], filters["slice"])

    def do_center(value, width=80):
        _check_width(width, "center")
        return center(value, width)

    def do_indent(s, width=4, first=False, blank=False):
        _check_width(width, "indent")
        text = str(s)
        pad = width if isinstance(width, int) else len(str(width))
        _too_long(len(text) + (text.count("\n") + 1) * pad)
        return indent(s, width, first, blank)

    def do_format(value, *args, **kwargs):
        _check_printf(str(value))
        return fmt(value, *args, **kwargs)

    def do_replace(eval_ctx, s, old, new, count=None):
        text, old_s, new_s = str(s), str(old), str(new)
        times = (len(text) + 1 if not old_s else text.count(old_s))
        if count is not None and count >= 0:
            times = min(times, count)
        _too_long(len(text) + times * max(0, len(new_s) - len(old_s)))
        return replace(eval_ctx, s, old, new, count)

    def do_join(eval_ctx, value, d="", attribute=None):
        items = []
        for item in value:
            _tick()
            items.append(item)
        _too_long(sum(len(str(i)) for i in items) + len(str(d)) * max(0, len(items) - 1))
        return join(eval_ctx, items, d, attribute)

    def do_wordwrap(environment, s, width=79, *args, **kwargs):
        _check_width(width, "wordwrap")
        return wordwrap(environment, s, width, *args, **kwargs)

    def do_slice(eval_ctx, value, slices, fill_with=None):
        _check_width(slices, "slice")
        return slice_(eval_ctx, value, slices, fill_with)

    import functools

    out = {}
    for name, new in (("center", do_center), ("indent", do_indent), ("format", do_format),
                      ("replace", do_replace), ("join", do_join), ("wordwrap", do_wordwrap),
                      ("slice", do_slice)):
        # keep the originals' pass_eval_context / pass_environment marks
        out[name] = functools.update_wrapper(new, filters[name], assigned=("jinja_pass_arg",), updated=())
    return out


def _steps(iterable):
    """Every {% for %} loop iterates through this (see _parse): its items count as work."""
    for item in iterable:
        _tick()
        yield item


def _concat(pieces):
    """The ~ operator, its result's length checked first."""
    texts = [str(p) for p in pieces]
    _too_long(sum(len(t) for t in texts))
    return "".join(texts)


@lru_cache(maxsize=1)
def environment() -> ImmutableSandboxedEnvironment:
    """The shared sandboxed environment (no autoescape: output is plain text)."""
    from jinja2 import StrictUndefined, nodes
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    def no_lipsum(*args, **kwargs):
        raise SecurityError("不允许使用 lipsum")

    class BoundedSandboxedEnvironment(ImmutableSandboxedEnvironment):
        # Intercepted operators are also kept out of compile-time constant folding.
        intercepted_binops = frozenset(["*", "**", "%", "+"])

        def call_binop(self, context, operator, left, right):
            if operator == "**" and isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
                raise SecurityError(f"指数 {right} 过大（上限 {MAX_EXPONENT}）")
            if operator == "*":
                for seq, n in ((left, right), (right, left)):
                    if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_REPEAT:
                        raise SecurityError(f"重复生成的内容过长（上限 {MAX_REPEAT}）")
            if operator == "%" and isinstance(left, str):
                _check_printf(left)
            if operator == "+" and isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
                _too_long(len(left) + len(right))
            return super().call_binop(context, operator, left, right)

        def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (jinja2's signature)
            _tick()
            name = getattr(__obj, "__name__", "")
            if isinstance(getattr(__obj, "__self__", None), str):
                text = __obj.__self__
                if name in _WIDTH_METHODS and args:
                    _check_width(args[0], name)
                    if name == "expandtabs":
                        _too_long(len(text) * max(1, int(args[0]) if isinstance(args[0], int) else 1))
                elif name == "replace" and len(args) >= 2:
                    old, new = str(args[0]), str(args[1])
                    times = len(text) + 1 if not old else text.count(old)
                    _too_long(len(text) + times * max(0, len(new) - len(old)))
                elif name == "join" and args:
                    items = list(_steps(args[0]))
                    _too_long(sum(len(str(i)) for i in items) + len(text) * max(0, len(items) - 1))
                    args = (items, *args[1:])
            return super().call(__context, __obj, *args, **kwargs)

        def wrap_str_format(self, value):
            wrapper = super().wrap_str_format(value)
            if wrapper is not None:
                _check_format(value.__self__)
            return wrapper

        def _parse(self, source, name, filename):
            """Parsed, then bounded: no include/import/extends (a program's text stands alone),
            every loop counted, every ~ measured."""
            tree = super()._parse(source, name, filename)
            for kind, what in ((nodes.Include, "include"), (nodes.Import, "import"),
                               (nodes.FromImport, "from … import"), (nodes.Extends, "extends")):
                if tree.find(kind) is not None:
                    raise SecurityError(f"不允许使用 {{% {what} %}}")
            for loop in tree.find_all(nodes.For):
                loop.iter = nodes.Filter(loop.iter, "_bounded_steps", [], [], None, None, lineno=loop.lineno)
            for concat in list(tree.find_all(nodes.Concat)):
                bounded = nodes.Filter(nodes.List(concat.nodes, lineno=concat.lineno), "_bounded_concat",
                                       [], [], None, None, lineno=concat.lineno)
                concat.nodes = [bounded]
            tree.set_environment(self)
            return tree

    env = BoundedSandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
    env.filters.update(_bounded_filters(env.filters))
    env.filters["_bounded_steps"] = _steps
    env.filters["_bounded_concat"] = _concat
    env.globals["lipsum"] = no_lipsum
    return env


@lru_cache(maxsize=512)
def _compile(source: str):
    return environment().from_string(source)


def render(source: str, context: Mapping[str, Any], where: str = "") -> str:
    """Render one template string; raise TemplateTextError naming `where`.

    The render is bounded (MAX_OUTPUT characters, MAX_STEPS loop steps and calls,
    MAX_SECONDS): a program folder is data from elsewhere."""
    from jinja2 import TemplateError, UndefinedError
    from jinja2.exceptions import SecurityError

    outer = getattr(_budget, "steps", None), getattr(_budget, "deadline", None)
    if outer[0] is None:  # a render inside a render (a filter calling back) shares the outer budget
        _budget.steps, _budget.deadline = 0, time.monotonic() + MAX_SECONDS
    try:
        pieces, length = [], 0
        for piece in _compile(source).generate(**context):
            length += len(piece)
            _too_long(length)
            pieces.append(piece)
        return "".join(pieces)
    except SecurityError as exc:
        # A program folder is data from elsewhere: reaching into Python's insides
        # (__class__, __globals__…) or building a bomb is refused by the sandbox and reported, never run.
        raise TemplateTextError(
            f"模板“{where}”试图访问程序内部的属性或生成过大的内容，已被拦截（{exc}）。这段文字来自申报计划文件"
            "（program.yaml），请删除其中以“_”开头的名称和过大的重复、乘方、宽度、循环，或向提供者索取正确的文件。"
        ) from exc
    except UndefinedError as exc:
        raise TemplateTextError(f"模板“{where}”引用了不存在的字段：{exc.message}") from exc
    except TemplateError as exc:
        raise TemplateTextError(f"模板“{where}”有误：{exc}") from exc
    except RecursionError as exc:
        raise TemplateTextError(f"模板“{where}”嵌套或递归过深（如宏调用自身），已被拦截。"
                                "这段文字来自申报计划文件（program.yaml），请改正后重试。") from exc
    except MemoryError as exc:
        raise TemplateTextError(f"模板“{where}”生成的内容过大，已被拦截。"
                                "这段文字来自申报计划文件（program.yaml），请改正后重试。") from exc
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, ArithmeticError) as exc:
        raise TemplateTextError(f"模板“{where}”无法计算（写法或字段类型有误），"
                                "这段文字来自申报计划文件（program.yaml），请检查其中的写法。") from exc
    finally:
        if outer[0] is None:
            _budget.steps = _budget.deadline = None


def undeclared_fields(source: str) -> set[str]:
    """Names a template reads from its context (for checking program data)."""
    from jinja2 import meta

    return meta.find_undeclared_variables(environment().parse(source))
