"""File → Deliver translated document… and XLIFF import from the window."""
from __future__ import annotations

import docx

from tests.core.documents.builders import make_docx
from tests.gui.test_window import XLIFF, drop_files, make_window
from workbench.core.edits import history
from workbench.core.edits.commands import Approve, SetTarget
from workbench.core.importing import import_paths
from workbench.core.store.database import Store
from workbench.gui import dialogs


def test_deliver_writes_the_docx_with_the_approved_target_and_reports(qtbot, db_path, tmp_path,
                                                                      monkeypatch, no_modal_dialogs):
    source = tmp_path / "report.docx"
    source.write_bytes(make_docx())
    with Store(db_path) as store:
        doc = import_paths(store, [source])[0].document_id
        unit = next(u for u in store.units(doc) if u.source.startswith("The city council"))
        history.apply(store, SetTarget(unit.id, "Городской совет <b0>одобрил</b0> бюджет во вторник."))
        history.apply(store, Approve([unit.id]))
    out = tmp_path / "report.ru.docx"
    offered = []
    monkeypatch.setattr(dialogs, "choose_save_file",
                        lambda parent, caption, file_filter, suggested="": offered.append(suggested) or str(out))
    win = make_window(qtbot, db_path)
    win.doc_list.select_document(doc)
    assert win.actions["deliver"].isEnabled()
    with qtbot.waitSignal(win.delivered, timeout=20000) as blocker:
        win.actions["deliver"].trigger()
    assert offered == [str(tmp_path / "report.ru.docx")]  # the name suggested beside the original
    assert ("ask", "Deliver translated document") == no_modal_dialogs[-1][:2]  # source or MT asked
    assert blocker.args[0].startswith(f"wrote {out} (docx): 1 of ")
    paragraph = docx.Document(str(out)).paragraphs[2]
    assert paragraph.text.startswith("Городской совет одобрил бюджет во вторник. ")
    assert [run.bold for run in paragraph.runs if run.text == "одобрил"] == [True]


def test_a_dropped_xliff_can_be_opened_for_review(qtbot, db_path, tmp_path, no_modal_dialogs):
    xliff = tmp_path / "job.xlf"
    xliff.write_text(XLIFF, encoding="utf-8")
    win = make_window(qtbot, db_path)
    with qtbot.waitSignal(win.import_finished, timeout=15000) as blocker:
        drop_files(win, [xliff])
    assert no_modal_dialogs[-1][:2] == ("ask", "Import XLIFF")
    (doc,) = blocker.args[0]
    with Store(db_path) as store:
        assert store.document_file_info(doc)[0] == "xliff"  # a document to deliver back, not a corpus
        assert [(u.source, u.target) for u in store.units(doc)] == [("Hello.", "Привет.")]
