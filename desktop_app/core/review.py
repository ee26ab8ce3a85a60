"""review: the list of what 从往年草稿新建 changed or flagged, worked through one item at a time.

data["review"] holds one item per automatic change and per stale statement:

    {"id": "r7", "part": "foundation", "path": "parts.foundation.text",
     "kind": "changed" | "stale" | "unplaced",
     "before": "…sentence as last year…", "after": "…sentence now…",
     "spans": ["2022—2024年"], "label": "", "status": "pending" | "accepted" | "reverted"}

A text item's before/after are whole sentences (found again in the field by their
text, not by an offset the officer's typing would shift); a structured item's
(period, a schedule's row years, the letter date, an indicator's 基期值) are the
values themselves. An item is *open* while it is pending and the field still holds
its `after`: rewriting the sentence (or the value) is handling it, as 接受 / 还原 are.

Drafts written before this list existed hold plain paths ("parts.overview.text");
they read as stale items of that field, open until accepted.
"""
from __future__ import annotations

from typing import Any

from desktop_app.core.draft import Draft

CHANGED, STALE, UNPLACED = "changed", "stale", "unplaced"
PENDING, ACCEPTED, REVERTED = "pending", "accepted", "reverted"
KIND_TEXT = {CHANGED: "自动改动", STALE: "待更新", UNPLACED: "未归位"}
STATUS_TEXT = {PENDING: "待核对", ACCEPTED: "已接受", REVERTED: "已还原"}
_MISSING = object()


def page_of(path: str) -> str:
    """The wizard page a document path is edited on: parts.foundation.text → foundation."""
    from desktop_app.core.fields import page_field

    return page_field(path)[0]


def field_of(path: str) -> str:
    """The field on its page, as the wizard's focus_field takes it (rules' convention)."""
    from desktop_app.core.fields import page_field

    return page_field(path)[1]


def _as_item(raw: Any, n: int) -> dict:
    if isinstance(raw, dict):
        return raw
    path = str(raw)
    return {"id": f"old{n}", "part": page_of(path), "path": path, "kind": STALE, "spans": [], "status": PENDING}


def items(draft: Draft) -> list[dict]:
    """Every review item, in list order (a plain-path entry read as a stale item)."""
    return [_as_item(raw, n) for n, raw in enumerate(draft.data.get("review") or [])]


def _owned(draft: Draft) -> list[dict]:
    """data["review"] as item dicts (plain paths converted in place), to change them."""
    converted = items(draft)
    draft.data["review"] = converted
    return converted


def resolve(data: dict, path: str) -> Any:
    """The value at a document path (parts.x.tasks.0.text), or _MISSING. A schedule's
    "rows.year" is the list of its rows' years ("rows.year_end" of their spans' last years)."""
    node: Any = data
    bits = path.split(".")
    if len(bits) == 4 and bits[0] == "parts" and bits[2] == "rows" and bits[3] in ("year", "year_end"):
        rows = ((data.get("parts") or {}).get(bits[1]) or {}).get("rows")
        return [r.get(bits[3]) for r in rows] if isinstance(rows, list) else _MISSING
    for bit in bits:
        if isinstance(node, dict) and bit in node:
            node = node[bit]
        elif isinstance(node, list) and bit.isdigit() and int(bit) < len(node):
            node = node[int(bit)]
        else:
            return _MISSING
    return node


def _assign(data: dict, path: str, value: Any) -> bool:
    bits = path.split(".")
    if len(bits) == 4 and bits[0] == "parts" and bits[2] == "rows" and bits[3] in ("year", "year_end"):
        rows = data["parts"][bits[1]]["rows"]
        if len(rows) != len(value):
            return False
        for row, year in zip(rows, value):
            if year is None and bits[3] == "year_end":
                row.pop("year_end", None)
            else:
                row[bits[3]] = year
        return True
    parent = resolve(data, ".".join(bits[:-1])) if len(bits) > 1 else data
    key: Any = bits[-1]
    if isinstance(parent, list) and key.isdigit() and int(key) < len(parent):
        parent[int(key)] = value
        return True
    if isinstance(parent, dict):
        parent[key] = value
        return True
    return False


