"""Export from the store and import into it, end to end through the formats."""
import json

import pytest
from lxml import etree

from workbench.cli import main
from workbench.core.edits import history
from workbench.core.edits.commands import Approve, SetExcluded, SetTarget
from workbench.core.interchange import ExportFilter, count_units, export_corpus, import_corpus, iter_export_units
from workbench.core.errors import BadInputError

from tests.conftest import SHARED

TARGETS = {1: "Заголовок", 2: "Первое предложение. Второе предложение.", 3: "Третье & <последнее> 😀"}


@pytest.fixture
def reviewed(store, small_doc):
    """small_doc with MT on every unit, three targets edited and two approved."""
    doc, ids = small_doc
    units = [store.unit_for_segment(i).id for i in ids]
    store.set_machine_translations((u, f"MT {n}", "argos", "translate-en_ru", "1.9") for n, u in enumerate(units))
    for n, uid in enumerate(units[:3], start=1):
        history.apply(store, SetTarget(uid, TARGETS[n]))
    history.apply(store, Approve((units[1], units[2])))
    return doc, ids, units


def test_filters_choose_units(store, reviewed):
    doc, ids, units = reviewed
    assert count_units(store, ExportFilter()) == 2
    assert count_units(store, ExportFilter(statuses=("approved", "edited"))) == 3
    # the boilerplate unit has a machine target but stays out unless asked
    assert count_units(store, ExportFilter(statuses=("any",))) == 3
    assert count_units(store, ExportFilter(statuses=("any",), include_excluded=True)) == 4
    history.apply(store, SetExcluded.all([ids[1]]))
    assert count_units(store, ExportFilter()) == 1
    assert count_units(store, ExportFilter(document_ids=(doc + 1,))) == 0
    assert count_units(store, ExportFilter(source_lang="ru")) == 0
    assert count_units(store, ExportFilter(target_lang="ru")) == 1
    with pytest.raises(BadInputError, match="unknown status"):
        count_units(store, ExportFilter(statuses=("done",)))


def test_export_units_carry_scores_and_provenance(store, reviewed):
    units = list(iter_export_units(store, ExportFilter()))
    assert [u.target for u in units] == [TARGETS[2], TARGETS[3]]
    first = units[0]
    assert (first.source_lang, first.target_lang, first.status, first.mt_model) == ("en", "ru", "approved", "translate-en_ru")
    assert first.mt == "MT 1" and 0 <= first.chrf < 30


def test_stored_scores_follow_edits(store, reviewed):
    doc, ids, units = reviewed
    before = store.unit(units[1]).pe_chrf
    inverse = history.apply(store, SetTarget(units[1], "MT 1"))
    assert store.unit(units[1]).pe_chrf == 100.0 and store.unit(units[1]).pe_ter == 0.0
    history.apply(store, inverse)
    assert store.unit(units[1]).pe_chrf == before


def test_tmx_round_trip_through_the_store(store, reviewed, tmp_path):
    out = tmp_path / "out.tmx"
    assert export_corpus(store, "tmx", out, ExportFilter()) == 2
    dtd = SHARED / "tmx14.dtd"
    if dtd.exists():
        assert etree.DTD(str(dtd)).validate(etree.parse(str(out)))
    result = import_corpus(store, out)
    assert result.created and result.units == 2
    imported = [(u.source, u.target, str(u.status), u.mt) for u in store.units(result.source_document_id)]
    assert imported == [("First sentence. Second sentence.", TARGETS[2], "approved", "MT 1"),
                        ("Third sentence.", TARGETS[3], "approved", "MT 2")]
    again = import_corpus(store, out)
    assert not again.created and again.source_document_id == result.source_document_id


