from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.core.errors import BadInputError
from workbench.core.formats import ExportOptions, get_importer_for
from workbench.core.formats.csv_tsv import (GUARD_COLUMN, CsvExporter, CsvImporter, TsvExporter,
                                            TsvImporter, guard_formula, unguard_formula)

from tests.core.formats.contract import SAMPLES, FormatContract, make_units


class TestCsvContract(FormatContract):
    exporter = CsvExporter()
    suffix = ".csv"

    def read_pairs(self, out):
        corpus = CsvImporter().read(out)  # the guard marker restores formulas
        return [(unit.source, unit.target) for unit in corpus.units()]

    def check_valid(self, out):
        with open(out, newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle, strict=True))
        assert rows[0] == ["en", "ru", GUARD_COLUMN]
        assert len({len(row) for row in rows}) == 1


class TestTsvContract(FormatContract):
    exporter = TsvExporter()
    suffix = ".tsv"

    def read_pairs(self, out):
        corpus = TsvImporter().read(out)
        return [(unit.source, unit.target) for unit in corpus.units()]

    def check_valid(self, out):
        lines = out.read_text(encoding="utf-8").split("\n")
        assert lines[0].split("\t") == ["en", "ru", GUARD_COLUMN] and lines[-1] == ""
        assert all(line.count("\t") == 2 for line in lines[:-1])


# --- formula guard ------------------------------------------------------------------

@pytest.mark.parametrize("cell, guarded", [
    ("=SUM(A1)", "'=SUM(A1)"), ("+7 495", "'+7 495"), ("-5", "'-5"), ("@user", "'@user"),
    ("\tindent", "'\tindent"), ("\rcr", "'\rcr"),
    ("'=already", "''=already"), ("''-x", "'''-x"),
    ("'Tis", "'Tis"), ("'", "'"), ("", ""), ("a=b", "a=b"), ("Привет", "Привет"),
])
def test_formula_guard_is_owasp_and_reversible(cell, guarded):
    assert guard_formula(cell) == guarded
    assert unguard_formula(guarded) == cell


def test_csv_neutralises_formulas_by_default_and_its_marker_restores_them(tmp_path):
    out = tmp_path / "f.csv"
    units = make_units([("=HYPERLINK(\"http://x\")", "- Реплика"), ("@cmd", "+1"), ("'=x", "'Tis")])
    CsvExporter().export(units, out)
    with open(out, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows == [["en", "ru", GUARD_COLUMN], ["'=HYPERLINK(\"http://x\")", "'- Реплика", ""],
                    ["'@cmd", "'+1", ""], ["''=x", "'Tis", ""]]
    # The marker column says the workbench guarded the file: the importer undoes
    # exactly its guard (the "-dialogue line" kept its apostrophe before).
    corpus = CsvImporter().read(out)
    assert [(u.source, u.target) for u in corpus] == [(u.source, u.target) for u in units]
    assert all(GUARD_COLUMN not in u.props for u in corpus)
    # A file without the marker was not guarded by us: its cells are kept as written.
    plain = write(tmp_path, "plain.csv", "en,ru\n'=x,'- Реплика\n".encode())
    assert [(u.source, u.target) for u in CsvImporter().read(plain)] == [("'=x", "'- Реплика")]
    assert [u.source for u in CsvImporter(restore_formulas=True).read(plain)] == ["=x"]
    assert [u.source for u in CsvImporter(restore_formulas=False).read(out)][0].startswith("'=")


def test_a_guarded_tsv_whose_trailing_tabs_were_stripped_still_reads(tmp_path):
    out = tmp_path / "g.tsv"
    TsvExporter().export(make_units([("-a", "=b"), ("c", "d")]), out)
    stripped = "\n".join(line.rstrip("\t") for line in out.read_text(encoding="utf-8").split("\n"))
    path = write(tmp_path, "stripped.tsv", stripped.encode())
    assert [(u.source, u.target) for u in TsvImporter().read(path)] == [("-a", "=b"), ("c", "d")]


@pytest.mark.parametrize("exporter, importer", [(CsvExporter(), CsvImporter()),
                                                (TsvExporter(), TsvImporter())])
def test_cells_of_any_length_round_trip(tmp_path, exporter, importer):
    """CSV refused cells over 131,072 characters ("field larger than field
    limit"), its own export of a 200,000-character target included."""
    long_target = ("Очень длинный перевод, строка за строкой.\n" * 5000)[:200_000]
    units = make_units([("Short.", long_target), ("=" + "x" * 150_000, "ok")])
    out = tmp_path / f"long.{exporter.name}"
    exporter.export(units, out, options=ExportOptions(columns=("mt",)))
    corpus = importer.read(out)
    assert [(u.source, u.target) for u in corpus] == [(u.source, u.target) for u in units]


def test_safe_formulas_off_writes_cells_verbatim(tmp_path):
    out = tmp_path / "raw.tsv"
    TsvExporter().export(make_units([("=1+1", "-x")]), out,
                         options=ExportOptions(safe_formulas=False))
    assert out.read_text(encoding="utf-8").splitlines()[1] == "=1+1\t-x"


# --- options and layout ---------------------------------------------------------------

def test_bom_and_extra_columns(tmp_path):
    out = tmp_path / "cols.csv"
    units = make_units(SAMPLES[:2])
    CsvExporter().export(units, out, options=ExportOptions(
        bom=True, columns=("tuid", "status", "document", "mt", "chrf", "created_at")))
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfen,ru,tuid,status,document,mt,chrf,created_at,"
                          + GUARD_COLUMN.encode() + b"\r\n")
    corpus = CsvImporter().read(out)
    first = next(iter(corpus))
    assert first.tuid == "1" and first.created_at == "2025-04-24T14:26:00Z"
    assert dict(first.props) == {"status": "approved", "document": "Doc 1",
                                 "mt": "MT Привет, мир.", "chrf": "50.00"}
    assert corpus.unit_count == 2


