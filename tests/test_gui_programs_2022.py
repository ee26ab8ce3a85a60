"""The 2022 programs in the wizard: their pages come from program data — the choice on
基本信息, 8 tasks on the measures page, two schedule years, no 信用承诺书."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QDate

from qt_helpers import type_text

pytestmark = pytest.mark.gui

SAMPLES = Path(__file__).resolve().parent.parent / "resources" / "samples"


def _open(window, name):
    from desktop_app.core.exchange import read_draft_file

    draft = read_draft_file(SAMPLES / name)
    window.store.save(draft, reason="import")
    assert window.open_draft(draft.id)
    return window.wizard


def test_park_sample_pages(qtbot, window):
    wiz = _open(window, "wuxi_park_2022_sample.json")
    pages = wiz.pages_by_key
    assert list(pages) == ["glance", "basic", "eligibility", "profile", "foundation", "problems", "approach", "targets",
                           "measures", "safeguards", "schedule", "attachments", "export"]
    basic = pages["basic"]
    assert "并非指南规定的格式" in basic.outline_note.text()
    chain = basic.choices["industry_chain"]
    assert chain.isEditable() and chain.currentText() == "车联网"
    assert chain.count() == 11  # （请选择） and the guide's ten priority chains
    assert basic.date.date() == QDate(2022, 1, 20)
    assert pages["measures"].task_list.count() == 8
    assert [v for _label, v in pages["schedule"].table.columns[0].choices] == [2022, 2023]
    # name, unit, base, 2 years, guide, note, then format 2's 指标类型 and 定性目标
    assert pages["targets"].table.table.columnCount() == 3 + 2 + 2 + 2
    # every editing page is complete; 申报总览 (first) and 检查与导出 (last) carry no mark
    assert [wiz.side.item(i).text(0)[0] for i in range(1, wiz.side.count() - 1)] == ["●"] * (wiz.side.count() - 2)

    # Picking another chain is stored and reaches the book's title.
    chain.setCurrentIndex(chain.findText("集成电路"))
    assert window.session.draft.data["choices"] == {"industry_chain": "集成电路"}
    from desktop_app.book.compose import compose

    assert compose(window.session.program, window.session.draft).title == "集成电路产业知识产权运营中心建设实施方案"
    # A chain the guide does not list may be typed: a hint, not an error.
    chain.lineEdit().clear()
    type_text(chain.lineEdit(), "新型电力装备")
    assert window.session.draft.data["choices"] == {"industry_chain": "新型电力装备"}
    # Clearing it is a gap on 基本信息.
    chain.setCurrentIndex(0)
    assert "industry_chain" not in window.session.draft.data["choices"]
    from desktop_app.core.completeness import page_gaps

    assert any(g.field == "choices.industry_chain" for g in page_gaps(window.session.program, window.session.draft, "basic"))
    assert basic.state() == "partial"


def test_university_sample_pages_and_date(qtbot, window):
    wiz = _open(window, "changzhou_university_2022_sample.json")
    pages = wiz.pages_by_key
    assert "letter" not in pages and pages["measures"].task_list.count() == 5
    basic = pages["basic"]
    assert basic.choices == {}
    basic.date.setDate(QDate(2022, 1, 25))
    assert window.session.draft.letter_date == "2022-01-25"
    wiz.go_to("basic", "date")
    assert basic.date.hasFocus()


def test_key_city_basic_page_has_no_note_or_date(qtbot, window):
    window.open_sample()
    basic = window.wizard.pages_by_key["basic"]
    assert basic.date is None and basic.choices == {}
    assert basic.outline_note is None
    assert "letter" in window.wizard.pages_by_key
