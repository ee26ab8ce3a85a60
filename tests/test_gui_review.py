"""核对上年内容 in the window: the sample carried to 2022, its items handled one by one."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app.core import completeness, review
from desktop_app.core.carry_over import carry_over

pytestmark = pytest.mark.gui


def _open_carried(window):
    window.open_sample()
    last = window.session.draft
    window.show_list()
    draft = carry_over(last, 2022)
    window.store.save(draft, reason="carry_over")
    window.open_draft(draft.id)
    return window.session.draft


def _row(page, item_id):
    row = page.row_of(item_id)
    assert row is not None
    page.tree.setCurrentItem(row)
    return row


def test_review_page_lists_every_item_part_by_part(qtbot, window):
    draft = _open_carried(window)
    wizard = window.wizard
    assert "review" in wizard.hosts
    wizard.go_to("review")
    page = wizard.pages_by_key["review"]
    items = review.items(draft)
    assert sum(page.tree.topLevelItem(g).childCount() for g in range(page.tree.topLevelItemCount())) == len(items)
    titles = [page.tree.topLevelItem(g).text(0) for g in range(page.tree.topLevelItemCount())]
    assert titles[:3] == ["基本信息", "1.概述", "2.专利转化基础"]
    assert "自动改动 <b>16</b> 处，待更新 <b>17</b> 处" in page.summary.text()
    # the offer of a newer program shows only when one is installed: none is
    assert page.move_bar.isVisibleTo(page) and not page.move_button.isVisibleTo(page)
    # side list and 申报总览: parts with open items are ◐ 待核对, never ● 已完成
    qtbot.waitUntil(lambda: wizard.checks_ready)
    wizard.refresh_marks()
    overview = wizard.overview
    row = overview.row_of("approach")
    assert overview.cell_text(row, 1) == "◐ 待核对"
    assert overview.cell_text(overview.row_of("safeguards"), 1) == "● 已完成"
    assert "自动改动 16 处，待更新 17 处" in overview.summary.text()


def test_accept_revert_and_edit_one_by_one(qtbot, window, monkeypatch):
    draft = _open_carried(window)
    wizard = window.wizard
    wizard.go_to("review")
    page = wizard.pages_by_key["review"]
    approach = review.open_items(draft, "approach")
    assert len(approach) == 3
    # 还原 the first: last year's sentence is back, in the draft and in the page's editor
    wizard.pages_by_key["approach"]  # built before the revert: it must show the reverted text
    _row(page, approach[0]["id"])
    assert page.revert_button.isEnabled()
    qtbot.mouseClick(page.revert_button, Qt.MouseButton.LeftButton)
    assert approach[0]["before"] in draft.text("approach")
    # the selection moved on to the next open item
    assert page.current_item_id() == approach[1]["id"]
    qtbot.mouseClick(page.accept_button, Qt.MouseButton.LeftButton)
    assert not review.is_open(review.items(draft)[[i["id"] for i in review.items(draft)].index(approach[1]["id"])],
                              draft)
    # the part is still ◐ 待核对 with one item open
    assert completeness.state_of(window.session.program, draft, "approach") == completeness.TO_REVIEW
    # 编辑… jumps to the field with the sentence selected; rewriting it handles the item
    _row(page, approach[2]["id"])
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    assert wizard.current_key() == "approach"
    editor = wizard.pages_by_key["approach"].prose.edit
    assert approach[0]["before"] in editor.toPlainText()  # the page shows the reverted text
    assert QApplication.focusWidget() is editor
    assert editor.textCursor().selectedText() == approach[2]["after"]
    editor.insertPlainText("2024年全面总结推广。")
    window.session.flush()
    assert completeness.state_of(window.session.program, draft, "approach") == completeness.COMPLETE
    # a stale statement: 编辑… selects the past year itself
    wizard.go_to("review")
    stale = review.open_items(draft, "foundation")[0]
    _row(page, stale["id"])
    assert not page.revert_button.isEnabled()
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    editor = wizard.pages_by_key["foundation"].prose.edit
    assert editor.textCursor().selectedText() == stale["spans"][0]
    # 接受本部分全部 asks, naming the count; No changes nothing
    wizard.go_to("review")
    _row(page, review.open_items(draft, "overview")[0]["id"])
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda _p, _t, text, *a: asked.append(text) or QMessageBox.StandardButton.No)
    qtbot.mouseClick(page.accept_part_button, Qt.MouseButton.LeftButton)
    assert "5 处" in asked[0] and len(review.open_items(draft, "overview")) == 5
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(page.accept_part_button, Qt.MouseButton.LeftButton)
    assert review.open_items(draft, "overview") == []
    window.session.flush()
    stored = window.store.load(draft.id)
    assert review.open_items(stored, "overview") == [] and approach[0]["before"] in stored.text("approach")


def test_eligibility_shows_last_years_answer(qtbot, window):
    draft = _open_carried(window)
    window.wizard.go_to("eligibility")
    page = window.wizard.pages_by_key["eligibility"]
    assert all(combo.currentData() is None for combo in page.combos.values())
    assert all(not e.text() for e in page.evidence.values())
    assert set(page.previous) == set(draft.data["eligibility"])
    assert all(label.text().startswith("上年回答：满足") for label in page.previous.values())


def test_move_onto_a_newer_program(qtbot, window, tmp_path, monkeypatch):
    from tests.test_carry_over_trust import templates_with_2022

    root, _gone = templates_with_2022(tmp_path)
    monkeypatch.setenv("PATENT_APP_TEMPLATES", str(root))
    draft = _open_carried(window)
    wizard = window.wizard
    wizard.go_to("review")
    page = wizard.pages_by_key["review"]
    assert page.move_button.isVisibleTo(page) and "2022年度专利转化重点城市引领计划" in page.move_label.text()
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(page.move_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.session.program.id == "key_city_2022")
    moved = window.session.draft
    assert moved.id == draft.id and moved.data["parts"]["safeguards"] == draft.data["parts"]["safeguards"]
    assert window.wizard.current_key() == "review"
    page = window.wizard.pages_by_key["review"]
    assert not page.move_bar.isVisibleTo(page)
    unplaced = [i for i in review.items(moved) if i["kind"] == review.UNPLACED]
    assert any("保障措施" in i["label"] for i in unplaced)
    assert "未归位" in page.summary.text()
    assert window.store.revisions(moved.id)[0].reason == "program_move"


def test_overview_counts_add_up_while_parts_wait_for_review(qtbot, window):
    """申报总览's first line counts every row of its table: the ◐ 待核对 parts are counted
    too (they were left out, so a carried-over draft read "共 14 部分：已完成 2，待完善 1，
    未填写 1" — four of fourteen), and the second line does not give another count of them."""
    import re

    _open_carried(window)
    wizard = window.wizard
    qtbot.waitUntil(lambda: wizard.checks_ready)
    wizard.refresh_marks()
    overview = wizard.overview
    first, *rest = overview.summary.text().split("<br>")
    total = int(re.search(r"共 (\d+) 部分", first).group(1))
    counted = sum(int(n) for n in re.findall(r"(?:已完成|待完善|待核对|未填写|有错误) (\d+)", first))
    assert counted == total, first
    rows = [overview.cell_text(overview.row_of(key), 1) for key in overview.keys]
    assert f"待核对 {rows.count('◐ 待核对')}" in first
    assert "部分待核对" not in "".join(rest)
