"""What a PDF LibreOffice exported says about its own pages — read from the file, not asked
of LibreOffice (no Qt, no poppler; standard library only).

Every question put to LibreOffice over its pipe is a round trip, and walking a 66-page
book paragraph by paragraph costs hundreds of them (half a second and more on a busy
machine). The PDF already knows the answers:

- its page count;
- its outline (bookmarks): every heading with an outline level, with the physical page
  it is on, blank pages of odd-page breaks included — the preview's outline;
- its named destinations: LibreOffice exports each Writer bookmark as one when asked
  (ExportBookmarksToPDFDestination). mark_parts() puts a bookmark "PcaPartN" at the
  start of each Word section (= each bound part) of the copy that is converted, so the
  PDF says on which page each part starts — for the 打印装订清单.

The parser reads what LibreOffice writes (a classic cross-reference table, objects not
in object streams); anything else gives a PdfFacts with what could be read.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

PART_MARK = "PcaPart"  # letters and digits only: LibreOffice escapes "_" in destination names
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


# the .docx side: a bookmark at the start of each part ------------------------------------
def mark_parts(src: str | Path, dst: str | Path) -> int:
    """Copy the .docx `src` to `dst` with a bookmark PcaPart1… at the first paragraph
    of each section (Word section = bound part). Returns the number of sections.
    Bookmarks take no room on the page: the layout is the same as `src`'s."""
    from lxml import etree

    with zipfile.ZipFile(src) as zin:
        root = etree.fromstring(zin.read("word/document.xml"))
        body = root.find(f"{{{_W}}}body")
        starts = []
        new_section = True
        for element in body:
            tag = etree.QName(element).localname
            if tag not in ("p", "tbl", "sdt"):
                continue
            if new_section:
                first_p = element if tag == "p" else element.find(f".//{{{_W}}}p")
                if first_p is not None:
                    starts.append(first_p)
                new_section = False
            if tag == "p" and element.find(f"{{{_W}}}pPr/{{{_W}}}sectPr") is not None:
                new_section = True
        for n, p in enumerate(starts, 1):
            mark_id = str(90000 + n)
            begin = etree.Element(f"{{{_W}}}bookmarkStart", {f"{{{_W}}}id": mark_id, f"{{{_W}}}name": f"{PART_MARK}{n}"})
            end = etree.Element(f"{{{_W}}}bookmarkEnd", {f"{{{_W}}}id": mark_id})
            ppr = p.find(f"{{{_W}}}pPr")
            at = 0 if ppr is None else list(p).index(ppr) + 1
            p.insert(at, end)
            p.insert(at, begin)
        data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
            for item in zin.infolist():
                zout.writestr(item, data if item.filename == "word/document.xml" else zin.read(item.filename))
    return len(starts)


# the PDF side ----------------------------------------------------------------------------------
@dataclass
class PdfFacts:
    pages: int = 0
    #: (title, level from 1, physical page from 1) of each bookmark, in order
    outline: list[tuple[str, int, int]] = field(default_factory=list)
    #: named destination → physical page from 1
    dests: dict[str, int] = field(default_factory=dict)

    def part_starts(self) -> list[int]:
        """The first page of each part marked by mark_parts(), in order (may be empty)."""
        found = []
        n = 1
        while f"{PART_MARK}{n}" in self.dests:
            found.append(self.dests[f"{PART_MARK}{n}"])
            n += 1
        return found


_REF = re.compile(rb"(\d+)\s+(\d+)\s+R")
_OBJ = re.compile(rb"(\d+)\s+(\d+)\s+obj\b")


class _Pdf:
    def __init__(self, data: bytes):
        self.data = data
        self.offsets: dict[int, int] = self._xref() or self._scan()
        self.trailer = self._trailer()

    def _xref(self) -> dict[int, int]:
        """Objects' places from the cross-reference table (a few thousand short lines:
        cheap, where scanning the whole file with a pattern holds the interpreter for
        a quarter of a second on a 2 MB book)."""
        data = self.data
        at = data.rfind(b"startxref")
        try:
            pos = int(data[at + 9:at + 40].split()[0])
        except (ValueError, IndexError):
            return {}
        if data[pos:pos + 4] != b"xref":
            return {}
        offsets: dict[int, int] = {}
        lines = iter(data[pos + 4:data.find(b"trailer", pos)].split())
        try:
            while True:
                first, count = int(next(lines)), int(next(lines))
                for num in range(first, first + count):
                    offset, _gen, kind = next(lines), next(lines), next(lines)
                    if kind == b"n":
                        start = data.find(b"obj", int(offset))
                        if start >= 0:
                            offsets[num] = start + 3
        except (StopIteration, ValueError):
            pass
        return offsets

    def _scan(self) -> dict[int, int]:
        offsets = {}
        for m in _OBJ.finditer(self.data):
            # the last definition wins (incremental updates); stream bodies rarely match
            offsets[int(m.group(1))] = m.end()
        return offsets

    def _trailer(self) -> bytes:
        at = self.data.rfind(b"trailer")
        if at < 0:
            return b""
        return self.data[at:at + 2048]

    def obj(self, num: int) -> bytes:
        """The object's text up to its stream or endobj (dictionaries and arrays only)."""
        start = self.offsets.get(num)
        if start is None:
            return b""
        end = self.data.find(b"endobj", start)
        stream = self.data.find(b"stream", start, end if end > 0 else None)
        stop = stream if stream > 0 else end
        return self.data[start:stop if stop > 0 else start + 4096]

    def ref(self, text: bytes, key: bytes) -> int | None:
        m = re.search(rb"/" + key + rb"\s*(\d+)\s+\d+\s+R", text)
        return int(m.group(1)) if m else None


