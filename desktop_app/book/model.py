"""Book: the one intermediate model of the printed application.

compose() builds it from a Program and a Draft; the .docx writer and the in-app
preview both read it, so what the officer previews is what prints. Blocks are
plain data with no knowledge of Word.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Title:
    """A document title (2号小标宋, centred)."""

    text: str


@dataclass(frozen=True)
class Heading:
    """A numbered heading. `rank` is the numbering form (1 一、 · 2 （一） · 3 1. · 4 （1））
    and picks the font; `level` is the depth in the outline (1 = top) for the TOC."""

    text: str
    rank: int
    level: int
    anchor: str | None = None


@dataclass(frozen=True)
class Paragraph:
    """Body text. role: body (indented 2 chars) · note (〔牵头…〕) · plain (no indent) ·
    center · right · signer and date (a signature: the date 4 characters in from the right,
    the signer lines before it centred over it)."""

    text: str
    role: str = "body"


@dataclass(frozen=True)
class Column:
    header: str
    width_mm: float
    align: str = "left"  # left | center | right (numbers)


@dataclass(frozen=True)
class Table:
    """A real table; the header row repeats on every printed page."""

    caption: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    anchor: str | None = None


@dataclass(frozen=True)
class FormTable:
    """A filled-in form: bordered rows of label beside value, no header row (the
    项目申报书). Labels print in 黑体, centred; values as table text."""

    rows: tuple[tuple[str, str], ...]
    label_width_mm: float = 36


@dataclass(frozen=True)
class Panel:
    """专栏: a boxed list of key projects under a measure."""

    title: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class Cover:
    """The book's cover: program line, title, the applicant's fields, a sample mark."""

    program_line: str
    title: str
    fields: tuple[tuple[str, str], ...]
    mark: str = ""


@dataclass(frozen=True)
class Letter:
    """信用承诺书: fixed paragraphs, signing body, seal mark and date."""

    title: str
    paragraphs: tuple[str, ...]
    signer: str
    seal: str
    date: str


@dataclass(frozen=True)
class AttachmentList:
    """附件：1.×××  2.×××  — one line below the body, wrapped lines aligned."""

    titles: tuple[str, ...]


@dataclass(frozen=True)
class AttachmentPage:
    """One attachment: 附件N flush left, its title centred on line 3, then any body
    the program writes itself (the indicator notes); other attachments are
    supplied on paper and only their first page is printed here."""

    number: int
    title: str
    body: tuple[str, ...] = ()


@dataclass(frozen=True)
class Contents:
    """目录: a TOC field over headings of outline level ≤ `levels`, with the entries
    pre-filled (without page numbers) so the page reads sensibly before any update."""

    title: str
    entries: tuple[tuple[str, int], ...]  # (text, level)
    levels: int = 2


Block = (Contents | Title | Heading | Paragraph | Table | FormTable | Panel | Cover | Letter | AttachmentList
         | AttachmentPage)


@dataclass
class Section:
    """One bound part of the book; each starts on a right-hand page.
    kind: cover | toc | letter | application_form | plan | attachments."""

    kind: str
    name: str
    blocks: list[Block] = field(default_factory=list)
    numbered: bool = True
    restart_numbering: bool = False


@dataclass
class Book:
    """The whole application in binding order."""

    title: str
    sections: list[Section] = field(default_factory=list)
    #: Who hands the book in (the 申报单位): the .docx's author and company.
    applicant: str = ""

    def blocks(self):
        for section in self.sections:
            yield from section.blocks

    def headings(self) -> list[Heading]:
        return [b for b in self.blocks() if isinstance(b, Heading)]
