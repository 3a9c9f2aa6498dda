"""Pairwise sentence features inside the band: anchor overlaps (exact) and
MT n-gram overlaps (count-sketch dot products), as arrays over band cells."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from workbench.core.align.anchors import DocumentAnchors
from workbench.core.align.band import Band
from workbench.core.align.ngrams import Sketches


@dataclass(frozen=True)
class AnchorTable:
    """Anchors of one side as flat arrays (one row per distinct key of a sentence)."""

    sentence: np.ndarray   # int64
    key: np.ndarray        # int64 id shared by both sides
    reward: np.ndarray     # float64, IDF-weighted
    penalty: np.ndarray

    def penalty_per_sentence(self, n: int) -> np.ndarray:
        return np.bincount(self.sentence, weights=self.penalty, minlength=n)


def anchor_tables(src: DocumentAnchors, tgt: DocumentAnchors) -> tuple[AnchorTable, AnchorTable, list[str]]:
    """Flat, de-duplicated, IDF-weighted anchor tables of both sides, and
    the key of each key id.

    A key found in many sentences says little about which of them pair up:
    its weights are divided by 1 + log(sentences it occurs in).

    :param src: the source document's anchors (``anchors.document_anchors``).
    :param tgt: the target document's."""
    ids: dict[str, int] = {}
    sides = []
    for doc in (src, tgt):
        local = np.array([ids.setdefault(k, len(ids)) for k in doc.keys] + [0], dtype=np.int64)
        sent, key = doc.sentence, local[doc.key]
        # one row per (sentence, key), with the largest weights
        combined = (sent << 32) | key
        order = np.argsort(combined, kind="stable")
        _, first = np.unique(combined[order], return_index=True)
        if len(first):
            sides.append((sent[order][first], key[order][first],
                          np.maximum.reduceat(doc.reward[order], first),
                          np.maximum.reduceat(doc.penalty[order], first)))
        else:
            empty = np.zeros(0, dtype=np.int64)
            sides.append((empty, empty, np.zeros(0), np.zeros(0)))
    df = np.ones(len(ids) + 1)
    for _, key, _, _ in sides:
        df = np.maximum(df, np.bincount(key, minlength=len(ids) + 1))
    idf = 1.0 / (1.0 + np.log(df))
    left, right = (AnchorTable(s, k, r * idf[k], p * idf[k]) for s, k, r, p in sides)
    return left, right, list(ids)


def unique_number_pairs(src: AnchorTable, tgt: AnchorTable, keys: Sequence[str]
                        ) -> list[tuple[int, int]]:
    """(source, target) sentences sharing a number of two or more digits
    that occurs in no other sentence of either document: almost always
    translations of each other, before any alignment is known."""
    number = np.array([k.startswith("n") and len(k) >= 3 for k in keys] + [False])
    counts_s = np.bincount(src.key, minlength=len(number))
    counts_t = np.bincount(tgt.key, minlength=len(number))
    unique = number & (counts_s == 1) & (counts_t == 1)
    where_s = dict(zip(src.key[unique[src.key]].tolist(), src.sentence[unique[src.key]].tolist()))
    where_t = dict(zip(tgt.key[unique[tgt.key]].tolist(), tgt.sentence[unique[tgt.key]].tolist()))
    return sorted({(where_s[k], where_t[k]) for k in where_s})


def anchor_overlaps(band: Band, src: AnchorTable, tgt: AnchorTable) -> tuple[np.ndarray, np.ndarray]:
    """Per band cell (i, j): reward of the keys sentences i-1 and j-1 share,
    and the penalty weight that sharing resolves on both sides."""
    size = band.size
    reward = np.zeros(size + 1)
    resolved = np.zeros(size + 1)
    if not len(src.key) or not len(tgt.key):
        return reward, resolved
    span = band.m + 1
    order = np.lexsort((tgt.sentence, tgt.key))
    tkey = tgt.key[order] * span + tgt.sentence[order]
    row = src.sentence + 1
    base = src.key * span
    left = np.searchsorted(tkey, base + band.lo[row] - 1, side="left")
    right = np.searchsorted(tkey, base + band.hi[row] - 1, side="right")
    counts = right - left
    total = int(counts.sum())
    if total == 0:
        return reward, resolved
    which = np.repeat(np.arange(len(counts)), counts)
    within = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    partner = order[left[which] + within]
    cells = band.index_of(row[which], tgt.sentence[partner] + 1)
    reward += np.bincount(cells, weights=np.minimum(src.reward[which], tgt.reward[partner]),
                          minlength=size + 1)
    resolved += np.bincount(cells, weights=src.penalty[which] + tgt.penalty[partner],
                            minlength=size + 1)
    reward[size] = resolved[size] = 0.0
    return reward, resolved


def sketch_overlaps(band: Band, sketches: Sketches, block: int = 128) -> np.ndarray:
    """Per band cell (i, j): estimated weighted n-gram overlap of the MT of
    source sentence i-1 and target sentence j-1 (blocks of rows, one matrix
    product each)."""
    size = band.size
    out = np.zeros(size + 1)
    for r0 in range(1, band.n + 1, block):
        r1 = min(band.n + 1, r0 + block)
        c0, c1 = max(int(band.lo[r0]), 1), int(band.hi[r1 - 1])
        if c1 < c0:
            continue
        prod = sketches.left[r0 - 1:r1 - 1] @ sketches.right[c0 - 1:c1].T
        s, e = band.start[r0], band.start[r1]
        rows = np.repeat(np.arange(r0, r1), band.hi[r0:r1] - band.lo[r0:r1] + 1)
        cols = np.arange(s, e) - band.start[rows] + band.lo[rows]
        ok = cols >= 1
        out[s:e][ok] = prod[rows[ok] - r0, cols[ok] - c0]
    return out
