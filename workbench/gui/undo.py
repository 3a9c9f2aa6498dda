"""Core command objects on a QUndoStack.

The command is applied by the session *before* it is pushed (so a refused
edit shows an error and never reaches the stack); the first ``redo()`` that
``QUndoStack.push`` makes is therefore skipped.  Afterwards redo applies the
command and keeps the inverse the store returns; undo applies the inverse and
keeps the redo command it returns.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from ..core.commands import Command

if TYPE_CHECKING:
    from .session import ReviewSession

TARGET_EDIT_ID = 1001


class StoreUndoCommand(QUndoCommand):
    def __init__(self, session: ReviewSession, document_id: int, command: Command,
                 inverse: Command, text: str):
        super().__init__(text)
        self.session = session
        self.document_id = document_id
        self.cmd = command
        self.inverse = inverse
        self._already_applied = True

    def redo(self) -> None:
        if self._already_applied:
            self._already_applied = False
            return
        inverse = self.session.execute(self.document_id, self.cmd)
        if inverse is None:
            self.setObsolete(True)  # the store refused: drop the step rather than lie
        else:
            self.inverse = inverse

    def undo(self) -> None:
        command = self.session.execute(self.document_id, self.inverse)
        if command is None:
            self.setObsolete(True)
        else:
            self.cmd = command


class TargetEditUndoCommand(StoreUndoCommand):
    """A typed change of one target.  Commits of the same unit within one
    burst (until the reviewer moves to another unit or does anything else)
    merge into one step, whose undo restores the text from before the burst."""

    def __init__(self, session: ReviewSession, document_id: int, command: Command,
                 inverse: Command, unit_id: int, burst: int):
        super().__init__(session, document_id, command, inverse, f"Edit target of unit {unit_id}")
        self.unit_id = unit_id
        self.burst = burst

    def id(self) -> int:
        return TARGET_EDIT_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, TargetEditUndoCommand) or other.unit_id != self.unit_id \
                or other.burst != self.burst or other.document_id != self.document_id:
            return False
        self.cmd = other.cmd  # keep our inverse: the state before the burst
        return True
