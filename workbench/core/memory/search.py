"""Fuzzy lookup in the memory: candidates from an index, exact rescoring with rapidfuzz.

Candidates come from two indexes (figures at 1,000,000 entries in
docs/translation_memory.md):

0. The word index (``workbench.core.memory.index``), built once a memory
   holds ``INDEX_MIN_ENTRIES`` entries: every entry sharing words with the
   query, ranked by the characters they share.  It covers the entries up to
   the id it was built at.
1-3. ``tm_fts`` (FTS5), kept by triggers in the same transaction as every
   write, for the entries the word index does not cover (all of them in a
   smaller memory):

1. The query's distinct word tokens (case-folded, as FTS5's ``unicode61``
   tokenizer sees them) are counted in the index, each up to ``COUNT_CAP``
   postings; a word above is common, its count estimated from the newest
   entries (``Store.tm_term_counts``), so no lookup reads a long posting list.
2. Rare words, rarest first, while their postings add up to at most
   ``POSTINGS_BUDGET`` (at most ``MAX_TERMS``): their posting lists are merged
   by SQLite (UNION ALL, GROUP BY), each entry weighted by the idf of the
   words it holds; the ``CANDIDATES`` heaviest are kept.  (The same words
   OR-ed in one FTS5 query ranked by BM25 found the same candidates ~1.7x
   slower: BM25 reads per-column statistics for every posting.)
3. A query with fewer than ``MIN_TERMS`` rare words (a short sentence of
   everyday words, or one whose rare words are new names) also gets the
   entries holding pairs of its ``COMMON_TERMS`` rarest words (FTS5
   intersections, which skip through posting lists by their index), ranked
   by how many pairs they hold.  Steps 1-3 alone find the best match of a
   scan of every entry in 95.5% of the bench's queries at a million entries:
   what they miss shares only common words with the query, which is why the
   word index exists.

4. Every candidate's plain character score is computed in one rapidfuzz call;
   those that can reach ``min_score`` are scored exactly (``similarity``).

``bench/tm_bench.py`` measures how often this finds the best match a scan of
every entry finds.
"""
from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from workbench.core.errors import BadInputError
from workbench.core.memory.index import index_candidates, length_window
from workbench.core.memory.similarity import Scorer, carry_numbers, fold

MAX_QUERY_CHARS = 2000
MAX_TERMS = 12
MIN_TERMS = 4
POSTINGS_BUDGET = 12000
COUNT_CAP = POSTINGS_BUDGET  # a term held by more entries is never read whole
CANDIDATES = 150
COMMON_TERMS = 3
COMBINATION_LIMIT = 1000
COMBINATION_SCAN = 1000
COMMON_POOL = 300
_TOKEN = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Match:
    """One memory match, oriented in the query's direction."""
    score: int
    kind: str                 # exact | case-punctuation | numbers | fuzzy
    source: str               # the match's source (in the query's language)
    target: str               # its target, with the new source's numbers carried over
    stored_target: str        # the target as stored
    entry_id: int
    unit_id: int | None       # when the match is a unit of the database
    document_id: int | None
    memory: str | None        # the imported memory's name, for file memories
    origin: str               # "document 3: Title" or "memory NAME"
    status: str | None
    changed: str | None
    context: str | None = field(default=None, repr=False)

    def to_json(self) -> dict:
        """The JSON line of ``workbench tm search --json``."""
        origin = ({"memory": self.memory} if self.memory is not None else
                  {"document_id": self.document_id, "title": self.origin.split(": ", 1)[-1]})
        return {"score": self.score, "kind": self.kind, "source": self.source, "target": self.target,
                "origin": origin, "unit_id": self.unit_id, "status": self.status, "changed": self.changed}


def check_query(text: str) -> str:
    """The query stripped, or a ``BadInputError`` when it is empty or too long.

    Parameters:
        text: what the user typed."""
    text = (text or "").strip()
    if not text:
        raise BadInputError("the query is empty: give a sentence or words to look up")
    if len(text) > MAX_QUERY_CHARS:
        raise BadInputError(f"the query is {len(text):,} characters long; the limit is {MAX_QUERY_CHARS:,}")
    return text


def terms_of(text: str) -> list[str]:
    """Distinct case-folded word tokens in order of appearance.

    Parameters:
        text: any text."""
    seen: dict[str, None] = {}
    for token in _TOKEN.findall(text.casefold()):
        seen.setdefault(token, None)
    return list(seen)


