"""`--self-test`: prove a build works on the machine it runs on, without a person.

Opens the bundled sample through the real MainWindow (over a throw-away draft
store), exports the Word book through the 导出 button's own code path into a
temporary folder, reopens the .docx with python-docx and checks the outline's
headings are in it. Exit 0 when all is well, 1 with the reason otherwise.

The frozen Windows exe has no console (console=False), so the summary also goes
to self-test.log in the log folder that the summary names; the exit code is the
verdict either way.
"""
from __future__ import annotations

import faulthandler
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from desktop_app import APP_NAME, __version__, paths

#: Files a build must carry: found through paths.bundle_root(), frozen or not.
BUNDLED = (
    ("resources", "samples", "yangzhou_2021_sample.json"),
    ("resources", "schema", "draft.schema.json"),
    ("resources", "fonts", "fonts.conf"),
    ("resources", "libreoffice", "convert_pdf.py"),
    ("resources", "icons", "app.png"),
    ("templates", "key_city_2021", "program.yaml"),
)


#: The whole self-test takes seconds (about 1 s without LibreOffice, 5–20 s with it), and
#: its own waits give up after 240 s (preview) and 120 s (export) with a message;
#: past this it has hung, and CI must hear where rather than wait for its own limit.
HANG_AFTER_S = 420


class SelfTestFailed(RuntimeError):
    pass


class _Report:
    """Lines for stdout (when there is one) and for self-test.log."""

    def __init__(self):
        self.lines: list[str] = []

    def __call__(self, text: str) -> None:
        self.lines.append(text)
        if sys.stdout is not None:  # None in a windowed (console=False) Windows build
            try:
                print(text, flush=True)
            except (OSError, UnicodeEncodeError):
                pass

    def save(self, path: Path) -> None:
        try:
            path.write_text("\n".join(self.lines) + "\n", encoding="utf-8")
        except OSError:
            pass


def _check_bundle(say) -> None:
    root = paths.bundle_root()
    frozen = bool(getattr(sys, "frozen", False))
    say(f"程序文件夹 bundle root: {root} ({'frozen' if frozen else 'source'})")
    missing = [os.path.join(*p) for p in BUNDLED if not root.joinpath(*p).is_file()]
    if missing:
        raise SelfTestFailed(f"缺少随程序发布的文件 missing bundled files: {', '.join(missing)}")
    from desktop_app.core.program import available_programs

    programs = available_programs()
    if not programs:
        raise SelfTestFailed("templates/ 中没有申报项目 no programs in templates/")
    say(f"申报项目 programs: {', '.join(p.id for p in programs)}")


def _export_through_window(work: Path, say) -> Path:
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from desktop_app.ui.app import create_window, prepare_app

    app = QApplication.instance() or QApplication([sys.argv[0]])
    prepare_app(app)
    from desktop_app.ui import app as ui_app

    translated = ui_app._TRANSLATOR is not None and not ui_app._TRANSLATOR.isEmpty()
    say(f"Qt 中文翻译 Chinese Qt translation: {'已加载 loaded' if translated else '未找到 not found'}")
    window = create_window(work / "drafts.sqlite3")
    if window is None:
        raise SelfTestFailed("草稿库无法打开 the draft store did not open")
    try:
        window.show()
        window.open_sample()
        if window.wizard is None:
            raise SelfTestFailed("示例草稿未能打开 the sample did not open")
        window.wizard.go_to("export")
        page = window.wizard.export_page
        app.processEvents()
        page.show_preview()  # the PDF's pages with LibreOffice, else Qt's approximation
        if not page.wait_for_preview():
            raise SelfTestFailed(f"预览未完成 preview not ready: {page.preview.caption.text()}")
        preview_pages = page.preview.page_count()
        if preview_pages < 2 or "一、建设基础" not in page.preview.heading_texts():
            raise SelfTestFailed(f"预览不完整 preview incomplete: {preview_pages} pages")
        target = work / "out" / "申报书.docx"
        target.parent.mkdir()
        page.choose_path = lambda: str(target)  # the save dialog, answered
        page.export_button.click()  # a DocxJob writes the book in its own thread
        deadline = time.monotonic() + 120
        while page.docx_busy and time.monotonic() < deadline:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if not target.is_file():
            raise SelfTestFailed(f"未生成 Word 申报书 no .docx written: {page.status.text()}")
        say(f"已导出 exported: {target.name}, {target.stat().st_size // 1024} KB; 预览 preview: {preview_pages} 页 pages")
        return target
    finally:
        window.close_draft()
        window.store.close()
        window.close()
        window.deleteLater()
        app.processEvents()


