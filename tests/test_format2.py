"""Draft format 2 and the checks on real plans (seeds 002–004: 扬州, 鄂尔多斯, 天津, put into
the format by tests/seed_drafts.py), the field map's walks, and the upgrade of format 1."""
from __future__ import annotations

import copy
import json
import sqlite3

import pytest

from desktop_app.core import fields, rules
from desktop_app.core.draft import Draft, new_draft
from desktop_app.core.draft_format import upgrade
from desktop_app.core.exchange import draft_to_json_text, read_draft_file, validate_document
from desktop_app.core.history import diff_drafts
from desktop_app.core.program import get_program
from desktop_app.core.rules import run_checks
from desktop_app.core.store import DraftStore
from desktop_app.paths import resource

from seed_drafts import plan_draft

PROGRAM = get_program("key_city_2021")
SEEDS = ("002", "003", "004")


def of(findings, rule_id):
    return [f for f in findings if f.rule == rule_id]


# schedule rows follow the measure they name ---------------------------------------------
@pytest.mark.parametrize("number, count", [("002", 16), ("003", 10), ("004", 7)])
def test_real_plans_schedules_link_each_row_to_the_measure_it_names(number, count):
    old = plan_draft(number, upgraded=False)
    measures = old.data["parts"]["measures"]["tasks"]
    rows = old.data["parts"]["schedule"]["rows"]
    assert len(measures) == count
    # Format 1 could only say the guide task: no row's 主要任务 is one, so the old check
    # (row task == measure's guide task) reported every measure as unscheduled.
    assert not {r["task"] for r in rows} & {m["task"] for m in measures}
    draft = plan_draft(number)
    by_id = {m["id"]: m for m in draft.data["parts"]["measures"]["tasks"]}
    assert len(by_id) == count
    for row in draft.data["parts"]["schedule"]["rows"]:
        if row["task"] in {m["title"] for m in by_id.values()}:
            assert by_id[row["measure"]]["title"] == row["task"]
    findings = run_checks(PROGRAM, draft)
    assert of(findings, "schedule.tasks") == []
    assert of(findings, "schedule.years") == []
    assert validate_document(draft.data) == []


def test_an_unscheduled_measure_is_named_by_its_title():
    draft = plan_draft("004")
    rows = draft.data["parts"]["schedule"]["rows"]
    rows[:] = [r for r in rows if r["measure"] != "m3"]
    found = of(run_checks(PROGRAM, draft), "schedule.tasks")
    assert len(found) == 1
    assert "建设4个重点产业知识产权运营中心" in found[0].message and "五、进度安排" in found[0].message


def test_a_row_over_a_span_of_years_schedules_each_year():
    draft = plan_draft("003")
    rows = draft.data["parts"]["schedule"]["rows"]
    assert {"year": 2021, "year_end": 2023} == {k: rows[-2][k] for k in ("year", "year_end")}  # 推进阶段
    # Only the span rows left, each measure scheduled over the whole period in one row.
    rows[:] = [{"year": 2021, "year_end": 2023, "measure": m["id"], "task": m["title"], "progress": "推进",
                "lead": m["lead"], "partners": []} for m in draft.data["parts"]["measures"]["tasks"]]
    findings = run_checks(PROGRAM, draft)
    assert of(findings, "schedule.years") == [] and of(findings, "schedule.tasks") == []
    rows[0]["year_end"] = 2024
    out = of(run_checks(PROGRAM, draft), "schedule.out_of_period")
    assert len(out) == 1 and "截止年度 2024 年" in out[0].message


