"""The wizard plan: which pages a draft has, in what order, what state each is in, and
where next / previous / a finding lead. Plain Python, no Qt (after Electrum's wizard
navmap): ui/wizard.py builds its pages from it and asks it where to go; the side list
and 申报总览 show its states; the checks are sorted in its order (core/pages.py).

    plan = WizardPlan(program, draft)
    plan.keys()                 # ["glance", "basic", "eligibility", "overview", …, "export"]
    plan.next_key("basic")      # "eligibility"
    plan.page_for("export", "attachments.0.title")   # "attachments" where the program has it
    plan.states(findings)       # [(key, title, state)] for the side list and 申报总览
"""
from __future__ import annotations

from collections.abc import Iterable

from desktop_app.core import completeness
from desktop_app.core.draft import Draft
from desktop_app.core.findings import ERROR, Finding
from desktop_app.core.pages import EXPORT, GLANCE, Page, page_of, pages
from desktop_app.core.program import Program

#: 申报总览's extra state: an error finding points at the page (wins over completeness).
HAS_ERRORS = "errors"
#: The side list's mark and the words for each completeness state.
MARKS = {completeness.EMPTY: "○", completeness.PARTIAL: "◐", completeness.COMPLETE: "●",
         completeness.TO_REVIEW: "◐", HAS_ERRORS: "✖"}
STATE_TEXT = {completeness.EMPTY: "未填写", completeness.PARTIAL: "待完善", completeness.COMPLETE: "已完成",
              completeness.TO_REVIEW: "待核对", HAS_ERRORS: "有错误"}
#: Pages a read-only draft (another copy is editing it) still lets the officer use.
READ_ONLY_PAGES = (GLANCE, EXPORT)


class WizardPlan:
    """The pages of one draft. Made again when the draft's shape changes (carried over,
    核对上年内容 finished); cheap: no checks run here unless asked (states)."""

    def __init__(self, program: Program, draft: Draft):
        self.program = program
        self.draft = draft
        self.pages: list[Page] = pages(program, draft)
        self._index = {p.key: n for n, p in enumerate(self.pages)}

    # order and navigation --------------------------------------------------------------
    def keys(self) -> list[str]:
        return [p.key for p in self.pages]

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def page(self, key: str) -> Page:
        return self.pages[self._index[key]]

    def title(self, key: str) -> str:
        return self.page(key).title

    def first_key(self) -> str:
        return self.pages[0].key

    def next_key(self, key: str) -> str | None:
        """The page after `key` (None on the last, 检查与导出)."""
        n = self._index.get(key)
        return self.pages[n + 1].key if n is not None and n + 1 < len(self.pages) else None

    def previous_key(self, key: str) -> str | None:
        n = self._index.get(key)
        return self.pages[n - 1].key if n is not None and n > 0 else None

    def page_for(self, page: str, field: str = "") -> str | None:
        """Where a finding or a gap (page, field) is fixed; None when this draft has no such page."""
        key = page_of(self.program, page, field)
        return key if key in self._index else None

    # states ------------------------------------------------------------------------------
    def state(self, key: str) -> str:
        """● ◐ ○ of one page from its own fields (a view page counts as complete). A key that
        is no page of this draft (a finding on a part a carried-over or moved draft still
        holds) is judged from the draft alone."""
        if key in self._index and self.page(key).is_view:
            return completeness.COMPLETE
        return completeness.state_of(self.program, self.draft, key)

    def states(self) -> list[tuple[str, str, str]]:
        """(key, title, state) of every page, in order: the side list and 申报总览."""
        return [(p.key, p.title, self.state(p.key)) for p in self.pages]

    def shows_findings_on(self, key: str, visited: Iterable[str] = (), check_asked: bool = False) -> bool:
        """Whether the findings on page `key` are shown yet: once the officer has opened
        the page (`visited`), entered anything on it, or asked for the whole check. A new
        draft opens calm — its unfilled parts are ○ 未填写, not a list of errors."""
        return check_asked or key in visited or self.state(key) != completeness.EMPTY

    def shown_findings(self, findings: Iterable[Finding], visited: Iterable[str] = (),
                       check_asked: bool = False) -> list[Finding]:
        seen = set(visited)
        return [f for f in findings if self.shows_findings_on(f.page, seen, check_asked)]

    def mark(self, key: str) -> str:
        """The side list's text for a page: its mark and title (views: ▶)."""
        page = self.page(key)
        if page.is_view:
            return f"  ▶ {page.title}"
        return f"{MARKS[self.state(key)]} {page.title}"


def overview_state(page_state: str, findings: Iterable[Finding]) -> str:
    """A page's state on 申报总览: has errors when an error finding points at it."""
    return HAS_ERRORS if any(f.severity == ERROR for f in findings) else page_state


def ready_state(states: Iterable[str], findings: Iterable[Finding]) -> str:
    """检查与导出 on 申报总览: ○ while nothing is entered, ● once every page is complete and
    no error is left, ◐ between."""
    states = list(states)
    if all(s == completeness.EMPTY for s in states):
        return completeness.EMPTY
    if all(s == completeness.COMPLETE for s in states) and not any(f.severity == ERROR for f in findings):
        return completeness.COMPLETE
    return completeness.PARTIAL


def findings_by_page(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    by_page: dict[str, list[Finding]] = {}
    for f in findings:
        by_page.setdefault(f.page, []).append(f)
    return by_page
