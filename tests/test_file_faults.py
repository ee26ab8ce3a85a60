"""Files that go wrong: the draft store, the exported book, the imported draft.

Each refusal is a clear Chinese message naming the file and what to do, and
the file concerned is left exactly as it was (compared byte for byte). A store
of an older schema is backed up before it is migrated.
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
import sys
import time

import pytest
import sqlite_utils

from desktop_app.book.export import ExportError, export_docx
from desktop_app.cli import main as cli_main
from desktop_app.core import exchange, store as store_module
from desktop_app.core.exchange import DraftFormatError, read_draft_file
from desktop_app.core.store import MAX_BACKUPS, MIGRATIONS, SCHEMA_VERSION, DraftStore, StoreError
from conftest import SAMPLE

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "drafts.sqlite3"


def _files(folder):
    """Every file in the folder with its bytes: “untouched” means this does not change."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _saved_store(path, draft):
    s = DraftStore(path)
    s.save(draft)
    s.close()  # a clean close checkpoints the WAL into the main file


# the draft store ---------------------------------------------------------------------------
def test_corrupt_store_is_refused_untouched(db_path, sample_draft):
    _saved_store(db_path, sample_draft)
    raw = bytearray(db_path.read_bytes())
    page = 4096
    assert len(raw) > 3 * page
    raw[2 * page: 3 * page] = os.urandom(page)  # a page in the middle, header intact
    db_path.write_bytes(bytes(raw))
    before = _files(db_path.parent)
    with pytest.raises(StoreError) as info:
        DraftStore(db_path)
    message = str(info.value)
    assert str(db_path) in message and "损坏" in message and "备份" in message
    assert _files(db_path.parent) == before


def test_store_written_by_a_newer_version_is_refused_untouched(db_path, sample_draft):
    _saved_store(db_path, sample_draft)
    conn = sqlite3.connect(str(db_path))
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = _files(db_path.parent)
    with pytest.raises(StoreError) as info:
        DraftStore(db_path)
    assert "升级" in str(info.value) and str(db_path) in str(info.value)
    assert _files(db_path.parent) == before  # no backup, no WAL, no journal


@pytest.mark.parametrize("content", [b"", "这不是数据库\n".encode() * 300, b"PK\x03\x04" + bytes(5000)])
def test_a_file_that_is_not_a_store_is_refused_or_made_new(db_path, content):
    if not content:
        DraftStore(db_path).close()  # an empty file is a new store
        return
    db_path.write_bytes(content)
    with pytest.raises(StoreError) as info:
        DraftStore(db_path)
    assert "没有改动" in str(info.value)
    assert _files(db_path.parent) == {db_path.name: content}


def test_another_programs_sqlite_database_is_refused_untouched(db_path):
    conn = sqlite3.connect(str(db_path))
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('张三')")
    conn.commit()
    conn.close()
    before = _files(db_path.parent)
    with pytest.raises(StoreError) as info:
        DraftStore(db_path)
    assert "其他程序" in str(info.value) and "没有改动" in str(info.value)
    assert _files(db_path.parent) == before


class _FullDisk:
    """A connection whose writes fail as SQLite's do when the disk is full."""

    def __init__(self, conn):
        self._conn = conn

    def execute(self, sql, *args):
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            raise sqlite3.OperationalError("database or disk is full")
        return self._conn.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self._conn, name)


def test_full_disk_keeps_the_stored_draft_and_says_so(db_path, sample_draft):
    s = DraftStore(db_path)
    s.save(sample_draft)
    before = s.load(sample_draft.id)
    s.db.conn = _FullDisk(s.db.conn)
    changed = sample_draft.copy()
    changed.set_text("overview", "磁盘满时的修改")
    with pytest.raises(StoreError) as info:
        s.save(changed)
    assert "磁盘空间不足" in str(info.value) and str(db_path) in str(info.value)
    assert s.load(sample_draft.id) == before  # rolled back: the stored draft is whole
    s.db.conn = s.db.conn._conn
    s.save(changed)  # space again: the same edit saves
    assert s.load(sample_draft.id) == changed
    s.close()


