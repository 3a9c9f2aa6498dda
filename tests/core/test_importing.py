"""The one import dispatcher: every format by content and extension, all or
nothing, written in short chunks that no reader sees until the end."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.core import importing as importer
from workbench.core.interchange import ExportFilter, count_units
from workbench.core.errors import BadInputError, NotFoundError
from workbench.core.progress import Cancelled
from workbench.core.importing import CorpusImportResult, ImportResult, detect_format, import_paths
from workbench.core.store.database import Store

from tests.conftest import SEEDS
from tests.cli.helpers import run

ARTICLE = "A short article about talks.\n\nThe talks went well and will resume on Monday.\n"
TMX = ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="en"/><body>'
       '<tu><tuv xml:lang="en"><seg>Hello there.</seg></tuv><tuv xml:lang="ru"><seg>Привет.</seg>'
       '</tuv></tu><tu><tuv xml:lang="en"><seg>Bye.</seg></tuv><tuv xml:lang="ru"><seg>Пока.</seg>'
       '</tuv></tu></body></tmx>\n')
XXE = ('<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
       '<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>&xxe;</seg>'
       '</tuv><tuv xml:lang="ru"><seg>x</seg></tuv></tu></body></tmx>\n')
XLIFF = ('<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" '
         'xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="d" source-language="en" '
         'target-language="ru" datatype="plaintext"><body><trans-unit id="1"><source>Hello.'
         '</source><target>Привет.</target></trans-unit></body></file></xliff>\n')


def write(path: Path, content: str | bytes) -> Path:
    path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content, encoding="utf-8")
    return path


def document_rows(db: Path) -> int:
    """Every document row, pending ones included (read through SQLite)."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    finally:
        conn.close()


# --- all or nothing -------------------------------------------------------------------

@pytest.mark.parametrize("files", [
    [("good.txt", ARTICLE), ("xxe.tmx", XXE)],                            # stored good.txt before
    [("good.tmx", TMX), ("bad.csv", "en,ru\na,b\nc,d,e\n")],              # stored good.tmx before
    [("good.xlf", XLIFF), ("good.txt", ARTICLE), ("empty.txt", b"")],
])
def test_one_command_imports_everything_or_nothing(db_path, tmp_path, capsys, files):
    paths = [write(tmp_path / name, content) for name, content in files]
    assert run(db_path, "import", *paths) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("workbench: error:")
    assert document_rows(db_path) == 0


def test_a_mixed_batch_lands_whole(db_path, tmp_path, capsys):
    paths = [write(tmp_path / "a.txt", ARTICLE), write(tmp_path / "c.tmx", TMX),
             write(tmp_path / "d.xlf", XLIFF), write(tmp_path / "e.csv", "en,ru\nYes,Да\n")]
    assert run(db_path, "import", *paths, "--json") == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r.get("format", "text") for r in rows] == ["text", "tmx", "xliff", "csv"]
    assert [r.get("units") for r in rows] == [None, 2, 1, 1]
    with Store(db_path) as store:
        assert len(store.documents()) == 1 + 2 * 3


# --- every format, by content as well as by extension -----------------------------------

@pytest.mark.parametrize("name, content, fmt", [
    ("corpus.xlf", XLIFF, "xliff"),           # was imported as an article titled "<?xml ..."
    ("corpus.xliff", XLIFF, "xliff"),
    ("saved-as.txt", TMX, "tmx"),             # a TMX saved as .txt is a TMX
    ("saved-as.txt", XLIFF, "xliff"),
    ("no-extension", TMX, "tmx"),
    ("pairs.txt", "en,ru\nHello,Привет\n", "csv"),
    ("pairs.dat", "en\tru\nHello\tПривет\n", "tsv"),
    ("corpus.tmx", TMX.encode("utf-16"), "tmx"),
    ("article.txt", ARTICLE, "text"),
    ("snippet.txt", "<b>Bold</b> news from the front.\n\nMore text here.", "text"),
])
def test_format_is_told_by_content_then_extension(db_path, tmp_path, name, content, fmt):
    path = write(tmp_path / name, content)
    assert detect_format(path) == fmt
    with Store(db_path) as store:
        (result,) = import_paths(store, [path])
        if fmt == "text":
            assert isinstance(result, ImportResult)
        else:
            assert isinstance(result, CorpusImportResult) and result.format == fmt
            units = list(store.units(result.source_document_id))
            assert units and all(u.target for u in units)
            assert not units[0].source.startswith("<?xml")


