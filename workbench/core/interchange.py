"""The store side of interchange: which units go out, and bringing corpora in.

Export streams: one SQL cursor, one ``ExportUnit`` at a time, straight into
the format's writer.  Import is ``importer.import_paths`` (re-exported here).
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from workbench.core.errors import BadInputError
from workbench.core.formats.base import ExportOptions, ExportUnit
from workbench.core.model import Status
from workbench.core.progress import CancelledFn, ProgressFn, never_cancelled, no_progress
from workbench.core.store.database import Store

STATUSES = tuple(s.value for s in Status)  # new, machine, edited, approved


@dataclass(frozen=True)
class ExportFilter:
    """Which units an export takes: documents, statuses, languages, excluded and boilerplate rows."""
    document_ids: tuple[int, ...] = ()          # empty: every document
    statuses: tuple[str, ...] = tuple(s.value for s in Status.REVIEWED)  # ("any",) or a subset of STATUSES
    include_excluded: bool = False              # excluded segments and boilerplate
    source_lang: str | None = None              # direction: only documents in this language
    target_lang: str | None = None
    exclude_unit_ids: frozenset[int] = frozenset()  # e.g. units with open QA errors (--qa-clean)

    def status_set(self) -> frozenset[Status]:
        """The statuses exported (``BadInputError`` for an unknown one)."""
        statuses = STATUSES if "any" in self.statuses else self.statuses
        bad = set(statuses) - set(STATUSES)
        if bad:
            raise BadInputError(f"unknown status {sorted(bad)[0]!r}: use one of {', '.join(STATUSES)} or any")
        return frozenset(Status(s) for s in statuses)

    def documents(self, store: Store) -> dict[int, tuple[str, str, str]]:
        """Documents exported: in the direction asked, and among ``document_ids``
        when it names any; id -> (title, source, target language).

        :param store: the store to read."""
        found = {}
        for doc in store.documents():
            if self.document_ids and doc.id not in self.document_ids:
                continue
            translation = store.translation_of(doc.id)
            target = translation.language if translation else doc.target_language or "und"
            if (self.source_lang and doc.language != self.source_lang) or (
                    self.target_lang and target != self.target_lang):
                continue
            found[doc.id] = (doc.title, doc.language, target)
        return found


def count_units(store: Store, flt: ExportFilter) -> int:
    """How many units an export with this filter writes.

    :param store: the store to read.
    :param flt: which units."""
    statuses = flt.status_set()
    return store.export_unit_count(flt.documents(store), statuses, include_excluded=flt.include_excluded,
                                   exclude_unit_ids=flt.exclude_unit_ids)


def iter_export_units(store: Store, flt: ExportFilter) -> Iterator[ExportUnit]:
    """Units matching the filter, in document order, one at a time (a read
    connection of its own, so a long export never holds the writer's).

    :param store: the store to read.
    :param flt: which units."""
    statuses = flt.status_set()
    docs = flt.documents(store)
    keep_all = flt.include_excluded

    def build(head: tuple, segs: list[tuple]) -> ExportUnit | None:
        uid, doc_id, status, target, mt, engine, model, version, created, changed, chrf, tm_origin, tm_score = head
        if uid in flt.exclude_unit_ids:
            return None
        if len(segs) == 1:  # the common 1:0 post-editing unit
            side, text, _seq, excluded, kind = segs[0]
            if not keep_all and (excluded or kind == "boilerplate"):
                return None
            sources, targets = ((text,), ()) if side == "source" else ((), (text,))
        else:
            if not keep_all and any(r[3] or r[4] == "boilerplate" for r in segs):
                return None
            segs.sort(key=lambda r: r[2])
            sources = tuple(r[1] for r in segs if r[0] == "source")
            targets = tuple(r[1] for r in segs if r[0] == "target")
        if " ".join(targets) != target:  # post-edited text (or none): the unit's own target
            targets = (target,)
        title, src_lang, tgt_lang = docs[doc_id]
        return ExportUnit(uid, sources, targets, src_lang, tgt_lang, doc_id, title, status,
                          mt, engine, model, version, chrf, created, changed, tm_origin, tm_score)

    with closing(store.export_rows(docs, statuses)) as rows:
        head: tuple | None = None
        segs: list[tuple] = []
        for row in rows:
            if head is None or row[0] != head[0]:
                if head is not None and (unit := build(head, segs)) is not None:
                    yield unit
                head, segs = row[:13], []
            if row[13] is not None:
                segs.append(row[13:])
        if head is not None and (unit := build(head, segs)) is not None:
            yield unit


def export_outputs(store: Store, format_name: str, out: Path, flt: ExportFilter,
                   options: ExportOptions | None = None) -> list[Path]:
    """The files an export writes: ``out``, or for Moses ``out.<src>`` and
    ``out.<tgt>`` (languages from the options, else from the first unit).

    :param store: the store to read.
    :param format_name: tmx, csv, tsv, moses or xliff.
    :param out: the output file (Moses: the prefix of two files).
    :param flt: which units.
    :param options: how to write (its languages name Moses' files)."""
    if format_name != "moses":
        return [Path(out)]
    from workbench.core.formats.base import corpus_languages
    from workbench.core.formats.moses import moses_paths

    options = options or ExportOptions(source_lang=flt.source_lang, target_lang=flt.target_lang)
    first = None
    if not (options.source_lang and options.target_lang):
        units = iter_export_units(store, flt)
        try:
            first = next(units, None)
        finally:
            units.close()
    return list(moses_paths(Path(out), *corpus_languages(first, options)))


def check_export_outputs(store: Store, format_name: str, out: Path, flt: ExportFilter,
                         options: ExportOptions | None = None, *, force: bool = False) -> list[Path]:
    """Refuse an export that would write onto the database or a file the
    workbench owns, or overwrite a file of another kind without ``force``
    (``outputs.check_output_path`` for each file the export writes).

    :param store: the store (its database is never an output).
    :param format_name: tmx, csv, tsv, moses or xliff.
    :param out: the output file (Moses: the prefix of two files).
    :param flt: which units.
    :param options: how to write.
    :param force: overwrite a file of another kind.
    Returns the files the export writes."""
    from workbench.core.outputs import check_output_path

    return [check_output_path(path, format_name=format_name, database=store.path, force=force)
            for path in export_outputs(store, format_name, out, flt, options)]


def export_corpus(store: Store, format_name: str, out: Path, flt: ExportFilter,
                  options: ExportOptions | None = None, *, force: bool = False,
                  progress: ProgressFn = no_progress, cancelled: CancelledFn = never_cancelled) -> int:
    """Export the units ``flt`` selects to ``out`` in ``format_name``; return how many.

    Parameters:
        store: the database.
        format_name: tmx, csv, tsv, moses or xliff.
        out: the output file (Moses: the prefix of two files).
        flt: which units.
        options: how to write (languages, BOM, formulas...).
        force: overwrite an existing file that is not of the format (never
            the database or the workbench's own files: see ``check_export_outputs``).
        progress, cancelled: the long-work callbacks; a cancel raises
            ``Cancelled`` and writes no file (an existing one stays as it was)."""
    from workbench.core.formats import get_exporter

    exporter = get_exporter(format_name)
    check_export_outputs(store, format_name, Path(out), flt, options, force=force)
    total = count_units(store, flt)
    options = options or ExportOptions(source_lang=flt.source_lang, target_lang=flt.target_lang)
    return exporter.export(iter_export_units(store, flt), Path(out), options=options, total=total,
                           progress=progress, cancelled=cancelled)


# -- import ---------------------------------------------------------------------
# Corpus import lives in ``importer`` (one dispatcher for articles and corpora,
# chunked and all-or-nothing); these names stay importable from here.
from workbench.core.importing import CorpusImportResult, import_corpus  # noqa: E402,F401


def corpus_suffixes() -> Sequence[str]:
    """Extensions of the corpus formats (TMX, XLIFF, CSV, TSV)."""
    from workbench.core.formats import IMPORTERS

    return tuple(sorted({ext for importer in IMPORTERS.values() for ext in importer.extensions}))
