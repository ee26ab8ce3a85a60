"""DraftStore: every draft in one SQLite file, saved as the officer types.

The schema version lives in PRAGMA user_version and moves forward only through
the numbered migrations below, each in one transaction, after a backup copy of
the file; a file written by a newer program, a damaged file and a database of
some other program are refused rather than touched.

Two copies of the program may share one file. Each open draft is claimed
(占用) in the meta table with the holder's host, pid and a heartbeat, so a
second copy opening the same draft is told and opens it read-only, and a save
over a draft another live copy holds is refused: no edit overwrites another.

A copy that opened a draft for editing (open_for_edit: claim, then read, in one
transaction) remembers what it read; each save checks, inside its transaction,
that the stored draft is still that one. When it is not — this copy slept past
its claim and another saved meanwhile — nothing is overwritten: this copy's
version is kept as a revision of its own ("conflict") and DraftConflict says so.
"""
from __future__ import annotations

import contextlib
import errno
import datetime as dt
import json
import os
import sqlite3
from dataclasses import dataclass
from glob import escape as glob_escape
from pathlib import Path
from typing import TYPE_CHECKING, Any
from collections.abc import Callable, Iterator

from desktop_app.core.claims import Claim, claim_key, claim_value, parse_claim
from desktop_app.core.draft import Draft
from desktop_app.core.draft_format import upgrade

if TYPE_CHECKING:
    import sqlite_utils


class StoreError(RuntimeError):
    """The draft file cannot be used; the message says why in Chinese and what to do."""


class StoreBusy(StoreError):
    """Another process holds the file's write lock; trying again shortly will likely work."""


class DraftConflict(StoreError):
    """The draft changed in the file (or our claim was lost) since this copy read it.

    Nothing was overwritten: our version is kept as revision `revision_id` of the draft."""

    def __init__(self, message: str, draft_id: str, revision_id: int | None):
        super().__init__(message)
        self.draft_id = draft_id
        self.revision_id = revision_id


@dataclass(frozen=True)
class Revision:
    """One saved state of a draft: when, why, and which parts changed since the one before."""

    id: int
    draft_id: str
    saved_at: str
    reason: str
    parts: tuple[str, ...]


def changed_parts(before: dict[str, Any] | None, after: dict[str, Any]) -> list[str]:
    """Page keys whose content differs: basic, the outline part ids, letter, attachments…"""
    if before is None:
        return ["全部"]
    keys = []
    if before.get("applicant") != after.get("applicant") or before.get("year") != after.get("year") \
            or before.get("period") != after.get("period"):
        keys.append("basic")
    for part_id in dict.fromkeys([*before.get("parts", {}), *after.get("parts", {})]):
        if before.get("parts", {}).get(part_id) != after.get("parts", {}).get(part_id):
            keys.append(part_id)
    for key in ("eligibility", "choices", "letter", "departments", "attachments", "review", "assignments"):
        if before.get(key) != after.get(key):
            keys.append(key)
    return keys


@dataclass(frozen=True)
class DraftSummary:
    """One line of the draft list (no content loaded)."""

    id: str
    title: str
    program_id: str
    city: str
    year: int
    is_sample: bool
    parent_id: str | None
    updated: str
    last_page: str | None


def _migrate_1(db: sqlite_utils.Database) -> None:
    db.table("drafts").create(
        {
            "id": str, "program_id": str, "city": str, "year": int, "title": str,
            "is_sample": int, "parent_id": str, "data": str, "last_page": str,
            "created": str, "updated": str,
        },
        pk="id",
        not_null={"program_id", "data", "created", "updated"},
    )
    db.table("drafts").create_index(["updated"])
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def _migrate_2(db: sqlite_utils.Database) -> None:
    """History: snapshots of each draft (修订记录)."""
    db.table("revisions").create(
        {"id": int, "draft_id": str, "saved_at": str, "reason": str, "parts": str, "data": str},
        pk="id",
        not_null={"draft_id", "saved_at", "data"},
    )
    db.table("revisions").create_index(["draft_id", "saved_at"])


def _migrate_3(db: sqlite_utils.Database) -> None:
    """Draft format 2 (core.draft_format): every draft and every revision upgraded in place,
    schedule rows linked to the city's measures. The backup is taken before (see _migrate)."""
    for table in ("drafts", "revisions"):
        rows = db.execute(f"SELECT rowid, data FROM {table}").fetchall()
        for rowid, payload in rows:
            try:
                data = json.loads(payload)
            except (TypeError, ValueError):
                continue  # a damaged row stays as it is; reading it says so
            if isinstance(data, dict) and data.get("format_version") == 1:
                db.execute(f"UPDATE {table} SET data = ? WHERE rowid = ?",
                           [json.dumps(upgrade(data), ensure_ascii=False), rowid])


