"""Cost of every link type at every cell of the band (lower is better).

    cost(link) = prior(type)
               + length:    Gale-Church -log P(|delta|), the length ratio and
                            its variance estimated from the documents
               - anchors:   shared numbers, months, names, cognates, punctuation
                            (reward), minus the reliable ones left unmatched
               - MT:        chrF-like similarity of the source group's MT and
                            the target group, relative to unrelated pairs
               + paragraphs: a link that crosses a paragraph boundary, or
                            starts a paragraph on one side only

A 1-0 / 0-1 link costs ``deletion`` plus the anchors it leaves unmatched.
Pairwise features (anchor overlaps, MT overlaps) are computed once per cell
for sentence pairs; a group's value is the sum over its sentence pairs.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from workbench.core.align.anchors import AnchorWeights
from workbench.core.align.band import Band
from workbench.core.align.dp import TYPES


@dataclass(frozen=True)
class Params:
    """Weights of the cost model (in nats, roughly)."""

    priors: tuple[float, ...] = (0.0, 0.0, 0.0, 2.6, 2.6, 4.5, 5.5, 5.5, 5.5, 5.5)   # per TYPES
    deletion: float = 4.0
    length_weight: float = 1.0
    anchor_weight: float = 5.0
    # Anchors shared by a merged link are vaguer evidence than the same
    # anchors on separate 1-1 links: they say the sentences belong together
    # but not which with which.
    merged_anchor_discount: float = 0.4
    mt_weight: float = 5.0
    # The lexicon learned from the document (scaled by how well it separates
    # true pairs from neighbours in this document, see ``lexicon.separation``).
    lexicon_weight: float = 4.0
    # MT similarity (0 = unrelated pairs, 1 = true pairs) below which a link
    # costs more than it earns: with an MT, pairing unrelated sentences or
    # absorbing an untranslated one into a link is evidence against it.
    mt_offset: float = 0.5
    # z (0 = unrelated, 1 = a typical true pair) is capped here: a pair far
    # above typical earns no more
    similarity_cap: float = 1.5
    # Where the path departs from plain Gale-Church's, the departure must be
    # worth this many nats under the full model, or Gale-Church's stretch is
    # kept (0: no guard)
    guard_margin: float = 4.0
    paragraph_cross: float = 2.0
    paragraph_start: float = 1.0
    temperature: float = 1.0
    anchors: AnchorWeights = AnchorWeights()


# Gale & Church (1993): link type probabilities .89 (1-1), .0099 (1-0 and 0-1
# together), .089 (2-1 and 1-2), .011 (2-2); 3-1 / 1-3 rarer still.
GALE_CHURCH = Params(priors=(0.12, 0.0, 0.0, 3.11, 3.11, 4.51, 6.0, 6.0) + (np.inf,) * 2, deletion=5.3,
                     length_weight=1.0, anchor_weight=0.0, mt_weight=0.0, paragraph_cross=0.0,
                     paragraph_start=0.0)


VARIANCE_FLOOR = 3.0      # estimates from very regular translations are too sharp
INITIAL_VARIANCE = 6.8    # Gale & Church's, until the documents' own is known


@dataclass(frozen=True)
class LengthModel:
    ratio: float      # target chars per source char
    variance: float   # per target char

    def differs_from(self, other: LengthModel) -> bool:
        """Enough to be worth a second pass of the DP."""
        return (abs(np.log(self.ratio / other.ratio)) > 0.05
                or abs(np.log(self.variance / other.variance)) > 0.25)

    def cost(self, ls: np.ndarray, lt: np.ndarray) -> np.ndarray:
        """Gale-Church's cost of linking ``ls`` source with ``lt`` target characters."""
        return neg_log_tail((lt - self.ratio * ls) / np.sqrt(self.variance * ((self.ratio * ls + lt) / 2 + 1.0)))

    @staticmethod
    def initial(src_len: np.ndarray, tgt_len: np.ndarray) -> LengthModel:
        ratio = max(float(tgt_len.sum()), 1.0) / max(float(src_len.sum()), 1.0)
        return LengthModel(ratio, INITIAL_VARIANCE)

    @staticmethod
    def estimate(pairs: list[tuple[float, float]], fallback: LengthModel) -> LengthModel:
        """Ratio and variance from (source, target) lengths of likely 1-1 links."""
        if len(pairs) < 8:
            return fallback
        ls, lt = np.array(pairs, dtype=np.float64).T
        ratio = max(float(lt.sum()), 1.0) / max(float(ls.sum()), 1.0)
        mean = (ratio * ls + lt) / 2 + 1.0
        # median of chi-square(1) is 0.455: a robust variance estimate
        variance = float(np.median((lt - ratio * ls) ** 2 / mean)) / 0.455
        return LengthModel(ratio, float(np.clip(variance, VARIANCE_FLOOR, 60.0)))


