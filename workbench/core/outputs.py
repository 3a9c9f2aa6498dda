"""Where a command may write a file, and writing it so a crash never leaves half.

Every writer (export, backup, later delivery...) checks its paths with
``check_output_path`` first: no output may be the database, its ``-wal``,
``-shm`` or ``-journal``, a backup, or anything in a folder the workbench owns
(models, settings, logs, the data folder); and an existing file that does not
look like the output's format is only overwritten with ``force``.

Paths are compared with ``os.stat`` (device and inode, so symlinks and hard
links are seen through) and never by opening the database: closing any
descriptor of a file drops the process's POSIX locks on it, SQLite's included,
and another process could then delete the WAL under our connection.  Only a
file already known *not* to be the database is opened, to sniff its first bytes.

``atomic_writer`` writes a uniquely named temporary file in the output's
folder, fsyncs it, renames it onto the output and fsyncs the folder: the
output holds the old complete file or the new complete file, never a part.
"""
from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from workbench.core.errors import BadInputError, OutputExistsError, OutputRefusedError

# What a format's existing file may look like to be overwritten without force.
_ACCEPTS = {
    "tmx": {"tmx"},
    "xliff": {"xliff"},
    "csv": {"csv", "tsv"},   # a tabular file either way; sniffing cannot tell them apart reliably
    "tsv": {"tsv", "csv"},
    "moses": {"text", "csv", "tsv"},
    "sqlite": {"sqlite"},
    "parquet": {"parquet"},
}
_FORMAT_NAMES = {"tmx": "TMX file", "xliff": "XLIFF file", "csv": "CSV file", "tsv": "TSV file",
                 "moses": "plain text file", "sqlite": "SQLite database",
                 "parquet": "Parquet file"}
_KIND_NAMES = {"sqlite": "an SQLite database", "tmx": "a TMX file", "xliff": "an XLIFF file",
               "xml": "an XML file", "csv": "a CSV file", "tsv": "a TSV file", "text": "plain text",
               "zip": "a ZIP archive (a model, a document...)", "binary": "binary data",
               "parquet": "a Parquet file"}
SNIFF_BYTES = 4096

# Marks the temporary files of atomic_writer: NAME.<pid>-<random>.part
_PART = ".part"


# -- what the workbench owns ------------------------------------------------------------

def database_files(database: Path) -> list[Path]:
    """The database and the side files SQLite keeps next to it."""
    database = Path(database)
    return [database] + [database.with_name(database.name + suffix)
                         for suffix in ("-wal", "-shm", "-journal")]


def owned_folders(database: Path | None = None) -> list[tuple[Path, str]]:
    """Folders whose files belong to the workbench: ``(folder, what it holds)``."""
    import platformdirs

    from workbench.core.mt.packages import packages_dir
    from workbench.core.paths import backup_dir

    folders = []
    if database is not None:
        folders.append((backup_dir(database), "the database's backups"))
    folders.append((packages_dir(), "the translation models"))
    xdg_config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "workbench"
    folders.append((xdg_config, "the window's settings"))
    folders.append((Path(platformdirs.user_config_dir("workbench", appauthor=False)), "the settings"))
    folders.append((Path(platformdirs.user_log_dir("workbench", appauthor=False)), "the logs"))
    folders.append((Path(platformdirs.user_data_dir("workbench", appauthor=False)), "the workbench's data"))
    return folders


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file, existing or not (stat only, never open)."""
    ia, ib = _identity(a), _identity(b)
    if ia is not None and ib is not None:
        return ia == ib
    if ia is not None or ib is not None:
        return False
    # Neither exists yet: the same name in the same folder (the folders by inode).
    ra, rb = Path(os.path.realpath(a)), Path(os.path.realpath(b))
    if ra.name != rb.name:
        return False
    pa, pb = _identity(ra.parent), _identity(rb.parent)
    return ra.parent == rb.parent if pa is None or pb is None else pa == pb


def is_inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is in ``folder`` or below it (symlinks resolved, folders by inode)."""
    target = _identity(folder)
    if target is None:
        return False
    current = Path(os.path.realpath(path))
    for parent in (current, *current.parents):
        if _identity(parent) == target:
            return True
    return False


