"""Start the desktop program: Qt application, store, main window."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from desktop_app import APP_NAME, __version__, paths


#: The interface font, first one installed wins; the platform's own font after them.
UI_FONTS = ["Microsoft YaHei UI", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC",
            "WenQuanYi Micro Hei", "PingFang SC"]


def _pick_font(app) -> None:
    """A CJK interface font even where the platform default lacks one (bare Linux).

    A family list rather than a look through QFontDatabase.families(): Qt matches the
    list when it first draws text, while listing every installed font took 5 ms of
    each start."""
    from PySide6.QtGui import QFont

    font = QFont(app.font())
    font.setFamilies(UI_FONTS + [f for f in font.families() if f not in UI_FONTS])
    font.setPointSize(10)
    app.setFont(font)


def create_window(db_path: Path | None = None):
    """The main window over the store at db_path (default: the user-data folder)."""
    from PySide6.QtWidgets import QMessageBox

    from desktop_app.core.store import DraftStore, StoreError
    from desktop_app.ui.main_window import MainWindow

    try:
        store = DraftStore(db_path or paths.default_db_path())
    except StoreError as exc:
        QMessageBox.critical(None, APP_NAME, str(exc))
        return None
    return MainWindow(store)


_TRANSLATOR = None
_SUPPLEMENT = None

#: Words of Qt's own dialogs that Qt's Chinese translation leaves in English (the file
#: dialog's "&Look in:" and "Files of &type:" on Linux, where it is Qt's own dialog).
#: Qt 6.9 (the PySide6 the .deb for UOS 20 / glibc 2.28 bundles) labels them "Look in:" and
#: "Files of type:" without a shortcut letter; Qt translates those, but without one, so the
#: same words are given here to keep Alt+L / Alt+T on every Qt the program ships with.
QT_WORDS_ZH = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    ("QFileDialog", "Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of type:"): "文件类型(&T)：",
}


def _supplement_translator(app):
    """A translator for QT_WORDS_ZH, asked before Qt's own (the last installed is asked first)."""
    from PySide6.QtCore import QTranslator

    class QtWordsZh(QTranslator):
        def translate(self, context, source, disambiguation=None, n=-1):  # noqa: D102
            return QT_WORDS_ZH.get((context, source))  # None: ask the next translator

        def isEmpty(self) -> bool:  # noqa: N802, D102
            return False

    return QtWordsZh(app)


#: Qt's file dialog: each shortcut-letter label and the field it leads to (names from Qt's
#: qfiledialog.ui). Qt 6.9 leaves the first two without a field, so Alt+L / Alt+T did nothing.
_FILE_DIALOG_BUDDIES = (("lookInLabel", "lookInCombo"), ("fileTypeLabel", "fileTypeCombo"))


def _give_file_dialog_labels_their_fields(_old, new) -> None:
    """QApplication.focusChanged: when Qt's own file dialog takes the focus (it gives it to
    the file name when it opens), point 查找范围(&L) and 文件类型(&T) at their lists where
    this Qt has not. Focus changes are rare, so this costs nothing elsewhere."""
    from PySide6.QtWidgets import QFileDialog, QLabel, QWidget

    dialog = new.window() if new is not None else None
    if not isinstance(dialog, QFileDialog):
        return
    for label_name, field_name in _FILE_DIALOG_BUDDIES:
        label = dialog.findChild(QLabel, label_name)
        field = dialog.findChild(QWidget, field_name)
        if label is not None and field is not None and label.buddy() is None:
            label.setBuddy(field)


def prepare_app(app) -> None:
    """Name, version, icon, CJK font and Chinese standard buttons (是/否/取消) for the app."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
    from PySide6.QtGui import QIcon

    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    icon = paths.resource("icons", "app.png")
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    _pick_font(app)
    global _TRANSLATOR
    if _TRANSLATOR is None:
        translator = QTranslator(app)
        if translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_",
                           QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(translator)
        _TRANSLATOR = translator  # kept: a collected translator stops translating
    global _SUPPLEMENT
    if _SUPPLEMENT is None:
        _SUPPLEMENT = _supplement_translator(app)
        app.installTranslator(_SUPPLEMENT)
        app.focusChanged.connect(_give_file_dialog_labels_their_fields)


def run(db_path: Path | None = None, open_sample: bool = False) -> int:
    from PySide6.QtWidgets import QApplication

    from desktop_app.ui.crash import CrashGuard, setup_logging

    log_path = setup_logging()
    app = QApplication.instance() or QApplication(sys.argv)
    prepare_app(app)
    window = create_window(db_path)
    if window is None:
        return 1
    window.crash_guard = CrashGuard(window, log_path)
    window.crash_guard.install()
    if open_sample:
        window.open_sample()
    else:
        window.reopen_last()
    window.show()
    if os.environ.get("PATENT_APP_QUIT_WHEN_SHOWN"):
        _quit_when_shown(app, window)
    return app.exec()


def _quit_when_shown(app, window) -> None:
    """PATENT_APP_QUIT_WHEN_SHOWN=1: paint the window once, say so, leave with 0 —
    for checking an install (scripts/start.sh offline, the README's commands) without a person."""
    from PySide6.QtCore import QTimer

    def shown():
        window.repaint()
        print("窗口已显示，自动退出（PATENT_APP_QUIT_WHEN_SHOWN）", flush=True)
        app.quit()

    QTimer.singleShot(0, shown)


def main() -> int:
    return run()
