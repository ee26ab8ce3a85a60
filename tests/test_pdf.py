"""The book as PDF through LibreOffice (desktop_app/book/pdf.py), read back with poppler-utils:
pdftotext -layout for page numbers and the 目录, pdffonts for embedding, pdftohtml -xml
for which face each piece of text was set in."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from desktop_app.book import pdf as pdfmod
from desktop_app.book.pdf import PdfError, convert_to_pdf, find_soffice

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "samples" / "yangzhou_2021_sample.json"
FOOTER = re.compile(r"^—\s*(\d+)\s*—$")

needs_lo = pytest.mark.skipif(find_soffice() is None, reason="LibreOffice is not installed")
needs_poppler = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("pdftotext", "pdffonts", "pdftohtml", "pdfinfo")),
    reason="poppler-utils is not installed")


# reading a PDF back ----------------------------------------------------------------------
def _run(*cmd: str) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True, encoding="utf-8").stdout


def page_texts(pdf: Path) -> list[str]:
    """One string per page (pdftotext separates pages with form feeds)."""
    pages = _run("pdftotext", "-layout", str(pdf), "-").split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return pages


def page_count(pdf: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", _run("pdfinfo", str(pdf)), re.M).group(1))


def lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


def footer_number(text: str) -> int | None:
    found = lines(text)
    m = FOOTER.match(found[-1]) if found else None
    return int(m.group(1)) if m else None


def text_fonts(pdf: Path) -> list[tuple[int, str, str]]:
    """(page, font name without the subset tag, text) for every text piece, via pdftohtml -xml."""
    root = ET.fromstring(_run("pdftohtml", "-xml", "-i", "-stdout", "-q", str(pdf)))
    fonts = {s.get("id"): s.get("family").split("+", 1)[-1] for s in root.iter("fontspec")}
    out = []
    for page in root.iter("page"):
        number = int(page.get("number"))
        for t in page.iter("text"):
            out.append((number, fonts[t.get("font")], "".join(t.itertext())))
    return out


def expected_face(name: str) -> tuple[str, str]:
    """(family, PostScript name) fontconfig gives LibreOffice for `name` under our fonts.conf."""
    env = dict(os.environ, FONTCONFIG_FILE=str(pdfmod.fonts_conf()))
    out = subprocess.run(["fc-match", "-f", "%{family[0]}|%{postscriptname}", f"{name}:lang=zh-cn"],
                         env=env, check=True, capture_output=True, text=True).stdout
    family, ps = out.split("|", 1)
    return family, ps


def _key(name: str) -> str:
    # NotoSerifCJKsc-Bold (fontconfig) and NotoSerifCJKjp (the shared CFF in the PDF) are one face
    base = re.sub(r"[^0-9a-z]", "", name.split("-", 1)[0].lower())
    return re.sub(r"cjk(sc|tc|jp|kr|hk)$", "cjk", base)


def same_face(pdf_font: str, expected: tuple[str, str]) -> bool:
    a = _key(pdf_font)
    return any(a and (a in _key(e) or _key(e) in a) for e in expected)


# the sample book, converted once ------------------------------------------------------------
@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory) -> Path:
    from desktop_app.book.export import export_docx
    from desktop_app.core.exchange import read_draft_file

    out = tmp_path_factory.mktemp("pdf") / "扬州 申报书.docx"  # a space and Chinese in the name
    return export_docx(read_draft_file(SAMPLE), out)


@pytest.fixture(scope="module")
def sample_pdf(sample_docx) -> Path:
    if find_soffice() is None:
        pytest.skip("LibreOffice is not installed")
    steps: list[str] = []
    pdf = convert_to_pdf(sample_docx, sample_docx.with_suffix(".pdf"), progress=steps.append)
    assert steps and steps[-1] == "PDF 已导出。", steps
    return pdf


@pytest.fixture(scope="module")
def pages(sample_pdf) -> list[str]:
    return page_texts(sample_pdf)


def plan_start(pages: list[str]) -> int:
    """0-based index of the page numbered — 1 —."""
    return next(i for i, t in enumerate(pages) if footer_number(t) == 1)


# page numbers, blank pages ---------------------------------------------------------------------
@pytest.mark.libreoffice
@needs_lo
@needs_poppler
def test_page_numbers_run_on_and_letter_and_cover_carry_none(sample_pdf, pages):
    assert len(pages) == page_count(sample_pdf)
    numbered = [(i, footer_number(t)) for i, t in enumerate(pages) if footer_number(t) is not None]
    assert numbered, "no page carries a — N — footer"
    first = plan_start(pages)
    assert numbered[0] == (first, 1)
    values = [n for _, n in numbered]
    assert values == sorted(set(values)), f"page numbers do not increase: {values}"
    # numbers follow the physical pages: the blank pages odd-page breaks insert count too
    for index, n in numbered:
        assert n == index - first + 1, f"PDF page {index + 1} carries — {n} —"
    assert footer_number(pages[0]) is None, "the cover carries a page number"
    letter = next(i for i, t in enumerate(pages) if lines(t) and lines(t)[0] == "信用承诺书")
    assert footer_number(pages[letter]) is None, "the 信用承诺书 page carries a page number"
    assert letter < first


@pytest.mark.libreoffice
@needs_lo
@needs_poppler
def test_blank_pages_put_letter_and_plan_on_right_hand_pages(pages):
    blank = [i + 1 for i, t in enumerate(pages) if not t.strip()]
    assert blank, "no blank pages: the PDF export dropped them, duplex printing would shift"
    letter = next(i for i, t in enumerate(pages) if lines(t) and lines(t)[0] == "信用承诺书")
    first = plan_start(pages)
    assert (letter + 1) % 2 == 1, f"信用承诺书 starts on PDF page {letter + 1}"
    assert (first + 1) % 2 == 1, f"the plan starts on PDF page {first + 1}, a left-hand page"
    attachment = next((i for i, t in enumerate(pages) if lines(t) and re.fullmatch(r"附件\s*1", lines(t)[0])), None)
    if attachment is not None:
        assert (attachment + 1) % 2 == 1, f"附件1 starts on PDF page {attachment + 1}"


# fonts ------------------------------------------------------------------------------------------
@pytest.mark.libreoffice
@needs_lo
@needs_poppler
def test_fonts_embedded(sample_pdf):
    rows = _run("pdffonts", str(sample_pdf)).splitlines()[2:]
    assert rows
    for row in rows:
        # columns: name type encoding emb sub uni object-id gen; type may hold spaces
        emb = row.split()[-5]
        assert emb == "yes", f"not embedded: {row}"


@pytest.mark.libreoffice
@needs_lo
@needs_poppler
def test_body_is_fangsong_standin_and_roles_keep_their_faces(sample_pdf, pages):
    fang = expected_face("仿宋_GB2312")
    assert "Sans" not in fang[0] and "Hei" not in fang[0], (
        f"仿宋_GB2312 maps to {fang[0]}: install the 仿宋 stand-in (texlive-lang-chinese, FandolFang)")
    pieces = text_fonts(sample_pdf)
    cjk = {}
    for _, font, text in pieces:
        cjk[font] = cjk.get(font, 0) + sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    main_font = max(cjk, key=cjk.get)
    assert same_face(main_font, fang), f"most text is set in {main_font}, not the 仿宋 stand-in {fang}"
    assert "Sans" not in main_font

    def font_of(predicate) -> str:
        return next(font for page, font, text in pieces if predicate(page, text.strip()))

    first = plan_start(pages) + 1  # pdftohtml counts pages from 1
    letter_body = font_of(lambda p, t: t.startswith("我市已知晓"))
    assert same_face(letter_body, fang), f"信用承诺书 body in {letter_body}"
    title = font_of(lambda p, t: t == "信用承诺书")
    assert same_face(title, expected_face("方正小标宋简体")), f"title in {title}"
    assert "Sans" not in title
    h1 = font_of(lambda p, t: p >= first and t.startswith("一、"))
    assert same_face(h1, expected_face("黑体")), f"一、 heading in {h1}"
    h2 = font_of(lambda p, t: p >= first and t.startswith("（一）"))
    assert same_face(h2, expected_face("楷体_GB2312")), f"（一） heading in {h2}"
    assert not same_face(h2, fang) and not same_face(h1, fang)


# 目录 -----------------------------------------------------------------------------------------
def _has_toc_field(docx: Path) -> bool:
    with zipfile.ZipFile(docx) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    return any("TOC" in m for m in re.findall(r"<w:instrText[^>]*>([^<]*)</w:instrText>", xml))


LEADER = re.compile(r"(\.{3,}|…{2,}|·{3,}|\s{3,})\s*(\d+)$")


def toc_entries(pages: list[str]) -> list[tuple[str, int | None]]:
    """(entry text, page number or None) from the 目录 pages; a wrapped entry is joined up.

    The 目录 is the page titled 目录 plus the pages right after it that are mostly
    dot-leader lines."""
    start = next(i for i, t in enumerate(pages) if any(re.fullmatch(r"目\s*录", ln) for ln in lines(t)))
    toc_pages = [pages[start]]
    for text in pages[start + 1:]:
        body = [ln for ln in lines(text) if not FOOTER.match(ln)]
        if not body or sum(bool(LEADER.search(ln)) for ln in body) * 2 < len(body):
            break
        toc_pages.append(text)
    entries: list[tuple[str, int | None]] = []
    pending = ""
    for text in toc_pages:
        for ln in lines(text):
            if re.fullmatch(r"目\s*录", ln) or FOOTER.match(ln):
                continue
            pending += ln
            m = LEADER.search(pending)
            if m:
                entries.append((re.sub(r"[\s.…·]+$", "", pending[:m.start()]), int(m.group(2))))
                pending = ""
    if pending:
        entries.append((pending[:80], None))
    return entries


@pytest.mark.libreoffice
@needs_lo
@needs_poppler
def test_toc_lines_end_in_page_numbers_that_match_the_headings(sample_docx, pages):
    if not _has_toc_field(sample_docx):
        pytest.skip("the book has no TOC field yet")
    entries = toc_entries(pages)
    assert len(entries) >= 3, entries
    unnumbered = [text for text, n in entries if n is None]
    assert not unnumbered, f"目录 lines without page numbers (TOC not updated): {unnumbered}"
    by_number = {footer_number(t): re.sub(r"\s+", "", t) for t in pages if footer_number(t) is not None}
    for text, n in entries:
        assert n in by_number, f"目录 says {text} is on page {n}, which does not exist"
        assert re.sub(r"\s+", "", text) in by_number[n], f"目录 says {text} is on page {n}; it is not there"


# the fallback and the failures ---------------------------------------------------------------
@pytest.mark.libreoffice
@needs_lo
@needs_poppler
def test_without_uno_python_plain_convert_still_makes_the_pdf(sample_docx, tmp_path, monkeypatch):
    monkeypatch.setattr(pdfmod, "find_uno_python", lambda soffice: None)
    steps: list[str] = []
    out = convert_to_pdf(sample_docx, tmp_path / "plain.pdf", progress=steps.append)
    assert any("目录页码不会更新" in s for s in steps)
    pages = page_texts(out)
    assert [footer_number(t) for t in pages].count(1) == 1


def test_missing_libreoffice_raises_chinese_message(tmp_path, monkeypatch):
    monkeypatch.setattr(pdfmod, "find_soffice", lambda: None)
    docx = tmp_path / "a.docx"
    docx.write_bytes(b"PK")
    with pytest.raises(PdfError) as info:
        convert_to_pdf(docx, tmp_path / "a.pdf")
    assert str(info.value) == "未找到 LibreOffice，请安装 LibreOffice 后重试；Word 文件已正常导出。"
    assert isinstance(info.value, RuntimeError)
    assert not (tmp_path / "a.pdf").exists()


def test_missing_input_and_folder_raise_pdf_error(tmp_path):
    with pytest.raises(PdfError, match="找不到"):
        convert_to_pdf(tmp_path / "none.docx", tmp_path / "a.pdf")
    docx = tmp_path / "a.docx"
    docx.write_bytes(b"PK")
    with pytest.raises(PdfError, match="不存在"):
        convert_to_pdf(docx, tmp_path / "no" / "such" / "a.pdf")


def _gone(pid: int) -> bool:
    """The process has ended (a zombie not yet reaped counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state == "Z"


@pytest.mark.libreoffice
@needs_lo
@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs /proc")
def test_timeout_stops_libreoffice_and_leaves_target_alone(sample_docx, tmp_path):
    target = tmp_path / "book.pdf"
    target.write_bytes(b"old")
    started = time.monotonic()
    from desktop_app.book import office

    warm = office.shared()
    warm.ensure_started()  # the warm LibreOffice this test's process started, and only it
    pids, work, sockets = warm.pids(), warm.work_dir, list(warm._sockets)
    assert len(pids) == 2 and work.is_dir() and sockets
    with pytest.raises(PdfError, match="超过"):
        convert_to_pdf(sample_docx, target, timeout=0.3)
    assert time.monotonic() - started < 30
    assert target.read_bytes() == b"old"
    assert not list(tmp_path.glob(".book.pdf.*")), "a temporary file was left behind"
    assert all(_gone(pid) for pid in pids), "soffice or the UNO script is still running"
    assert not work.exists(), "LibreOffice's profile, TMPDIR or lock files were left behind"
    assert not any(Path(p).exists() for p in sockets), "LibreOffice's OSL_PIPE files were left behind"
    # the next conversion starts a fresh LibreOffice
    assert convert_to_pdf(sample_docx, target).read_bytes().startswith(b"%PDF")
    assert not set(warm.pids()) & set(pids)


@pytest.mark.libreoffice
@needs_lo
@needs_poppler
def test_cli_export_pdf(tmp_path, capsys):
    from desktop_app.cli import main

    out = tmp_path / "book.docx"
    assert main(["export", "--json", str(SAMPLE), "--out", str(out), "--pdf"]) == 0
    assert out.exists() and (tmp_path / "book.pdf").read_bytes().startswith(b"%PDF")
    assert "book.pdf" in capsys.readouterr().out


def test_cli_export_pdf_without_libreoffice_keeps_docx(tmp_path, capsys, monkeypatch):
    from desktop_app.cli import main

    monkeypatch.setattr(pdfmod, "find_soffice", lambda: None)
    out = tmp_path / "book.docx"
    assert main(["export", "--json", str(SAMPLE), "--out", str(out), "--pdf"]) == 3
    assert out.exists() and not (tmp_path / "book.pdf").exists()
    err = capsys.readouterr().err
    assert "未找到 LibreOffice" in err and str(out) in err


# the 导出 PDF… button ------------------------------------------------------------------------
@pytest.fixture
def export_page(qtbot, program, sample_draft, store):
    from desktop_app.ui.export_page import ExportPage
    from desktop_app.ui.session import DraftSession

    store.save(sample_draft)
    page = ExportPage(DraftSession(store, program, sample_draft))
    qtbot.addWidget(page)
    page.initializePage()
    yield page
    if page._pdf_job is not None:  # never leave a thread running into the next test
        page._pdf_job.wait()


@pytest.mark.gui
@pytest.mark.libreoffice
@needs_lo
@needs_poppler
def test_pdf_button_exports_off_the_ui_thread(qtbot, export_page, tmp_path):
    from PySide6.QtCore import Qt

    page = export_page
    out = tmp_path / "申报书"  # no suffix: the page adds .pdf
    page.choose_pdf_path = lambda: str(out)
    assert page.pdf_button.isEnabled()
    exported: list[str] = []
    page.exported.connect(exported.append)
    qtbot.mouseClick(page.pdf_button, Qt.MouseButton.LeftButton)
    # the click returned at once: the work runs in the job's thread
    assert page.pdf_busy
    assert not page.pdf_button.isEnabled() and not page.export_button.isEnabled()
    steps: list[str] = []
    page._pdf_job.progress.connect(steps.append)
    qtbot.waitUntil(lambda: not page.pdf_busy, timeout=180_000)
    pdf = tmp_path / "申报书.pdf"
    assert pdf.read_bytes().startswith(b"%PDF"), page.status.text()
    assert exported == [str(pdf)]
    assert "已导出" in page.status.text()
    assert page.pdf_button.isEnabled() and page.export_button.isEnabled()
    assert page.open_folder.isEnabled()
    assert any("更新目录和页码" in s for s in steps), steps
    assert footer_number(page_texts(pdf)[plan_start(page_texts(pdf))]) == 1


@pytest.mark.gui
def test_pdf_button_disabled_with_tooltip_without_libreoffice(qtbot, program, sample_draft, store,
                                                             monkeypatch):
    from desktop_app.ui.export_page import ExportPage
    from desktop_app.ui.session import DraftSession

    monkeypatch.setattr(pdfmod, "find_soffice", lambda: None)
    page = ExportPage(DraftSession(store, program, sample_draft))
    qtbot.addWidget(page)
    assert not page.pdf_button.isEnabled()
    assert "LibreOffice" in page.pdf_button.toolTip()
    assert page.export_button.isEnabled()


@pytest.mark.gui
def test_pdf_failure_is_shown_and_buttons_come_back(qtbot, export_page, tmp_path, monkeypatch):
    from PySide6.QtCore import Qt

    def fail(docx, pdf, progress=None, timeout=120, sections=None):
        progress("正在启动 LibreOffice…")
        raise PdfError("LibreOffice 未能生成 PDF（测试）。")

    monkeypatch.setattr(pdfmod, "find_soffice", lambda: Path("/usr/bin/soffice"))
    monkeypatch.setattr(pdfmod, "convert_to_pdf", fail)
    page = export_page
    page.initializePage()
    page.choose_pdf_path = lambda: str(tmp_path / "x.pdf")
    qtbot.mouseClick(page.pdf_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.pdf_busy, timeout=30_000)
    assert "PDF 导出失败" in page.status.text() and "测试" in page.status.text()
    assert page.pdf_button.isEnabled() and page.export_button.isEnabled()
    assert not (tmp_path / "x.pdf").exists()
