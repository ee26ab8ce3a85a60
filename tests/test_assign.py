"""分工 without Qt: the work package written, edited as a colleague would, read back
(also after LibreOffice re-saves it), compared with the draft, taken in."""
from __future__ import annotations

import copy
import subprocess
import sys
import zipfile

import pytest
from assign_helpers import libreoffice_resave, rewrite_area, soffice
from docx import Document

from desktop_app.assign import records as R
from desktop_app.assign.package import PackageError, read_package, write_package

needs_lo = pytest.mark.skipif(soffice() is None, reason="LibreOffice is not installed")

#: What a colleague types: every kind of character a plan holds, edge spaces and a tab too.
EDITED = ("一、总体情况\n"
          "  2020年全市专利转化实施 1,234 件，同比增长 20.5%；技术合同成交额 56.7 亿元（含“专利许可”）。\n"
          "A&B <公司> 以 \"专利池\" 方式运营，覆盖 ≥3 条产业链——新能源汽车、生物医药…\n"
          "（1）全角数字１２３、罕用字𠀀、表情😀\tTab 后的文字\n"
          "最后一段，结尾有空格 ")


def _send(program, draft, keys, tmp_path, department="市财政局"):
    chosen = [u for u in R.units(program, draft) if u.key in keys]
    assert {u.key for u in chosen} == set(keys)
    record = R.new_assignment(draft, chosen, department, "2021-03-10", "分工.docx")
    path = write_package(program, draft, record, tmp_path / "分工.docx")
    return record, path


def test_units_are_the_outline_parts_and_each_measure(program, sample_draft):
    units = R.units(program, sample_draft)
    keys = [u.key for u in units]
    assert keys[:2] == ["overview", "foundation"]
    measures = [u for u in units if u.key.startswith("measures.tasks.")]
    assert len(measures) == len(sample_draft.part("measures")["tasks"])
    finance = next(u for u in measures if u.fields[0].task == "finance")
    assert finance.title.endswith("大力发展知识产权金融")
    assert "牵头部门：" in finance.info
    assert finance.guide == program.task("finance").guide
    assert [f.label for f in finance.fields] == ["举措标题", "具体举措"]


def test_untouched_package_reads_back_every_field_exactly(program, sample_draft, tmp_path):
    keys = [u.key for u in R.units(program, sample_draft)]
    record, path = _send(program, sample_draft, set(keys), tmp_path)
    content = read_package(path)
    assert content.assignment_id == record["id"] and content.problems == []
    assert content.texts == R.sent_text(sample_draft, record)
    states = {r.state for r in R.compare(sample_draft, record, content.texts)}
    assert states == {R.UNCHANGED}


def test_package_is_a_clean_file_word_opens_without_repair(program, sample_draft, tmp_path):
    """The work package is cleaned like the book: the validator finds nothing for Office 2016,
    its properties name the applicant, and the package number survives for reading back."""
    import openxml_audit

    keys = [u.key for u in R.units(program, sample_draft)]
    record, path = _send(program, sample_draft, set(keys), tmp_path)
    result = openxml_audit.OpenXmlValidator(file_format=openxml_audit.FileFormat.OFFICE_2016).validate(str(path))
    assert result.error_count == 0, "\n".join(str(e) for e in result.errors[:20])
    props = Document(str(path)).core_properties
    assert props.author == sample_draft.organization
    assert props.keywords == record["id"] and "市财政局" in props.title
    assert read_package(path).assignment_id == record["id"]


def test_first_page_names_department_due_date_and_instruction(program, sample_draft, tmp_path):
    record, path = _send(program, sample_draft, {"overview", "measures.tasks.5"}, tmp_path)
    doc = Document(str(path))
    first = "\n".join(p.text for p in doc.paragraphs[:12])
    cells = [c.text for row in doc.tables[0].rows for c in row.cells]
    assert "市财政局" in cells and "2021年3月10日前" in cells and record["id"] in cells
    assert "请在两条标记线之间直接修改" in first and "不要删除" in first
    body = "\n".join(p.text for p in doc.paragraphs)
    # the guide's requirement for the part and for the measure's task
    assert program.node("overview").prompt in body
    assert program.task("finance").guide in body


