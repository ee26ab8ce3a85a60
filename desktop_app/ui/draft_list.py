"""The list of stored drafts: the first thing an officer sees.

Signals:
    open_requested(str): open the draft with this id.
    new_requested(): create a draft.
    sample_requested(): open the bundled 示例 draft.
    delete_requested(str): delete the draft with this id (after confirming).
"""
from __future__ import annotations

from PySide6 import QtCore
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from desktop_app.core.store import DraftSummary


class DraftListPage(QWidget):
    open_requested = Signal(str)
    new_requested = Signal()
    carry_over_requested = Signal()
    sample_requested = Signal()
    delete_requested = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        heading = QLabel("我的申报草稿")
        heading.setStyleSheet("font-size: 18px; font-weight: bold; padding: 4px 0;")
        layout.addWidget(heading)
        self.empty_hint = QLabel(
            "还没有草稿。点击“新建草稿”开始编写申报书，或打开“示例草稿”看看一份完整的申报书是什么样。"
        )
        self.empty_hint.setWordWrap(True)
        layout.addWidget(self.empty_hint)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["草稿", "申报项目", "年度", "最后修改"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(1, 260)
        for col in (2, 3):  # 年度 and 最后修改 (a date and time) are never cut short
            self.table.horizontalHeader().setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda _i: self._open_selected())
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.new_button = QPushButton("新建草稿…")
        self.carry_button = QPushButton("从往年草稿新建…")
        self.open_button = QPushButton("打开")
        self.sample_button = QPushButton("打开示例草稿")
        self.delete_button = QPushButton("删除")
        for b in (self.new_button, self.carry_button, self.open_button, self.sample_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        layout.addLayout(buttons)
        self.new_button.clicked.connect(self.new_requested)
        self.carry_button.clicked.connect(self.carry_over_requested)
        self.open_button.clicked.connect(self._open_selected)
        self.sample_button.clicked.connect(self.sample_requested)
        self.delete_button.clicked.connect(self._delete_selected)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self._ids: list[str] = []
        self._update_buttons()

    def show_drafts(self, drafts: list[DraftSummary], program_names: dict[str, str]) -> None:
        self._ids = [d.id for d in drafts]
        self.table.setRowCount(len(drafts))
        for r, d in enumerate(drafts):
            values = [d.title, program_names.get(d.program_id, d.program_id), str(d.year), d.updated.replace("T", " ")]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c == 0 and d.is_sample:
                    item.setToolTip("示例草稿：内容为示范用，请勿直接提交")
                self.table.setItem(r, c, item)
        self.empty_hint.setVisible(not drafts)
        self.carry_button.setEnabled(bool(drafts))
        if drafts:
            self.table.selectRow(0)
        self._update_buttons()

    def selected_id(self) -> str | None:
        row = self.table.currentRow()
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def _update_buttons(self) -> None:
        has = self.selected_id() is not None
        self.open_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def _open_selected(self) -> None:
        draft_id = self.selected_id()
        if draft_id:
            self.open_requested.emit(draft_id)

    def _delete_selected(self) -> None:
        draft_id = self.selected_id()
        if draft_id:
            self.delete_requested.emit(draft_id)

    def keyPressEvent(self, event) -> None:
        if event.key() in (QtCore.Qt.Key.Key_Return, QtCore.Qt.Key.Key_Enter):
            self._open_selected()
        else:
            super().keyPressEvent(event)
