"""Where each heading of a document goes in a program: the targets the officer can pick
and the suggestion preselected for each heading.

Targets (keys):
    part:<id>   the content of an outline part (a group heading is offered as its first part)
    task:<id>   a measure answering the guide's task <id> (in the 建设举措 part)
    measure     a measure of the plan's own, not one of the guide's tasks
    sub         stays inside what comes before, as a sub-heading of its text
    unplaced    to the 未归入 list, with everything under it
"""
from __future__ import annotations

from dataclasses import dataclass

from desktop_app.core.program import OutlineNode, Program
from desktop_app.wordin.headings import Heading, clean_title

SUB, UNPLACED, MEASURE = "sub", "unplaced", "measure"

#: Other words plans use for a part, by part id (the ids the bundled programs share).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "overview": ("概述", "基本情况", "总体情况", "城市概况", "区域概况", "发展概况", "城市基本情况", "经济社会发展概况"),
    "profile": ("概述", "基本情况", "申报单位基本情况", "单位基本情况", "学校基本情况", "园区基本情况",
                "园区及主攻产业链基本情况", "主攻产业链基本情况", "总体情况"),
    "foundation": ("专利转化基础", "工作基础", "发展基础", "现有基础", "基础条件", "工作成效", "主要成效",
                   "知识产权工作基础", "知识产权管理和专利转化基础", "专利转化工作基础", "已有基础", "前期基础"),
    "problems": ("面临问题及对策", "面临问题", "存在问题", "存在问题及对策", "问题及对策", "主要问题",
                 "存在的问题", "面临的问题", "问题与对策", "短板与不足", "存在不足"),
    "approach": ("总体思路", "工作思路", "建设思路", "指导思想", "总体要求", "基本思路", "基本原则",
                 "总体考虑", "思路"),
    "targets": ("建设目标", "工作目标", "绩效目标", "主要目标", "发展目标", "预期目标", "总体目标", "目标"),
    "measures": ("建设举措", "重点任务", "主要任务", "工作措施", "主要举措", "具体措施", "重点工作", "工作举措",
                 "主要任务和举措", "任务举措", "重点任务和举措", "主要措施", "建设任务", "实施内容"),
    "safeguards": ("保障措施", "组织保障", "保障机制", "组织实施", "工作保障", "工作要求", "保障条件"),
    "schedule": ("进度安排", "实施步骤", "实施进度", "时间安排", "工作进度", "进度计划", "阶段安排",
                 "实施安排", "工作安排", "推进步骤", "时间进度", "实施进度安排"),
    # groups: offered as their first part
    "basis": ("建设基础", "基本情况和建设基础", "发展现状", "现状", "基础"),
    "direction": ("建设思路和目标", "思路和目标", "总体思路和目标"),
    "goals": ("建设目标", "思路和目标"),
}
#: How many characters a title may have around a synonym and still match it ("工作目标任务").
_SLACK = 4


@dataclass(frozen=True)
class Target:
    key: str
    label: str  # as the mapping view lists it


def first_part(node: OutlineNode) -> OutlineNode | None:
    if node.kind != "group":
        return node
    for child in node.children:
        found = first_part(child)
        if found:
            return found
    return None


def targets(program: Program) -> list[Target]:
    """Everything a heading can be mapped to, in outline order."""
    out = [Target(SUB, "（作为上文的小标题）")]
    measures = program.part_of_kind("measures")
    for node in program.parts():
        out.append(Target(f"part:{node.id}", node.heading))
        if measures is not None and node.id == measures.id:
            for task in program.tasks:
                out.append(Target(f"task:{task.id}", f"{node.title} › {task.title}"))
            out.append(Target(MEASURE, f"{node.title} › 自拟举措（不对应指南任务）"))
    out.append(Target(UNPLACED, "未归入（稍后在申报总览中处理）"))
    return out


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}


def similarity(a: str, b: str) -> float:
    """Dice coefficient of character pairs: 1 for equal titles, 0 for nothing shared."""
    if not a or not b:
        return 0.0
    x, y = _bigrams(a), _bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y))


def match_part(program: Program, title: str) -> OutlineNode | None:
    """The outline part a section title names (its own title, or a word plans use for it)."""
    node = match_node(program, title)
    return first_part(node) if node else None


def match_node(program: Program, title: str) -> OutlineNode | None:
    """The outline node (a group too) a section title names."""
    title = clean_title(title)
    if not title:
        return None
    for node in program.walk():
        if clean_title(node.title) == title:
            return node
    best: tuple[int, OutlineNode] | None = None
    for node in program.walk():
        words = (clean_title(node.title), *SYNONYMS.get(node.id, ()))
        for word in words:
            if not word:
                continue
            fits = title == word or (
                (title.startswith(word) or title.endswith(word)) and len(title) - len(word) <= _SLACK)
            if fits and (best is None or len(word) > best[0]):
                best = (len(word), node)
    return best[1] if best else None


def match_task(program: Program, title: str) -> str | None:
    """The guide's task a measure's title answers, by its words."""
    title = clean_title(title)
    best, score = None, 0.0
    for task in program.tasks:
        t = clean_title(task.title)
        if t == title:
            return task.id
        s = similarity(title, t)
        if (t in title or title in t) and len(min(t, title, key=len)) >= 4:
            s = max(s, 0.9)
        if s > score:
            best, score = task.id, s
    return best if score >= 0.5 else None


def suggest(program: Program, headings: list[Heading]) -> list[str]:
    """A target key for each heading, from its title and where it stands."""
    measures = program.part_of_kind("measures")
    measures_key = f"part:{measures.id}" if measures else None
    out: list[str] = []
    stack: list[tuple[int, str, str]] = []  # (depth, key, origin: group|part|sub|unplaced)
    measure_depth: int | None = None
    for h in headings:
        while stack and stack[-1][0] >= h.depth:
            stack.pop()
        parent = stack[-1] if stack else None
        key, origin = SUB, "sub"
        if parent is None or parent[2] in ("group", "unplaced"):
            node = match_node(program, h.title or h.text)
            part = first_part(node) if node else None
            if part is not None and node is not None:
                key, origin = f"part:{part.id}", "group" if node.kind == "group" else "part"
                measure_depth = None
            elif parent is None or parent[2] == "unplaced":
                key, origin = UNPLACED, "unplaced"
        elif parent[1] == measures_key and parent[2] == "part":
            if measure_depth is None:
                measure_depth = h.depth
            if h.depth == measure_depth:
                task = match_task(program, h.title or h.text)
                key, origin = (f"task:{task}" if task else MEASURE), "task"
        out.append(key)
        stack.append((h.depth, key, origin))
    return out

