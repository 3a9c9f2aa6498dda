"""The rows of the edit history (the ``edits`` table).

``HistoryRows`` is a mixin of ``Store``: the SQL of the history, as named
methods.  What the steps mean (apply and record a command, undo, redo,
fingerprints) is ``workbench.core.edits.history``; the store only reads and
writes the rows, inside the transaction the caller holds.

A step is ``done`` (undoable), ``undone`` (redoable) or ``dropped`` (a new
edit after an undo drops the redo branch).  ``payload`` is the command that
brings the step's change (again), ``inverse`` the one that takes it back,
``before``/``after`` the rows around it as JSON.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from workbench.core.errors import NotFoundError
from workbench.core.model import Edit
from workbench.core.store.clock import utc_now

_EDIT_COLUMNS = "id, at, command, summary, before, after, state, document_id"


def _edit(row: Sequence) -> Edit:
    eid, at, command, summary, before, after, state, document_id = row
    return Edit(eid, at, command, summary, before, after, state != "done", state, document_id)


class HistoryRows:
    """Reads and writes of the ``edits`` table (a mixin of ``Store``)."""

    conn: sqlite3.Connection

    # -- reading ---------------------------------------------------------------------
    def history(self, document_id: int | None = None, limit: int = 100) -> list[Edit]:
        """The newest steps first (of one document, or of all).

        :param document_id: only this document's history; None for all.
        :param limit: at most this many rows."""
        where, args = ("WHERE document_id = ?", (document_id,)) if document_id else ("", ())
        rows = self.conn.execute(
            f"SELECT {_EDIT_COLUMNS} FROM edits {where} ORDER BY id DESC LIMIT ?", (*args, limit))
        return [_edit(row) for row in rows]

    def edit(self, edit_id: int) -> Edit:
        """One step of the history; ``NotFoundError`` when there is none.

        :param edit_id: the step's id."""
        row = self.conn.execute(f"SELECT {_EDIT_COLUMNS} FROM edits WHERE id = ?", (edit_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no edit with id {edit_id} in the history")
        return _edit(row)

    def newest_step(self, document_id: int | None) -> tuple[int, str, str | None] | None:
        """``(id, state, merge_key)`` of a document's newest step that is not
        dropped, or None.

        :param document_id: the document (None: the steps of no document)."""
        return self.conn.execute(
            "SELECT id, state, merge_key FROM edits WHERE document_id IS ? AND state != 'dropped'"
            " ORDER BY id DESC LIMIT 1", (document_id,)).fetchone()

    def step_to_walk(self, document_id: int | None, *, undo: bool) -> tuple[int, str, str | None, str | None] | None:
        """The step an undo (the newest done one) or a redo (the most recently
        undone one) would take: ``(id, command JSON to run, after JSON,
        fingerprint)``, or None when there is none.

        :param document_id: whose history to walk; None walks every document's.
        :param undo: True for the undo's step, False for the redo's."""
        scope, args = ("AND document_id = ?", (document_id,)) if document_id is not None else ("", ())
        if undo:
            query = (f"SELECT id, inverse, after, fingerprint FROM edits WHERE state = 'done' {scope}"
                     " ORDER BY id DESC LIMIT 1")
        else:  # the most recently undone step comes back first
            query = (f"SELECT id, payload, after, fingerprint FROM edits WHERE state = 'undone' {scope}"
                     " ORDER BY undo_seq DESC, id ASC LIMIT 1")
        return self.conn.execute(query, args).fetchone()

    # -- writing ---------------------------------------------------------------------
    def insert_step(self, document_id: int | None, *, command: str, summary: str, payload: str, inverse: str,
                    before: str | None, after: str | None, merge_key: str | None,
                    fingerprint: str | None) -> int:
        """Record a new done step; returns its id.

        :param document_id: the document whose history it joins (None: none).
        :param command: the command's type name.
        :param summary: one line that describes it.
        :param payload: the command as JSON.
        :param inverse: the command that takes it back, as JSON.
        :param before: the rows before it, as JSON.
        :param after: the rows it left, as JSON.
        :param merge_key: later edits with the same key join this step.
        :param fingerprint: a hash of ``after`` (see ``edits.history``)."""
        return self.conn.execute(
            "INSERT INTO edits (at, document_id, command, summary, payload, inverse, before,"
            " after, state, merge_key, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'done', ?, ?)",
            (utc_now(), document_id, command, summary, payload, inverse, before, after, merge_key,
             fingerprint)).lastrowid

    def merge_into_step(self, edit_id: int, *, summary: str, payload: str, after: str | None,
                        fingerprint: str | None) -> None:
        """Let a step take in a later edit: its command, summary and rows after
        become the later edit's; its inverse and rows before stay, so undo
        returns to the state before both.

        :param edit_id: the step.
        :param summary: the later edit's summary.
        :param payload: the later edit as JSON.
        :param after: the rows the later edit left, as JSON.
        :param fingerprint: a hash of ``after``."""
        self.conn.execute("UPDATE edits SET at = ?, summary = ?, payload = ?, after = ?, fingerprint = ?"
                          " WHERE id = ?", (utc_now(), summary, payload, after, fingerprint, edit_id))

    def drop_redo_branch(self, document_id: int | None) -> None:
        """Mark a document's undone steps dropped: they can no longer be redone.

        :param document_id: the document (None: the steps of no document)."""
        self.conn.execute("UPDATE edits SET state = 'dropped' WHERE document_id IS ? AND state = 'undone'",
                          (document_id,))

    def next_undo_seq(self) -> int:
        """The ``undo_seq`` of the next step to be undone: above every other,
        so redo takes the most recently undone step first."""
        return self.conn.execute("SELECT coalesce(max(undo_seq), 0) + 1 FROM edits").fetchone()[0]

    def mark_undone(self, edit_id: int, *, payload: str, after: str | None, fingerprint: str | None) -> None:
        """Record that a step was undone: it becomes redoable, no later edit
        merges into it.

        :param edit_id: the step.
        :param payload: the command a redo runs, as JSON.
        :param after: the rows the undo left, as JSON.
        :param fingerprint: a hash of ``after``."""
        self.conn.execute("UPDATE edits SET state = 'undone', payload = ?, after = ?, fingerprint = ?,"
                          " undo_seq = ?, merge_key = NULL WHERE id = ?",
                          (payload, after, fingerprint, self.next_undo_seq(), edit_id))

    def mark_done(self, edit_id: int, *, inverse: str, after: str | None, fingerprint: str | None) -> None:
        """Record that a step was redone: it becomes undoable again.

        :param edit_id: the step.
        :param inverse: the command an undo runs, as JSON.
        :param after: the rows the redo left, as JSON.
        :param fingerprint: a hash of ``after``."""
        self.conn.execute("UPDATE edits SET state = 'done', inverse = ?, after = ?, fingerprint = ?,"
                          " undo_seq = NULL WHERE id = ?", (inverse, after, fingerprint, edit_id))
