"""Schema of the translation memory (migration 5).  Released: append, never edit.

The memory is ``tm_entries``: one row per approved or confirmed unit of the
database (``unit_id`` set) and one per pair of an imported memory file
(``memory_id`` set).  Triggers on ``units``, ``unit_segments`` and
``segments`` rebuild a unit's row whenever anything it is made of changes, in
the same transaction as the change, whatever code path writes: an approval is
searchable at once, an undo (which writes the same tables) removes it.
``tm_fts`` (FTS5, ``unicode61`` word tokens, case-folded) indexes both sides
as an external-content table of ``tm_entries``.
"""
from __future__ import annotations

# The status CHECK gains 'tm'; columns tm_origin / tm_score keep where a
# memory-filled target came from.
_UNITS_V5 = """CREATE TABLE units_v5 (
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
        CHECK (status IN ('new', 'machine', 'edited', 'approved', 'tm')),
    confirmed INTEGER NOT NULL DEFAULT 0 CHECK (confirmed IN (0, 1)),
    confidence REAL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    pe_chrf REAL,
    pe_ter REAL,
    tm_origin TEXT,
    tm_score REAL
)"""

_OLD_COLUMNS = ("id, document_id, target_document_id, seq, target, mt, mt_engine, mt_model, mt_version,"
                " status, confirmed, confidence, created_at, updated_at, pe_chrf, pe_ter")


def _index_unit(unit_id: str) -> list[str]:
    """Statements that make the memory row of one unit right (``unit_id`` is an SQL expression)."""
    source = ("(SELECT group_concat(text, ' ') FROM (SELECT s.text FROM unit_segments us"
              " JOIN segments s ON s.id = us.segment_id WHERE us.unit_id = u.id AND us.side = 'source'"
              " ORDER BY s.seq))")
    target = ("CASE WHEN u.target != '' THEN u.target ELSE (SELECT group_concat(text, ' ') FROM ("
              "SELECT s.text FROM unit_segments us JOIN segments s ON s.id = us.segment_id"
              " WHERE us.unit_id = u.id AND us.side = 'target' ORDER BY s.seq)) END")
    return [
        f"DELETE FROM tm_entries WHERE unit_id = {unit_id};",
        "INSERT INTO tm_entries (unit_id, document_id, source_lang, target_lang, source, target, status,"
        " changed) SELECT * FROM (SELECT u.id AS uid, u.document_id, d.language,"
        " coalesce(td.language, d.target_language) AS tl,"
        f" {source} AS src, {target} AS tgt, u.status, u.updated_at"
        " FROM units u JOIN documents d ON d.id = u.document_id"
        " LEFT JOIN documents td ON td.id = u.target_document_id"
        f" WHERE u.id = {unit_id} AND (u.status = 'approved' OR u.confirmed = 1))"
        " WHERE tl IS NOT NULL AND coalesce(src, '') != '' AND coalesce(tgt, '') != '';",
    ]


def _trigger(name: str, event: str, body: list[str], when: str = "") -> str:
    return (f"CREATE TRIGGER {name} {event} FOR EACH ROW {when} BEGIN\n  "
            + "\n  ".join(body) + "\nEND")