def test_edited_text_comes_back_exactly(program, sample_draft, tmp_path):
    record, path = _send(program, sample_draft, {"overview", "measures.tasks.5"}, tmp_path)
    rewrite_area(path, record["id"], {"1": EDITED, "3": "知识产权金融服务再上新台阶"})
    content = read_package(path)
    assert content.texts["1"] == EDITED  # every character
    assert content.texts["3"] == "知识产权金融服务再上新台阶"
    assert content.texts["2"] == sample_draft.part("measures")["tasks"][5]["title"]  # 举措标题, untouched
    returns = {r.key: r for r in R.compare(sample_draft, record, content.texts)}
    assert returns["1"].state == returns["3"].state == R.CHANGED
    assert returns["2"].state == R.UNCHANGED


def test_edit_made_in_the_program_meanwhile_is_a_conflict_never_overwritten(program, sample_draft, tmp_path):
    record, path = _send(program, sample_draft, {"overview", "foundation"}, tmp_path)
    sample_draft.set_text("overview", sample_draft.text("overview") + "\n程序中补充的一段。")
    rewrite_area(path, record["id"], {"1": "同事改写的概述。", "2": "同事改写的基础。"})
    returns = R.compare(sample_draft, record, read_package(path).texts)
    by_key = {r.key: r for r in returns}
    assert by_key["1"].state == R.CONFLICT and not by_key["1"].default_take
    assert by_key["2"].state == R.CHANGED and by_key["2"].default_take
    before = sample_draft.text("overview")
    taken = R.apply_returns(sample_draft, record, returns, {r.key for r in returns if r.default_take}, "回.docx")
    assert [r.key for r in taken] == ["2"]
    assert sample_draft.text("overview") == before  # the conflict kept the program's text
    assert sample_draft.text("foundation") == "同事改写的基础。"
    assert record["status"] == R.BACK and record["returned_file"] == "回.docx"
    # the officer may take a conflict too, but only by choosing it
    R.apply_returns(sample_draft, record, returns, {"1"}, "回.docx")
    assert sample_draft.text("overview") == "同事改写的概述。"


def test_measures_reordered_meanwhile_are_found_by_their_task(program, sample_draft, tmp_path):
    record, path = _send(program, sample_draft, {"measures.tasks.5"}, tmp_path)
    tasks = sample_draft.part("measures")["tasks"]
    tasks.insert(0, tasks.pop(5))  # the officer moved 金融 to the top
    rewrite_area(path, record["id"], {"2": "新的金融举措。"})
    returns = R.compare(sample_draft, record, read_package(path).texts)
    assert [r.state for r in returns] == [R.UNCHANGED, R.CHANGED]
    R.apply_returns(sample_draft, record, returns, {"2"}, "x.docx")
    assert tasks[0]["task"] == "finance" and tasks[0]["text"] == "新的金融举措。"


def test_tracked_changes_are_read_as_accepted(program, sample_draft, tmp_path):
    from docx.oxml import parse_xml

    record, path = _send(program, sample_draft, {"foundation"}, tmp_path)
    doc = Document(str(path))
    from assign_helpers import area

    paragraphs, _end = area(doc, record["id"], "1")
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    p = paragraphs[0]._p
    for r in p.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}r"):
        p.remove(r)
    p.append(parse_xml(f'<w:r {w}><w:t>保留</w:t></w:r>'))
    p.append(parse_xml(f'<w:del {w} w:id="1" w:author="a" w:date="2021-03-02T00:00:00Z">'
                       f'<w:r><w:delText>删去的字</w:delText></w:r></w:del>'))
    p.append(parse_xml(f'<w:ins {w} w:id="2" w:author="a" w:date="2021-03-02T00:00:00Z">'
                       f'<w:r><w:t>新加的字</w:t></w:r></w:ins>'))
    doc.save(str(path))
    text = read_package(path).texts["1"]
    assert text.split("\n")[0] == "保留新加的字"


def test_damaged_marks_are_reported_and_nothing_is_guessed(program, sample_draft, tmp_path):
    record, path = _send(program, sample_draft, {"overview", "foundation"}, tmp_path)
    doc = Document(str(path))
    from assign_helpers import area

    _paragraphs, end = area(doc, record["id"], "2")
    end._p.getparent().remove(end._p)
    doc.save(str(path))
    content = read_package(path)
    assert "1" in content.texts and "2" not in content.texts
    assert any("第 2 处" in p and "结束标记" in p for p in content.problems)
    states = [r.state for r in R.compare(sample_draft, record, content.texts)]
    assert states == [R.UNCHANGED, R.NOT_IN_FILE]


