"""The sentence aligner on hand-made en-ru parallel texts with gold links.

The texts (tests/data/align/*.tsv) are real translations written for these
tests; variants derived from them merge, split, drop and insert target
sentences, and the gold follows.  Scores are strict F1 (a link counts only if
both of its sides match a gold link exactly), as public evaluation scripts
compute it.  "length" is plain Gale-Church, the baseline.
"""
from __future__ import annotations

from tests.conftest import REPO as REPO_ROOT

import random
from pathlib import Path
from statistics import mean

import pytest

from workbench.core.align import Link, align, format_link
from workbench.testing.align_scores import flatten, parse_link, read_gold, strict_scores
from workbench.testing.alignments import perturb, simulated_mt, swap_sides
from workbench.core.errors import BadInputError
from workbench.core.progress import Cancelled

DATA = REPO_ROOT / "tests" / "data" / "align"
# document -> True when its Russian column is the original (aligned ru -> en)
DOCS = {"news_rail": False, "homecoming": False, "baikal": True}
VARIANTS = {
    "merge": {"merge": 4},
    "split": {"split": 4},
    "drop": {"drop": 3},
    "insert": {"insert": 3},
    "mixed": {"merge": 2, "split": 2, "drop": 1, "insert": 1},
}


def gold_links(name: str, *, ru_source: bool | None = None):
    links = read_gold(DATA / f"{name}.tsv")
    if DOCS[name] if ru_source is None else ru_source:
        links = swap_sides(links)
    return links


def foreign_sentences(name: str, english: bool) -> list[str]:
    """Sentences of the other documents, for insertions."""
    return [s for other in DOCS if other != name for link in read_gold(DATA / f"{other}.tsv")
            for s in (link.src if english else link.tgt)]


def f1(links, features="full", paragraphs=True, mt=None) -> float:
    src, tgt, sp, tp, gold = flatten(links)
    found = align(src, tgt, "en", "ru", features=features, mt=mt,
                  src_paragraphs=sp if paragraphs else None, tgt_paragraphs=tp if paragraphs else None)
    return strict_scores(gold, found).f1


def variant(name: str, ops: dict, seed: int, *, ru_source: bool | None = None):
    links = gold_links(name, ru_source=ru_source)
    target_is_english = links[0].tgt and links[0].tgt[0].isascii()
    return perturb(links, random.Random(seed), ops, foreign_sentences(name, bool(target_is_english)))


# -- format and scoring ---------------------------------------------------------------------

def test_format_link_matches_public_scorers():
    assert format_link(Link((0, 1), (0,), 0.5)) == "[0, 1]:[0]"
    assert format_link(Link((), (3,), 1.0)) == "[]:[3]"
    assert parse_link("[0, 1]:[0]") == ((0, 1), (0,))
    assert parse_link("[]:[3]") == ((), (3,))


def test_strict_scores_count_only_exact_links():
    gold = [((0,), (0,)), ((1, 2), (1,)), ((3,), ())]
    assert strict_scores(gold, gold).f1 == 1.0
    half = strict_scores(gold, [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), ())])
    assert half.precision == pytest.approx(2 / 4) and half.recall == pytest.approx(2 / 3)


def test_gold_files_are_consistent():
    for name in DOCS:
        src, tgt, sp, tp, gold = flatten(gold_links(name))
        assert len(src) >= 30 and len(tgt) >= 30
        assert [i for s, _ in gold for i in s] == list(range(len(src)))
        assert [j for _, t in gold for j in t] == list(range(len(tgt)))
        assert len(set(sp)) > 5


# -- accuracy on the texts and their variants ------------------------------------------------

@pytest.mark.parametrize("name", DOCS)
def test_original_texts(name):
    links = gold_links(name)
    full, baseline = f1(links, paragraphs=False), f1(links, features="length", paragraphs=False)
    assert full >= 0.9
    assert full >= baseline


@pytest.mark.parametrize("kind", VARIANTS)
def test_variants_full_features_beat_gale_church(kind):
    full, baseline, with_paragraphs = [], [], []
    for name in DOCS:
        for seed in (1, 2):
            links = variant(name, VARIANTS[kind], seed)
            full.append(f1(links, paragraphs=False))
            baseline.append(f1(links, features="length", paragraphs=False))
            with_paragraphs.append(f1(links))
    # one mixed variant (an inserted sentence in a paragraph, news_rail seed 2)
    # is missed by length alone and by the full model: 0.846
    assert min(full) >= 0.84, full
    assert min(f - b for f, b in zip(full, baseline)) >= 0.0, (full, baseline)
    assert mean(full) >= 0.92
    assert mean(full) > mean(baseline)
    assert mean(with_paragraphs) >= mean(full) - 0.01


def test_perturbed_links_are_recovered():
    """Most of the links a perturbation creates (2-1, 1-2, 1-0, 0-1) come back exactly."""
    created = recovered = 0
    for name in DOCS:
        original = {(ln.src, ln.tgt) for ln in gold_links(name)}
        for kind in ("merge", "split", "drop", "insert"):
            links = variant(name, VARIANTS[kind], seed=3)
            src, tgt, sp, tp, gold = flatten(links)
            found = {(ln.src, ln.tgt) for ln in align(src, tgt, "en", "ru", src_paragraphs=sp,
                                                     tgt_paragraphs=tp)}
            for g, ln in zip(gold, links):
                if (ln.src, ln.tgt) not in original:
                    created += 1
                    recovered += g in found
    assert created >= 30
    assert recovered / created >= 0.8, (recovered, created)


