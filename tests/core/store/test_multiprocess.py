"""Several processes share one database: the window (a long-lived
connection), its workers (connections opened and closed in the same
process) and command-line processes, all at once.

SQLite's locks are POSIX advisory locks, owned by the process: closing *any*
descriptor of the database file drops all of them.  A process that opens the
file outside SQLite while it holds a connection therefore looks, to the next
process that closes its connection, as if nobody used the database, and that
process deletes the WAL under it ("How To Corrupt An SQLite Database File",
2.2).  These tests run real processes to catch that."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.core.edits import history
from workbench.core.edits.commands import SetTarget
from workbench.core.store.database import Store

from tests.reliability.helpers import deleted_side_files

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX locking semantics")


def _run(code: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          timeout=60, check=True)


WRITE_AND_CLOSE = """
import sys
from workbench.core.store.database import Store
with Store(sys.argv[1]) as store:
    store.documents()
"""

READ_TARGET = """
import sys
from workbench.core.store.database import Store
with Store(sys.argv[1]) as store:
    print(store.unit(int(sys.argv[2])).target)
"""


def test_workers_opening_stores_never_let_another_process_delete_the_wal(tmp_path, seeded_store):
    db, doc, unit_ids = seeded_store
    window = Store(db)  # the window's long-lived connection
    try:
        history.apply(window, SetTarget(unit_ids[0], "first edit"))
        for _ in range(3):  # background workers of the window open and close their own
            Store(db).close()
        _run(WRITE_AND_CLOSE, str(db))  # any command-line command
        assert Path(f"{db}-wal").exists(), "another process deleted the WAL under an open connection"
        assert not deleted_side_files(os.getpid())
        history.apply(window, SetTarget(unit_ids[0], "second edit"))  # reported saved
        seen = _run(READ_TARGET, str(db), str(unit_ids[0])).stdout.strip()
        assert seen == "second edit"
    finally:
        window.close()
    with Store(db) as store:
        assert store.unit(unit_ids[0]).target == "second edit"
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_store_never_opens_the_database_file_outside_sqlite(tmp_path, seeded_store, monkeypatch):
    """Direct check of the rule: creating a Store, and everything it does at
    open, never opens the database, -wal or -shm with Python's own I/O."""
    db, _doc, _units = seeded_store
    watched = {str(Path(db).resolve()) + suffix for suffix in ("", "-wal", "-shm", "-journal")}
    opened: list[str] = []
    real_open = os.open

    def spy(path, *args, **kwargs):
        try:
            if str(Path(os.fsdecode(path)).resolve()) in watched:
                opened.append(os.fsdecode(path))
        except (TypeError, ValueError):
            pass
        return real_open(path, *args, **kwargs)

    import builtins
    real_builtin_open = builtins.open

    def spy_builtin(file, *args, **kwargs):
        if isinstance(file, (str, bytes, os.PathLike)):
            try:
                if str(Path(os.fsdecode(file)).resolve()) in watched:
                    opened.append(os.fsdecode(file))
            except (TypeError, ValueError):
                pass
        return real_builtin_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", spy)
    monkeypatch.setattr(builtins, "open", spy_builtin)
    import io
    monkeypatch.setattr(io, "open", spy_builtin)
    with Store(db) as store:
        store.documents()
        with Store(db):
            pass
    assert opened == []


HOLD_WRITE_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("LOCKED", flush=True)
time.sleep(30)
"""


def test_a_writer_that_cannot_get_the_lock_says_so_in_one_line(seeded_store):
    from tests.reliability.helpers import cli, dump

    db, _doc, unit_ids = seeded_store
    before = dump(db)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_WRITE_LOCK, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().startswith("LOCKED")
        outcome = cli(db, "set-target", unit_ids[0], "blocked", env={"WORKBENCH_BUSY_TIMEOUT": "1"})
    finally:
        holder.kill()
        holder.wait(10)
    assert outcome.code == 1, outcome.err
    lines = [line for line in outcome.err.splitlines() if line.strip()]
    assert len(lines) == 1 and "busy" in lines[0] and "internal error" not in lines[0]
    assert dump(db) == before
