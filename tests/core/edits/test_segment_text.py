"""EditSegmentText: correcting a sentence in place, on either side of a unit,
through the one history (undo and redo put the rows back exactly)."""
import pytest

from workbench.core.edits import history
from workbench.core.edits.commands import EditSegmentText, SetTarget
from workbench.core.edits.links import ConfirmLinks, MergeLinks
from workbench.core.errors import BadInputError, NotFoundError
from tests.pairs import add_linked_pair

SRC = ["One.", "Tvo.", "Three."]
TGT = ["Раз.", "Двa.", "Три."]


@pytest.fixture
def pair(store):
    return add_linked_pair(store, SRC, TGT)


def rows(store, doc):
    """Every unit and segment as stored, timestamps included."""
    units = [(u.id, u.source_segment_ids, u.target_segment_ids, u.source, u.target, u.mt, str(u.status),
              u.confirmed, u.updated_at) for u in store.units(doc)]
    segments = [(s.id, s.text) for d in (doc, doc + 1) for s in store.segments(d)]
    return units, segments


def test_target_sentence_fix_changes_the_link_target_and_undo_restores_it(store, pair):
    src, tgt, _s, t_ids = pair
    before = rows(store, src)
    history.apply(store, EditSegmentText(t_ids[1], "Два."))
    assert store.segment(t_ids[1]).text == "Два."
    unit = store.unit_for_segment(t_ids[1])
    assert unit.target == "Два."          # the target follows its sentence
    assert history.undo(store, src) is not None
    assert rows(store, src) == before
    assert history.redo(store, src) is not None
    assert store.unit_for_segment(t_ids[1]).target == "Два."


def test_edit_is_recorded_in_the_source_documents_history(store, pair):
    src, _tgt, _s, t_ids = pair
    history.apply(store, EditSegmentText(t_ids[0], "Раз!"))
    step = history.next_undo(store, src)
    assert step is not None and step.command == "EditSegmentText"


def test_source_sentence_fix_keeps_target_and_confirmation(store, pair):
    src, _tgt, s_ids, _t = pair
    uid = store.unit_for_segment(s_ids[1]).id
    history.apply(store, ConfirmLinks((uid,)))
    history.apply(store, EditSegmentText(s_ids[1], "  Two.  "))
    unit = store.unit(uid)
    assert unit.source == "Two." and unit.target == "Двa."
    assert unit.confirmed and str(unit.status) == "approved"


def test_a_post_edited_target_is_not_overwritten(store, pair):
    src, _tgt, _s, t_ids = pair
    uid = store.unit_for_segment(t_ids[2]).id
    history.apply(store, SetTarget(uid, "Третье, исправленное."))
    history.apply(store, EditSegmentText(t_ids[2], "Три!"))
    assert store.unit(uid).target == "Третье, исправленное."
    assert store.segment(t_ids[2]).text == "Три!"


def test_target_of_a_merged_link_is_rejoined(store, pair):
    src, _tgt, s_ids, t_ids = pair
    first = store.unit_for_segment(s_ids[0]).id
    history.apply(store, MergeLinks(first))
    history.apply(store, EditSegmentText(t_ids[1], "Два."))
    assert store.unit(first).target == "Раз. Два."


def test_source_fix_drops_the_stale_machine_translation(store, small_doc):
    doc, ids = small_doc
    uid = store.unit_for_segment(ids[2]).id
    store.set_machine_translations([(uid, "Третье предложение.", "argos", "translate-en_ru", "1.9")])
    assert str(store.unit(uid).status) == "machine"
    before = rows(store, doc)
    history.apply(store, EditSegmentText(ids[2], "Third sentence, fixed."))
    unit = store.unit(uid)
    assert unit.mt is None and unit.target == "" and str(unit.status) == "new"
    history.undo(store, doc)
    assert rows(store, doc) == before


def test_source_fix_keeps_a_post_edit(store, small_doc):
    doc, ids = small_doc
    uid = store.unit_for_segment(ids[2]).id
    store.set_machine_translations([(uid, "Третье предложение.", "argos", "translate-en_ru", "1.9")])
    history.apply(store, SetTarget(uid, "Третье предложение, моё."))
    history.apply(store, EditSegmentText(ids[2], "Third sentence!"))
    unit = store.unit(uid)
    assert unit.mt is None and unit.target == "Третье предложение, моё." and str(unit.status) == "edited"


@pytest.mark.parametrize("text", ["", "   ", "two\nlines"])
def test_refuses_empty_or_multiline_text(store, pair, text):
    src, _tgt, s_ids, _t = pair
    before = rows(store, src)
    with pytest.raises(BadInputError):
        history.apply(store, EditSegmentText(s_ids[0], text))
    assert rows(store, src) == before
    assert history.next_undo(store, src) is None


def test_unknown_segment(store, pair):
    with pytest.raises(NotFoundError):
        history.apply(store, EditSegmentText(999_999, "x"))


def test_memory_sees_the_corrected_sentence(store, pair):
    """A confirmed link is in the translation memory: a corrected sentence
    is what the memory finds afterwards."""
    from workbench.core.memory.search import search

    src, _tgt, s_ids, t_ids = pair
    history.apply(store, ConfirmLinks((store.unit_for_segment(s_ids[1]).id,)))
    history.apply(store, EditSegmentText(t_ids[1], "Два."))
    history.apply(store, EditSegmentText(s_ids[1], "Two."))
    matches = search(store, "Two.", "en", "ru", min_score=100)
    assert [m.target for m in matches] == ["Два."]
