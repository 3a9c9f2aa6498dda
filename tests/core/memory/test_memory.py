"""The memory index follows the units in the same transaction (approve, undo,
redo, other processes), repetitions, pre-translation and the match analysis."""
from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from workbench.core.edits import history
from workbench.core.edits.commands import SetTarget
from workbench.core.errors import BadInputError
from workbench.core.memory.analysis import analyse, count_words
from workbench.core.memory.concordance import concordance
from workbench.core.memory.filling import approval, pretranslate_command, pretranslation
from workbench.core.memory.search import search
from workbench.core.store.database import Store

SOURCES = ["The council met in Tashkent in 2023.",
           "Migrants have rights.",
           "The council met in Tashkent in 2023.",
           "A completely unrelated sentence about weather."]


@pytest.fixture
def doc(store):
    doc = store.add_document(title="Council", language="en", target_language="ru", source_path=None,
                             checksum="council", date=None)
    store.add_segments(doc, [(n, "body", text, False) for n, text in enumerate(SOURCES)])
    return doc, store.unit_ids(doc)


def _entries(store):
    return store.conn.execute("SELECT unit_id, source, target FROM tm_entries ORDER BY unit_id").fetchall()


def test_approval_is_searchable_at_once_and_undo_removes_it(store, doc):
    _doc, units = doc
    history.apply(store, SetTarget(units[1], "У мигрантов есть права."))
    assert search(store, "Migrants have rights.", "en", "ru") == []  # edited, not approved
    history.apply(store, approval(store, (units[1],)))
    [match] = search(store, "Migrants have rights!", "en", "ru")
    assert (match.score, match.kind, match.unit_id, match.target) == (99, "case-punctuation", units[1],
                                                                      "У мигрантов есть права.")
    # the other direction of the pair finds it too
    assert search(store, "У мигрантов есть права.", "ru", "en")[0].target == "Migrants have rights."
    history.undo(store)
    assert search(store, "Migrants have rights.", "en", "ru") == [] and _entries(store) == []
    history.redo(store)
    assert [e[0] for e in _entries(store)] == [units[1]]
    # a target edited after approval is re-indexed with the new text (and drops out: no longer approved)
    history.apply(store, SetTarget(units[1], "Мигранты имеют права."))
    assert _entries(store) == []


def test_index_matches_units_after_many_edits(store, doc):
    _doc, units = doc
    for n, uid in enumerate(units):
        history.apply(store, SetTarget(uid, f"перевод {n}"))
        history.apply(store, approval(store, (uid,), repetitions=False))
    for _ in range(3):
        history.undo(store)
    history.redo(store)
    expected = store.conn.execute("SELECT id FROM units WHERE status = 'approved' ORDER BY id").fetchall()
    assert [(e[0],) for e in _entries(store)] == expected
    fts = store.conn.execute("SELECT count(*) FROM tm_fts WHERE tm_fts MATCH 'перевод'").fetchone()[0]
    assert fts == len(expected)
    store.conn.execute("INSERT INTO tm_fts(tm_fts) VALUES ('integrity-check')")


def test_migration_keeps_ids_and_allows_status_tm(store, doc):
    _doc, units = doc
    with store.transaction() as conn:
        conn.execute("UPDATE units SET status = 'tm' WHERE id = ?", (units[0],))
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("UPDATE units SET status = 'bogus' WHERE id = ?", (units[0],))
    assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert store.conn.execute("PRAGMA foreign_keys").fetchone() == (1,)


def test_repetitions_take_the_approved_target_as_one_undo_step(store, doc):
    _doc, units = doc
    history.apply(store, SetTarget(units[0], "Совет собрался в Ташкенте в 2023 году."))
    history.apply(store, approval(store, (units[0],)))
    repeated = store.unit(units[2])
    assert (repeated.target, repeated.status.value) == ("Совет собрался в Ташкенте в 2023 году.", "tm")
    assert store.conn.execute("SELECT tm_origin, tm_score FROM units WHERE id = ?", (units[2],)).fetchone() == \
        (f"repetition of unit {units[0]}", 100)
    assert store.unit(units[3]).target == ""
    history.undo(store)  # one step: approval and repetition
    assert store.unit(units[2]).target == "" and store.unit(units[2]).status.value == "new"
    assert store.unit(units[0]).status.value == "edited"


