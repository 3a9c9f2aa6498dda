"""The window keeps the memory's word index fresh in the background: a stale
index is rebuilt as the window's job (job bar, Cancel), a fresh or small
memory costs nothing and says nothing."""
from __future__ import annotations

import threading

import pytest

from workbench.core.memory import index
from workbench.core.store.database import Store
from workbench.gui.jobs.tasks import memory_index_stale
from workbench.gui.jobs.workers import CallWorker
from workbench.gui.main_window import MainWindow

from tests.gui.helpers import open_window

THRESHOLD = 200  # INDEX_MIN_ENTRIES in these tests (20,000 in use)
HALF = "Remittances grew by a half."
HALF_RU = "Денежные переводы выросли наполовину."


def _rows(count: int) -> list[tuple[str, str, None, None]]:
    """``count`` distinct pairs, one of them a fuzzy match of the document's
    "Remittances grew by a third."."""
    subjects = ["The ministry", "The committee", "The bank", "The council", "The mayor", "The court"]
    verbs = ["counted", "reported", "published", "reviewed", "approved", "rejected"]
    rows = [(f"{subjects[n % 6]} {verbs[n // 6 % 6]} report number {n} on regional budgets.",
             f"Отчёт номер {n} о региональных бюджетах.", None, None)
            for n in range(count - 1)]
    return [*rows, (HALF, HALF_RU, None, None)]


def _add_memory(db_path, count: int, name: str = "big") -> None:
    with Store(db_path) as store:
        store.tm_add_memory(name=name, source_lang="en", target_lang="ru", path=None, fmt="csv",
                            rows=_rows(count), imported_at="2026-01-01T00:00:00Z")


def _generation(db_path) -> int:
    with Store(db_path, create=False) as store:
        return store.tm_index_state()[0]


@pytest.fixture
def small_threshold(monkeypatch):
    monkeypatch.setattr(index, "INDEX_MIN_ENTRIES", THRESHOLD)


@pytest.fixture
def jobs_seen():
    """Labels of the jobs the windows started (connected by ``_watch``)."""
    return []


def _watch(win, jobs_seen):
    win.jobs.started.connect(jobs_seen.append)


def _settled(qtbot, win, timeout=20000):
    qtbot.waitUntil(lambda: not win.memory_index.active and not win.jobs.busy, timeout=timeout)


def test_opening_builds_the_index_in_the_background_and_lookups_still_work(
        qtbot, doc_with_mt, no_models, small_threshold, no_modal_dialogs):
    db_path, doc = doc_with_mt
    _add_memory(db_path, THRESHOLD * 3)
    assert _generation(db_path) == 0
    win = open_window(qtbot, db_path)
    assert win.memory_index.active  # asked as the window opened
    _settled(qtbot, win)
    with Store(db_path, create=False) as store:
        generation, _covers, entries, _built = store.tm_index_state()
    assert generation > 0 and entries == THRESHOLD * 3
    assert "memory index rebuilt: 600 entries" in win.statusBar().currentMessage()
    assert not no_modal_dialogs and not win.job_bar.isVisible()
    # The Matches pane looks up through the index.
    win.doc_list.select_document(doc)
    with Store(db_path, create=False) as store:
        unit = store.unit_ids(doc)[4]  # "Remittances grew by a third."
    win.table.go_to_unit(unit)
    qtbot.waitUntil(lambda: win.matches_pane.unit is not None and win.matches_pane.unit.id == unit
                    and bool(win.matches_pane.matches), timeout=10000)
    assert win.matches_pane.matches[0].source == HALF
    # Fresh now: opening again checks, finds nothing to do, starts no job.
    jobs_seen: list[str] = []
    again = open_window(qtbot, db_path)
    _watch(again, jobs_seen)
    _settled(qtbot, again)
    assert jobs_seen == [] and "memory index" not in again.statusBar().currentMessage()
    assert _generation(db_path) == generation


