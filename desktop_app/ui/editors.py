"""Editors shared by the wizard pages: prose with a live 字数, and a row table.

Both take what officers paste: ProseEditor turns Word/WPS/web HTML and messy
plain text into one paragraph per line (core/paste.py), RowTable takes a block
copied from Excel at the current cell and gives a selection back as TSV.
"""
from __future__ import annotations

import copy
import unicodedata
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Callable

from PySide6.QtCore import QEvent, QItemSelectionModel, QMimeData, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView, QApplication, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QPlainTextEdit, QPushButton, QStyledItemDelegate, QTableWidget, QTableWidgetItem, QVBoxLayout,
    QWidget,
)

from desktop_app.core.cleaning import xml_safe
from desktop_app.core.completeness import char_count
from desktop_app.core.departments import split_departments
from desktop_app.core.figures import EMPTY_REASONS, FigureError, format_number, parse_figure
from desktop_app.core.limits import (
    CELL_MAX_CHARS, TABLE_MAX_ROWS, TEXT_MAX_CHARS, too_long_message, too_many_rows_message,
)
from desktop_app.core.paste import clean_plain, html_to_text, join_tsv, one_line, split_tsv
from desktop_app.ui.undo import SnapshotChange

__all__ = ["ColumnSpec", "PasteTextEdit", "ProseEditor", "RowTable", "limit_line_edit", "split_departments"]


def limit_line_edit(edit: QLineEdit, limit: int, label: str, report: Callable[[str], None]) -> None:
    """The one-line field holds at most `limit` characters (core.limits); what is typed or
    pasted beyond is not taken, and `report` tells the officer. A longer value already
    stored (an old draft) is shown whole, never cut."""
    edit.setMaxLength(max(limit, len(edit.text())))
    edit.inputRejected.connect(lambda: report(too_long_message(label, limit)))

ERROR_BG = QColor("#fde2e1")
ERROR_STYLE = "QLineEdit { border: 2px solid #b3261e; background: #fde2e1; }"


class PasteTextEdit(QPlainTextEdit):
    """A QPlainTextEdit whose paste keeps paragraphs and drops formatting and junk,
    and which takes no more than `max_chars` (core.limits.TEXT_MAX_CHARS): what would
    go beyond is refused whole and `refused(message)` says so."""

    refused = Signal(str)
    max_chars = TEXT_MAX_CHARS

    def _room(self) -> int:
        cursor = self.textCursor()
        return self.max_chars - (len(self.toPlainText()) - (cursor.selectionEnd() - cursor.selectionStart()))

    def _refuse(self) -> None:
        self.refused.emit(too_long_message("正文", self.max_chars, len(self.toPlainText())))

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.text() and event.text().isprintable() and self._room() < len(event.text()):
            self._refuse()
            event.accept()
            return
        super().keyPressEvent(event)

    def inputMethodEvent(self, event) -> None:  # noqa: N802 (Chinese input arrives here)
        if event.commitString() and self._room() < len(event.commitString()):
            self._refuse()
            event.accept()
            return
        super().inputMethodEvent(event)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return source.hasHtml() or source.hasText() or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        text = ""
        if source.hasHtml():
            text = html_to_text(source.html())
        if not text and source.hasText():
            text = clean_plain(source.text())
        if text and len(text) > self._room():
            self._refuse()
            return
        if text:
            # One edit block: a single 撤销 takes the whole paste back.
            self.textCursor().insertText(text)
            self.ensureCursorVisible()


