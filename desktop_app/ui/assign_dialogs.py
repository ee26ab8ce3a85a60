"""分工 in the window: 发给部门 (choose parts or measures, a department and a due date,
write the Word work package) and 收回 (read it back, the changes side by side, take or
keep each part; a part edited meanwhile is a conflict the officer decides).

AssignmentFlow is what the menu and 申报总览 call; the records and the package are
desktop_app.assign (no Qt)."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor, QCursor, QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout,
    QHeaderView, QLabel, QListWidget, QListWidgetItem, QMessageBox, QRadioButton, QSplitter, QTextBrowser,
    QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from desktop_app.assign import records as R
from desktop_app.assign.records import date_text
from desktop_app.core.program import Program
from desktop_app.ui.dialog_buttons import ok_cancel

#: Where the last package was written or read (store meta), to start the file dialogs there.
FOLDER_KEY = "assign_folder"
STATE_COLORS = {R.CHANGED: "#1e6b2e", R.CONFLICT: "#b3261e", R.UNCHANGED: "#5f6b7a",
                R.NOT_IN_FILE: "#8a5a00", R.NOT_IN_DRAFT: "#8a5a00", R.TOO_LONG: "#8a5a00"}
STATE_EXPLAINED = {
    R.CHANGED: "对方修改了这部分；发出后程序中没有改动，可以放心采用。",
    R.CONFLICT: "冲突：发出分工后，这部分在程序中又修改过，对方返回的文字没有包含这些修改。"
                "请对照两边的文字后选择；默认保留程序中的当前文字。",
    R.UNCHANGED: "对方没有修改这部分（或与当前文字相同），无需处理。",
    R.NOT_IN_FILE: "文件中找不到这部分的两条填写标记（可能被删除或改动），无法读取。请打开文件查看，手工复制需要的文字。",
    R.NOT_IN_DRAFT: "这部分（或这项举措）已从草稿中删除，无法放回。右侧是对方返回的文字，可复制后手工粘贴。",
    R.TOO_LONG: "返回的文字超过这一处可容纳的字数上限（每部分正文 10 万字、举措的每一格 2 万字），无法放回。"
                "右侧是对方返回的文字，请精简后分几处复制粘贴。",
}


def _fit(dialog: QDialog, width: int, height: int) -> None:
    """width×height where it fits; never larger than the screen (1366×768 at 125 % is ~1093×614)."""
    screen = QGuiApplication.primaryScreen()
    avail = screen.availableGeometry() if screen else None
    if avail is not None and avail.width() > 0:
        width, height = min(width, int(avail.width() * 0.96)), min(height, int(avail.height() * 0.92))
    dialog.resize(width, height)


class SendDialog(QDialog):
    """分工：发给部门 — which parts or measures, to which department, due when."""

    def __init__(self, program: Program, draft, parent=None):
        super().__init__(parent)
        self.setWindowTitle("分工：发给部门")
        _fit(self, 860, 640)
        self.units = R.units(program, draft)
        out = R.out_by_path(draft)
        layout = QVBoxLayout(self)
        intro = QLabel("勾选要请其他部门填写的部分或举措。程序生成一份 Word 分工材料：首页写明承办部门和交回时间，"
                       "每部分列出指南要求和目前的文字，对方在标记线之间修改后发回，再用“收回”放回草稿。")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("分工内容")
        self.tree.setHeaderLabels(["部分或举措", "牵头部门", "在外"])
        self.tree.setRootIsDecorated(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.items: dict[str, QTreeWidgetItem] = {}
        # the outline's groups (一、建设基础…) as headings, so 1.概述 and 1.总体思路 are told apart
        group_of = {child.id: node for node in program.outline if node.kind == "group" for child in node.children}
        groups: dict[str, QTreeWidgetItem] = {}
        measures_item = None
        for unit in self.units:
            is_measure = ".tasks." in unit.key
            lead = unit.info.split("；")[0].removeprefix("牵头部门：") if is_measure else ""
            holders = {r.get("department", "") for f in unit.fields for r in out.get(f.path, [])}
            item = QTreeWidgetItem([unit.title, lead, "、".join(sorted(holders))])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Unchecked)
            item.setData(0, Qt.ItemDataRole.UserRole, unit.key)
            if holders:
                item.setForeground(2, QColor("#8a5a00"))
                item.setToolTip(2, "这部分已有分工在外，再发一份时两份都会收回到这里")
            group = group_of.get(unit.key)
            if is_measure and measures_item is not None:
                measures_item.addChild(item)
            elif group is not None:
                if group.id not in groups:
                    head = QTreeWidgetItem([group.heading])
                    head.setFlags(Qt.ItemFlag.ItemIsEnabled)
                    font = head.font(0)
                    font.setBold(True)
                    head.setFont(0, font)
                    self.tree.addTopLevelItem(head)
                    groups[group.id] = head
                groups[group.id].addChild(item)
            else:
                self.tree.addTopLevelItem(item)
            if unit.key in {n.id for n in program.parts() if n.kind == "measures"}:
                measures_item = item
            self.items[unit.key] = item
        self.tree.expandAll()
        layout.addWidget(self.tree, 1)
        form = QFormLayout()
        self.department = QComboBox()
        self.department.setEditable(True)
        self.department.addItems(draft.departments)
        self.department.setCurrentIndex(-1)
        self.department.lineEdit().setPlaceholderText("从部门名单选择或输入，如：市财政局")
        self.department.lineEdit().setMaxLength(100)  # the draft file's limit for a department name
        self.due = QDateEdit()
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy年M月d日")
        self.due.setDate(QDate.currentDate().addDays(7))
        form.addRow("承办部门", self.department)
        form.addRow("交回时间", self.due)
        layout.addLayout(form)
        self.buttons = ok_cancel("生成分工材料…", self.accept, self.reject)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout.addWidget(self.buttons)
        self.tree.itemChanged.connect(self._on_item_changed)
        self.department.currentTextChanged.connect(self._update_ok)
        self._update_ok()

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        # a measure checked with no department chosen yet: its 牵头部门 is the likely one
        if column == 0 and item.checkState(0) == Qt.CheckState.Checked and not self.department.currentText().strip():
            lead = item.text(1).strip()
            if lead and lead != "（未定）":
                self.department.setCurrentText(lead.split("、")[0])
        self._update_ok()

    def check(self, key: str, on: bool = True) -> None:
        self.items[key].setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def chosen_units(self) -> list[R.Unit]:
        return [u for u in self.units if self.items[u.key].checkState(0) == Qt.CheckState.Checked]

    def department_name(self) -> str:
        return self.department.currentText().strip()

    def due_date(self) -> str:
        return self.due.date().toString("yyyy-MM-dd")

    def _update_ok(self) -> None:
        ready = bool(self.chosen_units()) and bool(self.department_name())
        self.ok_button.setEnabled(ready)
        self.ok_button.setToolTip("" if ready else "请勾选至少一部分，并填写承办部门")


class ReceiveDialog(QDialog):
    """收回: each returned field, the draft's text beside the file's with the changes marked,
    and a choice per field: 采用返回的文字 or 保留当前文字."""

    def __init__(self, record: dict, returns: list[R.FieldReturn], file_name: str, problems: list[str],
                 parent=None):
        super().__init__(parent)
        department = record.get("department", "")
        self.setWindowTitle(f"收回分工 — {department}《{file_name}》")
        _fit(self, 1240, 700)
        self.returns = returns
        self.take = {r.key for r in returns if r.default_take}
        counts = {s: sum(r.state == s for r in returns) for s in R.STATE_TEXT}
        layout = QVBoxLayout(self)
        summary = (f"分工编号 {record.get('id', '')}，{date_text(record.get('sent_at', ''))}发给{department}"
                   f"（{R.STATUS_TEXT.get(record.get('status'), '')}）。共 {len(returns)} 处：有改动 {counts[R.CHANGED]}，"
                   f"<span style='color:#b3261e'>冲突 {counts[R.CONFLICT]}</span>，未改动 {counts[R.UNCHANGED]}")
        missing = counts[R.NOT_IN_FILE] + counts[R.NOT_IN_DRAFT] + counts[R.TOO_LONG]
        summary += f"，无法放回 {missing}。" if missing else "。"
        if record.get("status") == R.BACK:
            summary += f"<br>这份分工已于{date_text(record.get('returned_at') or '')}收回过一次；再次放回时，已采用过的部分显示为冲突。"
        for p in problems:
            summary += f"<br><span style='color:#8a5a00'>{p}</span>"
        self.summary = QLabel(summary)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.list = QListWidget()
        self.list.setAccessibleName("返回的部分")
        self.list.setWordWrap(True)
        split.addWidget(self.list)
        right = QWidget()
        box = QVBoxLayout(right)
        box.setContentsMargins(6, 0, 0, 0)
        self.state_label = QLabel()
        self.state_label.setWordWrap(True)
        box.addWidget(self.state_label)
        sides = QSplitter(Qt.Orientation.Horizontal)
        self.old_view, self.new_view = QTextBrowser(), QTextBrowser()
        self.old_view.setAccessibleName("程序中的当前文字")
        self.new_view.setAccessibleName("返回的文字")
        for view, title in ((self.old_view, "程序中的当前文字"), (self.new_view, f"返回的文字（{department}）")):
            holder = QWidget()
            col = QVBoxLayout(holder)
            col.setContentsMargins(0, 0, 0, 0)
            col.addWidget(QLabel(f"<b>{title}</b>"))
            col.addWidget(view, 1)
            sides.addWidget(holder)
        # scrolling one side scrolls the other: the same paragraphs stay side by side
        self.old_view.verticalScrollBar().valueChanged.connect(self._sync_from_old)
        box.addWidget(sides, 1)
        choice = QHBoxLayout()
        self.take_button = QRadioButton("采用返回的文字")
        self.keep_button = QRadioButton("保留当前文字")
        self.choice_group = QButtonGroup(self)
        self.choice_group.addButton(self.take_button)
        self.choice_group.addButton(self.keep_button)
        choice.addWidget(self.take_button)
        choice.addWidget(self.keep_button)
        choice.addStretch(1)
        legend = QLabel("<span style='background:#fde2e0;color:#b3261e;text-decoration:line-through'>删去</span>　"
                        "<span style='background:#d8f3dc;color:#1e6b2e;text-decoration:underline'>新增</span>　¶ 分段")
        choice.addWidget(legend)
        box.addLayout(choice)
        split.addWidget(right)
        split.setSizes([300, 900])
        layout.addWidget(split, 1)
        self.buttons = ok_cancel("放回所选", self.accept, self.reject)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout.addWidget(self.buttons)
        for r in returns:
            item = QListWidgetItem()
            item.setForeground(QColor(STATE_COLORS[r.state]))
            self.list.addItem(item)
            self._label(self.list.count() - 1)
        self.take_button.toggled.connect(self._on_choice)
        self.list.currentRowChanged.connect(self.show_field)
        first = next((i for i, r in enumerate(returns) if r.takeable), 0)
        self.list.setCurrentRow(first)
        self._update_ok()

    def _label(self, row: int) -> None:
        r = self.returns[row]
        choice = ("　→ 采用" if r.key in self.take else "　→ 保留") if r.takeable else ""
        self.list.item(row).setText(f"【{R.STATE_TEXT[r.state]}】{r.part_title} · {r.ref.label}{choice}")

    def _sync_from_old(self, value: int) -> None:
        old, new = self.old_view.verticalScrollBar(), self.new_view.verticalScrollBar()
        if old.maximum() > 0:
            new.setValue(round(value / old.maximum() * new.maximum()))

    def show_field(self, row: int) -> None:
        from desktop_app.assign.marks import mark_changes

        if not 0 <= row < len(self.returns):
            return
        r = self.returns[row]
        self.state_label.setText(f"<b style='color:{STATE_COLORS[r.state]}'>{R.STATE_TEXT[r.state]}</b>　"
                                 f"{r.part_title} · {r.ref.label}：{STATE_EXPLAINED[r.state]}")
        if r.current is not None and r.returned is not None:
            marked = mark_changes(r.current, r.returned)
            self.old_view.setHtml(marked.old_html)
            self.new_view.setHtml(marked.new_html)
        else:
            self.old_view.setPlainText(r.current if r.current is not None else "（草稿中已没有这部分）")
            self.new_view.setPlainText(r.returned if r.returned is not None else "（文件中找不到这部分）")
        self.take_button.blockSignals(True)
        self.take_button.setChecked(r.key in self.take)
        self.keep_button.setChecked(r.key not in self.take)
        self.take_button.blockSignals(False)
        for b in (self.take_button, self.keep_button):
            b.setEnabled(r.takeable)

    def _on_choice(self, take: bool) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.returns) or not self.returns[row].takeable:
            return
        key = self.returns[row].key
        (self.take.add if take else self.take.discard)(key)
        self._label(row)
        self._update_ok()

    def choose(self, key: str, take: bool) -> None:
        """Select field `key` and choose for it, as the officer's two clicks would."""
        row = next(i for i, r in enumerate(self.returns) if r.key == key)
        self.list.setCurrentRow(row)
        (self.take_button if take else self.keep_button).click()

    def _update_ok(self) -> None:
        n = len(self.take)
        self.ok_button.setText(f"放回所选（{n} 处）" if n else "不放回，标记为已收回")


