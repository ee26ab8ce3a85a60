"""Wizard pages, one per outline part kind. Each page edits the session's draft in
place and calls session.touch(); it never saves by itself."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QFormLayout, QFrame, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
    QListWidget, QListWidgetItem, QPushButton, QScrollArea, QSpinBox, QSplitter, QTabWidget, QVBoxLayout,
    QWidget,
)

from desktop_app.core.departments import examples as department_examples
from desktop_app.core.departments import remember
from desktop_app.core.draft import Draft
from desktop_app.core.limits import field_max
from desktop_app.core.program import OutlineNode
from desktop_app.ui.departments import (
    DepartmentCompleter, DepartmentsEditor, department_model, refresh_department_model,
)
from desktop_app.ui.editors import ColumnSpec, ProseEditor, RowTable, limit_line_edit, split_departments
from desktop_app.ui.page_base import DraftPage, chain_tab_order, guide_box  # noqa: F401 (re-exported)
from desktop_app.ui.projects_editor import ProjectsEditor
from desktop_app.ui.session import DraftSession
from desktop_app.ui.target_chart_view import TargetChartPanel
from desktop_app.ui.timeline_view import TimelinePanel


def _lines_height(edit, lines: int) -> int:
    """The height a text editor needs to show `lines` lines of its font."""
    return int(edit.fontMetrics().lineSpacing() * lines + 2 * edit.frameWidth()
               + edit.document().documentMargin() * 2 + 2)


def _compact(prose: ProseEditor, lines: int) -> None:
    """An intro editor above a table: `lines` lines tall at most, two at least, so the
    table below keeps its rows on a 1366×768 laptop."""
    edit = prose.edit
    edit.setMinimumHeight(_lines_height(edit, 2))
    prose.setMaximumHeight(_lines_height(edit, lines) + prose.count.sizeHint().height() + 6)


def _date_edit(draft: Draft) -> QDateEdit:
    """A date picker on the draft's signing date (letter.date), shown as 2021年3月1日."""
    edit = QDateEdit()
    edit.setDisplayFormat("yyyy年M月d日")
    edit.setCalendarPopup(True)
    try:
        d = dt.date.fromisoformat(draft.letter_date)
    except ValueError:
        d = dt.date(draft.year, 3, 1)
    edit.setDate(QDate(d.year, d.month, d.day))
    return edit


