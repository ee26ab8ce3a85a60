"""Draft: one city's application for one program and year.

A Draft wraps the plain JSON document described in docs/draft-format.md. Keeping
the document itself as the model means the store, the exchange file and the
editors all see the same data, and a round trip cannot lose a field.
"""
from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from desktop_app.core.program import Program

FORMAT_NAME = "patent-conversion-draft"
FORMAT_VERSION = 2  # desktop_app.core.draft_format upgrades format 1 when read


class Draft:
    """An application draft; `data` is the JSON document (mutated in place by editors).

    The getters only read: a missing key reads as empty and is not added (checking
    a draft never changes it). Editors that write ask for the container with
    `writable(key)` / `part_for_edit(part_id)`, which create it when missing.
    """

    __slots__ = ("data",)

    def __init__(self, data: dict[str, Any]):
        self.data = data

    # identity -----------------------------------------------------------
    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def program_id(self) -> str:
        return self.data["program_id"]

    @property
    def is_sample(self) -> bool:
        return bool(self.data.get("is_sample", False))

    @property
    def parent_id(self) -> str | None:
        return self.data.get("parent_id")

    # applicant and years --------------------------------------------------
    @property
    def applicant(self) -> dict[str, str]:
        value = self.data.get("applicant")
        return value if isinstance(value, dict) else {}

    @property
    def city(self) -> str:
        return self.applicant.get("city", "")

    @property
    def organization(self) -> str:
        return self.applicant.get("organization", "")

    @property
    def year(self) -> int:
        return int(self.data["year"])

    @property
    def plan_years(self) -> list[int]:
        """Each year of the plan period: [2021, 2022, 2023]."""
        period = self.data["period"]
        return list(range(int(period["start"]), int(period["end"]) + 1))

    @property
    def title(self) -> str:
        """How the draft is named in lists: 【示例】扬州市 2021 专利转化重点城市建设方案."""
        mark = "【示例】" if self.is_sample else ""
        return f"{mark}{self.city or '（未填城市）'} {self.year}年度申报"

    # parts ----------------------------------------------------------------
    def part(self, part_id: str) -> dict[str, Any]:
        """The content of one outline part ({} when it has none; nothing is added)."""
        part = (self.data.get("parts") or {}).get(part_id)
        return part if isinstance(part, dict) else {}

    def part_for_edit(self, part_id: str) -> dict[str, Any]:
        """The content of one outline part to write into, created empty when missing."""
        return self.data.setdefault("parts", {}).setdefault(part_id, {})

    def writable(self, key: str) -> Any:
        """A top-level container to write into (applicant, choices, departments,
        attachments, letter), created empty when missing."""
        return self.data.setdefault(key, [] if key in ("departments", "attachments") else {})

    def text(self, part_id: str) -> str:
        return self.data.get("parts", {}).get(part_id, {}).get("text", "")

    def set_text(self, part_id: str, text: str) -> None:
        self.part_for_edit(part_id)["text"] = text

    @property
    def letter_date(self) -> str:
        """落款日期 of the 信用承诺书; for a program without a letter, the 申报日期."""
        return (self.data.get("letter") or {}).get("date", "")

    @property
    def choices(self) -> dict[str, str]:
        """The applicant's answers to the program's `choices` (e.g. 主攻产业链), by choice id."""
        return self.data.get("choices") or {}

    @property
    def departments(self) -> list[str]:
        return self.data.get("departments") or []

    @property
    def attachments(self) -> list[dict[str, Any]]:
        return self.data.get("attachments") or []

    def copy(self) -> Draft:
        return Draft(copy.deepcopy(self.data))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Draft) and other.data == self.data

    def __repr__(self) -> str:
        return f"Draft({self.id!r}, {self.title!r})"


def choice_values(program: Program, draft: Draft) -> dict[str, str]:
    """Every choice the program declares, with the draft's answer or "" — so a template's
    {{ choices.<id> }} always renders, even before the officer has chosen."""
    chosen = draft.data.get("choices") or {}
    return {c.id: str(chosen.get(c.id) or "") for c in program.choices}


def default_date(program: Program, year: int) -> str:
    """The date a new draft starts with (program.yaml `default_date`, e.g. "{{ year }}-01-20")."""
    from desktop_app.core.dates import parse_iso
    from desktop_app.core.textrender import TemplateTextError, render

    try:
        text = render(program.default_date, {"year": year}, "default_date")
    except TemplateTextError:
        text = ""
    return text if parse_iso(text) else dt.date(year, 3, 1).isoformat()


def uuid4_hex() -> str:
    import uuid  # here: new drafts are rare, every start would pay for the import

    return uuid.uuid4().hex


def new_draft(
    program: Program,
    *,
    organization: str,
    city: str,
    year: int | None = None,
    contact: str = "",
    phone: str = "",
) -> Draft:
    """A fresh draft for `program`, with the guide's indicators and tasks laid out to fill in."""
    year = year or program.year
    data: dict[str, Any] = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "id": uuid4_hex(),
        "program_id": program.id,
        "is_sample": False,
        "parent_id": None,
        "applicant": {"organization": organization, "city": city, "contact": contact, "phone": phone},
        "year": year,
        "period": {"start": year, "end": year + program.period_years - 1},
        "parts": {},
        "letter": {"date": default_date(program, year)},
        "departments": [],
        "attachments": [],
    }
    from desktop_app.core.part_kinds import kind

    for node in program.parts():
        part_kind = kind(node.kind)  # a loaded program has only known kinds
        data["parts"][node.id] = part_kind.new(program) if part_kind is not None else {}
    return Draft(data)
