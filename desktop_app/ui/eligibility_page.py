"""申报条件自查: the guide's conditions, each confirmed with evidence."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QVBoxLayout

from desktop_app.core.limits import CELL_MAX_CHARS
from desktop_app.ui.editors import limit_line_edit
from desktop_app.ui.page_base import DraftPage, guide_box

CHOICES = (("未确认", None), ("满足", True), ("不满足", False))


class EligibilityPage(DraftPage):
    key = "eligibility"

    def __init__(self, session, parent=None):
        super().__init__(session, "申报条件自查", parent)
        layout = QVBoxLayout(self)
        layout.addWidget(guide_box(
            f"申报主体：{self.program.applicant.get('kind', '')}。以下条件须全部满足，并写明依据（文件、排名、数据来源）。",
            "指南要求"))
        grid = QGridLayout()
        grid.setColumnStretch(2, 1)
        self.texts: dict[str, QLabel] = {}
        self.combos: dict[str, QComboBox] = {}
        self.evidence: dict[str, QLineEdit] = {}
        self.previous: dict[str, QLabel] = {}
        state = self.draft.data.setdefault("eligibility", {})
        for row, cond in enumerate(self.program.conditions):
            entry = state.setdefault(cond.id, {"met": None, "evidence": ""})
            text = QLabel()
            text.setWordWrap(True)
            self.texts[cond.id] = text
            combo = QComboBox()
            for label, value in CHOICES:
                combo.addItem(label, value)
            combo.setCurrentIndex(next(i for i, (_l, v) in enumerate(CHOICES) if v == entry.get("met")))
            evidence = QLineEdit(entry.get("evidence", ""))
            evidence.setPlaceholderText("依据，例如：批复文件文号、全省排名及数据来源")
            limit_line_edit(evidence, CELL_MAX_CHARS, "佐证说明", evidence.setToolTip)
            combo.currentIndexChanged.connect(lambda _i, c=cond.id, w=combo: self._set(c, "met", w.currentData()))
            evidence.textChanged.connect(lambda t, c=cond.id: self._set(c, "evidence", t.strip()))
            grid.addWidget(text, row * 3, 0, 1, 3)
            grid.addWidget(combo, row * 3 + 1, 0)
            grid.addWidget(evidence, row * 3 + 1, 1, 1, 2)
            previous = entry.get("previous")
            if isinstance(previous, dict):  # 从往年草稿新建: last year's answer, beside, to re-confirm
                shown = next((label for label, value in CHOICES if value == previous.get("met")), "未确认")
                last = QLabel(f"上年回答：{shown}。{previous.get('evidence', '')}")
                last.setWordWrap(True)
                last.setStyleSheet("color: #5f6b7a")
                last.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self.previous[cond.id] = last
                grid.addWidget(last, row * 3 + 2, 1, 1, 2)
            self.combos[cond.id] = combo
            self.evidence[cond.id] = evidence
        layout.addLayout(grid)
        layout.addStretch(1)

    def initializePage(self) -> None:
        """Word the conditions for the draft as it is now ("{{ year - 1 }}年度…" follows the
        申报年度 set on 基本信息), each time the page is shown rather than once at start."""
        from desktop_app.book.compose import context
        from desktop_app.core.textrender import render

        ctx = context(self.program, self.draft)
        for row, cond in enumerate(self.program.conditions):
            self.texts[cond.id].setText(f"{row + 1}. {render(cond.text, ctx, f'conditions.{cond.id}')}")

    def _set(self, cond_id: str, key: str, value) -> None:
        self.draft.data.setdefault("eligibility", {}).setdefault(cond_id, {})[key] = value
        self.session.touch()

    def focus_field(self, field: str) -> None:
        cond = field.split(".")[0] if field else ""
        (self.combos.get(cond) or next(iter(self.combos.values()))).setFocus()
