"""SQLite errors are told apart by their result codes, not by the words of the message
(which differ between SQLite versions and can be translated)."""
from __future__ import annotations

import sqlite3

import pytest

from desktop_app.core.store import _error_kind


def test_the_code_decides_whatever_the_words_say():
    exc = sqlite3.OperationalError("database or disk is full")  # the words say full …
    exc.sqlite_errorcode = 5  # … the code says SQLITE_BUSY
    assert _error_kind(exc) == "busy"
    exc.sqlite_errorcode = 13 | (1 << 8)  # an extended code: its low byte is the primary one
    assert _error_kind(exc) == "full"


def test_a_real_file_that_is_no_database_is_damaged(tmp_path):
    path = tmp_path / "草稿库.sqlite3"
    path.write_bytes(b"this is no database " * 400)
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError) as info:
        conn.execute("SELECT * FROM sqlite_master").fetchall()
    conn.close()
    assert info.value.sqlite_errorcode & 0xFF == 26  # SQLITE_NOTADB
    assert _error_kind(info.value) == "damaged"


def test_the_backup_before_a_migration_says_why_it_failed_by_the_code(tmp_path, monkeypatch):
    from desktop_app.core import store as store_module
    from desktop_app.core.store import DraftStore, StoreError

    path = tmp_path / "drafts.sqlite3"
    DraftStore(path).close()
    db = DraftStore(path)
    failing = sqlite3.OperationalError("some words no one checks")
    failing.sqlite_errorcode = 13  # SQLITE_FULL

    def connect(*_args, **_kwargs):
        raise failing

    monkeypatch.setattr(store_module.sqlite3, "connect", connect)
    with pytest.raises(StoreError, match="磁盘空间不足"):
        db._backup(1)
    monkeypatch.undo()
    db.close()