@pytest.mark.parametrize("name, content", [
    ("feed.txt", '<?xml version="1.0"?>\n<rss><channel/></rss>'),
    ("page.xml", "<html><body/></html>"),
    ("page.tmx", "<html><body/></html>"),
])
def test_xml_that_is_neither_tmx_nor_xliff_is_refused(db_path, tmp_path, capsys, name, content):
    path = write(tmp_path / name, content)
    assert run(db_path, "import", path) == 1
    assert "neither TMX nor XLIFF" in capsys.readouterr().err
    assert document_rows(db_path) == 0


def test_directories_pick_up_corpora_too(db_path, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    write(folder / "a.txt", ARTICLE)
    write(folder / "b.tmx", TMX)
    write(folder / "c.xliff", XLIFF)
    write(folder / "notes.pdf", b"%PDF-1.4")
    with Store(db_path) as store:
        results = import_paths(store, [folder])
    assert [type(r).__name__ for r in results] == ["ImportResult", "CorpusImportResult",
                                                   "CorpusImportResult"]


def test_the_apps_own_xliff_export_imports_back(db_path, tmp_path, capsys):
    assert run(db_path, "import", tmp_path.parent / "nothing") == 1
    src = write(tmp_path / "pairs.csv", "en,ru\nOne sentence.,Одно предложение.\n"
                                        "Two & <three>,Два & <три>\n")
    assert run(db_path, "import", src) == 0
    out = tmp_path / "export.xlf"
    assert run(db_path, "export", "--format", "xliff", "--out", out) == 0
    capsys.readouterr()
    other = tmp_path / "other.db"
    assert run(other, "import", out, "--json") == 0
    row = json.loads(capsys.readouterr().out)
    assert row["format"] == "xliff" and row["units"] == 2
    with Store(other) as store:
        assert [(u.source, u.target, str(u.status)) for u in store.units(row["id"])] == [
            ("One sentence.", "Одно предложение.", "approved"), ("Two & <three>", "Два & <три>", "approved")]


# --- pending documents: written in chunks, seen by nobody until published ------------------

def test_pending_documents_are_invisible_until_published(store, small_doc):
    token = store.begin_import()
    doc = store.add_document(title="Pending", language="en", target_language="ru", source_path=None,
                             checksum="pending", date=None, pending=token)
    seg_ids = store.add_segments(doc, [(0, "body", "Invisible sentence.", False)])
    unit_id = store.unit_ids(small_doc[0])[0]  # a visible unit, for contrast
    before_counts = store.status_counts()
    hidden_unit = store.conn.execute("SELECT id FROM units WHERE document_id = ?", (doc,)).fetchone()[0]

    assert [d.title for d in store.documents()] == ["Test"]
    with pytest.raises(NotFoundError):
        store.document(doc)
    with pytest.raises(NotFoundError):
        store.segment(seg_ids[0])
    with pytest.raises(NotFoundError):
        store.unit_for_segment(seg_ids[0])
    assert store.units_by_ids([hidden_unit, unit_id])[0].id == unit_id
    assert (store.unit_ids(doc), list(store.units(doc)), store.segments(doc)) == ([], [], [])
    assert store.segment_count(doc) == 0 and sum(store.status_counts(doc).values()) == 0
    assert store.document_by_checksum("pending") is None
    assert store.document_by_checksum("pending", import_token=token).id == doc
    assert count_units(store, ExportFilter(statuses=("any",), include_excluded=True)) == 0
    from workbench.core.store.review_queries import document_progress
    assert doc not in document_progress(store)

    store.publish_import(token)
    assert [d.title for d in store.documents()] == ["Test", "Pending"]
    assert store.unit_for_segment(seg_ids[0]).source == "Invisible sentence."
    assert sum(store.status_counts().values()) == sum(before_counts.values()) + 1
    assert store.conn.execute("SELECT count(*) FROM imports").fetchone()[0] == 0


def test_an_import_commits_in_chunks_so_other_writers_get_in(db_path, tmp_path, monkeypatch):
    """Before, a corpus import was one transaction: another process wanting to
    write waited for all of it (30 s, then "database is locked")."""
    monkeypatch.setattr(importer, "FIRST_CHUNK_ROWS", 200)
    monkeypatch.setattr(importer, "MAX_CHUNK_ROWS", 500)
    path = tmp_path / "big.tsv"
    path.write_text("en\tru\n" + "".join(f"Sentence {n}.\tПредложение {n}.\n" for n in range(5000)),
                    encoding="utf-8")
    with Store(db_path) as store:
        doc = store.add_document(title="Other", language="en", target_language="ru", source_path=None,
                                 checksum="other", date=None)
    writes, seen = [], []

    def progress(fraction, message):
        if "imported" not in message or len(writes) >= 3:
            return
        # Another connection (as another process would) writes and reads meanwhile.
        other = sqlite3.connect(db_path, timeout=0.2, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("UPDATE documents SET title = ? WHERE id = ?", (f"Edit {len(writes)}", doc))
            other.execute("COMMIT")
            writes.append(fraction)
            seen.append(other.execute("SELECT count(*) FROM documents WHERE pending IS NULL").fetchone()[0])
        finally:
            other.close()

    with Store(db_path) as store:
        (result,) = import_paths(store, [path], progress=progress)
        assert result.units == 5000 and len(writes) == 3
        assert seen == [1, 1, 1]  # the pair being imported was never visible
        assert store.document(doc).title == "Edit 2"
        assert len(store.documents()) == 3


def test_a_cancelled_or_failed_import_leaves_no_rows(db_path, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "FIRST_CHUNK_ROWS", 100)
    path = tmp_path / "big.tsv"
    path.write_text("en\tru\n" + "".join(f"S {n}.\tП {n}.\n" for n in range(1000)), encoding="utf-8")
    calls = []

    def cancel_after_a_chunk():
        calls.append(1)
        return len(calls) > 4

    with Store(db_path) as store:
        with pytest.raises(Cancelled, match="nothing was imported"):
            import_paths(store, [write(tmp_path / "a.txt", ARTICLE), path], cancelled=cancel_after_a_chunk)
    assert document_rows(db_path) == 0
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM segments").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM imports").fetchone()[0] == 0
    conn.close()


def test_a_cancelled_article_import_leaves_no_rows(db_path, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "ARTICLE_CHUNK_ROWS", 2)
    longer = ARTICLE + "".join(f"\n\nParagraph number {n} says something new." for n in range(6))
    articles = [write(tmp_path / "a.txt", ARTICLE), write(tmp_path / "b.txt", longer)]
    polls = []

    def cancel_while_storing():
        # One poll per file checked, one per file stored and one per chunk of
        # two segments: a.txt is stored, b.txt stops after its first chunk.
        polls.append(1)
        return len(polls) > 6

    with Store(db_path) as store:
        with pytest.raises(Cancelled, match="nothing was imported"):
            import_paths(store, articles, cancelled=cancel_while_storing)
    assert len(polls) == 7 and document_rows(db_path) == 0
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM segments").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM imports").fetchone()[0] == 0
    conn.close()


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_the_next_import_removes_what_a_killed_import_left(db_path, tmp_path):
    with Store(db_path) as store:
        token = store.begin_import()
        doc = store.add_document(title="Half", language="en", target_language="ru", source_path=None,
                                 checksum="half", date=None, pending=token)
        store.add_segments(doc, [(0, "body", f"Sentence {n}.", False) for n in range(50)])
    # The importing process died: its pid is gone (and it is not this process).
    importer_pid = _dead_pid()
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE imports SET pid = ?", (importer_pid,))
    conn.commit()
    conn.close()
    with Store(db_path) as store:
        assert store.stale_imports() == [token]
        (result,) = import_paths(store, [write(tmp_path / "a.txt", ARTICLE)])
        assert [d.id for d in store.documents()] == [result.document_id]
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM segments WHERE text LIKE 'Sentence %'").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM imports").fetchone()[0] == 0
    conn.close()


