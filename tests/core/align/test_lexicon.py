"""The lexicon learned from the documents, the public 1-1 cost and the
Vecalign-style strict/lax scores."""
from __future__ import annotations

import random

import numpy as np

from workbench.core.align import align, lexicon, pair_costs
from workbench.testing.align_scores import flatten, read_gold, vecalign_counts
from tests.conftest import REPO as REPO_ROOT

WORDS = "river city market winter council bridge report school harbour station".split()
SLOVA = "река город рынок зима совет мост доклад школа гавань вокзал".split()


def pseudo_pairs(count: int, seed: int = 1):
    rng = random.Random(seed)
    src, tgt = [], []
    for _ in range(count):
        picks = [rng.randrange(len(WORDS)) for _ in range(rng.randint(3, 8))]
        src.append(" ".join(WORDS[p] for p in picks) + ".")
        tgt.append(" ".join(SLOVA[p] for p in picks) + ".")
    return src, tgt


def test_ibm1_learns_word_translations_from_sentence_pairs():
    src, tgt = pseudo_pairs(200)
    s, t = lexicon.words(src), lexicon.words(tgt)
    table, first, second, split = lexicon.learn(s, t, [(i, i) for i in range(200)])
    # the word ids follow first appearance: rebuild them the way ``words`` does
    index_s, index_t = {}, {}
    for text in src:
        for w in text.lower().rstrip(".").split():
            index_s.setdefault(w[:lexicon.STEM], len(index_s))
    for text in tgt:
        for w in text.lower().rstrip(".").split():
            index_t.setdefault(w[:lexicon.STEM], len(index_t))
    for w, r in zip(WORDS, SLOVA):
        e = np.full(len(SLOVA), index_s[w[:lexicon.STEM]])
        f = np.array([index_t[x[:lexicon.STEM]] for x in SLOVA])
        scores = table.lookup(e, f)
        assert SLOVA[int(scores.argmax())] == r
    assert split.shape == (3, 200) and set(split[2].tolist()) == {0, 1}


def test_separation_is_high_for_a_real_lexicon_and_chance_for_shuffled_pairs():
    src, tgt = pseudo_pairs(300)
    s, t = lexicon.words(src), lexicon.words(tgt)
    _, first, second, split = lexicon.learn(s, t, [(i, i) for i in range(300)])
    assert lexicon.separation(s, t, (first, second), split) > 0.9
    rng = random.Random(3)
    wrong = list(range(300))
    rng.shuffle(wrong)
    _, first, second, split = lexicon.learn(s, t, [(i, wrong[i]) for i in range(300)])
    assert lexicon.separation(s, t, (first, second), split) < 0.65


def test_pair_costs_prefer_true_pairs():
    links = read_gold(REPO_ROOT / "tests" / "data" / "align" / "news_rail.tsv")
    src, tgt, _, _, gold = flatten(links)
    true = [(s[0], t[0]) for s, t in gold if len(s) == 1 and len(t) == 1]
    shifted = [(i, j + 1) for i, j in true if j + 1 < len(tgt)]
    costs = pair_costs(src, tgt, "en", "ru", true + shifted)
    assert np.median(costs[:len(true)]) < np.median(costs[len(true):]) - 2.0
    assert len(costs) == len(true) + len(shifted)


def test_feature_sets_all_run():
    src, tgt = pseudo_pairs(40)
    for features in ("full", "anchors", "length"):
        links = align(src, tgt, "en", "ru", features=features)
        assert [(ln.src, ln.tgt) for ln in links] == [((i,), (i,)) for i in range(40)]


def test_vecalign_scores_strict_and_lax():
    gold = [((0,), (0,)), ((1, 2), (1,)), ((3,), ()), ((4,), (2,))]
    test = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), ()), ((4,), (3,))]
    counts = vecalign_counts(gold, test)
    # precision over all 5 test links: 2 exact, (1):(1) overlaps gold (1,2):(1)
    assert (counts.p_strict, counts.p_total, counts.p_lax) == (2, 5, 3)
    # recall over the 3 gold links with both sides: 1 exact, (1,2):(1) found in part
    assert (counts.r_strict, counts.r_total, counts.r_lax) == (1, 3, 2)
    assert abs(counts.strict.f1 - 2 * 0.4 * (1 / 3) / (0.4 + 1 / 3)) < 1e-9
    total = counts + counts
    assert total.strict.f1 == counts.strict.f1


def test_pair_margins_are_higher_for_true_pairs():
    """``margin=True``: cost(1-0) + cost(0-1) - cost(1-1), what the alignment map draws."""
    links = read_gold(REPO_ROOT / "tests" / "data" / "align" / "homecoming.tsv")
    src, tgt, _, _, gold = flatten(links)
    true = [(s[0], t[0]) for s, t in gold if len(s) == 1 and len(t) == 1]
    shifted = [(i, j + 2) for i, j in true if j + 2 < len(tgt)]
    margins = pair_costs(src, tgt, "en", "ru", np.array(true + shifted), margin=True)
    costs = pair_costs(src, tgt, "en", "ru", true + shifted)
    assert np.median(margins[:len(true)]) > np.median(margins[len(true):]) + 2.0
    # the same pairs, the same model: a lower cost is a higher margin, row by row
    assert np.corrcoef(margins, costs)[0, 1] < -0.5
