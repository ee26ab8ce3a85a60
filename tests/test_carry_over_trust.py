"""从往年草稿新建 that an officer can trust: facts are never changed behind the user.

Property tests build texts from pieces whose fate is known — amounts, percentages,
document numbers, titles, statements about the past, expressions of the plan period —
and check the carried-over text piece by piece: only the plan period moves, and each
move and each past statement is in the review list.
"""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core import completeness, review
from desktop_app.core.carry_over import _text_fields, carry_over, review_text
from desktop_app.core.draft import Draft
from desktop_app.core.exchange import validate_document
from desktop_app.core.program import get_program
from desktop_app.core.year_spans import PAST, PLAN, year_spans

START, END = 2021, 2023  # the plan period of the draft carried over
UNITS = ["万元", "亿元", "件", "家", "个", "项", "人", "名", "%", "倍", "万件", "元", "所", "次"]
DASHES = ["—", "-", "－", "–", "至", "到"]


def _amount():
    # numbers that look like years are the dangerous ones: 2000万元, 2021件
    number = st.one_of(st.integers(1990, 2099), st.integers(0, 99999)).map(str) | \
        st.tuples(st.integers(0, 9999), st.integers(0, 99)).map(lambda t: f"{t[0]}.{t[1]}")
    return st.tuples(number, st.sampled_from(UNITS)).map(lambda t: ("keep", f"{t[0]}{t[1]}", ""))


def _duration():
    return st.integers(1, 99).map(lambda n: ("keep", f"{n}年", ""))


def _document():
    year = st.integers(1995, 2099)
    number = st.tuples(st.sampled_from(["苏政办发", "扬府发", "国知发运字"]), year, st.integers(1, 200)).map(
        lambda t: f"{t[0]}〔{t[1]}〕{t[2]}号")
    title = st.tuples(year, year).map(lambda t: f"《专利转化专项计划实施方案（{t[0]}-{t[1]}年）》")
    standard = year.map(lambda y: f"DB32/T 4308-{y}")
    return st.one_of(number, title, standard).map(lambda s: ("keep", s, ""))


def _past():
    before = st.integers(1995, START - 1)
    forms = st.one_of(
        before.map(lambda y: f"截至{y}年底"),
        before.map(lambda y: f"{y}年地区生产总值"),
        before.map(lambda y: f"{y}年度转化实施数量"),
        st.tuples(before, before).map(lambda t: f"由{min(t)}年的22%提高到{max(t)}年的35%"),
        st.tuples(before, st.sampled_from(DASHES)).map(lambda t: f"{t[0] - 2}{t[1]}{t[0]}年"),
        st.integers(START, END).map(lambda y: f"截至{y}年6月底"),  # a plan year said as a fact
        st.integers(START, END).map(lambda y: f"{y}年以来"),
        st.integers(START, END).map(lambda y: f"{y}年至今"),
        st.integers(START, END).map(lambda y: f"{y}年1-5月"),
    )
    return forms.map(lambda s: ("past", s, ""))


def _plan():
    year = st.integers(START, END)
    forms = st.one_of(
        st.sampled_from(DASHES).map(lambda d: (f"{START}{d}{END}年", f"{START + 1}{d}{END + 1}年")),
        year.map(lambda y: (f"到{y}年", f"到{y + 1}年")),
        year.map(lambda y: (f"{y}年度", f"{y + 1}年度")),
        year.map(lambda y: (f"{y}年重点完善政策体系", f"{y + 1}年重点完善政策体系")),
        year.map(lambda y: (f"{y}年6月底前印发", f"{y + 1}年6月底前印发")),
    )
    return forms.map(lambda t: ("plan", t[0], t[1]))


PIECES = st.lists(st.one_of(_amount(), _duration(), _document(), _past(), _plan()), min_size=1, max_size=12)
SEPARATORS = st.sampled_from(["，", "。", "；", "、", "\n"])


