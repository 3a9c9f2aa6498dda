"""Document pairs that would break the database, and attaching a translation
to a document a person has already post-edited (issue 9: defects 4, 5, 8).

The rules under test:

* a file is one document (same bytes, same checksum): a translation that is
  already the translation of another document, or an article of its own, is
  refused with one line naming that document; nothing changes;
* aligning never silently replaces a person's targets: with post-edits the
  caller must choose keep (the post-edit stays the unit's target, the human
  translation's sentences stay linked to it) or replace;
* the alignment is one edit in the history: undo restores the units exactly
  (ids, targets, statuses, MT), redo re-applies exactly.
"""
from __future__ import annotations

import json
import sqlite3

import pytest

from workbench.core.edits import history
from workbench.core.edits.links import ConfirmLinks, MergeLinks
from workbench.core.edits.commands import Approve, SetTarget
from workbench.core.errors import BadInputError
from workbench.core.importing import import_paths
from tests.pairs import add_linked_pair
from workbench.core.pairing import attach_translation, import_pair
from workbench.core.progress import Cancelled
from workbench.core.store.database import Store

from tests.cli.helpers import run

EN = ("Migrants and the ministry\n\n"
      "The ministry counted the migrants on Monday. Most of them left for Russia in the spring.\n\n"
      "Remittances grew by a third last year. The banks were pleased.\n")
RU = ("Мигранты и министерство\n\n"
      "В понедельник министерство подсчитало мигрантов. Большинство из них уехали в Россию весной.\n\n"
      "Денежные переводы в прошлом году выросли на треть. Банки были довольны.\n")
OTHER_EN = ("Migrants and the ministry again\n\n"
            "The ministry counted the migrants on Tuesday. Most of them left for Kazakhstan.\n")


@pytest.fixture
def files(tmp_path):
    paths = {}
    for name, text in (("a.en.txt", EN), ("a.ru.txt", RU), ("b.en.txt", OTHER_EN)):
        paths[name] = tmp_path / name
        paths[name].write_text(text, encoding="utf-8")
    return paths


def tables(db) -> dict[str, list[tuple]]:
    """Every row of every table but the history (which grows with each edit)
    and sqlite_sequence (AUTOINCREMENT counters only ever go up).  The memory
    index is compared by content: its row ids and FTS5's internal b-tree
    pages differ after a delete and re-insert of the same rows."""
    conn = sqlite3.connect(db)
    try:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('edits', 'sqlite_sequence')"
            " AND name NOT LIKE 'tm_fts%'")]
        query = {"tm_entries": "SELECT unit_id, document_id, memory_id, source_lang, target_lang, source, target,"
                               " status, changed, context FROM tm_entries"}
        found = {name: sorted(conn.execute(query.get(name, f"SELECT * FROM {name}")), key=repr) for name in names}
        found["tm_fts (content)"] = sorted(conn.execute(
            "SELECT e.unit_id, e.memory_id, f.source, f.target FROM tm_fts f JOIN tm_entries e ON e.id = f.rowid"),
            key=repr)
        return found
    finally:
        conn.close()


def without_document(state: dict, document_id: int) -> dict:
    """``state`` without the rows of one document (a translation stays imported after undo)."""
    out = dict(state)
    out["documents"] = [r for r in state["documents"] if r[0] != document_id]
    out["segments"] = [r for r in state["segments"] if r[1] != document_id]
    return out


def err_line(capsys) -> str:
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "internal error" not in err and "Traceback" not in err
    return lines[0]


# -- defect 4: a translation that is already part of another document -------------------

def test_a_translation_of_another_document_is_refused_and_nothing_changes(store, files):
    first = import_pair(store, files["a.en.txt"], files["a.ru.txt"], use_mt=False)
    before = tables(store.path)
    with pytest.raises(BadInputError) as refused:
        import_pair(store, files["b.en.txt"], files["a.ru.txt"], use_mt=False)
    message = str(refused.value)
    assert f"already the translation of document {first.source_document_id}" in message
    assert "Migrants and the ministry" in message and "a.ru.txt" in message
    assert tables(store.path) == before  # b.en.txt was not imported either
    doc_b = import_paths(store, [files["b.en.txt"]])[0].document_id
    before = tables(store.path)
    with pytest.raises(BadInputError, match=f"already the translation of document {first.source_document_id}"):
        attach_translation(store, doc_b, files["a.ru.txt"], use_mt=False)
    assert tables(store.path) == before


