"""prose 文字: one text, a paragraph per line."""
from desktop_app.core.part_kinds import Field, PartKind

TEXT = Field("text", "正文")


def text_gaps(node, part: dict) -> list:
    """The text missing, or shorter than the part's length hint."""
    from desktop_app.core.completeness import Gap, char_count

    n = char_count(part.get("text", ""))
    if n == 0:
        return [Gap(node.id, "text", f"“{node.heading}”还没有填写正文")]
    if node.length and n < node.length[0]:
        return [Gap(node.id, "text", f"“{node.heading}”正文 {n} 字，建议不少于 {node.length[0]} 字")]
    return []


KIND = PartKind("prose", "文字", (TEXT,), gaps=lambda program, draft, node, part: text_gaps(node, part))