def _draft(text: str) -> Draft:
    return Draft({"format": "patent-conversion-draft", "format_version": 1, "id": "last", "program_id": "key_city_2021",
                  "applicant": {"organization": "扬州市人民政府", "city": "扬州市"}, "year": START,
                  "period": {"start": START, "end": END}, "parts": {"overview": {"text": text}},
                  "letter": {"date": "2021-03-01"}})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PIECES, st.lists(SEPARATORS, min_size=12, max_size=12))
def test_only_the_plan_period_moves(pieces, seps):
    text = "".join(piece[1] + sep for piece, sep in zip(pieces, seps))
    expected = "".join((piece[2] if piece[0] == "plan" else piece[1]) + sep for piece, sep in zip(pieces, seps))
    new = carry_over(_draft(text), START + 1)
    # every amount, every past year, every title and document number unchanged; every plan year moved by one
    assert new.text("overview") == expected
    items = review.items(new)
    changed = [i for i in items if i["kind"] == review.CHANGED and i["path"] == "parts.overview.text"]
    stale = [i for i in items if i["kind"] == review.STALE]
    # every move is recorded (before → after, in its sentence), every past statement flagged
    for kind, before, after in pieces:
        if kind == "plan":
            assert any(before in i["before"] and after in i["after"] for i in changed), (before, changed)
        if kind == "past":
            assert any(before in i["after"] for i in stale), (before, stale)
    # and nothing is recorded that did not happen
    for i in changed:
        assert i["before"] in text and i["after"] in new.text("overview") and i["before"] != i["after"]
    if not any(p[0] == "plan" for p in pieces):
        assert not changed


@given(st.integers(1990, 2099), st.sampled_from(UNITS))
def test_a_year_like_amount_is_never_a_year(number, unit):
    text = f"设立{number}{unit}规模的资金池"
    assert year_spans(text, (START, END)) == []
    assert carry_over(_draft(text), START + 1).text("overview") == text


def test_the_reported_sentences():
    """The four sentences of the issue: none is re-dated, each past one flagged."""
    text = ("2000万元规模的质押融资风险补偿资金池运行良好。用于转化运用的比例由2018年的22%提高到2020年的35%。"
            "2020年地区生产总值6048.1亿元。截至2020年底，全市有效发明专利1.2万件。到2023年，转化实施专利2100件。")
    new = carry_over(_draft(text), 2022)
    assert new.text("overview") == text.replace("到2023年", "到2024年")
    stale = {tuple(i["spans"]) for i in review.items(new) if i["kind"] == review.STALE}
    assert stale == {("2018年", "2020年"), ("2020年",)} and \
        sum(i["kind"] == review.STALE for i in review.items(new)) == 3
    spans = year_spans("截至2020年底，到2023年", (START, END))
    assert [(s.text, s.kind) for s in spans] == [("2020年", PAST), ("2023年", PLAN)]


