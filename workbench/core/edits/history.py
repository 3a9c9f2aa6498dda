"""One undo/redo history per document, owned by the core and kept in the database.

``apply(store, command)`` performs a command and records it as a step, with
its inverse and the rows before and after, in one transaction: nothing typed
is ever lost and everything can be undone.  ``undo`` and ``redo`` walk the
same steps, whoever recorded them: the window, its workers and every
command-line process share the rows (``Store`` keeps them: ``history_rows``).

Choosing the step and applying it happen in one ``BEGIN IMMEDIATE``
transaction, so two processes can never take the same step twice.  Each step
keeps a fingerprint of the rows it left; when something outside the history
changed them since (a translation run, another program), undo and redo refuse
with ``HistoryConflict`` and change nothing.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

# links: a stored step may name a link command, whose class must be registered to load it.
from workbench.core.edits import links  # noqa: F401
# filling: likewise for the memory's FillFromMemory (pre-translation, repetitions).
from workbench.core.memory import filling  # noqa: F401
from workbench.core.edits.commands import Command, RestoreRows, command_class
from workbench.core.errors import BadInputError, HistoryConflict, NotFoundError
from workbench.core.model import Edit
from workbench.core.store.rows import UNIT_COLUMNS, Snapshot

if TYPE_CHECKING:
    from workbench.core.store.database import Store


# -- commands as the history stores them (JSON) ------------------------------------

def _to_data(value):
    if isinstance(value, Command):
        return command_to_data(value)
    if isinstance(value, Snapshot):
        return value.to_data()
    if isinstance(value, (tuple, list)):
        return [_to_data(v) for v in value]
    return value


def _from_data(value):
    if isinstance(value, dict) and "type" in value and "args" in value:
        return command_from_data(value)
    if isinstance(value, dict) and "segments" in value and "units" in value:
        return Snapshot.from_data(value)
    if isinstance(value, list):
        return tuple(_from_data(v) for v in value)
    return value


def command_to_data(command: Command) -> dict:
    """A command as JSON-ready data: ``{"type": class name, "args": fields}``.

    :param command: the command (nested commands and snapshots included)."""
    return {"type": type(command).__name__,
            "args": {f.name: _to_data(getattr(command, f.name)) for f in fields(command)}}


def command_from_data(data: dict) -> Command:
    """The command ``command_to_data`` described; ``BadInputError`` for an
    unknown type.

    :param data: ``{"type": class name, "args": fields}``."""
    cls = command_class(data.get("type", ""))
    if cls is None:
        raise BadInputError(f"unknown edit command {data.get('type')!r} in history")
    return cls(**{k: _from_data(v) for k, v in data["args"].items()})


def command_to_json(command: Command) -> str:
    """A command as compact JSON (how the history stores it).

    :param command: the command."""
    return json.dumps(command_to_data(command), ensure_ascii=False, separators=(",", ":"))


def command_from_json(text: str) -> Command:
    """The command ``command_to_json`` wrote.

    :param text: the JSON."""
    return command_from_data(json.loads(text))


# -- steps ------------------------------------------------------------------------------

@dataclass(frozen=True)
class HistoryStep:
    """What an undo or redo did: the history row, the command that ran, and
    the command that would take it back."""
    edit: Edit
    applied: Command
    opposite: Command
    undo: bool


# Unit columns that say what a person sees; timestamps and derived scores
# change without anyone editing and must not make an undo refuse.
_FINGERPRINT_UNIT_COLUMNS = slice(0, UNIT_COLUMNS.index("confidence") + 1)


def _fingerprint(after_json: str | None) -> str | None:
    """A hash of the rows an edit left behind (``_rows_json``'s "after")."""
    if after_json is None:
        return None
    data = json.loads(after_json)
    reduced = {"segments": sorted(data.get("segments", [])),
               "units": sorted(row[_FINGERPRINT_UNIT_COLUMNS] for row in data.get("units", [])),
               "links": sorted(data.get("links", []))}
    return hashlib.sha1(json.dumps(reduced, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _resnapshot(store: Store, after_json: str | None) -> str | None:
    """The same rows as ``after_json`` names, as they are now (same JSON shape)."""
    if after_json is None:
        return None
    data = json.loads(after_json)
    # The snapshot's links follow from its segment and unit ids, so the same
    # ids give the same rows when nothing changed.
    segment_ids = {row[0] for row in data.get("segments", [])}
    unit_ids = {row[0] for row in data.get("units", [])}
    return json.dumps(store.snapshot_rows(segment_ids, unit_ids).to_data(), ensure_ascii=False)


def _rows_json(store: Store, command: Command, inverse: Command) -> tuple[str | None, str | None]:
    """The rows before (from the inverse) and after a performed command, as JSON."""
    try:
        seg_ids, unit_ids = command.scope(store)
    except NotFoundError:  # the edit removed what it was addressed to
        seg_ids, unit_ids = set(), set()
    inv_segs, inv_units = inverse.scope(store)
    after = store.snapshot_rows(seg_ids | inv_segs, unit_ids | inv_units)
    before = inverse.snapshot_before() if isinstance(inverse, RestoreRows) else None
    return (json.dumps(before.to_data(), ensure_ascii=False) if before else
            json.dumps(command_to_data(inverse), ensure_ascii=False),
            json.dumps(after.to_data(), ensure_ascii=False))


def apply(store: Store, command: Command, *, merge_key: str | None = None) -> Command:
    """Perform an edit and record it in its document's history, in one
    transaction; returns the inverse.

    :param store: the store to change.
    :param command: the edit; it raises a ``WorkbenchError`` and changes
        nothing when it cannot be performed.
    :param merge_key: when the newest step of the document is still undoable
        and was recorded with the same key, this edit joins it (one undo step
        for a burst of typing); otherwise a new step starts.
    A new step drops the document's redo branch, as every editor does."""
    with store.transaction():
        document_id = command.document_id(store)
        inverse = command.perform(store)
        before, after = _rows_json(store, command, inverse)
        fingerprint = _fingerprint(after)
        newest = store.newest_step(document_id)
        if merge_key is not None and newest is not None and newest[1] == "done" and newest[2] == merge_key:
            # Keep the step's inverse and "before": undo returns to the
            # state before the whole burst.
            store.merge_into_step(newest[0], summary=command.describe(), payload=command_to_json(command),
                                  after=after, fingerprint=fingerprint)
            return inverse
        store.drop_redo_branch(document_id)
        store.insert_step(document_id, command=type(command).__name__, summary=command.describe(),
                          payload=command_to_json(command), inverse=command_to_json(inverse),
                          before=before, after=after, merge_key=merge_key, fingerprint=fingerprint)
    return inverse


def next_undo(store: Store, document_id: int | None = None) -> Edit | None:
    """The step ``undo(store, document_id)`` would take back, or None.

    :param store: the store whose history to read.
    :param document_id: whose history; None for any document's."""
    row = store.step_to_walk(document_id, undo=True)
    return store.edit(row[0]) if row else None


def next_redo(store: Store, document_id: int | None = None) -> Edit | None:
    """The step ``redo(store, document_id)`` would apply again, or None.

    :param store: the store whose history to read.
    :param document_id: whose history; None for any document's."""
    row = store.step_to_walk(document_id, undo=False)
    return store.edit(row[0]) if row else None


def undo(store: Store, document_id: int | None = None) -> HistoryStep | None:
    """Take back the newest undoable step of a document (or of all).

    :param store: the store to change.
    :param document_id: whose history to walk; None walks the newest step
        of any document.
    Returns what changed (a ``HistoryStep``), or None when there is nothing
    to undo.  Raises ``HistoryConflict`` (and changes nothing) when the rows
    the step touched were changed since by something outside the history,
    e.g. a translation run in another process."""
    return _walk(store, document_id, undo=True)


def redo(store: Store, document_id: int | None = None) -> HistoryStep | None:
    """Apply again the most recently undone step of a document (or of all).

    :param store: the store to change.
    :param document_id: whose history to walk; None for any document.
    Returns a ``HistoryStep``, or None when there is nothing to redo; raises
    ``HistoryConflict`` as ``undo`` does."""
    return _walk(store, document_id, undo=False)


def _walk(store: Store, document_id: int | None, *, undo: bool) -> HistoryStep | None:
    # One transaction from choosing the step to marking it: another process
    # waits at BEGIN IMMEDIATE and then sees the step taken.
    with store.transaction():
        row = store.step_to_walk(document_id, undo=undo)
        if row is None:
            return None
        edit_id, command_json, after, fingerprint = row
        edit = store.edit(edit_id)
        if fingerprint is not None and _fingerprint(_resnapshot(store, after)) != fingerprint:
            raise HistoryConflict(
                f"cannot {'undo' if undo else 'redo'} \"{edit.summary}\": its rows were changed "
                f"since by something outside the history (another program or a translation "
                f"run); nothing was changed")
        command = command_from_json(command_json)
        try:
            opposite = command.perform(store)
        except NotFoundError as exc:
            raise HistoryConflict(f"cannot {'undo' if undo else 'redo'} \"{edit.summary}\": "
                                  f"{exc}; nothing was changed") from None
        _before, new_after = _rows_json(store, command, opposite)
        new_fingerprint = _fingerprint(new_after)
        if undo:
            store.mark_undone(edit_id, payload=command_to_json(opposite), after=new_after,
                              fingerprint=new_fingerprint)
        else:
            store.mark_done(edit_id, inverse=command_to_json(opposite), after=new_after,
                            fingerprint=new_fingerprint)
        return HistoryStep(store.edit(edit_id), command, opposite, undo)
