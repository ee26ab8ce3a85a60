"""Item data roles, as the numbers Qt defines them (Qt::ItemDataRole, fixed in Qt's API).

Why not Qt.ItemDataRole: the first use of PySide6's `Qt` namespace builds all of its
Python enums at once, about 12 ms. The views drawn at start (方案目录, 申报总览) need
only these three roles, so naming them here keeps that cost out of the program's start;
code that runs later uses `Qt` as usual. tests/test_startup.py checks the values and
that `Qt` is still unbuilt when the wizard is first painted."""
from __future__ import annotations

BACKGROUND = 8  # Qt.ItemDataRole.BackgroundRole
FOREGROUND = 9  # Qt.ItemDataRole.ForegroundRole
USER = 256  # Qt.ItemDataRole.UserRole
