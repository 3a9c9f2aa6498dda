"""Import articles (plain text) into the store.

All files are read and parsed first; only when every one of them is good is
anything written, so a bad file in a batch changes nothing.  Re-importing a
file with the same bytes returns the existing document.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .article import ParsedArticle, parse_article
from .errors import BadInputError
from .progress import CancelledFn, ProgressFn, never_cancelled, no_progress
from .store import Store
from .textio import read_text_file

# Files a directory import picks up; TMX/CSV corpora go through formats.
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}

# The other language of the product's main pair; anything else goes to English.
DEFAULT_TARGET = {"en": "ru", "ru": "en"}


@dataclass(frozen=True)
class ImportResult:
    document_id: int
    path: str
    created: bool       # False: the same bytes were imported before
    title: str
    language: str
    segments: int


@dataclass(frozen=True)
class _Prepared:
    path: Path
    checksum: str
    article: ParsedArticle


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, plus the text files inside named directories (sorted)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            found = sorted(p for p in path.rglob("*")
                           if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES
                           and not p.name.startswith("."))
            if not found:
                raise BadInputError(f"{path}: no text files in this directory")
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            raise BadInputError(f"no such file or directory: {path}")
    return files


def prepare(path: Path, lang: str | None = None) -> _Prepared:
    text, data = read_text_file(path)
    article = parse_article(text, lang)
    if not any(seg.text.strip() for seg in article.segments):
        raise BadInputError(f"{path}: no text to import")
    return _Prepared(path, hashlib.sha256(data).hexdigest(), article)


def store_article(store: Store, prepared: _Prepared, target_lang: str | None = None,
                  translation_of: int | None = None) -> ImportResult:
    existing = store.document_by_checksum(prepared.checksum)
    if existing is not None:
        return ImportResult(existing.id, str(prepared.path), False, existing.title,
                            existing.language, store.segment_count(existing.id))
    article = prepared.article
    language = article.language
    with store.transaction():
        doc_id = store.add_document(
            title=article.title or prepared.path.stem, language=language,
            target_language=target_lang or DEFAULT_TARGET.get(language, "en"),
            source_path=str(prepared.path.resolve()), checksum=prepared.checksum,
            date=article.date, translation_of=translation_of)
        store.add_segments(doc_id, ((s.paragraph, s.kind, s.text, False) for s in article.segments),
                           with_units=translation_of is None)
    return ImportResult(doc_id, str(prepared.path), True, article.title or prepared.path.stem,
                        language, len(article.segments))


def import_paths(store: Store, paths: Sequence[str | Path], *, lang: str | None = None,
                 target_lang: str | None = None, progress: ProgressFn = no_progress,
                 cancelled: CancelledFn = never_cancelled) -> list[ImportResult]:
    files = expand_paths(paths)
    prepared: list[_Prepared] = []
    for n, path in enumerate(files):
        if cancelled():
            return []
        progress(n / (2 * len(files)), f"reading {path.name}")
        prepared.append(prepare(path, lang))
    results = []
    # One transaction for the batch: all files land, or none.
    with store.transaction():
        for n, item in enumerate(prepared):
            progress(0.5 + n / (2 * len(prepared)), f"storing {item.path.name}")
            results.append(store_article(store, item, target_lang))
    progress(1.0, f"imported {sum(r.created for r in results)} new document(s)")
    return results
