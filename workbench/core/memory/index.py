"""The memory's word index for large memories: every entry that shares words
with a query, ranked by the characters those words make up.

Why a second index.  ``tm_fts`` (FTS5) finds candidates by the query's rare
words.  In a memory of a million entries that misses the best match whenever
the two share only common words: the query's rare words are the ones the
translator changed, and what is left ("in the 27th meeting of CIS countries")
is in 20,000-600,000 entries each, whose FTS5 posting lists take 0.1-0.7 s to
read or intersect (measured: ``docs/translation_memory.md``).  Recall against
a scan of every entry stopped at 95.5%.

What this index does.  Per side and language pair (a *shard*), the entries
are numbered in order of length, and every word has the sorted numbers of the
entries holding it, packed as 32-bit integers in one blob.  A lookup:

1. takes the numbers in the query's length window (the lengths a score of
   ``min_score`` allows: one ``searchsorted`` per word, so out-of-window
   entries cost nothing);
2. adds, per entry, the characters of the words it shares with the query
   (word length + 1 for its space) in a numpy array of the window's size;
3. divides by the longer of the two lengths: an estimate of the character
   similarity ``similarity.py`` then computes exactly, and keeps the
   ``CANDIDATES`` best.

Counting characters and dividing by the longer length is what Levenshtein
similarity measures; weighting words by rarity (idf) instead found the
brute-force best in 98.1% of the bench's queries, characters in 99.6%.

Upkeep.  The index is rebuilt (``rebuild_index``), not updated: it covers
entries up to an id; newer entries (an approval a minute ago) are found
through ``tm_fts`` as before, and removed ones are dropped when read.
``refresh_index`` rebuilds when the memory has moved on by more than
``STALE_FRACTION`` (a memory import does it at its end); a rebuild writes a
new generation in short transactions and switches in one, so lookups in
other processes go on meanwhile.  Below ``INDEX_MIN_ENTRIES`` entries there
is no index: ``tm_fts`` reads every posting list within its budget there.
"""
from __future__ import annotations

import re
import threading
import time
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from workbench.core.errors import IndexBusyError
from workbench.core.progress import Cancelled, CancelledFn, ProgressFn, never_cancelled, no_progress
from workbench.core.store.clock import utc_now

INDEX_MIN_ENTRIES = 20_000
STALE_FRACTION = 0.10     # rebuild when entries added + removed since exceed this share
CANDIDATES = 150          # per shard
BITMAP_SHARE = 1 / 32     # a word in more of a shard's entries is kept as a bitmap (fewer bytes)
BITMAP, POSITIONS = "bitmap", "positions"
_TOKEN = re.compile(r"[^\W_]+")
_IDS = np.dtype("<i8")
_LENGTHS = np.dtype("<u2")
_POSITIONS = np.dtype("<u4")
_MAX_LENGTH = 65535


@dataclass(frozen=True)
class IndexSummary:
    """What a rebuild did."""
    entries: int          # entries indexed
    shards: int           # (side, language pair) shards written
    terms: int            # posting lists written
    covers: int           # the largest entry id covered
    seconds: float

    def to_json(self) -> dict:
        """The JSON line of ``workbench tm reindex --json``."""
        return {"entries": self.entries, "shards": self.shards, "terms": self.terms, "covers": self.covers,
                "seconds": round(self.seconds, 2)}


def words(text: str) -> set[str]:
    """The distinct case-folded words of a text, as the index keys them.

    Parameters:
        text: any text."""
    return set(_TOKEN.findall(text.casefold()))


