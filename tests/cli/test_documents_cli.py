"""The command line over documents: import, deliver with its report, and bad
input as one line with the database unchanged."""
from __future__ import annotations

import docx

from tests.cli.helpers import json_lines, run
from tests.core.documents.builders import DATA, make_docx
from tests.reliability.helpers import dump


def test_import_and_deliver_a_docx(db_path, tmp_path, capsys):
    path = tmp_path / "report.docx"
    path.write_bytes(make_docx())
    assert run(db_path, "import", path, "--json") == 0
    (imported,) = json_lines(capsys)
    assert imported["format"] == "docx" and imported["segments"] == 12
    assert run(db_path, "segments", imported["id"], "--json") == 0
    segments = json_lines(capsys)
    first = next(s for s in segments if s["text"].startswith("The city council"))
    assert first["text"] == "The city council <b0>approved</b0> the budget on Tuesday."
    assert run(db_path, "set-target", first["id"], "Городской совет <b0>одобрил</b0> бюджет во вторник.") == 0
    assert run(db_path, "approve", first["unit"]) == 0
    capsys.readouterr()
    out = tmp_path / "report.ru.docx"
    assert run(db_path, "deliver", imported["id"], "--out", out) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"wrote {out} (docx): 1 of 12 units approved; 11 without an approved target")
    assert lines[1].startswith("units with the source fallback: ")
    assert docx.Document(str(out)).paragraphs[2].runs[1].text == "одобрил"
    assert run(db_path, "deliver", imported["id"], "--out", out, "--fallback", "mt", "--json") == 0
    summary, *fallbacks = json_lines(capsys)
    assert summary["approved"] == 1 and summary["fallback_units"] == 11 == len(fallbacks)
    assert {f["reason"] for f in fallbacks} == {"not approved, no machine translation"}


def test_bad_documents_are_one_line_and_change_nothing(db_path, tmp_path, capsys):
    page = tmp_path / "good.html"
    page.write_bytes((DATA / "news_en.html").read_bytes())
    assert run(db_path, "import", page) == 0
    before = dump(db_path)
    for name, data, message in [
            ("locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "password-protected"),
            ("broken.docx", make_docx()[:2000], "damaged"),
            ("app.html", (DATA / "no_article.html").read_bytes(), "no article text")]:
        bad = tmp_path / name
        bad.write_bytes(data)
        capsys.readouterr()
        assert run(db_path, "import", bad) == 1
        err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
        assert len(err) == 1 and message in err[0] and name in err[0], err
        assert dump(db_path) == before


def test_as_document_reads_xliff_as_a_document_and_leaves_a_tmx_a_corpus(db_path, tmp_path, capsys):
    xliff = tmp_path / "job.xlf"
    xliff.write_text('<?xml version="1.0"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
                     '<file original="a" source-language="en" target-language="ru" datatype="plaintext">'
                     '<body><trans-unit id="1"><source>Hi.</source><target>Привет.</target></trans-unit>'
                     '</body></file></xliff>', encoding="utf-8")
    tmx = tmp_path / "memory.tmx"
    tmx.write_text('<?xml version="1.0"?>\n<tmx version="1.4"><header srclang="en"/><body><tu>'
                   '<tuv xml:lang="en"><seg>Good morning.</seg></tuv><tuv xml:lang="ru"><seg>Доброе утро.</seg>'
                   '</tuv></tu></body></tmx>\n', encoding="utf-8")
    assert run(db_path, "import", "--as-document", xliff, tmx, "--json") == 0
    document, corpus = json_lines(capsys)
    assert document["format"] == "xliff" and document["segments"] == 1
    assert corpus["format"] == "tmx" and corpus["units"] == 1 and corpus["translation"] is not None


BILINGUAL = DATA / "bilingual"


def test_a_reviewed_xliff_is_saved_back_with_only_the_reviewed_unit_changed(db_path, tmp_path, capsys):
    from lxml import etree
    from translate.storage import factory

    source = tmp_path / "job.xlf"
    source.write_bytes((BILINGUAL / "okapi12.xlf").read_bytes())
    # Without --as-document an XLIFF is a corpus; with it, a document to review.
    assert run(db_path, "import", "--as-document", source, "--json") == 0
    (imported,) = json_lines(capsys)
    assert imported["format"] == "xliff"
    assert run(db_path, "segments", imported["id"], "--json") == 0
    segments = json_lines(capsys)
    council = next(s for s in segments if s["text"] == "The <b0>council</b0> met.")
    assert council["target"] == "Совет <b0>собрался</b0>." and council["status"] == "edited"
    assert run(db_path, "set-target", council["id"], "Совет <b0>заседал</b0>.") == 0
    assert run(db_path, "approve", council["unit"]) == 0
    capsys.readouterr()
    out = tmp_path / "job.out.xlf"
    assert run(db_path, "deliver", imported["id"], "--out", out) == 0
    assert "left as the file had them" in capsys.readouterr().out
    namespace = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
    before = etree.parse(str(source)).getroot()
    after = etree.parse(str(out)).getroot()
    changed = [(a.get("id"), etree.tostring(a, encoding="unicode"))
               for b, a in zip(before.iterfind(".//x:trans-unit", namespace),
                               after.iterfind(".//x:trans-unit", namespace))
               if etree.tostring(a) != etree.tostring(b)]
    assert [unit_id for unit_id, _ in changed] == ["tu1"]
    assert 'state="final"' in changed[0][1] and "заседал" in changed[0][1]
    targets = [u.target for u in factory.getobject(str(out)).units if u.getid() == "article.html\x04tu1"]
    assert targets == ["Совет заседал."]


def test_a_reviewed_po_file_is_saved_back_with_other_translations_kept(db_path, tmp_path, capsys):
    import polib

    source = tmp_path / "messages.po"
    source.write_bytes((BILINGUAL / "messages.po").read_bytes())
    assert run(db_path, "import", source, "--json") == 0
    (imported,) = json_lines(capsys)
    assert imported["format"] == "po"
    assert run(db_path, "segments", imported["id"], "--json") == 0
    empty = next(s for s in json_lines(capsys) if s["text"] == "Open %s")
    assert run(db_path, "set-target", empty["id"], "Открыть %s") == 0
    capsys.readouterr()
    out = tmp_path / "messages.out.po"
    assert run(db_path, "deliver", imported["id"], "--out", out) == 0
    before = {e.msgid: e.msgstr for e in polib.pofile(str(source))}
    after = {e.msgid: e.msgstr for e in polib.pofile(str(out))}
    assert after.pop("Open %s") == "Открыть %s" and before.pop("Open %s") == ""
    assert after == before  # every other translation as the file had it
