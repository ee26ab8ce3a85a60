"""导入 Word 方案: the use-case behind the menu item and `import-docx`.

open_word_plan() reads the file and suggests where each heading goes; the window shows
that mapping for the officer to confirm, the command line takes it as suggested;
build() makes the new draft and the report. Nothing is written here: the caller saves
the draft (to the store or a file) only once it exists whole.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from desktop_app.core.draft import Draft
from desktop_app.core.program import Program, get_program
from desktop_app.wordin.assemble import Document, Report, build_draft
from desktop_app.wordin.errors import WordInError
from desktop_app.wordin.headings import Heading
from desktop_app.wordin.mapping import Target, targets
from desktop_app.wordin.source import open_document

__all__ = ["WordImport", "WordInError", "open_word_plan", "FILE_FILTER"]

#: For file dialogs.
FILE_FILTER = "Word 文档 (*.docx *.doc *.wps *.odt *.rtf);;所有文件 (*)"


@dataclass
class WordImport:
    """A read Word plan and the suggested place of each of its headings in `program`."""

    path: Path
    program: Program
    document: Document
    suggestion: list[str] = field(default_factory=list)

    @property
    def headings(self) -> list[Heading]:
        return self.document.headings

    @property
    def targets(self) -> list[Target]:
        return targets(self.program)

    def build(self, mapping: list[str] | None = None, *, organization: str = "", city: str = "",
              year: int | None = None) -> tuple[Draft, Report]:
        return build_draft(self.program, self.document, mapping or self.suggestion,
                           organization=organization, city=city, year=year)


def open_word_plan(path: str | os.PathLike, program: Program | str) -> WordImport:
    """Read `path` (.docx, or .doc/.wps/.odt through LibreOffice) for `program`.
    Raises WordInError (plain Chinese) for a file that cannot be read."""
    if isinstance(program, str):
        program = get_program(program)
    document = Document.from_blocks(open_document(path))
    if not any(b.kind == "table" or (b.text.strip() and not b.toc) for b in document.blocks):
        raise WordInError(f"{Path(path).name} 中没有文字，没有可导入的内容。")
    return WordImport(Path(path), program, document, document.suggestion(program))
