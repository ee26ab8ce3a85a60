"""Working from the keyboard, a calm new draft, the side outline and guarded paste
(issue 19) — through real widgets."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWizard

pytestmark = pytest.mark.gui


def _new_draft(window, program_id="key_city_2021"):
    from desktop_app.core.draft import new_draft
    from desktop_app.core.program import get_program

    program = get_program(program_id)
    draft = new_draft(program, organization="", city="", year=program.year)
    window.store.save(draft)
    window.open_draft(draft.id)
    QApplication.processEvents()
    window.wizard.refresh_marks()
    return window.wizard


def _activate(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)


# keyboard ---------------------------------------------------------------------------------
def test_buttons_have_mnemonics_and_ctrl_page_keys_turn_the_page(qtbot, window):
    window.open_sample()
    wiz = window.wizard
    assert "(&N)" in wiz.buttonText(QWizard.WizardButton.NextButton)
    assert "(&B)" in wiz.buttonText(QWizard.WizardButton.BackButton)
    _activate(qtbot, window)
    wiz.go_to("basic")
    # a mnemonic presses its button as a click would (animated: a moment later)
    qtbot.keyClick(wiz.pages_by_key["basic"].fields["contact"], Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: wiz.current_key() == "eligibility", timeout=2000)
    qtbot.keyClick(QApplication.focusWidget() or wiz, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: wiz.current_key() == "basic", timeout=2000)
    focus = wiz.pages_by_key["basic"].fields["organization"]
    focus.setFocus()
    qtbot.keyClick(focus, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert wiz.current_key() == "eligibility"
    qtbot.keyClick(QApplication.focusWidget() or wiz, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert wiz.current_key() == "overview"
    qtbot.keyClick(QApplication.focusWidget() or wiz, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert wiz.current_key() == "eligibility"


def test_enter_never_turns_the_page_and_esc_never_closes_the_draft(qtbot, window):
    window.open_sample()
    wiz = window.wizard
    _activate(qtbot, window)
    qtbot.waitUntil(lambda: wiz.checks_ready, timeout=3000)  # the wizard has painted
    QApplication.processEvents()
    wiz.go_to("basic")
    field = wiz.pages_by_key["basic"].fields["contact"]
    field.setFocus()
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape):
        qtbot.keyClick(field, key)
        assert window.wizard is wiz and wiz.current_key() == "basic"
    # not even with the focus on 下一步 itself
    nxt = wiz.button(QWizard.WizardButton.NextButton)
    nxt.setFocus()
    qtbot.keyClick(nxt, Qt.Key.Key_Return)
    assert wiz.current_key() == "basic"
    qtbot.keyClick(nxt, Qt.Key.Key_Escape)
    assert window.wizard is wiz and window.stack.currentWidget() is wiz


# the side outline ---------------------------------------------------------------------------
def test_side_list_is_the_outline_numbered_as_in_the_book(qtbot, window):
    window.open_sample()
    wiz = window.wizard
    tops = [wiz.side.topLevelItem(i).text(0)[2:] for i in range(wiz.side.topLevelItemCount())]
    assert tops == ["申报总览", "基本信息", "申报条件自查", "一、建设基础", "二、建设思路和目标", "三、建设举措",
                    "四、保障措施", "五、进度安排", "信用承诺书", "附件材料", "检查与导出"]
    basis = wiz.side.topLevelItem(3)
    assert [basis.child(i).text(0)[2:] for i in range(basis.childCount())] == ["1.概述", "2.专利转化基础", "3.面临问题及对策"]
    # a heading opens its first part
    rect = wiz.side.visualItemRect(basis)
    qtbot.mouseClick(wiz.side.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert wiz.current_key() == "overview"
    assert wiz.side.currentItem() is basis.child(0)


# a calm new draft ---------------------------------------------------------------------------
def test_new_draft_opens_calm(qtbot, window):
    from desktop_app.ui.overview_page import STATES

    wiz = _new_draft(window)
    overview = wiz.overview
    states = {key: overview.cell_text(overview.row_of(key), 1) for key in overview.keys}
    assert "✖ 有错误" not in states.values()
    for key in ("letter", "attachments", "export", "overview", "measures"):
        assert states[key] == STATES["empty"][0], key
    marks = {wiz.side.item(r).data(0, 256): wiz.side.item(r).text(0)[0] for r in range(wiz.side.count())}
    assert marks["letter"] == marks["attachments"] == "○"
    assert not [f for f in wiz.checks.findings if f.severity == "error"]
    # opening a page shows its errors
    wiz.go_to("measures")
    wiz.refresh_marks()
    assert overview.cell_text(overview.row_of("measures"), 1) == STATES["errors"][0]
    assert any(f.page == "measures" and f.severity == "error" for f in wiz.checks.findings)
    assert overview.cell_text(overview.row_of("safeguards"), 1) == STATES["empty"][0]
    # asking for the check (检查与导出) shows them all
    wiz.go_to("export")
    wiz.refresh_marks()
    assert overview.cell_text(overview.row_of("safeguards"), 1) == STATES["errors"][0]
    assert any(f.page == "safeguards" for f in wiz.checks.findings)
    # the side list and 申报总览 say the same of every part (never ○ beside ✖)
    marks = {wiz.side.item(r).data(0, 256): wiz.side.item(r).text(0)[0] for r in range(wiz.side.count())}
    for key in overview.keys:
        if key in marks and marks[key] != "▶":
            assert marks[key] == overview.cell_text(overview.row_of(key), 1)[0], key
    assert marks["safeguards"] == "✖"


def test_sample_shows_complete_letter_and_attachments(qtbot, window):
    window.open_sample()
    wiz = window.wizard
    wiz.refresh_marks()
    marks = {wiz.side.item(r).data(0, 256): wiz.side.item(r).text(0)[0] for r in range(wiz.side.count())}
    assert marks["letter"] == "●"


# guarded paste ---------------------------------------------------------------------------------
def test_paste_never_overwrites_the_guides_indicator_names(qtbot, window):
    wiz = _new_draft(window)
    wiz.go_to("targets")
    table = wiz.pages_by_key["targets"].table
    names = [(r["name"], r["unit"]) for r in table.rows]
    table.table.setCurrentCell(-1, -1)
    assert table.table.currentRow() < 0
    QApplication.clipboard().setText("192\t232\t280\t338\r\n326\t390\t470\t560\r\n")
    table.table.setFocus()
    table.paste()
    # no cell chosen: the first empty row, not the names
    assert [(r["name"], r["unit"]) for r in table.rows] == names
    assert table.rows[0]["name"] == names[0][0]
    # a block with names pasted onto the name column: names kept, figures in, and said so
    QApplication.clipboard().setText("甲\t个\t1\t2\t3\t4\r\n")
    table.table.setCurrentCell(1, 0)
    table.paste()
    assert (table.rows[1]["name"], table.rows[1]["unit"]) == names[1]
    assert table.rows[1]["baseline"] == 1 and table.rows[1]["targets"] == [2, 3, 4]
    assert "指南规定" in table.message.text()


def test_one_enter_on_the_overview_opens_that_one_page(qtbot, window):
    window.open_sample()
    wiz = window.wizard
    _activate(qtbot, window)
    wiz.go_to("glance")
    table = wiz.overview.table
    table.setFocus()
    table.setCurrentItem(table.topLevelItem(wiz.overview.row_of("problems")))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert wiz.current_key() == "problems"


# plain Chinese -------------------------------------------------------------------------------
@contextmanager
def _qt_file_dialog(qtbot, focus_hook: bool = False):
    """Qt's own file dialog under the translators prepare_app installs (and, with `focus_hook`,
    its focus hook), here only for one test: the font prepare_app sets would change the
    layout of the tests after this one."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
    from PySide6.QtWidgets import QFileDialog

    from desktop_app.ui.app import _give_file_dialog_labels_their_fields, _supplement_translator

    app = QApplication.instance()
    qtbase = QTranslator(app)
    assert qtbase.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_",
                       QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    supplement = _supplement_translator(app)
    app.installTranslator(qtbase)
    app.installTranslator(supplement)
    if focus_hook:
        app.focusChanged.connect(_give_file_dialog_labels_their_fields)
    try:
        dialog = QFileDialog(None, "导入草稿文件", "", "草稿文件 (*.json)")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        qtbot.addWidget(dialog)
        yield dialog
    finally:
        if focus_hook:
            app.focusChanged.disconnect(_give_file_dialog_labels_their_fields)
        app.removeTranslator(supplement)
        app.removeTranslator(qtbase)


