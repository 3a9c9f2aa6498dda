"""Edits are data: command objects applied by the core, each returning its inverse.

``command.perform(store)`` makes the change and returns the inverse; nothing
more.  ``workbench.core.edits.history.apply(store, command)`` performs it
inside one transaction and records command + inverse in the document's
history, which ``undo``/``redo`` there walk (the window, the CLI and tests all
go through it).  The rows are read and written by named methods of the store
(``workbench.core.store.rows``): no SQL here.

Simple edits have semantic inverses (``SetTarget`` undoes ``SetTarget``).
Structural edits (split, merge, alignment moves) return ``RestoreRows``: the
exact rows they touched, ids included, so undo/redo chains stay valid even
when later commands refer to rows a split created.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from workbench.core.errors import BadInputError, NotFoundError
from workbench.core.model import Status
from workbench.core.store.clock import utc_now
from workbench.core.store.rows import Snapshot

if TYPE_CHECKING:
    from workbench.core.store.database import Store

_REGISTRY: dict[str, type[Command]] = {}


class Command:
    """Base class.  Subclasses are frozen dataclasses."""

    label: ClassVar[str] = "edit"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        _REGISTRY[cls.__name__] = cls

    def perform(self, store: Store) -> Command:  # pragma: no cover - abstract
        """Make the change in ``store`` and return the command that takes it back.

        The primitive of a command: nothing is recorded in the history
        (``workbench.core.edits.history.apply`` performs and records), and the
        caller holds the transaction.

        :param store: the store to change.
        Raises a ``WorkbenchError`` when the command does not fit the rows."""
        raise NotImplementedError

    def scope(self, store: Store) -> tuple[set[int], set[int]]:
        """(segment ids, unit ids) this command reads and writes, for history."""
        return set(), set()

    def document_id(self, store: Store) -> int | None:
        """The document whose history records this command (None: none found).

        :param store: the store the command is for."""
        segments, units = self.scope(store)
        for uid in units:
            doc = store.unit_document(uid)
            if doc is not None:
                return doc
        for sid in segments:
            doc = store.segment_document(sid)
            if doc is not None:
                return doc
        return None

    def describe(self) -> str:
        return self.label


def command_class(name: str) -> type[Command] | None:
    """The command class of this name among those imported so far, or None.

    :param name: the class name (``type(command).__name__``)."""
    return _REGISTRY.get(name)


# -- structural edits: the rows they touched, ids included -----------------------

@dataclass(frozen=True)
class RestoreRows(Command):
    """Make the rows in scope exactly as in ``snapshot`` (ids included)."""

    segment_ids: tuple[int, ...]
    unit_ids: tuple[int, ...]
    snapshot: Snapshot
    name: str = "edit"

    @property
    def label(self) -> str:  # type: ignore[override]
        return self.name

    def scope(self, store: Store) -> tuple[set[int], set[int]]:
        return set(self.segment_ids), set(self.unit_ids)

    def snapshot_before(self) -> Snapshot:
        return self.snapshot

    def perform(self, store: Store) -> Command:
        current = store.snapshot_rows(self.segment_ids, self.unit_ids)
        store.restore_rows(self.segment_ids, self.unit_ids, self.snapshot)
        name = self.name[5:] if self.name.startswith("undo ") else f"undo {self.name}"
        return RestoreRows(self.segment_ids, self.unit_ids, current, name)

    def describe(self) -> str:
        def some(ids: tuple[int, ...]) -> str:
            return ", ".join(map(str, ids[:5])) + (f" and {len(ids) - 5:,} more" if len(ids) > 5 else "")
        return f"{self.label} (segments {some(self.segment_ids)}; units {some(self.unit_ids)})"


def structural(store: Store, name: str, segment_ids: set[int], unit_ids: set[int], change) -> RestoreRows:
    """Run ``change()`` and return the RestoreRows that undoes it: the rows in
    scope as they were, to be put back with the rows ``change`` created.

    :param store: the store to change (the caller holds the transaction).
    :param name: the edit's label (the inverse is named "undo <name>").
    :param segment_ids: the segments the change may touch.
    :param unit_ids: the units the change may touch.
    :param change: does the edit; returns ``(new segment ids, new unit ids)``."""
    before = store.snapshot_rows(segment_ids, unit_ids)
    new_segments, new_units = change()
    return RestoreRows(tuple(sorted(segment_ids | set(new_segments))),
                       tuple(sorted(unit_ids | set(new_units))), before, f"undo {name}")


# -- target and status edits -------------------------------------------------

def _unit_state(store: Store, unit_id: int) -> tuple[str, str | None, str]:
    row = store.unit_state(unit_id)
    if row is None:
        raise NotFoundError(f"no translation unit with id {unit_id}")
    return row


def status_after_edit(new_target: str, mt: str | None) -> Status:
    """The status a target typed by a person implies.

    :param new_target: the target as typed.
    :param mt: the unit's machine translation (None: none, or stale)."""
    if not new_target.strip():
        return Status.NEW
    if mt is not None and new_target == mt:
        return Status.MACHINE
    return Status.EDITED


