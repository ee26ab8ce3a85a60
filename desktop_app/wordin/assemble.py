"""From a read document and a confirmed mapping to a new draft and its report.

Every paragraph read ends in one of three places, and the report counts each:
placed in a part (or a field: applicant, attachments, an indicator's note), left in
the draft's 未归入 list, or recognised as text the program itself prints from the
new draft (the cover, the 信用承诺书, the captions, a copy of the indicator table…),
which is why it is not stored twice. Nothing else is dropped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from desktop_app.core.cleaning import paragraphs
from desktop_app.core.draft import Draft, new_draft
from desktop_app.core.numbering import number_rank
from desktop_app.core.program import Program
from desktop_app.wordin import tables
from desktop_app.wordin.headings import Heading, clean_title, detect
from desktop_app.wordin.mapping import MEASURE, SUB, UNPLACED, suggest
from desktop_app.wordin.reader import Para, Table

_NOTE = re.compile(r"^〔(?:牵头部门：(?P<lead>[^；〕]*))?(?:；)?(?:配合部门：(?P<partners>[^〕]*))?〕$")
_ATTACH_LIST = re.compile(r"^附件[:：]\s*(?:\d+[.．、]\s*)?(?P<title>.+)$")
_ATTACH_ITEM = re.compile(r"^\d+[.．、]\s*(?P<title>.+)$")
_ATTACH_PAGE = re.compile(r"^附件\s*(?P<n>\d+)$")
_INDICATOR_NOTE = re.compile(r"^\d+[.．]\s*(?P<name>.+?)（(?P<unit>[^（）]*)）[:：](?P<note>.*)$")
_COVER = re.compile(r"^(?P<label>申报单位|联系人|联系电话|申报日期)[:：](?P<value>.+)$")
_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_PROBLEM = re.compile(r"^[（(](\d{1,2})[）)]\s*(.*)$")


@dataclass
class Report:
    """What an import did, for the closing message and the command line."""

    paragraphs: int = 0  # non-empty paragraphs read (headings included; not the 目录)
    placed: int = 0
    unplaced: int = 0
    generated: int = 0  # the program's own printed text (cover, letter, captions…)
    toc: int = 0  # lines of a 目录, rebuilt by the program
    tables: int = 0
    indicator_tables: int = 0
    schedule_tables: int = 0
    projects: int = 0
    text_tables: int = 0
    duplicate_tables: int = 0
    indicators: int = 0
    schedule_rows: int = 0
    parts_filled: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"读取段落 {self.paragraphs} 段：归入各部分 {self.placed} 段，留在“未归入” {self.unplaced} 段"
            + (f"，程序自动生成的文字（封面、承诺书、表题等）{self.generated} 段" if self.generated else "") + "。",
            f"读取表格 {self.tables} 个：绩效目标表 {self.indicator_tables} 个（{self.indicators} 项指标），"
            f"进度安排表 {self.schedule_tables} 个（{self.schedule_rows} 行），专栏 {self.projects} 个，"
            f"其他表格 {self.text_tables} 个（按行保留为文字）"
            + (f"，与已读表格相同的重复表格 {self.duplicate_tables} 个" if self.duplicate_tables else "") + "。",
        ]
        if self.toc:
            out.append(f"目录 {self.toc} 行未导入（导出时按方案标题重新生成）。")
        if self.parts_filled:
            out.append("已填入：" + "、".join(self.parts_filled) + "。")
        return out


@dataclass
class Document:
    """A read document: its blocks and, among them, its headings."""

    blocks: list
    headings: list[Heading]

    @classmethod
    def from_blocks(cls, blocks: list) -> Document:
        blocks = _join_split(blocks)
        claimed = _attachment_lines(blocks)
        heads = [h for h in (detect(b) for b in blocks if isinstance(b, Para) and id(b) not in claimed)
                 if h is not None]
        return cls(blocks, heads)

    def suggestion(self, program: Program) -> list[str]:
        return suggest(program, self.headings)


def _attachment_lines(blocks: list) -> set[int]:
    """ids of the paragraphs _Builder._attachment takes for 附件材料 whatever the mapping says —
    the items of a 附件：1.… list and the title under an 附件N page label — so that the
    mapping view does not offer them as headings (the same states as the builder: a list runs
    while its items follow; a heading ends an attachment page)."""
    claimed: set[int] = set()
    mode = ""
    for b in blocks:
        if not isinstance(b, Para) or b.toc:
            continue
        compact = re.sub(r"\s+", "", " ".join(paragraphs(b.text)))
        if not compact:
            continue
        if _ATTACH_LIST.match(compact):
            mode = "attach_list"
            continue
        if mode == "attach_list" and _ATTACH_ITEM.match(compact):
            claimed.add(id(b))
            continue
        if _ATTACH_PAGE.match(compact):
            mode = "attach_title"
            continue
        if mode == "attach_title":
            claimed.add(id(b))
            mode = "attach_page"
            continue
        if mode == "attach_list" or detect(b) is not None:
            mode = ""
    return claimed


class _Builder:
    def __init__(self, program: Program, draft: Draft, doc: Document, mapping: list[str]):
        self.program = program
        self.draft = draft
        self.doc = doc
        self.mapping = {id(h.para): key for h, key in zip(doc.headings, mapping)}
        self.heading_of = {id(h.para): h for h in doc.headings}
        self.report = Report()
        self.lines: dict[str, list[str]] = {}
        self.measures: list[dict] = []
        self.indicators: list[dict] | None = None
        self.rows: list[dict] | None = None
        self.attachments: list[str] | None = None
        self.unplaced: list[dict] = []  # {text, kind, source, count: paragraphs in it}
        self.current: tuple[str, Any] | None = None
        self.mode = ""  # "" | "attach_list" | "attach_page"
        self.page_title_pending = False
        measures = program.part_of_kind("measures")
        self.measures_id = measures.id if measures else None
        self.years = draft.plan_years
        form = program.book.get("application_form") or {}
        self.captions = {program.book.get("indicator_table_title", "绩效目标指标表"),
                         program.book.get("schedule_table_title", "进度安排表"), form.get("indicator_title", "绩效目标")}

    # where text goes ------------------------------------------------------------
    def _add(self, lines: list[str], source: str, kind: str = "paragraph", count: int = 1) -> None:
        cur = self.current
        if cur is None or cur[0] == "unplaced_new":
            self._unplace(lines, kind, source, count)
            return
        if cur[0] == "part":
            self.lines.setdefault(cur[1], []).extend(lines)
        elif cur[0] == "measure":
            self.measures[cur[1]]["lines"].extend(lines)
        elif cur[0] == "unplaced":
            entry = self.unplaced[cur[1]]
            entry["text"] += "\n" + "\n".join(lines)
            entry["count"] += count
            entry["kind"] = "section"
            return
        self.report.placed += count

    def _unplace(self, lines: list[str], kind: str, source: str, count: int = 1) -> int:
        self.unplaced.append({"text": "\n".join(lines), "kind": kind, "source": source, "count": count})
        return len(self.unplaced) - 1

    # blocks -----------------------------------------------------------------------
    def run(self) -> None:
        blocks = self.doc.blocks
        for n, block in enumerate(blocks):
            if isinstance(block, Para):
                nxt = blocks[n + 1] if n + 1 < len(blocks) else None
                self._para(block, nxt)
            else:
                self._table(block)

    def _para(self, p: Para, nxt) -> None:
        if p.toc:
            if p.text.strip():
                self.report.toc += 1
            return
        lines = paragraphs(p.text)
        if not lines:
            return
        self.report.paragraphs += 1
        text = " ".join(lines)
        source = f"第{p.index}段"
        if self._attachment(text, source):
            return
        heading = self.heading_of.get(id(p))
        if heading is not None:
            self.mode = ""
            self._heading(heading, self.mapping.get(id(p), SUB), source)
            return
        if isinstance(nxt, Table) and tables.kind_of(nxt) in (tables.INDICATORS, tables.SCHEDULE) \
                and re.sub(r"\s+", "", text) in self.captions:
            self.report.placed += 1  # the table's caption: the program prints the same one itself
            return
        m = _NOTE.match(text)
        if m and self.current and self.current[0] == "measure" and (m.group("lead") or m.group("partners")):
            measure = self.measures[self.current[1]]
            if not measure["lead"] and not measure["partners"]:
                measure["lead"] = (m.group("lead") or "").strip()
                measure["partners"] = [x.strip() for x in (m.group("partners") or "").split("、") if x.strip()]
                self.report.placed += 1
                return
        if self.current is None:
            m = _COVER.match(re.sub(r"\s+", "", text))
            if m and self._cover(m.group("label"), m.group("value")):
                self.report.placed += 1
                return
        self._add(lines, source)

    def _heading(self, h: Heading, key: str, source: str) -> None:
        line = [" ".join(paragraphs(h.text))]
        if key.startswith("part:"):
            part_id = key[5:]
            if self.lines.get(part_id):
                # A second section for the same part: its title stays as a line above its text.
                self.lines[part_id].append(h.title or h.text)
            else:
                self.lines.setdefault(part_id, [])
            self.current = ("part", part_id)
            self.report.placed += 1
        elif key.startswith("task:") or key == MEASURE:
            task_id = key[5:] if key.startswith("task:") else ""
            task = self.program.task(task_id)
            title = h.title or h.text
            if task is not None and clean_title(title) == clean_title(task.title):
                title = task.title
            self.measures.append({"task": task_id, "title": title, "lines": [], "lead": "", "partners": [],
                                  "projects": []})
            self.current = ("measure", len(self.measures) - 1)
            self.report.placed += 1
        elif key == UNPLACED:
            index = self._unplace(line, "section", f"“{h.text}”（{source}）")
            self.current = ("unplaced", index)
        else:  # SUB: a sub-heading of what comes before
            self._add(line, source)

    def _cover(self, label: str, value: str) -> bool:
        a = self.draft.applicant
        if label == "申报单位":
            a["organization"] = value
        elif label == "联系人":
            a["contact"] = value
        elif label == "联系电话":
            a["phone"] = value
        elif label == "所在城市":
            a["city"] = value
        elif label == "申报日期":
            m = _DATE.match(value)
            if not m:
                return False
            self.draft.data.setdefault("letter", {})["date"] = f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"
        return True

    def _attachment(self, text: str, source: str) -> bool:
        """附件：1.… list lines and the attachments' own pages (附件N, title, indicator notes)."""
        compact = re.sub(r"\s+", "", text)
        m = _ATTACH_LIST.match(compact)
        if m:
            self.attachments = (self.attachments or []) + [m.group("title")]
            self.mode = "attach_list"
            self.report.placed += 1
            return True
        if self.mode == "attach_list":
            m = _ATTACH_ITEM.match(compact)
            if m and self.attachments is not None:  # set when the list began
                self.attachments.append(m.group("title"))
                self.report.placed += 1
                return True
            self.mode = ""
        m = _ATTACH_PAGE.match(compact)
        if m:
            self.mode = "attach_page"
            self.page_title_pending = True
            self.current = ("unplaced_new", None)  # what an attachment page holds has no part
            self._unplace([text], "paragraph", source)
            return True
        if self.mode == "attach_page" and self.page_title_pending:
            self.page_title_pending = False
            self._unplace([text], "paragraph", source)
            return True
        if self.mode == "attach_page":
            m = _INDICATOR_NOTE.match(text)
            if m and self.indicators:
                for ind in self.indicators:
                    if clean_title(ind["name"]) == clean_title(m.group("name")) and ind["unit"] == m.group("unit").strip():
                        note = m.group("note").strip()
                        if note.endswith("。"):
                            note = note[:-1]  # the book ends each note with 。 itself
                        ind["note"] = "；".join(x for x in (ind.get("note", ""), note) if x)
                        self.report.placed += 1
                        return True
        return False

    def _table(self, table: Table) -> None:
        self.report.tables += 1
        kind = tables.kind_of(table)
        if (kind == tables.INDICATORS and self.program.part_of_kind("targets") is None) or \
                (kind == tables.SCHEDULE and self.program.part_of_kind("schedule") is None):
            kind = tables.TEXT  # a program without that table: the rows stay as text
        source = f"第{table.index}段处的表格"
        if kind == tables.INDICATORS:
            rows = tables.indicators(self.program, table, self.years)
            if self.indicators is None:
                self.indicators = rows
                self.report.indicator_tables += 1
            elif rows == self.indicators[-len(rows):] or _same_rows(rows, self.indicators):
                self.report.duplicate_tables += 1
            else:
                self.indicators.extend(rows)
                self.report.indicator_tables += 1
            return
        if kind == tables.SCHEDULE:
            rows = tables.schedule_rows(self.program, table)
            if self.rows is None:
                self.rows = rows
            elif rows == self.rows:
                self.report.duplicate_tables += 1
                return
            else:
                self.rows.extend(rows)
            self.report.schedule_tables += 1
            return
        if kind == tables.PROJECT:
            proj = tables.project(table)
            target = None
            if self.current and self.current[0] == "measure":
                target = self.measures[self.current[1]]
            elif self.current and self.current[0] == "part" and self.current[1] == self.measures_id and self.measures:
                target = self.measures[-1]
            if target is not None and proj["title"]:
                target["projects"].append(proj)
                self.report.projects += 1
                return
            lines = [proj["title"], *proj["items"]] if proj["title"] else proj["items"]
            if lines:
                self.report.text_tables += 1
                self._table_text(lines, source)
            return
        lines = tables.text_rows(table)
        self.report.text_tables += 1
        if self.current is None:
            self._front_form(table)
        if lines:
            self._table_text(lines, source)

    def _table_text(self, lines: list[str], source: str) -> None:
        cur = self.current
        if cur is None or cur[0] == "unplaced_new":
            self._unplace(lines, "table", source, count=0)
        elif cur[0] == "unplaced":
            entry = self.unplaced[cur[1]]
            entry["text"] += "\n" + "\n".join(lines)
            entry["kind"] = "section"
        else:
            placed = self.report.placed
            self._add(lines, source, count=0)
            self.report.placed = placed

    def _front_form(self, table: Table) -> None:
        """A form before the plan (项目申报书): its applicant fields and choices."""
        for row in table.rows:
            if len(row) != 2:
                continue
            label, value = re.sub(r"\s+", "", row[0]), " ".join(paragraphs(row[1]))
            if not value:
                continue
            choice = next((c for c in self.program.choices if c.label == label), None)
            if choice is not None:
                self.draft.writable("choices")[choice.id] = value
            elif label in ("申报单位", "联系人", "联系电话", "所在城市"):
                self._cover(label, value)

    # the draft --------------------------------------------------------------------
    def finish(self) -> None:
        d, program = self.draft, self.program
        for node in program.parts():
            part = d.part_for_edit(node.id)
            lines = self.lines.get(node.id, [])
            if node.kind == "problems":
                text_lines, items = _problems(lines)
                part["text"] = "\n".join(text_lines)
                if items:
                    part["items"] = items
            else:
                part["text"] = "\n".join(lines)
            if node.kind == "measures" and self.measures:
                part["tasks"] = [
                    {"task": m["task"], "title": m["title"], "text": "\n".join(m["lines"]), "lead": m["lead"],
                     "partners": m["partners"], "projects": m["projects"]}
                    for m in self.measures
                ]
            if node.kind == "targets" and self.indicators is not None:
                part["indicators"] = self.indicators
            if node.kind == "schedule" and self.rows is not None:
                part["rows"] = self.rows
        self._link_measures()
        if self.attachments is not None:
            d.data["attachments"] = [{"title": t, "pages": None, "file": None} for t in self.attachments]
        self.report.indicators = len(self.indicators or [])
        self.report.schedule_rows = len(self.rows or [])
        self._drop_generated()
        self.report.unplaced = sum(e["count"] for e in self.unplaced)
        if self.unplaced:
            d.data["unplaced"] = [{"text": e["text"], "kind": e["kind"], "source": e["source"]} for e in self.unplaced]
        self.report.parts_filled = [
            node.heading for node in program.parts() if _filled(d.part(node.id), node.kind, self)]

    def _link_measures(self) -> None:
        """Format 2: each measure its id, each schedule row the measure it names (by title,
        else the first measure of its guide task), as an upgraded format-1 draft has them."""
        from desktop_app.core.draft_format import give_ids, link_measure

        measures = [m for p in self.draft.data["parts"].values() for m in p.get("tasks", [])]
        give_ids(measures)
        for p in self.draft.data["parts"].values():
            for row in p.get("rows", []):
                if not row.get("measure"):
                    row["measure"] = link_measure(row, measures)

    def _drop_generated(self) -> None:
        """Unplaced text the program prints from the new draft itself is not kept twice."""
        printed = generated_texts(self.program, self.draft)
        kept = []
        for entry in self.unplaced:
            lines = entry["text"].split("\n")
            whole = re.sub(r"\s+", "", entry["text"])
            if entry["kind"] != "section" and (whole in printed or all(re.sub(r"\s+", "", x) in printed for x in lines)):
                self.report.generated += entry["count"]
                continue
            kept.append(entry)
        self.unplaced = kept


