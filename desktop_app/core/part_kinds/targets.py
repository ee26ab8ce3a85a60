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
    for ind in program.indicators]})
