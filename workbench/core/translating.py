"""Machine-translate a document's units, batch by batch, into the store.

Resumable by construction: every batch is committed (translations, cache and
provenance in one transaction) before the next starts, so a crash or a cancel
keeps what was done and a re-run only translates what is left.  A source text
already translated by the same model chain is taken from the cache, never
sent to the model again; "the same" means the same package codes, versions and
model files (``cache_key``).  A unit whose source text changes while the job
runs (a split or merge from the window or another process) never gets the MT
of its old text: each batch is written only to units whose source is still the
text that was translated, and the others are left for a re-run.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from workbench.core.errors import BadInputError
from workbench.core.model import SegmentKind, Unit
from workbench.core.progress import Cancelled, CancelledFn, ProgressFn, never_cancelled, no_progress
from workbench.core.store.database import Store
from workbench.core.text.inline_tags import strip_tags

ENGINE = "argos"
DEFAULT_BATCH = 64


@dataclass(frozen=True)
class TranslationSummary:
    """What a translation run did to one document: counts, time, and whether it stopped early."""
    units: int            # units considered (after skipping excluded/boilerplate)
    translated: int       # units whose MT came from the model in this run
    from_cache: int       # units whose MT came from the cache
    skipped: int          # units left alone (already translated, excluded, boilerplate, empty)
    seconds: float
    models: list[str] = field(default_factory=list)
    cancelled: bool = False  # stopped early: this summary is the partial result of a Cancelled
    sentences_translated: int = 0  # distinct source texts sent to the model
    changed: int = 0      # units whose source changed (or that went away) meanwhile: left for a re-run

    @property
    def per_second(self) -> float:
        """Sentences sent to the model per second of the run (0 when none were)."""
        return self.sentences_translated / self.seconds if self.seconds > 0 else 0.0

    def describe(self) -> str:
        """One line for the terminal and the status bar."""
        if not self.translated and not self.from_cache:
            state = "cancelled: " if self.cancelled else ""
            return (f"{state}nothing to translate ({self.skipped} units already translated"
                    f" or skipped)")
        head = "cancelled after " if self.cancelled else ""
        changed = (f"; {self.changed} units changed while translating, left for a re-run"
                   if self.changed else "")
        return (f"{head}{self.translated + self.from_cache} units translated "
                f"({self.sentences_translated} sentences by the model, {self.from_cache} from cache,"
                f" {self.skipped} skipped) in {self.seconds:.1f} s, {self.per_second:.1f} sentences/s"
                f" with {' + '.join(self.models)}{changed}")


def model_key(chain: Sequence) -> tuple[str, str]:
    """Provenance of a model chain: (``code+code``, ``version+version``).

    :param chain: the packages a text goes through, in order."""
    return ("+".join(p.code for p in chain), "+".join(str(p.package_version) for p in chain))


def cache_key(chain: Sequence) -> str:
    """The MT cache's name for a model chain: each model's code, version and
    content hash (``translate-en_ru@1.9#3f2a…``, joined by ``+`` for a pivot),
    so an upgrade or the same version with other weights starts a new cache.

    :param chain: the packages a text goes through, in order."""
    from workbench.core.mt.packages import fingerprint

    return "+".join(f"{p.code}@{p.package_version}#{fingerprint(p)[:16]}" for p in chain)


def _wanted(unit: Unit, include_excluded: bool, include_boilerplate: bool) -> bool:
    if not unit.source.strip():
        return False
    if unit.excluded and not include_excluded:
        return False
    return include_boilerplate or unit.kind is not SegmentKind.BOILERPLATE


def translate_document(store: Store, document_id: int, *, to_lang: str | None = None,
                       beam_size: int | None = None, include_excluded: bool = False,
                       include_boilerplate: bool = False, packages_dir=None,
                       batch_size: int = DEFAULT_BATCH, retranslate: bool = False,
                       on_batch: Callable[[list[int]], None] | None = None,
                       progress: ProgressFn = no_progress,
                       cancelled: CancelledFn = never_cancelled) -> TranslationSummary:
    """Machine-translate a document's units into the store, batch by batch.

    :param store: the open store (the job commits one transaction per batch).
    :param document_id: the document to translate.
    :param to_lang: target language (default: the document's).
    :param beam_size: beam width (default: engine.DEFAULT_BEAM).
    :param include_excluded: also translate excluded segments.
    :param include_boilerplate: also translate boilerplate lines.
    :param packages_dir: the Argos packages directory (default: Argos' own).
    :param batch_size: distinct source texts per model call and per commit.
    :param retranslate: translate units that already have MT from this model.
    :param on_batch: called with the unit ids written after each commit.
    :param progress: progress callback (fraction, message).
    :param cancelled: polled between batches; True stops after the current one
        and raises ``Cancelled`` whose ``partial`` is the ``TranslationSummary``
        of what was written (and kept: a re-run goes on from there).
    Units whose source text changes meanwhile are left alone and counted in
    ``TranslationSummary.changed``."""
    from workbench.core.mt import engine, packages  # lazy: ctranslate2 is heavy and the GUI starts without it

    started = time.perf_counter()
    doc = store.document(document_id)
    target = to_lang or doc.target_language
    if not target:
        raise BadInputError(f"document {document_id} has no target language: pass --to LANG")
    chain = packages.find_pair(doc.language, target, packages_dir=packages_dir)
    code, version = model_key(chain)
    key = cache_key(chain)
    progress(0.0, f"translating {doc.title[:40]!r} with {code}")

    todo: list[Unit] = []
    skipped = 0
    for unit in store.units(document_id):
        if not _wanted(unit, include_excluded, include_boilerplate) or (
                not retranslate and unit.mt is not None and unit.mt_model == code
                and unit.mt_version == version):
            skipped += 1
        else:
            todo.append(unit)

    # The model sees the text without inline tags (<b0>, <x1/>), and its output
    # has none: the tags are the translator's to place (QA reports missing ones).
    plain = {u.id: strip_tags(u.source) for u in todo}
    cached = store.cached_translations(key, list(dict.fromkeys(plain.values())))
    changed: set[int] = set()
    from_cache = [u for u in todo if plain[u.id] in cached]
    if from_cache:
        stale = store.set_machine_translations_if_source(
            (u.id, u.source, cached[plain[u.id]], ENGINE, code, version) for u in from_cache)
        changed.update(stale)
        from_cache = [u for u in from_cache if u.id not in stale]
        if on_batch and from_cache:
            on_batch([u.id for u in from_cache])

    # One model call per distinct source text (without tags).
    by_source: dict[str, list[tuple[int, str]]] = {}
    for unit in todo:
        if plain[unit.id] not in cached:
            by_source.setdefault(plain[unit.id], []).append((unit.id, unit.source))
    sources = list(by_source)
    done_units = 0
    done_sentences = 0
    was_cancelled = False
    for start in range(0, len(sources), batch_size):
        if cancelled():
            was_cancelled = True
            break
        batch = sources[start:start + batch_size]
        outputs = engine.translate_chain(chain, batch, beam_size=beam_size)
        rows = [(uid, source, out, ENGINE, code, version)
                for src, out in zip(batch, outputs, strict=True) for uid, source in by_source[src]]
        with store.transaction():  # cache, MT and the source check: one transaction
            store.cache_translations(key, zip(batch, outputs))
            stale = store.set_machine_translations_if_source(rows)
        changed.update(stale)
        written = [r[0] for r in rows if r[0] not in stale]
        done_units += len(written)
        done_sentences += len(batch)
        if on_batch and written:
            on_batch(written)
        progress(done_sentences / len(sources),
                 f"translated {done_sentences}/{len(sources)} sentences")
    if not sources:
        progress(1.0, "nothing left to translate")
    summary = TranslationSummary(
        units=len(todo) + skipped, translated=done_units, from_cache=len(from_cache),
        skipped=skipped, seconds=time.perf_counter() - started, models=[code],
        cancelled=was_cancelled, sentences_translated=done_sentences, changed=len(changed))
    if was_cancelled:  # the batches written are committed and stay: say what they hold
        raise Cancelled(summary.describe(), partial=summary)
    return summary


def translate_texts_cached(store: Store | None, texts: Sequence[str], from_lang: str, to_lang: str, *,
                           packages_dir=None, beam_size: int | None = None,
                           batch_size: int = DEFAULT_BATCH, progress: ProgressFn = no_progress,
                           cancelled: CancelledFn = never_cancelled) -> list[str]:
    """Machine-translate free texts (the aligner's MT signal): the one way the
    workbench translates texts that are not a document's units.

    Each distinct text goes to the model once.  With a store, texts in its MT
    cache for this model chain (``cache_key``: codes, versions, content hash)
    are taken from there, and new translations are added to it.

    :param store: whose MT cache to use; None translates without a cache
        (``workbench align`` works on files, without a database).
    :param texts: the texts, in any number; blank ones translate to "".
    :param from_lang: their language.
    :param to_lang: the language to translate them into.
    :param packages_dir: the Argos packages directory (default: Argos' own).
    :param beam_size: beam width (default: engine.DEFAULT_BEAM).
    :param batch_size: distinct texts per model call (and per cache write).
    :param progress: ``progress(fraction, message)``.
    :param cancelled: polled between batches; True raises ``Cancelled``.
    Returns the translations in the order of ``texts``.  Raises NoModelError
    when no model for the pair is installed, ModelError when one cannot be used."""
    from workbench.core.mt import engine, packages  # lazy: ctranslate2 is heavy and the GUI starts without it

    chain = packages.find_pair(from_lang, to_lang, packages_dir=packages_dir)
    key = cache_key(chain) if store is not None else ""
    found = store.cached_translations(key, list(texts)) if store is not None else {}
    missing = list(dict.fromkeys(t for t in texts if t not in found and t.strip()))
    for start in range(0, len(missing), batch_size):
        if cancelled():
            raise Cancelled("machine translation cancelled")
        batch = missing[start:start + batch_size]
        outputs = engine.translate_chain(chain, batch, beam_size=beam_size)
        if store is not None:
            store.cache_translations(key, zip(batch, outputs))
        found.update(zip(batch, outputs))
        progress((start + len(batch)) / len(missing), f"translated {start + len(batch)}/{len(missing)}")
    return [found.get(t, "") for t in texts]


# --- many documents, their batches spread over a runner (this process or a cluster) ---

@dataclass(frozen=True)
class MTShard:
    """A batch of distinct source texts for one model chain: what a runner sends to a worker."""
    chain: tuple                # packages.ModelPackage, in order
    texts: tuple[str, ...]
    beam_size: int | None = None
    key: str = ""               # the MT cache's key of the chain (``cache_key``)


# ``runner(shards)`` yields ``(shard, translations)`` for every shard, in any order;
# closing it drops the shards not done.  ``cluster.Cluster.mt_runner`` is one.
ShardRunner = Callable[[Iterable[MTShard]], Iterator[tuple[MTShard, list[str]]]]


def run_shards_inline(shards: Iterable[MTShard]) -> Iterator[tuple[MTShard, list[str]]]:
    """Translate the shards one after the other in this process.

    :param shards: the shards, pulled one at a time."""
    from workbench.core.mt import engine

    for shard in shards:
        yield shard, engine.translate_chain(shard.chain, shard.texts, beam_size=shard.beam_size)


def translate_documents(store: Store, document_ids: Sequence[int], *, runner: ShardRunner | None = None,
                        to_lang: str | None = None, beam_size: int | None = None,
                        include_excluded: bool = False, include_boilerplate: bool = False,
                        packages_dir=None, batch_size: int = DEFAULT_BATCH, retranslate: bool = False,
                        progress: ProgressFn = no_progress,
                        cancelled: CancelledFn = never_cancelled,
                        on_batch: Callable[[list[int]], None] | None = None) -> TranslationSummary:
    """Machine-translate many documents, their batches run by ``runner`` (on a
    cluster: many at once) and written here, one transaction per batch.

    The batches are the ones ``translate_document`` makes, document after
    document (each document's distinct source texts that are neither cached
    nor already on their way, ``batch_size`` at a time), so the MT written is
    the same as one document at a time in this process; a text met again in a
    later document waits for its first batch instead of being translated
    twice.  Documents are planned lazily, as the runner asks for work, so a
    corpus of 100,000 documents is never held in memory.  Resumable like
    ``translate_document``: what was written stays, a re-run skips it.

    :param store: the open store (only this process writes).
    :param document_ids: the documents, in the order to plan them.
    :param runner: where the batches run (``run_shards_inline`` when None; a cluster's ``mt_runner``).
    :param to_lang: target language (default: each document's).
    :param beam_size: beam width (default: engine.DEFAULT_BEAM).
    :param include_excluded: also translate excluded segments.
    :param include_boilerplate: also translate boilerplate lines.
    :param packages_dir: the Argos packages directory (default: Argos' own).
    :param batch_size: distinct source texts per batch (per task and per commit).
    :param retranslate: translate units that already have MT from this model.
    :param progress: ``progress(fraction, message)``, after every batch written.
    :param cancelled: polled between batches; True stops: the batches not
        written are dropped and ``Cancelled`` (its ``partial`` the summary of
        what was written and kept) is raised.
    :param on_batch: called with the ids of the units each batch wrote (after its commit).
    Returns one ``TranslationSummary`` for all the documents."""
    from workbench.core.mt import packages

    started = time.perf_counter()
    runner = runner or run_shards_inline
    chains: dict[tuple[str, str], tuple[tuple, str, str, str]] = {}
    versions: dict[str, tuple[str, str]] = {}       # cache key -> (code, version)
    waiting: dict[str, dict[str, list[int]]] = {}    # cache key -> source sent -> units waiting for it
    counts = {"units": 0, "skipped": 0, "cached": 0, "written": 0, "sentences": 0, "documents": 0}
    changed: set[int] = set()
    stop = {"asked": False}

    def plan() -> Iterator[MTShard]:
        for document_id in document_ids:
            if cancelled():
                stop["asked"] = True
                return
            doc = store.document(document_id)
            target = to_lang or doc.target_language
            if not target:
                raise BadInputError(f"document {document_id} has no target language: pass --to LANG")
            if (doc.language, target) not in chains:
                chain = tuple(packages.find_pair(doc.language, target, packages_dir=packages_dir))
                code, version = model_key(chain)
                chains[(doc.language, target)] = (chain, code, version, cache_key(chain))
            chain, code, version, key = chains[(doc.language, target)]
            versions[key] = (code, version)
            sent = waiting.setdefault(key, {})
            todo: list[Unit] = []
            for unit in store.units(document_id):
                counts["units"] += 1
                if not _wanted(unit, include_excluded, include_boilerplate) or (
                        not retranslate and unit.mt is not None and unit.mt_model == code
                        and unit.mt_version == version):
                    counts["skipped"] += 1
                else:
                    todo.append(unit)
            counts["documents"] += 1
            cached = store.cached_translations(key, [u.source for u in todo if u.source not in sent])
            from_cache = [u for u in todo if u.source in cached]
            if from_cache:
                stale = store.set_machine_translations_if_source(
                    (u.id, u.source, cached[u.source], ENGINE, code, version) for u in from_cache)
                changed.update(stale)
                counts["cached"] += len(from_cache) - len(stale)
            new: list[str] = []
            for unit in todo:
                if unit.source in cached:
                    continue
                if unit.source not in sent:
                    new.append(unit.source)
                    sent[unit.source] = []
                sent[unit.source].append(unit.id)
            for start in range(0, len(new), batch_size):
                yield MTShard(chain, tuple(new[start:start + batch_size]), beam_size, key)

    def summary(was_cancelled: bool) -> TranslationSummary:
        return TranslationSummary(
            units=counts["units"], translated=counts["written"], from_cache=counts["cached"],
            skipped=counts["skipped"], seconds=time.perf_counter() - started,
            models=sorted({code for code, _ in versions.values()}), cancelled=was_cancelled,
            sentences_translated=counts["sentences"], changed=len(changed))

    results = runner(plan())
    try:
        for shard, outputs in results:
            code, version = versions[shard.key]
            sent = waiting[shard.key]
            rows = [(uid, source, out, ENGINE, code, version)
                    for source, out in zip(shard.texts, outputs, strict=True) for uid in sent.pop(source)]
            with store.transaction():  # cache, MT and the source check: one transaction, as translate_document
                store.cache_translations(shard.key, zip(shard.texts, outputs))
                stale = store.set_machine_translations_if_source(rows)
            changed.update(stale)
            counts["written"] += len(rows) - len(stale)
            counts["sentences"] += len(shard.texts)
            if on_batch is not None:
                on_batch([row[0] for row in rows])
            done = counts["skipped"] + counts["cached"] + counts["written"] + len(changed)
            fraction = (done / max(counts["units"], 1)) * (counts["documents"] / max(len(document_ids), 1))
            elapsed = time.perf_counter() - started
            progress(min(fraction, 1.0), f"{counts['sentences']:,} sentences translated "
                                         f"({counts['sentences'] / elapsed:.1f}/s), {counts['documents']:,} of "
                                         f"{len(document_ids):,} documents planned")
            if cancelled():
                stop["asked"] = True
                break
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()  # drops the shards not done (a cluster cancels them)
    if stop["asked"]:
        partial = summary(True)
        raise Cancelled(partial.describe(), partial=partial)
    progress(1.0, f"{counts['sentences']:,} sentences translated")
    return summary(False)
