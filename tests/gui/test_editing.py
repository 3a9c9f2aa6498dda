"""Editing in the review window: every change lands in the database at once,
goes through the undo stack, and the keyboard drives it."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from workbench.core.model import Status
from workbench.core.store.database import Store
from workbench.gui.main_window import MainWindow
from workbench.gui.review.unit_table import Column


@pytest.fixture
def window(qtbot, doc_with_mt, no_models):
    db, doc = doc_with_mt
    win = MainWindow(db)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    assert win.unit_model.document_id == doc
    return win


def type_text(widget, text):
    """Type like a keyboard would (QTest.keyClicks only knows ASCII)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def stored(win, row):
    """The unit of a table row as a separate connection reads it from disk."""
    uid = win.unit_model.unit_ids[row]
    with Store(win.session.db_path) as other:
        return other.unit(uid)


def test_typing_is_saved_after_a_pause_and_is_one_undo_step(qtbot, window):
    window.table.go_to_row(2)
    window.pane.focus_target()
    editor = window.pane.target
    editor.selectAll()
    type_text(editor, "Большинство")
    assert window.pane.saved_label.text() == "editing…"  # not on disk yet: no "saved"
    assert stored(window, 2).target == "Перевод 2."
    window.pane.flush()  # a pause: the first commit
    type_text(editor, " уехало в Россию.")
    qtbot.waitUntil(lambda: stored(window, 2).target == "Большинство уехало в Россию.", timeout=3000)
    assert stored(window, 2).status is Status.EDITED
    assert window.pane.saved_label.text().startswith("saved")
    doc = window.unit_model.document_id
    assert len(window.session.store.history(doc)) == 1  # two commits of one burst merged
    window.controller.undo()
    assert stored(window, 2).target == "Перевод 2." and stored(window, 2).status is Status.MACHINE
    assert editor.toPlainText() == "Перевод 2."
    window.controller.redo()
    assert stored(window, 2).target == "Большинство уехало в Россию."
    assert window.unit_model.index(2, Column.TARGET).data() == "Большинство уехало в Россию."


def test_moving_to_another_unit_commits_and_starts_a_new_step(qtbot, window):
    window.table.go_to_row(1)
    window.pane.target.setPlainText("Первая правка.")
    window.controller.next_unit()  # Alt+Down: flushes the pending edit
    assert stored(window, 1).target == "Первая правка."
    window.pane.target.setPlainText("Вторая правка.")
    window.pane.flush()
    assert len(window.session.store.history(window.unit_model.document_id)) == 2
    window.controller.undo()
    assert stored(window, 2).target == "Перевод 2." and stored(window, 1).target == "Первая правка."


