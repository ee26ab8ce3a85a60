"""One warm LibreOffice for the whole program (no Qt here).

Starting LibreOffice takes 2–3 s; laying out and exporting the book takes well under
one. So the program keeps one soffice running from the moment the export page or its
preview is first opened (start_in_background) until it quits, with one helper beside
it — resources/libreoffice/convert_pdf.py under the Python that can `import uno` —
connected over a named pipe and reused for every conversion (Office.convert).

No orphans, however the program ends:
- soffice.bin is started directly (not through the oosplash launcher, which would
  leave soffice.bin a grandchild), in a process group of its own, with
  PR_SET_PDEATHSIG=SIGKILL on Linux (prctl through ctypes, from a thread that lives as
  long as the program: the signal follows the *thread* that started the child), and
  in a kill-on-close job object on Windows;
- LibreOffice's profile, its TMPDIR (lock and lu*.tmp files) and the documents it
  converts live in one temporary folder "pca-office-…" that this module owns;
- the helper watches its parent: when the program is gone (killed, crashed) or closes
  the helper's input (quit, timeout), the helper stops soffice and removes that folder
  and soffice's OSL_PIPE_* files (which LibreOffice always puts in /tmp);
- a conversion that overruns its time is stopped the same way, and the next one
  starts a fresh LibreOffice.
"""
from __future__ import annotations

from typing import Any

import atexit
import json
import logging
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
from collections.abc import Callable

from desktop_app import paths

log = logging.getLogger(__name__)

WINDOWS = sys.platform == "win32"
LINUX = sys.platform.startswith("linux")
#: soffice.bin's exit code when it wants to be started again (a fresh profile does, once).
RESTART_CODE = 81
START_SECONDS = 90


class OfficeError(RuntimeError):
    """LibreOffice could not do it; `timeout` says whether it ran out of time."""

    def __init__(self, detail: str, timeout: bool = False):
        super().__init__(detail)
        self.timeout = timeout


# starting children that die with the program ----------------------------------------------
class _Spawner:
    """Starts every child from one thread that lives as long as the program: Linux sends
    PR_SET_PDEATHSIG when the thread that started a child ends, not only the process."""

    def __init__(self):
        self._jobs: queue.Queue = queue.Queue()
        threading.Thread(target=self._loop, name="office-spawner", daemon=True).start()

    def _loop(self) -> None:
        while True:
            fn, box, ready = self._jobs.get()
            try:
                box.append((True, fn()))
            except BaseException as exc:  # noqa: BLE001 — handed back to the caller
                box.append((False, exc))
            ready.set()

    def call(self, fn):
        box: list = []
        ready = threading.Event()
        self._jobs.put((fn, box, ready))
        ready.wait()
        ok, value = box[0]
        if not ok:
            raise value
        return value


_SPAWNER: _Spawner | None = None
_SPAWNER_LOCK = threading.Lock()


def _spawner() -> _Spawner:
    global _SPAWNER
    with _SPAWNER_LOCK:
        if _SPAWNER is None:
            _SPAWNER = _Spawner()
        return _SPAWNER


