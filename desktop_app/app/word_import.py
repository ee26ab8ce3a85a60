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

__all__ = ["FILE_FILTER", "WordImport", "WordInError", "open_word_plan"]

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
        draft, report = build_draft(self.program, self.document, mapping or self.suggestion,
                                    organization=organization, city=city, year=year)
        too_long = over_limits(self.program, draft)
        if too_long:
            raise WordInError("；".join(too_long[:3]) + ("等" if len(too_long) > 3 else "") +
                              "。没有导入。请在 Word 中精简或拆分这些内容（例如分成几个标题），"
                              "或在对照表中把其中的小标题放到其他部分后再导入。")
        return draft, report


def over_limits(program: Program, draft: Draft) -> list[str]:
    """Each text of the draft longer than the one limit table allows, in plain words: a part's
    正文 (10 万字) and a cell of its tables, such as a measure's 具体举措 (2 万字)."""
    from desktop_app.core import limits

    out = []
    for part_id, part in (draft.data.get("parts") or {}).items():
        try:
            heading = program.node(part_id).heading
        except KeyError:
            heading = part_id
        text = part.get("text") or ""
        if len(text) > limits.TEXT_MAX_CHARS:
            out.append(f"“{heading}”的正文有 {len(text)} 字，超过每部分 {limits.TEXT_MAX_CHARS} 字的上限")
        for rows in part.values():
            if not isinstance(rows, list):
                continue
            for n, row in enumerate(rows):
                cells = row.values() if isinstance(row, dict) else ()
                longest = max((len(c) for c in cells if isinstance(c, str)), default=0)
                if longest > limits.CELL_MAX_CHARS:
                    out.append(f"“{heading}”第 {n + 1} 项中有一格 {longest} 字，超过每格 {limits.CELL_MAX_CHARS} 字的上限")
    return out


def open_word_plan(path: str | os.PathLike, program: Program | str) -> WordImport:
    """Read `path` (.docx, or .doc/.wps/.odt through LibreOffice) for `program`.
    Raises WordInError (plain Chinese) for a file that cannot be read."""
    if isinstance(program, str):
        program = get_program(program)
    document = Document.from_blocks(open_document(path))
    if not any(b.kind == "table" or (b.text.strip() and not b.toc) for b in document.blocks):
        raise WordInError(f"{Path(path).name} 中没有文字，没有可导入的内容。")
    return WordImport(Path(path), program, document, document.suggestion(program))
