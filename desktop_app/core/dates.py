"""Dates as official documents print them (GB/T 9704: 2021年3月1日, no zero padding)."""
from __future__ import annotations

import datetime as dt


def parse_iso(text: str) -> dt.date | None:
    """2021-03-01 → date; None for anything that is not a real calendar date."""
    try:
        return dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def date_cn(value: dt.date | str) -> str:
    """date(2021, 3, 1) or '2021-03-01' → 2021年3月1日 ('' when empty or invalid)."""
    day = parse_iso(value) if isinstance(value, str) else value
    if day is None:
        return ""
    return f"{day.year}年{day.month}月{day.day}日"
