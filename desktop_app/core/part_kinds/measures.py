"""measures 建设举措: one measure per row, answering a guide task; each has its own id
(format 2) that schedule rows refer to, departments and 专栏 (key projects)."""
from desktop_app.core.part_kinds import Field, PartKind, Rows
from desktop_app.core.part_kinds.prose import TEXT


def measure_name(row: dict, program) -> str:
    """A measure as messages name it: its title, else its guide task's title."""
    task = program.task(row.get("task", "")) if program is not None else None
    return f"“{row.get('title') or (task.title if task else row.get('task', ''))}”"


KIND = PartKind("measures", "建设举措", (
    TEXT,
    Rows("tasks", "建设举措", "第{n}项举措", (
        Field("id", "举措编号", "id"),
        Field("task", "对应任务", "ref"),
        Field("title", "举措标题"),
        Field("text", "具体举措"),
        Field("lead", "牵头部门", "name"),
        Field("partners", "配合部门", "names"),
        Rows("projects", "专栏", "第{n}个专栏", (
            Field("title", "专栏标题"),
            Field("items", "重点项目", "lines"),
        )),
    ), name=measure_name),
), new=lambda program: {"text": "", "tasks": [
    {"id": f"m{n}", "task": t.id, "title": t.title, "text": "", "lead": "", "partners": [], "projects": []}
    for n, t in enumerate(program.tasks, 1)]})
