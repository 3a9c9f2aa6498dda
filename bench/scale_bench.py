"""Corpus scale: batch work in this process vs a Dask LocalCluster, and the store at millions of units.

    .venv/bin/python bench/scale_bench.py [--pairs 200] [--sentences 2000] [--workers 2]
                                          [--units 5000000] [--db PATH] [--skip-cluster] [--skip-store]

1. Aligning ``--pairs`` generated pairs (``workbench.testing.pairs``, MT
   signal off) with ``import_pairs``: in this process, then on a
   LocalCluster of ``--workers`` processes (cluster start-up timed apart).
2. Translating ``--sentences`` distinct sentences (documents of 50) with the
   random-weight test model (``workbench.testing.models``: a 6+6-layer,
   512-wide transformer-base shape, int8, whose decoder stops after ~20-40
   tokens like a real one): ``translate_documents`` in this process, then on
   the LocalCluster.  Both runs must write the same MT (checked).
3. The single writer: rows/s of the client's MT write path (cache + units,
   one transaction per 256-text batch), and of ``add_documents_bulk``.
4. A database of ``--units`` units in documents of 50 (100,000 documents for
   5,000,000 units; built once with ``add_documents_bulk`` and kept with
   ``--db``), then the interactive reads: the documents list, opening a
   document (its unit ids and the first 200 units), status counts, find in
   a document, a memory lookup, exporting one document, and the start and
   rate of a whole-corpus export.  Each is timed with the indexes of the
   scale migration and without them (dropped for the "before" column, then
   made again), side by side.

Figures are medians of 3 runs (page cache warm); the machine is shared, so
compare the columns of one run, not runs.
"""
from __future__ import annotations

import argparse
import logging
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.core.store.bulk_rows import BulkDocument, BulkUnit  # noqa: E402
from workbench.core.store.database import Store  # noqa: E402

WORDS = ("the government ministry migration workers approved budget central bank rate inflation talks "
         "neighbours resume company profit quarter rescuers evacuated residents river border council "
         "strategy meeting reform election parliament court ruling energy prices exports grain harvest").split()
# The indexes of the scale migration (workbench/core/store/schema.py), as (name, statement).
SCALE_INDEXES = (
    ("documents_translation_of", "CREATE INDEX documents_translation_of ON documents(translation_of)"
                                 " WHERE translation_of IS NOT NULL"),
    ("units_target_document", "CREATE INDEX units_target_document ON units(target_document_id)"
                              " WHERE target_document_id IS NOT NULL"),
    ("units_by_status", "CREATE INDEX units_by_status ON units(status, document_id)"),
)


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 22))).capitalize() + f" {n}."


