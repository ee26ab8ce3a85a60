"""分工 records: what can be sent, what was sent to whom, and what came back.

A *unit* is what the officer picks: one part of the outline (1.概述…) or one measure of
三、建设举措. Each unit carries one or more text *fields* (a part's 正文, a measure's
举措标题 and 具体举措…), addressed by the draft's usual paths (parts.overview.text,
parts.measures.tasks.2.text).

The draft keeps one record per package sent (`assignments`, docs/draft-format.md):
the department, the due date, when and to which file it went, and for every field a
hash of its text at that moment. When the package comes back, a field whose text has
changed in the program since then is a *conflict*: the officer decides, nothing is
overwritten silently.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from typing import Any

from desktop_app.core.cleaning import xml_safe
from desktop_app.core.draft import Draft
from desktop_app.core.numbering import chinese_number
from desktop_app.core.program import Program

OUT, BACK, WITHDRAWN = "out", "back", "withdrawn"
STATUS_TEXT = {OUT: "在外", BACK: "已收回", WITHDRAWN: "已撤回"}

# What a returned field is, compared with the draft now.
CHANGED = "changed"      # the department changed it; the program's text is as sent
CONFLICT = "conflict"    # changed in the file AND in the program since sending
UNCHANGED = "unchanged"  # nothing to take
NOT_IN_FILE = "not_in_file"    # its marks were removed or damaged in the file
NOT_IN_DRAFT = "not_in_draft"  # the part or measure no longer exists in the draft
TOO_LONG = "too_long"          # longer than the field may hold (core.limits): never taken
STATE_TEXT = {
    CHANGED: "有改动", CONFLICT: "冲突", UNCHANGED: "未改动",
    NOT_IN_FILE: "文件中找不到", NOT_IN_DRAFT: "草稿中已删除", TOO_LONG: "超出上限",
}


def field_limit(path: str) -> int:
    """The one limit table's limit for a text field of a package: a part's 正文, or a cell of
    one of its tables (a measure's 举措标题 and 具体举措)."""
    from desktop_app.core import limits

    return limits.TEXT_MAX_CHARS if re.fullmatch(r"parts\.[^.]+\.text", path) else limits.CELL_MAX_CHARS


@dataclass(frozen=True)
class FieldRef:
    """One text field of a unit: its path in the draft, its label, and for a measure the
    guide task it answers (to find it again if the measures were reordered meanwhile)."""

    path: str
    label: str
    task: str | None = None


@dataclass(frozen=True)
class Unit:
    """What can be sent: a part (key = part id) or a measure (key = <part>.tasks.<n>)."""

    key: str
    title: str
    guide: str
    info: str
    fields: tuple[FieldRef, ...]


def text_hash(text: str) -> str:
    """A short fingerprint of a field's text (64 bits are plenty to notice an edit)."""
    import hashlib  # here: its import is a few ms that the window's start need not pay

    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def package_text(text: str) -> str:
    """The text as the package holds it: one paragraph per line, no XML-invalid characters,
    no empty paragraphs before the first line or after the last (the reader drops those)."""
    return xml_safe(text.replace("\r\n", "\n").replace("\r", "\n")).strip("\n")


def measure_title(program: Program, measure: dict, n: int) -> str:
    """（三）加强知识产权金融服务 — the measure's own title, or its guide task's."""
    task = program.task(measure.get("task", ""))
    title = measure.get("title") or (task.title if task else measure.get("task", ""))
    return f"（{chinese_number(n + 1)}）{title}" if n < 99 else title


def units(program: Program, draft: Draft) -> list[Unit]:
    """Everything the officer can send, in the outline's order (measures after their part)."""
    out: list[Unit] = []
    for node in program.parts():
        part = draft.data.get("parts", {}).get(node.id, {})
        base = f"parts.{node.id}"
        if node.kind == "prose":
            out.append(Unit(node.id, node.heading, node.prompt, "", (FieldRef(f"{base}.text", "正文"),)))
        elif node.kind == "problems":
            fields = [FieldRef(f"{base}.text", "引言")]
            for n, _item in enumerate(part.get("items", [])):
                fields += [FieldRef(f"{base}.items.{n}.problem", f"问题{n + 1}"),
                           FieldRef(f"{base}.items.{n}.countermeasure", f"对策{n + 1}")]
            out.append(Unit(node.id, node.heading, node.prompt, "", tuple(fields)))
        elif node.kind == "targets":
            out.append(Unit(node.id, node.heading, node.prompt, "绩效目标表的数字请在程序中填写，本材料只含目标表述。",
                            (FieldRef(f"{base}.text", "目标表述"),)))
        elif node.kind == "schedule":
            out.append(Unit(node.id, node.heading, node.prompt, "进度安排表请在程序中填写，本材料只含说明文字。",
                            (FieldRef(f"{base}.text", "说明"),)))
        elif node.kind == "measures":
            out.append(Unit(node.id, f"{node.heading}（总述）", node.prompt, "",
                            (FieldRef(f"{base}.text", "总述"),)))
            for n, measure in enumerate(part.get("tasks", [])):
                task = program.task(measure.get("task", ""))
                partners = "、".join(measure.get("partners", []))
                info = f"牵头部门：{measure.get('lead') or '（未定）'}；配合部门：{partners or '（无）'}"
                task_id = measure.get("task") or None
                out.append(Unit(f"{node.id}.tasks.{n}", measure_title(program, measure, n), task.guide if task else "",
                                info, (FieldRef(f"{base}.tasks.{n}.title", "举措标题", task_id),
                                       FieldRef(f"{base}.tasks.{n}.text", "具体举措", task_id))))
    return out


def _container(draft: Draft, ref: FieldRef) -> tuple[dict | None, str]:
    """The dict holding the field and its key; None when the part or measure is gone."""
    bits = ref.path.split(".")
    if len(bits) < 3 or bits[0] != "parts":
        return None, ""
    part = draft.data.get("parts", {}).get(bits[1])
    if not isinstance(part, dict):
        return None, ""
    if len(bits) == 3:
        return part, bits[2]
    if len(bits) != 5 or not bits[3].isdigit():
        return None, ""
    rows = part.get(bits[2])
    if not isinstance(rows, list):
        return None, ""
    n = int(bits[3])
    if bits[2] == "tasks" and ref.task:
        if not (n < len(rows) and isinstance(rows[n], dict) and rows[n].get("task") == ref.task):
            # reordered or one removed since sending: the one measure answering that task
            same = [i for i, r in enumerate(rows) if isinstance(r, dict) and r.get("task") == ref.task]
            if len(same) != 1:
                return None, ""
            n = same[0]
    if n >= len(rows) or not isinstance(rows[n], dict):
        return None, ""
    return rows[n], bits[4]


def field_text(draft: Draft, ref: FieldRef) -> str | None:
    """The field's text now; None when its part or measure no longer exists."""
    holder, key = _container(draft, ref)
    if holder is None:
        return None
    value = holder.get(key, "")
    return value if isinstance(value, str) else ""


def set_field_text(draft: Draft, ref: FieldRef, text: str) -> bool:
    holder, key = _container(draft, ref)
    if holder is None:
        return False
    holder[key] = text
    return True


def assignments(draft: Draft) -> list[dict[str, Any]]:
    """The draft's 分工 records (created empty on first use), oldest first."""
    return draft.data.setdefault("assignments", [])


def find_assignment(draft: Draft, assignment_id: str) -> dict[str, Any] | None:
    return next((a for a in draft.data.get("assignments", []) if a.get("id") == assignment_id), None)


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def new_assignment(draft: Draft, chosen: list[Unit], department: str, due: str, file: str) -> dict[str, Any]:
    """A 分工 record for these units, with each field's text fingerprinted now; added to the draft."""
    existing = {a.get("id") for a in draft.data.get("assignments", [])}
    assignment_id = os.urandom(4).hex()
    while assignment_id in existing:
        assignment_id = os.urandom(4).hex()
    parts, key = [], 0
    for unit in chosen:
        fields = []
        for ref in unit.fields:
            key += 1
            text = field_text(draft, ref) or ""
            fields.append({"key": str(key), "path": ref.path, "label": ref.label, "task": ref.task,
                           "hash": text_hash(text), "written": text_hash(package_text(text))})
        parts.append({"title": unit.title, "fields": fields})
    record = {"id": assignment_id, "department": department.strip(), "due": due, "sent_at": _now(),
              "file": file, "parts": parts, "status": OUT}
    assignments(draft).append(record)
    return record


def record_fields(record: dict[str, Any]) -> list[tuple[str, FieldRef, dict[str, Any]]]:
    """(part title, field ref, the stored field) for every field the record sent, in order."""
    return [(part.get("title", ""), FieldRef(f["path"], f.get("label", ""), f.get("task")), f)
            for part in record.get("parts", []) for f in part.get("fields", [])]


def sent_text(draft: Draft, record: dict[str, Any]) -> dict[str, str]:
    """What each field of the record holds in the draft now, by key (for writing the package)."""
    return {f["key"]: package_text(field_text(draft, ref) or "") for _t, ref, f in record_fields(record)}


@dataclass(frozen=True)
class FieldReturn:
    """One field of a package that came back, beside the draft's text now."""

    key: str
    part_title: str
    ref: FieldRef
    current: str | None   # None: no longer in the draft
    returned: str | None  # None: its marks were not found in the file
    state: str

    @property
    def takeable(self) -> bool:
        return self.state in (CHANGED, CONFLICT)

    @property
    def default_take(self) -> bool:
        """Take a clean change unless it empties the field; a conflict waits for the officer."""
        return self.state == CHANGED and bool((self.returned or "").strip())


def compare(draft: Draft, record: dict[str, Any], returned: dict[str, str]) -> list[FieldReturn]:
    """Each field of `record` with what the file holds for it (`returned`, by key)."""
    out = []
    for title, ref, stored in record_fields(record):
        current = field_text(draft, ref)
        new = returned.get(stored["key"])
        if new is None:
            state = NOT_IN_FILE
        elif current is None:
            state = NOT_IN_DRAFT
        else:
            untouched = text_hash(new) in (stored.get("hash"), stored.get("written"))
            edited_here = text_hash(current) != stored.get("hash")
            if untouched or new == current or package_text(current) == new:
                state = UNCHANGED
            elif len(new) > field_limit(ref.path):
                state = TOO_LONG
            elif edited_here:
                state = CONFLICT
            else:
                state = CHANGED
        out.append(FieldReturn(stored["key"], title, ref, current, new, state))
    return out


def apply_returns(draft: Draft, record: dict[str, Any], returns: list[FieldReturn], take: set[str],
                  file: str) -> list[FieldReturn]:
    """Put the returned text of the fields in `take` (keys) into the draft; mark the record
    收回. Returns the fields taken. Fields not takeable are never written."""
    taken = []
    for r in returns:
        if r.key in take and r.takeable and r.returned is not None and set_field_text(draft, r.ref, r.returned):
            taken.append(r)
    record["status"] = BACK
    record["returned_at"] = _now()
    record["returned_file"] = file
    return taken


def history_reason(record: dict[str, Any], file_name: str) -> str:
    """What the history shows for a 收回: who sent it back, in which file."""
    return f"收回分工：{record.get('department', '')}《{file_name}》"


def out_records(draft: Draft) -> list[dict[str, Any]]:
    """Packages still out (发出, not yet 收回 or 撤回), oldest first."""
    return [a for a in draft.data.get("assignments", []) if a.get("status") == OUT]


def date_text(iso: str) -> str:
    """2021-03-10 (or an ISO time) → 2021年3月10日, as dates are written in Chinese documents."""
    try:
        d = dt.date.fromisoformat(iso[:10])
    except (TypeError, ValueError):
        return iso or ""
    return f"{d.year}年{d.month}月{d.day}日"


def out_line(record: dict[str, Any], today: dt.date | None = None) -> str:
    """申报总览's line for a package out: parts — with whom, since when, due when."""
    today = today or dt.date.today()
    titles = "、".join(p.get("title", "") for p in record.get("parts", []))
    line = f"{titles} — {record.get('department', '')}，{date_text(record.get('sent_at', ''))}发出"
    due = record.get("due") or ""
    if due:
        line += f"，{date_text(due)}前交回"
        try:
            if dt.date.fromisoformat(due) < today:
                line += "（已逾期）"
        except ValueError:
            pass
    return line


def out_by_path(draft: Draft) -> dict[str, list[dict[str, Any]]]:
    """For each field path now out, the records carrying it (to warn before sending it twice)."""
    found: dict[str, list[dict[str, Any]]] = {}
    for record in out_records(draft):
        for _t, ref, _f in record_fields(record):
            found.setdefault(ref.path, []).append(record)
    return found
