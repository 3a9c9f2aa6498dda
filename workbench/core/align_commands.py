"""Alignment editing as command objects (undoable, written at once).

A link is a unit with source and target segments.  Every operation here is
structural: it returns ``RestoreRows`` with the exact rows it touched.  The
target text of a link is recomputed from its target segments after each
change (a human translation's text *is* its segments).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from .commands import Command, merge_units_into, rescore, structural
from .errors import BadInputError, NotFoundError

if TYPE_CHECKING:
    from .store import Store


def _unit_row(store: Store, unit_id: int) -> tuple[int, float]:
    row = store.conn.execute("SELECT document_id, seq FROM units WHERE id = ?", (unit_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no link (translation unit) with id {unit_id}")
    return row


def _neighbour(store: Store, unit_id: int, direction: int) -> int | None:
    row = store.conn.execute("SELECT document_id, seq FROM units WHERE id = ?", (unit_id,)).fetchone()
    if row is None:  # asked again for history after the unit was removed
        return None
    doc, seq = row
    op, order = (">", "ASC") if direction > 0 else ("<", "DESC")
    row = store.conn.execute(
        f"SELECT id FROM units WHERE document_id = ? AND (seq {op} ? OR (seq = ? AND id {op} ?))"
        f" ORDER BY seq {order}, id {order} LIMIT 1", (doc, seq, seq, unit_id)).fetchone()
    return row[0] if row else None


def _side_ids(store: Store, unit_id: int, side: str) -> list[int]:
    return [r[0] for r in store.conn.execute(
        "SELECT us.segment_id FROM unit_segments us JOIN segments s ON s.id = us.segment_id"
        " WHERE us.unit_id = ? AND us.side = ? ORDER BY s.seq", (unit_id, side))]


def _all_segment_ids(store: Store, unit_ids) -> set[int]:
    found: set[int] = set()
    for uid in unit_ids:
        if uid is not None:
            found.update(r[0] for r in store.conn.execute(
                "SELECT segment_id FROM unit_segments WHERE unit_id = ?", (uid,)))
    return found


def refresh_target(store: Store, unit_id: int) -> None:
    """Target text := the unit's target segments joined (aligned links only)."""
    texts = [r[0] for r in store.conn.execute(
        "SELECT s.text FROM unit_segments us JOIN segments s ON s.id = us.segment_id"
        " WHERE us.unit_id = ? AND us.side = 'target' ORDER BY s.seq", (unit_id,))]
    target = " ".join(texts)
    store.conn.execute(
        "UPDATE units SET target = ?, status = CASE WHEN ? = '' THEN 'new' ELSE 'edited' END,"
        " confirmed = 0 WHERE id = ?", (target, target, unit_id))
    rescore(store.conn, unit_id)


def _insert_unit_after(store: Store, unit_id: int) -> int:
    from .commands import _seq_after
    from .store import utc_now

    doc, seq = _unit_row(store, unit_id)
    tdoc = store.conn.execute("SELECT target_document_id FROM units WHERE id = ?", (unit_id,)).fetchone()[0]
    now = utc_now()
    return store.conn.execute(
        "INSERT INTO units (document_id, target_document_id, seq, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?)", (doc, tdoc, _seq_after(store, "units", doc, seq), now, now)).lastrowid


class _LinkCommand(Command):
    def _scope_units(self, store: Store) -> set[int]:  # pragma: no cover - abstract
        raise NotImplementedError

    def scope(self, store: Store) -> tuple[set[int], set[int]]:
        units = {u for u in self._scope_units(store) if u is not None}
        return _all_segment_ids(store, units), units

    def apply(self, store: Store) -> Command:
        segs, units = self.scope(store)
        return structural(store, self.label, segs, units, lambda: self._change(store))

    def _change(self, store: Store):  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass(frozen=True)
