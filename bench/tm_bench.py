"""Translation memory: memory import, word-index build, fuzzy lookup speed with
and without the word index, and recall against brute force, side by side.

    .venv/bin/python bench/tm_bench.py [--units 1000000] [--queries 1000] [--brute 1000]
        [--keep tm.db] [--brute-cache brute.json] [--gui 200]

The memory is generated, reproducibly (seeded), from the seed articles: a
bigram chain over their sentences (English side) writes new sentences of
8-35 words, one word in twenty is replaced by a name from a pool of 50,000
made-up names, and content words are drawn from a Zipf-distributed vocabulary
of 100,000 made-up words (see ``generator``); 30% of the units are
near-duplicates of an earlier unit (a word changed, dropped or inserted, a
number changed, case or punctuation changed).  They go in as one imported
memory (``tm_add_memory``: one transaction, the FTS5 index kept by triggers),
timed.  Then the word index is built (``rebuild_index``) in a child process,
timed, with that process's peak RSS; the database size is printed before and
after, and the index's bytes (posting lists plus the shards' entry id and
length arrays).  ``--keep`` reuses a database at that path (created there
when missing); a kept database without an index gets one built (timed).

Queries: 70% are edited copies of memory sentences (so a match >= 70 exists),
30% new sentences from the same chain.  Lookups run in a child process (its
peak RSS is the lookup's memory), ``search(..., min_score=70, limit=5)``, once
with the word index and once without (``use_index=False``: FTS5 alone), and
the two are printed as the two columns of one table.

Recall: for every query, the best score a scan of every entry gives
(rapidfuzz ``process.extract`` with the same character Levenshtein on the
folded texts, its top 20 rescored with ``similarity``) against the best score
the lookup returned; counted over queries whose brute-force best is >= 70.
The scan is printed as the reference speed.  ``--gui`` runs lookups (with the
index) as the window runs them, in a worker, and measures the longest stall
of the GUI thread.

The database is only ever opened through ``Store``.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbench.core.memory.similarity import fold, similarity  # noqa: E402


def _seed_sentences() -> list[list[str]]:
    from workbench.core.text.segmenter import split_sentences  # noqa: F401  (optional)

    text = sorted((ROOT / "seeds").glob("en_*.txt"))
    words = []
    for path in text:
        for line in path.read_text(encoding="utf-8").splitlines():
            for sentence in re.split(r"(?<=[.!?])\s+", line.strip()):
                tokens = sentence.split()
                if len(tokens) >= 4:
                    words.append(tokens)
    return words


def generator(seed: int = 7):
    rng = random.Random(seed)
    try:
        sentences = _seed_sentences()
    except Exception:  # noqa: BLE001 - the segmenter import is optional
        sentences = []
    if not sentences:
        sentences = [s.split() for s in re.split(r"(?<=[.!?])\s+", " ".join(
            p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("en_*.txt")))) if len(s.split()) >= 4]
    chain: dict[str, list[str]] = {}
    starts = []
    for tokens in sentences:
        starts.append(tokens[0])
        for a, b in zip(tokens, tokens[1:] + ["<END>"]):
            chain.setdefault(a, []).append(b)
    syllables = ["ka", "ro", "mi", "ta", "ne", "sha", "vo", "li", "du", "zor", "ban", "tek", "ul", "gor", "in"]
    # dict.fromkeys, not a set: a set's order changes with every process's string
    # hashing, and the queries must be the same in every run (the brute-force cache).
    names = list(dict.fromkeys("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).capitalize()
                               for _ in range(60000)))[:50000]

    # Content words: the seed sentences give the structure and the function
    # words; the other words are drawn from a Zipf-distributed vocabulary of
    # 100,000 made-up words (rank r has weight 1/r), as word frequencies in
    # news text are, so a 1M-sentence memory has common and rare words in
    # realistic proportions (a vocabulary of the seeds' 600 words alone would
    # make every word common).
    counts: dict[str, int] = {}
    for tokens in sentences:
        for t in tokens:
            counts[t.lower()] = counts.get(t.lower(), 0) + 1
    function_words = set(sorted(counts, key=lambda w: (-counts[w], w))[:60])
    vocabulary = list(dict.fromkeys("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
                                    for _ in range(150000)))[:100000]
    weights, total = [], 0.0
    for rank in range(1, len(vocabulary) + 1):
        total += 1.0 / rank
        weights.append(total)

    def content() -> str:
        return rng.choices(vocabulary, cum_weights=weights)[0]

    def new_sentence() -> str:
        word, out = rng.choice(starts), []
        while len(out) < 35:
            out.append(rng.choice(names) if rng.random() < 0.05 else
                       str(rng.randint(1, 2030)) if rng.random() < 0.02 else
                       content() if word.lower() not in function_words and rng.random() < 0.7 else word)
            nxt = rng.choice(chain.get(word, ["<END>"]))
            if nxt == "<END>":
                if len(out) >= 8:
                    break
                nxt = rng.choice(starts)
            word = nxt
        text = " ".join(out)
        return text if text[-1] in ".!?\"" else text + "."

    def near_duplicate(text: str) -> str:
        tokens = text.split()
        kind = rng.random()
        i = rng.randrange(len(tokens))
        if kind < 0.3:
            tokens[i] = rng.choice(names)
        elif kind < 0.5 and len(tokens) > 5:
            del tokens[i]
        elif kind < 0.7:
            tokens.insert(i, rng.choice(list(chain)))
        elif kind < 0.85:
            return re.sub(r"\d+", lambda m: str(int(m.group()) + 1), text) if re.search(r"\d", text) \
                else text.replace(" ", " 2 ", 1)
        else:
            return text.lower().rstrip(".") + "!"
        return " ".join(tokens)

    return rng, new_sentence, near_duplicate


def build(db: Path, units: int) -> tuple[float | None, list[str]]:
    """Generate the memory into ``db`` (unless it exists: then only the
    sources are generated again, for the queries) and the queries."""
    from workbench.core.store.database import Store

    rng, new_sentence, near_duplicate = generator()
    sources: list[str] = []
    for _ in range(units):
        if sources and rng.random() < 0.3:
            sources.append(near_duplicate(rng.choice(sources[-5000:] if rng.random() < 0.5 else sources)))
        else:
            sources.append(new_sentence())
    # Targets in another script, as a Russian side is: the source transliterated.
    cyrillic = str.maketrans("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
                             "абцдефгхийклмнопqрстуввхызАБЦДЕФГХИЙКЛМНОПQРСТУВВХЫЗ")
    rows = ((s, s.translate(cyrillic), None, None) for s in sources)
    seconds = None
    if not db.exists():
        with Store(db, backups=False) as store:
            start = time.perf_counter()
            store.tm_add_memory(name="bench", source_lang="en", target_lang="ru", path=None, fmt="generated",
                                rows=rows, imported_at="2026-01-01T00:00:00Z")
            seconds = time.perf_counter() - start
    rng_q = random.Random(11)
    queries = []
    for n in range(args.queries):
        if rng_q.random() < 0.7:
            base = rng_q.choice(sources)
            queries.append(near_duplicate(near_duplicate(base)) if rng_q.random() < 0.5 else near_duplicate(base))
        else:
            queries.append(new_sentence())
    return seconds, queries


LOOKUP = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from workbench.core.store.database import Store
from workbench.core.memory.search import candidates, search
queries = json.load(open(sys.argv[3], encoding="utf-8"))
use_index = sys.argv[4] == "1"
times, retrieval, best, first = [], [], [], None
with Store(sys.argv[2], backups=False) as store:
    for n, q in enumerate(queries):
        t = time.perf_counter()
        found = search(store, q, "en", "ru", min_score=70, limit=5, use_index=use_index)
        elapsed = time.perf_counter() - t
        if n == 0:
            first = elapsed  # a cold connection: no term counts or shard arrays cached yet
        times.append(elapsed)
        best.append(found[0].score if found else None)
    for q in queries:  # the candidate retrieval alone (warm): what the index costs
        t = time.perf_counter()
        candidates(store, q, "en", "ru", min_score=70, use_index=use_index)
        retrieval.append(time.perf_counter() - t)
# The peak of this process's own memory: VmHWM (ru_maxrss would count the pages it
# shared, between fork and exec, with the parent that holds the generated memory).
try:
    peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) / 1024
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"times": times, "retrieval": retrieval, "best": best, "first": first, "maxrss_mb": peak}))
"""