def _die_with_parent(parent: int) -> Callable[[], None]:
    """preexec_fn: SIGKILL this child when the thread that started it ends (Linux)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)

    def preexec() -> None:
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the program died before prctl took effect
            os._exit(1)

    return preexec


class _WindowsJob:
    """A job object that kills every process in it when the program's handle closes —
    on exit, crash or kill alike (JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE)."""

    def __init__(self):
        import ctypes
        from ctypes import wintypes

        class IO_COUNTERS(ctypes.Structure):  # noqa: N801 (Windows' names)
            _fields_ = [(n, ctypes.c_ulonglong) for n in (
                "ReadOperationCount", "WriteOperationCount", "OtherOperationCount",
                "ReadTransferCount", "WriteTransferCount", "OtherTransferCount")]

        class BASIC(ctypes.Structure):
            _fields_ = [("PerProcessUserTimeLimit", ctypes.c_int64), ("PerJobUserTimeLimit", ctypes.c_int64),
                        ("LimitFlags", wintypes.DWORD), ("MinimumWorkingSetSize", ctypes.c_size_t),
                        ("MaximumWorkingSetSize", ctypes.c_size_t), ("ActiveProcessLimit", wintypes.DWORD),
                        ("Affinity", ctypes.c_size_t), ("PriorityClass", wintypes.DWORD),
                        ("SchedulingClass", wintypes.DWORD)]

        class EXTENDED(ctypes.Structure):
            _fields_ = [("BasicLimitInformation", BASIC), ("IoInfo", IO_COUNTERS),
                        ("ProcessMemoryLimit", ctypes.c_size_t), ("JobMemoryLimit", ctypes.c_size_t),
                        ("PeakProcessMemoryUsed", ctypes.c_size_t), ("PeakJobMemoryUsed", ctypes.c_size_t)]

        self._k32 = ctypes.WinDLL("kernel32", use_last_error=True)
        self._k32.CreateJobObjectW.restype = wintypes.HANDLE
        self._k32.AssignProcessToJobObject.argtypes = (wintypes.HANDLE, wintypes.HANDLE)
        self.handle = self._k32.CreateJobObjectW(None, None)
        if not self.handle:
            raise OSError(ctypes.get_last_error(), "CreateJobObjectW")
        info = EXTENDED()
        info.BasicLimitInformation.LimitFlags = 0x2000  # JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
        if not self._k32.SetInformationJobObject(self.handle, 9,  # JobObjectExtendedLimitInformation
                                                 ctypes.byref(info), ctypes.sizeof(info)):
            raise OSError(ctypes.get_last_error(), "SetInformationJobObject")

    def add(self, proc: subprocess.Popen) -> None:
        if not self._k32.AssignProcessToJobObject(self.handle, int(proc._handle)):  # type: ignore[attr-defined]  # noqa: SLF001
            log.warning("AssignProcessToJobObject failed: %s", self._k32.GetLastError())


_JOB: _WindowsJob | None = None


def _windows_job() -> _WindowsJob | None:
    global _JOB
    if _JOB is None:
        try:
            _JOB = _WindowsJob()
        except (OSError, AttributeError) as exc:
            log.warning("no job object: %s", exc)
    return _JOB


def spawn(cmd: list[str], die_with_parent: bool = True, **kw) -> subprocess.Popen:
    """Popen a child in its own process group that ends when the program ends — or, with
    die_with_parent=False (the helper, which must outlive the program a moment to clean
    up after it), that is left to notice by itself."""
    def start() -> subprocess.Popen:
        if WINDOWS:
            proc = subprocess.Popen(cmd, creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0)
                                    | getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0), **kw)
            job = _windows_job() if die_with_parent else None
            if job is not None:
                job.add(proc)
            return proc
        extra: dict[str, Any] = {"preexec_fn": _die_with_parent(os.getpid())} if LINUX and die_with_parent else {}
        return subprocess.Popen(cmd, start_new_session=True, **extra, **kw)

    return _spawner().call(start)


def kill_group(proc: subprocess.Popen | None) -> None:
    """Kill a child we started with spawn(), and what it started, at once."""
    if proc is None or proc.poll() is not None:
        return
    if WINDOWS:
        subprocess.run(["taskkill", "/PID", str(proc.pid), "/T", "/F"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
    else:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()


# the warm LibreOffice ------------------------------------------------------------------------
def soffice_bin(soffice: Path) -> Path:
    """soffice.bin itself: /usr/bin/soffice is a shell script that runs oosplash, which
    runs soffice.bin as *its* child — out of reach of a parent-death signal."""
    program = Path(os.path.realpath(soffice)).parent
    candidate = program / "soffice.bin"
    return candidate if candidate.is_file() else Path(soffice)


class Office:
    """soffice + the convert_pdf.py helper, started once, used one conversion at a time."""

    def __init__(self, soffice: Path, uno_python: str, env: dict[str, str], clean_env: dict[str, str]):
        self.soffice = Path(soffice)
        self.uno_python = uno_python
        self._env = env
        self._clean_env = clean_env
        self._lock = threading.RLock()  # one start / conversion / stop at a time
        self._office: subprocess.Popen | None = None
        self._helper: subprocess.Popen | None = None
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._work: Path | None = None
        self._sockets: list[str] = []
        self._counter = 0
        self._starting = False
        self._atexit = False
        #: Seconds the last start took (for the benchmark); None before one.
        self.start_seconds: float | None = None

    @property
    def running(self) -> bool:
        return (self._office is not None and self._office.poll() is None
                and self._helper is not None and self._helper.poll() is None)

    @property
    def work_dir(self) -> Path | None:
        return self._work

    def pids(self) -> list[int]:
        return [p.pid for p in (self._office, self._helper) if p is not None and p.poll() is None]

    # starting ---------------------------------------------------------------------------
    def start_in_background(self) -> None:
        """Warm LibreOffice up without waiting (the export page or preview was opened)."""
        if self.running or self._starting:
            return
        self._starting = True

        def run() -> None:
            try:
                self.ensure_started()
            except OfficeError as exc:
                log.info("LibreOffice did not start: %s", exc)
            finally:
                self._starting = False

        threading.Thread(target=run, name="office-warmup", daemon=True).start()

    def ensure_started(self, deadline: float | None = None) -> None:
        with self._lock:
            if self.running:
                return
            self._stop_locked(grace=0)
            deadline = deadline or time.monotonic() + START_SECONDS
            started = time.monotonic()
            self._work = Path(tempfile.mkdtemp(prefix="pca-office-"))
            (self._work / "tmp").mkdir()
            pipe = f"pca_office_{os.getpid()}_{uuid.uuid4().hex[:12]}"
            env = dict(self._env, TMPDIR=str(self._work / "tmp"), TMP=str(self._work / "tmp"),
                       TEMP=str(self._work / "tmp"))
            cmd = [str(soffice_bin(self.soffice)), f"-env:UserInstallation={(self._work / 'profile').as_uri()}",
                   "--headless", "--invisible", "--nodefault", "--nofirststartwizard", "--nolockcheck",
                   "--nologo", "--norestore", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"]
            script = paths.resource("libreoffice", "convert_pdf.py")
            if not script.is_file():
                raise OfficeError(f"程序文件缺失：{script}")
            log_path = self._work / "soffice.log"
            for _attempt in range(3):
                with open(log_path, "ab") as log_file:
                    self._office = spawn(cmd, stdin=subprocess.DEVNULL, stdout=log_file,
                                         stderr=subprocess.STDOUT, env=env)
                with open(self._work / "helper.log", "ab") as helper_log:
                    # not killed with the program: it removes soffice's files after it (convert_pdf.py)
                    self._helper = spawn([self.uno_python, str(script), "--serve", pipe, str(self._office.pid),
                                          str(self._work)], die_with_parent=False,
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=helper_log,
                                         env=dict(self._clean_env, TMPDIR=env["TMPDIR"]))
                self._lines = queue.Queue()
                threading.Thread(target=self._read, args=(self._helper.stdout, self._lines),
                                 name="office-helper-stdout", daemon=True).start()
                answer = self._answer(deadline, "启动", keep=True)
                if answer.get("ready"):
                    break
                # A fresh profile makes soffice.bin set itself up and ask to be started
                # again (oosplash's job, which is skipped here): once, within seconds.
                try:
                    code = self._office.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    code = None
                kill_group(self._helper)
                self._close_helper_pipes(self._helper)
                if code != RESTART_CODE:
                    self._stop_locked(grace=0)
                    raise OfficeError(answer.get("error") or f"LibreOffice 意外退出，代码 {code}")
            else:
                self._stop_locked(grace=0)
                raise OfficeError("LibreOffice 反复要求重新启动")
            self._sockets = list(answer.get("sockets") or [])
            self.start_seconds = time.monotonic() - started
            if not self._atexit:
                atexit.register(self.stop)
                self._atexit = True

    @staticmethod
    def _close_helper_pipes(helper) -> None:
        for stream in (helper.stdin, helper.stdout):
            try:
                stream.close()
            except OSError:
                pass

    @staticmethod
    def _read(stream, lines: queue.Queue) -> None:
        try:
            for raw in stream:
                lines.put(raw.decode("utf-8", "replace").strip())
        except (OSError, ValueError):
            pass
        lines.put(None)  # the helper ended

    def _answer(self, deadline: float, what: str, keep: bool = False) -> dict:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                self._stop_locked(grace=0)
                raise OfficeError(f"LibreOffice {what}超时", timeout=True)
            try:
                line = self._lines.get(timeout=min(left, 0.5))
            except queue.Empty:
                if self._office is not None and self._office.poll() is not None and self._lines.empty():
                    # soffice died: the helper notices and answers within moments
                    try:
                        line = self._lines.get(timeout=3)
                    except queue.Empty:
                        line = None
                else:
                    continue
            if line is None:
                detail = self._tail("helper.log") or self._tail("soffice.log")
                if keep:
                    return {"error": detail}
                self._stop_locked(grace=0)
                raise OfficeError(detail or "LibreOffice 意外退出")
            try:
                return json.loads(line)
            except ValueError:
                log.info("convert_pdf.py: %s", line)

    def _tail(self, name: str, limit: int = 300) -> str:
        if self._work is None:
            return ""
        try:
            text = (self._work / name).read_text(encoding="utf-8", errors="replace")
        except (OSError, TypeError):
            return ""
        kept = [ln.strip() for ln in text.splitlines() if ln.strip() and "javaldx" not in ln]
        return " ".join(kept)[-limit:]

    # converting -------------------------------------------------------------------------
    def convert(self, src: Path, dst: Path, timeout: float = 120,
                say: Callable[[str], None] | None = None) -> dict:
        """.docx → PDF at `dst` in LibreOffice's layout; returns what the helper read from
        that layout: starts, total, headings, toc (see convert_pdf.py). Raises OfficeError."""
        say = say or (lambda _t: None)
        deadline = time.monotonic() + timeout
        with self._lock:
            if not self.running:
                say("正在启动 LibreOffice…")
                self.ensure_started(deadline)
            say("正在更新目录和页码，生成 PDF…")
            self._counter += 1
            request = {"src": str(src), "dst": str(dst)}
            pipe = self._helper.stdin if self._helper is not None else None
            try:
                if pipe is None:
                    raise OSError("no helper")
                pipe.write((json.dumps(request, ensure_ascii=False) + "\n").encode("utf-8"))
                pipe.flush()
            except OSError:
                self._stop_locked(grace=0)
                raise OfficeError("LibreOffice 意外退出") from None
            answer = self._answer(deadline, "转换")
            if not answer.get("ok"):
                raise OfficeError(answer.get("error") or "转换失败")
            return answer

    def scratch_dir(self, timeout: float = START_SECONDS) -> Path:
        """A new folder inside this LibreOffice's own temporary folder (started if need be):
        whatever is put there goes when LibreOffice's files go, even if the program is killed."""
        with self._lock:
            if not self.running:
                self.ensure_started(time.monotonic() + timeout)
            if self._work is None:
                raise OfficeError("LibreOffice 未能启动")
            folder = self._work / "docs" / uuid.uuid4().hex[:12]
            folder.mkdir(parents=True)
            return folder

    # stopping ---------------------------------------------------------------------------
    def stop(self) -> None:
        """Ask LibreOffice to quit (it has a few seconds), then make sure; remove its files."""
        with self._lock:
            self._stop_locked(grace=8)

    def _stop_locked(self, grace: float) -> None:
        helper, office, work, sockets = self._helper, self._office, self._work, self._sockets
        self._helper = self._office = self._work = None
        self._sockets = []
        if helper is not None:
            try:
                if grace and helper.stdin is not None:
                    helper.stdin.close()  # the helper asks soffice to quit and removes its files
                    helper.wait(timeout=grace)
            except (OSError, subprocess.TimeoutExpired):
                pass
            kill_group(helper)
            self._close_helper_pipes(helper)
        kill_group(office)
        for path in sockets:
            try:
                os.unlink(path)
            except OSError:
                pass
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)


