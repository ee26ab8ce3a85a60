"""Screenshots of the glance views (申报总览, 进度安排时间轴, 建设目标图表, 打印装订清单)
for a sample draft, to look at after changing them:

    QT_QPA_PLATFORM=offscreen python scripts/glance_screenshots.py /tmp/shots
    QT_SCALE_FACTOR=2 QT_QPA_PLATFORM=offscreen python scripts/glance_screenshots.py /tmp/shots --suffix _x2

--short lowers one 2022 target below the guide so the chart shows its red mark.
Runs in a throw-away data folder: the officer's drafts are never touched.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--sample", default="yangzhou_2021_sample.json")
    parser.add_argument("--suffix", default="")
    parser.add_argument("--short", action="store_true", help="put the first indicator below the guide")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    os.environ["PATENT_APP_DATA"] = tempfile.mkdtemp(prefix="glance-")

    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from desktop_app.core.exchange import read_draft_file
    from desktop_app.ui.app import create_window
    from desktop_app.ui.picture import save_png

    win = create_window(Path(os.environ["PATENT_APP_DATA"]) / "drafts.sqlite3")
    win.resize(1280, 820)
    win.show()
    draft = read_draft_file(ROOT / "resources" / "samples" / args.sample)
    if args.short:
        targets = draft.part("targets")["indicators"][0]["targets"]
        targets[1] = targets[0]  # no growth in the second year
    win.store.save(draft, reason="import")
    win.open_draft(draft.id)
    wiz = win.wizard

    def shot(name: str) -> None:
        for _ in range(5):
            app.processEvents()
        path = args.out / f"{name}{args.suffix}.png"
        win.grab().save(str(path))
        print(path)

    wiz.refresh_marks()
    shot("overview")
    schedule = next(k for k, p in wiz.pages_by_key.items() if type(p).__name__ == "SchedulePage")
    wiz.go_to(schedule)
    wiz.pages_by_key[schedule].views.setCurrentIndex(1)
    shot("timeline")
    save_png(wiz.pages_by_key[schedule].timeline.view, args.out / f"timeline_export{args.suffix}.png")
    wiz.go_to("targets")
    wiz.pages_by_key["targets"].views.setCurrentIndex(1)
    shot("chart")
    save_png(wiz.pages_by_key["targets"].chart.view, args.out / f"chart_export{args.suffix}.png")
    wiz.show_bind_sheet()
    for _ in range(5):
        app.processEvents()
    wiz.bind_sheet_dialog.grab().save(str(args.out / f"bind_sheet{args.suffix}.png"))
    win.close_draft()
    win.store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
