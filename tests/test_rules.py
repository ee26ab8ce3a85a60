"""The rules engine (desktop_app.core.rules): each rule trips on a bad draft and stays quiet on the sample."""
from __future__ import annotations

import copy
import json

import pytest

from desktop_app.core import rules
from desktop_app.core.carry_over import carry_over
from desktop_app.core.draft import new_draft
from desktop_app.core.rules import Finding, findings_for_page, findings_to_json, has_errors, run_checks


# helpers ------------------------------------------------------------------------------
def of_rule(findings, rule_id):
    return [f for f in findings if f.rule == rule_id]


def only(findings, rule_id) -> Finding:
    hits = of_rule(findings, rule_id)
    assert len(hits) == 1, f"expected one {rule_id}, got {hits}"
    return hits[0]


def indicator(draft, key):
    rows = draft.part("targets")["indicators"]
    n = next(i for i, r in enumerate(rows) if r["key"] == key)
    return n, rows[n]


@pytest.fixture
def d(sample_draft):
    """A copy of the bundled sample to mutate."""
    return sample_draft.copy()


# the sample and whole drafts ------------------------------------------------------------
def test_sample_has_no_errors(program, sample_draft):
    findings = run_checks(program, sample_draft)
    assert not has_errors(findings), [f.message for f in findings if f.severity == "error"]


def test_checks_do_not_change_the_draft(program, sample_draft):
    before = copy.deepcopy(sample_draft.data)
    run_checks(program, sample_draft)
    assert sample_draft.data == before


def test_new_empty_draft_has_errors(program):
    findings = run_checks(program, new_draft(program, organization="", city=""))
    assert has_errors(findings)
    rules_hit = {f.rule for f in findings if f.severity == "error"}
    assert {"completeness.basic", "completeness.empty"} <= rules_hit
    # Every required part of the empty draft is reported as an error.
    assert {f.page for f in findings if f.rule == "completeness.empty"} == {n.id for n in program.parts()}
    # Nothing answered on the eligibility page yet.
    assert {f.field for f in of_rule(findings, "eligibility.unconfirmed")} == {c.id for c in program.conditions}


def test_carried_over_sample_has_review_warnings(program, sample_draft):
    new = carry_over(sample_draft, 2022)
    review = new.data["review"]
    assert review
    findings = run_checks(program, new)
    assert not has_errors(findings), [f.message for f in findings if f.severity == "error"]
    got = {(f.page, f.field) for f in of_rule(findings, "debris.review")}
    from desktop_app.core.review import field_of, page_of

    expected = {(page_of(i["path"]), field_of(i["path"])) for i in review}
    assert got == expected
    assert all(f.severity == "warning" and ("待更新" in f.message or "顺延" in f.message)
               for f in of_rule(findings, "debris.review"))
    # The carried-over plan period (2022—2024) is not mistaken for last year's.
    assert not of_rule(findings, "debris.old_period")


# completeness ---------------------------------------------------------------------------
def test_completeness_basic(program, d):
    assert not of_rule(run_checks(program, d), "completeness.basic")
    d.applicant["contact"] = ""
    f = only(run_checks(program, d), "completeness.basic")
    assert (f.severity, f.page, f.field) == ("error", "basic", "contact")
    assert "联系人" in f.message


def test_completeness_empty_required_part(program, d):
    assert not of_rule(run_checks(program, d), "completeness.empty")
    d.set_text("overview", "  \n ")
    f = only(run_checks(program, d), "completeness.empty")
    assert (f.severity, f.page, f.field) == ("error", "overview", "text")
    assert "1.概述" in f.message


def test_completeness_empty_list(program, d):
    d.part("problems")["items"] = []
    f = only(run_checks(program, d), "completeness.empty")
    assert (f.severity, f.page, f.field) == ("error", "problems", "items")
    assert "3.面临问题及对策" in f.message


def test_completeness_short(program, d):
    assert not of_rule(run_checks(program, d), "completeness.short")
    d.set_text("overview", "扬州市经济社会发展基本情况。" * 20)  # 260 字
    f = only(run_checks(program, d), "completeness.short")
    assert (f.severity, f.page, f.field) == ("warning", "overview", "text")
    assert "1.概述" in f.message and "600" in f.message


def test_completeness_row(program, d):
    assert not of_rule(run_checks(program, d), "completeness.row")
    d.part("problems")["items"][1]["countermeasure"] = ""
    n, row = indicator(d, "pledge_projects")
    row["baseline"] = None
    findings = of_rule(run_checks(program, d), "completeness.row")
    # required parts: as much an error on a filled page as on a new one (completeness.empty)
    assert {(f.severity, f.page, f.field) for f in findings} == {
        ("error", "problems", "items.1"), ("error", "targets", f"indicators.{n}")}
    assert any("第2条" in f.message for f in findings)
    assert any("知识产权质押融资项目数" in f.message for f in findings)


