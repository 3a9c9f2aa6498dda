"""Which document formats exist: by name, by extension and by content.

Registering a format is one line in ``_FORMATS`` (a class implementing
``model.DocumentFormat``).  ``sniff`` tells a file's format from its first
bytes, so a web page saved as .txt or a Word file without its extension is
still read as what it is; ``for_file`` falls back to the extension.
"""
from __future__ import annotations

import importlib
import re
from functools import lru_cache
from pathlib import Path

from workbench.core.documents.model import DocumentFormat
from workbench.core.errors import BadInputError

# name -> ("module:Class", extensions): one line per format.  Classes are
# imported on first use (lxml, python-docx, odfpy and trafilatura are heavy for
# a command that never reads a document).
_FORMATS: dict[str, tuple[str, tuple[str, ...]]] = {
    "html": ("workbench.core.documents.html:HtmlFormat", (".html", ".htm", ".xhtml", ".shtml")),
    "docx": ("workbench.core.documents.docx:DocxFormat", (".docx",)),
    "odt": ("workbench.core.documents.odt:OdtFormat", (".odt",)),
    "xliff": ("workbench.core.documents.xliff_file:XliffFile", (".xlf", ".xliff")),
    "po": ("workbench.core.documents.po_file:PoFile", (".po", ".pot")),
}

# An OLE2 compound file: an old .doc, or a DOCX/ODT encrypted with a password.
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_HTML_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>])",
    re.IGNORECASE | re.DOTALL)


@lru_cache(maxsize=None)
def get_format(name: str) -> DocumentFormat:
    """The format called ``name`` (``html``, ``docx``...).

    :param name: a registered format's name; BadInputError for another."""
    try:
        module, _, cls = _FORMATS[name][0].partition(":")
    except KeyError:
        raise BadInputError(f"unknown document format {name!r}: choose from "
                            f"{', '.join(sorted(_FORMATS))}") from None
    return getattr(importlib.import_module(module), cls)()


def is_bilingual(name: str) -> bool:
    """Whether documents of this format carry their own translations (XLIFF,
    PO), so that delivering saves them back rather than filling them in.

    :param name: a format name as stored for a document ("text" for an article without an original)."""
    return name in _FORMATS and get_format(name).bilingual


def names() -> list[str]:
    """The registered formats' names."""
    return sorted(_FORMATS)


def document_suffixes() -> tuple[str, ...]:
    """Extensions of every registered document format (for directory imports and dialogs)."""
    return tuple(ext for _, extensions in _FORMATS.values() for ext in extensions)


def by_extension(path: str | Path) -> str | None:
    """The format a file's extension names, or None.

    :param path: the file."""
    suffix = Path(path).suffix.lower()
    for name, (_, extensions) in _FORMATS.items():
        if suffix in extensions:
            return name
    return None


def sniff(head: bytes, path: str | Path | None = None) -> str | None:
    """The document format the first bytes of a file show, or None.

    :param head: the file's first bytes (a few KiB).
    :param path: its name: an encrypted Office file (OLE2) is named by its
        extension, since its content does not say what it holds.
    A ZIP is a DOCX when it holds ``word/document.xml``, an ODT when its
    ``mimetype`` member (stored first, uncompressed) says so; HTML starts
    with a doctype or an ``<html>`` element.
    """
    if head.startswith(ZIP_MAGIC):
        if b"mimetypeapplication/vnd.oasis.opendocument.text" in head[:200]:
            return "odt"
        if b"word/" in head or b"[Content_Types].xml" in head:
            return "docx" if (path is None or by_extension(path) != "odt") else "odt"
        return by_extension(path) if path is not None and by_extension(path) in ("docx", "odt") else None
    if head.startswith(OLE2_MAGIC):
        return by_extension(path) if path is not None and by_extension(path) in ("docx", "odt") else None
    if _HTML_START.match(head[:4096]):
        return "html"
    return None


def for_file(path: str | Path, head: bytes) -> str | None:
    """The document format of a file by its content first, its extension second; None when
    it is not a document format (a plain-text article or a corpus).

    :param path: the file.
    :param head: its first bytes."""
    return sniff(head, path) or by_extension(path)
