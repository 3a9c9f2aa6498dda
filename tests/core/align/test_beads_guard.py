"""Links with several sentences on both sides (2-3, 3-2), how similarities
score them, and the guard that keeps a document where the signals other than
length are weak at the quality of length alone."""
from __future__ import annotations

import random

import numpy as np

from workbench.core.align import Link, _arbitrate, align
from workbench.core.align.costs import _splits
from workbench.core.align.dp import TYPES
from workbench.testing.align_scores import flatten, read_gold, strict_scores
from workbench.testing.alignments import simulated_mt
from tests.conftest import REPO as REPO_ROOT

_FILLER = "alpha beta gamma delta epsilon zeta theta kappa lambda sigma omega".split()
_CIBLE = "uno dos tres cuatro cinco seis siete ocho nueve diez once".split()
_NAMES = ["Arnold", "Bertha", "Casimir", "Dorothea", "Egon", "Frieda", "Gustav", "Hedwig", "Ignaz",
          "Johanna", "Konrad", "Leopold", "Mathilde", "Norbert", "Ottilie", "Pankraz", "Quirin",
          "Rosalie", "Severin", "Theodor", "Ulrich", "Veronika", "Walburga", "Xaver"]


def _words(rng: random.Random, vocabulary: list[str], chars: int) -> str:
    out: list[str] = []
    while sum(len(w) + 1 for w in out) < chars:
        out.append(rng.choice(vocabulary))
    return " ".join(out)


def _pair(rng: random.Random, k: int, chars: int) -> tuple[str, str]:
    """A sentence and its 'translation': the same name and number, other words."""
    name, number = _NAMES[k % len(_NAMES)], 100 + 37 * k
    return (f"{name} {_words(rng, _FILLER, chars)} {number}.",
            f"{name} {_words(rng, _CIBLE, chars)} {number}.")


def test_every_link_type_has_a_prior_and_gale_church_keeps_its_own():
    from workbench.core.align.costs import GALE_CHURCH, Params

    assert len(Params().priors) == len(GALE_CHURCH.priors) == len(TYPES)
    assert {(3, 2), (2, 3)} <= set(TYPES)
    # 4-1 and 1-4 are 0.05% of the dev set's gold and did not help there
    assert not {(4, 1), (1, 4)} & set(TYPES)
    # the baseline is plain Gale-Church: none of the link types it did not have
    extra = [GALE_CHURCH.priors[TYPES.index(t)] for t in ((3, 2), (2, 3))]
    assert all(np.isinf(extra))


def test_splits_of_a_link_have_one_sentence_on_a_side_of_each_part():
    assert _splits(1, 3) == [((range(1), range(3)),)]
    two_two = _splits(2, 2)
    assert len(two_two) == 2        # straight and crossed
    for a, b in ((2, 2), (3, 2), (2, 3)):
        for parts in _splits(a, b):
            assert sorted(i for ps, _ in parts for i in ps) == list(range(a))
            assert sorted(j for _, pt in parts for j in pt) == list(range(b))
            assert all(min(len(ps), len(pt)) == 1 for ps, pt in parts)


def test_a_two_three_link_is_found():
    """Two source sentences rendered as three whose boundaries fall
    elsewhere (60 + 60 characters against 30 + 60 + 30): no 1-1 / 1-2 split
    fits the lengths, the 2-3 link does."""
    rng = random.Random(3)
    src, tgt = [], []
    for k in range(12):
        a, b = _pair(rng, k, rng.randint(40, 120))
        src.append(a)
        tgt.append(b)
    at = len(src)
    src += [_words(rng, _FILLER, 60) + ".", _words(rng, _FILLER, 60) + "."]
    tgt += [_words(rng, _CIBLE, 30) + ".", _words(rng, _CIBLE, 60) + ".", _words(rng, _CIBLE, 30) + "."]
    for k in range(12, 24):
        a, b = _pair(rng, k, rng.randint(40, 120))
        src.append(a)
        tgt.append(b)
    found = {(ln.src, ln.tgt) for ln in align(src, tgt, "de", "fr")}
    assert ((at, at + 1), (at, at + 1, at + 2)) in found
    assert ((0,), (0,)) in found and ((len(src) - 1,), (len(tgt) - 1,)) in found


def test_arbitrate_takes_the_base_stretch_unless_the_chosen_one_wins_by_the_margin():
    # two paths through a 3 x 3 matrix that part after (1, 1) and meet at (3, 3)
    chosen = [(0, 1, 1), (5, 3, 3)]                  # 1-1 then 2-2
    base = [(0, 1, 1), (0, 2, 2), (0, 3, 3)]         # three 1-1
    costs = {(5, 3, 3): 1.0, (0, 2, 2): 1.0, (0, 3, 3): 1.5, (0, 1, 1): 0.0}

    def cost(t, i, j):
        return costs[t, i, j]

    assert _arbitrate(chosen, base, cost, margin=2.0) == (base, 1)        # wins by 1.5 only
    assert _arbitrate(chosen, base, cost, margin=1.5) == (chosen, 0)
    assert _arbitrate(base, base, cost, margin=9.0) == (base, 0)