def test_a_cancelled_pair_import_or_attach_leaves_the_database_as_it_was(store, files):
    before = tables(store.path)
    with pytest.raises(Cancelled, match="alignment cancelled"):
        import_pair(store, files["a.en.txt"], files["a.ru.txt"], use_mt=False, cancelled=lambda: True)
    assert tables(store.path) == before  # neither file was stored
    doc = import_paths(store, [files["a.en.txt"]])[0].document_id
    before = tables(store.path)
    with pytest.raises(Cancelled):
        attach_translation(store, doc, files["a.ru.txt"], use_mt=False, cancelled=lambda: True)
    assert tables(store.path) == before and store.translation_of(doc) is None


def test_cli_refuses_a_translation_of_another_document_in_one_line(db_path, files, capsys):
    assert run(db_path, "import-pair", files["a.en.txt"], files["a.ru.txt"], "--no-mt", "--json") == 0
    first = json.loads(capsys.readouterr().out)
    before = tables(db_path)
    assert run(db_path, "import-pair", files["b.en.txt"], files["a.ru.txt"], "--no-mt") == 1
    line = err_line(capsys)
    assert line.startswith("workbench: error: ")
    assert f"already the translation of document {first['source']}" in line
    assert tables(db_path) == before
    assert run(db_path, "import", files["b.en.txt"], "--json") == 0
    doc_b = json.loads(capsys.readouterr().out)["id"]
    before = tables(db_path)
    assert run(db_path, "attach", doc_b, files["a.ru.txt"], "--no-mt") == 1
    assert f"already the translation of document {first['source']}" in err_line(capsys)
    assert tables(db_path) == before


def test_an_article_of_its_own_cannot_become_a_translation(store, files):
    docs = {r.path: r.document_id for r in import_paths(store, [files["a.en.txt"], files["a.ru.txt"]])}
    ru_doc = docs[str(files["a.ru.txt"])]
    before = tables(store.path)
    with pytest.raises(BadInputError, match=f"already imported as document {ru_doc} .*an article of its own"):
        attach_translation(store, docs[str(files["a.en.txt"])], files["a.ru.txt"], use_mt=False)
    with pytest.raises(BadInputError, match=f"already imported as document {ru_doc}"):
        import_pair(store, files["b.en.txt"], files["a.ru.txt"], use_mt=False)
    with pytest.raises(BadInputError, match="itself"):
        attach_translation(store, ru_doc, files["a.ru.txt"], use_mt=False)
    assert tables(store.path) == before


def test_a_translation_is_not_an_article_to_attach_to(store, files):
    pair = import_pair(store, files["a.en.txt"], files["a.ru.txt"], use_mt=False)
    before = tables(store.path)
    with pytest.raises(BadInputError, match=f"document {pair.target_document_id} is the translation of "
                                            f"document {pair.source_document_id}"):
        attach_translation(store, pair.target_document_id, files["b.en.txt"], use_mt=False)
    with pytest.raises(BadInputError, match=f"already imported as the translation of document "
                                            f"{pair.source_document_id}"):
        import_pair(store, files["a.ru.txt"], files["b.en.txt"], use_mt=False)
    assert tables(store.path) == before


def test_importing_the_same_pair_again_changes_nothing(store, files):
    first = import_pair(store, files["a.en.txt"], files["a.ru.txt"], use_mt=False)
    unit = store.unit_ids(first.source_document_id)[1]
    history.apply(store, ConfirmLinks((unit,)))
    before = tables(store.path)
    again = import_pair(store, files["a.en.txt"], files["a.ru.txt"], use_mt=False)
    assert (again.source_document_id, again.target_document_id, again.links, again.created) == (
        first.source_document_id, first.target_document_id, first.links, False)
    assert tables(store.path) == before  # the confirmation survives


def test_segments_of_another_pair_are_refused_by_the_alignment_itself(store, files):
    """The command checks too (a caller that skipped pairs.py): a clear error,
    never an IntegrityError."""
    from workbench.core.edits.links import AlignPair

    first = import_pair(store, files["a.en.txt"], files["a.ru.txt"], use_mt=False)
    doc_b = import_paths(store, [files["b.en.txt"]])[0].document_id
    src = [s.id for s in store.segments(doc_b)]
    tgt = [s.id for s in store.segments(first.target_document_id)]
    links = tuple(((s,), (t,), 0.9) for s, t in zip(src, tgt)) + tuple(((s,), (), None) for s in src[len(tgt):])
    before = tables(store.path)
    with pytest.raises(BadInputError, match=f"document {first.target_document_id} .* document "
                                            f"{first.source_document_id}"):
        history.apply(store, AlignPair(doc_b, first.target_document_id, links))
    assert tables(store.path) == before


# -- defect 5: attach over post-edits; one edit; undo and redo ---------------------------

