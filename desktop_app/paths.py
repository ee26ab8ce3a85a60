"""Where the program finds its bundled data and keeps the user's.

Bundled folders (templates/, resources/) are found the same way from a source
checkout and from a PyInstaller bundle; the user's data lives in the OS
user-data folder unless PATENT_APP_DATA points elsewhere (tests, portable use).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import user_data_dir, user_log_dir

from desktop_app import APP_ID


def bundle_root() -> Path:
    """The folder holding templates/ and resources/ (frozen or from source)."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def templates_dir() -> Path:
    override = os.environ.get("PATENT_APP_TEMPLATES")
    return Path(override) if override else bundle_root() / "templates"


def resource(*parts: str) -> Path:
    return bundle_root().joinpath("resources", *parts)


def data_dir() -> Path:
    override = os.environ.get("PATENT_APP_DATA")
    path = Path(override) if override else Path(user_data_dir(APP_ID, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    override = os.environ.get("PATENT_APP_DATA")
    path = Path(override) / "logs" if override else Path(user_log_dir(APP_ID, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return data_dir() / "drafts.sqlite3"
