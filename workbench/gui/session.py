"""The open database, seen from the window: one Store, one undo stack per
document, and signals that say which rows changed.

Every edit is a core command applied through ``Store.apply`` (one SQLite
transaction: the edit is on disk when ``apply`` returns), then pushed onto the
document's QUndoStack.
"""
from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoGroup, QUndoStack

from ..core.align_commands import MergeLinks, MoveSegment, RealignRange, SplitLink
from ..core.commands import (
    Batch,
    Command,
    MergeSegments,
    RestoreRows,
    SetExcluded,
    SetTarget,
    SplitSegment,
)
from ..core.errors import WorkbenchError
from ..core.store import Store
from .undo import StoreUndoCommand, TargetEditUndoCommand

log = logging.getLogger(__name__)

# Commands that add, remove or hide rows: the table reloads its id list.
_STRUCTURAL = (SplitSegment, MergeSegments, RestoreRows, SetExcluded,
               MergeLinks, SplitLink, MoveSegment, RealignRange)


def is_structural(command: Command) -> bool:
    if isinstance(command, Batch):
        return any(is_structural(c) for c in command.commands)
    return isinstance(command, _STRUCTURAL)


class ReviewSession(QObject):
    units_changed = Signal(int, list)       # document id, ids of units whose rows changed
    structure_changed = Signal(int, list)   # document id, ids of units touched (rows came or went)
    saved = Signal(str)                     # a write committed (local time, HH:MM:SS)
    failed = Signal(str)                    # a write was refused (one-line message)

    def __init__(self, db_path: str | Path, parent: QObject | None = None):
        super().__init__(parent)
        self.store = Store(db_path)  # DatabaseError for a file that is not a workbench database
        self.db_path = self.store.path
        self.undo_group = QUndoGroup(self)
        self._stacks: dict[int, QUndoStack] = {}
        self._burst = 0

    def close(self) -> None:
        self.store.close()

    # -- undo stacks -------------------------------------------------------------
    def stack(self, document_id: int) -> QUndoStack:
        stack = self._stacks.get(document_id)
        if stack is None:
            stack = self._stacks[document_id] = QUndoStack(self.undo_group)
        return stack

    def activate(self, document_id: int | None) -> None:
        self.undo_group.setActiveStack(self.stack(document_id) if document_id is not None else None)

    def end_burst(self) -> None:
        """The next target edit starts a new undo step."""
        self._burst += 1

    # -- edits ---------------------------------------------------------------------
    def execute(self, document_id: int, command: Command) -> Command | None:
        """Apply a command to the store now; its inverse, or None if refused."""
        try:
            inverse = self.store.apply(command)
        except WorkbenchError as exc:
            self.failed.emit(str(exc))
            return None
        except sqlite3.Error as exc:  # locked for 30 s, disk full, file gone
            log.exception("write failed")
            self.failed.emit(f"could not save the change: {exc}")
            return None
        self._announce(document_id, command, inverse)  # views take the new rows first
        self.saved.emit(time.strftime("%H:%M:%S"))
        return inverse

    def apply(self, document_id: int, command: Command, text: str | None = None) -> bool:
        """Apply and push onto the document's undo stack (one undo step)."""
        inverse = self.execute(document_id, command)
        if inverse is None:
            return False
        self.end_burst()
        self.stack(document_id).push(
            StoreUndoCommand(self, document_id, command, inverse, text or _title(command)))
        return True

    def edit_target(self, document_id: int, unit_id: int, text: str) -> bool:
        """Set a unit's target as typed; consecutive edits of one unit merge."""
        try:
            if self.store.unit(unit_id).target == text:
                return True
        except WorkbenchError as exc:
            self.failed.emit(str(exc))
            return False
        command = SetTarget(unit_id, text)
        inverse = self.execute(document_id, command)
        if inverse is None:
            return False
        self.stack(document_id).push(
            TargetEditUndoCommand(self, document_id, command, inverse, unit_id, self._burst))
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
                row = self.store.conn.execute(
                    "SELECT unit_id FROM unit_segments WHERE segment_id = ?", (sid,)).fetchone()
                if row:
                    unit_ids.add(row[0])
        if is_structural(command):
            self.structure_changed.emit(document_id, sorted(unit_ids))
        else:
            self.units_changed.emit(document_id, sorted(unit_ids))


def _title(command: Command) -> str:
    label = command.label if isinstance(command.label, str) else "edit"
    return label[:1].upper() + label[1:]
