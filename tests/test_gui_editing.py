"""Editing the way officers work: paste from Word and Excel, validation as typed, table keys
and undo, 部门名单 rename, 专栏, 附件材料, 查找 — through real widgets, read back from the store."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QMimeData, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QTableWidgetSelectionRange

from paste_samples import EXCEL_TSV, WORD_HTML
from qt_helpers import edit_cell, press, type_text

pytestmark = pytest.mark.gui


def key(widget, k, mods=Qt.KeyboardModifier.NoModifier) -> None:
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, k, mods))
    QApplication.processEvents()


def stored(window):
    """The draft as saved in SQLite (after the autosave)."""
    window.session.flush()
    return window.store.load(window.session.draft.id)


def _open(window, page):
    window.open_sample()
    window.wizard.go_to(page)
    return window.wizard.pages_by_key[page]


# prose ------------------------------------------------------------------------------------
def test_word_paste_keeps_paragraphs_and_makes_headings_in_the_book(qtbot, window, program):
    from desktop_app.book.compose import compose
    from desktop_app.book.model import Heading, Paragraph

    page = _open(window, "overview")
    edit = page.prose.edit
    edit.clear()
    mime = QMimeData()
    mime.setHtml(WORD_HTML)
    mime.setText("（一） 建设专利转化平台")  # what Word also offers; the HTML wins
    QApplication.clipboard().setMimeData(mime)
    edit.setFocus()
    edit.paste()
    draft = stored(window)
    assert draft.text("overview").split("\n") == [
        "扬州市坚持以企业为主体，推动专利转化运用。", "（一）建设专利转化平台", "1.加快存量专利转化",
        "支持高校院所开展专利评估，", "全年转化专利 500 件以上。"]
    assert "字数：" in page.prose.count.text() and "偏少" in page.prose.count.text()
    blocks = next(s for s in compose(program, draft).sections if s.kind == "plan").blocks
    texts = [getattr(b, "text", None) for b in blocks]
    at = texts.index("（一）建设专利转化平台")
    assert isinstance(blocks[at], Heading) and blocks[at].rank == 2
    assert isinstance(blocks[at + 1], Heading) and blocks[at + 1].rank == 3
    assert isinstance(blocks[at + 2], Paragraph)
    # 撤销 from the 编辑 menu takes the whole paste back
    edit.setFocus()
    window.undo_action.trigger()
    assert edit.toPlainText() == ""
    window.redo_action.trigger()
    assert "（一）建设专利转化平台" in edit.toPlainText()


def test_plain_text_paste_is_cleaned(qtbot, window):
    page = _open(window, "safeguards")
    edit = page.prose.edit
    edit.clear()
    QApplication.clipboard().setText("\u3000\u3000设立 专项 资金\t三千万元。\x07\r\n\r\n 2. 强化考核\r\n")
    edit.paste()
    assert stored(window).text("safeguards") == "设立专项资金三千万元。\n2.强化考核"


# tables --------------------------------------------------------------------------------------
def test_excel_block_pasted_into_targets_table(qtbot, window):
    page = _open(window, "targets")
    table = page.table
    n = len(table.rows)
    QApplication.clipboard().setText(EXCEL_TSV)
    table.table.setFocus()
    table.table.setCurrentCell(n - 1, 0)  # the last row: two more rows are added
    key(table.table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    rows = stored(window).part("targets")["indicators"]
    assert len(rows) == n + 2
    # the guide's indicator keeps its name and unit; the figures go in
    assert rows[n - 1]["name"] == "培养引进专业化知识产权运营团队" and rows[n - 1]["baseline"] == 192
    assert "指南规定" in table.message.text()
    assert rows[n - 1]["targets"] == [220, 250, 300]
    assert rows[n]["name"] == "专利质押融资金额"  # a row of the officer's own: pasted whole
    assert rows[n]["baseline"] == 18.6 and rows[n]["targets"] == [20, 22, 25]  # 20% and ２２
    assert rows[n + 1]["name"] == '许可"备案"合同数' and rows[n + 1]["unit"] == "份"
    # Ctrl+C gives the block back as Excel reads it
    table.table.setCurrentCell(n, 0)
    table.table.clearSelection()
    table.table.setRangeSelected(QTableWidgetSelectionRange(n, 0, n, 2), True)
    key(table.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == "专利质押融资金额\t亿元\t18.6\r\n"


def test_cell_validated_while_typed_and_bad_text_kept_marked(qtbot, window):
    page = _open(window, "targets")
    table = page.table
    before = window.session.draft.part("targets")["indicators"][0]["baseline"]
    grid = table.table
    grid.setCurrentCell(0, 2)
    grid.editItem(grid.item(0, 2))
    editor = next(w for w in grid.viewport().findChildren(QLineEdit) if w.isVisible())
    editor.selectAll()
    type_text(editor, "12a")
    # not committed yet: the editor is red and the message names row and column
    assert "#b3261e" in editor.styleSheet()
    assert "第1行“基期值（2020年）”" in table.message.text() and "不是数字" in table.message.text()
    assert "不是数字" in editor.toolTip()
    editor.selectAll()
    type_text(editor, "２０％")
    assert editor.styleSheet() == "" and table.message.text() == ""
    editor.selectAll()
    type_text(editor, "abc")
    press(editor, Qt.Key.Key_Return)
    assert grid.item(0, 2).text() == "abc"  # nothing typed is dropped…
    assert stored(window).part("targets")["indicators"][0]["baseline"] == before  # …nor stored as garbage
    # adding a row elsewhere keeps the mark and the typed text
    grid.setCurrentCell(3, 0)
    key(grid, Qt.Key.Key_Insert)
    assert grid.item(0, 2).text() == "abc" and "不是数字" in grid.item(0, 2).toolTip()
    assert "第1行" in table.message.text()
    edit_cell(qtbot, grid, 0, 2, "20%")
    assert table.message.text() == "" and stored(window).part("targets")["indicators"][0]["baseline"] == 20


def test_schedule_year_must_be_in_plan_period(qtbot, window):
    page = _open(window, "schedule")
    table = page.table
    table.table.setCurrentCell(0, 0)
    year_before = window.session.draft.part("schedule")["rows"][0]["year"]
    table.paste_text("2025年\t不存在的任务\t完成摸底\r\n")
    assert "第1行“年度”：2025年不在建设期（2021—2023年）内" in table.message.text()
    assert "第1行“主要任务”" in table.message.text()
    assert table.table.item(0, 0).text() == "2025年"
    row = stored(window).part("schedule")["rows"][0]
    assert row["year"] == year_before and row["progress"] == "完成摸底"
    table.table.setCurrentCell(0, 0)
    table.paste_text("２０２２")
    assert stored(window).part("schedule")["rows"][0]["year"] == 2022
    assert table.table.item(0, 0).text() == "2022年"


def test_table_keys_and_undo(qtbot, window):
    page = _open(window, "problems")
    table = page.table
    grid = table.table
    items = window.session.draft.part("problems")["items"]
    first, second = items[0]["problem"], items[1]["problem"]
    n = len(items)
    grid.setFocus()
    grid.setCurrentCell(0, 0)
    key(grid, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert [i["problem"] for i in stored(window).part("problems")["items"][:2]] == [second, first]
    assert grid.currentRow() == 1
    key(grid, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # add after the current row
    assert len(stored(window).part("problems")["items"]) == n + 1 and grid.currentRow() == 2
    key(grid, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    assert len(stored(window).part("problems")["items"]) == n
    # 撤销 (Ctrl+Z through the 编辑 menu) steps back through the row operations
    window.undo_action.trigger()
    assert len(window.session.draft.part("problems")["items"]) == n + 1
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert [i["problem"] for i in stored(window).part("problems")["items"][:2]] == [first, second]
    window.redo_action.trigger()
    assert [i["problem"] for i in stored(window).part("problems")["items"][:2]] == [second, first]
    # cell edits are undone too
    edit_cell(qtbot, grid, 0, 1, "新的对策")
    assert window.session.draft.part("problems")["items"][0]["countermeasure"] == "新的对策"
    grid.setFocus()
    window.undo_action.trigger()
    assert stored(window).part("problems")["items"][0]["countermeasure"] != "新的对策"


def test_ctrl_tab_leaves_the_table(qtbot, window):
    page = _open(window, "schedule")
    grid = page.table.table
    grid.setFocus()
    grid.setCurrentCell(0, 0)
    key(grid, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is grid and grid.currentColumn() == 1  # Tab walks the cells
    key(grid, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is not grid and not grid.isAncestorOf(QApplication.focusWidget())


# departments ------------------------------------------------------------------------------
def test_department_rename_propagates_everywhere(qtbot, window):
    from desktop_app.core.departments import usage_count

    basic = _open(window, "basic")
    editor = basic.departments
    names = [editor.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(editor.list.count())]
    editor.list.setCurrentRow(names.index("市科技局"))
    used = usage_count(window.session.draft, "市科技局")
    editor.ask_text = lambda *a, **k: "市科学技术局"
    qtbot.mouseClick(editor.rename_button, Qt.MouseButton.LeftButton)
    assert f"共修改 {used} 处" in editor.note.text()
    draft = stored(window)
    assert usage_count(draft, "市科技局") == 0 and usage_count(draft, "市科学技术局") == used
    assert "市科学技术局" in draft.departments and "市科技局" not in draft.departments
    sched = [r for r in draft.part("schedule")["rows"] if "市科学技术局" in [r["lead"], *r["partners"]]]
    assert sched  # schedule rows renamed, not only measures
    # the open editors show the new name, and complete it
    window.wizard.go_to("measures")
    measures = window.wizard.pages_by_key["measures"]
    for row in range(measures.task_list.count()):
        measures.task_list.setCurrentRow(row)
        assert "市科技局" not in measures.partners.text().split("、")
        assert measures.lead.text() != "市科技局"
    model = measures.lead.completer().model()
    assert "市科学技术局" in model.stringList() and "市科技局" not in model.stringList()


def test_partner_completion_after_the_last_separator(qtbot, window):
    page = _open(window, "measures")
    partners = page.partners
    completer = partners.completer()
    assert completer.splitPath("市工信局、市教") == ["市教"]
    partners.setText("市工信局、市教")
    completer.setCompletionPrefix("市教")
    shown = completer.completionModel()  # what the popup lists; pathFromIndex takes the source row
    assert [shown.index(i, 0).data() for i in range(shown.rowCount())] == ["市教育局"]
    assert completer.pathFromIndex(shown.mapToSource(shown.index(0, 0))) == "市工信局、市教育局"
    partners.setText("市工信局，市")  # a full-width comma is read as a separator and printed as 、
    completer.setCompletionPrefix("市")
    assert completer.pathFromIndex(shown.mapToSource(shown.index(0, 0))).startswith("市工信局、市")


def test_typed_lead_joins_the_list_whole_not_letter_by_letter(qtbot, window):
    page = _open(window, "measures")
    page.lead.clear()
    type_text(page.lead, "市数据局")
    assert "市数" not in window.session.draft.departments
    press(page.lead, Qt.Key.Key_Return)  # editingFinished
    draft = stored(window)
    assert "市数据局" in draft.departments and "市数" not in draft.departments
    assert draft.part("measures")["tasks"][0]["lead"] == "市数据局"
    # the schedule's cells offer it now
    window.wizard.go_to("schedule")
    table = window.wizard.pages_by_key["schedule"].table
    assert "市数据局" in table.department_model.stringList()


# 专栏 ----------------------------------------------------------------------------------------
def test_projects_editor_under_a_measure(qtbot, window):
    page = _open(window, "measures")
    page.task_list.setCurrentRow(0)
    page.show_projects()  # 专栏 are the second tab beside 具体举措
    assert page.details.tabText(1).startswith("重大工程（专栏")
    projects = page.projects
    before = len(window.session.draft.part("measures")["tasks"][0]["projects"])
    qtbot.mouseClick(projects.add_panel, Qt.MouseButton.LeftButton)
    row = projects.panels.currentRow()
    editor = next(w for w in projects.panels.viewport().findChildren(QLineEdit) if w.isVisible())
    editor.selectAll()
    type_text(editor, "专栏：知识产权生态园重点建设项目")
    press(editor, Qt.Key.Key_Return)
    QApplication.clipboard().setText("● 吸引品牌知识产权服务机构入驻\r\n● 建立线上知识产权综合服务平台\r\n建立知识产权保护平台\r\n")
    projects.items.setFocus()
    key(projects.items, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    projects.items.setCurrentRow(2)
    key(projects.items, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    saved = stored(window).part("measures")["tasks"][0]["projects"]
    assert len(saved) == before + 1
    assert saved[row] == {"title": "专栏：知识产权生态园重点建设项目",
                          "items": ["吸引品牌知识产权服务机构入驻", "建立知识产权保护平台", "建立线上知识产权综合服务平台"]}
    # 撤销 with focus in the list: the move first, then the paste
    projects.items.setFocus()
    window.undo_action.trigger()
    assert stored(window).part("measures")["tasks"][0]["projects"][row]["items"] == [
        "吸引品牌知识产权服务机构入驻", "建立线上知识产权综合服务平台", "建立知识产权保护平台"]
    window.undo_action.trigger()
    assert stored(window).part("measures")["tasks"][0]["projects"][row]["items"] == []
    window.redo_action.trigger()
    window.redo_action.trigger()
    assert [projects.items.item(i).text() for i in range(projects.items.count())] == saved[row]["items"]
    # another task shows its own 专栏; coming back shows these again
    page.task_list.setCurrentRow(1)
    page.task_list.setCurrentRow(0)
    assert projects.panels.item(row).text() == "专栏：知识产权生态园重点建设项目"


# 附件材料 --------------------------------------------------------------------------------------
def test_attachments_page(qtbot, window, tmp_path):
    page = _open(window, "attachments")
    assert window.wizard.current_key() == "attachments"
    titles = [a["title"] for a in window.session.draft.attachments]
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    at = page.current_row()
    editor = next(w for w in page.tree.viewport().findChildren(QLineEdit) if w.isVisible())
    type_text(editor, "扬州市知识产权质押融资统计表")
    press(editor, Qt.Key.Key_Return)
    item = page.tree.topLevelItem(at)
    item.setText(1, "三页")
    assert "附件" in page.message.text() and "不是页数" in page.message.text()
    item.setText(1, "3")
    doc = tmp_path / "统计表.pdf"
    doc.write_bytes(b"%PDF-1.4")
    page.ask_file = lambda: str(doc)
    qtbot.mouseClick(page.file_button, Qt.MouseButton.LeftButton)
    saved = stored(window).attachments
    assert saved[at] == {"title": "扬州市知识产权质押融资统计表", "pages": 3, "file": str(doc)}
    # a drag moves the row; the draft follows the order shown
    moved = page.tree.takeTopLevelItem(at)
    page.tree.insertTopLevelItem(0, moved)
    page._sync_order()
    assert [a["title"] for a in stored(window).attachments] == ["扬州市知识产权质押融资统计表", *titles]
    # Alt+↓ moves it back down one
    page.tree.setFocus()
    page.tree.setCurrentItem(page.tree.topLevelItem(0))
    key(page.tree, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert [a["title"] for a in stored(window).attachments][:2] == [titles[0], "扬州市知识产权质押融资统计表"]
    window.undo_action.trigger()  # 撤销 the move, then the drag
    window.undo_action.trigger()
    assert [a["title"] for a in stored(window).attachments] == [*titles[:at], "扬州市知识产权质押融资统计表", *titles[at:]]
    window.undo_action.trigger()  # …the file, 页数, title and the added row
    window.undo_action.trigger()
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert [a["title"] for a in stored(window).attachments] == titles


# 查找 and the 编辑 menu -----------------------------------------------------------------------
def test_find_lists_hits_across_parts_and_selects_the_match(qtbot, window):
    window.open_sample()
    menus = [a.text() for a in window.menuBar().actions()]
    assert "编辑(&E)" in menus
    window.find_action.trigger()
    dialog = window.find_dialog
    assert dialog.isVisible()
    type_text(dialog.query, "质押融资")
    press(dialog.query, Qt.Key.Key_Return)
    pages = {dialog.hits.item(i).data(Qt.ItemDataRole.UserRole)[0] for i in range(dialog.hits.count())}
    assert {"foundation", "targets", "measures"} <= pages
    assert "找到" in dialog.summary.text()
    row = next(i for i in range(dialog.hits.count())
               if dialog.hits.item(i).data(Qt.ItemDataRole.UserRole)[:2] == ("foundation", "text"))
    dialog.open_hit(dialog.hits.item(row))
    assert window.wizard.current_key() == "foundation"
    edit = window.wizard.pages_by_key["foundation"].prose.edit
    assert edit.textCursor().selectedText() == "质押融资"
    # a hit inside a measure's text opens that measure
    row = next(i for i in range(dialog.hits.count())
               if dialog.hits.item(i).data(Qt.ItemDataRole.UserRole)[0] == "measures"
               and dialog.hits.item(i).data(Qt.ItemDataRole.UserRole)[1].endswith(".text"))
    field = dialog.hits.item(row).data(Qt.ItemDataRole.UserRole)[1]
    dialog.open_hit(dialog.hits.item(row))
    measures = window.wizard.pages_by_key["measures"]
    assert measures.task_list.currentRow() == int(field.split(".")[1])
    assert measures.text.edit.textCursor().selectedText() == "质押融资"
    window.show_list()
    assert window.find_dialog is None


# keyboard flow ----------------------------------------------------------------------------------
def test_measures_page_tab_order_follows_the_page(qtbot, window):
    page = _open(window, "measures")
    page.task_list.setFocus()
    seen = [QApplication.focusWidget()]
    for _ in range(5):
        key(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    # after 具体举措 the tabs that switch to its 专栏 (shown with the 专栏 tab)
    assert seen == [page.task_list, page.title_edit, page.lead, page.partners, page.text.edit,
                    page.details.tabBar()]
    page.show_projects()
    page.details.tabBar().setFocus()
    key(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.projects.panels
    page.details.setCurrentIndex(0)
    page.details.tabBar().setFocus()
    key(QApplication.focusWidget(), Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is page.text.edit


def test_common_departments_come_from_the_program(qtbot, window):
    """填入常用部门 offers the program's own list: city bureaus for a city, offices for a university."""
    from desktop_app.core.departments import examples
    from desktop_app.core.program import get_program

    basic = _open(window, "basic")
    window.session.draft.departments.clear()
    basic.departments.show_list()
    qtbot.mouseClick(basic.departments.common_button, Qt.MouseButton.LeftButton)
    assert stored(window).departments == examples(window.session.program)
    assert "市科技局" in stored(window).departments
    university = examples(get_program("university_ip_center_2022"))
    assert university and not any(n.startswith("市") for n in university)