class MergeLinks(_LinkCommand):
    """Merge a link with the next one."""

    unit_id: int
    label: ClassVar[str] = "merge links"

    def _scope_units(self, store):
        return {self.unit_id, _neighbour(store, self.unit_id, +1)}

    def _change(self, store):
        following = _neighbour(store, self.unit_id, +1)
        if following is None:
            raise BadInputError(f"link {self.unit_id} is the last one: nothing to merge with")
        merge_units_into(store, self.unit_id, following)
        refresh_target(store, self.unit_id)
        return [], []

    def describe(self) -> str:
        return f"merge link {self.unit_id} with the next"


@dataclass(frozen=True)
class SplitLink(_LinkCommand):
    """Split a link: the first ``source_at`` source and ``target_at`` target
    segments stay, the rest move to a new link right after.  ``(1, 0)`` on a
    1:1 link inserts an empty counterpart (gives 1:0 and 0:1)."""

    unit_id: int
    source_at: int = 1
    target_at: int = 1
    label: ClassVar[str] = "split link"

    def _scope_units(self, store):
        return {self.unit_id}

    def _change(self, store):
        src, tgt = _side_ids(store, self.unit_id, "source"), _side_ids(store, self.unit_id, "target")
        if not (0 <= self.source_at <= len(src) and 0 <= self.target_at <= len(tgt)):
            raise BadInputError(f"link {self.unit_id} has {len(src)}:{len(tgt)} segments; cannot split at "
                                f"{self.source_at}:{self.target_at}")
        moving = src[self.source_at:] + tgt[self.target_at:]
        staying = src[:self.source_at] + tgt[:self.target_at]
        if not moving or not staying:
            raise BadInputError(f"splitting link {self.unit_id} at {self.source_at}:{self.target_at} "
                                "would leave an empty link")
        new_uid = _insert_unit_after(store, self.unit_id)
        store.conn.executemany("UPDATE unit_segments SET unit_id = ? WHERE segment_id = ?",
                               [(new_uid, s) for s in moving])
        store.conn.execute("UPDATE units SET mt = NULL, mt_engine = NULL, mt_model = NULL,"
                           " mt_version = NULL WHERE id = ?", (self.unit_id,))
        refresh_target(store, self.unit_id)
        refresh_target(store, new_uid)
        return [], [new_uid]

    def describe(self) -> str:
        return f"split link {self.unit_id} at {self.source_at}:{self.target_at}"


@dataclass(frozen=True)
class MoveSegment(_LinkCommand):
    """Move the first segment of a side up into the previous link
    (``direction=-1``) or the last segment down into the next (``+1``).
    A link left with no segment at all is removed."""

    unit_id: int
    side: str          # "source" | "target"
    direction: int     # -1 up, +1 down
    label: ClassVar[str] = "move sentence"

    def _scope_units(self, store):
        return {self.unit_id, _neighbour(store, self.unit_id, self.direction)}

    def _change(self, store):
        if self.side not in ("source", "target") or self.direction not in (-1, 1):
            raise BadInputError("side must be source or target, direction -1 or +1")
        other = _neighbour(store, self.unit_id, self.direction)
        if other is None:
            raise BadInputError(f"link {self.unit_id} has no {'previous' if self.direction < 0 else 'next'} link")
        ids = _side_ids(store, self.unit_id, self.side)
        if not ids:
            raise BadInputError(f"link {self.unit_id} has no {self.side} sentence to move")
        moved = ids[0] if self.direction < 0 else ids[-1]
        store.conn.execute("UPDATE unit_segments SET unit_id = ? WHERE segment_id = ?", (other, moved))
        left = store.conn.execute("SELECT count(*) FROM unit_segments WHERE unit_id = ?",
                                  (self.unit_id,)).fetchone()[0]
        if left == 0:
            store.conn.execute("DELETE FROM units WHERE id = ?", (self.unit_id,))
        else:
            refresh_target(store, self.unit_id)
        refresh_target(store, other)
        return [], []

    def describe(self) -> str:
        where = "up into the previous" if self.direction < 0 else "down into the next"
        return f"move {self.side} sentence of link {self.unit_id} {where} link"


