"""What the benchmark measures in a process of its own: python -m bench.probe KIND [ARGS].

Each probe prints one JSON object on its last stdout line. The Qt ones need
QT_QPA_PLATFORM (offscreen in CI) and PATENT_APP_DATA (a throw-away folder);
bench/__main__.py sets both.

    start-app          the program, opening the sample draft, until its wizard has painted
    start-app-cli      the same through `python -m desktop_app gui --sample` (the bundle's entry)
    start-bare         a bare PySide6 main window, until it has painted
    rss DRAFT.json     memory once DRAFT is open in the wizard
    stall-docx DRAFT.json   the UI thread's longest stall while 导出 Word 申报书 runs
    stall-pdf DRAFT.json    … while 导出 PDF runs (ui/pdf_job.PdfJob)
    stall-preview DRAFT.json N  … while the PDF preview is made again after an edit, N times
                            (warm LibreOffice); also each refresh's time, edits settled → all pages drawn

Start times are measured from BENCH_T0, the time.monotonic() the parent read just
before starting this process (a system-wide clock on Linux, Windows and macOS), so
they include the interpreter's own start and every import.
"""
from __future__ import annotations

import json
import os
import sys
import time


def _emit(result: dict) -> None:
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()


def _since_t0() -> float:
    return time.monotonic() - float(os.environ["BENCH_T0"])


# start ---------------------------------------------------------------------------------
def _report_first_paint(cls) -> None:
    """Make cls print the time since BENCH_T0 when an instance first paints, then leave.

    A paintEvent override on that one class, not an application-wide event filter:
    a filter would run Python for every event of the program and slow it down."""
    original = cls.paintEvent

    def paintEvent(self, event):  # noqa: N802 (Qt's name)
        original(self, event)
        elapsed = _since_t0()
        _emit({"seconds": elapsed, "widget": type(self).__name__})
        os._exit(0)  # the measurement is taken; skip the teardown

    cls.paintEvent = paintEvent


def start_app(via_cli: bool = False) -> None:
    from pathlib import Path

    from desktop_app.ui import wizard

    _report_first_paint(wizard.PlanWizard)
    db = Path(os.environ["PATENT_APP_DATA"]) / "drafts.sqlite3"
    if via_cli:
        from desktop_app.cli import main

        main(["--db", str(db), "gui", "--sample"])
    else:
        from desktop_app.ui.app import run

        run(db_path=db, open_sample=True)
    _emit({"error": "the wizard was never painted"})
    os._exit(1)


def start_bare() -> None:
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    class Bare(QMainWindow):
        pass

    _report_first_paint(Bare)
    app = QApplication(sys.argv[:1])
    window = Bare()
    window.setWindowTitle("bare")
    window.setCentralWidget(QLabel("专利转化申报助手"))
    window.resize(1180, 780)
    window.show()
    app.exec()
    _emit({"error": "the window was never painted"})
    os._exit(1)


# a draft open in the wizard -----------------------------------------------------------------
def _open_in_wizard(draft_file: str):
    """QApplication, a store in PATENT_APP_DATA holding the draft, the main window showing it."""
    from pathlib import Path

    from PySide6.QtWidgets import QApplication

    from desktop_app.core.exchange import read_draft_file
    from desktop_app.ui.app import create_window

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = create_window(Path(os.environ["PATENT_APP_DATA"]) / "drafts.sqlite3")
    draft = read_draft_file(draft_file)
    window.store.save(draft, reason="import")
    window.show()
    assert window.open_draft(draft.id), "could not open the draft"
    _settle(app, 0.3)
    return app, window


def _settle(app, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.005)


def _rss_mb() -> dict:
    """VmRSS (now) and VmHWM (peak) of this process in MB; ru_maxrss where /proc is missing."""
    try:
        fields = dict(line.split(":", 1) for line in open("/proc/self/status", encoding="ascii"))
        kb = lambda name: int(fields[name].split()[0])  # noqa: E731
        return {"rss_mb": kb("VmRSS") / 1024, "peak_mb": kb("VmHWM") / 1024}
    except (OSError, KeyError):
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return {"rss_mb": peak, "peak_mb": peak}


def rss(draft_file: str) -> None:
    app, window = _open_in_wizard(draft_file)
    # visit every page once, as an officer going through the wizard does
    for key in list(window.wizard.pages_by_key):
        window.wizard.go_to(key)
        app.processEvents()
    _settle(app, 0.2)
    _emit(_rss_mb() | {"pages": len(window.wizard.pages_by_key)})
    os._exit(0)


# stalls -------------------------------------------------------------------------------------
class _Lateness:
    """A 5 ms timer on the UI thread; the longest gap beyond 5 ms while armed is the stall."""

    def __init__(self, interval_ms: int = 5):
        from PySide6.QtCore import Qt, QTimer

        self.interval = interval_ms / 1000
        self.worst = 0.0
        self.worst_at = 0.0  # when the longest stall ended, seconds after arm()
        self.armed_at = 0.0
        self.ticks = 0
        self.armed = False
        self.last = time.monotonic()
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now = time.monotonic()
        if self.armed:
            late = now - self.last - self.interval
            if late > self.worst:
                self.worst, self.worst_at = late, now - self.armed_at
            self.ticks += 1
        self.last = now

    def arm(self) -> None:
        self.armed, self.worst, self.ticks = True, 0.0, 0
        self.armed_at = time.monotonic()

    def disarm(self) -> None:
        self._tick()  # a stall still running when the work ends counts too
        self.armed = False


