"""One undo/redo history per document, owned by the core and persisted.

The window and the command line walk the same rows of ``edits``: an undo is
never recorded as a new forward edit, a redo brings back exactly what was
undone, and two processes can never take the same step twice."""
from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings, strategies as st

from workbench.cli import main
from workbench.core.edits import history
from workbench.core.edits.commands import Approve, MergeSegments, SetTarget, SplitSegment
from workbench.core.errors import BadInputError, HistoryConflict
from workbench.core.store.database import Store

from tests.core.edits.test_commands import random_edit, random_walk_store, state


def test_undo_and_redo_walk_both_ways_without_new_forward_edits(store, small_doc):
    doc, ids = small_doc
    uid = store.unit_for_segment(ids[1]).id
    states = [state(store, doc)]
    for command in (SetTarget(uid, "Раз."), SplitSegment(ids[1], 16), Approve((uid,))):
        history.apply(store, command)
        states.append(state(store, doc))
    rows = len(store.history(doc))
    for expected in reversed(states[:-1]):
        assert history.undo(store, doc).undo
        assert state(store, doc) == expected
    assert history.undo(store, doc) is None
    for expected in states[1:]:
        step = history.redo(store, doc)
        assert step is not None and not step.undo
        assert state(store, doc) == expected
    assert history.redo(store, doc) is None
    assert len(store.history(doc)) == rows, "undo/redo must not add history rows"


def test_a_new_edit_after_undo_drops_the_redo_branch(store, small_doc):
    doc, ids = small_doc
    uid = store.unit_for_segment(ids[1]).id
    history.apply(store, SetTarget(uid, "one"))
    history.apply(store, SetTarget(uid, "two"))
    history.undo(store, doc)
    assert history.next_redo(store, doc) is not None
    history.apply(store, SetTarget(uid, "three"))
    assert history.next_redo(store, doc) is None and history.redo(store, doc) is None
    assert store.unit(uid).target == "three"
    history.undo(store, doc)
    assert store.unit(uid).target == "one"


def test_histories_are_per_document(store, small_doc):
    doc, ids = small_doc
    other = store.add_document(title="Other", language="en", target_language="ru", source_path=None,
                               checksum="other", date=None)
    store.add_segments(other, [(0, "body", "Elsewhere.", False)])
    mine, theirs = store.unit_for_segment(ids[1]).id, store.unit_ids(other)[0]
    history.apply(store, SetTarget(mine, "mine"))
    history.apply(store, SetTarget(theirs, "theirs"))
    history.undo(store, doc)  # takes back this document's step, not the newer one elsewhere
    assert store.unit(mine).target == "" and store.unit(theirs).target == "theirs"
    assert history.next_undo(store, doc) is None and history.next_undo(store, other) is not None
    # Without a document, the newest step anywhere.
    history.undo(store)
    assert store.unit(theirs).target == ""
    assert history.redo(store).edit.document_id == other  # most recently undone first
    assert store.unit(theirs).target == "theirs"


def test_a_typing_burst_is_one_step(store, small_doc):
    doc, ids = small_doc
    uid = store.unit_for_segment(ids[1]).id
    for text in ("П", "Пер", "Первое"):
        history.apply(store, SetTarget(uid, text), merge_key="burst-1")
    history.apply(store, SetTarget(uid, "Первое."), merge_key="burst-2")
    assert len(store.history(doc)) == 2
    history.undo(store, doc)
    assert store.unit(uid).target == "Первое"
    history.undo(store, doc)
    assert store.unit(uid).target == ""
    history.redo(store, doc)
    assert store.unit(uid).target == "Первое"


def test_undo_refuses_to_overwrite_a_change_made_outside_the_history(store, small_doc):
    doc, ids = small_doc
    uid = store.unit_for_segment(ids[1]).id
    history.apply(store, SetTarget(uid, "by hand"))
    history.apply(store, SetTarget(uid, "", status="new"))
    # A translation run (no history) fills the empty unit.
    store.set_machine_translations([(uid, "машинный", "argos", "en_ru", "1.9")])
    with pytest.raises(HistoryConflict, match="outside the history"):
        history.undo(store, doc)
    assert store.unit(uid).target == "машинный"  # nothing changed
    assert history.next_undo(store, doc) is not None


