"""Whole documents written in bulk: many documents, their segments and 1:0
units in one transaction with ``executemany`` (ids allocated up front).

For corpus-scale loads (benchmarks, a migration from another tool) where the
per-document path (``add_document`` + ``add_segments``) would cost a
transaction per document.  The translation memory's triggers run as for any
other write, so approved units are searchable at once.

A mixin of ``Store`` (``database.py``), which provides ``conn`` and
``transaction()``; it imports nothing of the store so the store can import it.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass

from workbench.core.store.clock import utc_now


@dataclass(frozen=True)
class BulkUnit:
    """One segment with its own 1:0 unit, as post-editing keeps an article."""
    text: str
    paragraph: int = 0
    kind: str = "body"
    status: str = "new"
    target: str = ""
    mt: str | None = None
    mt_model: str | None = None
    mt_version: str | None = None


@dataclass(frozen=True)
class BulkDocument:
    """A document and its units, for ``Store.add_documents_bulk``."""
    title: str
    language: str
    target_language: str | None
    checksum: str
    units: Sequence[BulkUnit]
    source_path: str | None = None
    date: str | None = None


class BulkRows:
    """Bulk writes of ``Store``."""

    # Provided by Store.
    conn: sqlite3.Connection
    transaction: Callable[[], AbstractContextManager[sqlite3.Connection]]

    def add_documents_bulk(self, documents: Iterable[BulkDocument]) -> list[int]:
        """Insert documents with their segments and 1:0 units, all in one transaction.

        :param documents: the documents (their checksums must be new, as for ``add_document``).
        Returns the documents' ids, in order."""
        now = utc_now()
        with self.transaction() as conn:
            def next_id(table: str) -> int:
                return conn.execute(
                    "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?), 0),"
                    f" coalesce((SELECT max(id) FROM {table}), 0)) + 1", (table,)).fetchone()[0]

            doc_id, segment_id, unit_id = next_id("documents"), next_id("segments"), next_id("units")
            docs, segments, units, links, ids = [], [], [], [], []
            for document in documents:
                docs.append((doc_id, document.title, document.language, document.target_language,
                             document.source_path, document.checksum, document.date, now))
                ids.append(doc_id)
                for n, unit in enumerate(document.units):
                    segments.append((segment_id, doc_id, n + 1, unit.paragraph, unit.kind, unit.text))
                    units.append((unit_id, doc_id, n + 1, unit.target, unit.mt,
                                  "argos" if unit.mt is not None else None, unit.mt_model, unit.mt_version,
                                  unit.status, now, now))
                    links.append((segment_id, unit_id))
                    segment_id += 1
                    unit_id += 1
                doc_id += 1
            conn.executemany("INSERT INTO documents (id, title, language, target_language, source_path, checksum,"
                             " date, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", docs)
            conn.executemany("INSERT INTO segments (id, document_id, seq, paragraph, kind, text)"
                             " VALUES (?, ?, ?, ?, ?, ?)", segments)
            conn.executemany("INSERT INTO units (id, document_id, seq, target, mt, mt_engine, mt_model, mt_version,"
                             " status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", units)
            conn.executemany("INSERT INTO unit_segments (segment_id, unit_id, side) VALUES (?, ?, 'source')", links)
        return ids
