"""Import files into the store: articles (plain text), documents in their
original format (web pages, DOCX, ODT: ``workbench.core.documents``) and
corpora (TMX, XLIFF, CSV, TSV), all through one dispatcher that the command
line and the window share.

One import is all-or-nothing, whatever mix of files it gets:

1. every file is read and checked first (articles decoded and parsed, corpora
   through their importer's checking pass); a bad one stops the import before
   anything is written;
2. the documents are then written in short transactions of bounded work
   (``CHUNK_SECONDS``), marked *pending* (``documents.pending``): no reader sees
   them, and an edit from another process waits at most one chunk for the
   write lock instead of the whole import;
3. one short final transaction makes them all visible.

A failure or cancel while writing removes what was written (``discard_import``);
a killed import leaves pending rows that the next import removes before it
starts.  Re-importing a file with the same bytes returns the existing document.
"""
from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.core.documents.model import ExtractedDocument
from workbench.core.documents.segmenting import BlockSegment
from workbench.core.text.article import ParsedArticle, parse_article
from workbench.core.store.files import refuse_database_file
from workbench.core.errors import BadInputError
from workbench.core.formats.base import ImportedCorpus, ImportedUnit
from workbench.core.model import Status
from workbench.core.progress import Cancelled, CancelledFn, ProgressFn, never_cancelled, no_progress
from workbench.core.store.database import Store, utc_now
from workbench.core.text.decoding import display_path, read_text_file

_STATUS_VALUES = frozenset(s.value for s in Status)

# Files a directory import picks up besides corpora (see formats.importable_suffixes).
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}

# The other language of the product's main pair; anything else goes to English.
DEFAULT_TARGET = {"en": "ru", "ru": "en"}

# What a cancelled import says: it rolls back whole.
CANCELLED = "import cancelled: nothing was imported"

# A write chunk aims at this much time holding the write lock; its size in rows
# adapts to the measured speed, between the two bounds.
CHUNK_SECONDS = 0.2
MIN_CHUNK_ROWS, FIRST_CHUNK_ROWS, MAX_CHUNK_ROWS = 100, 1000, 50000
# Article segments per write transaction (three rows each: ~0.1 s).
ARTICLE_CHUNK_ROWS = 5000


@dataclass(frozen=True)
class ImportResult:
    """An article import: its document."""
    document_id: int
    path: str
    created: bool       # False: the same bytes were imported before
    title: str
    language: str
    segments: int
    format: str = "text"   # "text", or the document format ("html", "docx", "odt"...)


@dataclass(frozen=True)
class CorpusImportResult:
    """A corpus import: a document pair of aligned units."""
    source_document_id: int
    target_document_id: int
    units: int
    skipped: int        # units of the file without both languages
    created: bool
    path: str = ""
    format: str = ""

    @property
    def document_id(self) -> int:
        """The source document of the pair (the id a text import would report)."""
        return self.source_document_id


@dataclass(frozen=True)
class PreparedArticle:
    """A text file read, decoded, parsed and segmented: ready to store, nothing written yet."""
    path: Path
    checksum: str
    article: ParsedArticle


@dataclass(frozen=True)
class PreparedDocument:
    """A document in its original format read into blocks and segments: ready to store."""
    path: Path
    checksum: str
    data: bytes                    # the original file, kept for delivery
    extracted: ExtractedDocument
    language: str
    segments: list[BlockSegment]