class BasicInfoPage(DraftPage):
    """基本信息: who applies, for which year, the program's choices (e.g. 主攻产业链) and,
    when the program has no 信用承诺书 to date, the 申报日期. Labels and examples come
    from the program's `applicant`, so a park or a university is not asked for a city
    government."""

    key = "basic"

    def __init__(self, session: DraftSession, parent=None):
        super().__init__(session, "基本信息", parent)
        p = self.program
        layout = QVBoxLayout(self)
        layout.addWidget(guide_box(f"{p.name}；申报主体：{p.applicant.get('kind', '')}", "申报项目"))
        # Where the outline comes from, when the guide prescribes none (program.outline_note).
        self.outline_note: QLabel | None = guide_box(p.outline_note, "提纲说明") if p.outline_note else None
        if self.outline_note is not None:
            layout.addWidget(self.outline_note)
        form = QFormLayout()
        self.fields: dict[str, QLineEdit] = {}
        examples = {"organization": p.applicant.get("organization_example", ""),
                    "city": p.applicant.get("city_example", ""), "contact": "",
                    "phone": p.applicant.get("phone_example", "0514-87000000")}
        labels = {"organization": p.applicant.get("organization_label") or "申报单位",
                  "city": p.applicant.get("city_label") or "所在城市", "contact": "联系人", "phone": "联系电话"}
        for key, label in labels.items():
            edit = QLineEdit(self.draft.applicant.get(key, ""))
            edit.setPlaceholderText(f"例如：{examples[key]}" if examples[key] else "")
            limit_line_edit(edit, field_max(f"applicant.{key}"), label, self._show_limit)
            edit.textChanged.connect(lambda text, k=key: self._set_applicant(k, text))
            form.addRow(label, edit)
            self.fields[key] = edit
        self.choices: dict[str, QComboBox] = {}
        for choice in p.choices:
            form.addRow(choice.label, self._choice_combo(choice))
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(self.draft.year)
        self.year.valueChanged.connect(self._set_year)
        form.addRow("申报年度", self.year)
        self.period = QLabel()
        form.addRow("建设期", self.period)
        self.date: QDateEdit | None = None
        if p.letter is None:  # no 信用承诺书 page to date the book on
            self.date = _date_edit(self.draft)
            self.date.dateChanged.connect(self._set_date)
            form.addRow("申报日期", self.date)
        # The form on the left, the 部门名单 beside it: stacked, the two were taller
        # than a 1080p screen at 150 % leaves when the guide adds an outline note.
        columns = QHBoxLayout()
        left = QVBoxLayout()
        left.addLayout(form)
        # What a full field (core.limits) did not take, said where the officer types.
        self.limit_message = QLabel("")
        self.limit_message.setStyleSheet("color: #b3261e;")
        self.limit_message.setWordWrap(True)
        self.limit_message.hide()
        left.addWidget(self.limit_message)
        hints = [c.prompt for c in p.choices if c.prompt]
        if hints:
            note = QLabel("\n".join(hints))
            note.setWordWrap(True)
            left.addWidget(note)
        left.addStretch(1)
        columns.addLayout(left, 3)
        box = QGroupBox("部门名单（牵头部门、配合部门从这里选）")
        box_layout = QVBoxLayout(box)
        self.departments = DepartmentsEditor(session)
        box_layout.addWidget(self.departments, 1)
        columns.addWidget(box, 2)
        layout.addLayout(columns, 1)
        self._show_period()
        chain_tab_order(*self.fields.values(), *self.choices.values(), self.year, self.date,
                        self.departments.list, self.departments.add_button, self.departments.rename_button,
                        self.departments.remove_button, self.departments.common_button)

    def _choice_combo(self, choice) -> QComboBox:
        """A combo of the guide's options; "（请选择）" stands for no answer yet."""
        combo = QComboBox()
        combo.setAccessibleName(choice.label)
        combo.addItem("（请选择）", "")
        for option in choice.options:
            combo.addItem(option, option)
        current = str(self.draft.data.get("choices", {}).get(choice.id) or "")
        if choice.editable:
            combo.setEditable(True)
            combo.lineEdit().setPlaceholderText("从列表选择，或输入其他产业链")
            limit_line_edit(combo.lineEdit(), field_max("choices.*"), choice.label, self._show_limit)
        index = combo.findData(current) if current else 0
        if index >= 0:
            combo.setCurrentIndex(index)
        else:  # a value typed earlier, or from an imported file
            combo.addItem(current, current)
            combo.setCurrentIndex(combo.count() - 1)
        if choice.editable:
            combo.currentTextChanged.connect(lambda text, c=choice.id: self._set_choice(c, text))
        else:
            combo.currentIndexChanged.connect(lambda _i, c=choice.id, w=combo: self._set_choice(c, w.currentData()))
        self.choices[choice.id] = combo
        return combo

    def _set_choice(self, choice_id: str, value) -> None:
        value = str(value or "").strip()
        if value == "（请选择）":
            value = ""
        chosen = self.draft.writable("choices")
        if value:
            chosen[choice_id] = value
        else:
            chosen.pop(choice_id, None)
        self.session.touch()

    def _show_limit(self, message: str) -> None:
        self.limit_message.setText(message)
        self.limit_message.show()

    def _set_applicant(self, key: str, text: str) -> None:
        self.draft.writable("applicant")[key] = text.strip()
        self.session.touch()

    def _set_date(self, qdate: QDate) -> None:
        self.draft.data.setdefault("letter", {})["date"] = qdate.toString("yyyy-MM-dd")
        self.session.touch()

    def _set_year(self, year: int) -> None:
        span = len(self.draft.plan_years)
        self.draft.data["year"] = year
        self.draft.data["period"] = {"start": year, "end": year + span - 1}
        self._show_period()
        self.session.touch()

    def _show_period(self) -> None:
        years = self.draft.plan_years
        self.period.setText(f"{years[0]}—{years[-1]}年（{len(years)}年）")

    def focus_field(self, field: str) -> None:
        if field.startswith("choices.") and field[8:] in self.choices:
            self.choices[field[8:]].setFocus()
        elif field == "date" and self.date is not None:
            self.date.setFocus()
        else:
            self.fields.get(field, self.fields["organization"]).setFocus()


