"""The memory's word index (``workbench.core.memory.index``): what it finds that
FTS5's rare words cannot, how it stays right while the memory changes (newer
entries, removed ones, undo, ids never reused), rebuilds that are cancelled or
run beside lookups of other processes, and the migration that brought it."""
from __future__ import annotations

import random
import subprocess
import sys

import pytest
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

import workbench.core.memory.index as index
import workbench.core.memory.search as search_module
from workbench.core.edits import history
from workbench.core.edits.commands import SetTarget
from workbench.core.memory.filling import approval
from workbench.core.memory.index import index_is_stale, rebuild_index, refresh_index, shard_candidates, words
from workbench.core.memory.search import search
from workbench.core.memory.similarity import fold
from workbench.core.progress import Cancelled
from tests.core.memory.helpers import database_at_schema
from workbench.core.store.database import Store
from workbench.core.store.schema import MIGRATIONS

COMMON = ("the council said that in this year many of its members would meet again at the office of"
          " migration for a new round").split()


def _frame_memory(seed: int = 3, count: int = 3000) -> list[tuple[str, str, None, None]]:
    """Sentences of 9-13 words, every word but one from a 24-word vocabulary,
    plus one word of its own: each common word is in hundreds of entries."""
    rng = random.Random(seed)
    rows = []
    for n in range(count):
        sentence = [rng.choice(COMMON) for _ in range(rng.randint(8, 12))]
        sentence.insert(rng.randrange(len(sentence)), f"zq{n}x")
        rows.append((" ".join(sentence).capitalize() + ".", f"перевод {n}", None, None))
    return rows


def _brute_best(rows, query: str) -> str:
    best = process.extractOne(fold(query), [fold(r[0]) for r in rows], scorer=Levenshtein.normalized_similarity)
    return rows[best[2]][0]


@pytest.fixture
def framed(store, monkeypatch):
    """A 3,000-entry memory of common words, with the FTS5 path's budgets cut
    to what they are at a million entries relative to this size."""
    rows = _frame_memory()
    store.tm_add_memory(name="frames", source_lang="en", target_lang="ru", path=None, fmt="tmx", rows=rows,
                        imported_at="2026-01-01T00:00:00Z")
    monkeypatch.setattr(search_module, "POSTINGS_BUDGET", 40)
    monkeypatch.setattr(search_module, "COUNT_CAP", 40)
    monkeypatch.setattr(search_module, "COMBINATION_LIMIT", 5)
    monkeypatch.setattr(search_module, "COMBINATION_SCAN", 5)
    return rows


def _edited_queries(rows, count: int = 40) -> list[str]:
    """Each: an entry whose own word is replaced by a word the memory never saw."""
    rng = random.Random(11)
    queries = []
    for source, *_ in rng.sample(rows, count):
        queries.append(" ".join("Wholly-new" if w.startswith("zq") else w for w in source.split()))
    return queries


def test_the_index_finds_best_matches_that_share_only_common_words(store, framed):
    queries = _edited_queries(framed)
    wanted = [_brute_best(framed, q) for q in queries]

    def found(use_index: bool) -> int:
        hits = 0
        for query, best in zip(queries, wanted):
            matches = search(store, query, "en", "ru", min_score=50, limit=1, use_index=use_index)
            hits += bool(matches) and matches[0].score >= _score(query, best)
        return hits

    without = found(False)
    rebuild_index(store)
    with_index = found(True)
    print(f"best match found: FTS5 alone {without}/{len(queries)}, with the word index {with_index}")
    assert without < len(queries) * 0.8, without  # FTS5's rare words alone miss these
    assert with_index == len(queries)


def _score(query: str, source: str) -> int:
    from workbench.core.memory.similarity import similarity

    return similarity(query, source).score


def test_entries_newer_than_the_index_are_found_and_removed_ones_are_not(store, framed):
    rebuild_index(store)
    covers = store.tm_index_state()[1]
    store.tm_add_memory(name="late", source_lang="en", target_lang="ru", path=None, fmt="tmx",
                        rows=[("A sentence added after the index was built.", "Поздно.", None, None)],
                        imported_at="2026-01-02T00:00:00Z")
    [late] = search(store, "A sentence added after the index was built!", "en", "ru", limit=1)
    assert late.entry_id > covers and late.memory == "late"
    store.tm_remove_memory("frames")
    assert search(store, framed[0][0], "en", "ru", min_score=50) == []
    assert store.tm_index_state()[1] == covers  # the index still covers the removed ids: read and dropped