@dataclass(frozen=True)
class SetTarget(Command):
    """Replace a unit's target text.  ``status`` None: derived from the text
    (a changed approved target falls back to edited)."""

    unit_id: int
    text: str
    status: str | None = None
    label: ClassVar[str] = "edit target"

    def scope(self, store: Store) -> tuple[set[int], set[int]]:
        return set(), {self.unit_id}

    def perform(self, store: Store) -> Command:
        old_target, mt, old_status = _unit_state(store, self.unit_id)
        if self.status is not None:
            status = Status(self.status)
        elif self.text == old_target:
            status = Status(old_status)
        else:
            status = status_after_edit(self.text, mt)
        store.set_target(self.unit_id, self.text, status)
        return SetTarget(self.unit_id, old_target, old_status)

    def describe(self) -> str:
        return f"unit {self.unit_id}: target set to {self.text[:60]!r}"


@dataclass(frozen=True)
class SetStatus(Command):
    unit_ids: tuple[int, ...]
    statuses: tuple[str, ...]
    label: ClassVar[str] = "set status"

    def scope(self, store: Store) -> tuple[set[int], set[int]]:
        return set(), set(self.unit_ids)

    def perform(self, store: Store) -> Command:
        old = tuple(_unit_state(store, uid)[2] for uid in self.unit_ids)
        now = utc_now()
        for uid, status in zip(self.unit_ids, self.statuses, strict=True):
            store.set_status(uid, Status(status), now=now)
        return SetStatus(self.unit_ids, old)

    def describe(self) -> str:
        return f"units {list(self.unit_ids)}: status {list(self.statuses)}"


@dataclass(frozen=True)
class Approve(Command):
    """Sign units off.  An empty target with a machine translation approves
    the MT as it stands (the translator read it and found it right)."""

    unit_ids: tuple[int, ...]
    label: ClassVar[str] = "approve"

    def scope(self, store: Store) -> tuple[set[int], set[int]]:
        return set(), set(self.unit_ids)

    def perform(self, store: Store) -> Command:
        inverses: list[Command] = []
        now = utc_now()
        for uid in self.unit_ids:
            old_target, mt, status = _unit_state(store, uid)
            target = old_target
            if not target.strip():
                if not (mt and mt.strip()):
                    raise BadInputError(f"unit {uid} has no translation to approve")
                target = mt
            store.set_target(uid, target, Status.APPROVED, now=now)
            inverses.append(SetTarget(uid, old_target, status))
        return Batch(tuple(reversed(inverses)), "unapprove")

    def describe(self) -> str:
        return f"approve units {list(self.unit_ids)}"


@dataclass(frozen=True)
class Batch(Command):
    """Several commands as one edit (one undo step)."""

    commands: tuple[Command, ...]
    name: str = "edits"

    @property
    def label(self) -> str:  # type: ignore[override]
        return self.name

    def scope(self, store: Store) -> tuple[set[int], set[int]]:
        segs: set[int] = set()
        units: set[int] = set()
        for command in self.commands:
            s, u = command.scope(store)
            segs |= s
            units |= u
        return segs, units

    def perform(self, store: Store) -> Command:
        inverses = [command.perform(store) for command in self.commands]
        return Batch(tuple(reversed(inverses)), f"undo {self.name}")

    def describe(self) -> str:
        return f"{self.name}: " + "; ".join(c.describe() for c in self.commands[:5]) + (
            f" (+{len(self.commands) - 5} more)" if len(self.commands) > 5 else "")


@dataclass(frozen=True)
class SetExcluded(Command):
    """Exclude segments from translation and export (or include them again)."""

    segment_ids: tuple[int, ...]
    values: tuple[bool, ...]
    label: ClassVar[str] = "exclude"

    @classmethod
    def all(cls, segment_ids: Sequence[int], excluded: bool = True) -> SetExcluded:
        return cls(tuple(segment_ids), tuple(excluded for _ in segment_ids))

    def scope(self, store: Store) -> tuple[set[int], set[int]]:
        return set(self.segment_ids), set()

    def perform(self, store: Store) -> Command:
        old = []
        for sid in self.segment_ids:
            excluded = store.segment_excluded(sid)
            if excluded is None:
                raise NotFoundError(f"no segment with id {sid}")
            old.append(excluded)
        store.set_excluded(self.segment_ids, self.values)
        return SetExcluded(self.segment_ids, tuple(old))

    def describe(self) -> str:
        return f"segments {list(self.segment_ids)}: excluded {list(self.values)}"


