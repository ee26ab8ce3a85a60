"""导入 Word 方案 in the window (issue 21): 文件 menu → mapping view → a new draft opened, one
mapping changed by the officer; the 未归入 box on 申报总览 moves content into a part."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

pytestmark = pytest.mark.gui


def _plan_docx(path):
    import docx

    d = docx.Document()
    d.add_paragraph("镇江市专利转化工作方案")
    d.add_paragraph("为推动专利转化，制定本方案。")
    for text, body in [
        ("一、发展基础", "镇江地处长江与京杭大运河交汇处。"),
        ("二、工作思路", "坚持市场主导、政府引导。"),
        ("三、重点任务", None),
        ("（一）加强顶层设计", "编制专利转化实施方案。"),
        ("（二）壮大运营人才队伍", "举办运营实务培训班。"),
        ("四、组织实施", "成立工作专班。"),
        ("五、其他事项", "本方案自印发之日起施行。"),
    ]:
        run = d.add_paragraph().add_run(text)
        run.bold = True
        if body:
            d.add_paragraph(body)
    d.save(path)
    return path


def _menu_action(window, text):
    for menu_action in window.menuBar().actions():
        for act in menu_action.menu().actions():
            if act.text() == text:
                return act
    raise AssertionError(text)


def test_import_word_plan_from_the_menu_with_one_mapping_changed(qtbot, window, tmp_path, monkeypatch):
    from desktop_app.ui import word_import_dialog as wid

    path = _plan_docx(tmp_path / "镇江方案.docx")
    monkeypatch.setattr(wid, "choose_word_file", lambda parent: str(path))
    seen = {}

    def run_dialog(dialog):
        seen["size"] = (dialog.width(), dialog.height())
        titles = [dialog.table.item(r, 0).text().strip() for r in range(dialog.table.rowCount())]
        keys = dialog.mapping()
        seen["suggested"] = dict(zip(titles, keys))
        # The officer puts （二）壮大运营人才队伍 under the guide's 人才 task instead of a measure of its own.
        row = titles.index("（二）壮大运营人才队伍")
        combo = dialog.combos[row]
        combo.setCurrentIndex(combo.findData("task:talent"))
        assert "人才" in dialog.outline.findItems("加大专利转化人才培养引进力度", Qt.MatchFlag.MatchContains)[0].text()
        dialog.organization.setText("镇江市人民政府")
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(wid.WordImportDialog, "exec",
                        lambda self: QDialog.DialogCode.Accepted if run_dialog(self) else QDialog.DialogCode.Rejected)
    _menu_action(window, "导入 Word 方案…").trigger()

    assert seen["size"][0] <= 1366 and seen["size"][1] <= 700  # room for the title bar and taskbar at 768
    assert seen["suggested"]["一、发展基础"] == "part:foundation"
    assert seen["suggested"]["二、工作思路"] == "part:approach"
    assert seen["suggested"]["（一）加强顶层设计"] == "task:top_design"
    assert seen["suggested"]["四、组织实施"] == "part:safeguards"
    assert seen["suggested"]["五、其他事项"] == "unplaced"

    draft = window.wizard.session.draft
    assert window.store.exists(draft.id) and draft.program_id == "key_city_2021"
    assert draft.organization == "镇江市人民政府" and draft.city == "镇江市"
    tasks = draft.part("measures")["tasks"]
    assert [(m["task"], m["title"], m["text"]) for m in tasks] == [
        ("top_design", "加强顶层设计", "编制专利转化实施方案。"),
        ("talent", "壮大运营人才队伍", "举办运营实务培训班。"),
    ]
    assert draft.text("foundation") == "镇江地处长江与京杭大运河交汇处。"
    assert draft.text("safeguards") == "成立工作专班。"
    report = window.word_import_report.text()
    assert "读取段落 15 段" in report and "未归入" in report
    window.word_import_report.close()

    # 申报总览 lists what has no place; the officer moves the preamble into 1.概述.
    overview = window.wizard.overview
    assert overview.unplaced_box is not None and overview.unplaced_box.isVisible()
    texts = [overview.unplaced_list.item(i).text() for i in range(overview.unplaced_list.count())]
    assert any("为推动专利转化" in t for t in texts) and any("五、其他事项" in t for t in texts)
    overview_page = window.wizard.pages_by_key["overview"]  # built: its editor must show the moved text
    row = next(i for i, t in enumerate(texts) if "为推动专利转化" in t)
    overview.unplaced_list.setCurrentRow(row)
    overview.unplaced_target.setCurrentIndex(overview.unplaced_target.findData("part:overview"))
    qtbot.mouseClick(overview.place_button, Qt.MouseButton.LeftButton)
    assert draft.text("overview") == "为推动专利转化，制定本方案。"
    assert overview_page.prose.text() == "为推动专利转化，制定本方案。"
    assert overview.unplaced_list.count() == len(texts) - 1

    # Deleting asks first; the rule warns until the list is empty, then the box goes.
    from desktop_app.core.rules import run_checks

    assert any(f.rule == "unplaced.pending" for f in run_checks(window.wizard.session.program, draft))
    monkeypatch.setattr(type(overview), "confirm_discard", lambda self, text: True)
    while overview.unplaced_list.count():
        overview.unplaced_list.setCurrentRow(0)
        qtbot.mouseClick(overview.discard_button, Qt.MouseButton.LeftButton)
    assert "unplaced" not in draft.data and not overview.unplaced_box.isVisible()
    assert not any(f.rule == "unplaced.pending" for f in run_checks(window.wizard.session.program, draft))
    window.wizard.session.flush()
    assert "unplaced" not in window.store.load(draft.id).data


def test_a_bad_file_from_the_menu_says_why_and_creates_nothing(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from desktop_app.ui import word_import_dialog as wid

    bad = tmp_path / "方案.docx"
    bad.write_bytes(b"")
    said = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: said.append(text))
    before = len(window.store.list())
    assert wid.import_word_plan(window, str(bad)) is None
    assert said and "空文件" in said[0]
    assert len(window.store.list()) == before


def test_mapping_view_follows_the_chosen_program_and_fits_the_screen(qtbot, tmp_path):
    from desktop_app.app.word_import import open_word_plan
    from desktop_app.core.program import available_programs
    from desktop_app.ui.word_import_dialog import WordImportDialog, best_program

    programs = available_programs()
    plan = open_word_plan(_plan_docx(tmp_path / "方案.docx"), programs[0])
    assert best_program(plan.document, programs).id == "key_city_2021"
    dialog = WordImportDialog(plan, programs)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.width() <= 1366 and dialog.height() <= 700
    for index, program in enumerate(programs):
        dialog.program_combo.setCurrentIndex(index)
        combo = dialog.combos[0]
        keys = [combo.itemData(i) for i in range(combo.count())]
        assert keys[0] == "sub" and keys[-1] == "unplaced"
        assert {k[5:] for k in keys if k.startswith("part:")} == {n.id for n in program.parts()}
        assert {k[5:] for k in keys if k.startswith("task:")} == {t.id for t in program.tasks}
        assert dialog.year.value() == program.year  # the document names no period
    # Cancel creates nothing.
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Rejected and dialog.result_draft is None


def test_each_heading_shows_the_text_under_it(tmp_path):
    from desktop_app.app.word_import import open_word_plan
    from desktop_app.ui.word_import_dialog import section_previews

    plan = open_word_plan(_plan_docx(tmp_path / "方案.docx"), "key_city_2021")
    previews = dict(zip((h.text for h in plan.headings), section_previews(plan.document)))
    assert previews["一、发展基础"] == "镇江地处长江与京杭大运河交汇处。"
    assert previews["三、重点任务"] == ""


def test_placing_never_makes_a_part_longer_than_the_limit_table_allows(qtbot, window, monkeypatch):
    """归入 joins a 未归入 piece to a part's text: past the one limit table's 10 万字 a part (or
    2 万字 a measure) that the draft file refuses, the piece stays in 未归入 and the officer is
    told why (a 118,789-character 保障措施 was saved, then 导出草稿文件 refused it)."""
    from desktop_app.core import limits
    from desktop_app.core.exchange import validate_document

    window.open_sample()
    session = window.session
    draft = session.draft
    big = "六、其他事项\n" + "专利转化工作稳步推进。" * 9_050  # 99,557 characters: fits alone, not after 保障措施
    draft.data["unplaced"] = [{"text": big, "kind": "section", "source": "“六、其他事项”（第198段）"},
                              {"text": "七、联系方式\n联系人：王敏。", "kind": "section", "source": "第200段"}]
    session.touch()
    wizard = window.wizard
    wizard.go_to("glance")
    overview = wizard.overview
    told = []
    monkeypatch.setattr(overview, "tell", told.append)
    before = draft.text("safeguards")
    overview.place_unplaced(0, "part:safeguards")
    assert draft.text("safeguards") == before
    assert [e["text"] for e in overview.unplaced()][0] == big
    assert told and "四、保障措施" in told[0] and f"{limits.TEXT_MAX_CHARS}" in told[0]
    measure = draft.part("measures")["tasks"][0]
    overview.place_unplaced(0, "task:measures:0")
    assert len(measure["text"]) <= limits.CELL_MAX_CHARS and len(told) == 2
    # a piece that fits is placed as before, and the draft stays one the file format accepts
    overview.place_unplaced(1, "part:safeguards")
    assert draft.text("safeguards").endswith("联系人：王敏。")
    assert not validate_document(draft.data)