def test_an_undone_approval_leaves_the_index_and_its_id_is_never_given_again(store):
    doc = store.add_document(title="Doc", language="en", target_language="ru", source_path=None, checksum="d",
                             date=None)
    store.add_segments(doc, [(0, "body", "The delegation arrived in Samarkand on Monday.", False),
                             (1, "body", "The delegation left Samarkand on Friday.", False)])
    first, second = store.unit_ids(doc)
    history.apply(store, SetTarget(first, "Делегация прибыла в Самарканд в понедельник."))
    history.apply(store, approval(store, (first,), repetitions=False))
    top = store.tm_entry_count_estimate()
    rebuild_index(store)
    assert search(store, "The delegation arrived in Samarkand on Tuesday.", "en", "ru")[0].unit_id == first
    history.undo(store)  # the approval
    assert search(store, "The delegation arrived in Samarkand on Tuesday.", "en", "ru") == []
    history.apply(store, SetTarget(second, "Делегация покинула Самарканд в пятницу."))
    history.apply(store, approval(store, (second,), repetitions=False))
    [match] = search(store, "The delegation left Samarkand on Saturday.", "en", "ru")
    assert match.unit_id == second and match.entry_id > top  # not the undone entry's id, above the index


def test_bitmaps_and_position_lists_add_up_the_same(store, framed, monkeypatch):
    query = _edited_queries(framed, 1)[0]
    results = []
    for share in (1.0, 0.0):  # every word a position list, then every word a bitmap
        monkeypatch.setattr(index, "BITMAP_SHARE", share)
        rebuild_index(store)
        encodings = {r[0] for r in store.conn.execute("SELECT DISTINCT encoding FROM tm_index_terms")}
        assert encodings == ({"positions"} if share else {"bitmap"})
        [(shard, *_rest)] = store.tm_index_shards(store.tm_index_state()[0], [("source", "en", "ru")])
        results.append(shard_candidates(store, shard, words(query), len(query), 50, limit=40))
    assert results[0] == results[1] and len(results[0]) == 40


def test_a_cancelled_rebuild_leaves_the_index_in_use(store, framed):
    rebuild_index(store)
    before = store.tm_index_state()
    shards = store.conn.execute("SELECT id FROM tm_index_shards ORDER BY id").fetchall()
    polls = []
    with pytest.raises(Cancelled):
        rebuild_index(store, cancelled=lambda: polls.append(1) or len(polls) > 1)
    assert store.tm_index_state() == before
    assert store.conn.execute("SELECT id FROM tm_index_shards ORDER BY id").fetchall() == shards
    query = _edited_queries(framed, 1)[0]
    assert search(store, query, "en", "ru", min_score=50)


def test_refresh_rebuilds_only_when_a_tenth_has_changed(store, framed):
    assert not index_is_stale(store, min_entries=10_000)  # 3,000 entries: no index needed
    assert index_is_stale(store, min_entries=1_000)
    summary = refresh_index(store, min_entries=1_000)
    assert summary.entries == 3000 and store.tm_index_state()[0]
    assert refresh_index(store, min_entries=1_000) is None
    store.tm_add_memory(name="more", source_lang="en", target_lang="ru", path=None, fmt="tmx",
                        rows=[(f"Another sentence number {n}.", "Ещё.", None, None) for n in range(200)],
                        imported_at="2026-01-02T00:00:00Z")
    assert not index_is_stale(store, min_entries=1_000)  # 200 of 3,000: 6.7%
    store.tm_add_memory(name="most", source_lang="en", target_lang="ru", path=None, fmt="tmx",
                        rows=[(f"Yet another sentence number {n}.", "Ещё.", None, None) for n in range(200)],
                        imported_at="2026-01-02T00:00:00Z")
    assert index_is_stale(store, min_entries=1_000)  # 400: 13.3%
    assert refresh_index(store, min_entries=1_000).entries == 3400
    store.tm_remove_memory("frames")  # the memory shrank below the threshold: the index goes
    assert refresh_index(store, min_entries=1_000) is None and store.tm_index_state()[0] == 0
    assert store.conn.execute("SELECT count(*) FROM tm_index_terms").fetchone() == (0,)


_LOOKUPS = """
import sys
from workbench.core.memory.search import search
from tests.core.memory.helpers import database_at_schema
from workbench.core.store.database import Store
found = set()
with Store(sys.argv[1], create=False, backups=False) as store:
    for _ in range(int(sys.argv[3])):
        matches = search(store, sys.argv[2], "en", "ru", min_score=50, limit=1)
        found.add(matches[0].source if matches else None)
print(sorted(map(str, found)))
"""


