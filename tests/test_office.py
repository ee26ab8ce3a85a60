"""The program's one warm LibreOffice (desktop_app/book/office.py): reused for every
conversion, and gone — processes and files — however the program ends.

These tests look only at processes they started themselves (and those processes'
children), never at every process on the machine."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop_app.book.pdf import find_soffice, find_uno_python

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "samples" / "yangzhou_2021_sample.json"

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux process checks (/proc)"),
]


def _needs_office():
    soffice = find_soffice()
    if soffice is None or find_uno_python(soffice) is None:
        pytest.skip("needs LibreOffice and its Python (python3-uno)")


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state == "Z"


def _descendants(pid: int) -> set[int]:
    """Every process below `pid` now (through /proc/PID/task/*/children)."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        current = todo.pop()
        for children in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                kids = [int(k) for k in children.read_text().split()]
            except OSError:
                continue
            for kid in kids:
                if kid not in found:
                    found.add(kid)
                    todo.append(kid)
    return found


def _wait(condition, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def test_one_office_serves_every_conversion(tmp_path):
    _needs_office()
    from desktop_app.book import office
    from desktop_app.book.export import export_docx
    from desktop_app.book.pdf import make_pdf
    from desktop_app.core.exchange import read_draft_file

    docx = export_docx(read_draft_file(SAMPLE), tmp_path / "书.docx")
    first = make_pdf(docx, tmp_path / "1.pdf")
    warm = office.shared()
    pids = warm.pids()
    second = make_pdf(docx, tmp_path / "2.pdf")
    assert warm.pids() == pids and len(pids) == 2  # the same soffice and helper
    assert first.pages == second.pages > 30 and first.starts == second.starts
    assert len(first.starts) == 5 and first.starts[0] == 1
    assert first.toc and all(page.isdigit() for _text, page in first.toc)
    # soffice.bin is started directly (no oosplash in between) in its own process group
    office_pid = pids[0]
    assert Path(f"/proc/{office_pid}/exe").resolve().name == "soffice.bin"
    assert os.getpgid(office_pid) == office_pid
    # its temporary files live in the folder this module owns
    assert not list(Path(warm.work_dir, "docs").iterdir()), "a conversion left its scratch folder"


CHILD = r"""
import json, sys, time
from pathlib import Path
from desktop_app.book import office
from desktop_app.book.export import export_docx
from desktop_app.book.pdf import make_pdf
from desktop_app.core.exchange import read_draft_file
from bench.large_draft import make_large_draft

out = Path(sys.argv[1])
docx = export_docx(make_large_draft(), out / "大.docx")
warm = office.shared()
warm.ensure_started()
print(json.dumps({"pids": warm.pids(), "work": str(warm.work_dir), "sockets": warm._sockets}), flush=True)
print("converting", flush=True)
while True:  # one conversion after another: whenever the kill comes, one is under way
    make_pdf(docx, out / "大.pdf")
"""


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGSEGV], ids=["killed", "crashed"])
def test_killing_the_program_mid_pdf_leaves_no_libreoffice_and_no_files(tmp_path, how):
    _needs_office()
    own_tmp = tmp_path / "tmp"  # the program's temporary folder: must end up empty
    own_tmp.mkdir()
    env = dict(os.environ, TMPDIR=str(own_tmp), PYTHONPATH=str(ROOT))
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(tmp_path)], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        facts = json.loads(child.stdout.readline())
        assert child.stdout.readline().strip() == "converting"
        time.sleep(0.5)  # LibreOffice is laying the 66 pages out (again) now
        below = _descendants(child.pid)
        assert set(facts["pids"]) <= below, (facts, below)
        assert child.poll() is None
        os.kill(child.pid, how)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -how
    assert _wait(lambda: all(_gone(pid) for pid in below), 20), \
        [Path(f"/proc/{p}/cmdline").read_bytes()[:80] for p in below if not _gone(p)]
    work = Path(facts["work"])
    assert work.parent == own_tmp
    assert _wait(lambda: not work.exists(), 10), sorted(p.name for p in work.rglob("*"))
    assert facts["sockets"] and not any(Path(s).exists() for s in facts["sockets"]), "OSL_PIPE files left"
    assert not list(own_tmp.iterdir()), "temporary files left: " + ", ".join(p.name for p in own_tmp.iterdir())
