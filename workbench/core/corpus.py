"""The store side of interchange: which units go out, and bringing corpora in.

Export streams: one SQL cursor, one ``ExportUnit`` at a time, straight into
the format's writer.  Import checks the whole file first (the format's
``read``), then writes the document pair in one transaction.
"""
from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import BadInputError
from .formats.base import ExportOptions, ExportUnit
from .progress import CancelledFn, ProgressFn, never_cancelled, no_progress
from .store import Store, rescore, utc_now

STATUSES = ("new", "machine", "edited", "approved")


@dataclass(frozen=True)
class ExportFilter:
    document_ids: tuple[int, ...] = ()          # empty: every document
    statuses: tuple[str, ...] = ("approved",)   # ("any",) or a subset of STATUSES
    include_excluded: bool = False              # excluded segments and boilerplate
    source_lang: str | None = None              # direction: only documents in this language
    target_lang: str | None = None

    def where(self) -> tuple[str, list]:
        """SQL over ``units u`` (documents as ``d``/``td`` when counting)."""
        clauses, args = [], []
        if self.document_ids:
            clauses.append(f"u.document_id IN ({','.join('?' * len(self.document_ids))})")
            args += list(self.document_ids)
        statuses = STATUSES if "any" in self.statuses else self.statuses
        bad = set(statuses) - set(STATUSES)
        if bad:
            raise BadInputError(f"unknown status {sorted(bad)[0]!r}: use one of {', '.join(STATUSES)} or any")
        clauses.append(f"u.status IN ({','.join('?' * len(statuses))})")
        args += list(statuses)
        clauses.append("u.target != ''")
        return " AND ".join(clauses), args

    def documents(self, store: Store) -> dict[int, tuple[str, str, str]]:
        """Documents in the direction asked: id -> (title, source, target language)."""
        found = {}
        for doc in store.documents():
            target = doc.target_language or "und"
            translation = store.conn.execute(
                "SELECT language FROM documents WHERE translation_of = ? ORDER BY id DESC", (doc.id,)).fetchone()
            if translation:
                target = translation[0]
            if (self.source_lang and doc.language != self.source_lang) or (
                    self.target_lang and target != self.target_lang):
                continue
            found[doc.id] = (doc.title, doc.language, target)
        return found


# One row per (unit, segment), in unit order: one pass over the units index,
# no per-unit subqueries; excluded/boilerplate segments are filtered in Python.
_EXPORT_SQL = """
SELECT u.id, u.document_id, u.status, u.target, u.mt, u.mt_engine, u.mt_model, u.mt_version,
       u.created_at, u.updated_at, u.pe_chrf, us.side, s.text, s.seq, s.excluded, s.kind
FROM units u
LEFT JOIN unit_segments us ON us.unit_id = u.id
LEFT JOIN segments s ON s.id = us.segment_id
WHERE {where}
ORDER BY u.document_id, u.seq, u.id
"""


def count_units(store: Store, flt: ExportFilter) -> int:
    where, args = flt.where()
    docs = flt.documents(store)
    where += f" AND u.document_id IN ({','.join(map(str, docs)) or 'NULL'})"
    if not flt.include_excluded:
        where += (" AND NOT EXISTS (SELECT 1 FROM unit_segments x JOIN segments s ON s.id = x.segment_id"
                  " WHERE x.unit_id = u.id AND (s.excluded = 1 OR s.kind = 'boilerplate'))")
    return store.conn.execute(f"SELECT count(*) FROM units u WHERE {where}", args).fetchone()[0]


def iter_export_units(store: Store, flt: ExportFilter) -> Iterator[ExportUnit]:
    """Units matching the filter, in document order, one at a time (a read
    connection of its own, so a long export never holds the writer's)."""
    docs = flt.documents(store)
    where, args = flt.where()
    where += f" AND u.document_id IN ({','.join(map(str, docs)) or 'NULL'})"
    keep_all = flt.include_excluded

    def build(head: tuple, segs: list[tuple]) -> ExportUnit | None:
        uid, doc_id, status, target, mt, engine, model, version, created, changed, chrf = head
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
                          mt, engine, model, version, chrf, created, changed)

    conn = sqlite3.connect(str(store.path))
    try:
        head: tuple | None = None
        segs: list[tuple] = []
        for row in conn.execute(_EXPORT_SQL.format(where=where), args):
            if head is None or row[0] != head[0]:
                if head is not None and (unit := build(head, segs)) is not None:
                    yield unit
                head, segs = row[:11], []
            if row[11] is not None:
                segs.append(row[11:])
        if head is not None and (unit := build(head, segs)) is not None:
            yield unit
    finally:
        conn.close()


