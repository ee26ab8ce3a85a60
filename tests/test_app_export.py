"""One book from either face: the window's 导出 Word 申报书 and `python -m desktop_app export
--draft ID` write the same bytes, 版式设置 included; the settings live with the draft in
DraftStore and go when it is deleted."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import pytest

from conftest import ROOT

#: Pins the export time for both faces (the reproducible-builds convention).
EPOCH = "1700000000"


def _cli(*args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="utf-8", SOURCE_DATE_EPOCH=EPOCH, **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "desktop_app", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=180)


@pytest.mark.gui
def test_cli_export_of_a_draft_equals_the_windows_byte_for_byte(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtCore import Qt

    from desktop_app.ui.layout_dialog import LayoutDialog

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    window.open_sample()
    draft_id = window.session.draft.id
    # 版式设置 for this draft, through the dialog as the officer sets them
    dialog = LayoutDialog(window.store, window, draft_id)
    qtbot.addWidget(dialog)
    dialog.widgets["font_body"].setCurrentText("仿宋")
    dialog.widgets["mirror_margins"].setChecked(True)
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    # the window's export: 检查与导出 › 导出 Word 申报书…
    window.wizard.go_to("export")
    page = window.wizard.export_page
    from_window = tmp_path / "window.docx"
    page.choose_path = lambda: str(from_window)
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.docx_busy, timeout=60_000)
    assert from_window.is_file(), page.status.text()
    window.session.flush()
    # the command line's, from the same store
    from_cli = tmp_path / "cli.docx"
    result = _cli("--db", str(window.store.path), "export", "--draft", draft_id, "--out", str(from_cli))
    assert result.returncode == 0, result.stderr
    styles = zipfile.ZipFile(from_cli).read("word/styles.xml").decode()
    assert 'w:eastAsia="仿宋"' in styles and "仿宋_GB2312" not in styles  # the draft's 版式设置 applied
    assert "<w:mirrorMargins/>" in zipfile.ZipFile(from_cli).read("word/settings.xml").decode()
    assert from_cli.read_bytes() == from_window.read_bytes()


def test_layout_settings_belong_to_the_draft_and_go_with_it(store, sample_draft):
    from desktop_app.app.layout import book_layout, layout_settings, save_layout_settings
    from desktop_app.core.draft import Draft

    store.save(sample_draft)
    other = Draft({**sample_draft.data, "id": "other"})
    store.save(other)
    assert layout_settings(store, sample_draft.id) == {}
    save_layout_settings(store, {"font_body": "仿宋"}, sample_draft.id)
    assert book_layout(store, sample_draft.id).fonts.body == "仿宋"
    # the last saved is the default for drafts without their own …
    assert layout_settings(store, "other") == {"font_body": "仿宋"}
    save_layout_settings(store, {"font_body": "仿宋_GB2312"}, "other")
    # … and a draft's own settings stay its own
    assert book_layout(store, sample_draft.id).fonts.body == "仿宋"
    assert set(store.draft_records(sample_draft.id)) == {"layout"}
    store.delete(sample_draft.id)
    assert store.draft_records(sample_draft.id) == {}
    assert store.draft_records("other") == {"layout": '{"font_body": "仿宋_GB2312"}'}


def test_draft_records_of_similar_ids_stay_apart(store):
    for draft_id in ("a", "a/b", 'a"', "a/"):
        store.set_draft_record(draft_id, "x", draft_id)
    store.set_meta("draft/a", "not a record")
    assert store.draft_records("a") == {"x": "a"}
    assert store.draft_records("a/b") == {"x": "a/b"}
    assert store.get_meta("draft/a") == "not a record"


def test_the_same_request_gives_the_same_bytes_at_any_moment(sample_draft, tmp_path, monkeypatch):
    import datetime as dt

    from desktop_app.app.export import book_request, write_word

    when = dt.datetime(2026, 3, 1, 9, 30)
    first = write_word(book_request(None, sample_draft, clock=lambda: when), tmp_path / "1.docx").read_bytes()
    second = write_word(book_request(None, sample_draft, clock=lambda: when), tmp_path / "2.docx").read_bytes()
    assert first == second
    dates = {i.date_time for i in zipfile.ZipFile(tmp_path / "1.docx").infolist()}
    assert dates == {(2026, 3, 1, 9, 30, 0)}
