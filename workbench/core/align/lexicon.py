"""A word translation table learned from the document pair itself (no model).

As the classic model-free aligners do (Moore 2002, hunalign's dictionary
bootstrapping): a first alignment with lengths and anchors gives confident
1-1 sentence pairs; IBM Model 1 (EM, both directions, with a NULL word on
each side) learns from them how likely each target word translates each
source word; the association of two words is the geometric mean of both
directions, ``sqrt(t(f|e) * t(e|f))``, which a word only earns with its
translation (a frequent function word explains a little of everything in
one direction only).

Words are lowercased letter runs cut to their first ``STEM`` letters: a
language-independent stand-in for stemming, so that inflected forms share
statistics (Gletscher / Gletschers, glacier / glaciers).

The table scores a sentence pair by the IDF-weighted mass of target words
that the source words translate into (``expansions``: each source sentence
becomes a weighted list of target words, joined exactly with the target
sentences inside the DP band like the anchors).  Everything is numpy: no
Python loop per word pair.

The pairs are split into two halves and a table learned from each; a pair
of one half is scored with the other half's table to see how well the
lexicon separates true pairs from their neighbours in *this* document
(``separation``), without flattering the pairs it was learned from.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from workbench.core.align.overlaps import AnchorTable

STEM = 5
ITERATIONS = 5
MAX_CELLS = 600_000     # word pairs of the training sentence pairs (bounds time and memory)
MIN_ASSOCIATION = 0.02   # weaker word associations are dropped from the table
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Words:
    """Distinct word ids of each sentence of one side (CSR layout)."""

    ptr: np.ndarray    # (n + 1,) int64
    ids: np.ndarray    # int64 word ids
    vocab: int

    def sentence_of(self) -> np.ndarray:
        return np.repeat(np.arange(len(self.ptr) - 1), np.diff(self.ptr))


def words(texts: Sequence[str]) -> Words:
    """Lowercased, ``STEM``-letter word ids of every sentence (each once)."""
    index: dict[str, int] = {}
    ptr = [0]
    ids: list[int] = []
    for text in texts:
        seen = {index.setdefault(w[:STEM], len(index)) for w in _WORD.findall(text.lower())}
        ids.extend(sorted(seen))
        ptr.append(len(ids))
    return Words(np.array(ptr, dtype=np.int64), np.array(ids, dtype=np.int64), len(index))


def _ranges(ptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(which row, position) of every element of ``rows``' CSR slices."""
    counts = ptr[rows + 1] - ptr[rows]
    which = np.repeat(np.arange(len(rows)), counts)
    within = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    return which, ptr[rows][which] + within


def _cells(src: Words, tgt: Words, ps: np.ndarray, pt: np.ndarray):
    """Every (source word or NULL, target word or NULL) of each sentence pair:
    (pair, source word, target word, source occurrence, target occurrence).
    NULL is ``vocab`` on its side."""
    sp_pair, s_pos = _ranges(src.ptr, ps)
    tp_pair, t_pos = _ranges(tgt.ptr, pt)
    k = len(ps)
    # each side's occurrences, then one NULL per pair
    s_word = np.concatenate([src.ids[s_pos], np.full(k, src.vocab)])
    s_pair = np.concatenate([sp_pair, np.arange(k)])
    t_word = np.concatenate([tgt.ids[t_pos], np.full(k, tgt.vocab)])
    t_pair = np.concatenate([tp_pair, np.arange(k)])
    order = np.argsort(t_pair, kind="stable")
    t_ptr = np.concatenate([[0], np.cumsum(np.bincount(t_pair, minlength=k))])
    counts = t_ptr[s_pair + 1] - t_ptr[s_pair]
    s_occ = np.repeat(np.arange(len(s_word)), counts)
    within = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    t_occ = order[t_ptr[s_pair][s_occ] + within]
    e, f = s_word[s_occ], t_word[t_occ]
    keep = ~((e == src.vocab) & (f == tgt.vocab))
    return s_pair[s_occ][keep], e[keep], f[keep], s_occ[keep], t_occ[keep]


@dataclass(frozen=True)
class Table:
    """Word associations, sorted by ``key = e * (target vocab + 1) + f``."""

    key: np.ndarray
    value: np.ndarray
    width: int          # target vocab + 1

    def lookup(self, e: np.ndarray, f: np.ndarray) -> np.ndarray:
        key = e * self.width + f
        at = np.minimum(np.searchsorted(self.key, key), max(len(self.key) - 1, 0))
        if not len(self.key):
            return np.zeros(len(key))
        return np.where(self.key[at] == key, self.value[at], 0.0)


