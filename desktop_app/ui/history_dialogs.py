"""Dialogs over a draft's past: 历史版本 (revisions, differences, restore),
对照上年 (a part beside the parent draft's), 从往年草稿新建 (carry-over)."""
from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QListWidget,
    QListWidgetItem, QPlainTextEdit, QPushButton, QSpinBox, QSplitter, QTextBrowser, QVBoxLayout,
    QWidget,
)

from desktop_app.core.fields import label, page_title
from desktop_app.core.history import diff_drafts
from desktop_app.core.program import Program
from desktop_app.core.store import DraftStore
from desktop_app.ui.dialog_buttons import ok_cancel
from desktop_app.ui.screen_fit import resize_to_fit

REASONS = {"edit": "编辑", "import": "导入", "restore": "恢复", "carry_over": "由上年草稿新建",
           "program_move": "迁移到新项目", "conflict": "冲突时本窗口的版本"}


def part_label(program: Program, key: str) -> str:
    return "全部内容" if key == "全部" else page_title(program, key)


def path_label(program: Program, path: str, data: dict | None = None) -> str:
    """A changed field in words, from the draft's field map (core.fields); rows are named by
    their content in `data` (a measure by its title) when given."""
    return label(program, path, data)


class HistoryDialog(QDialog):
    """Revisions newest first; selecting one shows what it changed against the one before it."""

    def __init__(self, store: DraftStore, program: Program, draft_id: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle("历史版本")
        resize_to_fit(self, 980, 620)
        self.store, self.program, self.draft_id = store, program, draft_id
        self.restored = False
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("每次编辑都会自动记录；5 分钟内的连续修改合为一个版本，最多保留 100 个版本。\n"
                                "选中一个版本查看它改了什么；按住 Ctrl 选中两个版本，比较二者的差别。"))
        split = QSplitter(Qt.Orientation.Horizontal)
        self.list = QListWidget()
        self.view = QTextBrowser()
        split.addWidget(self.list)
        split.addWidget(self.view)
        split.setSizes([330, 650])
        layout.addWidget(split, 1)
        buttons = QHBoxLayout()
        self.restore_button = QPushButton("恢复到所选版本")
        close = QPushButton("关闭")
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        close.clicked.connect(self.reject)
        self.restore_button.clicked.connect(self.restore_selected)
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.list.itemSelectionChanged.connect(self._on_selection)
        from desktop_app.app.drafts import history

        self.revisions = history(store, draft_id)
        for rev in self.revisions:
            parts = "、".join(part_label(program, p) for p in rev.parts) or "无变化"
            item = QListWidgetItem(f"{rev.saved_at.replace('T', ' ')}  {REASONS.get(rev.reason, rev.reason)}\n  {parts}")
            self.list.addItem(item)
        if self.revisions:
            self.list.setCurrentRow(0)

    def _on_selection(self) -> None:
        rows = sorted(self.list.row(i) for i in self.list.selectedItems())
        if len(rows) == 2:
            self.compare(rows[1], rows[0])
        elif len(rows) == 1:
            self._show(rows[0])
        self.restore_button.setEnabled(len(rows) == 1)

    def compare(self, older_row: int, newer_row: int) -> None:
        """The differences between two chosen revisions (older → newer)."""
        older, newer = self.revisions[older_row], self.revisions[newer_row]
        after = self.store.revision_draft(newer.id)
        diffs = diff_drafts(self.store.revision_draft(older.id), after)
        title = f"{older.saved_at.replace('T', ' ')} → {newer.saved_at.replace('T', ' ')} 的差别"
        self._render(title, diffs, after.data)

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self.revisions):
            return
        rev = self.revisions[row]
        after = self.store.revision_draft(rev.id)
        if row + 1 < len(self.revisions):
            before = self.store.revision_draft(self.revisions[row + 1].id)
            diffs = diff_drafts(before, after)
        else:
            diffs = []
        self._render(f"{rev.saved_at.replace('T', ' ')} 的版本", diffs, after.data)

    def _render(self, title: str, diffs, data: dict | None = None) -> None:
        chunks = [f"<h3>{html.escape(title)}</h3>"]
        if not diffs:
            chunks.append("<p>这是最早的版本，或与前一版本相比没有改动。</p>")
        for d in diffs:
            chunks.append(f"<h4>{html.escape(path_label(self.program, d.path, data))}</h4>")
            for line in d.lines:
                color, mark = ("#b3261e", "删去") if line.startswith("-") else ("#1e6b2e", "新增")
                chunks.append(f"<p style='color:{color}'>【{mark}】{html.escape(line[2:])}</p>")
        self.view.setHtml("".join(chunks))

    def selected_revision_id(self) -> int | None:
        row = self.list.currentRow()
        return self.revisions[row].id if 0 <= row < len(self.revisions) else None

    def restore_selected(self) -> None:
        rev_id = self.selected_revision_id()
        if rev_id is None:
            return
        from desktop_app.app.drafts import restore

        restore(self.store, rev_id)
        self.restored = True
        self.accept()


class CompareDialog(QDialog):
    """One part of this draft beside the same part of the draft it was carried over from."""

    def __init__(self, program: Program, part_id: str, current: str, previous: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(f"对照上年 — {part_label(program, part_id)}")
        resize_to_fit(self, 1100, 640)
        layout = QVBoxLayout(self)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.views: dict[str, QPlainTextEdit] = {}
        for key, title, text in (("previous", "上年草稿", previous), ("current", "本年草稿", current)):
            box = QVBoxLayout()
            panel = QPlainTextEdit(text)
            panel.setReadOnly(True)
            holder = QWidget()
            box.addWidget(QLabel(f"<b>{title}</b>"))
            box.addWidget(panel)
            holder.setLayout(box)
            split.addWidget(holder)
            self.views[key] = panel
        layout.addWidget(split, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def part_as_text(program: Program, draft, part_id: str) -> str:
    """A part's content as readable plain text (for the side-by-side view)."""
    from desktop_app.book.compose import _part_blocks
    from desktop_app.book.model import Heading, Panel, Paragraph, Table

    node = program.node(part_id)
    lines = []
    for block in _part_blocks(program, draft, node, 1):
        if isinstance(block, (Heading, Paragraph)):
            lines.append(block.text)
        elif isinstance(block, Table):
            lines.append("｜".join(c.header for c in block.columns))
            lines.extend("｜".join(row) for row in block.rows)
        elif isinstance(block, Panel):
            lines.append(block.title)
            lines.extend(f"● {i}" for i in block.items)
    return "\n".join(lines)


class CarryOverDialog(QDialog):
    """从往年草稿新建: pick a stored draft and the new application year."""

    def __init__(self, summaries, parent=None):
        super().__init__(parent)
        self.setWindowTitle("从往年草稿新建")
        self.summaries = summaries
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("复制所选草稿的全部内容，年份顺延，含数字的内容标记为“待更新”，请逐项核对。"))
        form = QFormLayout()
        self.source = QComboBox()
        for s in summaries:
            self.source.addItem(s.title, s.id)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        form.addRow("来源草稿", self.source)
        form.addRow("新的申报年度", self.year)
        layout.addLayout(form)
        self.buttons = ok_cancel("新建", self.accept, self.reject)
        layout.addWidget(self.buttons)
        self.source.currentIndexChanged.connect(self._on_source)
        self._on_source()

    def _on_source(self) -> None:
        if self.summaries:
            self.year.setValue(self.summaries[self.source.currentIndex()].year + 1)

    def source_id(self) -> str:
        return self.source.currentData()
