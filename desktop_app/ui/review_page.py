"""核对上年内容: every automatic change and every 待更新 statement of a carried-over draft,
part by part, each handled on its own (接受 / 还原 / 编辑), with a jump to its field.

The list is data["review"] (core.review); this page only shows it and calls the core's
accept / revert. An item whose sentence the officer has rewritten counts as handled.
A whole part can be accepted at once only after confirming how many items that is.

Signals:
    go_to(str, str): jump to a page key and field (the wizard's go_to).
    text_reverted(str): a page key whose field 还原 changed behind its editors.
"""
from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QApplication, QFrame, QHBoxLayout, QHeaderView, QLabel, QMessageBox, QPushButton,
    QSplitter, QTextBrowser, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
)

from desktop_app.core import review as rv
from desktop_app.ui.page_base import DraftPage
from desktop_app.ui.session import DraftSession

ID_ROLE = Qt.ItemDataRole.UserRole
COLUMNS = ("位置", "类别", "内容", "状态")
KIND_COLOURS = {rv.CHANGED: "#1d4f91", rv.STALE: "#8a5a00", rv.UNPLACED: "#6a1b9a"}


def _marked(sentence: str, spans: list[str], colour: str) -> str:
    """The sentence as HTML with each span highlighted."""
    out = html.escape(sentence)
    for span in sorted(set(spans), key=len, reverse=True):
        esc = html.escape(span)
        out = out.replace(esc, f"<span style='background:{colour};font-weight:bold'>{esc}</span>")
    return out


