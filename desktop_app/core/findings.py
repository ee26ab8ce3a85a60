"""What a check reports: a Finding and its severity.

Apart from rules.py so that what only shows findings (申报总览, the side panel) does not
load the rules — and decimal, the text cleaners and the template engine with them —
while the program starts."""
from __future__ import annotations

from dataclasses import dataclass

ERROR, WARNING, HINT = "error", "warning", "hint"
SEVERITIES = (ERROR, WARNING, HINT)


@dataclass(frozen=True)
class Finding:
    """One result of a check: how bad, which rule, where (page + field), what to do."""

    severity: str  # "error" | "warning" | "hint"
    rule: str  # stable id, e.g. "targets.growth"
    page: str  # wizard page key: "basic", "eligibility", an outline part id, "letter", "attachments" (core/pages.py)
    field: str  # path within the page, as completeness.Gap.field: "text", "indicators.2", "tasks.3.lead", "rows.5"
    message: str  # Chinese; names the field and says what to do
