"""Tables of a plan, recognised from their header words and read cell by cell:
the indicator table (指标, 单位, 基期, 2021年…), the schedule (年度, 任务, 进度, 牵头, 配合),
a 专栏 (one boxed cell: a title, then the key projects), anything else as text rows.

No cell is dropped: a value that does not fit a field (a target written "增长20%",
a column the draft has no field for) is kept in the row's note or progress text.
"""
from __future__ import annotations

import re

from desktop_app.core.cleaning import paragraphs
from desktop_app.core.figures import FigureError, parse_number
from desktop_app.core.program import Program
from desktop_app.wordin.headings import clean_title
from desktop_app.wordin.mapping import similarity
from desktop_app.wordin.reader import Table

INDICATORS, SCHEDULE, PROJECT, TEXT = "indicators", "schedule", "project", "text"
_YEAR = re.compile(r"(20\d\d)")
#: A schedule stage over several years: 2021—2022年, 2021-2022年度, 2021年—2022年
_SPAN = re.compile(r"(20\d\d)年?[—–\-－~～至到]+(20\d\d)年?度?")
_BULLET = re.compile(r"^[●•·▪■◆◇○◎►▶\-—–*]+\s*")
CELL_SEP = "｜"


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def _one_column(table: Table) -> bool:
    return bool(table.rows) and all(len([c for c in row if c.strip()]) <= 1 and len(row) >= 1 for row in table.rows)


def kind_of(table: Table) -> str:
    if table.box or table.single_cell:
        return PROJECT
    if _one_column(table) and _norm(table.rows[0][0]).startswith("专栏"):
        return PROJECT  # a box drawn as one column: the title row, then a row per project
    if not table.rows:
        return TEXT
    head = [_norm(c) for c in table.rows[0]]
    if any("指标" in h for h in head) and any(w in h for h in head for w in ("基期", "目标", "单位", "年", "基数")):
        return INDICATORS
    if (any("进度" in h for h in head)
            or (any(w in h for h in head for w in ("年度", "时间", "年份"))
                and any(w in h for h in head for w in ("牵头", "任务", "配合", "责任")))):
        return SCHEDULE
    return TEXT


def text_rows(table: Table) -> list[str]:
    """Each row as one line, cells joined by ｜ (a cell's own lines by a space)."""
    lines = []
    for row in table.rows:
        cells = [" ".join(paragraphs(c)) for c in row]
        if any(cells):
            lines.append(CELL_SEP.join(cells))
    return lines


def project(table: Table) -> dict:
    raw = "\n".join(next((c for c in row if c.strip()), "") for row in table.rows)
    lines = [line.strip() for line in raw.replace("\r", "\n").split("\n") if line.strip()]
    title = lines[0] if lines else ""
    items = [_BULLET.sub("", line).strip() for line in lines[1:]]
    return {"title": title, "items": [i for i in items if i]}


def _number(text: str) -> tuple[float | int | None, str]:
    """(the number, "") or (None, the text) when the cell holds words."""
    text = " ".join(paragraphs(text))
    if not text:
        return None, ""
    try:
        return parse_number(text), ""
    except FigureError:
        return None, text


