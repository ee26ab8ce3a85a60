"""problems 问题及对策: a lead text and problem / countermeasure pairs."""
from desktop_app.core.part_kinds import Field, PartKind, Rows
from desktop_app.core.part_kinds.prose import TEXT, text_gaps


def gaps(program, draft, node, part: dict) -> list:
    from desktop_app.core.completeness import Gap, char_count

    items = part.get("items", [])
    out = [g for g in text_gaps(node, part) if char_count(part.get("text", "")) == 0 and not items]
    if not items:
        out.append(Gap(node.id, "items", f"“{node.heading}”还没有列出问题及对策"))
    for n, item in enumerate(items, 1):
        if not item.get("problem", "").strip() or not item.get("countermeasure", "").strip():
            out.append(Gap(node.id, f"items.{n - 1}", f"“{node.heading}”第{n}条问题或对策未填写完整"))
    return out


KIND = PartKind("problems", "问题及对策", (
    TEXT,
    Rows("items", "问题及对策", "第{n}条", (Field("problem", "问题"), Field("countermeasure", "对策"))),
), new=lambda program: {"text": "", "items": []}, gaps=gaps)
