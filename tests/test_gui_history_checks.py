"""Checks panel, 历史版本, 从往年草稿新建 and 对照上年, driven through the widgets."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from qt_helpers import type_text

pytestmark = pytest.mark.gui


def _click_item(qtbot, list_widget, row):
    rect = list_widget.visualItemRect(list_widget.item(row))
    qtbot.mouseClick(list_widget.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_clicking_a_finding_focuses_its_field(qtbot, window):
    window.open_sample()
    wiz = window.wizard
    # break one target: the 2022 target of 转化实施专利数量 below +20 %
    indicators = window.session.draft.part("targets")["indicators"]
    indicators[2]["targets"][1] = indicators[2]["targets"][0]
    wiz.go_to("measures")
    lead = wiz.pages_by_key["measures"]
    wiz.pages_by_key["measures"].task_list.setCurrentRow(4)
    lead.lead.clear()  # 组织专场专利对接活动 loses its lead department
    window.session.touch()
    qtbot.waitUntil(lambda: any(f.page == "measures" for f in wiz.checks.findings), timeout=2000)
    findings = wiz.checks.findings
    row = next(i for i, f in enumerate(findings) if f.page == "targets" and f.severity == "error")
    _click_item(qtbot, wiz.checks.list, row)
    assert wiz.current_key() == "targets"
    table = wiz.pages_by_key["targets"].table.table
    assert table.hasFocus() or QApplication.focusWidget() is table
    assert table.currentRow() == 2
    row = next(i for i, f in enumerate(wiz.checks.findings) if f.page == "measures" and f.field.endswith("lead"))
    _click_item(qtbot, wiz.checks.list, row)
    assert wiz.current_key() == "measures"
    assert lead.task_list.currentRow() == 4
    assert QApplication.focusWidget() is lead.lead


def test_restoring_a_revision_brings_the_old_text_back(qtbot, window, monkeypatch):
    from desktop_app.core import store as store_module

    window.open_sample()
    original = window.session.draft.text("approach")
    # every save starts a new revision, as if minutes passed between edits
    monkeypatch.setattr(store_module, "REVISION_WINDOW", store_module.dt.timedelta(0))
    window.wizard.go_to("approach")
    editor = window.wizard.pages_by_key["approach"].prose.edit
    editor.selectAll()
    type_text(editor, "全新的总体思路")
    window.session.flush()
    assert window.store.load(window.session.draft.id).text("approach") == "全新的总体思路"

    from desktop_app.ui.history_dialogs import HistoryDialog

    def pick_oldest():
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, HistoryDialog) and w.isVisible())
        assert "全新的总体思路" in dialog.view.toPlainText()  # newest revision shows what it added
        dialog.list.setCurrentRow(dialog.list.count() - 1)
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, pick_oldest)
    qtbot.mouseClick(window.wizard.button(window.wizard.WizardButton.CustomButton2), Qt.MouseButton.LeftButton)
    assert window.wizard.current_key() == "approach"
    assert window.wizard.pages_by_key["approach"].prose.edit.toPlainText() == original
    assert window.store.load(window.session.draft.id).text("approach") == original


def test_new_from_last_year_through_the_dialog(qtbot, window):
    from desktop_app.ui.history_dialogs import CarryOverDialog, CompareDialog

    window.open_sample()
    window.show_list()

    def choose():
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, CarryOverDialog) and w.isVisible())
        assert dialog.year.value() == 2022
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, choose)
    qtbot.mouseClick(window.list_page.carry_button, Qt.MouseButton.LeftButton)
    draft = window.session.draft
    assert draft.year == 2022 and draft.parent_id == "sample-yangzhou-2021"
    assert window.store.revisions(draft.id)[0].reason == "carry_over"
    # the review marks show up as warnings in the checks panel (the checks run just after
    # the wizard's first paint)
    qtbot.waitUntil(lambda: window.wizard.checks_ready)
    assert any(f.rule.startswith("debris") and "核对" in f.message for f in window.wizard.checks.findings)
    # accepting a part's items at once asks first, naming how many, then clears its warnings
    from PySide6.QtWidgets import QMessageBox

    from desktop_app.core import review

    window.wizard.go_to("overview")
    page = window.wizard.pages_by_key["overview"]
    assert page.review_bar.isVisible() and "5 处待核对" in page.review_label.text()
    asked = []

    def yes(_parent, _title, text, *args):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    import pytest
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(QMessageBox, "question", yes)
        qtbot.mouseClick(page.review_button, Qt.MouseButton.LeftButton)
    assert asked and "5 处" in asked[0]
    assert not page.review_bar.isVisible()
    window.session.flush()
    assert not review.open_items(window.store.load(draft.id), "overview")
    qtbot.waitUntil(lambda: not any(f.page == "overview" and f.rule == "debris.review"
                                    for f in window.wizard.checks.findings), timeout=2000)
    # 对照上年 shows last year's part beside this year's
    window.wizard.go_to("foundation")
    compare = window.wizard.button(window.wizard.WizardButton.CustomButton1)
    assert compare.isEnabled()
    qtbot.mouseClick(compare, Qt.MouseButton.LeftButton)
    dialog = window.wizard.compare_dialog
    assert isinstance(dialog, CompareDialog) and dialog.isVisible()
    previous, current = (dialog.views[k].toPlainText() for k in ("previous", "current"))
    assert "2020年全市专利转化数量位居全省第6位" in previous
    # a statement about the past keeps its year (flagged 待更新, never re-dated); the plan moves
    assert "2020年全市专利转化数量位居全省第6位" in current and "2021年全市专利转化" not in current
    dialog.close()


def test_eligibility_page_records_conditions(qtbot, window):
    window.open_sample()
    wiz = window.wizard
    wiz.go_to("eligibility")
    page = wiz.pages_by_key["eligibility"]
    combo = page.combos["demo_city"]
    combo.setCurrentIndex(combo.findText("不满足"))
    window.session.flush()
    stored = window.store.load(window.session.draft.id)
    assert stored.data["eligibility"]["demo_city"]["met"] is False
    qtbot.waitUntil(lambda: any(f.page == "eligibility" and f.severity == "error" for f in wiz.checks.findings),
                    timeout=2000)


def test_history_compares_two_chosen_revisions(qtbot, window, monkeypatch):
    from desktop_app.core import store as store_module
    from desktop_app.ui.history_dialogs import HistoryDialog

    window.open_sample()
    monkeypatch.setattr(store_module, "REVISION_WINDOW", store_module.dt.timedelta(0))
    editor = window.wizard.pages_by_key["safeguards"].prose.edit
    window.wizard.go_to("safeguards")
    for text in ("第一稿保障", "第二稿保障"):
        editor.selectAll()
        type_text(editor, text)
        window.session.flush()
    dialog = HistoryDialog(window.store, window.session.program, window.session.draft.id)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 3  # import, two edits
    dialog.list.item(0).setSelected(True)
    dialog.list.item(2).setSelected(True)
    shown = dialog.view.toPlainText()
    assert "→" in shown and "第二稿保障" in shown and "【删去】" in shown
    assert not dialog.restore_button.isEnabled()  # restore needs exactly one revision


def test_layout_settings_dialog_changes_the_exported_book(qtbot, window, tmp_path):
    import zipfile

    from desktop_app.book.export import export_docx
    from desktop_app.ui.layout_dialog import LayoutDialog

    dialog = LayoutDialog(window.store)
    qtbot.addWidget(dialog)
    dialog.widgets["font_body"].setCurrentText("仿宋")
    dialog.widgets["bold_rank3"].setChecked(True)
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    window.open_sample()
    out = export_docx(window.session.draft, tmp_path / "b.docx", window.session.layout())
    styles = zipfile.ZipFile(out).read("word/styles.xml").decode()
    assert 'w:eastAsia="仿宋"' in styles and "仿宋_GB2312" not in styles
    h3 = styles[styles.index('w:styleId="plan-h3"'):]
    h3 = h3[: h3.index("</w:style>")]
    assert '<w:b w:val="1"/>' in h3
