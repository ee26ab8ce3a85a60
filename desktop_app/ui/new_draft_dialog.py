"""新建草稿: pick the program and fill in who applies."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QVBoxLayout,
)

from desktop_app.core.program import Program


class NewDraftDialog(QDialog):
    def __init__(self, programs: list[Program], parent=None):
        super().__init__(parent)
        self.setWindowTitle("新建草稿")
        self.programs = programs
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.program = QComboBox()
        for p in programs:
            self.program.addItem(p.name, p.id)
        form.addRow("申报项目", self.program)
        self.organization = QLineEdit()
        self.organization.setPlaceholderText("例如：扬州市人民政府")
        self.city = QLineEdit()
        self.city.setPlaceholderText("例如：扬州市")
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.contact = QLineEdit()
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("例如：0514-87000000")
        self.period = QLabel()
        form.addRow("申报单位", self.organization)
        form.addRow("所在城市", self.city)
        form.addRow("申报年度", self.year)
        form.addRow("建设期", self.period)
        form.addRow("联系人", self.contact)
        form.addRow("联系电话", self.phone)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b3261e;")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("创建")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self._try_accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.buttons = buttons
        self.program.currentIndexChanged.connect(self._on_program)
        self.year.valueChanged.connect(self._show_period)
        self.organization.textChanged.connect(self._guess_city)
        self._on_program()

    def selected_program(self) -> Program:
        return self.programs[self.program.currentIndex()]

    def _on_program(self) -> None:
        self.year.setValue(self.selected_program().year)
        self._show_period()

    def _show_period(self) -> None:
        span = self.selected_program().period_years
        y = self.year.value()
        self.period.setText(f"{y}—{y + span - 1}年（{span}年）")

    def _guess_city(self, text: str) -> None:
        # 扬州市人民政府 → 扬州市, unless the officer typed a city already.
        if "市" in text and not self.city.isModified():
            self.city.setText(text[: text.index("市") + 1])

    def problems(self) -> list[str]:
        msgs = []
        if not self.organization.text().strip():
            msgs.append("请填写“申报单位”，例如：扬州市人民政府")
        if not self.city.text().strip():
            msgs.append("请填写“所在城市”，例如：扬州市")
        return msgs

    def _try_accept(self) -> None:
        msgs = self.problems()
        if msgs:
            self.error.setText("\n".join(msgs))
            (self.organization if not self.organization.text().strip() else self.city).setFocus()
            return
        self.accept()

    def values(self) -> dict:
        return {
            "organization": self.organization.text().strip(),
            "city": self.city.text().strip(),
            "year": self.year.value(),
            "contact": self.contact.text().strip(),
            "phone": self.phone.text().strip(),
        }
