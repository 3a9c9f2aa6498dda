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

    priors: tuple[float, ...] = (0.0, 0.0, 0.0, 2.6, 2.6, 4.5, 5.5, 5.5)   # per TYPES
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
    paragraph_cross: float = 2.0
    paragraph_start: float = 1.0
    temperature: float = 1.0
    anchors: AnchorWeights = AnchorWeights()


# Gale & Church (1993): link type probabilities .89 (1-1), .0099 (1-0 and 0-1
# together), .089 (2-1 and 1-2), .011 (2-2); 3-1 / 1-3 rarer still.
GALE_CHURCH = Params(priors=(0.12, 0.0, 0.0, 3.11, 3.11, 4.51, 6.0, 6.0), deletion=5.3,
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


def _group(pair: np.ndarray, offsets: dict, a: int, b: int) -> np.ndarray:
    """A pairwise feature summed over a link's sentence pairs.  A 2-2 link
    takes its better internal pairing (straight or crossed) instead of all
    four pairs: words repeated in neighbouring sentences would otherwise
    count four times in a 2-2 link and twice in the two 1-1 links it
    replaces, and two good 1-1 links would look like one better 2-2."""
    if (a, b) == (2, 2):
        return np.maximum(pair[offsets[0, 0]] + pair[offsets[1, 1]],
                          pair[offsets[0, 1]] + pair[offsets[1, 0]])
    total = pair[offsets[0, 0]].copy()
    for da in range(a):
        for db in range(b):
            if da or db:
                total += pair[offsets[da, db]]
    return total


BLOCK_CELLS = 1 << 17   # cells costed at once: bounds the temporaries' memory


def build_costs(band: Band, src: SideData, tgt: SideData, pairs: PairData,
                length: LengthModel, params: Params, use_paragraphs: float) -> np.ndarray:
    """(len(TYPES), size + 1) float32 costs, +inf where a link cannot end,
    computed a block of rows at a time."""
    size = band.size
    cost = np.full((len(TYPES), size + 1), np.inf, dtype=np.float32)
    row = 0
    while row <= band.n:
        end = int(np.searchsorted(band.start, band.start[row] + BLOCK_CELLS, side="right")) - 1
        end = min(max(end, row + 1), band.n + 1)
        s, e = int(band.start[row]), int(band.start[end])
        widths = band.hi[row:end] - band.lo[row:end] + 1
        rows = np.repeat(np.arange(row, end), widths)
        cols = np.arange(s, e) - band.start[rows] + band.lo[rows]
        cost[:, s:e] = _block_costs(band, rows, cols, src, tgt, pairs, length, params, use_paragraphs)
        row = end
    return cost


def _block_costs(band: Band, rows: np.ndarray, cols: np.ndarray, src: SideData, tgt: SideData,
                 pairs: PairData, length: LengthModel, params: Params,
                 use_paragraphs: float) -> np.ndarray:
    here = band.index_of(rows, cols)
    offsets = {(da, db): here if not (da or db) else band.index_of(rows - da, cols - db)
               for da in range(3) for db in range(3) if da + db <= 2 or (da, db) == (1, 1)}
    out = np.empty((len(TYPES), len(rows)), dtype=np.float32)
    anchor_weight = params.anchor_weight * pairs.anchor_scale
    for t, (a, b) in enumerate(TYPES):
        valid = (rows >= a) & (cols >= b)
        # Group = source sentences r0..r-1 and target c0..c-1 (clipped where
        # the link cannot end: those cells are set to +inf below).
        r, c = rows, cols
        r0, c0 = np.maximum(rows - a, 0), np.maximum(cols - b, 0)
        pen = (src.cum_pen[r] - src.cum_pen[r0]) + (tgt.cum_pen[c] - tgt.cum_pen[c0])
        if a == 0 or b == 0:
            value = params.deletion + anchor_weight * pen
        else:
            ls = src.cum_len[r] - src.cum_len[r0]
            lt = tgt.cum_len[c] - tgt.cum_len[c0]
            delta = (lt - length.ratio * ls) / np.sqrt(
                length.variance * ((length.ratio * ls + lt) / 2 + 1.0))
            value = params.length_weight * neg_log_tail(delta)
            value += params.priors[t]
            reward = _group(pairs.reward, offsets, a, b)
            if a * b > 1:
                reward *= 1.0 - params.merged_anchor_discount
            unmatched = np.maximum(pen - _group(pairs.resolved, offsets, a, b), 0.0)
            value -= anchor_weight * (reward - unmatched)
            for sim in pairs.similarities:
                # Weighted by the group's mass, not its sentence count: a
                # sentence absorbed into a link without matching it adds
                # mass but no overlap, so it earns nothing.
                overlap = _group(sim.overlap, offsets, a, b)
                mass = ((sim.src_cum[r] - sim.src_cum[r0]) + (sim.tgt_cum[c] - sim.tgt_cum[c0])) / 2
                dice = overlap / np.maximum(mass, 1e-9)
                low, high = sim.scale
                z = np.clip((dice - low) / max(high - low, 1e-6), -1.5, 1.5)
                value -= sim.weight * (z - sim.offset) * mass / sim.unit
            if use_paragraphs:
                crossing = ((src.cum_para[r] - src.cum_para[r0 + 1])
                            + (tgt.cum_para[c] - tgt.cum_para[c0 + 1]))
                mismatch = src.para_start[r0] != tgt.para_start[c0]
                value += use_paragraphs * (params.paragraph_cross * crossing
                                           + params.paragraph_start * mismatch)
        out[t] = np.where(valid, value, np.inf)
    return out
