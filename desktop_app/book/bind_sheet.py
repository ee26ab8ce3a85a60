"""打印装订清单: what the officer needs at the printer and the binder, without Qt.

The sheet lists the book's parts in binding order (as compose() builds them) with
their page ranges in the exported PDF, where to sign and seal, how many copies the
guide asks for, the attachments still missing, and the guide's deadline. It is
printed on its own page and never bound into the book.

Page ranges come from the last time LibreOffice laid the draft's book out — for the
preview, 导出 Word (whose 目录 it numbers), 导出 PDF or `export --pdf` on the command
line, all the same layout: pdf.make_pdf reads from the PDF on which page each part
starts (blank pages of odd-page breaks included; see pdf_facts.py) and each of them
records that here per draft (record_pdf_pages). That works wherever LibreOffice does,
which pdftotext (poppler, rarely on Windows) would not. A draft changed since is
flagged: its pages may have moved.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from desktop_app.core.dates import date_cn, parse_iso
from desktop_app.core.draft import Draft
from desktop_app.core.program import Program
from desktop_app.core.store import DraftStore

NO_PAGES = "导出 PDF 后显示页码"
WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class BindPart:
    kind: str  # cover | toc | letter | application_form | plan | attachments
    name: str
    pages: tuple[int, int] | None  # first and last page in the PDF
    seal: str = ""  # what to sign or seal on this part
    items: tuple[str, ...] = ()  # for the attachments: each one, to insert behind its title page

    @property
    def pages_text(self) -> str:
        if self.pages is None:
            return NO_PAGES
        first, last = self.pages
        return f"第 {first} 页" if first == last else f"第 {first}—{last} 页"


@dataclass
class BindSheet:
    title: str  # the book's title
    applicant: str
    parts: list[BindPart]
    pages_note: str  # where the page numbers come from, or why there are none
    copies: str
    binding: str
    deadline: str  # "" when the program gives none
    missing: list[str] = field(default_factory=list)
    seals: list[str] = field(default_factory=list)  # seal notes not tied to a bound part
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The sheet as plain text lines (for the clipboard, the CLI and tests)."""
        out = ["打印装订清单（本页单独打印，不装订入册）", self.title, f"申报单位：{self.applicant or '—'}", "",
               "一、装订顺序与页码", f"（{self.pages_note}）"]
        for n, part in enumerate(self.parts, 1):
            out.append(f"{n}. {part.name}　{part.pages_text}" + (f"　★ {part.seal}" if part.seal else ""))
            out += [f"　　{item}" for item in part.items]
        out += ["", "二、签字盖章"] + ([f"★ {p.name}：{p.seal}" for p in self.parts if p.seal] + self.seals or ["指南未写明"])
        out += ["", "三、份数与装订", f"份数：{self.copies}"] + ([f"装订：{self.binding}"] if self.binding else [])
        out += ["", "四、尚缺附件"] + (self.missing or ["无"])
        out += ["", "五、截止时间", self.deadline or "项目数据未给出截止日期，请以通知为准"]
        if self.notes:
            out += ["", "六、其他要求", *self.notes]
        return out


