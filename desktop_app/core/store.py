"""DraftStore: every draft in one SQLite file (sqlite-utils), saved as the officer types.

The schema version lives in PRAGMA user_version and moves forward only through
the numbered migrations below, each in one transaction; a file written by a
newer program is refused rather than damaged.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import sqlite_utils

from desktop_app.core.draft import Draft


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
    for key in ("eligibility", "letter", "departments", "attachments", "review"):
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


def _migrate_2(db: sqlite_utils.Database) -> None:
    """History: snapshots of each draft (修订记录)."""
    db["revisions"].create(
        {"id": int, "draft_id": str, "saved_at": str, "reason": str, "parts": str, "data": str},
        pk="id",
        not_null={"draft_id", "saved_at", "data"},
    )
    db["revisions"].create_index(["draft_id", "saved_at"])


#: Numbered migrations: MIGRATIONS[n-1] takes a file from version n-1 to n.
MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_migrate_1, _migrate_2]

#: A new revision is started when the latest is older than this; edits within
#: the window update that latest revision, so history has one entry per
#: working spell rather than one per keystroke.
REVISION_WINDOW = dt.timedelta(minutes=5)
#: Revisions kept per draft; the oldest go first.
MAX_REVISIONS = 100
SCHEMA_VERSION = len(MIGRATIONS)


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


class DraftStore:
    """Drafts in SQLite: save, load, list, delete, and small per-user settings (meta)."""

    def __init__(self, path: str | Path | None = None, *, memory: bool = False):
        self.path = None if memory else Path(path)
        try:
            # Autocommit mode: every transaction below is opened explicitly by
            # _transaction(), so none is left open by accident between edits.
            conn = sqlite3.connect(":memory:" if memory else str(self.path), timeout=5.0,
                                   isolation_level=None, check_same_thread=False)
            self.db = sqlite_utils.Database(conn)
            self._migrate()  # first: a file we refuse must not be touched, not even its journal mode
            if not memory:
                self.db.execute("PRAGMA journal_mode=WAL")
                # NORMAL is durable across an application crash in WAL mode;
                # only a power cut can lose the last transaction.
                self.db.execute("PRAGMA synchronous=NORMAL")
        except StoreError:
            conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            if "conn" in locals():
                conn.close()  # on Windows an open handle would keep the file locked
            raise StoreError(self._explain(exc)) from exc

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any error, database errors explained."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            raise StoreError(self._explain(exc)) from exc

    def _explain(self, exc: sqlite3.DatabaseError) -> str:
        text = str(exc).lower()
        where = f"草稿库文件 {self.path}" if self.path else "草稿库"
        if "not a database" in text or "malformed" in text:
            return f"{where} 已损坏或不是草稿库，程序没有改动它。请从备份恢复，或把它移走后重新打开程序。"
        if "locked" in text or "busy" in text:
            return f"{where} 正被另一个程序占用，请关闭其他正在运行的“专利转化申报助手”后重试。"
        if "readonly" in text or "read-only" in text:
            return f"{where} 所在文件夹不可写，请检查文件夹权限。"
        if "full" in text:
            return f"磁盘空间不足，无法保存到 {where}，请清理磁盘后重试；已保存的内容不会丢失。"
        return f"{where} 无法使用：{exc}"

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"草稿库文件 {self.path} 由更新版本的程序创建（库版本 {version}，本程序支持 {SCHEMA_VERSION}），"
                "为避免损坏，程序没有打开它。请升级程序。"
            )
        for number in range(version + 1, SCHEMA_VERSION + 1):
            with self._transaction():
                MIGRATIONS[number - 1](self.db)
                self.db.execute(f"PRAGMA user_version = {number}")

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
        with self._transaction():
            self._record_revision(draft, payload, now, reason)
            self.db.execute(
                """INSERT INTO drafts (id, program_id, city, year, title, is_sample, parent_id,
                                           data, created, updated)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(id) DO UPDATE SET program_id=excluded.program_id,
                     city=excluded.city, year=excluded.year, title=excluded.title,
                     is_sample=excluded.is_sample, parent_id=excluded.parent_id,
                     data=excluded.data, updated=excluded.updated""",
                [draft.id, draft.program_id, draft.city, draft.year, draft.title,
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
        rows = self.db.execute(
            "SELECT id, draft_id, saved_at, reason, parts FROM revisions WHERE draft_id = ? ORDER BY id DESC",
            [draft_id],
        ).fetchall()
        return [Revision(r[0], r[1], r[2], r[3] or "edit", tuple(json.loads(r[4] or "[]"))) for r in rows]

    def revision_draft(self, revision_id: int) -> Draft:
        row = self.db.execute("SELECT data FROM revisions WHERE id = ?", [revision_id]).fetchone()
        if row is None:
            raise KeyError(revision_id)
        return Draft(json.loads(row[0]))

    def restore(self, revision_id: int) -> Draft:
        """Make an old revision the current draft (itself recorded, so a restore can be undone)."""
        draft = self.revision_draft(revision_id)
        self.save(draft, reason="restore")
        return draft

    def load(self, draft_id: str) -> Draft:
        row = self.db.execute("SELECT data FROM drafts WHERE id = ?", [draft_id]).fetchone()
        if row is None:
            raise KeyError(draft_id)
        return Draft(json.loads(row[0]))

    def exists(self, draft_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM drafts WHERE id = ?", [draft_id]).fetchone() is not None

    def delete(self, draft_id: str) -> None:
        with self._transaction():
            self.db.execute("DELETE FROM drafts WHERE id = ?", [draft_id])
            self.db.execute("DELETE FROM revisions WHERE draft_id = ?", [draft_id])

    def list(self) -> list[DraftSummary]:
        """All drafts, most recently edited first."""
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
        row = self.db.execute("SELECT last_page FROM drafts WHERE id = ?", [draft_id]).fetchone()
        return row[0] if row else None

    # settings ------------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
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
        self.db.conn.close()
