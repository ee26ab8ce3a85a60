"""The application at a glance (issue 10): 申报总览, the 进度安排 timeline, the 建设目标
charts, the 打印装订清单 — on plain data and through the real widgets."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QImage

from qt_helpers import edit_cell, type_text

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "resources" / "samples"


def _open(window, name="yangzhou_2021_sample.json"):
    from desktop_app.core.exchange import read_draft_file

    draft = read_draft_file(SAMPLES / name)
    window.store.save(draft, reason="import")
    assert window.open_draft(draft.id)
    return window.wizard


def _click(qtbot, widget, pos: QPointF) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos.toPoint())


# timeline on data --------------------------------------------------------------------------
def test_deadline_month_reads_single_dated_events():
    from desktop_app.core.timeline import deadline_month

    assert deadline_month("2021年6月底前印发《实施方案》") == 6
    assert deadline_month("2021年9月底前出台若干措施") == 9
    assert deadline_month("2021年底前建成运营服务中心") == 12
    assert deadline_month("上半年完成摸排") == 6
    assert deadline_month("举办专题培训班2期，培训400人次") is None
    assert deadline_month("到2023年底累计培训1200人次") is None  # a year-long tally, not an event


def test_timeline_has_one_bar_per_schedule_row_in_its_year(program, sample_draft):
    from desktop_app.core.timeline import BY_LEAD, build_timeline

    rows = sample_draft.part("schedule")["rows"]
    rows.append({"year": 2030, "task": "top_design", "progress": "不在建设期", "lead": "", "partners": []})
    tl = build_timeline(program, sample_draft)
    years = sample_draft.plan_years
    assert sorted(b.row for b in tl.bars) == list(range(len(rows) - 1))
    assert tl.outside == [len(rows) - 1]
    for bar in tl.bars:
        row = rows[bar.row]
        assert bar.year == row["year"]
        k = years.index(row["year"])
        assert k / len(years) <= bar.start <= bar.end <= (k + 1) / len(years)
        assert tl.lanes[bar.lane].key == row["task"]
        assert bar.milestone == ("月底前" in row["progress"] or "年底前" in row["progress"])
    # one lane per task of the guide, in program order, even when a task has no rows
    assert [lane.key for lane in tl.lanes] == [t.id for t in program.tasks]
    by_lead = build_timeline(program, sample_draft, by=BY_LEAD)
    assert {lane.key for lane in by_lead.lanes} == {r["lead"] for r in rows[:-1]} | {"（未填牵头部门）"}


# target charts on data ----------------------------------------------------------------------
def test_chart_marks_an_indicator_below_its_growth_threshold(program, sample_draft):
    from desktop_app.core.target_chart import build_charts

    charts = build_charts(program, sample_draft)
    assert [c.below for c in charts] == [False] * len(charts)  # the sample meets the guide
    indicators = sample_draft.part("targets")["indicators"]
    indicators[0]["targets"][1] = 250  # 2022: 232 → 250 is +7.8 %, the guide asks 20 %
    charts = build_charts(program, sample_draft)
    first = charts[0]
    assert first.below and first.short_years == {2022}
    assert not any(c.below for c in charts[1:])
    # the line is the guide's 20 % on the previous year, in the indicator's own unit (家)
    line = first.lines[0]
    assert line.values[0] is None and line.values[1] == pytest.approx(192 * 1.2)
    assert line.values[2] == pytest.approx(232 * 1.2) and line.values[3] == pytest.approx(250 * 1.2)
    assert line.legend.startswith("指南：年度增幅20%以上")
    # a flat line for an absolute threshold (超过250家)
    assert charts[1].lines[0].values[1:] == (250.0, 250.0, 250.0)


def test_chart_honours_the_guides_either_or(sample_draft):
    """每年100件以上（或金额超过1000万元）: a count below 100 is no shortfall while the amount passes."""
    from desktop_app.core.exchange import read_draft_file
    from desktop_app.core.program import get_program
    from desktop_app.core.target_chart import build_charts

    draft = read_draft_file(SAMPLES / "wuxi_park_2022_sample.json")
    program = get_program(draft.program_id)
    rows = draft.part("targets")["indicators"]
    count = next(i for i, r in enumerate(rows) if r["key"] == "center_license_count")
    rows[count]["targets"] = [90, 130]
    assert not build_charts(program, draft)[count].below
    amount = next(i for i, r in enumerate(rows) if r["key"] == "center_license_amount")
    rows[amount]["targets"] = [900, 1600]
    chart = build_charts(program, draft)[count]
    assert chart.below and chart.short_years == {2022}


# the widgets -------------------------------------------------------------------------------
@pytest.mark.gui
def test_overview_is_first_and_its_states_follow_edits(qtbot, window):
    from desktop_app.core import completeness
    from desktop_app.ui.overview_page import HAS_ERRORS

    wiz = _open(window)
    overview = wiz.overview
    assert wiz.current_key() == "glance"  # first page of the wizard
    assert overview.keys[0] == "basic" and "glance" not in overview.keys
    assert overview.states["approach"] == completeness.COMPLETE
    row = overview.row_of("approach")
    assert overview.cell_text(row, 1) == "● 已完成"
    assert "（" in overview.cell_text(row, 2)  # 字数 against the hint

    wiz.go_to("approach")
    wiz.pages_by_key["approach"].prose.edit.clear()
    qtbot.waitUntil(lambda: overview.states["approach"] == HAS_ERRORS, timeout=2000)  # a required part emptied
    assert overview.cell_text(row, 1) == "✖ 有错误"
    assert "个错误" in overview.cell_text(row, 3)
    type_text(wiz.pages_by_key["approach"].prose.edit, "以园区为主阵地推进专利转化。")
    qtbot.waitUntil(lambda: overview.states["approach"] == completeness.PARTIAL, timeout=2000)  # short of 字数
    assert overview.cell_text(row, 1) == "◐ 待完善"
    assert window.session.draft.text("approach") == "以园区为主阵地推进专利转化。"

    # a target below the guide makes 建设目标 "has errors"
    wiz.go_to("targets")
    targets = wiz.pages_by_key["targets"]
    edit_cell(qtbot, targets.table.table, 0, 4, "250")
    qtbot.waitUntil(lambda: overview.states["targets"] == HAS_ERRORS, timeout=2000)

    # clicking a row goes there
    wiz.go_to("glance")
    r = overview.row_of("schedule")
    rect = overview.table.visualItemRect(overview.table.topLevelItem(r))
    qtbot.mouseClick(overview.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert wiz.current_key() == "schedule"


@pytest.mark.gui
def test_timeline_widget_bars_follow_rows_and_open_them(qtbot, window, tmp_path):
    wiz = _open(window)
    wiz.go_to("schedule")
    page = wiz.pages_by_key["schedule"]
    page.views.setCurrentIndex(1)
    view = page.timeline.view
    qtbot.waitUntil(lambda: view.width() > 300, timeout=1000)
    rows = window.session.draft.part("schedule")["rows"]
    bars = view.bars()
    assert len(bars) == len(rows)
    years = window.session.draft.plan_years
    left = view._label_width()
    span = view.width() - left - view._metrics()[2]
    for bar, rect in bars:
        k = years.index(rows[bar.row]["year"])
        column = (left + k / len(years) * span, left + (k + 1) / len(years) * span)
        assert column[0] - 1 <= rect.left() and rect.right() <= column[1] + 1, (bar.row, rect, column)

    # hovering shows the row
    bar, rect = bars[5]
    qtbot.mouseMove(view, rect.center().toPoint())
    assert view.toolTip() == bar.tooltip and rows[5]["progress"] in bar.tooltip

    # clicking opens it in the table
    _click(qtbot, view, rect.center())
    assert page.views.currentIndex() == 0
    assert page.table.table.currentRow() == bar.row

    # updates as rows are edited: a new row is a new bar, a dated one a milestone
    qtbot.mouseClick(page.table.add_button, Qt.MouseButton.LeftButton)
    new = len(rows) - 1
    edit_cell(qtbot, page.table.table, new, 2, "6月底前召开推进会")
    assert len(view.bars()) == len(rows)
    added = next(b for b, _r in view.bars() if b.row == new)
    assert added.milestone and added.year == rows[new]["year"]
    k = years.index(added.year)
    assert added.start == pytest.approx((k + 6 / 12) / len(years))  # at the end of June
    assert window.session.draft.part("schedule")["rows"][new]["progress"] == "6月底前召开推进会"

    # lanes by 牵头部门
    page.timeline.lanes.setCurrentIndex(1)
    assert view.timeline.by == "lead" and len(view.bars()) == len(rows)

    # 导出图片… at twice the size
    out = tmp_path / "时间轴.png"
    page.timeline.export_button.choose_path = lambda: str(out)
    page.views.setCurrentIndex(1)
    qtbot.mouseClick(page.timeline.export_button, Qt.MouseButton.LeftButton)
    image = QImage(str(out))
    assert image.width() == 2 * view.width() and image.height() > 2 * view.height()  # a caption line on top


@pytest.mark.gui
def test_target_chart_widget_marks_the_indicator_below_its_threshold(qtbot, window, tmp_path):
    wiz = _open(window)
    wiz.go_to("targets")
    page = wiz.pages_by_key["targets"]
    page.views.setCurrentIndex(1)
    chart = page.chart
    assert not any(c.below for c in chart.view.charts)
    page.views.setCurrentIndex(0)  # typed in the table, seen in the chart
    edit_cell(qtbot, page.table.table, 0, 4, "250")  # 2022年目标
    page.views.setCurrentIndex(1)
    assert window.session.draft.part("targets")["indicators"][0]["targets"][1] == 250
    first = chart.view.charts[0]
    assert first.below and first.short_years == {2022}
    assert first.name in chart.summary.text() and "低于指南要求" in chart.summary.text()
    cells = chart.view.cells()
    assert len(cells) == len(window.session.draft.part("targets")["indicators"])
    page.views.setCurrentIndex(1)
    _click(qtbot, chart.view, cells[3][1].center())
    assert page.views.currentIndex() == 0 and page.table.table.currentRow() == 3

    out = tmp_path / "图表.png"
    chart.export_button.choose_path = lambda: str(out)
    qtbot.mouseClick(chart.export_button, Qt.MouseButton.LeftButton)
    assert QImage(str(out)).width() == 2 * chart.view.width()


# 打印装订清单 ---------------------------------------------------------------------------------
def test_bind_sheet_without_pdf_says_so(program, sample_draft):
    from desktop_app.book.bind_sheet import NO_PAGES, build_bind_sheet

    sheet = build_bind_sheet(program, sample_draft)
    assert [p.kind for p in sheet.parts] == ["cover", "toc", "letter", "plan", "attachments"]
    assert all(p.pages is None for p in sheet.parts) and sheet.pages_note == NO_PAGES
    assert "信用承诺书" in next(p for p in sheet.parts if p.kind == "letter").seal
    assert sheet.deadline == ""  # the 2021 guide gives none
    assert "指南未写明份数" in sheet.copies
    sample_draft.attachments.append({"title": "园区名单", "pages": None, "file": None})
    text = "\n".join(build_bind_sheet(program, sample_draft).lines())
    assert "园区名单（未附文件，也未注明页数）" in text and NO_PAGES in text


def test_bind_sheet_pages_copies_and_deadline(sample_draft, store):
    from desktop_app.book.bind_sheet import build_bind_sheet, load_pdf_pages, record_pdf_pages
    from desktop_app.core.exchange import read_draft_file
    from desktop_app.core.program import get_program

    draft = read_draft_file(SAMPLES / "changzhou_university_2022_sample.json")
    program = get_program(draft.program_id)
    sheet = build_bind_sheet(program, draft)
    kinds = [p.kind for p in sheet.parts]
    assert kinds[:4] == ["cover", "toc", "application_form", "plan"]
    assert sheet.copies == "一式一份"
    assert sheet.deadline == "网上申报截止：2022年1月30日（星期日）"
    assert "项目申报书" in next(p for p in sheet.parts if p.kind == "application_form").seal
    starts = [1, 3, 5, 9, 31][: len(kinds)]
    record_pdf_pages(draft, "/tmp/x.pdf", starts, 40, store.set_draft_record)
    sheet = build_bind_sheet(program, draft, load_pdf_pages(draft, store))
    assert sheet.parts[0].pages == (1, 2) and sheet.parts[-1].pages == (starts[-1], 40)
    assert "此后草稿已修改" not in sheet.pages_note
    draft.applicant["contact"] = "换了联系人"
    assert "此后草稿已修改" in build_bind_sheet(program, draft, load_pdf_pages(draft, store)).pages_note
    # the record lives with the draft in the library, and goes with it
    store.save(draft)
    assert "pdf_pages" in store.draft_records(draft.id)
    store.delete(draft.id)
    assert load_pdf_pages(draft, store) is None


def test_program_submission_is_checked():
    from desktop_app.core.program import ProgramError, get_program, program_from_dict

    raw = {"id": "x", "name": "x", "year": 2022, "outline": [{"id": "a", "heading": "一、甲"}]}
    assert get_program("key_city_2021").submission.copies is None
    assert program_from_dict({**raw, "submission": {"copies": 2, "deadline": "2022-02-01"}}).submission.copies == 2
    with pytest.raises(ProgramError, match="deadline"):
        program_from_dict({**raw, "submission": {"deadline": "2022-02-30"}})
    with pytest.raises(ProgramError, match="seals"):
        program_from_dict({**raw, "submission": {"seals": [{"part": "back_cover", "text": "盖章"}]}})
    with pytest.raises(ProgramError, match="copies"):
        program_from_dict({**raw, "submission": {"copies": 0}})


@pytest.mark.gui
def test_bind_sheet_dialog_from_overview_and_export_page(qtbot, window, tmp_path):
    from desktop_app.ui.bind_sheet_dialog import BindSheetDialog

    wiz = _open(window)
    qtbot.mouseClick(wiz.overview.bind_button, Qt.MouseButton.LeftButton)
    dialog = wiz.bind_sheet_dialog
    assert isinstance(dialog, BindSheetDialog) and dialog.isVisible()
    text = dialog.view.toPlainText()
    assert "打印装订清单" in text and "导出 PDF 后显示页码" in text and "信用承诺书" in text
    out = tmp_path / "清单.pdf"
    dialog.choose_pdf_path = lambda: str(out)
    qtbot.mouseClick(dialog.pdf_button, Qt.MouseButton.LeftButton)
    assert out.read_bytes()[:4] == b"%PDF"
    png = tmp_path / "清单.png"
    dialog.choose_png_path = lambda: str(png)
    qtbot.mouseClick(dialog.png_button, Qt.MouseButton.LeftButton)
    assert QImage(str(png)).width() == 2 * 720
    dialog.close()

    wiz.go_to("export")
    qtbot.mouseClick(wiz.export_page.bind_button, Qt.MouseButton.LeftButton)
    assert wiz.export_page.bind_sheet_dialog.isVisible()
    wiz.export_page.bind_sheet_dialog.close()


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="needs LibreOffice and poppler-utils")
def test_pdf_reports_where_each_bound_part_starts(tmp_path, program, sample_draft):
    """The pages LibreOffice reports are where pdftotext finds each part's first words."""
    from desktop_app.core.store import DraftStore
    from desktop_app.book.bind_sheet import build_bind_sheet, load_pdf_pages, record_pdf_pages
    from desktop_app.book.export import export_docx
    from desktop_app.book.pdf import convert_to_pdf

    docx = export_docx(sample_draft, tmp_path / "书.docx")
    sections: dict = {}
    pdf = convert_to_pdf(docx, tmp_path / "书.pdf", sections=sections)
    starts, total = sections["starts"], sections["total"]
    pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
    assert len([p for p in pages if p is not None]) - 1 == total  # pdftotext ends with a form feed
    assert len(starts) == 5 and starts == sorted(starts)
    assert "专利转化重点城市建设方案" in pages[starts[0] - 1]  # cover
    assert "目" in pages[starts[1] - 1] and "录" in pages[starts[1] - 1]
    assert pages[starts[2] - 1].lstrip().startswith("信用承诺书")
    assert pages[starts[3] - 1].lstrip().startswith("扬州市专利转化重点城市建设方案")
    assert pages[starts[4] - 1].lstrip().startswith("附件")
    store = DraftStore(tmp_path / "drafts.sqlite3")
    record_pdf_pages(sample_draft, pdf, starts, total, store.record_writer())  # as a PDF job's thread does
    sheet = build_bind_sheet(program, sample_draft, load_pdf_pages(sample_draft, store))
    assert [p.pages[0] for p in sheet.parts] == starts and sheet.parts[-1].pages[1] == total
    assert json.loads(store.get_draft_record(sample_draft.id, "pdf_pages"))["starts"] == starts
    store.close()


@pytest.mark.gui
def test_timeline_follows_a_new_plan_period_set_on_basic_info(qtbot, window):
    wiz = _open(window)
    wiz.go_to("basic")
    wiz.pages_by_key["basic"].year.setValue(2022)  # 2022—2024: the 2021 rows fall outside
    wiz.go_to("schedule")
    page = wiz.pages_by_key["schedule"]
    page.views.setCurrentIndex(1)
    view = page.timeline.view
    rows = window.session.draft.part("schedule")["rows"]
    assert view.timeline.years == [2022, 2023, 2024]
    assert sorted(b.row for b, _r in view.bars()) == [n for n, r in enumerate(rows) if r["year"] >= 2022]
    assert view.timeline.outside == [n for n, r in enumerate(rows) if r["year"] == 2021]


@pytest.mark.gui
def test_overview_exports_a_picture(qtbot, window, tmp_path):
    wiz = _open(window)
    out = tmp_path / "总览.png"
    wiz.overview.export_button.choose_path = lambda: str(out)
    qtbot.mouseClick(wiz.overview.export_button, Qt.MouseButton.LeftButton)
    assert QImage(str(out)).width() == 2 * wiz.overview.table.width()
