"""The draft's shape, declared once: each part kind's fields (one module per kind).

Every walker of a draft — the checks' text fields (rules.text_fields, find), the
carry-over's text walk, the history diff, the cleaned-text check — and every
document path → (wizard page, field) mapping and every field label are derived
from these declarations (see desktop_app.core.fields). A new part kind is one
module here that defines KIND, added to KINDS below.

A declaration is a tuple of `Field`s and `Rows`:

    Field(key, label, type)        one value of the part or of a row
    Rows(key, label, row, fields)  a list of rows (dicts), each with its own fields;
                                   `row` names one row ("第{n}条"), `name` (optional)
                                   names it by its content (a measure by its title)

Field types:
    text     free text the officer writes; carry-over moves plan years in it
    line     a short typed string (a unit, a key) — checked, never carried over
    name     one department name (牵头部门)
    names    a list of department names (配合部门), one slot per name
    lines    a list of free-text lines (专栏的重点项目), one slot per line
    figure   a number, null or a reason (未统计 / 不适用)
    figures  a list of figures, one per plan year
    year     a year (integer) or null
    ref      an id pointing elsewhere (a guide task, a guide indicator, a measure)
    id       the row's own id
    enum     one of `choices` (value → 中文)
"""
from __future__ import annotations

from typing import Any
from collections.abc import Callable

TEXT_TYPES = ("text", "lines")
TYPED_TYPES = ("text", "lines", "name", "names")  # what an officer types: checked, found, diffed
LIST_TYPES = ("names", "lines", "figures")

# Plain classes with __slots__, not dataclasses: these are built when the window starts
# (the checks walk the field map), and a dataclass costs a few ms to define.


class Field:
    __slots__ = ("key", "label", "type", "choices")

    def __init__(self, key: str, label: str, type: str = "text", choices: tuple[tuple[str, str], ...] = ()):
        self.key, self.label, self.type, self.choices = key, label, type, choices  # enum: (value, 中文)

    def __repr__(self) -> str:
        return f"Field({self.key!r}, {self.label!r}, {self.type!r})"


class Rows:
    """A list of rows; `row` names one ("第{n}条", n 1-based), `name` (optional) names it by
    its content (a measure by its title)."""

    __slots__ = ("key", "label", "row", "fields", "name")

    def __init__(self, key: str, label: str, row: str, fields: tuple[Any, ...],
                 name: Callable[[dict, Any], str] | None = None):
        self.key, self.label, self.row, self.fields, self.name = key, label, row, fields, name

    def __repr__(self) -> str:
        return f"Rows({self.key!r}, {self.label!r})"


def _new_text(program) -> dict:
    return {"text": ""}


class PartKind:
    """One part kind: its stored fields, the empty content a new draft starts with
    (`new(program)`), what is missing from it (`gaps(program, draft, node, part)` →
    [completeness.Gap]) and the 字数 its length hint is about (`counted(part)`, default
    its text)."""

    __slots__ = ("name", "label", "fields", "new", "gaps", "counted")

    def __init__(self, name: str, label: str, fields: tuple[Any, ...], new: Callable[[Any], dict] = _new_text,
                 gaps: Callable[..., list] | None = None, counted: Callable[[dict], int] | None = None):
        self.name, self.label, self.fields, self.new, self.gaps, self.counted = name, label, fields, new, gaps, counted

    def __repr__(self) -> str:
        return f"PartKind({self.name!r})"


def _load() -> dict[str, PartKind]:
    from desktop_app.core.part_kinds import measures, problems, prose, schedule, targets

    return {m.KIND.name: m.KIND for m in (prose, problems, targets, measures, schedule)}


KINDS: dict[str, PartKind] = _load()


def kind(name: str) -> PartKind | None:
    return KINDS.get(name)
