"""The 分工 work package: a .docx a department edits in Word, WPS or LibreOffice.

First page: the department, the due date, who sent it, the package number, what it
holds, and a plain instruction. Then, for each part or measure: the guide's
requirement, and for each of its text fields the current text between two visible
mark lines

    【填写开始·a3f9c2e1-3】
    …the text, edited in place or continued below…
    【填写结束·a3f9c2e1-3】

Plain paragraphs with plain text survive every editor's re-save (bookmarks and
content controls do not always: WPS drops some, copy and paste loses them), and a
colleague can see them. The number is the package (the draft's 分工 record) and the
field. Reading accepts tracked changes as if accepted (insertions in, deletions out),
so a colleague who edits with 修订 on is read as the final text.
"""
from __future__ import annotations

import io
import os
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from collections.abc import Iterator

from desktop_app.assign.records import FieldRef, date_text, field_text, package_text, units
from desktop_app.core.draft import Draft
from desktop_app.core.program import Program

#: A package larger than this is not one we wrote (a few parts are well under 1 MB).
MAX_PACKAGE_BYTES = 50 * 1024 * 1024
START, END = "开始", "结束"

_MARK = re.compile(
    r"[【\[〖［]\s*填\s*写\s*(开\s*始|结\s*束)\s*[·・•.．:：\s]*([0-9a-fA-F]{8})\s*[-－—–_‐]\s*(\d{1,4})\s*[】\]〗］]")

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
#: Inside a paragraph: what is not its text once tracked changes are accepted (deleted
#: and moved-away runs), and what belongs elsewhere (text boxes, drawings, field codes).
_SKIP = {_W + t for t in ("pPr", "rPr", "del", "moveFrom", "delText", "instrText", "drawing", "pict",
                          "object", "txbxContent", "footnoteReference", "endnoteReference")}
_SKIP.add(_MC + "AlternateContent")


class PackageError(RuntimeError):
    """The file cannot be read as a work package; the message says why in Chinese."""


def mark(kind: str, assignment_id: str, key: str) -> str:
    return f"【填写{kind}·{assignment_id}-{key}】"


# writing ---------------------------------------------------------------------------------
def _fonts(rpr, east_asia: str, latin: str = "Times New Roman") -> None:
    from desktop_app.book.ooxml import set_fonts

    set_fonts(rpr, east_asia, latin)


# every East Asian font the package's runs name (the font table lists exactly these)
_PACKAGE_FONTS = ("仿宋_GB2312", "黑体", "楷体_GB2312")


def _base_document():
    """A4, generous margins, Chinese text in 仿宋 by default (python-docx's template is US
    Letter and falls back to a Japanese font for East Asian text: FORMAT.md)."""
    from docx import Document
    from docx.shared import Mm, Pt

    from desktop_app.book.ooxml import set_rpr

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(25), Mm(25)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(14)
    rpr = normal.element.get_or_add_rPr()
    _fonts(rpr, "仿宋_GB2312")
    set_rpr(rpr, "w:lang", val="en-US", eastAsia="zh-CN")
    styles = doc.styles.element
    defaults = styles.find(_W + "docDefaults")
    if defaults is not None:
        for el in defaults.iter(_W + "rFonts"):
            for attr in list(el.attrib):
                if attr.endswith("Theme"):
                    del el.attrib[attr]
            el.set(_W + "eastAsia", "仿宋_GB2312")
        for el in defaults.iter(_W + "lang"):
            el.set(_W + "eastAsia", "zh-CN")
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.3
    return doc


def _shade(paragraph, fill: str) -> None:
    from desktop_app.book.ooxml import set_ppr

    set_ppr(paragraph._p.get_or_add_pPr(), "w:shd", val="clear", color="auto", fill=fill)


def _run(paragraph, text: str, *, size: float | None = None, font: str | None = None, bold: bool = False,
         color: str | None = None):
    from docx.shared import Pt, RGBColor

    run = paragraph.add_run(text)
    if size:
        run.font.size = Pt(size)
    if font:
        _fonts(run._r.get_or_add_rPr(), font)
    if bold:
        run.font.bold = True
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    return run


