"""The book as PDF, made by LibreOffice (no Qt here: the CLI, the wizard and tests share it).

convert_to_pdf() hands the .docx to the program's one warm LibreOffice (book/office.py:
soffice headless with a throw-away profile, driven over a named pipe by LibreOffice's
Python running resources/libreoffice/convert_pdf.py), which opens it hidden, updates
every index and field (a 目录 stays empty until something does; Word/WPS do it on open,
plain `soffice --convert-to pdf` never does) and exports with the blank pages that
odd-page section breaks insert, so a duplex print puts every part on a right-hand page.
What the layout says — page count, where each part starts, each heading's page, the
filled 目录 — is read back from that PDF (book/pdf_facts.py) and returned as a
BookLayout: the preview, the 打印装订清单 and the .docx's own 目录 all use it.

On Linux soffice gets FONTCONFIG_FILE=resources/fonts/fonts.conf, which maps the
Windows font names the book asks for (仿宋_GB2312, 楷体_GB2312, 黑体, 方正小标宋简体, …)
to Debian stand-ins; see that file.
"""
from __future__ import annotations

from typing import Any

import functools
import glob
import os
import shutil
import signal
import contextlib
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable

from desktop_app import paths

WINDOWS = sys.platform == "win32"

#: PdfError text when no LibreOffice is installed.
MISSING_MESSAGE = "未找到 LibreOffice，请安装 LibreOffice 后重试；Word 文件已正常导出。"
_FALLBACK_HINT = "也可用 Word/WPS 打开导出的 Word 申报书，另存为 PDF。"

Progress = Callable[[str], None]


class PdfError(RuntimeError):
    """No PDF was made; the message says why in Chinese and what to do."""


# finding LibreOffice -------------------------------------------------------------------
def _soffice_candidates() -> list[str]:
    found: list[str] = []
    override = os.environ.get("PATENT_APP_SOFFICE")  # support: a LibreOffice in an odd place
    if override:
        found.append(override)
    for name in ("soffice", "libreoffice"):
        hit = shutil.which(name)
        if hit:
            found.append(hit)
    if WINDOWS:
        for var in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)"):
            base = os.environ.get(var)
            if base:
                found.append(str(Path(base) / "LibreOffice" / "program" / "soffice.exe"))
        found.append(r"C:\Program Files\LibreOffice\program\soffice.exe")
    else:
        found += ["/usr/bin/soffice", "/usr/bin/libreoffice", "/usr/local/bin/soffice"]
        # TDF's own packages: /opt/libreoffice7.6/program/soffice — newest first
        found += sorted(glob.glob("/opt/libreoffice*/program/soffice"), reverse=True)
        found.append("/Applications/LibreOffice.app/Contents/MacOS/soffice")
    return found


def find_soffice() -> Path | None:
    """The LibreOffice program to run, or None when LibreOffice is not installed."""
    for candidate in _soffice_candidates():
        path = Path(candidate)
        if path.is_file() and (WINDOWS or os.access(path, os.X_OK)):
            return path
    return None


def _program_dir(soffice: Path) -> Path:
    """LibreOffice's program/ folder (/usr/bin/soffice is a link into it on Debian)."""
    return Path(os.path.realpath(soffice)).parent


@functools.lru_cache(maxsize=8)
def find_uno_python(soffice: Path | str) -> str | None:
    """A Python that can `import uno` and so drive this LibreOffice, or None.

    Windows and TDF's Linux packages bundle one in program/ (python.exe, python);
    Debian's LibreOffice uses the system /usr/bin/python3 with package python3-uno.
    """
    program = _program_dir(Path(soffice))
    candidates = [program / "python.exe", program / "python"] if WINDOWS else [program / "python"]
    if not WINDOWS:
        candidates += [Path("/usr/bin/python3"), Path("/usr/local/bin/python3")]
    seen: set[str] = set()
    for candidate in candidates:
        key = os.path.realpath(candidate)
        if key in seen or not candidate.is_file():
            continue
        seen.add(key)
        try:
            probe = subprocess.run([str(candidate), "-c", "import uno"], env=_clean_env(),
                                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, timeout=30, **_no_window())
        except (OSError, subprocess.SubprocessError):
            continue
        if probe.returncode == 0:
            return str(candidate)
    return None


# environment ---------------------------------------------------------------------------
def _no_window() -> dict:
    """Keep console windows from flashing up on Windows."""
    return {"creationflags": getattr(subprocess, "CREATE_NO_WINDOW", 0)} if WINDOWS else {}


