"""compose(Program, Draft) → Book: the application in binding order, as plain blocks."""
from __future__ import annotations

import re
from typing import Any

from desktop_app.book.layout import MM, Layout, atoms, fit_widths, header_atoms, name_atoms
from desktop_app.book.model import (
    AttachmentList, AttachmentPage, Block, Book, Column, Contents, Cover, FormTable, Heading, Letter, Panel,
    Paragraph, Section, Table, Title,
)
from desktop_app.core.cleaning import paragraphs, xml_safe
from desktop_app.core.dates import date_cn
from desktop_app.core.draft import Draft, choice_values
from desktop_app.core.figures import format_number
from desktop_app.core.numbering import number_rank, numbered, subheading_rank
from desktop_app.core.program import OutlineNode, Program
from desktop_app.core.textrender import render

_CLOSING = re.compile(r"[。；;：:，,]$")


def context(program: Program, draft: Draft) -> dict[str, Any]:
    """The fields the program's fixed-text templates may use (listed in docs/programs.md).

    `choices` holds every choice the program declares ("" until chosen), so
    {{ choices.industry_chain }} renders on a fresh draft too.
    """
    a = draft.applicant
    return {
        "city": a.get("city", ""),
        "organization": a.get("organization", ""),
        "contact": a.get("contact", ""),
        "phone": a.get("phone", ""),
        "year": draft.year,
        "period_start": draft.plan_years[0],
        "period_end": draft.plan_years[-1],
        "period_years": len(draft.plan_years),
        "program_name": program.name,
        "short_name": program.short_name,
        "choices": choice_values(program, draft),
        "date_cn": date_cn(draft.letter_date),
    }


#: "1. " at the start of a line: GB/T 9704 numbers items "1." with the text straight after.
_NUMBER_SPACE = re.compile(r"^(\d{1,2}\.)[ \u3000\u00a0]+(?=\S)")


def tidy_number(line: str) -> str:
    """"1. 申报项目…" → "1.申报项目…" (only the space after a leading item number goes)."""
    return _NUMBER_SPACE.sub(r"\1", line)


def _text_blocks(text: str, level: int) -> list:
    """Prose → paragraphs, with short numbered lines promoted to sub-headings."""
    blocks: list = []
    for line in map(tidy_number, paragraphs(text)):
        rank = subheading_rank(line)
        if rank:
            blocks.append(Heading(line, rank, level))
        else:
            blocks.append(Paragraph(line))
    return blocks


def _departments(lead: str, partners: list[str]) -> str:
    parts = []
    if lead.strip():
        parts.append(f"牵头部门：{lead.strip()}")
    partners = [p.strip() for p in partners if p.strip()]
    if partners:
        parts.append(f"配合部门：{'、'.join(partners)}")
    return f"〔{'；'.join(parts)}〕" if parts else ""


def _problems(part: dict, level: int) -> list:
    blocks = _text_blocks(part.get("text", ""), level)
    for n, item in enumerate(part.get("items", []), 1):
        problem = " ".join(paragraphs(item.get("problem", "")))
        answer = " ".join(paragraphs(item.get("countermeasure", "")))
        if problem:
            blocks.append(Paragraph(numbered(4, n, problem)))
        if answer:
            blocks.append(Paragraph(f"对策：{answer}"))
    return blocks


def indicator_table(program: Program, draft: Draft, caption: str | None = None) -> Table:
    """绩效目标指标表: baseline year, one column per plan year, the guide's requirement."""
    years = draft.plan_years
    node = program.part_of_kind("targets")
    part = draft.part(node.id) if node else {}
    # A figure never prints as an empty cell: a missing one prints the program's dash,
    # a reason typed instead of a number (不适用, 未统计) prints as typed.
    empty = str(program.book.get("empty_figure", "—"))

    def figure(value) -> str:
        return format_number(value) or empty

    rows = []
    for n, ind in enumerate(part.get("indicators", []), 1):
        guide = program.indicator(ind.get("key"))
        targets = list(ind.get("targets", [])) + [None] * len(years)
        rows.append(
            (str(n), ind.get("name", ""), ind.get("unit", ""), figure(ind.get("baseline")),
             *(figure(t) for t in targets[: len(years)]),
             guide.requirement if guide else "")
        )
    headers = ("序号", "指标名称", "单位", f"基期值（{years[0] - 1}年）", *(f"{y}年" for y in years), "指南要求")
    aligns = ("center", "left", "center", "right", *("right" for _ in years), "center")
    widths = fitted_widths(headers, rows)
    columns = tuple(Column(h, w, a) for h, w, a in zip(headers, widths, aligns))
    if caption is None:
        caption = program.book.get("indicator_table_title", "绩效目标指标表")
    return Table(caption, columns, tuple(rows), "targets")