# -- what a file looks like ---------------------------------------------------------------

def sniff(head: bytes) -> str:
    """What the first bytes of a file look like: ``empty``, ``sqlite``, ``zip``, ``parquet``,
    ``binary``, ``tmx``, ``xliff``, ``xml``, ``csv``, ``tsv`` or ``text``.

    Text is anything without NUL bytes in UTF-8/16 or a legacy 8-bit encoding;
    a CSV/TSV is text that parses as a table (``_delimited``)."""
    if not head:
        return "empty"
    if head.startswith(b"SQLite format 3\x00"):
        return "sqlite"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head[2:].decode("utf-16-le" if head[0] == 0xFF else "utf-16-be", errors="replace")
    elif b"\x00" in head:
        return "binary"
    else:
        text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if controls > len(text) // 100:
        return "binary"
    stripped = text.lstrip()
    if stripped.startswith("<"):
        lowered = stripped[:SNIFF_BYTES].lower()
        if "<tmx" in lowered:
            return "tmx"
        if "<xliff" in lowered:
            return "xliff"
        return "xml"
    for delimiter, kind in (("\t", "tsv"), (",", "csv")):
        if _delimited(text, delimiter, complete=len(head) < SNIFF_BYTES):
            return kind
    return "text"


def _delimited(text: str, delimiter: str, *, complete: bool) -> bool:
    """Whether text reads as a table: every row (the cut-off last one aside)
    has the same number of fields, at least two, and no comma is followed by
    a space the way prose is ("An article, not a table")."""
    import csv

    lines = text.splitlines(keepends=True)
    if not complete and len(lines) > 1:
        lines = lines[:-1]
    try:
        rows = [row for row in csv.reader(lines, delimiter=delimiter) if row]
    except csv.Error:
        return False
    if not rows or len(rows[0]) < 2 or any(len(row) != len(rows[0]) for row in rows):
        return False
    return delimiter != "," or not any(cell.startswith(" ") for row in rows for cell in row[1:])


def _sniff_file(path: Path) -> str:
    with open(path, "rb") as fh:  # never the database: check_output_path ruled it out first
        return sniff(fh.read(SNIFF_BYTES))


# -- the check ----------------------------------------------------------------------------

def check_output_path(out: str | Path, *, format_name: str, database: str | Path | None = None,
                      force: bool = False) -> Path:
    """Refuse an output path that would destroy something; return it as a Path.

    Parameters:
        out: the file about to be written (or replaced).
        format_name: what will be written: ``tmx``, ``xliff``, ``csv``, ``tsv``,
            ``moses`` or ``sqlite`` (a backup); an existing file must look like it.
        database: the open database, whose file, side files and backups are
            never an output.
        force: overwrite an existing file that does not look like the format.

    Raises ``OutputRefusedError`` (never allowed, even with force) or
    ``OutputExistsError`` (allowed with ``force``)."""
    out = Path(out).expanduser()
    if database is not None:
        for protected in database_files(Path(database)):
            if same_file(out, protected):
                what = "the workbench database" if protected == Path(database) else \
                    f"a file of the workbench database ({protected.name})"
                raise OutputRefusedError(f"refusing to write {out}: it is {what}")
    for folder, holds in owned_folders(Path(database) if database is not None else None):
        if is_inside(out, folder):
            raise OutputRefusedError(f"refusing to write {out}: {folder} holds {holds} (the workbench's own files)")
    try:
        st = os.stat(out)
    except FileNotFoundError:
        return out
    except OSError as exc:
        raise BadInputError(f"cannot write {out}: {exc.strerror}") from None
    if stat.S_ISDIR(st.st_mode):
        raise OutputRefusedError(f"cannot write {out}: it is a folder")
    if not stat.S_ISREG(st.st_mode):
        raise OutputRefusedError(f"refusing to write {out}: it is not a regular file")
    if force:
        return out
    try:
        kind = _sniff_file(out)
    except OSError as exc:
        raise BadInputError(f"cannot read {out} to see what it holds: {exc.strerror}") from None
    if kind == "empty" or kind in _ACCEPTS.get(format_name, set()):
        return out
    wanted, looks_like = _FORMAT_NAMES.get(format_name, format_name), _KIND_NAMES.get(kind, kind)
    raise OutputExistsError(f"{out} exists and is not a {wanted} (it looks like {looks_like}):"
                            f" pass --force to overwrite it", out, looks_like, wanted)


