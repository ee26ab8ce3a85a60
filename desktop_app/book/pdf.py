"""The book as PDF, made by LibreOffice (no Qt here: the CLI, the wizard and tests share it).

convert_to_pdf() starts its own soffice — headless, a fresh throw-away user profile,
listening on a named pipe — and drives it from LibreOffice's Python
(resources/libreoffice/convert_pdf.py): open the .docx hidden, update every index and
field (a 目录 stays empty until something does; Word/WPS do it on open, plain
`soffice --convert-to pdf` never does), export with the blank pages that odd-page
section breaks insert, so a duplex print puts every part on a right-hand page.

On Linux soffice gets FONTCONFIG_FILE=resources/fonts/fonts.conf, which maps the
Windows font names the book asks for (仿宋_GB2312, 楷体_GB2312, 黑体, 方正小标宋简体, …)
to Debian stand-ins; see that file.
"""
from __future__ import annotations

import functools
import glob
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Callable

from desktop_app import paths

WINDOWS = sys.platform == "win32"

#: PdfError text when no LibreOffice is installed.
MISSING_MESSAGE = "未找到 LibreOffice，请安装 LibreOffice 后重试；Word 文件已正常导出。"
_FALLBACK_HINT = "也可用 Word/WPS 打开导出的 Word 申报书，另存为 PDF。"

#: What convert_pdf.py's "step:NAME" lines tell the officer.
_STEP_TEXT = {
    "connected": "正在打开 Word 文件…",
    "loaded": "正在更新目录和页码…",
    "indexes": "正在生成 PDF…",
    "exported": "PDF 已生成，正在关闭 LibreOffice…",
}

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
    return {"creationflags": subprocess.CREATE_NO_WINDOW} if WINDOWS else {}


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
    # Own process group: oosplash starts soffice.bin as a child, and both must go.
    extra = {} if WINDOWS else {"start_new_session": True}
    return subprocess.Popen(cmd, stdin=subprocess.DEVNULL, **extra, **_no_window(), **kw)


