"""The log file, and what the officer sees when the program meets an error it did not expect.

Everything is logged to paths.log_dir()/app.log (rotating, so it never fills the disk).
An exception that escapes a slot — in the UI thread or any other — is written there
with its traceback; then the open draft is saved (an edit is never lost to a bug) and
a Chinese message names the log file, so support can be given something concrete.
"""
from __future__ import annotations

import logging
import os
import sys
import threading
import traceback
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from desktop_app import APP_NAME, __version__, paths

LOG_FILE = "app.log"
#: A log of about 1 MB is hundreds of sessions; three old ones keep a week's trail.
LOG_BYTES = 1_000_000
LOG_BACKUPS = 3

log = logging.getLogger("desktop_app")


class CappedFileHandler(logging.FileHandler):
    """app.log, moved to app.log.1 (… app.log.N, the oldest dropped) once it passes
    max_bytes — logging.handlers.RotatingFileHandler's behaviour, without importing
    logging.handlers (socket, pickle, queue: 5 ms of every start)."""

    def __init__(self, path: Path, max_bytes: int, backups: int):
        super().__init__(path, encoding="utf-8", delay=True)
        self.max_bytes = max_bytes
        self.backups = backups

    def emit(self, record: logging.LogRecord) -> None:
        super().emit(record)
        try:
            if self.stream is not None and self.stream.tell() >= self.max_bytes:
                self.rotate()
        except (OSError, ValueError):  # a full disk or a closed stream must not stop the program
            self.handleError(record)

    def rotate(self) -> None:
        self.close()  # reopened by the next emit (delay=True)
        base = self.baseFilename
        for n in range(self.backups - 1, 0, -1):
            if os.path.exists(f"{base}.{n}"):
                os.replace(f"{base}.{n}", f"{base}.{n + 1}")
        if os.path.exists(base):
            os.replace(base, f"{base}.1")


def setup_logging() -> Path:
    """Send the program's log records to app.log in the user log folder; return its path.
    Called once per process (again it only returns the path)."""
    path = paths.log_dir() / LOG_FILE
    root = logging.getLogger()
    for handler in root.handlers:
        if getattr(handler, "baseFilename", None) == str(path):
            return path
    handler = CappedFileHandler(path, LOG_BYTES, LOG_BACKUPS)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"))
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    log.info("%s %s started (Python %s, %s)", APP_NAME, __version__, sys.version.split()[0], sys.platform)
    return path


class CrashGuard(QObject):
    """Installs sys.excepthook and threading.excepthook for one main window.

    The hooks only log and emit `report`; the dialog is shown by the slot, which Qt
    runs in the UI thread even when the error happened in a worker thread.
    """

    report = Signal(str)

    def __init__(self, window, log_path: Path):
        super().__init__(window)
        self.window = window
        self.log_path = log_path
        self.shown = 0  # how many dialogs were shown (tests, and to avoid a storm)
        self._showing = False
        self._previous = (sys.excepthook, threading.excepthook)
        self.report.connect(self._show)

    def install(self) -> None:
        sys.excepthook = self._sys_hook
        threading.excepthook = self._thread_hook

    def uninstall(self) -> None:
        sys.excepthook, threading.excepthook = self._previous

    def _sys_hook(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        self._handle(exc_type, exc, tb, "UI")

    def _thread_hook(self, args) -> None:
        if args.exc_type is SystemExit:
            return
        self._handle(args.exc_type, args.exc_value, args.exc_traceback,
                     args.thread.name if args.thread else "thread")

    def _handle(self, exc_type, exc, tb, where: str) -> None:
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        log.error("unexpected error in %s:\n%s", where, text)
        for handler in logging.getLogger().handlers:
            handler.flush()
        self.report.emit(f"{exc_type.__name__}: {exc}")

    @Slot(str)
    def _show(self, summary: str) -> None:
        saved = self._save_draft()
        if self._showing:  # an error while the message is up: logged, not stacked
            return
        self._showing = True
        self.shown += 1
        try:
            draft_line = ("您的草稿已保存，没有丢失。" if saved else
                          "草稿未能保存：请不要关闭窗口，先用“文件 › 导出草稿文件…”另存一份。")
            from PySide6.QtWidgets import QMessageBox  # loaded when an error is shown, not at start

            QMessageBox.critical(
                self.window, f"{APP_NAME} — 出现意外错误",
                f"程序出现了一个意外错误，刚才的操作可能没有完成。\n\n{draft_line}\n\n"
                f"错误详情已记录在日志文件中：\n{self.log_path}\n\n"
                f"如问题反复出现，请把这个日志文件发给技术支持。\n（{summary}）")
        finally:
            self._showing = False

    def _save_draft(self) -> bool:
        """Flush the open draft; True when it is safely stored (or nothing is open)."""
        session = getattr(self.window, "session", None)
        if session is None:
            return True
        try:
            ok = session.flush()
        except Exception:  # the error may be in saving itself: log it, keep the window alive
            log.exception("saving the draft after an unexpected error failed")
            return False
        log.info("draft %s flushed after the error (ok=%s)", session.draft.id, ok)
        return ok
