"""The rules engine: every check of a draft against its program, as findings.

`run_checks(program, draft)` runs each registered rule and returns one sorted
list of `Finding`s (errors, then warnings, then hints; within a severity in
wizard page order). A finding names the wizard page and the field on it, using
the same field paths as `completeness.Gap.field`, so the checks panel can jump
there. Rule ids are stable: the UI and the tests key on them.

Rule ids and severities:

    completeness.basic        error    基本信息 missing (an applicant field, a required choice, the 申报日期)
    completeness.empty        error    a required part (or its required text / list) is empty
    completeness.short        warning  正文 shorter than the part's suggested 字数
    completeness.row          warning  a table row (problem, indicator, measure) incomplete
    completeness.long         hint     live 字数 above the part's suggested upper bound
    debris.placeholder        error    ××××, XXX, XX市 left in the text
    debris.bracket            warning  【…】 left in the text
    debris.todo               warning  TODO, 待补充, 待定, 待更新 left in the text
    debris.review             warning  carried over from last year, figures not yet confirmed
                                       (core.review: automatic changes and stale statements still open)
    program.year              warning  the draft's 申报年度 is not its program's year (e.g. a 2022 draft on
                                       the 2021 guide); names a newer program of the same kind when installed
    debris.old_period         warning  last plan period (e.g. 2020—2022年) outside 《》/〔〕
    targets.growth            error    a yearly target (or the 年均 growth) below the guide's growth threshold
    targets.total             error    a yearly target (or the 年均 value) below the guide's absolute threshold
    targets.qualitative       hint     建设目标 prose silent on a qualitative target of the guide
    targets.unit              warning  an indicator's unit cannot be its guide indicator's (% against 亿元),
                                       or a growth-rate indicator not in %
    measures.tasks            warning  a guide task answered by no measure
    measures.project_title    warning  a 专栏 (key projects) without its title
    choices.unlisted          warning  a choice answered with a value the guide does not list (hint when
                                       the program lets the officer type one: editable)
    eligibility.unconfirmed   warning  a 申报条件 not yet answered
    eligibility.not_met       error    a 申报条件 answered 不满足
    eligibility.evidence      warning  a 申报条件 met but without evidence
    period.span               error    建设期 not program.period_years long
    schedule.years            error    a plan year without any schedule row
    schedule.out_of_period    error    a schedule row whose year is outside the plan period
    schedule.tasks            warning  a measure no schedule row refers to (rows[].measure, format 2)
    schedule.departments      hint     a schedule department named in no measure
    letter.signer             warning  signer (申报单位) does not start with the applicant city (only
                                       for a program with a 信用承诺书 signed by a city)
    letter.date               error    落款日期 not a real date (申报日期 on 基本信息 without a letter)
    letter.date_range         warning  落款日期 not in the application year or the year before
    unplaced.pending          warning  content imported from Word still waits in 未归入 (申报总览)

No Qt here: the wizard, the CLI and the tests all call the same functions.
"""
from __future__ import annotations

import re
from dataclasses import asdict, replace
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, Decimal
from typing import Any
from collections.abc import Callable, Iterable, Iterator

from desktop_app.core import completeness, pages
from desktop_app.core.cleaning import paragraphs as text_paragraphs
from desktop_app.core.completeness import char_count
from desktop_app.core.dates import parse_iso
from desktop_app.core.draft import Draft, choice_values
from desktop_app.core.figures import format_number
from desktop_app.core.findings import ERROR, HINT, SEVERITIES, WARNING, Finding  # noqa: F401 (re-exported)
from desktop_app.core.numbering import RANK_FORMS, number_rank, numbered, subheading_rank
from desktop_app.core.program import Indicator, Program
from desktop_app.core.textrender import TemplateTextError, render


Rule = Callable[[Program, Draft], Iterable[Finding]]
RULES: list[Rule] = []


def rule(fn: Rule) -> Rule:
    """Register a rule function (run in registration order)."""
    RULES.append(fn)
    return fn


# public API -----------------------------------------------------------------------
def run_checks(program: Program, draft: Draft) -> list[Finding]:
    """Every finding of every rule, each on the page where its field is edited (core/pages.py),
    sorted: errors, warnings, hints; then in page order."""
    findings: list[Finding] = []
    for check in RULES:
        for f in check(program, draft):
            page = pages.page_of(program, f.page, f.field)
            findings.append(f if page == f.page else replace(f, page=page))
    return sort_findings(program, findings, draft)


def page_order(program: Program, draft: Draft | None = None) -> list[str]:
    """Page keys in the order the wizard shows them (the one list: core/pages.py)."""
    return pages.page_order(program, draft)


def sort_findings(program: Program, findings: list[Finding], draft: Draft | None = None) -> list[Finding]:
    order = {key: n for n, key in enumerate(page_order(program, draft))}
    rank = {s: n for n, s in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: (rank.get(f.severity, len(rank)), order.get(f.page, len(order))))


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == ERROR for f in findings)