# guide tasks without a measure ------------------------------------------------------------
@pytest.mark.parametrize("number, missing", [
    ("002", {"建设国际开放创新协作网络"}),
    ("003", {"加大专利转化人才培养引进力度", "建设国际开放创新协作网络"}),
    ("004", {"加强顶层设计", "加大专利转化人才培养引进力度", "组织专场专利对接活动", "建设国际开放创新协作网络"}),
])
def test_real_plans_warn_of_each_guide_task_without_a_measure(number, missing):
    found = of(run_checks(PROGRAM, plan_draft(number)), "measures.tasks")
    assert {f.message.split("”")[0].split("“")[1] for f in found} == missing
    assert all(f.severity == "warning" and f.page == "measures" and "三、建设举措" in f.message for f in found)


# growth rates and totals in their own terms ------------------------------------------------
def test_growth_rates_against_the_guide_strict_and_not():
    ordos = run_checks(PROGRAM, plan_draft("003"))
    growth = of(ordos, "targets.growth")
    # 质押融资金额 / 数量 年均增幅 20% against 增幅超过20%: 20 is not more than 20 — each year
    assert {f.field for f in growth} == {"indicators.1", "indicators.2"} and len(growth) == 6
    assert all("增幅应超过 20%" in f.message for f in growth)
    # 中小微企业 年均增幅20%以上 against 年度增幅20%以上 (>=): met
    assert not [f for f in growth if f.field == "indicators.0"]
    tianjin = plan_draft("004")
    assert {f.field for f in of(run_checks(PROGRAM, tianjin), "targets.growth")} == {"indicators.0"}
    tianjin.data["parts"]["targets"]["indicators"][0]["targets"] = [20.5, 21, 20.1]
    assert of(run_checks(PROGRAM, tianjin), "targets.growth") == []


def test_end_of_period_totals_against_yearly_requirements():
    draft = plan_draft("002")
    rows = draft.data["parts"]["targets"]["indicators"]
    # 超过250家 each year: over three years more than 750 in all
    rows.append({"key": "sme_participants", "name": "参与专利转移转化中小企业数量", "kind": "total", "unit": "家",
                 "baseline": 200, "targets": [None, None, 750]})
    # 年度增幅20%以上 from 1000件: at least 1200 + 1440 + 1728 = 4368 in all
    rows.append({"key": "conversion_count", "name": "转化实施专利数量", "kind": "total", "unit": "件",
                 "baseline": 1000, "targets": [None, None, 4367]})
    found = {f.field: f.message for f in run_checks(PROGRAM, draft) if f.rule.startswith("targets.")}
    assert "至少应为 751 家" in found["indicators.4"]
    assert "至少应为 4368 件" in found["indicators.5"]
    rows[-2]["targets"][-1], rows[-1]["targets"][-1] = 751, 4368
    assert not [f for f in run_checks(PROGRAM, draft) if f.rule in ("targets.growth", "targets.total")]


def test_a_unit_that_cannot_be_the_guide_indicator_is_flagged():
    draft = plan_draft("004")
    row = draft.data["parts"]["targets"]["indicators"][0]  # 专利质押融资金额, guide in 亿元
    row["kind"] = "yearly"  # 20 % typed as if it were the amount
    findings = run_checks(PROGRAM, draft)
    unit = of(findings, "targets.unit")
    assert len(unit) == 1 and "“%”" in unit[0].message and "亿元" in unit[0].message and "增幅" in unit[0].message
    assert not [f for f in of(findings, "targets.growth") if f.field == "indicators.0"]  # not judged as 亿元
    row["kind"], row["unit"] = "growth", "亿元"
    assert "单位应为“%”" in of(run_checks(PROGRAM, draft), "targets.unit")[0].message


def test_an_empty_figure_with_a_reason_is_not_warned():
    draft = plan_draft("002")
    findings = run_checks(PROGRAM, draft)
    assert not [f for f in findings if f.field.startswith("indicators.") and f.rule.startswith("completeness")]
    draft.data["parts"]["targets"]["indicators"][0]["baseline"] = None
    gap = [f for f in run_checks(PROGRAM, draft) if f.field == "indicators.0"]
    assert len(gap) == 1 and "基期值未填写" in gap[0].message and "未统计" in gap[0].message