# -- building ----------------------------------------------------------------
def _build_shard(rows, cancelled: CancelledFn, tick) -> tuple[np.ndarray, np.ndarray, dict[str, array]]:
    """(entry ids, lengths, term -> positions) of one shard from (id, length,
    text) rows in the shard's order (by length, then id)."""
    ids, lengths = array("q"), array("H")
    postings: dict[str, array] = {}
    for position, (entry_id, length, text) in enumerate(rows):
        ids.append(entry_id)
        lengths.append(min(length, _MAX_LENGTH))
        for word in words(text):
            found = postings.get(word)
            if found is None:
                found = postings[word] = array("I")
            found.append(position)
        if position % 20_000 == 19_999:
            if cancelled():
                raise Cancelled("memory index rebuild cancelled: the index in use is unchanged")
            tick(20_000)
    return (np.frombuffer(ids, dtype=np.int64).astype(_IDS), np.frombuffer(lengths, dtype=np.uint16).astype(_LENGTHS),
            postings)


def _encode(term: str, positions: array, entries: int) -> tuple[str, str, bytes]:
    """(term, encoding, blob): sorted positions as packed 32-bit integers, or,
    for a word in more than ``BITMAP_SHARE`` of the entries, one bit per entry
    (smaller, and added up in one contiguous pass)."""
    packed = np.frombuffer(positions, dtype=np.uint32)
    if len(packed) > BITMAP_SHARE * entries:
        held = np.zeros(entries, dtype=bool)
        held[packed] = True
        return term, BITMAP, np.packbits(held, bitorder="little").tobytes()
    return term, POSITIONS, packed.astype(_POSITIONS).tobytes()


def rebuild_index(store, *, progress: ProgressFn = no_progress,
                  cancelled: CancelledFn = never_cancelled) -> IndexSummary:
    """Build the word index of every entry of the memory and switch lookups to it.

    Other processes keep looking up (and writing) meanwhile: the new
    generation is written in short transactions and becomes active in one.
    Cancelled (``Cancelled``), the index in use stays as it was.

    Parameters:
        store: an open ``Store``.
        progress: (fraction, message).
        cancelled: polled every 20,000 entries.
    Raises ``IndexBusyError`` while another process rebuilds it."""
    started = time.perf_counter()
    token, holder = store.tm_index_claim()
    if token is None:
        raise IndexBusyError(f"{holder} is rebuilding the memory index already: nothing was changed"
                             " (lookups use the index in place meanwhile)")
    try:
        return _rebuild(store, started, progress, cancelled)
    finally:
        store.tm_index_release(token)


def _rebuild(store, started: float, progress: ProgressFn, cancelled: CancelledFn) -> IndexSummary:
    covers = store.tm_entry_count_estimate()
    total = max(1, store.tm_entry_count())
    groups = store.tm_index_groups(covers)
    generation = store.tm_index_new_generation()
    done = [0]

    def tick(count: int) -> None:
        done[0] += count
        progress(min(0.99, done[0] / (2 * total)),
                 f"indexing the memory: {min(done[0], 2 * total) // 2:,} of {total:,} entries")

    progress(0.0, f"indexing the memory: {total:,} entries")
    entries = terms = shards = 0
    try:
        for source_lang, target_lang in groups:
            for side in ("source", "target"):
                entry_ids, lengths, postings = _build_shard(
                    store.tm_index_side_texts(side, source_lang, target_lang, covers), cancelled, tick)
                if not len(entry_ids):
                    continue
                packed = (_encode(term, positions, len(entry_ids)) for term, positions in postings.items())
                store.tm_index_write_shard(generation, side, source_lang, target_lang, entry_ids.tobytes(),
                                           lengths.tobytes(), len(entry_ids), packed)
                shards += 1
                terms += len(postings)
                if side == "source":
                    entries += len(entry_ids)
                if cancelled():
                    raise Cancelled("memory index rebuild cancelled: the index in use is unchanged")
    except BaseException:
        active = store.tm_index_state()[0]
        try:
            store.tm_index_drop_generations(keep=active)
        except Exception:  # noqa: BLE001 - the next rebuild removes what is left
            pass
        raise
    store.tm_index_activate(generation, covers, entries, utc_now())
    store.tm_index_drop_generations(keep=generation)
    progress(1.0, f"memory index: {entries:,} entries")
    return IndexSummary(entries=entries, shards=shards, terms=terms, covers=covers,
                        seconds=time.perf_counter() - started)