def test_qt_file_dialog_speaks_chinese(qtbot):
    from PySide6.QtWidgets import QLabel, QPushButton

    with _qt_file_dialog(qtbot) as dialog:
        words = [w.text() for w in dialog.findChildren(QLabel)] + [b.text() for b in dialog.findChildren(QPushButton)]
    assert "查找范围(&L)：" in words and "文件类型(&T)：" in words and "文件名称(&N)：" in words
    import re

    english = [w for w in words if re.search("[A-Za-z]{2,}", re.sub(r"\(&\w\)", "", w))]
    assert not english, english


def test_qt_file_dialog_shortcut_letters_lead_to_their_fields(qtbot):
    """Alt+L / Alt+T reach 查找范围 and 文件类型 on every Qt the program ships with: Qt 6.9
    (the .deb for UOS 20) has those labels without a field of their own; prepare_app's
    focus hook gives them theirs."""
    app = QApplication.instance()
    with _qt_file_dialog(qtbot, focus_hook=True) as dialog:
        dialog.show()
        qtbot.waitActive(dialog)
        qtbot.waitUntil(lambda: app.focusWidget() is not None)
        assert app.focusWidget().objectName() == "fileNameEdit"
        qtbot.keyClick(app.focusWidget(), Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
        assert app.focusWidget().objectName() == "lookInCombo"
        qtbot.keyClick(app.focusWidget(), Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
        assert app.focusWidget().objectName() == "fileTypeCombo"
        qtbot.keyClick(app.focusWidget(), Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
        assert app.focusWidget().objectName() == "fileNameEdit"
        dialog.reject()


def test_a_broken_draft_file_is_refused_in_plain_chinese(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    said = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: said.append(text))
    bad = tmp_path / "坏的草稿.json"
    bad.write_text('{\n  "format": "patent-conversion-draft",\n  id: 1\n}', encoding="utf-8")
    assert window.draft_files.import_file(bad) is None
    assert len(said) == 1
    for word in ("JSON", "Expecting", "UTF", "property", "format_version"):
        assert word not in said[0], said[0]
    assert "损坏" in said[0] and "导出草稿文件" in said[0]


def test_new_draft_dialog_starts_on_the_city_program_and_its_error_follows_the_choice(qtbot):
    from desktop_app.core.program import available_programs
    from desktop_app.ui.new_draft_dialog import NewDraftDialog

    dialog = NewDraftDialog(available_programs())
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.program.currentData() == "key_city_2021" and dialog.program.currentIndex() == 0
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert dialog.isVisible() and "扬州市人民政府" in dialog.error.text()
    dialog.program.setCurrentIndex(dialog.program.findData("university_ip_center_2022"))
    assert "扬州市人民政府" not in dialog.error.text() and "常州大学" in dialog.error.text()
    # 申报主体 shown whole
    label = dialog.direction
    assert label.height() >= label.heightForWidth(label.width())
