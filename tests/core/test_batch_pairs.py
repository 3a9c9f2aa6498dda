"""Many pairs at once: matching two folders, the store-free per-pair job, the
writer's one transaction per pair, resuming, cancelling, and the runner seam."""
from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from workbench.core.batch_pairs import (ALREADY, FAILED, IMPORTED, PairJob, align_pair_files, import_pairs,
                                        match_by_list, match_by_name, process_runner, run_inline)
from workbench.core.errors import BadInputError
from workbench.core.pairing import import_pair
from workbench.core.progress import Cancelled
from workbench.core.store.database import Store
from workbench.testing.pairs import pair_texts, write_pair_folders

RU_TEXT = "Министры встретились в Женеве в понедельник. Переговоры продолжатся завтра.\n\n" * 5


def touch(path: Path, data: bytes | str = "Some text.") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def names(matching, root_src, root_tgt):
    return sorted((s.relative_to(root_src).as_posix(), t.relative_to(root_tgt).as_posix())
                  for s, t in matching.pairs)


# --- matching -----------------------------------------------------------------------

def test_match_by_name_same_path_then_stem_then_language_code(tmp_path):
    src, tgt = tmp_path / "en", tmp_path / "ru"
    for name in ("same.txt", "stem.txt", "news.en.txt", "deep/inner_en.md", "only-here.txt", ".hidden.txt"):
        touch(src / name)
    for name in ("same.txt", "stem.md", "news.ru.txt", "deep/inner_ru.md", "lonely.txt", ".hidden.txt"):
        touch(tgt / name)
    matching = match_by_name(src, tgt)
    assert names(matching, src, tgt) == [("deep/inner_en.md", "deep/inner_ru.md"),
                                         ("news.en.txt", "news.ru.txt"), ("same.txt", "same.txt"),
                                         ("stem.txt", "stem.md")]
    left = sorted(Path(u.path).name for u in matching.unmatched)
    assert left == ["lonely.txt", "only-here.txt"]
    assert all("no file of that name" in u.reason for u in matching.unmatched)


def test_an_ambiguous_name_pairs_neither_file(tmp_path):
    src, tgt = tmp_path / "en", tmp_path / "ru"
    touch(src / "a.en.txt"), touch(src / "a.de.txt"), touch(tgt / "a.ru.txt")
    matching = match_by_name(src, tgt)
    assert matching.pairs == ()
    assert len(matching.unmatched) == 3


def test_exact_names_win_over_looser_matches(tmp_path):
    src, tgt = tmp_path / "en", tmp_path / "ru"
    touch(src / "a.txt"), touch(src / "a.md"), touch(tgt / "a.txt"), touch(tgt / "a.html")
    matching = match_by_name(src, tgt)
    assert names(matching, src, tgt) == [("a.md", "a.html"), ("a.txt", "a.txt")]


def test_match_by_list_reads_relative_paths_and_reports_missing_files(tmp_path):
    src, tgt = tmp_path / "en", tmp_path / "ru"
    touch(src / "one.txt"), touch(src / "sub/two.txt"), touch(tgt / "first.txt"), touch(tgt / "second.txt")
    listing = touch(tmp_path / "pairs.tsv", "# source\ttarget\n\none.txt\tfirst.txt\n"
                                            "sub/two.txt\tsecond.txt\nthree.txt\tthird.txt\n")
    matching = match_by_list(src, tgt, listing)
    assert names(matching, src, tgt) == [("one.txt", "first.txt"), ("sub/two.txt", "second.txt")]
    missing = sorted(Path(u.path).name for u in matching.unmatched)
    assert missing == ["third.txt", "three.txt"]
    assert all("line 5" in u.reason for u in matching.unmatched)


