"""targets 建设目标: the goal text and the 绩效目标 table (one row per indicator).

Format 2: each indicator has a `kind` — yearly (各年目标值), growth (各年增幅 %),
total (期末累计总量: the last cell is the total over the plan period) or
qualitative (定性目标, written in `goal`); a figure left empty may say why
(未统计 / 不适用) instead of a number.
"""
from desktop_app.core.part_kinds import Field, PartKind, Rows
from desktop_app.core.part_kinds.prose import TEXT

YEARLY, GROWTH, TOTAL, QUALITATIVE = "yearly", "growth", "total", "qualitative"
INDICATOR_KINDS = ((YEARLY, "各年数值"), (GROWTH, "增幅（%）"), (TOTAL, "期末累计"), (QUALITATIVE, "定性"))
#: Words that may stand in a figure's cell instead of a number: why it is empty.
EMPTY_REASONS = ("未统计", "不适用")


def indicator_missing(ind: dict, n_years: int) -> str:
    """What an indicator row still lacks, in words ("" when complete). A figure holding a
    reason (未统计 / 不适用) counts as filled; a qualitative indicator needs its goal in words;
    an end-of-period total only its last figure."""
    kind = ind.get("kind") or YEARLY
    if kind == QUALITATIVE:
        return "" if str(ind.get("goal") or "").strip() else "定性目标"
    targets = list(ind.get("targets") or [])
    targets += [None] * (n_years - len(targets))
    needed = targets[n_years - 1:n_years] if kind == TOTAL else targets[:n_years]
    missing = []
    if ind.get("baseline") is None:
        missing.append("基期值")
    if any(t is None for t in needed):
        missing.append("期末累计目标值" if kind == TOTAL else "各年目标值")
    return "和".join(missing)


def gaps(program, draft, node, part: dict) -> list:
    from desktop_app.core.completeness import Gap, char_count

    out = []
    if char_count(part.get("text", "")) == 0:
        out.append(Gap(node.id, "text", f"“{node.heading}”还没有填写正文"))
    for n, ind in enumerate(part.get("indicators", []), 1):
        missing = indicator_missing(ind, len(draft.plan_years))
        if missing:
            out.append(Gap(node.id, f"indicators.{n - 1}", f"指标“{ind.get('name', '')}”的{missing}未填写"
                           "（没有数字可填的，请写明“未统计”或“不适用”）"))
    return out


def _name(row: dict, program) -> str:
    return f"指标“{row.get('name') or ''}”"


KIND = PartKind("targets", "建设目标", (
    TEXT,
    Rows("indicators", "绩效目标指标", "第{n}个指标", (
        Field("key", "指南指标", "ref"),
        Field("name", "名称"),
        Field("kind", "指标类型", "enum", INDICATOR_KINDS),
        Field("unit", "单位", "line"),
        Field("baseline", "基期值", "figure"),
        Field("targets", "目标值", "figures"),
        Field("goal", "定性目标"),
        Field("note", "说明"),
    ), name=_name),
), new=lambda program: {"text": "", "indicators": [
    {"key": ind.key, "name": ind.name, "kind": YEARLY, "unit": ind.unit, "baseline": None,
     "targets": [None] * program.period_years, "note": ""}
    for ind in program.indicators]}, gaps=gaps)
