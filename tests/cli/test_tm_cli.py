"""The translation-memory commands' contracts: JSON lines, one-line errors with
exit 1, and a database left unchanged by a refused command."""

import pytest

from tests.cli.helpers import run, json_lines as lines
from tests.reliability.helpers import dump

TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="x"
 adminlang="en" srclang="en" datatype="plaintext"/><body>
<tu><tuv xml:lang="en"><seg>The council met in Tashkent in 2023.</seg></tuv>
<tuv xml:lang="ru"><seg>Совет собрался в Ташкенте в 2023 году.</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>Migrants have rights.</seg></tuv>
<tuv xml:lang="ru"><seg>У мигрантов есть права.</seg></tuv></tu>
</body></tmx>
"""


@pytest.fixture
def memory_db(tmp_path, capsys):
    db = tmp_path / "w.db"
    tmx = tmp_path / "council.tmx"
    tmx.write_text(TMX, encoding="utf-8")
    assert run(db, "tm", "import", tmx, "--json") == 0
    assert lines(capsys) == [{"name": "council", "pairs": 2}]
    return db, tmp_path


def test_import_list_search_remove(memory_db, capsys):
    db, _ = memory_db
    assert run(db, "tm", "list", "--json") == 0
    [listed] = lines(capsys)
    assert (listed["name"], listed["from"], listed["to"], listed["pairs"]) == ("council", "en", "ru", 2)
    assert run(db, "tm", "search", "The council met in Tashkent in 2025.", "--from", "en", "--to", "ru",
               "--json") == 0
    [match] = lines(capsys)
    assert match["score"] == 98 and match["target"] == "Совет собрался в Ташкенте в 2025 году."
    assert match["origin"] == {"memory": "council"} and match["unit_id"] is None
    assert set(match) == {"score", "kind", "source", "target", "origin", "unit_id", "status", "changed"}
    # the reverse direction, and min-score / limit
    assert run(db, "tm", "search", "У мигрантов есть права", "--from", "ru", "--to", "en", "--json",
               "--min-score", "99", "--limit", "1") == 0
    assert [m["target"] for m in lines(capsys)] == ["Migrants have rights."]
    assert run(db, "tm", "remove", "council") == 0
    capsys.readouterr()
    assert run(db, "tm", "search", "Migrants have rights.", "--from", "en", "--to", "ru", "--json") == 0
    assert lines(capsys) == []


def test_database_units_in_search_and_pretranslate(memory_db, capsys):
    db, tmp = memory_db
    article = tmp / "a.txt"
    article.write_text("Council\n\nThe council met in Tashkent in 2024. Migrants have rights.\n", encoding="utf-8")
    assert run(db, "import", article, "--lang", "en", "--to", "ru") == 0
    capsys.readouterr()
    assert run(db, "pretranslate", "1", "--min-score", "95", "--json") == 0
    filled = lines(capsys)
    assert [(f["score"], f["target"]) for f in filled] == [(98, "Совет собрался в Ташкенте в 2024 году."),
                                                           (100, "У мигрантов есть права.")]
    assert run(db, "segments", "1", "--json") == 0
    statuses = [row["status"] for row in lines(capsys) if row["kind"] == "body"]
    assert statuses == ["tm", "tm"]
    assert run(db, "undo", "--doc", "1") == 0
    capsys.readouterr()
    assert run(db, "segments", "1", "--json") == 0
    assert [row["status"] for row in lines(capsys) if row["kind"] == "body"] == ["new", "new"]


def test_stats_json(memory_db, capsys):
    db, tmp = memory_db
    article = tmp / "a.txt"
    article.write_text("Council\n\nMigrants have rights. Migrants have rights. Nothing of the kind here.\n",
                       encoding="utf-8")
    assert run(db, "import", article, "--lang", "en", "--to", "ru") == 0
    capsys.readouterr()
    assert run(db, "stats", "1", "--json") == 0
    rows = {r["band"]: r for r in lines(capsys)}
    assert list(rows) == ["repetition", "101", "100", "95-99", "85-94", "75-84", "50-74", "no match", "total"]
    assert rows["100"]["segments"] == 1 and rows["repetition"]["segments"] == 1
    assert rows["repetition"]["words"] == 3 and rows["total"]["segments"] == 3  # boilerplate not counted


@pytest.mark.parametrize("content, where", [
    (TMX.replace("</tu>\n</body>", "</body>"), "line"),   # unclosed <tu>
    ("not, a memory\n", ""),
])
def test_malformed_memory_imports_nothing(memory_db, capsys, content, where):
    db, tmp = memory_db
    bad = tmp / "bad.tmx"
    bad.write_text(content, encoding="utf-8")
    before = dump(db)
    assert run(db, "tm", "import", bad) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("workbench: error:") and "bad.tmx" in err[0]
    assert where in err[0]
    assert dump(db) == before


def test_other_pair_and_bad_queries_refused(memory_db, capsys):
    db, tmp = memory_db
    de = tmp / "de.tmx"
    de.write_text(TMX.replace('xml:lang="ru"', 'xml:lang="de"'), encoding="utf-8")
    before = dump(db)
    assert run(db, "tm", "import", de, "--name", "de", "--from", "en", "--to", "ru") == 1
    assert "en-de memory, not en-ru" in capsys.readouterr().err
    assert run(db, "tm", "import", tmp / "council.tmx") == 1  # the name is taken
    assert "exists already" in capsys.readouterr().err
    for query in ("", "x" * 2001):
        assert run(db, "tm", "search", query, "--from", "en", "--to", "ru") == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "query" in err[0]
    assert run(db, "concordance", "!!!", "--from", "en", "--to", "ru") == 1
    assert "no words" in capsys.readouterr().err
    assert run(db, "tm", "remove", "nope") == 1
    assert dump(db) == before


def test_concordance_json(memory_db, capsys):
    db, _ = memory_db
    assert run(db, "concordance", "мигранты", "--from", "en", "--to", "ru", "--in", "target", "--json") == 0
    [hit] = lines(capsys)
    assert hit["target"] == "У мигрантов есть права." and hit["offsets"] == [[2, 11]]
    assert hit["side"] == "target" and hit["origin"] == {"memory": "council"}


def test_approve_fills_repetitions_in_the_cli(tmp_path, capsys):
    db = tmp_path / "w.db"
    article = tmp_path / "a.txt"
    article.write_text("Title\n\nMigrants have rights. Other words. Migrants have rights.\n", encoding="utf-8")
    assert run(db, "import", article, "--lang", "en", "--to", "ru") == 0
    capsys.readouterr()
    assert run(db, "segments", "1", "--json") == 0
    body = [row for row in lines(capsys) if row["kind"] == "body"]
    assert run(db, "set-target", body[0]["id"], "У мигрантов есть права.") == 0
    assert run(db, "approve", body[0]["id"]) == 0
    capsys.readouterr()
    assert run(db, "segments", "1", "--json") == 0
    third = [row for row in lines(capsys) if row["kind"] == "body"][2]
    assert (third["target"], third["status"]) == ("У мигрантов есть права.", "tm")
    assert run(db, "tm", "repetitions", "off") == 0
    assert "repetitions off" in capsys.readouterr().out


def test_provenance_exported_as_tmx_props(memory_db, capsys):
    db, tmp = memory_db
    article = tmp / "a.txt"
    article.write_text("Council\n\nMigrants have rights.\n", encoding="utf-8")
    assert run(db, "import", article, "--lang", "en", "--to", "ru") == 0
    assert run(db, "pretranslate", "1") == 0
    out = tmp / "out.tmx"
    assert run(db, "export", "--format", "tmx", "--status", "any", "--out", out) == 0
    text = out.read_text(encoding="utf-8")
    assert '<prop type="x-status">tm</prop>' in text
    assert '<prop type="x-tm-origin">memory council</prop>' in text and '<prop type="x-tm-score">100</prop>' in text


def test_a_memory_of_another_pair_is_refused_without_from_to(memory_db, capsys):
    db, tmp = memory_db   # the database works in en-ru (the council memory)
    de = tmp / "de.tmx"
    de.write_text(TMX.replace('xml:lang="ru"', 'xml:lang="de"'), encoding="utf-8")
    before = dump(db)
    assert run(db, "tm", "import", de, "--name", "de") == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "de.tmx is a en-de memory, but this database works in en-ru" in err[0]
    assert "--from en --to de" in err[0]
    assert run(db, "tm", "import", de, "--name", "de", "--to", "ru") == 1   # one of the two given
    assert "en-de memory, not en-ru" in capsys.readouterr().err
    assert dump(db) == before
    # the other direction of a pair the database works in is that pair
    ru_en = tmp / "ru_en.tmx"
    ru_en.write_text(TMX.replace('srclang="en"', 'srclang="ru"'), encoding="utf-8")
    assert run(db, "tm", "import", ru_en, "--name", "back") == 0
    # said explicitly, the other pair is imported
    assert run(db, "tm", "import", de, "--name", "de", "--from", "en", "--to", "de") == 0
    capsys.readouterr()
    assert run(db, "tm", "list", "--json") == 0
    assert {(m["name"], m["from"], m["to"]) for m in lines(capsys)} == {
        ("de", "en", "de"), ("council", "en", "ru"), ("back", "ru", "en")}


def test_the_pair_of_the_documents_decides(tmp_path, capsys):
    from workbench.core.store.database import Store

    db = tmp_path / "w.db"
    with Store(db) as s:
        s.add_document(title="D", language="ru", target_language="en", source_path=None, checksum="d", date=None)
    tmx = tmp_path / "council.tmx"
    tmx.write_text(TMX, encoding="utf-8")
    assert run(db, "tm", "import", tmx) == 0          # en-ru: the documents' ru-en the other way round
    de = tmp_path / "de.tmx"
    de.write_text(TMX.replace('xml:lang="ru"', 'xml:lang="de"'), encoding="utf-8")
    assert run(db, "tm", "import", de) == 1
    assert "works in en-ru, ru-en" in capsys.readouterr().err


def _tmx_of(pairs) -> str:
    units = "".join(f'<tu><tuv xml:lang="en"><seg>{s}</seg></tuv><tuv xml:lang="ru"><seg>{t}</seg></tuv></tu>\n'
                    for s, t in pairs)
    return TMX.split("<body>")[0] + "<body>\n" + units + "</body></tmx>\n"


def test_reindex_json_and_imports_keep_the_word_index_fresh(memory_db, capsys, monkeypatch):
    import workbench.core.memory.index as index
    from workbench.core.store.database import Store

    db, folder = memory_db
    assert run(db, "tm", "reindex", "--json") == 0
    [built] = lines(capsys)
    assert set(built) == {"entries", "shards", "terms", "covers", "seconds"}
    assert (built["entries"], built["shards"]) == (2, 2)  # the English and the Russian side of en-ru
    monkeypatch.setattr(index, "INDEX_MIN_ENTRIES", 10)
    big = folder / "big.tmx"
    big.write_text(_tmx_of([(f"Delegates from city {n} met again.", f"Делегаты из города {n}.")
                            for n in range(40)]), encoding="utf-8")
    assert run(db, "tm", "import", big, "--json") == 0
    assert lines(capsys) == [{"name": "big", "pairs": 40}]  # stdout stays one JSON line
    with Store(db, backups=False) as store:
        generation, covers, entries, _built = store.tm_index_state()
        assert entries == 42 and covers == store.tm_entry_count_estimate()
    small = folder / "small.tmx"
    small.write_text(_tmx_of([(f"One more sentence, number {n}.", "Ещё одно.") for n in range(3)]),
                     encoding="utf-8")
    assert run(db, "tm", "import", small) == 0
    assert "memory index" not in capsys.readouterr().err  # 3 new of 42: not stale, not rebuilt
    with Store(db, backups=False) as store:
        assert store.tm_index_state()[1] == covers
        assert store.tm_entry_count_estimate() == covers + 3
    assert run(db, "tm", "remove", "big") == 0  # 5 entries left, below the threshold: the index goes
    with Store(db, backups=False) as store:
        assert store.tm_index_state()[0] == 0
        assert store.conn.execute("SELECT count(*) FROM tm_index_shards").fetchone() == (0,)


def test_a_corpus_import_indexes_its_units_in_the_memory(tmp_path, capsys, monkeypatch):
    import workbench.core.memory.index as index
    from workbench.core.store.database import Store

    monkeypatch.setattr(index, "INDEX_MIN_ENTRIES", 10)
    corpus = tmp_path / "corpus.tmx"
    corpus.write_text(_tmx_of([(f"The ministry answered question {n} today.", f"Министерство ответило {n}.")
                               for n in range(30)]), encoding="utf-8")
    db = tmp_path / "w.db"
    assert run(db, "import", corpus, "--json") == 0
    [imported] = lines(capsys)
    assert imported["units"] == 30
    with Store(db, backups=False) as store:
        assert store.tm_index_state()[2] == 30  # the corpus's approved units, indexed
    assert run(db, "tm", "search", "The ministry answered question 7 yesterday.", "--from", "en", "--to", "ru",
               "--json", "--limit", "1") == 0
    [match] = lines(capsys)
    assert match["source"] == "The ministry answered question 7 today."
