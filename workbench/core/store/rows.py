"""The rows edits read and write: segments, units and the links between them.

``EditRows`` is a mixin of ``Store``: every SQL statement the edit commands
(``workbench.core.edits``) need is a named method here, so the commands keep
only their logic.  The methods neither open nor commit a transaction: a
command runs inside the one its caller holds (``Store.transaction()``).

``Snapshot`` holds rows exactly as stored (ids included); structural edits
keep one as their inverse, and the history keeps them as the rows before and
after each step.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from workbench.core.model import Status, sql_list
from workbench.core.store.clock import utc_now
from workbench.core.store.connection import in_chunks

# The columns of each table in the order a Snapshot stores them.
SEGMENT_COLUMNS = ("id", "document_id", "seq", "paragraph", "kind", "excluded", "text")
UNIT_COLUMNS = ("id", "document_id", "target_document_id", "seq", "target", "mt", "mt_engine",
                "mt_model", "mt_version", "status", "confirmed", "confidence", "created_at",
                "updated_at", "pe_chrf", "pe_ter")
LINK_COLUMNS = ("segment_id", "unit_id", "side")


@dataclass(frozen=True)
class Snapshot:
    """Rows as stored: tuples in ``SEGMENT_COLUMNS``, ``UNIT_COLUMNS`` and
    ``LINK_COLUMNS`` order."""

    segments: tuple[tuple, ...]
    units: tuple[tuple, ...]
    links: tuple[tuple, ...]

    def to_data(self) -> dict:
        """The rows as JSON-ready lists."""
        return {"segments": [list(r) for r in self.segments],
                "units": [list(r) for r in self.units],
                "links": [list(r) for r in self.links]}

    @classmethod
    def from_data(cls, data: dict) -> Snapshot:
        """A snapshot from ``to_data``'s output.

        :param data: ``{"segments": [...], "units": [...], "links": [...]}``."""
        return cls(*(tuple(tuple(r) for r in data[k]) for k in ("segments", "units", "links")))


def rescore(conn: sqlite3.Connection, unit_id: int) -> None:
    """Recompute a unit's stored post-edit scores from its mt and target.

    :param conn: the connection (inside the caller's transaction).
    :param unit_id: the unit; a missing one is left alone."""
    from workbench.core.scoring import unit_scores

    row = conn.execute("SELECT mt, target FROM units WHERE id = ?", (unit_id,)).fetchone()
    if row is None:
        return
    mt, target = row
    if mt is not None and mt == target and mt.strip():
        chrf, ter = 100.0, 0.0  # untouched MT: no need to ask sacrebleu
    else:
        scores = unit_scores(mt, target)
        chrf, ter = (scores.chrf, scores.ter) if scores else (None, None)
    conn.execute("UPDATE units SET pe_chrf = ?, pe_ter = ? WHERE id = ?", (chrf, ter, unit_id))


class EditRows:
    """Row operations of the edit commands (a mixin of ``Store``)."""

    conn: sqlite3.Connection

    # -- which document -------------------------------------------------------------
    def unit_document(self, unit_id: int) -> int | None:
        """The document a unit belongs to, or None when there is no such unit.

        :param unit_id: the unit."""
        row = self.conn.execute("SELECT document_id FROM units WHERE id = ?", (unit_id,)).fetchone()
        return row[0] if row else None

    def segment_document(self, segment_id: int) -> int | None:
        """The document a segment belongs to, or None when there is no such segment.

        :param segment_id: the segment."""
        row = self.conn.execute("SELECT document_id FROM segments WHERE id = ?", (segment_id,)).fetchone()
        return row[0] if row else None

    # -- snapshots of rows by id ----------------------------------------------------
    def _select_in(self, table: str, columns: Sequence[str], key: str, ids: Iterable[int]) -> list[tuple]:
        ids = sorted(ids)
        rows: list[tuple] = []
        for chunk, marks in in_chunks(ids):
            rows.extend(self.conn.execute(
                f"SELECT {', '.join(columns)} FROM {table} WHERE {key} IN ({marks})", chunk))
        return rows

    def snapshot_rows(self, segment_ids: Iterable[int], unit_ids: Iterable[int]) -> Snapshot:
        """The segments and units with these ids as stored, with every link
        that touches one of them (ids that no longer exist are left out).

        :param segment_ids: the segments to take.
        :param unit_ids: the units to take."""
        segment_ids, unit_ids = set(segment_ids), set(unit_ids)
        links = set(self._select_in("unit_segments", LINK_COLUMNS, "segment_id", segment_ids))
        links |= set(self._select_in("unit_segments", LINK_COLUMNS, "unit_id", unit_ids))
        return Snapshot(
            segments=tuple(self._select_in("segments", SEGMENT_COLUMNS, "id", segment_ids)),
            units=tuple(self._select_in("units", UNIT_COLUMNS, "id", unit_ids)),
            links=tuple(sorted(links)))

    def restore_rows(self, segment_ids: Iterable[int], unit_ids: Iterable[int], snapshot: Snapshot) -> None:
        """Make the rows with these ids exactly as in ``snapshot``: rows it
        lacks are deleted, the others written back with their ids, and the
        links of these rows become the snapshot's.

        :param segment_ids: the segments in scope (a superset of the snapshot's).
        :param unit_ids: the units in scope (a superset of the snapshot's).
        :param snapshot: the rows to put back (``snapshot_rows`` of the same ids)."""
        segment_ids, unit_ids = set(segment_ids), set(unit_ids)
        for key, ids in (("segment_id", segment_ids), ("unit_id", unit_ids)):
            for row_id in ids:
                self.conn.execute(f"DELETE FROM unit_segments WHERE {key} = ?", (row_id,))
        keep_segments = {r[0] for r in snapshot.segments}
        keep_units = {r[0] for r in snapshot.units}
        self.delete_segments(segment_ids - keep_segments)
        self.delete_units(unit_ids - keep_units)
        self._upsert("segments", SEGMENT_COLUMNS, snapshot.segments)
        self._upsert("units", UNIT_COLUMNS, snapshot.units)
        self.link_segments(snapshot.links)

    def _upsert(self, table: str, columns: Sequence[str], rows: Iterable[tuple]) -> None:
        names = ", ".join(columns)
        marks = ", ".join("?" * len(columns))
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns[1:])
        # An UPSERT, not INSERT OR REPLACE: REPLACE deletes first, which would
        # cascade to unit_segments.
        self.conn.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({marks}) ON CONFLICT(id) DO UPDATE SET {updates}",
            list(rows))

    # -- seq between rows -----------------------------------------------------------
    def seq_after(self, table: str, document_id: int, seq: float) -> float:
        """A sort key between ``seq`` and the next row's in the document (``seq
        + 1`` after the last row), so a new row goes right after the one at ``seq``.

        :param table: ``"segments"`` or ``"units"``.
        :param document_id: the document whose rows are ordered.
        :param seq: the sort key of the row to follow."""
        if table not in ("segments", "units"):
            raise ValueError(f"no seq in table {table!r}")
        row = self.conn.execute(f"SELECT min(seq) FROM {table} WHERE document_id = ? AND seq > ?",
                                (document_id, seq)).fetchone()
        return (seq + row[0]) / 2 if row[0] is not None else seq + 1

    # -- units ----------------------------------------------------------------------
    def unit_state(self, unit_id: int) -> tuple[str, str | None, str] | None:
        """``(target, mt, status)`` of a unit, or None when there is no such unit.

        :param unit_id: the unit."""
        return self.conn.execute("SELECT target, mt, status FROM units WHERE id = ?", (unit_id,)).fetchone()

    def unit_placement(self, unit_id: int) -> tuple[int, int | None, float] | None:
        """``(document_id, target_document_id, seq)`` of a unit, or None when
        there is no such unit.

        :param unit_id: the unit."""
        return self.conn.execute("SELECT document_id, target_document_id, seq FROM units WHERE id = ?",
                                 (unit_id,)).fetchone()

    def set_target(self, unit_id: int, target: str, status: Status, *, now: str | None = None) -> None:
        """Set a unit's target and status, stamp it changed and rescore it.

        :param unit_id: the unit.
        :param target: the new target text.
        :param status: the new status.
        :param now: the change time (default: now); one edit stamps all its rows alike."""
        self.conn.execute("UPDATE units SET target = ?, status = ?, updated_at = ? WHERE id = ?",
                          (target, str(status), now or utc_now(), unit_id))
        self.rescore(unit_id)

    def set_status(self, unit_id: int, status: Status, *, now: str | None = None) -> None:
        """Set a unit's status and stamp it changed (the target stays).

        :param unit_id: the unit.
        :param status: the new status.
        :param now: the change time (default: now)."""
        self.conn.execute("UPDATE units SET status = ?, updated_at = ? WHERE id = ?",
                          (str(status), now or utc_now(), unit_id))

    def set_mt_text(self, unit_id: int, mt: str | None) -> None:
        """Replace a unit's machine translation text (engine, model and
        version stay); the caller rescores.

        :param unit_id: the unit.
        :param mt: the text, None for none."""
        self.conn.execute("UPDATE units SET mt = ? WHERE id = ?", (mt, unit_id))

    def clear_machine_translation(self, unit_id: int) -> None:
        """Forget a unit's machine translation and where it came from; the
        caller rescores.

        :param unit_id: the unit."""
        self.conn.execute("UPDATE units SET mt = NULL, mt_engine = NULL, mt_model = NULL,"
                          " mt_version = NULL WHERE id = ?", (unit_id,))

    def set_linked_target(self, unit_id: int, target: str) -> None:
        """Give an aligned link a target made of its target sentences: status
        new when empty, else edited; unconfirmed; stamped changed (export
        writes it as the change date); rescored.

        :param unit_id: the unit.
        :param target: the text of its target segments."""
        status = Status.NEW if target == "" else Status.EDITED
        self.conn.execute("UPDATE units SET target = ?, status = ?, confirmed = 0, updated_at = ? WHERE id = ?",
                          (target, str(status), utc_now(), unit_id))
        self.rescore(unit_id)

    def set_confirmed(self, unit_id: int, confirmed: bool, *, now: str | None = None) -> None:
        """Mark a link checked by a person (or not), stamped changed: a
        confirmed link with a target is approved, an unconfirmed approved one
        falls back to edited.

        :param unit_id: the unit.
        :param confirmed: checked or not.
        :param now: the change time (default: now)."""
        self.conn.execute(
            f"UPDATE units SET confirmed = ?, status = CASE WHEN ? AND target != '' THEN '{Status.APPROVED}'"
            f" WHEN status = '{Status.APPROVED}' THEN '{Status.EDITED}' ELSE status END, updated_at = ?"
            " WHERE id = ?", (int(confirmed), int(confirmed), now or utc_now(), unit_id))

    def set_confidence(self, unit_id: int, confidence: float | None) -> None:
        """Store the aligner's confidence in a link.

        :param unit_id: the unit.
        :param confidence: the confidence, None for none."""
        self.conn.execute("UPDATE units SET confidence = ? WHERE id = ?", (confidence, unit_id))

    def rescore(self, unit_id: int) -> None:
        """Recompute a unit's stored post-edit scores (see ``rescore``).

        :param unit_id: the unit."""
        rescore(self.conn, unit_id)

    def insert_unit(self, document_id: int, target_document_id: int | None, seq: float, *,
                    target: str = "", status: Status = Status.NEW, now: str | None = None) -> int:
        """Add a unit without segments; returns its id.

        :param document_id: its document.
        :param target_document_id: the document its target segments come from (None: none).
        :param seq: its sort key (see ``seq_after``).
        :param target: its target text.
        :param status: its status.
        :param now: its creation time (default: now)."""
        now = now or utc_now()
        return self.conn.execute(
            "INSERT INTO units (document_id, target_document_id, seq, target, status, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (document_id, target_document_id, seq, target, str(status), now, now)).lastrowid

    def insert_unit_row(self, document_id: int, target_document_id: int | None, seq: float,
                        confidence: float | None, values: Mapping[str, object]) -> int:
        """Add a unit with the given column values; returns its id.

        :param document_id: its document.
        :param target_document_id: its translation document.
        :param seq: its sort key.
        :param confidence: the aligner's confidence in it.
        :param values: more columns of ``UNIT_COLUMNS`` (target, status, times...)."""
        columns = list(values)
        unknown = set(columns) - set(UNIT_COLUMNS[4:])
        if unknown:
            raise ValueError(f"not unit columns: {sorted(unknown)}")
        return self.conn.execute(
            f"INSERT INTO units (document_id, target_document_id, seq, confidence, {', '.join(columns)})"
            f" VALUES (?, ?, ?, ?, {', '.join('?' * len(columns))})",
            (document_id, target_document_id, seq, confidence, *values.values())).lastrowid

    def delete_units(self, unit_ids: Iterable[int]) -> None:
        """Delete units (their links go with them).

        :param unit_ids: the units."""
        self.conn.executemany("DELETE FROM units WHERE id = ?", [(i,) for i in unit_ids])

    def delete_document_units(self, document_id: int) -> None:
        """Delete every unit of a document (their links go with them).

        :param document_id: the document."""
        self.conn.execute("DELETE FROM units WHERE document_id = ?", (document_id,))

    def unit_ids_between(self, document_id: int, low_seq: float, high_seq: float) -> list[int]:
        """The units of a document from ``low_seq`` to ``high_seq`` (both
        included), in reading order.

        :param document_id: the document.
        :param low_seq: the first sort key.
        :param high_seq: the last sort key."""
        return [r[0] for r in self.conn.execute(
            "SELECT id FROM units WHERE document_id = ? AND seq BETWEEN ? AND ? ORDER BY seq, id",
            (document_id, low_seq, high_seq))]

    def neighbour_unit(self, unit_id: int, direction: int) -> int | None:
        """The unit right after (``direction`` > 0) or before (< 0) a unit in
        reading order; None at either end or when the unit is gone.

        :param unit_id: the unit.
        :param direction: +1 next, -1 previous."""
        row = self.conn.execute("SELECT document_id, seq FROM units WHERE id = ?", (unit_id,)).fetchone()
        if row is None:  # asked again for history after the unit was removed
            return None
        doc, seq = row
        op, order = (">", "ASC") if direction > 0 else ("<", "DESC")
        row = self.conn.execute(
            f"SELECT id FROM units WHERE document_id = ? AND (seq {op} ? OR (seq = ? AND id {op} ?))"
            f" ORDER BY seq {order}, id {order} LIMIT 1", (doc, seq, seq, unit_id)).fetchone()
        return row[0] if row else None

    def unit_columns(self, document_id: int, columns: Sequence[str]) -> list[tuple]:
        """``(id, *columns)`` of every unit of a document, in reading order.

        :param document_id: the document.
        :param columns: names from ``UNIT_COLUMNS``."""
        unknown = set(columns) - set(UNIT_COLUMNS)
        if unknown:
            raise ValueError(f"not unit columns: {sorted(unknown)}")
        return self.conn.execute(
            f"SELECT id, {', '.join(columns)} FROM units WHERE document_id = ? ORDER BY seq, id",
            (document_id,)).fetchall()

    def post_edit_candidates(self, document_id: int) -> list[tuple[int, str, str, str | None]]:
        """``(unit id, status, target, its target segments' text)`` of every
        unit of a document with a person's status (edited or approved), in
        reading order.

        :param document_id: the document."""
        return self.conn.execute(f"""
            SELECT u.id, u.status, u.target,
                   (SELECT group_concat(text, ' ') FROM (
                        SELECT s.text FROM unit_segments us JOIN segments s ON s.id = us.segment_id
                        WHERE us.unit_id = u.id AND us.side = 'target' ORDER BY s.seq))
            FROM units u WHERE u.document_id = ? AND u.status IN ({sql_list(Status.BY_PERSON)})
            ORDER BY u.seq, u.id""", (document_id,)).fetchall()

    # -- segments -------------------------------------------------------------------
    def segment_row(self, segment_id: int) -> tuple | None:
        """A segment as stored (``SEGMENT_COLUMNS``), or None when there is none.

        :param segment_id: the segment."""
        return self.conn.execute(f"SELECT {', '.join(SEGMENT_COLUMNS)} FROM segments WHERE id = ?",
                                 (segment_id,)).fetchone()

    def segment_excluded(self, segment_id: int) -> bool | None:
        """Whether a segment is excluded, or None when there is no such segment.

        :param segment_id: the segment."""
        row = self.conn.execute("SELECT excluded FROM segments WHERE id = ?", (segment_id,)).fetchone()
        return bool(row[0]) if row else None

    def set_excluded(self, segment_ids: Sequence[int], values: Sequence[bool]) -> None:
        """Exclude segments or include them again.

        :param segment_ids: the segments.
        :param values: excluded or not, one per segment."""
        self.conn.executemany("UPDATE segments SET excluded = ? WHERE id = ?",
                              [(int(v), sid) for sid, v in zip(segment_ids, values, strict=True)])

    def set_segment_text(self, segment_id: int, text: str) -> None:
        """Replace a segment's text.

        :param segment_id: the segment.
        :param text: the new text."""
        self.conn.execute("UPDATE segments SET text = ? WHERE id = ?", (text, segment_id))

    def insert_segment(self, document_id: int, seq: float, paragraph: int, kind: str, excluded: bool,
                       text: str) -> int:
        """Add a segment; returns its id.

        :param document_id: its document.
        :param seq: its sort key (see ``seq_after``).
        :param paragraph: its paragraph index.
        :param kind: its kind (``SegmentKind`` value).
        :param excluded: excluded from translation and export.
        :param text: its text."""
        return self.conn.execute(
            "INSERT INTO segments (document_id, seq, paragraph, kind, excluded, text) VALUES (?, ?, ?, ?, ?, ?)",
            (document_id, seq, paragraph, kind, excluded, text)).lastrowid

    def delete_segments(self, segment_ids: Iterable[int]) -> None:
        """Delete segments (their links go with them).

        :param segment_ids: the segments."""
        self.conn.executemany("DELETE FROM segments WHERE id = ?", [(i,) for i in segment_ids])

    def segments_between(self, document_id: int, low_seq: float, high_seq: float) -> int:
        """How many segments of a document lie strictly between two sort keys.

        :param document_id: the document.
        :param low_seq: the lower sort key.
        :param high_seq: the higher sort key."""
        return self.conn.execute(
            "SELECT count(*) FROM segments WHERE document_id = ? AND seq > ? AND seq < ?",
            (document_id, low_seq, high_seq)).fetchone()[0]

    def document_segment_ids(self, document_id: int) -> list[int]:
        """The ids of a document's segments (pending documents included), by id.

        :param document_id: the document."""
        return [r[0] for r in self.conn.execute(
            "SELECT id FROM segments WHERE document_id = ? ORDER BY id", (document_id,))]

    def document_segment_texts(self, document_id: int) -> dict[int, str]:
        """Segment id -> text for every segment of a document.

        :param document_id: the document."""
        return dict(self.conn.execute("SELECT id, text FROM segments WHERE document_id = ?", (document_id,)))

    def segment_texts_and_paragraphs(self, segment_ids: Iterable[int]) -> dict[int, tuple[str, int]]:
        """Segment id -> ``(text, paragraph)`` (ids that do not exist are absent).

        :param segment_ids: the segments."""
        return {r[0]: r[1:] for r in self._select_in("segments", ("id", "text", "paragraph"), "id", segment_ids)}

    # -- links between segments and units ----------------------------------------------
    def link_of(self, segment_id: int) -> tuple[int, str] | None:
        """``(unit id, side)`` of the unit that holds a segment, or None.

        :param segment_id: the segment."""
        return self.conn.execute("SELECT unit_id, side FROM unit_segments WHERE segment_id = ?",
                                 (segment_id,)).fetchone()

    def side_segment_ids(self, unit_id: int, side: str) -> list[int]:
        """The segments on one side of a unit, in reading order.

        :param unit_id: the unit.
        :param side: ``"source"`` or ``"target"``."""
        return [r[0] for r in self.conn.execute(
            "SELECT us.segment_id FROM unit_segments us JOIN segments s ON s.id = us.segment_id"
            " WHERE us.unit_id = ? AND us.side = ? ORDER BY s.seq", (unit_id, side))]

    def side_texts(self, unit_id: int, side: str) -> list[str]:
        """The texts of the segments on one side of a unit, in reading order.

        :param unit_id: the unit.
        :param side: ``"source"`` or ``"target"``."""
        return [r[0] for r in self.conn.execute(
            "SELECT s.text FROM unit_segments us JOIN segments s ON s.id = us.segment_id"
            " WHERE us.unit_id = ? AND us.side = ? ORDER BY s.seq", (unit_id, side))]

    def linked_segment_ids(self, unit_ids: Iterable[int]) -> set[int]:
        """Every segment (either side) linked to one of the units.

        :param unit_ids: the units."""
        found: set[int] = set()
        for unit_id in unit_ids:
            found.update(r[0] for r in self.conn.execute(
                "SELECT segment_id FROM unit_segments WHERE unit_id = ?", (unit_id,)))
        return found

    def unit_segment_count(self, unit_id: int, side: str | None = None) -> int:
        """How many segments a unit holds (on one side, or on both).

        :param unit_id: the unit.
        :param side: ``"source"``, ``"target"`` or None for both."""
        if side is None:
            return self.conn.execute("SELECT count(*) FROM unit_segments WHERE unit_id = ?",
                                     (unit_id,)).fetchone()[0]
        return self.conn.execute("SELECT count(*) FROM unit_segments WHERE unit_id = ? AND side = ?",
                                 (unit_id, side)).fetchone()[0]

    def linked_segments_with_text(self, document_id: int) -> list[tuple[int, str, int, str]]:
        """``(unit id, side, segment id, text)`` of every link of a document's
        units, in the segments' reading order.

        :param document_id: the document that holds the units."""
        return self.conn.execute(
            "SELECT us.unit_id, us.side, us.segment_id, s.text FROM units u"
            " JOIN unit_segments us ON us.unit_id = u.id JOIN segments s ON s.id = us.segment_id"
            " WHERE u.document_id = ? ORDER BY s.seq", (document_id,)).fetchall()

    def unit_document_holding(self, segment_document_id: int, other_than: int) -> int | None:
        """A document other than ``other_than`` whose units hold segments of
        ``segment_document_id``, or None.

        :param segment_document_id: the document whose segments are asked about.
        :param other_than: the document allowed to hold them."""
        row = self.conn.execute(
            "SELECT u.document_id FROM segments s JOIN unit_segments us ON us.segment_id = s.id"
            " JOIN units u ON u.id = us.unit_id WHERE s.document_id = ? AND u.document_id != ? LIMIT 1",
            (segment_document_id, other_than)).fetchone()
        return row[0] if row else None

    def link_segments(self, links: Iterable[tuple[int, int, str]]) -> None:
        """Put segments in units.

        :param links: ``(segment id, unit id, side)`` each."""
        self.conn.executemany("INSERT INTO unit_segments (segment_id, unit_id, side) VALUES (?, ?, ?)",
                              list(links))

    def move_segments_to(self, unit_id: int, segment_ids: Iterable[int]) -> None:
        """Move segments into another unit (on the side they were on).

        :param unit_id: the unit that takes them.
        :param segment_ids: the segments."""
        self.conn.executemany("UPDATE unit_segments SET unit_id = ? WHERE segment_id = ?",
                              [(unit_id, s) for s in segment_ids])

    def move_all_segments(self, from_unit_id: int, to_unit_id: int) -> None:
        """Move every segment of a unit into another (on the side they were on).

        :param from_unit_id: the unit left empty.
        :param to_unit_id: the unit that takes them."""
        self.conn.execute("UPDATE unit_segments SET unit_id = ? WHERE unit_id = ?", (to_unit_id, from_unit_id))

    def unlink_units(self, unit_ids: Iterable[int]) -> None:
        """Take every segment out of these units (the units stay).

        :param unit_ids: the units."""
        self.conn.executemany("DELETE FROM unit_segments WHERE unit_id = ?", [(u,) for u in unit_ids])
