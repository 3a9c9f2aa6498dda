"""The functions the window's background jobs run (in a ``CallWorker``).

Plain data in, plain data out: a database path, ids, file paths and option
values, never a widget; each opens a ``Store`` of its own (SQLite connections
belong to one thread) and reports through ``progress`` and ``cancelled``.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core.progress import CancelledFn, ProgressFn

if TYPE_CHECKING:
    from workbench.core.store.database import Store
    from workbench.core.formats.base import ExportOptions
    from workbench.core.interchange import ExportFilter
    from workbench.core.pairing import PairResult


# -- File → Import files… (and files dropped on the window) ----------------------------

def import_files(db_path: str, paths: Sequence[str], as_document: bool = False, *, progress: ProgressFn,
                 cancelled: CancelledFn) -> list[int]:
    """Import articles, documents and corpora (any mix, told apart by
    content), all or nothing, through the core's one dispatcher; the ids of
    the documents.  ``as_document``: bilingual files (XLIFF) are opened for
    review and delivered back, not imported as corpora."""
    from workbench.core.importing import imports_corpus
    from workbench.core.importing import import_paths
    from workbench.core.store.database import Store

    with Store(db_path, create=False) as store:
        if imports_corpus(paths, as_document=as_document):
            store.backup_before("import")  # a corpus can be a million units: keep the way back
        return [r.document_id for r in import_paths(store, paths, as_document=as_document,
                                                    progress=progress, cancelled=cancelled)]


# -- The document list of a large database ---------------------------------------------

def document_rows(db_path: str, read_rows: Callable[[Store], list]) -> list:
    """The window's document-list rows, ``read_rows(store)`` with a Store of
    this thread's own (100,000 documents: ~1.7 s, never on the GUI thread).
    The reader comes from the list (``document_list.read_rows``): this module
    imports no widget code."""
    from workbench.core.store.database import Store

    # 100,000 rows are ~300,000 new objects: see ``collector_paused``.
    with collector_paused(), Store(db_path, create=False, backups=False) as store:
        return read_rows(store)


@contextmanager
def gil_handed_back(seconds: float = 0.001):
    """A shorter GIL switch interval while a worker runs Python for seconds
    on end: the GUI thread, which lets go of the GIL at every SQLite or Qt
    call, waits up to the interval (5 ms) to get it back each time, and a
    reload of the rows shown after another connection's commit added up to
    50-80 ms.  The interval is the process's: restored after."""
    import sys

    before = sys.getswitchinterval()
    sys.setswitchinterval(min(before, seconds))
    try:
        yield
    finally:
        sys.setswitchinterval(before)


@contextmanager
def collector_paused():
    """The cyclic garbage collector off while a worker makes hundreds of
    thousands of objects: they would set off its full passes over the whole
    process (0.1-0.5 s each, the GIL held, the GUI thread stalled).
    Reference counting still frees them; the collector resumes after the
    last of the workers that paused it (they may overlap)."""
    import gc

    with _PAUSES_LOCK:
        if _PAUSES[0] == 0:
            _PAUSES[1] = gc.isenabled()
            gc.disable()
        _PAUSES[0] += 1
    try:
        yield
    finally:
        with _PAUSES_LOCK:
            _PAUSES[0] -= 1
            if _PAUSES[0] == 0 and _PAUSES[1]:
                gc.enable()


_PAUSES_LOCK = threading.Lock()
_PAUSES = [0, False]  # workers in ``collector_paused``, whether the collector ran before the first


# -- File → Deliver translated document… ------------------------------------------------

def deliver_job(db_path: str, document_id: int, out: str, fallback: str, *, progress: ProgressFn,
                cancelled: CancelledFn) -> str:
    """Write a document's translation in its original format; the report's line
    (the person already agreed to replace the file in the save dialog)."""
    from workbench.core.documents.deliver import deliver_document
    from workbench.core.store.database import Store

    with Store(db_path, create=False) as store:
        report = deliver_document(store, document_id, out, fallback=fallback, force=True,
                                  progress=progress, cancelled=cancelled)
    return report.describe()


# -- File → Import document pair… / Import translation of this document… ---------------

def import_pair_job(db_path: str, source_path: str, target_path: str, packages_dir: str | None,
                    keep_targets: bool | None = None, *, progress: ProgressFn,
                    cancelled: CancelledFn) -> PairResult:
    from workbench.core.pairing import import_pair
    from workbench.core.store.database import Store

    with Store(db_path, create=False) as store:
        return import_pair(store, source_path, target_path, packages_dir=packages_dir,
                           keep_targets=keep_targets, progress=progress, cancelled=cancelled)


def attach_translation_job(db_path: str, source_id: int, target_path: str, packages_dir: str | None,
                           keep_targets: bool | None = None, *, progress: ProgressFn,
                           cancelled: CancelledFn) -> PairResult:
    from workbench.core.pairing import attach_translation
    from workbench.core.store.database import Store

    with Store(db_path, create=False) as store:
        return attach_translation(store, source_id, target_path, packages_dir=packages_dir,
                                  keep_targets=keep_targets, progress=progress, cancelled=cancelled)