def fts_or(terms: list[str], column: str) -> str:
    """An FTS5 query: any of ``terms`` in ``column``.

    Parameters:
        terms: word tokens; column: 'source' or 'target'."""
    quoted = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
    return f"{{{column}}} : ({quoted})"


def _plan(store, terms: list[str], column: str, floor: int = 0) -> tuple[dict[str, int], list[str], list[str]]:
    """(counts, rare, common): the query's terms the index holds in ``column``,
    split into the rare ones the weighted union reads (rarest first, while
    their postings fit ``POSTINGS_BUDGET``, at most ``MAX_TERMS``) and the rest,
    rarest first."""
    counts = store.tm_term_counts(terms, column, cap=COUNT_CAP, floor=floor)
    ranked = sorted((t for t in terms if counts[t] > 0), key=lambda t: (counts[t], -len(t)))
    rare: list[str] = []
    postings = 0
    for term in ranked:
        count = counts[term]
        if count >= COUNT_CAP or len(rare) >= MAX_TERMS or postings + count > POSTINGS_BUDGET:
            break
        rare.append(term)
        postings += count
    return counts, rare, ranked[len(rare):]


def _common_candidates(store, ranked: list[str], common: list[str], column: str,
                       lengths: tuple[int, int] | None, floor: int = 0) -> list[int]:
    """Entries holding several of the query's words, for a query with few rare
    ones: FTS5 intersects each pair of its ``COMMON_TERMS`` rarest words (an
    intersection skips through the posting lists by their index; at most
    ``COMBINATION_LIMIT`` entries each); entries are ranked by how many of the
    pairs they hold, the ``COMMON_POOL`` first kept."""
    held: dict[int, int] = {}
    pairs = list(itertools.combinations(ranked[:COMMON_TERMS], 2))
    pairs += [p for p in itertools.combinations(common[:COMMON_TERMS], 2) if p not in pairs]
    for combo in pairs:
        for entry in store.tm_all_terms_hits(list(combo), column, limit=COMBINATION_LIMIT, lengths=lengths,
                                             scan=COMBINATION_SCAN, floor=floor):
            held[entry] = held.get(entry, 0) + 1
    return sorted(held, key=lambda e: (-held[e], -e))[:COMMON_POOL]


def candidates(store, text: str, source_lang: str, target_lang: str, *,
               limit: int = CANDIDATES, min_score: int = 0, use_index: bool = True) -> list[tuple[tuple, bool]]:
    """Entries that may match ``text``, each with whether it is stored reversed.

    The word index (``workbench.core.memory.index``), when the memory has one,
    gives the candidates among the entries it covers; ``tm_fts`` gives them
    among newer entries (all of them while there is no index).

    Parameters:
        store: an open ``Store``.
        text: the (checked) query.
        source_lang, target_lang: the query's language and the wanted one.
        limit: FTS rows per direction.
        min_score: the lowest score wanted: entries whose length cannot reach it
            are left out.
        use_index: False: ``tm_fts`` alone, over every entry (the bench's comparison)."""
    terms = terms_of(text)
    if not terms:
        return []
    covers, indexed = (index_candidates(store, text, source_lang, target_lang, min_score=min_score)
                       if use_index else (0, []))
    ids: list[int] = [entry for entry, _reversed in indexed]
    reversed_of = dict(indexed)
    if store.tm_entry_count_estimate() > covers:
        lengths = length_window(len(text), min_score)
        for column, reversed_ in (("source", False), ("target", True)):
            if not store.tm_has_pair(*((target_lang, source_lang) if reversed_ else (source_lang, target_lang))):
                continue
            for entry in _fts_candidates(store, terms, column, limit, lengths, covers):
                if entry not in reversed_of:
                    reversed_of[entry] = reversed_
                    ids.append(entry)
    found: list[tuple[tuple, bool]] = []
    for row in store.tm_entries_by_ids(ids):
        reversed_ = reversed_of[row[0]]
        langs = (row[5], row[4]) if reversed_ else (row[4], row[5])
        if langs == (source_lang, target_lang):
            found.append((row, reversed_))
    return found


