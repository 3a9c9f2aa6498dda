"""SQLite connections as the store opens them, and what their errors mean.

No ``Store`` here: the store (database.py) and its backups (backups.py) both
use these, and neither imports the other's module for them."""
from __future__ import annotations

import os
import socket
import sqlite3
import time
import urllib.parse
from pathlib import Path

from workbench.core.errors import (
    DamagedDatabaseError,
    DatabaseBusyError,
    DatabaseError,
    DiskFullError,
    ReadOnlyDatabaseError,
    WorkbenchError,
)


# Values bound in one ``IN (...)`` list: far below SQLite's variable limit,
# and small enough that a page's query stays one quick statement.
IN_CHUNK = 500


def in_chunks(values, size: int = IN_CHUNK):
    """``(chunk, marks)`` for each run of ``size`` values: the values to bind
    and the ``?,?,...`` to put inside ``IN (...)``.

    :param values: a sequence (sliced as it is: order kept).
    :param size: values per chunk."""
    for start in range(0, len(values), size):
        chunk = list(values[start:start + size])
        yield chunk, ",".join("?" * len(chunk))


def busy_timeout() -> float:
    """Seconds a writer waits for another process's write transaction
    (``WORKBENCH_BUSY_TIMEOUT``, default 30).  Long jobs commit in short
    batches, so a wait this long means something is stuck."""
    try:
        return max(0.0, float(os.environ.get("WORKBENCH_BUSY_TIMEOUT", "30")))
    except ValueError:
        return 30.0


# -- health, read-only access and what SQLite errors mean to a user -------------------------

# Files up to this size get ``PRAGMA quick_check`` at every open: it reads
# every page, 8-10 ms per MiB from the page cache (bench/db_bench.py: 0.37-0.45 s
# for a 45 MiB, 100k-unit database on a 2-core machine; an open without it
# takes ~1 ms).  Up to 16 MiB (~35k units) that is <= 0.15 s, noise next to
# starting Python; for every command on a big file it is too much.  Bigger
# files are checked once a day: the daily automatic backup is made right after
# a passing check, so "a daily backup within 24 h" means "checked within 24 h".
# Damage met between checks still surfaces as the same one-line error
# (``explain_sqlite_error``) and nothing is written.
QUICK_CHECK_EVERY_OPEN_MAX = 16 * 1024 * 1024
HEALTH_CHECK_EVERY = 24 * 3600.0


def damaged_message(path: Path, detail: str) -> str:
    """The one line that says a database is damaged and how to get it back."""
    return (f"the database {path} is damaged ({detail}); nothing was written to it. Restore the latest"
            f" backup with 'workbench restore' (list them: 'workbench backups'), or salvage the rest"
            f" with 'sqlite3 {path} .recover | sqlite3 recovered.db' (details: 'workbench check')")


def explain_sqlite_error(exc: BaseException, path: str | Path | None) -> WorkbenchError | None:
    """The user-facing error for an SQLite failure a user can meet (damaged
    file, full disk, read-only file, lock held by another process), or None
    for anything else (a bug).

    Parameters:
        exc: the exception raised by sqlite3.
        path: the database's path, named in the message (None: "the database")."""
    if not isinstance(exc, sqlite3.Error):
        return None
    where = Path(path) if path is not None else Path("the database")
    text = str(exc)
    if "malformed" in text or "file is not a database" in text or "encrypted" in text:
        return DamagedDatabaseError(damaged_message(where, text))
    if "database or disk is full" in text:
        return DiskFullError(f"the disk holding {where} is full: the change was not saved and the database"
                             f" is as it was; free some space and try again")
    if "readonly database" in text or "read-only" in text:
        return ReadOnlyDatabaseError(f"{where} is read-only: nothing was changed")
    if "database is locked" in text or "database table is locked" in text:
        return DatabaseBusyError(f"the database {where.name} stayed busy for {busy_timeout():g} s: another"
                                 f" workbench process is using it; nothing was changed, try again")
    if "disk I/O error" in text and path is not None and _disk_full(Path(path)):
        # SQLite says only "I/O error" when it cannot even make its -shm file.
        return DiskFullError(f"the disk holding {where} is full: nothing was read or changed; free some space"
                             f" and try again")
    if "disk I/O error" in text:
        return DatabaseError(f"cannot read or write {where}: disk I/O error (a failing or full disk?)")
    if "unable to open database file" in text:
        return DatabaseError(f"cannot open {where}: the file or its folder cannot be read or written")
    return None


