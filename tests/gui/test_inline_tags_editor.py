"""Inline tags in the window: chips in the table and the editors, kept whole
in the target (real key events), the insert-tag actions, and QA telling
when a tag is missing."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from workbench.core.edits import history
from workbench.core.edits.commands import SetTarget
from workbench.core.store.database import Store
from workbench.gui.review import qa_controller
from workbench.gui.review.tag_editing import missing_tags, tag_colors
from workbench.gui.review.unit_table import Column
from tests.gui.helpers import open_window

SOURCE = "The <b0>Interior Ministry</b0> published <a1>the statement</a1> on Monday."
TARGET = "<b0>МВД</b0> опубликовало <a1>заявление</a1> в понедельник."


@pytest.fixture
def tagged_window(qtbot, db_path, no_models):
    qa_controller.forget_checkers()
    with Store(db_path) as store:
        doc = store.add_document(title="Tags", language="en", target_language="ru", source_path=None,
                                 checksum="tags-window", date=None)
        store.add_segments(doc, [(0, "title", "A <i0>bold</i0> title", False),
                                 (1, "body", SOURCE, False),
                                 (1, "body", "A line<x0/>break here.", False)])
        ids = store.unit_ids(doc)
        history.apply(store, SetTarget(ids[1], TARGET))
    win = open_window(qtbot, db_path)
    win.table.go_to_row(1)
    return win, ids


def target_editor(win):
    editor = win.pane.target
    editor.setFocus()
    return editor


def put_cursor(editor, index):
    cursor = editor.textCursor()
    cursor.setPosition(index)
    editor.setTextCursor(cursor)


def test_backspace_after_a_tag_removes_the_whole_tag(tagged_window):
    win, _ids = tagged_window
    editor = target_editor(win)
    end = TARGET.index("</b0>") + len("</b0>")
    put_cursor(editor, end)
    QTest.keyClick(editor, Qt.Key.Key_Backspace)
    assert editor.toPlainText() == TARGET.replace("</b0>", "", 1)
    assert editor.textCursor().position() == TARGET.index("</b0>")
    # the editor's own undo brings it back in one step
    QTest.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == TARGET


def test_delete_before_a_tag_removes_the_whole_tag(tagged_window):
    win, _ids = tagged_window
    editor = target_editor(win)
    put_cursor(editor, TARGET.index("<a1>"))
    QTest.keyClick(editor, Qt.Key.Key_Delete)
    assert editor.toPlainText() == TARGET.replace("<a1>", "", 1)


def test_backspace_and_delete_away_from_tags_delete_one_character(tagged_window):
    win, _ids = tagged_window
    editor = target_editor(win)
    at = TARGET.index("опубликовало") + 3
    put_cursor(editor, at)
    QTest.keyClick(editor, Qt.Key.Key_Backspace)
    QTest.keyClick(editor, Qt.Key.Key_Delete)
    assert editor.toPlainText() == TARGET[:at - 1] + TARGET[at + 1:]


def test_the_cursor_steps_over_a_tag_as_one_character(tagged_window):
    win, _ids = tagged_window
    editor = target_editor(win)
    start = TARGET.index("</b0>")
    put_cursor(editor, start)
    QTest.keyClick(editor, Qt.Key.Key_Right)
    assert editor.textCursor().position() == start + len("</b0>")
    QTest.keyClick(editor, Qt.Key.Key_Left)
    assert editor.textCursor().position() == start
    QTest.keyClick(editor, Qt.Key.Key_Left)  # into "МВД"
    assert editor.textCursor().position() == start - 1
    # with Shift the selection takes whole tags
    put_cursor(editor, start)
    QTest.keyClick(editor, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert editor.textCursor().selectedText() == "</b0>"


def test_typing_never_lands_inside_a_tag(tagged_window):
    win, _ids = tagged_window
    editor = target_editor(win)
    # a click in the middle of "<a1>" puts the cursor at the nearer edge
    tag = TARGET.index("<a1>")
    rect = editor.cursorRect(_cursor_at(editor, tag + 1))
    QTest.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(rect.center().x() + 1, rect.center().y()))
    assert editor.textCursor().position() in (tag, tag + len("<a1>"))
    QTest.keyClicks(editor, "x")
    text = editor.toPlainText()
    assert "<a1>" in text and text.count("x") == 1


def test_a_selection_that_cuts_a_tag_deletes_the_whole_tag(tagged_window):
    win, _ids = tagged_window
    editor = target_editor(win)
    start = TARGET.index("МВД") + 1
    cursor = editor.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(TARGET.index("</b0>") + 2, QTextCursor.MoveMode.KeepAnchor)  # "ВД</"
    editor.setTextCursor(cursor)
    QTest.keyClick(editor, Qt.Key.Key_Backspace)
    assert editor.toPlainText() == "<b0>М" + TARGET[TARGET.index("</b0>") + 5:]


def _cursor_at(editor, index):
    cursor = QTextCursor(editor.document())
    cursor.setPosition(index)
    return cursor


def test_insert_next_missing_tag_with_the_keyboard(tagged_window):
    win, ids = tagged_window
    editor = target_editor(win)
    editor.setPlainText("МВД опубликовало заявление в понедельник.")
    assert missing_tags(SOURCE, editor.toPlainText()) == ["<b0>", "</b0>", "<a1>", "</a1>"]
    # select "МВД": Ctrl+Alt+I wraps it in the missing pair
    cursor = editor.textCursor()
    cursor.setPosition(0)
    cursor.setPosition(3, QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    QTest.keyClick(editor, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert editor.toPlainText().startswith("<b0>МВД</b0> опубликовало")
    # no selection: one tag at the cursor
    put_cursor(editor, editor.toPlainText().index("заявление"))
    QTest.keyClick(editor, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    put_cursor(editor, editor.toPlainText().index(" в понедельник"))
    QTest.keyClick(editor, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert editor.toPlainText() == TARGET
    QTest.keyClick(editor, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert editor.toPlainText() == TARGET
    assert "no tag of the source is missing" in win.statusBar().currentMessage()
    win.pane.flush()
    assert win.session.store.unit(ids[1]).target == TARGET


def test_insert_all_missing_tags(tagged_window):
    win, _ids = tagged_window
    editor = target_editor(win)
    editor.setPlainText("МВД опубликовало заявление.")
    put_cursor(editor, 0)
    QTest.keyClick(editor, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert editor.toPlainText() == "<b0></b0><a1></a1>МВД опубликовало заявление."


def test_tags_are_chips_in_the_editors(tagged_window):
    win, _ids = tagged_window
    background, _text = tag_colors(win.pane.target.palette())
    for editor, text in ((win.pane.target, TARGET), (win.pane.source, SOURCE)):
        block = editor.document().firstBlock()
        ranges = [(r.start, r.length) for r in block.layout().formats()
                  if r.format.background().color() == background]
        assert (text.index("<b0>"), 4) in ranges and (text.index("</a1>"), 5) in ranges


def test_tags_are_chips_in_the_table(qtbot, tagged_window):
    win, _ids = tagged_window
    win.table.go_to_row(0)  # row 1 not selected: its cells are painted on the base colour
    QApplication.processEvents()
    rect = win.table.visualRect(win.unit_model.index(1, Column.SOURCE))
    image = win.table.viewport().grab(rect).toImage()
    background, _text = tag_colors(win.table.palette())
    found = {image.pixelColor(x, y).rgb() for x in range(image.width()) for y in range(image.height())}
    assert background.rgb() in found
    # a row without tags has no chip colour
    rect = win.table.visualRect(win.unit_model.index(0, Column.TARGET))
    image = win.table.viewport().grab(rect).toImage()
    found = {image.pixelColor(x, y).rgb() for x in range(image.width()) for y in range(image.height())}
    assert background.rgb() not in found


def test_the_table_s_in_place_editor_keeps_tags_whole(qtbot, tagged_window):
    win, _ids = tagged_window
    index = win.unit_model.index(1, Column.TARGET)
    win.table.setCurrentIndex(index)
    win.table.edit(index)
    editor = win.table.itemDelegate().open_editor
    assert editor is not None and editor.toPlainText() == TARGET
    put_cursor(editor, TARGET.index("</b0>") + len("</b0>"))
    QTest.keyClick(editor, Qt.Key.Key_Backspace)
    assert editor.toPlainText() == TARGET.replace("</b0>", "", 1)


def test_qa_flags_a_target_without_the_tags(qtbot, tagged_window):
    win, ids = tagged_window
    editor = target_editor(win)
    editor.setPlainText("МВД опубликовало заявление в понедельник.")
    win.pane.flush()
    win.qa.check_document()
    qtbot.waitUntil(lambda: any(f.check == "tags" and f.unit_id == ids[1]
                                for f in win.qa.qa_pane.findings), timeout=30000)
    finding = next(f for f in win.qa.qa_pane.findings if f.check == "tags")
    assert finding.severity == "error" and "<b0>" in finding.message
