"""The store side of interchange: which units go out, and bringing corpora in.

Export streams: one SQL cursor, one ``ExportUnit`` at a time, straight into
the format's writer.  Import is ``importer.import_paths`` (re-exported here).
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from workbench.core.errors import BadInputError, WorkbenchError
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
        chosen = store.documents_by_ids(self.document_ids) if self.document_ids else store.documents()
        for doc in chosen:
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
        (uid, doc_id, status, target, mt, engine, model, version, created, changed, chrf, tm_origin, tm_score,
         confidence, target_doc) = head
        if uid in flt.exclude_unit_ids:
            return None
        link_type = None
        if target_doc is not None:  # a link between two documents: its shape, before any post-edit
            targets_linked = sum(r[0] == "target" for r in segs)
            link_type = f"{len(segs) - targets_linked}-{targets_linked}"
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
                          mt, engine, model, version, chrf, created, changed, tm_origin, tm_score,
                          link_type, confidence)

    with closing(store.export_rows(docs, statuses)) as rows:
        head: tuple | None = None
        segs: list[tuple] = []
        for row in rows:
            if head is None or row[0] != head[0]:
                if head is not None and (unit := build(head, segs)) is not None:
                    yield unit
                head, segs = row[:15], []
            if row[15] is not None:
                segs.append(row[15:])
        if head is not None and (unit := build(head, segs)) is not None:
            yield unit


def shard_path(out: Path, number: int) -> Path:
    """The file of shard ``number`` (from 1) of an export to ``out``:
    ``corpus.tmx`` -> ``corpus.00001.tmx``; a name without an extension (a
    Moses prefix) gets the number at the end: ``corpus`` -> ``corpus.00001``.

    :param out: the output the user named.
    :param number: the shard's number."""
    out = Path(out)
    if out.suffix:
        return out.with_name(f"{out.stem}.{number:05d}{out.suffix}")
    return out.with_name(f"{out.name}.{number:05d}")


