"""A long import, as real processes: other writers get in while it runs, and a
kill -9 at any moment leaves nothing visible and nothing the next import
cannot clean up.

Before, a 400,000-unit TMX import was one 40 s transaction: a concurrent
``set-target`` waited 30 s and failed with "database is locked"."""
from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.reliability.helpers import REPO, cli

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(os.name != "posix", reason="kill -9 and POSIX processes")]

SEED = REPO / "seeds" / "en_uzbek_interior_ministry_cis_migration_2023-09-28.txt"
UNITS = 100_000


@pytest.fixture(scope="module")
def big_tmx(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tmx") / "big.tmx"
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="en" '
                  'segtype="sentence" datatype="plaintext" adminlang="en" creationtool="t" '
                  'creationtoolversion="1" o-tmf="t"/><body>\n')
        for n in range(UNITS):
            out.write(f'<tu tuid="{n}"><prop type="x-domain">news</prop><tuv xml:lang="en"><seg>'
                      f'Sentence number {n} of a large corpus.</seg></tuv><tuv xml:lang="ru"><seg>'
                      f'Предложение номер {n} большого корпуса.</seg></tuv></tu>\n')
        out.write("</body></tmx>\n")
    return path


def start_import(db: Path, path: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.Popen([sys.executable, "-m", "workbench.cli", "--db", str(db), "import", str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def query(db: Path, sql: str) -> list[tuple]:
    """Read through SQLite (never through a file handle of our own)."""
    conn = sqlite3.connect(db, timeout=60)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def visible_documents(db: Path) -> list[dict]:
    outcome = cli(db, "docs", "--json")
    assert outcome.code == 0, outcome.err
    return [json.loads(line) for line in outcome.out.splitlines()]


def wait_until_writing(db: Path, process: subprocess.Popen, timeout: float = 120) -> None:
    """Until the import has registered itself and written its first chunk."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        if query(db, "SELECT count(*) FROM segments s JOIN documents d ON d.id = s.document_id"
                     " WHERE d.pending IS NOT NULL")[0][0]:
            return
        time.sleep(0.05)
    raise AssertionError("the import never started writing")


@pytest.fixture
def seeded(tmp_path) -> tuple[Path, int]:
    db = tmp_path / "workbench.db"
    outcome = cli(db, "import", SEED, "--json")
    assert outcome.code == 0, outcome.err
    doc = json.loads(outcome.out)["id"]
    segment = json.loads(cli(db, "segments", doc, "--json").out.splitlines()[1])["id"]
    return db, segment


def test_edits_get_in_while_a_long_import_writes(seeded, big_tmx):
    db, segment = seeded
    process = start_import(db, big_tmx)
    try:
        wait_until_writing(db, process)
        for n in range(3):
            started = time.monotonic()
            outcome = cli(db, "set-target", segment, f"Правка {n}")
            elapsed = time.monotonic() - started
            assert outcome.code == 0, outcome.err
            assert elapsed < 5, elapsed  # process start included; it waited 30 s and failed before
            # Meanwhile no reader sees the half-written pair.
            assert [d["title"] for d in visible_documents(db)] == [visible_documents(db)[0]["title"]]
        assert process.poll() is None, "the import finished too soon to prove anything"
        out, err = process.communicate(timeout=600)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    docs = visible_documents(db)
    assert len(docs) == 3 and docs[1]["units"] == UNITS
    segments = [json.loads(line) for line in cli(db, "segments", docs[0]["id"], "--json").out.splitlines()]
    assert next(s for s in segments if s["id"] == segment)["target"] == "Правка 2"


def test_kill_9_at_random_moments_leaves_nothing_visible_and_the_next_import_cleans_up(seeded, big_tmx):
    db, _segment = seeded
    before = visible_documents(db)
    rng = random.Random(int(os.environ.get("KILL_SEED", "2024")))
    killed_while_writing = 0
    for attempt in range(4):
        process = start_import(db, big_tmx)
        try:
            if attempt % 2 == 0:
                wait_until_writing(db, process)  # at least half the kills land mid-write
            time.sleep(rng.uniform(0.0, 3.0))
            writing = bool(query(db, "SELECT count(*) FROM imports")[0][0])
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        assert process.returncode == -signal.SIGKILL, "the import finished before the kill"
        killed_while_writing += writing
        assert visible_documents(db) == before  # no partial document, ever
        assert query(db, "PRAGMA integrity_check") == [("ok",)]
        assert query(db, "PRAGMA foreign_key_check") == []
    assert killed_while_writing >= 2
    # The next import removes what the killed ones left, and succeeds.
    outcome = cli(db, "import", big_tmx, timeout=600)
    assert outcome.code == 0, outcome.err
    docs = visible_documents(db)
    assert len(docs) == 3 and docs[1]["units"] == UNITS
    assert query(db, "SELECT count(*) FROM documents WHERE pending IS NOT NULL") == [(0,)]
    assert query(db, "SELECT count(*) FROM imports") == [(0,)]
    assert query(db, "SELECT count(*) FROM segments")[0][0] == before[0]["segments"] + 2 * UNITS
    assert query(db, "SELECT count(*) FROM units")[0][0] == before[0]["units"] + UNITS
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
