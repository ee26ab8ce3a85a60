"""The exported .docx's 目录 carries page numbers from LibreOffice's layout of the same file
(book/toc_pages.py), so Word/WPS print a right 目录 even when the officer declines to
update fields; and `export --pdf` records and prints each part's pages."""
from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from desktop_app.book.pdf import find_soffice, find_uno_python

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "samples" / "yangzhou_2021_sample.json"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _needs_office():
    soffice = find_soffice()
    if soffice is None or find_uno_python(soffice) is None:
        pytest.skip("needs LibreOffice and its Python (python3-uno)")


def toc_result(docx: Path) -> list[tuple[str, str | None]]:
    """The TOC field's cached result as Word shows it without updating: (entry, number after a tab)."""
    from lxml import etree

    from desktop_app.book.toc_pages import _toc_paragraphs

    root = etree.fromstring(zipfile.ZipFile(docx).read("word/document.xml"))
    found = []
    for p in _toc_paragraphs(root.find(f"{W}body")):
        parts, after_tab = [], None
        for r in p.iter(f"{W}r"):
            for child in r:
                if child.tag == f"{W}tab":
                    after_tab = ""
                elif child.tag == f"{W}t":
                    if after_tab is None:
                        parts.append(child.text or "")
                    else:
                        after_tab += child.text or ""
        if "".join(parts).strip():
            found.append(("".join(parts), after_tab))
    return found


def test_fill_toc_xml_numbers_the_entries_it_finds():
    from desktop_app.book.toc_pages import fill_toc_xml

    xml = (f'<w:document xmlns:w="{W[1:-1]}"><w:body>'
           '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> TOC \\o "1-2" </w:instrText></w:r>'
           '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>一、甲</w:t></w:r></w:p>'
           '<w:p><w:r><w:t>1.乙</w:t></w:r></w:p>'
           '<w:p><w:r><w:t>二、丙</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
           '<w:p><w:r><w:t>正文 一、甲</w:t></w:r></w:p></w:body></w:document>').encode()
    out, filled = fill_toc_xml(xml, [("一、甲", "1"), ("1.乙", "1"), ("二、丙", "12")])
    assert filled == 3
    from lxml import etree

    body = etree.fromstring(out).find(f"{W}body")
    paragraphs = list(body)
    assert ["".join(t.text for t in p.iter(f"{W}t")) for p in paragraphs] == ["一、甲1", "1.乙1", "二、丙12", "正文 一、甲"]
    assert all(p.find(f".//{W}tab") is not None for p in paragraphs[:3])
    # the number comes before the field's end mark, so it stays part of the field's result
    last = list(paragraphs[2].iter(f"{W}r"))
    assert last[-1].find(f"{W}fldChar") is not None and last[-2].findtext(f"{W}t") == "12"
    # numbered entries are not numbered twice
    assert fill_toc_xml(out, [("一、甲", "1")])[1] == 0


@pytest.mark.libreoffice
def test_exported_docx_toc_carries_the_pdfs_page_numbers(tmp_path):
    _needs_office()
    from desktop_app.book.toc_pages import export_docx_with_pages
    from desktop_app.core.exchange import read_draft_file

    docx, layout = export_docx_with_pages(read_draft_file(SAMPLE), tmp_path / "书.docx", pdf=tmp_path / "书.pdf")
    entries = toc_result(docx)
    assert entries and all(number and number.isdigit() for _t, number in entries), entries
    assert [(re.sub(r"\s", "", t), n) for t, n in entries] == [(re.sub(r"\s", "", t), n) for t, n in layout.toc]
    # the numbers are the ones printed in the PDF's 目录 (pdftotext of its 目录 page)
    toc_page = subprocess.run(["pdftotext", "-layout", "-f", str(layout.starts[1]), "-l", str(layout.starts[2] - 1),
                               str(tmp_path / "书.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    printed = re.findall(r"^\s*(\S.*?)[ .…·]{2,}(\d+)\s*$", toc_page, re.M)
    assert printed and [n for _t, n in printed] == [n for _t, n in entries]
    # and a plain conversion, which never updates fields (as Word when the officer says no),
    # prints them too
    plain = tmp_path / "plain"
    plain.mkdir()
    subprocess.run([str(find_soffice()), f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(plain), str(docx)], check=True, capture_output=True,
                   timeout=300, env=_env(tmp_path))
    text = subprocess.run(["pdftotext", "-layout", "-l", "6", str(plain / "书.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert re.search(r"1\.概述[ .…·]{2,}1\s*$", text, re.M), text[:2000]


def _env(tmp_path: Path) -> dict:
    import os

    tmp = tmp_path / "lotmp"
    tmp.mkdir(exist_ok=True)
    return dict(os.environ, TMPDIR=str(tmp))


@pytest.mark.libreoffice
def test_cli_export_pdf_records_and_prints_each_parts_pages(tmp_path, capsys):
    _needs_office()
    from desktop_app.book.bind_sheet import build_bind_sheet, load_pdf_pages
    from desktop_app.cli import main
    from desktop_app.core.exchange import read_draft_file
    from desktop_app.core.program import get_program

    out = tmp_path / "book.docx"
    assert main(["export", "--json", str(SAMPLE), "--out", str(out), "--pdf"]) == 0
    printed = capsys.readouterr().out
    assert "共 36 页" in printed and "封面 第 1—2 页" in printed, printed
    draft = read_draft_file(SAMPLE)
    from desktop_app import paths
    from desktop_app.core.store import DraftStore

    library = DraftStore(paths.default_db_path())  # the pages are kept in the library, with the draft's id
    sheet = build_bind_sheet(get_program(draft.program_id), draft, load_pdf_pages(draft, library))
    library.close()
    assert all(p.pages for p in sheet.parts) and sheet.parts[-1].pages[1] == 36
    assert all(n for _t, n in toc_result(out))  # the .docx's 目录 is numbered too
