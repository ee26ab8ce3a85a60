"""The main window as a desktop program: one-file drafts (menu and drag-and-drop),
shortcuts, recent drafts, the 已保存 time, About, remembered geometry."""
from __future__ import annotations

import json
import re

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from conftest import SAMPLE
from qt_helpers import type_text

pytestmark = pytest.mark.gui


def _action(window, text):
    for menu_action in window.menuBar().actions():
        for act in menu_action.menu().actions():
            if act.text() == text:
                return act
    raise AssertionError(f"no menu item {text}")


def _write_sample(path, **changes):
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    data["applicant"].update(changes)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return data


def _refuse_other_dialogs(monkeypatch):
    """Any message box a test did not expect fails it instead of blocking."""
    def fail(*args, **kw):
        raise AssertionError(f"unexpected message box: {args[1:3]}")
    for name in ("warning", "information", "critical", "question"):
        monkeypatch.setattr(QMessageBox, name, fail)


# one-file drafts --------------------------------------------------------------------------
def test_export_draft_file_through_dialog_then_import_on_another_pc(qtbot, window, tmp_path, monkeypatch):
    from desktop_app.core.exchange import read_draft_file
    from desktop_app.ui.app import create_window

    window.open_sample()
    page = window.wizard.pages_by_key["basic"]
    page.fields["contact"].selectAll()
    type_text(page.fields["contact"], "李华")
    out = tmp_path / "moved" / "扬州草稿"  # no suffix typed: .json is added
    out.parent.mkdir()
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda parent, title, start, filt: (asked.append((title, filt)) or (str(out), filt)))
    _action(window, "导出草稿文件…").trigger()

    assert asked == [("导出草稿文件", "草稿文件 (*.json)")]
    written = read_draft_file(out.with_suffix(".json"))
    assert written.applicant["contact"] == "李华"  # the edit typed just before, not only what was saved
    assert written.data == window.store.load(written.id).data

    # "another PC": a fresh data store, 导入草稿文件… through the open dialog
    other = create_window(tmp_path / "other.sqlite3")
    qtbot.addWidget(other)
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda parent, title, start, filt: (str(out.with_suffix(".json")), filt))
    _refuse_other_dialogs(monkeypatch)
    _action(other, "导入草稿文件…").trigger()
    assert other.store.load(written.id).applicant["contact"] == "李华"
    assert other.session is not None and other.session.draft.id == written.id  # opened for editing
    other.close_draft()
    other.store.close()


def test_import_of_a_draft_already_here_replaces_or_keeps_both(qtbot, window, tmp_path, monkeypatch):
    from desktop_app.ui import draft_files

    _refuse_other_dialogs(monkeypatch)
    path = tmp_path / "草稿.json"
    original = _write_sample(path)
    assert window.draft_files.import_file(path) == original["id"]

    _write_sample(path, contact="周敏")
    monkeypatch.setattr(window.draft_files, "ask_duplicate", lambda title: draft_files.KEEP_BOTH)
    copy_id = window.draft_files.import_file(path)
    assert copy_id != original["id"]
    assert window.store.load(copy_id).applicant["contact"] == "周敏"
    assert window.store.load(original["id"]).applicant["contact"] == original["applicant"]["contact"]

    # the draft being replaced is the open one: the import wins, not the open copy
    window.open_draft(original["id"])
    _write_sample(path, contact="吴刚")
    monkeypatch.setattr(window.draft_files, "ask_duplicate", lambda title: draft_files.REPLACE)
    assert window.draft_files.import_file(path) == original["id"]
    assert window.store.load(original["id"]).applicant["contact"] == "吴刚"
    assert window.session.draft.applicant["contact"] == "吴刚"
    assert len(window.store.list()) == 2

    monkeypatch.setattr(window.draft_files, "ask_duplicate", lambda title: "")  # 取消
    assert window.draft_files.import_file(path) is None
    assert len(window.store.list()) == 2


def test_bad_draft_file_is_refused_with_the_chinese_reasons(qtbot, window, tmp_path, monkeypatch):
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    del data["program_id"]
    data["year"] = "明年"
    path = tmp_path / "坏草稿.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append((title, text)))
    assert window.draft_files.import_file(path) is None
    assert len(shown) == 1
    title, text = shown[0]
    assert title == "导入草稿文件"
    assert "无法导入" in text and "program_id" in text and "申报年度" in text and "应为整数" in text
    assert window.store.list() == []


