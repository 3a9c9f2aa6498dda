"""The glossary and qa commands: output contracts, settings, ignore, --qa-clean, bad input."""
import csv
import json
from pathlib import Path

import pytest

from workbench.core.qa import run as qa_run
from workbench.core.store.database import Store

from tests.cli.helpers import run, json_lines
from tests.reliability.helpers import dump

DATA = Path(__file__).resolve().parents[1] / "data" / "qa"


@pytest.fixture
def qa_db(db_path):
    """Two approved units: one with wrong numbers and a forbidden term, one clean."""
    with Store(db_path) as s:
        doc = s.add_document(title="QA", language="en", target_language="ru", source_path=None,
                             checksum="qa", date=None)
        s.add_segments(doc, [(0, "body", "The minister said 1.5 million people live there.", False),
                             (1, "body", "The weather was good.", False)])
        u1, u2 = s.unit_ids(doc)
        s.conn.execute("UPDATE units SET target = 'Министерша сказала, что там живут 15 млн человек.',"
                       " status = 'approved' WHERE id = ?", (u1,))
        s.conn.execute("UPDATE units SET target = 'Погода была хорошей.', status = 'approved' WHERE id = ?", (u2,))
    return db_path, doc, u1, u2


def test_glossary_add_list_export_import(qa_db, tmp_path, capsys):
    db, *_ = qa_db
    assert run(db, "glossary", "add", "minister", "министр", "--from", "en", "--to", "ru", "--note", "n") == 0
    assert run(db, "glossary", "add", "minister", "министерша", "--from", "en", "--to", "ru", "--forbidden") == 0
    capsys.readouterr()
    assert run(db, "glossary", "list", "--json") == 0
    rows = json_lines(capsys)
    assert [(r["source"], r["target"], r["forbidden"], r["note"]) for r in rows] == [
        ("minister", "министр", False, "n"), ("minister", "министерша", True, None)]
    out = tmp_path / "g.tbx"
    assert run(db, "glossary", "export", "--format", "tbx", "--out", out) == 0
    assert run(db, "glossary", "export", "--format", "tbx", "--out", out) == 0  # its own file again
    for name in ("glossary.tsv", "glossary_v3.tbx"):
        assert run(db, "glossary", "import", DATA / name) == 0
    capsys.readouterr()
    run(db, "glossary", "list", "--json")
    assert {r["source"] for r in json_lines(capsys)} == {"minister", "sanctions"}


@pytest.mark.parametrize("name", ["glossary_bad.tbx", "glossary_bad.csv", "glossary_bad_omegat.txt",
                                  "glossary_entities.tbx"])
def test_bad_glossary_imports_nothing(qa_db, capsys, name):
    db, *_ = qa_db
    before = dump(db)
    assert run(db, "glossary", "import", DATA / name, "--from", "en", "--to", "ru") == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("workbench: error:") and "\n" not in err
    assert dump(db) == before


def test_qa_json_contract_ignore_and_settings(qa_db, capsys):
    db, doc, u1, u2 = qa_db
    run(db, "glossary", "add", "minister", "министр", "--from", "en", "--to", "ru")
    run(db, "glossary", "add", "minister", "министерша", "--from", "en", "--to", "ru", "--forbidden")
    capsys.readouterr()
    assert run(db, "qa", doc, "--json", "--checks", "numbers,forbidden_term,term_missing") == 0
    found = json_lines(capsys)
    assert {(f["unit_id"], f["check"], f["severity"]) for f in found} == {
        (u1, "numbers", "error"), (u1, "forbidden_term", "error")}  # not also term_missing: one problem
    for f in found:
        assert set(f) >= {"id", "unit_id", "check", "severity", "message", "source_spans", "target_spans"}
    numbers = next(f for f in found if f["check"] == "numbers")
    assert numbers["source_spans"] == [[18, 29]] and numbers["target_spans"] == [[34, 40]]

    assert run(db, "qa", "ignore", numbers["id"]) == 0
    capsys.readouterr()
    run(db, "qa", doc, "--json", "--checks", "numbers")
    assert json_lines(capsys) == []  # stays ignored
    run(db, "qa", doc, "--json", "--checks", "numbers", "--include-ignored")
    assert len(json_lines(capsys)) == 1

    assert run(db, "qa", "settings", "--off", "forbidden_term") == 0
    capsys.readouterr()
    run(db, "qa", doc, "--json")
    assert "forbidden_term" not in {f["check"] for f in json_lines(capsys)}
    run(db, "qa", "--list", "--json")
    listed = {c["check"]: c for c in json_lines(capsys)}
    assert listed["forbidden_term"]["enabled"] is False and listed["numbers"]["enabled"] is True


def test_qa_user_errors_leave_database_unchanged(qa_db, capsys):
    db, *_ = qa_db
    before = dump(db)
    for args in (("qa", "--checks", "nope"), ("qa", "999"), ("qa", "ignore", "garbage"),
                 ("qa", "ignore", "999:numbers:abc"), ("qa", "settings", "--off", "nope")):
        assert run(db, *args) == 1, args
        err = capsys.readouterr().err.strip()
        assert err.startswith("workbench: error:") and "\n" not in err
    assert dump(db) == before


