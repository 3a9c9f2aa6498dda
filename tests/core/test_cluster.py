"""Batch work on a Dask cluster: a LocalCluster of two worker processes gives
the same units and MT as this process, survives a killed worker, stops on a
cancel (what is written stays, a re-run finishes), and an unreachable
scheduler is one clear line with nothing changed."""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

from tests.conftest import CLUSTER_WORDS as WORDS  # noqa: E402

from workbench.core import cluster as cluster_module  # noqa: E402
from workbench.core.batch_pairs import ALREADY, IMPORTED, import_pairs, run_inline  # noqa: E402
from workbench.core.cluster import (Cluster, ClusterSpec, PackageRef, package_bytes, package_ref,  # noqa: E402
                                    parse_cluster, resolve_package)
from workbench.core.errors import BadInputError, ModelError, WorkbenchError  # noqa: E402
from workbench.core.mt.packages import find_pair  # noqa: E402
from workbench.core.progress import Cancelled  # noqa: E402
from workbench.core.store.database import Store  # noqa: E402
from workbench.core.translating import translate_document, translate_documents  # noqa: E402
from workbench.testing.pairs import write_pair_folders  # noqa: E402




def fill(store: Store, documents: int = 6, sentences: int = 30) -> list[int]:
    """Documents of news-like sentences; some sentences recur in several documents."""
    ids = []
    for d in range(documents):
        doc = store.add_document(title=f"Article {d}", language="en", target_language="ru", source_path=None,
                                 checksum=f"article-{d}", date=None)
        rows = []
        for n in range(sentences):
            k = (d * 7 + n * 3) % 40 if n % 4 == 0 else d * 1000 + n  # every 4th sentence is shared
            words = [WORDS[(k * 5 + i * 3) % len(WORDS)] for i in range(6 + k % 9)]
            rows.append((n // 5, "boilerplate" if n == sentences - 1 else "body",
                         " ".join(words).capitalize() + f" {k}.", False))
        store.add_segments(doc, rows)
        ids.append(doc)
    return ids


def units_of(store: Store) -> list[tuple]:
    return [(d.title, u.source, u.mt, u.target, str(u.status), u.mt_model, u.mt_version)
            for d in store.documents() for u in store.units(d.id)]


def articles(store: Store) -> list[tuple]:
    """Each article's units: the linked texts and the aligner's confidence."""
    return sorted((d.title, tuple((u.source, u.target) for u in store.units(d.id)),
                   tuple(u.confidence or 0.0 for u in store.units(d.id)))
                  for d in store.documents() if d.translation_of is None)


def same_articles(got: list[tuple], expected: list[tuple]) -> bool:
    """The same links; confidences equal up to float noise (Dask runs BLAS with one
    thread per worker, which sums in another order than this process does)."""
    return [a[:2] for a in got] == [a[:2] for a in expected] and all(
        x == pytest.approx(y, abs=1e-6) for a, b in zip(got, expected) for x, y in zip(a[2], b[2]))


def scheduler_tasks(running: Cluster) -> int:
    """Tasks the scheduler still runs or means to run (data kept on the workers aside)."""
    def count(dask_scheduler) -> int:
        return sum(ts.state in ("processing", "waiting", "queued", "no-worker")
                   for ts in dask_scheduler.tasks.values())
    return running.client.run_on_scheduler(count)


