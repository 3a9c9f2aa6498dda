"""Glossary files (TBX, CSV, TSV, OmegaT; malformed ones import nothing) and spell checking."""
from pathlib import Path

import pytest

from workbench.core.errors import BadInputError
from workbench.core.qa import spelling
from workbench.core.qa.glossary import read_glossary, write_glossary

DATA = Path(__file__).resolve().parents[2] / "data" / "qa"


def pairs(entries):
    return {(e.source, e.target, e.source_lang, e.target_lang, e.forbidden) for e in entries}


def test_tbx_basic():
    entries = read_glossary(DATA / "glossary_basic.tbx")
    assert pairs(entries) == {("minister", "министр", "en", "ru", False),
                              ("minister", "министерша", "en", "ru", True),
                              ("public debt", "государственный долг", "en", "ru", False)}
    assert next(e for e in entries if e.target == "министр").note == "head of a ministry"


def test_tbx_v3():
    assert pairs(read_glossary(DATA / "glossary_v3.tbx")) == {("sanctions", "санкции", "en", "ru", False)}


def test_tbx_reversed_pair():
    assert ("министр", "minister", "ru", "en", False) in pairs(
        read_glossary(DATA / "glossary_basic.tbx", source_lang="ru", target_lang="en"))


def test_csv_tsv_omegat():
    assert pairs(read_glossary(DATA / "glossary.csv", source_lang="en", target_lang="ru")) == {
        ("minister", "министр", "en", "ru", False), ("minister", "министерша", "en", "ru", True),
        ("public debt", "государственный долг", "en", "ru", False)}
    tsv = read_glossary(DATA / "glossary.tsv")
    assert pairs(tsv) == {("minister", "министр", "en", "ru", False), ("sanctions", "санкции", "en", "ru", False)}
    assert {e.note for e in tsv} == {None, "plural"}
    omegat = read_glossary(DATA / "glossary_omegat.txt", source_lang="en", target_lang="ru")
    assert pairs(omegat) == {("minister", "министр", "en", "ru", False),
                             ("public debt", "государственный долг", "en", "ru", False)}


@pytest.mark.parametrize("name,line", [("glossary_bad.tbx", "line 7"), ("glossary_bad.csv", "line 3"),
                                       ("glossary_bad_omegat.txt", "line 2")])
def test_malformed_names_the_line(name, line):
    with pytest.raises(BadInputError, match=line):
        read_glossary(DATA / name, source_lang="en", target_lang="ru")


def test_entities_refused():
    with pytest.raises(BadInputError, match="entities"):
        read_glossary(DATA / "glossary_entities.tbx")


def test_csv_without_languages_or_omegat_without_pair():
    with pytest.raises(BadInputError, match="--from"):
        read_glossary(DATA / "glossary.csv")
    with pytest.raises(BadInputError, match="--from"):
        read_glossary(DATA / "glossary_omegat.txt")


def test_export_round_trip(store, tmp_path):
    store.add_terms(e.row() for e in read_glossary(DATA / "glossary_basic.tbx"))
    terms = store.glossary_terms()
    for fmt in ("tbx", "csv"):
        out = tmp_path / f"g.{fmt}"
        assert write_glossary(terms, out, fmt) == 3
        again = read_glossary(out, source_lang="en", target_lang="ru")
        assert pairs(again) == {(t.source, t.target, t.source_lang, t.target_lang, t.forbidden) for t in terms}


needs_ru = pytest.mark.skipif(spelling.find_dictionary("ru") is None, reason="hunspell-ru not installed")


@needs_ru
def test_spelling_flags_misspelt_words_only():
    speller = spelling.Speller("ru")
    bad = speller.check("Министр встретился с коллегами в Москве и обсудил сотрудничиство.")
    assert [m.word for m in bad] == ["сотрудничиство"]
    assert speller.check("Министр встретился с коллегами.") == []
    # names inside a sentence, acronyms and Latin words are not judged
    assert speller.check("Встреча прошла в Ташкенте, сообщает ТАСС и Reuters.") == []


@needs_ru
def test_personal_words_and_suggestions():
    speller = spelling.Speller("ru", personal=["Росгвардия"])
    assert speller.check("росгвардия работает.") == []
    assert "сотрудничество" in speller.suggest("сотрудничиство")


def test_missing_dictionary_names_the_package(monkeypatch, tmp_path):
    monkeypatch.setenv("WORKBENCH_HUNSPELL_PATH", str(tmp_path))
    monkeypatch.setenv("WORKBENCH_HUNSPELL_ONLY", "1")
    assert spelling.find_dictionary("ru") is None
    with pytest.raises(spelling.DictionaryMissing, match="hunspell-ru"):
        spelling.Speller("ru")


@needs_ru
@pytest.mark.parametrize("backend", ["hunspell", "spylls"])
def test_both_dictionary_readers_agree(monkeypatch, backend):
    if backend == "spylls":
        monkeypatch.setenv("WORKBENCH_SPELLING_BACKEND", "spylls")
    else:
        pytest.importorskip("hunspell")
    assert spelling.backend_class().name == backend
    speller = spelling.Speller("ru")
    text = ("Министр встретился с коллегами в Москве и обсудил сотрудничиство. Ёлка стоит, "
            "а проэкт правительства утверждён.")
    assert [m.word for m in speller.check(text)] == ["сотрудничиство", "проэкт"]


def test_variant_names_its_package(monkeypatch, tmp_path):
    monkeypatch.setenv("WORKBENCH_HUNSPELL_PATH", str(tmp_path))
    monkeypatch.setenv("WORKBENCH_HUNSPELL_ONLY", "1")
    with pytest.raises(spelling.DictionaryMissing, match="hunspell-en-gb"):
        spelling.Speller("en", variant="en_GB")
