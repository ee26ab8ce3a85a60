"""Draft format versions: format-1 documents (files, database rows, history) are
upgraded to format 2 when read, so every other module sees only format 2.

Format 2 adds:
- an id for each measure (parts.<measures>.tasks[].id: m1, m2 …), which schedule rows
  refer to (rows[].measure) — the city's own measure, not only the guide task;
- schedule rows over a span of years (rows[].year_end: 2021—2022年);
- an indicator kind (indicators[].kind: yearly, growth, total, qualitative) and, for a
  qualitative indicator, its goal text (indicators[].goal);
- a reason for an empty figure: "未统计" or "不适用" where a number would be.

Upgrading links each schedule row to the measure whose title the row names (its
主要任务, else its progress text), else to the first measure of the guide task the row
names; a row naming neither keeps no link. Nothing the officer wrote changes.
"""
from __future__ import annotations

from typing import Any

FORMAT_VERSION = 2


def _norm(text: Any) -> str:
    return "".join(str(text or "").split()).strip("“”\"")


def link_measure(row: dict, measures: list[dict]) -> str | None:
    """The id of the measure a schedule row names: by title (in 主要任务, then in the
    progress text), else the first measure of the guide task it names."""
    named = _norm(row.get("task"))
    titled = [(m, _norm(m.get("title"))) for m in measures if isinstance(m, dict) and _norm(m.get("title"))]
    for m, title in titled:
        if named and named == title:
            return m.get("id")
    for m, title in sorted(titled, key=lambda mt: -len(mt[1])):
        if named and title in named:
            return m.get("id")
    progress = _norm(row.get("progress"))
    for m, title in sorted(titled, key=lambda mt: -len(mt[1])):
        if progress and title in progress:
            return m.get("id")
    for m in measures:
        if isinstance(m, dict) and row.get("task") and m.get("task") == row.get("task"):
            return m.get("id")
    return None


def give_ids(measures: list[dict]) -> None:
    """An id for every measure that has none (m1, m2 … not yet used)."""
    used = {m.get("id") for m in measures if isinstance(m, dict)}
    n = 0
    for m in measures:
        if isinstance(m, dict) and not m.get("id"):
            n += 1
            while f"m{n}" in used:
                n += 1
            m["id"] = f"m{n}"
            used.add(m["id"])


def upgrade(data: Any) -> Any:
    """`data` moved to the current format in place (and returned); a document that is
    not a format-1 draft is returned as it is, for validation to judge."""
    if not isinstance(data, dict) or data.get("format_version") != 1:
        return data
    parts = data.get("parts")
    if isinstance(parts, dict):
        measures: list[dict] = []
        for part in parts.values():
            if isinstance(part, dict) and isinstance(part.get("tasks"), list):
                give_ids(part["tasks"])
                measures += [m for m in part["tasks"] if isinstance(m, dict)]
        for part in parts.values():
            if not isinstance(part, dict):
                continue
            for ind in part.get("indicators") or []:
                if isinstance(ind, dict) and "kind" not in ind:
                    ind["kind"] = "yearly"
            for row in part.get("rows") or []:
                if isinstance(row, dict) and "measure" not in row:
                    row["measure"] = link_measure(row, measures)
    data["format_version"] = FORMAT_VERSION
    return data