def _weak_signal_document(seed: int):
    """Sentences whose anchors say nothing (the same few names and numbers
    everywhere, at random) and whose lengths are a noisy translation; some
    target sentences merged (2-1)."""
    rng = random.Random(seed)
    src, tgt, gold = [], [], []
    k = 0
    while k < 160:
        chars = int(rng.lognormvariate(4.3, 0.5))
        def noise(text: str) -> str:
            extra = " ".join(rng.choice(["Joseph 7", "Maria 3", "Joseph", "Maria 7", "3"])
                             for _ in range(rng.randint(0, 2)))
            return f"{text} {extra}".strip() + "."
        s = noise(_words(rng, _FILLER, chars))
        if rng.random() < 0.12 and k + 1 < 160:
            s2 = noise(_words(rng, _FILLER, int(rng.lognormvariate(4.3, 0.5))))
            t = noise(_words(rng, _CIBLE, int((len(s) + len(s2)) * rng.uniform(0.8, 1.2))))
            gold.append(((len(src), len(src) + 1), (len(tgt),)))
            src += [s, s2]
            tgt.append(t)
            k += 2
        else:
            gold.append(((len(src),), (len(tgt),)))
            src.append(s)
            tgt.append(noise(_words(rng, _CIBLE, int(len(s) * rng.uniform(0.7, 1.3)))))
            k += 1
    return src, tgt, gold


def test_the_guard_keeps_a_weak_signal_document_at_length_quality():
    for seed in (1, 2, 3):
        src, tgt, gold = _weak_signal_document(seed)
        full = strict_scores(gold, align(src, tgt, "en", "es")).f1
        length = strict_scores(gold, align(src, tgt, "en", "es", features="length")).f1
        assert full >= length - 1e-9, (seed, full, length)


def test_links_cover_every_sentence_once_with_the_new_link_types():
    rng = random.Random(5)
    src = [_words(rng, _FILLER, rng.randint(10, 150)) + "." for _ in range(90)]
    tgt = [_words(rng, _CIBLE, rng.randint(10, 150)) + "." for _ in range(70)]
    links = align(src, tgt, "en", "es")
    assert all(isinstance(ln, Link) for ln in links)
    assert [i for ln in links for i in ln.src] == list(range(90))
    assert [j for ln in links for j in ln.tgt] == list(range(70))


def test_an_mt_that_does_not_separate_is_not_used():
    """An MT of other sentences (shuffled) tells true pairs from neighbours
    no better than chance: its weight is 0 and the alignment is the one
    found without it; the right MT is weighed in full."""
    from workbench.core.align import _Model, Params
    from workbench.core.progress import never_cancelled, no_progress

    links = read_gold(REPO_ROOT / "tests" / "data" / "align" / "news_rail.tsv")
    src, tgt, _, _, gold = flatten(links)
    mt = simulated_mt(links, random.Random(7))
    shuffled = list(mt)
    random.Random(4).shuffle(shuffled)
    for given, weighed in ((mt, True), (shuffled, False)):
        model = _Model(src, tgt, None, None, given, "full", Params(), no_progress)
        model.fit(no_progress, never_cancelled)
        assert (model.mt_weight == Params().mt_weight) if weighed else (model.mt_weight == 0.0), \
            (weighed, model.mt_separation)
    assert ([(ln.src, ln.tgt) for ln in align(src, tgt, "en", "ru", mt=shuffled)]
            == [(ln.src, ln.tgt) for ln in align(src, tgt, "en", "ru")])


def test_costs_with_similarities_are_those_without_plus_what_they_earn():
    """The lexicon's pass adds ``build_costs(..., base=False)`` to the first
    pass's costs: the sum is what costing everything at once gives."""
    from workbench.core.align import _Model, Params
    from workbench.core.align.costs import PairData, build_costs
    from workbench.core.progress import never_cancelled, no_progress

    links = read_gold(REPO_ROOT / "tests" / "data" / "align" / "news_rail.tsv")
    src, tgt, _, _, _ = flatten(links)
    model = _Model(src, tgt, None, None, simulated_mt(links, random.Random(7)), "full", Params(), no_progress)
    _, band, _, _ = model.fit(no_progress, never_cancelled)
    pairs = model.pair_data(band)
    assert len(pairs.similarities) == 2      # the MT and the lexicon
    args = (band, model.src_side, model.tgt_side)
    whole = build_costs(*args, pairs, model.length, model.params, 0.0)
    without = build_costs(*args, PairData(pairs.reward, pairs.resolved), model.length, model.params, 0.0)
    earned = build_costs(*args, PairData(pairs.reward, pairs.resolved, pairs.similarities), model.length,
                         model.params, 0.0, base=False)
    finite = np.isfinite(whole)
    assert (finite == np.isfinite(without + earned)).all()
    assert np.allclose(whole[finite], (without + earned)[finite], atol=1e-3)


def test_a_narrowed_band_is_gathered_from_cells_of_the_wider_one():
    from workbench.core.align import _narrowed
    from workbench.core.align.band import Band
    from workbench.core.align.dp import Moves, viterbi

    rng = np.random.default_rng(3)
    n, m = 400, 380
    wide = Band.around(n, m, np.linspace(0, m, n + 1), 20)
    cost = rng.uniform(0, 5, (len(TYPES), wide.size + 1)).astype(np.float32)
    cost[:, -1] = np.inf
    rows, cols = wide.rows_cols()
    for t, (a, b) in enumerate(TYPES):
        cost[t, :-1][(rows < a) | (cols < b)] = np.inf
    path = viterbi(wide, Moves.of(wide), cost)
    cells = [(0, 0)] + [(i, j) for _, i, j in path]
    near, moves, gathered = _narrowed(wide, Moves.of(wide), cost, cells, 5)
    assert near.size < wide.size
    r, c = near.rows_cols()
    assert (wide.index_of(r, c) < wide.size).all()          # no cell outside the wide band
    assert np.array_equal(gathered[:, :-1], cost[:, wide.index_of(r, c)])
    assert viterbi(near, moves, gathered) == path            # the path is still the best