def index_is_stale(store, *, min_entries: int | None = None) -> bool:
    """Whether ``refresh_index`` would rebuild (or drop) the index.

    Parameters:
        store: an open ``Store``.
        min_entries: below this many entries the memory needs no index
            (default ``INDEX_MIN_ENTRIES``)."""
    min_entries = INDEX_MIN_ENTRIES if min_entries is None else min_entries
    _generation, covers, indexed, _built = store.tm_index_state()
    entries, newer = store.tm_index_counts(covers)
    if entries < min_entries:
        return bool(_generation)
    removed = max(0, indexed - (entries - newer))
    return not _generation or (newer + removed) > STALE_FRACTION * max(indexed, 1)


def refresh_index(store, *, min_entries: int | None = None, progress: ProgressFn = no_progress,
                  cancelled: CancelledFn = never_cancelled) -> IndexSummary | None:
    """Rebuild the index if the memory has moved on by more than ``STALE_FRACTION``
    since it was built (or drop it if the memory has shrunk below ``min_entries``);
    None when nothing was needed (or another process is rebuilding it).

    Parameters:
        store: an open ``Store``.
        min_entries: the smallest memory worth an index (default ``INDEX_MIN_ENTRIES``).
        progress, cancelled: as ``rebuild_index``."""
    min_entries = INDEX_MIN_ENTRIES if min_entries is None else min_entries
    if not index_is_stale(store, min_entries=min_entries):
        return None
    if store.tm_entry_count() < min_entries:
        token, _holder = store.tm_index_claim()
        if token is not None:  # else: a rebuild of another process decides
            try:
                store.tm_index_clear()
            finally:
                store.tm_index_release(token)
        return None
    try:
        return rebuild_index(store, progress=progress, cancelled=cancelled)
    except IndexBusyError:
        return None  # another process is doing it


# -- looking up ---------------------------------------------------------------
# shard id -> (entry ids, lengths): a shard is never rewritten (a rebuild makes
# new ones; ids are not reused), so its arrays are read once per process.
_ARRAYS: dict[tuple[str, int], tuple[np.ndarray, np.ndarray]] = {}
_ARRAYS_LOCK = threading.Lock()


def _shard_arrays(store, shard_id: int) -> tuple[np.ndarray, np.ndarray] | None:
    key = (str(getattr(store, "path", id(store))), shard_id)
    with _ARRAYS_LOCK:
        found = _ARRAYS.get(key)
    if found is not None:
        return found
    row = store.tm_index_shard_arrays(shard_id)
    if row is None:
        return None
    found = (np.frombuffer(row[0], dtype=_IDS), np.frombuffer(row[1], dtype=_LENGTHS))
    with _ARRAYS_LOCK:
        if len(_ARRAYS) >= 8:  # a lookup reads two shards; ~10 MB each at a million entries
            _ARRAYS.clear()
        _ARRAYS[key] = found
    return found


def length_window(length: int, min_score: int) -> tuple[int, int] | None:
    """The entry lengths that can score ``min_score`` against a text of ``length``
    characters, (shortest, longest + 1), or None when any length can: a
    character score s needs the shorter text to be s% of the longer; 10 points
    of margin keep the exact classes (98/99: texts that differ in punctuation,
    case or numbers).  Both indexes take it.

    Parameters:
        length: the query's length in characters.
        min_score: the lowest score wanted."""
    ratio = (min_score - 10) / 100
    if ratio <= 0.3:
        return None
    return int(length * ratio), int(length / ratio) + 1


