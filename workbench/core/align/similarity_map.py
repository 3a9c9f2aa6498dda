"""The alignment map: how alike each source sentence is to each target
sentence, with the links of an alignment over it (as the debugging plots of
Vecalign and Lingtrain show), so a reviewer sees at a glance where the path
left the bright diagonal.

Scores come from the aligner's own model (``pair_scores``: length
agreement, anchors and the lexicon learnt from the documents, through
``align.pair_costs``).  Small documents get
the whole matrix; longer ones only a band of ``width`` sentences around the
links, so memory and time grow linearly with the length of the documents.
The map is plain data (numpy arrays and tuples): the window paints it, and
asks it which link a clicked cell belongs to (``link_at``).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from workbench.core.align.band import Band
from workbench.core.progress import Cancelled, CancelledFn, ProgressFn, never_cancelled, no_progress

FULL_CELLS = 400_000   # up to this many sentence pairs the whole matrix is scored
BAND_WIDTH = 24        # otherwise: this many sentences on each side of the links


@dataclass(frozen=True)
class MapLink:
    """A link as the map draws it: sentence positions on both sides.

    ``src``/``tgt`` are indices into the source and target sentences (in
    reading order); an empty side sits at ``src_at``/``tgt_at``, the position
    between the sentences before and after it."""

    key: int                     # the caller's id of the link (a unit id)
    src: tuple[int, ...]
    tgt: tuple[int, ...]
    confidence: float | None = None
    src_at: int = 0
    tgt_at: int = 0

    @property
    def rows(self) -> tuple[int, int]:
        """``(first, end)`` of the link's source rows (end exclusive; equal for none)."""
        return (self.src[0], self.src[-1] + 1) if self.src else (self.src_at, self.src_at)

    @property
    def columns(self) -> tuple[int, int]:
        """``(first, end)`` of the link's target columns (end exclusive; equal for none)."""
        return (self.tgt[0], self.tgt[-1] + 1) if self.tgt else (self.tgt_at, self.tgt_at)


def map_links(links: Sequence[tuple[int, Sequence[int], Sequence[int], float | None]]) -> tuple[MapLink, ...]:
    """``MapLink``s of links in reading order, with the place of empty sides.

    :param links: ``(key, source sentence indices, target sentence indices,
        confidence)`` per link, in reading order."""
    out = []
    next_src = next_tgt = 0
    for key, src, tgt, confidence in links:
        src, tgt = tuple(int(i) for i in src), tuple(int(j) for j in tgt)
        out.append(MapLink(key, src, tgt, confidence, next_src, next_tgt))
        if src:
            next_src = max(next_src, src[-1] + 1)
        if tgt:
            next_tgt = max(next_tgt, tgt[-1] + 1)
    return tuple(out)