def test_other_processes_look_up_while_the_index_is_rebuilt(store, framed, tmp_path):
    rebuild_index(store)
    query = _edited_queries(framed, 1)[0]
    expected = search(store, query, "en", "ru", min_score=50, limit=1)[0].source
    child = subprocess.Popen([sys.executable, "-c", _LOOKUPS, str(store.path), query, "150"],
                             stdout=subprocess.PIPE, text=True)
    rebuilds = 0
    while child.poll() is None and rebuilds < 20:
        rebuild_index(store)
        rebuilds += 1
    out, _ = child.communicate(timeout=120)
    assert child.returncode == 0
    assert out.strip() == str([expected])  # every lookup found it, before, during and after each switch
    assert rebuilds >= 2
    assert store.conn.execute("SELECT count(DISTINCT generation) FROM tm_index_shards").fetchone() == (1,)


def test_migration_10_keeps_entry_ids_and_never_reuses_them(tmp_path):
    db = tmp_path / "old.db"
    conn = database_at_schema(db, 9)
    conn.execute("INSERT INTO tm_memories (id, name, source_lang, target_lang, imported_at)"
                 " VALUES (1, 'm', 'en', 'ru', 'x')")
    for n in (1, 2, 3):
        conn.execute("INSERT INTO tm_entries (memory_id, source_lang, target_lang, source, target)"
                     " VALUES (1, 'en', 'ru', ?, ?)", (f"Sentence number {n}.", f"Предложение {n}."))
    conn.execute("DELETE FROM tm_entries WHERE id = 3")  # without AUTOINCREMENT the next entry took id 3
    conn.close()
    with Store(db, backups=False) as store:
        assert store.schema_version == len(MIGRATIONS)
        assert store.conn.execute("SELECT id, source FROM tm_entries ORDER BY id").fetchall() == [
            (1, "Sentence number 1."), (2, "Sentence number 2.")]
        store.conn.execute("INSERT INTO tm_fts(tm_fts) VALUES ('integrity-check')")
        store.conn.execute("DELETE FROM tm_entries WHERE id = 2")
        store.tm_add_memory(name="n", source_lang="en", target_lang="ru", path=None, fmt="tmx",
                            rows=[("A new sentence.", "Новое.", None, None)], imported_at="y")
        assert store.conn.execute("SELECT id FROM tm_entries WHERE source = 'A new sentence.'").fetchone() == (3,)
        assert search(store, "Sentence number 1!", "en", "ru")[0].entry_id == 1
        store.conn.execute("INSERT INTO tm_fts(tm_fts) VALUES ('integrity-check')")


def _hold_claim(store, pid: int, heartbeat: float) -> None:
    import json
    import socket

    store.tm_set_setting("index_builder", json.dumps({"token": "theirs", "pid": pid, "host": socket.gethostname(),
                                                      "heartbeat": heartbeat}))


def test_one_rebuild_at_a_time(store, framed):
    import os
    import time

    from workbench.core.errors import IndexBusyError

    rebuild_index(store)
    before = store.tm_index_state()
    _hold_claim(store, os.getppid(), time.time())  # a live process is rebuilding
    with pytest.raises(IndexBusyError, match="is rebuilding the memory index already"):
        rebuild_index(store)
    store.tm_add_memory(name="more", source_lang="en", target_lang="ru", path=None, fmt="tmx",
                        rows=[(f"Another sentence number {n}.", "Ещё.", None, None) for n in range(400)],
                        imported_at="2026-01-02T00:00:00Z")
    assert refresh_index(store, min_entries=1_000) is None  # stale, but theirs to rebuild
    assert store.tm_index_state() == before
    assert store.conn.execute("SELECT count(*) FROM tm_index_shards").fetchone() == (2,)  # theirs untouched
    # a claim whose process is gone is taken over
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    _hold_claim(store, int(dead), time.time())
    assert refresh_index(store, min_entries=1_000).entries == 3400
    assert store.tm_setting("index_builder", "") == ""  # given back


def test_two_rebuilds_at_once_never_break_each_other(store, framed):
    import threading

    from workbench.core.errors import IndexBusyError

    outcomes = []

    def rebuild():
        with Store(store.path, backups=False) as other:
            try:
                outcomes.append(rebuild_index(other).entries)
            except IndexBusyError:
                outcomes.append("busy")

    for _round in range(4):
        threads = [threading.Thread(target=rebuild) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(outcomes) == 12 and 3000 in outcomes and set(outcomes) <= {3000, "busy"}
    assert store.conn.execute("SELECT count(DISTINCT generation) FROM tm_index_shards").fetchone() == (1,)
    query = _edited_queries(framed, 1)[0]
    assert search(store, query, "en", "ru", min_score=50)
