"""PlanWizard: a QWizard over the program's outline, with a side list to jump anywhere.

QWizard has no "go to page" of its own; jumping forward is a next() whose
nextId() returns the target once, jumping back unwinds the history with back(),
so Back always returns along the path the officer really took.

Signals:
    page_changed(str): the key of the page now shown.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QSplitter, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWizard, QWizardPage

from desktop_app.app.wizard_plan import (
    HAS_ERRORS, MARKS, STATE_TEXT, WizardPlan, findings_by_page, overview_state, ready_state,
)
from desktop_app.core import completeness, pages
from desktop_app.ui import item_roles
from desktop_app.ui.checks_panel import ChecksPanel
from desktop_app.ui.page_base import DraftPage
from desktop_app.ui.session import DraftSession

#: Pages that show the draft rather than edit it: no completeness mark of their own.
VIEW_PAGES = (pages.GLANCE, pages.EXPORT)
__all__ = ["MARKS", "STATE_TEXT", "VIEW_PAGES", "PlanWizard", "page_plan"]


class SideItem(QTreeWidgetItem):
    """One row of the side outline: a page (its key in the USER role of column 0) or a
    heading that groups pages (一、建设基础, its `heading`). No Python overrides: the
    view asks an item for its data many times a paint."""

    heading = ""


class OutlineTree(QTreeWidget):
    """方案目录: the pages as the book's outline, a tree numbered as printed
    (一、建设基础 › 1.概述 …). count() and item(i) walk the page rows in order."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setIndentation(14)
        self.setAccessibleName("方案目录")
        self.pages: list[SideItem] = []
        self.groups: list[tuple[SideItem, list[SideItem]]] = []

    def count(self) -> int:
        return len(self.pages)

    def item(self, row: int) -> SideItem:
        return self.pages[row]

    def add_page(self, key: str, parent: SideItem | None = None) -> SideItem:
        item = SideItem()
        item.setData(0, item_roles.USER, key)
        if parent is None:
            self.addTopLevelItem(item)
        else:
            parent.addChild(item)
        self.pages.append(item)
        return item

    def add_group(self, heading: str) -> SideItem:
        item = SideItem([heading])
        item.heading = heading
        item.setData(0, item_roles.USER, "")
        self.addTopLevelItem(item)
        self.groups.append((item, []))
        return item

    def key_of(self, item: QTreeWidgetItem) -> str:
        """The page a click on `item` opens: its own, or a heading's first page."""
        key = item.data(0, item_roles.USER)
        if not key and item.childCount():
            key = item.child(0).data(0, item_roles.USER)
        return key or ""


class PageHost(QWizardPage):
    """What the QWizard holds for one page: its key and title from the start, the page
    itself (a DraftPage filling it) only once needed — shown, searched, or built in the
    idle moments after the wizard's first paint.

    Building all fourteen pages (editors, charts, timeline, preview) and importing their
    modules was half of the program's start; 申报总览 alone is enough to show it."""

    def __init__(self, key: str, title: str, build: Callable[[], DraftPage]):
        super().__init__()
        self.key = key
        self.setTitle(title)
        self._build = build
        self.page: DraftPage | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def ensure_built(self) -> DraftPage:
        if self.page is None:
            page = self._build()
            self._layout.addWidget(page)
            self.setTitle(page.title())
            self.page = page
        return self.page

    def initializePage(self) -> None:  # noqa: N802 (Qt's name)
        self.ensure_built().initializePage()


class BuiltPages(Mapping):
    """pages_by_key: key → DraftPage, building a page the first time it is asked for."""

    def __init__(self, hosts: dict[str, PageHost]):
        self._hosts = hosts

    def __getitem__(self, key: str) -> DraftPage:
        return self._hosts[key].ensure_built()

    def __iter__(self) -> Iterator[str]:
        return iter(self._hosts)

    def __len__(self) -> int:
        return len(self._hosts)


