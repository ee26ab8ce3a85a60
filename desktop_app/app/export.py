"""Export use-cases: the draft's book as Word and as PDF, the same from the window and
from the command line.

What is written is decided here, once: the draft as saved (a snapshot, the officer may
keep typing), the 版式设置 that apply to it (app/layout.py), and the export time (a clock
the caller may pin; SOURCE_DATE_EPOCH pins it from outside). With LibreOffice the Word
book's 目录 is numbered from LibreOffice's layout of that very file (book/toc_pages.py),
and each part's pages are recorded with the draft for the 打印装订清单. The window runs
these in worker threads (ui/docx_job.py, ui/pdf_job.py); the command line calls them
directly.
"""
from __future__ import annotations

import copy
import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.core.draft import Draft
from desktop_app.core.store import DraftStore

if TYPE_CHECKING:
    from desktop_app.book.layout import Layout

Clock = Callable[[], dt.datetime]
Progress = Callable[[str], None]
#: LibreOffice's time to number the 目录 of a Word export (the book is written without it after).
WORD_TOC_TIMEOUT_S = 45


@dataclass(frozen=True)
class BookRequest:
    """Everything a book is made from: written by either face, the bytes are the same."""

    draft: Draft
    layout: Layout
    when: dt.datetime
    #: Where each part's pages are recorded for the 打印装订清单 (DraftStore.record_writer(),
    #: safe from a worker thread); None: not recorded.
    records: Callable[[str, str, str | None], None] | None = None


def book_request(store: DraftStore | None, draft: Draft, clock: Clock | None = None) -> BookRequest:
    """Snapshot the draft with its layout settings and the export time."""
    from desktop_app.app.layout import book_layout
    from desktop_app.book.clock import export_time

    return BookRequest(Draft(copy.deepcopy(draft.data)), book_layout(store, draft.id),
                       (clock or export_time)(), store.record_writer() if store is not None else None)


def write_word(request: BookRequest, target: str | os.PathLike, progress: Progress | None = None) -> Path:
    """导出 Word 申报书: the .docx at `target` (replaced atomically; ExportError on failure),
    its 目录 numbered by LibreOffice when it is there."""
    from desktop_app.book.toc_pages import export_docx_with_pages

    path, layout = export_docx_with_pages(request.draft, target, request.layout, progress=progress,
                                          timeout=WORD_TOC_TIMEOUT_S, when=request.when)
    if layout is not None:
        record_pages(request, path, layout.as_sections())
    return path


def write_word_and_pdf(request: BookRequest, target: str | os.PathLike, pdf: str | os.PathLike,
                       progress: Progress | None = None):
    """export --pdf: the .docx (its 目录 numbered from LibreOffice's layout) and the PDF
    beside it from that one layout. Returns (docx path, BookLayout or None without
    LibreOffice); PdfError when the PDF fails (the .docx is written)."""
    from desktop_app.book.toc_pages import export_docx_with_pages

    path, layout = export_docx_with_pages(request.draft, target, request.layout, pdf=pdf, progress=progress,
                                          when=request.when)
    if layout is not None:
        record_pages(request, Path(pdf), layout.as_sections())
    return path, layout


def write_pdf(request: BookRequest, target: str | os.PathLike, progress: Progress | None = None) -> tuple[Path, dict]:
    """导出 PDF: the Word book in a scratch folder, turned into `target` by the warm
    LibreOffice. Returns the PDF and where each bound part starts in it ({} when unknown)."""
    from desktop_app.book.export import export_docx
    from desktop_app.book.pdf import convert_to_pdf, scratch

    say = progress or (lambda _text: None)
    with scratch("pca-export-") as tmp:
        say("正在生成 Word 申报书…")
        docx = export_docx(request.draft, Path(tmp) / "申报书.docx", request.layout, when=request.when)
        sections: dict = {}
        pdf = convert_to_pdf(docx, target, progress=say, sections=sections)
    record_pages(request, pdf, sections)
    return pdf, sections


def record_pages(request: BookRequest, pdf: Path, sections: dict) -> None:
    """Keep each part's first page for the 打印装订清单 (with the draft, in DraftStore); the
    book is made whether or not this works — the sheet then asks for a PDF, as before one."""
    from desktop_app.book.bind_sheet import record_pdf_pages
    from desktop_app.core.store import StoreError

    if request.records is None or not sections.get("starts"):
        return
    try:
        record_pdf_pages(request.draft, pdf, sections["starts"], sections["total"], request.records)
    except StoreError:
        pass


def export_word(store: DraftStore, draft_id: str, target: str | os.PathLike, clock: Clock | None = None) -> Path:
    """A stored draft's Word book, as the window writes it (the command line's export --draft)."""
    return write_word(book_request(store, store.load(draft_id), clock), target)
