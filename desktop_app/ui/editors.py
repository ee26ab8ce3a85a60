"""Editors shared by the wizard pages: prose with a live 字数, and a row table."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QPlainTextEdit,
    QPushButton, QStyledItemDelegate, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from desktop_app.core.cleaning import xml_safe
from desktop_app.core.completeness import char_count
from desktop_app.core.figures import FigureError, format_number, parse_number

ERROR_BG = QColor("#fde2e1")
_SPLIT_DEPTS = re.compile(r"[、,，;；/]+")


def split_departments(text: str) -> list[str]:
    return [p.strip() for p in _SPLIT_DEPTS.split(text) if p.strip()]


class ProseEditor(QWidget):
    """Plain-text paragraphs (one per line) with a live 字数 and the length hint.

    Signals:
        changed(str): the text after each edit (control characters removed).
    """

    changed = Signal(str)

    def __init__(self, length: tuple[int, int] | None = None, placeholder: str = "", parent=None):
        super().__init__(parent)
        self.length = length
        self.edit = QPlainTextEdit(self)
        self.edit.setPlaceholderText(placeholder or "在此输入正文，每段一行。可直接从 Word 粘贴。")
        self.edit.setTabChangesFocus(True)
        self.count = QLabel(self)
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addWidget(self.count)
        self.edit.textChanged.connect(self._on_text_changed)
        self._update_count()

    def set_text(self, text: str) -> None:
        self.edit.blockSignals(True)
        self.edit.setPlainText(text)
        self.edit.blockSignals(False)
        self._update_count()

    def text(self) -> str:
        return xml_safe(self.edit.toPlainText())

    def _update_count(self) -> None:
        n = char_count(self.edit.toPlainText())
        if self.length:
            low, high = self.length
            hint = f"建议 {low}–{high} 字"
            state = "偏少" if n < low else "偏多" if n > high else "合适"
            self.count.setText(f"字数：{n}（{hint}，{state}）")
        else:
            self.count.setText(f"字数：{n}")

    def _on_text_changed(self) -> None:
        self._update_count()
        self.changed.emit(self.text())


@dataclass
class ColumnSpec:
    """One column of a RowTable. kind: text | number | choice | departments | readonly."""

    key: str
    title: str
    kind: str = "text"
    width: int = 120
    choices: list[tuple[str, Any]] = field(default_factory=list)  # (label, value)
    # read/write a value that is not a plain row key (e.g. targets[i])
    getter: Callable[[dict], Any] | None = None
    setter: Callable[[dict, Any], None] | None = None


class _ChoiceDelegate(QStyledItemDelegate):
    def __init__(self, spec: ColumnSpec, parent=None):
        super().__init__(parent)
        self.spec = spec

    def createEditor(self, parent, option, index):
        combo = QComboBox(parent)
        combo.setEditable(False)
        for label, value in self.spec.choices:
            combo.addItem(label, value)
        return combo

    def setEditorData(self, editor, index):
        value = index.data(Qt.ItemDataRole.UserRole)
        i = editor.findData(value)
        editor.setCurrentIndex(max(i, 0))

    def setModelData(self, editor, model, index):
        model.setData(index, editor.currentData(), Qt.ItemDataRole.UserRole)
        model.setData(index, editor.currentText(), Qt.ItemDataRole.DisplayRole)


class RowTable(QWidget):
    """A table of dict rows with add / delete / move buttons and per-cell validation.

    The rows list passed to `bind` is edited in place, so the draft always holds
    what the table shows; a cell that fails validation is marked red with the
    reason and the stored value keeps its last valid content.

    Signals:
        changed(): a row was added, removed, moved or a cell accepted.
    """

    changed = Signal()

    def __init__(self, columns: list[ColumnSpec], new_row: Callable[[], dict], parent=None,
                 can_add: bool = True):
        super().__init__(parent)
        self.columns = columns
        self.new_row = new_row
        self.rows: list[dict] = []
        self.table = QTableWidget(0, len(columns), self)
        self.table.setHorizontalHeaderLabels([c.title for c in columns])
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        triggers = QAbstractItemView.EditTrigger
        self.table.setEditTriggers(triggers.DoubleClicked | triggers.EditKeyPressed
                                   | triggers.AnyKeyPressed | triggers.SelectedClicked)
        header = self.table.horizontalHeader()
        for i, c in enumerate(columns):
            self.table.setColumnWidth(i, c.width)
            if c.kind == "choice":
                self.table.setItemDelegateForColumn(i, _ChoiceDelegate(c, self.table))
        header.setSectionResizeMode(len(columns) - 1, QHeaderView.ResizeMode.Stretch)
        self.message = QLabel(self)
        self.message.setStyleSheet("color: #b3261e;")
        self.message.setWordWrap(True)
        self.add_button = QPushButton("添加一行", self)
        self.remove_button = QPushButton("删除所选行", self)
        self.up_button = QPushButton("上移", self)
        self.down_button = QPushButton("下移", self)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.add_button.setVisible(can_add)
        self.remove_button.setVisible(can_add)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_selected)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.table.itemChanged.connect(self._on_item_changed)
        self._errors: dict[tuple[int, int], str] = {}

    # data binding ----------------------------------------------------------------
    def bind(self, rows: list[dict]) -> None:
        self.rows = rows
        self._errors.clear()
        self.refresh()

    def _value(self, row: dict, spec: ColumnSpec):
        return spec.getter(row) if spec.getter else row.get(spec.key)

    def _display(self, spec: ColumnSpec, value) -> str:
        if spec.kind == "number":
            return format_number(value)
        if spec.kind == "departments":
            return "、".join(value or [])
        if spec.kind == "choice":
            return next((label for label, v in spec.choices if v == value), "" if value is None else str(value))
        return "" if value is None else str(value)

    def refresh(self) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            for c, spec in enumerate(self.columns):
                value = self._value(row, spec)
                item = QTableWidgetItem(self._display(spec, value))
                item.setData(Qt.ItemDataRole.UserRole, value)
                if spec.kind == "readonly":
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                    item.setForeground(QBrush(QColor("#555555")))
                if spec.kind == "number":
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.table.blockSignals(False)
        self.table.resizeRowsToContents()
        self._show_errors()

    def _show_errors(self) -> None:
        self.message.setText("\n".join(self._errors.values()))

    # editing ------------------------------------------------------------------------
    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        r, c = item.row(), item.column()
        if r >= len(self.rows):
            return
        spec = self.columns[c]
        row = self.rows[r]
        text = xml_safe(item.text())
        error = None
        if spec.kind == "number":
            try:
                value = parse_number(text)
            except FigureError as exc:
                error = f"第{r + 1}行“{spec.title}”：{exc}"
                value = None
        elif spec.kind == "departments":
            value = split_departments(text)
        elif spec.kind == "choice":
            value = item.data(Qt.ItemDataRole.UserRole)
        else:
            value = text
        self.table.blockSignals(True)
        if error:
            self._errors[(r, c)] = error
            item.setBackground(QBrush(ERROR_BG))
            item.setToolTip(error)
        else:
            self._errors.pop((r, c), None)
            item.setBackground(QBrush())
            item.setToolTip("")
            if spec.setter:
                spec.setter(row, value)
            else:
                row[spec.key] = value
        self.table.blockSignals(False)
        self._show_errors()
        if not error:
            self.changed.emit()

    def add_row(self) -> None:
        at = self.table.currentRow() + 1 if self.table.currentRow() >= 0 else len(self.rows)
        self.rows.insert(at, self.new_row())
        self._errors.clear()
        self.refresh()
        self.table.setCurrentCell(at, 0)
        self.changed.emit()

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        if not rows and self.table.currentRow() >= 0:
            rows = [self.table.currentRow()]
        for r in rows:
            if 0 <= r < len(self.rows):
                del self.rows[r]
        if rows:
            self._errors.clear()
            self.refresh()
            self.changed.emit()

    def move_selected(self, step: int) -> None:
        r = self.table.currentRow()
        target = r + step
        if r < 0 or not 0 <= target < len(self.rows):
            return
        self.rows[r], self.rows[target] = self.rows[target], self.rows[r]
        self._errors.clear()
        self.refresh()
        self.table.setCurrentCell(target, max(self.table.currentColumn(), 0))
        self.changed.emit()