INDEX = r"""
import json, resource, sys
sys.path.insert(0, sys.argv[1])
from workbench.core.store.database import Store
from workbench.core.memory.index import rebuild_index
with Store(sys.argv[2], backups=False) as store:
    summary = rebuild_index(store)
try:
    peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) / 1024
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({**summary.to_json(), "seconds": summary.seconds, "maxrss_mb": peak}))
"""


GUI = r"""
import json, os, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, sys.argv[1])
from PySide6.QtCore import QTimer, Qt
from PySide6.QtWidgets import QApplication
from workbench.gui.jobs.tasks import lookup_matches
from workbench.gui.jobs.workers import CallWorker
queries = json.load(open(sys.argv[3], encoding="utf-8"))[: int(sys.argv[4])]
app = QApplication([])
gaps, last = [], [None]
def tick():
    now = time.perf_counter()
    if last[0] is not None:
        gaps.append((now - last[0]) * 1000)
    last[0] = now
timer = QTimer()
timer.setTimerType(Qt.TimerType.PreciseTimer)
timer.setInterval(5)
timer.timeout.connect(tick)
pending = list(queries)
workers = []
def next_lookup(*_args):
    if not pending:
        app.quit()
        return
    # as the Matches pane: the job gets a path and plain values, opens its own Store
    worker = CallWorker("memory lookup", lookup_matches, sys.argv[2], -1, pending.pop(0), "en", "ru",
                        pass_callbacks=False)
    worker.signals.finished.connect(next_lookup)
    worker.signals.failed.connect(next_lookup)
    workers.append(worker)
    worker.start()
timer.start()
QTimer.singleShot(0, next_lookup)
t = time.perf_counter()
app.exec()
print(json.dumps({"gaps": gaps, "seconds": time.perf_counter() - t}))
"""


