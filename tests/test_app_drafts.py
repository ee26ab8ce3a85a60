"""Draft use-cases without Qt (app/drafts.py): what the window and the command line share."""
from __future__ import annotations

import pytest

from desktop_app.app import drafts
from desktop_app.core.exchange import write_draft_file


def test_new_and_carried_over_drafts_are_stored(store, program):
    first = drafts.create_draft(store, program, organization="扬州市人民政府", city="扬州市", year=2021)
    assert store.load(first.id).city == "扬州市"
    carried = drafts.carry_over_draft(store, first.id, 2022)
    assert carried.year == 2022 and carried.parent_id == first.id
    assert [r.reason for r in drafts.history(store, carried.id)] == ["carry_over"]


def test_import_asks_for_a_draft_already_there_and_does_what_it_is_told(store, sample_draft, tmp_path):
    path = tmp_path / "草稿.json"
    write_draft_file(sample_draft, path)
    stored = drafts.import_draft(store, drafts.read_draft(path))
    assert stored.id == sample_draft.id
    again = drafts.read_draft(path)
    again.applicant["contact"] = "郑洁"
    with pytest.raises(drafts.DraftExists) as info:
        drafts.import_draft(store, again)
    assert info.value.existing_title == sample_draft.title
    assert store.load(sample_draft.id).applicant["contact"] != "郑洁"  # nothing written
    copy = drafts.import_draft(store, again, drafts.KEEP_BOTH)
    assert copy.id != sample_draft.id and store.load(copy.id).applicant["contact"] == "郑洁"
    drafts.import_draft(store, again, drafts.REPLACE)
    assert store.load(sample_draft.id).applicant["contact"] == "郑洁"
    # the replaced content is still in the history, and can be restored
    revisions = drafts.history(store, sample_draft.id)
    assert len(revisions) >= 1
    drafts.delete_draft(store, copy.id)
    assert not store.exists(copy.id)


def test_check_lines_end_with_a_sum(program, sample_draft):
    findings = drafts.check(sample_draft, program)
    lines = drafts.check_lines(findings)
    assert len(lines) == len(findings) + 1
    assert lines[-1].startswith("共 ") or lines[-1] == "检查通过，没有发现问题。"
    assert drafts.check_lines([]) == ["检查通过，没有发现问题。"]