def learn(src: Words, tgt: Words, pairs: Sequence[tuple[int, int]], *, halves: bool = True,
          seed: int = 0) -> tuple[Table, Table, Table, np.ndarray]:
    """IBM Model 1 both ways on sentence ``pairs`` split at random into two
    halves: the document's table (the mean of the halves'), the tables of
    the two halves, and (source, target, half) of the pairs used.

    :param src: the source side's words.
    :param tgt: the target side's words.
    :param pairs: (source sentence, target sentence) training pairs.
    :param halves: also learn one table per half (for ``separation``).
    :param seed: of the random subsample when the pairs have too many word pairs."""
    ps, pt = (np.array([p[k] for p in pairs], dtype=np.int64) for k in (0, 1))
    rng = np.random.default_rng(seed)
    size = (np.diff(src.ptr)[ps] + 1) * (np.diff(tgt.ptr)[pt] + 1)
    if size.sum() > MAX_CELLS:   # a random subset is as good a teacher and bounds the time
        pick = rng.permutation(len(ps))
        pick = np.sort(pick[np.cumsum(size[pick]) <= MAX_CELLS])
        ps, pt = ps[pick], pt[pick]
    half = rng.integers(0, 2, len(ps)) if halves else np.zeros(len(ps), dtype=np.int64)
    pair, e, f, s_occ, t_occ = _cells(src, tgt, ps, pt)
    width = tgt.vocab + 1
    base = e * width + f
    tables = []
    for group in ((0, 1) if halves else (0,)):
        # one EM run per half (the halves' cells are disjoint subsets)
        mask = half[pair] == group
        tables.append(_em(base[mask], e[mask], f[mask], s_occ[mask], t_occ[mask], src.vocab, tgt.vocab,
                          width))
    if not halves:
        return tables[0], tables[0], tables[0], np.stack([ps, pt, half])
    # the table of the document: the mean of the halves' tables
    key, where = np.unique(np.concatenate([tables[0].key, tables[1].key]), return_inverse=True)
    value = np.bincount(where, weights=np.concatenate([tables[0].value, tables[1].value]) / 2,
                        minlength=len(key))
    return Table(key, value, width), tables[0], tables[1], np.stack([ps, pt, half])


def _em(key: np.ndarray, e: np.ndarray, f: np.ndarray, s_occ: np.ndarray, t_occ: np.ndarray,
        null_e: int, null_f: int, width: int) -> Table:
    if not len(key):
        return Table(np.zeros(0, dtype=np.int64), np.zeros(0), width)
    uniq, cell = np.unique(key, return_inverse=True)
    ue, uf = uniq // width, uniq % width
    real_f, real_e = f != null_f, e != null_e
    t_fe = np.ones(len(uniq))     # t(f | e), uniform start
    t_ef = np.ones(len(uniq))     # t(e | f)
    t_group, s_group = t_occ, s_occ     # occurrence indices: bincount groups as they are
    for _ in range(ITERATIONS):
        # each target word occurrence is explained by the source words (and NULL)
        p = np.where(real_f, t_fe[cell], 0.0)
        p /= np.maximum(np.bincount(t_group, weights=p)[t_group], 1e-300)
        count = np.bincount(cell, weights=p, minlength=len(uniq))
        t_fe = count / np.maximum(np.bincount(ue, weights=count)[ue], 1e-300)
        # and each source word occurrence by the target words
        p = np.where(real_e, t_ef[cell], 0.0)
        p /= np.maximum(np.bincount(s_group, weights=p)[s_group], 1e-300)
        count = np.bincount(cell, weights=p, minlength=len(uniq))
        t_ef = count / np.maximum(np.bincount(uf, weights=count)[uf], 1e-300)
    value = np.sqrt(t_fe * t_ef)
    keep = (ue != null_e) & (uf != null_f) & (value >= MIN_ASSOCIATION)
    return Table(uniq[keep], value[keep], width)


def idf(side: Words) -> np.ndarray:
    """log(sentences / sentences with the word), per word id (+ NULL)."""
    n = max(len(side.ptr) - 1, 1)
    df = np.bincount(side.ids, minlength=side.vocab + 1)
    return np.log((n + 1) / (df + 1.0))


