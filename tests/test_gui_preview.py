"""检查与导出's preview (the composed book on A4 pages) and what follows an export."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices

pytestmark = pytest.mark.gui

SAMPLES = Path(__file__).resolve().parent.parent / "resources" / "samples"


def _export_page(window):
    window.open_sample()
    window.wizard.go_to("export")
    return window.wizard.export_page


def test_preview_lists_the_outline_headings_and_jumps_to_their_page(qtbot, window):
    from desktop_app.book.compose import compose

    page = _export_page(window)
    assert page.preview.page_count() == 0  # built only when its tab is shown
    qtbot.mouseClick(page.tabs.tabBar(), Qt.MouseButton.LeftButton,
                     pos=page.tabs.tabBar().tabRect(1).center())
    assert page.tabs.currentWidget() is page.preview
    book = compose(page.program, page.draft)
    expected = [h.text for h in book.headings()]
    assert "一、建设基础" in expected and "（一）加强顶层设计" in expected
    assert page.preview.heading_texts() == expected
    assert page.preview.headings.topLevelItemCount() == len(expected)
    assert page.preview.page_count() >= 20  # cover, 目录, letter, the plan, attachments
    assert page.tabs.tabText(1) == f"预览（{page.preview.page_count()} 页）"

    # a heading further down is on a later page; clicking it shows that page
    item = page.preview.headings.topLevelItem(len(expected) - 1)
    target = item.data(0, Qt.ItemDataRole.UserRole)
    assert target > 3
    assert item.text(1) == str(target + 1)
    rect = page.preview.headings.visualItemRect(item)
    page.preview.headings.scrollToItem(item)
    rect = page.preview.headings.visualItemRect(item)
    qtbot.mouseClick(page.preview.headings.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.preview.pages.currentRow() == target


def test_preview_follows_the_draft(qtbot, window):
    page = _export_page(window)
    page.show_preview()
    part = next(n for n in page.program.parts() if n.kind == "prose")
    page.draft.part(part.id)["text"] = "（一）新增的一个小标题\n新加的一段正文。"
    page.session.touch()
    window.wizard.refresh_marks()  # what the wizard runs after an edit
    assert "（一）新增的一个小标题" in page.preview.heading_texts()


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.json")))
def test_preview_of_every_program(qtbot, window, sample):
    from desktop_app.book.compose import compose
    from desktop_app.core.exchange import read_draft_file

    draft = read_draft_file(SAMPLES / sample)
    window.store.save(draft)
    window.open_draft(draft.id)
    window.wizard.go_to("export")
    page = window.wizard.export_page
    page.show_preview()
    assert page.preview.heading_texts() == [h.text for h in compose(page.program, draft).headings()]
    assert page.preview.page_count() > 3


def test_open_file_and_folder_after_export(qtbot, window, tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    page = _export_page(window)
    assert not page.open_file.isEnabled() and not page.open_folder.isEnabled()
    out = tmp_path / "申报书.docx"
    page.choose_path = lambda: str(out)
    exported = []
    page.exported.connect(exported.append)
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert out.is_file()
    qtbot.mouseClick(page.open_file, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.open_folder, Qt.MouseButton.LeftButton)
    assert opened == [str(out), str(tmp_path)]
    assert exported == [str(out)]  # once


def test_print_button_only_with_libreoffice(qtbot, window, monkeypatch):
    import desktop_app.book.pdf as pdf

    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    page = _export_page(window)
    page._update_buttons()
    assert not page.print_button.isEnabled()
    assert "LibreOffice" in page.print_button.toolTip()
    monkeypatch.setattr(pdf, "find_soffice", lambda: Path("/usr/bin/soffice"))
    page._update_buttons()
    assert page.print_button.isEnabled()


def test_send_to_printer_uses_lp_then_falls_back_to_the_viewer(tmp_path, monkeypatch):
    import subprocess

    from desktop_app.ui import export_page

    pdf = tmp_path / "申报书.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    monkeypatch.setattr(export_page.sys, "platform", "linux")
    ran = []
    monkeypatch.setattr(export_page.shutil, "which", lambda name: "/usr/bin/lp" if name == "lp" else None)
    monkeypatch.setattr(export_page.subprocess, "run", lambda cmd, **kw: ran.append(cmd) or
                        subprocess.CompletedProcess(cmd, 0, "request id is office-7 (1 file(s))", ""))
    assert "已发送到默认打印机" in export_page.send_to_printer(pdf)
    assert ran == [["lp", str(pdf)]]

    opened = []
    monkeypatch.setattr(export_page.shutil, "which", lambda name: None)
    monkeypatch.setattr(export_page, "open_in_viewer", lambda path: opened.append(str(path)) or True)
    assert "PDF 阅读器" in export_page.send_to_printer(pdf)
    assert opened == [str(pdf)]


def test_print_reports_failure_when_nothing_could_open_the_pdf(tmp_path, monkeypatch):
    """No printer and no viewer: 打印… says it did not print, not 已在 PDF 阅读器中打开."""
    import subprocess

    from desktop_app.ui import export_page

    pdf = tmp_path / "申报书.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    monkeypatch.setattr(export_page.sys, "platform", "linux")
    # lp refuses (no printer); xdg-open finds no program for PDF files (its exit code 3)
    monkeypatch.setattr(export_page.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(export_page.subprocess, "run", lambda cmd, **kw: subprocess.CompletedProcess(
        cmd, 1, "", "lp: Error - No default destination."))

    class NoViewer:
        def __init__(self, cmd, **kw):
            assert cmd == ["/usr/bin/xdg-open", str(pdf)]

        def wait(self, timeout=None):
            return 3

    monkeypatch.setattr(export_page.subprocess, "Popen", NoViewer)
    said = export_page.send_to_printer(pdf)
    assert said.startswith("没能打印") and "已在 PDF 阅读器中打开" not in said and str(pdf) in said


@pytest.mark.libreoffice
def test_print_makes_the_pdf_and_sends_it(qtbot, window, monkeypatch):
    from desktop_app.book.pdf import find_soffice
    from desktop_app.ui import export_page as module

    if find_soffice() is None:
        pytest.skip("LibreOffice is not installed")
    sent = []
    monkeypatch.setattr(module, "send_to_printer", lambda path: sent.append(Path(path)) or "已发送")
    page = _export_page(window)
    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.pdf_busy, timeout=180_000)
    assert len(sent) == 1 and sent[0].read_bytes().startswith(b"%PDF")
    assert page.status.text() == "已发送"
