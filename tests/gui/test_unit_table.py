"""The lazy table model over the store."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette

from workbench.core.edits.commands import SetExcluded
from workbench.gui.session import ReviewSession
from workbench.gui.review.unit_table import (
    PAGE_SIZE,
    PARAGRAPH_START_ROLE,
    Column,
    UnitTableModel,
)


def test_model_passes_qt_model_tester(qtmodeltester, doc_with_mt):
    db, doc = doc_with_mt
    session = ReviewSession(db)
    model = UnitTableModel(session)
    model.set_document(doc)
    assert model.rowCount() == 6
    qtmodeltester.check(model, force_py=True)
    session.close()


def test_rows_show_store_data_and_paragraph_breaks(doc_with_mt):
    db, doc = doc_with_mt
    session = ReviewSession(db)
    model = UnitTableModel(session)
    model.set_document(doc)
    assert model.index(1, Column.SOURCE).data() == "The ministry counted migrants. They left in spring."
    assert model.index(1, Column.MT).data() == "Перевод 1."
    assert model.index(1, Column.STATUS).data() == "machine"
    assert model.index(1, Column.CHRF).data() == "100"
    # ... dimmed: untouched MT against itself says nothing about the editing
    disabled = QPalette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    assert model.index(1, Column.CHRF).data(Qt.ItemDataRole.ForegroundRole) == disabled
    assert model.index(1, Column.SOURCE).data(Qt.ItemDataRole.ForegroundRole) is None
    starts = [bool(model.index(r, 0).data(PARAGRAPH_START_ROLE)) for r in range(6)]
    assert starts == [False, True, False, True, True, False]
    assert model.index(0, 0).data(Qt.ItemDataRole.FontRole).bold()
    session.close()


def test_set_data_writes_through_a_command_and_hide_toggle(doc_with_mt):
    db, doc = doc_with_mt
    session = ReviewSession(db)
    model = UnitTableModel(session)
    model.set_document(doc)
    uid = model.unit_ids[2]
    assert model.setData(model.index(2, Column.TARGET), "Большинство уехало в Россию.")
    assert session.store.unit(uid).target == "Большинство уехало в Россию."
    assert model.index(2, Column.STATUS).data() == "edited"
    assert model.index(2, Column.TER).data() not in ("", "0")
    assert model.index(2, Column.TER).data(Qt.ItemDataRole.ForegroundRole) is None  # a real edit: not dimmed
    assert session.store.history(doc)[0].command == "SetTarget"
    model.set_document(doc, hide_skipped=True)
    assert model.rowCount() == 4  # meta and boilerplate hidden
    session.apply(doc, SetExcluded.all(session.store.unit(uid).source_segment_ids, True))
    assert model.rowCount() == 3 and uid not in model.unit_ids
    session.close()


def test_pages_are_fetched_lazily(store):
    doc = store.add_document(title="Big", language="en", target_language="ru", source_path=None,
                             checksum="big", date=None)
    store.add_segments(doc, ((n // 5, "body", f"Sentence {n}.", False) for n in range(5 * PAGE_SIZE)))
    session = ReviewSession(store.path)
    model = UnitTableModel(session)
    model.set_document(doc)
    assert model.rowCount() == 5 * PAGE_SIZE and model.pages_fetched == 0
    assert model.index(3 * PAGE_SIZE + 7, Column.SOURCE).data() == f"Sentence {3 * PAGE_SIZE + 7}."
    assert model.pages_fetched == 1
    session.close()