def test_qa_csv_and_export_qa_clean(qa_db, tmp_path, capsys):
    db, doc, u1, u2 = qa_db
    out = tmp_path / "findings.csv"
    assert run(db, "qa", "--csv", out, "--checks", "numbers") == 0
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(int(r["unit"]), r["check"]) for r in rows] == [(u1, "numbers")]
    assert rows[0]["source"].startswith("The minister")
    capsys.readouterr()
    tmx = tmp_path / "clean.tsv"
    assert run(db, "export", "--format", "tsv", "--out", tmx, "--qa-clean") == 0
    text = tmx.read_text(encoding="utf-8")
    assert "Погода" in text and "Министерша" not in text
    assert run(db, "export", "--format", "tsv", "--out", tmx) == 0
    assert "Министерша" in tmx.read_text(encoding="utf-8")


def test_missing_dictionary_turns_only_spelling_off(qa_db, monkeypatch, tmp_path, capsys):
    db, doc, u1, u2 = qa_db
    monkeypatch.setenv("WORKBENCH_HUNSPELL_PATH", str(tmp_path))
    monkeypatch.setenv("WORKBENCH_HUNSPELL_ONLY", "1")
    qa_run.forget_spellers()
    try:
        assert run(db, "qa", "--json") == 0
        captured = capsys.readouterr()
        assert "hunspell-ru" in captured.err and "spelling check off" in captured.err
        assert "numbers" in {json.loads(l)["check"] for l in captured.out.splitlines()}
    finally:
        qa_run.forget_spellers()


def test_spelling_and_personal_words(qa_db, capsys):
    db, doc, u1, u2 = qa_db
    with Store(db) as s:
        if qa_run.speller_for(s, "ru")[0] is None:
            pytest.skip("hunspell-ru not installed")
    with Store(db) as s:
        s.conn.execute("UPDATE units SET target = 'Погода была харошей.' WHERE id = ?", (u2,))
    capsys.readouterr()
    run(db, "qa", "--json", "--checks", "spelling")
    found = json_lines(capsys)
    assert [(f["unit_id"], f["target_spans"]) for f in found] == [(u2, [[12, 19]])]
    assert run(db, "qa", "add-word", "--lang", "ru", "харошей") == 0
    capsys.readouterr()
    run(db, "qa", "--json", "--checks", "spelling")
    assert json_lines(capsys) == []


def _tiny_dictionaries(folder: Path) -> None:
    """en_US and en_GB dictionaries of a few words each (Hunspell's file format)."""
    for name, words in (("en_US", ["color", "the", "was", "good"]), ("en_GB", ["colour", "the", "was", "good"])):
        (folder / f"{name}.aff").write_text("SET UTF-8\n", encoding="utf-8")
        (folder / f"{name}.dic").write_text(f"{len(words)}\n" + "\n".join(words) + "\n", encoding="utf-8")


def test_spelling_variant_is_a_project_setting(db_path, monkeypatch, tmp_path, capsys):
    _tiny_dictionaries(tmp_path)
    monkeypatch.setenv("WORKBENCH_HUNSPELL_PATH", str(tmp_path))
    monkeypatch.setenv("WORKBENCH_HUNSPELL_ONLY", "1")
    with Store(db_path) as s:
        doc = s.add_document(title="GB", language="ru", target_language="en", source_path=None,
                             checksum="gb", date=None)
        s.add_segments(doc, [(0, "body", "Цвет был хорошим.", False), (1, "body", "Цвет был хорошим!", False)])
        u1, u2 = s.unit_ids(doc)
        s.conn.execute("UPDATE units SET target = 'The colour was good.', status = 'approved' WHERE id = ?", (u1,))
        s.conn.execute("UPDATE units SET target = 'The color was good!', status = 'approved' WHERE id = ?", (u2,))
    qa_run.forget_spellers()
    try:
        def flagged():
            capsys.readouterr()
            assert run(db_path, "qa", "--json", "--checks", "spelling") == 0
            return {f["unit_id"] for f in json_lines(capsys)}

        assert flagged() == {u1}              # default: en_US
        assert run(db_path, "qa", "settings", "--spelling-variant", "en_GB", "--json") == 0
        assert json_lines(capsys)[-1]["spelling_variants"] == {"en": "en_GB"}
        assert flagged() == {u2}              # British spelling now
        assert run(db_path, "qa", "settings", "--spelling-variant", "en") == 0   # back to the default
        assert "the default of each language" in capsys.readouterr().out
        assert flagged() == {u1}
        # a variant that is not installed: kept, with the package to install; the check says it too
        assert run(db_path, "qa", "settings", "--spelling-variant", "en_AU") == 0
        assert "hunspell-en-au" in capsys.readouterr().err
        assert run(db_path, "qa", "--checks", "spelling") == 0
        assert "spelling check off for 'en'" in capsys.readouterr().err
        assert run(db_path, "qa", "settings", "--spelling-variant", "british") == 1
        err = capsys.readouterr().err
        assert "is not a dictionary variant" in err and "\n" not in err.strip()
    finally:
        qa_run.forget_spellers()
