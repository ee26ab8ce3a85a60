"""附件材料: the attachments bound after the plan (title, 页数, an optional file), in order.

compose() prints draft.attachments as the plan's 附件 list and one page per
attachment, so their order here is the order in the book. Rows are dragged to
reorder (or moved with Alt+↑/↓); the tree is flat — an attachment cannot be
dropped inside another.
"""
from __future__ import annotations

import copy
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView, QFileDialog, QHBoxLayout, QLabel, QPushButton, QTreeWidget, QTreeWidgetItem,
    QVBoxLayout,
)

from desktop_app.core.cleaning import xml_safe
from desktop_app.core.figures import FigureError, parse_number
from desktop_app.ui.page_base import DraftPage, chain_tab_order, guide_box
from desktop_app.ui.session import DraftSession
from desktop_app.ui.undo import SnapshotChange

TITLE, PAGES, FILE = range(3)
ERROR_COLOR = "#fde2e1"


class _AttachmentTree(QTreeWidget):
    """Flat list with internal drag-and-drop; reports the new order after a drop."""

    def __init__(self, on_reordered, parent=None):
        super().__init__(parent)
        self._on_reordered = on_reordered

    def dropEvent(self, event):
        super().dropEvent(event)
        # The view finishes its own bookkeeping after dropEvent; read the order then.
        QTimer.singleShot(0, self._on_reordered)


