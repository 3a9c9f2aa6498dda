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
that the source words translate into (``LexicalSketches``: each source
sentence becomes a vector over target words, each target sentence the
indicator of its words, both projected to a fixed number of dimensions, so
that one matrix product gives a whole block of the DP band, as for the MT
n-grams).  Everything is numpy: no Python loop per word pair.

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

from workbench.core.align.ngrams import Sketches

STEM = 5
ITERATIONS = 5
MAX_CELLS = 1_500_000    # word pairs of the training sentence pairs (bounds time and memory)
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
    """IBM Model 1 both ways on sentence ``pairs``: the table of all pairs,
    the tables of the two halves, and which half each pair was in.

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
    for group in ([None, 0, 1] if halves else [None]):
        # one EM run per table; the halves' cells are disjoint subsets
        mask = slice(None) if group is None else half[pair] == group
        tables.append(_em(base[mask], e[mask], f[mask], s_occ[mask], t_occ[mask], src.vocab, tgt.vocab,
                          width))
    if not halves:
        tables += [tables[0], tables[0]]
    return tables[0], tables[1], tables[2], np.stack([ps, pt, half])


def _em(key: np.ndarray, e: np.ndarray, f: np.ndarray, s_occ: np.ndarray, t_occ: np.ndarray,
        null_e: int, null_f: int, width: int) -> Table:
    if not len(key):
        return Table(np.zeros(0, dtype=np.int64), np.zeros(0), width)
    uniq, cell = np.unique(key, return_inverse=True)
    ue, uf = uniq // width, uniq % width
    real_f, real_e = f != null_f, e != null_e
    t_fe = np.ones(len(uniq))     # t(f | e), uniform start
    t_ef = np.ones(len(uniq))     # t(e | f)
    _, t_group = np.unique(t_occ, return_inverse=True)
    _, s_group = np.unique(s_occ, return_inverse=True)
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


def sketches(src: Words, tgt: Words, table: Table, dim: int) -> Sketches:
    """Projections of every sentence for ``ngrams``-style band products:
    ``left[i] . right[j]`` is the IDF-weighted mass of sentence j's target
    words that sentence i's words translate into; the weights are each
    sentence's IDF mass.  Exact when the target vocabulary fits in ``dim``,
    a signed count sketch otherwise."""
    n, m = len(src.ptr) - 1, len(tgt.ptr) - 1
    t_idf, s_idf = idf(tgt), idf(src)
    if tgt.vocab <= dim:
        dim, bucket, sign = tgt.vocab or 1, np.arange(tgt.vocab + 1), np.ones(tgt.vocab + 1)
    else:
        rng = np.random.default_rng(12345)
        bucket = rng.integers(0, dim, tgt.vocab + 1)
        sign = rng.choice([-1.0, 1.0], tgt.vocab + 1)
    t_sent = tgt.sentence_of()
    right = _project(t_sent, bucket[tgt.ids], sign[tgt.ids], m, dim)
    # source sentence -> expected target words: join its words with the table
    e_of = table.key // table.width
    f_of = table.key % table.width
    order = np.argsort(e_of, kind="stable")
    e_sorted = e_of[order]
    lo = np.searchsorted(e_sorted, src.ids, side="left")
    hi = np.searchsorted(e_sorted, src.ids, side="right")
    counts = hi - lo
    occ = np.repeat(np.arange(len(src.ids)), counts)
    within = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    entry = order[lo[occ] + within]
    f = f_of[entry]
    s_sent = src.sentence_of()[occ]
    left = _project(s_sent, bucket[f], sign[f] * table.value[entry] * t_idf[f], n, dim)
    left_weight = np.bincount(src.sentence_of(), weights=s_idf[src.ids], minlength=n)
    right_weight = np.bincount(t_sent, weights=t_idf[tgt.ids], minlength=m)
    return Sketches(left, right, left_weight, right_weight)


def _project(sentence: np.ndarray, bucket: np.ndarray, value: np.ndarray, n: int, dim: int,
             chunk: int = 2048) -> np.ndarray:
    """(n, dim) float32 sums of ``value`` at (sentence, bucket), ``sentence`` sorted."""
    out = np.zeros((n, dim), dtype=np.float32)
    for start in range(0, n, chunk):
        end = min(n, start + chunk)
        a, b = np.searchsorted(sentence, [start, end])
        flat = np.bincount((sentence[a:b] - start) * dim + bucket[a:b], weights=value[a:b],
                           minlength=(end - start) * dim)
        out[start:end] = flat.reshape(end - start, dim)
    return out
