"""Book → .docx laid out per GB/T 9704-2012 (figures in book/layout.py).

Formatting lives in named paragraph styles, not on runs, so the file stays small,
fast to write, and an officer who edits it in Word or WPS keeps the look.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import re
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt, Twips
from docx.styles.style import StyleFactory
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml.etree import SubElement

from desktop_app.book.clock import export_time
from desktop_app.book.layout import CELL_PAD, CJK_CHAR, Layout, text_twips
from desktop_app.book.model import (
    AttachmentList, AttachmentPage, Book, Contents, Cover, FormTable, Heading, Letter, Panel, Paragraph,
    Section, Table, Title,
)
from desktop_app.book.ooxml import (
    add_field, field_begin, field_end, modern_package, set_fonts, set_ppr, set_rpr, set_setting, set_size,
)
from desktop_app.core.exchange import atomic_write_bytes

_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
          "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}
#: The same alignments as w:jc values, for tables written as XML text.
_JC = {"left": "left", "center": "center", "right": "right", "justify": "both"}

# Paragraphs and tables are the bulk of a book (a 60-page one has ~1 500 paragraphs
# and ~700 table cells), and python-docx's object API costs ~0.1–1 ms for each:
# add_paragraph() and p.style look styles up by walking the styles part, cell
# access rebuilds the row's grid. So body paragraphs are made as lxml elements and
# each table is written as one piece of XML text, exactly as python-docx would
# write them (tests/test_bench.py holds the runs to python-docx's own).
_P, _PPR, _PSTYLE, _R, _T, _VAL = (qn(t) for t in ("w:p", "w:pPr", "w:pStyle", "w:r", "w:t", "w:val"))
_XML_SPACE = qn("xml:space")
_W_NS = nsdecls("w")
_TBL_LOOK = ('<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" w:noHBand="0" '
             'w:noVBand="1" w:val="04A0"/>')


class DocxWriter:
    """Writes one Book into a new python-docx Document."""

    def __init__(self, layout: Layout | None = None, when: dt.datetime | None = None):
        """`when`: the export time the file's properties carry (default: now)."""
        self.layout = layout or Layout()
        self.when = when
        self.doc = Document()
        self.styles: dict[str, object] = {}
        #: Each style key's Chinese font: quotation marks and ● are set in it (see _cjk_runs).
        self.east_asia: dict[str, str] = {}
        self._pending_signers: list[str] = []
        #: w:pStyle of each style key; None for Normal, which paragraphs name by omission.
        self.style_ids: dict[str, str | None] = {}
        self._normal = self.doc.styles["Normal"]
        self._body = self.doc._body  # python-docx's block container: parent of our Paragraphs
        #: The body's last w:sectPr: every block goes in before it, as add_paragraph() puts it.
        self._body_end = self.doc.element.body.get_or_add_sectPr()
        self._setup_document()

    # document-wide settings ----------------------------------------------------
    def _setup_document(self) -> None:
        lay, fonts = self.layout, self.layout.fonts
        styles_el = self.doc.styles.element
        rpr_default = styles_el.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        set_fonts(rpr_default, fonts.body, fonts.latin)
        set_size(rpr_default, lay.body_size_pt)
        set_rpr(rpr_default, "w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA")
        ppr_default = styles_el.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
        # Line-end punctuation (，、。；…) must print. Word and WPS let a mark that falls
        # in column 29 hang in the margin (overflowPunct on, their default). LibreOffice
        # (7.4 and others) reads w:overflowPunct inverted — absent or "0" turns on its own
        # hanging punctuation, "1" turns it off — and on a justified line that the
        # −0.25 pt spacing fills to within 1.25 pt it never paints the hanging mark: the
        # 2021 sample lost 13 marks that way. Written "1", Word and WPS hang the mark as
        # always and LibreOffice carries the previous character down with it instead.
        set_ppr(ppr_default, "w:overflowPunct", val="1")
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
            style = self._normal
        else:
            # What styles.add_style() does, minus its search of every style for the name
            # (a few ms per style): plan-* names are ours and new.
            style = StyleFactory(self.doc.styles.element.add_style_of_type(
                f"plan-{key}", WD_STYLE_TYPE.PARAGRAPH, False))
            style.base_style = self._normal  # type: ignore[attr-defined]  # a paragraph style
            style.element.find(qn("w:name")).set(qn("w:val"), name)
        style.quick_style = True
        self.east_asia[key] = east_asia
        rpr = style.element.get_or_add_rPr()
        # Page numbers are 宋体 throughout, digits and dashes too (GB/T 9704 7.5).
        set_fonts(rpr, east_asia, east_asia if key == "pagenum" else lay.fonts.latin)
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
        pf.keep_with_next = key.startswith("h") or key in ("caption", "title")
        ppr = style.element.get_or_add_pPr()
        if not snap:
            set_ppr(ppr, "w:snapToGrid", val="0")
        if outline is not None:
            set_ppr(ppr, "w:outlineLvl", val=str(outline))
        self.styles[key] = style
        self.style_ids[key] = None if key == "body" else style.style_id
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
        self._style("panelhead", "专栏-标题", east_asia=f.hei, size=_PANEL_PT, align="center",
                    line=round(_PANEL_PT * 20 * 1.6), snap=False)
        self._style("panelitem", "专栏-条目", east_asia=f.kai, size=_PANEL_PT, align="left",
                    line=round(_PANEL_PT * 20 * 1.6), snap=False)
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
        """A body paragraph in `style`, as doc.add_paragraph(style=…).add_run(text) writes it."""
        p_el = self._body_end.makeelement(_P)
        self._body_end.addprevious(p_el)
        ppr = SubElement(p_el, _PPR)
        style_id = self.style_ids[style]
        if style_id is not None:
            SubElement(ppr, _PSTYLE).set(_VAL, style_id)
        if text:
            if _CJK_MARKS.search(text):
                p_el.extend(list(parse_xml(f"<w:p {_W_NS}>{self._runs_xml(text, style)}</w:p>")))
            else:
                _add_run(p_el, text)
        p = DocxParagraph(p_el, self._body)
        if not fmt:
            return p
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

    def _runs_xml(self, text: str, style: str) -> str:
        """`text` as runs, its quotation marks and ● in the style's Chinese font. Word sets
        “” and ● in the Latin font (half width) unless told they are East Asian (w:hint);
        LibreOffice gives them the script of what precedes them, so after ● or digits
        (“323+1”, 2021”) they came out in Times. A run of their own in the Chinese font,
        hinted East Asian, prints them full width in Word, WPS and LibreOffice alike."""
        font = escape(self.east_asia[style], {'"': "&quot;"})
        mark = (f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" '
                f'w:hint="eastAsia"/></w:rPr>')
        out = []
        for piece in _CJK_MARKS_SPLIT.split(text):
            if not piece:
                continue
            if _CJK_MARKS.fullmatch(piece):
                out.append(f"<w:r>{mark}{_t_xml(piece)}</w:r>")
            else:
                out.append(_run_xml(piece))
        return "".join(out)

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
    def write(self, book: Book) -> DocxDocument:
        self._properties(book)
        for index, section in enumerate(book.sections):
            self._begin_section(index, section)
            for n, block in enumerate(section.blocks):
                self._block(block, first_in_section=(n == 0))
        return self.doc

    # the package: what Word reads before the text -------------------------------------
    def _properties(self, book: Book) -> None:
        from desktop_app.core.limits import DOCX_TITLE_MAX_CHARS

        fonts = self.layout.fonts
        # Word's document properties hold at most 255 characters (python-docx refuses
        # more); the title printed in the book itself is whole.
        modern_package(self.doc, title=book.title[:DOCX_TITLE_MAX_CHARS],
                       author=book.applicant[:DOCX_TITLE_MAX_CHARS], latin=fonts.latin,
                       chinese=(fonts.body, fonts.kai, fonts.hei, fonts.title, fonts.song), when=self.when)

    def _block(self, block, first_in_section: bool) -> None:
        if isinstance(block, Paragraph) and block.role == "signer":
            self._pending_signers.append(block.text)  # printed with the date that follows
        elif isinstance(block, Paragraph) and block.role == "date":
            self._signature(self._pending_signers, block.text)
            self._pending_signers = []
        elif isinstance(block, Paragraph):
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
        elif isinstance(block, FormTable):
            self._form_table(block)
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
            # A long value (…管理委员会) wraps under itself, not under the label.
            head = f"{_pad_label(label)}："
            hang = text_width(head)  # cover fields print at 三号, the size text_width measures
            self.para(f"{head}{value}", "cover_field", left=mm_twips(38) + hang, first=-hang)

    def _letter(self, letter: Letter) -> None:
        self.para(letter.title, "title")
        self.blank()
        for text in letter.paragraphs:
            self.para(text, "body")
        self.blank(3)
        self._signature([letter.signer], letter.date, letter.seal)

    def _signature(self, signers: list[str], date: str, seal: str = "") -> None:
        """The date four characters in from the right; the signing body (and the seal mark)
        centred over the date (GB/T 9704 7.3.5.1). Widths as printed, with the automatic
        space between digits and Chinese (2021 年 3 月 1 日)."""
        self._hold_what_precedes()
        size = self.layout.body_size_pt
        date_right = 4 * CJK_CHAR
        date_w = text_twips(date, size)

        def centred(line: str):
            right = max(0, date_right + (date_w - text_twips(line, size)) // 2)
            return self.para(line, "plain", align="right", right=right)

        for line in signers:
            centred(line).paragraph_format.keep_with_next = True  # never parted from its date
        self.para(date, "plain", align="right", right=date_right)
        if seal:
            centred(seal)

    def _hold_what_precedes(self) -> None:
        """A signature never stands alone at the top of a page (GB/T 9704 7.3.5): the blank
        lines before it and the last line of text — or the last row of a table, as under the
        项目申报书's 绩效目标 — keep with it, so where it does not fit they move over with it
        (the table's header row repeats above that row)."""
        el = self._body_end.getprevious()
        while el is not None:
            if el.tag == _P:
                if el.find(f"{_PPR}/{qn('w:sectPr')}") is not None:  # the signature opens its section
                    return
                DocxParagraph(el, self._body).paragraph_format.keep_with_next = True
                if "".join(el.itertext()).strip():
                    return
            elif el.tag == qn("w:tbl"):
                for cell_p in el.findall(qn("w:tr"))[-1].iter(_P):
                    DocxParagraph(cell_p, self._body).paragraph_format.keep_with_next = True
                return
            else:
                return
            el = el.getprevious()

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
            style = f"toc{min(level, 2)}"
            p = first if n == 0 else self.para("", style)
            p._p.extend(list(parse_xml(f"<w:p {_W_NS}>{self._text_xml(text, style)}</w:p>")))
            if n == len(entries) - 1:
                field_end(p)

    # tables ---------------------------------------------------------------------------
    def _insert_table(self, tbl_pr: str, grid: list[int], rows: str) -> None:
        cols = "".join(f'<w:gridCol w:w="{w}"/>' for w in grid)
        self._body_end.addprevious(parse_xml(
            f"<w:tbl {_W_NS}><w:tblPr>{tbl_pr}</w:tblPr><w:tblGrid>{cols}</w:tblGrid>{rows}</w:tbl>"))

    def _fixed_table(self, widths_mm: list[float]) -> tuple[str, list[int]]:
        """tblPr of a bordered, centred table spanning the type area; column widths (twips) scaled to fit."""
        scale = self.layout.text_width / sum(widths_mm)
        widths = [round(w * scale) for w in widths_mm]
        tbl_pr = (f'<w:tblW w:type="dxa" w:w="{sum(widths)}"/><w:jc w:val="center"/>{_borders_xml(4)}'
                  f'<w:tblLayout w:type="fixed"/>{_TBL_LOOK}')
        return tbl_pr, widths

    def _cell_text(self, text, style: str, jc: str | None = None) -> str:
        """A cell's paragraphs: the first in `style` (and `jc`), each further line of text in "cell"."""
        first, *more = str(text).split("\n")
        jc_xml = f'<w:jc w:val="{jc}"/>' if jc else ""
        out = f"<w:p><w:pPr>{_pstyle_xml(self.style_ids[style])}{jc_xml}</w:pPr>{self._text_xml(first, style)}</w:p>"
        if more:
            cell = _pstyle_xml(self.style_ids["cell"])
            out += "".join(f"<w:p><w:pPr>{cell}</w:pPr>{self._text_xml(line, 'cell') if line else ''}</w:p>"
                           for line in more)
        return out

    def _text_xml(self, text: str, style: str) -> str:
        return self._runs_xml(text, style) if _CJK_MARKS.search(text) else _run_xml(text)

    def _form_table(self, block: FormTable) -> None:
        """项目申报书 rows: label cell (表头 style) beside the value; rows never split."""
        tbl_pr, widths = self._fixed_table([block.label_width_mm, 156 - block.label_width_mm])
        # A form row is at least two lines high, so a blank value still leaves room to write.
        min_height = round(self.layout.table_size_pt * 20 * 1.5 * 2)
        tr_pr = f'<w:trPr><w:cantSplit/><w:trHeight w:val="{min_height}" w:hRule="atLeast"/></w:trPr>'
        rows = "".join(
            f"<w:tr>{tr_pr}{_tc(widths[0], self._cell_text(label, 'cellhead'))}"
            f"{_tc(widths[1], self._cell_text(value, 'cell'))}</w:tr>"
            for label, value in block.rows
        )
        self._insert_table(tbl_pr, widths, rows)
        self.blank(style="plain")

    def _table(self, block: Table) -> None:
        """A data table; the header row repeats on every page, short rows never split across pages."""
        if block.caption:
            self.para(block.caption, "caption")
        tbl_pr, widths = self._fixed_table([c.width_mm for c in block.columns])
        jcs = [None if c.align == "left" else _JC[c.align] for c in block.columns]
        # A row shorter than the header leaves python-docx's default cells, as add_table() made them.
        even = _tc(round(self.layout.text_width * 635 // len(widths) / 635), "<w:p/>", v_center=False)
        head = "".join(_tc(w, self._cell_text(c.header, "cellhead")) for w, c in zip(widths, block.columns))
        rows = [f"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{head}</w:tr>"]
        size = self.layout.table_size_pt
        for values in block.rows:
            cells = "".join(_tc(w, self._cell_text(v, "cell", jc)) for w, v, jc in zip(widths, values, jcs))
            cells += even * (len(widths) - len(values))
            # A row of a few lines stays whole; a long one (a year's 进度安排) may run on to
            # the next page under the repeated header instead of leaving this page a third empty.
            lines = max((_lines(str(v), w, size) for w, v in zip(widths, values)), default=1)
            keep = "<w:cantSplit/>" if lines <= _KEEP_ROW_LINES else ""
            rows.append(f"<w:tr><w:trPr>{keep}</w:trPr>{cells}</w:tr>" if keep else f"<w:tr>{cells}</w:tr>")
        self._insert_table(tbl_pr, widths, "".join(rows))
        self.blank(style="plain")

    def _panel(self, panel: Panel) -> None:
        """专栏: one boxed cell, the title centred (none printed when there is none), then the
        projects as a list whose wrapped lines align with the text after the bullet. The
        row may split, so a long box continues on the next page inside its border."""
        width = self.layout.text_width
        tbl_pr = f'<w:tblW w:type="auto" w:w="0"/><w:jc w:val="center"/>{_borders_xml(8)}{_TBL_LOOK}'
        bullet = _PANEL_PT * 20  # ● is one full-width character of the 专栏's 14 pt
        item = (f'<w:pPr>{_pstyle_xml(self.style_ids["panelitem"])}'
                f'<w:ind w:left="{120 + bullet}" w:hanging="{bullet}"/></w:pPr>')
        head = (f'<w:p><w:pPr>{_pstyle_xml(self.style_ids["panelhead"])}</w:pPr>'
                f'{self._text_xml(panel.title, "panelhead")}</w:p>') if panel.title.strip() else ""
        content = head + "".join(f"<w:p>{item}{self._runs_xml(f'●{text}', 'panelitem')}</w:p>"
                                 for text in panel.items)
        self._insert_table(tbl_pr, [width], f"<w:tr>{_tc(width, content or '<w:p/>', v_center=False)}</w:tr>")
        self.blank(style="plain")


#: Quotation marks and the 专栏 bullet: printed in the paragraph's Chinese font (_runs_xml).
_CJK_MARKS = re.compile(r"[“”‘’●]")
_CJK_MARKS_SPLIT = re.compile(r"([“”‘’●])")
#: The 专栏's type size (points): its styles and the bullet's hanging indent.
_PANEL_PT = 14

#: Table rows up to this many lines never split across pages.
_KEEP_ROW_LINES = 6


def _lines(text: str, width: int, size_pt: float) -> int:
    """Lines a cell text takes in a column `width` twips wide (estimated from character widths)."""
    room = max(1, width - CELL_PAD)
    return sum(max(1, -(-text_twips(line, size_pt) // room)) for line in text.split("\n"))


def _pad_label(label: str) -> str:
    """Spread a three-character label to four characters' width (联 系 人) so colons line up."""
    return "\u2002".join(label) if len(label) == 3 else label


def mm_twips(value: float) -> int:
    from desktop_app.book.layout import mm

    return mm(value)


def text_width(text: str) -> int:
    """Printed width in twips at 3号: CJK characters are full width, ASCII half."""
    return sum(CJK_CHAR // 2 if ord(ch) < 0x2E80 else CJK_CHAR for ch in text)


def _borders_xml(size: int) -> str:
    """Single black borders all round and between cells; `size` in eighths of a point."""
    edge = f'w:val="single" w:sz="{size}" w:space="0" w:color="000000"'
    return ("<w:tblBorders>" + "".join(f"<w:{e} {edge}/>" for e in ("top", "left", "bottom", "right",
                                                                   "insideH", "insideV"))
            + "</w:tblBorders>")


def _tc(width: int, content: str, v_center: bool = True) -> str:
    valign = '<w:vAlign w:val="center"/>' if v_center else ""
    return f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/>{valign}</w:tcPr>{content}</w:tc>'


def _pstyle_xml(style_id: str | None) -> str:
    return f'<w:pStyle w:val="{style_id}"/>' if style_id else ""


def _t_xml(text: str) -> str:
    space = ' xml:space="preserve"' if len(text.strip()) < len(text) else ""
    return f"<w:t{space}>{escape(text)}</w:t>"


def _run_xml(text: str) -> str:
    """A w:r holding `text` exactly as python-docx's add_run(text) writes it: tabs as
    w:tab, CR and LF as w:br, edge spaces kept with xml:space, empty text an empty run."""
    if not text:
        return "<w:r/>"
    if "\t" not in text and "\n" not in text and "\r" not in text:
        return f"<w:r>{_t_xml(text)}</w:r>"
    parts = []
    for piece in re.split(r"([\t\r\n])", text):
        if piece == "\t":
            parts.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            parts.append("<w:br/>")
        elif piece:
            parts.append(_t_xml(piece))
    return f"<w:r>{''.join(parts)}</w:r>"


def _add_run(p, text: str) -> None:
    """p.add_run(text) for a non-empty text, as lxml elements (same XML as python-docx)."""
    r = SubElement(p, _R)
    if "\t" in text or "\n" in text or "\r" in text:
        r.text = text  # python-docx's CT_R setter: tabs and breaks as it writes them
        return
    t = SubElement(r, _T)
    t.text = text
    if len(text.strip()) < len(text):
        t.set(_XML_SPACE, "preserve")


def write_docx(book: Book, path: str | os.PathLike, layout: Layout | None = None,
               when: dt.datetime | None = None) -> Path:
    """Write the book to `path` atomically: the old file stays intact if anything fails.

    `when` (default: export_time()) dates the file's parts and its properties (created,
    modified), so the same draft, layout and time give the same bytes whoever writes it —
    the window or the command line."""
    when = when or export_time()
    doc = DocxWriter(layout, when).write(book)
    buffer = io.BytesIO()
    doc.save(buffer)
    path = Path(path)
    atomic_write_bytes(path, _dated(buffer.getvalue(), when))
    return path


def _dated(data: bytes, when: dt.datetime) -> bytes:
    """The .docx with every part dated `when` (python-docx dates them the moment it saves).

    Only the DOS date and time fields of each local and central header change, in place:
    nothing is decompressed or compressed again."""
    import struct
    import zipfile

    if when.tzinfo is not None:  # the zip format has no time zone: UTC, alike on every machine
        when = when.astimezone(dt.timezone.utc)
    year = min(max(when.year, 1980), 2107)  # what a zip header can hold
    dos_date = ((year - 1980) << 9) | (when.month << 5) | when.day
    dos_time = (when.hour << 11) | (when.minute << 5) | (when.second // 2)
    stamp = struct.pack("<HH", dos_time, dos_date)
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        central = archive.start_dir  # where the central directory begins
    for info in infos:
        local = info.header_offset
        if out[local:local + 4] != b"PK\x03\x04":
            raise ValueError("unexpected zip layout")
        out[local + 10:local + 14] = stamp
    offset = central
    for _info in infos:
        if out[offset:offset + 4] != b"PK\x01\x02":
            raise ValueError("unexpected zip layout")
        out[offset + 12:offset + 16] = stamp
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", out, offset + 28)
        offset += 46 + name_len + extra_len + comment_len
    return bytes(out)
