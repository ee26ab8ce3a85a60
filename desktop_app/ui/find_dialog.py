"""查找 (Ctrl+F) across the whole draft, and 撤销/重做 routed to the focused editor.

The search walks rules.text_fields — the same (page, field, label, text) list the
checks use — so every part, table cell and attachment title is searched, and a
hit is opened with wizard.go_to(page, field) like a finding is.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QApplication, QComboBox, QDialog, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
    QPlainTextEdit, QPushButton, QVBoxLayout, QWidget,
)

#: Characters of context shown on each side of a hit.
CONTEXT = 14
#: More hits than this are not listed (the officer narrows the search instead).
MAX_HITS = 300


def find_in_draft(program, draft, query: str) -> list[tuple[str, str, str, int, str]]:
    """(page, field, label, offset, snippet) of every occurrence of `query` (case-insensitive)."""
    query = query.strip()
    if not query:
        return []
    from desktop_app.core import rules  # loaded on the first search, not at start

    needle = query.lower()
    hits = []
    for page, field, label, text in rules.text_fields(program, draft):
        lowered = text.lower()
        at = lowered.find(needle)
        while at >= 0 and len(hits) < MAX_HITS:
            start, end = max(0, at - CONTEXT), min(len(text), at + len(query) + CONTEXT)
            snippet = ("…" if start else "") + text[start:end].replace("\n", " ") + ("…" if end < len(text) else "")
            hits.append((page, field, label, at, snippet))
            at = lowered.find(needle, at + len(needle))
    return hits


def editor_for(page, field: str) -> QWidget | None:
    """The text widget that shows `field` on `page`, when it is a single text editor."""
    from desktop_app.ui.pages import BasicInfoPage, MeasuresPage, PartPage

    bits = field.split(".")
    if isinstance(page, BasicInfoPage):
        return page.fields.get(field)
    if isinstance(page, MeasuresPage) and bits[0] == "tasks" and len(bits) == 3:
        return {"text": page.text.edit, "title": page.title_edit, "lead": page.lead}.get(bits[2])
    if isinstance(page, PartPage) and field == "text":
        return page.prose.edit
    return None


def select_in(editor: QWidget | None, offset: int, query: str) -> bool:
    """Select the hit in the editor; True when it was found there."""
    if isinstance(editor, QPlainTextEdit):
        text = editor.toPlainText()
        if text[offset:offset + len(query)].lower() != query.lower():
            offset = text.lower().find(query.lower())
            if offset < 0:
                return False
        cursor = editor.textCursor()
        cursor.setPosition(offset)
        cursor.setPosition(offset + len(query), QTextCursor.MoveMode.KeepAnchor)
        editor.setTextCursor(cursor)
        editor.ensureCursorVisible()
        return True
    if isinstance(editor, QLineEdit):
        at = editor.text().lower().find(query.lower())
        if at < 0:
            return False
        editor.setSelection(at, len(query))
        return True
    return False


class FindDialog(QDialog):
    """Non-modal: the officer keeps it open, clicks hit after hit, edits between."""

    def __init__(self, wizard, parent=None):
        super().__init__(parent)
        self.wizard = wizard
        self.setWindowTitle("在草稿中查找")
        from desktop_app.ui.screen_fit import resize_to_fit

        resize_to_fit(self, 700, 460)
        self.query = QLineEdit()
        self.query.setPlaceholderText("输入要查找的文字，如 质押融资")
        self.search_button = QPushButton("查找")
        self.search_button.setDefault(True)
        self.hits = QListWidget()
        self.hits.setAccessibleName("查找结果")
        self.summary = QLabel("在各部分正文、表格、部门和附件中查找。")
        row = QHBoxLayout()
        row.addWidget(self.query, 1)
        row.addWidget(self.search_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.hits, 1)
        self.search_button.clicked.connect(self.search)
        self.query.returnPressed.connect(self.search)
        self.hits.itemActivated.connect(self.open_hit)
        self.hits.itemClicked.connect(self.open_hit)

    def search(self) -> int:
        session = self.wizard.session
        query = self.query.text().strip()
        hits = find_in_draft(session.program, session.draft, query)
        self.hits.clear()
        for page, field, label, offset, snippet in hits:
            item = QListWidgetItem(f"{label}：{snippet}")
            item.setToolTip(label)
            item.setData(Qt.ItemDataRole.UserRole, (page, field, offset, query))
            self.hits.addItem(item)
        if not query:
            self.summary.setText("请输入要查找的文字。")
        elif not hits:
            self.summary.setText(f"未找到“{query}”。")
        else:
            more = "（只列出前 %d 处）" % MAX_HITS if len(hits) >= MAX_HITS else ""
            self.summary.setText(f"找到 {len(hits)} 处{more}，单击或回车转到该处。")
            self.hits.setCurrentRow(0)
        return len(hits)

    def open_hit(self, item: QListWidgetItem) -> None:
        page_key, field, offset, query = item.data(Qt.ItemDataRole.UserRole)
        self.wizard.go_to(page_key, field)
        page = self.wizard.pages_by_key.get(page_key if not field.startswith("attachments.")
                                            else self.wizard.current_key())
        select_in(editor_for(page, field), offset, query)


def _undo_owner(widget: QWidget | None):
    """The nearest enclosing editor with its own undo stack (a table, 专栏, 附件)."""
    while widget is not None and not hasattr(widget, "undo_stack"):
        widget = widget.parentWidget()
    return widget


def route_undo(redo: bool = False) -> bool:
    """撤销/重做 for the widget with focus: a text field's own history (a cell being typed
    in included), else the stack of the table or list it sits in."""
    widget = QApplication.focusWidget()
    if isinstance(widget, QComboBox) and widget.isEditable():
        widget = widget.lineEdit()
    if isinstance(widget, (QPlainTextEdit, QLineEdit)):
        widget.redo() if redo else widget.undo()
        return True
    owner = _undo_owner(widget)
    if owner is not None:
        owner.undo_stack.redo() if redo else owner.undo_stack.undo()
        return True
    return False