def _neg_log_tail_exact(delta: np.ndarray) -> np.ndarray:
    """-log P(|Z| >= |delta|) for a standard normal Z, stable for large delta
    (the erfc approximation of Numerical Recipes, relative error < 1.2e-7)."""
    z = np.abs(delta) / np.sqrt(2.0)
    t = 1.0 / (1.0 + 0.5 * z)
    poly = (-1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (
        -0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (
            -0.82215223 + t * 0.17087277)))))))))
    return np.maximum(z * z - poly - np.log(t), 0.0)


_TAIL_STEP = 0.005
_TAIL_TABLE = _neg_log_tail_exact(np.arange(0.0, 40.0 + _TAIL_STEP, _TAIL_STEP))


def neg_log_tail(delta: np.ndarray) -> np.ndarray:
    """-log P(|Z| >= |delta|), Gale-Church's length cost, by table lookup
    (|delta| beyond 40 costs as much as 40: hopeless either way)."""
    index = np.minimum(np.abs(delta) * (1.0 / _TAIL_STEP) + 0.5, len(_TAIL_TABLE) - 1)
    return _TAIL_TABLE[index.astype(np.int32)]


@dataclass
class SideData:
    """Per-sentence data of one side, as prefix sums for group totals."""

    lengths: np.ndarray          # (n,) characters
    penalty: np.ndarray          # (n,) anchor penalty weight of the sentence
    para_start: np.ndarray       # (n,) bool: sentence opens a paragraph (not the first)
    cum_len: np.ndarray = field(init=False)
    cum_pen: np.ndarray = field(init=False)
    cum_para: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        def cum(x):
            return np.concatenate([[0.0], np.cumsum(x, dtype=np.float64)])
        self.cum_len = cum(self.lengths)
        self.cum_pen = cum(self.penalty)
        self.cum_para = cum(self.para_start)


def cumulative(x: np.ndarray) -> np.ndarray:
    return np.concatenate([[0.0], np.cumsum(x, dtype=np.float64)])


@dataclass(frozen=True)
class Similarity:
    """A bag-of-features similarity of sentence groups (MT n-grams, the
    learned lexicon): per band cell the overlap of the two sentences, per
    sentence its mass (prefix sums), and where unrelated and true pairs lie.

    A link earns ``weight * (z - offset) * mass / unit`` where ``z`` is its
    Dice coefficient rescaled so that unrelated pairs are 0 and true pairs 1."""

    overlap: np.ndarray            # (size + 1,) per band cell, trailing 0
    src_cum: np.ndarray            # (n + 1,) prefix sums of the source sentences' mass
    tgt_cum: np.ndarray            # (m + 1,)
    scale: tuple[float, float]     # Dice of unrelated pairs, of true pairs
    unit: float                    # mass of an average sentence
    weight: float
    offset: float


@dataclass(frozen=True)
class PairData:
    """Pairwise features of the band's cells (cell (i, j) = sentences i-1, j-1);
    each array has a trailing 0 for the out-of-band sentinel."""

    reward: np.ndarray
    resolved: np.ndarray
    similarities: tuple[Similarity, ...] = ()
    anchor_scale: float = 1.0      # of ``Params.anchor_weight`` in this document


# A link with two or more sentences on both sides (2-2, 3-2, 2-3) is scored
# by its best split into two parts, each with one sentence on a side
# (``_splits``), instead of all its sentence pairs: words repeated in
# neighbouring sentences would otherwise count four times in a 2-2 link and
# twice in the two 1-1 links it replaces, and two good 1-1 links would look
# like one better 2-2.  The parts of those links are 1-1, 2-1 and 1-2: their
# sums are computed once per band cell (``PART_SHAPES``) and gathered at the
# cell where each part ends.
PART_SHAPES = ((1, 1), (2, 1), (1, 2))


def _block(pair: np.ndarray, offsets: dict, src: range, tgt: range) -> np.ndarray:
    total = None
    for da in src:
        for db in tgt:
            value = pair[offsets[da, db]]
            total = value.copy() if total is None else total + value
    return total


def _split_parts(a: int, b: int) -> list[list[tuple[tuple[int, int], tuple[int, int]]]]:
    """Each split of an a-b link (a, b >= 2) as its parts' (shape, offset of
    the cell where the part ends)."""
    return [[((len(ps), len(pt)), (ps.start, pt.start)) for ps, pt in parts] for parts in _splits(a, b)]


def _best_split(parts: dict[tuple[int, int], np.ndarray], offsets: dict, a: int, b: int) -> np.ndarray:
    """The best split's sum of the parts' values (``parts``: per shape, per
    band cell where the part ends, with a sentinel)."""
    best = None
    for split in _split_parts(a, b):
        total = None
        for shape, at in split:
            value = parts[shape][offsets[at]]
            total = value if total is None else total + value
        best = total if best is None else np.maximum(best, total)
    return best


