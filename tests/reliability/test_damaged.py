"""A damaged database is detected, never written, and can be recovered
(64 bytes flipped in the middle of the file, as a bad sector would)."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import SEEDS

from tests.reliability.dbfixtures import digest, flip_middle, integrity_ok, make_corpus_db
from tests.reliability.helpers import assert_refused, cli, dump


@pytest.fixture
def damaged(tmp_path) -> Path:
    """A reviewed corpus with its automatic backup of today, then damaged."""
    db = make_corpus_db(tmp_path / "corpus.db")
    assert cli(db, "docs").code == 0  # an ordinary first use of the day
    flip_middle(db)
    return db


@pytest.mark.parametrize("args", [
    ("docs",),
    ("segments", "1"),
    ("set-target", "1", "Новый перевод"),
    ("approve", "2"),
    ("exclude", "3"),
    ("split", "4", "5"),
    ("undo",),
    ("history",),
    ("score",),
    ("links", "1"),
    ("import", SEEDS / "en_uzbek_interior_ministry_cis_migration_2023-09-28.txt"),
    ("export", "--format", "tmx", "--status", "any", "--out", "out.tmx"),
    ("translate", "--all"),
])
def test_every_command_refuses_a_damaged_database_and_says_how_to_recover(damaged, args):
    before = digest(damaged)
    outcome = cli(damaged, *args, cwd=damaged.parent)
    assert_refused(outcome, contains="damaged")
    assert "workbench restore" in outcome.err and ".recover" in outcome.err
    assert digest(damaged) == before
    assert not (damaged.parent / "out.tmx").exists()


def test_check_lists_the_problems_of_a_damaged_database(damaged):
    outcome = cli(damaged, "check")
    assert outcome.code == 1
    problems = outcome.out.splitlines()
    assert problems and all(line.strip() for line in problems)
    assert len(outcome.err_lines) == 1 and "damaged" in outcome.err and "workbench restore" in outcome.err


def test_check_says_ok_for_a_healthy_database_and_reports_broken_references(tmp_path):
    db = make_corpus_db(tmp_path / "corpus.db")
    ok = cli(db, "check")
    assert ok.code == 0 and "ok" in ok.out and not ok.err
    conn = sqlite3.connect(db)  # a reference to nothing, written without foreign keys
    conn.execute("UPDATE unit_segments SET unit_id = 999999 WHERE segment_id = 1")
    conn.commit()
    conn.close()
    bad = cli(db, "check")
    assert bad.code == 1 and "unit_segments" in bad.out and "units" in bad.out, bad
    assert len(bad.err_lines) == 1


def test_restore_brings_back_the_latest_backup_and_keeps_the_damaged_file(tmp_path):
    db = make_corpus_db(tmp_path / "corpus.db")
    assert cli(db, "docs").code == 0  # today's automatic backup
    good = dump(db)
    middle = flip_middle(db)
    damaged_bytes = db.read_bytes()[middle:middle + 64]
    outcome = cli(db, "restore")
    assert outcome.code == 0, outcome.err
    assert integrity_ok(db) and dump(db) == good
    assert cli(db, "docs").code == 0 and cli(db, "set-target", 1, "снова").code == 0
    listed = cli(db, "backups")
    kept = [line.split()[0] for line in listed.out.splitlines() if "restore" in line]
    assert len(kept) == 1
    kept_bytes = (tmp_path / "backups" / kept[0]).read_bytes()
    assert kept_bytes[middle:middle + 64] == damaged_bytes  # the damaged pages are kept, for .recover



def test_restore_replaces_a_file_whose_header_is_destroyed(tmp_path):
    db = make_corpus_db(tmp_path / "corpus.db")
    assert cli(db, "docs").code == 0  # today's automatic backup
    good = dump(db)
    data = bytearray(db.read_bytes())
    data[:100] = bytes(100)  # the header: SQLite no longer sees a database at all
    db.write_bytes(bytes(data))
    refused = cli(db, "docs")
    assert_refused(refused, contains="not an SQLite file")
    assert "workbench restore" in refused.err
    outcome = cli(db, "restore")
    assert outcome.code == 0, outcome.err
    assert integrity_ok(db) and dump(db) == good
    assert cli(db, "set-target", 1, "снова").code == 0
