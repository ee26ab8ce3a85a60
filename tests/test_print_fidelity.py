"""What prints is what was written: every book exported through the program's own PDF
route (export_docx → convert_to_pdf, LibreOffice) prints every character of its Book,
in order — compared with pdftotext, character for character (print_fidelity.py says
what is not compared). One LibreOffice run per book: the three bundled samples, the
benchmark's large draft, and one book of generated paragraphs that put each line-end
mark at columns 26–29 of a full line, alone and in pairs."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from print_fidelity import book_pieces, compare_pdf_text, pdf_raw_text, squeeze

from desktop_app.book.compose import compose
from desktop_app.book.docx_writer import write_docx
from desktop_app.book.layout import header_atoms
from desktop_app.book.model import Book, Panel, Paragraph, Section, Table, Title
from desktop_app.book.pdf import convert_to_pdf, find_soffice
from desktop_app.core.exchange import read_draft_file
from desktop_app.core.program import get_program

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "resources" / "samples").glob("*.json"))

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(find_soffice() is None, reason="LibreOffice is not installed"),
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed"),
]

#: Marks that may not begin a line, so LibreOffice, Word and WPS all treat them at a line end.
LINE_END_MARKS = "，、。；：？！”’）》」"
_FILL = "专利转化运用工作推进知识产权强市建设提升创新能力服务产业发展"


def _fill(n: int, start: int) -> str:
    return (_FILL * 4)[start % len(_FILL):][:n]


def generated_paragraphs() -> list[str]:
    """Body paragraphs (indented two characters: the first line holds 26) whose second
    line has a mark, or a pair of marks, ending at column 26–29."""
    out = []
    k = 0
    for col in (26, 27, 28, 29):
        for mark in LINE_END_MARKS:
            out.append(_fill(26, k) + _fill(col - 1, k + 7) + mark + _fill(12, k + 3) + "。")
            k += 1
        for a in LINE_END_MARKS:
            for b in LINE_END_MARKS:
                if col >= 27:
                    out.append(_fill(26, k) + _fill(col - 2, k + 5) + a + b + _fill(9, k + 2) + "。")
                    k += 1
    return out


PANEL_TITLE = "专栏：跨页测试"


def _print(book: Book, out: Path) -> Path:
    docx = write_docx(book, out.with_suffix(".docx"))
    return convert_to_pdf(docx, out.with_suffix(".pdf"))


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    paragraphs = generated_paragraphs()
    blocks = [Title("标点测试"), *map(Paragraph, paragraphs)]
    # a 专栏 longer than what is left of its page, after a paragraph ending mid-page
    blocks.insert(17, Panel(PANEL_TITLE, tuple(f"第{n}项重点工程：" + _fill(40, n) for n in range(1, 25))))
    book = Book("标点测试", [Section("plan", "标点测试", blocks, restart_numbering=True)])
    pdf = _print(book, tmp_path_factory.mktemp("marks") / "marks")
    return book, pdf


def _assert_prints_everything(book: Book, pdf: Path) -> None:
    bad = compare_pdf_text(book_pieces(book), pdf_raw_text(pdf))
    assert not bad, f"{len(bad)} pieces print differently:\n" + "\n".join(map(str, bad[:20]))


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> dict[str, tuple[Book, Path]]:
    """Each bundled sample's Book and its PDF, printed once for the module."""
    out = {}
    for sample in SAMPLES:
        draft = read_draft_file(sample)
        book = compose(get_program(draft.program_id), draft)
        out[sample.stem] = book, _print(book, tmp_path_factory.mktemp("sample") / sample.stem)
    return out


@pytest.mark.parametrize("sample", [p.stem for p in SAMPLES])
def test_sample_prints_every_character(sample, samples):
    _assert_prints_everything(*samples[sample])


@pytest.mark.parametrize("sample", [p.stem for p in SAMPLES])
def test_table_headers_print_whole_words(sample, samples):
    """序号, 单位, 2021年, 年度 … each on one line of its header cell; 基期值（2020年) broken
    only before the bracket, 指南要求 only between 指南 and 要求 (layout.header_atoms)."""
    book, pdf = samples[sample]
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True,
                          text=True, encoding="utf-8").stdout
    lines = [re.sub(r"\s", "", ln) for ln in text.splitlines()]
    broken = []
    tables = [b for b in book.blocks() if isinstance(b, Table) and b.rows]
    assert tables
    for table in tables:
        # the header as printed: the lines after the caption, up to the first row's second cell
        start = lines.index(table.caption) + 1
        end = next(i for i in range(start, len(lines)) if squeeze(table.rows[0][1])[:4] in lines[i])
        header = lines[start:end + 1]
        for column in table.columns:
            for word in header_atoms(column.header):
                if word and not any(word in line for line in header):
                    broken.append(word)
    assert not broken, f"header words broken over lines: {broken}"


def test_large_draft_prints_every_character(tmp_path):
    from bench.large_draft import make_large_draft

    draft = make_large_draft()
    book = compose(get_program(draft.program_id), draft)
    _assert_prints_everything(book, _print(book, tmp_path / "large"))


def test_line_end_marks_at_columns_26_to_29_all_print(generated):
    book, pdf = generated
    _assert_prints_everything(book, pdf)


