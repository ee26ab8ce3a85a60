"""carry_over: start next year's draft from this year's (从往年草稿新建).

Everything is copied, and only what refers to the plan itself moves by itself:
the plan period, the schedule's row years, the letter date, and in prose the
year expressions inside last year's plan period (2021—2023年, 到2023年, 2021年度,
2022年重点…; see year_spans). Amounts (2000万元, 35%, 1206件) are never touched,
nor are years inside 《titles》, 〔2021〕23号 or standard numbers. Statements about
the past (截至2020年底, 由2018年…提高到2020年…, 2020年地区生产总值…) keep their year
and are flagged 待更新. 申报条件自查 goes back to unanswered with last year's answer
kept beside it.

Every automatic change and every flag is one item of data["review"] (see review):
the officer works through them on the review page; `review_text` is the same list
for the command line.
"""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from collections.abc import Iterator

from desktop_app.core import review as rv
from desktop_app.core.draft import Draft
from desktop_app.core.year_spans import PAST, PLAN, move_plan_years, sentences, year_spans


def shift_years(text: str, delta: int, period: tuple[int, int] | None = None) -> str:
    """`text` with the year expressions of the plan `period` moved by `delta` (every
    year expression when no period is given, as the old behaviour; never amounts,
    titles or document numbers)."""
    return move_plan_years(text, period or (1990, 2099), delta)


def _text_fields(data: dict[str, Any]) -> Iterator[tuple[str, Any, Any]]:
    """(path, container, key) of every free-text field of a draft document (core.fields)."""
    from desktop_app.core.fields import carried_texts

    return carried_texts(data)


class _Items:
    """Review items in the order they are made, each with a short id."""

    def __init__(self) -> None:
        self.list: list[dict] = []

    def add(self, path: str, kind: str, before: Any, after: Any, spans=(), label: str = "") -> None:
        item = {"id": f"r{len(self.list) + 1}", "part": rv.page_of(path), "path": path, "kind": kind,
                "before": before, "after": after, "spans": list(spans), "status": rv.PENDING}
        if label:
            item["label"] = label
        self.list.append(item)


def _carry_text(path: str, text: str, period: tuple[int, int], delta: int, out: _Items) -> str:
    """The text with its plan years moved; one item per sentence changed, one per
    sentence stating the past."""
    new = move_plan_years(text, period, delta)
    # years keep their four digits, so the sentences sit at the same places in both
    for a, b in sentences(text):
        before, after = text[a:b], new[a:b]
        spans = year_spans(before, period)
        if before != after:
            moved = [s for s in year_spans(after, (period[0] + delta, period[1] + delta)) if s.kind == PLAN]
            out.add(path, rv.CHANGED, before, after, [s.text for s in moved])
        past = list(dict.fromkeys(s.text for s in spans if s.kind == PAST))
        if past:
            out.add(path, rv.STALE, after, after, past)
    return new


def carry_over(old: Draft, new_year: int) -> Draft:
    """A new draft for `new_year` made from `old`: plan years moved, facts kept and flagged,
    every change and flag listed in data["review"]."""
    delta = new_year - old.year
    new = old.copy()
    data = new.data
    data["id"] = uuid.uuid4().hex
    data["parent_id"] = old.id
    data["is_sample"] = False
    data["year"] = new_year
    out = _Items()
    old_period = {"start": int(data["period"]["start"]), "end": int(data["period"]["end"])}
    period = (old_period["start"], old_period["end"])
    data["period"] = {"start": old_period["start"] + delta, "end": old_period["end"] + delta}
    if delta:
        out.add("period", rv.CHANGED, old_period, dict(data["period"]), label="建设期（指标表各年目标值的年份随之顺延）")
    letter = data.setdefault("letter", {})
    old_date = letter.get("date", "")
    try:
        parsed = dt.date.fromisoformat(old_date)
        letter["date"] = parsed.replace(year=parsed.year + delta).isoformat()
    except ValueError:  # 29 Feb, or no date yet
        letter["date"] = dt.date(new_year, 3, 1).isoformat()
    if letter["date"] != old_date:
        out.add("letter.date", rv.CHANGED, old_date, letter["date"], label="落款日期")
    for path, container, key in _text_fields(data):
        value = container[key]
        if isinstance(value, str) and value:
            container[key] = _carry_text(path, value, period, delta, out)
    for part_id, part in data.get("parts", {}).items():
        rows = part.get("rows", [])
        for key, label in (("year", "进度安排各行的年份"), ("year_end", "进度安排各行的截止年度")):
            before = [r.get(key) for r in rows]
            for row in rows:
                if isinstance(row.get(key), int) and not isinstance(row.get(key), bool):
                    row[key] += delta
            after = [r.get(key) for r in rows]
            if before != after:
                out.add(f"parts.{part_id}.rows.{key}", rv.CHANGED, before, after, label=label)
        for n, ind in enumerate(part.get("indicators", [])):
            if ind.get("baseline") is not None:
                base = ind["baseline"]
                out.add(f"parts.{part_id}.indicators.{n}.baseline", rv.STALE, base, base,
                        label=f"指标“{ind.get('name', '')}”的基期值（{period[0] - 1}年数据）")
    for entry in (data.get("eligibility") or {}).values():
        if isinstance(entry, dict) and (entry.get("met") is not None or entry.get("evidence")):
            entry["previous"] = {"met": entry.get("met"), "evidence": entry.get("evidence", "")}
            entry["met"] = None
            entry["evidence"] = ""
    order = ["basic", *data.get("parts", {}), "letter", "attachments"]
    data["review"] = sorted(out.list, key=lambda i: order.index(i["part"]) if i["part"] in order else len(order))
    # Last year's 分工 packages belong to last year's draft: they are not out for this one.
    data.pop("assignments", None)
    return new


def review_text(draft: Draft, program=None) -> str:
    """The review list as plain text (the command line prints it): part by part, each
    change before → after and each 待更新 statement with its years."""
    def heading(part: str | None) -> str:
        return rv.page_title(program, part or "") if program is not None else (part or "")
    all_items = rv.items(draft)
    c = rv.counts(draft)
    lines = [f"自动改动 {c[rv.CHANGED]} 处，待更新 {c[rv.STALE]} 处"
             + (f"，未归位 {c[rv.UNPLACED]} 处" if c[rv.UNPLACED] else "") + "。"]
    last_part = None
    for item in all_items:
        if item.get("part") != last_part:
            last_part = item.get("part")
            lines.append("")
            lines.append(f"【{heading(last_part)}】")
        label = rv.item_label(program, item) if program is not None else (item.get("label") or item["path"])
        spans = "、".join(item.get("spans") or [])
        if item.get("kind") == rv.CHANGED:
            lines.append(f"  改动 {label}：{rv.shown_value(item, 'before')} → {rv.shown_value(item, 'after')}")
        elif item.get("kind") == rv.STALE:
            what = f"（{spans}）" if spans else ""
            lines.append(f"  待更新{what} {label}：{rv.shown_value(item, 'after')}")
        else:
            lines.append(f"  未归位 {label}：{rv.shown_value(item, 'after')}")
    return "\n".join(lines)
