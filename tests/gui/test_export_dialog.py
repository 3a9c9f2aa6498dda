"""File → Export…: the count follows the options, the export runs in the
background and writes what the count said, errors are shown."""
from __future__ import annotations

import pytest
from lxml import etree

from workbench.core.edits import history
from workbench.core.edits.commands import Approve, SetTarget
from workbench.core.interchange import count_units
from workbench.core.store.database import Store
from workbench.gui.export_dialog import ExportDialog
from workbench.gui.main_window import MainWindow
from workbench.gui.session import ReviewSession

from tests.conftest import SHARED


@pytest.fixture
def reviewed(doc_with_mt):
    """The small en→ru document: units 1 and 2 approved, unit 4 edited (the
    rest machine translation; unit 3 is meta, unit 5 boilerplate)."""
    db, doc = doc_with_mt
    with Store(db) as store:
        ids = store.unit_ids(doc)
        history.apply(store, Approve((ids[1], ids[2])))
        history.apply(store, SetTarget(ids[4], "Денежные переводы выросли на треть."))
    return db, doc, ids


@pytest.fixture
def session(reviewed):
    s = ReviewSession(reviewed[0])
    yield s
    s.close()


def make_dialog(qtbot, session, doc) -> ExportDialog:
    dialog = ExportDialog(session, doc)
    qtbot.addWidget(dialog)
    return dialog


def counted(dialog) -> int:
    return int(dialog.count_label.text().split()[0].replace(",", ""))


def test_the_count_follows_the_options(qtbot, session, reviewed):
    _db, doc, _ids = reviewed
    dialog = make_dialog(qtbot, session, doc)
    assert dialog.current_only.isChecked() and counted(dialog) == 2  # approved only
    expected = {("approved", "edited"): 3, ("any",): 5}  # "any": every unit with a target but the boilerplate
    for statuses, n in expected.items():
        dialog.set_status(statuses)
        qtbot.waitUntil(lambda n=n: counted(dialog) == n)
        assert counted(dialog) == count_units(session.store, dialog.export_filter())
    dialog.include_excluded.setChecked(True)
    qtbot.waitUntil(lambda: counted(dialog) == 6)
    dialog.set_status(("approved",))
    dialog.all_documents.setChecked(True)
    qtbot.waitUntil(lambda: counted(dialog) == 2)
    assert dialog.export_filter().document_ids == ()


def test_export_writes_a_tmx_that_parses_with_the_counted_units(qtbot, session, reviewed, tmp_path,
                                                                no_modal_dialogs):
    _db, doc, ids = reviewed
    dialog = make_dialog(qtbot, session, doc)
    dialog.set_status(("approved", "edited"))
    out = tmp_path / "corpus.tmx"
    dialog.path.setText(str(out))
    qtbot.waitUntil(lambda: counted(dialog) == 3 and dialog.export_button.isEnabled())
    with qtbot.waitSignal(dialog.exported, timeout=15000) as blocker:
        dialog.export_button.click()
        assert dialog.close_button.text() == "Cancel" and not dialog.format.isEnabled()
    assert blocker.args == [3]
    tree = etree.parse(str(out))
    units = tree.findall(".//tu")
    assert len(units) == 3
    assert [tu.get("tuid") for tu in units] == [str(ids[1]), str(ids[2]), str(ids[4])]
    assert units[2].findall("tuv")[1].findtext("seg") == "Денежные переводы выросли на треть."
    dtd = SHARED / "tmx14.dtd"
    if dtd.exists():
        assert etree.DTD(str(dtd)).validate(tree)
    assert no_modal_dialogs[-1][:2] == ("info", "Export finished") and "3 units" in no_modal_dialogs[-1][2]
    assert dialog.close_button.text() == "Close" and dialog.format.isEnabled()


def test_mixed_language_pairs_in_csv_are_refused_with_a_dialog(qtbot, reviewed, tmp_path, no_modal_dialogs):
    db, doc, _ids = reviewed
    with Store(db) as store:
        other = store.add_document(title="Обратно", language="ru", target_language="en", source_path=None,
                                   checksum="ru-doc", date=None)
        store.add_segments(other, [(0, "body", "Министерство посчитало мигрантов.", False)])
        uid = store.unit_ids(other)[0]
        history.apply(store, SetTarget(uid, "The ministry counted migrants."))
        history.apply(store, Approve((uid,)))
    session = ReviewSession(db)
    dialog = make_dialog(qtbot, session, doc)
    dialog.all_documents.setChecked(True)
    assert dialog.direction.isEnabled() and dialog.direction.count() == 3  # en→ru, ru→en, all
    dialog.direction.setCurrentIndex(2)
    dialog.set_format("csv")
    out = tmp_path / "mixed.csv"
    dialog.path.setText(str(out))
    qtbot.waitUntil(lambda: counted(dialog) == 3)
    with qtbot.waitSignal(dialog.export_failed, timeout=15000):
        dialog.start_export()
    kind, title, message = no_modal_dialogs[-1]
    assert (kind, title) == ("error", "Export failed") and "one language pair per file" in message
    assert not out.exists() and not list(tmp_path.glob("mixed.csv*"))
    dialog.direction.setCurrentIndex(1)  # one direction: fine
    qtbot.waitUntil(lambda: counted(dialog) == 1)
    with qtbot.waitSignal(dialog.exported, timeout=15000) as blocker:
        dialog.start_export()
    assert blocker.args == [1] and "The ministry counted migrants." in out.read_text(encoding="utf-8")
    session.close()