#: Numbered migrations: MIGRATIONS[n-1] takes a file from version n-1 to n.
MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_migrate_1, _migrate_2, _migrate_3]

#: A new revision is started when the latest is older than this; edits within
#: the window update that latest revision, so history has one entry per
#: working spell rather than one per keystroke.
REVISION_WINDOW = dt.timedelta(minutes=5)
#: Revisions kept per draft; the oldest go first.
MAX_REVISIONS = 100
SCHEMA_VERSION = len(MIGRATIONS)
#: How long a save waits for another copy of the program to finish its own.
BUSY_TIMEOUT_S = 5.0
#: Backups taken before a migration (<name>.backup-v<N>-<time>) that are kept.
MAX_BACKUPS = 3
#: PRAGMA application_id of our files (set when a file is created): "PCDA".
APPLICATION_ID = 0x50434441
_SQLITE_MAGIC = b"SQLite format 3\x00"
#: The tables (and columns) a file of each schema version must have to be ours.
_OUR_TABLES: dict[int, dict[str, set[str]]] = {
    1: {"drafts": {"id", "program_id", "city", "year", "title", "is_sample", "parent_id", "data",
                   "last_page", "created", "updated"}, "meta": {"key", "value"}},
    2: {"revisions": {"id", "draft_id", "saved_at", "reason", "parts", "data"}},
}
# SQLite's primary result codes (exc.sqlite_errorcode & 0xFF)
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_CORRUPT = 5, 6, 8, 10, 11
_SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 13, 14, 26


def _error_kind(exc: BaseException) -> str:
    """damaged | busy | readonly | full | cantopen | io | other, from SQLite's result code.

    Only an error that carries no code (raised by Python's sqlite3 module itself, or a
    stand-in in a test) is told by its words."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        text = str(exc).lower()
        for words, kind in ((("not a database", "malformed", "corrupt"), "damaged"), (("locked", "busy"), "busy"),
                            (("readonly", "read-only"), "readonly"), (("full",), "full"),
                            (("unable to open",), "cantopen"), (("disk i/o",), "io")):
            if any(w in text for w in words):
                return kind
        return "other"
    return {_SQLITE_CORRUPT: "damaged", _SQLITE_NOTADB: "damaged", _SQLITE_BUSY: "busy", _SQLITE_LOCKED: "busy",
            _SQLITE_READONLY: "readonly", _SQLITE_FULL: "full", _SQLITE_CANTOPEN: "cantopen",
            _SQLITE_IOERR: "io"}.get(code & 0xFF, "other")


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


class _Connection:
    """The store's connection: `execute` and `conn`, as sqlite_utils.Database has them.

    Everyday reads and saves are plain SQL; sqlite-utils (its import costs about 40 ms of
    every start) is loaded only when a migration creates or changes tables."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def execute(self, sql: str, parameters: Any = None) -> sqlite3.Cursor:
        return self.conn.execute(sql, parameters) if parameters is not None else self.conn.execute(sql)


def _listable(text: str) -> str:
    """City and title only name the draft in lists: a lone surrogate there (the full
    text keeps it, escaped, in `data`) becomes U+FFFD instead of failing the save."""
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace") if isinstance(text, str) else text


def draft_record_key(draft_id: str, kind: str) -> str:
    """The meta-table key of one of a draft's records: draft/"<id>"/<kind> (the id quoted as
    in JSON, so no draft's keys begin with another draft's prefix, whatever its id holds)."""
    return f"draft/{json.dumps(draft_id, ensure_ascii=False)}/{kind}"