def post_edited(store, files):
    """The English article imported, unit 2 post-edited and approved, unit 3
    edited, unit 4 given MT (untouched): (document id, unit ids)."""
    doc = import_paths(store, [files["a.en.txt"]])[0].document_id
    ids = store.unit_ids(doc)
    store.set_machine_translations([(ids[3], "Мигранты уехали.", "argos", "translate-en_ru", "1.9")])
    history.apply(store, SetTarget(ids[1], "Министерство в понедельник пересчитало мигрантов."))
    history.apply(store, Approve((ids[1],)))
    history.apply(store, SetTarget(ids[2], "Большинство уехало весной."))
    return doc, ids


def test_attach_refuses_when_a_person_has_post_edited(store, files):
    from workbench.core.edits.links import post_edited_unit_ids
    from workbench.core.errors import PostEditsError

    doc, ids = post_edited(store, files)
    assert post_edited_unit_ids(store, doc) == [ids[1], ids[2]]  # MT copy (ids[3]) is no post-edit
    before = tables(store.path)
    with pytest.raises(PostEditsError, match=r"2 post-edited or approved targets"):
        attach_translation(store, doc, files["a.ru.txt"], use_mt=False)
    assert tables(store.path) == before  # not even the translation was imported


def test_cli_attach_refuses_without_a_choice_and_names_both(db_path, files, capsys):
    with Store(db_path) as store:
        doc, _ids = post_edited(store, files)
    before = tables(db_path)
    assert run(db_path, "attach", doc, files["a.ru.txt"], "--no-mt") == 1
    line = err_line(capsys)
    assert "2 post-edited or approved targets" in line
    assert "--keep-targets" in line and "--replace-targets" in line
    assert run(db_path, "attach", doc, files["a.ru.txt"], "--no-mt", "--keep-targets", "--replace-targets") == 1
    assert "--keep-targets" in err_line(capsys)
    assert tables(db_path) == before


def by_source(store, doc) -> dict[str, object]:
    return {u.source: u for u in store.units(doc)}


def test_replace_targets_puts_the_translation_in_and_keeps_mt(store, files):
    doc, ids = post_edited(store, files)
    approved_source = store.unit(ids[1]).source
    mt_source = store.unit(ids[3]).source
    result = attach_translation(store, doc, files["a.ru.txt"], use_mt=False, keep_targets=False)
    units = by_source(store, doc)
    unit = units[approved_source]
    assert unit.target == "В понедельник министерство подсчитало мигрантов."
    assert str(unit.status) == "edited" and unit.target_segment_ids
    assert units[mt_source].mt == "Мигранты уехали."
    assert result.post_edits == 2 and result.kept_targets is False


def test_keep_targets_keeps_the_persons_target_and_links_the_translation(store, files):
    doc, ids = post_edited(store, files)
    approved, edited = store.unit(ids[1]), store.unit(ids[2])
    mt_source = store.unit(ids[3]).source
    result = attach_translation(store, doc, files["a.ru.txt"], use_mt=False, keep_targets=True)
    units = by_source(store, doc)
    kept = units[approved.source]
    # The person's target and sign-off stay; the translation's sentence is linked to the unit.
    assert (kept.target, str(kept.status), kept.updated_at) == (approved.target, "approved", approved.updated_at)
    target_texts = [store.segment(t).text for t in kept.target_segment_ids]
    assert target_texts == ["В понедельник министерство подсчитало мигрантов."]
    assert (units[edited.source].target, str(units[edited.source].status)) == (edited.target, "edited")
    # Units without a post-edit take the translation (an MT copy is no post-edit).
    assert units[mt_source].target == "Денежные переводы в прошлом году выросли на треть."
    assert units[mt_source].mt == "Мигранты уехали."
    assert result.post_edits == 2 and result.kept_targets is True


@pytest.mark.parametrize("keep", [True, False], ids=["keep", "replace"])
def test_attach_is_one_edit_that_undo_and_redo_restore_exactly(store, files, keep):
    doc, _ids = post_edited(store, files)
    before = tables(store.path)
    edits_before = len(store.history(limit=1000))
    result = attach_translation(store, doc, files["a.ru.txt"], use_mt=False, keep_targets=keep)
    attached = tables(store.path)
    assert attached != before
    steps = store.history(limit=1000)
    assert len(steps) == edits_before + 1 and steps[0].command == "AlignPair"
    undone = history.undo(store, doc)
    assert undone is not None and undone.edit.summary.startswith("align document")
    # The units are back exactly (ids, targets, statuses, MT, times); the
    # translation document stays imported, linked to nothing.
    assert without_document(tables(store.path), result.target_document_id) == before
    assert store.conn.execute("SELECT count(*) FROM units WHERE target_document_id IS NOT NULL").fetchone()[0] == 0
    # Redo brings the alignment back exactly.
    assert history.redo(store, doc) is not None
    assert tables(store.path) == attached
    # And the earlier edits undo again once the alignment is undone (they used to fail).
    history.undo(store, doc)  # the alignment again
    history.undo(store, doc)  # SetTarget of the third unit
    history.undo(store, doc)  # Approve
    assert str(store.unit(_ids[1]).status) == "edited"
    assert len(store.history(limit=1000)) == edits_before + 1  # walking added no rows