def fitted_widths(headers, rows, names: tuple[int, ...] = ()) -> list[float]:
    """Column widths (mm of the type area) from what the columns hold: no header word, short
    cell (序号, 万元, 2021年), number or department name (columns `names`) is ever split."""
    lay = Layout()
    columns = []
    for i, header in enumerate(headers):
        cells = [str(r[i]) for r in rows if i < len(r) and str(r[i])]
        split = name_atoms if i in names else atoms
        columns.append((header_atoms(header) + [a for c in cells for a in split(c)], cells or [header]))
    return [w / MM for w in fit_widths(columns, lay.text_width, lay.table_size_pt, list(headers))]


def schedule_table(program: Program, draft: Draft) -> Table:
    """进度安排表, rows in year order (stable within a year, as the officer entered them)."""
    node = program.part_of_kind("schedule")
    part = draft.part(node.id) if node is not None else {}
    rows = sorted(part.get("rows", []), key=lambda r: (r.get("year") or 9999))
    body = []
    for row in rows:
        task = program.task(row.get("task", ""))
        end = row.get("year_end")
        body.append((
            (f"{row['year']}—{end}年" if isinstance(end, int) and end != row["year"] else f"{row['year']}年")
            if row.get("year") else "",
            task.title if task else row.get("task", ""),
            row.get("progress", ""),
            row.get("lead", ""),
            "、".join(row.get("partners", [])),
        ))
    headers = ("年度", "主要任务", "进度安排", "牵头部门", "配合部门")
    widths = fitted_widths(headers, body, names=(3, 4))
    columns = tuple(Column(h, w, "center" if h == "年度" else "left") for h, w in zip(headers, widths))
    return Table(program.book.get("schedule_table_title", "进度安排表"), columns, tuple(body), "schedule")


def indicator_notes(program: Program, draft: Draft) -> tuple[str, tuple[str, ...]]:
    """工作目标涉及指标说明: each indicator's 说明, printed as an attachment of its own."""
    title = program.book.get("indicator_notes_title", "工作目标涉及指标说明")
    node = program.part_of_kind("targets")
    if node is None:
        return title, ()
    rows = draft.part(node.id).get("indicators", [])
    def sentence(text: str) -> str:
        text = " ".join(paragraphs(text))
        return text if _CLOSING.search(text) or text.endswith(("。", "！", "？")) else text + "。"

    notes = tuple(
        f"{n}.{ind.get('name', '').strip()}（{ind.get('unit', '').strip()}）：{sentence(ind['note'])}"
        for n, ind in enumerate((i for i in rows if i.get("note", "").strip()), 1)
    )
    return title, notes


def _measures(program: Program, part: dict, level: int) -> list:
    blocks = _text_blocks(part.get("text", ""), level)
    for n, measure in enumerate(part.get("tasks", []), 1):
        task = program.task(measure.get("task", ""))
        title = (measure.get("title") or (task.title if task else "")).strip()
        blocks.append(Heading(numbered(2, n, title), 2, level, anchor=f"task:{measure.get('task')}"))
        blocks.extend(_text_blocks(measure.get("text", ""), level + 1))
        note = _departments(measure.get("lead", ""), measure.get("partners", []))
        if note:
            blocks.append(Paragraph(note, "note"))
        for project in measure.get("projects", []):
            items = tuple(i.strip() for i in project.get("items", []) if i.strip())
            blocks.append(Panel(project.get("title", "").strip(), items))
    return blocks