def test_a_project_box_without_a_title_is_warned():
    draft = plan_draft("004")
    draft.data["parts"]["measures"]["tasks"][0]["projects"][0]["title"] = ""
    found = [f for f in run_checks(PROGRAM, draft) if f.field == "tasks.0.projects.0.title"]
    assert len(found) == 1 and found[0].severity == "warning" and found[0].rule == "measures.project_title"
    assert "第1个专栏（7 个重点项目）没有标题" in found[0].message and "天津市知识产权生态园" in found[0].message
    assert "三、建设举措" in found[0].message


# format 1 upgrades on import and in the database -------------------------------------------
def _as_format_1(data: dict) -> dict:
    old = copy.deepcopy(data)
    old["format_version"] = 1
    for part in old["parts"].values():
        for m in part.get("tasks", []):
            m.pop("id", None)
        for r in part.get("rows", []):
            r.pop("measure", None)
            r.pop("year_end", None)
        for i in part.get("indicators", []):
            i.pop("kind", None)
    return old


@pytest.mark.parametrize("name", ["yangzhou_2021_sample", "changzhou_university_2022_sample",
                                  "wuxi_park_2022_sample"])
def test_a_format_1_file_is_read_as_format_2(tmp_path, name):
    sample = read_draft_file(resource("samples", f"{name}.json"))
    assert sample.data["format_version"] == 2
    path = tmp_path / "old.json"
    path.write_text(json.dumps(_as_format_1(sample.data), ensure_ascii=False), encoding="utf-8")
    assert read_draft_file(path) == sample  # same ids, links and kinds as the upgraded sample


def test_a_format_1_database_is_backed_up_and_upgraded(tmp_path):
    import sqlite_utils

    from desktop_app.core import store as store_module

    db_path = tmp_path / "drafts.db"
    sample = read_draft_file(resource("samples", "yangzhou_2021_sample.json"))
    old = _as_format_1(sample.data)
    conn = sqlite3.connect(db_path)
    db = sqlite_utils.Database(conn)
    for number, migrate in enumerate(store_module.MIGRATIONS[:2], 1):
        migrate(db)
        conn.execute(f"PRAGMA user_version = {number}")
    payload = json.dumps(old, ensure_ascii=False)
    conn.execute("INSERT INTO drafts (id, program_id, city, year, title, is_sample, data, created, updated) "
                 "VALUES (?, ?, ?, ?, ?, 1, ?, '2021-01-01', '2021-01-01')",
                 [old["id"], old["program_id"], "扬州市", 2021, "t", payload])
    conn.execute("INSERT INTO revisions (draft_id, saved_at, reason, parts, data) VALUES (?, '2021-01-01', 'edit', '[]', ?)",
                 [old["id"], payload])
    conn.commit()
    conn.close()
    store = DraftStore(db_path)
    try:
        assert store.backups()  # the copy taken before the migration
        assert store.load(old["id"]) == sample
        rev = store.revisions(old["id"])[0]
        assert store.revision_draft(rev.id).data["format_version"] == 2
    finally:
        store.close()
    raw = sqlite3.connect(db_path).execute("SELECT data FROM drafts").fetchone()[0]
    assert json.loads(raw)["parts"]["schedule"]["rows"][0]["measure"] == "m1"


def test_upgrade_links_by_title_else_first_measure_of_the_task():
    data = {"format_version": 1, "parts": {
        "measures": {"tasks": [{"task": "finance", "title": "设立风险补偿资金"},
                               {"task": "finance", "title": "开展质押融资入园惠企"}]},
        "schedule": {"rows": [{"year": 2021, "task": "开展质押融资入园惠企"},
                              {"year": 2021, "task": "finance", "progress": "设立风险补偿资金池"},
                              {"year": 2021, "task": "finance", "progress": "召开银企对接会"},
                              {"year": 2021, "task": "其他工作"}]}}}
    upgrade(data)
    assert [r["measure"] for r in data["parts"]["schedule"]["rows"]] == ["m2", "m1", "m1", None]
    assert data["format_version"] == 2


