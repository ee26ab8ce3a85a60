"""PdfJob: the book as PDF, made off the UI thread.

The job's thread writes the .docx into a temporary folder and has LibreOffice turn
it into the chosen .pdf (desktop_app.book.pdf), reporting each step by `progress`
(see ui/book_job.py for the signals).
"""
from __future__ import annotations

from pathlib import Path

from desktop_app.ui.book_job import BookJob, wait_for_all  # noqa: F401  (re-exported for callers)


class PdfJob(BookJob):
    what = "导出 PDF"
    thread_name = "pdf-export"

    def work(self, progress) -> Path:
        from desktop_app.app.export import write_pdf

        pdf, sections = write_pdf(self.request, self._target, progress)
        if sections:
            _record_pages(self._draft, pdf, sections)
        return pdf


def _record_pages(draft, pdf: Path, sections: dict) -> None:
    """Keep each part's first page for the 打印装订清单; the PDF is made whether or not this works."""
    from desktop_app.book.bind_sheet import record_pdf_pages

    try:
        record_pdf_pages(draft, pdf, sections["starts"], sections["total"])
    except OSError:
        pass  # the sheet then says 导出 PDF 后显示页码, as before any export