class PartPage(DraftPage):
    """A page for one outline part: the guide's prompt, then the kind's editors."""

    def __init__(self, session: DraftSession, node: OutlineNode, parent=None):
        super().__init__(session, node.heading, parent)
        self.node = node
        self.key = node.id
        self.part = self.draft.part_for_edit(node.id)
        self.layout_ = QVBoxLayout(self)
        if node.prompt:
            self.layout_.addWidget(guide_box(node.prompt))
        self.review_bar = self._make_review_bar()
        self.layout_.addWidget(self.review_bar)
        self.show_review()
        if self.draft.data.get("review"):  # carried over: the bar follows the officer's rewriting
            session.edited.connect(self.show_review)
        self.prose = ProseEditor(node.length)
        self.prose.set_text(self.part.get("text", ""))
        self.prose.changed.connect(self._set_text)
        self._highlight_review(self._review_open())

    def _make_review_bar(self) -> QFrame:
        """Shown on a part carried over from last year while it has review items open
        (core.review): they are handled one by one on 核对上年内容; accepting them all
        here asks first, naming how many."""
        bar = QFrame()
        bar.setObjectName("reviewBar")  # the frame only: its QLabel is a QFrame too
        bar.setStyleSheet("#reviewBar { background: #fff4ce; border: 1px solid #e0c060; }")
        row = QHBoxLayout(bar)
        row.setContentsMargins(8, 4, 8, 4)
        self.review_label = QLabel()
        self.review_label.setWordWrap(True)
        self.review_goto = QPushButton("逐项核对…")
        self.review_goto.setToolTip("转到“核对上年内容”，逐项接受、还原或改写")
        self.review_goto.clicked.connect(self.open_review)
        self.review_button = QPushButton("全部接受…")
        self.review_button.setToolTip("先确认条数，再接受本部分尚未核对的全部条目")
        self.review_button.clicked.connect(self.confirm_reviewed)
        row.addWidget(self.review_label, 1)
        row.addWidget(self.review_goto)
        row.addWidget(self.review_button)
        return bar

    def _review_open(self) -> list[dict]:
        from desktop_app.core import review

        return review.open_items(self.draft, self.node.id) if self.draft.data.get("review") else []

    def show_review(self) -> None:
        from desktop_app.core import review

        pending = self._review_open()
        self.review_bar.setVisible(bool(pending))
        changed = sum(i.get("kind") == review.CHANGED for i in pending)
        stale = len(pending) - changed
        self.review_label.setText(
            f"本部分沿用上年草稿，{len(pending)} 处待核对（自动改动 {changed} 处、待更新 {stale} 处）。"
            "请逐项核对；改写后的句子自动算作已处理。")
        self._highlight_review(pending)

    def _highlight_review(self, pending: list[dict]) -> None:
        """In the part's text: each open 待更新 year on yellow, each year moved by the
        carry-over on blue, so the officer sees them where they stand."""
        from PySide6.QtGui import QColor, QTextCursor, QTextFormat
        from PySide6.QtWidgets import QTextEdit

        from desktop_app.core import review

        if getattr(self, "prose", None) is None:
            return  # called again once the editor is made
        edit = self.prose.edit
        text = edit.toPlainText()
        marks = []
        for item in pending:
            if item["path"] != f"parts.{self.node.id}.text" or not isinstance(item.get("after"), str):
                continue
            at = text.find(item["after"])
            if at < 0:
                continue
            colour = "#ffe08a" if item.get("kind") == review.STALE else "#cfe3ff"
            for span in item.get("spans") or []:
                k = item["after"].find(span)
                while k >= 0:
                    sel = QTextEdit.ExtraSelection()
                    sel.format.setBackground(QColor(colour))
                    sel.format.setProperty(QTextFormat.Property.FullWidthSelection, False)
                    cursor = QTextCursor(edit.document())
                    cursor.setPosition(at + k)
                    cursor.setPosition(at + k + len(span), QTextCursor.MoveMode.KeepAnchor)
                    sel.cursor = cursor
                    marks.append(sel)
                    k = item["after"].find(span, k + len(span))
        if marks or edit.extraSelections():
            edit.setExtraSelections(marks)

    def open_review(self) -> None:
        widget = self.parent()
        while widget is not None and not hasattr(widget, "go_to"):
            widget = widget.parent()
        if widget is not None:
            widget.go_to("review")
            pending = self._review_open()
            page = widget.pages_by_key.get("review") if hasattr(widget, "pages_by_key") else None
            if page is not None and pending:
                page.select(pending[0]["id"])

    def confirm_reviewed(self) -> None:
        """Accept every open item of this part, once the officer confirms how many."""
        from PySide6.QtWidgets import QMessageBox

        from desktop_app.core import review

        n = len(self._review_open())
        if not n:
            return
        answer = QMessageBox.question(
            self, "全部接受", f"本部分还有 {n} 处尚未核对（含待更新的往年数据）。\n确认这 {n} 处都已逐一看过、全部接受吗？")
        if answer != QMessageBox.StandardButton.Yes:
            return
        review.accept_all(self.draft, self.node.id)
        self.show_review()
        self.session.touch()

    def initializePage(self) -> None:
        self.show_review()

    def _add_table_with_picture(self, name: str, picture: QWidget) -> QWidget:
        """self.table and its picture (时间轴, 图表) as two tabs, 表格 first. The picture
        redraws as rows change, and a click on it opens that row in the table."""
        self.views = QTabWidget()
        self.views.setDocumentMode(True)
        self.views.addTab(self.table, "表格")
        self.views.addTab(picture, name)
        self.table.changed.connect(picture.refresh)
        picture.view.row_clicked.connect(self.open_row)
        self.layout_.addWidget(self.views, 1)
        # the 表格/图表 tabs come before the table they switch, as they are drawn
        chain_tab_order(self.review_button, self.prose.edit, self.views.tabBar(), *self.table.tab_widgets())
        return picture

    def open_row(self, row: int) -> None:
        """A bar or chart of the picture was clicked: its row, selected in the table."""
        self.views.setCurrentIndex(0)
        self.table.table.setCurrentCell(row, 2)
        self.table.table.setFocus()

    def _set_text(self, text: str) -> None:
        self.part["text"] = text
        self.session.touch()

    def focus_field(self, field: str) -> None:
        self.prose.edit.setFocus()


