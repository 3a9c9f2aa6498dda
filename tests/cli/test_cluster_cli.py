"""``translate --cluster`` and ``import-pairs --cluster``: a local cluster of two
worker processes gives what the in-process run gives; a bad or unreachable
address is one line, exit 1, and the database is not touched (not even backed up)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from tests.cli.helpers import json_lines, run  # noqa: E402
from workbench.core.store.database import Store  # noqa: E402
from workbench.testing.pairs import write_pair_folders  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


def make_documents(db: Path, documents: int = 4, sentences: int = 24) -> None:
    words = "the council met on monday to discuss the budget and new migration rules in the region".split()
    with Store(db) as store:
        for d in range(documents):
            doc = store.add_document(title=f"Article {d}", language="en", target_language="ru", source_path=None,
                                     checksum=f"a{d}", date=None)
            store.add_segments(doc, [(n // 4, "body", " ".join(words[(d + n) % 7:(d + n) % 7 + 5 + n % 6])
                                      .capitalize() + f" {d * 100 + n}.", False) for n in range(sentences)])


def units_of(db: Path) -> list[tuple]:
    with Store(db) as store:
        return [(d.title, u.source, u.mt, u.target, str(u.status)) for d in store.documents()
                for u in store.units(d.id)]


def backups(db: Path) -> list[Path]:
    folder = db.parent / "backups"
    return sorted(folder.iterdir()) if folder.is_dir() else []


@pytest.mark.parametrize("command", [["translate", "--all"], ["import-pairs", "{en}", "{ru}"]])
def test_an_unreachable_scheduler_is_one_line_exit_1_and_nothing_changes(tmp_path, capsys, command,
                                                                          monkeypatch):
    monkeypatch.setattr("workbench.core.cluster.CONNECT_TIMEOUT", 2.0)
    db = tmp_path / "w.db"
    make_documents(db, 1, 3)
    write_pair_folders(tmp_path / "en", tmp_path / "ru", 2)
    before, saved = units_of(db), backups(db)
    args = [a.format(en=tmp_path / "en", ru=tmp_path / "ru") for a in command]
    capsys.readouterr()
    assert run(db, *args, "--cluster", "tcp://127.0.0.1:1") == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("workbench: error: cannot reach the Dask scheduler at tcp://127.0.0.1:1") and "\n" not in err
    assert units_of(db) == before and backups(db) == saved


def test_a_bad_cluster_address_is_refused(tmp_path, capsys):
    db = tmp_path / "w.db"
    make_documents(db, 1, 2)
    assert run(db, "translate", "--all", "--cluster", "cluster-please") == 1
    assert "use local, local:N" in capsys.readouterr().err


def test_translate_all_on_a_local_cluster_writes_what_this_process_writes(tmp_path, capsys, argos_env):
    here, there = tmp_path / "here.db", tmp_path / "there.db"
    make_documents(here)
    make_documents(there)
    assert run(here, "translate", "--all") == 0
    capsys.readouterr()
    assert run(there, "translate", "--all", "--cluster", "local:2", "--json") == 0
    out = capsys.readouterr()
    summary, = json_lines_from(out.out)
    assert summary["documents"] == 4 and summary["translated"] + summary["from_cache"] == 4 * 24
    assert "running on a local cluster: 2 worker(s)" in out.err and "dashboard:" in out.err
    assert units_of(there) == units_of(here)
    assert run(there, "translate", "--all", "--cluster", "local:1", "--json") == 0  # resumed: nothing left
    again, = json_lines(capsys)
    assert again["translated"] == 0 and again["skipped"] == 4 * 24


def json_lines_from(text: str) -> list:
    import json

    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_import_pairs_on_a_local_cluster_imports_what_this_process_imports(tmp_path, capsys):
    write_pair_folders(tmp_path / "en", tmp_path / "ru", 6, seed=1)
    here, there = tmp_path / "here.db", tmp_path / "there.db"
    assert run(here, "import-pairs", tmp_path / "en", tmp_path / "ru", "--no-mt") == 0
    capsys.readouterr()
    assert run(there, "import-pairs", tmp_path / "en", tmp_path / "ru", "--no-mt", "--cluster", "local:2",
               "--json") == 0
    lines = json_lines(capsys)
    assert lines[-1]["summary"] and lines[-1]["imported"] == 6
    # The pairs arrive in the order they finish: the same documents and units, in another order.
    assert sorted(units_of(there)) == sorted(units_of(here))
    assert run(there, "import-pairs", tmp_path / "en", tmp_path / "ru", "--cluster", "local:2", "--jobs", "2") == 1
    assert "choose one of --jobs and --cluster" in capsys.readouterr().err


@pytest.mark.slow
def test_ctrl_c_stops_a_cluster_run_keeps_what_was_written_and_a_rerun_finishes(tmp_path, argos_env):
    db = tmp_path / "w.db"
    make_documents(db, 40, 60)
    env = {**os.environ, "PYTHONPATH": str(REPO), "ARGOS_PACKAGES_DIR": str(argos_env)}
    command = [sys.executable, "-m", "workbench.cli", "--db", str(db), "translate", "--all", "--cluster", "local:2"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)

    def translated() -> int:
        return sum(u[2] is not None for u in units_of(db))

    deadline = time.monotonic() + 120
    while translated() == 0 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGINT)  # as the terminal does: the whole process group
    out, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert "kept" in err.strip().splitlines()[-1]
    kept = translated()
    assert 0 < kept < 40 * 60
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert translated() == 40 * 60