def test_simulated_mt_helps():
    """ru -> en with a simulated MT: the English gold text, damaged (word drops,
    wrong words, swaps).  Not a real MT model: it shows the MT signal is used."""
    with_mt, without = [], []
    for name in DOCS:
        for kind in ("mixed", "drop", "insert"):
            links = variant(name, VARIANTS[kind], seed=5, ru_source=True)
            mt = simulated_mt(gold_links(name, ru_source=True), random.Random(7))
            # the MT is of the source sentences, which perturbing the target leaves alone
            assert len(mt) == len(flatten(links)[0])
            with_mt.append(f1(links, paragraphs=False, mt=mt))
            without.append(f1(links, paragraphs=False))
    assert mean(with_mt) >= 0.93
    assert mean(with_mt) >= mean(without)


def test_anchors_decide_where_lengths_cannot():
    """Equal-length sentences, one dropped in translation: only the numbers
    and names say which."""
    src = ["The delegation arrived in Tashkent on 5 May.",
           "Talks with Kazakhstan lasted for 6 hours.",
           "Delegates from 12 countries took part.",
           "The next round is planned for 9 June."]
    tgt = ["Делегация прибыла в Ташкент 5 мая.",
           "Делегаты из 12 стран приняли участие.",
           "Следующий раунд намечен на 9 июня."]
    links = align(src, tgt, "en", "ru")
    assert [(ln.src, ln.tgt) for ln in links] == [((0,), (0,)), ((1,), ()), ((2,), (1,)), ((3,), (2,))]


def test_one_sentence_per_paragraph_is_no_paragraph_information():
    links = variant("news_rail", VARIANTS["mixed"], seed=4)
    src, tgt, _, _, _ = flatten(links)
    plain = align(src, tgt, "en", "ru")
    per_line = align(src, tgt, "en", "ru", src_paragraphs=list(range(len(src))),
                     tgt_paragraphs=list(range(len(tgt))))
    assert [(ln.src, ln.tgt) for ln in plain] == [(ln.src, ln.tgt) for ln in per_line]


def test_confidence_is_higher_on_correct_links():
    right, wrong = [], []
    for name in DOCS:
        links = variant(name, VARIANTS["mixed"], seed=6)
        src, tgt, _, _, gold = flatten(links)
        gold_set = set(gold)
        for ln in align(src, tgt, "en", "ru"):
            (right if (ln.src, ln.tgt) in gold_set else wrong).append(ln.confidence)
    assert wrong, "the mixed variants should leave some errors to compare"
    assert mean(right) > mean(wrong) + 0.1
    assert mean(right) > 0.8


# -- band, long documents, callbacks ----------------------------------------------------------

def numbered_text(rng: random.Random, count: int) -> tuple[list[str], list[str]]:
    words = "river city market winter council bridge report school harbour station".split()
    slova = "река город рынок зима совет мост доклад школа гавань вокзал".split()
    src, tgt = [], []
    for k in range(count):
        picks = [rng.randrange(len(words)) for _ in range(rng.randint(3, 14))]
        src.append(" ".join(words[p] for p in picks) + f" {k * 7 + 3}.")
        tgt.append(" ".join(slova[p] for p in picks) + f" {k * 7 + 3}.")
    return src, tgt


def test_long_documents_with_a_missing_block_use_a_widening_band():
    """1,400 x 1,200 sentences (beyond the full-matrix size): the 200 source
    sentences missing from the target, all at one place, are 1-0 links."""
    src, tgt = numbered_text(random.Random(1), 1400)
    tgt = tgt[:500] + tgt[700:]
    links = align(src, tgt, "en", "ru")
    assert [i for ln in links for i in ln.src] == list(range(1400))
    assert [j for ln in links for j in ln.tgt] == list(range(1200))
    dropped = {ln.src[0] for ln in links if ln.src and not ln.tgt}
    assert len(dropped & set(range(500, 700))) >= 190
    gold = [((i,), (i if i < 500 else i - 200,)) for i in range(1400) if not 500 <= i < 700]
    gold += [((i,), ()) for i in range(500, 700)]
    assert strict_scores(gold, links).f1 >= 0.97


def test_progress_and_cancel():
    src, tgt = numbered_text(random.Random(2), 60)
    seen = []
    align(src, tgt, "en", "ru", progress=lambda f, msg: seen.append((f, msg)))
    assert seen[0][0] == 0.0 and seen[-1] == (1.0, "aligned")
    assert all(0.0 <= f <= 1.0 for f, _ in seen)
    assert [f for f, _ in seen] == sorted(f for f, _ in seen)
    with pytest.raises(Cancelled):
        align(src, tgt, "en", "ru", cancelled=lambda: True)


# -- edge cases ---------------------------------------------------------------------------------

def test_empty_inputs():
    assert align([], [], "en", "ru") == []
    assert align(["One."], [], "en", "ru") == [Link((0,), (), 1.0)]
    assert align([], ["Раз.", "Два."], "en", "ru") == [Link((), (0,), 1.0), Link((), (1,), 1.0)]


def test_single_sentences_and_blank_text():
    assert [(ln.src, ln.tgt) for ln in align(["Hello."], ["Привет."], "en", "ru")] == [((0,), (0,))]
    links = align(["", "Text here.", ""], ["Текст здесь."], "en", "ru")
    assert [i for ln in links for i in ln.src] == [0, 1, 2]


def test_bad_arguments_are_user_errors():
    with pytest.raises(BadInputError):
        align(["a", "b"], ["c"], "en", "ru", mt=["only one"])
    with pytest.raises(BadInputError):
        align(["a"], ["c"], "en", "ru", features="embeddings")
    with pytest.raises(BadInputError):
        align(["a"], ["c"], "en", "ru", src_paragraphs=[0, 1])