@dataclass(frozen=True)
class ConfirmLinks(Command):
    """Mark links checked by a person.  A confirmed link of a human
    translation is an approved pair (export takes approved units)."""

    unit_ids: tuple[int, ...]
    confirmed: bool = True
    label: ClassVar[str] = "confirm links"

    def scope(self, store: Store) -> tuple[set[int], set[int]]:
        return set(), set(self.unit_ids)

    def apply(self, store: Store) -> Command:
        segs, units = self.scope(store)
        return structural(store, self.label, segs, units, lambda: self._change(store))

    def _change(self, store):
        for uid in self.unit_ids:
            _unit_row(store, uid)
            store.conn.execute(
                "UPDATE units SET confirmed = ?, status = CASE WHEN ? AND target != '' THEN 'approved'"
                " WHEN status = 'approved' THEN 'edited' ELSE status END WHERE id = ?",
                (int(self.confirmed), int(self.confirmed), uid))
        return [], []

    def describe(self) -> str:
        return f"{'confirm' if self.confirmed else 'unconfirm'} links {list(self.unit_ids)}"


@dataclass(frozen=True)
class RealignRange(_LinkCommand):
    """Re-run the aligner over the links ``first_unit_id`` .. ``last_unit_id``."""

    first_unit_id: int
    last_unit_id: int
    label: ClassVar[str] = "re-align"

    def _range(self, store) -> list[int]:
        doc, first_seq = _unit_row(store, self.first_unit_id)
        doc2, last_seq = _unit_row(store, self.last_unit_id)
        if doc != doc2:
            raise BadInputError("both links must be in the same document")
        lo, hi = sorted((first_seq, last_seq))
        return [r[0] for r in store.conn.execute(
            "SELECT id FROM units WHERE document_id = ? AND seq BETWEEN ? AND ? ORDER BY seq, id",
            (doc, lo, hi))]

    def _scope_units(self, store):
        return set(self._range(store))

    def _change(self, store):
        from .align import align

        units = self._range(store)
        src = [s for u in units for s in _side_ids(store, u, "source")]
        tgt = [s for u in units for s in _side_ids(store, u, "target")]
        seg = {r[0]: r[1:] for r in store.conn.execute(
            f"SELECT id, text, paragraph FROM segments WHERE id IN ({','.join(map(str, src + tgt)) or '0'})")}
        doc = store.document(_unit_row(store, units[0])[0])
        tdoc_id = store.conn.execute("SELECT target_document_id FROM units WHERE id = ?",
                                     (units[0],)).fetchone()[0]
        tgt_lang = store.document(tdoc_id).language if tdoc_id else (doc.target_language or "en")
        links = align([seg[s][0] for s in src], [seg[t][0] for t in tgt], doc.language, tgt_lang,
                      src_paragraphs=[seg[s][1] for s in src], tgt_paragraphs=[seg[t][1] for t in tgt])
        # Reuse the range's unit ids in order, create more if the new alignment has more links.
        store.conn.executemany("DELETE FROM unit_segments WHERE unit_id = ?", [(u,) for u in units])
        ids = list(units)
        created = []
        while len(ids) < len(links):
            new = _insert_unit_after(store, ids[-1])
            ids.append(new)
            created.append(new)
        for uid, link in zip(ids, links):
            store.conn.executemany(
                "INSERT INTO unit_segments (segment_id, unit_id, side) VALUES (?, ?, ?)",
                [(src[i], uid, "source") for i in link.src] + [(tgt[j], uid, "target") for j in link.tgt])
            store.conn.execute("UPDATE units SET confidence = ? WHERE id = ?", (link.confidence, uid))
            refresh_target(store, uid)
        store.conn.executemany("DELETE FROM units WHERE id = ?", [(u,) for u in ids[len(links):]])
        return [], created

    def describe(self) -> str:
        return f"re-align links {self.first_unit_id}..{self.last_unit_id}"
