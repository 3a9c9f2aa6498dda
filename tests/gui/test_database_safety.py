"""The window and a database it must not harm: a damaged file is refused with
the way out; the export dialog never writes onto the database and asks before
overwriting a file of another kind."""
from __future__ import annotations

from pathlib import Path

from workbench.gui.export_dialog import ExportDialog
from workbench.gui.main_window import MainWindow
from workbench.gui.session import ReviewSession

from tests.reliability.dbfixtures import digest, flip_middle, integrity_ok, make_corpus_db


def test_the_window_refuses_a_damaged_database_with_the_way_out(qtbot, tmp_path, no_modal_dialogs, no_models):
    db = make_corpus_db(tmp_path / "corpus.db")
    flip_middle(db)
    before = digest(db)
    win = MainWindow(db)
    qtbot.addWidget(win)
    assert win.session is None
    kind, _title, message = no_modal_dialogs[-1]
    assert kind == "error" and "damaged" in message and "workbench restore" in message
    win.close()
    assert digest(db) == before


def _dialog(qtbot, db: Path) -> tuple[ExportDialog, ReviewSession]:
    session = ReviewSession(db)
    dialog = ExportDialog(session, None)
    qtbot.addWidget(dialog)
    dialog.set_status(("any",))
    dialog.direction.setCurrentIndex(0)
    qtbot.waitUntil(lambda: dialog.count is not None and dialog.count > 0)
    return dialog, session


def test_the_export_dialog_refuses_the_database_as_output(qtbot, tmp_path, no_modal_dialogs):
    db = make_corpus_db(tmp_path / "corpus.db")
    dialog, session = _dialog(qtbot, db)
    dialog.path.setText(str(db))
    assert dialog.start_export() is False
    kind, _title, message = no_modal_dialogs[-1]
    assert kind == "error" and "database" in message
    session.close()
    assert integrity_ok(db)


def test_the_export_dialog_asks_before_overwriting_a_file_of_another_kind(qtbot, tmp_path, no_modal_dialogs,
                                                                          monkeypatch):
    from workbench.gui import dialogs

    db = make_corpus_db(tmp_path / "corpus.db")
    article = tmp_path / "article.tmx"
    article.write_text("An article, not a TMX file.\n", encoding="utf-8")
    dialog, session = _dialog(qtbot, db)
    dialog.path.setText(str(article))
    answers = [False, True]
    asked = []
    monkeypatch.setattr(dialogs, "ask_yes_no", lambda parent, title, question: asked.append(question)
                        or answers.pop(0))
    assert dialog.start_export() is False  # "no": nothing written
    assert article.read_text(encoding="utf-8") == "An article, not a TMX file.\n"
    assert "article.tmx" in asked[-1] and "text" in asked[-1]
    with qtbot.waitSignal(dialog.exported, timeout=15000):
        assert dialog.start_export() is True  # "yes"
    assert article.read_bytes().startswith(b"<?xml") and len(asked) == 2
    session.close()


def test_a_database_in_a_read_only_folder_opens_read_only_and_says_so(qtbot, tmp_path, no_modal_dialogs, no_models):
    from tests.reliability.dbfixtures import read_only_view

    folder = tmp_path / "data"
    folder.mkdir()
    db = make_corpus_db(folder / "corpus.db")
    before = digest(db)
    with read_only_view(folder, tmp_path / "view") as view:
        win = MainWindow(view / "corpus.db")
        qtbot.addWidget(win)
        try:
            assert win.session is not None and "read-only" in win.windowTitle()
            failures = []
            win.session.failed.connect(failures.append)
            doc = win.session.store.documents()[0].id
            unit = win.session.store.unit_ids(doc)[0]
            assert win.session.edit_target(doc, unit, "Новый текст") is False
            assert failures and "read-only" in failures[-1]
        finally:
            win.close()
    assert digest(db) == before


def test_importing_a_corpus_from_the_window_backs_up_first(tmp_path):
    from workbench.gui.jobs.tasks import import_files

    from tests.reliability.test_messages import big_tmx

    db = make_corpus_db(tmp_path / "corpus.db")
    tmx = big_tmx(tmp_path / "corpus.tmx", units=20)
    import_files(str(db), [str(tmx)], progress=lambda *a: None, cancelled=lambda: False)
    made = sorted((tmp_path / "backups").glob("corpus.db.*.import.bak"))
    assert len(made) == 1
