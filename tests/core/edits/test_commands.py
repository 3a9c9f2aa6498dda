import json

import pytest
from hypothesis import given, settings, strategies as st

from workbench.core.edits import history
from workbench.core.edits.commands import (Approve, Batch, MergeSegments, SetExcluded, SetStatus,
                                     SetTarget, SplitSegment)
from workbench.core.errors import BadInputError


def state(store, doc):
    """Everything a command may touch, minus timestamps."""
    units = [(u.id, u.source_segment_ids, u.source, u.target, u.mt, str(u.status)) for u in store.units(doc)]
    segs = [(s.id, s.paragraph, str(s.kind), s.excluded, s.text) for s in store.segments(doc)]
    return units, segs


def test_set_target_and_inverse(store, small_doc):
    doc, ids = small_doc
    uid = store.unit_for_segment(ids[1]).id
    before = state(store, doc)
    inverse = history.apply(store, SetTarget(uid, "Первое предложение."))
    assert store.unit(uid).target == "Первое предложение." and str(store.unit(uid).status) == "edited"
    redo = history.apply(store, inverse)
    assert state(store, doc) == before
    history.apply(store, redo)
    assert store.unit(uid).target == "Первое предложение."


def test_editing_an_approved_target_revokes_approval(store, small_doc):
    doc, ids = small_doc
    uid = store.unit_for_segment(ids[1]).id
    history.apply(store, SetTarget(uid, "Раз."))
    history.apply(store, Approve((uid,)))
    assert str(store.unit(uid).status) == "approved"
    history.apply(store, SetTarget(uid, "Раз!"))
    assert str(store.unit(uid).status) == "edited"


def test_approve_empty_target_takes_mt_and_undo_restores(store, small_doc):
    doc, ids = small_doc
    uid = store.unit_for_segment(ids[2]).id
    with store.transaction() as conn:
        conn.execute("UPDATE units SET mt = 'Третье.' WHERE id = ?", (uid,))
    before = state(store, doc)
    inverse = history.apply(store, Approve((uid,)))
    assert (store.unit(uid).target, str(store.unit(uid).status)) == ("Третье.", "approved")
    history.apply(store, inverse)
    assert state(store, doc) == before


def test_approve_without_any_translation_is_refused_and_changes_nothing(store, small_doc):
    doc, ids = small_doc
    units = [store.unit_for_segment(i).id for i in ids[1:3]]
    history.apply(store, SetTarget(units[0], "Раз."))
    before = state(store, doc)
    with pytest.raises(BadInputError, match="no translation"):
        history.apply(store, Approve(tuple(units)))
    assert state(store, doc) == before


def test_split_then_merge_round_trip_keeps_ids(store, small_doc):
    doc, ids = small_doc
    uid = store.unit_for_segment(ids[1]).id
    history.apply(store, SetTarget(uid, "Первое. Второе."))
    before = state(store, doc)
    undo_split = history.apply(store, SplitSegment(ids[1], len("First sentence."), target_offset=len("Первое.")))
    units, segs = state(store, doc)
    assert [u[2] for u in units][1:3] == ["First sentence.", "Second sentence."]
    assert [u[3] for u in units][1:3] == ["Первое.", "Второе."]
    new_seg = segs[2][0]
    redo_split = history.apply(store, undo_split)
    assert state(store, doc) == before
    history.apply(store, redo_split)
    # the redo recreates the very same segment id, so later commands stay valid
    assert state(store, doc)[1][2][0] == new_seg
    history.apply(store, MergeSegments(ids[1], new_seg))
    assert state(store, doc)[0] == before[0]


def test_merge_joins_units_and_undo_restores_exactly(store, small_doc):
    doc, ids = small_doc
    u1, u2 = store.unit_for_segment(ids[1]).id, store.unit_for_segment(ids[2]).id
    history.apply(store, SetTarget(u1, "Раз. Два."))
    history.apply(store, SetTarget(u2, "Три."))
    history.apply(store, Approve((u2,)))
    before = state(store, doc)
    inverse = history.apply(store, MergeSegments(ids[1], ids[2]))
    merged = store.unit(u1)
    assert merged.source == "First sentence. Second sentence. Third sentence."
    assert merged.target == "Раз. Два. Три." and str(merged.status) == "edited"
    history.apply(store, inverse)
    assert state(store, doc) == before


@pytest.mark.parametrize("offset", [0, -1, 10_000])
def test_split_at_a_bad_offset_is_refused(store, small_doc, offset):
    doc, ids = small_doc
    before = state(store, doc)
    with pytest.raises(BadInputError, match="cannot split"):
        history.apply(store, SplitSegment(ids[1], offset))
    assert state(store, doc) == before


def test_merge_of_non_adjacent_segments_is_refused(store, small_doc):
    doc, ids = small_doc
    with pytest.raises(BadInputError, match="not adjacent"):
        history.apply(store, MergeSegments(ids[0], ids[2]))


def test_exclude_and_inverse(store, small_doc):
    doc, ids = small_doc
    inverse = history.apply(store, SetExcluded.all([ids[3], ids[0]]))
    assert [s.excluded for s in store.segments(doc)] == [True, False, False, True]
    assert store.unit_for_segment(ids[3]).excluded
    history.apply(store, inverse)
    assert not any(s.excluded for s in store.segments(doc))


