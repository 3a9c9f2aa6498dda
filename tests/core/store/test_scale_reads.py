"""The reads that must stay interactive at corpus scale (5,000,000 units): the
same answers as before, read along the indexes made for them (measured in
bench/scale_bench.py), pending imports still left out."""
from __future__ import annotations

from workbench.core.formats.base import ExportOptions
from workbench.core.interchange import ExportFilter, count_units, export_corpus
from workbench.core.model import Status
from workbench.core.store.review_queries import document_progress


def add(store, title: str, statuses: list[Status], *, pending: str | None = None) -> int:
    doc = store.add_document(title=title, language="en", target_language="ru", source_path=None,
                             checksum=title, date=None, pending=pending)
    store.add_segments(doc, [(n, "body", f"{title} sentence {n}.", False) for n in range(len(statuses))])
    for unit_id, status in zip(store.conn.execute("SELECT id FROM units WHERE document_id = ? ORDER BY id",
                                                  (doc,)).fetchall(), statuses):
        if status is not Status.NEW:
            store.set_target(unit_id[0], f"перевод {title}", status)
    return doc


def plan(store, sql: str, *args) -> str:
    return " ".join(row[-1] for row in store.conn.execute("EXPLAIN QUERY PLAN " + sql, args))


def test_status_counts_and_progress_leave_pending_imports_out(store):
    a = add(store, "a", [Status.APPROVED, Status.APPROVED, Status.NEW])
    b = add(store, "b", [Status.EDITED, Status.APPROVED])
    add(store, "c", [Status.APPROVED, Status.EDITED, Status.NEW], pending=store.begin_import())
    assert store.status_counts() == {"new": 1, "machine": 0, "tm": 0, "edited": 1, "approved": 3}
    assert store.status_counts(a) == {"new": 1, "machine": 0, "tm": 0, "edited": 0, "approved": 2}
    assert document_progress(store) == {a: (2, 3), b: (1, 2)}
    empty = add(store, "empty", [])
    assert empty not in document_progress(store)


def test_whole_corpus_counts_read_the_status_index_without_a_sort(store):
    add(store, "a", [Status.APPROVED, Status.NEW])
    from workbench.core.store import database

    source = database.Store.status_counts.__code__.co_consts
    statement = next(c for c in source if isinstance(c, str) and "UNION ALL" in c)
    found = plan(store, statement)
    assert "COVERING INDEX units_by_status" in found
    # the pass over every unit is not followed by a sort of them (only the few grouped rows are)
    left_most = found.split("UNION ALL")[0]
    assert "TEMP B-TREE" not in left_most


def test_an_export_of_some_documents_reads_only_those(store, tmp_path, monkeypatch):
    a = add(store, "a", [Status.APPROVED, Status.APPROVED])
    b = add(store, "b", [Status.APPROVED])
    hidden = add(store, "c", [Status.APPROVED], pending=store.begin_import())
    expected = count_units(store, ExportFilter(document_ids=(b, hidden), statuses=("any",)))
    assert expected == 1
    monkeypatch.setattr(type(store), "documents", lambda self: (_ for _ in ()).throw(AssertionError("every document read")))
    assert [d.id for d in store.documents_by_ids([b, a, a, 999, hidden])] == [a, b]
    assert count_units(store, ExportFilter(document_ids=(b, hidden), statuses=("any",))) == 1
    out = tmp_path / "b.tmx"
    assert export_corpus(store, "tmx", out, ExportFilter(document_ids=(b,)), ExportOptions("en", "ru")) == 1
    assert "b sentence 0." in out.read_text(encoding="utf-8")
    assert list(ExportFilter(document_ids=(a, b)).documents(store)) == [a, b]
