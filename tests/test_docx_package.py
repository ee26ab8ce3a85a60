"""The exported .docx is a clean file of today: a pure-Python OOXML validator (openxml-audit)
finds 0 errors for Office 2016 in every kind of book, and the package carries the book's own
properties and fonts, nothing left over from python-docx's 2013 template."""
from __future__ import annotations

import datetime
import zipfile
from pathlib import Path

import openxml_audit  # the test extra (pyproject): a pure-Python OOXML validator
import pytest
from lxml import etree

from desktop_app.book.compose import compose
from desktop_app.book.docx_writer import write_docx
from desktop_app.book.layout import Layout, layout_from_settings
from desktop_app.core.draft import new_draft
from desktop_app.core.exchange import read_draft_file
from desktop_app.core.program import get_program

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "resources" / "samples").glob("*.json"))
PROGRAMS = sorted(p.name for p in (ROOT / "templates").iterdir() if (p / "program.yaml").is_file())
NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
      "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
      "dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/",
      "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"}


def _validate(path: Path) -> None:
    validator = openxml_audit.OpenXmlValidator(file_format=openxml_audit.FileFormat.OFFICE_2016)
    result = validator.validate(str(path))
    assert result.error_count == 0, "\n".join(str(e) for e in result.errors[:20])


def _export(draft, out: Path, layout: Layout | None = None) -> Path:
    return write_docx(compose(get_program(draft.program_id), draft), out, layout)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_sample_books_validate_for_office_2016(sample, tmp_path):
    _validate(_export(read_draft_file(sample), tmp_path / "book.docx"))


@pytest.mark.parametrize("program_id", PROGRAMS)
def test_blank_books_of_every_program_validate(program_id, tmp_path):
    draft = new_draft(get_program(program_id), organization="镇江市人民政府", city="镇江市")
    _validate(_export(draft, tmp_path / "blank.docx"))


def test_large_book_with_other_fonts_validates(tmp_path):
    from bench.large_draft import make_large_draft

    layout = layout_from_settings({"font_body": "仿宋", "font_kai": "楷体", "bold_rank3": True,
                                   "mirror_margins": True})
    _validate(_export(make_large_draft(), tmp_path / "large.docx", layout))


def test_properties_name_the_book_and_the_applicant_at_export_time(tmp_path):
    before = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    path = _export(read_draft_file(SAMPLES[-1]), tmp_path / "book.docx")  # yangzhou_2021
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        core = etree.fromstring(z.read("docProps/core.xml"))
        app = etree.fromstring(z.read("docProps/app.xml"))
        fonts = etree.fromstring(z.read("word/fontTable.xml"))
        types = z.read("[Content_Types].xml").decode()
    assert core.findtext("dc:title", namespaces=NS) == "扬州市专利转化重点城市建设方案"
    assert core.findtext("dc:creator", namespaces=NS) == "扬州市人民政府"
    assert app.findtext("ep:Company", namespaces=NS) == "扬州市人民政府"
    assert "Macintosh" not in app.findtext("ep:Application", namespaces=NS)
    for tag in ("dcterms:created", "dcterms:modified"):
        stamp = datetime.datetime.fromisoformat(core.findtext(tag, namespaces=NS).replace("Z", "+00:00"))
        assert before <= stamp <= datetime.datetime.now(datetime.timezone.utc), (tag, stamp)
    # no blank thumbnail, no stylesWithEffects.xml that lists none of the book's styles
    assert not any("thumbnail" in n or "stylesWithEffects" in n or n.startswith("customXml") for n in names), names
    assert "stylesWithEffects" not in types and "thumbnail" not in types
    listed = {f.get(f"{{{NS['w']}}}name") for f in fonts.findall("w:font", NS)}
    assert {"仿宋_GB2312", "楷体_GB2312", "黑体", "方正小标宋简体", "宋体", "Times New Roman"} <= listed
    assert not any(name.startswith("ＭＳ") for name in listed)


def test_font_table_follows_the_layout_fonts(tmp_path):
    layout = layout_from_settings({"font_body": "仿宋", "font_title": "华文中宋"})
    path = _export(read_draft_file(SAMPLES[-1]), tmp_path / "book.docx", layout)
    with zipfile.ZipFile(path) as z:
        fonts = etree.fromstring(z.read("word/fontTable.xml"))
        settings = z.read("word/settings.xml").decode()
    listed = {f.get(f"{{{NS['w']}}}name") for f in fonts.findall("w:font", NS)}
    assert {"仿宋", "华文中宋"} <= listed and "仿宋_GB2312" not in listed
    assert 'w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"' in settings
