"""PySide6 6.12.0 on Python 3.11 drops a reference to None on every void call; after some
thousands of calls Python aborts. desktop_app.ui makes None immortal when that is so."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

#: Qt itself, in this process and in children.
pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parent.parent
CALLS = """
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
for _ in range(60_000):
    label.setText("已保存")
print("survived")
"""


def _run(code: str) -> subprocess.CompletedProcess:
    # the checkout first, then whatever path this run has (the .deb's Qt is found by PYTHONPATH)
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": path}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_many_qt_calls_do_not_abort_python():
    result = _run("import desktop_app.ui\n" + CALLS)
    assert result.returncode == 0 and "survived" in result.stdout, result.stderr[-500:]


def test_the_guard_is_applied_exactly_when_pyside_leaks():
    from desktop_app.ui import none_guard

    assert none_guard.APPLIED == (sys.version_info < (3, 12) and none_guard.none_refcount_leaks())
    if none_guard.APPLIED:  # without the guard the same calls kill Python: the guard is what helps
        result = _run(CALLS)
        assert result.returncode != 0 and "none_dealloc" in result.stderr