def _stop(proc: subprocess.Popen | None, grace: float) -> None:
    """End a process we started (and its children), politely first."""
    if proc is None:
        return
    try:
        proc.wait(timeout=grace)
        return
    except subprocess.TimeoutExpired:
        pass
    if WINDOWS:
        subprocess.run(["taskkill", "/PID", str(proc.pid), "/T", "/F"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, **_no_window())
    else:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except (ProcessLookupError, PermissionError):
            pass
    try:
        proc.wait(timeout=5)
        return
    except subprocess.TimeoutExpired:
        pass
    if not WINDOWS:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    else:
        proc.kill()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


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


def _parse_sections(line: str) -> tuple[list[int], int] | None:
    """convert_pdf.py's "sections:1,3,5/52" → ([1, 3, 5], 52); None when garbled."""
    try:
        firsts, total = line[len("sections:"):].split("/")
        return [int(x) for x in firsts.split(",") if x], int(total)
    except ValueError:
        return None


def _convert_uno(soffice: Path, uno_python: str, src: Path, out: Path, work: Path,
                 say: Progress, deadline: float, timeout: float, sections: dict | None = None) -> None:
    pipe = f"pca_pdf_{os.getpid()}_{uuid.uuid4().hex[:12]}"
    script = paths.resource("libreoffice", "convert_pdf.py")
    if not script.is_file():
        raise _failure(f"程序文件缺失：{script}")
    office_log, script_log = work / "soffice.log", work / "convert.log"
    office = script_proc = None
    lines: queue.Queue[str] = queue.Queue()
    steps_seen: set[str] = set()

    def report(line: str) -> None:
        if line.startswith("sections:") and sections is not None:
            parsed = _parse_sections(line)
            if parsed:
                sections["starts"], sections["total"] = parsed
        if line.startswith("step:"):
            name = line[5:].split(":", 1)[0]
            steps_seen.add(name)
            if name in _STEP_TEXT:
                say(_STEP_TEXT[name])

    try:
        with open(office_log, "wb") as olog, open(script_log, "wb") as slog:
            office = _popen(_soffice_base(soffice, work / "profile")
                            + [f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
                            stdout=olog, stderr=subprocess.STDOUT, env=_soffice_env())
            script_proc = _popen([uno_python, str(script), pipe, str(src), str(out)],
                                 stdout=subprocess.PIPE, stderr=slog, env=_clean_env())

            def read(stream=script_proc.stdout) -> None:
                try:
                    for raw in stream:
                        lines.put(raw.decode("utf-8", "replace").strip())
                except (OSError, ValueError):  # closed under us when the script is stopped
                    pass

            reader = threading.Thread(target=read, name="convert_pdf-stdout", daemon=True)
            reader.start()
            while script_proc.poll() is None:
                while not lines.empty():
                    report(lines.get_nowait())
                if office.poll() is not None:
                    # soffice is gone (it quits when the script is done, or it died):
                    # the script finishes or fails within moments either way.
                    try:
                        script_proc.wait(timeout=5)
                    except subprocess.TimeoutExpired:
                        raise _failure(_tail(office_log) or f"LibreOffice 意外退出，代码 {office.returncode}") from None
                    break
                if time.monotonic() > deadline:
                    raise _timeout_error(timeout)
                time.sleep(0.05)
            reader.join(timeout=2)
            while not lines.empty():
                report(lines.get_nowait())
        if script_proc.returncode != 0 and not ("exported" in steps_seen and _complete_pdf(out)):
            detail = _tail(script_log) or _tail(office_log) or f"转换脚本退出代码 {script_proc.returncode}"
            raise _failure(detail)
    finally:
        if script_proc is not None and script_proc.poll() is None:
            script_proc.kill()
            script_proc.wait()
        if script_proc is not None and script_proc.stdout:
            script_proc.stdout.close()
        # The script asked soffice to quit; give it a moment, then make sure.
        _stop(office, grace=10 if "exported" in steps_seen else 0)


def _convert_plain(soffice: Path, src: Path, work: Path, deadline: float, timeout: float) -> Path:
    """soffice --convert-to pdf: no UNO, so a 目录 (TOC field) is NOT updated and stays as written."""
    outdir = work / "plain"
    outdir.mkdir()
    # JSON filter options keep the blank pages (LibreOffice 7.4+, checked on 7.4;
    # how older versions take them is untested).
    target = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"},' \
             '"UseTaggedPDF":{"type":"boolean","value":"true"}}'
    log = work / "soffice.log"
    proc = None
    try:
        with open(log, "wb") as fh:
            proc = _popen(_soffice_base(soffice, work / "profile")
                          + ["--convert-to", target, "--outdir", str(outdir), str(src)],
                          stdout=fh, stderr=subprocess.STDOUT, env=_soffice_env())
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

    With a Python that can `import uno` (find_uno_python) the indexes and fields are
    updated before export, so the 目录 carries page numbers. Without one this falls back
    to plain `soffice --headless --convert-to pdf`: the PDF is made, but the 目录
    (a TOC field) then stays unfilled, as the .docx holds it.

    `progress`, if given, is called with short Chinese step messages, from the calling
    thread. `sections`, if given, receives "starts" (the page each Word section — each
    bound part — starts on) and "total" (pages in all) when LibreOffice could tell them
    (the UNO route only). Raises PdfError (Chinese message) when LibreOffice is missing, takes longer
    than `timeout` seconds, or fails; `pdf` is then left as it was.
    """
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
    uno_python = find_uno_python(soffice)
    deadline = time.monotonic() + timeout
    say("正在启动 LibreOffice…")
    with tempfile.TemporaryDirectory(prefix="pca-pdf-", ignore_cleanup_errors=True) as tmp:
        work = Path(tmp)
        # A private copy: LibreOffice leaves no lock file beside the officer's document,
        # and a document open in Word still converts.
        local = work / "book.docx"
        try:
            shutil.copyfile(src, local)
        except OSError as exc:
            raise PdfError(f"无法读取 {src}：{exc.strerror or exc}。") from exc
        try:
            if uno_python:
                produced = work / "book.pdf"
                _convert_uno(soffice, uno_python, local, produced, work, say, deadline, timeout, sections)
            else:
                say("正在生成 PDF（未找到 LibreOffice 的 Python 组件，目录页码不会更新）…")
                produced = _convert_plain(soffice, local, work, deadline, timeout)
        except OSError as exc:  # soffice or its Python could not be started at all
            raise _failure(f"无法启动 {exc.filename or soffice}：{exc.strerror or exc}") from exc
        if not _complete_pdf(produced):
            raise _failure(_tail(work / "soffice.log") or "没有得到完整的 PDF 文件")
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
    return pdf


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
