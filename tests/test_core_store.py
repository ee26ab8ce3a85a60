"""DraftStore: drafts in one SQLite file — round trips, listing, reopening, settings, refusals."""
from __future__ import annotations

import os
import re
import sqlite3

import pytest

from desktop_app.core import store as store_module
from desktop_app.core.store import SCHEMA_VERSION, DraftStore, StoreError

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "drafts.sqlite3"


@pytest.fixture
def clock(monkeypatch):
    """Make store timestamps strictly increasing so ordering does not depend on the wall clock."""
    ticks = iter(f"2021-03-01T09:{m:02d}:00" for m in range(60))
    monkeypatch.setattr(store_module, "_now", lambda: next(ticks))


def _raw(path, sql, params=()):
    """Read straight from the SQLite file, bypassing DraftStore."""
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


# drafts ------------------------------------------------------------------------------
def test_save_then_load_returns_an_equal_draft(store, sample_draft):
    store.save(sample_draft)
    loaded = store.load(sample_draft.id)
    assert loaded == sample_draft
    assert loaded is not sample_draft
    assert loaded.data["parts"]["targets"]["indicators"][4]["baseline"] == 18.6
    assert loaded.text("overview") == sample_draft.text("overview")


def test_save_twice_updates_the_row_and_keeps_created(store, sample_draft, clock):
    store.save(sample_draft)
    created_first, updated_first = store.db.execute(
        "SELECT created, updated FROM drafts WHERE id = ?", [sample_draft.id]).fetchone()
    sample_draft.set_text("overview", "改过的概述。")
    store.save(sample_draft)
    rows = store.db.execute("SELECT created, updated, data FROM drafts").fetchall()
    assert len(rows) == 1
    created, updated, data = rows[0]
    assert created == created_first
    assert updated > updated_first
    assert "改过的概述。" in data
    assert store.load(sample_draft.id).text("overview") == "改过的概述。"


def test_load_unknown_id_raises_keyerror(store):
    with pytest.raises(KeyError):
        store.load("no-such-draft")
    assert store.exists("no-such-draft") is False


def test_delete_removes_the_draft(store, sample_draft):
    store.save(sample_draft)
    assert store.exists(sample_draft.id)
    store.delete(sample_draft.id)
    assert not store.exists(sample_draft.id)
    assert store.list() == []
    with pytest.raises(KeyError):
        store.load(sample_draft.id)


def test_list_is_most_recent_first_with_summary_fields(store, sample_draft, program, clock):
    from desktop_app.core.draft import new_draft

    mine = new_draft(program, organization="镇江市人民政府", city="镇江市")
    store.save(sample_draft)           # 09:00
    store.save(mine)                   # 09:01
    rows = store.list()
    assert [r.id for r in rows] == [mine.id, sample_draft.id]

    sample_row = rows[1]
    assert sample_row.title == "【示例】扬州市 2021年度申报"
    assert sample_row.title.startswith("【示例】")
    assert sample_row.is_sample is True
    assert sample_row.program_id == "key_city_2021"
    assert sample_row.city == "扬州市"
    assert sample_row.year == 2021
    assert sample_row.parent_id is None
    assert sample_row.last_page is None
    assert sample_row.updated == "2021-03-01T09:00:00"

    mine_row = rows[0]
    assert "【示例】" not in mine_row.title
    assert mine_row.title == "镇江市 2021年度申报"
    assert mine_row.is_sample is False

    # Editing the older draft moves it to the top.
    store.save(sample_draft)           # 09:02
    assert [r.id for r in store.list()] == [sample_draft.id, mine.id]


def test_list_breaks_equal_times_by_title(store, sample_draft, program, monkeypatch):
    from desktop_app.core.draft import new_draft

    monkeypatch.setattr(store_module, "_now", lambda: "2021-03-01T09:00:00")
    a = new_draft(program, organization="甲", city="A城")
    b = new_draft(program, organization="乙", city="B城")
    store.save(b)
    store.save(a)
    assert [r.title for r in store.list()] == sorted([a.title, b.title])


# file-backed store ------------------------------------------------------------------------
def test_reopen_file_store_finds_the_draft_exactly(db_path, sample_draft):
    s = DraftStore(db_path)
    s.save(sample_draft)
    s.close()
    assert db_path.is_file()

    again = DraftStore(db_path)
    try:
        assert [r.id for r in again.list()] == [sample_draft.id]
        assert again.load(sample_draft.id) == sample_draft
    finally:
        again.close()


