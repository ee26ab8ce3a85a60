"""measures 建设举措: one measure per row, answering a guide task; each has its own id
(format 2) that schedule rows refer to, departments and 专栏 (key projects)."""
from desktop_app.core.part_kinds import Field, PartKind, Rows
from desktop_app.core.part_kinds.prose import TEXT


def measure_name(row: dict, program) -> str:
    """A measure as messages name it: its title, else its guide task's title."""
    task = program.task(row.get("task", "")) if program is not None else None
    return f"“{row.get('title') or (task.title if task else row.get('task', ''))}”"


def gaps(program, draft, node, part: dict) -> list:
    from desktop_app.core.completeness import Gap, char_count

    out = []
    for n, m in enumerate(part.get("tasks", []), 1):
        name = measure_name(m, program).strip("“”")
        if char_count(m.get("text", "")) == 0:
            out.append(Gap(node.id, f"tasks.{n - 1}.text", f"建设举措“{name}”还没有填写具体举措"))
        if not m.get("lead", "").strip():
            out.append(Gap(node.id, f"tasks.{n - 1}.lead", f"建设举措“{name}”还没有填写牵头部门"))
    return out  # a 专栏 without its title: rules.check_project_titles warns


def counted(part: dict) -> int:
    """字数 of 建设举措: the lead text and the measures themselves (texts and 专栏)."""
    from desktop_app.core.completeness import char_count

    n = char_count(part.get("text", ""))
    for m in part.get("tasks", []):
        n += char_count(m.get("text", ""))
        for project in m.get("projects", []):
            n += char_count(project.get("title", ""))
            n += sum(char_count(x) for x in project.get("items", []) if isinstance(x, str))
    return n


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
    for n, t in enumerate(program.tasks, 1)]}, gaps=gaps, counted=counted)
