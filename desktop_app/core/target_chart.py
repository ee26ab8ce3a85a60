"""建设目标 as small charts, without Qt: per indicator its baseline, each year's
target and the guide's line, and which years fall short.

Whether a target falls short is the rules' business (core/rules.py check_targets,
with its 年均 and 或者 cases); this module reuses those functions and only adds the
line to draw. The line is in the indicator's own unit:

- total  (超过250家, 每年5000条以上): a flat line at the guide's figure;
- growth (年度增幅20%以上): for each year, the previous year's figure (the baseline
  for the first year) grown by the rate — what that year must at least reach;
- 年均 total: the flat line the period's mean must reach; 年均 growth: the baseline
  grown at the rate, compounded year by year.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from desktop_app.core import rules
from desktop_app.core.draft import Draft
from desktop_app.core.program import Program, Threshold

# The rules' own arithmetic (private there, shared on purpose: one truth for "below").
from desktop_app.core.rules import _alternative_met, _limit, _row_values, _year_ok  # noqa: PLC2701


@dataclass(frozen=True)
class GuideLine:
    text: str  # the guide's words, e.g. 年度增幅20%以上
    legend: str  # how to read the line in this chart
    values: tuple[float | None, ...]  # per point; None where the line has no value


@dataclass
class IndicatorChart:
    row: int  # index into part["indicators"]
    name: str
    unit: str
    labels: list[str]  # 基期（2020年）, 2021年, …
    values: list[float | None]  # baseline first, then one per plan year
    lines: list[GuideLine] = field(default_factory=list)
    short_years: set[int] = field(default_factory=set)  # plan years whose target falls short
    findings: list[str] = field(default_factory=list)  # the rules' messages for this indicator

    @property
    def below(self) -> bool:
        """Below the guide: the rules report an error on this indicator."""
        return bool(self.findings)


def _line(th: Threshold, baseline, values) -> GuideLine | None:
    if th.kind not in ("growth", "total") or th.value is None:
        return None
    limit = _limit(th.value)
    n = len(values)
    if th.kind == "total":
        how = "各年平均须达此线" if th.average else "每年须达此线"
        return GuideLine(th.text, f"指南：{th.text}（{how}）", (None, *([float(limit)] * n)))
    rate = (100 + limit) / 100
    if th.average:
        pts = tuple(float(baseline * rate ** (i + 1)) if baseline is not None and baseline > 0 else None
                    for i in range(n))
        return GuideLine(th.text, f"指南：{th.text}（基期逐年按此增长，末年须达此线）", (None, *pts))
    yearly: list[float | None] = []
    for i in range(n):
        prev = baseline if i == 0 else values[i - 1]
        yearly.append(float(prev * rate) if prev is not None and prev > 0 else None)
    return GuideLine(th.text, f"指南：{th.text}（较上一年增长后须达此线）", (None, *yearly))


def build_charts(program: Program, draft: Draft) -> list[IndicatorChart]:
    """One chart per indicator row of the 建设目标 part, in table order."""
    node = program.part_of_kind("targets")
    if node is None:
        return []
    years = list(draft.plan_years)
    rows = draft.part(node.id).get("indicators", [])
    messages: dict[str, list[str]] = {}
    for f in rules.check_targets(program, draft):
        if f.rule in ("targets.growth", "targets.total"):
            messages.setdefault(f.field, []).append(f.message)
    charts = []
    for n, row in enumerate(rows):
        ind = program.indicator(row.get("key"))
        baseline, values = _row_values(row, years)
        chart = IndicatorChart(
            n, row.get("name") or (ind.name if ind else ""), row.get("unit") or (ind.unit if ind else ""),
            [f"基期（{years[0] - 1}年）", *(f"{y}年" for y in years)],
            [None if v is None else float(v) for v in (baseline, *values)],
            findings=messages.get(f"indicators.{n}", []))
        yearly = row.get("kind", "yearly") == "yearly"  # growth rates and totals: the rules judge them
        for th in (ind.thresholds if ind and yearly else ()):
            line = _line(th, baseline, values)
            if line is None:
                continue
            chart.lines.append(line)
            if not chart.below:
                continue
            for i, year in enumerate(years):
                if th.average:
                    bound, value = line.values[i + 1], values[i]
                    if value is not None and bound is not None and float(value) < bound:
                        chart.short_years.add(year)
                elif _year_ok(th, baseline, values, i) is False and \
                        _alternative_met(program, rows, years, th, i) is not None:
                    chart.short_years.add(year)
        charts.append(chart)
    return charts
