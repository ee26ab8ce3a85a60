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

        pdf, _sections = write_pdf(self.request, self._target, progress)  # pages recorded there
        return pdf
