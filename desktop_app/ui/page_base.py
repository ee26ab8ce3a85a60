"""What every wizard page shares: the DraftPage base, the guide box, the tab order.

Kept apart from pages.py so that the wizard and 申报总览 can be built at start
without importing the editors, charts and timeline of the other pages (the wizard
builds those pages only when first needed, see wizard.PageHost)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtWidgets import QFrame, QLabel, QWidget, QWizardPage

from desktop_app.core import completeness
import itertools

if TYPE_CHECKING:
    from desktop_app.core.draft import Draft
    from desktop_app.core.program import Program
    from desktop_app.ui.session import DraftSession


def chain_tab_order(*widgets: QWidget | None) -> None:
    """Tab goes through `widgets` in this order (the page read top to bottom)."""
    present = [w for w in widgets if w is not None]
    for a, b in itertools.pairwise(present):
        QWidget.setTabOrder(a, b)


def guide_box(text: str, title: str = "指南要求") -> QLabel:
    """What the guide asks for on this page, shown above the editor."""
    label = QLabel(f"<b>{title}：</b>{text}")
    label.setWordWrap(True)
    label.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setFrameShape(QFrame.Shape.StyledPanel)
    label.setStyleSheet("QLabel { background: #f3f6fb; padding: 8px; border: 1px solid #c9d6ea; }")
    return label


class DraftPage(QWizardPage):
    """Base page: knows its key (saved as the last page), its session, and its gaps."""

    key = ""

    def __init__(self, session: DraftSession, title: str, parent=None):
        super().__init__(parent)
        self.session = session
        self.setTitle(title)

    @property
    def draft(self) -> Draft:
        return self.session.draft

    @property
    def program(self) -> Program:
        return self.session.program

    def state(self) -> str:
        """○ ◐ ●, from the draft alone (completeness.state_of), so the wizard can mark a
        page it has not built yet."""
        return completeness.state_of(self.program, self.draft, self.key)

    def focus_field(self, field: str) -> None:
        """Give keyboard focus to the widget holding `field` (used by the gaps list)."""
        self.focusNextChild()
