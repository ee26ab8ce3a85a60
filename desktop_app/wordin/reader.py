"""A .docx as a flat sequence of blocks: paragraphs (text, style, outline level, list
numbering, hand formatting) and tables (cells), in body order.

Only what heading recognition and the mapping need is kept; nothing here knows the
outline of a program. Text boxes (a 专栏 drawn as a box) come out as one-cell tables,
their text not repeated in the paragraph that anchors them. Word's automatic list
numbers are rendered into the text ("（一）", "1.") because officers read them as
part of the heading.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from desktop_app.wordin.errors import WordInError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_P, _TBL, _TR, _TC, _SDT = (f"{{{W}}}{t}" for t in ("p", "tbl", "tr", "tc", "sdt"))
_T, _TAB, _BR, _CR, _R = (f"{{{W}}}{t}" for t in ("t", "tab", "br", "cr", "r"))
_TXBX = f"{{{W}}}txbxContent"
_FALLBACK = f"{{{MC}}}Fallback"
_DEL = f"{{{W}}}del"
_INSTR = f"{{{W}}}instrText"
_FLDCHAR = f"{{{W}}}fldChar"
_FLDSIMPLE = f"{{{W}}}fldSimple"


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _val(el, tag: str):
    """w:val of child `tag` of el (None when absent)."""
    if el is None:
        return None
    child = el.find(_q(tag))
    return None if child is None else child.get(_q("val"), "")


def _on(el, tag: str) -> bool | None:
    """A toggle property (w:b): True, False, or None when not set."""
    if el is None:
        return None
    child = el.find(_q(tag))
    if child is None:
        return None
    return child.get(_q("val"), "true") not in ("0", "false", "off")


@dataclass
class Para:
    """One paragraph. `index` counts the document's paragraphs from 1 (body order)."""

    text: str
    index: int = 0
    style: str = ""
    outline: int | None = None  # 0-based outline level, from the paragraph or its style
    numbered: str = ""  # the automatic list number rendered, e.g. "（一）" (already in text)
    bold: bool = False
    font: str = ""  # the East Asian font all its runs share, "" when mixed or unset
    align: str = ""
    toc: bool = False  # a line of a table of contents
    section_end: bool = False  # carries a section break (w:sectPr)

    kind = "paragraph"


@dataclass
class Table:
    """A table: rows of cell texts (a cell's paragraphs joined by \n). `box`: a text box."""

    rows: list[list[str]]
    index: int = 0
    box: bool = False
    merged_down: set[tuple[int, int]] = field(default_factory=set)  # (row, col) continuing a vertical merge

    kind = "table"

    @property
    def cells(self) -> list[str]:
        return [c for row in self.rows for c in row]

    @property
    def single_cell(self) -> bool:
        return len(self.rows) == 1 and len(self.rows[0]) == 1


# styles and numbering -------------------------------------------------------------
@dataclass
class _Style:
    name: str
    based_on: str | None
    outline: int | None
    num: tuple[str, int] | None
    bold: bool | None
    font: str
    align: str = ""


class _Styles:
    def __init__(self, root):
        self.by_id: dict[str, _Style] = {}
        self.default_para: str | None = None
        if root is None:
            return
        for s in root.findall(_q("style")):
            sid = s.get(_q("styleId"), "")
            ppr = s.find(_q("pPr"))
            rpr = s.find(_q("rPr"))
            outline = _val(ppr, "outlineLvl")
            num = None
            if ppr is not None and ppr.find(_q("numPr")) is not None:
                np_ = ppr.find(_q("numPr"))
                num_id = _val(np_, "numId")
                if num_id:
                    num = (num_id, int(_val(np_, "ilvl") or 0))
            fonts = rpr.find(_q("rFonts")) if rpr is not None else None
            self.by_id[sid] = _Style(
                name=_val(s, "name") or sid,
                based_on=_val(s, "basedOn"),
                outline=int(outline) if outline and outline.isdigit() else None,
                num=num,
                bold=_on(rpr, "b"),
                font=(fonts.get(_q("eastAsia"), "") if fonts is not None else ""),
                align=_val(ppr, "jc") or "",
            )
            if s.get(_q("type")) == "paragraph" and s.get(_q("default")) in ("1", "true"):
                self.default_para = sid

    def chain(self, sid: str | None):
        seen = set()
        sid = sid or self.default_para
        while sid and sid in self.by_id and sid not in seen:
            seen.add(sid)
            yield self.by_id[sid]
            sid = self.by_id[sid].based_on

    def first(self, sid: str | None, attr: str):
        for style in self.chain(sid):
            value = getattr(style, attr)
            if value not in (None, ""):
                return value
        return None


_CN = "〇一二三四五六七八九"


