"""Crash safety: the program killed at any moment loses no edit older than the autosave interval.

Each trial runs tests/store_child.py, which edits a draft through the real
autosave path (DraftSession and its QTimer over DraftStore), kills it with
SIGKILL at a random moment, then reopens the file. Every time: PRAGMA
integrity_check is "ok", the stored edits are exactly 1..N with no gap, every
edit made at least AUTOSAVE_MS (plus a margin for scheduling) before the kill
is there, so is every edit whose save was reported, and the dead process's
claim on the draft does not keep it locked.
"""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from desktop_app.core.store import DraftStore
from desktop_app.ui.session import AUTOSAVE_MS
from store_child import DRAFT_ID

#: gui: the child edits through DraftSession's QTimer (Qt), so this is no test for a run without PySide6.
pytestmark = [pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL"), pytest.mark.gui]

CHILD = Path(__file__).resolve().parent / "store_child.py"
TRIALS = 32
PARALLEL = 4
#: Slack for the timer firing late and the save itself, on a busy CI machine.
MARGIN_S = 0.5


def _trial(n: int, folder: Path) -> dict:
    rng = random.Random(1000 + n)
    db = folder / f"trial{n}.sqlite3"
    with subprocess.Popen([sys.executable, str(CHILD), "edit", str(db), str(n)], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, encoding="utf-8") as proc:
        try:
            first = proc.stdout.readline().strip()
            assert first == "ready", f"trial {n}: child did not start: {first!r} {proc.stderr.read()}"
            # From right after the first edit to a few autosaves later (six intervals: with
            # 1.6 s only 9 of the 32 seeded trials outlived two saves, against the 10 the
            # check below asks for, so a busy machine failed it now and then)
            time.sleep(rng.uniform(0.0, 2.4))
            killed_at = time.time()
            os.kill(proc.pid, signal.SIGKILL)
            # Through the same reader as readline() (communicate() would skip what it buffered).
            out, err = proc.stdout.read(), proc.stderr.read()
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL, f"trial {n}: child ended on its own: {err}"
    edits = [(int(k), float(t)) for word, k, t in (line.split() for line in out.splitlines() if line)
             if word == "edit"]
    assert [k for k, _t in edits] == list(range(1, len(edits) + 1)), f"trial {n}: edit log incomplete"
    saves = [int(k) for word, k, _t in (line.split() for line in out.splitlines() if line) if word == "saved"]
    return {"n": n, "db": db, "killed_at": killed_at, "edits": edits, "saves": saves}


def _check(result: dict) -> int:
    """Assert everything about one trial; returns how many edits were stored."""
    n, db = result["n"], result["db"]
    conn = sqlite3.connect(str(db))
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], f"trial {n}: damaged file"
    finally:
        conn.close()
    store = DraftStore(db)
    try:
        text = store.load(DRAFT_ID).text("overview")
        stored = [line for line in text.split("\n") if line]
        assert stored == [f"第{k}次修改" for k in range(1, len(stored) + 1)], f"trial {n}: edits out of order"
        deadline = result["killed_at"] - AUTOSAVE_MS / 1000 - MARGIN_S
        must_have = max((k for k, made in result["edits"] if made <= deadline), default=0)
        assert len(stored) >= must_have, (
            f"trial {n}: {len(stored)} edits stored, but edit {must_have} was made "
            f"{result['killed_at'] - dict(result['edits'])[must_have]:.2f} s before the kill")
        assert len(stored) >= max(result["saves"], default=0), f"trial {n}: a reported save was lost"
        assert len(stored) <= len(result["edits"])  # nothing stored that was never made
        # The killed copy's claim is abandoned: the draft opens for editing again.
        assert store.claim(DRAFT_ID), f"trial {n}: the dead process still holds the draft"
    finally:
        store.close()
    return len(stored)


def test_sigkill_at_random_moments_loses_no_autosaved_edit(tmp_path):
    started = time.monotonic()
    with ThreadPoolExecutor(PARALLEL) as pool:
        results = list(pool.map(lambda n: _trial(n, tmp_path), range(TRIALS)))
    stored = [_check(r) for r in results]
    # The schedule really exercised the autosave: most trials ran past several
    # saves, and edits were typed faster than the autosave interval.
    assert sum(1 for r in results if len(r["saves"]) >= 2) >= TRIALS // 3
    assert sum(stored) > 0
    gaps = [b - a for r in results for (_, a), (_, b) in zip(r["edits"], r["edits"][1:])]
    assert max(gaps) < AUTOSAVE_MS / 1000
    assert time.monotonic() - started < 60
