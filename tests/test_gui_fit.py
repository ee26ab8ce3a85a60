"""Every page and dialog fits an office laptop (1366×768 less a taskbar) and a 1080p
screen at 150 % (1280×688 logical) with every control shown whole (issue 19).

The sample and the 2022 samples, a draft carried over from the sample (its review bars
shown) and the benchmark's large draft are each walked page by page, tab by tab, at
both sizes; tests/fit_walk.py says what counts as cut off."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSize

from fit_walk import SIZES, cut_off, dialogs, page_views, settle

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "resources" / "samples"


def _draft(which):
    from desktop_app.core.exchange import read_draft_file

    if which == "large":
        from bench.large_draft import make_large_draft

        return make_large_draft()
    if which == "carried":
        from desktop_app.core.carry_over import carry_over

        return carry_over(read_draft_file(SAMPLES / "yangzhou_2021_sample.json"), 2024)
    return read_draft_file(SAMPLES / which)


DRAFTS = ["yangzhou_2021_sample.json", "wuxi_park_2022_sample.json", "changzhou_university_2022_sample.json",
          "carried", "large"]


def _lines_shown(edit) -> float:
    return edit.viewport().height() / edit.fontMetrics().lineSpacing()


def _rows_shown(table) -> int:
    room, shown = table.viewport().height(), 0
    for r in range(table.rowCount()):
        room -= table.rowHeight(r)
        if room < 0:
            break
        shown += 1
    return shown


@pytest.mark.parametrize("which", DRAFTS)
def test_every_page_fits_both_screens(qtbot, window, which):
    draft = _draft(which)
    window.store.save(draft)
    assert window.open_draft(draft.id)
    problems = []
    for size_name, (w, h) in SIZES.items():
        window.resize(w, h)
        settle()
        assert window.size() == QSize(w, h)
        for view in page_views(window):
            need = window.minimumSizeHint()
            if need.width() > w or need.height() > h:
                problems.append(f"{size_name} {view}: the window needs {need.width()}×{need.height()}")
            problems += [f"{size_name} {view}: {p}" for p in cut_off(window)]
    assert not problems, "\n".join(problems)


def test_main_editors_show_ten_lines_and_the_indicators_six_rows(qtbot, window):
    window.open_sample()
    window.resize(*SIZES["1366x728"])
    wiz = window.wizard
    for key in wiz.hosts:
        wiz.go_to(key)
        settle()
        page = wiz.pages_by_key[key]
        if key == "measures":
            assert _lines_shown(page.text.edit) >= 10, key
        elif getattr(page, "node", None) is not None and page.node.kind == "prose":
            assert _lines_shown(page.prose.edit) >= 10, key
    wiz.go_to("targets")
    settle()
    table = wiz.pages_by_key["targets"].table.table
    assert table.rowCount() >= 6 and _rows_shown(table) >= 6


@pytest.mark.parametrize("size_name", list(SIZES))
def test_every_dialog_fits(qtbot, window, monkeypatch, size_name):
    from desktop_app.ui import screen_fit

    w, h = SIZES[size_name]
    monkeypatch.setattr(screen_fit, "available_size", lambda widget: QSize(w, h))
    window.resize(w, h)
    window.open_sample()
    problems = []
    for name, dialog in dialogs(window):
        size, need = dialog.size(), dialog.minimumSizeHint()
        # the frame and title bar take about 30 px of the screen's height
        if size.width() > w or size.height() > h - 30:
            problems.append(f"{name}: opens at {size.width()}×{size.height()}")
        if need.width() > size.width() or need.height() > size.height():
            problems.append(f"{name}: needs {need.width()}×{need.height()}, has {size.width()}×{size.height()}")
        problems += [f"{name}: {p}" for p in cut_off(dialog)]
    assert not problems, "\n".join(problems)
