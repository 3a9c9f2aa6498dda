"""The alignment view: links of a document pair, edited through the window's
actions (each one the core's link command, undoable, on disk at once)."""
from __future__ import annotations

import importlib.util
from collections import Counter

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtTest import QTest

from workbench.core.edits import history
from workbench.core.edits.links import (
    ConfirmLinks,
    MergeLinks,
    MoveSegment,
    RealignRange,
    SplitLink,
)
from tests.pairs import add_linked_pair
from workbench.core.store.database import Store
from workbench.gui import dialogs
from workbench.gui.actions import ALIGNMENT_ACTIONS
from workbench.gui.alignment.model import AlignmentModel, LinkColumn
from workbench.gui.document_list import DOCUMENT_ROLE
from workbench.gui.main_window import MainWindow
from workbench.gui.session import ReviewSession

SRC = ["One.", "Two.", "Three.", "Four.", "Five.", "Six."]
TGT = ["Раз.", "Два.", "Три.", "Четыре.", "Пять.", "Шесть."]
# (source sentence indices, target sentence indices, confidence) of the links
LINKS = [((0,), (0,), 0.95), ((1,), (1,), 0.30), ((2, 3), (2,), 0.8), ((4,), (3, 4), 0.9), ((5,), (5,), 0.99)]


