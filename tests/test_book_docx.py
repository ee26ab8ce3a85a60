"""The exported .docx, read back with python-docx and as raw XML (zipfile + lxml).

Checks the book's content (outline order, the officer's text, the guide's 信用承诺书 verbatim,
tables) and the GB/T 9704 layout figures from shared/FORMAT.md.
"""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from desktop_app.book.compose import compose
from desktop_app.book.docx_writer import write_docx
from desktop_app.core import exchange
from desktop_app.core.draft import Draft
from desktop_app.core.exchange import draft_from_json_text, read_draft_file
from desktop_app.core.program import get_program

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "samples" / "yangzhou_2021_sample.json"
GUIDE = ROOT.parent / "shared" / "seeds" / "000_5b0cfa50cae1893a.txt"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W_NS, "r": R_NS}


def w(name: str) -> str:
    return f"{{{W_NS}}}{name}"


OUTLINE = ["一、建设基础", "1.概述", "2.专利转化基础", "3.面临问题及对策", "二、建设思路和目标",
           "1.总体思路", "2.建设目标", "三、建设举措", "四、保障措施", "五、进度安排"]
OUTLINE_IDS = ["basis", "overview", "foundation", "problems", "direction", "approach", "targets",
               "measures", "safeguards", "schedule"]

# 信用承诺书 of the 2021 guide (shared/seeds/000, lines 31-34), verbatim: 我市 is the guide's word.
LETTER = [
    "我市已知晓《省级财政专项资金管理应用信用信息暂行规定》，并郑重承诺如下：",
    "1.申报项目的所有材料均依据相关项目申报要求，据实提供，无任何伪造修改和虚假成分；",
    "2.专项资金获批后将严格按照《江苏省知识产权专项资金管理办法》等有关规定规范使用，并为项目实施提供承诺的条件，按任务要求推进项目实施；",
    "3.如违背以上承诺，我市及相关责任人员愿意承担相关责任。",
]


# reading the file back ----------------------------------------------------------------------
class Book:
    """One exported .docx: python-docx Document plus the raw XML parts."""

    def __init__(self, path: Path):
        self.path = path
        self.doc = docx.Document(str(path))
        with zipfile.ZipFile(path) as z:
            self.names = z.namelist()
            self.raw = {n: z.read(n) for n in self.names}
        self.document = etree.fromstring(self.raw["word/document.xml"])
        self.styles = etree.fromstring(self.raw["word/styles.xml"])
        self.settings = etree.fromstring(self.raw["word/settings.xml"])
        self.rels = etree.fromstring(self.raw["word/_rels/document.xml.rels"])
        self.body = self.document.find(w("body"))

    def part(self, name: str):
        return etree.fromstring(self.raw[name])

    def blocks(self) -> list[tuple[str, str, object]]:
        """Body children in order: ('p', text, el) or ('tbl', text of first cell, el)."""
        out = []
        for el in self.body:
            if el.tag == w("p"):
                out.append(("p", text_of(el), el))
            elif el.tag == w("tbl"):
                first = el.find(".//w:tc", NS)
                out.append(("tbl", text_of(first) if first is not None else "", el))
        return out

    def sect_prs(self) -> list:
        return self.body.findall(".//w:sectPr", NS)

    def sections(self) -> dict[str, tuple[int, object, list]]:
        """kind → (index, sectPr, blocks) for each section, the kind told by its content."""
        groups: list[tuple[object, list]] = []
        current: list = []
        for block in self.blocks():
            current.append(block)
            sect_pr = block[2].find("w:pPr/w:sectPr", NS) if block[0] == "p" else None
            if sect_pr is not None:
                groups.append((sect_pr, current))
                current = []
        groups.append((self.body.find("w:sectPr", NS), current))
        found = {}
        for index, (sect_pr, blocks) in enumerate(groups):
            texts = [b[1] for b in blocks if b[0] == "p"]
            if index == 0:
                kind = "cover"
            elif "信用承诺书" in texts:
                kind = "letter"
            elif "一、建设基础" in texts and "扬州市专利转化重点城市建设方案" in texts:
                kind = "plan"
            elif "附件1" in texts:
                kind = "attachments"
            elif any(t.replace("\u3000", "").replace(" ", "") == "目录" for t in texts):
                kind = "toc"
            else:
                kind = f"other{index}"
            assert kind not in found, f"two {kind} sections"
            found[kind] = (index, sect_pr, blocks)
        return found

    def footer_xml(self, rid: str):
        target = self.rels.xpath(f"//*[@Id='{rid}']/@Target")[0]
        return self.part(f"word/{target}")

    def style(self, style_id: str):
        found = self.styles.xpath(f"w:style[@w:styleId='{style_id}']", namespaces=NS)
        assert found, f"style {style_id} missing"
        return found[0]


def text_of(el) -> str:
    return "".join(t.text or "" for t in el.iter(w("t")))


def table_rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


@pytest.fixture(scope="module")
def sample_data() -> dict:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Book:
    program = get_program("key_city_2021")
    draft = read_draft_file(SAMPLE)
    out = tmp_path_factory.mktemp("book") / "扬州市建设方案.docx"
    assert write_docx(compose(program, draft), out) == out
    return Book(out)


def _index(blocks, text, start=0, kind="p") -> int:
    for i in range(start, len(blocks)):
        if blocks[i][0] == kind and blocks[i][1] == text:
            return i
    raise AssertionError(f"{text!r} not found after block {start}")


