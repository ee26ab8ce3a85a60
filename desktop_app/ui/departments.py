"""The draft's 部门名单 in the UI: one shared completion model, a completer for
"、"-separated lists, and the editor where the officer adds, renames, removes."""
from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QCompleter, QHBoxLayout, QInputDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem,
    QMessageBox, QPushButton, QVBoxLayout, QWidget,
)

from desktop_app.core import departments as core

#: The separator the book prints between departments; completion starts after it.
SEPARATOR = "、"
_SEPARATORS = "、,，;；/"


class DepartmentModel(QStringListModel):
    """The names offered by every 牵头/配合 completer.

    Signals:
        renamed(): a department was renamed in the draft; editors showing lead/partner
            fields re-read them.
    """

    renamed = Signal()


def department_model(session) -> DepartmentModel:
    """The session's one completion model, so every field offers the same names and a
    rename on the basic page shows up at once in the measures and schedule editors."""
    model = getattr(session, "_department_model", None)
    if model is None:
        model = DepartmentModel(list(session.draft.departments), session)
        session._department_model = model
    return model


def refresh_department_model(session) -> None:
    department_model(session).setStringList(list(session.draft.departments))


class DepartmentCompleter(QCompleter):
    """Completes a department name; with `multiple`, only the name after the last "、",
    keeping the names already typed (配合部门: 市科技局、市教…→ 市科技局、市教育局)."""

    def __init__(self, model, parent=None, multiple: bool = False):
        super().__init__(model, parent)
        self.multiple = multiple
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        # A table cell is narrower than "市市场监管局（知识产权局）": let the list be wider.
        self.popup().setMinimumWidth(280)

    def _head(self) -> str:
        widget = self.widget()
        text = widget.text() if isinstance(widget, QLineEdit) else ""
        cut = max(text.rfind(ch) for ch in _SEPARATORS)
        return text[: cut + 1] if cut >= 0 else ""

    def splitPath(self, path: str) -> list[str]:
        if self.multiple:
            cut = max(path.rfind(ch) for ch in _SEPARATORS)
            path = path[cut + 1:]
        return [path.strip()]

    def pathFromIndex(self, index) -> str:
        name = super().pathFromIndex(index)
        if not self.multiple:
            return name
        head = self._head()
        if head and head[-1] != SEPARATOR:
            head = head[:-1] + SEPARATOR
        return head + name


class DepartmentsEditor(QWidget):
    """部门名单 on the basic page: add, rename (everywhere), remove.

    Signals:
        changed(): the list or a lead/partner field changed.
    """

    changed = Signal()

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.list = QListWidget(self)
        self.list.setAccessibleName("部门名单")
        # Beside the form on 基本信息 it has the page's height: long names wrap, no sideways scroll.
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.add_button = QPushButton("添加部门…", self)
        self.rename_button = QPushButton("改名…", self)
        self.remove_button = QPushButton("删除", self)
        self.common_button = QPushButton("填入常用部门", self)
        common = core.examples(session.program)
        self.common_button.setToolTip(f"将{'、'.join(common[:4])}等常用部门加入名单（已有的不重复）")
        self.common_button.setVisible(bool(common))
        self.note = QLabel("牵头部门、配合部门输入时从此名单提示；改名会同步修改所有举措和进度安排中的该部门。", self)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555;")
        buttons = QVBoxLayout()
        for b in (self.add_button, self.rename_button, self.remove_button, self.common_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.list, 1)
        row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row, 1)
        layout.addWidget(self.note)
        self.add_button.clicked.connect(self._ask_add)
        self.rename_button.clicked.connect(self._ask_rename)
        self.remove_button.clicked.connect(self.remove_selected)
        self.common_button.clicked.connect(self.add_common)
        self.list.itemDoubleClicked.connect(lambda _item: self._ask_rename())
        self.show_list()

    @property
    def draft(self):
        return self.session.draft

    def showEvent(self, event) -> None:
        self.show_list()  # names and counts typed on other pages since it was last shown
        super().showEvent(event)

    def show_list(self) -> None:
        current = self.list.currentRow()
        self.list.clear()
        for name in self.draft.departments:
            n = core.usage_count(self.draft, name)
            item = QListWidgetItem(f"{name}（用于 {n} 处）" if n else name)
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(min(max(current, 0), self.list.count() - 1))

    def _after_change(self) -> None:
        refresh_department_model(self.session)
        self.show_list()
        self.session.touch()
        self.changed.emit()

    def current_name(self) -> str:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else ""

    # The dialogs are methods so tests can answer them without a modal loop.
    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        value, ok = QInputDialog.getText(self, title, label, QLineEdit.EchoMode.Normal, text)
        return value if ok else None

    def add(self, name: str) -> bool:
        name = name.strip()
        if not name or name in self.draft.departments:
            return False
        self.draft.writable("departments").append(name)
        self._after_change()
        self.list.setCurrentRow(self.list.count() - 1)
        return True

    def rename(self, old: str, new: str) -> int:
        count = core.rename_department(self.draft, old, new)
        self._after_change()
        department_model(self.session).renamed.emit()
        return count

    def _ask_add(self) -> None:
        from desktop_app.core.limits import TABLE_MAX_ROWS, field_max, too_long_message, too_many_rows_message

        name = self.ask_text("添加部门", "部门名称（如 市科技局）：")
        if name is not None and len(name.strip()) > field_max("departments.*"):
            QMessageBox.information(self, "添加部门", too_long_message("部门名称", field_max("departments.*"),
                                                                      len(name.strip())))
            return
        if name is not None and len(self.draft.departments) >= TABLE_MAX_ROWS:
            QMessageBox.information(self, "添加部门", too_many_rows_message("部门名单", TABLE_MAX_ROWS))
            return
        if name is not None and not self.add(name) and name.strip():
            QMessageBox.information(self, "添加部门", f"“{name.strip()}”已在名单中。")

    def _ask_rename(self) -> None:
        old = self.current_name()
        if not old:
            return
        new = self.ask_text("部门改名", f"“{old}”改为（所有举措和进度安排中一并修改）：", old)
        if new is None or not new.strip() or new.strip() == old:
            return
        count = self.rename(old, new)
        self.note.setText(f"已将“{old}”改为“{new.strip()}”，共修改 {count} 处。")

    def remove_selected(self) -> None:
        name = self.current_name()
        if not name:
            return
        used = core.usage_count(self.draft, name)
        if used and QMessageBox.question(
                self, "删除部门", f"“{name}”仍用于 {used} 处牵头/配合部门。只从名单中删除（已填写的不变）？"
        ) != QMessageBox.StandardButton.Yes:
            return
        self.draft.writable("departments").remove(name)
        self._after_change()

    def add_common(self) -> None:
        if core.remember(self.draft, core.examples(self.session.program)):
            self._after_change()
