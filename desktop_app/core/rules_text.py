"""text.cleaned: characters a book cannot hold, found in the draft's text.

    text.cleaned    warning    a field holds control characters or broken
                               (lone-surrogate) characters; the export removes
                               them, the officer should check what is left

The editors never store such characters, but a draft file from elsewhere (or
pasted through a path that skips the editors) may; the export cleans them
either way (cleaning.xml_safe), and this rule says where that happened, so
nothing is changed without the officer being told. Registered by rules.py.
"""
from __future__ import annotations

from collections.abc import Iterator

from desktop_app.core import fields, pages
from desktop_app.core.cleaning import xml_safe
from desktop_app.core.draft import Draft
from desktop_app.core.program import Program
from desktop_app.core.rules import WARNING, Finding, rule, text_fields


def _message(label: str, removed: int) -> str:
    return (f"{label}中有 {removed} 个不能打印的字符（控制字符或残缺的字符），导出时已将其去掉；"
            "请核对该处内容是否完整，必要时重新输入")


@rule
def check_cleaned_text(program: Program, draft: Draft) -> Iterator[Finding]:
    """text.cleaned: each field whose text the export had to clean, named by its label."""
    seen: set[tuple[str, str]] = set()
    for page, field, label, text in text_fields(program, draft):
        seen.add((page, field))
        cleaned = xml_safe(text)
        if cleaned != text:
            yield Finding(WARNING, "text.cleaned", page, field, _message(label, len(text) - len(cleaned)))
    # Fields the officer does not type in free text (units, choices, dates…) are
    # checked too, named as the draft's field map names them.
    for slot in fields.slots(draft.data, program):
        text = slot.value
        if not isinstance(text, str):
            continue
        page, field = fields.page_field(slot.dotted, program, attachments_page=pages.attachments_page(program))
        if (page, field) in seen:
            continue
        cleaned = xml_safe(text)
        if cleaned != text:
            yield Finding(WARNING, "text.cleaned", page, field,
                          _message(fields.slot_label(slot, program), len(text) - len(cleaned)))
