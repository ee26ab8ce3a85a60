"""Two copies of the program on one draft file: no lost update.

The first copy to open a draft claims it (占用); a second copy is told who
holds it and gets it read-only, its saves of that draft are refused rather
than overwriting, and a claim whose process has died is taken over. Saves of
different drafts from two copies wait for each other (busy timeout) instead of
failing.
"""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from desktop_app.core import claims
from desktop_app.core.draft import new_draft
from desktop_app.core.store import DraftStore, StoreError

CHILD = Path(__file__).resolve().parent / "store_child.py"


@pytest.fixture
def two(tmp_path, sample_draft):
    path = tmp_path / "drafts.sqlite3"
    first, second = DraftStore(path), DraftStore(path)
    first.save(sample_draft)
    yield first, second
    first.close()
    second.close()


def test_the_second_copy_cannot_claim_and_learns_who_holds_it(two, sample_draft):
    first, second = two
    assert first.claim(sample_draft.id)
    assert first.claim(sample_draft.id)  # renewing our own claim
    assert not second.claim(sample_draft.id)
    holder = second.holder(sample_draft.id)
    assert holder is not None and holder.token == first.token
    assert "窗口" in holder.describe() and "进程" not in holder.describe()
    assert first.holder(sample_draft.id) is None  # not "someone else" to its owner


def test_no_lost_update_between_two_copies(two, sample_draft):
    first, second = two
    assert first.claim(sample_draft.id)
    theirs = second.load(sample_draft.id)
    theirs.set_text("overview", "第二个窗口的旧内容")
    mine = first.load(sample_draft.id)
    mine.set_text("overview", "第一个窗口的新内容")
    first.save(mine)
    with pytest.raises(StoreError) as info:
        second.save(theirs)
    message = str(info.value)
    assert "另一个" in message and "没有保存" in message and sample_draft.title in message
    with pytest.raises(StoreError):
        second.delete(sample_draft.id)
    assert first.load(sample_draft.id).text("overview") == "第一个窗口的新内容"


def test_release_and_close_hand_the_draft_over(two, sample_draft):
    first, second = two
    assert first.claim(sample_draft.id)
    first.release(sample_draft.id)
    assert second.claim(sample_draft.id)
    second.save(second.load(sample_draft.id))
    assert not first.claim(sample_draft.id)
    second.close()
    assert first.claim(sample_draft.id)  # closing released it


def test_a_claim_that_stopped_its_heartbeat_is_taken_over(two, sample_draft):
    first, second = two
    assert first.claim(sample_draft.id)
    stale = (claims.utcnow() - claims.CLAIM_TTL - dt.timedelta(seconds=1)).isoformat()
    value = json.loads(first.get_meta(claims.claim_key(sample_draft.id)))
    first.set_meta(claims.claim_key(sample_draft.id), json.dumps(value | {"heartbeat": stale}))
    assert second.holder(sample_draft.id) is None
    assert second.claim(sample_draft.id)
    with pytest.raises(StoreError):  # the sleeper wakes: its save must not overwrite
        first.save(first.load(sample_draft.id))


def test_a_claim_from_another_computer_is_respected_until_it_expires(two, sample_draft):
    first, second = two
    key = claims.claim_key(sample_draft.id)
    now = claims.utcnow().isoformat()
    first.set_meta(key, json.dumps({"host": "办公室另一台电脑", "pid": 1, "since": now, "heartbeat": now,
                                    "token": "elsewhere"}))
    assert not second.claim(sample_draft.id)
    assert "办公室另一台电脑" in second.holder(sample_draft.id).describe()


def test_an_unreadable_claim_does_not_lock_the_draft(two, sample_draft):
    first, second = two
    first.set_meta(claims.claim_key(sample_draft.id), "{not json")
    assert second.claim(sample_draft.id)


