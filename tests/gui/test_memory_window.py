"""The window's translation memory: the Matches pane (lookups off the GUI
thread, differences marked), Ctrl+R, Ctrl+1, the concordance dialog and the
match analysis dialog."""
from __future__ import annotations

import pytest

from workbench.core.edits import history
from workbench.core.edits.commands import SetTarget
from workbench.core.memory.filling import approval
from workbench.core.store.database import Store
from workbench.gui.main_window import MainWindow

SIMILAR = "The ministry counted the migrants."


@pytest.fixture
def window(qtbot, doc_with_mt, no_models):
    db_path, doc = doc_with_mt
    with Store(db_path) as store:
        other = store.add_document(title="Earlier", language="en", target_language="ru", source_path=None,
                                   checksum="earlier", date=None)
        store.add_segments(other, [(0, "body", SIMILAR, False), (0, "body", "Remittances grew by a half.", False)])
        for uid, text in zip(store.unit_ids(other), ["Министерство подсчитало мигрантов.",
                                                     "Денежные переводы выросли наполовину."]):
            history.apply(store, SetTarget(uid, text))
            history.apply(store, approval(store, (uid,)))
        units = store.unit_ids(doc)
    win = MainWindow(db_path)
    qtbot.addWidget(win)
    win.show()
    win.doc_list.select_document(doc)
    return win, doc, units


def _matches_for(qtbot, win, unit_id):
    win.table.go_to_unit(unit_id)
    qtbot.waitUntil(lambda: win.matches_pane.unit is not None and win.matches_pane.unit.id == unit_id
                    and bool(win.matches_pane.matches), timeout=10000)
    return win.matches_pane.matches


def test_matches_pane_shows_the_best_match_with_differences(qtbot, window):
    win, _doc, units = window
    matches = _matches_for(qtbot, win, units[1])  # "The ministry counted migrants. They left in spring."
    assert matches[0].source == SIMILAR
    html = win.matches_pane.view.toHtml()
    assert "line-through" in html and "underline" in html and "Earlier" in html


def test_ctrl_r_replaces_with_the_best_match_and_undo_restores(qtbot, window):
    win, _doc, units = window
    _matches_for(qtbot, win, units[4])  # "Remittances grew by a third."
    win.actions["replace_with_match"].trigger()
    with Store(win.session.db_path) as store:
        unit = store.unit(units[4])
        assert (unit.target, unit.status.value) == ("Денежные переводы выросли наполовину.", "tm")
    win.actions["undo"].trigger()
    with Store(win.session.db_path) as store:
        assert store.unit(units[4]).status.value == "machine"


def test_ctrl_1_inserts_at_the_cursor(qtbot, window):
    win, _doc, units = window
    _matches_for(qtbot, win, units[4])
    win.pane.target.setPlainText("")
    win.actions["insert_match_1"].trigger()
    assert win.pane.target.toPlainText() == "Денежные переводы выросли наполовину."


def test_concordance_dialog_searches_as_you_type(qtbot, window):
    win, _doc, units = window
    win.table.go_to_unit(units[1])
    win.actions["concordance"].trigger()
    dialog = win.memory._concordance
    dialog.query.setText("мигрант")
    dialog.side.setCurrentIndex(1)
    qtbot.waitUntil(lambda: "1 pairs" in dialog.count.text(), timeout=10000)
    assert "подсчитало" in dialog.results.toPlainText()


def test_match_analysis_dialog(qtbot, window):
    win, _doc, units = window
    win.table.go_to_unit(units[1])
    win.actions["match_analysis"].trigger()
    dialog = win.memory._stats
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 9, timeout=20000)
    assert dialog.table.item(8, 0).text() == "Total"


def test_repetitions_setting_in_the_menu(qtbot, window):
    win, _doc, _units = window
    action = win.actions["fill_repetitions"]
    assert action.isChecked()
    action.setChecked(False)
    with Store(win.session.db_path) as store:
        assert store.tm_setting("repetitions", "on") == "off"
