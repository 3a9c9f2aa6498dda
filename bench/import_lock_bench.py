"""Corpus import vs. other writers: how long a large TMX import takes, and the
longest time another process waits for the write lock meanwhile.

A probe process takes the write lock (BEGIN IMMEDIATE; COMMIT) every 50 ms
while ``workbench import big.tmx`` runs as a process of its own; the longest
wait is the longest write-lock hold the import imposes on anyone else.
Run: .venv/bin/python bench/import_lock_bench.py [--units 400000]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

PROBE = """
import os, sqlite3, sys, time
db, stop = sys.argv[1], sys.argv[2]
waits = []
while not os.path.exists(stop):
    conn = sqlite3.connect(db, timeout=600, isolation_level=None)
    started = time.monotonic()
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("COMMIT")
    waits.append(time.monotonic() - started)
    conn.close()
    time.sleep(0.05)
print(max(waits), len(waits))
"""


def write_tmx(path: Path, units: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="en" '
                  'segtype="sentence" datatype="plaintext" adminlang="en" creationtool="bench" '
                  'creationtoolversion="1" o-tmf="bench"/><body>\n')
        for n in range(units):
            out.write(f'<tu tuid="{n}"><prop type="x-domain">news</prop><tuv xml:lang="en"><seg>'
                      f'Sentence number {n} of the large test corpus.</seg></tuv><tuv xml:lang="ru">'
                      f'<seg>Предложение номер {n} большого тестового корпуса.</seg></tuv></tu>\n')
        out.write("</body></tmx>\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=400_000)
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=str(REPO))
    with tempfile.TemporaryDirectory() as tmp:
        tmx, db, stop = Path(tmp) / "big.tmx", Path(tmp) / "bench.db", Path(tmp) / "stop"
        write_tmx(tmx, args.units)
        subprocess.run([sys.executable, "-m", "workbench.cli", "--db", str(db), "docs"], env=env,
                       check=True, capture_output=True)
        probe = subprocess.Popen([sys.executable, "-c", PROBE, str(db), str(stop)], env=env,
                                 stdout=subprocess.PIPE, text=True)
        started = time.monotonic()
        subprocess.run([sys.executable, "-m", "workbench.cli", "--db", str(db), "import", str(tmx)],
                       env=env, check=True, capture_output=True)
        elapsed = time.monotonic() - started
        stop.touch()
        longest, probes = probe.communicate()[0].split()
        print(f"{args.units:,}-unit TMX ({tmx.stat().st_size / 1e6:.0f} MB): import {elapsed:.1f} s; "
              f"longest write-lock wait of another process {float(longest):.2f} s ({probes} probes)")


if __name__ == "__main__":
    main()
