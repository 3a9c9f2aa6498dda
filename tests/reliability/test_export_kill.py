"""An export killed at any moment leaves the old complete file or the new
complete file, never a part, and the next export cleans up after it."""
from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.reliability.dbfixtures import make_corpus_db
from tests.reliability.helpers import REPO, cli


def content(path: Path) -> bytes:
    """The file without its header's creation date (each export has its own)."""
    return re.sub(rb'creationdate="[^"]*"', b"", path.read_bytes(), count=1)


def leftovers(folder: Path, name: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(name + ".") and p.name.endswith(".part"))


def test_the_next_export_removes_temporary_files_of_killed_exports(tmp_path):
    db = make_corpus_db(tmp_path / "corpus.db")
    out = tmp_path / "corpus.tmx"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = [tmp_path / "corpus.tmx.part", tmp_path / f"corpus.tmx.{dead.pid}-0badc0de.part"]
    live = tmp_path / f"corpus.tmx.{os.getpid()}-c0ffee00.part"  # a writer still running: not touched
    for path in (*stale, live):
        path.write_text("<?xml version='1.0'?><tmx><body><tu>", encoding="utf-8")
    outcome = cli(db, "export", "--format", "tmx", "--out", out)
    assert outcome.code == 0, outcome.err
    assert out.read_text(encoding="utf-8").rstrip().endswith("</tmx>")
    assert leftovers(tmp_path, "corpus.tmx") == [live.name]


def build_large(path: Path, units: int) -> Path:
    from workbench.core.store.database import Store

    with Store(path) as store:
        doc = store.add_document(title="Large", language="en", target_language="ru", source_path=None,
                                 checksum="large", date=None)
        store.add_segments(doc, [(n // 5, "body", f"Sentence {n} of a long article about migration and work.",
                                  False) for n in range(units)])
        with store.transaction() as conn:
            conn.execute("UPDATE units SET target = 'Перевод предложения ' || id || ' о миграции и работе.',"
                         " status = CASE WHEN id % 3 = 0 THEN 'approved' ELSE 'edited' END")
    return path


@pytest.fixture(scope="module")
def large_db(tmp_path_factory) -> Path:
    return build_large(tmp_path_factory.mktemp("large") / "large.db", 150_000)


def export_process(db: Path, out: Path, *status: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "workbench.cli", "--db", str(db), "export", "--format", "tmx",
                             *status, "--out", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=dict(os.environ, PYTHONPATH=str(REPO)))


@pytest.mark.slow
def test_an_export_killed_at_random_moments_never_leaves_a_partial_file(tmp_path, large_db):
    db = large_db
    out = tmp_path / "corpus.tmx"
    assert cli(db, "export", "--format", "tmx", "--out", out).code == 0  # the old file: approved units
    old = content(out)
    started = time.monotonic()
    assert cli(db, "export", "--format", "tmx", "--status", "any", "--out", tmp_path / "new.tmx").code == 0
    duration = time.monotonic() - started
    new = content(tmp_path / "new.tmx")
    assert old != new
    rng = random.Random(10)
    interrupted = 0
    for _ in range(6):
        process = export_process(db, out, "--status", "any")
        time.sleep(rng.uniform(0.05, duration * 1.1))
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = content(out)
        assert now in (old, new), f"a partial file of {len(now)} bytes"
        interrupted += bool(leftovers(tmp_path, "corpus.tmx"))
    assert interrupted, "no kill landed while the file was being written"
    assert cli(db, "export", "--format", "tmx", "--status", "any", "--out", out).code == 0
    assert content(out) == new
    assert leftovers(tmp_path, "corpus.tmx") == []


@pytest.mark.slow
def test_two_exports_to_one_path_at_once_leave_one_complete_file(tmp_path, large_db):
    out = tmp_path / "corpus.tmx"
    references = []
    for n, status in enumerate(("approved", "any")):
        assert cli(large_db, "export", "--format", "tmx", "--status", status, "--out", tmp_path / f"{n}.tmx").code == 0
        references.append(content(tmp_path / f"{n}.tmx"))
    for _ in range(2):
        first = export_process(large_db, out, "--status", "any")
        time.sleep(0.3)
        second = export_process(large_db, out, "--status", "approved")
        assert first.wait() == 0 and second.wait() == 0, (first.stderr.read(), second.stderr.read())
        assert content(out) in references
    assert leftovers(tmp_path, "corpus.tmx") == []
