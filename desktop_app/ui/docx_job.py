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
        # very file, and the 打印装订清单 its page ranges (app/export.py, as the CLI's export).
        from desktop_app.app.export import write_word

        return write_word(self.request, self._target, progress)
