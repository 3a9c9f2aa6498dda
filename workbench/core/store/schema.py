"""Versioned schema migrations.

``PRAGMA user_version`` holds the number of migrations applied.  A migration is
a list of statements run in one transaction together with the version bump, so
a crash mid-migration leaves the previous version intact.  Never edit a
released migration: append a new one.
"""
from __future__ import annotations

MIGRATIONS: list[list[str]] = [
    # 1: documents, segments, n:m translation units, MT cache, edit history.
    [
        """CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            language TEXT NOT NULL,
            target_language TEXT,
            source_path TEXT,
            checksum TEXT NOT NULL UNIQUE,
            date TEXT,
            imported_at TEXT NOT NULL,
            translation_of INTEGER REFERENCES documents(id) ON DELETE SET NULL
        )""",
        # seq is a REAL sort key: inserting between two rows (split) takes the
        # midpoint, so no renumbering of a 100k-segment document is needed.
        # AUTOINCREMENT: an id is never reused, so an undo/redo that puts a
        # deleted row back by id can never collide with a newer row.
        """CREATE TABLE segments (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            seq REAL NOT NULL,
            paragraph INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('title', 'meta', 'body', 'boilerplate')),
            excluded INTEGER NOT NULL DEFAULT 0 CHECK (excluded IN (0, 1)),
            text TEXT NOT NULL
        )""",
        "CREATE INDEX segments_document_seq ON segments(document_id, seq)",
        """CREATE TABLE units (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            target_document_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,
            seq REAL NOT NULL,
            target TEXT NOT NULL DEFAULT '',
            mt TEXT,
            mt_engine TEXT,
            mt_model TEXT,
            mt_version TEXT,
            status TEXT NOT NULL DEFAULT 'new'
                CHECK (status IN ('new', 'machine', 'edited', 'approved')),
            confirmed INTEGER NOT NULL DEFAULT 0 CHECK (confirmed IN (0, 1)),
            confidence REAL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        "CREATE INDEX units_document_seq ON units(document_id, seq)",
        # A segment belongs to at most one unit (primary key), on one side.
        """CREATE TABLE unit_segments (
            segment_id INTEGER PRIMARY KEY REFERENCES segments(id) ON DELETE CASCADE,
            unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
            side TEXT NOT NULL CHECK (side IN ('source', 'target'))
        )""",
        "CREATE INDEX unit_segments_unit ON unit_segments(unit_id, side)",
        """CREATE TABLE mt_cache (
            model TEXT NOT NULL,
            source TEXT NOT NULL,
            translation TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (model, source)
        ) WITHOUT ROWID""",
        # History has no foreign keys on purpose: it outlives what it describes.
        """CREATE TABLE edits (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            document_id INTEGER,
            command TEXT NOT NULL,
            summary TEXT NOT NULL,
            payload TEXT NOT NULL,
            inverse TEXT NOT NULL,
            before TEXT,
            after TEXT,
            undoes INTEGER,
            undone INTEGER NOT NULL DEFAULT 0
        )""",
        "CREATE INDEX edits_document ON edits(document_id, id)",
    ],
    # 2: post-edit scores stored with the unit (computed when MT or target
    # change), so export and a 100k-row table read them instead of
    # recomputing sacrebleu per row.
    [
        "ALTER TABLE units ADD COLUMN pe_chrf REAL",
        "ALTER TABLE units ADD COLUMN pe_ter REAL",
    ],
    # 3: one undo/redo history per document, owned by the core.  An edit row
    # is 'done' (can be undone), 'undone' (can be redone) or 'dropped' (left
    # the walkable history: a new edit after an undo drops the redo branch).
    # ``payload`` always holds the command that (re)applies the edit and
    # ``inverse`` the one that undoes it; ``fingerprint`` is a hash of the rows
    # the edit touched as the edit left them, so an undo notices a change made
    # outside the history (e.g. a translation run) and refuses instead of
    # overwriting it.  ``merge_key`` lets consecutive commits of one typing
    # burst become one step; ``undo_seq`` orders undone edits for redo.
    # Versions 1-2 recorded an undo as a new forward edit ("undoes"); those
    # pairs are dropped from the walkable history.
    [
        "ALTER TABLE edits ADD COLUMN state TEXT NOT NULL DEFAULT 'done'"
        " CHECK (state IN ('done', 'undone', 'dropped'))",
        "ALTER TABLE edits ADD COLUMN merge_key TEXT",
        "ALTER TABLE edits ADD COLUMN fingerprint TEXT",
        "ALTER TABLE edits ADD COLUMN undo_seq INTEGER",
        "UPDATE edits SET state = 'dropped' WHERE undone = 1 OR undoes IS NOT NULL",
        "CREATE INDEX edits_document_state ON edits(document_id, state, id)",
    ],
    # 4: imports commit in short chunks, invisibly.  A document whose
    # ``pending`` names a row of ``imports`` is being imported: no reader sees
    # it (nor its segments and units) until the import publishes all its
    # documents in one short transaction.  A killed import leaves its rows
    # pending; the next import removes them (an import is stale when its
    # process is gone, or its heartbeat, refreshed with every chunk, is old).
    [
        "ALTER TABLE documents ADD COLUMN pending TEXT",
        "CREATE INDEX documents_pending ON documents(pending) WHERE pending IS NOT NULL",
        """CREATE TABLE imports (
            token TEXT PRIMARY KEY,
            pid INTEGER NOT NULL,
            host TEXT NOT NULL,
            started_at TEXT NOT NULL,
            heartbeat REAL NOT NULL
        )""",
    ],
    # 5: quality assurance: a glossary (terms per language pair, forbidden
    # translations marked), per-project QA settings (checks turned off...),
    # findings a reviewer marked ignored (keyed by unit, check and a hash of
    # the finding, so an unchanged finding stays ignored) and the personal
    # spelling word list.
    [
        """CREATE TABLE glossary_terms (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            target TEXT NOT NULL,
            source_lang TEXT NOT NULL,
            target_lang TEXT NOT NULL,
            note TEXT,
            forbidden INTEGER NOT NULL DEFAULT 0 CHECK (forbidden IN (0, 1)),
            created_at TEXT NOT NULL,
            UNIQUE (source_lang, target_lang, source, target)
        )""",
        """CREATE TABLE qa_settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID""",
        """CREATE TABLE qa_ignored (
            unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
            check_id TEXT NOT NULL,
            finding TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (unit_id, check_id, finding)
        ) WITHOUT ROWID""",
        """CREATE TABLE spelling_words (
            language TEXT NOT NULL,
            word TEXT NOT NULL,
            added_at TEXT NOT NULL,
            PRIMARY KEY (language, word)
        ) WITHOUT ROWID""",
    ],
]


# 6: translation memory.  The status CHECK of ``units`` gains 'tm' (a target
# filled from the memory, not yet reviewed), which SQLite can only do by
# rebuilding the table; the rebuild keeps every id and the AUTOINCREMENT
# counter (``_migrate`` runs it with foreign keys off and checks them before
# committing).  ``tm_entries`` holds the memory: one row per approved or
# confirmed unit (kept by triggers, in the same transaction as the write, so
# an approval is searchable at once and an undo removes it) and one per pair
# of an imported memory file; ``tm_fts`` indexes both sides.
from workbench.core.memory.schema import memory_migration  # noqa: E402

MIGRATIONS.append(memory_migration())

# 7: documents kept in their original format (web pages, DOCX, ODT...), so the
# translation can be delivered in it.  ``document_files`` holds the original
# bytes, the format that reads and writes them, and what the reader found
# besides the text (author, the page's URL); ``document_blocks`` maps each
# paragraph of the document (``segments.paragraph``) to the block of the
# original it came from: the format's key and the block's source text (with
# inline tags), whose whitespace between sentences the deliverable keeps.
# Both go with their document (ON DELETE CASCADE), pending imports included.
MIGRATIONS.append([
    """CREATE TABLE document_files (
        document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        format TEXT NOT NULL,
        original BLOB NOT NULL,
        author TEXT,
        url TEXT
    )""",
    """CREATE TABLE document_blocks (
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        paragraph INTEGER NOT NULL,
        key TEXT NOT NULL,
        text TEXT NOT NULL,
        PRIMARY KEY (document_id, paragraph)
    ) WITHOUT ROWID""",
])


# 8: indexes for corpus scale (100,000 documents, 5,000,000 units; see
# bench/scale_bench.py).  ``documents.translation_of`` is asked for every
# document an export takes (its translation's language) and by the
# ON DELETE SET NULL of the foreign key; ``units.target_document_id`` by the
# foreign key when a translation is deleted.  Both partial: only documents
# that are translations and units linked to one hold an entry.
MIGRATIONS.append([
    "CREATE INDEX IF NOT EXISTS documents_translation_of ON documents(translation_of) WHERE translation_of IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS units_target_document ON units(target_document_id) WHERE target_document_id IS NOT NULL",
])


# 9: units in status order, with their document: the whole corpus's units per
# status (the status bar, ``workbench status``) in one pass over a narrow index
# without a sort (at 5,000,000 units ~0.8 s instead of ~3-4 s), and the approved
# units per document (the documents list) as one range of it.
MIGRATIONS.append([
    "CREATE INDEX IF NOT EXISTS units_by_status ON units(status, document_id)",
])


# 10: the memory's rebuilt word index for large memories (a second index
# beside ``tm_fts``, which stays the one kept by triggers): entries per side
# and language pair in length order, and per word the packed positions of the
# entries holding it.  See ``workbench.core.memory.schema.index_migration``.
from workbench.core.memory.schema import index_migration  # noqa: E402

MIGRATIONS.append(index_migration())
SCHEMA_VERSION = len(MIGRATIONS)
