"""Walking every page and dialog at a screen size, and finding controls cut off.

Shared by tests/test_gui_fit.py and scripts that take screenshots. A control is cut
off when it is shown but lies (partly) outside its window or outside a parent that
does not scroll, or when the layout had to squeeze it below its minimumSizeHint.
"""
from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractScrollArea, QApplication, QLabel, QScrollBar, QSplitterHandle, QTabBar, QWidget,
)

#: Logical sizes the window must fit: 1366×768 less a 40 px taskbar, and 1920×1080 at
#: 150 % less a 48 px taskbar (1280×688).
SIZES = {"1366x728": (1366, 728), "150pct": (1280, 688)}


def _scrolls(parent: QWidget) -> bool:
    """Children of a scroll area's viewport may lie outside it: they are scrolled to."""
    owner = parent.parentWidget()
    return isinstance(owner, QAbstractScrollArea) and owner.viewport() is parent


def _name(w: QWidget) -> str:
    text = ""
    for attr in ("text", "title", "placeholderText", "accessibleName"):
        get = getattr(w, attr, None)
        if callable(get):
            try:
                value = get()
            except TypeError:
                continue
            if isinstance(value, str) and value:
                text = value
                break
    return f"{type(w).__name__}({text[:20]!r})"


def cut_off(root: QWidget) -> list[str]:
    """Every shown control of `root` that is clipped or squeezed, as readable lines."""
    problems = []
    root_rect = root.rect()
    for w in root.findChildren(QWidget):
        if not w.isVisible() or w.window() is not root or w.width() <= 0 and w.height() <= 0:
            continue
        if isinstance(w, (QScrollBar, QSplitterHandle)):
            continue
        rect = QRect(w.mapTo(root, QPoint(0, 0)), w.size())
        if not root_rect.contains(rect):
            problems.append(f"{_name(w)} at {rect.getRect()} outside the window {root_rect.getRect()}")
            continue
        # inside every parent that does not scroll it into view
        child, parent = w, w.parentWidget()
        clipped = False
        while parent is not None and parent is not root:
            if _scrolls(parent):
                break
            if not parent.rect().contains(QRect(child.mapTo(parent, QPoint(0, 0)), child.size())) \
                    and not isinstance(parent, QTabBar):
                problems.append(f"{_name(w)} cut off by {_name(parent)}")
                clipped = True
                break
            child, parent = parent, parent.parentWidget()
        if clipped:
            continue
        hint = w.minimumSizeHint()
        if isinstance(w, QLabel) and w.wordWrap():
            # a wrapped label's hint is its one-line width; its height follows its width
            need_h = w.heightForWidth(w.width()) if w.hasHeightForWidth() else hint.height()
            if need_h > 0 and w.height() + 1 < need_h:
                problems.append(f"{_name(w)} {w.width()}x{w.height()} needs {need_h} px height")
            continue
        if w.parentWidget() is not None and w.parentWidget().layout() is not None and hint.isValid():
            if w.width() + 1 < hint.width() or w.height() + 1 < hint.height():
                problems.append(f"{_name(w)} {w.width()}x{w.height()} below its minimum "
                                f"{hint.width()}x{hint.height()}")
    return problems


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()
