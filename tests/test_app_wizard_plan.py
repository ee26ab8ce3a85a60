"""The wizard plan without Qt: pages, order, where findings lead, states, next/previous —
and that the rules, the wizard and 申报总览 use this one order."""
from __future__ import annotations

import copy

from desktop_app.app.wizard_plan import HAS_ERRORS, WizardPlan, overview_state
from desktop_app.core import completeness, pages, rules
from desktop_app.core.draft import Draft
from desktop_app.core.findings import ERROR, WARNING, Finding
from desktop_app.core.program import get_program


def test_pages_in_order_from_overview_to_export(program, sample_draft):
    plan = WizardPlan(program, sample_draft)
    keys = plan.keys()
    assert keys[0] == pages.GLANCE and keys[-1] == pages.EXPORT
    parts = [n.id for n in program.parts()]
    assert keys[keys.index(pages.BASIC) + 1: keys.index(pages.BASIC) + 1 + len(parts) + 1] == [
        pages.ELIGIBILITY, *parts]
    assert (pages.LETTER in keys) == (program.letter is not None)
    assert pages.REVIEW not in keys  # not carried over


def test_next_and_previous_walk_the_plan_both_ways(program, sample_draft):
    plan = WizardPlan(program, sample_draft)
    walked, key = [plan.first_key()], plan.first_key()
    while (key := plan.next_key(key)) is not None:
        walked.append(key)
    assert walked == plan.keys()
    back, key = [walked[-1]], walked[-1]
    while (key := plan.previous_key(key)) is not None:
        back.append(key)
    assert back == list(reversed(walked))
    assert plan.next_key("no-such-page") is None and plan.previous_key(plan.first_key()) is None


def test_a_carried_over_draft_has_the_review_page_right_after_the_overview(program, sample_draft):
    from desktop_app.core.carry_over import carry_over

    draft = carry_over(sample_draft, sample_draft.year + 1)
    plan = WizardPlan(program, draft)
    assert plan.keys()[:3] == [pages.GLANCE, pages.REVIEW, pages.BASIC]
    assert plan.state(pages.REVIEW) in (completeness.TO_REVIEW, completeness.COMPLETE)


def test_attachment_findings_lead_to_the_attachments_page_where_there_is_one():
    p2021, p2022 = get_program("key_city_2021"), get_program("university_ip_center_2022")
    for program in (p2021, p2022):
        plan = WizardPlan(program, Draft({"program_id": program.id, "parts": {}}))
        expected = pages.ATTACHMENTS if pages.ATTACHMENTS in program.binding_order else pages.EXPORT
        assert plan.page_for(pages.EXPORT, "attachments.0.title") == expected
        assert plan.page_for(pages.BASIC, "contact") == pages.BASIC
        assert plan.page_for("no-such-page") is None


def test_the_rules_put_every_finding_on_a_page_of_the_plan_in_the_plan_order(program, sample_draft):
    draft = copy.deepcopy(sample_draft)
    draft.applicant["contact"] = ""
    draft.data.setdefault("attachments", []).append({"title": "{{ 待补 }}"})
    findings = rules.run_checks(program, draft)
    plan = WizardPlan(program, draft)
    assert findings and all(f.page in plan for f in findings), [f.page for f in findings if f.page not in plan]
    order = plan.keys()
    for severity in ("error", "warning", "hint"):
        positions = [order.index(f.page) for f in findings if f.severity == severity]
        assert positions == sorted(positions)
    assert rules.page_order(program, draft) == order


def test_states_views_complete_and_errors_win_on_the_overview(program, sample_draft):
    plan = WizardPlan(program, sample_draft)
    states = {k: s for k, _t, s in plan.states()}
    assert states[pages.GLANCE] == states[pages.EXPORT] == completeness.COMPLETE
    assert plan.mark(pages.EXPORT).strip().startswith("▶")
    assert plan.mark(pages.BASIC)[0] in "●◐○"
    error = Finding(ERROR, "x", pages.BASIC, "contact", "联系人未填写")
    warning = Finding(WARNING, "x", pages.BASIC, "contact", "提示")
    assert overview_state(completeness.COMPLETE, [warning]) == completeness.COMPLETE
    assert overview_state(completeness.COMPLETE, [warning, error]) == HAS_ERRORS


def test_the_plan_loads_no_qt():
    import subprocess
    import sys

    code = ("import sys; import desktop_app.app.wizard_plan; "
            "print([m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_new_draft_opens_calm_until_a_page_is_visited_or_the_check_asked(program):
    from desktop_app.app.wizard_plan import ready_state
    from desktop_app.core.draft import new_draft

    draft = new_draft(program, organization="", city="")
    plan = WizardPlan(program, draft)
    findings = rules.run_checks(program, draft)
    empty = [k for k, _t, s in plan.states() if s == completeness.EMPTY and not plan.page(k).is_view]
    assert empty and any(f.page in empty for f in findings)
    calm = plan.shown_findings(findings)
    assert not any(f.page in empty for f in calm)
    assert any(f.page == empty[0] for f in plan.shown_findings(findings, visited={empty[0]}))
    assert plan.shown_findings(findings, check_asked=True) == findings
    # 检查与导出 on 申报总览: ○ while nothing is entered, ● when all is complete without errors
    assert ready_state([completeness.EMPTY] * 3, findings) == completeness.EMPTY
    assert ready_state([completeness.COMPLETE] * 3, []) == completeness.COMPLETE
    assert ready_state([completeness.COMPLETE] * 3, [Finding(ERROR, "x", "basic", "", "")]) == completeness.PARTIAL
    assert ready_state([completeness.COMPLETE, completeness.EMPTY], []) == completeness.PARTIAL


def test_a_finding_on_a_part_the_program_no_longer_has_is_still_judged(program, sample_draft):
    plan = WizardPlan(program, sample_draft)
    assert "no-such-part" not in plan
    assert plan.state("no-such-part") in (completeness.EMPTY, completeness.PARTIAL, completeness.COMPLETE)
    stray = Finding(ERROR, "x", "no-such-part", "text", "旧项目的部分")
    assert plan.shown_findings([stray], check_asked=True) == [stray]
    plan.shown_findings([stray])  # no error either way
