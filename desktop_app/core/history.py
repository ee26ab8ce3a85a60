"""Differences between two states of a draft, field by field (every field the draft
format declares: texts, departments, figures, years, links), texts paragraph by paragraph."""
from __future__ import annotations

import difflib
from dataclasses import dataclass

from desktop_app.core.draft import Draft
from desktop_app.core.fields import values


@dataclass(frozen=True)
class FieldDiff:
    """One changed text field: its path and the paragraph-level changes (-/+ lines)."""

    path: str
    lines: tuple[str, ...]


def _texts(draft: Draft) -> dict[str, str]:
    # The walk only reads here, so the caller's draft needs no copy.
    return values(draft.data)


def diff_drafts(old: Draft, new: Draft) -> list[FieldDiff]:
    """Every field that differs, with unified-diff lines per paragraph."""
    a, b = _texts(old), _texts(new)
    out = []
    for path in dict.fromkeys([*a, *b]):
        before, after = a.get(path, ""), b.get(path, "")
        if before == after:
            continue
        lines = [
            line for line in difflib.ndiff(before.split("\n"), after.split("\n"))
            if line[:1] in "-+"
        ]
        out.append(FieldDiff(path, tuple(lines)))
    return out
