"""The window around the editing: start-up, databases, import, MT jobs, scores, settings."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from workbench.core.store.database import Store
from workbench.gui.app import open_main_window
from workbench.gui.document_list import DOCUMENT_ROLE
from workbench.gui.main_window import MainWindow
from workbench.gui.review.unit_table import Column
from workbench.gui.jobs.workers import TranslateWorker

from tests.conftest import SEEDS


def make_window(qtbot, db, **kwargs) -> MainWindow:
    win = MainWindow(db, **kwargs)
    qtbot.addWidget(win)
    win.show()
    return win


def test_starts_without_any_model_and_says_how_to_get_one(qtbot, seeded_db, no_models, no_modal_dialogs):
    db, _docs = seeded_db
    win = open_main_window(db)
    qtbot.addWidget(win)
    assert win.doc_model.rowCount() == 2 and win.unit_model.rowCount() > 10
    qtbot.waitUntil(lambda: "Models" in win.pane.mt.placeholderText())
    with qtbot.waitSignal(win.translation_finished, timeout=10000):
        assert win.translate_document()
    assert no_modal_dialogs and no_modal_dialogs[-1][0] == "error"
    assert "no en→ru model installed" in no_modal_dialogs[-1][2]
    assert not win.jobs.busy and win.actions["translate_document"].isEnabled()


def test_a_file_that_is_not_a_database_gives_a_dialog_not_a_crash(qtbot, tmp_path, no_modal_dialogs):
    bogus = tmp_path / "notes.db"
    bogus.write_text("these are my notes, not a database", encoding="utf-8")
    win = make_window(qtbot, bogus)
    assert win.session is None
    assert [kind for kind, *_ in no_modal_dialogs] == ["error"]
    assert "not a workbench database" in no_modal_dialogs[0][2]
    assert bogus.read_text(encoding="utf-8").startswith("these are my notes")
    assert not win.actions["approve_next"].isEnabled() and win.unit_model.rowCount() == 0
    win.import_paths([str(SEEDS)])  # refused with a dialog, nothing runs
    assert no_modal_dialogs[-1][1] == "Cannot import" and not win.jobs.busy


def test_an_unwritable_path_gives_a_dialog_then_another_database_opens(qtbot, tmp_path, seeded_db, no_modal_dialogs):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    win = make_window(qtbot, blocker / "sub" / "workbench.db")
    assert win.session is None and "cannot create" in no_modal_dialogs[0][2]
    db, _docs = seeded_db
    assert win.open_database(db)
    assert win.doc_model.rowCount() == 2


def drop_files(win, paths):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    win.dropEvent(event)


def test_drag_and_drop_imports_and_bad_files_are_reported(qtbot, db_path, tmp_path, no_modal_dialogs):
    win = make_window(qtbot, db_path)
    assert win.doc_model.rowCount() == 0
    with qtbot.waitSignal(win.import_finished, timeout=15000) as blocker:
        drop_files(win, sorted(SEEDS.glob("*.txt")))
    assert len(blocker.args[0]) == 2 and win.doc_model.rowCount() == 2
    assert win.unit_model.document_id == blocker.args[0][0] and win.unit_model.rowCount() > 10
    binary = tmp_path / "photo.txt"
    binary.write_bytes(bytes(range(256)) * 20)
    with qtbot.waitSignal(win.import_finished, timeout=15000):
        drop_files(win, [binary])
    assert no_modal_dialogs[-1][:2] == ("error", "Import failed") and "photo.txt" in no_modal_dialogs[-1][2]
    assert win.doc_model.rowCount() == 2


XLIFF = ('<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" '
         'xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="d" source-language="en" '
         'target-language="ru" datatype="plaintext"><body><trans-unit id="1"><source>Hello.'
         '</source><target>Привет.</target></trans-unit></body></file></xliff>\n')
TMX = ('<?xml version="1.0"?>\n<tmx version="1.4"><header srclang="en"/><body><tu>'
       '<tuv xml:lang="en"><seg>Good morning.</seg></tuv><tuv xml:lang="ru"><seg>Доброе утро.</seg>'
       '</tuv></tu></body></tmx>\n')


def test_dropped_corpora_are_told_by_content_and_a_bad_one_imports_nothing(qtbot, db_path, tmp_path,
                                                                           no_modal_dialogs):
    win = make_window(qtbot, db_path)
    xliff, tmx_as_txt = tmp_path / "corpus.xlf", tmp_path / "saved-as.txt"
    xliff.write_text(XLIFF, encoding="utf-8")
    tmx_as_txt.write_text(TMX, encoding="utf-8")
    bad = tmp_path / "ragged.csv"
    bad.write_text("en,ru\na,b\nc,d,e\n", encoding="utf-8")
    with qtbot.waitSignal(win.import_finished, timeout=15000):
        drop_files(win, [SEEDS / "en_uzbek_interior_ministry_cis_migration_2023-09-28.txt", xliff, bad])
    assert no_modal_dialogs[-1][:2] == ("error", "Import failed") and "ragged.csv" in no_modal_dialogs[-1][2]
    assert win.doc_model.rowCount() == 0  # all or nothing: the article did not land either
    with qtbot.waitSignal(win.import_finished, timeout=15000) as blocker:
        drop_files(win, [xliff, tmx_as_txt])
    ids = blocker.args[0]
    with Store(db_path) as store:
        assert [[(u.source, u.target) for u in store.units(i)] for i in ids] == [
            [("Hello.", "Привет.")], [("Good morning.", "Доброе утро.")]]


def test_the_import_dialog_offers_every_importable_format():
    from workbench.gui.main_window import import_file_filter

    patterns = import_file_filter().split(";;")[0]
    for suffix in ("*.txt", "*.md", "*.tmx", "*.xlf", "*.xliff", "*.csv", "*.tsv"):
        assert suffix in patterns


def test_translate_fills_rows_as_batches_finish_and_reports_progress(qtbot, seeded_db, packages_dir):
    db, docs = seeded_db
    win = make_window(qtbot, db, packages_dir=packages_dir)
    win.doc_list.select_document(docs["en"])
    batches, fractions = [], []
    win.session.units_changed.connect(lambda doc, ids: batches.append(ids))
    win.jobs.progressed.connect(lambda f, m: fractions.append(f))
    assert win.translate_document()
    assert win.job_bar.isVisible() and not win.actions["translate_document"].isEnabled()
    with qtbot.waitSignal(win.translation_finished, timeout=30000) as blocker:
        pass
    outcome = blocker.args[0]
    assert not outcome.errors and outcome.summaries[docs["en"]].translated > 0
    assert batches and fractions and fractions[-1] == pytest.approx(1.0)
    body_rows = [r for r in range(win.unit_model.rowCount())
                 if str(win.unit_model.unit_at(r).kind) == "body"]
    assert all(win.unit_model.index(r, Column.MT).data() for r in body_rows)
    assert win.unit_model.index(body_rows[0], Column.STATUS).data() == "machine"
    assert not win.job_bar.isVisible()
    win.table.go_to_row(body_rows[0])
    assert win.pane.mt.toPlainText() == win.unit_model.unit_at(body_rows[0]).mt


def test_translate_all_translates_every_document(qtbot, seeded_db, packages_dir):
    db, docs = seeded_db
    win = make_window(qtbot, db, packages_dir=packages_dir)
    with qtbot.waitSignal(win.translation_finished, timeout=30000) as blocker:
        assert win.translate_all()
    outcome = blocker.args[0]
    assert sorted(outcome.summaries) == sorted(docs.values()) and not outcome.errors
    with Store(db) as store:
        for doc in docs.values():
            assert any(u.mt for u in store.units(doc))
    qtbot.waitUntil(lambda: all(row.approved == 0 and row.total > 0 for row in
                                (win.doc_model.index(r).data(DOCUMENT_ROLE) for r in range(2))))

    def machine_count() -> int:
        found = re.search(r"· ([\d,]+) MT", win.counts_label.text())
        return int(found.group(1).replace(",", "")) if found else 0

    qtbot.waitUntil(lambda: machine_count() > 0)


def test_translation_can_be_cancelled_and_keeps_finished_batches(qtbot, seeded_db, packages_dir):
    db, docs = seeded_db
    worker = TranslateWorker(db, [docs["en"]], packages_dir=packages_dir, batch_size=2)
    batches = []
    worker.signals.batch_finished.connect(lambda doc, ids: (batches.append(ids), worker.cancel()))
    with qtbot.waitSignal(worker.signals.cancelled, timeout=30000) as blocker:
        worker.start()
    message, outcome = blocker.args
    summary = outcome.summaries[docs["en"]]
    assert message == outcome.describe() and message.startswith("cancelled after")
    # The cancel crosses threads (the GUI thread sees a batch's signal only
    # when its event loop turns): on a busy machine a few more batches land
    # first, but the run stops well before its end.
    wanted = summary.units - summary.skipped
    assert outcome.cancelled and summary.cancelled and 1 <= len(batches) < (wanted + 1) // 2
    with Store(db) as store:
        units = list(store.units(docs["en"]))
    translated = [u.id for u in units if u.mt]
    assert sorted(translated) == sorted(i for b in batches for i in b)
    assert summary.translated == len(translated) < len(units)


@pytest.mark.parametrize("handled", [True, False])
def test_a_cancelled_job_reaches_its_owner_once(qtbot, handled):
    from workbench.core.progress import Cancelled
    from workbench.gui.jobs.runner import JobBar, JobRunner
    from workbench.gui.jobs.workers import CallWorker

    def job(*, progress, cancelled):
        raise Cancelled("import cancelled: nothing was imported", partial="kept")

    bar = JobBar()
    qtbot.addWidget(bar)
    runner = JobRunner(bar)
    calls = []
    with qtbot.waitSignal(runner.ended, timeout=10000):
        runner.start(CallWorker("job", job), "working", on_finished=lambda r: calls.append(("finished", r)),
                     on_failed=lambda m: calls.append(("failed", m)),
                     on_cancelled=(lambda m, p: calls.append(("cancelled", m, p))) if handled else None)
    # An owner that does not handle cancels hears of one as of a failure, with its message.
    assert calls == ([("cancelled", "import cancelled: nothing was imported", "kept")] if handled
                     else [("failed", "import cancelled: nothing was imported")])
    assert not runner.busy and bar.isHidden()


def test_window_cancel_button_stops_the_job(qtbot, seeded_db, packages_dir):
    db, docs = seeded_db
    win = make_window(qtbot, db, packages_dir=packages_dir)
    win.doc_list.select_document(docs["ru"])
    win.mt_batch_size = 1
    win.session.units_changed.connect(lambda *a: win.job_bar.cancel_button.click())
    assert win.translate_document()
    with qtbot.waitSignal(win.translation_finished, timeout=30000) as blocker:
        pass
    assert blocker.args[0].cancelled
    with Store(db) as store:
        left = [u for u in store.units(docs["ru"]) if not u.mt and str(u.kind) == "body"]
    assert left  # stopped before the end


def test_scores_update_after_edits(qtbot, doc_with_mt, no_models):
    db, _doc = doc_with_mt
    win = make_window(qtbot, db)
    qtbot.waitUntil(lambda: win.metrics.figures is not None, timeout=5000)
    assert win.metrics.figures.scores is None  # nothing reviewed yet
    win.table.go_to_row(1)
    win.pane.target.setPlainText("Министерство посчитало мигрантов.")
    win.pane.flush()
    qtbot.waitUntil(lambda: win.metrics.figures is not None and win.metrics.figures.scores is not None,
                    timeout=5000)
    assert win.metrics.values["ter"].text() != "–"
    assert "signature" in win.metrics.values["bleu"].toolTip()
    chart = win.metrics.chart
    chart.resize(300, 120)
    uid = chart.unit_at(chart._plot().left() + chart._plot().width() * 0.99)
    assert uid == win.unit_model.unit_ids[-1]
    chart.unit_clicked.emit(win.unit_model.unit_ids[4])
    assert win.table.currentIndex().row() == 4


def test_settings_persist_between_windows(qtbot, doc_with_mt, no_models):
    db, _doc = doc_with_mt
    win = make_window(qtbot, db)
    win.actions["hide_skipped"].setChecked(True)
    win.table.setColumnWidth(Column.SOURCE, 411)
    win.close()
    again = make_window(qtbot, None)  # no path: the last database
    assert again.session is not None and Path(again.session.db_path) == Path(db)
    assert again.actions["hide_skipped"].isChecked() and again.unit_model.rowCount() == 4
    assert again.table.columnWidth(Column.SOURCE) == 411


def test_without_saved_widths_the_text_columns_fill_the_table(qtbot, doc_with_mt, no_models):
    db, _doc = doc_with_mt
    win = make_window(qtbot, db)
    win.resize(1400, 850)
    qtbot.waitExposed(win)
    table = win.table

    def used() -> int:
        return sum(table.columnWidth(c) for c in range(win.unit_model.columnCount()))

    qtbot.waitUntil(lambda: abs(used() - table.viewport().width()) < 4)
    assert not table.horizontalScrollBar().isVisible()
    assert table.columnWidth(Column.SOURCE) == table.columnWidth(Column.TARGET) > 250
