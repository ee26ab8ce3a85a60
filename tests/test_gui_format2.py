"""The editors of draft format 2, clicked and typed as an officer would: the indicator's
指标类型 and 定性目标, a reason typed in a figure cell, the schedule's 对应举措 and 截止年度."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit

from desktop_app.core.rules import run_checks
from qt_helpers import edit_cell, press, type_text

pytestmark = pytest.mark.gui


def _open(window, page):
    window.open_sample()
    window.wizard.go_to(page)
    return window.wizard.pages_by_key[page]


def _column(table, key):
    return [c.key for c in table.columns].index(key)


def choose(qtbot, table, row: int, column: int, label: str) -> None:
    """Open a choice cell's list as a double-click would, pick `label`, commit with Enter."""
    table.setCurrentCell(row, column)
    table.editItem(table.item(row, column))
    combos = [w for w in table.viewport().findChildren(QComboBox) if w.isVisible()]
    assert len(combos) == 1, "choice editor did not open"
    combo = combos[0]
    index = combo.findText(label)
    assert index >= 0, [combo.itemText(i) for i in range(combo.count())]
    combo.setCurrentIndex(index)
    press(combo, Qt.Key.Key_Return)


def test_indicator_kind_chosen_and_judged_as_a_growth_rate(qtbot, window, program):
    page = _open(window, "targets")
    rt, table = page.table, page.table.table
    row = next(n for n, r in enumerate(rt.rows) if r.get("key") == "pledge_amount")  # 增幅超过20%
    assert table.item(row, _column(rt, "kind")).text() == "各年数值"
    choose(qtbot, table, row, _column(rt, "kind"), "增幅（%）")
    edit_cell(qtbot, table, row, _column(rt, "unit"), "%")
    for i in range(3):
        edit_cell(qtbot, table, row, _column(rt, f"t{i}"), "20")
    stored = window.session.draft.part("targets")["indicators"][row]
    assert stored["kind"] == "growth" and stored["unit"] == "%" and stored["targets"] == [20, 20, 20]
    found = [f for f in run_checks(program, window.session.draft) if f.field == f"indicators.{row}"]
    assert [f.rule for f in found] == ["targets.growth"] * 3  # 20 is not more than 20
    edit_cell(qtbot, table, row, _column(rt, "t0"), "25")
    assert len([f for f in run_checks(program, window.session.draft) if f.field == f"indicators.{row}"]) == 2


def test_a_reason_typed_in_a_figure_cell_is_kept_and_not_warned(qtbot, window, program):
    page = _open(window, "targets")
    rt, table = page.table, page.table.table
    column = _column(rt, "baseline")
    table.setCurrentCell(0, column)
    table.editItem(table.item(0, column))
    editor = next(w for w in table.viewport().findChildren(QLineEdit) if w.isVisible())
    assert editor.completer() is not None  # 未统计 / 不适用 offered as typed
    assert editor.completer().model().rowCount() == 2
    editor.selectAll()
    type_text(editor, "未统计")
    press(editor, Qt.Key.Key_Return)
    assert window.session.draft.part("targets")["indicators"][0]["baseline"] == "未统计"
    assert table.item(0, column).text() == "未统计" and not rt.errors
    assert not [f for f in run_checks(program, window.session.draft) if f.field == "indicators.0"]
    table.editItem(table.item(0, column))  # emptied: the figure is missing again
    editor = next(w for w in table.viewport().findChildren(QLineEdit) if w.isVisible())
    editor.selectAll()
    press(editor, Qt.Key.Key_Backspace)
    press(editor, Qt.Key.Key_Return)
    assert window.session.draft.part("targets")["indicators"][0]["baseline"] is None
    gap = [f for f in run_checks(program, window.session.draft) if f.field == "indicators.0"]
    assert len(gap) == 1 and "未统计" in gap[0].message


def test_a_qualitative_indicator_needs_only_its_goal(qtbot, window, program):
    page = _open(window, "targets")
    rt, table = page.table, page.table.table
    row = next(n for n, r in enumerate(rt.rows) if r.get("key") == "operation_teams")
    choose(qtbot, table, row, _column(rt, "kind"), "定性")
    for i in range(3):  # a qualitative goal has no figures: each year says so
        edit_cell(qtbot, table, row, _column(rt, f"t{i}"), "不适用")
    gap = [f for f in run_checks(program, window.session.draft) if f.field == f"indicators.{row}"]
    assert len(gap) == 1 and "定性目标" in gap[0].message
    edit_cell(qtbot, table, row, _column(rt, "goal"), "培养引进一批专业化运营团队")
    assert not [f for f in run_checks(program, window.session.draft) if f.field == f"indicators.{row}"]


def test_schedule_row_linked_to_a_measure_over_a_span_of_years(qtbot, window, program):
    measures = _open(window, "measures")
    measures.task_list.setCurrentRow(1)
    measures.title_edit.selectAll()
    type_text(measures.title_edit, "专利赋能示范企业培育")
    window.wizard.go_to("schedule")
    page = window.wizard.pages_by_key["schedule"]
    rt, table = page.table, page.table.table
    labels = [label for label, _v in page.measure_column.choices]
    assert "2. 专利赋能示范企业培育" in labels  # the title as edited a moment ago
    rows = window.session.draft.part("schedule")["rows"]
    assert table.item(0, _column(rt, "measure")).text() == "1. 加强顶层设计"
    choose(qtbot, table, 0, _column(rt, "measure"), "2. 专利赋能示范企业培育")
    edit_cell(qtbot, table, 0, _column(rt, "year_end"), "2022年")
    assert rows[0]["measure"] == "m2" and rows[0]["year"] == 2021 and rows[0]["year_end"] == 2022
    edit_cell(qtbot, table, 0, _column(rt, "year_end"), "2030")
    assert "不在建设期" in rt.message.text() and rows[0]["year_end"] == 2022
    # every other row of 加强顶层设计 unlinked: the measure is reported unscheduled, by its title
    for row in rows:
        if row.get("measure") == "m1":
            row["measure"] = None
            row["task"] = "其他"
    found = [f for f in run_checks(program, window.session.draft) if f.rule == "schedule.tasks"]
    assert len(found) == 1 and "加强顶层设计" in found[0].message


def test_history_shows_a_changed_lead_department_and_partner(qtbot, window, monkeypatch):
    from desktop_app.core import store as store_module
    from desktop_app.ui.history_dialogs import HistoryDialog

    monkeypatch.setattr(store_module, "REVISION_WINDOW", store_module.dt.timedelta(0))
    page = _open(window, "measures")
    page.task_list.setCurrentRow(0)
    page.lead.selectAll()
    type_text(page.lead, "市科技局")
    page.partners.end(False)
    type_text(page.partners, "、市商务局")
    window.session.flush()
    dialog = HistoryDialog(window.store, window.session.program, window.session.draft.id)
    qtbot.addWidget(dialog)
    dialog.list.item(0).setSelected(True)
    shown = dialog.view.toPlainText()
    assert "“三、建设举措”“加强顶层设计”的牵头部门" in shown and "【新增】市科技局" in shown
    assert "“三、建设举措”“加强顶层设计”的配合部门" in shown and "【新增】市商务局" in shown
    assert "没有改动" not in shown