# -- writing ------------------------------------------------------------------------------

def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def remove_stale_parts(path: Path) -> list[Path]:
    """Delete temporary files a killed writer of ``path`` left behind: the old
    ``PATH.part`` and ``PATH[.more].<pid>-<random>.part`` of processes that are
    gone (``.more``: the backups of database PATH name theirs that way)."""
    path = Path(path)
    removed = []
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return removed
    prefix = path.name + "."
    for entry in entries:
        name = entry.name
        if not (name.startswith(prefix) and name.endswith(_PART)):
            continue
        middle = name[len(prefix):-len(_PART)]
        if middle:  # NAME[.more].<pid>-<random>.part: only when that process is gone
            pid, _, token = middle.rsplit(".", 1)[-1].partition("-")
            if not (pid.isdigit() and token) or _alive(int(pid)):
                continue
        try:
            os.unlink(entry.path)
            removed.append(Path(entry.path))
        except OSError:
            pass
    return removed


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def temporary_name(path: Path) -> Path:
    """A temp file name next to ``path`` that ``remove_stale_parts`` recognises."""
    return path.with_name(f"{path.name}.{os.getpid()}-{secrets.token_hex(4)}{_PART}")


def replace_durably(temporary: Path, path: Path) -> None:
    """fsync ``temporary``, rename it onto ``path``, fsync the folder."""
    fd = os.open(temporary, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temporary, path)
    fsync_dir(path.parent)


@contextmanager
def atomic_part(path: str | Path) -> Iterator[Path]:
    """A temporary name beside ``path`` to write an output under; renamed onto
    ``path`` (fsync'd, then the folder) when the block ends without an error,
    removed when it fails, is cancelled or killed, so a reader finds the old
    file or the new one, never half of one.  Every output of the workbench
    is written through it.

    Parameters:
        path: the output file.

    Temporary files of earlier killed writers of the same path are removed
    first.  OSErrors (disk full...) become a one-line ``BadInputError``."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_parts(path)
    except OSError as error:
        raise BadInputError(f"Cannot write {path}: {error.strerror or error}") from error
    part = temporary_name(path)
    try:
        yield part
        replace_durably(part, path)
    except OSError as error:  # disk full, file system gone...
        part.unlink(missing_ok=True)
        raise BadInputError(f"Cannot write {path}: {error.strerror or error}") from error
    except BaseException:
        part.unlink(missing_ok=True)
        raise


def write_bytes_atomically(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through ``atomic_part``.

    :param path: the output file.
    :param data: its whole content.
    OSErrors (disk full...) become a one-line ``BadInputError``."""
    with atomic_part(path) as part, open(part, "xb") as handle:
        handle.write(data)


@contextmanager
def atomic_writer(path: str | Path, *, encoding: str = "utf-8",
                  newline: str | None = "\n") -> Iterator[TextIO]:
    """A text file written through ``atomic_part``: a failed, cancelled or
    killed writer never leaves a truncated file that looks complete, nor
    clobbers a good one.

    Parameters:
        path: the output file.
        encoding, newline: as for ``open``.

    OSErrors (disk full...) become a one-line ``BadInputError``."""
    with atomic_part(path) as part, \
            open(part, "x", encoding=encoding, newline=newline, buffering=1 << 20) as handle:
        yield handle