def findings_for_page(findings: Iterable[Finding], page: str) -> list[Finding]:
    return [f for f in findings if f.page == page]


def findings_to_json(findings: Iterable[Finding]) -> list[dict[str, str]]:
    return [asdict(f) for f in findings]


# helpers --------------------------------------------------------------------------
def _heading(program: Program, part_id: str) -> str:
    try:
        return program.node(part_id).heading
    except KeyError:
        return part_id


def _number(value: Any) -> Decimal | None:
    """A JSON number as an exact Decimal (18.6 stays 18.6); None for anything else."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except ArithmeticError:
        return None
    return d if d.is_finite() else None


def _fmt(value: Decimal) -> str:
    return format_number(int(value) if value == value.to_integral_value() else float(value))


def _context(program: Program, draft: Draft) -> dict[str, Any]:
    """Fields the program's condition texts may use (as book.compose.context, without the book)."""
    a = draft.data.get("applicant") or {}
    years = draft.plan_years or [draft.year]
    return {
        "city": a.get("city", ""), "organization": a.get("organization", ""),
        "contact": a.get("contact", ""), "phone": a.get("phone", ""),
        "year": draft.year, "period_start": years[0], "period_end": years[-1],
        "program_name": program.name, "short_name": program.short_name,
        "period_years": len(years), "choices": choice_values(program, draft), "date_cn": "",
    }


def _period_text(years: list[int]) -> str:
    return f"{years[0]}—{years[-1]}年" if years else "（空）"


def _part(draft: Draft, part_id: str) -> dict:
    """A part's content without creating it (the checks never change the draft)."""
    part = (draft.data.get("parts") or {}).get(part_id)
    return part if isinstance(part, dict) else {}


# text fields ----------------------------------------------------------------------
def text_fields(program: Program, draft: Draft) -> Iterator[tuple[str, str, str, str]]:
    """(page, field, label, text) of every free-text field a user types, in page order.

    Derived from the draft's field map (core.fields, core.part_kinds): the same walk
    as the carry-over's and the history's, read-only, addressed the way the wizard
    addresses fields, with a Chinese label for messages.
    """
    from desktop_app.core import fields

    ctx = None
    for slot in fields.slots(draft.data, program):
        if slot.field.type not in fields.TYPED_TYPES or not isinstance(slot.value, str):
            continue
        head = slot.path[0]
        if head == "choices":
            choice = program.choice(slot.key)
            if choice is None or not choice.editable:
                continue
        page, field = fields.page_field(slot.dotted, program, attachments_page=pages.attachments_page(program))
        if head == "eligibility":
            cond = next((c for c in program.conditions if c.id == slot.path[1]), None)
            if cond is None:
                continue
            ctx = ctx or _context(program, draft)
            label = f"申报条件“{_condition_text(cond.text, ctx)}”的佐证说明"
        else:
            label = fields.slot_label(slot, program)
        yield page, field, label, slot.value


def _condition_text(source: str, ctx: dict[str, Any]) -> str:
    try:
        return render(source, ctx, "conditions")
    except TemplateTextError:
        return source


def _split_path(path: str) -> tuple[str, str]:
    """A document path (as in data["review"]) → (page, field): parts.targets.indicators.2 → (targets, indicators.2)."""
    from desktop_app.core.fields import page_field

    return page_field(path, attachments_page="export")


# completeness ---------------------------------------------------------------------
@rule
def check_completeness(program: Program, draft: Draft) -> Iterator[Finding]:
    """completeness.*: every Gap of desktop_app.core.completeness, plus parts over their length hint.

    Two gaps are left to the consistency rules so they are reported once:
    missing schedule years (schedule.years) and an invalid letter date (letter.date).
    """
    for gap in completeness.basic_gaps(draft, program):
        yield Finding(ERROR, "completeness.basic", gap.page, gap.field, f"{gap.message}，请在‘基本信息’页填写")
    for node in program.parts():
        part = _part(draft, node.id)
        filled = completeness.part_has_content(draft, node)
        h = f"“{node.heading}”"
        for gap in completeness.part_gaps(program, draft, node):
            if node.kind == "schedule" and gap.field == "rows" and part.get("rows"):
                continue  # a missing year: schedule.years says it
            message = gap.message if node.heading in gap.message else f"{h}：{gap.message}"
            if gap.field in ("text", "items", "rows", "indicators", "tasks"):
                empty = gap.field != "text" or char_count(part.get("text", "")) == 0
                if empty:
                    sev = ERROR if node.required else WARNING
                    yield Finding(sev, "completeness.empty", node.id, gap.field, f"{message}，请填写")
                else:
                    yield Finding(WARNING, "completeness.short", node.id, gap.field, f"{message}，请充实内容")
            else:
                # The same gap has the same weight whatever else the part holds: an
                # indicator without its figures is an error on a new draft and a full one.
                sev = ERROR if node.required else WARNING
                rid = "completeness.empty" if not filled else "completeness.row"
                yield Finding(sev, rid, node.id, gap.field, f"{message}，请补齐")
        if node.length:
            n = completeness.live_count(node, part)
            if n > node.length[1]:
                yield Finding(HINT, "completeness.long", node.id, "text",
                              f"{h}现有 {n} 字，超过建议的 {node.length[0]}–{node.length[1]} 字，可适当精简")


