"""What a document format extracts from an original file, and what its writer gets back.

A *block* is one translatable piece of the original as its reader sees it:
a paragraph, heading, list item, table cell or footnote of a DOCX/ODT/HTML
file, or one unit of a bilingual file (an XLIFF trans-unit, a PO entry).
Its ``key`` locates it in the original so that the writer can put the
translation back; its ``text`` carries inline formatting as compact tags
(``workbench.core.text.inline_tags``), whose meaning only the format knows.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

__all__ = ["Block", "ExtractedDocument", "DocumentFormat", "BLOCK_KINDS"]

# The segment kinds of the store (segments.kind).
BLOCK_KINDS = ("title", "meta", "body", "boilerplate")


@dataclass
class Block:
    """One translatable block of an original document."""
    key: str                     # locator in the original, stable for the writer
    text: str                    # source text, inline formatting as tags (<b0>..</b0>, <x1/>)
    kind: str = "body"           # one of BLOCK_KINDS
    target: str | None = None    # bilingual formats: the translation already in the file
    status: str | None = None    # its state as a workbench status: new, machine, edited, approved, tm
    presegmented: bool = False   # one segment as it is, never split into sentences (XLIFF/PO units)
    note: str | None = None      # translator's/developer's note from the file, if any


@dataclass
class ExtractedDocument:
    """Everything a format reader found in an original file."""
    format: str                          # "html", "docx", "odt", "xliff", "po", ...
    blocks: list[Block] = field(default_factory=list)
    title: str | None = None
    language: str | None = None          # source language declared by the file (lang, xml:lang, PO header)
    target_language: str | None = None   # bilingual formats: the declared target language
    date: str | None = None              # publication date (ISO 8601) where the file gives one
    author: str | None = None
    url: str | None = None               # where a web page came from


class DocumentFormat(Protocol):
    """One original-document format: a reader and a writer (one class per format)."""

    name: str                       # "docx", "xliff", ...
    extensions: tuple[str, ...]     # (".docx",)
    # Carries its own translations (XLIFF, PO): delivering saves the file back
    # with the reviewed targets and states, never a fallback over the file's own.
    bilingual: bool

    def read(self, data: bytes, *, path: str | None = None) -> ExtractedDocument:
        """Extract the blocks of ``data``; raise ``BadInputError`` with one clear message on bad input."""
        ...

    def write(self, original: bytes, translations: Mapping[str, str], *,
              target_language: str | None = None,
              statuses: Mapping[str, str] | None = None) -> bytes:
        """The original with each block in ``translations`` (key -> text with tags) translated.

        Blocks missing from ``translations`` are left as they are.  ``statuses``
        (key -> workbench status) lets bilingual formats update their states.
        """
        ...
