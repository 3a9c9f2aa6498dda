"""Background jobs on the global QThreadPool.

A worker gets plain data (the database path, ids, file paths), never widgets,
and opens its own ``Store``: SQLite connections belong to one thread.  It
reports through signals named in the past tense; the window connects them
(queued across threads) to update rows, the progress bar and dialogs.
"""
from __future__ import annotations

import logging
import os
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from workbench.core.errors import ModelError, WorkbenchError
from workbench.core.progress import Cancelled

log = logging.getLogger(__name__)


BACKGROUND_NICENESS = 10


def lower_thread_priority() -> None:
    """Let the GUI thread win the CPU over background work (Linux: threads
    have their own niceness, and threads they start - CTranslate2's - inherit
    it).  Pool threads are reused; they only ever run background work."""
    if not hasattr(os, "setpriority") or not sys.platform.startswith("linux"):
        return
    try:
        tid = threading.get_native_id()
        if os.getpriority(os.PRIO_PROCESS, tid) < BACKGROUND_NICENESS:
            os.setpriority(os.PRIO_PROCESS, tid, BACKGROUND_NICENESS)
    except OSError:
        pass  # not allowed here: run at normal priority


class WorkerSignals(QObject):
    progressed = Signal(float, str)      # fraction 0..1, message
    batch_finished = Signal(int, list)   # document id, unit ids just written
    finished = Signal(object)            # the result
    failed = Signal(str)                 # one-line message for the user
    cancelled = Signal(str, object)      # one-line message, what the job kept (None: nothing)
    cluster_connected = Signal(str, str)  # where the work runs (one line), the Dask dashboard's link ("" if none)


