"""DraftStore: every draft in one SQLite file, saved as the officer types.

The schema version lives in PRAGMA user_version and moves forward only through
the numbered migrations below, each in one transaction, after a backup copy of
the file; a file written by a newer program, a damaged file and a database of
some other program are refused rather than touched.

Two copies of the program may share one file. Each open draft is claimed
(占用) in the meta table with the holder's host, pid and a heartbeat, so a
second copy opening the same draft is told and opens it read-only, and a save
over a draft another live copy holds is refused: no edit overwrites another.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
from dataclasses import dataclass
from glob import escape as glob_escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from desktop_app.core.claims import Claim, claim_key, claim_value, parse_claim
from desktop_app.core.draft import Draft

if TYPE_CHECKING:
    import sqlite_utils


class StoreError(RuntimeError):
    """The draft file cannot be used; the message says why in Chinese and what to do."""


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


def _migrate_1(db: "sqlite_utils.Database") -> None:
    db["drafts"].create(
        {
            "id": str, "program_id": str, "city": str, "year": int, "title": str,
            "is_sample": int, "parent_id": str, "data": str, "last_page": str,
            "created": str, "updated": str,
        },
        pk="id",
        not_null={"program_id", "data", "created", "updated"},
    )
    db["drafts"].create_index(["updated"])
    db["meta"].create({"key": str, "value": str}, pk="key")


def _migrate_2(db: "sqlite_utils.Database") -> None:
    """History: snapshots of each draft (修订记录)."""
    db["revisions"].create(
        {"id": int, "draft_id": str, "saved_at": str, "reason": str, "parts": str, "data": str},
        pk="id",
        not_null={"draft_id", "saved_at", "data"},
    )
    db["revisions"].create_index(["draft_id", "saved_at"])


#: Numbered migrations: MIGRATIONS[n-1] takes a file from version n-1 to n.
MIGRATIONS: list[Callable[["sqlite_utils.Database"], None]] = [_migrate_1, _migrate_2]

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


class DraftStore:
    """Drafts in SQLite: save, load, list, delete, and small per-user settings (meta)."""

    def __init__(self, path: str | Path | None = None, *, memory: bool = False):
        self.path = None if memory else Path(path)
        #: This open store's own mark on the drafts it claims.
        self.token = os.urandom(16).hex()  # random, as uuid4 (whose import cost a start 2 ms)
        self._claimed: set[str] = set()
        conn = None
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
            raise StoreError(self._explain(exc)) from exc

    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        """Database errors while reading (a file damaged or removed under us) explained."""
        try:
            yield
        except sqlite3.DatabaseError as exc:
            raise StoreError(self._explain(exc)) from exc

    def _explain(self, exc: sqlite3.DatabaseError) -> str:
        text = str(exc).lower()
        where = f"草稿库文件 {self.path}" if self.path else "草稿库"
        if "not a database" in text or "malformed" in text or "corrupt" in text:
            return f"{where} 已损坏或不是草稿库，程序没有改动它。请从备份恢复，或把它移走后重新打开程序。"
        if "locked" in text or "busy" in text:
            return f"{where} 正被另一个程序占用，请关闭其他正在运行的“专利转化申报助手”后重试。"
        if "readonly" in text or "read-only" in text:
            return (f"{where} 或其所在文件夹是只读的，程序无法保存。"
                    "请检查文件夹权限，或把草稿库复制到可写的文件夹后再打开；已保存的内容没有改动。")
        if "full" in text:
            return f"磁盘空间不足，无法保存到 {where}，请清理磁盘后重试；已保存的内容不会丢失。"
        if "unable to open" in text:
            return (f"无法打开 {where}：文件夹不存在，或程序没有在其中写入的权限。"
                    "请检查该文件夹的权限，或另选一个可写的位置。")
        if "disk i/o" in text:
            return f"读写 {where} 时磁盘出错，请检查磁盘或移动存储设备是否仍然连接，然后重试。"
        return f"{where} 无法使用：{exc}"

    def _check_file(self) -> None:
        """Refuse, before any write, a file that is newer, damaged, or some other program's database."""
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
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
            text = str(exc).lower()
            reason = ("磁盘空间不足" if "full" in text or getattr(exc, "errno", None) == 28 else
                      "文件夹不可写" if "readonly" in text or "unable to open" in text or isinstance(exc, PermissionError)
                      else getattr(exc, "strerror", None) or str(exc))
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
    def save(self, draft: Draft, reason: str = "edit") -> str:
        """Write the whole draft and its history in one transaction; returns the time saved.

        reason "edit" folds into the latest revision while it is younger than
        REVISION_WINDOW; any other reason (import, restore, carry_over) always
        starts a revision of its own.
        """
        now = _now()
        payload = json.dumps(draft.data, ensure_ascii=False, separators=(",", ":"))
        try:
            payload.encode("utf-8")
        except UnicodeEncodeError:
            # A lone surrogate (from an imported file) cannot be stored as UTF-8
            # text; escaped it survives, and the checks report it (text.cleaned).
            payload = json.dumps(draft.data, ensure_ascii=True, separators=(",", ":"))
        with self._transaction():
            self._guard(draft.id, draft.title)
            self._record_revision(draft, payload, now, reason)
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
        return now

    def _record_revision(self, draft: Draft, payload: str, now: str, reason: str) -> None:
        last = self.db.execute(
            "SELECT id, saved_at, reason FROM revisions WHERE draft_id = ? ORDER BY id DESC LIMIT 1",
            [draft.id],
        ).fetchone()
        fold = (
            last is not None and reason == "edit" and last[2] == "edit"
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
            row = self.db.execute("SELECT data FROM revisions WHERE id = ?", [revision_id]).fetchone()
        if row is None:
            raise KeyError(revision_id)
        return Draft(self._decode(row[0], f"历史版本 {revision_id}"))

    def _decode(self, payload: str, what: str) -> dict[str, Any]:
        try:
            return json.loads(payload)
        except ValueError as exc:
            raise StoreError(f"草稿库文件 {self.path or ''} 中{what}的内容已损坏，无法读取。"
                             "请在“历史版本”中恢复较早的版本，或从备份恢复草稿库。") from exc

    def restore(self, revision_id: int) -> Draft:
        """Make an old revision the current draft (itself recorded, so a restore can be undone)."""
        draft = self.revision_draft(revision_id)
        self.save(draft, reason="restore")
        return draft

    def load(self, draft_id: str) -> Draft:
        with self._reading():
            row = self.db.execute("SELECT data FROM drafts WHERE id = ?", [draft_id]).fetchone()
        if row is None:
            raise KeyError(draft_id)
        return Draft(self._decode(row[0], f"草稿 {draft_id} "))

    def exists(self, draft_id: str) -> bool:
        with self._reading():
            return self.db.execute("SELECT 1 FROM drafts WHERE id = ?", [draft_id]).fetchone() is not None

    def delete(self, draft_id: str) -> None:
        with self._transaction():
            self._guard(draft_id)
            self.db.execute("DELETE FROM drafts WHERE id = ?", [draft_id])
            self.db.execute("DELETE FROM revisions WHERE draft_id = ?", [draft_id])
            self.db.execute("DELETE FROM meta WHERE key = ?", [claim_key(draft_id)])
        self._claimed.discard(draft_id)

    def list(self) -> list[DraftSummary]:
        """All drafts, most recently edited first."""
        with self._reading():
            rows = self.db.execute(
                "SELECT id, title, program_id, city, year, is_sample, parent_id, updated, last_page "
                "FROM drafts ORDER BY updated DESC, title"
            ).fetchall()
        return [DraftSummary(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6], r[7], r[8]) for r in rows]

    def set_last_page(self, draft_id: str, page: str) -> None:
        """Remember where the officer was, so reopening lands there."""
        with self._transaction():
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
            self._write_claim(draft_id, claim.since if ours else None)
        self._claimed.add(draft_id)
        return True

    def renew(self) -> None:
        """Heartbeat: keep our claims fresh (the wizard calls this every minute)."""
        for draft_id in sorted(self._claimed):
            self.claim(draft_id)

    def release(self, draft_id: str) -> None:
        """Give the draft back (closing it); another copy's claim is left alone."""
        self._claimed.discard(draft_id)
        with self._transaction():
            claim = self._claim_of(draft_id)
            if claim is not None and claim.token == self.token:
                self.db.execute("DELETE FROM meta WHERE key = ?", [claim_key(draft_id)])

    def _guard(self, draft_id: str, title: str | None = None) -> None:
        """Inside a write transaction: refuse to change a draft another live copy is editing."""
        claim = self._claim_of(draft_id)
        if claim is None:
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

    def close(self) -> None:
        """Release our claims (best effort: a claim left behind expires) and close the file."""
        for draft_id in sorted(self._claimed):
            with contextlib.suppress(StoreError):
                self.release(draft_id)
        self.db.conn.close()
