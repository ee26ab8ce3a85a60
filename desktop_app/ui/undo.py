"""Undo for list editors (table rows, 专栏, 附件): each edit is a before/after copy.

The lists are small (tens of dicts), so whole copies are simpler and safer than
an inverse for every kind of edit. An editor owning an `undo_stack` is found by
the 编辑 menu's 撤销/重做 when focus is inside it (find_dialog.route_undo).
"""
from __future__ import annotations

import copy
from typing import Any
from collections.abc import Callable

from PySide6.QtGui import QUndoCommand


class SnapshotChange(QUndoCommand):
    """One edit, already applied when pushed; undo/redo restore the copies."""

    def __init__(self, restore: Callable[[Any], None], before: Any, after: Any, text: str):
        super().__init__(text)
        self.restore, self.before, self.after = restore, before, after
        self._first = True

    def redo(self):
        if self._first:  # QUndoStack.push() calls redo(); the edit is already made
            self._first = False
            return
        self.restore(copy.deepcopy(self.after))

    def undo(self):
        self.restore(copy.deepcopy(self.before))
