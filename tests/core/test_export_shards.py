"""Corpus-scale export: numbered shards of N units, and Parquet (read back with pyarrow)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.helpers import run
from workbench.core.errors import OutputExistsError
from workbench.core.formats import get_importer
from workbench.core.interchange import ExportFilter, export_corpus, iter_export_units, shard_path
from workbench.core.progress import Cancelled

pa = pytest.importorskip("pyarrow")

from workbench.core.formats.parquet import COLUMNS, read_rows  # noqa: E402

ANY = ExportFilter(statuses=("any",))


@pytest.fixture
def corpus(store):
    """Seven approved 1:1 units of an aligned pair, with MT, chrF and confidence."""
    source = store.add_document(title="Pair", language="en", target_language="ru", source_path=None,
                                checksum="src", date=None)
    target = store.add_document(title="Pair (ru)", language="ru", target_language=None, source_path=None,
                                checksum="tgt", date=None, translation_of=source)
    rows = [(f"Sentence {n}.", f"Предложение {n}.", "approved", f"МП {n}", "argos", "translate-en_ru", "1.9",
             "2025-01-01T00:00:00Z", "2025-01-02T00:00:00Z", 50.0 + n, 10.0) for n in range(7)]
    store.add_corpus_units(source, target, rows, start_seq=0)
    return store


def test_shard_names():
    assert shard_path(Path("out/corpus.tmx"), 1) == Path("out/corpus.00001.tmx")
    assert shard_path(Path("corpus"), 12) == Path("corpus.00012")


def test_shards_hold_n_units_each_and_together_the_whole_export(corpus, tmp_path):
    whole = [(u.source, u.target) for u in iter_export_units(corpus, ANY)]
    seen = []
    n = export_corpus(corpus, "tmx", tmp_path / "c.tmx", ANY, shard_size=3, progress=lambda f, m: seen.append(f))
    assert n == 7
    files = sorted(tmp_path.glob("c.*.tmx"))
    assert [f.name for f in files] == ["c.00001.tmx", "c.00002.tmx", "c.00003.tmx"]
    read = [[(u.source, u.target) for u in get_importer("tmx").read(f)] for f in files]
    assert [len(r) for r in read] == [3, 3, 1]
    assert [pair for r in read for pair in r] == whole
    assert seen == sorted(seen) and seen[-1] == 1.0


def test_moses_shards_are_pairs_of_files(corpus, tmp_path):
    export_corpus(corpus, "moses", tmp_path / "c", ANY, shard_size=4)
    assert sorted(p.name for p in tmp_path.glob("c.*")) == ["c.00001.en", "c.00001.ru", "c.00002.en", "c.00002.ru"]
    assert (tmp_path / "c.00002.ru").read_text(encoding="utf-8").splitlines() == [f"Предложение {n}." for n in (4, 5, 6)]


def test_a_cancel_keeps_the_shards_written_and_leaves_no_part(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr("workbench.core.formats.base.REPORT_EVERY", 1)
    monkeypatch.setattr("workbench.core.formats.tmx.REPORT_EVERY", 1, raising=False)
    calls = []
    with pytest.raises(Cancelled):
        export_corpus(corpus, "tmx", tmp_path / "c.tmx", ANY, shard_size=3,
                      cancelled=lambda: calls.append(1) or len(calls) > 4)
    assert (tmp_path / "c.00001.tmx").is_file()
    assert not list(tmp_path.glob("*.part"))


def test_parquet_holds_one_row_per_unit_with_the_documented_columns(corpus, tmp_path):
    out = tmp_path / "c.parquet"
    assert export_corpus(corpus, "parquet", out, ANY) == 7
    table = pa.parquet.read_table(out)
    assert table.schema.names == [name for name, _ in COLUMNS]
    rows = read_rows(out)
    units = list(iter_export_units(corpus, ANY))
    assert [(r["unit_id"], r["source"], r["target"], r["mt"], r["chrf"], r["link_type"]) for r in rows] == [
        (u.unit_id, u.source, u.target, u.mt, u.chrf, u.link_type) for u in units]
    assert {(r["source_lang"], r["target_lang"], r["status"], r["document"]) for r in rows} == {
        ("en", "ru", "approved", "Pair")}
    assert rows[0]["link_type"] == "1-1" and rows[0]["mt_model"] == "translate-en_ru"


def test_parquet_shards_and_an_existing_file_of_another_kind(corpus, tmp_path):
    assert export_corpus(corpus, "parquet", tmp_path / "c.parquet", ANY, shard_size=5) == 7
    assert [len(read_rows(p)) for p in sorted(tmp_path.glob("c.*.parquet"))] == [5, 2]
    other = tmp_path / "notes.parquet"
    other.write_text("my notes, not a table\n", encoding="utf-8")
    with pytest.raises(OutputExistsError, match="not a Parquet file"):
        export_corpus(corpus, "parquet", other, ANY)
    export_corpus(corpus, "parquet", tmp_path / "c.parquet", ANY)  # a Parquet file is replaced without --force


def test_export_command_writes_parquet_shards(corpus, tmp_path, capsys):
    db = corpus.path
    corpus.close()
    assert run(db, "export", "--format", "parquet", "--out", tmp_path / "x.parquet", "--status", "any",
               "--shard-size", "3") == 0
    assert "exported 7 units to 3 file(s)" in capsys.readouterr().out
    assert sum(len(read_rows(p)) for p in tmp_path.glob("x.*.parquet")) == 7
    assert run(db, "export", "--format", "parquet", "--out", tmp_path / "y.parquet", "--evidence") == 1


def test_a_re_export_with_fewer_shards_removes_the_old_higher_numbered_ones(corpus, tmp_path):
    export_corpus(corpus, "tmx", tmp_path / "c.tmx", ANY, shard_size=2)
    assert len(list(tmp_path.glob("c.*.tmx"))) == 4
    (tmp_path / "c.00007.tmx").write_text("not part of the set (after a gap)", encoding="utf-8")
    (tmp_path / "c.0004.tmx").write_text("another name", encoding="utf-8")
    (tmp_path / "d.00003.tmx").write_text("another set", encoding="utf-8")
    export_corpus(corpus, "tmx", tmp_path / "c.tmx", ANY, shard_size=5)
    assert sorted(p.name for p in tmp_path.glob("*.tmx")) == [
        "c.00001.tmx", "c.00002.tmx", "c.00007.tmx", "c.0004.tmx", "d.00003.tmx"]
    read = [u.source for f in sorted(tmp_path.glob("c.0000[12].tmx")) for u in get_importer("tmx").read(f)]
    assert read == [f"Sentence {n}." for n in range(7)]


def test_a_stale_shard_of_another_kind_is_left_alone(corpus, tmp_path):
    export_corpus(corpus, "moses", tmp_path / "c", ANY, shard_size=3)
    (tmp_path / "c.00003.ru").write_bytes(b"\x00\x01binary, not Moses text")
    export_corpus(corpus, "moses", tmp_path / "c", ANY, shard_size=4)
    assert sorted(p.name for p in tmp_path.glob("c.*")) == [
        "c.00001.en", "c.00001.ru", "c.00002.en", "c.00002.ru", "c.00003.ru"]