# debris ---------------------------------------------------------------------------
_PLACEHOLDER = re.compile(
    r"×{2,}[市县区省局]?|(?<![A-Za-z])[Xx]{2}[市县区省局]|(?<![A-Za-z])[Xx]{3,}(?![A-Za-z])[市县区省局]?")
_BRACKET = re.compile(r"【[^】\n]{0,30}】|【|】")
_TODO = re.compile(r"TODO|待补充|待定|待更新", re.IGNORECASE)
_TITLES = re.compile(r"《[^》]*》|〔[^〕]*〕")


@rule
def check_heading_order(program: Program, draft: Draft) -> Iterator[Finding]:
    """headings.order: a sub-heading in a part's text numbered at or above the level of the
    heading it stands under (（一） under the guide's 1.概述, pasted from another document)
    prints out of order; the book keeps the officer's numbering, so say where it goes."""
    def visit(nodes, level):
        for node in nodes:
            rank = number_rank(node.heading) or min(level, 4)
            if node.kind != "group":
                yield from _inverted_subheadings(program, draft, node, rank)
            yield from visit(node.children, level + 1)

    yield from visit(program.outline, 1)


def _inverted_subheadings(program: Program, draft: Draft, node, rank: int) -> Iterator[Finding]:
    part = _part(draft, node.id)
    texts = [("text", f"“{node.heading}”正文", part.get("text"), node.heading, rank)]
    for n, measure in enumerate(part.get("tasks", []) if node.kind == "measures" else []):
        task = program.task(measure.get("task", ""))
        title = measure.get("title") or (task.title if task else "")
        # a task prints as （一）title: its text's headings go below （一）
        texts.append((f"tasks.{n}.text", f"“{title}”的具体举措", measure.get("text"), numbered(2, n + 1, title), 2))
    for field, label, text, parent, parent_rank in texts:
        if not isinstance(text, str):
            continue
        for line in text_paragraphs(text):
            found = subheading_rank(line)
            if found and found <= parent_rank:
                below = RANK_FORMS.get(parent_rank + 1)
                advice = f"请改用“{below}”式编号" if below else "请改为不带编号的段落"
                yield Finding(WARNING, "headings.order", node.id, field,
                              f"{label}中的小标题“{line}”用了“{RANK_FORMS[found]}”式编号，"
                              f"与所在标题“{parent}”同级或更高，打印后层次颠倒；{advice}")
                break  # one finding per field: the officer fixes the numbering throughout


@rule
def check_debris(program: Program, draft: Draft) -> Iterator[Finding]:
    """debris.*: template leftovers, unconfirmed carried-over fields, last year's plan period."""
    labels: dict[tuple[str, str], str] = {}
    years = draft.plan_years
    old_periods = [f"{years[0] - 1}{dash}{years[-1] - 1}年" for dash in ("—", "-", "－", "–")] if years else []
    for page, field, label, text in text_fields(program, draft):
        labels[(page, field)] = label
        if not text:
            continue
        m = _PLACEHOLDER.search(text)
        if m:
            yield Finding(ERROR, "debris.placeholder", page, field,
                          f"{label}中还有占位符“{m.group(0)}”，请替换为实际内容")
        m = _BRACKET.search(text)
        if m:
            yield Finding(WARNING, "debris.bracket", page, field,
                          f"{label}中还有方括号“{m.group(0)}”（模板提示或批注），请改为正式内容或删除")
        m = _TODO.search(text)
        if m:
            yield Finding(WARNING, "debris.todo", page, field,
                          f"{label}中还有“{m.group(0)}”标记，请补充完整后删除该标记")
        plain = _TITLES.sub("", text)
        hit = next((p for p in old_periods if p in plain), None)
        if hit:
            yield Finding(WARNING, "debris.old_period", page, field,
                          f"{label}中的“{hit}”疑似上年的建设期，本次建设期为{_period_text(years)}，请核对")
    yield from _review_findings(program, draft, labels)