class ProsePage(PartPage):
    def __init__(self, session, node, parent=None):
        super().__init__(session, node, parent)
        self.layout_.addWidget(self.prose, 1)


class ProblemsPage(PartPage):
    def __init__(self, session, node, parent=None):
        super().__init__(session, node, parent)
        self.layout_.addWidget(QLabel("引言（可选）："))
        self.prose.length = None  # the part's length hint counts the problems too, not this intro
        self.prose.set_text(self.part.get("text", ""))
        _compact(self.prose, 4)
        self.layout_.addWidget(self.prose)
        self.layout_.addWidget(QLabel("问题及对策（每行一条）："))
        self.table = RowTable(
            [ColumnSpec("problem", "面临的问题", width=330, multiline=True),
             ColumnSpec("countermeasure", "对策", width=330, multiline=True)],
            lambda: {"problem": "", "countermeasure": ""},
        )
        self.table.bind(self.part.setdefault("items", []))
        self.table.changed.connect(self.session.touch)
        self.layout_.addWidget(self.table, 1)
        chain_tab_order(self.review_button, self.prose.edit, *self.table.tab_widgets())

    def focus_field(self, field):
        if field.startswith("items"):
            self.table.table.setFocus()
            self.table.focus_cell(field)
        else:
            super().focus_field(field)


def _target_getter(i):
    def getter(row):
        targets = row.get("targets") or []
        return targets[i] if i < len(targets) else None
    return getter


def _target_setter(i, span):
    def setter(row, value):
        targets = list(row.get("targets") or [])
        targets += [None] * (span - len(targets))
        targets[i] = value
        row["targets"] = targets
    return setter


