"""Backups of the database, made and restored with SQLite's online backup API.

Where: a ``backups/`` folder next to the database (for the default database,
``backups/`` in the user data folder), one file per backup named
``DB.YYYYMMDDTHHMMSSffffffZ.REASON.bak`` (UTC), a complete single-file SQLite
database (rollback journal mode, so it opens read-only anywhere).

When (automatically):
  * ``daily``: at the first open of a day (24 h after the newest daily one),
    right after ``PRAGMA quick_check`` passed, so a damaged file never pushes
    good backups out;
  * ``migration``: before a schema migration;
  * before bulk work: ``import`` (a corpus), ``translate`` (--all),
    ``import-pair``, ``attach``, and ``restore`` (the state it replaces).
Automatic backups are pruned to the newest ``WORKBENCH_BACKUPS_KEEP`` (default
7) of each reason; ``manual`` ones (``workbench backup``) are never pruned.
``WORKBENCH_BACKUPS_KEEP=0`` turns automatic backups off.

Nothing here opens the live database except through SQLite: a file's bytes
are copied only while this process has no connection to it (a backup of a
file SQLite can no longer read at all, before a restore).
"""
from __future__ import annotations

import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from workbench.core.errors import BadInputError, DamagedDatabaseError, DatabaseError, NotFoundError
from workbench.core.paths import backup_dir
from workbench.core.outputs import check_output_path, remove_stale_parts, replace_durably, same_file, temporary_name
from workbench.core.store.connection import busy_timeout

KEEP_DEFAULT = 7
DAILY_EVERY = timedelta(hours=24)
MANUAL = "manual"
RESTORE = "restore"
REASONS = ("daily", "migration", "import", "translate", "import-pair", "attach", RESTORE, MANUAL)
_STAMP = "%Y%m%dT%H%M%S%fZ"
_NAME = re.compile(r"^(?P<db>.+)\.(?P<stamp>\d{8}T\d{12}Z)\.(?P<reason>[a-z-]+)\.bak$")


@dataclass(frozen=True)
class Backup:
    """One backup file: where it is, when it was made, why, and how big it is."""
    path: Path
    at: datetime            # when it was made (UTC)
    reason: str             # one of REASONS
    size: int               # bytes

    @property
    def name(self) -> str:
        """The backup's file name."""
        return self.path.name


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did: the backup restored and the backup of the state it replaced."""
    restored_from: Path
    kept: Path              # the state the restore replaced
    replaced_file: bool     # True: the file was swapped (SQLite could not write into it)


def keep_count() -> int:
    """How many automatic backups of each reason to keep (``WORKBENCH_BACKUPS_KEEP``)."""
    value = os.environ.get("WORKBENCH_BACKUPS_KEEP", "").strip()
    if not value:
        return KEEP_DEFAULT
    try:
        return max(0, int(value))
    except ValueError:
        raise BadInputError(f"WORKBENCH_BACKUPS_KEEP must be a number, not {value!r}") from None


def list_backups(database: str | Path) -> list[Backup]:
    """``database``'s backups, newest first (stat only: no file is opened)."""
    folder = backup_dir(database)
    name = Path(database).name
    found = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    for entry in entries:
        match = _NAME.match(entry.name)
        if not match or match["db"] != name:
            continue
        try:
            at = datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=timezone.utc)
            size = entry.stat().st_size
        except (ValueError, OSError):
            continue
        found.append(Backup(Path(entry.path), at, match["reason"], size))
    return sorted(found, key=lambda b: (b.at, b.name), reverse=True)


def daily_due(database: str | Path, now: datetime | None = None) -> bool:
    """Whether no daily backup of ``database`` was made in the last 24 hours."""
    now = now or datetime.now(timezone.utc)
    return not any(b.reason == "daily" and now - b.at < DAILY_EVERY for b in list_backups(database))


def _write_backup(source: sqlite3.Connection, final: Path) -> Path:
    """Copy the database behind ``source`` into ``final`` through the backup
    API, under a temporary name renamed into place (never a half backup)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_parts(final)
    temporary = temporary_name(final)
    try:
        target = sqlite3.connect(temporary)
        try:
            source.backup(target)
            # One self-contained file: no -wal next to a backup.
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
        replace_durably(temporary, final)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return final


def make_backup(source: sqlite3.Connection, database: str | Path, reason: str, *,
                out: str | Path | None = None, force: bool = False) -> Path:
    """Back up the database behind ``source`` (an open connection to ``database``).

    Parameters:
        source: a connection to the database (its pages are copied by SQLite).
        database: the database's path, naming the backup and its folder.
        reason: one of ``REASONS``, part of the backup's name.
        out: write here instead of the backups folder (checked like any output).
        force: with ``out``, overwrite a file that is not an SQLite database.

    Returns the backup's path.  sqlite3/OS errors propagate to the caller."""
    if reason not in REASONS:
        raise ValueError(f"unknown backup reason {reason!r}")
    if out is not None:
        final = check_output_path(out, format_name="sqlite", database=database, force=force)
    else:
        stamp = datetime.now(timezone.utc).strftime(_STAMP)
        final = backup_dir(database) / f"{Path(database).name}.{stamp}.{reason}.bak"
        remove_stale_parts(backup_dir(database) / Path(database).name)  # killed backups' temp files
    return _write_backup(source, final)


def prune(database: str | Path, reason: str, keep: int | None = None) -> list[Path]:
    """Delete the oldest automatic backups of ``reason`` beyond ``keep``."""
    if reason == MANUAL:
        return []
    keep = keep_count() if keep is None else keep
    removed = []
    for old in [b for b in list_backups(database) if b.reason == reason][keep:]:
        try:
            old.path.unlink()
            removed.append(old.path)
        except OSError:
            pass
    return removed


