"""The yardstick for the export: the same text written by plain python-docx, no layout.

content(book) flattens a composed Book into paragraphs and tables (outside any
timing); write_plain() then does what a minimal script would: Document(),
add_paragraph() per paragraph, add_table() with cell.text per cell, a 1×1 table
per 专栏, save(). No styles, fonts, sections, footers, fields, widths or borders —
what the real writer adds on top of this is its layout cost.
"""
from __future__ import annotations

import dataclasses
import os

from desktop_app.book import model

Paragraphs = tuple[str, ...]
Grid = tuple[tuple[str, ...], ...]


def content(book: model.Book) -> list[tuple[str, object]]:
    """[("p", text) | ("table", rows) | ("panel", (title, items))] in book order."""
    out: list[tuple[str, object]] = []
    p = lambda text: text and out.append(("p", text))  # noqa: E731

    for block in book.blocks():
        if isinstance(block, (model.Title, model.Heading, model.Paragraph)):
            p(block.text)
        elif isinstance(block, model.Table):
            p(block.caption)
            out.append(("table", (tuple(c.header for c in block.columns), *block.rows)))
        elif isinstance(block, model.Panel):
            out.append(("panel", (block.title, block.items)))
        elif isinstance(block, model.Cover):
            for text in (block.mark, block.program_line, block.title):
                p(text)
            for label, value in block.fields:
                p(f"{label}：{value}")
        elif isinstance(block, model.Letter):
            for text in (block.title, *block.paragraphs, block.signer, block.date, block.seal):
                p(text)
        elif isinstance(block, model.AttachmentList):
            for n, title in enumerate(block.titles, 1):
                p(f"{n}.{title}")
        elif isinstance(block, model.AttachmentPage):
            for text in (f"附件{block.number}", block.title, *block.body):
                p(text)
        elif isinstance(block, model.Contents):
            p(block.title)
            for text, _level in block.entries:
                p(text)
        else:  # a block kind added later: its strings as paragraphs, its row tuples as a table
            for field in dataclasses.fields(block):
                value = getattr(block, field.name)
                if isinstance(value, str):
                    p(value)
                elif isinstance(value, tuple) and value and all(isinstance(r, tuple) for r in value):
                    out.append(("table", value))
                elif isinstance(value, tuple):
                    for v in value:
                        if isinstance(v, str):
                            p(v)
    return out


def write_plain(items: list[tuple[str, object]], path: str | os.PathLike) -> None:
    from docx import Document

    doc = Document()
    for kind, value in items:
        if kind == "p":
            doc.add_paragraph(value)
        elif kind == "table":
            rows: Grid = value
            table = doc.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for row, values in zip(table.rows, rows):
                for cell, text in zip(row.cells, values):
                    cell.text = str(text)
        else:
            title, entries = value
            cell = doc.add_table(rows=1, cols=1).rows[0].cells[0]
            cell.text = title
            for entry in entries:
                cell.add_paragraph(entry)
    doc.save(str(path))
