"""检查与导出's preview and what follows an export.

With LibreOffice the preview is the exported PDF itself (page count == the PDF's, for
every sample and the large draft); without, Qt's approximation, labelled as such.
"""
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


@pytest.fixture
def approximate(monkeypatch):
    """The preview as on a computer without LibreOffice."""
    from desktop_app.ui.export_page import ExportPage

    monkeypatch.setattr(ExportPage, "pdf_preview_possible", staticmethod(lambda: False))


def test_preview_lists_the_outline_headings_and_jumps_to_their_page(qtbot, window, approximate):
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
    assert page.tabs.tabText(1) == f"预览（约 {page.preview.page_count()} 页）"
    assert "近似预览" in page.preview.caption.text()  # its page count is not shown as a fact

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


def test_preview_follows_the_draft(qtbot, window, approximate):
    page = _export_page(window)
    page.show_preview()
    part = next(n for n in page.program.parts() if n.kind == "prose")
    page.draft.part(part.id)["text"] = "（一）新增的一个小标题\n新加的一段正文。"
    page.session.touch()
    window.wizard.refresh_marks()  # what the wizard runs after an edit
    assert "（一）新增的一个小标题" in page.preview.heading_texts()


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.json")))
def test_preview_of_every_program(qtbot, window, sample, approximate):
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
    qtbot.waitUntil(lambda: not page.docx_busy, timeout=60_000)
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


# the real pages (LibreOffice) ---------------------------------------------------------------------
def _needs_pdf_preview(draw: bool = True):
    from desktop_app.book.pdf import find_pdftoppm
    from desktop_app.ui.export_page import ExportPage

    if not ExportPage.pdf_preview_possible() or (draw and find_pdftoppm() is None):
        pytest.skip("needs LibreOffice and pdftoppm")


def _wait_for_preview(qtbot, page, timeout=240_000):
    qtbot.waitUntil(lambda: not page.preview_busy and page.preview.mode == "pdf"
                    and page.preview.drawn_count() == page.preview.page_count() > 0, timeout=timeout)


def _pdf_pages(pdf) -> int:
    import re
    import subprocess

    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def _drafts():
    from bench.large_draft import make_large_draft
    from desktop_app.core.exchange import read_draft_file

    found = [(p.stem, lambda p=p: read_draft_file(p)) for p in sorted(SAMPLES.glob("*.json"))]
    return found + [("large_draft", make_large_draft)]


@pytest.mark.libreoffice
@pytest.mark.parametrize("name,make", _drafts(), ids=[n for n, _m in _drafts()])
def test_preview_is_the_exported_pdf_page_for_page(qtbot, window, tmp_path, name, make):
    """Page count, each heading's page and the 目录 of the preview are the exported PDF's."""
    _needs_pdf_preview()
    from desktop_app.book.export import export_docx
    from desktop_app.book.pdf import convert_to_pdf
    from desktop_app.book.pdf_facts import read_pdf_facts

    draft = make()
    window.store.save(draft)
    window.open_draft(draft.id)
    window.wizard.go_to("export")
    page = window.wizard.export_page
    page.show_preview()
    _wait_for_preview(qtbot, page)
    shown = page.preview.page_count()

    # the PDF as 导出 PDF… makes it, separately
    pdf = convert_to_pdf(export_docx(draft, tmp_path / "书.docx", page.session.layout()), tmp_path / "书.pdf")
    assert shown == _pdf_pages(pdf)
    assert page.tabs.tabText(1) == f"预览（{shown} 页）"
    assert f"共 {shown} 页" in page.preview.caption.text() and "近似" not in page.preview.caption.text()
    facts = read_pdf_facts(pdf)
    assert [(t, lvl, p - 1) for t, lvl, p in facts.outline] == page.preview._heading_pages
    # a heading's row jumps to its real page
    item = page.preview.headings.topLevelItem(page.preview.headings.topLevelItemCount() - 1)
    page.preview.headings.scrollToItem(item)
    qtbot.mouseClick(page.preview.headings.viewport(), Qt.MouseButton.LeftButton,
                     pos=page.preview.headings.visualItemRect(item).center())
    assert page.preview.pages.currentRow() == facts.outline[-1][2] - 1


@pytest.mark.libreoffice
def test_preview_follows_edits_in_the_background_and_says_it_is_stale(qtbot, window):
    _needs_pdf_preview()
    page = _export_page(window)
    page.show_preview()
    _wait_for_preview(qtbot, page)
    before = page.preview.page_count()
    part = next(n for n in page.program.parts() if n.kind == "prose")
    page.draft.part(part.id)["text"] = "（一）新增的一个小标题\n" + "新加的一段正文。" * 400
    page.session.touch()
    # at once: the old pages are still shown, and said to be old
    assert page.preview.stale and "正在重新生成预览" in page.preview.caption.text()
    assert page.preview.page_count() == before
    _wait_for_preview(qtbot, page)
    assert not page.preview.stale and "正在重新生成" not in page.preview.caption.text()
    assert "（一）新增的一个小标题" in page.preview.heading_texts()
    assert page.preview.page_count() > before


@pytest.mark.libreoffice
def test_bind_sheet_has_the_preview_pages(qtbot, window):
    """The 打印装订清单 knows each part's pages once the preview was made (no PDF export)."""
    _needs_pdf_preview()
    from desktop_app.book.bind_sheet import build_bind_sheet, load_pdf_pages, page_ranges

    page = _export_page(window)
    page.show_preview()
    _wait_for_preview(qtbot, page)
    sheet = build_bind_sheet(page.program, page.draft, load_pdf_pages(page.draft, page.session.store))
    assert all(p.pages for p in sheet.parts), sheet.pages_note
    total = page.preview.page_count()
    assert sheet.parts[-1].pages[1] == total and "此后草稿已修改" not in sheet.pages_note
    assert [p.pages for p in sheet.parts] == page_ranges([p.pages[0] for p in sheet.parts], total)


@pytest.mark.libreoffice
def test_without_pdftoppm_the_preview_still_has_the_pdfs_pages_and_outline(qtbot, window, monkeypatch):
    """Windows rarely has poppler: the page count and outline are still the PDF's, and it says why
    the pages are not drawn."""
    _needs_pdf_preview(draw=False)
    from desktop_app.book import pdf

    monkeypatch.setattr(pdf, "find_pdftoppm", lambda: None)
    page = _export_page(window)
    page.show_preview()
    assert page.wait_for_preview()
    assert page.preview.mode == "pdf" and page.preview.complete() and page.preview.drawn_count() == 0
    assert page.preview.page_count() > 30 and "没有 pdftoppm" in page.preview.caption.text()
    assert page.tabs.tabText(1) == f"预览（{page.preview.page_count()} 页）"
    assert "1.概述" in page.preview.heading_texts()
