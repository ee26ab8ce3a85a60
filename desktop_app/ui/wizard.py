"""PlanWizard: a QWizard over the program's outline, with a side list to jump anywhere.

QWizard has no "go to page" of its own; jumping forward is a next() whose
nextId() returns the target once, jumping back unwinds the history with back(),
so Back always returns along the path the officer really took.

Signals:
    page_changed(str): the key of the page now shown.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWizard

from desktop_app.core import completeness
from desktop_app.ui.pages import (
    PAGE_FOR_KIND, BasicInfoPage, DraftPage, ExportPage, LetterPage,
)
from desktop_app.ui.session import DraftSession

MARKS = {completeness.EMPTY: "○", completeness.PARTIAL: "◐", completeness.COMPLETE: "●"}
STATE_TEXT = {completeness.EMPTY: "未填写", completeness.PARTIAL: "待完善", completeness.COMPLETE: "已完成"}


class PlanWizard(QWizard):
    page_changed = Signal(str)

    def __init__(self, session: DraftSession, parent=None):
        super().__init__(parent)
        self.session = session
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveHelpButton, False)
        self.setButtonText(QWizard.WizardButton.BackButton, "< 上一步")
        self.setButtonText(QWizard.WizardButton.NextButton, "下一步 >")
        self.setButtonText(QWizard.WizardButton.FinishButton, "完成")
        self.setButtonText(QWizard.WizardButton.CancelButton, "返回草稿列表")
        self._jump_target: int | None = None
        self.pages_by_key: dict[str, DraftPage] = {}
        self._ids: dict[str, int] = {}
        self._add(BasicInfoPage(session))
        for node in session.program.parts():
            self._add(PAGE_FOR_KIND[node.kind](session, node))
        self._add(LetterPage(session))
        self.export_page = ExportPage(session)
        self._add(self.export_page)
        self.export_page.go_to.connect(self.go_to)

        self.side = QListWidget()
        self.side.setMinimumWidth(190)
        self.side.setAccessibleName("方案目录")
        for key in self._ids:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.side.addItem(item)
        self.side.itemClicked.connect(lambda item: self.go_to(item.data(Qt.ItemDataRole.UserRole)))
        self.side.itemActivated.connect(lambda item: self.go_to(item.data(Qt.ItemDataRole.UserRole)))
        self.setSideWidget(self.side)
        self.currentIdChanged.connect(self._on_page_changed)
        # Marks are recomputed a moment after typing stops, not on every key.
        self._marks_timer = QTimer(self)
        self._marks_timer.setSingleShot(True)
        self._marks_timer.setInterval(250)
        self._marks_timer.timeout.connect(self.refresh_marks)
        session.edited.connect(self._marks_timer.start)
        self.refresh_marks()

    def _add(self, page: DraftPage) -> None:
        page_id = self.addPage(page)
        self.pages_by_key[page.key] = page
        self._ids[page.key] = page_id

    # navigation ------------------------------------------------------------------
    def nextId(self) -> int:
        if self._jump_target is not None:
            return self._jump_target
        ids = self.pageIds()
        try:
            i = ids.index(self.currentId())
        except ValueError:
            return -1
        return ids[i + 1] if i + 1 < len(ids) else -1

    def current_key(self) -> str:
        page = self.currentPage()
        return page.key if isinstance(page, DraftPage) else ""

    def go_to(self, key: str, field: str = "") -> None:
        """Show the page `key` (and focus `field` on it when given)."""
        target = self._ids.get(key)
        if target is None:
            return
        if target != self.currentId():
            if target in self.visitedIds():
                while self.currentId() != target:
                    self.back()
            else:
                self._jump_target = target
                try:
                    self.next()
                finally:
                    self._jump_target = None
        if field:
            self.pages_by_key[key].focus_field(field)

    def _on_page_changed(self, page_id: int) -> None:
        key = self.current_key()
        if not key:
            return
        self.session.flush()
        self.session.remember_page(key)
        for row in range(self.side.count()):
            if self.side.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.side.blockSignals(True)
                self.side.setCurrentRow(row)
                self.side.blockSignals(False)
        if key == "export":
            self.export_page.refresh()
        self.refresh_marks()
        self.page_changed.emit(key)

    def page_state(self, key: str) -> str:
        page = self.pages_by_key[key]
        return completeness.COMPLETE if key == "export" else page.state()

    def refresh_marks(self) -> None:
        for row in range(self.side.count()):
            item = self.side.item(row)
            key = item.data(Qt.ItemDataRole.UserRole)
            page = self.pages_by_key[key]
            if key == "export":
                item.setText(f"  ▶ {page.title()}")
                continue
            state = page.state()
            item.setText(f"{MARKS[state]} {page.title()}")
            item.setToolTip(STATE_TEXT[state])