def _clean_env() -> dict[str, str]:
    """Our environment minus what would mislead another program's Python or libraries."""
    env = dict(os.environ)
    for key in ("PYTHONHOME", "PYTHONPATH", "PYTHONSTARTUP", "VIRTUAL_ENV"):
        env.pop(key, None)
    if getattr(sys, "frozen", False) and not WINDOWS:
        # A PyInstaller bundle points LD_LIBRARY_PATH at its own libraries; give soffice the original.
        original = env.pop("LD_LIBRARY_PATH_ORIG", None)
        if original is not None:
            env["LD_LIBRARY_PATH"] = original
        else:
            env.pop("LD_LIBRARY_PATH", None)
    return env


def fonts_conf() -> Path:
    return paths.resource("fonts", "fonts.conf")


def _soffice_env() -> dict[str, str]:
    env = _clean_env()
    conf = fonts_conf()
    if not WINDOWS and conf.is_file():
        env["FONTCONFIG_FILE"] = str(conf.resolve())  # a relative path is read from /etc/fonts
    return env


def _popen(cmd: list[str], **kw) -> subprocess.Popen:
    """Own process group (oosplash starts soffice.bin as a child, and both must go), and
    gone with the program (book/office.spawn: parent-death signal / job object)."""
    from desktop_app.book.office import spawn

    return spawn(cmd, stdin=subprocess.DEVNULL, **kw)


def _stop(proc: subprocess.Popen | None, grace: float) -> None:
    """End a process we started (and its children), politely first: a grace period, then
    SIGTERM to its group (POSIX), then office.kill_group's forced end of the whole group."""
    from desktop_app.book.office import kill_group

    if proc is None:
        return
    try:
        proc.wait(timeout=grace)
        return
    except subprocess.TimeoutExpired:
        pass
    if not WINDOWS:  # Windows has no polite group signal: taskkill /F is kill_group's
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            proc.wait(timeout=5)
            return
        except subprocess.TimeoutExpired:
            pass
    kill_group(proc)


def _soffice_base(soffice: Path, profile: Path) -> list[str]:
    return [str(soffice), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible",
            "--nodefault", "--nofirststartwizard", "--nolockcheck", "--nologo", "--norestore"]


def _tail(path: Path, limit: int = 400) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    lines = [ln.strip() for ln in text.splitlines()
             if ln.strip() and "javaldx" not in ln]  # Debian's harmless Java warning
    return " ".join(lines)[-limit:]


