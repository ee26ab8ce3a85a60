"""Issue 23, items 4 and 7: one limit table, enforced where the officer types, by the
file format and by the Word export; numbers, long file names.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData

from desktop_app.core import limits
from desktop_app.core.exchange import DraftFormatError, draft_from_json_text, draft_to_json_text, \
    read_draft_file, write_draft_file
from qt_helpers import type_text

ROOT = Path(__file__).resolve().parent.parent


def test_the_schema_file_states_the_limit_table():
    """resources/schema/draft.schema.json (for readers and other tools) says what the table says."""
    raw = json.loads((ROOT / "resources" / "schema" / "draft.schema.json").read_text(encoding="utf-8"))
    assert limits.apply_to_schema(json.loads(json.dumps(raw))) == raw


def test_the_file_format_refuses_a_huge_paragraph_and_a_huge_table(sample_draft):
    huge = sample_draft.copy()
    huge.set_text("overview", "很长" * (limits.TEXT_MAX_CHARS // 2 + 1))
    with pytest.raises(DraftFormatError) as info:
        draft_from_json_text(draft_to_json_text(huge))
    assert "内容过长" in str(info.value) and str(limits.TEXT_MAX_CHARS) in str(info.value)
    rows = sample_draft.copy()
    rows.data["parts"]["schedule"]["rows"] = [{"year": 2021, "task": "任务"}] * (limits.TABLE_MAX_ROWS + 1)
    with pytest.raises(DraftFormatError) as info:
        draft_from_json_text(draft_to_json_text(rows))
    assert "行数过多" in str(info.value)


def test_a_5000_digit_number_is_refused_in_chinese(sample_draft):
    text = draft_to_json_text(sample_draft).replace('"year": 2021', '"year": ' + "9" * 5000, 1)
    with pytest.raises(DraftFormatError) as info:
        draft_from_json_text(text)
    assert "位数过多" in str(info.value) and "Exceeds" not in str(info.value)


def test_a_long_city_name_does_not_crash_the_word_export(sample_draft, tmp_path):
    import docx

    from desktop_app.book.export import export_docx

    draft = sample_draft.copy()
    draft.data["applicant"]["city"] = "扬" * 260
    out = export_docx(draft, tmp_path / "book.docx")
    assert len(docx.Document(str(out)).core_properties.title) <= limits.DOCX_TITLE_MAX_CHARS


@pytest.mark.parametrize("size", [245, 250, 255])
def test_file_names_up_to_255_bytes_are_exportable(sample_draft, tmp_path, size):
    from desktop_app.book.export import export_docx

    stem = "申" * ((size - 5) // 3)
    name = stem + "x" * (size - 5 - len(stem.encode())) + ".docx"
    assert len(name.encode()) == size
    out = export_docx(sample_draft, tmp_path / name)
    assert out.exists() and out.name == name
    json_name = name[:-5] + ".json"
    json_name = json_name[:-5] + "x" + ".json" if len(json_name.encode()) < size else json_name
    write_draft_file(sample_draft, tmp_path / json_name)
    assert read_draft_file(tmp_path / json_name) == sample_draft
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, json_name])


# where the officer types ---------------------------------------------------------------------------
@pytest.mark.gui
def test_the_window_takes_no_longer_organization_than_the_file_format(qtbot, window, sample_draft, tmp_path):
    window.store.save(sample_draft)
    assert window.open_draft(sample_draft.id)
    page = window.wizard.pages_by_key["basic"]
    window.wizard.go_to("basic")
    edit = page.fields["organization"]
    edit.clear()
    type_text(edit, "扬" * 148)
    limit = limits.field_max("applicant.organization")
    assert len(edit.text()) == limit
    assert page.limit_message.isVisibleTo(page) and f"最多 {limit} 字" in page.limit_message.text()
    window.session.flush()
    stored = window.store.load(sample_draft.id)
    assert stored.organization == "扬" * limit
    write_draft_file(stored, tmp_path / "draft.json")  # 导出草稿文件 takes what the window took
    assert read_draft_file(tmp_path / "draft.json").organization == "扬" * limit


@pytest.mark.gui
def test_a_stored_value_over_the_limit_is_shown_whole(qtbot, window, sample_draft):
    sample_draft.data["applicant"]["organization"] = "旧" * 150  # an old draft, saved before the limit
    window.store.save(sample_draft)
    assert window.open_draft(sample_draft.id)
    assert window.wizard.pages_by_key["basic"].fields["organization"].text() == "旧" * 150


@pytest.mark.gui
def test_prose_refuses_a_paste_past_the_limit_and_says_so(qtbot, monkeypatch):
    from desktop_app.ui.editors import PasteTextEdit, ProseEditor

    monkeypatch.setattr(PasteTextEdit, "max_chars", 50)
    editor = ProseEditor()
    qtbot.addWidget(editor)
    texts = []
    editor.changed.connect(texts.append)
    editor.set_text("已有的正文。")
    mime = QMimeData()
    mime.setText("粘贴" * 40)
    editor.edit.insertFromMimeData(mime)
    assert editor.edit.toPlainText() == "已有的正文。" and not texts
    assert "最多 50 字" in editor.count.text()
    mime.setText("短短一句。")
    editor.edit.insertFromMimeData(mime)
    assert sorted(editor.edit.toPlainText()) == sorted("已有的正文。短短一句。") and texts
    editor.set_text("字" * 50)
    editor.edit.moveCursor(editor.edit.textCursor().MoveOperation.End)
    type_text(editor.edit, "多")
    assert editor.edit.toPlainText() == "字" * 50 and "最多 50 字" in editor.count.text()


@pytest.mark.gui
def test_a_table_takes_no_more_rows_than_the_limit(qtbot, monkeypatch):
    from desktop_app.ui import editors
    from desktop_app.ui.editors import ColumnSpec, RowTable

    monkeypatch.setattr(editors, "TABLE_MAX_ROWS", 5)
    table = RowTable([ColumnSpec("text", "内容", kind="text")], lambda: {"text": ""})
    qtbot.addWidget(table)
    rows: list[dict] = []
    table.bind(rows)
    for _ in range(7):
        table.add_row()
    assert len(rows) == 5 and "最多 5 行" in table.message.text()
    table.table.setCurrentCell(4, 0)
    table.paste_text("甲\n乙\n丙")
    assert len(rows) == 5 and "另有 2 行未粘贴" in table.message.text()
    table.table.setCurrentCell(0, 0)
    table.paste_text("长" * (editors.CELL_MAX_CHARS + 1))
    assert rows[0]["text"] != "长" * (editors.CELL_MAX_CHARS + 1) and "超过" in table.message.text()


@pytest.mark.gui
def test_an_attachment_title_past_the_limit_is_marked_not_stored(qtbot, window, sample_draft):
    from PySide6.QtWidgets import QTreeWidgetItem  # noqa: F401 (the page's items)

    window.store.save(sample_draft)
    assert window.open_draft(sample_draft.id)
    page = window.wizard.pages_by_key["attachments"]
    page.add_attachment()
    item = page.tree.topLevelItem(page.current_row())
    limit = limits.field_max("attachments.*.title")
    item.setText(0, "附" * (limit + 1))
    assert page.attachments[page.current_row()]["title"] == ""
    assert f"最多 {limit} 字" in page.message.text()
    item.setText(0, "附" * limit)
    assert page.attachments[page.current_row()]["title"] == "附" * limit
