"""The one owner of the SQLite file.

Every write goes through ``Store.transaction()`` (``BEGIN IMMEDIATE`` ...
``COMMIT``), so a crash leaves either the old or the new state, never half.
Edits by a person go through ``workbench.core.edits.history.apply``, which
records the command, its inverse and the rows before/after in the ``edits``
table in the same transaction: nothing typed is ever lost and everything can
be undone.  The SQL of those edits and of the history is here too, in the
mixins ``EditRows`` (``rows.py``) and ``HistoryRows`` (``history_rows.py``).

One ``Store`` per thread: workers open their own on the same path (WAL lets
readers and one writer work side by side).
"""
from __future__ import annotations

import logging
import os
import socket
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from workbench.core.store import files as dbfiles
from workbench.core.errors import (
    DamagedDatabaseError,
    DatabaseBusyError,
    DatabaseError,
    NotFoundError,
    ReadOnlyDatabaseError,
    WorkbenchError,
)
from workbench.core.model import Document, Segment, SegmentKind, Status, Unit
from workbench.core.store.clock import utc_now
from workbench.core.store.connection import (  # noqa: F401 - also imported from here by callers
    HEALTH_CHECK_EVERY,
    QUICK_CHECK_EVERY_OPEN_MAX,
    _writable,
    busy_timeout,
    damaged_message,
    explain_sqlite_error,
    in_chunks,
    quick_check,
    owner_alive,
    read_only_connection,
)
from workbench.core.store.bulk_rows import BulkRows
from workbench.core.store.corpus_rows import CorpusQueries
from workbench.core.store.document_files import DocumentFileRows
from workbench.core.store.documents import DocumentQueries
from workbench.core.store.history_rows import HistoryRows
from workbench.core.store.memory_rows import MemoryRows
from workbench.core.store.memory_index_rows import MemoryIndexRows
from workbench.core.store.qa_rows import QaRows
from workbench.core.store.rows import EditRows, rescore
from workbench.core.store.schema import MIGRATIONS, SCHEMA_VERSION

APP_NAME = "workbench"

log = logging.getLogger(__name__)


def default_db_path() -> Path:
    """``WORKBENCH_DB`` if set, else ``workbench.db`` in the user's data dir."""
    env = os.environ.get("WORKBENCH_DB")
    if env:
        return Path(env).expanduser()
    import platformdirs  # imported here: only the default path needs it

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "workbench.db"


# (device, inode) -> time of the last passing check in this process: the
# window's workers open their own Store on the same file many times.
_checked: dict[tuple[int, int], float] = {}


def _refuse_unusable_path(path: Path) -> None:
    """Refuse a path that cannot hold a database, with ``stat`` only.

    Nothing here opens the file: on POSIX, closing *any* descriptor of a file
    drops every lock the process holds on it, SQLite's included, and another
    process would then delete the WAL under our open connections ("How To
    Corrupt An SQLite Database File", 2.2).  Whether the file is an SQLite
    database is asked of SQLite itself (``Store._check_is_sqlite``)."""
    if path.is_dir():
        raise DatabaseError(f"{path} is a directory, not a workbench database")


# Columns in the order Unit rows are selected; the source text and the
# derived paragraph/kind/excluded come from the unit's source segments.
_UNIT_SELECT = """
SELECT u.id, u.document_id, u.target, u.mt, u.mt_engine, u.mt_model, u.mt_version,
       u.status, u.confirmed, u.confidence, u.created_at, u.updated_at, u.pe_chrf, u.pe_ter,
       (SELECT group_concat(segment_id) FROM (
            SELECT us.segment_id FROM unit_segments us JOIN segments s ON s.id = us.segment_id
            WHERE us.unit_id = u.id AND us.side = 'source' ORDER BY s.seq)) AS source_ids,
       (SELECT group_concat(segment_id) FROM (
            SELECT us.segment_id FROM unit_segments us JOIN segments s ON s.id = us.segment_id
            WHERE us.unit_id = u.id AND us.side = 'target' ORDER BY s.seq)) AS target_ids,
       (SELECT group_concat(text, ' ') FROM (
            SELECT s.text FROM unit_segments us JOIN segments s ON s.id = us.segment_id
            WHERE us.unit_id = u.id AND us.side = 'source' ORDER BY s.seq)) AS source,
       (SELECT s.paragraph FROM unit_segments us JOIN segments s ON s.id = us.segment_id
            WHERE us.unit_id = u.id AND us.side = 'source' ORDER BY s.seq LIMIT 1) AS paragraph,
       (SELECT s.kind FROM unit_segments us JOIN segments s ON s.id = us.segment_id
            WHERE us.unit_id = u.id AND us.side = 'source' ORDER BY s.seq LIMIT 1) AS kind,
       (SELECT min(s.excluded) FROM unit_segments us JOIN segments s ON s.id = us.segment_id
            WHERE us.unit_id = u.id AND us.side = 'source') AS excluded
FROM units u
"""


