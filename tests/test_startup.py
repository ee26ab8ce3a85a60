"""What the start leaves for later, and that it still happens: the checks and the other
pages after the first paint, condition and letter wording when their page is shown, the
program read from its parsed copy. These tests watch what the program does (calls before
and after the first paint), never which modules it imported: how fast it starts is
measured by `python -m bench`, not pinned here."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from conftest import ROOT, SAMPLE

pytestmark = pytest.mark.gui


def test_sample_id_constant_matches_the_bundled_file():
    from desktop_app.ui.main_window import SAMPLE_ID

    assert json.loads(SAMPLE.read_text(encoding="utf-8"))["id"] == SAMPLE_ID


def test_checks_run_once_the_wizard_has_painted(qtbot, tmp_path):
    from desktop_app.ui.app import create_window

    win = create_window(tmp_path / "drafts.sqlite3")
    qtbot.addWidget(win)
    win.open_sample()
    wizard = win.wizard
    # built, marks shown, but the checks wait for the first paint
    assert not wizard.checks_ready and wizard.checks.findings == []
    basic = next(wizard.side.item(r) for r in range(wizard.side.count())
                 if wizard.side.item(r).data(0, Qt.ItemDataRole.UserRole) == "basic")
    assert basic.text(0).startswith(("●", "◐", "○"))
    win.show()
    qtbot.waitUntil(lambda: wizard.checks_ready, timeout=3000)
    from desktop_app.core.rules import run_checks

    assert wizard.checks.findings == run_checks(wizard.session.program, wizard.session.draft)
    # afterwards every page change runs them at once again
    wizard.session.draft.applicant["contact"] = ""
    wizard.go_to("eligibility")
    assert any(f.field == "contact" for f in wizard.checks.findings)
    win.close_draft()
    win.store.close()


def test_condition_wording_follows_the_year_set_on_basic_info(qtbot, window):
    from desktop_app.ui.main_window import SAMPLE_ID

    window.open_sample()
    wizard = window.wizard
    wizard.go_to("basic")
    wizard.pages_by_key["basic"].year.setValue(2023)
    wizard.go_to("eligibility")
    texts = [label.text() for label in wizard.pages_by_key["eligibility"].texts.values()]
    assert any("2022年度专利转化数量" in t for t in texts), texts  # "{{ year - 1 }}年度…"
    assert not any("2020年度" in t for t in texts), texts
    assert window.session.draft.id == SAMPLE_ID


def test_letter_worded_when_shown(qtbot, window):
    window.open_sample()
    wizard = window.wizard
    wizard.go_to("letter")
    text = wizard.pages_by_key["letter"].fixed.text()
    assert "信用承诺" in text or "承诺" in text
    assert "{{" not in text


def _run(code: str, data_dir) -> dict:
    env = dict(os.environ, PATENT_APP_DATA=str(data_dir), QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


OPEN_SAMPLE = """
    import sys
    from PySide6.QtWidgets import QApplication
    from desktop_app import paths
    from desktop_app.ui.app import create_window
    app = QApplication(sys.argv[:1])
    win = create_window(paths.default_db_path())
    win.open_sample()
    win.close_draft(); win.store.close()
    print("{}")
"""

#: Counts what the program does before the first paint of the wizard, and in the moments
#: after it. Behaviour, not module names: which imports make a start fast is for
#: `python -m bench` to measure (README › 性能), not for a test to pin.
FIRST_PAINT = """
    import json, os, sys
    from PySide6.QtCore import QTimer
    from desktop_app.book import compose
    from desktop_app.core import exchange, program, rules
    from desktop_app.ui import wizard

    calls = {"checks": 0, "program_parsed": 0, "validated": 0, "book_composed": 0}
    def counting(module, name, key):
        original = getattr(module, name)
        def counted(*args, **kwargs):
            calls[key] += 1
            return original(*args, **kwargs)
        setattr(module, name, counted)
    counting(rules, "run_checks", "checks")
    counting(program, "_parse_yaml", "program_parsed")
    counting(exchange, "validate_document", "validated")
    counting(compose, "compose", "book_composed")

    original_paint = wizard.PlanWizard.paintEvent
    report = {}

    def paintEvent(self, event):
        original_paint(self, event)
        if report:
            return
        report["before"] = dict(calls)
        report["built"] = [k for k, host in self.hosts.items() if host.page is not None]
        report["pages"] = len(self.hosts)
        report["current"] = self.current_key()
        report["checks_ready"] = self.checks_ready

        def after():
            report["after"] = dict(calls)
            report["all_built"] = all(host.page is not None for host in self.hosts.values())
            print(json.dumps(report))
            sys.stdout.flush()
            os._exit(0)
        QTimer.singleShot(1500, after)

    wizard.PlanWizard.paintEvent = paintEvent
    from desktop_app import paths
    from desktop_app.ui.app import run
    run(db_path=paths.default_db_path(), open_sample=True)
