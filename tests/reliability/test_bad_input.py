"""Bad and hostile input for every command that reads a file.

One table: each case builds its files, runs the real CLI as a process against
a database that already holds a document, and asserts the one-line message,
the exit code and that the database is exactly as it was.  Groups:
``bad input`` (empty, binary, wrong encoding, ragged rows, huge files, odd
paths) and ``hostile interchange`` (malformed, truncated and entity-laden
XML, absurd attribute counts).
"""
from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from tests.reliability.helpers import REPO, assert_refused, cli, dump

SEED_EN = REPO / "seeds" / "en_uzbek_interior_ministry_cis_migration_2023-09-28.txt"
SEED_RU = REPO / "seeds" / "ru_iom_uzbekistan_migration_role_2025-04-24.txt"

RU_TEXT = ("Министр иностранных дел провёл переговоры с коллегой. Стороны обсудили водную "
           "и энергетическую повестку, а также вопросы приграничной торговли.\n\n")
GOOD_TEXT = "A short article about talks.\n\nThe talks went well and will resume on Monday.\n"
GOOD_TMX = ('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="en" '
            'segtype="sentence" datatype="plaintext" adminlang="en" creationtool="t" '
            'creationtoolversion="1" o-tmf="t"/><body>'
            '<tu><tuv xml:lang="en"><seg>Hello there.</seg></tuv>'
            '<tuv xml:lang="ru"><seg>Привет.</seg></tuv></tu></body></tmx>\n')
TU = '<tu><tuv xml:lang="en"><seg>One.</seg></tuv><tuv xml:lang="ru"><seg>Один.</seg></tuv></tu>'
TMX_HEAD = '<?xml version="1.0"?>\n<tmx version="1.4"><header srclang="en"/><body>'
LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">'
                    for i in range(1, 10))
          + ']>\n<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en">'
            '<seg>&lol9;</seg></tuv><tuv xml:lang="ru"><seg>x</seg></tuv></tu></body></tmx>\n')
XXE = ('<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
       '<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>&xxe;</seg>'
       '</tuv><tuv xml:lang="ru"><seg>x</seg></tuv></tu></body></tmx>\n')
XLIFF = ('<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" '
         'xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="d" source-language="en" '
         'target-language="ru" datatype="plaintext"><body><trans-unit id="1"><source>Hello.'
         '</source><target>Привет.</target></trans-unit></body></file></xliff>\n')


def damaged_utf8() -> bytes:
    """A UTF-8 article (no-break spaces in it) with five invalid bytes at the end."""
    text = ("Talks\u00a0resumed on Monday. The ministers met in Geneva.\n\n" * 20)
    return text.encode("utf-8") + b"\xff\xfe\x81\x8d\x90"


def mixed_encodings() -> bytes:
    """A cp1251 article with a UTF-8 paragraph pasted in (stored as "–ú–ł–Ĺ..." before)."""
    return RU_TEXT.encode("utf-8") + RU_TEXT.encode("cp1251") * 5


def utf8_with_a_cp1251_word() -> bytes:
    """UTF-8 Russian ending in one cp1251 word (stored as Chinese-looking GB18030 before)."""
    return RU_TEXT.encode("utf-8") * 5 + "Привет".encode("cp1251")


def tmx_with_attributes(count: int) -> str:
    attributes = " ".join(f'x-a{i}="v"' for i in range(count))
    return (TMX_HEAD + f'<tu {attributes}><tuv xml:lang="en"><seg>a</seg></tuv>'
            '<tuv xml:lang="ru"><seg>б</seg></tuv></tu></body></tmx>\n')


def tmx_with_props(count: int) -> str:
    props = "".join(f'<prop type="x-p{i}">v</prop>' for i in range(count))
    return (TMX_HEAD + f'<tu>{props}<tuv xml:lang="en"><seg>a</seg></tuv>'
            '<tuv xml:lang="ru"><seg>б</seg></tuv></tu></body></tmx>\n')


def non_utf8_name(directory: Path, stem: bytes, suffix: bytes = b".txt") -> Path:
    """A path whose name is not UTF-8 (Latin-1 'café'), as the OS gives it to Python."""
    return Path(os.fsdecode(os.path.join(os.fsencode(directory), stem + suffix)))


@dataclass
class Case:
    id: str
    group: str                         # "bad input" | "hostile interchange"
    args: Callable[[Path, int], list]  # (tmp dir, seeded document id) -> CLI arguments
    contains: str
    code: int = 1
    slow: bool = False


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def sparse(path: Path, size: int) -> Path:
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


