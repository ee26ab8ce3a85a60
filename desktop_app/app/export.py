"""Export use-cases: the draft's book as Word and as PDF, the same from the window and
from the command line.

What is written is decided here, once: the draft as saved (a snapshot, the officer may
keep typing), the 版式设置 that apply to it (app/layout.py), and the export time (a clock
the caller may pin; SOURCE_DATE_EPOCH pins it from outside). The window runs
write_word / write_pdf in a worker thread (ui/book_job.py); the command line calls
them directly.
"""
from __future__ import annotations

import copy
import datetime as dt
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.core.draft import Draft
from desktop_app.core.store import DraftStore

if TYPE_CHECKING:
    from desktop_app.book.layout import Layout

Clock = Callable[[], dt.datetime]


@dataclass(frozen=True)
class BookRequest:
    """Everything a book is made from: written by either face, the bytes are the same."""

    draft: Draft
    layout: Layout
    when: dt.datetime
    #: Where a PDF export records each part's pages for the 打印装订清单 (DraftStore's
    #: record_writer, safe from a worker thread); None: not recorded.
    records: Callable[[str, str, str | None], None] | None = None


def book_request(store: DraftStore | None, draft: Draft, clock: Clock | None = None) -> BookRequest:
    """Snapshot the draft with its layout settings and the export time."""
    from desktop_app.app.layout import book_layout
    from desktop_app.book.docx_writer import export_time

    return BookRequest(Draft(copy.deepcopy(draft.data)), book_layout(store, draft.id),
                       (clock or export_time)(), store.record_writer() if store is not None else None)


def write_word(request: BookRequest, target: str | os.PathLike) -> Path:
    """导出 Word 申报书: the .docx at `target` (replaced atomically); ExportError on failure."""
    from desktop_app.book.export import export_docx

    return export_docx(request.draft, target, request.layout, when=request.when)


def write_pdf(request: BookRequest, target: str | os.PathLike,
              progress: Callable[[str], None] | None = None) -> tuple[Path, dict]:
    """导出 PDF: the Word book in a temporary folder, turned into `target` by LibreOffice.
    Returns the PDF and where each bound part starts in it ({} when unknown)."""
    from desktop_app.book.pdf import convert_to_pdf

    say = progress or (lambda _text: None)
    with tempfile.TemporaryDirectory(prefix="pca-export-", ignore_cleanup_errors=True) as tmp:
        say("正在生成 Word 申报书…")
        docx = write_word(request, Path(tmp) / "申报书.docx")
        sections: dict = {}
        pdf = convert_to_pdf(docx, target, progress=say, sections=sections)
    if sections and request.records is not None:
        _record_pages(request, pdf, sections)
    return pdf, sections


def _record_pages(request: BookRequest, pdf: Path, sections: dict) -> None:
    """Keep each part's first page for the 打印装订清单 (with the draft, in DraftStore); the PDF
    is made whether or not this works — the sheet then asks for a PDF export, as before one."""
    from desktop_app.book.bind_sheet import record_pdf_pages
    from desktop_app.core.store import StoreError

    assert request.records is not None
    try:
        record_pdf_pages(request.draft, pdf, sections["starts"], sections["total"], request.records)
    except StoreError:
        pass


def export_word(store: DraftStore, draft_id: str, target: str | os.PathLike, clock: Clock | None = None) -> Path:
    """A stored draft's Word book, as the window writes it (the command line's export --draft)."""
    return write_word(book_request(store, store.load(draft_id), clock), target)