def indicators(program: Program, table: Table, years: list[int]) -> list[dict]:
    head = [_norm(c) for c in table.rows[0]]
    roles: dict[int, str] = {}
    for n, h in enumerate(head):
        if h in ("序号", "编号", "序"):
            roles[n] = "skip"
        elif "单位" in h and "名称" not in h:
            roles[n] = "unit"
        elif any(w in h for w in ("基期", "基数", "现状", "基准")):
            roles[n] = "baseline"
        elif "指南" in h:
            roles[n] = "guide"
        elif found := _YEAR.search(h):
            roles[n] = f"year:{found.group(1)}"
        elif "指标" in h and "name" not in roles.values():
            roles[n] = "name"
        elif any(w in h for w in ("说明", "备注", "口径")):
            roles[n] = "note"
        else:
            roles[n] = "other"
    if "name" not in roles.values():
        first = next((n for n, r in roles.items() if r in ("other",)), None)
        if first is not None:
            roles[first] = "name"
    out = []
    for row in table.rows[1:]:
        cells = [" ".join(paragraphs(c)) for c in row]
        if not any(cells) or [_norm(c) for c in row] == head:
            continue  # an empty row, or the header repeated where the table was split
        ind: dict = {"key": None, "name": "", "kind": "yearly", "unit": "", "baseline": None,
                     "targets": [None] * len(years), "note": ""}
        notes: list[str] = []
        guide_text = ""
        for n, value in enumerate(cells):
            role = roles.get(n, "other")
            label = table.rows[0][n].strip() if n < len(table.rows[0]) else f"第{n + 1}列"
            if role == "name":
                ind["name"] = value
            elif role == "unit":
                ind["unit"] = value
            elif role == "baseline":
                number, words = _number(value)
                ind["baseline"] = number
                if words:
                    notes.append(f"{label}：{words}")
            elif role.startswith("year:"):
                year = int(role[5:])
                number, words = _number(value)
                if year in years and not words:
                    ind["targets"][years.index(year)] = number
                elif value:
                    notes.append(f"{label}：{value}")
            elif role == "guide":
                guide_text = value
            elif role == "note":
                if value:
                    notes.append(value)
            elif role == "other" and value:
                notes.append(f"{label}：{value}")
        guide = _guide_indicator(program, ind["name"], ind["unit"])
        if guide is not None and "guide" in roles.values() and _norm(guide_text) != _norm(guide.requirement):
            guide = None  # the table's 指南要求 column says the plan's own indicator, not the guide's
        if guide is not None:
            ind["key"] = guide.key
        if guide_text and guide is None:
            notes.append(f"指南要求：{guide_text}")
        ind["note"] = "；".join(notes)
        out.append(ind)
    return out


def _guide_indicator(program: Program, name: str, unit: str):
    name_c = clean_title(name)
    for ind in program.indicators:
        if clean_title(ind.name) == name_c:
            return ind
    best, score = None, 0.0
    for ind in program.indicators:
        s = similarity(name_c, clean_title(ind.name))
        if s > score and (not unit or not ind.unit or unit == ind.unit):
            best, score = ind, s
    return best if score >= 0.8 else None


def schedule_rows(program: Program, table: Table) -> list[dict]:
    head = [_norm(c) for c in table.rows[0]]
    roles: dict[int, str] = {}
    for n, h in enumerate(head):
        if h in ("序号", "编号", "序"):
            roles[n] = "skip"
        elif any(w in h for w in ("配合", "协同", "参与", "协助")):
            roles[n] = "partners"
        elif any(w in h for w in ("牵头", "责任", "负责")):
            roles[n] = "lead"
        elif h in ("年度", "年份", "时间", "年", "阶段") or h.startswith("年度"):
            roles[n] = "year"
        elif "任务" in h and "进度" not in h and "task" not in roles.values():
            roles[n] = "task"
        elif any(w in h for w in ("进度", "安排", "内容", "目标", "措施")) and "progress" not in roles.values():
            roles[n] = "progress"
        else:
            roles[n] = "other"
    titles = {clean_title(t.title): t.id for t in program.tasks}
    out: list[dict] = []
    last_year = None
    for r, row in enumerate(table.rows[1:], 1):
        cells = [" ".join(paragraphs(c)) for c in row]
        if not any(cells) or [_norm(c) for c in row] == head:
            continue
        item: dict = {"year": None, "task": "", "progress": "", "lead": "", "partners": []}
        extra: list[str] = []
        for n, value in enumerate(cells):
            role = roles.get(n, "other")
            label = table.rows[0][n].strip() if n < len(table.rows[0]) else f"第{n + 1}列"
            if role == "year":
                m = _YEAR.search(value)
                span = _SPAN.fullmatch(_norm(value))
                if span:  # 2021—2022年: a stage over several years (format 2: year_end)
                    item["year"], item["year_end"] = int(span.group(1)), int(span.group(2))
                    last_year = item["year"]
                elif m and _norm(value) in (m.group(1), f"{m.group(1)}年", f"{m.group(1)}年度"):
                    item["year"] = last_year = int(m.group(1))
                elif not value and (r, n) in table.merged_down:
                    item["year"] = last_year
                elif value:
                    extra.append(value)  # "2021年上半年": the words stay with the progress
                    item["year"] = int(m.group(1)) if m else None
            elif role == "task":
                item["task"] = titles.get(clean_title(value), value)
            elif role == "progress":
                item["progress"] = value
            elif role == "lead":
                item["lead"] = value
            elif role == "partners":
                item["partners"] = [p.strip() for p in re.split(r"[、，,]", value) if p.strip()]
            elif role == "other" and value:
                extra.append(f"{label}：{value}")
        if extra:
            item["progress"] = "；".join([*extra, item["progress"]] if item["progress"] else extra)
        out.append(item)
    return out