class ReviewPage(DraftPage):
    key = "review"
    go_to = Signal(str, str)
    text_reverted = Signal(str)

    def __init__(self, session: DraftSession, parent=None):
        super().__init__(session, "核对上年内容", parent)
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.move_bar = self._make_move_bar()
        layout.addWidget(self.move_bar)
        split = QSplitter(Qt.Orientation.Vertical)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("核对上年内容")
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.currentItemChanged.connect(lambda *_: self._show_detail())
        self.tree.itemActivated.connect(lambda *_: self.edit_current())
        split.addWidget(self.tree)
        self.detail = QTextBrowser()
        self.detail.setAccessibleName("改动详情")
        split.addWidget(self.detail)
        split.setSizes([330, 170])
        layout.addWidget(split, 1)
        buttons = QHBoxLayout()
        self.accept_button = QPushButton("接受")
        self.accept_button.setToolTip("保留现在的写法（Alt+A）")
        self.accept_button.setShortcut("Alt+A")
        self.revert_button = QPushButton("还原")
        self.revert_button.setToolTip("改回上年的写法（Alt+R）")
        self.revert_button.setShortcut("Alt+R")
        self.edit_button = QPushButton("编辑…")
        self.edit_button.setToolTip("转到该字段并选中这一处，改写后本项即算已处理（Enter）")
        self.accept_part_button = QPushButton("接受本部分全部…")
        self.accept_part_button.setToolTip("先确认条数，再接受所选部分中尚未核对的全部条目")
        for b in (self.accept_button, self.revert_button, self.edit_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.accept_part_button)
        layout.addLayout(buttons)
        self.accept_button.clicked.connect(self.accept_current)
        self.revert_button.clicked.connect(self.revert_current)
        self.edit_button.clicked.connect(self.edit_current)
        self.accept_part_button.clicked.connect(self.accept_part)
        self.refresh()

    # the "newer program" offer ------------------------------------------------------
    def _make_move_bar(self) -> QFrame:
        bar = QFrame()
        bar.setObjectName("moveBar")
        bar.setStyleSheet("#moveBar { background: #fdecea; border: 1px solid #e6a19a; }")
        row = QHBoxLayout(bar)
        row.setContentsMargins(8, 4, 8, 4)
        self.move_label = QLabel()
        self.move_label.setWordWrap(True)
        self.move_button = QPushButton("迁移到新项目…")
        self.move_button.clicked.connect(self.move_to_newer)
        row.addWidget(self.move_label, 1)
        row.addWidget(self.move_button)
        self.newer = None
        return bar

    def _show_move_bar(self) -> None:
        from desktop_app.core.program import available_programs
        from desktop_app.core.program_move import newer_program

        program = self.program
        if self.draft.year == program.year:
            self.move_bar.hide()
            return
        try:
            installed = available_programs(program.folder.parent) if program.folder is not None else []
        except (OSError, ValueError):
            installed = []
        self.newer = newer_program(program, installed)
        text = f"申报年度为 {self.draft.year} 年，所用申报项目仍是“{program.name}”。"
        if self.newer is not None:
            text += f"已安装“{self.newer.name}”，可把草稿迁移过去（各部分按编号对应，新项目中没有位置的内容原样保留并列出）。"
        else:
            text += "未安装本年度的同类申报项目；安装后可在此迁移。"
        self.move_label.setText(text)
        self.move_button.setVisible(self.newer is not None)
        self.move_bar.show()

    def move_to_newer(self) -> None:
        """Move the draft onto the newer program: saved as a revision, then reopened."""
        from desktop_app.core.program_move import move_to_program

        if self.newer is None:
            return
        answer = QMessageBox.question(
            self, "迁移到新项目", f"把本草稿迁移到“{self.newer.name}”？\n"
            "各部分按编号对应；新项目中没有位置的内容原样保留，并列在本页“未归位”中。迁移前的内容留在历史版本中。")
        if answer != QMessageBox.StandardButton.Yes:
            return
        from PySide6.QtCore import QTimer

        self.session.flush()
        moved, _unplaced = move_to_program(self.draft, self.program, self.newer)
        self.session.store.save(moved, reason="program_move")
        self.session.dirty = False  # the moved state is stored; closing must not write the old one back
        window = self.window()
        if hasattr(window, "open_draft"):  # after this click returns: reopening replaces this page
            QTimer.singleShot(0, lambda: window.open_draft(moved.id, "review"))

    # the list ----------------------------------------------------------------------
    def initializePage(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the list from the draft (items handled by editing fall out as handled)."""
        current = self.current_item_id()
        items = rv.items(self.draft)
        c = rv.counts(self.draft)
        open_n = c["open"]
        self.summary.setText(
            f"从上年草稿新建：自动改动 <b>{c[rv.CHANGED]}</b> 处，待更新 <b>{c[rv.STALE]}</b> 处"
            + (f"，未归位 <b>{c[rv.UNPLACED]}</b> 处" if c[rv.UNPLACED] else "")
            + f"；尚未核对 <b style='color:#b3261e'>{open_n}</b> 处。"
            "逐项选中后“接受”“还原”，或“编辑…”转到原处改写（改写后即算已处理）。")
        self.tree.blockSignals(True)
        self.tree.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        for item in items:
            part = item.get("part", "")
            if part not in groups:
                group = QTreeWidgetItem([rv.page_title(self.program, part), "", "", ""])
                group.setData(0, ID_ROLE, "")
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                groups[part] = group
                self.tree.addTopLevelItem(group)
            is_open = rv.is_open(item, self.draft)
            status = rv.STATUS_TEXT[rv.PENDING] if is_open else (
                rv.STATUS_TEXT.get(item.get("status"), "") if item.get("status") != rv.PENDING else "已改写")
            if item.get("kind") == rv.CHANGED:
                content = f"{rv.shown_value(item, 'before')} → {rv.shown_value(item, 'after')}"
            else:
                content = rv.shown_value(item, "after") or item["path"]
            row = QTreeWidgetItem([rv.item_label(self.program, item), rv.KIND_TEXT.get(item.get("kind"), ""),
                                   content.replace("\n", " "), status])
            row.setData(0, ID_ROLE, item.get("id", ""))
            row.setToolTip(2, content)
            row.setForeground(1, QColor(KIND_COLOURS.get(item.get("kind"), "#000")))
            row.setForeground(3, QColor("#b3261e" if is_open else "#2e7d32"))
            groups[part].addChild(row)
        for part, group in groups.items():
            mine = [i for i in items if i.get("part") == part]
            left = sum(rv.is_open(i, self.draft) for i in mine)
            group.setText(3, f"待核对 {left} / {len(mine)}" if left else f"已处理 {len(mine)}")
            group.setForeground(3, QColor("#b3261e" if left else "#2e7d32"))
            group.setExpanded(True)
        self.tree.blockSignals(False)
        if not self.select(current):
            self.select_next_open()
        self._show_detail()
        self._show_move_bar()

    def row_of(self, item_id: str) -> QTreeWidgetItem | None:
        for g in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(g)
            for k in range(group.childCount()):
                if group.child(k).data(0, ID_ROLE) == item_id:
                    return group.child(k)
        return None

    def select(self, item_id: str | None) -> bool:
        row = self.row_of(item_id) if item_id else None
        if row is not None:
            self.tree.setCurrentItem(row)
            return True
        return False

    def select_next_open(self) -> None:
        """The first open item after the current one (or from the top)."""
        ids = [i["id"] for i in rv.items(self.draft) if rv.is_open(i, self.draft)]
        if ids:
            self.select(ids[0])

    def current_item_id(self) -> str:
        row = self.tree.currentItem()
        return row.data(0, ID_ROLE) or "" if row is not None else ""

    def current_item(self) -> dict | None:
        item_id = self.current_item_id()
        return next((i for i in rv.items(self.draft) if i.get("id") == item_id), None) if item_id else None

    def _show_detail(self) -> None:
        item = self.current_item()
        is_open = item is not None and rv.is_open(item, self.draft)
        self.accept_button.setEnabled(is_open)
        self.revert_button.setEnabled(item is not None and rv.can_revert(item, self.draft))
        self.edit_button.setEnabled(item is not None)
        part = self._current_part()
        self.accept_part_button.setEnabled(bool(part and rv.open_items(self.draft, part)))
        if item is None:
            self.detail.setHtml("<p style='color:#5f6b7a'>选中一项查看上年与现在的写法。</p>")
            return
        where = f"{rv.page_title(self.program, item.get('part', ''))} · {rv.item_label(self.program, item)}"
        spans = item.get("spans") or []
        if item.get("kind") == rv.CHANGED:
            body = (f"<p><b>上年：</b>{_marked(rv.shown_value(item, 'before'), [], '#fff')}</p>"
                    f"<p><b>现在：</b>{_marked(rv.shown_value(item, 'after'), spans, '#cfe3ff')}</p>"
                    "<p style='color:#5f6b7a'>年份随建设期自动顺延。写法正确就“接受”；不该改的“还原”。</p>")
        elif item.get("kind") == rv.STALE:
            body = (f"<p>{_marked(rv.shown_value(item, 'after'), spans, '#ffe08a')}</p>"
                    "<p style='color:#8a5a00'>这是关于往年情况的陈述，年份和数字没有改动。请按今年的数据改写"
                    "（“编辑…”转到原处），或确认仍然适用后“接受”。</p>")
        else:
            body = (f"<p>{html.escape(rv.shown_value(item, 'after'))}</p>"
                    "<p style='color:#6a1b9a'>新项目中没有对应位置，内容原样保留在草稿中，请移到合适的部分后“接受”。</p>")
        self.detail.setHtml(f"<p><b>{html.escape(where)}</b></p>{body}")

    def _current_part(self) -> str:
        row = self.tree.currentItem()
        if row is None:
            return ""
        group = row.parent() or row
        index = self.tree.indexOfTopLevelItem(group)
        parts = list(dict.fromkeys(i.get("part", "") for i in rv.items(self.draft)))
        return parts[index] if 0 <= index < len(parts) else ""

    # actions -----------------------------------------------------------------------
    def _after_action(self, item_id: str) -> None:
        self.session.touch()
        self.refresh()
        ids = [i["id"] for i in rv.items(self.draft)]
        after = ids[ids.index(item_id) + 1:] + ids if item_id in ids else ids
        nxt = next((i for i in after if rv.is_open(next(x for x in rv.items(self.draft) if x["id"] == i), self.draft)),
                   None)
        if nxt:
            self.select(nxt)

    def accept_current(self) -> None:
        item = self.current_item()
        if item is None or not rv.is_open(item, self.draft):
            return
        rv.accept(self.draft, item["id"])
        self._after_action(item["id"])

    def revert_current(self) -> None:
        item = self.current_item()
        if item is None:
            return
        if not rv.revert(self.draft, item["id"]):
            QMessageBox.information(self, "还原", "这一处已经改写过，无法自动还原；请用“编辑…”转到原处修改。")
            return
        self.text_reverted.emit(item.get("part", ""))
        self._after_action(item["id"])

    def edit_current(self) -> None:
        """Jump to the item's field, with its span (or sentence) selected in a text editor."""
        item = self.current_item()
        if item is None:
            return
        page = item.get("part", "")
        if page == "letter" and self.program.letter is None:
            page = "basic"
        self.go_to.emit(page, rv.field_of(item["path"]))
        widget = QApplication.focusWidget()
        target = (item.get("spans") or [""])[0] if item.get("kind") == rv.STALE else ""
        sentence = item.get("after") if isinstance(item.get("after"), str) else ""
        if widget is not None and hasattr(widget, "find") and hasattr(widget, "moveCursor") and sentence:
            from PySide6.QtGui import QTextCursor

            widget.moveCursor(QTextCursor.MoveOperation.Start)
            if widget.find(sentence) and target:
                # the sentence is selected; narrow it to the stale span within it
                cursor = widget.textCursor()
                start = cursor.selectionStart() + sentence.find(target)
                cursor.setPosition(start)
                cursor.setPosition(start + len(target), QTextCursor.MoveMode.KeepAnchor)
                widget.setTextCursor(cursor)

    def accept_part(self) -> None:
        """接受 every open item of the selected part, after confirming how many."""
        part = self._current_part()
        n = len(rv.open_items(self.draft, part))
        if not part or not n:
            return
        answer = QMessageBox.question(
            self, "接受本部分全部",
            f"“{rv.page_title(self.program, part)}”还有 {n} 处尚未核对（含待更新的往年数据）。\n"
            f"确认这 {n} 处都已逐一看过、全部接受吗？")
        if answer != QMessageBox.StandardButton.Yes:
            return
        rv.accept_all(self.draft, part)
        self.session.touch()
        self.refresh()
