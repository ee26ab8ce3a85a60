"""检查与导出: the findings in full, and the Word / PDF export buttons."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout,
)

from desktop_app.ui.pages import DraftPage
from desktop_app.ui.session import DraftSession


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
        layout.addWidget(self.summary)
        self.gap_list = QListWidget()
        self.gap_list.itemActivated.connect(self._on_gap)
        self.gap_list.itemClicked.connect(self._on_gap)
        layout.addWidget(self.gap_list, 1)
        buttons = QHBoxLayout()
        self.export_button = QPushButton("导出 Word 申报书…")
        self.export_button.setDefault(False)
        self.pdf_button = QPushButton("导出 PDF…")
        self.open_folder = QPushButton("打开所在文件夹")
        self.open_folder.setEnabled(False)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.open_folder)
        buttons.addStretch(1)
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
        errors = sum(f.severity == "error" for f in findings)
        if not findings:
            text = "已按指南检查，没有发现问题，可以导出。"
        elif errors:
            text = (f"<span style='color:#b3261e'>有 {errors} 个错误须在提交前改正</span>，"
                    f"另有 {len(findings) - errors} 条警告或提示（点击条目可跳转）；也可先导出查看效果。")
        else:
            text = f"没有错误；有 {len(findings)} 条警告或提示，请逐条确认（点击条目可跳转）。"
        self.summary.setText(text)

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
        thread; this returns once the book is written (or has failed), the window
        repainting and taking input meanwhile instead of freezing."""
        from desktop_app.ui.docx_job import DocxJob

        if self.pdf_busy or self.docx_busy:
            return
        path = self.choose_path()
        if not path:
            return
        if not path.lower().endswith(".docx"):
            path += ".docx"
        self.session.flush()
        job = DocxJob(self.draft, path, self.session.layout())
        job.succeeded.connect(self._docx_succeeded)
        job.failed.connect(self._docx_failed)
        job.finished.connect(self._docx_finished)
        self._docx_job = job
        self._update_buttons()
        self.status.setText("正在导出 Word 申报书…")
        job.start()
        # Nothing after this: the page may be gone by then (the officer went back to the
        # draft list); the job's signals reach it only while it exists.
        job.wait_responsive()

    @property
    def docx_busy(self) -> bool:
        return self._docx_job is not None

    def _docx_succeeded(self, path: str) -> None:
        self._last_path = Path(path)
        self.open_folder.setEnabled(True)
        self.status.setText(f"已导出：{path}")
        self.exported.emit(path)

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
        job = PdfJob(self.draft, path, self.session.layout())
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
        self._last_path = Path(path)
        self.open_folder.setEnabled(True)
        self.status.setText(f"已导出：{path}")
        self.exported.emit(path)

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

    def _open_folder(self) -> None:
        if self._last_path:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._last_path.parent)))