def folder(tmp: Path, files: dict[str, str | bytes]) -> Path:
    directory = tmp / "batch"
    for name, content in files.items():
        write(directory / name, content)
    return directory


def non_utf8_folder(tmp: Path) -> Path:
    directory = tmp / "names"
    directory.mkdir()
    write(directory / "good.txt", GOOD_TEXT)
    non_utf8_name(directory, b"caf\xe9").write_bytes(b"")
    return directory


BAD = "bad input"
HOSTILE = "hostile interchange"

CASES = [
    # --- import: article files -------------------------------------------------------
    Case("import-empty", BAD, lambda t, d: ["import", write(t / "empty.txt", b"")], "is empty"),
    Case("import-whitespace", BAD, lambda t, d: ["import", write(t / "ws.txt", " \n\t\r\n\u00a0\n")],
         "empty"),
    Case("import-binary", BAD, lambda t, d: ["import", write(
        t / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)], "binary"),
    Case("import-binary-no-nul", BAD, lambda t, d: ["import", write(
        t / "noise.txt", bytes(b % 255 + 1 for b in range(7, 9000, 13)))], "noise.txt"),
    Case("import-damaged-utf8", BAD, lambda t, d: ["import", write(t / "damaged.txt", damaged_utf8())],
         "--encoding"),
    Case("import-mixed-encodings", BAD, lambda t, d: ["import", write(t / "mixed.txt", mixed_encodings())],
         "--encoding"),
    Case("import-utf8-with-a-cp1251-word", BAD, lambda t, d: ["import", write(
        t / "word.txt", utf8_with_a_cp1251_word())], "--encoding"),
    Case("import-unknown-encoding-option", BAD, lambda t, d: [
        "import", "--encoding", "no-such-codec", write(t / "a.txt", GOOD_TEXT)], "no-such-codec", 2),
    Case("import-wrong-encoding-option", BAD, lambda t, d: [
        "import", "--encoding", "utf-8", write(t / "cp.txt", RU_TEXT.encode("cp1251"))], "utf-8"),
    Case("import-huge", BAD, lambda t, d: ["import", sparse(t / "huge.txt", 50 * 1024 * 1024)],
         "import limit"),
    Case("import-missing", BAD, lambda t, d: ["import", t / "nothing.txt"], "no such file"),
    Case("import-device", BAD, lambda t, d: ["import", "/dev/null"], "not a regular file"),
    Case("import-empty-directory", BAD, lambda t, d: ["import", folder(t, {"notes.pdf": b"%PDF"})],
         "in this directory"),
    Case("import-directory-one-bad", BAD, lambda t, d: ["import", folder(
        t, {"a.txt": GOOD_TEXT, "b.txt": b"", "c.txt": GOOD_TEXT.replace("talks", "news")})], "b.txt"),
    Case("import-batch-text-then-bad-tmx", BAD, lambda t, d: [
        "import", write(t / "good.txt", GOOD_TEXT), write(t / "xxe.tmx", XXE)], "entities"),
    Case("import-batch-tmx-then-ragged-csv", BAD, lambda t, d: [
        "import", write(t / "good.tmx", GOOD_TMX), write(t / "r.csv", "en,ru\na,b\nc,d,e\n")],
         "3 columns"),
    Case("import-non-utf8-name-bad", BAD, lambda t, d: ["import", write(non_utf8_name(t, b"caf\xe9"), b"")],
         "caf\ufffd.txt is empty"),
    Case("import-directory-non-utf8-name-bad", BAD, lambda t, d: ["import", non_utf8_folder(t)],
         "caf\ufffd.txt"),
    Case("import-the-database-itself", BAD, lambda t, d: ["import", t / "workbench.db"], "database"),
    # --- import: delimited corpora ---------------------------------------------------------
    Case("csv-ragged", BAD, lambda t, d: ["import", write(t / "r.csv", "en,ru\na,b\nc,d,e\n")],
         "line 3 has 3 columns"),
    Case("csv-no-language-header", BAD, lambda t, d: ["import", write(t / "h.csv", "x,y\na,b\n")],
         "language codes"),
    Case("csv-header-only", BAD, lambda t, d: ["import", write(t / "h.csv", "en,ru\n")],
         "no translation units"),
    Case("csv-unterminated-quote", BAD, lambda t, d: ["import", write(t / "q.csv", 'en,ru\n"abc,def\n')],
         "malformed csv"),
    Case("csv-not-utf8", BAD, lambda t, d: ["import", write(
        t / "cp.csv", ("en,ru\nHello,Привет\n").encode("cp1251"))], "utf-8"),
    Case("csv-empty", BAD, lambda t, d: ["import", write(t / "e.csv", b"")], "empty"),
    Case("csv-binary", BAD, lambda t, d: ["import", write(t / "b.csv", bytes(range(256)) * 8)],
         "b.csv"),
    Case("tsv-ragged", BAD, lambda t, d: ["import", write(t / "r.tsv", "en\tru\na\tb\tc\n")],
         "columns"),
    # --- import: XML interchange -------------------------------------------------------------
    Case("tmx-truncated", HOSTILE, lambda t, d: ["import", write(t / "cut.tmx", (TMX_HEAD + TU * 50)[:-40])],
         "not well-formed"),
    Case("tmx-mismatched-tags", HOSTILE, lambda t, d: ["import", write(
        t / "bad.tmx", TMX_HEAD + '<tu><tuv xml:lang="en"><seg>a</tuv></tu></body></tmx>')],
         "not well-formed"),
    Case("tmx-billion-laughs", HOSTILE, lambda t, d: ["import", write(t / "lol.tmx", LAUGHS)], "entities"),
    Case("tmx-xxe", HOSTILE, lambda t, d: ["import", write(t / "xxe.tmx", XXE)], "entities"),
    Case("tmx-xxe-as-txt", HOSTILE, lambda t, d: ["import", write(t / "xxe.txt", XXE)], "entities"),
    Case("tmx-undeclared-entity", HOSTILE, lambda t, d: ["import", write(
        t / "ent.tmx", '<?xml version="1.0"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'
        + TMX_HEAD.split("\n", 1)[1] + '<tu><tuv xml:lang="en"><seg>&nbsp;</seg></tuv>'
        '<tuv xml:lang="ru"><seg>x</seg></tuv></tu></body></tmx>')], "entity"),
    Case("tmx-deep-nesting", HOSTILE, lambda t, d: ["import", write(
        t / "deep.tmx", TMX_HEAD + '<tu><tuv xml:lang="en"><seg>' + "<hi>" * 5000 + "x"
        + "</hi>" * 5000 + '</seg></tuv><tuv xml:lang="ru"><seg>y</seg></tuv></tu></body></tmx>')],
         "nested more than 256 deep"),
    Case("tmx-huge-text-node", HOSTILE, lambda t, d: ["import", write(
        t / "node.tmx", TMX_HEAD + '<tu><tuv xml:lang="en"><seg>' + "x" * 11_000_000
        + '</seg></tuv><tuv xml:lang="ru"><seg>y</seg></tuv></tu></body></tmx>')],
         "more than 10,000,000 characters"),
    Case("tmx-tuv-without-language", HOSTILE, lambda t, d: ["import", write(
        t / "nolang.tmx", TMX_HEAD + '<tu><tuv><seg>a</seg></tuv></tu></body></tmx>')],
         "without a language"),
    Case("tmx-one-language", HOSTILE, lambda t, d: ["import", write(
        t / "one.tmx", TMX_HEAD + '<tu><tuv xml:lang="en"><seg>a</seg></tuv></tu></body></tmx>')],
         "no target language"),
    Case("tmx-empty-file", HOSTILE, lambda t, d: ["import", write(t / "empty.tmx", b"")], "empty"),
    Case("tmx-html-root", HOSTILE, lambda t, d: ["import", write(
        t / "page.tmx", "<html><body><p>hi</p></body></html>")], "root"),
    Case("xml-neither-as-txt", HOSTILE, lambda t, d: ["import", write(
        t / "feed.txt", '<?xml version="1.0"?>\n<rss><channel><title>x</title></channel></rss>')],
         "neither TMX nor XLIFF"),
    Case("tmx-100k-attributes", HOSTILE, lambda t, d: ["import", write(
        t / "attrs.tmx", tmx_with_attributes(100_000))], "attributes", slow=True),
    Case("tmx-100k-props", HOSTILE, lambda t, d: ["import", write(t / "props.tmx", tmx_with_props(100_000))],
         "props", slow=True),
    Case("xliff-100k-attributes", HOSTILE, lambda t, d: ["import", write(
        t / "attrs.xlf", XLIFF.replace('<trans-unit id="1"', '<trans-unit id="1" ' + " ".join(
            f'x{i}="v"' for i in range(100_000))))], "attributes"),
    Case("xliff-truncated", HOSTILE, lambda t, d: ["import", write(t / "cut.xlf", XLIFF[:-60])],
         "not well-formed"),
    Case("xliff-entities", HOSTILE, lambda t, d: ["import", write(
        t / "lol.xlf", XLIFF.replace("<xliff", '<!DOCTYPE xliff [<!ENTITY e "e">]>\n<xliff', 1))],
         "entities"),
    Case("xliff-2.0", HOSTILE, lambda t, d: ["import", write(
        t / "v2.xliff", '<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0"/>')],
         "XLIFF 2.0"),
    Case("xliff-no-file", HOSTILE, lambda t, d: ["import", write(t / "nofile.xlf", '<xliff version="1.2"/>')],
         "no <file>"),
    # --- import-pair, attach, align ------------------------------------------------------------
    Case("pair-empty-source", BAD, lambda t, d: ["import-pair", write(t / "e.txt", b""), SEED_RU],
         "is empty"),
    Case("pair-binary-target", BAD, lambda t, d: [
        "import-pair", SEED_EN, write(t / "b.txt", bytes(range(256)) * 8)], "binary"),
    Case("pair-damaged-target", BAD, lambda t, d: [
        "import-pair", SEED_EN, write(t / "d.txt", damaged_utf8())], "encoding"),
    Case("pair-same-file", BAD, lambda t, d: ["import-pair", SEED_EN, SEED_EN], "same file"),
    Case("pair-missing", BAD, lambda t, d: ["import-pair", SEED_EN, t / "nothing.txt"], "no such file"),
    Case("pair-the-database-itself", BAD, lambda t, d: ["import-pair", SEED_EN, t / "workbench.db"],
         "database"),
    Case("attach-empty", BAD, lambda t, d: ["attach", d, write(t / "e.txt", b"")], "is empty"),
    Case("attach-binary", BAD, lambda t, d: ["attach", d, write(t / "b.txt", bytes(range(256)) * 8)],
         "binary"),
    Case("attach-mixed-encodings", BAD, lambda t, d: ["attach", d, write(t / "m.txt", mixed_encodings())],
         "encoding"),
    Case("attach-unknown-document", BAD, lambda t, d: ["attach", 999, SEED_RU], "no document with id 999"),
    Case("align-empty", BAD, lambda t, d: ["align", write(t / "e.txt", b""), SEED_RU], "is empty"),
    Case("align-binary", BAD, lambda t, d: ["align", SEED_EN, write(t / "b.txt", bytes(range(256)) * 8)],
         "binary"),
    Case("align-directory", BAD, lambda t, d: ["align", t, SEED_RU], "directory", 2),
    Case("align-mixed-encodings", BAD, lambda t, d: ["align", SEED_EN, write(t / "m.txt", mixed_encodings())],
         "encoding"),
]


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> tuple[Path, int]:
    """A database holding one imported article (made once, copied per case)."""
    db = tmp_path_factory.mktemp("template") / "workbench.db"
    outcome = cli(db, "import", SEED_EN, "--json")
    assert outcome.code == 0, outcome.err
    return db, int(outcome.out.split('"id": ')[1].split(",")[0])