def test_cli_export_every_format_and_score(db_path, store, reviewed, tmp_path, capsys):
    for fmt in ("tmx", "csv", "tsv", "moses", "xliff"):
        out = tmp_path / f"corpus.{fmt}"
        assert main(["--db", str(db_path), "export", "--format", fmt, "--out", str(out), "--status", "any"]) == 0
        assert "exported 3 units" in capsys.readouterr().out
    assert (tmp_path / "corpus.moses.en").read_text().count("\n") == 3
    assert main(["--db", str(db_path), "score", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    doc_row, corpus_row = rows[0], rows[-1]
    assert doc_row["counts"] == {"new": 0, "machine": 1, "edited": 1, "approved": 2, "tm": 0}
    assert corpus_row["units"] == 3 and 0 <= corpus_row["bleu"] <= 100 and corpus_row["ter"] > 0
    assert corpus_row["signatures"]["chrf"].startswith("nrefs:1")


def test_malformed_tmx_imports_nothing(db_path, tmp_path, capsys):
    bad = tmp_path / "bad.tmx"
    bad.write_text('<?xml version="1.0"?><tmx version="1.4"><header srclang="en"/><body><tu>'
                   '<tuv xml:lang="en"><seg>a</seg></tuv><tuv xml:lang="ru"><seg>б</seg></tuv></tu>'
                   '<tu><tuv xml:lang="en"><seg>unclosed</tuv></tu></body></tmx>', encoding="utf-8")
    assert main(["--db", str(db_path), "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "line" in err and len(err.strip().splitlines()) == 1
    assert main(["--db", str(db_path), "docs", "--json"]) == 0
    assert capsys.readouterr().out == ""


def test_csv_import_creates_a_document_pair(store, tmp_path):
    path = tmp_path / "pairs.csv"
    path.write_text("en,ru\nHello,Привет\n\"Two, with comma\",\"Два, с запятой\"\n", encoding="utf-8")
    result = import_corpus(store, path)
    assert [(u.source, u.target) for u in store.units(result.source_document_id)] == [
        ("Hello", "Привет"), ("Two, with comma", "Два, с запятой")]
    assert store.document(result.target_document_id).translation_of == result.source_document_id


ROUND_TRIP = [
    ("Hello, world.", "Привет, мир."),
    ("=SUM(A1:A3) is not a formula", "- Это реплика диалога"),     # the guard, undone on import
    ("+1 555 0100, @handle", "'Апостроф' в начале"),
    ("'=quoted already", "@ at the start"),
    ("Line one\nline two", "Строка\r\nвторая\tс табуляцией"),
    ('Quotes " and \\ backslashes \\n', "Эмодзи 🎉 & <разметка> ]]>"),
    ("A very long segment.", ("Очень длинный перевод. " * 9000)[:200_000]),
]


@pytest.mark.parametrize("fmt", ["tmx", "xliff", "csv", "tsv"])
def test_every_export_reads_back_exactly_through_its_importer(tmp_path, capsys, fmt):
    """Export with the defaults (formula guard on), import into another
    database: the same texts, the formula guard undone, long cells intact
    (CSV refused cells over 131,072 characters; '-dialogue' came back as
    "'-dialogue")."""
    from workbench.core.store.database import Store

    source_db, target_db = tmp_path / "a.db", tmp_path / "b.db"
    with Store(source_db) as store:
        doc = store.add_document(title="Doc", language="en", target_language="ru", source_path=None,
                                 checksum="doc", date=None)
        store.add_segments(doc, [(n, "body", source, False) for n, (source, _) in enumerate(ROUND_TRIP)])
        for unit_id, (_, target) in zip(store.unit_ids(doc), ROUND_TRIP):
            history.apply(store, SetTarget(unit_id, target))
            history.apply(store, Approve((unit_id,)))
    out = tmp_path / f"corpus.{fmt}"
    assert main(["--db", str(source_db), "export", "--format", fmt, "--out", str(out)]) == 0
    assert main(["--db", str(target_db), "import", str(out), "--json"]) == 0
    row = json.loads(capsys.readouterr().out.splitlines()[-1])
    with Store(target_db) as store:
        units = list(store.units(row["id"]))
    assert [(u.source, u.target) for u in units] == ROUND_TRIP
    assert {str(u.status) for u in units} == {"approved"}