def _plan_start(blocks) -> int:
    return _index(blocks, "扬州市专利转化重点城市建设方案", _index(blocks, "信用承诺书"))


def _heading_positions(blocks) -> list[int]:
    start = _plan_start(blocks)
    positions = []
    for heading in OUTLINE:
        hits = [i for i in range(start, len(blocks)) if blocks[i][0] == "p" and blocks[i][1] == heading]
        assert len(hits) == 1, f"{heading!r} appears {len(hits)} times in the plan"
        positions.append(hits[0])
    return positions


# content ------------------------------------------------------------------------------------------
def test_plan_headings_in_outline_order(book):
    blocks = book.blocks()
    positions = _heading_positions(blocks)
    assert positions == sorted(positions)
    # Each heading is a heading paragraph: own style and an outline level for the navigation pane.
    for pos, heading in zip(positions, OUTLINE):
        el = blocks[pos][2]
        style = el.find("w:pPr/w:pStyle", NS).get(w("val"))
        assert style.startswith("plan-h"), (heading, style)
        assert el.find("w:pPr/w:outlineLvl", NS) is not None, heading
    levels = [int(blocks[p][2].find("w:pPr/w:outlineLvl", NS).get(w("val"))) for p in positions]
    assert levels == [0, 1, 1, 1, 0, 1, 1, 0, 0, 0]


def _expected_lines(sample_data, part_id) -> list[str]:
    """What the officer typed for a part, in print order (text lines, then structured items)."""
    part = sample_data["parts"][part_id]
    lines = [line.strip() for line in part.get("text", "").split("\n") if line.strip()]
    for n, item in enumerate(part.get("items", []), 1):
        lines.append(f"（{n}）{item['problem']}")
        lines.append(f"对策：{item['countermeasure']}")
    for n, measure in enumerate(part.get("tasks", []), 1):
        cn = "一二三四五六七"[n - 1]
        lines.append(f"（{cn}）{measure['title']}")
        lines.extend(line.strip() for line in measure["text"].split("\n") if line.strip())
        lines.append(f"〔牵头部门：{measure['lead']}；配合部门：{'、'.join(measure['partners'])}〕")
    return lines


def test_each_part_text_follows_its_heading(book, sample_data):
    blocks = book.blocks()
    positions = _heading_positions(blocks)
    ends = positions[1:] + [len(blocks)]
    for part_id, start, end in zip(OUTLINE_IDS, positions, ends):
        if part_id in ("basis", "direction"):
            assert end == start + 1, f"group heading {part_id} is followed by its first child"
            continue
        expected = _expected_lines(sample_data, part_id)
        assert expected, part_id
        section = [text for kind, text, _ in blocks[start + 1:end] if kind == "p"]
        found = [line for line in section if line in expected]
        assert found == expected, f"part {part_id}: text missing or out of order"


def test_department_notes_present(book, sample_data):
    texts = [p.text for p in book.doc.paragraphs]
    notes = [t for t in texts if t.startswith("〔牵头部门：")]
    assert len(notes) == len(sample_data["parts"]["measures"]["tasks"]) == 7
    assert "〔牵头部门：市科技局；配合部门：市市场监管局（知识产权局）、市商务局〕" in notes
    assert all(t.endswith("〕") for t in notes)
    note_style = {p.style.name for p in book.doc.paragraphs if p.text.startswith("〔牵头部门：")}
    assert note_style == {"方案-牵头部门"}


def test_panels_present_after_their_measure(book, sample_data):
    blocks = book.blocks()
    tasks = sample_data["parts"]["measures"]["tasks"]
    for n, measure in enumerate(tasks):
        heading = _index(blocks, f"（{'一二三四五六七'[n]}）{measure['title']}", _heading_positions(blocks)[7])
        for project in measure["projects"]:
            pos = next(i for i in range(heading, len(blocks)) if blocks[i][0] == "tbl"
                       and blocks[i][1].startswith(project["title"]))
            cell_text = [text_of(p) for p in blocks[pos][2].iter(w("p"))]
            assert cell_text[0] == project["title"]
            assert cell_text[1:] == [f"●{item}" for item in project["items"]]
    titles = [p["title"] for m in tasks for p in m["projects"]]
    assert len(titles) == 6
    assert "专栏：专利引入赋能行动重点建设项目" in titles


def test_letter_is_the_guides_text_verbatim(book):
    if GUIDE.is_file():  # the seed, when the shared folder is present, must say the same
        guide = GUIDE.read_text(encoding="utf-8").splitlines()
        at = [line.strip() for line in guide].index("信用承诺书")
        # printed as GB/T 9704 numbers items: "1." with the text straight after (compose.tidy_number)
        from desktop_app.book.compose import tidy_number

        assert [tidy_number(line) for line in guide[at + 1:at + 6] if line.strip()] == LETTER
    texts = [p.text for p in book.doc.paragraphs]
    title = texts.index("信用承诺书")
    body = [t for t in texts[title + 1:] if t][:4]
    assert body == LETTER
    last = texts.index(LETTER[-1])
    plan = texts.index("扬州市专利转化重点城市建设方案", last)
    after = [t for t in texts[last + 1:plan] if t]
    assert after == ["扬州市人民政府", "2021年3月1日", "（公章）"]
    letter_styles = {p.style.name for p in book.doc.paragraphs if p.text in LETTER}
    assert letter_styles == {"Normal"}


