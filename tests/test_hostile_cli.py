"""Issue 23, item 6: the command line's foot-guns, each as the attack tried it.

Run in-process through cli.main (a traceback would escape as an exception); the
FIFO in a subprocess with a time-out, since the old code blocked on it forever.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.cli import main
from desktop_app.core.store import DraftStore

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "samples" / "yangzhou_2021_sample.json"
SAMPLE_ID = "sample-yangzhou-2021"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def library(tmp_path):
    db = tmp_path / "lib.sqlite3"
    assert main(["--db", str(db), "import", str(SAMPLE)]) == 0
    return db


def _intact(db: Path) -> bool:
    store = DraftStore(db)
    try:
        return store.load(SAMPLE_ID).id == SAMPLE_ID
    finally:
        store.close()


def _chinese_refusal(code, capsys) -> str:
    err = capsys.readouterr().err
    assert code not in (0, None) and CJK.search(err) and "Traceback" not in err, err
    return err


@pytest.mark.parametrize("command", ["export", "dump-json"])
@pytest.mark.parametrize("how", ["same", "relative", "hardlink", "symlink"])
def test_out_onto_the_library_itself_is_refused(library, tmp_path, capsys, monkeypatch, command, how):
    monkeypatch.chdir(tmp_path)
    if how == "same":
        out = str(library)
    elif how == "relative":
        out = f"./{library.name}"
    else:
        out = str(tmp_path / "alias.docx")
        (os.link if how == "hardlink" else os.symlink)(library, out)
    before = library.read_bytes()
    args = ["export", "--draft", SAMPLE_ID, "--out", out] if command == "export" else \
        ["dump-json", SAMPLE_ID, "--out", out]
    err = _chinese_refusal(main(["--db", str(library), *args]), capsys)
    assert "草稿库" in err
    assert library.read_bytes() == before and _intact(library)


def test_export_pdf_onto_the_library_is_refused(tmp_path, capsys):
    db = tmp_path / "book.pdf"  # a library whose name is what --pdf would write
    assert main(["--db", str(db), "import", str(SAMPLE)]) == 0
    _chinese_refusal(main(["--db", str(db), "export", "--draft", SAMPLE_ID, "--out", str(tmp_path / "book.docx"),
                           "--pdf"]), capsys)
    assert _intact(db)


@pytest.mark.parametrize("command", ["export", "check"])
def test_an_unknown_draft_id_is_a_message(library, tmp_path, capsys, command):
    args = ["export", "--draft", "no-such", "--out", str(tmp_path / "x.docx")] if command == "export" else \
        ["check", "--draft", "no-such"]
    err = _chinese_refusal(main(["--db", str(library), *args]), capsys)
    assert "no-such" in err and "list" in err


def test_check_without_a_source_is_a_message(library, capsys):
    _chinese_refusal(main(["--db", str(library), "check"]), capsys)


def test_export_without_a_source_is_a_message(library, tmp_path, capsys):
    _chinese_refusal(main(["--db", str(library), "export", "--out", str(tmp_path / "x.docx")]), capsys)


@pytest.mark.parametrize("where", ["missing", "folder"])
def test_dump_json_into_a_missing_folder_or_onto_a_folder(library, tmp_path, capsys, where):
    out = tmp_path / "nowhere" / "x.json" if where == "missing" else tmp_path
    err = _chinese_refusal(main(["--db", str(library), "dump-json", SAMPLE_ID, "--out", str(out)]), capsys)
    assert "文件夹" in err


def test_importing_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "draft.json"
    os.mkfifo(fifo)
    env = dict(os.environ, PYTHONIOENCODING="utf-8", QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-m", "desktop_app", "--db", str(tmp_path / "lib.sqlite3"),
                             "import", str(fifo)], cwd=ROOT, env=env, capture_output=True, text=True,
                            encoding="utf-8", timeout=60)
    assert result.returncode != 0 and "管道" in result.stderr and "Traceback" not in result.stderr


def test_a_device_is_not_a_draft_file(tmp_path, capsys):
    _chinese_refusal(main(["--db", str(tmp_path / "lib.sqlite3"), "import", "/dev/zero"]), capsys)


def test_import_replace_keeps_the_replaced_content_in_history(library, tmp_path, capsys):
    store = DraftStore(library)
    draft = store.load(SAMPLE_ID)
    draft.set_text("overview", "导入前刚刚改过的内容")
    store.save(draft)  # an edit within the revision window
    store.close()
    assert main(["--db", str(library), "import", str(SAMPLE), "--replace"]) == 0
    store = DraftStore(library)
    history = store.revisions(SAMPLE_ID)
    texts = [store.revision_draft(r.id).text("overview") for r in history]
    store.close()
    assert history[0].reason == "import"
    assert "导入前刚刚改过的内容" in texts


def test_a_fifo_as_the_library_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "lib.sqlite3"
    os.mkfifo(fifo)
    env = dict(os.environ, PYTHONIOENCODING="utf-8", QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-m", "desktop_app", "--db", str(fifo), "list"], cwd=ROOT, env=env,
                            capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert result.returncode != 0 and "管道" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["carry-over", "import-docx"])
def test_every_command_that_writes_refuses_the_library_as_output(library, tmp_path, capsys, command):
    from desktop_app.cli import build_parser

    known = {a.dest for a in build_parser()._subparsers._group_actions[0].choices[command]._actions}
    assert "out" in known
    args = (["carry-over", "--json", str(SAMPLE), "--year", "2022"] if command == "carry-over"
            else ["import-docx", str(tmp_path / "plan.docx"), "--program", "key_city_2021"])
    before = library.read_bytes()
    err = _chinese_refusal(main(["--db", str(library), *args, "--out", str(library)]), capsys)
    assert "草稿库" in err and library.read_bytes() == before
