"""fields: every walk of a draft document, derived from one declaration.

The parts' fields are declared per part kind in desktop_app.core.part_kinds; the
fields outside the parts (applicant, choices, 申报条件, letter, attachments…) are
declared here. From these come:

    slots(data, program)      every stored value, with its path, container and field
    text_fields(program, d)   (page, field, label, text) of what an officer types
                              (checks, find — rules.text_fields)
    carried_texts(data)       (path, container, key) of free text whose plan years move
                              (carry_over)
    values(data)              {path: printable value} of every field (the history diff)
    page_field(path)          a document path → (wizard page, field on it)
    label(program, path)      a path in words: “3.建设举措”“加强顶层设计”的牵头部门

Nothing here writes to the document.
"""
from __future__ import annotations

from typing import Any
from collections.abc import Iterator

from desktop_app.core.part_kinds import KINDS, LIST_TYPES, TEXT_TYPES, Field, Rows

#: Types an officer types as text: checked for debris, found by 查找, shown by the diff.
TYPED_TYPES = ("text", "lines", "name", "names", "entry")

APPLICANT = (Field("organization", "申报单位", "entry"), Field("city", "所在城市", "entry"),
             Field("contact", "联系人", "entry"), Field("phone", "联系电话", "entry"))
PERIOD = (Field("start", "建设期起始年", "year"), Field("end", "建设期结束年", "year"))
ATTACHMENTS = Rows("attachments", "附件材料", "附件{n}", (
    Field("title", "名称"), Field("pages", "页数", "figure"), Field("file", "文件", "line")))

#: Every key a part may hold, with its declaration, in the kinds' order.
PART_FIELDS: dict[str, Any] = {}
for _kind in KINDS.values():
    for _decl in _kind.fields:
        PART_FIELDS.setdefault(_decl.key, _decl)


class Slot:
    """One stored value: path from the document root, its container and key, its field,
    and the names of the rows it sits in (outermost first)."""

    __slots__ = ("path", "container", "key", "field", "where")

    def __init__(self, path: tuple, container: Any, key: Any, field: Field, where: tuple[str, ...] = ()):
        self.path, self.container, self.key, self.field, self.where = path, container, key, field, where

    @property
    def value(self) -> Any:
        return self.container[self.key]

    @property
    def dotted(self) -> str:
        return ".".join(str(p) for p in self.path)


def _walk(obj: dict, decls, path: tuple, where: tuple, program) -> Iterator[Slot]:
    for decl in decls:
        if not isinstance(obj, dict) or decl.key not in obj:
            continue
        value = obj[decl.key]
        if isinstance(decl, Rows):
            if not isinstance(value, list):
                continue
            for n, row in enumerate(value):
                if not isinstance(row, dict):
                    continue
                name = decl.name(row, program) if decl.name else decl.row.format(n=n + 1)
                yield from _walk(row, decl.fields, (*path, decl.key, n), (*where, name), program)
        elif decl.type in LIST_TYPES and isinstance(value, list):
            for n in range(len(value)):
                yield Slot((*path, decl.key, n), value, n, decl, where)
        else:
            yield Slot((*path, decl.key), obj, decl.key, decl, where)


def part_slots(part: dict, part_id: str, program=None) -> Iterator[Slot]:
    """Every field stored in one part (whatever its kind: the keys say what it holds)."""
    yield from _walk(part, PART_FIELDS.values(), ("parts", part_id), (), program)


def slots(data: dict, program=None) -> Iterator[Slot]:
    """Every stored field of a draft document, in page order (the program's parts first)."""
    applicant = data.get("applicant")
    if isinstance(applicant, dict):
        yield from _walk(applicant, APPLICANT, ("applicant",), (), program)
    if "year" in data:
        yield Slot(("year",), data, "year", Field("year", "申报年度", "year"))
    if isinstance(data.get("period"), dict):
        yield from _walk(data["period"], PERIOD, ("period",), (), program)
    chosen = data.get("choices")
    if isinstance(chosen, dict):
        for cid in chosen:
            choice = program.choice(cid) if program is not None else None
            label = choice.label if choice is not None else cid
            yield Slot(("choices", cid), chosen, cid, Field(cid, label, "entry" if choice is None or choice.editable
                                                              else "line"))
    eligibility = data.get("eligibility")
    if isinstance(eligibility, dict):
        for cid, entry in eligibility.items():
            if isinstance(entry, dict) and "met" in entry:
                yield Slot(("eligibility", cid, "met"), entry, "met", Field("met", "是否满足", "flag"),
                           (f"申报条件“{_condition(program, cid)}”",))
            if isinstance(entry, dict) and "evidence" in entry:
                yield Slot(("eligibility", cid, "evidence"), entry, "evidence", Field("evidence", "佐证说明", "entry"),
                           (f"申报条件“{_condition(program, cid)}”",))
    parts = data.get("parts")
    if isinstance(parts, dict):
        known = [n.id for n in program.parts()] if program is not None else []
        for part_id in [*(k for k in known if k in parts), *(k for k in parts if k not in known)]:
            if isinstance(parts[part_id], dict):
                yield from part_slots(parts[part_id], part_id, program)
    letter = data.get("letter")
    if isinstance(letter, dict) and "date" in letter:
        yield Slot(("letter", "date"), letter, "date", Field("date", "落款日期", "line"))
    departments = data.get("departments")
    if isinstance(departments, list):
        for n in range(len(departments)):
            yield Slot(("departments", n), departments, n, Field("departments", "部门名单", "line"))
    yield from _walk(data, (ATTACHMENTS,), (), (), program)


