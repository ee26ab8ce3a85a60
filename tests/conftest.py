"""Fixtures shared by all tests. No test touches the user's real data folder.

Before anything is collected, HOME, the XDG folders and PATENT_APP_DATA point into one
temporary folder (a module read at collection — a program cache, fontconfig, Qt — writes
there, never into the real ~/.local/share/patent-conversion-assistant); at the end of
the run the session fails if anything but the expected caches appeared in that home.

`PCA_NO_QT=1` (CI's second run: `-m "not gui" -p no:pytest-qt`) makes PySide6
unimportable: every test that is not marked gui must pass without Qt. The gui marker is
added here to every test that uses the qtbot/qapp fixtures (directly or through another
fixture), so a Qt test cannot forget it.
"""
from __future__ import annotations

import ast
import importlib.abc
import os
import sys
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

#: The fake home of this run, made before any test module (or the program) is imported.
TEST_HOME = Path(tempfile.mkdtemp(prefix="pca-test-home-")).resolve()
for _var, _sub in (("HOME", ""), ("XDG_DATA_HOME", ".local/share"), ("XDG_CONFIG_HOME", ".config"),
                   ("XDG_CACHE_HOME", ".cache"), ("XDG_STATE_HOME", ".local/state")):
    (TEST_HOME / _sub).mkdir(parents=True, exist_ok=True)
    os.environ[_var] = str(TEST_HOME / _sub)
#: What a module does when imported (before a test's own folder is set) lands here.
os.environ["PATENT_APP_DATA"] = str(TEST_HOME / "collection-data")
#: What libraries may leave under TEST_HOME: font caches and the like, and Qt's own settings
#: (a QFileDialog remembers its last folder in QtProject.conf when it is destroyed).
ALLOWED_IN_HOME = ("collection-data/", ".cache/", ".config/QtProject.conf")

QT_MODULES = ("PySide6", "shiboken6", "pytestqt")
NO_QT = os.environ.get("PCA_NO_QT") == "1"


class _NoQt(importlib.abc.MetaPathFinder):
    """Makes PySide6 unimportable (PCA_NO_QT=1): core/, book/, app/ must not need it."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] in QT_MODULES:
            raise ImportError(f"PySide6 is blocked in this run (PCA_NO_QT=1): {fullname}")
        return None


if NO_QT:
    sys.meta_path.insert(0, _NoQt())

GUI_FIXTURES = {"qtbot", "qapp", "qtmodeltester", "qtlog"}


def pytest_addoption(parser):
    if NO_QT:  # pytest-qt is off (-p no:pytest-qt): its settings in pyproject are known all the same
        for name in ("qt_api", "qt_log_level_fail", "qt_log_ignore"):
            parser.addini(name, "pytest-qt (not loaded in this run)",
                          type="linelist" if name == "qt_log_ignore" else None)


def _imports_qt_at_top(path: Path) -> bool:
    """The module imports PySide6 (or the ui/ package, which is Qt) when it is loaded."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                 else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
        if any(n.split(".")[0] in QT_MODULES or n.startswith("desktop_app.ui") for n in names):
            return True
    return False


def pytest_ignore_collect(collection_path, config):
    """Without Qt, a module that needs Qt when loaded holds only GUI tests: not collected."""
    if NO_QT and collection_path.suffix == ".py" and collection_path.name.startswith("test_"):
        return _imports_qt_at_top(collection_path) or None
    return None


def pytest_collection_modifyitems(config, items):
    """Every test using Qt's fixtures is a gui test, marked or not (5 were not)."""
    for item in items:
        if GUI_FIXTURES & set(getattr(item, "fixturenames", ())) and not item.get_closest_marker("gui"):
            item.add_marker(pytest.mark.gui)


def written_in_home() -> list[str]:
    """Files a test (or a module it imported) wrote into the run's home folder."""
    found = []
    for path in TEST_HOME.rglob("*"):
        rel = path.relative_to(TEST_HOME).as_posix()
        if path.is_file() and not rel.startswith(ALLOWED_IN_HOME):
            found.append(rel)
    return sorted(found)


def pytest_sessionfinish(session, exitstatus):
    stray = written_in_home()
    if stray:
        session.config.stray_files = stray
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    stray = getattr(config, "stray_files", None)
    if stray:
        terminalreporter.write_line("FAILED: tests wrote outside their temporary folders (into the home "
                                    "folder): " + ", ".join(stray[:20]), red=True)

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
