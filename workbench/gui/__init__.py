"""The review window (PySide6).  Nothing here is imported by the core or the CLI
until ``workbench gui`` runs.

PySide6 6.12.0 drops a reference to ``True``/``False``/``None`` on every
``Signal.emit()`` under Python 3.11 and aborts after a few thousand emits
("bool_dealloc"); pyproject.toml therefore requires PySide6 < 6.12.
"""
