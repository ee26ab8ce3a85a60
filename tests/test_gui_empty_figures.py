"""A figure the officer cannot give: 不适用 or 未统计 typed in the indicator table is kept as
typed (stored, shown, exported), not refused as "不是数字" and not printed as an empty cell."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from qt_helpers import edit_cell

pytestmark = pytest.mark.gui


def test_reason_typed_in_a_target_cell_is_stored_shown_and_printed(qtbot, window):
    from desktop_app.book.compose import indicator_table
    from desktop_app.core.program import get_program

    window.open_sample()
    window.wizard.go_to("targets")
    table = window.wizard.pages_by_key["targets"].table
    grid = table.table
    edit_cell(qtbot, grid, 0, 2, "未统计")  # 基期值
    edit_cell(qtbot, grid, 0, 4, "不适用")  # the second year's target
    QApplication.processEvents()
    assert table.message.text() == ""
    assert grid.item(0, 2).text() == "未统计" and grid.item(0, 4).text() == "不适用"
    window.session.flush()
    draft = window.store.load(window.session.draft.id)
    row = draft.part("targets")["indicators"][0]
    assert row["baseline"] == "未统计" and row["targets"][1] == "不适用"
    printed = indicator_table(get_program(draft.program_id), draft).rows[0]
    assert printed[3] == "未统计" and printed[5] == "不适用"
