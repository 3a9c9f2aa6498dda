"""Automatic and manual backups through SQLite's online backup API, and
restore (real processes)."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.reliability.dbfixtures import digest, flip_middle, integrity_ok, make_corpus_db
from tests.reliability.helpers import assert_refused, cli, dump
from tests.reliability.test_messages import big_tmx


@pytest.fixture
def corpus(tmp_path) -> Path:
    return make_corpus_db(tmp_path / "corpus.db")


def backups(db: Path, reason: str | None = None) -> list[Path]:
    folder = db.parent / "backups"
    found = sorted(folder.glob(f"{db.name}.*")) if folder.is_dir() else []
    return [p for p in found if reason is None or p.name.split(".")[-2] == reason]


def documents(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    finally:
        conn.close()


def test_backup_and_restore_round_trip(corpus, tmp_path):
    made = cli(corpus, "backup")
    assert made.code == 0, made.err
    path = Path(made.out.split()[-1])
    assert path.parent == tmp_path / "backups" and integrity_ok(path)
    state = dump(corpus)
    assert dump(path) == state
    assert cli(corpus, "set-target", 1, "Изменено после копии").code == 0
    assert dump(corpus) != state
    restored = cli(corpus, "restore", path.name)
    assert restored.code == 0, restored.err
    assert dump(corpus) == state
    listed = cli(corpus, "backups")
    assert listed.code == 0 and path.name in listed.out and "manual" in listed.out


def test_backup_to_a_chosen_path_and_never_onto_the_database(corpus, tmp_path):
    out = tmp_path / "copy.sqlite"
    made = cli(corpus, "backup", "--out", out)
    assert made.code == 0 and dump(out) == dump(corpus)
    before = dump(corpus)
    assert_refused(cli(corpus, "backup", "--out", corpus), contains="database")
    assert dump(corpus) == before
    text = tmp_path / "notes.txt"
    text.write_text("notes\n", encoding="utf-8")
    assert_refused(cli(corpus, "backup", "--out", text), contains="--force")
    assert text.read_text(encoding="utf-8") == "notes\n"


def test_an_automatic_backup_is_made_once_a_day_on_open(corpus):
    assert backups(corpus) == []
    assert cli(corpus, "docs").code == 0
    daily = backups(corpus, "daily")
    assert len(daily) == 1 and dump(daily[0]) == dump(corpus)
    assert cli(corpus, "set-target", 1, "x").code == 0
    assert cli(corpus, "docs").code == 0
    assert backups(corpus, "daily") == daily  # the same day: no second one
    # A day later (the backup's name says when it was made).
    old = datetime.now(timezone.utc) - timedelta(days=1, hours=1)
    name = daily[0].name.split(".")
    stamp_at = len(corpus.name.split("."))
    name[stamp_at] = old.strftime("%Y%m%dT%H%M%S") + name[stamp_at][15:]
    daily[0].rename(daily[0].with_name(".".join(name)))
    assert cli(corpus, "docs").code == 0
    assert len(backups(corpus, "daily")) == 2


def test_automatic_backups_are_pruned_to_the_newest_seven(corpus):
    assert cli(corpus, "docs").code == 0
    first = backups(corpus, "daily")[0]
    name = first.name.split(".")
    stamp_at = len(corpus.name.split("."))
    now = datetime.now(timezone.utc)
    for days in range(2, 12):  # ten older daily backups
        name[stamp_at] = (now - timedelta(days=days)).strftime("%Y%m%dT%H%M%S") + name[stamp_at][15:]
        (first.parent / ".".join(name)).write_bytes(first.read_bytes())
    manual = Path(cli(corpus, "backup").out.split()[-1])
    first.unlink()  # as if today's had not been made yet
    assert cli(corpus, "docs").code == 0
    daily = backups(corpus, "daily")
    assert len(daily) == 7
    newest_old = (now - timedelta(days=2)).strftime("%Y%m%d")
    assert sum(newest_old in p.name for p in daily) == 1
    assert all((now - timedelta(days=d)).strftime("%Y%m%d") not in " ".join(p.name for p in daily)
               for d in range(8, 12))
    assert manual.exists()  # a backup the user asked for is never pruned


def test_a_backup_is_made_before_a_schema_migration(tmp_path):
    from workbench.core.store.schema import MIGRATIONS

    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    for statement in MIGRATIONS[0]:
        conn.execute(statement)
    conn.execute("INSERT INTO documents (title, language, checksum, imported_at) VALUES ('Old', 'en', 'c', 'now')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    old = dump(db)
    outcome = cli(db, "docs")
    assert outcome.code == 0 and "Old" in outcome.out, outcome.err
    before_migration = backups(db, "migration")
    assert len(before_migration) == 1 and dump(before_migration[0]) == old
    conn = sqlite3.connect(before_migration[0])
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()


def test_a_backup_is_made_before_a_corpus_import_and_a_pair_import(corpus, tmp_path):
    tmx = big_tmx(tmp_path / "corpus.tmx", units=50)
    docs = documents(corpus)
    assert cli(corpus, "import", tmx).code == 0
    [before_import] = backups(corpus, "import")
    assert documents(before_import) == docs and documents(corpus) == docs + 2
    en, ru = tmp_path / "pair.en.txt", tmp_path / "pair.ru.txt"
    en.write_text("Migrants return home.\n\nThe ministry counted them. Most went to Russia.\n", encoding="utf-8")
    ru.write_text("Мигранты возвращаются домой.\n\nМинистерство их посчитало. Большинство уехали в Россию.\n",
                  encoding="utf-8")
    outcome = cli(corpus, "import-pair", en, ru, "--no-mt", "--src-lang", "en", "--tgt-lang", "ru")
    assert outcome.code == 0, outcome.err
    [before_pair] = backups(corpus, "import-pair")
    assert documents(before_pair) == docs + 2


def test_restore_refuses_a_damaged_backup_and_changes_nothing(corpus):
    made = Path(cli(corpus, "backup").out.split()[-1])
    flip_middle(made)
    before = digest(corpus)
    outcome = cli(corpus, "restore", made)
    assert_refused(outcome, contains="damaged")
    assert digest(corpus) == before and backups(corpus, "restore") == []


def test_restore_keeps_the_current_state_and_can_be_undone(corpus):
    assert cli(corpus, "docs").code == 0
    [daily] = backups(corpus, "daily")
    assert cli(corpus, "set-target", 1, "Работа после резервной копии").code == 0
    current = dump(corpus)
    outcome = cli(corpus, "restore")  # the newest automatic backup
    assert outcome.code == 0, outcome.err
    assert dump(corpus) == dump(daily)
    [kept] = backups(corpus, "restore")
    assert dump(kept) == current and kept.name in outcome.out
    assert cli(corpus, "restore", kept.name).code == 0
    assert dump(corpus) == current


def test_restore_without_any_backup_says_so(corpus):
    before = digest(corpus)
    assert_refused(cli(corpus, "restore"), contains="no backup")
    assert_refused(cli(corpus, "restore", "nonexistent.bak"), contains="nonexistent.bak")
    assert digest(corpus) == before


def test_a_disk_too_full_for_the_daily_backup_still_opens(tmp_path):
    from tests.reliability.dbfixtures import small_disk
    from tests.reliability.test_messages import fill

    # 2 MiB: the corpus database with its memory index (schema 5) and WAL outgrew 1 MiB.
    with small_disk(tmp_path / "disk", "2m") as disk:
        db = make_corpus_db(disk / "corpus.db")
        spare = disk / "spare"
        spare.write_bytes(b"\0" * 65536)  # room to read (SQLite's -shm), not for a backup
        fill(disk / "filler")
        spare.unlink()
        before = dump(db)
        outcome = cli(db, "docs")
        assert outcome.code == 0 and len(outcome.out.splitlines()) == 2, outcome.err
        assert backups(db) == [] and not [p.name for p in (disk / "backups").glob("*")]
        assert integrity_ok(db) and dump(db) == before


def test_a_full_disk_at_open_names_the_full_disk(tmp_path):
    from tests.reliability.dbfixtures import small_disk
    from tests.reliability.test_messages import fill

    # 2 MiB: the corpus database with its memory index (schema 5) and WAL outgrew 1 MiB.
    with small_disk(tmp_path / "disk", "2m") as disk:
        db = make_corpus_db(disk / "corpus.db")
        before = dump(db)
        conn = sqlite3.connect(db)  # the last writer's close removes the -shm a reader left
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.close()
        assert not Path(f"{db}-shm").exists()
        fill(disk / "filler")
        assert_refused(cli(db, "docs"), contains="full")
        (disk / "filler").unlink()
        assert integrity_ok(db) and dump(db) == before


def test_a_killed_backup_leaves_no_temporary_file_for_long(corpus):
    import subprocess
    import sys

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    folder = corpus.parent / "backups"
    folder.mkdir()
    stale = folder / f"{corpus.name}.20200101T000000000000Z.daily.bak.{dead.pid}-0badc0de.part"
    stale.write_bytes(b"SQLite format 3\0 half a backup")
    assert cli(corpus, "docs").code == 0
    assert len(backups(corpus, "daily")) == 1, sorted(p.name for p in folder.iterdir())
    assert not stale.exists()