def _shard_count(store: Store, flt: ExportFilter, shard_size: int | None) -> int:
    if not shard_size:
        return 1
    return max(1, -(-count_units(store, flt) // shard_size))


def export_outputs(store: Store, format_name: str, out: Path, flt: ExportFilter,
                   options: ExportOptions | None = None, *, shard_size: int | None = None) -> list[Path]:
    """The files an export writes: ``out``, or for Moses ``out.<src>`` and
    ``out.<tgt>`` (languages from the options, else from the first unit);
    with ``shard_size``, those of every shard (``shard_path``).

    :param store: the store to read.
    :param format_name: tmx, csv, tsv, moses, xliff or parquet.
    :param out: the output file (Moses: the prefix of two files).
    :param flt: which units.
    :param options: how to write (its languages name Moses' files).
    :param shard_size: units per file (None: one file)."""
    outs = ([Path(out)] if not shard_size else
            [shard_path(Path(out), n) for n in range(1, _shard_count(store, flt, shard_size) + 1)])
    if format_name != "moses":
        return outs
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
    languages = corpus_languages(first, options)
    return [path for each in outs for path in moses_paths(each, *languages)]


def check_export_outputs(store: Store, format_name: str, out: Path, flt: ExportFilter,
                         options: ExportOptions | None = None, *, force: bool = False,
                         shard_size: int | None = None) -> list[Path]:
    """Refuse an export that would write onto the database or a file the
    workbench owns, or overwrite a file of another kind without ``force``
    (``outputs.check_output_path`` for each file the export writes).

    :param store: the store (its database is never an output).
    :param format_name: tmx, csv, tsv, moses, xliff or parquet.
    :param out: the output file (Moses: the prefix of two files).
    :param flt: which units.
    :param options: how to write.
    :param force: overwrite a file of another kind.
    :param shard_size: units per file (None: one file).
    Returns the files the export writes."""
    from workbench.core.outputs import check_output_path

    return [check_output_path(path, format_name=format_name, database=store.path, force=force)
            for path in export_outputs(store, format_name, out, flt, options, shard_size=shard_size)]


def export_corpus(store: Store, format_name: str, out: Path, flt: ExportFilter,
                  options: ExportOptions | None = None, *, force: bool = False, shard_size: int | None = None,
                  progress: ProgressFn = no_progress, cancelled: CancelledFn = never_cancelled) -> int:
    """Export the units ``flt`` selects to ``out`` in ``format_name``; return how many.

    Parameters:
        store: the database.
        format_name: tmx, csv, tsv, moses, xliff or parquet.
        out: the output file (Moses: the prefix of two files).
        flt: which units.
        options: how to write (languages, BOM, formulas...).
        force: overwrite an existing file that is not of the format (never
            the database or the workbench's own files: see ``check_export_outputs``).
        shard_size: at most this many units per file, the files numbered
            (``shard_path``: ``corpus.00001.tmx``, ``corpus.00002.tmx``...);
            None writes one file.  Each shard is a complete file of its format.
        progress, cancelled: the long-work callbacks; a cancel raises
            ``Cancelled`` and writes no file (an existing one stays as it was);
            with shards, the shards completed before the cancel stay."""
    from workbench.core.formats import get_exporter

    exporter = get_exporter(format_name)
    if shard_size is not None and shard_size < 1:
        raise BadInputError(f"a shard holds at least one unit, not {shard_size}")
    planned = check_export_outputs(store, format_name, Path(out), flt, options, force=force, shard_size=shard_size)
    total = count_units(store, flt)
    options = options or ExportOptions(source_lang=flt.source_lang, target_lang=flt.target_lang)
    if not shard_size:
        return exporter.export(iter_export_units(store, flt), Path(out), options=options, total=total,
                               progress=progress, cancelled=cancelled)
    units = iter_export_units(store, flt)
    written, number = 0, 0
    try:
        while True:
            first = next(units, None)
            if first is None and number > 0:
                break
            number += 1

            def shard(first=first) -> Iterator[ExportUnit]:
                if first is None:
                    return
                yield first
                for _ in range(shard_size - 1):
                    unit = next(units, None)
                    if unit is None:
                        return
                    yield unit

            def step(fraction: float, message: str, before=written) -> None:
                progress(min(1.0, (before + fraction * min(shard_size, max(total - before, 0))) / max(total, 1)),
                         f"file {number}: {message}")

            written += exporter.export(shard(), shard_path(Path(out), number), options=options,
                                       total=min(shard_size, max(total - written, 0)), progress=step,
                                       cancelled=cancelled)
            if first is None:  # nothing to export: one empty shard, as an unsharded export writes one empty file
                break
    finally:
        units.close()
    remove_stale_shards(Path(out), number, [p.name[len(shard_path(Path(out), 1).name):] for p in planned
                                            if p.name.startswith(shard_path(Path(out), 1).name)],
                        format_name=format_name, database=store.path)
    return written


def remove_stale_shards(out: Path, shards: int, suffixes: Sequence[str], *, format_name: str,
                        database: str | Path | None = None) -> list[Path]:
    """Delete the shards of an earlier export to ``out`` numbered past the
    ``shards`` just written (a re-export with fewer shards would leave them, and
    the set would hold units twice); return the files deleted.

    Only the exact names of the set are looked at (``shard_path``: ``out.00004.tmx``,
    ``out.00005.tmx``... up to the first number with no file) and only files that
    look like ``format_name`` are deleted: another kind of file under such a name stays.

    :param out: the output the user named.
    :param shards: how many shards the export wrote.
    :param suffixes: what follows a shard's name ("" ; Moses: ".en", ".ru").
    :param format_name: the export's format.
    :param database: the open database (never touched)."""
    from workbench.core.outputs import check_output_path

    removed: list[Path] = []
    number = shards + 1
    while True:
        base = shard_path(out, number)
        found = [path for path in (base.with_name(base.name + suffix) for suffix in (suffixes or [""]))
                 if path.is_file()]
        if not found:
            return removed
        for path in found:
            try:
                check_output_path(path, format_name=format_name, database=database)
            except WorkbenchError:
                continue  # not a file of this export: left alone
            path.unlink()
            removed.append(path)
        number += 1


# -- import ---------------------------------------------------------------------
# Corpus import lives in ``importer`` (one dispatcher for articles and corpora,
# chunked and all-or-nothing); these names stay importable from here.
from workbench.core.importing import CorpusImportResult, import_corpus  # noqa: E402,F401


def corpus_suffixes() -> Sequence[str]:
    """Extensions of the corpus formats (TMX, XLIFF, CSV, TSV)."""
    from workbench.core.formats import IMPORTERS

    return tuple(sorted({ext for importer in IMPORTERS.values() for ext in importer.extensions}))
