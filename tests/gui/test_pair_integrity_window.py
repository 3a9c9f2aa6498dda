"""The window's side of issue 9 (defects 4, 5, 8): a refused pair import says
why in words, attaching over post-edits asks keep or replace, and the
alignment view counts links in link words that agree with the document list."""
from __future__ import annotations

import pytest

from tests.test_pair_integrity import EN, OTHER_EN, RU, tables
from workbench.core.commands import Approve, SetTarget
from workbench.core.importer import import_paths
from workbench.core.pairs import import_pair
from workbench.core.store import Store
from workbench.gui import dialogs
from workbench.gui.main_window import MainWindow


@pytest.fixture
def files(tmp_path):
    paths = {}
    for name, text in (("a.en.txt", EN), ("a.ru.txt", RU), ("b.en.txt", OTHER_EN)):
        paths[name] = tmp_path / name
        paths[name].write_text(text, encoding="utf-8")
    return paths


def open_window(qtbot, db) -> MainWindow:
    win = MainWindow(db)
    qtbot.addWidget(win)
    win.resize(1400, 850)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_importing_a_translation_of_another_document_says_so(qtbot, db_path, files, no_models, monkeypatch,
                                                             no_modal_dialogs):
    pytest.importorskip("workbench.core.align")
    with Store(db_path) as store:
        first = import_pair(store, files["a.en.txt"], files["a.ru.txt"], use_mt=False)
    before = tables(db_path)
    answers = [str(files["b.en.txt"]), str(files["a.ru.txt"])]
    monkeypatch.setattr(dialogs, "choose_open_file", lambda *a: answers.pop(0))
    win = open_window(qtbot, db_path)
    with qtbot.waitSignal(win.pairs.finished, timeout=30000) as blocker:
        win.actions["import_pair"].trigger()
    assert blocker.args[0] is None
    kind, _title, message = no_modal_dialogs[-1]
    assert kind == "error"
    assert f"already the translation of document {first.source_document_id}" in message
    assert "Error(" not in message and "UNIQUE" not in message
    assert tables(db_path) == before
    assert win.doc_model.document_ids() == [first.source_document_id]


def post_edited_article(db_path, files) -> tuple[int, list[int], str]:
    with Store(db_path) as store:
        doc = import_paths(store, [files["a.en.txt"]])[0].document_id
        ids = store.unit_ids(doc)
        store.apply(SetTarget(ids[1], "Министерство в понедельник пересчитало мигрантов."))
        store.apply(Approve((ids[1],)))
        return doc, ids, store.unit(ids[1]).source


@pytest.mark.parametrize("answer", ["keep", "replace", None])
def test_import_translation_over_post_edits_asks_keep_or_replace(qtbot, db_path, files, no_models, monkeypatch,
                                                                answer):
    pytest.importorskip("workbench.core.align")
    doc, _ids, source = post_edited_article(db_path, files)
    before = tables(db_path)
    asked = []

    def ask_choice(parent, title, question, choices):
        asked.append((question, [key for key, _label in choices]))
        return answer

    monkeypatch.setattr(dialogs, "ask_choice", ask_choice)
    monkeypatch.setattr(dialogs, "choose_open_file", lambda *a: str(files["a.ru.txt"]))
    win = open_window(qtbot, db_path)
    if answer is None:
        win.actions["import_translation"].trigger()
        assert not win.jobs.busy and tables(db_path) == before
    else:
        with qtbot.waitSignal(win.pairs.finished, timeout=30000) as blocker:
            win.actions["import_translation"].trigger()
        assert blocker.args[0] is not None
    (question, keys), = asked
    assert "1 unit" in question and keys == ["keep", "replace"]
    if answer is not None:
        with Store(db_path) as store:
            unit = next(u for u in store.units(doc) if u.source == source)
            expected = "Министерство в понедельник пересчитало мигрантов." if answer == "keep" else \
                "В понедельник министерство подсчитало мигрантов."
            assert unit.target == expected and unit.target_segment_ids
            assert str(unit.status) == ("approved" if answer == "keep" else "edited")
