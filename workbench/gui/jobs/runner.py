"""The one background job the status bar shows: label, progress bar, Cancel."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from workbench.gui.jobs.workers import Worker


class JobBar(QWidget):
    """Status-bar widget; hidden when no job runs."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setFixedWidth(180)
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop the job (finished batches are kept)")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.hide()


class JobRunner(QObject):
    """Runs one job at a time and mirrors it in a JobBar."""

    started = Signal(str)       # label
    progressed = Signal(float, str)
    finished = Signal(object)   # the job's result
    failed = Signal(str)        # message
    cancelled = Signal(str, object)  # message, what the job kept (None: nothing)
    ended = Signal()            # after finished, failed or cancelled

    def __init__(self, bar: JobBar, parent: QObject | None = None):
        super().__init__(parent)
        self.bar = bar
        self.worker: Worker | None = None
        self._callbacks: tuple = (None, None, None)
        bar.cancel_button.clicked.connect(self.cancel)

    @property
    def busy(self) -> bool:
        return self.worker is not None

    def start(self, worker: Worker, label: str, *, on_finished: Callable[[object], None] | None = None,
              on_failed: Callable[[str], None] | None = None,
              on_cancelled: Callable[[str, object], None] | None = None) -> bool:
        """Run ``worker`` unless a job runs already (then False).

        :param worker: the job.
        :param label: what the status bar says it does.
        :param on_finished: called with the job's result.
        :param on_failed: called with the one-line message of a failure.
        :param on_cancelled: called with the message and the partial result
            (None: nothing kept) when the job stopped after Cancel; without
            it a cancel is reported through ``on_failed``, with its message."""
        if self.worker is not None:
            return False
        self.worker = worker
        self._callbacks = (on_finished, on_failed, on_cancelled)
        worker.signals.progressed.connect(self._progressed)
        worker.signals.finished.connect(self._finished)
        worker.signals.failed.connect(self._failed)
        worker.signals.cancelled.connect(self._cancelled)
        self.bar.label.setText(label)
        self.bar.bar.setValue(0)
        self.bar.cancel_button.setEnabled(True)
        self.bar.show()
        self.started.emit(label)
        worker.start()
        return True

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.bar.cancel_button.setEnabled(False)
            self.bar.label.setText("cancelling…")

    def wait(self, msecs: int = 30000) -> None:
        """Block until the worker returned (closing the window, switching database)."""
        if self.worker is not None:
            self.worker.done.wait(msecs / 1000)

    def _progressed(self, fraction: float, message: str) -> None:
        self.bar.bar.setValue(round(fraction * 1000))
        self.progressed.emit(fraction, message)
        if self.bar.cancel_button.isEnabled():
            self.bar.label.setText(message)

    def _finished(self, result: object) -> None:
        on_finished, _, _ = self._callbacks
        self._end()
        if on_finished:
            on_finished(result)
        self.finished.emit(result)
        self.ended.emit()

    def _failed(self, message: str) -> None:
        _, on_failed, _ = self._callbacks
        self._end()
        if on_failed:
            on_failed(message)
        self.failed.emit(message)
        self.ended.emit()

    def _cancelled(self, message: str, partial: object) -> None:
        _, on_failed, on_cancelled = self._callbacks
        self._end()
        if on_cancelled:
            on_cancelled(message, partial)
        elif on_failed:
            on_failed(message)
        self.cancelled.emit(message, partial)
        self.ended.emit()

    def _end(self) -> None:
        self.worker = None
        self._callbacks = (None, None, None)
        self.bar.hide()