@dataclass(frozen=True)
class PreparedCorpus:
    """A corpus file checked whole by its importer: ready to store, nothing written yet."""
    path: Path
    checksum: str
    corpus: ImportedCorpus


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, plus the importable files inside named directories (sorted;
    hidden files, the open database with its side files, and the ``NAME_files``
    folder a browser saves next to ``NAME.html`` left out).

    :param paths: files and directories; BadInputError for a missing one, or
        a directory without importable files."""
    from workbench.core.documents.registry import document_suffixes
    from workbench.core.store.files import is_database_file
    from workbench.core.formats.registry import importable_suffixes

    suffixes = set(importable_suffixes()) | set(document_suffixes()) | {""}
    named = [Path(raw).expanduser() for raw in paths]
    files: list[Path] = []
    for path in named:
        if path.is_dir():
            if _saved_page_folder(path) is not None:
                if any(p.is_file() and same_path(p, _saved_page_folder(path)) for p in named):
                    continue  # "import page.html page_files/": the folder is the page's
            found = sorted(p for p in path.rglob("*")
                           if p.is_file() and p.suffix.lower() in suffixes
                           and not p.name.startswith(".") and not is_database_file(p)
                           and not _in_saved_page_folder(p, path))
            if not found:
                raise BadInputError(f"{display_path(path)}: no importable files in this directory "
                                    f"({', '.join(s for s in sorted(suffixes) if s)})")
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            raise BadInputError(f"no such file or directory: {display_path(path)}")
    return files


def same_path(a: Path, b: Path) -> bool:
    """Whether two existing paths are the same file (by resolved path).

    :param a: a path.
    :param b: another."""
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _saved_page_folder(folder: Path) -> Path | None:
    """The page a browser saved with this folder (``page_files`` next to
    ``page.html``/``.htm``), or None."""
    if not folder.name.endswith("_files"):
        return None
    stem = folder.name[:-len("_files")]
    for suffix in (".html", ".htm", ".xhtml", ".HTML", ".HTM"):
        page = folder.with_name(stem + suffix)
        if page.is_file():
            return page
    return None


def _in_saved_page_folder(path: Path, root: Path) -> bool:
    """Whether ``path`` (found below ``root``) is inside a saved page's folder."""
    for parent in path.parents:
        if parent == root.parent:
            return False
        if _saved_page_folder(parent) is not None:
            return True
    return False


def detect_format(path: str | Path) -> str:
    """``"text"`` for an article, the document format ("html", "docx",
    "odt") of a document in its original format, else the corpus format
    ("tmx", "xliff", "csv", "tsv") of a file, by its content first and its
    extension second (see ``documents.registry.for_file`` and
    ``formats.registry.detect_format``).  BadInputError for XML that is
    neither TMX nor XLIFF, and for files that cannot be read.

    :param path: the file (never the database or its side files)."""
    from workbench.core.documents import registry as documents
    from workbench.core.formats.registry import SNIFF_BYTES, detect_format as by_content

    path = Path(path)
    refuse_database_file(path)
    if not path.is_file():
        return "text"  # read_text_file says what it is (missing, a directory, a device)
    try:
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as error:
        raise BadInputError(f"cannot read {display_path(path)}: {error.strerror or error}") from None
    # A file named as a corpus is judged as one (its importer says what is wrong).
    document = None if path.suffix.lower() in _CORPUS_SUFFIXES else documents.sniff(head, path)
    if document is not None:
        return document
    by_extension = documents.by_extension(path)
    try:
        found = by_content(path, head)
    except BadInputError:
        if by_extension is not None:
            return by_extension  # an .xhtml page the XML check takes for another XML file
        raise
    return by_extension if found == "text" and by_extension is not None else found


_CORPUS_SUFFIXES = frozenset((".tmx", ".xlf", ".xliff", ".xml", ".csv", ".tsv", ".tab"))


def is_corpus_format(fmt: str) -> bool:
    """Whether ``detect_format``'s answer names a corpus (bulk work: a backup first).

    :param fmt: a format name as ``detect_format`` returns it."""
    from workbench.core.formats.registry import IMPORTERS

    return fmt in IMPORTERS


# Documents in their original format may be bigger than a text article (pictures).
MAX_DOCUMENT_BYTES = 100 * 1024 * 1024


def prepare_document(path: Path, fmt: str, lang: str | None = None) -> PreparedDocument:
    """Read a document in its original format into blocks and segments (nothing is written).

    :param path: the file.
    :param fmt: its document format, as ``detect_format`` named it.
    :param lang: its language; the file's own (``<html lang>``...) or detected when None.
    BadInputError (one line, naming the file) when it cannot be read or holds no text."""
    from workbench.core.documents.registry import get_format
    from workbench.core.documents.segmenting import block_segments
    from workbench.core.text.decoding import detect_language
    from workbench.core.text.inline_tags import strip_tags

    name = display_path(path)
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise BadInputError(f"{name} is {size / 1048576:.1f} MB, over the import limit of "
                                f"{MAX_DOCUMENT_BYTES / 1048576:.0f} MB for documents")
        data = path.read_bytes()
    except OSError as error:
        raise BadInputError(f"cannot read {name}: {error.strerror or error}") from None
    if not data.strip():
        raise BadInputError(f"{name} is empty")
    extracted = get_format(fmt).read(data, path=name)
    sample = " ".join(strip_tags(block.text) for block in extracted.blocks[:200])
    language = lang or _document_language(extracted, sample, detect_language)
    segments = block_segments(extracted.blocks, language)
    if not any(strip_tags(segment.text).strip() for segment in segments):
        raise BadInputError(f"{name}: no text to import")
    return PreparedDocument(path, hashlib.sha256(data).hexdigest(), data, extracted, language,
                            segments)


