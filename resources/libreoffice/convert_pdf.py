"""Runs under LibreOffice's own Python (the one that can `import uno`), started by
desktop_app/book/office.py and kept running beside one warm soffice:

    python convert_pdf.py --serve PIPE_NAME SOFFICE_PID WORK_DIR

Connects to the soffice that office.py started with --accept=pipe,name=PIPE_NAME;urp;
prints "ready" (and "sockets:PATH|PATH…", the pipe files soffice made, for clean-up),
then reads one request a line on stdin — a JSON object {"src": DOCX, "dst": PDF} — and
answers each with one JSON line on stdout:

    {"ok": true, "toc": [[text, page_label], …], "seconds": 0.8}

For each request it opens the .docx hidden, updates every index (the 目录 is empty until
something does; plain `soffice --convert-to pdf` never does) and field, exports a PDF
that keeps the blank pages odd-page section breaks insert, with the outline and the
document's bookmarks as named destinations (desktop_app/book/pdf_facts.py reads from
them where each part starts and on which page each heading is: no round trips over
the pipe), and returns the 目录 as LibreOffice filled it (for the .docx's own 目录).

End of stdin (the program closed it, quit, or was killed) or the program's death
(the parent pid changes) ends the service: soffice is asked to quit, killed if it
does not, and its pipe files and WORK_DIR (profile, TMPDIR, lock files) are removed.
So no soffice and no temporary file outlives the program, however it ends.

Standard library and uno only.
"""
import json
import os
import shutil
import signal
import sys
import threading
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

CONNECT_SECONDS = 60
_PARENT = os.getppid()
_LOCK = threading.Lock()
_CLEANED = []


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def say(obj):
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


WINDOWS = sys.platform == "win32"


def _win_alive(pid):
    import ctypes

    k32 = ctypes.windll.kernel32
    handle = k32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return False
    try:
        code = ctypes.c_ulong()
        return bool(k32.GetExitCodeProcess(handle, ctypes.byref(code))) and code.value == 259  # STILL_ACTIVE
    finally:
        k32.CloseHandle(handle)


def _win_kill(pid):
    import ctypes

    k32 = ctypes.windll.kernel32
    handle = k32.OpenProcess(0x0001, False, pid)  # PROCESS_TERMINATE
    if handle:
        k32.TerminateProcess(handle, 1)
        k32.CloseHandle(handle)


def alive(pid):
    if WINDOWS:  # os.kill(pid, 0) would end the process there
        return _win_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie (not yet reaped by its parent) counts as gone
    try:
        with open("/proc/%d/stat" % pid) as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def socket_paths(pid):
    """The unix sockets with a file name that process `pid` holds (its OSL_PIPE_* files)."""
    if not os.path.isdir("/proc"):
        return []
    try:
        inodes = set()
        for fd in os.listdir("/proc/%d/fd" % pid):
            try:
                target = os.readlink("/proc/%d/fd/%s" % (pid, fd))
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
        found = []
        with open("/proc/net/unix") as fh:
            next(fh)
            for line in fh:
                parts = line.split()
                if len(parts) >= 8 and parts[6] in inodes and parts[7].startswith("/"):
                    found.append(parts[7])
        return sorted(set(found))
    except OSError:
        return []


def connect(pipe, office_pid):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    url = "uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            return resolver.resolve(url)
        except NoConnectException:
            if time.monotonic() > deadline or not alive(office_pid):
                raise
            time.sleep(0.1)


def update_indexes(doc):
    indexes = doc.getDocumentIndexes()
    for i in range(indexes.getCount()):
        indexes.getByIndex(i).update()
    return indexes.getCount()


def toc_lines(doc):
    """The 目录 as LibreOffice filled it: [[entry text, page label], …]."""
    indexes = doc.getDocumentIndexes()
    out = []
    for i in range(indexes.getCount()):
        index = indexes.getByIndex(i)
        if not index.supportsService("com.sun.star.text.ContentIndex"):
            continue
        for line in index.getAnchor().getString().split("\n"):
            line = line.strip("\r")
            if "\t" in line:
                text, page = line.rsplit("\t", 1)
                out.append([text.strip(), page.strip()])
        break
    return out


