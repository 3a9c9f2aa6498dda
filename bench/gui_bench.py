"""Review-window benchmark (offscreen): does the window stay quick at scale?

Prints:
  1. time to first paint of a 100,000-unit document (window created -> the
     table's first paint), and the cost of jumping/scrolling through it;
  2. the longest event-loop stall while a background translate_document of
     2,000 segments runs with the tiny test model (a 5 ms QTimer records the
     gaps between its ticks; aim: <= 50 ms);
  3. the time from pressing Ctrl+Enter (QTest.keyClick) to the next row
     being current, on the 100,000-unit document.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/gui_bench.py
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

BIG = 100_000
MT_SEGMENTS = 2_000

SENTENCES = [
    "The countries within the Commonwealth of Independent States maintain effective cooperation.",
    "However, the emergence of new challenges necessitates more adaptable solutions.",
    "В ходе встречи были обсуждены вопросы текущего состояния сотрудничества.",
    "This was emphasized by the First Deputy Interior Minister of Uzbekistan.",
    "Remittances from migrant workers grew by a third last year, the ministry said.",
    "Стороны отметили динамичное развитие взаимодействия между Узбекистаном и МОМ.",
]


def make_document(store, title: str, count: int, *, distinct: bool) -> int:
    doc = store.add_document(title=title, language="en", target_language="ru", source_path=None,
                             checksum=f"bench-{title}", date=None)

    def rows():
        for n in range(count):
            text = SENTENCES[n % len(SENTENCES)]
            if distinct:  # every source different: the MT cache cannot help
                text = f"{text[:-1]} number {n}."
            kind = "title" if n == 0 else "meta" if n % 97 == 5 else "body"
            yield (n // 4, kind, text, False)

    store.add_segments(doc, rows())
    return doc


class PaintWatch(QObject):
    """Records when a widget first paints."""

    def __init__(self, clock: QElapsedTimer):
        super().__init__()
        self.clock = clock
        self.first_paint_ms: float | None = None

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint and self.first_paint_ms is None:
            self.first_paint_ms = self.clock.nsecsElapsed() / 1e6
        return False


class StallMeter:
    """A 5 ms timer; the longest gap between ticks is the longest stall."""

    def __init__(self, interval_ms: int = 5):
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.gaps: list[float] = []
        self.ends: list[float] = []  # when each gap ended (perf_counter)
        self._last = None

    def _tick(self) -> None:
        now = time.perf_counter()
        if self._last is not None:
            self.gaps.append((now - self._last) * 1000)
            self.ends.append(now)
        self._last = now

    def start(self) -> None:
        self._last = None
        self.gaps.clear()
        self.ends.clear()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()


def wait_until(app: QApplication, condition, timeout: float = 120.0) -> None:
    end = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > end:
            raise TimeoutError("gave up waiting")
        app.processEvents()
        time.sleep(0.001)


def main() -> int:
    from workbench.core.mt.packages import install_file
    from workbench.testing.models import build_test_package
    from workbench.core.store.database import Store
    from workbench.gui.app import application
    from workbench.gui.main_window import MainWindow

    with tempfile.TemporaryDirectory(prefix="workbench-gui-bench-") as tmp:
        root = Path(tmp)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(root / "settings"))
        db = root / "bench.db"
        started = time.perf_counter()
        with Store(db) as store:
            big = make_document(store, "big", BIG, distinct=False)
            with store.transaction() as conn:  # as if translated: every target is an MT copy
                conn.execute("UPDATE units SET mt = 'Машинный перевод.', target = 'Машинный перевод.',"
                             " status = 'machine', pe_chrf = 100, pe_ter = 0 WHERE document_id = ?", (big,))
            small = make_document(store, "mt", MT_SEGMENTS, distinct=True)
        print(f"setup: {BIG:,} + {MT_SEGMENTS:,} units written in {time.perf_counter() - started:.1f} s")
        packages = root / "packages"
        build_test_package(root / "build", "en", "ru", zip_to=root / "en_ru.argosmodel")
        install_file(root / "en_ru.argosmodel", packages)

        app = application()

        # 1. first paint of the 100k document --------------------------------------
        clock = QElapsedTimer()
        clock.start()
        window = MainWindow(db, packages_dir=packages)
        window.doc_list.select_document(big)
        watch = PaintWatch(clock)
        window.table.viewport().installEventFilter(watch)
        window.resize(1400, 850)
        window.show()
        wait_until(app, lambda: watch.first_paint_ms is not None)
        print(f"1. first paint of a {window.unit_model.rowCount():,}-unit document: "
              f"{watch.first_paint_ms:.0f} ms (window created -> table painted)")
        switch = QElapsedTimer()
        window.doc_list.select_document(small)
        app.processEvents()
        switch.start()
        window.doc_list.select_document(big)
        app.processEvents()
        window.table.viewport().repaint()
        print(f"   switching to it from another document: {switch.nsecsElapsed() / 1e6:.0f} ms")
        jumps = []
        for row in (BIG // 2, BIG - 1, 12_345, 77_777, 0):
            t0 = time.perf_counter()
            window.table.go_to_row(row)
            window.table.viewport().repaint()
            jumps.append((time.perf_counter() - t0) * 1000)
        print(f"   jump to a far row and repaint: max {max(jumps):.0f} ms, "
              f"median {statistics.median(jumps):.0f} ms (pages read so far: {window.unit_model.pages_fetched})")
        window.table.setFocus()
        steps = []
        for _ in range(60):
            t0 = time.perf_counter()
            QTest.keyClick(window.table, Qt.Key.Key_PageDown)
            window.table.viewport().repaint()
            steps.append((time.perf_counter() - t0) * 1000)
        print(f"   PageDown x60 with repaint: max {max(steps):.1f} ms, median {statistics.median(steps):.1f} ms")

        # 3. Ctrl+Enter -> next row current (on the 100k document) --------------------
        window.activateWindow()
        window.table.go_to_row(50_000)
        window.table.setFocus()
        app.processEvents()
        latencies = []
        for _ in range(20):
            before = window.table.currentIndex().row()
            t0 = time.perf_counter()
            QTest.keyClick(window.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
            if window.table.currentIndex().row() == before:
                raise SystemExit("Ctrl+Enter did not move to the next row")
            latencies.append((time.perf_counter() - t0) * 1000)
            app.processEvents()
        print(f"3. Ctrl+Enter -> next unapproved row current: median {statistics.median(latencies):.1f} ms, "
              f"max {max(latencies):.1f} ms (approve written to SQLite, {BIG:,}-unit document)")

        if "--skip-mt" in sys.argv:
            window.close()
            return 0

        # 2. stalls while translating 2,000 segments in the background ---------------
        window.doc_list.select_document(small)
        app.processEvents()
        meter = StallMeter()
        done = []
        first_batch: list[float] = []
        window.translation_finished.connect(done.append)
        window.session.units_changed.connect(lambda *_: first_batch or first_batch.append(time.perf_counter()))
        meter.start()
        t0 = time.perf_counter()
        if not window.translate_document():
            raise SystemExit("translation did not start")
        wait_until(app, lambda: bool(done), timeout=600)
        seconds = time.perf_counter() - t0
        meter.stop()
        outcome = done[0]
        summary = next(iter(outcome.summaries.values()), None)
        if summary is None:
            raise SystemExit(f"translation failed: {outcome.describe()}")
        gaps = sorted(meter.gaps)
        p99 = gaps[int(len(gaps) * 0.99)] if gaps else 0.0
        print(f"2. background MT of {summary.translated:,} segments in {seconds:.1f} s: longest event-loop "
              f"stall {max(gaps):.0f} ms, p99 {p99:.0f} ms over {len(gaps):,} ticks of 5 ms (aim <= 50 ms)")
        # The first batch carries the one-off import of ctranslate2 in the worker
        # (module initialisation holds the GIL); after that is the steady state.
        settled = first_batch[0] + 0.05 if first_batch else t0
        later = [g for g, end in zip(meter.gaps, meter.ends) if end > settled]
        if later:
            print(f"   after the first batch (model imported and loaded): longest stall {max(later):.0f} ms")
        worst = sorted(zip(meter.gaps, meter.ends), reverse=True)[:3]
        print("   worst stalls: " + ", ".join(f"{g:.0f} ms ending at +{end - t0:.2f} s" for g, end in worst)
              + (f" (first batch at +{first_batch[0] - t0:.2f} s)" if first_batch else ""))
        filled = sum(1 for r in range(window.unit_model.rowCount()) if window.unit_model.unit_at(r).mt)
        print(f"   rows showing MT afterwards: {filled:,}/{window.unit_model.rowCount():,}")
        window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