def test_completeness_row_measure_lead(program, d):
    d.part("measures")["tasks"][3]["lead"] = ""
    f = only(run_checks(program, d), "completeness.row")
    assert (f.severity, f.page, f.field) == ("error", "measures", "tasks.3.lead")
    assert "加大专利转化人才培养引进力度" in f.message and "牵头部门" in f.message


def test_completeness_long(program, d):
    assert not of_rule(run_checks(program, d), "completeness.long")
    d.set_text("safeguards", "建立健全组织领导和资金保障机制。" * 130)  # 2080 字 > 2000
    f = only(run_checks(program, d), "completeness.long")
    assert (f.severity, f.page, f.field) == ("hint", "safeguards", "text")
    assert "四、保障措施" in f.message and "2080" in f.message and "2000" in f.message


# debris ---------------------------------------------------------------------------------
@pytest.mark.parametrize("mark", ["××××", "XX市", "xx市", "XXX", "××市"])
def test_debris_placeholder(program, d, mark):
    d.set_text("approach", d.text("approach") + f"\n推动{mark}专利转化工作。")
    f = only(run_checks(program, d), "debris.placeholder")
    assert (f.severity, f.page, f.field) == ("error", "approach", "text")
    assert "1.总体思路" in f.message and mark in f.message


@pytest.mark.parametrize("text", ["长3×4米", "XXL型号", "Xbox", "xx", "2×2矩阵"])
def test_debris_placeholder_not_tripped(program, d, text):
    d.set_text("approach", d.text("approach") + text)
    assert not of_rule(run_checks(program, d), "debris.placeholder")


def test_debris_placeholder_in_schedule_row(program, d):
    d.part("schedule")["rows"][5]["lead"] = "XX局"
    f = only(run_checks(program, d), "debris.placeholder")
    assert (f.page, f.field) == ("schedule", "rows.5.lead")
    assert "第6行" in f.message


def test_debris_bracket(program, d):
    assert not of_rule(run_checks(program, d), "debris.bracket")
    d.set_text("foundation", d.text("foundation") + "\n【此处写近三年专利转化数据】")
    f = only(run_checks(program, d), "debris.bracket")
    assert (f.severity, f.page, f.field) == ("warning", "foundation", "text")
    assert "2.专利转化基础" in f.message and "【此处写近三年专利转化数据】" in f.message


@pytest.mark.parametrize("mark", ["TODO", "todo", "待补充", "待定", "待更新"])
def test_debris_todo(program, d, mark):
    assert not of_rule(run_checks(program, d), "debris.todo")
    d.part("measures")["tasks"][2]["text"] += f"3.具体场地{mark}。"
    f = only(run_checks(program, d), "debris.todo")
    assert (f.severity, f.page, f.field) == ("warning", "measures", "tasks.2.text")
    assert "构建知识产权运营服务网络" in f.message and mark in f.message


def test_debris_review(program, d):
    assert not of_rule(run_checks(program, d), "debris.review")
    n, _row = indicator(d, "conversion_count")
    d.data["review"] = ["parts.overview.text", f"parts.targets.indicators.{n}", "parts.schedule.rows.4.progress"]
    findings = of_rule(run_checks(program, d), "debris.review")
    assert [(f.severity, f.page, f.field) for f in findings] == [
        ("warning", "overview", "text"), ("warning", "targets", f"indicators.{n}"),
        ("warning", "schedule", "rows.4.progress")]
    assert "1.概述" in findings[0].message
    assert "转化实施专利数量" in findings[1].message
    assert "第5行" in findings[2].message
    assert all(f.message.endswith("沿用上年内容，请核对其中的数字后确认") for f in findings)
    d.data["review"] = []
    assert not of_rule(run_checks(program, d), "debris.review")


@pytest.mark.parametrize("period", ["2020—2022年", "2020-2022年"])
def test_debris_old_period(program, d, period):
    d.set_text("safeguards", d.text("safeguards") + f"\n{period}，市财政每年安排专项资金。")
    f = only(run_checks(program, d), "debris.old_period")
    assert (f.severity, f.page, f.field) == ("warning", "safeguards", "text")
    assert "疑似上年的建设期" in f.message and period in f.message and "四、保障措施" in f.message