class TargetsPage(PartPage):
    def __init__(self, session, node, parent=None):
        super().__init__(session, node, parent)
        _compact(self.prose, 3)
        self.layout_.addWidget(self.prose)
        years = self.draft.plan_years
        program = self.program
        from desktop_app.core.part_kinds.targets import INDICATOR_KINDS, YEARLY

        def from_guide(row: dict) -> bool:
            """The guide's indicators: their 指标名称 and 单位 are the guide's words."""
            return program.indicator(row.get("key")) is not None

        columns = [
            ColumnSpec("name", "指标名称", width=190, guarded=from_guide),
            ColumnSpec("unit", "单位", width=44, guarded=from_guide),
            ColumnSpec("baseline", f"基期值（{years[0] - 1}年）", "number", width=108),
            *(ColumnSpec(f"t{i}", f"{y}年目标", "number", width=76, getter=_target_getter(i),
                         setter=_target_setter(i, len(years))) for i, y in enumerate(years)),
            ColumnSpec("guide", "指南要求", "readonly", width=100,
                       getter=lambda row: (program.indicator(row.get("key")).requirement
                                           if program.indicator(row.get("key")) else "")),
            ColumnSpec("note", "说明", width=110, multiline=True),
            # format 2, after the columns an Excel sheet of figures pastes into: 各年数值 / 增幅（%）/
            # 期末累计 / 定性 — the rules judge each in its own terms; a qualitative goal in words
            ColumnSpec("kind", "指标类型", "choice", width=84, choices=[(label, v) for v, label in INDICATOR_KINDS],
                       getter=lambda row: row.get("kind") or YEARLY, setting=True),
            ColumnSpec("goal", "定性目标", width=110, multiline=True),
        ]
        self.table = RowTable(
            columns,
            lambda: {"key": None, "name": "", "kind": YEARLY, "unit": "", "baseline": None,
                     "targets": [None] * len(years), "note": ""},
            max_row_lines=2,
        )
        self.table.bind(self.part.setdefault("indicators", []))
        self.table.changed.connect(self.session.touch)
        hint = QLabel("绩效目标指标（已按指南预填，请填写基期值和各年目标值；数字可写 20% 或 ２０％，"
                      "没有数字可填的写“未统计”或“不适用”；增幅指标各年填增幅%，期末累计只需填最后一年）：")
        hint.setWordWrap(True)  # long: it wraps rather than widen the window at 150 %
        self.layout_.addWidget(hint)
        self.chart = self._add_table_with_picture("图表", TargetChartPanel(self.program, self.draft))

    def focus_field(self, field):
        if field.startswith("indicators"):
            self.views.setCurrentIndex(0)
            self.table.table.setFocus()
            row = int(field.split(".")[1]) if "." in field else 0
            self.table.table.setCurrentCell(row, [c.key for c in self.table.columns].index("baseline"))
            self.table.focus_cell(field)  # a named column (indicators.3.note) when given
        else:
            super().focus_field(field)


