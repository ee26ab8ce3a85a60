"""DocxJob: the Word book written off the UI thread.

Composing and writing a 60-page book, and the first import of python-docx in a
session, froze the window when done in the UI thread; the job's thread does it
from a snapshot of the draft (see ui/book_job.py for the signals).
"""
from __future__ import annotations

from pathlib import Path

from desktop_app.ui.book_job import BookJob


class DocxJob(BookJob):
    what = "导出 Word 申报书"
    thread_name = "docx-export"

    def work(self, progress) -> Path:
        # With LibreOffice the 目录 gets its page numbers from LibreOffice's layout of this
        # very file (book/toc_pages.py), and the 打印装订清单 its page ranges.
        from desktop_app.book.toc_pages import export_docx_with_pages
        from desktop_app.ui.pdf_job import _record_pages

        # LibreOffice gets less time here than for a PDF: without it the book is still written
        path, book_layout = export_docx_with_pages(self._draft, self._target, self._layout, progress=progress,
                                                   timeout=45)
        if book_layout is not None:
            _record_pages(self._draft, path, book_layout.as_sections())
        return path
