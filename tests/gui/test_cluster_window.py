"""Translate all documents on a Dask cluster from the window: a LocalCluster of
two worker processes, reached by its scheduler's address as a remote one would
be, gives the same MT as this process; the job bar shows the shards and the
status bar the dashboard's link; Cancel stops the cluster work and keeps what
was written; an unreachable address is one error dialog with nothing changed."""
from __future__ import annotations

import pytest

distributed = pytest.importorskip("distributed")

from tests.conftest import CLUSTER_WORDS as WORDS  # noqa: E402

from workbench.core import cluster as cluster_module  # noqa: E402
from workbench.core.cluster import Cluster  # noqa: E402
from workbench.core.store.database import Store  # noqa: E402
from workbench.gui.cluster_dialog import SETTINGS_KEY, ClusterDialog, cluster_address  # noqa: E402
from workbench.gui.main_window import MainWindow  # noqa: E402




def fill(db_path, documents: int = 5, sentences: int = 24) -> list[int]:
    """English documents to translate into Russian; some sentences recur across documents."""
    ids = []
    with Store(db_path) as store:
        for d in range(documents):
            doc = store.add_document(title=f"Article {d}", language="en", target_language="ru",
                                     source_path=None, checksum=f"article-{d}", date=None)
            rows = []
            for n in range(sentences):
                k = (d * 7 + n * 3) % 40 if n % 4 == 0 else d * 1000 + n
                words = [WORDS[(k * 5 + i * 3) % len(WORDS)] for i in range(6 + k % 9)]
                rows.append((n // 5, "body", " ".join(words).capitalize() + f" {k}.", False))
            store.add_segments(doc, rows)
            ids.append(doc)
    return ids


def machine_translations(db_path) -> list[tuple]:
    with Store(db_path) as store:
        return [(d.title, u.source, u.mt, u.mt_model, u.mt_version)
                for d in store.documents() for u in store.units(d.id)]


def make_window(qtbot, db, packages_dir) -> MainWindow:
    win = MainWindow(db, packages_dir=packages_dir)
    qtbot.addWidget(win)
    win.show()
    return win


def scheduler_tasks(running: Cluster) -> int:
    def count(dask_scheduler) -> int:
        return sum(ts.state in ("processing", "waiting", "queued", "no-worker")
                   for ts in dask_scheduler.tasks.values())
    return running.client.run_on_scheduler(count)


def test_translate_all_on_the_cluster_gives_the_same_mt_and_shows_the_dashboard(
        qtbot, tmp_path, packages_dir, local_cluster):
    here, there = tmp_path / "here.db", tmp_path / "there.db"
    fill(here)
    fill(there)
    win = make_window(qtbot, here, packages_dir)
    with qtbot.waitSignal(win.translation_finished, timeout=60000):
        assert win.translate_all()
    expected = machine_translations(here)
    assert all(row[2] for row in expected)
    win.close()

    win = make_window(qtbot, there, packages_dir)
    win.settings.setValue(SETTINGS_KEY, local_cluster.client.scheduler.address)
    win.doc_list.select_document(win.doc_model.document_ids()[0])
    messages, links, shots, refreshed = [], [], [], []
    win.jobs.progressed.connect(lambda _f, message: messages.append(message))
    win.session.units_changed.connect(lambda doc, ids: refreshed.append(doc))

    def shot(_fraction, _message):
        # during the run, once the job bar says the shards: the bar, its message and the dashboard link
        if not shots and win.cluster_label.isVisible() and "shards" in win.job_bar.label.text():
            path = tmp_path / "cluster-run.png"
            assert win.grab().save(str(path))
            shots.append(path)
            links.append(win.cluster_label.link)
    win.jobs.progressed.connect(shot)
    with qtbot.waitSignal(win.translation_finished, timeout=60000) as blocker:
        assert win.translate_all()
    outcome = blocker.args[0]
    assert not outcome.cancelled and not outcome.errors
    assert machine_translations(there) == expected
    assert any("shards" in m and "sentences translated" in m and "/s)" in m for m in messages)
    assert shots and links and links[0].startswith("http")
    assert not win.cluster_label.isVisible()   # the job ended: the link goes
    assert refreshed and set(refreshed) == {win.unit_model.document_id}   # the document shown filled in
    assert win.unit_model.index(0, 2).data()


def test_cancel_stops_the_cluster_work_and_keeps_what_was_written(qtbot, tmp_path, packages_dir, local_cluster):
    db = tmp_path / "cancel.db"
    fill(db, documents=6)
    win = make_window(qtbot, db, packages_dir)
    win.settings.setValue(SETTINGS_KEY, local_cluster.client.scheduler.address)
    win.mt_batch_size = 2
    win.jobs.progressed.connect(lambda *_: win.jobs.cancel())
    with qtbot.waitSignal(win.translation_finished, timeout=60000) as blocker:
        assert win.translate_all()
    outcome = blocker.args[0]
    assert outcome.cancelled
    rows = machine_translations(db)
    written = sum(1 for row in rows if row[2])
    assert 0 < written < len(rows)
    qtbot.waitUntil(lambda: scheduler_tasks(local_cluster) == 0, timeout=30000)
    win.jobs.progressed.disconnect()
    with qtbot.waitSignal(win.translation_finished, timeout=60000) as blocker:
        assert win.translate_all()
    assert not blocker.args[0].cancelled
    assert all(row[2] for row in machine_translations(db))


def test_an_unreachable_cluster_is_one_error_and_nothing_changes(qtbot, tmp_path, packages_dir, no_modal_dialogs,
                                                               monkeypatch):
    monkeypatch.setattr(cluster_module, "CONNECT_TIMEOUT", 1.0)
    db = tmp_path / "away.db"
    fill(db, documents=2)
    before = machine_translations(db)
    win = make_window(qtbot, db, packages_dir)
    win.settings.setValue(SETTINGS_KEY, "tcp://127.0.0.1:9")
    with qtbot.waitSignal(win.translation_finished, timeout=60000):
        assert win.translate_all()
    assert len(no_modal_dialogs) == 1
    kind, title, message = no_modal_dialogs[0]
    assert kind == "error" and "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in message
    assert "\n" not in message
    assert machine_translations(db) == before


def test_the_cluster_dialog_checks_the_address_and_saves_it(qtbot):
    from workbench.gui.settings import open_settings

    settings = open_settings()
    dialog = ClusterDialog(None)
    qtbot.addWidget(dialog)
    dialog.field.setText("tcp://nowhere")
    dialog.accept()
    assert dialog.result() == 0 and "is not an address" in dialog.error.text()
    dialog.field.setText("  local:3 ")
    dialog.accept()
    assert dialog.result() == ClusterDialog.DialogCode.Accepted and dialog.address == "local:3"
    dialog.field.setText("")
    dialog.accept()
    assert dialog.address is None
    settings.setValue(SETTINGS_KEY, "local:2")
    assert cluster_address(settings) == "local:2"
    settings.setValue(SETTINGS_KEY, "")
    assert cluster_address(settings) is None
