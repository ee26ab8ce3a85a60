"""重大工程（专栏）under one 建设举措: each 专栏 has a title and its 重点项目, one per row.

Seed plans print them as a boxed panel ("专栏：“天津市知识产权生态园”重点建设项目" then
● 吸引品牌知识产权服务机构入驻 …); compose() turns each into a Panel. The editor
works on the measure's `projects` list in place: [{title, items: [str]}].
"""
from __future__ import annotations

import copy

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QToolButton,
    QVBoxLayout, QWidget,
)

from desktop_app.core.cleaning import xml_safe
from desktop_app.core.paste import clean_plain
from desktop_app.ui.undo import SnapshotChange


def _buttons(*labels_tips: tuple[str, str]) -> tuple[QHBoxLayout, list[QToolButton]]:
    """Compact buttons: eight push buttons would make the measures page wider than the window."""
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    buttons = []
    for label, tip in labels_tips:
        b = QToolButton()
        b.setText(label)
        b.setToolTip(tip)
        b.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        b.setMinimumWidth(48)
        b.setAccessibleName(tip.split("（")[0])
        row.addWidget(b)
        buttons.append(b)
    row.addStretch(1)
    return row, buttons


class _ItemList(QListWidget):
    """A list of editable lines; pasting several lines adds one item per line."""

    pasted = Signal(list)

    def keyPressEvent(self, event):
        from PySide6.QtGui import QKeySequence
        from PySide6.QtWidgets import QApplication

        if event.matches(QKeySequence.StandardKey.Paste):
            lines = [line for line in clean_plain(QApplication.clipboard().text()).split("\n") if line]
            if lines:
                self.pasted.emit(lines)
            return
        super().keyPressEvent(event)