def _drag_events(window, paths):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    pos = QPoint(window.width() // 2, window.height() // 2)
    enter_args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    try:
        enter = QDragEnterEvent(QPointF(pos), *enter_args)
    except TypeError:
        # Qt 6.9 (the .deb for UOS 20) has only the QPoint form, which newer Qt deprecates
        enter = QDragEnterEvent(pos, *enter_args)
    drop = QDropEvent(QPointF(pos), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    return mime, enter, drop


def test_dropping_a_draft_file_on_the_window_imports_and_opens_it(qtbot, window, tmp_path, monkeypatch):
    _refuse_other_dialogs(monkeypatch)
    path = tmp_path / "拖入的草稿.json"
    data = _write_sample(path, contact="郑洁")
    assert window.acceptDrops()
    _mime, enter, drop = _drag_events(window, [path])
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(window, drop)
    assert drop.isAccepted()
    assert window.store.load(data["id"]).applicant["contact"] == "郑洁"
    assert window.session.draft.id == data["id"]


def test_dragging_other_files_is_refused(qtbot, window, tmp_path):
    other = tmp_path / "申报书.docx"
    other.write_bytes(b"PK")
    _mime, enter, drop = _drag_events(window, [other])
    QApplication.sendEvent(window, enter)
    assert not enter.isAccepted()
    QApplication.sendEvent(window, drop)
    assert window.store.list() == []


# shortcuts, status bar, recent drafts, About, geometry ---------------------------------------
def _press(qtbot, window, key):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)


def test_ctrl_s_saves_now_and_status_shows_time(qtbot, window):
    window.open_sample()
    draft = window.session.draft
    draft.applicant["contact"] = "钱明"
    window.session.dirty = True  # edited, not yet saved
    _press(qtbot, window, Qt.Key.Key_S)
    assert window.store.load(draft.id).applicant["contact"] == "钱明"
    assert re.fullmatch(r"已保存 \d\d:\d\d:\d\d", window.save_label.text())


def test_ctrl_e_goes_to_export_page_and_exports(qtbot, window, tmp_path):
    from docx import Document

    window.open_sample()
    window.wizard.go_to("basic")
    out = tmp_path / "申报书.docx"
    window.wizard.export_page.choose_path = lambda: str(out)
    _press(qtbot, window, Qt.Key.Key_E)
    assert window.wizard.current_key() == "export"
    qtbot.waitUntil(lambda: not window.wizard.export_page.docx_busy, timeout=60_000)  # written in its thread
    assert out.is_file()
    assert "一、建设基础" in [p.text for p in Document(str(out)).paragraphs]
    assert window.wizard.export_page.open_file.isEnabled()


def test_ctrl_e_without_a_draft_says_what_to_do(qtbot, window):
    _press(qtbot, window, Qt.Key.Key_E)
    assert "请先打开一份草稿" in window.statusBar().currentMessage()


def test_recent_drafts_menu_lists_newest_first_and_opens(qtbot, window, tmp_path):
    from desktop_app.core.draft import new_draft
    from desktop_app.core.program import get_program

    window.open_sample()
    sample_id = window.session.draft.id
    other = new_draft(get_program("key_city_2021"), organization="常州市人民政府", city="常州市", year=2021)
    window.store.save(other)
    window.open_draft(other.id)
    window.show_list()
    window.recent_menu.aboutToShow.emit()
    titles = [a.text() for a in window.recent_menu.actions()]
    assert titles == [f"&1 {other.title}", f"&2 {window.store.load(sample_id).title}"]
    window.recent_menu.actions()[1].trigger()
    assert window.session.draft.id == sample_id
    window.store.delete(other.id)  # a deleted draft leaves the list
    window.recent_menu.aboutToShow.emit()
    assert [a.text() for a in window.recent_menu.actions()] == [f"&1 {window.store.load(sample_id).title}"]


def test_about_names_the_version(qtbot, window, monkeypatch):
    from desktop_app import __version__

    shown = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: shown.append(text))
    _action(window, "关于").trigger()
    assert f"版本 {__version__}" in shown[0]


def test_window_geometry_is_remembered(qtbot, tmp_path):
    from desktop_app.ui.app import create_window

    first = create_window(tmp_path / "d.sqlite3")
    qtbot.addWidget(first)
    first.show()
    first.resize(700, 520)
    qtbot.waitUntil(lambda: first.size().width() == 700)
    first.close()
    first.store.close()
    second = create_window(tmp_path / "d.sqlite3")
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (700, 520)
    second.store.close()


# high DPI / large fonts ------------------------------------------------------------------------
def test_window_fits_the_screen_and_side_panel_follows_the_font(qtbot, window):
    from PySide6.QtGui import QFont, QGuiApplication

    avail = QGuiApplication.primaryScreen().availableGeometry()
    assert window.width() <= avail.width() and window.height() <= avail.height()
    big = QFont(window.font())
    big.setPixelSize(32)  # a large system font or 200 % text scaling
    window.setFont(big)  # the wizard inherits it
    window.open_sample()
    side = window.wizard.side_panel
    assert side.width() >= window.wizard.fontMetrics().horizontalAdvance("中") * 17 > 280