def test_signature_block_is_right_aligned_over_the_date(book):
    paras = {p.text: p for p in book.doc.paragraphs if p.text in ("扬州市人民政府", "2021年3月1日", "（公章）")}
    assert set(paras) == {"扬州市人民政府", "2021年3月1日", "（公章）"}
    for p in paras.values():
        assert p.paragraph_format.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    # The date stands four characters (4 × 320 twips) in from the right margin.
    assert paras["2021年3月1日"].paragraph_format.right_indent.twips == 1280


def test_cover(book):
    texts = [p.text for p in book.doc.paragraphs]
    letter = texts.index("信用承诺书")
    cover = [t for t in texts[:letter] if t]
    assert cover[0] == "示例草稿 · 仅供参考"
    assert "2021年度专利转化重点城市引领计划" in cover
    assert "扬州市专利转化重点城市建设方案" in cover
    assert "申报单位：扬州市人民政府" in cover
    assert "申报日期：2021年3月1日" in cover


def test_indicator_table(book, sample_data):
    tables = [t for t in book.doc.tables if t.rows[0].cells[0].text == "序号"]
    assert len(tables) == 1
    rows = table_rows(tables[0])
    assert rows[0] == ["序号", "指标名称", "单位", "基期值（2020年）", "2021年", "2022年", "2023年", "指南要求"]
    assert rows[1] == ["1", "接受高校院所、国有企业专利转让许可的中小企业数量", "家", "192", "232", "280", "338",
                       "年度增幅20%以上"]
    assert rows[2][-1] == "超过250家"
    assert rows[5] == ["5", "知识产权质押融资金额", "亿元", "18.6", "22.6", "27.3", "33", "增幅超过20%"]
    assert rows[7][-1] == "培养引进一批"
    assert len(rows) == 1 + len(sample_data["parts"]["targets"]["indicators"])
    blocks = book.blocks()
    positions = _heading_positions(blocks)
    caption = _index(blocks, "绩效目标指标表", positions[6])
    assert caption < positions[7]
    assert blocks[caption + 1][0] == "tbl" and blocks[caption + 1][1] == "序号"


def test_schedule_table(book, sample_data):
    program = get_program("key_city_2021")
    tables = [t for t in book.doc.tables if t.rows[0].cells[0].text == "年度"]
    assert len(tables) == 1
    rows = table_rows(tables[0])
    sample_rows = sample_data["parts"]["schedule"]["rows"]
    assert len(rows) == len(sample_rows) + 1
    assert rows[0] == ["年度", "主要任务", "进度安排", "牵头部门", "配合部门"]
    expected = [
        [f"{r['year']}年", program.task(r["task"]).title, r["progress"], r["lead"], "、".join(r["partners"])]
        for r in sorted(sample_rows, key=lambda r: r["year"])
    ]
    assert rows[1:] == expected
    task_ids = {t.id for t in program.tasks}
    assert not any(cell in task_ids for row in rows for cell in row)  # ids resolved to titles
    assert "加强顶层设计" in rows[1][1]
    blocks = book.blocks()
    caption = _index(blocks, "进度安排表", _heading_positions(blocks)[9])
    assert blocks[caption + 1][0] == "tbl" and blocks[caption + 1][1] == "年度"


def test_table_header_rows_repeat_and_short_rows_do_not_split(book):
    data_tables = [t for t in book.document.iter(w("tbl"))
                   if text_of(t.find(".//w:tc", NS)) in ("序号", "年度")]
    assert len(data_tables) == 2
    for tbl in data_tables:
        rows = tbl.findall("w:tr", NS)
        assert len(rows) > 2
        assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
        assert rows[0].find("w:trPr/w:cantSplit", NS) is not None
        assert all(r.find("w:trPr/w:tblHeader", NS) is None for r in rows[1:])
        # the sample's rows are a few lines each: none splits across pages
        assert all(r.find("w:trPr/w:cantSplit", NS) is not None for r in rows)


def test_a_long_schedule_row_may_split_across_pages(tmp_path, sample_data):
    data = json.loads(json.dumps(sample_data))
    data["parts"]["schedule"]["rows"][0]["progress"] = "完成全市重点园区专利技术需求调查并建立台账。" * 12
    draft = draft_from_json_text(json.dumps(data, ensure_ascii=False))
    out = write_docx(compose(get_program("key_city_2021"), draft), tmp_path / "long.docx")
    tbl = next(t for t in Book(out).document.iter(w("tbl")) if text_of(t.find(".//w:tc", NS)) == "年度")
    rows = tbl.findall("w:tr", NS)
    long_rows = [r for r in rows if "台账。完成" in text_of(r)]
    assert len(long_rows) == 1
    assert long_rows[0].find("w:trPr/w:cantSplit", NS) is None  # it may run on under the repeated header
    assert sum(r.find("w:trPr/w:cantSplit", NS) is not None for r in rows) == len(rows) - 1


