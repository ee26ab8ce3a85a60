"""PdfJob: the book as PDF, made off the UI thread; PreviewJob: the same PDF for the
preview, drawn page by page.

The job's thread writes the .docx into a temporary folder and has the program's warm
LibreOffice turn it into the chosen .pdf (desktop_app.book.pdf), reporting each step by
`progress` (see ui/book_job.py for the signals). Both record where each part starts,
from that layout, for the 打印装订清单.
"""
from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QImage

from desktop_app.ui.book_job import BookJob, wait_for_all  # noqa: F401  (re-exported for callers)


class PdfJob(BookJob):
    what = "导出 PDF"
    thread_name = "pdf-export"

    def work(self, progress) -> Path:
        from desktop_app.app.export import write_pdf

        pdf, _sections = write_pdf(self.request, self._target, progress)  # pages recorded there
        return pdf


class PreviewJob(BookJob):
    """The PDF the program would export, made in a scratch folder, then drawn `width_px` wide.

    Extra signals (emitted from the job's thread, delivered in the UI thread):
        laid_out(object): the BookLayout, as soon as the PDF is made (page count, parts,
            headings) — before any page is drawn.
        pages_ready(int, list): page pictures (QImage) from this page index (from 0) on.
    """

    what = "生成预览"
    thread_name = "pdf-preview"
    laid_out = Signal(object)
    pages_ready = Signal(int, list)
    #: Pages drawn by the first call of pdftoppm (what is on screen first), then per call.
    FIRST_CHUNK = 4
    CHUNK = 12

    def __init__(self, draft, layout, width_px: int, fingerprint: str = "", records=None):
        """`records`: DraftStore.record_writer() of the draft's library (each part's pages go there)."""
        super().__init__(draft, "预览.pdf", layout, records)
        self.width_px = width_px
        self.fingerprint = fingerprint
        self.cancelled = False  # set from the UI thread: stop drawing, the draft has moved on
        self.book_layout = None
        #: seconds: .docx written, PDF made, every page drawn (from the job's start)
        self.timings: dict[str, float] = {}

    def work(self, progress) -> Path:
        from desktop_app.app.export import record_pages
        from desktop_app.book.export import export_docx
        from desktop_app.book.pdf import find_pdftoppm, make_pdf, render_pages, scratch
        from desktop_app.ui.preview import frame_page

        started = time.monotonic()
        # inside the warm LibreOffice's folder: gone with it, however the program ends
        with scratch("pca-preview-") as folder:
            docx = export_docx(self._draft, folder / "预览.docx", self._layout, when=self.request.when)
            self.timings["docx"] = time.monotonic() - started
            pdf = folder / "预览.pdf"
            book_layout = make_pdf(docx, pdf, progress=progress)
            self.timings["pdf"] = time.monotonic() - started
            self.book_layout = book_layout
            self.laid_out.emit(book_layout)
            record_pages(self.request, pdf, book_layout.as_sections())
            first, chunk = 1, self.FIRST_CHUNK
            if find_pdftoppm() is None:  # Windows without poppler: page count and outline only
                first = book_layout.pages + 1
            while first <= book_layout.pages and not self.cancelled:
                last = min(book_layout.pages, first + chunk - 1)
                files = render_pages(pdf, folder, self.width_px, first, last)
                # decoded and framed here, not in the UI thread
                images = [frame_page(QImage(str(f))) for f in files]
                for f in files:
                    f.unlink(missing_ok=True)
                self.pages_ready.emit(first - 1, images)
                first, chunk = last + 1, self.CHUNK
            self.timings["pages"] = time.monotonic() - started
        return Path("预览.pdf")
