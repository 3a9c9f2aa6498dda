"""The open database, seen from the window: one Store, the core's history,
and signals that say which rows changed.

Every edit is a core command applied through ``workbench.core.edits.history``
(performed and recorded in one SQLite transaction: the edit is on disk when
``apply`` returns).  Undo and redo walk the history the core keeps in the
database, per document: the same steps ``workbench undo``/``redo`` walk from a
terminal, so the two can be mixed.

Other processes (command-line commands, the window's own workers) commit to
the same file; a timer asks SQLite whether anything changed
(``PRAGMA data_version``, a cheap read) and tells the views.
"""
from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from workbench.core.edits import history
from workbench.core.edits.links import MergeLinks, MoveSegment, RealignRange, SplitLink
from workbench.core.edits.commands import (
    Batch,
    Command,
    MergeSegments,
    RestoreRows,
    SetExcluded,
    SetTarget,
    SplitSegment,
)
from workbench.core.errors import WorkbenchError
from workbench.core.model import Edit
from workbench.core.store.database import Store

log = logging.getLogger(__name__)

# Commands that add, remove or hide rows: the table reloads its id list.
_STRUCTURAL = (SplitSegment, MergeSegments, RestoreRows, SetExcluded,
               MergeLinks, SplitLink, MoveSegment, RealignRange)

EXTERNAL_POLL_MS = 1000  # how often the window looks for commits of other processes


def follow_session(old: ReviewSession | None, new: ReviewSession | None,
                   connections: Callable[[ReviewSession], list[tuple[Any, Callable]]]) -> None:
    """Move a part of the window from one open database's session to the next:
    the (signal, slot) pairs ``connections(old)`` are disconnected and
    ``connections(new)`` connected (None: nothing to do on that side).

    Parameters:
        old: the session followed until now; new: the one to follow.
        connections: the (signal, slot) pairs of a session."""
    if old is not None:
        for signal, slot in connections(old):
            signal.disconnect(slot)
    if new is not None:
        for signal, slot in connections(new):
            signal.connect(slot)


def is_structural(command: Command) -> bool:
    if isinstance(command, Batch):
        return any(is_structural(c) for c in command.commands)
    return isinstance(command, _STRUCTURAL) or getattr(command, "structural", False)