def test_a_live_import_of_another_process_is_left_alone(db_path):
    with Store(db_path) as store:
        token = store.begin_import()
        store.add_document(title="Busy", language="en", target_language="ru", source_path=None,
                           checksum="busy", date=None, pending=token)
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE imports SET pid = ?", (os.getppid(),))  # alive, and not us
    conn.commit()
    conn.close()
    with Store(db_path) as store:
        assert store.stale_imports() == []
        assert store.discard_stale_imports() == 0
    assert document_rows(db_path) == 1


# --- odd file names ------------------------------------------------------------------------

@pytest.mark.skipif(os.name != "posix" or sys.platform == "darwin",
                    reason="needs a file system that takes any bytes in names")
def test_a_file_name_that_is_not_utf8_imports_with_replacement_characters(db_path, tmp_path, capsys):
    folder = tmp_path / "names"
    folder.mkdir()
    latin1 = Path(os.fsdecode(os.fsencode(folder) + b"/caf\xe9 news.txt"))
    latin1.write_text("Paragraph without a headline, long enough to be a sentence of the body.\n",
                      encoding="utf-8")
    write(folder / "other.txt", ARTICLE)
    # Was "internal error: UnicodeEncodeError", and the whole directory was lost.
    assert run(db_path, "import", folder, "--json") == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows[0]["path"].endswith("caf\ufffd news.txt") and len(rows) == 2
    with Store(db_path) as store:
        doc = store.document(rows[0]["id"])
        assert doc.source_path.endswith("caf\ufffd news.txt")
    assert run(db_path, "import", latin1) == 0
    assert "already imported" in capsys.readouterr().out