def test_table_columns_fit_their_header_words_and_short_cells(book):
    """No header word (序号, 单位, 2021年, 指南要求, 牵头部门), number or short cell (万元, 2021年) is
    narrower than its column: widths come from content, measured at the table's size."""
    from desktop_app.book.layout import (
        CELL_PAD, Layout, atoms, header_atoms, name_atoms, text_twips, wraps_cleanly,
    )

    size = Layout().table_size_pt
    for tbl in book.document.iter(w("tbl")):
        rows = tbl.findall("w:tr", NS)
        head = [text_of(tc) for tc in rows[0].findall("w:tc", NS)]
        if head[0] not in ("序号", "年度"):
            continue
        grid = [int(g.get(w("w"))) for g in tbl.findall("w:tblGrid/w:gridCol", NS)]
        assert abs(sum(grid) - Layout().text_width) < len(grid) + 2
        for col, (header, width) in enumerate(zip(head, grid)):
            cells = [text_of(r.findall("w:tc", NS)[col]) for r in rows[1:]]
            split = name_atoms if header in ("牵头部门", "配合部门") else atoms
            pieces = header_atoms(header) + [a for c in cells for a in split(c)]
            widest = max(pieces, key=lambda p: text_twips(p, size))
            assert text_twips(widest, size) + CELL_PAD <= width + 1, (header, widest, width)
            assert wraps_cleanly(header, width, size), (header, width)  # not 指南要 / 求


def test_header_breaks_only_between_words():
    from desktop_app.book.layout import header_atoms, wrap_breaks, wraps_cleanly

    assert header_atoms("基期值（2020年）") == ["基期值", "（2020年）"]
    assert header_atoms("指南要求") == ["指南", "要求"] and header_atoms("序号") == ["序号"]
    assert wrap_breaks("基期值（2020年）", 1320, 12) == [3]  # before the bracket
    assert wrap_breaks("基期值（2020年）", 1500, 12) == [8]  # 基期值（2020 / 年）
    assert not wraps_cleanly("基期值（2020年）", 1500 + 256, 12)
    assert wraps_cleanly("指南要求", 2 * 240 + 256, 12) and not wraps_cleanly("指南要求", 3 * 240 + 256, 12)


def test_attachment_list_and_pages(book, sample_data):
    titles = [a["title"] for a in sample_data["attachments"]]
    texts = [p.text for p in book.doc.paragraphs]
    assert f"附件：1.{titles[0]}" in texts
    assert f"2.{titles[1]}" in texts
    for n, title in enumerate(titles, 1):
        label = texts.index(f"附件{n}")
        assert title in texts[label:label + 4]


# page layout --------------------------------------------------------------------------------------
def test_page_size_margins_and_grid(book):
    sect_prs = book.sect_prs()
    kinds = book.sections()
    assert len(sect_prs) == len(kinds)
    assert {"cover", "letter", "plan", "attachments"} <= set(kinds)
    order = sorted(kinds, key=lambda k: kinds[k][0])
    assert [k for k in order if k in ("cover", "letter", "plan", "attachments")] == [
        "cover", "letter", "plan", "attachments"]
    for sp in sect_prs:
        size = sp.find("w:pgSz", NS)
        assert (size.get(w("w")), size.get(w("h"))) == ("11906", "16838")
        margin = sp.find("w:pgMar", NS)
        for side, target in (("top", 2098), ("left", 1587), ("right", 1474), ("bottom", 1984)):
            assert abs(int(margin.get(w(side))) - target) <= 57, side
        grid = sp.find("w:docGrid", NS)
        assert grid.get(w("type")) == "lines"
        assert grid.get(w("linePitch")) == "579"
    for section in book.doc.sections:
        assert section.page_width.twips == 11906 and section.page_height.twips == 16838


def test_sections_after_the_cover_start_on_odd_pages(book):
    types = []
    for sp in book.sect_prs():
        t = sp.find("w:type", NS)
        types.append(t.get(w("val")) if t is not None else None)
    assert len(types) >= 4
    assert types[0] in (None, "nextPage")
    assert types[1:] == ["oddPage"] * (len(types) - 1)


def test_only_the_plan_restarts_numbering(book):
    restarts = book.document.xpath("//w:pgNumType[@w:start]", namespaces=NS)
    assert len(restarts) == 1
    assert restarts[0].get(w("start")) == "1"
    _, plan_sect_pr, plan_blocks = book.sections()["plan"]
    assert restarts[0].getparent() is plan_sect_pr
    assert [b[1] for b in plan_blocks if b[0] == "p" and b[1]][0] == "扬州市专利转化重点城市建设方案"


def _footer_texts(book, sect_pr) -> dict[str, etree._Element]:
    return {ref.get(w("type")): book.footer_xml(ref.get(f"{{{R_NS}}}id"))
            for ref in sect_pr.findall("w:footerReference", NS)}


def test_page_number_footers(book):
    sections = book.sections()
    plan_index, plan, _ = sections["plan"]
    footers = _footer_texts(book, plan)
    assert set(footers) == {"default", "even"}
    for kind, ftr in footers.items():
        instr = "".join(i.text for i in ftr.iter(w("instrText")))
        assert instr.strip() == "PAGE"
        types = [f.get(w("fldCharType")) for f in ftr.iter(w("fldChar"))]
        assert types == ["begin", "separate", "end"]
        text = text_of(ftr)
        assert text.startswith("— ") and text.endswith(" —")
        jc = ftr.find(".//w:pPr/w:jc", NS).get(w("val"))
        assert jc == ("right" if kind == "default" else "left")
    assert book.style("plan-pagenum").find("w:rPr/w:sz", NS).get(w("val")) == "28"
    # Cover, letter (and anything bound before the plan) carry no page number.
    before = [sp for kind, (i, sp, _) in sections.items() if i < plan_index]
    assert len(before) >= 2
    for sp in before:
        refs = _footer_texts(book, sp)
        assert refs, "a section before the plan must not inherit a page-number footer"
        for ftr in refs.values():
            assert not list(ftr.iter(w("instrText")))
            assert "—" not in text_of(ftr)
    # The attachments continue the plan's numbering: same footers (inherited) or page numbers of their own.
    _, attachments, _ = sections["attachments"]
    for ftr in _footer_texts(book, attachments).values():
        assert "PAGE" in "".join(i.text for i in ftr.iter(w("instrText")))