def test_unknown_column_is_refused(tmp_path):
    with pytest.raises(BadInputError, match="Unknown column colour"):
        CsvExporter().export(make_units(SAMPLES[:1]), tmp_path / "x.csv",
                             options=ExportOptions(columns=("status", "colour")))


def test_csv_quotes_newlines_and_tsv_escapes_them(tmp_path):
    units = make_units([("a\nb", "c\td\\e")])
    CsvExporter().export(units, tmp_path / "n.csv")
    TsvExporter().export(units, tmp_path / "n.tsv")
    marker = GUARD_COLUMN.encode()
    assert (tmp_path / "n.csv").read_bytes() == b'en,ru,' + marker + b'\r\n"a\nb",c\td\\e,\r\n'
    assert (tmp_path / "n.tsv").read_bytes() == b"en\tru\t" + marker + b"\na\\nb\tc\\td\\\\e\t\n"


@pytest.mark.parametrize("exporter", [CsvExporter(), TsvExporter()])
def test_one_language_pair_per_file(tmp_path, exporter):
    units = make_units([("Hello", "Привет")]) + make_units(
        [("Hallo", "Привет")], source_lang="de", start=2)
    out = tmp_path / f"pair.{exporter.name}"
    with pytest.raises(BadInputError, match="one language pair per file"):
        exporter.export(units, out)
    assert not out.exists() and list(tmp_path.iterdir()) == []


# --- import ---------------------------------------------------------------------

def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_header_languages_pick_the_columns(tmp_path):
    path = write(tmp_path, "rev.csv", "ru,EN-us,note\nПривет,Hello,greeting\n\n".encode())
    corpus = get_importer_for(path).read(path, source_lang="en", target_lang="ru")
    assert [(u.source, u.target, u.notes) for u in corpus] == [("Hello", "Привет",
                                                               ("greeting",))]
    corpus = CsvImporter().read(path)  # header order
    assert (corpus.source_lang, corpus.target_lang) == ("ru", "en")


def test_generic_header_needs_languages(tmp_path):
    path = write(tmp_path, "g.csv", b"source,target\nHello,Privet\n")
    with pytest.raises(BadInputError, match="must be language codes"):
        CsvImporter().read(path)
    corpus = CsvImporter().read(path, source_lang="en", target_lang="ru")
    assert [(u.source, u.target, u.source_lang) for u in corpus] == [("Hello", "Privet", "en")]


def test_semicolon_csv_and_utf16_tsv(tmp_path):
    path = write(tmp_path, "semi.csv", "en;ru\n\"a;b\";в\n".encode())
    assert [(u.source, u.target) for u in CsvImporter().read(path)] == [("a;b", "в")]
    path = write(tmp_path, "excel.tsv", "en\tru\r\nHello\tПривет\r\n".encode("utf-16"))
    assert [(u.source, u.target) for u in TsvImporter().read(path)] == [("Hello", "Привет")]


@pytest.mark.parametrize("name, data, message", [
    ("short.csv", b"en,ru\nonly one\n", "line 2 has 1 columns, the header has 2"),
    ("quote.csv", b'en,ru\n"open,x\n', "malformed CSV"),
    ("stray.csv", b'en,ru\n"a"b,c\n', "line 2: malformed CSV"),
    ("latin.csv", b"en,ru\nok,ok\ncaf\xe9,x\n", "line 3, byte 4: not UTF-8"),
    ("empty.tsv", b"", "empty file"),
    ("tabs.tsv", b"en\tru\na\tb\tc\n", "line 2 has 3 columns"),
])
def test_malformed_files_fail_before_any_unit(tmp_path, name, data, message):
    path = write(tmp_path, name, data)
    with pytest.raises(BadInputError, match=message):
        get_importer_for(path).read(path)


def test_unknown_backslash_sequences_are_left_alone(tmp_path):
    path = write(tmp_path, "bs.tsv", b"en\tru\nC:\\path\\x\\n\tok\\\\\n")
    assert [(u.source, u.target) for u in TsvImporter().read(path)] == [("C:\\path\\x\n", "ok\\")]


CELL_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pairs=st.lists(st.tuples(CELL_TEXT, CELL_TEXT), max_size=5),
       bom=st.booleans())
def test_any_text_round_trips_through_csv_and_tsv(tmp_path, pairs, bom):
    units = make_units(pairs)
    for contract in (TestCsvContract(), TestTsvContract()):
        out = tmp_path / f"prop{contract.suffix}"
        contract.exporter.export(units, out, options=ExportOptions(
            source_lang="en", target_lang="ru", bom=bom, columns=("mt",)))
        assert contract.read_pairs(out) == pairs
