"""One call from a draft to a book on disk: compose, write .docx, optionally PDF."""
from __future__ import annotations

import datetime as dt
import errno
import os
from pathlib import Path

from desktop_app.book.compose import compose
from desktop_app.book.docx_writer import write_docx
from desktop_app.book.layout import Layout
from desktop_app.core.draft import Draft
from desktop_app.core.program import ProgramError, get_program


class ExportError(RuntimeError):
    """The book could not be written; the message says why in Chinese and what to do."""


def export_docx(draft: Draft, target: str | os.PathLike, layout: Layout | None = None,
                when: dt.datetime | None = None) -> Path:
    """Write the draft's book to `target` (.docx), replacing it atomically.

    Any failure to write is an ExportError naming the file and what to do; the
    book already at `target` stays as it was and no temporary file is left.
    A program's own text that cannot be rendered raises TemplateTextError. `when` dates the
    file (default: now, or SOURCE_DATE_EPOCH): see docx_writer.write_docx.
    """
    target = Path(target)
    if not target.parent.is_dir():
        raise ExportError(f"保存位置 {target.parent} 不存在，请选择一个已有的文件夹。")
    if target.is_dir():
        raise ExportError(f"{target} 是一个文件夹，请另取一个文件名。")
    try:
        program = get_program(draft.program_id)
    except ProgramError as exc:
        raise ExportError(f"无法导出：{exc}") from exc
    book = compose(program, draft)
    try:
        return write_docx(book, target, layout, when)
    except PermissionError as exc:
        raise ExportError(
            f"无法写入 {target}：文件可能正在 Word/WPS 中打开，或文件夹不可写。请关闭该文件或另选位置后重试；原文件未被改动。"
        ) from exc
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise ExportError(f"无法写入 {target}：磁盘空间不足。请清理磁盘或另选位置后重试；原文件未被改动。") from exc
        raise ExportError(f"无法写入 {target}：{exc.strerror or exc}。请另选位置后重试；原文件未被改动。") from exc
