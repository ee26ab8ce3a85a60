"""The changes between two texts, marked for a side-by-side view (收回).

Paragraphs are matched first, then the characters inside changed paragraphs: Chinese
has no spaces to split words on, and a character diff of a whole part is slow and
matches stray characters across paragraphs.
"""
from __future__ import annotations

import difflib
import html
from dataclasses import dataclass

DELETED = "background:#fde2e0;color:#b3261e;text-decoration:line-through"
INSERTED = "background:#d8f3dc;color:#1e6b2e;text-decoration:underline"
#: Below this share of characters in common, changed paragraphs are marked whole.
REWRITE_RATIO = 0.4


@dataclass(frozen=True)
class Marked:
    """Both sides as HTML (removed text marked on the left, added on the right) and counts."""

    old_html: str
    new_html: str
    removed: int
    added: int


def _esc(text: str) -> str:
    return html.escape(text).replace("\t", "&#9;").replace("\n", "<br>")


def _span(text: str, style: str) -> str:
    # a removed or added paragraph break shows as ¶ so it can be seen
    return f"<span style='{style}'>{_esc(text.replace(chr(10), '¶' + chr(10)))}</span>" if text else ""


def mark_changes(old: str, new: str) -> Marked:
    """Mark what `new` changes in `old`."""
    a, b = old.split("\n"), new.split("\n")
    left: list[str] = []
    right: list[str] = []
    removed = added = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            left.extend(_esc(p) for p in a[i1:i2])
            right.extend(_esc(p) for p in b[j1:j2])
            continue
        x, y = "\n".join(a[i1:i2]), "\n".join(b[j1:j2])
        lo, ro = [], []
        chars = difflib.SequenceMatcher(None, x, y, autojunk=False)
        # a rewrite shares only stray characters with the old text: marked whole, it reads
        # as what it is rather than as confetti of kept characters
        ops = chars.get_opcodes() if x and y and chars.ratio() >= REWRITE_RATIO else \
            [("replace", 0, len(x), 0, len(y))]
        for cop, c1, c2, d1, d2 in ops:
            if cop == "equal":
                lo.append(_esc(x[c1:c2]))
                ro.append(_esc(y[d1:d2]))
                continue
            lo.append(_span(x[c1:c2], DELETED))
            ro.append(_span(y[d1:d2], INSERTED))
            removed += c2 - c1
            added += d2 - d1
        if i2 > i1:
            left.append("".join(lo))
        if j2 > j1:
            right.append("".join(ro))
    return Marked("<br>".join(left), "<br>".join(right), removed, added)
