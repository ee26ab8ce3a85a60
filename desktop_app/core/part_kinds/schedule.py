"""schedule 进度安排: rows of year (or a span of years, year…year_end), the measure the
row schedules (format 2: the city's own measure id), progress and departments."""
from desktop_app.core.part_kinds import Field, PartKind, Rows
from desktop_app.core.part_kinds.prose import TEXT

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
), new=lambda program: {"text": "", "rows": []})
