"""Sentence alignment of a document and its translation (pure, store-free).

``align`` pairs the sentences of two parallel documents with a monotone
dynamic program over 1-1, 1-0, 0-1, 2-1, 1-2, 2-2, 3-1, 1-3, 3-2 and 2-3
links.  The
cost of a link combines Gale-Church length agreement (ratio and variance
estimated from the documents), anchors that need no model (numbers, dates,
names and cognates compared across scripts, punctuation), paragraph
boundaries and, when a machine translation of the source is given, a
chrF-like n-gram similarity between that MT and the target (see ``costs``),
weighed by how well it separates Gale-Church's confident pairs from their
neighbours in this document.
The DP runs in a band around the diagonal that is widened and re-centred
when the path comes near its edge, so time and memory grow linearly with
the length of the documents.  Each link's confidence is its posterior
probability among all alignments (forward-backward over the same band).

With ``features="full"`` (the default) a first pass with length and anchors
gives confident 1-1 links; IBM Model 1 learns a word translation table from
them (``lexicon``), weighed by how well it separates true pairs from
neighbours in this document, and a second pass uses it.
``features="anchors"`` leaves the lexicon out; ``features="length"`` gives
plain Gale-Church (length and link priors only), the classic baseline.
A guard keeps the result at least as good as plain Gale-Church where the
other signals are weak in this document (``_Model._guard``).
``pair_costs`` gives the 1-1 cost of any sentence pair under the fitted model.
See docs/alignment.md for the figures.
"""
from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from workbench.core.errors import BadInputError
from workbench.core.progress import Cancelled, CancelledFn, ProgressFn, never_cancelled, no_progress
from workbench.core.align.anchors import document_anchors
from workbench.core.align.band import Band
from workbench.core.align import lexicon
from workbench.core.align.costs import (GALE_CHURCH, LengthModel, PairData, Params, SideData, Similarity,
                                        build_costs, cumulative)
from workbench.core.align.dp import TYPES, Moves, posteriors, viterbi
from workbench.core.align.ngrams import Sketches, sketch_pair
from workbench.core.align.overlaps import anchor_overlaps, anchor_tables, sketch_overlaps, unique_number_pairs

__all__ = ["Link", "align", "format_link", "pair_costs", "Params"]

FEATURE_SETS = ("full", "anchors", "length")
FULL_BAND_CELLS = 600_000     # below this many cells the whole matrix is searched
MIN_WIDTH = 32                # half-width of the first band (sentences)
SECOND_WIDTH = 16             # half-width of the band of the passes after the first
POSTERIOR_WIDTH = 12
MIN_KNOWN_PAIRS = 40          # sentence pairs that share a unique number
MAX_ROUNDS = 8
MIN_LEXICON_PAIRS = 12        # confident 1-1 links needed to learn a lexicon
# The lexicon's weight grows from 0 to full as its separation (the chance
# that a true pair scores above a neighbour, ``lexicon.separation``) goes
# from the floor to the full value.
SEPARATION_FLOOR = 0.6
SEPARATION_FULL = 0.85
# The guard's margin is full when the signals other than length separate true
# 1-1 pairs from their neighbours no better than UNRELIABLE, and 0 from RELIABLE.
UNRELIABLE = 0.95
RELIABLE = 0.999
MIN_MEASURED = 10
NOISE = 0.6       # at or below this, the length path is taken whole


@dataclass(frozen=True)
class Link:
    src: tuple[int, ...]   # source sentence indices (0-based, consecutive, may be empty)
    tgt: tuple[int, ...]
    confidence: float      # 0..1


def format_link(link: Link) -> str:
    """``[0, 1]:[0]``, the format of public alignment scorers; ``[]`` for an empty side."""
    return f"{list(link.src)}:{list(link.tgt)}"


def _paragraph_starts(paragraphs: Sequence[int] | None, n: int) -> np.ndarray:
    starts = np.zeros(n, dtype=bool)
    if paragraphs is not None and n:
        p = np.asarray(paragraphs)
        starts[1:] = p[1:] != p[:-1]
    return starts