def test_moses_writes_two_files_and_the_path_follows_the_format(qtbot, session, reviewed, tmp_path):
    _db, doc, _ids = reviewed
    dialog = make_dialog(qtbot, session, doc)
    dialog.path.setText(str(tmp_path / "corpus.tmx"))
    dialog.set_format("moses")
    assert dialog.path.text() == str(tmp_path / "corpus")
    assert not dialog.bom.isEnabled() and not dialog.safe_formulas.isEnabled()
    with qtbot.waitSignal(dialog.exported, timeout=15000):
        dialog.start_export()
    assert (tmp_path / "corpus.en").read_text(encoding="utf-8").count("\n") == 2
    assert (tmp_path / "corpus.ru").read_text(encoding="utf-8").count("\n") == 2
    dialog.set_format("csv")
    assert dialog.path.text() == str(tmp_path / "corpus.csv") and dialog.bom.isEnabled()
    dialog.bom.setChecked(True)
    with qtbot.waitSignal(dialog.exported, timeout=15000):
        dialog.start_export()
    assert (tmp_path / "corpus.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_a_long_export_can_be_cancelled_and_leaves_no_file(qtbot, store, tmp_path, no_modal_dialogs):
    doc = store.add_document(title="Long", language="en", target_language="ru", source_path=None,
                             checksum="long", date=None)
    store.add_segments(doc, [(n // 5, "body", f"Sentence {n}.", False) for n in range(4500)])
    store.conn.execute("UPDATE units SET target = 'Перевод.', status = 'approved' WHERE document_id = ?", (doc,))
    session = ReviewSession(store.path)
    dialog = make_dialog(qtbot, session, doc)
    assert counted(dialog) == 4500
    out = tmp_path / "long.tmx"
    dialog.path.setText(str(out))
    with qtbot.waitSignal(dialog.export_failed, timeout=15000):
        dialog.start_export()
        dialog.reject()  # Cancel while running: stops the export, keeps the dialog
    assert "cancelled" in dialog.message.text() and "no file was written" in dialog.message.text()
    assert not any(kind == "error" for kind, *_ in no_modal_dialogs)
    assert not out.exists() and not list(tmp_path.glob("long.tmx*"))
    session.close()


def test_file_export_opens_the_dialog_for_the_current_document(qtbot, reviewed, no_models, monkeypatch):
    db, doc, _ids = reviewed
    opened = []
    monkeypatch.setattr(ExportDialog, "exec", lambda self: opened.append(self) or 0)
    win = MainWindow(db)
    qtbot.addWidget(win)
    assert win.actions["export"].shortcut().toString() == "Ctrl+Shift+E"
    win.actions["export"].trigger()
    assert len(opened) == 1
    dialog = opened[0]
    assert dialog.current_document_id == doc and dialog.current_only.isChecked() and counted(dialog) == 2


def test_the_count_leaves_out_units_with_open_qa_errors(qtbot, session, reviewed, tmp_path, no_modal_dialogs):
    db, doc, ids = reviewed
    from workbench.core.qa.run import units_with_open_errors

    with Store(db) as store:  # unit 1 gets a clean translation; unit 2 keeps "Перевод 2." (a number
        # the source lacks: an open error); the edited unit 4 is clean
        history.apply(store, SetTarget(ids[1], "Министерство подсчитало мигрантов. Они уехали весной."))
        history.apply(store, Approve((ids[1],)))
        errors = units_with_open_errors(store, [doc])
    assert errors & {ids[1], ids[2], ids[4]} == {ids[2]}
    dialog = make_dialog(qtbot, session, doc)
    dialog.set_status(("approved", "edited"))
    qtbot.waitUntil(lambda: counted(dialog) == 3)
    exported = {ids[1], ids[2], ids[4]}
    dialog.qa_clean.setChecked(True)
    expected = 2
    qtbot.waitUntil(lambda: dialog.count is not None and counted(dialog) == expected, timeout=15000)
    assert counted(dialog) == count_units(session.store, dialog.export_filter())
    out = tmp_path / "clean.tmx"
    dialog.path.setText(str(out))
    qtbot.waitUntil(dialog.export_button.isEnabled)
    with qtbot.waitSignal(dialog.exported, timeout=15000) as blocker:
        dialog.export_button.click()
    assert blocker.args == [expected]
    assert {int(tu.get("tuid")) for tu in etree.parse(str(out)).findall(".//tu")} == exported - errors
    dialog.qa_clean.setChecked(False)
    qtbot.waitUntil(lambda: counted(dialog) == 3)