class AssignmentFlow:
    """The window's 分工 actions over its open draft (MainWindow owns one)."""

    def __init__(self, window):
        self.window = window
        self.send_dialog: SendDialog | None = None
        self.receive_dialog: ReceiveDialog | None = None

    def _session(self, what: str):
        session = self.window.session
        if session is None:
            self.window.statusBar().showMessage(f"请先打开一份草稿，再{what}。", 5000)
            return None
        if session.read_only:
            QMessageBox.information(self.window, "分工", "该草稿正在另一个窗口中编辑（只读），不能发出或收回分工。")
            return None
        session.flush()
        return session

    def _folder(self) -> str:
        saved = self.window.store.get_meta(FOLDER_KEY)
        return saved if saved and Path(saved).is_dir() else str(Path.home())

    def _remember_folder(self, path: Path) -> None:
        from desktop_app.core.store import StoreError

        try:
            self.window.store.set_meta(FOLDER_KEY, str(path.parent))
        except StoreError:
            pass  # only the dialog's starting folder is lost

    def send(self) -> bool:
        """分工：发给部门… — True when a package was written and recorded."""
        from desktop_app.assign.package import PackageError, write_package
        from desktop_app.core.store import StoreError

        session = self._session("发出分工")
        if session is None:
            return False
        dialog = SendDialog(session.program, session.draft, self.window)
        self.send_dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        department = dialog.department_name()
        safe = re.sub(r'[\\/:*?"<>|\s]+', "_", department).strip("._") or "部门"  # a name every system accepts
        name = f"分工_{safe}_{dt.date.today():%Y%m%d}.docx"
        target, _filter = QFileDialog.getSaveFileName(self.window, "保存分工材料", str(Path(self._folder()) / name),
                                                      "Word 文档 (*.docx)")
        if not target:
            return False
        path = Path(target)
        if path.suffix.lower() != ".docx":
            path = path.with_name(path.name + ".docx")
        draft = session.draft
        record = R.new_assignment(draft, dialog.chosen_units(), department, dialog.due_date(), str(path))
        try:
            write_package(session.program, draft, record, path)
        except PackageError as exc:
            R.assignments(draft).remove(record)
            QMessageBox.warning(self.window, "分工", str(exc))
            return False
        try:
            self.window.store.save(draft, reason=f"发出分工：{department}《{path.name}》")
        except StoreError as exc:
            session.dirty = True  # the record is in memory; the next save tries again
            QMessageBox.warning(self.window, "分工", f"分工材料已生成，但记录没有保存：{exc}")
        self._remember_folder(path)
        if self.window.wizard is not None:
            self.window.wizard.refresh_side()
        self.window.statusBar().showMessage(f"已生成分工材料 {path}，请发给{department}。", 10000)
        return True

    def receive(self) -> bool:
        """分工：收回… — True when the returned text was taken into the draft."""
        from desktop_app.assign.package import PackageError, read_package
        from desktop_app.core.store import StoreError

        session = self._session("收回分工")
        if session is None:
            return False
        target, _filter = QFileDialog.getOpenFileName(self.window, "收回分工材料", self._folder(),
                                                      "Word/WPS 文档 (*.docx *.doc *.wps *.odt);;所有文件 (*)")
        if not target:
            return False
        path = Path(target)
        QGuiApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))  # a .doc/.wps takes seconds
        try:
            content = read_package(path)
        except PackageError as exc:
            content, problem = None, str(exc)
        finally:
            QGuiApplication.restoreOverrideCursor()
        if content is None:
            QMessageBox.warning(self.window, "收回分工", problem)
            return False
        draft = session.draft
        record = R.find_assignment(draft, content.assignment_id)
        if record is None:
            QMessageBox.warning(self.window, "收回分工",
                                f"{path.name} 的分工编号 {content.assignment_id} 不是本草稿发出的。"
                                "请打开发出这份分工材料的草稿后再收回。")
            return False
        returns = R.compare(draft, record, content.texts)
        dialog = ReceiveDialog(record, returns, path.name, content.problems, self.window)
        self.receive_dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        R.apply_returns(draft, record, returns, dialog.take, str(path))
        try:
            self.window.store.save(draft, reason=R.history_reason(record, path.name))
        except StoreError as exc:
            session.dirty = True
            QMessageBox.warning(self.window, "收回分工", f"没有保存：{exc}\n\n修复问题后按 Ctrl+S 再次保存。")
            return False
        self._remember_folder(path)
        # the pages hold the old text in their editors: reopen the draft where the officer was
        session.dirty = False
        page = self.window.wizard.current_key() if self.window.wizard is not None else None
        self.window.open_draft(draft.id, page)
        self.window.statusBar().showMessage(
            f"已收回{record.get('department', '')}的分工材料，放回 {len(dialog.take)} 处；"
            "放回前的内容保存在“历史版本”中。", 10000)
        return True

    def withdraw(self) -> bool:
        """分工：撤回… — a package that will not come back is no longer shown as out
        (its record stays, marked 已撤回; a file that does come back can still be taken)."""
        from PySide6.QtWidgets import QInputDialog

        from desktop_app.core.store import StoreError

        session = self._session("撤回分工")
        if session is None:
            return False
        out = R.out_records(session.draft)
        if not out:
            QMessageBox.information(self.window, "撤回分工", "目前没有在外的分工。")
            return False
        lines = [R.out_line(r) for r in out]
        line, ok = QInputDialog.getItem(self.window, "撤回分工", "不再等待交回的分工：", lines, 0, False)
        if not ok or line not in lines:
            return False
        record = out[lines.index(line)]
        record["status"] = R.WITHDRAWN
        try:
            self.window.store.save(session.draft, reason=f"撤回分工：{record.get('department', '')}")
        except StoreError as exc:
            session.dirty = True
            QMessageBox.warning(self.window, "撤回分工", str(exc))
            return False
        if self.window.wizard is not None:
            self.window.wizard.refresh_side()
        return True
