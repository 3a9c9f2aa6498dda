"""Alignment view: how fast a big document pair opens and how fast edits land.

    .venv/bin/python bench/alignment_view_bench.py [--links 10000]

Builds a pair of ``--links`` links (every tenth one 2:1, every fifteenth 1:2,
one in twenty of low confidence) with ``replace_units``, then opens it in the
real main window offscreen and prints measured times: opening the document
(both tabs' models), switching to the alignment view, painting the first
screen, a jump into an unread page (read, measured, painted again), the
next-suspicious jump, and a merge and its undo at the end of the document
(each reloads both tables).  Then the alignment map: reading the pair's
layout and scoring its band (in-process, as the worker does), the longest
pause of the GUI event loop while the worker computes the map, painting it at
the default zoom and whole, a click on it, and the filter bar's link-type
filter and a find over both sides.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QSettings


def build(db: Path, links: int) -> int:
    from workbench.core.pairing import replace_units
    from workbench.core.store.database import Store

    shapes = [(2, 1) if n % 10 == 3 else (1, 2) if n % 15 == 7 else (1, 1) for n in range(links)]
    n_src, n_tgt = sum(s for s, _ in shapes), sum(t for _, t in shapes)
    with Store(db) as store:
        src = store.add_document(title="Big pair", language="en", target_language="ru", source_path=None,
                                 checksum="bench-src", date=None)
        tgt = store.add_document(title="Big pair (ru)", language="ru", target_language=None, source_path=None,
                                 checksum="bench-tgt", date=None, translation_of=src)
        s_ids = store.add_segments(src, [(k // 6, "body", f"Source sentence number {k} of the bench.", False)
                                         for k in range(n_src)], with_units=False)
        t_ids = store.add_segments(tgt, [(k // 6, "body", f"Целевое предложение номер {k}.", False)
                                         for k in range(n_tgt)], with_units=False)
        rows, i, j = [], 0, 0
        for n, (a, b) in enumerate(shapes):
            rows.append((s_ids[i:i + a], t_ids[j:j + b], 0.3 if n % 20 == 11 else 0.9))
            i, j = i + a, j + b
        replace_units(store, src, tgt, rows)
    return src


def timed(label: str, fn, app) -> float:
    start = time.perf_counter()
    fn()
    app.processEvents()
    elapsed = (time.perf_counter() - start) * 1000
    print(f"{label:<44} {elapsed:8.1f} ms")
    return elapsed


def bench_map(window, doc: int, db: Path, app) -> None:
    from PySide6.QtCore import QElapsedTimer, QTimer

    from workbench.core.align.similarity_map import compute_map
    from workbench.core.store import link_queries
    from workbench.core.store.database import Store

    view = window.alignment_view
    with Store(db) as store:
        start = time.perf_counter()
        layout = link_queries.pair_layout(store, doc)
        print(f"{'map: read the pair layout':<44} {(time.perf_counter() - start) * 1000:8.1f} ms")
    start = time.perf_counter()
    similarity = compute_map(layout.sources, layout.targets, layout.links)
    print(f"{'map: score the band (' + format(similarity.cells, ',') + ' cells)':<44} "
          f"{(time.perf_counter() - start) * 1000:8.1f} ms")
    print(f"{'map: scores in memory':<44} {similarity.scores.nbytes / 2 ** 20:8.1f} MiB")

    # The longest pause of the event loop while the worker computes the map.
    clock, longest = QElapsedTimer(), [0]
    clock.start()

    def tick() -> None:
        longest[0] = max(longest[0], clock.restart())

    ticker = QTimer()
    ticker.setInterval(5)
    ticker.timeout.connect(tick)
    ticker.start()
    landed = []
    original = view._map_ready

    def timed_ready(*args) -> None:   # the map landing: set, fitted, painted later
        began = time.perf_counter()
        original(*args)
        landed.append((time.perf_counter() - began) * 1000)

    view.map_jobs.ready.disconnect(view._map_ready)
    view.map_jobs.ready.connect(timed_ready)
    start = time.perf_counter()
    view._reset_map()
    while view.map.similarity is None or view.map_jobs.busy:
        app.processEvents()
        time.sleep(0.001)
    ticker.stop()
    print(f"{'map: worker, request to map on screen':<44} {(time.perf_counter() - start) * 1000:8.1f} ms")
    print(f"{'map: longest event-loop pause meanwhile':<44} {longest[0]:8d} ms")
    print(f"{'map: taking the new map (GUI thread)':<44} {sum(landed):8.1f} ms")
    timed("map: paint at the default zoom", lambda: view.map.viewport().repaint(), app)
    view.map.zoom_all()
    timed("map: paint the whole map", lambda: view.map.viewport().repaint(), app)
    view.map.fit_width()

    def click() -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        QTest.mouseClick(view.map.viewport(), Qt.MouseButton.LeftButton,
                         pos=view.map.point_of(view.map.similarity.n * 0.9, view.map.similarity.m * 0.9).toPoint())

    view.map.set_current(view.model.link_ids[int(len(view.model.link_ids) * 0.9)])
    timed("map: click a link (table follows)", click, app)
    timed("filter: hide 1-1 links", lambda: view.bar.shape_buttons["1-1"].click(), app)
    print(f"{'filter: links shown':<44} {view.model.rowCount():8,d}")
    timed("filter: show all again", view.bar.clear_filter, app)
    timed("find 'number 12' in both sides", lambda: view.find("number 12"), app)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="workbench-align-bench-") as tmp:
        root = Path(tmp)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(root / "settings"))
        db = root / "bench.db"
        start = time.perf_counter()
        doc = build(db, args.links)
        print(f"built a pair of {args.links:,} links in {time.perf_counter() - start:.1f} s")

        from workbench.gui.app import application
        from workbench.gui.main_window import MainWindow

        app = application()
        window = MainWindow(db)
        window.resize(1400, 850)
        window.show()
        app.processEvents()
        view = window.alignment_view
        timed("open the document (both models)", lambda: window.show_document(doc), app)
        timed("switch to the alignment view", lambda: window.show_alignment(True), app)
        timed("paint the first screen", lambda: view.table.viewport().repaint(), app)
        print(f"{'pages read so far':<44} {view.model.pages_fetched:8d}")

        def jump_and_paint() -> None:
            view.table.go_to_row(args.links // 2)
            view.table.viewport().repaint()  # reads the page; its rows are measured next
            app.processEvents()
            view.table.viewport().repaint()

        timed("jump to the middle, paint, measure rows", jump_and_paint, app)
        view.table.go_to_row(0)
        timed("next suspicious link (F8)", window.alignment.next_suspicious, app)
        view.table.go_to_row(args.links - 3)
        timed("merge with next at the end (both reload)", window.alignment.merge_with_next, app)
        timed("undo the merge", window.controller.undo, app)
        assert view.model.rowCount() == args.links
        bench_map(window, doc, db, app)
        window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
