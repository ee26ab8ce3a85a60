"""Issue 21 items 1 and 3: real plans (seeds 002–004) built as .docx in their own structure
import with every paragraph kept and their matching sections placed without help; headings
from numbering, styles and hand formatting; bad files refused with nothing written."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from desktop_app.app.word_import import open_word_plan
from desktop_app.book.pdf import find_soffice
from desktop_app.core.cleaning import paragraphs
from desktop_app.core.exchange import read_draft_file, validate_document
from desktop_app.wordin.errors import WordInError
from desktop_app.wordin.headings import detect
from desktop_app.wordin.reader import Para
from seed_plans import SEEDS, write_seed_docx

ROOT = Path(__file__).resolve().parent.parent
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="the shared seeds are not on this machine")


def _corpus(draft) -> str:
    """Every string the draft holds, without spaces."""
    found: list[str] = []

    def walk(value):
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(draft.data["parts"])
    walk(draft.data.get("unplaced", []))
    walk(draft.data.get("attachments", []))  # 附件：… lines become the attachment list
    return re.sub(r"\s+", "", "\n".join(found))


#: Per seed: the outline parts its own sections name, and the document headings that name them.
EXPECTED = {
    "002": {"approach": ["一、总体要求"], "measures": ["二、重点任务"], "safeguards": ["三、保障措施"]},
    "003": {"approach": ["一、指导思想", "二、基本原则", "三、工作思路"], "targets": ["四、工作目标"],
            "measures": ["五、工作措施"], "schedule": ["五、实施步骤"], "safeguards": ["六、保障措施"]},
    "004": {"approach": ["一、工作思路", "二、基本原则"], "targets": ["三、工作目标"], "measures": ["四、重点任务"],
            "safeguards": ["五、保障措施"]},
}
CITIES = {"002": "扬州市", "003": "鄂尔多斯市", "004": "天津市"}


@needs_seeds
@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_seed_plan_imports_every_paragraph_and_places_its_sections(number, tmp_path):
    path = tmp_path / f"seed{number}.docx"
    lines = write_seed_docx(number, path)
    plan = open_word_plan(path, "key_city_2021")
    mapping = dict(zip((h.text for h in plan.headings), plan.suggestion))
    for part_id, headings in EXPECTED[number].items():
        for heading in headings:
            assert mapping.get(heading) == f"part:{part_id}", heading
    draft, report = plan.build()
    assert validate_document(draft.data) == []
    assert draft.city == CITIES[number]

    written = [line for line in lines if line.kind != "box"]
    assert report.paragraphs == len(written)
    assert report.placed + report.unplaced + report.generated == report.paragraphs
    corpus = _corpus(draft)
    placed_headings = {h.text for h, key in zip(plan.headings, plan.suggestion) if key != "sub"}
    for line in written:
        if line.text in placed_headings:
            continue  # replaced by the outline's own heading, or a measure's title
        assert re.sub(r"\s+", "", re.sub(r"^附件[:：]", "", line.text)) in corpus, line.text
    # Every 专栏 became a key project of the measure it stands under, items and all.
    boxes = [line for line in lines if line.kind == "box"]
    projects = [p for m in draft.part("measures").get("tasks", []) for p in m.get("projects", [])]
    assert [(p["title"], p["items"]) for p in projects] == [(b.text, list(b.items)) for b in boxes]
    assert report.projects == len(boxes)
    # The measures of the plan are its own 建设举措, each with its text.
    measures = draft.part("measures")["tasks"]
    assert measures and all(m["title"] and (m["text"] or m["projects"]) for m in measures)
    # What has no place (the title, the preamble) waits in 未归入, in order.
    assert report.unplaced == len(draft.data["unplaced"]) >= 1
    assert draft.data["unplaced"][0]["text"] == written[0].text
    # The new draft is a working draft: the checks run, the book exports.
    from desktop_app.book.export import export_docx
    from desktop_app.core.rules import run_checks

    assert any(f.rule == "unplaced.pending" for f in run_checks(plan.program, draft))
    assert export_docx(draft, tmp_path / "book.docx").stat().st_size > 0
    print(f"seed {number}: " + " ".join(report.lines()))


@needs_seeds
def test_seed_measure_subheadings_stay_in_their_measure(tmp_path):
    path = tmp_path / "seed003.docx"
    write_seed_docx("003", path)
    draft, _report = open_word_plan(path, "key_city_2021").build()
    first = draft.part("measures")["tasks"][0]
    assert first["title"] == "构建专利转化市场环境"
    assert paragraphs(first["text"])[0] == "1.搭建专利转化平台"
    schedule = paragraphs(draft.part("schedule")["text"])
    assert schedule[1] == "（一）准备筹划阶段（2021年5月-2021年6月）"
    # Three sections went to 总体思路: the later ones keep their titles above their text.
    approach = paragraphs(draft.part("approach")["text"])
    assert "基本原则" in approach and "工作思路" in approach


def _para(text, **kw) -> Para:
    return Para(text=text, index=1, **kw)


@pytest.mark.parametrize("para, depth, how", [
    (_para("一、建设基础"), 1, "numbering"),
    (_para("（二）资金保障"), 2, "numbering"),
    (_para("3.加强培训"), 3, "numbering"),
    (_para("（4）建立台账"), 4, "numbering"),
    (_para("第二部分 主要任务"), 0, "numbering"),
    (_para("建设目标", style="Heading 2"), 2, "outline"),
    (_para("保障措施", style="标题 1"), 1, "outline"),
    (_para("进度安排", outline=0), 1, "outline"),
    (_para("总体思路", font="黑体"), 1, "format"),
    (_para("强化人才支撑", bold=True), 3, "format"),
])
def test_headings_from_numbering_styles_and_hand_formatting(para, depth, how):
    h = detect(para)
    assert h is not None and (h.depth, h.how) == (depth, how)


@pytest.mark.parametrize("para", [
    _para("（一）加强组织实施。坚持党对专利转化运用工作的全面领导。"),
    _para("1．中小微企业专利质押融资金额与数量年均增幅20%；"),
    _para("扬州市专利转化运用专项行动工作方案", font="黑体", align="center"),
    _para("目录行", style="toc 1", toc=True),
    _para("附件1", font="黑体"),
    _para("经济发展稳中向好。"),
])
def test_body_text_is_not_a_heading(para):
    assert detect(para) is None


def _minimal_docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_paragraph("一、总体思路")
    d.add_paragraph("坚持市场主导。")
    d.save(path)
    return path


@pytest.mark.parametrize("make, words", [
    (lambda p: p.write_bytes(b""), "空文件"),
    (lambda p: p.write_text("这不是一个 Word 文件", encoding="utf-8"), "不是 Word 文档"),
    (lambda p: p.write_bytes(b"PK\x03\x04" + b"\x00" * 200), "已损坏"),
    (lambda p: zipfile.ZipFile(p, "w").writestr("hello.txt", "x"), "不是 Word 文档"),
    (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
                             + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 512), "加密"),
    (lambda p: os.truncate(p.write_bytes(b"PK\x03\x04") and p, 200 * 1024 * 1024), "200 MB"),  # sparse
])
def test_bad_files_get_a_clear_message_and_nothing_is_written(make, words, tmp_path):
    bad = tmp_path / "方案.docx"
    make(bad)
    with pytest.raises(WordInError) as caught:
        open_word_plan(bad, "key_city_2021")
    assert words in str(caught.value)
    assert not re.search(r"[A-Za-z]{6,}", str(caught.value).replace(bad.name, "")), str(caught.value)
    out = tmp_path / "out.json"
    run = subprocess.run([sys.executable, "-m", "desktop_app", "import-docx", str(bad), "--program", "key_city_2021",
                          "--out", str(out)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 2 and words in run.stderr and not out.exists()
    assert "Traceback" not in run.stderr


def test_a_truncated_docx_is_refused(tmp_path):
    good = _minimal_docx(tmp_path / "good.docx")
    bad = tmp_path / "bad.docx"
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(WordInError, match="已损坏"):
        open_word_plan(bad, "key_city_2021")


def test_cli_import_docx_writes_a_valid_draft_and_reports(tmp_path, sample_draft):
    from desktop_app.book.export import export_docx

    book = export_docx(sample_draft, tmp_path / "方案.docx")
    out = tmp_path / "草稿.json"
    run = subprocess.run([sys.executable, "-m", "desktop_app", "import-docx", str(book), "--program", "key_city_2021",
                          "--out", str(out)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "读取段落" in run.stdout and "归入各部分" in run.stdout and "绩效目标表 1 个（7 项指标）" in run.stdout
    draft = read_draft_file(out)
    assert draft.program_id == "key_city_2021" and draft.text("overview") == sample_draft.text("overview")


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("fmt", ["doc", "odt"])
def test_doc_and_odt_are_converted_through_libreoffice(fmt, tmp_path):
    from desktop_app.book.pdf import find_soffice as soffice

    src = _minimal_docx(tmp_path / "plan.docx")
    profile = tmp_path / "profile"
    subprocess.run([str(soffice()), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", fmt,
                    "--outdir", str(tmp_path / "conv"), str(src)], capture_output=True, timeout=180, check=True)
    converted = tmp_path / "conv" / f"plan.{fmt}"
    draft, report = open_word_plan(converted, "key_city_2021").build()
    assert paragraphs(draft.text("approach")) == ["坚持市场主导。"]
    assert report.paragraphs == 2 and report.placed == 2


def test_word_list_numbers_are_read_as_the_heading_number(tmp_path):
    """一、 typed by Word's automatic numbering (not in the text) still makes a heading."""
    import docx
    from docx.oxml.ns import qn

    d = docx.Document()
    for text, body in (("建设基础", "扬州地处长江北岸。"), ("保障措施", "成立领导小组。")):
        d.add_paragraph(text, style="List Number")
        d.add_paragraph(body)
    style = d.styles["List Number"].element
    num_id = style.find(qn("w:pPr")).find(qn("w:numPr")).find(qn("w:numId")).get(qn("w:val"))
    numbering = d.part.numbering_part.element
    num = next(n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == num_id)
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(a for a in numbering.findall(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == abstract_id)
    lvl = abstract.find(qn("w:lvl"))
    lvl.find(qn("w:numFmt")).set(qn("w:val"), "chineseCounting")
    lvl.find(qn("w:lvlText")).set(qn("w:val"), "%1、")
    path = tmp_path / "numbered.docx"
    d.save(path)
    plan = open_word_plan(path, "key_city_2021")
    assert [(h.text, h.depth) for h in plan.headings] == [("一、建设基础", 1), ("二、保障措施", 1)]
    draft, report = plan.build()
    assert draft.text("overview") == "扬州地处长江北岸。" and draft.text("safeguards") == "成立领导小组。"
    assert report.unplaced == 0


def test_tables_recognised_from_their_header_words_cell_by_cell(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("四、工作目标")
    d.add_paragraph("到2023年，专利转化成效明显。")
    rows = [["序号", "指标名称", "单位", "2020年（基期）", "2021年", "2022年", "2023年", "备注"],
            ["1", "转化实施专利数量", "件", "1,200", "1440", "1730", "增长20%以上", "以备案为准"],
            ["2", "技术合同成交额", "亿元", "35.5", "40", "46", "53", ""]]
    t = d.add_table(rows=3, cols=8)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            t.cell(r, c).text = text
    d.add_paragraph("五、实施步骤")
    s = d.add_table(rows=3, cols=5)
    for r, row in enumerate([["年度", "主要任务", "进度安排", "牵头单位", "配合单位"],
                             ["2021年", "加强顶层设计", "印发实施方案", "市市场监管局", "市科技局、市财政局"],
                             ["", "自拟的任务", "完成摸底", "市科技局", ""]]):
        for c, text in enumerate(row):
            s.cell(r, c).text = text
    s.cell(1, 0).merge(s.cell(2, 0))  # 年度 merged down over two rows, as plans do
    s.cell(1, 0).text = "2021年"
    d.add_paragraph("六、保障措施")
    other = d.add_table(rows=2, cols=2)
    other.cell(0, 0).text, other.cell(0, 1).text = "资金来源", "金额（万元）"
    other.cell(1, 0).text, other.cell(1, 1).text = "市级财政", "3000"
    path = tmp_path / "tables.docx"
    d.save(path)
    draft, report = open_word_plan(path, "key_city_2021").build()
    inds = draft.part("targets")["indicators"]
    assert [(i["key"], i["name"], i["unit"], i["baseline"], i["targets"]) for i in inds] == [
        ("conversion_count", "转化实施专利数量", "件", 1200, [1440, 1730, None]),
        (None, "技术合同成交额", "亿元", 35.5, [40, 46, 53]),
    ]
    assert inds[0]["note"] == "2023年：增长20%以上；以备案为准"  # words kept where no number fits
    assert draft.part("schedule")["rows"] == [
        {"year": 2021, "task": "top_design", "progress": "印发实施方案", "lead": "市市场监管局",
         "partners": ["市科技局", "市财政局"], "measure": "m1"},  # format 2: the task's first measure
        {"year": 2021, "task": "自拟的任务", "progress": "完成摸底", "lead": "市科技局", "partners": [],
         "measure": None},
    ]
    assert paragraphs(draft.text("safeguards")) == ["资金来源｜金额（万元）", "市级财政｜3000"]
    assert (report.indicator_tables, report.schedule_tables, report.text_tables) == (1, 1, 1)


def test_word_in_runs_without_qt(tmp_path):
    """wordin/ and app/ never import Qt: the command line and the window share them."""
    path = _minimal_docx(tmp_path / "plan.docx")
    code = ("import sys\nfrom desktop_app.app.word_import import open_word_plan\n"
            f"d, r = open_word_plan({str(path)!r}, 'key_city_2021').build()\n"
            "assert d.text('approach') == '坚持市场主导。', d.data\n"
            "bad = [m for m in sys.modules if m.startswith('PySide6')]\n"
            "assert not bad, bad\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr


def test_a_heading_after_a_section_break_is_not_joined_to_the_line_before():
    from desktop_app.wordin.assemble import Document

    blocks = [Para("扬州市人民政府办公室关于印发工作方案的通知附件", index=1, section_end=True),
              Para("一、总体要求", index=2),
              Para("经过多年培育，扬州已初步形成政府引导、市场主导的专利转化", index=3, section_end=True),
              Para("工作格局。", index=4)]
    doc = Document.from_blocks(blocks)
    assert [b.text for b in doc.blocks] == [
        "扬州市人民政府办公室关于印发工作方案的通知附件", "一、总体要求", "经过多年培育，扬州已初步形成政府引导、市场主导的专利转化工作格局。"]


def test_a_text_box_becomes_a_key_project(tmp_path):
    """A 专栏 drawn as a text box (not a table) under a measure: a key project, items and all."""
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    d.add_paragraph("三、重点任务")
    d.add_paragraph("（一）大力发展知识产权金融")
    d.add_paragraph("扩大质押融资规模。")
    anchor = d.add_paragraph()
    box = ('<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
           'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox><w:txbxContent>'
           '<w:p><w:r><w:t>专栏1 知识产权金融重点项目</w:t></w:r></w:p>'
           '<w:p><w:r><w:t>● 质押融资入园惠企</w:t></w:r></w:p>'
           '<w:p><w:r><w:t>● 知识产权证券化</w:t></w:r></w:p>'
           '</w:txbxContent></v:textbox></v:shape></w:pict></w:r>')
    anchor._p.append(parse_xml(box))
    path = tmp_path / "box.docx"
    d.save(path)
    draft, report = open_word_plan(path, "key_city_2021").build()
    measure = draft.part("measures")["tasks"][0]
    assert measure["task"] == "finance" and measure["text"] == "扩大质押融资规模。"
    assert measure["projects"] == [{"title": "专栏1 知识产权金融重点项目", "items": ["质押融资入园惠企", "知识产权证券化"]}]
    assert report.projects == 1 and report.unplaced == 0


@needs_seeds
def test_plan_year_from_the_documents_own_period(tmp_path):
    path = tmp_path / "seed003.docx"
    write_seed_docx("003", path)
    draft, _ = open_word_plan(path, "university_ip_center_2022").build()
    assert draft.data["period"] == {"start": 2021, "end": 2022}  # （2021-2023年）, the program's two years


def test_a_boxed_column_of_rows_is_a_key_project_too(tmp_path):
    """A 专栏 laid out as one column, the title in the first row and a row per project."""
    import docx

    d = docx.Document()
    d.add_paragraph("三、建设举措")
    d.add_paragraph("（一）组织专场专利对接活动")
    t = d.add_table(rows=3, cols=1)
    for row, text in enumerate(["专栏3 专场对接重点活动", "● 高校院所进园区", "● 涉农专利下乡"]):
        t.cell(row, 0).text = text
    path = tmp_path / "column.docx"
    d.save(path)
    draft, report = open_word_plan(path, "key_city_2021").build()
    assert draft.part("measures")["tasks"][0]["projects"] == [
        {"title": "专栏3 专场对接重点活动", "items": ["高校院所进园区", "涉农专利下乡"]}]
    assert report.projects == 1 and report.text_tables == 0