class ProseEditor(QWidget):
    """Plain-text paragraphs (one per line) with a live 字数 and the length hint.

    Signals:
        changed(str): the text after each edit (control characters removed).
    """

    changed = Signal(str)

    def __init__(self, length: tuple[int, int] | None = None, placeholder: str = "", parent=None):
        super().__init__(parent)
        self.length = length
        self.edit = PasteTextEdit(self)
        self.edit.setPlaceholderText(placeholder or "在此输入正文，每段一行。可直接从 Word 粘贴。")
        self.edit.setTabChangesFocus(True)
        self.setFocusProxy(self.edit)
        self.count = QLabel(self)
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addWidget(self.count)
        self.edit.textChanged.connect(self._on_text_changed)
        self.edit.refused.connect(self._on_refused)
        self._update_count()

    def _on_refused(self, message: str) -> None:
        self.count.setText(message)
        self.count.setStyleSheet("color: #b3261e;")

    def set_text(self, text: str) -> None:
        self.edit.blockSignals(True)
        self.edit.setPlainText(text)
        self.edit.blockSignals(False)
        self._update_count()

    def text(self) -> str:
        # U+FEFF (a byte-order mark left by some files) is never text, and Qt's document
        # swallows it unevenly: after setPlainText("\x00\ufeff") it holds the mark but
        # signalled "" — dropped here, the signalled text and the widget's always agree.
        return xml_safe(self.edit.toPlainText()).replace("\ufeff", "")

    def _update_count(self) -> None:
        self.count.setStyleSheet("")
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
    """One column of a RowTable.

    kind: text | number (20%, ２０％ via figures.parse_number, or a reason: 未统计 / 不适用)
    | year (one of `choices`)
    | choice (a combo of `choices`) | department (one name, completed) | departments
    ("、"-separated list, completed after the last "、") | readonly.
    """

    key: str
    title: str
    kind: str = "text"
    width: int = 120
    choices: list[tuple[str, Any]] = field(default_factory=list)  # (label, value)
    # read/write a value that is not a plain row key (e.g. targets[i])
    getter: Callable[[dict], Any] | None = None
    setter: Callable[[dict, Any], None] | None = None
    #: Long text (问题/对策, 说明, 进度安排): edited in a box of several lines that wraps
    #: it; Enter, Ctrl+Enter or Tab keeps the text (a cell is one paragraph of the book).
    multiline: bool = False
    #: Filled in by the guide for the guide's own rows (指标名称, 单位): a paste never
    #: overwrites it there; `guarded(row)` says whether a row's cell is the guide's.
    guarded: Callable[[dict], bool] | None = None
    #: A setting every row has (指标类型: 各年数值 unless changed), not content the officer
    #: fills: a row holding only it is still an empty row for a paste.
    setting: bool = False


#: parse_cell's value for "leave the stored value as it is" (an emptied choice cell).
KEEP = object()


def parse_cell(spec: ColumnSpec, text: str, row: int) -> tuple[Any, str | None]:
    """A cell's text → (value to store, None) or (None, message naming row and column)."""
    text = xml_safe(text)
    if spec.kind not in ("number", "year", "choice"):
        return (split_departments(text) if spec.kind == "departments" else text), None
    text = text.strip()
    where = f"第{row + 1}行“{spec.title}”"
    if spec.kind == "number":
        try:
            return parse_figure(text), None  # a number, or why it is empty (未统计 / 不适用)
        except FigureError as exc:
            return None, f"{where}：{exc}"
    if spec.kind == "year":
        if not text:
            return None, None
        raw = unicodedata.normalize("NFKC", text).removesuffix("年").strip()
        years = [v for _label, v in spec.choices]
        span = f"{years[0]}—{years[-1]}年" if years else ""
        if not raw.isdigit():
            return None, f"{where}：“{text}”不是年份，请填写建设期内的年份（{span}），如 {years[0] if years else 2022}"
        if years and int(raw) not in years:
            return None, f"{where}：{raw}年不在建设期（{span}）内，请改为其中一年"
        return int(raw), None
    if spec.kind == "choice":
        if not text:
            return KEEP, None  # a choice is never emptied by typing or pasting nothing
        for label, value in spec.choices:
            if text in (label, str(value)):
                return value, None
        options = "、".join(label for label, _v in spec.choices[:4])
        return None, f"{where}：“{text}”不在可选项中，请从列表选择（如 {options}）"
    return text, None


