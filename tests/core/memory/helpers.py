"""What the memory's migration tests share."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from workbench.core.store.schema import MIGRATIONS


def database_at_schema(path: Path, version: int, *, foreign_keys: bool = False) -> sqlite3.Connection:
    """A database built by the first ``version`` migrations, as an older
    workbench left it; an open autocommit connection to fill it.

    Parameters:
        path: where; version: how many migrations; foreign_keys: turn them on."""
    conn = sqlite3.connect(path, isolation_level=None)
    if foreign_keys:
        conn.execute("PRAGMA foreign_keys = ON")
    for migration in MIGRATIONS[:version]:
        for statement in migration:
            conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {version}")
    return conn
