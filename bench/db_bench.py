"""What database safety costs on a big database: PRAGMA quick_check and
integrity_check, an open with and without the check, a backup and a restore
through SQLite's backup API.

    .venv/bin/python bench/db_bench.py [--units 100000]

The database is built in a temporary folder: N units of news-like sentences
in documents of 1,000, each with MT, a post-edited target and scores, plus one
edit per unit in the history (the shape a reviewed corpus has).  Times are the
median of three runs with the file in the page cache (the usual case: the
file was just used); the first, cold-ish run is printed too.
"""
from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.core import backups, store as store_module  # noqa: E402
from workbench.core.store.database import Store, integrity_problems, quick_check  # noqa: E402

WORDS = ("the government ministry migration workers approved budget central bank rate inflation talks "
         "neighbours resume company profit quarter rescuers evacuated residents river border").split()


def sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 25))).capitalize() + "."


def build(path: Path, units: int) -> None:
    rng = random.Random(7)
    with Store(path) as store:
        for d in range(max(1, units // 1000)):
            doc = store.add_document(title=f"Article {d}", language="en", target_language="ru",
                                     source_path=None, checksum=f"bench-{d}", date=None)
            store.add_segments(doc, [(n // 5, "body", sentence(rng), False) for n in range(min(1000, units))])
        with store.transaction() as conn:
            conn.execute("UPDATE units SET mt = 'машинный перевод ' || id, target = 'перевод ' || id,"
                         " status = 'edited', pe_chrf = 50, pe_ter = 40")
            conn.execute("INSERT INTO edits (at, document_id, command, summary, payload, inverse)"
                         " SELECT updated_at, document_id, 'SetTarget', 'set target', '{}', '{}' FROM units")


def timed(fn, runs: int = 3) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times[0], statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        started = time.perf_counter()
        build(db, args.units)
        size = db.stat().st_size
        print(f"{args.units:,} units: {size / 2**20:.1f} MiB, built in {time.perf_counter() - started:.1f} s")
        conn = sqlite3.connect(db)
        for name, fn in (("PRAGMA quick_check", lambda: quick_check(conn)),
                         ("integrity_check + foreign_key_check", lambda: integrity_problems(conn))):
            first, median = timed(fn)
            print(f"{name:40s} first {first * 1000:7.0f} ms  median {median * 1000:7.0f} ms"
                  f"  ({median * 1000 / (size / 2**20):.1f} ms/MiB)")
        conn.close()
        os.environ["WORKBENCH_BACKUPS_KEEP"] = "0"  # opens below: no daily backup in the figures

        def open_checked():
            store_module._checked.clear()
            Store(db, backups=False).close()

        def open_unchecked():
            check = store_module.quick_check
            store_module.quick_check = lambda conn: []
            try:
                store_module._checked.clear()
                Store(db, backups=False).close()
            finally:
                store_module.quick_check = check

        for name, fn in (("open with quick_check", open_checked), ("open without", open_unchecked)):
            first, median = timed(fn)
            print(f"{name:40s} first {first * 1000:7.0f} ms  median {median * 1000:7.0f} ms")
        del os.environ["WORKBENCH_BACKUPS_KEEP"]
        source = sqlite3.connect(db)
        made: list[Path] = []
        first, median = timed(lambda: made.append(backups.make_backup(source, db, "manual")))
        source.close()
        print(f"{'backup (online backup API, fsync)':40s} first {first * 1000:7.0f} ms  median {median * 1000:7.0f} ms")
        first, median = timed(lambda: backups.restore(db, made[-1]), runs=1)
        print(f"{'restore (verify, keep current, copy)':40s} {first * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