BLOCK_CELLS = 1 << 17   # cells costed at once: bounds the temporaries' memory


def _blocks(band: Band):
    """(first flat index, end, rows, cols) of blocks of whole rows of about
    ``BLOCK_CELLS`` cells."""
    row = 0
    while row <= band.n:
        end = int(np.searchsorted(band.start, band.start[row] + BLOCK_CELLS, side="right")) - 1
        end = min(max(end, row + 1), band.n + 1)
        s, e = int(band.start[row]), int(band.start[end])
        widths = band.hi[row:end] - band.lo[row:end] + 1
        rows = np.repeat(np.arange(row, end), widths)
        cols = np.arange(s, e) - band.start[rows] + band.lo[rows]
        yield s, e, rows, cols
        row = end


def build_costs(band: Band, src: SideData, tgt: SideData, pairs: PairData,
                length: LengthModel, params: Params, use_paragraphs: float, *,
                base: bool = True) -> np.ndarray:
    """(len(TYPES), size + 1) float32 costs, +inf where a link cannot end,
    computed a block of rows at a time.

    :param band: the cells to cost.
    :param src: the source side's per-sentence data.
    :param tgt: the target side's.
    :param pairs: the pairwise features of the band's cells.
    :param length: the length model.
    :param params: the weights.
    :param use_paragraphs: the weight of paragraph boundaries (0: none).
    :param base: False for the similarities' part alone (what they earn,
        negated; 0 for 1-0 and 0-1 links): added to costs computed without
        them, it gives the costs with them."""
    size = band.size
    cost = np.full((len(TYPES), size + 1), np.inf, dtype=np.float32)
    anchor_weight = params.anchor_weight * pairs.anchor_scale if base else 0.0
    # what the parts of n-m links earn, per band cell where a part ends (a
    # part ending outside the band: no anchors, the split cannot be used)
    features = ([("reward", pairs.reward, None, 0.0), ("resolved", pairs.resolved, None, 0.0)]
                if anchor_weight else [])
    features += [(k, None, sim, -np.inf) for k, sim in enumerate(pairs.similarities)]
    split_types = any(a >= 2 and b >= 2 and np.isfinite(params.priors[t]) for t, (a, b) in enumerate(TYPES))
    parts: dict = {}
    if features and split_types:
        for name, _, _, sentinel in features:
            for shape in PART_SHAPES:
                parts[name, shape] = np.full(size + 1, sentinel, dtype=np.float32)
        for s, e, rows, cols in _blocks(band):
            offsets = _Offsets(band, rows, cols, band.index_of(rows, cols))
            for name, pair, sim, _ in features:
                for shape in PART_SHAPES:
                    ps, pt = range(shape[0]), range(shape[1])
                    parts[name, shape][s:e] = (_block(pair, offsets, ps, pt) if sim is None
                                               else _earned(sim, offsets, rows, cols, ps, pt, params))
    for s, e, rows, cols in _blocks(band):
        cost[:, s:e] = _block_costs(band, rows, cols, src, tgt, pairs, length, params, use_paragraphs,
                                    anchor_weight, base, parts, (s, e))
    return cost