# Rows of documents being imported are invisible (documents.pending): every
# reader of documents, segments and units filters them out with this.
_NOT_PENDING = "NOT IN (SELECT id FROM documents WHERE pending IS NOT NULL)"

# An import whose process is gone is stale at once; one whose process cannot
# be checked (another host, or a reused pid) when its heartbeat is this old.
STALE_IMPORT_SECONDS = 600.0
# Imports running in this process (their pid is ours, so it proves nothing).
_live_imports: set[str] = set()
_live_lock = threading.Lock()


def _ids(text: str | None) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split(",")) if text else ()


def _unit_from_row(row: Sequence) -> Unit:
    (uid, doc, target, mt, engine, model, version, status, confirmed, confidence,
     created, updated, pe_chrf, pe_ter, source_ids, target_ids, source, paragraph, kind, excluded) = row
    return Unit(
        id=uid, document_id=doc,
        source_segment_ids=_ids(source_ids), target_segment_ids=_ids(target_ids),
        source=source or "", target=target, mt=mt, mt_engine=engine, mt_model=model,
        mt_version=version, status=Status(status), confirmed=bool(confirmed),
        confidence=confidence, created_at=created, updated_at=updated,
        paragraph=paragraph or 0, kind=SegmentKind(kind or "body"),
        excluded=bool(excluded), pe_chrf=pe_chrf, pe_ter=pe_ter,
    )


