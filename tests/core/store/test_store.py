import sqlite3
import subprocess
import sys

import pytest

from workbench.core.errors import DatabaseError, NotFoundError
from workbench.core.store.schema import SCHEMA_VERSION
from workbench.core.store.database import Store, default_db_path


def test_new_database_is_migrated_with_wal_and_foreign_keys(db_path):
    with Store(db_path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"documents", "segments", "units", "unit_segments", "mt_cache", "edits"} <= tables


def test_reopen_keeps_data(db_path, small_doc):
    doc, ids = small_doc
    with Store(db_path) as again:
        assert [s.id for s in again.segments(doc)] == ids


def test_newer_schema_is_refused_and_file_untouched(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY)")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseError, match="newer workbench"):
        Store(db_path)
    assert db_path.read_bytes() == before


@pytest.mark.parametrize("content", [b"hello, this is a text file\n", b"\x00\x01\x02" * 100])
def test_non_sqlite_file_is_refused_and_untouched(tmp_path, content):
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    with pytest.raises(DatabaseError, match="not a workbench database"):
        Store(path)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def test_foreign_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError, match="another program"):
        Store(path)


def test_failed_transaction_rolls_back(store, small_doc):
    doc, ids = small_doc
    with pytest.raises(RuntimeError):
        with store.transaction() as conn:
            conn.execute("UPDATE segments SET text = 'changed' WHERE id = ?", (ids[0],))
            raise RuntimeError("boom")
    assert store.segment(ids[0]).text == "A headline"


def test_segments_have_positions_and_units(store, small_doc):
    doc, ids = small_doc
    segs = store.segments(doc)
    assert [s.position for s in segs] == [0, 1, 2, 3]
    assert [str(s.kind) for s in segs] == ["title", "body", "body", "boilerplate"]
    assert store.segment(ids[2]).position == 2
    unit = store.unit_for_segment(ids[1])
    assert unit.source == "First sentence. Second sentence." and unit.source_segment_ids == (ids[1],)
    assert store.unit_ids(doc) == [store.unit_for_segment(i).id for i in ids]


def test_deleting_a_document_cascades(store, small_doc):
    doc, _ = small_doc
    with store.transaction() as conn:
        conn.execute("DELETE FROM documents WHERE id = ?", (doc,))
    assert store.conn.execute("SELECT count(*) FROM units").fetchone()[0] == 0
    assert store.conn.execute("SELECT count(*) FROM unit_segments").fetchone()[0] == 0


def test_unknown_ids_raise_not_found(store):
    with pytest.raises(NotFoundError):
        store.document(99)
    with pytest.raises(NotFoundError):
        store.segment(99)
    with pytest.raises(NotFoundError):
        store.unit_for_segment(99)


def test_machine_translation_never_overwrites_a_persons_target(store, small_doc):
    from workbench.core.edits import history
    from workbench.core.edits.commands import SetTarget

    doc, ids = small_doc
    u1, u2 = store.unit_for_segment(ids[1]).id, store.unit_for_segment(ids[2]).id
    history.apply(store, SetTarget(u2, "Моё"))
    store.set_machine_translations([(u1, "MT1", "argos", "m", "1"), (u2, "MT2", "argos", "m", "1")])
    a, b = store.units_by_ids([u1, u2])
    assert (a.target, str(a.status), a.mt, a.mt_model) == ("MT1", "machine", "MT1", "m")
    assert (b.target, str(b.status), b.mt) == ("Моё", "edited", "MT2")


def test_mt_cache_round_trip(store):
    store.cache_translations("m@1", [("a", "x"), ("b", "y")])
    assert store.cached_translations("m@1", ["a", "b", "c"]) == {"a": "x", "b": "y"}
    assert store.cached_translations("m@2", ["a"]) == {}


def test_default_db_path_honours_env(monkeypatch, tmp_path):
    monkeypatch.setenv("WORKBENCH_DB", str(tmp_path / "x.db"))
    assert default_db_path() == tmp_path / "x.db"
    monkeypatch.delenv("WORKBENCH_DB")
    assert default_db_path().name == "workbench.db"


def test_importing_the_core_does_not_import_qt():
    code = ("import sys, workbench.core.store.database, workbench.core.edits.commands, workbench.core.importing, "
            "workbench.core.model; import workbench.cli; "
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]; "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ids_are_never_reused_after_undo(store, small_doc):
    """Redo puts a split's segment back by id: no newer row may have taken it."""
    from workbench.core.edits import history
    from workbench.core.edits.commands import SplitSegment

    doc, ids = small_doc
    undo = history.apply(store, SplitSegment(ids[1], 16))
    created = max(s.id for s in store.segments(doc))
    redo = history.apply(store, undo)
    other = store.add_document(title="O", language="en", target_language="ru", source_path=None,
                               checksum="other", date=None)
    new_ids = store.add_segments(other, [(0, "body", "Another text.", False)])
    assert created not in new_ids
    history.apply(store, redo)
    assert store.segment(new_ids[0]).text == "Another text."
    assert store.segment(created).document_id == doc


def test_table_sizes_through_sqlite_utils(store, small_doc):
    sizes = store.table_sizes()
    assert sizes["documents"] == 1 and sizes["segments"] == 4 and sizes["units"] == 4
    assert store.tables["units"].count == 4  # the sqlite-utils view of the same connection