def test_settings_even_and_odd_headers_and_chinese(book):
    assert book.settings.find("w:evenAndOddHeaders", NS) is not None
    lang = book.settings.find("w:themeFontLang", NS)
    assert lang is None or lang.get(w("eastAsia")) == "zh-CN"


def test_normal_style_and_doc_defaults(book):
    defaults = book.styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert defaults.find("w:lang", NS).get(w("eastAsia")) == "zh-CN"
    assert defaults.find("w:rFonts", NS).get(w("eastAsia")) == "仿宋_GB2312"
    normal = book.style("Normal")
    fonts = normal.find("w:rPr/w:rFonts", NS)
    assert fonts.get(w("eastAsia")) == "仿宋_GB2312"
    assert fonts.get(w("ascii")) == "Times New Roman"
    assert normal.find("w:rPr/w:sz", NS).get(w("val")) == "32"
    assert normal.find("w:rPr/w:spacing", NS).get(w("val")) == "-5"
    assert normal.find("w:rPr/w:color", NS).get(w("val")) == "000000"
    assert normal.find("w:pPr/w:ind", NS).get(w("firstLine")) == "640"
    spacing = normal.find("w:pPr/w:spacing", NS)
    assert (spacing.get(w("line")), spacing.get(w("lineRule"))) == ("579", "exact")
    assert normal.find("w:pPr/w:widowControl", NS).get(w("val")) in ("0", "false")


@pytest.mark.parametrize("style_id, font, bold", [
    ("plan-h1", "黑体", "0"), ("plan-h2", "楷体_GB2312", "0"), ("plan-h3", "仿宋_GB2312", "0"),
    ("plan-h4", "仿宋_GB2312", "0"), ("plan-title", "方正小标宋简体", "0"),
])
def test_heading_and_title_styles(book, style_id, font, bold):
    style = book.style(style_id)
    assert style.find("w:rPr/w:rFonts", NS).get(w("eastAsia")) == font
    assert style.find("w:rPr/w:b", NS).get(w("val")) == bold
    size = style.find("w:rPr/w:sz", NS).get(w("val"))
    assert size == ("44" if style_id == "plan-title" else "32")
    if style_id == "plan-title":
        assert style.find("w:pPr/w:snapToGrid", NS).get(w("val")) == "0"
        assert style.find("w:pPr/w:jc", NS).get(w("val")) == "center"
    else:
        assert style.find("w:pPr/w:outlineLvl", NS) is not None


def test_styles_in_use_have_no_theme_fonts(book):
    """Every style a paragraph uses, and what it is based on, names its fonts (no eastAsiaTheme)."""
    used = {"Normal"}
    for part in [n for n in book.names if n.startswith("word/") and n.endswith(".xml")
                 and (n == "word/document.xml" or n.startswith("word/footer"))]:
        used |= set(book.part(part).xpath("//w:pStyle/@w:val", namespaces=NS))
    chain = set()
    for sid in used:
        while sid and sid not in chain:
            chain.add(sid)
            based = book.style(sid).find("w:basedOn", NS)
            sid = based.get(w("val")) if based is not None else None
    rfonts = [book.styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)]
    for sid in chain:
        rfonts.extend(book.style(sid).iter(w("rFonts")))
    assert len(rfonts) > 5
    for el in rfonts:
        assert el.get(w("eastAsiaTheme")) is None
        assert el.get(w("asciiTheme")) is None
        assert el.get(w("eastAsia"))
    assert not any(sid.startswith("Heading") for sid in used)


def test_every_body_heading_has_an_outline_level(book):
    heading_paras = [p for p in book.body.iter(w("p"))
                     if (s := p.find("w:pPr/w:pStyle", NS)) is not None and s.get(w("val")) in
                     ("plan-h1", "plan-h2", "plan-h3", "plan-h4")]
    assert len(heading_paras) >= len(OUTLINE) + 7
    for p in heading_paras:
        assert p.find("w:pPr/w:outlineLvl", NS) is not None, text_of(p)


def test_body_paragraphs_use_the_first_line_indent(book):
    body = [p for p in book.doc.paragraphs if p.style.name == "Normal" and p.text]
    assert len(body) > 50
    for p in body:
        assert p.paragraph_format.first_line_indent is None  # inherited from Normal: 640 twips
    assert book.doc.styles["Normal"].paragraph_format.first_line_indent.twips == 640


# raw XML order (Word refuses out-of-order children) ----------------------------------------------------------
PPR_ORDER = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
             "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
             "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
             "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
             "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
             "sectPr", "pPrChange"]
SECTPR_ORDER = ["headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
                "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote",
                "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange"]
TBLPR_ORDER = ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
               "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar",
               "tblLook", "tblCaption", "tblDescription", "tblPrChange"]


REPEATABLE = {"headerReference", "footerReference"}