_ENDS = tuple("。！？!?；;：:…”’）)」』】")


def _join_split(blocks: list) -> list:
    """Join a body paragraph LibreOffice cut in two where it put a section break.

    Re-saving a book, LibreOffice may move a section break (a new page numbering) to the
    end of a page and split the paragraph there; the first half then carries the break
    and stops mid-sentence, the second goes on in the same style. Such halves are joined;
    a heading after a section break is never joined to what comes before it."""
    out: list = []
    for block in blocks:
        prev = out[-1] if out else None
        if (isinstance(block, Para) and isinstance(prev, Para) and prev.section_end
                and len(prev.text.strip()) >= 20 and block.text.strip()
                and not prev.text.rstrip().endswith(_ENDS) and prev.outline is None and block.outline is None
                and prev.style == block.style and prev.align == block.align and not prev.toc and not block.toc
                and detect(block) is None and number_rank(block.text.strip()) is None):
            # (a half that starts with a figure, "3380件，年均……", is joined; one that starts
            # with an item number, "（1）" or "3.", is a paragraph of its own)
            prev.text += block.text
            prev.section_end = block.section_end
            continue
        out.append(block)
    return out


def _filled(part: dict, kind: str, builder: _Builder) -> bool:
    if part.get("text"):
        return True
    if kind == "measures":
        return bool(builder.measures)
    if kind == "targets":
        return builder.indicators is not None
    if kind == "schedule":
        return builder.rows is not None
    return bool(part.get("items"))


