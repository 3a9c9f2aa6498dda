"""Document-list benchmark (offscreen): opening the window on a corpus-scale database.

Prints, for the window opened on DB (default /tmp/scale5m.db: 100,000
documents, 5,000,000 units), once with the list read on the GUI thread as
before ("sync": every reload synchronous) and once as now ("async": a worker
reads a large list):
  - constructor: how long MainWindow(db) blocks;
  - responsive: from the constructor's start to the first event-loop turn
    after show() (a zero timer firing);
  - rows: until the document list holds its rows;
  - longest gap: the longest event-loop stall from show() until the rows are
    there, and until the first document is open too (its table and figures:
    not the list's; a 5 ms timer records the gaps);
  - reload: the same two figures for doc_model.reload() (after an import).

The database is opened read-only (nothing is written to it, no backup).
Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/doclist_bench.py [DB] [sync|async]
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

DEFAULT_DB = "/tmp/scale5m.db"


def run(db: str, mode: str) -> None:
    from PySide6.QtCore import QSettings, QTimer

    from gui_bench import StallMeter, wait_until
    from workbench.core.store import database
    from workbench.gui import document_list
    from workbench.gui.app import application

    database._writable = lambda path: "opened read-only by the benchmark"  # never write the bench file
    if mode == "sync":
        document_list.SYNC_LIMIT = 10 ** 9
    from workbench.gui.main_window import MainWindow

    with tempfile.TemporaryDirectory(prefix="workbench-doclist-bench-") as tmp:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(Path(tmp) / "settings"))
        app = application()
        meter = StallMeter()
        started = time.perf_counter()
        window = MainWindow(db)
        built = time.perf_counter()
        window.resize(1400, 850)
        window.show()
        turned: list[float] = []
        meter.start()
        QTimer.singleShot(0, lambda: turned.append(time.perf_counter()))
        wait_until(app, lambda: bool(turned))
        wait_until(app, lambda: window.doc_model.rowCount() > 0 and not getattr(window.doc_model, "loading", False))
        rows = time.perf_counter()
        until_rows = max(meter.gaps, default=0)
        wait_until(app, lambda: window.doc_list.current_document_id() is not None)
        for _ in range(20):  # let the first document's table settle
            app.processEvents()
            time.sleep(0.005)
        meter.stop()
        print(f"{mode:5}: constructor {(built - started) * 1000:6.0f} ms, responsive {(turned[0] - started) * 1000:6.0f} ms,"
              f" rows ({window.doc_model.rowCount():,}) {(rows - started) * 1000:6.0f} ms,"
              f" longest gap after show: until the rows {until_rows:5.0f} ms,"
              f" with the first document opening {max(meter.gaps, default=0):5.0f} ms")

        meter.start()
        started = time.perf_counter()
        window.doc_model.reload()
        returned = time.perf_counter()
        wait_until(app, lambda: not getattr(window.doc_model, "loading", False))
        done = time.perf_counter()
        for _ in range(20):
            app.processEvents()
            time.sleep(0.005)
        meter.stop()
        print(f"{mode:5}: reload() returns in {(returned - started) * 1000:6.0f} ms, rows swapped in after"
              f" {(done - started) * 1000:6.0f} ms, longest gap {max(meter.gaps + [(returned - started) * 1000]):5.0f} ms")
        window.close()


def main() -> int:
    db = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_DB
    if not Path(db).exists():
        print(f"no database at {db}: make one with bench/scale_bench.py")
        return 1
    if len(sys.argv) > 2:
        run(db, sys.argv[2])
        return 0
    for mode in ("sync", "async"):  # each in a process of its own (a cold module state)
        subprocess.run([sys.executable, __file__, db, mode], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