def test_a_malformed_list_is_refused_whole(tmp_path):
    src, tgt = tmp_path / "en", tmp_path / "ru"
    touch(src / "one.txt"), touch(tgt / "one.txt")
    listing = touch(tmp_path / "pairs.tsv", "one.txt\tone.txt\njust one path\n")
    with pytest.raises(BadInputError, match="line 2: expected source<TAB>target"):
        match_by_list(src, tgt, listing)


def test_a_missing_folder_is_a_user_error(tmp_path):
    touch(tmp_path / "en" / "a.txt")
    with pytest.raises(BadInputError, match="target folder .* is not a directory"):
        match_by_name(tmp_path / "en", tmp_path / "nowhere")


# --- the per-pair job ---------------------------------------------------------------------

def test_the_job_is_picklable_and_returns_prepared_documents_and_links(tmp_path):
    (src, tgt), = write_pair_folders(tmp_path / "en", tmp_path / "ru", 1)
    job = PairJob(src, tgt, "en", "ru", use_mt=False)
    result = pickle.loads(pickle.dumps(align_pair_files(pickle.loads(pickle.dumps(job)))))
    assert result.error is None and result.job == job
    n, m = len(result.source.article.segments), len(result.target.article.segments)
    covered_src = sorted(i for link in result.links for i in link.src)
    covered_tgt = sorted(j for link in result.links for j in link.tgt)
    assert covered_src == list(range(n)) and covered_tgt == list(range(m))
    assert all(0.0 <= link.confidence <= 1.0 for link in result.links)


@pytest.mark.parametrize("data, message", [
    (b"", "is empty"),
    (bytes(range(256)) * 8, "binary"),
    (RU_TEXT.encode("utf-8") + RU_TEXT.encode("cp1251") * 5, "encoding"),
    ("\n\n   \n", "only whitespace"),
])
def test_a_bad_file_is_a_one_line_error_not_an_exception(tmp_path, data, message):
    src = touch(tmp_path / "en.txt", "The ministers met in Geneva on Monday.")
    bad = touch(tmp_path / "ru.txt", data)
    result = align_pair_files(PairJob(src, bad, "en", "ru", use_mt=False))
    assert result.source is None and result.links == ()
    assert message in result.error and "\n" not in result.error


def test_presegmented_keeps_lines_as_segments_and_blank_lines_as_paragraphs(tmp_path):
    src = touch(tmp_path / "en.txt", "First line. Still the first.\nSecond line\n\nThird, new paragraph.\n")
    tgt = touch(tmp_path / "ru.txt", "Первая строка. Всё ещё первая.\nВторая строка\n\nТретья, новый абзац.\n")
    result = align_pair_files(PairJob(src, tgt, "en", "ru", presegmented=True, use_mt=False))
    segments = result.source.article.segments
    assert [s.text for s in segments] == ["First line. Still the first.", "Second line", "Third, new paragraph."]
    assert [s.paragraph for s in segments] == [0, 0, 1]
    assert [(link.src, link.tgt) for link in result.links] == [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]


# --- the client: writing, resuming, failing -----------------------------------------------------

def documents_and_units(store: Store) -> tuple[int, int]:
    docs = store.documents()
    return len(docs), sum(len(store.unit_ids(d.id)) for d in docs)


def articles(store: Store) -> list:
    """Stored articles (translations are documents too)."""
    return [d for d in store.documents() if d.translation_of is None]


def test_every_pair_is_stored_aligned_and_a_second_run_changes_nothing(store, tmp_path):
    pairs = write_pair_folders(tmp_path / "en", tmp_path / "ru", 6)
    seen = []
    result = import_pairs(store, tmp_path / "en", tmp_path / "ru", use_mt=False, on_pair=seen.append)
    assert result.count(IMPORTED) == 6 and result.pairs_aligned == 6
    assert seen == list(result.outcomes)
    for outcome in result.outcomes:
        source, target = store.document(outcome.source_document_id), store.document(outcome.target_document_id)
        assert target.translation_of == source.id and store.is_aligned_with(source.id, target.id)
        assert outcome.links == len(store.unit_ids(source.id))
    assert {Path(o.source).name for o in result.outcomes} == {s.name for s, _ in pairs}
    before = documents_and_units(store)
    again = import_pairs(store, tmp_path / "en", tmp_path / "ru", use_mt=False)
    assert again.count(ALREADY) == 6 and again.pairs_aligned == 0  # not even read again
    assert documents_and_units(store) == before


