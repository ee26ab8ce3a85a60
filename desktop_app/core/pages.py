"""The pages of a draft, in the one order everything shows them.

The wizard's pages, its side list, 申报总览, the checks' sort order and the page a
finding sends the officer to all come from `pages()`; app/wizard_plan.py adds the
navigation and the states on top. (Here in core, not in app/, because the rules sort
their findings by this order and core imports nothing above it.)
"""
from __future__ import annotations

from desktop_app.core.completeness import REVIEW_PAGE
from desktop_app.core.draft import Draft
from desktop_app.core.program import Program

GLANCE, BASIC, ELIGIBILITY, LETTER, ATTACHMENTS, EXPORT = (
    "glance", "basic", "eligibility", "letter", "attachments", "export")
REVIEW = REVIEW_PAGE
#: What a page is: a view of the draft (申报总览, 检查与导出), the review list, or a form.
VIEW, REVIEW_KIND, FORM, PART = "view", "review", "form", "part"


class Page:
    """One page: its key, title and kind (VIEW, REVIEW_KIND, FORM or PART, an outline part
    of the 建设方案). A plain class, not a dataclass: this module is on the start path."""

    __slots__ = ("key", "kind", "title")

    def __init__(self, key: str, title: str, kind: str):
        self.key, self.title, self.kind = key, title, kind

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Page) and (self.key, self.title, self.kind) == (other.key, other.title, other.kind)

    def __hash__(self) -> int:
        return hash((self.key, self.title, self.kind))

    def __repr__(self) -> str:
        return f"Page({self.key!r}, {self.title!r}, {self.kind!r})"

    @property
    def is_view(self) -> bool:
        """Shows the draft rather than edits it: no completeness mark of its own."""
        return self.kind == VIEW


def pages(program: Program, draft: Draft | None = None) -> list[Page]:
    """Every page of the draft, in wizard order. Without a draft (or for a draft that
    was not carried over) there is no 核对上年内容."""
    plan = [Page(GLANCE, "申报总览", VIEW)]
    if draft is not None and draft.data.get("review"):  # carried over: 核对上年内容 right after 申报总览
        plan.append(Page(REVIEW, "核对上年内容", REVIEW_KIND))
    plan.append(Page(BASIC, "基本信息", FORM))
    if program.conditions:
        plan.append(Page(ELIGIBILITY, "申报条件自查", FORM))
    plan += [Page(node.id, node.heading, PART) for node in program.parts()]
    if program.letter is not None:
        plan.append(Page(LETTER, program.letter.title, FORM))
    if ATTACHMENTS in program.binding_order:  # only programs that bind 附件材料
        plan.append(Page(ATTACHMENTS, "附件材料", FORM))
    plan.append(Page(EXPORT, "检查与导出", VIEW))
    return plan


def page_order(program: Program, draft: Draft | None = None) -> list[str]:
    return [p.key for p in pages(program, draft)]


def attachments_page(program: Program) -> str:
    """Where attachments are edited: 附件材料 when the program binds them, else 检查与导出."""
    return ATTACHMENTS if ATTACHMENTS in program.binding_order else EXPORT


def page_of(program: Program, page: str, field: str = "") -> str:
    """The page where the officer edits what a finding (page, field) points at (an
    attachment: attachments_page)."""
    if field.startswith("attachments."):
        return attachments_page(program)
    return page
