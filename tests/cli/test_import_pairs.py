"""``workbench import-pairs`` end to end: in-process for the output, real
processes for Ctrl+C and kill -9 in the middle of a run."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.helpers import json_lines, run
from tests.conftest import REPO
from workbench.core.store.database import Store
from workbench.testing.pairs import write_pair_folders


def folders(tmp_path, count: int, seed: int = 0) -> tuple[Path, Path]:
    src, tgt = tmp_path / "en", tmp_path / "ru"
    write_pair_folders(src, tgt, count, seed=seed)
    return src, tgt


def stored_pairs(db: Path) -> dict[str, str]:
    """Article title -> translation title, checking that every stored
    document belongs to exactly one whole, aligned pair."""
    with Store(db) as store:
        docs = store.documents()
        articles = [d for d in docs if d.translation_of is None]
        translations = {d.translation_of: d for d in docs if d.translation_of is not None}
        assert len(translations) == len(articles) == len(docs) / 2, [(d.id, d.translation_of) for d in docs]
        pairs = {}
        for article in articles:
            translation = translations[article.id]
            assert store.is_aligned_with(article.id, translation.id)
            covered = sorted(s for u in store.units(article.id) for s in u.source_segment_ids)
            assert covered == sorted(s.id for s in store.segments(article.id))
            pairs[article.title] = translation.title
        return pairs


def test_import_pairs_reports_bad_and_unmatched_files_in_one_line_each(db_path, tmp_path, capsys):
    src, tgt = folders(tmp_path, 3)
    (src / "binary.en.txt").write_bytes(bytes(range(256)) * 8)
    (tgt / "binary.ru.txt").write_text("Текст перевода.", encoding="utf-8")
    (src / "alone.txt").write_text("No translation.", encoding="utf-8")
    assert run(db_path, "import-pairs", src, tgt, "--no-mt") == 0
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert len(lines) == 2, err
    assert "skipped" in lines[0] and "binary.en.txt" in lines[0] and "binary" in lines[0].split(":", 2)[-1]
    assert "unmatched" in lines[1] and "alone.txt" in lines[1]
    assert out.startswith("imported 3 pair(s), 0 imported before, 1 skipped, 1 unmatched file(s)")
    assert "pairs/s" in out
    assert len(stored_pairs(db_path)) == 3


def test_json_lines_one_per_pair_then_a_summary(db_path, tmp_path, capsys):
    src, tgt = folders(tmp_path, 2)
    (src / "extra.txt").write_text("Alone.", encoding="utf-8")
    assert run(db_path, "import-pairs", src, tgt, "--no-mt", "--json") == 0
    rows = json_lines(capsys)
    pairs, unmatched, summary = rows[:2], rows[2], rows[3]
    assert {r["status"] for r in pairs} == {"imported"}
    assert all(r["links"] > 0 and r["source_document"] and r["target_document"] and r["error"] is None
               for r in pairs)
    assert unmatched["status"] == "unmatched" and unmatched["path"].endswith("extra.txt")
    assert summary["summary"] and (summary["imported"], summary["already"], summary["failed"],
                                   summary["unmatched"]) == (2, 0, 0, 1)
    assert run(db_path, "import-pairs", src, tgt, "--no-mt", "--json") == 0
    again = json_lines(capsys)
    assert [r["status"] for r in again[:2]] == ["already", "already"]
    assert [r["source_document"] for r in again[:2]] == [r["source_document"] for r in pairs]


def test_match_list_reads_the_pairs_from_a_tsv_file(db_path, tmp_path, capsys):
    src, tgt = folders(tmp_path, 3)
    listing = tmp_path / "pairs.tsv"
    listing.write_text("pair-002.en.txt\tpair-002.ru.txt\npair-000.en.txt\tpair-000.ru.txt\n", encoding="utf-8")
    assert run(db_path, "import-pairs", src, tgt, "--match", "list", listing, "--no-mt", "--json") == 0
    rows = json_lines(capsys)
    assert [Path(r["source"]).name for r in rows[:-1]] == ["pair-002.en.txt", "pair-000.en.txt"]
    assert rows[-1]["imported"] == 2


def test_match_list_without_its_file_is_a_one_line_error(db_path, tmp_path, capsys):
    src, tgt = folders(tmp_path, 1)
    assert run(db_path, "import-pairs", src, tgt, "--match", "list") == 1
    assert capsys.readouterr().err.strip().endswith("--match list FILE.tsv")


def test_exit_status_is_1_when_no_pair_could_be_imported(db_path, tmp_path, capsys):
    src, tgt = tmp_path / "en", tmp_path / "ru"
    src.mkdir(), tgt.mkdir()
    (src / "a.txt").write_bytes(b"")
    (tgt / "a.txt").write_bytes(bytes(range(256)) * 4)
    assert run(db_path, "import-pairs", src, tgt, "--no-mt") == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("workbench: skipped") and err[-1] == "workbench: error: no pair could be imported"


def test_presegmented_import_pairs_keeps_one_segment_per_line(db_path, tmp_path, capsys):
    src, tgt = tmp_path / "en", tmp_path / "ru"
    src.mkdir(), tgt.mkdir()
    (src / "a.txt").write_text("One. Two.\nThree\n", encoding="utf-8")
    (tgt / "a.txt").write_text("Один. Два.\nТри\n", encoding="utf-8")
    assert run(db_path, "import-pairs", src, tgt, "--no-mt", "--presegmented", "--src-lang", "en",
               "--tgt-lang", "ru", "--json") == 0
    doc = json_lines(capsys)[0]["source_document"]
    with Store(db_path) as store:
        assert [(u.source, u.target) for u in store.units(doc)] == [("One. Two.", "Один. Два."),
                                                                    ("Three", "Три")]


def start(db: Path, *args) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(REPO), WORKBENCH_BACKUPS_KEEP="0")
    return subprocess.Popen([sys.executable, "-m", "workbench.cli", "--db", str(db), "import-pairs", *map(str, args),
                             "--no-mt", "--json", "--src-lang", "en", "--tgt-lang", "ru"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def wait_for_imported(process: subprocess.Popen, count: int) -> int:
    """Read the JSON lines until ``count`` pairs are imported; how many were."""
    imported = 0
    for line in process.stdout:
        if json.loads(line).get("status") == "imported":
            imported += 1
            if imported >= count:
                return imported
    raise AssertionError(f"the run ended before {count} pairs: {process.stderr.read()}")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_killed_run_leaves_whole_pairs_and_a_rerun_finishes_without_duplicates(db_path, tmp_path):
    import psutil

    src, tgt = folders(tmp_path, 40, seed=1)
    process = start(db_path, src, tgt, "--jobs", "2")
    try:
        wait_for_imported(process, 4)
        workers = psutil.Process(process.pid).children()
        os.kill(process.pid, signal.SIGKILL)  # anywhere: mid-alignment or mid-transaction
        process.wait(timeout=60)
        # The worker processes notice that the client is gone and end too.
        _, alive = psutil.wait_procs(workers, timeout=60)
        assert not alive, alive
    finally:
        if process.poll() is None:
            process.kill()
        process.stdout.close(), process.stderr.close()
    assert process.returncode == -signal.SIGKILL, "the run finished before the kill"
    assert len(workers) >= 2
    before = stored_pairs(db_path)
    assert 4 <= len(before) < 40
    rerun = subprocess.run([sys.executable, "-m", "workbench.cli", "--db", str(db_path), "import-pairs", str(src),
                            str(tgt), "--no-mt", "--json"], capture_output=True, text=True,
                           env=dict(os.environ, PYTHONPATH=str(REPO)), timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout.splitlines()[-1])
    assert (summary["already"], summary["imported"], summary["failed"]) == (len(before), 40 - len(before), 0)
    after = stored_pairs(db_path)
    assert len(after) == 40 and set(before.items()) <= set(after.items())


@pytest.mark.skipif(sys.platform == "win32", reason="needs SIGINT")
def test_ctrl_c_stops_workers_keeps_the_pairs_and_says_so(db_path, tmp_path):
    src, tgt = folders(tmp_path, 40, seed=2)
    process = start(db_path, src, tgt, "--jobs", "2")
    try:
        wait_for_imported(process, 2)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 130, err
    assert "Traceback" not in err
    kept = int(err.split("interrupted: ")[1].split(" pair")[0])
    # (A Ctrl+C between a pair's commit and its report line counts it one short.)
    assert len(stored_pairs(db_path)) - 1 <= kept <= len(stored_pairs(db_path)) and "run it again" in err
