"""The window's side of issue 9 (defects 4, 5, 8): a refused pair import says
why in words, attaching over post-edits asks keep or replace, and the
alignment view counts links in link words that agree with the document list."""
from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt

from tests.core.test_pair_integrity import EN, OTHER_EN, RU, tables
from workbench.core.edits import history
from workbench.core.edits.commands import Approve, SetTarget
from workbench.core.importing import import_paths
from workbench.core.pairing import import_pair, replace_units
from workbench.core.store.database import Store
from workbench.gui import dialogs
from workbench.gui.document_list import DOCUMENT_ROLE
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
        history.apply(store, SetTarget(ids[1], "Министерство в понедельник пересчитало мигрантов."))
        history.apply(store, Approve((ids[1],)))
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
        # The alignment view shows the kept post-edit next to the linked sentence.
        assert win.aligning() and win.alignment_view.table.go_to_link(unit.id)
        shown = win.alignment_view.detail.target.toPlainText()
        assert shown.startswith("В понедельник министерство подсчитало мигрантов.")
        assert ("Министерство в понедельник пересчитало мигрантов." in shown) is (answer == "keep")


@pytest.fixture
def one_sided_pair(db_path):
    """A pair with a 1:0 link between two 1:1 links."""
    with Store(db_path) as store:
        src = store.add_document(title="Pair", language="en", target_language="ru", source_path=None,
                                 checksum="pair-src", date=None)
        tgt = store.add_document(title="Pair (ru)", language="ru", target_language=None, source_path=None,
                                 checksum="pair-tgt", date=None, translation_of=src)
        s = store.add_segments(src, [(0, "body", t, False) for t in ("One.", "Two.", "Three.")])
        t = store.add_segments(tgt, [(0, "body", t, False) for t in ("Раз.", "Три.")], with_units=False)
        replace_units(store, src, tgt, [([s[0]], [t[0]], 0.9), ([s[1]], [], 0.8), ([s[2]], [t[1]], 0.9)])
    return db_path, src


def test_link_counts_agree_with_the_document_list_and_say_what_they_count(qtbot, one_sided_pair, no_models):
    db, doc = one_sided_pair
    win = open_window(qtbot, db)
    win.show_alignment(True)
    assert win.aligning()
    # The status bar speaks of links in the alignment view, of statuses in post-editing.
    qtbot.waitUntil(lambda: "links confirmed" in win.counts_label.text(), timeout=5000)
    assert win.counts_label.text().startswith("0/3 links confirmed · 3 unconfirmed · 1 suspicious")
    assert "MT" not in win.counts_label.text() and "edited" not in win.counts_label.text()
    table = win.alignment_view.table
    table.go_to_row(0)
    table.selectAll()
    win.actions["align_confirm_next"].trigger()
    message = win.statusBar().currentMessage()
    assert "every link is confirmed" in message and "2/3 units approved" in message and "1:0" in message
    qtbot.waitUntil(lambda: win.counts_label.text().startswith("3/3 links confirmed"), timeout=5000)
    summary = win.alignment_view.summary.text()
    assert summary.startswith("3 links · 3 confirmed · 2/3 approved") and "1 one-sided (1:0 or 0:1)" in summary
    row = win.doc_model.index(win.doc_model.row_of(doc)).data(DOCUMENT_ROLE)
    qtbot.waitUntil(lambda: "2/3 approved" in win.doc_model.index(0).data(DOCUMENT_ROLE).subtitle, timeout=5000)
    row = win.doc_model.index(0).data(DOCUMENT_ROLE)
    assert "3/3 links confirmed" in win.doc_model.index(0).data(Qt.ItemDataRole.ToolTipRole)
    assert row.approved == 2 and row.total == 3
    win.show_alignment(False)
    assert re.match(r"2/3 approved · \d+ edited · \d+ MT", win.counts_label.text())


def test_post_edit_scores_give_way_to_alignment_figures_for_a_pair(qtbot, one_sided_pair, doc_with_mt, no_models):
    db, pair_doc = one_sided_pair  # doc_with_mt adds a post-editing document to the same file
    _db, plain_doc = doc_with_mt
    win = open_window(qtbot, db)
    win.doc_list.select_document(pair_doc)
    qtbot.waitUntil(lambda: "Alignment" in win.metrics.title.text(), timeout=5000)
    assert not win.metrics.values["bleu"].isVisible() and not win.metrics.chart.isVisible()
    qtbot.waitUntil(lambda: "3 links" in win.metrics.note.text(), timeout=5000)
    win.doc_list.select_document(plain_doc)
    qtbot.waitUntil(lambda: win.metrics.figures is not None, timeout=5000)
    assert "Post-edit scores" in win.metrics.title.text()
    assert win.metrics.values["bleu"].isVisible() and win.metrics.chart.isVisible()
