"""Alignment editing commands on a hand-made document pair."""
import pytest

from workbench.core.edits import history
from workbench.core.edits.links import ConfirmLinks, MergeLinks, MoveSegment, SplitLink
from workbench.core.errors import BadInputError
from tests.pairs import add_linked_pair

SRC = ["One.", "Two.", "Three.", "Four."]
TGT = ["Раз.", "Два.", "Три.", "Четыре."]


@pytest.fixture
def pair(store):
    src, tgt, _s_ids, _t_ids = add_linked_pair(store, SRC, TGT)
    return src, tgt


def links(store, doc):
    seg = {s.id: s.text for d in (doc, doc + 1) for s in store.segments(d)}
    return [([seg[i] for i in u.source_segment_ids], [seg[i] for i in u.target_segment_ids], u.target)
            for u in store.units(doc)]


def full_state(store, doc):
    return [(u.id, u.source_segment_ids, u.target_segment_ids, u.target, str(u.status), u.confirmed)
            for u in store.units(doc)]


def test_pair_units_link_both_sides(store, pair):
    src, _ = pair
    assert links(store, src) == [([s], [t], t) for s, t in zip(SRC, TGT)]


def test_merge_links_and_undo(store, pair):
    src, _ = pair
    before = full_state(store, src)
    first = store.unit_ids(src)[0]
    inverse = history.apply(store, MergeLinks(first))
    assert links(store, src)[0] == (["One.", "Two."], ["Раз.", "Два."], "Раз. Два.")
    assert len(links(store, src)) == 3
    history.apply(store, inverse)
    assert full_state(store, src) == before


def test_split_link_into_empty_counterparts(store, pair):
    src, _ = pair
    first = store.unit_ids(src)[0]
    history.apply(store, SplitLink(first, 1, 0))
    assert links(store, src)[:2] == [(["One."], [], ""), ([], ["Раз."], "Раз.")]
    assert str(store.units_by_ids([first])[0].status) == "new"


def test_move_segments_up_and_down(store, pair):
    src, _ = pair
    before = full_state(store, src)
    second = store.unit_ids(src)[1]
    inverse = history.apply(store, MoveSegment(second, "target", -1))
    assert links(store, src)[:2] == [(["One."], ["Раз.", "Два."], "Раз. Два."), (["Two."], [], "")]
    history.apply(store, inverse)
    assert full_state(store, src) == before
    history.apply(store, MoveSegment(second, "source", +1))
    assert links(store, src)[1:3] == [([], ["Два."], "Два."), (["Two.", "Three."], ["Три."], "Три.")]


def test_moving_the_last_sentences_out_removes_the_empty_link(store, pair):
    src, _ = pair
    first = store.unit_ids(src)[0]
    history.apply(store, MoveSegment(first, "source", +1))
    history.apply(store, MoveSegment(first, "target", +1))
    assert first not in store.unit_ids(src)
    assert links(store, src)[0] == (["One.", "Two."], ["Раз.", "Два."], "Раз. Два.")


def test_confirm_approves_and_edits_refuse_bad_requests(store, pair):
    src, _ = pair
    ids = store.unit_ids(src)
    history.apply(store, ConfirmLinks((ids[0],)))
    unit = store.unit(ids[0])
    assert unit.confirmed and str(unit.status) == "approved"
    with pytest.raises(BadInputError):
        history.apply(store, MergeLinks(ids[-1]))
    with pytest.raises(BadInputError):
        history.apply(store, MoveSegment(ids[0], "source", -1))
    with pytest.raises(BadInputError):
        history.apply(store, SplitLink(ids[1], 1, 1))
