"""The reads behind a corpus: which units an export writes, and the MT and
targets that post-edit scores compare.

A mixin of ``Store`` (``database.py``), which provides ``conn`` and
``read_connection()``; it imports nothing of the store so the store can
import it.
"""
from __future__ import annotations

import json

import sqlite3
from collections.abc import Callable, Collection, Iterator, Sequence

from workbench.core.model import Status, sql_list

# One row per (unit, segment), in unit order: one pass over the units index,
# no per-unit subqueries; excluded/boilerplate segments are filtered by the
# caller (``interchange.iter_export_units``).
_EXPORT_SQL = """
SELECT u.id, u.document_id, u.status, u.target, u.mt, u.mt_engine, u.mt_model, u.mt_version,
       u.created_at, u.updated_at, u.pe_chrf, u.tm_origin, u.tm_score, u.confidence, u.target_document_id,
       us.side, s.text, s.seq, s.excluded, s.kind
FROM units u
LEFT JOIN unit_segments us ON us.unit_id = u.id
LEFT JOIN segments s ON s.id = us.segment_id
WHERE {where}
ORDER BY u.document_id, u.seq, u.id
"""


def _export_where(document_ids: Collection[int], statuses: Collection[Status]) -> str:
    """The units an export takes: of these documents, with one of these
    statuses, with a target.  Ids are the store's own integers, written
    inline: a corpus of many documents must not run into SQLite's limit on
    bound parameters.  The unary ``+`` keeps the status off the index of
    statuses (``units_by_status``): read in status order, the units would then
    be sorted into document order, all 5,000,000 of them at corpus scale."""
    documents = ",".join(str(int(d)) for d in sorted(document_ids)) or "NULL"
    return f"u.document_id IN ({documents}) AND +u.status IN ({_in_list(statuses)}) AND u.target != ''"


def _in_list(statuses: Collection[Status | str]) -> str:
    return sql_list({Status(s) for s in statuses})


class CorpusQueries:
    """Export and scoring reads of ``Store``."""

    # Provided by Store.
    conn: sqlite3.Connection
    read_connection: Callable[[], sqlite3.Connection]

    def export_unit_count(self, document_ids: Collection[int], statuses: Collection[Status], *,
                          include_excluded: bool, exclude_unit_ids: Collection[int] = ()) -> int:
        """How many units ``export_rows`` yields once the caller has left out
        units with an excluded or boilerplate segment (unless ``include_excluded``)
        and the units of ``exclude_unit_ids``.

        :param document_ids: the documents exported.
        :param statuses: the statuses exported.
        :param include_excluded: count units with excluded or boilerplate segments too.
        :param exclude_unit_ids: units left out (e.g. with open QA errors)."""
        where = _export_where(document_ids, statuses)
        args: list = []
        if not include_excluded:
            where += (" AND NOT EXISTS (SELECT 1 FROM unit_segments x JOIN segments s ON s.id = x.segment_id"
                      " WHERE x.unit_id = u.id AND (s.excluded = 1 OR s.kind = 'boilerplate'))")
        if exclude_unit_ids:
            where += " AND u.id NOT IN (SELECT value FROM json_each(?))"
            args.append(json.dumps(sorted(exclude_unit_ids)))
        return self.conn.execute(f"SELECT count(*) FROM units u WHERE {where}", args).fetchone()[0]

    def export_rows(self, document_ids: Collection[int], statuses: Collection[Status]) -> Iterator[tuple]:
        """The units an export takes, one row per (unit, segment) in document
        and reading order: ``(unit id, document id, status, target, mt,
        mt_engine, mt_model, mt_version, created_at, updated_at, pe_chrf,
        tm_origin, tm_score, confidence, target_document_id, side, text, seq, excluded, kind)``;
        the segment columns are None for a unit without segments.

        Read through a connection of its own, closed when the iterator is
        (close it, or exhaust it), so a long export never holds this one.

        :param document_ids: the documents exported.
        :param statuses: the statuses exported."""
        conn = self.read_connection()
        try:
            yield from conn.execute(_EXPORT_SQL.format(where=_export_where(document_ids, statuses)))
        finally:
            conn.close()

    def mt_and_targets(self, document_ids: Sequence[int] | None,
                       statuses: Collection[Status]) -> Iterator[tuple[str, str]]:
        """``(mt, target)`` of the units with MT and one of ``statuses``, in
        document and reading order: what post-edit scores compare.

        :param document_ids: these documents; None for all.
        :param statuses: the statuses whose targets count."""
        where, args = f"+status IN ({_in_list(statuses)}) AND mt IS NOT NULL", []  # document order: see _export_where
        if document_ids is not None:
            where += f" AND document_id IN ({','.join('?' * len(document_ids))})"
            args += list(document_ids)
        return iter(self.conn.execute(
            f"SELECT mt, target FROM units WHERE {where} ORDER BY document_id, seq", args))
