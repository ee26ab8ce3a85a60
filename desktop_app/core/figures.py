"""Figures typed by officers: 1,234 · ２０％ · 18.6 — parsed to numbers, printed back plainly."""
from __future__ import annotations

import math
import unicodedata


class FigureError(ValueError):
    """Text that is not a usable number; the message says what to type instead."""


#: Words an officer may put in a figure's cell instead of a number, printed as written.
EMPTY_REASONS = ("不适用", "未统计")


def parse_figure(text: str) -> float | str | None:
    """parse_number, or one of EMPTY_REASONS typed (or pasted) alone in the cell."""
    raw = unicodedata.normalize("NFKC", text or "").strip()
    return raw if raw in EMPTY_REASONS else parse_number(text)


def parse_number(text: str) -> float | None:
    """'' → None; '1,234' → 1234; '２０％' → 20; raises FigureError with a Chinese hint."""
    raw = unicodedata.normalize("NFKC", text or "").strip()
    if not raw:
        return None
    cleaned = raw.replace(",", "").replace(" ", "").rstrip("%")
    try:
        value = float(cleaned)
    except ValueError:
        raise FigureError(f"“{text}”不是数字，请填写如 120、18.6 或 20%") from None
    if not math.isfinite(value):
        raise FigureError(f"“{text}”不是有限的数字，请填写实际数值")
    if abs(value) >= 1e12:
        raise FigureError(f"“{text}”过大，请检查单位（如改用万元、亿元）")
    return int(value) if value.is_integer() else value


def format_number(value: float | int | str | None) -> str:
    """None → ''; 225.0 → '225'; 18.60 → '18.6' (no exponent, no trailing zeros);
    a reason for an empty figure (未统计, 不适用) as it is."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return str(value)
    return f"{value:.4f}".rstrip("0").rstrip(".")
