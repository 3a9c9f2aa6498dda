"""The translation job against structural edits made meanwhile (in this process
or another): a unit whose source text changed after the job read it never gets
the MT of the old text; it is left for a re-run, which translates it."""
from __future__ import annotations

import json
import random
import subprocess
import sys
import time

import pytest

from workbench.core.edits.commands import MergeSegments, SplitSegment
from workbench.core.mt import engine
from workbench.core.mt.packages import find_pair
from workbench.core.store.database import Store
from workbench.core.translating import translate_document

from tests.reliability.helpers import REPO, cli

SENTENCES = [f"Sentence number {n} is about the migration strategy of the council." for n in range(6)]
SPLIT_AT = SENTENCES[0].index(" is about")


def fresh(packages_dir, sources):
    return engine.Translator(find_pair("en", "ru", packages_dir)[0], threads=1).translate(list(sources))


def seed(db_path, sentences=SENTENCES):
    with Store(db_path) as store:
        doc = store.add_document(title="Race", language="en", target_language="ru", source_path=None,
                                 checksum="race", date=None)
        segments = store.add_segments(doc, [(0, "body", text, False) for text in sentences])
    return doc, segments


def assert_consistent(store, doc, packages_dir):
    """Every unit holding MT holds the MT of its current source text."""
    units = [u for u in store.units(doc) if u.mt is not None]
    assert [u.mt for u in units] == fresh(packages_dir, [u.source for u in units])


def test_split_while_translating_in_process(db_path, packages_dir):
    doc, segments = seed(db_path)
    split_segment = segments[3]

    def after_batch(unit_ids, done=[]):
        if not done:  # once the first batch is committed, another connection splits a later unit
            done.append(unit_ids)
            with Store(db_path) as other:
                other.apply(SplitSegment(split_segment, SPLIT_AT))

    with Store(db_path) as store:
        summary = translate_document(store, doc, packages_dir=packages_dir, batch_size=1, on_batch=after_batch)
        halves = store.unit_for_segment(split_segment)
        assert halves.mt is None and str(halves.status) == "new" and halves.target == ""
        assert_consistent(store, doc, packages_dir)
        assert summary.changed == 1 and summary.translated == len(SENTENCES) - 1
        again = translate_document(store, doc, packages_dir=packages_dir)
        assert (again.translated, again.changed) == (2, 0)  # both halves, nothing else
        assert all(u.mt is not None for u in store.units(doc))
        assert_consistent(store, doc, packages_dir)


def test_merge_while_translating_in_process(db_path, packages_dir):
    doc, segments = seed(db_path)

    def after_batch(unit_ids, done=[]):
        if not done:
            done.append(unit_ids)
            with Store(db_path) as other:
                other.apply(MergeSegments(segments[2], segments[3]))

    with Store(db_path) as store:
        summary = translate_document(store, doc, packages_dir=packages_dir, batch_size=1, on_batch=after_batch)
        merged = store.unit_for_segment(segments[2])
        assert merged.mt is None and merged.source == f"{SENTENCES[2]} {SENTENCES[3]}"
        assert_consistent(store, doc, packages_dir)
        assert summary.changed == 2  # the kept unit has a new source; the other is gone
        again = translate_document(store, doc, packages_dir=packages_dir)
        assert (again.translated, again.changed) == (1, 0)
        assert_consistent(store, doc, packages_dir)


JOB = """
import pathlib, sys, time
from workbench.core.store.database import Store
from workbench.core.translating import translate_document

db, packages, ready, go = sys.argv[1:5]

def after_batch(ids, done=[]):
    if not done:
        done.append(ids)
        pathlib.Path(ready).touch()
        deadline = time.monotonic() + 60
        while not pathlib.Path(go).exists() and time.monotonic() < deadline:
            time.sleep(0.02)

with Store(db) as store:
    s = translate_document(store, 1, packages_dir=packages, batch_size=1, on_batch=after_batch)
print(s.translated, getattr(s, "changed", None))
"""


def test_split_from_another_process_while_the_job_runs(tmp_path, db_path, packages_dir):
    """The job process holds its connection open; the split comes from the real CLI."""
    doc, segments = seed(db_path)
    assert doc == 1
    ready, go = tmp_path / "ready", tmp_path / "go"
    job = subprocess.Popen([sys.executable, "-c", JOB, str(db_path), str(packages_dir), str(ready), str(go)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert job.poll() is None and time.monotonic() < deadline, job.communicate()
            time.sleep(0.02)
        split = cli(db_path, "split", segments[4], SPLIT_AT, env={"ARGOS_PACKAGES_DIR": str(packages_dir)})
        assert split.code == 0, split.err
        go.touch()
        out, err = job.communicate(timeout=60)
    finally:
        if job.poll() is None:
            job.kill()
    assert job.returncode == 0, err
    with Store(db_path) as store:
        assert_consistent(store, doc, packages_dir)
    assert out.split() == [str(len(SENTENCES) - 1), "1"]
    rerun = cli(db_path, "translate", "1", "--json", env={"ARGOS_PACKAGES_DIR": str(packages_dir)})
    assert rerun.code == 0, rerun.err
    assert json.loads(rerun.out)["translated"] == 2
    with Store(db_path) as store:
        assert all(u.mt is not None for u in store.units(doc))
        assert_consistent(store, doc, packages_dir)


@pytest.mark.slow
def test_cli_translate_and_split_at_random_moments(tmp_path, packages_dir):
    """`workbench translate 1 &` and `workbench split` as two plain CLI processes,
    the split at a random moment: no unit in status machine ever holds the MT of
    a source text it no longer has."""
    rng = random.Random(1)
    sentences = [f"Sentence number {n} is about the migration strategy of the council." for n in range(300)]
    env = {"ARGOS_PACKAGES_DIR": str(packages_dir)}
    for attempt in range(4):
        db = tmp_path / f"w{attempt}.db"
        doc, segments = seed(db, sentences)
        job = subprocess.Popen([sys.executable, "-m", "workbench.cli", "--db", str(db), "translate", "1"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", **env})
        time.sleep(rng.uniform(0.5, 3.0))
        split = cli(db, "split", rng.choice(segments), SPLIT_AT, env=env)
        assert split.code == 0, split.err
        _, err = job.communicate(timeout=120)
        assert job.returncode == 0, err
        with Store(db) as store:
            machine = [u for u in store.units(doc) if str(u.status) == "machine"]
            assert [u.mt for u in machine] == fresh(packages_dir, [u.source for u in machine])
        rerun = cli(db, "translate", "1", env=env)
        assert rerun.code == 0, rerun.err
