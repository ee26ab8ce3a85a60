"""PdfJob: the book as PDF, made off the UI thread.

The worker thread writes the .docx into a temporary folder and has LibreOffice turn
it into the chosen .pdf (desktop_app.book.pdf). It never touches a widget: progress
and the outcome come back as signals, delivered in the UI thread.

Signals (all in the UI thread):
    progress(str): a step message in Chinese.
    succeeded(str): the PDF was written to this path.
    failed(str): no PDF; the message is for the officer.
    finished(): after succeeded or failed, always; the thread has ended.
"""
from __future__ import annotations

import copy
import logging
import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

from desktop_app.core.draft import Draft

log = logging.getLogger(__name__)

#: Jobs whose thread is running: a job outlives the page that started it, and the
#: application waits for them before it quits (a QThread must not die running).
_RUNNING: set["PdfJob"] = set()
_QUIT_HOOKED = False


class _Worker(QObject):
    """Lives in the job's thread; only computes and emits."""

    progress = Signal(str)
    result = Signal(bool, str)  # ok, PDF path or message

    def __init__(self, draft: Draft, target: Path, layout):
        super().__init__()
        self.draft = draft
        self.target = target
        self.layout = layout

    @Slot()
    def run(self) -> None:
        from desktop_app.book.export import ExportError, export_docx
        from desktop_app.book.pdf import PdfError, convert_to_pdf
        from desktop_app.core.textrender import TemplateTextError

        try:
            with tempfile.TemporaryDirectory(prefix="pca-export-", ignore_cleanup_errors=True) as tmp:
                self.progress.emit("正在生成 Word 申报书…")
                docx = export_docx(self.draft, Path(tmp) / "申报书.docx", self.layout)
                pdf = convert_to_pdf(docx, self.target, progress=self.progress.emit)
        except (ExportError, TemplateTextError, PdfError) as exc:
            self.result.emit(False, str(exc))
        except Exception as exc:  # the officer must hear of it, and the thread must end cleanly
            log.exception("PDF export failed")
            self.result.emit(False, f"导出 PDF 时出现意外错误：{exc}")
        else:
            self.result.emit(True, str(pdf))
        finally:
            self.thread().quit()  # ends the thread even while the UI thread is blocked in wait()


class PdfJob(QObject):
    """Start with start(); connect the signals first. Lives in the UI thread."""

    progress = Signal(str)
    succeeded = Signal(str)
    failed = Signal(str)
    finished = Signal()

    def __init__(self, draft: Draft, target: str | os.PathLike, layout=None):
        """`layout`: the book.layout.Layout the Word export uses (None: GB/T 9704 defaults)."""
        super().__init__()  # no parent: a closing window must not destroy a running thread
        # A snapshot: the officer may keep editing while the book is converted.
        self._draft = Draft(copy.deepcopy(draft.data))
        self._target = Path(target)
        self._layout = layout
        self._thread: QThread | None = None
        self._worker: _Worker | None = None

    @property
    def running(self) -> bool:
        return self in _RUNNING

    def start(self) -> None:
        global _QUIT_HOOKED
        if self._thread is not None:
            raise RuntimeError("a PdfJob runs once")
        app = QCoreApplication.instance()
        if app is not None and not _QUIT_HOOKED:
            app.aboutToQuit.connect(wait_for_all)
            _QUIT_HOOKED = True
        self._thread = QThread()
        self._thread.setObjectName("pdf-export")
        self._worker = _Worker(self._draft, self._target, self._layout)
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
    """Let running conversions end (each has LibreOffice's timeout) before the app quits."""
    for job in list(_RUNNING):
        job.wait()
