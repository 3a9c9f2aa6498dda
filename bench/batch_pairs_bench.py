"""Batch alignment (``workbench import-pairs``): pairs per second with 1 and 2 (or more) jobs.

    .venv/bin/python bench/batch_pairs_bench.py [--pairs 200] [--jobs 1,2] [--mt]

Generates the pairs (``workbench.testing.pairs``: windows of the hand-aligned
gold texts, the targets perturbed, 10-50 sentences a side), then for each
jobs count imports them all into a fresh database and prints, side by side:
wall time, pairs/s (matching, worker start-up, alignment and writing
included) and a re-run over the same folders (everything skipped as
imported, nothing read but checksums).  Without
``--mt`` the aligner runs without an MT signal (no model needed).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.core import batch_pairs  # noqa: E402
from workbench.core.store.database import Store  # noqa: E402
from workbench.testing.pairs import write_pair_folders  # noqa: E402


def measure(folder: Path, jobs: int, use_mt: bool) -> dict:
    db = folder / f"jobs{jobs}.db"
    with Store(db) as store:
        started = time.perf_counter()
        result = batch_pairs.import_pairs(store, folder / "en", folder / "ru", source_lang="en", target_lang="ru",
                                          use_mt=use_mt, jobs=jobs)
        wall = time.perf_counter() - started
        assert result.count(batch_pairs.FAILED) == 0, [o.error for o in result.outcomes if o.error]
        started = time.perf_counter()
        again = batch_pairs.import_pairs(store, folder / "en", folder / "ru", use_mt=use_mt, jobs=jobs)
        rerun = time.perf_counter() - started
        assert again.count(batch_pairs.ALREADY) == len(result.outcomes)
        links = sum(o.links for o in result.outcomes)
    return {"pairs": result.count(batch_pairs.IMPORTED), "links": links, "wall": wall,
            "rate": result.count(batch_pairs.IMPORTED) / wall, "rerun": rerun}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--jobs", default="1,2", help="comma-separated jobs counts")
    parser.add_argument("--mt", action="store_true", help="use an installed model as a signal")
    args = parser.parse_args()
    counts = [int(n) for n in args.jobs.split(",")]
    with tempfile.TemporaryDirectory(prefix="batch-pairs-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        pairs = write_pair_folders(folder / "en", folder / "ru", args.pairs)
        sentences = sum(len(p.read_text(encoding="utf-8").split(". ")) for p, _ in pairs)
        print(f"{args.pairs} generated pairs (~{sentences / args.pairs:.0f} sentences per article) "
              f"in {time.perf_counter() - started:.1f} s; MT signal: {'on' if args.mt else 'off'}")
        rows = {jobs: measure(folder, jobs, args.mt) for jobs in counts}
    print(f"{'':22}" + "".join(f"{f'--jobs {jobs}':>14}" for jobs in counts))
    for label, key, fmt in (("pairs imported", "pairs", "{:.0f}"), ("links", "links", "{:.0f}"),
                            ("wall time (s)", "wall", "{:.2f}"), ("pairs/s", "rate", "{:.1f}"),
                            ("re-run, all skipped (s)", "rerun", "{:.2f}")):
        print(f"{label:22}" + "".join(f"{fmt.format(rows[jobs][key]):>14}" for jobs in counts))


if __name__ == "__main__":
    main()
