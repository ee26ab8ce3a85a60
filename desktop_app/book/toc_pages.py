"""The .docx's own 目录 with page numbers, from LibreOffice's layout of the same file (no Qt).

docx_writer.py writes the 目录 as a TOC field whose cached result is the list of
headings without page numbers: Word and WPS offer to update fields on open, and an
officer who declines would print a 目录 without numbers. When LibreOffice is there,
export_docx_with_pages() has it lay out the very .docx (book/pdf.make_pdf, which
updates the index exactly as for the PDF), and fill_toc_pages() writes the page
labels LibreOffice put in its 目录 into the field's cached result — a tab and the
number after each entry, which the toc styles' right tab with dot leader sets at
the margin. The field itself stays, so updating it in Word still works.

The layout is not changed by the numbers: each entry keeps its line (LibreOffice's
own 目录 had the same text and numbers when it laid the book out).
"""
from __future__ import annotations

import os
import re
import tempfile
import zipfile
from pathlib import Path

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_Q = f"{{{_W}}}"


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _toc_paragraphs(body) -> list:
    """The paragraphs of the TOC field's result, in order (empty when there is no TOC field)."""
    paragraphs = list(body.iter(f"{_Q}p"))
    for i, p in enumerate(paragraphs):
        instr = "".join(t.text or "" for t in p.iter(f"{_Q}instrText"))
        if not instr.strip().upper().startswith("TOC"):
            continue
        found = []
        depth = 0
        for q in paragraphs[i:]:
            found.append(q)
            for fld in q.iter(f"{_Q}fldChar"):
                kind = fld.get(f"{_Q}fldCharType")
                if kind == "begin":
                    depth += 1
                elif kind == "end":
                    depth -= 1
            if depth <= 0:
                return found
        return found
    return []


def _entry_text(p) -> str:
    """The visible text of an entry: runs after the field's separate mark in its paragraph."""
    text = []
    for r in p.iter(f"{_Q}r"):
        for child in r:
            if child.tag == f"{_Q}t":
                text.append(child.text or "")
    return "".join(text)


def fill_toc_xml(document_xml: bytes, toc: list[tuple[str, str]]) -> tuple[bytes, int]:
    """document.xml with page labels after the TOC result's entries; (xml, entries filled)."""
    from lxml import etree

    root = etree.fromstring(document_xml)
    body = root.find(f"{_Q}body")
    paragraphs = _toc_paragraphs(body) if body is not None else []
    wanted = [(_norm(text), page) for text, page in toc if str(page).strip()]
    filled = 0
    at = 0
    for p in paragraphs:
        text = _norm(_entry_text(p))
        if not text or p.find(f".//{_Q}tab") is not None:
            continue  # nothing to number, or numbered already
        hit = next((k for k in range(at, len(wanted)) if wanted[k][0] == text), None)
        if hit is None:
            continue
        at = hit + 1
        page = str(wanted[hit][1])
        tab_run = etree.Element(f"{_Q}r")
        etree.SubElement(tab_run, f"{_Q}tab")
        page_run = etree.Element(f"{_Q}r")
        t = etree.SubElement(page_run, f"{_Q}t")
        t.text = page
        # the entry's own run properties (font) for the number too
        last_text_run = [r for r in p.findall(f"{_Q}r") if r.find(f"{_Q}t") is not None]
        if last_text_run and last_text_run[-1].find(f"{_Q}rPr") is not None:
            from copy import deepcopy

            page_run.insert(0, deepcopy(last_text_run[-1].find(f"{_Q}rPr")))
        # before the field's end mark when it is in this paragraph, else at the end
        end_run = next((r for r in p.findall(f"{_Q}r")
                        if any(f.get(f"{_Q}fldCharType") == "end" for f in r.findall(f"{_Q}fldChar"))), None)
        if end_run is not None:
            end_run.addprevious(tab_run)
            end_run.addprevious(page_run)
        else:
            p.append(tab_run)
            p.append(page_run)
        filled += 1
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True), filled


def fill_toc_pages(docx: str | os.PathLike, toc: list[tuple[str, str]]) -> int:
    """Write the page labels into the .docx's TOC result, replacing the file atomically.
    Returns how many entries got a number (0: the file is left as it was)."""
    docx = Path(docx)
    if not toc:
        return 0
    with zipfile.ZipFile(docx) as zin:
        data, filled = fill_toc_xml(zin.read("word/document.xml"), toc)
        if not filled:
            return 0
        fd, tmp = tempfile.mkstemp(prefix=".toc-", suffix=".docx", dir=docx.parent)
        os.close(fd)
        try:
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
                for item in zin.infolist():
                    zout.writestr(item, data if item.filename == "word/document.xml" else zin.read(item.filename))
        except BaseException:
            os.unlink(tmp)
            raise
    os.replace(tmp, docx)
    return filled


def export_docx_with_pages(draft, target: str | os.PathLike, layout=None, pdf: str | os.PathLike | None = None,
                           progress=None, timeout: float = 120, when=None):
    """export_docx(), then — when LibreOffice is there — its 目录 numbered from LibreOffice's
    layout of that file, and the PDF written to `pdf` if given.

    Returns (docx path, BookLayout or None). Without LibreOffice, or when it fails and
    no PDF was asked for, the .docx is exactly export_docx()'s (None for the layout);
    a PDF asked for that fails raises PdfError, the .docx being written already. `when`:
    the export time the file carries (export_docx; default now).
    """
    from desktop_app.book.export import export_docx
    from desktop_app.book.pdf import PdfError, find_soffice, make_pdf, scratch

    target = Path(target)
    with scratch("pca-docx-", timeout) as tmp:
        local = export_docx(draft, Path(tmp) / "申报书.docx", layout, when=when)
        book_layout = None
        if find_soffice() is not None:
            say = progress
            if progress is not None and not pdf:  # no PDF asked for: do not talk of one
                said: list[str] = []

                def say(_text: str) -> None:
                    if not said:
                        said.append(_text)
                        progress("正在用 LibreOffice 排版，为目录填上页码…")
            try:
                book_layout = make_pdf(local, Path(pdf) if pdf else Path(tmp) / "申报书.pdf", say, timeout)
            except PdfError:
                if pdf:
                    export_docx(draft, target, layout, when=when)
                    raise
            if book_layout is not None and book_layout.toc:
                fill_toc_pages(local, book_layout.toc)
        from desktop_app.core.exchange import atomic_write_bytes

        try:
            atomic_write_bytes(target, local.read_bytes())
        except OSError:
            export_docx(draft, target, layout, when=when)  # its own Chinese message for the officer
    return target, book_layout
