"""The SQL of the memory's rebuilt word index (tables: migration 10,
``workbench.core.memory.schema.index_migration``), as a ``Store`` mixin.

The index is written by ``workbench.core.memory.index.rebuild_index`` as a new
*generation* of shards, in short transactions that readers never see, and
switched to in one: ``tm_settings`` keys ``index_generation`` (the active
one) and ``index_covers`` (the largest entry id it covers)."""
from __future__ import annotations

import json
import os
import socket
import sqlite3
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence

from workbench.core.store.connection import in_chunks, owner_alive

GENERATION_KEY = "index_generation"
COVERS_KEY = "index_covers"
ENTRIES_KEY = "index_entries"
BUILT_KEY = "index_built"
BUILDER_KEY = "index_builder"
# A rebuild whose process cannot be checked (another host, a reused pid) is
# taken for dead when it has written nothing for this long.
STALE_BUILD_SECONDS = 600.0
# A shard's posting lists go in per transaction up to about this many bytes
# (~0.1 s of writing), so no other writer waits long for the lock.
_WRITE_CHUNK_BYTES = 8 * 1024 * 1024


class MemoryIndexRows:
    """Reads and writes of ``tm_index_shards`` and ``tm_index_terms``."""

    conn: sqlite3.Connection

    # -- reading ---------------------------------------------------------------
    def tm_index_state(self) -> tuple[int, int, int, str | None]:
        """(active generation, covered entry id, entries at build, built at):
        (0, 0, 0, None) while no index was built."""
        values = dict(self.conn.execute(
            "SELECT key, value FROM tm_settings WHERE key IN (?, ?, ?, ?)",
            (GENERATION_KEY, COVERS_KEY, ENTRIES_KEY, BUILT_KEY)).fetchall())
        return (int(values.get(GENERATION_KEY, 0)), int(values.get(COVERS_KEY, 0)),
                int(values.get(ENTRIES_KEY, 0)), values.get(BUILT_KEY))

    def tm_index_shards(self, generation: int,
                        wanted: Sequence[tuple[str, str, str]]) -> list[tuple[int, str, str, str, int]]:
        """(shard id, side, source_lang, target_lang, entries) of a generation's
        shards among ``wanted``.

        Parameters:
            generation: the active one (``tm_index_state``).
            wanted: (side, source_lang, target_lang) triples."""
        found = []
        for side, source_lang, target_lang in wanted:
            row = self.conn.execute(
                "SELECT id, side, source_lang, target_lang, entries FROM tm_index_shards"
                " WHERE generation = ? AND side = ? AND source_lang = ? AND target_lang = ?",
                (generation, side, source_lang, target_lang)).fetchone()
            if row is not None:
                found.append(row)
        return found

    def tm_index_shard_arrays(self, shard_id: int) -> tuple[bytes, bytes] | None:
        """(entry ids, lengths) of a shard, packed as written, or None if it is gone.

        Parameters:
            shard_id: a shard."""
        return self.conn.execute("SELECT entry_ids, lengths FROM tm_index_shards WHERE id = ?",
                                 (shard_id,)).fetchone()

    def tm_index_postings(self, shard_id: int, terms: Sequence[str]) -> list[tuple[str, str, bytes]]:
        """(term, encoding, blob) of each of ``terms`` the shard holds: encoding
        'positions' (packed sorted positions) or 'bitmap' (a bit per entry).

        Parameters:
            shard_id: a shard.
            terms: folded word tokens."""
        found: list[tuple[str, str, bytes]] = []
        for chunk, marks in in_chunks(list(terms)):
            found += self.conn.execute(
                f"SELECT term, encoding, postings FROM tm_index_terms WHERE shard_id = ? AND term IN ({marks})",
                (shard_id, *chunk)).fetchall()
        return found

    def tm_index_groups(self, covers: int) -> list[tuple[str, str]]:
        """The language pairs the memory holds entries of, up to entry id ``covers``.

        Parameters:
            covers: the largest entry id to look at."""
        return self.conn.execute(
            "SELECT DISTINCT source_lang, target_lang FROM tm_entries WHERE id <= ? ORDER BY 1, 2",
            (covers,)).fetchall()

    def tm_index_side_texts(self, side: str, source_lang: str, target_lang: str,
                            covers: int) -> Iterator[tuple[int, int, str]]:
        """(entry id, length, text) of one side of a language pair's entries up
        to ``covers``, shortest first (then by id): the order of a shard.

        Parameters:
            side: 'source' or 'target'.
            source_lang, target_lang: the pair as stored.
            covers: the largest entry id."""
        column = {"source": "source", "target": "target"}[side]
        # One statement: one consistent read, however long the rebuild takes.
        yield from self.conn.execute(
            f"SELECT id, length({column}) AS n, {column} FROM tm_entries"
            " WHERE source_lang = ? AND target_lang = ? AND id <= ? ORDER BY n, id",
            (source_lang, target_lang, covers))

    def tm_index_counts(self, covers: int) -> tuple[int, int]:
        """(entries, entries above ``covers``): how far the memory has moved
        past an index covering ids up to ``covers``.

        Parameters:
            covers: the index's largest entry id."""
        entries = self.conn.execute("SELECT count(*) FROM tm_entries").fetchone()[0]
        newer = self.conn.execute("SELECT count(*) FROM tm_entries WHERE id > ?", (covers,)).fetchone()[0]
        return entries, newer

    # -- writing -----------------------------------------------------------------
    def tm_index_claim(self) -> tuple[str | None, str | None]:
        """Claim the right to rebuild: (token, None), or (None, who) while a
        rebuild of a live process holds it (two rebuilds would remove each
        other's half-written generation)."""

        token = uuid.uuid4().hex
        with self.transaction() as conn:  # type: ignore[attr-defined]
            row = conn.execute("SELECT value FROM tm_settings WHERE key = ?", (BUILDER_KEY,)).fetchone()
            if row is not None:
                holder = json.loads(row[0])
                if owner_alive(holder["pid"], holder["host"], holder["heartbeat"], STALE_BUILD_SECONDS):
                    return None, f"process {holder['pid']} on {holder['host']}"
            conn.execute("INSERT INTO tm_settings (key, value) VALUES (?, ?)"
                         " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                         (BUILDER_KEY, json.dumps({"token": token, "pid": os.getpid(),
                                                   "host": socket.gethostname(), "heartbeat": time.time()})))
        return token, None

    def _tm_index_touch(self, conn: sqlite3.Connection) -> None:
        """Refresh the claim's heartbeat (inside a write transaction of the rebuild)."""
        conn.execute("UPDATE tm_settings SET value = json_set(value, '$.heartbeat', ?) WHERE key = ?",
                     (time.time(), BUILDER_KEY))

    def tm_index_release(self, token: str) -> None:
        """Give the claim back (when it is still this rebuild's).

        Parameters:
            token: from ``tm_index_claim``."""
        with self.transaction() as conn:  # type: ignore[attr-defined]
            conn.execute("DELETE FROM tm_settings WHERE key = ? AND json_extract(value, '$.token') = ?",
                         (BUILDER_KEY, token))

    def tm_index_new_generation(self) -> int:
        """A generation number for a rebuild holding the claim; removes what an
        interrupted rebuild left (shards of generations that never became active)."""
        with self.transaction() as conn:  # type: ignore[attr-defined]
            active = self.tm_index_state()[0]
            top = conn.execute("SELECT coalesce(max(generation), 0) FROM tm_index_shards").fetchone()[0]
        self.tm_index_drop_generations(keep=active)
        return max(active, top) + 1

    def tm_index_write_shard(self, generation: int, side: str, source_lang: str, target_lang: str,
                             entry_ids: bytes, lengths: bytes, entries: int,
                             postings: Iterable[tuple[str, str, bytes]]) -> int:
        """Write one shard of a generation that is not active yet, in short
        transactions; returns its id.

        Parameters:
            generation: from ``tm_index_new_generation``.
            side, source_lang, target_lang: what the shard indexes.
            entry_ids, lengths: packed arrays in the shard's order.
            entries: how many entries.
            postings: (term, encoding, blob) triples (see ``tm_index_postings``)."""
        with self.transaction() as conn:  # type: ignore[attr-defined]
            shard_id = conn.execute(
                "INSERT INTO tm_index_shards (generation, side, source_lang, target_lang, entries, entry_ids,"
                " lengths) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (generation, side, source_lang, target_lang, entries, entry_ids, lengths)).lastrowid
            self._tm_index_touch(conn)
        batch: list[tuple[int, str, str, bytes]] = []
        size = 0
        for term, encoding, blob in postings:
            batch.append((shard_id, term, encoding, blob))
            size += len(blob) + len(term) + 16
            if size >= _WRITE_CHUNK_BYTES:
                self._tm_index_insert_terms(batch)
                batch, size = [], 0
        if batch:
            self._tm_index_insert_terms(batch)
        return shard_id

    def _tm_index_insert_terms(self, batch: list[tuple[int, str, str, bytes]]) -> None:
        with self.transaction() as conn:  # type: ignore[attr-defined]
            conn.executemany("INSERT INTO tm_index_terms (shard_id, term, encoding, postings) VALUES (?, ?, ?, ?)",
                             batch)
            self._tm_index_touch(conn)

    def tm_index_activate(self, generation: int, covers: int, entries: int, built_at: str) -> None:
        """Make a written generation the one lookups read (one transaction).

        Parameters:
            generation: the generation written.
            covers: the largest entry id it covers.
            entries: how many entries it holds.
            built_at: ISO 8601 UTC."""
        with self.transaction() as conn:  # type: ignore[attr-defined]
            conn.executemany(
                "INSERT INTO tm_settings (key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [(GENERATION_KEY, str(generation)), (COVERS_KEY, str(covers)), (ENTRIES_KEY, str(entries)),
                 (BUILT_KEY, built_at)])

    def tm_index_drop_generations(self, *, keep: int) -> int:
        """Delete every generation but ``keep``, a shard's postings per
        transaction; returns how many shards went.

        Parameters:
            keep: the generation to keep (0: none)."""
        shards = [r[0] for r in self.conn.execute(
            "SELECT id FROM tm_index_shards WHERE generation != ?", (keep,))]
        for shard_id in shards:
            while True:
                with self.transaction() as conn:  # type: ignore[attr-defined]
                    gone = conn.execute(
                        "DELETE FROM tm_index_terms WHERE rowid IN (SELECT rowid FROM tm_index_terms"
                        " WHERE shard_id = ? LIMIT 5000)", (shard_id,)).rowcount
                if gone < 5000:
                    break
            with self.transaction() as conn:  # type: ignore[attr-defined]
                conn.execute("DELETE FROM tm_index_shards WHERE id = ?", (shard_id,))
        return len(shards)

    def tm_index_clear(self) -> None:
        """Drop the index (lookups then use ``tm_fts`` alone); the caller holds the claim."""
        with self.transaction() as conn:  # type: ignore[attr-defined]
            conn.execute("DELETE FROM tm_settings WHERE key IN (?, ?, ?, ?)",
                         (GENERATION_KEY, COVERS_KEY, ENTRIES_KEY, BUILT_KEY))
        self.tm_index_drop_generations(keep=0)