class ProjectsEditor(QWidget):
    """专栏 list on the left (title), the selected 专栏's 重点项目 on the right.

    Keys in either list: Insert / Ctrl+Enter add, Ctrl+Delete delete, Alt+↑/↓ move,
    F2 edit; Ctrl+V in the items list adds one project per pasted line.

    Signals:
        changed(): the projects changed (call session.touch()).
    """

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.projects: list[dict] = []
        self.undo_stack = QUndoStack(self)
        self.panels = QListWidget(self)
        self.panels.setAccessibleName("专栏")
        self.items = _ItemList(self)
        self.items.setAccessibleName("重点项目")
        for view in (self.panels, self.items):
            # 专栏 titles and projects are sentences: wrap them, never scroll sideways.
            view.setWordWrap(True)
            view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                 | QAbstractItemView.EditTrigger.EditKeyPressed
                                 | QAbstractItemView.EditTrigger.SelectedClicked)
            view.installEventFilter(self)
        panel_buttons, (self.add_panel, self.remove_panel, self.panel_up, self.panel_down) = _buttons(
            ("添加", "添加专栏（Insert）"), ("删除", "删除专栏（Ctrl+Delete）"), ("上移", "专栏上移（Alt+↑）"),
            ("下移", "专栏下移（Alt+↓）"))
        item_buttons, (self.add_item, self.remove_item, self.item_up, self.item_down) = _buttons(
            ("添加", "添加重点项目（Insert）；也可 Ctrl+V 粘贴多行，每行一个项目"), ("删除", "删除重点项目（Ctrl+Delete）"),
            ("上移", "项目上移（Alt+↑）"), ("下移", "项目下移（Alt+↓）"))
        left = QVBoxLayout()
        left.addWidget(QLabel("专栏标题（双击或 F2 修改）"))
        left.addWidget(self.panels, 1)
        left.addLayout(panel_buttons)
        right = QVBoxLayout()
        right.addWidget(QLabel("重点项目（每行一个）"))
        right.addWidget(self.items, 1)
        right.addLayout(item_buttons)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left, 2)
        layout.addLayout(right, 3)
        self.add_panel.clicked.connect(self.new_panel)
        self.remove_panel.clicked.connect(self.delete_panel)
        self.panel_up.clicked.connect(lambda: self.move_panel(-1))
        self.panel_down.clicked.connect(lambda: self.move_panel(1))
        self.add_item.clicked.connect(lambda: self.new_items([""]))
        self.remove_item.clicked.connect(self.delete_item)
        self.item_up.clicked.connect(lambda: self.move_item(-1))
        self.item_down.clicked.connect(lambda: self.move_item(1))
        self.items.pasted.connect(self.new_items)
        self.panels.currentRowChanged.connect(self._show_items)
        self.panels.itemChanged.connect(self._panel_edited)
        self.items.itemChanged.connect(self._item_edited)
        self.items.currentRowChanged.connect(lambda _r: self._update_buttons())
        QWidget.setTabOrder(self.panels, self.add_panel)
        QWidget.setTabOrder(self.add_panel, self.remove_panel)
        QWidget.setTabOrder(self.remove_panel, self.panel_up)
        QWidget.setTabOrder(self.panel_up, self.panel_down)
        QWidget.setTabOrder(self.panel_down, self.items)
        QWidget.setTabOrder(self.items, self.add_item)
        QWidget.setTabOrder(self.add_item, self.remove_item)
        QWidget.setTabOrder(self.remove_item, self.item_up)
        QWidget.setTabOrder(self.item_up, self.item_down)
        self._update_buttons()

    # binding -----------------------------------------------------------------------
    def bind(self, projects: list[dict]) -> None:
        self.projects = projects
        self.undo_stack.clear()  # another measure's 专栏: its own history
        self._fill_panels(0)

    # undo ------------------------------------------------------------------------------
    def _snapshot(self) -> tuple[list, int, int]:
        return copy.deepcopy(self.projects), self.panels.currentRow(), self.items.currentRow()

    def _record(self, before: tuple[list, int, int], text: str) -> None:
        if before[0] != self.projects:
            self.undo_stack.push(SnapshotChange(self._restore, before, self._snapshot(), text))
        self.changed.emit()

    def _restore(self, state: tuple[list, int, int]) -> None:
        projects, panel, item = state
        self.projects[:] = projects
        self._fill_panels(panel)
        if item >= 0:
            self._show_items(current=item)
        self.changed.emit()

    def _editable(self, text: str) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        return item

    def _fill_panels(self, current: int) -> None:
        self.panels.blockSignals(True)
        self.panels.clear()
        for p in self.projects:
            self.panels.addItem(self._editable(p.get("title", "")))
        self.panels.blockSignals(False)
        if self.projects:
            self.panels.setCurrentRow(max(0, min(current, len(self.projects) - 1)))
        self._show_items(self.panels.currentRow())

    def current_panel(self) -> dict | None:
        r = self.panels.currentRow()
        return self.projects[r] if 0 <= r < len(self.projects) else None

    def _show_items(self, _row: int = -1, current: int = 0) -> None:
        panel = self.current_panel()
        self.items.blockSignals(True)
        self.items.clear()
        for text in (panel or {}).get("items", []):
            self.items.addItem(self._editable(text))
        self.items.blockSignals(False)
        if self.items.count():
            self.items.setCurrentRow(max(0, min(current, self.items.count() - 1)))
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_panel = self.current_panel() is not None
        for b in (self.remove_panel, self.panel_up, self.panel_down, self.add_item):
            b.setEnabled(has_panel)
        has_item = has_panel and self.items.currentRow() >= 0
        for b in (self.remove_item, self.item_up, self.item_down):
            b.setEnabled(has_item)
        self.items.setEnabled(has_panel)

    # edits ---------------------------------------------------------------------------
    def _panel_edited(self, item: QListWidgetItem) -> None:
        r = self.panels.row(item)
        if 0 <= r < len(self.projects):
            before = self._snapshot()
            self.projects[r]["title"] = xml_safe(item.text()).strip()
            self._record(before, "修改专栏标题")

    def _item_edited(self, item: QListWidgetItem) -> None:
        panel = self.current_panel()
        r = self.items.row(item)
        if panel is None or not 0 <= r < len(panel.get("items", [])):
            return
        before = self._snapshot()
        panel["items"][r] = " ".join(clean_plain(item.text()).split("\n"))
        self._record(before, "修改重点项目")

    def new_panel(self) -> None:
        at = self.panels.currentRow() + 1 if self.current_panel() is not None else len(self.projects)
        before = self._snapshot()
        self.projects.insert(at, {"title": "专栏：", "items": []})
        self._fill_panels(at)
        self._record(before, "添加专栏")
        self.panels.setFocus()
        self.panels.editItem(self.panels.item(at))

    def delete_panel(self) -> None:
        r = self.panels.currentRow()
        if 0 <= r < len(self.projects):
            before = self._snapshot()
            del self.projects[r]
            self._fill_panels(r)
            self._record(before, "删除专栏")

    def move_panel(self, step: int) -> None:
        r = self.panels.currentRow()
        t = r + step
        if 0 <= r < len(self.projects) and 0 <= t < len(self.projects):
            before = self._snapshot()
            self.projects[r], self.projects[t] = self.projects[t], self.projects[r]
            self._fill_panels(t)
            self._record(before, "移动专栏")

    def new_items(self, lines: list[str]) -> None:
        """Add projects after the current one; an empty line opens it for typing."""
        panel = self.current_panel()
        if panel is None:
            return
        before = self._snapshot()
        items = panel.setdefault("items", [])
        at = self.items.currentRow() + 1 if self.items.currentRow() >= 0 else len(items)
        typed = [line for line in lines if line]
        if typed:
            items[at:at] = typed
        self._show_items(current=at)
        if not typed:
            # A new empty line is stored only once something is typed in it.
            item = self._editable("")
            self.items.insertItem(at, item)
            items.insert(at, "")
            self.items.setCurrentRow(at)
            self.items.setFocus()
            self.items.editItem(item)
        self._record(before, "添加重点项目")

    def delete_item(self) -> None:
        panel = self.current_panel()
        r = self.items.currentRow()
        if panel is not None and 0 <= r < len(panel.get("items", [])):
            before = self._snapshot()
            del panel["items"][r]
            self._show_items(current=r)
            self._record(before, "删除重点项目")

    def move_item(self, step: int) -> None:
        panel = self.current_panel()
        r = self.items.currentRow()
        t = r + step
        if panel is None:
            return
        items = panel.get("items", [])
        if 0 <= r < len(items) and 0 <= t < len(items):
            before = self._snapshot()
            items[r], items[t] = items[t], items[r]
            self._show_items(current=t)
            self._record(before, "移动重点项目")

    def eventFilter(self, obj, event) -> bool:
        from PySide6.QtCore import QEvent

        if event.type() != QEvent.Type.KeyPress or obj not in (self.panels, self.items):
            return super().eventFilter(obj, event)
        key, mods = event.key(), event.modifiers()
        M = Qt.KeyboardModifier
        on_panels = obj is self.panels
        if (key == Qt.Key.Key_Insert and not mods) or (
                mods & M.ControlModifier and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self.new_panel() if on_panels else self.new_items([""])
        elif key == Qt.Key.Key_Delete and mods & (M.ControlModifier | M.ShiftModifier):
            self.delete_panel() if on_panels else self.delete_item()
        elif mods & M.AltModifier and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = -1 if key == Qt.Key.Key_Up else 1
            self.move_panel(step) if on_panels else self.move_item(step)
        else:
            return super().eventFilter(obj, event)
        return True