def _review_findings(program: Program, draft: Draft, labels: dict[tuple[str, str], str]) -> Iterator[Finding]:
    """debris.review: one warning per field with carried-over items still open (core.review):
    a plain path of an older draft, or a changed / stale / unplaced item."""
    from desktop_app.core import review

    open_items = review.open_items(draft)
    by_path: dict[str, list[dict]] = {}
    for item in open_items:
        by_path.setdefault(item["path"], []).append(item)
    what = {"changed": "{n} 处年份已自动顺延，请在“核对上年内容”页逐项接受或还原",
            "stale": "{n} 处写的是往年的情况（待更新），请按今年的数据改写或确认",
            "unplaced": "在新项目中没有对应位置，已原样保留，请移到合适的部分"}
    for path, mine in by_path.items():
        item = mine[0]
        if "after" in item or item.get("kind") == "unplaced":  # an item of the review list
            page, field = review.page_of(path), review.field_of(path)
            if page == "letter" and program.letter is None:
                page = "basic"  # the 申报日期
            label = item.get("label") or labels.get((page, field)) or path
            text = "；".join(what[k].format(n=sum(i.get("kind") == k for i in mine))
                            for k in ("changed", "stale", "unplaced") if any(i.get("kind") == k for i in mine))
            yield Finding(WARNING, "debris.review", page, field, f"{label}：{text}")
            continue
        page, field = _split_path(path)
        label = labels.get((page, field))
        if label is None and field.startswith("indicators.") and field.count(".") == 1:
            n = int(field.split(".")[1]) if field.split(".")[1].isdigit() else -1
            rows = _part(draft, page).get("indicators", [])
            name = rows[n].get("name", "") if 0 <= n < len(rows) else ""
            label = f"“{_heading(program, page)}”指标“{name}”的基期值和目标值"
        if label is None:
            label = f"“{_heading(program, page)}”中的内容" if page in {n.id for n in program.parts()} else path
        yield Finding(WARNING, "debris.review", page, field, f"{label}沿用上年内容，请核对其中的数字后确认")


# targets --------------------------------------------------------------------------
#: Units counted in whole numbers: the needed value is rounded up to a whole number.
COUNT_UNITS = {"家", "件", "项", "个", "人", "人次", "名", "场", "次", "所", "户", "条", "批", "家次"}


def _passes(value: Decimal, op: str, bound: Decimal) -> bool:
    return value > bound if op == ">" else value >= bound


def _needed(bound: Decimal, op: str, unit: str) -> str:
    """What the target must be, in words: 至少应为 1740 件 / 应超过 27.12 亿元."""
    if unit in COUNT_UNITS:
        least = bound.to_integral_value(ROUND_CEILING) if op != ">" else bound.to_integral_value(ROUND_FLOOR) + 1
        return f"至少应为 {_fmt(least)} {unit}".rstrip()
    if op == ">":
        return f"应超过 {_fmt(bound)} {unit}".rstrip()
    return f"至少应为 {_fmt(bound.quantize(Decimal('0.01'), ROUND_CEILING))} {unit}".rstrip()


def _limit(value: float | int) -> Decimal:
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _row_values(row: dict, years: list[int]) -> tuple[Decimal | None, list[Decimal | None]]:
    """A row's baseline and one target per plan year (None where not a number)."""
    targets = list(row.get("targets") or [])[: len(years)]
    targets += [None] * (len(years) - len(targets))
    return _number(row.get("baseline")), [_number(v) for v in targets]


def _year_ok(th, baseline: Decimal | None, values: list[Decimal | None], i: int) -> bool | None:
    """Does year i meet a yearly threshold? None when it cannot be told (a figure missing)."""
    v = values[i]
    if v is None:
        return None
    limit = _limit(th.value)
    if th.kind == "total":
        return _passes(v, th.op, limit)
    prev = baseline if i == 0 else values[i - 1]
    if prev is None or prev <= 0:
        return None
    return _passes(v, th.op, prev * (100 + limit) / 100)


def _alternative_met(program: Program, rows: list, years: list[int], th, i: int) -> str | None:
    """The guide's "或者": None when the alternative indicator meets its own requirement in
    year i (so this row's shortfall is no error), else the words to add to the message."""
    if not th.alternative:
        return ""
    other = program.indicator(th.alternative)
    row = next((r for r in rows if r.get("key") == th.alternative), None)
    if other is None or row is None:
        return ""
    baseline, values = _row_values(row, years)
    checks = [t for t in other.thresholds if t.kind in ("growth", "total") and t.value is not None and not t.average]
    if checks and all(_year_ok(t, baseline, values, i) for t in checks):
        return None
    return f"，“{row.get('name') or other.name}”也未达到{other.requirement}"


