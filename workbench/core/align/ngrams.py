"""Character n-gram similarity (chrF-like) between sentence groups, fast.

A group's n-gram overlap with another group is additive over sentence pairs,
so the DP needs only the pairwise overlaps inside its band.  Each sentence's
n-grams (hashed with numpy, never a Python loop per n-gram) are weighted by
an IDF from the two documents and projected into a signed count sketch of
``dim`` dimensions: the dot product of two sketches estimates their weighted
n-gram overlap, and one matrix product gives a whole block of the band.
The score of a group pair is the weighted Dice coefficient (chrF with
beta = 1): 2 * overlap / (weight of one side + weight of the other).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

_NON_WORD = re.compile(r"[\W_]+")
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_PRIME = np.uint64(0x100000001B3)
_IDF_BITS = 20


def normalise(text: str) -> str:
    """Lowercase words separated by single spaces: punctuation conventions
    differ between an MT and a human translation and carry no content."""
    return " " + _NON_WORD.sub(" ", text.lower()).strip() + " "


def _ngram_hashes(texts: Sequence[str], orders: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """(sentence index, 64-bit hash) of every character n-gram of ``texts``."""
    joined = "\x00".join(normalise(t) for t in texts)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    is_sep = codes == 0
    sentence = np.cumsum(is_sep)
    seps_before = np.concatenate([[0], sentence])
    sent_parts, hash_parts = [], []
    h = np.zeros(len(codes), dtype=np.uint64)
    power = np.uint64(1)
    with np.errstate(over="ignore"):
        for n in range(1, max(orders) + 1):
            # h[k] = hash of codes[k:k+n]; each order extends the previous one.
            h = h[:len(codes) - n + 1] + codes[n - 1:] * power
            power = power * _PRIME
            if n in orders:
                start = np.arange(len(h))
                ok = seps_before[start + n] == seps_before[start]  # no separator inside
                mixed = h[ok] ^ np.uint64(n * 0x9E3779B97F4A7C15 & 0xFFFFFFFFFFFFFFFF)
                mixed = (mixed ^ (mixed >> np.uint64(30))) * _MIX1
                mixed = (mixed ^ (mixed >> np.uint64(27))) * _MIX2
                mixed ^= mixed >> np.uint64(31)
                sent_parts.append(sentence[start[ok]])
                hash_parts.append(mixed)
    if not hash_parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint64)
    return np.concatenate(sent_parts).astype(np.int64), np.concatenate(hash_parts)


@dataclass(frozen=True)
class Sketches:
    """Count sketches of two sides' sentences and their total n-gram weights."""

    left: np.ndarray          # (n_left, dim) float32
    right: np.ndarray         # (n_right, dim) float32
    left_weight: np.ndarray   # (n_left,) float64: sum of IDF weights of the n-grams
    right_weight: np.ndarray


def sketch_pair(left: Sequence[str], right: Sequence[str], *, dim: int = 1024,
                orders: Sequence[int] = (2, 3, 4, 5)) -> Sketches:
    """Sketches of ``left`` (e.g. the MT of the source) and ``right`` (the
    target), with IDF weights counted over both."""
    if dim & (dim - 1):
        raise ValueError("dim must be a power of two")
    ls, lh = _ngram_hashes(left, orders)
    rs, rh = _ngram_hashes(right, orders)
    buckets = np.uint64((1 << _IDF_BITS) - 1)
    lb, rb = (lh >> np.uint64(32)) & buckets, (rh >> np.uint64(32)) & buckets
    freq = (np.bincount(lb.astype(np.int64), minlength=1 << _IDF_BITS)
            + np.bincount(rb.astype(np.int64), minlength=1 << _IDF_BITS))
    n_sentences = max(1, len(left) + len(right))
    idf = np.log1p(n_sentences / np.maximum(freq, 1))
    lm, lw = _project(ls, lh, idf[lb.astype(np.int64)], len(left), dim)
    rm, rw = _project(rs, rh, idf[rb.astype(np.int64)], len(right), dim)
    return Sketches(lm, rm, lw, rw)


def _project(sentence: np.ndarray, hashes: np.ndarray, weight: np.ndarray, n: int,
             dim: int) -> tuple[np.ndarray, np.ndarray]:
    bucket = (hashes & np.uint64(dim - 1)).astype(np.int64)
    sign = np.where(hashes >> np.uint64(63), -1.0, 1.0)
    flat = np.bincount(sentence * dim + bucket, weights=sign * np.sqrt(weight), minlength=n * dim)
    totals = np.bincount(sentence, weights=weight, minlength=n)
    return flat.reshape(n, dim).astype(np.float32), totals