def build_pair(path) -> int:
    """A document pair aligned by hand: 1:1, 1:1 (low confidence), 2:1, 1:2, 1:1."""
    with Store(path) as store:
        src, _tgt, _s_ids, _t_ids = add_linked_pair(store, SRC, TGT, titles=("Pair", "Pair (ru)"),
                                                    paragraph=lambda n: n // 2, links=LINKS)
    return src


def state(path, doc) -> list[tuple]:
    """Every link as a separate connection reads it from disk."""
    with Store(path) as store:
        return [(u.id, u.source_segment_ids, u.target_segment_ids, u.target, str(u.status), u.confirmed,
                 None if u.confidence is None else round(u.confidence, 6)) for u in store.units(doc)]


@pytest.fixture
def pair_db(db_path):
    return db_path, build_pair(db_path)


@pytest.fixture
def window(qtbot, pair_db, no_models):
    db, doc = pair_db
    win = MainWindow(db)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    assert win.unit_model.document_id == doc
    win.actions["alignment_view"].trigger()
    assert win.aligning()
    return win


def test_model_passes_qt_model_tester_and_shows_links(qtmodeltester, pair_db):
    db, doc = pair_db
    session = ReviewSession(db)
    model = AlignmentModel(session)
    model.set_document(doc)
    assert model.rowCount() == len(LINKS)
    qtmodeltester.check(model, force_py=True)
    rows = [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]
    assert rows[0] == ["One.", "1:1", "0.95", "Раз."]
    assert rows[2] == ["• Three.\n• Four.", "2:1", "0.80", "Три."]  # each sentence on its own line
    assert rows[3][LinkColumn.TARGET].split("\n") == ["• Четыре.", "• Пять."]
    tints = [model.index(r, LinkColumn.SOURCE).data(Qt.ItemDataRole.BackgroundRole) for r in range(5)]
    assert tints[0] is None and tints[4] is None  # plain 1:1 links
    assert tints[1] is not None and tints[2] is not None and tints[1] != tints[2]  # low confidence vs 2:1
    assert tints[2] == tints[3]
    session.close()


def test_tints_follow_the_palette(qapp, pair_db):
    from workbench.gui import palette

    db, doc = pair_db
    session = ReviewSession(db)
    model = AlignmentModel(session)
    model.set_document(doc)
    try:
        for dark in (False, True):
            palette.apply(dark)
            base = QPalette().color(QPalette.ColorRole.Base)
            text = QPalette().color(QPalette.ColorRole.Text)
            tint = model.index(2, LinkColumn.SOURCE).data(Qt.ItemDataRole.BackgroundRole)
            # A tint stays near the base colour: text keeps its contrast on it.
            assert abs(tint.lightness() - base.lightness()) < 60
            assert abs(tint.lightness() - text.lightness()) > 100
    finally:
        palette.apply(False)
        session.close()


def test_a_big_pair_opens_without_reading_every_link(qapp, store):
    n = 3000
    src, _tgt, _s_ids, _t_ids = add_linked_pair(store, [f"Sentence {k}." for k in range(n)],
                                                [f"Предложение {k}." for k in range(n)],
                                                titles=("Big", "Big (ru)"), paragraph=lambda k: k // 5)
    session = ReviewSession(store.path)
    model = AlignmentModel(session)
    model.set_document(src)
    assert model.rowCount() == n and model.pages_fetched == 0
    assert model.index(2345, LinkColumn.TARGET).data() == "Предложение 2345."
    assert model.pages_fetched == 1
    session.close()


def test_rows_are_as_tall_as_their_text_once_read(qtbot, store):
    from workbench.gui.alignment.view import MAX_LINES, AlignmentView

    long = " ".join(["The ministry counted the migrants who left for Russia in the spring."] * 4)
    endless = " ".join([long] * 6)
    src, _tgt, _s_ids, _t_ids = add_linked_pair(store, ("Short.", long, endless),
                                                ("Коротко.", "Длинно.", "Бесконечно."),
                                                titles=("Long", "Long (ru)"))
    session = ReviewSession(store.path)
    view = AlignmentView()
    qtbot.addWidget(view)
    view.set_session(session)
    view.resize(900, 700)
    view.show()
    qtbot.waitExposed(view)
    assert view.show_document(src)
    table = view.table
    qtbot.waitUntil(lambda: table.rowHeight(2) == table.line_height(MAX_LINES))  # capped
    short, tall = table.rowHeight(0), table.rowHeight(1)
    assert short == table.line_height(1) and table.line_height(2) < tall < table.line_height(MAX_LINES)
    table.setColumnWidth(LinkColumn.SOURCE, table.columnWidth(LinkColumn.SOURCE) * 2)
    qtbot.waitUntil(lambda: table.rowHeight(1) < tall)  # measured again at the new width
    assert table.rowHeight(0) == short
    session.close()


# The operations through their actions: the database ends as the core command
# would leave it (applied to an identical copy), and undo/redo restore it.
OPERATIONS = [
    ("align_merge", [0], lambda ids: MergeLinks(ids[0])),
    ("align_split", [2], lambda ids: SplitLink(ids[2], 1, 1)),
    ("align_insert_empty", [0], lambda ids: SplitLink(ids[0], 1, 0)),
    ("align_source_up", [2], lambda ids: MoveSegment(ids[2], "source", -1)),
    ("align_source_down", [2], lambda ids: MoveSegment(ids[2], "source", +1)),
    ("align_target_up", [3], lambda ids: MoveSegment(ids[3], "target", -1)),
    ("align_target_down", [3], lambda ids: MoveSegment(ids[3], "target", +1)),
    ("align_confirm_next", [0], lambda ids: ConfirmLinks((ids[0],))),
    ("align_merge", [1, 2, 3], None),  # several selected links merge into one
]
if importlib.util.find_spec("workbench.core.align") is not None:
    OPERATIONS.append(("align_realign", [1, 2, 3], lambda ids: RealignRange(ids[1], ids[3])))


def select_rows(win, rows):
    table = win.alignment_view.table
    table.go_to_row(rows[0])
    selection = table.selectionModel()
    for row in rows[1:]:
        selection.select(table.model().index(row, 0),
                         selection.SelectionFlag.Select | selection.SelectionFlag.Rows)


@pytest.mark.parametrize("action, rows, command", OPERATIONS,
                         ids=[f"{a}-{len(r)}" for a, r, _c in OPERATIONS])
def test_each_operation_writes_what_the_core_command_writes_and_undoes(window, tmp_path, action, rows, command):
    db, doc = window.session.db_path, window.alignment_view.document_id
    ids = list(window.alignment_view.model.link_ids)
    before = state(db, doc)
    copy = tmp_path / "copy.db"
    assert build_pair(copy) == doc and state(copy, doc) == before
    with Store(copy) as other:
        if command is None:
            for _ in rows[1:]:
                history.apply(other, MergeLinks(ids[rows[0]]))
        else:
            history.apply(other, command(ids))
    expected = state(copy, doc)
    assert expected != before

    select_rows(window, rows)
    window.actions[action].trigger()
    after = state(db, doc)
    assert after == expected
    model = window.alignment_view.model
    assert [model.link_at(r).unit_id for r in range(model.rowCount())] == [row[0] for row in after]
    assert window.unit_model.unit_ids == [row[0] for row in after]  # the post-editing table follows
    window.actions["undo"].trigger()
    assert state(db, doc) == before and list(model.link_ids) == ids
    window.actions["redo"].trigger()
    assert state(db, doc) == after


def test_keyboard_drives_the_alignment(qtbot, window):
    db, doc = window.session.db_path, window.alignment_view.document_id
    table = window.alignment_view.table
    table.setFocus()
    table.go_to_row(2)  # 2:1
    QTest.keyClick(table, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier)
    links = state(db, doc)
    assert (len(links[1][1]), len(links[1][2]), len(links[2][1])) == (2, 1, 1)  # "Three." moved up
    assert table.current_link().sources == ("Four.",)
    QTest.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert table.current_link().targets == () and window.alignment_view.model.link_at(3).targets[0] == "Три."
    QTest.keyClick(table, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert table.current_link().sources == ("Four.", "Five.")
    QTest.keyClick(table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert table.current_link().shape == "1:1"
    window.alignment_view.detail.source.setFocus()
    QTest.keyClick(window.alignment_view.detail.source, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert table.hasFocus()  # Ctrl+L: back to the table shown
    for _ in range(2):  # the split, the merge
        QTest.keyClick(table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert table.current_link().shape == "1:0"
    QTest.keyClick(table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [len(r[1]) for r in state(db, doc)] == [len(s) for s, _t, _c in LINKS]


def test_next_suspicious_and_next_unconfirmed(window):
    table = window.alignment_view.table
    table.go_to_row(0)
    table.setFocus()
    visited = []
    for _ in range(4):
        QTest.keyClick(table, Qt.Key.Key_F8)
        visited.append(table.currentIndex().row())
    assert visited == [1, 2, 3, 1]  # low confidence, 2:1, 1:2, then around again
    table.go_to_row(1)
    window.actions["align_confirm_next"].trigger()  # confirmed links are no longer suspicious
    table.go_to_row(0)
    QTest.keyClick(table, Qt.Key.Key_F8)
    assert table.currentIndex().row() == 2
    table.go_to_row(0)
    QTest.keyClick(table, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert table.currentIndex().row() == 2  # row 1 is confirmed


def test_confirm_marks_approves_and_moves_on(qtbot, window):
    db, doc = window.session.db_path, window.alignment_view.document_id
    table, model = window.alignment_view.table, window.alignment_view.model
    table.go_to_row(0)
    table.setFocus()
    QTest.keyClick(table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    first = state(db, doc)[0]
    assert first[4:6] == ("approved", True)
    assert model.index(0, LinkColumn.SHAPE).data() == "1:1 ✓"
    assert table.currentIndex().row() == 1  # the next unconfirmed link
    qtbot.waitUntil(lambda: window.alignment_view.summary.text().startswith("5 links · 1 confirmed"))
    select_rows(window, [1, 2, 3, 4])
    window.actions["align_confirm_next"].trigger()
    assert all(row[4:6] == ("approved", True) for row in state(db, doc))
    assert "every link is confirmed" in window.statusBar().currentMessage()
    table.go_to_row(2)
    window.actions["align_unconfirm"].trigger()
    assert state(db, doc)[2][4:6] == ("edited", False)
    window.actions["undo"].trigger()
    window.actions["undo"].trigger()
    assert [row[5] for row in state(db, doc)] == [True, False, False, False, False]
    window.actions["undo"].trigger()
    assert state(db, doc)[0][4:6] == ("edited", False) and model.index(0, LinkColumn.SHAPE).data() == "1:1"


def test_refused_operations_say_why_and_change_nothing(window):
    db, doc = window.session.db_path, window.alignment_view.document_id
    before = state(db, doc)
    table = window.alignment_view.table
    table.go_to_row(0)
    window.actions["align_split"].trigger()  # 1:1: nothing to split off
    assert "Insert empty counterpart" in window.statusBar().currentMessage()
    window.actions["align_source_up"].trigger()
    assert "first link" in window.statusBar().currentMessage()
    table.go_to_row(4)
    window.actions["align_merge"].trigger()
    assert "last link" in window.statusBar().currentMessage()
    assert state(db, doc) == before and window.session.next_undo() is None


def test_shortcuts_never_clash_and_are_listed(window):
    from workbench.gui.actions import shortcut_rows
    from workbench.gui.shortcuts import ShortcutsDialog

    def enabled_keys():
        return Counter(k.toString() for a in window.actions.values() if a.isEnabled() for k in a.shortcuts())

    for aligning in (True, False):
        window.show_alignment(aligning)
        assert window.aligning() is aligning
        clashes = [k for k, n in enabled_keys().items() if n > 1]
        assert not clashes, clashes
        assert window.actions["align_merge"].isEnabled() is aligning
        assert window.actions["merge"].isEnabled() is not aligning
    dialog = ShortcutsDialog(shortcut_rows(window.actions), window)
    rows = {(menu, command): keys for menu, command, keys in dialog.rows()}
    assert rows[("Align", "Merge with next link")] == "Ctrl+Shift+M"
    assert rows[("Align", "Next suspicious link")] == "F8"
    assert rows[("Align", "Move first source sentence up")] == "Alt+Shift+Up"
    assert rows[("File", "Export")] == "Ctrl+Shift+E"
    assert all(("Align", window.actions[name].text().replace("&", "").rstrip("…")) in rows
               for name in ALIGNMENT_ACTIONS)


def test_documents_without_translation_have_no_alignment_view(qtbot, doc_with_mt, no_models):
    db, doc = doc_with_mt
    win = MainWindow(db)
    qtbot.addWidget(win)
    win.show()
    assert win.unit_model.document_id == doc and not win.center_tabs.isTabEnabled(1)
    win.show_alignment(True)
    assert not win.aligning() and not win.actions["alignment_view"].isChecked()
    assert not win.actions["align_merge"].isEnabled()


ARTICLE_EN = ("Migrants and the ministry\n\nThe ministry counted the migrants on Monday. Most of them left "
              "for Russia in the spring.\n\nRemittances grew by a third last year. The banks were pleased.\n")
ARTICLE_RU = ("Мигранты и министерство\n\nВ понедельник министерство подсчитало мигрантов. Большинство из "
              "них уехали в Россию весной.\n\nДенежные переводы в прошлом году выросли на треть. Банки были "
              "довольны.\n")


def write_articles(tmp_path):
    en, ru = tmp_path / "article_en.txt", tmp_path / "article_ru.txt"
    en.write_text(ARTICLE_EN, encoding="utf-8")
    ru.write_text(ARTICLE_RU, encoding="utf-8")
    return en, ru


def test_import_pair_through_the_ui_opens_the_alignment(qtbot, db_path, tmp_path, no_models, monkeypatch):
    pytest.importorskip("workbench.core.align")
    en, ru = write_articles(tmp_path)
    answers = [str(en), str(ru)]
    monkeypatch.setattr(dialogs, "choose_open_file", lambda *a: answers.pop(0))
    win = MainWindow(db_path)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.pairs.finished, timeout=30000) as blocker:
        win.actions["import_pair"].trigger()
    result = blocker.args[0]
    assert result is not None and not answers
    with Store(db_path) as store:
        assert store.translation_of(result.source_document_id).id == result.target_document_id
        units = list(store.units(result.source_document_id))
    # The translation is no item of its own to post-edit: its source says it is aligned.
    assert win.doc_model.document_ids() == [result.source_document_id]
    row = win.doc_model.index(0).data(DOCUMENT_ROLE)
    assert row.translation == "Мигранты и министерство" and "aligned" in row.subtitle
    win.doc_model.set_progress(result.source_document_id, 1, result.links)
    assert win.doc_model.index(0).data(DOCUMENT_ROLE).translation == row.translation
    assert win.aligning() and win.alignment_view.model.rowCount() == len(units) == result.links
    assert win.alignment_view.model.link_at(0).sources == ("Migrants and the ministry",)
    assert win.alignment_view.model.link_at(0).targets == ("Мигранты и министерство",)


def test_a_cancelled_pair_import_says_so_and_imports_nothing(qtbot, db_path, tmp_path, no_models, monkeypatch,
                                                            no_modal_dialogs):
    pytest.importorskip("workbench.core.align")
    from workbench.gui.alignment import pair_import

    en, ru = write_articles(tmp_path)
    real_job = pair_import.import_pair_job
    # Cancel pressed at once: the job meets it at its first poll.
    monkeypatch.setattr(pair_import, "import_pair_job",
                        lambda *args, progress, cancelled: real_job(*args, progress=progress, cancelled=lambda: True))
    win = MainWindow(db_path)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.pairs.finished, timeout=30000) as blocker:
        assert win.pairs.start_pair(str(en), str(ru))
    assert blocker.args[0] is None and not no_modal_dialogs  # a cancel is no error
    assert "cancelled" in win.statusBar().currentMessage()
    assert "nothing was imported" in win.statusBar().currentMessage()
    assert not win.jobs.busy
    with Store(db_path) as store:
        assert store.documents() == []


def test_import_translation_of_the_selected_document(qtbot, db_path, tmp_path, no_models, monkeypatch,
                                                     no_modal_dialogs):
    pytest.importorskip("workbench.core.align")
    from workbench.core.importing import import_paths

    en, ru = write_articles(tmp_path)
    with Store(db_path) as store:
        doc = import_paths(store, [en])[0].document_id
    monkeypatch.setattr(dialogs, "choose_open_file", lambda *a: str(ru))
    win = MainWindow(db_path)
    qtbot.addWidget(win)
    win.show()
    assert not win.center_tabs.isTabEnabled(1)
    # An edit on the undo stack refers to units the alignment replaces.
    win.table.go_to_row(1)
    win.pane.target.setPlainText("Черновик.")
    win.pane.flush()
    with qtbot.waitSignal(win.pairs.finished, timeout=30000) as blocker:
        win.actions["import_translation"].trigger()
    assert blocker.args[0] is not None and blocker.args[0].source_document_id == doc
    assert [kind for kind, *_ in no_modal_dialogs] == ["ask"]  # the draft is replaced: asked first
    assert win.aligning() and win.center_tabs.isTabEnabled(1)
    assert win.alignment_view.model.rowCount() == blocker.args[0].links
    # The alignment is one step of the document's history: Ctrl+Z takes it
    # back (the 1:0 units with the draft return), Ctrl+Shift+Z redoes it.
    links = win.alignment_view.model.rowCount()
    win.controller.undo()
    with Store(db_path) as store:
        assert "Черновик." in [u.target for u in store.units(doc)]
        assert not any(u.target_segment_ids for u in store.units(doc))
    win.controller.redo()
    with Store(db_path) as store:
        assert sum(1 for _ in store.units(doc)) == links


def test_a_failed_import_says_why(qtbot, db_path, tmp_path, no_models, monkeypatch, no_modal_dialogs):
    pytest.importorskip("workbench.core.align")
    en, _ru = write_articles(tmp_path)
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    answers = [str(en), str(empty)]
    monkeypatch.setattr(dialogs, "choose_open_file", lambda *a: answers.pop(0))
    win = MainWindow(db_path)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.pairs.finished, timeout=30000) as blocker:
        win.actions["import_pair"].trigger()
    assert blocker.args[0] is None
    assert no_modal_dialogs[-1][:2] == ("error", "Alignment failed") and "empty.txt" in no_modal_dialogs[-1][2]
    assert win.doc_model.rowCount() == 0
