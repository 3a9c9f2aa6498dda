"""Keeps the memory's word index fresh in the background (best-effort).

When the window has opened a database (half a second after its document
list is in: the first paint and lookups go first) and after an import or a
pair import, ``MemoryIndexKeeper.request`` asks a worker, off the job
runner, whether the index is stale (a couple of count queries).  Usually it
is not and nothing shows.  When it is, the rebuild runs
as the window's job - "indexing the memory: N of M entries" in the job bar,
Cancel keeps the index in use - and its end is a status-bar note.

One refresh at a time: a request meanwhile runs once more after it.  The
runner runs one job at a time: a rebuild that finds it busy waits for the job
running to end; a database switch drops it (the next opening asks again).
Workers get the database path, never a widget.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from workbench.gui.context import GuiContext
from workbench.gui.jobs.tasks import memory_index_stale, refresh_memory_index
from workbench.gui.jobs.workers import CallWorker

JOB_LABEL = "indexing the memory"
SOON_MS = 500  # ``request_soon``: the window's first paint and lookups go first


class MemoryIndexKeeper(QObject):
    rebuilt = Signal(object)  # the IndexSummary of a rebuild that finished
    settled = Signal()        # a refresh ended (nothing needed, rebuilt, cancelled, failed or dropped)

    def __init__(self, context: GuiContext):
        super().__init__(context)
        self.context = context
        self._check: CallWorker | None = None  # the stale check running, if any
        self._waiting: str | None = None       # a stale database's path, waiting for the runner
        self._running = False                  # the rebuild is the runner's job
        self._again = False                    # asked again meanwhile: the memory may have moved on
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(SOON_MS)
        self._soon.timeout.connect(self.request)
        context.jobs.ended.connect(self._runner_free)
        context.session_changed.connect(self._session_changed)

    @property
    def active(self) -> bool:
        """Whether a refresh is about to start, checking, waiting for the runner or rebuilding."""
        return self._soon.isActive() or self._check is not None or self._waiting is not None or self._running

    def request_soon(self) -> None:
        """``request`` in a moment (the window just opened, a job just ended)."""
        if self._current_path() is not None:
            self._soon.start()

    def request(self) -> None:
        """Refresh the index of the open database if it is stale (in the background)."""
        path = self._current_path()
        if path is None:
            return
        if self._check is not None or self._waiting is not None or self._running:
            self._again = True
            return
        self._soon.stop()
        worker = CallWorker("memory index check", memory_index_stale, path, pass_callbacks=False)
        worker.signals.finished.connect(self._checked)
        worker.signals.failed.connect(self._check_failed)
        self._check = worker
        worker.start()

    # -- the check ------------------------------------------------------------------------
    def _checked(self, stale: bool) -> None:
        worker, self._check = self._check, None
        if worker is not None and stale and worker.args[0] == self._current_path():
            self._waiting = worker.args[0]
            self._start_waiting()
        else:
            self._settle()

    def _check_failed(self, _message: str) -> None:
        self._check = None  # best-effort: a locked or vanished database is asked again next time
        self._settle()

    # -- the rebuild ----------------------------------------------------------------------
    def _start_waiting(self) -> None:
        path = self._waiting
        if path is None or self._running:
            return
        if path != self._current_path():
            self._waiting = None
            self._settle()
            return
        jobs = self.context.jobs
        if jobs.busy:
            return  # another job runs: _runner_free starts this one after it
        worker = CallWorker("memory index", refresh_memory_index, path)
        if jobs.start(worker, JOB_LABEL, on_finished=self._rebuilt, on_failed=self._failed,
                      on_cancelled=self._cancelled):
            self._waiting, self._running = None, True
            self.context.update_enabled()

    def _runner_free(self) -> None:
        if self._waiting is not None and not self._running:
            # After the ended job's other listeners (they may start a job of their own).
            QTimer.singleShot(0, self, self._start_waiting)

    def _rebuilt(self, summary) -> None:
        self._running = False
        if summary is not None:
            self.context.show_message(f"memory index rebuilt: {summary.entries:,} entries "
                                      f"({summary.seconds:.0f} s)", 8000)
            self.rebuilt.emit(summary)
        self._settle()

    def _failed(self, message: str) -> None:
        self._running = False
        self.context.show_message(f"memory index not rebuilt: {message}", 8000)
        self._settle()

    def _cancelled(self, message: str, _partial: object) -> None:
        self._running = False
        self._again = False  # the person said stop: the next opening or import asks again
        self.context.show_message(message, 6000)
        self._settle()

    # -- bookkeeping ----------------------------------------------------------------------
    def _current_path(self) -> str | None:
        session = self.context.session
        return str(session.db_path) if session is not None and not session.store.read_only else None

    def _session_changed(self, _session) -> None:
        if self._waiting is not None:  # a rebuild for the database closed: dropped
            self._waiting = None
            self._settle()

    def _settle(self) -> None:
        again, self._again = self._again, False
        if again:
            self.request()
        if not self.active:
            self.settled.emit()
