"""The Qt binding the program runs on keeps Python's reference counts right.

PySide6 6.12.0's Signal.emit() returns True without taking a reference to it: every
emit of a signal declared in Python lowers True's count by one. On Python 3.11 (not 3.12,
whose True is immortal) the program then aborts after some thousand signals — an hour of
editing — with "Fatal Python error: bool_dealloc". pyproject.toml excludes that release;
this fails on any release that brings the bug back.
"""
from __future__ import annotations

import sys

import pytest

pytestmark = pytest.mark.gui


def test_emitting_python_signals_leaves_true_and_false_counted(qapp):
    from PySide6.QtCore import QObject, Signal

    class Editor(QObject):
        edited = Signal()
        saved = Signal(bool, str)
        moved = Signal(int)

    editor, seen = Editor(), []
    editor.edited.connect(lambda: seen.append(1))
    editor.saved.connect(lambda ok, path: seen.append(2))
    editor.moved.connect(lambda row: seen.append(3))
    before = sys.getrefcount(True), sys.getrefcount(False)
    for i in range(1000):
        editor.edited.emit()
        editor.saved.emit(i % 2 == 0, "申报书.docx")
        editor.moved.emit(i)
    after = sys.getrefcount(True), sys.getrefcount(False)
    assert len(seen) == 3000  # every signal reached its slot
    # 3000 emits: a binding that drops one reference per emit is 3000 short
    assert abs(after[0] - before[0]) < 50, f"True lost {before[0] - after[0]} references in 3000 emits"
    assert abs(after[1] - before[1]) < 50, f"False lost {before[1] - after[1]} references in 3000 emits"
