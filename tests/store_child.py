"""A second process for the fault tests: it works on a draft file until it is killed.

    python tests/store_child.py edit DB SEED
        Imports the sample draft, claims it, and edits it on a schedule through
        the real autosave path (DraftSession on a QCoreApplication, its QTimer).
        Edit n appends the line “第n次修改” to 概述. Prints, flushed:
            ready
            edit <n> <time.time() just before session.touch()>
            saved <n> <time.time()>        (after each autosave; n = last edit in it)
    python tests/store_child.py hold DB DRAFT_ID
        Claims the draft, prints “claimed”, and sleeps (a second copy of the program).
    python tests/store_child.py loop DB DRAFT_ID:NAME:TIMES
        Opens the draft for editing (as the window does), appends “NAME<n>;” to 概述,
        saves and closes it, TIMES times; prints “saved <count>” at the end.
"""
from __future__ import annotations

import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "samples" / "yangzhou_2021_sample.json"
DRAFT_ID = "crash-trial"


def edit(db: str, seed: int) -> None:
    from PySide6.QtCore import QCoreApplication, QTimer

    from desktop_app.core.exchange import read_draft_file
    from desktop_app.core.program import get_program
    from desktop_app.core.store import DraftStore
    from desktop_app.ui.session import DraftSession

    app = QCoreApplication([])
    store = DraftStore(db)
    draft = read_draft_file(SAMPLE)
    draft.data["id"] = DRAFT_ID
    draft.set_text("overview", "")
    store.save(draft, reason="import")
    assert store.claim(draft.id)
    session = DraftSession(store, get_program(draft.program_id), draft)
    rng = random.Random(seed)
    lines: list[str] = []

    def on_saved(_time: str) -> None:
        print(f"saved {len(lines)} {time.time():.6f}", flush=True)

    def one_edit() -> None:
        lines.append(f"第{len(lines) + 1}次修改")
        draft.set_text("overview", "\n".join(lines))
        made = time.time()
        session.touch()
        print(f"edit {len(lines)} {made:.6f}", flush=True)
        # Faster than AUTOSAVE_MS: the officer is typing steadily.
        timer.start(rng.randint(5, 60))

    session.saved.connect(on_saved)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(one_edit)
    timer.start(0)
    print("ready", flush=True)
    app.exec()


def hold(db: str, draft_id: str) -> None:
    from desktop_app.core.store import DraftStore

    store = DraftStore(db)
    assert store.claim(draft_id)
    print("claimed", flush=True)
    time.sleep(120)


def loop(db: str, arg: str) -> None:
    from desktop_app.core.store import DraftStore

    draft_id, name, times = arg.split(":")
    store = DraftStore(db)
    saved = 0
    for n in range(int(times)):
        draft, holder = store.open_for_edit(draft_id)
        if holder is None:
            draft.set_text("overview", draft.text("overview") + f"{name}{n};")
            store.save(draft)
            saved += 1
            store.release(draft_id)
    store.close()
    print(f"saved {saved}", flush=True)


if __name__ == "__main__":
    command, db, arg = sys.argv[1:4]
    if command == "edit":
        edit(db, int(arg))
    elif command == "loop":
        loop(db, arg)
    else:
        hold(db, arg)