def automatic_backup(source: sqlite3.Connection, database: str | Path, reason: str) -> Path | None:
    """An automatic backup (none when ``WORKBENCH_BACKUPS_KEEP`` is 0), then pruning."""
    if keep_count() == 0:
        return None
    path = make_backup(source, database, reason)
    prune(database, reason)
    return path


# -- checking and restoring -----------------------------------------------------------------

def _open_read_only(path: Path) -> sqlite3.Connection:
    from workbench.core.store.connection import read_only_connection

    return read_only_connection(path)


def verify(path: str | Path) -> list[str]:
    """Problems of a database or backup file (empty when healthy): the full
    ``integrity_check`` and ``foreign_key_check``."""
    from workbench.core.store.connection import integrity_problems

    path = Path(path)
    try:
        conn = _open_read_only(path)
    except sqlite3.Error as exc:
        return [f"cannot open: {exc}"]
    try:
        return integrity_problems(conn)
    finally:
        conn.close()


def find_backup(database: str | Path, name: str | Path | None) -> Path:
    """The backup a user named (a path or a name in the backups folder), or the
    newest one that is not the state kept by a restore and verifies."""
    if name is None:
        for candidate in list_backups(database):
            if candidate.reason != RESTORE and not verify(candidate.path):
                return candidate.path
        raise NotFoundError(f"no backup of {database} to restore (see: workbench backups)")
    path = Path(name).expanduser()
    if path.is_file():
        return path
    in_folder = backup_dir(database) / Path(name).name
    if in_folder.is_file():
        return in_folder
    raise NotFoundError(f"no backup named {name} (see: workbench backups)")


def _keep_current(database: Path) -> Path:
    """Back up the live database before a restore replaces it: through SQLite
    when it can still read the file, else (a file SQLite rejects) as bytes,
    with no connection of this process open to it."""
    stamp = datetime.now(timezone.utc).strftime(_STAMP)
    final = backup_dir(database) / f"{database.name}.{stamp}.{RESTORE}.bak"
    conn = sqlite3.connect(database, timeout=busy_timeout())
    try:
        return _write_backup(conn, final)
    except sqlite3.DatabaseError:
        pass
    finally:
        conn.close()
    temporary = temporary_name(final)
    try:
        shutil.copyfile(database, temporary)
        replace_durably(temporary, final)
        wal = database.with_name(database.name + "-wal")
        if wal.exists() and wal.stat().st_size:
            shutil.copyfile(wal, final.with_name(final.name + "-wal"))  # SQLite replays it on open
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return final


def restore(database: str | Path, backup: str | Path | None = None) -> RestoreResult:
    """Put a backup's content into the live database.

    Parameters:
        database: the live database (may be damaged; other processes may have
            it open: they see the restored content at their next read).
        backup: a backup path or name; None: the newest automatic backup that
            verifies (``find_backup``).

    The backup is verified first (full integrity check): a damaged one is
    refused and nothing changes.  Then the current state is kept as a
    ``restore`` backup, and the backup's pages are copied into the live file
    with the online backup API.  Only when SQLite cannot write into the live
    file at all (its header is destroyed) is the file swapped for a copy of
    the backup, which is safe only with no other workbench process open on it."""
    database = Path(database).expanduser()
    if not database.exists():
        raise NotFoundError(f"no database at {database}")
    chosen = find_backup(database, backup)
    if same_file(chosen, database):
        raise BadInputError(f"{chosen} is the database itself, not a backup of it")
    problems = verify(chosen)
    if problems:
        raise DamagedDatabaseError(f"the backup {chosen} is damaged ({problems[0]}): nothing was restored;"
                                   f" choose another one (see: workbench backups)")
    kept = _keep_current(database)
    prune(database, RESTORE)
    source = _open_read_only(chosen)
    replaced = False
    try:
        target = sqlite3.connect(database, timeout=busy_timeout())
        try:
            source.backup(target)
        except sqlite3.DatabaseError:
            replaced = True
        finally:
            target.close()
        if replaced:
            staged = _write_backup(source, temporary_name(database))
            try:
                for side in ("-wal", "-shm", "-journal"):  # they belong to the damaged file
                    database.with_name(database.name + side).unlink(missing_ok=True)
                replace_durably(staged, database)
            except BaseException:
                staged.unlink(missing_ok=True)
                raise
    finally:
        source.close()
    problems = verify(database)
    if problems:
        raise DatabaseError(f"the restore of {database} did not take ({problems[0]});"
                            f" the state before is kept in {kept}")
    return RestoreResult(chosen, kept, replaced)


def backup_database(database: str | Path, *, out: str | Path | None = None, force: bool = False,
                    reason: str = MANUAL) -> Path:
    """Back up a database file by path (``workbench backup``), damaged or not:
    SQLite copies its pages whatever they hold.

    Parameters:
        database: the database file.
        out: where to write (default: its backups folder).
        force: with ``out``, overwrite a file that is not an SQLite database.
        reason: names the backup in the backups folder."""
    from workbench.core.store.connection import _writable, explain_sqlite_error, read_only_connection

    database = Path(database).expanduser()
    if not database.is_file():
        raise NotFoundError(f"no database at {database}")
    try:
        conn = read_only_connection(database) if _writable(database) else sqlite3.connect(database, timeout=busy_timeout())
        try:
            return make_backup(conn, database, reason, out=out, force=force)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise explain_sqlite_error(exc, database) or DatabaseError(f"cannot back up {database}: {exc}") from None
    except OSError as exc:
        raise DatabaseError(f"cannot write the backup of {database}: {exc.strerror or exc}") from None
