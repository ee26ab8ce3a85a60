"""schedule 进度安排: rows of year (or a span of years, year…year_end), the measure the
row schedules (format 2: the city's own measure id), progress and departments."""
from desktop_app.core.part_kinds import Field, PartKind, Rows
from desktop_app.core.part_kinds.prose import TEXT

def row_years(rows: list) -> list[int]:
    """The plan years schedule rows cover: a row's year, or each year of its span (year…year_end)."""
    out: list[int] = []
    for r in rows:
        start, end = r.get("year"), r.get("year_end")
        if not isinstance(start, int) or isinstance(start, bool):
            continue
        if isinstance(end, int) and not isinstance(end, bool) and start <= end <= start + 10:
            out += range(start, end + 1)
        else:
            out.append(start)
    return out


def gaps(program, draft, node, part: dict) -> list:
    from desktop_app.core.completeness import Gap

    rows = part.get("rows", [])
    if not rows:
        return [Gap(node.id, "rows", "进度安排还没有任何条目")]
    years = set(row_years(rows))
    return [Gap(node.id, "rows", f"进度安排缺少 {y} 年的工作") for y in draft.plan_years if y not in years]


KIND = PartKind("schedule", "进度安排", (
    TEXT,
    Rows("rows", "进度安排", "第{n}行", (
        Field("year", "年度", "year"),
        Field("year_end", "截止年度", "year"),
        Field("measure", "对应举措", "ref"),
        Field("task", "主要任务", "line"),
        Field("progress", "进度安排"),
        Field("lead", "牵头部门", "name"),
        Field("partners", "配合部门", "names"),
    )),
), new=lambda program: {"text": "", "rows": []}, gaps=gaps)