def _complete_pdf(path: Path) -> bool:
    """The file is a whole PDF: header at the start, %%EOF at the end."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(5)
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - 1024))
            tail = fh.read()
    except OSError:
        return False
    return head == b"%PDF-" and b"%%EOF" in tail


# the two ways to convert ----------------------------------------------------------------
def _timeout_error(timeout: float) -> PdfError:
    return PdfError(f"LibreOffice 转换 PDF 超过 {timeout:g} 秒仍未完成，已停止。"
                    f"请关闭其他正在运行的 LibreOffice 后重试。{_FALLBACK_HINT}")


def _failure(detail: str) -> PdfError:
    detail = f"（{detail}）" if detail else ""
    return PdfError(f"LibreOffice 未能生成 PDF{detail}。{_FALLBACK_HINT}")


@dataclass
class BookLayout:
    """What LibreOffice's layout of a book says (pages are physical, from 1, blank pages
    of odd-page breaks included, as in the PDF)."""

    pages: int
    starts: list[int] = field(default_factory=list)  # each part's (Word section's) first page
    headings: list[tuple[str, int, int]] = field(default_factory=list)  # (text, level, page)
    toc: list[tuple[str, str]] = field(default_factory=list)  # the 目录 as filled: (entry, page label)
    seconds: float = 0.0  # LibreOffice's own time for it

    def as_sections(self) -> dict:
        return {"starts": list(self.starts), "total": self.pages, "headings": list(self.headings),
                "toc": list(self.toc), "layout": self}


def _convert_warm(office, src: Path, out: Path, work: Path, say: Progress, timeout: float) -> dict:
    from desktop_app.book.office import OfficeError

    try:
        return office.convert(src, out, timeout=timeout, say=say)
    except OfficeError as exc:
        if exc.timeout:
            raise _timeout_error(timeout) from None
        raise _failure(str(exc)) from None


def _convert_plain(soffice: Path, src: Path, work: Path, deadline: float, timeout: float) -> Path:
    """soffice --convert-to pdf: no UNO, so a 目录 (TOC field) is NOT updated and stays as written."""
    outdir = work / "plain"
    outdir.mkdir()
    # JSON filter options keep the blank pages (LibreOffice 7.4+, checked on 7.4;
    # how older versions take them is untested).
    target = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"},' \
             '"UseTaggedPDF":{"type":"boolean","value":"false"},' \
             '"ExportBookmarks":{"type":"boolean","value":"true"},' \
             '"ExportBookmarksToPDFDestination":{"type":"boolean","value":"true"}}'
    log = work / "soffice.log"
    tmp = work / "tmp"  # LibreOffice's lu*.tmp files: removed with `work`
    tmp.mkdir(exist_ok=True)
    proc = None
    try:
        with open(log, "wb") as fh:
            proc = _popen(_soffice_base(soffice, work / "profile")
                          + ["--convert-to", target, "--outdir", str(outdir), str(src)],
                          stdout=fh, stderr=subprocess.STDOUT,
                          env=dict(_soffice_env(), TMPDIR=str(tmp), TMP=str(tmp), TEMP=str(tmp)))
            try:
                rc = proc.wait(timeout=max(1.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                raise _timeout_error(timeout) from None
        if rc != 0:
            raise _failure(_tail(log) or f"LibreOffice 退出代码 {rc}")
    finally:
        _stop(proc, grace=0)
    return outdir / (src.stem + ".pdf")


def convert_to_pdf(docx: str | os.PathLike, pdf: str | os.PathLike, progress: Progress | None = None,
                   timeout: float = 120, sections: dict | None = None) -> Path:
    """Turn a .docx into `pdf` with LibreOffice, replacing `pdf` atomically; returns its path.

    With a Python that can `import uno` (find_uno_python) the program's warm LibreOffice
    (book/office.py, started now if it is not running) updates the indexes and fields
    before export, so the 目录 carries page numbers. Without one this falls back to plain
    `soffice --headless --convert-to pdf`: the PDF is made, but the 目录 (a TOC field)
    then stays unfilled, as the .docx holds it.

    `progress`, if given, is called with short Chinese step messages, from the calling
    thread. `sections`, if given, receives BookLayout.as_sections(): "starts" (the page
    each Word section — each bound part — starts on), "total" (pages in all),
    "headings", "toc" and "layout" (the BookLayout). Raises PdfError (Chinese message)
    when LibreOffice is missing, takes longer than `timeout` seconds, or fails; `pdf`
    is then left as it was.
    """
    layout = make_pdf(docx, pdf, progress, timeout)
    if sections is not None:
        sections.update(layout.as_sections())
    return Path(pdf)


def make_pdf(docx: str | os.PathLike, pdf: str | os.PathLike, progress: Progress | None = None,
             timeout: float = 120) -> BookLayout:
    """convert_to_pdf(), returning the BookLayout of the PDF it wrote."""
    from desktop_app.book.pdf_facts import mark_parts, read_pdf_facts

    say = progress or (lambda _text: None)
    src = Path(docx)
    pdf = Path(pdf)
    if not src.is_file():
        raise PdfError(f"找不到要转换的 Word 文件 {src}。")
    if not pdf.parent.is_dir():
        raise PdfError(f"保存位置 {pdf.parent} 不存在，请选择一个已有的文件夹。")
    soffice = find_soffice()
    if soffice is None:
        raise PdfError(MISSING_MESSAGE)
    from desktop_app.book import office as office_mod

    office = office_mod.shared()
    deadline = time.monotonic() + timeout
    with scratch("pca-pdf-", timeout) as work:
        timeout = max(0.1, deadline - time.monotonic())
        # A private copy, with a bookmark where each part starts (pdf_facts.py): LibreOffice
        # leaves no lock file beside the officer's document, and a document open in Word converts.
        local = work / "book.docx"
        try:
            mark_parts(src, local)
        except OSError as exc:
            raise PdfError(f"无法读取 {src}：{exc.strerror or exc}。") from exc
        except Exception as exc:  # noqa: BLE001 — not a .docx we can read: convert it as it is
            try:
                shutil.copyfile(src, local)
            except OSError:
                raise PdfError(f"无法读取 {src}：{exc}。") from exc
        toc: list = []
        seconds = 0.0
        try:
            if office is not None:
                produced = work / "book.pdf"
                answer = _convert_warm(office, local, produced, work, say, timeout)
                toc = [tuple(t) for t in answer.get("toc") or []]
                seconds = float(answer.get("seconds") or 0)
            else:
                say("正在生成 PDF（未找到 LibreOffice 的 Python 组件，目录页码不会更新）…")
                deadline = time.monotonic() + timeout
                produced = _convert_plain(soffice, local, work, deadline, timeout)
        except OSError as exc:  # soffice or its Python could not be started at all
            raise _failure(f"无法启动 {exc.filename or soffice}：{exc.strerror or exc}") from exc
        if not _complete_pdf(produced):
            raise _failure(_tail(work / "soffice.log") or "没有得到完整的 PDF 文件")
        facts = read_pdf_facts(produced)
        layout = BookLayout(facts.pages, facts.part_starts(), list(facts.outline), toc, seconds)
        data = produced.read_bytes()
        say("正在保存 PDF…")
        from desktop_app.core.exchange import atomic_write_bytes

        try:
            atomic_write_bytes(pdf, data)
        except PermissionError as exc:
            raise PdfError(f"无法写入 {pdf}：文件可能正在 PDF 阅读器中打开，或文件夹不可写。"
                           "请关闭该文件或另选位置后重试；原文件未被改动。") from exc
        except OSError as exc:
            raise PdfError(f"无法写入 {pdf}：{exc.strerror or exc}。原文件未被改动。") from exc
    say("PDF 已导出。")
    return layout


# a folder for one conversion ------------------------------------------------------------
@contextlib.contextmanager
def scratch(prefix: str = "pca-pdf-", timeout: float = 120):
    """A temporary folder, removed afterwards: inside the warm LibreOffice's own folder when
    there is one (book/office.py), so that even a killed program leaves none behind."""
    from desktop_app.book import office as office_mod

    office = office_mod.shared() if find_soffice() is not None else None
    folder = None
    if office is not None:
        try:
            folder = office.scratch_dir(timeout)
        except office_mod.OfficeError:
            folder = None
    if folder is None:
        with tempfile.TemporaryDirectory(prefix=prefix, ignore_cleanup_errors=True) as tmp:
            yield Path(tmp)
        return
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# pages as pictures (the preview) -----------------------------------------------------------
def find_pdftoppm() -> str | None:
    """poppler's pdftoppm, which draws PDF pages as pictures (None when not installed)."""
    return shutil.which("pdftoppm")


