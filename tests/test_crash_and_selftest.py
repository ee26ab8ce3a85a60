"""The log file, the dialog after an unexpected error (the draft saved first), and --self-test."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def guard(window, monkeypatch):
    """The crash guard of a running program, over the test window; hooks restored after."""
    from desktop_app.ui.crash import CrashGuard, setup_logging

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    g = CrashGuard(window, setup_logging())
    g.install()
    yield g
    g.uninstall()


def test_log_file_is_in_the_user_log_folder(_isolated_data_dir):
    import logging

    from desktop_app.ui.crash import setup_logging

    path = setup_logging()
    assert path == _isolated_data_dir / "logs" / "app.log"
    assert setup_logging() == path  # a second call adds no second handler
    logging.getLogger("desktop_app.test").warning("记录一条")
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert "记录一条" in path.read_text(encoding="utf-8")


def test_log_moves_aside_when_full_and_keeps_only_the_backups(tmp_path):
    import logging

    from desktop_app.ui.crash import CappedFileHandler

    path = tmp_path / "app.log"
    handler = CappedFileHandler(path, max_bytes=300, backups=2)
    logger = logging.getLogger("desktop_app.test.rotation")
    logger.propagate = False
    logger.addHandler(handler)
    try:
        for n in range(40):
            logger.warning("第%02d条：保存草稿失败，磁盘已满", n)
    finally:
        logger.removeHandler(handler)
        handler.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.log", "app.log.1", "app.log.2"]
    assert all(p.stat().st_size < 300 + 120 for p in tmp_path.iterdir())
    # the newest records are in app.log, the ones just before in app.log.1
    assert "第39条" in path.read_text(encoding="utf-8")
    older = (tmp_path / "app.log.1").read_text(encoding="utf-8")
    assert "第39条" not in older and "条" in older
    assert "第00条" not in "".join(p.read_text(encoding="utf-8") for p in tmp_path.iterdir())


@pytest.mark.qt_no_exception_capture
@pytest.mark.gui
def test_error_in_a_slot_is_logged_draft_saved_and_explained(qtbot, window, guard, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append((title, text)))
    window.open_sample()
    draft_id = window.session.draft.id
    window.session.draft.applicant["contact"] = "冯雪"
    window.session.touch()  # typed, the autosave not yet due

    def broken_slot():
        raise ZeroDivisionError("出错的槽函数")

    button = QPushButton("坏按钮")
    button.clicked.connect(broken_slot)
    qtbot.addWidget(button)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    assert window.store.load(draft_id).applicant["contact"] == "冯雪"  # saved before the message
    assert len(shown) == 1
    title, text = shown[0]
    assert "意外错误" in title
    assert str(guard.log_path) in text and "草稿已保存" in text
    log = guard.log_path.read_text(encoding="utf-8")
    assert "ZeroDivisionError: 出错的槽函数" in log and "broken_slot" in log
    assert window.isVisible()  # the program goes on


@pytest.mark.qt_no_exception_capture
@pytest.mark.gui
def test_error_in_a_thread_reaches_the_ui_thread(qtbot, window, guard, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))

    def work():
        raise KeyError("线程里的错误")

    thread = threading.Thread(target=work, name="worker-x")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)  # shown by the UI thread, queued from the worker
    assert "KeyError" in shown[0]
    assert "[worker-x]" in guard.log_path.read_text(encoding="utf-8")


def test_self_test_from_source_passes(tmp_path):
    env = {**os.environ, "PATENT_APP_DATA": str(tmp_path), "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "desktop_app", "--self-test"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "自检通过" in result.stdout
    assert "outline headings found: 5/5" in result.stdout
    report = tmp_path / "logs" / "self-test.log"
    assert "自检通过" in report.read_text(encoding="utf-8")
    assert not (tmp_path / "drafts.sqlite3").exists()  # it used a throw-away store


def test_self_test_fails_with_the_reason(monkeypatch, capsys):
    from desktop_app import selftest

    monkeypatch.setattr(selftest, "BUNDLED", selftest.BUNDLED + (("resources", "missing", "gone.txt"),))
    assert selftest.run_self_test() == 1
    out = capsys.readouterr().out
    assert "自检失败" in out and os.path.join("resources", "missing", "gone.txt") in out


def test_a_hung_self_test_ends_with_every_stack_instead_of_hanging(tmp_path):
    """CI once waited 70 minutes on a self-test that never finished: the watchdog ends it
    with exit code 1 and says where each thread stood."""
    script = (
        "import sys, time\n"
        "from desktop_app import selftest\n"
        "selftest.HANG_AFTER_S = 2\n"
        "def stuck_in_the_bundle_check(say):\n"
        "    time.sleep(60)\n"
        "selftest._check_bundle = stuck_in_the_bundle_check\n"
        "sys.exit(selftest.run_self_test())\n"
    )
    env = {**os.environ, "PATENT_APP_DATA": str(tmp_path), "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=50)
    assert result.returncode == 1
    assert "Timeout (0:00:02)" in result.stderr
    assert "stuck_in_the_bundle_check" in result.stderr  # the stack of the thread that hung
    assert not list(tmp_path.glob("logs/self-test-hang.log"))  # stderr was there: it went there


def test_a_self_test_in_time_disarms_the_watchdog(monkeypatch, capsys, tmp_path):
    """After a quick failure the process lives on past the watchdog's limit, and the hang
    log (captured output has no file behind it, as a windowed build) is gone again."""
    import time

    from desktop_app import selftest

    monkeypatch.setenv("PATENT_APP_DATA", str(tmp_path))
    monkeypatch.setattr(selftest, "HANG_AFTER_S", 1)
    monkeypatch.setattr(selftest, "BUNDLED", selftest.BUNDLED + (("resources", "missing", "gone.txt"),))
    armed, arm = [], selftest.faulthandler.dump_traceback_later
    monkeypatch.setattr(selftest.faulthandler, "dump_traceback_later",
                        lambda *a, **kw: armed.append(kw["file"]) or arm(*a, **kw))
    assert selftest.run_self_test() == 1
    time.sleep(1.5)  # past the watchdog's limit: still here
    assert armed and armed[0].name == str(tmp_path / "logs" / "self-test-hang.log")
    assert not (tmp_path / "logs" / "self-test-hang.log").exists()
    assert "自检失败" in capsys.readouterr().out

