"""Local-rule settings (版式设置) reach the .docx; bad settings fall back to GB/T 9704."""
from __future__ import annotations

import zipfile

from desktop_app.book.export import export_docx
from desktop_app.book.layout import Layout, layout_from_settings


def _styles(path):
    return zipfile.ZipFile(path).read("word/styles.xml").decode()


def _style(xml, style_id):
    part = xml[xml.index(f'w:styleId="{style_id}"'):]
    return part[: part.index("</w:style>")]


def test_defaults_are_gb9704():
    lay = layout_from_settings({})
    assert lay == Layout()
    assert lay.fonts.body == "仿宋_GB2312" and not lay.bold_rank3 and not lay.mirror_margins


def test_unknown_values_fall_back():
    lay = layout_from_settings({"font_body": "Comic Sans", "bold_rank3": "yes", "extra": 1})
    assert lay.fonts.body == "仿宋_GB2312" and lay.bold_rank3 is False


def test_settings_reach_styles_and_settings_xml(sample_draft, tmp_path):
    lay = layout_from_settings({"font_body": "仿宋", "font_kai": "楷体", "bold_rank3": True, "mirror_margins": True})
    out = export_docx(sample_draft, tmp_path / "b.docx", lay)
    styles = _styles(out)
    assert 'w:eastAsia="仿宋"' in _style(styles, "Normal")
    assert 'w:eastAsia="楷体"' in _style(styles, "plan-h2")
    assert '<w:b w:val="1"/>' in _style(styles, "plan-h3")
    assert '<w:b w:val="0"/>' in _style(styles, "plan-h1")  # 黑体 is never bold
    settings = zipfile.ZipFile(out).read("word/settings.xml").decode()
    assert "<w:mirrorMargins/>" in settings
    # mirrorMargins sits before evenAndOddHeaders, as CT_Settings orders them
    assert settings.index("mirrorMargins") < settings.index("evenAndOddHeaders")


def test_indicator_notes_become_an_attachment(sample_draft, tmp_path):
    from docx import Document

    out = export_docx(sample_draft, tmp_path / "b.docx")
    paras = [p.text for p in Document(str(out)).paragraphs]
    label = paras.index("附件1")
    assert paras[label + 2] == "工作目标涉及指标说明"
    notes = [p for p in paras[label:] if p.startswith(("1.接受高校院所", "2.参与专利转移转化"))]
    assert len(notes) == 2 and all(n.endswith("。") for n in notes)
    # and the plan lists it after the body
    assert any(p.startswith("附件：1.工作目标涉及指标说明") for p in paras)


def test_headings_and_table_titles_keep_with_next(sample_draft, tmp_path):
    out = export_docx(sample_draft, tmp_path / "b.docx")
    styles = _styles(out)
    for style_id in ("plan-h1", "plan-h2", "plan-h3", "plan-h4", "plan-caption"):
        assert "<w:keepNext/>" in _style(styles, style_id), style_id
    assert "<w:keepNext/>" not in _style(styles, "Normal")


def test_tables_cells_fangsong_numbers_right_and_within_type_area(sample_draft, tmp_path):
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    out = export_docx(sample_draft, tmp_path / "b.docx")
    styles = _styles(out)
    assert 'w:eastAsia="仿宋_GB2312"' in _style(styles, "plan-cell")
    doc = Document(str(out))
    indicator = next(t for t in doc.tables if t.rows[0].cells[1].text == "指标名称")
    baseline = indicator.rows[1].cells[3]
    assert baseline.text == "192"
    assert baseline.paragraphs[0].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    for width in __import__("re").findall(r'<w:tblW w:w="(\d+)" w:type="dxa"/>', xml):
        assert int(width) <= 11906 - 1587 - 1474  # the 156 mm type area


def test_contents_field_and_update_on_open(sample_draft, tmp_path):
    out = export_docx(sample_draft, tmp_path / "b.docx")
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    assert 'TOC \\o "1-2" \\h \\z \\u' in xml
    # the field's cached result already lists the headings, before any update
    toc = xml[xml.index("TOC \\o"): xml.index('w:fldCharType="end"', xml.index("TOC \\o"))]
    assert "一、建设基础" in toc and "五、进度安排" in toc and "工作目标涉及指标说明" in toc
    settings = zipfile.ZipFile(out).read("word/settings.xml").decode()
    assert '<w:updateFields w:val="true"/>' in settings
