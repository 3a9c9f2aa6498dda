"""Memory files: TMX, CSV/TSV and XLIFF corpora imported as named memories.

The format importers (``workbench.core.formats``) check the whole file first,
so a malformed file imports nothing and its error says where it is broken.
"""
from __future__ import annotations

from pathlib import Path

from workbench.core.errors import BadInputError
from workbench.core.formats import get_importer
from workbench.core.importing import detect_format, is_corpus_format
from workbench.core.progress import CancelledFn, ProgressFn, never_cancelled, no_progress

# What a document format is called in a message (documents.registry's names).
_DOCUMENT_KINDS = {"html": "a web page", "docx": "a Word document", "odt": "an OpenDocument text",
                   "po": "a PO file"}


def check_pair(store, file_name: str, declared: tuple[str, str], source_lang: str | None,
               target_lang: str | None) -> None:
    """Refuse a memory whose language pair is not the one it is imported for.

    The pair it is imported for is ``--from``/``--to`` when given (both, or
    the one given and the file's other language).  When neither is given, it
    must be a pair the database works in (``Store.tm_language_pairs``: its
    documents' and memories', either direction, since a memory is searched
    both ways); a database with no pair yet takes the file's.

    Parameters:
        store: an open ``Store``.
        file_name: the file's name, for the message.
        declared: the file's (source, target) languages.
        source_lang, target_lang: what the user insisted on, or None.
    Raises ``BadInputError`` (nothing is written) when the pair is not the wanted one."""
    src, tgt = declared
    if source_lang or target_lang:
        wanted = (source_lang or src, target_lang or tgt)
        if declared != wanted:
            raise BadInputError(f"{file_name} is a {src}-{tgt} memory, not {wanted[0]}-{wanted[1]}: nothing was"
                                f" imported")
        return
    pairs = store.tm_language_pairs()
    if not pairs or declared in pairs or (tgt, src) in pairs:
        return
    known = ", ".join(f"{a}-{b}" for a, b in sorted(pairs))
    raise BadInputError(f"{file_name} is a {src}-{tgt} memory, but this database works in {known}: nothing was"
                        f" imported (to add a {src}-{tgt} memory all the same, say so: --from {src} --to {tgt})")


def import_memory(store, path: str | Path, *, name: str | None = None, source_lang: str | None = None,
                  target_lang: str | None = None, progress: ProgressFn = no_progress,
                  cancelled: CancelledFn = never_cancelled) -> tuple[str, int]:
    """Import a corpus file as a memory; returns (name, pairs imported).

    Parameters:
        store: an open ``Store``.
        path: a TMX, CSV, TSV or XLIFF file.
        name: the memory's name (default: the file's stem); must be new.
        source_lang, target_lang: the pair to insist on (a file of another pair is refused);
            when neither is given, the file's pair must be one the database works in
            (``check_pair``).
        progress: (fraction, message); cancelled: polled before writing.
    Raises ``BadInputError`` (nothing written) for a malformed file, an article,
    a name in use, or a file in another language pair."""
    path = Path(path)
    if not path.is_file():
        raise BadInputError(f"{path}: no such file")
    fmt = detect_format(path)
    if fmt == "text":
        raise BadInputError(f"{path.name}: not a memory file (TMX, CSV, TSV or XLIFF); articles are imported"
                            f" with 'workbench import'")
    if not is_corpus_format(fmt):
        kind = _DOCUMENT_KINDS.get(fmt, f"a {fmt} document")
        raise BadInputError(f"{path.name} is {kind}, not a memory (TMX, CSV, TSV or XLIFF): import it as a"
                            f" document with 'workbench import'")
    name = (name or path.stem).strip()
    if not name:
        raise BadInputError("a memory needs a name (--name)")
    if store.tm_memory_exists(name):
        raise BadInputError(f"a memory named {name!r} exists already: choose another --name, or remove it"
                            f" first with 'workbench tm remove {name}'")
    progress(0.0, f"checking {path.name}")
    corpus = get_importer(fmt).read(path)
    check_pair(store, path.name, (corpus.source_lang, corpus.target_lang), source_lang, target_lang)
    if cancelled():
        from workbench.core.progress import Cancelled

        raise Cancelled("memory import cancelled: nothing was imported")

    def rows():
        previous = None
        for unit in corpus.units():
            if unit.source_lang != corpus.source_lang or unit.target_lang != corpus.target_lang:
                continue
            if unit.source.strip() and unit.target.strip():
                yield unit.source, unit.target, unit.changed_at or unit.created_at, previous
            previous = unit.source

    from workbench.core.store.clock import utc_now

    count = store.tm_add_memory(name=name, source_lang=corpus.source_lang, target_lang=corpus.target_lang,
                                path=str(path.resolve()), fmt=fmt, rows=rows(), imported_at=utc_now())
    progress(1.0, f"{count:,} pairs imported into memory {name!r}")
    return name, count