def test_repetitions_never_overwrite_a_person_and_can_be_turned_off(store, doc):
    _doc, units = doc
    history.apply(store, SetTarget(units[2], "Мой перевод."))
    history.apply(store, SetTarget(units[0], "Совет собрался."))
    history.apply(store, approval(store, (units[0],)))
    assert store.unit(units[2]).target == "Мой перевод."
    history.undo(store)
    history.apply(store, SetTarget(units[2], ""))
    store.tm_set_setting("repetitions", "off")
    history.apply(store, approval(store, (units[0],)))
    assert store.unit(units[2]).target == ""


def test_pretranslate_fills_with_carried_numbers_and_provenance(store, doc):
    _doc, units = doc
    other = store.add_document(title="New", language="en", target_language="ru", source_path=None,
                               checksum="new", date=None)
    store.add_segments(other, [(0, "body", "The council met in Tashkent in 2025.", False),
                               (0, "body", "Migrants have rights.", False)])
    new_units = store.unit_ids(other)
    history.apply(store, SetTarget(new_units[1], "Перевод человека."))
    history.apply(store, SetTarget(units[0], "Совет собрался в Ташкенте в 2023 году."))
    history.apply(store, approval(store, (units[0],), repetitions=False))
    fills = pretranslation(store, other, min_score=95)
    assert [(f.unit_id, f.target, f.score) for f in fills] == [
        (new_units[0], "Совет собрался в Ташкенте в 2025 году.", 98)]
    assert pretranslation(store, other, min_score=100) == []
    history.apply(store, pretranslate_command(fills))
    unit = store.unit(new_units[0])
    assert (unit.status.value, unit.target) == ("tm", "Совет собрался в Ташкенте в 2025 году.")
    assert store.unit(new_units[1]).target == "Перевод человека."
    history.undo(store, other)
    assert store.unit(new_units[0]).status.value == "new"


def test_concordance_finds_inflections_with_offsets(store):
    doc = store.add_document(title="RU", language="ru", target_language="en", source_path=None,
                             checksum="ru", date=None)
    store.add_segments(doc, [(0, "body", "Права мигрантов защищены.", False),
                             (0, "body", "Мигрантам помогают.", False),
                             (0, "body", "Эмигранты уехали.", False)])
    units = store.unit_ids(doc)
    for uid, target in zip(units, ["Migrants' rights are protected.", "Migrants are helped.", "Emigrants left."]):
        history.apply(store, SetTarget(uid, target))
        history.apply(store, approval(store, (uid,)))
    hits = concordance(store, "мигранты", "ru", "en")
    assert sorted((h.source, h.offsets) for h in hits) == [
        ("Мигрантам помогают.", ((0, 9),)), ("Права мигрантов защищены.", ((6, 15),))]
    # the same pairs from the other language, found on the target side, turned round
    hits = concordance(store, "MIGRANTS", "en", "ru", side="source")
    assert {h.target for h in hits} == {"Права мигрантов защищены.", "Мигрантам помогают."}
    with pytest.raises(BadInputError):
        concordance(store, "  ", "ru", "en")


def test_bad_queries_are_refused(store):
    for text in ("", "   ", "x" * 2001):
        with pytest.raises(BadInputError):
            search(store, text, "en", "ru")
    with pytest.raises(BadInputError):
        search(store, "hello", "en", "en")


def test_analysis_bands(store, doc):
    _doc, units = doc
    history.apply(store, SetTarget(units[1], "У мигрантов есть права."))
    history.apply(store, approval(store, (units[1],)))
    new = store.add_document(title="New", language="en", target_language="ru", source_path=None,
                             checksum="n2", date=None)
    store.add_segments(new, [(0, "body", "Migrants have rights.", False),
                             (0, "body", "Migrants have rights.", False),
                             (0, "body", "Migrants have rights!", False),
                             (0, "body", "Nothing like it at all, really.", False)])
    analysis = analyse(store, [new])
    bands = {r["band"]: r["segments"] for r in analysis.rows() if r["segments"]}
    # the first: 100 (no context match: its match's predecessor is another sentence);
    # the second: a repetition; the third differs in punctuation: 99, not a repetition
    assert bands == {"100": 1, "repetition": 1, "95-99": 1, "no match": 1}
    assert analysis.total["100"].words == 3 and analysis.total["100"].characters == 19
    assert count_words("Нью-Йорк, don't 2025 — 3,5%") == 4


