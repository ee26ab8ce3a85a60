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

from dataclasses import dataclass, field
from typing import Any, Callable

TEXT_TYPES = ("text", "lines")
TYPED_TYPES = ("text", "lines", "name", "names")  # what an officer types: checked, found, diffed
LIST_TYPES = ("names", "lines", "figures")


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    type: str = "text"
    choices: tuple[tuple[str, str], ...] = ()  # enum: (value, 中文)


@dataclass(frozen=True)
class Rows:
    key: str
    label: str
    row: str  # "第{n}条": n is 1-based
    fields: tuple[Any, ...]
    #: a row's name in messages, from its content (None: the `row` words)
    name: Callable[[dict, Any], str] | None = None


@dataclass(frozen=True)
class PartKind:
    """One part kind: its stored fields and the empty content a new draft starts with."""

    name: str
    label: str
    fields: tuple[Any, ...]
    new: Callable[[Any], dict] = field(default=lambda program: {"text": ""})
    #: (program, draft, node, part) → [completeness.Gap]: what is missing from the part
    gaps: Callable[..., list] | None = None
    #: part → 字数 the part's length hint is about (default: its text)
    counted: Callable[[dict], int] | None = None


def _load() -> dict[str, PartKind]:
    from desktop_app.core.part_kinds import measures, problems, prose, schedule, targets

    return {m.KIND.name: m.KIND for m in (prose, problems, targets, measures, schedule)}


KINDS: dict[str, PartKind] = _load()


def kind(name: str) -> PartKind | None:
    return KINDS.get(name)