def _condition(program, cid: str) -> str:
    if program is None:
        return cid
    cond = next((c for c in program.conditions if c.id == cid), None)
    return cond.text if cond is not None else cid


# derived walks -----------------------------------------------------------------------
def carried_texts(data: dict) -> Iterator[tuple[str, Any, Any]]:
    """(path, container, key) of every free-text field whose plan years carry-over moves."""
    for slot in slots(data):
        if slot.field.type in TEXT_TYPES and isinstance(slot.value, str):
            yield slot.dotted, slot.container, slot.key


def shown(value: Any) -> str:
    """A stored value as the history shows it."""
    from desktop_app.core.figures import format_number

    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return format_number(value)
    return str(value)


def values(data: dict, program=None) -> dict[str, str]:
    """Every field of the document as shown text, by path (the history diff compares these)."""
    out = {}
    for slot in slots(data, program):
        value = slot.value
        if slot.field.type == "enum":
            value = dict(slot.field.choices).get(value, value)
        out[slot.dotted] = shown(value)
    return out


# where a path is edited, and how it is named ------------------------------------------
def page_field(path: str, program=None, attachments_page: str = "attachments") -> tuple[str, str]:
    """A document path → (wizard page, field on it), as the wizard's focus_field takes it:
    parts.targets.indicators.2.baseline → (targets, indicators.2.baseline);
    applicant.city → (basic, city); letter.date → (letter, date) — (basic, date) for a
    program without a letter; attachments.0.title → (attachments_page, attachments.0.title)."""
    bits = path.split(".")
    head = bits[0]
    if head == "parts" and len(bits) >= 2:
        return bits[1], ".".join(bits[2:])
    if head == "letter":
        page = "basic" if program is not None and program.letter is None else "letter"
        return page, ".".join(bits[1:])
    if head == "eligibility":
        return "eligibility", ".".join(bits[1:])
    if head == "attachments":
        return attachments_page, path
    if head == "applicant" and len(bits) >= 2:
        return "basic", ".".join(bits[1:])
    if head == "choices":
        return "basic", path
    return "basic", bits[-1]


def page_title(program, page: str) -> str:
    """A page key as the officer reads it: foundation → 2.专利转化基础."""
    names = {"basic": "基本信息", "eligibility": "申报条件自查", "attachments": "附件材料", "export": "附件材料",
             "departments": "部门名单", "review": "核对上年内容", "choices": "基本信息", "assignments": "分工",
             "unplaced": "未归入",
             "letter": program.letter.title if program.letter is not None else "申报日期"}
    if page in names:
        return names[page]
    try:
        return program.node(page).heading
    except KeyError:
        return "未归位的内容"  # a part the draft's program no longer has (program_move)


def find_slot(data: dict, path: str, program=None) -> Slot | None:
    for slot in slots(data, program):
        if slot.dotted == path:
            return slot
    return None


def slot_label(slot: Slot, program=None, with_page: bool = True) -> str:
    """A field in words: “3.建设举措”“加强顶层设计”第1个专栏的专栏标题."""
    label = slot.field.label
    if slot.field.type in ("names", "lines"):
        label = f"{label}第{slot.key + 1}项"
    if slot.field.type == "figures":
        label = f"第{slot.key + 1}年{label}"
    where = "".join(slot.where)
    own = f"{where}的{label}" if where else label
    if not with_page or program is None:
        return own
    head = slot.path[0]
    if head == "parts":
        return f"“{page_title(program, slot.path[1])}”{own}"
    if head in ("applicant", "choices"):
        return f"基本信息“{label}”"
    return own


def label(program, path: str, data: dict | None = None) -> str:
    """A document path in words (with the row names taken from `data` when given)."""
    if data is not None:
        slot = find_slot(data, path, program)
        if slot is not None:
            return slot_label(slot, program)
    bits = path.split(".")
    if bits[0] != "parts" or len(bits) < 3:
        return page_title(program, page_field(path, program)[0])
    words = [f"“{page_title(program, bits[1])}”"]
    decls = PART_FIELDS
    i = 2
    while i < len(bits):
        decl = decls.get(bits[i]) if isinstance(decls, dict) else None
        if decl is None:
            words.append(".".join(bits[i:]))
            break
        if isinstance(decl, Rows):
            if i + 1 < len(bits) and bits[i + 1].isdigit():
                words.append(decl.row.format(n=int(bits[i + 1]) + 1))
                i += 2
            else:
                words.append(decl.label)
                i += 1
            decls = {d.key: d for d in decl.fields}
            continue
        words.append(("的" if len(words) > 1 else "") + decl.label)
        if i + 1 < len(bits) and bits[i + 1].isdigit():
            words.append(f"第{int(bits[i + 1]) + 1}项")
        break
    return "".join(words)