#: How each part kind (core.part_kinds) prints: (program, draft, part, level) → blocks.
PART_BLOCKS = {
    "prose": lambda program, draft, part, level: _text_blocks(part.get("text", ""), level),
    "problems": lambda program, draft, part, level: _problems(part, level),
    "targets": lambda program, draft, part, level:
        _text_blocks(part.get("text", ""), level) + [indicator_table(program, draft)],
    "measures": lambda program, draft, part, level: _measures(program, part, level),
    "schedule": lambda program, draft, part, level:
        _text_blocks(part.get("text", ""), level) + [schedule_table(program, draft)],
}


def _part_blocks(program: Program, draft: Draft, node: OutlineNode, level: int) -> list:
    build = PART_BLOCKS.get(node.kind)
    return build(program, draft, draft.part(node.id), level + 1) if build else []


def _outline_blocks(program: Program, draft: Draft) -> list:
    blocks: list = []

    def visit(nodes, level):
        for node in nodes:
            rank = number_rank(node.heading) or min(level, 4)
            blocks.append(Heading(node.heading, rank, level, anchor=node.id))
            if node.kind != "group":
                blocks.extend(_part_blocks(program, draft, node, level))
            visit(node.children, level + 1)

    visit(program.outline, 1)
    return blocks


#: The 项目申报书's rows when program.yaml gives none: the applicant, the program,
#: one row per choice, the period and the contact.
DEFAULT_FORM_FIELDS = (
    ("申报单位", "{{ organization }}"),
    ("项目名称", "{{ plan_title }}"),
    ("所属方向", "{{ short_name }}"),
    ("建设期", "{{ period_start }}—{{ period_end }}年（{{ period_years }}年）"),
    ("联系人", "{{ contact }}"),
    ("联系电话", "{{ phone }}"),
)


def _form_fields(program: Program) -> list[tuple[str, str]]:
    configured = (program.book.get("application_form") or {}).get("fields")
    if configured:
        return [(str(label), str(value)) for label, value in configured]
    fields = list(DEFAULT_FORM_FIELDS)
    at = 3  # the choices follow 所属方向
    for choice in program.choices:
        fields.insert(at, (choice.label, f"{{{{ choices.{choice.id} }}}}"))
        at += 1
    return fields


def application_form(program: Program, draft: Draft, ctx: dict[str, Any]) -> Section:
    """项目申报书: the form the guide's online system prints, as a bordered table of the
    applicant's fields, then the 绩效目标 summary (the plan's indicator table), then
    where the seal goes. Rows of choices not yet made print empty, as on paper."""
    cfg = program.book.get("application_form") or {}
    title = render(cfg.get("title", "项目申报书"), ctx, "application_form.title")
    rows = tuple((label, render(value, ctx, f"application_form.{label}")) for label, value in _form_fields(program))
    blocks: list = [Title(title), FormTable(rows)]
    if program.part_of_kind("targets") is not None:
        blocks.append(indicator_table(program, draft, cfg.get("indicator_title", "绩效目标")))
    signature = cfg.get("signature", ["申报单位（盖章）：{{ organization }}", "{{ date_cn }}"])
    lines = [render(line, ctx, "application_form.signature") for line in signature]
    # the last line is the date, four characters in from the right; the lines above it
    # (申报单位（盖章）：…) are centred over it, as under the 信用承诺书
    blocks += [Paragraph(line, "signer") for line in lines[:-1]] + [Paragraph(lines[-1], "date")] if lines else []
    # Two pages (the form, then 绩效目标): numbered — 1 —, — 2 — on their own, as the online
    # system prints them; the plan starts again at 1.
    return Section("application_form", title, blocks, restart_numbering=True)