def test_every_edit_is_in_history_with_before_and_after(store, small_doc):
    doc, ids = small_doc
    uid = store.unit_for_segment(ids[1]).id
    history.apply(store, SetTarget(uid, "Раз."))
    history.apply(store, SplitSegment(ids[1], 16))
    edits = store.history(doc)
    assert [e.command for e in edits] == ["SplitSegment", "SetTarget"]
    split_before = json.loads(edits[0].before)
    assert split_before["segments"][0][-1] == "First sentence. Second sentence."
    after = json.loads(edits[0].after)
    assert sorted(r[-1] for r in after["segments"]) == ["First sentence.", "Second sentence."]
    assert "Раз." in edits[1].after


def test_undo_walks_back_through_history(store, small_doc):
    doc, ids = small_doc
    uid = store.unit_for_segment(ids[1]).id
    original = state(store, doc)
    history.apply(store, SetTarget(uid, "Раз."))
    after_first = state(store, doc)
    history.apply(store, SplitSegment(ids[1], 16))
    history.undo(store, doc)
    assert state(store, doc) == after_first
    history.undo(store, doc)
    assert state(store, doc) == original
    assert history.undo(store, doc) is None and state(store, doc) == original


def test_commands_survive_json(store, small_doc):
    doc, ids = small_doc
    snap = store.snapshot_rows(set(ids), set())
    for command in [SetTarget(1, "x", "edited"), Approve((1, 2)), SetStatus((1,), ("new",)),
                    SetExcluded((1, 2), (True, False)), SplitSegment(3, 4, None),
                    MergeSegments(1, 2), Batch((SetTarget(1, "a"), Approve((1,))), "both")]:
        assert history.command_from_json(history.command_to_json(command)) == command
    inverse = history.apply(store, SplitSegment(ids[1], 16))
    assert history.command_from_json(history.command_to_json(inverse)) == inverse
    assert snap.segments


def random_walk_store(tmp_path_factory):
    """A fresh store with one three-segment document: ``(store, document id)``."""
    from workbench.core.store.database import Store

    store = Store(tmp_path_factory.mktemp("h") / "h.db")
    doc = store.add_document(title="T", language="en", target_language="ru", source_path=None,
                             checksum="h", date=None)
    store.add_segments(doc, [(0, "body", "Alpha beta gamma. Delta epsilon.", False),
                             (0, "body", "Zeta eta theta.", False), (1, "body", "Iota kappa.", False)])
    return store, doc


def random_edit(store, doc, op: str, n: int, text: str):
    """The edit ``op`` on the ``n``-th segment (modulo) of the document, as a command."""
    segs = store.segments(doc)
    seg = segs[n % len(segs)]
    unit = store.unit_for_segment(seg.id)
    return {"split": lambda: SplitSegment(seg.id, 1 + n % max(1, len(seg.text) - 1)),
            "merge": lambda: MergeSegments(seg.id, segs[(n + 1) % len(segs)].id),
            "target": lambda: SetTarget(unit.id, text),
            "approve": lambda: Approve((unit.id,)),
            "exclude": lambda: SetExcluded.all([seg.id], n % 2 == 0)}[op]()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["split", "merge", "target", "approve", "exclude"]),
                          st.integers(0, 50), st.text(max_size=8)), min_size=1, max_size=8))
def test_any_sequence_of_edits_undoes_to_the_start(tmp_path_factory, ops):
    store, doc = random_walk_store(tmp_path_factory)
    with store:
        start = state(store, doc)
        inverses = []
        for op, n, text in ops:
            command = random_edit(store, doc, op, n, text)
            try:
                inverses.append(history.apply(store, command))
            except BadInputError:
                pass
        for inverse in reversed(inverses):
            history.apply(store, inverse)
        assert state(store, doc) == start


def test_split_drops_the_machine_translation_of_the_whole_sentence(store, small_doc):
    """A split unit's MT translated the whole sentence: neither half keeps it,
    so the next translation run fills both (it skipped the first before)."""
    doc, ids = small_doc
    uid = store.unit_for_segment(ids[1]).id
    store.set_machine_translations([(uid, "Первое. Второе.", "argos", "en_ru", "1.9")])
    assert str(store.unit(uid).status) == "machine"
    history.apply(store, SplitSegment(ids[1], 16))
    halves = [store.unit_for_segment(s.id) for s in store.segments(doc)[1:3]]
    assert [(u.mt, u.target, str(u.status)) for u in halves] == [(None, "", "new"), (None, "", "new")]
    history.undo(store, doc)
    assert (store.unit(uid).mt, store.unit(uid).target) == ("Первое. Второе.", "Первое. Второе.")


def test_split_keeps_a_persons_target_but_not_the_stale_mt(store, small_doc):
    doc, ids = small_doc
    uid = store.unit_for_segment(ids[1]).id
    store.set_machine_translations([(uid, "Первое. Второе.", "argos", "en_ru", "1.9")])
    history.apply(store, SetTarget(uid, "Раз. Два."))
    history.apply(store, SplitSegment(ids[1], 16, target_offset=4))
    halves = [store.unit_for_segment(s.id) for s in store.segments(doc)[1:3]]
    assert [(u.mt, u.target) for u in halves] == [(None, "Раз."), (None, "Два.")]


def test_a_process_reading_the_history_loads_link_commands_it_never_imported():
    """Another process may have recorded a link edit; the one that undoes it
    may not have imported the link commands itself."""
    import subprocess
    import sys

    code = ("from workbench.core.edits.history import command_from_json\n"
            "print(command_from_json('{\"type\":\"MergeLinks\",\"args\":{\"unit_id\":3}}'))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "MergeLinks(unit_id=3)"