def pair_scores(src: Words, tgt: Words, table: Table, weights: np.ndarray,
                ps: np.ndarray, pt: np.ndarray) -> np.ndarray:
    """Dice-like lexical similarity of sentence pairs (exact, for few pairs):
    2 * translated mass / (source mass + target mass)."""
    if not len(ps):
        return np.zeros(0)
    sp_pair, s_pos = _ranges(src.ptr, ps)
    tp_pair, t_pos = _ranges(tgt.ptr, pt)
    src_w = idf(src)
    mass = (np.bincount(sp_pair, weights=src_w[src.ids[s_pos]], minlength=len(ps))
            + np.bincount(tp_pair, weights=weights[tgt.ids[t_pos]], minlength=len(ps)))
    pair, e, f, _, _ = _cells(Words(src.ptr, src.ids, src.vocab), Words(tgt.ptr, tgt.ids, tgt.vocab), ps, pt)
    real = (e < src.vocab) & (f < tgt.vocab)
    value = table.lookup(e[real], f[real]) * weights[f[real]]
    overlap = np.bincount(pair[real], weights=value, minlength=len(ps))
    return 2 * overlap / np.maximum(mass, 1e-9)


def separation(src: Words, tgt: Words, tables: tuple[Table, Table], split: np.ndarray,
               limit: int = 600) -> float:
    """How well the lexicon tells a training pair from the pairs of its source
    sentence with the neighbours of its target (one and two sentences
    away): the probability that the true pair scores higher (ROC AUC), each
    pair scored with the table of the half it was not learned from."""
    ps, pt, half = split
    if len(ps) > limit:
        pick = np.linspace(0, len(ps) - 1, limit).astype(np.int64)
        ps, pt, half = ps[pick], pt[pick], half[pick]
    m = len(tgt.ptr) - 1
    weights = idf(tgt)
    wins = total = 0.0
    for h in (0, 1):
        mine = half == h
        table = tables[1 - h]
        true = pair_scores(src, tgt, table, weights, ps[mine], pt[mine])
        for d in (-2, -1, 1, 2):
            other = pt[mine] + d
            ok = (other >= 0) & (other < m)
            false = pair_scores(src, tgt, table, weights, ps[mine][ok], other[ok])
            wins += float((true[ok] > false).sum() + 0.5 * (true[ok] == false).sum())
            total += int(ok.sum())
    return wins / total if total else 0.5


def expansions(src: Words, tgt: Words, table: Table, budget: float = 300.0,
               window: int = 150) -> tuple[AnchorTable, AnchorTable, np.ndarray, np.ndarray]:
    """The lexicon as anchor tables for ``overlaps.anchor_overlaps``: each
    source sentence lists the target words its words translate into, with
    the weight ``association * idf``; each target sentence its words with an
    unbounded weight (the overlap of a pair is then the sum of the source
    weights of the target sentence's words).  Also the mass of every source
    and target sentence (the sum of the IDF of its words), for Dice.

    The commonest target words are left out until the pairs to compare
    inside a DP band of ``window`` columns are at most ``budget`` per
    sentence: they are in most sentences, tell little, and would make the
    comparison quadratic."""
    n, m = len(src.ptr) - 1, len(tgt.ptr) - 1
    t_idf, s_idf = idf(tgt), idf(src)
    e_of, f_of = table.key // table.width, table.key % table.width
    order = np.argsort(e_of, kind="stable")
    e_sorted = e_of[order]
    lo = np.searchsorted(e_sorted, src.ids, side="left")
    hi = np.searchsorted(e_sorted, src.ids, side="right")
    counts = hi - lo
    occ = np.repeat(np.arange(len(src.ids)), counts)
    within = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    entry = order[lo[occ] + within]
    f = f_of[entry]
    # which target words fit the budget, rarest first
    df = np.bincount(tgt.ids, minlength=tgt.vocab + 1).astype(np.float64)
    cost = np.bincount(f, minlength=tgt.vocab + 1) * df * min(1.0, window / max(m, 1))
    rank = np.argsort(df, kind="stable")
    kept = np.zeros(tgt.vocab + 1, dtype=bool)
    kept[rank[np.cumsum(cost[rank]) <= budget * (n + m)]] = True
    use = kept[f]
    s_sent = src.sentence_of()[occ][use]
    weight = table.value[entry][use] * t_idf[f[use]]
    # one row per (sentence, target word): the weights of several source words add up
    combined = s_sent * (tgt.vocab + 1) + f[use]
    key, where = np.unique(combined, return_inverse=True)
    total = np.bincount(where, weights=weight, minlength=len(key))
    left = AnchorTable(key // (tgt.vocab + 1), key % (tgt.vocab + 1), total, np.zeros(len(key)))
    t_use = kept[tgt.ids]
    t_sent = tgt.sentence_of()
    right = AnchorTable(t_sent[t_use], tgt.ids[t_use], np.full(int(t_use.sum()), np.inf),
                        np.zeros(int(t_use.sum())))
    src_mass = np.bincount(src.sentence_of(), weights=s_idf[src.ids], minlength=n)
    tgt_mass = np.bincount(t_sent[t_use], weights=t_idf[tgt.ids[t_use]], minlength=m)
    return left, right, src_mass, tgt_mass