def test_links_computed_in_a_job_equal_those_of_import_pair(tmp_path):
    (src, tgt), = write_pair_folders(tmp_path / "en", tmp_path / "ru", 1, seed=3)
    with Store(tmp_path / "batch.db") as batch, Store(tmp_path / "single.db") as single:
        import_pairs(batch, tmp_path / "en", tmp_path / "ru", source_lang="en", target_lang="ru", use_mt=False)
        import_pair(single, src, tgt, source_lang="en", target_lang="ru", use_mt=False)

        def links(store):
            doc = store.documents()[0].id
            return [(u.source, u.target, round(u.confidence, 6)) for u in store.units(doc)]

        assert links(batch) == links(single)
        # The alignment is one step of the document's history, as with import-pair.
        doc = batch.documents()[0].id
        assert [e.command for e in batch.history(doc)] == [e.command for e in single.history(doc)] == ["AlignPair"]


def test_bad_pairs_are_reported_and_the_run_goes_on(store, tmp_path):
    src, tgt = tmp_path / "en", tmp_path / "ru"
    write_pair_folders(src, tgt, 3)
    touch(src / "binary.en.txt", bytes(range(256)) * 8), touch(tgt / "binary.ru.txt", RU_TEXT)
    touch(src / "empty.en.txt", b""), touch(tgt / "empty.ru.txt", RU_TEXT + "x")
    touch(src / "lonely.txt", "Nobody translated me.")
    result = import_pairs(store, src, tgt, use_mt=False)
    assert result.count(IMPORTED) == 3 and result.count(FAILED) == 2
    failed = {Path(o.source).name: o.error for o in result.outcomes if o.status == FAILED}
    assert "binary" in failed["binary.en.txt"] and "empty" in failed["empty.en.txt"]
    assert [Path(u.path).name for u in result.unmatched] == ["lonely.txt"]
    assert len(articles(store)) == 3 and len(store.documents()) == 6  # nothing of the bad pairs


def test_a_translation_that_belongs_to_another_document_fails_that_pair_only(store, tmp_path):
    src, tgt = tmp_path / "en", tmp_path / "ru"
    write_pair_folders(src, tgt, 2)
    first_en, first_ru = pair_texts(0)
    touch(tmp_path / "other.en.txt", "An unrelated article about something else entirely.\n")
    import_pair(store, tmp_path / "other.en.txt", tgt / "pair-000.ru.txt", use_mt=False)
    result = import_pairs(store, src, tgt, use_mt=False)
    statuses = {Path(o.source).name: (o.status, o.error) for o in result.outcomes}
    assert statuses["pair-001.en.txt"][0] == IMPORTED
    status, error = statuses["pair-000.en.txt"]
    assert status == FAILED and "already the translation of" in error
    # The refused pair left nothing behind, not even its article.
    assert not any(d.title == first_en.splitlines()[0] for d in store.documents())


