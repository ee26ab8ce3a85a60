"""检查结果: the rules' findings beside the wizard; clicking one focuses its field.

Signals:
    go_to(str, str): page key and field of the clicked finding.
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from desktop_app.ui import item_roles

ICONS = {"error": ("✖", "#b3261e"), "warning": ("⚠", "#8a5a00"), "hint": ("ℹ", "#355e9b")}


class ChecksPanel(QWidget):
    go_to = Signal(str, str)

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setAccessibleName("检查结果")
        self.list.itemClicked.connect(self._on_item)
        self.list.itemActivated.connect(self._on_item)
        layout.addWidget(self.list, 1)
        self.findings: list = []

    def show_findings(self, findings: list) -> None:
        self.findings = findings
        self.list.clear()
        for f in findings:
            icon, color = ICONS.get(f.severity, ("•", "#333333"))
            item = QListWidgetItem(f"{icon} {f.message}")
            item.setData(item_roles.FOREGROUND, QColor(color))
            item.setToolTip(f.message)
            item.setData(item_roles.USER, (f.page, f.field))
            self.list.addItem(item)
        errors = sum(f.severity == "error" for f in findings)
        warnings = sum(f.severity == "warning" for f in findings)
        self.summary.setText(
            "检查通过，没有发现问题。" if not findings else f"检查结果：{errors} 个错误，{warnings} 个警告，"
            f"{len(findings) - errors - warnings} 条提示（点击跳转）"
        )

    def _on_item(self, item: QListWidgetItem) -> None:
        page, field = item.data(item_roles.USER)
        self.go_to.emit(page, field)