def test_a_change_in_another_process_is_in_the_index(db_path, doc, store):
    _doc, units = doc
    code = ("import sys\nfrom workbench.core.store.database import Store\n"
            "from workbench.core.edits import history\n"
            "from workbench.core.edits.commands import SetTarget\n"
            "from workbench.core.memory.filling import approval\n"
            "with Store(sys.argv[1]) as s:\n"
            "    uid = int(sys.argv[2])\n"
            "    history.apply(s, SetTarget(uid, 'Погода.'))\n"
            "    history.apply(s, approval(s, (uid,)))\n")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(db_path), str(uid)]) for uid in units]
    assert all(p.wait(timeout=120) == 0 for p in procs)
    assert {e[0] for e in _entries(store)} == set(units)
    assert {m.unit_id for m in search(store, "A completely unrelated sentence about weather.", "en", "ru")} \
        == {units[3]}
    with Store(db_path) as again:
        assert again.conn.execute("SELECT count(*) FROM tm_fts WHERE tm_fts MATCH 'tashkent'").fetchone()[0] == 2


def test_a_bulk_import_is_indexed_whole_or_not_at_all(store):
    rows = [(f"Sentence number {n} about the {'council' if n % 2 else 'ministry'} of item{n}.",
             f"Предложение номер {n}.", None, None) for n in range(3000)]
    assert store.tm_add_memory(name="bulk", source_lang="en", target_lang="ru", path=None, fmt="csv",
                               rows=iter(rows), imported_at="2026-01-01T00:00:00Z") == 3000
    store.conn.execute("INSERT INTO tm_fts(tm_fts) VALUES ('integrity-check')")
    found = search(store, "Sentence number 1234 about the ministry of item1234.", "en", "ru")
    assert found[0].score == 100 and found[0].memory == "bulk"
    assert store.conn.execute("SELECT count(*) FROM temp.tm_import_stage").fetchone()[0] == 0

    def broken():
        yield "A pair that comes before the failure.", "Пара.", None, None
        raise ValueError("the file broke off")

    with pytest.raises(ValueError):
        store.tm_add_memory(name="broken", source_lang="en", target_lang="ru", path=None, fmt="csv",
                            rows=broken(), imported_at="2026-01-01T00:00:00Z")
    assert not store.tm_memory_exists("broken") and store.tm_entry_count() == 3000
    assert store.conn.execute("SELECT count(*) FROM temp.tm_import_stage").fetchone()[0] == 0
    store.conn.execute("INSERT INTO tm_fts(tm_fts) VALUES ('integrity-check')")
    # nothing of the broken import is searchable
    assert search(store, "A pair that comes before the failure.", "en", "ru") == []


def test_a_word_new_to_the_memory_is_found_once_approved(store, doc, db_path):
    _doc, units = doc
    store.tm_add_memory(name="m", source_lang="en", target_lang="ru", path=None, fmt="csv",
                        rows=[("The council met.", "Совет собрался.", None, None)], imported_at="2026-01-01T00:00:00Z")
    assert search(store, "Migrants have rights.", "en", "ru") == []   # counts 'migrants' etc. (none yet)
    history.apply(store, SetTarget(units[1], "У мигрантов есть права."))
    history.apply(store, approval(store, (units[1],)))
    with Store(db_path) as other:   # as the window does: a Store per lookup, the same process
        assert [m.unit_id for m in search(other, "Migrants have rights.", "en", "ru")] == [units[1]]
    assert [m.unit_id for m in search(store, "Migrants have rights.", "en", "ru")] == [units[1]]


def test_min_score_zero_offers_everything_found(store):
    store.tm_add_memory(name="m", source_lang="en", target_lang="ru", path=None, fmt="csv",
                        rows=[("The council met in Tashkent.", "Совет собрался в Ташкенте.", None, None),
                              ("Weather in Tashkent.", "Погода в Ташкенте.", None, None)],
                        imported_at="2026-01-01T00:00:00Z")
    scores = [m.score for m in search(store, "The council met in Tashkent.", "en", "ru", min_score=0)]
    assert scores[0] == 100 and len(scores) == 2 and scores[1] < 70