# pages of the last PDF export ----------------------------------------------------------
def _fingerprint(draft: Draft) -> str:
    """Changes whenever anything printed could change (review marks and the like included)."""
    return hashlib.sha1(json.dumps(draft.data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


#: The kind of the draft's record (DraftStore) holding the pages of its last PDF: kept with
#: the draft in the library and deleted with it.
PDF_PAGES = "pdf_pages"
#: DraftStore.set_draft_record, or DraftStore.record_writer() from another thread.
RecordWriter = Callable[[str, str, "str | None"], None]


def record_pdf_pages(draft: Draft, pdf: str | Path, starts: list[int], total: int, write: RecordWriter) -> None:
    """Remember where each bound part starts in the PDF just exported for this draft."""
    record = {"pdf": str(pdf), "starts": [int(s) for s in starts], "total": int(total),
              "fingerprint": _fingerprint(draft), "when": dt.datetime.now().isoformat(timespec="minutes")}
    write(draft.id, PDF_PAGES, json.dumps(record, ensure_ascii=False))


def load_pdf_pages(draft: Draft, store: DraftStore | None) -> dict | None:
    """The pages recorded for the draft's last PDF, or None (none yet, or no library)."""
    text = store.get_draft_record(draft.id, PDF_PAGES) if store is not None else None
    try:
        record = json.loads(text) if text else None
    except ValueError:
        return None
    if not isinstance(record, dict) or not isinstance(record.get("starts"), list):
        return None
    return record


def page_ranges(starts: list[int], total: int) -> list[tuple[int, int]]:
    """Each part's first and last page from the parts' first pages and the PDF's page count."""
    ends = [s - 1 for s in starts[1:]] + [total]
    return [(s, max(s, e)) for s, e in zip(starts, ends)]


# the sheet --------------------------------------------------------------------------
def _deadline_text(program: Program) -> str:
    sub = program.submission
    day = parse_iso(sub.deadline)
    if day is None:
        return ""
    what = sub.deadline_text or "报送截止"
    return f"{what}：{date_cn(day)}（星期{WEEKDAYS[day.weekday()]}）"


def _missing_attachments(program: Program, draft: Draft) -> list[str]:
    missing = []
    titles = [str(a.get("title") or "").strip() for a in draft.attachments]
    for required in program.submission.attachments:
        if not any(required in t or t in required for t in titles if t):
            missing.append(f"{required}（指南要求，草稿的附件清单中还没有）")
    for n, a in enumerate(draft.attachments, 1):
        title = str(a.get("title") or "").strip() or f"第{n}项附件（未填名称）"
        if not a.get("file") and not a.get("pages"):
            missing.append(f"{title}（未附文件，也未注明页数）")
    return missing


def _attachment_items(program: Program, draft: Draft) -> tuple[str, ...]:
    """The attachments as the book numbers them (compose puts the indicator notes first)."""
    from desktop_app.book.compose import indicator_notes

    listed = [a for a in draft.attachments if str(a.get("title") or "").strip()]
    notes_title, notes = indicator_notes(program, draft)
    items = []
    if notes and notes_title and not any(a["title"].strip() == notes_title for a in listed):
        items.append(f"{notes_title}（由本程序生成）")
    for a in listed:
        pages = a.get("pages")
        if notes and a["title"].strip() == notes_title:
            items.append(f"{notes_title}（由本程序生成，已在册中）")
        else:
            items.append(a["title"].strip() + (f"（{pages} 页，放在其标题页之后）" if pages else "（页数未注明）"))
    return tuple(f"附件{n}　{text}" for n, text in enumerate(items, 1))


def build_bind_sheet(program: Program, draft: Draft, record: dict | None = None) -> BindSheet:
    """The sheet for this draft; `record` is load_pdf_pages(draft) (None: no PDF yet)."""
    from desktop_app.book.compose import compose

    book = compose(program, draft)
    sections = [(s.kind, s.name) for s in book.sections]
    ranges: list[tuple[int, int] | None] = [None] * len(sections)
    if record is None:
        note = NO_PAGES
    elif len(record.get("starts", [])) != len(sections):
        note = f"草稿的装订部分已变，{NO_PAGES}（请重新导出 PDF）"
    else:
        ranges = list(page_ranges(record["starts"], record.get("total", 0)))
        when = str(record.get("when", "")).replace("T", " ")
        note = (f"页码取自 {when} LibreOffice 的排版（与导出的 PDF 相同），共 {record.get('total')} 页，"
                "含奇数页分节插入的空白页")
        if record.get("fingerprint") != _fingerprint(draft):
            note += "；此后草稿已修改，页码可能变动，打印前请打开预览或重新导出 PDF"
    seal_for: dict[str, list[str]] = {}
    for seal in program.submission.seals:
        seal_for.setdefault(seal.part, []).append(seal.text)
    if not program.submission.seals and program.letter is not None:
        seal_for["letter"] = [f"落款“{program.letter.seal}”处加盖公章"]
    kinds = {k for k, _n in sections}
    parts = [BindPart(kind, name, ranges[i], "；".join(seal_for.get(kind, [])),
                      _attachment_items(program, draft) if kind == "attachments" else ())
             for i, (kind, name) in enumerate(sections)]
    # A seal on a part this book does not bind (e.g. no attachments yet) is still said.
    loose = [text for kind, texts in seal_for.items() if kind not in kinds for text in texts]
    sub = program.submission
    copies = sub.copies_text or (f"{sub.copies} 份" if sub.copies else "指南未写明份数，请以通知为准")
    return BindSheet(book.title or draft.title, draft.organization, parts, note, copies, sub.binding,
                     _deadline_text(program), _missing_attachments(program, draft), loose, list(sub.notes))