class MeasuresPage(PartPage):
    """三、建设举措: the guide's tasks on the left, the selected task's measures on the right."""

    def __init__(self, session, node, parent=None):
        super().__init__(session, node, parent)
        # 总述 above, the measures below, split so the officer can give either more room;
        # the measure's 具体举措 and its 专栏 are two tabs, so 具体举措 keeps ten lines and
        # more on a 1366×768 laptop.
        self.prose.length = None  # the part's length hint counts the measures (5, 7, 8…), not this intro
        self.prose.set_text(self.part.get("text", ""))
        intro = QWidget()
        intro_layout = QVBoxLayout(intro)
        intro_layout.setContentsMargins(0, 0, 0, 0)
        intro_layout.addWidget(QLabel("总述（可选）："))
        intro_layout.addWidget(self.prose, 1)
        self.prose.edit.setMinimumHeight(_lines_height(self.prose.edit, 2))
        self.tasks = self.part.setdefault("tasks", [])
        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.task_list = QListWidget()
        for m in self.tasks:
            task = self.program.task(m.get("task", ""))
            self.task_list.addItem(QListWidgetItem(m.get("title") or (task.title if task else m.get("task"))))
        left_layout.addWidget(self.task_list, 2)
        # 指南任务 under the list: the column has room to spare below seven titles.
        self.guide = QLabel()
        self.guide.setWordWrap(True)
        self.guide.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.guide.setStyleSheet("QLabel { background: #f3f6fb; padding: 6px; border: 1px solid #c9d6ea; }")
        self.guide.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        guide_scroll = QScrollArea()
        guide_scroll.setWidget(self.guide)
        guide_scroll.setWidgetResizable(True)
        guide_scroll.setFrameShape(QFrame.Shape.NoFrame)
        guide_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        left_layout.addWidget(guide_scroll, 3)
        split.addWidget(left)
        editor = QWidget()
        form = QVBoxLayout(editor)
        form.setContentsMargins(6, 0, 0, 0)
        row = QGridLayout()
        self.title_edit = QLineEdit()
        self.lead = QLineEdit()
        examples = department_examples(self.program)
        self.lead.setPlaceholderText(f"例如：{examples[0]}" if examples else "从部门名单选择或输入")
        self.partners = QLineEdit()
        self.partners.setPlaceholderText("多个部门用“、”分隔")
        model = department_model(session)
        self.lead.setCompleter(DepartmentCompleter(model, self.lead))
        self.partners.setCompleter(DepartmentCompleter(model, self.partners, multiple=True))
        row.addWidget(QLabel("举措标题"), 0, 0)
        row.addWidget(self.title_edit, 0, 1, 1, 3)
        row.addWidget(QLabel("牵头部门"), 1, 0)
        row.addWidget(self.lead, 1, 1)
        row.addWidget(QLabel("配合部门"), 1, 2)
        row.addWidget(self.partners, 1, 3)
        row.setColumnStretch(1, 2)
        row.setColumnStretch(3, 3)
        form.addLayout(row)
        self.text = ProseEditor((300, 1500), "具体举措：每段一行；可用“1.”开头的短行作小标题。可直接从 Word 粘贴。")
        projects_tab = QWidget()
        projects_layout = QVBoxLayout(projects_tab)
        note = QLabel("每个专栏一个标题，重点项目每行一个（可从 Word 复制多行粘贴）")
        note.setWordWrap(True)
        projects_layout.addWidget(note)
        self.projects = ProjectsEditor()
        projects_layout.addWidget(self.projects, 1)
        self.details = QTabWidget()
        self.details.setDocumentMode(True)
        self.details.addTab(self.text, "具体举措")
        self.details.addTab(projects_tab, "重大工程（专栏）")
        form.addWidget(self.details, 1)
        split.addWidget(editor)
        split.setStretchFactor(1, 3)
        split.setSizes([250, 600])
        # Task titles are long ("实施“专利引入赋能行动”"): wrap rather than scroll sideways.
        self.task_list.setWordWrap(True)
        self.task_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.task_list.setMinimumWidth(180)
        self.body = QSplitter(Qt.Orientation.Vertical)
        self.body.setChildrenCollapsible(False)
        self.body.addWidget(intro)
        self.body.addWidget(split)
        self.body.setStretchFactor(1, 1)
        self.body.setSizes([_lines_height(self.prose.edit, 3) + 50, 1000])
        self.layout_.addWidget(self.body, 1)
        self.title_edit.textChanged.connect(lambda t: self._set("title", t.strip()))
        self.lead.textChanged.connect(lambda t: self._set("lead", t.strip()))
        self.partners.textChanged.connect(lambda t: self._set("partners", split_departments(t)))
        # A name joins the 部门名单 once the field is left, not letter by letter as typed.
        model.renamed.connect(lambda: self.show_task(self._shown))
        self.lead.editingFinished.connect(self._remember_departments)
        self.partners.editingFinished.connect(self._remember_departments)
        self.text.changed.connect(lambda t: self._set("text", t))
        self.projects.changed.connect(self.session.touch)
        self.task_list.currentRowChanged.connect(self.show_task)
        self._current = -1
        self._shown = 0
        self.task_list.setCurrentRow(0)
        self.projects.changed.connect(self._count_projects)
        chain_tab_order(self.review_button, self.prose.edit, self.task_list, self.title_edit, self.lead,
                        self.partners, self.text.edit, self.details.tabBar(), self.projects.panels,
                        self.projects.add_panel,
                        self.projects.remove_panel, self.projects.panel_up, self.projects.panel_down,
                        self.projects.items, self.projects.add_item, self.projects.remove_item,
                        self.projects.item_up, self.projects.item_down)

    def show_task(self, index: int) -> None:
        if not 0 <= index < len(self.tasks):
            return
        self._current = -1  # no writes while the widgets are filled
        self._shown = index
        m = self.tasks[index]
        task = self.program.task(m.get("task", ""))
        self.guide.setText(f"<b>指南任务：</b>{task.guide if task else ''}")
        self.title_edit.setText(m.get("title", ""))
        self.lead.setText(m.get("lead", ""))
        self.partners.setText("、".join(m.get("partners", [])))
        self.text.set_text(m.get("text", ""))
        self.projects.bind(m.setdefault("projects", []))
        self._count_projects()
        self._current = index

    def _count_projects(self) -> None:
        """The 专栏 tab says how many this measure has, so none hides behind it."""
        n = len(self.projects.projects)
        self.details.setTabText(1, f"重大工程（专栏 {n} 个）" if n else "重大工程（专栏）")

    def show_projects(self) -> None:
        """The 专栏 tab of the measure shown."""
        self.details.setCurrentIndex(1)

    def _set(self, key: str, value) -> None:
        if self._current < 0:
            return
        self.tasks[self._current][key] = value
        if key == "title":
            item = self.task_list.item(self._current)
            task = self.program.task(self.tasks[self._current].get("task", ""))
            item.setText(value or (task.title if task else ""))
        self.session.touch()

    def _remember_departments(self) -> None:
        if self._current < 0:
            return
        m = self.tasks[self._current]
        if remember(self.draft, m.get("lead", "")) | remember(self.draft, m.get("partners", [])):
            refresh_department_model(self.session)
            self.session.touch()

    def focus_field(self, field):
        parts = field.split(".")
        if parts[0] == "tasks" and len(parts) > 1:
            self.task_list.setCurrentRow(int(parts[1]))
            widgets = {"lead": self.lead, "title": self.title_edit, "text": self.text.edit}
            if len(parts) > 2 and parts[2] == "partners":
                self.partners.setFocus()
            elif len(parts) > 3 and parts[2] == "projects":
                self.show_projects()
                self.projects.panels.setCurrentRow(int(parts[3]))
                if len(parts) > 5 and parts[4] == "items":
                    self.projects.items.setCurrentRow(int(parts[5]))
                    self.projects.items.setFocus()
                else:
                    self.projects.panels.setFocus()
            else:
                if parts[-1] not in ("lead", "title"):
                    self.details.setCurrentIndex(0)
                widgets.get(parts[-1], self.text.edit).setFocus()
        else:
            super().focus_field(field)