def test_a_truly_full_database_is_explained(db_path, sample_draft):
    """SQLite's own SQLITE_FULL, by capping the file at its current size."""
    s = DraftStore(db_path)
    s.save(sample_draft)
    pages = s.db.execute("PRAGMA page_count").fetchone()[0]
    s.db.execute(f"PRAGMA max_page_count = {pages}")
    big = sample_draft.copy()
    big.set_text("overview", "很长的内容。" * 200_000)
    with pytest.raises(StoreError) as info:
        s.save(big, reason="import")
    assert "磁盘空间不足" in str(info.value)
    assert s.load(sample_draft.id) == sample_draft
    s.close()


def test_autosave_on_a_full_disk_keeps_the_edit_and_retries(qtbot, db_path, sample_draft, program):
    from desktop_app.ui.session import DraftSession

    s = DraftStore(db_path)
    s.save(sample_draft)
    session = DraftSession(s, program, sample_draft.copy())
    failures = []
    session.save_failed.connect(failures.append)
    real = s.db.conn
    s.db.conn = _FullDisk(real)
    session.draft.set_text("overview", "不能丢的修改")
    session.touch()
    qtbot.waitUntil(lambda: bool(failures), timeout=2000)
    assert "磁盘空间不足" in failures[0]
    assert session.dirty and session.draft.text("overview") == "不能丢的修改"  # still in memory
    s.db.conn = real
    assert session.flush()  # Ctrl+S after freeing space
    s.close()
    again = DraftStore(db_path)
    assert again.load(sample_draft.id).text("overview") == "不能丢的修改"
    again.close()


def _readonly_really_blocks(folder) -> bool:
    probe = folder / ".probe"
    try:
        probe.write_bytes(b"")
    except OSError:
        return True
    probe.unlink()
    return False


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_read_only_folder_gives_a_clear_message(tmp_path, sample_draft):
    folder = tmp_path / "ro"
    folder.mkdir()
    existing = folder / "drafts.sqlite3"
    _saved_store(existing, sample_draft)
    before = _files(folder)
    folder.chmod(0o555)
    try:
        if not _readonly_really_blocks(folder):
            pytest.skip("running as root: permissions do not stop writes (simulated in the next test)")
        for path in (folder / "new.sqlite3", existing):
            with pytest.raises(StoreError) as info:
                s = DraftStore(path)
                s.save(sample_draft)
            assert str(path) in str(info.value) and ("权限" in str(info.value) or "只读" in str(info.value))
        assert _files(folder) == before
    finally:
        folder.chmod(0o755)


def test_read_only_store_simulated_gives_a_clear_message(db_path, sample_draft, monkeypatch):
    """What SQLite says on a read-only folder or file, without needing permissions that root ignores."""
    _saved_store(db_path, sample_draft)
    before = _files(db_path.parent)
    real_connect = sqlite3.connect

    def read_only_connect(database, *args, uri=False, **kwargs):
        if uri:  # the store's own read-only look at the file before opening it
            return real_connect(database, *args, uri=True, **kwargs)
        return real_connect(f"file:{database}?mode=ro", *args, uri=True, **kwargs)

    monkeypatch.setattr(store_module.sqlite3, "connect", read_only_connect)
    with pytest.raises(StoreError) as info:
        s = DraftStore(db_path)
        s.save(sample_draft)
    assert "只读" in str(info.value) and "权限" in str(info.value) and str(db_path) in str(info.value)
    # A new store in a folder that cannot be written: SQLite cannot open it.
    with pytest.raises(StoreError) as info:
        DraftStore(db_path.parent / "new.sqlite3")
    assert "无法打开" in str(info.value) and "权限" in str(info.value)
    monkeypatch.undo()
    assert db_path.read_bytes() == before[db_path.name]


def test_missing_folder_gives_a_clear_message(tmp_path):
    with pytest.raises(StoreError) as info:
        DraftStore(tmp_path / "没有这个文件夹" / "drafts.sqlite3")
    assert "无法打开" in str(info.value) and "没有这个文件夹" in str(info.value)