def _assert_schema_order(elements, order):
    elements = list(elements)
    assert elements, "nothing to check"
    for el in elements:
        names = [etree.QName(c).localname for c in el if etree.QName(c).namespace == W_NS]
        known = [n for n in names if n in order]
        positions = [order.index(n) for n in known]
        assert positions == sorted(positions), f"{etree.QName(el).localname} children out of order: {names}"
        single = [n for n in known if n not in REPEATABLE]
        assert len(single) == len(set(single)), f"{etree.QName(el).localname} has duplicate children: {names}"


def test_ppr_and_sectpr_children_in_schema_order(book):
    _assert_schema_order(book.document.iter(w("pPr")), PPR_ORDER)
    _assert_schema_order(book.styles.iter(w("pPr")), PPR_ORDER)
    _assert_schema_order(book.sect_prs(), SECTPR_ORDER)


def test_tblpr_children_in_schema_order(book):
    _assert_schema_order(book.document.iter(w("tblPr")), TBLPR_ORDER)


# robustness -------------------------------------------------------------------------------------------
BAD = "\x00\x0b\ud800"


def _all_text(result: Book) -> tuple[list[str], str]:
    texts = [p.text for p in result.doc.paragraphs]
    cells = [c.text for t in result.doc.tables for r in t.rows for c in r.cells]
    return texts, "\n".join(texts + cells)


def test_control_characters_in_text_are_dropped_from_the_export(tmp_path, sample_data):
    data = json.loads(json.dumps(sample_data))
    data["parts"]["overview"]["text"] = f"控制字符甲乙{BAD}丙丁测试。\n第二段{BAD}。"
    data["parts"]["problems"]["items"][0]["problem"] = f"问题{BAD}描述"
    data["parts"]["measures"]["tasks"][1]["projects"][0]["title"] = f"专栏{BAD}标题"
    data["parts"]["measures"]["tasks"][1]["projects"][0]["items"][0] = f"专栏条目{BAD}一"
    data["parts"]["measures"]["tasks"][0]["lead"] = f"市市场监管局{BAD}"
    data["parts"]["schedule"]["rows"][0]["progress"] = f"进度{BAD}安排"
    data["parts"]["targets"]["indicators"][0]["name"] = f"指标{BAD}名称"
    data["attachments"][0]["title"] = f"附件{BAD}标题"
    out = tmp_path / "ctrl.docx"
    write_docx(compose(get_program("key_city_2021"), Draft(data)), out)

    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                xml = z.read(name).decode("utf-8")
                assert "\x00" not in xml and "\x0b" not in xml, name
                assert "&#0;" not in xml and "&#11;" not in xml and "&#x" not in xml.lower(), name
    result = Book(out)
    texts, everything = _all_text(result)
    for ch in BAD:
        assert ch not in everything
    # \x0b is Word's manual line break: it may split the paragraph, but no text is lost.
    assert any("控制字符甲乙" in t for t in texts)
    assert any(t.endswith("丙丁测试。") for t in texts)
    assert any(t.startswith("第二段") for t in texts)
    assert any(t.startswith("（1）问题") and t.endswith("描述") for t in texts)
    assert "〔牵头部门：市市场监管局；配合部门：市科技局、市教育局、市工信局、市财政局、市发展改革委〕" in texts
    assert "专栏标题" in everything
    assert "●专栏条目一" in everything
    cells = [c.text for t in result.doc.tables for r in t.rows[1:] for c in r.cells]
    assert "进度安排" in cells
    assert "指标名称" in cells
    # renaming the notes attachment makes the indicator notes an attachment of their own, first
    assert "附件：1.工作目标涉及指标说明" in texts and "2.附件标题" in texts


def test_control_characters_in_the_city_are_dropped_from_the_export(tmp_path, sample_data):
    data = json.loads(json.dumps(sample_data))
    data["applicant"]["city"] = f"扬州{BAD}市"
    data["applicant"]["organization"] = f"扬州市人民{BAD}政府"
    out = tmp_path / "ctrl-city.docx"
    write_docx(compose(get_program("key_city_2021"), Draft(data)), out)
    result = Book(out)
    texts, everything = _all_text(result)
    for ch in BAD:
        assert ch not in everything
    assert "扬州市专利转化重点城市建设方案" in texts
    assert "扬州市人民政府" in texts
    assert result.doc.core_properties.title == "扬州市专利转化重点城市建设方案"


def test_export_is_atomic_when_replace_fails(tmp_path, monkeypatch):
    program = get_program("key_city_2021")
    book_ = compose(program, read_draft_file(SAMPLE))
    target = tmp_path / "申报书.docx"
    target.write_bytes(b"the officer's previous export")

    def refuse(*_args, **_kwargs):
        raise OSError(13, "Permission denied: the file is open in WPS")

    monkeypatch.setattr(exchange.os, "replace", refuse)
    with pytest.raises(OSError):
        write_docx(book_, target)
    assert target.read_bytes() == b"the officer's previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["申报书.docx"]