def page_plan(session: DraftSession) -> list[tuple[str, str, Callable[[], DraftPage]]]:
    """(key, title, build) for every page of the wizard plan, in its order. Each build imports its page's
    module when called, so none of them is loaded before its page is needed."""
    program = session.program

    def basic():
        from desktop_app.ui.pages import BasicInfoPage
        return BasicInfoPage(session)

    def eligibility():
        from desktop_app.ui.eligibility_page import EligibilityPage
        return EligibilityPage(session)

    def part(node):
        def build():
            from desktop_app.ui.pages import PAGE_FOR_KIND
            return PAGE_FOR_KIND[node.kind](session, node)
        return build

    def letter():
        from desktop_app.ui.pages import LetterPage
        return LetterPage(session)

    def attachments():
        from desktop_app.ui.attachments_page import AttachmentsPage
        return AttachmentsPage(session)

    def export():
        from desktop_app.ui.export_page import ExportPage
        return ExportPage(session)

    def overview():
        from desktop_app.ui.overview_page import OverviewPage
        return OverviewPage(session)

    def review():
        from desktop_app.ui.review_page import ReviewPage
        return ReviewPage(session)

    builders = {pages.GLANCE: overview, pages.REVIEW: review, pages.BASIC: basic,
                pages.ELIGIBILITY: eligibility, pages.LETTER: letter, pages.ATTACHMENTS: attachments,
                pages.EXPORT: export}
    # The pages and their order are the wizard plan's (app/wizard_plan.py), not decided here.
    return [(p.key, p.title, part(program.node(p.key)) if p.kind == pages.PART else builders[p.key])
            for p in WizardPlan(program, session.draft).pages]


