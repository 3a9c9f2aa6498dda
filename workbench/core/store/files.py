"""Which database files this process has open, so that nothing reads them by hand.

On POSIX, closing *any* descriptor of a file drops every lock the process
holds on it, SQLite's included; another process then takes the database for
unused and deletes its WAL under our open connections ("How To Corrupt An
SQLite Database File", 2.2).  Importing the database itself as an article
(``workbench --db X.db import X.db``, or a directory holding it) would do
exactly that.  ``Store`` registers its file here; every reader of user files
asks ``refuse_database_file`` first, which only ``stat``s.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

from workbench.core.errors import BadInputError
from workbench.core.paths import display_path

_SIDE_SUFFIXES = ("", "-wal", "-shm", "-journal")
_open: dict[Path, int] = {}
_lock = threading.Lock()


def register(path: Path) -> None:
    """Note that a connection to the database at ``path`` is open."""
    path = Path(os.path.abspath(path))  # the process may change directory later
    with _lock:
        _open[path] = _open.get(path, 0) + 1


def unregister(path: Path) -> None:
    """Note that one connection to ``path`` was closed."""
    path = Path(os.path.abspath(path))
    with _lock:
        left = _open.get(path, 0) - 1
        if left > 0:
            _open[path] = left
        else:
            _open.pop(path, None)


def is_database_file(path: str | os.PathLike[str]) -> bool:
    """Is ``path`` an open database of this process, or its WAL, shm or journal?"""
    with _lock:
        databases = list(_open)
    for database in databases:
        for suffix in _SIDE_SUFFIXES:
            side = database.with_name(database.name + suffix)
            try:
                if os.path.samefile(path, side):
                    return True
            except OSError:  # one of them does not exist
                continue
    return False


def refuse_database_file(path: str | os.PathLike[str]) -> None:
    """BadInputError if ``path`` is the database (or a side file) this process has open."""
    if is_database_file(path):

        raise BadInputError(f"cannot import {display_path(path)}: it is the workbench database "
                            f"itself (or one of its side files)")
