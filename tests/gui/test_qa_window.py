"""QA in the window: the QA pane fills and jumps, the Terms pane and term
underline, the spelling underline with suggestions and "add to dictionary",
re-checking as the reviewer types, the question before approving an error."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMenu

from workbench.core.qa import spelling
from workbench.core.store.database import Store
from workbench.gui.main_window import MainWindow
from workbench.gui.review import qa_controller

# Screenshots go to a temporary folder; WORKBENCH_SCREENSHOTS=docs/screenshots refreshes the README's.
SHOTS = Path(os.environ.get("WORKBENCH_SCREENSHOTS") or Path(tempfile.gettempdir()) / "workbench-qa-screenshots")
needs_ru = pytest.mark.skipif(spelling.find_dictionary("ru") is None, reason="hunspell-ru not installed")


@pytest.fixture
def qa_window(qtbot, db_path, no_models, no_modal_dialogs):
    qa_controller.forget_checkers()
    with Store(db_path) as s:
        doc = s.add_document(title="Ministers", language="en", target_language="ru", source_path=None,
                             checksum="qa-window", date=None)
        s.add_segments(doc, [(0, "body", "The minister said that 1.5 million people live in the region.", False),
                             (1, "body", "Inflation slowed to 7.4% in March.", False),
                             (2, "body", "The public debt grew by 3%.", False)])
        u1, u2, u3 = s.unit_ids(doc)
        with s.transaction() as conn:
            conn.execute("UPDATE units SET target = 'Министр заявил, что в регионе живут 15 млн человек.',"
                         " status = 'edited' WHERE id = ?", (u1,))
            conn.execute("UPDATE units SET target = 'В марте инфляция замедлилась до 7,4 %.', status = 'approved'"
                         " WHERE id = ?", (u2,))
            conn.execute("UPDATE units SET target = 'Государственный долг вырос на 3 %.', status = 'edited'"
                         " WHERE id = ?", (u3,))
        s.add_terms([("minister", "министр", "en", "ru", "head of a ministry", False),
                     ("minister", "министерша", "en", "ru", None, True),
                     ("public debt", "государственный долг", "en", "ru", None, False)])
    win = MainWindow(db_path)
    qtbot.addWidget(win)
    win.resize(1500, 900)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: bool(win.qa.qa_pane.row_of_unit) and win.qa.qa_pane.tree.topLevelItemCount() > 0,
                    timeout=60000)
    yield win, (u1, u2, u3), no_modal_dialogs
    qa_controller.forget_checkers()


def test_qa_pane_lists_findings_and_jumps_to_the_unit(qtbot, qa_window):
    win, (u1, u2, u3), _dialogs = qa_window
    pane = win.qa.qa_pane
    checks = {(f.unit_id, f.check) for f in pane.findings}
    assert (u1, "numbers") in checks and not any(uid == u2 for uid, _c in checks)
    item = next(pane.tree.topLevelItem(i) for i in range(pane.tree.topLevelItemCount())
                if pane.tree.topLevelItem(i).text(2) == "numbers")
    win.table.go_to_unit(u3)
    pane.tree.itemClicked.emit(item, 0)
    assert win.pane.unit.id == u1
    SHOTS.mkdir(parents=True, exist_ok=True)
    qtbot.waitUntil(lambda: win.qa.last_unit is not None and win.qa.last_unit.unit_id == u1, timeout=20000)
    win.qa.docks["qaDock"].raise_()
    qtbot.wait(50)
    win.grab().save(str(SHOTS / "qa_pane.png"))


def test_terms_pane_underline_and_insert(qtbot, qa_window):
    win, (u1, u2, u3), _dialogs = qa_window
    win.table.go_to_unit(u3)
    qtbot.waitUntil(lambda: win.qa.last_unit is not None and win.qa.last_unit.unit_id == u3, timeout=20000)
    tree = win.qa.terms_pane.tree
    assert tree.topLevelItemCount() == 1 and tree.topLevelItem(0).text(1) == "государственный долг"
    assert win.qa.terms.spans == [(4, 15)]  # "public debt" underlined in the source
    win.table.go_to_unit(u1)
    qtbot.waitUntil(lambda: win.qa.last_unit.unit_id == u1, timeout=20000)
    texts = [tree.topLevelItem(i).text(1) for i in range(tree.topLevelItemCount())]
    assert texts == ["министр", "министерша (forbidden)"]
    win.pane.target.setPlainText("")
    win.actions["insert_term"].trigger()
    assert win.pane.target.toPlainText() == "министр"
    win.qa.docks["termsDock"].raise_()
    qtbot.wait(50)
    win.grab().save(str(SHOTS / "terms_pane.png"))


def test_add_term_from_the_selections(qtbot, qa_window):
    win, (u1, u2, u3), _dialogs = qa_window
    win.table.go_to_unit(u2)
    source = win.pane.source.textCursor()
    source.setPosition(0)
    source.setPosition(9, source.MoveMode.KeepAnchor)
    win.pane.source.setTextCursor(source)
    target = win.pane.target.textCursor()
    target.setPosition(8)
    target.setPosition(16, target.MoveMode.KeepAnchor)
    win.pane.target.setTextCursor(target)
    win.actions["add_term"].trigger()
    def added():
        with Store(win.session.db_path) as s:
            return ("Inflation", "инфляция") in {(t.source, t.target) for t in s.glossary_terms()}
    qtbot.waitUntil(added, timeout=20000)


@needs_ru
def test_spelling_underline_suggestions_and_recheck_while_typing(qtbot, qa_window):
    win, (u1, u2, u3), _dialogs = qa_window
    win.table.go_to_unit(u2)
    qtbot.waitUntil(lambda: win.qa.last_unit is not None and win.qa.last_unit.unit_id == u2, timeout=20000)
    win.pane.target.setPlainText("В марте инфляцыя замедлилась до 7,4 %.")  # typed: re-checked in a worker
    qtbot.waitUntil(lambda: win.qa.last_unit.target.startswith("В марте инфляцыя"), timeout=20000)
    assert win.qa.spelling.spans == [(8, 16)]
    assert any(f.unit_id == u2 and f.check == "spelling" for f in win.qa.qa_pane.findings)
    qtbot.waitUntil(lambda: "инфляцыя" in win.qa.suggestions, timeout=60000)
    menu = QMenu()
    menu.addAction("Copy")
    offered = win.qa.spelling_menu(menu, win.pane.target.toPlainText(), 10)
    assert "инфляция" in offered
    labels = [a.text() for a in menu.actions()]
    assert "Add 'инфляцыя' to dictionary" in labels and labels[-1] == "Copy"
    win.qa.docks["qaDock"].raise_()
    qtbot.wait(50)
    win.grab().save(str(SHOTS / "spelling_underline.png"))
    win.qa.add_word("инфляцыя")
    qtbot.waitUntil(lambda: win.qa.last_unit.misspelt == [], timeout=20000)


def test_approving_a_unit_with_an_error_asks_once(qtbot, qa_window):
    win, (u1, u2, u3), dialogs = qa_window
    win.table.go_to_unit(u1)
    qtbot.waitUntil(lambda: win.qa.last_unit is not None and win.qa.last_unit.unit_id == u1, timeout=20000)
    dialogs.clear()
    win.actions["approve_next"].trigger()
    assert [d[0] for d in dialogs] == ["ask"] and "QA error" in dialogs[0][2]
    with Store(win.session.db_path) as s:
        assert s.unit(u1).status.value == "approved"  # the first answer: approve anyway
    win.table.go_to_unit(u3)
    qtbot.waitUntil(lambda: win.qa.last_unit.unit_id == u3, timeout=20000)
    dialogs.clear()
    win.actions["approve_next"].trigger()
    assert dialogs == []  # no error on this unit: no question


def test_underlines_do_not_count_as_typing(qtbot, qa_window):
    """Painting the underlines must not look like an edit (no re-check loop, no autosave restart)."""
    win, (u1, u2, u3), _dialogs = qa_window
    win.table.go_to_unit(u1)
    # every check asked for has answered (the document check asks for one more when it ends)
    qtbot.waitUntil(lambda: win.qa.last_unit is not None and win.qa.last_unit.unit_id == u1
                    and win.qa.last_unit.seq == win.qa._seq and not win.qa._workers, timeout=20000)
    qtbot.wait(1000)  # a re-check asked for while the window opened may still come
    seq = win.qa._seq
    qtbot.wait(1000)
    assert win.qa._seq == seq and not win.pane.dirty
