"""导入 Word 方案: the document's headings beside the program's outline, one choice per heading.

The file has been read before this dialog opens (app.word_import.open_word_plan); here the
officer picks the program (the one whose outline the headings match best is preselected),
checks the applicant, and confirms or corrects where each heading goes — the suggestion is
preselected in each row's list. 导入 builds the new draft (WordImportDialog.result_draft)
and its report; the caller saves and opens it.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QFormLayout, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QListWidget, QSpinBox, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from desktop_app.app.word_import import WordImport
from desktop_app.core.program import Program
from desktop_app.ui.dialog_buttons import ok_cancel
from desktop_app.wordin.assemble import Document, guess_year
from desktop_app.wordin.mapping import UNPLACED, suggest, targets


def best_program(document: Document, programs: list[Program]) -> Program:
    """The program whose outline and tasks the document's headings name most often; between
    equals, the one whose guide (tasks, applicant) shares most words with the document."""
    text = "".join(b.text for b in document.blocks if getattr(b, "kind", "") == "paragraph")[:20000]
    pairs = {text[i:i + 2] for i in range(len(text) - 1)}

    def score(p: Program) -> tuple[int, float]:
        keys = suggest(p, document.headings)
        named = sum(1 for k in keys if k.startswith("part:")) + 2 * sum(1 for k in keys if k.startswith("task:"))
        guide = "".join(t.title + t.guide for t in p.tasks) + str(p.applicant.get("kind", ""))
        own = {guide[i:i + 2] for i in range(len(guide) - 1)}
        return named, len(own & pairs) / max(len(own), 1)
    return max(programs, key=score)


def section_previews(document: Document, limit: int = 300) -> list[str]:
    """For each heading, the beginning of the text under it (until the next heading)."""
    at = {id(h.para): n for n, h in enumerate(document.headings)}
    texts = [""] * len(document.headings)
    current = -1
    for block in document.blocks:
        if id(block) in at:
            current = at[id(block)]
            continue
        if current < 0 or len(texts[current]) >= limit:
            continue
        text = block.text if block.kind == "paragraph" and not block.toc else \
            ("［表格］" if block.kind == "table" else "")
        if text.strip():
            texts[current] = (texts[current] + "\n" + text.strip()).strip()[:limit]
    return texts


class WordImportDialog(QDialog):
    def __init__(self, plan: WordImport, programs: list[Program], parent=None):
        super().__init__(parent)
        self.setWindowTitle("导入 Word 方案")
        self.plan = plan
        self.programs = programs
        self.result_draft = None
        self.result_report = None
        layout = QVBoxLayout(self)
        intro = QLabel(f"文件：<b>{plan.path.name}</b>　共 {len(plan.document.headings)} 个标题。"
                       "请核对每个标题放入申报书的哪一部分（已按标题文字预选）；"
                       "“作为上文的小标题”保留在前一部分的正文中，“未归入”的内容在申报总览中稍后处理，不会丢失。")
        intro.setWordWrap(True)
        layout.addWidget(intro)

        form = QFormLayout()
        self.program_combo = QComboBox()
        for p in programs:
            self.program_combo.addItem(p.name, p.id)
        self.program_combo.setCurrentIndex(next(i for i, p in enumerate(programs) if p.id == plan.program.id))
        form.addRow("申报项目", self.program_combo)
        who = QHBoxLayout()
        self.organization = QLineEdit()
        self.organization.setPlaceholderText("默认取自文件封面")
        self.city = QLineEdit()
        self.city.setPlaceholderText("默认取自申报单位或方案标题")
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(guess_year(plan.document, plan.program))
        who.addWidget(QLabel("申报单位"))
        who.addWidget(self.organization, 2)
        who.addWidget(QLabel("所在城市"))
        who.addWidget(self.city, 1)
        who.addWidget(QLabel("申报年度"))
        who.addWidget(self.year)
        form.addRow(who)
        layout.addLayout(form)

        split = QSplitter()
        self.table = QTableWidget(0, 2)
        self.table.setAccessibleName("文件中的标题")
        self.table.setHorizontalHeaderLabels(["文件中的标题", "放入申报书的"])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(1, 300)
        split.addWidget(self.table)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel("申报书提纲（← 放入的标题）"))
        self.outline = QListWidget()
        self.outline.setAccessibleName("申报书提纲")
        self.outline.setWordWrap(True)
        right_layout.addWidget(self.outline)
        split.addWidget(right)
        split.setSizes([620, 340])
        layout.addWidget(split, 1)

        self.error = QLabel()
        self.error.setStyleSheet("color: #b3261e;")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        buttons = ok_cancel("导入为新草稿", self._import, self.reject)
        layout.addWidget(buttons)
        self.buttons = buttons
        self.combos: list[QComboBox] = []
        self.program_combo.currentIndexChanged.connect(self._on_program)
        self._fill()
        self.resize(1000, 620)  # fits 1366×768 with the taskbar and title bar

    # program and rows -----------------------------------------------------------
    def program(self) -> Program:
        return self.programs[self.program_combo.currentIndex()]

    def _on_program(self) -> None:
        program = self.program()
        self.plan = WordImport(self.plan.path, program, self.plan.document,
                               suggest(program, self.plan.document.headings))
        self.year.setValue(guess_year(self.plan.document, program))
        self._fill()

    def _fill(self) -> None:
        plan = self.plan
        options = targets(plan.program)
        previews = section_previews(plan.document)
        self.table.setRowCount(len(plan.headings))
        self.combos = []
        for row, (heading, key) in enumerate(zip(plan.headings, plan.suggestion)):
            item = QTableWidgetItem("　" * max(heading.depth - 1, 0) + heading.text)
            item.setToolTip(f"第{heading.para.index}段\n{previews[row]}" if previews[row] else f"第{heading.para.index}段")
            self.table.setItem(row, 0, item)
            combo = QComboBox()
            combo.setAccessibleName(f"“{heading.text}”放入")
            for target in options:
                combo.addItem(target.label, target.key)
            combo.setCurrentIndex(max(combo.findData(key), 0))
            combo.currentIndexChanged.connect(self._show_outline)
            self.table.setCellWidget(row, 1, combo)
            self.combos.append(combo)
        self._show_outline()

    def mapping(self) -> list[str]:
        return [combo.currentData() for combo in self.combos]

    def set_mapping(self, row: int, key: str) -> None:
        combo = self.combos[row]
        combo.setCurrentIndex(combo.findData(key))

    def _show_outline(self) -> None:
        """Each part of the outline with the document headings it will take."""
        program = self.plan.program
        placed: dict[str, list[str]] = {}
        for heading, key in zip(self.plan.headings, self.mapping()):
            placed.setdefault(key, []).append(heading.text)
        self.outline.clear()
        measures = program.part_of_kind("measures")
        for node in program.walk():
            taken = placed.get(f"part:{node.id}", [])
            self.outline.addItem(f"{node.heading}" + (f"　← {'；'.join(taken)}" if taken else ""))
            if measures is not None and node.id == measures.id:
                for task in program.tasks:
                    taken = placed.get(f"task:{task.id}", [])
                    self.outline.addItem(f"　　{task.title}" + (f"　← {'；'.join(taken)}" if taken else "　（未对应）"))
                own = placed.get("measure", [])
                if own:
                    self.outline.addItem(f"　　自拟举措　← {'；'.join(own)}")
        unplaced = placed.get(UNPLACED, [])
        if unplaced:
            item_text = f"未归入　← {'；'.join(unplaced)}"
            self.outline.addItem(item_text)
            self.outline.item(self.outline.count() - 1).setForeground(Qt.GlobalColor.darkYellow)

    # import ---------------------------------------------------------------------
    def _import(self) -> None:
        from desktop_app.app.word_import import WordInError
        from desktop_app.core.exchange import validate_document

        try:
            draft, report = self.plan.build(self.mapping(), organization=self.organization.text().strip(),
                                            city=self.city.text().strip(), year=self.year.value())
        except WordInError as exc:  # longer than the limit table allows: said in plain words
            self.error.setText(str(exc))
            return
        problems = validate_document(draft.data)
        if problems:  # the importer's own fault; say so rather than save a draft it cannot reopen
            self.error.setText("无法导入：" + "；".join(problems[:3]))
            return
        self.result_draft, self.result_report = draft, report
        QDialog.accept(self)


def choose_word_file(parent) -> str:
    """Ask for the Word plan (a function of its own so tests can answer for the officer)."""
    from pathlib import Path

    from PySide6.QtWidgets import QFileDialog

    from desktop_app.app.word_import import FILE_FILTER

    path, _ = QFileDialog.getOpenFileName(parent, "导入 Word 方案", str(Path.home()), FILE_FILTER)
    return path


def import_word_plan(window, path: str | None = None, exec_dialog=None) -> str | None:
    """文件 › 导入 Word 方案…: file → read → mapping view → new draft saved and opened, then
    the report. Returns the new draft's id (None when cancelled or refused).
    `exec_dialog(dialog) -> bool` replaces the modal run in tests."""
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QMessageBox

    from desktop_app import APP_NAME
    from desktop_app.app.word_import import WordInError, open_word_plan
    from desktop_app.core.program import ProgramError, available_programs
    from desktop_app.core.store import StoreError

    path = path or choose_word_file(window)
    if not path:
        return None
    try:
        programs = available_programs()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            plan = open_word_plan(path, programs[0])
        finally:
            QGuiApplication.restoreOverrideCursor()
    except (WordInError, ProgramError) as exc:
        QMessageBox.warning(window, APP_NAME, str(exc))
        return None
    best = best_program(plan.document, programs)
    if best.id != plan.program.id:
        plan = WordImport(plan.path, best, plan.document, suggest(best, plan.document.headings))
    dialog = WordImportDialog(plan, programs, window)
    accepted = exec_dialog(dialog) if exec_dialog else dialog.exec() == QDialog.DialogCode.Accepted
    if not accepted or dialog.result_draft is None:
        return None
    draft, report = dialog.result_draft, dialog.result_report
    try:
        window.store.save(draft, reason="import")
    except StoreError as exc:
        QMessageBox.critical(window, APP_NAME, str(exc))
        return None
    window.open_draft(draft.id)
    lines = report.lines()
    if draft.data.get("unplaced"):
        lines.append(f"有 {len(draft.data['unplaced'])} 处内容留在“未归入”，已列在申报总览下方，请逐一归入相应部分。")
    box = QMessageBox(QMessageBox.Icon.Information, "导入完成", "\n".join(lines), QMessageBox.StandardButton.Ok, window)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.word_import_report = box  # shown without blocking; tests read it here
    box.open()
    return draft.id
