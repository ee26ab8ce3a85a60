"""One-file drafts: a draft leaves this PC as a .json file and comes back in on another.

The file format, its checks and the atomic write are core/exchange.py's; what an import
does (a draft already here replaced, or kept beside it) is app/drafts.py's, the same as
the CLI's import. This module only asks the officer where, and which of the two.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop_app import APP_NAME
from desktop_app.app.drafts import KEEP_BOTH, REPLACE, as_copy, existing_title, import_draft, read_draft
from desktop_app.core.draft import Draft
from desktop_app.core.exchange import DraftFormatError, write_draft_file
from desktop_app.core.store import StoreError

FILTER = "草稿文件 (*.json)"
__all__ = ["KEEP_BOTH", "REPLACE", "DraftFiles", "as_copy", "is_draft_file"]


def is_draft_file(path: str | Path) -> bool:
    return Path(path).suffix.lower() == ".json"


class DraftFiles:
    """导出草稿文件… / 导入草稿文件… and dropped files, for one MainWindow."""

    def __init__(self, window):
        self.window = window

    # the dialogs, each in a method of its own so tests can answer for the officer
    def choose_save_path(self, draft: Draft) -> str:
        start = str(Path.home() / f"{draft.city or '草稿'}{draft.year}年度申报草稿.json")
        path, _ = QFileDialog.getSaveFileName(self.window, "导出草稿文件", start, FILTER)
        return path

    def choose_open_path(self) -> str:
        path, _ = QFileDialog.getOpenFileName(self.window, "导入草稿文件", str(Path.home()), FILTER)
        return path

    def ask_duplicate(self, existing_title: str) -> str:
        """The draft is already in this PC's list: replace it, keep both, or cancel ("")."""
        box = QMessageBox(QMessageBox.Icon.Question, "导入草稿文件",
                          f"草稿列表中已有这份草稿（“{existing_title}”）。\n\n"
                          "替换：用文件中的内容覆盖它（原内容仍可在“历史版本”中找回）；\n"
                          "保留两份：把文件导入为一份新草稿。", parent=self.window)
        replace = box.addButton("替换", QMessageBox.ButtonRole.DestructiveRole)
        both = box.addButton("保留两份", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(both)
        box.exec()
        clicked = box.clickedButton()
        return REPLACE if clicked is replace else KEEP_BOTH if clicked is both else ""

    # export ---------------------------------------------------------------------
    def draft_to_export(self) -> Draft | None:
        """The open draft (saved first), else the one selected in the list."""
        window = self.window
        if window.session is not None:
            window.session.flush()
            return window.session.draft
        draft_id = window.list_page.selected_id()
        if not draft_id:
            return None
        try:
            return window.store.load(draft_id)
        except (KeyError, StoreError):
            return None

    def export_draft(self) -> str | None:
        """Write the draft to a .json file the officer names; the path, or None."""
        draft = self.draft_to_export()
        if draft is None:
            QMessageBox.information(self.window, "导出草稿文件", "请先打开一份草稿，或在草稿列表中选中一份。")
            return None
        path = self.choose_save_path(draft)
        if not path:
            return None
        if not is_draft_file(path):
            path += ".json"
        try:
            write_draft_file(draft, path)
        except (DraftFormatError, OSError) as exc:
            detail = exc if isinstance(exc, DraftFormatError) else (exc.strerror or exc)
            QMessageBox.warning(self.window, "导出草稿文件", f"无法保存草稿文件 {path}：\n{detail}\n\n请另选位置后重试。")
            return None
        self.window.statusBar().showMessage(f"草稿已导出为文件：{path}（可复制到另一台电脑后导入）", 8000)
        return path

    # import ---------------------------------------------------------------------
    def import_dialog(self) -> str | None:
        path = self.choose_open_path()
        return self.import_file(path) if path else None

    def import_file(self, path: str | Path) -> str | None:
        """Read, check and store the draft in `path`, then open it; its id, or None."""
        window = self.window
        try:
            draft = read_draft(path)
        except DraftFormatError as exc:
            QMessageBox.warning(window, "导入草稿文件", f"{exc}\n\n请选择由本程序“导出草稿文件”保存的草稿文件。")
            return None
        try:
            answer = None
            title = existing_title(window.store, draft)
            if title is not None:
                answer = self.ask_duplicate(title)
                if not answer:
                    return None
                if answer == REPLACE and window.session is not None and window.session.draft.id == draft.id:
                    window.close_draft()  # the open copy must not save over the import
            draft = import_draft(window.store, draft, answer)
        except StoreError as exc:
            QMessageBox.warning(window, APP_NAME, str(exc))
            return None
        window.open_draft(draft.id)
        window.statusBar().showMessage(f"已导入草稿文件：{Path(path).name}", 8000)
        return draft.id
