"""Walking every page and dialog at a screen size, and finding controls cut off.

Shared by tests/test_gui_fit.py and scripts that take screenshots. A control is cut
off when it is shown but lies (partly) outside its window or outside a parent that
does not scroll, or when the layout had to squeeze it below its minimumSizeHint.
"""
from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractScrollArea, QApplication, QLabel, QScrollBar, QSplitterHandle, QTabBar, QWidget,
)

#: Logical sizes the window must fit: 1366×768 less a 40 px taskbar, and 1920×1080 at
#: 150 % less a 48 px taskbar (1280×688).
SIZES = {"1366x728": (1366, 728), "150pct": (1280, 688)}


def _scrolls(parent: QWidget) -> bool:
    """Children of a scroll area's viewport may lie outside it: they are scrolled to."""
    owner = parent.parentWidget()
    return isinstance(owner, QAbstractScrollArea) and owner.viewport() is parent


def _name(w: QWidget) -> str:
    text = ""
    for attr in ("text", "title", "placeholderText", "accessibleName"):
        get = getattr(w, attr, None)
        if callable(get):
            try:
                value = get()
            except TypeError:
                continue
            if isinstance(value, str) and value:
                text = value
                break
    return f"{type(w).__name__}({text[:20]!r})"


def cut_off(root: QWidget) -> list[str]:
    """Every shown control of `root` that is clipped or squeezed, as readable lines."""
    problems = []
    root_rect = root.rect()
    for w in root.findChildren(QWidget):
        if not w.isVisible() or w.window() is not root or (w.width() <= 0 and w.height() <= 0):
            continue
        if isinstance(w, (QScrollBar, QSplitterHandle)):
            continue
        if _in_scrolled_content(w, root):
            continue  # scrolled into view; its scroll area is checked itself
        rect = QRect(w.mapTo(root, QPoint(0, 0)), w.size())
        if not root_rect.contains(rect):
            problems.append(f"{_name(w)} at {rect.getRect()} outside the window {root_rect.getRect()}")
            continue
        # inside every parent
        child, parent = w, w.parentWidget()
        clipped = False
        while parent is not None and parent is not root:
            if not parent.rect().contains(QRect(child.mapTo(parent, QPoint(0, 0)), child.size())) \
                    and not isinstance(parent, QTabBar):
                problems.append(f"{_name(w)} cut off by {_name(parent)}")
                clipped = True
                break
            child, parent = parent, parent.parentWidget()
        if clipped:
            continue
        hint = w.minimumSizeHint()
        if isinstance(w, QLabel) and w.wordWrap():
            # a wrapped label's hint is its one-line width; its height follows its width
            need_h = w.heightForWidth(w.width()) if w.hasHeightForWidth() else hint.height()
            if need_h > 0 and w.height() + 1 < need_h:
                problems.append(f"{_name(w)} {w.width()}x{w.height()} needs {need_h} px height")
            continue
        if w.parentWidget() is not None and w.parentWidget().layout() is not None and hint.isValid():
            # what a layout honours: an explicit minimum size where one is set, else the hint
            need_w = w.minimumWidth() or hint.width()
            need_h = w.minimumHeight() or hint.height()
            if w.width() + 1 < need_w or w.height() + 1 < need_h:
                problems.append(f"{_name(w)} {w.width()}x{w.height()} below its minimum {need_w}x{need_h}")
    return problems


def _in_scrolled_content(w: QWidget, root: QWidget) -> bool:
    parent = w.parentWidget()
    while parent is not None and parent is not root:
        if _scrolls(parent):
            return True
        parent = parent.parentWidget()
    return False


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def page_views(window):
    """Each page of the open draft, and each tab of its tab widgets, shown in turn:
    yields a label such as "targets" or "targets·图表" while that view is on screen."""
    from PySide6.QtWidgets import QTabWidget

    wiz = window.wizard
    for key in list(wiz.hosts):
        wiz.go_to(key)
        settle()
        yield key
        page = wiz.pages_by_key[key]
        for tabs in page.findChildren(QTabWidget):
            first = tabs.currentIndex()
            for i in range(tabs.count()):
                if i == first or not tabs.isTabVisible(i):
                    continue
                tabs.setCurrentIndex(i)
                settle()
                yield f"{key}·{tabs.tabText(i)}"
            tabs.setCurrentIndex(first)
            settle()


def dialogs(window):
    """Every dialog the officer meets with a draft open, each shown in turn (then
    closed): yields (name, dialog)."""
    from desktop_app.core.program import available_programs
    from desktop_app.ui.find_dialog import FindDialog
    from desktop_app.ui.history_dialogs import CarryOverDialog, CompareDialog, HistoryDialog, part_as_text
    from desktop_app.ui.layout_dialog import LayoutDialog
    from desktop_app.ui.new_draft_dialog import NewDraftDialog

    wiz = window.wizard
    session = window.session

    def shown(name, dialog):
        dialog.show()
        settle()
        return name, dialog

    new = NewDraftDialog(available_programs(), window)
    yield shown("新建草稿", new)
    new.buttons.button(new.buttons.StandardButton.Ok).click()  # 创建 with nothing filled: the error shows
    settle()
    yield "新建草稿·出错", new
    new.close()
    wiz.go_to("glance")
    wiz.show_bind_sheet()
    yield shown("打印装订清单", wiz.bind_sheet_dialog)
    wiz.bind_sheet_dialog.close()
    find = FindDialog(wiz, window)
    find.query.setText("专利")
    find.search_button.click()
    yield shown("查找", find)
    find.close()
    session.flush()
    history = HistoryDialog(window.store, session.program, session.draft.id, window)
    yield shown("历史版本", history)
    history.close()
    carry = CarryOverDialog(window.store.list(), window)
    yield shown("从往年草稿新建", carry)
    carry.close()
    program, draft = session.program, session.draft
    compare = CompareDialog(program, "overview" if "overview" in wiz.hosts else program.parts()[0].id,
                            part_as_text(program, draft, program.parts()[0].id),
                            part_as_text(program, draft, program.parts()[0].id), window)
    yield shown("对照上年", compare)
    compare.close()
    layout = LayoutDialog(window.store, window)
    yield shown("版式设置", layout)
    layout.close()