def _first_page(doc, program: Program, draft: Draft, record: dict[str, Any]) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(24)
    _run(title, "申报材料分工填写稿", size=22, font="黑体")
    sub = doc.add_paragraph()
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub.paragraph_format.space_after = Pt(18)
    _run(sub, f"{draft.organization or draft.city} · {program.name}", size=14, font="楷体_GB2312")
    applicant = draft.applicant
    sender = draft.organization or draft.city
    contact = "，".join(x for x in (applicant.get("contact", ""), applicant.get("phone", "")) if x)
    rows = [
        ("承办部门", record.get("department", "")),
        ("交回时间", f"{date_text(record.get('due', ''))}前" if record.get("due") else "（未定）"),
        ("发出单位", f"{sender}（联系人：{contact}）" if contact else sender),
        ("发出日期", date_text(record.get("sent_at", ""))),
        ("分工编号", record.get("id", "")),
        ("本材料内容", "；".join(p.get("title", "") for p in record.get("parts", []))),
    ]
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    table.columns[0].width, table.columns[1].width = Mm(32), Mm(124)
    for i, (label, value) in enumerate(rows):
        left, right = table.rows[i].cells
        left.width, right.width = Mm(32), Mm(124)
        left.paragraphs[0].text = ""
        _run(left.paragraphs[0], label, font="黑体")
        _run(right.paragraphs[0], value, size=16 if label == "承办部门" else None,
             font="黑体" if label in ("承办部门", "交回时间") else None)
    head = doc.add_paragraph()
    head.paragraph_format.space_before = Pt(18)
    _run(head, "填写说明", size=16, font="黑体")
    steps = (
        "本材料按申报指南的要求，列出请贵单位填写或修改的部分。每一部分先列出“指南要求”，再列出目前的文字。",
        "目前的文字放在两条蓝色标记线“【填写开始·…】”和“【填写结束·…】”之间。请在两条标记线之间直接修改，"
        "或在现有文字下方接着写；不需要的文字可以删去。",
        "两条标记线本身请保留，不要删除、修改或移动；标记线以外的内容（指南要求、说明）仅供参考，改动不会被读取。",
        "可以用 Word 或 WPS 编辑，也可以开启“修订”；保存时请保持 .docx 格式，文件名可以不改。",
        "请于交回时间前将本文件发回发出单位。如有疑问，请与联系人联系。",
    )
    for n, text in enumerate(steps, 1):
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(28)
        _run(p, f"{n}. {text}")
    doc.add_page_break()


def _unit_heading(doc, text: str) -> None:
    from docx.shared import Pt

    p = doc.add_paragraph()
    p.paragraph_format.space_before = Pt(16)
    p.paragraph_format.space_after = Pt(6)
    p.paragraph_format.keep_with_next = True
    _run(p, text, size=16, font="黑体")


def _guide(doc, guide: str, info: str) -> None:
    from docx.shared import Pt

    p = doc.add_paragraph()
    p.paragraph_format.space_after = Pt(4)
    _shade(p, "EEF2F7")
    _run(p, "指南要求：", font="黑体", size=12)
    _run(p, guide or "指南对本部分没有具体要求。", font="楷体_GB2312", size=12)
    if info:
        q = doc.add_paragraph()
        q.paragraph_format.space_after = Pt(4)
        _run(q, info, size=12, color="5F6B7A")


def _field_label(doc, label: str) -> None:
    """What the area below is (正文, 具体举措…), on its own line above the start mark: the mark
    lines hold nothing but the mark, so a hint half deleted can never leak into the text."""
    from docx.shared import Pt

    p = doc.add_paragraph()
    p.paragraph_format.keep_with_next = True
    p.paragraph_format.space_before = Pt(6)
    _run(p, f"{label}", size=12, font="黑体")
    _run(p, "（在下面两条标记线之间修改，或在现有文字下方接着写）", size=10.5, color="5F6B7A")