@dataclass(frozen=True)
class SimilarityMap:
    """Scores (0..1) of sentence pairs: row ``i`` (source sentence) holds
    columns ``lo[i]..hi[i]`` (target sentences, inclusive; none when
    ``hi[i] < lo[i]``) at ``scores[start[i]:start[i + 1]]``."""

    n: int
    m: int
    lo: np.ndarray       # (n,) int64
    hi: np.ndarray       # (n,) int64
    start: np.ndarray    # (n + 1,) int64
    scores: np.ndarray   # (start[-1],) float32
    links: tuple[MapLink, ...]

    @property
    def full(self) -> bool:
        """Whether every sentence pair was scored."""
        return bool(self.n == 0 or ((self.lo == 0).all() and (self.hi == self.m - 1).all()))

    @property
    def cells(self) -> int:
        """How many sentence pairs have a score."""
        return int(self.start[-1])

    def score(self, i: int, j: int) -> float | None:
        """The score of source sentence ``i`` and target sentence ``j``; None outside the band.

        :param i: a source sentence index.
        :param j: a target sentence index."""
        if not (0 <= i < self.n and self.lo[i] <= j <= self.hi[i]):
            return None
        return float(self.scores[self.start[i] + j - self.lo[i]])

    def row(self, i: int) -> tuple[int, np.ndarray]:
        """``(first column, scores)`` of source sentence ``i`` (empty outside the band).

        :param i: a source sentence index."""
        return int(self.lo[i]), self.scores[self.start[i]:self.start[i + 1]]

    def link_at(self, i: float, j: float) -> int | None:
        """The index in ``links`` of the link whose sentences meet at cell
        ``(i, j)``, else of the link nearest to it (None: no links).

        :param i: a source sentence index (row; fractions allowed).
        :param j: a target sentence index (column)."""
        if not self.links:
            return None
        r0, r1, c0, c1 = self._boxes()
        y, x = i + 0.5, j + 0.5
        dy = np.maximum(np.maximum(r0 - y, y - r1), 0.0)
        dx = np.maximum(np.maximum(c0 - x, x - c1), 0.0)
        return int(np.argmin(np.hypot(dx, dy)))  # inside a link's box: 0

    def link_index(self, key: int) -> int | None:
        """The index in ``links`` of the link with this key, or None.

        :param key: the caller's id of the link."""
        for n, link in enumerate(self.links):
            if link.key == key:
                return n
        return None

    def _boxes(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        boxes = self.__dict__.get("_box_cache")
        if boxes is None:
            arr = np.array([(*link.rows, *link.columns) for link in self.links], dtype=np.float64).T
            # An empty side lies between two sentences: its box takes half a
            # cell on each side, so the cells it touches select it.
            for a, b in ((0, 1), (2, 3)):
                empty = arr[a] == arr[b]
                arr[a][empty] -= 0.5
                arr[b][empty] += 0.5
            boxes = (arr[0], arr[1], arr[2], arr[3])
            object.__setattr__(self, "_box_cache", boxes)
        return boxes


def pair_scores(src: Sequence[str], tgt: Sequence[str], band: Band, *,
                progress: ProgressFn = no_progress, cancelled: CancelledFn = never_cancelled) -> np.ndarray:
    """How alike sentence pairs are under the aligner's own model (``align.
    pair_costs``: the length model, anchors and the lexicon it learns from
    these documents, weighed for them): for DP cell ``(i, j)`` of ``band``
    (source sentence ``i - 1``, target ``j - 1``) how much cheaper linking
    the two is than leaving both unlinked, ``cost(1-0) + cost(0-1) -
    cost(1-1)`` in nats (higher: more alike).  No machine translation needed.

    The one place this module depends on the aligner.

    :param src: the source sentences.
    :param tgt: the target sentences.
    :param band: the cells to score.
    :param progress: called with (fraction, message).
    :param cancelled: polled; ``Cancelled`` stops the work.
    Returns a float32 array of ``band.size + 1`` (the last slot unused;
    -inf where a cell cannot be scored)."""
    from workbench.core.align import pair_costs

    out = np.full(band.size + 1, -np.inf, dtype=np.float32)
    rows, cols = band.rows_cols()
    ok = (rows >= 1) & (cols >= 1)
    if not ok.any():
        return out
    pairs = np.stack([rows[ok] - 1, cols[ok] - 1], axis=1)
    margins = pair_costs(src, tgt, "", "", pairs, margin=True, progress=progress, cancelled=cancelled)
    with np.errstate(over="ignore", invalid="ignore"):
        out[:-1][ok] = np.nan_to_num(margins, nan=-np.inf, posinf=-np.inf)
    return out


def _contrast(margins: np.ndarray, start: np.ndarray, widths: np.ndarray) -> np.ndarray:
    """Margins (nats) as 0..1: 0 as alike as a typical pair of the map (the
    median cell: mostly unrelated sentences), 1 as alike as a typical row's
    best pair (mostly a translation); the scale of the aligner's MT
    similarity (``_mt_scale``) read the same way."""
    finite = margins[np.isfinite(margins)]
    if not len(finite):
        return np.zeros(len(margins), dtype=np.float32)
    low = float(np.median(finite))
    filled = np.where(np.isfinite(margins), margins, low)
    nonempty = widths > 0
    best = np.maximum.reduceat(filled, start[:-1][nonempty]) if nonempty.any() else np.array([low])
    high = max(float(np.median(best)), low + 1.0)
    return np.clip((filled - low) / (high - low), 0.0, 1.0).astype(np.float32)


def _band_for(n: int, m: int, links: Sequence[MapLink], width: int, full_cells: int) -> Band:
    if n * m <= full_cells:
        return Band.everything(n, m)
    cells = [(0, 0)]
    for link in links:
        (r0, r1), (c0, c1) = link.rows, link.columns
        cells += [(r0, c0), (r1, c1)]
    return Band.around_path(n, m, cells, width)


def compute_map(src: Sequence[str], tgt: Sequence[str],
                links: Sequence[tuple[int, Sequence[int], Sequence[int], float | None]], *,
                width: int = BAND_WIDTH, full_cells: int = FULL_CELLS,
                progress: ProgressFn = no_progress, cancelled: CancelledFn = never_cancelled) -> SimilarityMap:
    """The alignment map of two documents and their links.

    :param src: the source sentences, in reading order.
    :param tgt: the target sentences, in reading order.
    :param links: ``(key, source indices, target indices, confidence)`` per
        link in reading order (see ``map_links``).
    :param width: sentences scored on each side of the links when the
        documents have more than ``full_cells`` sentence pairs.
    :param full_cells: up to this many sentence pairs, all are scored.
    :param progress: called with (fraction, message).
    :param cancelled: polled before and after the scoring; ``Cancelled`` is raised when it says so.
    """
    n, m = len(src), len(tgt)
    placed = map_links(links)
    if n == 0 or m == 0:
        empty = np.zeros(n, dtype=np.int64)
        return SimilarityMap(n, m, empty, empty - 1, np.zeros(n + 1, dtype=np.int64),
                             np.zeros(0, dtype=np.float32), placed)
    progress(0.0, "scoring sentence pairs")
    band = _band_for(n, m, placed, width, full_cells)
    # Sentence row i is DP row i + 1; its columns are DP columns 1.. (column 0: no target yet).
    lo = np.maximum(band.lo[1:], 1) - 1
    hi = band.hi[1:] - 1
    widths = np.maximum(hi - lo + 1, 0)
    start = np.concatenate([[0], np.cumsum(widths)]).astype(np.int64)
    if cancelled():
        raise Cancelled("alignment map cancelled")
    scored = pair_scores(src, tgt, band, progress=lambda f, m: progress(0.9 * f, m), cancelled=cancelled)
    if cancelled():
        raise Cancelled("alignment map cancelled")
    rows = np.repeat(np.arange(n), widths)
    cols = lo[rows] + np.arange(len(rows)) - start[rows]
    scores = _contrast(scored[band.index_of(rows + 1, cols + 1)], start, widths)
    progress(1.0, "alignment map ready")
    return SimilarityMap(n, m, lo.astype(np.int64), hi.astype(np.int64), start, scores, placed)
