"""新建草稿: pick the program and fill in who applies.

The programs are whatever templates/ holds (available_programs()); the labels and
examples follow the chosen program's `applicant`, so a university is not shown
扬州市人民政府 as the example.
"""
from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox, QDialog, QFormLayout, QLabel, QLineEdit, QSpinBox, QVBoxLayout,
)

from desktop_app.core.program import Program
from desktop_app.ui.dialog_buttons import ok_cancel


class NewDraftDialog(QDialog):
    def __init__(self, programs: list[Program], parent=None):
        super().__init__(parent)
        self.setWindowTitle("新建草稿")
        # The city program first (the most general: 设区市人民政府), chosen already; then
        # the others newest first, as available_programs() lists them.
        self.programs = sorted(programs, key=lambda p: not p.applicant.get("named_after_city"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.program = QComboBox()
        for p in self.programs:
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
        self.organization_label = QLabel("申报单位")
        self.city_label = QLabel("所在城市")
        self.direction = QLabel()
        self.direction.setWordWrap(True)
        # wide enough for the longest 申报主体 on two lines, so the form never clips it
        self.direction.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 22)
        form.addRow("申报主体", self.direction)
        form.addRow(self.organization_label, self.organization)
        form.addRow(self.city_label, self.city)
        form.addRow("申报年度", self.year)
        form.addRow("建设期", self.period)
        form.addRow("联系人", self.contact)
        form.addRow("联系电话", self.phone)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        layout.addWidget(self.error)
        from desktop_app.core.limits import field_max
        from desktop_app.ui.editors import limit_line_edit

        for key, label in (("organization", "申报单位"), ("city", "所在城市"), ("contact", "联系人"),
                           ("phone", "联系电话")):
            limit_line_edit(getattr(self, key), field_max(f"applicant.{key}"), label, self.error.setText)
        buttons = ok_cancel("创建", self._try_accept, self.reject)
        layout.addWidget(buttons)
        self.buttons = buttons
        self.program.currentIndexChanged.connect(self._on_program)
        self.year.valueChanged.connect(self._show_period)
        self.organization.textChanged.connect(self._guess_city)
        self._on_program()

    def selected_program(self) -> Program:
        return self.programs[self.program.currentIndex()]

    def _on_program(self) -> None:
        program = self.selected_program()
        applicant = program.applicant
        self.direction.setText(str(applicant.get("kind", "")))
        self.organization_label.setText(applicant.get("organization_label") or "申报单位")
        self.city_label.setText(applicant.get("city_label") or "所在城市")
        org_example = applicant.get("organization_example", "")
        city_example = applicant.get("city_example", "")
        self.organization.setPlaceholderText(f"例如：{org_example}" if org_example else "")
        self.city.setPlaceholderText(f"例如：{city_example}" if city_example else "")
        self.year.setValue(program.year)
        self._show_period()
        if self.error.text():  # a failed 创建 before: its words follow the program chosen now
            self.error.setText("\n".join(self.problems()))
        self.adjustSize()

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
        for edit, label in ((self.organization, self.organization_label), (self.city, self.city_label)):
            if not edit.text().strip():
                example = edit.placeholderText()
                msgs.append(f"请填写“{label.text()}”" + (f"，{example}" if example else ""))
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
