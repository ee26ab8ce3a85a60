"""分工 out and back through the window: send two parts from 申报总览, edit one in the program
meanwhile, a colleague edits both in the .docx, 收回 shows one conflict and one clean change."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from assign_helpers import rewrite_area
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication
from qt_helpers import type_text

from desktop_app.assign import records as R
from desktop_app.assign.package import read_package

pytestmark = pytest.mark.gui


def _dialog(kind):
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible())


def _shot(widget, name: str) -> None:
    """ASSIGN_SHOTS=folder keeps a picture of the dialog (to look at it at 1366×768)."""
    folder = os.environ.get("ASSIGN_SHOTS")
    if folder:
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def _send(qtbot, window, tmp_path, monkeypatch, keys, department="市财政局") -> Path:
    from desktop_app.ui import assign_dialogs
    from desktop_app.ui.assign_dialogs import SendDialog

    target = tmp_path / "发出" / "分工_市财政局.docx"
    target.parent.mkdir(exist_ok=True)
    monkeypatch.setattr(assign_dialogs.QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))

    def choose():
        dialog = _dialog(SendDialog)
        assert not dialog.ok_button.isEnabled()  # nothing chosen yet
        for key in keys:
            dialog.check(key)
        dialog.department.setCurrentText(department)
        _shot(dialog, "send")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, choose)
    qtbot.mouseClick(window.wizard.overview.assign_button, Qt.MouseButton.LeftButton)
    assert target.is_file()
    return target


def test_assignment_out_and_back_with_a_conflict(qtbot, window, tmp_path, monkeypatch):
    from desktop_app.core import store as store_module
    from desktop_app.ui import assign_dialogs
    from desktop_app.ui.assign_dialogs import ReceiveDialog

    monkeypatch.setattr(store_module, "REVISION_WINDOW", store_module.dt.timedelta(0))
    window.open_sample()
    window.wizard.go_to("glance")
    package = _send(qtbot, window, tmp_path, monkeypatch, ["overview", "measures.tasks.5"])
    draft = window.session.draft
    [record] = draft.data["assignments"]
    assert record["department"] == "市财政局" and record["status"] == R.OUT
    assert [p["title"] for p in record["parts"]] == ["1.概述", "（六）大力发展知识产权金融"]
    assert window.store.load(draft.id).data["assignments"] == [record]  # kept with the draft
    # 申报总览 shows what is out, with whom, since when
    overview = window.wizard.overview
    assert overview.out_label.isVisible()
    assert "1.概述" in overview.out_label.text() and "市财政局" in overview.out_label.text()
    assert "发出" in overview.out_label.text()

    # meanwhile the officer edits 1.概述 in the program
    window.wizard.go_to("overview")
    editor = window.wizard.pages_by_key["overview"].prose.edit
    editor.moveCursor(QTextCursor.MoveOperation.End)
    type_text(editor, "程序中补充")
    window.session.flush()
    officer_text = window.session.draft.text("overview")
    assert officer_text.endswith("程序中补充")

    # the colleague edits both parts in Word and sends the file back
    returned = tmp_path / "收回" / "分工_市财政局（已填）.docx"
    returned.parent.mkdir()
    keys = {f["path"]: f["key"] for p in record["parts"] for f in p["fields"]}
    rewrite_area(package, record["id"], {keys["parts.overview.text"]: "财政局改写的概述。",
                                         keys["parts.measures.tasks.5.text"]: "1.设立知识产权金融专项。\n2.扩大风险补偿资金池。"},
                 out=returned)
    monkeypatch.setattr(assign_dialogs.QFileDialog, "getOpenFileName", lambda *a, **k: (str(returned), ""))
    seen = {}

    def review():
        dialog = _dialog(ReceiveDialog)
        states = {r.ref.path: r.state for r in dialog.returns}
        seen["states"] = states
        dialog.list.setCurrentRow(next(i for i, r in enumerate(dialog.returns) if r.state == R.CONFLICT))
        seen["conflict_text"] = dialog.state_label.text()
        seen["old"], seen["new"] = dialog.old_view.toPlainText(), dialog.new_view.toPlainText()
        seen["take_checked"] = dialog.take_button.isChecked()
        _shot(dialog, "receive_conflict")
        dialog.list.setCurrentRow(next(i for i, r in enumerate(dialog.returns) if r.state == R.CHANGED))
        _shot(dialog, "receive_change")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, review)
    qtbot.mouseClick(window.wizard.overview.receive_button, Qt.MouseButton.LeftButton)

    assert seen["states"] == {"parts.overview.text": R.CONFLICT, "parts.measures.tasks.5.title": R.UNCHANGED,
                              "parts.measures.tasks.5.text": R.CHANGED}
    assert "冲突" in seen["conflict_text"]
    assert seen["old"].endswith("程序中补充") and seen["new"] == "财政局改写的概述。"
    assert seen["take_checked"] is False  # a conflict is never taken unless the officer chooses it
    # the clean change is in the draft (and in its page), the conflict kept the officer's text
    draft = window.session.draft
    assert draft.text("overview") == officer_text
    assert draft.part("measures")["tasks"][5]["text"] == "1.设立知识产权金融专项。\n2.扩大风险补偿资金池。"
    stored = window.store.load(draft.id)
    assert stored.data == draft.data
    assert stored.data["assignments"][0]["status"] == R.BACK
    assert stored.data["assignments"][0]["returned_file"] == str(returned)
    window.wizard.go_to("measures")
    measures = window.wizard.pages_by_key["measures"]
    measures.task_list.setCurrentRow(5)
    assert measures.text.edit.toPlainText() == "1.设立知识产权金融专项。\n2.扩大风险补偿资金池。"
    # history names the file and the department
    latest = window.store.revisions(draft.id)[0]
    assert latest.reason == f"收回分工：市财政局《{returned.name}》"
    assert "measures" in latest.parts
    # nothing is out any more
    assert not window.wizard.overview.out_label.isVisible()


def test_taking_a_conflict_is_the_officers_choice(qtbot, window, tmp_path, monkeypatch):
    from desktop_app.ui import assign_dialogs
    from desktop_app.ui.assign_dialogs import ReceiveDialog

    window.open_sample()
    package = _send(qtbot, window, tmp_path, monkeypatch, ["approach"], department="市科技局")
    record = window.session.draft.data["assignments"][0]
    window.session.draft.set_text("approach", "程序中改过的思路")
    window.session.touch()
    window.session.flush()
    rewrite_area(package, record["id"], {"1": "科技局的思路"})
    assert read_package(package).texts == {"1": "科技局的思路"}
    monkeypatch.setattr(assign_dialogs.QFileDialog, "getOpenFileName", lambda *a, **k: (str(package), ""))

    def take():
        dialog = _dialog(ReceiveDialog)
        assert dialog.ok_button.text() == "不放回，标记为已收回"
        dialog.choose("1", True)
        assert dialog.ok_button.text() == "放回所选（1 处）"
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, take)
    window.assignments.receive()
    assert window.session.draft.text("approach") == "科技局的思路"
    assert window.store.load(window.session.draft.id).text("approach") == "科技局的思路"


def test_a_package_from_another_draft_is_refused(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from desktop_app.ui import assign_dialogs

    window.open_sample()
    package = _send(qtbot, window, tmp_path, monkeypatch, ["approach"])
    window.session.draft.data["assignments"].clear()  # as if it came from some other draft
    monkeypatch.setattr(assign_dialogs.QFileDialog, "getOpenFileName", lambda *a, **k: (str(package), ""))
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    before = window.session.draft.text("approach")
    assert window.assignments.receive() is False
    assert "不是本草稿发出的" in shown[0]
    assert window.session.draft.text("approach") == before


def test_withdrawn_package_is_no_longer_out_and_read_only_drafts_cannot_send(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    window.open_sample()
    _send(qtbot, window, tmp_path, monkeypatch, ["approach"], department="市科技局")
    assert window.wizard.overview.out_label.isVisible()
    monkeypatch.setattr(QInputDialog, "getItem", lambda _p, _t, _l, items, *a, **k: (items[0], True))
    assert window.assignments.withdraw()
    draft = window.store.load(window.session.draft.id)
    assert draft.data["assignments"][0]["status"] == R.WITHDRAWN
    assert window.store.revisions(draft.id)[0].reason == "撤回分工：市科技局"
    assert not window.wizard.overview.out_label.isVisible()
    window._show_read_only(None)
    assert not window.assign_action.isEnabled() and not window.receive_action.isEnabled()


def test_a_bad_file_gets_a_message_and_changes_nothing(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from desktop_app.ui import assign_dialogs

    window.open_sample()
    empty = tmp_path / "回.docx"
    empty.write_bytes(b"")
    monkeypatch.setattr(assign_dialogs.QFileDialog, "getOpenFileName", lambda *a, **k: (str(empty), ""))
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    before = window.store.load(window.session.draft.id).data
    assert window.assignments.receive() is False
    assert "空文件" in shown[0]
    assert QApplication.overrideCursor() is None
    assert window.store.load(window.session.draft.id).data == before