def _document_language(extracted: ExtractedDocument, sample: str, detect) -> str:
    """The language a document declares, unless it is a word processor's default
    that its text clearly contradicts (a Russian DOCX made from an en-US template)."""
    declared = extracted.language
    if declared and extracted.format == "html":
        return declared  # a page's lang attribute is the site's statement
    letters = sum(ch.isalpha() for ch in sample[:2000])
    detected = detect(sample) if letters else "und"
    if declared and (letters < 100 or detected == "und"):
        return declared
    return detected if detected != "und" else (declared or "und")


def store_document(store: Store, prepared: PreparedDocument, target_lang: str | None = None, *,
                   import_token: str | None = None, chunk_rows: int | None = None,
                   cancelled: CancelledFn = never_cancelled) -> ImportResult:
    """Write a prepared document: its segments as 1:0 units (with the
    translations a bilingual file holds), its original file and the block of
    each paragraph (for delivery).

    :param store: the store to write.
    :param prepared: as ``prepare_document`` read it.
    :param target_lang: the language to translate it into (the file's, else ``DEFAULT_TARGET``).
    :param import_token: write it pending under this import, in transactions of
        ``chunk_rows`` segments; None: one transaction, visible.
    :param chunk_rows: segments per transaction (with ``import_token``).
    :param cancelled: polled before each chunk of a pending import; True raises ``Cancelled``.
    """
    extracted = prepared.extracted
    name = display_path(prepared.path)
    existing = store.document_by_checksum(prepared.checksum, import_token=import_token)
    if existing is not None:
        return ImportResult(existing.id, name, False, existing.title, existing.language,
                            store.segment_count(existing.id) or len(prepared.segments), extracted.format)
    language = prepared.language
    title = (extracted.title or "").strip() or display_path(prepared.path.stem)
    target = target_lang or extracted.target_language or DEFAULT_TARGET.get(language, "en")
    with store.transaction():
        doc_id = _add_document(
            store, prepared.path, title=title, language=language, target_language=target,
            source_path=_source_path(prepared.path), checksum=prepared.checksum,
            date=extracted.date, pending=import_token)
        store.add_document_file(
            doc_id, extracted.format, prepared.data, author=extracted.author, url=extracted.url,
            blocks=[(index, block.key, block.text) for index, block in enumerate(extracted.blocks)])
    segments = prepared.segments
    step = chunk_rows or len(segments) or 1
    for start in range(0, len(segments), step):
        if import_token is not None and cancelled():
            raise Cancelled(CANCELLED)
        chunk = segments[start:start + step]
        with store.transaction():
            ids = store.add_segments(doc_id, [(s.paragraph, s.kind, s.text, False) for s in chunk],
                                     start_seq=float(start))
            targets = [(sid, s.target, s.status if s.status in _STATUS_VALUES else Status.EDITED.value)
                       for sid, s in zip(ids, chunk) if s.target]
            if targets:
                store.set_imported_targets(targets)
            if import_token is not None:
                store.touch_import(import_token)
    return ImportResult(doc_id, name, True, title, language, len(segments), extracted.format)


def prepare(path: Path, lang: str | None = None, encoding: str | None = None) -> PreparedArticle:
    """Read and parse an article (nothing is written).

    :param path: the text file.
    :param lang: its language; detected when None.
    :param encoding: its encoding as the user named it; detected when None.
    """
    text, data = read_text_file(path, encoding=encoding)
    article = parse_article(text, lang)
    if not any(seg.text.strip() for seg in article.segments):
        raise BadInputError(f"{display_path(path)}: no text to import")
    return PreparedArticle(path, hashlib.sha256(data).hexdigest(), article)


def _source_path(path: Path) -> str:
    return display_path(path.resolve())


