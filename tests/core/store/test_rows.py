"""The row operations of edits (``EditRows``) where they carry logic of their own."""
import pytest

from workbench.core.store.rows import Snapshot


def test_seq_after_lies_between_a_row_and_the_next(store, small_doc):
    doc, ids = small_doc
    seqs = [store.segment_row(sid)[2] for sid in ids]
    assert store.seq_after("segments", doc, seqs[0]) == (seqs[0] + seqs[1]) / 2
    assert store.seq_after("segments", doc, seqs[-1]) == seqs[-1] + 1  # after the last
    # Rows inserted again and again right after the same row keep their order.
    keys = [seqs[0]]
    for _ in range(20):
        key = store.seq_after("segments", doc, seqs[0])
        with store.transaction():
            store.insert_segment(doc, key, 0, "body", False, "new")
        keys.append(key)
    assert sorted(keys[1:], reverse=True) == keys[1:] and all(seqs[0] < k < seqs[1] for k in keys[1:])


def test_seq_after_counts_only_the_documents_rows(store, small_doc):
    doc, ids = small_doc
    first = store.segment_row(ids[0])[2]
    other = store.add_document(title="O", language="en", target_language="ru", source_path=None,
                               checksum="o", date=None)
    # A row of another document sorts between this document's first two.
    store.add_segments(other, [(0, "body", "Elsewhere.", False)], start_seq=first - 0.8)
    assert first < store.segment_row(store.segments(other)[0].id)[2] < store.segment_row(ids[1])[2]
    assert store.seq_after("segments", doc, first) == (first + store.segment_row(ids[1])[2]) / 2
    units = store.unit_ids(doc)
    unit_seq = store.unit_placement(units[0])[2]
    assert store.seq_after("units", doc, unit_seq) == (unit_seq + store.unit_placement(units[1])[2]) / 2


def test_seq_after_refuses_a_table_without_seq(store, small_doc):
    doc, _ids = small_doc
    with pytest.raises(ValueError):
        store.seq_after("documents", doc, 1)


def test_snapshot_and_restore_round_trip_ids_included(store, small_doc):
    doc, ids = small_doc
    segments = set(ids[1:3])
    units = {store.unit_for_segment(sid).id for sid in segments}
    before = store.snapshot_rows(segments, units)
    assert {r[0] for r in before.segments} == segments and {r[0] for r in before.units} == units
    assert {(r[0], r[1]) for r in before.links} == {(sid, store.unit_for_segment(sid).id) for sid in segments}
    assert Snapshot.from_data(before.to_data()) == before

    with store.transaction():  # what a merge does: text joined, a segment and a unit gone, a row added
        store.set_segment_text(ids[1], "joined")
        store.delete_segments([ids[2]])
        store.set_target(min(units), "changed", "edited")
        new_unit = store.insert_unit(doc, None, 99.0)
    with store.transaction():
        store.restore_rows(segments, units | {new_unit}, before)

    assert store.snapshot_rows(segments, units) == before
    assert store.unit_state(new_unit) is None  # in scope but not in the snapshot: removed
    assert [s.id for s in store.segments(doc)] == ids


def test_restore_does_not_touch_rows_out_of_scope(store, small_doc):
    doc, ids = small_doc
    outside = store.unit_for_segment(ids[0]).id
    scope = {store.unit_for_segment(ids[1]).id}
    before = store.snapshot_rows({ids[1]}, scope)
    with store.transaction():
        store.set_target(outside, "kept", "edited")
        store.restore_rows({ids[1]}, scope, before)
    assert store.unit(outside).target == "kept"


def test_neighbours_follow_reading_order_with_ties_broken_by_id(store, small_doc):
    doc, _ids = small_doc
    units = store.unit_ids(doc)
    with store.transaction():  # two units on the same seq: the id decides
        twin = store.insert_unit(doc, None, store.unit_placement(units[1])[2])
    order = store.unit_ids(doc)
    assert order.index(twin) == order.index(units[1]) + 1
    for before, after in zip(order, order[1:]):
        assert store.neighbour_unit(before, +1) == after
        assert store.neighbour_unit(after, -1) == before
    assert store.neighbour_unit(order[0], -1) is None and store.neighbour_unit(order[-1], +1) is None
    assert store.neighbour_unit(10_000, +1) is None


def test_unit_columns_are_checked_before_they_reach_sql(store, small_doc):
    doc, _ids = small_doc
    with pytest.raises(ValueError):
        store.unit_columns(doc, ["target; DROP TABLE units"])
    with store.transaction(), pytest.raises(ValueError):
        store.insert_unit_row(doc, None, 1.0, None, {"id": 5})
