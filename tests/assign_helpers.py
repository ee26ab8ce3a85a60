"""What a colleague does to a 分工 work package, for tests: open it in python-docx and
rewrite a fill-in area, or have LibreOffice re-save it (as WPS or Word would)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from desktop_app.assign.package import END, START, mark


def _index(doc, text: str) -> int:
    found = [i for i, p in enumerate(doc.paragraphs) if p.text.startswith(text)]
    assert len(found) == 1, f"{text} found {len(found)} times"
    return found[0]


def area(doc, assignment_id: str, key: str):
    """The paragraphs between the start and end marks of one field, and the end mark."""
    start = _index(doc, mark(START, assignment_id, key))
    end = _index(doc, mark(END, assignment_id, key))
    return doc.paragraphs[start + 1:end], doc.paragraphs[end]


def rewrite_area(path: Path, assignment_id: str, texts: dict[str, str], out: Path | None = None) -> Path:
    """Replace the text of the areas (key → new text, one paragraph per line) and save, as a
    colleague typing in Word would: the first paragraph keeps its formatting, new ones are
    added just above the end mark."""
    from docx import Document

    doc = Document(str(path))
    for key, text in texts.items():
        paragraphs, end = area(doc, assignment_id, key)
        lines = text.split("\n")
        first = paragraphs[0]
        for p in paragraphs[1:]:
            p._p.getparent().remove(p._p)
        for r in list(first.runs):
            r._r.getparent().remove(r._r)
        first.add_run(lines[0])
        for line in lines[1:]:
            end.insert_paragraph_before(line, style=first.style)
    out = out or path
    doc.save(str(out))
    return out


def soffice() -> str | None:
    from desktop_app.book.pdf import find_soffice

    found = find_soffice()
    return str(found) if found else shutil.which("soffice")


def libreoffice_resave(path: Path, work: Path) -> Path:
    """path re-saved by LibreOffice as .docx into another folder, with a private profile."""
    outdir = work / "resaved"
    outdir.mkdir(parents=True, exist_ok=True)
    profile = work / "lo-profile"
    subprocess.run([soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(outdir), str(path)],
                   check=True, timeout=180, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    result = outdir / (path.stem + ".docx")
    assert result.is_file(), "LibreOffice wrote nothing"
    return result
