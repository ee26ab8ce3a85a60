"""carry_over: start next year's draft from this year's (从往年草稿新建).

Everything is copied; every year moves forward by the same step, in the
structured fields and in the prose, except inside titles of documents
(《…（2021-2023年）》) and document numbers (〔2021〕23号), which name things
that keep their names. Every field that carries figures is listed in
`review` (待更新) so the officer checks each against this year's statistics.
"""
from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any, Iterator

from desktop_app.core.draft import Draft

# A year we shift: four digits from 1990 to 2099 not glued to other digits.
_YEAR = re.compile(r"(?<!\d)(199\d|20\d\d)(?!\d)")
# Spans left alone: 《titles》, 〔numbers〕 and [numbers] of documents, and
# standard codes such as DB32/T 4308-2022 or GB/T 9704-2012.
_PROTECTED = re.compile(
    r"《[^》]*》|〔[^〕]*〕|\[[^\]]*\]|［[^］]*］|[A-Z]{2,}[0-9]*/?[A-Z]?\s?[0-9]+(?:\.[0-9]+)?-\d{4}"
)
_DIGIT = re.compile(r"\d")


def shift_years(text: str, delta: int) -> str:
    """Move every year in `text` by `delta`, except inside protected spans."""
    if not delta or not text:
        return text
    out, pos = [], 0
    for m in _PROTECTED.finditer(text):
        out.append(_YEAR.sub(lambda y: str(int(y.group(1)) + delta), text[pos:m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(_YEAR.sub(lambda y: str(int(y.group(1)) + delta), text[pos:]))
    return "".join(out)


def _text_fields(data: dict[str, Any]) -> Iterator[tuple[str, dict, str]]:
    """(path, container, key) of every free-text field of a draft document."""
    for part_id, part in data.get("parts", {}).items():
        base = f"parts.{part_id}"
        if "text" in part:
            yield f"{base}.text", part, "text"
        for n, item in enumerate(part.get("items", [])):
            for key in ("problem", "countermeasure"):
                if key in item:
                    yield f"{base}.items.{n}.{key}", item, key
        for n, ind in enumerate(part.get("indicators", [])):
            for key in ("name", "note"):
                if key in ind:
                    yield f"{base}.indicators.{n}.{key}", ind, key
        for n, task in enumerate(part.get("tasks", [])):
            for key in ("title", "text"):
                if key in task:
                    yield f"{base}.tasks.{n}.{key}", task, key
            for k, project in enumerate(task.get("projects", [])):
                yield f"{base}.tasks.{n}.projects.{k}.title", project, "title"
                items = project.get("items", [])
                for j in range(len(items)):
                    yield f"{base}.tasks.{n}.projects.{k}.items.{j}", items, j
        for n, row in enumerate(part.get("rows", [])):
            if "progress" in row:
                yield f"{base}.rows.{n}.progress", row, "progress"
    for n, att in enumerate(data.get("attachments", [])):
        yield f"attachments.{n}.title", att, "title"


def carry_over(old: Draft, new_year: int) -> Draft:
    """A new draft for `new_year` made from `old`, with years shifted and figures marked 待更新."""
    delta = new_year - old.year
    new = old.copy()
    data = new.data
    data["id"] = uuid.uuid4().hex
    data["parent_id"] = old.id
    data["is_sample"] = False
    data["year"] = new_year
    data["period"] = {"start": data["period"]["start"] + delta, "end": data["period"]["end"] + delta}
    letter = data.setdefault("letter", {})
    try:
        old_date = dt.date.fromisoformat(letter.get("date", ""))
        letter["date"] = old_date.replace(year=old_date.year + delta).isoformat()
    except ValueError:  # 29 Feb, or no date yet
        letter["date"] = dt.date(new_year, 3, 1).isoformat()
    review: list[str] = []
    for path, container, key in _text_fields(data):
        value = container[key]
        if not isinstance(value, str):
            continue
        container[key] = shift_years(value, delta)
        if _DIGIT.search(_PROTECTED.sub("", container[key])):
            review.append(path)
    for part_id, part in data.get("parts", {}).items():
        for n, row in enumerate(part.get("rows", [])):
            if isinstance(row.get("year"), int):
                row["year"] += delta
        for n, ind in enumerate(part.get("indicators", [])):
            if ind.get("baseline") is not None or any(t is not None for t in ind.get("targets", [])):
                review.append(f"parts.{part_id}.indicators.{n}")
    data["review"] = review
    # Last year's 分工 packages belong to last year's draft: they are not out for this one.
    data.pop("assignments", None)
    return new
