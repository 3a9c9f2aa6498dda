"""The document list of a large database is read by a worker: the window opens
before the rows are read, keeps answering meanwhile, and a selection asked
for while they load applies when they arrive."""
from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QTimer

from tests.gui.helpers import open_window
from workbench.core.store.bulk_rows import BulkDocument, BulkUnit
from workbench.core.store.database import Store
from workbench.gui.document_list import SYNC_LIMIT
from workbench.gui.main_window import MainWindow

DOCUMENTS = 3_000


@pytest.fixture
def big_db(tmp_path):
    path = tmp_path / "many.db"
    with Store(path) as store:
        ids = store.add_documents_bulk(
            BulkDocument(title=f"Article {n:04d}", language="en", target_language="ru", checksum=f"many-{n}",
                         units=[BulkUnit(f"Sentence one of {n}."), BulkUnit(f"Sentence two of {n}.",
                                                                            status="approved", target="Два.")])
            for n in range(DOCUMENTS))
        assert store.document_count() == DOCUMENTS > SYNC_LIMIT
    return path, ids


class GapMeter:
    """A 10 ms timer recording the longest gap between its ticks (printed, never asserted)."""

    def __init__(self):
        self.longest = 0.0
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self):
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self._last = now


def test_document_count_leaves_out_pending_imports(store):
    assert store.document_count() == 0
    store.add_document(title="A", language="en", target_language="ru", source_path=None, checksum="a", date=None)
    assert store.document_count() == len(store.documents()) == 1


def test_a_large_database_opens_before_its_document_list_is_read(qtbot, big_db):
    path, ids = big_db
    win = MainWindow(path)
    qtbot.addWidget(win)
    model = win.doc_model
    # The window is built, the rows are still being read (their arrival
    # needs the event loop, which has not run since): the list says so.
    assert model.loading and model.loading_count == DOCUMENTS
    assert model.rowCount() == 0
    assert win.doc_list.current_document_id() is None
    wanted = ids[1234]
    assert win.doc_list.select_document(wanted)   # asked for while loading
    meter = GapMeter()  # from here on the event loop runs: showing, painting, the rows arriving
    win.resize(1400, 850)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: model.rowCount() == DOCUMENTS, timeout=60_000)
    meter.timer.stop()
    print(f"\nlongest event-loop gap while {DOCUMENTS:,} document rows loaded: {meter.longest * 1000:.0f} ms")
    assert not model.loading
    assert win.doc_list.current_document_id() == wanted
    qtbot.waitUntil(lambda: win.unit_model.document_id == wanted, timeout=10_000)
    assert model.row_of(wanted) == 1234 and model.document_ids()[:2] == ids[:2]


def test_without_a_request_the_first_document_is_selected_once_loaded(qtbot, big_db):
    path, ids = big_db
    win = MainWindow(path)
    qtbot.addWidget(win)
    assert win.doc_model.loading
    win.show()
    qtbot.waitUntil(lambda: win.doc_list.current_document_id() == ids[0], timeout=60_000)
    assert win.unit_model.document_id == ids[0]


def test_a_reload_keeps_the_rows_and_the_current_document_until_the_new_ones_arrive(qtbot, big_db):
    path, ids = big_db
    win = open_window(qtbot, path)
    model = win.doc_model
    qtbot.waitUntil(lambda: win.doc_list.current_document_id() == ids[0], timeout=60_000)
    win.doc_list.select_document(ids[7])
    with Store(path) as store:  # another process adds a document and approves a unit
        new = store.add_document(title="Late article", language="en", target_language="ru", source_path=None,
                                 checksum="late", date=None)
    changes = []
    win.doc_list.current_document_changed.connect(changes.append)
    model.reload()
    model.reload()  # a second reload while the first reads: only the newest read is swapped in
    assert model.loading and model.rowCount() == DOCUMENTS
    assert win.doc_list.current_document_id() == ids[7]
    model.set_progress(ids[7], 2, 2)  # progress while loading: applied to the current rows
    qtbot.waitUntil(lambda: model.rowCount() == DOCUMENTS + 1, timeout=60_000)
    assert model.row_of(new) == DOCUMENTS
    assert win.doc_list.current_document_id() == ids[7]
    assert changes == []  # the same document stayed current: the window was not told to reload it


def test_an_import_selects_its_first_document_after_the_rows_arrive(qtbot, big_db):
    path, ids = big_db
    win = open_window(qtbot, path)
    qtbot.waitUntil(lambda: win.doc_list.current_document_id() == ids[0], timeout=60_000)
    with Store(path) as store:
        new = store.add_document(title="Imported", language="en", target_language="ru", source_path=None,
                                 checksum="imported", date=None)
    win._imported([new])  # what the import job's end calls
    assert win.doc_model.loading
    qtbot.waitUntil(lambda: win.doc_list.current_document_id() == new, timeout=60_000)
    qtbot.waitUntil(lambda: win.unit_model.document_id == new, timeout=10_000)