def store_article(store: Store, prepared: PreparedArticle, target_lang: str | None = None,
                  translation_of: int | None = None, *, import_token: str | None = None,
                  chunk_rows: int | None = None, cancelled: CancelledFn = never_cancelled) -> ImportResult:
    """Write a prepared article as a document of 1:0 units (or, with
    ``translation_of``, as the translation of that document, without units).

    :param store: the store to write.
    :param prepared: the article, as ``prepare`` read it.
    :param target_lang: the language to translate it into (default: ``DEFAULT_TARGET``).
    :param translation_of: store it as the translation of this document.
    :param import_token: write it pending under this import (see ``Store.begin_import``),
        in transactions of ``chunk_rows`` segments; None: one transaction, visible.
    :param chunk_rows: segments per transaction (with ``import_token``).
    :param cancelled: polled before each chunk of a pending import; True raises
        ``Cancelled`` (the import's caller removes what was written).
    """
    existing = store.document_by_checksum(prepared.checksum, import_token=import_token)
    if existing is not None:  # imported before, or earlier in this import (same bytes)
        return ImportResult(existing.id, display_path(prepared.path), False, existing.title,
                            existing.language, store.segment_count(existing.id)
                            or len(prepared.article.segments))
    article = prepared.article
    language = article.language
    title = article.title or display_path(prepared.path.stem)
    with store.transaction():
        doc_id = _add_document(
            store, prepared.path, title=title, language=language,
            target_language=target_lang or DEFAULT_TARGET.get(language, "en"),
            source_path=_source_path(prepared.path), checksum=prepared.checksum,
            date=article.date, translation_of=translation_of, pending=import_token)
    rows = [(s.paragraph, s.kind, s.text, False) for s in article.segments]
    step = chunk_rows or len(rows) or 1
    for start in range(0, len(rows), step):
        if import_token is not None and cancelled():
            raise Cancelled(CANCELLED)
        with store.transaction():
            store.add_segments(doc_id, rows[start:start + step], with_units=translation_of is None,
                               start_seq=float(start))
            if import_token is not None:
                store.touch_import(import_token)
    return ImportResult(doc_id, display_path(prepared.path), True, title, language,
                        len(article.segments))


def _add_document(store: Store, path: Path, **fields) -> int:
    try:
        return store.add_document(**fields)
    except sqlite3.IntegrityError:
        # The checksum is taken by a document another process is importing.
        raise BadInputError(f"{display_path(path)} is being imported by another workbench "
                            f"process right now; try again when it has finished") from None