# -- File → Export… --------------------------------------------------------------------

def export_job(db_path: str, format_name: str, out: str, flt: ExportFilter, options: ExportOptions, *,
               progress: ProgressFn, cancelled: CancelledFn, force: bool = False) -> int:
    """Export through a Store of its own (runs in a worker thread); ``force``:
    the person agreed to replace an existing file of another kind."""
    from workbench.core.interchange import export_corpus
    from workbench.core.store.database import Store

    with Store(db_path, create=False) as store:
        return export_corpus(store, format_name, Path(out), flt, options, force=force, progress=progress,
                             cancelled=cancelled)


# -- Translate → Models… ---------------------------------------------------------------

def install_model_file(path: str, packages_dir, *, progress, cancelled):
    from workbench.core.mt.packages import install_file

    progress(0.1, f"installing {Path(path).name}")
    return install_file(path, packages_dir)


def install_model_from_index(from_code: str, to_code: str, packages_dir, *, progress, cancelled):
    from workbench.core.mt.packages import install_from_index

    return install_from_index(from_code, to_code, packages_dir, progress=progress, cancelled=cancelled)


# -- translation memory: Matches pane, concordance, pre-translation, match analysis ------

MATCHES_SHOWN = 5  # matches the Matches pane shows


def pretranslate_job(db_path: str, document_id: int, min_score: int, *, progress, cancelled) -> tuple[int, int]:
    """Worker job: fill the document's untouched units from the memory (one
    undo step); (document id, units filled).

    Parameters:
        db_path: the database; document_id: the document; min_score: lowest score taken;
        progress, cancelled: the job's callbacks."""
    from workbench.core.edits import history
    from workbench.core.memory.filling import pretranslate_command, pretranslation
    from workbench.core.store.database import Store

    with Store(db_path, create=False, backups=False) as store:
        fills = pretranslation(store, document_id, min_score=min_score, progress=progress, cancelled=cancelled)
        command = pretranslate_command(fills)
        if command is not None:
            history.apply(store, command)
    return document_id, len(fills)


def lookup_matches(db_path: str, unit_id: int, source: str, source_lang: str,
                   target_lang: str) -> tuple[int, list]:
    """Worker job: (unit id, its best matches).  Plain data in and out, own Store.

    Parameters:
        db_path: the database; unit_id: the unit (never offered to itself);
        source: its source text; source_lang, target_lang: the pair."""
    from workbench.core.memory.search import search
    from workbench.core.store.database import Store

    if not source.strip():
        return unit_id, []
    with Store(db_path, create=False, backups=False) as store:
        return unit_id, search(store, source[:2000], source_lang, target_lang, min_score=50, limit=MATCHES_SHOWN,
                               exclude_units={unit_id})


def run_concordance(db_path: str, query: str, source_lang: str, target_lang: str, side: str) -> tuple[str, list]:
    """Worker job: (the query, its hits).  Plain data in and out, own Store.

    Parameters:
        db_path: the database; query: the words; source_lang, target_lang: the pair;
        side: 'source' or 'target'."""
    from workbench.core.memory.concordance import concordance
    from workbench.core.store.database import Store

    with Store(db_path, create=False, backups=False) as store:
        return query, concordance(store, query, source_lang, target_lang, side=side, limit=100)


def run_analysis(db_path: str, document_ids: list[int], *, progress, cancelled) -> list[dict]:
    """Worker job: the analysis rows (band, segments, words, characters).

    Parameters:
        db_path: the database; document_ids: what to analyse;
        progress, cancelled: the job's callbacks."""
    from workbench.core.memory.analysis import analyse
    from workbench.core.store.database import Store

    with Store(db_path, create=False, backups=False) as store:
        return analyse(store, document_ids, progress=progress, cancelled=cancelled).rows()


# -- the memory's word index (kept fresh in the background) ---------------------------

def memory_index_stale(db_path: str) -> bool:
    """Worker job: whether the memory's word index wants a rebuild (or
    dropping): a couple of count queries, ~10 ms at a million entries.

    Parameters:
        db_path: the database."""
    from workbench.core.memory import index
    from workbench.core.store.database import Store

    with Store(db_path, create=False, backups=False) as store:
        return index.index_is_stale(store)


def refresh_memory_index(db_path: str, *, progress: ProgressFn, cancelled: CancelledFn):
    """Worker job: rebuild the memory's word index if it is stale (checked
    again here: the memory may have moved since); its ``IndexSummary``, or
    None when nothing was needed.  Cancelled, the index in use stays.

    Parameters:
        db_path: the database; progress, cancelled: the job's callbacks."""
    from workbench.core.memory import index
    from workbench.core.store.database import Store

    # A rebuild makes an array per word of the memory (``collector_paused``)
    # and is Python bytecode for seconds on end (``gil_handed_back``).
    with collector_paused(), gil_handed_back(), Store(db_path, create=False, backups=False) as store:
        return index.refresh_index(store, progress=progress, cancelled=cancelled)