class PlanWizard(QWizard):
    page_changed = Signal(str)
    history_requested = Signal()
    assign_requested = Signal()  # 分工：发给部门… on 申报总览
    receive_requested = Signal()  # 收回… on 申报总览

    def __init__(self, session: DraftSession, parent=None):
        super().__init__(parent)
        self.session = session
        self.plan = WizardPlan(session.program, session.draft)
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveHelpButton, False)
        # Alt+B / Alt+N, as the labels show; Enter never presses them (keyPressEvent).
        self.setButtonText(QWizard.WizardButton.BackButton, "< 上一步(&B)")
        self.setButtonText(QWizard.WizardButton.NextButton, "下一步(&N) >")
        self.setButtonText(QWizard.WizardButton.FinishButton, "完成")
        self.setButtonText(QWizard.WizardButton.CancelButton, "返回草稿列表")
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.setOption(QWizard.WizardOption.HaveCustomButton2, True)
        self.setButtonText(QWizard.WizardButton.CustomButton1, "对照上年")
        self.setButtonText(QWizard.WizardButton.CustomButton2, "历史版本")
        WB = QWizard.WizardButton
        self.setButtonLayout([WB.CustomButton1, WB.CustomButton2, WB.Stretch, WB.BackButton,
                              WB.NextButton, WB.FinishButton, WB.CancelButton])
        self.customButtonClicked.connect(self._on_custom_button)
        self._jump_target: int | None = None
        self._ids: dict[str, int] = {}
        self.hosts: dict[str, PageHost] = {}
        for key, title, build in page_plan(session):
            self.hosts[key] = PageHost(key, title, self._wired(key, build))
            self._ids[key] = self.addPage(self.hosts[key])
        self.pages_by_key = BuiltPages(self.hosts)
        # 申报总览 first, and built now: a new draft opens on the map of what is to be done.
        self.overview = self.pages_by_key["glance"]

        self.side = OutlineTree()
        self._fill_side()
        self.side.itemClicked.connect(lambda item, _col: self.go_to(self.side.key_of(item)))
        self.side.itemActivated.connect(lambda item, _col: self.go_to(self.side.key_of(item)))
        # QWizard makes 下一步 the default button again on every page; Enter on any of
        # the four is eaten instead (Space still presses a focused one).
        self._nav_buttons = [self.button(b) for b in (
            QWizard.WizardButton.BackButton, QWizard.WizardButton.NextButton,
            QWizard.WizardButton.FinishButton, QWizard.WizardButton.CancelButton)]
        for button in self._nav_buttons:
            button.setAutoDefault(False)
        # Ctrl+PgDn / Ctrl+PgUp: the next / previous page in the outline's order.
        self._page_keys = [QShortcut(QKeySequence("Ctrl+PgDown"), self, self.next_page),
                           QShortcut(QKeySequence("Ctrl+PgUp"), self, self.previous_page)]
        #: Pages the officer has opened: their errors show (a page never visited and
        #: never filled stays a calm ○ 未填写 until the check is asked for).
        self.visited: set[str] = set()
        #: True once the officer asked for the whole check (opened 检查与导出).
        self.check_asked = False
        self.checks = ChecksPanel()
        self.checks.go_to.connect(self.go_to)
        # Kept as an attribute: QWizard only adopts the side widget when it is
        # first shown, and a Python local would be collected (and the C++ widget
        # deleted) before that — a segfault on show.
        self.side_panel = QSplitter()
        self.side_panel.setProperty("orientation", "Vertical")  # by name: no Qt namespace (item_roles)
        self.side_panel.addWidget(self.side)
        self.side_panel.addWidget(self.checks)
        # the whole outline without scrolling, the checks below it
        rows = self.side.topLevelItemCount() + sum(len(children) for _g, children in self.side.groups)
        self.side_panel.setSizes([self.side.sizeHintForRow(0) * rows + 2 * self.side.frameWidth() + 4, 200])
        self._fit_side_panel()
        self.setSideWidget(self.side_panel)
        self.currentIdChanged.connect(self._on_page_changed)
        # Marks are recomputed a moment after typing stops, not on every key.
        self._marks_timer = QTimer(self)
        self._marks_timer.setSingleShot(True)
        self._marks_timer.setInterval(250)
        self._marks_timer.timeout.connect(self.refresh_marks)
        session.edited.connect(self._marks_timer.start)
        # The checks (and jinja2, which they load) wait until the wizard has first been
        # painted: they are not needed to show the first page, and were a tenth of the start.
        self._painted = False
        #: True once the checks have run on this draft (just after the first paint).
        self.checks_ready = False
        self._findings: list | None = None
        self._after_first_paint = QTimer(self)
        self._after_first_paint.setSingleShot(True)
        self._after_first_paint.setInterval(0)
        self._after_first_paint.timeout.connect(self.refresh_marks)
        self._build_rest = QTimer(self)
        self._build_rest.setSingleShot(True)
        self._build_rest.setInterval(0)
        self._build_rest.timeout.connect(self._build_next_page)
        self._after_first_paint.timeout.connect(self._build_rest.start)
        # After the first paint: the filter's first call builds Qt's event enums (~30 ms).
        self._after_first_paint.timeout.connect(self._filter_nav_keys)
        # The side list's marks are drawn when the first page is shown (_on_page_changed).
        self._update_custom_buttons()

    def _fill_side(self) -> None:
        """Pages in wizard order; the outline's parts under their printed headings."""
        groups: dict[str, SideItem] = {}
        parent_of = {}
        for top in self.session.program.outline:
            for child in top.children:
                parent_of[child.id] = top
        for key in self._ids:
            top = parent_of.get(key)
            parent = None
            if top is not None:
                if top.id not in groups:
                    groups[top.id] = self.side.add_group(top.heading)
                parent = groups[top.id]
            item = self.side.add_page(key, parent)
            if parent is not None:
                self.side.groups[-1][1].append(item)
        self.side.expandAll()

    def next_page(self) -> None:
        """Ctrl+PgDn: the page after this one in the plan."""
        key = self.plan.next_key(self.current_key()) if self.current_key() else self.plan.first_key()
        if key:
            self.go_to(key)

    def previous_page(self) -> None:
        """Ctrl+PgUp: the page before this one in the plan."""
        key = self.plan.previous_key(self.current_key())
        if key:
            self.go_to(key)

    def _filter_nav_keys(self) -> None:
        for button in self._nav_buttons:
            button.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt's name)
        from PySide6.QtCore import QEvent, Qt

        if obj in getattr(self, "_nav_buttons", ()) and event.type() == QEvent.Type.KeyPress \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return True
        return super().eventFilter(obj, event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """Enter never turns the page and Esc never closes the draft: QDialog would press
        下一步 (the default button) on an Enter a field did not use, and reject on Esc.
        返回草稿列表 is a button of its own."""
        from PySide6.QtCore import Qt

        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape):
            event.accept()
            return
        super().keyPressEvent(event)

    def _fit_side_panel(self) -> None:
        # 17 characters of the interface font (280 px at 9 pt YaHei), so a larger font
        # widens it instead of cutting the page names; again whenever the font changes.
        self.side_panel.setFixedWidth(max(280, self.fontMetrics().horizontalAdvance("中") * 17))

    def changeEvent(self, event) -> None:
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.FontChange and hasattr(self, "side_panel"):
            self._fit_side_panel()
        super().changeEvent(event)

    def _wired(self, key: str, build: Callable[[], DraftPage]) -> Callable[[], DraftPage]:
        """build, then the page's signals connected to the wizard (a read-only draft's
        pages are disabled through their hosts, built or not: MainWindow._show_read_only)."""
        def build_and_wire() -> DraftPage:
            page = build()
            if key == "glance":
                page.go_to.connect(self.go_to)
                page.bind_sheet_requested.connect(self.show_bind_sheet)
                page.assign_requested.connect(self.assign_requested)
                page.receive_requested.connect(self.receive_requested)
            elif key == "export":
                page.go_to.connect(self.go_to)
            elif key == completeness.REVIEW_PAGE:
                page.go_to.connect(self.go_to)
                page.text_reverted.connect(self.rebuild_page)
            return page
        return build_and_wire

    def rebuild_page(self, key: str) -> None:
        """The draft changed behind a built page's editors (核对上年内容's 还原): build it
        anew from the draft when next needed."""
        host = self.hosts.get(key)
        if host is None or host.page is None or key == self.current_key():
            return
        old, host.page = host.page, None
        host._layout.removeWidget(old)
        old.setParent(None)
        old.deleteLater()

    @property
    def export_page(self):
        """检查与导出 (built if it was not yet)."""
        return self.pages_by_key["export"]

    def _build_next_page(self) -> None:
        """Build one page not yet built, nearest after the current one first, then come
        back for the next: each turn of the event loop stays short, and every page is
        ready before the officer reaches it."""
        keys = list(self.hosts)
        here = keys.index(self.current_key()) if self.current_key() in keys else 0
        waiting = [k for k in keys[here + 1:] + keys[:here] if self.hosts[k].page is None]
        if waiting:
            self.hosts[waiting[0]].ensure_built()
            if len(waiting) > 1:
                self._build_rest.start()

    # navigation ------------------------------------------------------------------
    def nextId(self) -> int:
        if self._jump_target is not None:
            # Once only: next() asks for the target, then the new page asks what follows
            # it (QWizard shows 完成 instead of 下一步 when nothing does).
            target, self._jump_target = self._jump_target, None
            return target
        following = self.plan.next_key(self.current_key())
        return self._ids.get(following, -1) if following else -1

    def current_key(self) -> str:
        page = self.currentPage()
        return page.key if isinstance(page, PageHost) else ""

    def go_to(self, key: str, field: str = "") -> None:
        """Show the page `key` (and focus `field` on it when given)."""
        key = self.plan.page_for(key, field) or key  # where that field is edited
        target = self._ids.get(key)
        if target is None:
            return
        if target != self.currentId():
            if target in self.visitedIds():
                while self.currentId() != target:
                    self.back()
            else:
                self._jump_target = target
                try:
                    self.next()
                finally:
                    self._jump_target = None
        if field:
            self.pages_by_key[key].focus_field(field)

    def _on_page_changed(self, page_id: int) -> None:
        key = self.current_key()
        if not key:
            return
        self.session.flush()
        self.session.remember_page(key)
        self.visited.add(key)
        if key == "export":
            self.check_asked = True
        for item in self.side.pages:
            if item.data(0, item_roles.USER) == key:
                self.side.blockSignals(True)
                self.side.setCurrentItem(item)
                self.side.blockSignals(False)
        if self._painted:
            self.refresh_marks()  # also refreshes the export page when it is shown
        else:
            self.refresh_side()
        self.page_changed.emit(key)

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self._after_first_paint.start()  # runs once this paint is on the screen

    def _on_custom_button(self, which: int) -> None:
        if which == QWizard.WizardButton.CustomButton1.value:
            self.compare_with_parent()
        else:
            self.history_requested.emit()

    def parent_draft(self):
        parent_id = self.session.draft.parent_id
        if parent_id and self.session.store.exists(parent_id):
            return self.session.store.load(parent_id)
        return None

    def compare_with_parent(self) -> None:
        """对照上年: this page's part beside the same part of the parent draft."""
        from PySide6.QtWidgets import QMessageBox

        from desktop_app.ui.history_dialogs import CompareDialog, part_as_text

        key = self.current_key()
        parent = self.parent_draft()
        program = self.session.program
        if parent is None:
            QMessageBox.information(self, "对照上年", "本草稿不是从往年草稿新建的，或上年草稿已删除，无法对照。")
            return
        if key not in {n.id for n in program.parts()}:
            QMessageBox.information(self, "对照上年", "请先转到方案的某一部分（如“1.概述”），再点击“对照上年”。")
            return
        self.compare_dialog = CompareDialog(program, key, part_as_text(program, self.session.draft, key),
                                            part_as_text(program, parent, key), self)
        self.compare_dialog.show()

    def _update_custom_buttons(self) -> None:
        has_parent = bool(self.session.draft.parent_id)
        self.button(QWizard.WizardButton.CustomButton1).setEnabled(has_parent)
        self.button(QWizard.WizardButton.CustomButton1).setToolTip(
            "与上年草稿的同一部分并排对照" if has_parent else "本草稿不是从往年草稿新建的")

    def page_state(self, key: str) -> str:
        return self.plan.state(key)

    def show_bind_sheet(self) -> None:
        """打印装订清单: shown before export, printed on its own page."""
        from desktop_app.ui.bind_sheet_dialog import BindSheetDialog

        self.session.flush()
        self.bind_sheet_dialog = BindSheetDialog(self.session, self)
        self.bind_sheet_dialog.show()

    def refresh_marks(self) -> None:
        """Page marks, the checks panel and (when shown) the export page, from one run
        of the checks on the draft as it is now."""
        from desktop_app.core import rules

        findings = rules.run_checks(self.session.program, self.session.draft)
        self.checks_ready = True
        self._findings = findings
        shown = self.shown_findings(findings)
        self.checks.show_findings(shown)
        if len(shown) < len(findings):
            self.checks.summary.setText(
                (f"{self.checks.summary.text()}\n" if shown else "")
                + f"尚未填写、也未打开过的部分暂不列出（{len(findings) - len(shown)} 条）；"
                  "打开“检查与导出”查看全部检查结果。")
        if self.current_key() == "export":
            self.export_page.refresh(findings)
        self.refresh_side()

    def shows_findings_on(self, key: str) -> bool:
        """Whether the findings on page `key` are shown yet (the plan decides: a new draft
        opens calm, app/wizard_plan.py)."""
        return self.plan.shows_findings_on(key, self.visited, self.check_asked)

    def shown_findings(self, findings: list) -> list:
        return self.plan.shown_findings(findings, self.visited, self.check_asked)

    def refresh_side(self) -> None:
        """The side list's marks (● ◐ ○) and the overview, from the pages' own completeness
        and the last run of the checks (none yet before the first paint)."""
        findings = self.shown_findings(self._findings or [])
        by_page = findings_by_page(findings)
        states = []
        part_states = []
        for row in range(self.side.count()):
            item = self.side.item(row)
            key = item.data(0, item_roles.USER)
            title = self.hosts[key].title()
            if key in VIEW_PAGES:
                item.setText(0, f"▶ {title}")
                if key == "export":
                    states.append((key, title, ready_state(part_states, findings)))
                continue
            state = self.page_state(key)
            states.append((key, title, state))
            part_states.append(state)
            # the same judgement as 申报总览's: ✖ once a shown error points at the page,
            # so the two never call one part ○ 未填写 and ✖ 有错误 at the same time
            shown = overview_state(state, by_page.get(key, []))
            item.setText(0, f"{MARKS[shown]} {title}")
            item.setToolTip(0, STATE_TEXT[shown])
        for group, children in self.side.groups:
            marks = {child.text(0)[:1] for child in children}
            mark = (MARKS[HAS_ERRORS] if MARKS[HAS_ERRORS] in marks
                    else next(iter(marks)) if len(marks) == 1 else MARKS[completeness.PARTIAL])
            group.setText(0, f"{mark} {group.heading}")
        self.overview.show_status(states, findings)