def _paragraph_weight(src_starts: np.ndarray, tgt_starts: np.ndarray) -> float:
    """How much to trust paragraph boundaries: not at all when a side has
    none or has one per sentence (one sentence per line carries no
    structure), less when the two sides have different numbers of them."""
    counts = []
    for starts in (src_starts, tgt_starts):
        n = len(starts)
        k = int(starts.sum())
        if k == 0 or n < 2 or k >= 0.8 * (n - 1):
            return 0.0
        counts.append(k)
    return min(counts) / max(counts)


def _initial_band(n: int, m: int, sure_pairs: Sequence[tuple[int, int]] = ()) -> Band:
    """The whole matrix for small documents; otherwise a band around the
    line through the sure anchor pairs (or the diagonal)."""
    if (n + 1) * (m + 1) <= FULL_BAND_CELLS:
        return Band.everything(n, m)
    xs, ys = [0.0], [0.0]
    for i, j in _monotone_chain(sure_pairs):
        xs.append(i + 0.5)
        ys.append(j + 0.5)
    xs.append(float(n))
    ys.append(float(m))
    centre = np.interp(np.arange(n + 1), xs, ys)
    return Band.around(n, m, centre, MIN_WIDTH)


def _monotone_chain(pairs: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest chain of pairs increasing on both sides (patience sorting):
    the few anchor pairs that contradict the others are left out."""
    import bisect

    pairs = sorted(pairs)
    tails: list[int] = []        # smallest target ending a chain of each length
    tail_at: list[int] = []
    parent = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        pos = bisect.bisect_left(tails, j)
        if pos == len(tails):
            tails.append(j)
            tail_at.append(k)
        else:
            tails[pos], tail_at[pos] = j, k
        parent[k] = tail_at[pos - 1] if pos else -1
    chain, k = [], tail_at[-1] if tail_at else -1
    while k >= 0:
        chain.append(pairs[k])
        k = parent[k]
    return chain[::-1]


def _path_cells(links: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    cells = [(0, 0)]
    for _, i, j in links:
        cells.append((i, j))
    return cells


def _check_inputs(src: Sequence[str], tgt: Sequence[str], src_paragraphs, tgt_paragraphs, mt,
                  features: str) -> None:
    if features not in FEATURE_SETS:
        raise BadInputError(f"unknown alignment features {features!r}: use one of {', '.join(FEATURE_SETS)}")
    if src_paragraphs is not None and len(src_paragraphs) != len(src):
        raise BadInputError("source paragraphs must give one paragraph per source sentence")
    if tgt_paragraphs is not None and len(tgt_paragraphs) != len(tgt):
        raise BadInputError("target paragraphs must give one paragraph per target sentence")
    if mt is not None and len(mt) != len(src):
        raise BadInputError("the machine translation must have one sentence per source sentence")


def align(src: Sequence[str], tgt: Sequence[str], src_lang: str, tgt_lang: str, *,
          src_paragraphs: Sequence[int] | None = None, tgt_paragraphs: Sequence[int] | None = None,
          mt: Sequence[str] | None = None, features: str = "full",
          progress: ProgressFn = no_progress, cancelled: CancelledFn = never_cancelled,
          params: Params | None = None) -> list[Link]:
    """Align ``src`` and ``tgt`` sentences; every sentence is in exactly one
    link, in order.

    :param src: the source sentences.
    :param tgt: the target sentences.
    :param src_lang: the source language (documents the call: every feature
        is script- and language-independent).
    :param tgt_lang: the target language.
    :param src_paragraphs: the paragraph number of each source sentence, if known.
    :param tgt_paragraphs: the same for the target.
    :param mt: the MT of each source sentence into ``tgt_lang`` (direct or
        through a pivot), the strongest signal when given.
    :param features: ``"full"`` (default: length, anchors, a lexicon learned
        from the documents, MT when given), ``"anchors"`` (the same without the
        learned lexicon) or ``"length"`` (plain Gale-Church).
    :param progress: ``progress(fraction, message)``.
    :param cancelled: polled; when it returns True, ``Cancelled`` is raised.
    :param params: the weights of the cost model (``Params()`` by default)."""
    del src_lang, tgt_lang
    _check_inputs(src, tgt, src_paragraphs, tgt_paragraphs, mt, features)
    n, m = len(src), len(tgt)
    if n == 0 or m == 0:
        progress(1.0, "aligned")
        return [Link((i,), (), 1.0) for i in range(n)] + [Link((), (j,), 1.0) for j in range(m)]
    progress = _never_backwards(progress)   # a widened band runs the DP again
    model = _Model(src, tgt, src_paragraphs, tgt_paragraphs, mt, features, params or Params(), progress)
    links, band, moves, cost = model.fit(progress, cancelled)
    # Other alignments than the best one differ from it near its path: the
    # posteriors are computed in a narrow band around it, which is cheaper.
    # The costs of its cells are those of the fit's band, gathered (cells
    # outside that band cannot be used: +inf).
    band, moves, cost = _narrowed(band, moves, cost, _path_cells(links), POSTERIOR_WIDTH)
    confidence = posteriors(band, moves, cost, links, model.params.temperature, progress=progress,
                            cancelled=cancelled, share=(0.6, 0.4))
    progress(1.0, "aligned")
    out = []
    for (t, i, j), conf in zip(links, confidence):
        a, b = TYPES[t]
        out.append(Link(tuple(range(i - a, i)), tuple(range(j - b, j)), float(conf)))
    return out


def pair_costs(src: Sequence[str], tgt: Sequence[str], src_lang: str, tgt_lang: str,
               pairs: Sequence[tuple[int, int]] | np.ndarray, *, src_paragraphs: Sequence[int] | None = None,
               tgt_paragraphs: Sequence[int] | None = None, mt: Sequence[str] | None = None,
               features: str = "full", params: Params | None = None, margin: bool = False,
               progress: ProgressFn = no_progress,
               cancelled: CancelledFn = never_cancelled) -> np.ndarray:
    """The cost (lower is better, in the aligner's nats) of linking source
    sentence i with target sentence j as a 1-1 link, for every ``(i, j)`` of
    ``pairs``, under the model ``align`` would use with the same arguments
    (the length model, anchors, learned lexicon and MT, weighed for this
    document); what a similarity map should draw.

    :param src: the source sentences.
    :param tgt: the target sentences.
    :param src_lang: the source language.
    :param tgt_lang: the target language.
    :param pairs: (source index, target index) pairs, 0-based (a sequence
        of pairs or an array of shape (k, 2)).
    :param src_paragraphs: as for ``align``.
    :param tgt_paragraphs: as for ``align``.
    :param mt: as for ``align``.
    :param features: as for ``align``.
    :param params: as for ``align``.
    :param margin: instead of the cost, how much cheaper the 1-1 link is than
        leaving both sentences unlinked, ``cost(1-0) + cost(0-1) - cost(1-1)``
        (higher: more alike).
    :param progress: ``progress(fraction, message)``.
    :param cancelled: polled; when it returns True, ``Cancelled`` is raised."""
    del src_lang, tgt_lang
    _check_inputs(src, tgt, src_paragraphs, tgt_paragraphs, mt, features)
    n, m = len(src), len(tgt)
    given = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    rows, cols = given[:, 0] + 1, given[:, 1] + 1
    if len(rows) and (rows.min() < 1 or rows.max() > n or cols.min() < 1 or cols.max() > m):
        raise BadInputError("a sentence pair is outside the documents")
    if not len(rows):
        return np.zeros(0)
    model = _fitted(src, tgt, src_paragraphs, tgt_paragraphs, mt, features, params or Params(),
                    _never_backwards(progress), cancelled)
    lo = np.full(n + 1, m, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    np.minimum.at(lo, rows, cols)
    np.maximum.at(hi, rows, cols)
    band = Band.from_bounds(n, m, lo, hi)
    with model.lock:     # a kept model may be asked from two threads: it caches the band's features
        cost = model.costs(band)
    progress(1.0, "scored")
    at = band.index_of(rows, cols)
    one = cost[TYPES.index((1, 1)), at].astype(np.float64)
    if not margin:
        return one
    return cost[TYPES.index((1, 0)), at].astype(np.float64) + cost[TYPES.index((0, 1)), at] - one


_LAST_FIT: list = []      # [(inputs, model)]: the last model ``pair_costs`` fitted
_LAST_FIT_LOCK = threading.Lock()


def _fitted(src, tgt, src_paragraphs, tgt_paragraphs, mt, features: str, params: Params,
            progress: ProgressFn, cancelled: CancelledFn) -> _Model:
    """The model fitted to these inputs; the last one is kept, as an
    alignment map asks again for the same documents after every edit of
    their links (the texts, not the links, make the model)."""
    inputs = (tuple(src), tuple(tgt), None if src_paragraphs is None else tuple(src_paragraphs),
              None if tgt_paragraphs is None else tuple(tgt_paragraphs), None if mt is None else tuple(mt),
              features, params)
    with _LAST_FIT_LOCK:
        if _LAST_FIT and _LAST_FIT[0][0] == inputs:
            return _LAST_FIT[0][1]
    model = _Model(src, tgt, src_paragraphs, tgt_paragraphs, mt, features, params, progress)
    model.fit(progress, cancelled)
    with _LAST_FIT_LOCK:
        _LAST_FIT[:] = [(inputs, model)]
    return model


class _Model:
    """The cost model of one document pair, fitted by ``fit`` (the length
    model, the weights of the signals, the learned lexicon)."""

    def __init__(self, src, tgt, src_paragraphs, tgt_paragraphs, mt, features: str, params: Params,
                 progress: ProgressFn) -> None:
        n, m = len(src), len(tgt)
        self.n, self.m = n, m
        self.full = full = features != "length"
        self.learn = features == "full"
        self.src, self.tgt = src, tgt
        progress(0.0, "reading sentences")
        self.src_len = np.array([len(s.strip()) for s in src], dtype=np.float64)
        self.tgt_len = np.array([len(t.strip()) for t in tgt], dtype=np.float64)
        if full:
            weights = params.anchors
            self.src_tab, self.tgt_tab, self.keys = anchor_tables(document_anchors(src, weights),
                                                                  document_anchors(tgt, weights))
            src_pen, tgt_pen = self.src_tab.penalty_per_sentence(n), self.tgt_tab.penalty_per_sentence(m)
            src_starts = _paragraph_starts(src_paragraphs, n)
            tgt_starts = _paragraph_starts(tgt_paragraphs, m)
            self.para_weight = _paragraph_weight(src_starts, tgt_starts)
        else:
            src_pen, tgt_pen = np.zeros(n), np.zeros(m)
            src_starts, tgt_starts = np.zeros(n, dtype=bool), np.zeros(m, dtype=bool)
            self.para_weight = 0.0
            params = replace(GALE_CHURCH, temperature=params.temperature)
        self.params = params
        self.sketches = sketch_pair([t or "" for t in mt], list(tgt)) if (full and mt is not None) else None
        self.src_side = SideData(self.src_len, src_pen, src_starts)
        self.tgt_side = SideData(self.tgt_len, tgt_pen, tgt_starts)
        self.mt_scale: tuple[float, float] | None = None
        self.mt_weight = params.mt_weight     # set by the MT's separation in this document
        self.mt_separation = 1.0
        self.base: list[tuple[int, int, int]] = []    # Gale-Church's path
        self.lock = threading.Lock()
        self._cached: tuple | None = None
        self.lexicon: tuple | None = None
        self.lexicon_weight = 0.0
        self.lexicon_scale: tuple[float, float] | None = None
        self.separation = 0.5
        self.guarded = 0
        self.reliability = self.noise = 1.0
        self.length = LengthModel.initial(self.src_len, self.tgt_len)

    def pair_data(self, band: Band) -> PairData:
        if not self.full:
            zero = np.zeros(band.size + 1)
            return PairData(zero, zero)
        if self._cached is None or self._cached[0] is not band:
            # the anchors and MT overlaps of a band do not change between passes
            mt = sketch_overlaps(band, self.sketches) if self.sketches is not None else None
            self._cached = (band, anchor_overlaps(band, self.src_tab, self.tgt_tab), mt)
        _, (reward, resolved), overlap = self._cached
        sims = []
        if self.sketches is not None and self.mt_weight > 0:
            if self.mt_scale is None:   # from the first (widest) band: mostly unrelated pairs
                self.mt_scale = _similarity_scale(band, overlap, self.sketches)
            sims.append(_similarity(overlap, self.sketches, self.mt_scale, self.mt_weight,
                                    self.params.mt_offset))
        if self.lexicon is not None and self.lexicon_weight > 0:
            sims.append(self._lexicon_similarity(band))
        return PairData(reward, resolved, tuple(sims))

    def _lexicon_similarity(self, band: Band) -> Similarity:
        left, right, src_mass, tgt_mass = self.lexicon
        overlap, _ = anchor_overlaps(band, left, right)
        masses = Sketches(np.zeros((0, 0)), np.zeros((0, 0)), src_mass, tgt_mass)
        if self.lexicon_scale is None:
            self.lexicon_scale = _similarity_scale(band, overlap, masses)
        return _similarity(overlap, masses, self.lexicon_scale, self.lexicon_weight, self.params.mt_offset)

    def costs(self, band: Band, pairs: PairData | None = None) -> np.ndarray:
        return build_costs(band, self.src_side, self.tgt_side, pairs or self.pair_data(band), self.length,
                           self.params, self.para_weight)

    def fit(self, progress: ProgressFn, cancelled: CancelledFn):
        """The best path and what it was found with: (links, band, moves, costs)."""
        n, m = self.n, self.m
        progress(0.1, "aligning")
        sure = unique_number_pairs(self.src_tab, self.tgt_tab, self.keys) if self.full else []
        known = len(sure) >= MIN_KNOWN_PAIRS
        if known:   # lengths of sure 1-1 pairs: no need for a first pass to learn them
            self.length = LengthModel.estimate([(self.src_len[i], self.tgt_len[j]) for i, j in sure],
                                               self.length)
        band = _initial_band(n, m, sure)
        moves = Moves.of(band)
        if self.full and (self.params.guard_margin > 0 or self.sketches is not None):
            # Gale-Church's path: the guard's baseline, and where the MT's
            # separation is measured
            self.base = self._gale_church(band, moves, progress, cancelled)
        if self.sketches is not None:
            self.mt_separation = self._mt_separation()
            self.mt_weight = self.params.mt_weight * float(np.clip(
                (self.mt_separation - SEPARATION_FLOOR) / (SEPARATION_FULL - SEPARATION_FLOOR), 0.0, 1.0))
        width = MIN_WIDTH
        for round_ in range(MAX_ROUNDS):
            if round_:
                moves = Moves.of(band)
            pairs = self.pair_data(band)
            cost = self.costs(band, pairs)
            links = viterbi(band, moves, cost, progress=progress, cancelled=cancelled, share=(0.1, 0.3))
            if round_ == 0 and not known:   # learn the length model from a first alignment
                refined = LengthModel.estimate(_one_to_one_lengths(links, self.src_len, self.tgt_len),
                                               self.length)
                if refined.differs_from(self.length):
                    self.length = refined
                    cost = self.costs(band, pairs)
                    links = viterbi(band, moves, cost, progress=progress, cancelled=cancelled,
                                    share=(0.4, 0.1))
            cells = _path_cells(links)
            if band.full or not band.touches_edge(cells, margin=4):
                break
            # Re-centre the band on the path first (it may only have drifted),
            # then widen it each time the path still reaches an edge.
            width = width * 2 if round_ else width
            band = Band.around_path(n, m, cells, width)
        if not band.full:
            # The passes that follow (the lexicon's, the guard's) depart from
            # this path only locally: a narrower band around it (the costs
            # of its cells gathered) halves their work.
            wide = (band, moves, cost)
            band, moves, cost = _narrowed(band, moves, cost, cells, SECOND_WIDTH)
        if self.learn and self._learn_lexicon(links):
            if cancelled():
                raise Cancelled("alignment cancelled")
            # the same length model: only what the lexicon earns is added
            lexical = self._lexicon_similarity(band)
            zero = np.zeros(band.size + 1)
            with_lexicon = cost + build_costs(band, self.src_side, self.tgt_side,
                                              PairData(zero, zero, (lexical,)), self.length, self.params,
                                              0.0, base=False)
            found = viterbi(band, moves, with_lexicon, progress=progress, cancelled=cancelled,
                            share=(0.5, 0.1))
            if not band.full and band.touches_edge(_path_cells(found), margin=4):
                band, moves, cost = wide      # it went further: in the first pass's band
                lexical = self._lexicon_similarity(band)
                zero = np.zeros(band.size + 1)
                with_lexicon = cost + build_costs(band, self.src_side, self.tgt_side,
                                                  PairData(zero, zero, (lexical,)), self.length,
                                                  self.params, 0.0, base=False)
                found = viterbi(band, moves, with_lexicon, progress=progress, cancelled=cancelled,
                                share=(0.5, 0.1))
            links, cost = found, with_lexicon
        if self.full and self.params.guard_margin > 0:
            links = self._guard(links, band, moves, cost, progress, cancelled)
        return links, band, moves, cost

    def _gale_church(self, band: Band, moves: Moves, progress: ProgressFn, cancelled: CancelledFn
                     ) -> list[tuple[int, int, int]]:
        """The plain Gale-Church path in ``band`` as ``features="length"``
        finds it, with its own length model (the full model's may come from a
        path misleading signals bent)."""
        zero = np.zeros(band.size + 1)
        src_side = SideData(self.src_len, np.zeros(self.n), np.zeros(self.n, dtype=bool))
        tgt_side = SideData(self.tgt_len, np.zeros(self.m), np.zeros(self.m, dtype=bool))
        gale_church = replace(GALE_CHURCH, temperature=self.params.temperature)
        first = LengthModel.initial(self.src_len, self.tgt_len)
        plain = build_costs(band, src_side, tgt_side, PairData(zero, zero), first, gale_church, 0.0)
        base = viterbi(band, moves, plain, progress=progress, cancelled=cancelled, share=(0.1, 0.05))
        own = LengthModel.estimate(_one_to_one_lengths(base, self.src_len, self.tgt_len), first)
        if own.differs_from(first):
            plain = build_costs(band, src_side, tgt_side, PairData(zero, zero), own, gale_church, 0.0)
            base = viterbi(band, moves, plain, progress=progress, cancelled=cancelled, share=(0.15, 0.05))
        return base

    def _mt_separation(self) -> float:
        """How well the MT tells Gale-Church's confident 1-1 pairs from the
        pairs of their source with the target's neighbours (ROC AUC of the
        MT's Dice); 1 (trusted) with too few pairs to tell."""
        sure = _confident(self.base)
        if len(sure) < MIN_MEASURED:
            return 1.0
        sk = self.sketches
        rows = np.array([i - 1 for i, _ in sure], dtype=np.int64)
        cols = np.array([j - 1 for _, j in sure], dtype=np.int64)

        def dice(r, c):
            overlap = np.einsum("ij,ij->i", sk.left[r], sk.right[c])
            return 2 * overlap / np.maximum(sk.left_weight[r] + sk.right_weight[c], 1e-9)
        true = dice(rows, cols)
        wins = total = 0.0
        for d in (-2, -1, 1, 2):
            ok = (cols + d >= 0) & (cols + d < self.m)
            other = dice(rows[ok], cols[ok] + d)
            wins += float((true[ok] > other).sum() + 0.5 * (true[ok] == other).sum())
            total += int(ok.sum())
        return wins / total if total else 1.0

    def _guard(self, links, band: Band, moves: Moves, cost: np.ndarray, progress: ProgressFn,
               cancelled: CancelledFn) -> list[tuple[int, int, int]]:
        """Never worse than length alone where the other signals are weak.

        The plain Gale-Church path (in the same band, with its own length
        model, as ``features="length"`` finds it) is found too.  What the
        signals other than length say about a 1-1 pair is its cost less its
        length part; how well that separates a pair from the pairs of its
        source with the target's neighbours (ROC AUC, ``_reliability``)
        is measured twice: on Gale-Church's confident 1-1 links (between two
        other 1-1 links: chosen by length alone, they do not flatter the
        signals) and on the 1-1 links both paths share.  At ``NOISE`` or
        below on the first, the length path is taken whole.  Otherwise,
        wherever the two paths part, the stretch of the full model's path is
        kept only if the full model prefers it by a margin, else the length
        path's stretch is taken (both start and end at the same cells); the
        margin is ``Params.guard_margin`` when the second measure is at
        ``UNRELIABLE`` or below and shrinks to 0 at ``RELIABLE``."""
        base = self.base
        # measured on Gale-Church's own confident links: chosen by length
        # alone, they do not flatter the other signals
        sure = _confident(base)
        rows, cols = band.rows_cols()
        ok = (rows >= 1) & (cols >= 1)
        signal = np.full(band.size + 1, np.inf)
        # the 1-1 cost less its length part: what the other signals say
        signal[:-1][ok] = cost[0, :-1][ok] - self.params.length_weight * self.length.cost(
            self.src_len[rows[ok] - 1], self.tgt_len[cols[ok] - 1])
        self.noise = _reliability(band, signal, sure)
        agreed = sorted({(i, j) for t, i, j in links if t == 0} & {(i, j) for t, i, j in base if t == 0})
        self.reliability = _reliability(band, signal, agreed)
        if self.noise <= NOISE:      # the signals are noise here: length alone
            self.guarded = -1
            return base
        weak = float(np.clip((RELIABLE - self.reliability) / (RELIABLE - UNRELIABLE), 0.0, 1.0))
        margin = self.params.guard_margin * weak
        if margin <= 0:
            return links
        out, self.guarded = _arbitrate(links, base, lambda t, i, j: float(cost[t, band.cell(i, j)]), margin)
        return out

    def _learn_lexicon(self, links: list[tuple[int, int, int]]) -> bool:
        """Learn the word table from the confident links of a first alignment
        (1-1 links between two other 1-1 links); False when it does not
        separate true pairs from their neighbours in this document."""
        types = [t for t, _, _ in links]
        pairs = [(i - 1, j - 1) for k, (t, i, j) in enumerate(links)
                 if t == 0 and (k == 0 or types[k - 1] == 0) and (k + 1 == len(links) or types[k + 1] == 0)]
        if len(pairs) < MIN_LEXICON_PAIRS:
            return False
        src_words, tgt_words = lexicon.words(self.src), lexicon.words(self.tgt)
        table, first, second, split = lexicon.learn(src_words, tgt_words, pairs)
        self.separation = lexicon.separation(src_words, tgt_words, (first, second), split)
        strength = float(np.clip((self.separation - SEPARATION_FLOOR) / (SEPARATION_FULL - SEPARATION_FLOOR),
                                 0.0, 1.0))
        self.lexicon_weight = self.params.lexicon_weight * strength
        if self.lexicon_weight <= 0:
            return False
        self.lexicon = lexicon.expansions(src_words, tgt_words, table)
        return True


def _narrowed(band: Band, moves: Moves, cost: np.ndarray, cells: list[tuple[int, int]], width: int
              ) -> tuple[Band, Moves, np.ndarray]:
    """The part of ``band`` within ``width`` sentences of a path's cells,
    its moves, and its costs gathered from ``cost`` (``band``'s); ``band``
    itself when that is not smaller, or when the narrow band would need
    cells outside it (a row must reach the next: rare)."""
    near = Band.around_path(band.n, band.m, cells, width)
    near = Band.from_bounds(band.n, band.m, np.maximum(near.lo, band.lo), np.minimum(near.hi, band.hi))
    if near.size >= band.size:
        return band, moves, cost
    rows, cols = near.rows_cols()
    where = band.index_of(rows, cols)
    if (where == band.size).any():
        return band, moves, cost
    return near, Moves.of(near), cost[:, np.append(where, band.size)]


def _confident(path: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """The cells of a path's 1-1 links that sit between two other 1-1 links."""
    return [(i, j) for k, (t, i, j) in enumerate(path)
            if t == 0 and 0 < k < len(path) - 1 and path[k - 1][0] == 0 and path[k + 1][0] == 0]


def _reliability(band: Band, signal: np.ndarray, agreed: list[tuple[int, int]]) -> float:
    """The chance that ``signal`` (per band cell, lower = more alike) is
    lower at an agreed 1-1 cell (i, j) than at (i, j +- 1) and (i, j +- 2)
    (ROC AUC).  With fewer than ``MIN_MEASURED`` cells (a short document)
    it cannot be told: 1, the signals are trusted as on the development set."""
    if len(agreed) < MIN_MEASURED:
        return 1.0
    rows = np.array([i for i, _ in agreed], dtype=np.int64)
    cols = np.array([j for _, j in agreed], dtype=np.int64)
    true = signal[band.index_of(rows, cols)]
    wins = total = 0.0
    for d in (-2, -1, 1, 2):
        other = signal[band.index_of(rows, cols + d)]
        ok = np.isfinite(other) & np.isfinite(true) & (cols + d >= 1) & (cols + d <= band.m)
        wins += float((true[ok] < other[ok]).sum() + 0.5 * (true[ok] == other[ok]).sum())
        total += int(ok.sum())
    return wins / total if total else 0.5


def _arbitrate(chosen: list[tuple[int, int, int]], base: list[tuple[int, int, int]], cost,
               margin: float) -> tuple[list[tuple[int, int, int]], int]:
    """Merge two paths (lists of (type, i, j) links ending at cell (i, j)):
    between consecutive cells both go through, keep ``chosen``'s links when
    their total ``cost(t, i, j)`` is lower than ``base``'s by ``margin`` or
    more, else take ``base``'s.  Returns the path and how many stretches
    were taken from ``base``."""
    out: list[tuple[int, int, int]] = []
    taken = 0
    where = {(i, j): k for k, (_, i, j) in enumerate(base)}
    sa = sb = 0
    for k, (_, i, j) in enumerate(chosen):
        kb = where.get((i, j))
        if kb is None:
            continue
        seg_a, seg_b = chosen[sa:k + 1], base[sb:kb + 1]
        sa, sb = k + 1, kb + 1
        if seg_a == seg_b or sum(cost(*x) for x in seg_b) - sum(cost(*x) for x in seg_a) >= margin:
            out += seg_a
        else:
            out += seg_b
            taken += 1
    return out, taken


def _never_backwards(progress: ProgressFn) -> ProgressFn:
    done = [0.0]

    def report(fraction: float, message: str) -> None:
        done[0] = max(done[0], fraction)
        progress(done[0], message)
    return report


def _one_to_one_lengths(links, src_len, tgt_len) -> list[tuple[float, float]]:
    return [(src_len[i - 1], tgt_len[j - 1]) for t, i, j in links if TYPES[t] == (1, 1)]


def _similarity(overlap: np.ndarray, sketches: Sketches, scale: tuple[float, float], weight: float,
                offset: float) -> Similarity:
    unit = float(np.concatenate([sketches.left_weight, sketches.right_weight]).mean()) or 1.0
    return Similarity(overlap, cumulative(sketches.left_weight), cumulative(sketches.right_weight),
                      scale, unit, weight, offset)


def _similarity_scale(band: Band, overlap: np.ndarray, sketches) -> tuple[float, float]:
    """Dice of unrelated sentence pairs (the median cell) and of true pairs
    (the median of each row's best cell)."""
    rows, cols = band.rows_cols()
    ok = (rows >= 1) & (cols >= 1)
    weight = sketches.left_weight[rows[ok] - 1] + sketches.right_weight[cols[ok] - 1]
    dice = 2 * overlap[:-1][ok] / np.maximum(weight, 1e-9)
    low = float(np.median(dice))
    row_best = np.full(band.n + 1, -np.inf)
    np.maximum.at(row_best, rows[ok], dice)
    high = float(np.median(row_best[1:][np.isfinite(row_best[1:])]))
    return low, max(high, low + 0.05)