def _disk_full(path: Path) -> bool:
    try:
        return os.statvfs(path.parent).f_bavail == 0
    except (OSError, AttributeError):  # no statvfs on Windows
        return False


def _writable(path: Path) -> str | None:
    """None when SQLite may write ``path``, else why not (stat and access only).

    The folder counts: SQLite creates its -wal, -shm and journal files there."""
    if not os.access(path, os.W_OK):
        return "the file cannot be written"
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return "its folder cannot be written"
    return None


def read_only_connection(path: str | Path, *, isolation_level: str | None = None) -> sqlite3.Connection:
    """A read-only SQLite connection, also for a WAL database in a folder that
    cannot be written (no -shm can be made there: the file is read as immutable)."""
    path = Path(path)
    uri = "file:" + urllib.parse.quote(os.path.abspath(path))
    conn = sqlite3.connect(uri + "?mode=ro", uri=True, isolation_level=isolation_level, timeout=busy_timeout())
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        conn.close()
        if os.access(path.parent, os.W_OK):
            raise
    # Nobody can write a WAL database in a folder without write access (the
    # -wal cannot be made), so reading it as immutable is safe.
    return sqlite3.connect(uri + "?mode=ro&immutable=1", uri=True, isolation_level=isolation_level,
                           timeout=busy_timeout())


def quick_check(conn: sqlite3.Connection) -> list[str]:
    """``PRAGMA quick_check``: structural problems (empty when healthy)."""
    try:
        rows = conn.execute("PRAGMA quick_check(20)").fetchall()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [] if rows == [("ok",)] else [str(r[0]).replace("\n", " ").strip() for r in rows]


def integrity_problems(conn: sqlite3.Connection, limit: int = 100) -> list[str]:
    """Every problem SQLite finds: ``PRAGMA integrity_check`` (structure, indexes,
    constraints) then ``PRAGMA foreign_key_check``, one line each."""
    try:
        rows = conn.execute(f"PRAGMA integrity_check({int(limit)})").fetchall()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    problems = [] if rows == [("ok",)] else [" ".join(str(r[0]).split()) for r in rows]
    try:
        for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
            problems.append(f"{table} row {rowid}: refers to a row of {parent} that does not exist")
    except sqlite3.DatabaseError as exc:
        problems.append(str(exc))
    return problems


def process_alive(pid: int) -> bool | None:
    """Whether process ``pid`` of this host runs: True/False when the OS can
    tell (POSIX), None when it cannot.

    :param pid: a process id."""
    if os.name != "posix":
        return None  # os.kill(pid, 0) would terminate the process on Windows
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    except OSError:
        return None
    return True


def owner_alive(pid: int, host: str, heartbeat: float, stale_seconds: float) -> bool:
    """Whether the process that left a claim (a chunked import, a memory index
    rebuild) may still be working: on this host, whether ``pid`` runs; where
    that cannot be told (another host, or a live pid that may be a reused
    one), whether its heartbeat is younger than ``stale_seconds``.

    :param pid: the claimant's process id.
    :param host: its host name.
    :param heartbeat: its last sign of life (``time.time()``).
    :param stale_seconds: how long silence is taken for life."""
    alive = process_alive(pid) if host == socket.gethostname() else None
    if alive is None or alive:  # a live pid may be a reused one
        alive = time.time() - heartbeat < stale_seconds
    return alive