@rule
def check_targets(program: Program, draft: Draft) -> Iterator[Finding]:
    """targets.growth / targets.total: each year's target (or the 年均) against the guide; targets.qualitative."""
    node = program.part_of_kind("targets")
    if node is None:
        return
    part = _part(draft, node.id)
    years = draft.plan_years
    rows = part.get("indicators", [])
    for n, row in enumerate(rows):
        ind: Indicator | None = program.indicator(row.get("key"))
        if ind is None:
            continue
        name = row.get("name") or ind.name
        unit = row.get("unit") or ind.unit
        field = f"indicators.{n}"
        kind = row.get("kind") or "yearly"
        wrong_unit = _unit_problem(kind, str(row.get("unit") or ""), ind)
        if wrong_unit:
            yield Finding(WARNING, "targets.unit", node.id, field, f"“{node.heading}”指标“{name}”{wrong_unit}")
            continue  # figures in another unit cannot be held against the guide's
        if kind == "qualitative":
            continue
        baseline, values = _row_values(row, years)
        if kind in ("growth", "total"):
            yield from _judge_in_own_terms(node.id, field, ind, kind, name, ind.unit or unit, baseline, values, years)
            continue
        for th in ind.thresholds:
            if th.kind not in ("growth", "total") or th.value is None:
                continue
            limit = _limit(th.value)
            rid = f"targets.{th.kind}"
            if th.average:
                message = _average_shortfall(th, limit, baseline, values, years, name, unit)
                if message:
                    yield Finding(ERROR, rid, node.id, field, message)
                continue
            for i, year in enumerate(years):
                if _year_ok(th, baseline, values, i) is not False:
                    continue
                also = _alternative_met(program, rows, years, th, i)
                if also is None:
                    continue
                v = values[i]
                if v is None:  # _year_ok is False only for a figure that is there
                    continue
                if th.kind == "total":
                    how = "低于" if v < limit else "未达到"
                    yield Finding(ERROR, rid, node.id, field,
                                  f"指标“{name}”{year}年目标 {_fmt(v)} {unit}，{how}指南要求的{th.text}"
                                  f"（{_needed(limit, th.op, unit)}）{also}")
                    continue
                prev = baseline if i == 0 else values[i - 1]
                if prev is None:
                    continue
                bound = prev * (100 + limit) / 100
                growth = ((v - prev) * 100 / prev).quantize(Decimal("0.1"), ROUND_DOWN)
                how = "低于" if v < bound else "未达到"
                than = "较上年" if i else f"较基期（{year - 1}年）"
                yield Finding(ERROR, rid, node.id, field,
                              f"指标“{name}”{year}年目标 {_fmt(v)} {unit}，{than}增幅 {growth}%，"
                              f"{how}指南要求的{th.text}（{_needed(bound, th.op, unit)}）{also}")
    # The guide's targets that are not numbers: the prose should answer each.
    text = part.get("text", "")
    if not char_count(text):
        return  # an empty text is completeness.empty already
    for target in program.qualitative_targets:
        words = list(program.qualitative_keywords.get(target) or [w for w in QUALITATIVE_WORDS if w in target])
        if words and not any(w in text for w in words):
            yield Finding(HINT, "targets.qualitative", node.id, "text",
                          f"“{node.heading}”正文未提及指南的定性目标“{target}”（如“{'”“'.join(words)}”），"
                          f"建议写明预期成效")


def _average_shortfall(th, limit: Decimal, baseline: Decimal | None, values: list[Decimal | None],
                       years: list[int], name: str, unit: str) -> str:
    """The guide's 年均: the mean of the yearly targets (total), or the compound yearly growth
    from the baseline to the last year (growth). "" when met or not yet computable."""
    figures = [v for v in values if v is not None]
    if not years or len(figures) < len(values):
        return ""
    span = f"{years[0]}—{years[-1]}年"
    if th.kind == "total":
        mean = sum(figures, Decimal(0)) / len(figures)
        if _passes(mean, th.op, limit):
            return ""
        shown = mean.quantize(Decimal("0.01"), ROUND_DOWN).normalize()
        return (f"指标“{name}”{span}各年目标平均 {_fmt(shown)} {unit}，未达到指南要求的{th.text}"
                f"（年均{_needed(limit, th.op, unit)}）")
    if baseline is None or baseline <= 0:
        return ""
    last = figures[-1]
    bound = baseline * ((100 + limit) / 100) ** len(values)
    if _passes(last, th.op, bound):
        return ""
    rate = 0.0 if last <= 0 else ((float(last) / float(baseline)) ** (1 / len(values)) - 1) * 100
    rate_text = Decimal(repr(rate)).quantize(Decimal("0.1"), ROUND_DOWN)
    return (f"指标“{name}”{years[-1]}年目标 {_fmt(last)} {unit}，较基期（{years[0] - 1}年）年均增幅 {rate_text}%，"
            f"未达到指南要求的{th.text}（{years[-1]}年{_needed(bound, th.op, unit)}）")


