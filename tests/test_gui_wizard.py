"""The spine end to end through real widgets: new draft → every page → export → .docx."""
from __future__ import annotations

import json
import sqlite3

import pytest
from docx import Document
from PySide6.QtCore import QDate, QTimer, Qt
from PySide6.QtWidgets import QApplication

from qt_helpers import edit_cell, type_text

pytestmark = pytest.mark.gui


def _create_draft_through_dialog(qtbot, window):
    """Click 新建草稿, choose the 2021 program, fill the dialog by typing, press 创建."""
    from desktop_app.ui.new_draft_dialog import NewDraftDialog

    def fill():
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, NewDraftDialog) and w.isVisible())
        # The newest program is offered first; these tests write the 2021 city plan.
        dialog.program.setCurrentIndex(dialog.program.findData("key_city_2021"))
        type_text(dialog.organization, "扬州市人民政府")
        assert dialog.city.text() == "扬州市"  # guessed from the organization
        type_text(dialog.contact, "王敏")
        type_text(dialog.phone, "0514-87363216")
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill)
    qtbot.mouseClick(window.list_page.new_button, Qt.MouseButton.LeftButton)
    assert window.wizard is not None


def _plan_paragraphs(path):
    doc = Document(str(path))
    return [p.text for p in doc.paragraphs], doc


def _under(paragraphs, heading, next_heading, needle):
    # the plan's title follows the letter (the cover repeats it, the 目录 repeats headings)
    plan = paragraphs.index("扬州市专利转化重点城市建设方案", paragraphs.index("信用承诺书"))
    start = paragraphs.index(heading, plan)
    end = paragraphs.index(next_heading, start + 1) if next_heading else len(paragraphs)
    return any(needle in p for p in paragraphs[start + 1:end])


def test_new_draft_every_page_typed_then_exported(qtbot, window, tmp_path):
    _create_draft_through_dialog(qtbot, window)
    wiz = window.wizard
    pages = wiz.pages_by_key
    assert list(pages) == ["glance", "basic", "eligibility", "overview", "foundation", "problems", "approach", "targets",
                           "measures", "safeguards", "schedule", "letter", "attachments", "export"]

    # 基本信息
    wiz.go_to("basic")
    pages["basic"].fields["contact"].selectAll()
    type_text(pages["basic"].fields["contact"], "李华")
    # prose parts
    typed = {"overview": "概述：扬州经济总量稳步增长。", "foundation": "基础：专利转化数量逐年提高。",
             "approach": "思路：以园区为主阵地推进转化。", "safeguards": "保障：设立专项资金三千万元。"}
    for key, text in typed.items():
        wiz.go_to(key)
        assert wiz.current_key() == key and wiz.currentPage().page is pages[key]
        type_text(pages[key].prose.edit, text)
    # 3.面临问题及对策: add a row and type into it
    wiz.go_to("problems")
    qtbot.mouseClick(pages["problems"].table.add_button, Qt.MouseButton.LeftButton)
    edit_cell(qtbot, pages["problems"].table.table, 0, 0, "高校专利供给与企业需求脱节")
    edit_cell(qtbot, pages["problems"].table.table, 0, 1, "建立需求清单定期推送")
    # 2.建设目标: prose and a baseline figure typed in full-width
    wiz.go_to("targets")
    type_text(pages["targets"].prose.edit, "目标：三年转化专利五千件。")
    edit_cell(qtbot, pages["targets"].table.table, 0, 2, "１９２")
    # 三、建设举措: the third task
    wiz.go_to("measures")
    measures = pages["measures"]
    measures.task_list.setCurrentRow(2)
    type_text(measures.text.edit, "举措：支持扬州大学建设运营中心。")
    type_text(measures.lead, "市教育局")
    # 五、进度安排
    wiz.go_to("schedule")
    qtbot.mouseClick(pages["schedule"].table.add_button, Qt.MouseButton.LeftButton)
    edit_cell(qtbot, pages["schedule"].table.table, 0, 2, "完成全市专利供需摸底")
    # 信用承诺书: the date
    wiz.go_to("letter")
    pages["letter"].date.setDate(QDate(2021, 3, 5))
    # 检查与导出
    wiz.go_to("export")
    out = tmp_path / "book.docx"
    pages["export"].choose_path = lambda: str(out)
    qtbot.mouseClick(pages["export"].export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not pages["export"].docx_busy, timeout=60_000)
    assert out.exists(), pages["export"].status.text()

    paras, doc = _plan_paragraphs(out)
    assert any("李华" in p for p in paras[:40])  # the cover's 联系人
    assert _under(paras, "1.概述", "2.专利转化基础", typed["overview"])
    assert _under(paras, "2.专利转化基础", "3.面临问题及对策", typed["foundation"])
    assert _under(paras, "3.面临问题及对策", "二、建设思路和目标", "（1）高校专利供给与企业需求脱节")
    assert _under(paras, "3.面临问题及对策", "二、建设思路和目标", "对策：建立需求清单定期推送")
    assert _under(paras, "1.总体思路", "2.建设目标", typed["approach"])
    assert _under(paras, "2.建设目标", "三、建设举措", "目标：三年转化专利五千件。")
    assert _under(paras, "（三）构建知识产权运营服务网络", "（四）加大专利转化人才培养引进力度", "举措：支持扬州大学建设运营中心。")
    assert _under(paras, "（三）构建知识产权运营服务网络", "（四）加大专利转化人才培养引进力度", "〔牵头部门：市教育局〕")
    assert _under(paras, "四、保障措施", "五、进度安排", typed["safeguards"])
    assert "2021年3月5日" in paras
    cells = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    assert any(row[1].startswith("接受高校院所") and row[3] == "192" for row in cells)
    assert any("完成全市专利供需摸底" in row for row in cells)


