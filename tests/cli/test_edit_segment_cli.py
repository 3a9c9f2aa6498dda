"""``workbench edit-segment``: a sentence corrected from the terminal, undone by ``workbench undo``."""
from __future__ import annotations

from tests.cli.helpers import json_lines, run
from tests.conftest import SEEDS


def test_edit_segment_and_undo(db_path, capsys):
    run(db_path, "import", SEEDS / "en_uzbek_interior_ministry_cis_migration_2023-09-28.txt", "--json")
    doc = json_lines(capsys)[0]["id"]
    run(db_path, "segments", doc, "--json")
    first = next(s for s in json_lines(capsys) if s["kind"] == "body")

    assert run(db_path, "edit-segment", first["id"], "The CIS countries cooperate.") == 0
    capsys.readouterr()
    run(db_path, "segments", doc, "--json")
    assert next(s for s in json_lines(capsys) if s["id"] == first["id"])["text"] == "The CIS countries cooperate."

    assert run(db_path, "undo", "--doc", doc) == 0
    assert "undone: segment" in capsys.readouterr().out
    run(db_path, "segments", doc, "--json")
    assert next(s for s in json_lines(capsys) if s["id"] == first["id"])["text"] == first["text"]


def test_edit_segment_refuses_empty_text_in_one_line(db_path, capsys):
    run(db_path, "import", SEEDS / "en_uzbek_interior_ministry_cis_migration_2023-09-28.txt", "--json")
    doc = json_lines(capsys)[0]["id"]
    run(db_path, "segments", doc, "--json")
    first = json_lines(capsys)[0]
    assert run(db_path, "edit-segment", first["id"], "  ") == 1
    err = capsys.readouterr().err.strip()
    assert "cannot be left empty" in err and len(err.splitlines()) == 1