def _block_costs(band: Band, rows: np.ndarray, cols: np.ndarray, src: SideData, tgt: SideData,
                 pairs: PairData, length: LengthModel, params: Params,
                 use_paragraphs: float, anchor_weight: float, base: bool, parts: dict,
                 span: tuple[int, int]) -> np.ndarray:
    here = band.index_of(rows, cols)
    offsets = _Offsets(band, rows, cols, here)
    out = np.empty((len(TYPES), len(rows)), dtype=np.float32)
    s, e = span

    def whole(name, pair, sim, a, b):
        """A feature of the link's sentence pairs (a or b is 1), or the best split's."""
        if a >= 2 and b >= 2:
            return _best_split({shape: parts[name, shape] for shape in PART_SHAPES}, offsets, a, b)
        if (name, (a, b)) in parts:
            return parts[name, (a, b)][s:e].astype(np.float64)
        if sim is not None:
            return _earned(sim, offsets, rows, cols, range(a), range(b), params)
        return _block(pair, offsets, range(a), range(b))

    for t, (a, b) in enumerate(TYPES):
        if not np.isfinite(params.priors[t]):
            out[t] = np.inf
            continue
        valid = (rows >= a) & (cols >= b)
        # Group = source sentences r0..r-1 and target c0..c-1 (clipped where
        # the link cannot end: those cells are set to +inf below).
        r, c = rows, cols
        r0, c0 = np.maximum(rows - a, 0), np.maximum(cols - b, 0)
        pen = ((src.cum_pen[r] - src.cum_pen[r0]) + (tgt.cum_pen[c] - tgt.cum_pen[c0])
               if anchor_weight else 0.0)
        if a == 0 or b == 0:
            value = np.full(len(rows), params.deletion if base else 0.0) + anchor_weight * pen
            out[t] = np.where(valid, value, np.inf)
            continue
        if base:
            ls = src.cum_len[r] - src.cum_len[r0]
            lt = tgt.cum_len[c] - tgt.cum_len[c0]
            delta = (lt - length.ratio * ls) / np.sqrt(
                length.variance * ((length.ratio * ls + lt) / 2 + 1.0))
            value = params.length_weight * neg_log_tail(delta)
            value += params.priors[t]
        else:
            value = np.zeros(len(rows))
        if anchor_weight:
            reward = whole("reward", pairs.reward, None, a, b)
            if a * b > 1:
                reward = reward * (1.0 - params.merged_anchor_discount)
            unmatched = np.maximum(pen - whole("resolved", pairs.resolved, None, a, b), 0.0)
            value -= anchor_weight * (reward - unmatched)
        for k, sim in enumerate(pairs.similarities):
            # A link with several sentences on both sides earns what its
            # best split into two parts (1-1, 2-1...) would earn as
            # separate links: merging never earns more than the parts.
            value -= whole(k, None, sim, a, b)
        if use_paragraphs and base:
            crossing = ((src.cum_para[r] - src.cum_para[r0 + 1])
                        + (tgt.cum_para[c] - tgt.cum_para[c0 + 1]))
            mismatch = src.para_start[r0] != tgt.para_start[c0]
            value += use_paragraphs * (params.paragraph_cross * crossing
                                       + params.paragraph_start * mismatch)
        out[t] = np.where(valid, value, np.inf)
    return out


def _splits(a: int, b: int) -> list[tuple[tuple[range, range], ...]]:
    """The ways an a-b link is scored by a similarity: whole when a side has
    one sentence; otherwise every split into two parts that each have one
    sentence on a side, straight or crossed.  Ranges count back from the
    link's last sentence (0 = last)."""
    if a < 2 or b < 2:
        return [((range(a), range(b)),)]
    out = []
    for a1 in range(1, a):
        for b1 in range(1, b):
            first_s, last_s = range(a - a1, a), range(0, a - a1)
            if min(a1, b1) <= 1 and min(a - a1, b - b1) <= 1:
                out.append(((first_s, range(b - b1, b)), (last_s, range(0, b - b1))))
            if min(a1, b - b1) <= 1 and min(a - a1, b1) <= 1:
                out.append(((first_s, range(0, b - b1)), (last_s, range(b - b1, b))))
    return out


def _earned(sim: Similarity, offsets, r: np.ndarray, c: np.ndarray, ps: range, pt: range,
            params: Params) -> np.ndarray:
    """What the sentences ``ps`` x ``pt`` of a link earn from ``sim``,
    weighted by their mass, not their count: a sentence absorbed without
    matching adds mass but no overlap, so it earns nothing."""
    overlap = _block(sim.overlap, offsets, ps, pt)
    hi_s, lo_s = np.maximum(r - ps.start, 0), np.maximum(r - ps.stop, 0)
    hi_t, lo_t = np.maximum(c - pt.start, 0), np.maximum(c - pt.stop, 0)
    mass = ((sim.src_cum[hi_s] - sim.src_cum[lo_s]) + (sim.tgt_cum[hi_t] - sim.tgt_cum[lo_t])) / 2
    dice = overlap / np.maximum(mass, 1e-9)
    low, high = sim.scale
    z = np.clip((dice - low) / max(high - low, 1e-6), -1.5, params.similarity_cap)
    return sim.weight * (z - sim.offset) * mass / sim.unit


class _Offsets(dict):
    """Flat index of cell (row - da, col - db) for every cell of a block,
    computed when first asked for (the row ``da`` rows up gathered once for
    every ``db``)."""

    def __init__(self, band: Band, rows: np.ndarray, cols: np.ndarray, here: np.ndarray) -> None:
        super().__init__({(0, 0): here})
        self.band, self.rows, self.cols = band, rows, cols
        self.up: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def __missing__(self, key: tuple[int, int]) -> np.ndarray:
        da, db = key
        up = self.up.get(da)
        if up is None:
            band, rows = self.band, self.rows
            above = np.maximum(rows - da, 0)
            lo, hi = band.lo[above], band.hi[above]
            if da:
                hi = np.where(rows >= da, hi, -1)     # no row above the first
            up = self.up[da] = (lo, hi, band.start[above] - lo + self.cols)
        lo, hi, base = up
        col = self.cols - db
        value = self[key] = np.where((col >= lo) & (col <= hi), base - db, self.band.size)
        return value