def test_cancelling_the_rebuild_leaves_no_index_and_the_window_usable(
        qtbot, doc_with_mt, no_models, small_threshold, no_modal_dialogs, monkeypatch):
    db_path, doc = doc_with_mt
    _add_memory(db_path, THRESHOLD * 3)
    gate = threading.Event()
    real = index._build_shard

    def held(rows, cancelled, tick):  # the first shard waits until the test has pressed Cancel
        gate.wait(10)
        return real(rows, cancelled, tick)

    monkeypatch.setattr(index, "_build_shard", held)
    win = open_window(qtbot, db_path)
    qtbot.waitUntil(lambda: win.jobs.busy and win.job_bar.isVisible(), timeout=10000)
    assert win.job_bar.label.text().startswith("indexing the memory")
    assert win.actions["cancel_job"].isEnabled()
    win.job_bar.cancel_button.click()
    gate.set()
    _settled(qtbot, win)
    assert _generation(db_path) == 0
    assert "cancelled" in win.statusBar().currentMessage()
    assert not no_modal_dialogs and not win.job_bar.isVisible()
    # Usable: the runner is free for the person's jobs, lookups work without the index.
    assert win.actions["pretranslate"].isEnabled() and win.actions["import_files"].isEnabled()
    win.doc_list.select_document(doc)
    with Store(db_path, create=False) as store:
        unit = store.unit_ids(doc)[4]
    win.table.go_to_unit(unit)
    qtbot.waitUntil(lambda: win.matches_pane.unit is not None and win.matches_pane.unit.id == unit
                    and bool(win.matches_pane.matches), timeout=10000)
    assert win.matches_pane.matches[0].source == HALF
    with qtbot.waitSignal(win.jobs.ended, timeout=10000):
        assert win.memory.pretranslate()
    assert _generation(db_path) == 0  # a cancelled refresh is not retried until the next opening


def test_a_memory_below_the_threshold_gets_no_index_and_no_message(
        qtbot, doc_with_mt, no_models, small_threshold, no_modal_dialogs, jobs_seen, monkeypatch):
    from workbench.gui import memory_index

    db_path, _doc = doc_with_mt
    _add_memory(db_path, THRESHOLD // 2)
    checks: list[bool] = []

    def counted(path):
        checks.append(memory_index_stale(path))
        return checks[-1]

    monkeypatch.setattr(memory_index, "memory_index_stale", counted)
    win = open_window(qtbot, db_path)
    _watch(win, jobs_seen)
    _settled(qtbot, win)
    assert checks == [False]  # asked once, in a worker, as the window opened: nothing to do
    assert _generation(db_path) == 0
    assert jobs_seen == [] and not win.job_bar.isVisible()
    assert "memory" not in win.statusBar().currentMessage() and not no_modal_dialogs


def test_an_import_that_grows_the_memory_over_the_threshold_builds_the_index(
        qtbot, doc_with_mt, no_models, small_threshold, no_modal_dialogs):
    db_path, doc = doc_with_mt
    _add_memory(db_path, THRESHOLD // 2)
    win = open_window(qtbot, db_path)
    _settled(qtbot, win)
    assert _generation(db_path) == 0
    _add_memory(db_path, THRESHOLD * 2, name="more")  # as an import job writes it
    with qtbot.waitSignal(win.memory_index.rebuilt, timeout=20000):
        win.import_finished.emit([doc])
    _settled(qtbot, win)
    assert _generation(db_path) > 0


def test_a_stale_index_waits_for_the_job_running(qtbot, doc_with_mt, no_models, small_threshold,
                                                 no_modal_dialogs):
    db_path, _doc = doc_with_mt
    _add_memory(db_path, THRESHOLD * 2)
    release = threading.Event()
    labels: list[str] = []
    win = MainWindow(db_path)  # the check is on its way; its answer lands with the event loop
    qtbot.addWidget(win)
    win.jobs.started.connect(labels.append)
    assert win.memory_index.active
    assert win.jobs.start(CallWorker("other", lambda: release.wait(10), pass_callbacks=False), "another job")
    win.show()
    qtbot.waitUntil(lambda: win.memory_index._waiting is not None, timeout=10000)
    assert labels == ["another job"] and _generation(db_path) == 0  # queued, not refused, not run alongside
    with qtbot.waitSignal(win.memory_index.rebuilt, timeout=20000):
        release.set()
    _settled(qtbot, win)
    assert labels == ["another job", "indexing the memory"] and _generation(db_path) > 0


def test_one_refresh_at_a_time(qtbot, doc_with_mt, no_models, small_threshold, monkeypatch):
    db_path, _doc = doc_with_mt
    _add_memory(db_path, THRESHOLD * 2)
    gate = threading.Event()
    real = index._build_shard
    monkeypatch.setattr(index, "_build_shard", lambda *a: gate.wait(10) and real(*a))
    labels: list[str] = []
    win = open_window(qtbot, db_path)
    qtbot.waitUntil(lambda: win.jobs.busy, timeout=10000)
    win.jobs.started.connect(labels.append)  # jobs started from now on
    for _ in range(3):
        win.memory_index.request()  # asked again while it runs: once more afterwards, not alongside
    gate.set()
    _settled(qtbot, win)
    assert labels == [] and _generation(db_path) > 0  # the second check found it fresh
