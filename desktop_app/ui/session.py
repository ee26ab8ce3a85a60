"""DraftSession: the open draft, its store, and the autosave that follows every edit.

Signals:
    saved(str): the draft reached SQLite; the argument is the time (HH:MM:SS).
    save_failed(str): saving failed; the message is for the officer. The draft
        stays in memory and the next edit (or Ctrl+S) tries again.
    edited(): some field changed (pages refresh their completeness marks).

A read-only session (the draft is being edited in another copy of the program)
never writes: its pages are disabled, and flush() has nothing to save.
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject, QTimer, Signal

from desktop_app.core.draft import Draft
from desktop_app.core.program import Program
from desktop_app.core.store import DraftStore, StoreError

#: Every edit is in SQLite at most this long after it was made: the first
#: unsaved edit starts the timer and later ones ride along, so a burst of
#: typing is saved together and steady typing is still saved every 0.4 s (a
#: debounce that restarted on every key would not save while the officer typed).
AUTOSAVE_MS = 400
#: How often an open draft's claim (占用) is renewed; core.claims.CLAIM_TTL is 5 minutes.
HEARTBEAT_MS = 60_000


class DraftSession(QObject):
    saved = Signal(str)
    save_failed = Signal(str)
    edited = Signal()

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
        self._timer.timeout.connect(self.flush)
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

    def flush(self) -> bool:
        """Save now if anything changed; True when the draft is safely stored."""
        self._timer.stop()
        if not self.dirty or self.read_only:
            return True
        try:
            self.store.save(self.draft)
        except StoreError as exc:
            self.save_failed.emit(str(exc))
            return False
        self.dirty = False
        self.saved.emit(dt.datetime.now().strftime("%H:%M:%S"))
        return True

    def layout(self):
        """The book layout from the draft's 版式设置 (app/layout.py; GB/T 9704 when never set)."""
        from desktop_app.app.layout import book_layout

        return book_layout(self.store, self.draft.id)

    def _renew(self) -> None:
        try:
            self.store.renew()
        except StoreError:
            pass  # the next save renews the claim, or reports the problem itself

    def remember_page(self, page_key: str) -> None:
        if self.read_only:
            return
        try:
            self.store.set_last_page(self.draft.id, page_key)
        except StoreError as exc:
            self.save_failed.emit(str(exc))