def _mark_line(doc, kind: str, assignment_id: str, key: str) -> None:
    from docx.shared import Pt

    p = doc.add_paragraph()
    p.paragraph_format.keep_with_next = kind == START
    p.paragraph_format.space_after = Pt(0 if kind == START else 8)
    _shade(p, "DCE8F6")
    _run(p, mark(kind, assignment_id, key), size=10.5, font="黑体", color="1F4E79")


def build_package(program: Program, draft: Draft, record: dict[str, Any]):
    """The work package for `record` (a python-docx Document), from the draft as it is now."""
    doc = _base_document()
    doc.core_properties.title = f"申报材料分工填写稿（{record.get('department', '')}）"
    doc.core_properties.subject = f"分工编号 {record['id']}"
    doc.core_properties.keywords = record["id"]
    _first_page(doc, program, draft, record)
    by_path = {f.path: u for u in units(program, draft) for f in u.fields}
    for part in record.get("parts", []):
        fields = part.get("fields", [])
        unit = by_path.get(fields[0]["path"]) if fields else None
        _unit_heading(doc, part.get("title", ""))
        _guide(doc, unit.guide if unit else "", unit.info if unit else "")
        for stored in fields:
            ref = FieldRef(stored["path"], stored.get("label", ""), stored.get("task"))
            text = package_text(field_text(draft, ref) or "")
            _field_label(doc, stored.get("label", ""))
            _mark_line(doc, START, record["id"], stored["key"])
            for line in text.split("\n"):
                p = doc.add_paragraph()
                p.paragraph_format.first_line_indent = None
                _shade(p, "FFFBEA")
                if line:
                    p.add_run(line)
            _mark_line(doc, END, record["id"], stored["key"])
    from desktop_app.book.ooxml import modern_package

    # the same clean package as the book (no template leftovers Word would offer to repair)
    modern_package(doc, title=doc.core_properties.title, author=draft.organization or draft.city,
                   latin="Times New Roman", chinese=_PACKAGE_FONTS)
    return doc


def write_package(program: Program, draft: Draft, record: dict[str, Any], path: str | os.PathLike) -> Path:
    """Write the package to `path` atomically (an old file there stays intact on failure).
    Raises PackageError with a Chinese message when it cannot be written."""
    import errno

    from desktop_app.core.exchange import atomic_write_bytes

    path = Path(path)
    if not path.parent.is_dir():
        raise PackageError(f"保存位置 {path.parent} 不存在，请选择一个已有的文件夹。")
    buffer = io.BytesIO()
    build_package(program, draft, record).save(buffer)
    try:
        atomic_write_bytes(path, buffer.getvalue())
    except PermissionError as exc:
        raise PackageError(f"无法写入 {path}：文件可能正在 Word/WPS 中打开，或文件夹不可写。请关闭该文件或另选位置。") from exc
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise PackageError(f"无法写入 {path}：磁盘空间不足。") from exc
        raise PackageError(f"无法写入 {path}：{exc.strerror or exc}。请另选位置后重试。") from exc
    return path


# reading ---------------------------------------------------------------------------------
@dataclass
class PackageContent:
    """What a returned package holds: its 分工编号, each field's text by key, and problems
    found (marks missing or doubled), in Chinese."""

    assignment_id: str
    texts: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _run_text(el, out: list[str]) -> None:
    for child in el:
        tag = child.tag
        if tag in _SKIP:
            continue
        if tag == _W + "t":
            out.append(child.text or "")
        elif tag in (_W + "tab", _W + "ptab"):
            out.append("\t")
        elif tag == _W + "br":
            # a page or column break is no text; a line break (Shift+Enter) starts a new line
            if child.get(_W + "type") in (None, "textWrapping"):
                out.append("\n")
        elif tag == _W + "cr":
            out.append("\n")
        elif tag == _W + "noBreakHyphen":
            out.append("-")
        elif isinstance(tag, str):
            _run_text(child, out)


