"""Issue 21 item 2: the program's own .docx, re-saved by LibreOffice as a colleague's WPS or
Word would, imports back with every paragraph, indicator cell, schedule cell and key project
in the same part."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from desktop_app.book.export import export_docx
from desktop_app.book.pdf import find_soffice
from desktop_app.core.cleaning import paragraphs
from desktop_app.core.exchange import read_draft_file, validate_document
from desktop_app.core.program import get_program
from desktop_app.wordin.assemble import Document, build_draft
from desktop_app.wordin.reader import read_blocks
from desktop_app.wordin.source import convert_to_docx

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "resources" / "samples").glob("*.json"))

needs_libreoffice = pytest.mark.skipif(find_soffice() is None, reason="LibreOffice is not installed")


def comparable(program, draft) -> dict:
    """Each part's content as the book prints it: paragraphs, table cells, projects."""
    out = {}
    for node in program.parts():
        part = draft.part(node.id)
        entry = {"text": paragraphs(part.get("text", ""))}
        if node.kind == "problems":
            entry["items"] = [(" ".join(paragraphs(i.get("problem", ""))), " ".join(paragraphs(i.get("countermeasure", ""))))
                              for i in part.get("items", [])]
        if node.kind == "targets":
            entry["indicators"] = [
                (i.get("key"), i["name"], i.get("unit", ""), i.get("baseline"),
                 list(i.get("targets", [])) + [None] * (len(draft.plan_years) - len(i.get("targets", []))),
                 " ".join(paragraphs(i.get("note", ""))).rstrip("。"))
                for i in part.get("indicators", [])]
        if node.kind == "measures":
            entry["tasks"] = [
                (m["task"], m.get("title") or program.task(m["task"]).title, paragraphs(m.get("text", "")),
                 m.get("lead", "").strip(), [p.strip() for p in m.get("partners", []) if p.strip()],
                 [(p["title"].strip(), [i.strip() for i in p.get("items", []) if i.strip()])
                  for p in m.get("projects", [])])
                for m in part.get("tasks", [])]
        if node.kind == "schedule":
            rows = sorted(part.get("rows", []), key=lambda r: r.get("year") or 9999)
            entry["rows"] = [(r.get("year"), r.get("task", ""), " ".join(paragraphs(r.get("progress", ""))),
                              r.get("lead", ""), list(r.get("partners", []))) for r in rows]
        out[node.id] = entry
    return out


def _roundtrip(draft, tmp_path: Path):
    program = get_program(draft.program_id)
    book = export_docx(draft, tmp_path / "book.docx")
    resaved = convert_to_docx(book, tmp_path / "resaved")
    doc = Document.from_blocks(read_blocks(resaved))
    imported, report = build_draft(program, doc)
    return program, imported, report


def _check(draft, tmp_path):
    program, imported, report = _roundtrip(draft, tmp_path)
    assert validate_document(imported.data) == []
    want, got = comparable(program, draft), comparable(program, imported)
    for part_id in want:
        assert got[part_id] == want[part_id], part_id
    assert [a["title"] for a in imported.attachments] == [a["title"] for a in draft.attachments if a["title"].strip()]
    assert imported.applicant["organization"] == draft.applicant["organization"]
    assert imported.city == draft.city
    # Every paragraph is accounted for, and only the sample's cover mark is left over.
    assert report.paragraphs == report.placed + report.unplaced + report.generated
    assert imported.data.get("unplaced", []) == []
    return report


@needs_libreoffice
@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_sample_round_trip_through_libreoffice(sample, tmp_path):
    report = _check(read_draft_file(sample), tmp_path)
    data = json.loads(sample.read_text(encoding="utf-8"))
    projects = sum(len(m.get("projects", [])) for m in data["parts"]["measures"]["tasks"])
    assert report.projects == projects
    assert report.indicators == len(data["parts"]["targets"]["indicators"])
    assert report.schedule_rows == len(data["parts"]["schedule"]["rows"])


@needs_libreoffice
def test_large_draft_round_trip_through_libreoffice(tmp_path):
    from bench.large_draft import make_large_draft

    report = _check(make_large_draft(), tmp_path)
    assert report.projects >= 20 and report.indicators == 30 and report.schedule_rows == 100


def test_round_trip_of_the_programs_own_docx_without_libreoffice(sample_draft, tmp_path):
    """The same, straight from the program's file (no re-save): what a colleague's Word keeps."""
    program = get_program(sample_draft.program_id)
    book = export_docx(sample_draft, tmp_path / "book.docx")
    imported, report = build_draft(program, Document.from_blocks(read_blocks(book)))
    assert comparable(program, imported) == comparable(program, sample_draft)
    assert report.unplaced == 0 and report.placed > 100
    assert re.sub(r"\s", "", imported.letter_date) == sample_draft.letter_date


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_the_mapping_view_lists_no_attachment_lines_as_headings(sample, tmp_path):
    """导入 Word 方案's mapping view lists the document's headings for the officer to place.
    The 附件 list's items ("2.扬州市专利转化相关政策文件汇编") and the attachment pages'
    titles go to 附件材料 whatever is chosen for them, so they are not listed: the sample's
    view showed them as （作为上文的小标题） under 五、进度安排 and as 未归入, which the
    import did not do."""
    draft = read_draft_file(sample)
    book = export_docx(draft, tmp_path / "book.docx")
    doc = Document.from_blocks(read_blocks(book))
    titles = {re.sub(r"\s", "", a["title"]) for a in draft.data.get("attachments") or []}
    listed = [h.text for h in doc.headings if re.sub(r"^\d+[.．、]|\s", "", h.text) in titles]
    assert not listed
    # and the import still reads every attachment title
    imported, _report = build_draft(get_program(draft.program_id), doc)
    assert [a["title"] for a in imported.data.get("attachments") or []] == \
        [a["title"] for a in draft.data.get("attachments") or []]
