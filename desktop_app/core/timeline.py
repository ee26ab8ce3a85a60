"""进度安排 as a timeline, without Qt: which lane and where in the plan period each
schedule row goes. The widget (ui/timeline_view.py) only turns these fractions into
pixels, so "one bar per row, in its year" is checked here on plain data too.

A row is drawn as a bar spanning its whole year, unless its 进度 text names a
deadline month ("6月底前印发…", "年底前建成…", "上半年完成…"): a single dated event
reads better as a milestone marker at that month than as a year-long bar. Only the
first date in the text counts; a row listing several steps keeps its first one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from desktop_app.core.draft import Draft
from desktop_app.core.program import Program

BY_TASK, BY_LEAD = "task", "lead"
NO_LEAD = "（未填牵头部门）"
NO_TASK = "（未选主要任务）"

#: "6月底前", "6月前", "9月末前", "6月份前"; "年底前"/"年内" = December; "上半年" = June.
_MONTH = re.compile(r"(\d{1,2})\s*月(?:份)?(?:底|末)?(?:前|完成|启动|召开|举办|出台|印发|建成)")
_YEAR_END = re.compile(r"年底前|年末前")
_HALF = re.compile(r"上半年")


@dataclass(frozen=True)
class Lane:
    key: str  # task id or department name
    title: str
    depth: int = 1  # rows stacked in its busiest year


@dataclass(frozen=True)
class Bar:
    """One schedule row on the timeline. start/end are fractions of the whole period
    (0 = 1 January of the first plan year, 1 = 31 December of the last)."""

    row: int  # index into part["rows"]
    lane: int
    slot: int  # stacked position within the lane in that year (0 = top)
    year: int
    start: float
    end: float
    milestone: bool
    label: str
    tooltip: str


@dataclass
class Timeline:
    years: list[int]
    lanes: list[Lane]
    bars: list[Bar]
    outside: list[int] = field(default_factory=list)  # rows whose year is not in the plan period
    by: str = BY_TASK


def deadline_month(progress: str) -> int | None:
    """The month a row's 进度 text sets as its deadline, or None for year-long work."""
    m = _MONTH.search(progress or "")
    if m and 1 <= int(m.group(1)) <= 12:
        return int(m.group(1))
    if _HALF.search(progress or ""):
        return 6
    if _YEAR_END.search(progress or ""):
        return 12
    return None


def _row_year(row: dict) -> int | None:
    try:
        return int(row["year"])
    except (KeyError, TypeError, ValueError):
        return None


def _lanes(program: Program, rows: list[dict], by: str) -> list[tuple[str, str]]:
    if by == BY_LEAD:
        seen: list[str] = []
        for row in rows:
            lead = (row.get("lead") or "").strip() or NO_LEAD
            if lead not in seen:
                seen.append(lead)
        return [(name, name) for name in seen]
    # Every task of the guide gets a lane, scheduled or not: an empty lane is itself news.
    lanes = [(t.id, t.title) for t in program.tasks]
    known = {t.id for t in program.tasks}
    extra = [r.get("task") or "" for r in rows if (r.get("task") or "") not in known]
    for key in dict.fromkeys(extra):
        lanes.append((key, key or NO_TASK))
    return lanes


def row_tooltip(program: Program, row: dict) -> str:
    task = program.task(row.get("task") or "")
    partners = "、".join(row.get("partners") or []) or "—"
    end = row.get("year_end")
    years = f"{row.get('year', '')}—{end}年" if isinstance(end, int) and end != row.get("year") else f"{row.get('year', '')}年"
    return (f"{years}　{task.title if task else (row.get('task') or NO_TASK)}\n"
            f"{row.get('progress') or '（未填写进度安排）'}\n"
            f"牵头：{row.get('lead') or '—'}　配合：{partners}")


def build_timeline(program: Program, draft: Draft, part_id: str | None = None, by: str = BY_TASK) -> Timeline:
    """The schedule part's rows as bars: one per row whose year is in the plan period."""
    if part_id is None:
        node = program.part_of_kind("schedule")
        part_id = node.id if node else ""
    rows = draft.part(part_id).get("rows", []) if part_id else []
    years = list(draft.plan_years)
    lane_keys = _lanes(program, rows, by)
    lane_index = {key: n for n, (key, _title) in enumerate(lane_keys)}
    span = len(years)
    bars: list[Bar] = []
    outside: list[int] = []
    slots: dict[tuple[int, int], int] = {}  # (lane, year) → rows placed so far
    for n, row in enumerate(rows):
        year = _row_year(row)
        if year not in years:
            outside.append(n)
            continue
        key = ((row.get("lead") or "").strip() or NO_LEAD) if by == BY_LEAD else (row.get("task") or "")
        lane = lane_index[key]
        slot = slots.get((lane, year), 0)
        slots[(lane, year)] = slot + 1
        y0 = years.index(year)
        last = row.get("year_end")
        y1 = years.index(last) if isinstance(last, int) and last in years and last > year else y0
        month = deadline_month(row.get("progress", ""))
        if y1 > y0:  # a stage over several years (2021—2022年): one bar across them
            start, end = y0 / span, (y1 + 1) / span
            month = None
        elif month is None:
            start, end = y0 / span, (y0 + 1) / span
        else:
            start = end = (y0 + month / 12) / span
        bars.append(Bar(n, lane, slot, year, start, end, month is not None,
                        (row.get("progress") or "").strip() or "（未填写）", row_tooltip(program, row)))
    lanes = [Lane(key, title, max([c for (ln, _y), c in slots.items() if ln == i] or [1]))
             for i, (key, title) in enumerate(lane_keys)]
    return Timeline(years, lanes, bars, outside, by)