def _family(unit: str) -> str | None:
    """What a unit measures: percent, money, count — None when it cannot be told."""
    unit = unit.strip()
    if unit in ("%", "％", "百分点", "个百分点"):
        return "percent"
    if unit.endswith("元"):
        return "money"
    if unit in COUNT_UNITS or unit in ("单", "笔", "套", "台"):
        return "count"
    return None


def _unit_problem(kind: str, unit: str, ind: Indicator) -> str:
    """Why the row's unit cannot be the guide indicator's ("" when it can)."""
    mine, guide = _family(unit), _family(ind.unit)
    if kind == "growth":
        if unit and mine != "percent":
            return f"是增幅指标，单位应为“%”，现在是“{unit}”；如填写的是数量，请把指标类型改为“各年数值”"
        return ""
    if kind == "qualitative" or not unit or mine is None or guide is None or mine == guide:
        return ""
    hint = "如填写的是增幅，请把指标类型改为“增幅（%）”" if mine == "percent" else f"请改用指南的单位“{ind.unit}”"
    return (f"的单位“{unit}”不能是指南指标“{ind.name}”的单位（指南以“{ind.unit}”计），"
            f"目标值无法与指南要求比较；{hint}")


def _judge_in_own_terms(page: str, field: str, ind: Indicator, kind: str, name: str, unit: str,
                        baseline: Decimal | None, values: list[Decimal | None], years: list[int]) -> Iterator[Finding]:
    """A growth-rate row (each year's 增幅 %) or an end-of-period total (the last cell: the
    total over the plan period) against the guide's thresholds, each in its own terms:
    a rate against a growth threshold directly; a total against the sum the guide's yearly
    requirement adds up to over the period (from the baseline for a growth threshold)."""
    n = len(years)
    if not n:
        return
    span = f"{years[0]}—{years[-1]}年"
    for th in ind.thresholds:
        if th.kind not in ("growth", "total") or th.value is None:
            continue
        limit = _limit(th.value)
        rid = f"targets.{th.kind}"
        if kind == "growth" and th.kind == "growth":
            if th.average:
                rates = [v for v in values if v is not None]
                if len(rates) < len(values):
                    continue
                factor = Decimal(1)
                for rate in rates:
                    factor *= (100 + rate) / 100
                mean = (Decimal(repr(float(factor) ** (1 / n))) - 1) * 100
                if not _passes(mean.quantize(Decimal("0.0001")), th.op, limit):
                    yield Finding(ERROR, rid, page, field,
                                  f"指标“{name}”{span}年均增幅 {_fmt(mean.quantize(Decimal('0.1'), ROUND_DOWN))}%，"
                                  f"未达到指南要求的{th.text}（年均增幅{_op_words(th.op)} {_fmt(limit)}%）")
                continue
            for i, year in enumerate(years):
                v = values[i]
                if v is not None and not _passes(v, th.op, limit):
                    how = "低于" if v < limit else "未达到"
                    yield Finding(ERROR, rid, page, field,
                                  f"指标“{name}”{year}年目标增幅 {_fmt(v)}%，{how}指南要求的{th.text}"
                                  f"（增幅{_op_words(th.op)} {_fmt(limit)}%）")
        elif kind == "growth" and th.kind == "total":
            if baseline is None or baseline <= 0:
                continue
            level = baseline
            for i, year in enumerate(years):
                year_rate = values[i]
                if year_rate is None:
                    break
                level = level * (100 + year_rate) / 100
                if not th.average and not _passes(level, th.op, limit):
                    yield Finding(ERROR, rid, page, field,
                                  f"指标“{name}”按{year}年目标增幅 {_fmt(year_rate)}% 推算为 "
                                  f"{_fmt(level.quantize(Decimal('0.01'), ROUND_DOWN).normalize())} {unit}，"
                                  f"未达到指南要求的{th.text}（{_needed(limit, th.op, unit)}）")
                    break
        elif kind == "total":
            total = values[-1]
            if total is None:
                continue
            if th.kind == "total":
                bound = limit * n
                words = f"每年{th.text}，{n}年合计"
            else:
                if baseline is None or baseline <= 0:
                    continue
                rate = (100 + limit) / 100
                bound = sum((baseline * rate ** (i + 1) for i in range(n)), Decimal(0))
                words = f"{th.text}，自基期（{years[0] - 1}年）{_fmt(baseline)} {unit}起{n}年合计"
            if not _passes(total, th.op, bound):
                yield Finding(ERROR, rid, page, field,
                              f"指标“{name}”{span}累计目标 {_fmt(total)} {unit}，未达到指南要求的{words}"
                              f"{_needed(bound, th.op, unit)}")


def _op_words(op: str) -> str:
    return "应超过" if op == ">" else "至少应为"


#: Words that show the 建设目标 prose answers a qualitative target; a target is
#: checked with those of these words its own text contains.
QUALITATIVE_WORDS = ("认可", "推广", "平台")


