"""Monotone alignment DP over a band, one numpy-vectorised row at a time.

A cell (i, j) means "i source and j target sentences are aligned".  A link of
type (a, b) goes from (i - a, j - b) to (i, j) at ``cost[t][cell(i, j)]``.
Links with a >= 1 come from earlier rows and are gathered in one fancy index
per row; the 0-1 link stays in the row, and its recurrence
``D[j] = min(O[j], D[j-1] + c[j])`` is solved with a cumulative minimum
(``logaddexp.accumulate`` in the soft version), so no Python loop runs per
cell.

``viterbi`` gives the best path; ``posteriors`` runs the same recurrences
with log-sum-exp forwards and backwards and gives each link of the path its
posterior probability (the confidence).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workbench.core.progress import Cancelled, CancelledFn, ProgressFn, never_cancelled, no_progress
from workbench.core.align.band import Band

# (source sentences, target sentences) of each link type.  0-1 must stay at
# index 2: it is the only in-row move.
TYPES: tuple[tuple[int, int], ...] = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2), (2, 2), (3, 1), (1, 3),
                                      (3, 2), (2, 3))
IN_ROW = 2
FROM_ABOVE = tuple(t for t in range(len(TYPES)) if t != IN_ROW)


class Moves:
    """Flat indices of each cell's predecessor (``prev``) and successor
    (``next``, computed when first asked for: only the posteriors need it)
    for the link types that come from an earlier row (``FROM_ABOVE``
    order); ``band.size`` (the sentinel) where there is none."""

    def __init__(self, prev: np.ndarray) -> None:
        self.prev = prev          # (len(FROM_ABOVE), size) int32
        self._next: np.ndarray | None = None

    @property
    def next(self) -> np.ndarray:
        """(len(FROM_ABOVE), size + 1) int32."""
        if self._next is None:
            size = self.prev.shape[1]
            nxt = np.full((len(FROM_ABOVE), size + 1), size, dtype=np.int32)
            here = np.arange(size, dtype=np.int32)
            for k in range(len(FROM_ABOVE)):
                ok = self.prev[k] < size
                nxt[k, self.prev[k][ok]] = here[ok]
            self._next = nxt
        return self._next

    @staticmethod
    def of(band: Band) -> Moves:
        """The moves of every cell of ``band``.

        :param band: the band."""
        rows, cols = band.rows_cols()
        size = band.size
        prev = np.empty((len(FROM_ABOVE), size), dtype=np.int32)
        by_shift: dict[int, list[tuple[int, int]]] = {}
        for k, t in enumerate(FROM_ABOVE):
            by_shift.setdefault(TYPES[t][0], []).append((k, TYPES[t][1]))
        for a, kinds in by_shift.items():
            # the row a rows up, gathered once for every link type that comes from it
            up = np.maximum(rows - a, 0)
            lo, hi = band.lo[up], band.hi[up]
            base = band.start[up] - lo + cols
            if a:
                hi = np.where(rows >= a, hi, -1)     # no row above the first
            for k, b in kinds:
                ok = (cols - b >= lo) & (cols - b <= hi)
                prev[k] = np.where(ok, base - b, size)
        return Moves(prev)


def _check(i: int, n: int, label: str, progress: ProgressFn, cancelled: CancelledFn,
           share: tuple[float, float]) -> None:
    if i % 256 == 0:
        if cancelled():
            raise Cancelled("alignment cancelled")
        progress(share[0] + share[1] * i / max(1, n), label)


def _in_row_steps(band: Band, values: np.ndarray) -> np.ndarray:
    """Running sum of the in-row move's values along each row, the row's
    first cell (which has no in-row predecessor) counted as 0: for cell k
    of row i, the sum over the row's cells after its first, up to k."""
    step = values[:band.size].astype(np.float64)
    step[band.start[:-1]] = 0.0
    acc = np.cumsum(step)
    return acc - np.repeat(acc[band.start[:-1]], np.diff(band.start))