def brute_force(db: Path, queries: list[str], timed: int) -> tuple[list[int | None], list[float]]:
    """The reference: every entry scored with the same character Levenshtein on
    the folded texts (rapidfuzz), the 20 best rescored with ``similarity``; the
    best score >= 70 per query (None below).  The speed reference is the plain
    ``process.extract`` scan, one query at a time, timed over the first ``timed``
    queries; the scores of all queries come from the same scorer in blocks on
    every core (``process.cdist``), which gives the same numbers sooner."""
    import numpy as np
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    from workbench.core.store.database import Store

    with Store(db, backups=False) as store:
        sources = [row[0] for row in store.conn.execute("SELECT source FROM tm_entries")]
    folded = [fold(s) for s in sources]
    times = []
    for q in queries[:timed]:
        t = time.perf_counter()
        top = process.extract(fold(q), folded, scorer=Levenshtein.normalized_similarity, limit=20,
                              score_cutoff=0.6)
        [similarity(q, sources[i]).score for _text, _score, i in top]
        times.append(time.perf_counter() - t)
    best: list[int | None] = []
    for start in range(0, len(queries), 16):
        block = queries[start:start + 16]
        matrix = process.cdist([fold(q) for q in block], folded, scorer=Levenshtein.normalized_similarity,
                               score_cutoff=0.6, dtype=np.float32, workers=-1)
        for q, row in zip(block, matrix):
            top = np.argpartition(-row, 20)[:20]
            scores = [similarity(q, sources[i]).score for i in top if row[i] >= 0.6]
            b = max(scores) if scores else None
            best.append(b if b is not None and b >= 70 else None)
    return best, times


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def db_size(db: Path) -> int:
    """The database's bytes on disk (its WAL included)."""
    return sum(os.path.getsize(p) for p in (db, Path(f"{db}-wal")) if p.exists())


def index_state(db: Path) -> tuple[int, int, int]:
    """(active generation, index bytes, entries covered): the bytes are the
    posting lists plus the shards' entry id and length arrays."""
    from workbench.core.store.database import Store

    with Store(db, backups=False) as store:
        generation, _covers, entries, _built = store.tm_index_state()
        postings = store.conn.execute(
            "SELECT coalesce(sum(length(t.postings)), 0) FROM tm_index_terms t"
            " JOIN tm_index_shards s ON s.id = t.shard_id WHERE s.generation = ?", (generation,)).fetchone()[0]
        arrays = store.conn.execute(
            "SELECT coalesce(sum(length(entry_ids) + length(lengths)), 0) FROM tm_index_shards"
            " WHERE generation = ?", (generation,)).fetchone()[0]
    return generation, postings + arrays, entries


def run_child(code: str, *argv: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, str(ROOT), *argv], capture_output=True, text=True)
    if out.returncode:
        sys.exit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def recall(brute: list[int | None], found: list[int | None]) -> tuple[int, int]:
    """(queries whose brute-force best the lookup found, queries with a brute-force best >= 70)."""
    relevant = [(b, i) for b, i in zip(brute, found) if b is not None]
    return sum(1 for b, i in relevant if i is not None and i >= b), len(relevant)


