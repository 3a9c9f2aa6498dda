"""Questions and small writes about documents as a pair: an article and its
human translation (``documents.translation_of``), and whether its units are
aligned to it (``units.target_document_id``).

A mixin of ``Store`` (``database.py``), which provides ``conn`` and
``transaction()``; it imports nothing of the store so the store can import it.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager

from workbench.core.model import Document


class DocumentQueries:
    """Document-pair lookups and writes of ``Store``."""

    # Provided by Store.
    conn: sqlite3.Connection
    transaction: Callable[[], AbstractContextManager[sqlite3.Connection]]
    _DOC_COLUMNS: str  # Document's fields, in order

    def translation_of(self, source_id: int) -> Document | None:
        """The human translation of a document: the newest visible document
        stored as its translation, or None.

        :param source_id: the article."""
        row = self.conn.execute(
            f"SELECT {self._DOC_COLUMNS} FROM documents WHERE translation_of = ? AND pending IS NULL"
            " ORDER BY id DESC LIMIT 1", (source_id,)).fetchone()
        return Document(*row) if row else None

    def has_units(self, document_id: int) -> bool:
        """Whether a document has translation units of its own (an article
        does; a translation stored for alignment does not).

        :param document_id: the document."""
        return self.conn.execute("SELECT 1 FROM units WHERE document_id = ? LIMIT 1",
                                 (document_id,)).fetchone() is not None

    def is_aligned_with(self, source_id: int, target_id: int) -> bool:
        """Whether the article's units link to sentences of ``target_id`` (the
        pair was aligned, and the alignment not undone).

        :param source_id: the article.
        :param target_id: its translation."""
        return self.conn.execute(
            "SELECT 1 FROM units WHERE document_id = ? AND target_document_id = ? LIMIT 1",
            (source_id, target_id)).fetchone() is not None

    def set_translation_of(self, document_id: int, source_id: int) -> None:
        """Store a document as the translation of another.

        :param document_id: the translation.
        :param source_id: the article it translates."""
        with self.transaction() as conn:
            conn.execute("UPDATE documents SET translation_of = ? WHERE id = ?", (source_id, document_id))

    def set_target_language(self, document_id: int, language: str) -> None:
        """Set the language a document is translated into.

        :param document_id: the document.
        :param language: an ISO 639-1 code."""
        with self.transaction() as conn:
            conn.execute("UPDATE documents SET target_language = ? WHERE id = ?", (language, document_id))