class AttachmentsPage(DraftPage):
    key = "attachments"

    def __init__(self, session: DraftSession, parent=None):
        super().__init__(session, "附件材料", parent)
        self.undo_stack = QUndoStack(self)
        layout = QVBoxLayout(self)
        layout.addWidget(guide_box("按装订顺序列出随方案报送的附件（如政策文件汇编、批复文件）。"
                                   "拖动行或按 Alt+↑/↓ 调整顺序；双击名称或页数修改；可选择对应的文件备查。", "说明"))
        self.tree = _AttachmentTree(self._sync_order)
        self.tree.setAccessibleName("附件材料")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["附件名称", "页数", "文件（可选）"])
        self.tree.setRootIsDecorated(False)
        self.tree.setColumnWidth(TITLE, 380)
        self.tree.setColumnWidth(PAGES, 60)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.SelectedClicked)
        self.tree.installEventFilter(self)
        layout.addWidget(self.tree, 1)
        row = QHBoxLayout()
        self.add_button = QPushButton("添加附件")
        self.remove_button = QPushButton("删除")
        self.up_button = QPushButton("上移")
        self.down_button = QPushButton("下移")
        self.file_button = QPushButton("选择文件…")
        self.clear_file_button = QPushButton("清除文件")
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button,
                  self.file_button, self.clear_file_button):
            row.addWidget(b)
        row.addStretch(1)
        layout.addLayout(row)
        self.message = QLabel()
        self.message.setStyleSheet("color: #b3261e;")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.add_button.clicked.connect(self.add_attachment)
        self.remove_button.clicked.connect(self.remove_current)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        self.file_button.clicked.connect(self.choose_file)
        self.clear_file_button.clicked.connect(self.clear_file)
        self.tree.itemChanged.connect(self._on_item_changed)
        chain_tab_order(self.tree, self.add_button, self.remove_button, self.up_button, self.down_button,
                        self.file_button, self.clear_file_button)
        self.show_attachments()

    @property
    def attachments(self) -> list[dict]:
        return self.draft.writable("attachments")

    # display ------------------------------------------------------------------------
    def show_attachments(self, current: int = 0) -> None:
        self.tree.blockSignals(True)
        self.tree.clear()
        for a in self.attachments:
            item = QTreeWidgetItem([a.get("title", ""), "" if a.get("pages") is None else str(a["pages"]),
                                    Path(a["file"]).name if a.get("file") else ""])
            item.setData(TITLE, Qt.ItemDataRole.UserRole, id(a))
            item.setToolTip(FILE, a.get("file") or "")
            # Editable and draggable, but never a drop target: the list stays flat.
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable
                          | Qt.ItemFlag.ItemIsDragEnabled)
            self.tree.addTopLevelItem(item)
        self.tree.blockSignals(False)
        if self.attachments:
            self.tree.setCurrentItem(self.tree.topLevelItem(max(0, min(current, len(self.attachments) - 1))))

    def current_row(self) -> int:
        item = self.tree.currentItem()
        return self.tree.indexOfTopLevelItem(item) if item else -1

    # undo ------------------------------------------------------------------------------
    def _snapshot(self) -> tuple[list, int]:
        return copy.deepcopy(self.attachments), self.current_row()

    def _record(self, before: tuple[list, int], text: str) -> None:
        if before[0] != self.attachments:
            self.undo_stack.push(SnapshotChange(self._restore, before, self._snapshot(), text))
        self.session.touch()

    def _restore(self, state: tuple[list, int]) -> None:
        attachments, current = state
        self.attachments[:] = attachments
        self.show_attachments(max(current, 0))
        self.session.touch()

    # edits --------------------------------------------------------------------------
    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        r = self.tree.indexOfTopLevelItem(item)
        if not 0 <= r < len(self.attachments):
            return
        a = self.attachments[r]
        before = self._snapshot()
        if column == TITLE:
            from desktop_app.core.limits import field_max, too_long_message

            title, limit = xml_safe(item.text(TITLE)).strip(), field_max("attachments.*.title")
            if len(title) > limit:  # the typed text stays on screen, marked; the stored title is kept
                self.message.setText(f"附件{r + 1}：" + too_long_message("附件名称", limit, len(title)))
                self.tree.blockSignals(True)
                item.setBackground(TITLE, QBrush(QColor(ERROR_COLOR)))
                item.setToolTip(TITLE, self.message.text())
                self.tree.blockSignals(False)
                return
            a["title"] = title
            if item.toolTip(TITLE):  # a mark from a title that was too long
                self.message.setText("")
                self.tree.blockSignals(True)
                item.setBackground(TITLE, QBrush())
                item.setToolTip(TITLE, "")
                self.tree.blockSignals(False)
        elif column == PAGES:
            text = item.text(PAGES)
            try:
                value = parse_number(text)
                if value is not None and (not isinstance(value, int) or value < 0):
                    raise FigureError(f"“{text}”不是页数")
            except FigureError:
                self.message.setText(f"附件{r + 1}“页数”：“{text}”不是页数，请填写整数，如 12；不清楚可留空。")
                self.tree.blockSignals(True)
                item.setBackground(PAGES, QBrush(QColor(ERROR_COLOR)))
                item.setToolTip(PAGES, self.message.text())
                self.tree.blockSignals(False)
                return  # the last valid 页数 stays stored; the typed text stays marked
            a["pages"] = value
            self.message.setText("")
            self.tree.blockSignals(True)
            item.setBackground(PAGES, QBrush())
            item.setToolTip(PAGES, "")
            self.tree.blockSignals(False)
        else:
            return
        self._record(before, "修改附件")

    def add_attachment(self) -> None:
        from desktop_app.core.limits import TABLE_MAX_ROWS, too_many_rows_message

        if len(self.attachments) >= TABLE_MAX_ROWS:
            self.message.setText(too_many_rows_message("附件材料", TABLE_MAX_ROWS))
            return
        at = self.current_row() + 1 if self.current_row() >= 0 else len(self.attachments)
        before = self._snapshot()
        self.attachments.insert(at, {"title": "", "pages": None, "file": None})
        self.show_attachments(at)
        self._record(before, "添加附件")
        self.tree.setFocus()
        self.tree.editItem(self.tree.topLevelItem(at), TITLE)

    def remove_current(self) -> None:
        r = self.current_row()
        if 0 <= r < len(self.attachments):
            before = self._snapshot()
            del self.attachments[r]
            self.show_attachments(r)
            self._record(before, "删除附件")

    def move_current(self, step: int) -> None:
        r = self.current_row()
        t = r + step
        if 0 <= r < len(self.attachments) and 0 <= t < len(self.attachments):
            before = self._snapshot()
            self.attachments[r], self.attachments[t] = self.attachments[t], self.attachments[r]
            self.show_attachments(t)
            self._record(before, "移动附件")

    def _sync_order(self) -> None:
        """After a drag: the draft's list takes the order the rows now show."""
        by_id = {id(a): a for a in self.attachments}
        order = [by_id.get(self.tree.topLevelItem(i).data(TITLE, Qt.ItemDataRole.UserRole))
                 for i in range(self.tree.topLevelItemCount())]
        if None in order or len(order) != len(self.attachments):
            self.show_attachments()  # an odd drop: show the stored order again
            return
        current = self.current_row()
        if order != self.attachments:
            before = (copy.deepcopy(self.attachments), current)
            self.attachments[:] = order
            self._record(before, "拖动附件")
        self.show_attachments(max(current, 0))

    # A method so tests can answer it without the native dialog.
    def ask_file(self) -> str:
        path, _filter = QFileDialog.getOpenFileName(self, "选择附件文件", "",
                                                    "文档 (*.pdf *.doc *.docx *.wps *.jpg *.png);;所有文件 (*)")
        return path

    def choose_file(self) -> None:
        r = self.current_row()
        if not 0 <= r < len(self.attachments):
            self.message.setText("请先选中一个附件，再选择文件。")
            return
        path = self.ask_file()
        if not path:
            return
        before = self._snapshot()
        a = self.attachments[r]
        a["file"] = path
        if not a.get("title"):
            a["title"] = Path(path).stem
        self.show_attachments(r)
        self._record(before, "选择附件文件")

    def clear_file(self) -> None:
        r = self.current_row()
        if 0 <= r < len(self.attachments) and self.attachments[r].get("file"):
            before = self._snapshot()
            self.attachments[r]["file"] = None
            self.show_attachments(r)
            self._record(before, "清除附件文件")

    def eventFilter(self, obj, event) -> bool:
        if obj is self.tree and event.type() == QEvent.Type.KeyPress:
            key, mods = event.key(), event.modifiers()
            M = Qt.KeyboardModifier
            if mods & M.AltModifier and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                self.move_current(-1 if key == Qt.Key.Key_Up else 1)
                return True
            if (key == Qt.Key.Key_Insert and not mods) or (
                    mods & M.ControlModifier and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
                self.add_attachment()
                return True
            if key == Qt.Key.Key_Delete and mods & (M.ControlModifier | M.ShiftModifier):
                self.remove_current()
                return True
        return super().eventFilter(obj, event)

    def focus_field(self, field: str) -> None:
        bits = field.split(".")
        self.tree.setFocus()
        if len(bits) > 1 and bits[1].isdigit() and int(bits[1]) < self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(int(bits[1])))