def test_the_command_and_its_inverses_restore_exactly(store, files):
    from workbench.core.edits.links import AlignPair
    from workbench.core.errors import PostEditsError
    from workbench.core.importing import prepare
    from workbench.core.pairing import attach_prepared, compute_links

    doc, _ids = post_edited(store, files)
    target = attach_prepared(store, doc, prepare(files["a.ru.txt"]))
    before = tables(store.path)
    links = compute_links(store, doc, target, use_mt=False)
    command = AlignPair(doc, target, links, keep_targets=True)
    inverse = history.apply(store, command)
    after = tables(store.path)
    redo = history.apply(store, inverse)
    assert tables(store.path) == before
    history.apply(store, redo)
    assert tables(store.path) == after
    with pytest.raises(PostEditsError):
        history.apply(store, AlignPair(doc, target, links))  # no choice made: refused, nothing written
    assert tables(store.path) == after


def test_cli_attach_then_undo_twice(db_path, files, capsys):
    with Store(db_path) as store:
        doc, ids = post_edited(store, files)
        approved = store.unit(ids[1])
    assert run(db_path, "attach", doc, files["a.ru.txt"], "--no-mt", "--keep-targets") == 0
    out = capsys.readouterr().out
    assert "2 post-edited targets kept" in out
    assert run(db_path, "undo") == 0
    assert "undone: align document" in capsys.readouterr().out
    assert run(db_path, "undo") == 0  # the third unit's edit: it exists again
    assert run(db_path, "undo") == 0  # the approval
    capsys.readouterr()
    with Store(db_path) as store:
        assert store.unit(ids[1]).target == approved.target and str(store.unit(ids[1]).status) == "edited"


def test_import_pair_over_an_edited_article_needs_the_same_choice(db_path, files, capsys):
    with Store(db_path) as store:
        doc, ids = post_edited(store, files)
        approved = store.unit(ids[1])
    before = tables(db_path)
    assert run(db_path, "import-pair", files["a.en.txt"], files["a.ru.txt"], "--no-mt") == 1
    assert "--keep-targets" in err_line(capsys)
    assert tables(db_path) == before
    assert run(db_path, "import-pair", files["a.en.txt"], files["a.ru.txt"], "--no-mt", "--keep-targets",
               "--json") == 0
    result = json.loads(capsys.readouterr().out)
    assert result["source"] == doc and result["post_edits"] == 2
    with Store(db_path) as store:
        kept = by_source(store, doc)[approved.source]
        assert (kept.target, str(kept.status)) == (approved.target, "approved")


def test_realigning_asks_about_confirmed_links_and_keeps_those_unchanged(store, files):
    from workbench.core.errors import PostEditsError

    pair = import_pair(store, files["a.en.txt"], files["a.ru.txt"], use_mt=False)
    first = store.unit_ids(pair.source_document_id)[0]
    history.apply(store, ConfirmLinks((first,)))
    confirmed = store.unit(first)
    before = tables(store.path)
    # A confirmed link is an approved target: re-aligning does not drop it unasked.
    with pytest.raises(PostEditsError, match="1 post-edited or approved target "):
        attach_translation(store, pair.source_document_id, files["a.ru.txt"], use_mt=False)
    assert tables(store.path) == before
    attach_translation(store, pair.source_document_id, files["a.ru.txt"], use_mt=False, keep_targets=True)
    again = by_source(store, pair.source_document_id)[confirmed.source]
    assert (again.confirmed, str(again.status), again.target_segment_ids) == (
        True, "approved", confirmed.target_segment_ids)
    attach_translation(store, pair.source_document_id, files["a.ru.txt"], use_mt=False, keep_targets=False)
    again = by_source(store, pair.source_document_id)[confirmed.source]
    assert (again.confirmed, str(again.status), again.target) == (False, "edited", confirmed.target)


# -- defect 8: confirming a link is a change of the unit ----------------------------------

def test_confirming_and_editing_links_update_the_change_time(store):
    src, _tgt, _s_ids, _t_ids = add_linked_pair(store, ("One.", "Two.", "Three."), ("Раз.", "Два.", "Три."))
    store.conn.execute("UPDATE units SET updated_at = '2000-01-01T00:00:00Z'")
    ids = store.unit_ids(src)
    history.apply(store, ConfirmLinks((ids[0],)))
    assert store.unit(ids[0]).updated_at > "2020"
    assert store.unit(ids[2]).updated_at == "2000-01-01T00:00:00Z"
    history.apply(store, MergeLinks(ids[1]))
    assert store.unit(ids[1]).updated_at > "2020"  # its target text changed
