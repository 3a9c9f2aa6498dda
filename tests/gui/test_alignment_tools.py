"""The alignment view's tools for a linguist: sentences corrected in place,
find in both sides, the filter by link type and confidence, and the
alignment map (a click on it selects the link there)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.gui.test_alignment_view import LINKS, SRC, TGT, build_pair, state
from workbench.core.edits import history
from workbench.core.store.database import Store
from workbench.gui.alignment.delegate import SentenceEditor
from workbench.gui.alignment.model import LinkColumn, LinkFilter
from tests.gui.helpers import open_window


@pytest.fixture
def window(qtbot, db_path, no_models):
    doc = build_pair(db_path)
    win = open_window(qtbot, db_path)
    assert win.unit_model.document_id == doc
    win.actions["alignment_view"].trigger()
    assert win.aligning()
    return win


def open_editor(qtbot, view, row: int, column: int) -> SentenceEditor:
    table = view.table
    table.go_to_row(row)
    table.setCurrentIndex(view.model.index(row, column))
    table.setFocus()
    QTest.keyClick(table, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: table.findChild(SentenceEditor) is not None and
                    table.findChild(SentenceEditor).isVisible())
    return table.findChild(SentenceEditor)


def type_into(box, text: str) -> None:
    """Replace the box's text as typing would (QTest types ASCII only)."""
    box.selectAll()
    box.insertPlainText(text)


def wait_map(qtbot, view) -> None:
    qtbot.waitUntil(lambda: view.map.similarity is not None and not view.map_jobs.busy, timeout=60000)


# -- editing a sentence in place ---------------------------------------------------------

def test_f2_edits_a_target_sentence_enter_saves_ctrl_z_undoes(qtbot, window, db_path):
    view = window.alignment_view
    doc = view.model.document_id
    before = state(db_path, doc)
    editor = open_editor(qtbot, view, 1, LinkColumn.TARGET)
    assert [b.toPlainText() for b in editor.boxes] == ["Два."]
    type_into(editor.boxes[0], "Два!")
    QTest.keyClick(editor.boxes[0], Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.table.findChild(SentenceEditor) is None or
                    not view.table.findChild(SentenceEditor).isVisible())
    link = view.model.link_at(1)
    assert link.targets == ("Два!",) and link.target == "Два!"
    with Store(db_path) as store:   # on disk, in the document's one history
        assert history.next_undo(store, doc).command == "EditSegmentText"
    QTest.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: view.model.link_at(1).targets == ("Два.",))
    assert state(db_path, doc) == before


def test_escape_cancels_and_writes_nothing(qtbot, window, db_path):
    view = window.alignment_view
    doc = view.model.document_id
    before = state(db_path, doc)
    editor = open_editor(qtbot, view, 0, LinkColumn.SOURCE)
    type_into(editor.boxes[0], "Uno.")
    QTest.keyClick(editor.boxes[0], Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: view.table.findChild(SentenceEditor) is None or
                    not view.table.findChild(SentenceEditor).isVisible())
    assert view.model.link_at(0).sources == ("One.",)
    assert state(db_path, doc) == before
    with Store(db_path) as store:
        assert history.next_undo(store, doc) is None


def test_a_two_sentence_side_is_one_undo_step(qtbot, window, db_path):
    view = window.alignment_view
    doc = view.model.document_id
    editor = open_editor(qtbot, view, 2, LinkColumn.SOURCE)   # the 2:1 link: "Three." "Four."
    assert len(editor.boxes) == 2
    type_into(editor.boxes[0], "Three!")
    QTest.keyClick(editor.boxes[0], Qt.Key.Key_Tab)           # Tab: the next sentence of the link
    assert editor.boxes[1].hasFocus()
    type_into(editor.boxes[1], "Four!")
    QTest.keyClick(editor.boxes[1], Qt.Key.Key_Enter)
    qtbot.waitUntil(lambda: view.model.link_at(2).sources == ("Three!", "Four!"))
    with Store(db_path) as store:
        steps = store.history(doc, 5)
        assert len(steps) == 1 and steps[0].summary.startswith("edit sentences")
    window.actions["undo"].trigger()
    qtbot.waitUntil(lambda: view.model.link_at(2).sources == ("Three.", "Four."))


