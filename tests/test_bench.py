"""The benchmark's own pieces (python -m bench): the large draft, the plain yardstick,
the budget arithmetic, and the two things it made faster — the Word writer's direct
XML, which must stay exactly what python-docx writes, and the export off the UI thread."""
from __future__ import annotations

import io
import time
import zipfile

import pytest

from bench import plain_docx
from bench.__main__ import QUICK_SLACK, Row, percentile
from bench.large_draft import LARGE_ID, make_large_draft


@pytest.fixture(scope="module")
def large():
    return make_large_draft()


def test_large_draft_is_valid_deterministic_and_large(large):
    from desktop_app.core.exchange import validate_document

    assert validate_document(large.data) == []
    assert make_large_draft() == large
    parts = large.data["parts"]
    assert large.id == LARGE_ID and not large.is_sample
    assert len(parts["schedule"]["rows"]) == 100
    assert len(parts["targets"]["indicators"]) == 30
    assert sum(len(t["projects"]) for t in parts["measures"]["tasks"]) == 20
    for key, part in parts.items():
        assert len(part.get("text", "")) >= 250, key  # long prose in every part
    # recombined from the sample's own sentences, not filler
    assert "扬州" in parts["overview"]["text"] and "××" not in parts["overview"]["text"]


def test_plain_yardstick_holds_the_same_text(large, tmp_path):
    from docx import Document

    from desktop_app.book.compose import compose
    from desktop_app.core.program import get_program

    items = plain_docx.content(compose(get_program(large.program_id), large))
    out = tmp_path / "plain.docx"
    plain_docx.write_plain(items, out)
    doc = Document(str(out))
    texts = {p.text for p in doc.paragraphs}
    assert "一、建设基础" in texts and "信用承诺书" in texts
    schedule = max(doc.tables, key=lambda t: len(t.rows))
    assert len(schedule.rows) == 101  # header + 100 rows


def test_budget_arithmetic():
    assert percentile([float(i) for i in range(1, 101)], 95) == 95
    assert percentile([1.0, 2.0, 9.0], 50) == 2.0
    row = Row("x", value=12.0, limit=5.0)
    assert row.verdict() == "FAIL" and row.verdict(QUICK_SLACK) == "PASS"
    assert Row("x", value=16.0, limit=5.0).verdict(QUICK_SLACK) == "FAIL"
    assert Row("x", limit=5.0).verdict() == "SKIP" and Row("x").verdict() == ""


# the Word writer's direct XML ------------------------------------------------------------------------
TRICKY = ["", "plain", " lead", "trail ", "\u3000全角", "a\tb", "x\ry", "a\r\nb", "\t", "&<>\"'", "a  b"]


@pytest.mark.parametrize("text", TRICKY)
def test_run_xml_is_what_python_docx_writes(text):
    """Table cells are written as XML text: each run must equal python-docx's add_run(text)."""
    from docx import Document
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from lxml import etree

    from desktop_app.book.docx_writer import _run_xml

    def c14n(el):
        return etree.tostring(el, method="c14n", exclusive=True)

    p = Document().add_paragraph()
    expected = c14n(p.add_run(text)._r)
    ours = parse_xml(f"<w:p {nsdecls('w')}>{_run_xml(text)}</w:p>")[0]
    assert c14n(ours) == expected


@pytest.mark.parametrize("text", [t for t in TRICKY if t])
def test_body_run_is_what_python_docx_writes(text):
    from docx import Document
    from lxml import etree

    from desktop_app.book.docx_writer import _add_run

    doc = Document()
    expected = doc.add_paragraph()
    expected.add_run(text)
    ours = doc.add_paragraph()
    _add_run(ours._p, text)
    assert etree.tostring(ours._p) == etree.tostring(expected._p)


def test_large_book_tables_read_back(large, tmp_path):
    """The 100-row 进度安排表 and every 专栏, read back through python-docx."""
    from docx import Document

    from desktop_app.book.export import export_docx

    out = export_docx(large, tmp_path / "large.docx")
    doc = Document(str(out))
    schedule = max(doc.tables, key=lambda t: len(t.rows))
    assert len(schedule.rows) == 101
    first = [c.text for c in schedule.rows[1].cells]
    assert first[0] == "2021年" and first[2]
    panels = [t for t in doc.tables if t.rows[0].cells[0].text.startswith("专栏：")]
    assert len(panels) == 20
    xml = zipfile.ZipFile(io.BytesIO(out.read_bytes())).read("word/document.xml").decode()
    assert 'xmlns:w=' not in xml[xml.index("<w:body>"):]  # no stray namespace declarations


# the export off the UI thread ----------------------------------------------------------------------------
@pytest.mark.gui
def test_word_export_keeps_the_window_responsive(qtbot, window, tmp_path, large):
    from PySide6.QtCore import QTimer

    window.store.save(large, reason="import")
    assert window.open_draft(large.id)
    window.wizard.go_to("export")
    page = window.wizard.export_page
    out = tmp_path / "大草稿"  # no suffix: the page adds .docx
    page.choose_path = lambda: str(out)
    exported: list[str] = []
    page.exported.connect(exported.append)
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    page.export_book()  # returns at once; the book is written in the job's thread …
    qtbot.waitUntil(lambda: not page.docx_busy, timeout=120_000)
    timer.stop()
    book = tmp_path / "大草稿.docx"
    assert exported == [str(book)] and book.stat().st_size > 10_000, page.status.text()
    assert "已导出" in page.status.text()
    assert ticks, "the UI thread ran no timer while the book was written"  # … the UI thread kept running
    assert not page.docx_busy and page.export_button.isEnabled()


@pytest.mark.gui
def test_word_export_failure_comes_back_to_the_page(qtbot, window, tmp_path, monkeypatch):
    import desktop_app.book.export as export

    def broken(*args, **kwargs):
        raise RuntimeError("磁盘坏了（测试）")

    monkeypatch.setattr(export, "export_docx", broken)
    window.open_sample()
    window.wizard.go_to("export")
    page = window.wizard.export_page
    page.choose_path = lambda: str(tmp_path / "x.docx")
    page.export_book()
    qtbot.waitUntil(lambda: not page.docx_busy, timeout=60_000)
    assert "导出失败" in page.status.text() and "磁盘坏了" in page.status.text()
    assert not (tmp_path / "x.docx").exists()
    assert page.export_button.isEnabled() and not page.docx_busy
