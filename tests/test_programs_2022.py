"""The 2022 guide's two directions as programs (templates/university_ip_center_2022,
templates/industry_ip_center_2022), the program features they brought (choices, no
letter, 项目申报书, 年均 and 或者 thresholds), and their samples' books."""
from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
import yaml

from desktop_app.book.compose import compose, context
from desktop_app.book.docx_writer import write_docx
from desktop_app.core.completeness import all_gaps, part_has_content
from desktop_app.core.draft import new_draft
from desktop_app.core.exchange import draft_from_json_text, read_draft_file, validate_document
from desktop_app.core.program import ProgramError, get_program, program_from_dict
from desktop_app.core.rules import has_errors, page_order, run_checks
from desktop_app.core.textrender import render

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "resources" / "samples"
UNIVERSITY_SAMPLE = SAMPLES / "changzhou_university_2022_sample.json"
PARK_SAMPLE = SAMPLES / "wuxi_park_2022_sample.json"
KEY_CITY_YAML = ROOT / "templates" / "key_city_2021" / "program.yaml"

OUTLINE_2022 = ["一、基本情况和建设基础", "二、建设目标", "三、主要任务和举措", "四、保障措施", "五、进度安排"]

UNIVERSITY_TASKS = ["设立独立的知识产权运营中心", "提升知识产权管理能力", "提升高校院所专利商业价值",
                    "推进专利技术高效转化实施", "推进专利转化运营机制创新"]
PARK_TASKS = ["建立市场化专利运营中心", "加工整理产业链专利信息", "深度挖掘企业端技术需求", "开展精准化专利供需匹配",
              "提升专利成果技术成熟度", "推动组建产业知识产权联盟", "培养专业化专利运营人才", "建立一站式融资服务渠道"]
PRIORITY_CHAINS = ["特高压设备", "起重机", "车联网", "品牌服装", "先进碳材料", "生物医药", "集成电路", "高技术船舶",
                   "轨道交通装备", "“大数据+”"]


@pytest.fixture
def university():
    return get_program("university_ip_center_2022")


@pytest.fixture
def park():
    return get_program("industry_ip_center_2022")


def of_rule(findings, rule_id):
    return [f for f in findings if f.rule == rule_id]


def rows_by_key(draft):
    return {r["key"]: r for r in draft.part("targets")["indicators"]}


# the two programs ---------------------------------------------------------------------
def test_university_program(university):
    p = university
    assert (p.year, p.period_years, p.letter) == (2022, 2, None)
    assert p.applicant["kind"] == "在我省注册的具有独立法人资格的高等学校、科研院所"
    assert [t.title for t in p.tasks] == UNIVERSITY_TASKS
    assert " " not in p.task("conversion").guide and p.task("conversion").guide.endswith("提高专利有效供给。")
    assert len(p.conditions) == 3
    assert "不少于5人" in p.conditions[0].text and "超过150件" in p.conditions[1].text
    assert "超过15件或者金额超过1500万元" in p.conditions[2].text
    transfers = p.indicator("patent_transfers").threshold
    assert (transfers.kind, transfers.op, transfers.value, transfers.average) == ("growth", ">=", 20, False)
    amount = p.indicator("contract_amount")
    assert [(t.kind, t.value, t.average) for t in amount.thresholds] == [("total", 5000, True), ("growth", 20, True)]
    assert amount.unit == "万元" and amount.requirement == "年均不少于5000万元；年均增幅不低于20%"
    assert len(p.qualitative_targets) == 3
    assert p.choices == ()


def test_industry_program(park):
    p = park
    assert (p.year, p.period_years, p.letter) == (2022, 2, None)
    assert "管委会" in p.applicant["kind"]
    assert [t.title for t in p.tasks] == PARK_TASKS
    chain = p.choice("industry_chain")
    assert chain.label == "主攻产业链" and list(chain.options) == PRIORITY_CHAINS and chain.required
    totals = {i.key: (i.threshold.value, i.unit) for i in p.indicators if i.threshold.kind == "total"}
    assert totals == {"center_pushes": (5000, "条"), "center_license_count": (100, "件"),
                      "center_license_amount": (1000, "万元"), "center_trainees": (200, "人")}
    assert p.indicator("center_license_count").threshold.alternative == "center_license_amount"
    assert p.indicator("center_license_amount").threshold.alternative == "center_license_count"
    assert sum(i.threshold.kind == "growth" for i in p.indicators) == 4  # the park's 年度增幅不少于20%


