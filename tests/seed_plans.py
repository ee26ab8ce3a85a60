"""The three real city plans of seeds 002–004 laid out as Word files in their own structure,
each the way such a file is typically made:

- 002 扬州: formatted by hand — no heading styles, 黑体 for 一、, 楷体 bold for （一）, run-in
  "1.…。" paragraphs, a centred title;
- 003 鄂尔多斯: Word's heading styles (Heading 1/2/3) for its headings;
- 004 天津: plain paragraphs numbered by hand, each 专栏 a one-cell boxed table of ● items.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SEEDS = Path("/work/shared/seeds")
if not SEEDS.is_dir():  # a checkout elsewhere: the seeds travel with the shared folder only
    SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_HEADING = re.compile(r"^(第[一二三四五六七八九十]+[部分章]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d{1,2}\s*[.．])")


@dataclass
class Line:
    text: str
    kind: str = "para"  # para | title | h1 | h2 | h3 | box
    items: tuple[str, ...] = ()


def seed_path(number: str) -> Path:
    return next(SEEDS.glob(f"{number}_*.txt"))


def seed_lines(number: str) -> list[Line]:
    """The seed's text as paragraphs with their role (title, heading depth, 专栏 box)."""
    raw = [_BOOKMARK.sub("", line).rstrip() for line in seed_path(number).read_text(encoding="utf-8").splitlines()]
    out: list[Line] = []
    i = 0
    seen_text = False
    while i < len(raw):
        line = raw[i]
        text = line.strip()
        if not text:
            i += 1
            continue
        if text.startswith("专栏"):
            title = [text]
            items: list[str] = []
            i += 1
            while i < len(raw):
                t = raw[i].strip()
                if not t:
                    if items and (i + 1 >= len(raw) or not raw[i + 1].strip().startswith("●")):
                        break
                    i += 1
                    continue
                if t.startswith("●"):
                    items.append(t.lstrip("●").strip())
                elif items:
                    break
                else:
                    title.append(t)
                i += 1
            out.append(Line("".join(title), "box", tuple(items)))
            continue
        i += 1
        m = _HEADING.match(text)
        closing = text.endswith(("。", "；", "：", "，"))
        if not seen_text and not m:
            out.append(Line(text, "title"))
            if len(out) >= 1 and len(text) > 40:
                out[-1].kind = "para"
                seen_text = True
            continue
        seen_text = True
        if m and len(text) <= 40 and not closing:
            depth = 1 if "、" in m.group(1) or m.group(1).startswith("第") else (2 if m.group(1).startswith(("（", "(")) else 3)
            out.append(Line(text, f"h{depth}"))
        else:
            out.append(Line(text))
    return out


def _set_font(run, east_asia: str, size: float | None = None, bold: bool | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    rpr = run._r.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asia)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold


def _box(doc, title: str, items: tuple[str, ...]) -> None:
    """A 专栏: one bordered cell holding the title and the ● items."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    table = doc.add_table(rows=1, cols=1)
    borders = "".join(f'<w:{e} w:val="single" w:sz="8" w:space="0" w:color="000000"/>'
                      for e in ("top", "left", "bottom", "right"))
    table._tbl.tblPr.append(parse_xml(f"<w:tblBorders {nsdecls('w')}>{borders}</w:tblBorders>"))
    cell = table.cell(0, 0)
    head = cell.paragraphs[0]
    _set_font(head.add_run(title), "黑体", 14)
    for item in items:
        _set_font(cell.add_paragraph().add_run(f"● {item}"), "楷体_GB2312", 14)


def write_seed_docx(number: str, path: Path) -> list[Line]:
    """Lay seed `number` out as a .docx at `path`; returns the lines written."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    lines = seed_lines(number)
    doc = docx.Document()
    for line in lines:
        if line.kind == "box":
            _box(doc, line.text, line.items)
            continue
        if number == "003" and line.kind in ("h1", "h2", "h3"):
            doc.add_paragraph(line.text, style=f"Heading {line.kind[1]}")
            continue
        p = doc.add_paragraph()
        run = p.add_run(line.text)
        if line.kind == "title":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _set_font(run, "方正小标宋简体", 22)
        elif number == "002" and line.kind == "h1":
            _set_font(run, "黑体", 16)
        elif number == "002" and line.kind == "h2":
            _set_font(run, "楷体_GB2312", 16, bold=True)
        else:
            _set_font(run, "仿宋_GB2312", 16)
    doc.save(path)
    return lines