@pytest.mark.parametrize("payload, words", [
    (b"", "空文件"),
    (b"just some text", "不是 Word 文档"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "另存为"),  # a damaged .doc (or encrypted)
])
def test_bad_files_get_a_clear_message(tmp_path, payload, words):
    bad = tmp_path / "回.docx"
    bad.write_bytes(payload)
    with pytest.raises(PackageError, match=words):
        read_package(bad)


def test_a_word_file_without_marks_is_refused(tmp_path):
    other = tmp_path / "其他.docx"
    doc = Document()
    doc.add_paragraph("与分工无关的文件")
    doc.save(str(other))
    with pytest.raises(PackageError, match="没有找到分工标记"):
        read_package(other)
    broken = tmp_path / "坏.docx"
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("word/document.xml", "<not-xml")
    with pytest.raises(PackageError):
        read_package(broken)


def test_records_validate_with_the_draft_and_do_not_carry_over(program, sample_draft, tmp_path):
    from desktop_app.core.carry_over import carry_over
    from desktop_app.core.exchange import read_draft_file, write_draft_file

    record, _path = _send(program, sample_draft, {"overview", "measures.tasks.0"}, tmp_path)
    write_draft_file(sample_draft, tmp_path / "d.json")
    again = read_draft_file(tmp_path / "d.json")
    assert again.data["assignments"] == [record]
    assert R.out_records(again) == [record]
    assert "市财政局" in R.out_line(record) and "1.概述" in R.out_line(record)
    assert "assignments" not in carry_over(again, 2022).data


def test_history_names_what_changed(program, sample_draft, store, tmp_path):
    store.save(sample_draft, reason="import")
    record, path = _send(program, sample_draft, {"overview"}, tmp_path)
    store.save(sample_draft, reason=f"发出分工：{record['department']}")
    rewrite_area(path, record["id"], {"1": "新的概述。"})
    returns = R.compare(sample_draft, record, read_package(path).texts)
    R.apply_returns(sample_draft, record, returns, {"1"}, str(path))
    store.save(sample_draft, reason=R.history_reason(record, path.name))
    latest = store.revisions(sample_draft.id)[0]
    assert latest.reason == "收回分工：市财政局《分工.docx》"
    assert set(latest.parts) == {"overview", "assignments"}