def test_every_edit_reaches_sqlite_within_a_second(qtbot, window):
    _create_draft_through_dialog(qtbot, window)
    wiz = window.wizard
    wiz.go_to("overview")
    type_text(wiz.pages_by_key["overview"].prose.edit, "自动保存测试")
    draft_id = window.session.draft.id

    def stored_text():
        con = sqlite3.connect(window.store.path)
        try:
            data = json.loads(con.execute("SELECT data FROM drafts WHERE id=?", [draft_id]).fetchone()[0])
        finally:
            con.close()
        return data["parts"]["overview"]["text"]

    qtbot.waitUntil(lambda: stored_text() == "自动保存测试", timeout=1000)
    assert window.save_label.text().startswith("已保存")


def test_reopen_brings_back_draft_on_same_page(qtbot, tmp_path):
    from desktop_app.ui.app import create_window

    db = tmp_path / "drafts.sqlite3"
    first = create_window(db)
    qtbot.addWidget(first)
    first.show()
    _create_draft_through_dialog(qtbot, first)
    first.wizard.go_to("safeguards")
    type_text(first.wizard.pages_by_key["safeguards"].prose.edit, "组织保障到位")
    draft = first.session.draft.copy()
    first.close()  # closeEvent flushes; the draft stays marked open
    first.store.close()

    second = create_window(db)
    qtbot.addWidget(second)
    assert second.reopen_last()
    assert second.wizard.current_key() == "safeguards"
    assert second.wizard.pages_by_key["safeguards"].prose.edit.toPlainText() == "组织保障到位"
    assert second.session.draft == draft
    second.close_draft()
    second.store.close()


def test_side_list_jumps_and_marks_completeness(qtbot, window):
    window.open_sample()
    wiz = window.wizard
    row = next(i for i in range(wiz.side.count()) if wiz.side.item(i).data(0, Qt.ItemDataRole.UserRole) == "schedule")
    rect = wiz.side.visualItemRect(wiz.side.item(row))
    qtbot.mouseClick(wiz.side.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert wiz.current_key() == "schedule"
    assert wiz.side.item(row).text(0).startswith("●")  # the sample is complete
    # Back returns along the path actually taken: the sample opened on its first page, 申报总览
    wiz.back()
    assert wiz.current_key() == "glance"
    # emptying a required part the officer has open turns its mark to ✖ once typing stops
    # (its "missing" error is shown), the same as 申报总览 says of it
    wiz.go_to("approach")
    wiz.pages_by_key["approach"].prose.edit.clear()
    row = next(i for i in range(wiz.side.count()) if wiz.side.item(i).data(0, Qt.ItemDataRole.UserRole) == "approach")
    qtbot.waitUntil(lambda: wiz.side.item(row).text(0).startswith("✖"), timeout=1000)
    assert wiz.page_state("approach") == "empty"
    assert wiz.overview.cell_text(wiz.overview.row_of("approach"), 1).startswith("✖")


def test_new_draft_dialog_refuses_missing_city(qtbot):
    from desktop_app.core.program import available_programs
    from desktop_app.ui.new_draft_dialog import NewDraftDialog

    dialog = NewDraftDialog(available_programs())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "申报单位" in dialog.error.text() and "所在城市" in dialog.error.text()


def test_invalid_figure_marked_on_cell_and_not_stored(qtbot, window):
    window.open_sample()
    wiz = window.wizard
    wiz.go_to("targets")
    table = wiz.pages_by_key["targets"].table
    before = window.session.draft.part("targets")["indicators"][0]["baseline"]
    edit_cell(qtbot, table.table, 0, 2, "abc")
    assert "第1行" in table.message.text() and "不是数字" in table.message.text()
    assert window.session.draft.part("targets")["indicators"][0]["baseline"] == before
    edit_cell(qtbot, table.table, 0, 2, "20%")
    assert table.message.text() == ""
    assert window.session.draft.part("targets")["indicators"][0]["baseline"] == 20


def test_jumping_to_the_last_page_offers_finish_not_next(qtbot, window):
    from PySide6.QtWidgets import QWizard

    window.open_sample()
    wizard = window.wizard
    wizard.go_to("export")
    assert wizard.current_key() == "export"
    assert wizard.button(QWizard.WizardButton.FinishButton).isVisible()
    assert not wizard.button(QWizard.WizardButton.NextButton).isVisible()
    wizard.go_to("targets")  # and a middle page offers 下一步 again
    assert wizard.button(QWizard.WizardButton.NextButton).isVisible()
