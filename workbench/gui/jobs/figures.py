"""Counts and scores, recomputed in the background once edits pause.

Counting or scoring a 100,000-unit document takes 50-500 ms: never on the GUI
thread, never per keystroke.  A change starts a short timer; when it fires a
worker (own Store) does the sums.  One worker per kind at a time; changes
that arrive meanwhile make it run once more when it ends.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from workbench.core.store import review_queries as queries
from workbench.gui.jobs.workers import CallWorker

COUNTS_DELAY_MS = 250   # status-bar counts and document progress
SCORES_DELAY_MS = 700   # corpus scores and the effort chart


class _Debounced(QObject):
    """A timer plus at most one worker; ``request`` collects document ids."""

    def __init__(self, label: str, delay_ms: int, job: Callable[..., Any], ready: Callable[[Any], None],
                 failed: Callable[[str], None], parent: QObject):
        super().__init__(parent)
        self.label = label
        self.job = job
        self.ready = ready
        self.failed = failed
        self.db_path: str | None = None
        self.pending: set[int] = set()
        self.worker: CallWorker | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self._start)

    def request(self, document_ids: set[int], now: bool = False) -> None:
        self.pending |= document_ids
        self.timer.start(0 if now else self.timer.interval())

    def stop(self) -> None:
        self.timer.stop()
        self.pending.clear()

    def _start(self) -> None:
        if self.worker is not None or not self.pending or self.db_path is None:
            return  # a running worker restarts us when it ends
        documents, self.pending = sorted(self.pending), set()
        worker = CallWorker(self.label, self.job, self.db_path, documents, pass_callbacks=False)
        worker.signals.finished.connect(self._finished)
        worker.signals.failed.connect(self._failed)
        self.worker = worker.start()

    def _finished(self, result: Any) -> None:
        self.worker = None
        self.ready(result)
        if self.pending:
            self.timer.start()

    def _failed(self, message: str) -> None:
        self.worker = None
        self.failed(message)


class BackgroundFigures(QObject):
    counts_ready = Signal(object)   # {document id: queries.DocumentCounts}
    figures_ready = Signal(object)  # DocumentFigures
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._counts = _Debounced("counts", COUNTS_DELAY_MS, queries.document_counts_of,
                                  self.counts_ready.emit, self.failed.emit, self)
        self._scores = _Debounced("scores", SCORES_DELAY_MS, queries.figures_of,
                                  self._figures, self.failed.emit, self)

    def set_database(self, db_path: str | Path | None) -> None:
        for job in (self._counts, self._scores):
            job.stop()
            job.db_path = str(db_path) if db_path is not None else None

    def changed(self, document_id: int, *, scores: bool = True, now: bool = False) -> None:
        self._counts.request({document_id}, now)
        if scores:
            self._scores.request({document_id}, now)

    def _figures(self, results: list) -> None:
        for figures in results:
            self.figures_ready.emit(figures)

    def stop(self) -> None:
        self._counts.stop()
        self._scores.stop()