def memory_migration() -> list[str]:
    """The statements of migration 5 (units rebuilt with status 'tm', the memory tables, triggers)."""
    unit_of_segment = "(SELECT unit_id FROM unit_segments WHERE segment_id = NEW.id)"
    return [
        # -- units rebuilt (the 12-step procedure of "ALTER TABLE", ids and counter kept)
        "CREATE TEMP TABLE IF NOT EXISTS _units_seq AS SELECT seq FROM sqlite_sequence WHERE name = 'units'",
        _UNITS_V5,
        f"INSERT INTO units_v5 ({_OLD_COLUMNS}) SELECT {_OLD_COLUMNS} FROM units",
        "DROP TABLE units",
        "ALTER TABLE units_v5 RENAME TO units",
        "CREATE INDEX units_document_seq ON units(document_id, seq)",
        "UPDATE sqlite_sequence SET seq = max(seq, coalesce((SELECT max(seq) FROM _units_seq), 0))"
        " WHERE name = 'units'",
        "DROP TABLE _units_seq",
        "CREATE INDEX units_status ON units(document_id, status)",
        # -- the memory
        """CREATE TABLE tm_memories (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            source_lang TEXT NOT NULL,
            target_lang TEXT NOT NULL,
            path TEXT,
            format TEXT,
            imported_at TEXT NOT NULL
        )""",
        """CREATE TABLE tm_entries (
            id INTEGER PRIMARY KEY,
            unit_id INTEGER UNIQUE,
            document_id INTEGER,
            memory_id INTEGER REFERENCES tm_memories(id) ON DELETE CASCADE,
            source_lang TEXT NOT NULL,
            target_lang TEXT NOT NULL,
            source TEXT NOT NULL,
            target TEXT NOT NULL,
            status TEXT,
            changed TEXT,
            context TEXT
        )""",
        "CREATE INDEX tm_entries_memory ON tm_entries(memory_id)",
        "CREATE INDEX tm_entries_document ON tm_entries(document_id)",
        "CREATE INDEX tm_entries_pair ON tm_entries(source_lang, target_lang)",
        "CREATE TABLE tm_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE VIRTUAL TABLE tm_fts USING fts5(source, target, content='tm_entries', content_rowid='id',"
        " tokenize='unicode61 remove_diacritics 0')",
        "CREATE VIRTUAL TABLE tm_vocab USING fts5vocab(tm_fts, 'col')",
        # external content kept in step with tm_entries
        "CREATE TRIGGER tm_entries_ai AFTER INSERT ON tm_entries BEGIN"
        " INSERT INTO tm_fts (rowid, source, target) VALUES (NEW.id, NEW.source, NEW.target); END",
        "CREATE TRIGGER tm_entries_ad AFTER DELETE ON tm_entries BEGIN"
        " INSERT INTO tm_fts (tm_fts, rowid, source, target) VALUES ('delete', OLD.id, OLD.source, OLD.target);"
        " END",
        # units -> tm_entries
        _trigger("tm_units_ai", "AFTER INSERT ON units", _index_unit("NEW.id")),
        _trigger("tm_units_au", "AFTER UPDATE OF target, status, confirmed, updated_at, document_id,"
                 " target_document_id ON units", _index_unit("NEW.id")),
        _trigger("tm_units_ad", "AFTER DELETE ON units",
                 ["DELETE FROM tm_entries WHERE unit_id = OLD.id;"]),
        _trigger("tm_links_ai", "AFTER INSERT ON unit_segments", _index_unit("NEW.unit_id"),
                 "WHEN NEW.side = 'source' OR (SELECT target FROM units WHERE id = NEW.unit_id) = ''"),
        _trigger("tm_links_ad", "AFTER DELETE ON unit_segments", _index_unit("OLD.unit_id")),
        _trigger("tm_segments_au", "AFTER UPDATE OF text ON segments",
                 _index_unit(unit_of_segment), f"WHEN {unit_of_segment} IS NOT NULL"),
        # Units that are already approved or confirmed join the memory now.
        "INSERT INTO tm_entries (unit_id, document_id, source_lang, target_lang, source, target, status, changed)"
        " SELECT * FROM (SELECT u.id, u.document_id, d.language, coalesce(td.language, d.target_language) AS tl,"
        " (SELECT group_concat(text, ' ') FROM (SELECT s.text FROM unit_segments us JOIN segments s"
        "  ON s.id = us.segment_id WHERE us.unit_id = u.id AND us.side = 'source' ORDER BY s.seq)) AS src,"
        " CASE WHEN u.target != '' THEN u.target ELSE (SELECT group_concat(text, ' ') FROM (SELECT s.text"
        "  FROM unit_segments us JOIN segments s ON s.id = us.segment_id WHERE us.unit_id = u.id"
        "  AND us.side = 'target' ORDER BY s.seq)) END AS tgt, u.status, u.updated_at"
        " FROM units u JOIN documents d ON d.id = u.document_id"
        " LEFT JOIN documents td ON td.id = u.target_document_id"
        " WHERE u.status = 'approved' OR u.confirmed = 1)"
        " WHERE tl IS NOT NULL AND coalesce(src, '') != '' AND coalesce(tgt, '') != ''",
    ]