# the field map: walks, history, getters ----------------------------------------------------
def test_history_diff_shows_departments_partners_applicant_and_figures():
    before = read_draft_file(resource("samples", "yangzhou_2021_sample.json"))
    after = before.copy()
    m = after.data["parts"]["measures"]["tasks"][0]
    m["lead"] = "市科技局"
    m["partners"] = [*m["partners"], "市商务局"]
    after.data["applicant"]["contact"] = "王五"
    after.data["parts"]["targets"]["indicators"][0]["baseline"] = "未统计"
    after.data["parts"]["schedule"]["rows"][0]["measure"] = "m2"
    paths = {d.path for d in diff_drafts(before, after)}
    assert {"parts.measures.tasks.0.lead", f"parts.measures.tasks.0.partners.{len(m['partners']) - 1}",
            "applicant.contact", "parts.targets.indicators.0.baseline",
            "parts.schedule.rows.0.measure"} <= paths
    assert fields.label(PROGRAM, "parts.measures.tasks.0.lead", after.data) == "“三、建设举措”“加强顶层设计”的牵头部门"
    assert fields.label(PROGRAM, "parts.measures.tasks.0.lead") == "“三、建设举措”第1项举措的牵头部门"


def test_checking_a_draft_never_changes_it():
    draft = Draft({"format": "patent-conversion-draft", "format_version": 2, "id": "x", "program_id": PROGRAM.id,
                   "year": 2021, "period": {"start": 2021, "end": 2023}, "parts": {}})
    before = copy.deepcopy(draft.data)
    run_checks(PROGRAM, draft)
    from desktop_app.core import completeness

    completeness.all_gaps(PROGRAM, draft)
    for node in PROGRAM.parts():
        completeness.state_of(PROGRAM, draft, node.id)
    assert draft.applicant == {} and draft.choices == {} and draft.attachments == [] and draft.part("targets") == {}
    assert draft.data == before


def test_every_walk_comes_from_the_field_map():
    draft = plan_draft("004")
    from desktop_app.core.carry_over import _text_fields

    typed = {(p, f) for p, f, _l, _t in rules.text_fields(PROGRAM, draft)}
    carried = {fields.page_field(path, attachments_page="export") for path, _c, _k in _text_fields(draft.data)}
    # every carried text is also checked and found; departments are checked, never carried
    assert carried and carried <= typed
    assert ("measures", "tasks.0.lead") in typed and ("measures", "tasks.0.lead") not in carried
    assert ("measures", "tasks.0.projects.0.items.0") in typed
    every = fields.values(draft.data, PROGRAM)
    assert "parts.targets.indicators.0.kind" in every and every["parts.targets.indicators.0.kind"] == "增幅（%）"
    assert "parts.schedule.rows.0.measure" in every


def test_new_drafts_are_format_2_and_valid():
    draft = new_draft(PROGRAM, organization="镇江市人民政府", city="镇江市")
    assert draft.data["format_version"] == 2
    assert [m["id"] for m in draft.data["parts"]["measures"]["tasks"]] == [f"m{n}" for n in range(1, 8)]
    assert {i["kind"] for i in draft.data["parts"]["targets"]["indicators"]} == {"yearly"}
    assert validate_document(json.loads(draft_to_json_text(draft))) == []