def test_a_claim_by_a_process_that_died_is_taken_over(tmp_path, sample_draft):
    path = tmp_path / "drafts.sqlite3"
    store = DraftStore(path)
    store.save(sample_draft)
    child = subprocess.Popen([sys.executable, str(CHILD), "hold", str(path), sample_draft.id],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "claimed", child.stderr.read()
        assert not store.claim(sample_draft.id)
        assert store.holder(sample_draft.id).pid == child.pid
        with pytest.raises(StoreError):
            store.save(sample_draft)
    finally:
        child.kill()
        child.communicate()  # reaps it (a zombie still looks alive) and closes the pipes
    assert store.holder(sample_draft.id) is None
    assert store.claim(sample_draft.id)
    store.save(sample_draft)
    store.close()


def test_two_copies_saving_different_drafts_at_once_both_succeed(tmp_path, program):
    path = tmp_path / "drafts.sqlite3"
    stores = [DraftStore(path), DraftStore(path)]
    drafts = [new_draft(program, organization=f"{c}市人民政府", city=f"{c}市") for c in ("甲", "乙")]
    errors: list[BaseException] = []

    def work(store, draft):
        try:
            assert store.claim(draft.id) or not store.exists(draft.id)
            for n in range(40):
                draft.set_text("overview", f"第{n}次")
                store.save(draft)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=pair) for pair in zip(stores, drafts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    for draft in drafts:
        assert stores[0].load(draft.id).text("overview") == "第39次"
    for s in stores:
        s.close()


def test_a_save_waits_for_another_copys_write(tmp_path, sample_draft):
    import sqlite3
    import time

    path = tmp_path / "drafts.sqlite3"
    store = DraftStore(path)
    other = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # another copy in the middle of a save
    threading.Timer(0.5, lambda: other.execute("COMMIT")).start()
    started = time.monotonic()
    store.save(sample_draft)  # waits instead of failing with "database is locked"
    assert time.monotonic() - started >= 0.4
    other.close()
    store.close()


# the window -----------------------------------------------------------------------------------
@pytest.mark.gui
def test_the_second_window_opens_a_held_draft_read_only(qtbot, window, sample_draft):
    window.store.save(sample_draft)
    other = DraftStore(window.store.path)  # the first copy of the program
    try:
        assert other.claim(sample_draft.id)
        assert window.open_draft(sample_draft.id)
        session, wizard = window.session, window.wizard
        assert session.read_only
        assert "只读" in window.statusBar().currentMessage() and "窗口" in window.statusBar().currentMessage()
        assert "只读" in window.windowTitle() and window.save_label.text() == "只读"
        assert not wizard.pages_by_key["overview"].isEnabled()
        assert not wizard.pages_by_key["basic"].isEnabled()
        assert wizard.pages_by_key["export"].isEnabled()
        assert not window.save_action.isEnabled() and not window.history_action.isEnabled()
        # Whatever happens to the in-memory copy, nothing is written.
        session.draft.set_text("overview", "只读窗口里的修改")
        session.touch()
        window.save_now()
        assert session.flush()
        assert other.load(sample_draft.id) == sample_draft
        # The first copy keeps working.
        mine = other.load(sample_draft.id)
        mine.set_text("overview", "第一个窗口继续编辑")
        other.save(mine)
        window.show_list()
        assert other.load(sample_draft.id).text("overview") == "第一个窗口继续编辑"
        other.release(sample_draft.id)
        assert window.open_draft(sample_draft.id)
        assert not window.session.read_only
        assert window.wizard.pages_by_key["overview"].isEnabled() and window.save_action.isEnabled()
        assert not other.claim(sample_draft.id)  # now the window holds it
    finally:
        window.close_draft()
        other.close()


@pytest.mark.gui
def test_closing_the_draft_or_the_window_releases_it(qtbot, window, sample_draft):
    window.store.save(sample_draft)
    assert window.open_draft(sample_draft.id)
    other = DraftStore(window.store.path)
    try:
        assert not other.claim(sample_draft.id)
        window.show_list()
        assert other.claim(sample_draft.id)
        other.release(sample_draft.id)
        assert window.open_draft(sample_draft.id)
        window.close()
        assert other.claim(sample_draft.id)
    finally:
        other.close()


def test_an_open_session_renews_its_claim_well_within_the_ttl(qtbot, tmp_path, sample_draft, program):
    from desktop_app.ui.session import HEARTBEAT_MS, DraftSession

    assert HEARTBEAT_MS * 3 < claims.CLAIM_TTL.total_seconds() * 1000
    store = DraftStore(tmp_path / "drafts.sqlite3")
    store.save(sample_draft)
    assert store.claim(sample_draft.id)
    key = claims.claim_key(sample_draft.id)
    old = (claims.utcnow() - dt.timedelta(minutes=4)).isoformat()
    store.set_meta(key, json.dumps(json.loads(store.get_meta(key)) | {"heartbeat": old}))
    session = DraftSession(store, program, sample_draft)
    assert session._heartbeat.isActive() and session._heartbeat.interval() == HEARTBEAT_MS
    session._heartbeat.timeout.emit()
    assert json.loads(store.get_meta(key))["heartbeat"] > old
    assert not DraftSession(store, program, sample_draft, read_only=True)._heartbeat.isActive()
    store.close()