def index_migration() -> list[str]:
    """The statements of migration 10: the memory's word index for large memories.

    ``tm_fts`` stays the index every write keeps in step (triggers, same
    transaction).  Above ``workbench.core.memory.index.INDEX_MIN_ENTRIES``
    entries a lookup also reads this second, rebuilt index: per side and
    language pair (a *shard*) the entries ordered by length, and per word the
    sorted positions of the entries holding it, as packed integers, so one
    lookup reads whole posting lists of even the commonest words in a few
    milliseconds (``workbench.core.memory.index`` explains why); a word held
    by more than 1/32 of the entries is kept as a bitmap instead.  It covers the
    entries up to ``tm_settings['index_covers']``; newer ones are looked up
    through ``tm_fts``, removed ones are dropped when read.  A rebuild writes a
    new *generation* beside the active one and switches in one transaction.

    ``tm_entries`` is rebuilt with AUTOINCREMENT (ids kept): the index covers
    entries up to an id, so an id must never be given again to a new entry
    (without it, approving, undoing and approving again reused the top id)."""
    columns = ("id, unit_id, document_id, memory_id, source_lang, target_lang, source, target, status,"
               " changed, context")
    return [
        "CREATE TEMP TABLE IF NOT EXISTS _tm_top AS SELECT coalesce(max(id), 0) AS top FROM tm_entries",
        """CREATE TABLE tm_entries_v10 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            unit_id INTEGER UNIQUE,
            document_id INTEGER,
            memory_id INTEGER REFERENCES tm_memories(id) ON DELETE CASCADE,
            source_lang TEXT NOT NULL,
            target_lang TEXT NOT NULL,
            source TEXT NOT NULL,
            target TEXT NOT NULL,
            status TEXT,
            changed TEXT,
            context TEXT
        )""",
        f"INSERT INTO tm_entries_v10 ({columns}) SELECT {columns} FROM tm_entries ORDER BY id",
        "DROP TABLE tm_entries",
        # legacy: the triggers on units name tm_entries, which does not exist
        # between the DROP and the RENAME; a modern RENAME re-checks them and fails
        "PRAGMA legacy_alter_table = ON",
        "ALTER TABLE tm_entries_v10 RENAME TO tm_entries",
        "PRAGMA legacy_alter_table = OFF",
        "CREATE INDEX tm_entries_memory ON tm_entries(memory_id)",
        "CREATE INDEX tm_entries_document ON tm_entries(document_id)",
        "CREATE INDEX tm_entries_pair ON tm_entries(source_lang, target_lang)",
        "DELETE FROM sqlite_sequence WHERE name = 'tm_entries'",
        "INSERT INTO sqlite_sequence (name, seq) SELECT 'tm_entries', top FROM temp._tm_top",
        "DROP TABLE temp._tm_top",
        # the external-content triggers went with the old table
        "CREATE TRIGGER tm_entries_ai AFTER INSERT ON tm_entries BEGIN"
        " INSERT INTO tm_fts (rowid, source, target) VALUES (NEW.id, NEW.source, NEW.target); END",
        "CREATE TRIGGER tm_entries_ad AFTER DELETE ON tm_entries BEGIN"
        " INSERT INTO tm_fts (tm_fts, rowid, source, target) VALUES ('delete', OLD.id, OLD.source, OLD.target);"
        " END",
        """CREATE TABLE tm_index_shards (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            generation INTEGER NOT NULL,
            side TEXT NOT NULL CHECK (side IN ('source', 'target')),
            source_lang TEXT NOT NULL,
            target_lang TEXT NOT NULL,
            entries INTEGER NOT NULL,
            entry_ids BLOB NOT NULL,
            lengths BLOB NOT NULL,
            UNIQUE (generation, side, source_lang, target_lang)
        )""",
        """CREATE TABLE tm_index_terms (
            shard_id INTEGER NOT NULL REFERENCES tm_index_shards(id) ON DELETE CASCADE,
            term TEXT NOT NULL,
            encoding TEXT NOT NULL CHECK (encoding IN ('positions', 'bitmap')),
            postings BLOB NOT NULL,
            PRIMARY KEY (shard_id, term)
        )""",
    ]