class _CellDelegate(QStyledItemDelegate):
    """The cell editor: a QLineEdit checked on every keystroke, so a bad figure shows
    red (frame, tooltip, the table's message line) while it is typed, not after."""

    def __init__(self, table: RowTable, spec: ColumnSpec):
        super().__init__(table.table)
        self.owner = table
        self.spec = spec
        # Escape (or a commit) ends the editor: its live message goes with it.
        self.closeEditor.connect(lambda *_args: table.show_live_error(None))

    def eventFilter(self, editor, event):
        """Ctrl+V of an Excel block while a cell is being edited pastes the block, not tabs.
        In a multi-line cell Enter or Ctrl+Enter keeps the text, as in a one-line cell."""
        if event.type() == QEvent.Type.KeyPress and isinstance(editor, QPlainTextEdit) \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)
            return True
        if event.type() == QEvent.Type.KeyPress and event.matches(QKeySequence.StandardKey.Paste):
            text = QApplication.clipboard().text()
            block = "\t" in text if isinstance(editor, QPlainTextEdit) else \
                ("\t" in text or "\n" in text.strip("\r\n"))
            if block:
                self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)
                self.owner.paste_text(text)
                return True
        return super().eventFilter(editor, event)

    def createEditor(self, parent, option, index):
        if self.spec.kind == "year":
            # The plan's years to pick with the mouse, or a year typed (2022, 2022年, ２０２２).
            combo = QComboBox(parent)
            combo.setEditable(True)
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            combo.addItems([label for label, _v in self.spec.choices])
            line = combo.lineEdit()
            line.textChanged.connect(lambda text, r=index.row(), e=line: self._check(e, text, r))  # noqa: B008 (captured now)
            return combo
        if self.spec.multiline:
            box = PasteTextEdit(parent)
            box.setTabChangesFocus(True)
            box.setToolTip("Enter、Ctrl+Enter 或 Tab 完成；Esc 取消")
            return box
        editor = QLineEdit(parent)
        editor.setFrame(False)
        editor.setMaxLength(CELL_MAX_CHARS)
        editor.inputRejected.connect(lambda: self.owner.show_live_error(
            too_long_message(self.spec.title, CELL_MAX_CHARS)))
        if self.spec.kind in ("department", "departments") and self.owner.department_model is not None:
            from desktop_app.ui.departments import DepartmentCompleter

            editor.setCompleter(DepartmentCompleter(self.owner.department_model, editor,
                                                    multiple=self.spec.kind == "departments"))
        if self.spec.kind == "number":
            editor.textChanged.connect(lambda text, r=index.row(), e=editor: self._check(e, text, r))  # noqa: B008 (captured now)
            # no figure to give: the reason is offered as the officer starts typing it (未 / 不)
            from PySide6.QtWidgets import QCompleter

            reasons = QCompleter(list(EMPTY_REASONS), editor)
            editor.setCompleter(reasons)
            editor.setPlaceholderText("数字，或“未统计”“不适用”")
        return editor

    def _check(self, editor: QLineEdit, text: str, row: int) -> None:
        _value, error = parse_cell(self.spec, text, row)
        editor.setStyleSheet(ERROR_STYLE if error else "")
        editor.setToolTip(error or "")
        self.owner.show_live_error(error)

    def updateEditorGeometry(self, editor, option, index):
        if not isinstance(editor, QPlainTextEdit):
            super().updateEditorGeometry(editor, option, index)
            return
        # Taller than the cell (six lines), kept inside the table's visible area.
        rect = option.rect
        view = editor.parentWidget()
        height = max(rect.height(), editor.fontMetrics().lineSpacing() * 6 + 12)
        top = max(0, min(rect.top(), view.height() - height))
        editor.setGeometry(rect.left(), top, max(rect.width(), 240), min(height, view.height()))

    def setEditorData(self, editor, index):
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        if isinstance(editor, QComboBox):
            editor.setEditText(text)
        elif isinstance(editor, QPlainTextEdit):
            editor.setPlainText(text)
            editor.moveCursor(editor.textCursor().MoveOperation.End)
        else:
            editor.setText(text)

    def setModelData(self, editor, model, index):
        if isinstance(editor, QComboBox):
            text = editor.currentText()
        elif isinstance(editor, QPlainTextEdit):
            text = one_line(editor.toPlainText())  # a pasted paragraph's lines, joined
        else:
            text = editor.text()
        model.setData(index, text, Qt.ItemDataRole.DisplayRole)


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
        i = editor.findText(index.data(Qt.ItemDataRole.DisplayRole) or "")
        editor.setCurrentIndex(max(i, 0))

    def setModelData(self, editor, model, index):
        model.setData(index, editor.currentText(), Qt.ItemDataRole.DisplayRole)