def _copy(source: Path, target: Path) -> None:
    # SQLite's own backup: the file is never opened behind SQLite's back.
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


@pytest.mark.parametrize("case", [pytest.param(c, id=f"{c.group.split()[0]}:{c.id}",
                                               marks=[pytest.mark.slow] if c.slow else [])
                                  for c in CASES])
def test_bad_file_is_refused_and_changes_nothing(case, template, tmp_path):
    if case.id.endswith("device") and not Path("/dev/null").exists():
        pytest.skip("no /dev/null")
    db = tmp_path / "workbench.db"
    _copy(template[0], db)
    work = tmp_path / "files"
    work.mkdir()
    args = case.args(work, template[1])
    if case.id.endswith("the-database-itself"):
        args = [db if a == work / "workbench.db" else a for a in args]
    before = dump(db)
    if args[0] in ("import-pair", "attach", "align"):
        args.append("--no-mt")  # no model lookups: only the file is on trial
    outcome = cli(db, *args)
    if case.code == 2:  # a usage error: click's report, whose last line names the problem
        assert outcome.code == 2, (outcome.code, outcome.err)
        assert "Traceback" not in outcome.err and "internal error" not in outcome.err
        assert case.contains.lower() in outcome.err_lines[-1].lower(), outcome.err
    else:
        assert_refused(outcome, contains=case.contains, code=case.code)
    assert dump(db) == before
    shutil.rmtree(work, ignore_errors=True)
