"""MainWindow: the draft list and, once a draft is open, its wizard.

A draft that another copy of the program is editing (its claim, 占用, is
live) opens read-only: every page but 导出 is disabled, saving and history are
off, and the status bar says who holds it. Store failures are shown in a
message box; they never escape a slot.
"""
from __future__ import annotations

import json

from PySide6.QtCore import QByteArray, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QStackedWidget

from desktop_app import APP_NAME, __version__, paths
from desktop_app.core.program import ProgramError, available_programs, get_program
from desktop_app.core.store import DraftStore, StoreError
from desktop_app.ui.session import DraftSession
from desktop_app.ui.wizard import PlanWizard

SAMPLE_FILE = "yangzhou_2021_sample.json"
#: The id inside SAMPLE_FILE (a test keeps the two in step).
SAMPLE_ID = "sample-yangzhou-2021"
LAST_OPEN = "last_open_draft"
#: Store meta keys: kept in the draft store (not QSettings) so each data folder,
#: and each test's PATENT_APP_DATA, has its own.
RECENT = "recent_drafts"
GEOMETRY = "window_geometry"
RECENT_MAX = 8


class MainWindow(QMainWindow):
    def __init__(self, store: DraftStore, parent=None):
        super().__init__(parent)
        self.store = store
        self.session: DraftSession | None = None
        self.wizard: PlanWizard | None = None
        self.setWindowTitle(APP_NAME)
        self._initial_size()
        self.setAcceptDrops(True)  # a draft file dropped on the window is imported
        self._draft_files = None
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self._list_page = None
        self.save_label = QLabel("")
        self.statusBar().addPermanentWidget(self.save_label)
        self._make_menus()
        self.restore_geometry()

    @property
    def list_page(self):
        """我的申报草稿, built (and filled) when first shown or asked for: a start that
        reopens the last draft never shows it."""
        if self._list_page is None:
            from desktop_app.ui.draft_list import DraftListPage

            page = DraftListPage()
            page.new_requested.connect(self.new_draft)
            page.carry_over_requested.connect(self.new_from_previous)
            page.open_requested.connect(self.open_draft)
            page.sample_requested.connect(self.open_sample)
            page.delete_requested.connect(self.delete_draft)
            self.stack.insertWidget(0, page)
            self._list_page = page
            self.refresh_list()  # once: refresh_list does nothing before this
        return self._list_page

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if self.stack.currentWidget() is None:  # shown with no draft open: the list
            self.stack.setCurrentWidget(self.list_page)
        super().showEvent(event)

    def _make_menus(self) -> None:
        def action(menu, text, slot, shortcut=None):
            act = QAction(text, self)
            # setShortcuts, not setShortcut: a standard key gets all of the platform's
            # bindings, and setShortcut's overloads would build the Qt namespace (item_roles).
            if isinstance(shortcut, QKeySequence.StandardKey):
                act.setShortcuts(shortcut)
            elif shortcut is not None:
                act.setShortcuts([shortcut if isinstance(shortcut, QKeySequence) else QKeySequence(shortcut)])
            act.triggered.connect(slot)
            menu.addAction(act)
            return act

        files = self.menuBar().addMenu("文件(&F)")
        action(files, "新建草稿…", self.new_draft, QKeySequence.StandardKey.New)
        action(files, "从往年草稿新建…", self.new_from_previous)
        action(files, "打开示例草稿", self.open_sample)
        action(files, "返回草稿列表", self.show_list)
        files.addSeparator()
        action(files, "导入草稿文件…", lambda: self.draft_files.import_dialog())
        action(files, "导入 Word 方案…", self.import_word)
        action(files, "导出草稿文件…", lambda: self.draft_files.export_draft())
        self.recent_menu = files.addMenu("最近打开")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        files.addSeparator()
        action(files, "退出", self.close, QKeySequence.StandardKey.Quit)
        # 编辑: undo/redo go to the focused editor (text history or a table's stack); find searches the draft.
        edit = self.menuBar().addMenu("编辑(&E)")
        self.undo_action = action(edit, "撤销", lambda: _route_undo(False), QKeySequence.StandardKey.Undo)
        self.redo_action = action(edit, "重做", lambda: _route_undo(True), QKeySequence("Ctrl+Y"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        edit.addSeparator()
        self.find_action = action(edit, "查找…", self.show_find, QKeySequence.StandardKey.Find)
        draft = self.menuBar().addMenu("草稿(&D)")
        self.save_action = action(draft, "立即保存", self.save_now, QKeySequence.StandardKey.Save)
        self.history_action = action(draft, "历史版本…", self.show_history)
        self.export_action = action(draft, "导出 Word 申报书…", self.export_book, "Ctrl+E")
        draft.addSeparator()
        self.assign_action = action(draft, "分工：发给部门…", lambda: self.assignments.send())
        self.receive_action = action(draft, "分工：收回…", lambda: self.assignments.receive())
        self.withdraw_action = action(draft, "分工：撤回…", lambda: self.assignments.withdraw())
        draft.addSeparator()
        action(draft, "版式设置…", self.edit_layout)
        help_menu = self.menuBar().addMenu("帮助(&H)")
        action(help_menu, "关于", self.show_about)

    @property
    def assignments(self):
        """分工 out and back (ui/assign_dialogs.py), loaded when first used."""
        if getattr(self, "_assignments", None) is None:
            from desktop_app.ui.assign_dialogs import AssignmentFlow

            self._assignments = AssignmentFlow(self)
        return self._assignments

    @property
    def draft_files(self):
        """导入/导出草稿文件 (ui/draft_files.py), loaded when first used rather than at start."""
        if self._draft_files is None:
            from desktop_app.ui.draft_files import DraftFiles

            self._draft_files = DraftFiles(self)
        return self._draft_files

    def import_word(self) -> None:
        """导入 Word 方案 (ui/word_import_dialog.py, loaded when first used)."""
        from desktop_app.ui.word_import_dialog import import_word_plan

        import_word_plan(self)

    def show_find(self) -> None:
        """查找 across every part of the open draft (a non-modal dialog kept open between hits)."""
        from desktop_app.ui.find_dialog import FindDialog

        if self.wizard is None:
            self.statusBar().showMessage("请先打开一份草稿，再查找。", 4000)
            return
        if getattr(self, "find_dialog", None) is None or self.find_dialog.wizard is not self.wizard:
            self.find_dialog = FindDialog(self.wizard, self)
        self.find_dialog.show()
        self.find_dialog.raise_()
        self.find_dialog.query.setFocus()
        self.find_dialog.query.selectAll()

    def edit_layout(self) -> None:
        from desktop_app.ui.layout_dialog import LayoutDialog

        if self.session is not None:
            self.session.flush()
        LayoutDialog(self.store, self, self.session.draft.id if self.session else None).exec()

    def show_about(self) -> None:
        from PySide6 import __version__ as qt_version

        QMessageBox.about(self, f"关于{APP_NAME}",
                          f"{APP_NAME} 版本 {__version__}\n\n编写专利转化重点城市引领计划申报书，导出符合 GB/T 9704-2012 的 Word/PDF。"
                          f"\n\n草稿库：{self.store.path}\n日志：{paths.log_dir() / 'app.log'}\nQt for Python {qt_version}")

    # window conventions -------------------------------------------------------------------
    def _initial_size(self) -> None:
        """1180×780 where it fits; never larger than the screen (a 1366×768 laptop at 125 %
        has only about 1093×614 logical pixels)."""
        screen = QGuiApplication.primaryScreen()
        avail = screen.availableGeometry() if screen else None
        width, height = 1180, 780
        if avail is not None and avail.width() > 0:
            width, height = min(width, int(avail.width() * 0.95)), min(height, int(avail.height() * 0.9))
        self.resize(width, height)

    def restore_geometry(self) -> bool:
        saved = self.store.get_meta(GEOMETRY)
        if not saved:
            return False
        return self.restoreGeometry(QByteArray.fromBase64(saved.encode("ascii")))

    def save_geometry(self) -> None:
        try:
            self.store.set_meta(GEOMETRY, bytes(self.saveGeometry().toBase64()).decode("ascii"))
        except StoreError:
            pass  # only the window's size is lost

    def recent_ids(self) -> list[str]:
        try:
            ids = json.loads(self.store.get_meta(RECENT) or "[]")
        except ValueError:
            return []
        return [i for i in ids if isinstance(i, str)] if isinstance(ids, list) else []

    def _remember_recent(self, draft_id: str) -> None:
        ids = [draft_id] + [i for i in self.recent_ids() if i != draft_id]
        try:
            self.store.set_meta(RECENT, json.dumps(ids[:RECENT_MAX]))
        except StoreError:
            pass  # the recent list is a convenience; the draft itself is stored

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        titles = {row.id: row.title for row in self.store.list()}
        for n, draft_id in enumerate((i for i in self.recent_ids() if i in titles), 1):
            act = self.recent_menu.addAction(f"&{n} {titles[draft_id]}")
            act.triggered.connect(lambda _=False, d=draft_id: self.open_draft(d))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("（暂无）").setEnabled(False)

    def export_book(self) -> None:
        """Ctrl+E: to 检查与导出, then the same export as its 导出 Word 申报书… button."""
        if self.wizard is None:
            self.statusBar().showMessage("请先打开一份草稿，再导出 Word 申报书。", 5000)
            return
        self.wizard.go_to("export")
        self.wizard.export_page.export_book()

    def _dropped_files(self, event) -> list[str]:
        from desktop_app.ui.draft_files import is_draft_file

        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        return [u.toLocalFile() for u in mime.urls() if u.isLocalFile() and is_draft_file(u.toLocalFile())]

    def dragEnterEvent(self, event) -> None:
        if self._dropped_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:
        files = self._dropped_files(event)
        if not files:
            event.ignore()
            return
        event.acceptProposedAction()
        self.draft_files.import_file(files[0])

    # draft list ------------------------------------------------------------------------
    def refresh_list(self) -> None:
        if self._list_page is None:
            return  # not built yet: the list_page property fills it when it is
        # Only the programs the listed drafts use are read (each once per process):
        # reading every program folder here cost each start about 8 ms.
        drafts = self.store.list()
        names = {}
        for program_id in {d.program_id for d in drafts}:
            try:
                names[program_id] = get_program(program_id).name
            except ProgramError as exc:
                self.statusBar().showMessage(str(exc))
        self.list_page.show_drafts(drafts, names)

    def show_list(self) -> None:
        self.close_draft()
        self.refresh_list()
        self.stack.setCurrentWidget(self.list_page)
        self.setWindowTitle(APP_NAME)
        self.save_label.setText("")  # 已保存 belongs to an open draft

    def _store_failed(self, exc: StoreError) -> None:
        QMessageBox.warning(self, APP_NAME, str(exc))

    def new_draft(self) -> None:
        from desktop_app.ui.new_draft_dialog import NewDraftDialog

        try:
            programs = available_programs()
        except ProgramError as exc:
            QMessageBox.critical(self, APP_NAME, str(exc))
            return
        dialog = NewDraftDialog(programs, self)
        if dialog.exec() != NewDraftDialog.DialogCode.Accepted:
            return
        from desktop_app.app.drafts import create_draft

        try:
            draft = create_draft(self.store, dialog.selected_program(), **dialog.values())
        except StoreError as exc:
            self._store_failed(exc)
            return
        self.open_draft(draft.id)

    def new_from_previous(self) -> None:
        """从往年草稿新建: copy a stored draft into a new year."""
        from desktop_app.app.drafts import carry_over_draft
        from desktop_app.ui.history_dialogs import CarryOverDialog

        summaries = self.store.list()
        if not summaries:
            return
        dialog = CarryOverDialog(summaries, self)
        if self.list_page.selected_id():
            dialog.source.setCurrentIndex(max(0, dialog.source.findData(self.list_page.selected_id())))
        if dialog.exec() != CarryOverDialog.DialogCode.Accepted:
            return
        try:
            draft = carry_over_draft(self.store, dialog.source_id(), dialog.year.value())
        except StoreError as exc:
            self._store_failed(exc)
            return
        self.open_draft(draft.id)

    def show_history(self) -> None:
        """历史版本 of the open draft; a restore reopens it on the same page."""
        from desktop_app.ui.history_dialogs import HistoryDialog

        if not self.session or self.session.read_only:
            return
        self.session.flush()
        draft_id, page = self.session.draft.id, self.wizard.current_key()
        dialog = HistoryDialog(self.store, self.session.program, draft_id, self)
        self.history_dialog = dialog
        if dialog.exec() == HistoryDialog.DialogCode.Accepted and dialog.restored:
            self.session.dirty = False  # the restored state is already stored
            self.open_draft(draft_id, page)
            self.statusBar().showMessage("已恢复到所选版本；恢复前的内容也保存在历史版本中。", 8000)

    def open_sample(self) -> None:
        """Open the bundled 示例 draft, importing (and so validating) it on first use only."""
        try:
            stored = self.store.exists(SAMPLE_ID)
        except StoreError as exc:
            self._store_failed(exc)
            return
        if stored:
            self.open_draft(SAMPLE_ID)
            return
        from desktop_app.core.exchange import DraftFormatError, read_draft_file  # first start only

        try:
            sample = read_draft_file(paths.resource("samples", SAMPLE_FILE))
        except DraftFormatError as exc:
            QMessageBox.critical(self, APP_NAME, str(exc))
            return
        try:
            if not self.store.exists(sample.id):
                self.store.save(sample, reason="import")
        except StoreError as exc:
            self._store_failed(exc)
            return
        self.open_draft(sample.id)

    def delete_draft(self, draft_id: str) -> None:
        try:
            title = self.store.load(draft_id).title
        except KeyError:
            self.refresh_list()
            return
        except StoreError as exc:
            self._store_failed(exc)
            return
        answer = QMessageBox.question(self, "删除草稿", f"确定删除“{title}”吗？删除后无法恢复。",
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            try:
                from desktop_app.app.drafts import delete_draft

                delete_draft(self.store, draft_id)  # with its history and records
            except StoreError as exc:
                self._store_failed(exc)
            self.refresh_list()

    # one open draft ---------------------------------------------------------------------
    def open_draft(self, draft_id: str, page: str | None = None) -> bool:
        self.close_draft()
        try:
            # Claim, then read, in one step: another copy's save cannot slip in between.
            draft, holder = self.store.open_for_edit(draft_id)
            read_only = holder is not None
            try:
                program = get_program(draft.program_id)
            except ProgramError:
                if not read_only:
                    self.store.release(draft_id)
                raise
        except KeyError:
            self.statusBar().showMessage("找不到该草稿，可能已被删除。", 5000)
            return False
        except ProgramError as exc:
            QMessageBox.warning(self, APP_NAME, f"无法打开草稿：{exc}")
            return False
        except StoreError as exc:
            self._store_failed(exc)
            return False
        self.session = DraftSession(self.store, program, draft, self, read_only=read_only)
        self.session.saved.connect(lambda t: self.save_label.setText(f"已保存 {t}"))
        self.session.save_failed.connect(self._on_save_failed)
        self.session.conflict.connect(self._on_conflict)
        self.session.waiting.connect(lambda text: (self.save_label.setText("等待保存…"),
                                                   self.statusBar().showMessage(text, 3000)))
        self.wizard = PlanWizard(self.session)
        self.wizard.finished.connect(lambda _r: self.show_list())
        self.wizard.history_requested.connect(self.show_history)
        self.wizard.assign_requested.connect(lambda: self.assignments.send())
        self.wizard.receive_requested.connect(lambda: self.assignments.receive())
        # Read before the wizard starts: showing its first page records that page.
        target = page or self.store.last_page(draft_id)
        self.stack.addWidget(self.wizard)
        self.stack.setCurrentWidget(self.wizard)
        self.setWindowTitle(f"{draft.title} — {APP_NAME}")
        self.save_label.setText("已保存")
        if read_only:
            self._show_read_only(holder)
        else:
            self._remember_open(draft_id)
        self._remember_recent(draft_id)
        if self.wizard.currentId() == -1:
            self.wizard.restart()  # QWizard starts only when shown; jumping needs it started
        if target:
            self.wizard.go_to(target)
        return True

    def _show_read_only(self, holder) -> None:
        """Another copy is editing this draft: show it, change nothing."""
        from PySide6.QtWidgets import QWizard

        who = holder.describe() if holder else "另一个“专利转化申报助手”"
        for key, host in self.wizard.hosts.items():  # disables the page in it, built or not
            host.setEnabled(key in ("glance", "export"))  # views: 申报总览 and 检查与导出 stay usable
        self.wizard.button(QWizard.WizardButton.CustomButton2).setEnabled(False)
        self.save_action.setEnabled(False)
        self.history_action.setEnabled(False)
        for act in (self.assign_action, self.receive_action, self.withdraw_action):
            act.setEnabled(False)
        self.save_label.setText("只读")
        self.setWindowTitle(f"{self.session.draft.title}（只读） — {APP_NAME}")
        self.statusBar().showMessage(
            f"该草稿正由{who}编辑，已以只读方式打开，修改不会保存。请在那个窗口中编辑，或关闭它后重新打开本草稿。")

    def _remember_open(self, draft_id: str | None) -> None:
        try:
            self.store.set_meta(LAST_OPEN, draft_id)
        except StoreError as exc:
            self.statusBar().showMessage(str(exc), 8000)

    def _release(self) -> None:
        if self.session and not self.session.read_only:
            try:
                self.store.release(self.session.draft.id)
            except StoreError:
                pass  # a claim left behind is taken over once this process has ended

    def close_draft(self) -> None:
        if self.session:
            self.session.flush()
            if not self.session.read_only:
                self._remember_open(None)
            self._release()
        self.save_action.setEnabled(True)
        self.history_action.setEnabled(True)
        for act in (self.assign_action, self.receive_action, self.withdraw_action):
            act.setEnabled(True)
        self.statusBar().clearMessage()
        if getattr(self, "find_dialog", None) is not None:  # it points at this draft's wizard
            self.find_dialog.close()
            self.find_dialog.deleteLater()
            self.find_dialog = None
        if self.wizard:
            # deleteLater waits for the event loop: a pending refresh must not run on a closed draft
            for timer in self.wizard.findChildren(QTimer):
                timer.stop()
            self.stack.removeWidget(self.wizard)
            self.wizard.deleteLater()
        self.wizard = None
        self.session = None

    def reopen_last(self) -> bool:
        """Bring back the draft that was open when the program was last closed."""
        draft_id = self.store.get_meta(LAST_OPEN)
        return bool(draft_id and self.store.exists(draft_id) and self.open_draft(draft_id))

    def save_now(self) -> None:
        if self.session:
            self.session.dirty = True
            self.session.flush()

    def _on_save_failed(self, message: str) -> None:
        self.save_label.setText("未保存！")
        QMessageBox.warning(self, "保存失败", f"{message}\n\n当前内容仍在窗口中，修复问题后按 Ctrl+S 再次保存。")

    def _on_conflict(self, message: str) -> None:
        """The draft changed in the file while this window held an older copy (it slept past
        its claim): ours is in the history, theirs is the draft. Say so, then show theirs."""
        if self.session is None:
            return
        draft_id, page = self.session.draft.id, self.wizard.current_key() if self.wizard else None
        self.session.dirty = False  # ours is stored, as a revision
        QTimer.singleShot(0, lambda: self._reopen_after_conflict(draft_id, page, message))

    def _reopen_after_conflict(self, draft_id: str, page: str | None, message: str) -> None:
        self.open_draft(draft_id, page)
        self.save_label.setText("有冲突")
        QMessageBox.warning(self, "草稿已在别处修改", message)

    def closeEvent(self, event) -> None:
        if self.session:
            if not self.session.flush():
                answer = QMessageBox.question(
                    self, APP_NAME, "最近的修改未能保存。仍要退出吗？",
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
                if answer != QMessageBox.StandardButton.Yes:
                    event.ignore()
                    return
            # keep LAST_OPEN so the next start reopens this draft on this page
            self._release()
        self.save_geometry()
        event.accept()


def _route_undo(redo: bool) -> None:
    from desktop_app.ui.find_dialog import route_undo  # with 查找: loaded on first use

    route_undo(redo)
