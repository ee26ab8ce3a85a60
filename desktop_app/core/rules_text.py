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

from typing import Any
from collections.abc import Iterator

from desktop_app.core.cleaning import xml_safe
from desktop_app.core.draft import Draft
from desktop_app.core.exchange import field_label
from desktop_app.core.program import Program
from desktop_app.core.rules import WARNING, Finding, rule, text_fields


def _strings(value: Any, path: tuple) -> Iterator[tuple[tuple, str]]:
    """Every string in the document with its path (keys and indexes)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from _strings(item, (*path, n))


def _page_field(path: tuple) -> tuple[str, str]:
    """A document path → (wizard page, field), as rules.text_fields addresses fields."""
    bits = [str(b) for b in path]
    head = bits[0] if bits else ""
    if head == "parts" and len(bits) >= 3:
        return bits[1], ".".join(bits[2:])
    if head in ("applicant", "eligibility", "letter") and len(bits) >= 2:
        return {"applicant": "basic"}.get(head, head), ".".join(bits[1:])
    if head == "attachments":
        return "export", ".".join(bits)
    return "basic", ".".join(bits)


def _label(program: Program, path: tuple) -> str:
    """“建设目标 › 绩效目标指标（indicators） › 第2行 › 单位（unit）”: the part's heading, then schema titles."""
    steps = field_label(list(path)).split(" › ")
    if len(path) >= 2 and path[0] == "parts":
        try:
            steps[:2] = [program.node(str(path[1])).heading]
        except KeyError:
            pass
    return "“" + " › ".join(steps) + "”"


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
    # checked too, named by their titles in the draft format.
    for path, text in _strings(draft.data, ()):
        page, field = _page_field(path)
        if (page, field) in seen:
            continue
        cleaned = xml_safe(text)
        if cleaned != text:
            yield Finding(WARNING, "text.cleaned", page, field,
                          _message(_label(program, path), len(text) - len(cleaned)))
