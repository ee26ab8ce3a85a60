"""One LibreOffice .doc/.wps/.odt → .docx conversion for Word import and 分工 收回
(book/pdf.py convert_to_docx): a LibreOffice that hangs is stopped with every process it
started, and each caller says so in its own words — Word import and 收回 used to run two
converters, and Word import's left LibreOffice's child processes running after a time-out."""
from __future__ import annotations

import os
import signal
import stat
import sys
import time
from pathlib import Path

import pytest

from desktop_app.book import pdf

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="a shell script stands in for LibreOffice")


def _hanging_office(tmp_path: Path) -> tuple[Path, Path]:
    """A stand-in soffice that starts a child (as oosplash starts soffice.bin) and hangs;
    the child writes its pid to a file."""
    pidfile = tmp_path / "child.pid"
    script = tmp_path / "soffice"
    script.write_text(f"#!/bin/sh\nsh -c 'echo $$ > {pidfile}; exec sleep 60' &\nsleep 60\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script, pidfile


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (ended, not yet reaped by init) counts as gone
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def _child_pid(pidfile: Path) -> int:
    for _ in range(100):
        if pidfile.is_file() and pidfile.read_text().strip():
            return int(pidfile.read_text())
        time.sleep(0.02)
    raise AssertionError("the stand-in LibreOffice did not start its child")


@pytest.fixture
def hanging(tmp_path, monkeypatch):
    script, pidfile = _hanging_office(tmp_path)
    monkeypatch.setattr(pdf, "find_soffice", lambda: script)
    source = tmp_path / "旧方案.doc"
    source.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    yield source, pidfile
    if pidfile.is_file() and pidfile.read_text().strip():
        try:
            os.kill(int(pidfile.read_text()), signal.SIGKILL)  # only the child this test started
        except ProcessLookupError:
            pass


def _gone(pid: int) -> bool:
    for _ in range(100):
        if not _alive(pid):
            return True
        time.sleep(0.02)
    return False


def test_word_import_stops_a_hanging_libreoffice_with_its_children(hanging, tmp_path):
    from desktop_app.wordin.errors import WordInError
    from desktop_app.wordin.source import convert_to_docx

    source, pidfile = hanging
    with pytest.raises(WordInError, match="超过 1 秒仍未完成"):
        convert_to_docx(source, tmp_path / "out", timeout=1)
    assert _gone(_child_pid(pidfile)), "LibreOffice's child process still runs after the time-out"


def test_receiving_a_package_stops_a_hanging_libreoffice_and_says_it_took_too_long(hanging, tmp_path):
    from desktop_app.assign.package import PackageError, to_docx

    source, pidfile = hanging
    with pytest.raises(PackageError, match="超过 1 秒仍未完成"):
        to_docx(source, tmp_path / "work", timeout=1)
    assert _gone(_child_pid(pidfile))


def test_without_libreoffice_each_caller_says_what_to_do(tmp_path, monkeypatch):
    from desktop_app.assign.package import PackageError, to_docx
    from desktop_app.wordin.errors import WordInError
    from desktop_app.wordin.source import convert_to_docx

    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    source = tmp_path / "a.wps"
    source.write_bytes(b"x")
    with pytest.raises(WordInError, match="没有安装 LibreOffice"):
        convert_to_docx(source, tmp_path / "out")
    with pytest.raises(PackageError, match="没有安装 LibreOffice"):
        to_docx(source, tmp_path / "work")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