def wait_for(condition, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


# --- addresses -----------------------------------------------------------------------

@pytest.mark.parametrize("text, spec", [
    ("local", ClusterSpec(None, None)),
    ("local:3", ClusterSpec(None, 3)),
    ("tcp://10.0.0.5:8786", ClusterSpec("tcp://10.0.0.5:8786", None)),
    ("scheduler.lan:8786", ClusterSpec("tcp://scheduler.lan:8786", None)),
])
def test_cluster_addresses(text, spec):
    assert parse_cluster(text) == spec


@pytest.mark.parametrize("text", ["", "local:0", "local:x", "tcp://host", "http://host:8786", "host:99999"])
def test_a_bad_cluster_address_names_the_accepted_forms(text):
    with pytest.raises(BadInputError, match="local"):
        parse_cluster(text)


def test_an_unreachable_scheduler_is_one_line_and_nothing_is_changed(tmp_path):
    with Store(tmp_path / "w.db") as store:
        fill(store, 1, 3)
        before = units_of(store)
        with pytest.raises(WorkbenchError) as error:
            with Cluster("tcp://127.0.0.1:1", timeout=2):
                pass
        assert "cannot reach the Dask scheduler at tcp://127.0.0.1:1" in str(error.value)
        assert "\n" not in str(error.value)
        assert units_of(store) == before


# --- models on workers ---------------------------------------------------------------

def test_a_worker_without_the_model_unpacks_the_one_sent_once(packages_dir, tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-models-here"))
    monkeypatch.setattr(cluster_module, "_resolved", {})
    package, = find_pair("en", "ru", packages_dir=packages_dir)
    ref = package_ref(package)
    elsewhere = PackageRef(ref.code, ref.version, ref.fingerprint, ref.folder, str(tmp_path / "client-only"))
    with pytest.raises(ModelError, match="is not installed there with the same files"):
        resolve_package(elsewhere)
    found = resolve_package(elsewhere, package_bytes(package))
    assert found.path != package.path and found.path.is_relative_to(tmp_path)
    assert package_ref(found).fingerprint == ref.fingerprint
    assert resolve_package(elsewhere) is found  # once per process
    other = PackageRef(ref.code, ref.version, "0" * 64, ref.folder, str(package.path))
    with pytest.raises(ModelError):  # the same code with other files is not the model asked for
        resolve_package(other)


# --- translation ---------------------------------------------------------------------

def test_sharded_translation_in_this_process_equals_one_document_at_a_time(packages_dir, tmp_path):
    with Store(tmp_path / "one.db") as one, Store(tmp_path / "sharded.db") as sharded:
        ids = fill(one)
        fill(sharded)
        for doc in ids:
            translate_document(one, doc, packages_dir=packages_dir)
        summary = translate_documents(sharded, ids, packages_dir=packages_dir)
        assert units_of(sharded) == units_of(one)
        assert summary.translated + summary.from_cache == sum(u[2] is not None for u in units_of(one))
        assert translate_documents(sharded, ids, packages_dir=packages_dir).translated == 0  # all done


def test_a_local_cluster_translates_the_same_as_this_process(local_cluster, packages_dir, tmp_path):
    with Store(tmp_path / "here.db") as here, Store(tmp_path / "cluster.db") as there:
        ids = fill(here)
        fill(there)
        expected = translate_documents(here, ids, packages_dir=packages_dir, batch_size=16)
        seen = []
        got = translate_documents(there, ids, packages_dir=packages_dir, batch_size=16,
                                  runner=local_cluster.mt_runner(), progress=lambda f, m: seen.append(f))
        assert units_of(there) == units_of(here)
        # A text shared by two documents is written to both when its batch comes back
        # (here it may still be on its way when the second document is planned).
        assert (got.translated + got.from_cache, got.sentences_translated) == (
            expected.translated + expected.from_cache, expected.sentences_translated)
        assert seen and seen[-1] == 1.0
    assert wait_for(lambda: scheduler_tasks(local_cluster) == 0)


def test_a_cancel_stops_the_cluster_keeps_what_was_written_and_a_rerun_finishes(local_cluster, packages_dir,
                                                                                tmp_path):
    with Store(tmp_path / "here.db") as here, Store(tmp_path / "cluster.db") as there:
        ids = fill(here, 8)
        fill(there, 8)
        translate_documents(here, ids, packages_dir=packages_dir, batch_size=8)
        batches = []
        with pytest.raises(Cancelled) as stop:
            translate_documents(there, ids, packages_dir=packages_dir, batch_size=8,
                                runner=local_cluster.mt_runner(),
                                progress=lambda f, m: batches.append(f), cancelled=lambda: len(batches) >= 2)
        partial = stop.value.partial
        assert partial.cancelled and partial.translated > 0
        written = sum(u[2] is not None for u in units_of(there))
        assert 0 < written < sum(u[2] is not None for u in units_of(here))
        assert wait_for(lambda: scheduler_tasks(local_cluster) == 0)  # nothing left running
        rest = translate_documents(there, ids, packages_dir=packages_dir, batch_size=8,
                                   runner=local_cluster.mt_runner())
        assert rest.skipped >= partial.translated
        assert units_of(there) == units_of(here)


def test_models_sent_to_the_workers_give_the_same_translations(local_cluster, packages_dir, tmp_path):
    with Store(tmp_path / "here.db") as here, Store(tmp_path / "cluster.db") as there:
        ids = fill(here, 2)
        fill(there, 2)
        translate_documents(here, ids, packages_dir=packages_dir)
        shipping = Cluster(local_cluster.spec, ship_models=True)
        shipping.client = local_cluster.client  # the same workers, the models scattered to them
        try:
            translate_documents(there, ids, packages_dir=packages_dir, runner=shipping.mt_runner())
        finally:
            shipping.client = None
        assert units_of(there) == units_of(here)


# --- pairs ---------------------------------------------------------------------------

def test_a_local_cluster_aligns_the_same_pairs_as_this_process(local_cluster, packages_dir, tmp_path):
    write_pair_folders(tmp_path / "en", tmp_path / "ru", 10, seed=5)
    stored = {}
    for name, runner in (("inline", run_inline), ("cluster", local_cluster.pair_runner())):
        with Store(tmp_path / f"{name}.db") as store:
            result = import_pairs(store, tmp_path / "en", tmp_path / "ru", source_lang="en", target_lang="ru",
                                  packages_dir=packages_dir, runner=runner)
            assert result.count(IMPORTED) == 10
            assert all(o.used_mt for o in result.outcomes)
            stored[name] = articles(store)
            assert {Path(d.source_path).parent for d in store.documents()} == {tmp_path / "en", tmp_path / "ru"}
    assert same_articles(stored["cluster"], stored["inline"])


def test_a_bad_file_on_a_cluster_is_reported_with_its_own_name(local_cluster, tmp_path):
    write_pair_folders(tmp_path / "en", tmp_path / "ru", 2)
    (tmp_path / "en" / "pair-001.en.txt").write_bytes(b"\x00\x01\x02binary" * 50)
    with Store(tmp_path / "w.db") as store:
        result = import_pairs(store, tmp_path / "en", tmp_path / "ru", use_mt=False,
                              runner=local_cluster.pair_runner())
    failed, = [o for o in result.outcomes if o.error]
    assert str(tmp_path / "en" / "pair-001.en.txt") in failed.error and "workbench-pair-" not in failed.error


def test_a_killed_worker_loses_nothing_its_shard_runs_again(local_cluster, tmp_path):
    write_pair_folders(tmp_path / "en", tmp_path / "ru", 16, seed=2)
    with Store(tmp_path / "inline.db") as store:
        import_pairs(store, tmp_path / "en", tmp_path / "ru", use_mt=False)
        expected = articles(store)
    client = local_cluster.client
    pids = client.run(os.getpid)
    killed = []

    def kill_a_busy_worker(outcome) -> None:
        if killed:
            return
        busy = [address for address, tasks in client.processing().items() if tasks]
        if busy:
            killed.append(pids[busy[0]])
            os.kill(pids[busy[0]], signal.SIGKILL)

    with Store(tmp_path / "cluster.db") as store:
        result = import_pairs(store, tmp_path / "en", tmp_path / "ru", use_mt=False, on_pair=kill_a_busy_worker,
                              runner=local_cluster.pair_runner(pairs_per_shard=2))
        assert killed, "no worker was busy to kill"
        assert result.count(IMPORTED) == 16
        assert same_articles(articles(store), expected)
    client.wait_for_workers(2, timeout=60)  # the nanny started a new one
    assert killed[0] not in client.run(os.getpid).values()


def test_a_cancelled_pair_import_keeps_its_pairs_and_a_rerun_does_the_rest(local_cluster, tmp_path):
    write_pair_folders(tmp_path / "en", tmp_path / "ru", 12, seed=4)
    written = []
    with Store(tmp_path / "w.db") as store:
        with pytest.raises(Cancelled, match="imported and kept"):
            import_pairs(store, tmp_path / "en", tmp_path / "ru", use_mt=False, on_pair=written.append,
                         cancelled=lambda: len(written) >= 3, runner=local_cluster.pair_runner(pairs_per_shard=1))
        kept = len(articles(store))
        assert 3 <= kept < 12
        assert wait_for(lambda: scheduler_tasks(local_cluster) == 0)
        rest = import_pairs(store, tmp_path / "en", tmp_path / "ru", use_mt=False,
                            runner=local_cluster.pair_runner())
        assert (rest.count(ALREADY), rest.count(IMPORTED)) == (kept, 12 - kept)
        assert len(articles(store)) == 12
