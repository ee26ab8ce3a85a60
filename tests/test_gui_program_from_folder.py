"""Programs are data: a program that exists ONLY as a folder under a temporary
templates/ (PATENT_APP_TEMPLATES) is written end to end through the real window —
its pages, its choice, its checks and its bound book — with no Python change."""
from __future__ import annotations

import textwrap

import pytest
from docx import Document
from PySide6.QtCore import QTimer, Qt
from PySide6.QtWidgets import QApplication, QComboBox

from qt_helpers import edit_cell, press, type_text

pytestmark = pytest.mark.gui

MINI = textwrap.dedent("""\
    id: mini_2030
    format_version: 1
    name: 2030年度迷你转化专项（测试）
    short_name: 迷你转化专项
    year: 2030
    period_years: 2
    default_date: "{{ year }}-02-10"
    applicant:
      kind: 省内注册的研究所
      organization_label: 申报单位
      organization_example: 东海研究所
      city_label: 所在城市
      city_example: 连云港市
    outline_note: 本提纲依据测试指南整理，不是指南规定的格式。
    choices:
      - id: field
        label: 主攻领域
        options: [新材料, 海洋装备]
    conditions:
      - id: registered
        text: 在省内注册的独立法人
    tasks:
      - {id: platform, title: 建设转化平台, guide: 建设实体化运行的转化平台。}
      - {id: talent, title: 培养转化人才, guide: 每年培训转化人才。}
    indicators:
      - key: deals
        name: 转化专利数量
        unit: 件
        threshold: {kind: total, op: ">=", value: 10, text: 每年10件以上}
    outline:
      - id: base
        heading: 一、建设基础
        kind: prose
        required: true
        prompt: 写明建设基础。
      - id: goals
        heading: 二、建设目标
        kind: targets
        required: true
      - id: work
        heading: 三、主要任务
        kind: measures
        required: true
      - id: timing
        heading: 四、进度安排
        kind: schedule
        required: true
    book:
      cover:
        program_line: "{{ program_name }}"
        title: "{{ organization }}{{ choices.field }}转化方案"
        fields:
          - [申报单位, "{{ organization }}"]
          - [申报日期, "{{ date_cn }}"]
      plan_title: "{{ organization }}{{ choices.field }}转化方案"
      binding_order: [cover, application_form, plan]
    """)


@pytest.fixture(autouse=True)
def templates(tmp_path, monkeypatch):
    """A templates/ folder holding only mini_2030; the window's 新建草稿 reads it."""
    root = tmp_path / "templates"
    (root / "mini_2030").mkdir(parents=True)
    (root / "mini_2030" / "program.yaml").write_text(MINI, encoding="utf-8")
    monkeypatch.setenv("PATENT_APP_TEMPLATES", str(root))
    return root


def _new_draft(qtbot, window):
    from desktop_app.ui.new_draft_dialog import NewDraftDialog

    seen = {}

    def fill():
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, NewDraftDialog) and w.isVisible())
        seen["programs"] = [dialog.program.itemData(i) for i in range(dialog.program.count())]
        seen["period"] = dialog.period.text()
        seen["placeholder"] = dialog.organization.placeholderText()
        type_text(dialog.organization, "东海研究所")
        type_text(dialog.city, "连云港市")
        type_text(dialog.contact, "林青")
        type_text(dialog.phone, "0518-85800000")
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill)
    qtbot.mouseClick(window.list_page.new_button, Qt.MouseButton.LeftButton)
    assert window.wizard is not None
    return seen


def _choose_cell(table, row: int, column: int, label: str) -> None:
    """Open a choice cell's combo as a double-click would, pick `label`, commit with Enter."""
    table.setCurrentCell(row, column)
    table.editItem(table.item(row, column))
    combos = [w for w in table.viewport().findChildren(QComboBox) if w.isVisible()]
    assert len(combos) == 1, "choice editor did not open"
    combos[0].setCurrentIndex(combos[0].findText(label))
    press(combos[0], Qt.Key.Key_Return)


