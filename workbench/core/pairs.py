"""Document pairs: an article and its existing human translation, aligned.

The translation is stored as a document of its own (``translation_of`` the
source).  Alignment replaces the source document's units by n:m units that
link source segments to target segments; each unit's target text is its
target segments joined with a space.  A machine translation already on a
source segment is carried over to the unit that now holds it.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import BadInputError
from .progress import CancelledFn, ProgressFn, never_cancelled, no_progress
from .store import Store, rescore, utc_now


@dataclass(frozen=True)
class PairResult:
    source_document_id: int
    target_document_id: int
    links: int
    used_mt: bool


def _segments_of(store: Store, document_id: int):
    return [s for s in store.segments(document_id)]


def machine_translations(store: Store, texts: Sequence[str], src_lang: str, tgt_lang: str,
                         packages_dir=None) -> list[str] | None:
    """MT of ``texts`` through the cache and an installed model, or None when
    no model for the pair is installed (alignment then works without it)."""
    from .errors import ModelError
    from .translation import translate_texts_cached

    try:
        return translate_texts_cached(store, texts, src_lang, tgt_lang, packages_dir=packages_dir)
    except ModelError:
        return None


def align_documents(store: Store, source_id: int, target_id: int, *, use_mt: bool = True,
                    packages_dir=None, progress: ProgressFn = no_progress,
                    cancelled: CancelledFn = never_cancelled) -> PairResult:
    from .align import align

    source_doc, target_doc = store.document(source_id), store.document(target_id)
    all_src = _segments_of(store, source_id)
    src = [s for s in all_src if not s.excluded]
    tgt = [s for s in _segments_of(store, target_id) if not s.excluded]
    if not src or not tgt:
        raise BadInputError("both documents need at least one segment to align")
    mt = (machine_translations(store, [s.text for s in src], source_doc.language,
                               target_doc.language, packages_dir) if use_mt else None)
    links = align([s.text for s in src], [s.text for s in tgt], source_doc.language,
                  target_doc.language, src_paragraphs=[s.paragraph for s in src],
                  tgt_paragraphs=[s.paragraph for s in tgt], mt=mt, progress=progress,
                  cancelled=cancelled)
    entries = [([src[i].id for i in link.src], [tgt[j].id for j in link.tgt], link.confidence)
               for link in links]
    replace_units(store, source_id, target_id, _with_excluded(entries, all_src))
    return PairResult(source_id, target_id, len(links), mt is not None)


def _with_excluded(entries: list, all_src: Sequence) -> list:
    """Excluded source segments are left out of the alignment but keep a 1:0
    unit of their own, in reading order (so they can be included again)."""
    position = {s.id: n for n, s in enumerate(all_src)}
    keyed = []
    last = -1.0
    for entry in entries:
        last = position[entry[0][0]] if entry[0] else last + 1e-6  # 0:m links stay where they are
        keyed.append((last, entry))
    keyed += [(float(position[s.id]), ([s.id], [], None)) for s in all_src if s.excluded]
    return [entry for _, entry in sorted(keyed, key=lambda item: item[0])]


def replace_units(store: Store, source_id: int, target_id: int,
                  links: Sequence[tuple[Sequence[int], Sequence[int], float | None]]) -> None:
    """Replace the units of a document by aligned units, in one transaction."""
    now = utc_now()
    with store.transaction() as conn:
        carried = {}
        for sid, mt, engine, model, version in conn.execute(
                "SELECT us.segment_id, u.mt, u.mt_engine, u.mt_model, u.mt_version FROM units u"
                " JOIN unit_segments us ON us.unit_id = u.id"
                " WHERE u.document_id = ? AND us.side = 'source' AND u.mt IS NOT NULL"
                " AND (SELECT count(*) FROM unit_segments x WHERE x.unit_id = u.id) = 1",
                (source_id,)):
            carried[sid] = (mt, engine, model, version)
        conn.execute("DELETE FROM units WHERE document_id = ?", (source_id,))
        texts = dict(conn.execute("SELECT id, text FROM segments WHERE document_id = ?", (target_id,)))
        for n, (src_ids, tgt_ids, confidence) in enumerate(links):
            target = " ".join(texts[t] for t in tgt_ids)
            mt = carried.get(src_ids[0]) if len(src_ids) == 1 else None
            uid = conn.execute(
                "INSERT INTO units (document_id, target_document_id, seq, target, mt, mt_engine,"
                " mt_model, mt_version, status, confidence, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (source_id, target_id, n + 1, target, *(mt or (None,) * 4),
                 "edited" if target else "new", confidence, now, now)).lastrowid
            conn.executemany("INSERT INTO unit_segments (segment_id, unit_id, side) VALUES (?, ?, ?)",
                             [(s, uid, "source") for s in src_ids] + [(t, uid, "target") for t in tgt_ids])
            if mt:
                rescore(conn, uid)


def import_pair(store: Store, source_path: str | Path, target_path: str | Path, *,
                source_lang: str | None = None, target_lang: str | None = None,
                use_mt: bool = True, packages_dir=None, progress: ProgressFn = no_progress,
                cancelled: CancelledFn = never_cancelled) -> PairResult:
    """Import an article and its translation, and align them."""
    from .importer import prepare, store_article

    src = prepare(Path(source_path), source_lang)
    tgt = prepare(Path(target_path), target_lang)
    if src.checksum == tgt.checksum:
        raise BadInputError("the source and the translation are the same file")
    with store.transaction():
        source = store_article(store, src, tgt.article.language)
        target = attach_prepared(store, source.document_id, tgt)
        return align_documents(store, source.document_id, target, use_mt=use_mt,
                               packages_dir=packages_dir, progress=progress, cancelled=cancelled)


def attach_prepared(store: Store, source_id: int, prepared) -> int:
    from .importer import store_article

    result = store_article(store, prepared, translation_of=source_id)
    with store.transaction() as conn:
        conn.execute("UPDATE documents SET target_language = ? WHERE id = ?",
                     (prepared.article.language, source_id))
    return result.document_id


def attach_translation(store: Store, source_id: int, target_path: str | Path, *,
                       target_lang: str | None = None, use_mt: bool = True, packages_dir=None,
                       progress: ProgressFn = no_progress,
                       cancelled: CancelledFn = never_cancelled) -> PairResult:
    """Give an existing document its human translation, and align them."""
    from .importer import prepare

    store.document(source_id)
    prepared = prepare(Path(target_path), target_lang)
    with store.transaction():
        target = attach_prepared(store, source_id, prepared)
        return align_documents(store, source_id, target, use_mt=use_mt, packages_dir=packages_dir,
                               progress=progress, cancelled=cancelled)


def translation_of(store: Store, source_id: int) -> int | None:
    row = store.conn.execute("SELECT id FROM documents WHERE translation_of = ? ORDER BY id DESC",
                             (source_id,)).fetchone()
    return row[0] if row else None