class Worker(QRunnable):
    """Base: cancellation flag, error reporting, signals kept alive by Python.

    ``work()`` returns the result (``finished``), or raises: ``Cancelled``
    after ``cancel()`` (``cancelled``, with the partial result it carries), a
    ``WorkbenchError`` (``failed``, its message), anything else (``failed``,
    a bug: logged whole)."""

    label = "working"

    def __init__(self) -> None:
        super().__init__()
        self.setAutoDelete(False)  # Python owns it; the window drops it when done
        self.signals = WorkerSignals()
        self._cancel = threading.Event()
        self.done = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def progress(self, fraction: float, message: str) -> None:
        self.signals.progressed.emit(float(fraction), message)

    def run(self) -> None:
        lower_thread_priority()
        try:
            try:
                result = self.work()
            except Cancelled as exc:
                self.signals.cancelled.emit(str(exc), exc.partial)
            except WorkbenchError as exc:
                self.signals.failed.emit(str(exc))
            except Exception as exc:  # noqa: BLE001 - a bug: log it whole, tell the user one line
                log.error("%s failed:\n%s", self.label, traceback.format_exc())
                self.signals.failed.emit(f"{self.label} failed unexpectedly: {exc!r}")
            else:
                self.signals.finished.emit(result)
        except RuntimeError:
            pass  # the application quit while we worked: nobody is listening
        finally:
            self.done.set()

    def work(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def start(self, pool: QThreadPool | None = None) -> Worker:
        (pool or QThreadPool.globalInstance()).start(self)
        return self


@dataclass(frozen=True)
class TranslationOutcome:
    """What a Translate job did, per document (the partial result of its
    ``Cancelled`` when it was cancelled)."""
    summaries: dict[int, Any] = field(default_factory=dict)  # document id -> TranslationSummary
    errors: dict[int, str] = field(default_factory=dict)      # document id -> why not translated
    cancelled: bool = False

    def describe(self) -> str:
        parts = [s.describe() for s in self.summaries.values()]
        parts += list(self.errors.values())
        text = "; ".join(dict.fromkeys(parts)) or "nothing to translate"
        return ("cancelled: " if self.cancelled and not text.startswith("cancel") else "") + text


class TranslateWorker(Worker):
    """Machine-translate documents batch by batch; rows fill in as batches land."""

    label = "machine translation"

    def __init__(self, db_path: str | Path, document_ids: Sequence[int], *,
                 packages_dir: str | Path | None = None, batch_size: int = 32,
                 beam_size: int | None = None, cluster: str | None = None) -> None:
        """:param cluster: a cluster address (``cluster.parse_cluster``): the batches run there,
            written here; None or empty: in this process."""
        super().__init__()
        self.db_path = str(db_path)
        self.document_ids = list(document_ids)
        self.packages_dir = packages_dir
        self.batch_size = batch_size
        self.beam_size = beam_size
        self.cluster = (cluster or "").strip() or None

    def work(self) -> TranslationOutcome:
        """Translate the documents in turn; a cancel raises ``Cancelled``
        carrying the ``TranslationOutcome`` of the batches kept."""
        if self.cluster is not None:
            return self._work_on_cluster()
        from workbench.core.store.database import Store
        from workbench.core.translating import translate_document  # lazy: pulls in ctranslate2

        outcome = TranslationOutcome()
        count = len(self.document_ids)
        with Store(self.db_path, create=False) as store:
            for n, doc_id in enumerate(self.document_ids):
                if self.cancelled():
                    self._stop(outcome)

                def progress(fraction: float, message: str, n=n) -> None:
                    self.progress((n + fraction) / count, message)

                try:
                    summary = translate_document(
                        store, doc_id, packages_dir=self.packages_dir, batch_size=self.batch_size,
                        beam_size=self.beam_size, progress=progress, cancelled=self.cancelled,
                        on_batch=lambda ids, doc_id=doc_id: self.signals.batch_finished.emit(doc_id, list(ids)))
                except ModelError as exc:
                    if count == 1:
                        raise
                    outcome.errors[doc_id] = str(exc)  # translate all: the other pairs go on
                    continue
                except Cancelled as exc:
                    outcome.summaries[doc_id] = exc.partial
                    self._stop(outcome)
                outcome.summaries[doc_id] = summary
        return outcome

    def _work_on_cluster(self) -> TranslationOutcome:
        """The batches of every document on the cluster (``translate_documents``), written here
        batch by batch; the progress says shards done of those planned, and sentences per second."""
        from workbench.core.cluster import Cluster
        from workbench.core.store.database import Store
        from workbench.core.translating import translate_documents

        with Cluster(self.cluster) as running:  # unreachable: one WorkbenchError line, nothing written
            self.signals.cluster_connected.emit(running.describe(), running.dashboard_link or "")
            runner = running.mt_runner()
            shards = {"planned": 0, "done": 0}

            def counted(planned):
                for shard in planned:
                    shards["planned"] += 1
                    yield shard

            def run(planned):
                for result in runner(counted(planned)):
                    shards["done"] += 1
                    yield result

            def progress(fraction: float, message: str) -> None:
                self.progress(fraction, f"cluster: {shards['done']:,}/{shards['planned']:,} shards, {message}")

            with Store(self.db_path, create=False) as store:
                try:
                    summary = translate_documents(
                        store, self.document_ids, runner=run, packages_dir=self.packages_dir,
                        batch_size=self.batch_size, beam_size=self.beam_size, progress=progress,
                        cancelled=self.cancelled,
                        on_batch=lambda ids: self.signals.batch_finished.emit(-1, list(ids)))
                except Cancelled as exc:
                    self._stop(TranslationOutcome({-1: exc.partial}))
        return TranslationOutcome({-1: summary})

    @staticmethod
    def _stop(outcome: TranslationOutcome) -> None:
        kept = TranslationOutcome(outcome.summaries, outcome.errors, cancelled=True)
        raise Cancelled(kept.describe(), partial=kept)


class CallWorker(Worker):
    """Run one function ``fn(*args, progress=..., cancelled=...)`` in the pool."""

    def __init__(self, label: str, fn: Callable[..., Any], *args: Any, pass_callbacks: bool = True) -> None:
        super().__init__()
        self.label = label
        self.fn = fn
        self.args = args
        self.pass_callbacks = pass_callbacks

    def work(self) -> Any:
        if self.pass_callbacks:
            return self.fn(*self.args, progress=self.progress, cancelled=self.cancelled)
        return self.fn(*self.args)
