"""year_spans: which year expressions of a text name the plan period, and which state a fact.

从往年草稿新建 must move what refers to the plan itself and never what states a
fact. In prose a year is only a year when it is written as one: four digits
(1990–2099) followed by 年 / 年度, or a range of two such (2021—2023年,
2018年至2020年). A number followed by any other unit (2000万元, 2021件, 35%) is
an amount, never a year, and is never touched; "3年" is a length of time.

Each year expression outside the protected spans (《titles》, 〔2021〕23号 document
numbers, standard numbers such as DB32/T 4308-2022) is one `YearSpan`:

- PLAN: inside last year's plan period (2021—2023年, 到2023年, 2021年度, 2022年重点…)
  and not said as a finished fact: moves with the plan.
- PAST: before the plan period (截至2020年底, 由2018年…提高到2020年…, 2020年地区生产
  总值…), or a plan year said as a finished fact (截至2021年6月, 2021年以来, 2021年至今, 2021年上半年):
  never re-dated; flagged 待更新 for the officer to rewrite with this year's figures.
- OTHER: after the plan period (到2035年): left as written, not flagged.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

PLAN, PAST, OTHER = "plan", "past", "other"

# Spans left alone: 《titles》, 〔numbers〕 and [numbers] of documents, and
# standard codes such as DB32/T 4308-2022 or GB/T 9704-2012.
PROTECTED = re.compile(
    r"《[^》]*》|〔[^〕]*〕|\[[^\]]*\]|［[^］]*］|[A-Z]{2,}[0-9]*/?[A-Z]?\s?[0-9]+(?:\.[0-9]+)?-\d{4}"
)
_Y = r"(?:199\d|20\d\d)"
_DASH = r"[ \t\u3000]*(?:—{1,2}|-|－|–|~|～|至|到)[ \t\u3000]*"
#: A year range (2021—2023年, 2018年至2020年) or a single year (2020年, 2021年度).
YEAR_EXPR = re.compile(
    rf"(?<![\d.．])(?P<y1>{_Y})(?:年(?!度))?{_DASH}(?P<y2>{_Y})(?P<s2>年度|年)"
    rf"|(?<![\d.．])(?P<y>{_Y})(?P<s>年度|年)"
)
#: Words right before a year that make it a statement of what has been (截至2021年6月底).
_PAST_BEFORE = re.compile(r"(?:截至|截止|截止到|截至到)\s*$")
#: Words right after a year that make it a statement of what has been (2021年以来, 2021年上半年).
_PAST_AFTER = re.compile(r"^(?:以来|至今|迄今|以前|之前|上半年|前三季度|一季度|第一季度|1\s*[—\-－–~～至]\s*\d{1,2}\s*月)")


@dataclass(frozen=True)
class YearSpan:
    start: int
    end: int
    text: str
    kind: str  # PLAN, PAST or OTHER
    years: tuple[int, ...]


def _protected_ranges(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in PROTECTED.finditer(text)]


def year_spans(text: str, period: tuple[int, int]) -> list[YearSpan]:
    """Every year expression of `text` outside protected spans, classified against the
    plan `period` (first, last year) of the draft the text was written for."""
    if not text:
        return []
    first, last = period
    guarded = _protected_ranges(text)
    out = []
    for m in YEAR_EXPR.finditer(text):
        if any(a <= m.start() < b or a < m.end() <= b for a, b in guarded):
            continue
        years: tuple[int, ...]
        if m.group("y1"):
            years = (int(m.group("y1")), int(m.group("y2")))
        else:
            years = (int(m.group("y")),)
        if all(first <= y <= last for y in years):
            said_as_fact = _PAST_BEFORE.search(text[max(0, m.start() - 5):m.start()]) or \
                _PAST_AFTER.search(text[m.end():m.end() + 8])
            kind = PAST if said_as_fact else PLAN
        elif any(y < first for y in years):
            kind = PAST
        else:
            kind = OTHER
        out.append(YearSpan(m.start(), m.end(), m.group(0), kind, years))
    return out


def _moved(expr: str, delta: int) -> str:
    return re.sub(_Y, lambda y: str(int(y.group(0)) + delta), expr)


def move_plan_years(text: str, period: tuple[int, int], delta: int) -> str:
    """`text` with every PLAN year expression moved by `delta`; nothing else changes."""
    if not delta:
        return text
    out, pos = [], 0
    for span in year_spans(text, period):
        if span.kind == PLAN:
            out += [text[pos:span.start], _moved(span.text, delta)]
            pos = span.end
    out.append(text[pos:])
    return "".join(out)


# sentences -------------------------------------------------------------------------
_SENTENCE = re.compile(r"[^。；！？;!?\n]*(?:[。；！？;!?]+|\n|$)")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text` (ending at 。；！？ or a line break), end
    exclusive and without the line break, so the pieces with the breaks rebuild the text."""
    out = []
    for m in _SENTENCE.finditer(text):
        a, b = m.span()
        if b > a and text[b - 1] == "\n":
            b -= 1
        if b > a:
            out.append((a, b))
    return out
