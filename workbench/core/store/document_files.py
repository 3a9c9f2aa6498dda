"""The store's rows of documents kept in their original format (schema
migration 7): the original file's bytes, its format, its author and URL, and
which block of the original each paragraph came from.

A mixin of ``Store`` (``database.py``): every method runs on ``self.conn``
and writes inside ``self.transaction()``.  All SQL of document files is here.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass


@dataclass(frozen=True)
class DocumentFile:
    """A document's original file: what ``deliver`` writes the translation into."""
    document_id: int
    format: str           # the name of its DocumentFormat ("html", "docx", "odt"...)
    original: bytes
    author: str | None
    url: str | None


@dataclass(frozen=True)
class DocumentBlock:
    """The block of the original that a paragraph of the document came from."""
    paragraph: int
    key: str              # the format's locator of the block
    text: str             # the block's source text, inline tags included


class DocumentFileRows:
    """Original files and their blocks, for ``Store``."""

    # Provided by Store.
    conn: sqlite3.Connection
    transaction: Callable[[], AbstractContextManager[sqlite3.Connection]]

    def add_document_file(self, document_id: int, format_name: str, original: bytes, *,
                          blocks: Iterable[tuple[int, str, str]], author: str | None = None,
                          url: str | None = None) -> None:
        """Keep a document's original file and the block of each paragraph.

        :param document_id: the document (already added).
        :param format_name: the format that reads and writes the file.
        :param original: the file's bytes.
        :param blocks: ``(paragraph, key, text)`` per block.
        :param author: the author the file names, if any.
        :param url: where a web page came from, if known."""
        with self.transaction() as conn:
            conn.execute("INSERT INTO document_files (document_id, format, original, author, url)"
                         " VALUES (?, ?, ?, ?, ?)",
                         (document_id, format_name, sqlite3.Binary(original), author, url))
            conn.executemany("INSERT INTO document_blocks (document_id, paragraph, key, text)"
                             " VALUES (?, ?, ?, ?)",
                             ((document_id, paragraph, key, text) for paragraph, key, text in blocks))

    def document_file(self, document_id: int) -> DocumentFile | None:
        """A document's original file, or None (plain text, corpora, and
        documents imported before originals were kept).

        :param document_id: the document."""
        row = self.conn.execute("SELECT document_id, format, original, author, url"
                                " FROM document_files WHERE document_id = ?", (document_id,)).fetchone()
        return DocumentFile(row[0], row[1], bytes(row[2]), row[3], row[4]) if row else None

    def document_file_info(self, document_id: int) -> tuple[str, str | None, str | None] | None:
        """``(format, author, url)`` of a document's original file, without its bytes; or None.

        :param document_id: the document."""
        row = self.conn.execute("SELECT format, author, url FROM document_files WHERE document_id = ?",
                                (document_id,)).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def document_blocks(self, document_id: int) -> list[DocumentBlock]:
        """The blocks of a document's original, by paragraph.

        :param document_id: the document."""
        return [DocumentBlock(*row) for row in self.conn.execute(
            "SELECT paragraph, key, text FROM document_blocks WHERE document_id = ? ORDER BY paragraph",
            (document_id,))]

    def segment_paragraphs(self, document_id: int) -> list[int]:
        """The paragraphs that hold at least one of a document's segments, in order.

        :param document_id: the document."""
        return [row[0] for row in self.conn.execute(
            "SELECT DISTINCT paragraph FROM segments WHERE document_id = ? ORDER BY paragraph",
            (document_id,))]

    def set_imported_targets(self, rows: Iterable[tuple[int, str, str]]) -> None:
        """Give units the translation a bilingual file already holds.

        :param rows: ``(source segment id, target, status)``; the unit of each
            segment gets the target and the status."""
        with self.transaction() as conn:
            conn.executemany(
                "UPDATE units SET target = ?, status = ? WHERE id ="
                " (SELECT unit_id FROM unit_segments WHERE segment_id = ?)",
                ((target, status, segment_id) for segment_id, target, status in rows))