def test_assign_modules_do_not_load_qt():
    code = ("import sys, desktop_app.assign.package, desktop_app.assign.records, desktop_app.assign.marks;"
            "print(any(m.startswith('PySide6') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.libreoffice
@needs_lo
def test_libreoffice_resave_keeps_marks_and_every_character(program, sample_draft, tmp_path):
    record, path = _send(program, sample_draft, {"overview", "problems", "measures.tasks.5"}, tmp_path)
    sent = R.sent_text(sample_draft, record)
    # untouched, re-saved: everything reads back as sent
    resaved = libreoffice_resave(path, tmp_path / "lo1")
    content = read_package(resaved)
    assert content.problems == [] and content.texts == sent
    # edited, then re-saved (the colleague's WPS/Word save): the edits come back exactly
    key = next(f["key"] for p in record["parts"] for f in p["fields"] if f["path"].endswith("tasks.5.text"))
    rewrite_area(path, record["id"], {"1": EDITED, key: "新的具体举措。\n第二段。"})
    resaved = libreoffice_resave(path, tmp_path / "lo2")
    content = read_package(resaved)
    assert content.texts["1"] == EDITED
    assert content.texts[key] == "新的具体举措。\n第二段。"
    expected = dict(sent, **{"1": EDITED, key: "新的具体举措。\n第二段。"})
    assert content.texts == expected
    states = {r.key: r.state for r in R.compare(sample_draft, record, content.texts)}
    assert states["1"] == states[key] == R.CHANGED
    assert {s for k, s in states.items() if k not in ("1", key)} == {R.UNCHANGED}


def test_compare_does_not_touch_the_draft(program, sample_draft, tmp_path):
    record, path = _send(program, sample_draft, {"overview"}, tmp_path)
    rewrite_area(path, record["id"], {"1": "改。"})
    before = copy.deepcopy(sample_draft.data)
    R.compare(sample_draft, record, read_package(path).texts)
    assert sample_draft.data == before


def test_changes_are_marked_on_both_sides():
    from desktop_app.assign.marks import DELETED, INSERTED, mark_changes

    m = mark_changes("第一段不变。\n全市专利转化100件。\n删去的段落。", "第一段不变。\n全市专利转化120件。\n<新>段落")
    assert m.old_html.startswith("第一段不变。<br>")
    assert f"<span style='{DELETED}'>0</span>" in m.old_html and f"<span style='{INSERTED}'>2</span>" in m.new_html
    assert "&lt;新&gt;" in m.new_html
    assert m.removed > 0 and m.added > 0
    same = mark_changes("一样", "一样")
    assert same.old_html == same.new_html == "一样" and same.removed == same.added == 0


def test_text_typed_on_a_mark_line_is_kept(program, sample_draft, tmp_path):
    from desktop_app.assign.package import END, START, mark

    record, path = _send(program, sample_draft, {"approach"}, tmp_path)
    doc = Document(str(path))
    start = next(p for p in doc.paragraphs if p.text == mark(START, record["id"], "1"))
    end = next(p for p in doc.paragraphs if p.text == mark(END, record["id"], "1"))
    start.add_run("接在开始标记后的字")
    end.insert_paragraph_before("")  # an empty paragraph left at the end is not text
    end.runs[0].text = "结束标记前的字" + end.runs[0].text
    doc.save(str(path))
    text = read_package(path).texts["1"]
    assert text == "接在开始标记后的字\n" + sample_draft.text("approach") + "\n\n结束标记前的字"


@pytest.mark.libreoffice
@needs_lo
@pytest.mark.parametrize("fmt", ["doc:MS Word 97", "odt"])
def test_a_package_saved_as_doc_or_odt_is_read_through_libreoffice(program, sample_draft, tmp_path, fmt):
    record, path = _send(program, sample_draft, {"approach"}, tmp_path)
    rewrite_area(path, record["id"], {"1": "另存为旧格式后改写的思路。\n第二段"})
    outdir = tmp_path / "other"
    subprocess.run([soffice(), f"-env:UserInstallation={(tmp_path / 'p').as_uri()}", "--headless", "--convert-to",
                    fmt, "--outdir", str(outdir), str(path)], check=True, timeout=180,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    [other] = list(outdir.iterdir())
    assert other.suffix in (".doc", ".odt")
    assert read_package(other).texts == {"1": "另存为旧格式后改写的思路。\n第二段"}


def test_a_returned_text_past_the_limit_table_is_shown_but_never_taken(program, sample_draft):
    """收回 keeps to the one limit table (core.limits): a department's text longer than a part
    (10 万字) or a measure's cell (2 万字) may hold is 超出上限 — not taken, even when chosen —
    so the draft stays one 导出草稿文件 accepts (110,024-character 保障措施 and 举措标题 were
    written, then refused)."""
    from desktop_app.core import limits
    from desktop_app.core.exchange import validate_document

    chosen = [u for u in R.units(program, sample_draft) if u.key in ("safeguards", "measures.tasks.0")]
    record = R.new_assignment(sample_draft, chosen, "市财政局", "2021-03-10", "分工.docx")
    keys = {f["path"]: f["key"] for part in record["parts"] for f in part["fields"]}
    returned = {keys["parts.safeguards.text"]: "专" * (limits.TEXT_MAX_CHARS + 1),
                keys["parts.measures.tasks.0.title"]: "加" * (limits.CELL_MAX_CHARS + 1),
                keys["parts.measures.tasks.0.text"]: "新的具体举措。"}
    returns = R.compare(sample_draft, record, returned)
    state = {r.ref.path: r.state for r in returns}
    assert state["parts.safeguards.text"] == state["parts.measures.tasks.0.title"] == R.TOO_LONG
    assert state["parts.measures.tasks.0.text"] == R.CHANGED
    assert R.STATE_TEXT[R.TOO_LONG] == "超出上限"
    before = sample_draft.text("safeguards")
    taken = R.apply_returns(sample_draft, record, returns, {r.key for r in returns}, "分工.docx")
    assert [r.ref.path for r in taken] == ["parts.measures.tasks.0.text"]
    assert sample_draft.text("safeguards") == before
    assert not validate_document(sample_draft.data)