class Store(DocumentQueries, CorpusQueries, EditRows, HistoryRows, MemoryRows, MemoryIndexRows, QaRows,
            DocumentFileRows, BulkRows):
    """The one owner of the workbench's SQLite file.

    Opens (and creates, migrates, health-checks and backs up) the database,
    runs every write in ``transaction()`` (``BEGIN IMMEDIATE``), and answers
    every question by name: its mixins hold the SQL of documents, corpus rows,
    edit rows and the history.  One ``Store`` per thread; several processes
    may hold their own at once (WAL)."""
    def __init__(self, path: str | Path, *, create: bool = True, backups: bool = True):
        """Open (or create) a database.

        Parameters:
            path: the database file.
            create: create it when missing (else ``DatabaseError``).
            backups: make the daily automatic backup when one is due.

        A file that cannot be written (or whose folder cannot) is opened
        read-only: reading works, writing raises ``ReadOnlyDatabaseError``.
        A damaged file raises ``DamagedDatabaseError`` (see ``_check_health``)."""
        self.path = Path(path).expanduser()
        _refuse_unusable_path(self.path)
        existed = self.path.exists()
        if not existed:
            if not create:
                raise DatabaseError(f"no database at {self.path}")
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseError(f"cannot create {self.path.parent}: {exc.strerror}") from None
        self.read_only_reason = _writable(self.path) if existed else None
        try:
            if self.read_only_reason:
                conn = read_only_connection(self.path)
            else:
                # isolation_level=None: we issue BEGIN/COMMIT ourselves.
                conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=busy_timeout())
        except sqlite3.Error as exc:
            raise DatabaseError(f"cannot open database {self.path}: {exc}") from None
        self.conn = conn
        self._tables = None  # sqlite-utils view, built on first use (see tables)
        dbfiles.register(self.path)
        self._registered = True
        self._depth = 0
        self._lock = threading.RLock()
        try:
            self._check_is_sqlite()
            self._check_version()
            if existed:
                self._check_health()
            conn.execute("PRAGMA foreign_keys = ON")
            if self.read_only:
                if self.schema_version < SCHEMA_VERSION:
                    raise ReadOnlyDatabaseError(
                        f"{self.path} needs an upgrade to schema {SCHEMA_VERSION} but is read-only"
                        f" ({self.read_only_reason})")
            else:
                conn.execute("PRAGMA synchronous = NORMAL")
                if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    conn.execute("PRAGMA journal_mode = WAL")
                self._migrate()
                if existed and backups:
                    self._daily_backup()
        except sqlite3.DatabaseError as exc:
            self.close()
            explained = explain_sqlite_error(exc, self.path)
            if explained is not None:
                raise explained from None
            raise DatabaseError(f"{self.path} is not a usable workbench database: {exc}") from None
        except DatabaseError:
            self.close()
            raise

    @property
    def read_only(self) -> bool:
        """Opened read-only: the file or its folder cannot be written."""
        return self.read_only_reason is not None

    def read_connection(self) -> sqlite3.Connection:
        """A new connection for a long read of its own (export), opened the way
        this store's is (read-only ones through ``read_only_connection``)."""
        if self.read_only:
            return read_only_connection(self.path)
        return sqlite3.connect(str(self.path), timeout=busy_timeout())

    def _identity(self) -> tuple[int, int] | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return st.st_dev, st.st_ino

    def _check_health(self) -> None:
        """``PRAGMA quick_check`` on open: always for files up to
        ``QUICK_CHECK_EVERY_OPEN_MAX``, once a day for bigger ones, once per
        process per day for all (see the constant's comment)."""
        from workbench.core.store.backups import daily_due

        identity = self._identity()
        last = _checked.get(identity) if identity else None
        if last is not None and time.time() - last < HEALTH_CHECK_EVERY:
            return
        try:
            size = os.stat(self.path).st_size
        except OSError:
            size = 0
        if size > QUICK_CHECK_EVERY_OPEN_MAX and not daily_due(self.path):
            return
        problems = quick_check(self.conn)
        if problems:
            raise DamagedDatabaseError(damaged_message(self.path, problems[0]))
        if identity:
            _checked[identity] = time.time()

    def _daily_backup(self) -> None:
        """The day's automatic backup, made after the health check passed.  A
        backup that cannot be written (full disk...) never stops the open."""
        from workbench.core.store.backups import automatic_backup, daily_due

        if not daily_due(self.path):
            return
        try:
            automatic_backup(self.conn, self.path, "daily")
        except (OSError, sqlite3.Error, WorkbenchError) as exc:
            log.warning("no daily backup of %s: %s", self.path, exc)

    def backup_before(self, reason: str) -> Path | None:
        """An automatic backup before bulk work (``reason``: import, translate,
        import-pair, attach...); None when automatic backups are off.

        Parameters:
            reason: names the backup (see ``backups.REASONS``).

        A backup that cannot be made refuses the work (``DatabaseError``):
        the backup is the way back from a bulk change."""
        from workbench.core.store.backups import automatic_backup

        if self.read_only:
            raise ReadOnlyDatabaseError(f"{self.path} is read-only ({self.read_only_reason}): nothing was changed")
        try:
            return automatic_backup(self.conn, self.path, reason)
        except (OSError, sqlite3.Error) as exc:
            detail = getattr(exc, "strerror", None) or str(exc)
            raise DatabaseError(f"cannot back up {self.path} before this {reason} ({detail}): nothing was"
                                f" changed; free some space, or set WORKBENCH_BACKUPS_KEEP=0 to go on"
                                f" without a backup") from None

    # -- lifecycle -------------------------------------------------------
    def close(self) -> None:
        """Close the connection (the file stays registered until then)."""
        self.conn.close()
        if self._registered:
            self._registered = False
            dbfiles.unregister(self.path)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _check_is_sqlite(self) -> None:
        """Ask SQLite whether the file is a database: reading the schema of a
        file that is not one fails with SQLITE_NOTADB before SQLite creates any
        side file next to it (journals and WAL are made only for writing)."""
        try:
            self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            if "not a database" in str(exc) or "encrypted" in str(exc):
                from workbench.core.store.backups import list_backups

                # Backups of this name: it was a database once, and its header is gone.
                hint = ("; if it was your database, its header is damaged: restore the latest backup"
                        " with 'workbench restore'") if list_backups(self.path) else ""
                raise DatabaseError(
                    f"{self.path} is not a workbench database (not an SQLite file){hint}") from None
            raise

    def _check_version(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise DatabaseError(
                f"{self.path} was written by a newer workbench (schema {version}; "
                f"this version knows up to {SCHEMA_VERSION}): upgrade the workbench")
        if version == 0 and self.conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]:
            raise DatabaseError(f"{self.path} is an SQLite file of another program, not a workbench database")

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if 0 < version < SCHEMA_VERSION:
            # The way back if the new version misbehaves: made before any change.
            self.backup_before("migration")
        # Foreign keys off while migrating (a no-op inside a transaction): a
        # table rebuild drops and renames tables, which must not cascade.
        # They are checked before each migration commits.
        self.conn.execute("PRAGMA foreign_keys = OFF")
        try:
            for number in range(version, SCHEMA_VERSION):
                with self.transaction() as conn:
                    for statement in MIGRATIONS[number]:
                        conn.execute(statement)
                    if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
                        raise DatabaseError(f"{self.path}: migration {number + 1} broke a foreign key;"
                                            f" nothing was changed")
                    conn.execute(f"PRAGMA user_version = {number + 1}")
        finally:
            self.conn.execute("PRAGMA foreign_keys = ON")

    @property
    def tables(self):
        """The same connection as sqlite-utils sees it (``sqlite_utils.Database``):
        table introspection and counts.  Built on first use: importing
        sqlite-utils pulls numpy (~200 ms), too slow for every command's start."""
        if self._tables is None:
            import sqlite_utils

            self._tables = sqlite_utils.Database(self.conn)
        return self._tables

    def table_sizes(self) -> dict[str, int]:
        """Rows per table of the workbench's schema: ``{table: count}``."""
        db = self.tables
        wanted = ("documents", "segments", "units", "edits", "mt_cache")
        return {name: db[name].count for name in wanted if name in db.table_names()}

    @property
    def schema_version(self) -> int:
        """The number of schema migrations applied (``PRAGMA user_version``)."""
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; nested calls join the outer one.

        A failure rolls back whole and is raised as the user's error when it
        is one (full disk, read-only or damaged file: ``explain_sqlite_error``),
        never masked by a failing ROLLBACK (SQLite may already have rolled back)."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self.conn
                finally:
                    self._depth -= 1
                return
            if self.read_only:
                raise ReadOnlyDatabaseError(f"{self.path} is read-only ({self.read_only_reason}):"
                                            f" nothing was changed")
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if "locked" in str(exc) or "busy" in str(exc):
                    raise DatabaseBusyError(
                        f"the database {self.path.name} stayed busy for {busy_timeout():g} s: another "
                        f"workbench process is writing to it; nothing was changed, try again when it "
                        f"has finished") from None
                raise (explain_sqlite_error(exc, self.path) or exc) from None
            except sqlite3.Error as exc:
                raise (explain_sqlite_error(exc, self.path) or exc) from None
            self._depth = 1
            try:
                yield self.conn
            except BaseException as exc:
                self._depth = 0
                self._rollback()
                explained = explain_sqlite_error(exc, self.path)
                if explained is not None:
                    raise explained from exc
                raise
            self._depth = 0
            try:
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback()
                raise (explain_sqlite_error(exc, self.path) or exc) from None

    def _rollback(self) -> None:
        """Roll back if SQLite has not already (it does on a full disk, for one)."""
        if self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:
                log.exception("rollback failed after an error")  # the first error is the one to report

    # -- documents -------------------------------------------------------
    def add_document(self, *, title: str, language: str, target_language: str | None,
                     source_path: str | None, checksum: str, date: str | None,
                     translation_of: int | None = None, pending: str | None = None) -> int:
        """Insert a document; ``pending`` (an import token from ``begin_import``)
        keeps it invisible until ``publish_import``."""
        with self.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO documents (title, language, target_language, source_path, checksum,"
                " date, imported_at, translation_of, pending) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (title, language, target_language, source_path, checksum, date, utc_now(),
                 translation_of, pending))
            return cur.lastrowid

    def add_segments(self, document_id: int, rows: Iterable[tuple[int, str, str, bool]],
                     *, with_units: bool = True, start_seq: float = 0.0) -> list[int]:
        """Append segments ``(paragraph, kind, text, excluded)``; with_units
        gives each its own 1:0 unit, the post-editing layout."""
        now = utc_now()
        with self.transaction() as conn:
            # Ids are allocated up front so the rows go in with executemany
            # (several times faster than one INSERT and lastrowid per row);
            # the write lock taken by BEGIN IMMEDIATE keeps them ours.
            next_segment, next_unit = (conn.execute(
                "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?), 0),"
                f" coalesce((SELECT max(id) FROM {table}), 0)) + 1", (table,)).fetchone()[0]
                for table in ("segments", "units"))
            segments = [(next_segment + n, document_id, start_seq + n + 1, paragraph, str(kind),
                         int(excluded), text)
                        for n, (paragraph, kind, text, excluded) in enumerate(rows)]
            conn.executemany("INSERT INTO segments (id, document_id, seq, paragraph, kind, excluded, text)"
                             " VALUES (?, ?, ?, ?, ?, ?, ?)", segments)
            if with_units:
                conn.executemany(
                    "INSERT INTO units (id, document_id, seq, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                    [(next_unit + n, document_id, seg[2], now, now) for n, seg in enumerate(segments)])
                conn.executemany(
                    "INSERT INTO unit_segments (segment_id, unit_id, side) VALUES (?, ?, 'source')",
                    [(seg[0], next_unit + n) for n, seg in enumerate(segments)])
        return [seg[0] for seg in segments]

    def document_by_checksum(self, checksum: str, *, import_token: str | None = None) -> Document | None:
        """The visible document with this checksum, or one that the import
        ``import_token`` wrote (the same file twice in one import)."""
        row = self.conn.execute(
            f"SELECT {self._DOC_COLUMNS} FROM documents WHERE checksum = ?"
            " AND (pending IS NULL OR pending = ?)", (checksum, import_token)).fetchone()
        return Document(*row) if row else None

    _DOC_COLUMNS = ("id, title, language, target_language, source_path, checksum, date,"
                    " imported_at, translation_of")

    def document(self, document_id: int) -> Document:
        """The document with this id.

        :param document_id: its id; ``NotFoundError`` when there is none (or it is still being imported)."""
        row = self.conn.execute(f"SELECT {self._DOC_COLUMNS} FROM documents WHERE id = ?"
                                " AND pending IS NULL", (document_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no document with id {document_id}")
        return Document(*row)

    def documents(self) -> list[Document]:
        """Every visible document (pending imports left out), by id."""
        return [Document(*row) for row in self.conn.execute(
            f"SELECT {self._DOC_COLUMNS} FROM documents WHERE pending IS NULL ORDER BY id")]

    def document_count(self) -> int:
        """How many visible documents there are (pending imports left out): one cheap COUNT."""
        return self.conn.execute("SELECT count(*) FROM documents WHERE pending IS NULL").fetchone()[0]

    def documents_by_ids(self, document_ids: Iterable[int]) -> list[Document]:
        """The visible documents among these ids, by id (unknown or pending ids left out).

        :param document_ids: the ids wanted (read 500 at a time: no scan of the documents table)."""
        wanted = sorted(set(document_ids))
        found: list[Document] = []
        for chunk, marks in in_chunks(wanted):
            found += [Document(*row) for row in self.conn.execute(
                f"SELECT {self._DOC_COLUMNS} FROM documents WHERE id IN ({marks})"
                " AND pending IS NULL ORDER BY id", chunk)]
        return found

    def segment_count(self, document_id: int) -> int:
        """How many segments the document has.

        :param document_id: the document."""
        return self.conn.execute("SELECT count(*) FROM segments WHERE document_id = ?"
                                 f" AND document_id {_NOT_PENDING}", (document_id,)).fetchone()[0]

    def status_counts(self, document_id: int | None = None) -> dict[str, int]:
        """Units per status (all four keys present)."""
        counts = {str(s): 0 for s in Status}
        if document_id:
            for status, n in self.conn.execute(
                    f"SELECT status, count(*) FROM units WHERE document_id {_NOT_PENDING} AND document_id = ?"
                    " GROUP BY status", (document_id,)):
                counts[status] = n
            return counts
        # The whole corpus: every unit counted in status order (the units_by_status index, no sort),
        # less those of imports still pending (few, found through units_status); one statement, one snapshot.
        for status, n in self.conn.execute(
                "SELECT status, sum(n) FROM (SELECT status, count(*) AS n FROM units GROUP BY status"
                " UNION ALL SELECT status, -count(*) FROM units WHERE document_id IN"
                " (SELECT id FROM documents WHERE pending IS NOT NULL) GROUP BY status) GROUP BY status"):
            counts[status] = n
        return counts

    # -- segments --------------------------------------------------------
    _SEG_COLUMNS = "id, document_id, seq, paragraph, kind, excluded, text"

    @staticmethod
    def _segment(row: Sequence, position: int) -> Segment:
        sid, doc, _seq, paragraph, kind, excluded, text = row
        return Segment(sid, doc, position, paragraph, SegmentKind(kind), bool(excluded), text)

    def segments(self, document_id: int) -> list[Segment]:
        """The document's segments in reading order, positions counted from 0.

        :param document_id: the document."""
        rows = self.conn.execute(
            f"SELECT {self._SEG_COLUMNS} FROM segments WHERE document_id = ?"
            f" AND document_id {_NOT_PENDING} ORDER BY seq", (document_id,))
        return [self._segment(row, n) for n, row in enumerate(rows)]

    def segment(self, segment_id: int) -> Segment:
        """One segment, with its position in its document.

        :param segment_id: its id; ``NotFoundError`` when there is none."""
        row = self.conn.execute(f"SELECT {self._SEG_COLUMNS} FROM segments WHERE id = ?"
                                f" AND document_id {_NOT_PENDING}", (segment_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no segment with id {segment_id}")
        position = self.conn.execute(
            "SELECT count(*) FROM segments WHERE document_id = ? AND seq < ?",
            (row[1], row[2])).fetchone()[0]
        return self._segment(row, position)

    # -- units -----------------------------------------------------------
    def unit(self, unit_id: int) -> Unit:
        """One translation unit.

        :param unit_id: its id; ``NotFoundError`` when there is none."""
        units = self.units_by_ids([unit_id])
        if not units:
            raise NotFoundError(f"no translation unit with id {unit_id}")
        return units[0]

    def unit_for_segment(self, segment_id: int) -> Unit:
        """The unit a segment belongs to (on either side).

        :param segment_id: the segment; ``NotFoundError`` when it or its unit is missing."""
        row = self.conn.execute("SELECT unit_id FROM unit_segments WHERE segment_id = ?",
                                (segment_id,)).fetchone()
        if row is None:
            self.segment(segment_id)  # raises NotFoundError for a bad id
            raise NotFoundError(f"segment {segment_id} belongs to no translation unit")
        return self.unit(row[0])

    def unit_ids(self, document_id: int) -> list[int]:
        """All unit ids of a document in reading order (cheap: the GUI's
        lazy model keeps this list and fetches rows by id as they show)."""
        return [r[0] for r in self.conn.execute(
            f"SELECT id FROM units WHERE document_id = ? AND document_id {_NOT_PENDING}"
            " ORDER BY seq, id", (document_id,))]

    def units_by_ids(self, unit_ids: Sequence[int]) -> list[Unit]:
        """Units for the given ids, in the order given (missing ids skipped)."""
        found: dict[int, Unit] = {}
        for chunk, marks in in_chunks(unit_ids):
            for row in self.conn.execute(
                    f"{_UNIT_SELECT} WHERE u.id IN ({marks}) AND u.document_id {_NOT_PENDING}", chunk):
                unit = _unit_from_row(row)
                found[unit.id] = unit
        return [found[i] for i in unit_ids if i in found]

    def units(self, document_id: int) -> Iterator[Unit]:
        """Stream a document's units in order, without a whole-list in memory."""
        cursor = self.conn.execute(f"{_UNIT_SELECT} WHERE u.document_id = ?"
                                   f" AND u.document_id {_NOT_PENDING} ORDER BY u.seq, u.id",
                                   (document_id,))
        for row in cursor:
            yield _unit_from_row(row)

    # -- imports that commit in chunks --------------------------------------
    # A long import writes in short transactions (a concurrent edit waits at
    # most one chunk), its documents marked pending; ``publish_import`` shows
    # them all at once, ``discard_import`` removes them after a failure, and
    # ``discard_stale_imports`` what a killed import left.

    def begin_import(self) -> str:
        """Register an import of this process; returns its token (for
        ``add_document(pending=...)`` and the other methods here)."""
        token = uuid.uuid4().hex
        with _live_lock:
            _live_imports.add(token)
        with self.transaction() as conn:
            conn.execute("INSERT INTO imports (token, pid, host, started_at, heartbeat)"
                         " VALUES (?, ?, ?, ?, ?)",
                         (token, os.getpid(), socket.gethostname(), utc_now(), time.time()))
        return token

    def touch_import(self, token: str) -> None:
        """Refresh the import's heartbeat (inside each chunk's transaction)."""
        with self.transaction() as conn:
            conn.execute("UPDATE imports SET heartbeat = ? WHERE token = ?", (time.time(), token))

    def publish_import(self, token: str) -> None:
        """Make every document of the import visible, in one short transaction."""
        with self.transaction() as conn:
            conn.execute("UPDATE documents SET pending = NULL WHERE pending = ?", (token,))
            conn.execute("DELETE FROM imports WHERE token = ?", (token,))
        with _live_lock:
            _live_imports.discard(token)

    def discard_import(self, token: str, *, rows_per_transaction: int = 20000) -> None:
        """Remove what an import wrote, a bounded number of rows per transaction
        (the rows are invisible, so a half-done removal shows nothing)."""
        docs = [r[0] for r in self.conn.execute(
            "SELECT id FROM documents WHERE pending = ?", (token,))]
        for doc in docs:
            for table in ("units", "segments"):  # units first: unit_segments cascade
                while True:
                    with self.transaction() as conn:
                        deleted = conn.execute(
                            f"DELETE FROM {table} WHERE id IN (SELECT id FROM {table}"
                            " WHERE document_id = ? LIMIT ?)", (doc, rows_per_transaction)).rowcount
                    if deleted < rows_per_transaction:
                        break
        with self.transaction() as conn:
            conn.execute("DELETE FROM documents WHERE pending = ?", (token,))
            conn.execute("DELETE FROM imports WHERE token = ?", (token,))
        with _live_lock:
            _live_imports.discard(token)

    def stale_imports(self) -> list[str]:
        """Tokens of imports that will never finish: their process is gone (or
        silent for ``STALE_IMPORT_SECONDS``), or pending rows without an import."""
        host, stale = socket.gethostname(), []
        for token, pid, their_host, heartbeat in self.conn.execute(
                "SELECT token, pid, host, heartbeat FROM imports"):
            if pid == os.getpid() and their_host == host:
                with _live_lock:
                    alive = token in _live_imports
            else:
                alive = owner_alive(pid, their_host, heartbeat, STALE_IMPORT_SECONDS)
            if not alive:
                stale.append(token)
        stale += [r[0] for r in self.conn.execute(
            "SELECT DISTINCT pending FROM documents WHERE pending IS NOT NULL"
            " AND pending NOT IN (SELECT token FROM imports)")]
        return stale

    def discard_stale_imports(self) -> int:
        """Remove the rows of every stale import; how many imports were removed."""
        stale = self.stale_imports()
        for token in stale:
            self.discard_import(token)
        return len(stale)

    def add_corpus_units(self, source_doc: int, target_doc: int, rows: Sequence[tuple],
                         *, start_seq: int, import_token: str | None = None) -> None:
        """Append aligned 1:1 units to a document pair, in one transaction.

        :param rows: ``(source, target, status, mt, mt_engine, mt_model,
            mt_version, created_at, updated_at, pe_chrf, pe_ter)`` per unit.
        :param start_seq: the seq (and paragraph) of the first row is this + 1.
        :param import_token: refresh this import's heartbeat in the same transaction.
        """
        with self.transaction() as conn:
            # Ids allocated up front, as in add_segments: executemany is several
            # times faster than one INSERT and lastrowid per row.
            next_segment, next_unit = (conn.execute(
                "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?), 0),"
                f" coalesce((SELECT max(id) FROM {table}), 0)) + 1", (table,)).fetchone()[0]
                for table in ("segments", "units"))
            segments, units, links = [], [], []
            for n, (source, target, status, mt, engine, model, version, created, updated,
                    chrf, ter) in enumerate(rows):
                seq = start_seq + n + 1
                s_id, t_id, uid = next_segment + 2 * n, next_segment + 2 * n + 1, next_unit + n
                segments += [(s_id, source_doc, seq, seq - 1, source),
                             (t_id, target_doc, seq, seq - 1, target)]
                units.append((uid, source_doc, target_doc, seq, target, mt, engine, model, version,
                              status, created, updated, chrf, ter))
                links += [(s_id, uid, "source"), (t_id, uid, "target")]
            conn.executemany("INSERT INTO segments (id, document_id, seq, paragraph, kind, text)"
                             " VALUES (?, ?, ?, ?, 'body', ?)", segments)
            conn.executemany(
                "INSERT INTO units (id, document_id, target_document_id, seq, target, mt, mt_engine,"
                " mt_model, mt_version, status, confirmed, created_at, updated_at, pe_chrf, pe_ter)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)", units)
            conn.executemany("INSERT INTO unit_segments (segment_id, unit_id, side) VALUES (?, ?, ?)",
                             links)
            if import_token is not None:
                self.touch_import(import_token)

    # -- changes by anyone -------------------------------------------------
    def history_version(self) -> int:
        """A number that changes whenever any connection (this one or another
        process) commits: ``PRAGMA data_version`` for other connections plus
        the total change count of this one.  Cheap enough to poll."""
        other = self.conn.execute("PRAGMA data_version").fetchone()[0]
        return (other << 32) + self.conn.total_changes

    # -- machine translation ---------------------------------------------
    def cached_translations(self, model: str, sources: Sequence[str]) -> dict[str, str]:
        """Machine translations already in the cache: ``{source: translation}``.

        :param model: the cache key of the model chain (code, version, content hash).
        :param sources: the source texts to look up."""
        found: dict[str, str] = {}
        for chunk, marks in in_chunks(sources):
            found.update(self.conn.execute(
                f"SELECT source, translation FROM mt_cache WHERE model = ? AND source IN ({marks})",
                (model, *chunk)))
        return found

    def cache_translations(self, model: str, pairs: Iterable[tuple[str, str]]) -> None:
        """Keep machine translations in the cache, in one transaction.

        :param model: the cache key of the model chain.
        :param pairs: ``(source, translation)`` pairs."""
        now = utc_now()
        with self.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO mt_cache (model, source, translation, created_at)"
                " VALUES (?, ?, ?, ?)", ((model, s, t, now) for s, t in pairs))

    def set_machine_translations(self, rows: Iterable[tuple[int, str, str, str, str]]) -> None:
        """Store ``(unit_id, mt, engine, model, version)``.  A unit whose target
        is empty gets the MT as its target (status ``machine``); a target a
        person wrote is never overwritten."""
        now = utc_now()
        with self.transaction() as conn:
            for unit_id, mt, engine, model, version in rows:
                conn.execute(
                    "UPDATE units SET mt = ?, mt_engine = ?, mt_model = ?, mt_version = ?,"
                    " target = CASE WHEN status IN ('new', 'machine') THEN ? ELSE target END,"
                    " status = CASE WHEN status IN ('new', 'machine') THEN 'machine' ELSE status END,"
                    " updated_at = ? WHERE id = ?",
                    (mt, engine, model, version, mt, now, unit_id))
                rescore(conn, unit_id)

    def unit_sources(self, unit_ids: Sequence[int]) -> dict[int, str]:
        """The current source text of each unit, as ``Unit.source`` builds it
        (ids of units that no longer exist are absent)."""
        found: dict[int, str] = {}
        for chunk, marks in in_chunks(unit_ids):
            found.update((uid, source or "") for uid, source in self.conn.execute(
                "SELECT u.id, (SELECT group_concat(text, ' ') FROM ("
                " SELECT s.text FROM unit_segments us JOIN segments s ON s.id = us.segment_id"
                " WHERE us.unit_id = u.id AND us.side = 'source' ORDER BY s.seq))"
                f" FROM units u WHERE u.id IN ({marks})", chunk))
        return found

    def set_machine_translations_if_source(
            self, rows: Iterable[tuple[int, str, str, str, str, str]]) -> set[int]:
        """Store ``(unit_id, source, mt, engine, model, version)`` like
        ``set_machine_translations``, but only for units whose source text is
        still ``source``, checked in the same transaction as the write (a split
        or merge committed meanwhile by another connection is seen).  Returns
        the ids of the units left alone because their source changed or they
        are gone."""
        rows = list(rows)
        with self.transaction():
            current = self.unit_sources([r[0] for r in rows])
            stale = {r[0] for r in rows if current.get(r[0]) != r[1]}
            self.set_machine_translations((r[0], *r[2:]) for r in rows if r[0] not in stale)
        return stale