def render_pages(pdf: str | os.PathLike, folder: str | os.PathLike, width_px: int, first: int, last: int,
                 timeout: float = 60) -> list[Path]:
    """Pages first..last (from 1) of `pdf` drawn `width_px` wide, as PPM files in `folder`
    (uncompressed: writing PNG costs pdftoppm three times as long). Raises PdfError."""
    tool = find_pdftoppm()
    if tool is None:
        raise PdfError("未找到 pdftoppm（poppler-utils），无法显示 PDF 页面。")
    folder = Path(folder)
    stem = folder / f"p{first}"
    try:
        # at a lower priority than the window: drawing thumbnails must not make it stutter
        extra: dict[str, Any] = {} if WINDOWS else {"preexec_fn": lambda: os.nice(10)}
        done = subprocess.run([tool, "-f", str(first), "-l", str(last), "-scale-to-x", str(width_px),
                               "-scale-to-y", "-1", str(pdf), str(stem)],
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              timeout=timeout, **extra, **_no_window())
    except (OSError, subprocess.SubprocessError) as exc:
        raise PdfError(f"无法显示 PDF 页面：{exc}") from exc
    if done.returncode != 0:
        raise PdfError("无法显示 PDF 页面：" + done.stderr.decode("utf-8", "replace")[-200:])
    # pdftoppm pads page numbers to the width of the last page's number
    found = sorted(folder.glob(f"p{first}-*.ppm"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    return found


# .doc/.wps/.odt → .docx (Word import, 分工 收回) ------------------------------------------
class ConvertError(RuntimeError):
    """Why convert_to_docx gave no .docx; each caller says it in its own words.
    reason: "no_office" (LibreOffice not installed), "start" (it could not be started),
    "timeout" (stopped after the time-out) or "failed" (it wrote no .docx)."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason if not detail else f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def convert_to_docx(source: Path, work: Path, timeout: float) -> Path:
    """`source` (.doc, .wps, .odt, .rtf…) as a .docx inside `work`, converted by a LibreOffice
    of our own: a private profile in `work` (a LibreOffice the officer has open is neither used
    nor disturbed), a plain ASCII copy of the file (LibreOffice's command line is unreliable
    with some names on Windows), and its own process group, stopped with every process it
    started when done or after `timeout` seconds. Raises ConvertError."""
    soffice = find_soffice()
    if soffice is None:
        raise ConvertError("no_office")
    work.mkdir(parents=True, exist_ok=True)
    src = work / f"source{source.suffix.lower() or '.doc'}"
    shutil.copyfile(source, src)
    outdir = work / "out"
    try:
        proc = _popen(_soffice_base(soffice, work / "profile") + [
            "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(outdir), str(src)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_soffice_env())
    except OSError as exc:
        raise ConvertError("start", exc.strerror or str(exc)) from exc
    timed_out = False
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
    finally:
        _stop(proc, 0)
    result = outdir / "source.docx"
    if not result.is_file() or result.stat().st_size == 0:
        raise ConvertError("timeout" if timed_out else "failed")
    return result