def compose(program: Program, draft: Draft) -> Book:
    """The book in the program's binding order: cover, letter or 项目申报书, plan, attachments."""
    ctx = context(program, draft)
    cover_cfg = program.book.get("cover", {})
    plan_title = render(program.book.get("plan_title", "{{ city }}建设方案"), ctx, "plan_title")
    ctx["plan_title"] = plan_title
    book = Book(title=plan_title, applicant=ctx["organization"].strip())
    attachments = [a for a in draft.attachments if a.get("title", "").strip()]
    notes_title, notes = indicator_notes(program, draft)
    if notes and notes_title and not any(a["title"].strip() == notes_title for a in attachments):
        # The indicator notes always travel with the book, as seed plans attach them.
        attachments.insert(0, {"title": notes_title})
    order = program.binding_order
    for kind in order:
        if kind == "cover":
            cover = Cover(
                program_line=render(cover_cfg.get("program_line", "{{ program_name }}"), ctx, "cover.program_line"),
                title=render(cover_cfg.get("title", plan_title), ctx, "cover.title"),
                fields=tuple(
                    (label, render(value, ctx, f"cover.{label}")) for label, value in cover_cfg.get("fields", [])
                ),
                mark="示例草稿 · 仅供参考" if draft.is_sample else "",
            )
            book.sections.append(Section("cover", "封面", [cover], numbered=False))
        elif kind == "letter":
            letter = program.letter
            if letter is None:  # program.py refuses this; a hand-built Program may not
                raise ValueError("binding_order 含 letter，但项目没有信用承诺书")
            block = Letter(
                title=letter.title,
                paragraphs=tuple(tidy_number(render(p, ctx, "letter")) for p in letter.paragraphs),
                signer=render(letter.signer, ctx, "letter.signer"),
                seal=letter.seal,
                date=ctx["date_cn"],
            )
            book.sections.append(Section("letter", letter.title, [block], numbered=False))
        elif kind == "application_form":
            book.sections.append(application_form(program, draft, ctx))
        elif kind == "plan":
            blocks: list = [Title(plan_title), *_outline_blocks(program, draft)]
            if attachments:
                blocks.append(AttachmentList(tuple(a["title"].strip() for a in attachments)))
            book.sections.append(Section("plan", plan_title, blocks, restart_numbering=True))
        elif kind == "attachments":
            if attachments:
                notes_title, notes = indicator_notes(program, draft)
                pages: list[Block] = [
                    AttachmentPage(n, a["title"].strip(), notes if a["title"].strip() == notes_title else ())
                    for n, a in enumerate(attachments, 1)
                ]
                book.sections.append(Section("attachments", "附件材料", pages))
        elif kind != "toc":
            raise ValueError(f"binding_order 中的“{kind}”未知")
    if "toc" in order:
        _insert_contents(book, order)
    return _xml_safe_book(book)


def _insert_contents(book: Book, order: list[str]) -> None:
    """目录 lists the plan's headings to level 2 and each attachment; it is built last
    because it must know them, and placed where binding_order puts it. Unnumbered
    parts (信用承诺书, 项目申报书) are not listed: they carry no page number to point at."""
    entries = [(h.text, h.level) for s in book.sections if s.kind == "plan"
               for h in s.blocks if isinstance(h, Heading) and h.level <= 2]
    entries += [(p.title, 1) for s in book.sections if s.kind == "attachments"
                for p in s.blocks if isinstance(p, AttachmentPage)]
    section = Section("toc", "目录", [Contents("目　录", tuple(entries))], numbered=False)
    kinds_before = order[: order.index("toc")]
    at = sum(1 for s in book.sections if s.kind in kinds_before)
    book.sections.insert(at, section)


def _xml_safe_book(book: Book) -> Book:
    """Strings reach Word only through here, so no pasted control character breaks the export."""
    import dataclasses

    def clean(value):
        if isinstance(value, str):
            return xml_safe(value)
        if isinstance(value, tuple):
            return tuple(clean(v) for v in value)
        if dataclasses.is_dataclass(value):
            return dataclasses.replace(value, **{f.name: clean(getattr(value, f.name)) for f in dataclasses.fields(value)})
        return value

    book.title = xml_safe(book.title)
    book.applicant = xml_safe(book.applicant)
    for section in book.sections:
        section.name = xml_safe(section.name)
        section.blocks = [clean(b) for b in section.blocks]
    return book