def test_an_article_imported_and_edited_before_is_aligned_again_by_the_writer(store, tmp_path):
    """Precomputed links fit only the segments they were computed on: a
    source that a person split since is aligned again in the client."""
    from workbench.core.edits import history
    from workbench.core.edits.commands import SplitSegment
    from workbench.core.importing import import_paths

    (src, tgt), = write_pair_folders(tmp_path / "en", tmp_path / "ru", 1)
    doc = import_paths(store, [src])[0].document_id
    long = max(store.segments(doc), key=lambda s: len(s.text))
    history.apply(store, SplitSegment(long.id, long.text.index(" ", len(long.text) // 2) + 1))
    result = import_pairs(store, tmp_path / "en", tmp_path / "ru", use_mt=False)
    assert result.count(IMPORTED) == 1 and result.outcomes[0].source_document_id == doc
    covered = sorted(s for u in store.units(doc) for s in u.source_segment_ids)
    assert covered == sorted(s.id for s in store.segments(doc))
    assert all(u.target_segment_ids or not u.target for u in store.units(doc))


def test_a_cancel_keeps_the_pairs_stored_and_a_rerun_does_the_rest(store, tmp_path):
    write_pair_folders(tmp_path / "en", tmp_path / "ru", 5)
    written = []
    with pytest.raises(Cancelled, match="2 pair\\(s\\) imported and kept") as stop:
        import_pairs(store, tmp_path / "en", tmp_path / "ru", use_mt=False, on_pair=written.append,
                     cancelled=lambda: len(written) >= 2)
    assert stop.value.partial.count(IMPORTED) == 2
    assert len(articles(store)) == 2
    rest = import_pairs(store, tmp_path / "en", tmp_path / "ru", use_mt=False)
    assert (rest.count(ALREADY), rest.count(IMPORTED)) == (2, 3)
    assert len(articles(store)) == 5 and documents_and_units(store)[0] == 10


def test_any_runner_will_do_results_may_come_in_any_order(store, tmp_path):
    write_pair_folders(tmp_path / "en", tmp_path / "ru", 4)
    dispatched = []

    def backwards(work, jobs):  # a stand-in for a cluster: other order, same results
        dispatched.extend(jobs)
        for job in reversed(list(jobs)):
            yield work(job)

    result = import_pairs(store, tmp_path / "en", tmp_path / "ru", use_mt=False, runner=backwards)
    assert [Path(o.source).name for o in result.outcomes] == [
        f"pair-{n:03d}.en.txt" for n in (3, 2, 1, 0)]
    assert len(dispatched) == 4 and result.count(IMPORTED) == 4


def test_worker_processes_give_the_same_pairs_as_this_process(tmp_path):
    write_pair_folders(tmp_path / "en", tmp_path / "ru", 4, seed=7)
    stored = {}
    for name, runner in (("inline", run_inline), ("processes", process_runner(2))):
        with Store(tmp_path / f"{name}.db") as store:
            result = import_pairs(store, tmp_path / "en", tmp_path / "ru", source_lang="en", target_lang="ru",
                                  use_mt=False, runner=runner)
            assert result.count(IMPORTED) == 4
            stored[name] = sorted((d.title, tuple((u.source, u.target) for u in store.units(d.id)))
                                  for d in articles(store))
    assert stored["inline"] == stored["processes"]


def test_matching_options_are_checked(store, tmp_path):
    write_pair_folders(tmp_path / "en", tmp_path / "ru", 1)
    with pytest.raises(BadInputError, match="needs the list file"):
        import_pairs(store, tmp_path / "en", tmp_path / "ru", match="list")
    with pytest.raises(BadInputError, match="unknown match"):
        import_pairs(store, tmp_path / "en", tmp_path / "ru", match="size")


def test_a_database_that_cannot_be_written_stops_the_run_and_says_what_is_kept(store, tmp_path, monkeypatch):
    from workbench.core import pairing
    from workbench.core.errors import DiskFullError

    write_pair_folders(tmp_path / "en", tmp_path / "ru", 4)
    real = pairing.store_pair
    calls = []

    def fills_the_disk_at_the_third(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise DiskFullError("the disk is full: nothing was changed")
        return real(*args, **kwargs)

    monkeypatch.setattr(pairing, "store_pair", fills_the_disk_at_the_third)
    with pytest.raises(DiskFullError, match="the 2 pair\\(s\\) imported before are kept"):
        import_pairs(store, tmp_path / "en", tmp_path / "ru", use_mt=False)
    assert len(articles(store)) == 2
