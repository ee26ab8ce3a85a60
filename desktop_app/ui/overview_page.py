"""申报总览: the whole application at a glance, first in the wizard.

One row per page: its state (未填写 / 待完善 / 已完成 / 有错误), its 字数 against the
part's hint, and how many findings point at it. A click goes there. The wizard feeds
it from its one run of the checks per change (PlanWizard.refresh_marks): this page
never runs the checks itself.

Below the rows, while a draft imported from Word has content without a place (the draft's
`unplaced` list), the 未归入 box lists it: the officer moves each piece into a part (its text
follows the part's text) or deletes it; export warns (rule unplaced.pending) until it is empty.

Signals:
    go_to(str, str): the officer clicked a row; page key ("" field).
    bind_sheet_requested(): 打印装订清单… was clicked.
    assign_requested(): 分工：发给部门… was clicked.
    receive_requested(): 收回分工… was clicked.
"""
from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QListWidget, QListWidgetItem,
    QMessageBox, QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
)

from desktop_app.app.wizard_plan import HAS_ERRORS, findings_by_page, overview_state
from desktop_app.core import completeness, limits
from desktop_app.core.completeness import char_count, live_count
from desktop_app.core.findings import ERROR, HINT, WARNING
from desktop_app.ui import item_roles
from desktop_app.ui.page_base import DraftPage
from desktop_app.ui.picture import ExportPictureButton
from desktop_app.ui.session import DraftSession

#: How each state reads and looks; "has errors" wins over any completeness state.
STATES = {
    completeness.EMPTY: ("○ 未填写", "#5f6b7a", "#f1f3f6"),
    completeness.PARTIAL: ("◐ 待完善", "#8a5a00", "#fff4ce"),
    completeness.COMPLETE: ("● 已完成", "#2e7d32", "#e8f5e9"),
    HAS_ERRORS: ("✖ 有错误", "#b3261e", "#fdecea"),
    completeness.TO_REVIEW: ("◐ 待核对", "#1d4f91", "#e3eefc"),  # carried over, items still open
}
COLUMNS = ("部分", "状态", "字数（建议）", "检查结果")


def part_chars(node, part: dict) -> int:
    """字数 as the part's length hint means it: the rules' count (the text; for 建设举措 the
    measures too), and for 面临问题及对策 the problems and countermeasures with the intro
    (its hint is for the whole part, see ProblemsPage)."""
    n = live_count(node, part)
    if node.kind == "problems":
        n += sum(char_count(i.get("problem", "")) + char_count(i.get("countermeasure", ""))
                 for i in part.get("items", []))
    return n




