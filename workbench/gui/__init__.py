"""The review window (PySide6).  Nothing here is imported by the core or the CLI
until ``workbench gui`` runs."""
from __future__ import annotations

import ctypes
import sys


def _guard_pyside_refcount_bug() -> bool:
    """PySide6 6.12.0 drops a reference to ``True`` (and now and then to
    ``None``/``False``) on every ``Signal.emit()`` from Python.  From Python
    3.12 these singletons are immortal and nothing happens; on 3.11 a few
    thousand emits free ``True`` and the process aborts ("bool_dealloc:
    deallocating True or False").  Until the dependency pin excludes 6.12.0,
    make them immortal here as 3.12 does: a huge reference count they can
    never lose.  Returns whether the guard was applied."""
    if sys.version_info >= (3, 12):
        return False
    try:
        from PySide6 import __version__ as pyside_version
    except ImportError:
        return False
    if not pyside_version.startswith("6.12."):
        return False
    for singleton in (True, False, None):
        refcount = ctypes.c_ssize_t.from_address(id(singleton))
        refcount.value += 1 << 40
    return True


PYSIDE_REFCOUNT_GUARD = _guard_pyside_refcount_bug()