def _stall(draft_file: str, kind: str) -> None:
    import tempfile

    from PySide6.QtCore import QTimer

    app, window = _open_in_wizard(draft_file)
    window.wizard.go_to("export")
    _settle(app, 0.2)
    page = window.wizard.export_page
    out = tempfile.mkdtemp(prefix="bench-out-")
    done = {"at": None, "path": None}

    def finished(path="") -> None:
        if done["at"] is None:
            done["at"], done["path"] = time.monotonic(), path

    if kind == "docx":
        if not hasattr(page, "choose_path"):
            raise SystemExit("ExportPage.choose_path is missing")
        page.choose_path = lambda: os.path.join(out, "申报书.docx")
        trigger = page.export_book
    else:
        from desktop_app.book.pdf import find_soffice

        if find_soffice() is None:
            _emit({"skipped": "LibreOffice is not installed"})
            os._exit(0)
        page.choose_pdf_path = lambda: os.path.join(out, "申报书.pdf")
        trigger = page.export_pdf
    page.exported.connect(finished)
    meter = _Lateness()
    _settle(app, 0.1)
    meter.arm()
    started = time.monotonic()
    QTimer.singleShot(0, trigger)
    limit = started + 180
    while done["at"] is None and time.monotonic() < limit:
        app.processEvents()
        time.sleep(0.001)
        if kind == "pdf" and "失败" in page.status.text():
            _emit({"error": page.status.text()})
            os._exit(1)
    meter.disarm()
    if done["at"] is None:
        _emit({"error": f"no export within 180 s: {page.status.text()}"})
        os._exit(1)
    result = {"stall_ms": meter.worst * 1000, "stall_at_s": meter.worst_at, "ticks": meter.ticks,
              "seconds": done["at"] - started}
    if kind == "pdf":
        import re

        data = open(done["path"], "rb").read()
        result["pdf_pages"] = len(re.findall(rb"/Type\s*/Page[^s]", data))
    # let a worker thread, if any, finish before leaving
    _settle(app, 0.05)
    _emit(result)
    os._exit(0)


def _stall_preview(draft_file: str, runs: str) -> None:
    """The 预览 tab of 检查与导出 after an edit: the warm LibreOffice makes the PDF again and
    pdftoppm draws every page; the worst UI stall meanwhile and the time it took."""
    from desktop_app.ui.export_page import ExportPage

    if not ExportPage.pdf_preview_possible():
        _emit({"skipped": "LibreOffice or pdftoppm is not installed"})
        os._exit(0)
    app, window = _open_in_wizard(draft_file)
    window.wizard.go_to("export")
    page = window.wizard.export_page
    _settle(app, 0.2)

    def ready() -> bool:
        p = page.preview
        return not page.preview_busy and p.mode == "pdf" and p.page_count() > 0 and p.complete()

    def wait(limit: float = 240) -> None:
        end = time.monotonic() + limit
        while not ready() and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.001)
        if not ready():
            _emit({"error": f"preview not ready within {limit:g} s: {page.preview.caption.text()}"})
            os._exit(1)

    cold_started = time.monotonic()
    page.show_preview()
    wait()
    cold = time.monotonic() - cold_started
    part = next(n for n in page.program.parts() if n.kind == "prose")
    meter = _Lateness()
    seconds, stalls = [], []
    for n in range(int(runs)):
        _settle(app, 0.3)
        page.draft.part(part.id)["text"] = (page.draft.part(part.id).get("text") or "") + f"\n补充一句{n}。"
        page.session.touch()  # the edit itself (the wizard's own checks follow it): not the preview's work
        page._preview_timer.stop()  # the settle delay is a choice, not work: start at once
        meter.arm()
        started = time.monotonic()
        page._start_pdf_preview()
        wait()
        seconds.append(time.monotonic() - started)
        meter.disarm()
        stalls.append(meter.worst * 1000)
    _emit({"seconds": sorted(seconds)[len(seconds) // 2], "stall_ms": sorted(stalls)[len(stalls) // 2],
           "worst_ms": max(stalls), "cold_s": cold, "pages": page.preview.page_count()})
    os._exit(0)


def main(argv: list[str]) -> None:
    kind, args = argv[0], argv[1:]
    if kind == "start-app":
        start_app()
    elif kind == "start-app-cli":
        start_app(via_cli=True)
    elif kind == "start-bare":
        start_bare()
    elif kind == "rss":
        rss(*args)
    elif kind == "stall-docx":
        _stall(*args, kind="docx")
    elif kind == "stall-pdf":
        _stall(*args, kind="pdf")
    elif kind == "stall-preview":
        _stall_preview(*args)
    else:
        raise SystemExit(f"unknown probe {kind}")


if __name__ == "__main__":
    main(sys.argv[1:])