# -- segmentation edits -------------------------------------------------------

def _segment_row(store: Store, segment_id: int) -> tuple:
    row = store.segment_row(segment_id)
    if row is None:
        raise NotFoundError(f"no segment with id {segment_id}")
    return row


@dataclass(frozen=True)
class SplitSegment(Command):
    """Split a segment at ``offset`` (a character index into its text).

    A segment that is alone on its side of a unit takes a new unit with it;
    ``target_offset`` then splits the unit's target text too (the part after
    the cursor moves to the new unit).  A segment inside an n:m group stays in
    its unit."""

    segment_id: int
    offset: int
    target_offset: int | None = None
    label: ClassVar[str] = "split"

    def scope(self, store: Store) -> tuple[set[int], set[int]]:
        link = store.link_of(self.segment_id)
        return {self.segment_id}, ({link[0]} if link else set())

    def perform(self, store: Store) -> Command:
        sid, doc, seq, paragraph, kind, excluded, text = _segment_row(store, self.segment_id)
        left, right = text[:self.offset].rstrip(), text[self.offset:].lstrip()
        if not (0 < self.offset < len(text)) or not left or not right:
            raise BadInputError(
                f"cannot split segment {sid} at offset {self.offset}: both parts must hold text "
                f"(the segment has {len(text)} characters)")
        segs, units = self.scope(store)
        return structural(store, self.label, segs, units,
                          lambda: self._split(store, doc, seq, paragraph, kind, excluded, left, right))

    def _split(self, store, doc, seq, paragraph, kind, excluded, left, right):
        store.set_segment_text(self.segment_id, left)
        new_sid = store.insert_segment(doc, store.seq_after("segments", doc, seq), paragraph, kind, excluded,
                                       right)
        link = store.link_of(self.segment_id)
        if link is None:
            return [new_sid], []
        unit_id, side = link
        if store.unit_segment_count(unit_id, side) != 1:  # not alone on its side: stays in the unit
            store.link_segments([(new_sid, unit_id, side)])
            return [new_sid], []
        u_doc, u_tdoc, u_seq = store.unit_placement(unit_id)
        target, _mt, status = _unit_state(store, unit_id)
        first_target, second_target = target, ""
        if status == Status.MACHINE:
            # The target was the machine translation of the whole sentence: it
            # belongs to neither half.  Both start empty and the next
            # translation run fills them.
            target = first_target = ""
        if self.target_offset is not None and 0 <= self.target_offset <= len(target):
            first_target = target[:self.target_offset].rstrip()
            second_target = target[self.target_offset:].lstrip()
        now = utc_now()
        # The source changed, so an approval or an MT copy no longer holds.
        first_status = status_after_edit(first_target, None)
        second_status = status_after_edit(second_target, None)
        # The MT was of the whole sentence: stale for both halves.
        store.clear_machine_translation(unit_id)
        store.set_target(unit_id, first_target, first_status, now=now)
        new_uid = store.insert_unit(u_doc, u_tdoc, store.seq_after("units", u_doc, u_seq),
                                    target=second_target, status=second_status, now=now)
        store.link_segments([(new_sid, new_uid, side)])
        return [new_sid], [new_uid]

    def describe(self) -> str:
        return f"split segment {self.segment_id} at {self.offset}"