def median_time(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


# --- 1 and 2: this process vs a LocalCluster ---------------------------------------------

def cluster_part(args, tmp: Path) -> None:
    from workbench.core import batch_pairs
    from workbench.core.cluster import Cluster, ClusterSpec
    from workbench.core.mt.packages import install_file
    from workbench.core.translating import translate_documents
    from workbench.testing.models import build_test_package
    from workbench.testing.pairs import write_pair_folders

    write_pair_folders(tmp / "en", tmp / "ru", args.pairs)
    build_test_package(tmp / "build", "en", "ru", layers=(6, 6), d_model=512, heads=8, ffn=2048,
                       quantization="int8", vocab_size=2000, zip_to=tmp / "base.argosmodel")
    packages = tmp / "packages"
    install_file(tmp / "base.argosmodel", packages)
    rng = random.Random(3)

    def translation_db(name: str, seed: int = 0) -> tuple[Store, list[int]]:
        store = Store(tmp / f"{name}.db")
        docs = [BulkDocument(f"Article {d}", "en", "ru", f"mt-{d}",
                             [BulkUnit(sentence(random.Random(seed + d * 1000 + n), d * 1000 + n))
                              for n in range(50)])
                for d in range(max(1, args.sentences // 50))]
        return store, store.add_documents_bulk(docs)

    rows = {}
    started = time.perf_counter()
    with Store(tmp / "pairs-inline.db") as store:
        t = time.perf_counter()
        result = batch_pairs.import_pairs(store, tmp / "en", tmp / "ru", source_lang="en", target_lang="ru",
                                          use_mt=False)
        rows["align"] = [time.perf_counter() - t]
        assert result.count(batch_pairs.IMPORTED) == args.pairs
    here, ids = translation_db("mt-inline")
    t = time.perf_counter()
    summary = translate_documents(here, ids, packages_dir=packages)
    rows["translate"] = [time.perf_counter() - t]
    sentences = summary.sentences_translated
    del rng, started
    t = time.perf_counter()
    with Cluster(ClusterSpec(None, args.workers)) as running:
        startup = time.perf_counter() - t
        with Store(tmp / "pairs-cluster.db") as store:
            t = time.perf_counter()
            result = batch_pairs.import_pairs(store, tmp / "en", tmp / "ru", source_lang="en", target_lang="ru",
                                              use_mt=False, runner=running.pair_runner())
            rows["align"].append(time.perf_counter() - t)
            assert result.count(batch_pairs.IMPORTED) == args.pairs
        there, ids = translation_db("mt-cluster")
        t = time.perf_counter()
        translate_documents(there, ids, packages_dir=packages, runner=running.mt_runner())
        rows["translate"].append(time.perf_counter() - t)
        # The first shards load the model in each worker: other sentences (none in the MT cache),
        # translated by the same workers, show the steady state.
        again, again_ids = translation_db("mt-cluster-again", seed=10_000_000)
        t = time.perf_counter()
        translate_documents(again, again_ids, packages_dir=packages, runner=running.mt_runner())
        steady = time.perf_counter() - t
        again.close()
    same = [(u.source, u.mt) for d in ids for u in here.units(d)] == [(u.source, u.mt) for d in ids
                                                                       for u in there.units(d)]
    here.close()
    there.close()
    print(f"\n== this process vs LocalCluster({args.workers}) (cluster start-up {startup:.1f} s, not counted)")
    print(f"{'':34}{'in-process':>14}{'LocalCluster':>14}")
    print(f"{f'align {args.pairs} pairs (s)':34}{rows['align'][0]:14.2f}{rows['align'][1]:14.2f}")
    print(f"{'  pairs/s':34}{args.pairs / rows['align'][0]:14.1f}{args.pairs / rows['align'][1]:14.1f}")
    print(f"{f'translate {sentences} sentences (s)':34}{rows['translate'][0]:14.2f}{rows['translate'][1]:14.2f}")
    print(f"{'  sentences/s':34}{sentences / rows['translate'][0]:14.1f}{sentences / rows['translate'][1]:14.1f}")
    print(f"{'  again, models loaded (s/s)':34}{'':>14}{f'{steady:.2f} / {sentences / steady:.1f}':>14}")
    print(f"identical MT in both: {same}")


# --- 3: the single writer --------------------------------------------------------------------

def writer_part(tmp: Path) -> None:
    rng = random.Random(5)
    with Store(tmp / "writer.db") as store:
        docs = [BulkDocument(f"W {d}", "en", "ru", f"w-{d}", [BulkUnit(sentence(rng, d * 50 + n)) for n in range(50)])
                for d in range(400)]
        t = time.perf_counter()
        ids = store.add_documents_bulk(docs)
        bulk = 400 * 50 / (time.perf_counter() - t)
        units = [(u.id, u.source) for d in ids for u in store.units(d)]
        t = time.perf_counter()
        for start in range(0, len(units), 256):
            batch = units[start:start + 256]
            with store.transaction():
                store.cache_translations("bench#0", ((s, "перевод " + s) for _, s in batch))
                store.set_machine_translations_if_source(
                    (uid, s, "перевод " + s, "argos", "translate-en_ru", "1.9") for uid, s in batch)
        mt = len(units) / (time.perf_counter() - t)
    print("\n== the single writer (this process)")
    print(f"MT written (cache + unit + source check + scores, 256 per transaction): {mt:,.0f} units/s")
    print(f"documents written in bulk (segment + unit + link, memory triggers):      {bulk:,.0f} units/s")


# --- 4: the store at corpus scale --------------------------------------------------------------

def build(path: Path, units: int) -> float:
    per_doc = 50
    started = time.perf_counter()
    with Store(path) as store:
        chunk = []
        for d in range(max(1, units // per_doc)):
            rng = random.Random(d)
            rows = []
            for n in range(per_doc):
                text = sentence(rng, d * per_doc + n)
                roll = rng.random()
                if roll < 0.6:
                    rows.append(BulkUnit(text, n // 5, status="machine", target="машинный " + text, mt="машинный " + text,
                                         mt_model="translate-en_ru", mt_version="1.9"))
                elif roll < 0.7:
                    rows.append(BulkUnit(text, n // 5, status="edited", target="перевод " + text, mt="машинный " + text,
                                         mt_model="translate-en_ru", mt_version="1.9"))
                elif roll < 0.75:
                    rows.append(BulkUnit(text, n // 5, status="approved", target="перевод " + text))
                else:
                    rows.append(BulkUnit(text, n // 5))
            chunk.append(BulkDocument(f"Article {d}", "en", "ru", f"scale-{d}", rows))
            if len(chunk) == 1000:
                store.add_documents_bulk(chunk)
                chunk = []
                print(f"\r  building: {d + 1:,} documents ({(d + 1) * per_doc / (time.perf_counter() - started):,.0f}"
                      " units/s)", end="", file=sys.stderr, flush=True)
        if chunk:
            store.add_documents_bulk(chunk)
    print(file=sys.stderr)
    return time.perf_counter() - started


def latencies(store: Store, *, indexed: dict[str, float] | None = None) -> dict[str, float]:
    """The interactive reads, timed; ``indexed`` (the figures with the indexes) marks the run
    without them, whose whole-corpus export is estimated above 20,000 documents."""
    from workbench.core.formats.base import ExportOptions
    from workbench.core.interchange import ExportFilter, export_corpus, iter_export_units
    from workbench.core.memory.search import search
    from workbench.core.store.review_queries import SearchQuery, document_progress, search_units

    docs = store.documents()
    middle = docs[len(docs) // 2].id
    ids = store.unit_ids(middle)
    probe = store.units_by_ids(ids[:1])[0].source
    out = Path(tempfile.mkdtemp(prefix="scale-export-"))

    def first_units_of_whole_export(n: int = 100_000) -> None:
        units = iter_export_units(store, ExportFilter(statuses=("any",)))
        for k, _unit in enumerate(units):
            if k + 1 >= n:
                break
        units.close()

    def whole_export_start() -> float:
        if indexed is None or len(docs) <= 20_000:
            return median_time(first_units_of_whole_export, runs=1)
        # Without the index each document's translation is a scan of the documents table:
        # 100,000 scans take most of an hour, so 500 are timed and scaled up, and the rest of
        # the export is taken from the indexed run.
        started = time.perf_counter()
        for doc in docs[:500]:
            store.translation_of(doc.id)
        lookups = time.perf_counter() - started
        return lookups * len(docs) / 500 + indexed["whole-corpus export: first 100k units"]

    figures = {
        "documents list": median_time(store.documents),
        "documents' progress (the window's list)": median_time(lambda: document_progress(store)),
        "open a document (ids + 200 units)": median_time(lambda: store.units_by_ids(store.unit_ids(middle)[:200])),
        "status counts, one document": median_time(lambda: store.status_counts(middle)),
        "status counts, whole corpus": median_time(store.status_counts),
        "find in a document": median_time(lambda: search_units(store, middle, SearchQuery("budget"))),
        "memory lookup (top 5)": median_time(lambda: search(store, probe, "en", "ru")),
        "export one document (TMX)": median_time(lambda: export_corpus(
            store, "tmx", out / "one.tmx", ExportFilter(document_ids=(middle,), statuses=("any",)),
            ExportOptions("en", "ru"), force=True)),
        "whole-corpus export: first 100k units": whole_export_start(),
    }
    shutil.rmtree(out, ignore_errors=True)
    return figures


def store_part(args, tmp: Path) -> None:
    path = Path(args.db) if args.db else tmp / "scale.db"
    if not path.exists():
        seconds = build(path, args.units)
        print(f"\n== built {args.units:,} units in {seconds:.0f} s ({args.units / seconds:,.0f} units/s)")
    with Store(path) as store:
        sizes = store.table_sizes()
        print(f"\n== the store at {sizes['units']:,} units, {sizes['documents']:,} documents "
              f"({path.stat().st_size / 1e9:.2f} GB)")
        after = latencies(store)
        present = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        with store.transaction() as conn:
            for name, _ in SCALE_INDEXES:
                conn.execute(f"DROP INDEX IF EXISTS {name}")
        try:
            before = latencies(store, indexed=after)
        finally:  # made again even when the run is stopped
            with store.transaction() as conn:
                for name, statement in SCALE_INDEXES:
                    if name in present:
                        conn.execute(statement)
    print(f"{'':42}{'without':>12}{'with indexes':>14}   (seconds; 'without' of the whole-corpus export"
          " is scaled up from 500 documents above 20,000)")
    for label in after:
        print(f"{label:42}{before[label]:12.4f}{after[label]:14.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--units", type=int, default=5_000_000)
    parser.add_argument("--db", help="keep the big database here (built when missing, reused when present)")
    parser.add_argument("--skip-cluster", action="store_true")
    parser.add_argument("--skip-store", action="store_true")
    args = parser.parse_args()
    logging.getLogger("distributed").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="scale-bench-") as tmp:
        if not args.skip_cluster:
            cluster_part(args, Path(tmp))
        writer_part(Path(tmp))
        if not args.skip_store:
            store_part(args, Path(tmp))


if __name__ == "__main__":
    main()