class RowTable(QWidget):
    """A table of dict rows with add / delete / move (buttons and keys), Excel paste and
    copy, per-cell validation as typed, and its own undo stack.

    The rows list passed to `bind` is edited in place, so the draft always holds what
    the table shows. A cell that fails validation keeps the officer's text on screen,
    marked red with the reason, while the draft keeps the cell's last valid value (never
    garbage); the mark survives adding, moving and deleting other rows.

    Keys: Ctrl+Enter / Insert add a row · Ctrl+Delete / Shift+Delete delete the row ·
    Alt+↑/↓ move it · Ctrl+C / Ctrl+V copy and paste cells (TSV, as Excel) · Tab moves
    between cells, Ctrl+Tab / Ctrl+Shift+Tab leave the table.

    Signals:
        changed(): a row was added, removed, moved or a cell accepted.
    """

    changed = Signal()

    def __init__(self, columns: list[ColumnSpec], new_row: Callable[[], dict], parent=None,
                 can_add: bool = True, department_model=None, max_row_lines: int = 3):
        super().__init__(parent)
        #: A row is as tall as its text needs, up to this many lines; the rest is in the
        #: cell's tooltip and its editor (so a long 说明 never leaves one row on screen).
        self.max_row_lines = max_row_lines
        self.columns = columns
        self.new_row = new_row
        self.can_add = can_add
        self.department_model = department_model
        self.rows: list[dict] = []
        self.undo_stack = QUndoStack(self)
        self.table = QTableWidget(0, len(columns), self)
        self.table.setHorizontalHeaderLabels([c.title for c in columns])
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.table.setTabKeyNavigation(True)
        triggers = QAbstractItemView.EditTrigger
        self.table.setEditTriggers(triggers.DoubleClicked | triggers.EditKeyPressed
                                   | triggers.AnyKeyPressed | triggers.SelectedClicked)
        header = self.table.horizontalHeader()
        for i, c in enumerate(columns):
            self.table.setColumnWidth(i, c.width)
            if c.kind == "choice":
                self.table.setItemDelegateForColumn(i, _ChoiceDelegate(c, self.table))
            elif c.kind != "readonly":
                self.table.setItemDelegateForColumn(i, _CellDelegate(self, c))
        header.setSectionResizeMode(len(columns) - 1, QHeaderView.ResizeMode.Stretch)
        self.message = QLabel(self)
        self.message.setStyleSheet("color: #b3261e;")
        self.message.setWordWrap(True)
        self.add_button = QPushButton("添加一行", self)
        self.add_button.setToolTip("在当前行之后添加（Ctrl+Enter 或 Insert）")
        self.remove_button = QPushButton("删除所选行", self)
        self.remove_button.setToolTip("Ctrl+Delete 或 Shift+Delete")
        self.up_button = QPushButton("上移", self)
        self.up_button.setToolTip("Alt+↑")
        self.down_button = QPushButton("下移", self)
        self.down_button.setToolTip("Alt+↓")
        self.paste_hint = QLabel("可从 Excel 复制后按 Ctrl+V 粘贴", self)
        self.paste_hint.setStyleSheet("color: #666;")
        buttons = QHBoxLayout()
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.paste_hint)
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
        self.table.installEventFilter(self)
        # Text that failed validation, per row dict and column key: (row, text, message).
        # Keyed by the row object so the mark follows its row through moves and deletes.
        self._pending: dict[tuple[int, str], tuple[dict, str, str]] = {}
        self._live_error: str | None = None

    def tab_widgets(self) -> list[QWidget]:
        """In the order Tab visits them: the buttons above the table, then the table."""
        return [self.add_button, self.remove_button, self.up_button, self.down_button, self.table]

    # data binding ----------------------------------------------------------------
    def bind(self, rows: list[dict]) -> None:
        self.rows = rows
        self.undo_stack.clear()  # another list (e.g. another task's 专栏): its own history
        self.refresh()

    def _value(self, row: dict, spec: ColumnSpec):
        return spec.getter(row) if spec.getter else row.get(spec.key)

    def _display(self, spec: ColumnSpec, value) -> str:
        if spec.kind == "number":
            return format_number(value)
        if spec.kind == "departments":
            return "、".join(value or [])
        if spec.kind in ("choice", "year"):
            return next((label for label, v in spec.choices if v == value), "" if value is None else str(value))
        return "" if value is None else str(value)

    @property
    def errors(self) -> list[str]:
        """The messages of the cells now marked invalid, in table order."""
        index = {id(r): n for n, r in enumerate(self.rows)}
        keys = [k.key for k in self.columns]
        found = [(index[rid], keys.index(key), msg) for (rid, key), (_r, _t, msg) in self._pending.items()
                 if rid in index and key in keys]
        return [msg for _r, _c, msg in sorted(found)]

    def refresh(self) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            for c, spec in enumerate(self.columns):
                value = self._value(row, spec)
                item = QTableWidgetItem(self._display(spec, value))
                if spec.kind == "readonly":
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                    item.setForeground(QBrush(QColor("#555555")))
                if spec.kind == "number":
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                elif len(item.text()) > 20:
                    item.setToolTip(item.text())  # all of it, when the row shows only its first lines
                pending = self._pending.get((id(row), spec.key))
                if pending:
                    _row, text, message = pending
                    item.setText(text)
                    item.setBackground(QBrush(ERROR_BG))
                    item.setToolTip(message)
                self.table.setItem(r, c, item)
        self.table.blockSignals(False)
        self.fit_rows()
        self._show_errors()

    def fit_rows(self) -> None:
        """Rows as tall as their text at the columns' present widths, capped at max_row_lines."""
        self.table.resizeRowsToContents()
        cap = self.table.fontMetrics().lineSpacing() * self.max_row_lines + 8
        for r in range(self.table.rowCount()):
            if self.table.rowHeight(r) > cap:
                self.table.setRowHeight(r, cap)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self.fit_rows()  # wrapped text needs fewer lines in wider columns

    def show_live_error(self, error: str | None) -> None:
        self._live_error = error
        self._show_errors()

    def _show_errors(self) -> None:
        messages = self.errors
        if self._live_error and self._live_error not in messages:
            messages = [self._live_error, *messages]
        self.message.setText("\n".join(messages))

    # editing ------------------------------------------------------------------------
    def _apply(self, r: int, c: int, text: str) -> bool:
        """Store `text` typed or pasted into cell (r, c); mark it when invalid. True if valid."""
        spec = self.columns[c]
        if spec.kind == "readonly":
            return True
        row = self.rows[r]
        value, error = parse_cell(spec, text, r)
        if error:
            # The draft keeps its last valid value; the typed text waits, marked, on screen.
            self._pending[(id(row), spec.key)] = (row, text, error)
            return False
        self._pending.pop((id(row), spec.key), None)
        if value is KEEP:
            return True
        if spec.setter:
            spec.setter(row, value)
        else:
            row[spec.key] = value
        return True

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        r, c = item.row(), item.column()
        if r >= len(self.rows):
            return
        before = self._snapshot()
        self._live_error = None
        ok = self._apply(r, c, item.text())
        self.table.blockSignals(True)
        pending = self._pending.get((id(self.rows[r]), self.columns[c].key))
        item.setBackground(QBrush(ERROR_BG) if pending else QBrush())
        item.setToolTip(pending[2] if pending else "")
        if ok and self.columns[c].kind in ("year", "choice", "departments"):  # figures stay as typed
            item.setText(self._display(self.columns[c], self._value(self.rows[r], self.columns[c])))
        self.table.blockSignals(False)
        self._show_errors()
        self._record(before, f"编辑第{r + 1}行“{self.columns[c].title}”")

    def _snapshot(self) -> list:
        return copy.deepcopy(self.rows)

    def _record(self, before: list, text: str) -> None:
        if before != self.rows:
            self.undo_stack.push(SnapshotChange(self._restore, before, self._snapshot(), text))
        self.changed.emit()

    def _restore(self, rows: list) -> None:
        self.rows[:] = rows
        self._pending.clear()  # the marks belonged to row objects that are gone
        self.refresh()
        self.changed.emit()

    def undo(self) -> None:
        self.undo_stack.undo()

    def redo(self) -> None:
        self.undo_stack.redo()

    def add_row(self) -> None:
        if not self.can_add:
            return
        if len(self.rows) >= TABLE_MAX_ROWS:
            self.show_live_error(too_many_rows_message("本表", TABLE_MAX_ROWS))
            return
        before = self._snapshot()
        at = self.table.currentRow() + 1 if self.table.currentRow() >= 0 else len(self.rows)
        self.rows.insert(at, self.new_row())
        self.refresh()
        self._go_to_cell(at, self._first_editable())
        self._record(before, "添加一行")

    def _go_to_cell(self, row: int, column: int) -> None:
        """Make (row, column) current and the only selection: after Ctrl+Enter or Alt+↓ the
        held modifier would otherwise extend the old selection (and Ctrl+Delete take both)."""
        self.table.setCurrentCell(row, column, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _first_editable(self) -> int:
        return next((i for i, c in enumerate(self.columns) if c.kind != "readonly"), 0)

    def selected_rows(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        if not rows and self.table.currentRow() >= 0:
            rows = [self.table.currentRow()]
        return [r for r in rows if 0 <= r < len(self.rows)]

    def remove_selected(self) -> None:
        if not self.can_add:
            return
        rows = self.selected_rows()
        if not rows:
            return
        before = self._snapshot()
        for r in reversed(rows):
            row = self.rows.pop(r)
            for key in [k for k in self._pending if k[0] == id(row)]:
                del self._pending[key]
        self.refresh()
        if self.rows:
            self._go_to_cell(min(rows[0], len(self.rows) - 1), max(self.table.currentColumn(), 0))
        self._record(before, "删除行")

    def move_selected(self, step: int) -> None:
        r = self.table.currentRow()
        target = r + step
        if r < 0 or not 0 <= target < len(self.rows):
            return
        before = self._snapshot()
        column = max(self.table.currentColumn(), 0)
        self.rows[r], self.rows[target] = self.rows[target], self.rows[r]
        self.refresh()
        self._go_to_cell(target, column)
        self._record(before, "移动行")

    def focus_cell(self, field: str) -> None:
        """Make "rows.3.lead"-style fields (list.row.column key) the current cell, when named."""
        bits = field.split(".")
        keys = [c.key for c in self.columns]
        if len(bits) > 2 and bits[1].isdigit() and bits[2] in keys and int(bits[1]) < len(self.rows):
            self.table.setCurrentCell(int(bits[1]), keys.index(bits[2]))

    # clipboard -----------------------------------------------------------------------
    def copy_selection(self) -> str:
        """The selected block as TSV (Excel pastes it back cell for cell); also on the clipboard."""
        indexes = self.table.selectedIndexes()
        if not indexes:
            return ""
        rows = sorted({i.row() for i in indexes})
        cols = sorted({i.column() for i in indexes})
        block = [[(self.table.item(r, c).text() if self.table.item(r, c) else "") for c in cols] for r in rows]
        text = join_tsv(block)
        QApplication.clipboard().setText(text)
        return text

    def paste_text(self, text: str) -> int:
        """Put a TSV block at the current cell, adding rows as needed; returns the rows filled.

        Every pasted value is validated like typing; bad ones stay visible and marked.
        """
        block = list(split_tsv(text))
        while block and not any(block[-1]):
            block.pop()
        if not block:
            return 0
        if self.table.currentRow() >= 0:
            r0, c0 = self.table.currentRow(), max(self.table.currentColumn(), 0)
        else:  # no cell chosen: the first empty row, or new rows after the last
            r0, c0 = self.first_empty_row(), 0
        before = self._snapshot()
        filled = 0
        dropped = 0
        full = 0  # rows beyond TABLE_MAX_ROWS
        too_long = 0  # cells beyond CELL_MAX_CHARS (not taken: the officer's text is never cut)
        kept: list[tuple[int, str]] = []  # guide-defined cells a paste left as they were
        for i, cells in enumerate(block):
            r = r0 + i
            if r >= len(self.rows):
                if not self.can_add:
                    dropped += 1
                    continue
                if len(self.rows) >= TABLE_MAX_ROWS:
                    full += 1
                    continue
                self.rows.append(self.new_row())
            for j, cell in enumerate(cells):
                if c0 + j < len(self.columns):
                    if len(cell) > CELL_MAX_CHARS:
                        too_long += 1
                        continue
                    spec = self.columns[c0 + j]
                    if spec.guarded is not None and spec.guarded(self.rows[r]):
                        if cell.strip() != self._display(spec, self._value(self.rows[r], spec)).strip():
                            kept.append((r, spec.title))
                        continue  # the guide's own name and unit are never pasted over
                    self._apply(r, c0 + j, cell)
            filled += 1
        self.refresh()
        self._go_to_cell(r0, c0)
        self._record(before, f"粘贴 {filled} 行")
        notes = []
        if dropped:
            notes.append(f"本表行数固定，另有 {dropped} 行未粘贴。")
        if full:
            notes.append(f"本表最多 {TABLE_MAX_ROWS} 行，另有 {full} 行未粘贴。")
        if too_long:
            notes.append(f"有 {too_long} 个单元格超过 {CELL_MAX_CHARS} 字，未粘贴，请精简后再粘贴。")
        if kept:
            rows = sorted({r + 1 for r, _t in kept})
            titles = "、".join(dict.fromkeys(f"“{t}”" for _r, t in kept))
            where = f"第{rows[0]}行" if len(rows) == 1 else f"第{rows[0]}—{rows[-1]}行"
            notes.append(f"{where}的{titles}是指南规定的，粘贴时保留原文，未被覆盖。")
        if notes:
            self.message.setText("\n".join(notes + ([self.message.text()] if self.message.text() else [])))
        return filled

    def first_empty_row(self) -> int:
        """The first row whose cells the officer fills are all empty (the guide's own
        cells aside); the row after the last when none is."""
        for r, row in enumerate(self.rows):
            if all(self._display(c, self._value(row, c)) == "" for c in self.columns
                   if c.kind != "readonly" and not c.setting and not (c.guarded and c.guarded(row))):
                return r
        return len(self.rows)

    def paste(self) -> int:
        return self.paste_text(QApplication.clipboard().text())

    # keyboard ------------------------------------------------------------------------
    def eventFilter(self, obj, event) -> bool:
        if obj is self.table and event.type() == QEvent.Type.KeyPress:
            return self._key(event)
        return super().eventFilter(obj, event)

    def _key(self, event) -> bool:
        key, mods = event.key(), event.modifiers()
        M = Qt.KeyboardModifier
        ctrl, shift, alt = bool(mods & M.ControlModifier), bool(mods & M.ShiftModifier), bool(mods & M.AltModifier)
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste()
        elif event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
        elif (ctrl and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)) or (key == Qt.Key.Key_Insert and not mods):
            self.add_row()
        elif key == Qt.Key.Key_Delete and (ctrl or shift):
            self.remove_selected()
        elif alt and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move_selected(-1 if key == Qt.Key.Key_Up else 1)
        elif ctrl and key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            # Tab walks the cells; Ctrl+Tab / Ctrl+Shift+Tab leave the table.
            self._leave(forward=key == Qt.Key.Key_Tab and not shift)
        elif key == Qt.Key.Key_Delete and not mods and self.table.selectedIndexes():
            self._clear_selected_cells()
        else:
            return False
        return True

    def _leave(self, forward: bool) -> None:
        """Focus the next (previous) focusable widget outside the table."""
        step = (lambda w: w.nextInFocusChain()) if forward else (lambda w: w.previousInFocusChain())
        w = step(self.table)
        while w is not None and w is not self.table:
            # Not the table's own parts, nor a container holding it (a QTabWidget would
            # hand the focus to its tab bar, back above the table).
            if (w.focusPolicy() & Qt.FocusPolicy.TabFocus) == Qt.FocusPolicy.TabFocus and w.isVisible() \
                    and w.isEnabled() and not self.table.isAncestorOf(w) and not w.isAncestorOf(self.table):
                w.setFocus(Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason)
                return
            w = step(w)

    def _clear_selected_cells(self) -> None:
        """Delete empties the selected cells (as in Excel), one undo step."""
        before = self._snapshot()
        self.table.blockSignals(True)
        for index in self.table.selectedIndexes():
            if self.columns[index.column()].kind != "readonly" and index.row() < len(self.rows):
                self._apply(index.row(), index.column(), "")
        self.table.blockSignals(False)
        self.refresh()
        self._record(before, "清除单元格")