@dataclass(frozen=True)
class MergeSegments(Command):
    """Merge a segment with the one that follows it in the same document.

    Their units merge too: targets and machine translations are joined with
    a space; an approval does not survive (the unit changed)."""

    first_id: int
    second_id: int
    label: ClassVar[str] = "merge"

    def scope(self, store: Store) -> tuple[set[int], set[int]]:
        units = {link[0] for link in (store.link_of(self.first_id), store.link_of(self.second_id)) if link}
        return {self.first_id, self.second_id}, units

    def perform(self, store: Store) -> Command:
        if self.first_id == self.second_id:
            raise BadInputError(f"cannot merge segment {self.first_id} with itself")
        first = _segment_row(store, self.first_id)
        second = _segment_row(store, self.second_id)
        if first[1] != second[1]:
            raise BadInputError(f"segments {self.first_id} and {self.second_id} are in different documents")
        if first[2] > second[2]:
            first, second = second, first
        if store.segments_between(first[1], first[2], second[2]):
            raise BadInputError(f"segments {self.first_id} and {self.second_id} are not adjacent")
        link1, link2 = store.link_of(first[0]), store.link_of(second[0])
        if link1 and link2 and link1[1] != link2[1]:
            raise BadInputError("cannot merge a source segment with a target segment")
        segs, units = self.scope(store)
        return structural(store, self.label, segs, units,
                          lambda: self._merge(store, first, second, link1, link2))

    @staticmethod
    def _merge(store, first, second, link1, link2):
        store.set_segment_text(first[0], f"{first[6]} {second[6]}")
        store.delete_segments([second[0]])
        if link1 and link2 and link1[0] != link2[0]:
            merge_units_into(store, link1[0], link2[0])
        return [], []

    def describe(self) -> str:
        return f"merge segments {self.first_id} and {self.second_id}"


@dataclass(frozen=True)
class EditSegmentText(Command):
    """Correct the text of one sentence (an OCR slip, a typo) on either side
    of a unit; what the store derives from it follows:

    * a target sentence of an aligned link: the unit's target is its target
      sentences joined, so it becomes the new join, unless a person had
      post-edited the target (it then differs from the old join and stays);
    * a source sentence: the unit's source is read from its segments; its
      machine translation was of the old text and is dropped (a target that
      was only that MT, status machine, goes with it; the next translation
      run fills both).

    Status and confirmation stay: correcting a letter does not change which
    sentences a person checked belong together.  The inverse puts the rows
    back exactly (``RestoreRows``)."""

    segment_id: int
    text: str
    label: ClassVar[str] = "edit sentence"

    def scope(self, store: Store) -> tuple[set[int], set[int]]:
        link = store.link_of(self.segment_id)
        return {self.segment_id}, ({link[0]} if link else set())

    def perform(self, store: Store) -> Command:
        row = _segment_row(store, self.segment_id)
        text = self.text.strip()
        if not text:
            raise BadInputError(f"segment {self.segment_id} cannot be left empty (merge or exclude it instead)")
        if "\n" in text or "\r" in text:
            raise BadInputError(f"the text of segment {self.segment_id} must be one line: "
                                "split the segment to make two sentences")
        segs, units = self.scope(store)
        return structural(store, self.label, segs, units, lambda: self._change(store, row[6], text))

    def _change(self, store: Store, old_text: str, text: str):
        link = store.link_of(self.segment_id)
        if link is None or old_text == text:
            store.set_segment_text(self.segment_id, text)
            return [], []
        unit_id, side = link
        target, mt, status = _unit_state(store, unit_id)
        if side == "target":
            joined_before = " ".join(store.side_texts(unit_id, "target"))
            store.set_segment_text(self.segment_id, text)
            if target == joined_before:  # not post-edited: the target is its sentences
                store.set_target(unit_id, " ".join(store.side_texts(unit_id, "target")), Status(status))
            return [], []
        store.set_segment_text(self.segment_id, text)
        if mt is not None:
            store.clear_machine_translation(unit_id)
            if status == Status.MACHINE:
                store.set_target(unit_id, "", Status.NEW)
            else:
                store.rescore(unit_id)
        return [], []

    def describe(self) -> str:
        return f"segment {self.segment_id}: text set to {self.text[:60]!r}"


def _join(a: str | None, b: str | None) -> str | None:
    parts = [p.strip() for p in (a, b) if p and p.strip()]
    return " ".join(parts) if parts else None


def merge_units_into(store: Store, keep_id: int, drop_id: int) -> None:
    """Move every segment of ``drop_id`` into ``keep_id`` and delete it: the
    targets and machine translations are joined (see ``MergeSegments``).

    :param store: the store to change (the caller holds the transaction).
    :param keep_id: the unit that stays.
    :param drop_id: the unit that goes."""
    t1, mt1, st1 = _unit_state(store, keep_id)
    t2, mt2, st2 = _unit_state(store, drop_id)
    store.move_all_segments(drop_id, keep_id)
    target = _join(t1, t2) or ""
    mt = _join(mt1, mt2) if mt1 and mt2 else None
    if st1 == st2 == Status.MACHINE and mt is not None and target == mt:
        status = Status.MACHINE
    else:
        status = status_after_edit(target, None)
    store.set_mt_text(keep_id, mt)
    store.set_target(keep_id, target, status)  # rescores with the joined mt
    store.delete_units([drop_id])