def test_the_window_shows_a_store_error_in_a_message_box(tmp_path, monkeypatch, qtbot):
    from PySide6.QtWidgets import QMessageBox

    from desktop_app.ui.app import create_window

    bad = tmp_path / "drafts.sqlite3"
    bad.write_bytes(b"not a database" * 500)
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda parent, title, text, *a: shown.append(text)))
    assert create_window(bad) is None
    assert len(shown) == 1 and str(bad) in shown[0] and "损坏" in shown[0]
    assert bad.read_bytes() == b"not a database" * 500


def test_a_damaged_draft_row_is_a_store_error_and_the_window_says_so(qtbot, window, sample_draft, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    window.store.save(sample_draft)
    window.store.db.execute("UPDATE drafts SET data = '{broken' WHERE id = ?", [sample_draft.id])
    with pytest.raises(StoreError) as info:
        window.store.load(sample_draft.id)
    assert "损坏" in str(info.value) and "历史版本" in str(info.value)
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda parent, title, text, *a: shown.append(text)))
    assert window.open_draft(sample_draft.id) is False  # a message, not a traceback
    assert shown and "损坏" in shown[0]
    window.delete_draft(sample_draft.id)
    assert len(shown) == 2


# migrations and the backup taken before them ----------------------------------------------------
def _store_of_version(path, version, draft):
    """A store file as a program of schema `version` left it, holding one draft."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    db = sqlite_utils.Database(conn)
    for number in range(1, version + 1):
        MIGRATIONS[number - 1](db)
        conn.execute(f"PRAGMA user_version = {number}")
    payload = json.dumps(draft.data, ensure_ascii=False)
    conn.execute("INSERT INTO drafts (id, program_id, city, year, title, is_sample, data, created, updated) "
                 "VALUES (?, ?, ?, ?, ?, 0, ?, '2021-03-01T09:00:00', '2021-03-01T09:00:00')",
                 [draft.id, draft.program_id, draft.city, draft.year, draft.title, payload])
    conn.close()


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION + 1))
def test_a_store_of_every_schema_version_opens_and_upgrades(db_path, sample_draft, version):
    _store_of_version(db_path, version, sample_draft)
    original = db_path.read_bytes()
    s = DraftStore(db_path)
    try:
        assert s.schema_version == SCHEMA_VERSION
        assert s.load(sample_draft.id) == sample_draft
        s.save(sample_draft)  # the upgraded file works: revisions and all
        assert s.revisions(sample_draft.id)
        backups = s.backups()
    finally:
        s.close()
    if version == SCHEMA_VERSION:
        assert backups == []  # nothing migrated, nothing copied
        return
    assert [b.name.split("-")[0] for b in backups] == [f"{db_path.name}.backup"]
    assert f".backup-v{version}-" in backups[0].name
    conn = sqlite3.connect(str(backups[0]))
    try:  # the backup is the old file, as it was
        assert conn.execute("PRAGMA user_version").fetchone()[0] == version
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert json.loads(conn.execute("SELECT data FROM drafts").fetchone()[0]) == sample_draft.data
    finally:
        conn.close()
    assert len(original) > 0


def test_only_the_last_backups_are_kept(db_path, sample_draft):
    for n in range(5):
        old = db_path.with_name(f"{db_path.name}.backup-v1-2020010{n}-000000")
        old.write_bytes(b"old backup")
        os.utime(old, (time.time() - 1000 + n, time.time() - 1000 + n))
    _store_of_version(db_path, 1, sample_draft)
    s = DraftStore(db_path)
    backups = [b.name for b in s.backups()]
    s.close()
    assert len(backups) == MAX_BACKUPS == 3
    assert backups[:2] == [f"{db_path.name}.backup-v1-20200103-000000", f"{db_path.name}.backup-v1-20200104-000000"]
    assert backups[2].startswith(f"{db_path.name}.backup-v1-") and "2020" not in backups[2]


def test_no_backup_no_migration(db_path, sample_draft, monkeypatch):
    """If the backup cannot be written, the old file is not migrated."""
    _store_of_version(db_path, 1, sample_draft)
    before = _files(db_path.parent)

    def fail(self, version):
        raise StoreError("备份失败")

    monkeypatch.setattr(DraftStore, "_backup", fail)
    with pytest.raises(StoreError):
        DraftStore(db_path)
    assert _files(db_path.parent) == before


def test_backup_failure_is_explained_and_the_file_untouched(db_path, sample_draft, monkeypatch):
    _store_of_version(db_path, 1, sample_draft)
    before = _files(db_path.parent)
    real_connect = sqlite3.connect

    def connect(database, *args, **kwargs):
        if ".backup-" in str(database):
            raise sqlite3.OperationalError("database or disk is full")
        return real_connect(database, *args, **kwargs)

    monkeypatch.setattr(store_module.sqlite3, "connect", connect)
    with pytest.raises(StoreError) as info:
        DraftStore(db_path)
    assert "备份" in str(info.value) and "没有升级" in str(info.value)
    assert _files(db_path.parent) == before


# exporting the book ------------------------------------------------------------------------------
@pytest.fixture
def old_book(tmp_path):
    book = tmp_path / "申报书.docx"
    book.write_bytes(b"the book from yesterday")
    return book


def test_export_onto_a_file_held_open(old_book, sample_draft, monkeypatch):
    def locked(src, dst):
        raise PermissionError(13, "The process cannot access the file because it is being used")

    monkeypatch.setattr(exchange.os, "replace", locked)
    with pytest.raises(ExportError) as info:
        export_docx(sample_draft, old_book)
    assert str(old_book) in str(info.value) and "关闭" in str(info.value) and "未被改动" in str(info.value)
    assert _files(old_book.parent) == {old_book.name: b"the book from yesterday"}


def test_export_into_a_read_only_folder(old_book, sample_draft, monkeypatch):
    """mkstemp is where a read-only folder stops the export (simulated: root ignores permissions)."""
    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(exchange.tempfile, "mkstemp", refused)
    with pytest.raises(ExportError) as info:
        export_docx(sample_draft, old_book)
    assert "不可写" in str(info.value)
    assert _files(old_book.parent) == {old_book.name: b"the book from yesterday"}


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_export_into_a_really_read_only_folder(old_book, sample_draft):
    folder = old_book.parent
    folder.chmod(0o555)
    try:
        if not _readonly_really_blocks(folder):
            pytest.skip("running as root: permissions do not stop writes (simulated above)")
        with pytest.raises(ExportError):
            export_docx(sample_draft, old_book)
    finally:
        folder.chmod(0o755)
    assert _files(folder) == {old_book.name: b"the book from yesterday"}


def test_export_to_a_missing_folder(tmp_path, sample_draft):
    with pytest.raises(ExportError) as info:
        export_docx(sample_draft, tmp_path / "不存在" / "申报书.docx")
    assert "不存在" in str(info.value) and "文件夹" in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_export_onto_a_folder(tmp_path, sample_draft):
    (tmp_path / "申报书.docx").mkdir()
    with pytest.raises(ExportError) as info:
        export_docx(sample_draft, tmp_path / "申报书.docx")
    assert "文件夹" in str(info.value)


def test_export_on_a_full_disk(old_book, sample_draft, monkeypatch):
    real_fdopen = exchange.os.fdopen

    class Full:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, data):
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(exchange.os, "fdopen", lambda fd, mode: Full(real_fdopen(fd, mode)))
    with pytest.raises(ExportError) as info:
        export_docx(sample_draft, old_book)
    assert "磁盘空间不足" in str(info.value)
    assert _files(old_book.parent) == {old_book.name: b"the book from yesterday"}


def test_export_page_shows_the_failure_without_raising(qtbot, window, monkeypatch, tmp_path):
    from desktop_app.ui.export_page import ExportPage

    window.open_sample()
    page = window.wizard.export_page
    window.wizard.go_to("export")
    monkeypatch.setattr(ExportPage, "choose_path", lambda self: str(tmp_path / "没有" / "书.docx"))
    page.export_book()
    qtbot.waitUntil(lambda: "导出失败" in page.status.text(), timeout=5000)
    assert "不存在" in page.status.text()


def test_export_with_an_unknown_program_is_an_export_error(tmp_path, sample_draft):
    sample_draft.data["program_id"] = "no_such_program"
    with pytest.raises(ExportError) as info:
        export_docx(sample_draft, tmp_path / "x.docx")
    assert CJK.search(str(info.value))
    assert list(tmp_path.iterdir()) == []


# importing a draft file ---------------------------------------------------------------------------
def _refused_by_cli(tmp_path, bad, capsys):
    db = tmp_path / "import.sqlite3"
    code = cli_main(["--db", str(db), "import", str(bad)])
    err = capsys.readouterr().err
    assert code != 0 and CJK.search(err)
    s = DraftStore(db)
    try:
        assert s.list() == []  # nothing written
    finally:
        s.close()
    return err


def test_a_50mb_file_is_refused_before_it_is_read(tmp_path, monkeypatch, capsys):
    big = tmp_path / "big.json"
    with big.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: costs no disk
    opened = []
    real_open = type(big).open

    def spy(self, *args, **kwargs):
        opened.append(self)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(type(big), "open", spy)
    with pytest.raises(DraftFormatError) as info:
        read_draft_file(big)
    assert "过大" in str(info.value) and "50 MB" in str(info.value)
    assert big not in opened  # refused on its size alone
    monkeypatch.undo()
    _refused_by_cli(tmp_path, big, capsys)


def test_a_file_larger_than_its_size_said_is_read_no_further_than_the_limit(tmp_path, monkeypatch):
    """A file still growing (or a device) whose size stat cannot tell: read up to the limit, then refused."""
    monkeypatch.setattr(exchange, "MAX_FILE_BYTES", 64 * 1024)
    grown = tmp_path / "growing.json"
    grown.write_bytes(b" " * (1024 * 1024) + SAMPLE.read_bytes())  # valid JSON, if read whole
    real_stat = type(grown).stat

    def small_stat(self, *args, **kwargs):
        st = real_stat(self, *args, **kwargs)
        return os.stat_result((*st[:6], 100, *st[7:])) if self == grown else st

    monkeypatch.setattr(type(grown), "stat", small_stat)
    with pytest.raises(DraftFormatError) as info:
        read_draft_file(grown)
    assert "过大" in str(info.value)


def test_a_folder_is_not_a_draft_file(tmp_path):
    with pytest.raises(DraftFormatError) as info:
        read_draft_file(tmp_path)
    assert "文件夹" in str(info.value)


def _sample():
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def _bad_files():
    wrong_version = _sample() | {"format_version": 99}
    wrong_types = _sample() | {"year": "二〇二一", "is_sample": "否"}
    wrong_types["parts"]["targets"]["indicators"][0]["targets"] = ["三百", None, None]
    unknown = _sample() | {"budget": 100}
    unknown["applicant"]["email"] = "a@b.cn"
    impossible_date = _sample()
    impossible_date["letter"]["date"] = "2021-02-30"
    deep = _sample()
    deep["parts"]["overview"]["text"] = json.loads("[" * 900 + "]" * 900)
    return {
        "wrong_version": (json.dumps(wrong_version), ["99", "升级"]),
        "wrong_types": (json.dumps(wrong_types, ensure_ascii=False), ["申报年度", "整数", "三百", "第1行"]),
        "unknown_fields": (json.dumps(unknown), ["“budget”", "“email”", "不认识"]),
        # the letter page reads it with date.fromisoformat: it must not get that far
        "impossible_date": (json.dumps(impossible_date), ["落款日期", "2021-02-30"]),
        "deep_nesting_in_a_field": (json.dumps(deep), ["正文", "文字"]),
        "deep_nesting_overall": ("[" * 200_000, ["嵌套"]),
    }


@pytest.mark.parametrize("case", list(_bad_files()))
def test_a_bad_import_lists_what_is_wrong_and_writes_nothing(tmp_path, case, capsys):
    text, words = _bad_files()[case]
    bad = tmp_path / f"{case}.json"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(DraftFormatError) as info:
        read_draft_file(bad)
    for word in words:
        assert word in str(info.value), (word, str(info.value))
    err = _refused_by_cli(tmp_path, bad, capsys)
    assert words[0] in err