class SchedulePage(PartPage):
    def __init__(self, session, node, parent=None):
        super().__init__(session, node, parent)
        _compact(self.prose, 3)
        self.layout_.addWidget(QLabel("说明（可选）："))
        self.layout_.addWidget(self.prose)
        years = self.draft.plan_years
        task_choices = [(t.title, t.id) for t in self.program.tasks]
        year_choices = [(f"{y}年", y) for y in years]
        # format 2: the row's own measure (tasks[].id), listed by title; refreshed on showing the page
        self.measure_column = ColumnSpec("measure", "对应举措", "choice", width=150, choices=self._measure_choices())
        self.table = RowTable(
            [
                # Typed (2022 or 2022年) and checked against the plan period, so a block
                # pasted from Excel lands here too; `choices` are the allowed years.
                ColumnSpec("year", "年度", "year", width=64, choices=year_choices),
                ColumnSpec("task", "主要任务", "choice", width=140, choices=task_choices),
                ColumnSpec("progress", "进度安排（工作内容与目标）", width=240, multiline=True),
                ColumnSpec("lead", "牵头部门", "department", width=120),
                ColumnSpec("partners", "配合部门", "departments", width=130),
                # format 2, after the columns an Excel sheet pastes into: the measure the row
                # schedules, and for a stage over several years (2021—2022年) its last year
                self.measure_column,
                ColumnSpec("year_end", "截止年度", "year", width=72, choices=year_choices),
            ],
            lambda: {"year": years[0], "year_end": None, "measure": None,
                     "task": self.program.tasks[0].id if self.program.tasks else "",
                     "progress": "", "lead": "", "partners": []},
            department_model=department_model(session),
        )
        self.table.bind(self.part.setdefault("rows", []))
        self.table.department_model.renamed.connect(self.table.refresh)
        self.table.changed.connect(self._table_changed)
        self.timeline = self._add_table_with_picture("时间轴", TimelinePanel(self.program, self.draft, node.id))

    def _measure_choices(self) -> list[tuple[str, str | None]]:
        """The city's measures by title (as the 建设举措 page lists them), and 无."""
        from desktop_app.core.part_kinds.measures import measure_name

        node = self.program.part_of_kind("measures")
        measures = self.draft.part(node.id).get("tasks", []) if node else []
        return [(f"{n}. {measure_name(m, self.program).strip('“”')}", m.get("id"))
                for n, m in enumerate(measures, 1) if m.get("id")] + [("（不对应举措）", None)]

    def initializePage(self) -> None:
        super().initializePage()
        choices = self._measure_choices()
        if choices != self.measure_column.choices:  # titles edited on 建设举措 since
            self.measure_column.choices[:] = choices
            self.table.refresh()

    def _table_changed(self) -> None:
        grew = False
        for row in self.table.rows:
            grew |= remember(self.draft, row.get("lead") or "")
            grew |= remember(self.draft, row.get("partners") or [])
        if grew:
            refresh_department_model(self.session)
        self.session.touch()

    def focus_field(self, field):
        self.views.setCurrentIndex(0)
        self.table.table.setFocus()
        self.table.focus_cell(field)


