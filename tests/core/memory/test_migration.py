"""Schema 5 on a database of schema 4: units rebuilt with ids, links and the
AUTOINCREMENT counter kept; approved units join the memory."""
from tests.core.memory.helpers import database_at_schema
from workbench.core.store.database import Store
from workbench.core.store.schema import MIGRATIONS


def test_upgrade_from_schema_4_keeps_everything(tmp_path):
    db = tmp_path / "old.db"
    conn = database_at_schema(db, 4, foreign_keys=True)
    conn.execute("INSERT INTO documents (id, title, language, target_language, checksum, imported_at)"
                 " VALUES (1, 'Doc', 'en', 'ru', 'x', '2025-01-01T00:00:00Z')")
    for sid, text in ((1, "Approved sentence."), (2, "New sentence."), (3, "Gone.")):
        conn.execute("INSERT INTO segments (id, document_id, seq, paragraph, kind, text) VALUES (?, 1, ?, 0,"
                     " 'body', ?)", (sid, sid, text))
    for uid, target, status in ((1, "Одобрено.", "approved"), (2, "", "new"), (3, "", "new")):
        conn.execute("INSERT INTO units (id, document_id, seq, target, status, created_at, updated_at)"
                     " VALUES (?, 1, ?, ?, ?, 'a', 'b')", (uid, uid, target, status))
        conn.execute("INSERT INTO unit_segments (segment_id, unit_id, side) VALUES (?, ?, 'source')", (uid, uid))
    conn.execute("DELETE FROM units WHERE id = 3")  # the counter stays at 3
    conn.close()

    with Store(db, backups=False) as store:
        assert store.schema_version == len(MIGRATIONS)
        assert [u.id for u in store.units(1)] == [1, 2]
        assert store.unit(1).source == "Approved sentence." and store.unit(1).target == "Одобрено."
        assert store.conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'units'").fetchone() == (3,)
        assert store.conn.execute("SELECT unit_id, source, target FROM tm_entries").fetchall() == [
            (1, "Approved sentence.", "Одобрено.")]
        assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # cascades still work on the rebuilt table
        store.conn.execute("DELETE FROM units WHERE id = 2")
        assert store.conn.execute("SELECT count(*) FROM unit_segments WHERE unit_id = 2").fetchone() == (0,)
