"""The one table of size limits: what a field may hold.

The same numbers are enforced where the officer types (the window's editors set
them and say so), in the draft file format (exchange applies them to the schema
it validates with; resources/schema/draft.schema.json states them for readers, and
a test keeps the two equal), when a program folder is loaded, and by the Word
export. A 10 MB paragraph or a 10,000-row table made books python-docx could not
reopen and LibreOffice never finished; a 148-character 申报单位 was saved by the
window and then refused by 导出草稿文件. No module here imports anything heavy:
the window reads this at start.
"""
from __future__ import annotations

#: Longest text of one-line fields of the draft, by schema path ("*" = any key / row).
FIELD_MAX_CHARS: dict[str, int] = {
    "applicant.organization": 100,
    "applicant.city": 50,
    "applicant.contact": 50,
    "applicant.phone": 50,
    "choices.*": 100,
    "departments.*": 100,
    "attachments.*.title": 200,
    "review.*": 200,
}
#: Longest text of one part's body (正文), of one table cell or one 问题/对策, and of a
#: 申报条件's 佐证说明. A whole 建设方案 is some 20,000–60,000 characters.
TEXT_MAX_CHARS = 100_000
CELL_MAX_CHARS = 20_000
#: Most rows of one table (绩效目标, 问题及对策, 建设举措, 进度安排, 附件) and of the department list.
TABLE_MAX_ROWS = 500
#: Longest title, name or heading in a program folder (program.yaml), and the longest
#: document title Word keeps in a file's properties (python-docx refuses more).
PROGRAM_TITLE_MAX_CHARS = 200
DOCX_TITLE_MAX_CHARS = 255


def field_max(path: str) -> int | None:
    """The limit of a one-line field: "applicant.organization", "choices.industry_chain"…"""
    if path in FIELD_MAX_CHARS:
        return FIELD_MAX_CHARS[path]
    head, _, _rest = path.partition(".")
    return FIELD_MAX_CHARS.get(f"{head}.*")


def too_long_message(label: str, limit: int, length: int | None = None) -> str:
    """What the officer is told when a field is full (the same words everywhere)."""
    now = f"（现在 {length} 字）" if length is not None else ""
    return f"“{label}”最多 {limit} 字{now}，超出的部分没有写入，请精简后再输入。"


def too_many_rows_message(label: str, limit: int = TABLE_MAX_ROWS) -> str:
    return f"“{label}”最多 {limit} 行，已达上限，不能再添加。请合并或精简各行。"


def apply_to_schema(schema: dict) -> dict:
    """Set the table's limits on the draft schema (in place; returned for chaining)."""
    props = schema["properties"]
    applicant = props["applicant"]["properties"]
    for key in ("organization", "city", "contact", "phone"):
        applicant[key]["maxLength"] = FIELD_MAX_CHARS[f"applicant.{key}"]
    props["choices"]["additionalProperties"]["maxLength"] = FIELD_MAX_CHARS["choices.*"]
    props["departments"]["items"]["maxLength"] = FIELD_MAX_CHARS["departments.*"]
    props["departments"]["maxItems"] = TABLE_MAX_ROWS
    props["attachments"]["items"]["properties"]["title"]["maxLength"] = FIELD_MAX_CHARS["attachments.*.title"]
    props["attachments"]["maxItems"] = TABLE_MAX_ROWS
    review = props["review"]["items"]
    for branch in review.get("anyOf", [review]):  # a path (older drafts) or an item of 核对上年内容
        if branch.get("type") == "string":
            branch["maxLength"] = FIELD_MAX_CHARS["review.*"]
    props["eligibility"]["additionalProperties"]["properties"]["evidence"]["maxLength"] = CELL_MAX_CHARS
    part = schema["$defs"]["part"]["properties"]
    part["text"]["maxLength"] = TEXT_MAX_CHARS
    for node in part.values():
        if node.get("type") == "array" and isinstance(node.get("items"), dict) and "properties" in node["items"]:
            node["maxItems"] = TABLE_MAX_ROWS
            for cell in node["items"]["properties"].values():
                if cell.get("type") == "string" or cell.get("type") == ["string", "null"]:
                    cell["maxLength"] = CELL_MAX_CHARS
    return schema
