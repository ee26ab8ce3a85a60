"""Typing and clicking helpers for GUI tests.

QTest.keyClicks only handles ASCII, so Chinese is typed as one QKeyEvent per
character carrying the character as its text — what an input method delivers.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication


def type_text(widget, text: str) -> None:
    widget.setFocus()
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))
    QApplication.processEvents()


def press(widget, key) -> None:
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier))
    QApplication.processEvents()


def edit_cell(qtbot, table, row: int, column: int, text: str) -> None:
    """Open the cell editor as a double-click would, type, and commit with Enter (Ctrl+Enter
    in the multi-line box of a long-text cell)."""
    from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

    table.setCurrentCell(row, column)
    table.editItem(table.item(row, column))
    editors = [w for kind in (QLineEdit, QPlainTextEdit) for w in table.viewport().findChildren(kind) if w.isVisible()]
    assert len(editors) == 1, "cell editor did not open"
    editor = editors[0]
    editor.selectAll()
    type_text(editor, text)
    if isinstance(editor, QPlainTextEdit):
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(editor, QKeyEvent(kind, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier))
        QApplication.processEvents()
    else:
        press(editor, Qt.Key.Key_Return)