def viterbi(band: Band, moves: Moves, cost: np.ndarray, *, progress: ProgressFn = no_progress,
            cancelled: CancelledFn = never_cancelled,
            share: tuple[float, float] = (0.0, 1.0)) -> list[tuple[int, int, int]]:
    """Best path as (type, i, j) links from the start, ``cost`` of shape
    (len(TYPES), size + 1) with +inf in the sentinel slot."""
    size = band.size
    best = np.full(size + 1, np.inf)
    pick = np.zeros(size, dtype=np.int8)       # which of FROM_ABOVE enters the cell
    in_row = np.zeros(size, dtype=bool)        # or the in-row move
    cost_above = np.ascontiguousarray(cost[list(FROM_ABOVE)])
    acc_all = _in_row_steps(band, cost[IN_ROW])
    prev = moves.prev
    starts = band.start.tolist()     # Python ints: the loop slices with them
    for i in range(band.n + 1):
        _check(i, band.n, "aligning", progress, cancelled, share)
        s, e = starts[i], starts[i + 1]
        if i == 0:
            entry = np.full(e - s, np.inf)
            entry[0] = 0.0                      # (0, 0): the start
        else:
            cand = best[prev[:, s:e]]
            cand += cost_above[:, s:e]
            pick[s:e] = cand.argmin(axis=0)
            entry = cand.min(axis=0)
        acc = acc_all[s:e]
        value = entry - acc
        run = np.minimum.accumulate(value)
        best[s:e] = run + acc
        in_row[s:e] = run < value
    links = []
    i, j = band.n, band.m
    if not np.isfinite(best[band.cell(i, j)]):
        raise RuntimeError("no path through the alignment band")
    lo = band.lo.tolist()
    while i > 0 or j > 0:
        here = starts[i] + j - lo[i]     # the path stays in the band
        t = IN_ROW if in_row[here] else FROM_ABOVE[pick[here]]
        links.append((t, i, j))
        a, b = TYPES[t]
        i, j = i - a, j - b
    links.reverse()
    return links


def posteriors(band: Band, moves: Moves, cost: np.ndarray, links: list[tuple[int, int, int]],
               temperature: float, *, progress: ProgressFn = no_progress,
               cancelled: CancelledFn = never_cancelled,
               share: tuple[float, float] = (0.0, 1.0)) -> np.ndarray:
    """Posterior probability of each of ``links`` among all paths in the band,
    paths weighted by exp(-cost / temperature)."""
    size = band.size
    score = cost.astype(np.float64) * (-1.0 / temperature)   # log-weights, -inf in the sentinel
    score_above = np.ascontiguousarray(score[list(FROM_ABOVE)])
    # score of the link that leaves each cell, per type (for the backward pass)
    score_out = np.take_along_axis(score_above, moves.next.astype(np.int64), axis=1)
    acc_all = _in_row_steps(band, score[IN_ROW])
    # backward in-row step: the move from (i, j) to (i, j + 1) scores
    # score[IN_ROW, j + 1]; its running sum from the row's end back to each cell
    step_out = np.append(score[IN_ROW, 1:size], 0.0)
    step_out[band.start[1:] - 1] = 0.0
    before = np.cumsum(step_out) - step_out
    row_end = np.repeat(before[band.start[1:] - 1] + step_out[band.start[1:] - 1], np.diff(band.start))
    acc_back = row_end - before
    starts = band.start.tolist()
    prev, nxt = moves.prev, moves.next
    fwd = np.full(size + 1, -np.inf)
    half = (share[0], share[1] / 2)
    logaddexp = np.logaddexp
    with np.errstate(invalid="ignore"):
        for i in range(band.n + 1):
            _check(i, band.n, "scoring links", progress, cancelled, half)
            s, e = starts[i], starts[i + 1]
            if i == 0:
                entry = np.full(e - s, -np.inf)
                entry[0] = 0.0
            else:
                cand = fwd[prev[:, s:e]]
                cand += score_above[:, s:e]
                entry = logaddexp.reduce(cand, axis=0)
            acc = acc_all[s:e]
            fwd[s:e] = logaddexp.accumulate(entry - acc) + acc
        bwd = np.full(size + 1, -np.inf)
        late = (share[0] + share[1] / 2, share[1] / 2)
        for i in range(band.n, -1, -1):
            _check(band.n - i, band.n, "scoring links", progress, cancelled, late)
            s, e = starts[i], starts[i + 1]
            cand = bwd[nxt[:, s:e]]
            cand += score_out[:, s:e]
            entry = logaddexp.reduce(cand, axis=0)
            if i == band.n:
                entry[band.m - band.lo[i]] = 0.0
            # The in-row move goes right: solve it on the reversed row.
            acc = acc_back[s:e][::-1]
            bwd[s:e] = (logaddexp.accumulate(entry[::-1] - acc) + acc)[::-1]
    total = fwd[band.cell(band.n, band.m)]
    kind = np.array([t for t, _, _ in links], dtype=np.int64)
    rows = np.array([i for _, i, _ in links], dtype=np.int64)
    cols = np.array([j for _, _, j in links], dtype=np.int64)
    shape = np.array(TYPES, dtype=np.int64)[kind]
    here = band.index_of(rows, cols)
    out = fwd[band.index_of(rows - shape[:, 0], cols - shape[:, 1])] + score[kind, here] + bwd[here] - total
    return np.clip(np.exp(out), 0.0, 1.0)
