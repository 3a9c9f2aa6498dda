"""The CLI end to end, in-process (main(argv)) and once through the console script."""
import sqlite3
import subprocess
import sys

import click
import pytest

from workbench.cli import cli, main

from tests.conftest import SEEDS
from tests.cli.helpers import run, json_lines as lines
from tests.reliability.helpers import dump


def all_commands(group=cli, prefix=()):
    for name, command in group.commands.items():
        yield prefix + (name,), command
        if isinstance(command, click.Group):
            yield from all_commands(command, prefix + (name,))


def test_every_command_has_help_text(capsys):
    commands = list(all_commands())
    assert len(commands) >= 10
    for path, command in commands:
        assert command.help and len(command.help.strip()) > 15, path
        assert main([*path, "--help"]) == 0
        assert "Usage:" in capsys.readouterr().out


def test_import_seeds_then_docs_and_segments(db_path, capsys):
    assert run(db_path, "import", SEEDS, "--json") == 0
    imported = lines(capsys)
    assert len(imported) == 2 and all(r["created"] for r in imported)
    assert run(db_path, "import", SEEDS, "--json") == 0
    again = lines(capsys)
    assert [r["id"] for r in again] == [r["id"] for r in imported] and not any(r["created"] for r in again)

    assert run(db_path, "docs", "--json") == 0
    docs = {d["language"]: d for d in lines(capsys)}
    assert set(docs) == {"en", "ru"}
    assert docs["en"]["date"] == "2023-09-28" and docs["ru"]["date"].startswith("2025-04-24")
    assert docs["en"]["title"].startswith("Uzbek Interior Ministry Advocates Flexibility")
    assert set(docs["en"]) >= {"id", "title", "language", "date", "segments"}

    assert run(db_path, "segments", docs["en"]["id"], "--json") == 0
    segs = lines(capsys)
    assert set(segs[0]) >= {"id", "position", "paragraph", "kind", "excluded", "text", "mt", "target", "status"}
    assert segs[0]["kind"] == "title"
    assert [s["position"] for s in segs] == list(range(len(segs)))
    body = [s["text"] for s in segs if s["kind"] == "body"]
    # the quotation that spans two sentences becomes two segments
    assert any(t.startswith('"In recent years, our collective efforts') for t in body)
    assert any(t.startswith("Nevertheless, we are confronted") for t in body)
    credits = [s["text"] for s in segs if s["kind"] == "boilerplate"]
    assert "Based on materials from TASS" in credits
    assert any(t.startswith("Photo:") for t in credits)


def test_edit_commands_and_undo(db_path, capsys):
    run(db_path, "import", SEEDS / "en_uzbek_interior_ministry_cis_migration_2023-09-28.txt", "--json")
    doc = lines(capsys)[0]["id"]
    run(db_path, "segments", doc, "--json")
    body = [s for s in lines(capsys) if s["kind"] == "body"]
    first, second = body[0], body[1]

    assert run(db_path, "set-target", first["id"], "Страны СНГ сотрудничают.") == 0
    assert run(db_path, "approve", first["id"]) == 0
    assert run(db_path, "merge", first["id"], second["id"]) == 0
    capsys.readouterr()
    run(db_path, "segments", doc, "--json")
    merged = next(s for s in lines(capsys) if s["id"] == first["id"])
    assert merged["text"] == f"{first['text']} {second['text']}" and merged["status"] == "edited"

    assert run(db_path, "split", first["id"], len(first["text"])) == 0
    capsys.readouterr()
    run(db_path, "segments", doc, "--json")
    texts = [s["text"] for s in lines(capsys)]
    assert first["text"] in texts and second["text"] in texts

    assert run(db_path, "exclude", first["id"]) == 0
    for _ in range(3):  # exclude, split, merge
        assert run(db_path, "undo") == 0
    capsys.readouterr()
    run(db_path, "segments", doc, "--json")
    row = next(s for s in lines(capsys) if s["id"] == first["id"])
    assert (row["text"], row["status"], row["excluded"]) == (first["text"], "approved", False)
    assert run(db_path, "history", doc, "--json") == 0
    history = lines(capsys)  # undo walks the history, it adds no rows
    assert [h["state"] for h in history] == ["undone"] * 3 + ["done"] * 2


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b"   \n\n\t\n", "empty"),
    (bytes(range(256)) * 64, "binary"),
])
def test_bad_files_give_one_line_and_change_nothing(db_path, tmp_path, capsys, content, message):
    run(db_path, "import", SEEDS)
    before = dump(db_path)
    capsys.readouterr()
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    assert run(db_path, "import", bad) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("workbench: error:") and message in err[0].lower()
    assert dump(db_path) == before


def test_huge_and_missing_files_are_refused(db_path, tmp_path, capsys):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    assert run(db_path, "import", huge) == 1
    assert "MB" in capsys.readouterr().err
    assert run(db_path, "import", tmp_path / "nope.txt") == 1
    assert "no such file" in capsys.readouterr().err


def test_a_bad_file_in_a_batch_imports_nothing(db_path, tmp_path, capsys):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a.txt").write_text("A good article.\n\nIt has two paragraphs.", encoding="utf-8")
    (folder / "b.txt").write_bytes(b"")
    assert run(db_path, "import", folder) == 1
    capsys.readouterr()
    run(db_path, "docs", "--json")
    assert lines(capsys) == []


def test_bad_databases_are_refused_with_one_line(tmp_path, capsys):
    not_db = tmp_path / "notes.db"
    not_db.write_text("just text")
    assert main(["--db", str(not_db), "docs"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not a workbench database" in err[0]
    assert not_db.read_text() == "just text"

    newer = tmp_path / "newer.db"
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()
    assert main(["--db", str(newer), "docs"]) == 1
    assert "newer workbench" in capsys.readouterr().err


def test_unknown_ids_are_clear_errors(db_path, capsys):
    assert run(db_path, "segments", 42) == 1
    assert "no document with id 42" in capsys.readouterr().err
    assert run(db_path, "set-target", 42, "x") == 1
    assert "no segment with id 42" in capsys.readouterr().err


def test_console_script_runs(db_path):
    exe = [sys.executable, "-m", "workbench.cli"]
    result = subprocess.run([*exe, "--db", str(db_path), "docs", "--json"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout == ""
    result = subprocess.run([*exe, "--db", str(db_path), "segments", "7"], capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize("stop", ["cancel", "ctrl-c"])
def test_a_cancel_or_ctrl_c_prints_one_line_and_exits_130(db_path, capsys, monkeypatch, stop):
    from workbench.core import translating
    from workbench.core.progress import Cancelled
    from workbench.core.translating import TranslationSummary

    assert run(db_path, "import", "-q", SEEDS) == 0
    kept = TranslationSummary(units=10, translated=4, from_cache=0, skipped=0, seconds=1.0,
                              models=["translate-en_ru"], cancelled=True, sentences_translated=4)

    def stopped(*args, **kwargs):
        if stop == "cancel":
            raise Cancelled(kept.describe(), partial=kept)
        raise KeyboardInterrupt

    monkeypatch.setattr(translating, "translate_document", stopped)
    assert run(db_path, "translate", "1") == 130
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    expected = "workbench: cancelled after 4 units translated" if stop == "cancel" else "workbench: interrupted"
    assert len(err) == 1 and err[0].startswith(expected), err
