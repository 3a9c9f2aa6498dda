"""The translation memory's SQL, as a ``Store`` mixin (tables: migration 5,
``workbench.core.memory.schema``)."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from workbench.core.model import Status, sql_list

if TYPE_CHECKING:  # pragma: no cover
    pass

ENTRY_COLUMNS = ("e.id, e.unit_id, e.document_id, e.memory_id, e.source_lang, e.target_lang, e.source,"
                 " e.target, e.status, e.changed, e.context")


# (database, column, term, cap, floor) -> count: see MemoryRows.tm_term_counts.
_TERM_COUNTS: dict[tuple[str, str, str, int, int], int] = {}
_FTS_DEFAULT_BUFFER = 1024 * 1024       # FTS5's own default
_BULK_FTS_BUFFER = 64 * 1024 * 1024     # while one import's pairs go in


def _fts_buffer(conn: sqlite3.Connection, size: int) -> bool:
    """Set how much FTS5 keeps in memory before writing an index segment
    (its 'hashsize' option); False when this SQLite does not have it."""
    try:
        conn.execute("INSERT INTO tm_fts (tm_fts, rank) VALUES ('hashsize', ?)", (size,))
    except sqlite3.Error:
        return False
    return True


class MemoryRows:
    """Reads and writes of ``tm_entries``, ``tm_memories`` and ``tm_settings``."""

    conn: sqlite3.Connection

    # -- lookups ------------------------------------------------------------
    def tm_term_counts(self, terms: Sequence[str], column: str, *, cap: int, floor: int = 0) -> dict[str, int]:
        """How many memory entries hold each term in a column: counted up to
        ``cap``; above, estimated from its share of the newest ``cap`` entries.

        Counting reads the term's FTS5 posting list, so an exact count of a
        word like "the" in a million entries reads a million postings (~0.1-1 s);
        stopping at ``cap`` bounds every count (~1 us a posting).  Counts are
        cached for the process, per database file (up to 200,000; the window
        opens a Store per lookup): they only choose which terms a lookup asks
        the index for, so a slightly old count is harmless.

        Parameters:
            terms: folded word tokens.
            column: 'source' or 'target'.
            cap: count no further than this.
            floor: count only entries with a larger id (those the word index does not cover)."""
        cache = _TERM_COUNTS
        database = str(getattr(self, "path", id(self)))
        found: dict[str, int] = {}
        for term in terms:
            key = (database, column, term, cap, floor)
            count = cache.get(key)
            if count is None:
                match = f'{{{column}}} : "' + term.replace('"', '""') + '"'
                count = self.conn.execute(
                    "SELECT count(*) FROM (SELECT 1 FROM tm_fts WHERE tm_fts MATCH ? AND rowid > ? LIMIT ?)",
                    (match, floor, cap)).fetchone()[0]
                if count >= cap:
                    # Common: estimated from the newest ``cap`` entries (FTS5 seeks
                    # to a rowid), so reading stays bounded by ``cap`` postings.
                    newest = self.tm_entry_count_estimate()
                    sample = self.conn.execute(
                        "SELECT count(*) FROM tm_fts WHERE tm_fts MATCH ? AND rowid > ?",
                        (match, max(floor, newest - cap))).fetchone()[0]
                    count = max(cap, round(sample * newest / cap))
                # A term no entry holds yet is not remembered: it would keep the
                # next approval holding it from being found (and costs nothing to count).
                if count:
                    if len(cache) > 200_000:
                        cache.clear()
                    cache[key] = count
            found[term] = count
        return found

    def tm_weighted_hits(self, weights: dict[str, float], column: str, *, limit: int,
                         floor: int = 0) -> list[int]:
        """Ids of the entries with the largest sum of term weights over the terms
        they hold in a column (the terms' FTS5 posting lists merged by SQLite).

        Parameters:
            weights: term -> weight (e.g. its idf).
            column: 'source' or 'target'.
            limit: at most this many ids, heaviest first.
            floor: only entries with a larger id."""
        if not weights:
            return []
        parts, args = [], []
        for term, weight in weights.items():
            parts.append("SELECT rowid AS id, ? AS w FROM tm_fts WHERE tm_fts MATCH ? AND rowid > ?")
            args += [weight, f'{{{column}}} : "' + term.replace('"', '""') + '"', floor]
        sql = (f"SELECT id FROM ({' UNION ALL '.join(parts)}) GROUP BY id ORDER BY sum(w) DESC, id DESC"
               " LIMIT ?")
        return [r[0] for r in self.conn.execute(sql, (*args, limit))]

    def tm_all_terms_hits(self, terms: Sequence[str], column: str, *, limit: int,
                          lengths: tuple[int, int] | None = None, scan: int = 1000, floor: int = 0) -> list[int]:
        """Ids of entries holding every one of ``terms`` in a column, in the
        index's order (FTS5 intersects the posting lists, skipping through them
        by their index).

        Parameters:
            terms: word tokens.
            column: 'source' or 'target'.
            limit: at most this many ids.
            lengths: only entries whose text in ``column`` has from ... to characters.
            scan: with ``lengths``, look at no more than this many entries of the intersection.
            floor: only entries with a larger id."""
        if not terms or column not in ("source", "target"):
            return []
        match = f"{{{column}}} : (" + " AND ".join('"' + t.replace('"', '""') + '"' for t in terms) + ")"
        if lengths is None:
            return [r[0] for r in self.conn.execute(
                "SELECT rowid FROM tm_fts WHERE tm_fts MATCH ? AND rowid > ? LIMIT ?", (match, floor, limit))]
        # The first ``scan`` entries of the intersection are looked at, at most: the
        # length is read from the entry's row (a few us each).
        return [r[0] for r in self.conn.execute(
            f"SELECT f.id FROM (SELECT rowid AS id FROM tm_fts WHERE tm_fts MATCH ? AND rowid > ? LIMIT ?) f"
            f" JOIN tm_entries e ON e.id = f.id WHERE length(e.{column}) BETWEEN ? AND ? LIMIT ?",
            (match, floor, scan, *lengths, limit))]

    def tm_entries_by_ids(self, entry_ids: Sequence[int]) -> list[tuple]:
        """Memory entries by id (``ENTRY_COLUMNS``), in the order given.

        Parameters:
            entry_ids: ids of ``tm_entries``."""
        if not entry_ids:
            return []
        marks = ",".join("?" * len(entry_ids))
        rows = {r[0]: r for r in self.conn.execute(
            f"SELECT {ENTRY_COLUMNS} FROM tm_entries e WHERE e.id IN ({marks})", list(entry_ids))}
        return [rows[i] for i in entry_ids if i in rows]

    def tm_has_pair(self, source_lang: str, target_lang: str) -> bool:
        """Whether the memory holds any entry stored as this language pair.

        Parameters:
            source_lang, target_lang: ISO 639-1 codes."""
        return self.conn.execute("SELECT 1 FROM tm_entries WHERE source_lang = ? AND target_lang = ? LIMIT 1",
                                 (source_lang, target_lang)).fetchone() is not None

    def tm_candidates(self, match: str, *, limit: int) -> list[tuple]:
        """Memory entries an FTS5 query finds, best BM25 rank first.

        Parameters:
            match: an FTS5 MATCH expression over ``tm_fts``.
            limit: at most this many rows."""
        return self.conn.execute(
            f"SELECT {ENTRY_COLUMNS} FROM (SELECT rowid AS id FROM tm_fts WHERE tm_fts MATCH ?"
            " ORDER BY rank LIMIT ?) hit JOIN tm_entries e ON e.id = hit.id", (match, limit)).fetchall()

    def tm_entry_count_estimate(self) -> int:
        """The number of memory entries, cheaply (the largest id; exact enough for idf)."""
        return self.conn.execute("SELECT coalesce(max(id), 0) FROM tm_entries").fetchone()[0]

    def tm_entry_count(self) -> int:
        """Rows in the memory (database units and imported pairs)."""
        return self.conn.execute("SELECT count(*) FROM tm_entries").fetchone()[0]

    def tm_pending_documents(self, document_ids: Iterable[int]) -> set[int]:
        """Which of these documents are still being imported (invisible).

        Parameters:
            document_ids: ids to check."""
        ids = sorted({d for d in document_ids if d is not None})
        if not ids:
            return set()
        marks = ",".join("?" * len(ids))
        return {r[0] for r in self.conn.execute(
            f"SELECT id FROM documents WHERE id IN ({marks}) AND pending IS NOT NULL", ids)}

    def tm_document_titles(self, document_ids: Iterable[int]) -> dict[int, str]:
        """Titles of documents by id.

        Parameters:
            document_ids: ids wanted."""
        ids = sorted({d for d in document_ids if d is not None})
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        return dict(self.conn.execute(f"SELECT id, title FROM documents WHERE id IN ({marks})", ids))

    def tm_memory_names(self, memory_ids: Iterable[int]) -> dict[int, str]:
        """Names of imported memories by id.

        Parameters:
            memory_ids: ids wanted."""
        ids = sorted({m for m in memory_ids if m is not None})
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        return dict(self.conn.execute(f"SELECT id, name FROM tm_memories WHERE id IN ({marks})", ids))

    def tm_previous_source(self, unit_id: int) -> str | None:
        """The source text of the unit before this one in its document (None for the first).

        Parameters:
            unit_id: a unit of the database."""
        row = self.conn.execute(
            "SELECT p.id FROM units u JOIN units p ON p.document_id = u.document_id AND p.seq < u.seq"
            " WHERE u.id = ? ORDER BY p.seq DESC LIMIT 1", (unit_id,)).fetchone()
        if row is None:
            return None
        return self.unit_sources([row[0]]).get(row[0])  # type: ignore[attr-defined]

    def tm_document_languages(self, document_id: int) -> tuple[str, str | None]:
        """(language, target language) of a document.

        Parameters:
            document_id: the document."""
        row = self.conn.execute("SELECT language, target_language FROM documents WHERE id = ?",
                                (document_id,)).fetchone()
        if row is None:
            from workbench.core.errors import NotFoundError

            raise NotFoundError(f"no document with id {document_id}")
        return row[0], row[1]

    # -- imported memories ----------------------------------------------------
    def tm_language_pairs(self) -> set[tuple[str, str]]:
        """The language pairs the database works in: of its documents that have a
        target language (a translation's language first) and of its imported memories."""
        rows = self.conn.execute(
            "SELECT d.language, coalesce((SELECT t.language FROM units u JOIN documents t"
            " ON t.id = u.target_document_id WHERE u.document_id = d.id AND u.target_document_id IS NOT NULL"
            " LIMIT 1), d.target_language) FROM documents d WHERE d.pending IS NULL"
            " UNION SELECT source_lang, target_lang FROM tm_memories").fetchall()
        return {(a, b) for a, b in rows if a and b}

    def tm_memories(self) -> list[tuple]:
        """(name, source_lang, target_lang, entries, path, imported_at) per imported memory."""
        return self.conn.execute(
            "SELECT m.name, m.source_lang, m.target_lang, (SELECT count(*) FROM tm_entries e"
            " WHERE e.memory_id = m.id), m.path, m.imported_at FROM tm_memories m ORDER BY m.name").fetchall()

    def tm_memory_exists(self, name: str) -> bool:
        """Whether an imported memory has this name.

        Parameters:
            name: the memory's name."""
        return self.conn.execute("SELECT 1 FROM tm_memories WHERE name = ?", (name,)).fetchone() is not None

    def tm_add_memory(self, *, name: str, source_lang: str, target_lang: str, path: str | None,
                      fmt: str | None, rows: Iterable[tuple[str, str, str | None, str | None]],
                      imported_at: str) -> int:
        """Add an imported memory and its pairs in one transaction; returns the pair count.

        Parameters:
            name: unique name of the memory.
            source_lang, target_lang: the file's language pair.
            path: where it came from; fmt: its format.
            rows: (source, target, changed, context) per pair.
            imported_at: ISO 8601 UTC."""
        with self.transaction() as conn:  # type: ignore[attr-defined]
            memory_id = conn.execute(
                "INSERT INTO tm_memories (name, source_lang, target_lang, path, format, imported_at)"
                " VALUES (?, ?, ?, ?, ?, ?)", (name, source_lang, target_lang, path, fmt, imported_at)).lastrowid
            # Bulk: the pairs go to a temporary table first, then into tm_entries
            # in ONE statement, with FTS5 allowed a large in-memory buffer meanwhile.
            # Row by row, FTS5 writes its buffer out at every statement (a tiny
            # index segment per pair, merged again and again): 1,000,000 pairs
            # took 5 min that way; see docs/translation_memory.md for the figures.
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS tm_import_stage"
                         " (source TEXT NOT NULL, target TEXT NOT NULL, changed TEXT, context TEXT)")
            conn.execute("DELETE FROM temp.tm_import_stage")
            conn.executemany("INSERT INTO temp.tm_import_stage VALUES (?, ?, ?, ?)", rows)
            big_buffer = _fts_buffer(conn, _BULK_FTS_BUFFER)
            try:
                conn.execute(
                    "INSERT INTO tm_entries (memory_id, source_lang, target_lang, source, target, status, changed,"
                    " context) SELECT ?, ?, ?, source, target, 'approved', changed, context"
                    " FROM temp.tm_import_stage ORDER BY rowid", (memory_id, source_lang, target_lang))
            finally:
                if big_buffer:
                    _fts_buffer(conn, _FTS_DEFAULT_BUFFER)
                conn.execute("DELETE FROM temp.tm_import_stage")
            return conn.execute("SELECT count(*) FROM tm_entries WHERE memory_id = ?", (memory_id,)).fetchone()[0]

    def tm_remove_memory(self, name: str) -> int:
        """Remove an imported memory; returns how many pairs went with it.

        Parameters:
            name: the memory's name."""
        with self.transaction() as conn:  # type: ignore[attr-defined]
            row = conn.execute("SELECT id FROM tm_memories WHERE name = ?", (name,)).fetchone()
            if row is None:
                from workbench.core.errors import NotFoundError

                raise NotFoundError(f"no memory named {name!r} (see 'workbench tm list')")
            count = conn.execute("SELECT count(*) FROM tm_entries WHERE memory_id = ?", (row[0],)).fetchone()[0]
            conn.execute("DELETE FROM tm_entries WHERE memory_id = ?", (row[0],))
            conn.execute("DELETE FROM tm_memories WHERE id = ?", (row[0],))
            return count

    # -- settings ---------------------------------------------------------------
    def tm_setting(self, key: str, default: str) -> str:
        """A memory setting (e.g. 'repetitions': 'on' | 'off').

        Parameters:
            key: the setting; default: its value when never set."""
        row = self.conn.execute("SELECT value FROM tm_settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def tm_set_setting(self, key: str, value: str) -> None:
        """Store a memory setting.

        Parameters:
            key: the setting; value: its new value."""
        with self.transaction() as conn:  # type: ignore[attr-defined]
            conn.execute("INSERT INTO tm_settings (key, value) VALUES (?, ?)"
                         " ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    # -- units the memory fills ---------------------------------------------------
    def tm_fillable_units(self, document_id: int) -> list[tuple[int, str]]:
        """(unit id, source) of the document's units no person has worked on
        (status new, machine or tm), not excluded, in reading order.

        Parameters:
            document_id: the document."""
        ids = [r[0] for r in self.conn.execute(
            f"SELECT u.id FROM units u WHERE u.document_id = ? AND u.status IN ({sql_list(Status.MEMORY_FILLS)})"
            " AND NOT EXISTS (SELECT 1 FROM unit_segments us JOIN segments s ON s.id = us.segment_id"
            " WHERE us.unit_id = u.id AND us.side = 'source' AND s.excluded = 1)"
            " ORDER BY u.seq", (document_id,))]
        sources = self.unit_sources(ids)  # type: ignore[attr-defined]
        return [(uid, sources.get(uid, "")) for uid in ids]

    def tm_unit_fill_state(self, unit_id: int) -> tuple[str, str, str | None, float | None]:
        """(target, status, tm_origin, tm_score) of a unit.

        Parameters:
            unit_id: the unit."""
        row = self.conn.execute("SELECT target, status, tm_origin, tm_score FROM units WHERE id = ?",
                                (unit_id,)).fetchone()
        if row is None:
            from workbench.core.errors import NotFoundError

            raise NotFoundError(f"no translation unit with id {unit_id}")
        return row

    def tm_write_fill(self, unit_id: int, target: str, status: str, origin: str | None,
                      score: float | None, updated_at: str) -> None:
        """Write a unit's target, status and provenance (inside the caller's transaction).

        Parameters:
            unit_id: the unit; target, status: the new values;
            origin, score: where the target came from (None: a person or MT);
            updated_at: ISO 8601 UTC."""
        self.conn.execute("UPDATE units SET target = ?, status = ?, tm_origin = ?, tm_score = ?, updated_at = ?"
                          " WHERE id = ?", (target, status, origin, score, updated_at, unit_id))

    def tm_analysis_units(self, document_id: int) -> list[tuple[int, str]]:
        """(unit id, source) of every unit a match analysis counts: not excluded,
        not boilerplate, in reading order.

        Parameters:
            document_id: the document."""
        ids = [r[0] for r in self.conn.execute(
            "SELECT u.id FROM units u WHERE u.document_id = ? AND NOT EXISTS (SELECT 1 FROM unit_segments us"
            " JOIN segments s ON s.id = us.segment_id WHERE us.unit_id = u.id AND us.side = 'source'"
            " AND (s.excluded = 1 OR s.kind = 'boilerplate')) ORDER BY u.seq", (document_id,))]
        sources = self.unit_sources(ids)  # type: ignore[attr-defined]
        return [(uid, sources.get(uid, "")) for uid in ids if sources.get(uid, "").strip()]
