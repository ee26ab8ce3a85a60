"""When a book is written: now, or a moment pinned from outside.

Kept apart from docx_writer so the window can take the export time the moment the
officer clicks 导出 without importing python-docx on the UI thread (150 ms there).
"""
from __future__ import annotations

import datetime as dt
import os


def export_time() -> dt.datetime:
    """Now (UTC), or SOURCE_DATE_EPOCH (seconds since 1970) when set: the reproducible-builds
    convention, for identical books from identical drafts (tests, archives)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc)