def test_debris_old_period_inside_document_title_is_fine(program, d):
    d.set_text("safeguards", d.text("safeguards") + "\n落实《扬州市知识产权强市建设方案（2020-2022年）》，"
                                                   "依据扬政发〔2020—2022年〕1号文件。")
    assert not of_rule(run_checks(program, d), "debris.old_period")


# targets --------------------------------------------------------------------------------
def test_targets_growth(program, d):
    assert not of_rule(run_checks(program, d), "targets.growth")
    n, row = indicator(d, "conversion_count")
    row["targets"] = [1450, 1500, 2100]
    f = only(run_checks(program, d), "targets.growth")
    assert (f.severity, f.page, f.field) == ("error", "targets", f"indicators.{n}")
    assert f.message == ("指标“转化实施专利数量”2022年目标 1500 件，较上年增幅 3.4%，"
                         "低于指南要求的年度增幅20%以上（至少应为 1740 件）")


def test_targets_growth_first_year_against_baseline(program, d):
    n, row = indicator(d, "sme_licensees")
    row["targets"] = [200, 240, 288]  # 192 → 200 is +4.1 %
    f = only(run_checks(program, d), "targets.growth")
    assert f.field == f"indicators.{n}"
    assert "接受高校院所、国有企业专利转让许可的中小企业数量" in f.message
    assert "2021年" in f.message and "基期" in f.message and "至少应为 231 家" in f.message


def test_targets_growth_exactly_twenty_percent(program, d):
    # ">=" 20 %: exactly 20 % passes, even where binary floats would say 240.00000000000003.
    _n, row = indicator(d, "sme_licensees")
    row["baseline"], row["targets"] = 200, [240, 288, 345.6]
    assert not of_rule(run_checks(program, d), "targets.growth")
    # ">" 20 % (增幅超过20%): exactly 20 % is not enough.
    n, row = indicator(d, "pledge_amount")
    row["baseline"], row["targets"] = 18.6, [22.32, 27.3, 33.0]
    f = only(run_checks(program, d), "targets.growth")
    assert f.field == f"indicators.{n}"
    assert "知识产权质押融资金额" in f.message and "2021年" in f.message
    assert "增幅超过20%" in f.message and "应超过 22.32 亿元" in f.message


def test_targets_growth_leaves_missing_numbers_to_completeness(program, d):
    _n, row = indicator(d, "conversion_amount")
    row["targets"] = [50200, None, 72400]
    findings = run_checks(program, d)
    assert not of_rule(findings, "targets.growth")
    assert of_rule(findings, "completeness.row")


def test_targets_growth_ignores_own_indicators(program, d):
    d.part("targets")["indicators"].append(
        {"key": None, "name": "万人发明专利拥有量", "unit": "件", "baseline": 30, "targets": [30, 30, 30], "note": ""})
    assert not of_rule(run_checks(program, d), "targets.growth")


def test_targets_total(program, d):
    assert not of_rule(run_checks(program, d), "targets.total")
    n, row = indicator(d, "sme_participants")
    row["targets"] = [390, 250, 560]
    f = only(run_checks(program, d), "targets.total")
    assert (f.severity, f.page, f.field) == ("error", "targets", f"indicators.{n}")
    assert "参与专利转移转化中小企业数量" in f.message and "2022年" in f.message
    assert "超过250家" in f.message and "至少应为 251 家" in f.message
    row["targets"] = [251, 300, 560]
    assert not of_rule(run_checks(program, d), "targets.total")


def test_targets_qualitative(program, d):
    assert not of_rule(run_checks(program, d), "targets.qualitative")
    text = d.text("targets")
    d.set_text("targets", text.replace("认可", "肯定").replace("推广", "复制"))
    f = only(run_checks(program, d), "targets.qualitative")
    assert (f.severity, f.page, f.field) == ("hint", "targets", "text")
    assert "2.建设目标" in f.message and program.qualitative_targets[0] in f.message
    d.set_text("targets", text.replace("平台", "中心"))
    f = only(run_checks(program, d), "targets.qualitative")
    assert program.qualitative_targets[1] in f.message


# eligibility ----------------------------------------------------------------------------
def test_eligibility_unconfirmed(program, d):
    assert not of_rule(run_checks(program, d), "eligibility.unconfirmed")
    d.data["eligibility"]["demo_city"]["met"] = None
    f = only(run_checks(program, d), "eligibility.unconfirmed")
    assert (f.severity, f.page, f.field) == ("warning", "eligibility", "demo_city")
    assert "申报条件自查" in f.message and "被评为国家知识产权示范城市" in f.message
    del d.data["eligibility"]
    assert len(of_rule(run_checks(program, d), "eligibility.unconfirmed")) == len(program.conditions)


