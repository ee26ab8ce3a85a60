"""Chinese official-document numbering: 一、 （一） 1. （1）.

GB/T 9704 gives each numbering form its own font, so the book styles a heading
by the form of its number rather than by its depth in the outline.
"""
from __future__ import annotations

import re

CN_DIGITS = "〇一二三四五六七八九"

_RANKS = (
    (1, re.compile(r"^[一二三四五六七八九十]+、")),
    (2, re.compile(r"^[（(][一二三四五六七八九十]+[）)]")),
    (3, re.compile(r"^\d{1,2}[.．、](?!\d)")),
    (4, re.compile(r"^[（(]\d{1,2}[）)]")),
)


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (enough for outline numbers)."""
    if n <= 0 or n >= 100:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    text = ""
    if tens:
        text = ("" if tens == 1 else CN_DIGITS[tens]) + "十"
    return text + (CN_DIGITS[ones] if ones else "")


def number_rank(text: str) -> int | None:
    """The numbering rank a line starts with (1 一、 · 2 （一） · 3 1. · 4 （1）), or None."""
    for rank, pattern in _RANKS:
        if pattern.match(text):
            return rank
    return None


def strip_number(text: str) -> str:
    """Drop a leading outline number: 三、建设举措 → 建设举措."""
    for _rank, pattern in _RANKS:
        m = pattern.match(text)
        if m:
            return text[m.end():].strip()
    return text.strip()


def numbered(rank: int, n: int, text: str) -> str:
    """Prefix text with the number of this rank: (2, 3, 'x') → （三）x."""
    if rank == 1:
        return f"{chinese_number(n)}、{text}"
    if rank == 2:
        return f"（{chinese_number(n)}）{text}"
    if rank == 3:
        return f"{n}.{text}"
    return f"（{n}）{text}"


#: A numbered line this short and without closing punctuation is a sub-heading,
#: not a run-in paragraph such as "1.加快存量专利转化。支持……".
SUBHEADING_MAX = 30
_CLOSING = re.compile(r"[。；;：:，,]$")
#: How each rank's number looks, for messages.
RANK_FORMS = {1: "一、", 2: "（一）", 3: "1.", 4: "（1）"}


def subheading_rank(line: str) -> int | None:
    """The rank of a line the book prints as a sub-heading, or None for a paragraph."""
    rank = number_rank(line)
    if rank and len(line) <= SUBHEADING_MAX and not _CLOSING.search(line):
        return rank
    return None