def _checksum(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as error:
        raise BadInputError(f"cannot read {display_path(path)}: {error.strerror or error}") from None
    return digest.hexdigest()


def prepare_corpus(path: Path, fmt: str, source_lang: str | None = None,
                   target_lang: str | None = None) -> PreparedCorpus:
    """Check a corpus file whole (its importer's checking pass; nothing is written).

    :param path: the corpus file.
    :param fmt: its format, as ``detect_format`` named it.
    :param source_lang: its source language (the file's, or detected, when None).
    :param target_lang: its target language (likewise)."""
    from workbench.core.formats import get_importer

    corpus = get_importer(fmt).read(path, source_lang=source_lang, target_lang=target_lang)
    if corpus.unit_count == 0:
        raise BadInputError(f"{display_path(path.name)}: no translation units with both "
                            f"{corpus.source_lang} and {corpus.target_lang} text")
    return PreparedCorpus(path, _checksum(path), corpus)


class _Chunker:
    """Sizes write chunks so that each holds the write lock about CHUNK_SECONDS."""

    def __init__(self) -> None:
        self.rows = FIRST_CHUNK_ROWS

    def measured(self, rows: int, seconds: float) -> None:
        if rows and seconds > 0:
            wanted = rows * CHUNK_SECONDS / seconds
            self.rows = int(min(MAX_CHUNK_ROWS, max(MIN_CHUNK_ROWS, 0.5 * self.rows + 0.5 * wanted)))


def _unit_row(unit: ImportedUnit, now: str) -> tuple:
    """The store row of an imported unit; post-edit scores computed here, outside
    any transaction (sacrebleu is slow next to an INSERT)."""
    from workbench.core.scoring import unit_scores

    props = unit.props
    # A unit of a corpus is a person's translation: approved, unless the file
    # (one the workbench exported) names its status.
    status = props.get("x-status", Status.APPROVED.value)
    if status not in _STATUS_VALUES:
        status = Status.APPROVED.value
    mt = props.get("x-mt")
    chrf = ter = None
    if mt is not None:
        if mt == unit.target and mt.strip():
            chrf, ter = 100.0, 0.0  # untouched MT: no need to ask sacrebleu
        else:
            scores = unit_scores(mt, unit.target)
            chrf, ter = (scores.chrf, scores.ter) if scores else (None, None)
    created = unit.created_at or now
    return (unit.source, unit.target, status, mt, props.get("x-mt-engine"),
            props.get("x-mt-model"), props.get("x-mt-version"), created,
            unit.changed_at or unit.created_at or now, chrf, ter)


def store_corpus(store: Store, prepared: PreparedCorpus, import_token: str, *,
                 chunker: _Chunker | None = None, progress: ProgressFn = no_progress,
                 cancelled: CancelledFn = never_cancelled) -> CorpusImportResult:
    """Write a checked corpus as a pending document pair, chunk by chunk.

    :param store: the store to write.
    :param prepared: the corpus, as ``prepare_corpus`` checked it.
    :param import_token: the import it belongs to (``Store.begin_import``):
        its documents stay invisible until the import is published.
    :param chunker: sizes the write transactions (shared by the files of one import).
    :param progress: ``progress(fraction, message)``.
    :param cancelled: polled before each chunk; True raises ``Cancelled``
        (the import's caller removes what was written)."""
    corpus, path = prepared.corpus, prepared.path
    existing = store.document_by_checksum(prepared.checksum, import_token=import_token)
    if existing is not None:  # imported before, or earlier in this import (same bytes)
        target = store.document_by_checksum(f"{prepared.checksum}:{corpus.target_lang}",
                                            import_token=import_token)
        return CorpusImportResult(existing.id, target.id if target else existing.id,
                                  len(store.unit_ids(existing.id)) or corpus.unit_count,
                                  corpus.skipped, False, display_path(path), corpus.format)
    chunker = chunker or _Chunker()
    title = display_path(path.stem)
    source_path = _source_path(path)
    with store.transaction():
        src_doc = _add_document(store, path, title=title, language=corpus.source_lang,
                                target_language=corpus.target_lang, source_path=source_path,
                                checksum=prepared.checksum, date=None, pending=import_token)
        tgt_doc = _add_document(store, path, title=f"{title} ({corpus.target_lang})",
                                language=corpus.target_lang, target_language=None,
                                source_path=source_path,
                                checksum=f"{prepared.checksum}:{corpus.target_lang}", date=None,
                                translation_of=src_doc, pending=import_token)
    now = utc_now()
    written = 0
    units: Iterator[ImportedUnit] = iter(corpus.units())
    while True:
        if cancelled():
            raise Cancelled(CANCELLED)
        batch = []
        for unit in units:  # parsing happens here, outside any transaction
            batch.append(_unit_row(unit, now))
            if len(batch) >= chunker.rows:
                break
        if not batch:
            break
        started = time.monotonic()
        store.add_corpus_units(src_doc, tgt_doc, batch, start_seq=written, import_token=import_token)
        chunker.measured(len(batch), time.monotonic() - started)
        written += len(batch)
        progress(written / max(corpus.unit_count, 1), f"imported {written:,} units of {path.name}")
    if written == 0:
        raise BadInputError(f"{display_path(path.name)}: no translation units with both "
                            f"{corpus.source_lang} and {corpus.target_lang} text")
    return CorpusImportResult(src_doc, tgt_doc, written, corpus.skipped, True,
                              display_path(path), corpus.format)


def import_paths(store: Store, paths: Sequence[str | Path], *, lang: str | None = None,
                 target_lang: str | None = None, encoding: str | None = None,
                 as_document: bool = False, progress: ProgressFn = no_progress,
                 cancelled: CancelledFn = never_cancelled) -> list[ImportResult | CorpusImportResult]:
    """Import files and directories of them, all or nothing: the one import
    dispatcher (command line and window).

    :param store: the store to write.
    :param paths: files (articles or corpora, told apart by ``detect_format``)
        and directories (their importable files, recursively).
    :param lang: the articles' language, or a corpus's source language; detected when None.
    :param target_lang: the language to translate articles into, or a corpus's
        target language.
    :param encoding: the articles' encoding as the user named it; detected when None.
    :param as_document: read bilingual files (XLIFF, PO) as documents to review
        and deliver (``documents.registry``), not as corpora.
    :param progress: ``progress(fraction, message)``.
    :param cancelled: polled between files and chunks; True raises ``Cancelled``
        and nothing is imported.
    Returns one result per file, in order.  Raises BadInputError (nothing
    imported) when any file cannot be imported.
    """
    files = expand_paths(paths)
    prepared: list[PreparedArticle | PreparedCorpus | PreparedDocument] = []
    for n, path in enumerate(files):
        if cancelled():
            raise Cancelled(CANCELLED)
        progress(0.3 * n / len(files), f"checking {display_path(path.name)}")
        fmt = detect_format(path)
        # A bilingual format (XLIFF) has a corpus importer and a document
        # format under the same name: --as-document picks the document.
        # Corpus-only formats (TMX, CSV, TSV) stay corpora.
        as_bilingual_document = as_document and is_corpus_format(fmt) and _has_document_format(fmt)
        if fmt == "text":
            prepared.append(prepare(path, lang, encoding))
        elif is_corpus_format(fmt) and not as_bilingual_document:
            prepared.append(prepare_corpus(path, fmt, lang, target_lang))
        else:
            prepared.append(prepare_document(path, fmt, lang))
    store.discard_stale_imports()
    token = store.begin_import()
    total = sum(_size(p) for p in prepared) or 1
    done = 0
    chunker = _Chunker()
    results: list[ImportResult | CorpusImportResult] = []
    try:
        for item in prepared:
            if cancelled():
                raise Cancelled(CANCELLED)
            name = display_path(item.path.name)
            if isinstance(item, PreparedCorpus):
                def report(fraction: float, message: str, before=done,
                           size=item.corpus.unit_count) -> None:
                    progress(0.3 + 0.7 * (before + fraction * size) / total, message)

                result = store_corpus(store, item, token, chunker=chunker, progress=report,
                                      cancelled=cancelled)
                done += item.corpus.unit_count
            elif isinstance(item, PreparedDocument):
                progress(0.3 + 0.7 * done / total, f"storing {name}")
                result = store_document(store, item, target_lang, import_token=token,
                                        chunk_rows=ARTICLE_CHUNK_ROWS, cancelled=cancelled)
                done += len(item.segments)
            else:
                progress(0.3 + 0.7 * done / total, f"storing {name}")
                result = store_article(store, item, target_lang, import_token=token,
                                       chunk_rows=ARTICLE_CHUNK_ROWS, cancelled=cancelled)
                done += len(item.article.segments)
            results.append(result)
        store.publish_import(token)
    except BaseException:
        try:
            store.discard_import(token)
        except Exception:  # noqa: BLE001 - the next import removes the rows (they are stale)
            pass
        raise
    progress(1.0, f"imported {sum(r.created for r in results)} new document(s)")
    return results


def import_corpus(store: Store, path: str | Path, *, source_lang: str | None = None,
                  target_lang: str | None = None, progress: ProgressFn = no_progress,
                  cancelled: CancelledFn = never_cancelled) -> CorpusImportResult:
    """Import one TMX, XLIFF, CSV or TSV file as a document pair of aligned units.

    :param store: the store to write.
    :param path: the corpus file.
    :param source_lang: its source language (the file's, or detected, when None).
    :param target_lang: its target language (likewise).
    :param progress: ``progress(fraction, message)``.
    :param cancelled: polled between chunks; True raises ``Cancelled`` and
        nothing is imported."""
    path = Path(path)
    if not path.is_file():
        raise BadInputError(f"no such file: {display_path(path)}")
    if not is_corpus_format(detect_format(path)):
        raise BadInputError(f"{display_path(path.name)} is not a TMX, XLIFF, CSV or TSV corpus")
    (result,) = import_paths(store, [path], lang=source_lang, target_lang=target_lang,
                             progress=progress, cancelled=cancelled)
    return result  # type: ignore[return-value]


def imports_corpus(paths, *, as_document: bool = False) -> bool:
    """Whether importing ``paths`` brings in a corpus (TMX, XLIFF, CSV, TSV by
    content): bulk work that gets a backup first.  Reads only each file's head.

    :param paths: files and directories, as for ``import_paths``.
    :param as_document: bilingual files are read as documents, not corpora."""
    for path in expand_paths(paths):
        fmt = detect_format(path)
        if is_corpus_format(fmt) and not (as_document and _has_document_format(fmt)):
            return True
    return False


def _has_document_format(fmt: str) -> bool:
    from workbench.core.documents.registry import names

    return fmt in names()


def _size(item: PreparedArticle | PreparedCorpus | PreparedDocument) -> int:
    if isinstance(item, PreparedCorpus):
        return item.corpus.unit_count
    if isinstance(item, PreparedDocument):
        return len(item.segments)
    return len(item.article.segments)
