"""DraftSession: the open draft, its store, and the autosave that follows every edit.

Signals:
    saved(str): the draft reached SQLite; the argument is the time (HH:MM:SS).
    save_failed(str): saving failed; the message is for the officer. The draft
        stays in memory and the next edit (or Ctrl+S) tries again.
    edited(): some field changed (pages refresh their completeness marks).
    conflict(str): the draft changed in the file since this session read it (this
        copy slept past its claim and another saved): ours was kept as a revision,
        nothing was overwritten; the message is for the officer.
    waiting(str): another process holds the library's lock; the autosave retries shortly.

A read-only session (the draft is being edited in another copy of the program)
never writes: its pages are disabled, and flush() has nothing to save.
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject, QTimer, Signal

from desktop_app.core.draft import Draft
from desktop_app.core.program import Program
from desktop_app.core.store import DraftConflict, DraftStore, StoreBusy, StoreError

#: Every edit is in SQLite at most this long after it was made: the first
#: unsaved edit starts the timer and later ones ride along, so a burst of
#: typing is saved together and steady typing is still saved every 0.4 s (a
#: debounce that restarted on every key would not save while the officer typed).
AUTOSAVE_MS = 400
#: How often an open draft's claim (占用) is renewed; core.claims.CLAIM_TTL is 5 minutes.
HEARTBEAT_MS = 60_000
#: How long an autosave waits for another process's lock before giving the window back
#: (it retries every BUSY_RETRY_MS); an explicit save (Ctrl+S, closing) waits the store's full time.
AUTOSAVE_WAIT_S = 0.05
BUSY_RETRY_MS = 1000
#: After this many busy retries in a row (about half a minute) the officer is told.
BUSY_RETRIES = 30
#: Quiet time after the last save before the WAL is copied into the library file.
IDLE_CHECKPOINT_MS = 30_000


class DraftSession(QObject):
    saved = Signal(str)
    save_failed = Signal(str)
    edited = Signal()
    conflict = Signal(str)
    waiting = Signal(str)

    def __init__(self, store: DraftStore, program: Program, draft: Draft, parent=None,
                 read_only: bool = False):
        super().__init__(parent)
        self.store = store
        self.program = program
        self.draft = draft
        self.read_only = read_only
        self.dirty = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self._autosave)
        self._busy_retries = 0
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(IDLE_CHECKPOINT_MS)
        self._idle.timeout.connect(self.store.checkpoint)
        self._heartbeat = QTimer(self)
        self._heartbeat.setInterval(HEARTBEAT_MS)
        self._heartbeat.timeout.connect(self._renew)
        if not read_only:
            self._heartbeat.start()

    def touch(self) -> None:
        """Call after changing self.draft.data: schedules the save."""
        if not self.read_only:
            self.dirty = True
            if not self._timer.isActive():
                self._timer.start()
        self.edited.emit()

    def _autosave(self) -> None:
        """The timer's save: waits only briefly for another process's lock, then retries
        from the event loop, so a locked library never freezes the window."""
        self.flush(wait=AUTOSAVE_WAIT_S)

    def flush(self, wait: float | None = None) -> bool:
        """Save now if anything changed; True when the draft is safely stored.

        `wait`: seconds to wait for another process's lock (None: the store's default)."""
        self._timer.stop()
        if not self.dirty or self.read_only:
            return True
        try:
            self.store.save(self.draft, wait=wait)
        except DraftConflict as exc:
            self.dirty = False  # ours is stored, as a revision; theirs was not touched
            self.read_only = True  # this session's draft is no longer the stored one
            self._heartbeat.stop()
            self.conflict.emit(str(exc))
            return True
        except StoreBusy as exc:
            if wait is not None and self._busy_retries < BUSY_RETRIES:
                self._busy_retries += 1
                self._timer.start(BUSY_RETRY_MS)
                self.waiting.emit("草稿库正被另一个程序占用，稍后自动重试保存…")
                return False
            self._busy_retries = 0
            self.save_failed.emit(str(exc))
            return False
        except StoreError as exc:
            self.save_failed.emit(str(exc))
            return False
        self._busy_retries = 0
        self._timer.setInterval(AUTOSAVE_MS)
        self.dirty = False
        self._idle.start()
        self.saved.emit(dt.datetime.now().strftime("%H:%M:%S"))
        return True

    def layout(self):
        """The book layout from the draft's 版式设置 (app/layout.py; GB/T 9704 when never set)."""
        from desktop_app.app.layout import book_layout

        return book_layout(self.store, self.draft.id)

    def _renew(self) -> None:
        try:
            self.store.renew(wait=AUTOSAVE_WAIT_S)  # a locked library must not freeze the window
        except StoreError:
            pass  # the next save renews the claim, or reports the problem itself

    def remember_page(self, page_key: str) -> None:
        if self.read_only:
            return
        try:
            self.store.set_last_page(self.draft.id, page_key, wait=AUTOSAVE_WAIT_S)
        except StoreBusy:
            pass  # only where to reopen is lost; the draft itself is saved by the autosave
        except StoreError as exc:
            self.save_failed.emit(str(exc))
