"""Paths as the workbench shows and places them: no imports from the rest of
the program, so any layer may use it."""
from __future__ import annotations

import os
from pathlib import Path


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as text that can be printed and stored: bytes of a file name that
    are not valid in the file system's encoding (a Latin-1 name on a UTF-8
    system) show as U+FFFD instead of unencodable surrogates."""
    text = os.fspath(path)
    if isinstance(text, bytes):
        return text.decode("utf-8", errors="replace")
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return os.fsencode(text).decode("utf-8", errors="replace")


def backup_dir(database: str | Path) -> Path:
    """The folder holding ``database``'s backups: ``backups/`` next to it."""
    return Path(database).expanduser().absolute().parent / "backups"