class OverviewPage(DraftPage):
    key = "glance"
    go_to = Signal(str, str)
    bind_sheet_requested = Signal()
    assign_requested = Signal()
    receive_requested = Signal()

    def __init__(self, session: DraftSession, parent=None):
        super().__init__(session, "申报总览", parent)
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        # A list with columns (QTreeWidget without branches) rather than a QTableWidget:
        # the same rows and colours, and the first QTableView a process makes costs 5 ms,
        # which this page, shown at every start, would pay before the first paint.
        self.table = QTreeWidget()
        self.table.setColumnCount(len(COLUMNS))
        self.table.setAccessibleName("申报总览")
        self.table.setHeaderLabels(COLUMNS)
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        header = self.table.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemClicked.connect(self._on_item)
        self.table.itemActivated.connect(self._on_item)
        layout.addWidget(self.table, 1)
        # 分工 out: which parts are with which department, since when (filled by show_status)
        self.out_label = QLabel()
        self.out_label.setWordWrap(True)
        self.out_label.setAccessibleName("在外的分工")
        self.out_label.setStyleSheet("QLabel { background: #fff8e6; padding: 6px; border: 1px solid #e8d3a0; }")
        self.out_label.hide()
        layout.addWidget(self.out_label)
        buttons = QHBoxLayout()
        hint = QLabel("单击任一行转到该部分。")
        hint.setStyleSheet("color: #5f6b7a")
        buttons.addWidget(hint, 1)
        self.bind_button = QPushButton("打印装订清单…")
        self.bind_button.setToolTip("装订顺序、各部分页码、盖章位置、份数和截止日期，可单独打印")
        self.bind_button.clicked.connect(self.bind_sheet_requested)
        buttons.addWidget(self.bind_button)
        self.assign_button = QPushButton("分工：发给部门…")
        self.assign_button.setToolTip("把选定的部分或举措生成 Word 分工材料，发给部门填写")
        self.assign_button.clicked.connect(self.assign_requested)
        buttons.addWidget(self.assign_button)
        self.receive_button = QPushButton("收回…")
        self.receive_button.setToolTip("读回部门修改后的分工材料，逐部分对照后放回草稿")
        self.receive_button.clicked.connect(self.receive_requested)
        buttons.addWidget(self.receive_button)
        self.export_button = ExportPictureButton(
            self.table, "申报总览", caption=lambda: f"{self.draft.title} · 申报总览（{dt.date.today():%Y-%m-%d}）")
        buttons.addWidget(self.export_button)
        layout.addLayout(buttons)
        #: The 未归入 box, made when a draft first has content there (most never do).
        self.unplaced_box: QGroupBox | None = None
        self.keys: list[str] = []
        self.states: dict[str, str] = {}
        self._unplaced_shown: tuple | None = None
        self.show_unplaced()

    # 未归入 ---------------------------------------------------------------------------
    def _make_unplaced_box(self) -> QGroupBox:
        box = QGroupBox("未归入")
        box.setStyleSheet("QGroupBox { color: #8a5a00; font-weight: bold; }")
        row = QHBoxLayout(box)
        self.unplaced_list = QListWidget()
        self.unplaced_list.setAccessibleName("未归入的内容")
        self.unplaced_list.setMaximumHeight(self.fontMetrics().height() * 8)
        self.unplaced_list.setWordWrap(False)
        row.addWidget(self.unplaced_list, 1)
        side = QVBoxLayout()
        hint = QLabel("从 Word 导入时没有对应部分的内容。\n选中一条，选择部分后点“归入”，\n内容接在该部分正文之后。")
        hint.setStyleSheet("color: #5f6b7a; font-weight: normal")
        side.addWidget(hint)
        self.unplaced_target = QComboBox()
        self.unplaced_target.setAccessibleName("归入到")
        side.addWidget(self.unplaced_target)
        buttons = QHBoxLayout()
        self.place_button = QPushButton("归入")
        self.place_button.clicked.connect(lambda: self.place_unplaced(self.unplaced_list.currentRow(),
                                                                      self.unplaced_target.currentData()))
        self.discard_button = QPushButton("删除…")
        self.discard_button.clicked.connect(lambda: self.discard_unplaced(self.unplaced_list.currentRow()))
        buttons.addWidget(self.place_button)
        buttons.addWidget(self.discard_button)
        side.addLayout(buttons)
        side.addStretch(1)
        row.addLayout(side)
        self.unplaced_list.currentRowChanged.connect(lambda _row: self._unplaced_buttons())
        return box

    def unplaced(self) -> list[dict]:
        return self.draft.data.get("unplaced") or []

    def unplaced_targets(self) -> list[tuple[str, str]]:
        """Where a piece can go: each part's text ("part:<id>"), and each measure's ("task:<id>:<n>")."""
        out: list[tuple[str, str]] = []
        for node in self.program.parts():
            out.append((node.heading, f"part:{node.id}"))
            if node.kind == "measures":
                for n, m in enumerate(self.draft.part(node.id).get("tasks", [])):
                    task = self.program.task(m.get("task", ""))
                    title = m.get("title") or (task.title if task else "")
                    out.append((f"　{node.title} › {title}", f"task:{node.id}:{n}"))
        return out

    def show_unplaced(self) -> None:
        entries = self.unplaced()
        if self.unplaced_box is None:
            if not entries:
                return
            self.unplaced_box = self._make_unplaced_box()
            self.layout().addWidget(self.unplaced_box)
        targets = self.unplaced_targets()
        shown = (tuple((e.get("text", ""), e.get("source", "")) for e in entries), tuple(t for t, _ in targets))
        if shown == self._unplaced_shown:
            return
        self._unplaced_shown = shown
        self.unplaced_box.setVisible(bool(entries))
        self.unplaced_box.setTitle(f"未归入（{len(entries)} 处，导出前请归入相应部分或删除）")
        row = self.unplaced_list.currentRow()
        self.unplaced_list.clear()
        for e in entries:
            text = e.get("text", "")
            first = text.split("\n", 1)[0]
            more = text.count("\n")
            label = f"{first[:40]}{'…' if len(first) > 40 else ''}" + (f"（共 {more + 1} 段）" if more else "")
            item = QListWidgetItem(f"{e.get('source', '')}：{label}" if e.get("source") else label)
            item.setToolTip(text[:2000])
            self.unplaced_list.addItem(item)
        if entries:
            self.unplaced_list.setCurrentRow(min(max(row, 0), len(entries) - 1))
        current = self.unplaced_target.currentData()
        self.unplaced_target.clear()
        for label, where in targets:
            self.unplaced_target.addItem(label, where)
        at = self.unplaced_target.findData(current) if current is not None else -1
        self.unplaced_target.setCurrentIndex(max(at, 0))
        self._unplaced_buttons()

    def _unplaced_buttons(self) -> None:
        chosen = 0 <= self.unplaced_list.currentRow() < len(self.unplaced())
        read_only = getattr(self.session, "read_only", False)
        self.place_button.setEnabled(chosen and not read_only)
        self.discard_button.setEnabled(chosen and not read_only)

    def place_unplaced(self, row: int, where: str | None) -> None:
        """Move entry `row` to the end of the text of `where` ("part:<id>" or "task:<id>:<n>")."""
        entries = self.unplaced()
        if not (0 <= row < len(entries)) or not where:
            return
        entry = entries[row]
        bits = where.split(":")
        if bits[0] == "task":
            holder = self.draft.part(bits[1]).get("tasks", [])[int(bits[2])]
            limit = limits.CELL_MAX_CHARS  # a measure's 具体举措 is a cell of the tasks table
        else:
            holder = self.draft.part(bits[1])
            limit = limits.TEXT_MAX_CHARS
        before = holder.get("text", "")
        text = f"{before}\n{entry.get('text', '')}" if before.strip() else entry.get("text", "")
        if len(text) > limit:  # the one limit table: never a part the draft file would refuse
            label = {w: t.strip() for t, w in self.unplaced_targets()}.get(where, where)
            self.tell(f"归入后“{label}”将有 {len(text)} 字，超过每{'项举措' if bits[0] == 'task' else '部分'}"
                      f" {limit} 字的上限，所以没有归入，内容仍在“未归入”中。请先精简该部分或这段内容，"
                      "或把这段内容复制后分别粘贴到几个部分，再删除这一条。")
            return
        holder["text"] = text
        self._remove_unplaced(row)
        self._reload_page(bits[1])

    def tell(self, message: str) -> None:
        """Say why something was not done (a method of its own so tests can read it)."""
        QMessageBox.warning(self, "未归入", message)

    def discard_unplaced(self, row: int) -> None:
        entries = self.unplaced()
        if not (0 <= row < len(entries)):
            return
        if not self.confirm_discard(entries[row].get("text", "")):
            return
        self._remove_unplaced(row)

    def confirm_discard(self, text: str) -> bool:
        """Ask before deleting (a method of its own so tests can answer for the officer)."""
        first = text.split("\n", 1)[0][:60]
        answer = QMessageBox.question(self, "删除未归入的内容",
                                      f"确定删除“{first}”吗？删除后仍可在“历史版本”中找回。")
        return answer == QMessageBox.StandardButton.Yes

    def _remove_unplaced(self, row: int) -> None:
        entries = self.unplaced()
        del entries[row]
        if not entries:
            self.draft.data.pop("unplaced", None)
        self.show_unplaced()
        self.session.touch()

    def _reload_page(self, part_id: str) -> None:
        """A page already built for the part shows the moved text too."""
        w = self.parent()
        while w is not None and not hasattr(w, "hosts"):
            w = w.parent()
        host = getattr(w, "hosts", {}).get(part_id) if w is not None else None
        page = getattr(host, "page", None)
        if page is None:
            return
        if hasattr(page, "prose") and hasattr(page, "part"):
            page.prose.set_text(page.part.get("text", ""))
        if hasattr(page, "show_task") and getattr(page, "tasks", None):
            page.show_task(max(getattr(page, "_shown", 0), 0))

    def _length(self, key: str) -> tuple[str, bool]:
        """The part's 字数 against its hint, and whether it is short of the hint."""
        try:
            node = self.program.node(key)
        except KeyError:
            return "—", False
        n = part_chars(node, self.draft.part(node.id))
        if not node.length:
            return (f"{n} 字" if n else "—"), False
        low, high = node.length
        return f"{n} 字（建议 {low}—{high}）", n < low

    def show_status(self, pages: list[tuple[str, str, str]], findings: list) -> None:
        """pages: (key, title, completeness state) in wizard order; findings: the one run's.

        Runs after every edit (debounced): the items are made once and then only
        changed where their text or colour changes, which keeps this well under a
        millisecond instead of relaying out the whole table."""
        keys = [key for key, _title, _state in pages]
        if keys != self.keys:
            self.keys = keys
            self.table.clear()
            # One line per part, as tall as the font needs (also at 200 %).
            height = int(self.fontMetrics().height() * 1.6)
            for _key in keys:
                item = QTreeWidgetItem([""] * len(COLUMNS))
                item.setSizeHint(0, QSize(0, height))
                self.table.addTopLevelItem(item)
            self.table.setCurrentItem(None)  # no row looks chosen before the officer chooses one
        by_page = findings_by_page(findings)
        self.states = {}
        counts = dict.fromkeys(STATES, 0)
        for row, (key, title, page_state) in enumerate(pages):
            mine = by_page.get(key, [])
            state = overview_state(page_state, mine)
            self.states[key] = state
            counts[state] += 1
            text, fg, bg = STATES[state]
            errors = sum(f.severity == ERROR for f in mine)
            warnings = sum(f.severity == WARNING for f in mine)
            hints = sum(f.severity == HINT for f in mine)
            found = "、".join(s for s in (f"{errors} 个错误" if errors else "", f"{warnings} 个警告" if warnings else "",
                                           f"{hints} 条提示" if hints else "") if s) or "—"
            length, short = self._length(key)
            self._set(row, 0, title)
            self._set(row, 1, text, fg, bg)
            self._set(row, 2, length, "#8a5a00" if short else "", tip="少于指南建议的字数" if short else "")
            self._set(row, 3, found, "#b3261e" if errors else "", tip="\n".join(f.message for f in mine))
        self.show_unplaced()
        if counts[completeness.EMPTY] == len(pages):  # a new draft: nothing to judge yet
            self.summary.setText(f"共 {len(pages)} 部分，都还未填写。单击任一行开始填写；"
                                 "打开或填写过的部分，会在这里显示进度和检查结果。")
        else:
            # every row counted once, so the figures add up to the total (待核对 only on a carried-over draft)
            to_review = f"待核对 {counts[completeness.TO_REVIEW]}，" if counts[completeness.TO_REVIEW] else ""
            head = (f"共 {len(pages)} 部分：已完成 {counts[completeness.COMPLETE]}，{to_review}"
                    f"待完善 {counts[completeness.PARTIAL]}，未填写 {counts[completeness.EMPTY]}，")
            self.summary.setText(
                head + f"<span style='color:#b3261e'>有错误 {counts[HAS_ERRORS]}</span>。" if counts[HAS_ERRORS]
                else head + "没有错误。")
        self._show_review_counts()
        self.show_assignments()

    def show_assignments(self) -> None:
        """在外的分工: one line per package out — its parts, the department, since when."""
        if not self.draft.data.get("assignments"):  # most drafts: nothing to load or show
            self.out_label.hide()
            return
        from desktop_app.assign.records import out_line, out_records

        lines = [out_line(r) for r in out_records(self.draft)]
        shown = (f"<span style='color:#b3261e'>{html.escape(line)}</span>" if line.endswith("（已逾期）")
                 else html.escape(line) for line in lines)
        text = ("<b>分工在外：</b><br>" + "<br>".join(shown)) if lines else ""
        if self.out_label.text() != text:
            self.out_label.setText(text)
        self.out_label.setVisible(bool(lines))

    def _show_review_counts(self) -> None:
        """A carried-over draft: how many automatic changes and 待更新 statements, how many still open
        (how many parts wait for review is the first line's 待核对)."""
        if not self.draft.data.get("review"):
            return
        from desktop_app.core import review

        c = review.counts(self.draft)
        self.summary.setText(
            self.summary.text() + f"<br>从上年草稿新建：自动改动 {c[review.CHANGED]} 处，待更新 {c[review.STALE]} 处"
            + (f"，未归位 {c[review.UNPLACED]} 处" if c[review.UNPLACED] else "")
            + (f"；尚未核对 <b>{c['open']}</b> 处（见“核对上年内容”）。" if c["open"] else "；已全部核对。"))

    def _set(self, row: int, col: int, text: str, fg: str = "", bg: str = "", tip: str = "") -> None:
        """Change one cell only where it differs: each change costs a relayout of the table."""
        item = self.table.topLevelItem(row)
        if item.text(col) != text:
            item.setText(col, text)
        if item.data(col, item_roles.USER) != (fg, bg):
            item.setData(col, item_roles.USER, (fg, bg))
            # None clears the role: an empty QBrush would paint the text invisibly. A QColor,
            # not a QBrush: QBrush's constructor would build the whole Qt namespace (item_roles).
            item.setData(col, item_roles.FOREGROUND, QColor(fg) if fg else None)
            item.setData(col, item_roles.BACKGROUND, QColor(bg) if bg else None)
        if item.toolTip(col) != tip:
            item.setToolTip(col, tip)

    def cell_text(self, row: int, col: int) -> str:
        return self.table.topLevelItem(row).text(col)

    def row_of(self, key: str) -> int:
        return self.keys.index(key)

    def _on_item(self, item: QTreeWidgetItem, _col: int) -> None:
        row = self.table.indexOfTopLevelItem(item)
        if 0 <= row < len(self.keys):
            self.go_to.emit(self.keys[row], "")
