"""BookJob: writing the book off the UI thread, for the Word and the PDF export alike.

A job snapshots the draft (the officer may keep editing), runs its `work` in a
QThread through a worker that never touches a widget, and reports back by
signals delivered in the UI thread. Subclasses only say what the work is.

Signals (all in the UI thread):
    progress(str): a step message in Chinese.
    succeeded(str): the file was written to this path.
    failed(str): nothing was written (an old file, if any, is intact); the message
        is for the officer.
    finished(): after succeeded or failed, always; the thread has ended.
"""
from __future__ import annotations

import copy
import logging
import os
from pathlib import Path
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

from desktop_app.core.draft import Draft

log = logging.getLogger(__name__)

#: Jobs whose thread is running: a job outlives the page that started it, and the
#: application waits for them before it quits (a QThread must not die running).
_RUNNING: set[BookJob] = set()
_QUIT_HOOKED = False


def _expected_errors() -> tuple[type[Exception], ...]:
    """Failures with a message for the officer (anything else is a bug, and logged)."""
    from desktop_app.book.export import ExportError
    from desktop_app.book.pdf import PdfError
    from desktop_app.core.textrender import TemplateTextError

    return ExportError, PdfError, TemplateTextError


class _Worker(QObject):
    """Lives in the job's thread; only computes and emits."""

    progress = Signal(str)
    result = Signal(bool, str)  # ok, path or message

    def __init__(self, work: Callable[[Callable[[str], None]], Path], what: str):
        super().__init__()
        self.work = work
        self.what = what

    @Slot()
    def run(self) -> None:
        try:
            expected = _expected_errors()
            try:
                written = self.work(self.progress.emit)
            except expected as exc:
                self.result.emit(False, str(exc))
            else:
                self.result.emit(True, str(written))
        except Exception as exc:  # the officer must hear of it, and the thread must end cleanly
            log.exception("%s failed", self.what)
            self.result.emit(False, f"{self.what}时出现意外错误：{exc}")
        finally:
            self.thread().quit()  # ends the thread even while the UI thread is blocked in wait()


class BookJob(QObject):
    """Start with start(); connect the signals first. Lives in the UI thread."""

    progress = Signal(str)
    succeeded = Signal(str)
    failed = Signal(str)
    finished = Signal()

    #: What the officer is told failed, and the thread's name (for debuggers).
    what = "导出"
    thread_name = "book-export"

    def __init__(self, draft: Draft, target: str | os.PathLike, layout=None, records=None):
        """`layout`: the book.layout.Layout to write with (None: GB/T 9704 defaults); the
        session's is app.layout.book_layout, the same the command line writes with.
        `records`: DraftStore.record_writer() of the draft's library (a PDF's pages go there)."""
        from desktop_app.app.export import BookRequest
        from desktop_app.book.clock import export_time
        from desktop_app.book.layout import Layout

        super().__init__()  # no parent: a closing page must not destroy a running thread
        #: What is written (app/export.py): a snapshot of the draft, its layout, the export time.
        self.request = BookRequest(Draft(copy.deepcopy(draft.data)), layout or Layout(), export_time(), records)
        self._draft = self.request.draft
        self._target = Path(target)
        self._layout = self.request.layout
        self._thread: QThread | None = None
        self._worker: _Worker | None = None

    def work(self, progress: Callable[[str], None]) -> Path:
        """Runs in the job's thread: write the file and return its path. Uses only the
        snapshot and plain Python — never a widget."""
        raise NotImplementedError

    @property
    def running(self) -> bool:
        return self in _RUNNING

    def start(self) -> None:
        global _QUIT_HOOKED
        if self._thread is not None:
            raise RuntimeError(f"a {type(self).__name__} runs once")
        app = QCoreApplication.instance()
        if app is not None and not _QUIT_HOOKED:
            app.aboutToQuit.connect(wait_for_all)
            # also when Python ends without quitting the application (tests, the self-test):
            # a QThread destroyed while it runs aborts the process
            import atexit

            atexit.register(wait_for_all)
            _QUIT_HOOKED = True
        self._thread = QThread()
        self._thread.setObjectName(self.thread_name)
        self._worker = _Worker(self.work, self.what)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._thread.finished.connect(self._worker.deleteLater)
        # Queued into this (UI) thread because the worker emits from its own.
        self._worker.progress.connect(self.progress)
        self._worker.result.connect(self._on_result)
        _RUNNING.add(self)
        self._thread.start()

    def wait(self, ms: int = -1) -> bool:
        """Block until the thread has ended (for quitting and tests)."""
        if self._thread is None:
            return True
        return self._thread.wait() if ms < 0 else self._thread.wait(ms)

    @Slot(bool, str)
    def _on_result(self, ok: bool, text: str) -> None:
        self._thread.quit()
        self._thread.wait()
        _RUNNING.discard(self)
        (self.succeeded if ok else self.failed).emit(text)
        self.finished.emit()


def wait_for_all() -> None:
    """Let running exports end (a PDF has LibreOffice's timeout) before the app quits."""
    for job in list(_RUNNING):
        job.wait()
