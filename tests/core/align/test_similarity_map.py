"""The alignment map: sentence-pair scores from the aligner's signals, a band
for long documents, and which link a clicked cell belongs to."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from workbench.core.align.similarity_map import compute_map, map_links
from workbench.core.progress import Cancelled
from workbench.testing.align_scores import flatten, read_gold

DATA = Path(__file__).resolve().parents[2] / "data" / "align"


def gold_pair(name: str, swap: bool = False):
    src, tgt, _sp, _tp, gold = flatten(read_gold(DATA / f"{name}.tsv"), swap=swap)
    links = [(100 + k, s, t, 0.9) for k, (s, t) in enumerate(gold)]
    return src, tgt, gold, links


def test_true_pairs_are_bright_and_unrelated_pairs_dark():
    src, tgt, gold, links = gold_pair("news_rail")
    shown = compute_map(src, tgt, links)
    assert shown.full and shown.cells == len(src) * len(tgt)
    assert ((shown.scores >= 0) & (shown.scores <= 1)).all()
    true = [shown.score(s[0], t[0]) for s, t in gold if len(s) == 1 == len(t)]
    assert np.median(true) > np.percentile(shown.scores, 90)
    # For most source sentences the brightest cell of the row is its translation.
    best = sum(1 for s, t in gold if len(s) == 1 == len(t)
               and shown.row(s[0])[0] + int(np.argmax(shown.row(s[0])[1])) == t[0])
    assert best >= 0.75 * len(true)


def test_long_documents_get_a_band_around_the_links():
    src, tgt, gold, links = gold_pair("baikal", swap=True)
    shown = compute_map(src, tgt, links, width=2, full_cells=0)
    assert not shown.full
    assert shown.cells < len(src) * len(tgt) / 2
    for s, t in gold:           # every cell of a link is scored
        for i in s:
            for j in t:
                assert shown.score(i, j) is not None
    assert shown.score(len(src) - 1, 0) is None and shown.score(0, len(tgt) - 1) is None
    # The same cells score alike in the band and in the whole matrix.
    whole = compute_map(src, tgt, links)
    s, t = gold[5]
    assert shown.score(s[0], t[0]) == pytest.approx(whole.score(s[0], t[0]), abs=0.25)


def test_band_memory_grows_linearly():
    src, tgt, _gold, links = gold_pair("news_rail")
    times = 8   # the document eight times over, links shifted along
    big_links = []
    for k in range(times):
        big_links += [(key + 1000 * k, [i + k * len(src) for i in s], [j + k * len(tgt) for j in t], c)
                      for key, s, t, c in links]
    shown = compute_map(src * times, tgt * times, big_links, width=10, full_cells=0)
    assert shown.cells <= len(src) * times * (2 * 10 + 6)


def test_a_click_selects_the_link_covering_the_cell():
    links = [(1, [0], [0], 0.9), (2, [1, 2], [1], 0.4), (3, [3], [], 0.8), (4, [4], [2, 3], 0.7)]
    shown = compute_map(["a."] * 5, ["b."] * 4, links)
    keys = [link.key for link in shown.links]
    assert keys[shown.link_at(0, 0)] == 1
    assert keys[shown.link_at(2, 1)] == 2       # the second source sentence of the 2:1 link
    assert keys[shown.link_at(4, 3)] == 4       # the second target sentence of the 1:2 link
    assert keys[shown.link_at(3, 2)] == 3       # the 1:0 link's row, where its empty side sits
    assert keys[shown.link_at(0, 3)] in (1, 2)  # far from every link: the nearest
    assert shown.link_index(4) == 3 and shown.link_index(99) is None


def test_empty_sides_sit_between_their_neighbours():
    placed = map_links([(1, [0], [0], None), (2, [], [1], None), (3, [1], [], None), (4, [2], [2], None)])
    assert placed[1].rows == (1, 1) and placed[1].columns == (1, 2)
    assert placed[2].rows == (1, 2) and placed[2].columns == (2, 2)


def test_cancel_raises_cancelled():
    src, tgt, _gold, links = gold_pair("homecoming")
    with pytest.raises(Cancelled):
        compute_map(src, tgt, links, cancelled=lambda: True)


def test_progress_reaches_the_end():
    src, tgt, _gold, links = gold_pair("homecoming")
    seen = []
    compute_map(src, tgt, links, progress=lambda f, _m: seen.append(f))
    assert seen[0] == 0.0 and seen[-1] == 1.0


def test_one_empty_side():
    shown = compute_map(["One."], [], [(1, [0], [], None)])
    assert shown.cells == 0 and shown.score(0, 0) is None
    assert shown.link_at(0, 0) == 0


def test_the_map_draws_the_aligners_model_rows_find_their_translation():
    """Prose with few anchors (homecoming): with the lexicon the aligner
    learns from the two documents, most source sentences' brightest cell is
    their translation (length and anchors alone: about one in five)."""
    src, tgt, gold, links = gold_pair("homecoming")
    shown = compute_map(src, tgt, links)
    rows = [(i, t) for s, t in gold if s and t for i in s]
    best = sum(1 for i, t in rows if shown.row(i)[0] + int(np.argmax(shown.row(i)[1])) in t)
    assert best >= 0.5 * len(rows)
