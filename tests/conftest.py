"""Fixtures shared by all tests. No test touches the user's real data folder."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "samples" / "yangzhou_2021_sample.json"


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory, monkeypatch):
    """Point the user-data folder at a fresh temporary folder for every test."""
    data = tmp_path_factory.mktemp("userdata")
    monkeypatch.setenv("PATENT_APP_DATA", str(data))
    return data


@pytest.fixture
def program():
    from desktop_app.core.program import get_program

    return get_program("key_city_2021")


@pytest.fixture
def sample_draft():
    from desktop_app.core.exchange import read_draft_file

    return read_draft_file(SAMPLE)


@pytest.fixture
def store():
    from desktop_app.core.store import DraftStore

    s = DraftStore(memory=True)
    yield s
    s.close()


@pytest.fixture
def window(qtbot, tmp_path):
    """The main window over a fresh draft store in tmp_path, shown offscreen."""
    from desktop_app.ui.app import create_window

    win = create_window(tmp_path / "drafts.sqlite3")
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close_draft()
    win.store.close()
