"""版式设置: the few layout choices local rules vary, kept per draft in DraftStore.

A draft's own settings go with it (deleted with it); the last settings saved are also
the default for drafts that never had their own. The window's 版式设置… dialog and the
command line's export both read them here, so both write the same book.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from desktop_app.core.store import DraftStore

if TYPE_CHECKING:
    from desktop_app.book.layout import Layout

#: Store-wide default (the meta key the settings were kept under before they were per draft).
DEFAULT_KEY = "layout"
#: The per-draft record kind (DraftStore.set_draft_record).
RECORD = "layout"


def _decode(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def layout_settings(store: DraftStore, draft_id: str | None = None) -> dict[str, Any]:
    """The settings that apply to the draft: its own, else the default (possibly {})."""
    if draft_id is not None:
        own = store.get_draft_record(draft_id, RECORD)
        if own is not None:
            return _decode(own)
    return _decode(store.get_meta(DEFAULT_KEY))


def save_layout_settings(store: DraftStore, values: dict[str, Any], draft_id: str | None = None) -> None:
    """Keep the settings for the draft (when one is open) and as the default for others."""
    text = json.dumps(values, ensure_ascii=False, sort_keys=True)
    if draft_id is not None:
        store.set_draft_record(draft_id, RECORD, text)
    store.set_meta(DEFAULT_KEY, text)


def book_layout(store: DraftStore | None, draft_id: str | None = None) -> Layout:
    """The book.layout.Layout to write the draft with (GB/T 9704 when nothing was set)."""
    from desktop_app.book.layout import layout_from_settings

    return layout_from_settings(layout_settings(store, draft_id) if store is not None else {})