# eligibility ----------------------------------------------------------------------
@rule
def check_eligibility(program: Program, draft: Draft) -> Iterator[Finding]:
    """eligibility.*: each 申报条件 confirmed, met, and backed by evidence."""
    state = draft.data.get("eligibility") or {}
    ctx = _context(program, draft)
    for cond in program.conditions:
        text = _condition_text(cond.text, ctx)
        entry = state.get(cond.id) or {}
        met = entry.get("met")
        if met is None:
            yield Finding(WARNING, "eligibility.unconfirmed", "eligibility", cond.id,
                          f"请在‘申报条件自查’页确认是否满足申报条件“{text}”")
        elif met is False:
            yield Finding(ERROR, "eligibility.not_met", "eligibility", cond.id,
                          f"不满足申报条件“{text}”，不能申报")
        elif not str(entry.get("evidence") or "").strip():
            yield Finding(WARNING, "eligibility.evidence", "eligibility", f"{cond.id}.evidence",
                          f"申报条件“{text}”已确认满足，请填写佐证说明（文件、排名或数据来源）")


# consistency ----------------------------------------------------------------------
@rule
def check_period(program: Program, draft: Draft) -> Iterator[Finding]:
    """period.span: the 建设期 spans program.period_years years."""
    years = draft.plan_years
    if len(years) != program.period_years:
        period = draft.data.get("period") or {}
        span = (f"{years[0]}—{years[-1]}年（{len(years)}年）" if years
                else f"起止年份有误（{period.get('start')}—{period.get('end')}年）")
        yield Finding(ERROR, "period.span", "basic", "period",
                      f"建设期{span}，指南要求{program.period_years}年，请在‘基本信息’页修改申报年度或建设期")


@rule
def check_program_year(program: Program, draft: Draft) -> Iterator[Finding]:
    """program.year: a draft for one year written on another year's guide (carried over)."""
    if draft.year == program.year:
        return
    from desktop_app.core.program import available_programs
    from desktop_app.core.program_move import newer_program

    try:
        installed = available_programs(program.folder.parent) if program.folder is not None else []
    except (OSError, ValueError):
        installed = []
    newer = newer_program(program, installed)
    offer = (f"已安装更新的“{newer.name}”，可在“核对上年内容”页把草稿迁移到该项目" if newer is not None else
             "请确认所用指南，或安装本年度的申报项目后迁移")
    yield Finding(WARNING, "program.year", "basic", "year",
                  f"申报年度为 {draft.year} 年，但所用申报项目是“{program.name}”（{program.year}年度），"
                  f"封面和申报书将按 {program.year} 年度的指南印制；{offer}")


@rule
def check_schedule(program: Program, draft: Draft) -> Iterator[Finding]:
    """schedule.*: every plan year and every measure scheduled, years in the period, departments known."""
    node = program.part_of_kind("schedule")
    if node is None:
        return
    rows = _part(draft, node.id).get("rows", [])
    if not rows:
        return  # completeness.empty says so
    h = f"“{node.heading}”"
    years = draft.plan_years
    for n, row in enumerate(rows):
        for key in ("year", "year_end"):
            y = row.get(key)
            if isinstance(y, int) and not isinstance(y, bool) and y not in years:
                yield Finding(ERROR, "schedule.out_of_period", node.id, f"rows.{n}",
                              f"{h}第{n + 1}行的{'截止' if key == 'year_end' else ''}年度 {y} 年不在建设期"
                              f"{_period_text(years)}内，请改为建设期内的年度")
    scheduled_years = set(completeness.row_years(rows))
    for y in years:
        if y not in scheduled_years:
            yield Finding(ERROR, "schedule.years", node.id, "rows",
                          f"{h}缺少 {y} 年的工作安排，请按年度补充")
    measures = program.part_of_kind("measures")
    tasks = _part(draft, measures.id).get("tasks", []) if measures else []
    from desktop_app.core.draft_format import link_measure
    from desktop_app.core.part_kinds.measures import measure_name

    scheduled = {r.get("measure") or link_measure(r, tasks) for r in rows}
    for m in tasks:
        if m.get("id") not in scheduled:
            yield Finding(WARNING, "schedule.tasks", node.id, "rows",
                          f"建设举措{measure_name(m, program)}在{h}中没有安排：没有一行的“对应举措”是它，请至少安排一行并选择该举措")
    known: set[str] = set()
    for m in tasks:
        known.add(str(m.get("lead") or "").strip())
        known.update(str(p).strip() for p in m.get("partners", []))
    known.discard("")
    reported: set[str] = set()
    for n, row in enumerate(rows):
        for dept in [row.get("lead") or "", *row.get("partners", [])]:
            dept = str(dept).strip()
            if dept and known and dept not in known and dept not in reported:
                reported.add(dept)
                yield Finding(HINT, "schedule.departments", node.id, f"rows.{n}",
                              f"{h}第{n + 1}行的部门“{dept}”在建设举措中未列为牵头或配合部门，请核对分工是否一致")


