"""Claims (占用): which running copy of the program is editing a draft.

Two copies of the program may open one draft file (two windows, or two
officers on a shared folder). A claim records the editing copy's computer,
process and a heartbeat in the store's meta table; DraftStore takes, renews,
checks and releases claims inside its own transactions. A claim whose holder
is gone — its process ended on this computer, or it stopped renewing for
CLAIM_TTL — is abandoned and may be taken over, so a crash never locks a
draft for good.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import sys
from dataclasses import dataclass

#: A claim whose heartbeat is older than this is abandoned (its holder crashed on
#: another computer, or the computer slept); holders renew theirs every minute.
CLAIM_TTL = dt.timedelta(minutes=5)
_KEY = "claim:"


def host_name() -> str:
    """This computer's name, as socket.gethostname() gives it. POSIX reads it from
    uname without importing socket (a few ms of every start, where a draft is claimed)."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()


def utcnow() -> dt.datetime:
    """Claims keep their own clock: tests pin the store's revision clock."""
    return dt.datetime.now(dt.timezone.utc)


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this computer (unsure counts as alive)."""
    if pid == os.getpid():
        return True
    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill(pid, 0) would send CTRL_C_EVENT there
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return kernel32.GetLastError() != 87  # ERROR_INVALID_PARAMETER: no such process
        try:
            code = ctypes.c_ulong()
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # e.g. another user's process
    return True


@dataclass(frozen=True)
class Claim:
    """Who holds a draft open for editing: computer, process, since when, last heartbeat."""

    draft_id: str
    host: str
    pid: int
    since: str
    heartbeat: str
    token: str

    def abandoned(self) -> bool:
        """True when the holder is gone: its process ended here, or it stopped renewing."""
        try:
            stale = utcnow() - dt.datetime.fromisoformat(self.heartbeat) > CLAIM_TTL
        except (TypeError, ValueError):
            return True
        return stale or (self.host == host_name() and not pid_alive(self.pid))

    def describe(self) -> str:
        """Who, for messages: 本机另一个打开的“专利转化申报助手”窗口（自 03-01 09:30 起）."""
        try:
            since = dt.datetime.fromisoformat(self.since).astimezone().strftime("%m-%d %H:%M")
        except (TypeError, ValueError):
            since = self.since
        where = "本机" if self.host == host_name() else f"计算机 {self.host} 上"
        return f"{where}另一个打开的“专利转化申报助手”窗口（自 {since} 起）"


def claim_key(draft_id: str) -> str:
    """The meta-table key of a draft's claim."""
    return _KEY + draft_id


def claim_value(token: str, since: str | None = None) -> str:
    """A claim by this process, as stored: heartbeat now, `since` kept on renewal."""
    now = utcnow().isoformat()
    return json.dumps({"host": host_name(), "pid": os.getpid(), "since": since or now,
                       "heartbeat": now, "token": token})


def parse_claim(draft_id: str, value: str) -> Claim | None:
    """A stored claim; None when unreadable (treated as free rather than locking the draft)."""
    try:
        v = json.loads(value)
        return Claim(draft_id, str(v["host"]), int(v["pid"]), str(v["since"]), str(v["heartbeat"]),
                     str(v["token"]))
    except (ValueError, KeyError, TypeError):
        return None
