"""core/paste.py and core/departments.py: no Qt, the forms the book composer reads."""
from __future__ import annotations

from desktop_app.book.compose import compose
from desktop_app.book.model import Heading, Paragraph
from desktop_app.core.departments import rename_department, usage_count
from desktop_app.core.numbering import number_rank
from desktop_app.core.paste import clean_plain, html_to_text, join_tsv, split_tsv

from paste_samples import EXCEL_TSV, WEB_HTML, WORD_HTML, WPS_HTML


def test_word_html_keeps_paragraphs_and_numbers():
    lines = html_to_text(WORD_HTML).split("\n")
    assert lines == [
        "扬州市坚持以企业为主体，推动专利转化运用。",
        "（一）建设专利转化平台",
        "1.加快存量专利转化",
        "支持高校院所开展专利评估，",
        "全年转化专利 500 件以上。",
    ]
    assert number_rank(lines[1]) == 2 and number_rank(lines[2]) == 3


def test_wps_and_web_html():
    assert html_to_text(WPS_HTML).split("\n") == [
        "（二）完善服务体系", "2.培育服务机构", "引进高端服务机构10家，", "培育本地机构 5家。"]
    assert html_to_text(WEB_HTML).split("\n") == [
        "（三）强化保护", "建立快速维权中心&工作站", "开展“护航”行动", "完"]


def test_plain_text_is_cleaned():
    raw = "\u3000\u3000扬 州 市\t推进\x07转化。\r\n\r\n (1) 建立清单\r\n● 专项资金 3000 万元\x0b第二段"
    assert clean_plain(raw).split("\n") == ["扬州市推进转化。", "（1）建立清单", "专项资金 3000 万元", "第二段"]


def test_decimal_is_not_a_list_number():
    assert clean_plain("18.6亿元") == "18.6亿元"


def test_excel_tsv_round_trip():
    rows = split_tsv(EXCEL_TSV)
    assert rows[0] == ["高价值专利数", "件", "１９２", "220", "250", "300"]
    assert rows[2][0] == '许可"备案"合同数'  # quoted, with an inner newline and quotes
    assert len(rows) == 3
    assert split_tsv(join_tsv([["a\tb", 'x"y'], ["1", ""]])) == [["a b", 'x"y'], ["1", ""]]


def test_pasted_numbered_line_becomes_heading_in_book(program, sample_draft):
    sample_draft.set_text("overview", html_to_text(WORD_HTML))
    book = compose(program, sample_draft)
    plan = next(s for s in book.sections if s.kind == "plan")
    blocks = plan.blocks
    i = next(k for k, b in enumerate(blocks) if getattr(b, "text", "") == "（一）建设专利转化平台")
    assert isinstance(blocks[i], Heading) and blocks[i].rank == 2
    assert isinstance(blocks[i + 1], Heading) and blocks[i + 1].rank == 3
    assert isinstance(blocks[i + 2], Paragraph)


def test_rename_department_everywhere(sample_draft):
    old = "市科技局"
    before = usage_count(sample_draft, old)
    assert before > 0
    changed = rename_department(sample_draft, old, "市科学技术局")
    assert changed == before
    assert usage_count(sample_draft, old) == 0
    assert usage_count(sample_draft, "市科学技术局") == before
    assert "市科学技术局" in sample_draft.departments and old not in sample_draft.departments
    # renaming onto an existing name merges, never duplicating a partner
    rename_department(sample_draft, "市教育局", "市科学技术局")
    for part in sample_draft.data["parts"].values():
        for holder in part.get("tasks", []) + part.get("rows", []):
            assert len(set(holder.get("partners", []))) == len(holder.get("partners", []))
    assert sample_draft.departments.count("市科学技术局") == 1


# hard-wrapped text (a PDF, a web page) -----------------------------------------------------
PDF_TEXT = (
    "一、建设基础\n"
    "（一）专利转化基础\n"
    "近年来，扬州市深入实施知识产权强市战略，围绕汽车及零部件、高端装备等\n"
    "主导产业，推动高校院所专利向中小企业转移转化，2020年全市专利转化数量\n"
    "达到1206件。\n"
    "1.建立专利转化平台。依托扬州大学、江苏大学扬州研究院等高校院所建设专\n"
    "利转化中心，开展专利评估和供需对接。\n"
    "2.完善服务体系。\n"
    "\n"
    "全市共有知识产权服务机构56家，其中专利代理机构12家，服务能力不断\n"
    "提升。\n"
)


def test_hard_wrapped_lines_join_into_their_paragraph():
    assert clean_plain(PDF_TEXT).split("\n") == [
        "一、建设基础",
        "（一）专利转化基础",
        "近年来，扬州市深入实施知识产权强市战略，围绕汽车及零部件、高端装备等主导产业，推动高校院所专利向中小企业"
        "转移转化，2020年全市专利转化数量达到1206件。",
        "1.建立专利转化平台。依托扬州大学、江苏大学扬州研究院等高校院所建设专利转化中心，开展专利评估和供需对接。",
        "2.完善服务体系。",
        "全市共有知识产权服务机构56家，其中专利代理机构12家，服务能力不断提升。",
    ]


def test_wrapped_english_words_keep_a_space_and_items_stay_apart():
    text = ("The officer pastes a paragraph copied out of a PDF report that was wrapped\n"
            "by the page width of the document.\n"
            "● 第一个项目的名称写在这一行里，长度接近整行宽度但是没有句号结尾的情况\n"
            "● 第二个项目\n")
    assert clean_plain(text).split("\n") == [
        "The officer pastes a paragraph copied out of a PDF report that was wrapped by the page width of the document.",
        "第一个项目的名称写在这一行里，长度接近整行宽度但是没有句号结尾的情况",
        "第二个项目",
    ]


def test_short_lines_and_word_paragraphs_are_never_joined():
    # a heading without punctuation before its paragraph; Word's own paragraphs (HTML)
    assert clean_plain("加强组织领导\n成立由市政府分管领导任组长的工作领导小组。").split("\n") == [
        "加强组织领导", "成立由市政府分管领导任组长的工作领导小组。"]
    html = "<p>" + "很长的一段没有标点的文字" * 4 + "</p><p>下一段</p>"
    assert html_to_text(html).split("\n") == ["很长的一段没有标点的文字" * 4, "下一段"]
