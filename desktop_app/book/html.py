"""Book → HTML for the in-app preview (ui/preview.py lays it out on A4 pages).

It reads the same Book the .docx writer writes, block by block, with the layout's
fonts and sizes, so the preview shows what prints: the same sections (each from a
new page), headings, tables and 专栏. Only the outline's Headings become <h1>–<h4>,
so the preview can find them in order for its heading list. Qt's rich text is a
subset of HTML/CSS: tables carry their borders as attributes, and sizes are pt.
"""
from __future__ import annotations

from html import escape

from desktop_app.book.layout import Layout
from desktop_app.book.model import (
    AttachmentList, AttachmentPage, Book, Contents, Cover, FormTable, Heading, Letter, Panel, Paragraph, Table,
    Title,
)

# Where the Windows fonts of the standard are missing (Linux, a bare Windows), Qt
# falls back through these to a CJK font that is there.
_FALLBACK = {"serif": "'Noto Serif CJK SC', 'SimSun', serif", "sans": "'Noto Sans CJK SC', 'SimHei', sans-serif"}


def _family(name: str, kind: str = "serif") -> str:
    return f"'{name}', {_FALLBACK[kind]}"


def _lines(text: str) -> str:
    return "<br/>".join(escape(line) for line in str(text).split("\n"))