class ReviewSession(QObject):
    units_changed = Signal(int, list)       # document id, ids of units whose rows changed
    structure_changed = Signal(int, list)   # document id, ids of units touched (rows came or went)
    saved = Signal(str)                     # a write committed (local time, HH:MM:SS)
    failed = Signal(str)                    # a write was refused (one-line message)
    history_changed = Signal()              # what Undo/Redo would do may differ now
    external_change = Signal(int)           # another process or worker committed (active document)

    def __init__(self, db_path: str | Path, parent: QObject | None = None, *,
                 poll_ms: int = EXTERNAL_POLL_MS):
        super().__init__(parent)
        self.store = Store(db_path)  # DatabaseError for a file that is not a workbench database
        self.db_path = self.store.path
        self.active_document: int | None = None
        self._burst = 0
        # Typing bursts merge into one history step only within this window.
        self._typing_key = f"typing:{os.getpid()}:{id(self)}"
        self._seen_version = self.store.history_version()
        self._seen_newest_edit: int | None = None
        self._poll = QTimer(self)
        self._poll.setInterval(poll_ms)
        self._poll.timeout.connect(self.check_external_changes)
        if poll_ms > 0:
            self._poll.start()

    def close(self) -> None:
        self._poll.stop()
        self.store.close()

    # -- history -------------------------------------------------------------------
    def activate(self, document_id: int | None) -> None:
        """The document whose history Undo/Redo walk."""
        self.active_document = document_id
        self._seen_newest_edit = self._newest_edit(document_id)
        self.history_changed.emit()

    def end_burst(self) -> None:
        """The next target edit starts a new undo step."""
        self._burst += 1

    def next_undo(self, document_id: int | None = None) -> Edit | None:
        """The step Undo would take back in this document, or None."""
        doc = self.active_document if document_id is None else document_id
        return history.next_undo(self.store, doc) if doc is not None else None

    def next_redo(self, document_id: int | None = None) -> Edit | None:
        """The step Redo would apply again in this document, or None."""
        doc = self.active_document if document_id is None else document_id
        return history.next_redo(self.store, doc) if doc is not None else None

    def undo(self, document_id: int) -> Edit | None:
        """Undo the document's newest step; the step, or None (nothing or refused)."""
        return self._walk(document_id, undo=True)

    def redo(self, document_id: int) -> Edit | None:
        """Redo the document's most recently undone step; the step, or None."""
        return self._walk(document_id, undo=False)

    def _walk(self, document_id: int, *, undo: bool) -> Edit | None:
        self.end_burst()
        try:
            step = history.undo(self.store, document_id) if undo else history.redo(self.store, document_id)
        except WorkbenchError as exc:
            self.failed.emit(str(exc))
            self.history_changed.emit()
            return None
        except sqlite3.Error as exc:  # locked for 30 s, disk full, file gone
            log.exception("undo/redo failed")
            self.failed.emit(f"could not {'undo' if undo else 'redo'}: {exc}")
            return None
        if step is None:
            return None
        self._committed()
        self._announce(document_id, step.applied, step.opposite)
        self.saved.emit(time.strftime("%H:%M:%S"))
        self.history_changed.emit()
        return step.edit

    # -- edits ---------------------------------------------------------------------
    def apply(self, document_id: int, command: Command, *, merge_key: str | None = None) -> bool:
        """Apply a command now: performed and recorded in the document's
        history in one transaction, then announced to the views.  True when
        saved; False when refused (``failed`` says why, nothing changed).

        :param document_id: the document whose views show the change.
        :param command: the edit.
        :param merge_key: join the document's newest step when it was
            recorded with this key (a burst of typing); None makes the edit a
            step of its own, which also ends any burst before and after it."""
        if merge_key is not None:
            return self._apply(document_id, command, merge_key)
        self.end_burst()
        try:
            return self._apply(document_id, command, None)
        finally:
            self.end_burst()

    def _apply(self, document_id: int, command: Command, merge_key: str | None) -> bool:
        try:
            inverse = history.apply(self.store, command, merge_key=merge_key)
        except WorkbenchError as exc:
            self.failed.emit(str(exc))
            return False
        except sqlite3.Error as exc:  # locked for 30 s, disk full, file gone
            log.exception("write failed")
            self.failed.emit(f"could not save the change: {exc}")
            return False
        self._committed()
        self._announce(document_id, command, inverse)  # views take the new rows first
        self.saved.emit(time.strftime("%H:%M:%S"))
        self.history_changed.emit()
        return True

    def edit_target(self, document_id: int, unit_id: int, text: str) -> bool:
        """Set a unit's target as typed; consecutive commits of one burst of
        typing in one unit are one undo step."""
        try:
            if self.store.unit(unit_id).target == text:
                return True
        except WorkbenchError as exc:
            self.failed.emit(str(exc))
            return False
        key = f"{self._typing_key}:{self._burst}:{unit_id}"
        return self.apply(document_id, SetTarget(unit_id, text), merge_key=key)

    # -- other processes ---------------------------------------------------------------
    def _committed(self) -> None:
        """Our own commit: not news for the poll."""
        self._seen_version = self.store.history_version()
        self._seen_newest_edit = self._newest_edit(self.active_document)

    def _newest_edit(self, document_id: int | None) -> int | None:
        edit = self.store.history(document_id, 1) if document_id is not None else []
        return edit[0].id if edit else None

    def check_external_changes(self) -> bool:
        """Tell the views when another connection committed since we last
        looked (True then).  Rows of the active document are read again; a new
        history step there (a split from the command line, say) reloads its
        row list."""
        try:
            version = self.store.history_version()
        except sqlite3.Error:
            return False
        if version == self._seen_version:
            return False
        self._seen_version = version
        doc = self.active_document
        if doc is not None:
            newest = self._newest_edit(doc)
            if newest != self._seen_newest_edit:
                self._seen_newest_edit = newest
                self.structure_changed.emit(doc, [])
            else:
                self.external_change.emit(doc)
        self.history_changed.emit()
        return True

    def _announce(self, document_id: int, command: Command, inverse: Command) -> None:
        unit_ids: set[int] = set()
        for cmd in (command, inverse):
            try:
                segments, units = cmd.scope(self.store)
            except WorkbenchError:
                continue
            unit_ids |= units
            for sid in segments:
                try:
                    unit_ids.add(self.store.unit_for_segment(sid).id)
                except WorkbenchError:
                    continue  # a segment the edit removed, or one of no unit: no row to refresh
        if is_structural(command):
            self.structure_changed.emit(document_id, sorted(unit_ids))
        else:
            self.units_changed.emit(document_id, sorted(unit_ids))