def test_last_page_is_remembered_across_reopen(db_path, sample_draft):
    s = DraftStore(db_path)
    s.save(sample_draft)
    assert s.last_page(sample_draft.id) is None
    s.set_last_page(sample_draft.id, "measures")
    s.close()

    again = DraftStore(db_path)
    try:
        assert again.last_page(sample_draft.id) == "measures"
        assert again.list()[0].last_page == "measures"
        # Saving the content again does not forget where the officer was.
        again.save(sample_draft)
        assert again.last_page(sample_draft.id) == "measures"
    finally:
        again.close()
    assert _raw(db_path, "SELECT last_page FROM drafts WHERE id = ?", [sample_draft.id]) == [("measures",)]


def test_last_page_of_unknown_draft_is_none(store):
    assert store.last_page("nothing") is None


def test_meta_get_set_delete(db_path):
    s = DraftStore(db_path)
    assert s.get_meta("font.body") is None
    assert s.get_meta("font.body", "仿宋_GB2312") == "仿宋_GB2312"
    s.set_meta("font.body", "仿宋")
    assert s.get_meta("font.body") == "仿宋"
    s.set_meta("font.body", "FandolFang")
    assert s.get_meta("font.body") == "FandolFang"
    s.set_meta("last_draft", "abc")
    s.close()
    assert sorted(_raw(db_path, "SELECT key, value FROM meta")) == [("font.body", "FandolFang"), ("last_draft", "abc")]

    s = DraftStore(db_path)
    try:
        assert s.get_meta("font.body") == "FandolFang"
        s.set_meta("font.body", None)
        assert s.get_meta("font.body") is None
        assert s.get_meta("font.body", "默认") == "默认"
        assert s.get_meta("last_draft") == "abc"
    finally:
        s.close()
    assert _raw(db_path, "SELECT key FROM meta") == [("last_draft",)]


def test_schema_version_is_set(db_path, store):
    assert SCHEMA_VERSION >= 1
    assert store.schema_version == SCHEMA_VERSION
    DraftStore(db_path).close()
    assert _raw(db_path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    tables = {name for (name,) in _raw(db_path, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"drafts", "meta"} <= tables


def test_reopening_a_current_file_does_not_migrate_again(db_path, sample_draft):
    s = DraftStore(db_path)
    s.save(sample_draft)
    s.close()
    again = DraftStore(db_path)
    try:
        assert again.schema_version == SCHEMA_VERSION
        assert again.load(sample_draft.id) == sample_draft
    finally:
        again.close()


def test_file_store_uses_wal_journal(db_path):
    s = DraftStore(db_path)
    try:
        assert s.db.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal"
    finally:
        s.close()
    # WAL is a property of the file: a plain connection sees it too.
    assert _raw(db_path, "PRAGMA journal_mode")[0][0].lower() == "wal"


# files the store must refuse -------------------------------------------------------------
def _newer_file(path):
    conn = sqlite3.connect(str(path))
    conn.execute("CREATE TABLE drafts (id TEXT PRIMARY KEY, data TEXT)")
    conn.execute("INSERT INTO drafts VALUES ('x', '{}')")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()


def test_newer_schema_version_is_refused_in_chinese(db_path):
    _newer_file(db_path)
    with pytest.raises(StoreError) as info:
        DraftStore(db_path)
    message = str(info.value)
    assert CJK.search(message)
    assert "升级" in message
    assert str(SCHEMA_VERSION + 1) in message
    # The data the newer program wrote is still there.
    assert _raw(db_path, "SELECT id FROM drafts") == [("x",)]
    assert _raw(db_path, "PRAGMA user_version") == [(SCHEMA_VERSION + 1,)]


def test_newer_schema_version_file_bytes_are_unchanged(db_path):
    _newer_file(db_path)
    before = db_path.read_bytes()
    with pytest.raises(StoreError):
        DraftStore(db_path)
    assert db_path.read_bytes() == before
    assert _raw(db_path, "PRAGMA journal_mode")[0][0].lower() != "wal"


def test_file_that_is_not_a_database_is_refused_and_left_alone(db_path):
    garbage = os.urandom(8192)
    db_path.write_bytes(garbage)
    with pytest.raises(StoreError) as info:
        DraftStore(db_path)
    message = str(info.value)
    assert CJK.search(message)
    assert "没有改动" in message
    assert db_path.read_bytes() == garbage
    assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]


def test_text_file_is_refused_and_left_alone(db_path):
    content = "这不是数据库\n".encode() * 200
    db_path.write_bytes(content)
    with pytest.raises(StoreError):
        DraftStore(db_path)
    assert db_path.read_bytes() == content