def export_corpus(store: Store, format_name: str, out: Path, flt: ExportFilter,
                  options: ExportOptions | None = None, *, progress: ProgressFn = no_progress,
                  cancelled: CancelledFn = never_cancelled) -> int:
    from .formats import get_exporter

    exporter = get_exporter(format_name)
    total = count_units(store, flt)
    options = options or ExportOptions(source_lang=flt.source_lang, target_lang=flt.target_lang)
    return exporter.export(iter_export_units(store, flt), Path(out), options=options, total=total,
                           progress=progress, cancelled=cancelled)


# -- import ---------------------------------------------------------------------

@dataclass(frozen=True)
class CorpusImportResult:
    source_document_id: int
    target_document_id: int
    units: int
    skipped: int
    created: bool


def _checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def import_corpus(store: Store, path: str | Path, *, source_lang: str | None = None,
                  target_lang: str | None = None, progress: ProgressFn = no_progress,
                  cancelled: CancelledFn = never_cancelled) -> CorpusImportResult:
    """Import a TMX or CSV/TSV file as a new document pair of aligned units."""
    from .formats import get_importer_for

    path = Path(path)
    if not path.is_file():
        raise BadInputError(f"no such file: {path}")
    corpus = get_importer_for(path).read(path, source_lang=source_lang, target_lang=target_lang)
    checksum = _checksum(path)
    existing = store.document_by_checksum(checksum)
    if existing is not None:
        target = store.conn.execute("SELECT id FROM documents WHERE translation_of = ?",
                                    (existing.id,)).fetchone()
        return CorpusImportResult(existing.id, target[0] if target else existing.id,
                                  len(store.unit_ids(existing.id)), corpus.skipped, False)
    title = path.stem
    now = utc_now()
    with store.transaction() as conn:
        src_doc = store.add_document(title=title, language=corpus.source_lang,
                                     target_language=corpus.target_lang, source_path=str(path.resolve()),
                                     checksum=checksum, date=None)
        tgt_doc = store.add_document(title=f"{title} ({corpus.target_lang})", language=corpus.target_lang,
                                     target_language=None, source_path=str(path.resolve()),
                                     checksum=f"{checksum}:{corpus.target_lang}", date=None,
                                     translation_of=src_doc)
        n = 0
        for n, unit in enumerate(corpus.units(), start=1):
            if n % 2000 == 0:
                if cancelled():
                    raise BadInputError("import cancelled: nothing was imported")
                progress(n / max(corpus.unit_count, 1), f"imported {n:,} units")
            props = unit.props
            status = props.get("x-status", "approved")
            if status not in STATUSES:
                status = "approved"
            s_id = conn.execute("INSERT INTO segments (document_id, seq, paragraph, kind, text)"
                                " VALUES (?, ?, ?, 'body', ?)", (src_doc, n, n - 1, unit.source)).lastrowid
            t_id = conn.execute("INSERT INTO segments (document_id, seq, paragraph, kind, text)"
                                " VALUES (?, ?, ?, 'body', ?)", (tgt_doc, n, n - 1, unit.target)).lastrowid
            uid = conn.execute(
                "INSERT INTO units (document_id, target_document_id, seq, target, mt, mt_engine, mt_model,"
                " mt_version, status, confirmed, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
                (src_doc, tgt_doc, n, unit.target, props.get("x-mt"), props.get("x-mt-engine"),
                 props.get("x-mt-model"), props.get("x-mt-version"), status,
                 unit.created_at or now, unit.changed_at or unit.created_at or now)).lastrowid
            conn.executemany("INSERT INTO unit_segments (segment_id, unit_id, side) VALUES (?, ?, ?)",
                             [(s_id, uid, "source"), (t_id, uid, "target")])
            if props.get("x-mt"):
                rescore(conn, uid)
        if n == 0:
            raise BadInputError(f"{path}: no translation units with both {corpus.source_lang} and "
                                f"{corpus.target_lang} text")
    progress(1.0, f"imported {n:,} units")
    return CorpusImportResult(src_doc, tgt_doc, n, corpus.skipped, True)


def corpus_suffixes() -> Sequence[str]:
    return (".tmx", ".csv", ".tsv")
