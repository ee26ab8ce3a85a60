"""prose 文字: one text, a paragraph per line."""
from desktop_app.core.part_kinds import Field, PartKind

TEXT = Field("text", "正文")
KIND = PartKind("prose", "文字", (TEXT,))
