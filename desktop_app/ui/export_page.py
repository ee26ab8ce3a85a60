"""检查与导出: the findings in full, a preview of the book, and the Word / PDF export buttons.

The preview (预览 tab) is the PDF itself when LibreOffice is there: opening the page
warms the program's one LibreOffice up in the background (book/office.py), showing the
tab has it make the PDF 导出 PDF would write (ui/pdf_job.PreviewJob) and draw it page by
page; after that, every edit of the draft — once edits settle for PREVIEW_SETTLE_MS —
makes a fresh one in the background, the old pages marked as old meanwhile.

After an export the file can be opened, or its folder shown, with the system's own
programs; 打印… (when LibreOffice is there) makes the PDF in a temporary folder and
hands it to the system for printing (see send_to_printer).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QTabWidget, QVBoxLayout,
)

from desktop_app.ui.page_base import DraftPage
from desktop_app.ui.preview import BookPreview
from desktop_app.ui.session import DraftSession

#: Temporary folders of PDFs sent to print, removed when the program ends.
_KEPT_PRINT_DIRS: list[tempfile.TemporaryDirectory] = []
#: The PDF preview is made again this long after the last edit (typing does not start one per key).
PREVIEW_SETTLE_MS = 800
#: LibreOffice is warmed up this long after the page is shown (not for a page merely passed through).
WARM_UP_MS = 1000


class ExportPage(DraftPage):
    """检查与导出: what is still missing, and the export button.

    Signals:
        go_to(str, str): the officer clicked a gap; page key and field.
        exported(str): a book was written to this path (.docx, or .pdf from 导出 PDF…).

    导出 Word 申报书… runs a DocxJob (ui/docx_job.py) and 导出 PDF… a PdfJob (ui/pdf_job.py):
    the book is written, and LibreOffice works, off the UI thread while the status line
    shows the progress and both export buttons wait.
    """

    key = "export"
    go_to = Signal(str, str)
    exported = Signal(str)

    def __init__(self, session: DraftSession, parent=None):
        super().__init__(session, "检查与导出", parent)
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.gap_list = QListWidget()
        self.gap_list.itemActivated.connect(self._on_gap)
        self.gap_list.itemClicked.connect(self._on_gap)
        # 检查结果 and 预览 share the page: the preview is built only when its tab is shown.
        self.tabs = QTabWidget()
        self.tabs.addTab(self.gap_list, "检查结果")
        self.preview = BookPreview()
        self.tabs.addTab(self.preview, "预览")
        self.tabs.currentChanged.connect(lambda _i: self._refresh_preview_if_shown())
        self._preview_stale = True
        # the PDF preview (with LibreOffice)
        self._preview_job = None  # the running PreviewJob
        self._preview_again = False  # the draft changed while it ran
        self._preview_key: str | None = None  # fingerprint of the draft the shown pages are of
        self._preview_wanted = False  # the preview was opened: keep it current
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_SETTLE_MS)
        self._preview_timer.timeout.connect(self._start_pdf_preview)
        self._warm_timer = QTimer(self)
        self._warm_timer.setSingleShot(True)
        self._warm_timer.setInterval(WARM_UP_MS)
        self._warm_timer.timeout.connect(self._warm_up)
        session.edited.connect(self._on_draft_edited)
        layout.addWidget(self.tabs, 1)
        buttons = QHBoxLayout()
        self.export_button = QPushButton("导出 Word 申报书…")
        self.export_button.setDefault(False)
        self.pdf_button = QPushButton("导出 PDF…")
        self.print_button = QPushButton("打印…")
        self.open_file = QPushButton("打开文件")
        self.open_file.setEnabled(False)
        self.open_folder = QPushButton("打开所在文件夹")
        self.open_folder.setEnabled(False)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_file)
        buttons.addWidget(self.open_folder)
        self.bind_button = QPushButton("打印装订清单…")
        self.bind_button.clicked.connect(self.show_bind_sheet)
        buttons.addWidget(self.bind_button)
        layout.addLayout(buttons)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.export_button.clicked.connect(self.export_book)
        self.pdf_button.clicked.connect(self.export_pdf)
        self.open_folder.clicked.connect(self._open_folder)
        self.open_file.clicked.connect(self._open_file)
        self.print_button.clicked.connect(self.print_book)
        self._print_dir: tempfile.TemporaryDirectory | None = None
        self._last_path: Path | None = None
        self._pdf_job = None  # the running PdfJob, if any
        self._docx_job = None  # the running DocxJob, if any
        self._update_buttons()

    def initializePage(self) -> None:
        # The list itself is refreshed by the wizard on every arrival, back or forward.
        self._update_buttons()  # LibreOffice may have been installed meanwhile

    def refresh(self, findings=None) -> None:
        """The same findings as the checks panel, in full width before exporting."""
        if findings is None:
            from desktop_app.core.rules import run_checks

            findings = run_checks(self.program, self.draft)
        self.gap_list.clear()
        icons = {"error": "✖", "warning": "⚠", "hint": "ℹ"}
        for f in findings:
            item = QListWidgetItem(f"{icons.get(f.severity, '•')} {f.message}")
            item.setData(Qt.ItemDataRole.UserRole, (f.page, f.field))
            self.gap_list.addItem(item)
        self.tabs.setTabText(0, f"检查结果（{len(findings)}）")
        self._preview_stale = True
        if not self._warm_timer.isActive():
            self._warm_timer.start()
        self._refresh_preview_if_shown()
        errors = sum(f.severity == "error" for f in findings)
        if not findings:
            text = "已按指南检查，没有发现问题，可以导出。"
        elif errors:
            text = (f"<span style='color:#b3261e'>有 {errors} 个错误须在提交前改正</span>，"
                    f"另有 {len(findings) - errors} 条警告或提示（点击条目可跳转）；也可先导出查看效果。")
        else:
            text = f"没有错误；有 {len(findings)} 条警告或提示，请逐条确认（点击条目可跳转）。"
        self.summary.setText(text)

    def _refresh_preview_if_shown(self) -> None:
        """The real PDF's pages when LibreOffice (and pdftoppm) are there, else Qt's approximation."""
        if self.tabs.currentWidget() is not self.preview:
            return
        if self.pdf_preview_possible():
            self._preview_wanted = True
            if self._preview_fingerprint() != self._preview_key:
                self.preview.set_stale(self.preview.mode == "pdf")
                self._preview_timer.stop()
                self._start_pdf_preview()
            return
        if not self._preview_stale:
            return
        from desktop_app.book.compose import compose
        from desktop_app.core.textrender import TemplateTextError

        try:
            book = compose(self.program, self.draft)
        except TemplateTextError as exc:  # the program's own text is broken: say so, keep the page
            self.preview.caption.setText(f"无法预览：{exc}")
            return
        self.preview.show_book(book, self.session.layout())
        self.tabs.setTabText(1, f"预览（约 {self.preview.page_count()} 页）")
        self._preview_stale = False

    # the PDF preview ---------------------------------------------------------------------
    @staticmethod
    def pdf_preview_possible() -> bool:
        """LibreOffice is there: the preview is the PDF (its pages drawn when pdftoppm is there too)."""
        from desktop_app.book.pdf import find_soffice

        return find_soffice() is not None

    def _warm_up(self) -> None:
        """Start LibreOffice in the background, so the first PDF or preview needs no start."""
        from desktop_app.book.pdf import find_soffice

        if self.isVisible() and find_soffice() is not None:
            from desktop_app.book import office

            office.warm_up()

    def _preview_layout(self):
        """The 版式设置 now; the last one read when the draft store has just been closed
        (a preview job may report back after the draft was closed)."""
        from desktop_app.core.store import StoreError

        try:
            self._layout_seen = self.session.layout()
        except StoreError:
            pass
        return getattr(self, "_layout_seen", None)

    def _preview_fingerprint(self) -> str:
        """Changes whenever what is printed could change: the draft or the 版式设置."""
        text = json.dumps(self.draft.data, ensure_ascii=False, sort_keys=True) + repr(self._preview_layout())
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def _on_draft_edited(self) -> None:
        if not self._preview_wanted:
            return
        if self.preview.mode == "pdf" and not self.preview.stale:
            self.preview.set_stale(True)
        self._preview_timer.start()  # restarted by every edit: one PDF once the edits settle

    def _start_pdf_preview(self) -> None:
        from desktop_app.ui.pdf_job import PreviewJob

        key = self._preview_fingerprint()
        if self._preview_job is not None:
            if key != self._preview_job.fingerprint:
                self._preview_again = True
                self._preview_job.cancelled = True  # no need to draw pages of a draft gone by
            return
        if key == self._preview_key:
            self.preview.set_stale(False)
            return
        job = PreviewJob(self.draft, self._preview_layout(), self.preview.thumb_width_px(), key,
                         self.session.store.record_writer())
        job.laid_out.connect(self._preview_laid_out)
        job.pages_ready.connect(self.preview.set_page_images)
        job.failed.connect(self._preview_failed)
        job.finished.connect(self._preview_finished)
        self._preview_job = job
        self._preview_again = False
        if self.preview.mode != "pdf":
            self.preview.caption.setText("正在用 LibreOffice 生成与导出的 PDF 相同的预览…")
        job.start()

    def _preview_laid_out(self, book_layout) -> None:
        job = self._preview_job
        if job is None:
            return
        from desktop_app.book.pdf import find_pdftoppm

        self.preview.show_layout(book_layout, dt.datetime.now().strftime("%H:%M:%S"),
                                 drawable=find_pdftoppm() is not None)
        self._preview_key = job.fingerprint
        self.tabs.setTabText(1, f"预览（{book_layout.pages} 页）")
        if job.fingerprint != self._preview_fingerprint():
            self.preview.set_stale(True)

    def _preview_failed(self, message: str) -> None:
        import html

        self.preview.set_stale(True, f"预览未能更新：{html.escape(message)}")

    def _preview_finished(self) -> None:
        self._preview_job = None
        if self._preview_again:
            self._preview_timer.start()

    def wait_for_preview(self, timeout_s: float = 240) -> bool:
        """Run the event loop until the preview shows the draft as it is now, every page
        drawn (for the self-test and tests); False when that takes longer than timeout_s."""
        import time

        from PySide6.QtCore import QCoreApplication, QEventLoop

        end = time.monotonic() + timeout_s
        while time.monotonic() < end:
            if not self.preview_busy and (self.preview.mode != "pdf" or self.preview.complete()):
                return True
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            time.sleep(0.005)
        return False

    @property
    def preview_busy(self) -> bool:
        return self._preview_job is not None or self._preview_timer.isActive()

    def show_preview(self) -> None:
        self.tabs.setCurrentWidget(self.preview)
        self._refresh_preview_if_shown()

    def _on_gap(self, item: QListWidgetItem) -> None:
        page, field = item.data(Qt.ItemDataRole.UserRole)
        self.go_to.emit(page, field)

    def choose_path(self) -> str:
        """Ask where to save (a method of its own so tests can answer for the officer)."""
        name = f"{self.draft.city}{self.program.short_name}申报书.docx"
        start = str(Path.home() / name)
        path, _ = QFileDialog.getSaveFileName(self, "导出 Word 申报书", start, "Word 文档 (*.docx)")
        return path

    def export_book(self) -> None:
        """Write the Word book where the officer chooses. A DocxJob writes it in its own
        thread, as the PDF export does: this returns at once, the window keeps taking input,
        and `exported` (or the failure on the status line) follows when the book is written."""
        from desktop_app.ui.docx_job import DocxJob

        if self.pdf_busy or self.docx_busy:
            return
        path = self.choose_path()
        if not path:
            return
        if not path.lower().endswith(".docx"):
            path += ".docx"
        self.session.flush()
        job = DocxJob(self.draft, path, self.session.layout(), self.session.store.record_writer())
        job.progress.connect(self._docx_progress)  # with LibreOffice: the 目录's page numbers
        job.succeeded.connect(self._docx_succeeded)
        job.failed.connect(self._docx_failed)
        job.finished.connect(self._docx_finished)
        self._docx_job = job
        self._update_buttons()
        self.status.setText("正在导出 Word 申报书…")
        job.start()

    @property
    def docx_busy(self) -> bool:
        return self._docx_job is not None

    def _docx_progress(self, text: str) -> None:
        self.status.setText(f"正在导出 Word 申报书：{text}")

    def _docx_succeeded(self, path: str) -> None:
        self._exported_to(path)

    def _docx_failed(self, message: str) -> None:
        import html

        self.status.setText(f"<span style='color:#b3261e'>导出失败：{html.escape(message)}</span>")

    def _docx_finished(self) -> None:
        self._docx_job = None
        self._update_buttons()

    # PDF ---------------------------------------------------------------------------
    @property
    def pdf_busy(self) -> bool:
        return self._pdf_job is not None

    def _update_buttons(self) -> None:
        from desktop_app.book.pdf import find_soffice

        busy = self.pdf_busy or self.docx_busy
        has_office = find_soffice() is not None
        self.export_button.setEnabled(not busy)
        self.pdf_button.setEnabled(has_office and not busy)
        self.print_button.setEnabled(has_office and not busy)
        self.print_button.setToolTip(
            "用 LibreOffice 生成 PDF 后交给系统打印" if has_office else
            "未找到 LibreOffice：请先导出 Word 申报书，用 Word/WPS 打开后打印。")
        self.pdf_button.setToolTip(
            "用 LibreOffice 把申报书转成 PDF（目录页码随之更新）" if has_office else
            "未找到 LibreOffice：安装 LibreOffice 后可在此直接导出 PDF；"
            "也可先导出 Word 申报书，再用 Word/WPS 另存为 PDF。"
        )

    def choose_pdf_path(self) -> str:
        """Ask where to save the PDF (a method of its own so tests can answer for the officer)."""
        name = f"{self.draft.city}{self.program.short_name}申报书.pdf"
        start = str(Path.home() / name)
        path, _ = QFileDialog.getSaveFileName(self, "导出 PDF 申报书", start, "PDF 文件 (*.pdf)")
        return path

    def export_pdf(self) -> None:
        from desktop_app.ui.pdf_job import PdfJob

        if self.pdf_busy or self.docx_busy:
            return
        path = self.choose_pdf_path()
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        self.session.flush()
        job = PdfJob(self.draft, path, self.session.layout(), self.session.store.record_writer())
        job.progress.connect(self._pdf_progress)
        job.succeeded.connect(self._pdf_succeeded)
        job.failed.connect(self._pdf_failed)
        job.finished.connect(self._pdf_finished)
        self._pdf_job = job
        self._update_buttons()
        self.status.setText("正在导出 PDF…")
        job.start()

    def _pdf_progress(self, text: str) -> None:
        self.status.setText(f"正在导出 PDF：{text}")

    def _pdf_succeeded(self, path: str) -> None:
        if self._print_dir is not None:  # 打印…: the PDF goes to the printer, not the officer's folders
            self._print_pdf_ready(path)
            return
        self._exported_to(path)

    def _pdf_failed(self, message: str) -> None:
        import html

        self.status.setText(f"<span style='color:#b3261e'>PDF 导出失败：{html.escape(message)}</span>")

    def _pdf_finished(self) -> None:
        self._pdf_job = None
        self._update_buttons()

    def show_bind_sheet(self) -> None:
        """打印装订清单 (ui/bind_sheet_dialog.py): check it before exporting, print it on its own."""
        from desktop_app.ui.bind_sheet_dialog import BindSheetDialog

        self.session.flush()
        self.bind_sheet_dialog = BindSheetDialog(self.session, self)
        self.bind_sheet_dialog.show()

    # after an export -----------------------------------------------------------------
    def _exported_to(self, path: str) -> None:
        self._last_path = Path(path)
        self.open_file.setEnabled(True)
        self.open_folder.setEnabled(True)
        self.status.setText(f"已导出：{path}")
        self.exported.emit(path)

    def _open_file(self) -> None:
        """The book in the program the system opens .docx/.pdf with (Word, WPS, a PDF viewer)."""
        if self._last_path and not QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._last_path))):
            self.status.setText(f"系统没有能打开 {self._last_path.suffix} 文件的程序；文件在：{self._last_path}")

    def _open_folder(self) -> None:
        if self._last_path:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._last_path.parent)))

    # 打印… ---------------------------------------------------------------------------
    def print_book(self) -> None:
        """Make the PDF in a temporary folder (the same PdfJob as 导出 PDF…), then print it."""
        from desktop_app.ui.pdf_job import PdfJob

        if self.pdf_busy or self.docx_busy:
            return
        self.session.flush()
        self._print_dir = tempfile.TemporaryDirectory(prefix="pca-print-", ignore_cleanup_errors=True)
        job = PdfJob(self.draft, Path(self._print_dir.name) / "申报书.pdf", self.session.layout(),
                     self.session.store.record_writer())
        job.progress.connect(self._pdf_progress)
        job.succeeded.connect(self._pdf_succeeded)
        job.failed.connect(self._print_failed)
        job.finished.connect(self._pdf_finished)
        self._pdf_job = job
        self._update_buttons()
        self.status.setText("正在生成打印用的 PDF…")
        job.start()

    def _print_failed(self, message: str) -> None:
        self._print_dir = None
        self._pdf_failed(message)

    def _print_pdf_ready(self, path: str) -> None:
        # The folder stays until the program ends: the printer or viewer reads the file later.
        _KEPT_PRINT_DIRS.append(self._print_dir)
        self._print_dir = None
        how = send_to_printer(Path(path))
        if how.startswith(PRINT_FAILED):  # a failure reads as one
            import html

            how = f"<span style='color:#b3261e'>{html.escape(how)}</span>"
        self.status.setText(how)


def send_to_printer(pdf: Path) -> str:
    """Hand the PDF to the system; what happened, for the status line.

    Windows: the shell's "print" verb of the PDF reader (it prints to the default printer,
    Edge/Acrobat/WPS each show their own progress). Linux: `lp` (CUPS) when present,
    else the PDF opens in the desktop's viewer, whose 打印 does the rest.
    """
    if sys.platform == "win32":
        try:
            os.startfile(str(pdf), "print")  # noqa: S606 — the user's own file, the shell's verb
            return f"已发送到默认打印机（PDF：{pdf}）"
        except OSError:
            pass  # no reader registered for printing: open it instead
    elif shutil.which("lp"):
        result = subprocess.run(["lp", str(pdf)], capture_output=True, text=True, timeout=60)
        if result.returncode == 0:
            return f"已发送到默认打印机：{result.stdout.strip() or pdf.name}"
    if open_in_viewer(pdf):
        return f"已在 PDF 阅读器中打开，请在其中选择“打印”（PDF：{pdf}）"
    return (f"{PRINT_FAILED}：这台电脑没有可用的打印机，也没有能打开 PDF 的程序。"
            f"PDF 已生成在：{pdf}，请复制到能打印的电脑上打开后打印。")


#: How a failed 打印… begins (the status line shows it in red).
PRINT_FAILED = "没能打印"


def open_in_viewer(pdf: Path) -> bool:
    """Open the PDF in the desktop's viewer; True only when one really opened it.

    On Linux QDesktopServices says yes as soon as xdg-open is started, even when no
    program takes the file: xdg-open's own answer is waited for here (a viewer still
    running after three seconds has opened it)."""
    if sys.platform.startswith("linux"):
        opener = shutil.which("xdg-open")
        if opener is None:
            return False
        try:
            proc = subprocess.Popen([opener, str(pdf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except OSError:
            return False
        try:
            return proc.wait(timeout=3) == 0
        except subprocess.TimeoutExpired:
            return True
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(pdf)))