def paragraph_text(p) -> str:
    """A w:p's text with tracked changes accepted: w:ins kept, w:del and w:moveFrom left out."""
    out: list[str] = []
    _run_text(p, out)
    return "".join(out)


def _mark_deleted(p) -> bool:
    """The paragraph's own mark is a tracked deletion: accepted, it joins the next one."""
    ppr = p.find(_W + "pPr")
    rpr = ppr.find(_W + "rPr") if ppr is not None else None
    return rpr is not None and (rpr.find(_W + "del") is not None or rpr.find(_W + "moveFrom") is not None)


def body_lines(body) -> Iterator[str]:
    """The document's lines in reading order: each paragraph, each table row (cells joined
    by ｜), content controls opened. Nothing typed in the body is left out."""
    pending = None
    for el in _blocks(body):
        if el.tag == _W + "p":
            text = paragraph_text(el)
            if pending is not None:
                text = pending + text
                pending = None
            if _mark_deleted(el):
                pending = text
                continue
            yield text
        else:  # a table
            if pending is not None:
                yield pending
                pending = None
            for row in el.iter(_W + "tr"):
                cells = []
                for cell in row.findall(_W + "tc"):
                    cells.append(" ".join(paragraph_text(p) for p in cell.iter(_W + "p")).strip())
                yield "｜".join(cells)
    if pending is not None:
        yield pending


def _blocks(parent) -> Iterator[Any]:
    for el in parent:
        if el.tag in (_W + "p", _W + "tbl"):
            yield el
        elif el.tag == _W + "sdt":
            content = el.find(_W + "sdtContent")
            if content is not None:
                yield from _blocks(content)
        elif el.tag in (_W + "customXml", _W + "ins", _W + "moveTo"):
            yield from _blocks(el)


def _open_docx(path: Path):
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise PackageError(f"找不到文件 {path}。") from exc
    except OSError as exc:
        raise PackageError(f"无法读取 {path}：{exc.strerror or exc}。") from exc
    if size == 0:
        raise PackageError(f"{path.name} 是空文件（0 字节），可能没有保存完整，请让对方重新发送。")
    if size > MAX_PACKAGE_BYTES:
        raise PackageError(f"{path.name} 太大（{size // (1024 * 1024)} MB），不是本程序发出的分工材料。")
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise PackageError(f"{path.name} 是旧版 Word/WPS 格式（.doc/.wps）或已加密。请在 Word 或 WPS 中打开它，"
                           "取消密码后“另存为”Word 文档（.docx），再收回。")
    if not zipfile.is_zipfile(path):
        raise PackageError(f"{path.name} 不是 Word 文档（.docx），无法读取。请确认选择的是对方发回的分工材料。")
    try:
        return Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, OSError) as exc:
        raise PackageError(f"{path.name} 已损坏或不是 Word 文档，无法读取。请让对方重新保存后发送。") from exc
    except Exception as exc:  # lxml's XMLSyntaxError and the like: a damaged document part
        raise PackageError(f"{path.name} 的内容已损坏，无法读取。请让对方在 Word/WPS 中重新保存后发送。") from exc


#: Saved by WPS or Word in another format: read after LibreOffice turns it into .docx.
OTHER_FORMATS = (".doc", ".wps", ".odt", ".rtf", ".wpt", ".dot")


def _needs_conversion(path: Path) -> bool:
    if path.suffix.lower() in OTHER_FORMATS:
        return True
    try:
        with open(path, "rb") as fh:
            return fh.read(8).startswith(b"\xd0\xcf\x11\xe0")  # .doc/.wps (or an encrypted .docx)
    except OSError:
        return False


def to_docx(path: Path, work: Path, timeout: float = 120.0) -> Path:
    """`path` (.doc, .wps, .odt…) as .docx in `work`, by a LibreOffice of our own (book/pdf.py
    convert_to_docx: a private profile, stopped with its children when done or after `timeout`).
    PackageError when that cannot be done."""
    from desktop_app.book.pdf import ConvertError, convert_to_docx

    try:
        return convert_to_docx(path, work, timeout)
    except ConvertError as exc:
        raise PackageError(_CONVERT_MESSAGES[exc.reason].format(
            name=path.name, seconds=int(timeout), detail=exc.detail)) from exc