@rule
def check_measure_tasks(program: Program, draft: Draft) -> Iterator[Finding]:
    """measures.tasks: each guide task answered by at least one measure."""
    node = program.part_of_kind("measures")
    if node is None:
        return
    tasks = _part(draft, node.id).get("tasks", [])
    if not tasks:
        return  # completeness.empty says so
    answered = {m.get("task") for m in tasks if isinstance(m, dict)}
    for task in program.tasks:
        if task.id not in answered:
            yield Finding(WARNING, "measures.tasks", node.id, "tasks",
                          f"指南任务“{task.title}”在“{node.heading}”中没有对应的举措，请补充回应该任务的举措")


@rule
def check_project_titles(program: Program, draft: Draft) -> Iterator[Finding]:
    """measures.project_title: each 专栏 has its title (the book prints it atop the box)."""
    from desktop_app.core.part_kinds.measures import measure_name

    node = program.part_of_kind("measures")
    if node is None:
        return
    for n, m in enumerate(_part(draft, node.id).get("tasks", [])):
        for k, project in enumerate(m.get("projects", [])):
            if isinstance(project, dict) and not str(project.get("title") or "").strip():
                items = len([i for i in project.get("items", []) if str(i).strip()])
                yield Finding(WARNING, "measures.project_title", node.id, f"tasks.{n}.projects.{k}.title",
                              f"“{node.heading}”中建设举措{measure_name(m, program)}的第{k + 1}个专栏"
                              f"（{items} 个重点项目）没有标题，请填写专栏标题")


@rule
def check_choices(program: Program, draft: Draft) -> Iterator[Finding]:
    """choices.unlisted: a choice answered outside the guide's list (typed, or from an imported file)."""
    chosen = draft.data.get("choices") or {}
    for choice in program.choices:
        value = str(chosen.get(choice.id) or "").strip()
        if not value or value in choice.options:
            continue
        if choice.editable:
            yield Finding(HINT, "choices.unlisted", "basic", f"choices.{choice.id}",
                          f"基本信息“{choice.label}”为“{value}”，不在指南列出的选项中，请确认符合指南的支持范围")
        else:
            yield Finding(WARNING, "choices.unlisted", "basic", f"choices.{choice.id}",
                          f"基本信息“{choice.label}”为“{value}”，不是指南规定的选项，请在‘基本信息’页重新选择")


@rule
def check_letter(program: Program, draft: Draft) -> Iterator[Finding]:
    """letter.*: the signer is the applicant (named with its city first) and the date is plausible.

    The signer check only applies where program.yaml says the applicant is named
    after its city (applicant.named_after_city, e.g. 扬州市人民政府); a university
    or a park is not. Without a 信用承诺书 the date is the book's 申报日期, set on
    the 基本信息 page.
    """
    letter = program.letter
    a = draft.data.get("applicant") or {}
    org, city = str(a.get("organization") or "").strip(), str(a.get("city") or "").strip()
    if program.applicant.get("named_after_city") and org and city and not org.startswith(city):
        page, field, who = ("letter", "signer", f"{letter.title}落款单位") if letter is not None else \
            ("basic", "organization", "申报单位")
        yield Finding(WARNING, "letter.signer", page, field,
                      f"{who}“{org}”不是以所在城市“{city}”开头，请核对申报单位（如“{city}人民政府”）")
    if letter is not None:
        page, label, what = "letter", "落款日期", f"{letter.title}落款日期"
    else:
        page, label, what = "basic", "申报日期", "申报日期"
    raw = (draft.data.get("letter") or {}).get("date", "")
    date = parse_iso(raw)
    if date is None:
        shown = f"“{raw}”" if raw else "未填写"
        yield Finding(ERROR, "letter.date", page, "date", f"{what}{shown}，不是有效日期，请选择{label}")
    elif date.year not in (draft.year, draft.year - 1):
        yield Finding(WARNING, "letter.date_range", page, "date",
                      f"{what} {date.year}年{date.month}月{date.day}日 不在申报年度"
                      f"（{draft.year - 1}—{draft.year}年）内，请核对")

from desktop_app.core import rules_text  # noqa: E402,F401  (registers text.cleaned)


# 未归入 (导入 Word 方案) ------------------------------------------------------------------
@rule
def check_unplaced(program: Program, draft: Draft) -> Iterator[Finding]:
    """unplaced.pending: what a Word import could not place is not in the book until moved."""
    entries = draft.data.get("unplaced") or []
    if entries:
        yield Finding(WARNING, "unplaced.pending", "glance", "unplaced",
                      f"从 Word 导入的内容中还有 {len(entries)} 处未归入任何部分，不会印入申报书；"
                      "请在‘申报总览’中逐一归入相应部分或删除")