def _fts_candidates(store, terms: list[str], column: str, limit: int, lengths: tuple[int, int] | None,
                    floor: int) -> list[int]:
    """Candidates of one column among the entries above ``floor`` through ``tm_fts``
    (steps 1-3 of the module's description)."""
    counts, rare, common = _plan(store, terms, column, floor)
    total = max(1, store.tm_entry_count_estimate() - floor)
    weights = {term: math.log((total + 1) / (counts[term] + 0.5)) for term in rare}
    ids = store.tm_weighted_hits(weights, column, limit=limit, floor=floor)
    if len(rare) < MIN_TERMS and len(common) >= 2:
        seen = set(ids)
        ids += [e for e in _common_candidates(store, rare + common, common, column, lengths, floor)
                if e not in seen]
    return ids


def _check_pair(source_lang: str, target_lang: str) -> None:
    for lang in (source_lang, target_lang):
        if not lang or not re.fullmatch(r"[a-z]{2,3}", lang):
            raise BadInputError(f"{lang!r} is not a language code (ISO 639-1, e.g. en, ru)")
    if source_lang == target_lang:
        raise BadInputError(f"--from and --to are both {source_lang!r}: give two languages")


def search(store, text: str, source_lang: str, target_lang: str, *, min_score: int = 70,
           limit: int = 5, exclude_units: frozenset[int] | set[int] = frozenset(),
           use_index: bool = True) -> list[Match]:
    """The best memory matches for a source text, best first.

    Parameters:
        store: an open ``Store``.
        text: the new source text (1..MAX_QUERY_CHARS characters).
        source_lang: its language; target_lang: the language wanted.
        min_score: leave out matches scoring lower (0-100).
        limit: at most this many matches.
        exclude_units: units of the database not to offer (e.g. the unit itself).
        use_index: False: leave the word index out (``candidates``).
    Raises ``BadInputError`` for an empty or over-long query or a bad language pair."""
    text = check_query(text)
    _check_pair(source_lang, target_lang)
    if not 0 <= min_score <= 100:
        raise BadInputError(f"--min-score must be 0-100, not {min_score}")
    if limit < 1:
        raise BadInputError(f"--limit must be at least 1, not {limit}")
    rows = candidates(store, text, source_lang, target_lang, min_score=min_score, use_index=use_index)
    pending = store.tm_pending_documents(r[0][2] for r in rows)
    scorer = Scorer(text)
    kept = []
    seen: set[tuple[str, str]] = set()
    for row, reversed_ in rows:
        entry_id, unit_id, document_id, memory_id, _sl, _tl, source, target, status, changed, context = row
        if unit_id in exclude_units or document_id in pending:
            continue
        if reversed_:
            source, target = target, source
        if (source, target) in seen:
            continue
        seen.add((source, target))
        kept.append((row, source, target))
    # The plain character score of every candidate in one C++ call; only those
    # at 50 or above (or min_score, if lower) can score min_score, the exact
    # classes included (``Scorer.score`` checks them only from 50), so only they
    # are scored in full.
    cutoff = max(0.0, min(min_score, 50) / 100 - 1e-9)
    scored = []
    for _text, _plain, i in process.extract(scorer.folded, [fold(source) for _r, source, _t in kept],
                                            scorer=Levenshtein.normalized_similarity, score_cutoff=cutoff,
                                            limit=None):
        row, source, target = kept[i]
        sim = scorer.score(source)
        if sim.score >= min_score:
            scored.append((sim, row, source, target))
    scored.sort(key=lambda item: item[1][9] or "", reverse=True)  # newest first among equals
    scored.sort(key=lambda item: -item[0].score)
    scored = scored[:limit]
    titles = store.tm_document_titles(r[2] for _s, r, _a, _b in scored)
    names = store.tm_memory_names(r[3] for _s, r, _a, _b in scored)
    matches = []
    for sim, row, source, target in scored:
        entry_id, unit_id, document_id, memory_id, *_rest = row
        memory = names.get(memory_id) if memory_id is not None else None
        origin = f"memory {memory}" if memory is not None else \
            f"document {document_id}: {titles.get(document_id, '?')}"
        matches.append(Match(
            score=sim.score, kind=sim.kind, source=source, target=carry_numbers(text, source, target),
            stored_target=target, entry_id=entry_id, unit_id=unit_id, document_id=document_id,
            memory=memory, origin=origin, status=row[8], changed=row[9], context=row[10]))
    return matches
