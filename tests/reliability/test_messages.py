"""Messages and exit codes, with real processes: a full disk, a read-only
folder or file, numbers SQLite cannot hold, command-line mistakes.

Each case asserts one line on stderr naming the cause, the exit code, and that
the database is unchanged (for a full disk: intact, the edit not half-applied)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from workbench.core.formats import ExportUnit, get_exporter

from tests.reliability.dbfixtures import integrity_ok, make_corpus_db, read_only_view, small_disk
from tests.reliability.helpers import assert_refused, cli, dump


@pytest.fixture
def corpus(tmp_path) -> Path:
    return make_corpus_db(tmp_path / "corpus.db")


def big_tmx(path: Path, units: int = 20000) -> Path:
    """An en->ru TMX whose import needs several megabytes of database."""
    text = "The ministry said that {n} workers left for Russia in spring, more than a year before. "
    stream = (ExportUnit(n, (text.format(n=n) * 2,), (f"Перевод предложения {n} о мигрантах. " * 3,),
                         "en", "ru", 1, "Big", "approved") for n in range(units))
    get_exporter("tmx").export(stream, path)
    return path


# -- a full disk -------------------------------------------------------------------

def visible(db: Path) -> tuple[str, ...]:
    """What a user sees: every document and every document's segments."""
    docs = cli(db, "docs", "--json")
    assert docs.code == 0, docs.err
    ids = [line.split('"id": ')[1].split(",")[0] for line in docs.out.splitlines()]
    return (docs.out, *(cli(db, "segments", i, "--json").out for i in ids))


def fill(path: Path) -> None:
    """Take every free byte of the file system holding ``path``."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT)
    try:
        for block in (1 << 16, 512, 1):
            try:
                while True:
                    os.write(fd, b"\0" * block)
            except OSError:
                pass
    finally:
        os.close(fd)


def test_disk_full_during_import_names_the_full_disk_and_keeps_the_database(tmp_path):
    tmx = big_tmx(tmp_path / "big.tmx")
    with small_disk(tmp_path / "disk", "2m") as disk:
        db = make_corpus_db(disk / "corpus.db")
        assert cli(db, "docs").code == 0
        before = visible(db)
        outcome = cli(db, "import", tmx)
        assert_refused(outcome, contains="full")
        assert integrity_ok(db)
        # The import writes in invisible chunks; what it wrote before the disk
        # filled stays invisible and the next import removes it.
        assert visible(db) == before


def test_disk_full_refuses_an_edit_whole_and_reading_still_works(tmp_path):
    with small_disk(tmp_path / "disk", "2m") as disk:
        db = make_corpus_db(disk / "corpus.db")
        assert cli(db, "docs").code == 0
        before = dump(db)
        fill(disk / "filler")
        outcome = cli(db, "set-target", 1, "Новый перевод, длинный: " + "слово " * 2000)
        assert_refused(outcome, contains="full")
        assert integrity_ok(db) and dump(db) == before
        docs = cli(db, "docs")
        assert docs.code == 0 and docs.out.count("\n") == 2, docs.err


# -- read-only folder and file ---------------------------------------------------------

def test_a_database_in_a_read_only_folder_can_be_read(tmp_path, corpus):
    with read_only_view(tmp_path, tmp_path.parent / f"{tmp_path.name}-ro") as view:
        outcome = cli(view / corpus.name, "docs")
        assert outcome.code == 0, outcome.err
        assert len(outcome.out.splitlines()) == 2 and "approved" in outcome.out
        segments = cli(view / corpus.name, "segments", 1)
        assert segments.code == 0 and "Перевод номер 0." in segments.out, segments.err


def test_writing_to_a_database_in_a_read_only_folder_says_read_only(tmp_path, corpus):
    before = dump(corpus)
    with read_only_view(tmp_path, tmp_path.parent / f"{tmp_path.name}-ro") as view:
        assert_refused(cli(view / corpus.name, "set-target", 1, "x"), contains="read-only")
        assert_refused(cli(view / corpus.name, "approve", 2), contains="read-only")
    assert dump(corpus) == before


def test_writing_to_a_read_only_database_file_says_read_only(tmp_path, corpus):
    before = dump(corpus)
    with read_only_view(corpus, corpus):
        docs = cli(corpus, "docs")
        assert docs.code == 0 and len(docs.out.splitlines()) == 2, docs.err
        assert_refused(cli(corpus, "set-target", 1, "x"), contains="read-only")
        assert_refused(cli(corpus, "import", Path(__file__).parents[2] / "seeds"), contains="read-only")
    assert dump(corpus) == before


# -- numbers ---------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ("segments", "99999999999999999999"),
    ("set-target", "99999999999999999999", "x"),
    ("approve", "1", "99999999999999999999"),
    ("history", "--limit", "99999999999999999999"),
    ("history", "99999999999999999999"),
])
def test_a_number_sqlite_cannot_hold_is_one_line(corpus, args):
    before = dump(corpus)
    outcome = cli(corpus, *args)
    assert outcome.code in (1, 2), outcome
    assert_refused(outcome, contains="99999999999999999999", code=outcome.code)
    assert dump(corpus) == before


# -- the command line ---------------------------------------------------------------------

@pytest.mark.parametrize("args, contains", [
    ((), "missing command"),
    (("frobnicate",), "no such command"),
    (("docs", "--bogus"), "no such option"),
    (("segments",), "missing argument"),
    (("segments", "abc"), "not a valid integer"),
    (("export", "--format", "pdf", "--out", "x.pdf"), "--format"),
    (("export", "--format", "tmx"), "--out"),
])
def test_command_line_mistakes_are_one_line(corpus, args, contains):
    before = dump(corpus)
    outcome = cli(corpus, *args)
    assert_refused(outcome, contains=contains, code=2)
    assert outcome.err.startswith("workbench: error: ")
    assert dump(corpus) == before


@pytest.mark.parametrize("args", [("--help",), ("export", "--help"), ("-h",)])
def test_help_is_kept_as_it_was(corpus, args):
    outcome = cli(corpus, *args)
    assert outcome.code == 0 and outcome.out.startswith("Usage: workbench") and not outcome.err
    assert len(outcome.out.splitlines()) > 5


def test_an_export_to_a_full_disk_is_one_line_and_keeps_the_old_file(tmp_path, corpus):
    with small_disk(tmp_path / "disk", "1m") as disk:
        out = disk / "corpus.tmx"
        assert cli(corpus, "export", "--format", "tmx", "--out", out).code == 0
        old = out.read_bytes()
        fill(disk / "filler")
        outcome = cli(corpus, "export", "--format", "tmx", "--status", "any", "--out", out)
        assert_refused(outcome, contains="no space left")
        assert out.read_bytes() == old
        assert sorted(p.name for p in disk.iterdir()) == ["corpus.tmx", "filler"]
