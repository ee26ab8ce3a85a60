"""A hang ends with the place it hung, not with CI's 90-minute limit: the suite's own
per-test limit (pyproject: pytest-timeout, thread method) is in force."""
from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT


def test_a_hung_test_ends_the_run_with_its_stack(tmp_path):
    (tmp_path / "test_stuck.py").write_text(
        "import time\n\ndef test_waits_for_ever():\n    time.sleep(120)\n", encoding="utf-8")
    # the project's own pytest settings (rootdir, plugins, method), with a 2-second limit
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "-c", str(ROOT / "pyproject.toml"), "--rootdir", str(tmp_path), "-o", "timeout=2", str(tmp_path)],
        cwd=tmp_path, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, capture_output=True, text=True, timeout=60)
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    assert "Timeout" in out and "test_waits_for_ever" in out  # where it hung, from the dump
