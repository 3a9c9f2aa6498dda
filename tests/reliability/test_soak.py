"""Kill -9 soak: window-like, worker and command-line processes write to one
database at the same time and are killed at random moments.

- the "window" process holds one long-lived connection (as the window does),
  applies target edits through the history and prints each one after its
  commit ("reported saved"); a worker thread in the same process opens and
  closes its own connections and writes too (as the window's jobs do);
- command-line processes run ``workbench set-target`` one after another; an
  exit status 0 is their "reported saved".

Each writer owns its units and writes increasing numbers, so after every kill
the database must hold, for every unit, at least the last number reported
saved; ``PRAGMA integrity_check`` must say ok; and the window process must
never hold a deleted -wal or -shm (another process deleted the WAL under it).

``make test`` runs a short sample; ``make test-reliability`` runs >= 200 kills."""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from workbench.core.store.database import Store

from tests.reliability.helpers import REPO

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL") or not Path("/proc/self/fd").is_dir(),
                                reason="needs SIGKILL and /proc")

WINDOW = r"""
import random, sys, threading, time
from workbench.core.edits.commands import SetTarget
from workbench.core.store.database import Store

db, units, counter = sys.argv[1], [int(u) for u in sys.argv[2].split(",")], int(sys.argv[3])

def worker():  # the window's background jobs: their own connections, opened and closed
    n = 0
    while True:
        store = Store(db)
        store.status_counts()
        store.cache_translations("soak-worker", [(f"source {n}", f"target {n}")])
        store.close()
        n += 1
        time.sleep(random.uniform(0, 0.01))

threading.Thread(target=worker, daemon=True).start()
store = Store(db)  # the window's own connection, open for the whole run
print("READY", flush=True)
while True:
    unit = units[counter % len(units)]
    store.apply(SetTarget(unit, f"window {counter}"), merge_key=None)
    print(f"SAVED {unit} {counter}", flush=True)
    counter += 1
    time.sleep(random.uniform(0, 0.02))
"""


def _deleted_side_files(pid: int) -> list[str]:
    found = []
    for fd in Path(f"/proc/{pid}/fd").glob("*"):
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.endswith("(deleted)") and ("-wal" in target or "-shm" in target):
            found.append(target)
    return found


class Soak:
    def __init__(self, db: Path, window_units: list[int], cli_units: list[int]):
        self.db = db
        self.window_units = window_units
        self.cli_units = cli_units
        self.saved: dict[int, int] = {}     # unit -> highest number reported saved
        self.counter = 0                     # next number a (re)started writer uses
        self.lock = threading.Lock()
        self.env = dict(os.environ, PYTHONPATH=str(REPO))
        self.window: subprocess.Popen | None = None
        self.cli: subprocess.Popen | None = None
        self.stop = threading.Event()
        self.kills = {"window": 0, "cli": 0}
        self.problems: list[str] = []

    def _report(self, unit: int, number: int) -> None:
        with self.lock:
            self.saved[unit] = max(self.saved.get(unit, -1), number)
            self.counter = max(self.counter, number + 1)

    def start_window(self) -> None:
        with self.lock:
            start = self.counter
            self.counter += 1
        proc = subprocess.Popen([sys.executable, "-c", WINDOW, str(self.db),
                                 ",".join(map(str, self.window_units)), str(start)],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=self.env)
        assert proc.stdout is not None and proc.stdout.readline().startswith("READY")

        def read(p=proc):
            for line in p.stdout:
                if line.startswith("SAVED "):
                    _, unit, number = line.split()
                    self._report(int(unit), int(number))
        threading.Thread(target=read, daemon=True).start()
        self.window = proc

    def cli_loop(self) -> None:
        while not self.stop.is_set():
            with self.lock:
                number = self.counter
                self.counter += 1
            unit = self.cli_units[number % len(self.cli_units)]
            proc = subprocess.Popen([sys.executable, "-m", "workbench.cli", "--db", str(self.db),
                                     "set-target", str(unit), f"cli {number}"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=self.env)
            self.cli = proc
            _out, err = proc.communicate()
            if proc.returncode == 0:
                self._report(unit, number)
            elif proc.returncode != -signal.SIGKILL:
                self.problems.append(f"set-target exited {proc.returncode}: {err.strip()}")

    def check(self) -> None:
        if self.window is not None and self.window.poll() is None:
            deleted = _deleted_side_files(self.window.pid)
            if deleted:
                self.problems.append(f"window holds deleted side files: {deleted}")
        with self.lock:
            expected = dict(self.saved)
        conn = sqlite3.connect(str(self.db), timeout=30)
        try:
            rows = dict(conn.execute("SELECT id, target FROM units"))
            integrity = conn.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            conn.close()
        if integrity != "ok":
            self.problems.append(f"quick_check: {integrity}")
        for unit, number in expected.items():
            text = rows.get(unit, "")
            found = int(text.split()[-1]) if text else -1
            if found < number:
                self.problems.append(f"unit {unit}: reported saved {number}, database has {text!r}")


def run_soak(db: Path, kills: int, seed: int) -> Soak:
    rng = random.Random(seed)
    with Store(db) as store:
        doc = store.add_document(title="Soak", language="en", target_language="ru", source_path=None,
                                 checksum="soak", date=None)
        store.add_segments(doc, [(0, "body", f"Sentence {n}.", False) for n in range(12)])
        units = store.unit_ids(doc)
    soak = Soak(db, units[:8], units[8:])
    soak.start_window()
    cli_thread = threading.Thread(target=soak.cli_loop, daemon=True)
    cli_thread.start()
    try:
        while sum(soak.kills.values()) < kills and not soak.problems:
            time.sleep(rng.uniform(0.02, 0.4))
            victim = "window" if rng.random() < 0.5 else "cli"
            proc = soak.window if victim == "window" else soak.cli
            if proc is None or proc.poll() is not None:
                continue
            proc.send_signal(signal.SIGKILL)
            proc.wait(30)
            soak.kills[victim] += 1
            time.sleep(0.05)  # let the readers take the lines printed before the kill
            soak.check()
            if victim == "window":
                soak.start_window()
    finally:
        soak.stop.set()
        for proc in (soak.window, soak.cli):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                proc.wait(30)
        cli_thread.join(60)
    soak.check()
    conn = sqlite3.connect(str(db))
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    return soak


def test_soak_sample(tmp_path):
    soak = run_soak(tmp_path / "soak.db", kills=12, seed=1)
    assert not soak.problems, soak.problems[:5]
    assert soak.saved, "nothing was reported saved"


@pytest.mark.slow
def test_soak_200_kills(tmp_path):
    soak = run_soak(tmp_path / "soak.db", kills=int(os.environ.get("SOAK_KILLS", "220")), seed=7)
    print(f"\nsoak: kills {soak.kills}, units checked {len(soak.saved)}, "
          f"writes reported saved up to #{max(soak.saved.values())}, problems {len(soak.problems)}")
    assert not soak.problems, soak.problems[:5]