# the one for this program ----------------------------------------------------------------------
_SHARED: Office | None = None
_SHARED_LOCK = threading.Lock()


def shared() -> Office | None:
    """The program's warm LibreOffice, or None when there is no LibreOffice (or no
    Python that can drive it: then pdf.py converts the plain way)."""
    global _SHARED
    from desktop_app.book import pdf

    soffice = pdf.find_soffice()
    if soffice is None:
        return None
    uno_python = pdf.find_uno_python(soffice)
    if uno_python is None:
        return None
    with _SHARED_LOCK:
        if _SHARED is None or _SHARED.soffice != Path(soffice) or _SHARED.uno_python != uno_python:
            if _SHARED is not None:
                _SHARED.stop()
            _SHARED = Office(Path(soffice), uno_python, pdf._soffice_env(), pdf._clean_env())  # noqa: SLF001
        return _SHARED


def warm_up() -> None:
    """Start LibreOffice in the background if it is there; returns at once (find_uno_python
    probes a Python once, so that runs in the background too)."""
    def run() -> None:
        office = shared()
        if office is not None:
            office.start_in_background()

    threading.Thread(target=run, name="office-find", daemon=True).start()


def stop_shared() -> None:
    with _SHARED_LOCK:
        office = _SHARED
    if office is not None:
        office.stop()
