"""problems 问题及对策: a lead text and problem / countermeasure pairs."""
from desktop_app.core.part_kinds import Field, PartKind, Rows
from desktop_app.core.part_kinds.prose import TEXT

KIND = PartKind("problems", "问题及对策", (
    TEXT,
    Rows("items", "问题及对策", "第{n}条", (Field("problem", "问题"), Field("countermeasure", "对策"))),
), new=lambda program: {"text": "", "items": []})