def test_a_long_panel_continues_on_the_next_page(generated):
    """The box starts right after the paragraph before it and runs on over the page break,
    instead of leaving the rest of that page empty."""
    book, pdf = generated
    pages = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True,
                           text=True, encoding="utf-8").stdout.split("\f")
    blocks = book.sections[0].blocks
    at = next(i for i, b in enumerate(blocks) if isinstance(b, Panel))
    before, panel = blocks[at - 1], blocks[at]
    start = next(i for i, p in enumerate(pages) if PANEL_TITLE in p)
    assert squeeze(before.text)[-12:] in squeeze(pages[start]), "the box moved to a page of its own"
    last = next(i for i, p in enumerate(pages) if f"第{len(panel.items)}项重点工程" in squeeze(p))
    assert last > start


def test_a_full_line_still_holds_28_characters(generated):
    """The −0.25 pt spacing's purpose survives: full body lines hold 28 characters, none more
    (a mark that would be the 29th takes the character before it to the next line)."""
    _, pdf = generated
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True,
                          text=True, encoding="utf-8").stdout
    body = [ln.strip() for ln in text.splitlines() if ln.strip() and "—" not in ln and ln.strip() != "标点测试"
            and "专栏" not in ln and "重点工程" not in ln and not ln.startswith("●")]
    widths = [len(ln) for ln in body]
    assert max(widths) == 28, sorted(set(widths))
    assert widths.count(28) > len(generated_paragraphs()) // 2


# GB/T 9704 details as printed ------------------------------------------------------------------
def _lines_with_boxes(pdf: Path) -> list[tuple[int, str, float, float]]:
    """(page, text without spaces, xMin, xMax) of every printed line (pdftotext -bbox-layout)."""
    import xml.etree.ElementTree as ET

    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True,
                         text=True, encoding="utf-8").stdout
    ns = "{http://www.w3.org/1999/xhtml}"
    out = []
    for n, page in enumerate(ET.fromstring(xml).iter(f"{ns}page"), 1):
        for line in page.iter(f"{ns}line"):
            words = [w.text or "" for w in line.iter(f"{ns}word")]
            out.append((n, "".join(words), float(line.get("xMin")), float(line.get("xMax"))))
    return out


@pytest.mark.parametrize("sample, signer", [("yangzhou_2021_sample", "扬州市人民政府"),
                                            ("changzhou_university_2022_sample", "申报单位（盖章）：常州大学")])
def test_signer_centred_over_the_date_four_characters_from_the_right(sample, signer, samples):
    book, pdf = samples[sample]
    date = next(b.date for b in book.blocks() if hasattr(b, "date")) if sample.startswith("yangzhou") else \
        next(b.text for b in book.blocks() if isinstance(b, Paragraph) and b.role == "date")
    lines = _lines_with_boxes(pdf)
    right_edge = (210 - 26) / 25.4 * 72  # the type area's right edge, points
    page, _, d0, d1 = next(ln for ln in lines if ln[1] == squeeze(date))
    _, _, s0, s1 = next(ln for ln in lines if ln[1] == squeeze(signer) and ln[0] == page)
    assert abs(right_edge - d1 - 4 * 16) <= 4, f"the date ends {right_edge - d1:.1f} pt from the right"
    assert abs((s0 + s1) / 2 - (d0 + d1) / 2) <= 4 or s0 < 100, "the signer is not centred over the date"


@pytest.mark.parametrize("sample, signer", [("yangzhou_2021_sample", "扬州市人民政府"),
                                            ("changzhou_university_2022_sample", "申报单位（盖章）：常州大学")])
def test_a_signature_never_stands_alone_on_its_page(sample, signer, samples):
    """The 常州 项目申报书's signature once fell alone onto the form's second page, 3 mm short
    of room under the 绩效目标 table: now the table's last row goes over with it."""
    _, pdf = samples[sample]
    lines = _lines_with_boxes(pdf)
    page = next(n for n, text, *_ in lines if text == squeeze(signer))
    others = [text for n, text, *_ in lines
              if n == page and text != squeeze(signer) and not re.fullmatch(r"(—\d+—|\d{4}年\d+月\d+日)", text)]
    assert others, f"page {page} holds only the signature"


def test_quotes_bullets_and_page_numbers_print_in_chinese_faces(samples):
    import os
    import xml.etree.ElementTree as ET

    from desktop_app.book import pdf as pdfmod

    _, pdf = samples["yangzhou_2021_sample"]
    root = ET.fromstring(subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", "-q", str(pdf)], check=True,
                                        capture_output=True, text=True, encoding="utf-8").stdout)
    fonts = {s.get("id"): s.get("family").split("+", 1)[-1] for s in root.iter("fontspec")}
    pieces = [(fonts[t.get("font")], "".join(t.itertext())) for t in root.iter("text")]
    latin = [(f, t) for f, t in pieces if "Liberation" in f or "Times" in f]
    assert not [t for _, t in latin if any(ch in t for ch in "“”‘’●")], "quotes or ● printed half width"
    env = dict(os.environ, FONTCONFIG_FILE=str(pdfmod.fonts_conf()))
    song = subprocess.run(["fc-match", "-f", "%{family[0]}", "宋体:lang=zh-cn"], env=env, check=True,
                          capture_output=True, text=True).stdout
    footers = [f for f, t in pieces if re.fullmatch(r"—\s*\d+\s*—", t.strip())]
    assert footers
    key = re.sub(r"[^a-z]", "", song.lower())[:9]  # notoserif…
    assert all(key in re.sub(r"[^a-z]", "", f.lower()) for f in footers), (song, set(footers))
