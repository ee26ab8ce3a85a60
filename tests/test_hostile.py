"""The holes a hostile test found (issue 23), each reproduced as the attack did it.

1. a draft's id used as a file path; 2. a lost update after a claim expired, and
open_draft reading before it claimed; 5. another program's SQLite file written;
7. the smaller ones (disk full, undecodable rows, a locked library, the WAL).
The template bombs (3), the limits (4) and the command line (6) have their own
files: test_hostile_programs.py, test_hostile_limits.py, test_hostile_cli.py.
"""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
import time

import pytest

from desktop_app import paths
from desktop_app.core import claims
from desktop_app.core.store import DraftConflict, DraftStore, StoreBusy, StoreError


def _files(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def _sleep_past_claim(store, draft_id):
    """As if the holder's laptop lid was closed for longer than CLAIM_TTL."""
    key = claims.claim_key(draft_id)
    stale = (claims.utcnow() - claims.CLAIM_TTL - dt.timedelta(seconds=1)).isoformat()
    store.set_meta(key, json.dumps(json.loads(store.get_meta(key)) | {"heartbeat": stale}))


# 1. ids from files never reach a path ------------------------------------------------------------
@pytest.mark.parametrize("hostile", ["../../victim", "/tmp/x/settings", "..", "a/b", "CON", "-rf", "草稿",
                                     "x" * 64 + "y", "C:\\Windows\\x", ""])
def test_a_hostile_draft_id_maps_to_a_file_inside_its_folder(hostile):
    path = paths.draft_record_path("pdf_pages", hostile)
    folder = paths.data_dir() / "pdf_pages"
    assert path.parent == folder and path.name.endswith(".json")
    assert "/" not in path.stem and "\\" not in path.stem and ".." not in path.stem
    assert paths.draft_record_path("pdf_pages", "sample-yangzhou-2021").name == "sample-yangzhou-2021.json"
    assert paths.draft_record_path("pdf_pages", hostile + "z") != path  # distinct ids stay distinct


def test_the_pdf_pages_record_of_a_hostile_id_does_not_overwrite_a_victim(tmp_path, sample_draft, store):
    """The record lives in the library (DraftStore), never in a file named after the id."""
    from desktop_app.book.bind_sheet import load_pdf_pages, record_pdf_pages

    victim = tmp_path / "victim" / "settings.json"
    victim.parent.mkdir()
    victim.write_text('{"keep": true}', encoding="utf-8")
    for hostile in (str(victim.with_suffix("")), "../" * 12 + str(victim.with_suffix("")).lstrip("/")):
        draft = sample_draft.copy()
        draft.data["id"] = hostile
        record_pdf_pages(draft, tmp_path / "book.pdf", [1, 3], 9, store.set_draft_record)
        assert victim.read_text(encoding="utf-8") == '{"keep": true}'
        assert load_pdf_pages(draft, store)["starts"] == [1, 3]
    assert not (paths.data_dir() / "pdf_pages").exists()


# 2. lost updates ---------------------------------------------------------------------------------
def test_a_copy_that_slept_past_its_claim_keeps_both_versions(tmp_path, sample_draft):
    path = tmp_path / "drafts.sqlite3"
    a = DraftStore(path)
    a.save(sample_draft)
    mine, holder = a.open_for_edit(sample_draft.id)
    assert holder is None
    _sleep_past_claim(a, sample_draft.id)
    b = DraftStore(path)
    theirs, holder = b.open_for_edit(sample_draft.id)
    assert holder is None  # A's claim expired: B may edit
    theirs.set_text("overview", "B 在 A 休眠时写的内容")
    b.save(theirs)
    b.close()  # B closes: its claim is gone, as A's is
    a.renew()  # A wakes: its heartbeat must not quietly take the changed draft back
    mine.set_text("overview", "A 醒来后的自动保存")
    with pytest.raises(DraftConflict) as info:
        a.save(mine)
    message = str(info.value)
    assert "另一个" in message and "历史版本" in message and "覆盖" in message
    assert a.load(sample_draft.id).text("overview") == "B 在 A 休眠时写的内容"  # theirs, untouched
    history = a.revisions(sample_draft.id)
    assert history[0].reason == "conflict" and history[0].id == info.value.revision_id
    assert a.revision_draft(history[0].id).text("overview") == "A 醒来后的自动保存"  # ours, kept
    texts = [a.revision_draft(r.id).text("overview") for r in history]
    assert "B 在 A 休眠时写的内容" in texts  # B's edit is in history too: nothing folded over it
    # Reopened, A edits the stored draft normally again.
    again, holder = a.open_for_edit(sample_draft.id)
    assert holder is None and again.text("overview") == "B 在 A 休眠时写的内容"
    again.set_text("overview", "A 比较后的新内容")
    a.save(again)
    assert a.load(sample_draft.id).text("overview") == "A 比较后的新内容"
    a.close()


def test_a_copy_whose_claim_lapsed_but_nothing_changed_saves_normally(tmp_path, sample_draft):
    a = DraftStore(tmp_path / "drafts.sqlite3")
    a.save(sample_draft)
    mine, _ = a.open_for_edit(sample_draft.id)
    a.db.execute("DELETE FROM meta WHERE key = ?", [claims.claim_key(sample_draft.id)])
    mine.set_text("overview", "无人改动，照常保存")
    a.save(mine)
    assert a.load(sample_draft.id).text("overview") == "无人改动，照常保存"
    b = DraftStore(a.path)
    assert b.open_for_edit(sample_draft.id)[1] is not None  # the claim was taken back
    b.close()
    a.close()


def test_edits_from_two_copies_never_fold_into_one_revision(tmp_path, sample_draft):
    path = tmp_path / "drafts.sqlite3"
    a = DraftStore(path)
    a.save(sample_draft)
    a.close()
    b = DraftStore(path)
    draft = b.load(sample_draft.id)
    draft.set_text("overview", "B 的修改")
    b.save(draft)
    b.close()
    a = DraftStore(path)
    draft.set_text("overview", "A 的修改")
    a.save(draft)
    texts = [a.revision_draft(r.id).text("overview") for r in a.revisions(sample_draft.id)]
    assert texts[:2] == ["A 的修改", "B 的修改"]
    a.close()


@pytest.mark.slow
def test_two_copies_opening_and_closing_in_a_loop_lose_no_save(tmp_path, sample_draft):
    """The attack's race: two copies open, edit, save and close one draft over and over.
    open_for_edit claims before it reads, so every save builds on the one before."""
    path = tmp_path / "drafts.sqlite3"
    seed = DraftStore(path)
    sample_draft.set_text("overview", "")
    seed.save(sample_draft)
    seed.close()
    saved = {"A": 0, "B": 0}
    errors = []

    def copy(name):
        store = DraftStore(path)
        try:
            for n in range(60):
                draft, holder = store.open_for_edit(sample_draft.id)
                if holder is None:
                    draft.set_text("overview", draft.text("overview") + f"{name}{n};")
                    store.save(draft)
                    saved[name] += 1
                    store.release(sample_draft.id)
                time.sleep(0.001)  # the other copy's turn
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            store.close()

    threads = [threading.Thread(target=copy, args=(name,)) for name in saved]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    check = DraftStore(path)
    marks = [m for m in check.load(sample_draft.id).text("overview").split(";") if m]
    check.close()
    assert len(marks) == saved["A"] + saved["B"] > 60
    assert len(set(marks)) == len(marks)


@pytest.mark.slow
def test_two_processes_opening_and_closing_in_a_loop_lose_no_save(tmp_path, sample_draft):
    """The same race between two real processes, as the attack ran it."""
    import subprocess
    import sys
    from pathlib import Path

    child = Path(__file__).resolve().parent / "store_child.py"
    path = tmp_path / "drafts.sqlite3"
    seed = DraftStore(path)
    sample_draft.set_text("overview", "")
    seed.save(sample_draft)
    seed.close()
    procs = [subprocess.Popen([sys.executable, str(child), "loop", str(path), f"{sample_draft.id}:{name}:150"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for name in "AB"]
    saved = 0
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        saved += int(out.split()[-1])
    check = DraftStore(path)
    marks = [m for m in check.load(sample_draft.id).text("overview").split(";") if m]
    check.close()
    assert len(marks) == saved and len(set(marks)) == saved > 0


@pytest.mark.gui
def test_the_window_that_slept_past_its_claim_tells_the_officer_and_shows_theirs(qtbot, window, sample_draft,
                                                                                   monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda parent, title, text, *a: shown.append(text)))
    window.store.save(sample_draft)
    assert window.open_draft(sample_draft.id)
    _sleep_past_claim(window.store, sample_draft.id)
    other = DraftStore(window.store.path)
    theirs, holder = other.open_for_edit(sample_draft.id)
    assert holder is None
    theirs.set_text("overview", "另一台电脑保存的内容")
    other.save(theirs)
    other.close()
    window.session.draft.set_text("overview", "本窗口醒来后的修改")
    window.session.touch()
    qtbot.waitUntil(lambda: bool(shown), timeout=3000)
    assert "历史版本" in shown[0] and "覆盖" in shown[0]
    qtbot.waitUntil(lambda: window.session is not None and
                    window.session.draft.text("overview") == "另一台电脑保存的内容", timeout=3000)
    assert not window.session.read_only
    history = window.store.revisions(sample_draft.id)
    assert any(window.store.revision_draft(r.id).text("overview") == "本窗口醒来后的修改" for r in history)
    assert window.store.load(sample_draft.id).text("overview") == "另一台电脑保存的内容"


# 5. another program's SQLite file is never written -------------------------------------------
def _foreign(path, version, *, wal=False, journal=False):
    conn = sqlite3.connect(str(path), isolation_level=None)
    if wal:
        conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('张三')")
    conn.execute(f"PRAGMA user_version = {version}")
    if wal:
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        conn.execute("INSERT INTO contacts VALUES ('李四')")
        # the -wal stays: copy the files away before the connection checkpoints on close
        copies = {p.name: p.read_bytes() for p in path.parent.iterdir() if p.name.startswith(path.name)}
        conn.close()
        for p in path.parent.iterdir():
            if p.name.startswith(path.name):
                p.unlink()
        for name, data in copies.items():
            (path.parent / name).write_bytes(data)
        return
    conn.close()
    if journal:  # a hot journal, as a crash mid-transaction leaves it
        (path.parent / (path.name + "-journal")).write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + b"\0" * 504)


@pytest.mark.parametrize("version", [1, 2, -1, 0])
@pytest.mark.parametrize("extra", ["", "wal", "journal"])
def test_another_programs_database_is_never_written(tmp_path, version, extra):
    path = tmp_path / "other.db"
    _foreign(path, version, wal=extra == "wal", journal=extra == "journal")
    before = _files(tmp_path)
    with pytest.raises(StoreError) as info:
        DraftStore(path)
    message = str(info.value)
    assert "其他程序" in message and "没有改动" in message
    assert not any(ch.isascii() and ch.isalpha() for ch in message.replace(str(path), ""))
    after = _files(tmp_path)
    for files in (before, after):  # SQLite's shared-memory index for reading a WAL, not the file
        files.pop(path.name + "-shm", None)
    assert after == before
    assert not list(tmp_path.glob("*.backup-*"))


def test_a_file_with_another_application_id_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(str(path))
    conn.execute("PRAGMA application_id = 1234")
    conn.execute("CREATE TABLE drafts (id)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="其他程序"):
        DraftStore(path)
    assert path.read_bytes() == before


def test_our_new_files_carry_our_application_id(tmp_path):
    from desktop_app.core.store import APPLICATION_ID

    DraftStore(tmp_path / "new.sqlite3").close()
    conn = sqlite3.connect(str(tmp_path / "new.sqlite3"))
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()


# 7. smaller ones ------------------------------------------------------------------------------
def test_sqlite_full_says_the_disk_is_full(tmp_path, sample_draft):
    s = DraftStore(tmp_path / "drafts.sqlite3")
    s.save(sample_draft)
    pages = s.db.execute("PRAGMA page_count").fetchone()[0]
    s.db.execute(f"PRAGMA max_page_count = {pages}")
    big = sample_draft.copy()
    big.set_text("overview", "很长的内容。" * 200_000)
    with pytest.raises(StoreError) as info:
        s.save(big, reason="import")
    assert "磁盘已满" in str(info.value)
    s.close()


def test_an_io_error_on_a_full_disk_says_the_disk_is_full(tmp_path, sample_draft, monkeypatch):
    """SQLite reports a write that found no room as SQLITE_IOERR_WRITE as often as SQLITE_FULL."""
    import shutil
    from collections import namedtuple

    s = DraftStore(tmp_path / "drafts.sqlite3")
    error = sqlite3.OperationalError("disk I/O error")
    error.sqlite_errorcode, error.sqlite_errorname = 778, "SQLITE_IOERR_WRITE"
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda p: usage(10**9, 10**9, 0))
    assert "磁盘已满" in s._explain(error)
    monkeypatch.setattr(shutil, "disk_usage", lambda p: usage(10**9, 0, 10**9))
    assert "磁盘出错" in s._explain(error)
    s.close()


def test_errors_are_told_apart_by_code_not_words(tmp_path):
    s = DraftStore(tmp_path / "drafts.sqlite3")
    misleading = sqlite3.OperationalError("table full_names is locked")  # words that would mislead
    misleading.sqlite_errorcode, misleading.sqlite_errorname = 1, "SQLITE_ERROR"
    text = s._explain(misleading)
    assert "磁盘" not in text and "占用" not in text and "无法使用" in text
    assert "full_names" not in text and "locked" not in text  # no English
    s.close()


def test_an_undecodable_stored_draft_is_explained_in_chinese(tmp_path, sample_draft):
    s = DraftStore(tmp_path / "drafts.sqlite3")
    s.save(sample_draft)
    s.db.execute("UPDATE drafts SET data = CAST(x'7b22ff80' AS TEXT) WHERE id = ?", [sample_draft.id])
    for attempt in (lambda: s.load(sample_draft.id), lambda: s.open_for_edit(sample_draft.id)):
        with pytest.raises(StoreError) as info:
            attempt()
        assert "损坏" in str(info.value) and "Could not" not in str(info.value)
    s.close()


def test_a_locked_library_does_not_freeze_the_autosave(qtbot, tmp_path, sample_draft, program):
    import time

    from desktop_app.ui import session as session_module
    from desktop_app.ui.session import DraftSession

    path = tmp_path / "drafts.sqlite3"
    s = DraftStore(path)
    s.save(sample_draft)
    draft, _ = s.open_for_edit(sample_draft.id)
    session = DraftSession(s, program, draft)
    waiting, saved = [], []
    session.waiting.connect(waiting.append)
    session.saved.connect(saved.append)
    blocker = sqlite3.connect(str(path), isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        session.draft.set_text("overview", "锁住时的修改")
        session.touch()
        started = time.monotonic()
        session._autosave()
        assert time.monotonic() - started < 1.0  # not the 5 s busy timeout
        assert waiting and session.dirty and session._timer.isActive()
        with pytest.raises(StoreBusy):
            s.save(draft, wait=0.01)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    qtbot.waitUntil(lambda: bool(saved), timeout=session_module.BUSY_RETRY_MS + 2000)
    assert s.load(sample_draft.id).text("overview") == "锁住时的修改"
    s.close()


def test_recent_saves_reach_the_library_file_on_close_and_on_idle(tmp_path, sample_draft):
    import shutil

    path = tmp_path / "drafts.sqlite3"
    s = DraftStore(path)
    s.save(sample_draft)
    other = DraftStore(path)  # a second copy keeps the file open: SQLite's own close would not checkpoint
    changed = sample_draft.copy()
    changed.set_text("overview", "空闲时写入主文件")
    s.save(changed)
    assert s.checkpoint()
    copied = tmp_path / "copy.sqlite3"
    shutil.copyfile(path, copied)  # the library file alone, without its -wal
    c = DraftStore(copied)
    assert c.load(sample_draft.id).text("overview") == "空闲时写入主文件"
    c.close()
    changed.set_text("overview", "关闭时写入主文件")
    s.save(changed)
    s.close()
    shutil.copyfile(path, copied)
    for side in ("-wal", "-shm"):
        (tmp_path / f"copy.sqlite3{side}").unlink(missing_ok=True)
    c = DraftStore(copied)
    assert c.load(sample_draft.id).text("overview") == "关闭时写入主文件"
    c.close()
    other.close()


def test_a_session_checkpoints_when_idle(qtbot, tmp_path, sample_draft, program, monkeypatch):
    from desktop_app.ui import session as session_module

    monkeypatch.setattr(session_module, "IDLE_CHECKPOINT_MS", 50)
    s = DraftStore(tmp_path / "drafts.sqlite3")
    s.save(sample_draft)
    calls = []
    real = s.checkpoint
    monkeypatch.setattr(s, "checkpoint", lambda **kw: calls.append(1) or real(**kw))
    draft, _ = s.open_for_edit(sample_draft.id)
    session = session_module.DraftSession(s, program, draft)
    session.draft.set_text("overview", "改动")
    session.touch()
    qtbot.waitUntil(lambda: bool(calls), timeout=3000)
    s.close()


def _with_wal(path, change):
    """Our library, changed by `change(conn)` inside its -wal, left as a crash leaves it."""
    DraftStore(path).close()
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    change(conn)
    copies = {p.name: p.read_bytes() for p in path.parent.iterdir() if p.name.startswith(path.name)}
    conn.close()
    for p in path.parent.iterdir():
        if p.name.startswith(path.name):
            p.unlink()
    for name, data in copies.items():
        (path.parent / name).write_bytes(data)


def test_a_newer_library_with_a_wal_is_refused_untouched(tmp_path):
    path = tmp_path / "drafts.sqlite3"
    _with_wal(path, lambda conn: conn.execute("PRAGMA user_version = 99"))
    assert (tmp_path / "drafts.sqlite3-wal").stat().st_size > 0
    before = _files(tmp_path)
    with pytest.raises(StoreError, match="更新版本"):
        DraftStore(path)
    after = _files(tmp_path)
    for files in (before, after):
        files.pop(path.name + "-shm", None)
    assert after == before


def test_a_locked_library_does_not_freeze_page_changes_or_the_heartbeat(qtbot, tmp_path, sample_draft, program):
    import time

    from desktop_app.ui.session import DraftSession

    path = tmp_path / "drafts.sqlite3"
    s = DraftStore(path)
    s.save(sample_draft)
    draft, _ = s.open_for_edit(sample_draft.id)
    session = DraftSession(s, program, draft)
    failures = []
    session.save_failed.connect(failures.append)
    blocker = sqlite3.connect(str(path), isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        session.remember_page("overview")
        session._renew()
        assert time.monotonic() - started < 1.0 and not failures
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    s.close()