def _kids(pdf: _Pdf, num: int, out: list[int], depth: int = 0) -> None:
    text = pdf.obj(num)
    if depth > 32:
        return
    if re.search(rb"/Type\s*/Pages\b", text):
        m = re.search(rb"/Kids\s*\[(.*?)\]", text, re.S)
        for kid in _REF.finditer(m.group(1) if m else b""):
            _kids(pdf, int(kid.group(1)), out, depth + 1)
    else:
        out.append(num)


def _pdf_string(text: bytes) -> str:
    """A PDF string object at the start of `text` (<hex> or (literal)) as str."""
    text = text.lstrip()
    if text.startswith(b"<"):
        raw = bytes.fromhex(re.sub(rb"[^0-9A-Fa-f]", b"", text[1:text.index(b">")]).decode())
    else:
        out, depth, i = bytearray(), 0, 1
        escapes = {ord("n"): b"\n", ord("r"): b"\r", ord("t"): b"\t", ord("b"): b"\b", ord("f"): b"\f"}
        while i < len(text):
            c = text[i]
            if c == 0x5C:  # backslash
                i += 1
                nxt = text[i]
                if nxt in escapes:
                    out += escapes[nxt]
                elif 0x30 <= nxt <= 0x37:
                    octal = re.match(rb"[0-7]{1,3}", text[i:i + 3])
                    digits = octal.group(0) if octal else b"0"  # (nxt is a digit: always a match)
                    out.append(int(digits, 8) & 0xFF)
                    i += len(digits) - 1
                elif nxt not in (0x0A, 0x0D):
                    out.append(nxt)
            elif c == 0x28:
                depth += 1
                out.append(c)
            elif c == 0x29:
                if depth == 0:
                    break
                depth -= 1
                out.append(c)
            else:
                out.append(c)
            i += 1
        raw = bytes(out)
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", "replace")
    return raw.decode("latin-1")


def _dest_page(dest: bytes, pages: dict[int, int]) -> int | None:
    m = re.match(rb"\s*\[\s*(\d+)\s+\d+\s+R", dest)
    return pages.get(int(m.group(1))) if m else None


def _outline(pdf: _Pdf, first: int | None, level: int, pages: dict[int, int], out: list, seen: set) -> None:
    num = first
    while num is not None and num not in seen and len(out) < 10000:
        seen.add(num)
        text = pdf.obj(num)
        title_at = re.search(rb"/Title\s*", text)
        title = _pdf_string(text[title_at.end():]) if title_at else ""
        dest = re.search(rb"/Dest\s*(\[.*?\])", text, re.S) or re.search(rb"/D\s*(\[.*?\])", text, re.S)
        page = _dest_page(dest.group(1), pages) if dest else None
        out.append((title.strip(), level, page or 0))
        _outline(pdf, pdf.ref(text, b"First"), level + 1, pages, out, seen)
        num = pdf.ref(text, b"Next")


def _named_dests(pdf: _Pdf, catalog: bytes, pages: dict[int, int]) -> dict[str, int]:
    found: dict[str, int] = {}
    names = pdf.ref(catalog, b"Names")
    tree = pdf.ref(pdf.obj(names), b"Dests") if names else None
    stack, seen = ([tree] if tree else []), set()
    while stack:
        num = stack.pop()
        if num in seen:
            continue
        seen.add(num)
        text = pdf.obj(num)
        kids = re.search(rb"/Kids\s*\[(.*?)\]", text, re.S)
        if kids:
            stack += [int(k.group(1)) for k in _REF.finditer(kids.group(1))]
        arr = re.search(rb"/Names\s*\[", text)
        if not arr:
            continue
        body = text[arr.end():]
        # pairs: (name) or <hex>, then [dest] or N 0 R
        for m in re.finditer(rb"(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)\s*(\[[^\]]*\]|\d+\s+\d+\s+R)", body, re.S):
            name = _pdf_string(m.group(1))
            dest = m.group(2)
            if dest.startswith(b"["):
                page = _dest_page(dest, pages)
            else:
                target = pdf.obj(int(dest.split()[0]))
                d = re.search(rb"/D\s*(\[.*?\])", target, re.S) or re.search(rb"(\[.*?\])", target, re.S)
                page = _dest_page(d.group(1), pages) if d else None
            if page:
                found[name] = page
    # old style: /Dests dictionary in the catalog
    old = pdf.ref(catalog, b"Dests")
    if old:
        for m in re.finditer(rb"/([^\s/\[]+)\s*(\[[^\]]*\])", pdf.obj(old)):
            page = _dest_page(m.group(2), pages)
            if page:
                found.setdefault(m.group(1).decode("latin-1"), page)
    return found


def read_pdf_facts(path: str | Path) -> PdfFacts:
    data = Path(path).read_bytes()
    pdf = _Pdf(data)
    root = pdf.ref(pdf.trailer, b"Root")
    if root is None:
        return PdfFacts()
    catalog = pdf.obj(root)
    page_list: list[int] = []
    pages_root = pdf.ref(catalog, b"Pages")
    if pages_root is not None:
        _kids(pdf, pages_root, page_list)
    pages = {num: i for i, num in enumerate(page_list, 1)}
    outline: list[tuple[str, int, int]] = []
    outlines = pdf.ref(catalog, b"Outlines")
    if outlines is not None:
        _outline(pdf, pdf.ref(pdf.obj(outlines), b"First"), 1, pages, outline, set())
    return PdfFacts(len(page_list), outline, _named_dests(pdf, catalog, pages))
