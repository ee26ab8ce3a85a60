"""What a Book prints, in order, and a check that a PDF prints exactly that.

book_pieces() lists every string the .docx writer puts on paper, in reading
order; compare_pdf_text() walks `pdftotext -raw` output (content-stream order,
which is LibreOffice's drawing order: paragraph by paragraph, cell by cell) and
finds each piece there, character for character, with nothing left over.
Only whitespace and line breaks, page-number footers (— N —) and the 目录's
dot leaders and page numbers (which LibreOffice fills in) are not compared.
"""
from __future__ import annotations

import difflib
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from desktop_app.book.model import (
    AttachmentList, AttachmentPage, Book, Contents, Cover, FormTable, Heading, Letter, Panel, Paragraph,
    Table, Title,
)

_WS = re.compile(r"\s+")
_FOOTER = re.compile(r"^\s*—\s*\d+\s*—\s*$", re.M)
#: What LibreOffice puts after a 目录 entry: a dot leader, then the page number.
_TOC_TAIL = re.compile(r"[.·…]*")


@dataclass(frozen=True)
class Piece:
    text: str
    toc_entry: bool = False
    #: In a table: its header row, which prints again at the top of every page the table runs on.
    repeat: str = ""
    #: A table row's cells: a row split across pages prints the first part of each cell, then
    #: (under the repeated header) the rest of each.
    cells: tuple[str, ...] = ()


def book_pieces(book: Book, panel_bullet: str = "●") -> list[Piece]:
    """Every printed string of `book` in reading order (docx_writer's order)."""
    out: list[Piece] = []
    add = lambda *texts: out.extend(Piece(t) for t in texts if t)  # noqa: E731
    for block in book.blocks():
        if isinstance(block, Cover):
            add(block.mark, block.program_line, block.title)
            add(*(f"{label}：{value}" for label, value in block.fields))
        elif isinstance(block, Contents):
            add(block.title)
            out.extend(Piece(text, toc_entry=True) for text, _ in block.entries)
        elif isinstance(block, Letter):
            add(block.title, *block.paragraphs, block.signer, block.date, block.seal)
        elif isinstance(block, (Title, Heading, Paragraph)):
            add(block.text)
        elif isinstance(block, Table):
            add(block.caption, *(c.header for c in block.columns))
            head = "".join(c.header for c in block.columns)
            out.extend(Piece("".join(row), repeat=head, cells=tuple(row)) for row in block.rows)
        elif isinstance(block, FormTable):
            for label, value in block.rows:
                add(label, value)
        elif isinstance(block, Panel):
            add(block.title, *(f"{panel_bullet}{item}" for item in block.items))
        elif isinstance(block, AttachmentList):
            add(*(f"{'附件：' if n == 1 else ''}{n}.{title}" for n, title in enumerate(block.titles, 1)))
        elif isinstance(block, AttachmentPage):
            add(f"附件{block.number}", block.title, *block.body)
        else:
            raise TypeError(f"book_pieces does not know {type(block).__name__}")
    return out


def squeeze(text: str) -> str:
    return _WS.sub("", text)


def pdf_raw_text(pdf: Path) -> str:
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True,
                          text=True, encoding="utf-8").stdout
    return _FOOTER.sub("", text.replace("\f", "\n"))


@dataclass
class Mismatch:
    piece: str
    printed: str
    at: int

    def __str__(self) -> str:
        ops = difflib.SequenceMatcher(None, self.piece, self.printed, autojunk=False).get_opcodes()
        diffs = [f"{tag}: 写的“{self.piece[i1:i2]}” 印的“{self.printed[j1:j2]}” (第{i1 + 1}字)"
                 for tag, i1, i2, j1, j2 in ops if tag != "equal"]
        return f"at {self.at}: {self.piece[:40]}… → {'; '.join(diffs[:5])}"


def _common(a: str, b: str, at: int) -> int:
    n = 0
    while n < len(a) and at + n < len(b) and a[n] == b[at + n]:
        n += 1
    return n


def _split_row(got: str, pos: int, piece: Piece) -> int | None:
    """Where a table row that LibreOffice split across pages ends in `got`, or None: each
    pass prints a part of every cell in turn, and the header row repeats between passes."""
    cells = [squeeze(c) for c in piece.cells]
    done = [0] * len(cells)
    head = squeeze(piece.repeat)
    while any(d < len(c) for d, c in zip(done, cells)):
        moved = False
        for i, cell in enumerate(cells):
            n = _common(cell[done[i]:], got, pos)
            done[i] += n
            pos += n
            moved = moved or n > 0
        if all(d == len(c) for d, c in zip(done, cells)):
            break
        if head and got.startswith(head, pos):
            pos += len(head)
        elif not moved:
            return None
    return pos


def compare_pdf_text(pieces: list[Piece], printed: str) -> list[Mismatch]:
    """Mismatches between the pieces and the printed text (empty list: every character
    printed, in order, and nothing else). After a mismatch the walk resynchronises on
    the next piece, so one lost mark is reported once, not as the rest of the book."""
    got = squeeze(printed)
    pos = 0
    bad: list[Mismatch] = []
    toc_tail = False
    for piece in pieces:
        want = squeeze(piece.text)
        if not want:
            continue
        if toc_tail:  # a dot leader and a page number of 1–3 digits, whichever lets this piece follow
            start = _TOC_TAIL.match(got, pos).end()
            for end in (start + n for n in range(4)):
                if got[start:end].isdigit() and got.startswith(want, end):
                    pos = end
                    break
        toc_tail = piece.toc_entry
        if piece.repeat:
            head = squeeze(piece.repeat)
            if not got.startswith(want, pos) and got.startswith(head, pos):
                pos += len(head)
        if got.startswith(want, pos):
            pos += len(want)
        elif piece.cells and (end := _split_row(got, pos, piece)) is not None:
            pos = end
        else:
            # The piece as printed: up to where the next few characters after it resume.
            window = got[pos:pos + len(want) + 40]
            sm = difflib.SequenceMatcher(None, want, window, autojunk=False)
            blocks = [b for b in sm.get_matching_blocks() if b.size]
            end = (blocks[-1].b + blocks[-1].size) if blocks else 0
            # keep the tail of want aligned: extend to cover want's last matched character
            bad.append(Mismatch(want, window[:end], pos))
            pos += end
    if toc_tail:
        pos = _TOC_TAIL.match(got, pos).end()
        pos += len(got) - pos if got[pos:].isdigit() else 0
    if pos != len(got):
        bad.append(Mismatch("", got[pos:pos + 80], pos))
    return bad