def _same_rows(a: list[dict], b: list[dict]) -> bool:
    return [(r["name"], r["unit"], r["baseline"], r["targets"]) for r in a] == \
        [(r["name"], r["unit"], r["baseline"], r["targets"]) for r in b]


def _problems(lines: list[str]) -> tuple[list[str], list[dict]]:
    """面临问题及对策: "（1）问题" lines, each followed by "对策：…", become the part's items —
    only when every line from the first such pair on has that form; else all stays text."""
    start = next((i for i, line in enumerate(lines) if _PROBLEM.match(line) and i + 1 < len(lines)
                  and lines[i + 1].startswith("对策：")), None)
    if start is None:
        return lines, []
    items: list[dict] = []
    i = start
    while i < len(lines):
        m = _PROBLEM.match(lines[i])
        if m:
            answer = ""
            if i + 1 < len(lines) and lines[i + 1].startswith("对策："):
                answer = lines[i + 1][3:]
                i += 1
            items.append({"problem": m.group(2), "countermeasure": answer})
        elif lines[i].startswith("对策："):
            items.append({"problem": "", "countermeasure": lines[i][3:]})
        else:
            return lines, []
        i += 1
    return lines[:start], items


def generated_texts(program: Program, draft: Draft) -> set[str]:
    """Every line the program prints from `draft` outside the parts' own content, without spaces."""
    from desktop_app.book import model
    from desktop_app.book.compose import compose

    out: set[str] = set()

    def add(text: str) -> None:
        if text:
            out.add(re.sub(r"\s+", "", text))

    add("示例草稿 · 仅供参考")  # the sample's cover mark: not part of any plan
    try:
        book = compose(program, draft)
    except Exception:  # noqa: BLE001 (a template the draft cannot fill yet: nothing recognised)
        return out
    for section in book.sections:
        for block in section.blocks:
            if isinstance(block, model.Cover):
                for text in (block.program_line, block.title, block.mark):
                    add(text)
                for label, value in block.fields:
                    add(f"{label}：{value}")
            elif isinstance(block, model.Letter):
                for text in (block.title, *block.paragraphs, block.signer, block.seal, block.date):
                    add(text)
            elif isinstance(block, (model.Title, model.Contents)):
                add(block.title if isinstance(block, model.Contents) else block.text)
            elif isinstance(block, model.FormTable):
                for label, value in block.rows:
                    add(f"{label}{tables.CELL_SEP}{value}")
            elif isinstance(block, model.Table):
                add(block.caption)
            elif isinstance(block, model.Paragraph) and section.kind != "plan":
                add(block.text)
            elif isinstance(block, model.AttachmentPage):
                add(f"附件{block.number}")
                add(block.title)
    return out


