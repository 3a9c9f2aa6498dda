"""Errors the user is meant to read.

Every failure that comes from the user's input (a file, a database, an argument)
is raised as a ``WorkbenchError`` subclass with a one-line message.  The CLI and
the GUI show ``str(error)`` and nothing else; anything else is a bug.
"""
from __future__ import annotations


class WorkbenchError(Exception):
    """Base class: the message is complete, user-facing, one line."""


class BadInputError(WorkbenchError):
    """A file or argument that cannot be used (empty, binary, malformed...)."""


class DatabaseError(WorkbenchError):
    """The database file cannot be opened or has an unknown schema."""


class DatabaseBusyError(DatabaseError):
    """Another process held the write lock for longer than the busy timeout."""


class IndexBusyError(WorkbenchError):
    """Another process is rebuilding the memory's word index."""


class NotFoundError(WorkbenchError):
    """An id that names nothing in the store."""


class HistoryConflict(WorkbenchError):
    """An undo or redo that would overwrite a change made outside the history."""


class ModelError(WorkbenchError):
    """A machine-translation package is missing, invalid or failed to load."""


class NoModelError(ModelError):
    """No model for a language pair is installed (where MT is only a signal,
    as for alignment, the work goes on without it)."""


class PostEditsError(BadInputError):
    """Aligning would replace targets a person wrote or approved, and the
    caller did not say whether to keep or replace them."""


class DamagedDatabaseError(DatabaseError):
    """SQLite found the database file damaged: nothing may be written to it."""


class ReadOnlyDatabaseError(DatabaseError):
    """A write was asked of a database opened read-only (file or folder not writable)."""


class DiskFullError(DatabaseError):
    """The disk holding the database filled up; the transaction was rolled back whole."""


class OutputRefusedError(BadInputError):
    """An output path that would overwrite the database or a file the workbench owns."""


class OutputExistsError(OutputRefusedError):
    """An existing file of another kind: overwriting it needs ``force``."""

    def __init__(self, message: str, path: object = None, looks_like: str = "", wanted: str = ""):
        super().__init__(message)
        self.path = path                # the existing file
        self.looks_like = looks_like    # what it seems to hold ("plain text", "an SQLite database"...)
        self.wanted = wanted            # what would be written ("TMX file"...)
