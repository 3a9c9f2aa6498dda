"""Read-only questions the Preview asks the store, answered in SQL.

The Preview reads a document a page of units at a time (the window fills it
while the event loop runs on): just what a reader sees of each unit, in one
join rather than ``Store.units``' subqueries per unit.  Qt free, like
``review_queries``.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from workbench.core.model import SegmentKind, Status
from workbench.core.store.connection import in_chunks
from workbench.core.store.database import Store


class PreviewRow(NamedTuple):
    """A unit as the Preview shows it (the same names as ``Unit``'s fields)."""
    id: int
    source: str            # its source segments' text joined with a space
    target: str
    mt: str | None
    status: Status
    paragraph: int         # of its first source segment
    kind: SegmentKind      # of its first source segment
    excluded: bool         # all its source segments are


def preview_rows(store: Store, unit_ids: Sequence[int]) -> list[PreviewRow]:
    """The units ``unit_ids`` as the Preview shows them, in the order given
    (ids of units that no longer exist are left out).

    Parameters:
        store: the open store.
        unit_ids: a page of a document's unit ids (any number; read 500 at a time)."""
    found: dict[int, list] = {}
    for chunk, marks in in_chunks(unit_ids):
        for uid, target, mt, status, text, paragraph, kind, excluded in store.conn.execute(
                f"""SELECT u.id, u.target, u.mt, u.status, s.text, s.paragraph, s.kind, s.excluded
                    FROM units u
                    LEFT JOIN unit_segments us ON us.unit_id = u.id AND us.side = 'source'
                    LEFT JOIN segments s ON s.id = us.segment_id
                    WHERE u.id IN ({marks})
                      AND u.document_id NOT IN (SELECT id FROM documents WHERE pending IS NOT NULL)
                    ORDER BY u.id, s.seq""", chunk):
            row = found.get(uid)
            if row is None:
                found[uid] = [uid, [text] if text is not None else [], target or "", mt, status,
                              paragraph or 0, kind or "body", excluded if excluded is not None else 0]
            elif text is not None:
                row[1].append(text)
                row[7] = min(row[7], excluded)
    return [PreviewRow(uid, " ".join(row[1]), row[2], row[3], Status(row[4]), row[5], SegmentKind(row[6]),
                       bool(row[7]))
            for uid in unit_ids if (row := found.get(uid)) is not None]
