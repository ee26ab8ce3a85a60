"""Text pasted from Word, WPS, Excel or a web page → the draft's prose form.

The draft keeps prose as one paragraph per line, and book/compose.py turns a
short line that starts with an outline number (see core/numbering.py) into a
sub-heading of that rank: "（一）…" → rank 2, "1.…" → rank 3, "（1）…" → rank 4.
So pasting must give exactly that: one line per source paragraph, formatting
gone, and a list number Word keeps apart from the text (<span style='mso-list:
Ignore'>1.<span>&nbsp;&nbsp;</span></span>) glued back to it in the form
numbering.py recognises.
"""
from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

from desktop_app.core.cleaning import clean_paragraphs, xml_safe

#: Tags that end a paragraph (a new line in the draft).
_BLOCK = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "br", "blockquote", "pre",
    "section", "article", "header", "footer", "table", "ul", "ol", "dd", "dt", "hr", "caption",
}
#: Tags whose content is never text of the document.
_SKIP = {"style", "script", "head", "title", "xml", "template", "noscript"}
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
#: A space between two CJK characters (or CJK punctuation) is an artefact of
#: line wrapping in the HTML source or of justified text, never meant.
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0\u3000]+(?=[{_CJK}])")
#: A leading list number, with whatever spacing Word or WPS puts after it.
_CN = "一二三四五六七八九十"
_LEAD_NUMBER = re.compile(
    rf"^\s*(?:"
    rf"(?P<cn>[{_CN}]+)\s*、"
    rf"|[（(]\s*(?P<pcn>[{_CN}]+)\s*[）)]"
    rf"|[（(]\s*(?P<pn>\d{{1,2}})\s*[）)]"
    rf"|(?P<n>\d{{1,2}})\s*[.．、](?!\d)"
    rf")[ \t\u00a0\u3000]*"
)
#: List bullets (Word's Symbol/Wingdings glyphs included) carry no meaning in the book.
_BULLET = re.compile(r"^[\s\u00a0\u3000]*[●•·▪■◆◇○◎□➢➤►\uf0b7\uf0a7\uf0d8\uf076§Ø]+[ \t\u00a0\u3000]*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalise_number(line: str) -> str:
    """"1. 加快…" → "1.加快…"; "(一) 平台" → "（一）平台": the forms numbering.py ranks."""
    m = _LEAD_NUMBER.match(line)
    if not m:
        return line
    rest = line[m.end():]
    if m.group("cn"):
        head = f"{m.group('cn')}、"
    elif m.group("pcn"):
        head = f"（{m.group('pcn')}）"
    elif m.group("pn"):
        head = f"（{m.group('pn')}）"
    else:
        head = f"{m.group('n')}."
    return head + rest


_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def _join_lines(text: str) -> str:
    """Lines of one cell → one line; no space where either side is not ASCII (CJK)."""
    return re.sub(
        r"(.?)[ \t]*\n[ \t]*(.?)",
        lambda m: m.group(1) + ("" if not (m.group(1).isascii() and m.group(2).isascii()) else " ") + m.group(2),
        text)


def one_line(text: str) -> str:
    """A cell's text kept as the one line the draft holds: its line breaks joined (no
    space between CJK characters, one between ASCII words)."""
    return _join_lines(text.strip("\n"))


def clean_line(line: str) -> str:
    line = _CONTROL.sub("", _INVISIBLE.sub("", line).replace("\t", " "))
    line = _CJK_SPACE.sub("", line)
    line = _BULLET.sub("", line)
    line = normalise_number(line.strip(" \u00a0\u3000"))
    return re.sub(r"[ \u00a0]{2,}", " ", line).strip()


#: A line ending in one of these ends its sentence (or introduces a list): never joined.
_CLOSING = tuple("。！？；：…”’）」』】》!?;:)")
#: Narrowest line (in columns, a CJK character being two) taken for a wrapped one: a
#: PDF or web page wraps at 25–40 characters; headings and list items are shorter.
_WRAP_MIN_COLUMNS = 40


def _columns(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def _starts_item(line: str) -> bool:
    """A numbered or bulleted line, or 第一条-style: the start of an item of its own."""
    return bool(_LEAD_NUMBER.match(line) or _BULLET.match(line)
                or re.match(rf"^\s*第[{_CN}\d]+[条章节部分项]", line))


def join_wrapped(lines: list[str]) -> list[str]:
    """Lines hard-wrapped by a PDF or web page joined back into their paragraphs.

    A line is joined to the next when it runs (nearly) the full width of the block,
    ends without closing punctuation, and the next line does not start an item of its
    own (1. （一） ● 第一条). A blank line, a short line (a heading, the end of a
    paragraph) and a numbered item always start afresh, so real paragraphs and lists
    are kept as they are."""
    widths = [_columns(line.strip()) for line in lines]
    full = max(_WRAP_MIN_COLUMNS, int(max(widths, default=0) * 0.8))
    out: list[str] = []
    joining = False
    for line, width in zip(lines, widths):
        stripped = line.strip(" \u00a0\u3000\t")
        if joining and stripped and not _starts_item(stripped):
            out[-1] = _join_lines(out[-1] + "\n" + stripped)
        else:
            out.append(line)
        joining = width >= full and bool(stripped) and not stripped.endswith(_CLOSING)
    return out


def clean_plain(text: str, unwrap: bool = True) -> str:
    """Plain text from the clipboard → one clean paragraph per line; with `unwrap`, lines
    a PDF or web page hard-wrapped are joined back (join_wrapped)."""
    text = xml_safe(text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
                    .replace("\u2028", "\n").replace("\u2029", "\n").replace("\x0c", "\n"))
    raw = text.split("\n")
    if unwrap:
        raw = join_wrapped(raw)
    lines = (clean_line(line) for line in raw)
    return clean_paragraphs("\n".join(line for line in lines if line))


class _Collector(HTMLParser):
    """Walks the HTML, keeping text and turning block boundaries into newlines."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self._skip = 0
        self._list_number = 0  # depth inside Word's <span style='mso-list:Ignore'>
        self._spans: list[bool] = []  # for each open <span>: is it a list-number span?
        self._cell = False

    def handle_starttag(self, tag, attrs):
        tag = tag.lower()
        if tag in _SKIP:
            self._skip += 1
            return
        if tag == "span":
            style = (dict(attrs).get("style") or "").replace(" ", "").lower()
            is_number = "mso-list:ignore" in style
            self._spans.append(is_number)
            if is_number:
                self._list_number += 1
                self.out.append("\x01")  # marks where a Word list number starts
        elif tag in _BLOCK:
            self.out.append("\n")
        elif tag in ("td", "th"):
            if self._cell:
                self.out.append(" ")
            self._cell = True

    def handle_startendtag(self, tag, attrs):
        if tag.lower() in ("br", "hr"):
            self.out.append("\n")

    def handle_endtag(self, tag):
        tag = tag.lower()
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
            return
        if tag == "span":
            if self._spans and self._spans.pop():
                self._list_number -= 1
                self.out.append("\x02")  # … and where it ends
        elif tag in _BLOCK:
            self.out.append("\n")
            if tag == "tr":
                self._cell = False

    def handle_data(self, data):
        if self._skip:
            return
        # HTML source wraps long lines: a newline in the source is a space.
        self.out.append(re.sub(r"[\r\n]+", " ", data))

    # <!--[if !supportLists]-->, <![if !supportLists]>, <o:p></o:p>: nothing to keep.
    def handle_comment(self, data):
        pass

    def unknown_decl(self, data):
        pass


def _list_number_text(number: str) -> str:
    """Word's list number ("1.", "（一）", "·", "Ø") without its padding spaces."""
    return re.sub(r"[\s\u00a0\u3000]+", "", number)


def html_to_text(html: str) -> str:
    """Clipboard HTML (Word, WPS, a web page) → one paragraph per line, numbers kept."""
    # The clipboard's CF_HTML header (Version:… StartFragment:…) may come along.
    start = html.find("<!--StartFragment-->")
    if start >= 0:
        end = html.find("<!--EndFragment-->", start)
        html = html[start:end if end > 0 else None]
    parser = _Collector()
    parser.feed(html)
    parser.close()
    raw = "".join(parser.out)
    # Glue each Word list number to its paragraph: "\x011.\xa0\xa0\x02加快" → "1.加快".
    raw = re.sub(r"\x01([^\x02]*)\x02", lambda m: _list_number_text(m.group(1)), raw)
    raw = raw.replace("\x01", "").replace("\x02", "")
    # Paragraph ends here are the document's own (<p>, <br>): none is a wrap to undo.
    return clean_plain(raw, unwrap=False)


def split_tsv(text: str) -> list[list[str]]:
    """Excel's clipboard text → rows of cells.

    Excel quotes a cell that holds a newline, a tab or a quote ("a""b" for a"b);
    rows end with CRLF and the block with one more line end.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    rows: list[list[str]] = []
    row: list[str] = []
    cell: list[str] = []
    i, n = 0, len(text)
    quoted = False
    at_cell_start = True
    while i < n:
        ch = text[i]
        if quoted:
            if ch == '"':
                if i + 1 < n and text[i + 1] == '"':
                    cell.append('"')
                    i += 1
                else:
                    quoted = False
            else:
                cell.append(ch)
        elif ch == '"' and at_cell_start:
            quoted = True
            at_cell_start = False
        elif ch == "\t":
            row.append("".join(cell))
            cell, at_cell_start = [], True
        elif ch == "\n":
            row.append("".join(cell))
            rows.append(row)
            row, cell, at_cell_start = [], [], True
        else:
            cell.append(ch)
            at_cell_start = False
        i += 1
    if cell or row:
        row.append("".join(cell))
        rows.append(row)
    # A cell is one line in the draft: its inner lines are joined (CJK without a space).
    return [[clean_line(_join_lines(c)) for c in r] for r in rows]


def join_tsv(rows: list[list[str]]) -> str:
    """Rows of cells → text Excel pastes back into the same cells."""
    def cell(text: str) -> str:
        if any(ch in text for ch in '\t\n"'):
            return '"' + text.replace('"', '""') + '"'
        return text

    return "".join("\t".join(cell(c) for c in row) + "\r\n" for row in rows)