def test_eligibility_not_met(program, d):
    assert not of_rule(run_checks(program, d), "eligibility.not_met")
    d.data["eligibility"]["top8_conversion"]["met"] = False
    f = only(run_checks(program, d), "eligibility.not_met")
    assert (f.severity, f.page, f.field) == ("error", "eligibility", "top8_conversion")
    # The condition is printed with the year filled in: {{ year - 1 }} → 2020.
    assert "2020年度专利转化数量位居全省前8位" in f.message and "不能申报" in f.message


def test_eligibility_evidence(program, d):
    assert not of_rule(run_checks(program, d), "eligibility.evidence")
    d.data["eligibility"]["not_national_city"]["evidence"] = "  "
    f = only(run_checks(program, d), "eligibility.evidence")
    assert (f.severity, f.page, f.field) == ("warning", "eligibility", "not_national_city.evidence")
    assert "未被列入国家知识产权运营服务体系建设重点城市" in f.message


# consistency ----------------------------------------------------------------------------
def test_period_span(program, d):
    assert not of_rule(run_checks(program, d), "period.span")
    d.data["period"] = {"start": 2021, "end": 2024}
    f = only(run_checks(program, d), "period.span")
    assert (f.severity, f.page, f.field) == ("error", "basic", "period")
    assert "建设期" in f.message and "3年" in f.message


def test_period_backwards_does_not_crash(program, d):
    d.data["period"] = {"start": 2023, "end": 2021}
    findings = run_checks(program, d)
    assert only(findings, "period.span").severity == "error"


def test_schedule_years(program, d):
    assert not of_rule(run_checks(program, d), "schedule.years")
    rows = d.part("schedule")["rows"]
    rows[:] = [r for r in rows if r["year"] != 2022]
    findings = run_checks(program, d)
    f = only(findings, "schedule.years")
    assert (f.severity, f.page, f.field) == ("error", "schedule", "rows")
    assert "2022" in f.message and "五、进度安排" in f.message
    # Reported once: the completeness gap for the same year is not repeated.
    assert [g for g in findings if g.page == "schedule" and "2022" in g.message] == [f]


def test_schedule_out_of_period(program, d):
    assert not of_rule(run_checks(program, d), "schedule.out_of_period")
    d.part("schedule")["rows"][3]["year"] = 2024
    f = only(run_checks(program, d), "schedule.out_of_period")
    assert (f.severity, f.page, f.field) == ("error", "schedule", "rows.3")
    assert "第4行" in f.message and "2024" in f.message and "2021—2023年" in f.message


def test_schedule_tasks(program, d):
    assert not of_rule(run_checks(program, d), "schedule.tasks")
    rows = d.part("schedule")["rows"]
    rows[:] = [r for r in rows if r["task"] != "international"]
    f = only(run_checks(program, d), "schedule.tasks")
    assert (f.severity, f.page, f.field) == ("warning", "schedule", "rows")
    assert "建设国际开放创新协作网络" in f.message


def test_schedule_departments(program, d):
    assert not of_rule(run_checks(program, d), "schedule.departments")
    d.part("schedule")["rows"][2]["partners"].append("市住建局")
    d.part("schedule")["rows"][7]["partners"].append("市住建局")
    f = only(run_checks(program, d), "schedule.departments")
    assert (f.severity, f.page, f.field) == ("hint", "schedule", "rows.2")
    assert "市住建局" in f.message and "第3行" in f.message


def test_letter_signer(program, d):
    assert not of_rule(run_checks(program, d), "letter.signer")
    d.applicant["organization"] = "南京市人民政府"
    f = only(run_checks(program, d), "letter.signer")
    assert (f.severity, f.page, f.field) == ("warning", "letter", "signer")
    assert "南京市人民政府" in f.message and "扬州市" in f.message


@pytest.mark.parametrize("date", ["2021-02-30", "", "2021/03/01"])
def test_letter_date_invalid(program, d, date):
    assert not of_rule(run_checks(program, d), "letter.date")
    d.data["letter"]["date"] = date
    findings = run_checks(program, d)
    f = only(findings, "letter.date")
    assert (f.severity, f.page, f.field) == ("error", "letter", "date")
    assert "信用承诺书" in f.message and "落款日期" in f.message
    assert findings_for_page(findings, "letter") == [f]  # not repeated by the completeness rule


