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

_NON_WORD = re.compile(r"[^\w\n]+|_+")
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_PRIME = np.uint64(0x100000001B3)
_IDF_BITS = 20
_CHUNK = 2048   # sentences hashed at once: bounds the memory of the n-gram arrays


def normalise(texts: Sequence[str]) -> str:
    """The texts as lowercase words separated by single spaces, one text a
    line: punctuation conventions differ between an MT and a human
    translation and carry no content."""
    joined = "\n".join(" " + t.replace("\n", " ") + " " for t in texts).lower()
    return _NON_WORD.sub(" ", joined)


def _ngram_hashes(texts: Sequence[str], orders: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """(sentence index, 64-bit hash) of every character n-gram of ``texts``."""
    codes = np.frombuffer(normalise(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    is_sep = codes == 10
    seps_before = np.concatenate([[0], np.cumsum(is_sep)])
    sent_parts, hash_parts = [], []
    h = np.zeros(len(codes), dtype=np.uint64)
    power = np.uint64(1)
    with np.errstate(over="ignore"):
        for n in range(1, max(orders) + 1):
            # h[k] = hash of codes[k:k+n]; each order extends the previous one.
            h = h[:len(codes) - n + 1] + codes[n - 1:] * power
            power = power * _PRIME
            if n in orders:
                ok = np.flatnonzero(seps_before[n:] == seps_before[:len(h)])  # no line break inside
                mixed = h[ok] ^ np.uint64(n * 0x9E3779B97F4A7C15 & 0xFFFFFFFFFFFFFFFF)
                mixed = (mixed ^ (mixed >> np.uint64(30))) * _MIX1
                mixed = (mixed ^ (mixed >> np.uint64(27))) * _MIX2
                mixed ^= mixed >> np.uint64(31)
                sent_parts.append(seps_before[ok].astype(np.int32))
                hash_parts.append(mixed)
    if not hash_parts:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.uint64)
    return np.concatenate(sent_parts), np.concatenate(hash_parts)


@dataclass(frozen=True)
class Sketches:
    """Count sketches of two sides' sentences and their total n-gram weights."""

    left: np.ndarray          # (n_left, dim) float32
    right: np.ndarray         # (n_right, dim) float32
    left_weight: np.ndarray   # (n_left,) float64: sum of IDF weights of the n-grams
    right_weight: np.ndarray


def sketch_pair(left: Sequence[str], right: Sequence[str], *, dim: int = 1024,
                orders: Sequence[int] = (3, 4, 5)) -> Sketches:
    """Sketches of ``left`` (e.g. the MT of the source) and ``right`` (the
    target), with IDF weights counted over both."""
    if dim & (dim - 1):
        raise ValueError("dim must be a power of two")
    hashed = [[_ngram_hashes(side[k:k + _CHUNK], orders) for k in range(0, len(side), _CHUNK)]
              for side in (left, right)]
    freq = np.zeros(1 << _IDF_BITS, dtype=np.int64)
    for chunks in hashed:
        for _, h in chunks:
            freq += np.bincount(_idf_bucket(h), minlength=1 << _IDF_BITS)
    idf = np.log1p(max(1, len(left) + len(right)) / np.maximum(freq, 1))
    (lm, lw), (rm, rw) = (_project(chunks, idf, len(side), dim) for chunks, side in zip(hashed, (left, right)))
    return Sketches(lm, rm, lw, rw)


def _idf_bucket(hashes: np.ndarray) -> np.ndarray:
    return ((hashes >> np.uint64(32)) & np.uint64((1 << _IDF_BITS) - 1)).astype(np.int64)


def _project(chunks, idf: np.ndarray, n: int, dim: int) -> tuple[np.ndarray, np.ndarray]:
    sketch = np.zeros((n, dim), dtype=np.float32)
    totals = np.zeros(n)
    for k, (sentence, hashes) in enumerate(chunks):
        base = k * _CHUNK
        rows = min(_CHUNK, n - base)
        weight = idf[_idf_bucket(hashes)]
        bucket = (hashes & np.uint64(dim - 1)).astype(np.int64)
        signed = np.where(hashes >> np.uint64(63), -1.0, 1.0) * np.sqrt(weight)
        flat = np.bincount(sentence.astype(np.int64) * dim + bucket, weights=signed, minlength=rows * dim)
        sketch[base:base + rows] = flat.reshape(rows, dim)
        totals[base:base + rows] = np.bincount(sentence, weights=weight, minlength=rows)
    return sketch, totals