def test_a_word_plan_imports_as_format_2_with_links_and_spans(tmp_path):
    """导入 Word 方案 (wordin) builds format 2: measures with ids, a schedule row naming a
    measure linked to it, a 2021—2022年 cell read as a span."""
    import docx

    from desktop_app.app.word_import import open_word_plan

    d = docx.Document()
    d.add_paragraph("三、建设举措")
    d.add_paragraph("（一）加强顶层设计")
    d.add_paragraph("编制实施方案。")
    d.add_paragraph("五、进度安排")
    s = d.add_table(rows=3, cols=4)
    for r, row in enumerate([["年度", "主要任务", "进度安排", "牵头单位"],
                             ["2021—2022年", "加强顶层设计", "印发实施方案", "市市场监管局"],
                             ["2023年", "自拟的任务", "完成摸底", "市科技局"]]):
        for c, text in enumerate(row):
            s.cell(r, c).text = text
    path = tmp_path / "plan.docx"
    d.save(path)
    draft, _report = open_word_plan(path, "key_city_2021").build()
    assert draft.data["format_version"] == 2 and validate_document(draft.data) == []
    measures = draft.part("measures")["tasks"]
    assert all(m.get("id") for m in measures)
    rows = draft.part("schedule")["rows"]
    first = next(m for m in measures if m["task"] == "top_design")
    assert (rows[0]["year"], rows[0]["year_end"], rows[0]["measure"]) == (2021, 2022, first["id"])
    assert rows[1]["measure"] is None and "year_end" not in rows[1]


def test_each_part_kind_is_declared_once_and_has_a_page_and_a_printer():
    """A part kind is its module in core/part_kinds (fields, new content, gaps); the wizard's
    page and the book's printer are looked up by the same name — nothing else branches on it."""
    from desktop_app.book.compose import PART_BLOCKS
    from desktop_app.core.part_kinds import KINDS
    from desktop_app.core.program import PART_KINDS

    assert set(PART_KINDS) - {"group"} == set(KINDS) == set(PART_BLOCKS)
    # every key any kind stores is walked, whatever kind its part is
    assert set(fields.PART_FIELDS) == {d.key for k in KINDS.values() for d in k.fields}
    for spec in KINDS.values():
        part = spec.new(PROGRAM)
        assert set(part) <= set(fields.PART_FIELDS)


@pytest.mark.gui
def test_each_part_kind_has_a_wizard_page():
    from desktop_app.core.part_kinds import KINDS
    from desktop_app.ui.pages import PAGE_FOR_KIND

    assert set(PAGE_FOR_KIND) == set(KINDS)


def test_carry_over_moves_a_span_with_its_row_and_keeps_the_links():
    from desktop_app.core import review
    from desktop_app.core.carry_over import carry_over

    last = plan_draft("003")
    new = carry_over(last, 2022)
    rows, old_rows = new.data["parts"]["schedule"]["rows"], last.data["parts"]["schedule"]["rows"]
    assert [(r["year"], r.get("year_end")) for r in rows] == \
        [(r["year"] + 1, r["year_end"] + 1 if r.get("year_end") else None) for r in old_rows]
    assert [r["measure"] for r in rows] == [r["measure"] for r in old_rows]
    item = next(i for i in new.data["review"] if i["path"] == "parts.schedule.rows.year_end")
    assert review.revert(new, item["id"])
    assert [r.get("year_end") for r in rows] == [r.get("year_end") for r in old_rows]


def test_the_timeline_draws_a_span_across_its_years():
    from desktop_app.core.timeline import build_timeline

    draft = plan_draft("003")
    rows = draft.data["parts"]["schedule"]["rows"]
    n = next(i for i, r in enumerate(rows) if r.get("year_end") == 2023 and r["year"] == 2021)  # 推进阶段
    bar = next(b for b in build_timeline(PROGRAM, draft).bars if b.row == n)
    assert (bar.start, bar.end) == (0, 1) and "2021—2023年" in bar.tooltip


def test_the_book_prints_a_span_and_a_reason_as_written():
    from desktop_app.book.compose import indicator_table, schedule_table

    draft = plan_draft("003")
    cells = [row[0] for row in schedule_table(PROGRAM, draft).rows]
    assert "2021—2023年" in cells and "2021年" in cells
    yangzhou = plan_draft("002")
    table = indicator_table(PROGRAM, yangzhou)
    assert any("未统计" in row and "不适用" in row for row in table.rows)