def test_ctrl_enter_approves_and_goes_to_next_unapproved_body_unit(qtbot, window):
    window.table.go_to_row(2)
    window.table.setFocus()
    QTest.keyClick(window.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert stored(window, 2).status is Status.APPROVED
    assert window.table.currentIndex().row() == 4  # row 3 is meta: not work to do
    assert window.pane.unit.id == window.unit_model.unit_ids[4]
    QTest.keyClick(window.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.table.currentIndex().row() == 0  # wraps around
    window.controller.undo()
    assert stored(window, 4).status is Status.MACHINE
    assert window.table.currentIndex().row() == 4  # undo shows what it changed


def test_approving_while_typing_approves_what_was_typed(qtbot, window):
    window.table.go_to_row(4)
    window.pane.focus_target()
    window.pane.target.selectAll()
    type_text(window.pane.target, "Переводы выросли на треть.")
    QTest.keyClick(window.pane.target, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert (stored(window, 4).target, stored(window, 4).status) == ("Переводы выросли на треть.", Status.APPROVED)
    assert window.pane.target.hasFocus() and window.table.currentIndex().row() == 0  # next unapproved
    window.controller.undo()  # the approval
    window.controller.undo()  # the typing
    assert (stored(window, 4).target, stored(window, 4).status) == ("Перевод 4.", Status.MACHINE)


def test_keyboard_navigation_and_use_mt(qtbot, window):
    window.table.go_to_row(1)
    window.table.setFocus()
    QTest.keyClick(window.table, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert window.table.currentIndex().row() == 2
    QTest.keyClick(window.table, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert window.table.currentIndex().row() == 1
    window.pane.target.setPlainText("")
    window.pane.flush()
    assert stored(window, 1).status is Status.NEW
    window.table.go_to_row(4)
    QTest.keyClick(window.table, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier)
    assert window.table.currentIndex().row() == 1  # the only empty target
    QTest.keyClick(window.table, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert stored(window, 1).target == "Перевод 1." and window.pane.target.toPlainText() == "Перевод 1."
    QTest.keyClick(window.table, Qt.Key.Key_F2)
    assert window.pane.target.hasFocus()
    QTest.keyClick(window.pane.target, Qt.Key.Key_Escape)
    assert window.table.hasFocus()
    QTest.keyClick(window.table, Qt.Key.Key_Return)
    assert window.pane.target.hasFocus()


def test_split_and_merge_round_trip_through_the_actions(qtbot, window):
    window.table.go_to_row(1)
    source = "The ministry counted migrants. They left in spring."
    assert window.pane.source.toPlainText() == source
    cursor = window.pane.source.textCursor()
    cursor.setPosition(source.index("They"))
    window.pane.source.setTextCursor(cursor)
    window.pane.target.setPlainText("Министерство считало. Они уехали весной.")
    window.pane.flush()
    cursor = window.pane.target.textCursor()
    cursor.setPosition(len("Министерство считало. "))
    window.pane.target.setTextCursor(cursor)
    window.actions["split"].trigger()
    assert window.unit_model.rowCount() == 7
    assert (stored(window, 1).source, stored(window, 1).target) == ("The ministry counted migrants.", "Министерство считало.")
    assert (stored(window, 2).source, stored(window, 2).target) == ("They left in spring.", "Они уехали весной.")
    assert window.table.currentIndex().row() == 1
    window.actions["merge"].trigger()
    assert window.unit_model.rowCount() == 6
    assert stored(window, 1).source == source
    assert stored(window, 1).target == "Министерство считало. Они уехали весной."
    window.controller.undo()  # the merge
    assert window.unit_model.rowCount() == 7
    window.controller.undo()  # the split
    assert window.unit_model.rowCount() == 6 and stored(window, 1).source == source
    window.controller.redo()
    assert window.unit_model.rowCount() == 7 and stored(window, 2).source == "They left in spring."


def test_exclude_strikes_through_and_hide_toggle_hides(qtbot, window):
    window.table.go_to_row(2)
    uid = window.unit_model.unit_ids[2]
    window.actions["exclude"].trigger()
    assert stored(window, 2).excluded
    assert window.unit_model.index(2, Column.SOURCE).data(Qt.ItemDataRole.FontRole).strikeOut()
    window.actions["hide_skipped"].setChecked(True)
    assert uid not in window.unit_model.unit_ids and window.unit_model.rowCount() == 3
    window.actions["hide_skipped"].setChecked(False)
    window.controller.undo()
    assert not stored(window, 2).excluded


def test_find_and_replace_all_is_one_undo_step(qtbot, window):
    from workbench.gui.review.find_dialog import FindDialog

    dialog = FindDialog(window.controller, window)
    qtbot.addWidget(dialog)
    dialog.pattern.setText(r"Перевод (\d)")
    dialog.regex.setChecked(True)
    dialog.in_source.setChecked(False)
    window.table.go_to_row(0)
    assert dialog.run_find() == 6 and window.table.currentIndex().row() == 1
    dialog.replacement.setText(r"Текст \1")
    assert dialog.run_replace_all() == 6
    assert stored(window, 3).target == "Текст 3."
    assert len(window.session.store.history(window.unit_model.document_id)) == 1
    window.controller.undo()
    assert all(stored(window, r).target == f"Перевод {r}." for r in range(6))
    dialog.regex.setChecked(False)
    dialog.pattern.setText("(")
    dialog.in_source.setChecked(True)
    assert dialog.run_find() == 0  # a plain "(" is text, not a broken regex


def test_in_place_edit_in_the_table_goes_through_the_stack(qtbot, window):
    index = window.unit_model.index(4, Column.TARGET)
    assert window.unit_model.setData(index, "Денежные переводы выросли на треть.")
    assert stored(window, 4).target == "Денежные переводы выросли на треть."
    window.controller.undo()
    assert stored(window, 4).target == "Перевод 4."


def test_shortcuts_dialog_lists_the_real_actions(qtbot, window):
    from workbench.gui.actions import shortcut_rows
    from workbench.gui.shortcuts import ShortcutsDialog

    window.actions["use_mt"].setShortcut("Ctrl+Shift+K")  # the dialog follows the actions
    dialog = ShortcutsDialog(shortcut_rows(window.actions), window)
    qtbot.addWidget(dialog)
    rows = {command: keys for _menu, command, keys in dialog.rows()}
    assert rows["Use MT"] == "Ctrl+Shift+K"
    assert rows["Approve and next"].startswith("Ctrl+Return")
    assert rows["Next unit"] == "Alt+Down" and rows["Next untranslated"] == "Ctrl+U"
