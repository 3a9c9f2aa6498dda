"""Preview benchmark (offscreen): does building the Preview stall the window?

Prints, for a 2,000-unit document (400 paragraphs, MT filled):
  1. reading the document's units into preview paragraphs at once (for scale);
  2. the whole build, the number of event-loop turns it took and the longest
     one (aim: <= 50 ms), and the longest gap a 5 ms QTimer saw meanwhile;
  3. following one edited target (the debounced in-place update);
  4. moving the current unit (highlight on both sides and scroll sync).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/preview_bench.py
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PySide6.QtCore import QElapsedTimer, QSettings, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication

UNITS = 2_000
SENTENCE = ("The countries within the Commonwealth of Independent States maintain effective cooperation in the "
            "field of <b0>migration</b0>, sentence {n}.")
TRANSLATION = "Страны Содружества Независимых Государств эффективно сотрудничают в сфере миграции, предложение {n}."


def build_database(path: Path) -> int:
    from workbench.core.store.database import Store

    with Store(path) as store:
        doc = store.add_document(title="Long", language="en", target_language="ru", source_path=None,
                                 checksum="preview-bench", date=None)
        store.add_segments(doc, [(n // 5, "title" if n == 0 else "body", SENTENCE.format(n=n), False)
                                 for n in range(UNITS)])
        store.set_machine_translations((uid, TRANSLATION.format(n=n), "argos", "bench", "1")
                                       for n, uid in enumerate(store.unit_ids(doc)))
    return doc


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="workbench-preview-bench-") as tmp:
        root = Path(tmp)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(root / "settings"))
        db = root / "bench.db"
        doc = build_database(db)

        from workbench.core.edits.commands import SetTarget
        from workbench.core.preview import document_preview
        from workbench.core.store.database import Store
        from workbench.gui.app import application
        from workbench.gui.main_window import MainWindow

        with Store(db) as store:
            started = time.perf_counter()
            preview = document_preview(store, doc)
            print(f"read {UNITS} units into preview paragraphs at once: "
                  f"{(time.perf_counter() - started) * 1000:.0f} ms (the window reads them a page at a time)")

        app = application()
        window = MainWindow(db)
        window.resize(1400, 850)
        window.show()
        for _ in range(20):
            app.processEvents()
        QThreadPool.globalInstance().waitForDone()  # the document's QA check and figures, started on open
        pane = window.preview_pane

        gaps = []
        clock = QElapsedTimer()
        clock.start()
        last = [clock.elapsed()]

        def tick() -> None:
            now = clock.elapsed()
            gaps.append(now - last[0])
            last[0] = now

        timer = QTimer()
        timer.setInterval(5)
        timer.timeout.connect(tick)
        timer.start()
        started = time.perf_counter()
        window.actions["preview"].trigger()
        while not pane.complete:
            app.processEvents()
        total = time.perf_counter() - started
        timer.stop()
        gaps.sort()
        print(f"build (read + fill, a page per turn): {total * 1000:.0f} ms in {pane.build_steps} steps;"
              f" longest step {pane.longest_step_ms:.1f} ms; 5 ms timer gaps: median {gaps[len(gaps) // 2]} ms,"
              f" 95% {gaps[int(len(gaps) * 0.95)]} ms, max {gaps[-1]} ms, {sum(g > 50 for g in gaps)} over 50 ms"
              f" (load average {os.getloadavg()[0]:.1f})")

        uid = preview.unit_ids[1000]
        window.table.go_to_unit(uid)
        app.processEvents()
        window.session.apply(doc, SetTarget(uid, "Новый перевод этого предложения."))
        started = time.perf_counter()
        window.preview._apply_pending()  # what the debounce timer calls
        print(f"follow one edited target: {(time.perf_counter() - started) * 1000:.1f} ms"
              " (after a 300 ms debounce)")

        times = []
        for n in range(0, UNITS, 97):
            started = time.perf_counter()
            window.table.go_to_unit(preview.unit_ids[n])
            times.append(time.perf_counter() - started)
        print(f"move the current unit (highlight + scroll both sides): median "
              f"{sorted(times)[len(times) // 2] * 1000:.1f} ms, max {max(times) * 1000:.1f} ms")
        window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
