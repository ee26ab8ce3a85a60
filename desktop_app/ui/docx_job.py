"""DocxJob: the Word book written off the UI thread.

Composing and writing a 60-page book takes a few hundred milliseconds, and the first
export of a session also loads python-docx; in the UI thread that froze the window
(typing, repainting) for as long. The job's thread composes and writes the .docx
(desktop_app.book.export) from a snapshot of the draft; it never touches a widget,
and the outcome comes back as signals delivered in the UI thread — as ui/pdf_job.py
does for the PDF.

Signals (all in the UI thread):
    succeeded(str): the .docx was written to this path.
    failed(str): nothing was written (the old file, if any, is intact); the message is
        for the officer.
    finished(): after succeeded or failed, always; the thread has ended.
"""
from __future__ import annotations

import copy
import logging
import os
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, QThread, Signal, Slot

from desktop_app.core.draft import Draft

log = logging.getLogger(__name__)

#: Jobs whose thread is running: a job outlives the page that started it.
_RUNNING: set["DocxJob"] = set()


class _Worker(QObject):
    """Lives in the job's thread; only computes and emits."""

    result = Signal(bool, str)  # ok, .docx path or message

    def __init__(self, draft: Draft, target: Path, layout):
        super().__init__()
        self.draft = draft
        self.target = target
        self.layout = layout

    @Slot()
    def run(self) -> None:
        try:
            from desktop_app.book.export import ExportError, export_docx
            from desktop_app.core.textrender import TemplateTextError

            try:
                written = export_docx(self.draft, self.target, self.layout)
            except (ExportError, TemplateTextError) as exc:
                self.result.emit(False, str(exc))
            else:
                self.result.emit(True, str(written))
        except Exception as exc:  # the officer must hear of it, and the thread must end cleanly
            log.exception("Word export failed")
            self.result.emit(False, f"导出 Word 申报书时出现意外错误：{exc}")
        finally:
            self.thread().quit()


class DocxJob(QObject):
    """Start with start(); connect the signals first. Lives in the UI thread."""

    succeeded = Signal(str)
    failed = Signal(str)
    finished = Signal()

    def __init__(self, draft: Draft, target: str | os.PathLike, layout=None):
        """`layout`: the book.layout.Layout to write with (None: GB/T 9704 defaults)."""
        super().__init__()  # no parent: a closing page must not destroy a running thread
        # A snapshot: the officer may keep editing while the book is written.
        self._draft = Draft(copy.deepcopy(draft.data))
        self._target = Path(target)
        self._layout = layout
        self._thread: QThread | None = None
        self._worker: _Worker | None = None

    @property
    def running(self) -> bool:
        return self in _RUNNING

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("a DocxJob runs once")
        self._thread = QThread()
        self._thread.setObjectName("docx-export")
        self._worker = _Worker(self._draft, self._target, self._layout)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._thread.finished.connect(self._worker.deleteLater)
        # Queued into this (UI) thread because the worker emits from its own.
        self._worker.result.connect(self._on_result)
        _RUNNING.add(self)
        self._thread.start()

    def wait_responsive(self) -> None:
        """Return once the job has finished, running the UI thread's events meanwhile:
        the window keeps repainting and taking input while the book is written."""
        if not self.running:
            return
        loop = QEventLoop()
        self.finished.connect(loop.quit)
        if self.running:  # it may have finished while the connection was made
            loop.exec()

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