@pytest.mark.parametrize("program_id, tasks", [("university_ip_center_2022", 5), ("industry_ip_center_2022", 8)])
def test_2022_outline_binding_and_note(program_id, tasks):
    p = get_program(program_id)
    assert [n.heading for n in p.outline] == OUTLINE_2022
    assert [n.kind for n in p.parts()] == ["prose", "prose", "problems", "prose", "targets", "measures", "prose",
                                           "schedule"]
    assert all(n.required and n.prompt for n in p.parts())
    assert "两年" in p.part_of_kind("schedule").prompt
    assert len(p.tasks) == tasks
    assert p.binding_order == ["cover", "toc", "application_form", "plan", "attachments"]
    assert "没有规定" in p.outline_note and "并非指南规定的格式" in p.outline_note
    assert " " not in p.outline_note
    assert "letter" not in page_order(p)


def test_new_2022_draft_is_laid_out_for_two_years(park):
    draft = new_draft(park, organization="苏州工业园区管理委员会", city="苏州市")
    assert draft.plan_years == [2022, 2023]
    assert draft.letter_date == "2022-01-20"  # before the guide's 1月30日 deadline
    assert all(r["targets"] == [None, None] for r in draft.part("targets")["indicators"])
    assert [m["title"] for m in draft.part("measures")["tasks"]] == PARK_TASKS
    assert "choices" not in draft.data or draft.data["choices"] == {}
    assert not validate_document(draft.data)


def test_key_city_keeps_its_letter_and_order(program):
    assert program.letter is not None
    assert program.binding_order == ["cover", "toc", "letter", "plan", "attachments"]
    assert program.outline_note == "" and program.choices == ()
    assert "letter" in page_order(program)


# checks --------------------------------------------------------------------------------
def test_empty_2022_draft_reports_the_choice_and_nothing_about_a_letter(park):
    draft = new_draft(park, organization="", city="")
    findings = run_checks(park, draft)
    assert not [f for f in findings if f.page == "letter"]
    basic = {f.field for f in findings if f.rule == "completeness.basic"}
    assert {"organization", "city", "choices.industry_chain"} <= basic
    assert any(g.field == "choices.industry_chain" for g in all_gaps(park, draft))


def test_date_is_checked_on_the_basic_page_without_a_letter(university):
    draft = read_draft_file(UNIVERSITY_SAMPLE)
    draft.data["letter"]["date"] = "2022-02-30"
    f = [f for f in run_checks(university, draft) if f.rule == "letter.date"]
    assert [(x.severity, x.page, x.field) for x in f] == [("error", "basic", "date")]
    assert f[0].message.startswith("申报日期“2022-02-30”")
    draft.data["letter"]["date"] = "2019-12-01"
    f = [f for f in run_checks(university, draft) if f.rule == "letter.date_range"]
    assert [(x.page, x.field) for x in f] == [("basic", "date")]


def test_a_university_is_not_expected_to_be_named_after_its_city(university, program):
    draft = read_draft_file(UNIVERSITY_SAMPLE)
    assert draft.organization == "常州大学" and not draft.organization.startswith(draft.city)
    assert not of_rule(run_checks(university, draft), "letter.signer")
    # The city government of 2021 still is.
    city = read_draft_file(SAMPLES / "yangzhou_2021_sample.json")
    city.applicant["organization"] = "江苏省扬州市人民政府"
    assert of_rule(run_checks(program, city), "letter.signer")


def test_average_total_and_growth(university):
    draft = read_draft_file(UNIVERSITY_SAMPLE)
    row = rows_by_key(draft)["contract_amount"]
    # One year under 5000 is fine when the 年均 holds: (4800 + 6300) / 2 = 5550.
    row["baseline"], row["targets"] = 4300, [4800, 6300]
    assert not has_errors(run_checks(university, draft))
    row["targets"] = [4500, 5300]  # mean 4900; growth 4300 → 5300 in two years is 11.0% a year
    messages = sorted(f.message for f in run_checks(university, draft) if f.severity == "error")
    assert messages == [
        "指标“运营中心组织涉及专利的技术合同成交额”2022—2023年各年目标平均 4900 万元，未达到指南要求的年均不少于5000万元"
        "（年均至少应为 5000 万元）",
        "指标“运营中心组织涉及专利的技术合同成交额”2023年目标 5300 万元，较基期（2021年）年均增幅 11.0%，"
        "未达到指南要求的年均增幅不低于20%（2023年至少应为 6192 万元）",
    ]


def test_yearly_growth_still_checked_each_year(university):
    draft = read_draft_file(UNIVERSITY_SAMPLE)
    rows_by_key(draft)["patent_transfers"].update(baseline=96, targets=[118, 130])
    f = of_rule(run_checks(university, draft), "targets.growth")
    assert len(f) == 1 and "2023年目标 130 件，较上年增幅 10.1%" in f[0].message


