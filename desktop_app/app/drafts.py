"""Draft use-cases: new, carry over, import a draft file, check, history, delete.

The window (MainWindow, ui/draft_files.py) asks the officer and shows the outcome; the
command line takes its answers from arguments; what happens to the drafts is decided
here, once, for both.
"""
from __future__ import annotations

import copy
import os
from typing import Any

from desktop_app.core.draft import Draft, new_draft, uuid4_hex
from desktop_app.core.findings import ERROR, Finding
from desktop_app.core.program import Program, get_program
from desktop_app.core.store import DraftStore, Revision

#: What to do with an imported draft that is already in the store.
REPLACE, KEEP_BOTH = "replace", "copy"


class DraftExists(Exception):
    """The imported draft is already in the store and no answer was given."""

    def __init__(self, draft: Draft, existing_title: str):
        super().__init__(f"库中已有编号为 {draft.id} 的草稿（“{existing_title}”）")
        self.draft = draft
        self.existing_title = existing_title


# new ------------------------------------------------------------------------------------
def create_draft(store: DraftStore, program: Program, **values: Any) -> Draft:
    """新建草稿: a fresh draft for `program` (organization, city, year, contact, phone), stored."""
    draft = new_draft(program, **values)
    store.save(draft)
    return draft


def carry_over_draft(store: DraftStore, source_id: str, year: int) -> Draft:
    """从往年草稿新建: a stored draft carried into `year` (core/carry_over.py), stored beside it."""
    from desktop_app.core.carry_over import carry_over

    draft = carry_over(store.load(source_id), year)
    store.save(draft, reason="carry_over")
    return draft


# draft files ----------------------------------------------------------------------------
def read_draft(path: str | os.PathLike) -> Draft:
    """A draft file read and checked (DraftFormatError with the reason in Chinese)."""
    from desktop_app.core.exchange import read_draft_file

    return read_draft_file(path)


def as_copy(draft: Draft) -> Draft:
    """The same content under a new id, so both versions are kept side by side."""
    data = copy.deepcopy(draft.data)
    data["id"] = uuid4_hex()
    return Draft(data)


def existing_title(store: DraftStore, draft: Draft) -> str | None:
    """The title of the stored draft with this draft's id, or None when there is none."""
    return store.load(draft.id).title if store.exists(draft.id) else None


def import_draft(store: DraftStore, draft: Draft, duplicate: str | None = None) -> Draft:
    """导入草稿文件: store `draft`. When its id is already there, `duplicate` says what to do
    (REPLACE: over it, the old content kept in 历史版本; KEEP_BOTH: as a new draft); None
    raises DraftExists. Returns the draft as stored."""
    title = existing_title(store, draft)
    if title is not None:
        if duplicate == KEEP_BOTH:
            draft = as_copy(draft)
        elif duplicate != REPLACE:
            raise DraftExists(draft, title)
    store.save(draft, reason="import")
    return draft


# check ----------------------------------------------------------------------------------
def check(draft: Draft, program: Program | None = None) -> list[Finding]:
    """按指南检查: every finding, sorted as the wizard's pages are (core/rules.py)."""
    from desktop_app.core.rules import run_checks

    return run_checks(program or get_program(draft.program_id), draft)


def check_lines(findings: list[Finding]) -> list[str]:
    """The findings as the command line prints them, and a last line that sums them up."""
    labels = {"error": "错误", "warning": "警告", "hint": "提示"}
    lines = [f"[{labels.get(f.severity, f.severity)}] {f.message}  ({f.page}:{f.field})" for f in findings]
    errors = sum(f.severity == ERROR for f in findings)
    lines.append(f"共 {len(findings)} 条：{errors} 个错误" if findings else "检查通过，没有发现问题。")
    return lines


# history and removal --------------------------------------------------------------------
def history(store: DraftStore, draft_id: str) -> list[Revision]:
    """历史版本, newest first."""
    return store.revisions(draft_id)


def restore(store: DraftStore, revision_id: int) -> Draft:
    """Make an old version current (the current one stays in the history)."""
    return store.restore(revision_id)


def delete_draft(store: DraftStore, draft_id: str) -> None:
    """Delete the draft with its history and its records (版式设置 …)."""
    store.delete(draft_id)