def test_double_click_opens_the_editor(qtbot, window):
    view = window.alignment_view
    table = view.table
    rect = table.visualRect(view.model.index(0, LinkColumn.SOURCE))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: table.findChild(SentenceEditor) is not None and table.findChild(SentenceEditor).isVisible())
    assert [b.toPlainText() for b in table.findChild(SentenceEditor).boxes] == ["One."]


def test_an_empty_text_is_refused_in_one_line(qtbot, window, db_path):
    view = window.alignment_view
    doc = view.model.document_id
    before = state(db_path, doc)
    messages = []
    window.session.failed.connect(messages.append)
    editor = open_editor(qtbot, view, 0, LinkColumn.TARGET)
    type_into(editor.boxes[0], " ")
    QTest.keyClick(editor.boxes[0], Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(messages))
    assert "cannot be left empty" in messages[0]
    assert state(db_path, doc) == before


# -- find and filter ------------------------------------------------------------------------

def test_ctrl_f_finds_in_both_sides_next_and_previous(qtbot, window):
    view = window.alignment_view
    QTest.keyClick(view.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    find = view.bar.find
    assert find.hasFocus()
    find.insert("ПЯТ")             # any case, the target side: the 1:2 link (row 3)
    QTest.keyClick(find, Qt.Key.Key_Return)
    assert view.table.currentIndex().row() == 3
    assert view.bar.find_count.text() == "1 of 1 link"
    find.clear()
    QTest.keyClicks(find, "e.")    # One. Three. Five. (sources) -> rows 0, 2, 3
    QTest.keyClick(find, Qt.Key.Key_Return)
    assert view.table.currentIndex().row() == 0          # wraps around after row 3
    QTest.keyClick(find, Qt.Key.Key_Return)
    assert view.table.currentIndex().row() == 2
    QTest.keyClick(find, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert view.table.currentIndex().row() == 0
    assert view.bar.find_count.text() == "1 of 3 links"
    QTest.keyClick(find, Qt.Key.Key_Escape)
    assert view.table.hasFocus()


def test_filter_by_type_and_confidence_with_counts(qtbot, window):
    view = window.alignment_view
    bar = view.bar
    QTest.keyClick(view.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert bar.shape_buttons["1-1"].hasFocus()
    assert bar.shape_buttons["1-1"].text() == "1-1 (3)" and bar.shape_buttons["2-1"].text() == "2-1 (1)"
    bar.shape_buttons["1-1"].click()                    # hide 1-1: the 2:1 and 1:2 links stay
    assert view.model.rowCount() == 2
    assert [view.model.link_at(r).shape for r in range(2)] == ["2:1", "1:2"]
    assert bar.shown_count.text() == "showing 2 of 5 links"
    assert view.model.headerData(0, Qt.Orientation.Vertical) == "3"   # rows keep their link's number
    bar.clear_filter()
    bar.threshold.setValue(0.85)
    bar.below.setChecked(True)                          # confidence below 0.85: 0.30 and 0.80
    assert [view.model.link_at(r).confidence for r in range(view.model.rowCount())] == [0.30, 0.8]
    bar.show_all.click()
    assert view.model.rowCount() == len(LINKS) and bar.shown_count.text() == "showing all 5 links"


def test_merging_a_filtered_selection_merges_the_links_between(qtbot, window, db_path):
    """Operations on a selection work in reading order: links the filter
    hides between the selected ones are part of the range."""
    view = window.alignment_view
    for shape in ("2-1", "1-2"):                         # only the 1:1 links: document links 1, 2 and 5
        view.bar.shape_buttons[shape].click()
    assert view.model.rowCount() == 3
    view.table.go_to_row(1)
    view.table.selectionModel().select(
        view.model.index(2, 0), view.table.selectionModel().SelectionFlag.Select
        | view.table.selectionModel().SelectionFlag.Rows)
    window.actions["align_merge"].trigger()
    with Store(db_path) as store:
        sides = [(len(u.source_segment_ids), len(u.target_segment_ids))
                 for u in store.units(view.model.document_id)]
    assert sides == [(1, 1), (5, 5)]   # links 2 to 5 in one, the hidden 2:1 and 1:2 included


# -- the alignment map -------------------------------------------------------------------------

def test_clicking_the_map_selects_the_link_there(qtbot, window):
    view = window.alignment_view
    wait_map(qtbot, view)
    shown = view.map
    assert shown.similarity.n == len(SRC) and shown.similarity.m == len(TGT)
    ids = list(view.model.link_ids)
    # Every link: a click in the middle of its box selects its row.
    for n, (src, tgt, _c) in enumerate(LINKS):
        point = shown.point_of((src[0] + src[-1] + 1) / 2, (tgt[0] + tgt[-1] + 1) / 2).toPoint()
        QTest.mouseClick(shown.viewport(), Qt.MouseButton.LeftButton, pos=point)
        assert view.table.current_link().unit_id == ids[n]
        assert shown.current_key == ids[n]
    # The second source sentence of the 2:1 link (row 3, column 2).
    QTest.mouseClick(shown.viewport(), Qt.MouseButton.LeftButton, pos=shown.point_of(3.5, 2.5).toPoint())
    assert view.table.current_link().sources == ("Three.", "Four.")
    # A cell no link covers (source 6, target 1): the nearest link, the 2:1 link
    # (rows 3-4, column 3) is 1.5 cells away on both axes, the others farther.
    view.table.go_to_row(0)
    QTest.mouseClick(shown.viewport(), Qt.MouseButton.LeftButton, pos=shown.point_of(5.5, 0.5).toPoint())
    assert view.table.current_link().unit_id == ids[2]


def test_the_map_follows_the_current_link_and_the_tooltip_names_the_pair(qtbot, window):
    view = window.alignment_view
    wait_map(qtbot, view)
    view.table.go_to_row(4)
    assert view.map.current_key == view.model.link_ids[4]
    tip = view.map.tooltip_at(view.map.point_of(0.5, 0.5).toPoint())
    assert "source 1: One." in tip and "target 1: Раз." in tip and "similarity" in tip
    assert "click: the 1:1 link, confidence 0.95" in tip


def test_a_click_on_a_link_the_filter_hides_shows_it(qtbot, window):
    view = window.alignment_view
    wait_map(qtbot, view)
    view.bar.shape_buttons["1-1"].click()
    assert view.model.rowCount() == 2
    QTest.mouseClick(view.map.viewport(), Qt.MouseButton.LeftButton, pos=view.map.point_of(0.5, 0.5).toPoint())
    assert view.model.link_filter == LinkFilter() and view.model.rowCount() == len(LINKS)
    assert view.table.current_link().sources == ("One.",)


def test_the_map_follows_edits_of_the_links(qtbot, window):
    view = window.alignment_view
    wait_map(qtbot, view)
    assert len(view.map.similarity.links) == len(LINKS)
    view.table.go_to_row(0)
    window.actions["align_merge"].trigger()
    qtbot.waitUntil(lambda: view.map.similarity is not None and len(view.map.similarity.links) == len(LINKS) - 1,
                    timeout=60000)
    assert view.map.similarity.links[0].src == (0, 1)


def test_ctrl_alt_m_hides_and_shows_the_map(qtbot, window):
    view = window.alignment_view
    assert view.map_panel.isVisible()
    QTest.keyClick(view.table, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert not view.map_panel.isVisible()
    QTest.keyClick(view.table, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert view.map_panel.isVisible()
    wait_map(qtbot, view)


def test_zoom_keeps_the_cell_under_the_pointer(qtbot, window):
    view = window.alignment_view
    wait_map(qtbot, view)
    shown = view.map
    anchor = shown.point_of(3.0, 2.0)
    before = shown.cell_at(anchor)
    shown.set_zoom(shown.zoom * 3, anchor)
    after = shown.cell_at(anchor)
    assert after == pytest.approx(before, abs=0.2)