"""


def test_first_paint_comes_before_the_checks_and_the_other_pages(tmp_path):
    _run(OPEN_SAMPLE, tmp_path)  # the library exists, as on every start but the first
    report = _run(FIRST_PAINT, tmp_path)
    before, after = report["before"], report["after"]
    # before the first paint: 申报总览 only, built from the stored draft and the parsed copy of
    # the program; no check run, no file validated, no book composed
    assert report["current"] == "glance" and report["built"] == ["glance"], report
    assert report["pages"] >= 12
    assert before == {"checks": 0, "program_parsed": 0, "validated": 0, "book_composed": 0}, report
    assert not report["checks_ready"]
    # after it: the checks run once, and every other page is built, one per turn of the loop
    assert after["checks"] == 1, report
    assert report["all_built"], report


def test_program_read_from_parsed_copy_and_reparsed_after_an_edit(tmp_path, monkeypatch):
    import shutil

    from desktop_app.core import program as program_module

    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates" / "key_city_2021", templates / "key_city_2021")
    yaml_file = templates / "key_city_2021" / "program.yaml"
    first = program_module.load_program(yaml_file.parent)
    copies = list(Path(os.environ["PATENT_APP_DATA"]).glob("cache/program-*.json"))
    assert len(copies) == 1
    # the copy is what a second read uses: spoil the YAML parser to prove it
    with monkeypatch.context() as patched:
        patched.setattr(program_module, "_parse_yaml", lambda *a: pytest.fail("parsed again"))
        assert program_module.load_program(yaml_file.parent).name == first.name
    # an edited program.yaml is read afresh, not from the old copy
    text = yaml_file.read_text(encoding="utf-8")
    edited = text.replace(f"\nname: {first.name}\n", f"\nname: {first.name}（修订）\n", 1)
    assert edited != text
    yaml_file.write_text(edited, encoding="utf-8")
    assert program_module.load_program(yaml_file.parent).name == first.name + "（修订）"


def test_broken_program_yaml_named_in_the_message(tmp_path):
    from desktop_app.core.program import ProgramError, load_program

    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "program.yaml").write_text("id: x\nname: [未闭合\n", encoding="utf-8")
    with pytest.raises(ProgramError, match=r"program\.yaml 格式有误"):
        load_program(folder)


def test_item_roles_are_qts_numbers():
    from desktop_app.ui import item_roles

    assert item_roles.USER == Qt.ItemDataRole.UserRole.value
    assert item_roles.FOREGROUND == Qt.ItemDataRole.ForegroundRole.value
    assert item_roles.BACKGROUND == Qt.ItemDataRole.BackgroundRole.value


def test_pages_are_built_when_needed_and_all_soon_after_the_first_paint(qtbot, tmp_path):
    from desktop_app.ui.app import create_window

    win = create_window(tmp_path / "drafts.sqlite3")
    qtbot.addWidget(win)
    win.open_sample()
    wizard = win.wizard
    planned_titles = {k: host.title() for k, host in wizard.hosts.items()}  # wizard.page_plan's
    unbuilt = {k for k, host in wizard.hosts.items() if host.page is None}
    assert "glance" not in unbuilt and {"basic", "targets", "export"} <= unbuilt
    # every page is marked from the draft although it does not exist yet
    marks = {wizard.side.item(r).text(0)[0] for r in range(wizard.side.count())}
    assert marks & {"●", "◐", "○"}
    # going to a page builds it, inside its host, with its own title
    wizard.go_to("targets")
    assert wizard.currentPage() is wizard.hosts["targets"]
    targets = wizard.hosts["targets"].page
    assert targets is not None and targets.parent() is wizard.hosts["targets"]
    assert wizard.currentPage().title() == targets.title()
    assert not targets.isHidden()  # shown with its host (the window itself is not shown yet)
    # asking for a page (search, tests, Ctrl+E) builds it too
    assert wizard.pages_by_key["letter"] is wizard.hosts["letter"].page is not None
    # after the first paint the rest are built, one per turn of the event loop
    win.show()
    qtbot.waitUntil(lambda: all(host.page is not None for host in wizard.hosts.values()), timeout=5000)
    assert wizard.export_page is wizard.hosts["export"].page
    # the side list showed each page under the title the page itself carries
    assert {k: host.page.title() for k, host in wizard.hosts.items()} == planned_titles
    win.close_draft()
    win.store.close()


def test_read_only_draft_disables_pages_built_later(qtbot, tmp_path):
    from desktop_app.core.claims import claim_key, claim_value
    from desktop_app.ui.app import create_window
    from desktop_app.ui.main_window import SAMPLE_ID

    win = create_window(tmp_path / "drafts.sqlite3")
    qtbot.addWidget(win)
    win.open_sample()
    win.close_draft()
    # another copy of the program, on another computer, holds the draft
    win.store.set_meta(claim_key(SAMPLE_ID), claim_value("someone-else-token").replace(
        '"host": "', '"host": "另一台电脑-', 1))
    assert win.open_draft(SAMPLE_ID)
    wizard = win.wizard
    assert wizard.session.read_only and wizard.hosts["basic"].page is None
    assert not wizard.pages_by_key["basic"].isEnabled()
    assert wizard.pages_by_key["glance"].isEnabled() and wizard.pages_by_key["export"].isEnabled()
    win.close_draft()
    win.store.close()
