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
from desktop_app.book.model import Book, Paragraph, Section, Table, Title
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


def _print(book: Book, out: Path) -> Path:
    docx = write_docx(book, out.with_suffix(".docx"))
    return convert_to_pdf(docx, out.with_suffix(".pdf"))


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    paragraphs = generated_paragraphs()
    book = Book("标点测试", [Section("plan", "标点测试", [Title("标点测试"), *map(Paragraph, paragraphs)],
                                   restart_numbering=True)])
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
    """序号, 单位, 2021年, 年度, 牵头部门 … each on one line of its header cell; 基期值（2020年）
    on two at most, broken only before the bracket."""
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
            for word in re.split(r"(?=（)", column.header):
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


def test_a_full_line_still_holds_28_characters(generated):
    """The −0.25 pt spacing's purpose survives: full body lines hold 28 characters, none more
    (a mark that would be the 29th takes the character before it to the next line)."""
    _, pdf = generated
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True,
                          text=True, encoding="utf-8").stdout
    body = [ln.strip() for ln in text.splitlines() if ln.strip() and "—" not in ln and ln.strip() != "标点测试"]
    widths = [len(ln) for ln in body]
    assert max(widths) == 28, sorted(set(widths))
    assert widths.count(28) > len(generated_paragraphs()) // 2