def shard_candidates(store, shard_id: int, query_words: set[str], length: int, min_score: int,
                     limit: int = CANDIDATES) -> list[int]:
    """Entry ids of one shard with the most characters in words shared with the
    query over the longer length, best first.

    Parameters:
        store: an open ``Store``.
        shard_id: the shard.
        query_words: the query's ``words``.
        length: the query's length in characters.
        min_score: the lowest score wanted (sets the length window).
        limit: at most this many ids."""
    arrays = _shard_arrays(store, shard_id)
    if arrays is None or not query_words:
        return []
    entry_ids, lengths = arrays
    window = length_window(length, min_score)
    high = max(window[1], length) if window else _MAX_LENGTH + 1
    start, stop = 0, len(lengths)
    if window:
        start = int(np.searchsorted(lengths, np.asarray(min(window[0], _MAX_LENGTH), dtype=_LENGTHS)))
        if high <= _MAX_LENGTH:
            stop = int(np.searchsorted(lengths, np.asarray(high, dtype=_LENGTHS)))
    if stop <= start:
        return []
    size = stop - start
    # Every array operation stays in the arrays' own unsigned types: a Python
    # int or an int64 beside a uint32 array makes numpy copy the array first.
    bounds = np.array([start, stop], dtype=_POSITIONS)
    offset = np.asarray(start, dtype=_POSITIONS)
    first_byte, bit = divmod(start, 8)
    last_byte = (stop + 7) // 8
    shared = np.zeros(size, dtype=np.uint16)
    for term, encoding, blob in store.tm_index_postings(shard_id, sorted(query_words)):
        weight = min(len(term) + 1, 255)
        if encoding == BITMAP:
            # a common word: one contiguous pass over the window (~0.1 ms)
            bits = np.unpackbits(np.frombuffer(blob, dtype=np.uint8)[first_byte:last_byte], bitorder="little")
            shared += bits[bit:bit + size] * np.uint8(weight)
        else:
            positions = np.frombuffer(blob, dtype=_POSITIONS)
            first, last = positions.searchsorted(bounds)
            if last > first:
                # positions are distinct within a word: plain fancy-index add is exact
                shared[positions[first:last] - offset] += weight
    # The ``limit`` best by shared / max(entry length, query length) all have
    # shared >= v * length / high, v being the limit-th largest shared value
    # (the estimate is at least shared / high and at most shared / length):
    # only those few get the exact division and the partition.
    counts = np.bincount(shared)
    above = np.cumsum(counts[::-1])
    rank = int(np.searchsorted(above, min(limit, int(above[-1]))))
    floor_value = max(1, len(counts) - 1 - rank)
    hit = np.flatnonzero(shared >= max(1, int(floor_value * length / max(high, 1))))
    if not len(hit):
        return []
    estimate = shared[hit] / np.maximum(lengths[start + hit], length).astype(np.float32)
    if len(hit) > limit:
        best = np.argpartition(-estimate, limit - 1)[:limit]
        hit, estimate = hit[best], estimate[best]
    order = np.argsort(-estimate, kind="stable")
    return [int(i) for i in entry_ids[start + hit[order]]]


def index_candidates(store, text: str, source_lang: str, target_lang: str, *,
                     min_score: int) -> tuple[int, list[tuple[int, bool]]]:
    """(covered entry id, [(entry id, stored reversed)]) the index finds for a
    query; (0, []) while there is no index.

    Parameters:
        store: an open ``Store``.
        text: the (checked) query.
        source_lang, target_lang: the query's language and the wanted one.
        min_score: the lowest score wanted."""
    generation, covers, _entries, _built = store.tm_index_state()
    if not generation:
        return 0, []
    wanted: Sequence[tuple[str, str, str]] = [("source", source_lang, target_lang),
                                               ("target", target_lang, source_lang)]
    query_words = words(text)
    length = len(text)
    found: list[tuple[int, bool]] = []
    for shard_id, side, *_pair, _count in store.tm_index_shards(generation, wanted):
        reversed_ = side == "target"
        found += [(entry, reversed_) for entry in shard_candidates(store, shard_id, query_words, length,
                                                                   min_score)]
    return covers, found
