"""The MT cache is keyed by what decides a model's output: package code,
version and a content hash of the model files.  A model upgrade, or the same
version with other weights, never serves the old model's translations."""
import json
import os

import pytest

from workbench.cli import main
from workbench.core.importing import import_paths
from workbench.core.mt import engine, packages
from workbench.core.mt.packages import find_pair, install_file
from workbench.core import translating as translation
from workbench.core.translating import translate_document

from tests.conftest import SEEDS

EN_SEED = SEEDS / "en_uzbek_interior_ministry_cis_migration_2023-09-28.txt"


def fresh_translation(root, sources, from_code="en", to_code="ru"):
    """What the installed model(s) really output, from freshly loaded files."""
    texts = list(sources)
    for package in find_pair(from_code, to_code, root):
        texts = engine.Translator(package, threads=1).translate(texts)
    return texts


@pytest.fixture
def models(tmp_path, model_archives):
    root = tmp_path / "models"
    install_file(model_archives[("en", "ru")], root)
    return root


def test_upgrade_with_new_weights_translates_again_through_the_cli(tmp_path, models, other_weights, capsys,
                                                                    monkeypatch):
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(models))
    db = ["--db", str(tmp_path / "w.db")]
    assert main([*db, "import", "-q", str(EN_SEED)]) == 0
    assert main([*db, "translate", "1", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["translated"] > 10 and first["from_cache"] == 0
    assert main(["models", "install", str(other_weights["2.0"])]) == 0
    capsys.readouterr()
    assert main([*db, "translate", "1", "--json"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert (second["translated"], second["from_cache"]) == (first["translated"], 0)
    assert main([*db, "segments", "1", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    done = [r for r in rows if r["mt"] is not None]
    assert [r["mt"] for r in done] == fresh_translation(models, [r["text"] for r in done])


def test_same_version_other_weights_is_another_cache_entry(store, models, other_weights):
    doc = import_paths(store, [EN_SEED])[0].document_id
    translate_document(store, doc, packages_dir=models)
    old_key = translation.cache_key(find_pair("en", "ru", models))
    install_file(other_weights["1.9"], models)  # same folder name, same version, other weights
    new_key = translation.cache_key(find_pair("en", "ru", models))
    assert old_key != new_key and "1.9" in new_key
    summary = translate_document(store, doc, packages_dir=models, retranslate=True)
    assert summary.from_cache == 0 and summary.translated > 10
    units = [u for u in store.units(doc) if u.mt is not None]
    assert [u.mt for u in units] == fresh_translation(models, [u.source for u in units])
    assert all((u.mt_model, u.mt_version) == ("translate-en_ru", "1.9") for u in units)


def test_a_pivot_chain_is_keyed_on_every_model(store, packages_dir, tmp_path, model_archives, other_weights):
    root = tmp_path / "models"
    for pair in (("ru", "en"), ("en", "de")):
        install_file(model_archives[pair], root)
    sentences = ["Министр заявил.", "Совет обсудит стратегию."]
    from workbench.core.translating import translate_texts_cached

    first = translate_texts_cached(store, sentences, "ru", "de", packages_dir=root)
    key = translation.cache_key(find_pair("ru", "de", root))
    assert key.count("+") == 1 and "translate-ru_en" in key and "translate-en_de" in key
    install_file(other_weights["en_de"], root)  # only the second model of the chain changes
    assert translation.cache_key(find_pair("ru", "de", root)) != key
    second = translate_texts_cached(store, sentences, "ru", "de", packages_dir=root)
    assert second == fresh_translation(root, sentences, "ru", "de") != first


def test_content_hash_is_computed_at_install_not_at_translate(store, models, monkeypatch):
    doc = import_paths(store, [EN_SEED])[0].document_id

    def no_hashing(*args, **kwargs):
        raise AssertionError("the model files were hashed at translate time")

    monkeypatch.setattr(packages, "_hash_model_files", no_hashing)
    packages._fingerprints.clear()  # nothing memoised in this process either: the stored hash serves
    summary = translate_document(store, doc, packages_dir=models)
    assert summary.translated > 10


def test_model_files_changed_in_place_are_hashed_again(models, other_weights, tmp_path):
    package = find_pair("en", "ru", models)[0]
    before = translation.cache_key([package])
    # Someone copies other weights over model.bin by hand (not through install).
    import zipfile

    with zipfile.ZipFile(other_weights["1.9"]) as archive:
        data = archive.read("translate-en_ru-1_9/model/model.bin")
    target = package.path / "model" / "model.bin"
    stat = target.stat()
    target.write_bytes(data)
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert translation.cache_key(find_pair("en", "ru", models)) != before