class HtmlWriter:
    def __init__(self, layout: Layout | None = None):
        self.layout = layout or Layout()
        lay = self.layout
        self.body_pt = lay.body_size_pt
        self.pitch_pt = lay.line_pitch / 20  # 22 lines to the type area
        self.indent_pt = 2 * lay.body_size_pt  # 首行缩进两字
        self.out: list[str] = []

    # plain helpers ------------------------------------------------------------------
    def p(self, text: str, *, family: str | None = None, size: float | None = None, align: str = "justify",
          indent: bool = False, bold: bool = False, page_break: bool = False, tag: str = "p",
          space_before: float = 0) -> None:
        lay = self.layout
        style = [f"font-family:{family or _family(lay.fonts.body)}", f"font-size:{size or self.body_pt}pt",
                 f"text-align:{align}", "margin:0"]
        if space_before:
            style.append(f"margin-top:{space_before:.1f}pt")
        if indent:
            style.append(f"text-indent:{self.indent_pt:.0f}px")  # Qt takes px; the preview lays out in pt
        if bold:
            style.append("font-weight:bold")
        if page_break:
            style.append("page-break-before:always")
        self.out.append(f"<{tag} style=\"{';'.join(style)}\">{_lines(text) if text else '&nbsp;'}</{tag}>")

    def blank(self, n: int = 1) -> None:
        for _ in range(n):
            self.p("")

    # blocks -------------------------------------------------------------------------
    def block(self, block, page_break: bool) -> None:
        lay, fonts = self.layout, self.layout.fonts
        if isinstance(block, Title):
            self.p(block.text, family=_family(fonts.title), size=lay.title_size_pt, align="center",
                   page_break=page_break)
            self.blank()
        elif isinstance(block, Heading):
            family, bold = {1: (_family(fonts.hei, "sans"), False), 2: (_family(fonts.kai), False),
                            3: (_family(fonts.body), lay.bold_rank3)}.get(block.rank, (_family(fonts.body), False))
            self.p(block.text, family=family, bold=bold, indent=True, tag=f"h{min(max(block.level, 1), 4)}",
                   page_break=page_break)
        elif isinstance(block, Paragraph):
            align = {"center": "center", "right": "right", "signer": "right", "date": "right"}.get(block.role, "justify")
            note_family = _family(fonts.kai) if block.role == "note" else None
            self.p(block.text, family=note_family, align=align, indent=block.role in ("body", "note"),
                   page_break=page_break)
        elif isinstance(block, Table):
            self.table(block, page_break)
        elif isinstance(block, FormTable):
            self.form_table(block, page_break)
        elif isinstance(block, Panel):
            self.panel(block, page_break)
        elif isinstance(block, Cover):
            self.cover(block, page_break)
        elif isinstance(block, Letter):
            self.letter(block, page_break)
        elif isinstance(block, AttachmentList):
            self.blank()
            for n, title in enumerate(block.titles, 1):
                self.p(f"附件：{n}.{title}" if n == 1 else f"{n}.{title}", indent=True)
        elif isinstance(block, AttachmentPage):
            self.p(f"附件{block.number}", family=_family(fonts.hei, "sans"), align="left", page_break=page_break)
            self.blank()
            self.p(block.title, family=_family(fonts.title), size=lay.title_size_pt, align="center")
            if block.body:
                self.blank()
                for text in block.body:
                    self.p(text, indent=True)
        elif isinstance(block, Contents):
            self.p(block.title, family=_family(fonts.title), size=lay.title_size_pt, align="center",
                   page_break=page_break)
            self.blank()
            for text, level in block.entries:
                self.p(("　　" * (level - 1)) + text, align="left")
        else:  # a new block kind must be taught to the preview, never dropped
            raise TypeError(f"unknown book block {type(block).__name__}")

    def cover(self, cover: Cover, page_break: bool) -> None:
        fonts = self.layout.fonts
        self.p("", page_break=page_break)
        self.blank(2)
        self.p(cover.mark, family=_family(fonts.hei, "sans"), align="center")
        self.p(cover.program_line, family=_family(fonts.kai), align="center")
        self.blank(2)
        self.p(cover.title, family=_family(fonts.title), size=26, align="center")
        self.blank(6)
        for label, value in cover.fields:
            self.p(f"{label}：{value}", align="left", indent=True)

    def letter(self, letter: Letter, page_break: bool) -> None:
        self.p(letter.title, family=_family(self.layout.fonts.title), size=self.layout.title_size_pt,
               align="center", page_break=page_break)
        self.blank()
        for text in letter.paragraphs:
            self.p(text, indent=True)
        self.blank(3)
        for text in (letter.signer, letter.date, letter.seal):
            self.p(text + "　　　　", align="right")

    def _table_open(self, page_break: bool, border: int = 1) -> str:
        style = "border-collapse:collapse" + (";page-break-before:always" if page_break else "")
        return (f"<table width=\"100%\" border=\"{border}\" cellspacing=\"0\" cellpadding=\"4\" "
                f"style=\"{style};border-color:#000\">")

    def _cell(self, text: str, *, head: bool = False, align: str = "left", width: str = "") -> str:
        fonts = self.layout.fonts
        family = _family(fonts.hei, "sans") if head else _family(fonts.song)
        w = f" width=\"{width}\"" if width else ""
        return (f"<td{w} align=\"{'center' if head else align}\" valign=\"middle\" "
                f"style=\"font-family:{family};font-size:{self.layout.table_size_pt}pt\">{_lines(text)}</td>")

    def table(self, block: Table, page_break: bool) -> None:
        if block.caption:
            self.p(block.caption, family=_family(self.layout.fonts.hei, "sans"), size=self.layout.table_size_pt,
                   align="center", page_break=page_break)
            page_break = False
        total = sum(c.width_mm for c in block.columns) or 1
        widths = [f"{c.width_mm / total * 100:.0f}%" for c in block.columns]
        rows = ["<tr>" + "".join(self._cell(c.header, head=True, width=w) for c, w in zip(block.columns, widths))
                + "</tr>"]
        for values in block.rows:
            cells = [self._cell(v, align=c.align) for c, v in zip(block.columns, values)]
            cells += [self._cell("")] * (len(block.columns) - len(values))
            rows.append("<tr>" + "".join(cells) + "</tr>")
        self.out.append(self._table_open(page_break) + "".join(rows) + "</table>")
        self.blank()

    def form_table(self, block: FormTable, page_break: bool) -> None:
        label_w = f"{block.label_width_mm / 156 * 100:.0f}%"
        rows = "".join(f"<tr>{self._cell(label, head=True, width=label_w)}{self._cell(value)}</tr>"
                       for label, value in block.rows)
        self.out.append(self._table_open(page_break) + rows + "</table>")
        self.blank()

    def panel(self, panel: Panel, page_break: bool) -> None:
        fonts = self.layout.fonts
        items = "".join(f"<p style=\"font-family:{_family(fonts.kai)};font-size:{self.layout.table_size_pt + 2}pt;"
                        f"margin:2pt 4pt\">●{escape(t)}</p>" for t in panel.items)
        head = (f"<p align=\"center\" style=\"font-family:{_family(fonts.hei, 'sans')};"
                f"font-size:{self.layout.table_size_pt + 2}pt;margin:2pt\">{escape(panel.title)}</p>")
        self.out.append(self._table_open(page_break, border=2) + f"<tr><td>{head}{items}</td></tr></table>")
        self.blank()

    def write(self, book: Book) -> str:
        first_section = True
        for section in book.sections:
            for n, block in enumerate(section.blocks):
                # every section starts on a new page; so does each attachment
                brk = (n == 0 and not first_section) or (n > 0 and isinstance(block, AttachmentPage))
                self.block(block, brk)
            first_section = False
        return "<html><body>" + "\n".join(self.out) + "</body></html>"


def book_to_html(book: Book, layout: Layout | None = None) -> str:
    return HtmlWriter(layout).write(book)
