"""The Preview tab: the article and its translation as flowing text, MT
marked, clicks select units, the current unit highlighted on both sides,
scrolling together, following edits."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont, QTextCursor
from PySide6.QtTest import QTest

from workbench.core.edits.commands import SetTarget
from workbench.core.store.database import Store
from workbench.gui.main_window import MainWindow
from workbench.gui.review.preview_pane import CHUNK_UNITS, EMPTY_MARK, UNIT_PROPERTY
from tests.gui.helpers import open_window


def open_preview(qtbot, win):
    win.actions["preview"].trigger()
    assert win.units_tabs.currentWidget() is win.preview_pane
    qtbot.waitUntil(lambda: win.preview_pane.complete, timeout=20000)
    return win.preview_pane


@pytest.fixture
def window(qtbot, db_path, no_models):
    with Store(db_path) as store:
        doc = store.add_document(title="Migrants", language="en", target_language="ru", source_path=None,
                                 checksum="preview", date="2023-09-28")
        store.add_segments(doc, [
            (0, "title", "Migrants and the ministry", False),
            (1, "meta", "28 September 2023", False),
            (2, "body", "The ministry counted <b0>migrants</b0>.", False),
            (2, "body", "They left in spring.", False),
            (3, "body", "Most went to Russia.", False),
            (4, "boilerplate", "Subscribe to our channel", False),
        ])
        ids = store.unit_ids(doc)
        # MT for all but the fourth body sentence; a person's translation of the title.
        store.set_machine_translations((uid, f"Машинный перевод {n}.", "argos", "translate-en_ru", "1.9")
                                       for n, uid in enumerate(ids) if n != 4)
    win = open_window(qtbot, db_path)
    win.session.apply(doc, SetTarget(ids[0], "Мигранты и министерство"))
    return win, ids


def block_texts(view):
    document = view.document()
    return [document.findBlockByNumber(n).text() for n in range(document.blockCount())]


def unit_format(view, unit_id):
    start, _end = view.unit_range(unit_id)
    cursor = QTextCursor(view.document())
    cursor.setPosition(start + 1)
    return cursor.charFormat()


def test_title_meta_and_paragraphs_in_order(qtbot, window):
    win, ids = window
    pane = open_preview(qtbot, win)
    assert block_texts(pane.source) == ["Migrants and the ministry", "28 September 2023",
                                        "The ministry counted migrants. They left in spring.",
                                        "Most went to Russia.", "Subscribe to our channel"]
    title, meta, body = (unit_format(pane.source, ids[n]) for n in (0, 1, 2))
    assert title.fontPointSize() > body.fontPointSize() > meta.fontPointSize()
    assert title.fontWeight() == QFont.Weight.Bold
    # the translation side: the same paragraphs, the person's title, MT elsewhere
    texts = block_texts(pane.target)
    assert len(texts) == 5 and texts[0] == "Мигранты и министерство"
    assert texts[2] == "Машинный перевод 2. Машинный перевод 3."


def test_machine_translation_is_marked_and_an_empty_unit_has_a_place(qtbot, window):
    win, ids = window
    pane = open_preview(qtbot, win)
    person, machine = unit_format(pane.target, ids[0]), unit_format(pane.target, ids[2])
    assert machine.fontItalic() and machine.background().style() != Qt.BrushStyle.NoBrush
    assert not person.fontItalic() and person.background().style() == Qt.BrushStyle.NoBrush
    start, end = pane.target.unit_range(ids[4])
    assert pane.target.document().toPlainText()[start:end] == EMPTY_MARK
    # the source is never marked as MT
    assert not unit_format(pane.source, ids[2]).fontItalic()


def test_tags_show_as_the_formatting_they_stand_for(qtbot, window):
    win, ids = window
    pane = open_preview(qtbot, win)
    text = pane.source.document().toPlainText()
    assert "<b0>" not in text and "</b0>" not in text
    cursor = QTextCursor(pane.source.document())
    cursor.setPosition(text.index("migrants") + 2)
    assert cursor.charFormat().fontWeight() == QFont.Weight.Bold
    cursor.setPosition(text.index("counted") + 2)
    assert cursor.charFormat().fontWeight() != QFont.Weight.Bold
    assert cursor.charFormat().property(UNIT_PROPERTY) == ids[2]


def click_unit(view, unit_id):
    start, end = view.unit_range(unit_id)
    cursor = QTextCursor(view.document())
    cursor.setPosition((start + end) // 2)
    point = view.cursorRect(cursor).center()
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)


def test_a_click_on_either_side_selects_the_unit(qtbot, window):
    win, ids = window
    pane = open_preview(qtbot, win)
    click_unit(pane.source, ids[3])
    assert win.table.current_unit().id == ids[3] and win.pane.unit.id == ids[3]
    click_unit(pane.target, ids[4])  # the empty placeholder is a place too
    assert win.table.current_unit().id == ids[4]
    click_unit(pane.target, ids[0])
    assert win.table.current_unit().id == ids[0]


def test_the_current_unit_is_highlighted_on_both_sides(qtbot, window):
    win, ids = window
    pane = open_preview(qtbot, win)
    win.table.go_to_unit(ids[3])
    for view in (pane.source, pane.target):
        assert view.highlighted_range() == view.unit_range(ids[3])
    win.controller.next_unit()
    for view in (pane.source, pane.target):
        assert view.highlighted_range() == view.unit_range(ids[4])


def test_the_preview_follows_an_edit(qtbot, window):
    win, ids = window
    pane = open_preview(qtbot, win)
    win.table.go_to_unit(ids[2])
    win.pane.target.setPlainText("Министерство подсчитало <b0>мигрантов</b0>.")
    win.pane.flush()
    qtbot.waitUntil(lambda: "Министерство подсчитало мигрантов." in pane.target.document().toPlainText(),
                    timeout=5000)
    edited = unit_format(pane.target, ids[2])
    assert not edited.fontItalic()  # a person's translation now, not MT
    text = pane.target.document().toPlainText()
    cursor = QTextCursor(pane.target.document())
    cursor.setPosition(text.index("мигрантов") + 2)
    assert cursor.charFormat().fontWeight() == QFont.Weight.Bold
    assert pane.target.highlighted_range() == pane.target.unit_range(ids[2])  # still highlighted
    win.controller.undo()
    qtbot.waitUntil(lambda: "Машинный перевод 2." in pane.target.document().toPlainText(), timeout=5000)


def test_ctrl_alt_p_toggles_the_preview(qtbot, window):
    win, _ids = window
    QTest.keyClick(win.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert win.units_tabs.currentWidget() is win.preview_pane and win.actions["preview"].isChecked()
    QTest.keyClick(win.preview_pane.source, Qt.Key.Key_P,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert win.units_tabs.currentWidget() is win.table and not win.actions["preview"].isChecked()


@pytest.fixture
def long_window(qtbot, db_path, no_models):
    """2,000 units in 400 paragraphs; the translation of every third unit is longer."""
    with Store(db_path) as store:
        doc = store.add_document(title="Long", language="en", target_language="ru", source_path=None,
                                 checksum="preview-long", date=None)
        store.add_segments(doc, [(n // 5, "body", f"Sentence {n} of the long article about migration.", False)
                                 for n in range(2000)])
        ids = store.unit_ids(doc)
        store.set_machine_translations(
            (uid, f"Предложение {n} длинной статьи о миграции." + (" Ещё немного текста." * 3 if n % 3 == 0 else ""),
             "argos", "translate-en_ru", "1.9") for n, uid in enumerate(ids))
    win = MainWindow(db_path)
    qtbot.addWidget(win)
    win.resize(1400, 850)
    win.show()
    qtbot.waitExposed(win)
    return win, ids


def test_a_long_document_is_built_in_steps_and_both_sides_scroll_together(qtbot, long_window):
    win, ids = long_window
    pane = open_preview(qtbot, win)
    assert pane.build_steps >= 2000 // CHUNK_UNITS  # never one long stall
    assert pane.source.document().blockCount() == 400
    top = QPoint(24, 6)
    bar = pane.source.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    uid = pane.source.unit_at(top)
    assert uid is not None and uid != ids[0]
    # the unit at the top of the source starts at the same height in the translation
    assert abs(pane.target.unit_top(uid) - pane.source.unit_top(uid)) <= 2
    assert pane.target.verticalScrollBar().value() > 0
    # and the other way round
    other = pane.target.verticalScrollBar()
    other.setValue(other.maximum() // 4)
    uid = pane.target.unit_at(top)
    assert abs(pane.target.unit_top(uid) - pane.source.unit_top(uid)) <= 2
    # the table's selection brings its unit into view on both sides
    win.table.go_to_unit(ids[1500])
    for view in (pane.source, pane.target):
        y = view.unit_top(ids[1500])
        assert 0 <= y < view.viewport().height()