def _check_docx(path: Path, say) -> None:
    from docx import Document

    from desktop_app.book.compose import compose
    from desktop_app.core.exchange import read_draft_file
    from desktop_app.core.program import get_program

    sample = read_draft_file(paths.resource("samples", "yangzhou_2021_sample.json"))
    expected = [h.text for h in compose(get_program(sample.program_id), sample).headings() if h.level == 1]
    texts = {p.text.strip() for p in Document(str(path)).paragraphs}
    missing = [h for h in expected if h not in texts]
    if not expected or missing:
        raise SelfTestFailed(f"Word 申报书缺少标题 headings missing from the .docx: {missing or '（无标题）'}")
    say(f"大纲标题 outline headings found: {len(expected)}/{len(expected)}")


def _hang_watchdog(log_dir: Path):
    """Arm faulthandler: after HANG_AFTER_S it writes every thread's Python stack and ends
    the process with exit code 1. Its watchdog is a C thread, so it fires even when the
    hang holds the interpreter lock. The stacks go to stderr when there is one (CI), else
    to self-test-hang.log beside the report (the windowed Windows build). Returns that
    file, for _disarm."""
    try:
        sys.stderr.fileno()  # AttributeError when there is none, OSError when not a real file
        target, hang_log = sys.stderr, None
    except (AttributeError, OSError, ValueError):
        try:
            target = hang_log = open(log_dir / "self-test-hang.log", "w", encoding="utf-8")
        except OSError:
            return None
    faulthandler.dump_traceback_later(HANG_AFTER_S, exit=True, file=target)
    return hang_log


def _disarm(hang_log) -> None:
    """The self-test ended in time: no watchdog, and no empty hang log left behind."""
    faulthandler.cancel_dump_traceback_later()
    if hang_log is not None:
        hang_log.close()
        Path(hang_log.name).unlink(missing_ok=True)


def run_self_test() -> int:
    """The whole check; the process exit code."""
    if not os.environ.get("QT_QPA_PLATFORM") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) \
            and sys.platform.startswith("linux"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    report_path = paths.log_dir() / "self-test.log"  # before PATENT_APP_DATA is pointed away
    say = _Report()
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="pca-selftest-"))
    old_data = os.environ.get("PATENT_APP_DATA")
    os.environ["PATENT_APP_DATA"] = str(work / "data")  # never the officer's own drafts
    say(f"{APP_NAME} {__version__} 自检 self-test")
    hang_log = _hang_watchdog(report_path.parent)
    try:
        _check_bundle(say)
        docx_path = _export_through_window(work, say)
        _check_docx(docx_path, say)
    except SelfTestFailed as exc:
        say(f"自检失败 SELF-TEST FAILED: {exc}")
        code = 1
    except Exception as exc:  # anything else is a failure of the build, with its reason
        import traceback

        say("".join(traceback.format_exception(exc)).rstrip())
        say(f"自检失败 SELF-TEST FAILED: {type(exc).__name__}: {exc}")
        code = 1
    else:
        say(f"自检通过 SELF-TEST PASSED in {time.perf_counter() - started:.1f} s")
        code = 0
    finally:
        _disarm(hang_log)
        if old_data is None:
            os.environ.pop("PATENT_APP_DATA", None)
        else:
            os.environ["PATENT_APP_DATA"] = old_data
        shutil.rmtree(work, ignore_errors=True)
    say(f"报告 report: {report_path}")
    say.save(report_path)
    return code
