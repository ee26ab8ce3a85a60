"""Window sizes that fit the officer's screen (a 1366×768 laptop, 1080p at 150 %)."""
from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QWidget


def available_size(widget: QWidget) -> QSize:
    """The room the widget's screen leaves (its taskbar aside), in logical pixels."""
    screen = widget.screen()
    if screen is None:
        from PySide6.QtGui import QGuiApplication

        screen = QGuiApplication.primaryScreen()
    return screen.availableGeometry().size() if screen is not None else QSize(1366, 728)


def resize_to_fit(widget: QWidget, width: int, height: int) -> None:
    """resize(width, height), but never larger than the screen's free area (less a
    margin for the window's frame and title bar)."""
    room = available_size(widget)
    widget.resize(min(width, max(room.width() - 20, 300)), min(height, max(room.height() - 60, 240)))