def test_a_program_only_in_a_folder_is_written_end_to_end(qtbot, window, tmp_path):
    from desktop_app.core.rules import has_errors, run_checks

    seen = _new_draft(qtbot, window)
    assert seen["programs"] == ["mini_2030"]  # the dialog lists what the folder holds
    assert seen["period"] == "2030—2031年（2年）"
    assert seen["placeholder"] == "例如：东海研究所"
    wiz = window.wizard
    pages = wiz.pages_by_key
    # The program's pages: no 信用承诺书 (the program has no letter), its own outline.
    assert list(pages) == ["glance", "basic", "eligibility", "base", "goals", "work", "timing", "export"]
    assert [pages[k].title() for k in ("base", "goals", "work", "timing")] == [
        "一、建设基础", "二、建设目标", "三、主要任务", "四、进度安排"]
    basic = pages["basic"]
    assert "不是指南规定的格式" in basic.outline_note.text()
    assert basic.date is not None and basic.date.date().toString("yyyy-MM-dd") == "2030-02-10"

    # The checks know the choice is still open.
    findings = run_checks(window.session.program, window.session.draft)
    assert any(f.page == "basic" and f.field == "choices.field" and f.severity == "error" for f in findings)
    wiz.refresh_marks()
    assert any("主攻领域" in wiz.checks.list.item(i).text() for i in range(wiz.checks.list.count()))

    # 基本信息: the choice, as a combo of the guide's options.
    combo = basic.choices["field"]
    assert [combo.itemText(i) for i in range(combo.count())] == ["（请选择）", "新材料", "海洋装备"]
    combo.setCurrentIndex(combo.findText("海洋装备"))
    assert window.session.draft.data["choices"] == {"field": "海洋装备"}

    # 申报条件自查
    wiz.go_to("eligibility")
    elig = pages["eligibility"]
    elig.combos["registered"].setCurrentIndex(1)  # 满足
    type_text(elig.evidence["registered"], "统一社会信用代码证书")

    wiz.go_to("base")
    type_text(pages["base"].prose.edit, "东海研究所长期从事海洋装备研究。")

    wiz.go_to("goals")
    type_text(pages["goals"].prose.edit, "两年转化专利三十件。")
    table = pages["goals"].table.table
    assert [table.horizontalHeaderItem(i).text() for i in range(2, 5)] == ["基期值（2029年）", "2030年目标", "2031年目标"]
    edit_cell(qtbot, table, 0, 2, "8")
    edit_cell(qtbot, table, 0, 3, "12")
    edit_cell(qtbot, table, 0, 4, "9")  # below the guide's 每年10件以上
    findings = run_checks(window.session.program, window.session.draft)
    assert [f.message for f in findings if f.rule == "targets.total"] == [
        "指标“转化专利数量”2031年目标 9 件，低于指南要求的每年10件以上（至少应为 10 件）"]
    edit_cell(qtbot, table, 0, 4, "15")

    wiz.go_to("work")
    work = pages["work"]
    assert [work.task_list.item(i).text() for i in range(work.task_list.count())] == ["建设转化平台", "培养转化人才"]
    for row, (text, lead) in enumerate([("建成实体化运行的转化平台。", "所科技处"), ("每年培训转化人才五十名。", "所人事处")]):
        work.task_list.setCurrentRow(row)
        type_text(work.text.edit, text)
        type_text(work.lead, lead)

    wiz.go_to("timing")
    rows = pages["timing"].table
    assert [rows.columns[0].choices] == [[("2030年", 2030), ("2031年", 2031)]]  # two years, from the program
    for n, (year, task, progress) in enumerate([("2030年", "建设转化平台", "平台挂牌运行"),
                                                ("2031年", "培养转化人才", "培训转化人才五十名")]):
        qtbot.mouseClick(rows.add_button, Qt.MouseButton.LeftButton)
        _choose_cell(rows.table, n, 0, year)
        _choose_cell(rows.table, n, 1, task)
        edit_cell(qtbot, rows.table, n, 2, progress)
    assert [(r["year"], r["task"]) for r in window.session.draft.part("timing")["rows"]] == [
        (2030, "platform"), (2031, "talent")]

    findings = run_checks(window.session.program, window.session.draft)
    assert not has_errors(findings), [f.message for f in findings if f.severity == "error"]

    wiz.go_to("export")
    out = tmp_path / "mini.docx"
    pages["export"].choose_path = lambda: str(out)
    qtbot.mouseClick(pages["export"].export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not pages["export"].docx_busy, timeout=60_000)
    assert out.exists(), pages["export"].status.text()

    doc = Document(str(out))
    paras = [p.text for p in doc.paragraphs]
    assert "东海研究所海洋装备转化方案" in paras  # the choice reached the templates
    assert "信用承诺书" not in paras
    form = paras.index("项目申报书")
    plan = paras.index("东海研究所海洋装备转化方案", form)
    assert form < plan
    headings = [p for p in paras[plan:] if p in ("一、建设基础", "二、建设目标", "三、主要任务", "四、进度安排",
                                                 "（一）建设转化平台", "（二）培养转化人才")]
    assert headings == ["一、建设基础", "二、建设目标", "三、主要任务", "（一）建设转化平台", "（二）培养转化人才",
                        "四、进度安排"]
    tables = [[[c.text for c in r.cells] for r in t.rows] for t in doc.tables]
    form_rows = dict(tuple(r) for r in tables[0])
    assert form_rows == {"申报单位": "东海研究所", "项目名称": "东海研究所海洋装备转化方案", "所属方向": "迷你转化专项",
                         "主攻领域": "海洋装备", "建设期": "2030—2031年（2年）", "联系人": "林青",
                         "联系电话": "0518-85800000"}
    summary = tables[1]  # 绩效目标 on the form
    assert summary[0] == ["序号", "指标名称", "单位", "基期值（2029年）", "2030年", "2031年", "指南要求"]
    assert summary[1] == ["1", "转化专利数量", "件", "8", "12", "15", "每年10件以上"]
    schedule = next(t for t in tables if t[0][0] == "年度")
    assert [r[0] for r in schedule[1:]] == ["2030年", "2031年"]
    assert "2030年2月10日" in paras