def test_structural_edits_redo_exactly(store, small_doc):
    doc, ids = small_doc
    history.apply(store, SplitSegment(ids[1], 16))
    split = state(store, doc)
    segs = store.segments(doc)
    history.apply(store, MergeSegments(segs[2].id, segs[3].id))
    merged = state(store, doc)
    history.undo(store, doc)
    assert state(store, doc) == split
    history.undo(store, doc)
    history.redo(store, doc)
    assert state(store, doc) == split
    history.redo(store, doc)
    assert state(store, doc) == merged


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["split", "merge", "target", "approve", "exclude",
                                           "undo", "redo"]),
                          st.integers(0, 50), st.text(max_size=6)), min_size=1, max_size=14))
def test_any_walk_of_edits_undo_and_redo_matches_a_stack_model(tmp_path_factory, ops):
    store, doc = random_walk_store(tmp_path_factory)
    with store:
        done = [state(store, doc)]  # states after each done step, the current one last
        undone: list = []           # states a redo brings back, the next one last
        for op, n, text in ops:
            if op == "undo":
                step = history.undo(store, doc)
                assert (step is None) == (len(done) == 1)
                if step:
                    undone.append(done.pop())
            elif op == "redo":
                step = history.redo(store, doc)
                assert (step is None) == (not undone)
                if step:
                    done.append(undone.pop())
            else:
                command = random_edit(store, doc, op, n, text)
                try:
                    history.apply(store, command)
                except BadInputError:
                    continue
                done.append(state(store, doc))
                undone.clear()
            assert state(store, doc) == done[-1]


def test_cli_undo_and_redo_walk_the_same_history(db_path, capsys):
    with Store(db_path) as store:
        doc = store.add_document(title="T", language="en", target_language="ru", source_path=None,
                                 checksum="c", date=None)
        store.add_segments(doc, [(0, "body", "One.", False), (0, "body", "Two.", False)])
        uid = store.unit_ids(doc)[0]
        history.apply(store, SetTarget(uid, "Раз"))  # as the window would
    assert main(["--db", str(db_path), "set-target", str(uid), "Один"]) == 0
    assert main(["--db", str(db_path), "undo", "--doc", str(doc)]) == 0
    assert main(["--db", str(db_path), "undo"]) == 0
    with Store(db_path) as store:
        assert store.unit(uid).target == ""
        history.redo(store, doc)  # the window's Ctrl+Shift+Z
        assert store.unit(uid).target == "Раз"
    assert main(["--db", str(db_path), "redo", "--doc", str(doc)]) == 0
    assert main(["--db", str(db_path), "redo"]) == 0
    out = capsys.readouterr().out
    assert "nothing to redo" in out
    with Store(db_path) as store:
        assert store.unit(uid).target == "Один"
        assert len(store.history(doc)) == 2


UNDO_ONCE = """
import sys
from workbench.core.edits import history
from workbench.core.store.database import Store
with Store(sys.argv[1]) as store:
    step = history.undo(store, int(sys.argv[2]))
    print(step.edit.id if step else "none")
"""


def test_concurrent_undos_never_take_the_same_step_twice(db_path):
    with Store(db_path) as store:
        doc = store.add_document(title="T", language="en", target_language="ru", source_path=None,
                                 checksum="c", date=None)
        store.add_segments(doc, [(0, "body", "One.", False)])
        uid = store.unit_ids(doc)[0]
        for n in range(6):
            history.apply(store, SetTarget(uid, f"v{n}"))
    for _trial in range(2):
        procs = [subprocess.Popen([sys.executable, "-c", UNDO_ONCE, str(db_path), str(doc)],
                                  stdout=subprocess.PIPE, text=True) for _ in range(3)]
        taken = [p.communicate(timeout=60)[0].strip() for p in procs]
        assert len(set(taken)) == 3, taken
    with Store(db_path) as store:
        assert store.unit(uid).target == ""
        assert history.next_undo(store, doc) is None