def test_targets_page_tab_order_buttons_then_table_then_out(qtbot, window):
    page = _open(window, "targets")
    page.prose.edit.setFocus()
    seen = [QApplication.focusWidget()]
    for _ in range(6):
        key(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    t = page.table
    assert seen == [page.prose.edit, page.views.tabBar(), t.add_button, t.remove_button, t.up_button,
                    t.down_button, t.table]
    key(t.table, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)  # out of the table, past the page
    assert not page.isAncestorOf(QApplication.focusWidget())


def test_excel_block_pasted_while_a_cell_is_being_edited(qtbot, window):
    page = _open(window, "problems")
    grid = page.table.table
    n = len(page.table.rows)
    grid.setCurrentCell(n - 1, 0)
    grid.editItem(grid.item(n - 1, 0))
    editor = next(w for w in grid.viewport().findChildren(QPlainTextEdit) if w.isVisible())  # a long-text cell
    QApplication.clipboard().setText("问题甲\t对策甲\r\n问题乙\t对策乙\r\n")
    key(editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    items = stored(window).part("problems")["items"]
    assert [(i["problem"], i["countermeasure"]) for i in items[n - 1:]] == [("问题甲", "对策甲"), ("问题乙", "对策乙")]
    assert "\t" not in grid.item(n - 1, 0).text()


def test_add_and_remove_a_department(qtbot, window):
    basic = _open(window, "basic")
    editor = basic.departments
    editor.ask_text = lambda *a, **k: "  市数据局 "
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert stored(window).departments[-1] == "市数据局"
    assert editor.list.currentItem().data(Qt.ItemDataRole.UserRole) == "市数据局"
    from desktop_app.ui.departments import department_model

    assert "市数据局" in department_model(window.session).stringList()  # offered by every completer
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)  # unused: no question asked
    assert "市数据局" not in stored(window).departments
    # a department in use is counted in the list
    used = next(editor.list.item(i).text() for i in range(editor.list.count())
                if editor.list.item(i).data(Qt.ItemDataRole.UserRole) == "市科技局")
    assert "（用于" in used


def test_long_cells_open_a_multi_line_editor(qtbot, window):
    """问题/对策, 说明, 进度安排: a box of several lines that wraps the text; Enter or
    Ctrl+Enter keeps it, and lines pasted into it join into the cell's one paragraph."""

    for key_, name in (("problems", "countermeasure"), ("targets", "note"), ("schedule", "progress")):
        page = _open(window, key_)
        grid = page.table.table
        column = [c.key for c in page.table.columns].index(name)
        grid.setCurrentCell(0, column)
        grid.editItem(grid.item(0, column))
        editor = next(w for w in grid.viewport().findChildren(QPlainTextEdit) if w.isVisible())
        assert editor.height() >= editor.fontMetrics().lineSpacing() * 5
        editor.selectAll()
        editor.insertPlainText("第一行\n第二行 and\nmore")
        key(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda g=grid: not any(w.isVisible() for w in g.viewport().findChildren(QPlainTextEdit)))
        assert grid.item(0, column).text() == "第一行第二行 and more"
