"""program_move: a draft onto a newer guide of the same kind (2021年度 → 2022年度 指南).

Programs of one kind share their id but for the year at its end (key_city_2021,
key_city_2022), as templates/<id>/ names them. A draft carried into a new year keeps
its program until the officer moves it: `newer_program` finds the one to offer,
`move_to_program` moves it. Parts, measures' tasks, 申报条件 and choices are mapped
by id; whatever has no place in the new program is kept in the draft as it was and
listed in the review (kind "unplaced"), never dropped.
"""
from __future__ import annotations

import re

from desktop_app.core import review as rv
from desktop_app.core.draft import Draft
from desktop_app.core.program import Program

_YEAR_SUFFIX = re.compile(r"_(?:19|20)\d\d$")


def kind_of(program: Program) -> str:
    """key_city_2021 → key_city: what programs of one kind share."""
    return _YEAR_SUFFIX.sub("", program.id)


def newer_program(program: Program, programs: list[Program]) -> Program | None:
    """The newest installed program of the same kind with a later year than `program`."""
    newer = [p for p in programs if kind_of(p) == kind_of(program) and p.year > program.year and p.id != program.id]
    return max(newer, key=lambda p: p.year) if newer else None


def year_mismatch(program: Program, draft: Draft) -> bool:
    return draft.year != program.year


def move_to_program(draft: Draft, old: Program, new: Program) -> tuple[Draft, list[str]]:
    """A copy of `draft` on the program `new`, and a description of each thing kept
    without a place in it (also added to the draft's review as "unplaced" items)."""
    moved = draft.copy()
    data = moved.data
    data["program_id"] = new.id
    items = data.setdefault("review", [])
    unplaced: list[str] = []

    def keep(path: str, what: str, value) -> None:
        unplaced.append(what)
        items.append({"id": f"u{len(items) + 1}", "part": rv.page_of(path), "path": path, "kind": rv.UNPLACED,
                      "after": value if isinstance(value, str) else what, "spans": [], "label": what,
                      "status": rv.PENDING})

    new_parts = {n.id: n for n in new.parts()}
    for part_id, part in (data.get("parts") or {}).items():
        node = new_parts.get(part_id)
        if node is None:
            try:
                heading = old.node(part_id).heading
            except KeyError:
                heading = part_id
            keep(f"parts.{part_id}", f"“{heading}”（新项目的提纲中没有这一部分）", part.get("text", ""))
            continue
        for n, measure in enumerate(part.get("tasks", [])):
            task_id = measure.get("task", "")
            if task_id and new.task(task_id) is None:
                old_task = old.task(task_id)
                title = measure.get("title") or (old_task.title if old_task else task_id)
                keep(f"parts.{part_id}.tasks.{n}", f"建设举措“{title}”（新项目的任务中没有对应任务）",
                     measure.get("text", ""))
    conditions = {c.id for c in new.conditions}
    for cond_id, entry in (data.get("eligibility") or {}).items():
        if cond_id not in conditions and isinstance(entry, dict) and (entry.get("evidence") or entry.get("previous")):
            keep(f"eligibility.{cond_id}", f"申报条件“{cond_id}”的回答（新项目没有这一条件）",
                 entry.get("evidence") or (entry.get("previous") or {}).get("evidence", ""))
    for choice_id, value in (data.get("choices") or {}).items():
        if new.choice(choice_id) is None and value:
            keep(f"choices.{choice_id}", f"申报选项“{choice_id}”（新项目没有这一选项）", str(value))
    period = data["period"]
    if period["end"] - period["start"] + 1 != new.period_years:
        before = dict(period)
        period["end"] = period["start"] + new.period_years - 1
        items.append({"id": f"u{len(items) + 1}", "part": "basic", "path": "period", "kind": rv.CHANGED,
                      "before": before, "after": dict(period), "spans": [],
                      "label": f"建设期（新项目为 {new.period_years} 年）", "status": rv.PENDING})
    return moved, unplaced
