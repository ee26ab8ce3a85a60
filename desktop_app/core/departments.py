"""The city's departments (部门名单): kept with the draft, used in every 牵头/配合 field.

Measures (parts.<measures>.tasks[]) and schedule rows (parts.<schedule>.rows[]) name
departments in `lead` (a string) and `partners` (a list). The list itself is
draft.departments; renaming there must rename every use, or the book would print
the old name in one table and the new one in another.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from desktop_app.core.draft import Draft

#: What officers put between departments in one field.
_SEPARATORS = re.compile(r"[、,，;；/]+")

def examples(program) -> list[str]:
    """The program's usual departments (program.yaml applicant.departments_example), if any."""
    raw = (program.applicant or {}).get("departments_example") or []
    return [str(n).strip() for n in raw if str(n).strip()] if isinstance(raw, list) else []


def split_departments(text: str) -> list[str]:
    return [p.strip() for p in _SEPARATORS.split(text or "") if p.strip()]


def _holders(draft: Draft) -> Iterator[dict]:
    """Every dict with a lead/partners pair: measures' tasks and schedule rows."""
    for part in (draft.data.get("parts") or {}).values():
        if not isinstance(part, dict):
            continue
        for key in ("tasks", "rows"):
            for holder in part.get(key) or []:
                if isinstance(holder, dict):
                    yield holder


def usage_count(draft: Draft, name: str) -> int:
    """How many lead/partner fields name `name`."""
    n = 0
    for holder in _holders(draft):
        if isinstance(holder.get("lead"), str) and name in split_departments(holder["lead"]):
            n += 1
        n += sum(1 for p in holder.get("partners") or [] if p == name)
    return n


def rename_department(draft: Draft, old: str, new: str) -> int:
    """Rename `old` to `new` in the list and in every lead/partner; returns the fields changed.

    A lead naming several departments ("市科技局、市教育局") has only the matching one
    renamed; a partner list that already holds `new` keeps it once.
    """
    old, new = old.strip(), new.strip()
    if not old or not new or old == new:
        return 0
    names = draft.writable("departments")
    if old in names:
        if new in names:
            names.remove(old)
        else:
            names[names.index(old)] = new
    elif new not in names:
        names.append(new)
    changed = 0
    for holder in _holders(draft):
        lead = holder.get("lead")
        if isinstance(lead, str) and old in split_departments(lead):
            holder["lead"] = "、".join(new if p == old else p for p in split_departments(lead))
            changed += 1
        partners = holder.get("partners")
        if isinstance(partners, list) and old in partners:
            renamed: list = []
            for p in partners:
                p = new if p == old else p
                if p not in renamed:
                    renamed.append(p)
            holder["partners"] = renamed
            changed += 1
    return changed


def remember(draft: Draft, names: list[str] | str) -> bool:
    """Add names typed in a lead/partner field to the list; True when the list grew."""
    if isinstance(names, str):
        names = split_departments(names)
    grew = False
    for name in names:
        if name and name not in draft.departments:
            draft.writable("departments").append(name)
            grew = True
    return grew