_CONVERT_MESSAGES = {
    "no_office": "{name} 不是 .docx 格式，本机又没有安装 LibreOffice，无法转换。请在 Word 或 WPS 中打开它，"
                 "“另存为”Word 文档（.docx）后再收回。",
    "start": "无法启动 LibreOffice 转换 {name}：{detail}。请在 Word 或 WPS 中打开它，“另存为”Word 文档（.docx）后再收回。",
    "timeout": "LibreOffice 转换 {name} 超过 {seconds} 秒仍未完成，已停止。请在 Word 或 WPS 中打开它，"
               "“另存为”Word 文档（.docx）后再收回。",
    "failed": "LibreOffice 无法转换 {name}（文件可能已加密或损坏）。请在 Word 或 WPS 中打开它，"
              "取消密码后“另存为”Word 文档（.docx），再收回。",
}


def read_package(path: str | os.PathLike) -> PackageContent:
    """The fields of a returned work package. Raises PackageError (Chinese) when the file is
    not a readable .docx or holds no 分工 marks at all. A .doc/.wps/.odt is read through
    LibreOffice when it is installed."""
    path = Path(path)
    if path.is_file() and path.stat().st_size and _needs_conversion(path):
        import tempfile

        with tempfile.TemporaryDirectory(prefix="assign-") as work:
            content = _read_docx(to_docx(path, Path(work)), path.name)
        return content
    return _read_docx(path, path.name)


def _read_docx(path: Path, name: str) -> PackageContent:
    doc = _open_docx(path)
    lines = list(body_lines(doc.element.body))
    found: list[tuple[int, re.Match]] = [(i, m) for i, line in enumerate(lines) for m in _MARK.finditer(line)]
    if not found:
        raise PackageError(f"{name} 中没有找到分工标记（【填写开始·…】），不是本程序发出的分工材料，"
                           "或标记已被删除。")
    ids = Counter(m.group(2).lower() for _i, m in found)
    assignment_id = ids.most_common(1)[0][0]
    content = PackageContent(assignment_id)
    if len(ids) > 1:
        content.problems.append("文件中有其他分工材料的标记（可能是从别的分工材料复制来的），只读取编号 "
                                f"{assignment_id} 的内容。")
    starts: dict[str, list[tuple[int, re.Match]]] = {}
    ends: dict[str, list[tuple[int, re.Match]]] = {}
    for i, m in found:
        if m.group(2).lower() != assignment_id:
            continue
        kind = START if "开" in m.group(1) else END
        (starts if kind == START else ends).setdefault(str(int(m.group(3))), []).append((i, m))
    for key in sorted(set(starts) | set(ends), key=int):
        s, e = starts.get(key, []), ends.get(key, [])
        if len(s) != 1 or len(e) != 1:
            what = "缺少开始标记" if not s else "缺少结束标记" if not e else "标记重复"
            content.problems.append(f"第 {key} 处填写区{what}，无法确定填写的范围，未读取。")
            continue
        (si, sm), (ei, em) = s[0], e[0]
        if (ei, em.start()) <= (si, sm.start()):
            content.problems.append(f"第 {key} 处填写区的结束标记在开始标记之前，未读取。")
            continue
        if si == ei:
            area = [lines[si][sm.end():em.start()]]
        else:
            # text typed on a mark's own line, after the start or before the end, is the colleague's
            head, tail = lines[si][sm.end():], lines[ei][:em.start()]
            area = ([head] if head.strip() else []) + lines[si + 1:ei] + ([tail] if tail.strip() else [])
        if any(_MARK.search(line) for line in area):
            content.problems.append(f"第 {key} 处填写区中夹有其他填写区的标记，未读取。")
            continue
        content.texts[key] = "\n".join(area).strip("\n")
    return content