def main() -> None:
    global args
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--brute", type=int, default=1000, help="queries also scanned by brute force")
    parser.add_argument("--keep", help="keep the database at this path (an existing one is reused, not rebuilt;"
                        " its word index is built if it has none)")
    parser.add_argument("--gui", type=int, default=200, help="lookups run as the window runs them, while a"
                        " timer on the GUI thread measures the longest stall (0: skip)")
    parser.add_argument("--brute-timed", type=int, default=100, help="queries the plain scan is timed on")
    parser.add_argument("--brute-cache", help="a JSON file keeping the brute-force results between runs"
                        " (for tuning the index; leave it out for a measurement)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="tm_bench_"))
    db = Path(args.keep) if args.keep else folder / "tm.db"
    seconds, queries = build(db, args.units)
    before = db_size(db)
    built = f"import (insert + FTS5 index, one transaction) {seconds:.1f} s" if seconds is not None else \
        "reused an existing database"
    print(f"memory: {args.units:,} units; {built}; database {before / 2**20:.0f} MiB")
    generation, index_bytes, _entries = index_state(db)
    if generation:
        print(f"word index: reused the database's (generation {generation}); index {index_bytes / 2**20:.0f} MiB")
    else:
        summary = run_child(INDEX, str(db))
        after = db_size(db)
        generation, index_bytes, _entries = index_state(db)
        print(f"word index (rebuild_index, a child process): {summary['seconds']:.1f} s for {summary['entries']:,}"
              f" entries, {summary['shards']} shards, {summary['terms']:,} words; peak RSS"
              f" {summary['maxrss_mb']:.0f} MB")
        print(f"  database {before / 2**20:.0f} MiB before, {after / 2**20:.0f} MiB after;"
              f" index {index_bytes / 2**20:.0f} MiB (posting lists + shard arrays, both sides)")
    qfile = folder / "queries.json"
    qfile.write_text(json.dumps(queries), encoding="utf-8")
    results = {}
    for label, flag in (("index", "1"), ("fts", "0")):
        results[label] = run_child(LOOKUP, str(db), str(qfile), flag)

    n = min(args.brute, len(queries))
    cache = Path(args.brute_cache) if args.brute_cache else None
    key = f"{args.units}:{hashlib.sha1(json.dumps(queries[:n]).encode()).hexdigest()}"
    cached = json.loads(cache.read_text()) if cache and cache.exists() else {}
    if cached.get("key") == key:
        brute, bt = cached["best"], cached["times_ms"]
        brute_note = "results read from the cache file (timings of the run that wrote it)"
    else:
        if cache and cached:
            print(f"brute force: the cache file's key does not match ({cached.get('key')} != {key}): scanning")
        brute, brute_times = brute_force(db, queries[:n], min(n, args.brute_timed))
        bt = [t * 1000 for t in brute_times]
        brute_note = "scanned in this run"
        if cache:
            cache.write_text(json.dumps({"key": key, "queries": queries[:n], "best": brute, "times_ms": bt}))

    rows = [("", "with word index", "FTS5 only (use_index=False)")]
    cells = {}
    for label, result in results.items():
        times = [t * 1000 for t in result["times"]]
        retrieval = [t * 1000 for t in result["retrieval"]]
        hit, relevant = recall(brute, result["best"][:n])
        cells[label] = [
            f"{pct(times, 50):.1f} / {pct(times, 95):.1f} / {max(times):.1f}",
            f"{pct(retrieval, 50):.1f} / {pct(retrieval, 95):.1f}",
            f"{result['first'] * 1000:.0f}",
            f"{result['maxrss_mb']:.0f}",
            f"{hit:,} / {relevant:,} = {100 * hit / max(1, relevant):.2f}%",
        ]
    names = [f"top-5 lookup (min 70), {len(queries):,} queries: p50 / p95 / max ms",
             "  of which candidate retrieval (warm): p50 / p95 ms",
             "first lookup of the process (cold) ms",
             "peak RSS of the lookup process MB",
             f"recall: brute-force best found (of {n:,} queries, best >= 70)"]
    rows += [(name, cells["index"][k], cells["fts"][k]) for k, name in enumerate(names)]
    widths = [max(len(r[c]) for r in rows) for c in range(3)]
    print()
    for r in rows:
        print(f"  {r[0]:<{widths[0]}}  {r[1]:>{widths[1]}}  {r[2]:>{widths[2]}}")
    print()
    print(f"brute force (rapidfuzz.process.extract over every entry, one query at a time, {brute_note}) over"
          f" {len(bt):,} queries: p50 {pct(bt, 50):.0f} ms, p95 {pct(bt, 95):.0f} ms")
    if args.gui:
        gui = run_child(GUI, str(db), str(qfile), str(args.gui))
        print(f"window (with the word index): {args.gui:,} lookups in a worker (the Matches pane's job, a Store"
              f" each) in {gui['seconds']:.1f} s; a 5 ms timer on the GUI thread: longest gap"
              f" {max(gui['gaps']):.0f} ms, p99 {pct(gui['gaps'], 99):.0f} ms")
    for label, name in (("index", "with word index"), ("fts", "FTS5 only")):
        found = results[label]["best"]
        misses = [(queries[k], brute[k], found[k]) for k in range(n)
                  if brute[k] is not None and (found[k] or 0) < brute[k]]
        print(f"misses {name}: {len(misses)}")
        for q, b, i in misses[:10]:
            print(f"  brute {b}, lookup {i}: {q[:90]}")

if __name__ == "__main__":
    main()
