"""Book → .docx laid out per GB/T 9704-2012 (figures in book/layout.py).

Formatting lives in named paragraph styles, not on runs, so the file stays small,
fast to write, and an officer who edits it in Word or WPS keeps the look.
"""
from __future__ import annotations

import io
import os
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT, WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, Twips

from desktop_app.book.layout import CJK_CHAR, Layout
from desktop_app.book.model import (
    AttachmentList, AttachmentPage, Book, Contents, Cover, Heading, Letter, Panel, Paragraph, Section,
    Table, Title,
)
from desktop_app.book.ooxml import (
    add_field, field_begin, field_end, set_fonts, set_ppr, set_rpr, set_setting, set_size,
)
from desktop_app.core.exchange import atomic_write_bytes

_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
          "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}


class DocxWriter:
    """Writes one Book into a new python-docx Document."""

    def __init__(self, layout: Layout | None = None):
        self.layout = layout or Layout()
        self.doc = Document()
        self.styles: dict[str, object] = {}
        self._setup_document()

    # document-wide settings ----------------------------------------------------
    def _setup_document(self) -> None:
        lay, fonts = self.layout, self.layout.fonts
        styles_el = self.doc.styles.element
        rpr_default = styles_el.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        set_fonts(rpr_default, fonts.body, fonts.latin)
        set_size(rpr_default, lay.body_size_pt)
        set_rpr(rpr_default, "w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA")
        settings = self.doc.settings.element
        set_setting(settings, "w:themeFontLang", val="en-US", eastAsia="zh-CN")
        # Odd pages carry the number on the right, even pages on the left.
        set_setting(settings, "w:evenAndOddHeaders")
        if lay.mirror_margins:
            set_setting(settings, "w:mirrorMargins")
        # Word and WPS offer to refresh the 目录's page numbers when the file opens.
        set_setting(settings, "w:updateFields", val="true")
        self._make_styles()
        self._setup_section(self.doc.sections[0])

    def _style(self, key: str, name: str, *, east_asia: str, size: float, bold: bool = False,
               align: str = "justify", first_line: int = 0, line: int | None = None,
               snap: bool = True, outline: int | None = None, base: str | None = None):
        lay = self.layout
        if key == "body":
            style = self.doc.styles["Normal"]
        else:
            style = self.doc.styles.add_style(f"plan-{key}", WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = self.doc.styles["Normal"]
            style.element.find(qn("w:name")).set(qn("w:val"), name)
        style.quick_style = True
        rpr = style.element.get_or_add_rPr()
        set_fonts(rpr, east_asia, lay.fonts.latin)
        set_size(rpr, size)
        set_rpr(rpr, "w:b", val="1" if bold else "0")
        set_rpr(rpr, "w:bCs", val="1" if bold else "0")
        set_rpr(rpr, "w:color", val="000000")
        if key in ("body", "note"):
            set_rpr(rpr, "w:spacing", val=str(lay.char_spacing))
        else:
            set_rpr(rpr, "w:spacing", val="0")
        pf = style.paragraph_format
        pf.alignment = _ALIGN[align]
        pf.first_line_indent = Twips(first_line)
        pf.left_indent = Twips(0)
        pf.space_before = Pt(0)
        pf.space_after = Pt(0)
        pf.line_spacing = Twips(line or lay.line_pitch)
        pf.line_spacing_rule = 4  # WD_LINE_SPACING.EXACTLY
        pf.widow_control = False
        # A heading or a table's title never ends a page alone.
        pf.keep_with_next = key.startswith("h") or key in ("caption", "title", "panelhead")
        ppr = style.element.get_or_add_pPr()
        if not snap:
            set_ppr(ppr, "w:snapToGrid", val="0")
        if outline is not None:
            set_ppr(ppr, "w:outlineLvl", val=str(outline))
        self.styles[key] = style
        return style

    def _make_styles(self) -> None:
        lay, f = self.layout, self.layout.fonts
        size = lay.body_size_pt
        self._style("body", "Normal", east_asia=f.body, size=size, first_line=2 * CJK_CHAR)
        self._style("note", "方案-牵头部门", east_asia=f.body, size=size, first_line=2 * CJK_CHAR)
        self._style("plain", "方案-无缩进", east_asia=f.body, size=size, align="left")
        self._style("title", "方案-标题", east_asia=f.title, size=lay.title_size_pt, align="center",
                    snap=False, line=round(lay.line_pitch * 1.2))
        self._style("h1", "方案-一级标题", east_asia=f.hei, size=size, first_line=2 * CJK_CHAR, outline=0)
        self._style("h2", "方案-二级标题", east_asia=f.kai, size=size, first_line=2 * CJK_CHAR, outline=1)
        self._style("h3", "方案-三级标题", east_asia=f.body, size=size, first_line=2 * CJK_CHAR,
                    bold=lay.bold_rank3, outline=2)
        self._style("h4", "方案-四级标题", east_asia=f.body, size=size, first_line=2 * CJK_CHAR, outline=3)
        table_line = round(lay.table_size_pt * 20 * 1.5)
        self._style("cell", "表格-正文", east_asia=f.body, size=lay.table_size_pt, align="left",
                    line=table_line, snap=False)
        self._style("cellhead", "表格-表头", east_asia=f.hei, size=lay.table_size_pt, align="center",
                    line=table_line, snap=False)
        self._style("caption", "表格-表题", east_asia=f.hei, size=size, align="center")
        self._style("panelhead", "专栏-标题", east_asia=f.hei, size=14, align="center",
                    line=round(14 * 20 * 1.6), snap=False)
        self._style("panelitem", "专栏-条目", east_asia=f.kai, size=14, align="left",
                    line=round(14 * 20 * 1.6), snap=False)
        self._style("pagenum", "页码", east_asia=f.song, size=lay.page_number_size_pt, align="right",
                    line=round(lay.page_number_size_pt * 20 * 1.2), snap=False)
        self._style("attachlabel", "附件-标识", east_asia=f.hei, size=size, align="left")
        # Word knows "toc 1"/"toc 2" as the styles its TOC field gives each level.
        for level in (1, 2):
            style = self._style(f"toc{level}", f"toc {level}", east_asia=f.body, size=size, align="left",
                                first_line=0)
            style.paragraph_format.left_indent = Twips((level - 1) * 2 * CJK_CHAR)
            style.paragraph_format.tab_stops.add_tab_stop(Twips(lay.text_width), alignment=2, leader=1)
        self._style("cover_program", "封面-项目", east_asia=f.kai, size=18, align="center", snap=False,
                    line=round(18 * 20 * 1.8))
        self._style("cover_title", "封面-标题", east_asia=f.title, size=26, align="center", snap=False,
                    line=round(26 * 20 * 1.5))
        self._style("cover_field", "封面-信息", east_asia=f.body, size=16, align="left", snap=False)
        self._style("cover_mark", "封面-示例", east_asia=f.hei, size=14, align="center", snap=False)

    def _setup_section(self, section) -> None:
        lay = self.layout
        section.page_width = Twips(lay.page_width)
        section.page_height = Twips(lay.page_height)
        section.top_margin = Twips(lay.margin_top)
        section.bottom_margin = Twips(lay.margin_bottom)
        section.left_margin = Twips(lay.margin_left)
        section.right_margin = Twips(lay.margin_right)
        section.footer_distance = Twips(lay.footer_distance)
        section.header_distance = Twips(lay.header_distance)
        section.gutter = Twips(0)
        sect_pr = section._sectPr
        for old in sect_pr.findall(qn("w:docGrid")):
            sect_pr.remove(old)
        grid = OxmlElement("w:docGrid")
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(lay.line_pitch))
        sect_pr.append(grid)  # docGrid is the last child python-docx's sectPr can hold here

    # paragraphs --------------------------------------------------------------------
    def para(self, text: str, style: str, **fmt):
        p = self.doc.add_paragraph(style=self.styles[style])
        if text:
            p.add_run(text)
        pf = p.paragraph_format
        if "align" in fmt:
            pf.alignment = _ALIGN[fmt["align"]]
        if "left" in fmt:
            pf.left_indent = Twips(fmt["left"])
        if "right" in fmt:
            pf.right_indent = Twips(fmt["right"])
        if "first" in fmt:
            pf.first_line_indent = Twips(fmt["first"])
        if fmt.get("page_break_before"):
            pf.page_break_before = True
        return p

    def blank(self, count: int = 1, style: str = "plain") -> None:
        for _ in range(count):
            self.para("", style)

    # footers ------------------------------------------------------------------------
    def _page_number_footer(self, footer, align: str) -> None:
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.style = self.styles["pagenum"]
        pf = p.paragraph_format
        pf.alignment = _ALIGN[align]
        pf.first_line_indent = Twips(0)
        if align == "right":
            pf.right_indent = Twips(int(self.layout.page_number_size_pt * 20))
        else:
            pf.left_indent = Twips(int(self.layout.page_number_size_pt * 20))
        p.add_run("— ")
        add_field(p, "PAGE")
        p.add_run(" —")

    def _empty_footers(self, section) -> None:
        for footer in (section.footer, section.even_page_footer):
            footer.is_linked_to_previous = False
            for p in footer.paragraphs:
                for r in list(p.runs):
                    r._r.getparent().remove(r._r)

    # sections -------------------------------------------------------------------------
    def _begin_section(self, index: int, section: Section):
        if index == 0:
            sec = self.doc.sections[0]
        else:
            sec = self.doc.add_section(WD_SECTION.ODD_PAGE)
            self._setup_section(sec)
        # add_section() clones the previous sectPr: drop its restart so numbers run on.
        for old in sec._sectPr.findall(qn("w:pgNumType")):
            sec._sectPr.remove(old)
        if not section.numbered:
            self._empty_footers(sec)
        elif section.restart_numbering or index == 0:
            self._page_number_footer(sec.footer, "right")
            self._page_number_footer(sec.even_page_footer, "left")
            pg = OxmlElement("w:pgNumType")
            pg.set(qn("w:start"), "1")
            grid = sec._sectPr.find(qn("w:docGrid"))
            # pgNumType precedes cols/docGrid in CT_SectPr.
            anchor = sec._sectPr.find(qn("w:cols"))
            (anchor if anchor is not None else grid).addprevious(pg)
        return sec

    # blocks -----------------------------------------------------------------------------
    def write(self, book: Book) -> Document:
        self.doc.core_properties.title = book.title
        self.doc.core_properties.author = ""
        self.doc.core_properties.comments = ""
        for index, section in enumerate(book.sections):
            self._begin_section(index, section)
            for n, block in enumerate(section.blocks):
                self._block(block, first_in_section=(n == 0))
        return self.doc

    def _block(self, block, first_in_section: bool) -> None:
        if isinstance(block, Paragraph):
            style = {"body": "body", "note": "note", "plain": "plain"}.get(block.role, "plain")
            align = {"center": "center", "right": "right"}.get(block.role)
            self.para(block.text, style, **({"align": align} if align else {}))
        elif isinstance(block, Heading):
            p = self.para(block.text, f"h{block.rank}")
            set_ppr(p._p.get_or_add_pPr(), "w:outlineLvl", val=str(min(block.level - 1, 8)))
        elif isinstance(block, Table):
            self._table(block)
        elif isinstance(block, Title):
            self.para(block.text, "title")
            self.blank()
        elif isinstance(block, Panel):
            self._panel(block)
        elif isinstance(block, Cover):
            self._cover(block)
        elif isinstance(block, Letter):
            self._letter(block)
        elif isinstance(block, AttachmentList):
            self._attachment_list(block)
        elif isinstance(block, AttachmentPage):
            self._attachment_page(block, first_in_section)
        elif isinstance(block, Contents):
            self._contents(block)
        else:  # a new block kind must be taught to the writer, never dropped
            raise TypeError(f"unknown book block {type(block).__name__}")

    def _cover(self, cover: Cover) -> None:
        self.blank(3)
        if cover.mark:
            self.para(cover.mark, "cover_mark")
        else:
            self.blank()
        self.para(cover.program_line, "cover_program")
        self.blank(2)
        self.para(cover.title, "cover_title")
        self.blank(6)
        for label, value in cover.fields:
            self.para(f"{_pad_label(label)}：{value}", "cover_field", left=mm_twips(38))

    def _letter(self, letter: Letter) -> None:
        self.para(letter.title, "title")
        self.blank()
        for text in letter.paragraphs:
            self.para(text, "body")
        self.blank(3)
        date_right = 4 * CJK_CHAR  # the date stands four characters in from the right
        date_w = text_width(letter.date)
        signer_right = max(0, date_right + (date_w - text_width(letter.signer)) // 2)
        seal_right = max(0, date_right + (date_w - text_width(letter.seal)) // 2)
        self.para(letter.signer, "plain", align="right", right=signer_right)
        self.para(letter.date, "plain", align="right", right=date_right)
        self.para(letter.seal, "plain", align="right", right=seal_right)

    def _attachment_list(self, block: AttachmentList) -> None:
        self.blank()
        label_w = 3 * CJK_CHAR  # 附件：
        for n, title in enumerate(block.titles, 1):
            num = f"{n}."
            num_w = text_width(num)
            left = 2 * CJK_CHAR + label_w + num_w
            text = f"附件：{num}{title}" if n == 1 else f"{num}{title}"
            hanging = label_w + num_w if n == 1 else num_w
            self.para(text, "plain", left=left, first=-hanging)

    def _attachment_page(self, block: AttachmentPage, first_in_section: bool) -> None:
        self.para(f"附件{block.number}", "attachlabel", page_break_before=not first_in_section)
        self.blank()
        title = self.para(block.title, "title")
        set_ppr(title._p.get_or_add_pPr(), "w:outlineLvl", val="0")  # listed in the 目录
        if block.body:
            self.blank()
            for text in block.body:
                self.para(text, "body")

    def _contents(self, block: Contents) -> None:
        self.para(block.title, "title")
        self.blank()
        instruction = f'TOC \\o "1-{block.levels}" \\h \\z \\u'
        entries = block.entries or (("（目录在 Word/WPS 中打开时或导出 PDF 时生成）", 1),)
        first = self.para("", f"toc{min(entries[0][1], 2)}")
        field_begin(first, instruction)
        for n, (text, level) in enumerate(entries):
            p = first if n == 0 else self.para("", f"toc{min(level, 2)}")
            p.add_run(text)
            if n == len(entries) - 1:
                field_end(p)

    def _table(self, block: Table) -> None:
        if block.caption:
            self.para(block.caption, "caption")
        table = self.doc.add_table(rows=1 + len(block.rows), cols=len(block.columns))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        tbl_pr = table._tbl.tblPr
        _table_borders(tbl_pr)
        total = self.layout.text_width
        scale = total / sum(c.width_mm for c in block.columns)
        widths = [int(c.width_mm * scale) for c in block.columns]
        tbl_w = tbl_pr.find(qn("w:tblW"))
        if tbl_w is None:
            tbl_w = OxmlElement("w:tblW")
            tbl_pr.append(tbl_w)
        tbl_w.set(qn("w:w"), str(sum(widths)))
        tbl_w.set(qn("w:type"), "dxa")
        for col, width in zip(table.columns, widths):
            col.width = Twips(width)
        for r, row in enumerate(table.rows):
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(OxmlElement("w:cantSplit"))
            if r == 0:
                tr_pr.append(OxmlElement("w:tblHeader"))
            values = [c.header for c in block.columns] if r == 0 else block.rows[r - 1]
            for c, (cell, value) in enumerate(zip(row.cells, values)):
                cell.width = Twips(widths[c])
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                p = cell.paragraphs[0]
                p.style = self.styles["cellhead" if r == 0 else "cell"]
                if r and block.columns[c].align != "left":
                    p.paragraph_format.alignment = _ALIGN[block.columns[c].align]
                lines = str(value).split("\n")
                p.add_run(lines[0])
                for extra in lines[1:]:
                    cell.add_paragraph(extra, style=self.styles["cell"])
        self.blank(style="plain")

    def _panel(self, panel: Panel) -> None:
        table = self.doc.add_table(rows=1, cols=1)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _table_borders(table._tbl.tblPr, size=8)
        cell = table.rows[0].cells[0]
        cell.width = Twips(self.layout.text_width)
        p = cell.paragraphs[0]
        p.style = self.styles["panelhead"]
        p.add_run(panel.title)
        for item in panel.items:
            cell.add_paragraph(f"● {item}", style=self.styles["panelitem"]).paragraph_format.left_indent = Twips(120)
        self.blank(style="plain")


def _pad_label(label: str) -> str:
    """Spread a three-character label to four characters' width (联 系 人) so colons line up."""
    return "\u2002".join(label) if len(label) == 3 else label


def mm_twips(value: float) -> int:
    from desktop_app.book.layout import mm

    return mm(value)


def text_width(text: str) -> int:
    """Printed width in twips at 3号: CJK characters are full width, ASCII half."""
    return sum(CJK_CHAR // 2 if ord(ch) < 0x2E80 else CJK_CHAR for ch in text)


def _table_borders(tbl_pr, size: int = 4) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), str(size))
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    # tblBorders follows tblW/jc/tblInd in CT_TblPr; before tblLayout/tblCellMar/tblLook.
    anchor = next((c for c in tbl_pr if c.tag in {qn("w:shd"), qn("w:tblLayout"), qn("w:tblCellMar"),
                                                  qn("w:tblLook")}), None)
    if anchor is not None:
        anchor.addprevious(borders)
    else:
        tbl_pr.append(borders)


def write_docx(book: Book, path: str | os.PathLike, layout: Layout | None = None) -> Path:
    """Write the book to `path` atomically: the old file stays intact if anything fails."""
    doc = DocxWriter(layout).write(book)
    buffer = io.BytesIO()
    doc.save(buffer)
    path = Path(path)
    atomic_write_bytes(path, buffer.getvalue())
    return path