def _chinese(n: int) -> str:
    if n <= 0:
        return str(n)
    if n < 10:
        return _CN[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CN[tens]) + "十" + (_CN[ones] if ones else "")
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                       (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += sym
            n -= value
    return out


def _format(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "japaneseCounting",
               "taiwaneseCounting", "chineseLegalSimplified"):
        return _chinese(n)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt == "decimalEnclosedParen":
        return f"（{n}）"
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "none":
        return ""
    return str(n)


class _Numbering:
    """Word list numbers, counted as Word counts them (per list, deeper levels restart)."""

    def __init__(self, root):
        self.abstract: dict[str, dict[int, tuple[int, str, str]]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        if root is None:
            return
        for a in root.findall(_q("abstractNum")):
            levels = {}
            for lvl in a.findall(_q("lvl")):
                ilvl = int(lvl.get(_q("ilvl"), "0"))
                start = _val(lvl, "start")
                levels[ilvl] = (int(start) if start and start.lstrip("-").isdigit() else 1,
                                _val(lvl, "numFmt") or "decimal", _val(lvl, "lvlText") or "")
            self.abstract[a.get(_q("abstractNumId"), "")] = levels
        for n in root.findall(_q("num")):
            overrides = {}
            for o in n.findall(_q("lvlOverride")):
                start = _val(o, "startOverride")
                if start and start.isdigit():
                    overrides[int(o.get(_q("ilvl"), "0"))] = int(start)
            self.nums[n.get(_q("numId"), "")] = (_val(n, "abstractNumId") or "", overrides)

    def label(self, num_id: str, ilvl: int) -> str:
        if num_id in ("", "0") or num_id not in self.nums:
            return ""
        abstract_id, overrides = self.nums[num_id]
        levels = self.abstract.get(abstract_id, {})
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        start = overrides.get(ilvl, levels[ilvl][0])
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else start
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        _start, fmt, text = levels[ilvl]
        if fmt == "bullet":
            return ""
        for k in range(ilvl, -1, -1):
            if f"%{k + 1}" in text:
                lvl_fmt = levels.get(k, (1, "decimal", ""))[1]
                value = counters.get(k, overrides.get(k, levels.get(k, (1,))[0]))
                text = text.replace(f"%{k + 1}", _format(value, lvl_fmt))
        return text


# the body --------------------------------------------------------------------------
class _Reader:
    def __init__(self, document_root, styles_root, numbering_root):
        self.root = document_root
        self.styles = _Styles(styles_root)
        self.numbering = _Numbering(numbering_root)
        self.blocks: list = []
        self.count = 0
        self.in_toc_field = False

    def read(self) -> list:
        body = self.root.find(_q("body"))
        if body is None:
            raise WordInError("文件中没有正文内容，不是一个可以导入的 Word 文档。")
        self._container(body)
        return self.blocks

    def _container(self, el) -> None:
        for child in el:
            if child.tag == _P:
                self._paragraph(child)
            elif child.tag == _TBL:
                self._table(child)
            elif child.tag == _SDT:
                content = child.find(_q("sdtContent"))
                if content is not None:
                    doc_part = child.find(f"{_q('sdtPr')}/{_q('docPartObj')}/{_q('docPartGallery')}")
                    toc = doc_part is not None and "Contents" in (doc_part.get(_q("val")) or "")
                    before = self.in_toc_field
                    self.in_toc_field = self.in_toc_field or toc
                    self._container(content)
                    self.in_toc_field = before
            elif child.tag in (f"{{{W}}}customXml", f"{{{W}}}ins"):
                self._container(child)

    def _walk_text(self, p, boxes: list) -> str:
        """The paragraph's own text; text boxes found on the way go to `boxes`."""
        out: list[str] = []

        def visit(el):
            for child in el:
                tag = child.tag
                if tag == _TXBX:
                    boxes.append(child)
                    continue
                if tag in (_FALLBACK, _DEL):
                    continue
                if tag == _T:
                    out.append(child.text or "")
                elif tag == _TAB:
                    out.append("\t")
                elif tag in (_BR, _CR):
                    if child.get(_q("type")) in (None, "textWrapping"):
                        out.append("\n")
                elif tag == _INSTR:
                    if "TOC" in (child.text or ""):
                        self.in_toc_field = True
                elif tag == _FLDSIMPLE and "TOC" in (child.get(_q("instr")) or ""):
                    self.in_toc_field = True
                    visit(child)
                    continue
                if len(child):
                    visit(child)

        visit(p)
        return "".join(out)

    def _paragraph(self, p) -> None:
        boxes: list = []
        toc_before = self.in_toc_field
        text = self._walk_text(p, boxes)
        ppr = p.find(_q("pPr"))
        sid = _val(ppr, "pStyle")
        style = self.styles.by_id.get(sid or self.styles.default_para or "")
        style_name = style.name if style else (sid or "")
        outline = _val(ppr, "outlineLvl")
        outline_level = int(outline) if outline and outline.isdigit() else self.styles.first(sid, "outline")
        if outline_level is not None and outline_level >= 9:
            outline_level = None  # 9 is Word's "body text"
        num = None
        if ppr is not None and ppr.find(_q("numPr")) is not None:
            np_ = ppr.find(_q("numPr"))
            num_id = _val(np_, "numId")
            num = (num_id or "", int(_val(np_, "ilvl") or 0)) if num_id is not None else None
        if num is None:
            num = self.styles.first(sid, "num")
        label = self.numbering.label(*num) if num else ""
        runs = [r for r in p.iter(_R) if any(t.text for t in r.iter(_T))]
        style_bold = bool(self.styles.first(sid, "bold"))
        bold = bool(runs) and all(
            (_on(r.find(_q("rPr")), "b") if _on(r.find(_q("rPr")), "b") is not None else style_bold) for r in runs)
        fonts = set()
        for r in runs:
            rpr = r.find(_q("rPr"))
            f = rpr.find(_q("rFonts")) if rpr is not None else None
            fonts.add((f.get(_q("eastAsia")) if f is not None else None) or self.styles.first(sid, "font") or "")
        toc = toc_before or self.in_toc_field or style_name.lower().startswith(("toc", "目录"))
        # A TOC field ends in the paragraph holding its end fldChar: the next paragraph is not in it.
        for fc in p.iter(_FLDCHAR):
            if fc.get(_q("fldCharType")) == "end" and self.in_toc_field:
                self.in_toc_field = False
        self.count += 1
        full = (label + text) if label and not text.startswith(label) else text
        self.blocks.append(Para(
            text=full, index=self.count, style=style_name, outline=outline_level, numbered=label, bold=bold,
            font=fonts.pop() if len(fonts) == 1 else "", align=_val(ppr, "jc") or self.styles.first(sid, "align") or "", toc=toc,
            section_end=ppr is not None and ppr.find(_q("sectPr")) is not None))
        for box in boxes:
            lines = [self._walk_text(bp, []) for bp in box.iter(_P)]
            self.count += 1
            self.blocks.append(Table([["\n".join(lines)]], index=self.count, box=True))

    def _table(self, tbl) -> None:
        rows: list[list[str]] = []
        merged: set[tuple[int, int]] = set()
        for tr in tbl.findall(_TR):
            row: list[str] = []
            for tc in tr.findall(_TC):
                tcpr = tc.find(_q("tcPr"))
                lines = []
                for p in tc:
                    if p.tag == _P:
                        lines.append(self._walk_text(p, []))
                    elif p.tag == _TBL:  # a table in a cell: its text, row by row
                        for inner in p.iter(_TR):
                            lines.append("\u3000".join("".join(self._walk_text(ip, []) for ip in tc2.iter(_P))
                                                       for tc2 in inner.findall(_TC)))
                vmerge = tcpr.find(_q("vMerge")) if tcpr is not None else None
                if vmerge is not None and vmerge.get(_q("val"), "continue") == "continue":
                    merged.add((len(rows), len(row)))
                row.append("\n".join(lines).strip("\n"))
                span = _val(tcpr, "gridSpan")
                for _ in range(int(span) - 1 if span and span.isdigit() else 0):
                    row.append("")  # a merged cell spans columns: the others read empty
            if row:
                rows.append(row)
        self.count += 1
        self.blocks.append(Table(rows, index=self.count, merged_down=merged))


#: Refuse files above this before reading them (real plans, pictures and all, stay well below).
MAX_BYTES = 100 * 1024 * 1024
_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_comments=True)


def _part(z: zipfile.ZipFile, name: str):
    try:
        data = z.read(name)
    except KeyError:
        return None
    return etree.fromstring(data, _XML)


def read_blocks(path: str | Path) -> list:
    """The blocks of a .docx file (paragraphs and tables in body order).

    Raises WordInError with a Chinese message for anything that is not a readable
    Word document; see desktop_app.wordin.source for .doc/.wps/.odt."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise WordInError(f"无法读取文件 {path.name}：{exc.strerror or exc}。") from exc
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        names = set(z.namelist())
        if "word/document.xml" not in names:
            raise WordInError(f"{path.name} 不是 Word 文档（.docx），无法导入。")
        unpacked = sum(z.getinfo(n).file_size for n in ("word/document.xml", "word/styles.xml", "word/numbering.xml")
                       if n in names)
        if unpacked > MAX_BYTES:
            raise WordInError(f"{path.name} 的正文解压后超过 {MAX_BYTES // 1024 // 1024} MB，不像是一份方案，无法导入。")
        root = _part(z, "word/document.xml")
        styles = _part(z, "word/styles.xml")
        numbering = _part(z, "word/numbering.xml")
    except WordInError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, etree.XMLSyntaxError, EOFError, ValueError, KeyError,
            NotImplementedError, RuntimeError, OSError) as exc:
        raise WordInError(f"{path.name} 已损坏，无法读取（可在 Word 或 WPS 中打开后另存为 .docx 再试）。") from exc
    return _Reader(root, styles, numbering).read()