def templates_with_2022(tmp_path):
    """A templates folder holding key_city_2021 and a 2022 program of the same kind
    without 保障措施 and without the last task: (folder, id of the task left out)."""
    import shutil

    import yaml

    from desktop_app import paths

    root = tmp_path / "templates"
    shutil.copytree(paths.templates_dir() / "key_city_2021", root / "key_city_2021")
    data = yaml.safe_load((paths.templates_dir() / "key_city_2021" / "program.yaml").read_text(encoding="utf-8"))
    data["id"], data["year"] = "key_city_2022", 2022
    data["name"] = data["name"].replace("2021", "2022")

    def drop(nodes):
        return [dict(n, children=drop(n.get("children", []))) if n.get("children") else n
                for n in nodes if n.get("id") != "safeguards"]

    data["outline"] = drop(data["outline"])
    gone_task = data["tasks"][-1]["id"]
    data["tasks"] = data["tasks"][:-1]
    (root / "key_city_2022").mkdir()
    (root / "key_city_2022" / "program.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return root, gone_task


@pytest.fixture
def carried(sample_draft):
    return carry_over(sample_draft, 2022)


def test_sample_carried_to_2022(sample_draft, carried):
    program = get_program("key_city_2021")
    c = review.counts(carried)
    assert (c[review.CHANGED], c[review.STALE]) == (16, 17)
    old = sample_draft.text("foundation")
    new = carried.text("foundation")
    assert new == old  # only past statements there: nothing moves
    assert "2000万元规模" in new and "由2018年的22%提高到2020年的35%" in new
    assert "2020年，面对新冠肺炎疫情冲击，全市实现地区生产总值6048.1亿元" in carried.text("overview")
    assert carried.text("problems") == sample_draft.text("problems")
    assert "2000万元扩大到1亿元" in carried.part("problems")["items"][3]["countermeasure"]
    # every part with an item is ◐ 待核对, never ● 已完成
    for node in program.parts():
        if review.open_items(carried, node.id):
            assert completeness.state_of(program, carried, node.id) == completeness.TO_REVIEW
    assert completeness.state_of(program, carried, "safeguards") == completeness.COMPLETE
    # 申报条件自查 back to unanswered, last year's answer kept beside
    for entry in carried.data["eligibility"].values():
        assert entry["met"] is None and entry["evidence"] == ""
        assert entry["previous"]["met"] is True and entry["previous"]["evidence"]
    assert completeness.state_of(program, carried, "eligibility") == completeness.EMPTY
    assert validate_document(carried.data) == []
    text = review_text(carried, program)
    assert text.startswith("自动改动 16 处，待更新 17 处") and "【2.专利转化基础】" in text


def test_items_are_handled_one_by_one(carried):
    program = get_program("key_city_2021")
    mine = review.open_items(carried, "approach")
    assert len(mine) == 3 and completeness.state_of(program, carried, "approach") == completeness.TO_REVIEW
    # 还原 puts last year's sentence back, and only that one
    first = mine[0]
    assert review.revert(carried, first["id"])
    assert first["before"] in carried.text("approach") and first["after"] not in carried.text("approach")
    assert "2023年重点扩大对接规模" in carried.text("approach")  # the next sentence still moved
    # 接受 keeps the sentence
    review.accept(carried, mine[1]["id"])
    # rewriting a sentence handles its item
    carried.set_text("approach", carried.text("approach").replace(mine[2]["after"], "2024年全面总结。"))
    assert review.open_items(carried, "approach") == []
    assert completeness.state_of(program, carried, "approach") == completeness.COMPLETE
    # structured changes revert too
    period = next(i for i in review.items(carried) if i["path"] == "period")
    assert review.revert(carried, period["id"]) and carried.data["period"] == {"start": 2021, "end": 2023}
    rows = next(i for i in review.items(carried) if i["path"] == "parts.schedule.rows.year")
    assert review.revert(carried, rows["id"])
    assert carried.part("schedule")["rows"][0]["year"] == 2021
    # a stale statement cannot be reverted: there is nothing to revert to
    stale = review.open_items(carried, "overview")[0]
    assert not review.revert(carried, stale["id"])
    # accept_all of one part: the count the UI confirms, and nothing of other parts
    before = len(review.open_items(carried))
    assert review.accept_all(carried, "overview") == 5
    assert len(review.open_items(carried)) == before - 5


def test_revert_keeps_a_stale_statement_of_the_same_sentence_open():
    text = "到2023年，比2020年的326家翻一番。"
    new = carry_over(_draft(text), 2022)
    changed = next(i for i in review.items(new) if i["kind"] == review.CHANGED and i["path"] != "period"
                   and i["path"] != "letter.date")
    assert review.revert(new, changed["id"])
    assert new.text("overview") == text
    assert [i["kind"] for i in review.open_items(new, "overview")] == [review.STALE]


def test_old_plain_path_reviews_still_read(sample_draft):
    sample_draft.data["review"] = ["parts.overview.text"]
    program = get_program("key_city_2021")
    assert completeness.state_of(program, sample_draft, "overview") == completeness.TO_REVIEW
    (item,) = review.items(sample_draft)
    review.accept(sample_draft, item["id"])
    assert review.open_items(sample_draft) == []
    assert validate_document(sample_draft.data) == []


def test_program_year_mismatch_and_move(tmp_path, carried):
    """A 2022 draft on the 2021 guide is flagged; a newer program of the same kind is offered
    and the draft moved onto it, parts mapped by id, nothing dropped."""
    from desktop_app.core.program import available_programs, load_program
    from desktop_app.core.program_move import move_to_program, newer_program
    from desktop_app.core.rules import run_checks

    old = get_program("key_city_2021")
    findings = [f for f in run_checks(old, carried) if f.rule == "program.year"]
    assert len(findings) == 1 and "2021年度" in findings[0].message and findings[0].page == "basic"
    root, gone_task = templates_with_2022(tmp_path)
    programs = available_programs(root)
    new_program = newer_program(load_program(root / "key_city_2021"), programs)
    assert new_program is not None and new_program.id == "key_city_2022"
    moved, unplaced = move_to_program(carried, old, new_program)
    assert moved.program_id == "key_city_2022"
    assert moved.data["parts"]["safeguards"] == carried.data["parts"]["safeguards"]  # kept, never dropped
    assert any("保障措施" in u for u in unplaced)
    had_gone_task = any(m.get("task") == gone_task for m in carried.part("measures").get("tasks", []))
    assert had_gone_task == any("建设举措" in u for u in unplaced)
    items = [i for i in review.items(moved) if i["kind"] == review.UNPLACED]
    assert len(items) == len(unplaced) and all(review.is_open(i, moved) for i in items)
    assert not [f for f in run_checks(new_program, moved) if f.rule == "program.year"]
    assert validate_document(moved.data) == []


def test_cli_carry_over(tmp_path, capsys):
    from desktop_app import paths
    from desktop_app.cli import main
    from desktop_app.core.exchange import read_draft_file

    out = tmp_path / "new.json"
    src = paths.resource("samples", "yangzhou_2021_sample.json")
    assert main(["carry-over", "--json", str(src), "--year", "2022", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "自动改动 16 处，待更新 17 处" in printed
    assert "由2018年的22%提高到2020年的35%" in printed and "→" in printed
    new = read_draft_file(out)
    assert new.year == 2022 and len(new.data["review"]) == 33
    assert json.loads(out.read_text(encoding="utf-8"))["period"] == {"start": 2022, "end": 2024}


@pytest.mark.parametrize("name", ["changzhou_university_2022_sample", "wuxi_park_2022_sample"])
def test_the_2022_samples_carry_over(name):
    """Programs without a letter: the 申报日期 item sits on 基本信息, which stays ◐ 待核对."""
    from desktop_app import paths
    from desktop_app.core.exchange import read_draft_file
    from desktop_app.core.rules import run_checks

    last = read_draft_file(paths.resource("samples", f"{name}.json"))
    new = carry_over(last, 2023)
    program = get_program(new.program_id)
    assert program.letter is None
    assert new.plan_years == [2023, 2024] and validate_document(new.data) == []
    assert completeness.state_of(program, new, "basic") == completeness.TO_REVIEW
    date = next(f for f in run_checks(program, new) if f.rule == "debris.review" and f.field == "date")
    assert date.page == "basic"
    for _path, container, key in _text_fields(last.data):
        old = container[key]
        if isinstance(old, str):
            for span in year_spans(old, (last.plan_years[0], last.plan_years[-1])):
                if span.kind == PAST:  # each past statement kept word for word somewhere in the new draft
                    assert any(span.text in i["spans"] for i in review.items(new) if i["kind"] == review.STALE)