def convert(desktop, src, dst):
    started = time.monotonic()
    marks = {}

    def mark(name):
        marks[name] = round(time.monotonic() - started, 3)

    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, (
        prop("Hidden", True), prop("FilterName", "MS Word 2007 XML")))  # no type detection: it is ours
    if doc is None:
        return {"ok": False, "error": "LibreOffice could not open the file"}, None
    try:
        mark("loaded")
        count = 0
        if hasattr(doc, "getDocumentIndexes"):
            count = update_indexes(doc)
        mark("indexes")
        if hasattr(doc, "getTextFields"):
            doc.getTextFields().refresh()
        if hasattr(doc, "refresh"):
            doc.refresh()
        mark("fields")
        if count:
            # The filled 目录 may have grown by a page: a second pass settles its page numbers.
            update_indexes(doc)
        mark("indexes2")
        filter_data = uno.Any("[]com.sun.star.beans.PropertyValue", (
            prop("IsSkipEmptyPages", False),  # keep the blank pages odd-page breaks insert
            # Untagged: the structure tree costs a quarter of the export's time (1.1 → 0.85 s on
            # the 66-page draft) and nothing prints differently; the book is for paper.
            prop("UseTaggedPDF", False),
            prop("ExportBookmarks", True),  # the outline: each heading's page, for the preview
            prop("ExportBookmarksToPDFDestination", True),  # PcaPartN: where each part starts
            prop("ExportNotes", False),
        ))
        args = (prop("FilterName", "writer_pdf_Export"), prop("FilterData", filter_data))
        uno.invoke(doc, "storeToURL", (uno.systemPathToFileUrl(dst), args))
        mark("exported")
        answer = {"ok": True, "marks": marks}
        try:
            answer["toc"] = toc_lines(doc) if count else []
        except Exception as exc:
            answer["toc"] = []
            answer["warning"] = "no toc: %s" % (getattr(exc, "Message", "") or exc)
    except BaseException:
        close(doc)
        raise
    answer["seconds"] = round(time.monotonic() - started, 3)
    return answer, doc


def close(doc):
    """Close a converted document (after the answer went out: the program need not wait)."""
    if doc is None:
        return
    try:
        doc.close(True)
    except Exception:  # already gone with soffice
        pass


def clean_up(desktop, office_pid, sockets, work, grace):
    """Stop soffice (politely when `desktop` is given), then remove its files. Once: a
    second caller (the other thread) waits until the first is done, so that neither
    ends the process half-way."""
    with _LOCK:
        if _CLEANED:
            return
        _clean_up(desktop, office_pid, sockets, work, grace)
        _CLEANED.append(True)


def _clean_up(desktop, office_pid, sockets, work, grace):
    if desktop is not None:
        try:
            desktop.terminate()
        except Exception:  # the bridge closes as soffice quits
            pass
    deadline = time.monotonic() + grace
    while alive(office_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if WINDOWS:
        if alive(office_pid):
            _win_kill(office_pid)
        sockets = []
    for sig in () if WINDOWS else (signal.SIGTERM, signal.SIGKILL):
        if not alive(office_pid):
            break
        try:
            os.killpg(office_pid, sig)  # soffice leads its own process group
        except OSError:
            try:
                os.kill(office_pid, sig)
            except OSError:
                pass
        end = time.monotonic() + 3
        while alive(office_pid) and time.monotonic() < end:
            time.sleep(0.05)
    for path in sockets + ([] if WINDOWS else socket_paths(office_pid)):
        try:
            os.unlink(path)
        except OSError:
            pass
    if work and os.path.basename(work).startswith("pca-office-"):
        shutil.rmtree(work, ignore_errors=True)


def watch_parent(office_pid, sockets, work):
    """The program died (killed, crashed): nobody will close stdin in time, so clean up now.
    (Linux and macOS: the orphan gets a new parent. On Windows, which does not reparent,
    the end of stdin says the same once soffice, killed by the job object, lets go.)"""
    if sys.platform == "win32":
        return
    while True:
        time.sleep(0.2)
        if os.getppid() != _PARENT:
            clean_up(None, office_pid, sockets, work, grace=0)
            os._exit(5)


def serve(pipe, office_pid, work):
    sockets = []
    threading.Thread(target=watch_parent, args=(office_pid, sockets, work), daemon=True).start()
    try:
        ctx = connect(pipe, office_pid)
    except NoConnectException as exc:
        # soffice ended first (a fresh profile makes it ask for a restart): the program decides
        say({"ok": False, "error": "could not connect to LibreOffice: %s" % exc.Message})
        return 1
    desktop = None
    try:
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        sockets.extend(socket_paths(office_pid))
        say({"ready": True, "sockets": sockets})
        for line in sys.stdin:
            line = line.strip()
            if not line:
                continue
            doc = None
            try:
                request = json.loads(line)
                answer, doc = convert(desktop, request["src"], request["dst"])
            except Exception as exc:  # a UNO exception carries its text in .Message
                answer = {"ok": False, "error": "%s: %s" % (type(exc).__name__, getattr(exc, "Message", "") or exc)}
            say(answer)
            close(doc)
            if not answer.get("ok") and not alive(office_pid):
                return 4
        return 0
    finally:
        clean_up(desktop, office_pid, sockets, work, grace=10)


def main(argv):
    if len(argv) != 5 or argv[1] != "--serve":
        print("usage: convert_pdf.py --serve PIPE_NAME SOFFICE_PID WORK_DIR", file=sys.stderr)
        return 3
    return serve(argv[2], int(argv[3]), argv[4])


if __name__ == "__main__":
    try:
        code = main(sys.argv)
    except BaseException:  # e.g. stdout closed under us: the clean-up above has run
        code = 6
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:
        pass
    # Skip interpreter teardown: with soffice gone, pyuno can crash while it disposes
    # the bridge's proxies (seen as SIGSEGV after a good export).
    os._exit(code)