def build_draft(program: Program, doc: Document, mapping: list[str] | None = None, *,
                organization: str = "", city: str = "", year: int | None = None) -> tuple[Draft, Report]:
    """A new draft of `program` from the document, each heading placed as `mapping` says
    (one target key per heading; the suggestion when None)."""
    if mapping is None:
        mapping = doc.suggestion(program)
    if len(mapping) != len(doc.headings):
        raise ValueError("mapping must give one target per heading")
    draft = new_draft(program, organization=organization, city=city or "", year=year or guess_year(doc, program))
    builder = _Builder(program, draft, doc, mapping)
    builder.run()
    if not draft.applicant.get("city"):
        draft.writable("applicant")["city"] = guess_city(doc, draft.organization) or "（请填写城市）"
    if organization:
        draft.writable("applicant")["organization"] = organization
    builder.finish()
    return draft, builder.report


_CITY = re.compile(r"([\u4e00-\u9fff]{2,6}?(?:市|自治州|州|盟|地区))")


def guess_city(doc: Document, organization: str = "") -> str:
    """The city a plan is for: from the applicant, else from the first lines (its title)."""
    for text in [organization, *(b.text for b in doc.blocks[:30] if isinstance(b, Para) and not b.toc)]:
        m = _CITY.search(text or "")
        if m and not m.group(1).startswith(("省", "全市", "我市")):
            return m.group(1)
    return ""


_PERIOD = re.compile(r"(20\d\d)\s*年?\s*[-—–－~～至到]\s*(20\d\d)\s*年")


def guess_year(doc: Document, program: Program) -> int:
    """The first year of the plan: the indicator table's first year column, else a period
    such as （2021-2023年） near the top, else the program's own year."""
    for block in doc.blocks:
        if isinstance(block, Table) and tables.kind_of(block) == tables.INDICATORS and block.rows:
            years = [int(m.group(1)) for h in block.rows[0] if (m := tables._YEAR.search(h))
                     and not any(w in h for w in ("基期", "基数", "现状", "基准"))]
            if years:
                return min(years)
    for block in doc.blocks[:15]:
        if isinstance(block, Para) and not block.toc:
            m = _PERIOD.search(block.text)
            if m and int(m.group(1)) <= int(m.group(2)):
                return int(m.group(1))
    return program.year
