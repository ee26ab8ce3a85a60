"""DraftSession: the open draft, its store, and the autosave that follows every edit.

Signals:
    saved(str): the draft reached SQLite; the argument is the time (HH:MM:SS).
    save_failed(str): saving failed; the message is for the officer. The draft
        stays in memory and the next edit (or Ctrl+S) tries again.
    edited(): some field changed (pages refresh their completeness marks).
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject, QTimer, Signal

from desktop_app.core.draft import Draft
from desktop_app.core.program import Program
from desktop_app.core.store import DraftStore, StoreError

#: Debounce: typing bursts are saved together, and always within a second.
AUTOSAVE_MS = 400
#: Where the 版式设置 live in the store's settings table.
LAYOUT_KEY = "layout"


class DraftSession(QObject):
    saved = Signal(str)
    save_failed = Signal(str)
    edited = Signal()

    def __init__(self, store: DraftStore, program: Program, draft: Draft, parent=None):
        super().__init__(parent)
        self.store = store
        self.program = program
        self.draft = draft
        self.dirty = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self.flush)

    def touch(self) -> None:
        """Call after changing self.draft.data: schedules the save."""
        self.dirty = True
        self._timer.start()
        self.edited.emit()

    def flush(self) -> bool:
        """Save now if anything changed; True when the draft is safely stored."""
        self._timer.stop()
        if not self.dirty:
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
        """The book layout from the officer's 版式设置 (GB/T 9704 when never set)."""
        import json

        from desktop_app.book.layout import layout_from_settings

        try:
            return layout_from_settings(json.loads(self.store.get_meta(LAYOUT_KEY) or "{}"))
        except (ValueError, TypeError):
            return layout_from_settings({})

    def remember_page(self, page_key: str) -> None:
        try:
            self.store.set_last_page(self.draft.id, page_key)
        except StoreError as exc:
            self.save_failed.emit(str(exc))