def test_either_count_or_amount_meets_the_center_target(park):
    draft = read_draft_file(PARK_SAMPLE)
    rows = rows_by_key(draft)
    rows["center_license_count"]["targets"] = [80, 130]  # 2022: under 100 件 …
    rows["center_license_amount"]["targets"] = [1200, 1600]  # … but over 1000 万元: met
    assert not of_rule(run_checks(park, draft), "targets.total")
    rows["center_license_amount"]["targets"] = [900, 1600]  # neither in 2022
    messages = [f.message for f in of_rule(run_checks(park, draft), "targets.total")]
    assert messages == [
        "指标“运营中心推动企业接受高校院所转让许可专利数量”2022年目标 80 件，低于指南要求的每年100件以上（或金额超过1000万元）"
        "（至少应为 100 件），“运营中心推动企业接受高校院所转让许可专利金额”也未达到每年超过1000万元（或数量100件以上）",
        "指标“运营中心推动企业接受高校院所转让许可专利金额”2022年目标 900 万元，低于指南要求的每年超过1000万元（或数量100件以上）"
        "（应超过 1000 万元），“运营中心推动企业接受高校院所转让许可专利数量”也未达到每年100件以上（或金额超过1000万元）",
    ]


def test_absolute_center_targets(park):
    draft = read_draft_file(PARK_SAMPLE)
    rows_by_key(draft)["center_pushes"]["targets"] = [4999, 6500]
    f = of_rule(run_checks(park, draft), "targets.total")
    assert [x.message for x in f] == ["指标“运营中心精准推送专利技术供需信息”2022年目标 4999 条，低于指南要求的每年5000条以上"
                                      "（至少应为 5000 条）"]


def test_qualitative_targets_use_the_programs_keywords(university):
    draft = read_draft_file(UNIVERSITY_SAMPLE)
    assert not of_rule(run_checks(university, draft), "targets.qualitative")
    draft.part("targets")["text"] = "两年内专利转化数量稳步增长。"
    hints = of_rule(run_checks(university, draft), "targets.qualitative")
    assert len(hints) == 3
    assert "“实施率”“转让率”“实施或者转让率”" in hints[0].message


def test_choice_outside_the_list_is_a_hint_when_typing_is_allowed(park):
    draft = read_draft_file(PARK_SAMPLE)
    draft.data["choices"]["industry_chain"] = "新型电力装备"
    f = of_rule(run_checks(park, draft), "choices.unlisted")
    assert [(x.severity, x.page, x.field) for x in f] == [("hint", "basic", "choices.industry_chain")]
    assert not has_errors(run_checks(park, draft))


# program data --------------------------------------------------------------------------
def _key_city_data():
    return yaml.safe_load(KEY_CITY_YAML.read_text(encoding="utf-8"))


def test_a_program_without_letter_loads_and_defaults_to_no_letter_page():
    data = _key_city_data()
    del data["letter"]
    del data["book"]["binding_order"]
    p = program_from_dict(data)
    assert p.letter is None
    assert p.binding_order == ["cover", "toc", "plan", "attachments"]
    draft = read_draft_file(SAMPLES / "yangzhou_2021_sample.json")
    kinds = [s.kind for s in compose(p, draft).sections]
    assert kinds == ["cover", "toc", "plan", "attachments"]


@pytest.mark.parametrize("change, words", [
    (lambda d: d.pop("letter"), "binding_order 含 letter"),
    (lambda d: d["book"].__setitem__("binding_order", ["cover", "preface", "plan"]), "“preface”未知"),
    (lambda d: d["indicators"][0]["threshold"].__setitem__("alternative", "nothing"), "alternative “nothing”"),
    (lambda d: d["indicators"][0]["threshold"].__setitem__("kind", "percent"), "类型“percent”未知"),
    (lambda d: d.__setitem__("choices", [{"id": "x", "label": "方向"}]), "缺少可选项"),
    (lambda d: d.__setitem__("choices", [{"id": "Chain", "label": "方向", "options": ["a"]}]), "小写字母"),
    (lambda d: d.__setitem__("choices", [{"id": "x", "label": "甲", "options": ["a"]},
                                         {"id": "x", "label": "乙", "options": ["b"]}]), "重复的编号"),
])
def test_malformed_program_data_is_refused_in_chinese(change, words):
    data = _key_city_data()
    change(data)
    with pytest.raises(ProgramError) as info:
        program_from_dict(data)
    assert words in str(info.value)


def test_choices_reach_every_template(park):
    draft = read_draft_file(PARK_SAMPLE)
    ctx = context(park, draft)
    assert ctx["choices"] == {"industry_chain": "车联网"}
    assert ctx["period_years"] == 2 and ctx["short_name"] == "产业知识产权运营中心发展"
    assert render("{{ choices.industry_chain }}产业", ctx) == "车联网产业"
    del draft.data["choices"]
    assert render("{{ choices.industry_chain }}产业", context(park, draft)) == "产业"  # not chosen yet


