"""从往年草稿新建 (carry-over) and 历史版本 (revisions) in the core, without Qt."""
from __future__ import annotations

import json

from desktop_app.core.carry_over import carry_over, shift_years
from desktop_app.core.exchange import validate_document
from desktop_app.core.history import diff_drafts
from desktop_app.core.store import MAX_REVISIONS, DraftStore


def test_shift_years_leaves_document_titles_and_numbers_alone():
    text = "2021—2023年，落实《江苏省专利转化专项计划实施方案（2021-2023年）》和苏政办发〔2021〕23号，以2020年度为基期。"
    assert shift_years(text, 1) == (
        "2022—2024年，落实《江苏省专利转化专项计划实施方案（2021-2023年）》和苏政办发〔2021〕23号，以2021年度为基期。"
    )
    # numbers that are not years stay as they are, and so do standard codes
    assert shift_years("转化专利1206件，金额41800万元，DB32/T 4308-2022，GB/T 9704-2012", 1) == (
        "转化专利1206件，金额41800万元，DB32/T 4308-2022，GB/T 9704-2012")


def test_carry_over_of_the_sample(sample_draft):
    new = carry_over(sample_draft, 2022)
    assert new.id != sample_draft.id and new.parent_id == sample_draft.id
    assert not new.is_sample
    assert new.year == 2022 and new.plan_years == [2022, 2023, 2024]
    assert new.letter_date == "2022-03-01"
    # schedule rows move with the plan
    old_years = [r["year"] for r in sample_draft.part("schedule")["rows"]]
    assert [r["year"] for r in new.part("schedule")["rows"]] == [y + 1 for y in old_years]
    # prose: only the plan period moves; past statements keep their years, titles stay
    old_text = sample_draft.text("foundation")
    new_text = new.text("foundation")
    assert "2020年" in old_text and new_text == old_text
    assert "到2024年" in new.text("targets") and "到2023年" in sample_draft.text("targets")
    for title in __import__("re").findall(r"《[^》]*》", sample_draft.text("approach")):
        assert title in new.text("approach")
    # every change and every past statement is a review item; the indicators' 基期值 too
    paths = {i["path"] for i in new.data["review"]}
    assert "parts.overview.text" in paths and "parts.foundation.text" in paths
    assert all(f"parts.targets.indicators.{n}.baseline" in paths for n in range(7))
    assert "parts.schedule.rows.0.progress" in paths
    # the source draft is untouched and the result is a valid draft file
    assert sample_draft.year == 2021 and "review" not in sample_draft.data
    assert validate_document(new.data) == []


def test_revisions_fold_within_window_and_restore_brings_old_text(sample_draft):
    store = DraftStore(memory=True)
    store.save(sample_draft, reason="import")
    original = sample_draft.text("overview")
    sample_draft.set_text("overview", "改写后的概述。")
    store.save(sample_draft)
    sample_draft.set_text("overview", "再次改写的概述。")
    store.save(sample_draft)  # same working spell: folds into the previous edit revision
    revs = store.revisions(sample_draft.id)
    assert [r.reason for r in revs] == ["edit", "import"]
    assert revs[0].parts == ("overview",)
    diffs = diff_drafts(store.revision_draft(revs[1].id), store.revision_draft(revs[0].id))
    assert [d.path for d in diffs] == ["parts.overview.text"]
    assert "+ 再次改写的概述。" in diffs[0].lines
    restored = store.restore(revs[1].id)
    assert restored.text("overview") == original
    assert store.load(sample_draft.id).text("overview") == original
    # the restore is itself a revision, so it can be undone
    assert store.revisions(sample_draft.id)[0].reason == "restore"


def test_revisions_are_bounded(sample_draft):
    store = DraftStore(memory=True)
    for n in range(MAX_REVISIONS + 15):
        sample_draft.set_text("approach", f"第{n}稿")
        store.save(sample_draft, reason="import")  # a non-edit reason never folds
    revs = store.revisions(sample_draft.id)
    assert len(revs) == MAX_REVISIONS
    assert store.revision_draft(revs[0].id).text("approach") == f"第{MAX_REVISIONS + 14}稿"


def test_store_upgrades_a_version_1_file(tmp_path, sample_draft):
    import sqlite3

    from desktop_app.core.store import MIGRATIONS, SCHEMA_VERSION

    path = tmp_path / "v1.sqlite3"
    con = sqlite3.connect(path)
    con.close()
    # build a version-1 file with the first migration only
    import sqlite_utils

    db = sqlite_utils.Database(path)
    MIGRATIONS[0](db)
    db.execute("PRAGMA user_version = 1")
    db.execute("INSERT INTO drafts (id, program_id, data, created, updated) VALUES (?,?,?,?,?)",
               [sample_draft.id, sample_draft.program_id, json.dumps(sample_draft.data), "2021", "2021"])
    db.conn.commit()
    db.conn.close()
    store = DraftStore(path)
    assert store.schema_version == SCHEMA_VERSION
    assert store.load(sample_draft.id) == sample_draft
    assert store.revisions(sample_draft.id) == []
    store.close()