def _is_text(item: dict) -> bool:
    return item.get("kind") in (CHANGED, STALE) and isinstance(item.get("after"), str) and \
        not item["path"].endswith((".date", ".baseline")) and item["path"] != "period"


def is_open(item: dict, draft: Draft) -> bool:
    """Still to be handled: pending, and the field still holds what was carried over."""
    if item.get("status", PENDING) != PENDING:
        return False
    if "after" not in item or item.get("kind") == UNPLACED:
        return True
    current = resolve(draft.data, item["path"])
    if current is _MISSING:
        return False  # the row or field is gone: nothing left to check
    if _is_text(item):
        return isinstance(current, str) and item["after"] in current
    return current == item["after"]


def open_items(draft: Draft, page: str | None = None) -> list[dict]:
    return [i for i in items(draft) if (page is None or i.get("part") == page) and is_open(i, draft)]


def counts(draft: Draft) -> dict[str, int]:
    """How many automatic changes, stale statements and unplaced things; how many still open."""
    all_items = items(draft)
    out = {CHANGED: 0, STALE: 0, UNPLACED: 0}
    for i in all_items:
        out[i.get("kind", STALE)] = out.get(i.get("kind", STALE), 0) + 1
    out["open"] = sum(is_open(i, draft) for i in all_items)
    out["total"] = len(all_items)
    return out


def _find(draft: Draft, item_id: str) -> dict:
    for item in _owned(draft):
        if item.get("id") == item_id:
            return item
    raise KeyError(item_id)


def accept(draft: Draft, item_id: str) -> None:
    """接受: the carried-over wording (or value) is right as it is."""
    _find(draft, item_id)["status"] = ACCEPTED


def can_revert(item: dict, draft: Draft) -> bool:
    return item.get("kind") == CHANGED and "before" in item and is_open(item, draft)


def revert(draft: Draft, item_id: str) -> bool:
    """还原: put back last year's wording (or value). False when the field no longer
    holds the carried-over text (then the officer edits it by hand)."""
    item = _find(draft, item_id)
    if not can_revert(item, draft):
        return False
    if _is_text(item):
        current = resolve(draft.data, item["path"])
        new_text = current.replace(item["after"], item["before"], 1)
        if not _assign(draft.data, item["path"], new_text):
            return False
        # a stale statement in the same sentence now lives in last year's wording
        for other in _owned(draft):
            if other is not item and other.get("path") == item["path"] and other.get("after") == item["after"]:
                other["after"] = item["before"]
                if other.get("kind") == STALE:
                    other["before"] = item["before"]
    elif not _assign(draft.data, item["path"], item["before"]):
        return False
    item["status"] = REVERTED
    return True


def accept_all(draft: Draft, page: str) -> int:
    """接受 every open item of one page; the number accepted (the UI confirms it first)."""
    n = 0
    for item in _owned(draft):
        if item.get("part") == page and is_open(item, draft):
            item["status"] = ACCEPTED
            n += 1
    return n


def shown_value(item: dict, which: str) -> str:
    """before/after as the review shows it."""
    value = item.get(which)
    if item.get("path") == "period" and isinstance(value, dict):
        return f"{value.get('start')}—{value.get('end')}年"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return "" if value is None else str(value)


def page_title(program, page: str) -> str:
    """A page key as the officer reads it: foundation → 2.专利转化基础."""
    from desktop_app.core.fields import page_title as title

    return title(program, page)


def item_label(program, item: dict) -> str:
    """Where an item sits, in words: 正文, 第4条对策, “加强顶层设计”的具体举措, 第2行的进度安排…"""
    if item.get("label"):
        return item["label"]
    from desktop_app.core.fields import label

    bits = item["path"].split(".")
    if bits[0] != "parts" or len(bits) < 3:
        return page_title(program, page_of(item["path"]))
    if bits[2:] == ["text"]:
        return "正文"
    whole = label(program, item["path"])
    heading = f"“{page_title(program, bits[1])}”"
    return whole[len(heading):] if whole.startswith(heading) else whole