def test_schema_takes_choices_as_strings():
    data = json.loads(PARK_SAMPLE.read_text(encoding="utf-8"))
    assert not validate_document(data)
    data["choices"] = {"industry_chain": 3}
    assert any("申报选项（choices）" in p for p in validate_document(data))
    data["choices"] = {"Industry Chain": "车联网"}
    assert validate_document(data)


# the samples and their books --------------------------------------------------------------
SAMPLE_CASES = [
    pytest.param(UNIVERSITY_SAMPLE, "university_ip_center_2022", "常州大学知识产权运营中心建设实施方案",
                 {"申报单位": "常州大学", "所在城市": "常州市", "项目名称": "常州大学知识产权运营中心建设实施方案",
                  "所属方向": "高校院所知识产权运营能力提升", "建设期": "2022—2023年（2年）", "联系人": "陈立",
                  "联系电话": "0519-86330215"}, id="university"),
    pytest.param(PARK_SAMPLE, "industry_ip_center_2022", "车联网产业知识产权运营中心建设实施方案",
                 {"申报单位": "无锡国家高新技术产业开发区管理委员会", "所在城市": "无锡市",
                  "项目名称": "车联网产业知识产权运营中心建设实施方案", "所属方向": "产业知识产权运营中心发展",
                  "主攻产业链": "车联网", "建设期": "2022—2023年（2年）", "联系人": "周宁", "联系电话": "0510-85226310"},
                 id="park"),
]


@pytest.mark.parametrize("path, program_id, title, form", SAMPLE_CASES)
def test_sample_is_complete_and_clean(path, program_id, title, form):
    draft = read_draft_file(path)
    program = get_program(draft.program_id)
    assert draft.program_id == program_id and draft.is_sample
    assert run_checks(program, draft) == []  # not even a hint
    assert all_gaps(program, draft) == []
    assert all(part_has_content(draft, n) and draft.text(n.id) for n in program.parts())  # every part filled
    assert {c.id for c in program.conditions} == set(draft.data["eligibility"])


@pytest.mark.parametrize("path, program_id, title, form", SAMPLE_CASES)
def test_sample_exports_a_bound_book(tmp_path, path, program_id, title, form):
    draft = read_draft_file(path)
    program = get_program(program_id)
    out = write_docx(compose(program, draft), tmp_path / "book.docx")
    doc = docx.Document(str(out))
    paras = [p.text for p in doc.paragraphs]
    # Binding order: cover, 目录, 项目申报书, 建设实施方案, 附件材料 — and no 信用承诺书.
    assert "信用承诺书" not in paras
    toc, form_at = paras.index("目　录"), paras.index("项目申报书")
    plan = paras.index(title, form_at)
    first_attachment = paras.index("附件1", plan)
    assert toc < form_at < plan < first_attachment
    # Headings in the program's order, after the plan's title.
    expected = [n.heading for n in program.walk()]
    at = [paras.index(h, plan) for h in expected]
    assert at == sorted(at) and at[-1] < first_attachment
    measures = [paras.index(f"（{'一二三四五六七八'[n]}）{t.title}", plan) for n, t in enumerate(program.tasks)]
    assert measures == sorted(measures)
    # The 项目申报书's fields, then its 绩效目标 table of two plan years.
    tables = [[[c.text for c in r.cells] for r in t.rows] for t in doc.tables]
    assert dict(tuple(r) for r in tables[0]) == form
    assert [r[0] for r in tables[0]] == list(form)
    assert tables[1][0][3:6] == ["基期值（2021年）", "2022年", "2023年"]
    assert len(tables[1]) == 1 + len(draft.part("targets")["indicators"])
    assert "申报单位（盖章）：" + draft.organization in paras and "2022年1月20日" in paras
    # The schedule covers exactly the two plan years, every task in each.
    schedule = next(t for t in tables if t[0][0] == "年度")
    years = [r[0] for r in schedule[1:]]
    assert sorted(set(years)) == ["2022年", "2023年"] and years == sorted(years)
    for year in ("2022年", "2023年"):
        assert {r[1] for r in schedule[1:] if r[0] == year} == {t.title for t in program.tasks}
    # The cover breaks the long title over two lines.
    assert any(p.startswith(title.replace("建设实施方案", "")) and "\n建设实施方案" in p for p in paras[:toc])


def test_samples_round_trip_through_the_draft_format():
    for path in (UNIVERSITY_SAMPLE, PARK_SAMPLE):
        draft = read_draft_file(path)
        again = draft_from_json_text(json.dumps(draft.data, ensure_ascii=False))
        assert again == draft
