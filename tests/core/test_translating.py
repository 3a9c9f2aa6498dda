"""The translation job over the store: provenance, cache, resume, cancel, CLI."""
import json

import pytest

from workbench.cli.commands import main
from workbench.core.edits.commands import SetTarget
from workbench.core.errors import ModelError, NoModelError
from workbench.core.importing import import_paths
from workbench.core.mt import engine
from workbench.core.progress import Cancelled
from workbench.core.translating import translate_document, translate_texts_cached

from tests.conftest import SEEDS

EN_SEED = SEEDS / "en_uzbek_interior_ministry_cis_migration_2023-09-28.txt"


@pytest.fixture
def seeded(store):
    results = import_paths(store, [SEEDS])
    return {store.document(r.document_id).language: r.document_id for r in results}


def test_every_body_segment_gets_mt_with_provenance(store, seeded, packages_dir):
    doc = seeded["en"]
    summary = translate_document(store, doc, packages_dir=packages_dir)
    units = list(store.units(doc))
    body = [u for u in units if str(u.kind) == "body"]
    assert body and all(u.mt and u.mt_engine == "argos" and u.mt_model == "translate-en_ru"
                        and u.mt_version == "1.9" for u in body)
    assert all(u.target == u.mt and str(u.status) == "machine" for u in body)
    assert all(u.mt is None for u in units if str(u.kind) == "boilerplate")
    assert summary.translated == len([u for u in units if u.mt]) and not summary.cancelled
    again = translate_document(store, doc, packages_dir=packages_dir)
    assert again.translated == 0 and again.from_cache == 0 and "nothing to translate" in again.describe()


def test_cache_means_a_sentence_is_never_translated_twice(store, seeded, packages_dir, tmp_path, monkeypatch):
    from workbench.core.mt import engine

    doc = seeded["en"]
    translate_document(store, doc, packages_dir=packages_dir)
    copy = tmp_path / "copy.txt"
    copy.write_text(EN_SEED.read_text(encoding="utf-8") + "\n\nOne new sentence at the end.", encoding="utf-8")
    second = import_paths(store, [copy])[0].document_id
    sent = []
    original = engine.translate_chain
    monkeypatch.setattr(engine, "translate_chain",
                        lambda chain, batch, **kw: sent.extend(batch) or original(chain, batch, **kw))
    summary = translate_document(store, second, packages_dir=packages_dir)
    known = {u.source for u in store.units(doc) if u.mt}
    fresh = [u.source for u in store.units(second) if u.mt and u.source not in known]
    assert "One new sentence at the end." in sent and sorted(sent) == sorted(fresh)
    assert summary.from_cache >= 10 and summary.sentences_translated == len(fresh) <= 2


def test_person_written_targets_survive_machine_translation(store, seeded, packages_dir):
    doc = seeded["ru"]
    unit = next(u for u in store.units(doc) if str(u.kind) == "body")
    store.apply(SetTarget(unit.id, "My own translation."))
    translate_document(store, doc, packages_dir=packages_dir)
    after = store.unit(unit.id)
    assert after.target == "My own translation." and str(after.status) == "edited" and after.mt


def test_cancel_keeps_finished_batches_and_rerun_resumes(store, seeded, packages_dir):
    doc = seeded["en"]
    polls = []
    with pytest.raises(Cancelled) as stopped:
        translate_document(store, doc, packages_dir=packages_dir, batch_size=3,
                           cancelled=lambda: polls.append(1) or len(polls) > 2)
    summary = stopped.value.partial
    assert summary.cancelled and summary.translated == 6
    assert str(stopped.value) == summary.describe() and str(stopped.value).startswith("cancelled after 6 units")
    assert sum(1 for u in store.units(doc) if u.mt) == 6
    rest = translate_document(store, doc, packages_dir=packages_dir, batch_size=3)
    total = sum(1 for u in store.units(doc) if u.mt)
    assert rest.translated == total - 6 and not rest.cancelled


def test_progress_reaches_one_and_batches_are_reported(store, seeded, packages_dir):
    fractions, batches = [], []
    translate_document(store, seeded["en"], packages_dir=packages_dir, batch_size=4,
                       progress=lambda f, m: fractions.append(f), on_batch=batches.append)
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert len(batches) >= 3 and all(batches)


def test_no_model_is_a_clear_error(store, seeded, tmp_path):
    with pytest.raises(ModelError, match="no en→ru model installed"):
        translate_document(store, seeded["en"], packages_dir=tmp_path)


def test_free_texts_go_through_the_cache_or_without_a_store(store, packages_dir, tmp_path, monkeypatch):
    texts = ["The minister spoke.", "", "The minister spoke.", "The council met."]
    cached = translate_texts_cached(store, texts, "en", "ru", packages_dir=packages_dir)
    plain = translate_texts_cached(None, texts, "en", "ru", packages_dir=packages_dir)
    assert cached == plain and cached[1] == "" and cached[0] == cached[2] and all(cached[::2])
    calls = []
    monkeypatch.setattr(engine, "translate_chain", lambda *a, **k: calls.append(a) or [])
    assert translate_texts_cached(store, texts, "en", "ru", packages_dir=packages_dir) == cached
    assert not calls  # every text came from the cache
    with pytest.raises(NoModelError):
        translate_texts_cached(None, texts, "en", "ru", packages_dir=tmp_path)


def test_cli_models_and_translate(db_path, capsys, tmp_path, monkeypatch, model_archives):
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "packages"))
    db = ["--db", str(db_path)]
    assert main(["models", "list"]) == 0
    assert "no models installed" in capsys.readouterr().out
    assert main([*db, "import", str(SEEDS)]) == 0
    assert main([*db, "translate", "1"]) == 1
    assert "workbench models install" in capsys.readouterr().err
    assert main(["models", "install", str(model_archives[("en", "ru")])]) == 0
    assert main(["models", "list", "--json"]) == 0
    listed = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    assert [m["code"] for m in listed] == ["translate-en_ru"]
    assert main([*db, "translate", "1"]) == 0
    out = capsys.readouterr().out
    assert "units translated" in out and "sentences/s" in out
    assert main([*db, "translate", "1"]) == 0
    assert "nothing to translate" in capsys.readouterr().out
    assert main([*db, "segments", "1", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert all(r["mt"] for r in rows if r["kind"] == "body")
    assert main(["models", "remove", "translate-en_ru"]) == 0
