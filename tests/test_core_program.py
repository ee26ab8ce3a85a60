"""The program (申报指南 as data) and the small core helpers: numbering, figures, cleaning, dates, templates."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import jinja2
import pytest
import yaml

from desktop_app.core.cleaning import clean_paragraphs, paragraphs, xml_safe
from desktop_app.core.dates import date_cn, parse_iso
from desktop_app.core.draft import FORMAT_NAME, FORMAT_VERSION, new_draft
from desktop_app.core.exchange import validate_document
from desktop_app.core.figures import FigureError, format_number, parse_number
from desktop_app.core.numbering import chinese_number, number_rank, numbered, strip_number
from desktop_app.core.program import PART_KINDS, ProgramError, load_program
from desktop_app.core.textrender import TemplateTextError, render, undeclared_fields

PROGRAM_YAML = Path(__file__).resolve().parent.parent / "templates" / "key_city_2021" / "program.yaml"

OUTLINE = ["一、建设基础", "1.概述", "2.专利转化基础", "3.面临问题及对策", "二、建设思路和目标",
           "1.总体思路", "2.建设目标", "三、建设举措", "四、保障措施", "五、进度安排"]

# 四、项目任务 of the 2021 guide (shared/seeds/000), in order.
GUIDE_TASKS = ["加强顶层设计", "实施“专利引入赋能行动”", "构建知识产权运营服务网络", "加大专利转化人才培养引进力度",
               "组织专场专利对接活动", "大力发展知识产权金融", "建设国际开放创新协作网络"]


# the program --------------------------------------------------------------------------
def test_outline_headings_in_exact_order(program):
    assert [n.heading for n in program.walk()] == OUTLINE
    assert [n.heading for n in program.outline] == ["一、建设基础", "二、建设思路和目标", "三、建设举措", "四、保障措施", "五、进度安排"]
    assert program.node("overview").title == "概述"
    assert program.node("measures").title == "建设举措"


def test_outline_kinds(program):
    kinds = {n.id: n.kind for n in program.walk()}
    assert kinds == {
        "basis": "group", "overview": "prose", "foundation": "prose", "problems": "problems",
        "direction": "group", "approach": "prose", "targets": "targets", "measures": "measures",
        "safeguards": "prose", "schedule": "schedule",
    }
    assert [n.id for n in program.parts()] == [
        "overview", "foundation", "problems", "approach", "targets", "measures", "safeguards", "schedule"]
    assert all(n.required for n in program.parts())
    assert all(n.prompt for n in program.parts())
    assert program.node("overview").length == (600, 2500)
    assert program.part_of_kind("schedule").id == "schedule"


def test_tasks_are_the_guides_seven(program):
    assert [t.title for t in program.tasks] == GUIDE_TASKS
    assert [t.id for t in program.tasks] == [
        "top_design", "patent_empowerment", "service_network", "talent", "matchmaking", "finance", "international"]
    assert program.task("finance").guide.startswith("积极开展知识产权质押融资“入园惠企”行动")
    # Folded YAML lines are joined without the spaces a fold would insert between Chinese characters.
    assert " " not in program.task("top_design").guide
    assert "形成推动专利转化工作合力。" in program.task("top_design").guide
    assert program.task("nope") is None


def test_three_conditions(program):
    assert [c.id for c in program.conditions] == ["not_national_city", "demo_city", "top8_conversion"]
    assert program.conditions[1].text == "被评为国家知识产权示范城市"
    assert render(program.conditions[2].text, {"year": 2021}) == "2020年度专利转化数量位居全省前8位"


def test_indicators_with_thresholds(program):
    assert len(program.indicators) == 7
    by_key = {i.key: i for i in program.indicators}
    growth = by_key["sme_licensees"]
    assert growth.name == "接受高校院所、国有企业专利转让许可的中小企业数量"
    assert growth.unit == "家"
    assert (growth.threshold.kind, growth.threshold.op, growth.threshold.value) == ("growth", ">=", 20)
    assert growth.threshold.text == "年度增幅20%以上"
    total = by_key["sme_participants"]
    assert (total.threshold.kind, total.threshold.op, total.threshold.value) == ("total", ">", 250)
    assert total.threshold.text == "超过250家"
    assert by_key["pledge_amount"].unit == "亿元"
    assert by_key["pledge_amount"].threshold.text == "增幅超过20%"
    assert by_key["operation_teams"].threshold.kind == "none"
    assert by_key["operation_teams"].threshold.value is None
    assert program.indicator("conversion_amount").unit == "万元"
    assert program.indicator(None) is None


def test_program_identity_and_letter(program):
    assert program.id == "key_city_2021"
    assert program.year == 2021
    assert program.period_years == 3
    assert program.letter.title == "信用承诺书"
    assert len(program.letter.paragraphs) == 4
    assert program.letter.seal == "（公章）"
    assert len(program.qualitative_targets) == 2


def test_new_draft_prefills_the_program(program):
    draft = new_draft(program, organization="镇江市人民政府", city="镇江市")
    assert draft.data["format"] == FORMAT_NAME
    assert draft.data["format_version"] == FORMAT_VERSION
    assert draft.program_id == "key_city_2021"
    assert draft.data["period"] == {"start": 2021, "end": 2023}
    assert draft.plan_years == [2021, 2022, 2023]
    assert draft.letter_date == "2021-03-01"
    assert draft.is_sample is False

    indicators = draft.part("targets")["indicators"]
    assert [i["key"] for i in indicators] == [i.key for i in program.indicators]
    assert [i["name"] for i in indicators] == [i.name for i in program.indicators]
    assert all(i["baseline"] is None and i["targets"] == [None, None, None] for i in indicators)

    measures = draft.part("measures")["tasks"]
    assert [m["task"] for m in measures] == [t.id for t in program.tasks]
    assert [m["title"] for m in measures] == GUIDE_TASKS
    assert all(m["text"] == "" and m["partners"] == [] and m["projects"] == [] for m in measures)

    assert draft.part("problems")["items"] == []
    assert draft.part("schedule")["rows"] == []
    assert set(draft.data["parts"]) == {n.id for n in program.parts()}
    # A fresh draft is a valid draft file (blank texts included).
    assert validate_document(draft.data) == []


def test_new_draft_for_another_year(program):
    a = new_draft(program, organization="x", city="泰州市", year=2022)
    b = new_draft(program, organization="x", city="泰州市", year=2022)
    assert a.data["period"] == {"start": 2022, "end": 2024}
    assert a.letter_date == "2022-03-01"
    assert a.id != b.id


# malformed program folders -------------------------------------------------------------------
def _program_folder(tmp_path, mutate) -> Path:
    data = yaml.safe_load(PROGRAM_YAML.read_text(encoding="utf-8"))
    mutate(data)
    folder = tmp_path / "bad_program"
    folder.mkdir()
    (folder / "program.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


def test_load_program_from_a_copy(tmp_path, program):
    folder = _program_folder(tmp_path, lambda d: None)
    loaded = load_program(folder)
    assert [n.heading for n in loaded.walk()] == OUTLINE
    assert loaded.tasks == program.tasks
    assert loaded.folder == folder


def test_missing_outline_is_a_program_error(tmp_path):
    folder = _program_folder(tmp_path, lambda d: d.pop("outline"))
    with pytest.raises(ProgramError) as info:
        load_program(folder)
    assert "outline" in str(info.value)
    assert "bad_program/program.yaml" in str(info.value)


def test_unknown_kind_is_a_program_error(tmp_path):
    def mutate(d):
        d["outline"][3]["kind"] = "essay"

    folder = _program_folder(tmp_path, mutate)
    with pytest.raises(ProgramError) as info:
        load_program(folder)
    message = str(info.value)
    assert "essay" in message
    assert "safeguards" in message
    assert all(kind in message for kind in PART_KINDS)


def test_heading_missing_is_a_program_error(tmp_path):
    folder = _program_folder(tmp_path, lambda d: d["outline"][0]["children"][1].pop("heading"))
    with pytest.raises(ProgramError, match="heading"):
        load_program(folder)


def test_duplicate_part_ids_are_a_program_error(tmp_path):
    folder = _program_folder(tmp_path, lambda d: d["outline"][3].__setitem__("id", "overview"))
    with pytest.raises(ProgramError, match="重复"):
        load_program(folder)


def test_missing_or_broken_program_file(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ProgramError, match="找不到"):
        load_program(empty)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "program.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(ProgramError, match="格式有误"):
        load_program(broken)
    scalar = tmp_path / "scalar"
    scalar.mkdir()
    (scalar / "program.yaml").write_text("just a string\n", encoding="utf-8")
    with pytest.raises(ProgramError, match="不是一个项目定义"):
        load_program(scalar)


def test_task_without_title_is_a_program_error(tmp_path):
    folder = _program_folder(tmp_path, lambda d: d["tasks"][0].pop("title"))
    with pytest.raises(ProgramError, match="title") as info:
        load_program(folder)
    assert "top_design" in str(info.value)


def test_unknown_threshold_key_is_a_program_error(tmp_path):
    folder = _program_folder(tmp_path, lambda d: d["indicators"][0]["threshold"].__setitem__("minimum", 20))
    with pytest.raises(ProgramError, match="sme_licensees"):
        load_program(folder)


# numbering -----------------------------------------------------------------------------------
@pytest.mark.parametrize("text, rank", [
    ("一、建设基础", 1), ("十二、其他", 1), ("（一）组织保障", 2), ("(三)资金", 2), ("1.概述", 3),
    ("12．标题", 3), ("3、对策", 3), ("（1）本地专利供给", 4), ("(2)x", 4),
    ("1.5亿元的投入", None), ("2021年", None), ("概述", None), ("", None),
])
def test_number_rank(text, rank):
    assert number_rank(text) == rank


@pytest.mark.parametrize("text, bare", [
    ("三、建设举措", "建设举措"), ("（二）资金保障", "资金保障"), ("1.概述", "概述"), ("（4） 其他 ", "其他"),
    (" 没有编号 ", "没有编号"), ("1.5亿元", "1.5亿元"),
])
def test_strip_number(text, bare):
    assert strip_number(text) == bare


@pytest.mark.parametrize("n, cn", [(1, "一"), (7, "七"), (10, "十"), (11, "十一"), (12, "十二"), (20, "二十"),
                                   (21, "二十一"), (99, "九十九")])
def test_chinese_number(n, cn):
    assert chinese_number(n) == cn


@pytest.mark.parametrize("n", [0, -1, 100])
def test_chinese_number_out_of_range(n):
    with pytest.raises(ValueError):
        chinese_number(n)


def test_numbered():
    assert numbered(1, 3, "建设举措") == "三、建设举措"
    assert numbered(1, 10, "附则") == "十、附则"
    assert numbered(2, 3, "x") == "（三）x"
    assert numbered(3, 2, "目标") == "2.目标"
    assert numbered(4, 1, "问题") == "（1）问题"
    for rank in (1, 2, 3, 4):
        line = numbered(rank, 5, "标题")
        assert number_rank(line) == rank
        assert strip_number(line) == "标题"


# figures ------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, value", [
    ("1,234", 1234), ("２０％", 20), ("18.6", 18.6), ("", None), ("   ", None), ("１，２３４", 1234),
    (" 5 ", 5), ("-3", -3), ("20%", 20), ("0.50", 0.5),
])
def test_parse_number(text, value):
    result = parse_number(text)
    assert result == value
    if value is not None:
        assert type(result) is type(value)


@pytest.mark.parametrize("text", ["abc", "1e309", "nan", "inf", "-Infinity", "1e12", "十二", "1.2.3"])
def test_parse_number_refuses(text):
    with pytest.raises(FigureError) as info:
        parse_number(text)
    assert text in str(info.value)


@pytest.mark.parametrize("value, text", [(None, ""), (225.0, "225"), (18.60, "18.6"), (33.0, "33"), (0, "0"),
                                         (0.125, "0.125"), (41800, "41800")])
def test_format_number(value, text):
    assert format_number(value) == text


# cleaning -----------------------------------------------------------------------------------
def test_xml_safe_removes_only_invalid_characters():
    assert xml_safe("a\x00b\x08c\x0bd\x0ce\x1ff\ud800g\udfffh\ufffei\uffffj") == "abcdefghij"
    assert xml_safe("行一\n行二\t制表\r") == "行一\n行二\t制表\r"
    assert xml_safe("扬州市“323+1”　全角") == "扬州市“323+1”　全角"


def test_clean_paragraphs():
    raw = "  第一段\r\n\r\n\u3000\u3000第二段  \u00a0 内容\n\n\n第三段\u2028第四段\u2029DB32/T  4308\x00"
    assert clean_paragraphs(raw) == "第一段\n第二段 内容\n第三段\n第四段\nDB32/T 4308"
    assert paragraphs(raw) == ["第一段", "第二段 内容", "第三段", "第四段", "DB32/T 4308"]
    assert clean_paragraphs("") == ""
    assert paragraphs(" \n\u3000\n") == []


def test_vertical_tab_from_word_becomes_a_paragraph_break():
    assert clean_paragraphs("第一行\x0b第二行") == "第一行\n第二行"
    assert paragraphs("甲\x0b\x0b乙\x0c丙") == ["甲", "乙丙"]


# dates --------------------------------------------------------------------------------------
def test_date_cn():
    assert date_cn("2021-03-01") == "2021年3月1日"
    assert date_cn(dt.date(2021, 12, 31)) == "2021年12月31日"
    assert date_cn("") == ""
    assert date_cn("2021-02-30") == ""
    assert date_cn("2021年3月1日") == ""
    assert parse_iso("2021-03-01") == dt.date(2021, 3, 1)
    assert parse_iso("2021/03/01") is None


# templates ----------------------------------------------------------------------------------
def test_render_fills_fields():
    assert render("{{ city }}专利转化重点城市建设方案", {"city": "扬州市"}) == "扬州市专利转化重点城市建设方案"
    assert render("{{ year - 1 }}年度", {"year": 2021}) == "2020年度"
    assert undeclared_fields("{{ city }}{{ organization }}") == {"city", "organization"}


def test_render_missing_field_raises():
    with pytest.raises(TemplateTextError) as info:
        render("{{ organization }}（公章）", {"city": "扬州市"}, "letter.signer")
    assert "letter.signer" in str(info.value)
    assert "organization" in str(info.value)
    with pytest.raises(TemplateTextError):
        render("{{ applicant.phone }}", {"applicant": {}}, "x")


@pytest.mark.parametrize("source", [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
])
def test_sandbox_refuses_attribute_escape(source):
    with pytest.raises((TemplateTextError, jinja2.exceptions.SecurityError)) as info:
        render(source, {"city": "扬州市"}, "evil")
    error = info.value
    cause = error if isinstance(error, jinja2.exceptions.SecurityError) else error.__cause__
    assert isinstance(cause, jinja2.exceptions.SecurityError)
    assert "unsafe" in str(error)
    # Nothing of the class hierarchy leaks into the message.
    assert "<class" not in str(error)
    assert "subclasses" not in str(error)
