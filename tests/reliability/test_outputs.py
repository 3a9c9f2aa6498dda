"""No output path may destroy the database or a file the workbench owns, and
overwriting a file of another kind needs --force (real processes)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from lxml import etree

from tests.reliability.dbfixtures import digest, integrity_ok, make_corpus_db
from tests.reliability.helpers import assert_refused, cli, dump

EXPORT = ("export", "--format", "tmx", "--status", "any", "--out")


@pytest.fixture
def corpus(tmp_path) -> Path:
    return make_corpus_db(tmp_path / "corpus.db")


def tmx_units(path: Path) -> int:
    return len(etree.parse(str(path)).findall(".//tu"))


@pytest.mark.parametrize("name", ["corpus.db", "corpus.db-wal", "corpus.db-shm", "corpus.db-journal",
                                  "./sub/../corpus.db"])
def test_export_onto_the_database_or_its_side_files_is_refused(corpus, name):
    before = dump(corpus)
    (corpus.parent / "sub").mkdir()
    outcome = cli(corpus, *EXPORT, name, cwd=corpus.parent)
    assert_refused(outcome, contains="database")
    assert integrity_ok(corpus) and dump(corpus) == before
    assert not (corpus.parent / "corpus.db-journal").exists()


def test_export_through_a_symlink_or_hard_link_to_the_database_is_refused(corpus, tmp_path):
    before = dump(corpus)
    (tmp_path / "link.tmx").symlink_to(corpus)
    os.link(corpus, tmp_path / "hard.tmx")
    for name in ("link.tmx", "hard.tmx"):
        assert_refused(cli(corpus, *EXPORT, tmp_path / name), contains="database")
    assert integrity_ok(corpus) and dump(corpus) == before
    assert (tmp_path / "link.tmx").is_symlink()


def test_export_of_a_database_named_like_a_moses_file_is_refused(tmp_path):
    db = make_corpus_db(tmp_path / "corpus.en")
    before = dump(db)
    outcome = cli(db, "export", "--format", "moses", "--status", "any", "--from", "en", "--to", "ru",
                  "--out", tmp_path / "corpus")
    assert_refused(outcome, contains="database")
    assert integrity_ok(db) and dump(db) == before and not (tmp_path / "corpus.ru").exists()


def test_export_into_the_backups_or_models_folder_is_refused(corpus, tmp_path):
    assert cli(corpus, "backup").code == 0
    backups = sorted((tmp_path / "backups").iterdir())
    assert backups
    models = tmp_path / "models"
    (models / "translate-en_ru").mkdir(parents=True)
    for out in (backups[0], tmp_path / "backups" / "new.tmx", models / "translate-en_ru" / "x.tmx"):
        before = digest(out) if out.exists() else None
        outcome = cli(corpus, *EXPORT, out, env={"ARGOS_PACKAGES_DIR": str(models)})
        assert_refused(outcome, contains="workbench")
        assert (digest(out) if out.exists() else None) == before


def test_overwriting_a_file_of_another_kind_needs_force(corpus, tmp_path):
    article = tmp_path / "article.tmx"
    article.write_text("The ministry said on Monday that migrants left.\n", encoding="utf-8")
    other_db = make_corpus_db(tmp_path / "other.tmx")
    for victim, kind in ((article, "text"), (other_db, "SQLite")):
        before = digest(victim)
        outcome = cli(corpus, *EXPORT, victim)
        assert_refused(outcome, contains="--force")
        assert kind.lower() in outcome.err.lower()
        assert digest(victim) == before
    forced = cli(corpus, *EXPORT, article, "--force")
    assert forced.code == 0, forced.err
    assert cli(corpus, *EXPORT, tmp_path / "fresh.tmx").code == 0
    assert article.read_bytes().count(b"<tu ") == (tmp_path / "fresh.tmx").read_bytes().count(b"<tu ")
    assert tmx_units(article) > 20


def test_overwriting_a_file_of_the_same_format_or_an_empty_one_needs_no_force(corpus, tmp_path):
    out = tmp_path / "corpus.tmx"
    first = cli(corpus, "export", "--format", "tmx", "--out", out)
    assert first.code == 0 and tmx_units(out) == 10  # the approved ones
    again = cli(corpus, *EXPORT, out)
    assert again.code == 0 and tmx_units(out) > 20, again.err
    assert f"exported {tmx_units(out)} units" in again.out
    csv = tmp_path / "corpus.csv"
    csv.write_text("", encoding="utf-8")
    en_ru = ("--from", "en", "--to", "ru")
    assert cli(corpus, "export", "--format", "csv", *en_ru, "--out", csv).code == 0
    outcome = cli(corpus, "export", "--format", "csv", "--status", "any", *en_ru, "--out", csv)
    assert outcome.code == 0, outcome.err
    written = int(outcome.out.split()[1])
    assert 0 < written < tmx_units(out)
    assert len(csv.read_text(encoding="utf-8").splitlines()) == 1 + written  # a header line
    # A TMX is not a CSV: the other direction needs --force.
    assert_refused(cli(corpus, "export", "--format", "csv", "--out", out), contains="--force")


def test_export_into_a_folder_or_onto_a_pipe_is_refused(corpus, tmp_path):
    # A pipe stands for any special file (/dev/null, a device): the old code
    # renamed its temporary file over it, and as root replaced the node itself.
    (tmp_path / "folder.tmx").mkdir()
    assert cli(corpus, *EXPORT, tmp_path / "folder.tmx").code == 2
    os.mkfifo(tmp_path / "pipe.tmx")
    assert_refused(cli(corpus, *EXPORT, tmp_path / "pipe.tmx"), contains="not a regular file")
    assert (tmp_path / "pipe.tmx").is_fifo()


@pytest.mark.parametrize("command", [("import",), ("import-pair", "{db}", "{other}"),
                                     ("attach", "--keep-targets", "1")])
def test_reading_the_database_file_as_an_input_is_refused(corpus, tmp_path, command):
    """Reading it with plain file calls would drop SQLite's locks in this process
    (another process could then delete the WAL): refused before anything opens it."""
    other = tmp_path / "article.txt"
    other.write_text("The ministry counted migrants.\n", encoding="utf-8")
    args = [a.format(db=corpus, other=other) for a in command]
    if "{db}" not in " ".join(command):
        args.append(str(corpus))
    before = dump(corpus)
    outcome = cli(corpus, *args)
    assert_refused(outcome, contains="is the workbench database")
    assert dump(corpus) == before