def test_letter_date_range(program, d):
    assert not of_rule(run_checks(program, d), "letter.date_range")
    d.data["letter"]["date"] = "2020-12-20"  # the year before the application year is fine
    assert not of_rule(run_checks(program, d), "letter.date_range")
    d.data["letter"]["date"] = "2019-12-20"
    f = only(run_checks(program, d), "letter.date_range")
    assert (f.severity, f.page, f.field) == ("warning", "letter", "date")
    assert "2019年12月20日" in f.message


# the engine -----------------------------------------------------------------------------
def test_findings_sorted_by_severity_then_page(program, d):
    d.data["letter"]["date"] = "2019-01-05"           # warning, letter
    d.set_text("safeguards", "")                      # error, safeguards
    d.applicant["phone"] = ""                         # error, basic
    d.data["eligibility"]["demo_city"]["met"] = None  # warning, eligibility
    d.set_text("overview", d.text("overview") * 3)    # hint, overview
    findings = run_checks(program, d)
    assert [(f.severity, f.page) for f in findings] == [
        ("error", "basic"), ("error", "safeguards"), ("warning", "eligibility"), ("warning", "letter"),
        ("hint", "overview")]


def test_helpers(program, d):
    d.applicant["phone"] = ""
    d.data["eligibility"]["demo_city"]["met"] = None
    findings = run_checks(program, d)
    assert has_errors(findings)
    assert not has_errors([f for f in findings if f.severity != "error"])
    assert [f.rule for f in findings_for_page(findings, "eligibility")] == ["eligibility.unconfirmed"]
    data = findings_to_json(findings)
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert data[0] == {"severity": "error", "rule": "completeness.basic", "page": "basic", "field": "phone",
                       "message": findings[0].message}


def test_every_rule_is_registered(program):
    names = {fn.__name__ for fn in rules.RULES}
    assert {"check_completeness", "check_debris", "check_targets", "check_eligibility",
            "check_period", "check_schedule", "check_letter"} <= names


# heading order ---------------------------------------------------------------------------------
def test_sample_headings_are_in_order(program, sample_draft):
    from desktop_app.book.compose import compose
    from desktop_app.book.model import Heading
    from desktop_app.core.rules import check_heading_order

    assert list(check_heading_order(program, sample_draft)) == []
    book = compose(program, sample_draft)
    plan = next(s for s in book.sections if s.kind == "plan")
    heads = [b for b in plan.blocks if isinstance(b, Heading)]
    under = heads[heads.index(next(h for h in heads if h.text == "2.专利转化基础")) + 1]
    assert under.text == "（1）创新资源较为集聚" and under.rank == 4


def test_pasted_content_that_inverts_heading_order_is_warned(program, sample_draft):
    from desktop_app.core.rules import check_heading_order, run_checks

    part = sample_draft.part("overview")
    part["text"] = "概述正文第一段。\n（一）区位优势\n扬州地处长江与京杭大运河交汇处。\n（二）产业基础\n产业体系特色鲜明。"
    found = list(check_heading_order(program, sample_draft))
    assert len(found) == 1
    f = found[0]
    assert (f.severity, f.rule, f.page, f.field) == ("warning", "headings.order", "overview", "text")
    assert "（一）区位优势" in f.message and "1.概述" in f.message and "（1）" in f.message
    assert any(x.rule == "headings.order" for x in run_checks(program, sample_draft))
    # in order: （1） under 1. is fine, and so is a numbered run-in paragraph
    part["text"] = "（1）区位优势\n1.加快存量专利转化。支持高校院所开放许可存量专利，推动中小企业承接转化。"
    assert list(check_heading_order(program, sample_draft)) == []


def test_a_measures_text_keeps_below_its_task(program, sample_draft):
    from desktop_app.core.rules import check_heading_order

    measures = sample_draft.part("measures")
    measures["tasks"][0]["text"] = "（一）编制实施方案\n全面对接省级实施方案。"
    found = list(check_heading_order(program, sample_draft))
    assert [(f.page, f.field) for f in found] == [("measures", "tasks.0.text")]
    assert "“1.”" in found[0].message


def test_same_gap_same_severity_on_new_and_filled_drafts(program, d):
    """A measure without its 牵头部门 weighs the same on a blank draft and a full one."""
    from desktop_app.core.draft import new_draft

    blank = new_draft(program, organization="扬州市人民政府", city="扬州市", year=2021)
    d.part("measures")["tasks"][0]["lead"] = ""
    def severity(draft):
        return {f.severity for f in run_checks(program, draft) if f.page == "measures" and f.field == "tasks.0.lead"}
    assert severity(blank) == severity(d) == {"error"}