class LetterPage(DraftPage):
    key = "letter"

    def __init__(self, session: DraftSession, parent=None):
        super().__init__(session, session.program.letter.title, parent)
        layout = QVBoxLayout(self)
        # Worded in initializePage, for the draft as it is when the page is shown.
        self.fixed = fixed = QLabel()
        fixed.setWordWrap(True)
        fixed.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        fixed.setStyleSheet("QLabel { background: #fafafa; padding: 10px; border: 1px solid #ddd; }")
        layout.addWidget(guide_box("承诺书正文为指南规定的固定文字，不可修改；打印后由申报单位加盖公章。", "说明"))
        layout.addWidget(fixed)
        form = QFormLayout()
        self.signer = QLineEdit(self.draft.organization)
        limit_line_edit(self.signer, field_max("applicant.organization"), "落款单位",
                        lambda message: self.signer.setToolTip(message) or self.signer.setPlaceholderText(message))
        self.signer.textChanged.connect(self._set_signer)
        form.addRow("落款单位（即申报单位）", self.signer)
        self.city = QLabel(self.draft.city)
        form.addRow("所在城市", self.city)
        self.date = _date_edit(self.draft)
        self.date.dateChanged.connect(self._set_date)
        form.addRow("落款日期", self.date)
        layout.addLayout(form)
        layout.addWidget(QLabel("（公章位置：落款单位与日期之上）"))
        layout.addStretch(1)

    def initializePage(self) -> None:
        from desktop_app.book.compose import context
        from desktop_app.core.textrender import render

        ctx = context(self.program, self.draft)
        text = "<br>".join(render(p, ctx, "letter") for p in self.program.letter.paragraphs)
        self.fixed.setText(f"<p style='line-height:150%'>{text}</p>")
        self.signer.blockSignals(True)
        self.signer.setText(self.draft.organization)
        self.signer.blockSignals(False)
        self.city.setText(self.draft.city)

    def _set_signer(self, text: str) -> None:
        self.draft.writable("applicant")["organization"] = text.strip()
        self.session.touch()

    def _set_date(self, qdate: QDate) -> None:
        self.draft.data.setdefault("letter", {})["date"] = qdate.toString("yyyy-MM-dd")
        self.session.touch()

    def focus_field(self, field):
        self.date.setFocus()


PAGE_FOR_KIND = {"prose": ProsePage, "problems": ProblemsPage, "targets": TargetsPage,
                 "measures": MeasuresPage, "schedule": SchedulePage}
