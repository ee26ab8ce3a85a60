"""How far each part of a draft is filled in: drives the wizard's page marks and
the list of gaps shown before export. (The guide's rules proper are checked
elsewhere; this only answers "is anything missing?".)"""
from __future__ import annotations

import re
from dataclasses import dataclass

from desktop_app.core.dates import parse_iso
from desktop_app.core.draft import Draft
from desktop_app.core.program import OutlineNode, Program

EMPTY, PARTIAL, COMPLETE = "empty", "partial", "complete"
#: ◐ 待核对: carried over from last year with review items still open (never ● 已完成 then).
TO_REVIEW = "to_review"
#: The wizard page listing those items (核对上年内容).
REVIEW_PAGE = "review"
_WS = re.compile(r"\s+")


def char_count(text: str) -> int:
    """字数 as officers count it: every character but white space."""
    return len(_WS.sub("", text or ""))


@dataclass(frozen=True)
class Gap:
    """Something missing: which page/field, and what to do about it."""

    page: str
    field: str
    message: str


def row_years(rows: list) -> list[int]:
    """The plan years schedule rows cover (a span year…year_end counts each year)."""
    from desktop_app.core.part_kinds.schedule import row_years as years

    return years(rows)


def live_count(node: OutlineNode, part: dict) -> int:
    """字数 the length hint is about: the part's text; for 建设举措 the measures themselves."""
    from desktop_app.core.part_kinds import kind

    spec = kind(node.kind)
    return spec.counted(part) if spec is not None and spec.counted else char_count(part.get("text", ""))


def part_gaps(program: Program, draft: Draft, node: OutlineNode) -> list[Gap]:
    """What is missing from one outline part (each part kind says, core.part_kinds)."""
    from desktop_app.core.part_kinds import kind

    spec = kind(node.kind)
    return spec.gaps(program, draft, node, draft.part(node.id)) if spec is not None and spec.gaps else []


def basic_gaps(draft: Draft, program: Program | None = None) -> list[Gap]:
    """基本信息 missing: the applicant's fields (labelled as the program names them) and,
    given the program, each required choice not yet made and, without a letter, the 申报日期."""
    applicant = program.applicant if program else {}
    labels = {"organization": applicant.get("organization_label") or "申报单位",
              "city": applicant.get("city_label") or "所在城市", "contact": "联系人", "phone": "联系电话"}
    gaps = [Gap("basic", k, f"基本信息“{v}”未填写") for k, v in labels.items() if not draft.applicant.get(k, "").strip()]
    if program is not None:
        chosen = draft.data.get("choices") or {}
        gaps += [Gap("basic", f"choices.{c.id}", f"基本信息“{c.label}”未选择")
                 for c in program.choices if c.required and not str(chosen.get(c.id) or "").strip()]
    return gaps


def letter_gaps(draft: Draft, program: Program | None = None) -> list[Gap]:
    """The date the book is signed: the letter's 落款日期, or the 申报日期 on 基本信息 when the
    program has no 信用承诺书."""
    if parse_iso(draft.letter_date) is None:
        if program is not None and program.letter is None:
            return [Gap("basic", "date", "申报日期不是有效日期")]
        title = program.letter.title if program is not None and program.letter is not None else "信用承诺书"
        return [Gap("letter", "date", f"{title}落款日期不是有效日期")]
    return []


def all_gaps(program: Program, draft: Draft) -> list[Gap]:
    """Every gap in page order: basic info, the outline parts, the letter."""
    gaps = basic_gaps(draft, program)
    if program.letter is None:
        gaps += letter_gaps(draft, program)
    for node in program.parts():
        gaps += part_gaps(program, draft, node)
    return gaps + (letter_gaps(draft, program) if program.letter is not None else [])


def eligibility_state(program: Program, draft: Draft) -> str:
    """申报条件自查: complete when every condition is met with its evidence named."""
    saved = draft.data.get("eligibility", {})
    entries = [saved.get(c.id, {}) for c in program.conditions]
    if all(e.get("met") is True and e.get("evidence") for e in entries):
        return COMPLETE
    return PARTIAL if any(e.get("met") is not None or e.get("evidence") for e in entries) else EMPTY


def page_gaps(program: Program, draft: Draft, key: str) -> list[Gap]:
    """What is missing on the wizard page `key` (basic, letter or an outline part)."""
    if key == "basic":
        gaps = basic_gaps(draft, program)
        return gaps + (letter_gaps(draft, program) if program.letter is None else [])
    if key == "letter":
        return letter_gaps(draft, program)
    try:
        node = program.node(key)
    except KeyError:
        return []  # views and 附件材料: nothing they must hold
    return part_gaps(program, draft, node)


def state_of(program: Program, draft: Draft, key: str) -> str:
    """The wizard page `key`'s mark (○ ◐ ●), from the draft alone: the side list and
    申报总览 show it for pages that have not been built yet. A page with carried-over
    items still open is TO_REVIEW (◐ 待核对) whatever it holds."""
    from desktop_app.core import review

    if key == REVIEW_PAGE:
        return TO_REVIEW if review.open_items(draft) else COMPLETE
    state = _fill_state(program, draft, key)
    if state != EMPTY and draft.data.get("review"):
        # without a 信用承诺书 the date (letter.date) is the 申报日期 on 基本信息
        keys = (key, "letter") if key == "basic" and program.letter is None else (key,)
        if any(review.open_items(draft, k) for k in keys):
            return TO_REVIEW
    return state


def _fill_state(program: Program, draft: Draft, key: str) -> str:
    if key == "eligibility":
        return eligibility_state(program, draft)
    if key == "basic":
        has_content = any(draft.applicant.get(k) for k in ("organization", "city", "contact", "phone"))
        return page_state(page_gaps(program, draft, key), has_content)
    if key == "letter":
        # Nothing to show as done before the officer has said who signs it (申报单位).
        if not draft.applicant.get("organization", "").strip():
            return EMPTY
        return page_state(page_gaps(program, draft, key), True)
    if key == "attachments":
        return attachments_state(draft)
    try:
        node = program.node(key)
    except KeyError:
        return COMPLETE  # views and 附件材料: nothing they must hold
    return page_state(part_gaps(program, draft, node), part_has_content(draft, node))


def attachments_state(draft: Draft) -> str:
    """附件材料: ○ while none is listed, ● when each listed one has its name."""
    listed = draft.data.get("attachments") or []
    if not listed:
        return EMPTY
    return COMPLETE if all(str(a.get("title") or "").strip() for a in listed) else PARTIAL


def page_state(gaps: list[Gap], has_content: bool) -> str:
    if not gaps:
        return COMPLETE
    return PARTIAL if has_content else EMPTY


def part_has_content(draft: Draft, node: OutlineNode) -> bool:
    part = draft.part(node.id)
    if char_count(part.get("text", "")):
        return True
    if part.get("items") or part.get("rows"):
        return True
    if any(i.get("baseline") is not None or any(t is not None for t in i.get("targets", []))
           for i in part.get("indicators", [])):
        return True
    return any(char_count(m.get("text", "")) or m.get("lead") for m in part.get("tasks", []))
