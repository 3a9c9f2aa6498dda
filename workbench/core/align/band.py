"""The part of the DP matrix that is searched: for every row ``i`` (source
sentences consumed) the columns ``lo[i]..hi[i]`` (target sentences consumed).

Cells are numbered row by row into one flat array; ``index_of`` maps (row,
column) arrays to flat indices, or to the sentinel ``size`` outside the
band, so that arrays of length ``size + 1`` (the last slot +inf or 0) can be
gathered without masks.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Band:
    n: int                 # source sentences
    m: int                 # target sentences
    lo: np.ndarray         # (n + 1,) int64, first column of each row
    hi: np.ndarray         # (n + 1,) int64, last column of each row (inclusive)
    start: np.ndarray      # (n + 2,) int64, flat index of each row's first cell

    @property
    def size(self) -> int:
        return int(self.start[-1])

    @property
    def full(self) -> bool:
        return bool((self.lo == 0).all() and (self.hi == self.m).all())

    def rows_cols(self) -> tuple[np.ndarray, np.ndarray]:
        """Row and column of every cell, in flat order."""
        widths = self.hi - self.lo + 1
        rows = np.repeat(np.arange(self.n + 1), widths)
        cols = np.arange(self.size) - self.start[rows] + self.lo[rows]
        return rows, cols

    def index_of(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        inside = (rows >= 0) & (rows <= self.n)
        r = np.where(inside, rows, 0)
        inside &= (cols >= self.lo[r]) & (cols <= self.hi[r])
        return np.where(inside, self.start[r] + cols - self.lo[r], self.size)

    def cell(self, row: int, col: int) -> int:
        if 0 <= row <= self.n and self.lo[row] <= col <= self.hi[row]:
            return int(self.start[row] + col - self.lo[row])
        return self.size

    @staticmethod
    def from_bounds(n: int, m: int, lo: np.ndarray, hi: np.ndarray) -> Band:
        lo = np.clip(np.asarray(lo, dtype=np.int64), 0, m)
        hi = np.clip(np.asarray(hi, dtype=np.int64), 0, m)
        # Monotone bounds keep every row reachable from the previous one.
        lo = np.minimum.accumulate(lo[::-1])[::-1]
        hi = np.maximum.accumulate(hi)
        lo[0], hi[-1] = 0, m
        # Each row reaches the next row's first column (in-row moves cover
        # steep stretches where the target runs ahead).
        hi = np.maximum(hi, np.append(lo[1:], m))
        hi = np.maximum(hi, lo)
        start = np.concatenate([[0], np.cumsum(hi - lo + 1)])
        return Band(n, m, lo, hi, start)

    @staticmethod
    def everything(n: int, m: int) -> Band:
        return Band.from_bounds(n, m, np.zeros(n + 1), np.full(n + 1, m))

    @staticmethod
    def around(n: int, m: int, centre: np.ndarray, width: int) -> Band:
        """Columns ``centre[i] - width .. centre[i] + width`` of every row."""
        centre = np.asarray(centre, dtype=np.float64)
        return Band.from_bounds(n, m, np.floor(centre - width), np.ceil(centre + width))

    @staticmethod
    def around_path(n: int, m: int, path_cells: list[tuple[int, int]], width: int) -> Band:
        """``width`` columns on each side of every cell a path goes through."""
        lo = np.full(n + 1, m, dtype=np.int64)
        hi = np.zeros(n + 1, dtype=np.int64)
        for i, j in path_cells:
            lo[i] = min(lo[i], j)
            hi[i] = max(hi[i], j)
        return Band.from_bounds(n, m, lo - width, hi + width)

    def touches_edge(self, path_cells: list[tuple[int, int]], margin: int) -> bool:
        for i, j in path_cells:
            if (self.lo[i] > 0 and j - self.lo[i] < margin) or (self.hi[i] < self.m
                                                                  and self.hi[i] - j < margin):
                return True
        return False