def test_the_database_itself_is_never_read_as_an_article(tmp_path, capsys):
    """Reading it outside SQLite (it "looked like binary data") would drop
    this process's locks on it when the descriptor closes."""
    db = tmp_path / "store"  # no extension: a directory import would pick it up
    with Store(db):
        pass
    assert run(db, "import", db) == 1
    assert "workbench database itself" in capsys.readouterr().err
    write(tmp_path / "a.txt", ARTICLE)
    assert run(db, "import", tmp_path, "--json") == 0  # the directory holding it: skipped
    assert [json.loads(line)["path"] for line in capsys.readouterr().out.splitlines()] == [
        str(tmp_path / "a.txt")]


def test_seeds_still_import_and_reimport(db_path):
    with Store(db_path) as store:
        first = import_paths(store, [SEEDS])
        again = import_paths(store, [SEEDS])
    assert [r.document_id for r in first] == [r.document_id for r in again]
    assert all(r.created for r in first) and not any(r.created for r in again)


def test_the_same_file_twice_in_one_import(db_path, tmp_path):
    article = write(tmp_path / "a.txt", ARTICLE)
    corpus = write(tmp_path / "c.tmx", TMX)
    with Store(db_path) as store:
        results = import_paths(store, [article, corpus, article, corpus])
        assert [r.created for r in results] == [True, True, False, False]
        assert results[0].document_id == results[2].document_id
        assert results[1].source_document_id == results[3].source_document_id
        assert results[3].units == 2
        assert len(store.documents()) == 3


def test_unreadable_directory_entries_and_missing_paths(db_path, tmp_path):
    with Store(db_path) as store:
        with pytest.raises(BadInputError, match="no such file or directory"):
            import_paths(store, [tmp_path / "missing"])
