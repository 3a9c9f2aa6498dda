"""Document pairs: an article and its existing human translation, aligned.

The translation is stored as a document of its own (``translation_of`` the
source).  Alignment replaces the source document's units by n:m units that
link source segments to target segments; each unit's target text is its
target segments joined with a space.  A machine translation already on a
source segment is carried over to the unit that now holds it.

A file is one document (its bytes' checksum is unique): a translation that
is already the translation of another document, or an article of its own,
is refused before anything is written.  The alignment itself is one edit
(``AlignPair``) in the history, so undo puts the units back as they were;
targets a person post-edited are never replaced without being asked
(``keep_targets``).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.core.edits import history
from workbench.core.edits.links import AlignPair, LinkSpec, align_units, check_post_edits
from workbench.core.errors import BadInputError, ModelError
from workbench.core.model import Document
from workbench.core.progress import CancelledFn, ProgressFn, never_cancelled, no_progress
from workbench.core.store.database import Store
from workbench.core.translating import translate_texts_cached


@dataclass(frozen=True)
class PairResult:
    """What aligning a document with its translation did: the two ids, the links, and what became of post-edits."""
    source_document_id: int
    target_document_id: int
    links: int
    used_mt: bool
    created: bool = True               # False: this pair was aligned before; nothing changed
    post_edits: int = 0                # units with a person's target when the alignment ran
    kept_targets: bool | None = None   # what became of them: kept (True) or replaced (False)


def _segments_of(store: Store, document_id: int):
    return [s for s in store.segments(document_id)]


def _compute_links(store: Store, source_id: int, target_id: int, *, use_mt: bool, packages_dir,
                   progress: ProgressFn, cancelled: CancelledFn) -> tuple[tuple[LinkSpec, ...], bool]:
    from workbench.core.align import align

    source_doc, target_doc = store.document(source_id), store.document(target_id)
    all_src = _segments_of(store, source_id)
    src = [s for s in all_src if not s.excluded]
    tgt = [s for s in _segments_of(store, target_id) if not s.excluded]
    if not src or not tgt:
        raise BadInputError("both documents need at least one segment to align")
    mt = None
    if use_mt:
        try:
            mt = translate_texts_cached(store, [s.text for s in src], source_doc.language,
                                        target_doc.language, packages_dir=packages_dir, cancelled=cancelled)
        except ModelError:
            mt = None  # no usable model for the pair: the aligner works without MT
    links = align([s.text for s in src], [s.text for s in tgt], source_doc.language,
                  target_doc.language, src_paragraphs=[s.paragraph for s in src],
                  tgt_paragraphs=[s.paragraph for s in tgt], mt=mt, progress=progress,
                  cancelled=cancelled)
    entries = [(tuple(src[i].id for i in link.src), tuple(tgt[j].id for j in link.tgt), link.confidence)
               for link in links]
    return tuple(_with_excluded(entries, all_src)), mt is not None


def compute_links(store: Store, source_id: int, target_id: int, *, use_mt: bool = True,
                  packages_dir=None, progress: ProgressFn = no_progress,
                  cancelled: CancelledFn = never_cancelled) -> tuple[LinkSpec, ...]:
    """Align two stored documents without changing anything: the links
    ``(source segment ids, target segment ids, confidence)`` that
    ``AlignPair`` applies, excluded source segments as 1:0 links.

    :param store: the store to read (and whose MT cache to use).
    :param source_id: the article.
    :param target_id: its translation.
    :param use_mt: use an installed model's MT as a signal when there is one.
    :param packages_dir: where the models are (default: the Argos directory).
    :param progress: ``progress(fraction, message)``.
    :param cancelled: polled; True raises ``Cancelled``.
    """
    return _compute_links(store, source_id, target_id, use_mt=use_mt, packages_dir=packages_dir,
                          progress=progress, cancelled=cancelled)[0]


def align_documents(store: Store, source_id: int, target_id: int, *, use_mt: bool = True,
                    keep_targets: bool | None = None, packages_dir=None,
                    progress: ProgressFn = no_progress,
                    cancelled: CancelledFn = never_cancelled) -> PairResult:
    """Align a document with its (imported) translation, as one edit in the history.

    :param store: the store to write.
    :param source_id: the article whose units the alignment replaces.
    :param target_id: its translation (``translation_of`` the article).
    :param use_mt: use an installed model's MT as a signal when there is one.
    :param keep_targets: what to do with targets a person post-edited: True
        keep them, False replace them by the translation, None refuse
        (``PostEditsError``) when there are any.
    :param packages_dir: where the models are (default: the Argos directory).
    :param progress: ``progress(fraction, message)``.
    :param cancelled: polled; True raises ``Cancelled``.
    """
    # Asked before the (long) alignment runs, not after.
    post_edits = check_post_edits(store, source_id, keep_targets)
    links, used_mt = _compute_links(store, source_id, target_id, use_mt=use_mt, packages_dir=packages_dir,
                                    progress=progress, cancelled=cancelled)
    history.apply(store, AlignPair(source_id, target_id, links, keep_targets))
    return PairResult(source_id, target_id, len(links), used_mt, post_edits=post_edits,
                      kept_targets=keep_targets if post_edits else None)


def _with_excluded(entries: list, all_src: Sequence) -> list:
    """Excluded source segments are left out of the alignment but keep a 1:0
    unit of their own, in reading order (so they can be included again)."""
    position = {s.id: n for n, s in enumerate(all_src)}
    keyed = []
    last = -1.0
    for entry in entries:
        last = position[entry[0][0]] if entry[0] else last + 1e-6  # 0:m links stay where they are
        keyed.append((last, entry))
    keyed += [(float(position[s.id]), ((s.id,), (), None)) for s in all_src if s.excluded]
    return [entry for _, entry in sorted(keyed, key=lambda item: item[0])]


def replace_units(store: Store, source_id: int, target_id: int,
                  links: Sequence[tuple[Sequence[int], Sequence[int], float | None]]) -> None:
    """Replace the units of a document by aligned units, in one transaction,
    without an entry in the history (fixtures and benchmarks build pairs with
    it; a person's alignment goes through ``AlignPair``).  Post-edited
    targets are replaced.

    :param store: the store to write.
    :param source_id: the article.
    :param target_id: its translation.
    :param links: ``(source segment ids, target segment ids, confidence)``.
    """
    with store.transaction():
        align_units(store, source_id, target_id,
                    [(tuple(s), tuple(t), c) for s, t, c in links], keep_targets=False)


def _describe(store: Store, document: Document) -> str:
    return f"document {document.id} (“{document.title}”)"


def _refuse_a_translation_as_article(store: Store, document: Document) -> None:
    if document.translation_of is not None:
        original = store.document(document.translation_of)
        raise BadInputError(f"document {document.id} is the translation of {_describe(store, original)}, "
                            f"not an article to align: give translations to document {original.id}")


def _existing_translation(store: Store, source_id: int | None, prepared) -> Document | None:
    """The stored document with the translation file's bytes, if any, once it
    is sure it can be the translation of ``source_id`` (None: a new article).

    Same bytes, same document: a file that is the translation of another
    document, or an article with units of its own, cannot become this
    document's translation too (its sentences would belong to two units)."""
    existing = store.document_by_checksum(prepared.checksum)
    if existing is None:
        return None
    name = prepared.path.name
    if existing.id == source_id:
        raise BadInputError(f"{name} is document {source_id} itself, not its translation")
    if existing.translation_of == source_id and source_id is not None:
        return existing
    if existing.translation_of is not None:
        original = store.document(existing.translation_of)
        raise BadInputError(f"{name} is already the translation of {_describe(store, original)} "
                            f"(imported as document {existing.id}); a text can be the translation "
                            "of one document only")
    if store.has_units(existing.id):
        raise BadInputError(f"{name} is already imported as {_describe(store, existing)}, an article of "
                            "its own: it cannot also be a translation")
    return existing  # a translation whose article is gone: it is taken up again


def prepare_text(path: str | Path, lang: str | None = None, *, presegmented: bool = False,
                 encoding: str | None = None):
    """Read an article for a pair (nothing is written): ``importing.prepare``,
    or with ``presegmented`` one segment per non-empty line, never re-split.

    Presegmented text keeps its blank lines as paragraph breaks (lines
    between two blank lines are one paragraph); every segment is body text,
    and the title is the file's name.

    :param path: the text file.
    :param lang: its language; detected when None.
    :param presegmented: one sentence per line.
    :param encoding: its encoding as the user named it; detected when None.
    Raises BadInputError for a file that cannot be read, decoded, or has no text."""
    import hashlib

    from workbench.core.importing import PreparedArticle, prepare
    from workbench.core.model import SegmentKind
    from workbench.core.text.article import ParsedArticle, ParsedSegment
    from workbench.core.text.decoding import detect_language, display_path, read_text_file

    path = Path(path)
    if not presegmented:
        return prepare(path, lang, encoding)
    text, data = read_text_file(path, encoding=encoding)
    segments, paragraph, blank = [], 0, False
    for line in text.splitlines():
        line = line.strip()
        if not line:
            blank = True
            continue
        if blank and segments:
            paragraph += 1
        blank = False
        segments.append(ParsedSegment(paragraph, SegmentKind.BODY, line))
    if not segments:
        raise BadInputError(f"{display_path(path)}: no text to import")
    article = ParsedArticle(language=lang or detect_language(text), title=None, date=None,
                            segments=tuple(segments))
    return PreparedArticle(path, hashlib.sha256(data).hexdigest(), article)


def import_pair(store: Store, source_path: str | Path, target_path: str | Path, *,
                source_lang: str | None = None, target_lang: str | None = None,
                presegmented: bool = False, use_mt: bool = True, keep_targets: bool | None = None,
                packages_dir=None, progress: ProgressFn = no_progress,
                cancelled: CancelledFn = never_cancelled) -> PairResult:
    """Import an article and its translation, and align them (one transaction:
    a refusal or a cancel leaves the database as it was).

    Importing a pair that is already aligned changes nothing (``created``
    False).  An article imported before keeps its units' history; when a
    person post-edited it, ``keep_targets`` must say what to do.

    :param store: the store to write.
    :param source_path: the article's text file.
    :param target_path: its translation's text file.
    :param source_lang: the article's language (detected when None).
    :param target_lang: the translation's language (detected when None).
    :param presegmented: one sentence per line in both files, never re-split.
    :param use_mt: use an installed model's MT as a signal when there is one.
    :param keep_targets: post-edits: True keep, False replace, None refuse.
    :param packages_dir: where the models are (default: the Argos directory).
    :param progress: ``progress(fraction, message)``.
    :param cancelled: polled; True raises ``Cancelled``.
    """
    src = prepare_text(source_path, source_lang, presegmented=presegmented)
    tgt = prepare_text(target_path, target_lang, presegmented=presegmented)
    return store_pair(store, src, tgt, use_mt=use_mt, keep_targets=keep_targets,
                      packages_dir=packages_dir, progress=progress, cancelled=cancelled)


def store_pair(store: Store, src, tgt, *, links: Sequence | None = None, used_mt: bool = False,
               use_mt: bool = True, keep_targets: bool | None = None, packages_dir=None,
               progress: ProgressFn = no_progress,
               cancelled: CancelledFn = never_cancelled) -> PairResult:
    """Store two prepared articles as a pair and align them, in one
    transaction (a refusal, a cancel or a kill leaves nothing of the pair).

    :param store: the store to write.
    :param src: the article, as ``prepare_text`` read it.
    :param tgt: its translation, likewise.
    :param links: the alignment already computed on the prepared segments
        (``align.Link``: sentence indices and confidence), e.g. by a worker
        process; used when the stored segments are exactly those (a new
        pair), otherwise the pair is aligned again here.
    :param used_mt: whether ``links`` were computed with MT.
    :param use_mt: use an installed model's MT when aligning here.
    :param keep_targets: post-edits: True keep, False replace, None refuse.
    :param packages_dir: where the models are (default: the Argos directory).
    :param progress: ``progress(fraction, message)``.
    :param cancelled: polled; True raises ``Cancelled``.
    Importing a pair that is already aligned changes nothing (``created`` False)."""
    from workbench.core.importing import store_article

    if src.checksum == tgt.checksum:
        raise BadInputError("the source and the translation are the same file")
    with store.transaction():
        # Every refusal before the first write.
        existing = store.document_by_checksum(src.checksum)
        if existing is not None and existing.translation_of is not None:
            original = store.document(existing.translation_of)
            raise BadInputError(f"{src.path.name} is already imported as the translation of "
                                f"{_describe(store, original)}, not as an article")
        translation = _existing_translation(store, existing.id if existing else None, tgt)
        if existing is not None and translation is not None and store.is_aligned_with(existing.id, translation.id):
            return PairResult(existing.id, translation.id, len(store.unit_ids(existing.id)), False,
                              created=False)
        if existing is not None:
            check_post_edits(store, existing.id, keep_targets)
        source = store_article(store, src, tgt.article.language)
        target = attach_prepared(store, source.document_id, tgt)
        specs = _specs_for(store, source.document_id, target, src, tgt, links) if links is not None else None
        if specs is None:
            return align_documents(store, source.document_id, target, use_mt=use_mt,
                                   keep_targets=keep_targets, packages_dir=packages_dir,
                                   progress=progress, cancelled=cancelled)
        post_edits = check_post_edits(store, source.document_id, keep_targets)
        history.apply(store, AlignPair(source.document_id, target, specs, keep_targets))
        return PairResult(source.document_id, target, len(specs), used_mt, post_edits=post_edits,
                          kept_targets=keep_targets if post_edits else None)


def _specs_for(store: Store, source_id: int, target_id: int, src, tgt,
               links: Sequence) -> tuple[LinkSpec, ...] | None:
    """Links computed on the prepared segments as ``AlignPair`` specs (segment
    ids), or None when the stored documents do not hold exactly those segments
    (a document imported before, then split, merged or excluded)."""
    stored = []
    for document_id, prepared in ((source_id, src), (target_id, tgt)):
        segments = _segments_of(store, document_id)
        if ([s.text for s in segments] != [s.text for s in prepared.article.segments]
                or any(s.excluded for s in segments)):
            return None
        stored.append([s.id for s in segments])
    src_ids, tgt_ids = stored
    return tuple((tuple(src_ids[i] for i in link.src), tuple(tgt_ids[j] for j in link.tgt),
                  link.confidence) for link in links)


def attach_prepared(store: Store, source_id: int, prepared) -> int:
    """Store a prepared translation file as the translation of ``source_id``
    (or find it stored already as such); its document id.  Refuses a file
    that is another document's translation or an article of its own.

    :param store: the store to write.
    :param source_id: the article.
    :param prepared: the translation, as ``importer.prepare`` read it.
    """
    from workbench.core.importing import store_article

    _refuse_a_translation_as_article(store, store.document(source_id))
    existing = _existing_translation(store, source_id, prepared)
    with store.transaction():
        if existing is None:
            target = store_article(store, prepared, translation_of=source_id).document_id
        else:
            target = existing.id
            store.set_translation_of(target, source_id)
        store.set_target_language(source_id, prepared.article.language)
    return target


def attach_translation(store: Store, source_id: int, target_path: str | Path, *,
                       target_lang: str | None = None, use_mt: bool = True,
                       keep_targets: bool | None = None, packages_dir=None,
                       progress: ProgressFn = no_progress,
                       cancelled: CancelledFn = never_cancelled) -> PairResult:
    """Give an existing document its human translation, and align them (one
    transaction; the alignment is one edit in the history).

    :param store: the store to write.
    :param source_id: the article.
    :param target_path: its translation's text file.
    :param target_lang: the translation's language (detected when None).
    :param use_mt: use an installed model's MT as a signal when there is one.
    :param keep_targets: targets a person post-edited: True keep them (the
        translation's sentences are linked to their units alongside), False
        replace them by the translation, None refuse (``PostEditsError``).
    :param packages_dir: where the models are (default: the Argos directory).
    :param progress: ``progress(fraction, message)``.
    :param cancelled: polled; True raises ``Cancelled``.
    """
    from workbench.core.importing import prepare

    _refuse_a_translation_as_article(store, store.document(source_id))
    check_post_edits(store, source_id, keep_targets)  # before reading the file
    prepared = prepare(Path(target_path), target_lang)
    with store.transaction():
        target = attach_prepared(store, source_id, prepared)
        return align_documents(store, source_id, target, use_mt=use_mt, keep_targets=keep_targets,
                               packages_dir=packages_dir, progress=progress, cancelled=cancelled)


def existing_document(store: Store, path: str | Path) -> Document | None:
    """The stored document with the bytes of the file at ``path`` (None when
    there is none, or the file cannot be read: the import will say why).

    :param store: the store to read.
    :param path: a text file.
    """
    import hashlib

    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    return store.document_by_checksum(hashlib.sha256(data).hexdigest())