def test_export_docx_reports_failure_in_chinese(tmp_path, monkeypatch):
    from desktop_app.book.export import ExportError, export_docx

    target = tmp_path / "申报书.docx"
    target.write_bytes(b"old")

    def refuse(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(exchange.os, "replace", refuse)
    with pytest.raises(ExportError) as info:
        export_docx(read_draft_file(SAMPLE), target)
    assert "原文件未被改动" in str(info.value)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["申报书.docx"]
    with pytest.raises(ExportError, match="不存在"):
        export_docx(read_draft_file(SAMPLE), tmp_path / "no-such-folder" / "x.docx")


def test_export_replaces_an_existing_file(tmp_path):
    from desktop_app.book.export import export_docx

    target = tmp_path / "申报书.docx"
    target.write_bytes(b"old")
    export_docx(read_draft_file(SAMPLE), target)
    assert zipfile.is_zipfile(target)
    assert "扬州市专利转化重点城市建设方案" in [p.text for p in docx.Document(str(target)).paragraphs]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["申报书.docx"]


def test_new_blank_draft_exports(tmp_path, program):
    from desktop_app.core.draft import new_draft

    draft = new_draft(program, organization="镇江市人民政府", city="镇江市")
    out = tmp_path / "blank.docx"
    write_docx(compose(program, draft), out)
    result = Book(out)
    blocks = result.blocks()
    positions = [_index(blocks, h, _index(blocks, "镇江市专利转化重点城市建设方案", _index(blocks, "信用承诺书")))
                 for h in OUTLINE]
    assert positions == sorted(positions)
    rows = table_rows([t for t in result.doc.tables if t.rows[0].cells[0].text == "序号"][0])
    assert [r[3:7] for r in rows[1:]] == [["—", "—", "—", "—"]] * 7  # no empty figure cells
    schedule = [t for t in result.doc.tables if t.rows[0].cells[0].text == "年度"][0]
    assert len(schedule.rows) == 1  # header only: no rows entered yet


def test_long_period_is_refused_or_exports(tmp_path, sample_data):
    data = json.loads(json.dumps(sample_data))
    data["period"] = {"start": 2021, "end": 2030}
    try:
        draft = draft_from_json_text(json.dumps(data, ensure_ascii=False))
    except exchange.DraftFormatError as exc:
        assert "建设期" in str(exc)
        return
    out = tmp_path / "long.docx"
    write_docx(compose(get_program("key_city_2021"), draft), out)
    header = table_rows([t for t in docx.Document(str(out)).tables if t.rows[0].cells[0].text == "序号"][0])[0]
    assert header[4:14] == [f"{y}年" for y in range(2021, 2031)]


# empty figures ------------------------------------------------------------------------------------
def _targets_draft(sample_data, baseline, targets):
    data = json.loads(json.dumps(sample_data))
    data["parts"]["targets"]["indicators"][0].update(baseline=baseline, targets=targets)
    return draft_from_json_text(json.dumps(data, ensure_ascii=False))


def test_empty_figures_print_a_dash_and_reasons_print_as_written(tmp_path, sample_data):
    draft = _targets_draft(sample_data, None, ["不适用", None, "未统计"])
    program = get_program("key_city_2021")
    out = write_docx(compose(program, draft), tmp_path / "dash.docx")
    rows = table_rows([t for t in Book(out).doc.tables if t.rows[0].cells[0].text == "序号"][0])
    assert rows[1][3:7] == ["—", "不适用", "—", "未统计"]
    assert all(cell.strip() for row in rows for cell in row), "an empty cell in the indicator table"


def test_the_dash_is_the_programs_setting(tmp_path, sample_data):
    import dataclasses

    draft = _targets_draft(sample_data, None, [1, 2, None])
    program = get_program("key_city_2021")
    assert program.book["empty_figure"] == "—"
    program = dataclasses.replace(program, book={**program.book, "empty_figure": "／"})
    out = write_docx(compose(program, draft), tmp_path / "slash.docx")
    rows = table_rows([t for t in Book(out).doc.tables if t.rows[0].cells[0].text == "序号"][0])
    assert rows[1][3:7] == ["／", "1", "2", "／"]


def test_a_reason_is_typed_in_a_figure_cell_and_kept_by_the_draft_file(tmp_path, sample_data):
    from desktop_app.core.figures import FigureError, parse_figure, parse_number

    assert parse_figure(" 不适用 ") == "不适用" and parse_figure("未统计") == "未统计"
    assert parse_figure("１２０") == 120 and parse_figure("") is None
    with pytest.raises(FigureError):
        parse_figure("不清楚")
    with pytest.raises(FigureError):
        parse_number("不适用")  # other figures (page counts…) stay numbers only
    draft = _targets_draft(sample_data, "未统计", [None, "不适用", 3])
    path = tmp_path / "reason.json"
    exchange.write_draft_file(draft, path)
    again = read_draft_file(path)
    row = again.part("targets")["indicators"][0]
    assert row["baseline"] == "未统计" and row["targets"] == [None, "不适用", 3]


# 专栏 boxes and GB/T 9704 details -----------------------------------------------------------------
def _custom_book(tmp_path, sample_data, change) -> Book:
    data = json.loads(json.dumps(sample_data))
    change(data)
    draft = draft_from_json_text(json.dumps(data, ensure_ascii=False))
    return Book(write_docx(compose(get_program(draft.program_id), draft), tmp_path / "custom.docx"))


def test_panel_items_hang_after_the_bullet_and_a_box_without_title_has_no_band(tmp_path, sample_data):
    def change(data):
        data["parts"]["measures"]["tasks"][0]["projects"] = [{"title": "", "items": ["无标题专栏的条目"]}]

    result = _custom_book(tmp_path, sample_data, change)
    tbl = next(t for t in result.document.iter(w("tbl")) if "无标题专栏的条目" in text_of(t))
    paras = tbl.findall(".//w:p", NS)
    assert [text_of(p) for p in paras] == ["●无标题专栏的条目"]  # no empty title paragraph
    ind = paras[0].find("w:pPr/w:ind", NS)
    hanging = int(ind.get(w("hanging")))
    assert hanging == 14 * 20  # ● is one full-width character at the 专栏's 14 pt
    assert int(ind.get(w("left"))) == 120 + hanging
    assert tbl.find(".//w:trPr/w:cantSplit", NS) is None  # a long box continues on the next page
    head = result.style("plan-panelhead")
    assert head.find("w:pPr/w:keepNext", NS) is None or head.find("w:pPr/w:keepNext", NS).get(w("val")) in ("0", "false")


def test_quotes_and_bullets_are_set_in_the_chinese_font(book):
    runs = [r for r in book.document.iter(w("r")) if any(ch in text_of(r) for ch in "“”●")]
    assert runs
    for r in runs:
        assert set(text_of(r)) <= set("“”‘’●"), text_of(r)  # marks in runs of their own
        fonts = r.find("w:rPr/w:rFonts", NS)
        assert fonts.get(w("hint")) == "eastAsia"
        assert fonts.get(w("ascii")) == fonts.get(w("eastAsia")) != "Times New Roman"
    # next to digits too: 打造“323+1”先进制造业集群
    assert any("323+1" in text_of(p) for p in book.document.iter(w("p")))


def test_page_numbers_are_songti_digits_and_dashes(book):
    style = next(s for s in book.styles.findall("w:style", NS)
                 if s.find("w:name", NS).get(w("val")) == "页码")
    fonts = style.find("w:rPr/w:rFonts", NS)
    assert {fonts.get(w(k)) for k in ("ascii", "hAnsi", "eastAsia")} == {"宋体"}


def _right_indents(doc_el, texts):
    out = {}
    for p in doc_el.iter(w("p")):
        t = text_of(p)
        if t in texts:
            ind = p.find("w:pPr/w:ind", NS)
            out[t] = int(ind.get(w("right")))
    return out


def test_letter_signer_is_centred_over_the_date_four_characters_in(book):
    from desktop_app.book.layout import text_twips

    right = _right_indents(book.document, {"扬州市人民政府", "2021年3月1日"})
    assert right["2021年3月1日"] == 4 * 320
    centre_date = right["2021年3月1日"] + text_twips("2021年3月1日", 16) / 2
    centre_signer = right["扬州市人民政府"] + text_twips("扬州市人民政府", 16) / 2
    assert abs(centre_date - centre_signer) <= 1


def _keeps_with_next(p_el) -> bool:
    return p_el.find("w:pPr/w:keepNext", NS) is not None


def test_a_signature_takes_what_precedes_it_over_a_page_break(tmp_path, book):
    """GB/T 9704 7.3.5: a signature never stands alone on a page. Under the 绩效目标 table the
    last row (not the rows above it) and the blank line keep with the signer; under the
    信用承诺书 the blank lines and the last paragraph of text do."""
    path = ROOT / "resources" / "samples" / "changzhou_university_2022_sample.json"
    draft = read_draft_file(path)
    form = Book(write_docx(compose(get_program(draft.program_id), draft), tmp_path / "form.docx"))
    body = list(form.document.find("w:body", NS))
    signer_at = next(i for i, el in enumerate(body) if text_of(el).startswith("申报单位（盖章）："))
    table, blank = body[signer_at - 2], body[signer_at - 1]
    assert table.tag == w("tbl") and text_of(blank) == "" and _keeps_with_next(blank)
    rows = table.findall("w:tr", NS)
    assert all(_keeps_with_next(p) for p in rows[-1].iter(w("p")))
    assert not any(_keeps_with_next(p) for row in rows[1:-1] for p in row.iter(w("p")))

    body = list(book.document.find("w:body", NS))
    signer_at = next(i for i, el in enumerate(body) if text_of(el) == "扬州市人民政府")
    last_text = max(i for i in range(signer_at) if text_of(body[i]).strip())
    assert text_of(body[last_text]) == LETTER[-1]
    assert all(_keeps_with_next(el) for el in body[last_text:signer_at + 1])  # … and the signer with its date
    assert not _keeps_with_next(body[last_text - 1])  # the paragraphs above it flow as they will


def test_application_form_is_signed_like_the_letter_and_numbered(tmp_path):
    from desktop_app.book.layout import text_twips

    path = ROOT / "resources" / "samples" / "changzhou_university_2022_sample.json"
    draft = read_draft_file(path)
    result = Book(write_docx(compose(get_program(draft.program_id), draft), tmp_path / "form.docx"))
    org = draft.applicant["organization"]
    signer, date = f"申报单位（盖章）：{org}", None
    paras = [text_of(p) for p in result.document.iter(w("p"))]
    date = paras[paras.index(signer) + 1]
    right = _right_indents(result.document, {signer, date})
    assert right[date] == 4 * 320
    assert abs(right[signer] + text_twips(signer, 16) / 2 - right[date] - text_twips(date, 16) / 2) <= 1 \
        or right[signer] == 0  # a signer wider than the room to its left starts at the margin
    # the form's section restarts page numbers and carries footers
    sects = result.document.findall(".//w:sectPr", NS)
    starts = [s.find("w:pgNumType", NS) for s in sects]
    assert sum(1 for s in starts if s is not None and s.get(w("start")) == "1") == 2  # form and plan