class DraftStore:
    """Drafts in SQLite: save, load, list, delete, and small per-user settings (meta)."""

    def __init__(self, path: str | Path | None = None, *, memory: bool = False):
        if not memory and path is None:
            raise ValueError("DraftStore needs a path, or memory=True")
        self.path = None if memory or path is None else Path(path)
        #: This open store's own mark on the drafts it claims.
        self.token = os.urandom(16).hex()  # random, as uuid4 (whose import cost a start 2 ms)
        self._claimed: set[str] = set()
        #: What this copy last read or wrote of each draft it opened for editing.
        self._base: dict[str, bytes] = {}
        #: The latest revision this copy wrote, per draft: only those are folded into.
        self._own_revision: dict[str, int] = {}
        conn = None
        self._stamp = False  # an older file of ours, found without our application_id
        self._inspected = False  # _inspect_file checked the file (integrity included)
        if not memory:
            # Before SQLite opens it for writing (which would roll back a hot journal
            # or replay a WAL): a file that is not ours must not be touched at all.
            self._inspect_file()
        try:
            # Autocommit mode: every transaction below is opened explicitly by
            # _transaction(), so none is left open by accident between edits.
            # The timeout is SQLite's busy timeout: a save waits for another
            # copy of the program to finish writing instead of failing.
            conn = sqlite3.connect(":memory:" if memory else str(self.path), timeout=BUSY_TIMEOUT_S,
                                   isolation_level=None, check_same_thread=False)
            self.db = _Connection(conn)
            # First: a file we refuse must not be touched, not even its journal mode.
            self._check_file()
            self._migrate()
            if not memory:
                self.db.execute("PRAGMA journal_mode=WAL")
                # NORMAL is durable across an application crash in WAL mode;
                # only a power cut can lose the last transaction.
                self.db.execute("PRAGMA synchronous=NORMAL")
                if self._stamp:  # checked read-only above, and ours: mark it, so later opens skip that check
                    with contextlib.suppress(sqlite3.Error):
                        self.db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        except StoreError:
            if conn is not None:
                conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            if conn is not None:
                conn.close()  # on Windows an open handle would keep the file locked
            raise StoreError(self._explain(exc)) from exc

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any error, database errors explained."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield
                self.db.execute("COMMIT")
            except BaseException:
                # SQLite has already rolled back after some errors (SQLITE_FULL):
                # a second ROLLBACK would hide the real reason behind its own.
                if self.db.conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        self.db.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError as exc:
            raise self._error(exc) from exc

    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        """Database errors while reading (a file damaged or removed under us) explained."""
        try:
            yield
        except sqlite3.DatabaseError as exc:
            raise self._error(exc) from exc

    def _error(self, exc: sqlite3.DatabaseError) -> StoreError:
        """The StoreError for a database error: StoreBusy when another process holds the lock."""
        message = self._explain(exc)
        return StoreBusy(message) if _error_kind(exc) == "busy" else StoreError(message)

    def _disk_full(self) -> bool:
        """Whether the library's disk has (almost) no room left: SQLite reports a write
        that failed for want of space as an I/O error as often as SQLITE_FULL."""
        if self.path is None:
            return False
        import shutil

        try:
            return shutil.disk_usage(self.path.parent).free < 1024 * 1024
        except OSError:
            return False

    def _explain(self, exc: sqlite3.DatabaseError) -> str:
        """Chinese for a database error, told apart by SQLite's result code."""
        kind = _error_kind(exc)
        where = f"草稿库文件 {self.path}" if self.path else "草稿库"
        if kind == "io" and self._disk_full():
            kind = "full"
        if kind == "damaged":
            return f"{where} 已损坏或不是草稿库，程序没有改动它。请从备份恢复，或把它移走后重新打开程序。"
        if kind == "busy":
            return f"{where} 正被另一个程序占用，请关闭其他正在运行的“专利转化申报助手”后重试。"
        if kind == "readonly":
            return (f"{where} 或其所在文件夹是只读的，程序无法保存。"
                    "请检查文件夹权限，或把草稿库复制到可写的文件夹后再打开；已保存的内容没有改动。")
        if kind == "full":
            return (f"磁盘已满（磁盘空间不足），无法保存到 {where}。请清理磁盘后重试；"
                    "已保存的内容不会丢失，当前修改仍在窗口中。")
        if kind == "cantopen":
            return (f"无法打开 {where}：文件夹不存在，或程序没有在其中写入的权限。"
                    "请检查该文件夹的权限，或另选一个可写的位置。")
        if kind == "io":
            return f"读写 {where} 时磁盘出错，请检查磁盘或移动存储设备是否仍然连接，然后重试。"
        code = getattr(exc, "sqlite_errorcode", None)
        return (f"{where} 无法使用（数据库错误{f'，代码 {code}' if code is not None else ''}）。"
                "请关闭程序后重新打开；如仍不行，请从备份恢复草稿库，或把它移走后重新打开程序。")

    def _inspect_file(self) -> None:
        """Refuse a file that is not ours, is newer or damaged — reading only: its header
        first, then (opened read-only) its version and tables. Nothing is written here."""
        assert self.path is not None
        import stat

        try:
            if not stat.S_ISREG(os.stat(self.path).st_mode) and not self.path.is_dir():
                # a pipe or a device would block the read below, or never end
                raise StoreError(f"{self.path} 不是普通文件（可能是管道或设备），不能用作草稿库。请另选一个文件名。")
        except FileNotFoundError:
            return  # a new library
        except OSError:
            pass  # reported by open() below
        try:
            with open(self.path, "rb") as fh:
                header = fh.read(100)
        except FileNotFoundError:
            return  # a new library
        except IsADirectoryError as exc:
            raise StoreError(f"{self.path} 是一个文件夹，不是草稿库文件。请另选一个文件名。") from exc
        except OSError as exc:
            raise StoreError(f"无法读取草稿库文件 {self.path}（{exc.strerror or '读取失败'}），程序没有改动它。"
                             "请检查文件权限，或另选一个位置。") from exc
        if not header:
            return  # an empty file: SQLite makes a new library of it
        if len(header) < 100 or not header.startswith(_SQLITE_MAGIC):
            raise StoreError(f"草稿库文件 {self.path} 已损坏或不是草稿库，程序没有改动它。"
                             "请从备份恢复，或把它移走后重新打开程序。")
        version = int.from_bytes(header[60:64], "big", signed=True)
        app_id = int.from_bytes(header[68:72], "big", signed=True)
        foreign = StoreError(f"文件 {self.path} 是其他程序的数据库，不是本程序的草稿库，程序没有改动它。"
                             "请选择正确的草稿库文件，或另选一个文件名。")
        if app_id not in (0, APPLICATION_ID) or version < 0:
            raise foreign
        self._stamp = app_id != APPLICATION_ID
        # Without a -wal or -journal beside it the file holds everything and no copy of the
        # program is writing it in WAL mode: read it as immutable, so SQLite creates no -wal
        # or -shm of its own beside a file it then refuses. With one, read-only: it writes
        # nothing to the file (a -shm index may appear next to a -wal).
        sides = [self.path.with_name(self.path.name + s) for s in ("-wal", "-journal")]
        mode = "mode=ro" if any(p.exists() for p in sides) else "mode=ro&immutable=1"
        try:
            ro = sqlite3.connect(f"{self.path.resolve().as_uri()}?{mode}", uri=True, timeout=BUSY_TIMEOUT_S)
        except sqlite3.DatabaseError as exc:
            raise StoreError(self._explain(exc)) from exc
        # Everything that refuses a file is decided here, read-only: a connection that
        # could write, closed after a refusal, would checkpoint a -wal into the file.
        try:
            version = ro.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"草稿库文件 {self.path} 由更新版本的程序创建（库版本 {version}，本程序支持 {SCHEMA_VERSION}），"
                    "为避免损坏，程序没有打开它。请升级程序。")
            if version < 0:
                raise foreign
            if app_id != APPLICATION_ID:
                tables = {name: {c[1] for c in ro.execute(f"PRAGMA table_info(\"{name}\")")}
                          for (name,) in ro.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                          if '"' not in name}
                if version == 0 and tables:
                    raise foreign
                for number in range(1, version + 1):
                    for table, columns in _OUR_TABLES.get(number, {}).items():
                        if not columns <= tables.get(table, set()):
                            raise foreign
            if version >= 1:
                problems = [row[0] for row in ro.execute("PRAGMA quick_check").fetchall()]
                if problems != ["ok"]:
                    raise StoreError(f"草稿库文件 {self.path} 已损坏，程序没有改动它。"
                                     "请从备份恢复，或把它移走后重新打开程序。")
        except sqlite3.DatabaseError as exc:
            if _error_kind(exc) == "readonly" and app_id == APPLICATION_ID:
                self._inspected = False  # ours, with a transaction to roll back: SQLite does that on opening
                return
            raise StoreError(self._explain(exc) if _error_kind(exc) != "readonly" else str(foreign)) from exc
        finally:
            ro.close()
        self._inspected = True

    def _check_file(self) -> None:
        """Refuse, before any write, a file that is newer, damaged, or some other program's database."""
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version < 0:
            raise StoreError(f"文件 {self.path} 是其他程序的数据库，不是本程序的草稿库，程序没有改动它。"
                             "请选择正确的草稿库文件，或另选一个文件名。")
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"草稿库文件 {self.path} 由更新版本的程序创建（库版本 {version}，本程序支持 {SCHEMA_VERSION}），"
                "为避免损坏，程序没有打开它。请升级程序。"
            )
        if version == 0:
            # Migration 1 sets the version in the transaction that creates our
            # tables, so a version-0 file with tables belongs to someone else.
            if self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise StoreError(
                    f"文件 {self.path} 是其他程序的数据库，不是本程序的草稿库，程序没有改动它。"
                    "请选择正确的草稿库文件，或另选一个文件名。"
                )
            return
        if self._inspected:
            return  # checked read-only by _inspect_file
        problems = [row[0] for row in self.db.execute("PRAGMA quick_check").fetchall()]
        if problems != ["ok"]:
            raise sqlite3.DatabaseError("database disk image is malformed: " + "; ".join(problems[:3]))

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if 0 < version < SCHEMA_VERSION:
            self._backup(version)
        if version >= SCHEMA_VERSION:
            return
        import sqlite_utils

        for number in range(version + 1, SCHEMA_VERSION + 1):
            with self._transaction():
                MIGRATIONS[number - 1](sqlite_utils.Database(self.db.conn))
                self.db.execute(f"PRAGMA user_version = {number}")

    def backups(self) -> list[Path]:
        """Backup copies taken before migrations, oldest first."""
        if self.path is None:
            return []
        found = [p for p in self.path.parent.glob(f"{glob_escape(self.path.name)}.backup-v*") if p.is_file()]
        return sorted(found, key=lambda p: (p.stat().st_mtime_ns, p.name))

    def _backup(self, version: int) -> Path | None:
        """Copy the file (SQLite's backup API: a consistent copy) before migrating it from `version`."""
        if self.path is None:
            return None
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.backup-v{version}-{stamp}")
        n = 1
        while target.exists():
            target = self.path.with_name(f"{self.path.name}.backup-v{version}-{stamp}-{n}")
            n += 1
        try:
            copy = sqlite3.connect(str(target))
            try:
                self.db.conn.backup(copy)
            finally:
                copy.close()
        except (sqlite3.Error, OSError) as exc:
            with contextlib.suppress(OSError):
                target.unlink()
            # told apart by SQLite's result code (or the OS error number), not by the words
            kind = _error_kind(exc) if isinstance(exc, sqlite3.Error) else (
                "full" if exc.errno == errno.ENOSPC else
                "readonly" if isinstance(exc, PermissionError) or exc.errno in (errno.EROFS, errno.EACCES) else "other")
            reason = ("磁盘空间不足" if kind == "full" else
                      "文件夹不可写" if kind in ("readonly", "cantopen") else
                      getattr(exc, "strerror", None) or str(exc))
            raise StoreError(
                f"升级草稿库文件 {self.path} 之前无法为它做备份（{reason}）。为免丢失数据，程序没有升级也没有改动它；"
                "请检查磁盘空间和文件夹权限后重试。"
            ) from exc
        for old in self.backups()[:-MAX_BACKUPS]:
            with contextlib.suppress(OSError):
                old.unlink()
        return target

    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    # drafts -----------------------------------------------------------------
    @contextlib.contextmanager
    def _waiting(self, wait: float | None) -> Iterator[None]:
        """SQLite's busy timeout set to `wait` seconds for the statements inside."""
        if wait is None:
            yield
            return
        self.db.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
        try:
            yield
        finally:
            self.db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")

    def save(self, draft: Draft, reason: str = "edit", *, wait: float | None = None) -> str:
        """Write the whole draft and its history in one transaction; returns the time saved.

        reason "edit" folds into the latest revision while it is younger than
        REVISION_WINDOW and this copy wrote it; any other reason (import, restore,
        carry_over) always starts a revision of its own.

        `wait`: how long to wait for another process's write lock (default
        BUSY_TIMEOUT_S); StoreBusy when it is not free by then. A draft this copy opened
        for editing that changed in the file meanwhile is not overwritten: DraftConflict.
        """
        with self._waiting(wait):
            return self._save(draft, reason)

    def _save(self, draft: Draft, reason: str) -> str:
        now = _now()
        payload = json.dumps(draft.data, ensure_ascii=False, separators=(",", ":"))
        try:
            payload.encode("utf-8")
        except UnicodeEncodeError:
            # A lone surrogate (from an imported file) cannot be stored as UTF-8
            # text; escaped it survives, and the checks report it (text.cleaned).
            payload = json.dumps(draft.data, ensure_ascii=True, separators=(",", ":"))
        conflict: DraftConflict | None = None
        with self._transaction():
            conflict = self._check_base(draft, payload, now)
            if conflict is None:
                self._guard(draft.id, draft.title)
                self._record_revision(draft, payload, now, reason)
                self._write_row(draft, payload, now)
        if conflict is not None:
            raise conflict
        if draft.id in self._claimed:
            self._base[draft.id] = payload.encode("utf-8")
        return now

    def _check_base(self, draft: Draft, payload: str, now: str) -> DraftConflict | None:
        """Inside the save's transaction: for a draft this copy opened for editing, the
        stored draft must still be the one it last read or wrote, and its claim must not
        be another live copy's. If not, our version becomes a revision of its own
        (reason "conflict") and the stored draft is left as it is."""
        base = self._base.get(draft.id)
        if base is None:
            return None
        stored = self._stored_bytes(draft.id)
        row = None if stored is None else (stored,)
        claim = self._claim_of(draft.id)
        held = claim is not None and claim.token != self.token and not claim.abandoned()
        if row is not None and row[0] == base and not held:
            return None
        revision = None
        if row is not None:
            self.db.execute(
                "INSERT INTO revisions (draft_id, saved_at, reason, parts, data) VALUES (?, ?, 'conflict', ?, ?)",
                [draft.id, now, json.dumps(changed_parts(self._decode(row[0], "草稿"), draft.data),
                                           ensure_ascii=False), payload])
            revision = self.db.execute("SELECT last_insert_rowid()").fetchone()[0]
            where = "已作为一个历史版本（“冲突时本窗口的版本”）保存"
        else:  # deleted meanwhile: ours is all there is
            self.db.execute(
                "INSERT INTO revisions (draft_id, saved_at, reason, parts, data) VALUES (?, ?, 'conflict', ?, ?)",
                [draft.id, now, json.dumps(["全部"], ensure_ascii=False), payload])
            revision = self.db.execute("SELECT last_insert_rowid()").fetchone()[0]
            self._write_row(draft, payload, now)
            where = "已重新保存为该草稿"
        self._base.pop(draft.id, None)
        self._claimed.discard(draft.id)
        if claim is not None and claim.token == self.token:
            self.db.execute("DELETE FROM meta WHERE key = ?", [claim_key(draft.id)])
        who = claim.describe() if held and claim is not None else "另一个“专利转化申报助手”"
        what = "打开编辑" if row is not None and row[0] == base else "修改"
        return DraftConflict(
            f"草稿“{draft.title}”在本窗口暂停（如电脑休眠）期间已由{who}{what}。为免覆盖那边的修改，"
            f"本窗口的内容没有覆盖它，而是{where}。现在显示的是草稿库中保存的内容；"
            "可在“历史版本”中比较两个版本，再决定保留哪一个（恢复也会记入历史）。",
            draft.id, revision)

    def _write_row(self, draft: Draft, payload: str, now: str) -> None:
        self.db.execute(
                """INSERT INTO drafts (id, program_id, city, year, title, is_sample, parent_id,
                                           data, created, updated)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(id) DO UPDATE SET program_id=excluded.program_id,
                     city=excluded.city, year=excluded.year, title=excluded.title,
                     is_sample=excluded.is_sample, parent_id=excluded.parent_id,
                     data=excluded.data, updated=excluded.updated""",
                [draft.id, draft.program_id, _listable(draft.city), draft.year, _listable(draft.title),
                 int(draft.is_sample), draft.parent_id, payload, now, now],
            )

    def _record_revision(self, draft: Draft, payload: str, now: str, reason: str) -> None:
        last = self.db.execute(
            "SELECT id, saved_at, reason FROM revisions WHERE draft_id = ? ORDER BY id DESC LIMIT 1",
            [draft.id],
        ).fetchone()
        fold = (
            last is not None and reason == "edit" and last[2] == "edit"
            and self._own_revision.get(draft.id) == last[0]
            and dt.datetime.fromisoformat(now) - dt.datetime.fromisoformat(last[1]) < REVISION_WINDOW
        )
        if fold:
            before = self.db.execute(
                "SELECT data FROM revisions WHERE draft_id = ? AND id < ? ORDER BY id DESC LIMIT 1",
                [draft.id, last[0]],
            ).fetchone()
            parts = changed_parts(json.loads(before[0]) if before else None, draft.data)
            self.db.execute("UPDATE revisions SET data = ?, parts = ? WHERE id = ?",
                            [payload, json.dumps(parts, ensure_ascii=False), last[0]])
            return
        before = self.db.execute(
            "SELECT data FROM revisions WHERE draft_id = ? ORDER BY id DESC LIMIT 1", [draft.id]
        ).fetchone()
        parts = changed_parts(json.loads(before[0]) if before else None, draft.data)
        if before is not None and not parts:
            return  # nothing changed since the latest revision
        self.db.execute(
            "INSERT INTO revisions (draft_id, saved_at, reason, parts, data) VALUES (?, ?, ?, ?, ?)",
            [draft.id, now, reason, json.dumps(parts, ensure_ascii=False), payload],
        )
        self._own_revision[draft.id] = self.db.execute("SELECT last_insert_rowid()").fetchone()[0]
        self.db.execute(
            """DELETE FROM revisions WHERE draft_id = ? AND id NOT IN
               (SELECT id FROM revisions WHERE draft_id = ? ORDER BY id DESC LIMIT ?)""",
            [draft.id, draft.id, MAX_REVISIONS],
        )

    def revisions(self, draft_id: str) -> list[Revision]:
        """History of a draft, newest first."""
        with self._reading():
            rows = self.db.execute(
                "SELECT id, draft_id, saved_at, reason, parts FROM revisions WHERE draft_id = ? ORDER BY id DESC",
                [draft_id],
            ).fetchall()
        return [Revision(r[0], r[1], r[2], r[3] or "edit", tuple(json.loads(r[4] or "[]"))) for r in rows]

    def revision_draft(self, revision_id: int) -> Draft:
        with self._reading():
            row = self.db.execute("SELECT CAST(data AS BLOB) FROM revisions WHERE id = ?", [revision_id]).fetchone()
        if row is None:
            raise KeyError(revision_id)
        return Draft(self._decode(row[0], f"历史版本 {revision_id}"))

    def _decode(self, payload: str | bytes, what: str) -> dict[str, Any]:
        """A stored draft (read as bytes: text that is not UTF-8 is damage, said in Chinese)."""
        try:
            data = json.loads(payload)
            if not isinstance(data, dict):
                raise ValueError("not a draft")
            return upgrade(data)  # a format-1 row written after migration 3
        except (ValueError, RecursionError) as exc:
            raise StoreError(f"草稿库文件 {self.path or ''} 中{what}的内容已损坏，无法读取。"
                             "请在“历史版本”中恢复较早的版本，或从备份恢复草稿库。") from exc

    def restore(self, revision_id: int) -> Draft:
        """Make an old revision the current draft (itself recorded, so a restore can be undone)."""
        draft = self.revision_draft(revision_id)
        self.save(draft, reason="restore")
        return draft

    def load(self, draft_id: str) -> Draft:
        with self._reading():
            row = self.db.execute("SELECT CAST(data AS BLOB) FROM drafts WHERE id = ?", [draft_id]).fetchone()
        if row is None:
            raise KeyError(draft_id)
        return Draft(self._decode(row[0], f"草稿 {draft_id} "))

    def open_for_edit(self, draft_id: str) -> tuple[Draft, Claim | None]:
        """Claim, then read, in one transaction: (the draft, None) when this copy may edit
        it, (the draft, holder) when another live copy holds it (read-only then).
        Reading first would let another copy's save slip in between and be overwritten."""
        with self._transaction():
            claim = self._claim_of(draft_id)
            ours = claim is not None and claim.token == self.token
            holder = claim if claim is not None and not ours and not claim.abandoned() else None
            row = self.db.execute("SELECT CAST(data AS BLOB) FROM drafts WHERE id = ?", [draft_id]).fetchone()
            if row is None:
                raise KeyError(draft_id)
            if holder is None:
                self._write_claim(draft_id, claim.since if claim is not None and ours else None)
        data = self._decode(row[0], f"草稿 {draft_id} ")
        if holder is None:
            self._claimed.add(draft_id)
            self._base[draft_id] = row[0]
        return Draft(data), holder

    def exists(self, draft_id: str) -> bool:
        with self._reading():
            return self.db.execute("SELECT 1 FROM drafts WHERE id = ?", [draft_id]).fetchone() is not None

    def delete(self, draft_id: str) -> None:
        with self._transaction():
            self._guard(draft_id)
            self.db.execute("DELETE FROM drafts WHERE id = ?", [draft_id])
            self.db.execute("DELETE FROM revisions WHERE draft_id = ?", [draft_id])
            self.db.execute("DELETE FROM meta WHERE key = ?", [claim_key(draft_id)])
            prefix = draft_record_key(draft_id, "")
            self.db.execute("DELETE FROM meta WHERE substr(key, 1, ?) = ?", [len(prefix), prefix])
        self._claimed.discard(draft_id)

    def list(self) -> list[DraftSummary]:
        """All drafts, most recently edited first."""
        with self._reading():
            rows = self.db.execute(
                "SELECT id, title, program_id, city, year, is_sample, parent_id, updated, last_page "
                "FROM drafts ORDER BY updated DESC, title"
            ).fetchall()
        return [DraftSummary(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6], r[7], r[8]) for r in rows]

    def set_last_page(self, draft_id: str, page: str, *, wait: float | None = None) -> None:
        """Remember where the officer was, so reopening lands there (`wait` as for save)."""
        with self._waiting(wait), self._transaction():
            self.db.execute("UPDATE drafts SET last_page = ? WHERE id = ?", [page, draft_id])

    def last_page(self, draft_id: str) -> str | None:
        with self._reading():
            row = self.db.execute("SELECT last_page FROM drafts WHERE id = ?", [draft_id]).fetchone()
        return row[0] if row else None

    # claims (占用): one editing copy of the program per draft --------------------
    def _claim_of(self, draft_id: str) -> Claim | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [claim_key(draft_id)]).fetchone()
        return parse_claim(draft_id, row[0]) if row else None

    def holder(self, draft_id: str) -> Claim | None:
        """The other, live copy of the program editing this draft; None when it is free or ours."""
        with self._reading():
            claim = self._claim_of(draft_id)
        if claim is None or claim.token == self.token or claim.abandoned():
            return None
        return claim

    def _write_claim(self, draft_id: str, since: str | None = None) -> None:
        self.db.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
            [claim_key(draft_id), claim_value(self.token, since)],
        )

    def claim(self, draft_id: str) -> bool:
        """Take this draft for editing (or renew our claim); False when another live copy holds it."""
        with self._transaction():
            claim = self._claim_of(draft_id)
            ours = claim is not None and claim.token == self.token
            if claim is not None and not ours and not claim.abandoned():
                return False
            if not ours and draft_id in self._base and self._stored_bytes(draft_id) != self._base[draft_id]:
                return False  # lost while we slept, and changed since: the next save keeps both
            self._write_claim(draft_id, claim.since if claim is not None and ours else None)
        self._claimed.add(draft_id)
        return True

    def _stored_bytes(self, draft_id: str) -> bytes | None:
        row = self.db.execute("SELECT CAST(data AS BLOB) FROM drafts WHERE id = ?", [draft_id]).fetchone()
        return row[0] if row else None

    def renew(self, *, wait: float | None = None) -> None:
        """Heartbeat: keep our claims fresh (the wizard calls this every minute; `wait` as for save)."""
        with self._waiting(wait):
            for draft_id in sorted(self._claimed):
                self.claim(draft_id)

    def release(self, draft_id: str) -> None:
        """Give the draft back (closing it); another copy's claim is left alone."""
        self._claimed.discard(draft_id)
        self._base.pop(draft_id, None)
        with self._transaction():
            claim = self._claim_of(draft_id)
            if claim is not None and claim.token == self.token:
                self.db.execute("DELETE FROM meta WHERE key = ?", [claim_key(draft_id)])

    def _guard(self, draft_id: str, title: str | None = None) -> None:
        """Inside a write transaction: refuse to change a draft another live copy is editing."""
        claim = self._claim_of(draft_id)
        if claim is None:
            if draft_id in self._claimed:
                self._write_claim(draft_id)  # lost while we slept; _check_base found nothing changed
            return
        if claim.token == self.token:
            self._write_claim(draft_id, claim.since)  # a save is a heartbeat too
        elif not claim.abandoned():
            if title is None:
                row = self.db.execute("SELECT title FROM drafts WHERE id = ?", [draft_id]).fetchone()
                title = row[0] if row else draft_id
            raise StoreError(
                f"草稿“{title}”正由{claim.describe()}编辑，为免互相覆盖，本次修改没有保存。"
                "请在那个窗口中继续编辑，或先关闭它，再重新打开本草稿。"
            )

    # settings ------------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        with self._reading():
            row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str | None) -> None:
        with self._transaction():
            if value is None:
                self.db.execute("DELETE FROM meta WHERE key = ?", [key])
            else:
                self.db.execute(
                    "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                    [key, value],
                )

    # per-draft records: kept beside the draft, deleted with it -------------------------
    def get_draft_record(self, draft_id: str, kind: str) -> str | None:
        """A small record that belongs to one draft (its 版式设置, the pages of its last PDF…)."""
        return self.get_meta(draft_record_key(draft_id, kind))

    def set_draft_record(self, draft_id: str, kind: str, value: str | None) -> None:
        """Keep (None: forget) one of the draft's records; delete() removes them all with it."""
        self.set_meta(draft_record_key(draft_id, kind), value)

    def record_writer(self) -> Callable[[str, str, str | None], None]:
        """set_draft_record for another thread (a PDF export's worker): its own short
        connection to the library file, so it never runs inside this connection's
        transactions; SQLite's WAL lets it write beside the window's saves."""
        if self.path is None:  # an in-memory store (tests) has only this connection
            return self.set_draft_record
        path = self.path

        def write(draft_id: str, kind: str, value: str | None) -> None:
            try:
                conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
            except sqlite3.Error as exc:
                raise StoreError(f"草稿库文件 {path} 无法使用（错误代码 {getattr(exc, 'sqlite_errorcode', '?')}）") from exc
            try:
                key = draft_record_key(draft_id, kind)
                conn.execute("BEGIN IMMEDIATE")
                if value is None:
                    conn.execute("DELETE FROM meta WHERE key = ?", [key])
                else:
                    conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) "
                                 "ON CONFLICT(key) DO UPDATE SET value=excluded.value", [key, value])
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                raise StoreError(f"草稿库文件 {path} 无法写入（错误代码 {getattr(exc, 'sqlite_errorcode', '?')}）") from exc
            finally:
                conn.close()
        return write

    def draft_records(self, draft_id: str) -> dict[str, str]:
        """Every record of the draft, by kind."""
        prefix = draft_record_key(draft_id, "")
        with self._reading():
            rows = self.db.execute("SELECT key, value FROM meta WHERE substr(key, 1, ?) = ?",
                                   [len(prefix), prefix]).fetchall()
        return {key[len(prefix):]: value for key, value in rows}

    def checkpoint(self, *, truncate: bool = False) -> bool:
        """Copy the WAL's recent saves into the library file itself (on idle and on close),
        so a copy of the file alone is whole. Never waits for other copies; True when done."""
        if self.path is None:
            return True
        try:
            busy, _log, _done = self.db.execute(
                f"PRAGMA wal_checkpoint({'TRUNCATE' if truncate else 'PASSIVE'})").fetchone()
        except sqlite3.Error:
            return False
        return not busy

    def close(self) -> None:
        """Release our claims (best effort: a claim left behind expires), checkpoint and close the file."""
        for draft_id in sorted(self._claimed):
            with contextlib.suppress(StoreError):
                self.release(draft_id)
        with contextlib.suppress(sqlite3.Error):
            self.db.execute("PRAGMA busy_timeout = 100")  # closing never waits long for another copy
        self.checkpoint(truncate=True)
        self.db.conn.close()
