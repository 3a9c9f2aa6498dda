"""What long work (MT, alignment, import, export) shares: the callbacks it
takes, and the one way it stops when asked to.

Every long job takes ``progress(fraction, message)`` and ``cancelled()``;
when ``cancelled()`` returns True it raises ``Cancelled``, and nothing else
(no ``cancelled=True`` results, no user errors).  The command line and each
window job handle ``Cancelled`` in one place.
"""
from __future__ import annotations

from typing import Callable

ProgressFn = Callable[[float, str], None]
CancelledFn = Callable[[], bool]


def no_progress(fraction: float, message: str) -> None:  # noqa: ARG001 - a sink
    """Default progress sink: long work reports, nobody listens."""


def never_cancelled() -> bool:
    """Default cancel poll: nobody asks long work to stop."""
    return False


class Cancelled(Exception):
    """Long work stopped because its ``cancelled()`` returned True.

    Not a ``WorkbenchError``: nothing went wrong, the person asked to stop.
    The message is one line for the user.  ``partial`` is what the job
    finished and kept before it stopped (the translation job commits batch by
    batch: its ``TranslationSummary``), or None when it keeps nothing
    (imports, exports and alignments leave everything as it was)."""

    def __init__(self, message: str = "cancelled", *, partial: object = None):
        """:param message: what stopped, and what became of the work (one line).
        :param partial: the result of the work kept, or None."""
        super().__init__(message)
        self.partial = partial

