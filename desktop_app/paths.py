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


#: Characters a draft id may keep in a file name as they are; anything else (a path
#: separator, "..", a drive letter, a reserved Windows name…) is not trusted.
_SAFE_ID = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))}


def safe_file_stem(name: str) -> str:
    """The one path policy for names that come from data (a draft's id from an imported
    file): a plain id is kept as it is; any other is mapped to "id-" and a digest of it,
    so "../../x" or "/etc/passwd" can never leave the folder it is meant for."""
    if (name and len(name) <= 64 and set(name) <= _SAFE_ID and name.lower() not in _WINDOWS_RESERVED
            and not name.startswith("-")):
        return name
    import hashlib

    return "id-" + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def draft_record_path(kind: str, draft_id: str, suffix: str = ".json") -> Path:
    """Where per-draft records of one kind live (pdf_pages/<id>.json…): always directly
    inside data_dir()/<kind>, whatever the id holds."""
    if not kind or set(kind) - _SAFE_ID:
        raise ValueError(f"record kind {kind!r}")
    return data_dir() / kind / (safe_file_stem(draft_id) + suffix)
